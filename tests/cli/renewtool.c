/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The desk's half of renewal for tests/cli/renewal.sh, without a
 * registry (mindl-issuer renew-challenge and renew need one):
 *   renewtool challenge OUT EXP          a challenge file expiring at EXP
 *   renewtool verify PROOF CH CRED NEW   mindl_renewal_proof_verify;
 *                                        prints the copy, or the error
 * Exit 0 on success, 1 on a refusal, 2 on usage or I/O problems.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/renewal.h"

static int
challenge(const char *out, const char *exps)
{
	uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN];
	struct mindl_buf b;
	char *end;
	long long exp = strtoll(exps, &end, 10);
	int r;

	if (*end != '\0')
		return 2;
	mindl_buf_init(&b, MINDL_RENEWAL_MAX_CHALLENGE);
	if ((r = mindl_random(ch, sizeof(ch))) == MINDL_OK &&
	    (r = mindl_renewal_challenge_write(ch, exp, &b)) == MINDL_OK)
		r = mindl_file_write(out, mindl_buf_ptr(&b), mindl_buf_len(&b),
		    MINDL_FILE_EXCL);
	mindl_buf_clear(&b);
	if (r != MINDL_OK) {
		fprintf(stderr, "renewtool: %s\n", mindl_errname(r));
		return 2;
	}
	return 0;
}

static int
verify(const char *proofp, const char *chp, const char *credp,
    const char *newp)
{
	struct mindl_key *keys[MINDL_MAX_BATCH];
	uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN];
	uint8_t *proof = NULL, *chb = NULL, *cred = NULL;
	size_t plen = 0, chlen = 0, credlen = 0, n = 0, copy = 0, i;
	int64_t exp;
	int r;

	memset(keys, 0, sizeof(keys));
	if ((r = mindl_file_read(proofp, MINDL_MAX_INPUT, &proof, &plen)) !=
	    MINDL_OK || (r = mindl_file_read(chp, MINDL_MAX_INPUT, &chb,
	    &chlen)) != MINDL_OK || (r = mindl_file_read(credp,
	    MINDL_MAX_INPUT, &cred, &credlen)) != MINDL_OK ||
	    (r = mindl_renewal_challenge_parse(chb, chlen, ch, &exp)) !=
	    MINDL_OK || (r = mindl_key_read_pem_all(newp, NULL, keys,
	    MINDL_MAX_BATCH, &n)) != MINDL_OK) {
		fprintf(stderr, "renewtool: %s\n", mindl_errname(r));
		r = 2;
		goto out;
	}
	if ((r = mindl_renewal_proof_verify(proof, plen, ch, cred, credlen,
	    (const struct mindl_key *const *)keys, n, &copy)) != MINDL_OK) {
		printf("%s\n", mindl_errname(r));
		r = 1;
		goto out;
	}
	printf("copy %zu\n", copy);
	r = 0;
 out:
	for (i = 0; i < MINDL_MAX_BATCH; i++)
		mindl_key_free(&keys[i]);
	free(proof);
	free(chb);
	free(cred);
	return r;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "challenge") == 0)
		return challenge(argv[2], argv[3]);
	if (argc == 6 && strcmp(argv[1], "verify") == 0)
		return verify(argv[2], argv[3], argv[4], argv[5]);
	fprintf(stderr, "usage: renewtool challenge OUT EXP | "
	    "verify PROOF CH CRED NEW.pub\n");
	return 2;
}
