/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Reader authentication: reader certificates (mindl_x509_make_reader,
 * mindl_trust_verify_reader, the profiles extension), signed requests
 * (readerAuth over ReaderAuthenticationBytes), the holder's rule for who
 * may ask what (mindl_reader_authorise), the two age_over_NN cap, and the
 * ISO 18013-5 Annex D readerAuth.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "internal.h"
#include "unit.h"
#include "../common/testfx.h"

#define AT_2021		1609459200	/* 2021-01-01T00:00:00Z */
#define AT_2024		1704067200	/* 2024-01-01T00:00:00Z */
#define ANNEXD_DIR	"tests/vectors/iso18013-5-annex-d"
#define NS		"org.iso.18013.5.1"

static struct test_fx fx;
static uint8_t *cred;
static size_t credlen;
/* The DMV's reader CA, and readers certified for some profiles. */
static struct mindl_key *rca_key, *ts_key, *ed_key, *other_ca_key;
static uint8_t *rca, *ts, *ed, *other_ca, *stranger;
static size_t rcalen, tslen, edlen, other_calen, strangerlen;
static struct mindl_trust *rtrust;

static int
load_hex(const char *name, uint8_t **p, size_t *n)
{
	char path[512];
	uint8_t *txt = NULL;
	size_t tl = 0;

	snprintf(path, sizeof(path), "%s/%s", ANNEXD_DIR, name);
	*p = NULL;
	*n = 0;
	if (mindl_file_read(path, 1 << 20, &txt, &tl) != MINDL_OK) {
		fprintf(stderr, "cannot read %s\n", path);
		return 0;
	}
	if ((*p = malloc(tl / 2 + 1)) != NULL)
		*n = test_unhexn((const char *)txt, tl, *p, tl / 2 + 1);
	free(txt);
	return *n > 0;
}

static int
make_reader(const struct mindl_key *cak, const uint8_t *ca, size_t calen,
    const struct mindl_key *k, const char *name, const char *const *ids,
    size_t n, int64_t nb, int days, uint8_t **der, size_t *derlen)
{
	struct mindl_reader_params p;

	memset(&p, 0, sizeof(p));
	p.name = name;
	p.profiles = ids;
	p.nprofiles = n;
	p.not_before = nb;
	p.days = days;
	return mindl_x509_make_reader(cak, ca, calen, k, &p, der, derlen);
}

static int
setup(void)
{
	struct mindl_iaca_params ip = { "US", "SS", "Test reader CA",
	    "mailto:readers@example.invalid", TEST_T0 - 86400 * 10, 3650 };
	static const char *const tsp[] = { "traffic-stop" };
	static const char *const edp[] = { "employer-driver" };
	int r;

	if ((r = test_fx_setup(&fx)) != MINDL_OK ||
	    (r = test_fx_issue(&fx, NULL, &cred, &credlen, NULL)) !=
	    MINDL_OK ||
	    (r = mindl_key_generate(&rca_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&ts_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&ed_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&other_ca_key)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(rca_key, &ip, &rca, &rcalen)) !=
	    MINDL_OK ||
	    (r = mindl_x509_make_iaca(other_ca_key, &ip, &other_ca,
	    &other_calen)) != MINDL_OK ||
	    (r = make_reader(rca_key, rca, rcalen, ts_key, "Springfield PD",
	    tsp, 1, TEST_T0 - 86400, 90, &ts, &tslen)) != MINDL_OK ||
	    (r = make_reader(rca_key, rca, rcalen, ed_key, "Acme Haulage",
	    edp, 1, TEST_T0 - 86400, 90, &ed, &edlen)) != MINDL_OK ||
	    (r = make_reader(other_ca_key, other_ca, other_calen, ts_key,
	    "Springfield PD", tsp, 1, TEST_T0 - 86400, 90, &stranger,
	    &strangerlen)) != MINDL_OK ||
	    (r = mindl_trust_new(&rtrust)) != MINDL_OK ||
	    (r = mindl_trust_add_der(rtrust, rca, rcalen)) != MINDL_OK)
		return r;
	return MINDL_OK;
}

