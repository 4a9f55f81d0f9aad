/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: DMV records validated against the schema and policy (see
 * mindl/schema.h and schemas/README.md).
 *
 * A record is one JSON object.  Elements of org.iso.18013.5.1 are its
 * top-level fields; elements of any other namespace of the schema are the
 * fields of a nested object named by that namespace, e.g.
 * {"family_name": ..., "org.iso.18013.5.1.aamva": {"organ_donor": 1}}.
 *
 * Checks, in this order, so that each refusal names the right rule:
 *   1. bad JSON -> MINDL_ERR_JSON ("line L column C: text");
 *   2. any field name anywhere in the record on the forbidden list ->
 *      MINDL_ERR_FORBIDDEN_ELEMENT (privacy rule 1; before the allowlist
 *      check, so that a lawful-status field is reported as such);
 *   3. a field not in the element tables -> MINDL_ERR_UNKNOWN_ELEMENT;
 *      a field the issuer computes -> MINDL_ERR_POLICY; a value of the
 *      wrong JSON type or length -> MINDL_ERR_JSON; a bad date ->
 *      MINDL_ERR_DATE; text outside its charset, a value outside the
 *      element's values, a privilege category, code or sign outside the
 *      tables -> MINDL_ERR_POLICY; a value the DMV chooses that the
 *      forbidden list catches -> MINDL_ERR_FORBIDDEN_VALUE;
 *   4. a required field absent -> MINDL_ERR_MISSING.
 * The portrait, from its own file, must pass mindl_jpeg_check
 * (MINDL_ERR_PORTRAIT).
 * Then the derived elements are added (privacy rule 2: the same set, by
 * the same rule, for everyone).  errbuf always names the field.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mindl/cbor.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/jpeg.h"
#include "mindl/key.h"
#include "mindl/schema.h"
#include "internal.h"

#define TAG_FULLDATE		1004	/* RFC 8943 full-date */
#define MAX_PRIVILEGES		16
#define MAX_CODES		16
#define MAX_CATEGORY		8	/* vehicle_category_code characters */
#define MAX_CODE		16
#define MAX_SIGN		8
#define MAX_CODE_VALUE		32
#define MAX_PORTRAIT		MINDL_MAX_STRING

struct mindl_record {
	struct mindl_element	*elems;		/* sorted by (ns, id) */
	size_t			 n;
	int64_t			 issue_day;
	int64_t			 expiry_day;
	char			*docnum;	/* document_number */
};

struct slot {
	uint8_t	*v;	/* CBOR of the element value, or NULL */
	size_t	 len;
};

struct rctx {
	const struct mindl_schema	*s;
	struct schema_errbuf		 eb;
	struct slot			*slots;	/* one per schema element */
	uint8_t				*seen;	/* in the record, even if bad */
	int64_t				 issue_day;	/* the licence's */
	int64_t				 expiry_day;
	int64_t				 age_day;	/* age_over_NN on it */
	int64_t				 birth_day;
	int				 has_birth;
};

