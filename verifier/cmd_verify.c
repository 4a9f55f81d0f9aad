/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-verifier verify: offline verification of a response file against
 * the request it answers, or of a bare DeviceResponse against
 * SessionTranscriptBytes (other readers' sessions, ISO 18013-5 Annex D),
 * or of a purpose credential's static code from its text (--qr-text, as
 * a keyboard-wedge scanner types it); mindl-verifier scan: the same code
 * found in a photo or a screenshot.  One verification, one printer.
 *
 * Everything cryptographic happens in mindl_verify_response() /
 * mindl_verify_device_response() / mindl_verify_static(); nothing of the
 * holder is printed before they succeed.  A static code is not
 * holder-bound (anyone with a copy can show it): the verdict says so
 * right after the answer, for the portrait to be compared.  Then only the elements of the request's profile are
 * shown (DESIGN.md section 4, rule 4): anything else the holder sent is
 * dropped unseen and only counted.  The verifier writes no log, cache or
 * temporary file about the holder; --out-portrait and --out-transcript
 * are explicit operator choices.
 */
#include <sys/stat.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "verifier.h"

/* A portrait on the terminal: about 3 cm wide on most, the aspect kept. */
#define PORTRAIT_COLS	32
#define PORTRAIT_ROWS	20

struct vctx {
	const char			*verb;	/* "verify" or "scan" */
	const char			*trust[MINDL_MAX_TRUST];
	size_t				 ntrust;
	const char			*reqp, *respp, *keyp, *stp, *profid;
	/* a static code: its image (scan) or its text (--qr-text) */
	const char			*imagep, *qrtextp;
	int				 is_static;
	/* a static code's security key (--fido2), and the policy */
	int				 fido2, fido2_uv;
	const char			*fido_dev, *fido_pinfd;
	const char			*at_s, *st_out, *portrait_out;
	int				 json, force, consume;

	char				*defkey;
	struct mindl_schema		*schema;
	const struct mindl_profile	*prof;
	struct mindl_trust		*ts;
	unsigned			 root_dev;	/* allowed, used */
	struct mindl_request		*req;
	struct mindl_key		*rkey;
	uint8_t				*reqbuf, *resp, *st;
	size_t				 reqlen, resplen, stlen;
	uint8_t				*code;	/* the image or text */
	size_t				 codelen;
	int64_t				 at;
	int				 met;	/* purpose: 1, 0, -1 none */
	const char			*kind;	/* the response's, if not one */
	struct mindl_verify_fault	 fault;
	char				 msg[320];	/* why, for people */
	int				 portrait_written;
	int				 write_err;	/* --out-portrait's */
	int				 no_draw, draw, drawn;	/* portrait */
	char				 why[160];
	/* the credential's status (DESIGN.md section 3.8) */
	const char			*status_db;	/* --status-db */
	char				*defdb;		/* the default */
	int				 require_status;
	int				 status_checked;
	struct mindl_status_verdict	 status;
	char				 status_uri[MINDL_STATUS_MAX_URI + 1];
};

static void
vctx_clear(struct vctx *c)
{
	free(c->defkey);
	free(c->defdb);
	mindl_schema_free(&c->schema);
	mindl_trust_free(&c->ts);
	mindl_request_free(&c->req);
	mindl_key_free(&c->rkey);
	free(c->reqbuf);
	if (c->resp != NULL)
		mindl_freezero(c->resp, c->resplen);
	if (c->code != NULL)
		mindl_freezero(c->code, c->codelen);
	free(c->st);
}

static int
is_portrait(const struct mindl_disclosed *d)
{
	return strcmp(d->ns, MINDL_NS_ISO) == 0 &&
	    strcmp(d->id, "portrait") == 0 &&
	    d->value->type == MINDL_CBOR_BSTR;
}

static int
shown(const struct vctx *c, const struct mindl_disclosed *d)
{
	return c->prof == NULL || mindl_profile_allows(c->prof, d->ns, d->id);
}

/*
 * One element identifier twice in a namespace would make the output
 * ambiguous (two family names, both signed): refuse rather than choose.
 */
static int
check_unique(const struct mindl_verified *v)
{
	const struct mindl_disclosed *a, *b;
	size_t i, j, n = mindl_verified_count(v);

	for (i = 0; i < n; i++) {
		a = mindl_verified_at(v, i);
		for (j = 0; j < i; j++) {
			b = mindl_verified_at(v, j);
			if (strcmp(a->ns, b->ns) == 0 &&
			    strcmp(a->id, b->id) == 0)
				return MINDL_ERR_CBOR_DUPKEY;
		}
	}
	return MINDL_OK;
}

static const char *
devauth_name(enum mindl_devauth a)
{
	switch (a) {
	case MINDL_DEVAUTH_MAC:
		return "mac";
	case MINDL_DEVAUTH_SIGNATURE:
		return "signature";
	case MINDL_DEVAUTH_FIDO2:
		return "fido2";
	}
	return "unknown";
}

static void
fmt_time(int64_t t, char out[MINDL_TDATE_LEN + 1])
{
	if (mindl_tdate_format(t, out) != MINDL_OK)
		snprintf(out, MINDL_TDATE_LEN + 1, "?");
}

static const char *
status_state_name(enum mindl_status_state s)
{
	switch (s) {
	case MINDL_STATUS_STATE_VALID:
		return "valid";
	case MINDL_STATUS_STATE_REVOKED:
		return "revoked";
	case MINDL_STATUS_STATE_UNKNOWN:
		return "unknown";
	case MINDL_STATUS_STATE_NONE:
		break;
	}
	return "none";
}

/*
 * The credential's status from the status-list cache, read-only, after
 * everything else verified and before anything is shown: a revoked
 * licence is reported as such and nothing of it is printed.  The
 * entry's index never leaves this function: uri and index together name
 * one holder's copy, a correlation handle no output needs (the list,
 * its uri and age are the same for every holder on it).
 */
static int
check_status(struct vctx *c, const struct mindl_verified *v)
{
	struct sdb *db = NULL;
	struct sdb_row row;
	const uint8_t *uri = NULL, *byte = NULL;
	uint8_t ds_root[MINDL_SHA256_LEN], b = 0;
	size_t urilen = 0;
	uint64_t idx = 0;
	char err[256];
	int r, found = 0;

	memset(&c->status, 0, sizeof(c->status));
	c->status_checked = 1;
	if ((r = mindl_verified_status_ref(v, &idx, &uri, &urilen)) ==
	    MINDL_ERR_MISSING)
		return MINDL_OK;	/* state none */
	if (r != MINDL_OK)
		return r;
	snprintf(c->status_uri, sizeof(c->status_uri), "%.*s",
	    (int)(urilen < MINDL_STATUS_MAX_URI ? urilen :
	    MINDL_STATUS_MAX_URI), (const char *)uri);
	mindl_verified_ds_root(v, ds_root);
	err[0] = '\0';
	r = c->status_db == NULL ? MINDL_ERR_NO_FILE :
	    sdb_open(c->status_db, 0, 0, &db, err, sizeof(err));
	if (r == MINDL_OK)
		r = sdb_get(db, uri, urilen, &row, &found);
	if (r == MINDL_OK && found && idx < row.c.entries &&
	    (r = sdb_read_byte(db, row.id, mindl_status_byte_offset(idx),
	    &b)) == MINDL_OK)
		byte = &b;
	if (r != MINDL_OK && r != MINDL_ERR_NO_FILE) {
		/* A cache that cannot be read says nothing: unknown. */
		cli_warn(c->status_db != NULL ? c->status_db : "--status-db",
		    "cannot read the status cache: %s (%s)",
		    sdb_errmsg(db) != NULL ? sdb_errmsg(db) : err[0] != '\0' ?
		    err : mindl_strerr(r), mindl_errname(r));
		found = 0;
	}
	sdb_close(&db);
	mindl_status_judge(found ? &row.c : NULL, byte, ds_root, idx, c->at,
	    &c->status);
	return MINDL_OK;
}

/* "valid (list 3 h old)", the age as a person reads it. */
static void
fmt_age(int64_t s, char *out, size_t len)
{
	if (s < 0)
		s = 0;
	if (s < 2 * 3600)
		snprintf(out, len, "%lld min", (long long)(s / 60));
	else if (s < 3 * 86400)
		snprintf(out, len, "%lld h", (long long)(s / 3600));
	else
		snprintf(out, len, "%lld days", (long long)(s / 86400));
}

