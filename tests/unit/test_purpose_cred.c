/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Purpose credentials (mindl_mdoc_issue_purpose, DESIGN.md section 3.10)
 * and their verification as static documents (mindl_verify_static): one
 * profile's elements and nothing else, the portrait as a thumbnail, a
 * digest count fixed by the profile (privacy rule 2), no status and the
 * licence's term for age-only profiles, the given status for the
 * others, and a size that fits one printed QR code.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testfx.h"
#include "../common/testjpeg.h"

#define DAY		((int64_t)86400)
#define QR40_M		2258	/* bytes a version 40-M code carries, base45 */
/*
 * Version 27-M: 1637 alphanumeric characters, 1091 bytes in base45, less
 * a prefix.  Issue 10 hoped for version 25-M (964 bytes) for an age code
 * without its picture; with a 504-byte DS certificate (431 deflated) the
 * rest cannot fit: 968 bytes even without decoys, 1047 with the two that
 * MINDL_PURPOSE_DIGEST_STEP adds (DESIGN.md section 3.10).
 */
#define QR27_M		1088
#define STATUS_URI	"https://dmv.example/status/1"

static struct test_fx fx;
static uint8_t *face0, *face1;
static size_t face0len, face1len;

/* Optional elements on one side, none on the other; the rest the same. */
static const char rec_full[] =
    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1234567\","
    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\"}],"
    " \"sex\": 2, \"height\": 170, \"weight\": 70, \"eye_colour\": \"brown\","
    " \"resident_address\": \"1208 Example Avenue\","
    " \"resident_city\": \"Sampleton\","
    " \"org.iso.18013.5.1.aamva\": {\"organ_donor\": 1, \"veteran\": 1}}";
static const char rec_min[] =
    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1234567\","
    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\"}]}";
/* Long names and four privileges: a large traffic-stop credential. */
static const char rec_long[] =
    "{\"family_name\": \"Rivera Quispe de la Cruz Montenegro\","
    " \"given_name\": \"Ana Lucia Esperanza Maria\","
    " \"birth_date\": \"1950-12-31\", \"document_number\": \"SS7Q4M2K9X12\","
    " \"driving_privileges\": [{\"vehicle_category_code\": \"A\"},"
    " {\"vehicle_category_code\": \"B\"}, {\"vehicle_category_code\": \"C\","
    " \"issue_date\": \"2001-05-01\"}, {\"vehicle_category_code\": \"D\"}]}";

static const char *const all_profiles[] = { "age-18", "age-21",
    "traffic-stop", "employer-driver", "car-rental", "identity" };
#define NPROFILES	(sizeof(all_profiles) / sizeof(all_profiles[0]))

/* A portrait as a camera writes it (480 x 600, colour, quality 90). */
static int
make_face(uint32_t seed, uint8_t **out, size_t *outlen)
{
	struct test_jpeg_opts o = { JCS_RGB, 3, JCS_YCbCr, 90, 1, 0, 0, 0,
	    0 };
	uint8_t *px;
	int r;

	if ((px = malloc((size_t)480 * 600 * 3)) == NULL)
		return -1;
	test_jpeg_face(px, 480, 600, seed);
	r = test_jpeg_make(&o, px, 480, 600, out, outlen);
	free(px);
	return r;
}

static struct mindl_record *
record(const char *json, const uint8_t *port, size_t portlen)
{
	struct mindl_record *rec = NULL;
	char err[512];

	if (mindl_record_parse(fx.schema, json, strlen(json), port, portlen,
	    TEST_T0, &rec, err, sizeof(err)) != MINDL_OK)
		fprintf(stderr, "record: %s\n", err);
	return rec;
}

static const struct mindl_profile *
profile(const char *id)
{
	return mindl_schema_profile(fx.schema, id);
}

/*
 * A purpose credential for rec (fx's when NULL) and profile id, with
 * status st, as plain bytes of a one-entry credential file.
 */
static int
issue(const struct mindl_record *rec, const char *id,
    const struct mindl_status_ref *st, uint8_t **out, size_t *outlen,
    struct mindl_issue_result *res)
{
	struct mindl_issue_params p;
	struct mindl_signer s;
	struct mindl_buf b;
	int r;

	test_fx_params(&fx, &p);
	if (rec != NULL)
		p.record = rec;
	p.status = st;
	if ((r = mindl_signer_key(&s, fx.ds_key)) != MINDL_OK)
		return r;
	p.ds = &s;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	r = mindl_mdoc_issue_purpose(&p, profile(id), &b, res);
	return test_take(r, &b, out, outlen);
}

