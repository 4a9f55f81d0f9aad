/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: COSE_Sign1, COSE_Mac0 and COSE_Key (RFC 9052, RFC 9053, RFC 9360)
 * with the strict header rules of t_cose: alg required and protected,
 * allow-list bound to the key, unknown critical labels refused.
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/cose.h"
#include "mindl/err.h"
#include "mindl/signer.h"
#include "internal.h"

/* Labels whose meaning this module implements (for `crit`). */
static int
understood(int64_t label)
{
	return label == MINDL_COSE_HDR_ALG || label == MINDL_COSE_HDR_CTYPE ||
	    label == MINDL_COSE_HDR_KID || label == MINDL_COSE_HDR_X5CHAIN;
}

static int
parse_x5chain(const struct mindl_cbor_item *v, struct mindl_cose_msg *m)
{
	struct mindl_cbor_iter i;
	const struct mindl_cbor_item *c;

	/* RFC 9360: one certificate as a bstr, several as an array. */
	if (v->type == MINDL_CBOR_BSTR) {
		m->x5[0] = v->ptr;
		m->x5len[0] = v->len;
		m->nx5 = 1;
		return MINDL_OK;
	}
	if (mindl_cbor_iter_init(&i, v, MINDL_CBOR_ARRAY) != MINDL_OK ||
	    v->u == 0 || v->u > MINDL_MAX_X5CHAIN)
		return MINDL_ERR_X5CHAIN;
	while ((c = mindl_cbor_iter_next(&i)) != NULL) {
		if (c->type != MINDL_CBOR_BSTR)
			return MINDL_ERR_X5CHAIN;
		m->x5[m->nx5] = c->ptr;
		m->x5len[m->nx5++] = c->len;
	}
	return MINDL_OK;
}

/* Checks one header bucket; `other` is the opposite bucket or NULL. */
static int
check_bucket(const struct mindl_cbor_item *map,
    const struct mindl_cbor_item *other, int protected,
    struct mindl_cose_msg *m)
{
	struct mindl_cbor_iter i, ci;
	const struct mindl_cbor_item *k, *v, *c;
	int64_t label, cl;
	int r;

	if (mindl_cbor_iter_init(&i, map, MINDL_CBOR_MAP) != MINDL_OK)
		return MINDL_ERR_COSE_HEADER;
	while (mindl_cbor_iter_pair(&i, &k, &v)) {
		if (mindl_cbor_int(k, &label) != MINDL_OK) {
			/*
			 * Text labels: allowed, never critical for us, but
			 * no more than integers may they sit in both
			 * buckets (RFC 9052 section 3).
			 */
			if (other != NULL &&
			    mindl_cbor_map_get_key(other, k) != NULL)
				return MINDL_ERR_COSE_HEADER;
			continue;
		}
		if (other != NULL && mindl_cbor_map_get_int(other, label) != NULL)
			return MINDL_ERR_COSE_HEADER;
		switch (label) {
		case MINDL_COSE_HDR_ALG:
			if (!protected)
				return MINDL_ERR_COSE_ALG;
			if (mindl_cbor_int(v, &m->alg) != MINDL_OK)
				return MINDL_ERR_COSE_ALG;
			break;
		case MINDL_COSE_HDR_CRIT:
			/* RFC 9052 3.1: crit is protected, a non-empty array. */
			if (!protected || mindl_cbor_iter_init(&ci, v,
			    MINDL_CBOR_ARRAY) != MINDL_OK || v->u == 0)
				return MINDL_ERR_COSE_CRIT;
			while ((c = mindl_cbor_iter_next(&ci)) != NULL)
				if (mindl_cbor_int(c, &cl) != MINDL_OK ||
				    !understood(cl))
					return MINDL_ERR_COSE_CRIT;
			break;
		case MINDL_COSE_HDR_X5CHAIN:
			if ((r = parse_x5chain(v, m)) != MINDL_OK)
				return r;
			break;
		default:
			break;
		}
	}
	return MINDL_OK;
}

