/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: the document layer of mindl/mdoc.h that every reader goes
 * through: what kind a file is, where its documents are, a Document with
 * and without deviceSigned, and bare DeviceRequests, among them ISO/IEC
 * 18013-5 Annex D's (from tests/vectors, as test_vectors reads them).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testfx.h"

#define NS_ISO	"org.iso.18013.5.1"
#define ANNEXD	"tests/vectors/iso18013-5-annex-d"

static struct test_fx fx;
static uint8_t *cred, *reqbuf, *resp;
static size_t credlen, reqlen, resplen;
static struct mindl_request *req;
static struct mindl_cbor *cred_doc, *req_doc, *resp_doc;

static int
setup(void)
{
	int r;

	if ((r = test_fx_setup(&fx)) != MINDL_OK ||
	    (r = test_fx_issue(&fx, NULL, &cred, &credlen, NULL)) !=
	    MINDL_OK ||
	    (r = test_fx_request(&fx, "traffic-stop", &reqbuf, &reqlen,
	    &req)) != MINDL_OK ||
	    (r = test_present(cred, credlen, fx.dev_key, req, fx.schema,
	    MINDL_DEVAUTH_MAC, &resp, &resplen, NULL)) != MINDL_OK ||
	    (r = mindl_cbor_decode(cred, credlen, &cred_doc)) != MINDL_OK ||
	    (r = mindl_cbor_decode(reqbuf, reqlen, &req_doc)) != MINDL_OK)
		return r;
	return mindl_cbor_decode(resp, resplen, &resp_doc);
}

static void
teardown(void)
{
	mindl_cbor_free(&cred_doc);
	mindl_cbor_free(&req_doc);
	mindl_cbor_free(&resp_doc);
	mindl_request_free(&req);
	free(cred);
	free(reqbuf);
	free(resp);
	test_fx_free(&fx);
}

/* An Annex D file given as hex, as bytes (*out malloc'd). */
static int
annexd_bytes(const char *name, uint8_t **out, size_t *outlen)
{
	char path[1200];
	struct mindl_buf b;
	uint8_t *txt = NULL;
	size_t tl = 0;
	int r;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/%s", ANNEXD, name);
	if ((r = mindl_file_read(path, 1 << 20, &txt, &tl)) != MINDL_OK) {
		fprintf(stderr, "cannot read %s (run from the repository "
		    "root)\n", path);
		return r;
	}
	mindl_buf_init(&b, tl / 2 + 1);
	r = test_take(mindl_buf_add_hex(&b, (const char *)txt, tl, 1), &b,
	    out, outlen);
	free(txt);
	return r;
}

/* Hex to a decoded document; buf (malloc'd) must outlive it. */
static const struct mindl_cbor_item *
from_hex(const char *h, uint8_t **buf, struct mindl_cbor **doc)
{
	struct mindl_buf b;
	size_t n = 0;

	*doc = NULL;
	mindl_buf_init(&b, 1 << 16);
	if (test_take(mindl_buf_add_hex(&b, h, strlen(h), 0), &b, buf, &n) !=
	    MINDL_OK || mindl_cbor_decode(*buf, n, doc) != MINDL_OK)
		return NULL;
	return mindl_cbor_root(*doc);
}

/* The encoder's output, decoded; buf (malloc'd) must outlive it. */
static const struct mindl_cbor_item *
from_enc(struct mindl_enc *e, uint8_t **buf, struct mindl_cbor **doc)
{
	size_t n = 0;

	*doc = NULL;
	if (mindl_enc_finish(e, buf, &n) != MINDL_OK ||
	    mindl_cbor_decode(*buf, n, doc) != MINDL_OK)
		return NULL;
	return mindl_cbor_root(*doc);
}

static enum mindl_file_kind
kind_hex(const char *h)
{
	struct mindl_cbor *doc = NULL;
	uint8_t *buf = NULL;
	enum mindl_file_kind k;

	k = mindl_file_kind(from_hex(h, &buf, &doc));
	mindl_cbor_free(&doc);
	free(buf);
	return k;
}

static int
kind_is(const struct mindl_cbor_item *it, enum mindl_file_kind want,
    const char *name)
{
	enum mindl_file_kind k = mindl_file_kind(it);

	if (k != want)
		fprintf(stderr, "kind %s, want %s\n", mindl_file_kind_name(k),
		    name);
	return k == want && strcmp(mindl_file_kind_name(k), name) == 0;
}

