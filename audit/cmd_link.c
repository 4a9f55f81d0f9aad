/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-audit link: every byte string or identifier that two files share
 * (DESIGN.md section 4, rule 6): salts, value digests, digestIDs and
 * their sets, MSO device keys, issuerAuth signatures, status indices,
 * certificates other than the issuer's, ephemeral engagement keys and
 * device authentication tags.  The issuer's DS certificate is shared by
 * design and reported as expected, not as a link.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/audit.h"
#include "cli.h"
#include "tool.h"

struct lreport {
	struct mindl_audit_links	*l;
	const char			**name;	/* per added file */
	size_t				 files;
	struct skipped			 sk;
};

static void
print_text(const struct lreport *rp)
{
	const struct mindl_audit_link *lk, *prev = NULL;
	const struct mindl_audit_shared *sh;
	size_t i, j, n = mindl_audit_links_count(rp->l);
	uint64_t total = mindl_audit_links_total(rp->l);
	uint64_t vtotal = mindl_audit_links_value_total(rp->l);

	printf("%s link: %zu file%s", cli_progname(), rp->files,
	    rp->files == 1 ? "" : "s");
	if (rp->sk.n > 0)
		printf(" (%zu left out: unparsable)", rp->sk.n);
	fputc('\n', stdout);
	for (i = 0; i < n; i++) {
		lk = mindl_audit_links_at(rp->l, i);
		if (prev == NULL || prev->a != lk->a || prev->b != lk->b) {
			fputs("link: ", stdout);
			cli_print_safe(stdout, rp->name[lk->a]);
			fputs(" <-> ", stdout);
			cli_print_safe(stdout, rp->name[lk->b]);
			fputc('\n', stdout);
		}
		printf("  %-18s %6zu shared  e.g.", mindl_audit_link_kind_name(
		    lk->kind), lk->count);
		for (j = 0; j < lk->count && j < 3; j++)
			printf(" %s", lk->example[j]);
		if (lk->count > 3)
			fputs(" ...", stdout);
		fputc('\n', stdout);
		prev = lk;
	}
	for (i = 0; i < mindl_audit_links_nexpected(rp->l); i++) {
		sh = mindl_audit_links_expected(rp->l, i);
		printf("expected: issuer certificate (DS key id %s...) shared "
		    "by %zu files\n", sh->value, sh->files);
	}
	if (mindl_audit_links_truncated(rp->l))
		printf("note: more than %u pair records; the list above is "
		    "cut short, the count below is complete\n",
		    MINDL_AUDIT_MAX_PAIRS);
	if (vtotal > 0)
		printf("disclosed values: %llu shared (the same element with the "
		    "same value: they link by nature, whatever the MSO)\n",
		    (unsigned long long)vtotal);
	printf("%llu link%s\n", (unsigned long long)total,
	    total == 1 ? "" : "s");
}

