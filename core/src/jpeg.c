/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: portraits by allow-list (see mindl/jpeg.h).  ITU-T T.81 (JPEG)
 * gives the segment layouts, JFIF 1.02 the APP0 header.
 */
#include <string.h>

#include "mindl/err.h"
#include "mindl/jpeg.h"
#include "internal.h"

#define M_SOF0	0xc0
#define M_SOF1	0xc1
#define M_SOF2	0xc2
#define M_DHT	0xc4
#define M_RST0	0xd0
#define M_RST7	0xd7
#define M_SOI	0xd8
#define M_EOI	0xd9
#define M_SOS	0xda
#define M_DQT	0xdb
#define M_DRI	0xdd
#define M_APP0	0xe0

struct jp {
	const uint8_t	*p;
	size_t		 n;
	size_t		 i;
	const char	*why;
	size_t		 at;		/* where the fault is */
	unsigned	 marker;	/* its segment, or 0 */
	int		 app0;		/* seen */
	int		 sof;		/* seen */
	int		 ncomp;		/* components of the frame */
	int		 sos;		/* scans seen */
};

static int
refuse(struct jp *j, const char *why)
{
	j->why = why;
	j->at = j->i;
	mindl_log_debug("jpeg: at %zu: %s", j->i, why);
	return MINDL_ERR_PORTRAIT;
}

const char *
mindl_jpeg_marker_name(unsigned marker)
{
	unsigned m = marker & 0xff;

	if ((marker & 0xff00) != 0xff00)
		return "no marker";
	if (m == 0xe0)
		return "APP0 (JFIF header)";
	if (m == 0xe1)
		return "APP1 (EXIF or XMP metadata)";
	if (m == 0xe2)
		return "APP2 (ICC profile or FlashPix)";
	if (m == 0xed)
		return "APP13 (IPTC or Photoshop metadata)";
	if (m == 0xee)
		return "APP14 (Adobe)";
	if (m > 0xe0 && m <= 0xef)
		return "an APPn application segment";
	if (m == 0xfe)
		return "COM (a comment)";
	if (m >= 0xf0 && m <= 0xfd)
		return "a reserved JPGn segment";
	if (m == 0xff)
		return "a fill byte";
	if (m == 0x01 || (m >= 0x02 && m <= 0xbf))
		return "a reserved marker";
	if (m == 0xdc || m == 0xde || m == 0xdf || m == 0xcc)
		return "DNL, DHP, EXP or DAC";
	if (m >= 0xc3 && m <= 0xcf)
		return "an unsupported frame type (lossless, hierarchical or "
		    "arithmetic)";
	return "a JPEG segment";
}

static unsigned
u16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* JFIF 1.02: "JFIF\0", version 1.x, units, densities, no thumbnail. */
static int
app0(struct jp *j, const uint8_t *s, size_t len)
{
	if (j->app0 || j->i != 2)
		return refuse(j, "APP0 must come once, right after SOI");
	j->app0 = 1;
	if (len < 14 || memcmp(s, "JFIF\0", 5) != 0)
		return refuse(j, "APP0 is not a JFIF header");
	if (s[12] != 0 || s[13] != 0 || len != 14)
		return refuse(j, "JFIF thumbnail or extra bytes (not allowed)");
	if (s[5] != 1 || s[6] > 2 || s[7] > 2)
		return refuse(j, "JFIF version or units out of range");
	if (u16(s + 8) == 0 || u16(s + 10) == 0)
		return refuse(j, "JFIF density of zero");
	return MINDL_OK;
}

/* Tables of 64 entries, 8- or 16-bit, filling the segment exactly. */
static int
dqt(struct jp *j, const uint8_t *s, size_t len)
{
	size_t o = 0, tl;

	while (o < len) {
		if ((s[o] >> 4) > 1 || (s[o] & 0x0f) > 3)
			return refuse(j, "DQT precision or table id");
		tl = 1 + 64 * (size_t)((s[o] >> 4) + 1);
		if (tl > len - o)
			return refuse(j,
			    "DQT length does not match its tables");
		o += tl;
	}
	return len == 0 ? refuse(j, "empty DQT") : MINDL_OK;
}

/* Huffman tables: class, id, 16 counts, the symbols, exactly. */
static int
dht(struct jp *j, const uint8_t *s, size_t len)
{
	size_t o = 0, k, nsym;

	while (o < len) {
		if (len - o < 17 || (s[o] >> 4) > 1 || (s[o] & 0x0f) > 3)
			return refuse(j, "DHT class, id or counts");
		for (k = 1, nsym = 0; k <= 16; k++)
			nsym += s[o + k];
		if (nsym > 256 || nsym > len - o - 17)
			return refuse(j,
			    "DHT length does not match its symbols");
		o += 17 + nsym;
	}
	return len == 0 ? refuse(j, "empty DHT") : MINDL_OK;
}

