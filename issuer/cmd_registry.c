/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-issuer init, revoke, purge, check and status publish: the
 * registry's verbs.  What the registry holds and why is in registry.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/status.h"
#include "cli.h"
#include "jw.h"
#include "issuer.h"
#include "registry.h"

#define DEFAULT_TTL		86400u	/* verifiers refresh daily */
#define DEFAULT_LIST_DAYS	7	/* a list is good for a week */
#define MAX_LIST_DAYS		31

/* --at TIME or now; an exit status. */
static int
when(const char *verb, const char *at, int64_t *now)
{
	*now = mindl_now();
	if (at != NULL && mindl_time_parse(at, now) != MINDL_OK)
		return cli_usage_error(verb, "--at: not a time: %s", at);
	return 0;
}

/* A decimal option in [lo, hi]; an exit status. */
static int
number(const char *verb, const char *opt, const char *s, unsigned long lo,
    unsigned long hi, unsigned long *out)
{
	char *end;

	if (s == NULL)
		return 0;
	*out = strtoul(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || *out < lo || *out > hi)
		return cli_usage_error(verb, "--%s: a number from %lu to %lu",
		    opt, lo, hi);
	return 0;
}

/*
 * An ok:true object with the given counts and the officer gate's state,
 * for the registry verbs.
 */
static int
json_counts(const struct desk *d, const char *k1, uint64_t v1,
    const char *k2, uint64_t v2)
{
	struct jw w;

	jw_init(&w, stdout);
	jw_obj(&w);
	jw_key(&w, "ok");
	jw_bool(&w, 1);
	jw_key(&w, k1);
	jw_uint(&w, v1);
	if (k2 != NULL) {
		jw_key(&w, k2);
		jw_uint(&w, v2);
	}
	desk_json_officers(&w, d);
	jw_end_obj(&w);
	return jw_done(&w) == MINDL_OK ? 0 : 3;
}

const struct cli_opt init_opts[O_INIT_N] = {
	[O_I_REGISTRY] = { "registry", 0, CLI_ARG | CLI_REQ, "DB",
	    "create the registry database here (0600)" },
	[O_I_SECRET] = { "registry-secret", 0, CLI_ARG, "FILE",
	    "write its new secret here (0600; default DB.secret)" },
	[O_I_URI] = { "status-uri", 0, CLI_ARG, "URI",
	    "the status list's uri, as every MSO will carry it" },
	[O_I_SHORT] = { "short-lived", 0, 0, NULL,
	    "no status list: MSOs of at most 7 days, revocation by refusing "
	    "renewal" },
	[O_I_LIST] = { "list-size", 0, CLI_ARG, "LOG2",
	    "2^LOG2 status entries, 20 to 24 (default 20)" },
	[O_I_KDF] = { "kdf-cost", 0, CLI_ARG, "LOG2N",
	    "scrypt N = 2^LOG2N per document-number lookup, 10 to 22 "
	    "(default 16: 64 MiB)" },
	[O_I_OPERATOR] = { "operator", 0, CLI_ARG, "ID",
	    "who creates it, for the audit trail (default: $LOGNAME)" },
};

/* A status uri: printable ASCII, no space, with a scheme. */
static int
uri_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > REG_URI_MAX || strstr(s, "://") == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= 0x20 || s[i] > 0x7e)
			return 0;
	return 1;
}

