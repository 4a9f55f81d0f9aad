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

#define MAX_PORTRAIT	(512u * 1024)
#define MAX_CERT	(64u * 1024)
#define MAX_POLICY	(64u * 1024)

#ifndef MINDL_SYSCONFDIR
#define MINDL_SYSCONFDIR	"/etc"
#endif
/* Where a DMV keeps its policy, written once at set-up. */
#define MINDL_POLICY_FILE	MINDL_SYSCONFDIR "/mindl/policy.json"

enum {
	O_RECORD, O_PORTRAIT, O_DEVICE_PUB, O_DS_KEY, O_DS_CERT, O_OUT,
	O_DS_PASS_FD, O_NO_PASSPHRASE, O_POLICY, O_SAMPLE_POLICY, O_AT,
	O_FORCE, O_ISSUE_N
};
static const struct cli_opt issue_opts[O_ISSUE_N] = {
	[O_RECORD] = { "record", 0, CLI_ARG | CLI_REQ, "R.json",
	    "the DMV record (JSON; \"mindl-issuer elements\" lists fields)" },
	[O_PORTRAIT] = { "portrait", 0, CLI_ARG | CLI_REQ, "P.jpg",
	    "the holder's portrait (baseline JFIF JPEG)" },
	[O_DEVICE_PUB] = { "device-pub", 0, CLI_ARG | CLI_REQ, "P",
	    "the holder's device public key (mindl-holder keygen's .pub)" },
	[O_DS_KEY] = { "ds-key", 0, CLI_ARG | CLI_REQ, "K",
	    "the document signer's private key" },
	[O_DS_CERT] = { "ds-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "the document signer's certificate" },
	[O_OUT] = { "out", 'o', CLI_ARG | CLI_REQ, "CRED",
	    "write the credential here (0600; - for stdout)" },
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
};

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


/*
 * The issuing DMV: its own policy file (--policy, or the one set-up wrote
 * at MINDL_POLICY_FILE), or with --sample-policy the build's fictional
 * Sample State.  Nothing silently falls back to the sample: keys made for
 * one state must not issue "Sample State" licences.
 */
static int
load_policy(const struct cli_args *a, struct mindl_schema *schema,
    const char **name)
{
	const char *path = a->val[O_POLICY];
	uint8_t *buf = NULL;
	size_t len = 0;
	char errbuf[1024];
	int r;

	if (cli_has(a, O_SAMPLE_POLICY)) {
		if (path != NULL)
			return cli_usage_error("issue", "give --policy or "
			    "--sample-policy, not both");
		*name = "sample";
		return 0;
	}
	if (path == NULL)
		path = MINDL_POLICY_FILE;
	*name = path;
	r = mindl_file_read(path, MAX_POLICY, &buf, &len);
	if (r == MINDL_ERR_NO_FILE)
		return cli_failx(2, path, MINDL_ERR_CONFIG, "no issuing policy "
		    "here: write this DMV's policy file (mindl-issuer(1), "
		    "POLICY FILE) or give --policy FILE; --sample-policy "
		    "issues for the fictional Sample State, for demonstrations "
		    "only");
	if (r != MINDL_OK)
		return cli_failx(2, path, r, "cannot read the policy: %s",
		    mindl_strerr(r));
	r = mindl_schema_site_policy(schema, (const char *)buf, len, path,
	    errbuf, sizeof(errbuf));
	free(buf);
	if (r != MINDL_OK)
		return cli_failx(2, path, r, "%s", errbuf[0] != '\0' ? errbuf :
		    mindl_strerr(r));
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
 * The holder's device public keys, one per single-use copy (mindl-holder
 * keygen's .pub: up to MINDL_MAX_BATCH).  The desk gets public keys,
 * never a private one.  0 or an exit status (reported).
 */
static int
read_device_keys(const char *path, struct mindl_key **dev, size_t *n)
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
static void
report_refusal(const char *recp, int r, const char *errbuf)
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


static int
cmd_issue(const struct cli_args *a)
{
	const char *recp = a->val[O_RECORD], *portp = a->val[O_PORTRAIT];
	const char *dskeyp = a->val[O_DS_KEY], *dscertp = a->val[O_DS_CERT];
	const char *devp = a->val[O_DEVICE_PUB], *outp = a->val[O_OUT];
	const char *at = a->val[O_AT], *policy = NULL;
	const struct mindl_policy *pol;
	struct mindl_schema *schema = NULL;
	struct mindl_record *rec = NULL;
	struct mindl_key *dskey = NULL, *dev[MINDL_MAX_BATCH];
	size_t ndev = 0;
	struct mindl_issue_params ip;
	struct mindl_issue_result res;
	struct mindl_signer ds;
	struct mindl_buf cred;
	uint8_t *json = NULL, *portrait = NULL, *cert = NULL;
	size_t jsonlen = 0, portlen = 0, certlen = 0, i;
	char errbuf[4096];
	char expiry[MINDL_FULLDATE_LEN + 1], from[MINDL_FULLDATE_LEN + 1];
	char until[MINDL_FULLDATE_LEN + 1] = "?";
	int64_t now;
	int r, force = cli_has(a, O_FORCE), jsonout = a->json;

	mindl_buf_init(&cred, MINDL_MAX_INPUT);
	now = mindl_now();
	if (at != NULL && mindl_time_parse(at, &now) != MINDL_OK)
		return cli_usage_error("issue", "--at: not a time: %s", at);
	if ((r = cli_key_read("--ds-key", dskeyp, 0, "--ds-pass-fd",
	    a->val[O_DS_PASS_FD], "--no-passphrase",
	    cli_has(a, O_NO_PASSPHRASE), &dskey)) != 0)
		goto out;
	if ((r = mindl_x509_read_pem(dscertp, &cert, &certlen)) != MINDL_OK) {
		r = cli_fail(dscertp, r);
		goto out;
	}
	if ((r = check_signer(dskey, cert, certlen, now, dscertp)) != 0)
		goto out;
	if ((r = read_device_keys(devp, dev, &ndev)) != 0)
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
	if ((r = mindl_schema_builtin(&schema)) != MINDL_OK) {
		r = cli_fail("schema", r);
		goto out;
	}
	if ((r = load_policy(a, schema, &policy)) != 0 ||
	    (r = check_place(mindl_schema_policy(schema), cert, certlen,
	    dscertp, policy)) != 0)
		goto out;
	errbuf[0] = '\0';
	if ((r = mindl_record_parse(schema, (const char *)json, jsonlen,
	    portrait, portlen, now, &rec, errbuf, sizeof(errbuf))) !=
	    MINDL_OK) {
		report_refusal(recp, r, errbuf);
		r = mindl_err_exitcode(r);
		goto out;
	}
	if ((r = mindl_signer_key(&ds, dskey)) != MINDL_OK) {
		r = cli_fail(dskeyp, r);
		goto out;
	}
	memset(&ip, 0, sizeof(ip));
	ip.record = rec;
	ip.policy = mindl_schema_policy(schema);
	ip.ds = &ds;
	ip.ds_cert = cert;
	ip.ds_certlen = certlen;
	ip.now = now;
	/* One single-use MSO per device key of the holder's batch. */
	if ((r = mindl_mdoc_issue_batch(&ip,
	    (const struct mindl_key *const *)dev, ndev, &cred, &res)) !=
	    MINDL_OK) {
		r = r == MINDL_ERR_TOO_LARGE ? cli_failf(devp, r, "%zu copies "
		    "of this record and portrait exceed the credential file's "
		    "4 MiB: fewer keys (keygen --count) or a smaller portrait",
		    ndev) : cli_fail("issue", r);
		goto out;
	}
	if ((r = mindl_file_write(outp, mindl_buf_ptr(&cred),
	    mindl_buf_len(&cred), MINDL_FILE_PRIVATE |
	    (force ? 0 : MINDL_FILE_EXCL))) != MINDL_OK) {
		r = cli_fail(outp, r);
		goto out;
	}
	if (mindl_fulldate_format(mindl_record_expiry_day(rec), expiry) !=
	    MINDL_OK)
		snprintf(expiry, sizeof(expiry), "?");
	if (mindl_fulldate_format(res.valid_from / MINDL_DAY, from) !=
	    MINDL_OK || mindl_fulldate_format(res.valid_until / MINDL_DAY,
	    until) != MINDL_OK)
		snprintf(from, sizeof(from), "?");
	pol = mindl_schema_policy(schema);
	if (jsonout && strcmp(outp, "-") != 0) {
		struct jw w;
		char id[2 * sizeof(res.credential_id) + 1];

		for (i = 0; i < sizeof(res.credential_id); i++)
			snprintf(id + 2 * i, 3, "%02x", res.credential_id[i]);
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "bytes");
		jw_uint(&w, mindl_buf_len(&cred));
		jw_key(&w, "credential_id");
		jw_str(&w, id);
		jw_key(&w, "valid_from");
		jw_int(&w, res.valid_from);
		jw_key(&w, "valid_until");
		jw_int(&w, res.valid_until);
		jw_key(&w, "signer");
		jw_str(&w, res.signer);
		jw_key(&w, "copies");
		jw_uint(&w, ndev);
		jw_key(&w, "elements");
		jw_uint(&w, mindl_record_count(rec));
		jw_key(&w, "licence_expiry");
		jw_str(&w, expiry);
		jw_key(&w, "issuing_authority");
		jw_str(&w, pol->issuing_authority);
		jw_key(&w, "issuing_jurisdiction");
		jw_str(&w, pol->jurisdiction);
		jw_key(&w, "policy");
		jw_str(&w, policy);
		jw_end_obj(&w);
		if (jw_done(&w) != MINDL_OK) {
			r = 3;
			goto out;
		}
	} else if (strcmp(outp, "-") != 0) {
		/* One line for the desk: what was made, by whom, how long. */
		printf("issued ");
		cli_print_safe(stdout, outp);
		printf(" for ");
		cli_print_safe(stdout, pol->issuing_authority);
		printf(" (%s): %zu single-use cop%s, %zu elements; licence "
		    "valid until %s; signatures valid %s to %s (renew before "
		    "then); signer %s\n", pol->jurisdiction != NULL ?
		    pol->jurisdiction : pol->issuing_country, ndev,
		    ndev == 1 ? "y" : "ies", mindl_record_count(rec), expiry,
		    from, until, res.signer);
	}
	r = 0;
 out:
	/* The record, portrait and credential are personal data: wipe. */
	if (json != NULL)
		mindl_freezero(json, jsonlen);
	if (portrait != NULL)
		mindl_freezero(portrait, portlen);
	mindl_buf_clear(&cred);
	mindl_record_free(&rec);
	mindl_schema_free(&schema);
	mindl_key_free(&dskey);
	for (i = 0; i < ndev; i++)
		mindl_key_free(&dev[i]);
	free(cert);
	return r;
}

static const struct cli_verb verbs[] = {
	{ "elements", cmd_elements, "elements [-dj]", NULL,
	    "Lists the elements a record may hold: type, source, allowed "
	    "values.", NULL, 0, 0, 0 },
	{ "issue", cmd_issue,
	    "issue [-dfj] --record R.json --portrait P.jpg --ds-key K\n"
	    "\t\t--ds-cert C --device-pub P -o CRED\n"
	    "\t\t[--ds-pass-fd N | --no-passphrase]\n"
	    "\t\t[--policy FILE | --sample-policy] [--at TIME]", NULL,
	    "Issues a signed mDL credential from a record, bound to the "
	    "holder's device key.", issue_opts, O_ISSUE_N, 0, 0 },
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
