/*
 * mindl: X.509 certificates per ISO/IEC 18013-5 Annex B (adapter on
 * OpenSSL; core/src/x509.c).
 *
 * Two jobs: a key ceremony makes IACA and document-signer (DS)
 * certificates with exactly the Annex B profile, and a verifier checks a
 * DS certificate from an x5chain against a trust store of IACA roots.
 */
#ifndef MINDL_X509_H
#define MINDL_X509_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

/* Annex B: a DS certificate is valid for at most 457 days. */
#define MINDL_DS_MAX_DAYS	457
#define MINDL_MAX_CERT_LEN	8192
#define MINDL_MAX_TRUST		256

struct mindl_iaca_params {
	const char *country;	/* ISO 3166-1 alpha-2, e.g. "US" */
	const char *state;	/* e.g. "IL"; stateOrProvinceName "US-IL" */
	const char *name;	/* commonName */
	const char *issuer_alt;	/* issuerAltName URI or e-mail; NULL: none */
	int64_t not_before;	/* seconds since the epoch, UTC */
	int days;		/* validity */
};

struct mindl_ds_params {
	const char *name;	/* commonName; NULL: derived from the IACA */
	int64_t not_before;
	int days;		/* 1 .. MINDL_DS_MAX_DAYS */
};

/*
 * Self-signed IACA root: CA:TRUE pathlen 0 and keyUsage keyCertSign|cRLSign,
 * both critical; SKI; issuerAltName; C and ST from params; a random
 * positive 20-byte serial.  Returns DER in *der (free with free()).
 */
int mindl_x509_make_iaca(const struct mindl_key *key,
    const struct mindl_iaca_params *p, uint8_t **der, size_t *derlen);
/*
 * DS certificate for ds_pub signed by the IACA: keyUsage digitalSignature
 * critical, EKU 1.0.18013.5.1.2, AKI = IACA SKI, SKI, issuerAltName, C and
 * ST copied from the IACA.
 */
int mindl_x509_make_ds(const struct mindl_key *iaca_key,
    const uint8_t *iaca_der, size_t iaca_len, const struct mindl_key *ds_pub,
    const struct mindl_ds_params *p, uint8_t **der, size_t *derlen);

/* PEM certificate files: read the first certificate, write one (0644). */
int mindl_x509_read_pem(const char *path, uint8_t **der, size_t *derlen);
int mindl_x509_write_pem(const char *path, const uint8_t *der, size_t len);
/* notBefore and notAfter of a certificate, seconds since the epoch. */
int mindl_x509_validity(const uint8_t *der, size_t len, int64_t *not_before,
    int64_t *not_after);
/* The certificate's public key. */
int mindl_x509_pubkey(const uint8_t *der, size_t len, struct mindl_key **out);

/* Trust store: a set of IACA roots, and a cache of verified DS certs. */
struct mindl_trust;

int mindl_trust_new(struct mindl_trust **out);
void mindl_trust_free(struct mindl_trust **tp);
/*
 * Adds every certificate in a PEM file.  Each must be a self-signed CA
 * certificate (MINDL_ERR_CERT_PROFILE otherwise); the full Annex B IACA
 * profile is checked at verification time, so a bad root is reported there.
 */
int mindl_trust_add_pem_file(struct mindl_trust *t, const char *path);
int mindl_trust_add_der(struct mindl_trust *t, const uint8_t *der, size_t len);
/* Number of roots. */
size_t mindl_trust_count(const struct mindl_trust *t);

/*
 * Verifies a DS certificate (DER, as received in x5chain) at time `at`
 * (seconds since the epoch): signature chain to one trusted IACA, both
 * within validity at `at`, IACA profile (CA, pathlen 0, keyCertSign), DS
 * profile (digitalSignature, EKU 1.0.18013.5.1.2, not a CA, validity at
 * most 457 days, country matching the IACA).  On success *pub is the DS
 * public key.  A successful result is cached per trust store, keyed by the
 * SHA-256 of the DER and re-checked only for time.
 * Errors: MINDL_ERR_X509 (unparsable), MINDL_ERR_IACA_IN_CHAIN (the cert is
 * itself a trusted root), MINDL_ERR_UNTRUSTED, MINDL_ERR_CERT_PROFILE,
 * MINDL_ERR_CERT_EXPIRED.
 */
int mindl_trust_verify_ds(struct mindl_trust *t, const uint8_t *der,
    size_t len, int64_t at, struct mindl_key **pub);
/*
 * The validity interval (the intersection of the DS's and its root's) of
 * a DS certificate that mindl_trust_verify_ds accepted on this store;
 * MINDL_ERR_UNTRUSTED if it has not.  A verifier checks the MSO's signing
 * time against it (ISO 18013-5 9.3.1).
 */
int mindl_trust_ds_validity(struct mindl_trust *t, const uint8_t *der,
    size_t len, int64_t *not_before, int64_t *not_after);
/* 1 if der is byte-identical to a trusted root, else 0. */
int mindl_trust_is_root(const struct mindl_trust *t, const uint8_t *der,
    size_t len);

/*
 * Key id of a certificate for audit reports: lowercase hex of the SHA-256
 * of its SubjectPublicKeyInfo, first 8 bytes (17 bytes with NUL).
 */
int mindl_x509_key_id(const uint8_t *der, size_t len, char out[17]);

#endif /* MINDL_X509_H */