static void
print_status_text(const struct vctx *c)
{
	char age[32];

	if (!c->status_checked || c->status.state == MINDL_STATUS_STATE_NONE)
		return;
	fmt_age(c->status.age, age, sizeof(age));
	if (c->status.state == MINDL_STATUS_STATE_VALID) {
		printf("status: valid (list %s old)", age);
		if (c->status.stale) {
			fputs("; ", stdout);
			cli_print_safe(stdout, c->status.reason);
		}
		putchar('\n');
		return;
	}
	fputs("status: unknown: ", stdout);
	cli_print_safe(stdout, c->status.reason);
	fputs(" (", stdout);
	cli_print_safe(stdout, c->status_uri);
	printf("; %s)\n", mindl_errname(c->status.err));
}

static void
print_status_json(struct jw *w, const struct vctx *c)
{
	jw_key(w, "status");
	if (!c->status_checked) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_key(w, "state");
	jw_str(w, status_state_name(c->status.state));
	jw_key(w, "uri");
	jw_str(w, c->status.state != MINDL_STATUS_STATE_NONE ?
	    c->status_uri : NULL);
	jw_key(w, "list_age_seconds");
	if (c->status.state == MINDL_STATUS_STATE_VALID ||
	    c->status.state == MINDL_STATUS_STATE_REVOKED)
		jw_int(w, c->status.age);
	else
		jw_null(w);
	jw_key(w, "reason");
	jw_str(w, c->status.reason);
	jw_end_obj(w);
}

/*
 * What a static code cannot prove: that the person showing it is its
 * holder.  Said right after the verdict, for a bartender to see.
 */
static const char *
not_bound(const struct vctx *c)
{
	if (c->fido2)
		return NULL;	/* its security key answered */
	return c->prof != NULL && !mindl_profile_portrait(c->prof) ?
	    "NOT HOLDER-BOUND: anyone with a copy can show this code, and it "
	    "has no portrait: check who shows it another way" :
	    "NOT HOLDER-BOUND: compare the portrait with the person";
}

static int
print_json(const struct vctx *c, int err, const struct mindl_verified *v)
{
	const struct mindl_disclosed *d, *e;
	char vf[MINDL_TDATE_LEN + 1], vu[MINDL_TDATE_LEN + 1];
	int64_t sa, from, until;
	size_t i, j, n, dropped = 0;
	struct jw w;
	int r;

	jw_init(&w, stdout);
	jw_obj(&w);
	/*
	 * ok is the exit status 0: genuine AND the answer is yes (and an
	 * --out-portrait written).  A script
	 * that reads only ok never admits a genuine under-21 credential;
	 * valid says whether the credential itself is genuine.
	 */
	jw_key(&w, "ok");
	jw_bool(&w, err == MINDL_OK && c->met != 0 && c->write_err == MINDL_OK);
	jw_key(&w, "valid");
	jw_bool(&w, err == MINDL_OK);
	jw_key(&w, "error");
	if (err == MINDL_OK && c->write_err != MINDL_OK)
		jw_str(&w, mindl_errname(c->write_err));
	else if (err == MINDL_OK && c->met == 0)
		jw_str(&w, mindl_errname(MINDL_ERR_PURPOSE_NOT_MET));
	else
		jw_str(&w, err == MINDL_OK ? NULL : mindl_errname(err));
	jw_key(&w, "message");
	if (err == MINDL_OK && c->write_err != MINDL_OK)
		jw_str(&w, "genuine, but the portrait could not be written");
	else if (err != MINDL_OK && c->kind != NULL)
		jw_str(&w, c->is_static ? "not a purpose credential's code: "
		    "it holds another kind of file" : "not the holder's "
		    "response: the file given is another kind");
	else if (err != MINDL_OK && c->msg[0] != '\0')
		jw_str(&w, c->msg);
	else if (err == MINDL_OK && c->met == 0)
		jw_str(&w, mindl_strerr(MINDL_ERR_PURPOSE_NOT_MET));
	else
		jw_str(&w, err == MINDL_OK ? NULL : mindl_strerr(err));
	jw_key(&w, "file_kind");
	jw_str(&w, c->kind);
	jw_key(&w, "profile");
	jw_str(&w, c->prof != NULL ? mindl_profile_id(c->prof) : NULL);
	/* The decision first: valid is not the same as admitted. */
	jw_key(&w, "purpose");
	jw_str(&w, c->prof != NULL ? mindl_profile_question(c->prof) : NULL);
	jw_key(&w, "purpose_met");
	if (err == MINDL_OK && c->met >= 0)
		jw_bool(&w, c->met);
	else
		jw_null(&w);
	jw_key(&w, "purpose_reason");
	jw_str(&w, err == MINDL_OK && c->met == 0 ? c->why : NULL);
	jw_key(&w, "disclosed");
	jw_obj(&w);
	n = err == MINDL_OK ? mindl_verified_count(v) : 0;
	/* Grouped by namespace, in the order namespaces first appear. */
	for (i = 0; i < n; i++) {
		d = mindl_verified_at(v, i);
		if (!shown(c, d)) {
			dropped++;
			continue;
		}
		for (j = 0; j < i; j++) {
			e = mindl_verified_at(v, j);
			if (shown(c, e) && strcmp(e->ns, d->ns) == 0)
				break;
		}
		if (j < i)
			continue;
		jw_key(&w, d->ns);
		jw_obj(&w);
		for (j = i; j < n; j++) {
			e = mindl_verified_at(v, j);
			if (!shown(c, e) || strcmp(e->ns, d->ns) != 0)
				continue;
			jw_key(&w, e->id);
			if ((r = jw_value(&w, e->value)) != MINDL_OK) {
				jw_clear(&w);
				return r;
			}
		}
		jw_end_obj(&w);
	}
	jw_end_obj(&w);
	jw_key(&w, "dropped");
	jw_uint(&w, dropped + (err == MINDL_OK ? mindl_verified_dropped(v) :
	    0));
	if (err == MINDL_OK) {
		mindl_verified_validity(v, &sa, &from, &until);
		fmt_time(from, vf);
		fmt_time(until, vu);
	}
	jw_key(&w, "device_auth");
	jw_str(&w, err == MINDL_OK ? c->is_static && !c->fido2 ? "none" :
	    devauth_name(mindl_verified_devauth(v)) : NULL);
	/* A static code alone is never holder-bound, valid or not. */
	jw_key(&w, "holder_bound");
	if ((c->is_static && !c->fido2) || err == MINDL_OK)
		jw_bool(&w, (!c->is_static || c->fido2) &&
		    mindl_verified_holder_bound(v));
	else
		jw_null(&w);
	jw_key(&w, "warning");
	jw_str(&w, err == MINDL_OK && c->is_static ? not_bound(c) : NULL);
	jw_key(&w, "valid_from");
	jw_str(&w, err == MINDL_OK ? vf : NULL);
	jw_key(&w, "valid_until");
	jw_str(&w, err == MINDL_OK ? vu : NULL);
	jw_key(&w, "signer");
	jw_str(&w, err == MINDL_OK ? mindl_verified_signer(v) : NULL);
	jw_key(&w, "root_deviations");
	jw_arr(&w);
	for (i = 0; err == MINDL_OK && i < 8; i++)
		if ((c->root_dev & (1u << i)) != 0 &&
		    mindl_x509_deviation_name(1u << i) != NULL)
			jw_str(&w, mindl_x509_deviation_name(1u << i));
	jw_end_arr(&w);
	jw_key(&w, "portrait_written");
	jw_str(&w, c->portrait_written ? c->portrait_out : NULL);
	print_status_json(&w, c);
	jw_end_obj(&w);
	jw_done(&w);
	return MINDL_OK;
}

/* A tstr, or a tagged date's text (#6.1004 full-date, #6.0 tdate). */
static const struct mindl_cbor_item *
text_of(const struct mindl_cbor_item *it)
{
	if (it != NULL && it->type == MINDL_CBOR_TAG &&
	    (it->u == 1004 || it->u == 0))
		it = mindl_cbor_child(it);
	return it != NULL && it->type == MINDL_CBOR_TSTR ? it : NULL;
}

static void
print_text_item(const struct mindl_cbor_item *t)
{
	cli_print_safen(stdout, t->ptr, t->len);
}

/*
 * driving_privileges, one line a category, as an officer reads them:
 * "B  from 2020-01-01 to 2030-12-06; codes 01, 78".  The value passed
 * the element table's checks (7.2.4 maps) before it gets here.
 */
