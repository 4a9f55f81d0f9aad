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

/* Verbs (cmd_*.c) and the option tables of those that have options. */
struct cli_args;
struct cli_opt;
enum { O_REQ_PROFILE, O_REQ_OUT, O_REQ_OUT_KEY, O_REQ_RETAIN, O_REQ_FORCE,
    O_REQ_N };
extern const struct cli_opt request_opts[O_REQ_N];
enum { O_V_TRUST, O_V_REQUEST, O_V_RESPONSE, O_V_TRANSCRIPT, O_V_READER_KEY,
    O_V_PROFILE, O_V_AT, O_V_OUT_TRANSCRIPT, O_V_OUT_PORTRAIT, O_V_NO_PORTRAIT,
    O_V_CONSUME, O_V_FORCE, O_V_N };
extern const struct cli_opt verify_opts[O_V_N];
int cmd_inspect(const struct cli_args *);
int cmd_profiles(const struct cli_args *);
int cmd_request(const struct cli_args *);
int cmd_verify(const struct cli_args *);

/*
 * Reads a file that may hold binary CBOR or the same bytes as hex text
 * (whitespace ignored), as test vectors come.  Hex is recognised by
 * content: only hex digits and whitespace, an even number of digits.
 * *buf is malloc'd.
 */
int read_bin_or_hex(const char *path, uint8_t **buf, size_t *len);

#endif /* MINDL_VERIFIER_H */
