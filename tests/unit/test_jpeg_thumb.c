/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The purpose credential's thumbnail (mindl_jpeg_thumbnail): made from
 * the portrait's pixels alone, so metadata cannot survive; small;
 * within the box, grey, baseline; the same bytes for the same portrait;
 * and accepted by the portrait rule every verifier applies.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testfx.h"
#include "../common/testjpeg.h"

#define FACE_W	480
#define FACE_H	600

/* A face as a camera would write it: colour, 4:2:0, quality 90. */
static int
face(uint32_t seed, unsigned w, unsigned h, uint8_t **out, size_t *outlen)
{
	struct test_jpeg_opts o = { JCS_RGB, 3, JCS_YCbCr, 90, 1, 0, 0, 0,
	    0 };
	uint8_t *px;
	int r;

	if ((px = malloc((size_t)w * h * 3)) == NULL)
		return -1;
	test_jpeg_face(px, w, h, seed);
	r = test_jpeg_make(&o, px, w, h, out, outlen);
	free(px);
	return r;
}

/* The thumbnail of j into *out (malloc'd). */
static int
thumb(const uint8_t *j, size_t n, uint8_t **out, size_t *outlen)
{
	struct mindl_buf b;

	mindl_buf_init(&b, MINDL_MAX_INPUT);
	return test_take(mindl_jpeg_thumbnail(j, n, &b), &b, out, outlen);
}

/*
 * The markers of a JPEG made by a plain libjpeg compressor, in order,
 * as a string of names ("SOI APP0 DQT ..."): segment by segment up to
 * SOS, then the entropy-coded data to EOI.
 */
static void
markers(const uint8_t *p, size_t n, char *s, size_t slen)
{
	size_t i = 2, l;
	unsigned m;

	snprintf(s, slen, "%s", n >= 2 && p[0] == 0xff && p[1] == 0xd8 ?
	    "SOI" : "?");
	while (i + 4 <= n && p[i] == 0xff) {
		m = p[i + 1];
		l = (size_t)p[i + 2] << 8 | p[i + 3];
		snprintf(s + strlen(s), slen - strlen(s), " %s",
		    m == 0xe0 ? "APP0" : m == 0xdb ? "DQT" : m == 0xc0 ?
		    "SOF0" : m == 0xc4 ? "DHT" : m == 0xda ? "SOS" : "OTHER");
		i += 2 + l;
		if (m == 0xda)
			break;
	}
	for (; i + 1 < n; i++)
		if (p[i] == 0xff && p[i + 1] != 0x00 &&
		    !(p[i + 1] >= 0xd0 && p[i + 1] <= 0xd7))
			break;
	snprintf(s + strlen(s), slen - strlen(s), " %s", i + 2 == n &&
	    p[i + 1] == 0xd9 ? "EOI" : "TAIL");
}

