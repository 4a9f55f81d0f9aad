/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-issuer: the issuance desk's set-up, shared by issue (one record
 * or many), renew and the registry verbs: the document signer, the
 * DMV's policy, the registry, and one issuance recorded in it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "issuer.h"
#include "registry.h"

#define MAX_POLICY	(64u * 1024)

#ifndef MINDL_SYSCONFDIR
#define MINDL_SYSCONFDIR	"/etc"
#endif

/*
 * Before anything is signed: the DS key must be the certificate's key,
 * and the certificate valid on the issuance day (the MSO is signed at its
 * start).  A verifier would refuse either mistake; refusing here keeps a
 * desk from handing out credentials that cannot verify.
 */
static int
check_signer(const struct mindl_key *key, const uint8_t *cert, size_t len,
    int64_t now, const char *certp)
{
	struct mindl_key *pub = NULL;
	int64_t nb, na, day = now / MINDL_DAY * MINDL_DAY;
	int r, same;

	if ((r = mindl_x509_pubkey(cert, len, &pub)) != MINDL_OK)
		return cli_fail(certp, r);
	same = mindl_key_same_public(key, pub);
	mindl_key_free(&pub);
	/* Both are the desk's set-up, not the record: exit 2, not 1. */
	if (!same) {
		(void)cli_refuse(certp, MINDL_ERR_KEY, "the DS key is not this "
		    "certificate's key");
		return 2;
	}
	if ((r = mindl_x509_validity(cert, len, &nb, &na)) != MINDL_OK)
		return cli_fail(certp, r);
	if (day < nb || now > na) {
		(void)cli_refuse(certp, MINDL_ERR_CERT_EXPIRED, "the DS "
		    "certificate is not valid on the issuance day");
		return 2;
	}
	return 0;
}

int
desk_signer(struct desk *d, const char *keyp, const char *certp,
    const char *passfd, int nopass)
{
	int r;

	if ((r = cli_key_read("--ds-key", keyp, 0, "--ds-pass-fd", passfd,
	    "--no-passphrase", nopass, &d->dskey)) != 0)
		return r;
	if ((r = mindl_x509_read_pem(certp, &d->cert, &d->certlen)) !=
	    MINDL_OK)
		return cli_fail(certp, r);
	if ((r = check_signer(d->dskey, d->cert, d->certlen, d->now,
	    certp)) != 0)
		return r;
	if ((r = mindl_signer_key(&d->ds, d->dskey)) != MINDL_OK)
		return cli_fail(keyp, r);
	d->certp = certp;
	return 0;
}

/*
 * The DS certificate must name the policy's DMV (the library refuses
 * otherwise): said here with both places, as a set-up error.
 */
static int
check_place(const struct mindl_policy *p, const uint8_t *cert, size_t len,
    const char *certp, const char *policy)
{
	struct mindl_x509_names nm;
	int r;

	if ((r = mindl_x509_place_is(cert, len, p->issuing_country,
	    p->jurisdiction)) == MINDL_OK)
		return 0;
	if (r != MINDL_ERR_POLICY || mindl_x509_names(cert, len, &nm) !=
	    MINDL_OK)
		return cli_failx(2, certp, r, "%s", mindl_strerr(r));
	return cli_failx(2, certp, r, "the document signer is of C=%s ST=%s "
	    "but the policy (%s) issues for %s, %s: use this DMV's DS key "
	    "and certificate, or its policy file",
	    nm.c_err == MINDL_OK ? nm.c : "none",
	    nm.st_err == MINDL_OK ? nm.st : "none", policy,
	    p->jurisdiction != NULL ? p->jurisdiction : p->issuing_country,
	    p->issuing_authority);
}

/*
 * The issuing DMV: its own policy file (path, or the one set-up wrote at
 * MINDL_POLICY_FILE), or with sample the build's fictional Sample State.
 * Nothing silently falls back to the sample: keys made for one state must
 * not issue "Sample State" licences.  Call after desk_signer.
 */
int
desk_policy(struct desk *d, const char *verb, const char *path, int sample)
{
	uint8_t *buf = NULL;
	size_t len = 0;
	char errbuf[1024];
	const char *msg;
	int r;

	if ((r = mindl_schema_builtin(&d->schema)) != MINDL_OK)
		return cli_fail("schema", r);
	if (sample) {
		if (path != NULL)
			return cli_usage_error(verb, "give --policy or "
			    "--sample-policy, not both");
		d->policy = "sample";
	} else {
		if (path == NULL)
			path = MINDL_POLICY_FILE;
		d->policy = path;
		r = mindl_file_read(path, MAX_POLICY, &buf, &len);
		if (r == MINDL_ERR_NO_FILE)
			return cli_failx(2, path, MINDL_ERR_CONFIG, "no issuing "
			    "policy here: write this DMV's policy file "
			    "(mindl-issuer(1), POLICY FILE) or give --policy "
			    "FILE; --sample-policy issues for the fictional "
			    "Sample State, for demonstrations only");
		if (r != MINDL_OK)
			return cli_failx(2, path, r, "cannot read the policy: "
			    "%s", mindl_strerr(r));
		r = mindl_schema_site_policy(d->schema, (const char *)buf, len,
		    path, errbuf, sizeof(errbuf));
		free(buf);
		/* The library names the file too: once is enough. */
		msg = errbuf;
		if (strncmp(msg, path, strlen(path)) == 0 &&
		    strncmp(msg + strlen(path), ": ", 2) == 0)
			msg += strlen(path) + 2;
		if (r != MINDL_OK)
			return cli_failx(2, path, r, "%s", msg[0] != '\0' ?
			    msg : mindl_strerr(r));
	}
	d->pol = *mindl_schema_policy(d->schema);
	return check_place(&d->pol, d->cert, d->certlen, d->certp, d->policy);
}

