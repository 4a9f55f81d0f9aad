/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: FIDO2 holder binding (mindl/fido.h and the DeviceSigned
 * extension of mindl/devauth.h), end to end through libfido2 with a
 * software CTAP2 authenticator (tests/fido/softauth.c) behind libfido2's
 * I/O hooks and, separately, its transport hooks.
 *
 * A credential is made on the authenticator and bound as the MSO's
 * device key; the key then answers getAssertion over SHA-256 of the
 * DeviceAuthenticationBytes through the production functions, and the
 * verifier checks the answer with the key taken back out of the MSO.
 * Then each refusal, with its named error: an assertion over another
 * session, with user presence clear, for another rpId, with bytes after
 * authData, by another key, synced (BE/BS), without UV when UV is
 * required; authData cut short or with AT set; a garbage signature.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mindl/mindl.h"
#include "mindl/devauth.h"
#include "mindl/fido.h"
#include "mindl/mso.h"
#include "internal.h"
#include "unit.h"
#include "../common/testfx.h"
#include "../fido/softauth.h"

#define RPID		"mdl.dmv.example"
#define DOCTYPE		MINDL_DOCTYPE_MDL

/* DeviceNameSpacesBytes with no elements: #6.24(h'a0'). */
static const uint8_t empty_dns[] = { 0xd8, 0x18, 0x41, 0xa0 };

static struct test_fx fx;
static struct softauth *sa;
static struct mindl_fido_dev *dev;
static struct mindl_fido_cred cred;
static struct mindl_key *mso_key;	/* the device key, out of the MSO */
static uint8_t *credbuf;
static size_t credlen;

/* SessionTranscriptBytes for a fresh session: a new reader key. */
static int
session(uint8_t **st, size_t *stlen)
{
	static const uint8_t de[] = { 0xa1, 0x00, 0x63, '1', '.', '0' };
	struct mindl_key *k = NULL;
	struct mindl_enc e;
	uint8_t *erk = NULL;
	size_t erklen = 0;
	int r;

	if ((r = mindl_key_generate(&k)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, 1024);
	if ((r = mindl_cose_key_write(&e, k)) != MINDL_OK)
		mindl_enc_clear(&e);
	else if ((r = mindl_enc_finish(&e, &erk, &erklen)) == MINDL_OK)
		r = mindl_transcript_bytes(de, sizeof(de), erk, erklen, st,
		    stlen);
	free(erk);
	mindl_key_free(&k);
	return r;
}

/* DeviceAuthenticationBytes of a fresh session. */
static int
devauth_bytes(uint8_t **da, size_t *dalen)
{
	uint8_t *st = NULL;
	size_t stlen = 0;
	int r;

	if ((r = session(&st, &stlen)) != MINDL_OK)
		return r;
	r = mindl_devauth_bytes(st, stlen, DOCTYPE, strlen(DOCTYPE),
	    empty_dns, sizeof(empty_dns), da, dalen);
	free(st);
	return r;
}

static void
signer(struct mindl_fido_signer *s, struct mindl_fido_dev *d,
    const struct mindl_fido_cred *c)
{
	memset(s, 0, sizeof(*s));
	s->dev = d;
	s->rpid = RPID;
	s->cred_id = c->id;
	s->cred_idlen = c->idlen;
}

/* The MSO's device key of the first document of a credential file. */
static int
mso_device_key(const uint8_t *buf, size_t len, struct mindl_key **out)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_document *d = NULL;
	const struct mindl_cbor_item *docs = NULL, *eng = NULL;
	int r;

	if ((r = mindl_cbor_decode(buf, len, &doc)) != MINDL_OK)
		return r;
	if ((r = mindl_file_documents(mindl_cbor_root(doc), &docs, &eng)) ==
	    MINDL_OK && (r = mindl_document_parse(mindl_cbor_child(docs), 0,
	    &d)) == MINDL_OK)
		r = mindl_mso_device_key(mindl_issuer_signed_mso(
		    mindl_document_issuer_signed(d)), out);
	mindl_document_free(&d);
	mindl_cbor_free(&doc);
	return r;
}

static int
setup(void)
{
	struct mindl_issue_params p;
	int r;

	if ((r = test_fx_setup(&fx)) != MINDL_OK)
		return r;
	if (softauth_new(SOFTAUTH_HID, &sa) != 0)
		return MINDL_ERR_INTERNAL;
	if ((r = mindl_fido_dev_open_with(softauth_open, sa, &dev)) !=
	    MINDL_OK ||
	    (r = mindl_fido_enroll(dev, RPID, NULL, 0, NULL, &cred)) !=
	    MINDL_OK)
		return r;
	/* The desk binds the security key's public key in the MSO. */
	test_fx_params(&fx, &p);
	p.device_pub = cred.pub;
	if ((r = test_issue(&p, fx.ds_key, &credbuf, &credlen, NULL)) !=
	    MINDL_OK)
		return r;
	return mso_device_key(credbuf, credlen, &mso_key);
}

