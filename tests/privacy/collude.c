/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The collusion test's attacker (tests/privacy/registry.sh): it holds the
 * registry database, its secret, and the status index of one MSO a
 * verifier saw.  The registry's own interface is all it needs; the only
 * way from an index to a licence is to guess document numbers, one
 * scrypt per guess.
 *
 *   collude DB SECRET IDX CANDIDATES
 *
 * tries each line of CANDIDATES in order and prints one JSON object:
 * {"found": NUMBER or null, "tried": N, "kdf_runs": K, "seconds_per_kdf": S}.
 * Exit 0 when found, 1 when not, 2 on error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mindl/mindl.h"
#include "../../issuer/registry.h"

int
main(int argc, char **argv)
{
	struct registry *r = NULL;
	struct reg_licence l;
	struct timespec t0, t1;
	char err[512], line[256], found[256] = "";
	unsigned long long idx;
	unsigned long tried = 0;
	uint64_t kdf;
	double secs;
	FILE *f;
	int rc, has = 0;

	if (argc != 5) {
		fprintf(stderr, "usage: collude DB SECRET IDX CANDIDATES\n");
		return 2;
	}
	idx = strtoull(argv[3], NULL, 10);
	if ((rc = reg_open(argv[1], argv[2], &r, err, sizeof(err))) !=
	    MINDL_OK) {
		fprintf(stderr, "collude: %s: %s\n", argv[1], err);
		return 2;
	}
	if ((f = fopen(argv[4], "r")) == NULL) {
		perror(argv[4]);
		reg_close(&r);
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!has && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		tried++;
		if (reg_licence_keys(r, line, &l) != MINDL_OK)
			continue;
		if ((has = reg_licence_has_index(r, &l, idx)) < 0) {
			fprintf(stderr, "collude: %s\n", reg_errmsg(r));
			has = 0;
		}
		if (has)
			snprintf(found, sizeof(found), "%s", line);
		reg_licence_clear(&l);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fclose(f);
	kdf = reg_kdf_count(r);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("{\"found\":%s%s%s,\"tried\":%lu,\"kdf_runs\":%llu,"
	    "\"seconds_per_kdf\":%.6f}\n", has ? "\"" : "", has ? found :
	    "null", has ? "\"" : "", tried,
	    (unsigned long long)kdf, kdf > 0 ? secs / (double)kdf : 0.0);
	reg_close(&r);
	return has ? 0 : 1;
}