int
cmd_init(const struct cli_args *a)
{
	const char *db = a->val[O_I_REGISTRY], *secret = a->val[O_I_SECRET];
	const char *uri = a->val[O_I_URI];
	struct reg_config c;
	struct desk d;
	char sbuf[4096], err[512];
	unsigned long list = MINDL_STATUS_LIST_MIN_LOG2, kdf = REG_KDF_DEFAULT;
	int r;

	memset(&c, 0, sizeof(c));
	memset(&d, 0, sizeof(d));
	if ((r = number("init", "list-size", a->val[O_I_LIST],
	    MINDL_STATUS_LIST_MIN_LOG2, MINDL_STATUS_LIST_MAX_LOG2,
	    &list)) != 0 || (r = number("init", "kdf-cost", a->val[O_I_KDF],
	    REG_KDF_MIN, REG_KDF_MAX, &kdf)) != 0)
		return r;
	c.short_lived = cli_has(a, O_I_SHORT);
	if (c.short_lived == (uri != NULL))
		return cli_usage_error("init", "give --status-uri URI (a status "
		    "list) or --short-lived (none), one of them");
	if (uri != NULL && !uri_ok(uri))
		return cli_usage_error("init", "--status-uri: an absolute URI "
		    "of printable ASCII, at most %d characters", REG_URI_MAX);
	if (uri != NULL)
		snprintf(c.status_uri, sizeof(c.status_uri), "%s", uri);
	c.list_log2 = (unsigned)list;
	c.kdf_log2n = (unsigned)kdf;
	if (secret == NULL) {
		snprintf(sbuf, sizeof(sbuf), "%s.secret", db);
		secret = sbuf;
	}
	/* The operator check only (no registry yet). */
	if ((r = desk_registry(&d, "init", NULL, NULL,
	    a->val[O_I_OPERATOR])) != 0)
		return r;
	r = reg_init(db, secret, &c, d.operator, mindl_now(), err,
	    sizeof(err));
	if (r == MINDL_ERR_EXISTS)
		return cli_failf(db, r, "the registry or its secret (%s) "
		    "exists already: a registry is created once; give "
		    "another path", secret);
	if (r != MINDL_OK)
		return cli_failx(mindl_err_exitcode(r), db, r, "%s",
		    err[0] != '\0' ? err : mindl_strerr(r));
	if (cli_json_on()) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "registry");
		jw_str(&w, db);
		jw_key(&w, "secret");
		jw_str(&w, secret);
		jw_key(&w, "revocation");
		jw_str(&w, c.short_lived ? "short-lived" : "status-list");
		jw_key(&w, "list_entries");
		jw_uint(&w, c.short_lived ? 0 : (uint64_t)1 << c.list_log2);
		jw_key(&w, "kdf_log2n");
		jw_uint(&w, c.kdf_log2n);
		jw_key(&w, "officers");
		jw_uint(&w, 0);
		jw_end_obj(&w);
		return jw_done(&w) == MINDL_OK ? 0 : 3;
	}
	printf("created registry ");
	cli_print_safe(stdout, db);
	printf(" (");
	if (c.short_lived)
		printf("short-lived MSOs of at most %d days, no status list",
		    REG_SHORT_DAYS);
	else {
		printf("status list of 2^%u entries at ", c.list_log2);
		cli_print_safe(stdout, c.status_uri);
	}
	printf(", scrypt 2^%u per lookup) and its secret ", c.kdf_log2n);
	cli_print_safe(stdout, secret);
	printf(": keep the secret apart from the database and backed up; "
	    "without it no licence can be revoked\n");
	cli_warn(db, "no officer enrolled: anyone with this laptop and the "
	    "registry secret can revoke, renew and issue (mindl-issuer "
	    "operator enroll)");
	return 0;
}

const struct cli_opt revoke_opts[O_REVOKE_N] = {
	[O_R_REGISTRY] = { "registry", 0, CLI_ARG | CLI_REQ, "DB",
	    "the registry" },
	[O_R_SECRET] = { "registry-secret", 0, CLI_ARG, "FILE",
	    "its secret (default DB.secret)" },
	[O_R_DOCNUM] = { "document-number", 0, CLI_ARG | CLI_REQ, "X",
	    "the licence's number (- reads it from standard input)" },
	[O_R_OPERATOR] = { "operator", 0, CLI_ARG, "ID",
	    "who revokes, for the audit trail (default: $LOGNAME)" },
	[O_R_AT] = { "at", 0, CLI_ARG, "TIME",
	    "as of TIME instead of now" },
	DESK_OFFICER_OPTS(O_R_OFFICER, O_R_OFFICER_DEVICE,
	    O_R_OFFICER_PIN_FD),
};

