/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * core/src/audit.c: feature extraction of a known credential and of a
 * presentation, escaping of hostile strings, the group tests (each must
 * fire on a broken population and stay quiet on an honest one or on
 * samples too small to conclude), and link detection on crafted pairs
 * that share exactly one kind of value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/audit.h"
#include "unit.h"
#include "../common/testlib.h"

#define T0	1795000000	/* 2026-11-18T...Z */
#define NS	MINDL_NS_ISO

static struct mindl_key *iaca, *ds, *ds2;
static uint8_t *iacader, *dsder, *ds2der;
static size_t iacalen, dslen, ds2len;

static const char record[] =
    "{\"family_name\": \"Rivera Quispe\", \"given_name\": \"Ana\","
    " \"birth_date\": \"1990-02-28\", \"document_number\": \"SS7Q4M2K9X\","
    " \"driving_privileges\": [{\"vehicle_category_code\": \"D\"}],"
    " \"org.iso.18013.5.1.aamva\": {\"organ_donor\": 1}}";

static int
setup(void)
{
	struct mindl_iaca_params ip = { "US", "SS", "Audit IACA",
	    "mailto:i@example.invalid", T0 - 86400, 3650 };
	struct mindl_ds_params dp = { NULL, T0 - 86400, 365 };

	if (mindl_key_generate(&iaca) != MINDL_OK ||
	    mindl_key_generate(&ds) != MINDL_OK ||
	    mindl_key_generate(&ds2) != MINDL_OK ||
	    mindl_x509_make_iaca(iaca, &ip, &iacader, &iacalen) != MINDL_OK ||
	    mindl_x509_make_ds(iaca, iacader, iacalen, ds, &dp, &dsder,
	    &dslen) != MINDL_OK ||
	    mindl_x509_make_ds(iaca, iacader, iacalen, ds2, &dp, &ds2der,
	    &ds2len) != MINDL_OK)
		return -1;
	return 0;
}

static void
teardown(void)
{
	mindl_key_free(&iaca);
	mindl_key_free(&ds);
	mindl_key_free(&ds2);
	free(iacader);
	free(dsder);
	free(ds2der);
}

/* A credential through the real issuer, built-in policy. */
static int
issue(const struct mindl_key *dev, uint8_t **cred, size_t *len)
{
	struct mindl_schema *s = NULL;
	struct mindl_record *rec = NULL;
	struct mindl_issue_params p;
	char err[256];
	int r;

	if ((r = mindl_schema_builtin(&s)) != MINDL_OK)
		return r;
	r = mindl_record_parse(s, record, strlen(record), test_jpeg,
	    sizeof(test_jpeg), T0, &rec, err, sizeof(err));
	if (r == MINDL_OK) {
		memset(&p, 0, sizeof(p));
		p.record = rec;
		p.policy = mindl_schema_policy(s);
		p.ds_cert = dsder;
		p.ds_certlen = dslen;
		p.device_pub = dev;
		p.now = T0 + 3723;	/* 01:02:03 into the day */
		r = test_issue(&p, ds, cred, len, NULL);
	}
	mindl_record_free(&rec);
	mindl_schema_free(&s);
	return r;
}

/*
 * A crafted credential: one item in NS (digestID ids[0], salt), nids
 * digestIDs in valueDigests, an optional status, chosen times and
 * docType.  Signed by `signer` (the audit never verifies).
 */
struct craft {
	const char		*doctype;
	uint64_t		 ids[8];
	size_t			 nids;
	uint8_t			 salt[32];
	int			 status;
	uint64_t		 idx;
	int64_t			 signed_at, from, until;
	const struct mindl_key	*dev;
	const struct mindl_key	*signer;
	const uint8_t		*cert;
	size_t			 certlen;
};

static void
tdate(struct mindl_enc *e, int64_t t)
{
	char b[MINDL_TDATE_LEN + 1];

	(void)mindl_tdate_format(t, b);
	mindl_enc_tag(e, 0);
	mindl_enc_tstr(e, b);
}

