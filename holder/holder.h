/* SPDX-License-Identifier: BSD-2-Clause */
/* mindl-holder: declarations shared by the holder's source files. */
#ifndef MINDL_HOLDER_H
#define MINDL_HOLDER_H

#define MAX_FILE	(4u * 1024 * 1024)	/* MINDL_MAX_INPUT */

/* Verbs (cmd_*.c), with the options of those outside main.c. */
struct cli_args;
struct cli_opt;
enum { O_SHOW_CREDENTIAL, O_SHOW_DEVICE_KEY, O_SHOW_PASS_FD,
    O_SHOW_NO_PASSPHRASE, O_SHOW_AT, O_SHOW_N };
extern const struct cli_opt show_opts[O_SHOW_N];
int cmd_show(const struct cli_args *);

#endif /* MINDL_HOLDER_H */