int
cmd_revoke(const struct cli_args *a)
{
	const char *num = a->val[O_R_DOCNUM];
	struct reg_licence lic;
	struct desk d;
	char line[256];
	size_t count = 0;
	int r;

	memset(&d, 0, sizeof(d));
	if ((r = when("revoke", a->val[O_R_AT], &d.now)) != 0)
		return r;
	/* "-": off the command line, out of ps(1) and shell history. */
	if (strcmp(num, "-") == 0) {
		if (fgets(line, sizeof(line), stdin) == NULL) {
			(void)cli_failf("--document-number", MINDL_ERR_IO, "no "
			    "document number on standard input");
			return 2;
		}
		line[strcspn(line, "\r\n")] = '\0';
		num = line;
	}
	if ((r = desk_registry(&d, "revoke", a->val[O_R_REGISTRY],
	    a->val[O_R_SECRET], a->val[O_R_OPERATOR])) != 0 ||
	    (r = desk_officer(&d, "revoke", a->val[O_R_OFFICER],
	    a->val[O_R_OFFICER_DEVICE], a->val[O_R_OFFICER_PIN_FD],
	    a->val[O_R_OPERATOR])) != 0)
		goto out;
	if ((r = reg_licence_keys(d.reg, num, &lic)) != MINDL_OK) {
		r = r == MINDL_ERR_INVALID_ARG ? cli_usage_error("revoke",
		    "--document-number: 1 to 64 printable characters") :
		    cli_fail("--document-number", r);
		goto out;
	}
	/* Approved for this licence: its lookup key (no number in it). */
	if ((r = desk_approve(&d, "revoke", lic.lookup)) != 0) {
		reg_licence_clear(&lic);
		goto out;
	}
	r = reg_revoke(d.reg, &lic, d.operator, d.now, &count);
	reg_licence_clear(&lic);
	if (r == MINDL_ERR_UNKNOWN_LICENCE) {
		r = cli_failf("--document-number", r, "no licence with this "
		    "number was issued through this registry (or it was "
		    "purged): check the number; nothing was revoked");
		goto out;
	}
	if (r != MINDL_OK) {
		r = cli_failf(d.regp, r, "%s: nothing was revoked",
		    reg_errmsg(d.reg));
		goto out;
	}
	if (cli_json_on())
		r = json_counts(&d, "revoked_entries", count, NULL,
		    0);
	else {
		printf("revoked: %zu status entr%s marked INVALID; renewal "
		    "will be refused.  Verifiers see it once the list is "
		    "published (mindl-issuer status publish) and imported\n",
		    count, count == 1 ? "y" : "ies");
		r = 0;
	}
 out:
	mindl_wipe(line, sizeof(line));
	desk_close(&d);
	return r;
}

const struct cli_opt purge_opts[O_PURGE_N] = {
	[O_P_REGISTRY] = { "registry", 0, CLI_ARG | CLI_REQ, "DB",
	    "the registry" },
	[O_P_SECRET] = { "registry-secret", 0, CLI_ARG, "FILE",
	    "its secret (default DB.secret)" },
	[O_P_OPERATOR] = { "operator", 0, CLI_ARG, "ID",
	    "who purges, for the audit trail (default: $LOGNAME)" },
	[O_P_AT] = { "at", 0, CLI_ARG, "TIME",
	    "as of TIME instead of now" },
	DESK_OFFICER_OPTS(O_P_OFFICER, O_P_OFFICER_DEVICE,
	    O_P_OFFICER_PIN_FD),
};

