/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the signer interface.  COSE signs through it (issuer, device,
 * reader and status-list signatures), so that a private key may live in
 * OpenSSL, a FIDO2 authenticator or an HSM without core knowing which.
 *
 * A signer is a COSE algorithm and a callback that signs a message (the
 * COSE Sig_structure) with it: the callback hashes as the algorithm
 * says and returns the signature in COSE form (raw r || s for ECDSA,
 * RFC 9053 section 2.1).
 */
#ifndef MINDL_SIGNER_H
#define MINDL_SIGNER_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

/*
 * sign: *siglen in = capacity of sig (at least MINDL_MAX_SIG), out = the
 * signature's length.  MINDL_OK or an error; on error sig is not used.
 */
typedef int (*mindl_sign_fn)(void *ctx, const uint8_t *msg, size_t len,
    uint8_t *sig, size_t *siglen);

struct mindl_signer {
	int		 alg;	/* COSE alg: MINDL_ALG_ES256 ... */
	mindl_sign_fn	 sign;
	void		*ctx;
};

/*
 * A signer over a software key's private half, with the alg that goes
 * with its curve.  The key is borrowed: it must outlive the signer.
 * MINDL_ERR_KEY if the key is public only or of an unsupported curve.
 */
int mindl_signer_key(struct mindl_signer *s, const struct mindl_key *key);

/*
 * Signs msg with s; checks that the callback kept to sig's capacity.
 * *siglen in = capacity, out = length.
 */
int mindl_sign(const struct mindl_signer *s, const uint8_t *msg, size_t len,
    uint8_t *sig, size_t *siglen);

#endif /* MINDL_SIGNER_H */
