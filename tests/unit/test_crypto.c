/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests for core/src/crypto_ossl.c: known answers from RFC 5869,
 * RFC 4231, FIPS 180-2 and RFC 6979, plus round trips and the refusals
 * that key.h promises.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "mindl/err.h"
#include "mindl/key.h"
#include "internal.h"
#include "unit.h"
#include "../common/testlib.h"

static char tmpdir[64];

static void
tmppath(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", tmpdir, name);
}

/* P-256 generator (SEC 2 section 2.4.2). */
static const char *p256_gx =
    "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296";
static const char *p256_gy =
    "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5";
/* P-256 field prime p. */
static const char *p256_p =
    "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF";

/* RFC 6979 appendix A.2.5: P-256 public key U = xG. */
static const char *rfc6979_ux =
    "60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6";
static const char *rfc6979_uy =
    "7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299";

static void
test_sign_verify_p256(void)
{
	struct mindl_key *k = NULL, *other = NULL, *pub = NULL;
	const uint8_t msg[] = "mobile driving licence";
	uint8_t m2[sizeof(msg)], sig[MINDL_MAX_SIG], s2[MINDL_MAX_SIG + 1];
	uint8_t x[MINDL_MAX_COORD], y[MINDL_MAX_COORD];
	size_t siglen = sizeof(sig), clen = 0;

	CHECK_ERR(mindl_key_generate(&k), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&other), MINDL_OK);
	if (k == NULL || other == NULL)
		goto out;
	CHECK(mindl_key_is_private(k) == 1);
	CHECK(mindl_key_curve(k) == MINDL_CRV_P256);
	CHECK(mindl_key_alg(k) == MINDL_ALG_ES256);
	CHECK(mindl_crv_coord_len(MINDL_CRV_P256) == 32);
	CHECK(mindl_crv_coord_len(99) == 0);

	CHECK_ERR(mindl_ecdsa_sign(k, msg, sizeof(msg), sig, &siglen),
	    MINDL_OK);
	CHECK(siglen == 64);
	CHECK_ERR(mindl_ecdsa_verify(k, msg, sizeof(msg), sig, siglen),
	    MINDL_OK);

	/* A flipped bit anywhere in message or signature is caught. */
	memcpy(m2, msg, sizeof(msg));
	m2[3] ^= 0x01;
	CHECK_ERR(mindl_ecdsa_verify(k, m2, sizeof(m2), sig, siglen),
	    MINDL_ERR_SIGNATURE);
	memcpy(s2, sig, siglen);
	s2[10] ^= 0x80;
	CHECK_ERR(mindl_ecdsa_verify(k, msg, sizeof(msg), s2, siglen),
	    MINDL_ERR_SIGNATURE);
	memcpy(s2, sig, siglen);
	s2[63] ^= 0x01;
	CHECK_ERR(mindl_ecdsa_verify(k, msg, sizeof(msg), s2, siglen),
	    MINDL_ERR_SIGNATURE);
	/* Shorter message: a prefix does not verify. */
	CHECK_ERR(mindl_ecdsa_verify(k, msg, sizeof(msg) - 1, sig, siglen),
	    MINDL_ERR_SIGNATURE);

	/* Exact length: no truncation, no trailing byte. */
	CHECK_ERR(mindl_ecdsa_verify(k, msg, sizeof(msg), sig, siglen - 1),
	    MINDL_ERR_SIGNATURE);
	memcpy(s2, sig, siglen);
	s2[siglen] = 0;
	CHECK_ERR(mindl_ecdsa_verify(k, msg, sizeof(msg), s2, siglen + 1),
	    MINDL_ERR_SIGNATURE);
	CHECK_ERR(mindl_ecdsa_verify(k, msg, sizeof(msg), sig, 0),
	    MINDL_ERR_SIGNATURE);
	/* r = s = 0 and all-ones (over the order) are refused. */
	memset(s2, 0, 64);
	CHECK_ERR(mindl_ecdsa_verify(k, msg, sizeof(msg), s2, 64),
	    MINDL_ERR_SIGNATURE);
	memset(s2, 0xff, 64);
	CHECK_ERR(mindl_ecdsa_verify(k, msg, sizeof(msg), s2, 64),
	    MINDL_ERR_SIGNATURE);

	/* Wrong key. */
	CHECK_ERR(mindl_ecdsa_verify(other, msg, sizeof(msg), sig, siglen),
	    MINDL_ERR_SIGNATURE);

	/* The public half alone verifies, and cannot sign. */
	CHECK_ERR(mindl_key_xy(k, x, y, &clen), MINDL_OK);
	CHECK(clen == 32);
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, x, clen, y, clen, &pub),
	    MINDL_OK);
	CHECK(pub != NULL && mindl_key_is_private(pub) == 0);
	CHECK_ERR(mindl_ecdsa_verify(pub, msg, sizeof(msg), sig, siglen),
	    MINDL_OK);
	siglen = sizeof(sig);
	CHECK_ERR(mindl_ecdsa_sign(pub, msg, sizeof(msg), sig, &siglen),
	    MINDL_ERR_KEY);

	/* Capacity is checked and siglen untouched on failure. */
	siglen = 63;
	CHECK_ERR(mindl_ecdsa_sign(k, msg, sizeof(msg), sig, &siglen),
	    MINDL_ERR_INVALID_ARG);
	CHECK(siglen == 63);

	/* Empty message. */
	siglen = sizeof(sig);
	CHECK_ERR(mindl_ecdsa_sign(k, NULL, 0, sig, &siglen), MINDL_OK);
	CHECK_ERR(mindl_ecdsa_verify(k, NULL, 0, sig, siglen), MINDL_OK);
	CHECK_ERR(mindl_ecdsa_verify(k, msg, 1, sig, siglen),
	    MINDL_ERR_SIGNATURE);
