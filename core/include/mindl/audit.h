/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: evidence for security reviewers (DESIGN.md section 4, rules 2
 * and 6): structural features of credentials, their distribution over a
 * population and the tests that tell two groups apart; and the byte
 * strings and identifiers that link two presentations.
 *
 * Everything here reads hostile files: the same strict decoder as the
 * verifier (core/src/cbor.c, cose.c), caps on documents, items and
 * tokens, and every string that comes from a file is returned escaped
 * (printable ASCII; other bytes as \xNN) and bounded, so a tool can print
 * it as is.  Nothing here verifies a signature: the audit describes what a
 * verifier would see, valid or not.
 *
 * Inputs, detected by content (DESIGN.md section 3):
 *   credential file   [+ {"docType", "issuerSigned"}]
 *   response file     {"v": 1, "deviceEngagement", "deviceResponse"}
 *   DeviceResponse    {"version", "documents", "status"}
 * Each document (credential entry or response document) is one sample.
 */
#ifndef MINDL_AUDIT_H
#define MINDL_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#define MINDL_AUDIT_MAX_FILES	100000	/* files per population or link set */
#define MINDL_AUDIT_MAX_DOCS	1024	/* documents per file */
#define MINDL_AUDIT_MAX_GROUPS	8	/* named groups */
#define MINDL_AUDIT_MAX_VALUE	4096	/* one feature value, escaped */
#define MINDL_AUDIT_MAX_TOKENS	(8u * 1024 * 1024)	/* link tokens */
#define MINDL_AUDIT_MAX_PAIRS	(4u * 1024 * 1024)	/* link pair records */

/*
 * Who can observe a feature.
 *  VERIFIER:   in every presentation, whatever is disclosed: the MSO and
 *              issuerAuth travel with every response.
 *  DISCLOSURE: in every disclosed item, whatever its value (salt length,
 *              the age_over_NN identifiers a request can reach, the order
 *              of digestIDs).
 *  HOLDER:     record content: seen only by whoever holds the whole
 *              credential, or through the values a holder chooses to
 *              disclose (element set, item count, credential size).
 * Features of the first two kinds are "counted": they must not tell two
 * groups apart.  HOLDER features legitimately vary with the record and are
 * reported, but never counted as distinguishing.
 */
enum mindl_audit_vis {
	MINDL_AUDIT_VERIFIER = 1,
	MINDL_AUDIT_DISCLOSURE,
	MINDL_AUDIT_HOLDER,
};

enum mindl_audit_feature {
	MINDL_AF_DOCTYPE = 0,		/* docType (MSO and document) */
	MINDL_AF_NAMESPACES,		/* namespaces of valueDigests, in order */
	MINDL_AF_DIGESTS,		/* digests per namespace */
	MINDL_AF_MSO_FORMAT,		/* version, digestAlgorithm, MSO keys */
	MINDL_AF_MSO_SIZE,		/* bytes of the MSO */
	MINDL_AF_IA_SIZE,		/* bytes of issuerAuth */
	MINDL_AF_IA_HEADERS,		/* issuerAuth headers, x5chain length */
	MINDL_AF_SIGNER,		/* mindl_x509_key_id of x5chain[0] */
	MINDL_AF_DEVICE_KEY,		/* deviceKey kty/crv and labels */
	MINDL_AF_VALIDITY,		/* validUntil - validFrom, seconds */
	MINDL_AF_FROM_MOD_DAY,		/* validFrom mod 86400 */
	MINDL_AF_UNTIL_MOD_DAY,		/* validUntil mod 86400 */
	MINDL_AF_FROM_MINUS_SIGNED,	/* validFrom - signed */
	MINDL_AF_SIGNED_MOD_DAY,	/* signed mod 86400 */
	MINDL_AF_SIGNED_MOD_HOUR,	/* signed mod 3600 */
	MINDL_AF_SIGNED_MOD_MINUTE,	/* signed mod 60 */
	MINDL_AF_SIGNED_DAY,		/* signed / 86400 (issuance day) */
	MINDL_AF_DIGEST_LENS,		/* set of digest lengths */
	MINDL_AF_ID_MIN,		/* smallest digestID */
	MINDL_AF_ID_MAX,		/* largest digestID */
	MINDL_AF_ID_SIZES,		/* set of encoded digestID sizes */
	MINDL_AF_ID_SEQUENTIAL,		/* IDs of each namespace consecutive */
	MINDL_AF_STATUS,		/* status list uri, or "absent" */
	MINDL_AF_STATUS_IDX,		/* status list index (absent if none) */
	MINDL_AF_AGE_SET,		/* age_over_NN identifiers issued */
	MINDL_AF_SALT_LENS,		/* set of IssuerSignedItem salt lengths */
	MINDL_AF_ITEM_ORDER,		/* digestIDs ascending in issuerSigned */
	MINDL_AF_ELEMENTS,		/* element identifiers in issuerSigned */
	MINDL_AF_ITEMS,			/* IssuerSignedItems */
	MINDL_AF_CRED_SIZE,		/* bytes of the document */
	MINDL_AF_COUNT
};

