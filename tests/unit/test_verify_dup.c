/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: a response that discloses the same elementIdentifier twice
 * within one namespace is refused with MINDL_ERR_CBOR_DUPKEY, even when
 * the issuer signed both items (two IssuerSignedItems for family_name
 * under different digestIDs): the claims are a map ns -> element, and a
 * reader must not be left to pick one of two values.
 *
 * mindl_mdoc_issue() never makes such a credential, so the MSO, the
 * items, issuerAuth and the device signature are built here by hand with
 * the public encoder and COSE writers; a control response built the same
 * way with distinct identifiers must verify.
 *
 * Also here, the decoder's side of the same rule: a map key repeated
 * with a longer (non-shortest) head is still the same key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testlib.h"

#define T0	1795000000
#define NS_ISO	"org.iso.18013.5.1"
#define NS_US	"org.iso.18013.5.1.aamva"

struct fixture {
	struct mindl_schema	*schema;
	struct mindl_key	*iaca_key, *ds_key, *dev_key, *reader_key;
	uint8_t			*iaca, *ds;
	size_t			 iacalen, dslen;
	struct mindl_trust	*trust;
	uint8_t			*reqbuf;	/* the request file */
	size_t			 reqlen;
	struct mindl_cbor	*reqdoc;
	const struct mindl_cbor_item *erk;	/* EReaderKeyBytes in it */
	struct mindl_request	*req;
};

static struct fixture fx;

/* One disclosed element: namespace, identifier, digestID, tstr value. */
struct el {
	const char	*ns;
	const char	*id;
	uint32_t	 digest_id;
	const char	*value;
};

static int
setup(void)
{
	struct mindl_iaca_params ip = { "US", "SS", "Test IACA",
	    "mailto:iaca@example.invalid", T0 - 86400 * 10, 3650 };
	struct mindl_ds_params dp = { NULL, T0 - 86400 * 5, 365 };
	int r;

	if ((r = mindl_schema_builtin(&fx.schema)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.iaca_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.ds_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.dev_key)) != MINDL_OK ||
	    (r = mindl_key_generate(&fx.reader_key)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(fx.iaca_key, &ip, &fx.iaca,
	    &fx.iacalen)) != MINDL_OK ||
	    (r = mindl_x509_make_ds(fx.iaca_key, fx.iaca, fx.iacalen,
	    fx.ds_key, &dp, &fx.ds, &fx.dslen)) != MINDL_OK ||
	    (r = mindl_trust_new(&fx.trust)) != MINDL_OK ||
	    (r = mindl_trust_add_der(fx.trust, fx.iaca, fx.iacalen)) !=
	    MINDL_OK ||
	    (r = mindl_request_create(mindl_schema_profile(fx.schema,
	    "traffic-stop"), fx.reader_key, &fx.reqbuf, &fx.reqlen)) !=
	    MINDL_OK ||
	    (r = mindl_request_parse(fx.reqbuf, fx.reqlen, &fx.req)) !=
	    MINDL_OK ||
	    (r = mindl_cbor_decode(fx.reqbuf, fx.reqlen, &fx.reqdoc)) !=
	    MINDL_OK)
		return r;
	fx.erk = mindl_cbor_map_get(mindl_cbor_root(fx.reqdoc),
	    "eReaderKey");
	return fx.erk != NULL && fx.erk->type == MINDL_CBOR_BSTR ? MINDL_OK :
	    MINDL_ERR_MISSING;
}

static void
teardown(void)
{
	mindl_request_free(&fx.req);
	mindl_cbor_free(&fx.reqdoc);
	free(fx.reqbuf);
	mindl_schema_free(&fx.schema);
	mindl_key_free(&fx.iaca_key);
	mindl_key_free(&fx.ds_key);
	mindl_key_free(&fx.dev_key);
	mindl_key_free(&fx.reader_key);
	mindl_trust_free(&fx.trust);
	free(fx.iaca);
	free(fx.ds);
}