int
mindl_cose_parse(const struct mindl_cbor_item *it, struct mindl_cose_msg *m)
{
	const struct mindl_cbor_item *prot, *unprot, *payload, *tag, *pmap;
	struct mindl_cbor_iter i;
	int r = MINDL_ERR_INTERNAL;

	memset(m, 0, sizeof(*m));
	m->alg = 0;
	/* Accept the COSE_Sign1 (18) and COSE_Mac0 (17) tags, or none. */
	if (it != NULL && it->type == MINDL_CBOR_TAG &&
	    (it->u == 18 || it->u == 17))
		it = mindl_cbor_child(it);
	if (mindl_cbor_iter_init(&i, it, MINDL_CBOR_ARRAY) != MINDL_OK ||
	    it->u != 4) {
		r = MINDL_ERR_CBOR_TYPE;
		goto fail;
	}
	prot = mindl_cbor_iter_next(&i);
	unprot = mindl_cbor_iter_next(&i);
	payload = mindl_cbor_iter_next(&i);
	tag = mindl_cbor_iter_next(&i);
	if (prot->type != MINDL_CBOR_BSTR || unprot->type != MINDL_CBOR_MAP ||
	    (payload->type != MINDL_CBOR_BSTR &&
	    payload->type != MINDL_CBOR_NULL) || tag->type != MINDL_CBOR_BSTR) {
		r = MINDL_ERR_COSE_HEADER;
		goto fail;
	}
	m->prot = prot->ptr;
	m->protlen = prot->len;
	pmap = NULL;
	if (prot->len > 0) {
		if ((r = mindl_cbor_decode(prot->ptr, prot->len,
		    &m->protdoc)) != MINDL_OK) {
			mindl_log_debug("%s: protected header", __func__);
			goto fail;
		}
		pmap = mindl_cbor_root(m->protdoc);
		if ((r = check_bucket(pmap, unprot, 1, m)) != MINDL_OK)
			goto fail;
	}
	if ((r = check_bucket(unprot, NULL, 0, m)) != MINDL_OK)
		goto fail;
	/* The unprotected bucket may not carry crit either. */
	if (mindl_cbor_map_get_int(unprot, MINDL_COSE_HDR_CRIT) != NULL) {
		r = MINDL_ERR_COSE_CRIT;
		goto fail;
	}
	if (pmap == NULL || mindl_cbor_map_get_int(pmap,
	    MINDL_COSE_HDR_ALG) == NULL) {
		r = MINDL_ERR_COSE_ALG;
		goto fail;
	}
	if (payload->type == MINDL_CBOR_BSTR) {
		m->payload = payload->ptr;
		m->payloadlen = payload->len;
	}
	m->tag = tag->ptr;
	m->taglen = tag->len;
	return MINDL_OK;
 fail:
	mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_cose_clear(m);
	return r;
}

void
mindl_cose_clear(struct mindl_cose_msg *m)
{
	mindl_cbor_free(&m->protdoc);
	memset(m, 0, sizeof(*m));
}

/* Sig_structure / MAC_structure: [context, protected, h'', payload]. */
static int
tbs(const char *context, const uint8_t *prot, size_t protlen,
    const uint8_t *payload, size_t len, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 4);
	mindl_enc_tstr(&e, context);
	mindl_enc_bstr(&e, prot, protlen);
	mindl_enc_bstr(&e, NULL, 0);
	mindl_enc_bstr(&e, payload, len);
	return mindl_enc_finish(&e, out, outlen);
}

static int
pick_payload(const struct mindl_cose_msg *m, const uint8_t *detached,
    size_t dlen, const uint8_t **p, size_t *n)
{
	/* Exactly one of an attached and a detached payload. */
	if ((m->payload == NULL) == (detached == NULL))
		return MINDL_ERR_COSE_HEADER;
	*p = m->payload != NULL ? m->payload : detached;
	*n = m->payload != NULL ? m->payloadlen : dlen;
	return MINDL_OK;
}

