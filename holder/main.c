/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-holder: the reference wallet.  keygen makes the holder's device
 * key; engage (consent.c) starts a session a verifier signs over;
 * present answers a verifier's request file with only what the
 * request's profile and the reader's certificate allow, once the holder
 * agrees, bound to the session by the device key;
 * renew-proof (cmd_renew.c) signs the proof a renewal at the desk needs;
 * qr (cmd_qr.c) prints a purpose credential as a QR code.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"
#include "holder.h"

enum { O_KG_OUT_KEY, O_KG_OUT_PUB, O_KG_COUNT, O_KG_PASS_FD,
    O_KG_NO_PASSPHRASE, O_KG_CURVE, O_KG_N };
static const struct cli_opt keygen_opts[O_KG_N] = {
	[O_KG_OUT_KEY] = { "out-key", 0, CLI_ARG | CLI_REQ, "K",
	    "write the device's private keys here (0600)" },
	[O_KG_OUT_PUB] = { "out-pub", 0, CLI_ARG | CLI_REQ, "P",
	    "write their public keys here, for the desk" },
	[O_KG_COUNT] = { "count", 0, CLI_ARG, "N",
	    "key pairs, one per single-use copy: 1 to 64 (default 16)" },
	[O_KG_PASS_FD] = { "pass-fd", 0, CLI_ARG, "N",
	    "encrypt the keys under the passphrase on descriptor N" },
	[O_KG_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "write the private keys unencrypted" },
	[O_KG_CURVE] = { "curve", 0, CLI_ARG, "CRV",
	    "P-256 (default), P-384, P-521 or Ed25519 (signs only: no "
	    "deviceMac)" },
};

/* A holder's batch: how many single-use copies the desk issues. */
#define KEYGEN_COUNT	16

static int
cmd_keygen(const struct cli_args *a)
{
	const char *outkey = a->val[O_KG_OUT_KEY];
	const char *outpub = a->val[O_KG_OUT_PUB];
	const char *cnt = a->val[O_KG_COUNT];
	struct mindl_key *key[MINDL_MAX_BATCH];
	char *pass = NULL, *end;
	unsigned long n = KEYGEN_COUNT;
	size_t i;
	int r, crv = MINDL_CRV_P256;

	/* What the desk issues to; brainpool device keys are verified only. */
	if (a->val[O_KG_CURVE] != NULL &&
	    (crv = mindl_crv_from_name(a->val[O_KG_CURVE])) !=
	    MINDL_CRV_P256 && crv != MINDL_CRV_P384 && crv != MINDL_CRV_P521 &&
	    crv != MINDL_CRV_ED25519)
		return cli_usage_error("keygen", "--curve: P-256, P-384, "
		    "P-521 or Ed25519");
	if (cnt != NULL && (cnt[0] < '0' || cnt[0] > '9' ||
	    (n = strtoul(cnt, &end, 10)) < 1 || n > MINDL_MAX_BATCH ||
	    *end != '\0'))
		return cli_usage_error("keygen", "--count: 1 to %d key pairs",
		    MINDL_MAX_BATCH);
	memset(key, 0, sizeof(key));
	if ((r = cli_pass_new(outkey, "--pass-fd", a->val[O_KG_PASS_FD],
	    cli_has(a, O_KG_NO_PASSPHRASE), &pass)) != 0)
		return r;
	for (i = 0; i < n; i++)
		if ((r = mindl_key_generate_curve(crv, &key[i])) != MINDL_OK) {
			r = cli_fail("keygen", r);
			goto out;
		}
	if ((r = mindl_key_write_private_pem_n(outkey,
	    (const struct mindl_key *const *)key, n, pass)) != MINDL_OK) {
		r = cli_fail(outkey, r);
		goto out;
	}
	if ((r = mindl_key_write_public_pem_n(outpub,
	    (const struct mindl_key *const *)key, n)) != MINDL_OK) {
		/* Leave nothing half made: the pairs go together. */
		(void)remove(outkey);
		r = cli_fail(outpub, r);
		goto out;
	}
	r = 0;
	if (a->json) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "key");
		jw_str(&w, outkey);
		jw_key(&w, "pub");
		jw_str(&w, outpub);
		jw_key(&w, "count");
		jw_uint(&w, n);
		jw_key(&w, "curve");
		jw_str(&w, mindl_crv_name(crv));
		jw_key(&w, "encrypted");
		jw_bool(&w, pass != NULL);
		jw_end_obj(&w);
		if (jw_done(&w) != MINDL_OK)
			r = 3;
	}
 out:
	cli_pass_free(&pass);
	for (i = 0; i < n; i++)
		mindl_key_free(&key[i]);
	return r;
}

