/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the portrait thumbnail of a purpose credential (see mindl/jpeg.h):
 * the adapter for libjpeg-turbo's compressor.
 *
 * The thumbnail is made, not copied: the portrait is decoded to pixels
 * (mindl_jpeg_decode, with its caps), scaled down to fit the box, turned
 * to grey, and those pixels alone are encoded again.  The compressor is
 * told to write a JFIF header and nothing else, so no byte of the input
 * beyond its pixels (EXIF, XMP, ICC, comments, quantization tables that
 * name a camera) can reach the output by construction; mindl_jpeg_check
 * then confirms it.  Same input, same output: the quality a function of
 * the pixels alone, the exact integer DCT, Huffman tables optimised by a
 * deterministic pass.
 *
 * libjpeg's errors longjmp back to guarded(), as in jpeg_decode.c; the
 * output goes into a fixed buffer of struct enc (no realloc that would
 * leave unwiped copies), which a thumbnail cannot outgrow.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>	/* before jpeglib.h, which uses FILE */
#include <string.h>

#include <jerror.h>
#include <jpeglib.h>

#include "mindl/buf.h"
#include "mindl/err.h"
#include "mindl/jpeg.h"
#include "mindl/key.h"
#include "internal.h"

struct enc {
	struct jpeg_compress_struct	 ci;
	struct jpeg_error_mgr		 jerr;
	struct jpeg_destination_mgr	 dest;
	jmp_buf				 jb;
	int				 created;
	int				 r;
	const uint8_t			*px;	/* grey rows, w bytes each */
	unsigned			 w, h;
	int				 quality;
	uint8_t				 out[MINDL_JPEG_THUMB_MAX];
};

static void tjerr_exit(j_common_ptr) __attribute__((noreturn));

static void
tjerr_exit(j_common_ptr ci)
{
	struct enc *e = ci->client_data;
	char msg[JMSG_LENGTH_MAX];

	(*ci->err->format_message)(ci, msg);
	mindl_log_debug("jpeg: libjpeg: %s", msg);
	e->r = ci->err->msg_code == JERR_OUT_OF_MEMORY ? MINDL_ERR_NOMEM :
	    MINDL_ERR_INTERNAL;
	longjmp(e->jb, 1);
}

/* The compressor warns about nothing an input could cause: drop it. */
static void
tjerr_emit(j_common_ptr ci, int level)
{
	(void)ci;
	(void)level;
}

static void
tjerr_output(j_common_ptr ci)
{
	(void)ci;
}

static void
dest_init(j_compress_ptr ci)
{
	struct enc *e = ci->client_data;

	ci->dest->next_output_byte = e->out;
	ci->dest->free_in_buffer = sizeof(e->out);
}

/* The buffer is full: more than any thumbnail of the box can need. */
static boolean
dest_full(j_compress_ptr ci)
{
	struct enc *e = ci->client_data;

	mindl_log_debug("jpeg: thumbnail over %d bytes", MINDL_JPEG_THUMB_MAX);
	e->r = MINDL_ERR_TOO_LARGE;
	longjmp(e->jb, 1);
}

static void
dest_term(j_compress_ptr ci)
{
	(void)ci;
}

