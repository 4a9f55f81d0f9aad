/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-verifier request, profiles: a request names one verifier profile
 * and asks for exactly its elements; its ephemeral P-256 key makes the
 * session unique (a replayed response fails) and stays with the verifier,
 * 0600, until the response has been checked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "verifier.h"

/* Lists the known profile ids after an unknown one (usage error). */
static int
unknown_profile(const struct mindl_schema *s, const char *id)
{
	char known[512];
	size_t i, n = 0;

	known[0] = '\0';
	for (i = 0; i < mindl_schema_profile_count(s) && n < sizeof(known);
	    i++)
		n += (size_t)snprintf(known + n, sizeof(known) - n, "%s%s",
		    i ? ", " : "", mindl_profile_id(
		    mindl_schema_profile_at(s, i)));
	return cli_failf("--profile", MINDL_ERR_PROFILE, "unknown profile "
	    "\"%s\"; known profiles: %s", id, known);
}

static void
json_elements(struct jw *w, const struct mindl_profile *p)
{
	const char *ns, *id, *ns2, *id2;
	size_t i, j;

	/* {ns: [id, ...]}: the shape of verify's "disclosed" keys. */
	jw_obj(w);
	for (i = 0; i < mindl_profile_count(p); i++) {
		mindl_profile_element(p, i, &ns, &id);
		for (j = 0; j < i; j++) {
			mindl_profile_element(p, j, &ns2, &id2);
			if (strcmp(ns, ns2) == 0)
				break;
		}
		if (j < i)
			continue;	/* namespace already written */
		jw_key(w, ns);
		jw_arr(w);
		for (j = i; j < mindl_profile_count(p); j++) {
			mindl_profile_element(p, j, &ns2, &id2);
			if (strcmp(ns, ns2) == 0)
				jw_str(w, id2);
		}
		jw_end_arr(w);
	}
	jw_end_obj(w);
}

static int
profile_retains(const struct mindl_profile *p)
{
	const char *ns, *id;
	size_t i;

	for (i = 0; i < mindl_profile_count(p); i++) {
		mindl_profile_element(p, i, &ns, &id);
		if (mindl_profile_may_retain(p, ns, id))
			return 1;
	}
	return 0;
}

/* The elements this kind of verifier may keep: [id, ...]. */
static void
json_retain(struct jw *w, const struct mindl_profile *p)
{
	const char *ns, *id;
	size_t i;

	jw_arr(w);
	for (i = 0; i < mindl_profile_count(p); i++) {
		mindl_profile_element(p, i, &ns, &id);
		if (mindl_profile_may_retain(p, ns, id))
			jw_str(w, id);
	}
	jw_end_arr(w);
}

static void
json_profile(struct jw *w, const struct mindl_profile *p)
{
	char rule[256];

	jw_obj(w);
	jw_key(w, "id");
	jw_str(w, mindl_profile_id(p));
	jw_key(w, "title");
	jw_str(w, mindl_profile_title(p));
	jw_key(w, "portrait");
	jw_bool(w, mindl_profile_portrait(p));
	jw_key(w, "purpose");
	jw_str(w, mindl_profile_question(p));
	jw_key(w, "rule");
	jw_str(w, mindl_purpose_describe(p, rule, sizeof(rule)) == MINDL_OK ?
	    rule : NULL);
	jw_key(w, "elements");
	json_elements(w, p);
	jw_key(w, "may_retain");
	json_retain(w, p);
	jw_end_obj(w);
}

int
cmd_profiles(const struct cli_args *a)
{
	struct mindl_schema *s = NULL;
	const struct mindl_profile *p;
	const char *ns, *id;
	char rule[256];
	struct jw w;
	size_t i, j;
	int r, json = a->json;

	if ((r = mindl_schema_builtin(&s)) != MINDL_OK)
		return cli_fail("schema", r);
	if (json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "profiles");
		jw_arr(&w);
		for (i = 0; i < mindl_schema_profile_count(s); i++)
			json_profile(&w, mindl_schema_profile_at(s, i));
		jw_end_arr(&w);
		jw_end_obj(&w);
		jw_done(&w);
	} else {
		for (i = 0; i < mindl_schema_profile_count(s); i++) {
			p = mindl_schema_profile_at(s, i);
			printf("%s\t%s\n", mindl_profile_id(p),
			    mindl_profile_title(p));
			if (mindl_purpose_describe(p, rule, sizeof(rule)) ==
			    MINDL_OK)
				printf("\tdecides: %s: %s\n",
				    mindl_profile_question(p), rule);
			printf("\tportrait: %s\n",
			    mindl_profile_portrait(p) ? "yes" : "no");
			for (j = 0; j < mindl_profile_count(p); j++) {
				mindl_profile_element(p, j, &ns, &id);
				printf("\t%s/%s%s\n", ns, id,
				    mindl_profile_may_retain(p, ns, id) ?
				    " (may be kept: request --retain)" : "");
			}
		}
	}
	mindl_schema_free(&s);
	return fflush(stdout) == 0 ? 0 : 3;
}

