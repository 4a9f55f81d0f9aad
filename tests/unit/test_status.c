/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: Token Status Lists (mindl/status.h).  The draft's 16-entry
 * vector and its example token; write -> parse -> verify at 2^20
 * entries; every refusal of the parser and of verification with its
 * named error; the verdict a verifier draws for a credential issued with
 * a status reference.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testlib.h"

#define T0	1795000000	/* issuance and list time in tests */
#define URI	"https://dmv.example.invalid/status/1"
#define NENT	(1u << MINDL_STATUS_LIST_MIN_LOG2)

/*
 * The draft's example list (section "Compressed Byte Array"): statuses
 * 1 0 0 1 1 1 0 1 1 1 0 0 0 1 0 1, bytes B9 A3, and its zlib form.
 */
static const int draft_status[16] = { 1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0,
    0, 1, 0, 1 };
static const char draft_zlib[] = "78dadbb918000217015d";
/*
 * The draft's example Status List Token (examples/status_list_cwt at
 * the -20 revision): tag 18, typ, kid "12" unprotected, no x5chain;
 * sub https://example.com/statuslists/1, iat 1686920170, exp
 * 2291720170, ttl 43200, the list above.
 */
static const char draft_token[] =
    "d2845820a2012610781a6170706c69636174696f6e2f7374617475736c6973742b63"
    "7774a1044231325850a502782168747470733a2f2f6578616d706c652e636f6d2f73"
    "74617475736c697374732f31061a648c5bea041a8898dfea19fffe19a8c019fffda2"
    "646269747301636c73744a78dadbb918000217015d584093fa4d01032b18c35e2fe1"
    "101b77fd6cc9440022caa4694450c4e4e9feab4e99d1fa6d9772ce2bf3a12e0323de"
    "d7c982c5e101a5e67f0cbc1e2b6f57ce99c279";

struct fixture {
	struct mindl_key	*iaca_key, *ss_key, *ds_key, *other_key;
	struct mindl_key	*other_ss_key;
	uint8_t			*iaca, *ss, *ds, *other, *other_ss;
	size_t			 iacalen, sslen, dslen, otherlen, other_sslen;
	struct mindl_trust	*trust;
	uint8_t			 root[MINDL_SHA256_LEN];
	uint8_t			*bits;		/* NENT entries */
	uint64_t		 revoked[64];
};
static struct fixture fx;

