/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: mindl_jpeg_decode (JPEG to pixels, scaled to fit) and
 * mindl_jpeg_halfblocks (pixels to 24-bit-colour terminal text).  The
 * pixel checks use JPEGs made here with libjpeg's compressor
 * (tests/common/testjpeg.h) whose pixels are known exactly; the sample
 * portraits come from schemas/samples and tests/interop.  Refusals must
 * be MINDL_ERR_PORTRAIT, leave the output buffer as it was, and for a
 * header over the limits happen before the library allocates anything.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mindl/mindl.h"
#include "internal.h"
#include "unit.h"
#include "../common/testjpeg.h"
#include "../common/testlib.h"

#define PX_MAX	(16u * 1024 * 1024)

static const struct test_jpeg_opts opt_rgb = { .in = JCS_RGB, .ncomp = 3,
    .cs = JCS_RGB };
static const struct test_jpeg_opts opt_ycc = { .in = JCS_RGB, .ncomp = 3,
    .cs = JCS_YCbCr };
static const struct test_jpeg_opts opt_grey = { .in = JCS_GRAYSCALE,
    .ncomp = 1, .cs = JCS_GRAYSCALE };

static const uint8_t RED[3] = { 255, 0, 0 }, GREEN[3] = { 0, 255, 0 },
    BLUE[3] = { 0, 0, 255 }, WHITE[3] = { 255, 255, 255 };

static void
quadrant_jpeg(const struct test_jpeg_opts *o, uint8_t **j, size_t *n)
{
	uint8_t px[16 * 16 * 3];

	test_jpeg_quadrants(px);
	if (test_jpeg_make(o, px, 16, 16, j, n) != 0)
		abort();
}

/* A w x h JPEG of one colour. */
static void
solid_jpeg(const struct test_jpeg_opts *o, const uint8_t *rgb, unsigned w,
    unsigned h, uint8_t **j, size_t *n)
{
	uint8_t *px;
	size_t i;

	if ((px = malloc((size_t)w * h * 3)) == NULL)
		abort();
	for (i = 0; i < (size_t)w * h; i++)
		memcpy(px + 3 * i, rgb, 3);
	if (test_jpeg_make(o, px, w, h, j, n) != 0)
		abort();
	free(px);
}

/* Decodes into a fresh buffer; *len is what was appended. */
static int
decode(const uint8_t *j, size_t n, unsigned mw, unsigned mh, unsigned fmt,
    struct mindl_buf *b, unsigned *w, unsigned *h)
{
	mindl_buf_init(b, PX_MAX);
	return mindl_jpeg_decode(j, n, mw, mh, fmt, b, w, h);
}

static const uint8_t *
pixel(const struct mindl_buf *b, unsigned w, unsigned x, unsigned y,
    unsigned fmt)
{
	return mindl_buf_ptr(b) + ((size_t)y * w + x) * fmt;
}

static int
near(const uint8_t *p, const uint8_t *want, int tol)
{
	int c, d;

	for (c = 0; c < 3; c++) {
		d = (int)p[c] - (int)want[c];
		if (d < -tol || d > tol)
			return 0;
	}
	return 1;
}

