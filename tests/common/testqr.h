/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Payloads for the QR tests, the QR bench and the QR fuzz seeds: CBOR
 * shaped like a DeviceResponse of exactly n bytes, so that zlib meets
 * what it will meet in practice.  Its labels and element values repeat
 * and compress; its salts, digests, key and signatures are random and do
 * not, in the proportions of a real response (about 1,700 of 2,500 bytes
 * left after zlib).  Deterministic: the same seed gives the same bytes.
 *
 *   {"version": "1.0", "status": 0, "documents": [{"docType":
 *    "org.iso.18013.5.1.mDL", "issuerSigned": {"nameSpaces":
 *    {"org.iso.18013.5.1": [+ #6.24(bstr .cbor {"digestID", "random",
 *    "elementIdentifier", "elementValue"})]}, "issuerAuth": bstr}}]}
 *
 * issuerAuth stands for the COSE_Sign1 with its certificate and MSO: a
 * certificate-like run of names around a random key and signature, a
 * random digest per item, a random signature, then MSO-like labels up
 * to the length asked for.
 *
 * Also a PNG writer for grey pictures in the other colour types a
 * scanner must read (tests of mindl_qr_scan and its fuzz seeds).
 */
#ifndef MINDL_TESTQR_H
#define MINDL_TESTQR_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

/* xorshift64*: reproducible bytes, not for anything secret. */
static inline uint64_t
testqr_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

static inline void
testqr_random(uint64_t *s, uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(testqr_next(s) >> 56);
}

/* A CBOR head of major type mt with argument v at p; returns its length. */
static inline size_t
testqr_head(uint8_t *p, unsigned mt, uint64_t v)
{
	uint8_t m = (uint8_t)(mt << 5);

	if (v < 24) {
		p[0] = (uint8_t)(m | v);
		return 1;
	}
	if (v < 0x100) {
		p[0] = m | 24;
		p[1] = (uint8_t)v;
		return 2;
	}
	if (v < 0x10000) {
		p[0] = m | 25;
		p[1] = (uint8_t)(v >> 8);
		p[2] = (uint8_t)v;
		return 3;
	}
	p[0] = m | 26;
	p[1] = (uint8_t)(v >> 24);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 8);
	p[4] = (uint8_t)v;
	return 5;
}

static inline size_t
testqr_tstr(uint8_t *p, const char *s)
{
	size_t n = strlen(s), k = testqr_head(p, 3, n);

	memcpy(p + k, s, n);
	return k + n;
}

/* Element identifiers and values (text), as a Sample State licence has. */
static const char *const testqr_elements[][2] = {
	{ "family_name", "GARCIA-LOPEZ" }, { "given_name", "MARIA ELENA" },
	{ "birth_date", "1990-04-12" }, { "issue_date", "2026-01-15" },
	{ "expiry_date", "2030-01-15" }, { "issuing_country", "US" },
	{ "issuing_authority", "SAMPLE STATE DMV" },
	{ "document_number", "D12345678" }, { "age_over_18", "" },
	{ "age_over_21", "" }, { "resident_address", "123 MAIN ST APT 4" },
	{ "resident_city", "SPRINGFIELD" }, { "resident_state", "SS" },
	{ "resident_postal_code", "99501" }, { "sex", "" },
	{ "height", "" }, { "eye_colour", "brown" },
	{ "hair_colour", "black" }, { "un_distinguishing_sign", "USA" },
	{ "issuing_jurisdiction", "US-SS" },
	{ "administrative_number", "A998877" }, { "aamva_version", "" },
};

/* One IssuerSignedItemBytes for element i at p; returns its length. */
static inline size_t
testqr_item(uint8_t *p, uint64_t *s, size_t i)
{
	uint8_t in[256];
	size_t n = 0, k = 0;
	const char *id = testqr_elements[i % (sizeof(testqr_elements) /
	    sizeof(testqr_elements[0]))][0];
	const char *val = testqr_elements[i % (sizeof(testqr_elements) /
	    sizeof(testqr_elements[0]))][1];

	n += testqr_head(in + n, 5, 4);
	n += testqr_tstr(in + n, "digestID");
	n += testqr_head(in + n, 0, 65536 + (testqr_next(s) >> 34));
	n += testqr_tstr(in + n, "random");
	n += testqr_head(in + n, 2, 32);
	testqr_random(s, in + n, 32);
	n += 32;
	n += testqr_tstr(in + n, "elementIdentifier");
	n += testqr_tstr(in + n, id);
	n += testqr_tstr(in + n, "elementValue");
	if (*val == '\0')
		in[n++] = 0xf5;				/* true, or a small uint */
	else if (strchr(val, '-') != NULL && strlen(val) == 10 &&
	    val[4] == '-') {
		n += testqr_head(in + n, 6, 1004);	/* full-date */
		n += testqr_tstr(in + n, val);
	} else
		n += testqr_tstr(in + n, val);
	k += testqr_head(p + k, 6, 24);
	k += testqr_head(p + k, 2, n);
	memcpy(p + k, in, n);
	return k + n;
}

