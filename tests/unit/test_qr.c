/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: QR codes (mindl/qr.h).  RFC 9285's base45 examples and the
 * group rules; round trips of DeviceResponse-like CBOR of 500 to 2500
 * bytes through the text and through PNG and zbar, with the version each
 * needs at level M (printed); the same picture rotated, blurred and
 * shrunk, and as a JPEG, still scans; every kind of damaged or hostile
 * text and image is refused with its named error; every allocation the
 * library makes may fail and gives MINDL_ERR_NOMEM.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "mindl/mindl.h"
#include "internal.h"
#include "unit.h"
#include "../common/testjpeg.h"
#include "../common/testlib.h"
#include "../common/testqr.h"

#define BIG	(1u << 26)	/* a cap that does not bind */

/* A grey picture: 0 black, 255 white. */
struct pic {
	unsigned	 w, h;
	uint8_t		*px;
};

static void
pic_free(struct pic *p)
{
	free(p->px);
	p->px = NULL;
	p->w = p->h = 0;
}

static struct pic
pic_new(unsigned w, unsigned h, uint8_t fill)
{
	struct pic p = { w, h, malloc((size_t)w * h) };

	if (p.px == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(1);
	}
	memset(p.px, fill, (size_t)w * h);
	return p;
}

/* The symbol drawn at `scale' pixels a module with a quiet zone. */
static struct pic
pic_symbol(const struct mindl_qr *q, unsigned scale, unsigned quiet)
{
	unsigned side = (mindl_qr_width(q) + 2 * quiet) * scale, x, y;
	struct pic p = pic_new(side, side, 255);

	for (y = 0; y < side; y++)
		for (x = 0; x < side; x++)
			if (x / scale >= quiet && y / scale >= quiet &&
			    mindl_qr_dark(q, x / scale - quiet,
			    y / scale - quiet))
				p.px[(size_t)y * side + x] = 0;
	return p;
}

/* Bilinear sample at (fx, fy); white outside. */
static double
sample(const struct pic *p, double fx, double fy)
{
	double ax, ay, v = 0, fl;
	long x0, y0, x, y;
	int i, j;

	fl = floor(fx);
	x0 = (long)fl;
	fl = floor(fy);
	y0 = (long)fl;

	ax = fx - (double)x0;
	ay = fy - (double)y0;
	for (j = 0; j < 2; j++)
		for (i = 0; i < 2; i++) {
			x = x0 + i;
			y = y0 + j;
			v += (i ? ax : 1 - ax) * (j ? ay : 1 - ay) *
			    (x < 0 || y < 0 || x >= (long)p->w ||
			    y >= (long)p->h ? 255.0 :
			    p->px[(size_t)y * p->w + (size_t)x]);
		}
	return v;
}

static uint8_t
clamp(double v)
{
	return v <= 0 ? 0 : v >= 255 ? 255 : (uint8_t)(v + 0.5);
}

/* Rotated by deg degrees about the centre, on a canvas that holds it. */
static struct pic
pic_rotate(const struct pic *s, double deg)
{
	double a = deg * M_PI / 180, c = cos(a), n = sin(a), cx, cy, dx, dy;
	unsigned w = (unsigned)(fabs(c) * s->w + fabs(n) * s->h) + 2;
	unsigned h = (unsigned)(fabs(n) * s->w + fabs(c) * s->h) + 2, x, y;
	struct pic d = pic_new(w, h, 255);

	cx = s->w / 2.0;
	cy = s->h / 2.0;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			dx = x + 0.5 - w / 2.0;
			dy = y + 0.5 - h / 2.0;
			d.px[(size_t)y * w + x] = clamp(sample(s,
			    c * dx + n * dy + cx - 0.5,
			    -n * dx + c * dy + cy - 0.5));
		}
	return d;
}

/* Gaussian blur of standard deviation sigma, in two passes. */
static struct pic
pic_blur(const struct pic *s, double sigma)
{
	double k[16], sum = 0, v, c = ceil(3 * sigma);
	int r = (int)c, i;
	struct pic t = pic_new(s->w, s->h, 255), d = pic_new(s->w, s->h, 255);
	long x, y, xx, yy;

	if (r > 7)
		r = 7;
	for (i = -r; i <= r; i++)
		sum += k[i + r] = exp(-(double)(i * i) / (2 * sigma * sigma));
	for (i = 0; i <= 2 * r; i++)
		k[i] /= sum;
	for (y = 0; y < (long)s->h; y++)
		for (x = 0; x < (long)s->w; x++) {
			for (v = 0, i = -r; i <= r; i++) {
				xx = x + i < 0 ? 0 : x + i >= (long)s->w ?
				    (long)s->w - 1 : x + i;
				v += k[i + r] * s->px[(size_t)y * s->w +
				    (size_t)xx];
			}
			t.px[(size_t)y * s->w + (size_t)x] = clamp(v);
		}
	for (y = 0; y < (long)s->h; y++)
		for (x = 0; x < (long)s->w; x++) {
			for (v = 0, i = -r; i <= r; i++) {
				yy = y + i < 0 ? 0 : y + i >= (long)s->h ?
				    (long)s->h - 1 : y + i;
				v += k[i + r] * t.px[(size_t)yy * s->w +
				    (size_t)x];
			}
			d.px[(size_t)y * s->w + (size_t)x] = clamp(v);
		}
	pic_free(&t);
	return d;
}

/* Shrunk by f (< 1): each pixel the mean of the area it covers. */
static struct pic
pic_shrink(const struct pic *s, double f)
{
	unsigned w = (unsigned)(s->w * f), h = (unsigned)(s->h * f), x, y;
	unsigned sx, sy, x0, x1, y0, y1;
	struct pic d = pic_new(w, h, 255);
	double v;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			x0 = (unsigned)(x / f);
			x1 = (unsigned)((x + 1) / f);
			y0 = (unsigned)(y / f);
			y1 = (unsigned)((y + 1) / f);
			if (x1 > s->w)
				x1 = s->w;
			if (y1 > s->h)
				y1 = s->h;
			for (v = 0, sy = y0; sy < y1; sy++)
				for (sx = x0; sx < x1; sx++)
					v += s->px[(size_t)sy * s->w + sx];
			d.px[(size_t)y * w + x] = clamp(v / ((x1 - x0) *
			    (y1 - y0)));
		}
	return d;
}

