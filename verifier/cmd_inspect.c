/*
 * mindl-verifier inspect: an UNVERIFIED dump of a request, response,
 * credential, bare DeviceResponse or DeviceRequest, for operators and
 * reviewers who need to see what a file holds.  Nothing here is checked:
 * no signature, no digest, no validity; every output starts by saying so.
 * The file is decoded by core's strict decoder and walked for display
 * only; untrusted text is escaped (mindl_value_json, print_safe).
 */
#include <getopt.h>
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
};

/* Text mode: "(malformed: NAME)"; JSON: {"error": NAME}. */
static void
emit_bad(struct ictx *c, const char *what, int err)
{
	c->bad = 1;
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
	char *s = NULL;
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
	if ((r = mindl_value_json(it, &s)) != MINDL_OK) {
		c->bad = 1;
		if (c->json)
			jw_null(&c->w);
		else
			printf("(unprintable: %s)", mindl_errname(r));
		return;
	}
	if (c->json)
		jw_raw(&c->w, s);
	else
		fputs(s, stdout);
	free(s);
}

/* Decodes #6.24(bstr .cbor X) into its own document. */
static int
decode_embedded(const struct mindl_cbor_item *it, struct mindl_cbor **out)
{
	const struct mindl_cbor_item *b;

	*out = NULL;
	if (it == NULL)
		return MINDL_ERR_MISSING;
	if ((b = mindl_cbor_untag(it, 24)) == NULL)
		return MINDL_ERR_CBOR_TAG;
	return mindl_cbor_decode(b->ptr, b->len, out);
}

/* The MSO inside issuerAuth: what it claims, not whether it is true. */
static void
walk_mso(struct ictx *c, const struct mindl_cbor_item *ia)
{
	struct mindl_cose_msg m;
	struct mindl_cbor *pdoc = NULL, *mdoc = NULL;
	const struct mindl_cbor_item *mso, *vd, *k, *v;
	uint64_t i;
	int r;

	memset(&m, 0, sizeof(m));
	if (ia == NULL) {
		emit_bad(c, "mso", MINDL_ERR_MISSING);
		return;
	}
	if ((r = mindl_cose_parse(ia, &m)) != MINDL_OK ||
	    (r = m.payload == NULL ? MINDL_ERR_MISSING : MINDL_OK) !=
	    MINDL_OK ||
	    (r = mindl_cbor_decode(m.payload, m.payloadlen, &pdoc)) !=
	    MINDL_OK ||
	    (r = decode_embedded(mindl_cbor_root(pdoc), &mdoc)) != MINDL_OK) {
		emit_bad(c, "mso", r);
		goto out;
	}
	mso = mindl_cbor_root(mdoc);
	if (mso->type != MINDL_CBOR_MAP) {
		emit_bad(c, "mso", MINDL_ERR_CBOR_TYPE);
		goto out;
	}
	vd = mindl_cbor_map_get(mso, "valueDigests");
	if (c->json) {
		jw_obj(&c->w);
		jw_key(&c->w, "version");
		json_tstr(c, mindl_cbor_map_get(mso, "version"));
		jw_key(&c->w, "digestAlgorithm");
		json_tstr(c, mindl_cbor_map_get(mso, "digestAlgorithm"));
		jw_key(&c->w, "docType");
		json_tstr(c, mindl_cbor_map_get(mso, "docType"));
		jw_key(&c->w, "validityInfo");
		emit_value(c, mindl_cbor_map_get(mso, "validityInfo"));
		if (mindl_cbor_map_get(mso, "status") != NULL) {
			jw_key(&c->w, "status");
			emit_value(c, mindl_cbor_map_get(mso, "status"));
		}
		jw_key(&c->w, "digests");
		jw_obj(&c->w);
	} else {
		printf("  mso: version ");
		text_str(mindl_cbor_map_get(mso, "version"));
		printf(", digestAlgorithm ");
		text_str(mindl_cbor_map_get(mso, "digestAlgorithm"));
		printf(", docType ");
		text_str(mindl_cbor_map_get(mso, "docType"));
		printf(", x5chain %zu certificate%s\n  mso validityInfo: ",
		    m.nx5, m.nx5 == 1 ? "" : "s");
		emit_value(c, mindl_cbor_map_get(mso, "validityInfo"));
		if (mindl_cbor_map_get(mso, "status") != NULL) {
			printf("\n  mso status: ");
			emit_value(c, mindl_cbor_map_get(mso, "status"));
		}
		printf("\n  mso digests:");
	}
	if (vd != NULL && vd->type == MINDL_CBOR_MAP) {
		for (i = 0, k = mindl_cbor_child(vd); i < vd->u; i++) {
			v = mindl_cbor_next(k);
			if (k->type == MINDL_CBOR_TSTR) {
				if (c->json) {
					jw_keyn(&c->w, k->ptr, k->len);
					jw_uint(&c->w, v->type ==
					    MINDL_CBOR_MAP ? v->u : 0);
				} else {
					printf(" ");
					cli_print_safen(stdout, k->ptr, k->len);
					printf(" %llu", (unsigned long long)
					    (v->type == MINDL_CBOR_MAP ?
					    v->u : 0));
				}
			}
			k = mindl_cbor_next(v);
		}
	}
	if (c->json) {
		jw_end_obj(&c->w);
		jw_key(&c->w, "x5chain");
		jw_uint(&c->w, m.nx5);
		jw_end_obj(&c->w);
	} else
		printf("\n");
 out:
	mindl_cose_clear(&m);
	mindl_cbor_free(&mdoc);
	mindl_cbor_free(&pdoc);
}

