/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-holder engage, and what present does with a signed request:
 * the holder's DeviceEngagement that a verifier signs over, reader
 * authentication against the holder's reader trust, and the consent
 * prompt on the terminal.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"
#include "holder.h"

const struct cli_opt engage_opts[O_EN_N] = {
	[O_EN_OUT] = { "out", 'o', CLI_ARG | CLI_REQ, "DE",
	    "write the engagement here, for the verifier" },
	[O_EN_FORCE] = { "force", 'f', 0, NULL,
	    "replace an existing file" },
};

int
cmd_engage(const struct cli_args *a)
{
	const char *outp = a->val[O_EN_OUT];
	uint8_t *de = NULL;
	size_t delen = 0;
	struct jw w;
	int r;

	if (strcmp(outp, "-") == 0)
		return cli_usage_error("engage", "-o: the holder presents "
		    "with this file later: name a file");
	if ((r = mindl_engagement_create(&de, &delen)) != MINDL_OK)
		return cli_fail("engage", r);
	/* Public: a key used for nothing else, no personal data. */
	if ((r = mindl_file_write(outp, de, delen, cli_has(a, O_EN_FORCE) ?
	    0 : MINDL_FILE_EXCL)) != MINDL_OK) {
		free(de);
		return r == MINDL_ERR_EXISTS ? cli_failf(outp, r, "exists: "
		    "refusing to overwrite (use --force)") : cli_fail(outp, r);
	}
	free(de);
	if (a->json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "engagement");
		jw_str(&w, outp);
		jw_end_obj(&w);
		return jw_done(&w) == MINDL_OK ? 0 : 3;
	}
	printf("engagement: ");
	cli_print_safe(stdout, outp);
	printf(" (give it to the verifier; present with --engagement)\n");
	return fflush(stdout) == 0 ? 0 : 3;
}

/* The reader's name escaped, for a message (outside text). */
static void
safe_name(const char *name, char *buf, size_t len)
{
	FILE *f;
	char *p = NULL;
	size_t n = 0;

	buf[0] = '\0';
	if ((f = open_memstream(&p, &n)) == NULL)
		return;
	cli_print_safe(f, name);
	if (fclose(f) == 0 && p != NULL)
		(void)snprintf(buf, len, "%s", p);
	free(p);
}

int
reader_check(const char *reqp, const struct mindl_request *req,
    const struct mindl_profile *prof, const char *trustp, const char *dep,
    int refuse_unsigned, uint8_t **de, size_t *delen,
    struct mindl_reader_info *ri, int *signed_ok)
{
	struct mindl_trust *t = NULL;
	const uint8_t *erk;
	uint8_t *st = NULL;
	size_t erklen, stlen = 0;
	char name[1024];
	int r, ret = 1;

	*signed_ok = 0;
	memset(ri, 0, sizeof(*ri));
	if (dep != NULL) {
		if ((r = mindl_file_read(dep, 1024, de, delen)) != MINDL_OK)
			return cli_fail(dep, r);
		if ((r = mindl_engagement_check(*de, *delen)) != MINDL_OK)
			return cli_failf(dep, r, "not an engagement of "
			    "mindl-holder engage; nothing released");
	}
	if (mindl_request_reader_auth(req, 0) != NULL) {
		if (trustp == NULL) {
			cli_warn(reqp, "warning: the request is signed, but "
			    "no --reader-trust was given to check it: "
			    "treated as unsigned");
		} else if (dep == NULL) {
			return cli_failf(reqp, MINDL_ERR_READER_AUTH, "signed "
			    "request, but no --engagement: a signature covers "
			    "the engagement this holder gave the verifier "
			    "(mindl-holder engage); nothing released");
		} else {
			if ((r = mindl_trust_new(&t)) != MINDL_OK ||
			    (r = mindl_trust_add_pem_file(t, trustp)) !=
			    MINDL_OK) {
				ret = cli_fail(trustp, r);
				goto out;
			}
			/* This holder's own session: its engagement. */
			mindl_request_erk(req, &erk, &erklen);
			if ((r = mindl_transcript_bytes(*de, *delen, erk,
			    erklen, &st, &stlen)) != MINDL_OK) {
				ret = cli_fail(reqp, r);
				goto out;
			}
			r = mindl_request_reader_auth_verify(req, 0, t, st,
			    stlen, mindl_now(), ri);
			if (r != MINDL_OK) {
				ret = cli_failf(reqp, r, "%s; nothing released",
				    r == MINDL_ERR_READER_AUTH ? "the reader's "
				    "signature does not cover this session (not "
				    "the engagement you gave, or altered)" :
				    r == MINDL_ERR_UNTRUSTED ? "the reader's "
				    "certificate is not from a reader CA in "
				    "--reader-trust" :
				    r == MINDL_ERR_CERT_EXPIRED ? "the reader's "
				    "certificate is expired or not yet valid" :
				    r == MINDL_ERR_CERT_PROFILE ? "not a reader "
				    "authentication certificate (key usage or "
				    "EKU 1.0.18013.5.1.6)" :
				    "the request's reader authentication is "
				    "unusable");
				goto out;
			}
			*signed_ok = 1;
		}
	}
	r = mindl_reader_authorise(*signed_ok ? ri : NULL, req, prof,
	    refuse_unsigned);
	if (r == MINDL_ERR_READER_NOT_AUTHORISED) {
		safe_name(ri->name, name, sizeof(name));
		ret = cli_failf(reqp, r, "the reader \"%s\" is certified for "
		    "other profiles, not %s; nothing released", name,
		    mindl_profile_id(prof));
		goto out;
	}
	if (r == MINDL_ERR_READER_REQUIRED) {
		ret = cli_failf(reqp, r, "%s; nothing released",
		    refuse_unsigned ? "unsigned requests are refused "
		    "(--signed-only)" : "an unsigned request may ask only "
		    "for age-18 or age-21; other profiles need a signed "
		    "request from a certified reader");
		goto out;
	}
	if (r == MINDL_ERR_RETAIN_REFUSED) {
		ret = cli_failf(reqp, r, "the verifier says it will keep "
		    "an element (such as the portrait) that profile %s "
		    "does not let it keep; nothing released",
		    mindl_profile_id(prof));
		goto out;
	}
	if (r != MINDL_OK) {
		ret = cli_fail(reqp, r);
		goto out;
	}
	ret = 0;
 out:
	mindl_trust_free(&t);
	free(st);
	return ret;
}

