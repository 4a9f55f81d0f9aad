/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-audit population: every structural feature a verifier can see
 * beyond disclosed values, its distribution over the credentials given,
 * and, with --group, the features that tell groups apart (DESIGN.md
 * section 4, rule 2).  Statistics and their definitions live in core
 * (mindl/audit.h); this file reads, dispatches and prints.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/audit.h"
#include "cli.h"
#include "tool.h"

#define SHOW_VALUES	6	/* values per feature in the text report */
#define SHOW_CHARS	160	/* characters of one value in text */
#define JSON_VALUES	50	/* values per feature in --json */
#define SMALL_GROUP	30

struct cmp {
	size_t			 a, b;
	int			 compared;
	struct mindl_audit_diff	*d;
	size_t			 n;
};

struct report {
	struct mindl_audit_pop	*p;
	struct cmp		*cmps;
	size_t			 ncmps;
	size_t			 files;
	struct skipped		 sk;
	int			 dist[MINDL_AF_COUNT];	/* counted, any pair */
	size_t			 ndist;
	int			 all_compared;
};

static char
vis_letter(enum mindl_audit_vis v)
{
	return v == MINDL_AUDIT_VERIFIER ? 'V' : v == MINDL_AUDIT_DISCLOSURE ?
	    'D' : 'H';
}

static const char *
gname(const struct mindl_audit_pop *p, size_t g)
{
	const char *n = mindl_audit_pop_group_name(p, g);

	return n != NULL ? n : "(unlabelled)";
}

static void
print_value(const char *v)
{
	size_t n = strlen(v);

	/* Values come escaped from core; only the length is bounded here. */
	if (n > SHOW_CHARS)
		printf("%.*s...", SHOW_CHARS, v);
	else
		fputs(v, stdout);
}

static void
print_counts(const struct mindl_audit_pop *p, const struct mindl_audit_value *v)
{
	size_t g, ng = mindl_audit_pop_ngroups(p), k = 0;

	printf("      %6zu", v->total);
	if (ng > 1) {
		fputs(" (", stdout);
		for (g = 0; g < ng; g++) {
			if (g == 0 && mindl_audit_pop_size(p, 0) == 0)
				continue;
			printf("%s%s %zu", k++ > 0 ? ", " : "", gname(p, g),
			    v->count[g]);
		}
		fputs(")", stdout);
	}
	fputs("  ", stdout);
	print_value(v->value);
	fputc('\n', stdout);
}

static void
print_feature(const struct mindl_audit_pop *p, size_t f)
{
	const struct mindl_audit_finfo *fi = mindl_audit_feature_info(f);
	size_t nv = mindl_audit_pop_nvalues(p, f), i, g, k;
	struct mindl_audit_range r;

	printf("%c %s: %zu value%s", vis_letter(fi->vis), fi->title, nv,
	    nv == 1 ? "" : "s");
	if (fi->numeric) {
		mindl_audit_pop_range(p, f, SIZE_MAX, &r);
		if (r.n > 0)
			printf(", %lld..%lld", (long long)r.min,
			    (long long)r.max);
		if (r.absent > 0)
			printf(", absent in %zu", r.absent);
	}
	fputc('\n', stdout);
	if (fi->numeric && nv > SHOW_VALUES) {
		/* Many values: per-group ranges say more than a list. */
		for (g = 0, k = 0; g < mindl_audit_pop_ngroups(p); g++) {
			if (mindl_audit_pop_size(p, g) == 0)
				continue;
			mindl_audit_pop_range(p, f, g, &r);
			printf("%s%s: ", k++ == 0 ? "      " : "; ",
			    mindl_audit_pop_ngroups(p) == 1 ? "all" :
			    gname(p, g));
			if (r.n > 0)
				printf("%zu in %lld..%lld (%zu values)", r.n,
				    (long long)r.min, (long long)r.max,
				    r.distinct);
			else
				fputs("none present", stdout);
			if (r.absent > 0)
				printf(", %zu absent", r.absent);
		}
		fputc('\n', stdout);
		return;
	}
	for (i = 0; i < nv && i < SHOW_VALUES; i++)
		print_counts(p, mindl_audit_pop_value(p, f, i));
	if (nv > SHOW_VALUES)
		printf("      ... and %zu more values\n", nv - SHOW_VALUES);
}

