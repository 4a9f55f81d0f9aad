/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: element tables, issuance policy and verifier profiles
 * (the JSON files in schemas/, embedded in the library at build time; a directory can
 * be loaded instead for testing).
 *
 * Privacy rule 1 (DESIGN.md section 4) lives here: the issuer accepts only
 * elements the schema defines, a built-in forbidden list of lawful-status
 * proxies can be extended but never reduced, and a schema that defines a
 * forbidden element does not load.
 */
#ifndef MINDL_SCHEMA_H
#define MINDL_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#define MINDL_DOCTYPE_MDL	"org.iso.18013.5.1.mDL"
#define MINDL_NS_ISO		"org.iso.18013.5.1"
#define MINDL_NS_AAMVA		"org.iso.18013.5.1.aamva"
#define MINDL_MAX_ELEMENTS	256	/* elements per credential */
#define MINDL_MAX_RECORD	(64u * 1024)	/* JSON record bytes */

struct mindl_schema;
struct mindl_profile;

/*
 * Element value types (CBOR encoding in brackets): tstr, uint, bool,
 * full-date [#6.1004(tstr)], bstr (portrait: from a file, not the record),
 * privileges [driving_privileges: array of maps], tstr-array.
 */
enum mindl_etype {
	MINDL_ET_TSTR = 1,
	MINDL_ET_UINT,
	MINDL_ET_BOOL,
	MINDL_ET_FULLDATE,
	MINDL_ET_BSTR,
	MINDL_ET_PRIVILEGES,
};

/* The schema built into the library (from schemas/ at build time). */
int mindl_schema_builtin(struct mindl_schema **out);
/* A schema from a directory laid out like schemas/ (for tests). */
int mindl_schema_load_dir(const char *dir, struct mindl_schema **out,
    char *errbuf, size_t errlen);
void mindl_schema_free(struct mindl_schema **sp);

/*
 * 1 if name is a forbidden element name: the compiled-in list
 * (DHS_temporary_lawful_status, DHS_compliance, DHS_compliance_text,
 * EDL_credential(.v2), CDL_non_domiciled(.v2), nationality, birth_place,
 * biometric_template_*, race_ethnicity) or a name containing one of the
 * generic stems (immigration, visa, citizen, lawful, legal_status,
 * legalstatus, social_security, passport, consular, ...), compared
 * case-insensitively and ignoring '_', '-', '.' and digits; short
 * abbreviations (ssn, dhs, edl, ...) match only as whole words (split on
 * separators, camelCase and digits) so "business_name" is not caught.
 */
int mindl_element_forbidden(const char *name);

/* Element table lookups: the type, or 0 if ns/id is not in the schema. */
int mindl_schema_element_type(const struct mindl_schema *s, const char *ns,
    const char *id);

/*
 * The element tables, for people: what a record may hold and how each
 * element is checked (mindl-issuer elements).
 */
struct mindl_element_info {
	const char	*ns;
	const char	*id;
	const char	*label;		/* for people: "Date of birth" */
	const char	*type;		/* "tstr", "uint", "bool", "full-date", */
					/* "bstr" or "privileges" */
	const char	*source;	/* "record", "derived" or "portrait" */
	const char	*charset;	/* tstr from the record; else NULL */
	int		 required;
	size_t		 max_length;	/* tstr: characters */
	int		 has_max;	/* uint */
	uint64_t	 max;
	size_t		 n_values;	/* the closed list, if any */
	size_t		 n_categories;	/* privileges' tables */
	size_t		 n_codes;
	size_t		 n_signs;
};

size_t mindl_schema_element_count(const struct mindl_schema *s);
/* Element i (in (namespace, identifier) order); MINDL_ERR_INVALID_ARG. */
int mindl_schema_element_info(const struct mindl_schema *s, size_t i,
    struct mindl_element_info *out);
/*
 * Entry k of element i's list "values", "categories", "codes" or "signs"
 * as text (a uint formatted into buf); NULL past the end.
 */