out:
	mindl_key_free(&k);
	mindl_key_free(&other);
	mindl_key_free(&pub);
	CHECK(k == NULL && other == NULL && pub == NULL);
}

/*
 * RFC 6979 A.2.5, ECDSA P-256 with SHA-256: deterministic signatures of
 * "sample" and "test" under the published key, checked by verification.
 */
static void
test_rfc6979_p256(void)
{
	static const struct {
		const char *msg, *r, *s;
	} v[] = {
		{ "sample",
		  "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
		  "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8" },
		{ "test",
		  "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
		  "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083" },
	};
	struct mindl_key *u = NULL;
	uint8_t x[32], y[32], sig[64];
	size_t i;

	test_unhex(rfc6979_ux, x, sizeof(x));
	test_unhex(rfc6979_uy, y, sizeof(y));
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, x, 32, y, 32, &u),
	    MINDL_OK);
	if (u == NULL)
		return;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		test_unhex(v[i].r, sig, 32);
		test_unhex(v[i].s, sig + 32, 32);
		CHECK_ERR(mindl_ecdsa_verify(u, (const uint8_t *)v[i].msg,
		    strlen(v[i].msg), sig, sizeof(sig)), MINDL_OK);
		/* The other message's signature must not verify. */
		CHECK_ERR(mindl_ecdsa_verify(u, (const uint8_t *)v[1 - i].msg,
		    strlen(v[1 - i].msg), sig, sizeof(sig)),
		    MINDL_ERR_SIGNATURE);
		/* s and n - s: swapping r and s must fail. */
		test_unhex(v[i].s, sig, 32);
		test_unhex(v[i].r, sig + 32, 32);
		CHECK_ERR(mindl_ecdsa_verify(u, (const uint8_t *)v[i].msg,
		    strlen(v[i].msg), sig, sizeof(sig)), MINDL_ERR_SIGNATURE);
	}
	mindl_key_free(&u);
}

/* RFC 5869 appendix A.1 (test case 1) and A.3 (no salt, no info). */
static void
test_hkdf_kat(void)
{
	uint8_t ikm[22], salt[13], info[10], okm[42], want[42], z[1];

	memset(ikm, 0x0b, sizeof(ikm));
	test_unhex("000102030405060708090a0b0c", salt, sizeof(salt));
	test_unhex("f0f1f2f3f4f5f6f7f8f9", info, sizeof(info));
	test_unhex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	    "34007208d5b887185865", want, sizeof(want));
	memset(okm, 0, sizeof(okm));
	CHECK_ERR(mindl_hkdf_sha256(salt, sizeof(salt), ikm, sizeof(ikm),
	    info, sizeof(info), okm, sizeof(okm)), MINDL_OK);
	CHECK(memcmp(okm, want, sizeof(want)) == 0);

	test_unhex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	    "9d201395faa4b61a96c8", want, sizeof(want));
	memset(okm, 0, sizeof(okm));
	CHECK_ERR(mindl_hkdf_sha256(NULL, 0, ikm, sizeof(ikm), NULL, 0, okm,
	    sizeof(okm)), MINDL_OK);
	CHECK(memcmp(okm, want, sizeof(want)) == 0);

	CHECK_ERR(mindl_hkdf_sha256(salt, sizeof(salt), ikm, sizeof(ikm),
	    info, sizeof(info), z, 0), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_hkdf_sha256(NULL, 1, ikm, sizeof(ikm), NULL, 0, okm,
	    sizeof(okm)), MINDL_ERR_INVALID_ARG);
}

/* RFC 4231 section 4.3 (test case 2) and 4.2 (test case 1). */
static void
test_hmac_kat(void)
{
	const char *data = "what do ya want for nothing?";
	uint8_t key[20], mac[MINDL_SHA256_LEN], want[MINDL_SHA256_LEN];

	test_unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	    want, sizeof(want));
	memset(mac, 0, sizeof(mac));
	CHECK_ERR(mindl_hmac_sha256((const uint8_t *)"Jefe", 4,
	    (const uint8_t *)data, strlen(data), mac), MINDL_OK);
	CHECK(memcmp(mac, want, sizeof(want)) == 0);
	CHECK(mindl_ct_eq(mac, want, sizeof(want)) == 1);

	memset(key, 0x0b, sizeof(key));
	test_unhex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	    want, sizeof(want));
	CHECK_ERR(mindl_hmac_sha256(key, sizeof(key),
	    (const uint8_t *)"Hi There", 8, mac), MINDL_OK);
	CHECK(memcmp(mac, want, sizeof(want)) == 0);
}

/* FIPS 180-2 appendix B.1 and the empty string. */
static void
test_sha256_kat(void)
{
	uint8_t md[MINDL_SHA256_LEN], want[MINDL_SHA256_LEN];

	test_unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	    want, sizeof(want));
	CHECK_ERR(mindl_sha256((const uint8_t *)"abc", 3, md), MINDL_OK);
	CHECK(memcmp(md, want, sizeof(want)) == 0);

	test_unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	    want, sizeof(want));
	CHECK_ERR(mindl_sha256(NULL, 0, md), MINDL_OK);
	CHECK(memcmp(md, want, sizeof(want)) == 0);
}

