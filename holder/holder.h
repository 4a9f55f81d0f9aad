/* SPDX-License-Identifier: BSD-2-Clause */
/* mindl-holder: declarations shared by the holder's source files. */
#ifndef MINDL_HOLDER_H
#define MINDL_HOLDER_H

#define MAX_FILE	(4u * 1024 * 1024)	/* MINDL_MAX_INPUT */

/* Verbs (cmd_*.c). */
int cmd_show(int argc, char **argv);

#endif /* MINDL_HOLDER_H */
