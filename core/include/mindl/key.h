/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: keys and primitive cryptography (adapter: core/src/crypto_ossl.c).
 *
 * Every primitive comes from OpenSSL 3; nothing here is hand-rolled.  Keys
 * are opaque; EC on P-256 is what mindl issues, P-384 and P-521 are
 * accepted for verification because real IACAs and DS certificates use them.
 * All functions return MINDL_OK or a negative enum mindl_err; out-parameters
 * are set only on success.
 */
#ifndef MINDL_KEY_H
#define MINDL_KEY_H

#include <stddef.h>
#include <stdint.h>

struct mindl_key;

/* COSE curve identifiers (RFC 9053 table 18). */
#define MINDL_CRV_P256	1
#define MINDL_CRV_P384	2
#define MINDL_CRV_P521	3
#define MINDL_CRV_ED25519	6	/* OKP: signing only, no ECDH */
#define MINDL_ED25519_LEN	32	/* public key; signatures are 64 */
/* IANA COSE Elliptic Curves registry, as ISO 18013-5 table 22 uses them. */
#define MINDL_CRV_BP256	256	/* brainpoolP256r1 */
#define MINDL_CRV_BP320	257	/* brainpoolP320r1 */
#define MINDL_CRV_BP384	258	/* brainpoolP384r1 */
#define MINDL_CRV_BP512	259	/* brainpoolP512r1 */

/* COSE algorithm identifiers used by mindl. */
#define MINDL_ALG_ES256	(-7)
#define MINDL_ALG_ES384	(-35)
#define MINDL_ALG_ES512	(-36)
#define MINDL_ALG_EDDSA	(-8)	/* with Ed25519 only */
#define MINDL_ALG_HMAC256	5	/* HMAC 256/256, COSE_Mac0 */

#define MINDL_SHA256_LEN	32

/*
 * Digest algorithms of an MSO (ISO 18013-5 9.1.2.5: "SHA-256",
 * "SHA-384", "SHA-512").
 */
#define MINDL_DIGEST_SHA256	1
#define MINDL_DIGEST_SHA384	2
#define MINDL_DIGEST_SHA512	3
#define MINDL_MAX_DIGEST	64	/* SHA-512 */
#define MINDL_MAX_COORD		66	/* P-521 coordinate */
#define MINDL_MAX_SIG		132	/* P-521 raw r||s */

/* A fresh P-256 private key from the OpenSSL DRBG. */
int mindl_key_generate(struct mindl_key **out);
/* A fresh private key on a MINDL_CRV_* curve; MINDL_ERR_UNSUPPORTED else. */
int mindl_key_generate_curve(int crv, struct mindl_key **out);
/* Frees and NULLs *keyp; accepts NULL and *keyp == NULL. */
void mindl_key_free(struct mindl_key **keyp);
/* Another reference to the same key (refcounted). */
struct mindl_key *mindl_key_ref(struct mindl_key *key);

/* 1 if the key holds a private half, else 0. */
int mindl_key_is_private(const struct mindl_key *key);
/* MINDL_CRV_* of the key, or a negative error for unsupported keys. */
int mindl_key_curve(const struct mindl_key *key);
/* 1 if a and b have the same public key (either may hold a private half). */
int mindl_key_same_public(const struct mindl_key *a, const struct mindl_key *b);
/*
 * A curve's name as COSE and ISO 18013-5 write it ("P-384",
 * "brainpoolP320r1", "Ed25519"), or NULL; and back, exactly so spelt
 * (MINDL_ERR_UNSUPPORTED for another name).
 */
const char *mindl_crv_name(int crv);
int mindl_crv_from_name(const char *name);
/* Coordinate length in bytes for a curve (32, 40, 48, 64, 66) or 0. */
size_t mindl_crv_coord_len(int crv);
/*
 * The COSE alg that signs with this key's curve (ES256 for P-256 ...), or
 * 0 for an unsupported key (COSE algs are negative, like errors: 0 is the
 * only unambiguous failure value).
 */
int mindl_key_alg(const struct mindl_key *key);

/* Public key from affine coordinates; checks the point is on the curve. */
int mindl_key_from_xy(int crv, const uint8_t *x, size_t xlen,
    const uint8_t *y, size_t ylen, struct mindl_key **out);
/* Affine coordinates, each mindl_crv_coord_len() bytes, big-endian. */
int mindl_key_xy(const struct mindl_key *key, uint8_t *x, uint8_t *y,
    size_t *coord_len);
/* DER SubjectPublicKeyInfo -> key, or DER of the key's public half. */
/* An Ed25519 public key from its 32 bytes (COSE OKP x). */
int mindl_key_from_okp(int crv, const uint8_t *x, size_t xlen,
    struct mindl_key **out);
/* The 32 bytes of an Ed25519 key; MINDL_ERR_KEY for an EC key. */
int mindl_key_okp_x(const struct mindl_key *key,
    uint8_t x[MINDL_ED25519_LEN]);
int mindl_key_from_spki(const uint8_t *der, size_t len,
    struct mindl_key **out);

