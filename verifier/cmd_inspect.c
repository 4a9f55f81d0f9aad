/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-verifier inspect: an UNVERIFIED dump of a request, response,
 * credential, bare DeviceResponse or DeviceRequest, for operators and
 * reviewers who need to see what a file holds.  Nothing here is checked:
 * no signature, no digest, no validity; every output starts by saying so.
 * The file is parsed by core's own parsers (the ones verification uses),
 * so a part that is malformed is reported with the error a verifier would
 * give; untrusted text is escaped (mindl_value_json, cli_print_safe).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "verifier.h"

#define UNVERIFIED_LINE	"UNVERIFIED: nothing below has been checked"

struct ictx {
	int		json;
	struct jw	w;
	int		bad;	/* some part did not decode */
	int		err;	/* the first such part's error, if known */
};

/* Text mode: "(malformed: NAME)"; JSON: {"error": NAME}. */
static void
emit_bad(struct ictx *c, const char *what, int err)
{
	c->bad = 1;
	if (c->err == MINDL_OK)
		c->err = err;
	if (c->json) {
		jw_obj(&c->w);
		jw_key(&c->w, "error");
		jw_str(&c->w, mindl_errname(err));
		jw_end_obj(&c->w);
	} else
		printf("  %s: (malformed: %s)\n", what, mindl_errname(err));
}

/* A tstr for text output, escaped; "?" for anything else. */
static void
text_str(const struct mindl_cbor_item *it)
{
	if (it != NULL && it->type == MINDL_CBOR_TSTR)
		cli_print_safen(stdout, it->ptr, it->len);
	else
		fputs("?", stdout);
}

static void
json_tstr(struct ictx *c, const struct mindl_cbor_item *it)
{
	if (it != NULL && it->type == MINDL_CBOR_TSTR)
		jw_strn(&c->w, it->ptr, it->len);
	else
		jw_null(&c->w);
}

/* A value: JSON as core renders it; text shortens byte strings. */
static void
emit_value(struct ictx *c, const struct mindl_cbor_item *it)
{
	struct mindl_buf b;
	int r;

	if (it == NULL) {
		if (c->json)
			jw_null(&c->w);
		else
			fputs("(absent)", stdout);
		return;
	}
	if (!c->json && it->type == MINDL_CBOR_BSTR) {
		printf("<%zu bytes%s>", it->len, it->len >= 3 &&
		    it->ptr[0] == 0xff && it->ptr[1] == 0xd8 &&
		    it->ptr[2] == 0xff ? ", JPEG" : "");
		return;
	}
	if (c->json) {
		if (jw_value(&c->w, it) != MINDL_OK)
			c->bad = 1;
		return;
	}
	mindl_buf_init(&b, 2 * MINDL_MAX_INPUT);
	if ((r = mindl_value_json(it, &b)) != MINDL_OK) {
		c->bad = 1;
		printf("(unprintable: %s)", mindl_errname(r));
	} else
		cli_print_quoted(stdout, mindl_buf_str(&b));
	mindl_buf_clear(&b);
}

static void
emit_tdate(struct ictx *c, const char *key, int64_t t)
{
	char s[MINDL_TDATE_LEN + 1];

	if (mindl_tdate_format(t, s) != MINDL_OK)
		(void)snprintf(s, sizeof(s), "?");
	if (c->json) {
		jw_key(&c->w, key);
		jw_str(&c->w, s);
	} else
		printf(" %s %s", key, s);
}

/* validityInfo, as parsed. */
static void
emit_validity(struct ictx *c, const struct mindl_mso *mso)
{
	struct mindl_mso_validity v;

	mindl_mso_validity(mso, &v);
	if (c->json)
		jw_obj(&c->w);
	emit_tdate(c, "signed", v.signed_at);
	emit_tdate(c, "validFrom", v.valid_from);
	emit_tdate(c, "validUntil", v.valid_until);
	if (v.has_expected_update)
		emit_tdate(c, "expectedUpdate", v.expected_update);
	if (c->json)
		jw_end_obj(&c->w);
}

