/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: JPEG to pixels, and pixels to a terminal (see mindl/jpeg.h): the
 * adapter for libjpeg-turbo's decompressor; jpeg_thumb.c, for its
 * compressor, is the only other file that includes jpeglib.h.
 *
 * libjpeg reports a fatal error by calling error_exit, which by default
 * prints and calls exit(); here it longjmps back to guarded(), the one
 * setjmp, and everything it left is released by the caller of guarded()
 * from struct dec, which lives outside guarded()'s frame (so nothing it
 * reads after the longjmp is an indeterminate local, C11 7.13.2.1).
 */
#include <limits.h>
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

struct dec {
	struct jpeg_decompress_struct ci;
	struct jpeg_error_mgr	 jerr;
	struct jpeg_progress_mgr prog;
	jmp_buf			 jb;
	int			 created;	/* ci needs destroying */
	int			 r;		/* why we jumped */
	const uint8_t		*in;
	size_t			 inlen;
	unsigned		 max_w, max_h, fmt;
	unsigned		 tw, th;	/* the size we make */
	uint8_t			*row;		/* one row from libjpeg */
	size_t			 rowlen;
	uint64_t		*sum;		/* box row sums */
	size_t			 sumlen;	/* entries */
	uint8_t			*dst;		/* reserved in px */
	size_t			 dstlen;
};

static void jerr_exit(j_common_ptr) __attribute__((noreturn));

static void
jerr_exit(j_common_ptr ci)
{
	struct dec *d = ci->client_data;
	char msg[JMSG_LENGTH_MAX];

	(*ci->err->format_message)(ci, msg);
	mindl_log_debug("jpeg: libjpeg: %s", msg);
	/*
	 * The memory cap is enforced by libjpeg asking for backing store,
	 * which it does not have: that is the image's fault, not ours.
	 */
	d->r = ci->err->msg_code == JERR_OUT_OF_MEMORY ? MINDL_ERR_NOMEM :
	    MINDL_ERR_PORTRAIT;
	longjmp(d->jb, 1);
}

/*
 * Warnings (msg_level -1) are corrupt data that libjpeg would paper
 * over: a truncated scan comes out grey, a bad Huffman code as noise.
 * A portrait shown that way would still look like someone, so they are
 * fatal (as TurboJPEG's TJFLAG_STOPONWARNING makes them).  Trace
 * messages (levels 0 and up) are dropped: nothing goes to stderr.
 */
static void
jerr_emit(j_common_ptr ci, int level)
{
	if (level < 0)
		(*ci->err->error_exit)(ci);
}

static void
jerr_output(j_common_ptr ci)
{
	(void)ci;
}

/*
 * Every scan of a progressive JPEG is a pass over all coefficients: a
 * small file of many tiny scans costs a long time (libjpeg-turbo's
 * advice is this very check, as djpeg -maxscans does).
 */
static void
progress(j_common_ptr ci)
{
	struct dec *d = ci->client_data;
	j_decompress_ptr dci = (j_decompress_ptr)ci;

	if (ci->is_decompressor &&
	    dci->input_scan_number > MINDL_JPEG_MAX_SCANS) {
		mindl_log_debug("jpeg: more than %d scans",
		    MINDL_JPEG_MAX_SCANS);
		d->r = MINDL_ERR_PORTRAIT;
		longjmp(d->jb, 1);
	}
}

/*
 * The size that fits in max_w x max_h with w:h kept, rounded, at least 1
 * on each side; the image's own if it fits already (never scaled up).
 */
static void
fit(unsigned w, unsigned h, unsigned max_w, unsigned max_h, unsigned *tw,
    unsigned *th)
{
	uint64_t v;

	if (w <= max_w && h <= max_h) {
		*tw = w;
		*th = h;
	} else if ((uint64_t)w * max_h <= (uint64_t)h * max_w) {
		/* Height binds: w * max_h / h <= max_w. */
		*th = max_h;
		v = ((uint64_t)w * max_h + h / 2) / h;
		*tw = v < 1 ? 1 : (unsigned)v;
	} else {
		*tw = max_w;
		v = ((uint64_t)h * max_w + w / 2) / w;
		*th = v < 1 ? 1 : (unsigned)v;
	}
}