/* The static document: the one entry, without the array's head. */
static const uint8_t *
doc_of(const uint8_t *cred, size_t credlen, size_t *doclen)
{
	*doclen = credlen - 1;
	return cred[0] == 0x81 ? cred + 1 : NULL;
}

/* The digests of a purpose credential: one namespace in every profile. */
static size_t
purpose_count(const struct mindl_profile *p)
{
	return (mindl_profile_count(p) + MINDL_PURPOSE_DIGEST_STEP - 1) /
	    MINDL_PURPOSE_DIGEST_STEP * MINDL_PURPOSE_DIGEST_STEP;
}

static size_t
deflated(const uint8_t *p, size_t n)
{
	uLongf zl = compressBound((uLong)n);
	uint8_t *z = malloc(zl);

	if (z == NULL || compress2(z, &zl, p, (uLong)n, 9) != Z_OK)
		zl = 0;
	free(z);
	return (size_t)zl;
}

/* The MSO and items of a static document. */
struct parsed {
	struct mindl_cbor	*cbor;
	struct mindl_document	*doc;
	const struct mindl_issuer_signed *is;
	const struct mindl_mso	*mso;
};

static int
parse(const uint8_t *d, size_t n, struct parsed *ps)
{
	memset(ps, 0, sizeof(*ps));
	if (mindl_cbor_decode(d, n, &ps->cbor) != MINDL_OK ||
	    mindl_document_parse(mindl_cbor_root(ps->cbor), 0, &ps->doc) !=
	    MINDL_OK)
		return -1;
	ps->is = mindl_document_issuer_signed(ps->doc);
	ps->mso = mindl_issuer_signed_mso(ps->is);
	return 0;
}

static void
parsed_free(struct parsed *ps)
{
	mindl_document_free(&ps->doc);
	mindl_cbor_free(&ps->cbor);
}

static size_t
total_digests(const struct mindl_mso *m)
{
	size_t i, n = 0;

	for (i = 0; i < mindl_mso_ns_count(m); i++)
		n += mindl_mso_ns_digests(m, i);
	return n;
}

/* Every profile: issued, verified as a static document, and met. */
static void
every_profile(void)
{
	struct mindl_status_ref st = { 0x123456, STATUS_URI };
	struct mindl_verified *v = NULL;
	struct mindl_issue_result res;
	const struct mindl_profile *pr;
	const struct mindl_disclosed *dd;
	const uint8_t *d, *uri;
	uint8_t *cred = NULL;
	size_t credlen = 0, dlen, i, k, urilen;
	int64_t sa, vf, vu, expiry_end;
	uint64_t idx;
	int met, age_only;
	char why[128];

	expiry_end = (mindl_record_expiry_day(fx.rec) + 1) * DAY;
	for (i = 0; i < NPROFILES; i++) {
		pr = profile(all_profiles[i]);
		age_only = mindl_profile_age_only(pr);
		CHECK(age_only == (i < 2));
		CHECK_ERR(issue(NULL, all_profiles[i], age_only ? NULL : &st,
		    &cred, &credlen, &res), MINDL_OK);
		if (cred == NULL)
			continue;
		d = doc_of(cred, credlen, &dlen);
		CHECK(d != NULL);
		CHECK_ERR(mindl_verify_static(fx.trust, fx.schema,
		    TEST_T0 + 3600, pr, d, dlen, &v), MINDL_OK);
		if (v == NULL) {
			free(cred);
			continue;
		}
		CHECK(mindl_verified_holder_bound(v) == 0);
		CHECK(mindl_verified_profile(v) == pr);
		CHECK(mindl_verified_dropped(v) == 0);
		CHECK(mindl_verified_count(v) == mindl_profile_count(pr));
		for (k = 0; k < mindl_verified_count(v); k++) {
			dd = mindl_verified_at(v, k);
			CHECK(mindl_profile_allows(pr, dd->ns, dd->id));
		}
		CHECK_ERR(mindl_purpose_judge(pr, v, TEST_T0 + 3600, &met,
		    why, sizeof(why)), MINDL_OK);
		CHECK(met == 1);
		mindl_verified_validity(v, &sa, &vf, &vu);
		CHECK(sa == TEST_T0 / DAY * DAY && vf == sa);
		CHECK(res.valid_until == vu);
		if (age_only) {
			/* No status; the licence's term. */
			CHECK_ERR(mindl_verified_status_ref(v, &idx, &uri,
			    &urilen), MINDL_ERR_MISSING);
			CHECK(!res.has_status);
			CHECK(vu == expiry_end);
		} else {
			CHECK_ERR(mindl_verified_status_ref(v, &idx, &uri,
			    &urilen), MINDL_OK);
			CHECK(idx == st.idx && urilen == strlen(STATUS_URI) &&
			    memcmp(uri, STATUS_URI, urilen) == 0);
			CHECK(res.has_status && res.status_idx == st.idx);
			CHECK(vu == sa + (int64_t)mindl_schema_policy(
			    fx.schema)->mso_days * DAY);
		}
		mindl_verified_free(&v);
		/* Without a profile: the one it holds exactly. */
		CHECK_ERR(mindl_verify_static(fx.trust, fx.schema,
		    TEST_T0 + 3600, NULL, d, dlen, &v), MINDL_OK);
		CHECK(v != NULL && mindl_verified_profile(v) == pr);
		mindl_verified_free(&v);
		/* Past the policy's MSO days: only an age still holds. */
		CHECK_ERR(mindl_verify_static(fx.trust, fx.schema,
		    TEST_T0 + 200 * DAY, pr, d, dlen, &v), age_only ?
		    MINDL_OK : MINDL_ERR_EXPIRED);
		mindl_verified_free(&v);
		free(cred);
		cred = NULL;
	}
}