/* A payload of n bytes (realistic compressibility), seed s. */
static uint8_t *
payload(size_t n, uint64_t s)
{
	uint8_t *p = malloc(n);

	if (p == NULL || testqr_payload(p, n, s) != 0) {
		fprintf(stderr, "payload %zu\n", n);
		exit(1);
	}
	return p;
}

/* QR text of cbor[0..n), malloc'd and NUL-terminated. */
static char *
text_of(const uint8_t *cbor, size_t n)
{
	struct mindl_buf t;
	char *s;

	mindl_buf_init(&t, BIG);
	if (mindl_qr_text_encode(cbor, n, &t) != MINDL_OK ||
	    (s = strdup(mindl_buf_str(&t))) == NULL) {
		fprintf(stderr, "text_of %zu\n", n);
		exit(1);
	}
	mindl_buf_clear(&t);
	return s;
}

/* mindl_qr_text_decode of s[0..n): the result, and the bytes must be. */
static int
decode_is(const void *s, size_t n, const uint8_t *want, size_t wantlen)
{
	struct mindl_buf c;
	int r;

	mindl_buf_init(&c, BIG);
	r = mindl_qr_text_decode(s, n, &c);
	if (r == MINDL_OK && (mindl_buf_len(&c) != wantlen ||
	    memcmp(mindl_buf_ptr(&c), want, wantlen) != 0))
		r = MINDL_ERR_INTERNAL;
	if (r != MINDL_OK && mindl_buf_len(&c) != 0)
		r = MINDL_ERR_INTERNAL;		/* output after a refusal */
	mindl_buf_clear(&c);
	return r;
}

static int
decode_str(const char *s)
{
	return decode_is(s, strlen(s), NULL, 0);
}

/* "MDL1:" and base45 of z[0..n) (any bytes, for hand-made streams). */
static char *
text_of_z(const uint8_t *z, size_t n)
{
	struct mindl_buf t;
	char *s;

	mindl_buf_init(&t, BIG);
	(void)mindl_buf_addstr(&t, MINDL_QR_PREFIX);
	if (mindl_qr_base45_encode(z, n, &t) != MINDL_OK ||
	    (s = strdup(mindl_buf_str(&t))) == NULL)
		exit(1);
	mindl_buf_clear(&t);
	return s;
}

/* mindl_qr_scan of img: the result, and the text must be want. */
static int
scan_is(const uint8_t *img, size_t n, const char *want)
{
	struct mindl_buf t;
	int r;

	mindl_buf_init(&t, BIG);
	r = mindl_qr_scan(img, n, &t);
	if (r == MINDL_OK && want != NULL && (mindl_buf_len(&t) !=
	    strlen(want) || memcmp(mindl_buf_ptr(&t), want,
	    strlen(want)) != 0)) {
		fprintf(stderr, "scanned %zu bytes, want %zu\n",
		    mindl_buf_len(&t), strlen(want));
		r = MINDL_ERR_INTERNAL;
	}
	if (r != MINDL_OK && mindl_buf_len(&t) != 0)
		r = MINDL_ERR_INTERNAL;
	mindl_buf_clear(&t);
	return r;
}

/* A grey picture as an 8-bit PNG, scanned. */
static int
scan_pic(const struct pic *p, enum testqr_png_kind kind, const char *want)
{
	uint8_t *png;
	size_t len;
	int r;

	if (testqr_png(p->px, p->w, p->h, kind, &png, &len) != 0)
		return MINDL_ERR_INTERNAL;
	r = scan_is(png, len, want);
	free(png);
	return r;
}

static void
test_base45_rfc9285(void)
{
	/* RFC 9285 sections 4.3 and 4.4. */
	static const struct {
		const char *bytes, *b45;
	} v[] = {
		{ "AB", "BB8" },
		{ "Hello!!", "%69 VD92EX0" },
		{ "base-45", "UJCLQE7W581" },
		{ "ietf!", "QED8WEX0" },
		{ "", "" },
	};
	struct mindl_buf b;
	size_t i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		mindl_buf_init(&b, 64);
		CHECK_ERR(mindl_qr_base45_encode((const uint8_t *)v[i].bytes,
		    strlen(v[i].bytes), &b), MINDL_OK);
		CHECK(strcmp(mindl_buf_str(&b), v[i].b45) == 0);
		mindl_buf_clear(&b);
		CHECK_ERR(mindl_qr_base45_decode((const uint8_t *)v[i].b45,
		    strlen(v[i].b45), &b), MINDL_OK);
		CHECK(strcmp(mindl_buf_str(&b), v[i].bytes) == 0);
		mindl_buf_clear(&b);
	}
}

static void
test_base45_rules(void)
{
	static const char *bad[] = {
		"GGW",		/* 65536: over two bytes */
		"ZZZ",		/* 35 + 35 * 45 + 35 * 2025 */
		"V5",		/* 256: over one byte */
		"::",		/* 44 + 44 * 45 */
		"A",		/* a lone character */
		"BB8A",		/* a lone last character */
		"bb8",		/* lower case is not base45 */
		"BB_",
		"BB\n",
		"BB8\0",
	};
	struct mindl_buf b;
	size_t i, n;
	int k, r;
	uint8_t two[2], three[3];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mindl_buf_init(&b, 64);
		n = strlen(bad[i]) + (i == sizeof(bad) / sizeof(bad[0]) - 1);
		CHECK_ERR(mindl_qr_base45_decode((const uint8_t *)bad[i], n,
		    &b), MINDL_ERR_QR);
		CHECK(mindl_buf_len(&b) == 0 && mindl_buf_err(&b) == MINDL_OK);
		mindl_buf_clear(&b);
	}
	/* The largest values still allowed: 65535 and 255. */
	mindl_buf_init(&b, 64);
	CHECK_ERR(mindl_qr_base45_decode((const uint8_t *)"FGWU5", 5, &b),
	    MINDL_OK);
	CHECK(mindl_buf_len(&b) == 3 && memcmp(mindl_buf_ptr(&b),
	    "\xff\xff\xff", 3) == 0);
	mindl_buf_clear(&b);
	/* Every two-byte value encodes to three characters and back. */
	for (k = 0, r = 0; k < 65536; k++) {
		two[0] = (uint8_t)(k >> 8);
		two[1] = (uint8_t)k;
		mindl_buf_init(&b, 64);
		if (mindl_qr_base45_encode(two, 2, &b) != MINDL_OK ||
		    mindl_buf_len(&b) != 3) {
			r++;
			mindl_buf_clear(&b);
			continue;
		}
		memcpy(three, mindl_buf_ptr(&b), 3);
		mindl_buf_clear(&b);
		if (mindl_qr_base45_decode(three, 3, &b) != MINDL_OK ||
		    mindl_buf_len(&b) != 2 ||
		    memcmp(mindl_buf_ptr(&b), two, 2) != 0)
			r++;
		mindl_buf_clear(&b);
	}
	CHECK(r == 0);
}