static void
teardown(void)
{
	mindl_trust_free(&rtrust);
	mindl_key_free(&rca_key);
	mindl_key_free(&ts_key);
	mindl_key_free(&ed_key);
	mindl_key_free(&other_ca_key);
	free(rca);
	free(ts);
	free(ed);
	free(other_ca);
	free(stranger);
	free(cred);
	test_fx_free(&fx);
}

/*
 * A signed request over the holder's engagement de for profile, asking
 * for the profile's elements plus extra (NULL-terminated), each with
 * intent_to_retain retain; signed by key with cert.  Written here rather
 * than by mindl_request_create_signed so that it can over-ask.
 */
static int
signed_req(const char *profile, const char *const *extra, int retain,
    const uint8_t *de, size_t delen, const struct mindl_key *key,
    const uint8_t *cert, size_t certlen, uint8_t **out, size_t *outlen)
{
	const struct mindl_profile *p = mindl_schema_profile(fx.schema,
	    profile);
	struct mindl_signer s;
	struct mindl_enc e;
	const char *ns, *id;
	uint8_t *erk = NULL, *items = NULL, *ib = NULL, *st = NULL;
	uint8_t *rab = NULL, *ra = NULL;
	size_t erklen = 0, itemslen = 0, iblen = 0, stlen = 0, rablen = 0;
	size_t ralen = 0, i, n = 0;
	int r;

	for (i = 0; extra != NULL && extra[i] != NULL; i++)
		n++;
	mindl_enc_init(&e, 4096);
	if ((r = mindl_cose_key_write(&e, fx.reader_key)) != MINDL_OK ||
	    (r = mindl_enc_finish(&e, &erk, &erklen)) != MINDL_OK)
		goto out;
	mindl_enc_init(&e, 65536);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, NS);
	mindl_enc_map(&e, mindl_profile_count(p) + n);
	for (i = 0; i < mindl_profile_count(p); i++) {
		mindl_profile_element(p, i, &ns, &id);
		mindl_enc_tstr(&e, id);
		mindl_enc_bool(&e, retain);
	}
	for (i = 0; i < n; i++) {
		mindl_enc_tstr(&e, extra[i]);
		mindl_enc_bool(&e, retain);
	}
	mindl_enc_tstr(&e, "requestInfo");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "mindl.profile");
	mindl_enc_tstr(&e, profile);
	if ((r = mindl_enc_finish(&e, &items, &itemslen)) != MINDL_OK)
		goto out;
	mindl_enc_init(&e, 65536);
	mindl_enc_embedded(&e, items, itemslen);
	if ((r = mindl_enc_finish(&e, &ib, &iblen)) != MINDL_OK ||
	    (r = mindl_transcript_bytes(de, delen, erk, erklen, &st,
	    &stlen)) != MINDL_OK ||
	    (r = mindl_reader_auth_bytes(st, stlen, ib, iblen, &rab,
	    &rablen)) != MINDL_OK ||
	    (r = mindl_signer_key(&s, key)) != MINDL_OK)
		goto out;
	mindl_enc_init(&e, 65536);
	if ((r = mindl_cose_sign1_write(&e, &s, rab, rablen, 1, cert,
	    certlen)) != MINDL_OK ||
	    (r = mindl_enc_finish(&e, &ra, &ralen)) != MINDL_OK)
		goto out;
	mindl_enc_init(&e, 65536);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "eReaderKey");
	mindl_enc_bstr(&e, erk, erklen);
	mindl_enc_tstr(&e, "deviceRequest");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_tstr(&e, "docRequests");
	mindl_enc_array(&e, 1);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "itemsRequest");
	mindl_enc_raw(&e, ib, iblen);
	mindl_enc_tstr(&e, "readerAuth");
	mindl_enc_raw(&e, ra, ralen);
	r = mindl_enc_finish(&e, out, outlen);
 out:
	mindl_enc_clear(&e);
	free(erk);
	free(items);
	free(ib);
	free(st);
	free(rab);
	free(ra);
	return r;
}

