/* SPDX-License-Identifier: BSD-2-Clause */
/* mindl-issuer: declarations shared by the issuer's source files. */
#ifndef MINDL_ISSUER_H
#define MINDL_ISSUER_H

/* Verbs (cmd_*.c). */
int cmd_elements(int argc, char **argv);

#endif /* MINDL_ISSUER_H */