static void
sample_portraits(void)
{
	static const struct {
		const char	*path;
		unsigned	 iw, ih;	/* the image */
		unsigned	 mw, mh;	/* the box */
		unsigned	 w, h;		/* what must come out */
	} t[] = {
		{ "schemas/samples/portrait.jpg", 48, 60, 1000, 1000, 48, 60 },
		{ "schemas/samples/portrait.jpg", 48, 60, 48, 60, 48, 60 },
		{ "schemas/samples/portrait.jpg", 48, 60, 40, 40, 32, 40 },
		{ "schemas/samples/portrait.jpg", 48, 60, 24, 100, 24, 30 },
		{ "schemas/samples/portrait.jpg", 48, 60, 100, 6, 5, 6 },
		{ "schemas/samples/portrait.jpg", 48, 60, 3, 1000, 3, 4 },
		{ "schemas/samples/portrait.jpg", 48, 60, 47, 1000, 47, 59 },
		{ "schemas/samples/portrait.jpg", 48, 60, 1, 1, 1, 1 },
		{ "tests/interop/sample-portrait.jpg", 48, 64, 40, 40, 30, 40 },
		{ "tests/interop/sample-portrait.jpg", 48, 64, 12, 80, 12, 16 },
		{ "tests/interop/sample-portrait.jpg", 48, 64, 80, 7, 5, 7 },
	};
	struct mindl_buf b;
	uint8_t *j = NULL;
	size_t n = 0, i, k;
	unsigned w, h;
	int r;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK_ERR(mindl_file_read(t[i].path, 1 << 20, &j, &n),
		    MINDL_OK);
		if (j == NULL)
			continue;
		/* A real portrait, as the verifier receives it. */
		CHECK_ERR(mindl_jpeg_check(j, n, NULL), MINDL_OK);
		CHECK_ERR(decode(j, n, 100000, 100000, MINDL_JPEG_RGB, &b, &w,
		    &h), MINDL_OK);
		CHECK(w == t[i].iw && h == t[i].ih);
		mindl_buf_clear(&b);

		r = decode(j, n, t[i].mw, t[i].mh, MINDL_JPEG_RGB, &b, &w, &h);
		CHECK_ERR(r, MINDL_OK);
		if (w != t[i].w || h != t[i].h)
			fprintf(stderr, "%s in %ux%u: %ux%u, want %ux%u\n",
			    t[i].path, t[i].mw, t[i].mh, w, h, t[i].w, t[i].h);
		CHECK(w == t[i].w && h == t[i].h);
		CHECK(w <= t[i].mw && h <= t[i].mh);
		CHECK(mindl_buf_len(&b) == (size_t)w * h * 3);
		/* A greyscale image: every RGB pixel is grey. */
		for (k = 0; r == MINDL_OK && k < (size_t)w * h; k++) {
			const uint8_t *p = mindl_buf_ptr(&b) + 3 * k;

			CHECK(p[0] == p[1] && p[1] == p[2]);
		}
		mindl_buf_clear(&b);

		/* The same size in grey, one byte a pixel. */
		CHECK_ERR(decode(j, n, t[i].mw, t[i].mh, MINDL_JPEG_GREY, &b,
		    &w, &h), MINDL_OK);
		CHECK(w == t[i].w && h == t[i].h);
		CHECK(mindl_buf_len(&b) == (size_t)w * h);
		mindl_buf_clear(&b);
		free(j);
		j = NULL;
	}
}

/* Each quadrant of a w x h decode of the quadrant image is its colour. */
static int
quadrants_ok(const struct mindl_buf *b, unsigned w, unsigned h, int tol)
{
	unsigned x, y;
	const uint8_t *want;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			if (y < h / 2)
				want = x < w / 2 ? RED : GREEN;
			else
				want = x < w / 2 ? BLUE : WHITE;
			if (!near(pixel(b, w, x, y, 3), want, tol)) {
				fprintf(stderr, "pixel %u,%u of %ux%u\n", x, y,
				    w, h);
				return 0;
			}
		}
	return 1;
}