static int
craft(const struct craft *c, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t *inner = NULL, *item = NULL, *mso = NULL, *msob = NULL;
	uint8_t dg[MINDL_SHA256_LEN];
	size_t il = 0, itl = 0, ml = 0, mbl = 0, i;
	int r;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, 4);
	mindl_enc_tstr(&e, "digestID");
	mindl_enc_uint(&e, c->ids[0]);
	mindl_enc_tstr(&e, "random");
	mindl_enc_bstr(&e, c->salt, sizeof(c->salt));
	mindl_enc_tstr(&e, "elementIdentifier");
	mindl_enc_tstr(&e, "family_name");
	mindl_enc_tstr(&e, "elementValue");
	mindl_enc_tstr(&e, "X");
	if ((r = mindl_enc_finish(&e, &inner, &il)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, inner, il);
	free(inner);
	if ((r = mindl_enc_finish(&e, &item, &itl)) != MINDL_OK)
		return r;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, c->status ? 7 : 6);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_tstr(&e, "digestAlgorithm");
	mindl_enc_tstr(&e, "SHA-256");
	mindl_enc_tstr(&e, "valueDigests");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, NS);
	mindl_enc_map(&e, c->nids);
	for (i = 0; i < c->nids; i++) {
		if (i == 0)
			(void)mindl_sha256(item, itl, dg);
		else {
			/* Distinct filler digests, derived from the ID. */
			memset(dg, 0, sizeof(dg));
			memcpy(dg, &c->ids[i], sizeof(c->ids[i]));
			memcpy(dg + 8, c->salt, 24);
		}
		mindl_enc_uint(&e, c->ids[i]);
		mindl_enc_bstr(&e, dg, sizeof(dg));
	}
	mindl_enc_tstr(&e, "deviceKeyInfo");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "deviceKey");
	(void)mindl_cose_key_write(&e, c->dev);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, c->doctype);
	mindl_enc_tstr(&e, "validityInfo");
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "signed");
	tdate(&e, c->signed_at);
	mindl_enc_tstr(&e, "validFrom");
	tdate(&e, c->from);
	mindl_enc_tstr(&e, "validUntil");
	tdate(&e, c->until);
	if (c->status) {
		mindl_enc_tstr(&e, "status");
		mindl_enc_map(&e, 1);
		mindl_enc_tstr(&e, "status_list");
		mindl_enc_map(&e, 2);
		mindl_enc_tstr(&e, "idx");
		mindl_enc_uint(&e, c->idx);
		mindl_enc_tstr(&e, "uri");
		mindl_enc_tstr(&e, "https://dmv.example/sl/1");
	}
	if ((r = mindl_enc_finish(&e, &mso, &ml)) != MINDL_OK)
		goto out;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_embedded(&e, mso, ml);
	if ((r = mindl_enc_finish(&e, &msob, &mbl)) != MINDL_OK)
		goto out;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 1);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, c->doctype);
	mindl_enc_tstr(&e, "issuerSigned");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, NS);
	mindl_enc_array(&e, 1);
	mindl_enc_raw(&e, item, itl);
	mindl_enc_tstr(&e, "issuerAuth");
	if ((r = test_sign1_write(&e, c->signer, msob, mbl, 0, c->cert,
	    c->certlen)) != MINDL_OK) {
		mindl_enc_clear(&e);
		goto out;
	}
	r = mindl_enc_finish(&e, out, outlen);
 out:
	free(item);
	free(mso);
	free(msob);
	return r;
}

/* splitmix64: distinct, well-spread digestIDs from a counter. */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* A crafted credential with everything distinct, from a counter. */
static void
craft_default(struct craft *c, const struct mindl_key *dev, uint64_t n)
{
	size_t i;

	memset(c, 0, sizeof(*c));
	c->doctype = MINDL_DOCTYPE_MDL;
	c->nids = 4;
	for (i = 0; i < c->nids; i++)
		c->ids[i] = 0x10000 + mix(n * 8 + i) % 0x7fff0000u;
	for (i = 0; i < sizeof(c->salt); i++)
		c->salt[i] = (uint8_t)(n * 7 + i + 1);
	c->salt[31] = (uint8_t)(n >> 8);
	c->signed_at = c->from = (int64_t)T0 / 86400 * 86400;
	c->until = c->from + 30 * 86400;
	c->dev = dev;
	c->signer = ds;
	c->cert = dsder;
	c->certlen = dslen;
}