/* Below this many unused copies the holder is told to renew. */
#define LOW_COPIES	2

/* How many single-use copies (entries) the credential file holds. */
int
cred_copies(const char *credp, const uint8_t *cred, size_t len, size_t *n)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *root;
	int r;

	*n = 0;
	if ((r = mindl_cbor_decode(cred, len, &doc)) != MINDL_OK)
		return cli_fail(credp, r);
	root = mindl_cbor_root(doc);
	if (root->type != MINDL_CBOR_ARRAY || root->u == 0 ||
	    root->u > MINDL_MAX_BATCH) {
		mindl_cbor_free(&doc);
		return cli_failf(credp, MINDL_ERR_CBOR_TYPE, "not a credential "
		    "of 1 to %d copies", MINDL_MAX_BATCH);
	}
	*n = (size_t)root->u;
	mindl_cbor_free(&doc);
	return 0;
}

/*
 * The credential file, checked to be one, with its copies and the record
 * of those already shown; 0 or an exit status (reported).  *cred is
 * malloc'd (personal data: the caller wipes it).  With lockfd, the
 * credential is locked first (flock, held until *lockfd is closed), so
 * that two presentations at once cannot pick the same single-use copy.
 */
int
cred_load(const char *credp, uint8_t **cred, size_t *credlen,
    size_t *ncopies, struct spent *sp, int *lockfd)
{
	int r;

	if (lockfd != NULL) {
		if ((*lockfd = open(credp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) ==
		    -1)
			return cli_fail(credp, errno == ENOENT ?
			    MINDL_ERR_NO_FILE : errno == EACCES ?
			    MINDL_ERR_ACCESS : MINDL_ERR_IO);
		if (flock(*lockfd, LOCK_EX) == -1)
			return cli_failf(credp, MINDL_ERR_IO, "cannot lock the "
			    "credential: %s", strerror(errno));
	}
	if ((r = mindl_file_read(credp, MAX_FILE, cred, credlen)) != MINDL_OK)
		return cli_fail(credp, r);
	if (cli_wrong_kind(credp, *cred, *credlen, "credential", "give the "
	    "credential file the desk issued (mindl-issuer issue -o)"))
		return 1;
	if ((r = cred_copies(credp, *cred, *credlen, ncopies)) != 0)
		return r;
	return spent_load(credp, *ncopies, sp);
}

/* Tells the holder what the verifier asked for and what goes out. */
static void
consent_report(const struct mindl_request *req,
    const struct mindl_profile *prof, const struct mindl_present_report *rep,
    int json, size_t copy, size_t ncopies, size_t left)
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
		jw_key(&w, "copy");
		jw_uint(&w, copy + 1);
		jw_key(&w, "copies");
		jw_uint(&w, ncopies);
		jw_key(&w, "copies_left");
		jw_uint(&w, left);
		jw_end_obj(&w);
		jw_done(&w);
		return;
	}
	cli_warn(NULL, "request for profile \"%s\" (%s)",
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
	    "%zu not in the credential; copy %zu of %zu, %zu unused left",
	    rep->released, rep->withheld_profile, rep->missing, copy + 1,
	    ncopies, left);
}

enum { O_PR_CREDENTIAL, O_PR_DEVICE_KEY, O_PR_REQUEST, O_PR_OUT, O_PR_AUTH,
    O_PR_PASS_FD, O_PR_NO_PASSPHRASE, O_PR_FORCE, O_PR_QUIET, O_PR_REUSE,
    O_PR_FIDO2, O_PR_DEVICE, O_PR_PIN_FD, O_PR_READER_TRUST, O_PR_ENGAGEMENT,
    O_PR_YES, O_PR_SIGNED_ONLY, O_PR_N };