static const char testqr_cert_names[] =
    "0\x82\x02\x10US1\x15\x30\x13Sample State DMV1\x0b\x30\tSS"
    "Test IACA\x30\x1e\x17\r260101000000Z\x17\r270101000000Z"
    "1.0.18013.5.1.2mailto:iaca@dmv.example.invalid";
static const char testqr_mso_labels[] =
    "versiondigestAlgorithmSHA-256valueDigestsdeviceKeyInfodeviceKey"
    "docTypeorg.iso.18013.5.1.mDLvalidityInfosignedvalidFromvalidUntil";

/*
 * Writes a payload of exactly n bytes (at least 460) into out; returns 0,
 * or -1 if n is too small.
 */
static inline int
testqr_payload(uint8_t *out, size_t n, uint64_t seed)
{
	uint8_t item[300];
	uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 1;
	size_t k = 0, nitems = 0, il, hl, L = 0, rest, j, i, at, ah;
	/* issuerAuth: certificate, key, signatures; 39 bytes a digest. */
	const size_t fixed = sizeof(testqr_cert_names) - 1 + 65 + 72 + 64;
	const size_t label = 11;			/* "issuerAuth" */

	if (n < 460)
		return -1;
	k += testqr_head(out + k, 5, 3);
	k += testqr_tstr(out + k, "version");
	k += testqr_tstr(out + k, "1.0");
	k += testqr_tstr(out + k, "status");
	out[k++] = 0x00;
	k += testqr_tstr(out + k, "documents");
	k += testqr_head(out + k, 4, 1);
	k += testqr_head(out + k, 5, 2);
	k += testqr_tstr(out + k, "docType");
	k += testqr_tstr(out + k, "org.iso.18013.5.1.mDL");
	k += testqr_tstr(out + k, "issuerSigned");
	k += testqr_head(out + k, 5, 2);
	k += testqr_tstr(out + k, "nameSpaces");
	k += testqr_head(out + k, 5, 1);
	k += testqr_tstr(out + k, "org.iso.18013.5.1");
	/* Items after room for the array's head, which is written last. */
	at = k;
	k += 3;
	for (;;) {
		il = testqr_item(item, &s, nitems);
		if (k + il + label + 3 + fixed + 39 * (nitems + 1) > n)
			break;
		memcpy(out + k, item, il);
		k += il;
		nitems++;
	}
	ah = testqr_head(item, 4, nitems);
	memcpy(out + at, item, ah);
	memmove(out + at + ah, out + at + 3, k - at - 3);
	k -= 3 - ah;
	k += testqr_tstr(out + k, "issuerAuth");
	rest = n - k;
	/* The bstr's head and content fill the rest exactly. */
	for (hl = 1; hl <= 3; hl++) {
		L = rest - hl;
		if (testqr_head(item, 2, L) == hl)
			break;
	}
	if (hl > 3 || L < fixed + 39 * nitems)
		return -1;
	k += testqr_head(out + k, 2, L);
	j = k;
	memcpy(out + k, testqr_cert_names, 40);
	k += 40;
	testqr_random(&s, out + k, 65);			/* the DS key */
	k += 65;
	memcpy(out + k, testqr_cert_names + 40, sizeof(testqr_cert_names) -
	    1 - 40);
	k += sizeof(testqr_cert_names) - 1 - 40;
	testqr_random(&s, out + k, 72);			/* its signature */
	k += 72;
	for (i = 0; i < nitems; i++) {			/* MSO digests */
		k += testqr_head(out + k, 0, 65536 + (testqr_next(&s) >> 34));
		k += testqr_head(out + k, 2, 32);
		testqr_random(&s, out + k, 32);
		k += 32;
	}
	testqr_random(&s, out + k, 64);			/* MSO signature */
	k += 64;
	for (i = 0; k < j + L; i++, k++)
		out[k] = (uint8_t)testqr_mso_labels[i %
		    (sizeof(testqr_mso_labels) - 1)];
	return k == n ? 0 : -1;
}