static void
test_ecdh(void)
{
	struct mindl_key *a = NULL, *b = NULL, *bpub = NULL, *p384 = NULL;
	EVP_PKEY *pk = NULL;
	uint8_t za[MINDL_MAX_COORD], zb[MINDL_MAX_COORD];
	uint8_t x[MINDL_MAX_COORD], y[MINDL_MAX_COORD];
	size_t la = sizeof(za), lb = sizeof(zb), clen = 0, small = 31;

	CHECK_ERR(mindl_key_generate(&a), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&b), MINDL_OK);
	if (a == NULL || b == NULL)
		goto out;
	memset(za, 0x11, sizeof(za));
	memset(zb, 0x22, sizeof(zb));
	CHECK_ERR(mindl_ecdh(a, b, za, &la), MINDL_OK);
	CHECK_ERR(mindl_ecdh(b, a, zb, &lb), MINDL_OK);
	CHECK(la == 32 && lb == 32);
	CHECK(memcmp(za, zb, 32) == 0);

	/* Against the public half only: the same secret. */
	CHECK_ERR(mindl_key_xy(b, x, y, &clen), MINDL_OK);
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, x, clen, y, clen, &bpub),
	    MINDL_OK);
	lb = sizeof(zb);
	memset(zb, 0x33, sizeof(zb));
	CHECK_ERR(mindl_ecdh(a, bpub, zb, &lb), MINDL_OK);
	CHECK(lb == 32 && memcmp(za, zb, 32) == 0);

	/* No private half; short buffer; curve mismatch. */
	lb = sizeof(zb);
	CHECK_ERR(mindl_ecdh(bpub, a, zb, &lb), MINDL_ERR_KEY);
	CHECK_ERR(mindl_ecdh(a, b, zb, &small), MINDL_ERR_INVALID_ARG);
	CHECK(small == 31);
	if ((pk = EVP_EC_gen("P-384")) == NULL ||
	    mindl_key_wrap_evp(pk, &p384) != MINDL_OK) {
		EVP_PKEY_free(pk);
		CHECK(0);
		goto out;
	}
	CHECK_ERR(mindl_ecdh(a, p384, zb, &lb), MINDL_ERR_KEY);
out:
	mindl_key_free(&a);
	mindl_key_free(&b);
	mindl_key_free(&bpub);
	mindl_key_free(&p384);
}

static void
test_from_xy(void)
{
	struct mindl_key *k = NULL, *g = NULL;
	uint8_t x[MINDL_MAX_COORD], y[MINDL_MAX_COORD], p[32];
	uint8_t x2[MINDL_MAX_COORD], y2[MINDL_MAX_COORD];
	size_t clen = 0;

	test_unhex(p256_gx, x, sizeof(x));
	test_unhex(p256_gy, y, sizeof(y));
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, x, 32, y, 32, &g),
	    MINDL_OK);
	CHECK(g != NULL && mindl_key_curve(g) == MINDL_CRV_P256);
	/* Round trip: the coordinates come back unchanged. */
	CHECK_ERR(mindl_key_xy(g, x2, y2, &clen), MINDL_OK);
	CHECK(clen == 32 && memcmp(x, x2, 32) == 0 &&
	    memcmp(y, y2, 32) == 0);

	/* Not on the curve: y off by one bit. */
	y[31] ^= 0x01;
	k = (struct mindl_key *)&clen;	/* must be NULLed on failure */
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, x, 32, y, 32, &k),
	    MINDL_ERR_KEY);
	CHECK(k == NULL);
	y[31] ^= 0x01;
	/* (0, 0) and a coordinate equal to the field prime. */
	memset(x2, 0, sizeof(x2));
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, x2, 32, x2, 32, &k),
	    MINDL_ERR_KEY);
	test_unhex(p256_p, p, sizeof(p));
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, p, 32, y, 32, &k),
	    MINDL_ERR_KEY);
	/* Lengths must be exactly the curve's. */
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, x, 31, y, 32, &k),
	    MINDL_ERR_KEY);
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, x, 32, y, 33, &k),
	    MINDL_ERR_KEY);
	/* The P-256 point is not a P-384 point (and has the wrong size). */
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P384, x, 32, y, 32, &k),
	    MINDL_ERR_KEY);
	CHECK_ERR(mindl_key_from_xy(0, x, 32, y, 32, &k), MINDL_ERR_KEY);
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, NULL, 32, y, 32, &k),
	    MINDL_ERR_INVALID_ARG);
	CHECK(k == NULL);

	/* Round trip of a generated key. */
	mindl_key_free(&g);
	CHECK_ERR(mindl_key_generate(&g), MINDL_OK);
	CHECK_ERR(mindl_key_xy(g, x, y, &clen), MINDL_OK);
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, x, clen, y, clen, &k),
	    MINDL_OK);
	CHECK_ERR(mindl_key_xy(k, x2, y2, &clen), MINDL_OK);
	CHECK(clen == 32 && memcmp(x, x2, 32) == 0 &&
	    memcmp(y, y2, 32) == 0);
	mindl_key_free(&k);
	mindl_key_free(&g);
}

