/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the tools tell a person when a security key fails: one message
 * per cause, naming the key and what to do (cli.h, cli_fido_fail).
 */
#include "mindl/err.h"
#include "cli.h"

int
cli_fido_fail(const char *opt, const char *path, int r, const char *outcome)
{
	const char *who = path != NULL ? path : opt;

	switch (r) {
	case MINDL_ERR_FIDO:
		return cli_failf(who, r, "no security key answered: plug in "
		    "the key (or name it with %s); %s", opt, outcome);
	case MINDL_ERR_FIDO_PRESENCE:
		return cli_failf(who, r, "the key was not touched, or the "
		    "touch was refused; %s", outcome);
	case MINDL_ERR_PASSPHRASE:
		return cli_failf(who, r, "the key refused the PIN, or its PIN "
		    "is blocked; %s", outcome);
	case MINDL_ERR_NOT_DEVICE_KEY:
		return cli_failf(who, r, "this key does not hold the "
		    "credential's key: plug in the security key the desk "
		    "bound it to; %s", outcome);
	case MINDL_ERR_FIDO_AUTHDATA:
		return cli_failf(who, r, "the key answered with malformed "
		    "data, or as a synced passkey (which binds no device); %s",
		    outcome);
	case MINDL_ERR_KEY:
		return cli_failf(who, r, "the key made no P-256 (ES256) "
		    "credential; %s", outcome);
	default:
		return cli_failf(who, r, "%s; %s", mindl_strerr(r), outcome);
	}
}