/* How testqr_png stores a grey picture. */
enum testqr_png_kind {
	TESTQR_GREY8,		/* grey, 8 bits */
	TESTQR_GREY16,		/* grey, 16 bits */
	TESTQR_RGB,		/* RGB, 8 bits, a tint on the light pixels */
	TESTQR_RGBA_CLEAR,	/* RGBA: light pixels transparent black */
	TESTQR_GA_CLEAR,	/* grey+alpha: the same */
	TESTQR_PALETTE_TRNS,	/* 2 bits, palette with a transparent entry */
	TESTQR_INTERLACED,	/* grey, 8 bits, Adam7 */
	TESTQR_NKINDS
};

struct testqr_mem {
	uint8_t	*p;
	size_t	 len, cap;
};

static inline void
testqr_png_write(png_structp png, png_bytep p, size_t n)
{
	struct testqr_mem *m = png_get_io_ptr(png);
	uint8_t *np;

	if (m->len + n > m->cap) {
		m->cap = (m->len + n) * 2;
		if ((np = realloc(m->p, m->cap)) == NULL)
			png_error(png, "out of memory");
		m->p = np;
	}
	memcpy(m->p + m->len, p, n);
	m->len += n;
}

static inline void
testqr_png_flush(png_structp png)
{
	(void)png;
}

/*
 * A PNG of the w x h grey pixels px (0 black .. 255 white, thresholded at
 * 128 for the kinds with transparency or a palette), malloc'd into *out.
 * 0 on success, -1 on failure (libpng's own error handler: a test bug).
 */
static inline int
testqr_png(const uint8_t *px, unsigned w, unsigned h,
    enum testqr_png_kind kind, uint8_t **out, size_t *outlen)
{
	static const int ctype[TESTQR_NKINDS] = { PNG_COLOR_TYPE_GRAY,
	    PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGBA,
	    PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_PALETTE,
	    PNG_COLOR_TYPE_GRAY };
	static const int depth[TESTQR_NKINDS] = { 8, 16, 8, 8, 8, 2, 8 };
	static const unsigned bpp[TESTQR_NKINDS] = { 1, 2, 3, 4, 2, 1, 1 };
	png_color pal[2] = { { 0, 0, 0 }, { 0, 0, 0 } };
	png_byte trns[2] = { 255, 0 };
	struct testqr_mem m = { NULL, 0, 0 };
	png_structp png;
	png_infop info;
	png_bytep *rows;
	uint8_t *img, v, *q;
	unsigned x, y, dark;
	size_t rowlen;

	*out = NULL;
	*outlen = 0;
	if ((unsigned)kind >= TESTQR_NKINDS)
		return -1;
	rowlen = kind == TESTQR_PALETTE_TRNS ? ((size_t)w * 2 + 7) / 8 :
	    (size_t)w * bpp[kind];
	if ((img = calloc(h, rowlen)) == NULL ||
	    (rows = calloc(h, sizeof(*rows))) == NULL) {
		free(img);
		return -1;
	}
	for (y = 0; y < h; y++) {
		rows[y] = img + (size_t)y * rowlen;
		for (x = 0; x < w; x++) {
			v = px[(size_t)y * w + x];
			dark = v < 128;
			q = rows[y] + (size_t)x * bpp[kind];
			switch (kind) {
			case TESTQR_GREY16:
				q[0] = q[1] = v;
				break;
			case TESTQR_RGB:
				q[0] = v;
				q[1] = v;
				q[2] = (uint8_t)(v - v / 8);
				break;
			case TESTQR_RGBA_CLEAR:
				q[3] = dark ? 255 : 0;	/* RGB stay black */
				break;
			case TESTQR_GA_CLEAR:
				q[1] = dark ? 255 : 0;
				break;
			case TESTQR_PALETTE_TRNS:
				/* Index 1 is transparent black. */
				rows[y][x / 4] |= (uint8_t)((dark ? 0 : 1) <<
				    (6 - 2 * (x % 4)));
				break;
			default:
				q[0] = v;
				break;
			}
		}
	}
	if ((png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL,
	    NULL)) == NULL || (info = png_create_info_struct(png)) == NULL) {
		free(rows);
		free(img);
		return -1;
	}
	png_set_write_fn(png, &m, testqr_png_write, testqr_png_flush);
	png_set_IHDR(png, info, w, h, depth[kind], ctype[kind],
	    kind == TESTQR_INTERLACED ? PNG_INTERLACE_ADAM7 :
	    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
	    PNG_FILTER_TYPE_DEFAULT);
	if (kind == TESTQR_PALETTE_TRNS) {
		png_set_PLTE(png, info, pal, 2);
		png_set_tRNS(png, info, trns, 2, NULL);
	}
	png_write_info(png, info);
	(void)png_set_interlace_handling(png);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(rows);
	free(img);
	*out = m.p;
	*outlen = m.len;
	return 0;
}

#endif /* MINDL_TESTQR_H */
