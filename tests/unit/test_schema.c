/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: unit tests for element tables, policy, profiles and records
 * (mindl/schema.h).  Privacy rules 1 and 2 of DESIGN.md section 4 each
 * have a case here that fails if the rule is broken.
 *
 * Run from the top of the source tree (make test does), or set MINDL_TOP.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "mindl/cbor.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/schema.h"
#include "unit.h"
#include "../common/testlib.h"

#define ISSUE_2024_06_14	((int64_t)1718323200)	/* 00:00:00Z */

/* DESIGN.md section 4 rule 1, every name, and generic variants. */
static const char *const forbidden_names[] = {
	"DHS_temporary_lawful_status",
	"DHS_compliance",
	"DHS_compliance_text",
	"EDL_credential",
	"EDL_credential.v2",
	"CDL_non_domiciled",
	"CDL_non_domiciled.v2",
	"nationality",
	"birth_place",
	"biometric_template_face",
	"biometric_template_finger",
	"biometric_template_signature_sign",
	"biometric_template_iris",
	"race_ethnicity",
	"immigration",
	"immigration_status",
	"visa",
	"holder_visa_type",
	"VisaType",
	"citizenship",
	"citizen",
	"us_citizen",
	"lawful_status",
	"LawfulStatus",
	"lawful_presence",
	"legal_status",
	"legalStatus",
	"LEGAL-STATUS",
	"ssn",
	"SSN",
	"SSN_last4",
	"ssn4",
	"holderSSN",
	"social_security_number",
	"passport",
	"passport_number",
	"foreign_passport_country",
	"consular",
	"consular_id",
	"matricula_consular",
	"dhs_anything",
	"edl_indicator",
	"temporary_lawful_status",
	"limited_duration_document",
	"real_id_compliance",
	"itin",
	"alien_number",
	"place_of_birth",
	"country_of_birth",
};

/* Legitimate names that must never be caught by a stem. */
static const char *const innocent_names[] = {
	"family_name", "given_name", "birth_date", "issue_date",
	"expiry_date", "issuing_country", "issuing_authority",
	"document_number", "portrait", "driving_privileges",
	"un_distinguishing_sign", "administrative_number", "sex", "height",
	"weight", "eye_colour", "hair_colour", "resident_address",
	"resident_city", "resident_state", "resident_postal_code",
	"resident_country", "issuing_jurisdiction", "age_over_18",
	"age_over_21", "age_over_NN", "family_name_national_character",
	"given_name_national_character", "name_suffix", "organ_donor",
	"veteran", "family_name_truncation", "given_name_truncation",
	"aamva_version", "resident_county", "vehicle_category_code", "code",
	"sign", "value", "codes", "business_name", "class_name", "crossname",
	"lessons", "portrait_capture_date", "signature_usual_mark",
	"age_in_years", "age_birth_year",
};

static const char *
top(void)
{
	const char *t = getenv("MINDL_TOP");

	return t != NULL ? t : ".";
}

static char *
slurp(const char *rel, size_t *lenp)
{
	char path[1024];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", top(), rel);
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "cannot open %s\n", path);
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	*lenp = (size_t)n;
	return buf;
}

static int
write_file(const char *dir, const char *name, const char *data)
{
	char path[1024];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	ok = fputs(data, f) >= 0;
	return fclose(f) == 0 && ok;
}