static void
tdate(struct mindl_enc *e, int64_t t)
{
	char buf[MINDL_TDATE_LEN + 1];

	if (mindl_tdate_format(t, buf) != MINDL_OK) {
		e->err = MINDL_ERR_DATE;
		return;
	}
	mindl_enc_tag(e, 0);
	mindl_enc_tstr(e, buf);
}

/* IssuerSignedItemBytes for one element. */
static int
make_item(const struct el *el, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t salt[MINDL_SALT_LEN], *inner = NULL;
	size_t innerlen = 0;
	int r;

	if ((r = mindl_random(salt, sizeof(salt))) != MINDL_OK)
		return r;
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 4);
	mindl_enc_tstr(&e, "digestID");
	mindl_enc_uint(&e, el->digest_id);
	mindl_enc_tstr(&e, "random");
	mindl_enc_bstr(&e, salt, sizeof(salt));
	mindl_enc_tstr(&e, "elementIdentifier");
	mindl_enc_tstr(&e, el->id);
	mindl_enc_tstr(&e, "elementValue");
	mindl_enc_tstr(&e, el->value);
	if ((r = mindl_enc_finish(&e, &inner, &innerlen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, 4096);
	mindl_enc_embedded(&e, inner, innerlen);
	free(inner);
	return mindl_enc_finish(&e, out, outlen);
}

/*
 * Index of the first element with the same namespace and digestID as
 * els[i] (i itself if none): such an element is the same item sent
 * twice, with one entry in the MSO.
 */
static size_t
first_of(const struct el *els, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (els[j].digest_id == els[i].digest_id &&
		    strcmp(els[j].ns, els[i].ns) == 0)
			return j;
	return i;
}

/* The distinct namespaces of els, in order of first appearance. */
static size_t
namespaces(const struct el *els, size_t n, const char **ns)
{
	size_t i, j, nns = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nns && strcmp(ns[j], els[i].ns) != 0; j++)
			;
		if (j == nns)
			ns[nns++] = els[i].ns;
	}
	return nns;
}

/* MobileSecurityObjectBytes over the items' digests. */
static int
make_msob(const struct el *els, uint8_t *const *items,
    const size_t *itemlens, size_t n, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	const char *ns[8];
	uint8_t h[MINDL_SHA256_LEN], *mso = NULL;
	size_t nns, i, j, cnt, msolen = 0;
	int r;

	nns = namespaces(els, n, ns);
	mindl_enc_init(&e, 65536);
	mindl_enc_map(&e, 6);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_tstr(&e, "digestAlgorithm");
	mindl_enc_tstr(&e, "SHA-256");
	mindl_enc_tstr(&e, "valueDigests");
	mindl_enc_map(&e, nns);
	for (j = 0; j < nns; j++) {
		for (i = 0, cnt = 0; i < n; i++)
			cnt += strcmp(els[i].ns, ns[j]) == 0 &&
			    first_of(els, i) == i;
		mindl_enc_tstr(&e, ns[j]);
		mindl_enc_map(&e, cnt);
		for (i = 0; i < n; i++) {
			if (strcmp(els[i].ns, ns[j]) != 0 ||
			    first_of(els, i) != i)
				continue;
			if ((r = mindl_sha256(items[i], itemlens[i], h)) !=
			    MINDL_OK) {
				mindl_enc_clear(&e);
				return r;
			}
			mindl_enc_uint(&e, els[i].digest_id);
			mindl_enc_bstr(&e, h, sizeof(h));
		}
	}
	mindl_enc_tstr(&e, "deviceKeyInfo");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "deviceKey");
	if ((r = mindl_cose_key_write(&e, fx.dev_key)) != MINDL_OK) {
		mindl_enc_clear(&e);
		return r;
	}
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "validityInfo");
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "signed");
	tdate(&e, T0 - 86400);
	mindl_enc_tstr(&e, "validFrom");
	tdate(&e, T0 - 86400);
	mindl_enc_tstr(&e, "validUntil");
	tdate(&e, T0 + 86400 * 30);
	if ((r = mindl_enc_finish(&e, &mso, &msolen)) != MINDL_OK)
		return r;
	mindl_enc_init(&e, 65536);
	mindl_enc_embedded(&e, mso, msolen);
	free(mso);
	return mindl_enc_finish(&e, out, outlen);
}