static void
known_credential(void)
{
	struct mindl_key *dev = NULL;
	struct mindl_audit_fv *fv = NULL;
	uint8_t *cred = NULL;
	size_t len = 0, n = 0;
	char kid[17];

	CHECK_ERR(mindl_key_generate(&dev), MINDL_OK);
	CHECK_ERR(issue(dev, &cred, &len), MINDL_OK);
	CHECK_ERR(mindl_audit_extract(cred, len, &fv, &n), MINDL_OK);
	CHECK(n == 1);
	if (fv == NULL || n != 1)
		goto out;
	CHECK(strcmp(fv->cat[MINDL_AF_DOCTYPE], MINDL_DOCTYPE_MDL) == 0);
	CHECK(strcmp(fv->cat[MINDL_AF_NAMESPACES],
	    "org.iso.18013.5.1,org.iso.18013.5.1.aamva") == 0);
	CHECK(strcmp(fv->cat[MINDL_AF_DIGESTS],
	    "org.iso.18013.5.1=48,org.iso.18013.5.1.aamva=16") == 0);
	CHECK(strstr(fv->cat[MINDL_AF_MSO_FORMAT],
	    "version=1.0 digestAlgorithm=SHA-256 keys=deviceKeyInfo,"
	    "digestAlgorithm,docType,validityInfo,valueDigests,version") !=
	    NULL);
	CHECK(strncmp(fv->cat[MINDL_AF_IA_HEADERS], "alg=-7 protected=a10126 "
	    "unprotected=33 x5chain=1", 40) == 0);
	CHECK(mindl_x509_key_id(dsder, dslen, kid) == MINDL_OK &&
	    strcmp(fv->cat[MINDL_AF_SIGNER], kid) == 0);
	CHECK(strncmp(fv->cat[MINDL_AF_DEVICE_KEY], "EC2 P-256 ", 10) == 0);
	CHECK(fv->num[MINDL_AF_VALIDITY] == 30 * 86400);
	CHECK(fv->num[MINDL_AF_FROM_MOD_DAY] == 0);
	CHECK(fv->num[MINDL_AF_UNTIL_MOD_DAY] == 0);
	CHECK(fv->num[MINDL_AF_FROM_MINUS_SIGNED] == 0);
	/* Issued at 01:02:03; signed at the start of the day. */
	CHECK(fv->num[MINDL_AF_SIGNED_MOD_DAY] == 0);
	CHECK(fv->num[MINDL_AF_SIGNED_MOD_HOUR] == 0);
	CHECK(fv->num[MINDL_AF_SIGNED_MOD_MINUTE] == 0);
	CHECK(fv->num[MINDL_AF_SIGNED_DAY] == T0 / 86400);
	CHECK(strcmp(fv->cat[MINDL_AF_DIGEST_LENS], "32") == 0);
	CHECK(fv->num[MINDL_AF_ID_MIN] >= 0x10000 &&
	    fv->num[MINDL_AF_ID_MAX] < 0x80000000ll);
	CHECK(strcmp(fv->cat[MINDL_AF_ID_SIZES], "5") == 0);
	CHECK(strcmp(fv->cat[MINDL_AF_ID_SEQUENTIAL], "no") == 0);
	CHECK(strcmp(fv->cat[MINDL_AF_STATUS], "absent") == 0);
	CHECK(!fv->present[MINDL_AF_STATUS_IDX]);
	CHECK(strcmp(fv->cat[MINDL_AF_AGE_SET], "age_over_16,age_over_18,"
	    "age_over_21,age_over_25,age_over_65") == 0);
	CHECK(strcmp(fv->cat[MINDL_AF_SALT_LENS], "32") == 0);
	CHECK(strstr(fv->cat[MINDL_AF_ELEMENTS],
	    ";org.iso.18013.5.1.aamva:aamva_version,organ_donor") != NULL);
	CHECK(strstr(fv->cat[MINDL_AF_ELEMENTS], "family_name,given_name") !=
	    NULL);
	/* 5 age_over, 9 record, 7 derived + portrait: see the schema. */
	CHECK(fv->num[MINDL_AF_ITEMS] > 15 && fv->num[MINDL_AF_ITEMS] < 30);
	/* The entry is the whole file but its one-byte array head. */
	CHECK(fv->num[MINDL_AF_CRED_SIZE] == (int64_t)len - 1);
	CHECK(fv->num[MINDL_AF_MSO_SIZE] > 2000 &&
	    fv->num[MINDL_AF_IA_SIZE] > fv->num[MINDL_AF_MSO_SIZE]);
 out:
	mindl_audit_fv_free(&fv, n);
	CHECK(fv == NULL);
	mindl_audit_fv_free(NULL, 0);
	free(cred);
	mindl_key_free(&dev);
}