struct mindl_audit_finfo {
	const char		*name;	/* stable id for --json */
	const char		*title;	/* for people */
	int			 numeric;
	enum mindl_audit_vis	 vis;
	int			 counted; /* 1: may not tell groups apart */
};

/* Description of feature f (< MINDL_AF_COUNT), or NULL. */
const struct mindl_audit_finfo *mindl_audit_feature_info(size_t f);
/* "verifier", "disclosure", "holder". */
const char *mindl_audit_vis_name(enum mindl_audit_vis v);

/* One document's features. */
struct mindl_audit_fv {
	int	 present[MINDL_AF_COUNT];	/* 0: the feature is absent */
	int64_t	 num[MINDL_AF_COUNT];		/* numeric features */
	char	*cat[MINDL_AF_COUNT];		/* categorical: escaped, owned */
};

/*
 * Features of every document in a file (credential file, response file or
 * DeviceResponse).  On success *out is an array of *n entries, freed with
 * mindl_audit_fv_free.  Errors: the decoder's, MINDL_ERR_CBOR_TYPE,
 * MINDL_ERR_MISSING, MINDL_ERR_DATE, MINDL_ERR_CBOR_LIMIT, cose's.
 */
int mindl_audit_extract(const uint8_t *buf, size_t len,
    struct mindl_audit_fv **out, size_t *n);
void mindl_audit_fv_free(struct mindl_audit_fv **fvp, size_t n);

/*
 * A population: every document of every file added, in groups.  Group 0
 * is the unlabelled part; named groups are 1..MINDL_AUDIT_MAX_GROUPS.
 */
struct mindl_audit_pop;

int mindl_audit_pop_new(struct mindl_audit_pop **out);
void mindl_audit_pop_free(struct mindl_audit_pop **pp);
/* The index of the named group (created on first use). */
int mindl_audit_pop_group(struct mindl_audit_pop *p, const char *name,
    size_t *g);
/* Named groups + 1. */
size_t mindl_audit_pop_ngroups(const struct mindl_audit_pop *p);
/* NULL for group 0. */
const char *mindl_audit_pop_group_name(const struct mindl_audit_pop *p,
    size_t g);
/* Documents in group g, or in all groups for g == SIZE_MAX. */
size_t mindl_audit_pop_size(const struct mindl_audit_pop *p, size_t g);
/*
 * Adds every document of one file to group g.  On error nothing of the
 * file is added (except on MINDL_ERR_NOMEM).  MINDL_ERR_TOO_LARGE after
 * MINDL_AUDIT_MAX_FILES files; MINDL_ERR_INVALID_ARG after finish.
 */
int mindl_audit_pop_add(struct mindl_audit_pop *p, size_t g,
    const uint8_t *buf, size_t len);
/* Ends adding: sorts the value tables.  Needed before the queries below. */
int mindl_audit_pop_finish(struct mindl_audit_pop *p);

/* One distinct value of a feature and how often it occurs. */
struct mindl_audit_value {
	const char	*value;	/* escaped; numbers in decimal; "absent" */
	int		 absent;
	int64_t		 num;	/* numeric features, when !absent */
	size_t		 total;
	size_t		 count[MINDL_AUDIT_MAX_GROUPS + 1];
};

/*
 * Distinct values of feature f: categorical ones by falling count,
 * numeric ones ascending ("absent" last).
 */
size_t mindl_audit_pop_nvalues(const struct mindl_audit_pop *p, size_t f);
const struct mindl_audit_value *mindl_audit_pop_value(
    const struct mindl_audit_pop *p, size_t f, size_t i);

struct mindl_audit_range {
	size_t	n;		/* documents with the feature present */
	size_t	absent;
	int64_t	min;		/* when n > 0 */
	int64_t	max;
	size_t	distinct;	/* distinct present values */
};
/* Range of numeric feature f in group g (SIZE_MAX: all groups). */
void mindl_audit_pop_range(const struct mindl_audit_pop *p, size_t f,
    size_t g, struct mindl_audit_range *r);

/*
 * Tests that tell two groups apart (DESIGN.md section 4, rule 2).  With
 * nA, nB the group sizes and c_A(v), c_B(v) the counts of a value v:
 *
 *  EXCLUSIVE: a value seen in one group only, often enough to matter and
 *    not by chance: c_A(v) >= max(5, ceil(nA / 100)), c_B(v) = 0, and the
 *    chance of c_A(v) draws from the pooled sample all landing in A,
 *    (nA / (nA + nB))^c_A(v), is below 0.001 / k, k = distinct values of
 *    the feature in the two groups (Bonferroni over the values).
 *  TV: total-variation distance between the two empirical distributions,
 *    after pooling values seen fewer than 5 times in both groups together
 *    into one bin, above 3 * sqrt(k - 1) * sqrt(1/nA + 1/nB) for k bins
 *    (k >= 2).  The sqrt(k - 1) keeps the threshold above the distance
 *    that sampling alone gives when a feature takes many values.
 *  RANGE (numeric): the present values of the groups do not overlap
 *    (max of one < min of the other), with at least 10 values in each.
 *  KS (numeric): two-sample Kolmogorov-Smirnov statistic over the present
 *    values above the critical value at alpha = 0.001:
 *    D > 1.95 * sqrt((nA + nB) / (nA * nB)).
 *
 * A feature distinguishes when any test fires.  All features are tested;
 * the caller separates counted (VERIFIER, DISCLOSURE) from HOLDER ones.
 */
