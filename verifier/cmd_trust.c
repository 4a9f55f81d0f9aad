/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-verifier trust import-vical|import|list|remove: the trust store
 * (trustdb.c).  A VICAL is imported only after its signature chain to a
 * pinned anchor verifies (mindl/vical.h), and its roots are stored with
 * the Annex B deviations they carry allowed, since the list's provider
 * vouches for them; a root imported from a PEM file is held to Annex B
 * unless a deviation is named with --allow.  No network, ever: a list is
 * a file someone handed over.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/vical.h"
#include "cli.h"
#include "verifier.h"

#define PREFIX_MIN	8	/* hex digits to name a root to remove */

const struct cli_opt trust_opts[O_T_N] = {
	[O_T_STORE] = { "store", 0, CLI_ARG, "PATH",
	    "the trust store, a directory or an SQLite file (default "
	    "$XDG_DATA_HOME/mindl/trust.db)" },
	[O_T_ANCHOR] = { "anchor", 0, CLI_ARG, "ROOT.pem",
	    "import-vical: the list provider's root, pinned" },
	[O_T_AT] = { "at", 0, CLI_ARG, "TIME",
	    "import-vical: judge the list's signer as of TIME instead of now" },
	[O_T_ALLOW] = { "allow", 0, CLI_ARG, "DEV,...",
	    "import: Annex B deviations to allow the roots (no-pathlen, "
	    "st-not-iso3166-2, no-issuer-alt-name)" },
};

static void
fmt_time(int64_t t, char out[MINDL_TDATE_LEN + 1])
{
	if (mindl_tdate_format(t, out) != MINDL_OK)
		snprintf(out, MINDL_TDATE_LEN + 1, "?");
}

static void
hex(const uint8_t *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", p[i]);
}

/* The deviation names of dev, comma-separated, into out. */
static void
dev_names(unsigned dev, char *out, size_t outlen)
{
	unsigned bit;
	size_t off = 0;

	out[0] = '\0';
	for (bit = 1; bit <= MINDL_DEV_ALL; bit <<= 1) {
		if ((dev & bit) == 0 || mindl_x509_deviation_name(bit) == NULL)
			continue;
		off += (size_t)snprintf(out + off, outlen - off, "%s%s",
		    off > 0 ? "," : "", mindl_x509_deviation_name(bit));
		if (off >= outlen)
			break;
	}
}

static int
store_path(const struct cli_args *a, char **path, int *is_default)
{
	int r;

	*is_default = a->val[O_T_STORE] == NULL;
	if (!*is_default) {
		if ((r = tdb_resolve(a->val[O_T_STORE], path)) != MINDL_OK)
			return cli_fail("trust", r);
		return 0;
	}
	if ((r = tdb_default_path(path)) != MINDL_OK)
		return cli_failx(2, "--store", r == MINDL_ERR_CONFIG ?
		    MINDL_ERR_CONFIG : r, "no default place for the trust "
		    "store (neither XDG_DATA_HOME nor HOME is an absolute "
		    "path): give --store PATH");
	return 0;
}

static void
row_json(struct jw *w, const struct tdb_row *row)
{
	char h[2 * MINDL_SHA256_LEN + 1], t[MINDL_TDATE_LEN + 1];
	unsigned bit;

	jw_obj(w);
	jw_key(w, "sha256");
	hex(row->sha256, MINDL_SHA256_LEN, h);
	jw_str(w, h);
	jw_key(w, "country");
	jw_str(w, row->c);
	jw_key(w, "jurisdiction");
	jw_str(w, row->st);
	jw_key(w, "name");
	jw_str(w, row->cn);
	jw_key(w, "doctypes");
	jw_str(w, row->doctypes);
	jw_key(w, "source");
	jw_str(w, row->source);
	jw_key(w, "provenance");
	jw_str(w, row->provenance);
	jw_key(w, "deviations");
	jw_arr(w);
	for (bit = 1; bit <= MINDL_DEV_ALL; bit <<= 1)
		if ((row->deviations & bit) != 0 &&
		    mindl_x509_deviation_name(bit) != NULL)
			jw_str(w, mindl_x509_deviation_name(bit));
	jw_end_arr(w);
	jw_key(w, "not_after");
	fmt_time(row->not_after, t);
	jw_str(w, t);
	jw_key(w, "imported");
	fmt_time(row->imported, t);
	jw_str(w, t);
	jw_end_obj(w);
}