static void
print_tests(unsigned tests)
{
	unsigned t;
	int k = 0;

	fputs(" [", stdout);
	for (t = 1; t <= MINDL_AUDIT_T_KS; t <<= 1)
		if (tests & t)
			printf("%s%s", k++ > 0 ? ", " : "",
			    mindl_audit_test_name(t));
	fputs("]", stdout);
}

static void
print_text(const struct report *rp)
{
	const struct mindl_audit_pop *p = rp->p;
	const struct mindl_audit_finfo *fi;
	const struct mindl_audit_diff *d;
	size_t f, g, i, j, k, ng = mindl_audit_pop_ngroups(p), nd;

	printf("%s population: %zu credential%s in %zu file%s", cli_progname(),
	    mindl_audit_pop_size(p, SIZE_MAX),
	    mindl_audit_pop_size(p, SIZE_MAX) == 1 ? "" : "s", rp->files,
	    rp->files == 1 ? "" : "s");
	if (rp->sk.n > 0)
		printf(" (%zu file%s left out: unparsable)", rp->sk.n,
		    rp->sk.n == 1 ? "" : "s");
	fputc('\n', stdout);
	if (ng > 1) {
		fputs("groups:", stdout);
		for (g = 0, k = 0; g < ng; g++)
			if (g > 0 || mindl_audit_pop_size(p, 0) > 0)
				printf("%s %s %zu", k++ > 0 ? "," : "",
				    gname(p, g), mindl_audit_pop_size(p, g));
		fputc('\n', stdout);
	}
	fputs("\nV: seen by every verifier in every presentation (MSO, "
	    "issuerAuth)\n"
	    "D: seen in every disclosed item, whatever its value\n"
	    "H: holder side, record content: seen only with the whole "
	    "credential or\n"
	    "   through the values a holder discloses; reported, never "
	    "counted\n\n", stdout);
	for (f = 0; f < MINDL_AF_COUNT; f++)
		print_feature(p, f);

	fputs("\nvarying:", stdout);
	for (f = 0, k = 0; f < MINDL_AF_COUNT; f++)
		if (mindl_audit_pop_nvalues(p, f) > 1) {
			fi = mindl_audit_feature_info(f);
			printf("%s %c %s", k++ > 0 ? "," : "",
			    vis_letter(fi->vis), fi->name);
		}
	printf("%s\n", k == 0 ? " none" : "");
	if (rp->ncmps == 0)
		return;

	for (i = 0; i < rp->ncmps; i++) {
		const struct cmp *c = &rp->cmps[i];

		printf("\n%s vs %s:", gname(p, c->a), gname(p, c->b));
		if (!c->compared) {
			printf(" not compared (a group has no credentials)\n");
			continue;
		}
		fputc('\n', stdout);
		for (g = 0; g < 2; g++) {
			size_t s = mindl_audit_pop_size(p, g ? c->b : c->a);

			if (s < SMALL_GROUP)
				printf("  note: %s has %zu credential%s: the "
				    "tests have little power below %d\n",
				    gname(p, g ? c->b : c->a), s,
				    s == 1 ? "" : "s", SMALL_GROUP);
		}
		for (j = 0, nd = 0; j < c->n; j++) {
			d = &c->d[j];
			fi = mindl_audit_feature_info(d->feature);
			if (!fi->counted)
				continue;
			nd++;
			printf("  distinguishing: %c %s (%s)", vis_letter(fi->vis),
			    fi->title, fi->name);
			print_tests(d->tests);
			printf("\n    %s\n", d->evidence);
		}
		if (nd == 0)
			printf("  no V or D feature tells them apart\n");
		for (j = 0; j < c->n; j++) {
			d = &c->d[j];
			fi = mindl_audit_feature_info(d->feature);
			if (fi->counted)
				continue;
			printf("  holder-side difference (not counted): %c %s "
			    "(%s)", vis_letter(fi->vis), fi->title, fi->name);
			print_tests(d->tests);
			printf("\n    %s\n", d->evidence);
		}
	}
	fputc('\n', stdout);
	if (!rp->all_compared)
		printf("not every pair of groups could be compared\n");
	if (rp->ndist == 0)
		printf("0 distinguishing features\n");
	else {
		printf("%zu distinguishing feature%s:", rp->ndist,
		    rp->ndist == 1 ? "" : "s");
		for (f = 0, k = 0; f < MINDL_AF_COUNT; f++)
			if (rp->dist[f])
				printf("%s %s", k++ > 0 ? "," : "",
				    mindl_audit_feature_info(f)->name);
		fputc('\n', stdout);
	}
}

