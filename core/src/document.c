/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the containers around what an issuer signs: a Document (of a
 * DeviceResponse, or an entry of a credential file), a DeviceResponse,
 * mindl's response envelope, and what kind of file a decoded root is.
 * Every caller (verification, presentation, audit, inspection) goes
 * through these, so that they agree on what is well formed.
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/cbor.h"
#include "mindl/devauth.h"
#include "mindl/err.h"
#include "mindl/key.h"
#include "mindl/mdoc.h"
#include "mindl/mso.h"
#include "internal.h"

struct mindl_document {
	const struct mindl_cbor_item	*item;
	const struct mindl_cbor_item	*doctype;
	char				*doctype_str;
	struct mindl_issuer_signed	*is;
	struct mindl_device_signed	*ds;
	const struct mindl_cbor_item	*fido_id;	/* bstr or NULL */
};

void
mindl_document_free(struct mindl_document **dp)
{
	struct mindl_document *d;

	if (dp == NULL || (d = *dp) == NULL)
		return;
	mindl_issuer_signed_free(&d->is);
	mindl_device_signed_free(&d->ds);
	free(d->doctype_str);
	free(d);
	*dp = NULL;
}

int
mindl_document_parse(const struct mindl_cbor_item *doc, unsigned flags,
    struct mindl_document **out)
{
	struct mindl_cbor_rd rd;
	struct mindl_document *d = NULL;
	const struct mindl_cbor_item *is, *ds;
	int r;

	*out = NULL;
	mindl_cbor_rd_init(&rd);
	if ((d = mindl_calloc(1, sizeof(*d))) == NULL)
		return MINDL_ERR_NOMEM;
	d->item = doc;
	(void)mindl_cbor_rd_type(&rd, doc, MINDL_CBOR_MAP, "Document");
	d->doctype = mindl_cbor_rd_get(&rd, doc, "docType", MINDL_CBOR_TSTR);
	is = mindl_cbor_rd_get(&rd, doc, "issuerSigned", MINDL_CBOR_ANY);
	if (flags & MINDL_DOC_DEVICE_SIGNED)
		ds = mindl_cbor_rd_get(&rd, doc, "deviceSigned",
		    MINDL_CBOR_ANY);
	else
		ds = mindl_cbor_rd_opt(&rd, doc, "deviceSigned",
		    MINDL_CBOR_ANY);
	d->fido_id = mindl_cbor_rd_opt(&rd, doc, MINDL_FIDO_ID_KEY,
	    MINDL_CBOR_BSTR);
	if (rd.err == MINDL_OK && d->fido_id != NULL && (d->fido_id->len ==
	    0 || d->fido_id->len > MINDL_FIDO_MAX_CRED_ID))
		rd.err = MINDL_ERR_CBOR_LIMIT;
	if ((r = rd.err) != MINDL_OK ||
	    (r = mindl_cbor_strdup(d->doctype, &d->doctype_str)) != MINDL_OK ||
	    (r = mindl_issuer_signed_parse(is, &d->is)) != MINDL_OK)
		goto fail;
	if (ds != NULL && (r = mindl_device_signed_parse(ds, &d->ds)) ==
	    MINDL_ERR_MISSING && (flags & MINDL_DOC_FIDO2))
		r = mindl_device_signed_parse_fido2(ds, &d->ds);
	if (ds != NULL && r != MINDL_OK)
		goto fail;
	*out = d;
	d = NULL;
 fail:
	mindl_document_free(&d);
	return r;
}

const struct mindl_cbor_item *
mindl_document_item(const struct mindl_document *d)
{
	return d->item;
}

const struct mindl_cbor_item *
mindl_document_doctype(const struct mindl_document *d)
{
	return d->doctype;
}

const char *
mindl_document_doctype_str(const struct mindl_document *d)
{
	return d->doctype_str;
}

const struct mindl_issuer_signed *
mindl_document_issuer_signed(const struct mindl_document *d)
{
	return d->is;
}

const struct mindl_device_signed *
mindl_document_device_signed(const struct mindl_document *d)
{
	return d->ds;
}

void
mindl_document_fido_id(const struct mindl_document *d, const uint8_t **id,
    size_t *len)
{
	*id = d->fido_id != NULL ? d->fido_id->ptr : NULL;
	*len = d->fido_id != NULL ? d->fido_id->len : 0;
}

int
mindl_device_response_documents(const struct mindl_cbor_item *dr,
    const struct mindl_cbor_item **docs, uint64_t *status)
{
	struct mindl_cbor_rd rd;
	const struct mindl_cbor_item *st, *a;

	*docs = NULL;
	*status = 0;
	mindl_cbor_rd_init(&rd);
	(void)mindl_cbor_rd_type(&rd, dr, MINDL_CBOR_MAP, "DeviceResponse");
	mindl_cbor_rd_text_is(&rd, dr, "version", "1.0", MINDL_ERR_VERSION);
	st = mindl_cbor_rd_get(&rd, dr, "status", MINDL_CBOR_UINT);
	a = mindl_cbor_rd_opt(&rd, dr, "documents", MINDL_CBOR_ARRAY);
	if (rd.err != MINDL_OK)
		return rd.err;
	*status = st->u;
	if (a == NULL || a->u == 0)
		return MINDL_ERR_NO_DOCUMENT;
	*docs = a;
	return MINDL_OK;
}

/*
 * The envelope's optional "readerKeyDigest": bstr .size 32, or NULL when
 * absent (files written before it existed, and other holders', have
 * none).  A wrong size is a wrong type, as CDDL's .size makes it one.
 */