int
desk_id_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (i == REG_OPERATOR_MAX || !(isalnum((unsigned char)s[i]) ||
		    strchr("._@-", s[i]) != NULL))
			return 0;
	return i > 0;
}

/*
 * An operator id for the audit trail: given (or -1), else $LOGNAME or
 * $USER if it is one, else "uid-N".  Not getpwuid(): the name service may
 * open sockets, and the desk opens none.
 */
static int
operator_id(const char *given, char out[REG_OPERATOR_MAX + 1])
{
	const char *env;

	if (given != NULL) {
		if (!desk_id_ok(given))
			return -1;
		snprintf(out, REG_OPERATOR_MAX + 1, "%s", given);
	} else if (((env = getenv("LOGNAME")) != NULL && desk_id_ok(env)) ||
	    ((env = getenv("USER")) != NULL && desk_id_ok(env)))
		snprintf(out, REG_OPERATOR_MAX + 1, "%s", env);
	else
		snprintf(out, REG_OPERATOR_MAX + 1, "uid-%lu",
		    (unsigned long)geteuid());
	return 0;
}

int
desk_registry(struct desk *d, const char *verb, const char *db,
    const char *secret, const char *operator)
{
	char err[512];
	int r;

	if (operator_id(operator, d->operator) != 0)
		return cli_usage_error(verb, "--operator: 1 to %d letters, "
		    "digits or ._@- (it goes into the audit trail)",
		    REG_OPERATOR_MAX);
	if (db == NULL)
		return 0;
	if (secret == NULL) {
		snprintf(d->secretbuf, sizeof(d->secretbuf), "%s.secret", db);
		secret = d->secretbuf;
	}
	r = reg_open(db, secret, &d->reg, err, sizeof(err));
	if (r == MINDL_ERR_NO_FILE)
		return cli_failx(2, db, r, "no registry here: create it with "
		    "mindl-issuer init --registry %s, or check the path", db);
	if (r == MINDL_ERR_ACCESS)
		return cli_failx(2, secret, r, "the registry secret must be "
		    "readable by its owner only (chmod 600), and readable");
	if (r != MINDL_OK)
		return cli_failx(r == MINDL_ERR_DATABASE ? 3 : 2, db, r, "%s",
		    err[0] != '\0' ? err : mindl_strerr(r));
	d->regp = db;
	if ((r = reg_officer_count(d->reg, &d->officers)) != MINDL_OK)
		return cli_failf(db, r, "%s", reg_errmsg(d->reg));
	/*
	 * Said on every run until it is no longer true (DESIGN.md 3.9);
	 * --json says it as "officers": 0.
	 */
	if (d->officers == 0 && !cli_json_on())
		cli_warn(db, "no officer enrolled: anyone with this laptop and "
		    "the registry secret can revoke, renew and issue "
		    "(mindl-issuer operator enroll)");
	/* The short-lived mode: no status reference, MSOs of a week. */
	if (reg_config(d->reg)->short_lived && d->schema != NULL &&
	    d->pol.mso_days > REG_SHORT_DAYS)
		d->pol.mso_days = REG_SHORT_DAYS;
	return 0;
}

/* The issuance parameters every path shares: the desk's set-up. */
static void
desk_params(const struct desk *d, const struct mindl_record *rec,
    struct mindl_issue_params *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->record = rec;
	ip->policy = &d->pol;
	ip->ds = &d->ds;
	ip->ds_cert = d->cert;
	ip->ds_certlen = d->certlen;
	ip->fido = d->fido;
	ip->now = d->now;
}

/* The record's licence keys in the registry: one slow KDF. */
static int
desk_licence(struct desk *d, const struct mindl_record *rec,
    struct reg_licence *lic)
{
	const char *docnum = mindl_record_document_number(rec);

	return docnum == NULL ? MINDL_ERR_MISSING :
	    reg_licence_keys(d->reg, docnum, lic);
}

