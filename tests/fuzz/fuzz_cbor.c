/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: strict CBOR decoding (mindl_cbor_decode), a walk of the
 * item tree through the public accessors, and the JSON rendering the
 * tools print (mindl_value_json).
 */
#include "fuzz.h"
#include "../common/testlib.h"

static void
walk(const struct mindl_cbor_item *it, int depth)
{
	const struct mindl_cbor_item *c;
	int64_t v;
	uint64_t i, n;

	if (it == NULL || depth > MINDL_MAX_DEPTH + 1)
		return;
	(void)mindl_cbor_int(it, &v);
	(void)mindl_cbor_is_str(it, "docType");
	(void)mindl_cbor_untag(it, 24);
	(void)mindl_cbor_untag(it, 0);
	(void)mindl_cbor_map_get(it, "version");
	(void)mindl_cbor_map_get_int(it, 1);
	switch (it->type) {
	case MINDL_CBOR_ARRAY:
		n = it->u;
		break;
	case MINDL_CBOR_MAP:
		n = it->u * 2;
		break;
	case MINDL_CBOR_TAG:
		n = 1;
		break;
	default:
		return;
	}
	for (i = 0, c = mindl_cbor_child(it); i < n && c != NULL; i++) {
		walk(c, depth + 1);
		c = mindl_cbor_next(c);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_cbor *doc = NULL;
	char *json = NULL;

	if (mindl_cbor_decode(data, size, &doc) != MINDL_OK)
		return 0;
	walk(mindl_cbor_root(doc), 0);
	if (test_value_json(mindl_cbor_root(doc), &json) == MINDL_OK)
		free(json);
	mindl_cbor_free(&doc);
	return 0;
}