static const struct mindl_cbor_item *
reader_key_digest(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *root)
{
	const struct mindl_cbor_item *d;

	d = mindl_cbor_rd_opt(rd, root, "readerKeyDigest", MINDL_CBOR_BSTR);
	if (d != NULL && d->len != MINDL_SHA256_LEN) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_CBOR_TYPE, "readerKeyDigest");
		return NULL;
	}
	return d;
}

int
mindl_response_envelope(const struct mindl_cbor_item *root,
    const struct mindl_cbor_item **engagement,
    const struct mindl_cbor_item **dr)
{
	struct mindl_cbor_rd rd;
	const struct mindl_cbor_item *v;

	*engagement = NULL;
	*dr = NULL;
	mindl_cbor_rd_init(&rd);
	(void)mindl_cbor_rd_type(&rd, root, MINDL_CBOR_MAP, "response");
	/* An envelope without version 1 is not one we know. */
	v = mindl_cbor_rd_opt(&rd, root, "v", MINDL_CBOR_ANY);
	if (rd.err == MINDL_OK && (v == NULL || v->type != MINDL_CBOR_UINT ||
	    v->u != 1))
		mindl_cbor_rd_fail(&rd, MINDL_ERR_VERSION, "v");
	*engagement = mindl_cbor_rd_get(&rd, root, "deviceEngagement",
	    MINDL_CBOR_BSTR);
	*dr = mindl_cbor_rd_get(&rd, root, "deviceResponse", MINDL_CBOR_ANY);
	/* Checked here so that every reader refuses a malformed one. */
	(void)reader_key_digest(&rd, root);
	if (rd.err != MINDL_OK)
		*engagement = *dr = NULL;
	return rd.err;
}

int
mindl_response_reader_key_digest(const struct mindl_cbor_item *root,
    const uint8_t **digest)
{
	struct mindl_cbor_rd rd;
	const struct mindl_cbor_item *d;

	*digest = NULL;
	mindl_cbor_rd_init(&rd);
	(void)mindl_cbor_rd_type(&rd, root, MINDL_CBOR_MAP, "response");
	d = reader_key_digest(&rd, root);
	if (rd.err == MINDL_OK && d != NULL)
		*digest = d->ptr;
	return rd.err;
}

/* A credential file: an array of {"docType", "issuerSigned", ...} maps. */
static int
is_credential(const struct mindl_cbor_item *root)
{
	const struct mindl_cbor_item *e;

	if (root->type != MINDL_CBOR_ARRAY || root->u == 0)
		return 0;
	e = mindl_cbor_child(root);
	return e->type == MINDL_CBOR_MAP &&
	    mindl_cbor_map_get(e, "issuerSigned") != NULL;
}

enum mindl_file_kind
mindl_file_kind(const struct mindl_cbor_item *root)
{
	if (root == NULL)
		return MINDL_FILE_UNKNOWN;
	if (is_credential(root))
		return MINDL_FILE_CREDENTIAL;
	if (root->type != MINDL_CBOR_MAP)
		return MINDL_FILE_UNKNOWN;
	if (mindl_cbor_map_get(root, "eReaderKey") != NULL &&
	    mindl_cbor_map_get(root, "deviceRequest") != NULL)
		return MINDL_FILE_REQUEST;
	if (mindl_cbor_map_get(root, "deviceResponse") != NULL)
		return MINDL_FILE_RESPONSE;
	if (mindl_cbor_map_get(root, "documents") != NULL)
		return MINDL_FILE_DEVICE_RESPONSE;
	if (mindl_cbor_map_get(root, "docRequests") != NULL)
		return MINDL_FILE_DEVICE_REQUEST;
	if (mindl_cbor_map_get(root, "issuerSigned") != NULL)
		return MINDL_FILE_DOCUMENT;
	return MINDL_FILE_UNKNOWN;
}

const char *
mindl_file_kind_name(enum mindl_file_kind k)
{
	switch (k) {
	case MINDL_FILE_CREDENTIAL:
		return "credential";
	case MINDL_FILE_REQUEST:
		return "request";
	case MINDL_FILE_RESPONSE:
		return "response";
	case MINDL_FILE_DEVICE_REQUEST:
		return "device-request";
	case MINDL_FILE_DEVICE_RESPONSE:
		return "device-response";
	case MINDL_FILE_DOCUMENT:
		return "document";
	case MINDL_FILE_UNKNOWN:
		break;
	}
	return "unknown";
}

int
mindl_file_documents(const struct mindl_cbor_item *root,
    const struct mindl_cbor_item **docs,
    const struct mindl_cbor_item **engagement)
{
	const struct mindl_cbor_item *dr;
	uint64_t status;
	int r;

	*docs = NULL;
	*engagement = NULL;
	switch (mindl_file_kind(root)) {
	case MINDL_FILE_CREDENTIAL:
		*docs = root;
		return MINDL_OK;
	case MINDL_FILE_RESPONSE:
		if ((r = mindl_response_envelope(root, engagement, &dr)) !=
		    MINDL_OK)
			return r;
		break;
	case MINDL_FILE_DEVICE_RESPONSE:
		dr = root;
		break;
	default:
		/* A map or an empty list holds no document; the rest is junk. */
		if (root != NULL && (root->type == MINDL_CBOR_MAP ||
		    (root->type == MINDL_CBOR_ARRAY && root->u == 0)))
			return MINDL_ERR_NO_DOCUMENT;
		return MINDL_ERR_CBOR_TYPE;
	}
	if ((r = mindl_device_response_documents(dr, docs, &status)) !=
	    MINDL_OK)
		*engagement = NULL;
	return r;
}