/*
 * Round trips through the text at 500 .. 2500 bytes, and the version of
 * the symbol each needs at level M.
 */
static void
test_roundtrip_versions(void)
{
	static const size_t sizes[] = { 500, 800, 1000, 1500, 2000, 2500 };
	struct mindl_qr *q;
	struct mindl_buf t;
	uint8_t *p;
	char *s;
	size_t i, zlen;
	uint64_t seed;
	int v;

	printf("%6s %6s %6s %5s %8s\n", "CBOR", "zlib", "text", "seed",
	    "version");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		for (seed = 1; seed <= 3; seed++) {
			p = payload(sizes[i], seed);
			s = text_of(p, sizes[i]);
			CHECK(strncmp(s, "MDL1:", 5) == 0);
			zlen = (strlen(s) - 5) / 3 * 2 +
			    ((strlen(s) - 5) % 3 == 2);
			CHECK_ERR(decode_is(s, strlen(s), p, sizes[i]),
			    MINDL_OK);
			q = NULL;
			CHECK_ERR(mindl_qr_symbol((const uint8_t *)s,
			    strlen(s), 0, &q), MINDL_OK);
			v = mindl_qr_version(q);
			printf("%6zu %6zu %6zu %5llu %8d\n", sizes[i], zlen,
			    strlen(s), (unsigned long long)seed, v);
			CHECK(v >= 1 && v <= 40);
			CHECK(mindl_qr_width(q) == (unsigned)(17 + 4 * v));
			if (sizes[i] <= 800)
				CHECK(v <= 25);
			mindl_qr_free(&q);
			CHECK(q == NULL);
			free(s);
			free(p);
		}
	}
	/* Random sizes between: every one round-trips and fits v40. */
	for (seed = 100; seed < 120; seed++) {
		i = 500 + (size_t)(seed * 7919 % 2001);
		p = payload(i, seed);
		s = text_of(p, i);
		CHECK_ERR(decode_is(s, strlen(s), p, i), MINDL_OK);
		q = NULL;
		CHECK_ERR(mindl_qr_symbol((const uint8_t *)s, strlen(s), 0,
		    &q), MINDL_OK);
		mindl_qr_free(&q);
		free(s);
		free(p);
	}
	/* Text is upper-case alphanumeric only, and a NUL-terminated string. */
	p = payload(600, 9);
	mindl_buf_init(&t, BIG);
	CHECK_ERR(mindl_qr_text_encode(p, 600, &t), MINDL_OK);
	for (i = 0; i < mindl_buf_len(&t); i++)
		CHECK(strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:",
		    mindl_buf_ptr(&t)[i]) != NULL);
	CHECK(strlen(mindl_buf_str(&t)) == mindl_buf_len(&t));
	/* Appended after what the buffer held. */
	CHECK_ERR(mindl_qr_text_encode(p, 600, &t), MINDL_OK);
	CHECK(mindl_buf_len(&t) % 2 == 0 && memcmp(mindl_buf_ptr(&t),
	    mindl_buf_ptr(&t) + mindl_buf_len(&t) / 2,
	    mindl_buf_len(&t) / 2) == 0);
	mindl_buf_clear(&t);
	free(p);
}

static void
test_line_endings(void)
{
	uint8_t *p = payload(700, 4);
	char *s = text_of(p, 700), *e;
	size_t n = strlen(s);
	static const char *ok[] = { "\n", "\r", "\r\n" };
	static const char *bad[] = { "\n\n", "\r\r", "\n\r", "\r\n\n", " ",
	    " \n", "\t", "\0" };
	size_t i, m;

	if ((e = malloc(n + 4)) == NULL)
		exit(1);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memcpy(e, s, n);
		memcpy(e + n, ok[i], strlen(ok[i]));
		CHECK_ERR(decode_is(e, n + strlen(ok[i]), p, 700), MINDL_OK);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		m = strlen(bad[i]) ? strlen(bad[i]) : 1;
		memcpy(e, s, n);
		memcpy(e + n, bad[i], m);
		CHECK_ERR(decode_is(e, n + m, p, 700), MINDL_ERR_QR);
	}
	/* Leading white space, or a line ending first. */
	e[0] = ' ';
	memcpy(e + 1, s, n);
	CHECK_ERR(decode_is(e, n + 1, p, 700), MINDL_ERR_QR);
	e[0] = '\n';
	CHECK_ERR(decode_is(e, n + 1, p, 700), MINDL_ERR_QR);
	free(e);
	free(s);
	free(p);
}