static int
setup(void)
{
	struct mindl_iaca_params ip = { "US", "SS", "Test IACA",
	    "mailto:iaca@example.invalid", T0 - 86400 * 10, 3650 };
	struct mindl_iaca_params op = { "US", "OO", "Other IACA",
	    "mailto:other@example.invalid", T0 - 86400 * 10, 3650 };
	struct mindl_ds_params dp = { NULL, T0 - 86400 * 5, 365 };
	uint8_t rnd[8];
	size_t i;
	int r;

	if ((r = mindl_key_generate(&fx.iaca_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.ss_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.ds_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.other_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.other_ss_key)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(fx.iaca_key, &ip, &fx.iaca,
	    &fx.iacalen)) != MINDL_OK ||
	    (r = mindl_x509_make_status_signer(fx.iaca_key, fx.iaca,
	    fx.iacalen, fx.ss_key, &dp, &fx.ss, &fx.sslen)) != MINDL_OK ||
	    (r = mindl_x509_make_ds(fx.iaca_key, fx.iaca, fx.iacalen,
	    fx.ds_key, &dp, &fx.ds, &fx.dslen)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(fx.other_key, &op, &fx.other,
	    &fx.otherlen)) != MINDL_OK ||
	    (r = mindl_x509_make_status_signer(fx.other_key, fx.other,
	    fx.otherlen, fx.other_ss_key, &dp, &fx.other_ss, &fx.other_sslen)) !=
	    MINDL_OK ||
	    (r = mindl_trust_new(&fx.trust)) != MINDL_OK ||
	    (r = mindl_trust_add_der(fx.trust, fx.iaca, fx.iacalen)) !=
	    MINDL_OK ||
	    (r = mindl_sha256(fx.iaca, fx.iacalen, fx.root)) != MINDL_OK)
		goto out;
	if ((fx.bits = calloc(NENT / 8, 1)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < sizeof(fx.revoked) / sizeof(fx.revoked[0]); i++) {
		if ((r = mindl_random(rnd, sizeof(rnd))) != MINDL_OK)
			goto out;
		fx.revoked[i] = (((uint64_t)rnd[0] << 16 | (uint64_t)rnd[1] <<
		    8 | rnd[2]) % NENT);
		fx.bits[fx.revoked[i] / 8] |= (uint8_t)(1u <<
		    (fx.revoked[i] % 8));
	}
	r = MINDL_OK;
 out:
	return r;
}

static void
teardown(void)
{
	mindl_key_free(&fx.iaca_key);
	mindl_key_free(&fx.ss_key);
	mindl_key_free(&fx.ds_key);
	mindl_key_free(&fx.other_key);
	mindl_key_free(&fx.other_ss_key);
	mindl_trust_free(&fx.trust);
	free(fx.iaca);
	free(fx.ss);
	free(fx.ds);
	free(fx.other);
	free(fx.other_ss);
	free(fx.bits);
}

/* A list of mindl's own, signed by key under cert. */
static int
write_list(const struct mindl_key *key, const uint8_t *cert, size_t certlen,
    int64_t iat, int64_t exp, uint8_t **out, size_t *outlen)
{
	struct mindl_status_list_params p;
	struct mindl_signer s;
	struct mindl_buf b;
	int r;

	if ((r = mindl_signer_key(&s, key)) != MINDL_OK)
		return r;
	memset(&p, 0, sizeof(p));
	p.uri = URI;
	p.iat = iat;
	p.exp = exp;
	p.ttl = 43200;
	p.bits = fx.bits;
	p.nentries = NENT;
	p.signer = &s;
	p.x5 = cert;
	p.x5len = certlen;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	return test_take(mindl_status_token_write(&p, &b), &b, out, outlen);
}

/* Claims a test can break one at a time. */
#define NO_SUB		0x01
#define NO_IAT		0x02
#define NO_EXP		0x04
#define NO_SL		0x08
#define NO_TTL		0x10
#define IAT_TEXT	0x20
#define EXTRA_CLAIM	0x40
#define EXTRA_SL_KEY	0x80
#define NO_BITS		0x100

struct claims {
	unsigned	 flags;
	int64_t		 iat, exp;
	uint64_t	 ttl, bits;
	const uint8_t	*lst;
	size_t		 lstlen;
};

static void
default_claims(struct claims *c, const uint8_t *lst, size_t lstlen)
{
	memset(c, 0, sizeof(*c));
	c->iat = T0;
	c->exp = T0 + 86400;
	c->ttl = 43200;
	c->bits = 1;
	c->lst = lst;
	c->lstlen = lstlen;
}

static int
enc_claims(const struct claims *c, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	unsigned f = c->flags;
	uint64_t n = 0, sln = 1;

	n += (uint64_t)(!(f & NO_SUB) + !(f & NO_IAT) + !(f & NO_EXP) +
	    !(f & NO_SL) + !(f & NO_TTL) + !!(f & EXTRA_CLAIM));
	sln += (uint64_t)(!(f & NO_BITS) + !!(f & EXTRA_SL_KEY));
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, n);
	if (!(f & NO_SUB)) {
		mindl_enc_uint(&e, 2);
		mindl_enc_tstr(&e, URI);
	}
	if (!(f & NO_IAT)) {
		mindl_enc_uint(&e, 6);
		if (f & IAT_TEXT)
			mindl_enc_tstr(&e, "yesterday");
		else
			mindl_enc_int(&e, c->iat);
	}
	if (!(f & NO_EXP)) {
		mindl_enc_uint(&e, 4);
		mindl_enc_int(&e, c->exp);
	}
	if (!(f & NO_TTL)) {
		mindl_enc_uint(&e, 65534);
		mindl_enc_uint(&e, c->ttl);
	}
	if (f & EXTRA_CLAIM) {
		mindl_enc_uint(&e, 1);		/* iss: ignored */
		mindl_enc_tstr(&e, "https://dmv.example.invalid");
	}
	if (!(f & NO_SL)) {
		mindl_enc_uint(&e, 65533);
		mindl_enc_map(&e, sln);
		if (!(f & NO_BITS)) {
			mindl_enc_tstr(&e, "bits");
			mindl_enc_uint(&e, c->bits);
		}
		mindl_enc_tstr(&e, "lst");
		mindl_enc_bstr(&e, c->lst, c->lstlen);
		if (f & EXTRA_SL_KEY) {
			mindl_enc_tstr(&e, "extra");
			mindl_enc_uint(&e, 0);
		}
	}
	return mindl_enc_finish(&e, out, outlen);
}

/*
 * A token over claims, signed by the status signer: tagged with tag
 * (0: untagged), typ (NULL: none).
 */
