/*
 * mindl-holder: the reference wallet.  keygen makes the holder's device
 * key; present answers a verifier's request file with only what the
 * request's profile allows, bound to the session by the device key.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <jansson.h>

#include "mindl/mindl.h"

#define MAX_FILE	(4u * 1024 * 1024)

static const char *progname = "mindl-holder";

static void
warnx_(const char *ctx, const char *msg)
{
	fprintf(stderr, "%s: %s: %s\n", progname, ctx, msg);
}

static int json_out;	/* --json: one object on stdout, also on failure */

/* The failure as the one --json object: {"ok": false, "error", "message"}. */
static void
json_failure(int err, const char *ctx, const char *msg)
{
	json_t *o;
	char *s;

	if (!json_out)
		return;
	o = json_pack("{s:b, s:s, s:s, s:s}", "ok", 0, "error",
	    mindl_errname(err), "context", ctx, "message", msg);
	if (o != NULL && (s = json_dumps(o, JSON_COMPACT)) != NULL) {
		puts(s);
		free(s);
	}
	json_decref(o);
}

static int
fail(const char *ctx, int err)
{
	fprintf(stderr, "%s: %s: %s (%s)\n", progname, ctx, mindl_strerr(err),
	    mindl_errname(err));
	json_failure(err, ctx, mindl_strerr(err));
	return mindl_err_exitcode(err);
}

/* Keys are handled here: no core dumps, no ptrace by other users. */
static void
protect_process(void)
{
	struct rlimit rl = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

static int
get_pass(const char *fdstr, char **pass)
{
	char *end;
	long fd;

	*pass = NULL;
	if (fdstr == NULL)
		return MINDL_OK;
	fd = strtol(fdstr, &end, 10);
	if (*fdstr == '\0' || *end != '\0' || fd < 0 || fd > 1024)
		return MINDL_ERR_INVALID_ARG;
	return mindl_pass_from_fd((int)fd, pass);
}

static void
free_pass(char **pass)
{
	if (*pass != NULL)
		mindl_freezero(*pass, strlen(*pass));
	*pass = NULL;
}

static int
usage_keygen(void)
{
	fprintf(stderr, "usage: %s keygen --out-key K --out-pub P "
	    "[--pass-fd N] [-d]\n", progname);
	return 2;
}

static int
cmd_keygen(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "out-key", required_argument, NULL, 'k' },
		{ "out-pub", required_argument, NULL, 'p' },
		{ "pass-fd", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 }
	};
	const char *outkey = NULL, *outpub = NULL, *passfd = NULL;
	struct mindl_key *key = NULL;
	char *pass = NULL;
	int c, r;

	while ((c = getopt_long(argc, argv, "dh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			mindl_set_debug(1);
			break;
		case 'k':
			outkey = optarg;
			break;
		case 'p':
			outpub = optarg;
			break;
		case 'P':
			passfd = optarg;
			break;
		case 'h':
			usage_keygen();
			return 0;
		default:
			return usage_keygen();
		}
	}
	if (optind != argc || outkey == NULL || outpub == NULL)
		return usage_keygen();
	if ((r = get_pass(passfd, &pass)) != MINDL_OK)
		return fail("--pass-fd", r);
	if (pass == NULL)
		fprintf(stderr, "%s: keygen: warning: the device key will not be "
		    "encrypted (no --pass-fd)\n", progname);
	if ((r = mindl_key_generate(&key)) != MINDL_OK) {
		free_pass(&pass);
		return fail("keygen", r);
	}
	if ((r = mindl_key_write_private_pem(outkey, key, pass)) != MINDL_OK) {
		r = fail(outkey, r);
		goto out;
	}
	if ((r = mindl_key_write_public_pem(outpub, key)) != MINDL_OK) {
		/* Leave nothing half made: the pair goes together. */
		(void)remove(outkey);
		r = fail(outpub, r);
		goto out;
	}
	r = 0;
 out:
	free_pass(&pass);
	mindl_key_free(&key);
	return r;
}

static int
usage_present(void)
{
	fprintf(stderr, "usage: %s present --credential CRED --device-key K "
	    "--request REQ -o RESP\n"
	    "       [--auth mac|signature] [--pass-fd N] [--json] [-f] [-q] "
	    "[-d]\n", progname);
	return 2;
}

/* Tells the holder what the verifier asked for and what goes out. */
static void
consent_report(const struct mindl_request *req,
    const struct mindl_profile *prof, const struct mindl_present_report *rep,
    int json)
{
	const char *ns, *id;
	size_t i;
	int retain;

	if (json) {
		printf("{\"ok\":true,\"profile\":\"%s\",\"released\":%zu,"
		    "\"withheld\":%zu,\"missing\":%zu}\n", mindl_profile_id(prof),
		    rep->released, rep->withheld_profile, rep->missing);
		return;
	}
	fprintf(stderr, "%s: request from a \"%s\" verifier (%s)\n", progname,
	    mindl_profile_id(prof), mindl_profile_title(prof));
	for (i = 0; i < mindl_request_count(req); i++) {
		mindl_request_element(req, i, &ns, &id, &retain);
		fprintf(stderr, "  %-8s %s%s\n",
		    mindl_profile_allows(prof, ns, id) ? "share" : "WITHHELD",
		    id, retain ? " (verifier intends to keep it)" : "");
	}
	fprintf(stderr, "%s: released %zu, withheld %zu (outside the profile), "
	    "%zu not in the credential\n", progname, rep->released,
	    rep->withheld_profile, rep->missing);
}