static void
print_privileges(const struct mindl_cbor_item *arr)
{
	const struct mindl_cbor_item *p, *t, *c, *code;
	struct mindl_cbor_iter pi, ci;
	size_t n;

	putchar('\n');
	(void)mindl_cbor_iter_init(&pi, arr, MINDL_CBOR_ARRAY);
	while ((p = mindl_cbor_iter_next(&pi)) != NULL) {
		fputs("    ", stdout);
		if ((t = text_of(mindl_cbor_map_get(p,
		    "vehicle_category_code"))) != NULL)
			print_text_item(t);
		if ((t = text_of(mindl_cbor_map_get(p, "issue_date"))) != NULL) {
			fputs("  from ", stdout);
			print_text_item(t);
		}
		if ((t = text_of(mindl_cbor_map_get(p, "expiry_date"))) !=
		    NULL) {
			fputs(" to ", stdout);
			print_text_item(t);
		}
		n = 0;
		/* An absent or malformed "codes" leaves the iterator empty. */
		(void)mindl_cbor_iter_init(&ci, mindl_cbor_map_get(p, "codes"),
		    MINDL_CBOR_ARRAY);
		while ((c = mindl_cbor_iter_next(&ci)) != NULL) {
			if ((code = text_of(mindl_cbor_map_get(c, "code"))) ==
			    NULL)
				continue;
			fputs(n++ == 0 ? "; codes " : ", ", stdout);
			print_text_item(code);
			t = text_of(mindl_cbor_map_get(c, "sign"));
			if ((code = text_of(mindl_cbor_map_get(c, "value"))) ==
			    NULL)
				continue;
			fputs(t != NULL ? " " : " (", stdout);
			if (t != NULL)
				print_text_item(t);
			print_text_item(code);
			if (t == NULL)
				putchar(')');
		}
		putchar('\n');
	}
}

/* One disclosed value for people; JSON where no plainer form fits. */
static int
print_plain(const struct vctx *c, const struct mindl_disclosed *d)
{
	static const char *const sex[] = { "not known", "male", "female" };
	const struct mindl_cbor_item *v = d->value, *t;

	if (is_portrait(d)) {
		printf("%zu-byte JPEG%s%s", v->len, c->drawn ? ", shown above" :
		    "", c->portrait_written ? ", written to " : ", not saved");
		if (c->portrait_written)
			cli_print_safe(stdout, c->portrait_out);
		putchar('\n');
		return MINDL_OK;
	}
	if (strcmp(d->id, "driving_privileges") == 0 &&
	    v->type == MINDL_CBOR_ARRAY) {
		print_privileges(v);
		return MINDL_OK;
	}
	if ((t = text_of(v)) != NULL)
		print_text_item(t);
	else if (v->type == MINDL_CBOR_TRUE || v->type == MINDL_CBOR_FALSE)
		fputs(v->type == MINDL_CBOR_TRUE ? "yes" : "no", stdout);
	else if (v->type == MINDL_CBOR_UINT && strcmp(d->id, "sex") == 0 &&
	    (v->u <= 2 || v->u == 9))	/* ISO/IEC 5218 */
		fputs(v->u == 9 ? "not applicable" : sex[v->u], stdout);
	else if (v->type == MINDL_CBOR_UINT)
		printf("%llu", (unsigned long long)v->u);
	else {
		int r;

		if ((r = cli_print_json(stdout, v)) != MINDL_OK)
			return r;
	}
	putchar('\n');
	return MINDL_OK;
}

struct ranked {
	const struct mindl_disclosed	*d;
	const char			*label;
	unsigned			 rank;
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->d->id, y->d->id);
}

/*
 * Who issued it, from the trust store: the subject of the IACA root the
 * document signer chained to (its name and the place it names), not
 * what the credential says of itself.  Certificate text is outside
 * text: escaped.
 */
static void
print_issuer(const struct vctx *c, const struct mindl_verified *v)
{
	struct mindl_x509_names nm;
	uint8_t root[MINDL_SHA256_LEN];
	const uint8_t *der;
	size_t len;

	mindl_verified_ds_root(v, root);
	if (mindl_trust_root_der(c->ts, root, &der, &len) != MINDL_OK ||
	    mindl_x509_names(der, len, &nm) != MINDL_OK)
		return;
	/* A root's own CN is its name; issuer_cn is read for a DS. */
	memcpy(nm.issuer_cn, nm.cn, sizeof(nm.cn));
	nm.issuer_cn_err = nm.cn_err;
	fputs("issued by: ", stdout);
	cli_print_safe(stdout, nm.issuer_cn_err == MINDL_OK ? nm.issuer_cn :
	    "(no name)");
	fputs(" (", stdout);
	cli_print_safe(stdout, nm.st_err == MINDL_OK ? nm.st :
	    nm.c_err == MINDL_OK ? nm.c : "?");
	fputs(")\n", stdout);
}

/* The portrait, when the profile shows it and the holder sent it. */
static const struct mindl_disclosed *
find_portrait(const struct vctx *c, const struct mindl_verified *v)
{
	const struct mindl_disclosed *d;
	size_t i;

	for (i = 0; i < mindl_verified_count(v); i++) {
		d = mindl_verified_at(v, i);
		if (shown(c, d) && is_portrait(d))
			return d;
	}
	return NULL;
}

/*
 * The portrait on the terminal, for the face to be compared: decoded
 * (it passed the portrait allow-list during verification) and drawn as
 * half blocks, written by the library from numbers only.  Nothing of it
 * goes to a file.
 */
static void
draw_portrait(struct vctx *c, const struct mindl_verified *v)
{
	const struct mindl_disclosed *d;
	struct mindl_buf out;

	if ((d = find_portrait(c, v)) == NULL)
		return;
	mindl_buf_init(&out, 1u << 20);
	if (mindl_jpeg_halfblocks(d->value->ptr, d->value->len,
	    PORTRAIT_COLS, PORTRAIT_ROWS, &out) == MINDL_OK) {
		fwrite(mindl_buf_ptr(&out), 1, mindl_buf_len(&out), stdout);
		c->drawn = 1;
	}
	mindl_buf_clear(&out);
}

/* The profile's fields, labelled, in the order a person reads them. */
static int
print_labelled(const struct vctx *c, const struct mindl_verified *v)
{
	struct ranked f[MINDL_MAX_DISCLOSED];
	size_t i, n = 0, w = 0;
	int r;

	for (i = 0; i < mindl_verified_count(v) && n < MINDL_MAX_DISCLOSED;
	    i++) {
		f[n].d = mindl_verified_at(v, i);
		if (!shown(c, f[n].d))
			continue;
		if (mindl_schema_element_label(c->schema, f[n].d->ns,
		    f[n].d->id, &f[n].label, &f[n].rank) != MINDL_OK) {
			f[n].label = f[n].d->id;	/* escaped below */
			f[n].rank = UINT_MAX;
		}
		if (strlen(f[n].label) > w)
			w = strlen(f[n].label);
		n++;
	}
	qsort(f, n, sizeof(f[0]), cmp_ranked);
	for (i = 0; i < n; i++) {
		fputs("  ", stdout);
		cli_print_safe(stdout, f[i].label);
		/* Privileges go one a line, below their label. */
		if (strcmp(f[i].d->id, "driving_privileges") == 0 &&
		    f[i].d->value->type == MINDL_CBOR_ARRAY)
			putchar(':');
		else
			printf(":%*s ", (int)(w - strlen(f[i].label)), "");
		if ((r = print_plain(c, f[i].d)) != MINDL_OK)
			return r;
	}
	return MINDL_OK;
}