#define MINDL_AUDIT_T_EXCLUSIVE	0x01
#define MINDL_AUDIT_T_TV	0x02
#define MINDL_AUDIT_T_RANGE	0x04
#define MINDL_AUDIT_T_KS	0x08

struct mindl_audit_diff {
	size_t		 feature;
	unsigned	 tests;		/* MINDL_AUDIT_T_* that fired */
	double		 tv, tv_threshold;
	double		 ks, ks_threshold;
	char		 evidence[768];	/* one line per fired test, escaped */
};

/*
 * Compares groups ga and gb (after finish).  *out lists the features for
 * which a test fired, in feature order (free with free(); NULL if none).
 */
int mindl_audit_pop_compare(const struct mindl_audit_pop *p, size_t ga,
    size_t gb, struct mindl_audit_diff **out, size_t *n);
/* Stable ids: "exclusive-value", "total-variation", "range", "ks". */
const char *mindl_audit_test_name(unsigned test);

/*
 * Linkability (DESIGN.md section 4, rule 6): every byte string or
 * identifier shared by two files.
 */
enum mindl_audit_link_kind {
	MINDL_LINK_SALT = 1,		/* IssuerSignedItem random */
	MINDL_LINK_VALUE_DIGEST,	/* valueDigests entry / item digest */
	MINDL_LINK_DIGEST_ID,		/* digestID of an issuerSigned item */
	MINDL_LINK_DIGEST_ID_SET,	/* the digestIDs of one namespace */
	MINDL_LINK_DEVICE_KEY,		/* MSO deviceKey */
	MINDL_LINK_ISSUER_SIGNATURE,	/* issuerAuth signature */
	MINDL_LINK_STATUS,		/* status list uri and index */
	MINDL_LINK_CERTIFICATE,		/* a certificate other than the DS's */
	MINDL_LINK_ENGAGEMENT_KEY,	/* EDeviceKey in deviceEngagement */
	MINDL_LINK_DEVICE_AUTH,		/* deviceMac / deviceSignature tag */
	MINDL_LINK_ISSUER_CERT,		/* DS certificate: expected, not a link */
	MINDL_LINK_DISCLOSED_VALUE,	/* an element with the same value: */
					/* the same by nature, reported apart */
	MINDL_LINK_KINDS
};

/* Stable id ("salt", "value-digest", ...), never NULL. */
const char *mindl_audit_link_kind_name(int kind);

struct mindl_audit_links;

/* Links between the files of one set, by file index (order of adding). */
struct mindl_audit_link {
	size_t	a, b;			/* a < b */
	int	kind;
	size_t	count;			/* shared values of this kind */
	char	example[3][24];		/* up to 3, hex prefixes or ids */
};

/* A value shared by design: the issuer's DS certificate. */
struct mindl_audit_shared {
	int	kind;			/* MINDL_LINK_ISSUER_CERT */
	size_t	files;			/* files holding it */
	char	value[24];		/* key id prefix */
};

int mindl_audit_links_new(struct mindl_audit_links **out);
void mindl_audit_links_free(struct mindl_audit_links **lp);
/*
 * Adds one file's tokens (credential file, response file or
 * DeviceResponse).  On error nothing of the file is added.
 * MINDL_ERR_TOO_LARGE past MINDL_AUDIT_MAX_FILES or _MAX_TOKENS.
 */
int mindl_audit_links_add(struct mindl_audit_links *l, const uint8_t *buf,
    size_t len);
/* Finds the shared values; after this, only the queries below. */
int mindl_audit_links_run(struct mindl_audit_links *l);
/* (pair, kind) records, ordered by a, b, kind. */
size_t mindl_audit_links_count(const struct mindl_audit_links *l);
const struct mindl_audit_link *mindl_audit_links_at(
    const struct mindl_audit_links *l, size_t i);
/*
 * Shared (value, pair) structural links in all: neither the expected DS
 * certificate nor disclosed values (the portrait, a name), which link by
 * nature and are counted apart.
 */
uint64_t mindl_audit_links_total(const struct mindl_audit_links *l);
uint64_t mindl_audit_links_value_total(const struct mindl_audit_links *l);
/* 1 if more than MINDL_AUDIT_MAX_PAIRS pair records were left out. */
int mindl_audit_links_truncated(const struct mindl_audit_links *l);
size_t mindl_audit_links_nexpected(const struct mindl_audit_links *l);
const struct mindl_audit_shared *mindl_audit_links_expected(
    const struct mindl_audit_links *l, size_t i);

#endif /* MINDL_AUDIT_H */