/* Names, docTypes and provenance came from outside: escaped. */
static void
row_text(const struct tdb_row *row)
{
	char h[2 * MINDL_SHA256_LEN + 1], t[MINDL_TDATE_LEN + 1], d[128];

	hex(row->sha256, MINDL_SHA256_LEN, h);
	printf("%.16s  ", h);
	cli_print_safe(stdout, row->cn[0] != '\0' ? row->cn : "(no name)");
	fputs(" (", stdout);
	cli_print_safe(stdout, row->st[0] != '\0' ? row->st : row->c);
	fputs(")\n    ", stdout);
	cli_print_safe(stdout, row->doctypes);
	fmt_time(row->not_after, t);
	printf("; until %s; from ", t);
	cli_print_safe(stdout, row->provenance);
	putchar('\n');
	if (row->deviations != 0) {
		dev_names(row->deviations, d, sizeof(d));
		printf("    deviations allowed: %s\n", d);
	}
}

/* A row for der: names from its subject, validity, hash. */
static int
make_row(const uint8_t *der, size_t len, struct tdb_row *row)
{
	struct mindl_x509_names nm;
	int64_t nb;
	int r;

	memset(row, 0, sizeof(*row));
	if ((r = mindl_x509_names(der, len, &nm)) != MINDL_OK ||
	    (r = mindl_x509_validity(der, len, &nb, &row->not_after)) !=
	    MINDL_OK || (r = mindl_sha256(der, len, row->sha256)) != MINDL_OK)
		return r;
	row->der = der;
	row->len = len;
	snprintf(row->c, sizeof(row->c), "%s", nm.c);
	snprintf(row->st, sizeof(row->st), "%s", nm.st);
	snprintf(row->cn, sizeof(row->cn), "%s", nm.cn);
	row->imported = mindl_now();
	return MINDL_OK;
}

/* Why a VICAL was refused, in words that say what to do. */
static int
refuse_vical(const char *file, int r)
{
	switch (r) {
	case MINDL_ERR_CERT_EXPIRED:
		return cli_failf(file, r, "the list's signer certificate (or "
		    "its CA) is not valid at this time: get the current list "
		    "from its provider, or give --at the list's date to read "
		    "an old one; nothing stored");
	case MINDL_ERR_VICAL_SIGNER:
		return cli_failf(file, r, "the list's signer does not chain to "
		    "the pinned --anchor, a certificate in its x5chain was "
		    "altered, or the signer is not a VICAL signer (EKU %s): "
		    "check that --anchor is this provider's root; nothing "
		    "stored", MINDL_VICAL_SIGNER_EKU);
	case MINDL_ERR_SIGNATURE:
		return cli_failf(file, r, "the list's signature does not "
		    "verify: it was altered or damaged; nothing stored");
	case MINDL_ERR_VICAL_ENTRY:
		return cli_failf(file, r, "an entry of the list contradicts "
		    "the certificate it lists; nothing stored");
	case MINDL_ERR_X5CHAIN:
		return cli_failf(file, r, "the list carries no signer "
		    "certificate (x5chain); nothing stored");
	default:
		return cli_failf(file, r, "not a usable VICAL (ISO 18013-5 "
		    "Annex C): %s; nothing stored", mindl_strerr(r));
	}
}

static int
open_rw(const char *path, int dflt, struct tdb **db)
{
	char err[256];
	int r;

	if ((r = tdb_open(path, 1, dflt, db, err, sizeof(err))) != MINDL_OK)
		return err[0] != '\0' ? cli_failf(path, r, "cannot open the "
		    "trust store: %s", err) : cli_failf(path, r, "cannot "
		    "open the trust store: %s", mindl_strerr(r));
	return 0;
}