static void
json_diff(struct jw *w, const struct mindl_audit_diff *d)
{
	const struct mindl_audit_finfo *fi = mindl_audit_feature_info(
	    d->feature);
	unsigned t;

	jw_obj(w);
	jw_key(w, "feature");
	jw_str(w, fi->name);
	jw_key(w, "title");
	jw_str(w, fi->title);
	jw_key(w, "visibility");
	jw_str(w, mindl_audit_vis_name(fi->vis));
	jw_key(w, "tests");
	jw_arr(w);
	for (t = 1; t <= MINDL_AUDIT_T_KS; t <<= 1)
		if (d->tests & t)
			jw_str(w, mindl_audit_test_name(t));
	jw_end_arr(w);
	jw_key(w, "evidence");
	jw_str(w, d->evidence);
	jw_key(w, "tv");
	jw_double(w, d->tv);
	jw_key(w, "tv_threshold");
	jw_double(w, d->tv_threshold);
	if (fi->numeric) {
		jw_key(w, "ks");
		jw_double(w, d->ks);
		jw_key(w, "ks_threshold");
		jw_double(w, d->ks_threshold);
	}
	jw_end_obj(w);
}

static void
json_feature(struct jw *w, const struct mindl_audit_pop *p, size_t f)
{
	const struct mindl_audit_finfo *fi = mindl_audit_feature_info(f);
	const struct mindl_audit_value *v;
	struct mindl_audit_range r;
	size_t nv = mindl_audit_pop_nvalues(p, f), i, g;

	jw_obj(w);
	jw_key(w, "name");
	jw_str(w, fi->name);
	jw_key(w, "title");
	jw_str(w, fi->title);
	jw_key(w, "kind");
	jw_str(w, fi->numeric ? "numeric" : "categorical");
	jw_key(w, "visibility");
	jw_str(w, mindl_audit_vis_name(fi->vis));
	jw_key(w, "counted");
	jw_bool(w, fi->counted);
	jw_key(w, "distinct");
	jw_uint(w, nv);
	if (fi->numeric) {
		mindl_audit_pop_range(p, f, SIZE_MAX, &r);
		jw_key(w, "min");
		if (r.n > 0)
			jw_int(w, r.min);
		else
			jw_null(w);
		jw_key(w, "max");
		if (r.n > 0)
			jw_int(w, r.max);
		else
			jw_null(w);
		jw_key(w, "absent");
		jw_uint(w, r.absent);
		jw_key(w, "group_ranges");
		jw_obj(w);
		for (g = 1; g < mindl_audit_pop_ngroups(p); g++) {
			mindl_audit_pop_range(p, f, g, &r);
			jw_key(w, gname(p, g));
			jw_obj(w);
			jw_key(w, "n");
			jw_uint(w, r.n);
			jw_key(w, "min");
			if (r.n > 0)
				jw_int(w, r.min);
			else
				jw_null(w);
			jw_key(w, "max");
			if (r.n > 0)
				jw_int(w, r.max);
			else
				jw_null(w);
			jw_key(w, "distinct");
			jw_uint(w, r.distinct);
			jw_end_obj(w);
		}
		jw_end_obj(w);
	}
	jw_key(w, "values");
	jw_arr(w);
	for (i = 0; i < nv && i < JSON_VALUES; i++) {
		v = mindl_audit_pop_value(p, f, i);
		jw_obj(w);
		jw_key(w, "value");
		jw_str(w, v->value);
		jw_key(w, "count");
		jw_uint(w, v->total);
		if (mindl_audit_pop_ngroups(p) > 1) {
			jw_key(w, "groups");
			jw_obj(w);
			for (g = 1; g < mindl_audit_pop_ngroups(p); g++) {
				jw_key(w, gname(p, g));
				jw_uint(w, v->count[g]);
			}
			jw_end_obj(w);
		}
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "values_omitted");
	jw_uint(w, nv > JSON_VALUES ? nv - JSON_VALUES : 0);
	jw_end_obj(w);
}