int
cmd_purge(const struct cli_args *a)
{
	struct desk d;
	size_t creds = 0, lics = 0;
	uint8_t t[8], digest[MINDL_SHA256_LEN];
	int r, i;

	memset(&d, 0, sizeof(d));
	if ((r = when("purge", a->val[O_P_AT], &d.now)) != 0 ||
	    (r = desk_registry(&d, "purge", a->val[O_P_REGISTRY],
	    a->val[O_P_SECRET], a->val[O_P_OPERATOR])) != 0 ||
	    (r = desk_officer(&d, "purge", a->val[O_P_OFFICER],
	    a->val[O_P_OFFICER_DEVICE], a->val[O_P_OFFICER_PIN_FD],
	    a->val[O_P_OPERATOR])) != 0)
		goto out;
	/*
	 * Gated: purge --at a far date would delete every licence row, and
	 * a licence without its row can no longer be revoked.  Approved for
	 * this cut-off time (8 bytes, big endian).
	 */
	for (i = 0; i < 8; i++)
		t[i] = (uint8_t)((uint64_t)d.now >> (56 - 8 * i));
	if ((r = mindl_sha256(t, sizeof(t), digest)) != MINDL_OK) {
		r = cli_fail("purge", r);
		goto out;
	}
	if ((r = desk_approve(&d, "purge", digest)) != 0)
		goto out;
	if ((r = reg_purge(d.reg, d.operator, d.now, &creds, &lics)) !=
	    MINDL_OK) {
		r = cli_failf(d.regp, r, "%s: nothing was purged",
		    reg_errmsg(d.reg));
		goto out;
	}
	if (cli_json_on())
		r = json_counts(&d, "credentials", creds, "licences",
		    lics);
	else {
		printf("purged %zu credential%s and %zu licence%s whose every "
		    "MSO had expired\n", creds, creds == 1 ? "" : "s", lics,
		    lics == 1 ? "" : "s");
		r = 0;
	}
 out:
	desk_close(&d);
	return r;
}

/* How many of the audit trail's last rows check --json shows. */
#define AUDIT_TAIL	10

static int
audit_row_json(void *arg, const struct reg_audit_row *row)
{
	struct jw *w = arg;

	jw_obj(w);
	jw_key(w, "seq");
	jw_int(w, row->seq);
	jw_key(w, "at");
	jw_int(w, row->at);
	jw_key(w, "action");
	jw_str(w, row->action);
	jw_key(w, "operator");
	jw_str(w, row->operator);
	jw_key(w, "count");
	jw_uint(w, row->count);
	jw_end_obj(w);
	return MINDL_OK;
}

const struct cli_opt check_opts[O_CHECK_N] = {
	[O_C_REGISTRY] = { "registry", 0, CLI_ARG | CLI_REQ, "DB",
	    "the registry" },
	[O_C_SECRET] = { "registry-secret", 0, CLI_ARG, "FILE",
	    "its secret (default DB.secret)" },
};