static void
file_kinds(void)
{
	const struct mindl_cbor_item *croot, *qroot, *rroot, *dr;
	struct mindl_cbor *doc = NULL;
	uint8_t *b = NULL;
	size_t n = 0;

	croot = mindl_cbor_root(cred_doc);
	qroot = mindl_cbor_root(req_doc);
	rroot = mindl_cbor_root(resp_doc);
	CHECK(kind_is(croot, MINDL_FILE_CREDENTIAL, "credential"));
	CHECK(kind_is(qroot, MINDL_FILE_REQUEST, "request"));
	CHECK(kind_is(rroot, MINDL_FILE_RESPONSE, "response"));
	/* What the envelopes carry, on their own. */
	dr = mindl_cbor_map_get(rroot, "deviceResponse");
	CHECK(kind_is(dr, MINDL_FILE_DEVICE_RESPONSE, "device-response"));
	CHECK(kind_is(mindl_cbor_map_get(qroot, "deviceRequest"),
	    MINDL_FILE_DEVICE_REQUEST, "device-request"));
	CHECK(kind_is(mindl_cbor_child(croot), MINDL_FILE_DOCUMENT,
	    "document"));
	CHECK(kind_is(mindl_cbor_child(mindl_cbor_map_get(dr, "documents")),
	    MINDL_FILE_DOCUMENT, "document"));
	/* Another implementation's: Annex D. */
	CHECK_ERR(annexd_bytes("annexD_D.4.1.1_device_request.hex", &b, &n),
	    MINDL_OK);
	if (b != NULL && mindl_cbor_decode(b, n, &doc) == MINDL_OK)
		CHECK(kind_is(mindl_cbor_root(doc), MINDL_FILE_DEVICE_REQUEST,
		    "device-request"));
	else
		CHECK(0);
	mindl_cbor_free(&doc);
	free(b);
	b = NULL;
	CHECK_ERR(annexd_bytes("annexD_D.4.1.2_device_response.hex", &b, &n),
	    MINDL_OK);
	if (b != NULL && mindl_cbor_decode(b, n, &doc) == MINDL_OK)
		CHECK(kind_is(mindl_cbor_root(doc), MINDL_FILE_DEVICE_RESPONSE,
		    "device-response"));
	else
		CHECK(0);
	mindl_cbor_free(&doc);
	free(b);

	/* Anything else: 1, "s", {"x": 1}, [], [1], [{}], [{"docType": 1}]. */
	CHECK(mindl_file_kind(NULL) == MINDL_FILE_UNKNOWN);
	CHECK(kind_hex("01") == MINDL_FILE_UNKNOWN);
	CHECK(kind_hex("6173") == MINDL_FILE_UNKNOWN);
	CHECK(kind_hex("a1617801") == MINDL_FILE_UNKNOWN);
	CHECK(kind_hex("80") == MINDL_FILE_UNKNOWN);
	CHECK(kind_hex("8101") == MINDL_FILE_UNKNOWN);
	CHECK(kind_hex("81a0") == MINDL_FILE_UNKNOWN);
	CHECK(kind_hex("81a167646f635479706501") == MINDL_FILE_UNKNOWN);
	CHECK(strcmp(mindl_file_kind_name(MINDL_FILE_UNKNOWN), "unknown") ==
	    0);
	/* Each kind by its key: {"eReaderKey", "deviceRequest"} ... */
	CHECK(kind_hex("a26a655265616465724b6579406d64657669636552657175657374a0")
	    == MINDL_FILE_REQUEST);
	/* eReaderKey alone is no request. */
	CHECK(kind_hex("a16a655265616465724b657940") == MINDL_FILE_UNKNOWN);
	/* {"documents": []}, {"docRequests": []}, {"issuerSigned": {}} */
	CHECK(kind_hex("a169646f63756d656e747380") ==
	    MINDL_FILE_DEVICE_RESPONSE);
	CHECK(kind_hex("a16b646f635265717565737473" "80") ==
	    MINDL_FILE_DEVICE_REQUEST);
	CHECK(kind_hex("a16c6973737565725369676e6564a0") ==
	    MINDL_FILE_DOCUMENT);
	/* [{"issuerSigned": {}}] */
	CHECK(kind_hex("81a16c6973737565725369676e6564a0") ==
	    MINDL_FILE_CREDENTIAL);
}

/*
 * mindl_file_documents on a file that must be refused (what it would
 * borrow is gone on return): its error, *docs and *eng as it left them.
 */
