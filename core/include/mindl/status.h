/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: IETF Token Status List (draft-ietf-oauth-status-list) as a CWT,
 * for mdoc revocation (core/src/status.c).
 *
 * A status list is one bit per MSO (bits = 1: 0 VALID, 1 INVALID; no
 * other status is ever written, since any third value would leak), packed
 * LSB-first within each byte, zlib-deflated, and signed as a COSE_Sign1
 * whose payload is the CWT claims {2 sub: the list's uri, 6 iat, 4 exp,
 * 65534 ttl, 65533 status_list {bits, lst}}.  An MSO refers to an entry
 * with status {status_list: {idx, uri}}.
 *
 * The token is COSE_Sign1_Tagged (tag 18), not CWT-tagged (tag 61), with
 * typ (16) "application/statuslist+cwt" in its protected header, as the
 * draft requires (section "Status List Token in CWT Format", checked at
 * its -20 revision).  A verifier parses it strictly
 * (mindl_status_token_parse), verifies it against its IACAs
 * (mindl_status_token_verify), caches it, and judges a verified
 * credential's entry (mindl_status_judge).
 */
#ifndef MINDL_STATUS_H
#define MINDL_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "key.h"
#include "signer.h"
#include "trust.h"

/*
 * Lists hold 2^MIN_LOG2 .. 2^MAX_LOG2 entries (herd privacy: at least
 * 2^20).  Indices are drawn from [MINDL_STATUS_IDX_MIN, size) so that
 * every idx encodes to the same CBOR width (a 4-byte uint) for every
 * holder; entries below it stay VALID forever.
 */
#define MINDL_STATUS_LIST_MIN_LOG2	20
#define MINDL_STATUS_LIST_MAX_LOG2	24
#define MINDL_STATUS_IDX_MIN		65536u

#define MINDL_STATUS_VALID		0
#define MINDL_STATUS_INVALID		1

#define MINDL_STATUS_TYP	"application/statuslist+cwt"
/* The inflated list of the largest size: 2^24 entries of one bit. */
#define MINDL_STATUS_MAX_BYTES	(1u << (MINDL_STATUS_LIST_MAX_LOG2 - 3))
/* A list's uri (sub), in bytes. */
#define MINDL_STATUS_MAX_URI	2048
#define MINDL_STATUS_ROOT_LEN	MINDL_SHA256_LEN

/* What status publish signs. */
struct mindl_status_list_params {
	const char			*uri;	/* sub: the uri MSOs carry */
	int64_t				 iat;
	int64_t				 exp;	/* > iat */
	uint64_t			 ttl;	/* seconds, > 0 */
	const uint8_t			*bits;	/* nentries bits, LSB-first */
	size_t				 nentries; /* a power of two in range */
	const struct mindl_signer	*signer; /* the status signer's key */
	const uint8_t			*x5;	/* its certificate, DER */
	size_t				 x5len;
};

/*
 * Writes the Status List Token into out (cleared first, and again on
 * failure): COSE_Sign1 (tag 18) with protected {1: alg, 16:
 * "application/statuslist+cwt"}, unprotected {33: the certificate}; the
 * list zlib-deflated at level 9.  MINDL_ERR_INVALID_ARG unless uri is 1
 * to MINDL_STATUS_MAX_URI bytes, 0 <= iat < exp, ttl > 0, nentries a
 * power of two in [2^MIN_LOG2, 2^MAX_LOG2] and signer and x5 given;
 * MINDL_ERR_TOO_LARGE if the deflated list would exceed what a reader
 * decodes (MINDL_MAX_STRING: only lists close to random do).
 */
int mindl_status_token_write(const struct mindl_status_list_params *p,
    struct mindl_buf *out);

/* A parsed Status List Token; owns a copy of the bytes. */
struct mindl_status_token;

/*
 * Parses a Status List Token strictly, checking nothing cryptographic:
 * one CBOR item (mindl_cbor_decode's rules: no trailing bytes,
 * duplicate keys, indefinite lengths), tag 18 (MINDL_ERR_CBOR_TAG
 * otherwise; a tag-17 COSE_Mac0 is MINDL_ERR_UNSUPPORTED: no verifier
 * outside the issuer holds its key), COSE_Sign1 (mindl_cose_parse's
 * rules) with an attached payload, protected typ exactly
 * MINDL_STATUS_TYP; claims: 2 sub (tstr, 1 to MINDL_STATUS_MAX_URI
 * bytes, no NUL), 6 iat (uint), optional 4 exp (uint, after iat), 5 nbf
 * (uint), 65534 ttl (uint > 0); 65533 status_list {bits: uint, lst:
 * bstr, ? aggregation_uri: tstr} and nothing else in it.  Other claims
 * are ignored (the draft: "The CWT MAY contain other claims").  bits 1
 * only: 2, 4 and 8, valid in the draft, are MINDL_ERR_UNSUPPORTED
 * (mindl never writes them: a third status would leak); any other value
 * MINDL_ERR_STATUS_LIST.  lst is inflated (zlib, RFC 1950) with a hard
 * cap of MINDL_STATUS_MAX_BYTES: more (a decompression bomb), a stream
 * that does not end exactly at lst's end, an empty list or bad zlib are
 * MINDL_ERR_STATUS_LIST.  Any size from one byte to the cap is
 * accepted (lists of other issuers need not be mindl's powers of two):
 * mindl_status_token_entries says how many entries it holds.  A type
 * error in a claim is MINDL_ERR_CBOR_TYPE, an absent required one
 * MINDL_ERR_MISSING.
 */
