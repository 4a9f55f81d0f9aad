/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: mindl-audit's readers of hostile files: feature
 * extraction (credential, response, DeviceResponse) and the link finder
 * over the input against itself (every token then links).
 */
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_audit_fv *fv = NULL;
	struct mindl_audit_links *l = NULL;
	size_t n = 0, i;

	if (mindl_audit_extract(data, size, &fv, &n) == MINDL_OK)
		mindl_audit_fv_free(&fv, n);
	if (mindl_audit_links_new(&l) != MINDL_OK)
		return 0;
	if (mindl_audit_links_add(l, data, size) == MINDL_OK &&
	    mindl_audit_links_add(l, data, size) == MINDL_OK &&
	    mindl_audit_links_run(l) == MINDL_OK)
		for (i = 0; i < mindl_audit_links_count(l); i++)
			(void)mindl_audit_links_at(l, i);
	mindl_audit_links_free(&l);
	return 0;
}