const char *mindl_schema_element_list(const struct mindl_schema *s, size_t i,
    const char *list, size_t k, char buf[24]);

struct mindl_cbor_item;
/*
 * A disclosed value against the element table, as a verifier must hold
 * it before reporting it: the CBOR type the table gives the element
 * (tstr, uint, bool); a full-date as #6.1004("YYYY-MM-DD") (with
 * "accepts_tdate", also #6.0 date-time: ISO 18013-5 allows either for
 * issue_date and expiry_date); driving_privileges as the closed maps of
 * 18013-5 7.2.4; the portrait as a bstr that passes mindl_jpeg_check.
 * Every ISO age_over_NN is a bool.  Elements not in the table are not
 * judged (MINDL_OK).  MINDL_ERR_VALUE_TYPE, MINDL_ERR_PORTRAIT.
 */
int mindl_schema_check_value(const struct mindl_schema *s, const char *ns,
    const char *id, const struct mindl_cbor_item *v);

/*
 * Issuance policy (schemas/policy.json).  All holders get the same shape:
 * the same age_over_NN set, the same digest count per namespace, the same
 * validity rule.
 */
struct mindl_policy {
	const char	*issuing_country;	/* e.g. "US" */
	const char	*issuing_authority;
	const char	*jurisdiction;		/* issuing_jurisdiction, "US-IL" */
	const char	*un_distinguishing_sign;
	unsigned	 licence_years;		/* expiry = issue + N years */
	unsigned	 mso_days;		/* MSO validUntil = signed + N days */
	int		 digest_alg;		/* MINDL_DIGEST_*, SHA-256 by default */
	size_t		 n_age_over;
	unsigned	 age_over[16];		/* sorted ascending */
	size_t		 n_ns;
	const char	*ns[4];			/* namespaces issued */
	unsigned	 digests[4];		/* digests per namespace, decoys included */
};
const struct mindl_policy *mindl_schema_policy(const struct mindl_schema *s);
/*
 * The issuing DMV's own policy file (JSON, the name for messages): who it
 * is (issuing_country, issuing_authority, issuing_jurisdiction, required;
 * un_distinguishing_sign) and, if it says so, its validity rule
 * (licence_years, mso_days) and MSO digest_algorithm, replacing the
 * build's sample in s.  The shape of a credential (age_over, namespaces, forbidden, aamva_version)
 * stays the build's: a file that sets it is refused, as is any unknown
 * key (MINDL_ERR_CONFIG, the problem in errbuf).  After a failure s may
 * hold part of the file: free it.
 */
int mindl_schema_site_policy(struct mindl_schema *s, const char *json,
    size_t len, const char *name, char *errbuf, size_t errlen);
/*
 * An element's label for people ("Date of birth", from the table's
 * "label") and its rank: the order in which a person expects to read
 * the elements (ISO's table first, each in its written order).
 * MINDL_ERR_UNKNOWN_ELEMENT for an element not in the tables.
 */
int mindl_schema_element_label(const struct mindl_schema *s, const char *ns,
    const char *id, const char **label, unsigned *rank);
/* 1 once mindl_schema_site_policy() succeeded on s. */
int mindl_schema_policy_is_site(const struct mindl_schema *s);

/*
 * A record from the DMV system, validated against the schema and policy:
 * unknown field -> MINDL_ERR_UNKNOWN_ELEMENT, forbidden field ->
 * MINDL_ERR_FORBIDDEN_ELEMENT, a field the issuer computes (expiry_date,
 * age_over_NN, issue_date, issuing_*) -> MINDL_ERR_POLICY, malformed date
 * -> MINDL_ERR_DATE, bad JSON -> MINDL_ERR_JSON (errbuf gets "line L
 * column C: text"), wrong JSON type -> MINDL_ERR_JSON... errbuf always
 * names the field.  The record is then completed with derived elements
 * (issue_date = the issuance day, expiry_date by the policy rule,
 * age_over_NN for the whole policy set computed from birth_date at the
 * issuance day, issuing_country, issuing_authority, un_distinguishing_sign
 * and issuing_jurisdiction from policy) and the portrait.
 */
