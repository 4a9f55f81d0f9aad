/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the audit's population statistics (mindl/audit.h): each
 * feature's distribution over a population of documents, per group, and
 * the tests that tell two groups apart.  No libm: the few square roots
 * the tests need are computed here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/audit.h"
#include "mindl/err.h"
#include "internal.h"

static int
numeric(size_t f)
{
	return mindl_audit_feature_info(f)->numeric;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Own square root (no libm): Newton's method, exact enough here. */
/* The Kolmogorov-Smirnov coefficient c(alpha); see its use. */
#define KS_C	2.59

static double
dsqrt(double x)
{
	double r;
	int i;

	if (x <= 0)
		return 0;
	r = x > 1 ? x : 1;
	for (i = 0; i < 200; i++) {
		double nr = 0.5 * (r + x / r);

		if (nr == r)
			break;
		r = nr;
	}
	return r;
}

static double
dabs(double x)
{
	return x < 0 ? -x : x;
}

struct vtab {
	struct mindl_audit_value	*v;	/* values, insertion order */
	size_t				 n;
	size_t				 cap;
	size_t				*slot;	/* open addressing: index + 1 */
	size_t				 nslot;	/* power of two */
};

struct numarr {
	int64_t	*v;
	size_t	 n;
	size_t	 cap;
};

#define NGROUPS	(MINDL_AUDIT_MAX_GROUPS + 1)

struct mindl_audit_pop {
	size_t		 ngroups;
	char		*names[NGROUPS];
	size_t		 size[NGROUPS];
	size_t		 files;
	int		 finished;
	struct vtab	 tab[MINDL_AF_COUNT];
	struct numarr	 num[MINDL_AF_COUNT][NGROUPS];
};

int
mindl_audit_pop_new(struct mindl_audit_pop **out)
{
	*out = mindl_calloc(1, sizeof(**out));
	if (*out == NULL)
		return MINDL_ERR_NOMEM;
	(*out)->ngroups = 1;
	return MINDL_OK;
}

void
mindl_audit_pop_free(struct mindl_audit_pop **pp)
{
	struct mindl_audit_pop *p;
	size_t f, g, i;

	if (pp == NULL || (p = *pp) == NULL)
		return;
	for (f = 0; f < MINDL_AF_COUNT; f++) {
		for (i = 0; i < p->tab[f].n; i++)
			free((char *)(uintptr_t)p->tab[f].v[i].value);
		free(p->tab[f].v);
		free(p->tab[f].slot);
		for (g = 0; g < NGROUPS; g++)
			free(p->num[f][g].v);
	}
	for (g = 0; g < NGROUPS; g++)
		free(p->names[g]);
	free(p);
	*pp = NULL;
}

int
mindl_audit_pop_group(struct mindl_audit_pop *p, const char *name, size_t *g)
{
	char *s = NULL;
	size_t i;
	int r;

	if ((r = mindl_audit_escape((const uint8_t *)name, strlen(name) < 64 ?
	    strlen(name) : 64, &s)) != MINDL_OK)
		return r;
	for (i = 1; i < p->ngroups; i++)
		if (strcmp(p->names[i], s) == 0) {
			free(s);
			*g = i;
			return MINDL_OK;
		}
	if (p->ngroups == NGROUPS || p->finished) {
		free(s);
		return MINDL_ERR_INVALID_ARG;
	}
	p->names[p->ngroups] = s;
	*g = p->ngroups++;
	return MINDL_OK;
}

size_t
mindl_audit_pop_ngroups(const struct mindl_audit_pop *p)
{
	return p->ngroups;
}

const char *
mindl_audit_pop_group_name(const struct mindl_audit_pop *p, size_t g)
{
	return g < p->ngroups ? p->names[g] : NULL;
}

size_t
mindl_audit_pop_size(const struct mindl_audit_pop *p, size_t g)
{
	size_t i, n = 0;

	if (g != SIZE_MAX)
		return g < p->ngroups ? p->size[g] : 0;
	for (i = 0; i < p->ngroups; i++)
		n += p->size[i];
	return n;
}

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (*s != '\0') {
		h ^= (uint8_t)*s++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static int
vtab_grow(struct vtab *t)
{
	size_t *ns, nn, i, j;

	nn = t->nslot == 0 ? 64 : t->nslot * 2;
	if ((ns = mindl_calloc(nn, sizeof(*ns))) == NULL)
		return MINDL_ERR_NOMEM;
	for (i = 0; i < t->n; i++) {
		j = (size_t)fnv1a(t->v[i].value) & (nn - 1);
		while (ns[j] != 0)
			j = (j + 1) & (nn - 1);
		ns[j] = i + 1;
	}
	free(t->slot);
	t->slot = ns;
	t->nslot = nn;
	return MINDL_OK;
}

/* Counts value s (taken: owned by the table or freed) for group g. */
static int
vtab_count(struct vtab *t, char *s, int absent, int64_t num, size_t g)
{
	struct mindl_audit_value *nv;
	size_t j;
	int r;

	if (t->nslot == 0 || (t->n + 1) * 2 > t->nslot)
		if ((r = vtab_grow(t)) != MINDL_OK) {
			free(s);
			return r;
		}
	j = (size_t)fnv1a(s) & (t->nslot - 1);
	while (t->slot[j] != 0) {
		if (strcmp(t->v[t->slot[j] - 1].value, s) == 0) {
			t->v[t->slot[j] - 1].count[g]++;
			t->v[t->slot[j] - 1].total++;
			free(s);
			return MINDL_OK;
		}
		j = (j + 1) & (t->nslot - 1);
	}
	if (t->n == t->cap) {
		size_t nc = t->cap == 0 ? 16 : t->cap * 2;

		if ((nv = mindl_realloc(t->v, nc * sizeof(*nv))) == NULL) {
			free(s);
			return MINDL_ERR_NOMEM;
		}
		t->v = nv;
		t->cap = nc;
	}
	nv = &t->v[t->n];
	memset(nv, 0, sizeof(*nv));
	nv->value = s;
	nv->absent = absent;
	nv->num = num;
	nv->total = 1;
	nv->count[g] = 1;
	t->slot[j] = ++t->n;
	return MINDL_OK;
}

static int
num_push(struct numarr *a, int64_t v)
{
	int64_t *nv;

	if (a->n == a->cap) {
		size_t nc = a->cap == 0 ? 64 : a->cap * 2;

		if ((nv = mindl_realloc(a->v, nc * sizeof(*nv))) == NULL)
			return MINDL_ERR_NOMEM;
		a->v = nv;
		a->cap = nc;
	}
	a->v[a->n++] = v;
	return MINDL_OK;
}

static int
pop_add_fv(struct mindl_audit_pop *p, size_t g, struct mindl_audit_fv *fv)
{
	char tmp[32], *s;
	size_t f;
	int r;

	for (f = 0; f < MINDL_AF_COUNT; f++) {
		if (numeric(f)) {
			if (fv->present[f])
				(void)snprintf(tmp, sizeof(tmp), "%lld",
				    (long long)fv->num[f]);
			else
				(void)snprintf(tmp, sizeof(tmp), "absent");
			if ((s = mindl_malloc(strlen(tmp) + 1)) == NULL)
				return MINDL_ERR_NOMEM;
			memcpy(s, tmp, strlen(tmp) + 1);
			if ((r = vtab_count(&p->tab[f], s, !fv->present[f],
			    fv->num[f], g)) != MINDL_OK)
				return r;
			if (fv->present[f] && (r = num_push(&p->num[f][g],
			    fv->num[f])) != MINDL_OK)
				return r;
		} else {
			s = fv->cat[f];
			fv->cat[f] = NULL;
			if (s == NULL)
				return MINDL_ERR_INTERNAL;
			if ((r = vtab_count(&p->tab[f], s, 0, 0, g)) !=
			    MINDL_OK)
				return r;
		}
	}
	p->size[g]++;
	return MINDL_OK;
}

int
mindl_audit_pop_add(struct mindl_audit_pop *p, size_t g, const uint8_t *buf,
    size_t len)
{
	struct mindl_audit_fv *fv = NULL;
	size_t n = 0, i;
	int r;

	if (p->finished || g >= p->ngroups)
		return MINDL_ERR_INVALID_ARG;
	if (p->files == MINDL_AUDIT_MAX_FILES)
		return MINDL_ERR_TOO_LARGE;
	if ((r = mindl_audit_extract(buf, len, &fv, &n)) != MINDL_OK)
		return r;
	for (i = 0; i < n; i++)
		if ((r = pop_add_fv(p, g, &fv[i])) != MINDL_OK)
			break;
	mindl_audit_fv_free(&fv, n);
	if (r == MINDL_OK)
		p->files++;
	return r;
}

static int
cmp_val_cat(const void *a, const void *b)
{
	const struct mindl_audit_value *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	return strcmp(x->value, y->value);
}

static int
cmp_val_num(const void *a, const void *b)
{
	const struct mindl_audit_value *x = a, *y = b;

	if (x->absent != y->absent)
		return x->absent ? 1 : -1;
	return x->num < y->num ? -1 : x->num > y->num;
}

int
mindl_audit_pop_finish(struct mindl_audit_pop *p)
{
	size_t f, g;

	if (p->finished)
		return MINDL_OK;
	for (f = 0; f < MINDL_AF_COUNT; f++) {
		if (p->tab[f].n > 0)
			qsort(p->tab[f].v, p->tab[f].n, sizeof(*p->tab[f].v),
			    numeric(f) ? cmp_val_num : cmp_val_cat);
		free(p->tab[f].slot);
		p->tab[f].slot = NULL;
		p->tab[f].nslot = 0;
		for (g = 0; g < NGROUPS; g++)
			if (p->num[f][g].n > 0)
				qsort(p->num[f][g].v, p->num[f][g].n,
				    sizeof(int64_t), cmp_i64);
	}
	p->finished = 1;
	return MINDL_OK;
}

size_t
mindl_audit_pop_nvalues(const struct mindl_audit_pop *p, size_t f)
{
	return f < MINDL_AF_COUNT && p->finished ? p->tab[f].n : 0;
}

const struct mindl_audit_value *
mindl_audit_pop_value(const struct mindl_audit_pop *p, size_t f, size_t i)
{
	if (f >= MINDL_AF_COUNT || !p->finished || i >= p->tab[f].n)
		return NULL;
	return &p->tab[f].v[i];
}

void
mindl_audit_pop_range(const struct mindl_audit_pop *p, size_t f, size_t g,
    struct mindl_audit_range *r)
{
	const struct mindl_audit_value *v;
	size_t i, c;

	memset(r, 0, sizeof(*r));
	if (f >= MINDL_AF_COUNT || !numeric(f) || !p->finished)
		return;
	/* Values are sorted ascending, "absent" last. */
	for (i = 0; i < p->tab[f].n; i++) {
		v = &p->tab[f].v[i];
		c = g == SIZE_MAX ? v->total : g < NGROUPS ? v->count[g] : 0;
		if (c == 0)
			continue;
		if (v->absent) {
			r->absent += c;
			continue;
		}
		if (r->n == 0)
			r->min = v->num;
		r->max = v->num;
		r->n += c;
		r->distinct++;
	}
}

const char *
mindl_audit_test_name(unsigned test)
{
	switch (test) {
	case MINDL_AUDIT_T_EXCLUSIVE:
		return "exclusive-value";
	case MINDL_AUDIT_T_TV:
		return "total-variation";
	case MINDL_AUDIT_T_RANGE:
		return "range";
	case MINDL_AUDIT_T_KS:
		return "ks";
	}
	return "unknown";
}

static void
ev_add(struct mindl_audit_diff *df, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
ev_add(struct mindl_audit_diff *df, const char *fmt, ...)
{
	size_t used = strlen(df->evidence);
	va_list ap;

	if (used + 3 >= sizeof(df->evidence))
		return;
	if (used > 0) {
		memcpy(df->evidence + used, "; ", 3);
		used += 2;
	}
	va_start(ap, fmt);
	(void)vsnprintf(df->evidence + used, sizeof(df->evidence) - used, fmt,
	    ap);
	va_end(ap);
}

static const char *
gname(const struct mindl_audit_pop *p, size_t g)
{
	return p->names[g] != NULL ? p->names[g] : "(unlabelled)";
}

/*
 * EXCLUSIVE (see audit.h): the strongest value seen only in group x.
 * Returns 1 if the test fires, with the evidence added.
 */
static int
exclusive(const struct mindl_audit_pop *p, size_t f, size_t x, size_t y,
    size_t k, struct mindl_audit_diff *df)
{
	const struct vtab *t = &p->tab[f];
	const struct mindl_audit_value *best = NULL;
	double q, chance, bound = 0.001 / (double)(k > 0 ? k : 1);
	size_t nx = p->size[x], ny = p->size[y], need, i, c;

	need = (nx + 99) / 100;
	if (need < 5)
		need = 5;
	for (i = 0; i < t->n; i++)
		if (t->v[i].count[y] == 0 && t->v[i].count[x] >= need &&
		    (best == NULL || t->v[i].count[x] > best->count[x]))
			best = &t->v[i];
	if (best == NULL)
		return 0;
	/* Chance that all c draws land in x: (nx / (nx + ny))^c. */
	q = (double)nx / (double)(nx + ny);
	for (chance = 1, c = 0; c < best->count[x] && chance >= 1e-300; c++)
		chance *= q;
	if (chance >= bound)
		return 0;
	ev_add(df, "value \"%.80s%s\" occurs %zu times in %s (%.1f%%), "
	    "never in %s (chance %.1e < %.1e)", best->value,
	    strlen(best->value) > 80 ? "..." : "", best->count[x], gname(p, x),
	    100.0 * (double)best->count[x] / (double)nx, gname(p, y),
	    chance, bound);
	return 1;
}

static double
ks_stat(const struct numarr *a, const struct numarr *b)
{
	size_t i = 0, j = 0;
	double dd, dmax = 0;
	int64_t x;

	while (i < a->n && j < b->n) {
		x = a->v[i] <= b->v[j] ? a->v[i] : b->v[j];
		while (i < a->n && a->v[i] == x)
			i++;
		while (j < b->n && b->v[j] == x)
			j++;
		dd = dabs((double)i / (double)a->n - (double)j / (double)b->n);
		if (dd > dmax)
			dmax = dd;
	}
	return dmax;
}

static void
compare_feature(const struct mindl_audit_pop *p, size_t f, size_t ga,
    size_t gb, struct mindl_audit_diff *df)
{
	const struct vtab *t = &p->tab[f];
	const struct numarr *a = &p->num[f][ga], *b = &p->num[f][gb];
	double na = (double)p->size[ga], nb = (double)p->size[gb];
	double tv = 0, oa = 0, ob = 0, s;
	size_t i, k = 0, bins = 0, ca, cb;
	int other = 0;

	memset(df, 0, sizeof(*df));
	df->feature = f;
	for (i = 0; i < t->n; i++)
		k += t->v[i].count[ga] + t->v[i].count[gb] > 0;
	if (exclusive(p, f, ga, gb, k, df) | exclusive(p, f, gb, ga, k, df))
		df->tests |= MINDL_AUDIT_T_EXCLUSIVE;

	/* TV with rare values pooled into one bin. */
	for (i = 0; i < t->n; i++) {
		ca = t->v[i].count[ga];
		cb = t->v[i].count[gb];
		if (ca + cb == 0)
			continue;
		if (ca + cb < 5) {
			oa += (double)ca;
			ob += (double)cb;
			other = 1;
			continue;
		}
		bins++;
		tv += dabs((double)ca / na - (double)cb / nb);
	}
	if (other) {
		bins++;
		tv += dabs(oa / na - ob / nb);
	}
	tv /= 2;
	s = dsqrt(1 / na + 1 / nb);
	df->tv = tv;
	df->tv_threshold = bins >= 2 ? 3 * dsqrt((double)(bins - 1)) * s : 1;
	if (bins >= 2 && tv > df->tv_threshold) {
		df->tests |= MINDL_AUDIT_T_TV;
		ev_add(df, "total variation %.3f > %.3f (%zu bins)", tv,
		    df->tv_threshold, bins);
	}
	if (!numeric(f) || a->n == 0 || b->n == 0)
		return;
	if (a->n >= 10 && b->n >= 10 && (a->v[a->n - 1] < b->v[0] ||
	    b->v[b->n - 1] < a->v[0])) {
		df->tests |= MINDL_AUDIT_T_RANGE;
		ev_add(df, "ranges do not overlap: %s %lld..%lld, %s "
		    "%lld..%lld", gname(p, ga), (long long)a->v[0],
		    (long long)a->v[a->n - 1], gname(p, gb),
		    (long long)b->v[0], (long long)b->v[b->n - 1]);
	}
	df->ks = ks_stat(a, b);
	/*
	 * Every numeric feature is tested at once: at alpha = 0.001 each
	 * (1.95), an honest population of some 30 features was told apart
	 * about once in 30 runs.  The critical value is for a family-wise
	 * alpha of 0.0001 shared over MINDL_AF_COUNT features (Bonferroni):
	 * sqrt(-ln(alpha / 2) / 2) with alpha = 0.0001 / 35, 2.59.
	 */
	df->ks_threshold = KS_C * dsqrt(((double)a->n + (double)b->n) /
	    ((double)a->n * (double)b->n));
	if (df->ks > df->ks_threshold) {
		df->tests |= MINDL_AUDIT_T_KS;
		ev_add(df, "Kolmogorov-Smirnov D = %.3f > %.3f", df->ks,
		    df->ks_threshold);
	}
}

int
mindl_audit_pop_compare(const struct mindl_audit_pop *p, size_t ga,
    size_t gb, struct mindl_audit_diff **out, size_t *n)
{
	struct mindl_audit_diff *res, df;
	size_t f;

	*out = NULL;
	*n = 0;
	if (!p->finished || ga >= p->ngroups || gb >= p->ngroups || ga == gb)
		return MINDL_ERR_INVALID_ARG;
	if (p->size[ga] == 0 || p->size[gb] == 0)
		return MINDL_OK;
	if ((res = mindl_calloc(MINDL_AF_COUNT, sizeof(*res))) == NULL)
		return MINDL_ERR_NOMEM;
	for (f = 0; f < MINDL_AF_COUNT; f++) {
		compare_feature(p, f, ga, gb, &df);
		if (df.tests != 0)
			res[(*n)++] = df;
	}
	if (*n == 0) {
		free(res);
		res = NULL;
	}
	*out = res;
	return MINDL_OK;
}