/* The MSO inside issuerAuth: what it claims, not whether it is true. */
static void
walk_mso(struct ictx *c, const struct mindl_mso *mso)
{
	const struct mindl_cbor_item *ns;
	size_t i, nx5 = mindl_mso_sign1(mso)->nx5;

	if (c->json) {
		jw_obj(&c->w);
		jw_key(&c->w, "version");
		json_tstr(c, mindl_mso_version(mso));
		jw_key(&c->w, "digestAlgorithm");
		json_tstr(c, mindl_mso_digest_alg(mso));
		jw_key(&c->w, "docType");
		json_tstr(c, mindl_mso_doctype(mso));
		jw_key(&c->w, "validityInfo");
		emit_validity(c, mso);
		if (mindl_mso_status_map(mso) != NULL) {
			jw_key(&c->w, "status");
			emit_value(c, mindl_mso_status_map(mso));
		}
		jw_key(&c->w, "digests");
		jw_obj(&c->w);
	} else {
		printf("  mso: version ");
		text_str(mindl_mso_version(mso));
		printf(", digestAlgorithm ");
		text_str(mindl_mso_digest_alg(mso));
		printf(", docType ");
		text_str(mindl_mso_doctype(mso));
		printf(", x5chain %zu certificate%s\n  mso validityInfo:",
		    nx5, nx5 == 1 ? "" : "s");
		emit_validity(c, mso);
		if (mindl_mso_status_map(mso) != NULL) {
			printf("\n  mso status: ");
			emit_value(c, mindl_mso_status_map(mso));
		}
		printf("\n  mso digests:");
	}
	for (i = 0; i < mindl_mso_ns_count(mso); i++) {
		ns = mindl_mso_ns_name(mso, i);
		if (c->json) {
			jw_keyn(&c->w, ns->ptr, ns->len);
			jw_uint(&c->w, mindl_mso_ns_digests(mso, i));
		} else {
			printf(" ");
			cli_print_safen(stdout, ns->ptr, ns->len);
			printf(" %zu", mindl_mso_ns_digests(mso, i));
		}
	}
	if (c->json) {
		jw_end_obj(&c->w);
		jw_key(&c->w, "x5chain");
		jw_uint(&c->w, nx5);
		jw_end_obj(&c->w);
	} else
		printf("\n");
}

static void
emit_element(struct ictx *c, const char *label,
    const struct mindl_cbor_item *ns, const struct mindl_cbor_item *id,
    const uint64_t *digest_id, const struct mindl_cbor_item *val)
{
	if (c->json) {
		jw_obj(&c->w);
		jw_key(&c->w, "namespace");
		json_tstr(c, ns);
		jw_key(&c->w, "identifier");
		json_tstr(c, id);
		if (digest_id != NULL) {
			jw_key(&c->w, "digestID");
			jw_uint(&c->w, *digest_id);
		}
		jw_key(&c->w, "value");
		emit_value(c, val);
		jw_end_obj(&c->w);
		return;
	}
	printf("  %s ", label);
	text_str(ns);
	putchar('/');
	text_str(id);
	if (digest_id != NULL)
		printf(" (digestID %llu)", (unsigned long long)*digest_id);
	printf(": ");
	emit_value(c, val);
	putchar('\n');
}

/* issuerSigned.nameSpaces, as parsed. */
static void
walk_issuer_items(struct ictx *c, const struct mindl_issuer_signed *is)
{
	const struct mindl_issuer_item *ii;
	size_t i;

	if (c->json)
		jw_arr(&c->w);
	else if (mindl_issuer_signed_count(is) == 0)
		printf("  issuer-signed: (none)\n");
	for (i = 0; i < mindl_issuer_signed_count(is); i++) {
		ii = mindl_issuer_signed_item(is, i);
		emit_element(c, "issuer-signed", ii->ns, ii->element,
		    &ii->digest_id, ii->value);
	}
	if (c->json)
		jw_end_arr(&c->w);
}

