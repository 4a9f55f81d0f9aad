/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-holder renew-proof: the holder's half of renewal without the
 * record (mindl/renewal.h).  The desk handed out a challenge; the holder
 * made new device keys (keygen); this signs, with the device key of one
 * copy of the old credential, a proof that binds the challenge, the old
 * credential file and the new public keys, so that the desk can re-issue
 * over the values the holder carries and to nobody else's keys.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/renewal.h"
#include "cli.h"
#include "jw.h"
#include "holder.h"

const struct cli_opt renew_opts[O_RN_N] = {
	[O_RN_CREDENTIAL] = { "credential", 0, CLI_ARG | CLI_REQ, "CRED",
	    "the credential file to renew" },
	[O_RN_DEVICE_KEY] = { "device-key", 0, CLI_ARG, "K",
	    "its device keys (mindl-holder keygen --out-key)" },
	[O_RN_CHALLENGE] = { "challenge", 0, CLI_ARG | CLI_REQ, "CH",
	    "the renewal challenge file the desk handed out" },
	[O_RN_NEW_PUB] = { "new-pub", 0, CLI_ARG | CLI_REQ, "NEW.pub",
	    "the new public keys (keygen --out-pub), for the new copies" },
	[O_RN_OUT] = { "out", 'o', CLI_ARG | CLI_REQ, "PROOF",
	    "write the proof here (0600; - for stdout)" },
	[O_RN_PASS_FD] = { "pass-fd", 0, CLI_ARG, "N",
	    "read the device key's passphrase from descriptor N" },
	[O_RN_NO_PASSPHRASE] = { "no-passphrase", 0, 0, NULL,
	    "the device key is not encrypted" },
	[O_RN_FORCE] = { "force", 'f', 0, NULL,
	    "replace an existing output file" },
};

/* The new public keys; a private key file given by mistake is refused. */
static int
read_new_keys(const char *path, struct mindl_key **keys, size_t *n)
{
	size_t i;
	int r;

	if ((r = mindl_key_read_pem_all(path, NULL, keys, MINDL_MAX_BATCH,
	    n)) == MINDL_ERR_PASSPHRASE)
		return cli_failf(path, MINDL_ERR_KEY, "this holds encrypted "
		    "private keys: give the public keys (the --out-pub file of "
		    "mindl-holder keygen); no proof written");
	if (r != MINDL_OK)
		return cli_fail(path, r);
	for (i = 0; i < *n; i++)
		if (mindl_key_is_private(keys[i]))
			return cli_failf(path, MINDL_ERR_KEY, "this holds private "
			    "keys: give the public keys (the --out-pub file of "
			    "mindl-holder keygen), which is all the desk needs; "
			    "no proof written");
	return 0;
}

static void
report(const char *outp, const char *credp, const char *newp, size_t copy,
    size_t ncopies, size_t nnew, int64_t exp, int json)
{
	char t[MINDL_TDATE_LEN + 1];
	struct jw w;
	FILE *f = strcmp(outp, "-") == 0 ? stderr : stdout;

	if (json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "proof");
		jw_str(&w, outp);
		jw_key(&w, "copy");
		jw_uint(&w, copy + 1);
		jw_key(&w, "copies");
		jw_uint(&w, ncopies);
		jw_key(&w, "new_keys");
		jw_uint(&w, nnew);
		jw_key(&w, "challenge_expires");
		jw_int(&w, exp);
		jw_end_obj(&w);
		jw_done(&w);
		return;
	}
	if (mindl_tdate_format(exp, t) != MINDL_OK)
		snprintf(t, sizeof(t), "?");
	/* A result on stdout; beside a proof on stdout, a note on stderr. */
	if (f == stderr)
		fprintf(f, "%s: ", cli_progname());
	fprintf(f, "proof ");
	cli_print_safe(f, strcmp(outp, "-") == 0 ? "on stdout" : outp);
	fprintf(f, ": signed with the key of copy %zu of %zu for %zu new "
	    "keys; bring it, ", copy + 1, ncopies, nnew);
	cli_print_safe(f, credp);
	fprintf(f, " and ");
	cli_print_safe(f, newp);
	fprintf(f, " to the desk before %s\n", t);
}

/*
 * 1 when the credential's copies are bound to a security key: a renewal
 * proof is signed by a device key (mindl/renewal.h), which a security
 * key's assertion is not.
 */
static int
key_bound(const uint8_t *cred, size_t len)
{
	struct mindl_cbor *doc = NULL;
	struct mindl_document *d = NULL;
	const struct mindl_cbor_item *docs, *eng;
	const uint8_t *id = NULL;
	size_t idlen;

	if (mindl_cbor_decode(cred, len, &doc) == MINDL_OK &&
	    mindl_file_documents(mindl_cbor_root(doc), &docs, &eng) ==
	    MINDL_OK && mindl_document_parse(mindl_cbor_child(docs), 0, &d) ==
	    MINDL_OK)
		mindl_document_fido_id(d, &id, &idlen);
	mindl_document_free(&d);
	mindl_cbor_free(&doc);
	return id != NULL;
}

