/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: QR codes as images (see mindl/qr.h): PNG written and read with
 * libpng, JPEG read with libjpeg (jpeg_decode.c), QR codes found with
 * zbar.  The adapter for libpng and zbar: the only file that includes
 * png.h or zbar.h.
 *
 * libpng reports a fatal error through its error callback, which must
 * not return: here it logs and longjmps to the setjmp of write_guarded()
 * or read_guarded(), and the caller of those frees everything, from the
 * png structs and from struct pngio, which lives outside the guarded
 * frame (so that nothing read after the longjmp is an indeterminate
 * local, C11 7.13.2.1).  libpng allocates through mindl_malloc, so fault
 * injection reaches it, and an allocation that failed is told apart from
 * a damaged image.  Nothing goes to stderr.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zbar.h>

#include "mindl/buf.h"
#include "mindl/err.h"
#include "mindl/jpeg.h"
#include "mindl/key.h"
#include "mindl/qr.h"
#include "internal.h"

/* libpng's caps on what one image may make it allocate. */
#define PNG_CHUNK_CACHE_MAX	32		/* ancillary chunks kept */
#define PNG_CHUNK_MALLOC_MAX	(256 * 1024)	/* one chunk, inflated */

_Static_assert(MINDL_JPEG_MAX_DIM == MINDL_QR_MAX_DIM,
    "a JPEG is decoded at full size");

static const uint8_t png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
    '\n' };

struct pngio {
	/* Writing. */
	struct mindl_buf	*out;
	/* Reading. */
	const uint8_t		*in;
	size_t			 inlen, off;
	png_bytep		*rows;
	/* Both: a row, and whether an allocation failed. */
	uint8_t			*row;
	size_t			 rowlen;
	int			 oom;
};

static void png_fail(png_structp, png_const_charp) __attribute__((noreturn));

static void
png_fail(png_structp png, png_const_charp msg)
{
	mindl_log_debug("png: libpng: %s", msg);
	png_longjmp(png, 1);
}

/* Warnings (a bad ancillary chunk, which libpng skips) are logged only. */
static void
png_warn(png_structp png, png_const_charp msg)
{
	(void)png;
	mindl_log_debug("png: libpng warns: %s", msg);
}

static png_voidp
png_mem_alloc(png_structp png, png_alloc_size_t n)
{
	struct pngio *io = png_get_mem_ptr(png);
	void *p;

	if ((p = mindl_malloc(n)) == NULL && io != NULL)
		io->oom = 1;
	return p;
}

static void
png_mem_free(png_structp png, png_voidp p)
{
	(void)png;
	free(p);
}

/* After a longjmp: why. */
static int
png_why(const struct pngio *io, int otherwise)
{
	if (io->oom)
		return MINDL_ERR_NOMEM;
	if (io->out != NULL && mindl_buf_err(io->out) != MINDL_OK)
		return mindl_buf_err(io->out);
	return otherwise;
}

static void
png_write_cb(png_structp png, png_bytep p, size_t n)
{
	struct pngio *io = png_get_io_ptr(png);

	if (mindl_buf_add(io->out, p, n) != MINDL_OK)
		png_error(png, "output over its cap");
}

static void
png_flush_cb(png_structp png)
{
	(void)png;
}

