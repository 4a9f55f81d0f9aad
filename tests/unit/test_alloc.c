/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Allocation failures (curl's torture tests, libfido2's fuzz/wrap.c): each
 * scenario, one entry point of the library, is run once to count its
 * allocations, then once more for every one of them with that allocation
 * failing.  Each run must end in a clean error: the call returns
 * MINDL_ERR_NOMEM (an allocation failure never passes for bad input, and
 * none is swallowed), nothing crashes, and under `make asan` nothing
 * leaks (LeakSanitizer checks at exit, over every run).
 *
 * The library's allocations and jansson's (records, schemas and JSON keys
 * are parsed with it) are failed; OpenSSL's are not (its own error paths
 * are not this project's to test).  jansson does not report running out
 * of memory as such: it either recovers or calls the text malformed
 * ("invalid token"), so when its allocation is the one that fails, any
 * result is accepted but a crash or a leak.  MINDL_ALLOC_VERBOSE=1
 * prints each scenario's count.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "mindl/mindl.h"
#include "internal.h"
#include "unit.h"
#include "../common/testfx.h"

#define T0	TEST_T0

static struct test_fx tfx;
static struct {
	uint8_t			*cred, *reqb, *resp_mac, *resp_sig;
	size_t			 credlen, reqlen, resp_maclen, resp_siglen;
	struct mindl_request	*req;
	char			 dir[64];
} fx;

static long total_injected, total_runs, total_jansson;
static int jansson_failed;

static void *
json_alloc(size_t n)
{
	long before = mindl_alloc_failed();
	void *p = mindl_malloc(n);

	if (p == NULL && mindl_alloc_failed() > before)
		jansson_failed = 1;
	return p;
}

/* Builds everything the scenarios read, with no failure injected. */
static int
setup(void)
{
	int r;

	if ((r = test_fx_setup(&tfx)) != MINDL_OK ||
	    (r = test_fx_issue(&tfx, NULL, &fx.cred, &fx.credlen, NULL)) !=
	    MINDL_OK ||
	    (r = test_fx_request(&tfx, "traffic-stop", &fx.reqb, &fx.reqlen,
	    &fx.req)) != MINDL_OK ||
	    (r = test_present(fx.cred, fx.credlen, tfx.dev_key, fx.req,
	    tfx.schema, MINDL_DEVAUTH_MAC, &fx.resp_mac, &fx.resp_maclen,
	    NULL)) != MINDL_OK ||
	    (r = test_present(fx.cred, fx.credlen, tfx.dev_key, fx.req,
	    tfx.schema, MINDL_DEVAUTH_SIGNATURE, &fx.resp_sig,
	    &fx.resp_siglen, NULL)) != MINDL_OK)
		return r;
	(void)snprintf(fx.dir, sizeof(fx.dir), "/tmp/mindl-alloc-XXXXXX");
	if (mkdtemp(fx.dir) == NULL)
		return MINDL_ERR_IO;
	return MINDL_OK;
}

static void
teardown(void)
{
	char path[128];

	(void)snprintf(path, sizeof(path), "%s/key.pem", fx.dir);
	(void)unlink(path);
	(void)rmdir(fx.dir);
	mindl_request_free(&fx.req);
	free(fx.cred);
	free(fx.reqb);
	free(fx.resp_mac);
	free(fx.resp_sig);
	test_fx_free(&tfx);
}

/* Scenarios: each returns the library's result and frees all it made. */

static int
sc_cbor(void)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_enc e;
	uint8_t *out = NULL;
	size_t len = 0;
	int r;

	if ((r = mindl_cbor_decode(fx.cred, fx.credlen, &doc)) != MINDL_OK)
		return r;
	mindl_cbor_free(&doc);
	/* An out-of-order map: the encoder sorts it, with its own memory. */
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "zz");
	mindl_enc_array(&e, 1);
	mindl_enc_map(&e, 2);
	mindl_enc_int(&e, -1);
	mindl_enc_null(&e);
	mindl_enc_int(&e, 1);
	mindl_enc_bool(&e, 1);
	mindl_enc_tstr(&e, "a");
	mindl_enc_bstr(&e, tfx.ds, tfx.dslen);
	mindl_enc_tstr(&e, "b");
	mindl_enc_uint(&e, 7);
	if ((r = mindl_enc_finish(&e, &out, &len)) == MINDL_OK)
		free(out);
	return r;
}

static int
sc_document(void)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_document *d = NULL;
	const struct mindl_cbor_item *docs, *eng;
	int r;

	if ((r = mindl_cbor_decode(fx.resp_mac, fx.resp_maclen, &doc)) !=
	    MINDL_OK)
		return r;
	if ((r = mindl_file_documents(mindl_cbor_root(doc), &docs,
	    &eng)) == MINDL_OK)
		r = mindl_document_parse(mindl_cbor_child(docs),
		    MINDL_DOC_DEVICE_SIGNED, &d);
	mindl_document_free(&d);
	mindl_cbor_free(&doc);
	return r;
}