/* DeviceEngagement {0: "1.0", 1: [1, #6.24(EDeviceKey)]}. */
static int
make_engagement(uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t *k = NULL;
	size_t klen = 0;
	int r;

	mindl_enc_init(&e, 4096);
	if ((r = mindl_cose_key_write(&e, fx.dev_key)) != MINDL_OK ||
	    (r = mindl_enc_finish(&e, &k, &klen)) != MINDL_OK) {
		mindl_enc_clear(&e);
		return r;
	}
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 2);
	mindl_enc_uint(&e, 0);
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_uint(&e, 1);
	mindl_enc_array(&e, 2);
	mindl_enc_uint(&e, 1);
	mindl_enc_embedded(&e, k, klen);
	free(k);
	return mindl_enc_finish(&e, out, outlen);
}

/*
 * DeviceAuthenticationBytes for the session of fx.req and the given
 * engagement, with no device-signed elements.
 */
static int
make_devauth(const uint8_t *de, size_t delen, const uint8_t *dns,
    size_t dnslen, uint8_t **out, size_t *outlen)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *st;
	struct mindl_enc e;
	uint8_t *stb = NULL, *da = NULL;
	size_t stlen = 0, dalen = 0;
	int r;

	/* SessionTranscriptBytes, then the SessionTranscript inside. */
	if ((r = mindl_transcript_bytes(de, delen, fx.erk->ptr, fx.erk->len,
	    &stb, &stlen)) != MINDL_OK)
		return r;
	if ((r = mindl_cbor_decode(stb, stlen, &doc)) != MINDL_OK)
		goto out;
	if ((st = mindl_cbor_untag(mindl_cbor_root(doc), 24)) == NULL) {
		r = MINDL_ERR_CBOR_TAG;
		goto out;
	}
	mindl_enc_init(&e, 65536);
	mindl_enc_array(&e, 4);
	mindl_enc_tstr(&e, "DeviceAuthentication");
	mindl_enc_raw(&e, st->ptr, st->len);
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_raw(&e, dns, dnslen);
	if ((r = mindl_enc_finish(&e, &da, &dalen)) != MINDL_OK)
		goto out;
	mindl_enc_init(&e, 65536);
	mindl_enc_embedded(&e, da, dalen);
	r = mindl_enc_finish(&e, out, outlen);
 out:
	mindl_cbor_free(&doc);
	free(stb);
	free(da);
	return r;
}

/* A response file disclosing els, with deviceSignature. */
static int
make_response(const struct el *els, size_t n, uint8_t **out, size_t *outlen)
{
	static const uint8_t dns[] = { 0xd8, 0x18, 0x41, 0xa0 };
	struct mindl_enc e;
	uint8_t *items[8], *msob = NULL, *de = NULL, *dab = NULL;
	size_t itemlens[8], msoblen = 0, delen = 0, dablen = 0, nns, i, j;
	size_t cnt;
	const char *ns[8];
	int r = MINDL_ERR_INTERNAL;

	memset(items, 0, sizeof(items));
	memset(&e, 0, sizeof(e));
	if (n > 8)
		return MINDL_ERR_INVALID_ARG;
	for (i = 0; i < n; i++) {
		if ((j = first_of(els, i)) != i) {
			items[i] = items[j];	/* borrowed */
			itemlens[i] = itemlens[j];
			continue;
		}
		if ((r = make_item(&els[i], &items[i], &itemlens[i])) !=
		    MINDL_OK)
			goto out;
	}
	if ((r = make_msob(els, items, itemlens, n, &msob, &msoblen)) !=
	    MINDL_OK ||
	    (r = make_engagement(&de, &delen)) != MINDL_OK ||
	    (r = make_devauth(de, delen, dns, sizeof(dns), &dab,
	    &dablen)) != MINDL_OK)
		goto out;
	nns = namespaces(els, n, ns);
	mindl_enc_init(&e, 65536);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "deviceEngagement");
	mindl_enc_bstr(&e, de, delen);
	mindl_enc_tstr(&e, "deviceResponse");
	test_device_response_open(&e);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_map(&e, nns);
	for (j = 0; j < nns; j++) {
		for (i = 0, cnt = 0; i < n; i++)
			cnt += strcmp(els[i].ns, ns[j]) == 0;
		mindl_enc_tstr(&e, ns[j]);
		mindl_enc_array(&e, cnt);
		for (i = 0; i < n; i++)
			if (strcmp(els[i].ns, ns[j]) == 0)
				mindl_enc_raw(&e, items[i], itemlens[i]);
	}
	mindl_enc_tstr(&e, "issuerAuth");
	if ((r = test_sign1_write(&e, fx.ds_key, msob, msoblen, 0,
	    fx.ds, fx.dslen)) != MINDL_OK)
		goto out;
	mindl_enc_tstr(&e, "deviceSigned");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_raw(&e, dns, sizeof(dns));
	mindl_enc_tstr(&e, "deviceAuth");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "deviceSignature");
	if ((r = test_sign1_write(&e, fx.dev_key, dab, dablen, 1,
	    NULL, 0)) != MINDL_OK)
		goto out;
	r = mindl_enc_finish(&e, out, outlen);
 out:
	mindl_enc_clear(&e);
	for (i = 0; i < n; i++)
		if (first_of(els, i) == i)
			free(items[i]);
	free(msob);
	free(de);
	free(dab);
	return r;
}

