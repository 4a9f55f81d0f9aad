/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * JPEGs made for the tests with libjpeg's compressor (the unit tests of
 * mindl_jpeg_decode and the fuzz seeds, tests/fuzz/mkseeds.c): images of
 * known pixels in every layout the decoder must take or refuse, without
 * committing binary files nobody can regenerate.
 *
 * With quality 100 every quantizer is 1, so a block of one colour, in a
 * file of RGB colour space with no subsampling, decodes to exactly that
 * colour: the tests can compare pixels byte for byte.
 *
 * Also the checker of what mindl_jpeg_halfblocks writes, shared by its
 * unit test and its fuzz harness.
 */
#ifndef MINDL_TESTJPEG_H
#define MINDL_TESTJPEG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>	/* before jpeglib.h, which uses FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

struct test_jpeg_opts {
	J_COLOR_SPACE	in;		/* of the pixels given */
	int		ncomp;		/* bytes per pixel given */
	J_COLOR_SPACE	cs;		/* of the file */
	int		quality;	/* 0: 100 */
	int		subsample;	/* keep libjpeg's 2x2 chroma */
	int		progressive;	/* jpeg_simple_progression */
	int		many_scans;	/* a scan per coefficient */
	int		restart_rows;	/* RST every n MCU rows */
	int		arith;		/* arithmetic coding */
};

/*
 * A JPEG of the w x h pixels px (rows of w * o->ncomp bytes), malloc'd
 * into *out (free()).  0 on success, -1 if an argument is out of range.
 * libjpeg's default error handler exits on a compressor error, which
 * only a bug in a test can cause.
 */