int
mindl_cose_sign1_verify(const struct mindl_cose_msg *m,
    const struct mindl_key *key, const uint8_t *detached, size_t dlen)
{
	const uint8_t *p;
	uint8_t *buf = NULL;
	size_t n, buflen = 0;
	int r, want;

	if ((r = pick_payload(m, detached, dlen, &p, &n)) != MINDL_OK)
		return r;
	if (m->alg != MINDL_ALG_ES256 && m->alg != MINDL_ALG_ES384 &&
	    m->alg != MINDL_ALG_ES512 && m->alg != MINDL_ALG_EDDSA)
		return MINDL_ERR_COSE_ALG;
	if ((want = mindl_key_alg(key)) == 0)
		return MINDL_ERR_KEY;
	if (m->alg != want) {
		mindl_log_debug("%s: alg %lld for a key of alg %d", __func__,
		    (long long)m->alg, want);
		return MINDL_ERR_KEY_MISMATCH;
	}
	if ((r = tbs("Signature1", m->prot, m->protlen, p, n, &buf,
	    &buflen)) != MINDL_OK)
		return r;
	r = mindl_ecdsa_verify(key, buf, buflen, m->tag, m->taglen);
	free(buf);
	return r;
}

int
mindl_cose_mac0_verify(const struct mindl_cose_msg *m, const uint8_t *mackey,
    size_t mackeylen, const uint8_t *detached, size_t dlen)
{
	const uint8_t *p;
	uint8_t *buf = NULL, mac[MINDL_SHA256_LEN];
	size_t n, buflen = 0;
	int r;

	if ((r = pick_payload(m, detached, dlen, &p, &n)) != MINDL_OK)
		return r;
	if (m->alg != MINDL_ALG_HMAC256)
		return MINDL_ERR_COSE_ALG;
	if ((r = tbs("MAC0", m->prot, m->protlen, p, n, &buf,
	    &buflen)) != MINDL_OK)
		return r;
	r = mindl_hmac_sha256(mackey, mackeylen, buf, buflen, mac);
	free(buf);
	if (r != MINDL_OK)
		return r;
	if (m->taglen != sizeof(mac) || !mindl_ct_eq(mac, m->tag, sizeof(mac)))
		r = MINDL_ERR_DEVICE_AUTH;
	mindl_wipe(mac, sizeof(mac));
	return r;
}

/* Encoded protected header {1: alg}, with {16: typ} when typ is given. */
static int
prot_hdr(int64_t alg, const char *typ, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;

	mindl_enc_init(&e, 16 + (typ != NULL ? strlen(typ) : 0));
	mindl_enc_map(&e, typ != NULL ? 2 : 1);
	mindl_enc_int(&e, MINDL_COSE_HDR_ALG);
	mindl_enc_int(&e, alg);
	if (typ != NULL) {
		mindl_enc_int(&e, MINDL_COSE_HDR_TYP);
		mindl_enc_tstr(&e, typ);
	}
	return mindl_enc_finish(&e, out, outlen);
}

static int
prot_alg(int64_t alg, uint8_t **out, size_t *outlen)
{
	return prot_hdr(alg, NULL, out, outlen);
}

