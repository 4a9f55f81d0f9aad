/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: mindl_qr_text_decode, the reader of QR text (scanned,
 * or typed by a keyboard-wedge scanner).  A refusal must be
 * MINDL_ERR_QR or MINDL_ERR_TOO_LARGE with nothing appended.  Accepted
 * text must start with the prefix, hold canonical base45 (decoding and
 * encoding it again gives the same characters) and inflate to 1 to
 * MINDL_QR_MAX_INFLATED bytes, which must round-trip through
 * mindl_qr_text_encode (unless mindl's own zlib makes text too long for
 * any symbol) and decode the same with a smaller output cap refused.
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
	struct mindl_buf c, t, z, c2;
	size_t n = size;
	int r;

	mindl_buf_init(&c, 1 << 20);
	r = mindl_qr_text_decode(data, size, &c);
	if (r != MINDL_OK) {
		if (r != MINDL_ERR_QR && r != MINDL_ERR_TOO_LARGE)
			fuzz_fatal("mindl_qr_text_decode", mindl_errname(r));
		if (mindl_buf_len(&c) != 0)
			fuzz_fatal("mindl_qr_text_decode",
			    "output after a refusal");
		mindl_buf_clear(&c);
		return 0;
	}
	if (mindl_buf_len(&c) < 1 || mindl_buf_len(&c) > MINDL_QR_MAX_INFLATED)
		fuzz_fatal("mindl_qr_text_decode", "inflated size");
	/* One line ending at most, then the prefix and base45. */
	if (n >= 2 && data[n - 2] == '\r' && data[n - 1] == '\n')
		n -= 2;
	else if (n >= 1 && (data[n - 1] == '\r' || data[n - 1] == '\n'))
		n--;
	if (n < MINDL_QR_PREFIX_LEN || n > MINDL_QR_MAX_TEXT ||
	    memcmp(data, MINDL_QR_PREFIX, MINDL_QR_PREFIX_LEN) != 0)
		fuzz_fatal("mindl_qr_text_decode", "accepted without prefix");
	mindl_buf_init(&z, 1 << 20);
	mindl_buf_init(&t, 1 << 20);
	if (mindl_qr_base45_decode(data + MINDL_QR_PREFIX_LEN,
	    n - MINDL_QR_PREFIX_LEN, &z) != MINDL_OK ||
	    mindl_qr_base45_encode(mindl_buf_ptr(&z), mindl_buf_len(&z),
	    &t) != MINDL_OK || mindl_buf_len(&t) != n - MINDL_QR_PREFIX_LEN ||
	    memcmp(mindl_buf_ptr(&t), data + MINDL_QR_PREFIX_LEN,
	    mindl_buf_len(&t)) != 0)
		fuzz_fatal("mindl_qr_base45", "not canonical");
	mindl_buf_clear(&t);
	mindl_buf_clear(&z);

	r = mindl_qr_text_encode(mindl_buf_ptr(&c), mindl_buf_len(&c), &t);
	if (r != MINDL_OK && r != MINDL_ERR_TOO_LARGE)
		fuzz_fatal("mindl_qr_text_encode", mindl_errname(r));
	if (r == MINDL_OK) {
		mindl_buf_init(&c2, MINDL_QR_MAX_INFLATED);
		if (mindl_qr_text_decode(mindl_buf_ptr(&t), mindl_buf_len(&t),
		    &c2) != MINDL_OK || mindl_buf_len(&c2) !=
		    mindl_buf_len(&c) || memcmp(mindl_buf_ptr(&c2),
		    mindl_buf_ptr(&c), mindl_buf_len(&c)) != 0)
			fuzz_fatal("mindl_qr_text_encode", "round trip");
		mindl_buf_clear(&c2);
	}
	mindl_buf_clear(&t);
	/* A cap one byte short: refused, and nothing appended. */
	mindl_buf_init(&c2, mindl_buf_len(&c) - 1);
	if (mindl_qr_text_decode(data, size, &c2) != MINDL_ERR_TOO_LARGE ||
	    mindl_buf_len(&c2) != 0)
		fuzz_fatal("mindl_qr_text_decode", "output cap");
	mindl_buf_clear(&c2);
	mindl_buf_clear(&c);
	return 0;
}
