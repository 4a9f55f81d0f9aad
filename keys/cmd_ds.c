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
	char keyid[17], *pass = NULL, *ipass = NULL;
	uint8_t *iaca = NULL, *der = NULL;
	size_t iacalen = 0, derlen = 0;
	int c, r, ret = 3, json = 0, days = DS_DEFAULT_DAYS;
	int passfd = -1, ipassfd = -1;

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
			(void)keys_usage("ds");
			return 0;
		case 'j':
			json = 1;
			break;
		default:
			fprintf(stderr, "%s: ds: bad option %s\n", PROGNAME,
			    argv[optind - 1]);
			return keys_usage("ds");
		}
	}
	if (optind != argc || iacakey == NULL || iacacert == NULL ||
	    outkey == NULL || outcert == NULL)
		return keys_usage("ds");
	if (strcmp(outkey, outcert) == 0) {
		fprintf(stderr, "%s: ds: --out-key and --out-cert are the "
		    "same file\n", PROGNAME);
		return keys_usage("ds");
	}
	/* Annex B: a DS certificate is valid for at most 457 days. */
	if (days_s != NULL && keys_days_arg(days_s, MINDL_DS_MAX_DAYS,
	    &days) != MINDL_OK)
		return keys_refuse(json, "--days", MINDL_ERR_INVALID_ARG,
		    "must be 1 to 457 days (ISO 18013-5 Annex B)");
	if (passfd_s != NULL && keys_fd_arg(passfd_s, &passfd) != MINDL_OK)
		return keys_refuse(json, "--pass-fd", MINDL_ERR_INVALID_ARG,
		    "not an open file descriptor");
	if (ipassfd_s != NULL && keys_fd_arg(ipassfd_s, &ipassfd) !=
	    MINDL_OK)
		return keys_refuse(json, "--iaca-pass-fd",
		    MINDL_ERR_INVALID_ARG, "not an open file descriptor");
	if ((r = keys_check_absent(outcert)) != MINDL_OK)
		return keys_fail(json, outcert, r);
	if ((r = keys_check_absent(outkey)) != MINDL_OK)
		return keys_fail(json, outkey, r);
	/* From one descriptor, the IACA's line comes first. */
	if (ipassfd != -1 &&
	    (r = keys_read_pass(ipassfd, &ipass)) != MINDL_OK) {
		ret = keys_fail(json, "--iaca-pass-fd", r);
		goto out;
	}
	if (passfd != -1 && (r = keys_read_pass(passfd, &pass)) != MINDL_OK) {
		ret = keys_fail(json, "--pass-fd", r);
		goto out;
	}

	if ((r = mindl_x509_read_pem(iacacert, &iaca, &iacalen)) !=
	    MINDL_OK) {
		ret = keys_fail(json, iacacert, r);
		goto out;
	}
	r = mindl_key_read_pem(iacakey, ipass, &ikey);
	keys_free_pass(&ipass);
	if (r == MINDL_ERR_PASSPHRASE) {
		ret = keys_refuse(json, iacakey, r, "cannot decrypt the IACA "
		    "key: passphrase missing or wrong (--iaca-pass-fd)");
		goto out;
	}
	if (r != MINDL_OK) {
		ret = keys_fail(json, iacakey, r);
		goto out;
	}
	if ((r = mindl_key_generate(&key)) != MINDL_OK) {
		ret = keys_fail(json, "generate", r);
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
			ret = keys_refuse(json, "ds", r, "refused: the DS "
			    "validity must end before the IACA's (a smaller "
			    "--days), and --name be 1 to 64 characters "
			    "without controls");
		else if (r == MINDL_ERR_KEY)
			ret = keys_refuse(json, iacakey, r, "not the private "
			    "key of the IACA certificate");
		else
			ret = keys_fail(json, "ds", r);
		goto out;
	}
	if ((r = self_check(iaca, iacalen, der, derlen, p.not_before)) !=
	    MINDL_OK) {
		ret = keys_refuse(json, iacacert, r, "the new DS certificate "
		    "would not verify against this IACA (run with -d for "
		    "details)");
		goto out;
	}
	if ((r = mindl_x509_key_id(der, derlen, keyid)) != MINDL_OK) {
		ret = keys_fail(json, "key id", r);
		goto out;
	}
	if ((ret = keys_write_pair(json, key, pass, outkey, der, derlen,
	    outcert)) != 0)
		goto out;
	keys_print_made(json, keyid, outcert, outkey, p.not_before,
	    p.not_before + (int64_t)days * MINDL_DAY);
	ret = 0;
out:
	keys_free_pass(&ipass);
	keys_free_pass(&pass);
	mindl_key_free(&ikey);
	mindl_key_free(&key);
	free(iaca);
	free(der);
	return ret;
}