static int
sign_claims(const struct claims *c, uint64_t tag, const char *typ,
    uint8_t **out, size_t *outlen)
{
	struct mindl_enc e, ph;
	struct mindl_signer s;
	uint8_t *cl = NULL, *prot = NULL, *tbs = NULL, sig[MINDL_MAX_SIG];
	size_t cllen = 0, protlen = 0, tbslen = 0, siglen = sizeof(sig);
	int r;

	*out = NULL;
	if ((r = enc_claims(c, &cl, &cllen)) != MINDL_OK ||
	    (r = mindl_signer_key(&s, fx.ss_key)) != MINDL_OK)
		goto out;
	if (tag == 18 && typ != NULL &&
	    strcmp(typ, MINDL_STATUS_TYP) == 0) {
		mindl_enc_init(&e, MINDL_MAX_INPUT);
		r = mindl_cose_sign1_write_typ(&e, &s, typ, cl, cllen, fx.ss,
		    fx.sslen);
		if (r == MINDL_OK)
			r = mindl_enc_finish(&e, out, outlen);
		else
			mindl_enc_clear(&e);
		goto out;
	}
	/* By hand: another typ, or another tag. */
	mindl_enc_init(&ph, 256);
	mindl_enc_map(&ph, typ != NULL ? 2 : 1);
	mindl_enc_int(&ph, 1);
	mindl_enc_int(&ph, MINDL_ALG_ES256);
	if (typ != NULL) {
		mindl_enc_int(&ph, 16);
		mindl_enc_tstr(&ph, typ);
	}
	if ((r = mindl_enc_finish(&ph, &prot, &protlen)) != MINDL_OK)
		goto out;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 4);
	mindl_enc_tstr(&e, "Signature1");
	mindl_enc_bstr(&e, prot, protlen);
	mindl_enc_bstr(&e, NULL, 0);
	mindl_enc_bstr(&e, cl, cllen);
	if ((r = mindl_enc_finish(&e, &tbs, &tbslen)) != MINDL_OK ||
	    (r = mindl_sign(&s, tbs, tbslen, sig, &siglen)) != MINDL_OK)
		goto out;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	if (tag != 0)
		mindl_enc_tag(&e, tag);
	mindl_enc_array(&e, 4);
	mindl_enc_bstr(&e, prot, protlen);
	mindl_enc_map(&e, 1);
	mindl_enc_int(&e, 33);
	mindl_enc_bstr(&e, fx.ss, fx.sslen);
	mindl_enc_bstr(&e, cl, cllen);
	mindl_enc_bstr(&e, sig, siglen);
	r = mindl_enc_finish(&e, out, outlen);
 out:
	free(cl);
	free(prot);
	free(tbs);
	return r;
}

static int
parse_claims(const struct claims *c, uint64_t tag, const char *typ)
{
	struct mindl_status_token *t = NULL;
	uint8_t *tok = NULL;
	size_t len = 0;
	int r;

	if ((r = sign_claims(c, tag, typ, &tok, &len)) != MINDL_OK)
		return -9999;
	r = mindl_status_token_parse(tok, len, &t);
	CHECK((r == MINDL_OK) == (t != NULL));
	mindl_status_token_free(&t);
	free(tok);
	return r;
}

static size_t
zlib_of(const uint8_t *in, size_t inlen, uint8_t **out)
{
	uLongf n = compressBound((uLong)inlen);

	*out = malloc(n);
	if (*out == NULL || compress2(*out, &n, in, (uLong)inlen, 9) != Z_OK)
		return 0;
	return (size_t)n;
}