/* deviceSigned.nameSpaces: {ns: {id: value}}, as parsed. */
static void
walk_device_items(struct ictx *c, const struct mindl_device_signed *ds)
{
	struct mindl_cbor_iter i, j;
	const struct mindl_cbor_item *k, *m, *ek, *ev;
	int any = 0;

	if (c->json)
		jw_arr(&c->w);
	(void)mindl_cbor_iter_init(&i, mindl_device_signed_ns(ds),
	    MINDL_CBOR_MAP);
	while (mindl_cbor_iter_pair(&i, &k, &m)) {
		(void)mindl_cbor_iter_init(&j, m, MINDL_CBOR_MAP);
		while (mindl_cbor_iter_pair(&j, &ek, &ev)) {
			emit_element(c, "device-signed", k, ek, NULL, ev);
			any = 1;
		}
	}
	if (!c->json && !any)
		printf("  device-signed: (none)\n");
	if (c->json)
		jw_end_arr(&c->w);
}

static const char *
device_auth_kind(const struct mindl_device_signed *ds)
{
	switch (mindl_device_signed_kind(ds)) {
	case MINDL_DEVAUTH_MAC:
		return "deviceMac";
	case MINDL_DEVAUTH_SIGNATURE:
		return "deviceSignature";
	case MINDL_DEVAUTH_FIDO2:
		return MINDL_DEVAUTH_FIDO2_KEY;
	}
	return "unknown";
}

/* One Document, or one credential entry (no deviceSigned). */
static void
walk_document(struct ictx *c, const struct mindl_cbor_item *item, size_t n)
{
	const struct mindl_issuer_signed *is;
	const struct mindl_device_signed *ds;
	struct mindl_document *d = NULL;
	const uint8_t *fid;
	size_t fidlen;
	int r;

	/* A security key's DeviceSigned is shown for what it is. */
	if ((r = mindl_document_parse(item, MINDL_DOC_FIDO2, &d)) !=
	    MINDL_OK) {
		emit_bad(c, "document", r);
		return;
	}
	mindl_document_fido_id(d, &fid, &fidlen);
	is = mindl_document_issuer_signed(d);
	ds = mindl_document_device_signed(d);
	if (c->json) {
		jw_obj(&c->w);
		jw_key(&c->w, "docType");
		jw_str(&c->w, mindl_document_doctype_str(d));
		jw_key(&c->w, "mso");
	} else {
		printf("document %zu: docType ", n);
		cli_print_safe(stdout, mindl_document_doctype_str(d));
		putchar('\n');
	}
	walk_mso(c, mindl_issuer_signed_mso(is));
	if (c->json)
		jw_key(&c->w, "issuer_signed");
	walk_issuer_items(c, is);
	/* Its size only: the id names the holder's key credential. */
	if (c->json) {
		jw_key(&c->w, "fido2_credential_id_bytes");
		if (fid != NULL)
			jw_uint(&c->w, fidlen);
		else
			jw_null(&c->w);
	} else if (fid != NULL)
		printf("  bound to a security key: credential id of %zu "
		    "bytes\n", fidlen);
	if (ds != NULL) {
		if (c->json)
			jw_key(&c->w, "device_signed");
		walk_device_items(c, ds);
		if (c->json) {
			jw_key(&c->w, "device_auth");
			jw_str(&c->w, device_auth_kind(ds));
		} else
			printf("  device auth: %s\n", device_auth_kind(ds));
	}
	if (c->json)
		jw_end_obj(&c->w);
	mindl_document_free(&d);
}

/* A list of documents: DeviceResponse.documents or a credential file. */
static void
walk_documents(struct ictx *c, const struct mindl_cbor_item *docs)
{
	struct mindl_cbor_iter i;
	const struct mindl_cbor_item *d;
	size_t n = 0;

	if (c->json) {
		jw_key(&c->w, "documents");
		jw_arr(&c->w);
	}
	if (docs == NULL) {
		if (!c->json)
			printf("documents: (none)\n");
	} else {
		(void)mindl_cbor_iter_init(&i, docs, MINDL_CBOR_ARRAY);
		while ((d = mindl_cbor_iter_next(&i)) != NULL)
			walk_document(c, d, ++n);
	}
	if (c->json)
		jw_end_arr(&c->w);
}