static void
exact_pixels(void)
{
	static const unsigned sizes[] = { 16, 8, 4, 2 };
	struct mindl_buf b;
	uint8_t *j = NULL, grey[16 * 16];
	const uint8_t *p;
	size_t n = 0, i;
	unsigned w, h, x, y;

	/* RGB colour space, no subsampling: exact at every DCT scale. */
	quadrant_jpeg(&opt_rgb, &j, &n);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		CHECK_ERR(decode(j, n, sizes[i], sizes[i], MINDL_JPEG_RGB, &b,
		    &w, &h), MINDL_OK);
		CHECK(w == sizes[i] && h == sizes[i]);
		CHECK(quadrants_ok(&b, w, h, 0));
		mindl_buf_clear(&b);
	}
	/* 3x3 from 4x4 (scale 2/8): boxes of 1, 1, 2 pixels a side. */
	CHECK_ERR(decode(j, n, 3, 3, MINDL_JPEG_RGB, &b, &w, &h), MINDL_OK);
	CHECK(w == 3 && h == 3);
	if (w == 3 && h == 3) {
		CHECK(memcmp(pixel(&b, 3, 0, 0, 3), RED, 3) == 0);
		CHECK(memcmp(pixel(&b, 3, 1, 1, 3), RED, 3) == 0);
		CHECK(memcmp(pixel(&b, 3, 2, 0, 3), GREEN, 3) == 0);
		CHECK(memcmp(pixel(&b, 3, 0, 2, 3), BLUE, 3) == 0);
		CHECK(memcmp(pixel(&b, 3, 2, 2, 3), WHITE, 3) == 0);
	}
	mindl_buf_clear(&b);
	/*
	 * 1x1: the box mean of 2x2 (scale 1/8), rounded:
	 * (255 + 0 + 0 + 255) / 4 = 127.5 -> 128 on each channel.
	 */
	CHECK_ERR(decode(j, n, 1, 1, MINDL_JPEG_RGB, &b, &w, &h), MINDL_OK);
	CHECK(w == 1 && h == 1 && mindl_buf_len(&b) == 3);
	if (mindl_buf_len(&b) == 3) {
		p = mindl_buf_ptr(&b);
		CHECK(p[0] == 128 && p[1] == 128 && p[2] == 128);
	}
	mindl_buf_clear(&b);
	free(j);

	/* The usual JFIF layout, YCbCr: within the colour conversion. */
	quadrant_jpeg(&opt_ycc, &j, &n);
	CHECK_ERR(mindl_jpeg_check(j, n, NULL), MINDL_OK);
	CHECK_ERR(decode(j, n, 16, 16, MINDL_JPEG_RGB, &b, &w, &h), MINDL_OK);
	CHECK(w == 16 && h == 16 && quadrants_ok(&b, w, h, 2));
	mindl_buf_clear(&b);
	CHECK_ERR(decode(j, n, 2, 2, MINDL_JPEG_RGB, &b, &w, &h), MINDL_OK);
	CHECK(w == 2 && h == 2 && quadrants_ok(&b, w, h, 2));
	mindl_buf_clear(&b);
	free(j);

	/* Greyscale quadrants 0, 85, 170, 255: exact, as grey and as RGB. */
	for (y = 0; y < 16; y++)
		for (x = 0; x < 16; x++)
			grey[y * 16 + x] =
			    (uint8_t)(85 * ((y / 8) * 2 + x / 8));
	if (test_jpeg_make(&opt_grey, grey, 16, 16, &j, &n) != 0)
		abort();
	CHECK_ERR(decode(j, n, 2, 2, MINDL_JPEG_GREY, &b, &w, &h), MINDL_OK);
	CHECK(w == 2 && h == 2 && mindl_buf_len(&b) == 4 &&
	    memcmp(mindl_buf_ptr(&b), "\x00\x55\xaa\xff", 4) == 0);
	mindl_buf_clear(&b);
	CHECK_ERR(decode(j, n, 2, 2, MINDL_JPEG_RGB, &b, &w, &h), MINDL_OK);
	CHECK(w == 2 && h == 2 && mindl_buf_len(&b) == 12 &&
	    memcmp(mindl_buf_ptr(&b),
	    "\x00\x00\x00\x55\x55\x55\xaa\xaa\xaa\xff\xff\xff", 12) == 0);
	mindl_buf_clear(&b);
	free(j);
}