static void
draft_vector(void)
{
	struct mindl_status_token *t = NULL;
	struct claims c;
	uint8_t z[16], tok[512], b[2] = { 0xb9, 0xa3 }, *zz = NULL;
	size_t zlen = test_unhex(draft_zlib, z, sizeof(z)), toklen, i;
	int64_t exp = 0;
	uint64_t ttl = 0;
	int st = -1;

	/* Packing: LSB-first, as the draft draws it. */
	for (i = 0; i < 16; i++)
		CHECK(mindl_status_bit(b[mindl_status_byte_offset(i)], i) ==
		    draft_status[i]);
	/* zlib level 9 of B9 A3 is the draft's bytes, as the writer uses. */
	CHECK(zlib_of(b, 2, &zz) == zlen && zz != NULL &&
	    memcmp(zz, z, zlen) == 0);
	free(zz);
	/* The vector's list in a token of ours decodes to its statuses. */
	default_claims(&c, z, zlen);
	CHECK_ERR(sign_claims(&c, 18, MINDL_STATUS_TYP, &zz, &toklen),
	    MINDL_OK);
	CHECK_ERR(mindl_status_token_parse(zz, toklen, &t), MINDL_OK);
	if (t != NULL) {
		CHECK(mindl_status_token_entries(t) == 16);
		for (i = 0; i < 16; i++) {
			CHECK_ERR(mindl_status_token_get(t, i, &st), MINDL_OK);
			CHECK(st == draft_status[i]);
		}
		CHECK_ERR(mindl_status_token_get(t, 16, &st),
		    MINDL_ERR_STATUS_UNKNOWN);
		CHECK_ERR(mindl_status_token_verify(t, fx.trust, T0 + 60,
		    NULL), MINDL_OK);
	}
	mindl_status_token_free(&t);
	free(zz);
	/* The draft's own example token parses (its key is not ours). */
	toklen = test_unhex(draft_token, tok, sizeof(tok));
	CHECK(toklen > 0);
	CHECK_ERR(mindl_status_token_parse(tok, toklen, &t), MINDL_OK);
	if (t != NULL) {
		CHECK(strcmp(mindl_status_token_uri(t),
		    "https://example.com/statuslists/1") == 0);
		CHECK(mindl_status_token_iat(t) == 1686920170);
		CHECK_ERR(mindl_status_token_exp(t, &exp), MINDL_OK);
		CHECK(exp == 2291720170);
		CHECK_ERR(mindl_status_token_ttl(t, &ttl), MINDL_OK);
		CHECK(ttl == 43200);
		CHECK(mindl_status_token_entries(t) == 16);
		for (i = 0; i < 16; i++) {
			CHECK_ERR(mindl_status_token_get(t, i, &st), MINDL_OK);
			CHECK(st == draft_status[i]);
		}
		/* No x5chain: nothing to chain to a trusted IACA. */
		CHECK_ERR(mindl_status_token_verify(t, fx.trust, T0, NULL),
		    MINDL_ERR_X5CHAIN);
	}
	mindl_status_token_free(&t);
}

static int
is_revoked(uint64_t idx)
{
	size_t i;

	for (i = 0; i < sizeof(fx.revoked) / sizeof(fx.revoked[0]); i++)
		if (fx.revoked[i] == idx)
			return 1;
	return 0;
}

static void
round_trip(void)
{
	struct mindl_status_token *t = NULL;
	uint8_t *tok = NULL, root[MINDL_SHA256_LEN], rnd[3];
	const uint8_t *bm, *der;
	size_t len = 0, bmlen = 0, derlen = 0, i;
	uint64_t idx;
	int st = -1;

	CHECK_ERR(write_list(fx.ss_key, fx.ss, fx.sslen, T0, T0 + 86400, &tok,
	    &len), MINDL_OK);
	/* Tag 18, then the protected typ. */
	CHECK(len > 2 && tok[0] == 0xd2 && tok[1] == 0x84);
	CHECK_ERR(mindl_status_token_parse(tok, len, &t), MINDL_OK);
	if (t == NULL)
		goto out;
	CHECK(strcmp(mindl_status_token_uri(t), URI) == 0);
	CHECK(mindl_status_token_entries(t) == NENT);
	mindl_status_token_bitmap(t, &bm, &bmlen);
	CHECK(bmlen == NENT / 8 && memcmp(bm, fx.bits, bmlen) == 0);
	mindl_status_token_signer_cert(t, &der, &derlen);
	CHECK(derlen == fx.sslen && memcmp(der, fx.ss, derlen) == 0);
	for (i = 0; i < sizeof(fx.revoked) / sizeof(fx.revoked[0]); i++) {
		CHECK_ERR(mindl_status_token_get(t, fx.revoked[i], &st),
		    MINDL_OK);
		CHECK(st == MINDL_STATUS_INVALID);
	}
	for (i = 0; i < 256; i++) {
		(void)mindl_random(rnd, sizeof(rnd));
		idx = ((uint64_t)rnd[0] << 16 | (uint64_t)rnd[1] << 8 |
		    rnd[2]) % NENT;
		CHECK_ERR(mindl_status_token_get(t, idx, &st), MINDL_OK);
		CHECK(st == is_revoked(idx));
	}
	CHECK_ERR(mindl_status_token_get(t, NENT, &st),
	    MINDL_ERR_STATUS_UNKNOWN);
	memset(root, 0, sizeof(root));
	CHECK_ERR(mindl_status_token_verify(t, fx.trust, T0 + 3600, root),
	    MINDL_OK);
	CHECK(memcmp(root, fx.root, sizeof(root)) == 0);
 out:
	mindl_status_token_free(&t);
	free(tok);
}