/* The one COSE_Sign1 writer behind mindl_cose_sign1_write{,_typ}. */
static int
sign1_write(struct mindl_enc *e, const struct mindl_signer *signer,
    const uint8_t *payload, size_t len, int detached, const uint8_t *x5,
    size_t x5len, const char *typ, int tagged)
{
	uint8_t *prot = NULL, *buf = NULL, sig[MINDL_MAX_SIG];
	size_t protlen = 0, buflen = 0, siglen = sizeof(sig);
	int r = MINDL_ERR_INTERNAL;

	if (signer == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = prot_hdr(signer->alg, typ, &prot, &protlen)) != MINDL_OK ||
	    (r = tbs("Signature1", prot, protlen, payload, len, &buf,
	    &buflen)) != MINDL_OK ||
	    (r = mindl_sign(signer, buf, buflen, sig, &siglen)) != MINDL_OK)
		goto fail;
	if (tagged)
		mindl_enc_tag(e, MINDL_COSE_TAG_SIGN1);
	mindl_enc_array(e, 4);
	mindl_enc_bstr(e, prot, protlen);
	if (x5 != NULL) {
		mindl_enc_map(e, 1);
		mindl_enc_int(e, MINDL_COSE_HDR_X5CHAIN);
		mindl_enc_bstr(e, x5, x5len);
	} else
		mindl_enc_map(e, 0);
	if (detached)
		mindl_enc_null(e);
	else
		mindl_enc_bstr(e, payload, len);
	mindl_enc_bstr(e, sig, siglen);
	r = e->err;
 fail:
	free(prot);
	free(buf);
	return r;
}

int
mindl_cose_sign1_write(struct mindl_enc *e, const struct mindl_signer *signer,
    const uint8_t *payload, size_t len, int detached, const uint8_t *x5,
    size_t x5len)
{
	return sign1_write(e, signer, payload, len, detached, x5, x5len, NULL,
	    0);
}

int
mindl_cose_sign1_write_typ(struct mindl_enc *e,
    const struct mindl_signer *signer, const char *typ,
    const uint8_t *payload, size_t len, const uint8_t *x5, size_t x5len)
{
	if (typ == NULL)
		return MINDL_ERR_INVALID_ARG;
	return sign1_write(e, signer, payload, len, 0, x5, x5len, typ, 1);
}

int
mindl_cose_mac0_write(struct mindl_enc *e, const uint8_t *mackey,
    size_t mackeylen, const uint8_t *payload, size_t len)
{
	uint8_t *prot = NULL, *buf = NULL, mac[MINDL_SHA256_LEN];
	size_t protlen = 0, buflen = 0;
	int r;

	if ((r = prot_alg(MINDL_ALG_HMAC256, &prot, &protlen)) != MINDL_OK ||
	    (r = tbs("MAC0", prot, protlen, payload, len, &buf,
	    &buflen)) != MINDL_OK ||
	    (r = mindl_hmac_sha256(mackey, mackeylen, buf, buflen,
	    mac)) != MINDL_OK)
		goto fail;
	mindl_enc_array(e, 4);
	mindl_enc_bstr(e, prot, protlen);
	mindl_enc_map(e, 0);
	mindl_enc_null(e);
	mindl_enc_bstr(e, mac, sizeof(mac));
	r = e->err;
 fail:
	mindl_wipe(mac, sizeof(mac));
	free(prot);
	free(buf);
	return r;
}

int
mindl_cose_key_write(struct mindl_enc *e, const struct mindl_key *key)
{
	uint8_t x[MINDL_MAX_COORD], y[MINDL_MAX_COORD];
	size_t n = 0;
	int r, crv;

	if ((crv = mindl_key_curve(key)) < 0)
		return crv;
	if (crv == MINDL_CRV_ED25519) {
		/* RFC 9053 7.2: {kty: OKP, crv: Ed25519, x} */
		if ((r = mindl_key_okp_x(key, x)) != MINDL_OK)
			return r;
		mindl_enc_map(e, 3);
		mindl_enc_int(e, 1);
		mindl_enc_int(e, 1);		/* kty: OKP */
		mindl_enc_int(e, -1);
		mindl_enc_int(e, crv);
		mindl_enc_int(e, -2);
		mindl_enc_bstr(e, x, MINDL_ED25519_LEN);
		return e->err;
	}
	if ((r = mindl_key_xy(key, x, y, &n)) != MINDL_OK)
		return r;
	mindl_enc_map(e, 4);
	mindl_enc_int(e, 1);
	mindl_enc_int(e, 2);		/* kty: EC2 */
	mindl_enc_int(e, -1);
	mindl_enc_int(e, crv);
	mindl_enc_int(e, -2);
	mindl_enc_bstr(e, x, n);
	mindl_enc_int(e, -3);
	mindl_enc_bstr(e, y, n);
	return e->err;
}

