/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: a disclosed value against the element table (mindl/schema.h).
 *
 * A digest proves that the issuer signed these bytes, not that they mean
 * what a verifier assumes: a trusted issuer's age_over_21 of "yes", or of
 * the text "false", passes every digest, and a script that tests
 * truthiness reads the second as true.  So the verifier holds every
 * value it reports to the CBOR type the element table gives it, in the
 * forms ISO 18013-5 clause 7.2.1 defines, and refuses the rest.
 */
#include <string.h>

#include "mindl/cbor.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/jpeg.h"
#include "mindl/schema.h"
#include "internal.h"

#define TAG_TDATE	0	/* RFC 8949 date/time string */
#define TAG_FULLDATE	1004	/* RFC 8943 full-date */

static int
bad(const char *id, const char *why)
{
	mindl_log_debug("value of %s: %s", id, why);
	return MINDL_ERR_VALUE_TYPE;
}

/* #6.1004("YYYY-MM-DD"), or with tdate also #6.0(date-time). */
static int
check_date(const char *id, const struct mindl_cbor_item *v, int tdate)
{
	const struct mindl_cbor_item *t;
	int64_t x;

	if ((t = mindl_cbor_untag(v, TAG_FULLDATE)) != NULL) {
		if (t->type != MINDL_CBOR_TSTR || mindl_fulldate_parse(
		    (const char *)t->ptr, t->len, &x) != MINDL_OK)
			return bad(id, "full-date not YYYY-MM-DD");
		return MINDL_OK;
	}
	if (tdate && (t = mindl_cbor_untag(v, TAG_TDATE)) != NULL) {
		if (t->type != MINDL_CBOR_TSTR || mindl_tdate_parse(
		    (const char *)t->ptr, t->len, &x) != MINDL_OK)
			return bad(id, "tdate not a date-time");
		return MINDL_OK;
	}
	return bad(id, tdate ? "not a full-date or tdate" : "not a full-date");
}

/*
 * ISO 18013-5 7.2.4, closed maps:
 * DrivingPrivilege = {"vehicle_category_code": tstr, ? "issue_date":
 * full-date, ? "expiry_date": full-date, ? "codes": [+ Code]}
 * Code = {"code": tstr, ? "sign": tstr, ? "value": tstr}
 */
static int
check_code(const char *id, const struct mindl_cbor_item *c)
{
	const struct mindl_cbor_item *k, *v;
	struct mindl_cbor_iter it;
	int has_code = 0;

	if (mindl_cbor_iter_init(&it, c, MINDL_CBOR_MAP) != MINDL_OK)
		return bad(id, "a code is not a map");
	while (mindl_cbor_iter_pair(&it, &k, &v)) {
		if (mindl_cbor_is_str(k, "code"))
			has_code = 1;
		else if (!mindl_cbor_is_str(k, "sign") &&
		    !mindl_cbor_is_str(k, "value"))
			return bad(id, "a code has an unknown key");
		if (v->type != MINDL_CBOR_TSTR)
			return bad(id, "a code's entry is not a tstr");
	}
	return has_code ? MINDL_OK : bad(id, "a code without \"code\"");
}

static int
check_privilege(const char *id, const struct mindl_cbor_item *p)
{
	const struct mindl_cbor_item *k, *v, *c;
	struct mindl_cbor_iter it, ci;
	int has_vcc = 0, r;

	if (mindl_cbor_iter_init(&it, p, MINDL_CBOR_MAP) != MINDL_OK)
		return bad(id, "a privilege is not a map");
	while (mindl_cbor_iter_pair(&it, &k, &v)) {
		if (mindl_cbor_is_str(k, "vehicle_category_code")) {
			if (v->type != MINDL_CBOR_TSTR)
				return bad(id, "category not a tstr");
			has_vcc = 1;
		} else if (mindl_cbor_is_str(k, "issue_date") ||
		    mindl_cbor_is_str(k, "expiry_date")) {
			if ((r = check_date(id, v, 0)) != MINDL_OK)
				return r;
		} else if (mindl_cbor_is_str(k, "codes")) {
			if (mindl_cbor_iter_init(&ci, v, MINDL_CBOR_ARRAY) !=
			    MINDL_OK || v->u == 0)
				return bad(id, "codes not a non-empty array");
			while ((c = mindl_cbor_iter_next(&ci)) != NULL)
				if ((r = check_code(id, c)) != MINDL_OK)
					return r;
		} else
			return bad(id, "a privilege has an unknown key");
	}
	return has_vcc ? MINDL_OK : bad(id, "no vehicle_category_code");
}

static int
check_privileges(const char *id, const struct mindl_cbor_item *v)
{
	const struct mindl_cbor_item *p;
	struct mindl_cbor_iter it;
	int r;

	if (mindl_cbor_iter_init(&it, v, MINDL_CBOR_ARRAY) != MINDL_OK)
		return bad(id, "not an array");
	while ((p = mindl_cbor_iter_next(&it)) != NULL)
		if ((r = check_privilege(id, p)) != MINDL_OK)
			return r;
	return MINDL_OK;
}

/* age_over_NN in the ISO namespace: a bool, whatever the policy's set. */
static int
is_age_over(const char *ns, const char *id)
{
	size_t n = strlen(AGE_OVER_PREFIX);

	return strcmp(ns, MINDL_NS_ISO) == 0 &&
	    strncmp(id, AGE_OVER_PREFIX, n) == 0 &&
	    mindl_is_digit((unsigned char)id[n]) &&
	    mindl_is_digit((unsigned char)id[n + 1]) && id[n + 2] == '\0';
}

int
mindl_schema_check_value(const struct mindl_schema *s, const char *ns,
    const char *id, const struct mindl_cbor_item *v)
{
	const struct schema_elem *el;
	struct mindl_jpeg_fault f;
	enum mindl_etype type;

	if (s == NULL || ns == NULL || id == NULL || v == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((el = schema_find(s, ns, id)) != NULL)
		type = el->type;
	else if (is_age_over(ns, id))
		type = MINDL_ET_BOOL;
	else
		return MINDL_OK;	/* not ours to judge */
	switch (type) {
	case MINDL_ET_TSTR:
		return v->type == MINDL_CBOR_TSTR ? MINDL_OK :
		    bad(id, "not a tstr");
	case MINDL_ET_UINT:
		return v->type == MINDL_CBOR_UINT ? MINDL_OK :
		    bad(id, "not a uint");
	case MINDL_ET_BOOL:
		return v->type == MINDL_CBOR_TRUE ||
		    v->type == MINDL_CBOR_FALSE ? MINDL_OK :
		    bad(id, "not a bool");
	case MINDL_ET_FULLDATE:
		return check_date(id, v, el != NULL && el->accepts_tdate);
	case MINDL_ET_PRIVILEGES:
		return check_privileges(id, v);
	case MINDL_ET_BSTR:
		/* The portrait: the issuer's rule, applied on receipt. */
		if (v->type != MINDL_CBOR_BSTR)
			return bad(id, "not a bstr");
		if (mindl_jpeg_check(v->ptr, v->len, &f) != MINDL_OK) {
			mindl_log_debug("value of %s: byte %zu: %s", id, f.at,
			    f.why);
			return MINDL_ERR_PORTRAIT;
		}
		return MINDL_OK;
	}
	return MINDL_ERR_INTERNAL;
}