/* Frame header: 8-bit samples, one or three components. */
static int
sof(struct jp *j, const uint8_t *s, size_t len)
{
	int k, nf;

	if (j->sof)
		return refuse(j, "a second frame header");
	j->sof = 1;
	if (len < 6 || s[0] != 8 || u16(s + 1) == 0 || u16(s + 3) == 0)
		return refuse(j, "frame: not 8-bit, or no size");
	nf = s[5];
	if ((nf != 1 && nf != 3) || len != 6 + 3 * (size_t)nf)
		return refuse(j, "frame: components or length");
	for (k = 0; k < nf; k++) {
		const uint8_t *c = s + 6 + 3 * k;

		if ((c[1] >> 4) < 1 || (c[1] >> 4) > 4 || (c[1] & 0x0f) < 1 ||
		    (c[1] & 0x0f) > 4 || c[2] > 3)
			return refuse(j, "frame: sampling or table id");
	}
	j->ncomp = nf;
	return MINDL_OK;
}

/* Scan header. */
static int
sos(struct jp *j, const uint8_t *s, size_t len)
{
	int ns;

	if (!j->sof)
		return refuse(j, "scan before the frame header");
	if (len < 1 || (ns = s[0]) < 1 || ns > j->ncomp ||
	    len != 4 + 2 * (size_t)ns)
		return refuse(j, "scan: components or length");
	j->sos++;
	return MINDL_OK;
}

/* A scan's entropy-coded data, from j->i up to the next marker. */
static int
scan_data(struct jp *j)
{
	while (j->i < j->n) {
		if (j->p[j->i] != 0xff) {
			j->i++;
			continue;
		}
		if (j->n - j->i < 2)
			return refuse(j, "truncated scan");
		if (j->p[j->i + 1] == 0x00 || (j->p[j->i + 1] >= M_RST0 &&
		    j->p[j->i + 1] <= M_RST7)) {
			j->i += 2;
			continue;
		}
		return MINDL_OK;	/* a marker: the next segment */
	}
	return refuse(j, "scan runs to the end (no EOI)");
}

int
mindl_jpeg_check(const uint8_t *p, size_t n, struct mindl_jpeg_fault *f)
{
	struct jp j;
	const uint8_t *s;
	size_t len;
	int m, r = MINDL_OK;

	memset(&j, 0, sizeof(j));
	j.p = p;
	j.n = n;
	if (p == NULL || n < 4 || p[0] != 0xff || p[1] != M_SOI) {
		r = refuse(&j, "not a JPEG (no SOI)");
		goto out;
	}
	j.i = 2;
	for (;;) {
		if (n - j.i < 2 || p[j.i] != 0xff) {
			r = refuse(&j, "no marker where one must be");
			break;
		}
		m = p[j.i + 1];
		if (m == M_EOI) {
			if (j.i + 2 != n) {
				j.i += 2;
				r = refuse(&j, "bytes after the end of the "
				    "image (EOI)");
			}
			else if (!j.app0 || !j.sof || j.sos == 0)
				r = refuse(&j, "no JFIF header, frame or scan");
			break;
		}
		if (m != M_APP0 && m != M_DQT && m != M_DHT && m != M_DRI &&
		    m != M_SOF0 && m != M_SOF1 && m != M_SOF2 && m != M_SOS) {
			/* 0xff here is a fill byte: refused too. */
			r = refuse(&j, "a segment outside the allow-list");
			j.marker = 0xff00u | (unsigned)m;
			break;
		}
		if (n - j.i < 4 || (len = u16(p + j.i + 2)) < 2 ||
		    len > n - j.i - 2) {
			r = refuse(&j, "segment length");
			break;
		}
		s = p + j.i + 4;
		len -= 2;
		switch (m) {
		case M_APP0:
			r = app0(&j, s, len);
			break;
		case M_DQT:
			r = dqt(&j, s, len);
			break;
		case M_DHT:
			r = dht(&j, s, len);
			break;
		case M_DRI:
			r = len == 2 ? MINDL_OK : refuse(&j, "DRI length");
			break;
		case M_SOS:
			if ((r = sos(&j, s, len)) != MINDL_OK)
				goto out;
			j.i += 4 + len;
			if ((r = scan_data(&j)) != MINDL_OK)
				goto out;
			continue;
		default:
			r = sof(&j, s, len);
			break;
		}
		if (r != MINDL_OK)
			break;
		j.i += 4 + len;
	}
 out:
	if (f != NULL) {
		f->why = j.why;
		f->at = j.at;
		f->marker = j.marker;
	}
	return r;
}