/*
 * An age-21 purpose credential holds two items, age_over_21 and the
 * thumbnail, and its MSO four digests: those two items' and two decoys
 * that are the digest of no item; no other value of the record appears
 * in it, not even a name.
 */
static void
age21_only(void)
{
	static const char *const absent[] = { "Doe", "Alex", "D1234567",
	    "1990-04-15", "family_name", "given_name", "birth_date",
	    "document_number", "driving_privileges", "brown", "eye_colour",
	    "age_over_18", "age_over_65", "expiry_date", "issue_date",
	    "issuing_authority", "org.iso.18013.5.1.aamva" };
	struct parsed ps;
	const struct mindl_issuer_item *ii;
	const struct mindl_mso_digest *md;
	const struct mindl_cbor_item *pv;
	uint8_t *cred = NULL, h[MINDL_SHA256_LEN];
	size_t credlen = 0, dlen, i, j, matched = 0, decoys = 0;
	const uint8_t *d;
	int seen_age = 0, seen_portrait = 0, found;

	CHECK_ERR(issue(NULL, "age-21", NULL, &cred, &credlen, NULL),
	    MINDL_OK);
	if (cred == NULL)
		return;
	d = doc_of(cred, credlen, &dlen);
	CHECK(parse(d, dlen, &ps) == 0);
	if (ps.mso == NULL)
		goto out;
	CHECK(mindl_issuer_signed_count(ps.is) == 2);
	for (i = 0; i < mindl_issuer_signed_count(ps.is); i++) {
		ii = mindl_issuer_signed_item(ps.is, i);
		CHECK(strcmp(ii->ns_str, MINDL_NS_ISO) == 0);
		if (strcmp(ii->element_str, "age_over_21") == 0) {
			seen_age = 1;
			CHECK(ii->value->type == MINDL_CBOR_TRUE);
		} else if (strcmp(ii->element_str, "portrait") == 0) {
			seen_portrait = 1;
			pv = ii->value;
			/* The thumbnail, not the portrait. */
			CHECK(pv->type == MINDL_CBOR_BSTR);
			CHECK(pv->len != sizeof(test_fx_portrait) ||
			    memcmp(pv->ptr, test_fx_portrait, pv->len) != 0);
			CHECK_ERR(mindl_jpeg_check(pv->ptr, pv->len, NULL),
			    MINDL_OK);
		} else
			CHECK(0);	/* an element outside the profile */
	}
	CHECK(seen_age && seen_portrait);
	/* One namespace, four digests: the two items and two decoys. */
	CHECK(mindl_mso_ns_count(ps.mso) == 1);
	CHECK(mindl_cbor_is_str(mindl_mso_ns_name(ps.mso, 0), MINDL_NS_ISO));
	CHECK(total_digests(ps.mso) == MINDL_PURPOSE_DIGEST_STEP);
	for (j = 0; j < mindl_mso_ns_digests(ps.mso, 0); j++) {
		md = mindl_mso_digest_at(ps.mso, 0, j);
		CHECK(md->id >= 0x10000 && md->id < 0x80000000u);
		CHECK(md->len == MINDL_SHA256_LEN);
		found = 0;
		for (i = 0; i < mindl_issuer_signed_count(ps.is); i++) {
			ii = mindl_issuer_signed_item(ps.is, i);
			if (mindl_sha256(ii->bytes->enc, ii->bytes->enclen,
			    h) == MINDL_OK && memcmp(h, md->digest,
			    sizeof(h)) == 0) {
				CHECK(ii->digest_id == md->id);
				found = 1;
			}
		}
		if (found)
			matched++;
		else
			decoys++;
	}
	CHECK(matched == 2 && decoys == 2);
	/* Nothing else of the record, in any form. */
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		if (test_has_bytes(d, dlen, absent[i], strlen(absent[i])))
			fprintf(stderr, "found: %s\n", absent[i]);
		CHECK(!test_has_bytes(d, dlen, absent[i], strlen(absent[i])));
	}
 out:
	parsed_free(&ps);
	free(cred);
}

