/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: the portrait allow-list (mindl_jpeg_check), which the
 * issuer applies to the portrait file and the verifier to every portrait
 * it receives.  An accepted input must have the shape the rule promises:
 * SOI, a JFIF APP0 right after it, EOI as its last two bytes, and a
 * reason given exactly when it is refused.
 */
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_jpeg_fault f;
	int r;

	memset(&f, 0xa5, sizeof(f));
	r = mindl_jpeg_check(data, size, &f);
	if ((r == MINDL_OK) != (f.why == NULL))
		fuzz_fatal("mindl_jpeg_check", "reason and result disagree");
	if (r != MINDL_OK && (f.at > size ||
	    mindl_jpeg_marker_name(f.marker) == NULL))
		fuzz_fatal("mindl_jpeg_check", "fault outside the input");
	if (r != MINDL_OK) {
		if (r != MINDL_ERR_PORTRAIT)
			fuzz_fatal("mindl_jpeg_check", mindl_errname(r));
		return 0;
	}
	if (size < 24 || data[0] != 0xff || data[1] != 0xd8 ||
	    data[2] != 0xff || data[3] != 0xe0 ||
	    memcmp(data + 6, "JFIF", 5) != 0 ||
	    data[size - 2] != 0xff || data[size - 1] != 0xd9)
		fuzz_fatal("mindl_jpeg_check", "accepted a malformed shape");
	return 0;
}