static void
teardown(void)
{
	mindl_key_free(&mso_key);
	free(credbuf);
	mindl_fido_cred_clear(&cred);
	mindl_fido_dev_free(&dev);
	softauth_free(&sa);
	test_fx_free(&fx);
}

/* An assertion over da from the fixture's key, with fault f. */
static int
assertion(enum softauth_fault f, const uint8_t *da, size_t dalen,
    struct mindl_fido_assertion *a)
{
	struct mindl_fido_signer s;
	int r;

	signer(&s, dev, &cred);
	softauth_set_fault(sa, f);
	r = mindl_fido_assert(&s, da, dalen, a);
	softauth_set_fault(sa, SOFTAUTH_OK);
	return r;
}

static int
verify(const struct mindl_fido_assertion *a, const uint8_t *da,
    size_t dalen)
{
	return mindl_fido_verify(a->authdata, a->authdatalen, a->sig,
	    a->siglen, RPID, da, dalen, mso_key, 0);
}

static void
enrolled(void)
{
	CHECK(cred.id != NULL && cred.idlen == 32);
	CHECK(cred.pub != NULL && mindl_key_curve(cred.pub) == MINDL_CRV_P256);
	CHECK(!mindl_key_is_private(cred.pub));
	/* The MSO carries the security key's public key. */
	CHECK(mso_key != NULL && mindl_key_same_public(mso_key, cred.pub));
}

static void
bound_credential_verifies(void)
{
	struct mindl_fido_assertion a;
	uint8_t *da = NULL;
	size_t dalen = 0;

	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	CHECK_ERR(assertion(SOFTAUTH_OK, da, dalen, &a), MINDL_OK);
	/* libfido2 1.12 hands out a CBOR bstr: 39 bytes, unwrapped to 37. */
	CHECK(a.authdatalen == MINDL_FIDO_AUTHDATA_LEN);
	CHECK(a.siglen == MINDL_FIDO_SIG_LEN);
	CHECK((a.authdata[32] & MINDL_FIDO_UP) != 0);
	CHECK_ERR(verify(&a, da, dalen), MINDL_OK);
	/* The same with UV required: the key did not verify the user. */
	CHECK_ERR(mindl_fido_verify(a.authdata, a.authdatalen, a.sig,
	    a.siglen, RPID, da, dalen, mso_key, 1), MINDL_ERR_FIDO_PRESENCE);
	free(da);
}

/* The same through the transport hooks (no CTAPHID framing). */
static void
transport_hooks(void)
{
	struct softauth *sa2 = NULL;
	struct mindl_fido_dev *d2 = NULL;
	struct mindl_fido_cred c2;
	struct mindl_fido_signer s;
	struct mindl_fido_assertion a;
	uint8_t *da = NULL;
	size_t dalen = 0;

	memset(&c2, 0, sizeof(c2));
	CHECK(softauth_new(SOFTAUTH_TRANSPORT, &sa2) == 0);
	CHECK_ERR(mindl_fido_dev_open_with(softauth_open, sa2, &d2),
	    MINDL_OK);
	CHECK_ERR(mindl_fido_enroll(d2, RPID, (const uint8_t *)"u", 1, NULL,
	    &c2), MINDL_OK);
	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	if (c2.pub != NULL) {
		signer(&s, d2, &c2);
		CHECK_ERR(mindl_fido_assert(&s, da, dalen, &a), MINDL_OK);
		CHECK_ERR(mindl_fido_verify(a.authdata, a.authdatalen, a.sig,
		    a.siglen, RPID, da, dalen, c2.pub, 0), MINDL_OK);
		/* This key's assertion is not the MSO key's. */
		CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_DEVICE_AUTH);
		CHECK(softauth_reports(sa2) == 0);
	}
	CHECK(softauth_reports(sa) > 0);
	free(da);
	mindl_fido_cred_clear(&c2);
	mindl_fido_dev_free(&d2);
	softauth_free(&sa2);
}

/*
 * Wrapped credential ids (softauth_set_master): a credential made on one
 * authenticator instance answers on another with the same master key, as
 * a stateless key does across runs; one with another master key, or for
 * another rpId, finds no credential.
 */
