/*
 * mindl-keys: declarations shared by the verbs of the key-ceremony tool
 * (keys/main.c and keys/cmd_*.c).  Never installed.
 */
#ifndef MINDL_KEYS_H
#define MINDL_KEYS_H

#include <stddef.h>
#include <stdint.h>

struct mindl_key;

#define PROGNAME	"mindl-keys"

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

/* Prints the synopsis of one verb (NULL: all) to stderr; returns 2. */
int keys_usage(const char *verb);
/* getopt_long for a verb, from the start of its argv, quiet on errors. */
void keys_getopt_reset(void);
/*
 * Reports err as "mindl-keys: ctx: message" on stderr (and, with json, as
 * {"ok":false,...} on stdout); returns the exit status for err.
 */
int keys_fail(int json, const char *ctx, int err);
/* Same, with a message of the tool's own instead of mindl_strerr(). */
int keys_refuse(int json, const char *ctx, int err, const char *msg);
/* --days N: 1..max, digits only; else MINDL_ERR_INVALID_ARG. */
int keys_days_arg(const char *s, int max, int *days);
/* --*-fd N: an open file descriptor; else MINDL_ERR_INVALID_ARG. */
int keys_fd_arg(const char *s, int *fd);
/* MINDL_ERR_EXISTS if anything, even a dangling symlink, is at path. */
int keys_check_absent(const char *path);
/* The first line of fd as a passphrase; *pass for mindl_freezero(). */
int keys_read_pass(int fd, char **pass);
/* Frees a passphrase from keys_read_pass after wiping it; NULL is fine. */
void keys_free_pass(char **pass);
/*
 * Prints the result of iaca or ds: key=value lines, or one JSON object
 * {"ok":true,"key_id":...,"cert":...,"key":...,"not_before":...,
 * "not_after":...}.
 */
void keys_print_made(int json, const char *key_id, const char *cert,
    const char *key, int64_t not_before, int64_t not_after);
/* A JSON string (quoted, escaped) on stdout. */
void keys_json_str(const char *s);
/*
 * Writes the private key (0600, O_EXCL, encrypted under pass if not NULL),
 * then the certificate (0644); if the certificate cannot be written the
 * key just written is removed.  Reports errors; returns an exit status.
 */
int keys_write_pair(int json, const struct mindl_key *key, const char *pass,
    const char *keypath, const uint8_t *der, size_t len,
    const char *certpath);

#endif /* MINDL_KEYS_H */