int
desk_issue(struct desk *d, const struct mindl_record *rec,
    struct mindl_key *const *dev, size_t n, const char *action,
    struct mindl_buf *cred, struct mindl_issue_result *res)
{
	struct mindl_issue_params ip;
	struct mindl_status_ref st[MINDL_MAX_BATCH];
	struct reg_licence lic;
	uint64_t idx[MINDL_MAX_BATCH];
	size_t i;
	int r;

	desk_params(d, rec, &ip);
	if (d->reg == NULL)
		return mindl_mdoc_issue_batch(&ip,
		    (const struct mindl_key *const *)dev, n, cred, res);
	if (n > MINDL_MAX_BATCH)
		return MINDL_ERR_INVALID_ARG;
	/* The slow KDF first, outside the write lock. */
	if ((r = desk_licence(d, rec, &lic)) != MINDL_OK)
		return r;
	if ((r = reg_batch_begin(d->reg, &lic, n, idx)) != MINDL_OK) {
		reg_licence_clear(&lic);
		return r;
	}
	if (!reg_config(d->reg)->short_lived) {
		for (i = 0; i < n; i++) {
			st[i].idx = idx[i];
			st[i].uri = reg_config(d->reg)->status_uri;
		}
		ip.status = st;
	}
	/* Signed under the lock: only a batch that is whole is recorded. */
	r = mindl_mdoc_issue_batch(&ip, (const struct mindl_key *const *)dev,
	    n, cred, res);
	if (r == MINDL_OK)
		r = reg_batch_commit(d->reg, &lic, res->credential_id,
		    sizeof(res->credential_id), res->valid_until, res->signer,
		    idx, n, action, d->operator, d->now);
	else
		reg_batch_abort(d->reg);
	reg_licence_clear(&lic);
	mindl_wipe(idx, sizeof(idx));
	if (r != MINDL_OK)
		mindl_buf_clear(cred);
	return r;
}

int
desk_issue_purposes(struct desk *d, const struct mindl_record *rec,
    const struct mindl_profile *const *profs, struct mindl_key *const *dev,
    size_t n, struct mindl_buf *cred, struct mindl_issue_result *res)
{
	struct mindl_issue_params ip;
	struct mindl_status_ref st[MINDL_MAX_BATCH];
	struct reg_licence lic;
	uint64_t idx[MINDL_MAX_BATCH];
	int64_t until;
	size_t i, k;
	int r;

	if (n == 0 || n > MINDL_MAX_BATCH)
		return MINDL_ERR_INVALID_ARG;
	desk_params(d, rec, &ip);
	if (d->reg == NULL)
		return mindl_mdoc_issue_purposes(&ip, profs,
		    (const struct mindl_key *const *)dev, n, cred, res);
	/* A status index for each purpose a suspension changes. */
	for (i = 0, k = 0; i < n; i++)
		k += !mindl_profile_age_only(profs[i]);
	if ((r = desk_licence(d, rec, &lic)) != MINDL_OK)
		return r;
	if (k == 0) {
		/*
		 * Ages only: nothing for the registry to revoke, so no row;
		 * a revoked licence is still refused, and the audit trail
		 * counts what was issued.
		 */
		if ((r = reg_check_not_revoked(d->reg, &lic)) == MINDL_OK &&
		    (r = mindl_mdoc_issue_purposes(&ip, profs,
		    (const struct mindl_key *const *)dev, n, cred, res)) ==
		    MINDL_OK)
			r = reg_audit(d->reg, "issue-purpose", d->operator, n,
			    d->now);
		reg_licence_clear(&lic);
		if (r != MINDL_OK)
			mindl_buf_clear(cred);
		return r;
	}
	if ((r = reg_batch_begin(d->reg, &lic, k, idx)) != MINDL_OK) {
		reg_licence_clear(&lic);
		return r;
	}
	if (!reg_config(d->reg)->short_lived) {
		for (i = 0; i < k; i++) {
			st[i].idx = idx[i];
			st[i].uri = reg_config(d->reg)->status_uri;
		}
		ip.status = st;
	}
	r = mindl_mdoc_issue_purposes(&ip, profs,
	    (const struct mindl_key *const *)dev, n, cred, res);
	if (r == MINDL_OK) {
		/* The row lasts as long as the longest of them. */
		for (i = 1, until = res[0].valid_until; i < n; i++)
			if (res[i].valid_until > until)
				until = res[i].valid_until;
		r = reg_batch_commit(d->reg, &lic, res[0].credential_id,
		    sizeof(res[0].credential_id), until, res[0].signer, idx,
		    k, "issue-purpose", d->operator, d->now);
	} else
		reg_batch_abort(d->reg);
	reg_licence_clear(&lic);
	mindl_wipe(idx, sizeof(idx));
	mindl_wipe(st, sizeof(st));
	if (r != MINDL_OK)
		mindl_buf_clear(cred);
	return r;
}

void
desk_close(struct desk *d)
{
	reg_close(&d->reg);
	mindl_schema_free(&d->schema);
	mindl_key_free(&d->dskey);
	free(d->cert);
	memset(d, 0, sizeof(*d));
}