static void
strips_metadata(void)
{
	static const uint8_t exif[] = { 0xff, 0xe1, 0x00, 0x1a, 'E', 'x',
	    'i', 'f', 0, 0, 'G', 'P', 'S', ' ', '3', '8', '.', '8', '9', '7',
	    ' ', '-', '7', '7', '.', '0', '3', '6' };
	static const uint8_t com[] = { 0xff, 0xfe, 0x00, 0x10, 'c', 'a',
	    's', 'e', ' ', 'A', '-', '1', '2', '3', '4', '5', '6', '7' };
	struct mindl_jpeg_fault f;
	uint8_t *j = NULL, *in = NULL, *t = NULL;
	size_t jn = 0, inn, tn = 0;
	char m[256];

	CHECK(face(0, FACE_W, FACE_H, &j, &jn) == 0);
	if (j == NULL)
		return;
	/* After libjpeg's SOI and 18-byte APP0: EXIF, then a comment. */
	CHECK(jn > 20 && j[2] == 0xff && j[3] == 0xe0);
	inn = jn + sizeof(exif) + sizeof(com);
	if ((in = malloc(inn)) == NULL)
		goto out;
	memcpy(in, j, 20);
	memcpy(in + 20, exif, sizeof(exif));
	memcpy(in + 20 + sizeof(exif), com, sizeof(com));
	memcpy(in + 20 + sizeof(exif) + sizeof(com), j + 20, jn - 20);
	/* The portrait rule refuses it as it is... */
	CHECK_ERR(mindl_jpeg_check(in, inn, &f), MINDL_ERR_PORTRAIT);
	CHECK(f.marker == 0xffe1);
	/* ...and the thumbnail of it holds none of it. */
	CHECK_ERR(thumb(in, inn, &t, &tn), MINDL_OK);
	if (t == NULL)
		goto out;
	CHECK_ERR(mindl_jpeg_check(t, tn, NULL), MINDL_OK);
	CHECK(!test_has_bytes(t, tn, "Exif", 4));
	CHECK(!test_has_bytes(t, tn, "GPS", 3));
	CHECK(!test_has_bytes(t, tn, "A-1234567", 9));
	markers(t, tn, m, sizeof(m));
	/* Exactly these segments; optimised tables: one DC and one AC. */
	CHECK(strcmp(m, "SOI APP0 DQT SOF0 DHT DHT SOS EOI") == 0);
	if (strcmp(m, "SOI APP0 DQT SOF0 DHT DHT SOS EOI") != 0)
		fprintf(stderr, "markers: %s\n", m);
	/* The JFIF header as written: 1.01, no density, no thumbnail. */
	CHECK(memcmp(t + 2, "\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01"
	    "\x00\x01\x00\x00", 18) == 0);
 out:
	free(j);
	free(in);
	free(t);
}

/* Within the box, grey, never scaled up; the same bytes twice. */
static void
shape(void)
{
	struct mindl_buf px;
	uint8_t *j = NULL, *t = NULL, *t2 = NULL;
	size_t jn = 0, tn = 0, tn2 = 0;
	unsigned w = 0, h = 0;

	CHECK(face(1, FACE_W, FACE_H, &j, &jn) == 0);
	CHECK_ERR(thumb(j, jn, &t, &tn), MINDL_OK);
	CHECK_ERR(thumb(j, jn, &t2, &tn2), MINDL_OK);
	CHECK(t != NULL && t2 != NULL && tn == tn2 &&
	    memcmp(t, t2, tn) == 0);
	mindl_buf_init(&px, 1 << 20);
	CHECK_ERR(mindl_jpeg_decode(t, tn, 1000, 1000, MINDL_JPEG_GREY, &px,
	    &w, &h), MINDL_OK);
	/* 480 x 600 is the box's 4:5: it fills it. */
	CHECK(w == MINDL_JPEG_THUMB_W && h == MINDL_JPEG_THUMB_H);
	mindl_buf_clear(&px);
	/* One component in SOF0 (grey): FF C0 len 8 h h w w 01. */
	CHECK(test_has_bytes(t, tn, "\xff\xc0\x00\x0b\x08\x00\x3c\x00\x30\x01",
	    10));
	free(t);
	free(t2);
	free(j);
	t = j = NULL;

	/* A 3:4 portrait fits the box's height. */
	CHECK(face(2, 300, 400, &j, &jn) == 0);
	CHECK_ERR(thumb(j, jn, &t, &tn), MINDL_OK);
	CHECK_ERR(mindl_jpeg_decode(t, tn, 1000, 1000, MINDL_JPEG_GREY, &px,
	    &w, &h), MINDL_OK);
	CHECK(w == 45 && h == 60);
	mindl_buf_clear(&px);
	free(t);
	free(j);
	t = NULL;

	/* The 48 x 64 test portrait and a 16 x 16 one: never scaled up. */
	CHECK_ERR(thumb(test_jpeg, sizeof(test_jpeg), &t, &tn), MINDL_OK);
	CHECK_ERR(mindl_jpeg_check(t, tn, NULL), MINDL_OK);
	free(t);
	t = NULL;
	{
		struct test_jpeg_opts o = { JCS_RGB, 3, JCS_YCbCr, 90, 0, 0,
		    0, 0, 0 };
		uint8_t q[16 * 16 * 3];

		test_jpeg_quadrants(q);
		CHECK(test_jpeg_make(&o, q, 16, 16, &j, &jn) == 0);
	}
	CHECK_ERR(thumb(j, jn, &t, &tn), MINDL_OK);
	CHECK_ERR(mindl_jpeg_decode(t, tn, 1000, 1000, MINDL_JPEG_GREY, &px,
	    &w, &h), MINDL_OK);
	CHECK(w == 16 && h == 16);
	mindl_buf_clear(&px);
	free(t);
	free(j);
}