/* Builds a response for els and verifies it: the error it gets. */
static int
verify_els(const struct el *els, size_t n, size_t *count)
{
	struct mindl_verified *v = NULL;
	uint8_t *resp = NULL;
	size_t len = 0;
	int r;

	*count = 0;
	if ((r = make_response(els, n, &resp, &len)) != MINDL_OK) {
		fprintf(stderr, "make_response: %s\n", mindl_errname(r));
		return MINDL_ERR_INTERNAL;	/* never what a case expects */
	}
	r = mindl_verify_response(fx.trust, fx.schema, T0 + 3600, fx.req,
	    fx.reader_key, resp, len, &v);
	/* Nothing comes back unless everything passed. */
	CHECK((r == MINDL_OK) == (v != NULL));
	if (v != NULL)
		*count = mindl_verified_count(v);
	mindl_verified_free(&v);
	free(resp);
	return r;
}

/* The hand-built response is a valid one: the harness is sound. */
static void
control_distinct(void)
{
	static const struct el els[] = {
		{ NS_ISO, "family_name", 0x10001, "Doe" },
		{ NS_ISO, "given_name", 0x10002, "Alex" },
	};
	size_t n = 0;

	CHECK_ERR(verify_els(els, 2, &n), MINDL_OK);
	CHECK(n == 2);
}

/* Two signed items for family_name, different digestIDs and values. */
static void
same_element_twice(void)
{
	static const struct el els[] = {
		{ NS_ISO, "family_name", 0x10001, "Doe" },
		{ NS_ISO, "given_name", 0x10002, "Alex" },
		{ NS_ISO, "family_name", 0x10003, "Roe" },
	};
	size_t n = 0;

	CHECK_ERR(verify_els(els, 3, &n), MINDL_ERR_CBOR_DUPKEY);
	/* Same value too: still two claims for one element. */
	{
		static const struct el same[] = {
			{ NS_ISO, "family_name", 0x10001, "Doe" },
			{ NS_ISO, "family_name", 0x10002, "Doe" },
		};

		CHECK_ERR(verify_els(same, 2, &n), MINDL_ERR_CBOR_DUPKEY);
	}
}

/*
 * ISO 18013-5: the disclosed issuing_country and issuing_jurisdiction
 * must be the C and ST of the certificate that signed the MSO (here
 * C=US, ST=US-SS).  A licence from a trusted root that claims another
 * place is refused, however well signed.
 */
