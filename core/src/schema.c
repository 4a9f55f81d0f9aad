/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: element tables, issuance policy and verifier profiles
 * (see mindl/schema.h and schemas/README.md).
 *
 * Privacy rule 1 (DESIGN.md section 4): the element tables are an
 * allowlist; a compiled-in forbidden list of lawful-status proxies
 * (forbidden.c), extendable by policy.json but never reducible, is checked
 * against every table entry, every profile entry and every record field.
 * Privacy rule 2: one policy for everyone (age_over_NN set, digest
 * counts, validity rule), checked for consistency here so that no
 * configuration can give two holders a different shape.  Records are
 * parsed in record.c.
 */
#include <sys/types.h>

#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mindl/buf.h"
#include "mindl/err.h"
#include "mindl/file.h"
#include "mindl/key.h"
#include "mindl/mso.h"
#include "mindl/schema.h"
#include "internal.h"
#include "schema_embed.h"

#define MAX_SCHEMA_FILE	(1024u * 1024)	/* one schema JSON file */
#define MAX_SCHEMA_FILES 16
#define MAX_NAME	64		/* element and namespace names */
#define MAX_POLICY_TEXT	150		/* issuing_authority and such */
#define MAX_PROFILES	64
#define MAX_LABEL	64		/* an element's label */
#define MAX_EXTRA	64		/* policy "forbidden" additions */

/* Derived elements: computed by the issuer from policy, never the record. */
static const struct {
	const char		*ns;
	const char		*id;
	enum schema_derived	 derived;
	enum mindl_etype	 type;
} derived_tab[] = {
	{ MINDL_NS_ISO, "issue_date", DRV_ISSUE_DATE, MINDL_ET_FULLDATE },
	{ MINDL_NS_ISO, "expiry_date", DRV_EXPIRY_DATE, MINDL_ET_FULLDATE },
	{ MINDL_NS_ISO, "issuing_country", DRV_COUNTRY, MINDL_ET_TSTR },
	{ MINDL_NS_ISO, "issuing_authority", DRV_AUTHORITY, MINDL_ET_TSTR },
	{ MINDL_NS_ISO, "un_distinguishing_sign", DRV_UN_SIGN, MINDL_ET_TSTR },
	{ MINDL_NS_ISO, "issuing_jurisdiction", DRV_JURISDICTION,
	    MINDL_ET_TSTR },
	{ MINDL_NS_AAMVA, "aamva_version", DRV_AAMVA_VERSION, MINDL_ET_UINT },
};

#define AGE_OVER_PATTERN	"age_over_NN"

static const struct {
	const char		*name;
	enum mindl_etype	 type;
} etype_tab[] = {
	{ "tstr", MINDL_ET_TSTR },
	{ "uint", MINDL_ET_UINT },
	{ "bool", MINDL_ET_BOOL },
	{ "full-date", MINDL_ET_FULLDATE },
	{ "bstr", MINDL_ET_BSTR },
	{ "privileges", MINDL_ET_PRIVILEGES },
};

struct schema_file {
	const char	*name;
	const char	*data;
	size_t		 len;
};

void
schema_err(struct schema_errbuf *eb, const char *fmt, ...)
{
	va_list ap;

	if (eb == NULL || eb->buf == NULL || eb->len == 0)
		return;
	if (!eb->append) {
		va_start(ap, fmt);
		vsnprintf(eb->buf, eb->len, fmt, ap);
		va_end(ap);
		return;
	}
	if (eb->count++ >= SCHEMA_MAX_PROBLEMS || eb->used + 2 >= eb->len)
		return;
	if (eb->used > 0)
		eb->buf[eb->used++] = '\n';
	va_start(ap, fmt);
	(void)vsnprintf(eb->buf + eb->used, eb->len - eb->used, fmt, ap);
	va_end(ap);
	eb->used += strlen(eb->buf + eb->used);
}

void
schema_err_code(struct schema_errbuf *eb, int err)
{
	if (eb == NULL || eb->buf == NULL || !eb->append ||
	    eb->count > SCHEMA_MAX_PROBLEMS || eb->used + 1 >= eb->len)
		return;
	(void)snprintf(eb->buf + eb->used, eb->len - eb->used, " (%s)",
	    mindl_errname(err));
	eb->used += strlen(eb->buf + eb->used);
}

void
schema_err_done(struct schema_errbuf *eb)
{
	unsigned more;

	if (eb == NULL || eb->buf == NULL || !eb->append ||
	    eb->count <= SCHEMA_MAX_PROBLEMS || eb->used + 2 >= eb->len)
		return;
	more = eb->count - SCHEMA_MAX_PROBLEMS;
	(void)snprintf(eb->buf + eb->used, eb->len - eb->used,
	    "\nand %u more problem%s", more, more == 1 ? "" : "s");
	eb->used += strlen(eb->buf + eb->used);
}

void
schema_safe_name(char out[SCHEMA_SAFE_NAME], const char *s)
{
	size_t n;

	/* Names reach messages escaped, cut with "..." when long. */
	if (s == NULL) {
		out[0] = '\0';
		return;
	}
	n = strlen(s);
	if (mindl_text_escape(out, SCHEMA_SAFE_NAME, (const uint8_t *)s, n,
	    0) < n) {
		(void)mindl_text_escape(out, SCHEMA_SAFE_NAME - 3,
		    (const uint8_t *)s, n, 0);
		memcpy(out + strlen(out), "...", 4);
	}
}

char *
schema_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p;

	if ((p = mindl_malloc(n)) == NULL)
		return NULL;
	memcpy(p, s, n);
	return p;
}

static void
strset_clear(struct schema_strset *set)
{
	size_t i;

	for (i = 0; set->v != NULL && i < set->n; i++)
		free(set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

static void
elemdef_clear(struct schema_elem *e)
{
	size_t i;

	free(e->ns);
	free(e->id);
	free(e->label);
	for (i = 0; e->svalues != NULL && i < e->n_values; i++)
		free(e->svalues[i]);
	free(e->svalues);
	free(e->uvalues);
	strset_clear(&e->categories);
	strset_clear(&e->codes);
	strset_clear(&e->signs);
	memset(e, 0, sizeof(*e));
}

static void
profile_clear(struct mindl_profile *p)
{
	free(p->id);
	free(p->title);
	free(p->ns);
	free(p->ids);
	free(p->retain);
	free(p->question);
	free(p->true_idx);
	memset(p, 0, sizeof(*p));
}

void
mindl_schema_free(struct mindl_schema **sp)
{
	struct mindl_schema *s;
	size_t i;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	for (i = 0; i < s->n_elems; i++)
		elemdef_clear(&s->elems[i]);
	free(s->elems);
	for (i = 0; i < s->n_profiles; i++)
		profile_clear(&s->profiles[i]);
	free(s->profiles);
	for (i = 0; i < s->n_extra; i++)
		free(s->extra[i]);
	free(s->extra);
	for (i = 0; i < s->policy.n_ns; i++)
		free(s->ns_names[i]);
	free(s->country);
	free(s->authority);
	free(s->jurisdiction);
	free(s->un_sign);
	free(s);
	*sp = NULL;
}

/* JSON helpers for the schema files: strict keys and types. */

static int
json_parse(const struct schema_file *f, json_t **out, struct schema_errbuf *eb)
{
	json_error_t jerr;
	json_t *j;

	*out = NULL;
	if ((j = json_loadb(f->data, f->len, JSON_REJECT_DUPLICATES,
	    &jerr)) == NULL) {
		mindl_log_debug("%s: %s: json_loadb", __func__, f->name);
		schema_err(eb, "%s: line %d column %d: %s", f->name,
		    jerr.line, jerr.column, jerr.text);
		return MINDL_ERR_CONFIG;
	}
	if (!json_is_object(j)) {
		mindl_log_debug("%s: %s: not an object", __func__, f->name);
		schema_err(eb, "%s: expected a JSON object", f->name);
		json_decref(j);
		return MINDL_ERR_CONFIG;
	}
	*out = j;
	return MINDL_OK;
}

/* Every key of obj must be in allowed (NULL-terminated) or "comment". */
static int
check_keys(json_t *obj, const char *const *allowed, const char *where,
    struct schema_errbuf *eb)
{
	char safe[SCHEMA_SAFE_NAME];
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach(obj, key, v) {
		if (strcmp(key, "comment") == 0) {
			if (!json_is_string(v))
				goto bad;
			continue;
		}
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			goto bad;
	}
	return MINDL_OK;
 bad:
	schema_safe_name(safe, key);
	mindl_log_debug("%s: %s: key %s", __func__, where, safe);
	schema_err(eb, "%s: unexpected key \"%s\"", where, safe);
	return MINDL_ERR_CONFIG;
}

/* Printable ASCII or UTF-8, 1..max bytes, no control characters. */
static int
good_text(const char *s, size_t max)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

/* Element and namespace names: [A-Za-z0-9_.-], 1..MAX_NAME bytes. */
static int
good_name(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > MAX_NAME)
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (!mindl_is_alpha(c) && !mindl_is_digit(c) && c != '_' &&
		    c != '.' && c != '-')
			return 0;
	}
	return 1;
}