static void
test_text_refusals(void)
{
	uint8_t *p = payload(900, 5);
	char *s = text_of(p, 900), *t;
	size_t n = strlen(s), i;
	int r, ok = 0, refused = 0, other = 0;
	char c;

	CHECK_ERR(decode_str(""), MINDL_ERR_QR);
	CHECK_ERR(decode_str("MDL1:"), MINDL_ERR_QR);	/* no stream */
	CHECK_ERR(decode_str("\n"), MINDL_ERR_QR);
	/* Another prefix, or this one in another case or shape. */
	if ((t = strdup(s)) == NULL)
		exit(1);
	memcpy(t, "HC1:", 4);
	CHECK_ERR(decode_str(t), MINDL_ERR_QR);
	memcpy(t, "mdl1:", 5);
	CHECK_ERR(decode_str(t), MINDL_ERR_QR);
	memcpy(t, "MDL2:", 5);
	CHECK_ERR(decode_str(t), MINDL_ERR_QR);
	memcpy(t, "MDL1 ", 5);
	CHECK_ERR(decode_str(t), MINDL_ERR_QR);
	CHECK_ERR(decode_str(s + 5), MINDL_ERR_QR);	/* no prefix */
	free(t);
	/* Lower case, or a character outside base45, anywhere. */
	for (i = 5; i < n; i += 97) {
		if ((t = strdup(s)) == NULL)
			exit(1);
		t[i] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] + 32 : '_');
		CHECK_ERR(decode_str(t), MINDL_ERR_QR);
		free(t);
	}
	/* Cut short anywhere: never accepted. */
	for (i = 0; i < n; i++)
		if (decode_is(s, i, p, 900) != MINDL_ERR_QR)
			other++;
	CHECK(other == 0);
	/* One character changed anywhere: zlib's checks catch it. */
	if ((t = strdup(s)) == NULL)
		exit(1);
	for (i = 5; i < n; i++) {
		c = t[i];
		t[i] = c == '0' ? '1' : '0';
		r = decode_is(t, n, p, 900);
		if (r == MINDL_ERR_QR)
			refused++;
		else if (r == MINDL_OK)
			ok++;	/* an unused bit, or the same bytes */
		else
			other++;
		t[i] = c;
	}
	printf("one character changed: %d refused, %d same bytes, %d "
	    "other\n", refused, ok, other);
	CHECK(other == 0);
	CHECK(refused > (int)(n - 5) * 9 / 10);
	free(t);
	free(s);
	free(p);
}

/* zlib streams made by hand: bombs, trailing bytes, other wrappers. */
static void
test_zlib_hostile(void)
{
	static const uint8_t dict[] = "docTypeorg.iso.18013.5.1.mDL";
	uint8_t *zeros, *z, one = 0xa0;
	uLongf zlen;
	char *s;
	z_stream zs;
	int wbits[2] = { -15, 31 }, i;

	if ((zeros = calloc(1, 1 << 20)) == NULL ||
	    (z = malloc(compressBound(1 << 20) + 16)) == NULL)
		exit(1);
	/* 1 MiB of zeros: about 1 KiB of zlib; stops at the cap. */
	zlen = compressBound(1 << 20);
	CHECK(compress2(z, &zlen, zeros, 1 << 20, 9) == Z_OK);
	printf("1 MiB of zeros: %lu bytes of zlib\n", (unsigned long)zlen);
	s = text_of_z(z, zlen);
	CHECK(strlen(s) <= MINDL_QR_MAX_TEXT);
	CHECK_ERR(decode_str(s), MINDL_ERR_QR);
	free(s);
	/* Exactly the cap inflates; a byte more does not. */
	zlen = compressBound(1 << 20);
	CHECK(compress2(z, &zlen, zeros, MINDL_QR_MAX_INFLATED, 9) == Z_OK);
	s = text_of_z(z, zlen);
	CHECK_ERR(decode_is(s, strlen(s), zeros, MINDL_QR_MAX_INFLATED),
	    MINDL_OK);
	free(s);
	zlen = compressBound(1 << 20);
	CHECK(compress2(z, &zlen, zeros, MINDL_QR_MAX_INFLATED + 1, 9) ==
	    Z_OK);
	s = text_of_z(z, zlen);
	CHECK_ERR(decode_str(s), MINDL_ERR_QR);
	free(s);
	/* A byte, or a second stream, after the stream. */
	zlen = compressBound(1 << 20);
	CHECK(compress2(z, &zlen, zeros, 100, 9) == Z_OK);
	z[zlen] = 0;
	s = text_of_z(z, zlen + 1);
	CHECK_ERR(decode_str(s), MINDL_ERR_QR);
	free(s);
	memcpy(z + zlen, z, zlen);
	s = text_of_z(z, 2 * zlen);
	CHECK_ERR(decode_str(s), MINDL_ERR_QR);
	free(s);
	/* A wrong Adler-32; a stream of nothing. */
	z[zlen - 1] ^= 1;
	s = text_of_z(z, zlen);
	CHECK_ERR(decode_str(s), MINDL_ERR_QR);
	free(s);
	zlen = compressBound(1 << 20);
	CHECK(compress2(z, &zlen, zeros, 0, 9) == Z_OK);
	s = text_of_z(z, zlen);
	CHECK_ERR(decode_str(s), MINDL_ERR_QR);
	free(s);
	/* Raw deflate and gzip: not the zlib wrapper. */
	for (i = 0; i < 2; i++) {
		memset(&zs, 0, sizeof(zs));
		CHECK(deflateInit2(&zs, 9, Z_DEFLATED, wbits[i], 8,
		    Z_DEFAULT_STRATEGY) == Z_OK);
		zs.next_in = zeros;
		zs.avail_in = 100;
		zs.next_out = z;
		zs.avail_out = 1024;
		CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
		s = text_of_z(z, zs.total_out);
		CHECK_ERR(decode_str(s), MINDL_ERR_QR);
		free(s);
		(void)deflateEnd(&zs);
	}
	/* A preset dictionary. */
	memset(&zs, 0, sizeof(zs));
	CHECK(deflateInit(&zs, 9) == Z_OK);
	CHECK(deflateSetDictionary(&zs, dict, sizeof(dict) - 1) == Z_OK);
	zs.next_in = (Bytef *)(uintptr_t)dict;
	zs.avail_in = sizeof(dict) - 1;
	zs.next_out = z;
	zs.avail_out = 1024;
	CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
	s = text_of_z(z, zs.total_out);
	CHECK_ERR(decode_str(s), MINDL_ERR_QR);
	free(s);
	(void)deflateEnd(&zs);
	/* Not zlib at all. */
	s = text_of_z(&one, 1);
	CHECK_ERR(decode_str(s), MINDL_ERR_QR);
	free(s);
	free(z);
	free(zeros);
}