static void
write_refusals(void)
{
	struct mindl_status_list_params p;
	struct mindl_signer s;
	struct mindl_buf b;

	CHECK_ERR(mindl_signer_key(&s, fx.ss_key), MINDL_OK);
	memset(&p, 0, sizeof(p));
	p.uri = URI;
	p.iat = T0;
	p.exp = T0 + 1;
	p.ttl = 1;
	p.bits = fx.bits;
	p.nentries = NENT;
	p.signer = &s;
	p.x5 = fx.ss;
	p.x5len = fx.sslen;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	p.nentries = NENT / 2;		/* under 2^20: no herd */
	CHECK_ERR(mindl_status_token_write(&p, &b), MINDL_ERR_INVALID_ARG);
	p.nentries = NENT + 8;		/* not a power of two */
	CHECK_ERR(mindl_status_token_write(&p, &b), MINDL_ERR_INVALID_ARG);
	p.nentries = NENT;
	p.exp = T0;			/* exp not after iat */
	CHECK_ERR(mindl_status_token_write(&p, &b), MINDL_ERR_INVALID_ARG);
	p.exp = T0 + 1;
	p.ttl = 0;
	CHECK_ERR(mindl_status_token_write(&p, &b), MINDL_ERR_INVALID_ARG);
	p.ttl = 1;
	p.uri = "";
	CHECK_ERR(mindl_status_token_write(&p, &b), MINDL_ERR_INVALID_ARG);
	CHECK(mindl_buf_len(&b) == 0);
	mindl_buf_clear(&b);
}

static void
parse_refusals(void)
{
	struct claims c;
	uint8_t z[16], *big = NULL, *bz = NULL, zx[32];
	size_t zlen = test_unhex(draft_zlib, z, sizeof(z)), bzlen;

	default_claims(&c, z, zlen);
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP), MINDL_OK);
	/* Tag and type. */
	CHECK_ERR(parse_claims(&c, 0, MINDL_STATUS_TYP), MINDL_ERR_CBOR_TAG);
	CHECK_ERR(parse_claims(&c, 61, MINDL_STATUS_TYP), MINDL_ERR_CBOR_TAG);
	CHECK_ERR(parse_claims(&c, 17, MINDL_STATUS_TYP),
	    MINDL_ERR_UNSUPPORTED);
	CHECK_ERR(parse_claims(&c, 18, "application/statuslist+jwt"),
	    MINDL_ERR_STATUS_LIST);
	CHECK_ERR(parse_claims(&c, 18, "statuslist+cwt"),
	    MINDL_ERR_STATUS_LIST);
	CHECK_ERR(parse_claims(&c, 18, NULL), MINDL_ERR_STATUS_LIST);
	/* Claims. */
	c.flags = NO_SUB;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP), MINDL_ERR_MISSING);
	c.flags = NO_IAT;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP), MINDL_ERR_MISSING);
	c.flags = NO_SL;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP), MINDL_ERR_MISSING);
	c.flags = NO_BITS;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP), MINDL_ERR_MISSING);
	c.flags = IAT_TEXT;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_CBOR_TYPE);
	c.flags = EXTRA_SL_KEY;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	/* Optional claims may go; others are ignored. */
	c.flags = NO_EXP | NO_TTL | EXTRA_CLAIM;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP), MINDL_OK);
	c.flags = 0;
	c.exp = c.iat;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	c.exp = T0 + 86400;
	c.ttl = 0;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	c.ttl = 1;
	/* bits: 2, 4, 8 valid but not supported; others malformed. */
	c.bits = 2;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_UNSUPPORTED);
	c.bits = 8;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_UNSUPPORTED);
	c.bits = 3;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	c.bits = 0;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	c.bits = 1;
	/* zlib: corrupt, truncated, trailing, raw deflate, empty. */
	memcpy(zx, z, zlen);
	zx[4] ^= 0x55;
	c.lst = zx;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	memcpy(zx, z, zlen);
	c.lstlen = zlen - 1;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	zx[zlen] = 0;
	c.lstlen = zlen + 1;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	c.lst = z + 2;			/* without the zlib header */
	c.lstlen = zlen - 2;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	c.lstlen = 0;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	bzlen = zlib_of((const uint8_t *)"", 0, &bz);
	c.lst = bz;
	c.lstlen = bzlen;
	CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
	    MINDL_ERR_STATUS_LIST);
	free(bz);
	/*
	 * The cap: exactly 2^24 entries pass; one byte more is a bomb (a
	 * few KiB of deflate), and so is 8 MiB.
	 */
	big = calloc(4 * MINDL_STATUS_MAX_BYTES, 1);
	CHECK(big != NULL);
	if (big != NULL) {
		bzlen = zlib_of(big, MINDL_STATUS_MAX_BYTES, &bz);
		c.lst = bz;
		c.lstlen = bzlen;
		CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP), MINDL_OK);
		free(bz);
		bzlen = zlib_of(big, MINDL_STATUS_MAX_BYTES + 1, &bz);
		c.lst = bz;
		c.lstlen = bzlen;
		CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
		    MINDL_ERR_STATUS_LIST);
		free(bz);
		bzlen = zlib_of(big, 4 * MINDL_STATUS_MAX_BYTES, &bz);
		CHECK(bzlen < 16384);
		c.lst = bz;
		c.lstlen = bzlen;
		CHECK_ERR(parse_claims(&c, 18, MINDL_STATUS_TYP),
		    MINDL_ERR_STATUS_LIST);
		free(bz);
	}
	free(big);
}