/* The features of a presentation: the MSO's, and only what was shown. */
static void
presentation(void)
{
	struct mindl_key *dev = NULL, *erk = NULL;
	struct mindl_schema *s = NULL;
	struct mindl_request *req = NULL;
	struct mindl_audit_fv *fv = NULL, *cfv = NULL;
	uint8_t *cred = NULL, *rq = NULL, *resp = NULL;
	size_t cl = 0, rl = 0, pl = 0, n = 0, cn = 0, f;

	CHECK_ERR(mindl_key_generate(&dev), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&erk), MINDL_OK);
	CHECK_ERR(mindl_schema_builtin(&s), MINDL_OK);
	CHECK_ERR(issue(dev, &cred, &cl), MINDL_OK);
	CHECK_ERR(mindl_request_create(mindl_schema_profile(s, "age-21"), erk,
	    &rq, &rl), MINDL_OK);
	CHECK_ERR(mindl_request_parse(rq, rl, &req), MINDL_OK);
	CHECK_ERR(test_present(cred, cl, dev, req, s, MINDL_DEVAUTH_MAC,
	    &resp, &pl, NULL), MINDL_OK);
	CHECK_ERR(mindl_audit_extract(resp, pl, &fv, &n), MINDL_OK);
	CHECK_ERR(mindl_audit_extract(cred, cl, &cfv, &cn), MINDL_OK);
	CHECK(n == 1 && cn == 1);
	if (n == 1 && cn == 1) {
		/* Every verifier-visible feature is the credential's. */
		for (f = 0; f < MINDL_AF_COUNT; f++) {
			if (mindl_audit_feature_info(f)->vis !=
			    MINDL_AUDIT_VERIFIER)
				continue;
			CHECK(fv->present[f] == cfv->present[f]);
			if (mindl_audit_feature_info(f)->numeric)
				CHECK(fv->num[f] == cfv->num[f]);
			else
				CHECK(strcmp(fv->cat[f], cfv->cat[f]) == 0);
		}
		CHECK(strcmp(fv->cat[MINDL_AF_ELEMENTS],
		    "org.iso.18013.5.1:age_over_21,portrait") == 0);
		CHECK(fv->num[MINDL_AF_ITEMS] == 2);
	}
	mindl_audit_fv_free(&fv, n);
	mindl_audit_fv_free(&cfv, cn);
	mindl_request_free(&req);
	mindl_schema_free(&s);
	mindl_key_free(&dev);
	mindl_key_free(&erk);
	free(cred);
	free(rq);
	free(resp);
}

/* Crafted oddities: escaping, status, sequential IDs, unaligned times. */
static void
crafted_features(void)
{
	struct mindl_key *dev = NULL;
	struct mindl_audit_fv *fv = NULL;
	struct craft c;
	uint8_t *cred = NULL;
	size_t len = 0, n = 0, i;

	CHECK_ERR(mindl_key_generate(&dev), MINDL_OK);
	craft_default(&c, dev, 1);
	c.doctype = "evil\n\x01,=\\doc";
	for (i = 0; i < 4; i++)
		c.ids[i] = 7 + i;	/* 7, 8, 9, 10: sequential, 1 byte */
	c.status = 1;
	c.idx = 4242;
	c.signed_at = T0;		/* not day-aligned */
	c.from = T0 + 60;
	c.until = T0 + 60 + 7 * 86400 + 5;
	CHECK_ERR(craft(&c, &cred, &len), MINDL_OK);
	CHECK_ERR(mindl_audit_extract(cred, len, &fv, &n), MINDL_OK);
	if (fv != NULL && n == 1) {
		CHECK(strcmp(fv->cat[MINDL_AF_DOCTYPE],
		    "evil\\x0a\\x01\\x2c\\x3d\\x5cdoc") == 0);
		CHECK(strcmp(fv->cat[MINDL_AF_ID_SEQUENTIAL], "yes") == 0);
		CHECK(strcmp(fv->cat[MINDL_AF_ID_SIZES], "1") == 0);
		CHECK(fv->num[MINDL_AF_ID_MIN] == 7 &&
		    fv->num[MINDL_AF_ID_MAX] == 10);
		CHECK(strcmp(fv->cat[MINDL_AF_STATUS],
		    "uri=https://dmv.example/sl/1") == 0);
		CHECK(fv->present[MINDL_AF_STATUS_IDX] &&
		    fv->num[MINDL_AF_STATUS_IDX] == 4242);
		CHECK(fv->num[MINDL_AF_SIGNED_MOD_DAY] == T0 % 86400);
		CHECK(fv->num[MINDL_AF_SIGNED_MOD_MINUTE] == T0 % 60);
		CHECK(fv->num[MINDL_AF_FROM_MINUS_SIGNED] == 60);
		CHECK(fv->num[MINDL_AF_VALIDITY] == 7 * 86400 + 5);
		CHECK(strcmp(fv->cat[MINDL_AF_AGE_SET], "none") == 0);
		CHECK(strcmp(fv->cat[MINDL_AF_ITEM_ORDER], "n/a") == 0);
		CHECK(strstr(fv->cat[MINDL_AF_MSO_FORMAT], ",status,") != NULL);
	}
	mindl_audit_fv_free(&fv, n);
	free(cred);
	mindl_key_free(&dev);
}