/* What a static document's digests and items look like, for rule 2. */
struct pshape {
	size_t	 nns;
	size_t	 ndigests;
	size_t	 msolen;
	size_t	 len;
	int64_t	 validity;
	char	 ids[256];
};

static int
pshape_of(const uint8_t *cred, size_t credlen, struct pshape *sh)
{
	struct parsed ps;
	struct mindl_mso_validity vi;
	const uint8_t *d;
	size_t dlen, i;

	memset(sh, 0, sizeof(*sh));
	d = doc_of(cred, credlen, &dlen);
	if (d == NULL || parse(d, dlen, &ps) != 0) {
		parsed_free(&ps);
		return -1;
	}
	sh->nns = mindl_mso_ns_count(ps.mso);
	sh->ndigests = total_digests(ps.mso);
	sh->msolen = mindl_mso_size(ps.mso);
	sh->len = dlen;
	mindl_mso_validity(ps.mso, &vi);
	sh->validity = vi.valid_until - vi.valid_from;
	for (i = 0; i < mindl_issuer_signed_count(ps.is); i++) {
		strncat(sh->ids, mindl_issuer_signed_item(ps.is,
		    i)->element_str, 40);
		strcat(sh->ids, " ");
	}
	parsed_free(&ps);
	return 0;
}

/*
 * Rule 2: for each profile, holders whose records differ in optional
 * elements only get purpose credentials of one shape and one size; with
 * other names, birth dates and portraits, the same digest count,
 * elements and validity.
 */
static void
one_shape(void)
{
	struct mindl_status_ref st = { 0x2345678, STATUS_URI },
	    st2 = { 0x1000001, STATUS_URI };
	struct mindl_record *full, *min, *other;
	struct pshape a, b, c;
	uint8_t *ca = NULL, *cb = NULL, *cc = NULL;
	size_t la = 0, lb = 0, lc = 0, i;
	int age_only;

	full = record(rec_full, face0, face0len);
	min = record(rec_min, face0, face0len);
	other = record(rec_long, face1, face1len);
	CHECK(full != NULL && min != NULL && other != NULL);
	if (full == NULL || min == NULL || other == NULL)
		goto out;
	for (i = 0; i < NPROFILES; i++) {
		age_only = mindl_profile_age_only(profile(all_profiles[i]));
		CHECK_ERR(issue(full, all_profiles[i], age_only ? NULL : &st,
		    &ca, &la, NULL), MINDL_OK);
		CHECK_ERR(issue(min, all_profiles[i], age_only ? NULL : &st2,
		    &cb, &lb, NULL), MINDL_OK);
		CHECK_ERR(issue(other, all_profiles[i], age_only ? NULL : &st,
		    &cc, &lc, NULL), MINDL_OK);
		CHECK(ca != NULL && cb != NULL && cc != NULL);
		if (ca == NULL || cb == NULL || cc == NULL)
			break;
		CHECK(pshape_of(ca, la, &a) == 0 && pshape_of(cb, lb, &b) ==
		    0 && pshape_of(cc, lc, &c) == 0);
		/* Optional elements change nothing: not even the size. */
		CHECK(a.len == b.len && a.msolen == b.msolen);
		CHECK(la == lb);
		/* Everyone: the profile's digest count, items, validity. */
		CHECK(a.nns == 1 && b.nns == 1 && c.nns == 1);
		CHECK(a.ndigests == b.ndigests && a.ndigests == c.ndigests);
		CHECK(a.ndigests % MINDL_PURPOSE_DIGEST_STEP == 0);
		CHECK(a.ndigests >= mindl_profile_count(profile(
		    all_profiles[i])));
		CHECK(strcmp(a.ids, b.ids) == 0 && strcmp(a.ids, c.ids) == 0);
		CHECK(a.msolen == c.msolen);
		/* age-only: to the licence's expiry, the same 4 years. */
		CHECK(a.validity == b.validity);
		if (!age_only)
			CHECK(a.validity == c.validity);
		free(ca);
		free(cb);
		free(cc);
		ca = cb = cc = NULL;
	}
 out:
	free(ca);
	free(cb);
	free(cc);
	mindl_record_free(&full);
	mindl_record_free(&min);
	mindl_record_free(&other);
}