static const struct cli_opt present_opts[O_PR_N] = {
	[O_PR_CREDENTIAL] = { "credential", 0, CLI_ARG | CLI_REQ, "CRED",
	    "the credential file the desk issued" },
	[O_PR_DEVICE_KEY] = { "device-key", 0, CLI_ARG, "K",
	    "the device's private key (mindl-holder keygen --out-key)" },
	[O_PR_REQUEST] = { "request", 0, CLI_ARG | CLI_REQ, "REQ",
	    "the verifier's request file (- for stdin)" },
	[O_PR_OUT] = { "out", 'o', CLI_ARG | CLI_REQ, "RESP",
	    "write the response here (0600; - for stdout)" },
	[O_PR_AUTH] = { "auth", 0, CLI_ARG, "mac|signature",
	    "device authentication: mac (default) or signature" },
	[O_PR_PASS_FD] = { "pass-fd", 0, CLI_ARG, "N",
	    "read the device key's passphrase from descriptor N" },
	[O_PR_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "the device key is not encrypted" },
	[O_PR_FORCE] = { "force", 'f', 0, NULL,
	    "replace an existing output file" },
	[O_PR_QUIET] = { "quiet", 'q', 0, NULL,
	    "no report of what was released" },
	[O_PR_REUSE] = { "reuse", 0, 0, NULL,
	    "present a copy shown before when none is left (links)" },
	[O_PR_FIDO2] = { "fido2", 0, 0, NULL,
	    "sign with the security key the desk bound the credential to "
	    "(instead of --device-key)" },
	[O_PR_DEVICE] = { "device", 0, CLI_ARG, "PATH",
	    "with --fido2: the key (default: the first one found)" },
	[O_PR_PIN_FD] = { "pin-fd", 0, CLI_ARG, "N",
	    "with --fido2: read the key's PIN from descriptor N (else asked "
	    "on the terminal when the key wants one)" },
	[O_PR_READER_TRUST] = { "reader-trust", 0, CLI_ARG, "CA.pem",
	    "the reader CAs whose certified verifiers may sign requests" },
	[O_PR_ENGAGEMENT] = { "engagement", 0, CLI_ARG, "DE",
	    "this session's engagement (mindl-holder engage); removed after" },
	[O_PR_YES] = { "yes", 'y', 0, NULL,
	    "release without asking (scripts): the rules still apply" },
	[O_PR_SIGNED_ONLY] = { "signed-only", 0, 0, NULL,
	    "refuse unsigned requests, even for age-18 and age-21" },
};

/*
 * --fido2: the response signed by the holder's security key, asked for
 * the PIN on the terminal if it wants one and none came by descriptor.
 * 0 or an exit status (reported).
 */
static int
present_fido2(const struct cli_args *a, struct mindl_present_params *pp,
    struct mindl_buf *resp, struct mindl_present_report *rep)
{
	const char *devp = a->val[O_PR_DEVICE];
	struct mindl_fido_signer fs;
	struct mindl_fido_dev *key = NULL;
	char *pin = NULL;
	int r;

	memset(&fs, 0, sizeof(fs));
	if (a->val[O_PR_PIN_FD] != NULL && (r = cli_pin("your security key",
	    "--pin-fd", a->val[O_PR_PIN_FD], &pin)) != 0)
		return r;
	if ((r = cli_fido_open(devp, &key)) != MINDL_OK) {
		r = cli_fido_fail("--device", devp, r, "nothing written");
		goto out;
	}
	fs.dev = key;
	fs.rpid = MINDL_FIDO_HOLDER_RPID;
	fs.pin = pin;
	pp->auth = MINDL_DEVAUTH_FIDO2;
	pp->fido = &fs;
	cli_warn(NULL, "touch your security key to answer the verifier");
	r = mindl_present(pp, resp, rep);
	if (r == MINDL_ERR_PASSPHRASE && pin == NULL) {
		if ((r = cli_pin("your security key", "--pin-fd", NULL,
		    &pin)) != 0)
			goto out;
		fs.pin = pin;
		r = mindl_present(pp, resp, rep);
	}
	if (r == MINDL_ERR_KEY)
		r = cli_failf(a->val[O_PR_CREDENTIAL], r, "this credential is "
		    "not bound to a security key: present it with "
		    "--device-key; nothing written");
	else if (r != MINDL_OK)
		r = cli_fido_fail("--device", devp, r, "nothing written");
	else
		r = 0;
 out:
	pp->fido = NULL;
	mindl_fido_dev_free(&key);
	cli_pass_free(&pin);
	return r;
}