static void
hostile_input(void)
{
	static const uint8_t empty[] = { 0x80 };		/* [] */
	static const uint8_t notmap[] = { 0x81, 0x01 };		/* [1] */
	static const uint8_t trailing[] = { 0x80, 0x00 };
	static const uint8_t nodocs[] = { 0xa0 };		/* {} */
	struct mindl_audit_fv *fv = NULL;
	struct mindl_audit_links *l = NULL;
	struct mindl_key *dev = NULL;
	uint8_t *cred = NULL;
	size_t len = 0, n = 0, cut;

	CHECK_ERR(mindl_audit_extract(empty, sizeof(empty), &fv, &n),
	    MINDL_ERR_NO_DOCUMENT);
	CHECK_ERR(mindl_audit_extract(notmap, sizeof(notmap), &fv, &n),
	    MINDL_ERR_CBOR_TYPE);
	CHECK_ERR(mindl_audit_extract(trailing, sizeof(trailing), &fv, &n),
	    MINDL_ERR_CBOR_TRAILING);
	CHECK_ERR(mindl_audit_extract(nodocs, sizeof(nodocs), &fv, &n),
	    MINDL_ERR_NO_DOCUMENT);
	CHECK(fv == NULL && n == 0);
	/* Every truncation of a real credential is refused, none crashes. */
	CHECK_ERR(mindl_key_generate(&dev), MINDL_OK);
	CHECK_ERR(issue(dev, &cred, &len), MINDL_OK);
	CHECK_ERR(mindl_audit_links_new(&l), MINDL_OK);
	for (cut = 0; cred != NULL && cut < len; cut += 1 + cut / 8) {
		CHECK(mindl_audit_extract(cred, cut, &fv, &n) != MINDL_OK);
		CHECK(mindl_audit_links_add(l, cred, cut) != MINDL_OK);
	}
	CHECK(fv == NULL);
	CHECK_ERR(mindl_audit_links_run(l), MINDL_OK);
	CHECK(mindl_audit_links_count(l) == 0);
	mindl_audit_links_free(&l);
	free(cred);
	mindl_key_free(&dev);
}

/* nA credentials with validity da days and nB with db days (B: nb2 of
 * them with db2 days), in groups A and B. */
static struct mindl_audit_pop *
population(size_t na, size_t nb, size_t nb2, int64_t db2)
{
	struct mindl_audit_pop *p = NULL;
	struct mindl_key *dev = NULL;
	struct craft c;
	uint8_t *cred;
	size_t len, ga = 0, gb = 0, i;
	static uint64_t serial;

	if (mindl_audit_pop_new(&p) != MINDL_OK ||
	    mindl_audit_pop_group(p, "A", &ga) != MINDL_OK ||
	    mindl_audit_pop_group(p, "B", &gb) != MINDL_OK ||
	    mindl_key_generate(&dev) != MINDL_OK) {
		mindl_audit_pop_free(&p);
		return NULL;
	}
	for (i = 0; i < na + nb; i++) {
		craft_default(&c, dev, ++serial);
		if (i >= na && i - na < nb2)
			c.until = c.from + db2 * 86400;
		cred = NULL;
		if (craft(&c, &cred, &len) != MINDL_OK ||
		    mindl_audit_pop_add(p, i < na ? ga : gb, cred, len) !=
		    MINDL_OK)
			mindl_audit_pop_free(&p);
		free(cred);
		if (p == NULL)
			break;
	}
	mindl_key_free(&dev);
	if (p != NULL && mindl_audit_pop_finish(p) != MINDL_OK)
		mindl_audit_pop_free(&p);
	return p;
}