/* "name" or "name (in namespace)" for messages, escaped. */
static void
field_name(char *out, size_t outlen, const char *ns, const char *id)
{
	char a[SCHEMA_SAFE_NAME], b[SCHEMA_SAFE_NAME];

	schema_safe_name(a, id);
	if (ns == NULL || strcmp(ns, MINDL_NS_ISO) == 0)
		snprintf(out, outlen, "%s", a);
	else {
		schema_safe_name(b, ns);
		snprintf(out, outlen, "%s (in %s)", a, b);
	}
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * Age in whole years on day `on` of someone born on day `birth`.  A
 * birthday on Feb 29 falls on Mar 1 in non-leap years (the holder is not
 * a year older until Feb 28 has passed), as US jurisdictions count it for
 * age-restricted sales.
 */
static int64_t
age_on(int64_t birth, int64_t on)
{
	int64_t by, y, age;
	unsigned bm, bd, m, d;

	mindl_civil_from_days(birth, &by, &bm, &bd);
	mindl_civil_from_days(on, &y, &m, &d);
	if (bm == 2 && bd == 29 && !is_leap(y)) {
		bm = 3;
		bd = 1;
	}
	age = y - by;
	if (m < bm || (m == bm && d < bd))
		age--;
	return age;
}

/* Code points of valid UTF-8 (jansson has validated it). */
static size_t
utf8_chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/* Text of 1..max characters without control characters. */
static int
check_text(struct rctx *c, const char *what, json_t *v, size_t max,
    const char **out, size_t *outlen)
{
	const char *s;
	size_t i, n;

	if (!json_is_string(v)) {
		mindl_log_debug("%s: %s: not a string", __func__, what);
		schema_err(&c->eb, "%s: expected a JSON string", what);
		return MINDL_ERR_JSON;
	}
	s = json_string_value(v);
	n = json_string_length(v);
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			break;
	if (n == 0 || i < n || utf8_chars(s, n) > max) {
		mindl_log_debug("%s: %s: bad text", __func__, what);
		schema_err(&c->eb, "%s: expected text of 1 to %zu characters "
		    "without control characters", what, max);
		return MINDL_ERR_JSON;
	}
	*out = s;
	*outlen = n;
	return MINDL_OK;
}

static const char *const charset_desc[] = {
	[CS_TEXT] = "printable text",
	[CS_NAME] = "letters, spaces and the marks ' - . ,",
	[CS_ADDRESS] = "letters, digits, spaces and the marks ' - . , # /",
	[CS_ID] = "A-Z a-z 0-9, spaces and -",
	[CS_CODE] = "A-Z and 0-9",
};

/* Whether ASCII character ch belongs to charset cs. */
static int
charset_ascii(enum schema_charset cs, int ch)
{
	int letter = mindl_is_alpha(ch), digit = mindl_is_digit(ch);

	if (ch == '\0')
		return 0;	/* strchr would find the terminator */
	switch (cs) {
	case CS_TEXT:
		return 1;
	case CS_NAME:
		return letter || strchr(" '-.,", ch) != NULL;
	case CS_ADDRESS:
		return letter || digit || strchr(" '-.,#/", ch) != NULL;
	case CS_ID:
		return letter || digit || ch == ' ' || ch == '-';
	case CS_CODE:
		return mindl_is_upper(ch) || digit;
	}
	return 0;
}

/*
 * Text already free of C0 controls (check_text) against a charset
 * (schemas/README.md).  Beyond ASCII, only NAME, ADDRESS and TEXT take
 * code points, and none that the text escaper would escape (bidi and
 * format characters, C1, private use): a value must read the same on
 * every verifier's screen.  No leading or trailing space.
 */
static int
check_charset(struct rctx *c, const char *what, enum schema_charset cs,
    const char *s, size_t n)
{
	const uint8_t *p = (const uint8_t *)s;
	uint32_t cp;
	size_t i, k;

	for (i = 0; i < n; i += k) {
		if ((k = mindl_utf8_len(p + i, n - i, &cp)) == 0)
			break;
		if (cp < 0x80 ? !charset_ascii(cs, (int)cp) :
		    (cs == CS_ID || cs == CS_CODE ||
		    mindl_text_cp_unsafe(cp)))
			break;
	}
	if (i == n && n > 0 && s[0] != ' ' && s[n - 1] != ' ')
		return MINDL_OK;
	if (i == n)		/* the space at the start or the end */
		i = s[0] == ' ' ? 0 : n - 1;
	mindl_log_debug("%s: %s: charset at byte %zu", __func__, what, i);
	schema_err(&c->eb, "%s: character %zu is not allowed: this field "
	    "takes only %s (no space at either end)", what,
	    utf8_chars(s, i) + 1, charset_desc[cs]);
	return MINDL_ERR_POLICY;
}

/*
 * Values the DMV chooses (numbers, codes, notes) against the forbidden
 * list, as field names are: "LIMITED TERM", "NOT FOR FEDERAL" or a code
 * value of "TPS" would tell every verifier shown the field what the
 * element names cannot.  Names and addresses are the holder's own words
 * and are not held to it (nobody is refused a licence for living on
 * Citizen Street).
 */
static int
check_value_forbidden(struct rctx *c, const char *what, const char *s)
{
	if (!schema_value_forbidden(c->s, s))
		return MINDL_OK;
	mindl_log_debug("%s: %s: forbidden value", __func__, what);
	schema_err(&c->eb, "%s: the value matches the forbidden list (a "
	    "lawful-status marker, DESIGN.md section 4 rule 1); it cannot be "
	    "issued", what);
	return MINDL_ERR_FORBIDDEN_VALUE;
}

static int
check_fulldate(struct rctx *c, const char *what, json_t *v, int64_t *days)
{
	if (!json_is_string(v)) {
		mindl_log_debug("%s: %s: not a string", __func__, what);
		schema_err(&c->eb, "%s: expected a full-date string "
		    "\"YYYY-MM-DD\"", what);
		return MINDL_ERR_JSON;
	}
	if (mindl_fulldate_parse(json_string_value(v), json_string_length(v),
	    days) != MINDL_OK) {
		mindl_log_debug("%s: %s: bad date", __func__, what);
		schema_err(&c->eb, "%s: not a calendar date of the form "
		    "YYYY-MM-DD", what);
		return MINDL_ERR_DATE;
	}
	return MINDL_OK;
}

/* #6.1004("YYYY-MM-DD") */
static int
enc_fulldate(struct mindl_enc *e, int64_t days)
{
	char buf[MINDL_FULLDATE_LEN + 1];

	if (mindl_fulldate_format(days, buf) != MINDL_OK) {
		mindl_log_debug("%s: mindl_fulldate_format", __func__);
		return MINDL_ERR_DATE;
	}
	mindl_enc_tag(e, TAG_FULLDATE);
	mindl_enc_tstrn(e, buf, MINDL_FULLDATE_LEN);
	return MINDL_OK;
}

/*
 * One driving_privileges entry (ISO 18013-5 7.2.4):
 * {"vehicle_category_code": tstr, ? "issue_date": full-date,
 *  ? "codes": [+ {"code": tstr, ? "sign": tstr, ? "value": tstr}]}.
 * A per-category expiry_date is refused: validity comes from policy by
 * one rule (privacy rule 2), and a record-supplied category expiry is
 * exactly how a limited-term licence would show.
 */
/* s (n bytes) in a code table of el, or MINDL_ERR_POLICY. */
static int
check_table(struct rctx *c, const char *what, const struct schema_strset *set,
    const char *table, const char *s, size_t n)
{
	if (schema_strset_has(set, s, n))
		return MINDL_OK;
	mindl_log_debug("%s: %s: not in %s", __func__, what, table);
	schema_err(&c->eb, "%s: not in the %s table of driving_privileges "
	    "(schemas/elements-iso.json)", what, table);
	return MINDL_ERR_POLICY;
}

static int
enc_privilege(struct rctx *c, const struct schema_elem *el, size_t idx,
    json_t *o, struct mindl_enc *e)
{
	char what[96], safe[SCHEMA_SAFE_NAME];
	const char *key, *s;
	json_t *v, *codes = NULL, *vcc = NULL, *issue = NULL, *cv;
	int64_t days = 0;
	size_t n, k, pairs;
	int r;

	snprintf(what, sizeof(what), "driving_privileges[%zu]", idx);
	if (!json_is_object(o)) {
		mindl_log_debug("%s: %s: not an object", __func__, what);
		schema_err(&c->eb, "%s: expected a JSON object", what);
		return MINDL_ERR_JSON;
	}
	json_object_foreach(o, key, v) {
		if (strcmp(key, "vehicle_category_code") == 0)
			vcc = v;
		else if (strcmp(key, "issue_date") == 0)
			issue = v;
		else if (strcmp(key, "codes") == 0)
			codes = v;
		else if (strcmp(key, "expiry_date") == 0) {
			mindl_log_debug("%s: %s: expiry_date", __func__, what);
			schema_err(&c->eb, "%s.expiry_date: expiry_date is "
			    "computed by policy; remove it from the record",
			    what);
			return MINDL_ERR_POLICY;
		} else {
			schema_safe_name(safe, key);
			mindl_log_debug("%s: %s: unknown %s", __func__, what,
			    safe);
			schema_err(&c->eb, "%s.%s: unknown field (not in the "
			    "driving_privileges schema)", what, safe);
			return MINDL_ERR_UNKNOWN_ELEMENT;
		}
	}
	if (vcc == NULL) {
		mindl_log_debug("%s: %s: no category", __func__, what);
		schema_err(&c->eb, "%s.vehicle_category_code: required field "
		    "missing", what);
		return MINDL_ERR_MISSING;
	}
	snprintf(what, sizeof(what), "driving_privileges[%zu]."
	    "vehicle_category_code", idx);
	if ((r = check_text(c, what, vcc, MAX_CATEGORY, &s, &n)) != MINDL_OK ||
	    (r = check_table(c, what, &el->categories, "categories", s,
	    n)) != MINDL_OK)
		return r;
	if (issue != NULL) {
		snprintf(what, sizeof(what), "driving_privileges[%zu]."
		    "issue_date", idx);
		if ((r = check_fulldate(c, what, issue, &days)) != MINDL_OK)
			return r;
		if (days > c->issue_day) {
			mindl_log_debug("%s: %s: future", __func__, what);
			schema_err(&c->eb, "%s: after the issuance day", what);
			return MINDL_ERR_POLICY;
		}
	}
	if (codes != NULL) {
		snprintf(what, sizeof(what), "driving_privileges[%zu].codes",
		    idx);
		if (!json_is_array(codes) || json_array_size(codes) == 0 ||
		    json_array_size(codes) > MAX_CODES) {
			mindl_log_debug("%s: %s", __func__, what);
			schema_err(&c->eb, "%s: expected an array of 1 to %d "
			    "objects", what, MAX_CODES);
			return MINDL_ERR_JSON;
		}
	}
	pairs = 1 + (size_t)(issue != NULL) + (size_t)(codes != NULL);
	mindl_enc_map(e, pairs);
	mindl_enc_tstr(e, "vehicle_category_code");
	mindl_enc_tstrn(e, s, n);
	if (issue != NULL) {
		mindl_enc_tstr(e, "issue_date");
		if ((r = enc_fulldate(e, days)) != MINDL_OK)
			return r;
	}
	if (codes == NULL)
		return MINDL_OK;
	mindl_enc_tstr(e, "codes");
	mindl_enc_array(e, json_array_size(codes));
	json_array_foreach(codes, k, cv) {
		json_t *code = NULL, *sign = NULL, *value = NULL;
		const char *cs = NULL, *ss = NULL, *vs = NULL;
		size_t cn = 0, sn = 0, vn = 0;

		snprintf(what, sizeof(what), "driving_privileges[%zu].codes"
		    "[%zu]", idx, k);
		if (!json_is_object(cv)) {
			mindl_log_debug("%s: %s: not an object", __func__,
			    what);
			schema_err(&c->eb, "%s: expected a JSON object", what);
			return MINDL_ERR_JSON;
		}
		json_object_foreach(cv, key, v) {
			if (strcmp(key, "code") == 0)
				code = v;
			else if (strcmp(key, "sign") == 0)
				sign = v;
			else if (strcmp(key, "value") == 0)
				value = v;
			else {
				schema_safe_name(safe, key);
				mindl_log_debug("%s: %s: unknown %s", __func__,
				    what, safe);
				schema_err(&c->eb, "%s.%s: unknown field (not "
				    "in the driving_privileges schema)", what,
				    safe);
				return MINDL_ERR_UNKNOWN_ELEMENT;
			}
		}
		if (code == NULL) {
			mindl_log_debug("%s: %s: no code", __func__, what);
			schema_err(&c->eb, "%s.code: required field missing",
			    what);
			return MINDL_ERR_MISSING;
		}
		snprintf(what, sizeof(what), "driving_privileges[%zu].codes"
		    "[%zu].code", idx, k);
		if ((r = check_text(c, what, code, MAX_CODE, &cs, &cn)) !=
		    MINDL_OK || (r = check_table(c, what, &el->codes, "codes",
		    cs, cn)) != MINDL_OK)
			return r;
		snprintf(what, sizeof(what), "driving_privileges[%zu].codes"
		    "[%zu].sign", idx, k);
		if (sign != NULL && ((r = check_text(c, what, sign, MAX_SIGN,
		    &ss, &sn)) != MINDL_OK || (r = check_table(c, what,
		    &el->signs, "signs", ss, sn)) != MINDL_OK))
			return r;
		snprintf(what, sizeof(what), "driving_privileges[%zu].codes"
		    "[%zu].value", idx, k);
		if (value != NULL && ((r = check_text(c, what, value,
		    MAX_CODE_VALUE, &vs, &vn)) != MINDL_OK ||
		    (r = check_charset(c, what, CS_ADDRESS, vs, vn)) !=
		    MINDL_OK || (r = check_value_forbidden(c, what, vs)) !=
		    MINDL_OK))
			return r;
		mindl_enc_map(e, 1 + (uint64_t)(sign != NULL) +
		    (uint64_t)(value != NULL));
		mindl_enc_tstr(e, "code");
		mindl_enc_tstrn(e, cs, cn);
		if (sign != NULL) {
			mindl_enc_tstr(e, "sign");
			mindl_enc_tstrn(e, ss, sn);
		}
		if (value != NULL) {
			mindl_enc_tstr(e, "value");
			mindl_enc_tstrn(e, vs, vn);
		}
	}
	return MINDL_OK;
}

static int
enc_privileges(struct rctx *c, const struct schema_elem *el, const char *what,
    json_t *v, struct mindl_enc *e)
{
	json_t *o;
	size_t i;
	int r;

	if (!json_is_array(v) || json_array_size(v) == 0 ||
	    json_array_size(v) > MAX_PRIVILEGES) {
		mindl_log_debug("%s: %s: not an array", __func__, what);
		schema_err(&c->eb, "%s: expected an array of 1 to %d objects",
		    what, MAX_PRIVILEGES);
		return MINDL_ERR_JSON;
	}
	mindl_enc_array(e, json_array_size(v));
	json_array_foreach(v, i, o) {
		if ((r = enc_privilege(c, el, i, o, e)) != MINDL_OK)
			return r;
	}
	return MINDL_OK;
}

static int
value_allowed_str(const struct schema_elem *el, const char *s)
{
	size_t i;

	if (el->n_values == 0)
		return 1;
	for (i = 0; i < el->n_values; i++)
		if (strcmp(el->svalues[i], s) == 0)
			return 1;
	return 0;
}

static int
value_allowed_uint(const struct schema_elem *el, uint64_t u)
{
	size_t i;

	if (el->has_max && u > el->max)
		return 0;
	if (el->n_values == 0)
		return 1;
	for (i = 0; i < el->n_values; i++)
		if (el->uvalues[i] == u)
			return 1;
	return 0;
}

/* The values an element allows, for a message: "a, b" or "at most N". */
static void
allowed_values(const struct schema_elem *el, char *out, size_t len)
{
	size_t i, n = 0;

	out[0] = '\0';
	if (el->type == MINDL_ET_UINT && el->n_values == 0) {
		(void)snprintf(out, len, "at most %llu",
		    (unsigned long long)el->max);
		return;
	}
	if (el->type == MINDL_ET_UINT)
		n = (size_t)snprintf(out, len, "one of: ");
	for (i = 0; i < el->n_values && n < len; i++) {
		if (el->type == MINDL_ET_TSTR)
			n += (size_t)snprintf(out + n, len - n, "%s%s",
			    i ? ", " : "", el->svalues[i]);
		else
			n += (size_t)snprintf(out + n, len - n, "%s%llu",
			    i ? ", " : "", (unsigned long long)el->uvalues[i]);
	}
}

/* One record field: check it against its element and encode it. */
static int
record_field(struct rctx *c, const char *ns, const char *id, json_t *v)
{
	const struct mindl_schema *s = c->s;
	const struct schema_elem *el;
	struct mindl_enc e;
	struct slot *sl;
	char what[192], list[512];
	const char *str;
	json_int_t iv;
	int64_t days;
	size_t n, i;
	int r = MINDL_ERR_INTERNAL;

	mindl_enc_init(&e, MINDL_MAX_RECORD);
	field_name(what, sizeof(what), ns, id);
	if ((el = schema_find(s, ns, id)) == NULL) {
		mindl_log_debug("%s: %s: unknown", __func__, what);
		/* Point at the right place if it lives in another namespace. */
		for (i = 0; i < s->n_elems; i++)
			if (strcmp(s->elems[i].id, id) == 0 &&
			    s->elems[i].source == SRC_RECORD)
				break;
		if (i < s->n_elems && strcmp(s->elems[i].ns, MINDL_NS_ISO) ==
		    0)
			schema_err(&c->eb, "%s: unknown field (%s elements go "
			    "at the top level)", what, MINDL_NS_ISO);
		else if (i < s->n_elems)
			schema_err(&c->eb, "%s: unknown field (it belongs in "
			    "the \"%s\" object)", what, s->elems[i].ns);
		else
			schema_err(&c->eb, "%s: unknown field (not in the "
			    "element tables)", what);
		r = MINDL_ERR_UNKNOWN_ELEMENT;
		goto fail;
	}
	if (el->source == SRC_DERIVED) {
		mindl_log_debug("%s: %s: derived", __func__, what);
		schema_err(&c->eb, "%s is computed by policy; remove it from "
		    "the record", what);
		r = MINDL_ERR_POLICY;
		goto fail;
	}
	if (el->source == SRC_PORTRAIT) {
		mindl_log_debug("%s: %s: portrait", __func__, what);
		schema_err(&c->eb, "%s comes from the portrait file, not the "
		    "record", what);
		r = MINDL_ERR_POLICY;
		goto fail;
	}
	sl = &c->slots[el - s->elems];
	c->seen[el - s->elems] = 1;
	if (!ALWAYS(sl->v == NULL)) {
		r = MINDL_ERR_INTERNAL;
		goto fail;
	}
	/* DMV exports write null for a field they do not have. */
	if (json_is_null(v)) {
		if (el->required) {
			mindl_log_debug("%s: %s: null", __func__, what);
			schema_err(&c->eb, "%s: required field is null", what);
			r = MINDL_ERR_MISSING;
			goto fail;
		}
		r = MINDL_OK;	/* absent */
		goto fail;
	}
	switch (el->type) {
	case MINDL_ET_TSTR:
		if ((r = check_text(c, what, v, el->max_length ?
		    el->max_length : SCHEMA_DEFAULT_MAX_TEXT, &str, &n)) != MINDL_OK ||
		    (r = check_charset(c, what, el->charset, str, n)) !=
		    MINDL_OK)
			goto fail;
		if (el->charset != CS_NAME && el->charset != CS_ADDRESS &&
		    (r = check_value_forbidden(c, what, str)) != MINDL_OK)
			goto fail;
		if (!value_allowed_str(el, str)) {
			mindl_log_debug("%s: %s: value", __func__, what);
			allowed_values(el, list, sizeof(list));
			schema_err(&c->eb, "%s: value not allowed; one of: %s",
			    what, list);
			r = MINDL_ERR_POLICY;
			goto fail;
		}
		mindl_enc_tstrn(&e, str, n);
		break;
	case MINDL_ET_UINT:
		if (!json_is_integer(v) || (iv = json_integer_value(v)) < 0) {
			mindl_log_debug("%s: %s: not a uint", __func__, what);
			schema_err(&c->eb, "%s: expected a non-negative JSON "
			    "integer", what);
			r = MINDL_ERR_JSON;
			goto fail;
		}
		if (!value_allowed_uint(el, (uint64_t)iv)) {
			mindl_log_debug("%s: %s: value", __func__, what);
			allowed_values(el, list, sizeof(list));
			schema_err(&c->eb, "%s: value not allowed; %s", what,
			    list);
			r = MINDL_ERR_POLICY;
			goto fail;
		}
		mindl_enc_uint(&e, (uint64_t)iv);
		break;
	case MINDL_ET_BOOL:
		if (!json_is_boolean(v)) {
			mindl_log_debug("%s: %s: not a bool", __func__, what);
			schema_err(&c->eb, "%s: expected true or false", what);
			r = MINDL_ERR_JSON;
			goto fail;
		}
		mindl_enc_bool(&e, json_is_true(v));
		break;
	case MINDL_ET_FULLDATE:
		if ((r = check_fulldate(c, what, v, &days)) != MINDL_OK)
			goto fail;
		if (strcmp(el->ns, MINDL_NS_ISO) == 0 &&
		    strcmp(el->id, "birth_date") == 0) {
			if (days > c->issue_day) {
				mindl_log_debug("%s: birth after issue",
				    __func__);
				schema_err(&c->eb, "%s: after the issuance day",
				    what);
				r = MINDL_ERR_POLICY;
				goto fail;
			}
			c->birth_day = days;
			c->has_birth = 1;
		}
		if ((r = enc_fulldate(&e, days)) != MINDL_OK)
			goto fail;
		break;
	case MINDL_ET_PRIVILEGES:
		if ((r = enc_privileges(c, el, what, v, &e)) != MINDL_OK)
			goto fail;
		break;
	case MINDL_ET_BSTR:
	default:
		r = MINDL_ERR_INTERNAL;
		goto fail;
	}
	if ((r = mindl_enc_finish(&e, &sl->v, &sl->len)) != MINDL_OK) {
		mindl_log_debug("%s: %s: mindl_enc_finish", __func__, what);
		schema_err(&c->eb, "%s: cannot encode (%s)", what,
		    mindl_errname(r));
		goto fail;
	}
	r = MINDL_OK;
 fail:
	mindl_enc_clear(&e);
	return r;
}

/* Pass 1: every field name anywhere in the record against the list. */
static int
walk_forbidden(struct rctx *c, json_t *v)
{
	char safe[SCHEMA_SAFE_NAME];
	const char *key;
	json_t *x;
	size_t i;
	int r, ret = MINDL_OK;

	if (json_is_object(v)) {
		json_object_foreach(v, key, x) {
			if (schema_forbidden(c->s, key)) {
				schema_safe_name(safe, key);
				mindl_log_debug("%s: %s", __func__, safe);
				schema_err(&c->eb, "%s: forbidden element "
				    "(lawful-status proxy; DESIGN.md section 4 "
				    "rule 1): nothing was issued", safe);
				schema_err_code(&c->eb,
				    MINDL_ERR_FORBIDDEN_ELEMENT);
				ret = MINDL_ERR_FORBIDDEN_ELEMENT;
				continue;	/* every one is named */
			}
			if ((r = walk_forbidden(c, x)) != MINDL_OK)
				ret = r;
		}
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			if ((r = walk_forbidden(c, x)) != MINDL_OK)
				ret = r;
		}
	}
	return ret;
}

