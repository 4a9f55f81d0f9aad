/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Helpers shared by the test programs (unit tests, the negative corpus,
 * fuzz harnesses, the bench): the library hands personal data back in
 * wiping buffers; tests that keep a credential or a response around as
 * plain bytes take them out here.
 */
#ifndef MINDL_TESTLIB_H
#define MINDL_TESTLIB_H

#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"

/*
 * A real 8x8 JFIF JPEG (tests/interop/sample-portrait.jpg): SOI, APP0,
 * DQT, SOF0, two DHT, SOS, entropy-coded data from TEST_JPEG_SCAN, EOI.
 * It passes the portrait rule (mindl/jpeg.h); tests that need other
 * portraits splice segments into it or replace its scan data.
 */
static const uint8_t test_jpeg[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00,
    0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xdb,
    0x00, 0x43, 0x00, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
    0x01, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x40, 0x00, 0x30, 0x01,
    0x01, 0x11, 0x00, 0xff, 0xc4, 0x00, 0x1f, 0x00, 0x00, 0x01, 0x05,
    0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
    0x09, 0x0a, 0x0b, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00,
    0x3f, 0x00, 0xfe, 0x77, 0xc0, 0x00, 0x3a, 0x07, 0xfa, 0x08, 0x00,
    0x1f, 0xe7, 0xde, 0xe8, 0x1f, 0xde, 0x00, 0x01, 0xfc, 0x1f, 0xba,
    0x07, 0xf6, 0xe0, 0x00, 0x7f, 0x11, 0xee, 0x81, 0xfd, 0x90, 0x00,
    0x1f, 0xc6, 0xfb, 0xa0, 0x7f, 0x5a, 0x00, 0x07, 0xf2, 0x5e, 0xe8,
    0x03, 0xfa, 0x80, 0x0f, 0xe5, 0xfc, 0x3a, 0x00, 0x00, 0x0f, 0xff,
    0xd9
};
#define TEST_JPEG_SCAN	167

/*
 * r and b from a library call: on success *out gets a malloc'd copy of
 * b's bytes (free()); b is wiped either way.  Returns r, or
 * MINDL_ERR_NOMEM.
 */
static inline int
test_take(int r, struct mindl_buf *b, uint8_t **out, size_t *outlen)
{
	*out = NULL;
	*outlen = 0;
	if (r == MINDL_OK) {
		if ((*out = malloc(mindl_buf_len(b) + 1)) == NULL)
			r = MINDL_ERR_NOMEM;
		else {
			/* With the NUL: text outputs are used as strings. */
			memcpy(*out, mindl_buf_str(b), mindl_buf_len(b) + 1);
			*outlen = mindl_buf_len(b);
		}
	}
	mindl_buf_clear(b);
	return r;
}

/* mindl_mdoc_issue with the DS as a software key, into plain bytes. */
static inline int
test_issue(struct mindl_issue_params *p, const struct mindl_key *ds_key,
    uint8_t **out, size_t *outlen, struct mindl_issue_result *res)
{
	struct mindl_signer s;
	struct mindl_buf b;
	int r;

	*out = NULL;
	*outlen = 0;
	if ((r = mindl_signer_key(&s, ds_key)) != MINDL_OK)
		return r;
	p->ds = &s;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	r = mindl_mdoc_issue(p, &b, res);
	p->ds = NULL;
	return test_take(r, &b, out, outlen);
}

/* mindl_present with a software device key, into plain bytes. */
static inline int
test_present(const uint8_t *cred, size_t credlen,
    const struct mindl_key *dev, const struct mindl_request *req,
    const struct mindl_schema *schema, enum mindl_devauth auth,
    uint8_t **out, size_t *outlen, struct mindl_present_report *rep)
{
	struct mindl_present_params p;
	struct mindl_buf b;

	memset(&p, 0, sizeof(p));
	p.cred = cred;
	p.credlen = credlen;
	p.req = req;
	p.schema = schema;
	p.auth = auth;
	p.device_key = dev;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	return test_take(mindl_present(&p, &b, rep), &b, out, outlen);
}

/*
 * Hex text s[0..n) (white space allowed) into out, through the library's
 * hex decoder: the number of bytes, or 0 if it is not hex or over cap.
 */
static inline size_t
test_unhexn(const char *s, size_t n, uint8_t *out, size_t cap)
{
	struct mindl_buf b;
	size_t len = 0;

	mindl_buf_init(&b, cap);
	if (mindl_buf_add_hex(&b, s, n, 1) == MINDL_OK &&
	    (len = mindl_buf_len(&b)) > 0)
		memcpy(out, mindl_buf_ptr(&b), len);
	mindl_buf_clear(&b);
	return len;
}

static inline size_t
test_unhex(const char *s, uint8_t *out, size_t cap)
{
	return test_unhexn(s, strlen(s), out, cap);
}

/*
 * Opens a DeviceResponse of one mDL document, status 0, up to the value
 * of "issuerSigned": the caller writes IssuerSigned, then "deviceSigned"
 * and its value.  (The encoder sorts each map's keys when it closes.)
 */
static inline void
test_device_response_open(struct mindl_enc *e)
{
	mindl_enc_map(e, 3);
	mindl_enc_tstr(e, "version");
	mindl_enc_tstr(e, "1.0");
	mindl_enc_tstr(e, "status");
	mindl_enc_uint(e, 0);
	mindl_enc_tstr(e, "documents");
	mindl_enc_array(e, 1);
	mindl_enc_map(e, 3);
	mindl_enc_tstr(e, "docType");
	mindl_enc_tstr(e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(e, "issuerSigned");
}

/* mindl_cose_sign1_write with a software key. */
static inline int
test_sign1_write(struct mindl_enc *e, const struct mindl_key *key,
    const uint8_t *payload, size_t len, int detached, const uint8_t *x5,
    size_t x5len)
{
	struct mindl_signer s;
	int r;

	if ((r = mindl_signer_key(&s, key)) != MINDL_OK)
		return r;
	return mindl_cose_sign1_write(e, &s, payload, len, detached, x5,
	    x5len);
}

/* mindl_value_json into a malloc'd C string (free()). */
static inline int
test_value_json(const struct mindl_cbor_item *it, char **out)
{
	struct mindl_buf b;
	size_t n;

	mindl_buf_init(&b, 16u * 1024 * 1024);
	return test_take(mindl_value_json(it, &b), &b, (uint8_t **)out, &n);
}

#endif /* MINDL_TESTLIB_H */
