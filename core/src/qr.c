/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: QR text (prefix, RFC 9285 base45, zlib) and QR symbols on
 * libqrencode, drawn as SVG and as terminal text (see mindl/qr.h and
 * DESIGN.md section 3.10).  PNG output and scanning are in qr_image.c.
 *
 * zlib is the only compressor: deflate at level 9 to write, inflate
 * into a fixed buffer of MINDL_QR_MAX_INFLATED bytes to read, so that
 * the cap holds before any byte past it is produced.  zlib allocates
 * through mindl_calloc, so fault injection reaches it.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>
#include <zlib.h>

#include "mindl/buf.h"
#include "mindl/err.h"
#include "mindl/key.h"
#include "mindl/qr.h"
#include "internal.h"

/* RFC 9285 section 4: the 45 characters, which are also QR's alphanumerics. */
static const char b45[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

struct mindl_qr {
	int		 version;
	unsigned	 width;
	uint8_t		*mod;		/* width * width, 1 = dark */
};

/* The base45 value of character c, or -1. */
static int
b45_value(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	switch (c) {
	case ' ':
		return 36;
	case '$':
		return 37;
	case '%':
		return 38;
	case '*':
		return 39;
	case '+':
		return 40;
	case '-':
		return 41;
	case '.':
		return 42;
	case '/':
		return 43;
	case ':':
		return 44;
	default:
		return -1;
	}
}

int
mindl_qr_base45_encode(const uint8_t *p, size_t n, struct mindl_buf *out)
{
	uint8_t *dst;
	size_t i, k = 0, olen;
	unsigned v;
	int r;

	if ((p == NULL && n != 0) || out == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(out)) != MINDL_OK)
		return r;
	/* Three characters for two bytes, two for a last odd one. */
	if (n / 2 > (SIZE_MAX - 2) / 3)
		return mindl_buf_fail(out, MINDL_ERR_TOO_LARGE);
	olen = n / 2 * 3 + (n % 2) * 2;
	if (olen == 0)
		return MINDL_OK;
	if ((dst = mindl_buf_reserve(out, olen)) == NULL)
		return mindl_buf_err(out);
	for (i = 0; i + 1 < n; i += 2) {
		v = (unsigned)p[i] << 8 | p[i + 1];
		dst[k++] = (uint8_t)b45[v % 45];
		dst[k++] = (uint8_t)b45[v / 45 % 45];
		dst[k++] = (uint8_t)b45[v / 2025];
	}
	if (i < n) {
		v = p[i];
		dst[k++] = (uint8_t)b45[v % 45];
		dst[k++] = (uint8_t)b45[v / 45];
	}
	mindl_buf_commit(out, k);
	return MINDL_OK;
}

int
mindl_qr_base45_decode(const uint8_t *s, size_t n, struct mindl_buf *out)
{
	uint8_t *dst;
	size_t i, k = 0, olen;
	int c[3], r;
	unsigned v;

	if ((s == NULL && n != 0) || out == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(out)) != MINDL_OK)
		return r;
	/* RFC 9285 section 4.2: one character alone encodes nothing. */
	if (n % 3 == 1) {
		mindl_log_debug("%s: %zu characters: a lone last one",
		    __func__, n);
		return MINDL_ERR_QR;
	}
	olen = n / 3 * 2 + (n % 3 == 2 ? 1 : 0);
	if (olen == 0)
		return MINDL_OK;
	if ((dst = mindl_buf_reserve(out, olen)) == NULL)
		return mindl_buf_err(out);
	for (i = 0; i < n; i += 3) {
		c[0] = b45_value(s[i]);
		c[1] = b45_value(s[i + 1]);
		c[2] = i + 2 < n ? b45_value(s[i + 2]) : 0;
		if (c[0] < 0 || c[1] < 0 || c[2] < 0) {
			mindl_log_debug("%s: not base45 at %zu", __func__, i);
			r = MINDL_ERR_QR;
			goto fail;
		}
		v = (unsigned)c[0] + (unsigned)c[1] * 45 +
		    (unsigned)c[2] * 2025;
		if (i + 2 < n) {
			/* "GGW" is 65536: a group names at most 2 bytes. */
			if (v > 0xffff) {
				mindl_log_debug("%s: group at %zu is %u",
				    __func__, i, v);
				r = MINDL_ERR_QR;
				goto fail;
			}
			dst[k++] = (uint8_t)(v >> 8);
			dst[k++] = (uint8_t)(v & 0xff);
		} else {
			if (v > 0xff) {
				mindl_log_debug("%s: last pair is %u",
				    __func__, v);
				r = MINDL_ERR_QR;
				goto fail;
			}
			dst[k++] = (uint8_t)v;
		}
	}
	mindl_buf_commit(out, k);
	return MINDL_OK;
 fail:
	/* Reserved, not committed: wipe what was written. */
	mindl_wipe(dst, olen);
	return r;
}

