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
 */
#ifndef MINDL_STATUS_H
#define MINDL_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "signer.h"

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
 * "application/statuslist+cwt"}, unprotected {33: the certificate}.
 */
int mindl_status_token_write(const struct mindl_status_list_params *p,
    struct mindl_buf *out);

#endif /* MINDL_STATUS_H */