static int
cmd_present(const struct cli_args *a)
{
	const char *credp = a->val[O_PR_CREDENTIAL];
	const char *keyp = a->val[O_PR_DEVICE_KEY];
	const char *reqp = a->val[O_PR_REQUEST], *outp = a->val[O_PR_OUT];
	enum mindl_devauth auth = MINDL_DEVAUTH_MAC;
	struct mindl_schema *schema = NULL;
	struct mindl_request *req = NULL;
	struct mindl_key *key = NULL;
	struct mindl_present_report rep;
	struct mindl_present_params pp;
	struct mindl_reader_info ri;
	const struct mindl_profile *prof;
	struct mindl_buf resp;
	uint8_t *cred = NULL, *rbuf = NULL, *de = NULL;
	size_t credlen = 0, rlen = 0, delen = 0;
	int signed_ok = 0;
	struct spent sp;
	struct stat st;
	size_t ncopies = 0, copy = 0, left;
	int r, force = cli_has(a, O_PR_FORCE), json = a->json, lockfd = -1;
	int quiet = cli_has(a, O_PR_QUIET), fido = cli_has(a, O_PR_FIDO2);

	if (fido && (keyp != NULL || a->val[O_PR_AUTH] != NULL ||
	    a->val[O_PR_PASS_FD] != NULL || cli_has(a, O_PR_NO_PASSPHRASE)))
		return cli_usage_error("present", "--fido2: the security key "
		    "signs; no --device-key, --auth, --pass-fd or "
		    "--no-passphrase");
	if (!fido && (a->val[O_PR_DEVICE] != NULL ||
	    a->val[O_PR_PIN_FD] != NULL))
		return cli_usage_error("present", "--device and --pin-fd go "
		    "with --fido2");
	if (!fido && keyp == NULL)
		return cli_usage_error("present", "give --device-key (or "
		    "--fido2 for a credential bound to a security key)");
	if (a->val[O_PR_AUTH] == NULL || strcmp(a->val[O_PR_AUTH], "mac") == 0)
		auth = MINDL_DEVAUTH_MAC;
	else if (strcmp(a->val[O_PR_AUTH], "signature") == 0)
		auth = MINDL_DEVAUTH_SIGNATURE;
	else
		return cli_usage_error("present", "--auth: \"%s\" is neither "
		    "mac nor signature", a->val[O_PR_AUTH]);
	mindl_buf_init(&resp, MINDL_MAX_INPUT);
	/* An existing output would waste the copy marked for it: refuse now. */
	if (!force && strcmp(outp, "-") != 0 && lstat(outp, &st) == 0)
		return cli_failf(outp, MINDL_ERR_EXISTS, "exists: refusing to "
		    "overwrite it (use --force, or name a new file); nothing "
		    "presented");
	/* Which single-use copy: one not shown before. */
	if ((r = cred_load(credp, &cred, &credlen, &ncopies, &sp,
	    &lockfd)) != 0)
		goto out;
	if ((copy = spent_pick(&sp, ncopies, cli_has(a, O_PR_REUSE))) ==
	    SIZE_MAX) {
		r = cli_failf(credp, MINDL_ERR_SPENT, "all %zu single-use "
		    "copies of this credential were presented: renew it at "
		    "the desk (or --reuse, which lets verifiers link this "
		    "presentation to an earlier one); nothing written",
		    ncopies);
		goto out;
	}
	if (sp.used[copy])
		cli_warn(credp, "warning: presenting copy %zu again (--reuse): "
		    "the verifiers who saw it can link the two presentations",
		    copy + 1);
	if (!fido && (r = cli_key_read("--device-key", keyp, copy,
	    "--pass-fd", a->val[O_PR_PASS_FD], "--no-passphrase",
	    cli_has(a, O_PR_NO_PASSPHRASE), &key)) != 0)
		goto out;
	if (!fido && !mindl_key_is_private(key)) {
		r = cli_failf(keyp, MINDL_ERR_KEY, "this is a public key: give "
		    "the device's private key (the --out-key file of "
		    "mindl-holder keygen)");
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
	/* Who asks and whether they may, before anything is selected. */
	if ((r = reader_check(reqp, req, prof, a->val[O_PR_READER_TRUST],
	    a->val[O_PR_ENGAGEMENT], cli_has(a, O_PR_SIGNED_ONLY), &de, &delen,
	    &ri, &signed_ok)) != 0)
		goto out;
	memset(&pp, 0, sizeof(pp));
	pp.cred = cred;
	pp.credlen = credlen;
	pp.req = req;
	pp.schema = schema;
	pp.auth = auth;
	pp.device_key = key;
	pp.entry = copy;
	pp.engagement = de;
	pp.englen = delen;
	if (fido) {
		if ((r = present_fido2(a, &pp, &resp, &rep)) != 0)
			goto out;
	} else if ((r = mindl_present(&pp, &resp, &rep)) != MINDL_OK) {
		if (r == MINDL_ERR_NOT_DEVICE_KEY)
			r = cli_failf(keyp, r, "this is not the key %s was "
			    "issued to: give the device key made for it (the "
			    "--out-key of the keygen whose .pub the desk "
			    "used); nothing written", credp);
		else
			r = cli_fail("present", r);
		goto out;
	}
	/* The holder says yes before anything is written or spent. */
	if (!cli_has(a, O_PR_YES) &&
	    (r = consent_ask(req, prof, &ri, signed_ok, &rep)) != 0)
		goto out;
	/*
	 * The copy is marked spent before the response exists: a crash in
	 * between wastes a copy, never shows one twice.
	 */
	spent_mark(&sp, copy);
	if ((r = spent_save(credp, &sp)) != 0)
		goto out;
	/* The response holds personal data: readable by the holder only. */
	if ((r = mindl_file_write(outp, mindl_buf_ptr(&resp),
	    mindl_buf_len(&resp), MINDL_FILE_PRIVATE |
	    (force ? 0 : MINDL_FILE_EXCL))) != MINDL_OK) {
		r = cli_fail(outp, r);
		goto out;
	}
	/*
	 * An engagement serves one session: kept, a signed request captured
	 * once could be replayed to this holder by anyone.
	 */
	if (de != NULL && unlink(a->val[O_PR_ENGAGEMENT]) == -1)
		cli_warn(a->val[O_PR_ENGAGEMENT], "warning: cannot remove the "
		    "used engagement (%s): delete it, and engage anew for "
		    "the next verifier", strerror(errno));
	left = spent_left(&sp, ncopies);
	if (!quiet && !json)
		reader_report(&ri, signed_ok);
	if (!quiet || json)
		consent_report(req, prof, &rep, json && strcmp(outp, "-") != 0,
		    copy, ncopies, left);
	if (left <= LOW_COPIES && ncopies > 1)
		cli_warn(credp, "%zu single-use cop%s left: renew at the desk "
		    "soon", left, left == 1 ? "y" : "ies");
	r = 0;
 out:
	if (lockfd != -1)
		close(lockfd);
	mindl_schema_free(&schema);
	mindl_request_free(&req);
	mindl_key_free(&key);
	if (cred != NULL)
		mindl_freezero(cred, credlen);
	free(rbuf);
	free(de);
	mindl_buf_clear(&resp);
	return r;
}

static const struct cli_verb verbs[] = {
	{ "engage", cmd_engage,
	    "engage [-dfj] -o DE", NULL,
	    "Starts a session: the engagement a verifier signs its request "
	    "over.",
	    engage_opts, O_EN_N, 0, 0 },
	{ "keygen", cmd_keygen,
	    "keygen [-dj] --out-key K --out-pub P [--count N]\n"
	    "\t\t[--curve CRV] [--pass-fd N | --no-passphrase]", NULL,
	    "Makes the holder's device key pairs; the desk gets the .pub.",
	    keygen_opts, O_KG_N, 0, 0 },
	{ "present", cmd_present,
	    "present [-dfjqy] --credential CRED --device-key K\n"
	    "\t\t--request REQ -o RESP [--auth mac|signature]\n"
	    "\t\t[--reader-trust CA.pem] [--engagement DE] [--signed-only]\n"
	    "\t\t[--pass-fd N | --no-passphrase]",
	    "present [-dfjqy] --credential CRED --fido2 [--device PATH]\n"
	    "\t\t[--pin-fd N] --request REQ -o RESP\n"
	    "\t\t[--reader-trust CA.pem] [--engagement DE] [--signed-only]",
	    "Answers a verifier's request with only what its profile allows.",
	    present_opts, O_PR_N, 0, 0 },
	{ "qr", cmd_qr,
	    "qr [-dfj] --credential CRED --purpose ID\n"
	    "\t\t[--png OUT [--scale N]] [--svg OUT] [--text]\n"
	    "\t\t[--quiet-zone N]", NULL,
	    "Makes the QR code of one purpose credential, to print or show.",
	    qr_opts, O_QR_N, 0, 0 },
	{ "renew-proof", cmd_renew_proof,
	    "renew-proof [-dfj] --credential CRED --device-key K\n"
	    "\t\t--challenge CH --new-pub NEW.pub -o PROOF\n"
	    "\t\t[--pass-fd N | --no-passphrase]", NULL,
	    "Proves to the desk, for a renewal, that this holder holds the "
	    "credential.",
	    renew_opts, O_RN_N, 0, 0 },
	{ "show", cmd_show,
	    "show [-dj] --credential CRED [--device-key K\n"
	    "\t\t[--pass-fd N | --no-passphrase]] [--at TIME]", NULL,
	    "Shows what a stored credential holds and how long it is valid.",
	    show_opts, O_SHOW_N, 0, 0 },
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
