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

/* Long options without a short form, for the verbs' getopt_long tables. */
enum {
	OPT_COUNTRY = 256,
	OPT_DAYS,
	OPT_IACA_CERT,
	OPT_IACA_KEY,
	OPT_IACA_PASS_FD,
	OPT_ISSUER_ALT,
	OPT_NAME,
	OPT_OUT_CERT,
	OPT_OUT_KEY,
	OPT_PASS_FD,
	OPT_STATE,
};

/* Verbs: each gets its own argv (argv[0] is the verb); exit status. */
int cmd_ds(int argc, char **argv);
int cmd_iaca(int argc, char **argv);
int cmd_show(int argc, char **argv);

/* --days N: 1..max, digits only; else MINDL_ERR_INVALID_ARG. */
int keys_days_arg(const char *s, int max, int *days);
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