static void
layouts(void)
{
	static const uint8_t ORANGE[3] = { 250, 130, 20 };
	struct test_jpeg_opts o;
	struct mindl_buf b;
	uint8_t *j = NULL;
	size_t n = 0;
	unsigned w, h;

	/* Progressive, 4:2:0 chroma, restart markers; 40x24 into 10x10. */
	o = opt_ycc;
	o.subsample = 1;
	o.progressive = 1;
	o.quality = 90;
	solid_jpeg(&o, ORANGE, 40, 24, &j, &n);
	CHECK_ERR(mindl_jpeg_check(j, n, NULL), MINDL_OK);
	CHECK_ERR(decode(j, n, 10, 10, MINDL_JPEG_RGB, &b, &w, &h), MINDL_OK);
	CHECK(w == 10 && h == 6);
	CHECK(mindl_buf_len(&b) == 10 * 6 * 3 &&
	    near(pixel(&b, w, 9, 5, 3), ORANGE, 4));
	mindl_buf_clear(&b);
	free(j);

	o = opt_ycc;
	o.subsample = 1;
	o.restart_rows = 1;
	solid_jpeg(&o, ORANGE, 33, 17, &j, &n);
	CHECK_ERR(decode(j, n, 33, 17, MINDL_JPEG_RGB, &b, &w, &h), MINDL_OK);
	CHECK(w == 33 && h == 17 && near(pixel(&b, w, 32, 16, 3), ORANGE, 4));
	mindl_buf_clear(&b);
	/* Grey from colour: the luma, 0.299 R + 0.587 G + 0.114 B = 153. */
	CHECK_ERR(decode(j, n, 8, 8, MINDL_JPEG_GREY, &b, &w, &h), MINDL_OK);
	CHECK(w == 8 && h == 4 && mindl_buf_len(&b) == 32);
	if (mindl_buf_len(&b) == 32)
		CHECK(mindl_buf_ptr(&b)[31] >= 151 &&
		    mindl_buf_ptr(&b)[31] <= 155);
	mindl_buf_clear(&b);
	free(j);

	/* A wide one: the width binds. */
	solid_jpeg(&opt_rgb, ORANGE, 64, 8, &j, &n);
	CHECK_ERR(decode(j, n, 20, 20, MINDL_JPEG_RGB, &b, &w, &h), MINDL_OK);
	CHECK(w == 20 && h == 3);	/* 8 * 20 / 64 = 2.5, rounded */
	CHECK(mindl_buf_len(&b) == 20 * 3 * 3 &&
	    near(pixel(&b, w, 19, 2, 3), ORANGE, 0));
	mindl_buf_clear(&b);
	CHECK_ERR(decode(j, n, 1, 1, MINDL_JPEG_RGB, &b, &w, &h), MINDL_OK);
	CHECK(w == 1 && h == 1);
	mindl_buf_clear(&b);
	free(j);
}

/*
 * Decodes and renders j: the result of both, which must agree.  A
 * refusal leaves the out-parameters 0 and appends nothing; a success
 * appends exactly the pixels (MINDL_ERR_INTERNAL if not).
 */
static int
refused(const uint8_t *j, size_t n)
{
	struct mindl_buf b;
	unsigned w = 7, h = 7;
	int r;

	mindl_buf_init(&b, PX_MAX);
	(void)mindl_buf_addstr(&b, "kept");
	r = mindl_jpeg_decode(j, n, 64, 64, MINDL_JPEG_RGB, &b, &w, &h);
	if (r != MINDL_OK && (w != 0 || h != 0 || mindl_buf_len(&b) != 4))
		r = MINDL_ERR_INTERNAL;
	if (r == MINDL_OK && (w == 0 || h == 0 ||
	    mindl_buf_len(&b) != 4 + (size_t)w * h * 3))
		r = MINDL_ERR_INTERNAL;
	if (memcmp(mindl_buf_str(&b), "kept", 4) != 0)
		r = MINDL_ERR_INTERNAL;
	mindl_buf_clear(&b);
	mindl_buf_init(&b, PX_MAX);
	if (mindl_jpeg_halfblocks(j, n, 40, 40, &b) != r ||
	    (mindl_buf_len(&b) == 0) != (r != MINDL_OK))
		r = MINDL_ERR_INTERNAL;
	mindl_buf_clear(&b);
	return r;
}

/*
 * refused(), for a JPEG whose header alone condemns it: the library
 * allocates nothing for it (the one allocation is refused()'s "kept").
 */
static int
refused_early(const uint8_t *j, size_t n)
{
	int r;

	mindl_fail_alloc_at(0);
	r = refused(j, n);
	if (mindl_alloc_count() != 1) {
		fprintf(stderr, "%ld allocations\n", mindl_alloc_count());
		r = MINDL_ERR_INTERNAL;
	}
	return r;
}

/* test_jpeg with its frame's height and width replaced. */
static void
with_size(uint8_t *j, unsigned w, unsigned h)
{
	size_t i;

	memcpy(j, test_jpeg, sizeof(test_jpeg));
	for (i = 2; i + 9 < sizeof(test_jpeg); i++)
		if (j[i] == 0xff && j[i + 1] == 0xc0)
			break;
	j[i + 5] = (uint8_t)(h >> 8);
	j[i + 6] = (uint8_t)h;
	j[i + 7] = (uint8_t)(w >> 8);
	j[i + 8] = (uint8_t)w;
}

/*
 * What the library writes to stderr between the two calls (the debug
 * log, or a message of libjpeg's it failed to silence) into buf.
 */
static int saved_fd = -1;
static FILE *capture;