static int
get_text(json_t *obj, const char *key, size_t max, int required,
    const char **out, const char *where, struct schema_errbuf *eb)
{
	json_t *v;

	*out = NULL;
	if ((v = json_object_get(obj, key)) == NULL) {
		if (!required)
			return MINDL_OK;
		mindl_log_debug("%s: %s: %s missing", __func__, where, key);
		schema_err(eb, "%s: \"%s\" missing", where, key);
		return MINDL_ERR_CONFIG;
	}
	if (!json_is_string(v) || !good_text(json_string_value(v), max)) {
		mindl_log_debug("%s: %s: %s", __func__, where, key);
		schema_err(eb, "%s: \"%s\": expected text of 1 to %zu bytes",
		    where, key, max);
		return MINDL_ERR_CONFIG;
	}
	*out = json_string_value(v);
	return MINDL_OK;
}

static int
get_uint(json_t *obj, const char *key, uint64_t min, uint64_t max,
    int required, uint64_t *out, int *present, const char *where,
    struct schema_errbuf *eb)
{
	json_t *v;
	json_int_t i;

	if (present != NULL)
		*present = 0;
	if ((v = json_object_get(obj, key)) == NULL) {
		if (!required)
			return MINDL_OK;
		mindl_log_debug("%s: %s: %s missing", __func__, where, key);
		schema_err(eb, "%s: \"%s\" missing", where, key);
		return MINDL_ERR_CONFIG;
	}
	if (!json_is_integer(v) || (i = json_integer_value(v)) < 0 ||
	    (uint64_t)i < min || (uint64_t)i > max) {
		mindl_log_debug("%s: %s: %s", __func__, where, key);
		schema_err(eb, "%s: \"%s\": expected an integer from %llu "
		    "to %llu", where, key, (unsigned long long)min,
		    (unsigned long long)max);
		return MINDL_ERR_CONFIG;
	}
	*out = (uint64_t)i;
	if (present != NULL)
		*present = 1;
	return MINDL_OK;
}

static int
get_bool(json_t *obj, const char *key, int required, int *out,
    const char *where, struct schema_errbuf *eb)
{
	json_t *v;

	if ((v = json_object_get(obj, key)) == NULL) {
		if (!required)
			return MINDL_OK;
		mindl_log_debug("%s: %s: %s missing", __func__, where, key);
		schema_err(eb, "%s: \"%s\" missing", where, key);
		return MINDL_ERR_CONFIG;
	}
	if (!json_is_boolean(v)) {
		mindl_log_debug("%s: %s: %s", __func__, where, key);
		schema_err(eb, "%s: \"%s\": expected true or false", where,
		    key);
		return MINDL_ERR_CONFIG;
	}
	*out = json_is_true(v);
	return MINDL_OK;
}

/* Replaces *dst by a copy of src; NULL leaves it as it is. */
static int
set_text(char **dst, const char *src)
{
	char *n;

	if (src == NULL)
		return MINDL_OK;
	if ((n = schema_strdup(src)) == NULL)
		return MINDL_ERR_NOMEM;
	free(*dst);
	*dst = n;
	return MINDL_OK;
}

/*
 * The issuing authority: country, name, jurisdiction, UN sign, from the
 * build's policy.json and then from the DMV's own policy file
 * (mindl_schema_site_policy).  jurisdiction is required there.
 */
static int
parse_identity(struct mindl_schema *s, json_t *j, int site,
    const char *where, struct schema_errbuf *eb)
{
	struct mindl_policy *p = &s->policy;
	const char *country, *authority, *jur, *sign;
	size_t i;
	int r;

	if ((r = get_text(j, "issuing_country", 2, 1, &country, where,
	    eb)) != MINDL_OK ||
	    (r = get_text(j, "issuing_authority", MAX_POLICY_TEXT, 1,
	    &authority, where, eb)) != MINDL_OK ||
	    (r = get_text(j, "issuing_jurisdiction", 6, site, &jur, where,
	    eb)) != MINDL_OK ||
	    (r = get_text(j, "un_distinguishing_sign", 4, 1, &sign, where,
	    eb)) != MINDL_OK) {
		mindl_log_debug("%s: text fields", __func__);
		return r;
	}
	/* ISO 3166-1 alpha-2; jurisdiction is ISO 3166-2 "CC-XXX". */
	if (strlen(country) != 2 || !mindl_is_upper(country[0]) ||
	    !mindl_is_upper(country[1])) {
		mindl_log_debug("%s: issuing_country", __func__);
		schema_err(eb, "%s: issuing_country: expected an ISO 3166-1 "
		    "alpha-2 code", where);
		return MINDL_ERR_CONFIG;
	}
	if (jur != NULL) {
		size_t n = strlen(jur);

		for (i = 3; i < n; i++)
			if (!mindl_is_upper(jur[i]) && !mindl_is_digit(jur[i]))
				break;
		if (n < 4 || strncmp(jur, country, 2) != 0 || jur[2] != '-' ||
		    i != n) {
			mindl_log_debug("%s: issuing_jurisdiction", __func__);
			schema_err(eb, "%s: issuing_jurisdiction: expected an "
			    "ISO 3166-2 code in %s", where, country);
			return MINDL_ERR_CONFIG;
		}
	}
	for (i = 0; sign[i] != '\0'; i++)
		if (!mindl_is_upper(sign[i]))
			break;
	if (sign[i] != '\0') {
		mindl_log_debug("%s: un_distinguishing_sign", __func__);
		schema_err(eb, "%s: un_distinguishing_sign: expected capital "
		    "letters", where);
		return MINDL_ERR_CONFIG;
	}
	if (set_text(&s->country, country) != MINDL_OK ||
	    set_text(&s->authority, authority) != MINDL_OK ||
	    set_text(&s->jurisdiction, jur) != MINDL_OK ||
	    set_text(&s->un_sign, sign) != MINDL_OK) {
		mindl_log_debug("%s: set_text", __func__);
		return MINDL_ERR_NOMEM;
	}
	p->issuing_country = s->country;
	p->issuing_authority = s->authority;
	p->jurisdiction = s->jurisdiction;
	p->un_distinguishing_sign = s->un_sign;
	return MINDL_OK;
}

/*
 * One validity rule for everyone: whole years for the licence, days for
 * each signed copy.  required: the build's policy.json must state both; a
 * DMV's policy file may leave either to the build.
 */
static int
parse_validity(struct mindl_schema *s, json_t *j, int required,
    const char *where, struct schema_errbuf *eb)
{
	struct mindl_policy *p = &s->policy;
	const char *alg;
	uint64_t u;
	int r, a, present = 0;

	if ((r = get_uint(j, "licence_years", 1, 10, required, &u, &present,
	    where, eb)) != MINDL_OK) {
		mindl_log_debug("%s: licence_years", __func__);
		return r;
	}
	if (present)
		p->licence_years = (unsigned)u;
	if ((r = get_uint(j, "mso_days", 1, 365, required, &u, &present,
	    where, eb)) != MINDL_OK) {
		mindl_log_debug("%s: mso_days", __func__);
		return r;
	}
	if (present)
		p->mso_days = (unsigned)u;
	/*
	 * The MSO's digest algorithm: one for every credential of the DMV,
	 * so it says nothing of the holder (privacy rule 2).
	 */
	if ((r = get_text(j, "digest_algorithm", 16, 0, &alg, where, eb)) !=
	    MINDL_OK)
		return r;
	if (alg != NULL) {
		for (a = MINDL_DIGEST_SHA256; a <= MINDL_DIGEST_SHA512; a++)
			if (strcmp(alg, mindl_digest_name(a)) == 0)
				break;
		if (a > MINDL_DIGEST_SHA512) {
			mindl_log_debug("%s: digest_algorithm", __func__);
			schema_err(eb, "%s: \"digest_algorithm\": expected "
			    "\"SHA-256\", \"SHA-384\" or \"SHA-512\"", where);
			return MINDL_ERR_CONFIG;
		}
		p->digest_alg = a;
	}
	return MINDL_OK;
}

/* policy.json */

static int
parse_policy(struct mindl_schema *s, const struct schema_file *f,
    struct schema_errbuf *eb)
{
	static const char *const keys[] = {
		"issuing_country", "issuing_authority", "issuing_jurisdiction",
		"un_distinguishing_sign", "aamva_version", "licence_years",
		"mso_days", "digest_algorithm", "age_over", "namespaces",
		"forbidden", NULL
	};
	static const char *const nskeys[] = { "namespace", "digests", NULL };
	struct mindl_policy *p = &s->policy;
	const char *name;
	json_t *j = NULL, *a, *v;
	uint64_t u;
	size_t i, k;
	int r = MINDL_ERR_CONFIG;

	if ((r = json_parse(f, &j, eb)) != MINDL_OK)
		goto fail;
	r = MINDL_ERR_CONFIG;
	if ((r = check_keys(j, keys, f->name, eb)) != MINDL_OK ||
	    (r = parse_identity(s, j, 0, f->name, eb)) != MINDL_OK)
		goto fail;
	if ((r = get_uint(j, "aamva_version", 1, 255, 0, &s->aamva_version,
	    &s->has_aamva_version, f->name, eb)) != MINDL_OK) {
		mindl_log_debug("%s: aamva_version", __func__);
		goto fail;
	}
	p->digest_alg = MINDL_DIGEST_SHA256;
	if ((r = parse_validity(s, j, 1, f->name, eb)) != MINDL_OK)
		goto fail;
	r = MINDL_ERR_CONFIG;