static void
walk_device_response(struct ictx *c, const struct mindl_cbor_item *dr)
{
	const struct mindl_cbor_item *docs;
	uint64_t status;
	int r;

	r = mindl_device_response_documents(dr, &docs, &status);
	if (r != MINDL_OK && r != MINDL_ERR_NO_DOCUMENT) {
		if (c->json)
			jw_key(&c->w, "deviceResponse");
		emit_bad(c, "deviceResponse", r);
		return;
	}
	if (c->json) {
		jw_key(&c->w, "version");
		jw_str(&c->w, "1.0");
		jw_key(&c->w, "status");
		jw_uint(&c->w, status);
	} else
		printf("version: 1.0\nstatus: %llu\n",
		    (unsigned long long)status);
	walk_documents(c, docs);
}

/* Requested element i: namespace, identifier, intent_to_retain. */
static void
emit_requested(struct ictx *c, const struct mindl_request *req, size_t i)
{
	const char *ns, *id;
	int retain;

	mindl_request_element(req, i, &ns, &id, &retain);
	if (c->json) {
		jw_obj(&c->w);
		jw_key(&c->w, "namespace");
		jw_str(&c->w, ns);
		jw_key(&c->w, "identifier");
		jw_str(&c->w, id);
		jw_key(&c->w, "intent_to_retain");
		jw_bool(&c->w, retain);
		jw_end_obj(&c->w);
		return;
	}
	printf("  ");
	cli_print_safe(stdout, ns);
	putchar('/');
	cli_print_safe(stdout, id);
	printf(" (intent_to_retain %s)\n", retain ? "true" : "false");
}

/* mindl's request file, through core's request parser. */
static int
show_request(struct ictx *c, const uint8_t *buf, size_t len)
{
	struct mindl_request *req = NULL;
	const char *prof;
	size_t i;
	int r;

	if ((r = mindl_request_parse(buf, len, &req)) != MINDL_OK)
		return r;
	prof = mindl_request_profile(req);
	if (c->json) {
		jw_key(&c->w, "profile");
		jw_str(&c->w, prof);
		jw_key(&c->w, "docType");
		jw_str(&c->w, mindl_request_doctype(req));
		jw_key(&c->w, "elements");
		jw_arr(&c->w);
	} else {
		printf("profile: ");
		cli_print_safe(stdout, prof != NULL ? prof : "(none)");
		printf("\ndocType: ");
		cli_print_safe(stdout, mindl_request_doctype(req));
		putchar('\n');
	}
	for (i = 0; i < mindl_request_count(req); i++)
		emit_requested(c, req, i);
	if (c->json)
		jw_end_arr(&c->w);
	mindl_request_free(&req);
	return MINDL_OK;
}

/* A bare DeviceRequest (another reader's, e.g. Annex D D.4.1.1). */
static int
show_device_request(struct ictx *c, const uint8_t *buf, size_t len)
{
	struct mindl_request *req = NULL;
	size_t d, i;
	int r, ra;

	if ((r = mindl_device_request_parse(buf, len, &req)) != MINDL_OK)
		return r;
	if (c->json) {
		jw_key(&c->w, "version");
		jw_str(&c->w, "1.0");
		jw_key(&c->w, "doc_requests");
		jw_arr(&c->w);
	} else
		printf("version: 1.0\n");
	for (d = 0; d < mindl_request_docs(req); d++) {
		ra = mindl_request_reader_auth(req, d) != NULL;
		if (c->json) {
			jw_obj(&c->w);
			jw_key(&c->w, "docType");
			jw_str(&c->w, mindl_request_doc_doctype(req, d));
			jw_key(&c->w, "reader_auth");
			jw_bool(&c->w, ra);
			jw_key(&c->w, "elements");
			jw_arr(&c->w);
		} else {
			printf("doc request %zu: docType ", d + 1);
			cli_print_safe(stdout, mindl_request_doc_doctype(req, d));
			printf("%s\n", ra ? " (with readerAuth)" : "");
		}
		for (i = 0; i < mindl_request_count(req); i++) {
			if (mindl_request_element_doc(req, i) != d)
				continue;
			emit_requested(c, req, i);
		}
		if (c->json) {
			jw_end_arr(&c->w);
			jw_end_obj(&c->w);
		}
	}
	if (c->json)
		jw_end_arr(&c->w);
	mindl_request_free(&req);
	return MINDL_OK;
}