int mindl_status_token_parse(const uint8_t *buf, size_t len,
    struct mindl_status_token **out);
void mindl_status_token_free(struct mindl_status_token **tp);

/* The list's uri (sub), NUL-terminated; outside text: escape it. */
const char *mindl_status_token_uri(const struct mindl_status_token *t);
int64_t mindl_status_token_iat(const struct mindl_status_token *t);
/* exp and ttl: MINDL_OK, or MINDL_ERR_MISSING when the token has none. */
int mindl_status_token_exp(const struct mindl_status_token *t, int64_t *exp);
int mindl_status_token_ttl(const struct mindl_status_token *t, uint64_t *ttl);
/* Entries in the inflated list (8 per byte). */
uint64_t mindl_status_token_entries(const struct mindl_status_token *t);
/* The inflated list, borrowed from t. */
void mindl_status_token_bitmap(const struct mindl_status_token *t,
    const uint8_t **p, size_t *len);
/* The x5chain's first certificate (the signer), or NULL and 0. */
void mindl_status_token_signer_cert(const struct mindl_status_token *t,
    const uint8_t **der, size_t *len);
/*
 * Entry idx of the list: MINDL_STATUS_VALID or MINDL_STATUS_INVALID in
 * *status; MINDL_ERR_STATUS_UNKNOWN when idx is beyond the list (the
 * draft: no statement can be made).
 */
int mindl_status_token_get(const struct mindl_status_token *t, uint64_t idx,
    int *status);

/*
 * Verifies a parsed token at time `at`: an x5chain (MINDL_ERR_X5CHAIN),
 * no trusted IACA inside it (MINDL_ERR_IACA_IN_CHAIN), its first
 * certificate a status signer chaining to a trusted IACA
 * (mindl_trust_verify_status_signer: MINDL_ERR_UNTRUSTED,
 * MINDL_ERR_CERT_PROFILE for a DS certificate among others,
 * MINDL_ERR_CERT_EXPIRED), the signature (MINDL_ERR_SIGNATURE), then the
 * times: an exp (mindl requires one: a list that never expires could be
 * replayed forever to hide a revocation; MINDL_ERR_MISSING) not before
 * `at` (MINDL_ERR_STATUS_EXPIRED), iat and nbf no later than at +
 * MINDL_CLOCK_SKEW (MINDL_ERR_SIGNED_LATER, MINDL_ERR_NOT_YET_VALID), iat
 * inside the signer's validity (MINDL_ERR_SIGNED_OUTSIDE_DS).  On success
 * root (if not NULL) is the SHA-256 of the DER of the IACA the signer
 * chained to.
 */
int mindl_status_token_verify(const struct mindl_status_token *t,
    struct mindl_trust *trust, int64_t at,
    uint8_t root[MINDL_STATUS_ROOT_LEN]);

/*
 * Entry idx of a list held elsewhere (a verifier's cache): the bit of
 * byte idx / 8 of the inflated list that byte, read from offset
 * mindl_status_byte_offset(idx), holds.
 */
uint64_t mindl_status_byte_offset(uint64_t idx);
int mindl_status_bit(uint8_t byte, uint64_t idx);

/* What a verifier can say of a verified credential's status. */
enum mindl_status_state {
	MINDL_STATUS_STATE_NONE = 0,	/* the MSO carries no reference */
	MINDL_STATUS_STATE_VALID,
	MINDL_STATUS_STATE_REVOKED,
	MINDL_STATUS_STATE_UNKNOWN,
};

/* A verified list, as a verifier's cache keeps it. */
struct mindl_status_cached {
	int64_t		iat;
	int64_t		exp;
	int		has_ttl;
	uint64_t	ttl;
	uint64_t	entries;
	uint8_t		root[MINDL_STATUS_ROOT_LEN];	/* its IACA */
};

struct mindl_status_verdict {
	enum mindl_status_state	 state;
	/* MINDL_OK (none, valid), MINDL_ERR_REVOKED, or why unknown */
	int			 err;
	const char		*reason;	/* static text; NULL if none */
	int64_t			 age;		/* at - the list's iat */
	int			 stale;		/* past iat + ttl */
};

/*
 * The status of a credential whose MSO refers to entry idx of a list,
 * given that list as cached (NULL: none is cached for the MSO's uri),
 * the byte of the list holding the entry (NULL if not read, e.g. idx
 * beyond the list), the SHA-256 of the IACA the credential's DS chained
 * to, and the verification time.  Unknown, with its reason and err,
 * when no list is cached (MINDL_ERR_STATUS_UNKNOWN), the list expired
 * (MINDL_ERR_STATUS_EXPIRED), was issued after `at` (beyond
 * MINDL_CLOCK_SKEW: MINDL_ERR_STATUS_UNKNOWN), chained to another IACA
 * than the DS (MINDL_ERR_UNTRUSTED: anyone else's list could otherwise
 * vouch for, or revoke, this DMV's credentials), or idx is beyond it
 * (MINDL_ERR_STATUS_UNKNOWN); else valid or revoked (MINDL_ERR_REVOKED)
 * by the entry, with the list's age and whether it is past its ttl.
 */
void mindl_status_judge(const struct mindl_status_cached *list,
    const uint8_t *byte, const uint8_t ds_root[MINDL_STATUS_ROOT_LEN],
    uint64_t idx, int64_t at, struct mindl_status_verdict *v);

#endif /* MINDL_STATUS_H */
