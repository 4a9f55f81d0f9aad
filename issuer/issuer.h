/* SPDX-License-Identifier: BSD-2-Clause */
/* mindl-issuer: declarations shared by the issuer's source files. */
#ifndef MINDL_ISSUER_H
#define MINDL_ISSUER_H

/* Verbs (cmd_*.c). */
struct cli_args;
int cmd_elements(const struct cli_args *);

#endif /* MINDL_ISSUER_H */