static void
wrapped_ids(void)
{
	static const uint8_t k1[32] = { 1 }, k2[32] = { 2 };
	struct softauth *s1 = NULL, *s2 = NULL, *s3 = NULL;
	struct mindl_fido_dev *d1 = NULL, *d2 = NULL, *d3 = NULL;
	struct mindl_fido_cred c;
	struct mindl_fido_signer s;
	struct mindl_fido_assertion a;
	uint8_t *da = NULL;
	size_t dalen = 0;

	memset(&c, 0, sizeof(c));
	CHECK(softauth_new(SOFTAUTH_HID, &s1) == 0);
	CHECK(softauth_new(SOFTAUTH_HID, &s2) == 0);
	CHECK(softauth_new(SOFTAUTH_TRANSPORT, &s3) == 0);
	if (s1 == NULL || s2 == NULL || s3 == NULL)
		goto out;
	softauth_set_master(s1, k1);
	softauth_set_master(s2, k1);
	softauth_set_master(s3, k2);
	CHECK_ERR(mindl_fido_dev_open_with(softauth_open, s1, &d1), MINDL_OK);
	CHECK_ERR(mindl_fido_enroll(d1, RPID, NULL, 0, NULL, &c), MINDL_OK);
	mindl_fido_dev_free(&d1);
	softauth_free(&s1);
	CHECK(c.idlen == 125);
	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	CHECK_ERR(mindl_fido_dev_open_with(softauth_open, s2, &d2), MINDL_OK);
	CHECK_ERR(mindl_fido_dev_open_with(softauth_open, s3, &d3), MINDL_OK);
	if (c.pub == NULL || da == NULL || d2 == NULL || d3 == NULL)
		goto out;
	signer(&s, d2, &c);
	CHECK_ERR(mindl_fido_assert(&s, da, dalen, &a), MINDL_OK);
	CHECK_ERR(mindl_fido_verify(a.authdata, a.authdatalen, a.sig,
	    a.siglen, RPID, da, dalen, c.pub, 0), MINDL_OK);
	s.rpid = SOFTAUTH_OTHER_RPID;
	CHECK_ERR(mindl_fido_assert(&s, da, dalen, &a),
	    MINDL_ERR_NOT_DEVICE_KEY);
	signer(&s, d3, &c);
	CHECK_ERR(mindl_fido_assert(&s, da, dalen, &a),
	    MINDL_ERR_NOT_DEVICE_KEY);
 out:
	free(da);
	mindl_fido_cred_clear(&c);
	mindl_fido_dev_free(&d1);
	mindl_fido_dev_free(&d2);
	mindl_fido_dev_free(&d3);
	softauth_free(&s1);
	softauth_free(&s2);
	softauth_free(&s3);
}

static void
other_challenge(void)
{
	struct mindl_fido_assertion a;
	uint8_t *da = NULL, *da2 = NULL;
	size_t dalen = 0, da2len = 0;

	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	CHECK_ERR(devauth_bytes(&da2, &da2len), MINDL_OK);
	CHECK_ERR(assertion(SOFTAUTH_OK, da, dalen, &a), MINDL_OK);
	CHECK_ERR(verify(&a, da2, da2len), MINDL_ERR_DEVICE_AUTH);
	free(da);
	free(da2);
}

static void
presence(void)
{
	struct mindl_fido_assertion a;
	uint8_t *da = NULL;
	size_t dalen = 0;

	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	/* A key that signs with UP clear (what up=false gets). */
	CHECK_ERR(assertion(SOFTAUTH_NO_UP, da, dalen, &a), MINDL_OK);
	CHECK(a.authdata[32] == 0);
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_FIDO_PRESENCE);
	/* The holder refuses to touch the key. */
	CHECK_ERR(assertion(SOFTAUTH_DENY, da, dalen, &a),
	    MINDL_ERR_FIDO_PRESENCE);
	/* UV when required: a key that verified the user passes. */
	CHECK_ERR(assertion(SOFTAUTH_UV, da, dalen, &a), MINDL_OK);
	CHECK_ERR(mindl_fido_verify(a.authdata, a.authdatalen, a.sig,
	    a.siglen, RPID, da, dalen, mso_key, 1), MINDL_OK);
	free(da);
}

static void
rpid(void)
{
	struct mindl_fido_assertion a;
	struct mindl_fido_signer s;
	uint8_t *da = NULL;
	size_t dalen = 0;

	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	/* The key answers for another rpId. */
	CHECK_ERR(assertion(SOFTAUTH_WRONG_RPID, da, dalen, &a), MINDL_OK);
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_FIDO_RPID);
	/* A verifier whose policy names another rpId. */
	CHECK_ERR(assertion(SOFTAUTH_OK, da, dalen, &a), MINDL_OK);
	CHECK_ERR(mindl_fido_verify(a.authdata, a.authdatalen, a.sig,
	    a.siglen, SOFTAUTH_OTHER_RPID, da, dalen, mso_key, 0),
	    MINDL_ERR_FIDO_RPID);
	/* A holder asking for another rpId: the key has no such credential. */
	signer(&s, dev, &cred);
	s.rpid = SOFTAUTH_OTHER_RPID;
	CHECK_ERR(mindl_fido_assert(&s, da, dalen, &a),
	    MINDL_ERR_NOT_DEVICE_KEY);
	free(da);
}

