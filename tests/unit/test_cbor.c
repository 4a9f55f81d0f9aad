/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests: strict CBOR decoding and deterministic encoding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"

static size_t
unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (h[0] != '\0' && h[1] != '\0' && n < cap) {
		if (sscanf(h, "%2x", &v) != 1)
			break;
		out[n++] = (uint8_t)v;
		h += 2;
	}
	return n;
}

static int
dec_hex(const char *h)
{
	uint8_t buf[512];
	size_t n = unhex(h, buf, sizeof(buf));
	struct mindl_cbor *doc = NULL;
	int r;

	r = mindl_cbor_decode(buf, n, &doc);
	mindl_cbor_free(&doc);
	return r;
}

/* RFC 8949 Appendix A examples that strict mode must accept. */
static void
rfc8949_accept(void)
{
	static const char *ok[] = {
		"00", "01", "17", "1818", "1903e8", "1a000f4240",
		"1b000000e8d4a51000", "1bffffffffffffffff", "20", "3863",
		"3bffffffffffffffff", "f90000", "fa47c35000",
		"fb3ff199999999999a", "f4", "f5", "f6", "f7",
		"c074323031332d30332d32315432303a30343a30305a",
		"d82076687474703a2f2f7777772e6578616d706c652e636f6d",
		"40", "4401020304", "60", "6161", "6449455446",
		"62c3bc", "63e6b0b4", "64f0908591", "80", "83010203",
		"8301820203820405", "a0", "a201020304",
		"a26161016162820203", "826161a161626163",
		"a56161614161626142616361436164614461656145",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (dec_hex(ok[i]) != MINDL_OK)
			fprintf(stderr, "rejected %s\n", ok[i]);
		CHECK(dec_hex(ok[i]) == MINDL_OK);
	}
}

static void
strict_reject(void)
{
	/* trailing bytes */
	CHECK_ERR(dec_hex("0000"), MINDL_ERR_CBOR_TRAILING);
	CHECK_ERR(dec_hex("a0a0"), MINDL_ERR_CBOR_TRAILING);
	/* indefinite lengths */
	CHECK_ERR(dec_hex("5f42010243030405ff"), MINDL_ERR_CBOR_INDEFINITE);
	CHECK_ERR(dec_hex("7f657374726561646d696e67ff"),
	    MINDL_ERR_CBOR_INDEFINITE);
	CHECK_ERR(dec_hex("9fff"), MINDL_ERR_CBOR_INDEFINITE);
	CHECK_ERR(dec_hex("bf61610161629f0203ffff"),
	    MINDL_ERR_CBOR_INDEFINITE);
	/* a stray break is malformed */
	CHECK_ERR(dec_hex("ff"), MINDL_ERR_CBOR);
	CHECK_ERR(dec_hex("8201ff"), MINDL_ERR_CBOR);
	/* duplicate keys: same text key, same int key in two head forms */
	CHECK_ERR(dec_hex("a2616101616102"), MINDL_ERR_CBOR_DUPKEY);
	CHECK_ERR(dec_hex("a201021801f6"), MINDL_ERR_CBOR_DUPKEY);
	CHECK_ERR(dec_hex("a1a2010203f6a2"), MINDL_ERR_CBOR);
	/* truncated */
	CHECK_ERR(dec_hex("19"), MINDL_ERR_CBOR);
	CHECK_ERR(dec_hex("830102"), MINDL_ERR_CBOR);
	CHECK_ERR(dec_hex("4401"), MINDL_ERR_CBOR);
	CHECK_ERR(dec_hex("a10102a1"), MINDL_ERR_CBOR_TRAILING);
	/* reserved additional info */
	CHECK_ERR(dec_hex("1c"), MINDL_ERR_CBOR);
	/* invalid UTF-8: overlong, surrogate, lone continuation */
	CHECK_ERR(dec_hex("62c0af"), MINDL_ERR_CBOR);
	CHECK_ERR(dec_hex("63eda080"), MINDL_ERR_CBOR);
	CHECK_ERR(dec_hex("6180"), MINDL_ERR_CBOR);
	/* a count larger than the input can hold */
	CHECK_ERR(dec_hex("9b00000000ffffffff"), MINDL_ERR_CBOR_LIMIT);
	CHECK(dec_hex("") != MINDL_OK);
}

static void
depth_cap(void)
{
	uint8_t buf[64];
	struct mindl_cbor *doc = NULL;
	size_t i;

	/* MINDL_MAX_DEPTH nested arrays are fine, one more is not. */
	for (i = 0; i < MINDL_MAX_DEPTH; i++)
		buf[i] = 0x81;
	buf[MINDL_MAX_DEPTH] = 0x00;
	CHECK_ERR(mindl_cbor_decode(buf, MINDL_MAX_DEPTH + 1, &doc),
	    MINDL_OK);
	mindl_cbor_free(&doc);
	for (i = 0; i <= MINDL_MAX_DEPTH; i++)
		buf[i] = 0x81;
	buf[MINDL_MAX_DEPTH + 1] = 0x00;
	CHECK_ERR(mindl_cbor_decode(buf, MINDL_MAX_DEPTH + 2, &doc),
	    MINDL_ERR_CBOR_DEPTH);
	CHECK(doc == NULL);
	/* nested tags count as depth too */
	for (i = 0; i <= MINDL_MAX_DEPTH; i++)
		buf[i] = 0xc1;
	buf[MINDL_MAX_DEPTH + 1] = 0x00;
	CHECK_ERR(mindl_cbor_decode(buf, MINDL_MAX_DEPTH + 2, &doc),
	    MINDL_ERR_CBOR_DEPTH);
}

