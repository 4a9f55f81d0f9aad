/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The security key of the tools' test builds
 * (build/tests/mindl-{issuer,holder,verifier}-softkey): cli_fido_open
 * (tools/cli.h) answered by the software authenticator (softauth.c)
 * through libfido2's I/O hooks, in place of tools/fido_open.c.  The
 * production binaries have none of this.
 *
 * The authenticator keeps no state across runs: its credential ids are
 * wrapped under a master key (softauth_set_master) derived from the
 * key's name, so that "operator enroll" in one run and "revoke" in the
 * next meet the same key.  The name is the --device/--officer-device
 * path when one is given, else $MINDL_SOFTKEY, else "a"; another name is
 * another key.  $MINDL_SOFTKEY_FAULT makes it misbehave: "deny" (the
 * touch refused), "no-up" (signs without user presence), "other-key"
 * (another key signs), "wrong-rpid" (answers for another rpId).  Only
 * this test object reads these variables.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "mindl/err.h"
#include "mindl/fido.h"
#include "cli.h"
#include "softauth.h"

#define MAX_KEYS	4

static struct softauth	*keys[MAX_KEYS];
static size_t		 nkeys;

static void
free_keys(void)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		softauth_free(&keys[i]);
	nkeys = 0;
}

static enum softauth_fault
fault(void)
{
	const char *f = getenv("MINDL_SOFTKEY_FAULT");

	if (f == NULL)
		return SOFTAUTH_OK;
	if (strcmp(f, "deny") == 0)
		return SOFTAUTH_DENY;
	if (strcmp(f, "no-up") == 0)
		return SOFTAUTH_NO_UP;
	if (strcmp(f, "other-key") == 0)
		return SOFTAUTH_OTHER_KEY;
	if (strcmp(f, "wrong-rpid") == 0)
		return SOFTAUTH_WRONG_RPID;
	return SOFTAUTH_OK;
}

int
cli_fido_open(const char *path, struct mindl_fido_dev **out)
{
	static const char ctx[] = "mindl softkey test master key v1";
	struct softauth *sa = NULL;
	const char *name = path;
	uint8_t master[32];
	EVP_MD_CTX *md;
	int ok;

	*out = NULL;
	if (name == NULL && (name = getenv("MINDL_SOFTKEY")) == NULL)
		name = "a";
	if (nkeys == MAX_KEYS)
		return MINDL_ERR_FIDO;
	if (nkeys == 0)
		atexit(free_keys);
	/* master = SHA-256(context || name): a fixed test key per name. */
	ok = (md = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
	    EVP_DigestUpdate(md, ctx, sizeof(ctx)) == 1 &&
	    EVP_DigestUpdate(md, name, strlen(name)) == 1 &&
	    EVP_DigestFinal_ex(md, master, NULL) == 1;
	EVP_MD_CTX_free(md);
	if (!ok || softauth_new(SOFTAUTH_HID, &sa) != 0)
		return MINDL_ERR_FIDO;
	softauth_set_master(sa, master);
	OPENSSL_cleanse(master, sizeof(master));
	softauth_set_fault(sa, fault());
	/* It must outlive the fido_dev_t: freed at exit. */
	keys[nkeys++] = sa;
	return mindl_fido_dev_open_with(softauth_open, sa, out);
}
