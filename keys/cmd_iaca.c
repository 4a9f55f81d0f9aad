/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-keys iaca: a new IACA root key and its self-signed certificate
 * (ISO/IEC 18013-5 Annex B, Tables B.1 and B.2).
 */
#include <ctype.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "keys.h"

#define IACA_DEFAULT_DAYS	3650
#define IACA_MAX_DAYS		7305	/* as core/src/x509.c caps it */

/*
 * Annex B wants an issuerAltName naming the issuing authority.  Without
 * --issuer-alt the certificate gets a placeholder under the reserved
 * .invalid domain (RFC 6761), "mailto:iaca@<state>.dmv.invalid", which
 * can never reach anyone and is obviously a placeholder, and a warning.
 */
static int
default_issuer_alt(const char *state, char *buf, size_t len)
{
	const char *s = state;
	size_t i, n;

	if (strlen(s) > 3 && s[2] == '-')
		s += 3;		/* "US-IL" */
	n = strlen(s);
	if (n < 1 || n > 3)
		return -1;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return -1;
	if ((size_t)snprintf(buf, len, "mailto:iaca@%s.dmv.invalid", s) >= len)
		return -1;
	for (i = 0; buf[i] != '\0'; i++)
		buf[i] = (char)tolower((unsigned char)buf[i]);
	return 0;
}

int
cmd_iaca(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "country", required_argument, NULL, OPT_COUNTRY },
		{ "days", required_argument, NULL, OPT_DAYS },
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "issuer-alt", required_argument, NULL, OPT_ISSUER_ALT },
		{ "json", no_argument, NULL, 'j' },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "out-cert", required_argument, NULL, OPT_OUT_CERT },
		{ "out-key", required_argument, NULL, OPT_OUT_KEY },
		{ "pass-fd", required_argument, NULL, OPT_PASS_FD },
		{ "state", required_argument, NULL, OPT_STATE },
		{ NULL, 0, NULL, 0 }
	};
	struct mindl_iaca_params p;
	struct mindl_key *key = NULL;
	const char *country = NULL, *state = NULL, *name = NULL;
	const char *outkey = NULL, *outcert = NULL, *ian = NULL;
	const char *days_s = NULL, *passfd_s = NULL;
	char ianbuf[64], *pass = NULL;
	uint8_t *der = NULL;
	size_t derlen = 0;
	int c, fd, r, ret = 3, json = 0, days = IACA_DEFAULT_DAYS;

	while ((c = getopt_long(argc, argv, "dhj", opts, NULL)) != -1) {
		switch (c) {
		case OPT_COUNTRY:
			country = optarg;
			break;
		case OPT_DAYS:
			days_s = optarg;
			break;
		case OPT_ISSUER_ALT:
			ian = optarg;
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
		case OPT_STATE:
			state = optarg;
			break;
		case 'd':
			mindl_set_debug(1);
			break;
		case 'h':
			return cli_usage("iaca", 1);
		case 'j':
			json = 1;
			cli_set_json(CLI_JSON_CODE);
			break;
		default:
			return cli_bad_option("iaca", argv);
		}
	}
	if (optind != argc || country == NULL || state == NULL ||
	    name == NULL || outkey == NULL || outcert == NULL)
		return cli_usage("iaca", 0);
	if (strcmp(outkey, outcert) == 0) {
		cli_warn("iaca", "--out-key and --out-cert are the same file");
		return cli_usage("iaca", 0);
	}
	if (days_s != NULL && keys_days_arg(days_s, IACA_MAX_DAYS,
	    &days) != MINDL_OK)
		return cli_refuse("--days", MINDL_ERR_INVALID_ARG,
		    "must be 1 to 7305 days");
	/* The descriptor is checked now, read when nothing is in the way. */
	if (passfd_s != NULL &&
	    (r = cli_fd_arg("--pass-fd", passfd_s, &fd)) != 0)
		return r;
	/* Before any key exists: refuse to replace anything. */
	if ((r = keys_check_absent(outcert)) != MINDL_OK)
		return cli_fail(outcert, r);
	if ((r = keys_check_absent(outkey)) != MINDL_OK)
		return cli_fail(outkey, r);
	if (ian == NULL) {
		if (default_issuer_alt(state, ianbuf, sizeof(ianbuf)) != 0)
			return cli_refuse("--state", MINDL_ERR_INVALID_ARG,
			    "must be 1 to 3 letters or digits (IL), or "
			    "ISO 3166-2 (US-IL)");
		ian = ianbuf;
		cli_warn("iaca", "warning: no --issuer-alt; using the "
		    "placeholder %s", ian);
	}
	if ((r = cli_pass_fd("--pass-fd", passfd_s, &pass)) != 0) {
		ret = r;
		goto out;
	}
	if (pass == NULL)
		cli_warn("iaca", "warning: the IACA private key will not be "
		    "encrypted (no --pass-fd)");

	if ((r = mindl_key_generate(&key)) != MINDL_OK) {
		ret = cli_fail("generate", r);
		goto out;
	}
	memset(&p, 0, sizeof(p));
	p.country = country;
	p.state = state;
	p.name = name;
	p.issuer_alt = ian;
	/*
	 * Validity starts at 00:00:00Z of the day: certificates carry no
	 * finer time than the day, and MSOs signed at the start of the day
	 * (the issuer's coarse timestamps) fall inside the DS validity.
	 */
	p.not_before = mindl_now() / MINDL_DAY * MINDL_DAY;
	p.days = days;
	if ((r = mindl_x509_make_iaca(key, &p, &der, &derlen)) != MINDL_OK) {
		if (r == MINDL_ERR_INVALID_ARG)
			ret = cli_refuse("iaca", r, "refused: "
			    "--country must be ISO 3166-1 alpha-2 in upper "
			    "case (US), --state 1 to 3 upper-case letters or "
			    "digits (IL or US-IL), --name 1 to 64 characters "
			    "without controls, --issuer-alt a URI "
			    "(https://...) or an e-mail address (mailto:...)");
		else
			ret = cli_fail("iaca", r);
		goto out;
	}
	ret = keys_write_pair(json, key, pass, outkey, outcert, der, derlen,
	    p.not_before, p.not_before + (int64_t)days * MINDL_DAY);
out:
	cli_pass_free(&pass);
	mindl_key_free(&key);
	free(der);
	return ret;
}