static void
stderr_begin(void)
{
	fflush(stderr);
	if ((capture = tmpfile()) == NULL || (saved_fd = dup(2)) == -1 ||
	    dup2(fileno(capture), 2) == -1)
		abort();
}

static void
stderr_end(char *buf, size_t cap)
{
	size_t n;

	fflush(stderr);
	if (dup2(saved_fd, 2) == -1)
		abort();
	close(saved_fd);
	rewind(capture);
	n = fread(buf, 1, cap - 1, capture);
	buf[n] = '\0';
	fclose(capture);
}

static void
refusals(void)
{
	static const uint8_t garbage[] = "GIF89a\x01\x00\x01\x00 not a JPEG";
	struct test_jpeg_opts o;
	uint8_t hdr[sizeof(test_jpeg)], *j = NULL, *p;
	uint8_t cmyk[16 * 16 * 4], two[16 * 16 * 2];
	size_t n = 0, k;
	char log[2048];
	unsigned seed = 1;

	/* The sample decodes; every strict prefix of it is refused. */
	CHECK_ERR(refused(test_jpeg, sizeof(test_jpeg)), MINDL_OK);
	for (k = 0; k < sizeof(test_jpeg); k++)
		CHECK_ERR(refused(test_jpeg, k), MINDL_ERR_PORTRAIT);
	CHECK_ERR(refused(garbage, sizeof(garbage) - 1), MINDL_ERR_PORTRAIT);
	CHECK_ERR(refused((const uint8_t *)"", 0), MINDL_ERR_PORTRAIT);
	CHECK_ERR(refused((const uint8_t *)"\xff\xd8\xff\xd9", 4),
	    MINDL_ERR_PORTRAIT);

	/* Corrupt scan data (a warning to libjpeg, fatal here). */
	memcpy(hdr, test_jpeg, sizeof(test_jpeg));
	for (k = TEST_JPEG_SCAN; k + 2 < sizeof(hdr); k++)
		hdr[k] = 0xff;
	CHECK_ERR(refused(hdr, sizeof(hdr)), MINDL_ERR_PORTRAIT);
	/* Random bytes after SOI, many times. */
	if ((p = malloc(4096)) == NULL)
		abort();
	for (n = 0; n < 200; n++) {
		p[0] = 0xff;
		p[1] = 0xd8;
		for (k = 2; k < 4096; k++) {
			seed = seed * 1103515245u + 12345u;
			p[k] = (uint8_t)(seed >> 16);
		}
		CHECK_ERR(refused(p, 16 + n * 20), MINDL_ERR_PORTRAIT);
	}
	free(p);

	/* Over the limits in the frame header: refused before allocating. */
	with_size(hdr, 48, 8193);
	CHECK_ERR(refused_early(hdr, sizeof(hdr)), MINDL_ERR_PORTRAIT);
	with_size(hdr, 8193, 64);
	CHECK_ERR(refused_early(hdr, sizeof(hdr)), MINDL_ERR_PORTRAIT);
	with_size(hdr, 65535, 65535);
	CHECK_ERR(refused_early(hdr, sizeof(hdr)), MINDL_ERR_PORTRAIT);
	with_size(hdr, 0, 64);
	CHECK_ERR(refused_early(hdr, sizeof(hdr)), MINDL_ERR_PORTRAIT);
	with_size(hdr, 48, 0);
	CHECK_ERR(refused_early(hdr, sizeof(hdr)), MINDL_ERR_PORTRAIT);
	/* The limit itself passes the header, then the data runs out. */
	with_size(hdr, 8192, 8192);
	CHECK_ERR(refused(hdr, sizeof(hdr)), MINDL_ERR_PORTRAIT);

	/* CMYK, YCCK, two components, arithmetic coding: from the header. */
	memset(cmyk, 0x40, sizeof(cmyk));
	o = opt_rgb;
	o.in = JCS_CMYK;
	o.ncomp = 4;
	o.cs = JCS_CMYK;
	if (test_jpeg_make(&o, cmyk, 16, 16, &j, &n) != 0)
		abort();
	CHECK_ERR(refused_early(j, n), MINDL_ERR_PORTRAIT);
	free(j);
	o.cs = JCS_YCCK;
	if (test_jpeg_make(&o, cmyk, 16, 16, &j, &n) != 0)
		abort();
	CHECK_ERR(refused_early(j, n), MINDL_ERR_PORTRAIT);
	free(j);
	memset(two, 0x40, sizeof(two));
	o.in = JCS_UNKNOWN;
	o.ncomp = 2;
	o.cs = JCS_UNKNOWN;
	if (test_jpeg_make(&o, two, 16, 16, &j, &n) != 0)
		abort();
	CHECK_ERR(refused_early(j, n), MINDL_ERR_PORTRAIT);
	free(j);
	/* Arithmetic coding, which libjpeg-turbo would decode. */
	o = opt_ycc;
	o.arith = 1;
	quadrant_jpeg(&o, &j, &n);
	CHECK_ERR(refused_early(j, n), MINDL_ERR_PORTRAIT);
	free(j);

	/*
	 * Scans: 10 (jpeg_simple_progression) pass; 1 + 3 * 63 do not,
	 * though the image is valid.
	 */
	o = opt_ycc;
	o.progressive = 1;
	quadrant_jpeg(&o, &j, &n);
	CHECK_ERR(refused(j, n), MINDL_OK);
	free(j);
	o.progressive = 0;
	o.many_scans = 1;
	quadrant_jpeg(&o, &j, &n);
	mindl_set_debug(1);
	stderr_begin();
	CHECK_ERR(refused(j, n), MINDL_ERR_PORTRAIT);
	stderr_end(log, sizeof(log));
	mindl_set_debug(0);
	CHECK(strstr(log, "more than 64 scans") != NULL);
	free(j);

	/*
	 * Memory: a progressive frame of 8192x8192 in three full-size
	 * components needs 8192 * 8192 * 3 * 2 bytes of coefficients
	 * (384 MiB) before the first scan is read; the cap refuses it, and
	 * libjpeg says so (it would need backing store, which it has not).
	 */
	o = opt_ycc;
	o.progressive = 1;
	quadrant_jpeg(&o, &j, &n);
	for (k = 2; k + 9 < n; k++)
		if (j[k] == 0xff && j[k + 1] == 0xc2)
			break;
	CHECK(k + 9 < n);
	j[k + 5] = j[k + 7] = 0x20;
	j[k + 6] = j[k + 8] = 0x00;
	mindl_set_debug(1);
	stderr_begin();
	CHECK_ERR(refused(j, n), MINDL_ERR_PORTRAIT);
	stderr_end(log, sizeof(log));
	mindl_set_debug(0);
	CHECK(strstr(log, "Backing store not supported") != NULL);
	free(j);
}

