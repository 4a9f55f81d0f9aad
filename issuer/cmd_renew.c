/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-issuer renew-challenge and renew: renewal without the record.
 * The desk hands the holder a challenge (kept in the registry, single
 * use); the holder brings back the old credential, a proof signed with
 * one of its device keys over the challenge, the old file and the new
 * public keys (mindl-holder renew-proof), and the new keys.  The desk
 * checks that the old credential is this DMV's own and unaltered
 * (mindl_renewal_cred_verify, with the verifier's code), the proof, the
 * licence's expiry and, in the registry, that it is not revoked; then it
 * signs a new batch over the same values, with new salts, digestIDs and
 * status indices.  No personal data is looked up or kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/renewal.h"
#include "cli.h"
#include "jw.h"
#include "issuer.h"
#include "registry.h"

#define DEFAULT_MINUTES		30
#define MAX_MINUTES		(7 * 24 * 60)

const struct cli_opt challenge_opts[O_CHALLENGE_N] = {
	[O_H_REGISTRY] = { "registry", 0, CLI_ARG | CLI_REQ, "DB",
	    "the registry that will remember the challenge" },
	[O_H_SECRET] = { "registry-secret", 0, CLI_ARG, "FILE",
	    "its secret (default DB.secret)" },
	[O_H_OUT] = { "out", 'o', CLI_ARG | CLI_REQ, "CH",
	    "write the challenge file here" },
	[O_H_MINUTES] = { "minutes", 0, CLI_ARG, "N",
	    "how long it may be used, 1 to 10080 (default 30)" },
	[O_H_FORCE] = { "force", 'f', 0, NULL,
	    "replace an existing file" },
	[O_H_OPERATOR] = { "operator", 0, CLI_ARG, "ID",
	    "who hands it out, for the audit trail (default: $LOGNAME)" },
	[O_H_AT] = { "at", 0, CLI_ARG, "TIME",
	    "as of TIME instead of now" },
};

int
cmd_renew_challenge(const struct cli_args *a)
{
	uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN];
	struct mindl_buf out;
	struct desk d;
	const char *outp = a->val[O_H_OUT], *m = a->val[O_H_MINUTES];
	unsigned long minutes = DEFAULT_MINUTES;
	char *end;
	int64_t exp;
	int r;

	memset(&d, 0, sizeof(d));
	mindl_buf_init(&out, MINDL_RENEWAL_MAX_CHALLENGE);
	d.now = mindl_now();
	if (a->val[O_H_AT] != NULL && mindl_time_parse(a->val[O_H_AT],
	    &d.now) != MINDL_OK)
		return cli_usage_error("renew-challenge", "--at: not a time: "
		    "%s", a->val[O_H_AT]);
	if (m != NULL && ((minutes = strtoul(m, &end, 10)) < 1 ||
	    minutes > MAX_MINUTES || *end != '\0' || *m < '0' || *m > '9'))
		return cli_usage_error("renew-challenge", "--minutes: a number "
		    "from 1 to %d", MAX_MINUTES);
	if ((r = desk_registry(&d, "renew-challenge", a->val[O_H_REGISTRY],
	    a->val[O_H_SECRET], a->val[O_H_OPERATOR])) != 0)
		goto out;
	exp = d.now + (int64_t)minutes * 60;
	if ((r = reg_challenge_new(d.reg, ch, d.now, exp, d.operator)) !=
	    MINDL_OK) {
		r = cli_failf(d.regp, r, "%s", reg_errmsg(d.reg));
		goto out;
	}
	if ((r = mindl_renewal_challenge_write(ch, exp, &out)) != MINDL_OK) {
		r = cli_fail("renew-challenge", r);
		goto out;
	}
	if ((r = mindl_file_write(outp, mindl_buf_ptr(&out),
	    mindl_buf_len(&out), cli_has(a, O_H_FORCE) ? 0 :
	    MINDL_FILE_EXCL)) != MINDL_OK) {
		r = cli_fail(outp, r);
		goto out;
	}
	if (cli_json_on()) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "challenge");
		jw_str(&w, outp);
		jw_key(&w, "expires");
		jw_int(&w, exp);
		desk_json_officers(&w, &d);
		jw_end_obj(&w);
		r = jw_done(&w) == MINDL_OK ? 0 : 3;
	} else {
		char t[MINDL_TDATE_LEN + 1];

		if (mindl_tdate_format(exp, t) != MINDL_OK)
			snprintf(t, sizeof(t), "?");
		printf("challenge ");
		cli_print_safe(stdout, outp);
		printf(": good once, until %s; the holder signs it with "
		    "mindl-holder renew-proof and brings the proof back\n", t);
		r = 0;
	}
 out:
	mindl_buf_clear(&out);
	desk_close(&d);
	return r;
}

