/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A small issuing authority for the unit tests that need real credentials:
 * an IACA and a DS certificate over fresh keys, a device key and a reader
 * key, the built-in schema, a trust store holding the IACA, and a sample
 * record ready to issue at TEST_T0.
 */
#ifndef MINDL_TESTFX_H
#define MINDL_TESTFX_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "testlib.h"

#define TEST_T0		1795000000	/* issuance time in tests */

struct test_fx {
	struct mindl_schema	*schema;
	struct mindl_key	*iaca_key, *ds_key, *dev_key, *reader_key;
	uint8_t			*iaca, *ds;	/* certificates, DER */
	size_t			 iacalen, dslen;
	struct mindl_trust	*trust;
	struct mindl_record	*rec;
};

static const char test_fx_record[] =
    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1234567\","
    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\"}],"
    " \"sex\": 2, \"height\": 170, \"eye_colour\": \"brown\"}";
#define test_fx_portrait	test_jpeg

static inline void
test_fx_free(struct test_fx *fx)
{
	mindl_record_free(&fx->rec);
	mindl_schema_free(&fx->schema);
	mindl_key_free(&fx->iaca_key);
	mindl_key_free(&fx->ds_key);
	mindl_key_free(&fx->dev_key);
	mindl_key_free(&fx->reader_key);
	mindl_trust_free(&fx->trust);
	free(fx->iaca);
	free(fx->ds);
	memset(fx, 0, sizeof(*fx));
}

/* MINDL_OK, or the first error (fx is then freed). */
static inline int
test_fx_setup(struct test_fx *fx)
{
	struct mindl_iaca_params ip = { "US", "SS", "Test IACA",
	    "mailto:iaca@example.invalid", TEST_T0 - 86400 * 10, 3650 };
	struct mindl_ds_params dp = { NULL, TEST_T0 - 86400 * 5, 365 };
	char err[256];
	int r;

	memset(fx, 0, sizeof(*fx));
	if ((r = mindl_schema_builtin(&fx->schema)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx->iaca_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx->ds_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx->dev_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx->reader_key)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(fx->iaca_key, &ip, &fx->iaca,
	    &fx->iacalen)) != MINDL_OK ||
	    (r = mindl_x509_make_ds(fx->iaca_key, fx->iaca, fx->iacalen,
	    fx->ds_key, &dp, &fx->ds, &fx->dslen)) != MINDL_OK ||
	    (r = mindl_trust_new(&fx->trust)) != MINDL_OK ||
	    (r = mindl_trust_add_der(fx->trust, fx->iaca, fx->iacalen)) !=
	    MINDL_OK)
		goto fail;
	if ((r = mindl_record_parse(fx->schema, test_fx_record,
	    strlen(test_fx_record), test_fx_portrait,
	    sizeof(test_fx_portrait), TEST_T0, &fx->rec, err,
	    sizeof(err))) != MINDL_OK) {
		fprintf(stderr, "record: %s\n", err);
		goto fail;
	}
	return MINDL_OK;
 fail:
	test_fx_free(fx);
	return r;
}

/* Issuance parameters for fx's record at TEST_T0 (p->ds left NULL). */
static inline void
test_fx_params(const struct test_fx *fx, struct mindl_issue_params *p)
{
	memset(p, 0, sizeof(*p));
	p->record = fx->rec;
	p->policy = mindl_schema_policy(fx->schema);
	p->ds_cert = fx->ds;
	p->ds_certlen = fx->dslen;
	p->device_pub = fx->dev_key;
	p->now = TEST_T0;
}

/* A credential for fx's record signed by fx's DS; *out is malloc'd. */
static inline int
test_fx_issue(const struct test_fx *fx, const struct mindl_status_ref *st,
    uint8_t **out, size_t *outlen, struct mindl_issue_result *res)
{
	struct mindl_issue_params p;

	test_fx_params(fx, &p);
	p.status = st;
	return test_issue(&p, fx->ds_key, out, outlen, res);
}

/* A parsed request for a profile, under fx's reader key. */
static inline int
test_fx_request(const struct test_fx *fx, const char *profile,
    uint8_t **buf, size_t *len, struct mindl_request **req)
{
	int r;

	*req = NULL;
	if ((r = mindl_request_create(mindl_schema_profile(fx->schema,
	    profile), fx->reader_key, buf, len)) != MINDL_OK)
		return r;
	if ((r = mindl_request_parse(*buf, *len, req)) != MINDL_OK) {
		free(*buf);
		*buf = NULL;
	}
	return r;
}

/* 1 if h[0..hl) holds n[0..nl) somewhere. */
static inline int
test_has_bytes(const uint8_t *h, size_t hl, const void *n, size_t nl)
{
	size_t i;

	for (i = 0; nl <= hl && i + nl <= hl; i++)
		if (memcmp(h + i, n, nl) == 0)
			return 1;
	return 0;
}

#endif /* MINDL_TESTFX_H */
