/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: FIDO2 security keys as device keys (adapter: core/src/fido.c on
 * libfido2; the verifier's checks in core/src/fido_verify.c need OpenSSL
 * only).
 *
 * At the desk a security key makes an ES256 credential (CTAP2
 * makeCredential, user presence, an rpId fixed by policy); its public key
 * becomes the MSO's device key and its credential id stays with the
 * holder.  At presentation the key answers getAssertion with
 * clientDataHash = SHA-256(DeviceAuthenticationBytes): it signs
 * authData || clientDataHash.  That is not a COSE signature, so it
 * travels in a mindl extension of DeviceSigned (mindl/devauth.h,
 * DESIGN.md 3.1), which a standard ISO/IEC 18013-5 reader refuses.
 *
 * Device access is the same for production and tests: a real
 * authenticator found by fido_dev_info_manifest, or a caller's opener
 * that returns a ready fido_dev_t (tests attach a software authenticator
 * through libfido2's I/O hooks).  PINs are parameters: the tools read
 * them from a descriptor or the terminal, never from argv.
 *
 * All functions return MINDL_OK or a negative enum mindl_err; libfido2's
 * errors become MINDL_ERR_FIDO (a refused or timed-out touch
 * MINDL_ERR_FIDO_PRESENCE, a PIN missing, wrong or blocked
 * MINDL_ERR_PASSPHRASE, no credential of ours on the key
 * MINDL_ERR_NOT_DEVICE_KEY).  Out-parameters are set only on success.
 */
#ifndef MINDL_FIDO_H
#define MINDL_FIDO_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

/* Authenticator data (WebAuthn 6.1): rpIdHash(32) flags(1) signCount(4). */
#define MINDL_FIDO_AUTHDATA_LEN		37
#define MINDL_FIDO_MAX_AUTHDATA		1024	/* with extensions */
#define MINDL_FIDO_SIG_LEN		64	/* ES256, raw r || s */
#define MINDL_FIDO_MAX_CRED_ID		1023	/* CTAP 2.1 6.1.2 */
#define MINDL_FIDO_MAX_RPID		255
#define MINDL_FIDO_USER_ID_LEN		32	/* random, when not given */
/*
 * The rpId of every holder's credential, whichever DMV made it: one name
 * for all, so that it says nothing of the issuer (it does not travel
 * anyway), and under .invalid (RFC 6761), so that no web origin can ask
 * a key for an assertion with it.
 */
#define MINDL_FIDO_HOLDER_RPID		"mindl-holder.invalid"

/* authData flags (WebAuthn 6.1). */
#define MINDL_FIDO_UP	0x01	/* user present */
#define MINDL_FIDO_UV	0x04	/* user verified */
#define MINDL_FIDO_BE	0x08	/* backup eligible: a synced passkey */
#define MINDL_FIDO_BS	0x10	/* backed up */
#define MINDL_FIDO_AT	0x40	/* attested credential data follows */
#define MINDL_FIDO_ED	0x80	/* extension data follows */
#define MINDL_FIDO_RFU	0x22	/* reserved bits */

struct fido_dev;	/* libfido2's fido_dev_t */

/* An opened authenticator. */
struct mindl_fido_dev;

/*
 * An opener: returns in *out a fido_dev_t that fido_dev_open (or
 * fido_dev_open_with_info) has opened, which the mindl_fido_dev then owns
 * (closed and freed by mindl_fido_dev_free).  MINDL_OK or an error.
 */
typedef int (*mindl_fido_open_fn)(void *arg, struct fido_dev **out);

/*
 * Opens the authenticator whose path fido_dev_info_manifest lists as
 * path, or the first one listed when path is NULL.  MINDL_ERR_FIDO when
 * there is none (or no such path).
 */
int mindl_fido_dev_open(const char *path, struct mindl_fido_dev **out);
/* Opens through fn(arg) instead of the manifest. */
int mindl_fido_dev_open_with(mindl_fido_open_fn fn, void *arg,
    struct mindl_fido_dev **out);
/* Closes and frees; accepts NULL and *devp == NULL. */
void mindl_fido_dev_free(struct mindl_fido_dev **devp);

/* A credential made at the desk. */
struct mindl_fido_cred {
	uint8_t			*id;	/* credential id (malloc'd) */
	size_t			 idlen;
	struct mindl_key	*pub;	/* P-256 public key: the device key */
};

/*
 * makeCredential for rpid: ES256, not resident, user presence (always
 * asked for by makeCredential), user verification through pin when pin
 * is not NULL.  user_id may be NULL: MINDL_FIDO_USER_ID_LEN random bytes
 * are used (the user name is the same fixed text for everyone).  The
 * attestation signature is verified over a fresh random clientDataHash:
 * packed self attestation with the credential's own key, or a certificate
 * (x5c), whose chain is not judged: mindl takes the key, not the key's
 * maker, on trust from the desk that saw it made.  The attestation format
 * "none" is refused (MINDL_ERR_FIDO), as is a credential that is backup
 * eligible or backed up (MINDL_ERR_FIDO_AUTHDATA: a synced passkey binds
 * no device) or not ES256 on P-256 (MINDL_ERR_KEY).  *out is cleared
 * first; mindl_fido_cred_clear frees it.
 */
int mindl_fido_enroll(struct mindl_fido_dev *dev, const char *rpid,
    const uint8_t *user_id, size_t user_idlen, const char *pin,
    struct mindl_fido_cred *out);
/* Frees and zeroes; accepts a cleared credential. */
void mindl_fido_cred_clear(struct mindl_fido_cred *c);

/*
 * What signs a presentation: the key, the policy's rpId, the credential
 * id from enrollment, a PIN (NULL: none) and whether user verification is
 * required (then a PIN, or the key's built-in verification).
 */
struct mindl_fido_signer {
	struct mindl_fido_dev	*dev;
	const char		*rpid;
	const uint8_t		*cred_id;
	size_t			 cred_idlen;
	const char		*pin;
	int			 require_uv;
};

/*
 * An assertion as it travels: authData as the authenticator signed it
 * (raw, not libfido2 1.12's CBOR-wrapped copy) and the signature as raw
 * r || s (the authenticator's DER converted once, exact length).
 */
struct mindl_fido_assertion {
	uint8_t	 authdata[MINDL_FIDO_MAX_AUTHDATA];
	size_t	 authdatalen;
	uint8_t	 sig[MINDL_FIDO_SIG_LEN];
	size_t	 siglen;
};

/*
 * getAssertion with clientDataHash = SHA-256(da_bytes), da_bytes being
 * DeviceAuthenticationBytes, user presence required and the credential id
 * as the only allowList entry.  The answer is not judged here (the
 * verifier does, mindl_fido_verify); only its shape: one assertion, a
 * DER ECDSA signature, authData within MINDL_FIDO_MAX_AUTHDATA.  When
 * s->require_uv and no PIN is given, a key with no built-in user
 * verification is MINDL_ERR_FIDO_PRESENCE: it cannot meet that policy.
 */
int mindl_fido_assert(const struct mindl_fido_signer *s,
    const uint8_t *da_bytes, size_t dalen, struct mindl_fido_assertion *out);

/*
 * The verifier's checks of an assertion used as device authentication,
 * OpenSSL only (no libfido2), in this order:
 *   authData at least 37 bytes, at most MINDL_FIDO_MAX_AUTHDATA; AT
 *   clear; exactly 37 bytes unless ED is set, and then followed by
 *   exactly one well-formed CBOR map; BE, BS and the reserved bits clear
 *   (a synced passkey is not device binding): MINDL_ERR_FIDO_AUTHDATA;
 *   rpIdHash = SHA-256(rpid): MINDL_ERR_FIDO_RPID;
 *   UP set, and UV when require_uv: MINDL_ERR_FIDO_PRESENCE;
 *   sig exactly MINDL_FIDO_SIG_LEN bytes of raw r || s, ECDSA P-256 with
 *   SHA-256 over authData || SHA-256(da_bytes) under key (the MSO's
 *   device key, recomputed DeviceAuthenticationBytes): otherwise
 *   MINDL_ERR_DEVICE_AUTH.
 * A key that is not P-256 is MINDL_ERR_KEY.  signCount is not judged: an
 * offline verifier keeps no counter, and many keys always send 0.
 */
int mindl_fido_verify(const uint8_t *authdata, size_t alen,
    const uint8_t *sig, size_t slen, const char *rpid,
    const uint8_t *da_bytes, size_t dalen, const struct mindl_key *key,
    int require_uv);

#endif /* MINDL_FIDO_H */