static int
cmd_present(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "auth", required_argument, NULL, 'a' },
		{ "credential", required_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'd' },
		{ "device-key", required_argument, NULL, 'k' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "pass-fd", required_argument, NULL, 'P' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "request", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char *credp = NULL, *keyp = NULL, *reqp = NULL, *outp = NULL;
	const char *passfd = NULL;
	enum mindl_devauth auth = MINDL_DEVAUTH_MAC;
	struct mindl_schema *schema = NULL;
	struct mindl_request *req = NULL;
	struct mindl_key *key = NULL;
	struct mindl_present_report rep;
	const struct mindl_profile *prof;
	uint8_t *cred = NULL, *rbuf = NULL, *resp = NULL;
	size_t credlen = 0, rlen = 0, resplen = 0;
	char *pass = NULL;
	int c, r, force = 0, json = 0, quiet = 0;

	while ((c = getopt_long(argc, argv, "dfhjo:q", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (strcmp(optarg, "mac") == 0)
				auth = MINDL_DEVAUTH_MAC;
			else if (strcmp(optarg, "signature") == 0)
				auth = MINDL_DEVAUTH_SIGNATURE;
			else
				return usage_present();
			break;
		case 'c':
			credp = optarg;
			break;
		case 'd':
			mindl_set_debug(1);
			break;
		case 'f':
			force = 1;
			break;
		case 'j':
			json = json_out = 1;
			break;
		case 'k':
			keyp = optarg;
			break;
		case 'o':
			outp = optarg;
			break;
		case 'P':
			passfd = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'r':
			reqp = optarg;
			break;
		case 'h':
			usage_present();
			return 0;
		default:
			return usage_present();
		}
	}
	if (optind != argc || credp == NULL || keyp == NULL || reqp == NULL ||
	    outp == NULL)
		return usage_present();
	if ((r = get_pass(passfd, &pass)) != MINDL_OK)
		return fail("--pass-fd", r);
	r = mindl_key_read_pem(keyp, pass, &key);
	free_pass(&pass);
	if (r != MINDL_OK)
		return fail(keyp, r);
	if (!mindl_key_is_private(key)) {
		r = fail(keyp, MINDL_ERR_KEY);
		goto out;
	}
	if ((r = mindl_file_read(credp, MAX_FILE, &cred, &credlen)) !=
	    MINDL_OK) {
		r = fail(credp, r);
		goto out;
	}
	if ((r = mindl_file_read(reqp, MAX_FILE, &rbuf, &rlen)) != MINDL_OK) {
		r = fail(reqp, r);
		goto out;
	}
	if ((r = mindl_request_parse(rbuf, rlen, &req)) != MINDL_OK) {
		r = fail(reqp, r);
		goto out;
	}
	if ((r = mindl_schema_builtin(&schema)) != MINDL_OK) {
		r = fail("schema", r);
		goto out;
	}
	if (mindl_request_profile(req) == NULL ||
	    (prof = mindl_schema_profile(schema,
	    mindl_request_profile(req))) == NULL) {
		warnx_(reqp, "the request names no known verifier profile; "
		    "nothing released");
		json_failure(MINDL_ERR_PROFILE, reqp, "the request names no "
		    "known verifier profile; nothing released");
		r = 1;
		goto out;
	}
	if ((r = mindl_present(cred, credlen, key, req, schema, auth, &resp,
	    &resplen, &rep)) != MINDL_OK) {
		r = fail("present", r);
		goto out;
	}
	/* The response holds personal data: readable by the holder only. */
	if ((r = mindl_file_write(outp, resp, resplen, MINDL_FILE_PRIVATE |
	    (force ? 0 : MINDL_FILE_EXCL))) != MINDL_OK) {
		r = fail(outp, r);
		goto out;
	}
	if (!quiet || json)
		consent_report(req, prof, &rep, json && strcmp(outp, "-") != 0);
	r = 0;
 out:
	mindl_schema_free(&schema);
	mindl_request_free(&req);
	mindl_key_free(&key);
	if (cred != NULL)
		mindl_freezero(cred, credlen);
	free(rbuf);
	free(resp);
	return r;
}

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;
} cmds[] = {
	{ "keygen", cmd_keygen, "keygen --out-key K --out-pub P [--pass-fd N]" },
	{ "present", cmd_present, "present --credential CRED --device-key K "
	    "--request REQ -o RESP [--auth mac|signature]" },
};

static int
usage(void)
{
	size_t i;

	fprintf(stderr, "usage:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(stderr, "  %s %s\n", progname, cmds[i].usage);
	return 2;
}

int
main(int argc, char **argv)
{
	size_t i;

	protect_process();
	if (argc < 2)
		return usage();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].fn(argc - 1, argv + 1);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage();
		return 0;
	}
	return usage();
}