static inline int
test_jpeg_make(const struct test_jpeg_opts *o, const uint8_t *px, unsigned w,
    unsigned h, uint8_t **out, size_t *outlen)
{
	static jpeg_scan_info scans[1 + 63 * 4];
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	unsigned char *mem = NULL;
	unsigned long memlen = 0;
	JSAMPROW row[1];
	int i, k, n;

	*out = NULL;
	*outlen = 0;
	if (o->ncomp < 1 || o->ncomp > 4 || w == 0 || h == 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &memlen);
	c.image_width = w;
	c.image_height = h;
	c.input_components = o->ncomp;
	c.in_color_space = o->in;
	jpeg_set_defaults(&c);
	jpeg_set_colorspace(&c, o->cs);
	jpeg_set_quality(&c, o->quality ? o->quality : 100, TRUE);
	if (!o->subsample)
		for (i = 0; i < c.num_components; i++) {
			c.comp_info[i].h_samp_factor = 1;
			c.comp_info[i].v_samp_factor = 1;
		}
	if (o->progressive)
		jpeg_simple_progression(&c);
	if (o->many_scans) {
		/* DC of all components, then each AC coefficient alone. */
		n = 0;
		scans[n].comps_in_scan = c.num_components;
		for (i = 0; i < c.num_components; i++)
			scans[n].component_index[i] = i;
		scans[n].Ss = scans[n].Se = scans[n].Ah = scans[n].Al = 0;
		n++;
		for (i = 0; i < c.num_components; i++)
			for (k = 1; k < 64; k++, n++) {
				scans[n].comps_in_scan = 1;
				scans[n].component_index[0] = i;
				scans[n].Ss = scans[n].Se = k;
				scans[n].Ah = scans[n].Al = 0;
			}
		c.scan_info = scans;
		c.num_scans = n;
	}
	c.restart_in_rows = o->restart_rows;
	c.arith_code = o->arith ? TRUE : FALSE;
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < h) {
		/* libjpeg does not write through its row pointers. */
		row[0] = (JSAMPROW)(uintptr_t)(px +
		    (size_t)c.next_scanline * w * (size_t)o->ncomp);
		(void)jpeg_write_scanlines(&c, row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	/* jpeg_mem_dest's buffer is malloc'd when it starts as NULL. */
	*out = mem;
	*outlen = memlen;
	return 0;
}

/*
 * 16x16 RGB in four 8x8 quadrants, one JPEG block each: red top left,
 * green top right, blue bottom left, white bottom right.
 */
static inline void
test_jpeg_quadrants(uint8_t px[16 * 16 * 3])
{
	static const uint8_t q[4][3] = {
		{ 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 255, 255, 255 }
	};
	unsigned x, y;

	for (y = 0; y < 16; y++)
		for (x = 0; x < 16; x++)
			memcpy(px + (y * 16 + x) * 3,
			    q[(y / 8) * 2 + x / 8], 3);
}

/*
 * The shape mindl_jpeg_halfblocks promises: text of nothing but SGR
 * sequences (ESC '[', digits and ';', 'm'), U+2580 and newlines, every
 * line ending "ESC[0m\n" with 1 to cols blocks, at most maxl lines.
 * Returns the number of lines (the widest in *widest), or -1.
 */
static inline int
test_halfblocks_lines(const uint8_t *s, size_t n, unsigned cols,
    unsigned maxl, unsigned *widest)
{
	size_t i = 0;
	unsigned lines = 0, blocks = 0;

	*widest = 0;
	while (i < n) {
		if (s[i] == 0x1b) {
			if (++i >= n || s[i] != '[')
				return -1;
			for (i++; i < n && ((s[i] >= '0' && s[i] <= '9') ||
			    s[i] == ';'); i++)
				;
			if (i >= n || s[i] != 'm')
				return -1;
			i++;
		} else if (n - i >= 3 && memcmp(s + i, "\xe2\x96\x80", 3) ==
		    0) {
			blocks++;
			i += 3;
		} else if (s[i] == '\n') {
			if (i < 4 || memcmp(s + i - 4, "\033[0m", 4) != 0 ||
			    blocks == 0 || blocks > cols)
				return -1;
			if (blocks > *widest)
				*widest = blocks;
			lines++;
			blocks = 0;
			i++;
		} else
			return -1;
	}
	if (blocks != 0 || n == 0 || s[n - 1] != '\n' || lines > maxl)
		return -1;
	return (int)lines;
}

/*
 * A portrait-like picture, w x h RGB into px (w * h * 3 bytes): a
 * lit background, hair, a shaded oval face with eyes, brows and a mouth,
 * shoulders, and a little grain from seed, so that it compresses as a
 * photograph does (a flat test card would make a thumbnail far smaller
 * than a face).  seed 0 and 1 give two different people.
 */
static inline void
test_jpeg_face(uint8_t *px, unsigned w, unsigned h, uint32_t seed)
{
	uint32_t s = 2463534242u ^ (seed * 0x9e3779b9u);
	unsigned x, y, c;
	double fx, fy, cx = 0.5, cy = 0.45 + 0.02 * (seed % 3);
	double ex, ey, d, v[3], g;
	uint8_t *p;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			fx = (double)x / w;
			fy = (double)y / h;
			/* background: a vertical gradient */
			v[0] = 150 + 60 * fy;
			v[1] = 170 + 40 * fy;
			v[2] = 200 - 30 * fy;
			ex = (fx - cx) / 0.28;
			ey = (fy - cy) / 0.36;
			d = ex * ex + ey * ey;
			if (fy > 0.8 && (fx - 0.5) * (fx - 0.5) < 0.16 +
			    (fy - 0.8)) {
				/* shoulders */
				v[0] = 40 + 30 * fx;
				v[1] = 50 + 20 * fx;
				v[2] = 90 + (seed % 2) * 60;
			}
			if (d < 1.25 && fy < cy - 0.1 + 0.05 * fx) {
				/* hair */
				v[0] = 50 + 40 * (seed % 2);
				v[1] = 35 + 25 * (seed % 2);
				v[2] = 20;
			} else if (d < 1) {
				/* skin, lit from the left */
				g = 1.0 - 0.35 * fx - 0.25 * d;
				v[0] = (200 - 50 * (seed % 2)) * g + 30;
				v[1] = (160 - 40 * (seed % 2)) * g + 20;
				v[2] = (130 - 30 * (seed % 2)) * g + 10;
				ex = (fx - cx) * (fx - cx);
				/* eyes, brows, mouth */
				if ((fy - cy + 0.06) * (fy - cy + 0.06) * 40 +
				    (fx - cx - 0.1) * (fx - cx - 0.1) * 60 <
				    0.06 || (fy - cy + 0.06) * (fy - cy +
				    0.06) * 40 + (fx - cx + 0.1) * (fx - cx +
				    0.1) * 60 < 0.06)
					v[0] = v[1] = v[2] = 40;
				else if (fy > cy - 0.13 && fy < cy - 0.11 &&
				    ex > 0.003 && ex < 0.03)
					v[0] = v[1] = v[2] = 60;
				else if (fy > cy + 0.16 && fy < cy + 0.19 &&
				    ex < 0.006) {
					v[0] = 150;
					v[1] = 70;
					v[2] = 70;
				}
			}
			p = px + ((size_t)y * w + x) * 3;
			for (c = 0; c < 3; c++) {
				s ^= s << 13;
				s ^= s >> 17;
				s ^= s << 5;
				g = v[c] + (double)(s % 13) - 6;
				p[c] = (uint8_t)(g < 0 ? 0 : g > 255 ? 255 : g);
			}
		}
}

#endif /* MINDL_TESTJPEG_H */