/* 1 if key names a non-ISO namespace of the schema. */
static int
is_other_ns(const struct mindl_schema *s, const char *key)
{
	size_t i;

	if (strcmp(key, MINDL_NS_ISO) == 0)
		return 0;
	for (i = 0; i < s->n_elems; i++)
		if (strcmp(s->elems[i].ns, key) == 0)
			return 1;
	return 0;
}

/*
 * Pass 2: every field against the allowlist, then values.  Every
 * problem is reported (a clerk fixes a record in one go); the first
 * one's error is returned.
 */
static int
walk_fields(struct rctx *c, json_t *root)
{
	char what[SCHEMA_SAFE_NAME + 32];
	const char *key, *id;
	json_t *v, *x;
	int r, ret = MINDL_OK;

	json_object_foreach(root, key, v) {
		if (!is_other_ns(c->s, key)) {
			if ((r = record_field(c, MINDL_NS_ISO, key, v)) !=
			    MINDL_OK) {
				schema_err_code(&c->eb, r);
				if (ret == MINDL_OK)
					ret = r;
			}
			continue;
		}
		if (!json_is_object(v)) {
			schema_safe_name(what, key);
			mindl_log_debug("%s: %s: not an object", __func__,
			    what);
			schema_err(&c->eb, "%s: expected a JSON object of that "
			    "namespace's elements", what);
			schema_err_code(&c->eb, MINDL_ERR_JSON);
			if (ret == MINDL_OK)
				ret = MINDL_ERR_JSON;
			continue;
		}
		json_object_foreach(v, id, x) {
			if ((r = record_field(c, key, id, x)) != MINDL_OK) {
				schema_err_code(&c->eb, r);
				if (ret == MINDL_OK)
					ret = r;
			}
		}
	}
	return ret;
}