static void
emit_element(struct ictx *c, const char *label,
    const struct mindl_cbor_item *ns, const struct mindl_cbor_item *id,
    const struct mindl_cbor_item *digest_id, const struct mindl_cbor_item *val)
{
	int64_t did;

	if (c->json) {
		jw_obj(&c->w);
		jw_key(&c->w, "namespace");
		json_tstr(c, ns);
		jw_key(&c->w, "identifier");
		json_tstr(c, id);
		if (digest_id != NULL) {
			jw_key(&c->w, "digestID");
			emit_value(c, digest_id);
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
	if (digest_id != NULL && mindl_cbor_int(digest_id, &did) == MINDL_OK)
		printf(" (digestID %lld)", (long long)did);
	printf(": ");
	emit_value(c, val);
	putchar('\n');
}

/* issuerSigned.nameSpaces: {ns: [#6.24(IssuerSignedItem)]}. */
static void
walk_issuer_items(struct ictx *c, const struct mindl_cbor_item *nss)
{
	const struct mindl_cbor_item *k, *arr, *it, *root;
	struct mindl_cbor *idoc;
	uint64_t i, j;
	int r;

	if (c->json)
		jw_arr(&c->w);
	if (nss == NULL || nss->type != MINDL_CBOR_MAP) {
		if (nss != NULL)
			emit_bad(c, "issuer-signed", MINDL_ERR_CBOR_TYPE);
		else if (!c->json)
			printf("  issuer-signed: (none)\n");
		goto out;
	}
	for (i = 0, k = mindl_cbor_child(nss); i < nss->u; i++) {
		arr = mindl_cbor_next(k);
		if (arr->type != MINDL_CBOR_ARRAY) {
			emit_bad(c, "issuer-signed", MINDL_ERR_CBOR_TYPE);
			k = mindl_cbor_next(arr);
			continue;
		}
		for (j = 0, it = mindl_cbor_child(arr); j < arr->u; j++) {
			if ((r = decode_embedded(it, &idoc)) != MINDL_OK)
				emit_bad(c, "issuer-signed item", r);
			else if ((root = mindl_cbor_root(idoc))->type !=
			    MINDL_CBOR_MAP)
				emit_bad(c, "issuer-signed item",
				    MINDL_ERR_CBOR_TYPE);
			else
				emit_element(c, "issuer-signed", k,
				    mindl_cbor_map_get(root,
				    "elementIdentifier"),
				    mindl_cbor_map_get(root, "digestID"),
				    mindl_cbor_map_get(root, "elementValue"));
			mindl_cbor_free(&idoc);
			it = mindl_cbor_next(it);
		}
		k = mindl_cbor_next(arr);
	}
 out:
	if (c->json)
		jw_end_arr(&c->w);
}

/* deviceSigned.nameSpaces: #6.24({ns: {id: value}}). */
static void
walk_device_items(struct ictx *c, const struct mindl_cbor_item *dns)
{
	const struct mindl_cbor_item *root, *k, *m, *ek, *ev;
	struct mindl_cbor *ddoc = NULL;
	uint64_t i, j;
	int r, any = 0;

	if (c->json)
		jw_arr(&c->w);
	if (dns == NULL)
		goto out;
	if ((r = decode_embedded(dns, &ddoc)) != MINDL_OK) {
		emit_bad(c, "device-signed", r);
		goto out;
	}
	root = mindl_cbor_root(ddoc);
	if (root->type != MINDL_CBOR_MAP) {
		emit_bad(c, "device-signed", MINDL_ERR_CBOR_TYPE);
		goto out;
	}
	for (i = 0, k = mindl_cbor_child(root); i < root->u; i++) {
		m = mindl_cbor_next(k);
		if (m->type == MINDL_CBOR_MAP)
			for (j = 0, ek = mindl_cbor_child(m); j < m->u; j++) {
				ev = mindl_cbor_next(ek);
				emit_element(c, "device-signed", k, ek, NULL,
				    ev);
				any = 1;
				ek = mindl_cbor_next(ev);
			}
		else
			emit_bad(c, "device-signed", MINDL_ERR_CBOR_TYPE);
		k = mindl_cbor_next(m);
	}
 out:
	if (!c->json && !any)
		printf("  device-signed: (none)\n");
	if (c->json)
		jw_end_arr(&c->w);
	mindl_cbor_free(&ddoc);
}

static const char *
device_auth_kind(const struct mindl_cbor_item *ds)
{
	const struct mindl_cbor_item *da;

	da = mindl_cbor_map_get(ds, "deviceAuth");
	if (mindl_cbor_map_get(da, "deviceMac") != NULL)
		return "deviceMac";
	if (mindl_cbor_map_get(da, "deviceSignature") != NULL)
		return "deviceSignature";
	return NULL;
}

/* One Document, or one credential entry (no deviceSigned). */
static void
walk_document(struct ictx *c, const struct mindl_cbor_item *doc, size_t n)
{
	const struct mindl_cbor_item *is, *ds;
	const char *kind;

	if (doc->type != MINDL_CBOR_MAP) {
		emit_bad(c, "document", MINDL_ERR_CBOR_TYPE);
		return;
	}
	is = mindl_cbor_map_get(doc, "issuerSigned");
	ds = mindl_cbor_map_get(doc, "deviceSigned");
	kind = ds != NULL ? device_auth_kind(ds) : NULL;
	if (c->json) {
		jw_obj(&c->w);
		jw_key(&c->w, "docType");
		json_tstr(c, mindl_cbor_map_get(doc, "docType"));
		jw_key(&c->w, "mso");
	} else {
		printf("document %zu: docType ", n);
		text_str(mindl_cbor_map_get(doc, "docType"));
		putchar('\n');
	}
	walk_mso(c, mindl_cbor_map_get(is, "issuerAuth"));
	if (c->json)
		jw_key(&c->w, "issuer_signed");
	walk_issuer_items(c, mindl_cbor_map_get(is, "nameSpaces"));
	if (ds != NULL) {
		if (c->json)
			jw_key(&c->w, "device_signed");
		walk_device_items(c, mindl_cbor_map_get(ds, "nameSpaces"));
		if (c->json) {
			jw_key(&c->w, "device_auth");
			jw_str(&c->w, kind);
		} else
			printf("  device auth: %s\n",
			    kind != NULL ? kind : "(none)");
	}
	if (c->json)
		jw_end_obj(&c->w);
}

/* A list of documents: DeviceResponse.documents or a credential file. */
static void
walk_documents(struct ictx *c, const struct mindl_cbor_item *docs)
{
	const struct mindl_cbor_item *d;
	uint64_t i;

	if (c->json) {
		jw_key(&c->w, "documents");
		jw_arr(&c->w);
	}
	if (docs != NULL && docs->type == MINDL_CBOR_ARRAY)
		for (i = 0, d = mindl_cbor_child(docs); i < docs->u; i++) {
			walk_document(c, d, (size_t)i + 1);
			d = mindl_cbor_next(d);
		}
	else if (docs != NULL)
		emit_bad(c, "documents", MINDL_ERR_CBOR_TYPE);
	else if (!c->json)
		printf("documents: (none)\n");
	if (c->json)
		jw_end_arr(&c->w);
}

static void
walk_device_response(struct ictx *c, const struct mindl_cbor_item *dr)
{
	const struct mindl_cbor_item *st;

	if (dr == NULL || dr->type != MINDL_CBOR_MAP) {
		if (c->json)
			jw_key(&c->w, "deviceResponse");
		emit_bad(c, "deviceResponse", dr == NULL ? MINDL_ERR_MISSING :
		    MINDL_ERR_CBOR_TYPE);
		return;
	}
	st = mindl_cbor_map_get(dr, "status");
	if (c->json) {
		jw_key(&c->w, "version");
		json_tstr(c, mindl_cbor_map_get(dr, "version"));
		jw_key(&c->w, "status");
		emit_value(c, st);
	} else {
		printf("version: ");
		text_str(mindl_cbor_map_get(dr, "version"));
		printf("\nstatus: ");
		emit_value(c, st);
		putchar('\n');
	}
	walk_documents(c, mindl_cbor_map_get(dr, "documents"));
}

/* mindl's request file, through core's request parser. */
static int
show_request(struct ictx *c, const uint8_t *buf, size_t len)
{
	struct mindl_request *req = NULL;
	const char *ns, *id, *prof;
	size_t i;
	int r, retain;

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
	for (i = 0; i < mindl_request_count(req); i++) {
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
		} else {
			printf("  ");
			cli_print_safe(stdout, ns);
			putchar('/');
			cli_print_safe(stdout, id);
			printf(" (intent_to_retain %s)\n",
			    retain ? "true" : "false");
		}
	}
	if (c->json)
		jw_end_arr(&c->w);
	mindl_request_free(&req);
	return MINDL_OK;
}

/* A bare DeviceRequest (another reader's, e.g. Annex D D.4.1.1). */
static void
walk_device_request(struct ictx *c, const struct mindl_cbor_item *dr)
{
	const struct mindl_cbor_item *docs, *d, *root, *nss, *k, *m, *ek, *ev;
	struct mindl_cbor *idoc;
	uint64_t i, j, l;
	int r;

	docs = mindl_cbor_map_get(dr, "docRequests");
	if (c->json) {
		jw_key(&c->w, "version");
		json_tstr(c, mindl_cbor_map_get(dr, "version"));
		jw_key(&c->w, "doc_requests");
		jw_arr(&c->w);
	} else {
		printf("version: ");
		text_str(mindl_cbor_map_get(dr, "version"));
		putchar('\n');
	}
	if (docs == NULL || docs->type != MINDL_CBOR_ARRAY) {
		emit_bad(c, "docRequests", MINDL_ERR_MISSING);
		goto out;
	}
	for (i = 0, d = mindl_cbor_child(docs); i < docs->u; i++,
	    d = mindl_cbor_next(d)) {
		if ((r = decode_embedded(mindl_cbor_map_get(d, "itemsRequest"),
		    &idoc)) != MINDL_OK) {
			emit_bad(c, "itemsRequest", r);
			continue;
		}
		root = mindl_cbor_root(idoc);
		nss = mindl_cbor_map_get(root, "nameSpaces");
		if (c->json) {
			jw_obj(&c->w);
			jw_key(&c->w, "docType");
			json_tstr(c, mindl_cbor_map_get(root, "docType"));
			jw_key(&c->w, "reader_auth");
			jw_bool(&c->w, mindl_cbor_map_get(d, "readerAuth") !=
			    NULL);
			jw_key(&c->w, "elements");
			jw_arr(&c->w);
		} else {
			printf("doc request %llu: docType ",
			    (unsigned long long)i + 1);
			text_str(mindl_cbor_map_get(root, "docType"));
			printf("%s\n", mindl_cbor_map_get(d, "readerAuth") !=
			    NULL ? " (with readerAuth)" : "");
		}
		if (nss != NULL && nss->type == MINDL_CBOR_MAP)
			for (j = 0, k = mindl_cbor_child(nss); j < nss->u;
			    j++) {
				m = mindl_cbor_next(k);
				for (l = 0, ek = mindl_cbor_child(m);
				    m->type == MINDL_CBOR_MAP && l < m->u;
				    l++) {
					ev = mindl_cbor_next(ek);
					if (c->json) {
						jw_obj(&c->w);
						jw_key(&c->w, "namespace");
						json_tstr(c, k);
						jw_key(&c->w, "identifier");
						json_tstr(c, ek);
						jw_key(&c->w,
						    "intent_to_retain");
						emit_value(c, ev);
						jw_end_obj(&c->w);
					} else {
						printf("  ");
						text_str(k);
						putchar('/');
						text_str(ek);
						printf(" (intent_to_retain ");
						emit_value(c, ev);
						printf(")\n");
					}
					ek = mindl_cbor_next(ev);
				}
				k = mindl_cbor_next(m);
			}
		if (c->json) {
			jw_end_arr(&c->w);
			jw_end_obj(&c->w);
		}
		mindl_cbor_free(&idoc);
	}
 out:
	if (c->json)
		jw_end_arr(&c->w);
}

/* Is this a credential file: an array of {"docType", "issuerSigned"}? */
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
cmd_inspect(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	struct ictx c;
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *root;
	const char *path;
	uint8_t *buf = NULL;
	size_t len = 0;
	int ch, r, rc;

	memset(&c, 0, sizeof(c));
	while ((ch = getopt_long(argc, argv, "dhj", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			mindl_set_debug(1);
			break;
		case 'h':
			return cli_usage("inspect", 1);
		case 'j':
			c.json = 1;
			break;
		default:
			return cli_bad_option("inspect", argv);
		}
	}
	if (optind + 1 != argc)
		return cli_usage("inspect", 0);
	path = argv[optind];
	if ((r = read_bin_or_hex(path, &buf, &len)) != MINDL_OK) {
		cli_warn(path, "%s (%s)", mindl_strerr(r), mindl_errname(r));
		return r == MINDL_ERR_TOO_LARGE ? 1 : 3;
	}
	if ((r = mindl_cbor_decode(buf, len, &doc)) != MINDL_OK) {
		cli_warn(path, "not decodable: %s (%s)", mindl_strerr(r),
		    mindl_errname(r));
		rc = 1;
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
	if (root->type == MINDL_CBOR_MAP &&
	    mindl_cbor_map_get(root, "eReaderKey") != NULL &&
	    mindl_cbor_map_get(root, "deviceRequest") != NULL) {
		emit_type(&c, "request");
		if ((r = show_request(&c, buf, len)) != MINDL_OK) {
			c.bad = 1;
			if (c.json) {
				jw_key(&c.w, "error");
				jw_str(&c.w, mindl_errname(r));
			} else
				printf("request: (malformed: %s)\n",
				    mindl_errname(r));
		}
	} else if (root->type == MINDL_CBOR_MAP &&
	    mindl_cbor_map_get(root, "deviceResponse") != NULL) {
		emit_type(&c, "response");
		walk_device_response(&c, mindl_cbor_map_get(root,
		    "deviceResponse"));
	} else if (root->type == MINDL_CBOR_MAP &&
	    mindl_cbor_map_get(root, "documents") != NULL) {
		emit_type(&c, "device-response");
		walk_device_response(&c, root);
	} else if (root->type == MINDL_CBOR_MAP &&
	    mindl_cbor_map_get(root, "docRequests") != NULL) {
		emit_type(&c, "device-request");
		walk_device_request(&c, root);
	} else if (is_credential(root)) {
		emit_type(&c, "credential");
		walk_documents(&c, root);
	} else if (root->type == MINDL_CBOR_MAP &&
	    mindl_cbor_map_get(root, "issuerSigned") != NULL) {
		emit_type(&c, "document");
		if (c.json) {
			jw_key(&c.w, "documents");
			jw_arr(&c.w);
		}
		walk_document(&c, root, 1);
		if (c.json)
			jw_end_arr(&c.w);
	} else {
		emit_type(&c, "unknown");
		if (c.json)
			jw_key(&c.w, "value");
		else
			printf("value: ");
		emit_value(&c, root);
		if (!c.json)
			putchar('\n');
	}
	if (c.json) {
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
