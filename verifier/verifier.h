/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-verifier: declarations shared by the verifier's source files.
 * Nothing here parses or hashes credential bytes: that is core's job.
 */
#ifndef MINDL_VERIFIER_H
#define MINDL_VERIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "mindl/status.h"
#include "jw.h"

#define MAX_FILE	(4u * 1024 * 1024)	/* MINDL_MAX_INPUT */
#define MAX_HEXFILE	(2 * MAX_FILE + 65536)	/* hex text, whitespace */

/* Verbs (cmd_*.c) and the option tables of those that have options. */
struct cli_args;
struct cli_opt;
enum { O_REQ_PROFILE, O_REQ_OUT, O_REQ_OUT_KEY, O_REQ_RETAIN, O_REQ_FORCE,
    O_REQ_READER_KEY, O_REQ_READER_CERT, O_REQ_ENGAGEMENT, O_REQ_PASS_FD,
    O_REQ_NO_PASSPHRASE, O_REQ_N };
extern const struct cli_opt request_opts[O_REQ_N];
enum { O_V_TRUST, O_V_REQUEST, O_V_RESPONSE, O_V_TRANSCRIPT, O_V_READER_KEY,
    O_V_PROFILE, O_V_AT, O_V_OUT_TRANSCRIPT, O_V_OUT_PORTRAIT, O_V_NO_PORTRAIT,
    O_V_CONSUME, O_V_FORCE, O_V_STATUS_DB, O_V_REQUIRE_STATUS, O_V_QR_TEXT,
    O_V_FIDO2, O_V_DEVICE, O_V_PIN_FD, O_V_FIDO2_UV, O_V_N };
extern const struct cli_opt verify_opts[O_V_N];
enum { O_SC_TRUST, O_SC_PROFILE, O_SC_AT, O_SC_NO_PORTRAIT, O_SC_STATUS_DB,
    O_SC_REQUIRE_STATUS, O_SC_FIDO2, O_SC_DEVICE, O_SC_PIN_FD, O_SC_FIDO2_UV,
    O_SC_N };
extern const struct cli_opt scan_opts[O_SC_N];
enum { O_S_TRUST, O_S_STATUS_DB, O_S_AT, O_S_N };
extern const struct cli_opt status_opts[O_S_N];
enum { O_T_STORE, O_T_ANCHOR, O_T_AT, O_T_ALLOW, O_T_N };
extern const struct cli_opt trust_opts[O_T_N];
int cmd_inspect(const struct cli_args *);
int cmd_profiles(const struct cli_args *);
int cmd_request(const struct cli_args *);
int cmd_scan(const struct cli_args *);
int cmd_status(const struct cli_args *);
int cmd_trust(const struct cli_args *);
int cmd_verify(const struct cli_args *);

/*
 * Reads a file that may hold binary CBOR or the same bytes as hex text
 * (whitespace ignored), as test vectors come.  Hex is recognised by
 * content: only hex digits and whitespace, an even number of digits.
 * *buf is malloc'd.
 */
int read_bin_or_hex(const char *path, uint8_t **buf, size_t *len);

/*
 * The status-list cache (statusdb.c, the one file that knows SQLite):
 * one row per list uri, the verified list's claims and its inflated
 * entries.  Errors are MINDL_ERR_DATABASE with SQLite's message in
 * sdb_errmsg(), or the file's own (MINDL_ERR_NO_FILE, _ACCESS, _IO).
 */
struct sdb;
struct sdb_row {
	int64_t				id;
	char				uri[MINDL_STATUS_MAX_URI + 1];
	struct mindl_status_cached	c;
	char				signer[17];	/* key id */
	int64_t				imported;
};
#define SDB_NEW		1	/* sdb_put: the first list for its uri */
#define SDB_REPLACED	2	/* a newer list replaced the cached one */
#define SDB_SAME	3	/* this very list was cached already */
#define SDB_ROLLBACK	4	/* not newer than the cached one: refused */

