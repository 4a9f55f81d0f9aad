/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl core internals: declarations shared between core source files and
 * never installed.  Tools include only the public mindl headers.
 */
#ifndef MINDL_INTERNAL_H
#define MINDL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "mindl/err.h"
#include "mindl/schema.h"

/* Debug log to stderr, on when mindl_set_debug(1) (the tools' -d flag). */
void mindl_log_debug(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Drains the OpenSSL error queue into the debug log. */
void mindl_log_ossl(const char *where);

/*
 * Defensive checks in the style of SQLite: ALWAYS(x) and NEVER(x) mark
 * conditions believed impossible; they assert in debug builds and are
 * handled as ordinary failures otherwise.
 */
#ifdef NDEBUG
#define ALWAYS(x)	(x)
#define NEVER(x)	(x)
#else
#include <assert.h>
#define ALWAYS(x)	((x) ? 1 : (assert(0), 0))
#define NEVER(x)	((x) ? (assert(0), 1) : 0)
#endif

/*
 * Fault injection: MINDL_FAIL_ALLOC=N makes the Nth allocation fail.
 * Tests set it from the program: mindl_fail_alloc_at(n) restarts the
 * count and fails the nth allocation from now (0: none);
 * mindl_alloc_count() is the number of allocations since, and
 * mindl_alloc_failed() how many were failed (0 or 1).
 */
void *mindl_malloc(size_t n);
void *mindl_calloc(size_t n, size_t size);
void *mindl_realloc(void *p, size_t n);
void mindl_fail_alloc_at(long n);
long mindl_alloc_count(void);
long mindl_alloc_failed(void);

/*
 * Length of the valid UTF-8 sequence at p (at most n bytes), with its code
 * point in *cp if cp is not NULL; 0 if p does not start one (RFC 3629:
 * no overlong forms, no surrogates, nothing beyond U+10FFFF).
 */
size_t mindl_utf8_len(const uint8_t *p, size_t n, uint32_t *cp);
/*
 * 1 if the text escaper (mindl_buf_add_text) escapes code point c even in
 * a UTF-8 locale: C1 controls, bidi and other format characters, private
 * use, non-characters.  (C0 controls and DEL are the caller's to test.)
 */
int mindl_text_cp_unsafe(uint32_t c);

/*
 * ASCII character classes, for names and codes that are ASCII by
 * definition: <ctype.h> follows the locale.  c is an unsigned char value.
 */
int mindl_is_lower(int c);
int mindl_is_upper(int c);
int mindl_is_digit(int c);
int mindl_is_alpha(int c);

struct mindl_key;
/* The OpenSSL key behind a mindl_key (borrowed); for the x509 adapter. */
void *mindl_key_evp(const struct mindl_key *key);
/* Wraps an EVP_PKEY (takes ownership) as a mindl_key. */
int mindl_key_wrap_evp(void *evp_pkey, struct mindl_key **out);
/*
 * A DER ECDSA-Sig-Value of exactly derlen bytes -> raw r||s, each clen
 * bytes, in sig[2 * clen] (crypto_ossl.c, the one place signatures change
 * form).  MINDL_ERR_CRYPTO if it is not one, or r or s is too long.
 */
int mindl_ecdsa_der_to_raw(const uint8_t *der, size_t derlen, size_t clen,
    uint8_t *sig);

/*
 * X.509 on OpenSSL, shared by x509.c (parsing, times, keys, the Annex B
 * profile checks), x509_make.c, pem.c and trust.c.
 */
#define MINDL_X509_OID_MDL_DS	"1.0.18013.5.1.2"	/* id-mdl-kp-mdlDS */
#define MINDL_X509_PEM_MAX	(64 * 1024)	/* a PEM certificate file */

/*
 * Strict DER parse of exactly one certificate (no trailing bytes, at most
 * MINDL_MAX_CERT_LEN, extensions that decode); MINDL_ERR_X509 otherwise.
 * *out is the caller's (X509_free).
 */
int mindl_x509_parse_der(const uint8_t *der, size_t len, X509 **out);
/*
 * notBefore and notAfter in seconds since the epoch; MINDL_ERR_X509 if
 * either is unreadable or notAfter comes first.
 */
int mindl_x509_times(const X509 *x, int64_t *nb, int64_t *na);
/* The certificate's public key as a new mindl_key; MINDL_ERR_KEY. */
int mindl_x509_cert_pubkey(X509 *x, struct mindl_key **out);
/*
 * The value of the only entry nid in n (borrowed), or NULL when it is
 * absent or repeated; *count is the number of entries.
 */
const ASN1_STRING *mindl_x509_name_value(const X509_NAME *n, int nid,
    int *count);
/*
 * Annex B Table B.1/B.2 checks OpenSSL does not make on an IACA root:
 * tolerable deviations into *dev (MINDL_DEV_*), MINDL_ERR_CERT_PROFILE
 * for the rest.  mindl_x509_iaca_profile allows none
 * (MINDL_ERR_DEVIATION).
 */
int mindl_x509_iaca_deviations(X509 *root, unsigned *dev);
int mindl_x509_iaca_profile(X509 *root);
/*
 * Annex B Table B.3/B.4 checks on a DS certificate against its root;
 * nb and na are the DS's own validity.  MINDL_ERR_CERT_PROFILE.
 */
int mindl_x509_ds_profile(X509 *x, X509 *root, int64_t nb, int64_t na);
/*
 * The status-list signer's profile against its root (mindl/trust.h,
 * mindl_trust_verify_status_signer); MINDL_ERR_CERT_PROFILE.
 */
int mindl_x509_status_signer_profile(X509 *x, X509 *root, int64_t nb,
    int64_t na);
/*
 * A reader authentication certificate: digitalSignature, EKU
 * 1.0.18013.5.1.6 among its EKUs, not a CA, never the DS EKU.  No place
 * or validity-length rule: other issuers' readers (Annex D's) carry no C
 * and live for years; mindl's own are capped when made.
 */
int mindl_x509_reader_profile(X509 *x);
/*
 * Next certificate of a PEM buffer in bio, as encoded; *der is NULL at the
 * end.  Other blocks are skipped when skip_other, MINDL_ERR_X509 if not.
 */
int mindl_x509_pem_next(BIO *bio, int skip_other, uint8_t **der,
    size_t *derlen);
/*
 * Writes the PEM text held in a memory BIO to a new file (pem.c, for
 * certificate and key files): mindl_file_write with MINDL_FILE_EXCL and
 * flags (MINDL_FILE_PRIVATE for a key), "-" being a file, not stdout.
 * The text is not copied: a memory BIO clears its buffer when freed.
 */
int mindl_pem_write_new(const char *path, BIO *mem, int flags);

struct mindl_cbor_item;
/* A full-date or tdate value as a day number (purpose.c); -1 if neither. */
int mindl_value_day(const struct mindl_cbor_item *it, int64_t *day);

/*
 * The issuer's signature, shared by verification (verify.c) and renewal
 * (renewal.c), so that both judge an MSO alike.  mindl_issuer_auth_check:
 * an x5chain without a trusted IACA in it, the DS certificate chained to
 * a trusted IACA with both valid at `at` (the verification time, or for
 * renewal the MSO's signing time), the MSO signature, version "1.0",
 * SHA-256, docType, the signing time inside the DS validity; f (not NULL)
 * gets the certificate and MSO dates as far as it got.
 * mindl_issuer_item_check: one IssuerSignedItem's digest over its bytes
 * as received, then its value against the element table.
 */
struct mindl_trust;
struct mindl_mso;
struct mindl_issuer_item;
struct mindl_verify_fault;
int mindl_issuer_auth_check(struct mindl_trust *trust, int64_t at,
    const struct mindl_mso *mso, const struct mindl_cbor_item *doctype,
    struct mindl_verify_fault *f);
int mindl_issuer_item_check(const struct mindl_schema *schema,
    const struct mindl_mso *mso, const struct mindl_issuer_item *ii);

/* The audit (audit.c, audit_pop.c, audit_link.c). */
struct mindl_cbor;
struct mindl_cbor_item;
/*
 * A file's documents for the audit: decodes buf into *doc (the caller's)
 * and finds the documents (mindl_file_documents), at most
 * MINDL_AUDIT_MAX_DOCS of them.
 */
int mindl_audit_open(const uint8_t *buf, size_t len, struct mindl_cbor **doc,
    const struct mindl_cbor_item **docs,
    const struct mindl_cbor_item **engagement);
/* p escaped and bounded as feature values are; *out is malloc'd. */
int mindl_audit_escape(const uint8_t *p, size_t n, char **out);

/*
 * The schema representation shared by schema.c (tables, policy,
 * profiles), record.c (record parsing) and forbidden.c (privacy rule 1).
 */
#define SCHEMA_MAX_VALUES	16	/* "values" list of one element */
#define AGE_OVER_PREFIX		"age_over_"	/* age_over_NN */
#define SCHEMA_DEFAULT_MAX_TEXT	150	/* tstr characters; 18013-5 names */
#define SCHEMA_MAX_CODES	256	/* a privileges code table */
#define SCHEMA_SAFE_NAME	72	/* escaped, truncated name + NUL */

enum schema_source {
	SRC_RECORD = 1,		/* a field of the DMV record */
	SRC_DERIVED,		/* computed by the issuer from policy */
	SRC_PORTRAIT,		/* the portrait file */
};

/*
 * Character sets of record text (schemas/README.md, "charset").  NAME and
 * ADDRESS are the holder's own words; ID, CODE and TEXT are values the
 * DMV chooses, so the forbidden list applies to them (privacy rule 1).
 */
enum schema_charset {
	CS_TEXT = 0,		/* printable, no escaped code point */
	CS_NAME,		/* letters, space and ' - . , */
	CS_ADDRESS,		/* NAME plus digits and # / */
	CS_ID,			/* A-Z a-z 0-9, space and - */
	CS_CODE,		/* A-Z 0-9 */
};

/* A list of allowed strings (element "values", privilege code tables). */
struct schema_strset {
	char	**v;
	size_t	  n;
};

enum schema_derived {
	DRV_NONE = 0,
	DRV_ISSUE_DATE,
	DRV_EXPIRY_DATE,
	DRV_AGE_OVER,
	DRV_COUNTRY,
	DRV_AUTHORITY,
	DRV_UN_SIGN,
	DRV_JURISDICTION,
	DRV_AAMVA_VERSION,
};

/* One element of a table (the age_over_NN pattern is expanded). */
struct schema_elem {
	char			*ns;
	char			*id;
	enum mindl_etype	 type;
	int			 required;
	enum schema_source	 source;
	enum schema_derived	 derived;
	unsigned		 age;		/* DRV_AGE_OVER: NN */
	size_t			 max_length;	/* tstr chars; 0: default */
	uint64_t		 max;		/* uint, if has_max */
	int			 has_max;
	size_t			 n_values;	/* allowed values, if any */
	char			**svalues;	/* tstr */
	uint64_t		*uvalues;	/* uint */
	enum schema_charset	 charset;	/* tstr */
	int			 accepts_tdate;	/* full-date: tdate too */
	struct schema_strset	 categories;	/* privileges */
	struct schema_strset	 codes;
	struct schema_strset	 signs;
	char			*label;		/* for people: "Date of birth" */
	unsigned		 rank;		/* table order: what people */
						/* expect to read first */
};

struct mindl_profile {
	char		 *id;
	char		 *title;
	int		  portrait;
	const char	 *portrait_ns;	/* the portrait element, if listed */
	const char	 *portrait_id;
	int		  age_only;	/* age_over_NN and the portrait only */
	size_t		  n;
	const char	**ns;		/* borrowed from the element table */
	const char	**ids;
	unsigned char	 *retain;	/* per element: may be kept */
	/* The purpose: the question a verifier asks, and its rule. */
	char		 *question;	/* "OVER 21" */
	size_t		  n_true;	/* these elements must be true */
	size_t		 *true_idx;	/* indexes into ns/ids */
	int		  not_expired;	/* expiry_date is today or later */
	int		  privileges;	/* a driving privilege valid today */
};

struct mindl_schema {
	struct schema_elem	*elems;		/* sorted by (ns, id) */
	size_t			 n_elems;
	size_t			 cap_elems;
	struct mindl_policy	 policy;	/* strings below */
	char			*country;
	char			*authority;
	char			*jurisdiction;
	char			*un_sign;
	char			*ns_names[4];
	uint64_t		 aamva_version;
	int			 has_aamva_version;
	int			 policy_from_site;	/* a DMV's file */
	char			**extra;	/* policy "forbidden" stems */
	size_t			 n_extra;
	struct mindl_profile	*profiles;
	size_t			 n_profiles;
};

struct schema_errbuf {
	char	*buf;
	size_t	 len;
	/*
	 * With append, each message is a line of its own (record checks
	 * report every problem in one run); count is how many were made,
	 * used how much of buf holds them.
	 */
	int	 append;
	unsigned count;
	size_t	 used;
};
#define SCHEMA_MAX_PROBLEMS	24	/* lines kept; the rest are counted */

/* Writes a message to eb (if any); never fails. */
void schema_err(struct schema_errbuf *eb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* In append mode: ends the last message with " (NAME)" of err. */
void schema_err_code(struct schema_errbuf *eb, int err);
/* In append mode: a last line for the problems not kept, if any. */
void schema_err_done(struct schema_errbuf *eb);
/* Copies untrusted name s printable and truncated, for messages. */
void schema_safe_name(char out[SCHEMA_SAFE_NAME], const char *s);
/* strdup through mindl_malloc; NULL on failure. */
char *schema_strdup(const char *s);
/* The element ns/id of s, or NULL. */
const struct schema_elem *schema_find(const struct mindl_schema *s,
    const char *ns, const char *id);
/* mindl_element_forbidden plus the policy's extensions (forbidden.c). */
int schema_forbidden(const struct mindl_schema *s, const char *name);
/*
 * The same list against a value the DMV chooses: stems inside stretches
 * without digits, tokens as a word's leading or trailing letters.
 */
int schema_value_forbidden(const struct mindl_schema *s, const char *v);
/*
 * The stem of a policy's forbidden name, as the matcher compares it: its
 * letters, case folded.  out has room for strlen(name) + 1 bytes; returns
 * the number of letters (0: none, so nothing to match).
 */
size_t schema_forbidden_stem(char *out, const char *name);
/* 1 if s is in set; a "NN.nn" entry also takes "NN." and two digits. */
int schema_strset_has(const struct schema_strset *set, const char *s,
    size_t n);

#endif /* MINDL_INTERNAL_H */
