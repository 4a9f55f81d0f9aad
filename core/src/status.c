/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: Token Status Lists (draft-ietf-oauth-status-list) as CWTs, for
 * mdoc revocation (see mindl/status.h).
 *
 * Writing: one bit per entry, LSB-first in each byte (the draft's
 * "Compressed Byte Array"), zlib at level 9 (the highest, as the draft
 * recommends), the CWT claims map through the deterministic encoder,
 * and COSE_Sign1_Tagged with the typ header through cose.c.
 *
 * Parsing: a token comes from outside (a file someone handed over), so
 * every byte goes through the strict CBOR walker and the inflated list is
 * capped before it is allocated past MINDL_STATUS_MAX_BYTES: a few bytes
 * of deflate that would inflate to gigabytes stop at the cap.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "mindl/cbor.h"
#include "mindl/cose.h"
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "mindl/status.h"
#include "mindl/trust.h"
#include "internal.h"

/* CWT claim keys (RFC 8392; the draft's 65533, 65534). */
#define CLAIM_SUB		2
#define CLAIM_EXP		4
#define CLAIM_NBF		5
#define CLAIM_IAT		6
#define CLAIM_STATUS_LIST	65533
#define CLAIM_TTL		65534

#define INFLATE_CHUNK		(64u * 1024)

struct mindl_status_token {
	uint8_t			*buf;	/* the token as received */
	size_t			 len;
	struct mindl_cbor	*doc;
	struct mindl_cbor	*claims_doc;
	struct mindl_cose_msg	 m;
	char			*uri;
	int64_t			 iat, exp, nbf;
	int			 has_exp, has_nbf, has_ttl;
	uint64_t		 ttl;
	uint8_t			*bits;	/* inflated */
	size_t			 nbytes;
};

/* Writing. */

static int
pow2_in_range(size_t n)
{
	return n >= ((size_t)1 << MINDL_STATUS_LIST_MIN_LOG2) &&
	    n <= ((size_t)1 << MINDL_STATUS_LIST_MAX_LOG2) &&
	    (n & (n - 1)) == 0;
}

static int
uri_ok(const char *uri)
{
	size_t n;

	if (uri == NULL)
		return 0;
	n = strlen(uri);
	return n > 0 && n <= MINDL_STATUS_MAX_URI;
}