static void
print_json(const struct report *rp, int ok, const char *reason)
{
	const struct mindl_audit_pop *p = rp->p;
	struct jw w;
	size_t f, g, i, j;

	jw_init(&w, stdout);
	jw_obj(&w);
	/* ok is the exit status: 0 is true, 1 (a file left out, or the
	 * expectation failed) false, with the reason. */
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
	jw_uint(&w, rp->files);
	jw_key(&w, "credentials");
	jw_uint(&w, mindl_audit_pop_size(p, SIZE_MAX));
	jw_skipped(&w, &rp->sk);
	jw_key(&w, "groups");
	jw_arr(&w);
	for (g = 0; g < mindl_audit_pop_ngroups(p); g++) {
		if (g == 0 && mindl_audit_pop_size(p, 0) == 0)
			continue;
		jw_obj(&w);
		jw_key(&w, "name");
		jw_str(&w, mindl_audit_pop_group_name(p, g));
		jw_key(&w, "credentials");
		jw_uint(&w, mindl_audit_pop_size(p, g));
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_key(&w, "features");
	jw_arr(&w);
	for (f = 0; f < MINDL_AF_COUNT; f++)
		json_feature(&w, p, f);
	jw_end_arr(&w);
	jw_key(&w, "comparisons");
	jw_arr(&w);
	for (i = 0; i < rp->ncmps; i++) {
		const struct cmp *c = &rp->cmps[i];

		jw_obj(&w);
		jw_key(&w, "a");
		jw_str(&w, gname(p, c->a));
		jw_key(&w, "b");
		jw_str(&w, gname(p, c->b));
		jw_key(&w, "compared");
		jw_bool(&w, c->compared);
		jw_key(&w, "distinguishing");
		jw_arr(&w);
		for (j = 0; j < c->n; j++)
			if (mindl_audit_feature_info(c->d[j].feature)->counted)
				json_diff(&w, &c->d[j]);
		jw_end_arr(&w);
		jw_key(&w, "holder_side");
		jw_arr(&w);
		for (j = 0; j < c->n; j++)
			if (!mindl_audit_feature_info(c->d[j].feature)->counted)
				json_diff(&w, &c->d[j]);
		jw_end_arr(&w);
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_key(&w, "all_compared");
	jw_bool(&w, rp->all_compared);
	jw_key(&w, "distinguishing_features");
	jw_arr(&w);
	for (f = 0; f < MINDL_AF_COUNT; f++)
		if (rp->dist[f])
			jw_str(&w, mindl_audit_feature_info(f)->name);
	jw_end_arr(&w);
	jw_key(&w, "distinguishing_count");
	jw_uint(&w, rp->ndist);
	jw_end_obj(&w);
	jw_done(&w);
}

/* "NAME=DIR" -> group index and the DIR part. */
static int
parse_group(struct mindl_audit_pop *p, const char *spec, const char **dir,
    size_t *g)
{
	const char *eq = strchr(spec, '=');
	char name[65];
	size_t n;

	if (eq == NULL || eq == spec || eq[1] == '\0' ||
	    (n = (size_t)(eq - spec)) >= sizeof(name)) {
		return cli_usage_error("population", "--group: want NAME=DIR "
		    "(NAME 1 to 64 characters)");
	}
	memcpy(name, spec, n);
	name[n] = '\0';
	if (mindl_audit_pop_group(p, name, g) != MINDL_OK) {
		return cli_usage_error("population", "--group: at most %d "
		    "groups", MINDL_AUDIT_MAX_GROUPS);
	}
	*dir = eq + 1;
	return 0;
}

static int
audit_files(struct report *rp, const struct flist *fl)
{
	uint8_t *buf = NULL;
	size_t len = 0, i;
	int r;

	for (i = 0; i < fl->n; i++) {
		r = read_input(fl->path[i], &buf, &len);
		if (r == MINDL_ERR_TOO_LARGE) {
			skip_file(&rp->sk, fl->path[i], r);
			continue;
		}
		if (r != MINDL_OK) {
			cli_warn(fl->path[i], "%s (%s)", mindl_strerr(r),
			    mindl_errname(r));
			return 3;
		}
		r = mindl_audit_pop_add(rp->p, fl->group[i], buf, len);
		mindl_freezero(buf, len);
		buf = NULL;
		if (r == MINDL_ERR_NOMEM) {
			cli_warn(fl->path[i], "out of memory");
			return 3;
		}
		if (r != MINDL_OK) {
			skip_file(&rp->sk, fl->path[i], r);
			continue;
		}
		rp->files++;
	}
	return 0;
}

static int
compare_groups(struct report *rp)
{
	size_t ng = mindl_audit_pop_ngroups(rp->p), a, b, j, k = 0;
	struct cmp *c;
	int r;

	rp->all_compared = 1;
	if (ng < 3)
		return 0;
	rp->ncmps = (ng - 1) * (ng - 2) / 2;
	if ((rp->cmps = calloc(rp->ncmps, sizeof(*rp->cmps))) == NULL)
		return 3;
	for (a = 1; a < ng; a++)
		for (b = a + 1; b < ng; b++) {
			c = &rp->cmps[k++];
			c->a = a;
			c->b = b;
			if (mindl_audit_pop_size(rp->p, a) == 0 ||
			    mindl_audit_pop_size(rp->p, b) == 0) {
				rp->all_compared = 0;
				continue;
			}
			if ((r = mindl_audit_pop_compare(rp->p, a, b, &c->d,
			    &c->n)) != MINDL_OK) {
				cli_warn("compare", "%s", mindl_strerr(r));
				return 3;
			}
			c->compared = 1;
			for (j = 0; j < c->n; j++)
				if (mindl_audit_feature_info(
				    c->d[j].feature)->counted)
					rp->dist[c->d[j].feature] = 1;
		}
	for (j = 0; j < MINDL_AF_COUNT; j++)
		rp->ndist += rp->dist[j] != 0;
	return 0;
}

const struct cli_opt population_opts[O_POP_N] = {
	[O_POP_GROUP] = { "group", 0, CLI_ARG | CLI_MANY, "NAME=DIR",
	    "a named group of credentials or responses to compare" },
	[O_POP_EXPECT] = { "expect-indistinguishable", 0, 0, NULL,
	    "exit 1 unless no verifier-visible feature tells groups apart" },
};

int
cmd_population(const struct cli_args *a)
{
	struct report rp;
	struct flist fl;
	const char *dir = NULL, *groups[CLI_MAX_LIST];
	size_t g, i, ngroups;
	int json = a->json, expect = cli_has(a, O_POP_EXPECT), rc = 0;

	memset(&rp, 0, sizeof(rp));
	memset(&fl, 0, sizeof(fl));
	if (mindl_audit_pop_new(&rp.p) != MINDL_OK) {
		cli_warn(NULL, "out of memory");
		return 3;
	}
	ngroups = cli_list(a, O_POP_GROUP, groups, CLI_MAX_LIST);
	for (i = 0; i < ngroups; i++)
		if ((rc = parse_group(rp.p, groups[i], &dir, &g)) != 0 ||
		    (rc = flist_add(&fl, dir, g)) != 0)
			goto out;
	for (i = 0; i < (size_t)a->npos; i++)
		if ((rc = flist_add(&fl, a->pos[i], 0)) != 0)
			goto out;
	if (fl.n == 0) {
		rc = cli_usage_error("population", "no input files");
		goto out;
	}
	if ((rc = audit_files(&rp, &fl)) != 0)
		goto out;
	if (mindl_audit_pop_finish(rp.p) != MINDL_OK ||
	    (rc = compare_groups(&rp)) != 0) {
		rc = 3;
		goto out;
	}
	/* 1: a file was left out, or the expectation failed. */
	if (rp.sk.n > 0 || (expect && (rp.ndist > 0 || !rp.all_compared ||
	    rp.ncmps == 0)))
		rc = 1;
	if (json)
		print_json(&rp, rc == 0, rp.sk.n > 0 ? "files were left out" :
		    rc != 0 ? "told apart, or not every group compared "
		    "(--expect-indistinguishable)" : NULL);
	else
		print_text(&rp);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_warn("stdout", "write error");
		rc = 3;
		goto out;
	}
 out:
	for (i = 0; i < rp.ncmps; i++)
		free(rp.cmps[i].d);
	free(rp.cmps);
	mindl_audit_pop_free(&rp.p);
	flist_free(&fl);
	return rc;
}