	/* One age_over_NN set for everyone, strictly ascending. */
	if ((a = json_object_get(j, "age_over")) == NULL ||
	    !json_is_array(a) || json_array_size(a) >
	    sizeof(p->age_over) / sizeof(p->age_over[0])) {
		mindl_log_debug("%s: age_over", __func__);
		schema_err(eb, "%s: age_over: expected an array of at most "
		    "%zu ages", f->name,
		    sizeof(p->age_over) / sizeof(p->age_over[0]));
		goto fail;
	}
	json_array_foreach(a, i, v) {
		json_int_t age;

		if (!json_is_integer(v) || (age = json_integer_value(v)) < 1 ||
		    age > 99 || (i > 0 &&
		    (unsigned)age <= p->age_over[i - 1])) {
			mindl_log_debug("%s: age_over[%zu]", __func__, i);
			schema_err(eb, "%s: age_over: expected ages from 1 to "
			    "99 in ascending order", f->name);
			goto fail;
		}
		p->age_over[i] = (unsigned)age;
		p->n_age_over = i + 1;
	}

	/* Namespaces issued and their constant digest counts. */
	if ((a = json_object_get(j, "namespaces")) == NULL ||
	    !json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > sizeof(p->ns) / sizeof(p->ns[0])) {
		mindl_log_debug("%s: namespaces", __func__);
		schema_err(eb, "%s: namespaces: expected an array of 1 to %zu "
		    "objects", f->name, sizeof(p->ns) / sizeof(p->ns[0]));
		goto fail;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_object(v)) {
			mindl_log_debug("%s: namespaces[%zu]", __func__, i);
			schema_err(eb, "%s: namespaces[%zu]: expected an "
			    "object", f->name, i);
			goto fail;
		}
		if ((r = check_keys(v, nskeys, f->name, eb)) != MINDL_OK ||
		    (r = get_text(v, "namespace", MAX_NAME, 1, &name, f->name,
		    eb)) != MINDL_OK ||
		    (r = get_uint(v, "digests", 1, MINDL_MAX_ELEMENTS, 1, &u,
		    NULL, f->name, eb)) != MINDL_OK) {
			mindl_log_debug("%s: namespaces[%zu]", __func__, i);
			goto fail;
		}
		r = MINDL_ERR_CONFIG;
		if (!good_name(name)) {
			mindl_log_debug("%s: namespace name", __func__);
			schema_err(eb, "%s: namespaces[%zu]: bad name",
			    f->name, i);
			goto fail;
		}
		for (k = 0; k < i; k++)
			if (strcmp(s->ns_names[k], name) == 0)
				break;
		if (k < i) {
			mindl_log_debug("%s: duplicate namespace", __func__);
			schema_err(eb, "%s: namespace %s listed twice",
			    f->name, name);
			goto fail;
		}
		if ((s->ns_names[i] = schema_strdup(name)) == NULL) {
			r = MINDL_ERR_NOMEM;
			goto fail;
		}
		p->ns[i] = s->ns_names[i];
		p->digests[i] = (unsigned)u;
		p->n_ns = i + 1;
	}
	for (i = 0; i < p->n_ns; i++)
		if (strcmp(p->ns[i], MINDL_NS_ISO) == 0)
			break;
	if (i == p->n_ns) {
		mindl_log_debug("%s: no ISO namespace", __func__);
		schema_err(eb, "%s: namespaces: %s is required", f->name,
		    MINDL_NS_ISO);
		goto fail;
	}

	/* Extensions of the forbidden list (never a reduction). */
	if ((a = json_object_get(j, "forbidden")) != NULL) {
		if (!json_is_array(a) || json_array_size(a) > MAX_EXTRA) {
			mindl_log_debug("%s: forbidden", __func__);
			schema_err(eb, "%s: forbidden: expected an array of at "
			    "most %d names", f->name, MAX_EXTRA);
			goto fail;
		}
		if ((s->extra = mindl_calloc(json_array_size(a) + 1,
		    sizeof(*s->extra))) == NULL) {
			r = MINDL_ERR_NOMEM;
			goto fail;
		}
		json_array_foreach(a, i, v) {
			const char *t;
			char *stem;
			size_t n;

			if (!json_is_string(v) ||
			    !good_name((t = json_string_value(v)))) {
				mindl_log_debug("%s: forbidden[%zu]", __func__,
				    i);
				schema_err(eb, "%s: forbidden[%zu]: expected "
				    "an element name", f->name, i);
				goto fail;
			}
			/* Stored as a stem, as the matcher compares names. */
			if ((stem = schema_strdup(t)) == NULL) {
				r = MINDL_ERR_NOMEM;
				goto fail;
			}
			n = schema_forbidden_stem(stem, t);
			s->extra[s->n_extra++] = stem;
			if (n == 0) {
				mindl_log_debug("%s: forbidden[%zu] empty",
				    __func__, i);
				schema_err(eb, "%s: forbidden[%zu]: no letters",
				    f->name, i);
				goto fail;
			}
		}
	}
	r = MINDL_OK;
 fail:
	json_decref(j);
	return r;
}

/* elements-*.json */

static int
add_elem(struct mindl_schema *s, struct schema_elem *e)
{
	struct schema_elem *n;

	if (s->n_elems >= MINDL_MAX_ELEMENTS)
		return MINDL_ERR_TOO_LARGE;
	if (s->n_elems == s->cap_elems) {
		size_t cap = s->cap_elems == 0 ? 32 : s->cap_elems * 2;

		if ((n = mindl_realloc(s->elems, cap * sizeof(*n))) == NULL)
			return MINDL_ERR_NOMEM;
		s->elems = n;
		s->cap_elems = cap;
	}
	s->elems[s->n_elems++] = *e;
	memset(e, 0, sizeof(*e));
	return MINDL_OK;
}

static int
parse_values(struct schema_elem *e, json_t *a, const char *where,
    struct schema_errbuf *eb)
{
	json_t *v;
	size_t i, n;

	n = json_array_size(a);
	if (!json_is_array(a) || n == 0 || n > SCHEMA_MAX_VALUES ||
	    (e->type != MINDL_ET_TSTR && e->type != MINDL_ET_UINT)) {
		mindl_log_debug("%s: %s", __func__, where);
		schema_err(eb, "%s: values: expected 1 to %d values of a tstr "
		    "or uint element", where, SCHEMA_MAX_VALUES);
		return MINDL_ERR_CONFIG;
	}
	if (e->type == MINDL_ET_TSTR)
		e->svalues = mindl_calloc(n, sizeof(*e->svalues));
	else
		e->uvalues = mindl_calloc(n, sizeof(*e->uvalues));
	if (e->svalues == NULL && e->uvalues == NULL)
		return MINDL_ERR_NOMEM;
	json_array_foreach(a, i, v) {
		if (e->type == MINDL_ET_TSTR && json_is_string(v) &&
		    good_text(json_string_value(v), MAX_POLICY_TEXT)) {
			if ((e->svalues[i] =
			    schema_strdup(json_string_value(v))) == NULL)
				return MINDL_ERR_NOMEM;
		} else if (e->type == MINDL_ET_UINT && json_is_integer(v) &&
		    json_integer_value(v) >= 0)
			e->uvalues[i] = (uint64_t)json_integer_value(v);
		else {
			mindl_log_debug("%s: %s: values[%zu]", __func__, where,
			    i);
			schema_err(eb, "%s: values[%zu]: wrong type", where,
			    i);
			return MINDL_ERR_CONFIG;
		}
		e->n_values = i + 1;
	}
	return MINDL_OK;
}

/*
 * A code table of a privileges element: 1 to SCHEMA_MAX_CODES strings of
 * [A-Za-z0-9.<>=], at most 8 bytes each ("NN.nn" stands for the
 * sub-codes of NN).
 */
static int
parse_strset(struct schema_strset *set, json_t *o, const char *key,
    const char *where, struct schema_errbuf *eb)
{
	json_t *a, *v;
	const char *t;
	size_t i, k, n;

	if ((a = json_object_get(o, key)) == NULL)
		return MINDL_OK;
	n = json_array_size(a);
	if (!json_is_array(a) || n == 0 || n > SCHEMA_MAX_CODES) {
		mindl_log_debug("%s: %s: %s", __func__, where, key);
		schema_err(eb, "%s: %s: expected 1 to %d strings", where, key,
		    SCHEMA_MAX_CODES);
		return MINDL_ERR_CONFIG;
	}
	if ((set->v = mindl_calloc(n, sizeof(*set->v))) == NULL)
		return MINDL_ERR_NOMEM;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v) || (t = json_string_value(v))[0] ==
		    '\0' || strlen(t) > 8) {
			schema_err(eb, "%s: %s[%zu]: expected a code of 1 to "
			    "8 characters", where, key, i);
			return MINDL_ERR_CONFIG;
		}
		for (k = 0; t[k] != '\0'; k++)
			if (!mindl_is_alpha((unsigned char)t[k]) &&
			    !mindl_is_digit((unsigned char)t[k]) &&
			    strchr(".<>=", t[k]) == NULL) {
				schema_err(eb, "%s: %s[%zu]: a code is "
				    "[A-Za-z0-9.<>=]", where, key, i);
				return MINDL_ERR_CONFIG;
			}
		if ((set->v[i] = schema_strdup(t)) == NULL)
			return MINDL_ERR_NOMEM;
		set->n = i + 1;
	}
	return MINDL_OK;
}