static void
test_sizes(void)
{
	struct mindl_buf b;
	struct mindl_qr *q = NULL;
	uint8_t *p, *rnd;
	char *s;
	uint64_t st = 77;
	size_t n;

	/* Text over the cap, before anything else is looked at. */
	if ((s = malloc(MINDL_QR_MAX_TEXT + 3)) == NULL ||
	    (rnd = malloc(MINDL_QR_MAX_INFLATED + 1)) == NULL)
		exit(1);
	memset(s, 'A', MINDL_QR_MAX_TEXT + 3);
	memcpy(s, "MDL1:", 5);
	CHECK_ERR(decode_is(s, MINDL_QR_MAX_TEXT + 1, NULL, 0),
	    MINDL_ERR_TOO_LARGE);
	CHECK_ERR(decode_is(s, MINDL_QR_MAX_TEXT + 3, NULL, 0),
	    MINDL_ERR_TOO_LARGE);
	/* At the cap: judged as base45 (a lone last character here). */
	CHECK_ERR(decode_is(s, MINDL_QR_MAX_TEXT, NULL, 0), MINDL_ERR_QR);
	s[MINDL_QR_MAX_TEXT] = '\n';
	CHECK_ERR(decode_is(s, MINDL_QR_MAX_TEXT + 1, NULL, 0), MINDL_ERR_QR);
	/* No symbol holds 3392 alphanumerics at level M. */
	CHECK_ERR(mindl_qr_symbol((const uint8_t *)s, 3392, 0, &q),
	    MINDL_ERR_TOO_LARGE);
	CHECK(q == NULL);
	CHECK_ERR(mindl_qr_symbol((const uint8_t *)s, 3391, 0, &q), MINDL_OK);
	CHECK(mindl_qr_version(q) == 40);
	mindl_qr_free(&q);
	free(s);

	/* CBOR the reader would refuse, or text no symbol holds. */
	testqr_random(&st, rnd, MINDL_QR_MAX_INFLATED + 1);
	mindl_buf_init(&b, BIG);
	CHECK_ERR(mindl_qr_text_encode(rnd, MINDL_QR_MAX_INFLATED + 1, &b),
	    MINDL_ERR_TOO_LARGE);
	CHECK_ERR(mindl_qr_text_encode(rnd, 3000, &b), MINDL_ERR_TOO_LARGE);
	CHECK(mindl_buf_len(&b) == 0 && mindl_buf_err(&b) == MINDL_OK);
	/* 2500 random bytes make text, but no symbol at level M. */
	CHECK_ERR(mindl_qr_text_encode(rnd, 2500, &b), MINDL_OK);
	CHECK_ERR(mindl_qr_symbol(mindl_buf_ptr(&b), mindl_buf_len(&b), 0,
	    &q), MINDL_ERR_TOO_LARGE);
	mindl_buf_clear(&b);
	CHECK_ERR(mindl_qr_text_encode(rnd, 0, &b), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_text_encode(NULL, 10, &b), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_text_decode(NULL, 10, &b), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_text_decode((const uint8_t *)"x", 1, NULL),
	    MINDL_ERR_INVALID_ARG);

	/* Output over the caller's cap: its sticky error, nothing added. */
	n = 1200;
	p = payload(n, 6);
	s = text_of(p, n);
	mindl_buf_init(&b, n - 1);
	CHECK_ERR(mindl_qr_text_decode((const uint8_t *)s, strlen(s), &b),
	    MINDL_ERR_TOO_LARGE);
	CHECK(mindl_buf_len(&b) == 0);
	CHECK_ERR(mindl_buf_err(&b), MINDL_ERR_TOO_LARGE);
	/* A buffer already failed is not written to. */
	CHECK_ERR(mindl_qr_text_decode((const uint8_t *)s, strlen(s), &b),
	    MINDL_ERR_TOO_LARGE);
	mindl_buf_clear(&b);
	mindl_buf_init(&b, 100);
	CHECK_ERR(mindl_qr_text_encode(p, n, &b), MINDL_ERR_TOO_LARGE);
	CHECK(mindl_buf_len(&b) == 0);
	mindl_buf_clear(&b);
	free(s);
	free(p);
	free(rnd);
}

static void
test_symbol(void)
{
	struct mindl_qr *q = NULL;
	static const uint8_t txt[] = "MDL1:ABC";

	CHECK_ERR(mindl_qr_symbol(txt, 8, 0, &q), MINDL_OK);
	CHECK(mindl_qr_version(q) == 1 && mindl_qr_width(q) == 21);
	/* Finder patterns: the corners of the three squares are dark. */
	CHECK(mindl_qr_dark(q, 0, 0) && mindl_qr_dark(q, 20, 0) &&
	    mindl_qr_dark(q, 0, 20) && !mindl_qr_dark(q, 7, 7));
	CHECK(!mindl_qr_dark(q, 21, 0) && !mindl_qr_dark(q, 0, 21));
	mindl_qr_free(&q);
	CHECK_ERR(mindl_qr_symbol(txt, 8, 10, &q), MINDL_OK);
	CHECK(mindl_qr_version(q) == 10);
	mindl_qr_free(&q);
	mindl_qr_free(&q);
	mindl_qr_free(NULL);
	CHECK_ERR(mindl_qr_symbol((const uint8_t *)"mdl1:abc", 8, 0, &q),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_symbol((const uint8_t *)"AB\n", 3, 0, &q),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_symbol(txt, 0, 0, &q), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_symbol(txt, 8, 41, &q), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_symbol(txt, 8, -1, &q), MINDL_ERR_INVALID_ARG);
	CHECK(q == NULL);
	CHECK(mindl_qr_version(NULL) == 0 && mindl_qr_width(NULL) == 0 &&
	    mindl_qr_dark(NULL, 0, 0) == 0);
}

