/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: device authentication, both sides (see mindl/devauth.h).
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/cbor.h"
#include "mindl/cose.h"
#include "mindl/devauth.h"
#include "mindl/err.h"
#include "mindl/key.h"
#include "internal.h"

/* DeviceNameSpacesBytes for no device-signed elements: #6.24(h'a0'). */
static const uint8_t empty_dns[] = { 0xd8, 0x18, 0x41, 0xa0 };

int
mindl_transcript_bytes(const uint8_t *de, size_t delen, const uint8_t *erk,
    size_t erklen, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t *st = NULL;
	size_t stlen = 0;
	int r;

	*out = NULL;
	*outlen = 0;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 3);
	mindl_enc_embedded(&e, de, delen);
	mindl_enc_embedded(&e, erk, erklen);
	mindl_enc_null(&e);	/* Handover: null for QR engagement */
	if ((r = mindl_enc_finish(&e, &st, &stlen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, st, stlen);
	free(st);
	return mindl_enc_finish(&e, out, outlen);
}

int
mindl_devauth_bytes(const uint8_t *st_bytes, size_t stlen,
    const char *doctype, size_t doctypelen, const uint8_t *dns, size_t dnslen,
    uint8_t **out, size_t *outlen)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *st;
	struct mindl_enc e;
	uint8_t *da = NULL;
	size_t dalen = 0;
	int r;

	*out = NULL;
	*outlen = 0;
	/* SessionTranscriptBytes is #6.24(bstr .cbor SessionTranscript). */
	if ((r = mindl_cbor_decode(st_bytes, stlen, &doc)) != MINDL_OK)
		return r;
	if ((st = mindl_cbor_untag(mindl_cbor_root(doc), 24)) == NULL) {
		mindl_cbor_free(&doc);
		return MINDL_ERR_CBOR_TAG;
	}
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 4);
	mindl_enc_tstr(&e, "DeviceAuthentication");
	mindl_enc_raw(&e, st->ptr, st->len);
	mindl_enc_tstrn(&e, doctype, doctypelen);
	mindl_enc_raw(&e, dns, dnslen);
	mindl_cbor_free(&doc);
	if ((r = mindl_enc_finish(&e, &da, &dalen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, da, dalen);
	free(da);
	return mindl_enc_finish(&e, out, outlen);
}

int
mindl_static_transcript(uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t nonce[MINDL_STATIC_NONCE_LEN], *st = NULL;
	size_t stlen = 0;
	int r;

	*out = NULL;
	*outlen = 0;
	if ((r = mindl_random(nonce, sizeof(nonce))) != MINDL_OK)
		return r;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 3);
	mindl_enc_null(&e);	/* no engagement: nothing was scanned back */
	mindl_enc_null(&e);	/* no reader key: nothing is encrypted */
	mindl_enc_array(&e, 2);
	mindl_enc_tstr(&e, MINDL_STATIC_HANDOVER);
	mindl_enc_bstr(&e, nonce, sizeof(nonce));
	if ((r = mindl_enc_finish(&e, &st, &stlen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, st, stlen);
	free(st);
	return mindl_enc_finish(&e, out, outlen);
}

int
mindl_static_devauth_bytes(const uint8_t *st, size_t stlen,
    const char *doctype, size_t doctypelen, uint8_t **out, size_t *outlen)
{
	return mindl_devauth_bytes(st, stlen, doctype, doctypelen, empty_dns,
	    sizeof(empty_dns), out, outlen);
}

int
mindl_emac_key(const struct mindl_key *priv, const struct mindl_key *pub,
    const uint8_t *st_bytes, size_t stlen, uint8_t out[32])
{
	uint8_t z[MINDL_MAX_COORD], salt[MINDL_SHA256_LEN];
	size_t zlen = sizeof(z);
	int r;

	if (mindl_key_curve(priv) != mindl_key_curve(pub))
		return MINDL_ERR_KEY;
	if ((r = mindl_ecdh(priv, pub, z, &zlen)) != MINDL_OK ||
	    (r = mindl_sha256(st_bytes, stlen, salt)) != MINDL_OK)
		goto out;
	r = mindl_hkdf_sha256(salt, sizeof(salt), z, zlen,
	    (const uint8_t *)"EMacKey", 7, out, 32);
 out:
	mindl_wipe(z, sizeof(z));
	return r;
}

struct mindl_device_signed {
	const struct mindl_cbor_item	*ns_bytes;
	const struct mindl_cbor_item	*ns;
	struct mindl_cbor		*nsdoc;
	enum mindl_devauth		 kind;
	struct mindl_cose_msg		 msg;
	int				 fido2;
	const struct mindl_cbor_item	*fido_ad;	/* bstr: authData */
	const struct mindl_cbor_item	*fido_sig;	/* bstr: r || s */
};

void
mindl_device_signed_free(struct mindl_device_signed **dsp)
{
	struct mindl_device_signed *ds;

	if (dsp == NULL || (ds = *dsp) == NULL)
		return;
	mindl_cose_clear(&ds->msg);
	mindl_cbor_free(&ds->nsdoc);
	free(ds);
	*dsp = NULL;
}

/* DeviceNameSpaces = {* NameSpace => {* DataElementIdentifier => any}} */
static void
check_device_ns(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *ns)
{
	struct mindl_cbor_iter i, j;
	const struct mindl_cbor_item *k, *v, *ek, *ev;

	if (mindl_cbor_iter_init(&i, ns, MINDL_CBOR_MAP) != MINDL_OK) {
		(void)mindl_cbor_rd_type(rd, ns, MINDL_CBOR_MAP,
		    "DeviceNameSpaces");
		return;
	}
	while (rd->err == MINDL_OK && mindl_cbor_iter_pair(&i, &k, &v)) {
		(void)mindl_cbor_rd_type(rd, k, MINDL_CBOR_TSTR,
		    "DeviceNameSpaces");
		if (mindl_cbor_iter_init(&j, v, MINDL_CBOR_MAP) != MINDL_OK) {
			(void)mindl_cbor_rd_type(rd, v, MINDL_CBOR_MAP,
			    "DeviceSignedItems");
			return;
		}
		while (mindl_cbor_iter_pair(&j, &ek, &ev))
			(void)mindl_cbor_rd_type(rd, ek, MINDL_CBOR_TSTR,
			    "DeviceSignedItems");
	}
}

/* DeviceSigned's nameSpaces, and its deviceAuth map (rd's error if not). */
static const struct mindl_cbor_item *
parse_ns(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *dsi,
    struct mindl_device_signed *ds)
{
	(void)mindl_cbor_rd_type(rd, dsi, MINDL_CBOR_MAP, "DeviceSigned");
	ds->ns_bytes = mindl_cbor_rd_get(rd, dsi, "nameSpaces",
	    MINDL_CBOR_ANY);
	ds->ns = mindl_cbor_rd_embedded(rd, ds->ns_bytes, &ds->nsdoc,
	    "DeviceNameSpacesBytes");
	if (ds->ns != NULL)
		check_device_ns(rd, ds->ns);
	return mindl_cbor_rd_get(rd, dsi, "deviceAuth", MINDL_CBOR_MAP);
}

int
mindl_device_signed_parse(const struct mindl_cbor_item *dsi,
    struct mindl_device_signed **out)
{
	struct mindl_cbor_rd rd;
	struct mindl_device_signed *ds = NULL;
	const struct mindl_cbor_item *da, *sig, *mac;
	int r;

	*out = NULL;
	mindl_cbor_rd_init(&rd);
	if ((ds = mindl_calloc(1, sizeof(*ds))) == NULL)
		return MINDL_ERR_NOMEM;
	/*
	 * The FIDO2 extension's deviceAuth has neither key: refused here as
	 * MINDL_ERR_MISSING, as any ISO/IEC 18013-5 reader refuses it.
	 */
	da = parse_ns(&rd, dsi, ds);
	sig = mindl_cbor_rd_opt(&rd, da, "deviceSignature", MINDL_CBOR_ANY);
	mac = mindl_cbor_rd_opt(&rd, da, "deviceMac", MINDL_CBOR_ANY);
	if (rd.err == MINDL_OK && ((sig == NULL) == (mac == NULL) ||
	    da->u != 1))
		mindl_cbor_rd_fail(&rd, MINDL_ERR_MISSING, "deviceAuth");
	if ((r = rd.err) != MINDL_OK)
		goto fail;
	ds->kind = sig != NULL ? MINDL_DEVAUTH_SIGNATURE : MINDL_DEVAUTH_MAC;
	if ((r = mindl_cose_parse(sig != NULL ? sig : mac, &ds->msg)) !=
	    MINDL_OK)
		goto fail;
	if (ds->msg.payload != NULL) {
		/* 9.1.3.4 and 9.1.3.5: the payload is detached (null). */
		r = MINDL_ERR_COSE_HEADER;
		goto fail;
	}
	*out = ds;
	ds = NULL;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_device_signed_free(&ds);
	return r;
}

enum mindl_devauth
mindl_device_signed_kind(const struct mindl_device_signed *ds)
{
	return ds->kind;
}

const struct mindl_cbor_item *
mindl_device_signed_ns_bytes(const struct mindl_device_signed *ds)
{
	return ds->ns_bytes;
}

const struct mindl_cbor_item *
mindl_device_signed_ns(const struct mindl_device_signed *ds)
{
	return ds->ns;
}

const struct mindl_cose_msg *
mindl_device_signed_auth(const struct mindl_device_signed *ds)
{
	return &ds->msg;
}

int
mindl_device_signed_verify(const struct mindl_device_signed *ds,
    const struct mindl_key *device_key, const struct mindl_cbor_item *doctype,
    const uint8_t *st, size_t stlen, const struct mindl_key *reader_key)
{
	uint8_t *dab = NULL, mackey[32];
	size_t dablen = 0;
	int r;

	if (doctype == NULL || doctype->type != MINDL_CBOR_TSTR)
		return MINDL_ERR_INVALID_ARG;
	if (ds->fido2) {
		mindl_log_debug("%s: a FIDO2 DeviceSigned needs its rpId",
		    __func__);
		return MINDL_ERR_DEVICE_AUTH;
	}
	if ((r = mindl_devauth_bytes(st, stlen, (const char *)doctype->ptr,
	    doctype->len, ds->ns_bytes->enc, ds->ns_bytes->enclen, &dab,
	    &dablen)) != MINDL_OK)
		return r;
	if (ds->kind == MINDL_DEVAUTH_SIGNATURE) {
		r = mindl_cose_sign1_verify(&ds->msg, device_key, dab, dablen);
		if (r == MINDL_ERR_SIGNATURE)
			r = MINDL_ERR_DEVICE_AUTH;
	} else if (reader_key == NULL || !mindl_key_is_private(reader_key)) {
		mindl_log_debug("%s: deviceMac needs the reader key", __func__);
		r = MINDL_ERR_DEVICE_AUTH;
	} else {
		if ((r = mindl_emac_key(reader_key, device_key, st, stlen,
		    mackey)) == MINDL_OK)
			r = mindl_cose_mac0_verify(&ds->msg, mackey,
			    sizeof(mackey), dab, dablen);
		mindl_wipe(mackey, sizeof(mackey));
	}
	free(dab);
	return r;
}

int
mindl_device_signed_write(struct mindl_enc *e,
    const struct mindl_devauth_params *p, const char *doctype,
    const uint8_t *st, size_t stlen)
{
	uint8_t *dab = NULL, mackey[32];
	size_t dablen = 0;
	int r;

	if ((r = mindl_devauth_bytes(st, stlen, doctype, strlen(doctype),
	    empty_dns, sizeof(empty_dns), &dab, &dablen)) != MINDL_OK)
		return r;
	mindl_enc_map(e, 2);
	mindl_enc_tstr(e, "nameSpaces");
	mindl_enc_raw(e, empty_dns, sizeof(empty_dns));
	mindl_enc_tstr(e, "deviceAuth");
	mindl_enc_map(e, 1);
	if (p->auth == MINDL_DEVAUTH_SIGNATURE) {
		mindl_enc_tstr(e, "deviceSignature");
		r = mindl_cose_sign1_write(e, p->signer, dab, dablen, 1, NULL,
		    0);
	} else if (p->auth == MINDL_DEVAUTH_MAC) {
		mindl_enc_tstr(e, "deviceMac");
		if ((r = mindl_emac_key(p->device_key, p->ereader, st, stlen,
		    mackey)) == MINDL_OK)
			r = mindl_cose_mac0_write(e, mackey, sizeof(mackey),
			    dab, dablen);
		mindl_wipe(mackey, sizeof(mackey));
	} else
		r = MINDL_ERR_INVALID_ARG;
	free(dab);
	return r;
}

/*
 * The FIDO2 extension (mindl/devauth.h, DESIGN.md 3.1).  Its own parser,
 * so that only a verifier whose policy asks for a security key accepts
 * it, and mindl_device_signed_parse keeps to the standard.
 */
int
mindl_device_signed_parse_fido2(const struct mindl_cbor_item *dsi,
    struct mindl_device_signed **out)
{
	struct mindl_cbor_rd rd;
	struct mindl_device_signed *ds = NULL;
	const struct mindl_cbor_item *da, *f;
	int r;

	*out = NULL;
	mindl_cbor_rd_init(&rd);
	if ((ds = mindl_calloc(1, sizeof(*ds))) == NULL)
		return MINDL_ERR_NOMEM;
	da = parse_ns(&rd, dsi, ds);
	f = mindl_cbor_rd_get(&rd, da, MINDL_DEVAUTH_FIDO2_KEY,
	    MINDL_CBOR_MAP);
	if (rd.err == MINDL_OK && da->u != 1)
		mindl_cbor_rd_fail(&rd, MINDL_ERR_MISSING, "deviceAuth");
	ds->fido_ad = mindl_cbor_rd_get(&rd, f, "authData", MINDL_CBOR_BSTR);
	ds->fido_sig = mindl_cbor_rd_get(&rd, f, "sig", MINDL_CBOR_BSTR);
	if (rd.err == MINDL_OK && f->u != 2)
		mindl_cbor_rd_fail(&rd, MINDL_ERR_CBOR_TYPE,
		    MINDL_DEVAUTH_FIDO2_KEY);
	if ((r = rd.err) != MINDL_OK)
		goto fail;
	ds->fido2 = 1;
	ds->kind = MINDL_DEVAUTH_FIDO2;
	*out = ds;
	ds = NULL;
 fail:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	mindl_device_signed_free(&ds);
	return r;
}

int
mindl_device_signed_fido2(const struct mindl_device_signed *ds,
    const uint8_t **authdata, size_t *alen, const uint8_t **sig,
    size_t *slen)
{
	*authdata = *sig = NULL;
	*alen = *slen = 0;
	if (!ds->fido2)
		return MINDL_ERR_INVALID_ARG;
	*authdata = ds->fido_ad->ptr;
	*alen = ds->fido_ad->len;
	*sig = ds->fido_sig->ptr;
	*slen = ds->fido_sig->len;
	return MINDL_OK;
}

int
mindl_device_signed_verify_fido2(const struct mindl_device_signed *ds,
    const struct mindl_key *device_key, const struct mindl_cbor_item *doctype,
    const uint8_t *st, size_t stlen, const char *rpid, int require_uv)
{
	uint8_t *dab = NULL;
	size_t dablen = 0;
	int r;

	if (!ds->fido2 || doctype == NULL || doctype->type != MINDL_CBOR_TSTR)
		return MINDL_ERR_INVALID_ARG;
	/* DeviceAuthenticationBytes recomputed: nothing taken on trust. */
	if ((r = mindl_devauth_bytes(st, stlen, (const char *)doctype->ptr,
	    doctype->len, ds->ns_bytes->enc, ds->ns_bytes->enclen, &dab,
	    &dablen)) != MINDL_OK)
		return r;
	r = mindl_fido_verify(ds->fido_ad->ptr, ds->fido_ad->len,
	    ds->fido_sig->ptr, ds->fido_sig->len, rpid, dab, dablen,
	    device_key, require_uv);
	free(dab);
	return r;
}
