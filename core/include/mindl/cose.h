/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: COSE (RFC 9052/9053) as ISO 18013-5 uses it: untagged COSE_Sign1
 * and COSE_Mac0 with attached or detached payloads, COSE_Key for EC2
 * public keys, x5chain (RFC 9360, label 33).
 *
 * Parsing is strict: the protected header is a bstr holding a map (or
 * empty), `alg` must be present in it and allowed for the key, a header
 * label may not appear in both buckets, and a `crit` list may name only
 * labels this module understands.  Signatures and MACs are checked over
 * the protected-header bytes exactly as received.
 */
#ifndef MINDL_COSE_H
#define MINDL_COSE_H

#include <stddef.h>
#include <stdint.h>

#include "cbor.h"
#include "key.h"
#include "signer.h"

#define MINDL_COSE_HDR_ALG	1
#define MINDL_COSE_HDR_CRIT	2
#define MINDL_COSE_HDR_CTYPE	3
#define MINDL_COSE_HDR_KID	4
#define MINDL_COSE_HDR_TYP	16	/* RFC 9596 */
#define MINDL_COSE_HDR_X5CHAIN	33
#define MINDL_MAX_X5CHAIN	4
#define MINDL_COSE_TAG_SIGN1	18	/* COSE_Sign1_Tagged */

/* A parsed COSE_Sign1 or COSE_Mac0; borrows from the decoded document. */
struct mindl_cose_msg {
	const uint8_t	*prot;		/* protected header bstr content */
	size_t		 protlen;
	const uint8_t	*payload;	/* NULL when detached */
	size_t		 payloadlen;
	const uint8_t	*tag;		/* signature or MAC */
	size_t		 taglen;
	int64_t		 alg;
	size_t		 nx5;		/* certificates in x5chain */
	const uint8_t	*x5[MINDL_MAX_X5CHAIN];	/* DER, leaf first */
	size_t		 x5len[MINDL_MAX_X5CHAIN];
	struct mindl_cbor *protdoc;	/* owned: decoded protected map */
};

/* Parses a COSE_Sign1 / COSE_Mac0 array (untagged, or tag 18 / 17). */
int mindl_cose_parse(const struct mindl_cbor_item *it,
    struct mindl_cose_msg *m);
/* Frees what parse allocated; the struct may be parsed into again. */
void mindl_cose_clear(struct mindl_cose_msg *m);

/*
 * Verifies a parsed COSE_Sign1 with key: alg must be the one that goes
 * with the key's curve (MINDL_ERR_KEY_MISMATCH otherwise).  detached is
 * the payload when the message carries none (NULL otherwise).
 * MINDL_ERR_SIGNATURE when the signature is wrong.
 */
int mindl_cose_sign1_verify(const struct mindl_cose_msg *m,
    const struct mindl_key *key, const uint8_t *detached, size_t dlen);
/* Verifies a COSE_Mac0 with HMAC 256/256 (alg 5): MINDL_ERR_DEVICE_AUTH. */
int mindl_cose_mac0_verify(const struct mindl_cose_msg *m,
    const uint8_t *mackey, size_t mackeylen, const uint8_t *detached,
    size_t dlen);

/*
 * Writes a COSE_Sign1 into e: protected {1: the signer's alg},
 * unprotected {33: x5 cert} when x5 is given (else {}), payload attached
 * unless detached is set (then null), the signature as the signer makes
 * it.
 */
int mindl_cose_sign1_write(struct mindl_enc *e,
    const struct mindl_signer *signer, const uint8_t *payload, size_t len,
    int detached, const uint8_t *x5, size_t x5len);
/*
 * The same, tagged (COSE_Sign1_Tagged, tag 18), attached, with the
 * protected header {1: alg, 16: typ} (RFC 9596 typ, a media type): for
 * tokens whose type a reader must check before anything else, such as a
 * Token Status List ("application/statuslist+cwt", mindl/status.h).
 */
int mindl_cose_sign1_write_typ(struct mindl_enc *e,
    const struct mindl_signer *signer, const char *typ,
    const uint8_t *payload, size_t len, const uint8_t *x5, size_t x5len);
/* Writes a COSE_Mac0 (alg 5) with a detached payload into e. */
int mindl_cose_mac0_write(struct mindl_enc *e, const uint8_t *mackey,
    size_t mackeylen, const uint8_t *payload, size_t len);

/* COSE_Key {1: 2, -1: crv, -2: x, -3: y} of the key's public half. */
int mindl_cose_key_write(struct mindl_enc *e, const struct mindl_key *key);
/* Parses an EC2 COSE_Key; a private part (-4) is refused. */
int mindl_cose_key_parse(const struct mindl_cbor_item *it,
    struct mindl_key **out);
/* Parses a COSE_Key from its encoded bytes (EReaderKey, EDeviceKey). */
int mindl_cose_key_decode(const uint8_t *p, size_t len,
    struct mindl_key **out);

#endif /* MINDL_COSE_H */
