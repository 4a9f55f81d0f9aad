/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the purpose verdict (mindl_purpose_judge in mindl/mdoc.h).
 *
 * Verification says the credential is genuine; the purpose says whether
 * it answers the verifier's question.  A bartender's tool that reads only
 * "VALID" admits an under-21 holder whose signed age_over_21 is false, so
 * the decision is made here, once, from the profile's rule, and the tools
 * print it first.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mindl/cbor.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "mindl/mso.h"
#include "mindl/schema.h"
#include "internal.h"

#define TAG_TDATE	0
#define TAG_FULLDATE	1004

/* The disclosed value of ns/id, if it was disclosed. */
static const struct mindl_cbor_item *
disclosed(const struct mindl_verified *v, const char *ns, const char *id)
{
	const struct mindl_disclosed *d;
	size_t i;

	for (i = 0; i < mindl_verified_count(v); i++) {
		d = mindl_verified_at(v, i);
		if (strcmp(d->ns, ns) == 0 && strcmp(d->id, id) == 0)
			return d->value;
	}
	return NULL;
}

/* A full-date or tdate value as a day number; -1 if it is neither. */
int
mindl_value_day(const struct mindl_cbor_item *it, int64_t *day)
{
	const struct mindl_cbor_item *t;
	int64_t x;

	if ((t = mindl_cbor_untag(it, TAG_FULLDATE)) != NULL &&
	    t->type == MINDL_CBOR_TSTR &&
	    mindl_fulldate_parse((const char *)t->ptr, t->len, &x) ==
	    MINDL_OK) {
		*day = x;
		return 0;
	}
	if ((t = mindl_cbor_untag(it, TAG_TDATE)) != NULL &&
	    t->type == MINDL_CBOR_TSTR &&
	    mindl_tdate_parse((const char *)t->ptr, t->len, &x) == MINDL_OK) {
		*day = x >= 0 ? x / MINDL_DAY : -((-x + MINDL_DAY - 1) /
		    MINDL_DAY);
		return 0;
	}
	return -1;
}

/* One driving_privileges entry in force on day `today`. */
static int
privilege_in_force(const struct mindl_cbor_item *pv, int64_t today)
{
	const struct mindl_cbor_item *vcc, *d;
	int64_t day;

	vcc = mindl_cbor_map_get(pv, "vehicle_category_code");
	if (vcc == NULL || vcc->type != MINDL_CBOR_TSTR || vcc->len == 0)
		return 0;
	if ((d = mindl_cbor_map_get(pv, "issue_date")) != NULL &&
	    (mindl_value_day(d, &day) != 0 || day > today))
		return 0;
	if ((d = mindl_cbor_map_get(pv, "expiry_date")) != NULL &&
	    (mindl_value_day(d, &day) != 0 || day < today))
		return 0;
	return 1;
}

static int fail(int *, char *, size_t, const char *, ...)
    __attribute__((format(printf, 4, 5)));

/* The rule failed: *met = 0 and why says how. */
static int
fail(int *met, char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	*met = 0;
	if (why != NULL && why_len > 0) {
		va_start(ap, fmt);
		(void)vsnprintf(why, why_len, fmt, ap);
		va_end(ap);
	}
	return MINDL_OK;
}