static void
write_body(png_structp png, png_infop info, struct pngio *io,
    const struct mindl_qr *q, unsigned scale, unsigned quiet, unsigned depth)
{
	unsigned side = q == NULL ? 0 : mindl_qr_width(q) + 2 * quiet;
	unsigned w = side * scale, x, y, mx, my;
	int dark;

	png_set_write_fn(png, io, png_write_cb, png_flush_cb);
	png_set_IHDR(png, info, w, w, (int)depth, PNG_COLOR_TYPE_GRAY,
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	    PNG_FILTER_TYPE_DEFAULT);
	/*
	 * Rows of a QR code repeat (scale times each) and runs are long:
	 * no filter, and zlib at its default level, compress them as well
	 * as level 9 with filters does, many times faster.
	 */
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_compression_level(png, 6);
	png_write_info(png, info);
	io->rowlen = depth == 1 ? ((size_t)w + 7) / 8 : w;
	if ((io->row = mindl_malloc(io->rowlen)) == NULL) {
		io->oom = 1;
		png_error(png, "out of memory");
	}
	for (y = 0; y < w; y++) {
		/* Rows of one module are alike: build once, write scale times. */
		if (y % scale == 0) {
			my = y / scale;
			memset(io->row, 0xff, io->rowlen);
			for (x = 0; x < w; x++) {
				mx = x / scale;
				dark = mx >= quiet && my >= quiet &&
				    mindl_qr_dark(q, mx - quiet, my - quiet);
				if (!dark)
					continue;
				/* Grey: 0 is black; 1-bit: a 0 bit, MSB first. */
				if (depth == 1)
					io->row[x / 8] &=
					    (uint8_t)~(0x80u >> (x % 8));
				else
					io->row[x] = 0;
			}
		}
		png_write_row(png, io->row);
	}
	png_write_end(png, NULL);
}

static int
write_guarded(png_structp png, png_infop info, struct pngio *io,
    const struct mindl_qr *q, unsigned scale, unsigned quiet, unsigned depth)
{
	if (setjmp(png_jmpbuf(png)) != 0)
		return png_why(io, MINDL_ERR_INTERNAL);
	write_body(png, info, io, q, scale, quiet, depth);
	return MINDL_OK;
}

int
mindl_qr_png(const struct mindl_qr *q, unsigned scale, unsigned quiet,
    unsigned depth, struct mindl_buf *out)
{
	struct pngio io;
	png_structp png = NULL;
	png_infop info = NULL;
	size_t start;
	int r;

	if (q == NULL || out == NULL || scale < 1 ||
	    scale > MINDL_QR_MAX_SCALE || quiet > MINDL_QR_MAX_QUIET ||
	    (depth != 1 && depth != 8))
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(out)) != MINDL_OK)
		return r;
	start = mindl_buf_len(out);
	memset(&io, 0, sizeof(io));
	io.out = out;
	if ((png = png_create_write_struct_2(PNG_LIBPNG_VER_STRING, &io,
	    png_fail, png_warn, &io, png_mem_alloc, png_mem_free)) == NULL ||
	    (info = png_create_info_struct(png)) == NULL) {
		mindl_log_debug("%s: libpng structs", __func__);
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	r = write_guarded(png, info, &io, q, scale, quiet, depth);
 out:
	png_destroy_write_struct(&png, &info);
	free(io.row);
	if (r != MINDL_OK)
		mindl_buf_truncate(out, start);
	return r;
}

static void
png_read_cb(png_structp png, png_bytep p, size_t n)
{
	struct pngio *io = png_get_io_ptr(png);

	if (n > io->inlen - io->off)
		png_error(png, "cut short");
	memcpy(p, io->in + io->off, n);
	io->off += n;
}

/*
 * Reads the PNG into px as 8-bit grey, *w by *h.  Everything that may
 * longjmp; allocations are recorded in io (rows) or px (pixels, which
 * the caller clears).
 */
static int
read_body(png_structp png, png_infop info, struct pngio *io,
    struct mindl_buf *px, unsigned *w, unsigned *h)
{
	png_color_16 white;
	png_uint_32 pw, ph, y;
	uint8_t *dst;
	int depth, ctype, trns;

	png_set_read_fn(png, io, png_read_cb);
	png_set_user_limits(png, MINDL_QR_MAX_DIM, MINDL_QR_MAX_DIM);
	png_set_chunk_cache_max(png, PNG_CHUNK_CACHE_MAX);
	png_set_chunk_malloc_max(png, PNG_CHUNK_MALLOC_MAX);
	png_read_info(png, info);
	if (png_get_IHDR(png, info, &pw, &ph, &depth, &ctype, NULL, NULL,
	    NULL) != 1)
		return MINDL_ERR_QR_NOT_FOUND;