static void
spans_and_lookup(void)
{
	uint8_t buf[128];
	/* {"a": 1, "b": [2, 3], 1: h'0102', "t": 24(h'a0')} in odd order */
	size_t n = unhex("a46162820203616101014201026174d81841a0", buf,
	    sizeof(buf));
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *root, *it, *c;
	int64_t v;

	CHECK_ERR(mindl_cbor_decode(buf, n, &doc), MINDL_OK);
	if (doc == NULL)
		return;
	root = mindl_cbor_root(doc);
	CHECK(root->type == MINDL_CBOR_MAP && root->u == 4);
	CHECK(root->enclen == n && root->enc == buf);
	it = mindl_cbor_map_get(root, "a");
	CHECK(mindl_cbor_int(it, &v) == MINDL_OK && v == 1);
	it = mindl_cbor_map_get(root, "b");
	CHECK(it != NULL && it->type == MINDL_CBOR_ARRAY && it->enclen == 3);
	c = mindl_cbor_child(it);
	CHECK(mindl_cbor_int(mindl_cbor_next(c), &v) == MINDL_OK && v == 3);
	it = mindl_cbor_map_get_int(root, 1);
	CHECK(it != NULL && it->type == MINDL_CBOR_BSTR && it->len == 2);
	it = mindl_cbor_map_get(root, "t");
	CHECK(it != NULL && it->enclen == 4);
	c = mindl_cbor_untag(it, 24);
	CHECK(c != NULL && c->len == 1 && c->ptr[0] == 0xa0);
	CHECK(mindl_cbor_untag(it, 0) == NULL);
	CHECK(mindl_cbor_map_get(root, "zz") == NULL);
	mindl_cbor_free(&doc);
	CHECK(doc == NULL);
}

static void
encode_deterministic(void)
{
	struct mindl_enc e;
	uint8_t *out = NULL, want[64];
	size_t outlen = 0, wn;

	/* Keys given out of order come out sorted by encoded bytes. */
	mindl_enc_init(&e, 1024);
	mindl_enc_map(&e, 5);
	mindl_enc_tstr(&e, "bb");
	mindl_enc_int(&e, -1);
	mindl_enc_tstr(&e, "a");
	mindl_enc_array(&e, 2);
	mindl_enc_uint(&e, 24);
	mindl_enc_bool(&e, 1);
	mindl_enc_int(&e, -2);
	mindl_enc_null(&e);
	mindl_enc_uint(&e, 10);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "z");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "y");
	mindl_enc_uint(&e, 2);
	mindl_enc_int(&e, 1000);
	mindl_enc_embedded(&e, (const uint8_t *)"\xa0", 1);
	CHECK_ERR(mindl_enc_finish(&e, &out, &outlen), MINDL_OK);
	wn = unhex("a50aa2617902617a011903e8d81841a021f6616182181" "8f56262"
	    "6220", want, sizeof(want));
	CHECK(outlen == wn && out != NULL && memcmp(out, want, wn) == 0);
	free(out);

	/* Duplicate keys are an encoding error, not silent output. */
	mindl_enc_init(&e, 1024);
	mindl_enc_map(&e, 2);
	mindl_enc_uint(&e, 1);
	mindl_enc_uint(&e, 1);
	mindl_enc_uint(&e, 1);
	mindl_enc_uint(&e, 2);
	CHECK_ERR(mindl_enc_finish(&e, &out, &outlen), MINDL_ERR_CBOR_DUPKEY);
	CHECK(out == NULL);

	/* Unfinished container and size cap. */
	mindl_enc_init(&e, 1024);
	mindl_enc_array(&e, 2);
	mindl_enc_uint(&e, 1);
	CHECK_ERR(mindl_enc_finish(&e, &out, &outlen), MINDL_ERR_INTERNAL);
	mindl_enc_init(&e, 4);
	mindl_enc_bstr(&e, (const uint8_t *)"abcdef", 6);
	CHECK_ERR(mindl_enc_finish(&e, &out, &outlen), MINDL_ERR_TOO_LARGE);

	/* Shortest heads. */
	mindl_enc_init(&e, 64);
	mindl_enc_array(&e, 4);
	mindl_enc_uint(&e, 23);
	mindl_enc_uint(&e, 255);
	mindl_enc_uint(&e, 65536);
	mindl_enc_int(&e, -25);
	CHECK_ERR(mindl_enc_finish(&e, &out, &outlen), MINDL_OK);
	wn = unhex("841718ff1a000100003818", want, sizeof(want));
	CHECK(outlen == wn && out != NULL && memcmp(out, want, wn) == 0);
	free(out);
}

static void
roundtrip_decode(void)
{
	struct mindl_enc e;
	struct mindl_cbor *doc = NULL;
	uint8_t *out = NULL;
	size_t outlen = 0;

	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_tstr(&e, "list");
	mindl_enc_array(&e, 3);
	mindl_enc_tag(&e, 1004);
	mindl_enc_tstr(&e, "2024-01-01");
	mindl_enc_bstr(&e, NULL, 0);
	mindl_enc_map(&e, 0);
	CHECK_ERR(mindl_enc_finish(&e, &out, &outlen), MINDL_OK);
	CHECK_ERR(mindl_cbor_decode(out, outlen, &doc), MINDL_OK);
	CHECK(mindl_cbor_is_str(mindl_cbor_map_get(mindl_cbor_root(doc),
	    "version"), "1.0"));
	mindl_cbor_free(&doc);
	free(out);
}

int
main(void)
{
	RUN(rfc8949_accept);
	RUN(strict_reject);
	RUN(depth_cap);
	RUN(spans_and_lookup);
	RUN(encode_deterministic);
	RUN(roundtrip_decode);
	UNIT_DONE();
}
