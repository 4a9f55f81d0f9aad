/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-holder: which single-use copies of a batch were presented.
 * Privacy rule 6: each presentation shows a verifier a fresh MSO (its own
 * salts, digestIDs, device key and signature), so two verifiers cannot
 * link what they saw.  The holder records, beside the credential, the
 * copies already shown, in the order they were shown: CRED.spent, mode
 * 0600, one copy number a line.  It holds nothing about the holder.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "holder.h"

#define MAX_SPENT_FILE	4096

static int
spent_path(const char *credp, char *path, size_t len)
{
	return (size_t)snprintf(path, len, "%s.spent", credp) < len ? 0 : -1;
}

int
spent_load(const char *credp, size_t ncopies, struct spent *sp)
{
	char path[4096];
	uint8_t *buf = NULL;
	size_t len = 0, i, v;
	int r, digits = 0;

	memset(sp, 0, sizeof(*sp));
	if (spent_path(credp, path, sizeof(path)) != 0)
		return cli_failx(2, credp, MINDL_ERR_INVALID_ARG, "path too "
		    "long");
	if ((r = mindl_file_read(path, MAX_SPENT_FILE, &buf, &len)) ==
	    MINDL_ERR_NO_FILE)
		return 0;	/* nothing presented yet */
	if (r != MINDL_OK)
		return cli_fail(path, r);
	/* Strict: decimal copy numbers, one a line, each once, in range. */
	for (i = 0, v = 0; i < len; i++) {
		if (buf[i] >= '0' && buf[i] <= '9' && v < MINDL_MAX_BATCH) {
			v = v * 10 + (size_t)(buf[i] - '0');
			digits++;
			continue;
		}
		if (buf[i] != '\n' || digits == 0 || v >= ncopies ||
		    sp->used[v] || sp->n == MINDL_MAX_BATCH)
			break;
		sp->used[v] = 1;
		sp->order[sp->n++] = v;
		v = 0;
		digits = 0;
	}
	free(buf);
	if (i != len || digits != 0)
		return cli_failx(1, path, MINDL_ERR_INVALID_ARG, "not a list of "
		    "this credential's %zu copies (one number a line): "
		    "remove it only if you know no copy was presented twice",
		    ncopies);
	return 0;
}

int
spent_save(const char *credp, const struct spent *sp)
{
	char path[4096], line[24];
	struct mindl_buf b;
	size_t i;
	int r;

	if (spent_path(credp, path, sizeof(path)) != 0)
		return cli_failx(2, credp, MINDL_ERR_INVALID_ARG, "path too "
		    "long");
	mindl_buf_init(&b, MAX_SPENT_FILE);
	for (i = 0; i < sp->n; i++) {
		(void)snprintf(line, sizeof(line), "%zu\n", sp->order[i]);
		(void)mindl_buf_addstr(&b, line);
	}
	/* Replaced whole (a temporary file renamed over it). */
	if ((r = mindl_buf_err(&b)) == MINDL_OK)
		r = mindl_file_write(path, mindl_buf_ptr(&b), mindl_buf_len(&b),
		    MINDL_FILE_PRIVATE);
	mindl_buf_clear(&b);
	return r == MINDL_OK ? 0 : cli_fail(path, r);
}

size_t
spent_pick(const struct spent *sp, size_t ncopies, int reuse)
{
	size_t i;

	for (i = 0; i < ncopies; i++)
		if (!sp->used[i])
			return i;
	/* All shown: the one shown longest ago, if reuse is allowed. */
	return reuse && sp->n > 0 ? sp->order[0] : SIZE_MAX;
}

void
spent_mark(struct spent *sp, size_t copy)
{
	size_t i, j;

	/* A reused copy moves to the end: the next reuse takes another. */
	for (i = 0; i < sp->n; i++)
		if (sp->order[i] == copy) {
			for (j = i; j + 1 < sp->n; j++)
				sp->order[j] = sp->order[j + 1];
			sp->n--;
			break;
		}
	sp->order[sp->n++] = copy;
	sp->used[copy] = 1;
}

size_t
spent_left(const struct spent *sp, size_t ncopies)
{
	size_t i, n = 0;

	for (i = 0; i < ncopies; i++)
		n += !sp->used[i];
	return n;
}
