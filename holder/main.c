/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-holder: the reference wallet.  keygen makes the holder's device
 * key; present answers a verifier's request file with only what the
 * request's profile allows, bound to the session by the device key.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"
#include "holder.h"

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
			return cli_usage("keygen", 1);
		default:
			return cli_bad_option("keygen", argv);
		}
	}
	if (optind != argc || outkey == NULL || outpub == NULL)
		return cli_usage("keygen", 0);
	if ((r = cli_pass_fd("--pass-fd", passfd, &pass)) != 0)
		return r;
	if (pass == NULL)
		cli_warn("keygen", "warning: the device key will not be "
		    "encrypted (no --pass-fd)");
	if ((r = mindl_key_generate(&key)) != MINDL_OK) {
		cli_pass_free(&pass);
		return cli_fail("keygen", r);
	}
	if ((r = mindl_key_write_private_pem(outkey, key, pass)) != MINDL_OK) {
		r = cli_fail(outkey, r);
		goto out;
	}
	if ((r = mindl_key_write_public_pem(outpub, key)) != MINDL_OK) {
		/* Leave nothing half made: the pair goes together. */
		(void)remove(outkey);
		r = cli_fail(outpub, r);
		goto out;
	}
	r = 0;
 out:
	cli_pass_free(&pass);
	mindl_key_free(&key);
	return r;
}

/* Tells the holder what the verifier asked for and what goes out. */
static void
consent_report(const struct mindl_request *req,
    const struct mindl_profile *prof, const struct mindl_present_report *rep,
    int json)
{
	const char *ns, *id;
	struct jw w;
	size_t i;
	int retain;

	if (json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "profile");
		jw_str(&w, mindl_profile_id(prof));
		jw_key(&w, "released");
		jw_uint(&w, rep->released);
		jw_key(&w, "withheld");
		jw_uint(&w, rep->withheld_profile);
		jw_key(&w, "missing");
		jw_uint(&w, rep->missing);
		jw_end_obj(&w);
		jw_done(&w);
		return;
	}
	cli_warn(NULL, "request from a \"%s\" verifier (%s)",
	    mindl_profile_id(prof), mindl_profile_title(prof));
	for (i = 0; i < mindl_request_count(req); i++) {
		mindl_request_element(req, i, &ns, &id, &retain);
		/* The verifier wrote these names: escaped, never raw. */
		fprintf(stderr, "  %-8s ",
		    rep->decision[i] == MINDL_RELEASED ? "share" :
		    rep->decision[i] == MINDL_MISSING ? "absent" : "WITHHELD");
		cli_print_safe(stderr, id);
		fprintf(stderr, "%s\n",
		    retain ? " (verifier intends to keep it)" : "");
	}
	cli_warn(NULL, "released %zu, withheld %zu (outside the profile), "
	    "%zu not in the credential", rep->released, rep->withheld_profile,
	    rep->missing);
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
	struct mindl_present_params pp;
	const struct mindl_profile *prof;
	struct mindl_buf resp;
	uint8_t *cred = NULL, *rbuf = NULL;
	size_t credlen = 0, rlen = 0;
	char *pass = NULL;
	int c, r, force = 0, json = 0, quiet = 0;

	mindl_buf_init(&resp, MINDL_MAX_INPUT);
	while ((c = getopt_long(argc, argv, "dfhjo:q", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (strcmp(optarg, "mac") == 0)
				auth = MINDL_DEVAUTH_MAC;
			else if (strcmp(optarg, "signature") == 0)
				auth = MINDL_DEVAUTH_SIGNATURE;
			else
				return cli_usage("present", 0);
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
			json = 1;
			cli_set_json(CLI_JSON_CONTEXT);
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
			return cli_usage("present", 1);
		default:
			return cli_bad_option("present", argv);
		}
	}
	if (optind != argc || credp == NULL || keyp == NULL || reqp == NULL ||
	    outp == NULL)
		return cli_usage("present", 0);
	if ((r = cli_pass_fd("--pass-fd", passfd, &pass)) != 0)
		return r;
	r = mindl_key_read_pem(keyp, pass, &key);
	cli_pass_free(&pass);
	if (r != MINDL_OK)
		return cli_fail(keyp, r);
	if (!mindl_key_is_private(key)) {
		r = cli_failf(keyp, MINDL_ERR_KEY, "this is a public key: give "
		    "the device's private key (the --out-key file of "
		    "mindl-holder keygen)");
		goto out;
	}
	if ((r = mindl_file_read(credp, MAX_FILE, &cred, &credlen)) !=
	    MINDL_OK) {
		r = cli_fail(credp, r);
		goto out;
	}
	if ((r = mindl_file_read(reqp, MAX_FILE, &rbuf, &rlen)) != MINDL_OK) {
		r = cli_fail(reqp, r);
		goto out;
	}
	if ((r = mindl_request_parse(rbuf, rlen, &req)) != MINDL_OK) {
		r = cli_wrong_kind(reqp, rbuf, rlen, "request", "give the "
		    "verifier's request file") ? 1 : cli_fail(reqp, r);
		goto out;
	}
	if (cli_wrong_kind(credp, cred, credlen, "credential", "give the "
	    "credential file the desk issued (mindl-issuer issue -o)")) {
		r = 1;
		goto out;
	}
	if ((r = mindl_schema_builtin(&schema)) != MINDL_OK) {
		r = cli_fail("schema", r);
		goto out;
	}
	if (mindl_request_profile(req) == NULL ||
	    (prof = mindl_schema_profile(schema,
	    mindl_request_profile(req))) == NULL) {
		/* Refused input (1), though MINDL_ERR_PROFILE would say 2. */
		(void)cli_refuse(reqp, MINDL_ERR_PROFILE, "the request names "
		    "no known verifier profile; nothing released");
		r = 1;
		goto out;
	}
	memset(&pp, 0, sizeof(pp));
	pp.cred = cred;
	pp.credlen = credlen;
	pp.req = req;
	pp.schema = schema;
	pp.auth = auth;
	pp.device_key = key;
	if ((r = mindl_present(&pp, &resp, &rep)) != MINDL_OK) {
		if (r == MINDL_ERR_NOT_DEVICE_KEY)
			r = cli_failf(keyp, r, "this is not the key %s was "
			    "issued to: give the device key made for it (the "
			    "--out-key of the keygen whose .pub the desk "
			    "used); nothing written", credp);
		else
			r = cli_fail("present", r);
		goto out;
	}
	/* The response holds personal data: readable by the holder only. */
	if ((r = mindl_file_write(outp, mindl_buf_ptr(&resp),
	    mindl_buf_len(&resp), MINDL_FILE_PRIVATE |
	    (force ? 0 : MINDL_FILE_EXCL))) != MINDL_OK) {
		r = cli_fail(outp, r);
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
	mindl_buf_clear(&resp);
	return r;
}

static const struct cli_verb verbs[] = {
	{ "keygen", cmd_keygen,
	    "keygen [-d] --out-key K --out-pub P [--pass-fd N]" },
	{ "present", cmd_present,
	    "present [-dfjq] --credential CRED --device-key K\n"
	    "\t\t--request REQ -o RESP [--auth mac|signature] [--pass-fd N]" },
	{ "show", cmd_show,
	    "show [-dj] --credential CRED [--device-key K [--pass-fd N]]\n"
	    "\t\t[--at TIME]" },
};

int
main(int argc, char **argv)
{
	cli_init("mindl-holder");
	if (cli_protect() == -1)
		return 3;
	return cli_dispatch(argc, argv, verbs,
	    sizeof(verbs) / sizeof(verbs[0]));
}