/* zlib's allocator, so that MINDL_FAIL_ALLOC reaches inflate and deflate. */
static voidpf
z_alloc(voidpf opaque, uInt items, uInt size)
{
	(void)opaque;
	return mindl_calloc(items, size);
}

static void
z_free(voidpf opaque, voidpf p)
{
	(void)opaque;
	free(p);
}

/* Appends the zlib stream (RFC 1950, level 9) of p[0..n) to out. */
static int
deflate_into(const uint8_t *p, size_t n, struct mindl_buf *out)
{
	z_stream zs;
	uint8_t *dst;
	uLong bound;
	int zr, r = MINDL_ERR_INTERNAL, init = 0;

	memset(&zs, 0, sizeof(zs));
	zs.zalloc = z_alloc;
	zs.zfree = z_free;
	if (NEVER(n > MINDL_QR_MAX_INFLATED))
		return MINDL_ERR_TOO_LARGE;
	if ((zr = deflateInit(&zs, 9)) != Z_OK) {
		mindl_log_debug("%s: deflateInit: %d", __func__, zr);
		return zr == Z_MEM_ERROR ? MINDL_ERR_NOMEM : MINDL_ERR_INTERNAL;
	}
	init = 1;
	bound = deflateBound(&zs, (uLong)n);
	if ((dst = mindl_buf_reserve(out, (size_t)bound)) == NULL) {
		r = mindl_buf_err(out);
		goto fail;
	}
	zs.next_in = (Bytef *)(uintptr_t)p;
	zs.avail_in = (uInt)n;
	zs.next_out = dst;
	zs.avail_out = (uInt)bound;
	/* deflateBound promises room for the whole stream in one call. */
	if ((zr = deflate(&zs, Z_FINISH)) != Z_STREAM_END) {
		mindl_log_debug("%s: deflate: %d", __func__, zr);
		r = zr == Z_MEM_ERROR ? MINDL_ERR_NOMEM : MINDL_ERR_INTERNAL;
		goto fail;
	}
	mindl_buf_commit(out, (size_t)bound - zs.avail_out);
	r = MINDL_OK;
 fail:
	if (init)
		(void)deflateEnd(&zs);
	return r;
}

/*
 * Inflates the zlib stream in[0..inlen) into out (empty, its cap at
 * least MINDL_QR_MAX_INFLATED).  The output space is exactly
 * MINDL_QR_MAX_INFLATED bytes; when it fills before the stream ends, a
 * one-byte probe tells a stream that ends there from one that goes on,
 * which is refused without inflating any further.  The stream must end
 * exactly at the end of the input.
 */