int
cmd_check(const struct cli_args *a)
{
	struct reg_stats s;
	struct desk d;
	char why[512];
	int r, bad;

	memset(&d, 0, sizeof(d));
	if ((r = desk_registry(&d, "check", a->val[O_C_REGISTRY],
	    a->val[O_C_SECRET], NULL)) != 0)
		goto out;
	r = reg_check(d.reg, &s, why, sizeof(why));
	if (r != MINDL_OK && r != MINDL_ERR_REGISTRY) {
		r = cli_failf(d.regp, r, "%s", reg_errmsg(d.reg));
		goto out;
	}
	bad = r != MINDL_OK;
	if (cli_json_on()) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, !bad);
		jw_key(&w, "error");
		if (bad)
			jw_str(&w, mindl_errname(r));
		else
			jw_null(&w);
		jw_key(&w, "problem");
		if (bad)
			jw_str(&w, why);
		else
			jw_null(&w);
		jw_key(&w, "schema_version");
		jw_int(&w, s.schema_version);
		jw_key(&w, "revocation");
		jw_str(&w, reg_config(d.reg)->short_lived ? "short-lived" :
		    "status-list");
		jw_key(&w, "list_entries");
		jw_uint(&w, (uint64_t)1 << reg_config(d.reg)->list_log2);
		jw_key(&w, "kdf_log2n");
		jw_uint(&w, reg_config(d.reg)->kdf_log2n);
		jw_key(&w, "licences");
		jw_uint(&w, s.licences);
		jw_key(&w, "revoked_licences");
		jw_uint(&w, s.revoked_licences);
		jw_key(&w, "credentials");
		jw_uint(&w, s.credentials);
		jw_key(&w, "indices_used");
		jw_uint(&w, s.indices_used);
		jw_key(&w, "indices_revoked");
		jw_uint(&w, s.indices_revoked);
		jw_key(&w, "challenges");
		jw_uint(&w, s.challenges);
		jw_key(&w, "audit_rows");
		jw_uint(&w, s.audit_rows);
		jw_key(&w, "officers");
		jw_uint(&w, s.officers);
		/* Who did what lately: officer ids and counts, no licence. */
		jw_key(&w, "audit");
		jw_arr(&w);
		if ((r = reg_audit_tail(d.reg, AUDIT_TAIL, audit_row_json,
		    &w)) != MINDL_OK) {
			jw_clear(&w);
			r = cli_failf(d.regp, r, "%s", reg_errmsg(d.reg));
			goto out;
		}
		jw_end_arr(&w);
		jw_end_obj(&w);
		if (jw_done(&w) != MINDL_OK) {
			r = 3;
			goto out;
		}
	} else {
		if (bad) {
			cli_warn(d.regp, "DAMAGED: %s", why);
		} else
			printf("registry consistent: schema %d, ",
			    s.schema_version);
		if (!bad)
			printf("%llu licences (%llu revoked), %llu "
			    "credentials, %llu status entries in use (%llu "
			    "revoked) of 2^%u\n",
			    (unsigned long long)s.licences,
			    (unsigned long long)s.revoked_licences,
			    (unsigned long long)s.credentials,
			    (unsigned long long)s.indices_used,
			    (unsigned long long)s.indices_revoked,
			    reg_config(d.reg)->list_log2);
	}
	r = bad ? 1 : 0;
 out:
	desk_close(&d);
	return r;
}