/*
 * Document without its portrait item: issuerAuth and the other items
 * as issued (still verifies; the verifier just has no picture).
 */
static int
strip_portrait(const uint8_t *d, size_t dlen, uint8_t **out, size_t *outlen)
{
	struct parsed ps;
	struct mindl_enc e;
	const struct mindl_issuer_item *ii;
	size_t i, n = 0;
	int r = -1;

	*out = NULL;
	if (parse(d, dlen, &ps) != 0)
		goto out;
	for (i = 0; i < mindl_issuer_signed_count(ps.is); i++)
		n += strcmp(mindl_issuer_signed_item(ps.is, i)->element_str,
		    "portrait") != 0;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "issuerSigned");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "issuerAuth");
	mindl_enc_raw(&e, mindl_mso_issuer_auth(ps.mso)->enc,
	    mindl_mso_issuer_auth(ps.mso)->enclen);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, MINDL_NS_ISO);
	mindl_enc_array(&e, n);
	for (i = 0; i < mindl_issuer_signed_count(ps.is); i++) {
		ii = mindl_issuer_signed_item(ps.is, i);
		if (strcmp(ii->element_str, "portrait") != 0)
			mindl_enc_raw(&e, ii->bytes->enc, ii->bytes->enclen);
	}
	r = mindl_enc_finish(&e, out, outlen) == MINDL_OK ? 0 : -1;
 out:
	parsed_free(&ps);
	return r;
}

/*
 * Sizes: each purpose credential, deflated (zlib level 9, as the QR
 * payload will be), fits a version 40-M code; the age-21 one without
 * its thumbnail a version 27-M code.  Printed for the record.
 */
static void
sizes(void)
{
	struct mindl_status_ref st = { 0xffffff, STATUS_URI };
	struct mindl_issue_result res;
	struct mindl_record *recs[2];
	struct mindl_verified *v = NULL;
	const struct mindl_profile *pr;
	uint8_t *cred = NULL, *bare = NULL;
	size_t credlen = 0, barelen = 0, dlen, z, i, k;
	const uint8_t *d;

	recs[0] = record(rec_full, face0, face0len);
	recs[1] = record(rec_long, face1, face1len);
	CHECK(recs[0] != NULL && recs[1] != NULL);
	for (k = 0; k < 2 && recs[0] != NULL && recs[1] != NULL; k++)
		for (i = 0; i < NPROFILES; i++) {
			pr = profile(all_profiles[i]);
			CHECK_ERR(issue(recs[k], all_profiles[i],
			    mindl_profile_age_only(pr) ? NULL : &st, &cred,
			    &credlen, &res), MINDL_OK);
			if (cred == NULL)
				continue;
			d = doc_of(cred, credlen, &dlen);
			z = deflated(d, dlen);
			/* What the issuer reports is what a code carries. */
			CHECK(res.bytes == dlen && res.deflated == z);
			printf("%s record, %-16s %zu digests: %4zu bytes CBOR, "
			    "%4zu deflated (QR 40-M: %d)\n", k == 0 ? "short" :
			    "long", all_profiles[i], purpose_count(pr), dlen,
			    z, QR40_M);
			CHECK(z > 0 && z <= QR40_M);
			if (strcmp(all_profiles[i], "age-21") == 0) {
				CHECK(strip_portrait(d, dlen, &bare,
				    &barelen) == 0);
				z = deflated(bare, barelen);
				printf("%s record, age-21 without thumbnail: "
				    "%4zu bytes CBOR, %4zu deflated (QR 27-M: "
				    "%d)\n", k == 0 ? "short" : "long",
				    barelen, z, QR27_M);
				CHECK(z > 0 && z <= QR27_M);
				/* Still the issuer's: it verifies. */
				CHECK_ERR(mindl_verify_static(fx.trust,
				    fx.schema, TEST_T0 + 3600, pr, bare,
				    barelen, &v), MINDL_OK);
				CHECK(v != NULL && mindl_verified_count(v) ==
				    1);
				mindl_verified_free(&v);
				free(bare);
				bare = NULL;
			}
			free(cred);
			cred = NULL;
		}
	mindl_record_free(&recs[0]);
	mindl_record_free(&recs[1]);
}