static int
inflate_capped(const uint8_t *in, size_t inlen, struct mindl_buf *out)
{
	z_stream zs;
	uint8_t *dst, probe[1];
	size_t have;
	int zr, r = MINDL_ERR_INTERNAL, init = 0, probing = 0;

	memset(&zs, 0, sizeof(zs));
	zs.zalloc = z_alloc;
	zs.zfree = z_free;
	if (inlen == 0 || inlen > UINT_MAX) {
		mindl_log_debug("%s: %zu compressed bytes", __func__, inlen);
		return MINDL_ERR_QR;
	}
	if ((dst = mindl_buf_reserve(out, MINDL_QR_MAX_INFLATED)) == NULL)
		return mindl_buf_err(out);
	/* windowBits 15: the zlib wrapper of RFC 1950, not gzip or raw. */
	if ((zr = inflateInit(&zs)) != Z_OK) {
		mindl_log_debug("%s: inflateInit: %d", __func__, zr);
		r = zr == Z_MEM_ERROR ? MINDL_ERR_NOMEM : MINDL_ERR_INTERNAL;
		goto fail;
	}
	init = 1;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)inlen;
	zs.next_out = dst;
	zs.avail_out = MINDL_QR_MAX_INFLATED;
	for (;;) {
		zr = inflate(&zs, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			break;
		if (zr == Z_MEM_ERROR) {
			r = MINDL_ERR_NOMEM;
			goto fail;
		}
		/* Z_NEED_DICT too: a preset dictionary is not ours. */
		if (zr != Z_OK && zr != Z_BUF_ERROR) {
			mindl_log_debug("%s: zlib: %s", __func__,
			    zs.msg != NULL ? zs.msg : "preset dictionary");
			r = MINDL_ERR_QR;
			goto fail;
		}
		if (zs.avail_out == 0) {
			if (probing)
				break;		/* a byte past the cap */
			probing = 1;
			zs.next_out = probe;
			zs.avail_out = sizeof(probe);
			continue;
		}
		/* Room left, and no progress: the stream is cut short. */
		if (zs.avail_in == 0 || zr == Z_BUF_ERROR) {
			mindl_log_debug("%s: zlib stream cut short", __func__);
			r = MINDL_ERR_QR;
			goto fail;
		}
	}
	if (probing && zs.avail_out == 0) {
		mindl_log_debug("%s: inflates past %d bytes", __func__,
		    MINDL_QR_MAX_INFLATED);
		r = MINDL_ERR_QR;
		goto fail;
	}
	if (zs.avail_in != 0) {
		mindl_log_debug("%s: %u bytes after the zlib stream",
		    __func__, zs.avail_in);
		r = MINDL_ERR_QR;
		goto fail;
	}
	have = probing ? MINDL_QR_MAX_INFLATED :
	    MINDL_QR_MAX_INFLATED - zs.avail_out;
	if (have == 0) {
		mindl_log_debug("%s: inflates to nothing", __func__);
		r = MINDL_ERR_QR;
		goto fail;
	}
	mindl_buf_commit(out, have);
	r = MINDL_OK;
 fail:
	if (init)
		(void)inflateEnd(&zs);
	if (r != MINDL_OK)
		mindl_wipe(dst, MINDL_QR_MAX_INFLATED);
	mindl_wipe(probe, sizeof(probe));
	return r;
}

int
mindl_qr_text_encode(const uint8_t *cbor, size_t len, struct mindl_buf *text)
{
	struct mindl_buf z, t;
	int r;

	if (cbor == NULL || len == 0 || text == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(text)) != MINDL_OK)
		return r;
	if (len > MINDL_QR_MAX_INFLATED) {
		mindl_log_debug("%s: %zu bytes of CBOR, over %d", __func__,
		    len, MINDL_QR_MAX_INFLATED);
		return MINDL_ERR_TOO_LARGE;
	}
	/* No zlib stream of 16 KiB grows past its bound; the text is capped. */
	mindl_buf_init(&z, 2 * MINDL_QR_MAX_INFLATED);
	mindl_buf_init(&t, MINDL_QR_MAX_TEXT);
	if ((r = deflate_into(cbor, len, &z)) != MINDL_OK)
		goto out;
	(void)mindl_buf_add(&t, MINDL_QR_PREFIX, MINDL_QR_PREFIX_LEN);
	if ((r = mindl_qr_base45_encode(mindl_buf_ptr(&z), mindl_buf_len(&z),
	    &t)) != MINDL_OK) {
		if (r == MINDL_ERR_TOO_LARGE)
			mindl_log_debug("%s: %zu compressed bytes: text over "
			    "%d characters", __func__, mindl_buf_len(&z),
			    MINDL_QR_MAX_TEXT);
		goto out;
	}
	r = mindl_buf_add(text, mindl_buf_ptr(&t), mindl_buf_len(&t));
 out:
	mindl_buf_clear(&z);
	mindl_buf_clear(&t);
	return r;
}

