/*
 * mindl-issuer: the DMV issuance desk.  issue turns a DMV system record
 * (JSON) and a portrait into a signed ISO 18013-5 mDL bound to the
 * holder's device key.  A record with any unknown or forbidden field is
 * refused with the field named, and nothing is written.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <jansson.h>

#include "mindl/mindl.h"

#define MAX_PORTRAIT	(512u * 1024)
#define MAX_CERT	(64u * 1024)

static const char *progname = "mindl-issuer";

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

static void
protect_process(void)
{
	struct rlimit rl = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/*
 * Before anything is signed: the DS key must be the certificate's key,
 * and the certificate valid on the issuance day (the MSO is signed at its
 * start).  A verifier would refuse either mistake; refusing here keeps a
 * desk from handing out credentials that cannot verify.
 */
static int
check_signer(const struct mindl_key *key, const uint8_t *cert, size_t len,
    int64_t now, const char *certp)
{
	struct mindl_key *pub = NULL;
	uint8_t x1[MINDL_MAX_COORD], y1[MINDL_MAX_COORD];
	uint8_t x2[MINDL_MAX_COORD], y2[MINDL_MAX_COORD];
	size_t n1 = 0, n2 = 0;
	int64_t nb, na, day = now / MINDL_DAY * MINDL_DAY;
	int r;

	if ((r = mindl_x509_pubkey(cert, len, &pub)) != MINDL_OK ||
	    (r = mindl_key_xy(key, x1, y1, &n1)) != MINDL_OK ||
	    (r = mindl_key_xy(pub, x2, y2, &n2)) != MINDL_OK) {
		mindl_key_free(&pub);
		return fail(certp, r);
	}
	mindl_key_free(&pub);
	if (n1 != n2 || memcmp(x1, x2, n1) != 0 || memcmp(y1, y2, n1) != 0) {
		fprintf(stderr, "%s: %s: the DS key is not this certificate's "
		    "key\n", progname, certp);
		json_failure(MINDL_ERR_KEY, certp, "the DS key is not this "
		    "certificate's key");
		return 2;
	}
	if ((r = mindl_x509_validity(cert, len, &nb, &na)) != MINDL_OK)
		return fail(certp, r);
	if (day < nb || now > na) {
		fprintf(stderr, "%s: %s: the DS certificate is not valid on the "
		    "issuance day\n", progname, certp);
		json_failure(MINDL_ERR_CERT_EXPIRED, certp, "the DS certificate "
		    "is not valid on the issuance day");
		return 2;
	}
	return 0;
}

static int
usage_issue(void)
{
	fprintf(stderr, "usage: %s issue --record R.json --portrait P.jpg "
	    "--ds-key K --ds-cert C\n"
	    "       --device-pub P -o CRED [--ds-pass-fd N] [--at TIME] "
	    "[--json] [-f] [-d]\n", progname);
	return 2;
}