struct mindl_element {
	const char	*ns;
	const char	*id;
	uint8_t		*value;		/* CBOR encoding of elementValue */
	size_t		 valuelen;
};

struct mindl_record;

int mindl_record_parse(const struct mindl_schema *s, const char *json,
    size_t len, const uint8_t *portrait, size_t portraitlen,
    int64_t issue_time, struct mindl_record **out, char *errbuf,
    size_t errlen);
void mindl_record_free(struct mindl_record **rp);
/* Elements in a stable order (namespace, then identifier). */
size_t mindl_record_count(const struct mindl_record *r);
const struct mindl_element *mindl_record_element(const struct mindl_record *r,
    size_t i);
/*
 * A record for a renewal (mindl/renewal.h): checked exactly as
 * mindl_record_parse checks one, but the licence keeps its own dates:
 * issue_date and expiry_date are issue_day and expiry_day (days since
 * the epoch, from the old credential) instead of the policy's rule, and
 * a birth date or privilege issue date is checked against issue_day.
 * age_over_NN is computed on the day of renew_time, as every other
 * derived element is taken from today's policy.  A licence whose
 * expiry_day is before that day is MINDL_ERR_LICENCE_EXPIRED; an
 * issue_day after it, or an expiry_day not after issue_day,
 * MINDL_ERR_POLICY.
 */
int mindl_record_parse_renewal(const struct mindl_schema *s, const char *json,
    size_t len, const uint8_t *portrait, size_t portraitlen,
    int64_t renew_time, int64_t issue_day, int64_t expiry_day,
    struct mindl_record **out, char *errbuf, size_t errlen);
/*
 * The licence's expiry_date and issue_date (days since the epoch): by
 * policy from the issuance day, or kept by a renewal.
 */
int64_t mindl_record_expiry_day(const struct mindl_record *r);
int64_t mindl_record_issue_day(const struct mindl_record *r);
/*
 * The record's document_number (borrowed, NUL-terminated, valid while r
 * lives), or NULL if it has none: a registry finds the licence by it.
 */
const char *mindl_record_document_number(const struct mindl_record *r);

/* Verifier profiles (schemas/profiles.json). */
const struct mindl_profile *mindl_schema_profile(const struct mindl_schema *s,
    const char *id);
size_t mindl_schema_profile_count(const struct mindl_schema *s);
const struct mindl_profile *mindl_schema_profile_at(
    const struct mindl_schema *s, size_t i);
const char *mindl_profile_id(const struct mindl_profile *p);
const char *mindl_profile_title(const struct mindl_profile *p);
/* The question the profile's verifier decides, e.g. "OVER 21". */
const char *mindl_profile_question(const struct mindl_profile *p);
/* 1 if the profile shows the portrait. */
int mindl_profile_portrait(const struct mindl_profile *p);
/*
 * 1 if the profile's elements are age_over_NN (one or more) and at most
 * the portrait (age-18, age-21): facts that a suspension or revocation
 * does not make untrue.  A purpose credential for such a profile carries
 * no status reference and lasts the licence's term (mindl/mdoc.h,
 * mindl_mdoc_issue_purpose).
 */
int mindl_profile_age_only(const struct mindl_profile *p);
size_t mindl_profile_count(const struct mindl_profile *p);
/* Element i of the profile: namespace and identifier. */
void mindl_profile_element(const struct mindl_profile *p, size_t i,
    const char **ns, const char **id);
/* 1 if the profile includes ns/id. */
/*
 * 1 if a verifier of profile p may keep element ns/id after the check
 * (profiles.json "retain"): a request may declare intent_to_retain for it,
 * and mindl-verifier writes it to a file only then.
 */
int mindl_profile_may_retain(const struct mindl_profile *p, const char *ns,
    const char *id);
int mindl_profile_allows(const struct mindl_profile *p, const char *ns,
    const char *id);

#endif /* MINDL_SCHEMA_H */
