/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-keys reader: a verifier's reader authentication key and
 * certificate under the DMV's reader CA (ISO/IEC 18013-5 Annex B, EKU
 * 1.0.18013.5.1.6), naming the verifier and the profiles it may request
 * (mindl/x509.h).  A holder releases to a signed request only what the
 * certificate's profiles allow.  Validity is short by policy (at most
 * MINDL_READER_MAX_DAYS): a verifier that stops being entitled drops out
 * when its certificate ends, and removing the reader CA from the holders'
 * trust revokes every verifier under it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "keys.h"

#define READER_DEFAULT_DAYS	90

const struct cli_opt reader_opts[O_RD_N] = {
	[O_RD_CA_KEY] = { "ca-key", 0, CLI_ARG | CLI_REQ, "K",
	    "the reader CA's private key" },
	[O_RD_CA_CERT] = { "ca-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "the reader CA's certificate" },
	[O_RD_PROFILE] = { "profile", 0, CLI_ARG | CLI_REQ, "ID[,ID...]",
	    "the verifier profiles it may request (mindl-verifier profiles)" },
	[O_RD_NAME] = { "name", 0, CLI_ARG | CLI_REQ, "NAME",
	    "the verifier's name, shown to holders (the certificate's CN)" },
	[O_RD_OUT_KEY] = { "out-key", 0, CLI_ARG | CLI_REQ, "K",
	    "write the reader's private key here (0600)" },
	[O_RD_OUT_CERT] = { "out-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "write the reader certificate here" },
	[O_RD_DAYS] = { "days", 0, CLI_ARG, "N",
	    "validity in days, 1 to 365 (default 90)" },
	[O_RD_PASS_FD] = { "pass-fd", 0, CLI_ARG, "N",
	    "encrypt the reader key under the passphrase on descriptor N" },
	[O_RD_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "write the reader's private key unencrypted" },
	[O_RD_CA_PASS_FD] = { "ca-pass-fd", 0, CLI_ARG, "N",
	    "the CA key's passphrase from descriptor N (read first)" },
	[O_RD_CA_NO_PASSPHRASE] = { "ca-no-passphrase", 0, 0, NULL,
	    "the reader CA's key is not encrypted" },
};

/* The certificate as a holder will see it, at its start. */
static int
self_check(const uint8_t *ca, size_t calen, const uint8_t *der, size_t len,
    int64_t at)
{
	struct mindl_trust *t = NULL;
	struct mindl_key *pub = NULL;
	int r;

	if ((r = mindl_trust_new(&t)) == MINDL_OK &&
	    (r = mindl_trust_add_der(t, ca, calen)) == MINDL_OK)
		r = mindl_trust_verify_reader(t, der, len, at, &pub);
	mindl_key_free(&pub);
	mindl_trust_free(&t);
	return r;
}

int
cmd_reader(const struct cli_args *a)
{
	struct mindl_reader_params p;
	struct mindl_schema *s = NULL;
	struct mindl_key *ckey = NULL, *key = NULL;
	const char *ids[MINDL_READER_MAX_PROFILES];
	const char *outkey = a->val[O_RD_OUT_KEY];
	const char *outcert = a->val[O_RD_OUT_CERT];
	const char *days_s = a->val[O_RD_DAYS];
	const char *passfd_s = a->val[O_RD_PASS_FD];
	const char *cpassfd_s = a->val[O_RD_CA_PASS_FD];
	char *list = NULL, *tok, *save = NULL, *pass = NULL;
	uint8_t *ca = NULL, *der = NULL;
	size_t calen = 0, derlen = 0, n = 0, i;
	int fd, r, ret = 3, days = READER_DEFAULT_DAYS;

	if (strcmp(outkey, outcert) == 0)
		return cli_usage_error("reader", "--out-key and --out-cert are "
		    "the same file");
	if (days_s != NULL && keys_days_arg(days_s, MINDL_READER_MAX_DAYS,
	    &days) != MINDL_OK)
		return cli_refuse("--days", MINDL_ERR_INVALID_ARG, "must be 1 "
		    "to 365 days: reader certificates are short-lived by "
		    "policy");
	if ((r = mindl_schema_builtin(&s)) != MINDL_OK)
		return cli_fail("schema", r);
	/* Only profiles the schema knows: a typo would certify nothing. */
	if ((list = strdup(a->val[O_RD_PROFILE])) == NULL) {
		ret = cli_fail("reader", MINDL_ERR_NOMEM);
		goto out;
	}
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (mindl_schema_profile(s, tok) == NULL) {
			/* Named only when it is plain text (argv is outside). */
			ret = strspn(tok, "abcdefghijklmnopqrstuvwxyz0123456789-")
			    == strlen(tok) && strlen(tok) < 64 ?
			    cli_usage_error("reader", "--profile: unknown "
			    "profile \"%s\" (mindl-verifier profiles lists "
			    "them)", tok) : cli_usage_error("reader",
			    "--profile: a profile id holds only a-z, 0-9 and "
			    "- (mindl-verifier profiles lists them)");
			goto out;
		}
		for (i = 0; i < n; i++)
			if (strcmp(ids[i], tok) == 0)
				break;
		if (i < n)
			continue;
		if (n == MINDL_READER_MAX_PROFILES) {
			ret = cli_usage_error("reader", "--profile: at most "
			    "%d profiles", MINDL_READER_MAX_PROFILES);
			goto out;
		}
		ids[n++] = tok;
	}
	if (n == 0) {
		ret = cli_usage_error("reader", "--profile: at least one "
		    "profile id");
		goto out;
	}
	if (passfd_s != NULL &&
	    (r = cli_fd_arg("--pass-fd", passfd_s, &fd)) != 0) {
		ret = r;
		goto out;
	}
	if (cpassfd_s != NULL &&
	    (r = cli_fd_arg("--ca-pass-fd", cpassfd_s, &fd)) != 0) {
		ret = r;
		goto out;
	}
	if ((r = keys_check_absent(outcert)) != MINDL_OK) {
		ret = cli_fail(outcert, r);
		goto out;
	}
	if ((r = keys_check_absent(outkey)) != MINDL_OK) {
		ret = cli_fail(outkey, r);
		goto out;
	}
	if ((r = mindl_x509_read_pem(a->val[O_RD_CA_CERT], &ca, &calen)) !=
	    MINDL_OK) {
		ret = cli_fail(a->val[O_RD_CA_CERT], r);
		goto out;
	}
	if ((r = cli_key_read("--ca-key", a->val[O_RD_CA_KEY], 0,
	    "--ca-pass-fd", cpassfd_s, "--ca-no-passphrase",
	    cli_has(a, O_RD_CA_NO_PASSPHRASE), &ckey)) != 0 ||
	    (r = cli_pass_new(outkey, "--pass-fd", passfd_s,
	    cli_has(a, O_RD_NO_PASSPHRASE), &pass)) != 0) {
		ret = r;
		goto out;
	}
	if ((r = mindl_key_generate(&key)) != MINDL_OK) {
		ret = cli_fail("generate", r);
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.name = a->val[O_RD_NAME];
	p.profiles = ids;
	p.nprofiles = n;
	p.not_before = mindl_now() / MINDL_DAY * MINDL_DAY;
	p.days = days;
	if ((r = mindl_x509_make_reader(ckey, ca, calen, key, &p, &der,
	    &derlen)) != MINDL_OK) {
		if (r == MINDL_ERR_INVALID_ARG)
			ret = cli_refuse("reader", r, "refused: the validity "
			    "must end before the reader CA's (a smaller "
			    "--days), and --name be 1 to 64 characters "
			    "without controls");
		else if (r == MINDL_ERR_KEY)
			ret = cli_refuse(a->val[O_RD_CA_KEY], r, "not the "
			    "private key of the reader CA certificate");
		else
			ret = cli_fail("reader", r);
		goto out;
	}
	if ((r = self_check(ca, calen, der, derlen, p.not_before)) !=
	    MINDL_OK) {
		ret = cli_refuse(a->val[O_RD_CA_CERT], r, "the new certificate "
		    "would not verify against this CA (run with -d for "
		    "details)");
		goto out;
	}
	ret = keys_write_pair(a->json, key, pass, outkey, outcert, der, derlen,
	    p.not_before, p.not_before + (int64_t)days * MINDL_DAY);
out:
	cli_pass_free(&pass);
	mindl_key_free(&ckey);
	mindl_key_free(&key);
	mindl_schema_free(&s);
	free(list);
	free(ca);
	free(der);
	return ret;
}