static void
test_spki(void)
{
	struct mindl_key *k = NULL, *k2 = NULL;
	EVP_PKEY *ed = NULL;
	unsigned char *der = NULL, *p;
	uint8_t buf[512], x[MINDL_MAX_COORD], y[MINDL_MAX_COORD];
	uint8_t x2[MINDL_MAX_COORD], y2[MINDL_MAX_COORD];
	size_t clen = 0;
	int n;

	CHECK_ERR(mindl_key_generate(&k), MINDL_OK);
	if (k == NULL)
		return;
	n = i2d_PUBKEY(mindl_key_evp(k), &der);
	CHECK(n > 0 && (size_t)n < sizeof(buf) - 1);
	if (n <= 0 || (size_t)n >= sizeof(buf) - 1)
		goto out;
	memcpy(buf, der, (size_t)n);
	CHECK_ERR(mindl_key_from_spki(buf, (size_t)n, &k2), MINDL_OK);
	CHECK(k2 != NULL && !mindl_key_is_private(k2));
	CHECK(mindl_key_curve(k2) == MINDL_CRV_P256);
	CHECK_ERR(mindl_key_xy(k, x, y, &clen), MINDL_OK);
	CHECK_ERR(mindl_key_xy(k2, x2, y2, &clen), MINDL_OK);
	CHECK(memcmp(x, x2, 32) == 0 && memcmp(y, y2, 32) == 0);
	mindl_key_free(&k2);

	/* Trailing byte, truncation, damaged point. */
	buf[n] = 0;
	CHECK_ERR(mindl_key_from_spki(buf, (size_t)n + 1, &k2),
	    MINDL_ERR_KEY);
	CHECK_ERR(mindl_key_from_spki(buf, (size_t)n - 1, &k2),
	    MINDL_ERR_KEY);
	buf[n - 1] ^= 0x01;
	CHECK_ERR(mindl_key_from_spki(buf, (size_t)n, &k2), MINDL_ERR_KEY);
	CHECK(k2 == NULL);

	/* Not an EC key: certificates carry EC keys only. */
	OPENSSL_free(der);
	der = NULL;
	if ((ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) == NULL) {
		CHECK(0);
		goto out;
	}
	n = i2d_PUBKEY(ed, &der);
	CHECK(n > 0);
	if (n > 0) {
		p = der;
		CHECK_ERR(mindl_key_from_spki(p, (size_t)n, &k2),
		    MINDL_ERR_KEY);
	}
	/*
	 * A key file may hold an Ed25519 device key: wrap takes it (and
	 * owns it).  An X25519 key is refused, ownership left with the
	 * caller.
	 */
	CHECK_ERR(mindl_key_wrap_evp(ed, &k2), MINDL_OK);
	if (k2 != NULL) {
		ed = NULL;
		CHECK(mindl_key_curve(k2) == MINDL_CRV_ED25519);
		CHECK(mindl_key_alg(k2) == MINDL_ALG_EDDSA);
		mindl_key_free(&k2);
	}
	EVP_PKEY_free(ed);
	if ((ed = EVP_PKEY_Q_keygen(NULL, NULL, "X25519")) == NULL) {
		CHECK(0);
		goto out;
	}
	CHECK_ERR(mindl_key_wrap_evp(ed, &k2), MINDL_ERR_KEY);
	CHECK(k2 == NULL);
out:
	EVP_PKEY_free(ed);
	OPENSSL_free(der);
	mindl_key_free(&k);
	mindl_key_free(&k2);
}

/* P-384 and P-521 keys made by OpenSSL: sign, verify, sizes. */
static void
test_other_curves(void)
{
	static const struct {
		const char *name;
		int crv, alg;
		size_t clen;
	} c[] = {
		{ "P-384", MINDL_CRV_P384, MINDL_ALG_ES384, 48 },
		{ "P-521", MINDL_CRV_P521, MINDL_ALG_ES512, 66 },
	};
	struct mindl_key *k = NULL, *pub = NULL;
	EVP_PKEY *pk;
	const uint8_t msg[] = "x";
	uint8_t sig[MINDL_MAX_SIG], x[MINDL_MAX_COORD], y[MINDL_MAX_COORD];
	size_t i, siglen, clen;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if ((pk = EVP_EC_gen(c[i].name)) == NULL) {
			CHECK(0);
			continue;
		}
		CHECK_ERR(mindl_key_wrap_evp(pk, &k), MINDL_OK);
		if (k == NULL) {
			EVP_PKEY_free(pk);
			continue;
		}
		CHECK(mindl_key_evp(k) == pk);
		CHECK(mindl_key_curve(k) == c[i].crv);
		CHECK(mindl_key_alg(k) == c[i].alg);
		CHECK(mindl_key_is_private(k) == 1);
		siglen = sizeof(sig);
		CHECK_ERR(mindl_ecdsa_sign(k, msg, sizeof(msg), sig, &siglen),
		    MINDL_OK);
		CHECK(siglen == 2 * c[i].clen);
		CHECK_ERR(mindl_key_xy(k, x, y, &clen), MINDL_OK);
		CHECK(clen == c[i].clen);
		CHECK_ERR(mindl_key_from_xy(c[i].crv, x, clen, y, clen, &pub),
		    MINDL_OK);
		CHECK_ERR(mindl_ecdsa_verify(pub, msg, sizeof(msg), sig,
		    siglen), MINDL_OK);
		sig[siglen - 1] ^= 0x01;
		CHECK_ERR(mindl_ecdsa_verify(pub, msg, sizeof(msg), sig,
		    siglen), MINDL_ERR_SIGNATURE);
		/* A P-256-sized signature is the wrong length here. */
		CHECK_ERR(mindl_ecdsa_verify(pub, msg, sizeof(msg), sig, 64),
		    MINDL_ERR_SIGNATURE);
		mindl_key_free(&pub);
		mindl_key_free(&k);
	}
}

