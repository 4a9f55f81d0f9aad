/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Privacy rule 2 (DESIGN.md section 4), "one shape for everyone": every
 * credential from one policy has the same digest count per namespace, the
 * same age_over_NN set, the same MSO size, the same validity length,
 * digestIDs of one encoded size, 32-byte salts and a signing time at the
 * start of the day, whatever the record holds and whenever it is issued.  Each check
 * here fails if decoys, the fixed age set or the policy validity rule
 * were dropped.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testlib.h"

#define T0	1795000000

/* Records that differ in everything optional, and in birth date. */
static const char *records[] = {
	"{\"family_name\": \"A\", \"given_name\": \"B\","
	" \"birth_date\": \"2010-01-01\", \"document_number\": \"X1\","
	" \"driving_privileges\": [{\"vehicle_category_code\": \"C\"}]}",
	"{\"family_name\": \"Rivera Quispe\", \"given_name\": \"Ana Lucia\","
	" \"birth_date\": \"1950-12-31\", \"document_number\": \"SS7Q4M2K9X\","
	" \"driving_privileges\": [{\"vehicle_category_code\": \"D\"},"
	" {\"vehicle_category_code\": \"A\"}],"
	" \"sex\": 2, \"height\": 162, \"weight\": 60, \"eye_colour\": \"brown\","
	" \"resident_address\": \"1208 Example Avenue\","
	" \"resident_city\": \"Sampleton\", \"resident_postal_code\": \"00000\","
	" \"org.iso.18013.5.1.aamva\": {\"organ_donor\": 1, \"veteran\": 1}}",
	"{\"family_name\": \"C\", \"given_name\": \"D\","
	" \"birth_date\": \"2003-06-15\", \"document_number\": \"Q9\","
	" \"driving_privileges\": [{\"vehicle_category_code\": \"B\"}],"
	" \"org.iso.18013.5.1.aamva\": {\"organ_donor\": 1}}",
};

struct shape {
	size_t	 ndigests[4];
	char	 nsname[4][64];
	size_t	 nns;
	char	 ages[256];	/* age_over ids issued, concatenated */
	size_t	 msolen;
	int64_t	 validity;
	int64_t	 signed_mod_day;	/* signing time within its day */
	int	 ids_ok;
	int	 salts_ok;		/* every salt 32 bytes */
};

static int
tdate_of(const struct mindl_cbor_item *vi, const char *k, int64_t *t)
{
	const struct mindl_cbor_item *s = mindl_cbor_untag(
	    mindl_cbor_map_get(vi, k), 0);

	if (s == NULL)
		return -1;
	return mindl_tdate_parse((const char *)s->ptr, s->len, t);
}

static int
shape_of(const uint8_t *cred, size_t len, struct shape *sh)
{
	struct mindl_cbor *doc = NULL, *msob = NULL, *mso = NULL, *it = NULL;
	struct mindl_cose_msg m;
	const struct mindl_cbor_item *is, *nss, *k, *arr, *x, *vd, *vi, *b;
	int64_t from = 0, until = 0, sgn = 0;
	uint64_t i, j;
	int r = -1;

	memset(sh, 0, sizeof(*sh));
	memset(&m, 0, sizeof(m));
	sh->ids_ok = 1;
	sh->salts_ok = 1;
	if (mindl_cbor_decode(cred, len, &doc) != MINDL_OK)
		goto out;
	is = mindl_cbor_map_get(mindl_cbor_child(mindl_cbor_root(doc)),
	    "issuerSigned");
	if (mindl_cose_parse(mindl_cbor_map_get(is, "issuerAuth"), &m) !=
	    MINDL_OK || mindl_cbor_decode(m.payload, m.payloadlen, &msob) !=
	    MINDL_OK)
		goto out;
	b = mindl_cbor_untag(mindl_cbor_root(msob), 24);
	if (b == NULL || mindl_cbor_decode(b->ptr, b->len, &mso) != MINDL_OK)
		goto out;
	sh->msolen = b->len;
	vd = mindl_cbor_map_get(mindl_cbor_root(mso), "valueDigests");
	for (i = 0, k = mindl_cbor_child(vd); i < vd->u && i < 4; i++) {
		x = mindl_cbor_next(k);
		snprintf(sh->nsname[i], sizeof(sh->nsname[i]), "%.*s",
		    (int)k->len, (const char *)k->ptr);
		sh->ndigests[i] = (size_t)x->u;
		/* digestIDs: in [2^16, 2^31), so one encoded size. */
		for (j = 0, b = mindl_cbor_child(x); j < x->u; j++) {
			if (b->type != MINDL_CBOR_UINT || b->u < 65536 ||
			    b->u >= 0x80000000u)
				sh->ids_ok = 0;
			b = mindl_cbor_next(mindl_cbor_next(b));
		}
		k = mindl_cbor_next(x);
	}
	sh->nns = (size_t)vd->u;
	vi = mindl_cbor_map_get(mindl_cbor_root(mso), "validityInfo");
	if (tdate_of(vi, "validFrom", &from) != 0 ||
	    tdate_of(vi, "validUntil", &until) != 0)
		goto out;
	sh->validity = until - from;
	if (tdate_of(vi, "signed", &sgn) != 0)
		goto out;
	sh->signed_mod_day = sgn % 86400;
	/* Which age_over_NN elements were issued. */
	nss = mindl_cbor_map_get(is, "nameSpaces");
	for (i = 0, k = mindl_cbor_child(nss); i < nss->u; i++) {
		arr = mindl_cbor_next(k);
		for (j = 0, x = mindl_cbor_child(arr); j < arr->u; j++) {
			b = mindl_cbor_untag(x, 24);
			if (b == NULL || mindl_cbor_decode(b->ptr, b->len,
			    &it) != MINDL_OK)
				goto out;
			b = mindl_cbor_map_get(mindl_cbor_root(it), "random");
			if (b == NULL || b->type != MINDL_CBOR_BSTR ||
			    b->len != 32)
				sh->salts_ok = 0;
			b = mindl_cbor_map_get(mindl_cbor_root(it),
			    "elementIdentifier");
			if (b->len > 9 && memcmp(b->ptr, "age_over_", 9) == 0) {
				strncat(sh->ages, (const char *)b->ptr, 11);
				strcat(sh->ages, " ");
			}
			mindl_cbor_free(&it);
			x = mindl_cbor_next(x);
		}
		k = mindl_cbor_next(arr);
	}
	r = 0;
 out:
	mindl_cose_clear(&m);
	mindl_cbor_free(&it);
	mindl_cbor_free(&mso);
	mindl_cbor_free(&msob);
	mindl_cbor_free(&doc);
	return r;
}