/* The holder's side: verify the request over its own session, decide. */
static int
holder_check(const uint8_t *rb, size_t rblen, const uint8_t *de,
    size_t delen, int64_t at, struct mindl_reader_info *ri,
    struct mindl_request **reqp)
{
	struct mindl_request *req = NULL;
	const struct mindl_profile *p;
	const uint8_t *erk;
	uint8_t *st = NULL;
	size_t erklen, stlen = 0;
	int r;

	*reqp = NULL;
	if ((r = mindl_request_parse(rb, rblen, &req)) != MINDL_OK)
		return r;
	mindl_request_erk(req, &erk, &erklen);
	if ((r = mindl_transcript_bytes(de, delen, erk, erklen, &st,
	    &stlen)) == MINDL_OK &&
	    (r = mindl_request_reader_auth_verify(req, 0, rtrust, st, stlen,
	    at, ri)) == MINDL_OK) {
		p = mindl_schema_profile(fx.schema, mindl_request_profile(req));
		r = p == NULL ? MINDL_ERR_PROFILE :
		    mindl_reader_authorise(ri, req, p, 0);
	}
	free(st);
	if (r == MINDL_OK)
		*reqp = req;
	else
		mindl_request_free(&req);
	return r;
}

static int
present(const struct mindl_request *req, const uint8_t *de, size_t delen,
    struct mindl_present_report *rep, uint8_t **resp, size_t *resplen)
{
	struct mindl_present_params pp;
	struct mindl_buf b;

	memset(&pp, 0, sizeof(pp));
	pp.cred = cred;
	pp.credlen = credlen;
	pp.req = req;
	pp.schema = fx.schema;
	pp.auth = MINDL_DEVAUTH_MAC;
	pp.device_key = fx.dev_key;
	pp.engagement = de;
	pp.englen = delen;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	return test_take(mindl_present(&pp, &b, rep), &b, resp, resplen);
}

/* The decision for element id of a report. */
static int
decision(const struct mindl_request *req,
    const struct mindl_present_report *rep, const char *id)
{
	const char *ns, *el;
	size_t i;

	for (i = 0; i < mindl_request_count(req); i++) {
		mindl_request_element(req, i, &ns, &el, NULL);
		if (strcmp(el, id) == 0)
			return rep->decision[i];
	}
	return -1;
}