/*
 * PEM files.  Private keys are PKCS#8, encrypted with AES-256-CBC under
 * scrypt-derived keys when pass is non-NULL; public keys are
 * SubjectPublicKeyInfo.  Writers create the file O_CREAT|O_EXCL|O_NOFOLLOW
 * with mode 0600 (public: 0644) and return MINDL_ERR_EXISTS rather than
 * overwrite.  The reader takes either kind; a wrong or missing passphrase
 * gives MINDL_ERR_PASSPHRASE.
 */
int mindl_key_read_pem(const char *path, const char *pass,
    struct mindl_key **out);
/*
 * A file may hold up to MINDL_MAX_BATCH keys, one PEM block each: a
 * holder's batch of single-use device keys.  Reads key index (only that
 * one is decrypted) and, if count is not NULL, how many the file holds.
 * MINDL_ERR_INVALID_ARG past the last, MINDL_ERR_TOO_LARGE over the cap.
 */
#define MINDL_MAX_BATCH	64
int mindl_key_read_pem_at(const char *path, const char *pass, size_t index,
    struct mindl_key **out, size_t *count);
/*
 * Every key of such a file, read once, into keys[0..*count) (at most
 * max; more: MINDL_ERR_TOO_LARGE, none: MINDL_ERR_KEY).  On failure no key
 * is left allocated.
 */
int mindl_key_read_pem_all(const char *path, const char *pass,
    struct mindl_key **keys, size_t max, size_t *count);
/*
 * A P-256 private key from a JSON file: {"x", "y", "d"} as hex (the form
 * test vectors such as ISO 18013-5 Annex D publish), or an EC JWK
 * {"kty": "EC", "crv": "P-256", "x", "y", "d"} in base64url.  The public
 * point must match d (MINDL_ERR_KEY otherwise).
 */
int mindl_key_read_json(const char *path, struct mindl_key **out);
int mindl_key_write_private_pem(const char *path, const struct mindl_key *key,
    const char *pass);
int mindl_key_write_public_pem(const char *path, const struct mindl_key *key);
/* n keys into one file, in order (each private key its own scrypt salt). */
int mindl_key_write_private_pem_n(const char *path,
    const struct mindl_key *const *keys, size_t n, const char *pass);
int mindl_key_write_public_pem_n(const char *path,
    const struct mindl_key *const *keys, size_t n);

/*
 * ECDSA over msg with the hash that goes with the key's curve (SHA-256,
 * -384, -512).  Signatures are raw r||s, 2 * coord_len bytes (COSE form);
 * the DER conversion happens only inside the adapter, with an exact length
 * check.  sign: *siglen in = capacity, out = length.  For an Ed25519 key
 * these are Ed25519 (RFC 8032, 64 bytes): COSE's EdDSA.
 */
int mindl_ecdsa_sign(const struct mindl_key *key, const uint8_t *msg,
    size_t msglen, uint8_t *sig, size_t *siglen);
/* MINDL_OK, MINDL_ERR_SIGNATURE (bad signature), or another error. */
int mindl_ecdsa_verify(const struct mindl_key *key, const uint8_t *msg,
    size_t msglen, const uint8_t *sig, size_t siglen);

/* ECDH shared secret (x coordinate, coord_len bytes) of priv and pub. */
int mindl_ecdh(const struct mindl_key *priv, const struct mindl_key *pub,
    uint8_t *out, size_t *outlen);
/* HKDF-SHA256 (RFC 5869), extract and expand. */
int mindl_hkdf_sha256(const uint8_t *salt, size_t saltlen,
    const uint8_t *ikm, size_t ikmlen, const uint8_t *info, size_t infolen,
    uint8_t *out, size_t outlen);
/* HMAC-SHA256. */
int mindl_hmac_sha256(const uint8_t *key, size_t keylen, const uint8_t *msg,
    size_t msglen, uint8_t out[MINDL_SHA256_LEN]);
/* SHA-256; cannot fail for valid arguments. */
int mindl_sha256(const uint8_t *msg, size_t len, uint8_t out[MINDL_SHA256_LEN]);
/* Output length of a MINDL_DIGEST_* (32, 48, 64), or 0 for another value. */
size_t mindl_digest_len(int alg);
/*
 * The MINDL_DIGEST_* alg of msg into out (mindl_digest_len(alg) bytes,
 * at most MINDL_MAX_DIGEST); MINDL_ERR_UNSUPPORTED for another alg.
 */
int mindl_digest(int alg, const uint8_t *msg, size_t len, uint8_t *out);
/* Bytes from the OpenSSL DRBG. */
int mindl_random(uint8_t *out, size_t len);

/* Constant-time equality: 1 if equal, 0 otherwise. */
int mindl_ct_eq(const void *a, const void *b, size_t len);
/* Wipe memory in a way the compiler cannot elide. */
void mindl_wipe(void *p, size_t len);
/* mindl_wipe then free; accepts NULL. */
void mindl_freezero(void *p, size_t len);

#endif /* MINDL_KEY_H */