/* The diff for feature f among d[0..n), or NULL. */
static const struct mindl_audit_diff *
diff_of(const struct mindl_audit_diff *d, size_t n, size_t f)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (d[i].feature == f)
			return &d[i];
	return NULL;
}

static void
group_tests(void)
{
	struct mindl_audit_pop *p;
	struct mindl_audit_diff *d = NULL;
	const struct mindl_audit_diff *v;
	const struct mindl_audit_value *val;
	struct mindl_audit_range rg;
	size_t n = 0, g = 0;

	/* Honest: one rule for both groups -> nothing at all. */
	p = population(40, 40, 0, 0);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK(mindl_audit_pop_size(p, 1) == 40 &&
	    mindl_audit_pop_size(p, SIZE_MAX) == 80);
	CHECK(strcmp(mindl_audit_pop_group_name(p, 1), "A") == 0 &&
	    mindl_audit_pop_group_name(p, 0) == NULL);
	CHECK_ERR(mindl_audit_pop_group(p, "A", &g), MINDL_OK);
	CHECK(g == 1);
	CHECK(mindl_audit_pop_nvalues(p, MINDL_AF_VALIDITY) == 1);
	val = mindl_audit_pop_value(p, MINDL_AF_VALIDITY, 0);
	CHECK(val != NULL && val->total == 80 && val->count[1] == 40 &&
	    strcmp(val->value, "2592000") == 0);
	val = mindl_audit_pop_value(p, MINDL_AF_STATUS_IDX, 0);
	CHECK(val != NULL && val->absent && strcmp(val->value, "absent") == 0);
	mindl_audit_pop_range(p, MINDL_AF_ID_MIN, 2, &rg);
	CHECK(rg.n == 40 && rg.distinct == 40 && rg.min < rg.max);
	CHECK_ERR(mindl_audit_pop_compare(p, 1, 2, &d, &n), MINDL_OK);
	CHECK(n == 0 && d == NULL);
	CHECK_ERR(mindl_audit_pop_compare(p, 1, 1, &d, &n),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_audit_pop_add(p, 1, NULL, 0), MINDL_ERR_INVALID_ARG);
	mindl_audit_pop_free(&p);
	CHECK(p == NULL);

	/* Broken: B's validity is another rule -> every test fires. */
	p = population(40, 40, 40, 60);
	if (p != NULL) {
		CHECK_ERR(mindl_audit_pop_compare(p, 1, 2, &d, &n), MINDL_OK);
		v = diff_of(d, n, MINDL_AF_VALIDITY);
		CHECK(v != NULL && v->tests == (MINDL_AUDIT_T_EXCLUSIVE |
		    MINDL_AUDIT_T_TV | MINDL_AUDIT_T_RANGE | MINDL_AUDIT_T_KS));
		CHECK(v != NULL && strstr(v->evidence, "\"5184000\" occurs 40 "
		    "times in B (100.0%), never in A") != NULL);
		CHECK(v != NULL && v->ks > 0.99 && v->ks_threshold > 0.57 &&
		    v->ks_threshold < 0.59);
		/* validUntil alignment is unchanged: not reported. */
		CHECK(diff_of(d, n, MINDL_AF_UNTIL_MOD_DAY) == NULL);
		free(d);
		d = NULL;
	}
	mindl_audit_pop_free(&p);

	/* Too small to conclude: 4 against 4, all different -> quiet. */
	p = population(4, 4, 4, 60);
	if (p != NULL) {
		CHECK_ERR(mindl_audit_pop_compare(p, 1, 2, &d, &n), MINDL_OK);
		CHECK(diff_of(d, n, MINDL_AF_VALIDITY) == NULL);
		free(d);
		d = NULL;
	}
	mindl_audit_pop_free(&p);

	/* A quarter of B broken: the exclusive-value test finds it. */
	p = population(200, 200, 50, 31);
	if (p != NULL) {
		CHECK_ERR(mindl_audit_pop_compare(p, 1, 2, &d, &n), MINDL_OK);
		v = diff_of(d, n, MINDL_AF_VALIDITY);
		CHECK(v != NULL && (v->tests & MINDL_AUDIT_T_EXCLUSIVE) &&
		    !(v->tests & MINDL_AUDIT_T_RANGE));
		free(d);
		d = NULL;
	}
	mindl_audit_pop_free(&p);
	CHECK(strcmp(mindl_audit_test_name(MINDL_AUDIT_T_KS), "ks") == 0);
	CHECK(strcmp(mindl_audit_vis_name(MINDL_AUDIT_HOLDER), "holder") == 0);
	CHECK(mindl_audit_feature_info(MINDL_AF_COUNT) == NULL);
	CHECK(!mindl_audit_feature_info(MINDL_AF_CRED_SIZE)->counted &&
	    mindl_audit_feature_info(MINDL_AF_SIGNER)->counted);
}

