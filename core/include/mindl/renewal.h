/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: renewal without the record (DESIGN.md section 3.2).  The desk
 * re-issues a fresh batch over the values the holder carries, keeping no
 * personal data of its own:
 *
 *   1. the desk hands out a challenge file (mindl_renewal_challenge_write;
 *      the registry remembers the challenge and its expiry);
 *   2. the holder signs a proof with the device key of one copy of the
 *      old credential (mindl_renewal_proof_write), binding the challenge,
 *      the old credential file and the new public keys;
 *   3. the desk checks the proof (mindl_renewal_proof_verify), that every
 *      copy of the old credential is its own, unaltered
 *      (mindl_renewal_cred_verify), rebuilds the record from the values
 *      and checks it again with every rule of a DMV record
 *      (mindl_renewal_record), and issues a new batch to the new keys
 *      (mindl_mdoc_issue_batch).
 *
 * Formats, CBOR:
 *   challenge file: {"v": 1, "type": "mindl.RenewalChallenge",
 *                    "challenge": bstr .size 32, "exp": uint}
 *   proof file:     COSE_Sign1, untagged, protected {1: alg}, unprotected
 *                   {}, payload attached: the encoding of
 *                   RenewalProof = ["mindl.RenewalProof", 1,
 *                     challenge: bstr .size 32,
 *                     credential: bstr .size 32,  SHA-256 of the file
 *                     copy: uint,                 the entry whose key signs
 *                     newKeys: bstr .size 32]     SHA-256 of [+ COSE_Key]
 * The payload is an array that starts with its own context string: it
 * can never be taken for DeviceAuthenticationBytes (a tag 24), nor a
 * device signature over a session for a proof.
 */
#ifndef MINDL_RENEWAL_H
#define MINDL_RENEWAL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "key.h"
#include "schema.h"
#include "signer.h"
#include "trust.h"

#define MINDL_RENEWAL_CHALLENGE_LEN	32
#define MINDL_RENEWAL_MAX_CHALLENGE	256	/* challenge file bytes */
#define MINDL_RENEWAL_MAX_PROOF		1024	/* proof file bytes */

/*
 * The challenge file for ch (from mindl_random) that expires at exp
 * (seconds since the epoch, not negative), into out (cleared first and
 * on failure).
 */
int mindl_renewal_challenge_write(
    const uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN], int64_t exp,
    struct mindl_buf *out);
/*
 * Parses a challenge file strictly: exactly the four keys, "v" 1
 * (MINDL_ERR_VERSION otherwise, before anything else is judged), the
 * type string, a 32-byte challenge and an exp in int64 range
 * (MINDL_ERR_CBOR_TYPE for another shape, MINDL_ERR_MISSING for a key
 * absent), at most MINDL_RENEWAL_MAX_CHALLENGE bytes
 * (MINDL_ERR_TOO_LARGE).  Does not judge exp against any clock: the
 * registry decides whether a challenge is current.
 */
int mindl_renewal_challenge_parse(const uint8_t *buf, size_t len,
    uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN], int64_t *exp);

/*
 * The holder's proof, into out (cleared first and on failure): dev signs
 * RenewalProof for challenge ch, the credential file cred (its bytes as
 * stored, hashed whole), entry `copy` of it (the copy whose device key
 * dev holds) and the new public keys newkeys[0..n) in the order the desk
 * will issue to them.  Before returning, the proof is checked against
 * the credential as the desk will check it: MINDL_ERR_NOT_DEVICE_KEY if
 * dev is not the device key of that copy.  The new keys must be 1 to
 * MINDL_MAX_BATCH distinct P-256 keys, none of them a device key of the
 * old credential (MINDL_ERR_KEY: reusing one would link the old
 * credential's presentations to the new one's); only their public
 * halves are used.  MINDL_ERR_INVALID_ARG for a copy past the last.
 */
int mindl_renewal_proof_write(const struct mindl_signer *dev,
    const uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN], const uint8_t *cred,
    size_t credlen, size_t copy, const struct mindl_key *const *newkeys,
    size_t n, struct mindl_buf *out);
/*
 * Checks a proof (at most MINDL_RENEWAL_MAX_PROOF bytes) for the desk.
 * Strict parse: a COSE_Sign1 (mindl_cose_parse's rules) with only alg
 * in its protected header, an empty unprotected header and an attached
 * payload that is exactly RenewalProof (parse errors as the walker's;
 * another context string MINDL_ERR_RENEWAL_PROOF; another version
 * MINDL_ERR_VERSION).  Then: the device key of entry `copy` of cred
 * (its MSO's deviceKeyInfo) verifies the signature; the challenge is ch
 * (MINDL_ERR_CHALLENGE otherwise: the holder signed another challenge);
 * the credential digest is SHA-256 of cred and the key digest that of
 * newkeys[0..n); the new keys are as mindl_renewal_proof_write requires
 * (MINDL_ERR_KEY).  A missing copy, a key that does not verify, or any
 * other binding that differs: MINDL_ERR_RENEWAL_PROOF.  On success *copy
 * is the entry whose key signed.  The credential itself is not verified
 * here: mindl_renewal_cred_verify does that.
 */