/* Derived elements: the same set, by the same rule, for everyone. */
static int
derive(struct rctx *c, const struct schema_elem *el, struct slot *sl)
{
	const struct mindl_schema *s = c->s;
	const struct mindl_policy *p = &s->policy;
	struct mindl_enc e;
	int r = MINDL_ERR_INTERNAL;

	mindl_enc_init(&e, MINDL_MAX_RECORD);
	switch (el->derived) {
	case DRV_ISSUE_DATE:
		if ((r = enc_fulldate(&e, c->issue_day)) != MINDL_OK)
			goto fail;
		break;
	case DRV_EXPIRY_DATE:
		if ((r = enc_fulldate(&e, c->expiry_day)) != MINDL_OK)
			goto fail;
		break;
	case DRV_AGE_OVER:
		if (!ALWAYS(c->has_birth))
			goto fail;
		mindl_enc_bool(&e,
		    age_on(c->birth_day, c->age_day) >= (int64_t)el->age);
		break;
	case DRV_COUNTRY:
		mindl_enc_tstr(&e, p->issuing_country);
		break;
	case DRV_AUTHORITY:
		mindl_enc_tstr(&e, p->issuing_authority);
		break;
	case DRV_UN_SIGN:
		mindl_enc_tstr(&e, p->un_distinguishing_sign);
		break;
	case DRV_JURISDICTION:
		if (!ALWAYS(p->jurisdiction != NULL))
			goto fail;
		mindl_enc_tstr(&e, p->jurisdiction);
		break;
	case DRV_AAMVA_VERSION:
		mindl_enc_uint(&e, s->aamva_version);
		break;
	case DRV_NONE:
	default:
		goto fail;
	}
	if ((r = mindl_enc_finish(&e, &sl->v, &sl->len)) != MINDL_OK) {
		mindl_log_debug("%s: %s: mindl_enc_finish", __func__, el->id);
		goto fail;
	}
	r = MINDL_OK;
 fail:
	mindl_enc_clear(&e);
	return r;
}

