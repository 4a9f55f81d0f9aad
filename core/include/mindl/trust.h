/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: trust stores (core/src/trust.c).
 *
 * A trust store holds the IACA roots a verifier trusts (from PEM bundles
 * such as AAMVA's VICAL, or DER) and checks DS certificates from an
 * x5chain against them, caching the ones it accepted.  Apart from
 * mindl/x509.h, which is about certificates themselves: a verifier needs
 * this, a key ceremony does not.  Not thread-safe: use one store per
 * thread.
 */
#ifndef MINDL_TRUST_H
#define MINDL_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

/*
 * Roots in one store: national trust lists such as AAMVA's VICAL carry
 * dozens of IACAs, and a verifier may load several.
 */
#define MINDL_MAX_TRUST		4096

struct mindl_trust;

int mindl_trust_new(struct mindl_trust **out);
void mindl_trust_free(struct mindl_trust **tp);
/*
 * Adds every certificate in a PEM file, or none if any is refused.  Each
 * must be a self-signed CA certificate (MINDL_ERR_CERT_PROFILE otherwise);
 * the full Annex B IACA profile is checked at verification time, so a bad
 * root is reported there.  A root already trusted is not added again;
 * more than MINDL_MAX_TRUST in all is MINDL_ERR_TOO_LARGE.
 */
int mindl_trust_add_pem_file(struct mindl_trust *t, const char *path);
int mindl_trust_add_der(struct mindl_trust *t, const uint8_t *der, size_t len);
/*
 * The same, allowing the root the Annex B deviations in allow
 * (MINDL_DEV_* of mindl/x509.h).  A root used to verify a DS or status
 * signer must pass Annex B but for the deviations allowed it
 * (MINDL_ERR_DEVIATION otherwise); roots from PEM files and
 * mindl_trust_add_der are allowed none.
 */
int mindl_trust_add_der_allow(struct mindl_trust *t, const uint8_t *der,
    size_t len, unsigned allow);
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
/*
 * Which root a DS certificate that mindl_trust_verify_ds accepted on this
 * store chained to: the SHA-256 of the IACA's DER into root.
 * MINDL_ERR_UNTRUSTED if it has not been accepted.  A verifier requires
 * a credential's status list to chain to the same IACA (mindl/status.h).
 */
int mindl_trust_ds_root(struct mindl_trust *t, const uint8_t *der,
    size_t len, uint8_t root[MINDL_SHA256_LEN]);

/*
 * Verifies a status-list signer's certificate (DER, from a Status List
 * Token's x5chain) at `at`, as mindl_trust_verify_ds does a DS, with the
 * status signer's profile instead (mindl_x509_make_status_signer):
 * digitalSignature (no keyCertSign, no cRLSign), not a CA, valid at most
 * MINDL_STATUS_SIGNER_MAX_VALIDITY days, the IACA's C (and ST), and NOT
 * the DS EKU 1.0.18013.5.1.2: a key that signs MSOs must not sign lists.
 * It needs no EKU: the draft's id-kp-oauthStatusSigning is still "TBD".
 * On success *pub is its key and root (if not NULL) the SHA-256 of the
 * DER of the IACA it chained to.  Errors as mindl_trust_verify_ds's.  A
 * certificate accepted as one role is never taken from the cache as the
 * other.
 */
int mindl_trust_verify_status_signer(struct mindl_trust *t,
    const uint8_t *der, size_t len, int64_t at, struct mindl_key **pub,
    uint8_t root[MINDL_SHA256_LEN]);
/*
 * The validity interval (the signer's and its root's intersection) of a
 * status signer accepted on this store; MINDL_ERR_UNTRUSTED if not.
 */
int mindl_trust_status_signer_validity(struct mindl_trust *t,
    const uint8_t *der, size_t len, int64_t *not_before, int64_t *not_after);

/*
 * The Annex B deviations of the root an accepted DS certificate chained
 * to (all of them allowed, or it would not have been accepted), for a
 * verifier to warn of on every verification that used it;
 * MINDL_ERR_UNTRUSTED if the DS has not been accepted.
 */
int mindl_trust_ds_deviations(struct mindl_trust *t, const uint8_t *der,
    size_t len, unsigned *dev);
/* The DER of the root whose SHA-256 is hash (borrowed); MINDL_ERR_UNTRUSTED. */
int mindl_trust_root_der(const struct mindl_trust *t,
    const uint8_t hash[MINDL_SHA256_LEN], const uint8_t **der, size_t *len);

/*
 * Verifies a reader authentication certificate (DER, from a readerAuth's
 * x5chain) at `at` against a store of reader CA roots (each a CA with
 * keyCertSign; the IACA's name rules do not apply to them), as
 * mindl_trust_verify_ds does a DS, with the reader profile: keyUsage
 * digitalSignature, EKU 1.0.18013.5.1.6, not a CA, not the DS EKU.  The
 * store should hold reader CAs only: a holder's reader trust, never its
 * IACAs.  Errors as mindl_trust_verify_ds's.
 */
int mindl_trust_verify_reader(struct mindl_trust *t, const uint8_t *der,
    size_t len, int64_t at, struct mindl_key **pub);

/* 1 if der is byte-identical to a trusted root, else 0. */
int mindl_trust_is_root(const struct mindl_trust *t, const uint8_t *der,
    size_t len);

#endif /* MINDL_TRUST_H */