/*
 * libjpeg prints warnings and errors to stderr unless told not to:
 * without -d, refusing anything writes nothing.
 */
static void
silent(void)
{
	uint8_t hdr[sizeof(test_jpeg)];
	char log[512];
	size_t k;

	memcpy(hdr, test_jpeg, sizeof(test_jpeg));
	for (k = TEST_JPEG_SCAN; k + 2 < sizeof(hdr); k++)
		hdr[k] = 0xff;
	stderr_begin();
	CHECK_ERR(refused(hdr, sizeof(hdr)), MINDL_ERR_PORTRAIT);
	for (k = 0; k < sizeof(test_jpeg); k += 7)
		CHECK_ERR(refused(test_jpeg, k), MINDL_ERR_PORTRAIT);
	with_size(hdr, 48, 8193);
	CHECK_ERR(refused(hdr, sizeof(hdr)), MINDL_ERR_PORTRAIT);
	CHECK_ERR(refused(test_jpeg, sizeof(test_jpeg)), MINDL_OK);
	stderr_end(log, sizeof(log));
	CHECK(log[0] == '\0');
	/* With -d, the reason is in the debug log. */
	mindl_set_debug(1);
	stderr_begin();
	CHECK_ERR(refused(test_jpeg, sizeof(test_jpeg) - 2),
	    MINDL_ERR_PORTRAIT);
	stderr_end(log, sizeof(log));
	mindl_set_debug(0);
	CHECK(strstr(log, "mindl: jpeg: libjpeg: ") != NULL);
}