static int
trust_import_vical(const struct cli_args *a)
{
	const struct mindl_vical_entry *e;
	struct mindl_vical *v = NULL;
	struct mindl_x509_names nm;
	struct tdb *db = NULL;
	struct tdb_row *rows = NULL;
	struct jw w;
	uint8_t *buf = NULL, *anchor = NULL;
	size_t buflen = 0, anchorlen = 0, i, n = 0, skipped = 0;
	char *path = NULL, date[MINDL_TDATE_LEN + 1], prov[512];
	uint64_t id = 0;
	int64_t at;
	int r, rc = 3, dflt = 0, replaced, has_id;

	if (a->npos != 2)
		return cli_usage_error("trust", "import-vical needs one FILE");
	if (a->val[O_T_ANCHOR] == NULL)
		return cli_usage_error("trust", "import-vical: give --anchor "
		    "ROOT.pem, the list provider's root (AAMVA DTS Root CA for "
		    "AAMVA's list)");
	if (a->val[O_T_ALLOW] != NULL)
		return cli_usage_error("trust", "--allow is for import: a "
		    "VICAL's roots get the deviations they carry");
	at = mindl_now();
	if (a->val[O_T_AT] != NULL &&
	    mindl_time_parse(a->val[O_T_AT], &at) != MINDL_OK)
		return cli_usage_error("trust", "--at: \"%s\" is not a time "
		    "(YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or now)",
		    a->val[O_T_AT]);
	if ((rc = store_path(a, &path, &dflt)) != 0)
		return rc;
	if ((r = mindl_x509_read_pem(a->val[O_T_ANCHOR], &anchor,
	    &anchorlen)) != MINDL_OK) {
		rc = cli_failx(2, a->val[O_T_ANCHOR], r, "cannot use as the "
		    "list's anchor: %s", mindl_strerr(r));
		goto out;
	}
	if ((r = mindl_file_read(a->pos[1], MINDL_VICAL_MAX_FILE, &buf,
	    &buflen)) != MINDL_OK) {
		rc = cli_failf(a->pos[1], r, "cannot read the VICAL: %s",
		    mindl_strerr(r));
		goto out;
	}
	if ((r = mindl_vical_open(buf, buflen, anchor, anchorlen, at,
	    &v)) != MINDL_OK) {
		rc = refuse_vical(a->pos[1], r);
		goto out;
	}
	fmt_time(mindl_vical_date(v), date);
	has_id = mindl_vical_issue_id(v, &id);
	if (has_id)
		snprintf(prov, sizeof(prov), "VICAL of %s, issue %llu, %s",
		    mindl_vical_provider(v), (unsigned long long)id, date);
	else
		snprintf(prov, sizeof(prov), "VICAL of %s, %s",
		    mindl_vical_provider(v), date);
	if (mindl_vical_count(v) > 0 && (rows = calloc(mindl_vical_count(v),
	    sizeof(*rows))) == NULL) {
		rc = cli_fail("trust", MINDL_ERR_NOMEM);
		goto out;
	}
	for (i = 0; i < mindl_vical_count(v); i++) {
		e = mindl_vical_at(v, i);
		if (e->profile != MINDL_OK)
			continue;
		if ((r = make_row(e->der, e->len, &rows[n])) != MINDL_OK) {
			rc = cli_failf(a->pos[1], r, "certificateInfos[%zu]: "
			    "%s", i, mindl_strerr(r));
			goto out;
		}
		snprintf(rows[n].doctypes, sizeof(rows[n].doctypes), "%s",
		    e->doctypes);
		snprintf(rows[n].source, sizeof(rows[n].source), "vical");
		snprintf(rows[n].provenance, sizeof(rows[n].provenance), "%s",
		    prov);
		rows[n].deviations = e->dev;
		n++;
	}
	if ((rc = open_rw(path, dflt, &db)) != 0)
		goto out;
	/* All of the list or none of it. */
	if ((r = tdb_begin(db)) != MINDL_OK)
		goto dberr;
	for (i = 0; i < n; i++)
		if ((r = tdb_put(db, &rows[i], &replaced)) != MINDL_OK) {
			tdb_rollback(db);
			goto dberr;
		}
	if ((r = tdb_commit(db)) != MINDL_OK)
		goto dberr;
	if (a->json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "store");
		jw_str(&w, path);
		jw_key(&w, "provider");
		jw_str(&w, mindl_vical_provider(v));
		jw_key(&w, "date");
		jw_str(&w, date);
		jw_key(&w, "issue");
		if (has_id)
			jw_uint(&w, id);
		else
			jw_null(&w);
		jw_key(&w, "roots");
		jw_arr(&w);
		for (i = 0; i < n; i++)
			row_json(&w, &rows[i]);
		jw_end_arr(&w);
		jw_key(&w, "skipped");
		jw_arr(&w);
	} else {
		printf("imported %zu roots into ", n);
		cli_print_safe(stdout, path);
		fputs(" from the ", stdout);
		cli_print_safe(stdout, prov);
		putchar('\n');
		for (i = 0; i < n; i++)
			row_text(&rows[i]);
	}
	/* Entries whose certificate cannot be a root: named, not stored. */
	for (i = 0; i < mindl_vical_count(v); i++) {
		e = mindl_vical_at(v, i);
		if (e->profile == MINDL_OK)
			continue;
		skipped++;
		if (mindl_x509_names(e->der, e->len, &nm) != MINDL_OK)
			snprintf(nm.cn, sizeof(nm.cn), "?");
		if (a->json) {
			jw_obj(&w);
			jw_key(&w, "index");
			jw_uint(&w, i);
			jw_key(&w, "name");
			jw_str(&w, nm.cn);
			jw_key(&w, "error");
			jw_str(&w, mindl_errname(e->profile));
			jw_end_obj(&w);
		} else {
			fprintf(stderr, "%s: trust: warning: certificateInfos"
			    "[%zu] ", cli_progname(), i);
			cli_print_safe(stderr, nm.cn);
			fprintf(stderr, " not stored: %s\n",
			    mindl_strerr(e->profile));
		}
	}
	if (a->json) {
		jw_end_arr(&w);
		jw_end_obj(&w);
		if (jw_done(&w) != MINDL_OK) {
			rc = cli_fail("stdout", MINDL_ERR_IO);
			goto out;
		}
	} else {
		for (i = 0; i < n; i++)
			if (rows[i].deviations != 0)
				break;
		if (i < n) {
			printf("roots with deviations are used, with a warning "
			    "on every verification; refused otherwise.\n");
		}
		if (skipped > 0)
			printf("%zu entries not stored (see above)\n", skipped);
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail("stdout", MINDL_ERR_IO);
	goto out;
 dberr:
	rc = cli_failf(path, r, "cannot store the roots: %s",
	    tdb_errmsg(db) != NULL ? tdb_errmsg(db) : mindl_strerr(r));
 out:
	tdb_close(&db);
	mindl_vical_free(&v);
	free(rows);
	free(anchor);
	free(buf);
	free(path);
	return rc;
}