/* The portrait: a plain JFIF JPEG (mindl/jpeg.h), at most MAX_PORTRAIT. */
static int
enc_portrait(struct rctx *c, const char *id, const uint8_t *img, size_t n,
    struct slot *sl)
{
	struct mindl_enc e;
	struct mindl_jpeg_fault f;
	int r;

	if (n > MAX_PORTRAIT) {
		mindl_log_debug("%s: too large", __func__);
		schema_err(&c->eb, "%s: image over %u bytes", id,
		    (unsigned)MAX_PORTRAIT);
		return MINDL_ERR_TOO_LARGE;
	}
	/*
	 * The one portrait rule (mindl/jpeg.h), as verifiers apply it: a
	 * plain JFIF JPEG, segment by segment from an allow-list, so that
	 * nothing but the picture reaches every verifier shown it.
	 */
	if ((r = mindl_jpeg_check(img, n, &f)) != MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, f.why);
		if (f.marker != 0)
			schema_err(&c->eb, "%s: byte %zu: %s: %s; save the "
			    "photo as a plain JFIF JPEG with no metadata (for "
			    "example with jpegtran -copy none)", id, f.at,
			    f.why, mindl_jpeg_marker_name(f.marker));
		else
			schema_err(&c->eb, "%s: byte %zu: %s; save the "
			    "photo as a plain JFIF JPEG with no metadata (for "
			    "example with jpegtran -copy none)", id, f.at,
			    f.why);
		return r;
	}
	mindl_enc_init(&e, MAX_PORTRAIT + 16);
	mindl_enc_bstr(&e, img, n);
	if ((r = mindl_enc_finish(&e, &sl->v, &sl->len)) != MINDL_OK) {
		mindl_log_debug("%s: mindl_enc_finish", __func__);
		schema_err(&c->eb, "%s: cannot encode (%s)", id,
		    mindl_errname(r));
	}
	mindl_enc_clear(&e);
	return r;
}