int
schema_strset_has(const struct schema_strset *set, const char *s, size_t n)
{
	const char *e;
	size_t i, el;

	for (i = 0; i < set->n; i++) {
		e = set->v[i];
		el = strlen(e);
		if (el == n && memcmp(e, s, n) == 0)
			return 1;
		/* "01.nn": "01." and two digits */
		if (el > 3 && strcmp(e + el - 3, ".nn") == 0 && n == el &&
		    memcmp(e, s, el - 2) == 0 &&
		    mindl_is_digit((unsigned char)s[n - 2]) &&
		    mindl_is_digit((unsigned char)s[n - 1]))
			return 1;
	}
	return 0;
}

static const struct {
	const char		*name;
	enum schema_charset	 cs;
} charset_tab[] = {
	{ "text", CS_TEXT },
	{ "name", CS_NAME },
	{ "address", CS_ADDRESS },
	{ "id", CS_ID },
	{ "code", CS_CODE },
};

static int
parse_elem(struct mindl_schema *s, const char *ns, json_t *o,
    const char *file, size_t idx, struct schema_elem *e,
    struct schema_errbuf *eb)
{
	static const char *const keys[] = {
		"identifier", "type", "required", "source", "pattern",
		"max_length", "max", "values", "charset", "accepts_tdate",
		"categories", "codes", "signs", "label", NULL
	};
	char where[256], safe[SCHEMA_SAFE_NAME];
	const char *id, *type, *source, *cs = NULL, *label = NULL;
	json_t *v;
	uint64_t u;
	size_t i;
	int pattern = 0, r;

	snprintf(where, sizeof(where), "%s: elements[%zu]", file, idx);
	if (!json_is_object(o)) {
		mindl_log_debug("%s: %s", __func__, where);
		schema_err(eb, "%s: expected an object", where);
		return MINDL_ERR_CONFIG;
	}
	/* Forbidden names first: the error must name privacy rule 1. */
	if ((v = json_object_get(o, "identifier")) != NULL &&
	    json_is_string(v) &&
	    schema_forbidden(s, json_string_value(v))) {
		schema_safe_name(safe, json_string_value(v));
		mindl_log_debug("%s: %s: forbidden %s", __func__, where, safe);
		schema_err(eb, "%s: \"%s\" is a forbidden element "
		    "(lawful-status proxy, DESIGN.md section 4 rule 1)", where,
		    safe);
		return MINDL_ERR_FORBIDDEN_ELEMENT;
	}
	if ((r = check_keys(o, keys, where, eb)) != MINDL_OK ||
	    (r = get_text(o, "identifier", MAX_NAME, 1, &id, where,
	    eb)) != MINDL_OK ||
	    (r = get_text(o, "type", 16, 1, &type, where, eb)) != MINDL_OK ||
	    (r = get_bool(o, "required", 1, &e->required, where,
	    eb)) != MINDL_OK ||
	    (r = get_text(o, "source", 16, 1, &source, where,
	    eb)) != MINDL_OK ||
	    (r = get_bool(o, "pattern", 0, &pattern, where,
	    eb)) != MINDL_OK ||
	    (r = get_text(o, "label", MAX_LABEL, 0, &label, where,
	    eb)) != MINDL_OK) {
		mindl_log_debug("%s: %s: fields", __func__, where);
		return r;
	}
	snprintf(where, sizeof(where), "%s: %s", file, id);
	if (!good_name(id)) {
		mindl_log_debug("%s: %s: bad identifier", __func__, where);
		schema_err(eb, "%s: bad identifier", where);
		return MINDL_ERR_CONFIG;
	}
	for (i = 0; i < sizeof(etype_tab) / sizeof(etype_tab[0]); i++)
		if (strcmp(type, etype_tab[i].name) == 0)
			e->type = etype_tab[i].type;
	if (e->type == 0) {
		mindl_log_debug("%s: %s: type", __func__, where);
		schema_err(eb, "%s: unknown type \"%s\"", where, type);
		return MINDL_ERR_CONFIG;
	}
	if (strcmp(source, "record") == 0)
		e->source = SRC_RECORD;
	else if (strcmp(source, "derived") == 0)
		e->source = SRC_DERIVED;
	else if (strcmp(source, "portrait") == 0)
		e->source = SRC_PORTRAIT;
	else {
		mindl_log_debug("%s: %s: source", __func__, where);
		schema_err(eb, "%s: source must be record, derived or "
		    "portrait", where);
		return MINDL_ERR_CONFIG;
	}
	if ((e->ns = schema_strdup(ns)) == NULL ||
	    (e->id = schema_strdup(id)) == NULL ||
	    (e->label = schema_strdup(label != NULL ? label : id)) == NULL)
		return MINDL_ERR_NOMEM;
	/* ISO's own elements first, each table in its written order. */
	e->rank = (strcmp(ns, MINDL_NS_ISO) == 0 ? 0 : 1000) + (unsigned)idx;

	/* Derived elements are exactly those the issuer can compute. */
	for (i = 0; i < sizeof(derived_tab) / sizeof(derived_tab[0]); i++)
		if (strcmp(ns, derived_tab[i].ns) == 0 &&
		    strcmp(id, derived_tab[i].id) == 0)
			break;
	if (pattern) {
		if (strcmp(ns, MINDL_NS_ISO) != 0 ||
		    strcmp(id, AGE_OVER_PATTERN) != 0 ||
		    e->type != MINDL_ET_BOOL || e->source != SRC_DERIVED) {
			mindl_log_debug("%s: %s: pattern", __func__, where);
			schema_err(eb, "%s: the only pattern is %s, a derived "
			    "bool in %s", where, AGE_OVER_PATTERN,
			    MINDL_NS_ISO);
			return MINDL_ERR_CONFIG;
		}
		e->derived = DRV_AGE_OVER;
	} else if (strncmp(id, AGE_OVER_PREFIX,
	    strlen(AGE_OVER_PREFIX)) == 0) {
		mindl_log_debug("%s: %s: age_over", __func__, where);
		schema_err(eb, "%s: age_over_NN elements come from the %s "
		    "pattern and the policy's age_over set", where,
		    AGE_OVER_PATTERN);
		return MINDL_ERR_CONFIG;
	} else if (i < sizeof(derived_tab) / sizeof(derived_tab[0])) {
		if (e->source != SRC_DERIVED ||
		    e->type != derived_tab[i].type) {
			mindl_log_debug("%s: %s: derived", __func__, where);
			schema_err(eb, "%s: computed by policy: source must be "
			    "derived, with its standard type", where);
			return MINDL_ERR_CONFIG;
		}
		e->derived = derived_tab[i].derived;
	} else if (e->source == SRC_DERIVED) {
		mindl_log_debug("%s: %s: not derivable", __func__, where);
		schema_err(eb, "%s: mindl cannot compute this element; source "
		    "must be record", where);
		return MINDL_ERR_CONFIG;
	}
	if ((e->type == MINDL_ET_BSTR) != (e->source == SRC_PORTRAIT)) {
		mindl_log_debug("%s: %s: portrait", __func__, where);
		schema_err(eb, "%s: bstr elements come from the portrait file "
		    "and only from it", where);
		return MINDL_ERR_CONFIG;
	}

	/* Value constraints. */
	if ((r = get_uint(o, "max_length", 1, MINDL_MAX_RECORD, 0, &u, NULL,
	    where, eb)) != MINDL_OK)
		return r;
	if (json_object_get(o, "max_length") != NULL) {
		if (e->type != MINDL_ET_TSTR) {
			schema_err(eb, "%s: max_length is for tstr", where);
			return MINDL_ERR_CONFIG;
		}
		e->max_length = (size_t)u;
	}
	if ((r = get_uint(o, "max", 0, UINT32_MAX, 0, &e->max, &e->has_max,
	    where, eb)) != MINDL_OK)
		return r;
	if (e->has_max && e->type != MINDL_ET_UINT) {
		schema_err(eb, "%s: max is for uint", where);
		return MINDL_ERR_CONFIG;
	}
	if ((v = json_object_get(o, "values")) != NULL &&
	    (r = parse_values(e, v, where, eb)) != MINDL_OK)
		return r;
	if ((r = get_text(o, "charset", 16, 0, &cs, where, eb)) != MINDL_OK)
		return r;
	if (cs != NULL) {
		for (i = 0; i < sizeof(charset_tab) / sizeof(charset_tab[0]);
		    i++)
			if (strcmp(cs, charset_tab[i].name) == 0)
				break;
		if (e->type != MINDL_ET_TSTR ||
		    i == sizeof(charset_tab) / sizeof(charset_tab[0])) {
			schema_err(eb, "%s: charset is for tstr: text, name, "
			    "address, id or code", where);
			return MINDL_ERR_CONFIG;
		}
		e->charset = charset_tab[i].cs;
	}
	if ((r = get_bool(o, "accepts_tdate", 0, &e->accepts_tdate, where,
	    eb)) != MINDL_OK)
		return r;
	if (e->accepts_tdate && e->type != MINDL_ET_FULLDATE) {
		schema_err(eb, "%s: accepts_tdate is for full-date", where);
		return MINDL_ERR_CONFIG;
	}
	if ((r = parse_strset(&e->categories, o, "categories", where,
	    eb)) != MINDL_OK ||
	    (r = parse_strset(&e->codes, o, "codes", where, eb)) != MINDL_OK ||
	    (r = parse_strset(&e->signs, o, "signs", where, eb)) != MINDL_OK)
		return r;
	if (e->type != MINDL_ET_PRIVILEGES && (e->categories.n > 0 ||
	    e->codes.n > 0 || e->signs.n > 0)) {
		schema_err(eb, "%s: categories, codes and signs are for "
		    "privileges", where);
		return MINDL_ERR_CONFIG;
	}
	if (e->type == MINDL_ET_PRIVILEGES && (e->categories.n == 0 ||
	    e->codes.n == 0 || e->signs.n == 0)) {
		schema_err(eb, "%s: a privileges element needs its tables: "
		    "categories, codes and signs", where);
		return MINDL_ERR_CONFIG;
	}
	return MINDL_OK;
}