static void
extra_authdata(void)
{
	struct mindl_fido_assertion a, ok;
	uint8_t *da = NULL;
	size_t dalen = 0;

	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	/* Signed bytes after authData, ED clear: libfido2 passes them on. */
	CHECK_ERR(assertion(SOFTAUTH_TAIL, da, dalen, &a), MINDL_OK);
	CHECK(a.authdatalen == MINDL_FIDO_AUTHDATA_LEN + 4);
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_FIDO_AUTHDATA);
	/* ED set over bytes that are no CBOR map: libfido2 refuses them. */
	CHECK_ERR(assertion(SOFTAUTH_ED_GARBAGE, da, dalen, &a),
	    MINDL_ERR_FIDO);
	/* ... and so does the verifier, given them. */
	CHECK_ERR(assertion(SOFTAUTH_OK, da, dalen, &ok), MINDL_OK);
	a = ok;
	a.authdata[32] |= MINDL_FIDO_ED;
	a.authdata[37] = 0xff;
	a.authdata[38] = 0x00;
	a.authdatalen = 39;
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_FIDO_AUTHDATA);
	/* ED set with nothing after. */
	a = ok;
	a.authdata[32] |= MINDL_FIDO_ED;
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_FIDO_AUTHDATA);
	/* ED with one well-formed map after it: the key's extensions. */
	CHECK_ERR(assertion(SOFTAUTH_ED_MAP, da, dalen, &a), MINDL_OK);
	CHECK(a.authdatalen == MINDL_FIDO_AUTHDATA_LEN + 6);
	CHECK_ERR(verify(&a, da, dalen), MINDL_OK);
	/* ... and a byte after the map. */
	a.authdata[a.authdatalen++] = 0x00;
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_FIDO_AUTHDATA);
	free(da);
}

static void
other_key(void)
{
	struct mindl_fido_assertion a;
	uint8_t *da = NULL;
	size_t dalen = 0;

	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	CHECK_ERR(assertion(SOFTAUTH_OTHER_KEY, da, dalen, &a), MINDL_OK);
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_DEVICE_AUTH);
	/* A good assertion checked against another MSO's device key. */
	CHECK_ERR(assertion(SOFTAUTH_OK, da, dalen, &a), MINDL_OK);
	CHECK_ERR(mindl_fido_verify(a.authdata, a.authdatalen, a.sig,
	    a.siglen, RPID, da, dalen, fx.dev_key, 0), MINDL_ERR_DEVICE_AUTH);
	free(da);
}

static void
synced(void)
{
	struct mindl_fido_assertion a;
	struct mindl_fido_cred c;
	uint8_t *da = NULL;
	size_t dalen = 0;

	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	CHECK_ERR(assertion(SOFTAUTH_BACKUP, da, dalen, &a), MINDL_OK);
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_FIDO_AUTHDATA);
	/* The desk refuses a backup-eligible credential. */
	softauth_set_fault(sa, SOFTAUTH_MAKE_BACKUP);
	CHECK_ERR(mindl_fido_enroll(dev, RPID, NULL, 0, NULL, &c),
	    MINDL_ERR_FIDO_AUTHDATA);
	CHECK(c.id == NULL && c.pub == NULL);
	softauth_set_fault(sa, SOFTAUTH_DENY);
	CHECK_ERR(mindl_fido_enroll(dev, RPID, NULL, 0, NULL, &c),
	    MINDL_ERR_FIDO_PRESENCE);
	softauth_set_fault(sa, SOFTAUTH_OK);
	free(da);
}

/* Changes to a good assertion, each refused before the signature. */
static void
mutated(void)
{
	struct mindl_fido_assertion a, ok;
	uint8_t *da = NULL;
	size_t dalen = 0, i;

	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	CHECK_ERR(assertion(SOFTAUTH_OK, da, dalen, &ok), MINDL_OK);
	/* Truncated authData. */
	CHECK_ERR(mindl_fido_verify(ok.authdata, 36, ok.sig, ok.siglen, RPID,
	    da, dalen, mso_key, 0), MINDL_ERR_FIDO_AUTHDATA);
	CHECK_ERR(mindl_fido_verify(ok.authdata, 0, ok.sig, ok.siglen, RPID,
	    da, dalen, mso_key, 0), MINDL_ERR_FIDO_AUTHDATA);
	/* Oversize authData. */
	CHECK_ERR(mindl_fido_verify(ok.authdata, MINDL_FIDO_MAX_AUTHDATA + 1,
	    ok.sig, ok.siglen, RPID, da, dalen, mso_key, 0),
	    MINDL_ERR_FIDO_AUTHDATA);
	/* AT set: attested credential data has no place in an assertion. */
	a = ok;
	a.authdata[32] |= MINDL_FIDO_AT;
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_FIDO_AUTHDATA);
	/* Reserved bits. */
	a = ok;
	a.authdata[32] |= 0x02;
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_FIDO_AUTHDATA);
	a = ok;
	a.authdata[32] |= 0x20;
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_FIDO_AUTHDATA);
	/* UP set by someone other than the key: the signature says no. */
	CHECK_ERR(assertion(SOFTAUTH_NO_UP, da, dalen, &a), MINDL_OK);
	a.authdata[32] |= MINDL_FIDO_UP;
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_DEVICE_AUTH);
	/* signCount changed. */
	a = ok;
	a.authdata[36] ^= 1;
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_DEVICE_AUTH);
	/* Garbage signatures: random bytes, short, long, the DER form. */
	a = ok;
	for (i = 0; i < sizeof(a.sig); i++)
		a.sig[i] = (uint8_t)(i * 37 + 11);
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_DEVICE_AUTH);
	memset(a.sig, 0, sizeof(a.sig));
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_DEVICE_AUTH);
	CHECK_ERR(mindl_fido_verify(ok.authdata, ok.authdatalen, ok.sig, 63,
	    RPID, da, dalen, mso_key, 0), MINDL_ERR_DEVICE_AUTH);
	CHECK_ERR(mindl_fido_verify(ok.authdata, ok.authdatalen, NULL, 0,
	    RPID, da, dalen, mso_key, 0), MINDL_ERR_DEVICE_AUTH);
	a = ok;
	a.sig[63] ^= 0x01;
	CHECK_ERR(verify(&a, da, dalen), MINDL_ERR_DEVICE_AUTH);
	/* Arguments. */
	CHECK_ERR(mindl_fido_verify(ok.authdata, ok.authdatalen, ok.sig,
	    ok.siglen, "", da, dalen, mso_key, 0), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_fido_verify(ok.authdata, ok.authdatalen, ok.sig,
	    ok.siglen, RPID, da, dalen, NULL, 0), MINDL_ERR_INVALID_ARG);
	/* The untouched assertion still verifies. */
	CHECK_ERR(verify(&ok, da, dalen), MINDL_OK);
	free(da);
}