int
cmd_renew_proof(const struct cli_args *a)
{
	const char *credp = a->val[O_RN_CREDENTIAL];
	const char *keyp = a->val[O_RN_DEVICE_KEY];
	const char *chp = a->val[O_RN_CHALLENGE];
	const char *newp = a->val[O_RN_NEW_PUB], *outp = a->val[O_RN_OUT];
	struct mindl_key *newkeys[MINDL_MAX_BATCH];
	struct mindl_key *key = NULL;
	struct mindl_signer s;
	struct mindl_buf proof;
	struct spent sp;
	struct stat st;
	uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN];
	uint8_t *cred = NULL, *chbuf = NULL;
	size_t credlen = 0, chlen = 0, ncopies = 0, nnew = 0, copy, i;
	int64_t exp = 0;
	char t[MINDL_TDATE_LEN + 1];
	int r, force = cli_has(a, O_RN_FORCE);

	memset(newkeys, 0, sizeof(newkeys));
	mindl_buf_init(&proof, MINDL_RENEWAL_MAX_PROOF);
	if (strcmp(outp, "-") == 0 && a->json)
		return cli_usage_error("renew-proof", "-o - writes the proof to "
		    "stdout: give a file with --json");
	/* Refused now, before a passphrase is asked for. */
	if (!force && strcmp(outp, "-") != 0 && lstat(outp, &st) == 0)
		return cli_failf(outp, MINDL_ERR_EXISTS, "exists: refusing to "
		    "overwrite it (use --force, or name a new file); no proof "
		    "written");
	/* The key of a copy not shown yet, else the first one's. */
	if ((r = cred_load(credp, &cred, &credlen, &ncopies, &sp, NULL)) !=
	    0)
		goto out;
	if ((copy = spent_pick(&sp, ncopies, 0)) == SIZE_MAX)
		copy = 0;
	if (key_bound(cred, credlen)) {
		r = cli_failf(credp, MINDL_ERR_UNSUPPORTED, "this credential is "
		    "bound to a security key, and a renewal proof is signed by "
		    "a device key: renew at the desk with the key "
		    "(mindl-issuer issue --device-fido2); no proof written");
		goto out;
	}
	if (keyp == NULL) {
		r = cli_usage_error("renew-proof", "missing --device-key");
		goto out;
	}

	/* Read whole: another kind of file is named as such, not "too large". */
	if ((r = mindl_file_read(chp, MAX_FILE, &chbuf, &chlen)) != MINDL_OK) {
		r = cli_fail(chp, r);
		goto out;
	}
	if ((r = mindl_renewal_challenge_parse(chbuf, chlen, ch, &exp)) !=
	    MINDL_OK) {
		if (cli_wrong_kind(chp, chbuf, chlen, "renewal challenge",
		    "give the challenge file the desk handed out"))
			r = 1;
		else
			r = cli_failf(chp, r, "not a renewal challenge: give the "
			    "challenge file the desk handed out; no proof "
			    "written");
		goto out;
	}
	if (exp < mindl_now()) {
		if (mindl_tdate_format(exp, t) != MINDL_OK)
			snprintf(t, sizeof(t), "?");
		r = cli_failf(chp, MINDL_ERR_CHALLENGE, "this challenge "
		    "expired at %s: ask the desk for a new one; no proof "
		    "written", t);
		goto out;
	}
	if ((r = read_new_keys(newp, newkeys, &nnew)) != 0)
		goto out;
	if ((r = cli_key_read("--device-key", keyp, copy, "--pass-fd",
	    a->val[O_RN_PASS_FD], "--no-passphrase",
	    cli_has(a, O_RN_NO_PASSPHRASE), &key)) != 0)
		goto out;
	if (!mindl_key_is_private(key)) {
		r = cli_failf(keyp, MINDL_ERR_KEY, "this is a public key: give "
		    "the device's private keys (the --out-key file of "
		    "mindl-holder keygen)");
		goto out;
	}
	if ((r = mindl_signer_key(&s, key)) != MINDL_OK) {
		r = cli_fail(keyp, r);
		goto out;
	}
	if ((r = mindl_renewal_proof_write(&s, ch, cred, credlen, copy,
	    (const struct mindl_key *const *)newkeys, nnew, &proof)) !=
	    MINDL_OK) {
		if (r == MINDL_ERR_NOT_DEVICE_KEY)
			r = cli_failf(keyp, r, "key %zu of this file is not the "
			    "key copy %zu of the credential was issued to: give "
			    "the device keys made for it (the --out-key of the "
			    "keygen whose .pub the desk used); no proof written",
			    copy + 1, copy + 1);
		else if (r == MINDL_ERR_KEY)
			r = cli_failf(newp, r, "the new keys must be P-256 keys "
			    "made for the renewal (mindl-holder keygen), each "
			    "once, none of them a key of the old credential; no "
			    "proof written");
		else
			r = cli_fail("renew-proof", r);
		goto out;
	}
	/* The proof names the credential by its digest: the holder's only. */
	if ((r = mindl_file_write(outp, mindl_buf_ptr(&proof),
	    mindl_buf_len(&proof), MINDL_FILE_PRIVATE |
	    (force ? 0 : MINDL_FILE_EXCL))) != MINDL_OK) {
		r = cli_fail(outp, r);
		goto out;
	}
	report(outp, credp, newp, copy, ncopies, nnew, exp, a->json);
	r = 0;
 out:
	mindl_buf_clear(&proof);
	mindl_key_free(&key);
	for (i = 0; i < MINDL_MAX_BATCH; i++)
		mindl_key_free(&newkeys[i]);
	if (cred != NULL)
		mindl_freezero(cred, credlen);
	free(chbuf);
	mindl_wipe(ch, sizeof(ch));
	return r;
}