/* The portrait in two purpose credentials: the same thumbnail bytes. */
static void
same_thumbnail(void)
{
	struct parsed a, b;
	const struct mindl_issuer_item *ia = NULL, *ib = NULL;
	struct mindl_record *rec = record(rec_full, face0, face0len);
	uint8_t *c1 = NULL, *c2 = NULL;
	size_t l1 = 0, l2 = 0, d1, d2, i;
	const uint8_t *p1, *p2;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	CHECK_ERR(issue(rec, "age-18", NULL, &c1, &l1, NULL), MINDL_OK);
	CHECK_ERR(issue(rec, "identity", NULL, &c2, &l2, NULL), MINDL_OK);
	if (c1 == NULL || c2 == NULL)
		goto out;
	p1 = doc_of(c1, l1, &d1);
	p2 = doc_of(c2, l2, &d2);
	CHECK(parse(p1, d1, &a) == 0 && parse(p2, d2, &b) == 0);
	for (i = 0; a.is != NULL && i < mindl_issuer_signed_count(a.is); i++)
		if (strcmp(mindl_issuer_signed_item(a.is, i)->element_str,
		    "portrait") == 0)
			ia = mindl_issuer_signed_item(a.is, i);
	for (i = 0; b.is != NULL && i < mindl_issuer_signed_count(b.is); i++)
		if (strcmp(mindl_issuer_signed_item(b.is, i)->element_str,
		    "portrait") == 0)
			ib = mindl_issuer_signed_item(b.is, i);
	CHECK(ia != NULL && ib != NULL);
	if (ia != NULL && ib != NULL) {
		CHECK(ia->value->len == ib->value->len && memcmp(
		    ia->value->ptr, ib->value->ptr, ia->value->len) == 0);
		CHECK(ia->value->len < face0len);
	}
 out:
	parsed_free(&a);
	parsed_free(&b);
	free(c1);
	free(c2);
	mindl_record_free(&rec);
}

/* A set: one entry per profile, status references in order. */
static void
set(void)
{
	static const char *const ids[] = { "age-21", "traffic-stop",
	    "age-18", "identity" };
	struct mindl_status_ref st[2] = { { 0x111111, STATUS_URI },
	    { 0x222222, STATUS_URI } };
	const struct mindl_profile *profs[4];
	const struct mindl_key *devs[4];
	struct mindl_issue_result res[4];
	struct mindl_issue_params p;
	struct mindl_verified *v = NULL;
	struct mindl_document *d = NULL;
	struct mindl_cbor *c = NULL;
	uint8_t *full = NULL;
	size_t fulllen = 0;
	const struct mindl_cbor_item *e;
	struct mindl_signer s;
	struct mindl_buf b;
	const uint8_t *uri;
	size_t i, urilen;
	uint64_t idx;

	for (i = 0; i < 4; i++) {
		profs[i] = profile(ids[i]);
		devs[i] = fx.dev_key;
	}
	test_fx_params(&fx, &p);
	p.status = st;
	CHECK_ERR(mindl_signer_key(&s, fx.ds_key), MINDL_OK);
	p.ds = &s;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	CHECK_ERR(mindl_mdoc_issue_purposes(&p, profs, devs, 4, &b, res),
	    MINDL_OK);
	CHECK(mindl_buf_len(&b) > 0 && mindl_buf_ptr(&b)[0] == 0x84);
	CHECK_ERR(mindl_cbor_decode(mindl_buf_ptr(&b), mindl_buf_len(&b),
	    &c), MINDL_OK);
	for (i = 0, e = c != NULL ? mindl_cbor_child(mindl_cbor_root(c)) :
	    NULL; e != NULL && i < 4; i++, e = mindl_cbor_next(e)) {
		CHECK_ERR(mindl_verify_static(fx.trust, fx.schema,
		    TEST_T0 + 60, profs[i], e->enc, e->enclen, &v), MINDL_OK);
		/* The holder finds each entry by its purpose. */
		CHECK_ERR(mindl_document_parse(e, 0, &d), MINDL_OK);
		CHECK(d != NULL && mindl_document_purpose(fx.schema, d) ==
		    profs[i]);
		mindl_document_free(&d);
		if (v == NULL)
			continue;
		if (i == 1 || i == 3) {
			CHECK_ERR(mindl_verified_status_ref(v, &idx, &uri,
			    &urilen), MINDL_OK);
			CHECK(idx == st[i / 2].idx);
			CHECK(res[i].has_status &&
			    res[i].status_idx == st[i / 2].idx);
		} else {
			CHECK_ERR(mindl_verified_status_ref(v, &idx, &uri,
			    &urilen), MINDL_ERR_MISSING);
			CHECK(!res[i].has_status);
		}
		mindl_verified_free(&v);
	}
	CHECK(i == 4);
	mindl_cbor_free(&c);
	mindl_buf_clear(&b);
	/* An ordinary credential's entry answers no one profile. */
	CHECK_ERR(test_fx_issue(&fx, NULL, &full, &fulllen, NULL), MINDL_OK);
	if (full != NULL && mindl_cbor_decode(full, fulllen, &c) == MINDL_OK) {
		CHECK_ERR(mindl_document_parse(mindl_cbor_child(
		    mindl_cbor_root(c)), 0, &d), MINDL_OK);
		CHECK(d != NULL && mindl_document_purpose(fx.schema, d) ==
		    NULL);
		CHECK(mindl_document_purpose(NULL, d) == NULL);
		mindl_document_free(&d);
	} else
		CHECK(0);
	CHECK(mindl_document_purpose(fx.schema, NULL) == NULL);
	mindl_cbor_free(&c);
	free(full);
}