static void
emit_type(struct ictx *c, const char *type)
{
	if (c->json) {
		jw_key(&c->w, "type");
		jw_str(&c->w, type);
	} else
		printf("type: %s\n", type);
}

int
cmd_inspect(const struct cli_args *a)
{
	struct ictx c;
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *root, *eng, *dr;
	enum mindl_file_kind kind;
	const char *path;
	uint8_t *buf = NULL;
	size_t len = 0;
	int r, rc;

	memset(&c, 0, sizeof(c));
	c.json = a->json;
	path = a->pos[0];
	if ((r = read_bin_or_hex(path, &buf, &len)) != MINDL_OK)
		return cli_failx(r == MINDL_ERR_TOO_LARGE ? 1 : 3, path, r,
		    "%s", mindl_strerr(r));
	if ((r = mindl_cbor_decode(buf, len, &doc)) != MINDL_OK) {
		rc = cli_failx(1, path, r, "not decodable: %s",
		    mindl_strerr(r));
		goto out;
	}
	root = mindl_cbor_root(doc);
	if (c.json) {
		jw_init(&c.w, stdout);
		jw_obj(&c.w);
		jw_key(&c.w, "verified");
		jw_bool(&c.w, 0);
	} else
		printf("%s\n", UNVERIFIED_LINE);
	kind = mindl_file_kind(root);
	emit_type(&c, mindl_file_kind_name(kind));
	switch (kind) {
	case MINDL_FILE_REQUEST:
	case MINDL_FILE_DEVICE_REQUEST:
		r = kind == MINDL_FILE_REQUEST ? show_request(&c, buf, len) :
		    show_device_request(&c, buf, len);
		if (r != MINDL_OK) {
			c.bad = 1;
			c.err = r;
			/* In JSON the object's own "error" names it, below. */
			if (!c.json)
				printf("%s: (malformed: %s)\n",
				    mindl_file_kind_name(kind),
				    mindl_errname(r));
		}
		break;
	case MINDL_FILE_RESPONSE:
		if ((r = mindl_response_envelope(root, &eng, &dr)) !=
		    MINDL_OK) {
			if (c.json)
				jw_key(&c.w, "deviceResponse");
			emit_bad(&c, "response", r);
		} else
			walk_device_response(&c, dr);
		break;
	case MINDL_FILE_DEVICE_RESPONSE:
		walk_device_response(&c, root);
		break;
	case MINDL_FILE_CREDENTIAL:
		walk_documents(&c, root);
		break;
	case MINDL_FILE_DOCUMENT:
		if (c.json) {
			jw_key(&c.w, "documents");
			jw_arr(&c.w);
		}
		walk_document(&c, root, 1);
		if (c.json)
			jw_end_arr(&c.w);
		break;
	case MINDL_FILE_UNKNOWN:
		if (c.json)
			jw_key(&c.w, "value");
		else
			printf("value: ");
		emit_value(&c, root);
		if (!c.json)
			putchar('\n');
		break;
	}
	if (c.json) {
		/* The failure keys every tool's --json object has. */
		jw_key(&c.w, "ok");
		jw_bool(&c.w, !c.bad);
		if (c.bad) {
			if (c.err == MINDL_OK)
				c.err = MINDL_ERR_CBOR;
			jw_key(&c.w, "error");
			jw_str(&c.w, mindl_errname(c.err));
			jw_key(&c.w, "message");
			jw_str(&c.w, "a part of the file does not decode");
		}
		jw_end_obj(&c.w);
		jw_done(&c.w);
	}
	rc = c.bad ? 1 : 0;
	if (fflush(stdout) != 0)
		rc = cli_fail("stdout", MINDL_ERR_IO);
 out:
	mindl_cbor_free(&doc);
	if (buf != NULL)
		mindl_freezero(buf, len);
	return rc;
}