/* Writes box row ty of the output from the sums, and clears them. */
static void
emit_row(struct dec *d, unsigned ty, unsigned ys, unsigned ye)
{
	unsigned ow = d->ci.output_width, tx, xs, xe, c;
	uint8_t *o = d->dst + (size_t)ty * d->tw * d->fmt;
	uint64_t n;
	size_t k = 0;

	for (tx = 0; tx < d->tw; tx++) {
		xs = (unsigned)((uint64_t)tx * ow / d->tw);
		xe = (unsigned)((uint64_t)(tx + 1) * ow / d->tw);
		n = (uint64_t)(xe - xs) * (ye - ys);
		for (c = 0; c < d->fmt; c++, k++) {
			o[k] = (uint8_t)((d->sum[k] + n / 2) / n);
			d->sum[k] = 0;
		}
	}
}

/* Adds one row from libjpeg into the sums of its box row. */
static void
add_row(struct dec *d)
{
	unsigned ow = d->ci.output_width, tx, x, xe, c;
	const uint8_t *p = d->row;
	size_t k = 0;

	for (tx = 0, x = 0; tx < d->tw; tx++, k += d->fmt) {
		xe = (unsigned)((uint64_t)(tx + 1) * ow / d->tw);
		for (; x < xe; x++)
			for (c = 0; c < d->fmt; c++)
				d->sum[k + c] += *p++;
	}
}

/*
 * Everything that may longjmp.  Allocations are recorded in d as they
 * are made, so that whoever called guarded() can release them.
 */