/* With --force, an old ephemeral key beside REQ may be replaced. */
static int
remove_old_key(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? MINDL_OK : MINDL_ERR_IO;
	if (!S_ISREG(st.st_mode))
		return MINDL_ERR_EXISTS;
	return unlink(path) == 0 ? MINDL_OK : MINDL_ERR_IO;
}

const struct cli_opt request_opts[O_REQ_N] = {
	[O_REQ_PROFILE] = { "profile", 0, CLI_ARG | CLI_REQ, "ID",
	    "what kind of verifier asks (mindl-verifier profiles)" },
	[O_REQ_OUT] = { "out", 'o', CLI_ARG | CLI_REQ, "REQ",
	    "write the request here (- for stdout)" },
	[O_REQ_OUT_KEY] = { "out-key", 0, CLI_ARG, "K",
	    "write the session's reader key here (default REQ.key)" },
	[O_REQ_RETAIN] = { "retain", 0, 0, NULL,
	    "declare that this verifier keeps what its profile allows" },
	[O_REQ_FORCE] = { "force", 'f', 0, NULL,
	    "replace an existing request and its reader key" },
	[O_REQ_READER_KEY] = { "reader-key", 0, CLI_ARG, "K",
	    "sign the request with this reader key (mindl-keys reader)" },
	[O_REQ_READER_CERT] = { "reader-cert", 0, CLI_ARG, "C",
	    "the reader certificate, sent in the signature's x5chain" },
	[O_REQ_ENGAGEMENT] = { "engagement", 0, CLI_ARG, "DE",
	    "the holder's engagement the signature covers "
	    "(mindl-holder engage)" },
	[O_REQ_PASS_FD] = { "pass-fd", 0, CLI_ARG, "N",
	    "the reader key's passphrase from descriptor N" },
	[O_REQ_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "the reader key is not encrypted" },
};

/*
 * --reader-key, --reader-cert, --engagement: read, checked to belong
 * together and to allow the profile.  0 or an exit status (reported).
 */
static int
reader_load(const struct cli_args *a, const struct mindl_profile *prof,
    struct mindl_key **rkey, uint8_t **cert, size_t *certlen, uint8_t **de,
    size_t *delen)
{
	const char *kp = a->val[O_REQ_READER_KEY];
	const char *cp = a->val[O_REQ_READER_CERT];
	const char *dp = a->val[O_REQ_ENGAGEMENT];
	char ids[MINDL_READER_MAX_PROFILES][MINDL_READER_PROFILE_LEN];
	struct mindl_key *pub = NULL;
	size_t n = 0, i;
	int r;

	if (kp == NULL && cp == NULL && dp == NULL)
		return 0;
	if (kp == NULL || cp == NULL || dp == NULL)
		return cli_usage_error("request", "--reader-key, --reader-cert "
		    "and --engagement go together: a signed request covers "
		    "the holder's engagement");
	if ((r = mindl_x509_read_pem(cp, cert, certlen)) != MINDL_OK)
		return cli_fail(cp, r);
	if ((r = mindl_x509_reader_profiles(*cert, *certlen, ids, &n)) !=
	    MINDL_OK)
		return cli_failf(cp, r, "not a reader certificate with "
		    "profiles (make one with mindl-keys reader)");
	for (i = 0; i < n && strcmp(ids[i], mindl_profile_id(prof)) != 0;
	    i++)
		;
	if (i == n)
		return cli_failf(cp, MINDL_ERR_READER_NOT_AUTHORISED, "this "
		    "reader certificate does not allow profile %s: holders "
		    "would refuse the request; nothing written",
		    mindl_profile_id(prof));
	if ((r = mindl_file_read(dp, 1024, de, delen)) != MINDL_OK)
		return cli_fail(dp, r);
	if ((r = mindl_engagement_check(*de, *delen)) != MINDL_OK)
		return cli_failf(dp, r, "not a holder's engagement (give the "
		    "file of mindl-holder engage)");
	if ((r = cli_key_read("--reader-key", kp, 0, "--pass-fd",
	    a->val[O_REQ_PASS_FD], "--no-passphrase",
	    cli_has(a, O_REQ_NO_PASSPHRASE), rkey)) != 0)
		return r;
	if ((r = mindl_x509_pubkey(*cert, *certlen, &pub)) != MINDL_OK)
		return cli_fail(cp, r);
	r = mindl_key_is_private(*rkey) && mindl_key_same_public(*rkey, pub);
	mindl_key_free(&pub);
	if (!r)
		return cli_failf(kp, MINDL_ERR_KEY_MISMATCH, "not the private "
		    "key of %s; nothing written", cp);
	return 0;
}

