/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-verifier status import FILE: verifies a Token Status List (its
 * signer chains to a trusted IACA, the signature, exp) and caches it;
 * mindl-verifier status list: what is cached.  No network, ever
 * (DESIGN.md section 4, rule 5): a list is a file someone handed over,
 * and it is refused unless it verifies.  Nothing is cached on refusal,
 * and a list older than the one cached for its uri is a rollback.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "verifier.h"

const struct cli_opt status_opts[O_S_N] = {
	[O_S_TRUST] = { "trust", 0, CLI_ARG | CLI_MANY, "IACA.pem",
	    "import: trusted issuing authority roots (PEM bundle)" },
	[O_S_STATUS_DB] = { "status-db", 0, CLI_ARG, "DB",
	    "the status-list cache (default "
	    "$XDG_DATA_HOME/mindl/status.db)" },
	[O_S_AT] = { "at", 0, CLI_ARG, "TIME",
	    "import: judge the list as of TIME instead of now" },
};

static void
fmt_time(int64_t t, char out[MINDL_TDATE_LEN + 1])
{
	if (mindl_tdate_format(t, out) != MINDL_OK)
		snprintf(out, MINDL_TDATE_LEN + 1, "?");
}

/* Why a list was refused, in words that say what to do. */
static int
refuse(const char *file, int r, const struct mindl_status_token *t,
    int64_t at)
{
	char a[MINDL_TDATE_LEN + 1], b[MINDL_TDATE_LEN + 1];
	int64_t exp = 0;

	switch (r) {
	case MINDL_ERR_STATUS_EXPIRED:
		(void)mindl_status_token_exp(t, &exp);
		fmt_time(exp, a);
		fmt_time(at, b);
		return cli_failf(file, r, "this status list expired at %s (the "
		    "clock says %s): import a newer one; nothing cached", a, b);
	case MINDL_ERR_SIGNED_LATER:
		fmt_time(mindl_status_token_iat(t), a);
		fmt_time(at, b);
		return cli_failf(file, r, "this status list was issued at %s, "
		    "after the clock (%s): check the clock; nothing cached",
		    a, b);
	case MINDL_ERR_SIGNED_OUTSIDE_DS:
		return cli_failf(file, r, "this status list was issued outside "
		    "its signer certificate's validity; nothing cached");
	case MINDL_ERR_MISSING:
		return cli_failf(file, r, "this status list has no expiry "
		    "(exp) or lacks a required claim: it is not accepted, "
		    "since it could be replayed forever; nothing cached");
	case MINDL_ERR_UNTRUSTED:
		return cli_failf(file, r, "the list's signer does not chain to "
		    "a trusted IACA (--trust): a list of another issuer, or "
		    "the wrong trust list; nothing cached");
	case MINDL_ERR_CERT_PROFILE:
		return cli_failf(file, r, "the list's signer certificate is not "
		    "a status-list signer's (a document signer's key must not "
		    "sign status lists); nothing cached");
	case MINDL_ERR_SIGNATURE:
		return cli_failf(file, r, "the list's signature does not verify: "
		    "it was altered or damaged; nothing cached");
	case MINDL_ERR_CERT_EXPIRED:
		return cli_failf(file, r, "the list's signer certificate or its "
		    "IACA is not valid at this time: check the clock, or ask "
		    "for a list signed by a current key; nothing cached");
	case MINDL_ERR_X5CHAIN:
		return cli_failf(file, r, "the list carries no signer "
		    "certificate (x5chain); nothing cached");
	default:
		return cli_failf(file, r, "not a usable status list: %s; "
		    "nothing cached", mindl_strerr(r));
	}
}

static int
db_path(const struct cli_args *a, char **path, int *is_default)
{
	int r;

	*is_default = a->val[O_S_STATUS_DB] == NULL;
	if (!*is_default) {
		if ((*path = strdup(a->val[O_S_STATUS_DB])) == NULL)
			return cli_fail("status", MINDL_ERR_NOMEM);
		return 0;
	}
	if ((r = sdb_default_path(path)) != MINDL_OK)
		return cli_failx(2, "--status-db", r == MINDL_ERR_CONFIG ?
		    MINDL_ERR_CONFIG : r, "no default place for the status "
		    "cache (neither XDG_DATA_HOME nor HOME is an absolute "
		    "path): give --status-db DB");
	return 0;
}