/* Every prefix and a trailing byte of a good token are refused. */
static void
truncated_and_trailing(void)
{
	struct mindl_status_token *t = NULL;
	uint8_t *tok = NULL, *m;
	size_t len = 0, n, bad = 0;

	CHECK_ERR(write_list(fx.ss_key, fx.ss, fx.sslen, T0, T0 + 86400, &tok,
	    &len), MINDL_OK);
	if (tok == NULL)
		return;
	for (n = 0; n < len; n++) {
		if (mindl_status_token_parse(tok, n, &t) == MINDL_OK)
			bad++;
		mindl_status_token_free(&t);
	}
	CHECK(bad == 0);
	m = malloc(len + 1);
	CHECK(m != NULL);
	if (m != NULL) {
		memcpy(m, tok, len);
		m[len] = 0x00;
		CHECK_ERR(mindl_status_token_parse(m, len + 1, &t),
		    MINDL_ERR_CBOR_TRAILING);
		free(m);
	}
	free(tok);
}

static int
verify_token(const uint8_t *tok, size_t len, int64_t at)
{
	struct mindl_status_token *t = NULL;
	int r;

	if ((r = mindl_status_token_parse(tok, len, &t)) == MINDL_OK)
		r = mindl_status_token_verify(t, fx.trust, at, NULL);
	mindl_status_token_free(&t);
	return r;
}

static void
verify_refusals(void)
{
	struct mindl_trust *both = NULL;
	struct mindl_status_token *t = NULL;
	struct claims c;
	uint8_t *tok = NULL, z[16];
	size_t len = 0, zlen = test_unhex(draft_zlib, z, sizeof(z));

	CHECK_ERR(write_list(fx.ss_key, fx.ss, fx.sslen, T0, T0 + 86400, &tok,
	    &len), MINDL_OK);
	if (tok != NULL) {
		CHECK_ERR(verify_token(tok, len, T0 + 60), MINDL_OK);
		/* Past exp; issued in the future; before the signer. */
		CHECK_ERR(verify_token(tok, len, T0 + 86401),
		    MINDL_ERR_STATUS_EXPIRED);
		CHECK_ERR(verify_token(tok, len, T0 - 3600),
		    MINDL_ERR_SIGNED_LATER);
		/* One bit of the signature, the last byte. */
		tok[len - 1] ^= 0x01;
		CHECK_ERR(verify_token(tok, len, T0 + 60), MINDL_ERR_SIGNATURE);
		tok[len - 1] ^= 0x01;
		/* One bit of the list itself (near the end of the payload). */
		tok[len - 64 - 4] ^= 0x01;
		CHECK(verify_token(tok, len, T0 + 60) != MINDL_OK);
		free(tok);
		tok = NULL;
	}
	/* A DS key must not sign lists. */
	CHECK_ERR(write_list(fx.ds_key, fx.ds, fx.dslen, T0, T0 + 86400, &tok,
	    &len), MINDL_OK);
	CHECK_ERR(verify_token(tok, len, T0 + 60), MINDL_ERR_CERT_PROFILE);
	free(tok);
	tok = NULL;
	/* Signed by another IACA's signer: untrusted here. */
	CHECK_ERR(write_list(fx.other_ss_key, fx.other_ss, fx.other_sslen, T0,
	    T0 + 86400, &tok, &len), MINDL_OK);
	CHECK_ERR(verify_token(tok, len, T0 + 60), MINDL_ERR_UNTRUSTED);
	/* ... and with both trusted, its root is the other one. */
	CHECK_ERR(mindl_trust_new(&both), MINDL_OK);
	CHECK_ERR(mindl_trust_add_der(both, fx.iaca, fx.iacalen), MINDL_OK);
	CHECK_ERR(mindl_trust_add_der(both, fx.other, fx.otherlen), MINDL_OK);
	CHECK_ERR(mindl_status_token_parse(tok, len, &t), MINDL_OK);
	if (t != NULL) {
		uint8_t root[MINDL_SHA256_LEN], want[MINDL_SHA256_LEN];

		CHECK_ERR(mindl_status_token_verify(t, both, T0 + 60, root),
		    MINDL_OK);
		CHECK_ERR(mindl_sha256(fx.other, fx.otherlen, want), MINDL_OK);
		CHECK(memcmp(root, want, sizeof(root)) == 0);
	}
	mindl_status_token_free(&t);
	mindl_trust_free(&both);
	free(tok);
	tok = NULL;
	/* The key under another certificate than the one shown. */
	CHECK_ERR(write_list(fx.ds_key, fx.ss, fx.sslen, T0, T0 + 86400, &tok,
	    &len), MINDL_OK);
	CHECK_ERR(verify_token(tok, len, T0 + 60), MINDL_ERR_SIGNATURE);
	free(tok);
	tok = NULL;
	/* mindl requires an exp. */
	default_claims(&c, z, zlen);
	c.flags = NO_EXP;
	CHECK_ERR(sign_claims(&c, 18, MINDL_STATUS_TYP, &tok, &len), MINDL_OK);
	CHECK_ERR(verify_token(tok, len, T0 + 60), MINDL_ERR_MISSING);
	free(tok);
}

