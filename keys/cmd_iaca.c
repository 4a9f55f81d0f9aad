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
	char ianbuf[64], keyid[17], *pass = NULL;
	uint8_t *der = NULL;
	size_t derlen = 0;
	int c, r, ret = 3, json = 0, days = IACA_DEFAULT_DAYS, passfd = -1;

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
			(void)keys_usage("iaca");
			return 0;
		case 'j':
			json = 1;
			break;
		default:
			fprintf(stderr, "%s: iaca: bad option %s\n", PROGNAME,
			    argv[optind - 1]);
			return keys_usage("iaca");
		}
	}
	if (optind != argc || country == NULL || state == NULL ||
	    name == NULL || outkey == NULL || outcert == NULL)
		return keys_usage("iaca");
	if (strcmp(outkey, outcert) == 0) {
		fprintf(stderr, "%s: iaca: --out-key and --out-cert are the "
		    "same file\n", PROGNAME);
		return keys_usage("iaca");
	}
	if (days_s != NULL && keys_days_arg(days_s, IACA_MAX_DAYS,
	    &days) != MINDL_OK)
		return keys_refuse(json, "--days", MINDL_ERR_INVALID_ARG,
		    "must be 1 to 7305 days");
	if (passfd_s != NULL && keys_fd_arg(passfd_s, &passfd) != MINDL_OK)
		return keys_refuse(json, "--pass-fd", MINDL_ERR_INVALID_ARG,
		    "not an open file descriptor");
	/* Before any key exists: refuse to replace anything. */
	if ((r = keys_check_absent(outcert)) != MINDL_OK)
		return keys_fail(json, outcert, r);
	if ((r = keys_check_absent(outkey)) != MINDL_OK)
		return keys_fail(json, outkey, r);
	if (ian == NULL) {
		if (default_issuer_alt(state, ianbuf, sizeof(ianbuf)) != 0)
			return keys_refuse(json, "--state",
			    MINDL_ERR_INVALID_ARG, "must be 1 to 3 letters "
			    "or digits (IL), or ISO 3166-2 (US-IL)");
		ian = ianbuf;
		fprintf(stderr, "%s: iaca: warning: no --issuer-alt; using "
		    "the placeholder %s\n", PROGNAME, ian);
	}
	if (passfd != -1 && (r = keys_read_pass(passfd, &pass)) != MINDL_OK) {
		ret = keys_fail(json, "--pass-fd", r);
		goto out;
	}
	if (pass == NULL)
		fprintf(stderr, "%s: iaca: warning: the IACA private key "
		    "will not be encrypted (no --pass-fd)\n", PROGNAME);

	if ((r = mindl_key_generate(&key)) != MINDL_OK) {
		ret = keys_fail(json, "generate", r);
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
			ret = keys_refuse(json, "iaca", r, "refused: "
			    "--country must be ISO 3166-1 alpha-2 in upper "
			    "case (US), --state 1 to 3 upper-case letters or "
			    "digits (IL or US-IL), --name 1 to 64 characters "
			    "without controls, --issuer-alt a URI "
			    "(https://...) or an e-mail address (mailto:...)");
		else
			ret = keys_fail(json, "iaca", r);
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
	keys_free_pass(&pass);
	mindl_key_free(&key);
	free(der);
	return ret;
}
