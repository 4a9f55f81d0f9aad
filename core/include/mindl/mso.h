/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the one decoder of what an issuer signs (ISO/IEC 18013-5 9.1.2):
 * issuerAuth (a COSE_Sign1 over MobileSecurityObjectBytes), the Mobile
 * Security Object inside it, and IssuerSigned with its IssuerSignedItems.
 *
 * Verification, presentation, the audit and the unverified inspection
 * all read these structures through this module, so that they agree on
 * what is well formed.  Parsing is structural and strict: every field is
 * type-checked, every valueDigests entry included, whether or not anyone
 * looks it up; what a field must say (version "1.0", a supported digest
 * algorithm, the validity window) is the verifier's business.  Nothing is
 * checked cryptographically here.
 *
 * Errors follow the walker's rules (mindl/cbor.h): a required field
 * absent is MINDL_ERR_MISSING, a field of another type
 * MINDL_ERR_CBOR_TYPE, an embedded item that is not #6.24(bstr)
 * MINDL_ERR_CBOR_TAG, malformed tdates MINDL_ERR_DATE.
 *
 * Parsed structures borrow from the decoded document they were parsed
 * from, which must outlive them.
 */
#ifndef MINDL_MSO_H
#define MINDL_MSO_H

#include <stddef.h>
#include <stdint.h>

#include "cbor.h"
#include "cose.h"
#include "key.h"

/* One valueDigests entry. */
struct mindl_mso_digest {
	uint64_t			 id;
	const uint8_t			*digest;
	size_t				 len;
	const struct mindl_cbor_item	*id_item;	/* as received */
};

struct mindl_mso;

/*
 * Parses issuerAuth: COSE_Sign1 (mindl_cose_parse's rules) with an
 * attached payload #6.24(bstr .cbor MSO), and the MSO: version,
 * digestAlgorithm and docType (tstr), validityInfo {signed, validFrom,
 * validUntil, ? expectedUpdate} (tdates), valueDigests {+ tstr => {+ uint
 * => bstr}}, deviceKeyInfo {deviceKey: map, ...}, and an optional status
 * whose status_list, if present, is {idx: uint, uri: tstr}.
 */
int mindl_mso_parse(const struct mindl_cbor_item *issuer_auth,
    struct mindl_mso **out);
void mindl_mso_free(struct mindl_mso **mp);

/* The issuerAuth item as received, and its parsed COSE_Sign1. */
const struct mindl_cbor_item *mindl_mso_issuer_auth(const struct mindl_mso *m);
const struct mindl_cose_msg *mindl_mso_sign1(const struct mindl_mso *m);
/* The MSO map, and the length of its encoding. */
const struct mindl_cbor_item *mindl_mso_map(const struct mindl_mso *m);
size_t mindl_mso_size(const struct mindl_mso *m);
/* version, digestAlgorithm, docType: tstr items. */
const struct mindl_cbor_item *mindl_mso_version(const struct mindl_mso *m);
const struct mindl_cbor_item *mindl_mso_digest_alg(const struct mindl_mso *m);
const struct mindl_cbor_item *mindl_mso_doctype(const struct mindl_mso *m);
/*
 * digestAlgorithm as a MINDL_DIGEST_*: "SHA-256", "SHA-384" or "SHA-512"
 * exactly (ISO 18013-5 9.1.2.5; no other spelling), else
 * MINDL_ERR_UNSUPPORTED.
 */
int mindl_mso_digest_algorithm(const struct mindl_mso *m);
/* The MSO name of a MINDL_DIGEST_* ("SHA-384"), or NULL. */
const char *mindl_digest_name(int alg);

/* validityInfo, seconds since the epoch. */
struct mindl_mso_validity {
	int64_t	signed_at;
	int64_t	valid_from;
	int64_t	valid_until;
	int64_t	expected_update;	/* if has_expected_update */
	int	has_expected_update;
};
void mindl_mso_validity(const struct mindl_mso *m,
    struct mindl_mso_validity *v);