static int
body(struct dec *d, struct mindl_buf *px)
{
	struct jpeg_decompress_struct *ci = &d->ci;
	JSAMPROW rows[1];
	unsigned m, ty, ys, ye, y;

	jpeg_create_decompress(ci);
	d->created = 1;
	ci->client_data = d;
	/* Not before: creating sets it from the environment (JPEGMEM). */
	ci->mem->max_memory_to_use = MINDL_JPEG_MAX_MEM;
	d->prog.progress_monitor = progress;
	ci->progress = &d->prog;
	jpeg_mem_src(ci, d->in, (unsigned long)d->inlen);
	if (jpeg_read_header(ci, TRUE) != JPEG_HEADER_OK) {
		mindl_log_debug("jpeg: no image");
		return MINDL_ERR_PORTRAIT;
	}

	/* Refused from the header, before any pixel memory is taken. */
	if (ci->image_width == 0 || ci->image_height == 0 ||
	    ci->image_width > MINDL_JPEG_MAX_DIM ||
	    ci->image_height > MINDL_JPEG_MAX_DIM) {
		mindl_log_debug("jpeg: %ux%u: not 1 to %d pixels a side",
		    ci->image_width, ci->image_height, MINDL_JPEG_MAX_DIM);
		return MINDL_ERR_PORTRAIT;
	}
	if (!(ci->num_components == 1 &&
	    ci->jpeg_color_space == JCS_GRAYSCALE) &&
	    !(ci->num_components == 3 && (ci->jpeg_color_space == JCS_YCbCr ||
	    ci->jpeg_color_space == JCS_RGB))) {
		mindl_log_debug("jpeg: %d components, colour space %d",
		    ci->num_components, (int)ci->jpeg_color_space);
		return MINDL_ERR_PORTRAIT;
	}
	/*
	 * Portraits are Huffman-coded (the portrait rule refuses SOF9 and
	 * up): libjpeg's arithmetic decoder is code no portrait needs.
	 */
	if (ci->arith_code) {
		mindl_log_debug("jpeg: arithmetic coding");
		return MINDL_ERR_PORTRAIT;
	}

	ci->out_color_space = d->fmt == MINDL_JPEG_RGB ? JCS_RGB :
	    JCS_GRAYSCALE;
	fit(ci->image_width, ci->image_height, d->max_w, d->max_h, &d->tw,
	    &d->th);
	/*
	 * The smallest DCT scaling M/8 whose output still covers the
	 * target: decoding at 1/8 is far cheaper than at 8/8, and what the
	 * box average below then does is small.
	 */
	for (m = 1; m <= 8; m++) {
		ci->scale_num = m;
		ci->scale_denom = 8;
		jpeg_calc_output_dimensions(ci);
		if (ci->output_width >= d->tw && ci->output_height >= d->th)
			break;
	}
	if (NEVER(m > 8) || NEVER(ci->output_components != (int)d->fmt))
		return MINDL_ERR_INTERNAL;

	d->dstlen = (size_t)d->tw * d->th * d->fmt;
	if (d->dstlen > mindl_buf_room(px)) {
		mindl_log_debug("jpeg: %ux%u pixels over the buffer's cap",
		    d->tw, d->th);
		return MINDL_ERR_TOO_LARGE;
	}
	if ((d->dst = mindl_buf_reserve(px, d->dstlen)) == NULL)
		return MINDL_ERR_NOMEM;
	if (ci->output_width == d->tw && ci->output_height == d->th) {
		/* Already the size: libjpeg writes straight into px. */
		(void)jpeg_start_decompress(ci);
		for (y = 0; y < d->th; y++) {
			rows[0] = d->dst + (size_t)y * d->tw * d->fmt;
			if (jpeg_read_scanlines(ci, rows, 1) != 1) {
				mindl_log_debug("jpeg: no scanline %u", y);
				return MINDL_ERR_PORTRAIT;
			}
		}
		(void)jpeg_finish_decompress(ci);
		return MINDL_OK;
	}
	d->rowlen = (size_t)ci->output_width * d->fmt;
	d->sumlen = (size_t)d->tw * d->fmt;
	if ((d->row = mindl_malloc(d->rowlen)) == NULL ||
	    (d->sum = mindl_calloc(d->sumlen, sizeof(*d->sum))) == NULL)
		return MINDL_ERR_NOMEM;

	(void)jpeg_start_decompress(ci);
	rows[0] = d->row;
	ty = 0;
	ys = 0;
	ye = (unsigned)((uint64_t)ci->output_height / d->th);
	for (y = 0; y < ci->output_height; y++) {
		if (jpeg_read_scanlines(ci, rows, 1) != 1) {
			/* With a memory source: no suspension, so no data. */
			mindl_log_debug("jpeg: no scanline %u", y);
			return MINDL_ERR_PORTRAIT;
		}
		add_row(d);
		if (y + 1 == ye) {
			emit_row(d, ty, ys, ye);
			ty++;
			ys = ye;
			ye = (unsigned)((uint64_t)(ty + 1) *
			    ci->output_height / d->th);
		}
	}
	if (NEVER(ty != d->th))
		return MINDL_ERR_INTERNAL;
	/* Reads to EOI, so a warning about the end is fatal too. */
	(void)jpeg_finish_decompress(ci);
	return MINDL_OK;
}

static int
guarded(struct dec *d, struct mindl_buf *px)
{
	if (setjmp(d->jb) != 0)
		return d->r;
	return body(d, px);
}

int
mindl_jpeg_decode(const uint8_t *jpeg, size_t len, unsigned max_w,
    unsigned max_h, unsigned fmt, struct mindl_buf *px, unsigned *w,
    unsigned *h)
{
	struct dec d;
	int r;

	if (w != NULL)
		*w = 0;
	if (h != NULL)
		*h = 0;
	if (jpeg == NULL || px == NULL || w == NULL || h == NULL ||
	    max_w == 0 || max_h == 0 ||
	    (fmt != MINDL_JPEG_RGB && fmt != MINDL_JPEG_GREY))
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(px)) != MINDL_OK)
		return r;
	/* jpeg_mem_src takes an unsigned long; no JPEG is that long. */
	if (len < 2 || len > ULONG_MAX) {
		mindl_log_debug("jpeg: %zu bytes", len);
		return MINDL_ERR_PORTRAIT;
	}

	memset(&d, 0, sizeof(d));
	d.in = jpeg;
	d.inlen = len;
	d.max_w = max_w;
	d.max_h = max_h;
	d.fmt = fmt;
	/* Before create: libjpeg may fail while creating. */
	d.ci.err = jpeg_std_error(&d.jerr);
	d.jerr.error_exit = jerr_exit;
	d.jerr.emit_message = jerr_emit;
	d.jerr.output_message = jerr_output;
	d.ci.client_data = &d;

	r = guarded(&d, px);

	if (d.created)
		jpeg_destroy_decompress(&d.ci);
	mindl_freezero(d.row, d.rowlen);
	mindl_freezero(d.sum, d.sumlen * sizeof(*d.sum));
	if (r != MINDL_OK) {
		/* Reserved but not committed: wipe what was written. */
		if (d.dst != NULL)
			mindl_wipe(d.dst, d.dstlen);
		return r;
	}
	mindl_buf_commit(px, d.dstlen);
	*w = d.tw;
	*h = d.th;
	return MINDL_OK;
}

