/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: DMV records (JSON) against the built-in schema and policy
 * (mindl_record_parse), as the issuance desk receives them.
 */
#include "fuzz.h"
#include "../common/testlib.h"

static struct mindl_schema *schema;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int r;

	(void)argc;
	(void)argv;
	if ((r = mindl_schema_builtin(&schema)) != MINDL_OK)
		fuzz_fatal("mindl_schema_builtin", mindl_errname(r));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_record *rec = NULL;
	const struct mindl_element *el;
	char err[256];
	size_t i;

	if (schema == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (mindl_record_parse(schema, (const char *)data, size, test_jpeg,
	    sizeof(test_jpeg), FUZZ_NEG_T0, &rec, err, sizeof(err)) !=
	    MINDL_OK)
		return 0;
	for (i = 0; i < mindl_record_count(rec); i++) {
		struct mindl_cbor *doc = NULL;

		el = mindl_record_element(rec, i);
		/* every element value the issuer would sign is strict CBOR */
		if (mindl_cbor_decode(el->value, el->valuelen, &doc) !=
		    MINDL_OK)
			fuzz_fatal("record element not strict CBOR", el->id);
		if (mindl_element_forbidden(el->id))
			fuzz_fatal("forbidden element accepted", el->id);
		mindl_cbor_free(&doc);
	}
	(void)mindl_record_expiry_day(rec);
	mindl_record_free(&rec);
	return 0;
}