static int
sc_request(void)
{
	struct mindl_request *q = NULL;
	uint8_t *b = NULL;
	size_t len = 0;
	int r;

	if ((r = mindl_request_create(mindl_schema_profile(tfx.schema,
	    "identity"), tfx.reader_key, &b, &len)) != MINDL_OK)
		return r;
	r = mindl_request_parse(b, len, &q);
	mindl_request_free(&q);
	free(b);
	return r;
}

static int
sc_issue(void)
{
	struct mindl_issue_params p;
	struct mindl_status_ref st = { 1048575, "https://dmv.example/sl/1" };
	uint8_t *c = NULL;
	size_t len = 0;
	int r;

	memset(&p, 0, sizeof(p));
	p.record = tfx.rec;
	p.policy = mindl_schema_policy(tfx.schema);
	p.ds_cert = tfx.ds;
	p.ds_certlen = tfx.dslen;
	p.device_pub = tfx.dev_key;
	p.status = &st;
	p.now = T0;
	if ((r = test_issue(&p, tfx.ds_key, &c, &len, NULL)) == MINDL_OK)
		free(c);
	return r;
}

static int
sc_record(void)
{
	struct mindl_record *rec = NULL;
	char err[256];
	int r;

	r = mindl_record_parse(tfx.schema, test_fx_record,
	    strlen(test_fx_record), test_fx_portrait,
	    sizeof(test_fx_portrait), T0, &rec, err, sizeof(err));
	mindl_record_free(&rec);
	return r;
}

static int
sc_schema(void)
{
	struct mindl_schema *s = NULL;
	int r;

	r = mindl_schema_builtin(&s);
	mindl_schema_free(&s);
	return r;
}

static int
present(enum mindl_devauth auth)
{
	uint8_t *resp = NULL;
	size_t len = 0;
	int r;

	if ((r = test_present(fx.cred, fx.credlen, tfx.dev_key, fx.req,
	    tfx.schema, auth, &resp, &len, NULL)) == MINDL_OK)
		free(resp);
	return r;
}

static int
sc_present_mac(void)
{
	return present(MINDL_DEVAUTH_MAC);
}

static int
sc_present_sig(void)
{
	return present(MINDL_DEVAUTH_SIGNATURE);
}

/* Verification with a fresh trust store: the DS is verified, not cached. */
static int
verify(const uint8_t *resp, size_t len)
{
	struct mindl_trust *t = NULL;
	struct mindl_verified *v = NULL;
	struct mindl_buf b;
	size_t i;
	int r;

	if ((r = mindl_trust_new(&t)) != MINDL_OK ||
	    (r = mindl_trust_add_der(t, tfx.iaca, tfx.iacalen)) != MINDL_OK ||
	    (r = mindl_verify_response(t, tfx.schema, T0 + 3600, fx.req,
	    tfx.reader_key, resp, len, &v)) != MINDL_OK)
		goto out;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	for (i = 0; i < mindl_verified_count(v) && r == MINDL_OK; i++)
		r = mindl_value_json(mindl_verified_at(v, i)->value, &b);
	mindl_buf_clear(&b);
 out:
	mindl_verified_free(&v);
	mindl_trust_free(&t);
	return r;
}

static int
sc_verify_mac(void)
{
	return verify(fx.resp_mac, fx.resp_maclen);
}

static int
sc_verify_sig(void)
{
	return verify(fx.resp_sig, fx.resp_siglen);
}

static int
sc_x509(void)
{
	struct mindl_iaca_params ip = { "US", "SS", "Alloc IACA",
	    "https://dmv.example/iaca", T0 - 86400, 365 };
	struct mindl_ds_params dp = { NULL, T0 - 86400, 90 };
	struct mindl_trust *t = NULL;
	struct mindl_key *pub = NULL;
	uint8_t *iaca = NULL, *ds = NULL;
	size_t il = 0, dl = 0;
	int r;

	if ((r = mindl_x509_make_iaca(tfx.iaca_key, &ip, &iaca, &il)) !=
	    MINDL_OK ||
	    (r = mindl_x509_make_ds(tfx.iaca_key, iaca, il, tfx.ds_key, &dp,
	    &ds, &dl)) != MINDL_OK ||
	    (r = mindl_trust_new(&t)) != MINDL_OK ||
	    (r = mindl_trust_add_der(t, iaca, il)) != MINDL_OK ||
	    (r = mindl_trust_verify_ds(t, ds, dl, T0, &pub)) != MINDL_OK)
		goto out;
	mindl_key_free(&pub);
	/* The cached path. */
	r = mindl_trust_verify_ds(t, ds, dl, T0, &pub);
 out:
	mindl_key_free(&pub);
	mindl_trust_free(&t);
	free(iaca);
	free(ds);
	return r;
}

static int
sc_keyfile(void)
{
	struct mindl_key *k = NULL;
	char path[128];
	int r;

	(void)snprintf(path, sizeof(path), "%s/key.pem", fx.dir);
	(void)unlink(path);
	if ((r = mindl_key_write_private_pem(path, tfx.dev_key, "pass")) ==
	    MINDL_OK)
		r = mindl_key_read_pem(path, "pass", &k);
	mindl_key_free(&k);
	return r;
}

