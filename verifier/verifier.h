/*
 * mindl-verifier: declarations shared by the verifier's source files.
 * Nothing here parses or hashes credential bytes: that is core's job.
 */
#ifndef MINDL_VERIFIER_H
#define MINDL_VERIFIER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jw.h"

#define VERIFIER_PROG	"mindl-verifier"
#define MAX_FILE	(4u * 1024 * 1024)	/* MINDL_MAX_INPUT */
#define MAX_HEXFILE	(2 * MAX_FILE + 65536)	/* hex text, whitespace */

/* Verbs (cmd_*.c). */
int cmd_inspect(int argc, char **argv);
int cmd_profiles(int argc, char **argv);
int cmd_request(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Per-verb synopsis on stderr (or stdout for --help); returns 2 (or 0). */
int verb_usage(const char *verb, int help);

/* "mindl-verifier: ctx: msg" on stderr. */
void vwarnx(const char *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Reports a mindl error for ctx and returns its exit status. */
int vfail(const char *ctx, int err);

/* Untrusted or arbitrary text on a terminal: controls escaped as \xNN. */
void print_safe(FILE *f, const char *s);
void print_safen(FILE *f, const uint8_t *s, size_t n);

/*
 * Reads a file that may hold binary CBOR or the same bytes as hex text
 * (whitespace ignored), as test vectors come.  Hex is recognised by
 * content: only hex digits and whitespace, an even number of digits.
 * *buf is malloc'd.
 */
int read_bin_or_hex(const char *path, uint8_t **buf, size_t *len);

#endif /* MINDL_VERIFIER_H */