/* Refusals at issuance and at verification. */
static void
refusals(void)
{
	struct mindl_status_ref st = { 0x123456, STATUS_URI };
	struct mindl_issue_params p;
	struct mindl_verified *v = NULL;
	struct mindl_trust *empty = NULL;
	struct mindl_record *rec = NULL;
	struct mindl_signer s;
	struct mindl_buf b;
	uint8_t *cred = NULL, *full = NULL, *bad = NULL;
	size_t credlen = 0, fulllen = 0, dlen;
	const uint8_t *d;
	uint8_t port[TEST_JPEG_SCAN + 32];

	/* An age credential with a status: no. */
	test_fx_params(&fx, &p);
	CHECK_ERR(mindl_signer_key(&s, fx.ds_key), MINDL_OK);
	p.ds = &s;
	p.status = &st;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	CHECK_ERR(mindl_mdoc_issue_purpose(&p, profile("age-21"), &b, NULL),
	    MINDL_ERR_INVALID_ARG);
	CHECK(mindl_buf_len(&b) == 0);
	p.status = NULL;
	CHECK_ERR(mindl_mdoc_issue_purpose(&p, NULL, &b, NULL),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_mdoc_issue_purpose(NULL, profile("age-21"), &b, NULL),
	    MINDL_ERR_INVALID_ARG);
	/* A portrait the rule accepts but libjpeg cannot decode. */
	memset(port, 0xab, sizeof(port));
	memcpy(port, test_jpeg, TEST_JPEG_SCAN);
	port[sizeof(port) - 2] = 0xff;
	port[sizeof(port) - 1] = 0xd9;
	rec = record(rec_min, port, sizeof(port));
	CHECK(rec != NULL);
	p.record = rec;
	CHECK_ERR(mindl_mdoc_issue_purpose(&p, profile("age-21"), &b, NULL),
	    MINDL_ERR_PORTRAIT);
	CHECK(mindl_buf_len(&b) == 0);
	/* Without a portrait in the profile, the portrait is not decoded. */
	p.status = &st;
	CHECK_ERR(mindl_mdoc_issue_purpose(&p, profile("employer-driver"), &b,
	    NULL), MINDL_OK);
	mindl_buf_clear(&b);
	mindl_record_free(&rec);

	CHECK_ERR(issue(NULL, "age-21", NULL, &cred, &credlen, NULL),
	    MINDL_OK);
	if (cred == NULL)
		return;
	d = doc_of(cred, credlen, &dlen);
	/* Another IACA's world: untrusted. */
	CHECK_ERR(mindl_trust_new(&empty), MINDL_OK);
	CHECK(mindl_verify_static(empty, fx.schema, TEST_T0 + 60,
	    profile("age-21"), d, dlen, &v) != MINDL_OK && v == NULL);
	mindl_trust_free(&empty);
	/* Before it was valid, and after the licence expired. */
	CHECK_ERR(mindl_verify_static(fx.trust, fx.schema, TEST_T0 - 2 * DAY,
	    profile("age-21"), d, dlen, &v), MINDL_ERR_NOT_YET_VALID);
	/* One bit of an item changed: its digest. */
	if ((bad = malloc(dlen)) != NULL) {
		memcpy(bad, d, dlen);
		bad[dlen - 10] ^= 0x01;
		CHECK(mindl_verify_static(fx.trust, fx.schema, TEST_T0 + 60,
		    profile("age-21"), bad, dlen, &v) != MINDL_OK && v == NULL);
		free(bad);
	}
	/* Read under another profile: its elements only. */
	CHECK_ERR(mindl_verify_static(fx.trust, fx.schema, TEST_T0 + 60,
	    profile("age-18"), d, dlen, &v), MINDL_OK);
	CHECK(v != NULL && mindl_verified_count(v) == 1 &&
	    mindl_verified_dropped(v) == 1);
	mindl_verified_free(&v);
	/* A whole credential's entry: only the profile's are kept. */
	CHECK_ERR(test_fx_issue(&fx, NULL, &full, &fulllen, NULL), MINDL_OK);
	if (full != NULL) {
		d = doc_of(full, fulllen, &dlen);
		CHECK_ERR(mindl_verify_static(fx.trust, fx.schema,
		    TEST_T0 + 60, profile("age-21"), d, dlen, &v), MINDL_OK);
		CHECK(v != NULL && mindl_verified_count(v) == 2 &&
		    mindl_verified_dropped(v) > 10);
		mindl_verified_free(&v);
		/* No profile holds all of it. */
		CHECK_ERR(mindl_verify_static(fx.trust, fx.schema,
		    TEST_T0 + 60, NULL, d, dlen, &v), MINDL_ERR_PROFILE);
		/* The whole file is not a Document. */
		CHECK(mindl_verify_static(fx.trust, fx.schema, TEST_T0 + 60,
		    NULL, full, fulllen, &v) != MINDL_OK && v == NULL);
	}
	free(full);
	free(cred);
}

