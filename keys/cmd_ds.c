/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-keys ds: a new document-signer (DS) key and its certificate,
 * signed by the IACA (ISO/IEC 18013-5 Annex B, Tables B.3 and B.4).
 *
 * The new certificate is verified against the IACA before anything is
 * written, with the same code a verifier runs, so a DS that a mindl
 * verifier would refuse is never handed out.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "keys.h"

#define DS_DEFAULT_DAYS		365

/* The DS as a verifier will see it, at the start of its validity. */
static int
self_check(const uint8_t *iaca, size_t iacalen, const uint8_t *ds,
    size_t dslen, int64_t at)
{
	struct mindl_trust *t = NULL;
	struct mindl_key *pub = NULL;
	int r;

	if ((r = mindl_trust_new(&t)) == MINDL_OK &&
	    (r = mindl_trust_add_der(t, iaca, iacalen)) == MINDL_OK)
		r = mindl_trust_verify_ds(t, ds, dslen, at, &pub);
	mindl_key_free(&pub);
	mindl_trust_free(&t);
	return r;
}

int
cmd_ds(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "days", required_argument, NULL, OPT_DAYS },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "iaca-cert", required_argument, NULL, OPT_IACA_CERT },
		{ "iaca-key", required_argument, NULL, OPT_IACA_KEY },
		{ "iaca-pass-fd", required_argument, NULL, OPT_IACA_PASS_FD },
		{ "json", no_argument, NULL, 'j' },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "out-cert", required_argument, NULL, OPT_OUT_CERT },
		{ "out-key", required_argument, NULL, OPT_OUT_KEY },
		{ "pass-fd", required_argument, NULL, OPT_PASS_FD },
		{ NULL, 0, NULL, 0 }
	};
	struct mindl_ds_params p;
	struct mindl_key *ikey = NULL, *key = NULL;
	const char *iacakey = NULL, *iacacert = NULL, *outkey = NULL;
	const char *outcert = NULL, *name = NULL, *days_s = NULL;
	const char *passfd_s = NULL, *ipassfd_s = NULL;
	char *pass = NULL, *ipass = NULL;
	uint8_t *iaca = NULL, *der = NULL;
	size_t iacalen = 0, derlen = 0;
	int c, fd, r, ret = 3, json = 0, days = DS_DEFAULT_DAYS;

	while ((c = getopt_long(argc, argv, "dhj", opts, NULL)) != -1) {
		switch (c) {
		case OPT_DAYS:
			days_s = optarg;
			break;
		case OPT_IACA_CERT:
			iacacert = optarg;
			break;
		case OPT_IACA_KEY:
			iacakey = optarg;
			break;
		case OPT_IACA_PASS_FD:
			ipassfd_s = optarg;
			break;
		case OPT_NAME:
			name = optarg;
			break;
		case OPT_OUT_CERT:
			outcert = optarg;
			break;
		case OPT_OUT_KEY:
			outkey = optarg;
			break;
		case OPT_PASS_FD:
			passfd_s = optarg;
			break;
		case 'd':
			mindl_set_debug(1);
			break;
		case 'h':
			return cli_usage("ds", 1);
		case 'j':
			json = 1;
			cli_set_json(CLI_JSON_CODE);
			break;
		default:
			return cli_bad_option("ds", argv);
		}
	}
	if (optind != argc || iacakey == NULL || iacacert == NULL ||
	    outkey == NULL || outcert == NULL)
		return cli_usage("ds", 0);
	if (strcmp(outkey, outcert) == 0) {
		cli_warn("ds", "--out-key and --out-cert are the same file");
		return cli_usage("ds", 0);
	}
	/* Annex B: a DS certificate is valid for at most 457 days. */
	if (days_s != NULL && keys_days_arg(days_s, MINDL_DS_MAX_DAYS,
	    &days) != MINDL_OK)
		return cli_refuse("--days", MINDL_ERR_INVALID_ARG, "must be 1 "
		    "to 457 days (ISO 18013-5 Annex B)");
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
	/* From one descriptor, the IACA's line comes first. */
	if ((r = cli_pass_fd("--iaca-pass-fd", ipassfd_s, &ipass)) != 0 ||
	    (r = cli_pass_fd("--pass-fd", passfd_s, &pass)) != 0) {
		ret = r;
		goto out;
	}

	if ((r = mindl_x509_read_pem(iacacert, &iaca, &iacalen)) !=
	    MINDL_OK) {
		ret = cli_fail(iacacert, r);
		goto out;
	}
	r = mindl_key_read_pem(iacakey, ipass, &ikey);
	cli_pass_free(&ipass);
	if (r == MINDL_ERR_PASSPHRASE) {
		ret = cli_refuse(iacakey, r, "cannot decrypt the IACA key: "
		    "passphrase missing or wrong (--iaca-pass-fd)");
		goto out;
	}
	if (r != MINDL_OK) {
		ret = cli_fail(iacakey, r);
		goto out;
	}
	if ((r = mindl_key_generate(&key)) != MINDL_OK) {
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
	if ((r = mindl_x509_make_ds(ikey, iaca, iacalen, key, &p, &der,
	    &derlen)) != MINDL_OK) {
		if (r == MINDL_ERR_INVALID_ARG)
			ret = cli_refuse("ds", r, "refused: the DS validity "
			    "must end before the IACA's (a smaller --days), "
			    "and --name be 1 to 64 characters without "
			    "controls");
		else if (r == MINDL_ERR_KEY)
			ret = cli_refuse(iacakey, r, "not the private key of "
			    "the IACA certificate");
		else
			ret = cli_fail("ds", r);
		goto out;
	}
	if ((r = self_check(iaca, iacalen, der, derlen, p.not_before)) !=
	    MINDL_OK) {
		ret = cli_refuse(iacacert, r, "the new DS certificate would "
		    "not verify against this IACA (run with -d for details)");
		goto out;
	}
	ret = keys_write_pair(json, key, pass, outkey, outcert, der, derlen,
	    p.not_before, p.not_before + (int64_t)days * MINDL_DAY);
out:
	cli_pass_free(&ipass);
	cli_pass_free(&pass);
	mindl_key_free(&ikey);
	mindl_key_free(&key);
	free(iaca);
	free(der);
	return ret;
}