static int
parse_elements(struct mindl_schema *s, const struct schema_file *f,
    struct schema_errbuf *eb)
{
	static const char *const keys[] = { "namespace", "elements", NULL };
	struct schema_elem e;
	const char *ns;
	json_t *j = NULL, *a, *v;
	size_t i;
	int r;

	memset(&e, 0, sizeof(e));
	if ((r = json_parse(f, &j, eb)) != MINDL_OK)
		goto fail;
	if ((r = check_keys(j, keys, f->name, eb)) != MINDL_OK ||
	    (r = get_text(j, "namespace", MAX_NAME, 1, &ns, f->name,
	    eb)) != MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, f->name);
		goto fail;
	}
	r = MINDL_ERR_CONFIG;
	if (!good_name(ns)) {
		mindl_log_debug("%s: %s: namespace", __func__, f->name);
		schema_err(eb, "%s: bad namespace name", f->name);
		goto fail;
	}
	for (i = 0; i < s->n_elems; i++)
		if (strcmp(s->elems[i].ns, ns) == 0)
			break;
	if (i < s->n_elems) {
		mindl_log_debug("%s: %s: namespace again", __func__, f->name);
		schema_err(eb, "%s: namespace %s already has a table",
		    f->name, ns);
		goto fail;
	}
	if ((a = json_object_get(j, "elements")) == NULL ||
	    !json_is_array(a) || json_array_size(a) == 0) {
		mindl_log_debug("%s: %s: elements", __func__, f->name);
		schema_err(eb, "%s: elements: expected a non-empty array",
		    f->name);
		goto fail;
	}
	json_array_foreach(a, i, v) {
		if ((r = parse_elem(s, ns, v, f->name, i, &e, eb)) !=
		    MINDL_OK) {
			mindl_log_debug("%s: parse_elem", __func__);
			goto fail;
		}
		if ((r = add_elem(s, &e)) != MINDL_OK) {
			mindl_log_debug("%s: add_elem", __func__);
			schema_err(eb, "%s: too many elements", f->name);
			goto fail;
		}
	}
	r = MINDL_OK;
 fail:
	elemdef_clear(&e);
	json_decref(j);
	return r;
}

static int
elem_cmp(const void *a, const void *b)
{
	const struct schema_elem *x = a, *y = b;
	int c;

	if ((c = strcmp(x->ns, y->ns)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

/* The pattern's label with its "NN" as the age: "Age 21 or over". */
static char *
age_label(const char *pattern, unsigned age)
{
	char buf[MAX_LABEL + 8];
	const char *nn = strstr(pattern, "NN");

	if (nn == NULL)
		return schema_strdup(pattern);
	(void)snprintf(buf, sizeof(buf), "%.*s%u%s", (int)(nn - pattern),
	    pattern, age, nn + 2);
	return schema_strdup(buf);
}

/* Replaces the age_over_NN pattern by one element per policy age. */
static int
expand_age_over(struct mindl_schema *s, struct schema_errbuf *eb)
{
	struct schema_elem e;
	char id[sizeof(AGE_OVER_PREFIX) + 2];
	size_t i, pat;
	int r;

	for (pat = 0; pat < s->n_elems; pat++)
		if (s->elems[pat].derived == DRV_AGE_OVER)
			break;
	if (pat == s->n_elems) {
		if (s->policy.n_age_over > 0) {
			mindl_log_debug("%s: no pattern", __func__);
			schema_err(eb, "policy.json: age_over is set but no "
			    "element table has %s", AGE_OVER_PATTERN);
			return MINDL_ERR_CONFIG;
		}
		return MINDL_OK;
	}
	for (i = 0; i < s->policy.n_age_over; i++) {
		memset(&e, 0, sizeof(e));
		snprintf(id, sizeof(id), "%s%02u", AGE_OVER_PREFIX,
		    s->policy.age_over[i]);
		e.type = MINDL_ET_BOOL;
		e.required = 1;
		e.source = SRC_DERIVED;
		e.derived = DRV_AGE_OVER;
		e.age = s->policy.age_over[i];
		e.rank = s->elems[pat].rank;
		if ((e.ns = schema_strdup(MINDL_NS_ISO)) == NULL ||
		    (e.id = schema_strdup(id)) == NULL ||
		    (e.label = age_label(s->elems[pat].label, e.age)) ==
		    NULL) {
			elemdef_clear(&e);
			return MINDL_ERR_NOMEM;
		}
		if ((r = add_elem(s, &e)) != MINDL_OK) {
			elemdef_clear(&e);
			return r;
		}
	}
	/* Drop the pattern itself (it is not an element). */
	elemdef_clear(&s->elems[pat]);
	s->elems[pat] = s->elems[--s->n_elems];
	memset(&s->elems[s->n_elems], 0, sizeof(s->elems[0]));
	return MINDL_OK;
}

const struct schema_elem *
schema_find(const struct mindl_schema *s, const char *ns, const char *id)
{
	size_t i;

	if (s == NULL || ns == NULL || id == NULL)
		return NULL;
	for (i = 0; i < s->n_elems; i++)
		if (strcmp(s->elems[i].ns, ns) == 0 &&
		    strcmp(s->elems[i].id, id) == 0)
			return &s->elems[i];
	return NULL;
}

/* Consistency of tables and policy (privacy rule 2: one shape). */
static int
check_tables(struct mindl_schema *s, struct schema_errbuf *eb)
{
	const struct mindl_policy *p = &s->policy;
	const struct schema_elem *bd;
	size_t i, k, count;
	int r;

	if ((r = expand_age_over(s, eb)) != MINDL_OK)
		return r;
	if (s->n_elems > 1)
		qsort(s->elems, s->n_elems, sizeof(s->elems[0]), elem_cmp);
	for (i = 1; i < s->n_elems; i++)
		if (elem_cmp(&s->elems[i - 1], &s->elems[i]) == 0) {
			mindl_log_debug("%s: duplicate %s", __func__,
			    s->elems[i].id);
			schema_err(eb, "%s: %s defined twice", s->elems[i].ns,
			    s->elems[i].id);
			return MINDL_ERR_CONFIG;
		}
	/* Every table is issued, and every issued namespace has a table. */
	for (i = 0; i < s->n_elems; i++) {
		for (k = 0; k < p->n_ns; k++)
			if (strcmp(s->elems[i].ns, p->ns[k]) == 0)
				break;
		if (k == p->n_ns) {
			mindl_log_debug("%s: %s not in policy", __func__,
			    s->elems[i].ns);
			schema_err(eb, "policy.json: namespaces: %s has an "
			    "element table but no digest count",
			    s->elems[i].ns);
			return MINDL_ERR_CONFIG;
		}
	}
	for (k = 0; k < p->n_ns; k++) {
		for (i = 0, count = 0; i < s->n_elems; i++)
			if (strcmp(s->elems[i].ns, p->ns[k]) == 0)
				count++;
		if (count == 0) {
			mindl_log_debug("%s: %s empty", __func__, p->ns[k]);
			schema_err(eb, "policy.json: namespaces: %s has no "
			    "element table", p->ns[k]);
			return MINDL_ERR_CONFIG;
		}
		/*
		 * Decoy padding must be able to hide every combination of
		 * optional elements: the table (age_over set included,
		 * already expanded) must fit in the digest count.
		 */
		if (count > p->digests[k]) {
			mindl_log_debug("%s: %s: %zu > %u digests", __func__,
			    p->ns[k], count, p->digests[k]);
			schema_err(eb, "policy.json: namespaces: %s can hold "
			    "%zu elements (age_over set included) but has only "
			    "%u digests", p->ns[k], count, p->digests[k]);
			return MINDL_ERR_CONFIG;
		}
	}
	for (i = 0; i < s->n_elems; i++) {
		const struct schema_elem *e = &s->elems[i];

		if ((e->derived == DRV_JURISDICTION && p->jurisdiction ==
		    NULL) || (e->derived == DRV_AAMVA_VERSION &&
		    !s->has_aamva_version)) {
			mindl_log_debug("%s: %s: no policy value", __func__,
			    e->id);
			schema_err(eb, "policy.json: %s is in the element "
			    "tables but the policy gives no value", e->id);
			return MINDL_ERR_CONFIG;
		}
	}
	/* age_over_NN is computed from birth_date, which must be there. */
	if (p->n_age_over > 0 &&
	    ((bd = schema_find(s, MINDL_NS_ISO, "birth_date")) == NULL ||
	    bd->type != MINDL_ET_FULLDATE || bd->source != SRC_RECORD ||
	    !bd->required)) {
		mindl_log_debug("%s: birth_date", __func__);
		schema_err(eb, "%s: age_over_NN needs birth_date as a "
		    "required full-date from the record", MINDL_NS_ISO);
		return MINDL_ERR_CONFIG;
	}
	return MINDL_OK;
}

/* profiles.json */

/* The index of element id in profile p, or p->n. */
static size_t
profile_index(const struct mindl_profile *p, const char *id)
{
	size_t i;

	for (i = 0; i < p->n && strcmp(p->ids[i], id) != 0; i++)
		;
	return i;
}

/*
 * "purpose": {"question": "OVER 21", ? "true": [id, ...], ?
 * "not_expired": bool, ? "privileges": bool}: what a verifier of this
 * kind decides, by rules mindl_purpose_judge knows.  Each element a rule
 * reads must be one the profile lists (and of the right type), so that
 * the rule is always decided from what was disclosed.
 */
static int
parse_purpose(const struct mindl_schema *s, struct mindl_profile *p,
    json_t *o, const char *where, struct schema_errbuf *eb)
{
	static const char *const keys[] = {
		"question", "true", "not_expired", "privileges", NULL
	};
	const struct schema_elem *e;
	const char *q, *id;
	json_t *a, *v;
	size_t i, k;
	int r;

	if (o == NULL || !json_is_object(o)) {
		mindl_log_debug("%s: %s: purpose", __func__, where);
		schema_err(eb, "%s: purpose: every profile states the "
		    "decision its verifier makes (an object)", where);
		return MINDL_ERR_CONFIG;
	}
	if ((r = check_keys(o, keys, where, eb)) != MINDL_OK ||
	    (r = get_text(o, "question", 32, 1, &q, where, eb)) != MINDL_OK ||
	    (r = get_bool(o, "not_expired", 0, &p->not_expired, where,
	    eb)) != MINDL_OK ||
	    (r = get_bool(o, "privileges", 0, &p->privileges, where,
	    eb)) != MINDL_OK)
		return r;
	for (i = 0; q[i] != '\0'; i++)
		if (!mindl_is_upper(q[i]) && !mindl_is_digit(q[i]) &&
		    q[i] != ' ')
			break;
	if (q[i] != '\0') {
		schema_err(eb, "%s: purpose.question: capital letters, digits "
		    "and spaces, read at a glance", where);
		return MINDL_ERR_CONFIG;
	}
	if ((p->question = schema_strdup(q)) == NULL)
		return MINDL_ERR_NOMEM;
	if ((a = json_object_get(o, "true")) != NULL) {
		if (!json_is_array(a) || json_array_size(a) == 0 ||
		    json_array_size(a) > p->n) {
			schema_err(eb, "%s: purpose.true: expected a list of "
			    "the profile's bool elements", where);
			return MINDL_ERR_CONFIG;
		}
		if ((p->true_idx = mindl_calloc(json_array_size(a),
		    sizeof(*p->true_idx))) == NULL)
			return MINDL_ERR_NOMEM;
		json_array_foreach(a, i, v) {
			id = json_is_string(v) ? json_string_value(v) : "";
			if ((k = profile_index(p, id)) == p->n ||
			    (e = schema_find(s, p->ns[k], id)) == NULL ||
			    e->type != MINDL_ET_BOOL) {
				schema_err(eb, "%s: purpose.true[%zu]: not a "
				    "bool element of this profile", where, i);
				return MINDL_ERR_CONFIG;
			}
			p->true_idx[i] = k;
			p->n_true = i + 1;
		}
	}
	if (p->not_expired && profile_index(p, "expiry_date") == p->n) {
		schema_err(eb, "%s: purpose.not_expired needs expiry_date in "
		    "the profile", where);
		return MINDL_ERR_CONFIG;
	}
	if (p->privileges && profile_index(p, "driving_privileges") == p->n) {
		schema_err(eb, "%s: purpose.privileges needs "
		    "driving_privileges in the profile", where);
		return MINDL_ERR_CONFIG;
	}
	if (p->n_true == 0 && !p->not_expired && !p->privileges) {
		schema_err(eb, "%s: purpose: no rule (true, not_expired or "
		    "privileges)", where);
		return MINDL_ERR_CONFIG;
	}
	return MINDL_OK;
}

/* The index of ns/id among the profile's elements, or p->n. */
static size_t
profile_element_index(const struct mindl_profile *p, const char *ns,
    const char *id)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->ns[i], ns) == 0 && strcmp(p->ids[i], id) == 0)
			break;
	return i;
}