static int
body(struct enc *e)
{
	struct jpeg_compress_struct *ci = &e->ci;
	JSAMPROW row[1];

	jpeg_create_compress(ci);
	e->created = 1;
	ci->client_data = e;
	ci->mem->max_memory_to_use = MINDL_JPEG_MAX_MEM;
	e->dest.init_destination = dest_init;
	e->dest.empty_output_buffer = dest_full;
	e->dest.term_destination = dest_term;
	ci->dest = &e->dest;
	ci->image_width = e->w;
	ci->image_height = e->h;
	ci->input_components = 1;
	ci->in_color_space = JCS_GRAYSCALE;
	jpeg_set_defaults(ci);
	jpeg_set_colorspace(ci, JCS_GRAYSCALE);
	/* Baseline: 8-bit quantizers, SOF0, one sequential scan. */
	jpeg_set_quality(ci, e->quality, TRUE);
	ci->dct_method = JDCT_ISLOW;	/* exact integers: the same bytes */
	ci->optimize_coding = TRUE;	/* smaller DHT, one more pass */
	ci->restart_interval = 0;
	ci->restart_in_rows = 0;
	/*
	 * A plain JFIF header (version 1.01, no density, no thumbnail) and
	 * no other marker: no Adobe APP14, and jpeg_write_marker is never
	 * called, so no comment or APPn can be written.
	 */
	ci->write_JFIF_header = TRUE;
	ci->JFIF_major_version = 1;
	ci->JFIF_minor_version = 1;
	ci->density_unit = 0;
	ci->X_density = 1;
	ci->Y_density = 1;
	ci->write_Adobe_marker = FALSE;
	jpeg_start_compress(ci, TRUE);
	while (ci->next_scanline < e->h) {
		/* libjpeg does not write through its row pointers. */
		row[0] = (JSAMPROW)(uintptr_t)(e->px +
		    (size_t)ci->next_scanline * e->w);
		if (jpeg_write_scanlines(ci, row, 1) != 1)
			return MINDL_ERR_INTERNAL;
	}
	jpeg_finish_compress(ci);
	return MINDL_OK;
}

static int
guarded(struct enc *e)
{
	if (setjmp(e->jb) != 0)
		return e->r;
	return body(e);
}

/* One encoding of e's pixels at e->quality into e->out; its length. */
static int
encode(struct enc *e, size_t *n)
{
	int r;

	memset(&e->ci, 0, sizeof(e->ci));
	memset(&e->jerr, 0, sizeof(e->jerr));
	memset(&e->dest, 0, sizeof(e->dest));
	e->created = 0;
	e->ci.err = jpeg_std_error(&e->jerr);
	e->jerr.error_exit = tjerr_exit;
	e->jerr.emit_message = tjerr_emit;
	e->jerr.output_message = tjerr_output;
	e->ci.client_data = e;
	r = guarded(e);
	if (e->created)
		jpeg_destroy_compress(&e->ci);
	*n = r == MINDL_OK ? sizeof(e->out) - e->dest.free_in_buffer : 0;
	return r;
}

int
mindl_jpeg_thumbnail(const uint8_t *jpeg, size_t len, struct mindl_buf *out)
{
	struct mindl_buf px;
	struct enc *e = NULL;
	size_t n = 0;
	unsigned w = 0, h = 0;
	int r;

	if (jpeg == NULL || out == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(out)) != MINDL_OK)
		return r;
	mindl_buf_init(&px, (size_t)MINDL_JPEG_THUMB_W * MINDL_JPEG_THUMB_H);
	if ((r = mindl_jpeg_decode(jpeg, len, MINDL_JPEG_THUMB_W,
	    MINDL_JPEG_THUMB_H, MINDL_JPEG_GREY, &px, &w, &h)) != MINDL_OK)
		goto out;
	if ((e = mindl_calloc(1, sizeof(*e))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	e->px = mindl_buf_ptr(&px);
	e->w = w;
	e->h = h;
	/*
	 * A busy picture (hair, a patterned shirt) is lowered in quality
	 * until it fits the target, so that the whole credential still fits
	 * one printed code; the floor is taken whatever its size.
	 */
	for (e->quality = MINDL_JPEG_THUMB_QUALITY; ; e->quality -= 5) {
		if ((r = encode(e, &n)) != MINDL_OK)
			goto out;
		if (n <= MINDL_JPEG_THUMB_TARGET ||
		    e->quality - 5 < MINDL_JPEG_THUMB_QUALITY_MIN)
			break;
	}
	/* By construction; checked as every verifier will check it. */
	if (NEVER(mindl_jpeg_check(e->out, n, NULL) != MINDL_OK)) {
		r = MINDL_ERR_INTERNAL;
		goto out;
	}
	r = mindl_buf_add(out, e->out, n);
 out:
	if (r != MINDL_OK)
		mindl_log_debug("%s: %s", __func__, mindl_errname(r));
	if (e != NULL)
		mindl_freezero(e, sizeof(*e));
	mindl_buf_clear(&px);
	return r;
}