/* Who asks, for what, and what goes out, on f. */
static void
show_request(FILE *f, const struct mindl_request *req,
    const struct mindl_profile *prof, const struct mindl_reader_info *ri,
    int signed_ok, const struct mindl_present_report *rep)
{
	const char *ns, *id;
	size_t i;
	int retain;

	if (signed_ok) {
		fprintf(f, "Verifier: \"");
		/* The certificate's CN: outside text, escaped. */
		cli_print_safe(f, ri->name);
		fprintf(f, "\" (certified reader)\n");
	} else
		fprintf(f, "Verifier: unknown (unsigned request)\n");
	fprintf(f, "Asks as: %s (%s)\n", mindl_profile_id(prof),
	    mindl_profile_title(prof));
	for (i = 0; i < mindl_request_count(req); i++) {
		mindl_request_element(req, i, &ns, &id, &retain);
		fprintf(f, "  %-8s ", rep->decision[i] == MINDL_RELEASED ?
		    "share" : rep->decision[i] == MINDL_MISSING ? "absent" :
		    "WITHHELD");
		cli_print_safe(f, id);
		fprintf(f, "%s%s\n", retain ? " (the verifier intends to "
		    "keep it)" : " (not kept)",
		    rep->decision[i] == MINDL_WITHHELD_PROFILE ?
		    ": outside the profile" : "");
	}
}

int
consent_ask(const struct mindl_request *req, const struct mindl_profile *prof,
    const struct mindl_reader_info *ri, int signed_ok,
    const struct mindl_present_report *rep)
{
	char line[16];
	FILE *tty;
	int fd;

	/* The terminal, never stdin: a request may arrive on stdin. */
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return cli_failf("consent", MINDL_ERR_DECLINED, "no terminal "
		    "to ask for consent (%s): run on a terminal, or give "
		    "--yes; nothing released", strerror(errno));
	if ((tty = fdopen(fd, "r+")) == NULL) {
		close(fd);
		return cli_fail("consent", MINDL_ERR_IO);
	}
	show_request(tty, req, prof, ri, signed_ok, rep);
	fprintf(tty, "Release the %zu shared element%s? [y/N] ",
	    rep->released, rep->released == 1 ? "" : "s");
	fflush(tty);
	/* Only a yes releases: EOF, an error or anything else is a no. */
	if (fgets(line, sizeof(line), tty) == NULL ||
	    (strcasecmp(line, "y\n") != 0 && strcasecmp(line, "yes\n") != 0)) {
		fprintf(tty, "\nDeclined: nothing released.\n");
		fclose(tty);
		return cli_failf("consent", MINDL_ERR_DECLINED, "declined; "
		    "nothing written");
	}
	fclose(tty);
	return 0;
}

void
reader_report(const struct mindl_reader_info *ri, int signed_ok)
{
	char name[1024];

	if (!signed_ok) {
		cli_warn(NULL, "verifier: unknown (unsigned request)");
		return;
	}
	safe_name(ri->name, name, sizeof(name));
	cli_warn(NULL, "verifier: \"%s\" (certified reader)", name);
}