/*
 * Structural links between a and b: the kinds found, as a bit mask (the
 * crafted pairs disclose the same values by construction; those are
 * checked apart).
 */
static unsigned
link_kinds(const uint8_t *a, size_t al, const uint8_t *b, size_t bl,
    size_t *nexp)
{
	struct mindl_audit_links *l = NULL;
	const struct mindl_audit_link *lk;
	unsigned kinds = 0;
	size_t i;

	if (mindl_audit_links_new(&l) != MINDL_OK ||
	    mindl_audit_links_add(l, a, al) != MINDL_OK ||
	    mindl_audit_links_add(l, b, bl) != MINDL_OK ||
	    mindl_audit_links_run(l) != MINDL_OK) {
		mindl_audit_links_free(&l);
		return 1u << 31;
	}
	for (i = 0; i < mindl_audit_links_count(l); i++) {
		lk = mindl_audit_links_at(l, i);
		if (lk->a == 0 && lk->b == 1 &&
		    lk->kind != MINDL_LINK_DISCLOSED_VALUE)
			kinds |= 1u << lk->kind;
	}
	if (nexp != NULL)
		*nexp = mindl_audit_links_nexpected(l);
	mindl_audit_links_free(&l);
	return kinds;
}

#define K(x)	(1u << (x))

static void
crafted_links(void)
{
	struct mindl_key *d1 = NULL, *d2 = NULL;
	struct craft c1, c2;
	uint8_t *a = NULL, *b = NULL;
	size_t al = 0, bl = 0, nexp = 0;

	CHECK_ERR(mindl_key_generate(&d1), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&d2), MINDL_OK);
#define PAIR(setup2, want, what) do {					\
	craft_default(&c1, d1, 1000);					\
	craft_default(&c2, d2, 2000);					\
	setup2;								\
	free(a);							\
	free(b);							\
	a = b = NULL;							\
	CHECK_ERR(craft(&c1, &a, &al), MINDL_OK);			\
	CHECK_ERR(craft(&c2, &b, &bl), MINDL_OK);			\
	if (link_kinds(a, al, b, bl, &nexp) != (want)) {		\
		fprintf(stderr, "pair %s: kinds %#x, want %#x\n", what,	\
		    link_kinds(a, al, b, bl, NULL), (unsigned)(want));	\
		CHECK(0);						\
	}								\
} while (0)
	/* Nothing shared but the DS certificate: 0 links, 1 expected. */
	PAIR((void)0, 0, "distinct");
	CHECK(nexp == 1);
	/* One salt. */
	PAIR(memcpy(c2.salt, c1.salt, sizeof(c1.salt)), K(MINDL_LINK_SALT),
	    "salt");
	/* The same digestIDs: each ID and the set. */
	PAIR(memcpy(c2.ids, c1.ids, sizeof(c1.ids)),
	    K(MINDL_LINK_DIGEST_ID) | K(MINDL_LINK_DIGEST_ID_SET),
	    "digestIDs");
	/* The same device key. */
	PAIR(c2.dev = d1, K(MINDL_LINK_DEVICE_KEY), "device key");
	/* The same status index on the same list. */
	PAIR((c1.status = c2.status = 1, c1.idx = c2.idx = 99),
	    K(MINDL_LINK_STATUS), "status");
	/* Different DS certificates: nothing expected either. */
	PAIR((c2.signer = ds2, c2.cert = ds2der, c2.certlen = ds2len), 0,
	    "two signers");
	CHECK(nexp == 0);
#undef PAIR
	/* One credential against itself: everything. */
	CHECK(link_kinds(a, al, a, al, NULL) == (K(MINDL_LINK_SALT) |
	    K(MINDL_LINK_VALUE_DIGEST) | K(MINDL_LINK_DIGEST_ID) |
	    K(MINDL_LINK_DIGEST_ID_SET) | K(MINDL_LINK_DEVICE_KEY) |
	    K(MINDL_LINK_ISSUER_SIGNATURE)));
	CHECK(strcmp(mindl_audit_link_kind_name(MINDL_LINK_SALT), "salt") ==
	    0);
	CHECK(strcmp(mindl_audit_link_kind_name(99), "unknown") == 0);
	free(a);
	free(b);
	mindl_key_free(&d1);
	mindl_key_free(&d2);
}