static void
bad_args(void)
{
	struct mindl_buf b;
	unsigned w = 1, h = 1;

	mindl_buf_init(&b, PX_MAX);
	CHECK_ERR(mindl_jpeg_decode(NULL, 10, 8, 8, MINDL_JPEG_RGB, &b, &w,
	    &h), MINDL_ERR_INVALID_ARG);
	CHECK(w == 0 && h == 0);
	CHECK_ERR(mindl_jpeg_decode(test_jpeg, sizeof(test_jpeg), 0, 8,
	    MINDL_JPEG_RGB, &b, &w, &h), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_jpeg_decode(test_jpeg, sizeof(test_jpeg), 8, 0,
	    MINDL_JPEG_RGB, &b, &w, &h), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_jpeg_decode(test_jpeg, sizeof(test_jpeg), 8, 8, 2,
	    &b, &w, &h), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_jpeg_decode(test_jpeg, sizeof(test_jpeg), 8, 8,
	    MINDL_JPEG_RGB, NULL, &w, &h), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_jpeg_decode(test_jpeg, sizeof(test_jpeg), 8, 8,
	    MINDL_JPEG_RGB, &b, NULL, &h), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_jpeg_halfblocks(test_jpeg, sizeof(test_jpeg), 0, 8,
	    &b), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_jpeg_halfblocks(test_jpeg, sizeof(test_jpeg), 8, 0,
	    &b), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_jpeg_halfblocks(test_jpeg, sizeof(test_jpeg), 8, 8,
	    NULL), MINDL_ERR_INVALID_ARG);
	CHECK(mindl_buf_len(&b) == 0);

	/* The pixels must fit under the buffer's cap: 48x64x3 > 9215. */
	mindl_buf_init(&b, 48 * 64 * 3 - 1);
	CHECK_ERR(mindl_jpeg_decode(test_jpeg, sizeof(test_jpeg), 100, 100,
	    MINDL_JPEG_RGB, &b, &w, &h), MINDL_ERR_TOO_LARGE);
	CHECK(mindl_buf_len(&b) == 0 && w == 0);
	mindl_buf_init(&b, 48 * 64 * 3);
	CHECK_ERR(mindl_jpeg_decode(test_jpeg, sizeof(test_jpeg), 100, 100,
	    MINDL_JPEG_RGB, &b, &w, &h), MINDL_OK);
	CHECK(mindl_buf_len(&b) == 48 * 64 * 3 && w == 48 && h == 64);
	mindl_buf_clear(&b);
	/* The text too: nothing of it is left when it does not fit. */
	mindl_buf_init(&b, 100);
	CHECK_ERR(mindl_jpeg_halfblocks(test_jpeg, sizeof(test_jpeg), 40, 40,
	    &b), MINDL_ERR_TOO_LARGE);
	CHECK(mindl_buf_len(&b) == 0);
	mindl_buf_clear(&b);
}

static int
render(const uint8_t *j, size_t n, unsigned cols, unsigned rows, char **out)
{
	struct mindl_buf b;
	size_t len;

	mindl_buf_init(&b, PX_MAX);
	return test_take(mindl_jpeg_halfblocks(j, n, cols, rows, &b), &b,
	    (uint8_t **)out, &len);
}

#define FG_RED		"\033[38;2;255;0;0m"
#define BG_RED		"\033[48;2;255;0;0m"
#define BLK		"\xe2\x96\x80"
#define EOL		"\033[0m\n"