const struct cli_opt status_opts[O_STATUS_N] = {
	[O_S_REGISTRY] = { "registry", 0, CLI_ARG | CLI_REQ, "DB",
	    "the registry" },
	[O_S_SECRET] = { "registry-secret", 0, CLI_ARG, "FILE",
	    "its secret (default DB.secret)" },
	[O_S_KEY] = { "signer-key", 0, CLI_ARG | CLI_REQ, "K",
	    "the status signer's private key (mindl-keys status-signer)" },
	[O_S_CERT] = { "signer-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "the status signer's certificate" },
	[O_S_PASS_FD] = { "pass-fd", 0, CLI_ARG, "N",
	    "read the signer key's passphrase from descriptor N" },
	[O_S_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "the signer key is not encrypted" },
	[O_S_OUT] = { "out", 'o', CLI_ARG | CLI_REQ, "FILE",
	    "write the Token Status List CWT here" },
	[O_S_FORCE] = { "force", 'f', 0, NULL,
	    "replace an existing file (the list of yesterday)" },
	[O_S_TTL] = { "ttl", 0, CLI_ARG, "SECONDS",
	    "how often verifiers should fetch it (default 86400)" },
	[O_S_DAYS] = { "valid-days", 0, CLI_ARG, "N",
	    "the list expires N days after now, 1 to 31 (default 7)" },
	[O_S_OPERATOR] = { "operator", 0, CLI_ARG, "ID",
	    "who publishes, for the audit trail (default: $LOGNAME)" },
	[O_S_AT] = { "at", 0, CLI_ARG, "TIME",
	    "sign as of TIME instead of now" },
};

int
cmd_status(const struct cli_args *a)
{
	struct mindl_status_list_params p;
	struct mindl_key *key = NULL, *pub = NULL;
	struct mindl_signer signer;
	struct mindl_buf out;
	struct desk d;
	uint8_t *bits = NULL, *cert = NULL;
	size_t nbytes = 0, nrev = 0, certlen = 0;
	unsigned long ttl = DEFAULT_TTL, days = DEFAULT_LIST_DAYS;
	const char *certp = a->val[O_S_CERT], *outp = a->val[O_S_OUT];
	int r;

	memset(&d, 0, sizeof(d));
	mindl_buf_init(&out, 16u * 1024 * 1024);
	if (strcmp(a->pos[0], "publish") != 0)
		return cli_usage_error("status", "unknown: %s (status publish "
		    "is the one command)", a->pos[0]);
	if ((r = when("status", a->val[O_S_AT], &d.now)) != 0 ||
	    (r = number("status", "ttl", a->val[O_S_TTL], 60, 31u * 86400,
	    &ttl)) != 0 || (r = number("status", "valid-days",
	    a->val[O_S_DAYS], 1, MAX_LIST_DAYS, &days)) != 0)
		return r;
	if ((r = cli_key_read("--signer-key", a->val[O_S_KEY], 0, "--pass-fd",
	    a->val[O_S_PASS_FD], "--no-passphrase",
	    cli_has(a, O_S_NO_PASSPHRASE), &key)) != 0)
		goto out;
	if ((r = mindl_x509_read_pem(certp, &cert, &certlen)) != MINDL_OK) {
		r = cli_fail(certp, r);
		goto out;
	}
	if ((r = mindl_x509_pubkey(cert, certlen, &pub)) != MINDL_OK) {
		r = cli_fail(certp, r);
		goto out;
	}
	if (!mindl_key_same_public(key, pub)) {
		r = cli_failx(2, certp, MINDL_ERR_KEY, "the signer key is not "
		    "this certificate's key");
		goto out;
	}
	if ((r = mindl_signer_key(&signer, key)) != MINDL_OK) {
		r = cli_fail(a->val[O_S_KEY], r);
		goto out;
	}
	if ((r = desk_registry(&d, "status", a->val[O_S_REGISTRY],
	    a->val[O_S_SECRET], a->val[O_S_OPERATOR])) != 0)
		goto out;
	if (reg_config(d.reg)->short_lived) {
		r = cli_failx(2, d.regp, MINDL_ERR_CONFIG, "this registry is "
		    "short-lived: its MSOs carry no status reference and "
		    "there is no list to publish");
		goto out;
	}
	if ((r = reg_status_bits(d.reg, &bits, &nbytes, &nrev)) !=
	    MINDL_OK) {
		r = cli_failf(d.regp, r, "%s", reg_errmsg(d.reg));
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.uri = reg_config(d.reg)->status_uri;
	p.iat = d.now;
	p.exp = d.now + (int64_t)days * MINDL_DAY;
	p.ttl = ttl;
	p.bits = bits;
	p.nentries = nbytes * 8;
	p.signer = &signer;
	p.x5 = cert;
	p.x5len = certlen;
	if ((r = mindl_status_token_write(&p, &out)) != MINDL_OK) {
		r = cli_fail("status publish", r);
		goto out;
	}
	if ((r = mindl_file_write(outp, mindl_buf_ptr(&out),
	    mindl_buf_len(&out), cli_has(a, O_S_FORCE) ? 0 :
	    MINDL_FILE_EXCL)) != MINDL_OK) {
		r = cli_fail(outp, r);
		goto out;
	}
	/* Audited after it was written: what left the building. */
	if ((r = reg_audit(d.reg, "status-publish", d.operator, nrev,
	    d.now)) != MINDL_OK) {
		r = cli_failf(d.regp, r, "%s (the list was written)",
		    reg_errmsg(d.reg));
		goto out;
	}
	if (cli_json_on())
		r = json_counts(&d, "bytes", mindl_buf_len(&out),
		    "entries", p.nentries);
	else {
		printf("published ");
		cli_print_safe(stdout, outp);
		printf(": %zu entries (%zu INVALID), %zu bytes, valid %lu "
		    "day%s; copy it where verifiers fetch it\n", p.nentries,
		    nrev, mindl_buf_len(&out), days, days == 1 ? "" : "s");
		r = 0;
	}
 out:
	free(bits);
	free(cert);
	mindl_buf_clear(&out);
	mindl_key_free(&key);
	mindl_key_free(&pub);
	desk_close(&d);
	return r;
}