/* Two presentations of one credential link; of two holders they don't. */
static void
presentation_links(void)
{
	struct mindl_key *d1 = NULL, *d2 = NULL, *erk = NULL;
	struct mindl_schema *s = NULL;
	struct mindl_request *req = NULL;
	struct mindl_audit_links *l = NULL;
	const struct mindl_audit_link *lk;
	uint8_t *c1 = NULL, *c2 = NULL, *rq = NULL, *p[3] = { NULL };
	size_t l1 = 0, l2 = 0, rl = 0, pl[3] = { 0 }, i;
	unsigned k01 = 0, k02 = 0;

	CHECK_ERR(mindl_key_generate(&d1), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&d2), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&erk), MINDL_OK);
	CHECK_ERR(mindl_schema_builtin(&s), MINDL_OK);
	CHECK_ERR(issue(d1, &c1, &l1), MINDL_OK);
	CHECK_ERR(issue(d2, &c2, &l2), MINDL_OK);
	CHECK_ERR(mindl_request_create(mindl_schema_profile(s,
	    "traffic-stop"), erk, &rq, &rl), MINDL_OK);
	CHECK_ERR(mindl_request_parse(rq, rl, &req), MINDL_OK);
	for (i = 0; i < 3; i++)
		CHECK_ERR(test_present(i < 2 ? c1 : c2, i < 2 ? l1 : l2,
		    i < 2 ? d1 : d2, req, s, i == 1 ? MINDL_DEVAUTH_SIGNATURE :
		    MINDL_DEVAUTH_MAC, &p[i], &pl[i], NULL), MINDL_OK);
	CHECK_ERR(mindl_audit_links_new(&l), MINDL_OK);
	for (i = 0; i < 3; i++)
		CHECK_ERR(mindl_audit_links_add(l, p[i], pl[i]), MINDL_OK);
	CHECK_ERR(mindl_audit_links_run(l), MINDL_OK);
	CHECK_ERR(mindl_audit_links_run(l), MINDL_ERR_INVALID_ARG);
	for (i = 0; i < mindl_audit_links_count(l); i++) {
		lk = mindl_audit_links_at(l, i);
		if (lk->a == 0 && lk->b == 1)
			k01 |= 1u << lk->kind;
		else
			k02 |= 1u << lk->kind;
	}
	CHECK(k01 == (K(MINDL_LINK_SALT) | K(MINDL_LINK_VALUE_DIGEST) |
	    K(MINDL_LINK_DIGEST_ID) | K(MINDL_LINK_DIGEST_ID_SET) |
	    K(MINDL_LINK_DEVICE_KEY) | K(MINDL_LINK_ISSUER_SIGNATURE) |
	    K(MINDL_LINK_DISCLOSED_VALUE)));
	/* Another holder: at most the same values, never the structure. */
	CHECK((k02 & ~K(MINDL_LINK_DISCLOSED_VALUE)) == 0);
	/* The six disclosed elements of one credential, twice: six values. */
	CHECK(mindl_audit_links_value_total(l) >= 6);
	CHECK(mindl_audit_links_nexpected(l) == 1 &&
	    mindl_audit_links_expected(l, 0)->files == 3 &&
	    mindl_audit_links_expected(l, 0)->kind == MINDL_LINK_ISSUER_CERT);
	/* 6 items disclosed: 6 salts, 6 IDs, 64 digests, 2 sets, key, sig. */
	CHECK(mindl_audit_links_total(l) == 6 + 6 + 64 + 2 + 1 + 1);
	CHECK(!mindl_audit_links_truncated(l));
	mindl_audit_links_free(&l);
	CHECK(l == NULL);
	for (i = 0; i < 3; i++)
		free(p[i]);
	free(c1);
	free(c2);
	free(rq);
	mindl_request_free(&req);
	mindl_schema_free(&s);
	mindl_key_free(&d1);
	mindl_key_free(&d2);
	mindl_key_free(&erk);
}

int
main(void)
{
	if (setup() != 0) {
		fprintf(stderr, "set-up failed\n");
		return 1;
	}
	RUN(known_credential);
	RUN(presentation);
	RUN(crafted_features);
	RUN(hostile_input);
	RUN(group_tests);
	RUN(crafted_links);
	RUN(presentation_links);
	teardown();
	UNIT_DONE();
}