/* The module grid read back from half-block text; -1 if malformed. */
static int
halfblocks_check(const struct mindl_qr *q, const uint8_t *s, size_t n,
    unsigned quiet, int dark_blocks)
{
	unsigned side = mindl_qr_width(q) + 2 * quiet, x = 0, y = 0;
	int up, lo, want_up, want_lo;
	size_t i = 0;

	while (i < n) {
		if (s[i] == '\n') {
			if (x != side)
				return -1;
			x = 0;
			y += 2;
			i++;
			continue;
		}
		if (s[i] == ' ') {
			up = lo = 0;
			i++;
		} else if (n - i >= 3 && memcmp(s + i, "\xe2\x96", 2) == 0 &&
		    (s[i + 2] == 0x80 || s[i + 2] == 0x84 || s[i + 2] == 0x88)) {
			up = s[i + 2] != 0x84;
			lo = s[i + 2] != 0x80;
			i += 3;
		} else
			return -1;
		if (x >= side || y >= side)
			return -1;
		want_up = (x >= quiet && y >= quiet && mindl_qr_dark(q,
		    x - quiet, y - quiet)) == dark_blocks;
		want_lo = y + 1 < side && (x >= quiet && y + 1 >= quiet &&
		    mindl_qr_dark(q, x - quiet, y + 1 - quiet)) == dark_blocks;
		if (up != want_up || lo != want_lo)
			return -1;
		x++;
	}
	return y == side + 1 ? 0 : -1;
}

/* Sum of the run lengths in the SVG's path, and its shape; -1 if bad. */
static long
svg_dark(const char *s)
{
	const char *p, *e;
	unsigned x, y, a, b;
	long sum = 0;
	int k;

	if (strncmp(s, "<?xml", 5) != 0 || strstr(s, "crispEdges") == NULL ||
	    (p = strstr(s, "<path fill=\"#000\" d=\"")) == NULL ||
	    strstr(p + 1, "<path") != NULL ||
	    (e = strstr(p, "\"/>\n</svg>\n")) == NULL || e[11] != '\0')
		return -1;
	p += strlen("<path fill=\"#000\" d=\"");
	while (p < e) {
		if (*p == '\n') {
			p++;
			continue;
		}
		if (sscanf(p, "M%u %uh%uv1h-%uz%n", &x, &y, &a, &b, &k) != 4 ||
		    a != b || a == 0)
			return -1;
		sum += a;
		p += k;
	}
	return sum;
}

static void
test_renderers(void)
{
	uint8_t *p = payload(1000, 8);
	char *s = text_of(p, 1000);
	struct mindl_qr *q = NULL;
	struct mindl_buf b;
	unsigned x, y, depth;
	long dark = 0;
	int dk;

	CHECK_ERR(mindl_qr_symbol((const uint8_t *)s, strlen(s), 0, &q),
	    MINDL_OK);
	for (y = 0; y < mindl_qr_width(q); y++)
		for (x = 0; x < mindl_qr_width(q); x++)
			dark += mindl_qr_dark(q, x, y);

	/* PNG at 1 and 8 bits, scanned back to the same text. */
	for (depth = 1; depth <= 8; depth += 7) {
		mindl_buf_init(&b, BIG);
		CHECK_ERR(mindl_qr_png(q, 3, 4, depth, &b), MINDL_OK);
		CHECK(mindl_buf_len(&b) > 8 && memcmp(mindl_buf_ptr(&b),
		    "\x89PNG", 4) == 0);
		printf("PNG v%d, %u bits, 3 px a module: %zu bytes\n",
		    mindl_qr_version(q), depth, mindl_buf_len(&b));
		CHECK_ERR(scan_is(mindl_buf_ptr(&b), mindl_buf_len(&b), s),
		    MINDL_OK);
		mindl_buf_clear(&b);
	}
	/* Too small for the PNG: nothing is left behind. */
	mindl_buf_init(&b, 100);
	CHECK_ERR(mindl_qr_png(q, 3, 4, 8, &b), MINDL_ERR_TOO_LARGE);
	CHECK(mindl_buf_len(&b) == 0);
	mindl_buf_clear(&b);
	mindl_buf_init(&b, BIG);
	CHECK_ERR(mindl_qr_png(q, 0, 4, 8, &b), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_png(q, MINDL_QR_MAX_SCALE + 1, 4, 8, &b),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_png(q, 2, MINDL_QR_MAX_QUIET + 1, 8, &b),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_png(q, 2, 4, 4, &b), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_png(NULL, 2, 4, 8, &b), MINDL_ERR_INVALID_ARG);

	/* SVG: one path whose runs cover exactly the dark modules. */
	CHECK_ERR(mindl_qr_svg(q, 4, 500, &b), MINDL_OK);
	CHECK(svg_dark(mindl_buf_str(&b)) == dark);
	x = (mindl_qr_width(q) + 8) * 500;
	{
		char want[64];

		snprintf(want, sizeof(want), "width=\"%u.%03umm\"", x / 1000,
		    x % 1000);
		CHECK(strstr(mindl_buf_str(&b), want) != NULL);
	}
	mindl_buf_clear(&b);
	CHECK_ERR(mindl_qr_svg(q, 0, 0, &b), MINDL_OK);
	CHECK(svg_dark(mindl_buf_str(&b)) == dark);
	CHECK(strstr(mindl_buf_str(&b), "mm\"") == NULL);
	mindl_buf_clear(&b);

	/* Half blocks, both ways round, read back module by module. */
	for (dk = 0; dk <= 1; dk++) {
		CHECK_ERR(mindl_qr_halfblocks(q, 4, dk, &b), MINDL_OK);
		CHECK(halfblocks_check(q, mindl_buf_ptr(&b),
		    mindl_buf_len(&b), 4, dk) == 0);
		CHECK(memchr(mindl_buf_ptr(&b), 0x1b, mindl_buf_len(&b)) ==
		    NULL);
		mindl_buf_clear(&b);
	}
	CHECK_ERR(mindl_qr_halfblocks(q, 1, 1, &b), MINDL_OK);
	CHECK(halfblocks_check(q, mindl_buf_ptr(&b), mindl_buf_len(&b), 1,
	    1) == 0);
	mindl_buf_clear(&b);
	mindl_buf_init(&b, 10);
	CHECK_ERR(mindl_qr_halfblocks(q, 4, 0, &b), MINDL_ERR_TOO_LARGE);
	CHECK(mindl_buf_len(&b) == 0);
	mindl_buf_clear(&b);
	mindl_qr_free(&q);
	free(s);
	free(p);
}

