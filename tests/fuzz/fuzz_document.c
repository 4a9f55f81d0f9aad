/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: the shared parsers of mdoc structures as every reader
 * uses them (mindl/mdoc.h, mindl/mso.h, mindl/devauth.h): what kind of
 * file the input is, its documents, each Document with its IssuerSigned,
 * MSO and DeviceSigned, every accessor; and bare DeviceRequests.
 */
#include "fuzz.h"

static void
touch_mso(const struct mindl_mso *m)
{
	const struct mindl_mso_digest *d;
	const struct mindl_cbor_item *uri;
	struct mindl_mso_validity v;
	struct mindl_key *k = NULL;
	uint64_t idx;
	size_t i, j;

	(void)mindl_mso_version(m);
	(void)mindl_mso_digest_alg(m);
	(void)mindl_mso_doctype(m);
	(void)mindl_mso_size(m);
	mindl_mso_validity(m, &v);
	(void)mindl_mso_status_list(m, &idx, &uri);
	if (mindl_mso_device_key(m, &k) == MINDL_OK)
		mindl_key_free(&k);
	for (i = 0; i < mindl_mso_ns_count(m); i++)
		for (j = 0; j < mindl_mso_ns_digests(m, i); j++) {
			d = mindl_mso_digest_at(m, i, j);
			(void)mindl_mso_digest_find(m, mindl_mso_ns_name(m, i),
			    d->id, &d);
			(void)mindl_mso_digest_find(m, mindl_mso_ns_name(m, i),
			    d->id + 1, &d);
		}
}

static void
touch_document(const struct mindl_document *d)
{
	const struct mindl_issuer_signed *is = mindl_document_issuer_signed(d);
	const struct mindl_device_signed *ds = mindl_document_device_signed(d);
	const struct mindl_issuer_item *ii;
	const struct mindl_mso_digest *dg;
	const uint8_t *id;
	struct mindl_buf b;
	size_t i, idlen;

	(void)mindl_document_doctype_str(d);
	mindl_document_fido_id(d, &id, &idlen);
	if (id != NULL && (idlen == 0 || idlen > MINDL_FIDO_MAX_CRED_ID))
		abort();	/* the parser let a bad id through */
	touch_mso(mindl_issuer_signed_mso(is));
	mindl_buf_init(&b, 2 * MINDL_MAX_INPUT);
	for (i = 0; i < mindl_issuer_signed_count(is); i++) {
		ii = mindl_issuer_signed_item(is, i);
		(void)mindl_mso_digest_find(mindl_issuer_signed_mso(is),
		    ii->ns, ii->digest_id, &dg);
		(void)mindl_value_json(ii->value, &b);
	}
	mindl_buf_clear(&b);
	if (ds != NULL) {
		(void)mindl_device_signed_kind(ds);
		(void)mindl_device_signed_ns(ds);
		(void)mindl_device_signed_auth(ds);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_document *d = NULL;
	struct mindl_request *q = NULL;
	struct mindl_cbor_iter i;
	const struct mindl_cbor_item *root, *docs, *eng, *e;

	if (mindl_cbor_decode(data, size, &doc) != MINDL_OK)
		return 0;
	root = mindl_cbor_root(doc);
	(void)mindl_file_kind_name(mindl_file_kind(root));
	if (mindl_file_documents(root, &docs, &eng) == MINDL_OK) {
		(void)mindl_cbor_iter_init(&i, docs, MINDL_CBOR_ARRAY);
		while ((e = mindl_cbor_iter_next(&i)) != NULL) {
			if (mindl_document_parse(e, 0, &d) == MINDL_OK)
				touch_document(d);
			mindl_document_free(&d);
			if (mindl_document_parse(e, MINDL_DOC_DEVICE_SIGNED,
			    &d) == MINDL_OK)
				touch_document(d);
			mindl_document_free(&d);
			if (mindl_document_parse(e, MINDL_DOC_DEVICE_SIGNED |
			    MINDL_DOC_FIDO2, &d) == MINDL_OK)
				touch_document(d);
			mindl_document_free(&d);
		}
	}
	if (mindl_document_parse(root, 0, &d) == MINDL_OK)
		touch_document(d);
	mindl_document_free(&d);
	mindl_cbor_free(&doc);
	if (mindl_device_request_parse(data, size, &q) == MINDL_OK)
		(void)mindl_request_reader_auth(q, 0);
	mindl_request_free(&q);
	return 0;
}