static int
docs_hex(const char *h, const struct mindl_cbor_item **docs,
    const struct mindl_cbor_item **eng)
{
	static const struct mindl_cbor_item junk;
	struct mindl_cbor *doc = NULL;
	uint8_t *buf = NULL;
	const struct mindl_cbor_item *root;
	int r = MINDL_ERR_INTERNAL;

	*docs = *eng = &junk;	/* must come back NULL */
	if ((root = from_hex(h, &buf, &doc)) != NULL)
		r = mindl_file_documents(root, docs, eng);
	if (r == MINDL_OK)
		r = MINDL_ERR_INTERNAL;
	mindl_cbor_free(&doc);
	free(buf);
	return r;
}

static void
file_documents(void)
{
	const struct mindl_cbor_item *root, *docs, *eng;
	struct mindl_cbor *doc = NULL;
	uint8_t *b = NULL;
	size_t n = 0;

	root = mindl_cbor_root(cred_doc);
	CHECK_ERR(mindl_file_documents(root, &docs, &eng), MINDL_OK);
	CHECK(docs == root && eng == NULL);

	root = mindl_cbor_root(resp_doc);
	CHECK_ERR(mindl_file_documents(root, &docs, &eng), MINDL_OK);
	CHECK(docs != NULL && docs->type == MINDL_CBOR_ARRAY && docs->u == 1);
	CHECK(eng != NULL && eng == mindl_cbor_map_get(root,
	    "deviceEngagement") && eng->type == MINDL_CBOR_BSTR);
	/* The bare DeviceResponse inside: no engagement. */
	root = mindl_cbor_map_get(root, "deviceResponse");
	CHECK_ERR(mindl_file_documents(root, &docs, &eng), MINDL_OK);
	CHECK(docs == mindl_cbor_map_get(root, "documents") && eng == NULL);

	CHECK_ERR(annexd_bytes("annexD_D.4.1.2_device_response.hex", &b, &n),
	    MINDL_OK);
	if (b != NULL && mindl_cbor_decode(b, n, &doc) == MINDL_OK) {
		CHECK_ERR(mindl_file_documents(mindl_cbor_root(doc), &docs,
		    &eng), MINDL_OK);
		CHECK(docs != NULL && docs->u == 1 && eng == NULL);
	} else
		CHECK(0);
	mindl_cbor_free(&doc);
	free(b);

	/* Files without documents: a map, an empty list; junk. */
	CHECK_ERR(mindl_file_documents(mindl_cbor_root(req_doc), &docs, &eng),
	    MINDL_ERR_NO_DOCUMENT);
	CHECK(docs == NULL && eng == NULL);
	CHECK_ERR(docs_hex("80", &docs, &eng), MINDL_ERR_NO_DOCUMENT);
	CHECK(docs == NULL && eng == NULL);
	CHECK_ERR(docs_hex("a0", &docs, &eng), MINDL_ERR_NO_DOCUMENT);
	CHECK_ERR(docs_hex("a1617801", &docs, &eng), MINDL_ERR_NO_DOCUMENT);
	CHECK_ERR(docs_hex("8101", &docs, &eng), MINDL_ERR_CBOR_TYPE);
	CHECK(docs == NULL && eng == NULL);
	CHECK_ERR(docs_hex("81a0", &docs, &eng), MINDL_ERR_CBOR_TYPE);
	CHECK_ERR(docs_hex("01", &docs, &eng), MINDL_ERR_CBOR_TYPE);
	CHECK_ERR(docs_hex("6173", &docs, &eng), MINDL_ERR_CBOR_TYPE);
	/* {"status": 0, "version": "1.0", "documents": []} */
	CHECK_ERR(docs_hex("a366737461747573006776657273696f6e63312e30"
	    "69646f63756d656e747380", &docs, &eng), MINDL_ERR_NO_DOCUMENT);
	/* version "2.0", then no status */
	CHECK_ERR(docs_hex("a366737461747573006776657273696f6e63322e30"
	    "69646f63756d656e74738180", &docs, &eng), MINDL_ERR_VERSION);
	CHECK(docs == NULL && eng == NULL);
	CHECK_ERR(docs_hex("a26776657273696f6e63312e30"
	    "69646f63756d656e74738180", &docs, &eng), MINDL_ERR_MISSING);
	/* A response envelope of another version: no engagement either. */
	CHECK_ERR(docs_hex("a36176027064657669636545" "6e676167656d656e744100"
	    "6e6465766963655265737" "06f6e7365a0", &docs, &eng),
	    MINDL_ERR_VERSION);
	CHECK(docs == NULL && eng == NULL);
}

/*
 * {"v": 1, "deviceEngagement": h'00', "deviceResponse": {}} and, unless
 * kind is 0, "readerKeyDigest" as: 1 a bstr of n bytes, 2 a tstr, 3 an
 * integer; 4 adds an unknown key "x" instead.
 */