static int
print_text(struct vctx *c, int err, const struct mindl_verified *v)
{
	const struct mindl_disclosed *d;
	char vf[MINDL_TDATE_LEN + 1], vu[MINDL_TDATE_LEN + 1];
	int64_t sa, from, until;
	size_t i, dropped = 0;
	int r;

	if (err != MINDL_OK && c->kind != NULL && c->is_static) {
		printf("INVALID: this code holds a %s, not a purpose "
		    "credential (%s)\n", c->kind, mindl_errname(err));
		return MINDL_OK;
	}
	if (err != MINDL_OK && c->kind != NULL) {
		printf("INVALID: this is a %s file, not the holder's response "
		    "(%s): ask the holder to present again\n", c->kind,
		    mindl_errname(err));
		return MINDL_OK;
	}
	if (err == MINDL_ERR_REVOKED) {
		/* Plainly, first: genuine once, revoked now. */
		printf("REVOKED: the issuing DMV has revoked this licence: do "
		    "not accept it (%s)\n", mindl_errname(err));
		return MINDL_OK;
	}
	if (err != MINDL_OK) {
		/* The message may name a file: escaped. */
		fputs("INVALID: ", stdout);
		cli_print_safe(stdout, c->msg[0] != '\0' ? c->msg :
		    mindl_strerr(err));
		printf(" (%s)\n", mindl_errname(err));
		return MINDL_OK;
	}
	/* The answer to the verifier's question, at a glance, first. */
	if (c->met == 1)
		printf("%s: YES\n", mindl_profile_question(c->prof));
	else if (c->met == 0) {
		printf("%s: NO (", mindl_profile_question(c->prof));
		cli_print_safe(stdout, c->why);
		printf(")\n");
	}
	if (c->is_static && !c->fido2)
		printf("%s\n", not_bound(c));
	printf("VALID\n");
	print_issuer(c, v);
	print_status_text(c);
	if (c->draw)
		draw_portrait(c, v);
	if ((r = print_labelled(c, v)) != MINDL_OK)
		return r;
	printf("details:\n");
	if (c->prof != NULL)
		printf("profile: %s (%s)\n", mindl_profile_id(c->prof),
		    mindl_profile_title(c->prof));
	else
		printf("profile: none (all disclosed elements shown)\n");
	for (i = 0; i < mindl_verified_count(v); i++) {
		d = mindl_verified_at(v, i);
		if (!shown(c, d)) {
			dropped++;
			continue;
		}
		cli_print_safe(stdout, d->ns);
		putchar('/');
		cli_print_safe(stdout, d->id);
		if (is_portrait(d)) {
			/* verification held it to the portrait rule */
			printf(": %zu bytes JPEG", d->value->len);
			if (c->portrait_written) {
				printf(", written to ");
				cli_print_safe(stdout, c->portrait_out);
			}
			putchar('\n');
			continue;
		}
		if ((r = cli_print_value(stdout, d->value)) != MINDL_OK)
			return r;
		putchar('\n');
	}
	mindl_verified_validity(v, &sa, &from, &until);
	fmt_time(from, vf);
	fmt_time(until, vu);
	printf("dropped: %zu (outside the profile, not shown)\n", dropped +
	    mindl_verified_dropped(v));
	printf("valid from: %s\nvalid until: %s\n", vf, vu);
	printf("signer: %s\n", mindl_verified_signer(v));
	if (c->is_static && c->fido2)
		printf("device auth: fido2 (the code's security key answered "
		    "this reader's fresh challenge)\n");
	else if (c->is_static)
		printf("device auth: none (a static code: not holder-bound)\n");
	else
		printf("device auth: %s\n",
		    devauth_name(mindl_verified_devauth(v)));
	return MINDL_OK;
}

static int
starts_like_json(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
		    p[i] == '\r')
			continue;
		return p[i] == '{';
	}
	return 0;
}

/* The reader's ephemeral private key: PEM (PKCS#8 or SEC1) or JSON. */
static int
load_reader_key(struct vctx *c)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	int r;

	if ((r = mindl_key_read_pem(c->keyp, NULL, &c->rkey)) == MINDL_OK) {
		if (!mindl_key_is_private(c->rkey)) {
			return cli_failx(2, c->keyp, MINDL_ERR_KEY, "this is a "
			    "public key: give the reader's ephemeral private "
			    "key (the REQ.key of mindl-verifier request)");
		}
		return 0;
	}
	if (r == MINDL_ERR_IO || r == MINDL_ERR_NO_FILE ||
	    r == MINDL_ERR_ACCESS) {
		return cli_failx(2, c->keyp, r, "cannot read the reader key: %s",
		    mindl_strerr(r));
	}
	if (mindl_file_read(c->keyp, 65536, &buf, &len) == MINDL_OK &&
	    starts_like_json(buf, len)) {
		mindl_freezero(buf, len);
		/* Test vectors publish keys as JSON {x, y, d} or JWK. */
		if ((r = mindl_key_read_json(c->keyp, &c->rkey)) == MINDL_OK)
			return 0;
		return cli_failx(2, c->keyp, r, "not a usable JSON private "
		    "key: %s", mindl_strerr(r));
	}
	if (buf != NULL)
		mindl_freezero(buf, len);
	return cli_failx(2, c->keyp, r, "not a usable PEM private key: %s",
	    mindl_strerr(r));
}

/* 2 with a message if path (an output) exists, a symlink included. */
static int
refuse_existing(const char *path)
{
	struct stat st;

	if (path == NULL || strcmp(path, "-") == 0 || lstat(path, &st) != 0)
		return 0;
	return cli_failx(2, path, MINDL_ERR_EXISTS, "exists: refusing to "
	    "overwrite it (use --force, or name a new file); nothing verified");
}

/*
 * A portrait is biometric data: it is kept in a file only when the
 * request told the holder so (intent_to_retain, which the holder's
 * consent report shows) and the profile lets its kind of verifier keep
 * it, so that a bar's tool cannot quietly keep faces it promised not to.
 */
static int
may_keep_portrait(const struct vctx *c)
{
	const char *ns, *id;
	size_t i;
	int retain = 0;

	if (c->req == NULL)
		return cli_usage_error("verify", "--out-portrait: only with "
		    "--request, whose intent_to_retain says the portrait is "
		    "kept");
	for (i = 0; i < mindl_request_count(c->req); i++) {
		mindl_request_element(c->req, i, &ns, &id, &retain);
		if (strcmp(ns, MINDL_NS_ISO) == 0 &&
		    strcmp(id, "portrait") == 0)
			break;
	}
	if (i == mindl_request_count(c->req) || !retain ||
	    !mindl_profile_may_retain(c->prof, MINDL_NS_ISO, "portrait"))
		return cli_failx(2, "--out-portrait", MINDL_ERR_PROFILE,
		    "%s: the request did not tell the holder that the "
		    "portrait is kept: only a profile that may keep it, "
		    "asked with \"mindl-verifier request --retain\", can "
		    "write it; nothing verified", c->reqp);
	return 0;
}

/*
 * Drawn only on a terminal that shows 24-bit colour in a UTF-8 locale;
 * elsewhere (a pipe, a log, --json) the portrait is its size alone.
 */
static int
can_draw(const struct vctx *c)
{
	const char *ct = getenv("COLORTERM");

	return !c->no_draw && !c->json && c->prof != NULL &&
	    mindl_profile_portrait(c->prof) && isatty(STDOUT_FILENO) &&
	    cli_text_flags() == 0 && ct != NULL &&
	    (strcmp(ct, "truecolor") == 0 || strcmp(ct, "24bit") == 0);
}

/* The roots of a trust store (mindl-verifier trust), read-only. */
static int
load_store(struct vctx *c, const char *given)
{
	struct tdb *db = NULL;
	char *path = NULL, err[256];
	size_t n = 0;
	int r, rc = 0;

	if ((r = tdb_resolve(given, &path)) != MINDL_OK)
		return cli_fail("--trust", r);
	if ((r = tdb_open(path, 0, 0, &db, err, sizeof(err))) != MINDL_OK) {
		rc = cli_failx(2, path, r, "cannot read the trust store: %s",
		    err[0] != '\0' ? err : mindl_strerr(r));
		goto out;
	}
	if ((r = tdb_load(db, c->ts, &n)) != MINDL_OK) {
		rc = cli_failx(2, path, r, "cannot use the trust store: %s",
		    tdb_errmsg(db) != NULL ? tdb_errmsg(db) : mindl_strerr(r));
		goto out;
	}
 out:
	tdb_close(&db);
	free(path);
	return rc;
}

/*
 * A root used with an Annex B deviation allowed for it (a VICAL's, or
 * one imported with --allow) is named on every verification that used
 * it: accepted, never silently.
 */
static void
warn_deviations(struct vctx *c, const struct mindl_verified *v)
{
	const uint8_t *der;
	size_t len;
	unsigned bit;

	mindl_verified_ds_cert(v, &der, &len);
	if (der == NULL || mindl_trust_ds_deviations(c->ts, der, len,
	    &c->root_dev) != MINDL_OK)
		return;
	for (bit = 1; bit <= MINDL_DEV_ALL; bit <<= 1)
		if ((c->root_dev & bit) != 0 &&
		    mindl_x509_deviation_name(bit) != NULL)
			cli_warn("trust", "warning: the issuer's root deviates "
			    "from ISO 18013-5 Annex B (%s), allowed for it in "
			    "the trust store", mindl_x509_deviation_name(bit));
}