int
mindl_qr_text_decode(const uint8_t *text, size_t len, struct mindl_buf *cbor)
{
	struct mindl_buf z, c;
	int r;

	if (text == NULL || cbor == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(cbor)) != MINDL_OK)
		return r;
	/* One line ending, as a keyboard-wedge scanner types it. */
	if (len >= 2 && text[len - 2] == '\r' && text[len - 1] == '\n')
		len -= 2;
	else if (len >= 1 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	if (len > MINDL_QR_MAX_TEXT) {
		mindl_log_debug("%s: %zu characters, over %d", __func__, len,
		    MINDL_QR_MAX_TEXT);
		return MINDL_ERR_TOO_LARGE;
	}
	if (len < MINDL_QR_PREFIX_LEN ||
	    memcmp(text, MINDL_QR_PREFIX, MINDL_QR_PREFIX_LEN) != 0) {
		mindl_log_debug("%s: no %s prefix", __func__, MINDL_QR_PREFIX);
		return MINDL_ERR_QR;
	}
	mindl_buf_init(&z, MINDL_QR_MAX_TEXT);
	mindl_buf_init(&c, MINDL_QR_MAX_INFLATED);
	if ((r = mindl_qr_base45_decode(text + MINDL_QR_PREFIX_LEN,
	    len - MINDL_QR_PREFIX_LEN, &z)) != MINDL_OK)
		goto out;
	if ((r = inflate_capped(mindl_buf_ptr(&z), mindl_buf_len(&z), &c)) !=
	    MINDL_OK)
		goto out;
	r = mindl_buf_add(cbor, mindl_buf_ptr(&c), mindl_buf_len(&c));
 out:
	mindl_buf_clear(&z);
	mindl_buf_clear(&c);
	return r;
}

/* QR's alphanumeric set is base45's alphabet (ISO/IEC 18004 7.4.4). */
static int
is_alnum_text(const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b45_value(s[i]) < 0)
			return 0;
	return 1;
}

int
mindl_qr_symbol(const uint8_t *text, size_t len, int min_version,
    struct mindl_qr **out)
{
	struct mindl_qr *q = NULL;
	QRinput *in = NULL;
	QRcode *code = NULL;
	size_t i, n;
	int r = MINDL_ERR_INTERNAL, e;