/*
 * "retain": the profile's elements this kind of verifier may keep after
 * the check (a request's intent_to_retain), [namespace, identifier] each.
 * Absent: nothing may be kept.
 */
static int
parse_retain(struct mindl_profile *p, json_t *a, const char *where,
    struct schema_errbuf *eb)
{
	const char *ns, *eid;
	json_t *v;
	size_t i, k;

	if (a == NULL)
		return MINDL_OK;
	if (!json_is_array(a) || json_array_size(a) > p->n) {
		schema_err(eb, "%s: retain: expected an array of the "
		    "profile's elements", where);
		return MINDL_ERR_CONFIG;
	}
	json_array_foreach(a, i, v) {
		if (!json_is_array(v) || json_array_size(v) != 2 ||
		    !json_is_string(json_array_get(v, 0)) ||
		    !json_is_string(json_array_get(v, 1))) {
			schema_err(eb, "%s: retain[%zu]: expected [namespace, "
			    "identifier]", where, i);
			return MINDL_ERR_CONFIG;
		}
		ns = json_string_value(json_array_get(v, 0));
		eid = json_string_value(json_array_get(v, 1));
		if ((k = profile_element_index(p, ns, eid)) == p->n ||
		    p->retain[k]) {
			schema_err(eb, "%s: retain[%zu]: not one of the "
			    "profile's elements, or listed twice", where, i);
			return MINDL_ERR_CONFIG;
		}
		p->retain[k] = 1;
	}
	return MINDL_OK;
}

static int
parse_profile(struct mindl_schema *s, json_t *o, size_t idx,
    struct mindl_profile *p, struct schema_errbuf *eb)
{
	static const char *const keys[] = {
		"id", "title", "portrait", "elements", "purpose", "retain",
		NULL
	};
	char where[128], safe[SCHEMA_SAFE_NAME], safens[SCHEMA_SAFE_NAME];
	const struct schema_elem *e;
	const char *id, *title, *ns, *eid;
	json_t *a, *v;
	size_t i, k, n;
	int portrait = 0, has_portrait = 0, n_age = 0, other = 0, r;

	snprintf(where, sizeof(where), "profiles.json: profiles[%zu]", idx);
	if (!json_is_object(o)) {
		mindl_log_debug("%s: %s", __func__, where);
		schema_err(eb, "%s: expected an object", where);
		return MINDL_ERR_CONFIG;
	}
	if ((r = check_keys(o, keys, where, eb)) != MINDL_OK ||
	    (r = get_text(o, "id", 32, 1, &id, where, eb)) != MINDL_OK ||
	    (r = get_text(o, "title", MAX_POLICY_TEXT, 1, &title, where,
	    eb)) != MINDL_OK ||
	    (r = get_bool(o, "portrait", 1, &portrait, where,
	    eb)) != MINDL_OK) {
		mindl_log_debug("%s: %s: fields", __func__, where);
		return r;
	}
	for (i = 0; id[i] != '\0'; i++)
		if (!mindl_is_lower(id[i]) && !mindl_is_digit(id[i]) &&
		    id[i] != '-')
			break;
	if (id[i] != '\0') {
		mindl_log_debug("%s: %s: id", __func__, where);
		schema_err(eb, "%s: id: expected [a-z0-9-]", where);
		return MINDL_ERR_CONFIG;
	}
	snprintf(where, sizeof(where), "profiles.json: %s", id);
	if ((a = json_object_get(o, "elements")) == NULL ||
	    !json_is_array(a) || (n = json_array_size(a)) == 0 ||
	    n > MINDL_MAX_ELEMENTS) {
		mindl_log_debug("%s: %s: elements", __func__, where);
		schema_err(eb, "%s: elements: expected a non-empty array",
		    where);
		return MINDL_ERR_CONFIG;
	}
	if ((p->id = schema_strdup(id)) == NULL ||
	    (p->title = schema_strdup(title)) == NULL ||
	    (p->ns = mindl_calloc(n, sizeof(*p->ns))) == NULL ||
	    (p->ids = mindl_calloc(n, sizeof(*p->ids))) == NULL ||
	    (p->retain = mindl_calloc(n, sizeof(*p->retain))) == NULL)
		return MINDL_ERR_NOMEM;
	json_array_foreach(a, i, v) {
		if (!json_is_array(v) || json_array_size(v) != 2 ||
		    !json_is_string(json_array_get(v, 0)) ||
		    !json_is_string(json_array_get(v, 1))) {
			mindl_log_debug("%s: %s: elements[%zu]", __func__,
			    where, i);
			schema_err(eb, "%s: elements[%zu]: expected "
			    "[namespace, identifier]", where, i);
			return MINDL_ERR_CONFIG;
		}
		ns = json_string_value(json_array_get(v, 0));
		eid = json_string_value(json_array_get(v, 1));
		schema_safe_name(safe, eid);
		schema_safe_name(safens, ns);
		if (schema_forbidden(s, eid)) {
			mindl_log_debug("%s: %s: forbidden %s", __func__,
			    where, safe);
			schema_err(eb, "%s: \"%s\" is a forbidden element "
			    "(lawful-status proxy, DESIGN.md section 4 rule 1)",
			    where, safe);
			return MINDL_ERR_FORBIDDEN_ELEMENT;
		}
		if ((e = schema_find(s, ns, eid)) == NULL) {
			mindl_log_debug("%s: %s: unknown %s", __func__, where,
			    safe);
			if (strncmp(eid, AGE_OVER_PREFIX,
			    strlen(AGE_OVER_PREFIX)) == 0)
				schema_err(eb, "%s: %s is not in the policy's "
				    "age_over set", where, safe);
			else
				schema_err(eb, "%s: %s %s is not in the "
				    "element tables", where, safens, safe);
			return MINDL_ERR_CONFIG;
		}
		/*
		 * Only elements every credential holds: an optional one is
		 * present for some holders and absent for others, and a
		 * profile that asks for it would learn which (privacy rule
		 * 2; presence can correlate with status).
		 */
		if (e->source == SRC_RECORD && !e->required) {
			mindl_log_debug("%s: %s: optional %s", __func__, where,
			    safe);
			schema_err(eb, "%s: %s is optional in the element "
			    "tables: its presence would tell holders apart; a "
			    "profile lists only required or computed elements",
			    where, safe);
			return MINDL_ERR_CONFIG;
		}
		for (k = 0; k < i; k++)
			if (p->ns[k] == e->ns && p->ids[k] == e->id)
				break;
		if (k < i) {
			mindl_log_debug("%s: %s: %s twice", __func__, where,
			    safe);
			schema_err(eb, "%s: %s listed twice", where, safe);
			return MINDL_ERR_CONFIG;
		}
		/* Borrowed from the element table, which outlives us. */
		p->ns[i] = e->ns;
		p->ids[i] = e->id;
		p->n = i + 1;
		if (e->source == SRC_PORTRAIT) {
			has_portrait = 1;
			p->portrait_ns = e->ns;
			p->portrait_id = e->id;
		} else if (e->derived == DRV_AGE_OVER)
			n_age++;
		else
			other++;
	}
	/* Only ages and the portrait: a fact no suspension makes untrue. */
	p->age_only = n_age > 0 && other == 0;
	if (portrait != has_portrait) {
		mindl_log_debug("%s: %s: portrait flag", __func__, where);
		schema_err(eb, "%s: portrait is %s but the portrait element is "
		    "%s", where, portrait ? "true" : "false",
		    has_portrait ? "listed" : "not listed");
		return MINDL_ERR_CONFIG;
	}
	p->portrait = portrait;
	if ((r = parse_retain(p, json_object_get(o, "retain"), where,
	    eb)) != MINDL_OK)
		return r;
	return parse_purpose(s, p, json_object_get(o, "purpose"), where, eb);
}