static void
print_json(const struct lreport *rp, int ok, const char *reason)
{
	const struct mindl_audit_link *lk;
	const struct mindl_audit_shared *sh;
	struct jw w;
	size_t i, j;

	jw_init(&w, stdout);
	jw_obj(&w);
	/* ok is the exit status: 0 is true, 1 (a file left out, or
	 * --expect-unlinkable and a link) false, with the reason. */
	jw_key(&w, "ok");
	jw_bool(&w, ok);
	jw_key(&w, "error");
	jw_null(&w);
	jw_key(&w, "reason");
	if (reason != NULL)
		jw_str(&w, reason);
	else
		jw_null(&w);
	jw_key(&w, "files");
	jw_arr(&w);
	for (i = 0; i < rp->files; i++)
		jw_str(&w, rp->name[i]);
	jw_end_arr(&w);
	jw_skipped(&w, &rp->sk);
	jw_key(&w, "links");
	jw_arr(&w);
	for (i = 0; i < mindl_audit_links_count(rp->l); i++) {
		lk = mindl_audit_links_at(rp->l, i);
		jw_obj(&w);
		jw_key(&w, "a");
		jw_str(&w, rp->name[lk->a]);
		jw_key(&w, "b");
		jw_str(&w, rp->name[lk->b]);
		jw_key(&w, "kind");
		jw_str(&w, mindl_audit_link_kind_name(lk->kind));
		jw_key(&w, "count");
		jw_uint(&w, lk->count);
		jw_key(&w, "examples");
		jw_arr(&w);
		for (j = 0; j < lk->count && j < 3; j++)
			jw_str(&w, lk->example[j]);
		jw_end_arr(&w);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_key(&w, "link_count");
	jw_uint(&w, mindl_audit_links_total(rp->l));
	jw_key(&w, "value_link_count");
	jw_uint(&w, mindl_audit_links_value_total(rp->l));
	jw_key(&w, "truncated");
	jw_bool(&w, mindl_audit_links_truncated(rp->l));
	jw_key(&w, "expected");
	jw_arr(&w);
	for (i = 0; i < mindl_audit_links_nexpected(rp->l); i++) {
		sh = mindl_audit_links_expected(rp->l, i);
		jw_obj(&w);
		jw_key(&w, "kind");
		jw_str(&w, mindl_audit_link_kind_name(sh->kind));
		jw_key(&w, "value");
		jw_str(&w, sh->value);
		jw_key(&w, "files");
		jw_uint(&w, sh->files);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_end_obj(&w);
	jw_done(&w);
}

const struct cli_opt link_opts[O_LINK_N] = {
	[O_LINK_EXPECT] = { "expect-unlinkable", 0, 0, NULL,
	    "exit 1 if any two files share structure (not disclosed values)" },
};

int
cmd_link(const struct cli_args *a)
{
	struct lreport rp;
	struct flist fl;
	uint8_t *buf = NULL;
	size_t len = 0, i;
	int r, json = a->json, expect = cli_has(a, O_LINK_EXPECT), rc = 0;

	memset(&rp, 0, sizeof(rp));
	memset(&fl, 0, sizeof(fl));
	for (i = 0; i < (size_t)a->npos; i++)
		if ((rc = flist_add(&fl, a->pos[i], 0)) != 0)
			goto out;
	if (fl.n == 0) {
		rc = cli_usage_error("link", "no input files");
		goto out;
	}
	if (mindl_audit_links_new(&rp.l) != MINDL_OK ||
	    (rp.name = calloc(fl.n, sizeof(*rp.name))) == NULL) {
		cli_warn(NULL, "out of memory");
		rc = 3;
		goto out;
	}
	for (i = 0; i < fl.n; i++) {
		r = read_input(fl.path[i], &buf, &len);
		if (r == MINDL_OK) {
			r = mindl_audit_links_add(rp.l, buf, len);
			mindl_freezero(buf, len);
			buf = NULL;
			if (r == MINDL_OK) {
				rp.name[rp.files++] = fl.path[i];
				continue;
			}
		}
		if (r == MINDL_ERR_IO || r == MINDL_ERR_NO_FILE ||
		    r == MINDL_ERR_ACCESS || r == MINDL_ERR_NOMEM) {
			cli_warn(fl.path[i], "%s (%s)", mindl_strerr(r),
			    mindl_errname(r));
			rc = 3;
			goto out;
		}
		skip_file(&rp.sk, fl.path[i], r);
	}
	if ((r = mindl_audit_links_run(rp.l)) != MINDL_OK) {
		cli_warn(NULL, "%s (%s)", mindl_strerr(r), mindl_errname(r));
		rc = 3;
		goto out;
	}
	if (rp.sk.n > 0 || (expect && mindl_audit_links_total(rp.l) > 0))
		rc = 1;
	if (json)
		print_json(&rp, rc == 0, rp.sk.n > 0 ? "files were left out" :
		    rc != 0 ? "links found (--expect-unlinkable)" : NULL);
	else
		print_text(&rp);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_warn("stdout", "write error");
		rc = 3;
		goto out;
	}
 out:
	mindl_audit_links_free(&rp.l);
	free(rp.name);
	flist_free(&fl);
	return rc;
}
