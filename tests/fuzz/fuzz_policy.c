/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: a DMV's policy file (mindl_schema_site_policy) over the
 * built-in schema.  A file that loads must leave the credential's shape
 * as the build has it (privacy rule 2) and name a jurisdiction of its
 * country; a refusal must be MINDL_ERR_CONFIG with a message.
 */
#include "fuzz.h"

static struct mindl_policy shape;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct mindl_schema *s = NULL;
	int r;

	(void)argc;
	(void)argv;
	if ((r = mindl_schema_builtin(&s)) != MINDL_OK)
		fuzz_fatal("mindl_schema_builtin", mindl_errname(r));
	shape = *mindl_schema_policy(s);
	mindl_schema_free(&s);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_schema *s = NULL;
	const struct mindl_policy *p;
	char err[512];
	int r;

	if (shape.n_ns == 0)
		LLVMFuzzerInitialize(NULL, NULL);
	if ((r = mindl_schema_builtin(&s)) != MINDL_OK)
		fuzz_fatal("mindl_schema_builtin", mindl_errname(r));
	err[0] = '\0';
	r = mindl_schema_site_policy(s, (const char *)data, size, "fuzz.json",
	    err, sizeof(err));
	p = mindl_schema_policy(s);
	if (r != MINDL_OK) {
		if ((r != MINDL_ERR_CONFIG && r != MINDL_ERR_NOMEM) ||
		    (r == MINDL_ERR_CONFIG && err[0] == '\0'))
			fuzz_fatal("refusal", mindl_errname(r));
	} else {
		if (p->jurisdiction == NULL ||
		    strncmp(p->jurisdiction, p->issuing_country, 2) != 0 ||
		    p->jurisdiction[2] != '-')
			fuzz_fatal("jurisdiction", "not of the country");
		if (p->n_age_over != shape.n_age_over ||
		    memcmp(p->age_over, shape.age_over,
		    sizeof(shape.age_over)) != 0 || p->n_ns != shape.n_ns ||
		    memcmp(p->digests, shape.digests,
		    sizeof(shape.digests)) != 0)
			fuzz_fatal("shape", "changed by a policy file");
		if (p->mso_days < 1 || p->licence_years < 1)
			fuzz_fatal("validity", "out of range");
	}
	mindl_schema_free(&s);
	return 0;
}