struct pem_ctx {
	const char	*file;
	unsigned	 allow;
	struct tdb_row	 rows[64];
	uint8_t		*ders[64];
	size_t		 n;
	int		 err;
	unsigned	 dev;
	char		 cn[256];
};

/* Each certificate of the PEM file: Annex B but for what was allowed. */
static int
pem_one(void *arg, const uint8_t *der, size_t len)
{
	struct pem_ctx *pc = arg;
	struct mindl_x509_names nm;
	struct mindl_trust *t = NULL;
	unsigned dev = 0;
	int r;

	if (pc->n == sizeof(pc->rows) / sizeof(pc->rows[0]))
		return MINDL_ERR_TOO_LARGE;
	/* A self-signed CA first: mindl_trust's own test of a root. */
	if ((r = mindl_trust_new(&t)) == MINDL_OK)
		r = mindl_trust_add_der(t, der, len);
	mindl_trust_free(&t);
	if (r == MINDL_OK)
		r = mindl_x509_iaca_check(der, len, &dev);
	if (r == MINDL_OK && (dev & ~pc->allow) != 0)
		r = MINDL_ERR_DEVIATION;
	if (r != MINDL_OK) {
		pc->err = r;
		pc->dev = dev & ~pc->allow;
		if (mindl_x509_names(der, len, &nm) == MINDL_OK)
			snprintf(pc->cn, sizeof(pc->cn), "%s", nm.cn);
		return r;
	}
	if ((pc->ders[pc->n] = malloc(len)) == NULL)
		return MINDL_ERR_NOMEM;
	memcpy(pc->ders[pc->n], der, len);
	if ((r = make_row(pc->ders[pc->n], len, &pc->rows[pc->n])) !=
	    MINDL_OK) {
		free(pc->ders[pc->n]);
		return r;
	}
	pc->rows[pc->n].deviations = dev;
	snprintf(pc->rows[pc->n].doctypes, sizeof(pc->rows[pc->n].doctypes),
	    "%s", MINDL_DOCTYPE_MDL);
	snprintf(pc->rows[pc->n].source, sizeof(pc->rows[pc->n].source),
	    "pem");
	snprintf(pc->rows[pc->n].provenance,
	    sizeof(pc->rows[pc->n].provenance), "file %s", pc->file);
	pc->n++;
	return MINDL_OK;
}