static const struct mindl_cbor_item *
envelope(int kind, size_t n, uint8_t **buf, struct mindl_cbor **doc)
{
	static const uint8_t zero[64];
	struct mindl_enc e;

	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, kind == 0 ? 3 : 4);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "deviceEngagement");
	mindl_enc_bstr(&e, zero, 1);
	mindl_enc_tstr(&e, "deviceResponse");
	mindl_enc_map(&e, 0);
	if (kind != 0)
		mindl_enc_tstr(&e, kind == 4 ? "x" : "readerKeyDigest");
	if (kind == 1)
		mindl_enc_bstr(&e, zero, n);
	else if (kind == 2)
		mindl_enc_tstr(&e, "0123456789abcdef0123456789abcdef");
	else if (kind == 3 || kind == 4)
		mindl_enc_uint(&e, 32);
	return from_enc(&e, buf, doc);
}

/* mindl_response_envelope and the digest of one envelope. */
static int
envelope_check(int kind, size_t n, const uint8_t **digest)
{
	const struct mindl_cbor_item *root, *de, *dr;
	struct mindl_cbor *doc = NULL;
	uint8_t *buf = NULL;
	int r = MINDL_ERR_INTERNAL, r2;

	*digest = NULL;
	if ((root = envelope(kind, n, &buf, &doc)) != NULL) {
		de = dr = root;	/* must come back NULL on failure */
		r = mindl_response_envelope(root, &de, &dr);
		CHECK(r == MINDL_OK ? de != NULL && dr != NULL :
		    de == NULL && dr == NULL);
		r2 = mindl_response_reader_key_digest(root, digest);
		CHECK(r2 == r);
		/* The digest borrows from buf: only whether there was one. */
		if (*digest != NULL)
			*digest = (const uint8_t *)"";
	}
	mindl_cbor_free(&doc);
	free(buf);
	return r;
}

/*
 * readerKeyDigest: optional, a 32-byte bstr when present, refused by
 * every reader otherwise (mindl_file_documents too); unknown keys are
 * ignored.  The holder writes SHA-256 over the request's eReaderKey.
 */
static void
response_envelope(void)
{
	const struct mindl_cbor_item *root, *de, *dr, *docs, *eng;
	const uint8_t *d, *erk;
	struct mindl_cbor *doc = NULL;
	uint8_t *buf = NULL, h[MINDL_SHA256_LEN];
	size_t erklen;

	root = mindl_cbor_root(resp_doc);
	CHECK_ERR(mindl_response_envelope(root, &de, &dr), MINDL_OK);
	CHECK_ERR(mindl_response_reader_key_digest(root, &d), MINDL_OK);
	mindl_request_erk(req, &erk, &erklen);
	CHECK_ERR(mindl_sha256(erk, erklen, h), MINDL_OK);
	CHECK(d != NULL && memcmp(d, h, sizeof(h)) == 0);
	/* A bare DeviceResponse has no envelope, so no digest. */
	CHECK_ERR(mindl_response_reader_key_digest(mindl_cbor_map_get(root,
	    "deviceResponse"), &d), MINDL_OK);
	CHECK(d == NULL);

	CHECK_ERR(envelope_check(0, 0, &d), MINDL_OK);
	CHECK(d == NULL);
	CHECK_ERR(envelope_check(1, 32, &d), MINDL_OK);
	CHECK(d != NULL);
	CHECK_ERR(envelope_check(4, 0, &d), MINDL_OK);
	CHECK(d == NULL);
	CHECK_ERR(envelope_check(1, 0, &d), MINDL_ERR_CBOR_TYPE);
	CHECK(d == NULL);
	CHECK_ERR(envelope_check(1, 31, &d), MINDL_ERR_CBOR_TYPE);
	CHECK_ERR(envelope_check(1, 33, &d), MINDL_ERR_CBOR_TYPE);
	CHECK_ERR(envelope_check(1, 64, &d), MINDL_ERR_CBOR_TYPE);
	CHECK_ERR(envelope_check(2, 0, &d), MINDL_ERR_CBOR_TYPE);
	CHECK(d == NULL);
	CHECK_ERR(envelope_check(3, 0, &d), MINDL_ERR_CBOR_TYPE);
	/* Not a map at all. */
	CHECK_ERR(mindl_response_reader_key_digest(mindl_cbor_root(cred_doc),
	    &d), MINDL_ERR_CBOR_TYPE);
	CHECK(d == NULL);
	/* Every reader refuses a malformed one: the documents, too. */
	if ((root = envelope(1, 31, &buf, &doc)) != NULL) {
		CHECK(mindl_file_kind(root) == MINDL_FILE_RESPONSE);
		CHECK_ERR(mindl_file_documents(root, &docs, &eng),
		    MINDL_ERR_CBOR_TYPE);
		CHECK(docs == NULL && eng == NULL);
	} else
		CHECK(0);
	mindl_cbor_free(&doc);
	free(buf);
}