/* Issue day and expiry day from the issuance time (day granularity). */
static int
issue_days(struct rctx *c, int64_t issue_time, unsigned years)
{
	char buf[MINDL_FULLDATE_LEN + 1];
	int64_t y;
	unsigned m, d;

	c->issue_day = issue_time / MINDL_DAY;
	if (issue_time % MINDL_DAY < 0)
		c->issue_day--;
	if (mindl_fulldate_format(c->issue_day, buf) != MINDL_OK)
		return MINDL_ERR_DATE;
	/*
	 * expiry_date = the same month and day, licence_years later; an
	 * issue on Feb 29 expires on Feb 28 if that year is not leap (the
	 * licence never outlives the rule).
	 */
	mindl_civil_from_days(c->issue_day, &y, &m, &d);
	y += years;
	if (m == 2 && d == 29 && !is_leap(y))
		d = 28;
	c->expiry_day = mindl_days_from_civil(y, m, d);
	if (mindl_fulldate_format(c->expiry_day, buf) != MINDL_OK)
		return MINDL_ERR_DATE;
	c->age_day = c->issue_day;
	return MINDL_OK;
}

/*
 * Renewal: the licence's own issue and expiry days are kept (renewal
 * renews the MSOs, not the licence); ages are those of the renewal day.
 * A licence past its expiry_date is not renewed.
 */