static void
judge(void)
{
	struct mindl_status_cached l;
	struct mindl_status_verdict v;
	uint8_t other[MINDL_SHA256_LEN], byte = 0x02;

	memset(&l, 0, sizeof(l));
	l.iat = T0;
	l.exp = T0 + 86400;
	l.has_ttl = 1;
	l.ttl = 3600;
	l.entries = 16;
	memcpy(l.root, fx.root, sizeof(l.root));
	memset(other, 0x5a, sizeof(other));
	mindl_status_judge(NULL, NULL, fx.root, 1, T0, &v);
	CHECK(v.state == MINDL_STATUS_STATE_UNKNOWN &&
	    v.err == MINDL_ERR_STATUS_UNKNOWN && v.reason != NULL);
	mindl_status_judge(&l, &byte, fx.root, 1, T0 + 60, &v);
	CHECK(v.state == MINDL_STATUS_STATE_REVOKED &&
	    v.err == MINDL_ERR_REVOKED && v.age == 60 && !v.stale);
	mindl_status_judge(&l, &byte, fx.root, 0, T0 + 7200, &v);
	CHECK(v.state == MINDL_STATUS_STATE_VALID && v.err == MINDL_OK &&
	    v.age == 7200 && v.stale && v.reason != NULL);
	mindl_status_judge(&l, &byte, other, 1, T0 + 60, &v);
	CHECK(v.state == MINDL_STATUS_STATE_UNKNOWN &&
	    v.err == MINDL_ERR_UNTRUSTED);
	mindl_status_judge(&l, &byte, fx.root, 1, T0 + 86401, &v);
	CHECK(v.state == MINDL_STATUS_STATE_UNKNOWN &&
	    v.err == MINDL_ERR_STATUS_EXPIRED);
	mindl_status_judge(&l, NULL, fx.root, 16, T0 + 60, &v);
	CHECK(v.state == MINDL_STATUS_STATE_UNKNOWN &&
	    v.err == MINDL_ERR_STATUS_UNKNOWN);
	mindl_status_judge(&l, &byte, fx.root, 1, T0 - 3600, &v);
	CHECK(v.state == MINDL_STATUS_STATE_UNKNOWN &&
	    v.err == MINDL_ERR_STATUS_UNKNOWN);
}

static const char record[] =
    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1234567\","
    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\"}]}";

/*
 * A credential issued with a status reference, presented and verified:
 * its reference and its IACA, judged against a list that revokes it and
 * one that does not.
 */
static uint64_t
verified_idx(const struct mindl_status_ref *ref, struct mindl_verified **out)
{
	struct mindl_schema *schema = NULL;
	struct mindl_record *rec = NULL;
	struct mindl_request *req = NULL;
	struct mindl_key *dev = NULL, *reader = NULL;
	struct mindl_issue_params p;
	uint8_t *cred = NULL, *rb = NULL, *resp = NULL;
	size_t credlen = 0, rblen = 0, resplen = 0;
	char err[256];
	int r;

	*out = NULL;
	if ((r = mindl_schema_builtin(&schema)) != MINDL_OK ||
	    (r = mindl_key_generate(&dev)) != MINDL_OK ||
	    (r = mindl_key_generate(&reader)) != MINDL_OK ||
	    (r = mindl_record_parse(schema, record, strlen(record),
	    test_jpeg, sizeof(test_jpeg), T0, &rec, err, sizeof(err))) !=
	    MINDL_OK)
		goto out;
	memset(&p, 0, sizeof(p));
	p.record = rec;
	p.policy = mindl_schema_policy(schema);
	p.ds_cert = fx.ds;
	p.ds_certlen = fx.dslen;
	p.device_pub = dev;
	p.status = ref;
	p.now = T0;
	if ((r = test_issue(&p, fx.ds_key, &cred, &credlen, NULL)) !=
	    MINDL_OK ||
	    (r = mindl_request_create(mindl_schema_profile(schema, "age-21"),
	    reader, &rb, &rblen)) != MINDL_OK ||
	    (r = mindl_request_parse(rb, rblen, &req)) != MINDL_OK ||
	    (r = test_present(cred, credlen, dev, req, schema,
	    MINDL_DEVAUTH_MAC, &resp, &resplen, NULL)) != MINDL_OK)
		goto out;
	r = mindl_verify_response(fx.trust, schema, T0 + 3600, req, reader,
	    resp, resplen, out);
 out:
	CHECK_ERR(r, MINDL_OK);
	mindl_record_free(&rec);
	mindl_request_free(&req);
	mindl_schema_free(&schema);
	mindl_key_free(&dev);
	mindl_key_free(&reader);
	free(cred);
	free(rb);
	free(resp);
	return ref != NULL ? ref->idx : 0;
}