static void
one_shape(void)
{
	struct mindl_schema *s = NULL;
	struct mindl_key *ds = NULL, *iaca = NULL, *dev = NULL;
	struct mindl_iaca_params ip = { "US", "SS", "Shape IACA",
	    "mailto:i@example.invalid", T0 - 86400, 3650 };
	struct mindl_ds_params dp = { NULL, T0 - 86400, 365 };
	struct mindl_issue_params p;
	struct mindl_record *rec = NULL;
	struct shape first, sh;
	uint8_t *iacader = NULL, *dsder = NULL, *cred = NULL,
	    port[TEST_JPEG_SCAN + 128];
	size_t il = 0, dl = 0, cl = 0, i, k;
	const struct mindl_policy *pol;
	char err[256];

	/* Portraits of varying length: the test JPEG's scan stretched. */
	memset(port, 0xab, sizeof(port));
	memcpy(port, test_jpeg, TEST_JPEG_SCAN);
	CHECK_ERR(mindl_schema_builtin(&s), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&iaca), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&ds), MINDL_OK);
	CHECK_ERR(mindl_x509_make_iaca(iaca, &ip, &iacader, &il), MINDL_OK);
	CHECK_ERR(mindl_x509_make_ds(iaca, iacader, il, ds, &dp, &dsder, &dl),
	    MINDL_OK);
	if (s == NULL || dsder == NULL)
		return;
	pol = mindl_schema_policy(s);
	for (i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		CHECK_ERR(mindl_key_generate(&dev), MINDL_OK);
		memset(port + TEST_JPEG_SCAN, 0xab, sizeof(port) -
		    TEST_JPEG_SCAN);
		port[TEST_JPEG_SCAN + i * 20 + 2] = 0xff;
		port[TEST_JPEG_SCAN + i * 20 + 3] = 0xd9;
		CHECK_ERR(mindl_record_parse(s, records[i], strlen(records[i]),
		    port, TEST_JPEG_SCAN + i * 20 + 4, T0 + (int64_t)i * 3600,
		    &rec, err, sizeof(err)), MINDL_OK);
		memset(&p, 0, sizeof(p));
		p.record = rec;
		p.policy = pol;
		p.ds_cert = dsder;
		p.ds_certlen = dl;
		p.device_pub = dev;
		p.now = T0 + (int64_t)i * 3600;
		CHECK_ERR(test_issue(&p, ds, &cred, &cl, NULL), MINDL_OK);
		CHECK(shape_of(cred, cl, i == 0 ? &first : &sh) == 0);
		if (i == 0) {
			/* the policy's counts, namespaces, age set */
			CHECK(first.nns == pol->n_ns);
			for (k = 0; k < pol->n_ns && k < 4; k++)
				CHECK(first.ndigests[k] == pol->digests[k]);
			CHECK(strstr(first.ages, "age_over_21") != NULL);
			CHECK(first.ids_ok);
			/* coarse time: the start of the day, for everyone */
			CHECK(first.signed_mod_day == 0);
			CHECK(first.salts_ok);
		} else {
			CHECK(sh.nns == first.nns);
			for (k = 0; k < 4; k++) {
				CHECK(sh.ndigests[k] == first.ndigests[k]);
				CHECK(strcmp(sh.nsname[k], first.nsname[k]) ==
				    0);
			}
			CHECK(strcmp(sh.ages, first.ages) == 0);
			CHECK(sh.msolen == first.msolen);
			CHECK(sh.validity == first.validity);
			CHECK(sh.ids_ok);
			CHECK(sh.signed_mod_day == 0);
			CHECK(sh.salts_ok);
		}
		mindl_record_free(&rec);
		mindl_key_free(&dev);
		free(cred);
		cred = NULL;
	}
	mindl_schema_free(&s);
	mindl_key_free(&ds);
	mindl_key_free(&iaca);
	free(iacader);
	free(dsder);
}

int
main(void)
{
	RUN(one_shape);
	UNIT_DONE();
}