/*
 * The encoding: DeviceSigned written with the extension, parsed and
 * verified by the FIDO2 parser; refused by the standard parser.
 */
static void
device_signed(void)
{
	struct mindl_fido_signer s;
	struct mindl_device_signed *ds = NULL;
	struct mindl_cbor *doc = NULL, *dt = NULL;
	struct mindl_enc e;
	const uint8_t *ad, *sig;
	uint8_t *st = NULL, *st2 = NULL, *b = NULL, *dtb = NULL;
	size_t stlen = 0, st2len = 0, blen = 0, dtblen = 0, alen, slen;
	const struct mindl_cbor_item *doctype;

	CHECK_ERR(session(&st, &stlen), MINDL_OK);
	CHECK_ERR(session(&st2, &st2len), MINDL_OK);
	signer(&s, dev, &cred);
	mindl_enc_init(&e, 4096);
	CHECK_ERR(mindl_device_signed_write_fido2(&e, &s, DOCTYPE, st, stlen),
	    MINDL_OK);
	CHECK_ERR(mindl_enc_finish(&e, &b, &blen), MINDL_OK);
	mindl_enc_init(&e, 256);
	mindl_enc_tstr(&e, DOCTYPE);
	CHECK_ERR(mindl_enc_finish(&e, &dtb, &dtblen), MINDL_OK);
	CHECK_ERR(mindl_cbor_decode(dtb, dtblen, &dt), MINDL_OK);
	CHECK_ERR(mindl_cbor_decode(b, blen, &doc), MINDL_OK);
	if (doc == NULL || dt == NULL)
		goto out;
	doctype = mindl_cbor_root(dt);
	printf("DeviceSigned with a FIDO2 assertion: %zu bytes\n", blen);
	/* A standard reader finds neither deviceSignature nor deviceMac. */
	CHECK_ERR(mindl_device_signed_parse(mindl_cbor_root(doc), &ds),
	    MINDL_ERR_MISSING);
	CHECK(ds == NULL);
	CHECK_ERR(mindl_device_signed_parse_fido2(mindl_cbor_root(doc), &ds),
	    MINDL_OK);
	if (ds == NULL)
		goto out;
	CHECK_ERR(mindl_device_signed_fido2(ds, &ad, &alen, &sig, &slen),
	    MINDL_OK);
	CHECK(alen == MINDL_FIDO_AUTHDATA_LEN && slen == MINDL_FIDO_SIG_LEN);
	CHECK(mindl_device_signed_kind(ds) == MINDL_DEVAUTH_FIDO2);
	CHECK_ERR(mindl_device_signed_verify_fido2(ds, mso_key, doctype, st,
	    stlen, RPID, 0), MINDL_OK);
	/* Replayed into another session. */
	CHECK_ERR(mindl_device_signed_verify_fido2(ds, mso_key, doctype, st2,
	    st2len, RPID, 0), MINDL_ERR_DEVICE_AUTH);
	CHECK_ERR(mindl_device_signed_verify_fido2(ds, mso_key, doctype, st,
	    stlen, "other.example", 0), MINDL_ERR_FIDO_RPID);
	/* The standard verification has no rpId: it refuses. */
	CHECK_ERR(mindl_device_signed_verify(ds, mso_key, doctype, st, stlen,
	    NULL), MINDL_ERR_DEVICE_AUTH);
	mindl_device_signed_free(&ds);
 out:
	mindl_cbor_free(&doc);
	mindl_cbor_free(&dt);
	free(b);
	free(dtb);
	free(st);
	free(st2);
}

