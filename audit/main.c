/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-audit: evidence for security reviewers (DESIGN.md section 4).
 * population: structural features of many credentials, their
 * distribution and the features that tell groups apart (rule 2).
 * link: the byte strings and identifiers two files share (rule 6).
 * This file holds the verb table, input listing and output helpers.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mindl/mindl.h"
#include "mindl/audit.h"
#include "cli.h"
#include "tool.h"

/* Sorted by name. */
static const struct cli_verb verbs[] = {
	{ "link", cmd_link, "link [-dj] [--expect-unlinkable] FILE|DIR ...",
	    NULL, "Finds values that would let verifiers link presentations.",
	    link_opts, O_LINK_N, 0, INT_MAX },
	{ "population", cmd_population,
	    "population [-dj] [--expect-indistinguishable]\n"
	    "\t\t[--group NAME=DIR ...] [DIR|FILE ...]", NULL,
	    "Shows which features of credentials could tell holders apart.",
	    population_opts, O_POP_N, 0, INT_MAX },
};

/* Input files. */

static int
flist_push(struct flist *fl, char *path, size_t group)
{
	char **np;
	size_t *ng, nc;

	if (fl->n >= MINDL_AUDIT_MAX_FILES) {
		free(path);
		return cli_failx(2, NULL, MINDL_ERR_TOO_LARGE, "more than %u "
		    "input files", MINDL_AUDIT_MAX_FILES);
	}
	if (fl->n == fl->cap) {
		nc = fl->cap == 0 ? 64 : fl->cap * 2;
		if ((np = realloc(fl->path, nc * sizeof(*np))) == NULL) {
			free(path);
			return 3;
		}
		fl->path = np;
		if ((ng = realloc(fl->group, nc * sizeof(*ng))) == NULL) {
			free(path);
			return 3;
		}
		fl->group = ng;
		fl->cap = nc;
	}
	fl->path[fl->n] = path;
	fl->group[fl->n++] = group;
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
flist_add(struct flist *fl, const char *arg, size_t group)
{
	struct stat st;
	struct dirent *de;
	DIR *dir;
	char **names = NULL, **nn, *p;
	size_t n = 0, cap = 0, i, len;
	int r = 0;

	if (strcmp(arg, "-") != 0 && stat(arg, &st) != 0)
		return cli_failx(3, arg, errno == ENOENT ? MINDL_ERR_NO_FILE :
		    errno == EACCES ? MINDL_ERR_ACCESS : MINDL_ERR_IO, "%s",
		    strerror(errno));
	if (strcmp(arg, "-") == 0 || !S_ISDIR(st.st_mode)) {
		if ((p = strdup(arg)) == NULL)
			return 3;
		return flist_push(fl, p, group);
	}
	if ((dir = opendir(arg)) == NULL)
		return cli_failx(3, arg, errno == EACCES ? MINDL_ERR_ACCESS :
		    MINDL_ERR_IO, "%s", strerror(errno));
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n >= MINDL_AUDIT_MAX_FILES) {
			r = cli_failx(2, arg, MINDL_ERR_TOO_LARGE, "more than "
			    "%u files", MINDL_AUDIT_MAX_FILES);
			goto out;
		}
		len = strlen(arg) + strlen(de->d_name) + 2;
		if ((p = malloc(len)) == NULL) {
			r = 3;
			goto out;
		}
		(void)snprintf(p, len, "%s/%s", arg, de->d_name);
		/* Regular files only: no FIFOs, devices or subdirectories. */
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL) {
				free(p);
				r = 3;
				goto out;
			}
			names = nn;
		}
		names[n++] = p;
	}
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n && r == 0; i++) {
		r = flist_push(fl, names[i], group);
		names[i] = NULL;
	}
 out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return r;
}

void
flist_free(struct flist *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		free(fl->path[i]);
	free(fl->path);
	free(fl->group);
	memset(fl, 0, sizeof(*fl));
}

int
read_input(const char *path, uint8_t **buf, size_t *len)
{
	return mindl_file_read(path, MINDL_MAX_INPUT, buf, len);
}

void
skip_file(struct skipped *sk, const char *path, int err)
{
	cli_warn(path, "left out: %s (%s)", mindl_strerr(err),
	    mindl_errname(err));
	if (sk->n < MAX_SKIPPED) {
		sk->path[sk->n] = path;
		sk->err[sk->n] = err;
	}
	sk->n++;
}

void
jw_skipped(struct jw *w, const struct skipped *sk)
{
	size_t i;

	jw_key(w, "skipped");
	jw_arr(w);
	for (i = 0; i < sk->n && i < MAX_SKIPPED; i++) {
		jw_obj(w);
		jw_key(w, "file");
		jw_str(w, sk->path[i]);
		jw_key(w, "error");
		jw_str(w, mindl_errname(sk->err[i]));
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "skipped_count");
	jw_uint(w, sk->n);
}

int
main(int argc, char **argv)
{
	cli_init("mindl-audit");
	/* Credentials are personal data: no core dumps of them. */
	if (cli_no_core() == -1)
		return 3;
	return cli_dispatch(argc, argv, verbs,
	    sizeof(verbs) / sizeof(verbs[0]));
}