static int
trust_import_pem(const struct cli_args *a)
{
	struct pem_ctx *pc = NULL;
	struct tdb *db = NULL;
	struct jw w;
	char *path = NULL, d[128];
	size_t i, count = 0;
	int r, rc = 3, dflt = 0, replaced;

	if (a->npos != 2)
		return cli_usage_error("trust", "import needs one PEM file");
	if (a->val[O_T_ANCHOR] != NULL || a->val[O_T_AT] != NULL)
		return cli_usage_error("trust", "--anchor and --at are for "
		    "import-vical");
	if ((pc = calloc(1, sizeof(*pc))) == NULL)
		return cli_fail("trust", MINDL_ERR_NOMEM);
	pc->file = a->pos[1];
	if (a->val[O_T_ALLOW] != NULL && mindl_x509_deviation_parse(
	    a->val[O_T_ALLOW], &pc->allow) != MINDL_OK) {
		free(pc);
		return cli_usage_error("trust", "--allow: \"%s\" names a "
		    "deviation not in the list: no-pathlen, "
		    "st-not-iso3166-2, no-issuer-alt-name", a->val[O_T_ALLOW]);
	}
	if ((rc = store_path(a, &path, &dflt)) != 0)
		goto out;
	if ((r = mindl_x509_pem_each(a->pos[1], pem_one, pc, &count)) !=
	    MINDL_OK) {
		if (r == MINDL_ERR_DEVIATION) {
			dev_names(pc->dev, d, sizeof(d));
			rc = cli_failf(a->pos[1], r, "certificate %zu (%s) "
			    "deviates from ISO 18013-5 Annex B: %s; if you "
			    "trust it as it is, import it with --allow %s; "
			    "nothing stored", count, pc->cn, d, d);
		} else if (r == MINDL_ERR_CERT_PROFILE)
			rc = cli_failf(a->pos[1], r, "certificate %zu (%s) "
			    "cannot be an IACA root (ISO 18013-5 Annex B: a "
			    "self-signed CA with critical basicConstraints, "
			    "keyUsage keyCertSign and cRLSign, an SKI and a "
			    "country); nothing stored", count, pc->cn);
		else
			rc = cli_failf(a->pos[1], r, "cannot import: %s; "
			    "nothing stored", mindl_strerr(r));
		goto out;
	}
	if ((rc = open_rw(path, dflt, &db)) != 0)
		goto out;
	if ((r = tdb_begin(db)) != MINDL_OK)
		goto dberr;
	for (i = 0; i < pc->n; i++)
		if ((r = tdb_put(db, &pc->rows[i], &replaced)) != MINDL_OK) {
			tdb_rollback(db);
			goto dberr;
		}
	if ((r = tdb_commit(db)) != MINDL_OK)
		goto dberr;
	if (a->json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "store");
		jw_str(&w, path);
		jw_key(&w, "roots");
		jw_arr(&w);
		for (i = 0; i < pc->n; i++)
			row_json(&w, &pc->rows[i]);
		jw_end_arr(&w);
		jw_end_obj(&w);
		if (jw_done(&w) != MINDL_OK) {
			rc = cli_fail("stdout", MINDL_ERR_IO);
			goto out;
		}
	} else {
		printf("imported %zu root%s into ", pc->n, pc->n == 1 ? "" :
		    "s");
		cli_print_safe(stdout, path);
		putchar('\n');
		for (i = 0; i < pc->n; i++)
			row_text(&pc->rows[i]);
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail("stdout", MINDL_ERR_IO);
	goto out;
 dberr:
	rc = cli_failf(path, r, "cannot store the roots: %s",
	    tdb_errmsg(db) != NULL ? tdb_errmsg(db) : mindl_strerr(r));
 out:
	tdb_close(&db);
	if (pc != NULL)
		for (i = 0; i < pc->n; i++)
			free(pc->ders[i]);
	free(pc);
	free(path);
	return rc;
}