/*
 * $XDG_DATA_HOME/mindl/status.db (an absolute XDG_DATA_HOME), else
 * $HOME/.local/share/mindl/status.db; *out is malloc'd.  MINDL_ERR_CONFIG
 * without either.
 */
int sdb_default_path(char **out);
/*
 * Opens the cache: writable (created 0600 if absent, its directories
 * 0700 with make_dirs; the schema made in a new file) or read-only (an
 * absent file is MINDL_ERR_NO_FILE, and nothing at all is created).
 * err gets SQLite's message on failure.
 */
int sdb_open(const char *path, int writable, int make_dirs, struct sdb **out,
    char *err, size_t errlen);
void sdb_close(struct sdb **sp);
const char *sdb_errmsg(const struct sdb *s);
/* The row of a uri: *found 0 when none. */
int sdb_get(struct sdb *s, const uint8_t *uri, size_t urilen,
    struct sdb_row *row, int *found);
/* Byte off of row id's list: one sqlite3_blob_read. */
int sdb_read_byte(struct sdb *s, int64_t id, uint64_t off, uint8_t *byte);
/* The same for many reads of one list (a verifier that stays up). */
struct sdb_bitmap;
int sdb_bitmap_open(struct sdb *s, int64_t id, struct sdb_bitmap **out);
int sdb_bitmap_byte(struct sdb_bitmap *m, uint64_t off, uint8_t *byte);
void sdb_bitmap_close(struct sdb_bitmap **mp);
/*
 * Stores a verified list (row without id) unless the cached one for
 * its uri is as new or newer; *outcome says which (SDB_*).
 */
int sdb_put(struct sdb *s, const struct sdb_row *row, const uint8_t *bitmap,
    size_t bitmaplen, const uint8_t tokhash[MINDL_SHA256_LEN], int *outcome);
/* Calls fn for every cached list, by uri; stops at its first error. */
int sdb_each(struct sdb *s, int (*fn)(void *, const struct sdb_row *),
    void *arg);

/*
 * The trust store (trustdb.c): IACA roots with their provenance and the
 * Annex B deviations allowed for each.  Errors as the status cache's;
 * tdb_errmsg() has SQLite's message.
 */
struct tdb;
struct mindl_trust;
struct tdb_row {
	uint8_t		 sha256[MINDL_SHA256_LEN];
	const uint8_t	*der;		/* borrowed */
	size_t		 len;
	char		 c[8], st[64], cn[256];
	char		 doctypes[256];
	char		 source[8];	/* "vical" or "pem" */
	char		 provenance[512];
	unsigned	 deviations;	/* MINDL_DEV_* allowed */
	int64_t		 not_after;
	int64_t		 imported;
};
/* $XDG_DATA_HOME/mindl/trust.db, or ~/.local/share/mindl/trust.db. */
int tdb_default_path(char **out);
/* A directory given as a store means DIR/trust.db. */
int tdb_resolve(const char *given, char **out);
/* 1 if path is a directory or an SQLite file (not a PEM bundle). */
int tdb_is_store(const char *path);
int tdb_open(const char *path, int writable, int make_dirs, struct tdb **out,
    char *err, size_t errlen);
void tdb_close(struct tdb **sp);
const char *tdb_errmsg(const struct tdb *s);
int tdb_begin(struct tdb *s);
int tdb_commit(struct tdb *s);
void tdb_rollback(struct tdb *s);
/* Adds a root or, if held, updates its provenance and deviations. */
int tdb_put(struct tdb *s, const struct tdb_row *row, int *replaced);
/* Roots whose SHA-256 (lowercase hex) starts with hexprefix. */
int tdb_count_prefix(struct tdb *s, const char *hexprefix, size_t *n);
int tdb_remove(struct tdb *s, const char *hexprefix, size_t *removed);
int tdb_each(struct tdb *s, int (*fn)(void *, const struct tdb_row *),
    void *arg);
/* Every root into t with its deviations allowed; *n how many. */
int tdb_load(struct tdb *s, struct mindl_trust *t, size_t *n);

#endif /* MINDL_VERIFIER_H */