static void
verified_status(void)
{
	struct mindl_status_ref ref = { 0, URI };
	struct mindl_verified *v = NULL;
	struct mindl_status_token *t = NULL;
	struct mindl_status_cached l;
	struct mindl_status_verdict vd;
	uint8_t *tok = NULL, root[MINDL_SHA256_LEN];
	const uint8_t *uri, *bm;
	size_t len = 0, urilen = 0, bmlen = 0;
	uint64_t idx = 0, want;
	int64_t exp = 0;

	/* No reference: nothing to look up. */
	(void)verified_idx(NULL, &v);
	if (v != NULL)
		CHECK_ERR(mindl_verified_status_ref(v, &idx, &uri, &urilen),
		    MINDL_ERR_MISSING);
	mindl_verified_free(&v);
	CHECK_ERR(write_list(fx.ss_key, fx.ss, fx.sslen, T0, T0 + 86400, &tok,
	    &len), MINDL_OK);
	CHECK_ERR(mindl_status_token_parse(tok, len, &t), MINDL_OK);
	if (t == NULL)
		goto out;
	CHECK_ERR(mindl_status_token_verify(t, fx.trust, T0 + 60, root),
	    MINDL_OK);
	memset(&l, 0, sizeof(l));
	l.iat = mindl_status_token_iat(t);
	CHECK_ERR(mindl_status_token_exp(t, &exp), MINDL_OK);
	l.exp = exp;
	l.entries = mindl_status_token_entries(t);
	memcpy(l.root, root, sizeof(root));
	mindl_status_token_bitmap(t, &bm, &bmlen);
	/* A revoked entry, then one that is not. */
	ref.idx = fx.revoked[0];
	want = verified_idx(&ref, &v);
	if (v == NULL)
		goto out;
	CHECK_ERR(mindl_verified_status_ref(v, &idx, &uri, &urilen), MINDL_OK);
	CHECK(idx == want && urilen == strlen(URI) &&
	    memcmp(uri, URI, urilen) == 0);
	mindl_verified_ds_root(v, root);
	CHECK(memcmp(root, fx.root, sizeof(root)) == 0);
	mindl_status_judge(&l, bm + mindl_status_byte_offset(idx), root, idx,
	    T0 + 3600, &vd);
	CHECK(vd.state == MINDL_STATUS_STATE_REVOKED &&
	    vd.err == MINDL_ERR_REVOKED);
	mindl_verified_free(&v);
	for (ref.idx = MINDL_STATUS_IDX_MIN; is_revoked(ref.idx); ref.idx++)
		;
	(void)verified_idx(&ref, &v);
	if (v == NULL)
		goto out;
	CHECK_ERR(mindl_verified_status_ref(v, &idx, &uri, &urilen), MINDL_OK);
	mindl_status_judge(&l, bm + mindl_status_byte_offset(idx), root, idx,
	    T0 + 3600, &vd);
	CHECK(vd.state == MINDL_STATUS_STATE_VALID && vd.err == MINDL_OK &&
	    vd.age == 3600);
 out:
	mindl_verified_free(&v);
	mindl_status_token_free(&t);
	free(tok);
}

int
main(void)
{
	if (setup() != MINDL_OK) {
		fprintf(stderr, "setup failed\n");
		return 1;
	}
	RUN(draft_vector);
	RUN(round_trip);
	RUN(write_refusals);
	RUN(parse_refusals);
	RUN(truncated_and_trailing);
	RUN(verify_refusals);
	RUN(judge);
	RUN(verified_status);
	teardown();
	UNIT_DONE();
}