/* DeviceSigned shapes the FIDO2 parser refuses. */
static void
device_signed_shapes(void)
{
	static const struct {
		const char	*hex;
		int		 want;
	} bad[] = {
		/* deviceAuth {"deviceMac": 0} */
		{ "a26a6e616d65537061636573d81841a0"
		  "6a64657669636541757468a1696465766963654d616300",
		  MINDL_ERR_MISSING },
		/* {"mindl.fido2Signature": {"authData": h'', "sig": h'',
		   "x": 0}} */
		{ "a26a6e616d65537061636573d81841a0"
		  "6a64657669636541757468a1746d696e646c2e6669646f325369676e"
		  "6174757265a36861757468446174614063736967406178 00",
		  MINDL_ERR_CBOR_TYPE },
		/* {"mindl.fido2Signature": {"authData": h'', "sig": 0}} */
		{ "a26a6e616d65537061636573d81841a0"
		  "6a64657669636541757468a1746d696e646c2e6669646f325369676e"
		  "6174757265a2686175746844617461406373696700",
		  MINDL_ERR_CBOR_TYPE },
		/* {"mindl.fido2Signature": {"authData": h''}} */
		{ "a26a6e616d65537061636573d81841a0"
		  "6a64657669636541757468a1746d696e646c2e6669646f325369676e"
		  "6174757265a168617574684461746140",
		  MINDL_ERR_MISSING },
		/* both the extension and deviceMac */
		{ "a26a6e616d65537061636573d81841a0"
		  "6a64657669636541757468a2746d696e646c2e6669646f325369676e"
		  "6174757265a26861757468446174614063736967"
		  "40696465766963654d616300",
		  MINDL_ERR_MISSING },
	};
	struct mindl_device_signed *ds = NULL;
	struct mindl_cbor *doc = NULL;
	uint8_t buf[512];
	size_t i, n;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = test_unhexn(bad[i].hex, strlen(bad[i].hex), buf,
		    sizeof(buf));
		CHECK(n > 0);
		CHECK_ERR(mindl_cbor_decode(buf, n, &doc), MINDL_OK);
		if (doc == NULL)
			continue;
		CHECK_ERR(mindl_device_signed_parse_fido2(mindl_cbor_root(doc),
		    &ds), bad[i].want);
		CHECK(ds == NULL);
		mindl_cbor_free(&doc);
	}
}

static void
devices(void)
{
	struct mindl_fido_dev *d = NULL;

	/* No authenticator has this path. */
	CHECK_ERR(mindl_fido_dev_open("/nonexistent/mindl-test", &d),
	    MINDL_ERR_FIDO);
	CHECK(d == NULL);
	CHECK_ERR(mindl_fido_dev_open_with(NULL, NULL, &d),
	    MINDL_ERR_INVALID_ARG);
	mindl_fido_dev_free(&d);
	mindl_fido_dev_free(NULL);
	mindl_fido_cred_clear(NULL);
}

/* Scenarios for allocation failures: each frees what it made. */
static int
sc_enroll(void)
{
	struct mindl_fido_cred c;
	int r;

	r = mindl_fido_enroll(dev, RPID, NULL, 0, NULL, &c);
	mindl_fido_cred_clear(&c);
	return r;
}

static int
sc_present_verify(void)
{
	struct mindl_fido_signer s;
	struct mindl_device_signed *ds = NULL;
	struct mindl_cbor *doc = NULL, *dt = NULL;
	struct mindl_enc e;
	uint8_t *st = NULL, *b = NULL, *dtb = NULL;
	size_t stlen = 0, blen = 0, dtblen = 0;
	int r;

	signer(&s, dev, &cred);
	if ((r = session(&st, &stlen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, 4096);
	if ((r = mindl_device_signed_write_fido2(&e, &s, DOCTYPE, st,
	    stlen)) != MINDL_OK)
		mindl_enc_clear(&e);
	else if ((r = mindl_enc_finish(&e, &b, &blen)) == MINDL_OK) {
		mindl_enc_init(&e, 256);
		mindl_enc_tstr(&e, DOCTYPE);
		if ((r = mindl_enc_finish(&e, &dtb, &dtblen)) == MINDL_OK &&
		    (r = mindl_cbor_decode(dtb, dtblen, &dt)) == MINDL_OK &&
		    (r = mindl_cbor_decode(b, blen, &doc)) == MINDL_OK &&
		    (r = mindl_device_signed_parse_fido2(mindl_cbor_root(doc),
		    &ds)) == MINDL_OK)
			r = mindl_device_signed_verify_fido2(ds, mso_key,
			    mindl_cbor_root(dt), st, stlen, RPID, 0);
	}
	mindl_device_signed_free(&ds);
	mindl_cbor_free(&doc);
	mindl_cbor_free(&dt);
	free(st);
	free(b);
	free(dtb);
	return r;
}

/* Every allocation failed in turn: MINDL_ERR_NOMEM each time, no leak. */
static void
alloc_failures(void)
{
	int (*sc[])(void) = { sc_enroll, sc_present_verify };
	size_t i;
	long n;
	int r;

	for (i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
		for (n = 1; n < 10000; n++) {
			mindl_fail_alloc_at(n);
			r = sc[i]();
			if (mindl_alloc_failed() == 0) {
				mindl_fail_alloc_at(0);
				CHECK_ERR(r, MINDL_OK);
				break;
			}
			mindl_fail_alloc_at(0);
			if (r != MINDL_ERR_NOMEM) {
				fprintf(stderr, "scenario %zu, allocation %ld: "
				    "%s\n", i, n, mindl_errname(r));
				CHECK(r == MINDL_ERR_NOMEM);
			}
		}
		CHECK(n > 1);
	}
}

/* Figures: assertions through libfido2 and the software key. */
static void
timing(void)
{
	struct mindl_fido_assertion a;
	struct timespec t0, t1;
	uint8_t *da = NULL;
	size_t dalen = 0;
	unsigned long n0 = softauth_asserts(sa);
	double as, vs;
	int i, rounds = 200;

	CHECK_ERR(devauth_bytes(&da, &dalen), MINDL_OK);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < rounds; i++)
		if (assertion(SOFTAUTH_OK, da, dalen, &a) != MINDL_OK)
			break;
	CHECK(i == rounds);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	as = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec -
	    t0.tv_nsec) / 1e9;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < rounds; i++)
		if (verify(&a, da, dalen) != MINDL_OK)
			break;
	CHECK(i == rounds);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	vs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec -
	    t0.tv_nsec) / 1e9;
	CHECK(softauth_asserts(sa) - n0 == (unsigned long)rounds);
	printf("assertion through libfido2 and the software key: %.3f ms; "
	    "verification: %.3f ms\n", as * 1e3 / rounds, vs * 1e3 / rounds);
	free(da);
}

