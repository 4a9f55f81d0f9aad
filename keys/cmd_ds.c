/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-keys ds: a new document-signer (DS) key and its certificate,
 * signed by the IACA (ISO/IEC 18013-5 Annex B, Tables B.3 and B.4).
 * mindl-keys status-signer: the same for the key that signs Token Status
 * Lists (mindl/status.h): digitalSignature, no EKU (the draft's
 * id-kp-oauthStatusSigning is still "TBD"), and never the DS EKU, so
 * that the key that signs MSOs cannot sign the lists that revoke them.
 *
 * The new certificate is verified against the IACA before anything is
 * written, with the same code a verifier runs, so a certificate that a
 * mindl verifier would refuse is never handed out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "keys.h"

#define DS_DEFAULT_DAYS		365

/* The certificate as a verifier will see it, at its start. */
static int
self_check(int status, const uint8_t *iaca, size_t iacalen, const uint8_t *ds,
    size_t dslen, int64_t at)
{
	struct mindl_trust *t = NULL;
	struct mindl_key *pub = NULL;
	int r;

	if ((r = mindl_trust_new(&t)) == MINDL_OK &&
	    (r = mindl_trust_add_der(t, iaca, iacalen)) == MINDL_OK)
		r = status ? mindl_trust_verify_status_signer(t, ds, dslen, at,
		    &pub, NULL) : mindl_trust_verify_ds(t, ds, dslen, at,
		    &pub);
	mindl_key_free(&pub);
	mindl_trust_free(&t);
	return r;
}

