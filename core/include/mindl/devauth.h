/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: device authentication (ISO/IEC 18013-5 9.1.3), in one place for
 * the holder that writes it and the verifier that checks it: the session
 * transcript, DeviceAuthenticationBytes, EMacKey, and DeviceSigned with
 * its deviceSignature (COSE_Sign1, detached payload) or deviceMac
 * (COSE_Mac0, HMAC-SHA256 under EMacKey, detached payload).
 */
#ifndef MINDL_DEVAUTH_H
#define MINDL_DEVAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "cbor.h"
#include "cose.h"
#include "fido.h"
#include "key.h"
#include "signer.h"

enum mindl_devauth {
	MINDL_DEVAUTH_MAC = 1,		/* deviceMac: deniable (default) */
	MINDL_DEVAUTH_SIGNATURE = 2,	/* deviceSignature */
	MINDL_DEVAUTH_FIDO2 = 3,	/* mindl.fido2Signature (below) */
};

/*
 * SessionTranscriptBytes = #6.24(bstr .cbor [#6.24(DeviceEngagementBytes),
 * #6.24(EReaderKeyBytes), null]) for QR engagement, from the engagement
 * and reader-key bytes as received.  *out is malloc'd.
 */
int mindl_transcript_bytes(const uint8_t *de, size_t delen,
    const uint8_t *erk, size_t erklen, uint8_t **out, size_t *outlen);

/*
 * DeviceAuthenticationBytes = #6.24(bstr .cbor ["DeviceAuthentication",
 * SessionTranscript, docType, DeviceNameSpacesBytes]), with the
 * transcript (taken out of its SessionTranscriptBytes) and the namespaces
 * bytes embedded exactly as given.  *out is malloc'd.
 */
int mindl_devauth_bytes(const uint8_t *st_bytes, size_t stlen,
    const char *doctype, size_t doctypelen, const uint8_t *dns, size_t dnslen,
    uint8_t **out, size_t *outlen);

/*
 * A static code bound to a security key (DESIGN.md 3.10): the verifier's
 * fresh SessionTranscriptBytes = #6.24(bstr .cbor [null, null,
 * [MINDL_STATIC_HANDOVER, bstr .size MINDL_STATIC_NONCE_LEN]]), random
 * each time.  No engagement and no reader key (nothing is encrypted); a
 * handover of mindl's own, so that no ISO/IEC 18013-5 session's
 * transcript can equal it.  *out is malloc'd.
 */
#define MINDL_STATIC_HANDOVER	"mindl.fido2Challenge"
#define MINDL_STATIC_NONCE_LEN	32
int mindl_static_transcript(uint8_t **out, size_t *outlen);
/*
 * What the code's security key signs over such a transcript:
 * DeviceAuthenticationBytes for doctype with no device-signed elements
 * (#6.24(h'a0')), as mindl_device_signed_write_fido2 makes them.
 */
int mindl_static_devauth_bytes(const uint8_t *st, size_t stlen,
    const char *doctype, size_t doctypelen, uint8_t **out, size_t *outlen);

/*
 * EMacKey = HKDF-SHA256(ECDH(priv, pub), salt = SHA-256(SessionTranscript
 * Bytes), info "EMacKey"), 32 bytes (9.1.3.5).  One key is the device
 * key and the other the reader's ephemeral key, either way round.
 */
int mindl_emac_key(const struct mindl_key *priv, const struct mindl_key *pub,
    const uint8_t *st_bytes, size_t stlen, uint8_t out[32]);

/* A parsed DeviceSigned; borrows from its document. */
struct mindl_device_signed;

/*
 * DeviceSigned = {nameSpaces: #6.24(bstr .cbor {* tstr => {* tstr =>
 * any}}), deviceAuth: {deviceSignature: COSE_Sign1 // deviceMac:
 * COSE_Mac0}}.  deviceAuth must hold exactly one of the two
 * (MINDL_ERR_MISSING otherwise) and its payload must be detached
 * (MINDL_ERR_COSE_HEADER).
 */
int mindl_device_signed_parse(const struct mindl_cbor_item *ds,
    struct mindl_device_signed **out);
void mindl_device_signed_free(struct mindl_device_signed **dsp);
enum mindl_devauth mindl_device_signed_kind(
    const struct mindl_device_signed *ds);
/* DeviceNameSpacesBytes as received, and the namespaces map inside. */
const struct mindl_cbor_item *mindl_device_signed_ns_bytes(
    const struct mindl_device_signed *ds);
