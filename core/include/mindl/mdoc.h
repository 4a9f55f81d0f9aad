/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: ISO/IEC 18013-5 mdoc structures: issuance (MSO, IssuerSigned),
 * requests (DeviceRequest in mindl's request file), presentation
 * (DeviceResponse with deviceMac or deviceSignature over the session
 * transcript) and verification.
 *
 * File envelopes (DESIGN.md section 3):
 *   credential: [+ {"docType": tstr, "issuerSigned": IssuerSigned}]
 *   request:    {"v": 1, "eReaderKey": bstr, "deviceRequest": DeviceRequest}
 *   response:   {"v": 1, "deviceEngagement": bstr,
 *                "deviceResponse": DeviceResponse,
 *                ? "readerKeyDigest": bstr .size 32}
 * SessionTranscript = [#6.24(DeviceEngagementBytes), #6.24(EReaderKeyBytes),
 * null], built from the bytes as received.
 */
#ifndef MINDL_MDOC_H
#define MINDL_MDOC_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "cbor.h"
#include "devauth.h"
#include "key.h"
#include "mso.h"
#include "schema.h"
#include "signer.h"
#include "trust.h"

#define MINDL_SALT_LEN		32	/* IssuerSignedItem random */
#define MINDL_MAX_DISCLOSED	64	/* elements in one response */
#define MINDL_CRED_ID_LEN	16	/* random credential id */
#define MINDL_KEY_ID_LEN	16	/* hex digits of a signer key id */
/*
 * How far ahead of the verification time an MSO's signing time may be
 * before it is refused (MINDL_ERR_SIGNED_LATER): a reader's clock that is
 * a few minutes slow.  mindl's own MSOs are signed at the start of the
 * issuance day, never ahead.
 */
#define MINDL_CLOCK_SKEW	300

/* Issuance. */

/* A token status list reference (status {status_list: {idx, uri}}). */
struct mindl_status_ref {
	uint64_t	 idx;
	const char	*uri;
};

/*
 * A FIDO2 security key's credential id (mindl/fido.h), written beside
 * issuerSigned in a credential file's entry as "mindl.fido2CredentialId"
 * (DESIGN.md 3.2): 1 to MINDL_FIDO_MAX_CRED_ID bytes.
 */
#define MINDL_FIDO_ID_KEY	"mindl.fido2CredentialId"

struct mindl_fido_id {
	const uint8_t	*id;
	size_t		 len;
};

struct mindl_issue_params {
	const struct mindl_record	*record;
	const struct mindl_policy	*policy;
	const struct mindl_signer	*ds;		/* document signer */
	const uint8_t			*ds_cert;	/* its certificate, DER */
	size_t				 ds_certlen;
	const struct mindl_key		*device_pub;
	/* NULL: none; for a batch, one per copy (n entries). */
	const struct mindl_status_ref	*status;
	/*
	 * NULL: a software device key.  Else the device key is a security
	 * key's credential and this is its id; for a batch, one per copy.
	 */
	const struct mindl_fido_id	*fido;
	int64_t				 now;
};

/*
 * What was issued, for a registry that must not parse its own output:
 * a random credential id (not written into the credential), the MSO's
 * validity, the key id of the DS certificate (the first 8 bytes of the
 * SHA-256 of its SubjectPublicKeyInfo, in hex) and the status reference.
 */
struct mindl_issue_result {
	uint8_t		credential_id[MINDL_CRED_ID_LEN];
	int64_t		signed_at;
	int64_t		valid_from;
	int64_t		valid_until;
	char		signer[MINDL_KEY_ID_LEN + 1];
	int		has_status;
	uint64_t	status_idx;
	/*
	 * The Document's encoded size (the entry, without the file's array
	 * head) and, for a purpose credential, its size deflated by zlib at
	 * level 9, as a printed code carries it before base45 (else 0).
	 */
	size_t		bytes;
	size_t		deflated;
};

/*
 * Issues one credential (a one-entry credential file) into out, which
 * is cleared first and cleared again on failure.  Every namespace of the
 * policy gets exactly policy->digests[i] digests: the record's items
 * plus decoys (SHA-256 of fresh random bytes under unused IDs).
 * digestIDs are random, unique, and all in [2^16, 2^31) so that they
 * encode to the same size; salts are 32 bytes from the DRBG; signed and
 * validFrom are the start of the issuance day (UTC), validUntil follows
 * the policy (never the record).  res may be NULL.
 */
int mindl_mdoc_issue(const struct mindl_issue_params *p,
    struct mindl_buf *out, struct mindl_issue_result *res);
/*
 * A batch: one single-use MSO per device key (devs[0..n), n at most
 * MINDL_MAX_BATCH), each issued as mindl_mdoc_issue() issues one, with
 * its own salts, digestIDs and decoys, into one credential file of n
 * entries in the keys' order, copy i with status p->status[i] when p
 * carries statuses.  res describes the first (all share the validity
 * and the signer).
 */
int mindl_mdoc_issue_batch(const struct mindl_issue_params *p,
    const struct mindl_key *const *devs, size_t n, struct mindl_buf *out,
    struct mindl_issue_result *res);

/*
 * Purpose credentials (DESIGN.md section 3.10): one profile's elements
 * and nothing else, meant to be shown as a printed code.  In each
 * namespace the MSO holds the profile's element count rounded up to a
 * multiple of MINDL_PURPOSE_DIGEST_STEP digests (decoys fill the gap):
 * a count fixed by the profile, the same for everyone.
 */
#define MINDL_PURPOSE_DIGEST_STEP	4
/*
 * Issues one purpose credential (a one-entry credential file) for
 * profile prof into out, as mindl_mdoc_issue issues one, with these
 * differences: only the record's elements the profile lists are issued
 * (all of them, MINDL_ERR_MISSING otherwise), the portrait replaced by
 * its thumbnail (mindl_jpeg_thumbnail; mindl_jpeg_decode's errors); the
 * digests per namespace as above, namespaces without an element of the
 * profile left out of valueDigests.  For an age-only profile
 * (mindl_profile_age_only) validUntil is the end of the licence's expiry
 * day and p->status must be NULL (MINDL_ERR_INVALID_ARG): an age stays
 * true when a licence is suspended, and a fixed index would let anyone
 * who saw the code link it.  Other profiles take the policy's validity
 * and p->status, when given.  The device key is bound as usual; a
 * static code does not use it.  res may be NULL.
 */
int mindl_mdoc_issue_purpose(const struct mindl_issue_params *p,
    const struct mindl_profile *prof, struct mindl_buf *out,
    struct mindl_issue_result *res);
/*
 * n purpose credentials (n at most MINDL_MAX_BATCH) into one credential
 * file of n entries, entry i for profs[i] bound to devs[i].  p->status,
 * when not NULL, holds one reference per profile that is not age-only,
 * in their order; age-only ones take none.  res, when not NULL, has n
 * entries, res[i] describing entry i.
 */
int mindl_mdoc_issue_purposes(const struct mindl_issue_params *p,
    const struct mindl_profile *const *profs,
    const struct mindl_key *const *devs, size_t n, struct mindl_buf *out,
    struct mindl_issue_result *res);

/* Requests. */
struct mindl_request;

/*
 * A request file around ItemsRequest bytes: {"v": 1, "eReaderKey":
 * COSE_Key bytes, "deviceRequest": DeviceRequest with one DocRequest and
 * no readerAuth}.  *out is malloc'd.  mindl_request_create uses it; tests
 * use it for requests no profile would make.
 */
int mindl_request_wrap(const uint8_t *erk, size_t erklen, const uint8_t *items,
    size_t itemslen, uint8_t **out, size_t *outlen);
/*
 * A request file for a profile: ItemsRequest for the profile's elements
 * (intent_to_retain false), requestInfo {"mindl.profile": id}, and the
 * encoded COSE_Key of the verifier's ephemeral key.
 */
int mindl_request_create(const struct mindl_profile *p,
    const struct mindl_key *ereader, uint8_t **out, size_t *outlen);
/*
 * The same, declaring intent_to_retain true (retain set) for the elements
 * the profile lets its verifier keep (mindl_profile_may_retain), false for
 * the others.
 */
int mindl_request_create_retain(const struct mindl_profile *p,
    const struct mindl_key *ereader, int retain, uint8_t **out,
    size_t *outlen);
/*
 * Parses a request file (copies the bytes): the envelope, and a
 * DeviceRequest {version: "1.0", docRequests: [DocRequest]} with exactly
 * one DocRequest {itemsRequest: #6.24(bstr .cbor ItemsRequest), ?
 * readerAuth}, ItemsRequest = {docType: tstr, nameSpaces: {+ tstr => {+
 * tstr => bool}}, ? requestInfo: {* tstr => any}}.
 */
int mindl_request_parse(const uint8_t *buf, size_t len,
    struct mindl_request **out);
/*
 * Parses a bare DeviceRequest (another reader's): one or more
 * DocRequests, no ephemeral reader key.
 */
int mindl_device_request_parse(const uint8_t *buf, size_t len,
    struct mindl_request **out);
void mindl_request_free(struct mindl_request **rp);
/* The first DocRequest's profile id from requestInfo, or NULL. */
const char *mindl_request_profile(const struct mindl_request *r);
/* The first DocRequest's docType. */
const char *mindl_request_doctype(const struct mindl_request *r);
/* Requested elements, of every DocRequest in order. */
/*
 * Whether key is the private half of the request's eReaderKey
 * (MINDL_ERR_KEY_MISMATCH otherwise): a reader key of another session
 * would make every response look forged.
 */
int mindl_request_reader_key_is(const struct mindl_request *r,
    const struct mindl_key *key);
size_t mindl_request_count(const struct mindl_request *r);
/* Requested element i; *retain is the reader's intent_to_retain. */
void mindl_request_element(const struct mindl_request *r, size_t i,
    const char **ns, const char **id, int *retain);
/* DocRequests; which one element i belongs to. */
size_t mindl_request_docs(const struct mindl_request *r);
size_t mindl_request_element_doc(const struct mindl_request *r, size_t i);
const char *mindl_request_doc_doctype(const struct mindl_request *r,
    size_t d);
/* The DocRequest's readerAuth item as received, or NULL. */
const struct mindl_cbor_item *mindl_request_reader_auth(
    const struct mindl_request *r, size_t d);
/* EReaderKeyBytes as received (empty for a bare DeviceRequest). */
void mindl_request_erk(const struct mindl_request *r, const uint8_t **p,
    size_t *len);

/*
 * The request with readerAuth (ISO 18013-5 9.1.4), as
 * mindl_request_create_retain otherwise: ReaderAuthenticationBytes over
 * the SessionTranscript [de, this request's eReaderKey, null] (de: the
 * holder's DeviceEngagement file, mindl_engagement_create) and the
 * ItemsRequestBytes written, signed by reader, cert (DER) in x5chain.
 * reader NULL: unsigned, de and cert ignored.
 */
int mindl_request_create_signed(const struct mindl_profile *p,
    const struct mindl_key *ereader, int retain, const uint8_t *de,
    size_t delen, const struct mindl_signer *reader, const uint8_t *cert,
    size_t certlen, uint8_t **out, size_t *outlen);
/* DocRequest d's ItemsRequestBytes (#6.24(bstr)) as received, or NULL. */
const struct mindl_cbor_item *mindl_request_items_bytes(
    const struct mindl_request *r, size_t d);
/*
 * ReaderAuthenticationBytes = #6.24(bstr .cbor ["ReaderAuthentication",
 * SessionTranscript, ItemsRequestBytes]), from SessionTranscriptBytes and
 * ItemsRequestBytes (both as received).  *out is malloc'd.
 */
int mindl_reader_auth_bytes(const uint8_t *st_bytes, size_t stlen,
    const uint8_t *ib, size_t iblen, uint8_t **out, size_t *outlen);

/* Who signed a request, once verified. */
struct mindl_reader_info {
	int	verified;
	char	name[256];	/* the certificate's CN: untrusted text */
	int64_t	not_before, not_after;
	size_t	nprofiles;	/* 0: a reader of another issuer */
	char	profiles[16][64];	/* MINDL_READER_MAX_PROFILES (x509.h) */
};
/*
 * Verifies DocRequest d's readerAuth: COSE_Sign1 with a detached payload
 * (MINDL_ERR_READER_AUTH otherwise), the x5chain's leaf a reader
 * certificate of trust at `at` (mindl_trust_verify_reader's errors), and
 * the signature over ReaderAuthenticationBytes rebuilt from st (the
 * holder's own SessionTranscriptBytes) and the ItemsRequestBytes as
 * received (MINDL_ERR_READER_AUTH when it does not verify).  Then *ri
 * holds the CN and the profiles of the certificate's extension
 * (MINDL_ERR_READER_EXT when malformed).  MINDL_ERR_MISSING: unsigned.
 */
int mindl_request_reader_auth_verify(const struct mindl_request *rq,
    size_t d, struct mindl_trust *trust, const uint8_t *st, size_t stlen,
    int64_t at, struct mindl_reader_info *ri);
/*
 * The holder's rule for who may ask for what: a verified reader (ri) only
 * for a profile its certificate lists (MINDL_ERR_READER_NOT_AUTHORISED);
 * an unsigned request (ri NULL) only for age-18 and age-21, or for
 * nothing when refuse_unsigned (MINDL_ERR_READER_REQUIRED); and no
 * intent_to_retain on an element of the profile that the profile does
 * not let its verifiers keep (MINDL_ERR_RETAIN_REFUSED).
 */
int mindl_reader_authorise(const struct mindl_reader_info *ri,
    const struct mindl_request *rq, const struct mindl_profile *prof,
    int refuse_unsigned);
/*
 * The holder's DeviceEngagement for a session a signed request covers:
 * {0: "1.0", 1: [1, #6.24(bstr .cbor EDeviceKey)]} with a fresh P-256
 * key (used for nothing else: files need no session encryption).
 */
int mindl_engagement_create(uint8_t **out, size_t *outlen);
/* Checks an engagement file's shape (MINDL_ERR_ENGAGEMENT). */
int mindl_engagement_check(const uint8_t *buf, size_t len);

/* Presentation. */

/* What the holder released and withheld; for the consent display. */
enum mindl_decision {
	MINDL_RELEASED = 1,		/* sent (or its nearest age answer) */
	MINDL_WITHHELD_PROFILE,		/* outside the request's profile */
	MINDL_MISSING,			/* not in the credential */
};

struct mindl_present_report {
	size_t	released;
	size_t	withheld_profile;	/* requested, outside the profile */
	size_t	missing;		/* requested, not in the credential */
	/* per requested element, in mindl_request_element() order */
	unsigned char decision[MINDL_MAX_ELEMENTS];
};

struct mindl_present_params {
	const uint8_t			*cred;		/* credential file */
	size_t				 credlen;
	const struct mindl_request	*req;
	const struct mindl_schema	*schema;
	enum mindl_devauth		 auth;
	/* deviceMac: the device private key (ECDH) */
	const struct mindl_key		*device_key;
	/* deviceSignature: NULL signs with device_key */
	const struct mindl_signer	*signer;
	/* which entry of the credential file (a batch's single-use copy) */
	size_t				 entry;
	/*
	 * MINDL_DEVAUTH_FIDO2: the security key, rpId, PIN and UV policy;
	 * its credential id is taken from the entry (MINDL_FIDO_ID_KEY;
	 * MINDL_ERR_KEY when the entry has none: not bound to a key).
	 */
	const struct mindl_fido_signer	*fido;
	/* the holder's DeviceEngagement a signed request covers; NULL: new */
	const uint8_t			*engagement;
	size_t				 englen;
};

/*
 * Answers a request with a response file, into out (cleared first and on
 * failure).  Only requested elements that the request's profile allows
 * are released; age_over_NN is answered by the nearest-attestation rule
 * (ISO 18013-5 7.2.5).  The request must name a profile known to the
 * schema (MINDL_ERR_PROFILE).  report may be NULL.
 */
int mindl_present(const struct mindl_present_params *p,
    struct mindl_buf *out, struct mindl_present_report *report);

/* Verification. */
struct mindl_verified;

struct mindl_disclosed {
	const char			*ns;	/* NUL-terminated copies */
	const char			*id;
	const struct mindl_cbor_item	*value;	/* elementValue */
};

/*
 * Verifies a response file against the request it answers: the session
 * transcript is built from the two files' bytes; reader_key is the
 * request's ephemeral private key (needed for deviceMac).  Order: DS
 * chain to a trusted IACA at `at`, MSO signature, docType, signing time
 * inside the DS validity, validity window, signing time no later than
 * at + MINDL_CLOCK_SKEW, every disclosed item's digest over the received
 * bytes and its value against schema's element table
 * (mindl_schema_check_value), device authentication; only then is *out
 * set.  When device authentication fails and the response file's
 * readerKeyDigest differs from SHA-256 over req's eReaderKey, the error
 * is MINDL_ERR_OTHER_REQUEST instead of MINDL_ERR_DEVICE_AUTH: the
 * holder answered another request.
 */
int mindl_verify_response(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_request *req, const struct mindl_key *reader_key,
    const uint8_t *resp, size_t resplen, struct mindl_verified **out);
/*
 * Verifies a bare DeviceResponse given SessionTranscriptBytes
 * (#6.24(bstr .cbor SessionTranscript)) and, for deviceMac, the reader's
 * ephemeral private key.
 */
int mindl_verify_device_response(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const uint8_t *st_bytes, size_t stlen, const struct mindl_key *reader_key,
    const uint8_t *dr, size_t drlen, struct mindl_verified **out);
/*
 * Why a verification failed, where the error alone would leave a person
 * guessing: the MSO's dates (MINDL_ERR_EXPIRED, _NOT_YET_VALID,
 * _SIGNED_LATER, with the licence's own expiry_date when it was disclosed
 * and its digest matches), and the certificate whose validity the time
 * fell outside of (MINDL_ERR_CERT_EXPIRED).  Zeroed, then filled as far
 * as verification got.
 */
struct mindl_verify_fault {
	int64_t		 at;		/* the verification time */
	int		 has_mso;	/* the three MSO times below */
	int64_t		 signed_at, valid_from, valid_until;
	int		 has_expiry;	/* the disclosed expiry_date, a day */
	int64_t		 expiry_day;
	const char	*cert;		/* "document signer" or "IACA" */
	int		 has_cert_dates;
	int64_t		 not_before, not_after;
};
/* The same as the two above, with *fault filled on failure. */
int mindl_verify_response_fault(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_request *req, const struct mindl_key *reader_key,
    const uint8_t *resp, size_t resplen, struct mindl_verified **out,
    struct mindl_verify_fault *fault);
int mindl_verify_device_response_fault(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const uint8_t *st_bytes, size_t stlen, const struct mindl_key *reader_key,
    const uint8_t *dr, size_t drlen, struct mindl_verified **out,
    struct mindl_verify_fault *fault);
/*
 * Verifies a static document: a purpose credential's one Document
 * {"docType": tstr, "issuerSigned": IssuerSigned}, with no deviceSigned
 * (MINDL_ERR_UNSUPPORTED), as a printed code carries it (DESIGN.md
 * section 3.10).  The issuer's checks are a DeviceResponse document's:
 * DS chain to a trusted IACA at `at`, MSO signature, docType (the mDL's),
 * signing time inside the DS validity, validity window, signing time no
 * later than at + MINDL_CLOCK_SKEW, every item's digest over the bytes
 * received and its value against the element tables.  There is no
 * device authentication: the result is not holder-bound
 * (mindl_verified_holder_bound is 0; a verifier compares the portrait).
 * Only the profile's elements are kept; others are dropped unseen and
 * counted (mindl_verified_dropped).  profile NULL: the profile whose
 * elements the document holds exactly (MINDL_ERR_PROFILE if none);
 * mindl_verified_profile names it.  The status reference, if any, is
 * mindl_verified_status_ref's, as for a response.
 */
int mindl_verify_static(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_profile *profile, const uint8_t *doc, size_t len,
    struct mindl_verified **out);
int mindl_verify_static_fault(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_profile *profile, const uint8_t *doc, size_t len,
    struct mindl_verified **out, struct mindl_verify_fault *fault);
/*
 * A verifier's policy for FIDO2 device authentication (mindl/fido.h,
 * DESIGN.md 3.1): the rpId holders' keys sign for and whether user
 * verification is required.  The extension is accepted only where one
 * is given.
 */
struct mindl_fido_policy {
	const char	*rpid;
	int		 require_uv;
};
/*
 * mindl_verify_response_fault, where a response's DeviceSigned may also
 * be the FIDO2 extension, checked under fp (NULL: refused, as there).
 */
int mindl_verify_response_fido2(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_request *req, const struct mindl_key *reader_key,
    const struct mindl_fido_policy *fp, const uint8_t *resp, size_t resplen,
    struct mindl_verified **out, struct mindl_verify_fault *fault);
/*
 * A static code bound to a security key (DESIGN.md 3.10): the verifier
 * made st (mindl_static_transcript) and asked the key named by the
 * document's MINDL_FIDO_ID_KEY for an assertion over
 * mindl_static_devauth_bytes(st, the mDL docType).
 */
struct mindl_static_binding {
	const uint8_t				*st;
	size_t					 stlen;
	const struct mindl_fido_assertion	*assertion;
	struct mindl_fido_policy		 policy;
};
/*
 * mindl_verify_static_fault, then, when b is not NULL, the assertion
 * checked with the MSO's device key (mindl_fido_verify's errors).  On
 * success the result is holder-bound (mindl_verified_holder_bound 1,
 * mindl_verified_devauth MINDL_DEVAUTH_FIDO2).
 */
int mindl_verify_static_bound(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t at,
    const struct mindl_profile *profile, const struct mindl_static_binding *b,
    const uint8_t *doc, size_t len, struct mindl_verified **out,
    struct mindl_verify_fault *fault);
void mindl_verified_free(struct mindl_verified **vp);
/*
 * 1 when device authentication bound the document to the holder's
 * session (a response, or a static document its security key answered
 * for); 0 for a static document alone, which anyone holding a copy can
 * show: "not holder-bound: compare the portrait".
 */
int mindl_verified_holder_bound(const struct mindl_verified *v);
/* A static document's profile; NULL for a response. */
const struct mindl_profile *mindl_verified_profile(
    const struct mindl_verified *v);
/* Items of a static document verified but outside its profile. */
size_t mindl_verified_dropped(const struct mindl_verified *v);
size_t mindl_verified_count(const struct mindl_verified *v);
const struct mindl_disclosed *mindl_verified_at(const struct mindl_verified *v,
    size_t i);
const char *mindl_verified_doctype(const struct mindl_verified *v);
/* How the holder authenticated; 0 for a static document. */
enum mindl_devauth mindl_verified_devauth(const struct mindl_verified *v);
/* MSO validity (seconds since the epoch) and the DS key id. */
void mindl_verified_validity(const struct mindl_verified *v, int64_t *signed_at,
    int64_t *valid_from, int64_t *valid_until);
/*
 * The document signer's certificate (DER) that verified the credential,
 * chained to a trusted IACA: its subject's C and ST and its issuer's CN
 * (mindl/x509.h) name who issued the credential.
 */
void mindl_verified_ds_cert(const struct mindl_verified *v,
    const uint8_t **der, size_t *len);
const char *mindl_verified_signer(const struct mindl_verified *v);
/*
 * The MSO's token status list reference (status {status_list: {idx,
 * uri}}): uri borrowed from v, not NUL-terminated, outside text;
 * MINDL_ERR_MISSING when the MSO carries none.  What a verifier makes of
 * it is mindl_status_judge's (mindl/status.h).
 */
int mindl_verified_status_ref(const struct mindl_verified *v, uint64_t *idx,
    const uint8_t **uri, size_t *urilen);
/*
 * The SHA-256 of the DER of the IACA the DS chained to (to require that
 * a status list chains to the same one).
 */
void mindl_verified_ds_root(const struct mindl_verified *v,
    uint8_t root[MINDL_SHA256_LEN]);

/*
 * The purpose verdict: whether a verified response answers its profile's
 * question (schemas/profiles.json "purpose") at time `at`.  A valid
 * credential is not enough: an under-21 holder's age_over_21 is a valid,
 * signed false.  Rules, all of which must hold: every "true" element was
 * disclosed and is true; with not_expired, expiry_date was disclosed and
 * is on or after the day of `at` (UTC); with privileges, at least one
 * driving_privileges entry is in force that day (its own issue_date not
 * after it, its own expiry_date not before it).  Only the profile's
 * elements are read.  *met is 1 or 0; when 0, why (why_len bytes, may be
 * 0) says which rule failed, for people.  MINDL_ERR_INVALID_ARG for a
 * profile without a purpose.
 */
int mindl_purpose_judge(const struct mindl_profile *p,
    const struct mindl_verified *v, int64_t at, int *met, char *why,
    size_t why_len);
/*
 * The profile's rule in words ("YES when age_over_21 is true"), into out
 * (truncated to len); MINDL_ERR_INVALID_ARG without a purpose.
 */
int mindl_purpose_describe(const struct mindl_profile *p, char *out,
    size_t len);

/* SessionTranscriptBytes for a request/response file pair. */
int mindl_transcript_from_files(const struct mindl_request *req,
    const uint8_t *resp, size_t resplen, uint8_t **out, size_t *outlen);

/*
 * JSON text for a CBOR value as the tools print it, appended to out:
 * tstr -> string, ints, bools, null; full-date (tag 1004) and tdate (tag
 * 0) -> their string; bstr -> base64 string; arrays and maps (keys as
 * strings) recursively.  Strings are escaped by mindl_buf_add_json_str.
 * On failure nothing is appended and out keeps no error.
 */
int mindl_value_json(const struct mindl_cbor_item *it, struct mindl_buf *out);

/* Documents and files. */

/* One Document of a DeviceResponse, or one entry of a credential file. */
struct mindl_document;

#define MINDL_DOC_DEVICE_SIGNED	0x01	/* deviceSigned required */
/*
 * A deviceSigned may be the FIDO2 extension (mindl/devauth.h) instead of
 * deviceSignature or deviceMac: for a verifier whose policy takes
 * security keys.  Without the flag it is refused (MINDL_ERR_MISSING).
 */
#define MINDL_DOC_FIDO2		0x02

/*
 * Document = {docType: tstr, issuerSigned: IssuerSigned, ? deviceSigned:
 * DeviceSigned}, each part parsed by its module (mindl/mso.h,
 * mindl/devauth.h).  Borrows from the decoded document.
 */
int mindl_document_parse(const struct mindl_cbor_item *doc, unsigned flags,
    struct mindl_document **out);
void mindl_document_free(struct mindl_document **dp);
const struct mindl_cbor_item *mindl_document_item(
    const struct mindl_document *d);
const struct mindl_cbor_item *mindl_document_doctype(
    const struct mindl_document *d);
const char *mindl_document_doctype_str(const struct mindl_document *d);
const struct mindl_issuer_signed *mindl_document_issuer_signed(
    const struct mindl_document *d);
/* NULL when the document has no deviceSigned. */
const struct mindl_device_signed *mindl_document_device_signed(
    const struct mindl_document *d);
/*
 * A credential file's entry (or a static code's document) bound to a
 * security key: its MINDL_FIDO_ID_KEY, a bstr of 1 to
 * MINDL_FIDO_MAX_CRED_ID bytes checked by mindl_document_parse
 * (MINDL_ERR_CBOR_TYPE, MINDL_ERR_CBOR_LIMIT).  *id NULL and *len 0 when
 * there is none.
 */
void mindl_document_fido_id(const struct mindl_document *d,
    const uint8_t **id, size_t *len);
/*
 * The profile a purpose credential's entry answers (DESIGN.md section
 * 3.10): the one whose elements d's issuer-signed items are, exactly
 * (each namespace and identifier once, none more, none fewer); NULL when
 * no profile of s is (an ordinary credential's entry).  Nothing is
 * verified: this picks an entry of the holder's own file to print.
 */
const struct mindl_profile *mindl_document_purpose(
    const struct mindl_schema *s, const struct mindl_document *d);

/*
 * DeviceResponse = {version: "1.0", ? documents: [+ Document], status:
 * uint}: the documents array (MINDL_ERR_NO_DOCUMENT when absent or empty)
 * and the status.  The version must be "1.0" (MINDL_ERR_VERSION).
 */
int mindl_device_response_documents(const struct mindl_cbor_item *dr,
    const struct mindl_cbor_item **docs, uint64_t *status);
/*
 * mindl's response file {"v": 1, "deviceEngagement": bstr,
 * "deviceResponse": DeviceResponse, ? "readerKeyDigest": bstr .size 32}:
 * its two parts (MINDL_ERR_VERSION unless v is 1; MINDL_ERR_CBOR_TYPE
 * for a readerKeyDigest that is not a 32-byte bstr).  Other keys are
 * ignored.
 */
int mindl_response_envelope(const struct mindl_cbor_item *root,
    const struct mindl_cbor_item **engagement,
    const struct mindl_cbor_item **dr);
/*
 * The response file's readerKeyDigest, SHA-256 over the eReaderKey bytes
 * of the request the holder answered: *digest points to its
 * MINDL_SHA256_LEN bytes inside root, or is NULL when the file has none.
 * Errors as mindl_response_envelope's for that key.  The digest is not
 * authenticated: it only tells "another request" from "forged" after
 * device authentication has failed (mindl_verify_response).
 */
int mindl_response_reader_key_digest(const struct mindl_cbor_item *root,
    const uint8_t **digest);

/* What a decoded file is, by its shape (no validation). */
enum mindl_file_kind {
	MINDL_FILE_UNKNOWN = 0,
	MINDL_FILE_CREDENTIAL,		/* [+ {docType, issuerSigned}] */
	MINDL_FILE_REQUEST,		/* {v, eReaderKey, deviceRequest} */
	MINDL_FILE_RESPONSE,		/* {v, deviceEngagement, deviceResponse} */
	MINDL_FILE_DEVICE_REQUEST,	/* a bare DeviceRequest */
	MINDL_FILE_DEVICE_RESPONSE,	/* a bare DeviceResponse */
	MINDL_FILE_DOCUMENT,		/* one Document */
};
enum mindl_file_kind mindl_file_kind(const struct mindl_cbor_item *root);
/* "credential", "request", ... for messages and JSON. */
const char *mindl_file_kind_name(enum mindl_file_kind k);
/*
 * The documents of a credential file, a response file or a bare
 * DeviceResponse: the array item, and the DeviceEngagement bstr of a
 * response file (else NULL).  Other files: MINDL_ERR_NO_DOCUMENT (a map,
 * an empty list) or MINDL_ERR_CBOR_TYPE.
 */
int mindl_file_documents(const struct mindl_cbor_item *root,
    const struct mindl_cbor_item **docs,
    const struct mindl_cbor_item **engagement);

#endif /* MINDL_MDOC_H */