static void
rm_dir(const char *dir)
{
	static const char *const names[] = {
		"policy.json", "profiles.json", "elements-iso.json",
		"elements-aamva.json", "elements-extra.json",
	};
	char path[1024];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

/*
 * A temporary copy of schemas/.  With `from`, the first occurrence of
 * `from` in file `name` is replaced by `to`; without, file `name` is
 * added with contents `to`.
 */
static int
temp_schema(char dir[64], const char *name, const char *from,
    const char *to)
{
	static const char *const names[] = {
		"policy.json", "profiles.json", "elements-iso.json",
		"elements-aamva.json",
	};
	char rel[128], *buf, *p, *nb;
	size_t i, len, n;
	int ok = 1;

	snprintf(dir, 64, "/tmp/mindl-schema-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(rel, sizeof(rel), "schemas/%s", names[i]);
		if ((buf = slurp(rel, &len)) == NULL)
			return 0;
		if (name != NULL && strcmp(names[i], name) == 0 &&
		    from != NULL) {
			if ((p = strstr(buf, from)) == NULL) {
				fprintf(stderr, "temp_schema: no \"%s\"\n",
				    from);
				free(buf);
				return 0;
			}
			n = len + strlen(to) + 1;
			if ((nb = malloc(n)) == NULL) {
				free(buf);
				return 0;
			}
			snprintf(nb, n, "%.*s%s%s", (int)(p - buf), buf, to,
			    p + strlen(from));
			free(buf);
			buf = nb;
		}
		ok = ok && write_file(dir, names[i], buf);
		free(buf);
	}
	if (name != NULL && from == NULL)
		ok = ok && write_file(dir, name, to);
	return ok;
}

static struct mindl_schema *
builtin(void)
{
	struct mindl_schema *s = NULL;

	CHECK_ERR(mindl_schema_builtin(&s), MINDL_OK);
	return s;
}

static uint8_t *
portrait(size_t *lenp)
{
	return (uint8_t *)slurp("schemas/samples/portrait.jpg", lenp);
}

/* Parses a record with the sample portrait; errbuf gets the message. */
static int
parse(const struct mindl_schema *s, const char *json, int64_t when,
    struct mindl_record **out, char *errbuf, size_t errlen)
{
	uint8_t *img;
	size_t imglen = 0;
	int r;

	img = portrait(&imglen);
	errbuf[0] = '\0';
	r = mindl_record_parse(s, json, strlen(json), img, imglen, when, out,
	    errbuf, errlen);
	free(img);
	return r;
}

static const struct mindl_element *
find(const struct mindl_record *r, const char *ns, const char *id)
{
	const struct mindl_element *e;
	size_t i;

	for (i = 0; i < mindl_record_count(r); i++) {
		e = mindl_record_element(r, i);
		if (strcmp(e->ns, ns) == 0 && strcmp(e->id, id) == 0)
			return e;
	}
	return NULL;
}

static int
value_is(const struct mindl_element *e, const void *want, size_t n)
{
	return e != NULL && e->valuelen == n && memcmp(e->value, want, n) == 0;
}

/* A minimal valid record with the given extra top-level fields. */
static char *
record_with(const char *birth, const char *extra)
{
	static const char fmt[] =
	    "{\"family_name\": \"Doe\", \"given_name\": \"Sam\", "
	    "\"birth_date\": \"%s\", \"document_number\": \"X1\", "
	    "\"driving_privileges\": [{\"vehicle_category_code\": \"D\"}]%s%s}";
	size_t n = sizeof(fmt) + strlen(birth) + strlen(extra) + 4;
	char *p = malloc(n);

	snprintf(p, n, fmt, birth, *extra ? ", " : "", extra);
	return p;
}

static void
test_builtin(void)
{
	struct mindl_schema *s = builtin(), *d = NULL;
	const struct mindl_policy *p;
	const struct mindl_profile *pr;
	const char *ns, *id;
	char err[256];
	size_t i, k;
	int portrait_seen;

	if (s == NULL)
		return;
	p = mindl_schema_policy(s);
	CHECK(strcmp(p->issuing_country, "US") == 0);
	CHECK(strcmp(p->un_distinguishing_sign, "USA") == 0);
	CHECK(p->jurisdiction != NULL && strcmp(p->jurisdiction, "US-SS") == 0);
	CHECK(p->licence_years == 4 && p->mso_days == 30);
	CHECK(p->n_age_over == 5 && p->age_over[0] == 16 &&
	    p->age_over[1] == 18 && p->age_over[2] == 21 &&
	    p->age_over[3] == 25 && p->age_over[4] == 65);
	CHECK(p->n_ns == 2);
	for (i = 0; i < p->n_ns; i++) {
		if (strcmp(p->ns[i], MINDL_NS_ISO) == 0)
			CHECK(p->digests[i] == 48);
		else
			CHECK(strcmp(p->ns[i], MINDL_NS_AAMVA) == 0 &&
			    p->digests[i] == 16);
	}
	/* Types, and what must not be there. */
	CHECK(mindl_schema_element_type(s, MINDL_NS_ISO, "family_name") ==
	    MINDL_ET_TSTR);
	CHECK(mindl_schema_element_type(s, MINDL_NS_ISO, "birth_date") ==
	    MINDL_ET_FULLDATE);
	CHECK(mindl_schema_element_type(s, MINDL_NS_ISO, "portrait") ==
	    MINDL_ET_BSTR);
	CHECK(mindl_schema_element_type(s, MINDL_NS_ISO,
	    "driving_privileges") == MINDL_ET_PRIVILEGES);
	CHECK(mindl_schema_element_type(s, MINDL_NS_ISO, "age_over_21") ==
	    MINDL_ET_BOOL);
	CHECK(mindl_schema_element_type(s, MINDL_NS_ISO, "age_over_19") == 0);
	CHECK(mindl_schema_element_type(s, MINDL_NS_ISO, "age_over_NN") == 0);
	CHECK(mindl_schema_element_type(s, MINDL_NS_ISO, "age_in_years") == 0);
	CHECK(mindl_schema_element_type(s, MINDL_NS_ISO, "nationality") == 0);
	CHECK(mindl_schema_element_type(s, MINDL_NS_ISO, "birth_place") == 0);
	CHECK(mindl_schema_element_type(s, MINDL_NS_AAMVA,
	    "DHS_compliance") == 0);
	CHECK(mindl_schema_element_type(s, MINDL_NS_AAMVA, "organ_donor") ==
	    MINDL_ET_UINT);
	CHECK(mindl_schema_element_type(s, MINDL_NS_AAMVA, "sex") ==
	    MINDL_ET_UINT);

	/* Profiles: every element exists and portrait matches. */
	CHECK(mindl_schema_profile_count(s) == 6);
	CHECK(mindl_schema_profile(s, "age-18") != NULL);
	CHECK(mindl_schema_profile(s, "age-21") != NULL);
	CHECK(mindl_schema_profile(s, "traffic-stop") != NULL);
	CHECK(mindl_schema_profile(s, "employer-driver") != NULL);
	CHECK(mindl_schema_profile(s, "car-rental") != NULL);
	CHECK(mindl_schema_profile(s, "identity") != NULL);
	CHECK(mindl_schema_profile(s, "nosuch") == NULL);
	for (i = 0; i < mindl_schema_profile_count(s); i++) {
		pr = mindl_schema_profile_at(s, i);
		CHECK(pr != NULL && mindl_profile_id(pr) != NULL &&
		    mindl_profile_title(pr) != NULL);
		portrait_seen = 0;
		for (k = 0; k < mindl_profile_count(pr); k++) {
			mindl_profile_element(pr, k, &ns, &id);
			CHECK(ns != NULL && id != NULL);
			CHECK(mindl_schema_element_type(s, ns, id) != 0);
			CHECK(!mindl_element_forbidden(id));
			CHECK(mindl_profile_allows(pr, ns, id));
			if (strcmp(id, "portrait") == 0)
				portrait_seen = 1;
		}
		CHECK(mindl_profile_portrait(pr) == portrait_seen);
	}
	pr = mindl_schema_profile(s, "age-21");
	CHECK(mindl_profile_count(pr) == 2);
	CHECK(mindl_profile_allows(pr, MINDL_NS_ISO, "age_over_21"));
	CHECK(!mindl_profile_allows(pr, MINDL_NS_ISO, "age_over_18"));
	CHECK(!mindl_profile_allows(pr, MINDL_NS_ISO, "birth_date"));
	pr = mindl_schema_profile(s, "employer-driver");
	CHECK(!mindl_profile_portrait(pr));
	CHECK(mindl_schema_profile_at(s, 99) == NULL);

	/* The directory loads to the same schema. */
	snprintf(err, sizeof(err), "%s/schemas", top());
	CHECK_ERR(mindl_schema_load_dir(err, &d, err, sizeof(err)), MINDL_OK);
	CHECK(d != NULL && mindl_schema_profile_count(d) == 6);
	mindl_schema_free(&d);
	CHECK(d == NULL);
	mindl_schema_free(&s);
	CHECK(s == NULL);
	mindl_schema_free(NULL);
}

/* Every identifier in the element tables is legal and in the schema. */
static void
test_tables_clean(void)
{
	static const char *const files[] = {
		"schemas/elements-iso.json", "schemas/elements-aamva.json",
	};
	struct mindl_schema *s = builtin();
	json_t *j, *a, *v;
	json_error_t jerr;
	const char *ns, *id;
	char *buf;
	size_t f, i, len, n = 0;

	for (f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		if ((buf = slurp(files[f], &len)) == NULL) {
			CHECK(0);
			continue;
		}
		j = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
		free(buf);
		CHECK(j != NULL);
		if (j == NULL)
			continue;
		ns = json_string_value(json_object_get(j, "namespace"));
		a = json_object_get(j, "elements");
		json_array_foreach(a, i, v) {
			id = json_string_value(json_object_get(v,
			    "identifier"));
			CHECK(id != NULL);
			if (id == NULL)
				continue;
			if (mindl_element_forbidden(id)) {
				fprintf(stderr, "legit %s caught\n", id);
				CHECK(0);
			}
			if (strcmp(id, "age_over_NN") != 0)
				CHECK(mindl_schema_element_type(s, ns, id) !=
				    0);
			CHECK(strcmp(id, "nationality") != 0 &&
			    strcmp(id, "birth_place") != 0 &&
			    strcmp(id, "age_in_years") != 0);
			n++;
		}
		json_decref(j);
	}
	CHECK(n >= 30);
	mindl_schema_free(&s);
}

static void
test_forbidden_names(void)
{
	size_t i;

	for (i = 0; i < sizeof(forbidden_names) / sizeof(forbidden_names[0]);
	    i++) {
		if (!mindl_element_forbidden(forbidden_names[i])) {
			fprintf(stderr, "not forbidden: %s\n",
			    forbidden_names[i]);
			CHECK(0);
		}
	}
	for (i = 0; i < sizeof(innocent_names) / sizeof(innocent_names[0]);
	    i++) {
		if (mindl_element_forbidden(innocent_names[i])) {
			fprintf(stderr, "innocent caught: %s\n",
			    innocent_names[i]);
			CHECK(0);
		}
	}
	CHECK(mindl_element_forbidden(NULL));
	CHECK(!mindl_element_forbidden(""));
}

static void
test_schema_dir_refusals(void)
{
	struct mindl_schema *s = NULL;
	char dir[64], err[512];

	/* A table that defines a forbidden element does not load. */
	CHECK(temp_schema(dir, "elements-aamva.json",
	    "{ \"identifier\": \"veteran\"",
	    "{ \"identifier\": \"DHS_compliance\", \"type\": \"tstr\", "
	    "\"required\": false, \"source\": \"record\" },\n"
	    "\t\t{ \"identifier\": \"veteran\""));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_FORBIDDEN_ELEMENT);
	CHECK(s == NULL && strstr(err, "DHS_compliance") != NULL);
	rm_dir(dir);

	CHECK(temp_schema(dir, "elements-iso.json",
	    "{ \"identifier\": \"sex\"",
	    "{ \"identifier\": \"nationality\", \"type\": \"tstr\", "
	    "\"required\": false, \"source\": \"record\" },\n"
	    "\t\t{ \"identifier\": \"sex\""));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_FORBIDDEN_ELEMENT);
	CHECK(strstr(err, "nationality") != NULL);
	rm_dir(dir);

	/* Even in a namespace of its own. */
	CHECK(temp_schema(dir, "elements-extra.json", NULL,
	    "{\"namespace\": \"org.example.extra\", \"elements\": ["
	    "{\"identifier\": \"holder_visa_type\", \"type\": \"tstr\", "
	    "\"required\": false, \"source\": \"record\"}]}"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_FORBIDDEN_ELEMENT);
	CHECK(strstr(err, "holder_visa_type") != NULL);
	rm_dir(dir);

	/* The policy can extend the list, and the tables are checked. */
	CHECK(temp_schema(dir, "policy.json", "\"forbidden\": []",
	    "\"forbidden\": [\"hair_colour\"]"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_FORBIDDEN_ELEMENT);
	CHECK(strstr(err, "hair_colour") != NULL);
	rm_dir(dir);

	/* A profile may not name a forbidden element. */
	CHECK(temp_schema(dir, "profiles.json",
	    "[\"org.iso.18013.5.1\", \"age_over_18\"]",
	    "[\"org.iso.18013.5.1\", \"age_over_18\"], "
	    "[\"org.iso.18013.5.1.aamva\", \"DHS_temporary_lawful_status\"]"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_FORBIDDEN_ELEMENT);
	CHECK(strstr(err, "DHS_temporary_lawful_status") != NULL);
	rm_dir(dir);

	/*
	 * A profile may not name an optional element: its presence would
	 * tell holders apart (privacy rule 2).
	 */
	CHECK(temp_schema(dir, "profiles.json",
	    "[\"org.iso.18013.5.1\", \"age_over_18\"]",
	    "[\"org.iso.18013.5.1\", \"age_over_18\"], "
	    "[\"org.iso.18013.5.1.aamva\", \"organ_donor\"]"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(s == NULL && strstr(err, "organ_donor") != NULL &&
	    strstr(err, "optional") != NULL);
	rm_dir(dir);

	/* Digest count too small for table + age_over set. */
	CHECK(temp_schema(dir, "policy.json", "\"digests\": 48",
	    "\"digests\": 29"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "digests") != NULL &&
	    strstr(err, MINDL_NS_ISO) != NULL);
	rm_dir(dir);
	CHECK(temp_schema(dir, "policy.json", "\"digests\": 48",
	    "\"digests\": 30"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)), MINDL_OK);
	mindl_schema_free(&s);
	rm_dir(dir);

	/* A profile's age_over_NN must be in the policy set. */
	CHECK(temp_schema(dir, "policy.json", "[16, 18, 21, 25, 65]",
	    "[16, 18, 25, 65]"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "age_over_21") != NULL);
	rm_dir(dir);

	/* Unknown profile element; portrait flag inconsistent. */
	CHECK(temp_schema(dir, "profiles.json",
	    "[\"org.iso.18013.5.1\", \"age_over_18\"]",
	    "[\"org.iso.18013.5.1\", \"favourite_colour\"]"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "favourite_colour") != NULL);
	rm_dir(dir);
	CHECK(temp_schema(dir, "profiles.json",
	    "\"id\": \"employer-driver\",\n\t\t\t\"title\": "
	    "\"Employer: driving duties\",\n\t\t\t\"portrait\": false",
	    "\"id\": \"employer-driver\",\n\t\t\t\"title\": "
	    "\"Employer: driving duties\",\n\t\t\t\"portrait\": true"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "portrait") != NULL);
	rm_dir(dir);

	/* Validity comes from policy: expiry_date cannot be a record field. */
	CHECK(temp_schema(dir, "elements-iso.json",
	    "\"identifier\": \"expiry_date\", \"type\": \"full-date\", "
	    "\"required\": true, \"source\": \"derived\"",
	    "\"identifier\": \"expiry_date\", \"type\": \"full-date\", "
	    "\"required\": true, \"source\": \"record\""));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "expiry_date") != NULL);
	rm_dir(dir);

	/* Bad JSON in a schema file; unknown key (typo). */
	CHECK(temp_schema(dir, "policy.json", "\"mso_days\": 30,",
	    "\"mso_days\": 30"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "line") != NULL && strstr(err, "column") != NULL);
	rm_dir(dir);
	CHECK(temp_schema(dir, "policy.json", "\"mso_days\"",
	    "\"mso_dayz\""));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "mso_dayz") != NULL);
	rm_dir(dir);

	/* Every profile states its decision, by rules it can decide. */
	CHECK(temp_schema(dir, "profiles.json",
	    "\"purpose\": { \"question\": \"OVER 18\", \"true\": "
	    "[\"age_over_18\"] },", ""));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "age-18") != NULL && strstr(err, "purpose") != NULL);
	rm_dir(dir);
	CHECK(temp_schema(dir, "profiles.json", "\"question\": \"OVER 18\"",
	    "\"question\": \"over 18?\""));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "question") != NULL);
	rm_dir(dir);
	CHECK(temp_schema(dir, "profiles.json", "\"true\": [\"age_over_18\"]",
	    "\"true\": [\"portrait\"]"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "purpose.true[0]") != NULL);
	rm_dir(dir);
	CHECK(temp_schema(dir, "profiles.json", "\"true\": [\"age_over_18\"]",
	    "\"true\": [\"age_over_18\"], \"not_expired\": true"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "expiry_date") != NULL);
	rm_dir(dir);

	/* Charsets, tdate and code tables: only where they mean something. */
	CHECK(temp_schema(dir, "elements-iso.json", "\"charset\": \"name\"",
	    "\"charset\": \"letters\""));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "charset") != NULL);
	rm_dir(dir);
	CHECK(temp_schema(dir, "elements-iso.json",
	    "\"values\": [0, 1, 2, 9]",
	    "\"values\": [0, 1, 2, 9], \"charset\": \"code\""));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "charset is for tstr") != NULL);
	rm_dir(dir);
	CHECK(temp_schema(dir, "elements-iso.json",
	    "\"birth_date\", \"type\": \"full-date\", \"required\": true, "
	    "\"source\": \"record\"",
	    "\"birth_date\", \"type\": \"full-date\", \"required\": true, "
	    "\"source\": \"record\", \"codes\": [\"01\"]"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "for privileges") != NULL);
	rm_dir(dir);
	CHECK(temp_schema(dir, "elements-iso.json",
	    "\"signs\": [\"=\", \"<\", \">\", \"<=\", \">=\"]", "\"x\": 1"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	rm_dir(dir);
	CHECK(temp_schema(dir, "elements-iso.json",
	    "\"signs\": [\"=\", \"<\", \">\", \"<=\", \">=\"]",
	    "\"signs\": [\"=\", \"<\", \">\", \"<=\", \"~\"]"));
	CHECK_ERR(mindl_schema_load_dir(dir, &s, err, sizeof(err)),
	    MINDL_ERR_CONFIG);
	CHECK(strstr(err, "signs[4]") != NULL);
	rm_dir(dir);

	CHECK_ERR(mindl_schema_load_dir("/nonexistent/mindl", &s, err,
	    sizeof(err)), MINDL_ERR_IO);
	CHECK(s == NULL);
}

static void
test_sample_record(void)
{
	static const uint8_t fam[] = {
		0x6d, 'R', 'i', 'v', 'e', 'r', 'a', ' ', 'Q', 'u', 'i', 's',
		'p', 'e'
	};
	static const uint8_t bd[] = {
		0xd9, 0x03, 0xec, 0x6a, '1', '9', '9', '0', '-', '0', '2', '-',
		'2', '8'
	};
	static const uint8_t issue[] = {
		0xd9, 0x03, 0xec, 0x6a, '2', '0', '2', '4', '-', '0', '6', '-',
		'1', '4'
	};
	static const uint8_t expiry[] = {
		0xd9, 0x03, 0xec, 0x6a, '2', '0', '2', '8', '-', '0', '6', '-',
		'1', '4'
	};
	static const uint8_t t[] = { 0xf5 }, f[] = { 0xf4 };
	static const uint8_t height[] = { 0x18, 0xa2 }, sex[] = { 0x02 };
	static const uint8_t us[] = { 0x62, 'U', 'S' };
	struct mindl_schema *s = builtin();
	struct mindl_record *r = NULL;
	const struct mindl_element *e, *prev;
	char err[256], *json;
	size_t len, i;

	if ((json = slurp("schemas/samples/sample-record.json", &len)) ==
	    NULL) {
		CHECK(0);
		mindl_schema_free(&s);
		return;
	}
	CHECK_ERR(parse(s, json, ISSUE_2024_06_14 + 45000, &r, err,
	    sizeof(err)), MINDL_OK);
	if (r == NULL) {
		fprintf(stderr, "sample-record: %s\n", err);
		goto done;
	}
	CHECK(value_is(find(r, MINDL_NS_ISO, "family_name"), fam,
	    sizeof(fam)));
	CHECK(value_is(find(r, MINDL_NS_ISO, "birth_date"), bd, sizeof(bd)));
	CHECK(value_is(find(r, MINDL_NS_ISO, "issue_date"), issue,
	    sizeof(issue)));
	CHECK(value_is(find(r, MINDL_NS_ISO, "expiry_date"), expiry,
	    sizeof(expiry)));
	CHECK(mindl_record_expiry_day(r) ==
	    mindl_days_from_civil(2028, 6, 14));
	CHECK(value_is(find(r, MINDL_NS_ISO, "height"), height,
	    sizeof(height)));
	CHECK(value_is(find(r, MINDL_NS_ISO, "sex"), sex, sizeof(sex)));
	CHECK(value_is(find(r, MINDL_NS_ISO, "issuing_country"), us,
	    sizeof(us)));
	/* Born 1990-02-28: 34 on 2024-06-14. */
	CHECK(value_is(find(r, MINDL_NS_ISO, "age_over_16"), t, 1));
	CHECK(value_is(find(r, MINDL_NS_ISO, "age_over_21"), t, 1));
	CHECK(value_is(find(r, MINDL_NS_ISO, "age_over_25"), t, 1));
	CHECK(value_is(find(r, MINDL_NS_ISO, "age_over_65"), f, 1));
	CHECK(find(r, MINDL_NS_ISO, "age_over_19") == NULL);
	CHECK(find(r, MINDL_NS_ISO, "age_in_years") == NULL);
	CHECK((e = find(r, MINDL_NS_ISO, "portrait")) != NULL &&
	    e->valuelen > 100 && e->value[0] == 0x59);
	CHECK((e = find(r, MINDL_NS_ISO, "driving_privileges")) != NULL &&
	    e->valuelen > 0 && e->value[0] == 0x81);
	CHECK((e = find(r, MINDL_NS_AAMVA, "aamva_version")) != NULL &&
	    e->valuelen == 1 && e->value[0] == 0x01);
	CHECK(find(r, MINDL_NS_ISO, "issuing_jurisdiction") != NULL);
	CHECK(find(r, MINDL_NS_ISO, "un_distinguishing_sign") != NULL);
	CHECK(find(r, MINDL_NS_ISO, "issuing_authority") != NULL);
	/* Stable order: namespace, then identifier. */
	for (i = 1; i < mindl_record_count(r); i++) {
		prev = mindl_record_element(r, i - 1);
		e = mindl_record_element(r, i);
		CHECK(strcmp(prev->ns, e->ns) < 0 || (strcmp(prev->ns,
		    e->ns) == 0 && strcmp(prev->id, e->id) < 0));
	}
	CHECK(mindl_record_element(r, mindl_record_count(r)) == NULL);
 done:
	mindl_record_free(&r);
	CHECK(r == NULL);
	mindl_record_free(NULL);
	free(json);
	mindl_schema_free(&s);
}

static void
check_sample(const struct mindl_schema *s, const char *file, int want,
    const char *needle1, const char *needle2)
{
	struct mindl_record *r = NULL;
	char err[512], path[128], *json;
	size_t len;

	snprintf(path, sizeof(path), "schemas/samples/%s", file);
	if ((json = slurp(path, &len)) == NULL) {
		CHECK(0);
		return;
	}
	CHECK_ERR(parse(s, json, ISSUE_2024_06_14, &r, err, sizeof(err)),
	    want);
	CHECK(r == NULL);
	if (strstr(err, needle1) == NULL ||
	    (needle2 != NULL && strstr(err, needle2) == NULL)) {
		fprintf(stderr, "%s: message \"%s\" lacks \"%s\"\n", file, err,
		    needle1);
		CHECK(0);
	}
	free(json);
}

static void
test_sample_refusals(void)
{
	struct mindl_schema *s = builtin();

	check_sample(s, "forbidden-dhs.json", MINDL_ERR_FORBIDDEN_ELEMENT,
	    "DHS_temporary_lawful_status", NULL);
	check_sample(s, "unknown-field.json", MINDL_ERR_UNKNOWN_ELEMENT,
	    "favourite_colour", NULL);
	check_sample(s, "bad-date.json", MINDL_ERR_DATE, "birth_date", NULL);
	check_sample(s, "bad-json.json", MINDL_ERR_JSON, "line", "column");
	check_sample(s, "asks-expiry.json", MINDL_ERR_POLICY,
	    "expiry_date is computed by policy", NULL);
	mindl_schema_free(&s);
}

/* Every forbidden name, alone, top level and in the AAMVA object. */
static void
test_forbidden_fields(void)
{
	struct mindl_schema *s = builtin();
	struct mindl_record *r = NULL;
	char err[512], extra[256], *json;
	size_t i;
	int where;

	for (i = 0; i < sizeof(forbidden_names) / sizeof(forbidden_names[0]);
	    i++) {
		for (where = 0; where < 3; where++) {
			if (where == 0)
				snprintf(extra, sizeof(extra), "\"%s\": 1",
				    forbidden_names[i]);
			else if (where == 1)
				snprintf(extra, sizeof(extra),
				    "\"org.iso.18013.5.1.aamva\": {\"%s\": "
				    "\"x\"}", forbidden_names[i]);
			else	/* and a later unknown field does not hide it */
				snprintf(extra, sizeof(extra),
				    "\"zz_unknown\": 1, \"%s\": true",
				    forbidden_names[i]);
			json = record_with("1990-01-01", extra);
			CHECK_ERR(parse(s, json, ISSUE_2024_06_14, &r, err,
			    sizeof(err)), MINDL_ERR_FORBIDDEN_ELEMENT);
			CHECK(r == NULL);
			if (strstr(err, forbidden_names[i]) == NULL) {
				fprintf(stderr, "%s: message \"%s\"\n",
				    forbidden_names[i], err);
				CHECK(0);
			}
			free(json);
		}
	}
	/* Inside driving_privileges too. */
	CHECK_ERR(parse(s, "{\"driving_privileges\": [{\"vehicle_category_"
	    "code\": \"D\", \"visa_class\": \"H2A\"}]}", ISSUE_2024_06_14, &r,
	    err, sizeof(err)), MINDL_ERR_FORBIDDEN_ELEMENT);
	CHECK(strstr(err, "visa_class") != NULL);
	mindl_schema_free(&s);
}

static void
test_record_refusals(void)
{
	struct mindl_schema *s = builtin();
	struct mindl_record *r = NULL;
	uint8_t notimg[] = { 'G', 'I', 'F', '8', '9', 'a' };
	char err[512], *json;
	size_t i, len;
	static const struct {
		const char	*extra;
		int		 want;
		const char	*needle;
	} cases[] = {
		{ "\"height\": \"162\"", MINDL_ERR_JSON, "height" },
		{ "\"height\": -1", MINDL_ERR_JSON, "height" },
		{ "\"height\": 1.5", MINDL_ERR_JSON, "height" },
		{ "\"height\": 999", MINDL_ERR_POLICY, "height" },
		{ "\"sex\": 3", MINDL_ERR_POLICY, "sex" },
		{ "\"eye_colour\": \"purple\"", MINDL_ERR_POLICY,
		    "eye_colour" },
		{ "\"resident_city\": \"\"", MINDL_ERR_JSON, "resident_city" },
		{ "\"resident_city\": \"a\\nb\"", MINDL_ERR_JSON,
		    "resident_city" },
		{ "\"resident_city\": 7", MINDL_ERR_JSON, "resident_city" },
		{ "\"issue_date\": \"2024-01-01\"", MINDL_ERR_POLICY,
		    "issue_date is computed by policy" },
		{ "\"age_over_21\": true", MINDL_ERR_POLICY,
		    "age_over_21 is computed by policy" },
		{ "\"issuing_authority\": \"Elsewhere\"", MINDL_ERR_POLICY,
		    "issuing_authority" },
		{ "\"issuing_jurisdiction\": \"US-IL\"", MINDL_ERR_POLICY,
		    "issuing_jurisdiction" },
		{ "\"portrait\": \"AAAA\"", MINDL_ERR_POLICY, "portrait" },
		{ "\"age_in_years\": 30", MINDL_ERR_UNKNOWN_ELEMENT,
		    "age_in_years" },
		{ "\"age_over_19\": true", MINDL_ERR_UNKNOWN_ELEMENT,
		    "age_over_19" },
		{ "\"organ_donor\": 1", MINDL_ERR_UNKNOWN_ELEMENT,
		    "org.iso.18013.5.1.aamva" },
		{ "\"org.iso.18013.5.1.aamva\": {\"organ_donor\": 2}",
		    MINDL_ERR_POLICY, "organ_donor" },
		{ "\"org.iso.18013.5.1.aamva\": {\"family_name\": \"x\"}",
		    MINDL_ERR_UNKNOWN_ELEMENT, "family_name" },
		{ "\"org.iso.18013.5.1.aamva\": {\"aamva_version\": 2}",
		    MINDL_ERR_POLICY, "aamva_version" },
		{ "\"org.iso.18013.5.1.aamva\": 1", MINDL_ERR_JSON,
		    "org.iso.18013.5.1.aamva" },
		{ "\"org.iso.18013.5.1\": {}", MINDL_ERR_UNKNOWN_ELEMENT,
		    "org.iso.18013.5.1" },
		{ "\"family_name\": \"again\"", MINDL_ERR_JSON, "line" },
	};

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json = record_with("1990-01-01", cases[i].extra);
		CHECK_ERR(parse(s, json, ISSUE_2024_06_14, &r, err,
		    sizeof(err)), cases[i].want);
		CHECK(r == NULL);
		if (strstr(err, cases[i].needle) == NULL) {
			fprintf(stderr, "case %zu: message \"%s\" lacks "
			    "\"%s\"\n", i, err, cases[i].needle);
			CHECK(0);
		}
		free(json);
	}

	/* Missing required fields, each named. */
	CHECK_ERR(parse(s, "{\"given_name\": \"Sam\", \"birth_date\": "
	    "\"1990-01-01\", \"document_number\": \"X1\", "
	    "\"driving_privileges\": [{\"vehicle_category_code\": \"D\"}]}",
	    ISSUE_2024_06_14, &r, err, sizeof(err)), MINDL_ERR_MISSING);
	CHECK(strstr(err, "family_name") != NULL);
	CHECK_ERR(parse(s, "{\"family_name\": \"Doe\", \"given_name\": "
	    "\"Sam\", \"document_number\": \"X1\", \"driving_privileges\": "
	    "[{\"vehicle_category_code\": \"D\"}]}", ISSUE_2024_06_14, &r, err,
	    sizeof(err)), MINDL_ERR_MISSING);
	CHECK(strstr(err, "birth_date") != NULL);

	/* Dates. */
	json = record_with("2024-06-15", "");
	CHECK_ERR(parse(s, json, ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_ERR_POLICY);
	CHECK(strstr(err, "birth_date") != NULL);
	free(json);
	json = record_with("1990-1-01", "");
	CHECK_ERR(parse(s, json, ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_ERR_DATE);
	CHECK(strstr(err, "birth_date") != NULL);
	free(json);
	json = record_with("2023-02-29", "");
	CHECK_ERR(parse(s, json, ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_ERR_DATE);
	free(json);

	/* driving_privileges shape. */
	CHECK_ERR(parse(s, "{\"driving_privileges\": [{\"vehicle_category_"
	    "code\": \"D\", \"expiry_date\": \"2030-01-01\"}]}",
	    ISSUE_2024_06_14, &r, err, sizeof(err)), MINDL_ERR_POLICY);
	CHECK(strstr(err, "expiry_date is computed by policy") != NULL);
	CHECK_ERR(parse(s, "{\"driving_privileges\": [{\"vehicle_category_"
	    "code\": \"D\", \"colour\": \"red\"}]}", ISSUE_2024_06_14, &r,
	    err, sizeof(err)), MINDL_ERR_UNKNOWN_ELEMENT);
	CHECK(strstr(err, "colour") != NULL);
	CHECK_ERR(parse(s, "{\"driving_privileges\": [{\"issue_date\": "
	    "\"2020-01-01\"}]}", ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_ERR_MISSING);
	CHECK(strstr(err, "vehicle_category_code") != NULL);
	CHECK_ERR(parse(s, "{\"driving_privileges\": [{\"vehicle_category_"
	    "code\": \"D\", \"issue_date\": \"2020-02-30\"}]}",
	    ISSUE_2024_06_14, &r, err, sizeof(err)), MINDL_ERR_DATE);
	CHECK(strstr(err, "issue_date") != NULL);
	CHECK_ERR(parse(s, "{\"driving_privileges\": [{\"vehicle_category_"
	    "code\": \"D\", \"codes\": [{\"sign\": \"=\"}]}]}",
	    ISSUE_2024_06_14, &r, err, sizeof(err)), MINDL_ERR_MISSING);
	CHECK_ERR(parse(s, "{\"driving_privileges\": []}", ISSUE_2024_06_14,
	    &r, err, sizeof(err)), MINDL_ERR_JSON);
	CHECK(strstr(err, "driving_privileges") != NULL);
	CHECK_ERR(parse(s, "{\"driving_privileges\": \"D\"}",
	    ISSUE_2024_06_14, &r, err, sizeof(err)), MINDL_ERR_JSON);

	/* Bad JSON: position, trailing data, wrong top level. */
	CHECK_ERR(parse(s, "{\n  \"family_name\": \"Doe\",\n  oops\n}",
	    ISSUE_2024_06_14, &r, err, sizeof(err)), MINDL_ERR_JSON);
	CHECK(strstr(err, "line 3") != NULL && strstr(err, "column") != NULL);
	json = record_with("1990-01-01", "");
	len = strlen(json);
	json = realloc(json, len + 4);
	memcpy(json + len, " {}", 4);
	CHECK_ERR(parse(s, json, ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_ERR_JSON);
	free(json);
	CHECK_ERR(parse(s, "[1, 2]", ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_ERR_JSON);
	CHECK_ERR(parse(s, "", ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_ERR_JSON);

	/* Portrait: required, and an image. */
	json = record_with("1990-01-01", "");
	CHECK_ERR(mindl_record_parse(s, json, strlen(json), NULL, 0,
	    ISSUE_2024_06_14, &r, err, sizeof(err)), MINDL_ERR_MISSING);
	CHECK(strstr(err, "portrait") != NULL);
	CHECK_ERR(mindl_record_parse(s, json, strlen(json), notimg,
	    sizeof(notimg), ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_ERR_PORTRAIT);
	CHECK(strstr(err, "portrait") != NULL);
	CHECK_ERR(mindl_record_parse(s, json, MINDL_MAX_RECORD + 1, notimg,
	    sizeof(notimg), ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_ERR_TOO_LARGE);
	CHECK_ERR(mindl_record_parse(NULL, json, strlen(json), NULL, 0,
	    ISSUE_2024_06_14, &r, err, sizeof(err)), MINDL_ERR_INVALID_ARG);
	free(json);
	mindl_schema_free(&s);
}

/* age_over_NN value of a record for birth date b issued on day `on`. */
static int
age_over(const struct mindl_schema *s, const char *b, int64_t on,
    const char *id)
{
	struct mindl_record *r = NULL;
	const struct mindl_element *e;
	char err[256], *json = record_with(b, "");
	int v = -1;

	if (parse(s, json, on * 86400 + 3600, &r, err, sizeof(err)) !=
	    MINDL_OK) {
		fprintf(stderr, "age_over: %s\n", err);
		free(json);
		return -1;
	}
	if ((e = find(r, MINDL_NS_ISO, id)) != NULL && e->valuelen == 1)
		v = e->value[0] == 0xf5 ? 1 : e->value[0] == 0xf4 ? 0 : -1;
	mindl_record_free(&r);
	free(json);
	return v;
}

static void
test_age_over(void)
{
	struct mindl_schema *s = builtin();

	/* The day before and on the 21st birthday. */
	CHECK(age_over(s, "2003-06-15", mindl_days_from_civil(2024, 6, 14),
	    "age_over_21") == 0);
	CHECK(age_over(s, "2003-06-14", mindl_days_from_civil(2024, 6, 14),
	    "age_over_21") == 1);
	CHECK(age_over(s, "2003-06-14", mindl_days_from_civil(2024, 6, 13),
	    "age_over_21") == 0);
	CHECK(age_over(s, "2003-06-14", mindl_days_from_civil(2024, 6, 14),
	    "age_over_25") == 0);
	CHECK(age_over(s, "2003-06-14", mindl_days_from_civil(2024, 6, 14),
	    "age_over_18") == 1);
	/* Across a year end. */
	CHECK(age_over(s, "2006-01-01", mindl_days_from_civil(2023, 12, 31),
	    "age_over_18") == 0);
	CHECK(age_over(s, "2006-01-01", mindl_days_from_civil(2024, 1, 1),
	    "age_over_18") == 1);
	/* Feb 29 birthdays: Mar 1 in non-leap years, Feb 29 in leap. */
	CHECK(age_over(s, "2000-02-29", mindl_days_from_civil(2021, 2, 28),
	    "age_over_21") == 0);
	CHECK(age_over(s, "2000-02-29", mindl_days_from_civil(2021, 3, 1),
	    "age_over_21") == 1);
	CHECK(age_over(s, "2000-02-29", mindl_days_from_civil(2016, 2, 28),
	    "age_over_16") == 0);
	CHECK(age_over(s, "2000-02-29", mindl_days_from_civil(2016, 2, 29),
	    "age_over_16") == 1);
	CHECK(age_over(s, "2000-02-29", mindl_days_from_civil(2025, 2, 28),
	    "age_over_25") == 0);
	CHECK(age_over(s, "2000-02-29", mindl_days_from_civil(2025, 3, 1),
	    "age_over_25") == 1);
	/* Born on the issue day: all false, still the whole set. */
	CHECK(age_over(s, "2024-06-14", mindl_days_from_civil(2024, 6, 14),
	    "age_over_16") == 0);
	CHECK(age_over(s, "1959-06-14", mindl_days_from_civil(2024, 6, 14),
	    "age_over_65") == 1);
	CHECK(age_over(s, "1959-06-15", mindl_days_from_civil(2024, 6, 14),
	    "age_over_65") == 0);
	mindl_schema_free(&s);
}

static void
test_expiry(void)
{
	static const uint8_t e2100[] = {
		0xd9, 0x03, 0xec, 0x6a, '2', '1', '0', '0', '-', '0', '2', '-',
		'2', '8'
	};
	static const uint8_t e2028[] = {
		0xd9, 0x03, 0xec, 0x6a, '2', '0', '2', '8', '-', '0', '2', '-',
		'2', '9'
	};
	struct mindl_schema *s = builtin();
	struct mindl_record *r = NULL;
	char err[256], *json = record_with("1980-05-05", "");

	/* Issued Feb 29 2096; 2100 is not a leap year. */
	CHECK_ERR(parse(s, json, mindl_days_from_civil(2096, 2, 29) * 86400 +
	    86399, &r, err, sizeof(err)), MINDL_OK);
	CHECK(value_is(find(r, MINDL_NS_ISO, "expiry_date"), e2100,
	    sizeof(e2100)));
	CHECK(mindl_record_expiry_day(r) ==
	    mindl_days_from_civil(2100, 2, 28));
	mindl_record_free(&r);
	CHECK_ERR(parse(s, json, mindl_days_from_civil(2024, 2, 29) * 86400,
	    &r, err, sizeof(err)), MINDL_OK);
	CHECK(value_is(find(r, MINDL_NS_ISO, "expiry_date"), e2028,
	    sizeof(e2028)));
	mindl_record_free(&r);
	/* Too late to express the expiry as a full-date. */
	CHECK_ERR(parse(s, json, mindl_days_from_civil(9998, 1, 1) * 86400,
	    &r, err, sizeof(err)), MINDL_ERR_DATE);
	free(json);
	mindl_schema_free(&s);
}

/*
 * Privacy rule 2: two holders who differ only in optional fields get the
 * same derived elements with the same values, and the same age_over set.
 */
static void
test_one_shape(void)
{
	static const char *const derived[] = {
		"issue_date", "expiry_date", "issuing_country",
		"issuing_authority", "un_distinguishing_sign",
		"issuing_jurisdiction", "aamva_version", "age_over_16",
		"age_over_18", "age_over_21", "age_over_25", "age_over_65",
	};
	struct mindl_schema *s = builtin();
	struct mindl_record *a = NULL, *b = NULL;
	const struct mindl_element *ea, *eb;
	char err[256], *ja, *jb;
	size_t i, k, na = 0, nb = 0;

	ja = record_with("1990-01-01", "");
	jb = record_with("1990-01-01", "\"height\": 180, \"eye_colour\": "
	    "\"grey\", \"resident_city\": \"Sampleton\", "
	    "\"org.iso.18013.5.1.aamva\": {\"organ_donor\": 1, \"veteran\": 1, "
	    "\"name_suffix\": \"JR\"}");
	CHECK_ERR(parse(s, ja, ISSUE_2024_06_14, &a, err, sizeof(err)),
	    MINDL_OK);
	CHECK_ERR(parse(s, jb, ISSUE_2024_06_14 + 80000, &b, err,
	    sizeof(err)), MINDL_OK);
	if (a == NULL || b == NULL)
		goto done;
	for (i = 0; i < sizeof(derived) / sizeof(derived[0]); i++) {
		const char *ns = strcmp(derived[i], "aamva_version") == 0 ?
		    MINDL_NS_AAMVA : MINDL_NS_ISO;

		ea = find(a, ns, derived[i]);
		eb = find(b, ns, derived[i]);
		CHECK(ea != NULL && eb != NULL);
		if (ea != NULL && eb != NULL)
			CHECK(ea->valuelen == eb->valuelen &&
			    memcmp(ea->value, eb->value, ea->valuelen) == 0);
	}
	/* The age_over set is exactly the policy set in both. */
	for (k = 0; k < mindl_record_count(a); k++)
		if (strncmp(mindl_record_element(a, k)->id, "age_over_", 9) ==
		    0)
			na++;
	for (k = 0; k < mindl_record_count(b); k++)
		if (strncmp(mindl_record_element(b, k)->id, "age_over_", 9) ==
		    0)
			nb++;
	CHECK(na == 5 && nb == 5);
	CHECK(mindl_record_count(b) == mindl_record_count(a) + 6);
	CHECK(value_is(find(b, MINDL_NS_AAMVA, "organ_donor"), "\x01", 1));
 done:
	mindl_record_free(&a);
	mindl_record_free(&b);
	free(ja);
	free(jb);
	mindl_schema_free(&s);
}

static void
test_privileges_encoding(void)
{
	/* [{"vehicle_category_code": "D"}] */
	static const uint8_t one[] = {
		0x81, 0xa1, 0x75, 'v', 'e', 'h', 'i', 'c', 'l', 'e', '_', 'c',
		'a', 't', 'e', 'g', 'o', 'r', 'y', '_', 'c', 'o', 'd', 'e',
		0x61, 'D'
	};
	struct mindl_schema *s = builtin();
	struct mindl_record *r = NULL;
	const struct mindl_element *e;
	char err[256], *json = record_with("1990-01-01", "");

	CHECK_ERR(parse(s, json, ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_OK);
	CHECK(value_is(find(r, MINDL_NS_ISO, "driving_privileges"), one,
	    sizeof(one)));
	mindl_record_free(&r);
	free(json);
	CHECK_ERR(parse(s, "{\"family_name\": \"Doe\", \"given_name\": "
	    "\"Sam\", \"birth_date\": \"1990-01-01\", \"document_number\": "
	    "\"X1\", \"driving_privileges\": [{\"vehicle_category_code\": "
	    "\"D\", \"issue_date\": \"2020-01-01\", \"codes\": [{\"code\": "
	    "\"B\", \"sign\": \"=\", \"value\": \"lenses\"}]}, "
	    "{\"vehicle_category_code\": \"M\"}]}", ISSUE_2024_06_14, &r, err,
	    sizeof(err)), MINDL_OK);
	e = find(r, MINDL_NS_ISO, "driving_privileges");
	/* Two entries; the first a 3-pair map. */
	CHECK(e != NULL && e->value[0] == 0x82 && e->value[1] == 0xa3);
	mindl_record_free(&r);
	mindl_schema_free(&s);
}

/*
 * The desk's record: every problem in one run, a byte order mark
 * skipped, null for an optional field is absent.
 */
static void
test_record_all_problems(void)
{
	static const char bad[] =
	    "{\"family_name\": \"Doe\", \"given_name\": \"Sam 2\","
	    " \"birth_date\": \"1990-01-01\", \"height\": \"162\","
	    " \"eye_colour\": \"purple\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"D\"}]}";
	static const char bom[] =
	    "\xef\xbb\xbf{\"family_name\": \"Doe\", \"given_name\": \"Sam\","
	    " \"birth_date\": \"1990-01-01\", \"document_number\": \"X1\","
	    " \"sex\": null, \"resident_city\": null,"
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"D\"}]}";
	struct mindl_schema *s = builtin();
	struct mindl_record *r = NULL;
	char err[2048], *many, *p;
	size_t i, lines;

	CHECK_ERR(parse(s, bad, ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_ERR_POLICY);
	CHECK(r == NULL);
	for (lines = 1, p = err; (p = strchr(p, '\n')) != NULL; p++)
		lines++;
	CHECK(lines == 4);
	CHECK(strstr(err, "given_name: character 5") != NULL);
	CHECK(strstr(err, "height: expected a non-negative JSON integer "
	    "(MINDL_ERR_JSON)") != NULL);
	CHECK(strstr(err, "eye_colour: value not allowed") != NULL);
	CHECK(strstr(err, "document_number: required field missing "
	    "(MINDL_ERR_MISSING)") != NULL);
	CHECK_ERR(parse(s, bom, ISSUE_2024_06_14, &r, err, sizeof(err)),
	    MINDL_OK);
	CHECK(r != NULL && find(r, MINDL_NS_ISO, "sex") == NULL &&
	    find(r, MINDL_NS_ISO, "resident_city") == NULL);
	mindl_record_free(&r);
	CHECK_ERR(parse(s, "{\"family_name\": null}", ISSUE_2024_06_14, &r,
	    err, sizeof(err)), MINDL_ERR_MISSING);
	CHECK(strstr(err, "family_name: required field is null") != NULL);
	/* Many problems: the first ones kept, the rest counted. */
	many = malloc(8192);
	CHECK(many != NULL);
	if (many != NULL) {
		strcpy(many, "{");
		for (i = 0; i < 40; i++)
			snprintf(many + strlen(many), 8192 - strlen(many),
			    "%s\"unknown_%zu\": 1", i ? ", " : "", i);
		strcat(many, "}");
		CHECK_ERR(parse(s, many, ISSUE_2024_06_14, &r, err,
		    sizeof(err)), MINDL_ERR_UNKNOWN_ELEMENT);
		CHECK(strstr(err, "unknown_0: ") != NULL);
		CHECK(strstr(err, "and 21 more problems") != NULL);
		free(many);
	}
	mindl_schema_free(&s);
}

/* One CBOR value, decoded, against the builtin table. */
static int
check_value(const struct mindl_schema *s, const char *ns, const char *id,
    const char *hex)
{
	struct mindl_cbor *doc = NULL;
	uint8_t b[256];
	size_t n;
	int r;

	n = test_unhex(hex, b, sizeof(b));
	if ((r = mindl_cbor_decode(b, n, &doc)) == MINDL_OK)
		r = mindl_schema_check_value(s, ns, id, mindl_cbor_root(doc));
	mindl_cbor_free(&doc);
	return r;
}

/* Finding 4: what a verifier accepts as each element's value. */
static void
test_value_types(void)
{
	struct mindl_schema *s = builtin();
	const char *iso = MINDL_NS_ISO, *aamva = MINDL_NS_AAMVA;

	CHECK_ERR(check_value(s, iso, "age_over_21", "f5"), MINDL_OK);
	CHECK_ERR(check_value(s, iso, "age_over_21", "f4"), MINDL_OK);
	/* "false", "yes", 1: the strings a truthiness test misreads */
	CHECK_ERR(check_value(s, iso, "age_over_21", "6566616c7365"),
	    MINDL_ERR_VALUE_TYPE);
	CHECK_ERR(check_value(s, iso, "age_over_21", "63796573"),
	    MINDL_ERR_VALUE_TYPE);
	CHECK_ERR(check_value(s, iso, "age_over_21", "01"),
	    MINDL_ERR_VALUE_TYPE);
	/* an age outside the policy's set is still a bool */
	CHECK_ERR(check_value(s, iso, "age_over_99", "01"),
	    MINDL_ERR_VALUE_TYPE);
	CHECK_ERR(check_value(s, iso, "age_over_99", "f5"), MINDL_OK);
	CHECK_ERR(check_value(s, iso, "family_name", "63446f65"), MINDL_OK);
	CHECK_ERR(check_value(s, iso, "family_name", "43446f65"),
	    MINDL_ERR_VALUE_TYPE);
	CHECK_ERR(check_value(s, iso, "sex", "02"), MINDL_OK);
	CHECK_ERR(check_value(s, iso, "sex", "21"), MINDL_ERR_VALUE_TYPE);
	CHECK_ERR(check_value(s, aamva, "organ_donor", "01"), MINDL_OK);
	CHECK_ERR(check_value(s, aamva, "organ_donor", "f5"),
	    MINDL_ERR_VALUE_TYPE);
	/* full-date: tag 1004 only; expiry_date also takes a tdate */
	CHECK_ERR(check_value(s, iso, "birth_date",
	    "d903ec6a313939302d30342d3135"), MINDL_OK);
	CHECK_ERR(check_value(s, iso, "birth_date",
	    "6a313939302d30342d3135"), MINDL_ERR_VALUE_TYPE);
	CHECK_ERR(check_value(s, iso, "birth_date",
	    "c074323033302d30312d30315430303a30303a30305a"),
	    MINDL_ERR_VALUE_TYPE);
	CHECK_ERR(check_value(s, iso, "expiry_date",
	    "c074323033302d30312d30315430303a30303a30305a"), MINDL_OK);
	CHECK_ERR(check_value(s, iso, "expiry_date",
	    "d903ec6a323033302d30322d3330"), MINDL_ERR_VALUE_TYPE);
	/* privileges: closed maps, codes a non-empty array */
	CHECK_ERR(check_value(s, iso, "driving_privileges",
	    "81a17576656869636c655f63617465676f72795f636f64656144"),
	    MINDL_OK);
	CHECK_ERR(check_value(s, iso, "driving_privileges",
	    "81a27576656869636c655f63617465676f72795f636f6465614465636f64657380"),
	    MINDL_ERR_VALUE_TYPE);
	CHECK_ERR(check_value(s, iso, "driving_privileges",
	    "81a27576656869636c655f63617465676f72795f636f64656144656578747261f5"),
	    MINDL_ERR_VALUE_TYPE);
	CHECK_ERR(check_value(s, iso, "driving_privileges", "80"), MINDL_OK);
	CHECK_ERR(check_value(s, iso, "driving_privileges", "a0"),
	    MINDL_ERR_VALUE_TYPE);
	/* the portrait: a bstr, then the allow-list */
	CHECK_ERR(check_value(s, iso, "portrait", "4401020304"),
	    MINDL_ERR_PORTRAIT);
	CHECK_ERR(check_value(s, iso, "portrait", "6170"),
	    MINDL_ERR_VALUE_TYPE);
	/* not in the tables: not judged */
	CHECK_ERR(check_value(s, iso, "nickname", "07"), MINDL_OK);
	CHECK_ERR(check_value(s, "org.example", "family_name", "07"),
	    MINDL_OK);
	mindl_schema_free(&s);
}

/* Finding 6: charsets, code tables and forbidden values at issuance. */
static void
test_value_content(void)
{
	static const struct {
		const char	*field;
		int		 want;
	} cases[] = {
		{ "\"resident_country\": \"US\"", MINDL_OK },
		{ "\"resident_country\": \"U$\"", MINDL_ERR_POLICY },
		{ "\"resident_city\": \"Saint-\\u00c9tienne\"", MINDL_OK },
		{ "\"resident_city\": \"a\\u2066b\"", MINDL_ERR_POLICY },
		{ "\"resident_city\": \"a\\u0085b\"", MINDL_ERR_POLICY },
		{ "\"resident_postal_code\": \"SW1A 1AA\"", MINDL_OK },
		{ "\"resident_postal_code\": \"60601_\"", MINDL_ERR_POLICY },
		{ "\"administrative_number\": \"A-12 34\"", MINDL_OK },
		{ "\"administrative_number\": \"LDT 1\"", MINDL_OK },
		{ "\"administrative_number\": \"LIMITED-DURATION\"",
		    MINDL_ERR_FORBIDDEN_VALUE },
		{ "\"administrative_number\": \"UNDOCUMENTED\"",
		    MINDL_ERR_FORBIDDEN_VALUE },
		{ "\"administrative_number\": \"FEDERAL LIMITS APPLY\"",
		    MINDL_ERR_FORBIDDEN_VALUE },
		/* random numbers are not words: letters between digits pass */
		{ "\"administrative_number\": \"D123TPS45\"", MINDL_OK },
		{ "\"administrative_number\": \"AB12EAD3\"", MINDL_OK },
		{ "\"administrative_number\": \"V1I2S3A4\"", MINDL_OK },
		/* a word's leading or trailing letters, a stem without digits */
		{ "\"administrative_number\": \"TPS1\"",
		    MINDL_ERR_FORBIDDEN_VALUE },
		{ "\"administrative_number\": \"A-TPS\"",
		    MINDL_ERR_FORBIDDEN_VALUE },
		{ "\"administrative_number\": \"DACA0042\"",
		    MINDL_ERR_FORBIDDEN_VALUE },
		{ "\"administrative_number\": \"VISA 1\"",
		    MINDL_ERR_FORBIDDEN_VALUE },
		{ "\"resident_address\": \"1 Citizen Street\"", MINDL_OK },
		{ "\"eye_colour\": \"brown\"", MINDL_OK },
		{ "\"org.iso.18013.5.1.aamva\": {\"resident_county\": \"031\"}",
		    MINDL_OK },
		{ "\"org.iso.18013.5.1.aamva\": {\"resident_county\": \"3 1\"}",
		    MINDL_ERR_POLICY },
		{ "\"org.iso.18013.5.1.aamva\": {\"name_suffix\": \"Jr.\"}",
		    MINDL_OK },
		{ "\"org.iso.18013.5.1.aamva\": {\"name_suffix\": \"2nd\"}",
		    MINDL_ERR_POLICY },
	};
	static const struct {
		const char	*privilege;
		int		 want;
	} priv[] = {
		{ "\"C1E\"", MINDL_OK },
		{ "\"M\", \"codes\": [{\"code\": \"01.06\"}]", MINDL_OK },
		{ "\"M\", \"codes\": [{\"code\": \"44.10\"}]", MINDL_OK },
		{ "\"M\", \"codes\": [{\"code\": \"01.6\"}]",
		    MINDL_ERR_POLICY },
		{ "\"M\", \"codes\": [{\"code\": \"01.ab\"}]",
		    MINDL_ERR_POLICY },
		{ "\"M\", \"codes\": [{\"code\": \"45.01\"}]",
		    MINDL_ERR_POLICY },
		{ "\"M\", \"codes\": [{\"code\": \"I\"}]", MINDL_ERR_POLICY },
		{ "\"M\", \"codes\": [{\"code\": \"62\", \"sign\": \"<=\", "
		    "\"value\": \"50 km\"}]", MINDL_OK },
		{ "\"M\", \"codes\": [{\"code\": \"62\", \"sign\": \"=<\"}]",
		    MINDL_ERR_POLICY },
		{ "\"M\", \"codes\": [{\"code\": \"B\", \"value\": "
		    "\"visa holder\"}]", MINDL_ERR_FORBIDDEN_VALUE },
		{ "\"c\"", MINDL_ERR_POLICY },
		{ "\"DP\"", MINDL_ERR_POLICY },
	};
	struct mindl_schema *s = builtin();
	struct mindl_record *r = NULL;
	char err[512], buf[1024], *json;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json = record_with("1990-01-01", cases[i].field);
		rc = parse(s, json, ISSUE_2024_06_14, &r, err, sizeof(err));
		if (rc != cases[i].want)
			fprintf(stderr, "  %s: %s (%s)\n", cases[i].field,
			    mindl_errname(rc), err);
		CHECK_ERR(rc, cases[i].want);
		mindl_record_free(&r);
		free(json);
	}
	for (i = 0; i < sizeof(priv) / sizeof(priv[0]); i++) {
		snprintf(buf, sizeof(buf), "{\"family_name\": \"Doe\", "
		    "\"given_name\": \"Sam\", \"birth_date\": \"1990-01-01\", "
		    "\"document_number\": \"X1\", \"driving_privileges\": "
		    "[{\"vehicle_category_code\": %s}]}", priv[i].privilege);
		rc = parse(s, buf, ISSUE_2024_06_14, &r, err, sizeof(err));
		if (rc != priv[i].want)
			fprintf(stderr, "  %s: %s (%s)\n", priv[i].privilege,
			    mindl_errname(rc), err);
		CHECK_ERR(rc, priv[i].want);
		if (rc != MINDL_OK)
			CHECK(strstr(err, "driving_privileges[0]") != NULL);
		mindl_record_free(&r);
	}
	mindl_schema_free(&s);
}

/*
 * A DMV's own policy file replaces the sample's identity and validity
 * rule, never the credential's shape, and is strict about its keys.
 */
static void
test_site_policy(void)
{
	static const char il[] =
	    "\xef\xbb\xbf{\"comment\": \"Illinois\", \"issuing_country\": \"US\","
	    " \"issuing_authority\": \"Illinois Secretary of State\","
	    " \"issuing_jurisdiction\": \"US-IL\","
	    " \"un_distinguishing_sign\": \"USA\", \"mso_days\": 14}";
	static const char *const bad[] = {
		/* the shape is the build's (privacy rule 2) */
		"{\"issuing_country\": \"US\", \"issuing_authority\": \"X\","
		" \"issuing_jurisdiction\": \"US-IL\","
		" \"un_distinguishing_sign\": \"USA\", \"age_over\": [18]}",
		"{\"issuing_country\": \"US\", \"issuing_authority\": \"X\","
		" \"issuing_jurisdiction\": \"US-IL\","
		" \"un_distinguishing_sign\": \"USA\", \"namespaces\": []}",
		/* jurisdiction required, in the country */
		"{\"issuing_country\": \"US\", \"issuing_authority\": \"X\","
		" \"un_distinguishing_sign\": \"USA\"}",
		"{\"issuing_country\": \"US\", \"issuing_authority\": \"X\","
		" \"issuing_jurisdiction\": \"CA-ON\","
		" \"un_distinguishing_sign\": \"USA\"}",
		/* an unknown key, a validity out of range, not JSON */
		"{\"issuing_country\": \"US\", \"issuing_authority\": \"X\","
		" \"issuing_jurisdiction\": \"US-IL\","
		" \"un_distinguishing_sign\": \"USA\", \"mso_dayz\": 3}",
		"{\"issuing_country\": \"US\", \"issuing_authority\": \"X\","
		" \"issuing_jurisdiction\": \"US-IL\","
		" \"un_distinguishing_sign\": \"USA\", \"licence_years\": 40}",
		"{\"issuing_country\": \"US\",",
	};
	struct mindl_schema *s = builtin();
	const struct mindl_policy *p = mindl_schema_policy(s);
	unsigned years = p->licence_years, ages = (unsigned)p->n_age_over;
	char err[512];
	size_t i;

	CHECK(!mindl_schema_policy_is_site(s));
	CHECK_ERR(mindl_schema_site_policy(s, il, sizeof(il) - 1, "il.json",
	    err, sizeof(err)), MINDL_OK);
	CHECK(mindl_schema_policy_is_site(s));
	CHECK(strcmp(p->issuing_authority, "Illinois Secretary of State") ==
	    0);
	CHECK(strcmp(p->jurisdiction, "US-IL") == 0);
	CHECK(p->mso_days == 14);
	CHECK(p->licence_years == years);	/* left to the build */
	CHECK(p->n_age_over == ages);
	mindl_schema_free(&s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		s = builtin();
		err[0] = '\0';
		CHECK_ERR(mindl_schema_site_policy(s, bad[i], strlen(bad[i]),
		    "p.json", err, sizeof(err)), MINDL_ERR_CONFIG);
		CHECK(strncmp(err, "p.json", 6) == 0);
		mindl_schema_free(&s);
	}
}

int
main(void)
{
	RUN(test_builtin);
	RUN(test_tables_clean);
	RUN(test_forbidden_names);
	RUN(test_schema_dir_refusals);
	RUN(test_sample_record);
	RUN(test_sample_refusals);
	RUN(test_forbidden_fields);
	RUN(test_record_refusals);
	RUN(test_age_over);
	RUN(test_expiry);
	RUN(test_one_shape);
	RUN(test_privileges_encoding);
	RUN(test_record_all_problems);
	RUN(test_value_types);
	RUN(test_value_content);
	RUN(test_site_policy);
	UNIT_DONE();
}