/* Every PNG colour type a scanner meets, transparency included. */
static void
test_scan_png_kinds(void)
{
	uint8_t *p = payload(700, 10);
	char *s = text_of(p, 700);
	struct mindl_qr *q = NULL;
	struct pic pic;
	int k;

	CHECK_ERR(mindl_qr_symbol((const uint8_t *)s, strlen(s), 0, &q),
	    MINDL_OK);
	pic = pic_symbol(q, 3, 4);
	for (k = 0; k < TESTQR_NKINDS; k++) {
		if (scan_pic(&pic, (enum testqr_png_kind)k, s) != MINDL_OK) {
			fprintf(stderr, "PNG kind %d does not scan\n", k);
			CHECK(0);
		}
	}
	pic_free(&pic);
	mindl_qr_free(&q);
	free(s);
	free(p);
}

/*
 * The same picture rotated 5 degrees, blurred (Gaussian, 1.2 px),
 * shrunk to 60%, and all three, as a PNG and as a JPEG.
 */
static void
test_scan_degraded(void)
{
	static const size_t sizes[] = { 500, 1000, 1500 };
	struct test_jpeg_opts jo;
	struct mindl_qr *q;
	struct pic a, r, bl, sh, all, t;
	uint8_t *p, *jpeg;
	size_t jlen, i;
	char *s;

	memset(&jo, 0, sizeof(jo));
	jo.in = JCS_GRAYSCALE;
	jo.cs = JCS_GRAYSCALE;
	jo.ncomp = 1;
	jo.quality = 85;
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = payload(sizes[i], 11 + i);
		s = text_of(p, sizes[i]);
		q = NULL;
		CHECK_ERR(mindl_qr_symbol((const uint8_t *)s, strlen(s), 0,
		    &q), MINDL_OK);
		a = pic_symbol(q, 4, 4);
		r = pic_rotate(&a, 5);
		bl = pic_blur(&a, 1.2);
		sh = pic_shrink(&a, 0.6);
		t = pic_blur(&r, 1.2);
		all = pic_shrink(&t, 0.6);
		pic_free(&t);
		printf("v%d at 4 px a module: rotated %ux%u, shrunk %ux%u\n",
		    mindl_qr_version(q), r.w, r.h, all.w, all.h);
		CHECK_ERR(scan_pic(&a, TESTQR_GREY8, s), MINDL_OK);
		CHECK_ERR(scan_pic(&r, TESTQR_GREY8, s), MINDL_OK);
		CHECK_ERR(scan_pic(&bl, TESTQR_GREY8, s), MINDL_OK);
		CHECK_ERR(scan_pic(&sh, TESTQR_GREY8, s), MINDL_OK);
		CHECK_ERR(scan_pic(&all, TESTQR_GREY8, s), MINDL_OK);
		/* The degraded picture as a JPEG photo. */
		CHECK(test_jpeg_make(&jo, all.px, all.w, all.h, &jpeg,
		    &jlen) == 0);
		CHECK_ERR(scan_is(jpeg, jlen, s), MINDL_OK);
		/* The JPEG cut short: refused, not scanned as grey. */
		CHECK_ERR(scan_is(jpeg, jlen / 2, s), MINDL_ERR_QR_NOT_FOUND);
		free(jpeg);
		pic_free(&a);
		pic_free(&r);
		pic_free(&bl);
		pic_free(&sh);
		pic_free(&all);
		mindl_qr_free(&q);
		free(s);
		free(p);
	}
}