static int
write_file(const char *path, const void *buf, size_t len)
{
	FILE *f;
	int ok;

	if ((f = fopen(path, "wb")) == NULL)
		return 0;
	ok = fwrite(buf, 1, len, f) == len;
	return fclose(f) == 0 && ok;
}

/*
 * 1 if path is an ENCRYPTED PRIVATE KEY whose DER names scrypt
 * (OID 1.3.6.1.4.1.11591.4.11, RFC 7914 section 7), 0 otherwise.
 */
static int
pem_has_scrypt(const char *path)
{
	static const uint8_t oid[] = {
		0x06, 0x09, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xda, 0x47, 0x04,
		0x0b
	};
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	long len = 0, i;
	int found = 0;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (PEM_read(f, &name, &header, &data, &len) == 1 &&
	    strcmp(name, "ENCRYPTED PRIVATE KEY") == 0)
		for (i = 0; i + (long)sizeof(oid) <= len; i++)
			if (memcmp(data + i, oid, sizeof(oid)) == 0)
				found = 1;
	fclose(f);
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(data);
	return found;
}

static void
test_pem(void)
{
	struct mindl_key *k = NULL, *r = NULL;
	struct stat st;
	char plain[128], enc[128], pub[128], big[128], junk[128], lnk[128];
	char target[128], ed[128], cwd[4096];
	const uint8_t msg[] = "pem";
	uint8_t sig[MINDL_MAX_SIG], x[MINDL_MAX_COORD], y[MINDL_MAX_COORD];
	uint8_t x2[MINDL_MAX_COORD], y2[MINDL_MAX_COORD], *bigbuf;
	size_t siglen = sizeof(sig), clen = 0;
	EVP_PKEY *edk;
	FILE *f;
	mode_t um;

	um = umask(022);
	umask(um);
	tmppath(plain, sizeof(plain), "plain.pem");
	tmppath(enc, sizeof(enc), "enc.pem");
	tmppath(pub, sizeof(pub), "pub.pem");
	tmppath(big, sizeof(big), "big.pem");
	tmppath(junk, sizeof(junk), "junk.pem");
	tmppath(lnk, sizeof(lnk), "lnk.pem");
	tmppath(target, sizeof(target), "target.pem");
	tmppath(ed, sizeof(ed), "ed.pem");

	CHECK_ERR(mindl_key_generate(&k), MINDL_OK);
	if (k == NULL)
		return;
	CHECK_ERR(mindl_key_xy(k, x, y, &clen), MINDL_OK);

	/* Plain PKCS#8. */
	CHECK_ERR(mindl_key_write_private_pem(plain, k, NULL), MINDL_OK);
	CHECK(stat(plain, &st) == 0 && (st.st_mode & 07777) == 0600);
	CHECK_ERR(mindl_key_write_private_pem(plain, k, NULL),
	    MINDL_ERR_EXISTS);
	CHECK_ERR(mindl_key_read_pem(plain, NULL, &r), MINDL_OK);
	CHECK(r != NULL && mindl_key_is_private(r));
	CHECK_ERR(mindl_key_xy(r, x2, y2, &clen), MINDL_OK);
	CHECK(memcmp(x, x2, 32) == 0 && memcmp(y, y2, 32) == 0);
	/* The key read back signs for the original. */
	CHECK_ERR(mindl_ecdsa_sign(r, msg, sizeof(msg), sig, &siglen),
	    MINDL_OK);
	CHECK_ERR(mindl_ecdsa_verify(k, msg, sizeof(msg), sig, siglen),
	    MINDL_OK);
	mindl_key_free(&r);
	/* A passphrase given for a plain file is not needed. */
	CHECK_ERR(mindl_key_read_pem(plain, "unused", &r), MINDL_OK);
	mindl_key_free(&r);

	/* Encrypted PKCS#8. */
	CHECK_ERR(mindl_key_write_private_pem(enc, k, "correct horse"),
	    MINDL_OK);
	CHECK(stat(enc, &st) == 0 && (st.st_mode & 07777) == 0600);
	CHECK_ERR(mindl_key_write_private_pem(enc, k, "correct horse"),
	    MINDL_ERR_EXISTS);
	CHECK_ERR(mindl_key_read_pem(enc, "correct horse", &r), MINDL_OK);
	CHECK(r != NULL && mindl_key_is_private(r));
	CHECK_ERR(mindl_key_xy(r, x2, y2, &clen), MINDL_OK);
	CHECK(memcmp(x, x2, 32) == 0 && memcmp(y, y2, 32) == 0);
	mindl_key_free(&r);
	CHECK_ERR(mindl_key_read_pem(enc, "battery staple", &r),
	    MINDL_ERR_PASSPHRASE);
	CHECK_ERR(mindl_key_read_pem(enc, NULL, &r), MINDL_ERR_PASSPHRASE);
	CHECK_ERR(mindl_key_read_pem(enc, "", &r), MINDL_ERR_PASSPHRASE);
	CHECK(r == NULL);
	/* An empty passphrase protects nothing. */
	CHECK_ERR(mindl_key_write_private_pem(big, k, ""),
	    MINDL_ERR_INVALID_ARG);
	CHECK(access(big, F_OK) == -1);
	/* Really encrypted, under PBES2 with scrypt (key.h). */
	CHECK(pem_has_scrypt(enc) == 1);
	CHECK(pem_has_scrypt(plain) == 0);

	/* Public key: 0644 less the umask, read back as public. */
	CHECK_ERR(mindl_key_write_public_pem(pub, k), MINDL_OK);
	CHECK(stat(pub, &st) == 0 &&
	    (st.st_mode & 07777) == (0644 & ~um));
	CHECK_ERR(mindl_key_write_public_pem(pub, k), MINDL_ERR_EXISTS);
	CHECK_ERR(mindl_key_read_pem(pub, NULL, &r), MINDL_OK);
	CHECK(r != NULL && !mindl_key_is_private(r));
	CHECK_ERR(mindl_key_xy(r, x2, y2, &clen), MINDL_OK);
	CHECK(memcmp(x, x2, 32) == 0 && memcmp(y, y2, 32) == 0);
	CHECK_ERR(mindl_ecdsa_verify(r, msg, sizeof(msg), sig, siglen),
	    MINDL_OK);
	/* A public key cannot be written as a private one. */
	CHECK_ERR(mindl_key_write_private_pem(big, r, NULL), MINDL_ERR_KEY);
	CHECK(access(big, F_OK) == -1);
	mindl_key_free(&r);

	/* A dangling symlink is neither followed nor replaced. */
	CHECK(symlink(target, lnk) == 0);
	CHECK_ERR(mindl_key_write_private_pem(lnk, k, NULL),
	    MINDL_ERR_EXISTS);
	CHECK(access(target, F_OK) == -1);

	/* "-" names a file, as any path does: a key is never printed. */
	if (getcwd(cwd, sizeof(cwd)) != NULL && chdir(tmpdir) == 0) {
		CHECK_ERR(mindl_key_write_private_pem("-", k, NULL),
		    MINDL_OK);
		CHECK(stat("-", &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mode & 07777) == 0600);
		CHECK_ERR(mindl_key_write_private_pem("-", k, NULL),
		    MINDL_ERR_EXISTS);
		CHECK(unlink("-") == 0);
		CHECK(chdir(cwd) == 0);
	} else
		CHECK(0);

	/* Missing, oversized, not a key, not an EC key. */
	CHECK_ERR(mindl_key_read_pem(target, NULL, &r), MINDL_ERR_NO_FILE);
	CHECK_ERR(mindl_key_read_pem(tmpdir, NULL, &r), MINDL_ERR_IO);
	if ((bigbuf = calloc(1, 70000)) != NULL) {
		memset(bigbuf, 'A', 70000);
		CHECK(write_file(big, bigbuf, 70000));
		free(bigbuf);
		CHECK_ERR(mindl_key_read_pem(big, NULL, &r),
		    MINDL_ERR_TOO_LARGE);
	}
	CHECK(write_file(junk, "-----BEGIN PRIVATE KEY-----\nAAAA\n", 33));
	CHECK_ERR(mindl_key_read_pem(junk, NULL, &r), MINDL_ERR_KEY);
	if ((edk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) != NULL &&
	    (f = fopen(ed, "w")) != NULL) {
		CHECK(PEM_write_PKCS8PrivateKey(f, edk, NULL, NULL, 0, NULL,
		    NULL) == 1);
		fclose(f);
		/* An Ed25519 device key file: read, and it signs. */
		CHECK_ERR(mindl_key_read_pem(ed, NULL, &r), MINDL_OK);
		if (r != NULL) {
			size_t sl = sizeof(sig);

			CHECK(mindl_key_curve(r) == MINDL_CRV_ED25519);
			CHECK_ERR(mindl_ecdsa_sign(r, msg, sizeof(msg), sig,
			    &sl), MINDL_OK);
			CHECK(sl == 64);
			CHECK_ERR(mindl_ecdsa_verify(r, msg, sizeof(msg), sig,
			    sl), MINDL_OK);
			sig[0] ^= 1;
			CHECK_ERR(mindl_ecdsa_verify(r, msg, sizeof(msg), sig,
			    sl), MINDL_ERR_SIGNATURE);
			mindl_key_free(&r);
		}
	} else
		CHECK(0);
	EVP_PKEY_free(edk);
	/* Ed448 is not a key mindl takes. */
	if ((edk = EVP_PKEY_Q_keygen(NULL, NULL, "ED448")) != NULL &&
	    (f = fopen(ed, "w")) != NULL) {
		CHECK(PEM_write_PKCS8PrivateKey(f, edk, NULL, NULL, 0, NULL,
		    NULL) == 1);
		fclose(f);
		CHECK_ERR(mindl_key_read_pem(ed, NULL, &r), MINDL_ERR_KEY);
	} else
		CHECK(0);
	EVP_PKEY_free(edk);
	CHECK(r == NULL);

	unlink(plain);
	unlink(enc);
	unlink(pub);
	unlink(big);
	unlink(junk);
	unlink(lnk);
	unlink(ed);
	mindl_key_free(&k);
}