/* Everything on the verifier's side: a problem here is configuration. */
static int
setup(struct vctx *c)
{
	size_t i, n;
	const char *pid;
	int r;

	if ((r = mindl_schema_builtin(&c->schema)) != MINDL_OK)
		return cli_fail("schema", r);
	if (c->at_s != NULL) {
		if (mindl_time_parse(c->at_s, &c->at) != MINDL_OK) {
			return cli_usage_error(c->verb, "--at: \"%s\" is not "
			    "a time (YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or now)",
			    c->at_s);
		}
	} else
		c->at = mindl_now();
	if ((r = mindl_trust_new(&c->ts)) != MINDL_OK)
		return cli_fail("trust", r);
	for (i = 0; i < c->ntrust; i++) {
		/* A trust store (directory or SQLite file), or PEM roots. */
		if (tdb_is_store(c->trust[i])) {
			if ((r = load_store(c, c->trust[i])) != 0)
				return r;
			continue;
		}
		if ((r = mindl_trust_add_pem_file(c->ts, c->trust[i])) !=
		    MINDL_OK) {
			return cli_failx(2, c->trust[i], r, "cannot use as a "
			    "trust anchor: %s", mindl_strerr(r));
		}
	}
	if (mindl_trust_count(c->ts) == 0) {
		return cli_failx(2, "--trust", MINDL_ERR_CONFIG, "no trust "
		    "anchors loaded");
	}
	if (c->reqp != NULL) {
		if ((r = mindl_file_read(c->reqp, MAX_FILE, &c->reqbuf,
		    &c->reqlen)) != MINDL_OK) {
			return cli_failx(2, c->reqp, r, "cannot read the "
			    "request: %s", mindl_strerr(r));
		}
		if ((r = mindl_request_parse(c->reqbuf, c->reqlen,
		    &c->req)) != MINDL_OK) {
			if (!cli_wrong_kind(c->reqp, c->reqbuf, c->reqlen,
			    "request", "give the request file made by "
			    "mindl-verifier request, the one the holder "
			    "answered"))
				(void)cli_failx(2, c->reqp, r, "not a usable "
				    "request file: %s", mindl_strerr(r));
			return 2;
		}
		if ((pid = mindl_request_profile(c->req)) == NULL) {
			return cli_failx(2, c->reqp, MINDL_ERR_PROFILE, "the "
			    "request names no profile");
		}
		if ((c->prof = mindl_schema_profile(c->schema, pid)) == NULL) {
			return cli_failx(2, c->reqp, MINDL_ERR_PROFILE,
			    "unknown profile \"%s\" (see \"mindl-verifier "
			    "profiles\")", pid);
		}
		if (c->keyp == NULL) {
			n = strlen(c->reqp) + sizeof(".key");
			if ((c->defkey = malloc(n)) == NULL)
				return cli_fail("verify", MINDL_ERR_NOMEM);
			snprintf(c->defkey, n, "%s.key", c->reqp);
			c->keyp = c->defkey;
		}
	} else if (c->profid != NULL &&
	    (c->prof = mindl_schema_profile(c->schema, c->profid)) == NULL) {
		return cli_failx(2, "--profile", MINDL_ERR_PROFILE, "unknown "
		    "profile \"%s\" (see \"mindl-verifier profiles\")",
		    c->profid);
	}
	if (c->keyp != NULL && (r = load_reader_key(c)) != 0)
		return r;
	/* Another session's key would make every response look forged. */
	if (c->req != NULL && c->rkey != NULL &&
	    (r = mindl_request_reader_key_is(c->req, c->rkey)) != MINDL_OK)
		return cli_failx(2, c->keyp, r, "%s", r ==
		    MINDL_ERR_KEY_MISMATCH ? "this is not the reader key of "
		    "this request: give the key made with it (REQ.key, or the "
		    "request's --out-key); nothing verified" : mindl_strerr(r));
	if (c->portrait_out != NULL && (r = may_keep_portrait(c)) != 0)
		return r;
	/*
	 * The status cache: one named must exist; the default may not (no
	 * list imported yet: a credential's status is then unknown).
	 */
	if (c->status_db != NULL && access(c->status_db, R_OK) != 0)
		return cli_failx(2, c->status_db, MINDL_ERR_NO_FILE, "cannot "
		    "read the status cache: give a file made by "
		    "\"mindl-verifier status import\"; nothing verified");
	if (c->status_db == NULL && sdb_default_path(&c->defdb) == MINDL_OK)
		c->status_db = c->defdb;
	/*
	 * An output that exists is refused before anything is verified, so
	 * that nobody reads a verdict beside a file still holding the last
	 * customer's photo.  (The write itself is exclusive too.)
	 */
	if (!c->force && ((r = refuse_existing(c->portrait_out)) != 0 ||
	    (r = refuse_existing(c->st_out)) != 0))
		return r;
	return 0;
}

/* The text of a code as a scanner types it: judged by the decoder. */
#define MAX_QR_FILE	65536

/* Reads what the holder (or another reader's session) handed over. */
static int
read_inputs(struct vctx *c)
{
	const char *p = c->imagep != NULL ? c->imagep : c->qrtextp;
	int r;

	if (c->is_static) {
		if ((r = mindl_file_read(p, c->imagep != NULL ?
		    MINDL_QR_MAX_IMAGE : MAX_QR_FILE, &c->code, &c->codelen)) !=
		    MINDL_OK)
			cli_warn(p, "cannot read the %s: %s (%s)", c->imagep !=
			    NULL ? "image" : "code's text", mindl_strerr(r),
			    mindl_errname(r));
		return r;
	}
	if (c->reqp != NULL)
		r = mindl_file_read(c->respp, MAX_FILE, &c->resp, &c->resplen);
	else
		r = read_bin_or_hex(c->respp, &c->resp, &c->resplen);
	if (r != MINDL_OK) {
		cli_warn(c->respp, "cannot read the response: %s (%s)",
		    mindl_strerr(r), mindl_errname(r));
		return r;
	}
	if (c->stp != NULL &&
	    (r = read_bin_or_hex(c->stp, &c->st, &c->stlen)) != MINDL_OK) {
		cli_warn(c->stp, "cannot read the session transcript: %s (%s)",
		    mindl_strerr(r), mindl_errname(r));
		return r;
	}
	return MINDL_OK;
}

/*
 * The CBOR a static code carries: the code found in the image (scan),
 * then its text decoded (mindl/qr.h: bounded, a bomb stops at 16 KiB).
 * Failures are verdicts on the code, with c->msg saying which.
 */