int
mindl_purpose_judge(const struct mindl_profile *p,
    const struct mindl_verified *v, int64_t at, int *met, char *why,
    size_t why_len)
{
	const struct mindl_cbor_item *it, *pv;
	struct mindl_cbor_iter iter;
	char d1[MINDL_FULLDATE_LEN + 1], d2[MINDL_FULLDATE_LEN + 1];
	int64_t today, day;
	size_t i, k;

	if (why != NULL && why_len > 0)
		why[0] = '\0';
	if (p == NULL || v == NULL || met == NULL || p->question == NULL)
		return MINDL_ERR_INVALID_ARG;
	*met = 1;
	today = at >= 0 ? at / MINDL_DAY : -((-at + MINDL_DAY - 1) /
	    MINDL_DAY);
	for (i = 0; i < p->n_true; i++) {
		k = p->true_idx[i];
		if ((it = disclosed(v, p->ns[k], p->ids[k])) == NULL)
			return fail(met, why, why_len, "%s not disclosed",
			    p->ids[k]);
		if (it->type != MINDL_CBOR_TRUE)
			return fail(met, why, why_len, "%s is false",
			    p->ids[k]);
	}
	if (p->not_expired) {
		it = disclosed(v, MINDL_NS_ISO, "expiry_date");
		if (it == NULL || mindl_value_day(it, &day) != 0)
			return fail(met, why, why_len, "expiry_date not "
			    "disclosed");
		if (day < today) {
			if (mindl_fulldate_format(day, d1) != MINDL_OK ||
			    mindl_fulldate_format(today, d2) != MINDL_OK)
				return MINDL_ERR_DATE;
			return fail(met, why, why_len, "the licence expired "
			    "on %s (today is %s)", d1, d2);
		}
	}
	if (p->privileges) {
		it = disclosed(v, MINDL_NS_ISO, "driving_privileges");
		if (mindl_cbor_iter_init(&iter, it, MINDL_CBOR_ARRAY) !=
		    MINDL_OK)
			return fail(met, why, why_len, "driving_privileges "
			    "not disclosed");
		while ((pv = mindl_cbor_iter_next(&iter)) != NULL)
			if (privilege_in_force(pv, today))
				return MINDL_OK;
		return fail(met, why, why_len, "no driving privilege in force "
		    "today");
	}
	return MINDL_OK;
}

int
mindl_purpose_describe(const struct mindl_profile *p, char *out, size_t len)
{
	struct mindl_buf b;
	const char *sep = "";
	size_t i;
	int r;

	if (p == NULL || p->question == NULL || out == NULL || len == 0)
		return MINDL_ERR_INVALID_ARG;
	mindl_buf_init(&b, 1024);
	mindl_buf_addstr(&b, "YES when ");
	for (i = 0; i < p->n_true; i++) {
		mindl_buf_addf(&b, "%s%s is true", sep, p->ids[p->true_idx[i]]);
		sep = ", ";
	}
	if (p->not_expired) {
		mindl_buf_addf(&b, "%sexpiry_date is today or later", sep);
		sep = ", ";
	}
	if (p->privileges)
		mindl_buf_addf(&b, "%sa driving privilege is in force today",
		    sep);
	if ((r = mindl_buf_err(&b)) == MINDL_OK)
		(void)snprintf(out, len, "%s", mindl_buf_str(&b));
	mindl_buf_clear(&b);
	return r;
}

/* 1 if is holds exactly p's elements. */
static int
holds_exactly(const struct mindl_issuer_signed *is,
    const struct mindl_profile *p)
{
	const struct mindl_issuer_item *ii;
	size_t i, n = mindl_issuer_signed_count(is);

	if (n != mindl_profile_count(p))
		return 0;
	/*
	 * mindl_issuer_signed_parse allows each identifier once in its
	 * namespace, so n allowed items are the profile's n elements.
	 */
	for (i = 0; i < n; i++) {
		ii = mindl_issuer_signed_item(is, i);
		if (!mindl_profile_allows(p, ii->ns_str, ii->element_str))
			return 0;
	}
	return 1;
}

const struct mindl_profile *
mindl_document_purpose(const struct mindl_schema *s,
    const struct mindl_document *d)
{
	const struct mindl_issuer_signed *is;
	size_t i;

	if (s == NULL || d == NULL ||
	    (is = mindl_document_issuer_signed(d)) == NULL)
		return NULL;
	for (i = 0; i < mindl_schema_profile_count(s); i++)
		if (holds_exactly(is, mindl_schema_profile_at(s, i)))
			return mindl_schema_profile_at(s, i);
	return NULL;
}