int mindl_renewal_proof_verify(const uint8_t *proof, size_t plen,
    const uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN], const uint8_t *cred,
    size_t credlen, const struct mindl_key *const *newkeys, size_t n,
    size_t *copy);
/*
 * The challenge a proof names, read without verifying anything, for a
 * registry that looks the challenge up before it calls
 * mindl_renewal_proof_verify.  Parse errors as that function's.
 */
int mindl_renewal_proof_challenge(const uint8_t *proof, size_t plen,
    uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN]);

/* An old credential that the desk verified as its own. */
struct mindl_renewal_cred;

/*
 * Why mindl_renewal_cred_verify refused, for the desk's log: the check
 * behind MINDL_ERR_NOT_ISSUED_HERE (cause: MINDL_ERR_UNTRUSTED,
 * _SIGNATURE, _DIGEST, _DIGEST_ID, _CERT_EXPIRED, ...; or
 * MINDL_ERR_NOT_ISSUED_HERE itself when the copies hold different
 * values), the copy it concerns and a few words.
 */
struct mindl_renewal_fault {
	int		 cause;
	size_t		 copy;
	const char	*what;	/* static text */
};

/*
 * Verifies that every entry of credential file cred was issued by this
 * DMV over exactly the values it holds: per entry, an x5chain without
 * the IACA, the DS certificate chained to an IACA of trust with both
 * valid at the MSO's signing time (a DS certificate that expired since
 * still vouches for what it signed while valid; the IACA must be one
 * the desk trusts, its own), the MSO signature, version, digest
 * algorithm and docType (mindl_issuer_auth_check, as a verifier checks
 * them), the signing time no later than now + MINDL_CLOCK_SKEW, every
 * item's digest over its bytes as received and its value against
 * schema's tables; then every entry holds the same elements with the
 * same values.  The MSO validity window is not checked: a batch whose
 * copies expired is what renewal is for.
 *
 * Errors: the file's own parse errors as they are (it is no credential),
 * MINDL_ERR_NOMEM, _CRYPTO and _INTERNAL as they are, and every failed
 * check of the above MINDL_ERR_NOT_ISSUED_HERE, the one answer the desk
 * acts on (the holder must be issued from the DMV's record instead);
 * fault, if not NULL, says which check and which copy.  The bytes are
 * copied; *out holds them until mindl_renewal_cred_free wipes them.
 */
int mindl_renewal_cred_verify(struct mindl_trust *trust,
    const struct mindl_schema *schema, int64_t now, const uint8_t *cred,
    size_t credlen, struct mindl_renewal_cred **out,
    struct mindl_renewal_fault *fault);
void mindl_renewal_cred_free(struct mindl_renewal_cred **cp);
/* The number of copies (entries). */
size_t mindl_renewal_cred_copies(const struct mindl_renewal_cred *c);

/*
 * The record the DMV system would have given for the verified
 * credential: a JSON object of its record-sourced values (source
 * "record" in schemas/elements-*.json; org.iso.18013.5.1 elements at the
 * top level, other namespaces' in an object named after the namespace),
 * each rendered by mindl_value_json, and elements the tables do not
 * know, which the record check then refuses; the portrait bytes apart.
 * Derived elements are left out, and issue_date and expiry_date
 * returned as days since the epoch (MINDL_ERR_MISSING if absent).  json
 * and portrait are cleared first and on failure.
 */
int mindl_renewal_record_json(const struct mindl_renewal_cred *c,
    const struct mindl_schema *schema, struct mindl_buf *json,
    struct mindl_buf *portrait, int64_t *issue_day, int64_t *expiry_day);
/*
 * The record for the new batch: mindl_renewal_record_json, then
 * mindl_record_parse_renewal at time now (every rule of a DMV record,
 * the licence's issue_date and expiry_date kept, age_over_NN of today;
 * MINDL_ERR_LICENCE_EXPIRED for a licence past its expiry_date), with
 * its messages in errbuf.  mindl_record_document_number(*out) names the
 * licence for the registry.
 */
int mindl_renewal_record(const struct mindl_renewal_cred *c,
    const struct mindl_schema *schema, int64_t now,
    struct mindl_record **out, char *errbuf, size_t errlen);

#endif /* MINDL_RENEWAL_H */