const struct cli_opt ds_opts[O_DS_N] = {
	[O_DS_IACA_KEY] = { "iaca-key", 0, CLI_ARG | CLI_REQ, "K",
	    "the IACA's private key" },
	[O_DS_IACA_CERT] = { "iaca-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "the IACA's certificate" },
	[O_DS_OUT_KEY] = { "out-key", 0, CLI_ARG | CLI_REQ, "K",
	    "write the DS private key here (0600)" },
	[O_DS_OUT_CERT] = { "out-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "write the DS certificate here" },
	[O_DS_DAYS] = { "days", 0, CLI_ARG, "N",
	    "validity in days, 1 to 457 (default 365)" },
	[O_DS_NAME] = { "name", 0, CLI_ARG, "CN",
	    "the certificate's CN (default: the IACA's name + \" DS\")" },
	[O_DS_PASS_FD] = { "pass-fd", 0, CLI_ARG, "N",
	    "encrypt the DS key under the passphrase on descriptor N" },
	[O_DS_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "write the DS private key unencrypted" },
	[O_DS_IACA_PASS_FD] = { "iaca-pass-fd", 0, CLI_ARG, "N",
	    "the IACA key's passphrase from descriptor N (read first)" },
	[O_DS_IACA_NO_PASSPHRASE] = { "iaca-no-passphrase", 0, 0, NULL,
	    "the IACA key is not encrypted" },
	[O_DS_CURVE] = { "curve", 0, CLI_ARG, "CRV", KEYS_CURVE_HELP },
};

const struct cli_opt status_signer_opts[O_DS_N] = {
	[O_DS_IACA_KEY] = { "iaca-key", 0, CLI_ARG | CLI_REQ, "K",
	    "the IACA's private key" },
	[O_DS_IACA_CERT] = { "iaca-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "the IACA's certificate" },
	[O_DS_OUT_KEY] = { "out-key", 0, CLI_ARG | CLI_REQ, "K",
	    "write the status signer's private key here (0600)" },
	[O_DS_OUT_CERT] = { "out-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "write the status signer's certificate here" },
	[O_DS_DAYS] = { "days", 0, CLI_ARG, "N",
	    "validity in days, 1 to 457 (default 365)" },
	[O_DS_NAME] = { "name", 0, CLI_ARG, "CN",
	    "the certificate's CN (default: the IACA's name + \" status "
	    "signer\")" },
	[O_DS_PASS_FD] = { "pass-fd", 0, CLI_ARG, "N",
	    "encrypt the new key under the passphrase on descriptor N" },
	[O_DS_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "write the new private key unencrypted" },
	[O_DS_IACA_PASS_FD] = { "iaca-pass-fd", 0, CLI_ARG, "N",
	    "the IACA key's passphrase from descriptor N (read first)" },
	[O_DS_IACA_NO_PASSPHRASE] = { "iaca-no-passphrase", 0, 0, NULL,
	    "the IACA key is not encrypted" },
	[O_DS_CURVE] = { "curve", 0, CLI_ARG, "CRV", KEYS_CURVE_HELP },
};

/* ds and status-signer: a key and its certificate under the IACA. */
static int
make_leaf(const struct cli_args *a, int status)
{
	const char *verb = status ? "status-signer" : "ds";
	struct mindl_ds_params p;
	struct mindl_key *ikey = NULL, *key = NULL;
	const char *iacakey = a->val[O_DS_IACA_KEY];
	const char *iacacert = a->val[O_DS_IACA_CERT];
	const char *outkey = a->val[O_DS_OUT_KEY];
	const char *outcert = a->val[O_DS_OUT_CERT], *name = a->val[O_DS_NAME];
	const char *days_s = a->val[O_DS_DAYS];
	const char *passfd_s = a->val[O_DS_PASS_FD];
	const char *ipassfd_s = a->val[O_DS_IACA_PASS_FD];
	char *pass = NULL;
	uint8_t *iaca = NULL, *der = NULL;
	size_t iacalen = 0, derlen = 0;
	int fd, r, ret = 3, days = DS_DEFAULT_DAYS, crv;

	if (strcmp(outkey, outcert) == 0)
		return cli_usage_error(verb, "--out-key and --out-cert are the "
		    "same file");
	/* Annex B: a DS certificate is valid for at most 457 days. */
	if (days_s != NULL && keys_days_arg(days_s, status ?
	    MINDL_STATUS_SIGNER_MAX_DAYS : MINDL_DS_MAX_DAYS, &days) !=
	    MINDL_OK)
		return cli_refuse("--days", MINDL_ERR_INVALID_ARG, "must be 1 "
		    "to 457 days (ISO 18013-5 Annex B)");
	if (keys_curve_arg(a->val[O_DS_CURVE], &crv) != MINDL_OK)
		return cli_refuse("--curve", MINDL_ERR_INVALID_ARG,
		    "must be P-256, P-384 or P-521");
	/* Descriptors are checked now, read when nothing is in the way. */
	if (passfd_s != NULL &&
	    (r = cli_fd_arg("--pass-fd", passfd_s, &fd)) != 0)
		return r;
	if (ipassfd_s != NULL &&
	    (r = cli_fd_arg("--iaca-pass-fd", ipassfd_s, &fd)) != 0)
		return r;
	if ((r = keys_check_absent(outcert)) != MINDL_OK)
		return cli_fail(outcert, r);
	if ((r = keys_check_absent(outkey)) != MINDL_OK)
		return cli_fail(outkey, r);
	if ((r = mindl_x509_read_pem(iacacert, &iaca, &iacalen)) !=
	    MINDL_OK) {
		ret = cli_fail(iacacert, r);
		goto out;
	}
	/* From one descriptor, the IACA's line comes first. */
	if ((r = cli_key_read("--iaca-key", iacakey, 0, "--iaca-pass-fd",
	    ipassfd_s, "--iaca-no-passphrase",
	    cli_has(a, O_DS_IACA_NO_PASSPHRASE), &ikey)) != 0 ||
	    (r = cli_pass_new(outkey, "--pass-fd", passfd_s,
	    cli_has(a, O_DS_NO_PASSPHRASE), &pass)) != 0) {
		ret = r;
		goto out;
	}
	if ((r = mindl_key_generate_curve(crv, &key)) != MINDL_OK) {
		ret = cli_fail("generate", r);
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.name = name;
	/*
	 * Validity starts at 00:00:00Z of the day: certificates carry no
	 * finer time than the day, and MSOs signed at the start of the day
	 * (the issuer's coarse timestamps) fall inside the DS validity.
	 */
	p.not_before = mindl_now() / MINDL_DAY * MINDL_DAY;
	p.days = days;
	r = status ? mindl_x509_make_status_signer(ikey, iaca, iacalen, key,
	    &p, &der, &derlen) : mindl_x509_make_ds(ikey, iaca, iacalen, key,
	    &p, &der, &derlen);
	if (r != MINDL_OK) {
		if (r == MINDL_ERR_INVALID_ARG)
			ret = cli_refuse(verb, r, "refused: the validity "
			    "must end before the IACA's (a smaller --days), "
			    "and --name be 1 to 64 characters without "
			    "controls");
		else if (r == MINDL_ERR_KEY)
			ret = cli_refuse(iacakey, r, "not the private key of "
			    "the IACA certificate");
		else
			ret = cli_fail(verb, r);
		goto out;
	}
	if ((r = self_check(status, iaca, iacalen, der, derlen,
	    p.not_before)) != MINDL_OK) {
		ret = cli_refuse(iacacert, r, "the new certificate would "
		    "not verify against this IACA (run with -d for details)");
		goto out;
	}
	ret = keys_write_pair(a->json, key, pass, outkey, outcert, der, derlen,
	    p.not_before, p.not_before + (int64_t)days * MINDL_DAY);
out:
	cli_pass_free(&pass);
	mindl_key_free(&ikey);
	mindl_key_free(&key);
	free(iaca);
	free(der);
	return ret;
}

int
cmd_ds(const struct cli_args *a)
{
	return make_leaf(a, 0);
}

int
cmd_status_signer(const struct cli_args *a)
{
	return make_leaf(a, 1);
}