static int
decode_code(struct vctx *c)
{
	const char *p = c->imagep != NULL ? c->imagep : c->qrtextp;
	struct mindl_buf text, cbor;
	const uint8_t *t = c->code;
	size_t tl = c->codelen;
	int r;

	mindl_buf_init(&text, MAX_QR_FILE);
	mindl_buf_init(&cbor, MINDL_QR_MAX_INFLATED);
	if (c->imagep != NULL) {
		if ((r = mindl_qr_scan(c->code, c->codelen, &text)) !=
		    MINDL_OK) {
			snprintf(c->msg, sizeof(c->msg), r ==
			    MINDL_ERR_QR_NOT_FOUND ? "no readable QR code in %s "
			    "(none, more than one, or too damaged): scan it "
			    "again" : r == MINDL_ERR_UNSUPPORTED ? "%s is "
			    "neither a PNG nor a JPEG picture" : r ==
			    MINDL_ERR_TOO_LARGE ? "%s is too large a picture "
			    "(32 MiB, 8192 pixels a side at most)" :
			    "cannot scan %s", p);
			goto out;
		}
		t = mindl_buf_ptr(&text);
		tl = mindl_buf_len(&text);
	}
	if ((r = mindl_qr_text_decode(t, tl, &cbor)) != MINDL_OK) {
		snprintf(c->msg, sizeof(c->msg), r == MINDL_ERR_QR ? "the code "
		    "%s%s is not a mindl code (MDL1: and base45 of zlib, 16 KiB "
		    "at most), or it is damaged" : r == MINDL_ERR_TOO_LARGE ?
		    "the code %s%s is longer than any QR code holds" :
		    "cannot decode the code %s%s", c->imagep != NULL ? "in " :
		    "from ", p);
		goto out;
	}
	if ((c->resp = malloc(mindl_buf_len(&cbor))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	memcpy(c->resp, mindl_buf_ptr(&cbor), mindl_buf_len(&cbor));
	c->resplen = mindl_buf_len(&cbor);
 out:
	mindl_buf_clear(&text);
	mindl_buf_clear(&cbor);
	return r;
}

static int
write_transcript(struct vctx *c)
{
	uint8_t *st = NULL;
	size_t stlen = 0;
	int r;

	if ((r = mindl_transcript_from_files(c->req, c->resp, c->resplen, &st,
	    &stlen)) != MINDL_OK) {
		cli_warn("--out-transcript", "no transcript from this "
		    "response: %s (%s); nothing written", mindl_strerr(r),
		    mindl_errname(r));
		return 0;
	}
	r = mindl_file_write(c->st_out, st, stlen,
	    c->force ? 0 : MINDL_FILE_EXCL);
	free(st);
	if (r == MINDL_ERR_EXISTS)
		return cli_failx(2, c->st_out, r, "exists: refusing to "
		    "overwrite (use --force)");
	return r == MINDL_OK ? 0 : cli_fail(c->st_out, r);
}

static int
write_portrait(struct vctx *c, const struct mindl_verified *v)
{
	const struct mindl_disclosed *d;
	int r;

	if ((d = find_portrait(c, v)) == NULL) {
		cli_warn("--out-portrait", "no portrait disclosed within the "
		    "profile; nothing written");
		return 0;
	}
	r = mindl_file_write(c->portrait_out, d->value->ptr, d->value->len,
	    MINDL_FILE_PRIVATE | (c->force ? 0 : MINDL_FILE_EXCL));
	c->write_err = r;
	if (r == MINDL_ERR_EXISTS) {
		cli_warn(c->portrait_out, "appeared during verification: "
		    "refusing to overwrite it; portrait not written");
		return 2;
	}
	if (r != MINDL_OK) {
		cli_warn(c->portrait_out, "cannot write the portrait: %s (%s)",
		    mindl_strerr(r), mindl_errname(r));
		return mindl_err_exitcode(r);
	}
	c->portrait_written = 1;
	return 0;
}

const struct cli_opt verify_opts[O_V_N] = {
	[O_V_TRUST] = { "trust", 0, CLI_ARG | CLI_MANY, "IACA.pem",
	    "trusted issuing authority roots (PEM bundle, or a trust store "
	    "made by \"trust\")" },
	[O_V_REQUEST] = { "request", 0, CLI_ARG, "REQ",
	    "the request the holder answered (mindl-verifier request)" },
	[O_V_RESPONSE] = { "response", 0, CLI_ARG, "RESP",
	    "the holder's response (- for stdin)" },
	[O_V_TRANSCRIPT] = { "transcript", 0, CLI_ARG, "ST",
	    "another reader's SessionTranscriptBytes (binary or hex)" },
	[O_V_READER_KEY] = { "reader-key", 0, CLI_ARG, "K",
	    "the reader's ephemeral private key (default REQ.key)" },
	[O_V_PROFILE] = { "profile", 0, CLI_ARG, "ID",
	    "with --transcript or --qr-text: the profile to show and judge" },
	[O_V_AT] = { "at", 0, CLI_ARG, "TIME",
	    "verify as of TIME (YYYY-MM-DD[THH:MM:SSZ]) instead of now" },
	[O_V_OUT_TRANSCRIPT] = { "out-transcript", 0, CLI_ARG, "ST",
	    "write the session transcript here" },
	[O_V_OUT_PORTRAIT] = { "out-portrait", 0, CLI_ARG, "FILE",
	    "keep the portrait here (0600): only when the request said so" },
	[O_V_NO_PORTRAIT] = { "no-portrait", 0, 0, NULL,
	    "do not draw the portrait on the terminal" },
	[O_V_CONSUME] = { "consume", 0, 0, NULL,
	    "delete the reader key after a valid response" },
	[O_V_FORCE] = { "force", 'f', 0, NULL,
	    "replace existing output files" },
	[O_V_STATUS_DB] = { "status-db", 0, CLI_ARG, "DB",
	    "the status-list cache to consult (default "
	    "$XDG_DATA_HOME/mindl/status.db)" },
	[O_V_REQUIRE_STATUS] = { "require-status", 0, 0, NULL,
	    "fail when the credential's status is unknown" },
	[O_V_QR_TEXT] = { "qr-text", 0, CLI_ARG, "FILE",
	    "a purpose credential's code as scanned text (- for stdin)" },
	[O_V_FIDO2] = { "fido2", 0, 0, NULL,
	    "with --qr-text: the code's security key, plugged in here, must "
	    "answer a fresh challenge" },
	[O_V_DEVICE] = { "device", 0, CLI_ARG, "PATH",
	    "with --fido2: the key (default: the first one found)" },
	[O_V_PIN_FD] = { "pin-fd", 0, CLI_ARG, "N",
	    "with --fido2: read the key's PIN from descriptor N" },
	[O_V_FIDO2_UV] = { "fido2-uv", 0, 0, NULL,
	    "a security key's answer must carry user verification (PIN)" },
};
const struct cli_opt scan_opts[O_SC_N] = {
	[O_SC_TRUST] = { "trust", 0, CLI_ARG | CLI_MANY | CLI_REQ, "IACA.pem",
	    "trusted issuing authority roots (PEM bundle, or a trust store "
	    "made by \"trust\")" },
	[O_SC_PROFILE] = { "profile", 0, CLI_ARG, "ID",
	    "show and judge this profile (default: the code's own)" },
	[O_SC_AT] = { "at", 0, CLI_ARG, "TIME",
	    "verify as of TIME (YYYY-MM-DD[THH:MM:SSZ]) instead of now" },
	[O_SC_NO_PORTRAIT] = { "no-portrait", 0, 0, NULL,
	    "do not draw the portrait on the terminal" },
	[O_SC_STATUS_DB] = { "status-db", 0, CLI_ARG, "DB",
	    "the status-list cache to consult (default "
	    "$XDG_DATA_HOME/mindl/status.db)" },
	[O_SC_REQUIRE_STATUS] = { "require-status", 0, 0, NULL,
	    "fail when the credential's status is unknown" },
	[O_SC_FIDO2] = { "fido2", 0, 0, NULL,
	    "the code's security key, plugged in here, must answer a fresh "
	    "challenge" },
	[O_SC_DEVICE] = { "device", 0, CLI_ARG, "PATH",
	    "with --fido2: the key (default: the first one found)" },
	[O_SC_PIN_FD] = { "pin-fd", 0, CLI_ARG, "N",
	    "with --fido2: read the key's PIN from descriptor N" },
	[O_SC_FIDO2_UV] = { "fido2-uv", 0, 0, NULL,
	    "with --fido2: the key's answer must carry user verification" },
};
static int
parse_args(struct vctx *c, const struct cli_args *a)
{
	c->ntrust = cli_list(a, O_V_TRUST, c->trust, MINDL_MAX_TRUST);
	if (c->ntrust > MINDL_MAX_TRUST)
		return cli_usage_error("verify", "at most %d --trust files",
		    MINDL_MAX_TRUST);
	c->reqp = a->val[O_V_REQUEST];
	c->respp = a->val[O_V_RESPONSE];
	c->stp = a->val[O_V_TRANSCRIPT];
	c->keyp = a->val[O_V_READER_KEY];
	c->profid = a->val[O_V_PROFILE];
	c->at_s = a->val[O_V_AT];
	c->st_out = a->val[O_V_OUT_TRANSCRIPT];
	c->portrait_out = a->val[O_V_OUT_PORTRAIT];
	c->consume = cli_has(a, O_V_CONSUME);
	c->no_draw = cli_has(a, O_V_NO_PORTRAIT);
	c->force = cli_has(a, O_V_FORCE);
	c->status_db = a->val[O_V_STATUS_DB];
	c->require_status = cli_has(a, O_V_REQUIRE_STATUS);
	c->qrtextp = a->val[O_V_QR_TEXT];
	c->fido2 = cli_has(a, O_V_FIDO2);
	c->fido2_uv = cli_has(a, O_V_FIDO2_UV);
	c->fido_dev = a->val[O_V_DEVICE];
	c->fido_pinfd = a->val[O_V_PIN_FD];
	c->json = a->json;
	c->verb = "verify";
	if (!c->fido2 && (c->fido_dev != NULL || c->fido_pinfd != NULL))
		return cli_usage_error("verify", "--device and --pin-fd go "
		    "with --fido2");
	if (c->fido2 && c->qrtextp == NULL)
		return cli_usage_error("verify", "--fido2 is for a scanned "
		    "code (--qr-text): a response's security-key answer is "
		    "checked without it");
	if (c->ntrust == 0)
		return cli_usage_error("verify", "no trust anchors: give "
		    "--trust IACA.pem");
	if (c->qrtextp != NULL) {
		/* A static code: no session, nothing to write. */
		if (c->reqp != NULL || c->respp != NULL || c->stp != NULL ||
		    c->keyp != NULL || c->st_out != NULL ||
		    c->portrait_out != NULL || c->consume)
			return cli_usage_error("verify", "--qr-text: a code "
			    "stands alone; it goes with none of --request, "
			    "--response, --transcript, --reader-key, "
			    "--out-transcript, --out-portrait, --consume");
		c->is_static = 1;
		return 0;
	}
	if (c->respp == NULL)
		return cli_usage_error("verify", "give --response (the "
		    "holder's), or --qr-text for a scanned code");
	if ((c->reqp == NULL) == (c->stp == NULL))
		return cli_usage_error("verify", "give --request (a mindl "
		    "request) or --transcript (another reader's session), "
		    "one of them");
	if (c->reqp != NULL && c->profid != NULL)
		return cli_usage_error("verify", "--profile: the request names "
		    "the profile; --profile is for --transcript");
	if (c->stp != NULL && c->st_out != NULL)
		return cli_usage_error("verify", "--out-transcript: only with "
		    "--request");
	if (c->reqp != NULL && strcmp(c->reqp, "-") == 0 && c->keyp == NULL)
		return cli_usage_error("verify", "--request from stdin needs "
		    "--reader-key");
	if (c->consume && c->keyp == NULL && c->reqp == NULL)
		return cli_usage_error("verify", "--consume: no reader key to "
		    "delete");
	if ((c->reqp != NULL && strcmp(c->reqp, "-") == 0 &&
	    strcmp(c->respp, "-") == 0) ||
	    (c->stp != NULL && strcmp(c->stp, "-") == 0 &&
	    strcmp(c->respp, "-") == 0))
		return cli_usage_error("verify", "only one input can come "
		    "from stdin");
	return 0;
}

static void
fmt_day(int64_t t, char out[MINDL_FULLDATE_LEN + 1])
{
	int64_t d = t >= 0 ? t / MINDL_DAY : -((-t + MINDL_DAY - 1) /
	    MINDL_DAY);

	if (mindl_fulldate_format(d, out) != MINDL_OK)
		snprintf(out, MINDL_FULLDATE_LEN + 1, "?");
}

/*
 * The failures a person must act on differently, with their dates: a
 * wrong clock is not an expired licence, and a copy whose signature
 * lapsed is not a licence that did.
 */
static void
explain(struct vctx *c, int err)
{
	const struct mindl_verify_fault *f = &c->fault;
	char now[MINDL_FULLDATE_LEN + 1], d1[MINDL_FULLDATE_LEN + 1];
	char d2[MINDL_FULLDATE_LEN + 1], t1[MINDL_TDATE_LEN + 1];
	char t2[MINDL_TDATE_LEN + 1];

	c->msg[0] = '\0';
	fmt_day(f->at, now);
	fmt_time(f->at, t2);
	if (err == MINDL_ERR_EXPIRED && f->has_mso) {
		fmt_day(f->valid_until, d1);
		if (f->has_expiry && mindl_fulldate_format(f->expiry_day,
		    d2) == MINDL_OK && strcmp(d2, now) >= 0)
			snprintf(c->msg, sizeof(c->msg), "the licence is valid "
			    "until %s but this copy's signature expired on %s: "
			    "the holder must renew it", d2, d1);
		else if (f->has_expiry && mindl_fulldate_format(f->expiry_day,
		    d2) == MINDL_OK)
			snprintf(c->msg, sizeof(c->msg), "the licence expired "
			    "on %s", d2);
		else
			snprintf(c->msg, sizeof(c->msg), "this copy's signature "
			    "expired on %s: the holder must renew it", d1);
	} else if (err == MINDL_ERR_NOT_YET_VALID && f->has_mso) {
		fmt_time(f->valid_from, t1);
		snprintf(c->msg, sizeof(c->msg), "this copy is valid from %s "
		    "but the reader's clock says %s: check the clock", t1, t2);
	} else if (err == MINDL_ERR_SIGNED_LATER && f->has_mso) {
		fmt_time(f->signed_at, t1);
		snprintf(c->msg, sizeof(c->msg), "this copy was signed at %s, "
		    "after the reader's clock (%s): check the clock", t1, t2);
	} else if (err == MINDL_ERR_CERT_EXPIRED && f->cert != NULL &&
	    f->has_cert_dates) {
		fmt_day(f->not_before, d1);
		fmt_day(f->not_after, d2);
		if (f->at < f->not_before)
			snprintf(c->msg, sizeof(c->msg), "the reader's clock "
			    "(%s) is before the %s certificate's notBefore %s: "
			    "check the clock", now, f->cert, d1);
		else
			snprintf(c->msg, sizeof(c->msg), "the %s certificate "
			    "expired on %s (the reader's clock says %s): the "
			    "issuer must renew the credential, or check the "
			    "clock", f->cert, d2, now);
	} else if (err == MINDL_ERR_CERT_EXPIRED && f->cert != NULL)
		snprintf(c->msg, sizeof(c->msg), "the issuing authority's root "
		    "certificate (IACA) is not valid on %s: check the clock, "
		    "or the trust list", now);
	else if (err == MINDL_ERR_DEVIATION)
		snprintf(c->msg, sizeof(c->msg), "the issuing authority's root "
		    "deviates from ISO 18013-5 Annex B in a way not allowed "
		    "for it: if you trust it as it is, import it with "
		    "\"mindl-verifier trust import --allow\" and verify with "
		    "--trust STORE");
	else if (err == MINDL_ERR_JURISDICTION)
		snprintf(c->msg, sizeof(c->msg), "the licence claims an "
		    "issuing country or jurisdiction other than the one its "
		    "signer's certificate names: do not accept it");
}

/*
 * A static code with --fido2: the credential id it carries, a fresh
 * transcript of this reader's, the plugged-in key's assertion over its
 * DeviceAuthenticationBytes, and the code verified with it
 * (mindl_verify_static_bound).  A key that cannot answer is a verdict,
 * with c->msg saying what to do.
 */
static int
verify_fido2_code(struct vctx *c, struct mindl_verified **v)
{
	static const char doctype[] = MINDL_DOCTYPE_MDL;
	struct mindl_static_binding b;
	struct mindl_fido_assertion fa;
	struct mindl_fido_signer fs;
	struct mindl_fido_dev *key = NULL;
	struct mindl_cbor *doc = NULL;
	struct mindl_document *d = NULL;
	uint8_t *st = NULL, *dab = NULL;
	size_t stlen = 0, dablen = 0;
	char *pin = NULL;
	int r;

	memset(&fs, 0, sizeof(fs));
	memset(&fa, 0, sizeof(fa));
	memset(&b, 0, sizeof(b));
	/* Which credential: the id beside the code's issuerSigned. */
	if ((r = mindl_cbor_decode(c->resp, c->resplen, &doc)) != MINDL_OK ||
	    (r = mindl_document_parse(mindl_cbor_root(doc), 0, &d)) !=
	    MINDL_OK)
		goto out;
	mindl_document_fido_id(d, &fs.cred_id, &fs.cred_idlen);
	if (fs.cred_id == NULL) {
		r = MINDL_ERR_NOT_KEY_BOUND;
		snprintf(c->msg, sizeof(c->msg), "this code is not bound to a "
		    "security key: verify it without --fido2 and compare the "
		    "portrait");
		goto out;
	}
	if ((r = mindl_static_transcript(&st, &stlen)) != MINDL_OK ||
	    (r = mindl_static_devauth_bytes(st, stlen, doctype,
	    sizeof(doctype) - 1, &dab, &dablen)) != MINDL_OK)
		goto out;
	if (c->fido_pinfd != NULL && cli_pin("the holder's security key",
	    "--pin-fd", c->fido_pinfd, &pin) != 0) {
		r = MINDL_ERR_PASSPHRASE;
		snprintf(c->msg, sizeof(c->msg), "no PIN read from --pin-fd");
		goto out;
	}
	if ((r = cli_fido_open(c->fido_dev, &key)) != MINDL_OK) {
		snprintf(c->msg, sizeof(c->msg), "no security key answered: "
		    "ask the holder to plug in their key (or name it with "
		    "--device)");
		goto out;
	}
	fs.dev = key;
	fs.rpid = MINDL_FIDO_HOLDER_RPID;
	fs.pin = pin;
	fs.require_uv = c->fido2_uv;
	cli_warn(NULL, "holder: touch your security key");
	r = mindl_fido_assert(&fs, dab, dablen, &fa);
	if (r == MINDL_ERR_PASSPHRASE && pin == NULL) {
		/* The key wants its PIN: the holder types it, once. */
		if (cli_pin("the holder's security key", "--pin-fd", NULL,
		    &pin) == 0) {
			fs.pin = pin;
			r = mindl_fido_assert(&fs, dab, dablen, &fa);
		}
	}
	if (r != MINDL_OK) {
		snprintf(c->msg, sizeof(c->msg), "%s", r ==
		    MINDL_ERR_NOT_DEVICE_KEY ? "this security key is not the "
		    "one the code was issued to: do not accept the code" : r ==
		    MINDL_ERR_FIDO_PRESENCE && c->fido2_uv ? "the security "
		    "key was not touched, or did not verify its user (PIN) as "
		    "--fido2-uv asks: ask the holder to try again" : r ==
		    MINDL_ERR_FIDO_PRESENCE ? "the security key was not "
		    "touched, or the touch was refused: ask the holder to try "
		    "again" : r == MINDL_ERR_PASSPHRASE ? "the security key "
		    "refused the PIN" : "the security key failed: try again, "
		    "or verify without --fido2 and compare the portrait");
		goto out;
	}
	b.st = st;
	b.stlen = stlen;
	b.assertion = &fa;
	b.policy.rpid = MINDL_FIDO_HOLDER_RPID;
	b.policy.require_uv = c->fido2_uv;
	r = mindl_verify_static_bound(c->ts, c->schema, c->at, c->prof, &b,
	    c->resp, c->resplen, v, &c->fault);
	if (r == MINDL_ERR_FIDO_RPID || r == MINDL_ERR_FIDO_AUTHDATA ||
	    r == MINDL_ERR_FIDO_PRESENCE || r == MINDL_ERR_DEVICE_AUTH)
		snprintf(c->msg, sizeof(c->msg), "the security key's answer "
		    "does not prove the code's key: %s; do not accept the code",
		    mindl_strerr(r));
 out:
	mindl_document_free(&d);
	mindl_cbor_free(&doc);
	mindl_fido_dev_free(&key);
	cli_pass_free(&pin);
	free(st);
	free(dab);
	mindl_wipe(&fa, sizeof(fa));
	return r;
}

/* Verification errors are verdicts (1) unless the machine failed (3). */
static int
verdict_exit(int err)
{
	switch (err) {
	case MINDL_OK:
		return 0;
	case MINDL_ERR_NOMEM:
	case MINDL_ERR_INTERNAL:
	case MINDL_ERR_IO:
	case MINDL_ERR_FIDO:	/* no key here: the machine, not the code */
		return 3;
	default:
		return 1;
	}
}

/* Verifies what parse_args or parse_scan gathered, and prints it. */
static int
run(struct vctx *c)
{
	struct mindl_verified *v = NULL;
	/* A response a holder's security key signed: the holders' rpId. */
	struct mindl_fido_policy fp = { MINDL_FIDO_HOLDER_RPID, c->fido2_uv };
	int r, err, rc, prc;

	if ((rc = setup(c)) != 0)
		goto out;
	if ((err = read_inputs(c)) != MINDL_OK) {
		/* The holder's side failed: still one verdict object. */
		if (c->json)
			(void)print_json(c, err, NULL);
		rc = err == MINDL_ERR_TOO_LARGE ? 1 : 3;
		goto out;
	}
	if (c->st_out != NULL && (rc = write_transcript(c)) != 0)
		goto out;
	if (c->is_static && (err = decode_code(c)) != MINDL_OK)
		;	/* c->msg says what is wrong with the code */
	else {
		if (c->is_static && c->fido2)
			err = verify_fido2_code(c, &v);
		else if (c->is_static)
			err = mindl_verify_static_fault(c->ts, c->schema, c->at,
			    c->prof, c->resp, c->resplen, &v, &c->fault);
		else if (c->reqp != NULL)
			err = mindl_verify_response_fido2(c->ts, c->schema,
			    c->at, c->req, c->rkey, &fp, c->resp, c->resplen,
			    &v, &c->fault);
		else
			err = mindl_verify_device_response_fault(c->ts,
			    c->schema, c->at, c->st, c->stlen, c->rkey, c->resp,
			    c->resplen, &v, &c->fault);
		/* A security key's failure is explained already. */
		if (err != MINDL_OK && c->msg[0] == '\0')
			explain(c, err);
	}
	if (err == MINDL_OK)
		warn_deviations(c, v);
	/* A static code judges and shows its own profile by default. */
	if (err == MINDL_OK && c->is_static && c->prof == NULL)
		c->prof = mindl_verified_profile(v);
	if (err == MINDL_OK && (err = check_unique(v)) != MINDL_OK)
		mindl_verified_free(&v);
	/* A credential or request given as the response: say so. */
	if (err != MINDL_OK && (c->kind = cli_file_kind(c->resp,
	    c->resplen)) != NULL && strcmp(c->kind, c->is_static ? "document" :
	    c->reqp != NULL ? "response" : "device-response") == 0)
		c->kind = NULL;
	/* Revocation before anything is shown or judged. */
	if (err == MINDL_OK && (err = check_status(c, v)) == MINDL_OK) {
		if (c->status.state == MINDL_STATUS_STATE_REVOKED) {
			err = MINDL_ERR_REVOKED;
			snprintf(c->msg, sizeof(c->msg), "the issuing DMV has "
			    "revoked this licence: do not accept it");
		} else if (c->status.state == MINDL_STATUS_STATE_UNKNOWN &&
		    c->require_status) {
			err = MINDL_ERR_STATUS_UNKNOWN;
			snprintf(c->msg, sizeof(c->msg), "status unknown (%s): "
			    "%s; import a current list with \"mindl-verifier "
			    "status import\"", mindl_errname(c->status.err),
			    c->status.reason);
		}
	}
	if (err != MINDL_OK)
		mindl_verified_free(&v);
	c->met = -1;
	if (err == MINDL_OK && c->prof != NULL &&
	    (err = mindl_purpose_judge(c->prof, v, c->at, &c->met, c->why,
	    sizeof(c->why))) != MINDL_OK)
		mindl_verified_free(&v);
	c->draw = can_draw(c);
	/* Written before the report, which says so only if it was. */
	prc = 0;
	if (err == MINDL_OK && c->portrait_out != NULL)
		prc = write_portrait(c, v);
	r = c->json ? print_json(c, err, v) : print_text(c, err, v);
	if (r != MINDL_OK) {
		rc = cli_fail("output", r);
		goto out;
	}
	if (fflush(stdout) != 0) {
		rc = cli_fail("stdout", MINDL_ERR_IO);
		goto out;
	}
	if (err != MINDL_OK) {
		rc = verdict_exit(err);
		goto out;
	}
	if (prc != 0) {
		rc = prc;
		goto out;
	}
	if (c->consume && unlink(c->keyp) != 0)
		cli_warn(c->keyp, "could not delete the reader key");
	/* Genuine, but not what the verifier needed: a status of its own. */
	rc = c->met == 0 ? mindl_err_exitcode(MINDL_ERR_PURPOSE_NOT_MET) : 0;
 out:
	mindl_verified_free(&v);
	vctx_clear(c);
	return rc;
}

int
cmd_verify(const struct cli_args *a)
{
	struct vctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = parse_args(&c, a)) != 0)
		return rc;
	return run(&c);
}