static void
document_parse(void)
{
	struct mindl_document *d = (struct mindl_document *)cred;
	const struct mindl_cbor_item *entry, *rdoc;
	const struct mindl_device_signed *ds;

	/* A credential entry: no deviceSigned, and none needed. */
	entry = mindl_cbor_child(mindl_cbor_root(cred_doc));
	CHECK_ERR(mindl_document_parse(entry, 0, &d), MINDL_OK);
	if (d != NULL) {
		CHECK(mindl_document_item(d) == entry);
		CHECK(strcmp(mindl_document_doctype_str(d), MINDL_DOCTYPE_MDL)
		    == 0);
		CHECK(mindl_cbor_is_str(mindl_document_doctype(d),
		    MINDL_DOCTYPE_MDL));
		CHECK(mindl_document_issuer_signed(d) != NULL &&
		    mindl_issuer_signed_count(mindl_document_issuer_signed(d))
		    == mindl_record_count(fx.rec));
		CHECK(mindl_document_device_signed(d) == NULL);
	}
	mindl_document_free(&d);
	CHECK(d == NULL);
	mindl_document_free(&d);
	/* ... unless asked for. */
	d = (struct mindl_document *)cred;
	CHECK_ERR(mindl_document_parse(entry, MINDL_DOC_DEVICE_SIGNED, &d),
	    MINDL_ERR_MISSING);
	CHECK(d == NULL);

	/* A response's document has one, either way. */
	rdoc = mindl_cbor_child(mindl_cbor_map_get(mindl_cbor_map_get(
	    mindl_cbor_root(resp_doc), "deviceResponse"), "documents"));
	CHECK_ERR(mindl_document_parse(rdoc, MINDL_DOC_DEVICE_SIGNED, &d),
	    MINDL_OK);
	if (d != NULL) {
		ds = mindl_document_device_signed(d);
		CHECK(ds != NULL &&
		    mindl_device_signed_kind(ds) == MINDL_DEVAUTH_MAC);
		/* Fewer items than the credential: only the profile's. */
		CHECK(mindl_issuer_signed_count(mindl_document_issuer_signed(
		    d)) < mindl_record_count(fx.rec));
	}
	mindl_document_free(&d);
	CHECK_ERR(mindl_document_parse(rdoc, 0, &d), MINDL_OK);
	CHECK(d != NULL && mindl_document_device_signed(d) != NULL);
	mindl_document_free(&d);
}

/*
 * A Document {docType, issuerSigned, deviceSigned} from the response's,
 * with docType given as hex (NULL: left out), issuerSigned kept or left
 * out, and deviceSigned kept, left out or given as hex.
 */
static int
doc_variant(const char *doctype_hex, int with_is, int with_ds,
    const char *ds_hex, unsigned flags)
{
	const struct mindl_cbor_item *rdoc, *is, *ds, *root;
	struct mindl_document *d = NULL;
	struct mindl_cbor *doc = NULL, *h = NULL;
	struct mindl_enc e;
	uint8_t *buf = NULL, *hb = NULL;
	int r = MINDL_ERR_INTERNAL;

	rdoc = mindl_cbor_child(mindl_cbor_map_get(mindl_cbor_map_get(
	    mindl_cbor_root(resp_doc), "deviceResponse"), "documents"));
	is = mindl_cbor_map_get(rdoc, "issuerSigned");
	ds = mindl_cbor_map_get(rdoc, "deviceSigned");
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, (size_t)(doctype_hex != NULL) + (size_t)(with_is !=
	    0) + (size_t)(with_ds != 0 || ds_hex != NULL));
	if (doctype_hex != NULL) {
		if (from_hex(doctype_hex, &hb, &h) == NULL)
			goto out;
		mindl_enc_tstr(&e, "docType");
		mindl_enc_raw(&e, mindl_cbor_root(h)->enc,
		    mindl_cbor_root(h)->enclen);
	}
	if (with_is) {
		mindl_enc_tstr(&e, "issuerSigned");
		mindl_enc_raw(&e, is->enc, is->enclen);
	}
	if (ds_hex != NULL) {
		mindl_cbor_free(&h);
		free(hb);
		hb = NULL;
		if (from_hex(ds_hex, &hb, &h) == NULL)
			goto out;
		mindl_enc_tstr(&e, "deviceSigned");
		mindl_enc_raw(&e, mindl_cbor_root(h)->enc,
		    mindl_cbor_root(h)->enclen);
	} else if (with_ds) {
		mindl_enc_tstr(&e, "deviceSigned");
		mindl_enc_raw(&e, ds->enc, ds->enclen);
	}
	if ((root = from_enc(&e, &buf, &doc)) == NULL)
		goto out;
	r = mindl_document_parse(root, flags, &d);
	if ((r == MINDL_OK) != (d != NULL))
		r = MINDL_ERR_INTERNAL;
 out:
	mindl_enc_clear(&e);
	mindl_document_free(&d);
	mindl_cbor_free(&doc);
	mindl_cbor_free(&h);
	free(buf);
	free(hb);
	return r;
}