struct list_ctx {
	struct jw	*w;
	size_t		 n;
};

static int
list_one(void *arg, const struct tdb_row *row)
{
	struct list_ctx *lc = arg;

	if (lc->w != NULL)
		row_json(lc->w, row);
	else
		row_text(row);
	lc->n++;
	return MINDL_OK;
}

static int
trust_list(const struct cli_args *a)
{
	struct tdb *db = NULL;
	struct list_ctx lc;
	struct jw w;
	char *path = NULL, err[256];
	int r, rc, dflt = 0;

	if (a->npos != 1)
		return cli_usage_error("trust", "list takes no FILE");
	if (a->val[O_T_ANCHOR] != NULL || a->val[O_T_AT] != NULL ||
	    a->val[O_T_ALLOW] != NULL)
		return cli_usage_error("trust", "--anchor, --at and --allow "
		    "are for the imports");
	if ((rc = store_path(a, &path, &dflt)) != 0)
		return rc;
	memset(&lc, 0, sizeof(lc));
	r = tdb_open(path, 0, 0, &db, err, sizeof(err));
	if (r == MINDL_ERR_NO_FILE && dflt)
		r = MINDL_OK;	/* nothing imported yet */
	if (r != MINDL_OK) {
		rc = err[0] != '\0' ? cli_failf(path, r, "cannot read the "
		    "trust store: %s", err) : cli_fail(path, r);
		goto out;
	}
	if (a->json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "store");
		jw_str(&w, path);
		jw_key(&w, "roots");
		jw_arr(&w);
		lc.w = &w;
	}
	if (db != NULL && (r = tdb_each(db, list_one, &lc)) != MINDL_OK) {
		if (a->json)
			jw_clear(&w);
		rc = cli_failf(path, r, "cannot read the trust store: %s",
		    tdb_errmsg(db) != NULL ? tdb_errmsg(db) : mindl_strerr(r));
		goto out;
	}
	if (a->json) {
		jw_end_arr(&w);
		jw_end_obj(&w);
		if (jw_done(&w) != MINDL_OK) {
			rc = cli_fail("stdout", MINDL_ERR_IO);
			goto out;
		}
	} else if (lc.n == 0) {
		fputs("no roots in ", stdout);
		cli_print_safe(stdout, path);
		putchar('\n');
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail("stdout", MINDL_ERR_IO);
 out:
	tdb_close(&db);
	free(path);
	return rc;
}