int
mindl_status_token_write(const struct mindl_status_list_params *p,
    struct mindl_buf *out)
{
	struct mindl_enc e, c;
	uint8_t *z = NULL, *claims = NULL;
	uLongf zlen = 0;
	size_t nbytes, claimslen = 0;
	int r = MINDL_ERR_INTERNAL;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_init(&c, MINDL_MAX_INPUT);
	if (out == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	mindl_buf_clear(out);
	if (p == NULL || !uri_ok(p->uri) || p->iat < 0 || p->exp <= p->iat ||
	    p->ttl == 0 || p->bits == NULL || !pow2_in_range(p->nentries) ||
	    p->signer == NULL || p->x5 == NULL || p->x5len == 0) {
		mindl_log_debug("%s: parameters refused", __func__);
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	nbytes = p->nentries / 8;
	zlen = compressBound((uLong)nbytes);
	if ((z = mindl_malloc(zlen)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if (compress2(z, &zlen, p->bits, (uLong)nbytes, 9) != Z_OK) {
		mindl_log_debug("%s: compress2", __func__);
		r = MINDL_ERR_INTERNAL;
		goto fail;
	}
	/* A list no reader could decode (over its string cap) is refused. */
	if (zlen > MINDL_MAX_STRING) {
		mindl_log_debug("%s: %lu bytes compressed", __func__,
		    (unsigned long)zlen);
		r = MINDL_ERR_TOO_LARGE;
		goto fail;
	}
	mindl_enc_map(&c, 5);
	mindl_enc_uint(&c, CLAIM_SUB);
	mindl_enc_tstr(&c, p->uri);
	mindl_enc_uint(&c, CLAIM_IAT);
	mindl_enc_int(&c, p->iat);
	mindl_enc_uint(&c, CLAIM_EXP);
	mindl_enc_int(&c, p->exp);
	mindl_enc_uint(&c, CLAIM_TTL);
	mindl_enc_uint(&c, p->ttl);
	mindl_enc_uint(&c, CLAIM_STATUS_LIST);
	mindl_enc_map(&c, 2);
	mindl_enc_tstr(&c, "bits");
	mindl_enc_uint(&c, 1);
	mindl_enc_tstr(&c, "lst");
	mindl_enc_bstr(&c, z, zlen);
	if ((r = mindl_enc_finish(&c, &claims, &claimslen)) != MINDL_OK)
		goto fail;
	if ((r = mindl_cose_sign1_write_typ(&e, p->signer, MINDL_STATUS_TYP,
	    claims, claimslen, p->x5, p->x5len)) != MINDL_OK)
		goto fail;
	r = mindl_enc_finish_buf(&e, out);
 fail:
	if (r != MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
		if (out != NULL)
			mindl_buf_clear(out);
	}
	mindl_enc_clear(&e);
	mindl_enc_clear(&c);
	free(claims);
	free(z);
	return r;
}

/* Parsing. */

void
mindl_status_token_free(struct mindl_status_token **tp)
{
	struct mindl_status_token *t;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	*tp = NULL;
	mindl_cose_clear(&t->m);
	mindl_cbor_free(&t->claims_doc);
	mindl_cbor_free(&t->doc);
	free(t->uri);
	free(t->bits);
	free(t->buf);
	free(t);
}

/*
 * Inflates a zlib stream into t->bits, at most MINDL_STATUS_MAX_BYTES:
 * the output grows a chunk at a time, so a bomb costs the cap and no
 * more.  The stream must end exactly at the end of the input.
 */
static int
inflate_list(const uint8_t *in, size_t inlen, uint8_t **out, size_t *outlen)
{
	z_stream zs;
	uint8_t *b = NULL, *nb, probe[1];
	size_t cap = 0, have = 0;
	int zr, r = MINDL_ERR_INTERNAL, init = 0;

	*out = NULL;
	*outlen = 0;
	memset(&zs, 0, sizeof(zs));
	if (inlen == 0 || inlen > UINT32_MAX) {
		r = MINDL_ERR_STATUS_LIST;
		goto fail;
	}
	/* windowBits 15: the zlib wrapper of RFC 1950, not gzip or raw. */
	if (inflateInit(&zs) != Z_OK) {
		mindl_log_debug("%s: inflateInit", __func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	init = 1;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)inlen;
	for (;;) {
		if (have == cap && cap == MINDL_STATUS_MAX_BYTES) {
			/*
			 * Full: only the end of the stream may follow (a
			 * list of exactly the largest size), which a one-byte
			 * probe that stays empty shows.
			 */
			zs.next_out = probe;
			zs.avail_out = sizeof(probe);
			zr = inflate(&zs, Z_NO_FLUSH);
			if (zr == Z_STREAM_END && zs.avail_out == sizeof(probe))
				break;
			mindl_log_debug("%s: inflates past %u bytes", __func__,
			    MINDL_STATUS_MAX_BYTES);
			r = MINDL_ERR_STATUS_LIST;
			goto fail;
		}
		if (have == cap) {
			cap = cap + INFLATE_CHUNK > MINDL_STATUS_MAX_BYTES ?
			    MINDL_STATUS_MAX_BYTES : cap + INFLATE_CHUNK;
			if ((nb = mindl_realloc(b, cap)) == NULL) {
				r = MINDL_ERR_NOMEM;
				goto fail;
			}
			b = nb;
		}
		zs.next_out = b + have;
		zs.avail_out = (uInt)(cap - have);
		zr = inflate(&zs, Z_NO_FLUSH);
		have = cap - zs.avail_out;
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_MEM_ERROR) {
			r = MINDL_ERR_NOMEM;
			goto fail;
		}
		/* Z_BUF_ERROR with input left means no progress: truncated. */
		if (zr != Z_OK || (zs.avail_in == 0 && zs.avail_out > 0)) {
			mindl_log_debug("%s: zlib: %s", __func__,
			    zs.msg != NULL ? zs.msg : "truncated");
			r = MINDL_ERR_STATUS_LIST;
			goto fail;
		}
	}
	if (zs.avail_in != 0) {
		mindl_log_debug("%s: %u bytes after the zlib stream", __func__,
		    zs.avail_in);
		r = MINDL_ERR_STATUS_LIST;
		goto fail;
	}
	if (have == 0) {
		mindl_log_debug("%s: empty list", __func__);
		r = MINDL_ERR_STATUS_LIST;
		goto fail;
	}
	*out = b;
	*outlen = have;
	b = NULL;
	r = MINDL_OK;
 fail:
	if (init)
		(void)inflateEnd(&zs);
	free(b);
	return r;
}

/* An unsigned integer claim as int64 (a NumericDate or ttl). */
static int64_t
claim_time(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *it)
{
	if (it == NULL || rd->err != MINDL_OK)
		return 0;
	if (it->u > INT64_MAX) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_STATUS_LIST, "time");
		return 0;
	}
	return (int64_t)it->u;
}

/* The StatusList map: {bits, lst, ? aggregation_uri}, nothing else. */
static int
parse_status_list(const struct mindl_cbor_item *sl,
    struct mindl_status_token *t)
{
	struct mindl_cbor_rd rd;
	struct mindl_cbor_iter i;
	const struct mindl_cbor_item *bits, *lst, *k, *v;
	int r;

	mindl_cbor_rd_init(&rd);
	bits = mindl_cbor_rd_get(&rd, sl, "bits", MINDL_CBOR_UINT);
	lst = mindl_cbor_rd_get(&rd, sl, "lst", MINDL_CBOR_BSTR);
	(void)mindl_cbor_rd_opt(&rd, sl, "aggregation_uri", MINDL_CBOR_TSTR);
	if (rd.err != MINDL_OK) {
		mindl_log_debug("%s: status_list %s", __func__,
		    rd.what != NULL ? rd.what : "");
		return rd.err;
	}
	/* The CDDL of StatusList is a closed map. */
	(void)mindl_cbor_iter_init(&i, sl, MINDL_CBOR_MAP);
	while (mindl_cbor_iter_pair(&i, &k, &v))
		if (!mindl_cbor_is_str(k, "bits") &&
		    !mindl_cbor_is_str(k, "lst") &&
		    !mindl_cbor_is_str(k, "aggregation_uri")) {
			mindl_log_debug("%s: unknown key in status_list",
			    __func__);
			return MINDL_ERR_STATUS_LIST;
		}
	if (bits->u == 2 || bits->u == 4 || bits->u == 8) {
		mindl_log_debug("%s: bits %llu: only 1 is supported", __func__,
		    (unsigned long long)bits->u);
		return MINDL_ERR_UNSUPPORTED;
	}
	if (bits->u != 1) {
		mindl_log_debug("%s: bits %llu", __func__,
		    (unsigned long long)bits->u);
		return MINDL_ERR_STATUS_LIST;
	}
	if ((r = inflate_list(lst->ptr, lst->len, &t->bits,
	    &t->nbytes)) != MINDL_OK)
		return r;
	return MINDL_OK;
}

static int
parse_claims(const struct mindl_cbor_item *cl, struct mindl_status_token *t)
{
	struct mindl_cbor_rd rd;
	const struct mindl_cbor_item *sub, *iat, *exp, *nbf, *ttl, *sl;
	int r;

	mindl_cbor_rd_init(&rd);
	(void)mindl_cbor_rd_type(&rd, cl, MINDL_CBOR_MAP, "claims");
	sub = mindl_cbor_rd_get_int(&rd, cl, CLAIM_SUB, MINDL_CBOR_TSTR);
	iat = mindl_cbor_rd_get_int(&rd, cl, CLAIM_IAT, MINDL_CBOR_UINT);
	exp = mindl_cbor_rd_opt_int(&rd, cl, CLAIM_EXP, MINDL_CBOR_UINT);
	nbf = mindl_cbor_rd_opt_int(&rd, cl, CLAIM_NBF, MINDL_CBOR_UINT);
	ttl = mindl_cbor_rd_opt_int(&rd, cl, CLAIM_TTL, MINDL_CBOR_UINT);
	sl = mindl_cbor_rd_get_int(&rd, cl, CLAIM_STATUS_LIST, MINDL_CBOR_MAP);
	t->iat = claim_time(&rd, iat);
	t->exp = claim_time(&rd, exp);
	t->nbf = claim_time(&rd, nbf);
	if (rd.err != MINDL_OK) {
		mindl_log_debug("%s: claim %lld", __func__,
		    (long long)rd.label);
		return rd.err;
	}
	t->has_exp = exp != NULL;
	t->has_nbf = nbf != NULL;
	if (t->has_exp && t->exp <= t->iat) {
		mindl_log_debug("%s: exp not after iat", __func__);
		return MINDL_ERR_STATUS_LIST;
	}
	/* The draft: "The value of the claim MUST be a positive number." */
	if (ttl != NULL) {
		if (ttl->u == 0) {
			mindl_log_debug("%s: ttl 0", __func__);
			return MINDL_ERR_STATUS_LIST;
		}
		t->has_ttl = 1;
		t->ttl = ttl->u;
	}
	if (sub->len == 0 || sub->len > MINDL_STATUS_MAX_URI ||
	    memchr(sub->ptr, '\0', sub->len) != NULL) {
		mindl_log_debug("%s: sub of %zu bytes", __func__, sub->len);
		return MINDL_ERR_STATUS_LIST;
	}
	if ((r = mindl_cbor_strdup(sub, &t->uri)) != MINDL_OK)
		return r;
	return parse_status_list(sl, t);
}

/* The protected typ: exactly MINDL_STATUS_TYP. */
static int
check_typ(const struct mindl_cose_msg *m)
{
	const struct mindl_cbor_item *typ;

	typ = m->protdoc == NULL ? NULL : mindl_cbor_map_get_int(
	    mindl_cbor_root(m->protdoc), MINDL_COSE_HDR_TYP);
	/*
	 * The draft also allows the CoAP Content-Format ID for it, but that
	 * is "TBD" (not assigned), so only the media type can be right.
	 */
	if (typ == NULL || !mindl_cbor_is_str(typ, MINDL_STATUS_TYP)) {
		mindl_log_debug("%s: protected typ is not %s", __func__,
		    MINDL_STATUS_TYP);
		return MINDL_ERR_STATUS_LIST;
	}
	return MINDL_OK;
}

int
mindl_status_token_parse(const uint8_t *buf, size_t len,
    struct mindl_status_token **out)
{
	struct mindl_status_token *t = NULL;
	const struct mindl_cbor_item *root;
	int r = MINDL_ERR_INTERNAL;

	if (out != NULL)
		*out = NULL;
	if (buf == NULL || out == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if (len > MINDL_MAX_INPUT) {
		r = MINDL_ERR_TOO_LARGE;
		goto fail;
	}
	if ((t = mindl_calloc(1, sizeof(*t))) == NULL ||
	    (t->buf = mindl_malloc(len > 0 ? len : 1)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	memcpy(t->buf, buf, len);
	t->len = len;
	if ((r = mindl_cbor_decode(t->buf, len, &t->doc)) != MINDL_OK)
		goto fail;
	root = mindl_cbor_root(t->doc);
	/* COSE_Sign1_Tagged; never CWT-tagged (61) or untagged. */
	if (root->type == MINDL_CBOR_TAG && root->u == 17) {
		mindl_log_debug("%s: COSE_Mac0", __func__);
		r = MINDL_ERR_UNSUPPORTED;
		goto fail;
	}
	if (root->type != MINDL_CBOR_TAG || root->u != MINDL_COSE_TAG_SIGN1) {
		mindl_log_debug("%s: not tag 18", __func__);
		r = MINDL_ERR_CBOR_TAG;
		goto fail;
	}
	if ((r = mindl_cose_parse(root, &t->m)) != MINDL_OK)
		goto fail;
	if ((r = check_typ(&t->m)) != MINDL_OK)
		goto fail;
	if (t->m.payload == NULL) {
		mindl_log_debug("%s: detached payload", __func__);
		r = MINDL_ERR_STATUS_LIST;
		goto fail;
	}
	if ((r = mindl_cbor_decode(t->m.payload, t->m.payloadlen,
	    &t->claims_doc)) != MINDL_OK ||
	    (r = parse_claims(mindl_cbor_root(t->claims_doc), t)) != MINDL_OK)
		goto fail;
	*out = t;
	t = NULL;
	r = MINDL_OK;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_status_token_free(&t);
	return r;
}

const char *
mindl_status_token_uri(const struct mindl_status_token *t)
{
	return t->uri;
}

int64_t
mindl_status_token_iat(const struct mindl_status_token *t)
{
	return t->iat;
}

int
mindl_status_token_exp(const struct mindl_status_token *t, int64_t *exp)
{
	if (!t->has_exp)
		return MINDL_ERR_MISSING;
	*exp = t->exp;
	return MINDL_OK;
}

int
mindl_status_token_ttl(const struct mindl_status_token *t, uint64_t *ttl)
{
	if (!t->has_ttl)
		return MINDL_ERR_MISSING;
	*ttl = t->ttl;
	return MINDL_OK;
}

uint64_t
mindl_status_token_entries(const struct mindl_status_token *t)
{
	return (uint64_t)t->nbytes * 8;
}

void
mindl_status_token_bitmap(const struct mindl_status_token *t,
    const uint8_t **p, size_t *len)
{
	*p = t->bits;
	*len = t->nbytes;
}

void
mindl_status_token_signer_cert(const struct mindl_status_token *t,
    const uint8_t **der, size_t *len)
{
	*der = t->m.nx5 > 0 ? t->m.x5[0] : NULL;
	*len = t->m.nx5 > 0 ? t->m.x5len[0] : 0;
}

uint64_t
mindl_status_byte_offset(uint64_t idx)
{
	return idx / 8;
}

int
mindl_status_bit(uint8_t byte, uint64_t idx)
{
	/* LSB-first: entry i is bit i % 8 of byte i / 8. */
	return (byte >> (idx % 8)) & 1;
}

int
mindl_status_token_get(const struct mindl_status_token *t, uint64_t idx,
    int *status)
{
	if (t == NULL || status == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (idx >= mindl_status_token_entries(t))
		return MINDL_ERR_STATUS_UNKNOWN;
	*status = mindl_status_bit(t->bits[mindl_status_byte_offset(idx)],
	    idx);
	return MINDL_OK;
}

/* Verification. */

int
mindl_status_token_verify(const struct mindl_status_token *t,
    struct mindl_trust *trust, int64_t at, uint8_t root[MINDL_STATUS_ROOT_LEN])
{
	struct mindl_key *pub = NULL;
	uint8_t rh[MINDL_STATUS_ROOT_LEN];
	int64_t nb, na;
	size_t i;
	int r = MINDL_ERR_INTERNAL;

	if (t == NULL || trust == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if (t->m.nx5 == 0) {
		mindl_log_debug("%s: no x5chain", __func__);
		r = MINDL_ERR_X5CHAIN;
		goto fail;
	}
	for (i = 0; i < t->m.nx5; i++)
		if (mindl_trust_is_root(trust, t->m.x5[i], t->m.x5len[i])) {
			r = MINDL_ERR_IACA_IN_CHAIN;
			goto fail;
		}
	if ((r = mindl_trust_verify_status_signer(trust, t->m.x5[0],
	    t->m.x5len[0], at, &pub, rh)) != MINDL_OK)
		goto fail;
	if ((r = mindl_cose_sign1_verify(&t->m, pub, NULL, 0)) != MINDL_OK)
		goto fail;
	if (!t->has_exp) {
		mindl_log_debug("%s: no exp: refused", __func__);
		r = MINDL_ERR_MISSING;
		goto fail;
	}
	if (at > t->exp) {
		r = MINDL_ERR_STATUS_EXPIRED;
		goto fail;
	}
	if (t->iat > at + MINDL_CLOCK_SKEW) {
		r = MINDL_ERR_SIGNED_LATER;
		goto fail;
	}
	if (t->has_nbf && t->nbf > at + MINDL_CLOCK_SKEW) {
		r = MINDL_ERR_NOT_YET_VALID;
		goto fail;
	}
	/* As an MSO inside its DS's validity (ISO 18013-5 9.3.1). */
	if ((r = mindl_trust_status_signer_validity(trust, t->m.x5[0],
	    t->m.x5len[0], &nb, &na)) != MINDL_OK)
		goto fail;
	if (t->iat < nb || t->iat > na) {
		mindl_log_debug("%s: iat outside the signer's validity",
		    __func__);
		r = MINDL_ERR_SIGNED_OUTSIDE_DS;
		goto fail;
	}
	if (root != NULL)
		memcpy(root, rh, sizeof(rh));
	r = MINDL_OK;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_key_free(&pub);
	return r;
}

void
mindl_status_judge(const struct mindl_status_cached *list,
    const uint8_t *byte, const uint8_t ds_root[MINDL_STATUS_ROOT_LEN],
    uint64_t idx, int64_t at, struct mindl_status_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->state = MINDL_STATUS_STATE_UNKNOWN;
	v->err = MINDL_ERR_STATUS_UNKNOWN;
	if (list == NULL) {
		v->reason = "no status list for this credential has been "
		    "imported";
		return;
	}
	v->age = at - list->iat;
	v->stale = list->has_ttl && list->ttl <= (uint64_t)INT64_MAX &&
	    at - list->iat > (int64_t)list->ttl;
	/* Not secret: both are hashes of public certificates. */
	if (ds_root == NULL || memcmp(list->root, ds_root,
	    MINDL_STATUS_ROOT_LEN) != 0) {
		v->err = MINDL_ERR_UNTRUSTED;
		v->reason = "the status list was signed under another IACA "
		    "than the credential";
		return;
	}
	if (at > list->exp) {
		v->err = MINDL_ERR_STATUS_EXPIRED;
		v->reason = "the status list has expired: import a newer one";
		return;
	}
	if (list->iat > at + MINDL_CLOCK_SKEW) {
		v->reason = "the status list was issued after the verification "
		    "time";
		return;
	}
	if (idx >= list->entries || byte == NULL) {
		v->reason = "the credential's index is beyond the status list";
		return;
	}
	if (mindl_status_bit(*byte, idx) == MINDL_STATUS_INVALID) {
		v->state = MINDL_STATUS_STATE_REVOKED;
		v->err = MINDL_ERR_REVOKED;
		v->reason = "the issuer has revoked this licence";
		return;
	}
	v->state = MINDL_STATUS_STATE_VALID;
	v->err = MINDL_OK;
	if (v->stale)
		v->reason = "the status list is past its time to live: import "
		    "a fresh one";
}