	/* Any colour type and depth to 8-bit grey, composed onto white. */
	trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
	if (ctype == PNG_COLOR_TYPE_PALETTE)
		png_set_palette_to_rgb(png);
	if (ctype == PNG_COLOR_TYPE_GRAY && depth < 8)
		png_set_expand_gray_1_2_4_to_8(png);
	if (trns)
		png_set_tRNS_to_alpha(png);
	if (depth == 16)
		png_set_strip_16(png);
	if ((ctype & PNG_COLOR_MASK_COLOR) != 0)
		png_set_rgb_to_gray_fixed(png, PNG_ERROR_ACTION_NONE, -1, -1);
	if ((ctype & PNG_COLOR_MASK_ALPHA) != 0 || trns) {
		/*
		 * A code drawn on a transparent background is often black
		 * under the transparency: without this it would vanish.
		 */
		memset(&white, 0, sizeof(white));
		white.red = white.green = white.blue = white.gray = 255;
		png_set_background_fixed(png, &white,
		    PNG_BACKGROUND_GAMMA_SCREEN, 0, PNG_FP_1);
	}
	(void)png_set_interlace_handling(png);
	png_read_update_info(png, info);
	if (png_get_bit_depth(png, info) != 8 ||
	    png_get_channels(png, info) != 1 ||
	    png_get_rowbytes(png, info) != pw) {
		mindl_log_debug("png: %d bits, %d channels after transforms",
		    png_get_bit_depth(png, info), png_get_channels(png, info));
		return MINDL_ERR_INTERNAL;
	}
	if ((io->rows = mindl_calloc(ph, sizeof(*io->rows))) == NULL ||
	    (dst = mindl_buf_reserve(px, (size_t)pw * ph)) == NULL) {
		io->oom = 1;
		return MINDL_ERR_NOMEM;
	}
	for (y = 0; y < ph; y++)
		io->rows[y] = dst + (size_t)y * pw;
	png_read_image(png, io->rows);
	/* To IEND: a file cut after its pixels is cut all the same. */
	png_read_end(png, NULL);
	mindl_buf_commit(px, (size_t)pw * ph);
	*w = pw;
	*h = ph;
	return MINDL_OK;
}