static void
place_of_signer(void)
{
	static const struct el same[] = {
		{ NS_ISO, "family_name", 0x10001, "Doe" },
		{ NS_ISO, "issuing_country", 0x10002, "US" },
		{ NS_ISO, "issuing_jurisdiction", 0x10003, "US-SS" },
	};
	static const struct el other_state[] = {
		{ NS_ISO, "family_name", 0x10001, "Doe" },
		{ NS_ISO, "issuing_country", 0x10002, "US" },
		{ NS_ISO, "issuing_jurisdiction", 0x10003, "US-ZZ" },
	};
	static const struct el other_country[] = {
		{ NS_ISO, "family_name", 0x10001, "Doe" },
		{ NS_ISO, "issuing_country", 0x10002, "CA" },
	};
	size_t n = 0;

	CHECK_ERR(verify_els(same, 3, &n), MINDL_OK);
	CHECK(n == 3);
	CHECK_ERR(verify_els(other_state, 3, &n), MINDL_ERR_JURISDICTION);
	CHECK(n == 0);
	CHECK_ERR(verify_els(other_country, 2, &n), MINDL_ERR_JURISDICTION);
}

/* One identifier in two namespaces is two elements, not a duplicate. */
static void
same_id_other_namespace(void)
{
	static const struct el els[] = {
		{ NS_ISO, "family_name", 0x10001, "Doe" },
		{ NS_US, "family_name", 0x10001, "Doe" },
	};
	size_t n = 0;

	CHECK_ERR(verify_els(els, 2, &n), MINDL_OK);
	CHECK(n == 2);
}

/*
 * The same item sent twice repeats its digestID as well as its
 * identifier: that keeps its own, more precise error.
 */
static void
same_item_twice(void)
{
	static const struct el els[] = {
		{ NS_ISO, "family_name", 0x10001, "Doe" },
		{ NS_ISO, "family_name", 0x10001, "Doe" },
	};
	size_t n = 0;

	CHECK_ERR(verify_els(els, 2, &n), MINDL_ERR_DIGEST_ID_DUP);
}

/* Map keys that differ only in the form of their head. */
static void
cbor_longer_head(void)
{
	/* {"a": 1, "a": 2}, the second "a" as 78 01 61. */
	static const uint8_t tstr[] = { 0xa2, 0x61, 'a', 0x01, 0x78, 0x01,
	    'a', 0x02 };
	/* {h'01': 1, h'01': 2}, the second as 59 00 01 01. */
	static const uint8_t bstr[] = { 0xa2, 0x41, 0x01, 0x01, 0x59, 0x00,
	    0x01, 0x01, 0x02 };
	/* {"a": 1, "b": 2} with a long head on "b": fine. */
	static const uint8_t ok[] = { 0xa2, 0x61, 'a', 0x01, 0x78, 0x01,
	    'b', 0x02 };
	/* Unsorted, the same text key far apart: {"b", "a", "c", "a"}. */
	static const uint8_t apart[] = { 0xa4, 0x61, 'b', 0x01, 0x61, 'a',
	    0x02, 0x61, 'c', 0x03, 0x78, 0x01, 'a', 0x04 };
	struct mindl_cbor *doc = NULL;

	CHECK_ERR(mindl_cbor_decode(tstr, sizeof(tstr), &doc),
	    MINDL_ERR_CBOR_DUPKEY);
	CHECK(doc == NULL);
	mindl_cbor_free(&doc);
	CHECK_ERR(mindl_cbor_decode(bstr, sizeof(bstr), &doc),
	    MINDL_ERR_CBOR_DUPKEY);
	mindl_cbor_free(&doc);
	CHECK_ERR(mindl_cbor_decode(apart, sizeof(apart), &doc),
	    MINDL_ERR_CBOR_DUPKEY);
	mindl_cbor_free(&doc);
	CHECK_ERR(mindl_cbor_decode(ok, sizeof(ok), &doc), MINDL_OK);
	mindl_cbor_free(&doc);
}

int
main(void)
{
	int r;

	if ((r = setup()) != MINDL_OK) {
		fprintf(stderr, "setup: %s\n", mindl_errname(r));
		return 1;
	}
	RUN(control_distinct);
	RUN(same_element_twice);
	RUN(same_id_other_namespace);
	RUN(place_of_signer);
	RUN(same_item_twice);
	RUN(cbor_longer_head);
	teardown();
	UNIT_DONE();
}