const struct mindl_cbor_item *mindl_device_signed_ns(
    const struct mindl_device_signed *ds);
/* The deviceSignature or deviceMac, parsed. */
const struct mindl_cose_msg *mindl_device_signed_auth(
    const struct mindl_device_signed *ds);

/*
 * Checks the device authentication of a document of docType doctype
 * (tstr item) over SessionTranscriptBytes st: a deviceSignature with the
 * MSO's device key, or a deviceMac under EMacKey from reader_key (the
 * reader's ephemeral private key) and the device key.  Any failure to
 * authenticate is MINDL_ERR_DEVICE_AUTH; a malformed COSE message keeps
 * its parse error.
 */
int mindl_device_signed_verify(const struct mindl_device_signed *ds,
    const struct mindl_key *device_key, const struct mindl_cbor_item *doctype,
    const uint8_t *st, size_t stlen, const struct mindl_key *reader_key);

/*
 * The holder's side: how to authenticate.  deviceSignature signs with
 * signer; deviceMac needs the device private key and the reader's
 * ephemeral public key for ECDH.
 */
struct mindl_devauth_params {
	enum mindl_devauth		 auth;
	const struct mindl_signer	*signer;	/* SIGNATURE */
	const struct mindl_key		*device_key;	/* MAC: private */
	const struct mindl_key		*ereader;	/* MAC: public */
};

/*
 * Writes DeviceSigned for doctype into e: no device-signed elements
 * (nameSpaces #6.24(h'a0')) and the chosen device authentication over
 * SessionTranscriptBytes st.
 */
int mindl_device_signed_write(struct mindl_enc *e,
    const struct mindl_devauth_params *p, const char *doctype,
    const uint8_t *st, size_t stlen);

/*
 * A mindl extension (DESIGN.md 3.1): device authentication by a FIDO2
 * security key (mindl/fido.h).
 *
 *   DeviceSigned = {"nameSpaces": #6.24(h'a0'), "deviceAuth":
 *       {"mindl.fido2Signature": {"authData": bstr, "sig": bstr}}}
 *
 * authData is the authenticator data the key signed (37 bytes, more only
 * with extensions), sig the ES256 signature as raw r || s over authData
 * || SHA-256(DeviceAuthenticationBytes).  The key's credential id does
 * not travel (the holder alone needs it); the rpId is the verifier's
 * policy.  Not being ISO/IEC 18013-5's deviceSignature or deviceMac, it
 * is refused by mindl_device_signed_parse (MINDL_ERR_MISSING) and by any
 * standard reader, rather than read as a COSE_Sign1 it is not.  Only
 * mindl_device_signed_parse_fido2 accepts it: deviceAuth with that one
 * key, a map of exactly authData and sig, both byte strings (shape
 * errors as mindl_device_signed_parse's; another key in the inner map
 * MINDL_ERR_CBOR_TYPE).  Such a DeviceSigned has kind
 * MINDL_DEVAUTH_FIDO2, and mindl_device_signed_verify refuses it (MINDL_ERR_DEVICE_AUTH): it is
 * verified only with the rpId and UV policy.
 */
#define MINDL_DEVAUTH_FIDO2_KEY	"mindl.fido2Signature"

int mindl_device_signed_parse_fido2(const struct mindl_cbor_item *ds,
    struct mindl_device_signed **out);
/*
 * The extension's authData and sig (borrowed); MINDL_ERR_INVALID_ARG if
 * ds was not parsed as one.
 */
int mindl_device_signed_fido2(const struct mindl_device_signed *ds,
    const uint8_t **authdata, size_t *alen, const uint8_t **sig,
    size_t *slen);
/*
 * Recomputes DeviceAuthenticationBytes for doctype over st and checks
 * the assertion with mindl_fido_verify: device_key the MSO's, rpid and
 * require_uv the verifier's policy.  Its errors are mindl_fido_verify's.
 */
int mindl_device_signed_verify_fido2(const struct mindl_device_signed *ds,
    const struct mindl_key *device_key, const struct mindl_cbor_item *doctype,
    const uint8_t *st, size_t stlen, const char *rpid, int require_uv);
/*
 * The holder's side: DeviceSigned for doctype over st, with no
 * device-signed elements, authenticated by an assertion of s's key.
 */
int mindl_device_signed_write_fido2(struct mindl_enc *e,
    const struct mindl_fido_signer *s, const char *doctype,
    const uint8_t *st, size_t stlen);

#endif /* MINDL_DEVAUTH_H */