int
cmd_request(const struct cli_args *a)
{
	const char *outp = a->val[O_REQ_OUT], *keyp = a->val[O_REQ_OUT_KEY];
	const char *profid = a->val[O_REQ_PROFILE];
	const struct mindl_profile *prof;
	struct mindl_schema *s = NULL;
	struct mindl_key *key = NULL, *rkey = NULL;
	struct mindl_signer rsigner;
	uint8_t *req = NULL, *cert = NULL, *de = NULL;
	size_t reqlen = 0, n, certlen = 0, delen = 0;
	char *defkey = NULL;
	struct stat st;
	struct jw w;
	int r, force = cli_has(a, O_REQ_FORCE), json = a->json;
	int key_written = 0;

	if (strcmp(outp, "-") == 0 && keyp == NULL)
		return cli_usage_error("request", "-o - needs --out-key: the "
		    "ephemeral key must be kept for verification");
	if (strcmp(outp, "-") == 0 && json)
		return cli_usage_error("request", "--json and -o - both want "
		    "stdout");
	if (keyp != NULL && strcmp(keyp, "-") == 0)
		return cli_usage_error("request", "--out-key: a private key is "
		    "never written to stdout");
	if ((r = mindl_schema_builtin(&s)) != MINDL_OK)
		return cli_fail("schema", r);
	if ((prof = mindl_schema_profile(s, profid)) == NULL) {
		r = unknown_profile(s, profid);
		goto out;
	}
	if (cli_has(a, O_REQ_RETAIN) && !profile_retains(prof)) {
		r = cli_usage_error("request", "--retain: a %s verifier may "
		    "keep nothing it sees (see \"mindl-verifier profiles\")",
		    mindl_profile_id(prof));
		goto out;
	}
	if ((r = reader_load(a, prof, &rkey, &cert, &certlen, &de,
	    &delen)) != 0)
		goto out;
	if (rkey != NULL && (r = mindl_signer_key(&rsigner, rkey)) !=
	    MINDL_OK) {
		r = cli_fail(a->val[O_REQ_READER_KEY], r);
		goto out;
	}
	if (keyp == NULL) {
		n = strlen(outp) + sizeof(".key");
		if ((defkey = malloc(n)) == NULL) {
			r = cli_fail("request", MINDL_ERR_NOMEM);
			goto out;
		}
		snprintf(defkey, n, "%s.key", outp);
		keyp = defkey;
	}
	if (!force && strcmp(outp, "-") != 0 && lstat(outp, &st) == 0) {
		r = cli_failf(outp, MINDL_ERR_EXISTS, "exists: refusing to "
		    "overwrite (use --force)");
		goto out;
	}
	if ((r = mindl_key_generate(&key)) != MINDL_OK ||
	    (r = mindl_request_create_signed(prof, key,
	    cli_has(a, O_REQ_RETAIN), de, delen, rkey != NULL ? &rsigner :
	    NULL, cert, certlen, &req, &reqlen)) != MINDL_OK) {
		r = cli_fail("request", r);
		goto out;
	}
	/*
	 * The key first: a request whose key could not be kept is useless.
	 * If the request cannot be written, the new key goes again.
	 */
	if (force && (r = remove_old_key(keyp)) != MINDL_OK) {
		r = cli_fail(keyp, r);
		goto out;
	}
	if ((r = mindl_key_write_private_pem(keyp, key, NULL)) != MINDL_OK) {
		r = r == MINDL_ERR_EXISTS ? cli_failf(keyp, r, "exists: "
		    "refusing to overwrite a key (use --force or another "
		    "--out-key)") : cli_fail(keyp, r);
		goto out;
	}
	key_written = 1;
	if ((r = mindl_file_write(outp, req, reqlen,
	    force ? 0 : MINDL_FILE_EXCL)) != MINDL_OK) {
		r = r == MINDL_ERR_EXISTS ? cli_failf(outp, r, "exists: "
		    "refusing to overwrite (use --force)") : cli_fail(outp, r);
		goto out;
	}
	key_written = 0;	/* both made: keep the key */
	if (json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "profile");
		jw_str(&w, mindl_profile_id(prof));
		jw_key(&w, "request");
		jw_str(&w, outp);
		jw_key(&w, "key");
		jw_str(&w, keyp);
		jw_key(&w, "elements");
		json_elements(&w, prof);
		jw_key(&w, "signed");
		jw_bool(&w, rkey != NULL);
		jw_end_obj(&w);
		jw_done(&w);
	} else if (strcmp(outp, "-") != 0) {
		printf("request: ");
		cli_print_safe(stdout, outp);
		printf(" (profile %s: %zu elements%s)\nreader key: ",
		    mindl_profile_id(prof), mindl_profile_count(prof),
		    rkey != NULL ? ", signed" : "");
		cli_print_safe(stdout, keyp);
		printf(" (delete it once the response is verified)\n");
	}
	r = fflush(stdout) == 0 ? 0 : 3;
 out:
	if (key_written)
		(void)unlink(keyp);
	mindl_key_free(&key);
	mindl_key_free(&rkey);
	mindl_schema_free(&s);
	free(cert);
	free(de);
	free(req);
	free(defkey);
	return r;
}