static int
parse_profiles(struct mindl_schema *s, const struct schema_file *f,
    struct schema_errbuf *eb)
{
	static const char *const keys[] = { "profiles", NULL };
	json_t *j = NULL, *a, *v;
	size_t i, k, n;
	int r;

	if ((r = json_parse(f, &j, eb)) != MINDL_OK)
		goto fail;
	if ((r = check_keys(j, keys, f->name, eb)) != MINDL_OK)
		goto fail;
	r = MINDL_ERR_CONFIG;
	if ((a = json_object_get(j, "profiles")) == NULL ||
	    !json_is_array(a) || (n = json_array_size(a)) == 0 ||
	    n > MAX_PROFILES) {
		mindl_log_debug("%s: profiles", __func__);
		schema_err(eb, "%s: profiles: expected 1 to %d profiles",
		    f->name, MAX_PROFILES);
		goto fail;
	}
	if ((s->profiles = mindl_calloc(n, sizeof(*s->profiles))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	json_array_foreach(a, i, v) {
		s->n_profiles = i + 1;
		if ((r = parse_profile(s, v, i, &s->profiles[i], eb)) !=
		    MINDL_OK) {
			mindl_log_debug("%s: parse_profile", __func__);
			goto fail;
		}
		for (k = 0; k < i; k++)
			if (strcmp(s->profiles[k].id, s->profiles[i].id) ==
			    0) {
				mindl_log_debug("%s: duplicate id", __func__);
				schema_err(eb, "%s: profile %s defined twice",
				    f->name, s->profiles[i].id);
				r = MINDL_ERR_CONFIG;
				goto fail;
			}
	}
	r = MINDL_OK;
 fail:
	json_decref(j);
	return r;
}

static int
name_cmp(const void *a, const void *b)
{
	const struct schema_file *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static int
is_elements_file(const char *name)
{
	size_t n = strlen(name);

	return n > strlen("elements-.json") &&
	    strncmp(name, "elements-", 9) == 0 &&
	    strcmp(name + n - 5, ".json") == 0;
}

/*
 * Builds a schema from the files of a schema directory (in memory).
 * policy.json first (the forbidden extensions and the age_over set are
 * needed by the tables), then every elements-*.json, then profiles.json.
 */
static int
schema_build(struct schema_file *files, size_t n, struct mindl_schema **out,
    struct schema_errbuf *eb)
{
	struct mindl_schema *s = NULL;
	const struct schema_file *policy = NULL, *profiles = NULL;
	size_t i, ntables = 0;
	int r = MINDL_ERR_INTERNAL;

	*out = NULL;
	if (n > 1)
		qsort(files, n, sizeof(files[0]), name_cmp);
	for (i = 0; i < n; i++) {
		if (strcmp(files[i].name, "policy.json") == 0)
			policy = &files[i];
		else if (strcmp(files[i].name, "profiles.json") == 0)
			profiles = &files[i];
		else if (is_elements_file(files[i].name))
			ntables++;
	}
	if (policy == NULL || profiles == NULL || ntables == 0) {
		mindl_log_debug("%s: files missing", __func__);
		schema_err(eb, "schema needs policy.json, profiles.json and "
		    "at least one elements-*.json");
		r = MINDL_ERR_CONFIG;
		goto fail;
	}
	if ((s = mindl_calloc(1, sizeof(*s))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if ((r = parse_policy(s, policy, eb)) != MINDL_OK) {
		mindl_log_debug("%s: parse_policy", __func__);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (!is_elements_file(files[i].name))
			continue;
		if ((r = parse_elements(s, &files[i], eb)) != MINDL_OK) {
			mindl_log_debug("%s: parse_elements", __func__);
			goto fail;
		}
	}
	if ((r = check_tables(s, eb)) != MINDL_OK) {
		mindl_log_debug("%s: check_tables", __func__);
		goto fail;
	}
	if ((r = parse_profiles(s, profiles, eb)) != MINDL_OK) {
		mindl_log_debug("%s: parse_profiles", __func__);
		goto fail;
	}
	*out = s;
	s = NULL;
	r = MINDL_OK;
 fail:
	if (r == MINDL_ERR_NOMEM)
		schema_err(eb, "out of memory");
	mindl_schema_free(&s);
	return r;
}

int
mindl_schema_builtin(struct mindl_schema **out)
{
	struct schema_file files[MAX_SCHEMA_FILES];
	struct schema_errbuf eb;
	char msg[256];
	size_t i;
	int r = MINDL_ERR_INTERNAL;

	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	msg[0] = '\0';
	eb.buf = msg;
	eb.len = sizeof(msg);
	if (mindl_schema_nfiles > MAX_SCHEMA_FILES) {
		mindl_log_debug("%s: too many files", __func__);
		goto fail;
	}
	for (i = 0; i < mindl_schema_nfiles; i++) {
		files[i].name = mindl_schema_files[i].name;
		files[i].data = (const char *)mindl_schema_files[i].data;
		files[i].len = mindl_schema_files[i].len;
	}
	if ((r = schema_build(files, mindl_schema_nfiles, out, &eb)) !=
	    MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, msg);
		goto fail;
	}
	r = MINDL_OK;
 fail:
	return r;
}

int
mindl_schema_load_dir(const char *dir, struct mindl_schema **out,
    char *errbuf, size_t errlen)
{
	struct schema_file files[MAX_SCHEMA_FILES];
	char *names[MAX_SCHEMA_FILES];
	uint8_t *datas[MAX_SCHEMA_FILES];
	struct schema_errbuf eb;
	struct dirent *de;
	DIR *d = NULL;
	char path[4096];
	size_t i, n = 0;
	int r = MINDL_ERR_INTERNAL;

	eb.buf = errbuf;
	eb.len = errlen;
	if (out == NULL || dir == NULL) {
		schema_err(&eb, "invalid argument");
		return MINDL_ERR_INVALID_ARG;
	}
	*out = NULL;
	if ((d = opendir(dir)) == NULL) {
		mindl_log_debug("%s: opendir", __func__);
		schema_err(&eb, "%s: cannot open directory", dir);
		r = MINDL_ERR_IO;
		goto fail;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len;

		if (strcmp(de->d_name, "policy.json") != 0 &&
		    strcmp(de->d_name, "profiles.json") != 0 &&
		    !is_elements_file(de->d_name))
			continue;
		if (n == MAX_SCHEMA_FILES) {
			mindl_log_debug("%s: too many files", __func__);
			schema_err(&eb, "%s: more than %d schema files", dir,
			    MAX_SCHEMA_FILES);
			r = MINDL_ERR_CONFIG;
			goto fail;
		}
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    de->d_name) >= sizeof(path)) {
			mindl_log_debug("%s: path too long", __func__);
			schema_err(&eb, "%s: path too long", dir);
			r = MINDL_ERR_IO;
			goto fail;
		}
		if ((names[n] = schema_strdup(de->d_name)) == NULL) {
			r = MINDL_ERR_NOMEM;
			goto fail;
		}
		datas[n] = NULL;
		n++;
		if ((r = mindl_file_read(path, MAX_SCHEMA_FILE, &datas[n - 1],
		    &len)) != MINDL_OK) {
			mindl_log_debug("%s: mindl_file_read", __func__);
			schema_err(&eb, "%s: cannot read", path);
			goto fail;
		}
		files[n - 1].name = names[n - 1];
		files[n - 1].data = (const char *)datas[n - 1];
		files[n - 1].len = len;
	}
	if ((r = schema_build(files, n, out, &eb)) != MINDL_OK) {
		mindl_log_debug("%s: schema_build", __func__);
		goto fail;
	}
	r = MINDL_OK;
 fail:
	if (d != NULL)
		closedir(d);
	for (i = 0; i < n; i++) {
		free(names[i]);
		free(datas[i]);
	}
	return r;
}

int
mindl_schema_element_type(const struct mindl_schema *s, const char *ns,
    const char *id)
{
	const struct schema_elem *e;

	if ((e = schema_find(s, ns, id)) == NULL)
		return 0;
	return (int)e->type;
}

size_t
mindl_schema_element_count(const struct mindl_schema *s)
{
	return s == NULL ? 0 : s->n_elems;
}

int
mindl_schema_element_info(const struct mindl_schema *s, size_t i,
    struct mindl_element_info *out)
{
	static const char *const sources[] = {
		[SRC_RECORD] = "record", [SRC_DERIVED] = "derived",
		[SRC_PORTRAIT] = "portrait",
	};
	const struct schema_elem *e;
	size_t k;

	if (s == NULL || out == NULL || i >= s->n_elems)
		return MINDL_ERR_INVALID_ARG;
	e = &s->elems[i];
	memset(out, 0, sizeof(*out));
	out->ns = e->ns;
	out->id = e->id;
	out->label = e->label;
	for (k = 0; k < sizeof(etype_tab) / sizeof(etype_tab[0]); k++)
		if (etype_tab[k].type == e->type)
			out->type = etype_tab[k].name;
	out->source = sources[e->source];
	if (e->type == MINDL_ET_TSTR && e->source == SRC_RECORD)
		for (k = 0; k < sizeof(charset_tab) / sizeof(charset_tab[0]);
		    k++)
			if (charset_tab[k].cs == e->charset)
				out->charset = charset_tab[k].name;
	out->required = e->required;
	out->max_length = e->type == MINDL_ET_TSTR && e->source ==
	    SRC_RECORD ? (e->max_length ? e->max_length :
	    SCHEMA_DEFAULT_MAX_TEXT) : 0;
	out->has_max = e->has_max;
	out->max = e->max;
	out->n_values = e->n_values;
	out->n_categories = e->categories.n;
	out->n_codes = e->codes.n;
	out->n_signs = e->signs.n;
	return MINDL_OK;
}

const char *
mindl_schema_element_list(const struct mindl_schema *s, size_t i,
    const char *list, size_t k, char buf[24])
{
	const struct schema_elem *e;
	const struct schema_strset *set = NULL;

	if (s == NULL || list == NULL || i >= s->n_elems)
		return NULL;
	e = &s->elems[i];
	if (strcmp(list, "values") == 0) {
		if (k >= e->n_values)
			return NULL;
		if (e->svalues != NULL)
			return e->svalues[k];
		(void)snprintf(buf, 24, "%llu",
		    (unsigned long long)e->uvalues[k]);
		return buf;
	}
	if (strcmp(list, "categories") == 0)
		set = &e->categories;
	else if (strcmp(list, "codes") == 0)
		set = &e->codes;
	else if (strcmp(list, "signs") == 0)
		set = &e->signs;
	return set != NULL && k < set->n ? set->v[k] : NULL;
}

int
mindl_schema_element_label(const struct mindl_schema *s, const char *ns,
    const char *id, const char **label, unsigned *rank)
{
	const struct schema_elem *e;

	if (s == NULL || ns == NULL || id == NULL ||
	    (e = schema_find(s, ns, id)) == NULL)
		return MINDL_ERR_UNKNOWN_ELEMENT;
	if (label != NULL)
		*label = e->label;
	if (rank != NULL)
		*rank = e->rank;
	return MINDL_OK;
}

int
mindl_schema_site_policy(struct mindl_schema *s, const char *json,
    size_t len, const char *name, char *errbuf, size_t errlen)
{
	/* What a DMV states of itself; the rest is the build's. */
	static const char *const keys[] = {
		"issuing_country", "issuing_authority", "issuing_jurisdiction",
		"un_distinguishing_sign", "licence_years", "mso_days",
		"digest_algorithm", NULL
	};
	static const char *const shape[] = {
		"age_over", "namespaces", "forbidden", "aamva_version", NULL
	};
	struct schema_errbuf eb;
	struct schema_file f;
	json_t *j = NULL;
	size_t i;
	int r;

	memset(&eb, 0, sizeof(eb));
	eb.buf = errbuf;
	eb.len = errlen;
	if (errbuf != NULL && errlen > 0)
		errbuf[0] = '\0';
	if (s == NULL || json == NULL || name == NULL)
		return MINDL_ERR_INVALID_ARG;
	f.name = name;
	f.data = json;
	f.len = len;
	/* A BOM from a Windows editor is not the file's content. */
	if (f.len >= 3 && memcmp(f.data, "\xef\xbb\xbf", 3) == 0) {
		f.data += 3;
		f.len -= 3;
	}
	if ((r = json_parse(&f, &j, &eb)) != MINDL_OK)
		return r;
	/*
	 * Privacy rule 2: the shape of a credential (its age_over set,
	 * digest counts, namespaces) is the build's, the same for every
	 * holder, so that no desk can issue a second shape to some of them.
	 */
	for (i = 0; shape[i] != NULL; i++)
		if (json_object_get(j, shape[i]) != NULL) {
			schema_err(&eb, "%s: \"%s\" is the same for every "
			    "holder of this build (privacy rule 2) and cannot "
			    "be set here", name, shape[i]);
			r = MINDL_ERR_CONFIG;
			goto out;
		}
	if ((r = check_keys(j, keys, name, &eb)) != MINDL_OK ||
	    (r = parse_identity(s, j, 1, name, &eb)) != MINDL_OK ||
	    (r = parse_validity(s, j, 0, name, &eb)) != MINDL_OK)
		goto out;
	s->policy_from_site = 1;
 out:
	json_decref(j);
	return r;
}

int
mindl_schema_policy_is_site(const struct mindl_schema *s)
{
	return s != NULL && s->policy_from_site;
}

const struct mindl_policy *
mindl_schema_policy(const struct mindl_schema *s)
{
	return s == NULL ? NULL : &s->policy;
}

const struct mindl_profile *
mindl_schema_profile(const struct mindl_schema *s, const char *id)
{
	size_t i;

	if (s == NULL || id == NULL)
		return NULL;
	for (i = 0; i < s->n_profiles; i++)
		if (strcmp(s->profiles[i].id, id) == 0)
			return &s->profiles[i];
	return NULL;
}

size_t
mindl_schema_profile_count(const struct mindl_schema *s)
{
	return s == NULL ? 0 : s->n_profiles;
}

const struct mindl_profile *
mindl_schema_profile_at(const struct mindl_schema *s, size_t i)
{
	if (s == NULL || i >= s->n_profiles)
		return NULL;
	return &s->profiles[i];
}

const char *
mindl_profile_id(const struct mindl_profile *p)
{
	return p == NULL ? NULL : p->id;
}

const char *
mindl_profile_title(const struct mindl_profile *p)
{
	return p == NULL ? NULL : p->title;
}

const char *
mindl_profile_question(const struct mindl_profile *p)
{
	return p == NULL ? NULL : p->question;
}

int
mindl_profile_portrait(const struct mindl_profile *p)
{
	return p != NULL && p->portrait;
}

size_t
mindl_profile_count(const struct mindl_profile *p)
{
	return p == NULL ? 0 : p->n;
}

void
mindl_profile_element(const struct mindl_profile *p, size_t i,
    const char **ns, const char **id)
{
	const char *a = NULL, *b = NULL;

	if (p != NULL && i < p->n) {
		a = p->ns[i];
		b = p->ids[i];
	}
	if (ns != NULL)
		*ns = a;
	if (id != NULL)
		*id = b;
}

int
mindl_profile_may_retain(const struct mindl_profile *p, const char *ns,
    const char *id)
{
	size_t i;

	if (p == NULL || ns == NULL || id == NULL ||
	    (i = profile_element_index(p, ns, id)) == p->n)
		return 0;
	return p->retain[i];
}

int
mindl_profile_age_only(const struct mindl_profile *p)
{
	return p != NULL && p->age_only;
}

int
mindl_profile_allows(const struct mindl_profile *p, const char *ns,
    const char *id)
{
	return p != NULL && ns != NULL && id != NULL &&
	    profile_element_index(p, ns, id) < p->n;
}