static int
sc_audit_population(void)
{
	struct mindl_audit_pop *p = NULL;
	struct mindl_audit_diff *df = NULL;
	size_t ga = 0, gb = 0, n = 0;
	int r;

	if ((r = mindl_audit_pop_new(&p)) != MINDL_OK ||
	    (r = mindl_audit_pop_group(p, "a", &ga)) != MINDL_OK ||
	    (r = mindl_audit_pop_group(p, "b", &gb)) != MINDL_OK ||
	    (r = mindl_audit_pop_add(p, ga, fx.cred, fx.credlen)) !=
	    MINDL_OK ||
	    (r = mindl_audit_pop_add(p, gb, fx.resp_mac, fx.resp_maclen)) !=
	    MINDL_OK ||
	    (r = mindl_audit_pop_finish(p)) != MINDL_OK ||
	    (r = mindl_audit_pop_compare(p, ga, gb, &df, &n)) != MINDL_OK)
		goto out;
 out:
	free(df);
	mindl_audit_pop_free(&p);
	return r;
}

static int
sc_audit_links(void)
{
	struct mindl_audit_links *l = NULL;
	int r;

	if ((r = mindl_audit_links_new(&l)) == MINDL_OK &&
	    (r = mindl_audit_links_add(l, fx.resp_mac, fx.resp_maclen)) ==
	    MINDL_OK &&
	    (r = mindl_audit_links_add(l, fx.resp_sig, fx.resp_siglen)) ==
	    MINDL_OK)
		r = mindl_audit_links_run(l);
	mindl_audit_links_free(&l);
	return r;
}

/* A portrait to pixels (scaled, so with the box average) and to text. */
static int
sc_jpeg(void)
{
	struct mindl_buf b;
	unsigned w = 0, h = 0;
	int r;

	mindl_buf_init(&b, 1 << 20);
	r = mindl_jpeg_decode(test_fx_portrait, sizeof(test_fx_portrait), 7,
	    3, MINDL_JPEG_GREY, &b, &w, &h);
	mindl_buf_clear(&b);
	if (r == MINDL_OK)
		r = mindl_jpeg_halfblocks(test_fx_portrait,
		    sizeof(test_fx_portrait), 40, 40, &b);
	mindl_buf_clear(&b);
	return r;
}

static const struct {
	const char	*name;
	int		(*fn)(void);
} scenarios[] = {
	{ "cbor", sc_cbor },
	{ "document", sc_document },
	{ "request", sc_request },
	{ "record", sc_record },
	{ "schema", sc_schema },
	{ "issue", sc_issue },
	{ "present-mac", sc_present_mac },
	{ "present-signature", sc_present_sig },
	{ "verify-mac", sc_verify_mac },
	{ "verify-signature", sc_verify_sig },
	{ "x509", sc_x509 },
	{ "keyfile", sc_keyfile },
	{ "audit-population", sc_audit_population },
	{ "audit-links", sc_audit_links },
	{ "jpeg", sc_jpeg },
};

static void
run_all(void)
{
	size_t k;
	long n, count;
	int r, verbose = getenv("MINDL_ALLOC_VERBOSE") != NULL;

	for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++) {
		mindl_fail_alloc_at(0);
		r = scenarios[k].fn();
		count = mindl_alloc_count();
		if (r != MINDL_OK) {
			fprintf(stderr, "%s: %s without any failure\n",
			    scenarios[k].name, mindl_errname(r));
			CHECK(r == MINDL_OK);
			continue;
		}
		CHECK(count > 0);
		for (n = 1; n <= count; n++) {
			jansson_failed = 0;
			mindl_fail_alloc_at(n);
			r = scenarios[k].fn();
			total_runs++;
			if (mindl_alloc_failed() == 0) {
				/* A path that allocates less: nothing failed. */
				CHECK(r == MINDL_OK);
				continue;
			}
			total_injected++;
			if (jansson_failed) {
				total_jansson++;
				continue;
			}
			if (r != MINDL_ERR_NOMEM) {
				fprintf(stderr, "%s: allocation %ld of %ld "
				    "failed, the call returned %s\n",
				    scenarios[k].name, n, count,
				    mindl_errname(r));
				CHECK(r == MINDL_ERR_NOMEM);
			}
		}
		mindl_fail_alloc_at(0);
		if (verbose)
			printf("%s: %ld allocations, each failed once\n",
			    scenarios[k].name, count);
	}
}

static void
every_allocation_fails_cleanly(void)
{
	CHECK_ERR(setup(), MINDL_OK);
	run_all();
	teardown();
	printf("allocation failures injected: %ld (%ld of them in jansson) "
	    "in %ld runs of %zu scenarios\n", total_injected, total_jansson,
	    total_runs, sizeof(scenarios) / sizeof(scenarios[0]));
}

int
main(void)
{
	/* jansson allocates through the library's hook, so it fails too. */
	json_set_alloc_funcs(json_alloc, free);
	RUN(every_allocation_fails_cleanly);
	UNIT_DONE();
}
