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
 *                "deviceResponse": DeviceResponse}
 * SessionTranscript = [#6.24(DeviceEngagementBytes), #6.24(EReaderKeyBytes),
 * null], built from the bytes as received.
 */
#ifndef MINDL_MDOC_H
#define MINDL_MDOC_H

#include <stddef.h>
#include <stdint.h>

#include "cbor.h"
#include "key.h"
#include "schema.h"
#include "trust.h"
#include "x509.h"

#define MINDL_SALT_LEN		32	/* IssuerSignedItem random */
#define MINDL_MAX_DISCLOSED	64	/* elements in one response */

/* Issuance. */
struct mindl_issue_params {
	const struct mindl_record	*record;
	const struct mindl_policy	*policy;
	const struct mindl_key		*ds_key;
	const uint8_t			*ds_cert;	/* DER */
	size_t				 ds_certlen;
	const struct mindl_key		*device_pub;
	int64_t				 now;
};

/*
 * Issues one credential (a one-entry credential file).  Every namespace
 * of the policy gets exactly policy->digests[i] digests: the record's
 * items plus decoys (SHA-256 of fresh random bytes under unused IDs).
 * digestIDs are random, unique, and all in [2^16, 2^31) so that they
 * encode to the same size; salts are 32 bytes from the DRBG; signed and
 * validFrom are the start of the issuance day (UTC), validUntil follows
 * the policy (never the record).
 */
int mindl_mdoc_issue(const struct mindl_issue_params *p, uint8_t **out,
    size_t *outlen);

/* Requests. */
struct mindl_request;

/*
 * A request file for a profile: ItemsRequest for the profile's elements
 * (intent_to_retain false), requestInfo {"mindl.profile": id}, and the
 * encoded COSE_Key of the verifier's ephemeral key.
 */
int mindl_request_create(const struct mindl_profile *p,
    const struct mindl_key *ereader, uint8_t **out, size_t *outlen);
/* Parses a request file (copies the bytes). */
int mindl_request_parse(const uint8_t *buf, size_t len,
    struct mindl_request **out);
void mindl_request_free(struct mindl_request **rp);
/* Profile id from requestInfo, or NULL. */
const char *mindl_request_profile(const struct mindl_request *r);
const char *mindl_request_doctype(const struct mindl_request *r);
size_t mindl_request_count(const struct mindl_request *r);
/* Requested element i; *retain is the reader's intent_to_retain. */
void mindl_request_element(const struct mindl_request *r, size_t i,
    const char **ns, const char **id, int *retain);

/* Presentation. */
enum mindl_devauth {
	MINDL_DEVAUTH_MAC = 1,		/* deviceMac: deniable (default) */
	MINDL_DEVAUTH_SIGNATURE = 2,	/* deviceSignature */
};

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

/*
 * Answers a request with a response file.  Only requested elements that
 * the request's profile allows are released; age_over_NN is answered by
 * the nearest-attestation rule (ISO 18013-5 7.2.5).  The request must
 * name a profile known to the schema (MINDL_ERR_PROFILE).
 */
int mindl_present(const uint8_t *cred, size_t credlen,
    const struct mindl_key *device_key, const struct mindl_request *req,
    const struct mindl_schema *schema, enum mindl_devauth auth,
    uint8_t **out, size_t *outlen, struct mindl_present_report *report);

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
 * chain to a trusted IACA at `at`, MSO signature, docType, validity
 * window, every disclosed item's digest over the received bytes, device
 * authentication; only then is *out set.
 */
int mindl_verify_response(struct mindl_trust *trust, int64_t at,
    const struct mindl_request *req, const struct mindl_key *reader_key,
    const uint8_t *resp, size_t resplen, struct mindl_verified **out);
/*
 * Verifies a bare DeviceResponse given SessionTranscriptBytes
 * (#6.24(bstr .cbor SessionTranscript)) and, for deviceMac, the reader's
 * ephemeral private key.
 */
int mindl_verify_device_response(struct mindl_trust *trust, int64_t at,
    const uint8_t *st_bytes, size_t stlen, const struct mindl_key *reader_key,
    const uint8_t *dr, size_t drlen, struct mindl_verified **out);
void mindl_verified_free(struct mindl_verified **vp);
size_t mindl_verified_count(const struct mindl_verified *v);
const struct mindl_disclosed *mindl_verified_at(const struct mindl_verified *v,
    size_t i);
const char *mindl_verified_doctype(const struct mindl_verified *v);
enum mindl_devauth mindl_verified_devauth(const struct mindl_verified *v);
/* MSO validity (seconds since the epoch) and the DS key id. */
void mindl_verified_validity(const struct mindl_verified *v, int64_t *signed_at,
    int64_t *valid_from, int64_t *valid_until);
const char *mindl_verified_signer(const struct mindl_verified *v);

/*
 * SessionTranscriptBytes for the QR-engagement transcript of mindl's
 * envelopes, from the DeviceEngagement and EReaderKey bytes as received.
 */
int mindl_transcript_bytes(const uint8_t *de, size_t delen,
    const uint8_t *erk, size_t erklen, uint8_t **out, size_t *outlen);
/* SessionTranscriptBytes for a request/response file pair. */
int mindl_transcript_from_files(const struct mindl_request *req,
    const uint8_t *resp, size_t resplen, uint8_t **out, size_t *outlen);

/*
 * JSON text for a CBOR value as the tools print it: tstr -> string, ints,
 * bools, null; full-date (tag 1004) and tdate (tag 0) -> their string;
 * bstr -> base64 string; arrays and maps (keys as strings) recursively.
 * Control characters are escaped.  *out is NUL-terminated, free().
 */
int mindl_value_json(const struct mindl_cbor_item *it, char **out);

#endif /* MINDL_MDOC_H */