static void
test_scan_hostile(void)
{
	uint8_t *p = payload(600, 12), *png, *rnd, gif[] = "GIF89a\1\0\1\0";
	uint8_t big[33];
	char *s = text_of(p, 600);
	struct mindl_qr *q = NULL;
	struct mindl_buf b;
	struct pic blank, noise, two, one;
	uint64_t st = 5;
	size_t len, i;
	unsigned x, y;

	CHECK_ERR(mindl_qr_symbol((const uint8_t *)s, strlen(s), 0, &q),
	    MINDL_OK);
	one = pic_symbol(q, 3, 4);
	/* A PNG that is not a QR code: white, and noise. */
	blank = pic_new(200, 150, 255);
	CHECK_ERR(scan_pic(&blank, TESTQR_GREY8, NULL),
	    MINDL_ERR_QR_NOT_FOUND);
	noise = pic_new(300, 300, 255);
	testqr_random(&st, noise.px, (size_t)noise.w * noise.h);
	CHECK_ERR(scan_pic(&noise, TESTQR_GREY8, NULL),
	    MINDL_ERR_QR_NOT_FOUND);
	/* Two codes in one picture: which one was meant? */
	two = pic_new(one.w * 2 + 10, one.h, 255);
	for (y = 0; y < one.h; y++)
		for (x = 0; x < one.w; x++) {
			two.px[(size_t)y * two.w + x] =
			    one.px[(size_t)y * one.w + x];
			two.px[(size_t)y * two.w + x + one.w + 10] =
			    one.px[(size_t)y * one.w + x];
		}
	CHECK_ERR(scan_pic(&two, TESTQR_GREY8, NULL), MINDL_ERR_QR_NOT_FOUND);

	/* The good PNG cut short anywhere, or damaged. */
	CHECK(testqr_png(one.px, one.w, one.h, TESTQR_GREY8, &png, &len) ==
	    0);
	CHECK_ERR(scan_is(png, len, s), MINDL_OK);
	for (i = 0; i < len; i += len / 13 + 1)
		CHECK_ERR(scan_is(png, i, NULL), i < 8 ?
		    MINDL_ERR_UNSUPPORTED : MINDL_ERR_QR_NOT_FOUND);
	/* Without IEND (12 bytes): cut all the same. */
	CHECK_ERR(scan_is(png, len - 12, NULL), MINDL_ERR_QR_NOT_FOUND);
	png[len / 2] ^= 0x55;		/* an IDAT CRC no longer matches */
	CHECK_ERR(scan_is(png, len, NULL), MINDL_ERR_QR_NOT_FOUND);
	png[len / 2] ^= 0x55;
	/* Too large a side, from IHDR, before any pixel. */
	memcpy(big, png, sizeof(big));
	big[16] = 0;
	big[17] = 0;
	big[18] = 0x20;			/* width 8193 */
	big[19] = 0x01;
	CHECK_ERR(scan_is(big, sizeof(big), NULL), MINDL_ERR_TOO_LARGE);
	big[18] = 0x20;			/* 8192: libpng judges the rest */
	big[19] = 0x00;
	CHECK_ERR(scan_is(big, sizeof(big), NULL), MINDL_ERR_QR_NOT_FOUND);
	free(png);

	/* Not an image; an image of another kind; nothing. */
	if ((rnd = malloc(4096)) == NULL)
		exit(1);
	testqr_random(&st, rnd, 4096);
	rnd[0] = 0;
	CHECK_ERR(scan_is(rnd, 4096, NULL), MINDL_ERR_UNSUPPORTED);
	CHECK_ERR(scan_is(gif, sizeof(gif) - 1, NULL), MINDL_ERR_UNSUPPORTED);
	CHECK_ERR(scan_is((const uint8_t *)"", 0, NULL),
	    MINDL_ERR_UNSUPPORTED);
	CHECK_ERR(scan_is((const uint8_t *)s, strlen(s), NULL),
	    MINDL_ERR_UNSUPPORTED);
	/* Random bytes behind a PNG signature or a JPEG SOI. */
	memcpy(rnd, "\x89PNG\r\n\x1a\n", 8);
	CHECK_ERR(scan_is(rnd, 4096, NULL), MINDL_ERR_QR_NOT_FOUND);
	memcpy(rnd, "\xff\xd8\xff", 3);
	CHECK_ERR(scan_is(rnd, 4096, NULL), MINDL_ERR_QR_NOT_FOUND);
	CHECK_ERR(scan_is(test_jpeg, sizeof(test_jpeg), NULL),
	    MINDL_ERR_QR_NOT_FOUND);
	CHECK_ERR(scan_is(rnd, MINDL_QR_MAX_IMAGE + 1, NULL),
	    MINDL_ERR_TOO_LARGE);
	mindl_buf_init(&b, BIG);
	CHECK_ERR(mindl_qr_scan(NULL, 10, &b), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(mindl_qr_scan(rnd, 10, NULL), MINDL_ERR_INVALID_ARG);
	mindl_buf_clear(&b);
	/* The scanned text over the caller's cap. */
	CHECK(testqr_png(one.px, one.w, one.h, TESTQR_GREY8, &png, &len) ==
	    0);
	mindl_buf_init(&b, 10);
	CHECK_ERR(mindl_qr_scan(png, len, &b), MINDL_ERR_TOO_LARGE);
	CHECK(mindl_buf_len(&b) == 0);
	mindl_buf_clear(&b);
	free(png);
	free(rnd);
	pic_free(&blank);
	pic_free(&noise);
	pic_free(&two);
	pic_free(&one);
	mindl_qr_free(&q);
	free(s);
	free(p);
}

/* Every allocation of the library's own, failed in turn: NOMEM, no leak. */
static int
alloc_scenario(int which)
{
	static uint8_t *p, *png;
	static char *s;
	static size_t plen = 800, pnglen;
	struct mindl_qr *q = NULL;
	struct mindl_buf b;
	int r;

	if (p == NULL) {
		p = payload(plen, 13);
		s = text_of(p, plen);
		CHECK_ERR(mindl_qr_symbol((const uint8_t *)s, strlen(s), 0,
		    &q), MINDL_OK);
		mindl_buf_init(&b, BIG);
		CHECK_ERR(mindl_qr_png(q, 2, 4, 8, &b), MINDL_OK);
		CHECK(test_take(MINDL_OK, &b, &png, &pnglen) == MINDL_OK);
		mindl_qr_free(&q);
	}
	if (which < 0) {
		free(p);
		free(s);
		free(png);
		p = png = NULL;
		s = NULL;
		return 0;
	}
	mindl_buf_init(&b, BIG);
	switch (which) {
	case 0:
		r = mindl_qr_text_encode(p, plen, &b);
		break;
	case 1:
		r = mindl_qr_text_decode((const uint8_t *)s, strlen(s), &b);
		break;
	case 2:
		if ((r = mindl_qr_symbol((const uint8_t *)s, strlen(s), 0,
		    &q)) == MINDL_OK && (r = mindl_qr_png(q, 2, 4, 1, &b)) ==
		    MINDL_OK && (r = mindl_qr_svg(q, 4, 0, &b)) == MINDL_OK)
			r = mindl_qr_halfblocks(q, 4, 0, &b);
		mindl_qr_free(&q);
		break;
	default:
		r = mindl_qr_scan(png, pnglen, &b);
		break;
	}
	mindl_buf_clear(&b);
	return r;
}

static void
test_alloc_failures(void)
{
	long n, count;
	int k, r;

	for (k = 0; k < 4; k++) {
		(void)alloc_scenario(k);	/* the fixtures, unfailed */
		mindl_fail_alloc_at(0);
		CHECK_ERR(alloc_scenario(k), MINDL_OK);
		count = mindl_alloc_count();
		CHECK(count > 0);
		for (n = 1; n <= count; n++) {
			mindl_fail_alloc_at(n);
			r = alloc_scenario(k);
			if (mindl_alloc_failed() == 0)
				CHECK_ERR(r, MINDL_OK);
			else if (r != MINDL_ERR_NOMEM) {
				fprintf(stderr, "scenario %d: allocation %ld "
				    "of %ld: %s\n", k, n, count,
				    mindl_errname(r));
				CHECK(0);
			}
		}
		mindl_fail_alloc_at(0);
	}
	(void)alloc_scenario(-1);
}

int
main(void)
{
	if (getenv("MINDL_DEBUG") != NULL)
		mindl_set_debug(1);
	RUN(test_base45_rfc9285);
	RUN(test_base45_rules);
	RUN(test_roundtrip_versions);
	RUN(test_line_endings);
	RUN(test_text_refusals);
	RUN(test_zlib_hostile);
	RUN(test_sizes);
	RUN(test_symbol);
	RUN(test_renderers);
	RUN(test_scan_png_kinds);
	RUN(test_scan_degraded);
	RUN(test_scan_hostile);
	RUN(test_alloc_failures);
	UNIT_DONE();
}