/* OpenSSL can read what mindl writes, and mindl reads OpenSSL's PEM. */
static void
test_pem_interop(void)
{
	struct mindl_key *k = NULL, *r = NULL;
	char enc[128], p384[128];
	EVP_PKEY *pk = NULL;
	BIO *b;
	FILE *f;
	char pass[] = "interop";

	tmppath(enc, sizeof(enc), "interop-enc.pem");
	tmppath(p384, sizeof(p384), "interop-p384.pem");
	CHECK_ERR(mindl_key_generate(&k), MINDL_OK);
	CHECK_ERR(mindl_key_write_private_pem(enc, k, pass), MINDL_OK);
	if ((f = fopen(enc, "r")) != NULL) {
		pk = PEM_read_PrivateKey(f, NULL, NULL, pass);
		fclose(f);
	}
	CHECK(pk != NULL);
	CHECK(pk != NULL && EVP_PKEY_eq(pk, mindl_key_evp(k)) == 1);
	EVP_PKEY_free(pk);

	/*
	 * P-384 files as OpenSSL writes them: PKCS#8 with PBKDF2, and
	 * "EC PARAMETERS" followed by a legacy-encrypted "EC PRIVATE KEY"
	 * (Proc-Type/DEK-Info), as openssl ecparam -genkey leaves them.
	 */
	if ((pk = EVP_EC_gen("P-384")) != NULL &&
	    (b = BIO_new_file(p384, "w")) != NULL) {
		CHECK(PEM_write_bio_PrivateKey(b, pk, EVP_aes_128_cbc(),
		    (unsigned char *)pass, (int)strlen(pass), NULL,
		    NULL) == 1);
		BIO_free(b);
		CHECK_ERR(mindl_key_read_pem(p384, pass, &r), MINDL_OK);
		CHECK(r != NULL && mindl_key_curve(r) == MINDL_CRV_P384);
		CHECK(r != NULL && mindl_key_alg(r) == MINDL_ALG_ES384);
		CHECK(r != NULL && mindl_key_is_private(r));
		CHECK(r != NULL && EVP_PKEY_eq(pk, mindl_key_evp(r)) == 1);
		mindl_key_free(&r);
		CHECK_ERR(mindl_key_read_pem(p384, "wrong", &r),
		    MINDL_ERR_PASSPHRASE);
		unlink(p384);
	} else
		CHECK(0);
	if (pk != NULL && (b = BIO_new_file(p384, "w")) != NULL) {
		CHECK(PEM_write_bio_Parameters(b, pk) == 1);
		CHECK(PEM_write_bio_PrivateKey_traditional(b, pk,
		    EVP_aes_128_cbc(), (unsigned char *)pass,
		    (int)strlen(pass), NULL, NULL) == 1);
		BIO_free(b);
		CHECK_ERR(mindl_key_read_pem(p384, pass, &r), MINDL_OK);
		CHECK(r != NULL && mindl_key_curve(r) == MINDL_CRV_P384);
		CHECK(r != NULL && EVP_PKEY_eq(pk, mindl_key_evp(r)) == 1);
		mindl_key_free(&r);
		CHECK_ERR(mindl_key_read_pem(p384, "wrong", &r),
		    MINDL_ERR_PASSPHRASE);
		CHECK_ERR(mindl_key_read_pem(p384, NULL, &r),
		    MINDL_ERR_PASSPHRASE);
	} else
		CHECK(0);
	EVP_PKEY_free(pk);
	unlink(enc);
	unlink(p384);
	mindl_key_free(&k);
}

