/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: reader authentication (ISO/IEC 18013-5 9.1.4): a request's
 * readerAuth, a COSE_Sign1 with detached payload ReaderAuthenticationBytes
 * = #6.24(bstr .cbor ["ReaderAuthentication", SessionTranscript,
 * ItemsRequestBytes]) and the reader certificate in x5chain; the holder's
 * DeviceEngagement that a signed request must cover; and the holder's
 * rule for what a reader may ask (mindl/mdoc.h).
 *
 * The holder rebuilds ReaderAuthenticationBytes from its own session
 * transcript and the ItemsRequestBytes exactly as received: a signature
 * made over another session or over other items does not verify.
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/cose.h"
#include "mindl/devauth.h"
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "mindl/trust.h"
#include "mindl/x509.h"
#include "internal.h"

int
mindl_reader_auth_bytes(const uint8_t *st_bytes, size_t stlen,
    const uint8_t *ib, size_t iblen, uint8_t **out, size_t *outlen)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *st;
	struct mindl_enc e;
	uint8_t *ra = NULL;
	size_t ralen = 0;
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
	mindl_enc_array(&e, 3);
	mindl_enc_tstr(&e, "ReaderAuthentication");
	mindl_enc_raw(&e, st->ptr, st->len);
	mindl_enc_raw(&e, ib, iblen);	/* as received, never re-encoded */
	mindl_cbor_free(&doc);
	if ((r = mindl_enc_finish(&e, &ra, &ralen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, ra, ralen);
	free(ra);
	return mindl_enc_finish(&e, out, outlen);
}

int
mindl_request_reader_auth_verify(const struct mindl_request *rq, size_t d,
    struct mindl_trust *trust, const uint8_t *st, size_t stlen, int64_t at,
    struct mindl_reader_info *ri)
{
	const struct mindl_cbor_item *ra, *ib;
	struct mindl_cose_msg m;
	struct mindl_x509_names nm;
	struct mindl_key *pub = NULL;
	uint8_t *rab = NULL;
	size_t rablen = 0;
	int r;

	memset(&m, 0, sizeof(m));
	if (ri != NULL)
		memset(ri, 0, sizeof(*ri));
	if (rq == NULL || trust == NULL || st == NULL || ri == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((ra = mindl_request_reader_auth(rq, d)) == NULL ||
	    (ib = mindl_request_items_bytes(rq, d)) == NULL)
		return MINDL_ERR_MISSING;
	if ((r = mindl_cose_parse(ra, &m)) != MINDL_OK)
		goto out;
	/* Detached: a payload in the message would be signed, not checked. */
	if (m.payload != NULL) {
		mindl_log_debug("%s: readerAuth payload not detached",
		    __func__);
		r = MINDL_ERR_READER_AUTH;
		goto out;
	}
	if (m.nx5 < 1) {
		r = MINDL_ERR_X5CHAIN;
		goto out;
	}
	if ((r = mindl_trust_verify_reader(trust, m.x5[0], m.x5len[0], at,
	    &pub)) != MINDL_OK)
		goto out;
	if ((r = mindl_reader_auth_bytes(st, stlen, ib->enc, ib->enclen, &rab,
	    &rablen)) != MINDL_OK)
		goto out;
	if ((r = mindl_cose_sign1_verify(&m, pub, rab, rablen)) != MINDL_OK) {
		if (r == MINDL_ERR_SIGNATURE)
			r = MINDL_ERR_READER_AUTH;
		goto out;
	}
	/* Who asks: the CN, untrusted text for the caller to escape. */
	if ((r = mindl_x509_names(m.x5[0], m.x5len[0], &nm)) != MINDL_OK)
		goto out;
	if (nm.cn_err == MINDL_OK)
		memcpy(ri->name, nm.cn, sizeof(ri->name));
	if ((r = mindl_x509_validity(m.x5[0], m.x5len[0], &ri->not_before,
	    &ri->not_after)) != MINDL_OK)
		goto out;
	r = mindl_x509_reader_profiles(m.x5[0], m.x5len[0], ri->profiles,
	    &ri->nprofiles);
	if (r == MINDL_ERR_MISSING)
		r = MINDL_OK;	/* another issuer's reader: no profile */
	if (r == MINDL_OK)
		ri->verified = 1;
 out:
	if (r != MINDL_OK) {
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
		memset(ri, 0, sizeof(*ri));
	}
	mindl_key_free(&pub);
	free(rab);
	mindl_cose_clear(&m);
	return r;
}

/*
 * What an unsigned request may get: the profiles that release a yes or no
 * on an age and a photo, nothing that names or locates a person.
 */
static const char *const unsigned_ok[] = { "age-18", "age-21" };

int
mindl_reader_authorise(const struct mindl_reader_info *ri,
    const struct mindl_request *rq, const struct mindl_profile *prof,
    int refuse_unsigned)
{
	const char *id, *ns, *el;
	size_t i;
	int retain;

	if (rq == NULL || prof == NULL)
		return MINDL_ERR_INVALID_ARG;
	id = mindl_profile_id(prof);
	if (ri == NULL || !ri->verified) {
		if (refuse_unsigned)
			return MINDL_ERR_READER_REQUIRED;
		for (i = 0; i < sizeof(unsigned_ok) / sizeof(unsigned_ok[0]);
		    i++)
			if (strcmp(id, unsigned_ok[i]) == 0)
				break;
		if (i == sizeof(unsigned_ok) / sizeof(unsigned_ok[0]))
			return MINDL_ERR_READER_REQUIRED;
	} else {
		for (i = 0; i < ri->nprofiles; i++)
			if (strcmp(id, ri->profiles[i]) == 0)
				break;
		if (i == ri->nprofiles)
			return MINDL_ERR_READER_NOT_AUTHORISED;
	}
	/*
	 * A declared intent to keep an element the profile lets no one
	 * keep (the portrait, for most) refuses the whole request: the
	 * holder should not answer a verifier that says it will break the
	 * rule.
	 */
	for (i = 0; i < mindl_request_count(rq); i++) {
		mindl_request_element(rq, i, &ns, &el, &retain);
		if (retain && mindl_profile_allows(prof, ns, el) &&
		    !mindl_profile_may_retain(prof, ns, el))
			return MINDL_ERR_RETAIN_REFUSED;
	}
	return MINDL_OK;
}

int
mindl_engagement_create(uint8_t **out, size_t *outlen)
{
	struct mindl_key *k = NULL;
	struct mindl_enc e;
	uint8_t *ck = NULL;
	size_t cklen = 0;
	int r;

	*out = NULL;
	*outlen = 0;
	if ((r = mindl_key_generate(&k)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, 4096);
	if ((r = mindl_cose_key_write(&e, k)) != MINDL_OK ||
	    (r = mindl_enc_finish(&e, &ck, &cklen)) != MINDL_OK)
		goto out;
	/* {0: "1.0", 1: [1, #6.24(bstr .cbor EDeviceKey)]}, as present.c */
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 2);
	mindl_enc_uint(&e, 0);
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_uint(&e, 1);
	mindl_enc_array(&e, 2);
	mindl_enc_uint(&e, 1);
	mindl_enc_embedded(&e, ck, cklen);
	r = mindl_enc_finish(&e, out, outlen);
 out:
	mindl_enc_clear(&e);
	mindl_key_free(&k);
	free(ck);
	return r;
}

int
mindl_engagement_check(const uint8_t *buf, size_t len)
{
	struct mindl_cbor *doc = NULL, *kdoc = NULL;
	const struct mindl_cbor_item *root, *k, *v, *sec, *ver;
	struct mindl_cbor_iter it;
	struct mindl_key *key = NULL;
	int r = MINDL_ERR_ENGAGEMENT;

	if (len > 1024)
		return MINDL_ERR_TOO_LARGE;
	if ((r = mindl_cbor_decode(buf, len, &doc)) != MINDL_OK)
		return r;
	r = MINDL_ERR_ENGAGEMENT;
	root = mindl_cbor_root(doc);
	if (root->type != MINDL_CBOR_MAP || root->u != 2)
		goto out;
	ver = sec = NULL;
	(void)mindl_cbor_iter_init(&it, root, MINDL_CBOR_MAP);
	while (mindl_cbor_iter_pair(&it, &k, &v)) {
		if (k->type != MINDL_CBOR_UINT)
			goto out;
		if (k->u == 0)
			ver = v;
		else if (k->u == 1)
			sec = v;
	}
	if (ver == NULL || sec == NULL || ver->type != MINDL_CBOR_TSTR ||
	    ver->len != 3 || memcmp(ver->ptr, "1.0", 3) != 0 ||
	    sec->type != MINDL_CBOR_ARRAY || sec->u != 2)
		goto out;
	(void)mindl_cbor_iter_init(&it, sec, MINDL_CBOR_ARRAY);
	k = mindl_cbor_iter_next(&it);
	v = mindl_cbor_iter_next(&it);
	if (k == NULL || v == NULL || k->type != MINDL_CBOR_UINT ||
	    k->u != 1 || (v = mindl_cbor_untag(v, 24)) == NULL ||
	    v->type != MINDL_CBOR_BSTR)
		goto out;
	if (mindl_cose_key_decode(v->ptr, v->len, &key) != MINDL_OK)
		goto out;
	r = MINDL_OK;
 out:
	mindl_key_free(&key);
	mindl_cbor_free(&kdoc);
	mindl_cbor_free(&doc);
	return r;
}
