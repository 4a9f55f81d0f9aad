/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: mindl_jpeg_decode and mindl_jpeg_halfblocks, the one
 * place libjpeg reads outside bytes (a portrait a verifier received).
 * The input is the JPEG, decoded into a few boxes and formats and
 * rendered as terminal text.  A refusal must be MINDL_ERR_PORTRAIT with
 * nothing appended and zero sizes; an image must fit its box with
 * exactly its pixels; the text must be SGR sequences, U+2580 and
 * newlines only, of the lines and width the decoded image implies, and
 * rendering must succeed exactly when decoding into the same box does.
 */
#include "fuzz.h"
#include "../common/testjpeg.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Decodes into max_w x max_h; returns the result, sizes in *w, *h. */
static int
decode(const uint8_t *data, size_t size, unsigned max_w, unsigned max_h,
    unsigned fmt, unsigned *w, unsigned *h)
{
	struct mindl_buf px;
	int r;

	mindl_buf_init(&px, (size_t)max_w * max_h * fmt);
	r = mindl_jpeg_decode(data, size, max_w, max_h, fmt, &px, w, h);
	if (r != MINDL_OK && r != MINDL_ERR_PORTRAIT)
		fuzz_fatal("mindl_jpeg_decode", mindl_errname(r));
	if (r != MINDL_OK && (*w != 0 || *h != 0 || mindl_buf_len(&px) != 0))
		fuzz_fatal("mindl_jpeg_decode", "output after a refusal");
	if (r == MINDL_OK && (*w < 1 || *w > max_w || *h < 1 || *h > max_h ||
	    mindl_buf_len(&px) != (size_t)*w * *h * fmt))
		fuzz_fatal("mindl_jpeg_decode", "size outside the box");
	mindl_buf_clear(&px);
	return r;
}

static void
render(const uint8_t *data, size_t size, unsigned cols, unsigned rows)
{
	struct mindl_buf out;
	unsigned w = 0, h = 0, widest = 0;
	int r, rd, lines;

	rd = decode(data, size, cols, 2 * rows, MINDL_JPEG_RGB, &w, &h);
	mindl_buf_init(&out, 1 << 20);
	r = mindl_jpeg_halfblocks(data, size, cols, rows, &out);
	if (r != rd)
		fuzz_fatal("mindl_jpeg_halfblocks", "disagrees with decode");
	if (r != MINDL_OK) {
		if (mindl_buf_len(&out) != 0)
			fuzz_fatal("mindl_jpeg_halfblocks",
			    "output after a refusal");
	} else {
		lines = test_halfblocks_lines(mindl_buf_ptr(&out),
		    mindl_buf_len(&out), cols, rows, &widest);
		if (lines != (int)(h + 1) / 2 || widest != w)
			fuzz_fatal("mindl_jpeg_halfblocks",
			    "text not of the promised shape");
	}
	mindl_buf_clear(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned w = 0, h = 0, w1 = 0, h1 = 0;
	int r;

	/* Up to 256x256 (the small seeds at full size), RGB and grey. */
	r = decode(data, size, 256, 256, MINDL_JPEG_RGB, &w, &h);
	if (decode(data, size, 256, 256, MINDL_JPEG_GREY, &w1, &h1) != r ||
	    w1 != w || h1 != h)
		fuzz_fatal("mindl_jpeg_decode", "grey and RGB disagree");
	/* A QR thumbnail's kind of box, and terminals wide and narrow. */
	(void)decode(data, size, 7, 3, MINDL_JPEG_GREY, &w, &h);
	render(data, size, 40, 40);
	render(data, size, 3, 1);
	return 0;
}