/* mindl-keys reader's certificate: profile, EKU, extension. */
static void
reader_certificate(void)
{
	char ids[MINDL_READER_MAX_PROFILES][MINDL_READER_PROFILE_LEN];
	static const char *const two[] = { "traffic-stop", "age-21" };
	static const char *const dup[] = { "age-21", "age-21" };
	static const char *const bad[] = { "Age 21" };
	struct mindl_key *pub = NULL, *k = NULL;
	uint8_t *der = NULL, *ds = NULL;
	size_t n = 0, len = 0, dslen = 0;
	struct mindl_ds_params dp = { "a DS", TEST_T0 - 86400, 90 };

	CHECK_ERR(mindl_x509_reader_profiles(ts, tslen, ids, &n), MINDL_OK);
	CHECK(n == 1 && strcmp(ids[0], "traffic-stop") == 0);
	CHECK_ERR(mindl_trust_verify_reader(rtrust, ts, tslen, TEST_T0,
	    &pub), MINDL_OK);
	CHECK(pub != NULL && mindl_key_same_public(pub, ts_key));
	mindl_key_free(&pub);
	/* Not as a DS, nor a DS as a reader: the EKU decides. */
	CHECK_ERR(mindl_trust_verify_ds(rtrust, ts, tslen, TEST_T0, &pub),
	    MINDL_ERR_CERT_PROFILE);
	CHECK_ERR(mindl_key_generate(&k), MINDL_OK);
	CHECK_ERR(mindl_x509_make_ds(rca_key, rca, rcalen, k, &dp, &ds,
	    &dslen), MINDL_OK);
	CHECK_ERR(mindl_trust_verify_reader(rtrust, ds, dslen, TEST_T0, &pub),
	    MINDL_ERR_CERT_PROFILE);
	CHECK_ERR(mindl_x509_reader_profiles(ds, dslen, ids, &n),
	    MINDL_ERR_MISSING);
	/* Two profiles; a year at most; ids checked. */
	CHECK_ERR(make_reader(rca_key, rca, rcalen, k, "Two", two, 2,
	    TEST_T0, MINDL_READER_MAX_DAYS, &der, &len), MINDL_OK);
	CHECK_ERR(mindl_x509_reader_profiles(der, len, ids, &n), MINDL_OK);
	CHECK(n == 2 && strcmp(ids[1], "age-21") == 0);
	free(der);
	der = NULL;
	CHECK_ERR(make_reader(rca_key, rca, rcalen, k, "Long", two, 2,
	    TEST_T0, MINDL_READER_MAX_DAYS + 1, &der, &len),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(make_reader(rca_key, rca, rcalen, k, "Dup", dup, 2,
	    TEST_T0, 30, &der, &len), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(make_reader(rca_key, rca, rcalen, k, "Bad", bad, 1,
	    TEST_T0, 30, &der, &len), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(make_reader(rca_key, rca, rcalen, k, NULL, two, 2,
	    TEST_T0, 30, &der, &len), MINDL_ERR_INVALID_ARG);
	CHECK(der == NULL);
	mindl_key_free(&k);
	mindl_key_free(&pub);
	free(ds);
}

/*
 * The Must-show cases: what each certified reader can and cannot get,
 * and every bad signature or certificate gets nothing.
 */
static void
signed_requests(void)
{
	static const char *const over[] = { "resident_address", "birth_date",
	    NULL };
	static const char *const portrait[] = { "portrait", NULL };
	struct mindl_reader_info ri;
	struct mindl_request *req = NULL;
	struct mindl_present_report rep;
	uint8_t *de = NULL, *de2 = NULL, *rb = NULL, *resp = NULL;
	size_t delen = 0, de2len = 0, rblen = 0, resplen = 0;

	CHECK_ERR(mindl_engagement_create(&de, &delen), MINDL_OK);
	CHECK_ERR(mindl_engagement_create(&de2, &de2len), MINDL_OK);
	CHECK_ERR(mindl_engagement_check(de, delen), MINDL_OK);

	/* Traffic stop: its profile, and never birth_date or the address. */
	CHECK_ERR(signed_req("traffic-stop", over, 0, de, delen, ts_key, ts,
	    tslen, &rb, &rblen), MINDL_OK);
	CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0, &ri, &req),
	    MINDL_OK);
	CHECK(ri.verified && strcmp(ri.name, "Springfield PD") == 0);
	if (req != NULL) {
		CHECK_ERR(present(req, de, delen, &rep, &resp, &resplen),
		    MINDL_OK);
		CHECK(rep.released == 6 && rep.withheld_profile == 2);
		CHECK(decision(req, &rep, "birth_date") ==
		    MINDL_WITHHELD_PROFILE);
		CHECK(decision(req, &rep, "resident_address") ==
		    MINDL_WITHHELD_PROFILE);
		CHECK(decision(req, &rep, "family_name") == MINDL_RELEASED);
		CHECK(!test_has_bytes(resp, resplen, "1990-04-15", 10));
		/* The response carries the engagement the reader signed. */
		CHECK(test_has_bytes(resp, resplen, de, delen));
	}
	free(resp);
	resp = NULL;
	mindl_request_free(&req);
	free(rb);
	/* Nor by naming a profile that holds them: not certified for it. */
	CHECK_ERR(signed_req("identity", NULL, 0, de, delen, ts_key, ts,
	    tslen, &rb, &rblen), MINDL_OK);
	CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0, &ri, &req),
	    MINDL_ERR_READER_NOT_AUTHORISED);
	free(rb);
	/* Employer: never the portrait, by any profile or extra element. */
	CHECK_ERR(signed_req("employer-driver", portrait, 0, de, delen,
	    ed_key, ed, edlen, &rb, &rblen), MINDL_OK);
	CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0, &ri, &req),
	    MINDL_OK);
	if (req != NULL) {
		CHECK_ERR(present(req, de, delen, &rep, &resp, &resplen),
		    MINDL_OK);
		CHECK(decision(req, &rep, "portrait") ==
		    MINDL_WITHHELD_PROFILE);
		CHECK(!test_has_bytes(resp, resplen, test_jpeg + 20, 32));
	}
	free(resp);
	resp = NULL;
	mindl_request_free(&req);
	free(rb);
	CHECK_ERR(signed_req("car-rental", NULL, 0, de, delen, ed_key, ed,
	    edlen, &rb, &rblen), MINDL_OK);
	CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0, &ri, &req),
	    MINDL_ERR_READER_NOT_AUTHORISED);
	free(rb);
	/* Expired, and not yet valid. */
	CHECK_ERR(signed_req("traffic-stop", NULL, 0, de, delen, ts_key, ts,
	    tslen, &rb, &rblen), MINDL_OK);
	CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0 + 91 * 86400,
	    &ri, &req), MINDL_ERR_CERT_EXPIRED);
	CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0 - 2 * 86400,
	    &ri, &req), MINDL_ERR_CERT_EXPIRED);
	/* Another session: the holder's own engagement is another. */
	CHECK_ERR(holder_check(rb, rblen, de2, de2len, TEST_T0, &ri, &req),
	    MINDL_ERR_READER_AUTH);
	CHECK(!ri.verified && req == NULL);
	/* Revoked by removal: a holder without the reader CA. */
	{
		struct mindl_trust *keep = rtrust;

		CHECK_ERR(mindl_trust_new(&rtrust), MINDL_OK);
		CHECK_ERR(mindl_trust_add_der(rtrust, other_ca, other_calen),
		    MINDL_OK);
		CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0, &ri,
		    &req), MINDL_ERR_UNTRUSTED);
		mindl_trust_free(&rtrust);
		rtrust = keep;
	}
	free(rb);
	/* Untrusted: the same name and key under another CA. */
	CHECK_ERR(signed_req("traffic-stop", NULL, 0, de, delen, ts_key,
	    stranger, strangerlen, &rb, &rblen), MINDL_OK);
	CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0, &ri, &req),
	    MINDL_ERR_UNTRUSTED);
	free(rb);
	/* Wrong key for the certificate. */
	CHECK_ERR(signed_req("traffic-stop", NULL, 0, de, delen, ed_key, ts,
	    tslen, &rb, &rblen), MINDL_OK);
	CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0, &ri, &req),
	    MINDL_ERR_READER_AUTH);
	free(rb);
	/* Retention of the portrait: a traffic stop may not keep it. */
	CHECK_ERR(signed_req("traffic-stop", NULL, 1, de, delen, ts_key, ts,
	    tslen, &rb, &rblen), MINDL_OK);
	CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0, &ri, &req),
	    MINDL_ERR_RETAIN_REFUSED);
	free(rb);
	free(de);
	free(de2);
}

