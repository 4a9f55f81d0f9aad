/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: mindl_qr_scan, which reads a photograph or screenshot
 * (PNG through libpng, JPEG through libjpeg) and hands it to zbar.  A
 * refusal must be MINDL_ERR_QR_NOT_FOUND, MINDL_ERR_UNSUPPORTED (neither
 * PNG nor JPEG) or MINDL_ERR_TOO_LARGE with nothing appended; bytes
 * without a PNG signature or a JPEG SOI are always MINDL_ERR_UNSUPPORTED.
 * Text a scan finds goes on to mindl_qr_text_decode, as a verifier's
 * would.
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
	struct mindl_buf t, c;
	int r, image;

	image = (size >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0) ||
	    (size >= 3 && data[0] == 0xff && data[1] == 0xd8 &&
	    data[2] == 0xff);
	mindl_buf_init(&t, 1 << 16);
	r = mindl_qr_scan(data, size, &t);
	if (r != MINDL_OK) {
		if (r != MINDL_ERR_QR_NOT_FOUND && r != MINDL_ERR_UNSUPPORTED &&
		    r != MINDL_ERR_TOO_LARGE)
			fuzz_fatal("mindl_qr_scan", mindl_errname(r));
		if ((r == MINDL_ERR_UNSUPPORTED) == image)
			fuzz_fatal("mindl_qr_scan", "image kind");
		if (mindl_buf_len(&t) != 0)
			fuzz_fatal("mindl_qr_scan", "output after a refusal");
		mindl_buf_clear(&t);
		return 0;
	}
	if (!image)
		fuzz_fatal("mindl_qr_scan", "scanned what is not an image");
	mindl_buf_init(&c, MINDL_QR_MAX_INFLATED);
	r = mindl_qr_text_decode(mindl_buf_ptr(&t), mindl_buf_len(&t), &c);
	if (r != MINDL_OK && r != MINDL_ERR_QR && r != MINDL_ERR_TOO_LARGE)
		fuzz_fatal("mindl_qr_text_decode", mindl_errname(r));
	mindl_buf_clear(&c);
	mindl_buf_clear(&t);
	return 0;
}