#define DT_HEX	"756f72672e69736f2e31383031332e352e312e6d444c"

static void
document_refuses(void)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_document *d = NULL;

	/* The control: rebuilt whole, it parses. */
	CHECK_ERR(doc_variant(DT_HEX, 1, 1, NULL, MINDL_DOC_DEVICE_SIGNED),
	    MINDL_OK);
	CHECK_ERR(doc_variant(DT_HEX, 1, 0, NULL, 0), MINDL_OK);
	/* docType: missing, not text, with a NUL inside. */
	CHECK_ERR(doc_variant(NULL, 1, 1, NULL, 0), MINDL_ERR_MISSING);
	CHECK_ERR(doc_variant("01", 1, 1, NULL, 0), MINDL_ERR_CBOR_TYPE);
	CHECK_ERR(doc_variant("636d0044", 1, 1, NULL, 0),
	    MINDL_ERR_CBOR_TYPE);
	/* issuerSigned missing. */
	CHECK_ERR(doc_variant(DT_HEX, 0, 1, NULL, 0), MINDL_ERR_MISSING);
	/* A deviceSigned that is there is parsed, asked for or not. */
	CHECK_ERR(doc_variant(DT_HEX, 1, 0, "01", 0), MINDL_ERR_CBOR_TYPE);
	CHECK_ERR(doc_variant(DT_HEX, 1, 0, "a0", 0), MINDL_ERR_MISSING);
	/* Not a map. */
	CHECK_ERR(mindl_cbor_decode((const uint8_t *)"\x80", 1, &doc),
	    MINDL_OK);
	if (doc != NULL)
		CHECK_ERR(mindl_document_parse(mindl_cbor_root(doc), 0, &d),
		    MINDL_ERR_CBOR_TYPE);
	CHECK(d == NULL);
	mindl_cbor_free(&doc);
}

/* Annex D D.4.1.1: one DocRequest, with readerAuth. */
static void
device_request_annexd(void)
{
	static const struct {
		const char	*id;
		int		 retain;
	} want[] = {
		{ "family_name", 1 }, { "document_number", 1 },
		{ "driving_privileges", 1 }, { "issue_date", 1 },
		{ "expiry_date", 1 }, { "portrait", 0 },
	};
	struct mindl_request *r = NULL;
	const struct mindl_cbor_item *ra;
	const uint8_t *erk;
	const char *ns, *id;
	uint8_t *b = NULL;
	size_t n = 0, i, j, erklen;
	int retain, found;

	CHECK_ERR(annexd_bytes("annexD_D.4.1.1_device_request.hex", &b, &n),
	    MINDL_OK);
	if (b == NULL)
		return;
	CHECK_ERR(mindl_device_request_parse(b, n, &r), MINDL_OK);
	if (r != NULL) {
		CHECK(mindl_request_docs(r) == 1);
		CHECK(strcmp(mindl_request_doctype(r), MINDL_DOCTYPE_MDL) ==
		    0);
		CHECK(strcmp(mindl_request_doc_doctype(r, 0),
		    MINDL_DOCTYPE_MDL) == 0);
		CHECK(mindl_request_doc_doctype(r, 1) == NULL);
		CHECK(mindl_request_profile(r) == NULL);
		ra = mindl_request_reader_auth(r, 0);
		CHECK(ra != NULL && ra->type == MINDL_CBOR_ARRAY && ra->u == 4);
		CHECK(mindl_request_reader_auth(r, 1) == NULL);
		mindl_request_erk(r, &erk, &erklen);
		CHECK(erklen == 0);
		CHECK(mindl_request_count(r) == 6);
		for (i = 0; i < mindl_request_count(r); i++) {
			mindl_request_element(r, i, &ns, &id, &retain);
			CHECK(strcmp(ns, NS_ISO) == 0);
			CHECK(mindl_request_element_doc(r, i) == 0);
			for (found = 0, j = 0; j < 6; j++)
				found |= strcmp(id, want[j].id) == 0 &&
				    retain == want[j].retain;
			CHECK(found);
		}
	}
	mindl_request_free(&r);
	CHECK(r == NULL);
	/* Not mindl's request envelope. */
	CHECK_ERR(mindl_request_parse(b, n, &r), MINDL_ERR_VERSION);
	CHECK(r == NULL);
	free(b);
}