/* mindl_request_create_signed, and a byte changed anywhere after. */
static void
create_signed(void)
{
	const struct mindl_profile *p = mindl_schema_profile(fx.schema,
	    "traffic-stop");
	struct mindl_reader_info ri;
	struct mindl_request *req = NULL;
	struct mindl_signer s;
	uint8_t *de = NULL, *rb = NULL;
	size_t delen = 0, rblen = 0, i, off;
	int r, fails = 0;

	CHECK_ERR(mindl_engagement_create(&de, &delen), MINDL_OK);
	CHECK_ERR(mindl_signer_key(&s, ts_key), MINDL_OK);
	CHECK_ERR(mindl_request_create_signed(p, fx.reader_key, 0, de, delen,
	    &s, ts, tslen, &rb, &rblen), MINDL_OK);
	CHECK_ERR(holder_check(rb, rblen, de, delen, TEST_T0, &ri, &req),
	    MINDL_OK);
	mindl_request_free(&req);
	/* Each byte of ItemsRequest flipped: never accepted. */
	off = (size_t)-1;
	for (i = 0; i + 8 < rblen; i++)
		if (memcmp(rb + i, "docType", 7) == 0) {
			off = i;
			break;
		}
	CHECK(off != (size_t)-1);
	for (i = off; off != (size_t)-1 && i < off + 40; i++) {
		rb[i] ^= 0x01;
		r = holder_check(rb, rblen, de, delen, TEST_T0, &ri, &req);
		fails += r != MINDL_OK;
		mindl_request_free(&req);
		rb[i] ^= 0x01;
	}
	CHECK(fails == 40);
	free(rb);
	free(de);
}