static int
read_guarded(png_structp png, png_infop info, struct pngio *io,
    struct mindl_buf *px, unsigned *w, unsigned *h)
{
	if (setjmp(png_jmpbuf(png)) != 0)
		return png_why(io, MINDL_ERR_QR_NOT_FOUND);
	return read_body(png, info, io, px, w, h);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int
png_grey(const uint8_t *img, size_t len, struct mindl_buf *px, unsigned *w,
    unsigned *h)
{
	struct pngio io;
	png_structp png = NULL;
	png_infop info = NULL;
	int r;

	/*
	 * The size, from IHDR (which must come first), to tell an image
	 * that is too large from a damaged one; libpng's user limits are
	 * the same and hold anyway.
	 */
	if (len >= 24 && memcmp(img + 12, "IHDR", 4) == 0 &&
	    (be32(img + 16) > MINDL_QR_MAX_DIM ||
	    be32(img + 20) > MINDL_QR_MAX_DIM)) {
		mindl_log_debug("png: %" PRIu32 "x%" PRIu32 ": over %d a side",
		    be32(img + 16), be32(img + 20), MINDL_QR_MAX_DIM);
		return MINDL_ERR_TOO_LARGE;
	}
	memset(&io, 0, sizeof(io));
	io.in = img;
	io.inlen = len;
	if ((png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, &io,
	    png_fail, png_warn, &io, png_mem_alloc, png_mem_free)) == NULL ||
	    (info = png_create_info_struct(png)) == NULL) {
		mindl_log_debug("png: libpng structs");
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	r = read_guarded(png, info, &io, px, w, h);
 out:
	png_destroy_read_struct(&png, &info, NULL);
	free(io.rows);
	return r;
}

/* The one QR code zbar finds in w x h grey pixels, appended to text. */
static int
zbar_find(const uint8_t *px, unsigned w, unsigned h, struct mindl_buf *text)
{
	zbar_image_scanner_t *sc = NULL;
	zbar_image_t *im = NULL;
	const zbar_symbol_t *s, *found = NULL;
	unsigned n = 0;
	int r = MINDL_ERR_INTERNAL, k;

	if ((sc = zbar_image_scanner_create()) == NULL ||
	    (im = zbar_image_create()) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	/*
	 * QR codes only; binary mode, so that zbar hands back the bytes
	 * without guessing a character set; an inverted code (light on
	 * dark, as a terminal shows it) is tried when nothing else is found.
	 */
	if (zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE,
	    0) != 0 ||
	    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE,
	    1) != 0 ||
	    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_BINARY,
	    1) != 0 ||
	    zbar_image_scanner_set_config(sc, ZBAR_NONE,
	    ZBAR_CFG_TEST_INVERTED, 1) != 0) {
		mindl_log_debug("zbar: configuration refused");
		goto out;
	}
	zbar_image_set_format(im, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(im, w, h);
	/* No cleanup handler: the pixels stay ours (and are wiped). */
	zbar_image_set_data(im, px, (unsigned long)w * h, NULL);
	if ((k = zbar_scan_image(sc, im)) < 0) {
		mindl_log_debug("zbar: scan failed");
		goto out;
	}
	for (s = zbar_image_first_symbol(im); s != NULL;
	    s = zbar_symbol_next(s)) {
		if (zbar_symbol_get_type(s) != ZBAR_QRCODE)
			continue;
		n++;
		found = s;
	}
	if (n != 1 || found == NULL) {
		mindl_log_debug("zbar: %u QR codes", n);
		r = MINDL_ERR_QR_NOT_FOUND;
		goto out;
	}
	r = mindl_buf_add(text, zbar_symbol_get_data(found),
	    zbar_symbol_get_data_length(found));
 out:
	if (im != NULL)
		zbar_image_destroy(im);
	if (sc != NULL)
		zbar_image_scanner_destroy(sc);
	return r;
}

int
mindl_qr_scan(const uint8_t *img, size_t len, struct mindl_buf *text)
{
	struct mindl_buf px;
	unsigned w = 0, h = 0;
	int r;

	if (img == NULL || text == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(text)) != MINDL_OK)
		return r;
	if (len > MINDL_QR_MAX_IMAGE) {
		mindl_log_debug("%s: %zu bytes", __func__, len);
		return MINDL_ERR_TOO_LARGE;
	}
	mindl_buf_init(&px, (size_t)MINDL_QR_MAX_DIM * MINDL_QR_MAX_DIM);
	if (len >= sizeof(png_sig) && memcmp(img, png_sig,
	    sizeof(png_sig)) == 0)
		r = png_grey(img, len, &px, &w, &h);
	else if (len >= 3 && img[0] == 0xff && img[1] == 0xd8 &&
	    img[2] == 0xff) {
		/* At full size (MINDL_JPEG_MAX_DIM is MINDL_QR_MAX_DIM). */
		r = mindl_jpeg_decode(img, len, MINDL_QR_MAX_DIM,
		    MINDL_QR_MAX_DIM, MINDL_JPEG_GREY, &px, &w, &h);
		if (r == MINDL_ERR_PORTRAIT)
			r = MINDL_ERR_QR_NOT_FOUND;
	} else {
		mindl_log_debug("%s: neither PNG nor JPEG", __func__);
		r = MINDL_ERR_UNSUPPORTED;
	}
	if (r == MINDL_OK)
		r = zbar_find(mindl_buf_ptr(&px), w, h, text);
	mindl_buf_clear(&px);
	return r;
}