/* DeviceRequest {version, docRequests} around the DocRequests given. */
static int
device_request(const char *version, const uint8_t *const *docs,
    const size_t *lens, size_t n, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	size_t i;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, version);
	mindl_enc_tstr(&e, "docRequests");
	mindl_enc_array(&e, n);
	for (i = 0; i < n; i++)
		mindl_enc_raw(&e, docs[i], lens[i]);
	return mindl_enc_finish(&e, out, outlen);
}

/*
 * DocRequest {itemsRequest: #6.24(ItemsRequest), ? readerAuth} for
 * doctype and the (namespace, identifier, intent) triples given.
 */
struct want_el {
	const char	*ns;
	const char	*id;
	int		 retain;
};

static int
doc_request(const char *doctype, const struct want_el *el, size_t n,
    int reader_auth, uint8_t **out, size_t *outlen)
{
	struct mindl_enc e;
	uint8_t *items = NULL;
	size_t itemslen = 0, i, j, k, nns = 0;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, doctype);
	mindl_enc_tstr(&e, "nameSpaces");
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(el[j].ns, el[i].ns) != 0; j++)
			;
		nns += (size_t)(j == i);
	}
	mindl_enc_map(&e, nns);
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(el[j].ns, el[i].ns) != 0; j++)
			;
		if (j < i)
			continue;
		for (k = i, j = 0; k < n; k++)
			j += (size_t)(strcmp(el[k].ns, el[i].ns) == 0);
		mindl_enc_tstr(&e, el[i].ns);
		mindl_enc_map(&e, j);
		for (k = i; k < n; k++) {
			if (strcmp(el[k].ns, el[i].ns) != 0)
				continue;
			mindl_enc_tstr(&e, el[k].id);
			mindl_enc_bool(&e, el[k].retain);
		}
	}
	if (mindl_enc_finish(&e, &items, &itemslen) != MINDL_OK)
		return MINDL_ERR_INTERNAL;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, reader_auth ? 2 : 1);
	mindl_enc_tstr(&e, "itemsRequest");
	mindl_enc_embedded(&e, items, itemslen);
	free(items);
	if (reader_auth) {
		/* Any COSE_Sign1 shape: it is kept as received, not checked. */
		mindl_enc_tstr(&e, "readerAuth");
		mindl_enc_array(&e, 4);
		mindl_enc_bstr(&e, (const uint8_t *)"\xa1\x01\x26", 3);
		mindl_enc_map(&e, 0);
		mindl_enc_null(&e);
		mindl_enc_bstr(&e, (const uint8_t *)"sig", 3);
	}
	return mindl_enc_finish(&e, out, outlen);
}

/* mindl's request file around a DeviceRequest, with fx's reader key. */
static int
request_file(const uint8_t *dr, size_t drlen, uint8_t **out,
    size_t *outlen)
{
	struct mindl_enc e;
	const struct mindl_cbor_item *erk;

	erk = mindl_cbor_map_get(mindl_cbor_root(req_doc), "eReaderKey");
	if (erk == NULL)
		return MINDL_ERR_MISSING;
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "eReaderKey");
	mindl_enc_raw(&e, erk->enc, erk->enclen);
	mindl_enc_tstr(&e, "deviceRequest");
	mindl_enc_raw(&e, dr, drlen);
	return mindl_enc_finish(&e, out, outlen);
}