static int
renewal_days(struct rctx *c, int64_t renew_time, int64_t issue_day,
    int64_t expiry_day)
{
	char a[MINDL_FULLDATE_LEN + 1], b[MINDL_FULLDATE_LEN + 1];
	int64_t today;

	today = renew_time / MINDL_DAY;
	if (renew_time % MINDL_DAY < 0)
		today--;
	if (mindl_fulldate_format(today, a) != MINDL_OK ||
	    mindl_fulldate_format(issue_day, a) != MINDL_OK ||
	    mindl_fulldate_format(expiry_day, b) != MINDL_OK) {
		schema_err(&c->eb, "renewal: a date out of range");
		return MINDL_ERR_DATE;
	}
	if (issue_day > today || expiry_day <= issue_day) {
		mindl_log_debug("%s: issue %s, expiry %s", __func__, a, b);
		schema_err(&c->eb, "renewal: issue_date %s and expiry_date %s "
		    "do not make a licence in force before today", a, b);
		return MINDL_ERR_POLICY;
	}
	if (expiry_day < today) {
		mindl_log_debug("%s: expired %s", __func__, b);
		schema_err(&c->eb, "the licence expired on %s: it cannot be "
		    "renewed, only issued anew from the DMV's record", b);
		return MINDL_ERR_LICENCE_EXPIRED;
	}
	c->issue_day = issue_day;
	c->expiry_day = expiry_day;
	c->age_day = today;
	return MINDL_OK;
}

static void
slots_free(struct slot *slots, size_t n)
{
	size_t i;

	if (slots == NULL)
		return;
	for (i = 0; i < n; i++)
		mindl_freezero(slots[i].v, slots[i].len);
	free(slots);
}

void
mindl_record_free(struct mindl_record **rp)
{
	struct mindl_record *r;
	size_t i;

	if (rp == NULL || (r = *rp) == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		mindl_freezero(r->elems[i].value, r->elems[i].valuelen);
		free((char *)(uintptr_t)r->elems[i].ns);
		free((char *)(uintptr_t)r->elems[i].id);
	}
	free(r->elems);
	if (r->docnum != NULL)
		mindl_freezero(r->docnum, strlen(r->docnum) + 1);
	mindl_freezero(r, sizeof(*r));
	*rp = NULL;
}

/* The document number, for a registry that finds a licence by it. */
static int
record_docnum(struct mindl_record *rec)
{
	struct mindl_cbor *doc = NULL;
	size_t i;
	int r;

	for (i = 0; i < rec->n; i++)
		if (strcmp(rec->elems[i].ns, MINDL_NS_ISO) == 0 &&
		    strcmp(rec->elems[i].id, "document_number") == 0)
			break;
	if (i == rec->n)
		return MINDL_OK;	/* a schema that does not require it */
	if ((r = mindl_cbor_decode(rec->elems[i].value, rec->elems[i].valuelen,
	    &doc)) == MINDL_OK)
		r = mindl_cbor_strdup(mindl_cbor_root(doc), &rec->docnum);
	mindl_cbor_free(&doc);
	return r;
}

/* A renewal's dates, when keep is set. */
struct keep_days {
	int64_t	issue_day;
	int64_t	expiry_day;
};

static int record_parse(const struct mindl_schema *, const char *, size_t,
    const uint8_t *, size_t, int64_t, const struct keep_days *,
    struct mindl_record **, char *, size_t);

int
mindl_record_parse(const struct mindl_schema *s, const char *json,
    size_t len, const uint8_t *portrait, size_t portraitlen,
    int64_t issue_time, struct mindl_record **out, char *errbuf,
    size_t errlen)
{
	return record_parse(s, json, len, portrait, portraitlen, issue_time,
	    NULL, out, errbuf, errlen);
}

int
mindl_record_parse_renewal(const struct mindl_schema *s, const char *json,
    size_t len, const uint8_t *portrait, size_t portraitlen,
    int64_t renew_time, int64_t issue_day, int64_t expiry_day,
    struct mindl_record **out, char *errbuf, size_t errlen)
{
	struct keep_days k = { issue_day, expiry_day };

	return record_parse(s, json, len, portrait, portraitlen, renew_time,
	    &k, out, errbuf, errlen);
}