/*
 * Sizes: faces come out at 400 bytes to the target (printed); pure
 * noise, the worst a picture can be, is brought down by the quality
 * steps, and stays under MINDL_JPEG_THUMB_MAX even at the floor.
 */
static void
sizes(void)
{
	struct test_jpeg_opts o = { JCS_RGB, 3, JCS_YCbCr, 95, 0, 0, 0, 0,
	    0 };
	uint8_t *j = NULL, *t = NULL, *px;
	size_t jn = 0, tn = 0, i;
	uint32_t s = 12345;
	uint32_t seed;

	for (seed = 0; seed < 4; seed++) {
		CHECK(face(seed, FACE_W, FACE_H, &j, &jn) == 0);
		CHECK_ERR(thumb(j, jn, &t, &tn), MINDL_OK);
		printf("thumbnail of face %u (%zu bytes, %ux%u): %zu bytes\n",
		    seed, jn, FACE_W, FACE_H, tn);
		CHECK(tn >= 400 && tn <= MINDL_JPEG_THUMB_TARGET);
		free(j);
		free(t);
		j = t = NULL;
	}
	/* Noise at the thumbnail's own size: nothing averages it away. */
	if ((px = malloc((size_t)MINDL_JPEG_THUMB_W * MINDL_JPEG_THUMB_H *
	    3)) == NULL)
		return;
	for (i = 0; i < (size_t)MINDL_JPEG_THUMB_W * MINDL_JPEG_THUMB_H * 3;
	    i++) {
		s ^= s << 13;
		s ^= s >> 17;
		s ^= s << 5;
		px[i] = (uint8_t)s;
	}
	CHECK(test_jpeg_make(&o, px, MINDL_JPEG_THUMB_W, MINDL_JPEG_THUMB_H,
	    &j, &jn) == 0);
	free(px);
	CHECK_ERR(thumb(j, jn, &t, &tn), MINDL_OK);
	printf("thumbnail of noise: %zu bytes\n", tn);
	CHECK(tn > MINDL_JPEG_THUMB_TARGET && tn <= 1024);
	CHECK_ERR(mindl_jpeg_check(t, tn, NULL), MINDL_OK);
	free(j);
	free(t);
}

/* What cannot be decoded is refused, and nothing is appended. */
static void
refusals(void)
{
	struct mindl_buf b;
	uint8_t bad[sizeof(test_jpeg)];

	mindl_buf_init(&b, MINDL_MAX_INPUT);
	CHECK_ERR(mindl_jpeg_thumbnail((const uint8_t *)"hello", 5, &b),
	    MINDL_ERR_PORTRAIT);
	memcpy(bad, test_jpeg, sizeof(bad));
	/* Truncated scan: libjpeg would fill it with grey. */
	CHECK_ERR(mindl_jpeg_thumbnail(bad, TEST_JPEG_SCAN + 4, &b),
	    MINDL_ERR_PORTRAIT);
	CHECK(mindl_buf_len(&b) == 0);
	CHECK_ERR(mindl_jpeg_thumbnail(NULL, 5, &b), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_jpeg_thumbnail(bad, sizeof(bad), NULL),
	    MINDL_ERR_INVALID_ARG);
	mindl_buf_clear(&b);
	/* An output buffer too small for it. */
	mindl_buf_init(&b, 64);
	CHECK_ERR(mindl_jpeg_thumbnail(test_jpeg, sizeof(test_jpeg), &b),
	    MINDL_ERR_TOO_LARGE);
	mindl_buf_clear(&b);
}

int
main(void)
{
	RUN(strips_metadata);
	RUN(shape);
	RUN(sizes);
	RUN(refusals);
	UNIT_DONE();
}