static void
print_row_json(struct jw *w, const struct sdb_row *row, int64_t now)
{
	char t[MINDL_TDATE_LEN + 1];
	char hex[2 * MINDL_STATUS_ROOT_LEN + 1];
	size_t i;

	jw_obj(w);
	jw_key(w, "uri");
	jw_str(w, row->uri);
	jw_key(w, "iat");
	fmt_time(row->c.iat, t);
	jw_str(w, t);
	jw_key(w, "exp");
	fmt_time(row->c.exp, t);
	jw_str(w, t);
	jw_key(w, "ttl");
	if (row->c.has_ttl)
		jw_uint(w, row->c.ttl);
	else
		jw_null(w);
	jw_key(w, "entries");
	jw_uint(w, row->c.entries);
	jw_key(w, "signer");
	jw_str(w, row->signer);
	jw_key(w, "iaca_sha256");
	for (i = 0; i < MINDL_STATUS_ROOT_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", row->c.root[i]);
	jw_str(w, hex);
	jw_key(w, "imported");
	fmt_time(row->imported, t);
	jw_str(w, t);
	jw_key(w, "expired");
	jw_bool(w, now > row->c.exp);
	jw_end_obj(w);
}

static void
print_row_text(const struct sdb_row *row, int64_t now)
{
	char iat[MINDL_TDATE_LEN + 1], exp[MINDL_TDATE_LEN + 1];
	char imp[MINDL_TDATE_LEN + 1];

	fmt_time(row->c.iat, iat);
	fmt_time(row->c.exp, exp);
	fmt_time(row->imported, imp);
	/* The uri came from a file: escaped. */
	cli_print_safe(stdout, row->uri);
	printf("\n  issued %s, expires %s%s\n  %llu entries, signer %s, "
	    "imported %s\n", iat, exp, now > row->c.exp ? " (EXPIRED)" : "",
	    (unsigned long long)row->c.entries, row->signer, imp);
}

struct list_ctx {
	struct jw	*w;
	int64_t		 now;
	size_t		 n;
};

static int
list_one(void *arg, const struct sdb_row *row)
{
	struct list_ctx *lc = arg;

	if (lc->w != NULL)
		print_row_json(lc->w, row, lc->now);
	else
		print_row_text(row, lc->now);
	lc->n++;
	return MINDL_OK;
}

static int
status_list(const struct cli_args *a)
{
	struct sdb *db = NULL;
	struct list_ctx lc;
	struct jw w;
	char *path = NULL, err[256];
	int r, rc, dflt = 0;

	if (a->npos != 1)
		return cli_usage_error("status", "list takes no FILE");
	if (cli_list(a, O_S_TRUST, NULL, 0) > 0 || a->val[O_S_AT] != NULL)
		return cli_usage_error("status", "--trust and --at are for "
		    "import");
	if ((rc = db_path(a, &path, &dflt)) != 0)
		return rc;
	memset(&lc, 0, sizeof(lc));
	lc.now = mindl_now();
	r = sdb_open(path, 0, 0, &db, err, sizeof(err));
	if (r == MINDL_ERR_NO_FILE && dflt)
		r = MINDL_OK;	/* nothing imported yet */
	if (r != MINDL_OK) {
		rc = err[0] != '\0' ? cli_failf(path, r, "cannot read the "
		    "status cache: %s", err) : cli_fail(path, r);
		goto out;
	}
	if (a->json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "status_db");
		jw_str(&w, path);
		jw_key(&w, "lists");
		jw_arr(&w);
		lc.w = &w;
	}
	if (db != NULL && (r = sdb_each(db, list_one, &lc)) != MINDL_OK) {
		if (a->json)
			jw_clear(&w);
		rc = cli_failf(path, r, "cannot read the status cache: %s",
		    sdb_errmsg(db) != NULL ? sdb_errmsg(db) : mindl_strerr(r));
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
		fputs("no status lists cached in ", stdout);
		cli_print_safe(stdout, path);
		putchar('\n');
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail("stdout", MINDL_ERR_IO);
 out:
	sdb_close(&db);
	free(path);
	return rc;
}

static int
status_import(const struct cli_args *a)
{
	const char *trust[MINDL_MAX_TRUST], *file;
	struct mindl_trust *ts = NULL;
	struct mindl_status_token *tok = NULL;
	struct sdb *db = NULL;
	struct sdb_row row;
	struct jw w;
	uint8_t *buf = NULL, hash[MINDL_SHA256_LEN];
	const uint8_t *bm, *der;
	size_t ntrust, i, buflen = 0, bmlen = 0, derlen = 0;
	char *path = NULL, err[256], iat[MINDL_TDATE_LEN + 1];
	char exp[MINDL_TDATE_LEN + 1];
	int64_t at, e = 0;
	int r, rc = 3, dflt = 0, outcome = 0;
	static const char *const outcomes[] = { "", "new", "replaced",
	    "unchanged" };

	if (a->npos != 2)
		return cli_usage_error("status", "import needs one FILE");
	file = a->pos[1];
	ntrust = cli_list(a, O_S_TRUST, trust, MINDL_MAX_TRUST);
	if (ntrust == 0)
		return cli_usage_error("status", "import: no trust anchors: "
		    "give --trust IACA.pem");
	if (ntrust > MINDL_MAX_TRUST)
		return cli_usage_error("status", "at most %d --trust files",
		    MINDL_MAX_TRUST);
	at = mindl_now();
	if (a->val[O_S_AT] != NULL &&
	    mindl_time_parse(a->val[O_S_AT], &at) != MINDL_OK)
		return cli_usage_error("status", "--at: \"%s\" is not a time "
		    "(YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or now)",
		    a->val[O_S_AT]);
	if ((rc = db_path(a, &path, &dflt)) != 0)
		return rc;
	if ((r = mindl_trust_new(&ts)) != MINDL_OK) {
		rc = cli_fail("trust", r);
		goto out;
	}
	for (i = 0; i < ntrust; i++)
		if ((r = mindl_trust_add_pem_file(ts, trust[i])) != MINDL_OK) {
			rc = cli_failx(2, trust[i], r, "cannot use as a trust "
			    "anchor: %s", mindl_strerr(r));
			goto out;
		}
	if ((r = mindl_file_read(file, MINDL_MAX_INPUT, &buf, &buflen)) !=
	    MINDL_OK) {
		rc = cli_failf(file, r, "cannot read the status list: %s",
		    mindl_strerr(r));
		goto out;
	}
	if ((r = mindl_status_token_parse(buf, buflen, &tok)) != MINDL_OK) {
		rc = refuse(file, r, NULL, at);
		goto out;
	}
	memset(&row, 0, sizeof(row));
	if ((r = mindl_status_token_verify(tok, ts, at, row.c.root)) !=
	    MINDL_OK) {
		rc = refuse(file, r, tok, at);
		goto out;
	}
	snprintf(row.uri, sizeof(row.uri), "%s", mindl_status_token_uri(tok));
	row.c.iat = mindl_status_token_iat(tok);
	(void)mindl_status_token_exp(tok, &e);
	row.c.exp = e;
	row.c.has_ttl = mindl_status_token_ttl(tok, &row.c.ttl) == MINDL_OK;
	row.c.entries = mindl_status_token_entries(tok);
	row.imported = mindl_now();
	mindl_status_token_signer_cert(tok, &der, &derlen);
	if ((r = mindl_x509_key_id(der, derlen, row.signer)) != MINDL_OK ||
	    (r = mindl_sha256(buf, buflen, hash)) != MINDL_OK) {
		rc = cli_fail(file, r);
		goto out;
	}
	mindl_status_token_bitmap(tok, &bm, &bmlen);
	if ((r = sdb_open(path, 1, dflt, &db, err, sizeof(err))) != MINDL_OK) {
		rc = err[0] != '\0' ? cli_failf(path, r, "cannot open the "
		    "status cache: %s", err) : cli_failf(path, r, "cannot open "
		    "the status cache: %s", mindl_strerr(r));
		goto out;
	}
	if ((r = sdb_put(db, &row, bm, bmlen, hash, &outcome)) != MINDL_OK) {
		rc = cli_failf(path, r, "cannot store the list: %s",
		    sdb_errmsg(db) != NULL ? sdb_errmsg(db) : mindl_strerr(r));
		goto out;
	}
	fmt_time(row.c.iat, iat);
	fmt_time(row.c.exp, exp);
	if (outcome == SDB_ROLLBACK) {
		/* No error code of its own: a list refused as out of date. */
		rc = cli_failf(file, MINDL_ERR_STATUS_LIST, "this list (issued "
		    "%s) is not newer than the one cached for its uri: "
		    "refusing a rollback, which could bring back a revoked "
		    "licence; the cache is unchanged", iat);
		goto out;
	}
	if (a->json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "outcome");
		jw_str(&w, outcomes[outcome]);
		jw_key(&w, "status_db");
		jw_str(&w, path);
		jw_key(&w, "list");
		print_row_json(&w, &row, at);
		jw_end_obj(&w);
		if (jw_done(&w) != MINDL_OK) {
			rc = cli_fail("stdout", MINDL_ERR_IO);
			goto out;
		}
	} else {
		printf("%s: ", outcome == SDB_SAME ? "already cached" :
		    outcome == SDB_REPLACED ? "replaced the cached list" :
		    "imported");
		print_row_text(&row, at);
	}
	rc = fflush(stdout) == 0 ? 0 : cli_fail("stdout", MINDL_ERR_IO);
 out:
	sdb_close(&db);
	mindl_status_token_free(&tok);
	mindl_trust_free(&ts);
	free(buf);
	free(path);
	return rc;
}

int
cmd_status(const struct cli_args *a)
{
	if (strcmp(a->pos[0], "import") == 0)
		return status_import(a);
	if (strcmp(a->pos[0], "list") == 0 || strcmp(a->pos[0], "show") == 0)
		return status_list(a);
	return cli_usage_error("status", "unknown status command \"%s\": "
	    "import or list", a->pos[0]);
}