static int
cmd_issue(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 't' },
		{ "debug", no_argument, NULL, 'd' },
		{ "device-pub", required_argument, NULL, 'v' },
		{ "ds-cert", required_argument, NULL, 'C' },
		{ "ds-key", required_argument, NULL, 'K' },
		{ "ds-pass-fd", required_argument, NULL, 'P' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "portrait", required_argument, NULL, 'p' },
		{ "record", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	const char *recp = NULL, *portp = NULL, *dskeyp = NULL, *dscertp = NULL;
	const char *devp = NULL, *outp = NULL, *passfd = NULL, *at = NULL;
	struct mindl_schema *schema = NULL;
	struct mindl_record *rec = NULL;
	struct mindl_key *dskey = NULL, *dev = NULL;
	struct mindl_issue_params ip;
	uint8_t *json = NULL, *portrait = NULL, *cert = NULL, *cred = NULL;
	size_t jsonlen = 0, portlen = 0, certlen = 0, credlen = 0;
	char *pass = NULL, errbuf[512], *end;
	int64_t now;
	long fd;
	int c, r, force = 0, jsonout = 0;

	while ((c = getopt_long(argc, argv, "dfhjo:", opts, NULL)) != -1) {
		switch (c) {
		case 'C':
			dscertp = optarg;
			break;
		case 'K':
			dskeyp = optarg;
			break;
		case 'P':
			passfd = optarg;
			break;
		case 'd':
			mindl_set_debug(1);
			break;
		case 'f':
			force = 1;
			break;
		case 'j':
			jsonout = json_out = 1;
			break;
		case 'o':
			outp = optarg;
			break;
		case 'p':
			portp = optarg;
			break;
		case 'r':
			recp = optarg;
			break;
		case 't':
			at = optarg;
			break;
		case 'v':
			devp = optarg;
			break;
		case 'h':
			usage_issue();
			return 0;
		default:
			return usage_issue();
		}
	}
	if (optind != argc || recp == NULL || portp == NULL || dskeyp == NULL ||
	    dscertp == NULL || devp == NULL || outp == NULL)
		return usage_issue();
	now = mindl_now();
	if (at != NULL && mindl_time_parse(at, &now) != MINDL_OK) {
		fprintf(stderr, "%s: --at: not a time: %s\n", progname, at);
		return 2;
	}
	if (passfd != NULL) {
		fd = strtol(passfd, &end, 10);
		if (*passfd == '\0' || *end != '\0' || fd < 0 || fd > 1024)
			return usage_issue();
		if ((r = mindl_pass_from_fd((int)fd, &pass)) != MINDL_OK)
			return fail("--ds-pass-fd", r);
	}
	r = mindl_key_read_pem(dskeyp, pass, &dskey);
	if (pass != NULL)
		mindl_freezero(pass, strlen(pass));
	if (r != MINDL_OK) {
		r = fail(dskeyp, r);
		goto out;
	}
	if ((r = mindl_x509_read_pem(dscertp, &cert, &certlen)) != MINDL_OK) {
		r = fail(dscertp, r);
		goto out;
	}
	if ((r = check_signer(dskey, cert, certlen, now, dscertp)) != 0)
		goto out;
	if ((r = mindl_key_read_pem(devp, NULL, &dev)) != MINDL_OK) {
		r = fail(devp, r);
		goto out;
	}
	if ((r = mindl_file_read(recp, MINDL_MAX_RECORD, &json, &jsonlen)) !=
	    MINDL_OK) {
		r = fail(recp, r);
		goto out;
	}
	if ((r = mindl_file_read(portp, MAX_PORTRAIT, &portrait, &portlen)) !=
	    MINDL_OK) {
		r = fail(portp, r);
		goto out;
	}
	if ((r = mindl_schema_builtin(&schema)) != MINDL_OK) {
		r = fail("schema", r);
		goto out;
	}
	errbuf[0] = '\0';
	if ((r = mindl_record_parse(schema, (const char *)json, jsonlen,
	    portrait, portlen, now, &rec, errbuf, sizeof(errbuf))) !=
	    MINDL_OK) {
		fprintf(stderr, "%s: %s: refused: %s (%s)\n", progname, recp,
		    errbuf[0] != '\0' ? errbuf : mindl_strerr(r),
		    mindl_errname(r));
		json_failure(r, recp, errbuf[0] != '\0' ? errbuf :
		    mindl_strerr(r));
		r = mindl_err_exitcode(r);
		goto out;
	}
	memset(&ip, 0, sizeof(ip));
	ip.record = rec;
	ip.policy = mindl_schema_policy(schema);
	ip.ds_key = dskey;
	ip.ds_cert = cert;
	ip.ds_certlen = certlen;
	ip.device_pub = dev;
	ip.now = now;
	if ((r = mindl_mdoc_issue(&ip, &cred, &credlen)) != MINDL_OK) {
		r = fail("issue", r);
		goto out;
	}
	if ((r = mindl_file_write(outp, cred, credlen,
	    MINDL_FILE_PRIVATE | (force ? 0 : MINDL_FILE_EXCL))) != MINDL_OK) {
		r = fail(outp, r);
		goto out;
	}
	if (jsonout && strcmp(outp, "-") != 0)
		printf("{\"ok\":true,\"bytes\":%zu}\n",
		    credlen);
	r = 0;
 out:
	/* The record, portrait and credential are personal data: wipe. */
	if (json != NULL)
		mindl_freezero(json, jsonlen);
	if (portrait != NULL)
		mindl_freezero(portrait, portlen);
	if (cred != NULL)
		mindl_freezero(cred, credlen);
	mindl_record_free(&rec);
	mindl_schema_free(&schema);
	mindl_key_free(&dskey);
	mindl_key_free(&dev);
	free(cert);
	return r;
}

int
main(int argc, char **argv)
{
	protect_process();
	if (argc >= 2 && strcmp(argv[1], "issue") == 0)
		return cmd_issue(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		usage_issue();
		return 0;
	}
	return usage_issue();
}