const struct cli_opt renew_opts[O_RENEW_N] = {
	[O_N_REGISTRY] = { "registry", 0, CLI_ARG | CLI_REQ, "DB",
	    "the registry (challenge, revocation, new status indices)" },
	[O_N_SECRET] = { "registry-secret", 0, CLI_ARG, "FILE",
	    "its secret (default DB.secret)" },
	[O_N_CREDENTIAL] = { "credential", 0, CLI_ARG | CLI_REQ, "OLD",
	    "the holder's credential to renew" },
	[O_N_PROOF] = { "proof", 0, CLI_ARG | CLI_REQ, "PROOF",
	    "the holder's proof (mindl-holder renew-proof)" },
	[O_N_DEVICE_PUB] = { "device-pub", 0, CLI_ARG | CLI_REQ, "NEW",
	    "the holder's new device public keys" },
	[O_N_IACA] = { "iaca", 0, CLI_ARG | CLI_REQ | CLI_MANY, "IACA.pem",
	    "this DMV's IACA certificate(s): the old credential must chain "
	    "to one" },
	[O_N_DS_KEY] = { "ds-key", 0, CLI_ARG | CLI_REQ, "K",
	    "the document signer's private key" },
	[O_N_DS_CERT] = { "ds-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "the document signer's certificate" },
	[O_N_OUT] = { "out", 'o', CLI_ARG | CLI_REQ, "CRED",
	    "write the renewed credential here (0600)" },
	[O_N_DS_PASS_FD] = { "ds-pass-fd", 0, CLI_ARG, "N",
	    "read the DS key's passphrase from descriptor N" },
	[O_N_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "the DS key is not encrypted" },
	[O_N_POLICY] = { "policy", 0, CLI_ARG, "FILE",
	    "this DMV's policy (default " MINDL_POLICY_FILE ")" },
	[O_N_SAMPLE_POLICY] = { "sample-policy", 0, 0, NULL,
	    "renew for the fictional Sample State (demonstrations only)" },
	[O_N_AT] = { "at", 0, CLI_ARG, "TIME",
	    "renew as of TIME instead of now" },
	[O_N_FORCE] = { "force", 'f', 0, NULL,
	    "replace an existing output file" },
	[O_N_OPERATOR] = { "operator", 0, CLI_ARG, "ID",
	    "who renews, for the audit trail (default: $LOGNAME)" },
	DESK_OFFICER_OPTS(O_N_OFFICER, O_N_OFFICER_DEVICE,
	    O_N_OFFICER_PIN_FD),
};

int
cmd_renew(const struct cli_args *a)
{
	const char *oldp = a->val[O_N_CREDENTIAL], *proofp = a->val[O_N_PROOF];
	const char *devp = a->val[O_N_DEVICE_PUB], *outp = a->val[O_N_OUT];
	const char *iaca[16];
	uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN], digest[MINDL_SHA256_LEN];
	uint8_t *old = NULL, *proof = NULL;
	size_t oldlen = 0, prooflen = 0, ndev = 0, niaca, copy = 0, i;
	struct mindl_key *dev[MINDL_MAX_BATCH];
	struct mindl_renewal_cred *rc = NULL;
	struct mindl_renewal_fault fault;
	struct mindl_record *rec = NULL;
	struct mindl_trust *trust = NULL;
	struct mindl_issue_result res;
	struct mindl_buf cred;
	struct desk d;
	char errbuf[4096];
	int r;

	memset(&d, 0, sizeof(d));
	memset(&fault, 0, sizeof(fault));
	mindl_buf_init(&cred, MINDL_MAX_INPUT);
	niaca = cli_list(a, O_N_IACA, iaca, 16);
	if (niaca > 16)
		return cli_usage_error("renew", "at most 16 --iaca files");
	d.now = mindl_now();
	if (a->val[O_N_AT] != NULL && mindl_time_parse(a->val[O_N_AT],
	    &d.now) != MINDL_OK)
		return cli_usage_error("renew", "--at: not a time: %s",
		    a->val[O_N_AT]);
	if ((r = desk_signer(&d, a->val[O_N_DS_KEY], a->val[O_N_DS_CERT],
	    a->val[O_N_DS_PASS_FD], cli_has(a, O_N_NO_PASSPHRASE))) != 0 ||
	    (r = desk_policy(&d, "renew", a->val[O_N_POLICY],
	    cli_has(a, O_N_SAMPLE_POLICY))) != 0 ||
	    (r = desk_registry(&d, "renew", a->val[O_N_REGISTRY],
	    a->val[O_N_SECRET], a->val[O_N_OPERATOR])) != 0 ||
	    (r = desk_officer(&d, "renew", a->val[O_N_OFFICER],
	    a->val[O_N_OFFICER_DEVICE], a->val[O_N_OFFICER_PIN_FD],
	    a->val[O_N_OPERATOR])) != 0)
		goto out;
	if ((r = mindl_trust_new(&trust)) != MINDL_OK) {
		r = cli_fail("trust", r);
		goto out;
	}
	for (i = 0; i < niaca; i++)
		if ((r = mindl_trust_add_pem_file(trust, iaca[i])) !=
		    MINDL_OK) {
			r = cli_failx(2, iaca[i], r, "cannot use as this DMV's "
			    "IACA: %s", mindl_strerr(r));
			goto out;
		}
	if ((r = issue_read_device_keys(devp, dev, &ndev)) != 0)
		goto out;
	if ((r = mindl_file_read(oldp, MINDL_MAX_INPUT, &old, &oldlen)) !=
	    MINDL_OK) {
		r = cli_fail(oldp, r);
		goto out;
	}
	if (cli_wrong_kind(oldp, old, oldlen, "credential", "give the "
	    "holder's credential file")) {
		r = 1;
		goto out;
	}
	if ((r = mindl_file_read(proofp, MINDL_RENEWAL_MAX_PROOF, &proof,
	    &prooflen)) != MINDL_OK) {
		r = cli_fail(proofp, r);
		goto out;
	}
	/*
	 * Approved for this proof (it names the challenge, the old
	 * credential and the new keys), before the challenge is spent.
	 */
	if ((r = mindl_sha256(proof, prooflen, digest)) != MINDL_OK) {
		r = cli_fail(proofp, r);
		goto out;
	}
	if ((r = desk_approve(&d, "renew", digest)) != 0)
		goto out;
	/* The challenge is spent first: a proof is good for one try. */
	if ((r = mindl_renewal_proof_challenge(proof, prooflen, ch)) !=
	    MINDL_OK) {
		r = cli_failf(proofp, r, "not a renewal proof (%s): give the "
		    "file mindl-holder renew-proof wrote", mindl_strerr(r));
		goto out;
	}
	if ((r = reg_challenge_take(d.reg, ch, d.now)) != MINDL_OK) {
		r = r == MINDL_ERR_CHALLENGE ? cli_failf(proofp, r, "the proof "
		    "answers a challenge this registry did not hand out, "
		    "already used, or expired: hand out a new one "
		    "(renew-challenge); nothing renewed") :
		    cli_failf(d.regp, r, "%s", reg_errmsg(d.reg));
		goto out;
	}
	r = mindl_renewal_cred_verify(trust, d.schema, d.now, old, oldlen,
	    &rc, &fault);
	if (r == MINDL_ERR_NOT_ISSUED_HERE) {
		r = cli_failf(oldp, r, "copy %zu: %s (%s): issue from the "
		    "DMV's record instead; nothing renewed", fault.copy,
		    fault.what != NULL ? fault.what : "refused",
		    mindl_errname(fault.cause));
		goto out;
	}
	if (r != MINDL_OK) {
		r = cli_fail(oldp, r);
		goto out;
	}
	if ((r = mindl_renewal_proof_verify(proof, prooflen, ch, old, oldlen,
	    (const struct mindl_key *const *)dev, ndev, &copy)) != MINDL_OK) {
		r = r == MINDL_ERR_RENEWAL_PROOF ? cli_failf(proofp, r, "not "
		    "signed by a device key of this credential over these "
		    "new keys: the holder signs again with renew-proof "
		    "(after a new challenge); nothing renewed") :
		    r == MINDL_ERR_KEY ? cli_failf(devp, r, "the new keys "
		    "must be new: distinct, and none of the old credential's; "
		    "nothing renewed") : cli_fail(proofp, r);
		goto out;
	}
	errbuf[0] = '\0';
	if ((r = mindl_renewal_record(rc, d.schema, d.now, &rec, errbuf,
	    sizeof(errbuf))) != MINDL_OK) {
		if (r == MINDL_ERR_LICENCE_EXPIRED)
			r = cli_failf(oldp, r, "the licence itself has expired: "
			    "renewal gives new signatures, not a new licence; "
			    "nothing renewed");
		else {
			issue_report_refusal(oldp, r, errbuf);
			r = mindl_err_exitcode(r);
		}
		goto out;
	}
	if ((r = desk_issue(&d, rec, dev, ndev, "renew", &cred, &res)) !=
	    MINDL_OK) {
		r = r == MINDL_ERR_REVOKED ? cli_failf(oldp, r, "this licence "
		    "is revoked: it is not renewed") :
		    issue_failed(&d, devp, ndev, r);
		goto out;
	}
	if ((r = mindl_file_write(outp, mindl_buf_ptr(&cred),
	    mindl_buf_len(&cred), MINDL_FILE_PRIVATE |
	    (cli_has(a, O_N_FORCE) ? 0 : MINDL_FILE_EXCL))) != MINDL_OK) {
		r = cli_fail(outp, r);
		goto out;
	}
	r = issue_summary(&d, "renewed", outp, ndev, rec, &cred, &res);
 out:
	if (old != NULL)
		mindl_freezero(old, oldlen);
	free(proof);
	mindl_buf_clear(&cred);
	mindl_record_free(&rec);
	mindl_renewal_cred_free(&rc);
	mindl_trust_free(&trust);
	for (i = 0; i < ndev; i++)
		mindl_key_free(&dev[i]);
	desk_close(&d);
	return r;
}
