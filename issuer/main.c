/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-issuer: the DMV issuance desk.  issue turns a DMV system record
 * (JSON) and a portrait into a signed ISO 18013-5 mDL bound to the
 * holder's device key.  A record with any unknown or forbidden field is
 * refused with the field named, and nothing is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"
#include "issuer.h"



static const struct cli_opt issue_opts[O_ISSUE_N] = {
	[O_RECORD] = { "record", 0, CLI_ARG, "R.json",
	    "the DMV record (JSON; \"mindl-issuer elements\" lists fields)" },
	[O_PORTRAIT] = { "portrait", 0, CLI_ARG, "P.jpg",
	    "the holder's portrait (baseline JFIF JPEG)" },
	[O_DEVICE_PUB] = { "device-pub", 0, CLI_ARG, "P",
	    "the holder's device public keys (mindl-holder keygen's .pub)" },
	[O_DS_KEY] = { "ds-key", 0, CLI_ARG | CLI_REQ, "K",
	    "the document signer's private key" },
	[O_DS_CERT] = { "ds-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "the document signer's certificate" },
	[O_OUT] = { "out", 'o', CLI_ARG | CLI_REQ, "CRED",
	    "write the credential here (0600; - for stdout); with --records "
	    "a directory" },
	[O_DS_PASS_FD] = { "ds-pass-fd", 0, CLI_ARG, "N",
	    "read the DS key's passphrase from descriptor N" },
	[O_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "the DS key is not encrypted" },
	[O_POLICY] = { "policy", 0, CLI_ARG, "FILE",
	    "this DMV's policy (default " MINDL_POLICY_FILE ")" },
	[O_SAMPLE_POLICY] = { "sample-policy", 0, 0, NULL,
	    "issue for the fictional Sample State (demonstrations only)" },
	[O_AT] = { "at", 0, CLI_ARG, "TIME",
	    "issue as of TIME (YYYY-MM-DD[THH:MM:SSZ]) instead of now" },
	[O_FORCE] = { "force", 'f', 0, NULL,
	    "replace an existing output file" },
	[O_REGISTRY] = { "registry", 0, CLI_ARG, "DB",
	    "record the issuance in this registry (status indices)" },
	[O_REGISTRY_SECRET] = { "registry-secret", 0, CLI_ARG, "FILE",
	    "the registry's secret (default DB.secret)" },
	[O_OPERATOR] = { "operator", 0, CLI_ARG, "ID",
	    "who issues, for the audit trail (default: $LOGNAME)" },
	[O_RECORDS] = { "records", 0, CLI_ARG, "FILE.jsonl",
	    "issue one credential per line (see RECORDS FILES)" },
	[O_PORTRAITS] = { "portraits", 0, CLI_ARG, "DIR",
	    "with --records: where each line's portrait and keys are" },
	[O_PURPOSE] = { "purpose", 0, CLI_ARG, "LIST",
	    "purpose credentials for these profiles (age-21,traffic-stop,...) "
	    "instead of the licence, one per device key" },
	DESK_OFFICER_OPTS(O_OFFICER, O_OFFICER_DEVICE, O_OFFICER_PIN_FD),
	[O_DEVICE_FIDO2] = { "device-fido2", 0, 0, NULL,
	    "bind to credentials made now on the holder's security key "
	    "instead of --device-pub" },
	[O_DEVICE] = { "device", 0, CLI_ARG, "PATH",
	    "with --device-fido2: the key (default: the first one found)" },
	[O_PIN_FD] = { "pin-fd", 0, CLI_ARG, "N",
	    "with --device-fido2: read the key's PIN from descriptor N "
	    "(else asked on the terminal when the key wants one)" },
	[O_COPIES] = { "copies", 0, CLI_ARG, "N",
	    "with --device-fido2: single-use copies, one touch each (1 to "
	    "64, default 1)" },
};

#define PURPOSE_NAME_MAX	32

/*
 * --purpose's list: profile ids separated by commas, each 1 to
 * PURPOSE_NAME_MAX of [a-z0-9-] (profiles.json's rule, so a name is safe
 * to print), none twice, at most MINDL_MAX_BATCH.  0 or an exit status.
 */
static int
purpose_names(const char *list, char names[][PURPOSE_NAME_MAX + 1],
    size_t *n)
{
	const char *p = list, *e;
	size_t len, i, k;

	*n = 0;
	for (;;) {
		e = strchr(p, ',');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		for (i = 0; i < len; i++)
			if (!((p[i] >= 'a' && p[i] <= 'z') ||
			    (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
				break;
		if (len == 0 || len > PURPOSE_NAME_MAX || i < len)
			return cli_usage_error("issue", "--purpose: a list of "
			    "profile ids (lower-case letters, digits, -) "
			    "separated by commas; \"mindl-verifier profiles\" "
			    "lists them");
		if (*n == MINDL_MAX_BATCH)
			return cli_usage_error("issue", "--purpose: at most %d "
			    "profiles", MINDL_MAX_BATCH);
		memcpy(names[*n], p, len);
		names[*n][len] = '\0';
		for (k = 0; k < *n; k++)
			if (strcmp(names[k], names[*n]) == 0)
				return cli_usage_error("issue", "--purpose: %s "
				    "named twice", names[k]);
		(*n)++;
		if (e == NULL)
			return 0;
		p = e + 1;
	}
}

/* The keys every issuance object ends with: who issued, the licence. */
static int
json_issuer_end(struct jw *w, const struct desk *d, const char *expiry)
{
	jw_key(w, "licence_expiry");
	jw_str(w, expiry);
	jw_key(w, "issuing_authority");
	jw_str(w, d->pol.issuing_authority);
	jw_key(w, "issuing_jurisdiction");
	jw_str(w, d->pol.jurisdiction);
	jw_key(w, "policy");
	jw_str(w, d->policy);
	desk_json_officers(w, d);
	jw_end_obj(w);
	return jw_done(w) == MINDL_OK ? 0 : 3;
}

/* The summary of a purpose issuance, or --json's object. */
static int
purpose_summary(const struct desk *d, const char *outp,
    const struct mindl_record *rec, const struct mindl_profile *const *profs,
    size_t n, const struct mindl_buf *cred,
    const struct mindl_issue_result *res)
{
	const struct mindl_policy *pol = &d->pol;
	char expiry[MINDL_FULLDATE_LEN + 1], until[MINDL_FULLDATE_LEN + 1];
	char id[2 * MINDL_CRED_ID_LEN + 1];
	const char *status;
	struct jw w;
	size_t i;

	if (mindl_fulldate_format(mindl_record_expiry_day(rec), expiry) !=
	    MINDL_OK)
		snprintf(expiry, sizeof(expiry), "?");
	status = d->reg == NULL ? "none" : reg_config(d->reg)->short_lived ?
	    "short-lived" : "status-list";
	if (cli_json_on()) {
		for (i = 0; i < sizeof(res[0].credential_id); i++)
			snprintf(id + 2 * i, 3, "%02x",
			    res[0].credential_id[i]);
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "bytes");
		jw_uint(&w, mindl_buf_len(cred));
		jw_key(&w, "credential_id");
		jw_str(&w, id);
		jw_key(&w, "purposes");
		jw_arr(&w);
		for (i = 0; i < n; i++) {
			jw_obj(&w);
			jw_key(&w, "profile");
			jw_str(&w, mindl_profile_id(profs[i]));
			jw_key(&w, "bytes");
			jw_uint(&w, res[i].bytes);
			jw_key(&w, "deflated");
			jw_uint(&w, res[i].deflated);
			jw_key(&w, "status");
			jw_bool(&w, res[i].has_status);
			jw_key(&w, "valid_from");
			jw_int(&w, res[i].valid_from);
			jw_key(&w, "valid_until");
			jw_int(&w, res[i].valid_until);
			jw_end_obj(&w);
		}
		jw_end_arr(&w);
		jw_key(&w, "signer");
		jw_str(&w, res[0].signer);
		jw_key(&w, "device");
		jw_str(&w, d->fido != NULL ? "fido2" : "software");
		jw_key(&w, "revocation");
		jw_str(&w, status);
		return json_issuer_end(&w, d, expiry);
	}
	printf("issued ");
	cli_print_safe(stdout, outp);
	printf(" for ");
	cli_print_safe(stdout, pol->issuing_authority);
	printf(" (%s): %zu purpose credential%s:", pol->jurisdiction != NULL ?
	    pol->jurisdiction : pol->issuing_country, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		if (mindl_fulldate_format(res[i].valid_until / MINDL_DAY,
		    until) != MINDL_OK)
			snprintf(until, sizeof(until), "?");
		printf("%s %s %zu bytes (%zu deflated, %s, until %s)",
		    i == 0 ? "" : ";", mindl_profile_id(profs[i]),
		    res[i].bytes, res[i].deflated, res[i].has_status ?
		    "status entry" : "no status", until);
	}
	printf("; licence valid until %s; signer %s%s\n", expiry, res[0].signer,
	    d->fido != NULL ? "; bound to the holder's security key" : "");
	return 0;
}

/*
 * The holder's device public keys, one per single-use copy (mindl-holder
 * keygen's .pub: up to MINDL_MAX_BATCH).  The desk gets public keys,
 * never a private one.  0 or an exit status (reported).
 */
int
issue_read_device_keys(const char *path, struct mindl_key **dev, size_t *n)
{
	size_t i;
	int r, priv = 0;

	r = mindl_key_read_pem_all(path, NULL, dev, MINDL_MAX_BATCH, n);
	for (i = 0; r == MINDL_OK && i < *n; i++)
		priv |= mindl_key_is_private(dev[i]);
	if (r == MINDL_ERR_PASSPHRASE || priv)
		return cli_failf(path, MINDL_ERR_KEY, "this is a private key: "
		    "give the holder's public keys (the .pub file of "
		    "mindl-holder keygen); the desk never needs the private "
		    "ones");
	if (r == MINDL_ERR_TOO_LARGE)
		return cli_failf(path, r, "more than %d keys: a batch holds at "
		    "most %d single-use copies", MINDL_MAX_BATCH,
		    MINDL_MAX_BATCH);
	return r == MINDL_OK ? 0 : cli_fail(path, r);
}

/*
 * A refused record: every problem the library found, one per line
 * (each names its field and ends with its error), so that the desk fixes
 * the record in one go; --json gets them as one message, newline
 * separated.
 */
void
issue_report_refusal(const char *recp, int r, const char *errbuf)
{
	const char *p, *nl;
	size_t n = 1;

	if (errbuf[0] == '\0') {
		cli_warn(recp, "refused: %s (%s)", mindl_strerr(r),
		    mindl_errname(r));
		cli_json_failure(r, recp, mindl_strerr(r));
		return;
	}
	for (p = errbuf; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	if (n == 1)
		cli_warn(recp, "refused: %s", errbuf);
	else {
		cli_warn(recp, "refused, %zu problems (nothing issued):", n);
		for (p = errbuf; *p != '\0'; p = *nl ? nl + 1 : nl) {
			if ((nl = strchr(p, '\n')) == NULL)
				nl = p + strlen(p);
			fputs("  ", stderr);
			cli_print_safen(stderr, (const uint8_t *)p,
			    (size_t)(nl - p));
			fputc('\n', stderr);
		}
	}
	cli_json_failure(r, recp, errbuf);
}


/* The one-line summary for the desk, or --json's object. */
int
issue_summary(const struct desk *d, const char *verb, const char *outp,
    size_t ndev, const struct mindl_record *rec, const struct mindl_buf *cred,
    const struct mindl_issue_result *res)
{
	const struct mindl_policy *pol = &d->pol;
	char expiry[MINDL_FULLDATE_LEN + 1], from[MINDL_FULLDATE_LEN + 1];
	char until[MINDL_FULLDATE_LEN + 1] = "?", id[2 * MINDL_CRED_ID_LEN + 1];
	const char *status;
	size_t i;

	if (mindl_fulldate_format(mindl_record_expiry_day(rec), expiry) !=
	    MINDL_OK)
		snprintf(expiry, sizeof(expiry), "?");
	if (mindl_fulldate_format(res->valid_from / MINDL_DAY, from) !=
	    MINDL_OK || mindl_fulldate_format(res->valid_until / MINDL_DAY,
	    until) != MINDL_OK)
		snprintf(from, sizeof(from), "?");
	status = d->reg == NULL ? "none" : reg_config(d->reg)->short_lived ?
	    "short-lived" : "status-list";
	if (cli_json_on()) {
		struct jw w;

		for (i = 0; i < sizeof(res->credential_id); i++)
			snprintf(id + 2 * i, 3, "%02x", res->credential_id[i]);
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "bytes");
		jw_uint(&w, mindl_buf_len(cred));
		jw_key(&w, "credential_id");
		jw_str(&w, id);
		jw_key(&w, "valid_from");
		jw_int(&w, res->valid_from);
		jw_key(&w, "valid_until");
		jw_int(&w, res->valid_until);
		jw_key(&w, "signer");
		jw_str(&w, res->signer);
		jw_key(&w, "copies");
		jw_uint(&w, ndev);
		jw_key(&w, "device");
		jw_str(&w, d->fido != NULL ? "fido2" : "software");
		jw_key(&w, "revocation");
		jw_str(&w, status);
		jw_key(&w, "elements");
		jw_uint(&w, mindl_record_count(rec));
		return json_issuer_end(&w, d, expiry);
	}
	/* One line for the desk: what was made, by whom, how long. */
	printf("%s ", verb);
	cli_print_safe(stdout, outp);
	printf(" for ");
	cli_print_safe(stdout, pol->issuing_authority);
	printf(" (%s): %zu single-use cop%s, %zu elements; licence valid "
	    "until %s; signatures valid %s to %s (renew before then); signer "
	    "%s", pol->jurisdiction != NULL ? pol->jurisdiction :
	    pol->issuing_country, ndev, ndev == 1 ? "y" : "ies",
	    mindl_record_count(rec), expiry, from, until, res->signer);
	if (d->fido != NULL)
		printf("; bound to the holder's security key");
	if (d->reg != NULL)
		printf("; %s", reg_config(d->reg)->short_lived ?
		    "short-lived, no status entry" : "recorded, one status "
		    "entry per copy");
	printf("\n");
	return 0;
}

/* An issuance that failed in the library or the registry, reported. */
int
issue_failed(const struct desk *d, const char *devp, size_t ndev, int r)
{
	switch (r) {
	case MINDL_ERR_TOO_LARGE:
		return cli_failf(devp, r, "%zu copies of this record and "
		    "portrait exceed the credential file's 4 MiB: fewer keys "
		    "(keygen --count) or a smaller portrait", ndev);
	case MINDL_ERR_REVOKED:
		return cli_failf(d->regp, r, "this licence is revoked in the "
		    "registry: nothing issued");
	case MINDL_ERR_LIST_FULL:
		return cli_failf(d->regp, r, "the status list is three "
		    "quarters full: start a registry with a larger list "
		    "(init --list-size)");
	case MINDL_ERR_DATABASE:
	case MINDL_ERR_REGISTRY:
		return cli_failf(d->regp, r, "%s: nothing issued",
		    reg_errmsg(d->reg));
	default:
		return cli_fail("issue", r);
	}
}

/*
 * --device-fido2: n credentials made now on the holder's security key
 * (CTAP2 makeCredential, ES256, the holders' fixed rpId, one touch
 * each), their public keys the device keys and their ids kept beside
 * each MSO (DESIGN.md 3.1).  The holder watches the key being used: the
 * desk needs nothing secret from them but the PIN, when their key has
 * one.  0 or an exit status (reported); on success creds[0..n) are set.
 */
static int
fido_enroll(const struct cli_args *a, size_t n, struct mindl_fido_cred *creds,
    struct mindl_key **dev, struct mindl_fido_id *ids)
{
	const char *devp = a->val[O_DEVICE];
	struct mindl_fido_dev *key = NULL;
	char *pin = NULL;
	size_t i;
	int r;

	if (a->val[O_PIN_FD] != NULL && (r = cli_pin("the holder's security "
	    "key", "--pin-fd", a->val[O_PIN_FD], &pin)) != 0)
		return r;
	if ((r = cli_fido_open(devp, &key)) != MINDL_OK) {
		r = cli_fido_fail("--device", devp, r, "nothing issued");
		goto out;
	}
	for (i = 0; i < n; i++) {
		cli_warn(NULL, "holder: touch your security key (%zu of %zu)",
		    i + 1, n);
		r = mindl_fido_enroll(key, MINDL_FIDO_HOLDER_RPID, NULL, 0, pin,
		    &creds[i]);
		if (r == MINDL_ERR_PASSPHRASE && pin == NULL) {
			/* The key wants its PIN: asked once, on the terminal. */
			if ((r = cli_pin("the holder's security key",
			    "--pin-fd", NULL, &pin)) != 0)
				goto out;
			r = mindl_fido_enroll(key, MINDL_FIDO_HOLDER_RPID, NULL,
			    0, pin, &creds[i]);
		}
		if (r != MINDL_OK) {
			r = cli_fido_fail("--device", devp, r,
			    "nothing issued");
			goto out;
		}
		dev[i] = creds[i].pub;
		ids[i].id = creds[i].id;
		ids[i].len = creds[i].idlen;
	}
	r = 0;
 out:
	mindl_fido_dev_free(&key);
	cli_pass_free(&pin);
	return r;
}

/* --copies N: 1 to MINDL_MAX_BATCH; 0 or an exit status. */
static int
parse_copies(const char *s, size_t *n)
{
	char *end;
	unsigned long v;

	*n = 1;
	if (s == NULL)
		return 0;
	if (s[0] < '0' || s[0] > '9' || (v = strtoul(s, &end, 10)) < 1 ||
	    v > MINDL_MAX_BATCH || *end != '\0')
		return cli_usage_error("issue", "--copies: 1 to %d single-use "
		    "copies", MINDL_MAX_BATCH);
	*n = (size_t)v;
	return 0;
}

static int
cmd_issue(const struct cli_args *a)
{
	const char *recp = a->val[O_RECORD], *portp = a->val[O_PORTRAIT];
	const char *devp = a->val[O_DEVICE_PUB], *outp = a->val[O_OUT];
	const char *at = a->val[O_AT], *purp = a->val[O_PURPOSE];
	char pnames[MINDL_MAX_BATCH][PURPOSE_NAME_MAX + 1];
	const struct mindl_profile *profs[MINDL_MAX_BATCH];
	struct mindl_issue_result pres[MINDL_MAX_BATCH];
	size_t npurp = 0;
	struct desk d;
	struct mindl_record *rec = NULL;
	struct mindl_key *dev[MINDL_MAX_BATCH];
	struct mindl_fido_cred creds[MINDL_MAX_BATCH];
	struct mindl_fido_id ids[MINDL_MAX_BATCH];
	size_t ndev = 0, ncopies = 1;
	int fido = cli_has(a, O_DEVICE_FIDO2);
	struct mindl_issue_result res;
	struct mindl_buf cred;
	uint8_t *json = NULL, *portrait = NULL;
	size_t jsonlen = 0, portlen = 0, i;
	char errbuf[4096];
	int r, force = cli_has(a, O_FORCE);

	if (a->val[O_RECORDS] != NULL && purp != NULL)
		return cli_usage_error("issue", "--purpose issues for one "
		    "record: not with --records");
	if (a->val[O_RECORDS] != NULL && fido)
		return cli_usage_error("issue", "--device-fido2 needs the "
		    "holder at the desk: not with --records");
	if (!fido && (a->val[O_DEVICE] != NULL || a->val[O_PIN_FD] != NULL ||
	    a->val[O_COPIES] != NULL))
		return cli_usage_error("issue", "--device, --pin-fd and "
		    "--copies go with --device-fido2");
	if (fido && devp != NULL)
		return cli_usage_error("issue", "give --device-pub or "
		    "--device-fido2, not both");
	if (fido && purp != NULL && a->val[O_COPIES] != NULL)
		return cli_usage_error("issue", "--copies: --purpose makes one "
		    "credential per profile");
	if (fido && (r = parse_copies(a->val[O_COPIES], &ncopies)) != 0)
		return r;
	if (a->val[O_RECORDS] != NULL) {
		if (recp != NULL || portp != NULL || devp != NULL)
			return cli_usage_error("issue", "--records takes each "
			    "line's record, portrait and keys: give no "
			    "--record, --portrait or --device-pub");
		return cmd_issue_records(a);
	}
	if (a->val[O_PORTRAITS] != NULL)
		return cli_usage_error("issue", "--portraits goes with "
		    "--records");
	/* One record at the counter is not gated (DESIGN.md 3.9). */
	if (a->val[O_OFFICER] != NULL || a->val[O_OFFICER_DEVICE] != NULL ||
	    a->val[O_OFFICER_PIN_FD] != NULL)
		return cli_usage_error("issue", "--officer goes with --records "
		    "and --registry: one record needs no officer's approval");
	if (recp == NULL || portp == NULL || (devp == NULL && !fido))
		return cli_usage_error("issue", "give --record, --portrait and "
		    "--device-pub or --device-fido2 (or --records)");
	if (purp != NULL && (r = purpose_names(purp, pnames, &npurp)) != 0)
		return r;
	memset(&d, 0, sizeof(d));
	memset(creds, 0, sizeof(creds));
	memset(ids, 0, sizeof(ids));
	mindl_buf_init(&cred, MINDL_MAX_INPUT);
	d.now = mindl_now();
	if (at != NULL && mindl_time_parse(at, &d.now) != MINDL_OK)
		return cli_usage_error("issue", "--at: not a time: %s", at);
	if ((r = desk_signer(&d, a->val[O_DS_KEY], a->val[O_DS_CERT],
	    a->val[O_DS_PASS_FD], cli_has(a, O_NO_PASSPHRASE))) != 0 ||
	    (!fido && (r = issue_read_device_keys(devp, dev, &ndev)) != 0))
		goto out;
	if ((r = mindl_file_read(recp, MINDL_MAX_RECORD, &json, &jsonlen)) !=
	    MINDL_OK) {
		r = cli_fail(recp, r);
		goto out;
	}
	if ((r = mindl_file_read(portp, MAX_PORTRAIT, &portrait, &portlen)) !=
	    MINDL_OK) {
		r = cli_fail(portp, r);
		goto out;
	}
	if ((r = desk_policy(&d, "issue", a->val[O_POLICY],
	    cli_has(a, O_SAMPLE_POLICY))) != 0 ||
	    (r = desk_registry(&d, "issue", a->val[O_REGISTRY],
	    a->val[O_REGISTRY_SECRET], a->val[O_OPERATOR])) != 0)
		goto out;
	for (i = 0; i < npurp; i++)
		if ((profs[i] = mindl_schema_profile(d.schema, pnames[i])) ==
		    NULL) {
			r = cli_usage_error("issue", "--purpose: no profile "
			    "named %s (\"mindl-verifier profiles\" lists them)",
			    pnames[i]);
			goto out;
		}
	if (fido)
		ndev = npurp > 0 ? npurp : ncopies;
	if (npurp > ndev) {
		r = cli_failx(2, devp, MINDL_ERR_INVALID_ARG, "%zu purposes "
		    "need as many device keys, and this file holds %zu: "
		    "mindl-holder keygen --count %zu", npurp, ndev, npurp);
		goto out;
	}
	errbuf[0] = '\0';
	if ((r = mindl_record_parse(d.schema, (const char *)json, jsonlen,
	    portrait, portlen, d.now, &rec, errbuf, sizeof(errbuf))) !=
	    MINDL_OK) {
		issue_report_refusal(recp, r, errbuf);
		r = mindl_err_exitcode(r);
		goto out;
	}
	/* The key is touched only for a record the desk will issue. */
	if (fido) {
		if ((r = fido_enroll(a, ndev, creds, dev, ids)) != 0) {
			ndev = 0;
			goto out;
		}
		d.fido = ids;
		devp = "--device-fido2";
	}
	/* One single-use MSO per device key of the holder's batch. */
	if (npurp > 0)
		r = desk_issue_purposes(&d, rec, profs, dev, npurp, &cred,
		    pres);
	else
		r = desk_issue(&d, rec, dev, ndev, "issue", &cred, &res);
	if (r != MINDL_OK) {
		if (r == MINDL_ERR_PORTRAIT)
			r = cli_failf(portp, r, "the portrait cannot be made "
			    "into a thumbnail: nothing issued");
		else
			r = issue_failed(&d, devp, npurp > 0 ? npurp : ndev,
			    r);
		goto out;
	}
	if ((r = mindl_file_write(outp, mindl_buf_ptr(&cred),
	    mindl_buf_len(&cred), MINDL_FILE_PRIVATE |
	    (force ? 0 : MINDL_FILE_EXCL))) != MINDL_OK) {
		r = cli_fail(outp, r);
		goto out;
	}
	if (strcmp(outp, "-") == 0)
		r = 0;
	else if (npurp > 0)
		r = purpose_summary(&d, outp, rec, profs, npurp, &cred, pres);
	else
		r = issue_summary(&d, "issued", outp, ndev, rec, &cred, &res);
 out:
	/* The record, portrait and credential are personal data: wipe. */
	if (json != NULL)
		mindl_freezero(json, jsonlen);
	if (portrait != NULL)
		mindl_freezero(portrait, portlen);
	mindl_buf_clear(&cred);
	mindl_wipe(pres, sizeof(pres));
	mindl_record_free(&rec);
	/* A security key's public keys are its credentials'. */
	for (i = 0; i < ndev && !fido; i++)
		mindl_key_free(&dev[i]);
	for (i = 0; i < MINDL_MAX_BATCH && fido; i++)
		mindl_fido_cred_clear(&creds[i]);
	desk_close(&d);
	return r;
}

static const struct cli_verb verbs[] = {
	{ "elements", cmd_elements, "elements [-dj]", NULL,
	    "Lists the elements a record may hold: type, source, allowed "
	    "values.", NULL, 0, 0, 0 },
	{ "init", cmd_init,
	    "init [-dj] --registry DB (--status-uri URI | --short-lived)\n"
	    "\t\t[--registry-secret FILE] [--list-size LOG2]\n"
	    "\t\t[--kdf-cost LOG2N] [--operator ID]", NULL,
	    "Creates a registry that holds no personal data, and its "
	    "secret.", init_opts, O_INIT_N, 0, 0 },
	{ "issue", cmd_issue,
	    "issue [-dfj] --record R.json --portrait P.jpg --ds-key K\n"
	    "\t\t--ds-cert C (--device-pub P | --device-fido2 [--device PATH]\n"
	    "\t\t[--pin-fd N] [--copies N]) -o CRED\n"
	    "\t\t[--ds-pass-fd N | --no-passphrase]\n"
	    "\t\t[--policy FILE | --sample-policy] [--at TIME]\n"
	    "\t\t[--registry DB [--registry-secret FILE] [--operator ID]]\n"
	    "\t\t[--purpose LIST]",
	    "issue [-dfj] --records FILE.jsonl --portraits DIR -o OUTDIR\n"
	    "\t\t--ds-key K --ds-cert C [...as above]\n"
	    "\t\t[--officer ID [--officer-device PATH] [--officer-pin-fd N]]",
	    "Issues a signed mDL credential from a record, one single-use "
	    "MSO per device key of the holder.", issue_opts, O_ISSUE_N, 0,
	    0 },
	{ "revoke", cmd_revoke,
	    "revoke [-dj] --registry DB --document-number X|-\n"
	    "\t\t[--registry-secret FILE] [--operator ID] [--at TIME]\n"
	    "\t\t[--officer ID [--officer-device PATH] [--officer-pin-fd N]]",
	    NULL,
	    "Marks every MSO of a licence INVALID and refuses its renewal.",
	    revoke_opts, O_REVOKE_N, 0, 0 },
	{ "status", cmd_status,
	    "status publish [-dfj] --registry DB --signer-key K\n"
	    "\t\t--signer-cert C -o FILE [--pass-fd N | --no-passphrase]\n"
	    "\t\t[--ttl SECONDS] [--valid-days N] [--registry-secret FILE]\n"
	    "\t\t[--operator ID] [--at TIME]", NULL,
	    "Signs the registry's status list as a Token Status List CWT.",
	    status_opts, O_STATUS_N, 1, 1 },
	{ "renew-challenge", cmd_renew_challenge,
	    "renew-challenge [-dfj] --registry DB -o CH [--minutes N]\n"
	    "\t\t[--registry-secret FILE] [--operator ID] [--at TIME]", NULL,
	    "Hands out a single-use challenge for a holder's renewal.",
	    challenge_opts, O_CHALLENGE_N, 0, 0 },
	{ "renew", cmd_renew,
	    "renew [-dfj] --registry DB --credential OLD --proof PROOF\n"
	    "\t\t--device-pub NEW --iaca IACA.pem --ds-key K --ds-cert C\n"
	    "\t\t-o CRED [--ds-pass-fd N | --no-passphrase]\n"
	    "\t\t[--policy FILE | --sample-policy] [--registry-secret FILE]\n"
	    "\t\t[--operator ID] [--at TIME]\n"
	    "\t\t[--officer ID [--officer-device PATH] [--officer-pin-fd N]]",
	    NULL,
	    "Re-issues a fresh batch over the values the holder carries, "
	    "without the record.", renew_opts, O_RENEW_N, 0, 0 },
	{ "purge", cmd_purge,
	    "purge [-dj] --registry DB [--registry-secret FILE]\n"
	    "\t\t[--operator ID] [--at TIME]\n"
	    "\t\t[--officer ID [--officer-device PATH] [--officer-pin-fd N]]",
	    NULL,
	    "Deletes the rows of credentials past validity.", purge_opts,
	    O_PURGE_N, 0, 0 },
	{ "operator", cmd_operator,
	    "operator enroll [-dj] --registry DB --id ID [--device PATH]\n"
	    "\t\t[--pin-fd N] [--registry-secret FILE] [--at TIME]\n"
	    "\t\t[--officer ID [--officer-device PATH] [--officer-pin-fd N]]",
	    "operator remove [-dj] --registry DB --id ID\n"
	    "\t\t--officer ID [--officer-device PATH] [--officer-pin-fd N]\n"
	    "\t\t[--registry-secret FILE] [--at TIME]\n"
	    "       mindl-issuer operator list [-dj] --registry DB "
	    "[--registry-secret FILE]",
	    "Enrolls or removes a desk officer's security key, or lists the "
	    "enrolled officers.", operator_opts, O_OPERATOR_N, 1, 1 },
	{ "check", cmd_check,
	    "check [-dj] --registry DB [--registry-secret FILE]", NULL,
	    "Checks the registry's integrity and prints its counts.",
	    check_opts, O_CHECK_N, 0, 0 },
};

int
main(int argc, char **argv)
{
	cli_init("mindl-issuer");
	if (cli_protect() == -1)
		return 3;
	return cli_dispatch(argc, argv, verbs,
	    sizeof(verbs) / sizeof(verbs[0]));
}