static int
record_parse(const struct mindl_schema *s, const char *json, size_t len,
    const uint8_t *portrait, size_t portraitlen, int64_t issue_time,
    const struct keep_days *keep, struct mindl_record **out, char *errbuf,
    size_t errlen)
{
	struct mindl_record *rec = NULL;
	struct rctx c;
	json_error_t jerr;
	json_t *root = NULL;
	size_t i, n;
	int r = MINDL_ERR_INTERNAL, first;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.eb.buf = errbuf;
	c.eb.len = errlen;
	c.eb.append = 1;
	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (out == NULL || s == NULL || json == NULL) {
		schema_err(&c.eb, "invalid argument");
		return MINDL_ERR_INVALID_ARG;
	}
	*out = NULL;
	if (len > MINDL_MAX_RECORD) {
		mindl_log_debug("%s: %zu bytes", __func__, len);
		schema_err(&c.eb, "record: over %u bytes", MINDL_MAX_RECORD);
		r = MINDL_ERR_TOO_LARGE;
		goto fail;
	}
	if (keep != NULL) {
		if ((r = renewal_days(&c, issue_time, keep->issue_day,
		    keep->expiry_day)) != MINDL_OK)
			goto fail;
	} else if ((r = issue_days(&c, issue_time,
	    s->policy.licence_years)) != MINDL_OK) {
		mindl_log_debug("%s: issue_days", __func__);
		schema_err(&c.eb, "issue time out of range");
		goto fail;
	}
	/* A UTF-8 byte order mark, as Windows exports write: not content. */
	if (len >= 3 && memcmp(json, "\xef\xbb\xbf", 3) == 0) {
		json += 3;
		len -= 3;
	}
	if ((c.slots = mindl_calloc(s->n_elems, sizeof(*c.slots))) == NULL ||
	    (c.seen = mindl_calloc(s->n_elems ? s->n_elems : 1, 1)) == NULL) {
		r = MINDL_ERR_NOMEM;
		schema_err(&c.eb, "out of memory");
		goto fail;
	}
	/* Trailing data after the object is an error (no EOF-check flag). */
	if ((root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		mindl_log_debug("%s: json_loadb", __func__);
		schema_err(&c.eb, "line %d column %d: %s", jerr.line,
		    jerr.column, jerr.text);
		r = MINDL_ERR_JSON;
		goto fail;
	}
	if (!json_is_object(root)) {
		mindl_log_debug("%s: not an object", __func__);
		schema_err(&c.eb, "record: expected a JSON object");
		r = MINDL_ERR_JSON;
		goto fail;
	}
	/* Lawful-status fields first, all of them, and nothing else. */
	if ((r = walk_forbidden(&c, root)) != MINDL_OK) {
		mindl_log_debug("%s: walk_forbidden", __func__);
		goto fail;
	}
	/* Then every other problem, fields, missing ones and portrait. */
	first = walk_fields(&c, root);
	for (i = 0; i < s->n_elems; i++) {
		const struct schema_elem *el = &s->elems[i];
		char what[192];

		field_name(what, sizeof(what), el->ns, el->id);
		r = MINDL_OK;
		if (el->source == SRC_RECORD && el->required && !c.seen[i]) {
			mindl_log_debug("%s: %s missing", __func__, what);
			schema_err(&c.eb, "%s: required field missing", what);
			r = MINDL_ERR_MISSING;
		} else if (el->source == SRC_PORTRAIT && el->required &&
		    (portrait == NULL || portraitlen == 0)) {
			mindl_log_debug("%s: %s missing", __func__, what);
			schema_err(&c.eb, "%s: required (the portrait file) "
			    "but missing", what);
			r = MINDL_ERR_MISSING;
		} else if (el->source == SRC_PORTRAIT && portrait != NULL &&
		    portraitlen > 0)
			r = enc_portrait(&c, el->id, portrait, portraitlen,
			    &c.slots[i]);
		if (r != MINDL_OK) {
			schema_err_code(&c.eb, r);
			if (first == MINDL_OK)
				first = r;
		}
	}
	if ((r = first) != MINDL_OK)
		goto fail;
	for (i = 0; i < s->n_elems; i++) {
		const struct schema_elem *el = &s->elems[i];

		if (el->source == SRC_DERIVED) {
			if ((r = derive(&c, el, &c.slots[i])) != MINDL_OK) {
				mindl_log_debug("%s: derive %s", __func__,
				    el->id);
				schema_err(&c.eb, "%s: cannot compute",
				    el->id);
				schema_err_code(&c.eb, r);
				goto fail;
			}
		}
	}

	/* The record, in the schema's (namespace, identifier) order. */
	for (i = 0, n = 0; i < s->n_elems; i++)
		if (c.slots[i].v != NULL)
			n++;
	if ((rec = mindl_calloc(1, sizeof(*rec))) == NULL ||
	    (rec->elems = mindl_calloc(n, sizeof(*rec->elems))) == NULL) {
		r = MINDL_ERR_NOMEM;
		schema_err(&c.eb, "out of memory");
		goto fail;
	}
	rec->issue_day = c.issue_day;
	rec->expiry_day = c.expiry_day;
	for (i = 0; i < s->n_elems; i++) {
		struct mindl_element *el = &rec->elems[rec->n];

		if (c.slots[i].v == NULL)
			continue;
		if ((el->ns = schema_strdup(s->elems[i].ns)) == NULL ||
		    (el->id = schema_strdup(s->elems[i].id)) == NULL) {
			free((char *)(uintptr_t)el->ns);
			el->ns = NULL;
			r = MINDL_ERR_NOMEM;
			schema_err(&c.eb, "out of memory");
			goto fail;
		}
		el->value = c.slots[i].v;
		el->valuelen = c.slots[i].len;
		c.slots[i].v = NULL;
		rec->n++;
	}
	if ((r = record_docnum(rec)) != MINDL_OK) {
		schema_err(&c.eb, "document_number: cannot read it back (%s)",
		    mindl_errname(r));
		goto fail;
	}
	*out = rec;
	rec = NULL;
	r = MINDL_OK;
 fail:
	schema_err_done(&c.eb);
	json_decref(root);
	slots_free(c.slots, s != NULL ? s->n_elems : 0);
	free(c.seen);
	mindl_record_free(&rec);
	mindl_wipe(&c, sizeof(c));
	return r;
}

size_t
mindl_record_count(const struct mindl_record *r)
{
	return r == NULL ? 0 : r->n;
}

const struct mindl_element *
mindl_record_element(const struct mindl_record *r, size_t i)
{
	if (r == NULL || i >= r->n)
		return NULL;
	return &r->elems[i];
}

int64_t
mindl_record_expiry_day(const struct mindl_record *r)
{
	return r == NULL ? 0 : r->expiry_day;
}

int64_t
mindl_record_issue_day(const struct mindl_record *r)
{
	return r == NULL ? 0 : r->issue_day;
}

const char *
mindl_record_document_number(const struct mindl_record *r)
{
	return r == NULL ? NULL : r->docnum;
}