/* deviceKeyInfo (map) and its deviceKey (a COSE_Key map, unchecked). */
const struct mindl_cbor_item *mindl_mso_device_key_info(
    const struct mindl_mso *m);
const struct mindl_cbor_item *mindl_mso_device_key_item(
    const struct mindl_mso *m);
/* The device key as a key: MINDL_ERR_COSE_KEY if unusable. */
int mindl_mso_device_key(const struct mindl_mso *m, struct mindl_key **out);
/*
 * MINDL_OK if key (public or private) is the MSO's device key,
 * MINDL_ERR_NOT_DEVICE_KEY if it is another, or the error reading it.
 */
int mindl_mso_device_key_is(const struct mindl_mso *m,
    const struct mindl_key *key);

/*
 * The status map (NULL if none), and the token status list reference in
 * it: MINDL_ERR_MISSING if the MSO carries none.
 */
const struct mindl_cbor_item *mindl_mso_status_map(const struct mindl_mso *m);
int mindl_mso_status_list(const struct mindl_mso *m, uint64_t *idx,
    const struct mindl_cbor_item **uri);

/*
 * valueDigests: namespaces in the order received, each namespace's
 * digests sorted by digestID.
 */
size_t mindl_mso_ns_count(const struct mindl_mso *m);
const struct mindl_cbor_item *mindl_mso_ns_name(const struct mindl_mso *m,
    size_t i);
size_t mindl_mso_ns_digests(const struct mindl_mso *m, size_t i);
const struct mindl_mso_digest *mindl_mso_digest_at(const struct mindl_mso *m,
    size_t i, size_t j);
/*
 * The digest of digestID id in namespace ns (a tstr item, from any
 * document): MINDL_ERR_DIGEST_ID if the namespace or the ID is absent.
 */
int mindl_mso_digest_find(const struct mindl_mso *m,
    const struct mindl_cbor_item *ns, uint64_t id,
    const struct mindl_mso_digest **out);

/* IssuerSigned: nameSpaces (optional) and issuerAuth. */
struct mindl_issuer_item {
	const struct mindl_cbor_item	*ns;	/* namespace tstr */
	size_t				 nsidx;	/* its place in nameSpaces */
	const char			*ns_str;	/* NUL-terminated */
	const struct mindl_cbor_item	*bytes;	/* IssuerSignedItemBytes, as received */
	uint64_t			 digest_id;
	const struct mindl_cbor_item	*random;	/* bstr */
	const struct mindl_cbor_item	*element;	/* elementIdentifier */
	const char			*element_str;	/* NUL-terminated */
	const struct mindl_cbor_item	*value;	/* elementValue */
};

struct mindl_issuer_signed;

/*
 * Parses IssuerSigned {? nameSpaces: {+ tstr => [* #6.24(bstr .cbor
 * IssuerSignedItem)]}, issuerAuth}: the MSO as mindl_mso_parse, each item
 * a map {digestID: uint, random: bstr, elementIdentifier: tstr,
 * elementValue: any}.  Namespaces and element identifiers may not hold
 * NUL (MINDL_ERR_CBOR_TYPE).  Within a namespace a digestID may appear
 * once (MINDL_ERR_DIGEST_ID_DUP) and an elementIdentifier once
 * (MINDL_ERR_CBOR_DUPKEY: two values for one claim).  At most
 * MINDL_MAX_ELEMENTS items (MINDL_ERR_CBOR_LIMIT).
 */
int mindl_issuer_signed_parse(const struct mindl_cbor_item *is,
    struct mindl_issuer_signed **out);
void mindl_issuer_signed_free(struct mindl_issuer_signed **isp);
const struct mindl_mso *mindl_issuer_signed_mso(
    const struct mindl_issuer_signed *is);
/* The nameSpaces entries, and the items in the order received. */
size_t mindl_issuer_signed_ns_count(const struct mindl_issuer_signed *is);
size_t mindl_issuer_signed_count(const struct mindl_issuer_signed *is);
const struct mindl_issuer_item *mindl_issuer_signed_item(
    const struct mindl_issuer_signed *is, size_t i);

#endif /* MINDL_MSO_H */