/* A presented document (deviceSigned) is not static. */
static void
not_static(void)
{
	struct mindl_request *req = NULL;
	struct mindl_cbor *c = NULL;
	struct mindl_verified *v = NULL;
	const struct mindl_cbor_item *docs, *de, *dr;
	uint8_t *cred = NULL, *rb = NULL, *resp = NULL;
	size_t credlen = 0, rblen = 0, resplen = 0;
	uint64_t status;

	CHECK_ERR(issue(NULL, "age-21", NULL, &cred, &credlen, NULL),
	    MINDL_OK);
	CHECK_ERR(test_fx_request(&fx, "age-21", &rb, &rblen, &req),
	    MINDL_OK);
	if (cred == NULL || req == NULL)
		goto out;
	/* A purpose credential can be presented too, bound to its key. */
	CHECK_ERR(test_present(cred, credlen, fx.dev_key, req, fx.schema,
	    MINDL_DEVAUTH_MAC, &resp, &resplen, NULL), MINDL_OK);
	CHECK_ERR(mindl_verify_response(fx.trust, fx.schema, TEST_T0 + 60,
	    req, fx.reader_key, resp, resplen, &v), MINDL_OK);
	CHECK(v != NULL && mindl_verified_holder_bound(v) == 1 &&
	    mindl_verified_profile(v) == NULL);
	mindl_verified_free(&v);
	CHECK_ERR(mindl_cbor_decode(resp, resplen, &c), MINDL_OK);
	if (c == NULL ||
	    mindl_response_envelope(mindl_cbor_root(c), &de, &dr) !=
	    MINDL_OK || mindl_device_response_documents(dr, &docs,
	    &status) != MINDL_OK)
		goto out;
	docs = mindl_cbor_child(docs);
	CHECK_ERR(mindl_verify_static(fx.trust, fx.schema, TEST_T0 + 60,
	    profile("age-21"), docs->enc, docs->enclen, &v),
	    MINDL_ERR_UNSUPPORTED);
 out:
	mindl_cbor_free(&c);
	mindl_request_free(&req);
	free(rb);
	free(resp);
	free(cred);
}

int
main(void)
{
	if (test_fx_setup(&fx) != MINDL_OK || make_face(0, &face0,
	    &face0len) != 0 || make_face(1, &face1, &face1len) != 0) {
		fprintf(stderr, "set-up failed\n");
		return 1;
	}
	RUN(every_profile);
	RUN(age21_only);
	RUN(one_shape);
	RUN(sizes);
	RUN(same_thumbnail);
	RUN(set);
	RUN(refusals);
	RUN(not_static);
	free(face0);
	free(face1);
	test_fx_free(&fx);
	UNIT_DONE();
}