static void
test_ref(void)
{
	struct mindl_key *k = NULL, *k2;
	const uint8_t msg[] = "ref";
	uint8_t sig[MINDL_MAX_SIG];
	size_t siglen = sizeof(sig);

	CHECK_ERR(mindl_key_generate(&k), MINDL_OK);
	k2 = mindl_key_ref(k);
	CHECK(k2 == k);
	mindl_key_free(&k);
	CHECK(k == NULL);
	/* Still alive through the second reference. */
	CHECK_ERR(mindl_ecdsa_sign(k2, msg, sizeof(msg), sig, &siglen),
	    MINDL_OK);
	CHECK_ERR(mindl_ecdsa_verify(k2, msg, sizeof(msg), sig, siglen),
	    MINDL_OK);
	mindl_key_free(&k2);
	CHECK(k2 == NULL);
	mindl_key_free(&k2);
	mindl_key_free(NULL);
	CHECK(mindl_key_ref(NULL) == NULL);
	CHECK(mindl_key_is_private(NULL) == 0);
	CHECK(mindl_key_curve(NULL) < 0);
	CHECK(mindl_key_alg(NULL) == 0);
	CHECK(mindl_key_evp(NULL) == NULL);
	CHECK_ERR(mindl_key_generate(NULL), MINDL_ERR_INVALID_ARG);
}

static void
test_misc(void)
{
	uint8_t a[32], b[32], *p;

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	CHECK_ERR(mindl_random(a, sizeof(a)), MINDL_OK);
	CHECK_ERR(mindl_random(b, sizeof(b)), MINDL_OK);
	CHECK(memcmp(a, b, sizeof(a)) != 0);
	CHECK_ERR(mindl_random(NULL, 0), MINDL_OK);
	CHECK_ERR(mindl_random(NULL, 1), MINDL_ERR_INVALID_ARG);

	memcpy(b, a, sizeof(a));
	CHECK(mindl_ct_eq(a, b, sizeof(a)) == 1);
	b[31] ^= 0x40;
	CHECK(mindl_ct_eq(a, b, sizeof(a)) == 0);
	b[31] ^= 0x40;
	b[0] ^= 0x01;
	CHECK(mindl_ct_eq(a, b, sizeof(a)) == 0);
	CHECK(mindl_ct_eq(a, b, 0) == 1);

	mindl_wipe(a, sizeof(a));
	memset(b, 0, sizeof(b));
	CHECK(memcmp(a, b, sizeof(a)) == 0);
	mindl_wipe(NULL, 0);

	mindl_freezero(NULL, 10);
	if ((p = malloc(16)) != NULL) {
		memset(p, 0xaa, 16);
		mindl_freezero(p, 16);	/* ASan checks the free */
	}
}

