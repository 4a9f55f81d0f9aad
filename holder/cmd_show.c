/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-holder show: what a stored credential holds, until when the
 * licence and this copy's signature are valid, and (with --device-key)
 * whether the key presents it.  For the holder, on their own device: it
 * prints their personal data, escaped, and checks nothing against a trust
 * list (a verifier does that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"
#include "holder.h"

struct sctx {
	const char			*credp, *keyp, *passfd, *at_s;
	int				 json, nopass;
	size_t				 copies, left;	/* a batch's */
	int64_t				 at;
	uint8_t				*cred;
	size_t				 credlen;
	struct mindl_cbor		*doc;
	struct mindl_document		*d;
	struct mindl_key		*key;
};

static void
day(int64_t t, char out[MINDL_FULLDATE_LEN + 1])
{
	int64_t d = t >= 0 ? t / MINDL_DAY : -((-t + MINDL_DAY - 1) /
	    MINDL_DAY);

	if (mindl_fulldate_format(d, out) != MINDL_OK)
		snprintf(out, MINDL_FULLDATE_LEN + 1, "?");
}

/* "valid", "expired" or "not yet valid" for this copy at c->at. */
static const char *
copy_state(const struct sctx *c, const struct mindl_mso_validity *vi)
{
	if (c->at > vi->valid_until)
		return "expired";
	if (c->at < vi->valid_from)
		return "not yet valid";
	return "valid";
}

/* The licence's expiry_date, as the credential holds it. */
static const struct mindl_cbor_item *
expiry_item(const struct mindl_issuer_signed *is)
{
	const struct mindl_issuer_item *ii;
	size_t i;

	for (i = 0; i < mindl_issuer_signed_count(is); i++) {
		ii = mindl_issuer_signed_item(is, i);
		if (strcmp(ii->ns_str, MINDL_NS_ISO) == 0 &&
		    strcmp(ii->element_str, "expiry_date") == 0)
			return ii->value;
	}
	return NULL;
}

static int
is_portrait(const struct mindl_issuer_item *ii)
{
	return strcmp(ii->ns_str, MINDL_NS_ISO) == 0 &&
	    strcmp(ii->element_str, "portrait") == 0 &&
	    ii->value->type == MINDL_CBOR_BSTR;
}

/* What both outputs report about the credential. */
struct summary {
	const struct mindl_issuer_signed	*is;
	struct mindl_mso_validity		 vi;
	const struct mindl_cbor_item		*expiry;
	char					 kid[17];
};

static void
summarise(const struct sctx *c, struct summary *sm)
{
	const struct mindl_mso *mso;
	const struct mindl_cose_msg *m;

	sm->is = mindl_document_issuer_signed(c->d);
	mso = mindl_issuer_signed_mso(sm->is);
	m = mindl_mso_sign1(mso);
	mindl_mso_validity(mso, &sm->vi);
	sm->expiry = expiry_item(sm->is);
	snprintf(sm->kid, sizeof(sm->kid), "?");
	if (m->nx5 > 0)
		(void)mindl_x509_key_id(m->x5[0], m->x5len[0], sm->kid);
}

/* 1 when the desk bound this copy to a security key's credential. */
static int
key_bound(const struct sctx *c)
{
	const uint8_t *id;
	size_t len;

	mindl_document_fido_id(c->d, &id, &len);
	return id != NULL;
}

static int
print_text(const struct sctx *c, int keyok)
{
	const struct mindl_issuer_item *ii;
	const struct mindl_issuer_signed *is;
	struct summary sm;
	struct mindl_buf val;
	char from[MINDL_FULLDATE_LEN + 1], until[MINDL_FULLDATE_LEN + 1];
	size_t i;
	int r;

	summarise(c, &sm);
	is = sm.is;
	day(sm.vi.valid_from, from);
	day(sm.vi.valid_until, until);
	printf("credential: ");
	cli_print_safe(stdout, c->credp);
	printf(" (%s; not checked against a trust list)\n",
	    mindl_document_doctype_str(c->d));
	if (sm.expiry != NULL) {
		mindl_buf_init(&val, 256);
		if (mindl_value_json(sm.expiry, &val) == MINDL_OK &&
		    mindl_buf_len(&val) >= 2) {
			/* the date alone, without its JSON quotes */
			printf("licence valid until: ");
			cli_print_safen(stdout, mindl_buf_ptr(&val) + 1,
			    mindl_buf_len(&val) - 2);
			putchar('\n');
		}
		mindl_buf_clear(&val);
	}
	printf("this copy's signature: %s to %s, %s%s\n", from, until,
	    copy_state(c, &sm.vi), strcmp(copy_state(c, &sm.vi), "valid") ==
	    0 ? " (renew before it ends)" : strcmp(copy_state(c, &sm.vi),
	    "expired") == 0 ? ": renew it at the DMV" : "");
	printf("copies: %zu single-use, %zu not yet presented%s\n",
	    c->copies, c->left, c->left <= 2 && c->copies > 1 ?
	    ": renew at the desk soon" : "");
	printf("signer: %s\n", sm.kid);
	printf("bound to: %s\n", key_bound(c) ? "a security key (present "
	    "with --fido2)" : "a device key (present with --device-key)");
	if (keyok >= 0)
		printf("device key: %s\n", keyok ? "this credential's" :
		    "NOT this credential's: it cannot present it");
	printf("elements: %zu\n", mindl_issuer_signed_count(is));
	for (i = 0; i < mindl_issuer_signed_count(is); i++) {
		ii = mindl_issuer_signed_item(is, i);
		fputs("  ", stdout);
		cli_print_safe(stdout, ii->ns_str);
		putchar('/');
		cli_print_safe(stdout, ii->element_str);
		if (is_portrait(ii)) {
			printf(": %zu bytes JPEG\n", ii->value->len);
			continue;
		}
		if ((r = cli_print_value(stdout, ii->value)) != MINDL_OK)
			return r;
		putchar('\n');
	}
	return MINDL_OK;
}

static int
print_json(const struct sctx *c, int keyok)
{
	const struct mindl_issuer_item *ii;
	const struct mindl_issuer_signed *is;
	struct summary sm;
	char t[MINDL_TDATE_LEN + 1];
	size_t i, j;
	struct jw w;
	int r;

	summarise(c, &sm);
	is = sm.is;
	jw_init(&w, stdout);
	jw_obj(&w);
	jw_key(&w, "ok");
	jw_bool(&w, 1);
	jw_key(&w, "credential");
	jw_str(&w, c->credp);
	jw_key(&w, "doctype");
	jw_str(&w, mindl_document_doctype_str(c->d));
	jw_key(&w, "licence_expiry");
	if (sm.expiry != NULL) {
		if ((r = jw_value(&w, sm.expiry)) != MINDL_OK) {
			jw_clear(&w);
			return r;
		}
	} else
		jw_null(&w);
	jw_key(&w, "valid_from");
	jw_str(&w, mindl_tdate_format(sm.vi.valid_from, t) == MINDL_OK ? t :
	    NULL);
	jw_key(&w, "valid_until");
	jw_str(&w, mindl_tdate_format(sm.vi.valid_until, t) == MINDL_OK ? t :
	    NULL);
	jw_key(&w, "state");
	jw_str(&w, copy_state(c, &sm.vi));
	jw_key(&w, "signer");
	jw_str(&w, sm.kid);
	jw_key(&w, "copies");
	jw_uint(&w, c->copies);
	jw_key(&w, "copies_left");
	jw_uint(&w, c->left);
	jw_key(&w, "device");
	jw_str(&w, key_bound(c) ? "fido2" : "software");
	jw_key(&w, "device_key_matches");
	if (keyok >= 0)
		jw_bool(&w, keyok);
	else
		jw_null(&w);
	jw_key(&w, "elements");
	jw_obj(&w);
	/* Grouped by namespace, in the order namespaces first appear. */
	for (i = 0; i < mindl_issuer_signed_count(is); i++) {
		ii = mindl_issuer_signed_item(is, i);
		for (j = 0; j < i; j++)
			if (strcmp(mindl_issuer_signed_item(is, j)->ns_str,
			    ii->ns_str) == 0)
				break;
		if (j < i)
			continue;
		jw_key(&w, ii->ns_str);
		jw_obj(&w);
		for (j = i; j < mindl_issuer_signed_count(is); j++) {
			const struct mindl_issuer_item *e =
			    mindl_issuer_signed_item(is, j);

			if (strcmp(e->ns_str, ii->ns_str) != 0)
				continue;
			jw_key(&w, e->element_str);
			if ((r = jw_value(&w, e->value)) != MINDL_OK) {
				jw_clear(&w);
				return r;
			}
		}
		jw_end_obj(&w);
	}
	jw_end_obj(&w);
	jw_end_obj(&w);
	return jw_done(&w);
}

static int
load(struct sctx *c)
{
	const struct mindl_cbor_item *docs, *eng;
	struct spent sp;
	int r;

	if ((r = mindl_file_read(c->credp, MAX_FILE, &c->cred,
	    &c->credlen)) != MINDL_OK)
		return cli_fail(c->credp, r);
	if (cli_wrong_kind(c->credp, c->cred, c->credlen, "credential",
	    "give the credential file the desk issued"))
		return 1;
	if ((r = mindl_cbor_decode(c->cred, c->credlen, &c->doc)) !=
	    MINDL_OK || (r = mindl_file_documents(mindl_cbor_root(c->doc),
	    &docs, &eng)) != MINDL_OK || (r = docs->u == 0 ?
	    MINDL_ERR_NO_DOCUMENT : mindl_document_parse(
	    mindl_cbor_child(docs), 0, &c->d)) != MINDL_OK)
		return cli_fail(c->credp, r);
	/* The first copy stands for all: they differ only in salts and keys. */
	c->copies = (size_t)docs->u;
	if (c->copies > MINDL_MAX_BATCH)
		return cli_failf(c->credp, MINDL_ERR_TOO_LARGE, "more than %d "
		    "copies", MINDL_MAX_BATCH);
	if ((r = spent_load(c->credp, c->copies, &sp)) != 0)
		return r;
	c->left = spent_left(&sp, c->copies);
	if (c->keyp == NULL)
		return 0;
	return cli_key_read("--device-key", c->keyp, 0, "--pass-fd",
	    c->passfd, "--no-passphrase", c->nopass, &c->key);
}

const struct cli_opt show_opts[O_SHOW_N] = {
	[O_SHOW_CREDENTIAL] = { "credential", 0, CLI_ARG | CLI_REQ, "CRED",
	    "the credential file the desk issued" },
	[O_SHOW_DEVICE_KEY] = { "device-key", 0, CLI_ARG, "K",
	    "also check that this device key can present it" },
	[O_SHOW_PASS_FD] = { "pass-fd", 0, CLI_ARG, "N",
	    "read the device key's passphrase from descriptor N" },
	[O_SHOW_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "the device key is not encrypted" },
	[O_SHOW_AT] = { "at", 0, CLI_ARG, "TIME",
	    "judge validity at TIME instead of now" },
};

int
cmd_show(const struct cli_args *a)
{
	struct sctx c;
	int r, keyok = -1;

	memset(&c, 0, sizeof(c));
	c.credp = a->val[O_SHOW_CREDENTIAL];
	c.keyp = a->val[O_SHOW_DEVICE_KEY];
	c.passfd = a->val[O_SHOW_PASS_FD];
	c.nopass = cli_has(a, O_SHOW_NO_PASSPHRASE);
	c.at_s = a->val[O_SHOW_AT];
	c.json = a->json;
	if (c.keyp == NULL && (c.passfd != NULL || c.nopass))
		return cli_usage_error("show", "--pass-fd and --no-passphrase "
		    "are for --device-key");
	c.at = mindl_now();
	if (c.at_s != NULL && mindl_time_parse(c.at_s, &c.at) != MINDL_OK)
		return cli_usage_error("show", "--at: not a time: %s", c.at_s);
	if ((r = load(&c)) != 0)
		goto out;
	if (c.key != NULL) {
		r = mindl_mso_device_key_is(mindl_issuer_signed_mso(
		    mindl_document_issuer_signed(c.d)), c.key);
		if (r != MINDL_OK && r != MINDL_ERR_NOT_DEVICE_KEY) {
			r = cli_fail(c.keyp, r);
			goto out;
		}
		keyok = r == MINDL_OK;
	}
	if ((r = c.json ? print_json(&c, keyok) : print_text(&c, keyok)) !=
	    MINDL_OK) {
		r = cli_fail("output", r);
		goto out;
	}
	r = fflush(stdout) == 0 ? 0 : 3;
	/* A key that cannot present this credential is the holder's error. */
	if (r == 0 && keyok == 0)
		r = 1;
 out:
	mindl_document_free(&c.d);
	mindl_cbor_free(&c.doc);
	mindl_key_free(&c.key);
	if (c.cred != NULL)
		mindl_freezero(c.cred, c.credlen);
	return r;
}