/* Two DocRequests: every element knows its document. */
static void
device_request_two(void)
{
	static const struct want_el e1[] = {
		{ NS_ISO, "family_name", 1 },
	};
	static const struct want_el e2[] = {
		{ "org.example.ns", "a", 0 },
		{ "org.example.ns", "b", 1 },
	};
	struct mindl_request *r = NULL;
	uint8_t *docs[2] = { NULL, NULL }, *dr = NULL, *file = NULL;
	size_t lens[2] = { 0, 0 }, drlen = 0, filelen = 0, i;
	const char *ns, *id;
	int retain;

	CHECK_ERR(doc_request(MINDL_DOCTYPE_MDL, e1, 1, 1, &docs[0],
	    &lens[0]), MINDL_OK);
	CHECK_ERR(doc_request("org.example.doc", e2, 2, 0, &docs[1],
	    &lens[1]), MINDL_OK);
	CHECK_ERR(device_request("1.0", (const uint8_t *const *)docs, lens, 2,
	    &dr, &drlen), MINDL_OK);
	if (dr == NULL)
		goto out;
	CHECK_ERR(mindl_device_request_parse(dr, drlen, &r), MINDL_OK);
	if (r != NULL) {
		CHECK(mindl_request_docs(r) == 2);
		CHECK(mindl_request_count(r) == 3);
		CHECK(strcmp(mindl_request_doctype(r), MINDL_DOCTYPE_MDL) ==
		    0);
		CHECK(strcmp(mindl_request_doc_doctype(r, 1),
		    "org.example.doc") == 0);
		CHECK(mindl_request_reader_auth(r, 0) != NULL);
		CHECK(mindl_request_reader_auth(r, 1) == NULL);
		for (i = 0; i < 3; i++) {
			mindl_request_element(r, i, &ns, &id, &retain);
			CHECK(mindl_request_element_doc(r, i) == (i == 0 ? 0 :
			    1));
			if (i == 0)
				CHECK(strcmp(id, "family_name") == 0 &&
				    strcmp(ns, NS_ISO) == 0 && retain == 1);
			else
				CHECK(strcmp(ns, "org.example.ns") == 0 &&
				    strcmp(id, e2[i - 1].id) == 0 &&
				    retain == e2[i - 1].retain);
		}
	}
	mindl_request_free(&r);

	/* mindl's request file takes exactly one DocRequest. */
	CHECK_ERR(request_file(dr, drlen, &file, &filelen), MINDL_OK);
	if (file != NULL)
		CHECK_ERR(mindl_request_parse(file, filelen, &r),
		    MINDL_ERR_MISSING);
	CHECK(r == NULL);
	free(file);
	file = NULL;
	free(dr);
	dr = NULL;
	CHECK_ERR(device_request("1.0", (const uint8_t *const *)docs, lens, 1,
	    &dr, &drlen), MINDL_OK);
	if (dr != NULL)
		CHECK_ERR(request_file(dr, drlen, &file, &filelen), MINDL_OK);
	if (file != NULL)
		CHECK_ERR(mindl_request_parse(file, filelen, &r), MINDL_OK);
	CHECK(r != NULL && mindl_request_count(r) == 1);
	mindl_request_free(&r);
	free(dr);
	dr = NULL;

	/* No DocRequest; another version. */
	CHECK_ERR(device_request("1.0", NULL, NULL, 0, &dr, &drlen),
	    MINDL_OK);
	if (dr != NULL)
		CHECK_ERR(mindl_device_request_parse(dr, drlen, &r),
		    MINDL_ERR_MISSING);
	free(dr);
	dr = NULL;
	CHECK_ERR(device_request("2.0", (const uint8_t *const *)docs, lens, 1,
	    &dr, &drlen), MINDL_OK);
	if (dr != NULL)
		CHECK_ERR(mindl_device_request_parse(dr, drlen, &r),
		    MINDL_ERR_VERSION);
	free(dr);
	dr = NULL;
	/* itemsRequest not #6.24: {"itemsRequest": {}} */
	{
		static const uint8_t bare[] = { 0xa1, 0x6c, 'i', 't', 'e', 'm',
		    's', 'R', 'e', 'q', 'u', 'e', 's', 't', 0xa0 };
		const uint8_t *d1 = bare;
		size_t l1 = sizeof(bare);

		CHECK_ERR(device_request("1.0", &d1, &l1, 1, &dr, &drlen),
		    MINDL_OK);
		if (dr != NULL)
			CHECK_ERR(mindl_device_request_parse(dr, drlen, &r),
			    MINDL_ERR_CBOR_TAG);
	}
	CHECK(r == NULL);
 out:
	free(dr);
	free(file);
	free(docs[0]);
	free(docs[1]);
}

int
main(void)
{
	int r;

	if ((r = setup()) != MINDL_OK) {
		fprintf(stderr, "setup: %s\n", mindl_errname(r));
		teardown();
		return 1;
	}
	RUN(file_kinds);
	RUN(file_documents);
	RUN(response_envelope);
	RUN(document_parse);
	RUN(document_refuses);
	RUN(device_request_annexd);
	RUN(device_request_two);
	teardown();
	UNIT_DONE();
}