/*
 * A credential file's entry bound to the key carries its credential id
 * (checked for type and size), and a static document with it is
 * holder-bound only through the key's answer to the verifier's own fresh
 * transcript (mindl_verify_static_bound).
 */
static void
static_bound(void)
{
	struct mindl_issue_params p;
	struct mindl_fido_id id = { NULL, 0 };
	struct mindl_static_binding b;
	struct mindl_fido_assertion a;
	struct mindl_fido_signer s;
	struct mindl_verified *v = NULL;
	struct mindl_cbor *doc = NULL;
	struct mindl_document *d = NULL;
	const struct mindl_profile *prof;
	const uint8_t *got = NULL;
	uint8_t *buf = NULL, *st = NULL, *st2 = NULL, *dab = NULL, bad[64];
	size_t len = 0, stlen = 0, st2len = 0, dablen = 0, glen = 0;

	id.id = cred.id;
	id.len = cred.idlen;
	test_fx_params(&fx, &p);
	p.device_pub = cred.pub;
	p.fido = &id;
	CHECK_ERR(test_issue(&p, fx.ds_key, &buf, &len, NULL), MINDL_OK);
	if (buf == NULL)
		return;
	/* A one-entry file: 0x81, then the Document. */
	CHECK_ERR(mindl_cbor_decode(buf + 1, len - 1, &doc), MINDL_OK);
	CHECK_ERR(mindl_document_parse(mindl_cbor_root(doc), 0, &d), MINDL_OK);
	if (d != NULL)
		mindl_document_fido_id(d, &got, &glen);
	CHECK(got != NULL && glen == cred.idlen &&
	    memcmp(got, cred.id, glen) == 0);
	/* An id of no bytes, or longer than CTAP allows: refused. */
	id.len = 0;
	CHECK_ERR(test_issue(&p, fx.ds_key, &st2, &st2len, NULL),
	    MINDL_ERR_INVALID_ARG);
	id.len = MINDL_FIDO_MAX_CRED_ID + 1;
	CHECK_ERR(test_issue(&p, fx.ds_key, &st2, &st2len, NULL),
	    MINDL_ERR_INVALID_ARG);
	CHECK((prof = mindl_schema_profile(fx.schema, "traffic-stop")) !=
	    NULL);
	CHECK_ERR(mindl_static_transcript(&st, &stlen), MINDL_OK);
	CHECK_ERR(mindl_static_transcript(&st2, &st2len), MINDL_OK);
	CHECK(stlen == st2len && memcmp(st, st2, stlen) != 0);
	CHECK_ERR(mindl_static_devauth_bytes(st, stlen, DOCTYPE,
	    strlen(DOCTYPE), &dab, &dablen), MINDL_OK);
	signer(&s, dev, &cred);
	s.cred_id = got;
	s.cred_idlen = glen;
	CHECK_ERR(mindl_fido_assert(&s, dab, dablen, &a), MINDL_OK);
	memset(&b, 0, sizeof(b));
	b.st = st;
	b.stlen = stlen;
	b.assertion = &a;
	b.policy.rpid = RPID;
	CHECK_ERR(mindl_verify_static_bound(fx.trust, fx.schema, TEST_T0, prof,
	    &b, buf + 1, len - 1, &v, NULL), MINDL_OK);
	CHECK(mindl_verified_holder_bound(v));
	CHECK(mindl_verified_devauth(v) == MINDL_DEVAUTH_FIDO2);
	mindl_verified_free(&v);
	/* Without the key's answer: verified, not holder-bound. */
	CHECK_ERR(mindl_verify_static_bound(fx.trust, fx.schema, TEST_T0, prof,
	    NULL, buf + 1, len - 1, &v, NULL), MINDL_OK);
	CHECK(v != NULL && !mindl_verified_holder_bound(v));
	mindl_verified_free(&v);
	/* The answer replayed to another verifier's challenge. */
	b.st = st2;
	b.stlen = st2len;
	CHECK_ERR(mindl_verify_static_bound(fx.trust, fx.schema, TEST_T0, prof,
	    &b, buf + 1, len - 1, &v, NULL), MINDL_ERR_DEVICE_AUTH);
	CHECK(v == NULL);
	/* Another rpId by policy, then user verification required. */
	b.st = st;
	b.stlen = stlen;
	b.policy.rpid = "other.example";
	CHECK_ERR(mindl_verify_static_bound(fx.trust, fx.schema, TEST_T0, prof,
	    &b, buf + 1, len - 1, &v, NULL), MINDL_ERR_FIDO_RPID);
	b.policy.rpid = RPID;
	b.policy.require_uv = 1;
	CHECK_ERR(mindl_verify_static_bound(fx.trust, fx.schema, TEST_T0, prof,
	    &b, buf + 1, len - 1, &v, NULL), MINDL_ERR_FIDO_PRESENCE);
	/* A key with no credential of that id. */
	memset(bad, 0x5a, sizeof(bad));
	s.cred_id = bad;
	s.cred_idlen = sizeof(bad);
	CHECK_ERR(mindl_fido_assert(&s, dab, dablen, &a),
	    MINDL_ERR_NOT_DEVICE_KEY);
	mindl_document_free(&d);
	mindl_cbor_free(&doc);
	free(buf);
	free(st);
	free(st2);
	free(dab);
}