/*
 * mindl-verifier scan IMAGE: a purpose credential's code in a photo or
 * a screenshot, verified and shown as verify --qr-text shows its text.
 */
int
cmd_scan(const struct cli_args *a)
{
	struct vctx c;

	memset(&c, 0, sizeof(c));
	c.verb = "scan";
	c.ntrust = cli_list(a, O_SC_TRUST, c.trust, MINDL_MAX_TRUST);
	if (c.ntrust > MINDL_MAX_TRUST)
		return cli_usage_error("scan", "at most %d --trust files",
		    MINDL_MAX_TRUST);
	c.imagep = a->pos[0];
	c.profid = a->val[O_SC_PROFILE];
	c.at_s = a->val[O_SC_AT];
	c.no_draw = cli_has(a, O_SC_NO_PORTRAIT);
	c.status_db = a->val[O_SC_STATUS_DB];
	c.require_status = cli_has(a, O_SC_REQUIRE_STATUS);
	c.fido2 = cli_has(a, O_SC_FIDO2);
	c.fido2_uv = cli_has(a, O_SC_FIDO2_UV);
	c.fido_dev = a->val[O_SC_DEVICE];
	c.fido_pinfd = a->val[O_SC_PIN_FD];
	c.json = a->json;
	c.is_static = 1;
	if (!c.fido2 && (c.fido_dev != NULL || c.fido_pinfd != NULL ||
	    c.fido2_uv))
		return cli_usage_error("scan", "--device, --pin-fd and "
		    "--fido2-uv go with --fido2");
	return run(&c);
}
