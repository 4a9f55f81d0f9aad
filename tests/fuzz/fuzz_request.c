/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: request files (mindl_request_parse) and everything a
 * holder reads from one, including the session transcript it builds.
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_request *q = NULL;
	const char *ns, *id;
	uint8_t *st = NULL;
	size_t i, stlen = 0;
	int retain;

	if (mindl_request_parse(data, size, &q) != MINDL_OK)
		return 0;
	(void)mindl_request_profile(q);
	(void)mindl_request_doctype(q);
	for (i = 0; i < mindl_request_count(q); i++) {
		mindl_request_element(q, i, &ns, &id, &retain);
		(void)mindl_element_forbidden(id);
	}
	{
		/* what mindl_verify_response derives from the pair */
		static const uint8_t resp[] = { 0xa3, 0x61, 0x76, 0x01, 0x70,
		    'd', 'e', 'v', 'i', 'c', 'e', 'E', 'n', 'g', 'a', 'g', 'e',
		    'm', 'e', 'n', 't', 0x41, 0xa0, 0x6e, 'd', 'e', 'v', 'i',
		    'c', 'e', 'R', 'e', 's', 'p', 'o', 'n', 's', 'e', 0xa0 };

		if (mindl_transcript_from_files(q, resp, sizeof(resp), &st,
		    &stlen) == MINDL_OK)
			free(st);
	}
	mindl_request_free(&q);
	return 0;
}