/* The id beside issuerSigned: a byte string of 1 to 1023 bytes. */
static void
fido_id_shapes(void)
{
	struct mindl_cbor *doc = NULL, *bad = NULL;
	struct mindl_document *d = NULL;
	const struct mindl_cbor_item *root;
	struct mindl_enc e;
	uint8_t *p = NULL, big[MINDL_FIDO_MAX_CRED_ID + 1];
	size_t plen = 0, i;
	int r;

	CHECK_ERR(mindl_cbor_decode(credbuf + 1, credlen - 1, &doc), MINDL_OK);
	if (doc == NULL)
		return;
	root = mindl_cbor_root(doc);
	memset(big, 1, sizeof(big));
	/* docType, issuerSigned as issued, then the id as each shape. */
	for (i = 0; i < 3; i++) {
		mindl_enc_init(&e, MINDL_MAX_INPUT);
		mindl_enc_map(&e, 3);
		mindl_enc_tstr(&e, "docType");
		mindl_enc_tstr(&e, DOCTYPE);
		mindl_enc_tstr(&e, "issuerSigned");
		mindl_enc_raw(&e, mindl_cbor_map_get(root, "issuerSigned")->enc,
		    mindl_cbor_map_get(root, "issuerSigned")->enclen);
		mindl_enc_tstr(&e, MINDL_FIDO_ID_KEY);
		if (i == 0)
			mindl_enc_uint(&e, 7);
		else
			mindl_enc_bstr(&e, big, i == 1 ? 0 : sizeof(big));
		CHECK_ERR(mindl_enc_finish(&e, &p, &plen), MINDL_OK);
		CHECK_ERR(mindl_cbor_decode(p, plen, &bad), MINDL_OK);
		r = bad != NULL ? mindl_document_parse(mindl_cbor_root(bad), 0,
		    &d) : MINDL_ERR_INTERNAL;
		CHECK_ERR(r, i == 0 ? MINDL_ERR_CBOR_TYPE :
		    MINDL_ERR_CBOR_LIMIT);
		CHECK(d == NULL);
		mindl_cbor_free(&bad);
		free(p);
		p = NULL;
	}
	mindl_cbor_free(&doc);
}

int
main(void)
{
	int r;

	if (getenv("MINDL_DEBUG") != NULL)
		mindl_set_debug(1);
	if ((r = setup()) != MINDL_OK) {
		fprintf(stderr, "setup: %s\n", mindl_errname(r));
		teardown();
		return 1;
	}
	RUN(enrolled);
	RUN(bound_credential_verifies);
	RUN(transport_hooks);
	RUN(wrapped_ids);
	RUN(other_challenge);
	RUN(presence);
	RUN(rpid);
	RUN(extra_authdata);
	RUN(other_key);
	RUN(synced);
	RUN(mutated);
	RUN(device_signed);
	RUN(device_signed_shapes);
	RUN(static_bound);
	RUN(fido_id_shapes);
	RUN(devices);
	RUN(alloc_failures);
	RUN(timing);
	teardown();
	UNIT_DONE();
}