/* Appends the decimal digits of v (0..255). */
static size_t
dec3(char *s, unsigned v)
{
	size_t n = 0;

	if (v >= 100)
		s[n++] = (char)('0' + v / 100);
	if (v >= 10)
		s[n++] = (char)('0' + v / 10 % 10);
	s[n++] = (char)('0' + v % 10);
	return n;
}

/* "ESC[38;2;R;G;Bm" (fg) or "ESC[48;2;R;G;Bm" into s; returns length. */
static size_t
sgr_rgb(char *s, int bg, const uint8_t *px)
{
	size_t n = 0;
	int c;

	s[n++] = '\033';
	s[n++] = '[';
	s[n++] = bg ? '4' : '3';
	s[n++] = '8';
	s[n++] = ';';
	s[n++] = '2';
	for (c = 0; c < 3; c++) {
		s[n++] = ';';
		n += dec3(s + n, px[c]);
	}
	s[n++] = 'm';
	return n;
}

#define SGR_RESET	"\033[0m"
#define UPPER_HALF	"\xe2\x96\x80"	/* U+2580 in UTF-8 */

int
mindl_jpeg_halfblocks(const uint8_t *jpeg, size_t len, unsigned cols,
    unsigned rows, struct mindl_buf *out)
{
	struct mindl_buf px;
	const uint8_t *p, *up, *lo, *fg, *bg;
	/* Two SGRs of at most 19 bytes each and the block. */
	char cell[2 * 19 + sizeof(UPPER_HALF)];
	size_t start, n;
	unsigned w = 0, h = 0, x, y;
	int r;

	if (out == NULL || cols == 0 || rows == 0)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(out)) != MINDL_OK)
		return r;
	start = mindl_buf_len(out);
	mindl_buf_init(&px, (size_t)MINDL_JPEG_MAX_DIM * MINDL_JPEG_MAX_DIM *
	    MINDL_JPEG_RGB);
	if ((r = mindl_jpeg_decode(jpeg, len, cols, rows > MINDL_JPEG_MAX_DIM /
	    2 ? MINDL_JPEG_MAX_DIM : 2 * rows, MINDL_JPEG_RGB, &px, &w, &h)) !=
	    MINDL_OK)
		goto out;
	p = mindl_buf_ptr(&px);
	for (y = 0; y < h; y += 2) {
		up = p + (size_t)y * w * 3;
		lo = y + 1 < h ? up + (size_t)w * 3 : NULL;
		/* Each line starts from the terminal's colours (SGR 0). */
		fg = bg = NULL;
		for (x = 0; x < w; x++, up += 3) {
			n = 0;
			if (fg == NULL || memcmp(fg, up, 3) != 0)
				n += sgr_rgb(cell + n, 0, up);
			fg = up;
			if (lo != NULL) {
				if (bg == NULL || memcmp(bg, lo, 3) != 0)
					n += sgr_rgb(cell + n, 1, lo);
				bg = lo;
				lo += 3;
			}
			memcpy(cell + n, UPPER_HALF, sizeof(UPPER_HALF) - 1);
			n += sizeof(UPPER_HALF) - 1;
			(void)mindl_buf_add(out, cell, n);
		}
		(void)mindl_buf_addstr(out, SGR_RESET "\n");
	}
	r = mindl_buf_err(out);
 out:
	mindl_buf_clear(&px);
	if (r != MINDL_OK)
		mindl_buf_truncate(out, start);
	return r;
}
