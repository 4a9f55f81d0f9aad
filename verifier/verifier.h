/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-verifier: declarations shared by the verifier's source files.
 * Nothing here parses or hashes credential bytes: that is core's job.
 */
#ifndef MINDL_VERIFIER_H
#define MINDL_VERIFIER_H

#include <stddef.h>
#include <stdint.h>

#include "jw.h"

#define MAX_FILE	(4u * 1024 * 1024)	/* MINDL_MAX_INPUT */
#define MAX_HEXFILE	(2 * MAX_FILE + 65536)	/* hex text, whitespace */

/* Verbs (cmd_*.c). */
int cmd_inspect(int argc, char **argv);
int cmd_profiles(int argc, char **argv);
int cmd_request(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/*
 * Reads a file that may hold binary CBOR or the same bytes as hex text
 * (whitespace ignored), as test vectors come.  Hex is recognised by
 * content: only hex digits and whitespace, an even number of digits.
 * *buf is malloc'd.
 */
int read_bin_or_hex(const char *path, uint8_t **buf, size_t *len);

#endif /* MINDL_VERIFIER_H */