/* A batch of device keys: several PEM blocks in one file, read one by one. */
static void
test_pem_batch(void)
{
	struct mindl_key *k[MINDL_MAX_BATCH + 1], *r = NULL, *pub = NULL;
	char priv[128], pubp[128], big[128];
	size_t i, n = 0;

	memset(k, 0, sizeof(k));
	for (i = 0; i < 3; i++)
		CHECK_ERR(mindl_key_generate(&k[i]), MINDL_OK);
	tmppath(priv, sizeof(priv), "batch.key");
	tmppath(pubp, sizeof(pubp), "batch.pub");
	CHECK_ERR(mindl_key_write_private_pem_n(priv,
	    (const struct mindl_key *const *)k, 0, NULL),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_key_write_private_pem_n(priv,
	    (const struct mindl_key *const *)k, 3, "correct horse"), MINDL_OK);
	CHECK_ERR(mindl_key_write_public_pem_n(pubp,
	    (const struct mindl_key *const *)k, 3), MINDL_OK);
	for (i = 0; i < 3; i++) {
		/* Only key i is decrypted; each is the one written there. */
		CHECK_ERR(mindl_key_read_pem_at(priv, "correct horse", i, &r,
		    &n), MINDL_OK);
		CHECK(n == 3 && r != NULL && mindl_key_is_private(r) &&
		    mindl_key_same_public(r, k[i]));
		CHECK(r != NULL && !mindl_key_same_public(r, k[(i + 1) % 3]));
		mindl_key_free(&r);
		CHECK_ERR(mindl_key_read_pem_at(pubp, NULL, i, &pub, NULL),
		    MINDL_OK);
		CHECK(pub != NULL && !mindl_key_is_private(pub) &&
		    mindl_key_same_public(pub, k[i]));
		mindl_key_free(&pub);
	}
	CHECK_ERR(mindl_key_read_pem_at(priv, "wrong", 1, &r, NULL),
	    MINDL_ERR_PASSPHRASE);
	CHECK_ERR(mindl_key_read_pem_at(priv, NULL, 1, &r, NULL),
	    MINDL_ERR_PASSPHRASE);
	CHECK_ERR(mindl_key_read_pem_at(pubp, NULL, 3, &r, NULL),
	    MINDL_ERR_INVALID_ARG);
	CHECK(r == NULL);
	/* All at once, in order; more than asked for is refused. */
	{
		struct mindl_key *all[3] = { NULL, NULL, NULL };

		CHECK_ERR(mindl_key_read_pem_all(pubp, NULL, all, 2, &n),
		    MINDL_ERR_TOO_LARGE);
		CHECK(n == 0 && all[0] == NULL);
		CHECK_ERR(mindl_key_read_pem_all(pubp, NULL, all, 3, &n),
		    MINDL_OK);
		CHECK(n == 3);
		for (i = 0; i < 3 && n == 3; i++) {
			CHECK(mindl_key_same_public(all[i], k[i]));
			mindl_key_free(&all[i]);
		}
		CHECK_ERR(mindl_key_read_pem_all(priv, NULL, all, 3, &n),
		    MINDL_ERR_PASSPHRASE);
		CHECK(n == 0 && all[0] == NULL);
	}
	/* Over the cap: refused, whichever key is asked for. */
	for (i = 3; i < MINDL_MAX_BATCH + 1; i++)
		k[i] = mindl_key_ref(k[i % 3]);
	tmppath(big, sizeof(big), "batch-big.pub");
	CHECK_ERR(mindl_key_write_public_pem_n(big,
	    (const struct mindl_key *const *)k, MINDL_MAX_BATCH + 1),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_key_write_public_pem_n(big,
	    (const struct mindl_key *const *)k, MINDL_MAX_BATCH), MINDL_OK);
	CHECK_ERR(mindl_key_read_pem_at(big, NULL, MINDL_MAX_BATCH - 1, &r,
	    &n), MINDL_OK);
	CHECK(n == MINDL_MAX_BATCH);
	mindl_key_free(&r);
	for (i = 0; i < MINDL_MAX_BATCH + 1; i++)
		mindl_key_free(&k[i]);
	(void)unlink(priv);
	(void)unlink(pubp);
	(void)unlink(big);
}

int
main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/mindl-test-crypto.XXXXXX");
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(test_sign_verify_p256);
	RUN(test_rfc6979_p256);
	RUN(test_hkdf_kat);
	RUN(test_hmac_kat);
	RUN(test_sha256_kat);
	RUN(test_ecdh);
	RUN(test_from_xy);
	RUN(test_spki);
	RUN(test_other_curves);
	RUN(test_pem);
	RUN(test_pem_interop);
	RUN(test_pem_batch);
	RUN(test_ref);
	RUN(test_misc);
	rmdir(tmpdir);
	UNIT_DONE();
}