/* Unsigned requests: age-18 and age-21 only, or nothing. */
static void
unsigned_requests(void)
{
	struct mindl_request *req = NULL;
	uint8_t *rb = NULL;
	size_t rblen = 0;

	CHECK_ERR(test_fx_request(&fx, "age-21", &rb, &rblen, &req),
	    MINDL_OK);
	CHECK_ERR(mindl_reader_authorise(NULL, req, mindl_schema_profile(
	    fx.schema, "age-21"), 0), MINDL_OK);
	CHECK_ERR(mindl_reader_authorise(NULL, req, mindl_schema_profile(
	    fx.schema, "age-21"), 1), MINDL_ERR_READER_REQUIRED);
	mindl_request_free(&req);
	free(rb);
	CHECK_ERR(test_fx_request(&fx, "traffic-stop", &rb, &rblen, &req),
	    MINDL_OK);
	CHECK_ERR(mindl_reader_authorise(NULL, req, mindl_schema_profile(
	    fx.schema, "traffic-stop"), 0), MINDL_ERR_READER_REQUIRED);
	mindl_request_free(&req);
	free(rb);
}

/* ISO 18013-5 7.2.5: at most two age_over_NN in one request. */
static void
age_cap(void)
{
	static const char *const ages[][4] = {
		{ "age_over_18", "age_over_21", NULL, NULL },
		{ "age_over_18", "age_over_21", "age_over_65", NULL },
	};
	struct mindl_request *req = NULL;
	struct mindl_enc e;
	uint8_t *items = NULL, *erk = NULL, *rb = NULL;
	size_t itemslen = 0, erklen = 0, rblen = 0, i, j, n;

	mindl_enc_init(&e, 4096);
	CHECK_ERR(mindl_cose_key_write(&e, fx.reader_key), MINDL_OK);
	CHECK_ERR(mindl_enc_finish(&e, &erk, &erklen), MINDL_OK);
	for (j = 0; j < 2; j++) {
		for (n = 0; ages[j][n] != NULL; n++)
			;
		mindl_enc_init(&e, 4096);
		mindl_enc_map(&e, 3);
		mindl_enc_tstr(&e, "docType");
		mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
		mindl_enc_tstr(&e, "nameSpaces");
		mindl_enc_map(&e, 1);
		mindl_enc_tstr(&e, NS);
		mindl_enc_map(&e, n);
		for (i = 0; i < n; i++) {
			mindl_enc_tstr(&e, ages[j][i]);
			mindl_enc_bool(&e, 0);
		}
		mindl_enc_tstr(&e, "requestInfo");
		mindl_enc_map(&e, 1);
		mindl_enc_tstr(&e, "mindl.profile");
		mindl_enc_tstr(&e, "age-21");
		CHECK_ERR(mindl_enc_finish(&e, &items, &itemslen), MINDL_OK);
		CHECK_ERR(mindl_request_wrap(erk, erklen, items, itemslen, &rb,
		    &rblen), MINDL_OK);
		CHECK_ERR(mindl_request_parse(rb, rblen, &req), j == 0 ?
		    MINDL_OK : MINDL_ERR_AGE_REQUESTS);
		mindl_request_free(&req);
		free(items);
		free(rb);
	}
	free(erk);
}

