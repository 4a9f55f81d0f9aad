/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: a VICAL (ISO 18013-5 Annex C) as downloaded: read
 * without a signature check (mindl_vical_parse, which reaches every
 * entry and certificate), and opened against the AAMVA DTS root at the
 * 2025-11-18 list's date (mindl_vical_open).  Seeds: the real lists of
 * tests/data/vical/.
 */
#include <stdio.h>

#include "fuzz.h"
#include "mindl/vical.h"

#define NOV_AT	INT64_C(1763491092)	/* 2025-11-18T18:38:12Z */

static uint8_t *anchor;
static size_t anchorlen;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int r;

	(void)argc;
	(void)argv;
	if ((r = mindl_x509_read_pem("tests/data/vical/aamva-dts-root-ca.pem",
	    &anchor, &anchorlen)) != MINDL_OK)
		fuzz_fatal("tests/data/vical/aamva-dts-root-ca.pem",
		    mindl_errname(r));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_vical *v = NULL;
	const struct mindl_vical_entry *e;
	size_t i;
	uint64_t id;

	if (anchor == NULL)
		LLVMFuzzerInitialize(NULL, NULL);
	if (mindl_vical_parse(data, size, &v) == MINDL_OK) {
		for (i = 0; i < mindl_vical_count(v); i++) {
			e = mindl_vical_at(v, i);
			if (e->der == NULL || e->len == 0 ||
			    strlen(e->doctypes) == 0)
				__builtin_trap();
		}
		(void)mindl_vical_issue_id(v, &id);
		(void)strlen(mindl_vical_provider(v));
		mindl_vical_free(&v);
	}
	if (mindl_vical_open(data, size, anchor, anchorlen, NOV_AT, &v) ==
	    MINDL_OK)
		mindl_vical_free(&v);
	return 0;
}