	if (out != NULL)
		*out = NULL;
	if (text == NULL || len == 0 || out == NULL || min_version < 0 ||
	    min_version > 40)
		return MINDL_ERR_INVALID_ARG;
	if (!is_alnum_text(text, len)) {
		mindl_log_debug("%s: text not QR alphanumeric", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	if (len > MINDL_QR_MAX_TEXT) {
		mindl_log_debug("%s: %zu characters", __func__, len);
		return MINDL_ERR_TOO_LARGE;
	}
	/*
	 * QRinput, not QRcode_encodeString: only it takes the mode
	 * (the string API's hint is 8-bit or Kanji), and all of the text
	 * goes in one alphanumeric segment.  libqrencode reports by errno.
	 */
	errno = 0;
	if ((in = QRinput_new2(min_version, QR_ECLEVEL_M)) == NULL) {
		r = errno == ENOMEM ? MINDL_ERR_NOMEM : MINDL_ERR_INTERNAL;
		goto fail;
	}
	if (QRinput_append(in, QR_MODE_AN, (int)len, text) != 0) {
		e = errno;
		mindl_log_debug("%s: QRinput_append: errno %d", __func__, e);
		r = e == ENOMEM ? MINDL_ERR_NOMEM : MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	errno = 0;
	if ((code = QRcode_encodeInput(in)) == NULL) {
		e = errno;
		mindl_log_debug("%s: QRcode_encodeInput: errno %d", __func__,
		    e);
		r = e == ENOMEM ? MINDL_ERR_NOMEM : e == ERANGE ?
		    MINDL_ERR_TOO_LARGE : MINDL_ERR_INTERNAL;
		goto fail;
	}
	if (NEVER(code->version < 1 || code->version > 40) ||
	    NEVER(code->width != 17 + 4 * code->version)) {
		r = MINDL_ERR_INTERNAL;
		goto fail;
	}
	if ((q = mindl_calloc(1, sizeof(*q))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	q->version = code->version;
	q->width = (unsigned)code->width;
	n = (size_t)q->width * q->width;
	if ((q->mod = mindl_malloc(n)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	/* libqrencode: bit 0 of each byte is the module's colour. */
	for (i = 0; i < n; i++)
		q->mod[i] = code->data[i] & 1;
	*out = q;
	q = NULL;
	r = MINDL_OK;
 fail:
	mindl_qr_free(&q);
	QRcode_free(code);
	QRinput_free(in);
	return r;
}

void
mindl_qr_free(struct mindl_qr **qp)
{
	struct mindl_qr *q;

	if (qp == NULL || (q = *qp) == NULL)
		return;
	*qp = NULL;
	free(q->mod);
	free(q);
}

int
mindl_qr_version(const struct mindl_qr *q)
{
	return q != NULL ? q->version : 0;
}

unsigned
mindl_qr_width(const struct mindl_qr *q)
{
	return q != NULL ? q->width : 0;
}

int
mindl_qr_dark(const struct mindl_qr *q, unsigned x, unsigned y)
{
	if (q == NULL || x >= q->width || y >= q->width)
		return 0;
	return q->mod[(size_t)y * q->width + x];
}

/* Module (x, y) of the picture with its quiet zone: dark or not. */
static int
dark_at(const struct mindl_qr *q, unsigned quiet, unsigned x, unsigned y)
{
	if (x < quiet || y < quiet)
		return 0;
	return mindl_qr_dark(q, x - quiet, y - quiet);
}

int
mindl_qr_svg(const struct mindl_qr *q, unsigned quiet, unsigned module_um,
    struct mindl_buf *out)
{
	size_t start;
	unsigned w, x, y, run;
	uint64_t um;
	int r;

	if (q == NULL || out == NULL || quiet > MINDL_QR_MAX_QUIET ||
	    module_um > 100000)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(out)) != MINDL_OK)
		return r;
	start = mindl_buf_len(out);
	w = q->width + 2 * quiet;
	(void)mindl_buf_addstr(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"");
	if (module_um != 0) {
		um = (uint64_t)w * module_um;
		(void)mindl_buf_addf(out, " width=\"%llu.%03llumm\" "
		    "height=\"%llu.%03llumm\"",
		    (unsigned long long)(um / 1000),
		    (unsigned long long)(um % 1000),
		    (unsigned long long)(um / 1000),
		    (unsigned long long)(um % 1000));
	}
	(void)mindl_buf_addf(out, " viewBox=\"0 0 %u %u\" "
	    "shape-rendering=\"crispEdges\">\n"
	    "<rect width=\"%u\" height=\"%u\" fill=\"#fff\"/>\n"
	    "<path fill=\"#000\" d=\"", w, w, w, w);
	/* Each run of dark modules in a row is one rectangle. */
	for (y = 0; y < q->width; y++) {
		for (x = 0; x < q->width; x += run) {
			run = 0;
			while (x + run < q->width && mindl_qr_dark(q, x + run, y))
				run++;
			if (run == 0) {
				run = 1;
				continue;
			}
			(void)mindl_buf_addf(out, "M%u %uh%uv1h-%uz", x + quiet,
			    y + quiet, run, run);
		}
		(void)mindl_buf_addc(out, '\n');
	}
	(void)mindl_buf_addstr(out, "\"/>\n</svg>\n");
	if ((r = mindl_buf_err(out)) != MINDL_OK)
		mindl_buf_truncate(out, start);
	return r;
}

#define UPPER_HALF	"\xe2\x96\x80"	/* U+2580 */
#define LOWER_HALF	"\xe2\x96\x84"	/* U+2584 */
#define FULL_BLOCK	"\xe2\x96\x88"	/* U+2588 */

int
mindl_qr_halfblocks(const struct mindl_qr *q, unsigned quiet,
    int dark_blocks, struct mindl_buf *out)
{
	static const char *const cell[4] = { " ", UPPER_HALF, LOWER_HALF,
	    FULL_BLOCK };
	size_t start;
	unsigned w, x, y;
	int r, up, lo;

	if (q == NULL || out == NULL || quiet > MINDL_QR_MAX_QUIET)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(out)) != MINDL_OK)
		return r;
	start = mindl_buf_len(out);
	dark_blocks = dark_blocks != 0;
	w = q->width + 2 * quiet;
	for (y = 0; y < w; y += 2) {
		for (x = 0; x < w; x++) {
			up = dark_at(q, quiet, x, y) == dark_blocks;
			/* Below the picture (w is odd): the terminal's own. */
			lo = y + 1 < w && dark_at(q, quiet, x, y + 1) ==
			    dark_blocks;
			(void)mindl_buf_addstr(out, cell[up | lo << 1]);
		}
		(void)mindl_buf_addc(out, '\n');
	}
	if ((r = mindl_buf_err(out)) != MINDL_OK)
		mindl_buf_truncate(out, start);
	return r;
}