/* D.5.4: the Annex D readerAuth verifies with its reader root. */
static void
annexd_reader_auth(void)
{
	struct mindl_request *req = NULL;
	struct mindl_reader_info ri;
	struct mindl_trust *t = NULL;
	const struct mindl_cbor_item *ib;
	uint8_t *dr = NULL, *st = NULL, *rab = NULL, *mine = NULL;
	size_t drlen = 0, stlen = 0, rablen = 0, minelen = 0, i;
	int fails = 0, r;

	CHECK(load_hex("annexD_D.4.1.1_device_request.hex", &dr, &drlen));
	CHECK(load_hex("annexD_D.5.1_session_transcript_bytes.hex", &st,
	    &stlen));
	CHECK(load_hex("annexD_D.5.4_reader_authentication_bytes.hex", &rab,
	    &rablen));
	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	CHECK_ERR(mindl_trust_add_pem_file(t,
	    ANNEXD_DIR "/annexD_reader_root.pem"), MINDL_OK);
	CHECK_ERR(mindl_device_request_parse(dr, drlen, &req), MINDL_OK);
	if (req == NULL || st == NULL || rab == NULL)
		goto out;
	/* ReaderAuthenticationBytes rebuilt: byte for byte the annex's. */
	ib = mindl_request_items_bytes(req, 0);
	CHECK(ib != NULL);
	if (ib != NULL) {
		CHECK_ERR(mindl_reader_auth_bytes(st, stlen, ib->enc,
		    ib->enclen, &mine, &minelen), MINDL_OK);
		CHECK(minelen == rablen && memcmp(mine, rab, rablen) == 0);
	}
	CHECK_ERR(mindl_request_reader_auth_verify(req, 0, t, st, stlen,
	    AT_2021, &ri), MINDL_OK);
	CHECK(ri.verified && strcmp(ri.name, "reader") == 0 &&
	    ri.nprofiles == 0);
	/* A reader of another issuer authorises no mindl profile. */
	CHECK_ERR(mindl_reader_authorise(&ri, req, mindl_schema_profile(
	    fx.schema, "traffic-stop"), 0), MINDL_ERR_READER_NOT_AUTHORISED);
	/* After its certificate's end; under the IACA instead. */
	CHECK_ERR(mindl_request_reader_auth_verify(req, 0, t, st, stlen,
	    AT_2024, &ri), MINDL_ERR_CERT_EXPIRED);
	mindl_trust_free(&t);
	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	CHECK_ERR(mindl_trust_add_pem_file(t,
	    ANNEXD_DIR "/annexD_iaca_root.pem"), MINDL_OK);
	CHECK_ERR(mindl_request_reader_auth_verify(req, 0, t, st, stlen,
	    AT_2021, &ri), MINDL_ERR_UNTRUSTED);
	mindl_trust_free(&t);
	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	CHECK_ERR(mindl_trust_add_pem_file(t,
	    ANNEXD_DIR "/annexD_reader_root.pem"), MINDL_OK);
	/* One byte of the transcript changed: another session. */
	st[stlen - 1] ^= 0x01;
	CHECK_ERR(mindl_request_reader_auth_verify(req, 0, t, st, stlen,
	    AT_2021, &ri), MINDL_ERR_READER_AUTH);
	st[stlen - 1] ^= 0x01;
	mindl_request_free(&req);
	/*
	 * One byte of the request changed, each of the ItemsRequest and
	 * signature bytes in turn: never verified.
	 */
	for (i = 0; i < drlen; i++) {
		dr[i] ^= 0x01;
		r = mindl_device_request_parse(dr, drlen, &req);
		if (r == MINDL_OK)
			r = mindl_request_reader_auth_verify(req, 0, t, st,
			    stlen, AT_2021, &ri);
		/* Certificate bytes not covered by its signature: none. */
		fails += r != MINDL_OK;
		mindl_request_free(&req);
		dr[i] ^= 0x01;
	}
	CHECK(fails == (int)drlen);
 out:
	mindl_request_free(&req);
	mindl_trust_free(&t);
	free(dr);
	free(st);
	free(rab);
	free(mine);
}

int
main(void)
{
	int r;

	if ((r = setup()) != MINDL_OK) {
		fprintf(stderr, "setup: %s\n", mindl_errname(r));
		return 1;
	}
	RUN(reader_certificate);
	RUN(signed_requests);
	RUN(create_signed);
	RUN(unsigned_requests);
	RUN(age_cap);
	RUN(annexd_reader_auth);
	teardown();
	UNIT_DONE();
}