static int
trust_remove(const struct cli_args *a)
{
	struct tdb *db = NULL;
	struct jw w;
	char *path = NULL, err[256], pre[2 * MINDL_SHA256_LEN + 1];
	const char *p;
	size_t n = 0, removed = 0, i;
	int r, rc, dflt = 0;

	if (a->npos != 2)
		return cli_usage_error("trust", "remove needs one SHA256 (the "
		    "first %d or more hex digits \"trust list\" shows)",
		    PREFIX_MIN);
	p = a->pos[1];
	for (i = 0; p[i] != '\0' && i < sizeof(pre) - 1; i++) {
		if (!((p[i] >= '0' && p[i] <= '9') ||
		    (p[i] >= 'a' && p[i] <= 'f') ||
		    (p[i] >= 'A' && p[i] <= 'F')))
			break;
		pre[i] = (char)(p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 'a' :
		    p[i]);
	}
	pre[i] = '\0';
	if (p[i] != '\0' || i < PREFIX_MIN)
		return cli_usage_error("trust", "remove: \"%s\" is not a root's "
		    "SHA-256 or its first %d or more hex digits (see \"trust "
		    "list\")", p, PREFIX_MIN);
	if (a->val[O_T_ANCHOR] != NULL || a->val[O_T_AT] != NULL ||
	    a->val[O_T_ALLOW] != NULL)
		return cli_usage_error("trust", "--anchor, --at and --allow "
		    "are for the imports");
	if ((rc = store_path(a, &path, &dflt)) != 0)
		return rc;
	/* Removing from a store that does not exist makes none. */
	if (!tdb_is_store(path)) {
		rc = cli_failx(2, path, MINDL_ERR_NO_FILE, "no trust store here "
		    "(see --store)");
		goto out;
	}
	if ((r = tdb_open(path, 1, 0, &db, err, sizeof(err))) != MINDL_OK) {
		rc = err[0] != '\0' ? cli_failf(path, r, "cannot open the "
		    "trust store: %s", err) : cli_failf(path, r, "cannot open "
		    "the trust store: %s", mindl_strerr(r));
		goto out;
	}
	if ((r = tdb_count_prefix(db, pre, &n)) != MINDL_OK)
		goto dberr;
	if (n != 1) {
		rc = cli_failx(1, pre, MINDL_ERR_MISSING, n == 0 ? "no root "
		    "in the store has this SHA-256 (see \"trust list\")" :
		    "%zu roots start with these digits: give more of them",
		    n);
		goto out;
	}
	if ((r = tdb_remove(db, pre, &removed)) != MINDL_OK)
		goto dberr;
	if (a->json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "store");
		jw_str(&w, path);
		jw_key(&w, "removed");
		jw_uint(&w, removed);
		jw_end_obj(&w);
		if (jw_done(&w) != MINDL_OK) {
			rc = cli_fail("stdout", MINDL_ERR_IO);
			goto out;
		}
	} else {
		printf("removed %zu root from ", removed);
		cli_print_safe(stdout, path);
		putchar('\n');
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail("stdout", MINDL_ERR_IO);
	goto out;
 dberr:
	rc = cli_failf(path, r, "cannot change the trust store: %s",
	    tdb_errmsg(db) != NULL ? tdb_errmsg(db) : mindl_strerr(r));
 out:
	tdb_close(&db);
	free(path);
	return rc;
}

int
cmd_trust(const struct cli_args *a)
{
	if (strcmp(a->pos[0], "import-vical") == 0)
		return trust_import_vical(a);
	if (strcmp(a->pos[0], "import") == 0)
		return trust_import_pem(a);
	if (strcmp(a->pos[0], "list") == 0)
		return trust_list(a);
	if (strcmp(a->pos[0], "remove") == 0)
		return trust_remove(a);
	return cli_usage_error("trust", "unknown trust command \"%s\": "
	    "import-vical, import, list or remove", a->pos[0]);
}