/*
 * OKP (RFC 9053 7.2): Ed25519 only (X25519 and the 448 curves are not
 * taken), x of 32 bytes, no y, no private d.
 */
static int
okp_key_parse(const struct mindl_cbor_item *it, struct mindl_key **out)
{
	struct mindl_cbor_rd rd;
	const struct mindl_cbor_item *crv, *x;
	int64_t c;
	int r;

	mindl_cbor_rd_init(&rd);
	crv = mindl_cbor_rd_get_int(&rd, it, -1, MINDL_CBOR_ANY);
	x = mindl_cbor_rd_get_int(&rd, it, -2, MINDL_CBOR_BSTR);
	if (rd.err != MINDL_OK || mindl_cbor_int(crv, &c) != MINDL_OK ||
	    c != MINDL_CRV_ED25519 || x->len != MINDL_ED25519_LEN ||
	    mindl_cbor_map_get_int(it, -3) != NULL ||
	    mindl_cbor_map_get_int(it, -4) != NULL) {
		mindl_log_debug("%s: not an Ed25519 public key", __func__);
		return MINDL_ERR_COSE_KEY;
	}
	if ((r = mindl_key_from_okp((int)c, x->ptr, x->len, out)) !=
	    MINDL_OK)
		return r == MINDL_ERR_NOMEM ? r : MINDL_ERR_COSE_KEY;
	return MINDL_OK;
}

int
mindl_cose_key_parse(const struct mindl_cbor_item *it, struct mindl_key **out)
{
	struct mindl_cbor_rd rd;
	const struct mindl_cbor_item *kty, *crv, *x, *y;
	int64_t c;
	int r;

	*out = NULL;
	mindl_cbor_rd_init(&rd);
	kty = mindl_cbor_rd_get_int(&rd, it, 1, MINDL_CBOR_UINT);
	if (rd.err == MINDL_OK && kty->u == 1)
		return okp_key_parse(it, out);
	crv = mindl_cbor_rd_get_int(&rd, it, -1, MINDL_CBOR_ANY);
	/* Compressed points (y as bool) are not used by ISO 18013-5 mdocs. */
	x = mindl_cbor_rd_get_int(&rd, it, -2, MINDL_CBOR_BSTR);
	y = mindl_cbor_rd_get_int(&rd, it, -3, MINDL_CBOR_BSTR);
	if (rd.err != MINDL_OK || kty->u != 2 ||
	    mindl_cbor_int(crv, &c) != MINDL_OK ||
	    c <= 0 || c > 0xffff || mindl_crv_coord_len((int)c) == 0) {
		/* ISO 18013-5 table 22: the NIST and brainpool curves. */
		mindl_log_debug("%s: not an EC2 key on a known curve",
		    __func__);
		return MINDL_ERR_COSE_KEY;
	}
	if (mindl_cbor_map_get_int(it, -4) != NULL) {
		mindl_log_debug("%s: private key material", __func__);
		return MINDL_ERR_COSE_KEY;
	}
	if (x->len != mindl_crv_coord_len((int)c) || y->len != x->len)
		return MINDL_ERR_COSE_KEY;
	if ((r = mindl_key_from_xy((int)c, x->ptr, x->len, y->ptr, y->len,
	    out)) != MINDL_OK)
		return r == MINDL_ERR_NOMEM ? r : MINDL_ERR_COSE_KEY;
	return MINDL_OK;
}

int
mindl_cose_key_decode(const uint8_t *p, size_t len, struct mindl_key **out)
{
	struct mindl_cbor *doc = NULL;
	int r;

	*out = NULL;
	if ((r = mindl_cbor_decode(p, len, &doc)) != MINDL_OK)
		return r;
	r = mindl_cose_key_parse(mindl_cbor_root(doc), out);
	mindl_cbor_free(&doc);
	return r;
}