static void
halfblocks_exact(void)
{
	static const uint8_t DIM[3] = { 1, 20, 100 };
	uint8_t *j = NULL;
	char *t = NULL;
	size_t n = 0;

	/* 2x2 of one colour: one line of two cells, colours set once. */
	solid_jpeg(&opt_rgb, RED, 16, 16, &j, &n);
	CHECK_ERR(render(j, n, 2, 1, &t), MINDL_OK);
	CHECK(t != NULL && strcmp(t, FG_RED BG_RED BLK BLK EOL) == 0);
	free(t);
	free(j);

	/* 4x4 quadrants: a colour change mid-line, two lines. */
	quadrant_jpeg(&opt_rgb, &j, &n);
	CHECK_ERR(render(j, n, 4, 2, &t), MINDL_OK);
	CHECK(t != NULL && strcmp(t,
	    FG_RED BG_RED BLK BLK
	    "\033[38;2;0;255;0m\033[48;2;0;255;0m" BLK BLK EOL
	    "\033[38;2;0;0;255m\033[48;2;0;0;255m" BLK BLK
	    "\033[38;2;255;255;255m\033[48;2;255;255;255m" BLK BLK EOL) == 0);
	free(t);
	/* The row cap binds before the column cap: 2x2 pixels. */
	CHECK_ERR(render(j, n, 40, 1, &t), MINDL_OK);
	CHECK(t != NULL && strcmp(t,
	    FG_RED "\033[48;2;0;0;255m" BLK
	    "\033[38;2;0;255;0m\033[48;2;255;255;255m" BLK EOL) == 0);
	free(t);
	free(j);

	/* 3x3: the odd last pixel row has no background of its own. */
	solid_jpeg(&opt_rgb, DIM, 8, 8, &j, &n);
	CHECK_ERR(render(j, n, 3, 2, &t), MINDL_OK);
	CHECK(t != NULL && strcmp(t,
	    "\033[38;2;1;20;100m\033[48;2;1;20;100m" BLK BLK BLK EOL
	    "\033[38;2;1;20;100m" BLK BLK BLK EOL) == 0);
	free(t);
	free(j);

	/* Upper and lower pixels differ: fg red over bg blue. */
	{
		uint8_t px[8 * 16 * 3];
		size_t i;

		for (i = 0; i < 8 * 16; i++)
			memcpy(px + 3 * i, i < 64 ? RED : BLUE, 3);
		if (test_jpeg_make(&opt_rgb, px, 8, 16, &j, &n) != 0)
			abort();
	}
	CHECK_ERR(render(j, n, 1, 1, &t), MINDL_OK);
	CHECK(t != NULL && strcmp(t,
	    FG_RED "\033[48;2;0;0;255m" BLK EOL) == 0);
	free(t);
	free(j);
}

static void
halfblocks_shape(void)
{
	static const unsigned cols[] = { 1, 2, 3, 7, 16, 20, 40, 47, 48, 80 };
	static const unsigned rows[] = { 1, 5, 24, 1000 };
	uint8_t *j = NULL;
	char *t = NULL;
	size_t n = 0, i, k;
	unsigned widest, want_w, want_h;
	int lines;

	CHECK_ERR(mindl_file_read("schemas/samples/portrait.jpg", 1 << 20,
	    &j, &n), MINDL_OK);
	if (j == NULL)
		return;
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
		for (k = 0; k < sizeof(rows) / sizeof(rows[0]); k++) {
			CHECK_ERR(render(j, n, cols[i], rows[k], &t),
			    MINDL_OK);
			if (t == NULL)
				continue;
			lines = test_halfblocks_lines((const uint8_t *)t,
			    strlen(t), cols[i], rows[k], &widest);
			CHECK(lines > 0);
			/* 48x60 fitted into cols x 2 rows pixels. */
			if (cols[i] >= 48 && 2 * rows[k] >= 60) {
				want_w = 48;
				want_h = 60;
			} else if (48u * 2 * rows[k] <= 60u * cols[i]) {
				want_h = 2 * rows[k];
				want_w = (48 * want_h + 30) / 60;
			} else {
				want_w = cols[i];
				want_h = (60 * want_w + 24) / 48;
			}
			if (want_w == 0)
				want_w = 1;
			if (want_h == 0)
				want_h = 1;
			CHECK(widest == want_w);
			CHECK(lines == (int)(want_h + 1) / 2);
			free(t);
		}
	/* Appends, after what the buffer already holds. */
	{
		struct mindl_buf b;

		mindl_buf_init(&b, PX_MAX);
		(void)mindl_buf_addstr(&b, "name\n");
		CHECK_ERR(mindl_jpeg_halfblocks(j, n, 8, 8, &b), MINDL_OK);
		CHECK(strncmp(mindl_buf_str(&b), "name\n\033[", 7) == 0);
		CHECK(test_halfblocks_lines(mindl_buf_ptr(&b) + 5,
		    mindl_buf_len(&b) - 5, 8, 8, &widest) == 5);
		mindl_buf_clear(&b);
	}
	free(j);
}

int
main(void)
{
	RUN(sample_portraits);
	RUN(exact_pixels);
	RUN(layouts);
	RUN(refusals);
	RUN(silent);
	RUN(bad_args);
	RUN(halfblocks_exact);
	RUN(halfblocks_shape);
	UNIT_DONE();
}
