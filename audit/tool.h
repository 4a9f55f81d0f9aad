/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-audit: declarations shared by the tool's source files.  Nothing
 * here parses credential bytes: extraction, statistics and link
 * detection are core's (core/include/mindl/audit.h); the tool lists
 * files, reads them under the caps and prints.
 */
#ifndef MINDL_AUDIT_TOOL_H
#define MINDL_AUDIT_TOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jw.h"

#define MAX_SKIPPED	1000	/* skipped files listed in --json */

/* Verbs. */
struct cli_args;
struct cli_opt;
enum { O_POP_GROUP, O_POP_EXPECT, O_POP_N };
enum { O_LINK_EXPECT, O_LINK_N };
extern const struct cli_opt population_opts[O_POP_N];
extern const struct cli_opt link_opts[O_LINK_N];
int cmd_population(const struct cli_args *);
int cmd_link(const struct cli_args *);

/*
 * A list of input files: each argument is a file, or a directory whose
 * regular files (not starting with '.', not recursing) are taken in name
 * order.  At most MINDL_AUDIT_MAX_FILES in all.
 */
struct flist {
	char	**path;
	size_t	 *group;	/* caller's tag per file */
	size_t	  n;
	size_t	  cap;
};

/* 0, or the exit status: 2 (over the cap), 3 (I/O, memory). */
int flist_add(struct flist *fl, const char *arg, size_t group);
void flist_free(struct flist *fl);

/*
 * Reads one input file under MINDL_MAX_INPUT; *buf is wiped and freed by
 * the caller with mindl_freezero (credentials are personal data).
 */
int read_input(const char *path, uint8_t **buf, size_t *len);

/* Files the audit left out (unparsable or oversize), for the report. */
struct skipped {
	size_t		 n;
	const char	*path[MAX_SKIPPED];	/* borrowed from the flist */
	int		 err[MAX_SKIPPED];
};

void skip_file(struct skipped *sk, const char *path, int err);

/* The skipped-file list as a "skipped" member. */
void jw_skipped(struct jw *w, const struct skipped *sk);

#endif /* MINDL_AUDIT_TOOL_H */
