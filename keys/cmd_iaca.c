/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-keys iaca: a new IACA root key and its self-signed certificate
 * (ISO/IEC 18013-5 Annex B, Tables B.1 and B.2).
 */
#include <ctype.h>
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

const struct cli_opt iaca_opts[O_IACA_N] = {
	[O_IACA_COUNTRY] = { "country", 0, CLI_ARG | CLI_REQ, "CC",
	    "ISO 3166-1 alpha-2 country code, upper case (US)" },
	[O_IACA_STATE] = { "state", 0, CLI_ARG | CLI_REQ, "ST",
	    "jurisdiction: IL, or ISO 3166-2 US-IL" },
	[O_IACA_NAME] = { "name", 0, CLI_ARG | CLI_REQ, "NAME",
	    "the issuing authority's name (the certificate's CN)" },
	[O_IACA_OUT_KEY] = { "out-key", 0, CLI_ARG | CLI_REQ, "K",
	    "write the private key here (0600)" },
	[O_IACA_OUT_CERT] = { "out-cert", 0, CLI_ARG | CLI_REQ, "C",
	    "write the certificate here" },
	[O_IACA_DAYS] = { "days", 0, CLI_ARG, "N",
	    "validity in days, 1 to 7305 (default 3650)" },
	[O_IACA_ISSUER_ALT] = { "issuer-alt", 0, CLI_ARG, "URI",
	    "issuerAltName: https://... or mailto:..." },
	[O_IACA_PASS_FD] = { "pass-fd", 0, CLI_ARG, "N",
	    "encrypt the key under the passphrase on descriptor N" },
	[O_IACA_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "write the private key unencrypted" },
	[O_IACA_CURVE] = { "curve", 0, CLI_ARG, "CRV", KEYS_CURVE_HELP },
};

/*
 * The IACA, and the reader CA: the root under which the DMV certifies
 * verifiers (mindl-keys reader).  Both have the IACA profile of Annex B;
 * they are different keys so that the key that vouches for licences
 * never vouches for who may read them.
 */
static int
make_root(const struct cli_args *a, const char *verb)
{
	struct mindl_iaca_params p;
	struct mindl_key *key = NULL;
	const char *country = a->val[O_IACA_COUNTRY];
	const char *state = a->val[O_IACA_STATE], *name = a->val[O_IACA_NAME];
	const char *outkey = a->val[O_IACA_OUT_KEY];
	const char *outcert = a->val[O_IACA_OUT_CERT];
	const char *ian = a->val[O_IACA_ISSUER_ALT];
	const char *days_s = a->val[O_IACA_DAYS];
	const char *passfd_s = a->val[O_IACA_PASS_FD];
	char ianbuf[64], *pass = NULL;
	uint8_t *der = NULL;
	size_t derlen = 0;
	int fd, r, ret = 3, days = IACA_DEFAULT_DAYS, crv;

	if (strcmp(outkey, outcert) == 0)
		return cli_usage_error(verb, "--out-key and --out-cert are "
		    "the same file");
	if (days_s != NULL && keys_days_arg(days_s, IACA_MAX_DAYS,
	    &days) != MINDL_OK)
		return cli_refuse("--days", MINDL_ERR_INVALID_ARG,
		    "must be 1 to 7305 days");
	if (keys_curve_arg(a->val[O_IACA_CURVE], &crv) != MINDL_OK)
		return cli_refuse("--curve", MINDL_ERR_INVALID_ARG,
		    "must be P-256, P-384 or P-521");
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
		cli_warn(verb, "warning: no --issuer-alt; using the "
		    "placeholder %s", ian);
	}
	if ((r = cli_pass_new(outkey, "--pass-fd", passfd_s,
	    cli_has(a, O_IACA_NO_PASSPHRASE), &pass)) != 0) {
		ret = r;
		goto out;
	}

	if ((r = mindl_key_generate_curve(crv, &key)) != MINDL_OK) {
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
			ret = cli_refuse(verb, r, "refused: "
			    "--country must be ISO 3166-1 alpha-2 in upper "
			    "case (US), --state 1 to 3 upper-case letters or "
			    "digits (IL or US-IL), --name 1 to 64 characters "
			    "without controls, --issuer-alt a URI "
			    "(https://...) or an e-mail address (mailto:...)");
		else
			ret = cli_fail(verb, r);
		goto out;
	}
	ret = keys_write_pair(a->json, key, pass, outkey, outcert, der, derlen,
	    p.not_before, p.not_before + (int64_t)days * MINDL_DAY);
out:
	cli_pass_free(&pass);
	mindl_key_free(&key);
	free(der);
	return ret;
}

int
cmd_iaca(const struct cli_args *a)
{
	return make_root(a, "iaca");
}

int
cmd_reader_ca(const struct cli_args *a)
{
	return make_root(a, "reader-ca");
}
