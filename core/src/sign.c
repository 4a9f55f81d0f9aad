/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the signer interface (mindl/signer.h) and its software signer.
 */
#include <stdint.h>
#include <string.h>

#include "mindl/err.h"
#include "mindl/key.h"
#include "mindl/signer.h"
#include "internal.h"

static int
key_sign(void *ctx, const uint8_t *msg, size_t len, uint8_t *sig,
    size_t *siglen)
{
	return mindl_ecdsa_sign(ctx, msg, len, sig, siglen);
}

int
mindl_signer_key(struct mindl_signer *s, const struct mindl_key *key)
{
	int alg;

	memset(s, 0, sizeof(*s));
	if (key == NULL || !mindl_key_is_private(key) ||
	    (alg = mindl_key_alg(key)) == 0)
		return MINDL_ERR_KEY;
	s->alg = alg;
	s->sign = key_sign;
	/* The callback takes the key as given: signing does not change it. */
	s->ctx = (void *)(uintptr_t)key;
	return MINDL_OK;
}

int
mindl_sign(const struct mindl_signer *s, const uint8_t *msg, size_t len,
    uint8_t *sig, size_t *siglen)
{
	size_t cap = *siglen;
	int r;

	if (s == NULL || s->sign == NULL || s->alg == 0)
		return MINDL_ERR_INVALID_ARG;
	if ((r = s->sign(s->ctx, msg, len, sig, siglen)) != MINDL_OK)
		return r;
	if (NEVER(*siglen == 0 || *siglen > cap))
		return MINDL_ERR_INTERNAL;
	return MINDL_OK;
}
