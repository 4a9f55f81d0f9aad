/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-keys: declarations shared by the verbs of the key-ceremony tool
 * (keys/main.c and keys/cmd_*.c).  Never installed.
 */
#ifndef MINDL_KEYS_H
#define MINDL_KEYS_H

#include <stddef.h>
#include <stdint.h>

struct mindl_key;

/* Verbs (cmd_*.c) and their option tables (struct cli_opt). */
struct cli_args;
struct cli_opt;
enum { O_IACA_COUNTRY, O_IACA_STATE, O_IACA_NAME, O_IACA_OUT_KEY,
    O_IACA_OUT_CERT, O_IACA_DAYS, O_IACA_ISSUER_ALT, O_IACA_PASS_FD,
    O_IACA_NO_PASSPHRASE, O_IACA_CURVE, O_IACA_N };
enum { O_DS_IACA_KEY, O_DS_IACA_CERT, O_DS_OUT_KEY, O_DS_OUT_CERT,
    O_DS_DAYS, O_DS_NAME, O_DS_PASS_FD, O_DS_NO_PASSPHRASE,
    O_DS_IACA_PASS_FD, O_DS_IACA_NO_PASSPHRASE, O_DS_CURVE, O_DS_N };
extern const struct cli_opt iaca_opts[O_IACA_N];
extern const struct cli_opt ds_opts[O_DS_N];
/* status-signer takes ds's options (cmd_ds.c). */
extern const struct cli_opt status_signer_opts[O_DS_N];
int cmd_ds(const struct cli_args *);
int cmd_status_signer(const struct cli_args *);
int cmd_iaca(const struct cli_args *);
/* reader-ca takes iaca's options (cmd_iaca.c); reader its own. */
int cmd_reader_ca(const struct cli_args *);
enum { O_RD_CA_KEY, O_RD_CA_CERT, O_RD_PROFILE, O_RD_NAME, O_RD_OUT_KEY,
    O_RD_OUT_CERT, O_RD_DAYS, O_RD_PASS_FD, O_RD_NO_PASSPHRASE,
    O_RD_CA_PASS_FD, O_RD_CA_NO_PASSPHRASE, O_RD_N };
extern const struct cli_opt reader_opts[O_RD_N];
int cmd_reader(const struct cli_args *);
int cmd_show(const struct cli_args *);

/* --days N: 1..max, digits only; else MINDL_ERR_INVALID_ARG. */
int keys_days_arg(const char *s, int max, int *days);
/* --curve: P-256, P-384 or P-521 (MINDL_CRV_*), else MINDL_ERR_INVALID_ARG. */
int keys_curve_arg(const char *s, int *crv);
#define KEYS_CURVE_HELP \
    "the key's curve: P-256 (default), P-384 or P-521; the certificate " \
    "is signed with SHA-256, -384 or -512 to match"
/* MINDL_ERR_EXISTS if anything, even a dangling symlink, is at path. */
int keys_check_absent(const char *path);
/*
 * The end of iaca and ds, once the certificate der is made: the private
 * key is written (0600, O_EXCL, encrypted under pass if not NULL), then
 * the certificate (0644), and the result is printed as key=value lines
 * or, with json, as {"ok":true,"key_id":...,"cert":...,"key":...,
 * "not_before":...,"not_after":...}.  If the certificate cannot be
 * written the key just written is removed.  Reports errors; returns an
 * exit status.
 */
int keys_write_pair(int json, const struct mindl_key *key, const char *pass,
    const char *keypath, const char *certpath, const uint8_t *der,
    size_t len, int64_t not_before, int64_t not_after);

#endif /* MINDL_KEYS_H */
