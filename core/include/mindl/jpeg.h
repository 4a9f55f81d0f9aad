/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the one rule for portraits, at issuance and at verification.
 *
 * A portrait travels to every verifier that asks for it, and some save
 * it: any byte it carries beyond the picture is a channel from the issuing
 * desk to all of them.  So a portrait is a plain baseline, extended or
 * progressive JFIF JPEG, checked by allow-list, segment by segment: SOI;
 * exactly one APP0, first, that is a JFIF header of 16 bytes with no
 * thumbnail; DQT, DHT, DRI; one SOF0, SOF1 or SOF2 (8-bit samples, one or
 * three components); SOS each followed by its entropy-coded data (stuffed
 * 0xFF 0x00 bytes and RST markers inside); EOI; and nothing after EOI.
 * Every segment's length must be what its content says (no padding), and
 * fill bytes before a marker are refused.  Anything else (APP1 to APP15:
 * EXIF, XMP, ICC, IPTC; COM; the reserved JPGn and RESn markers; DNL, DHP,
 * EXP, DAC; other SOFs) is refused.  The entropy-coded data itself can
 * still hide bits (steganography): no format check removes that.
 */
#ifndef MINDL_JPEG_H
#define MINDL_JPEG_H

#include <stddef.h>
#include <stdint.h>

/* Why a portrait was refused, for the person who must fix it. */
struct mindl_jpeg_fault {
	const char	*why;		/* a static sentence */
	size_t		 at;		/* byte offset of the fault */
	unsigned	 marker;	/* 0xFFxx of the faulty segment, or 0 */
};

/*
 * MINDL_OK, or MINDL_ERR_PORTRAIT with the reason in the debug log and,
 * if f is not NULL, in *f (zeroed on success).
 */
int mindl_jpeg_check(const uint8_t *p, size_t n, struct mindl_jpeg_fault *f);
/* A short name for a marker's kind: "APP1 (EXIF/XMP metadata)", ... */
const char *mindl_jpeg_marker_name(unsigned marker);

/*
 * Pixels of a JPEG (core/src/jpeg_decode.c, on libjpeg-turbo), to show a
 * portrait or make a thumbnail of it.  The decoder does not apply the
 * portrait rule above: a caller checks a portrait with mindl_jpeg_check
 * first.  It still takes the bytes for hostile: anything libjpeg calls
 * corrupt, even what it only warns about (a truncated scan, which it
 * would fill with grey), is refused; a frame over MINDL_JPEG_MAX_DIM
 * either way, with other than one or three components, in CMYK or YCCK,
 * or arithmetic-coded is refused from its header, before any pixel
 * memory is taken; so are more than MINDL_JPEG_MAX_SCANS scans, and a
 * progressive or multi-scan image whose coefficients would need more
 * than MINDL_JPEG_MAX_MEM bytes.  libjpeg never writes to stderr or
 * exits here; its message goes to the debug log.
 *
 * The pixels are biometric data: they come back in a wiping mindl_buf,
 * and are never written anywhere else.  (libjpeg's own working memory,
 * a few rows of samples and, for a progressive image, its coefficients,
 * is freed by libjpeg without a wipe.)
 */
#define MINDL_JPEG_MAX_DIM	8192	/* width or height, in pixels */
#define MINDL_JPEG_MAX_SCANS	64	/* progressive ones have ~10 */
#define MINDL_JPEG_MAX_MEM	(64u * 1024 * 1024) /* libjpeg's buffers */

/* Pixel formats: the value is the number of bytes of a pixel. */
#define MINDL_JPEG_GREY		1	/* luma */
#define MINDL_JPEG_RGB		3	/* R, G, B */

struct mindl_buf;

/*
 * Decodes jpeg[0..len) to 8-bit pixels of format fmt, scaled down
 * (never up) to fit in max_w x max_h with the aspect ratio kept (each
 * side rounded, and at least 1): libjpeg's DCT scaling by M/8 comes
 * close, then each pixel is the rounded mean of the box of pixels it
 * covers.  The rows, top to bottom, each of *w * fmt bytes with no
 * padding, are appended to px (the caller's; mindl_buf_clear wipes them);
 * *w and *h are set on success and are 0 otherwise.
 *
 * MINDL_OK; MINDL_ERR_PORTRAIT for anything that cannot be decoded or is
 * refused as above; MINDL_ERR_INVALID_ARG for a NULL pointer, a zero
 * max_w or max_h, or an unknown fmt; MINDL_ERR_NOMEM; MINDL_ERR_TOO_LARGE
 * if the pixels do not fit under px's cap.  On failure nothing is
 * appended to px (a failed allocation sets its sticky error).
 */
int mindl_jpeg_decode(const uint8_t *jpeg, size_t len, unsigned max_w,
    unsigned max_h, unsigned fmt, struct mindl_buf *px, unsigned *w,
    unsigned *h);

/*
 * Renders jpeg[0..len) for a terminal with 24-bit colour, appended to out
 * as UTF-8 text: at most cols characters by rows lines.  Each character
 * is U+2580 UPPER HALF BLOCK, its foreground the upper pixel and its
 * background the lower one, so a cell shows two square pixels; the
 * picture keeps its aspect ratio (mindl_jpeg_decode to cols x 2 rows,
 * RGB).  Colours are set with SGR 38;2;R;G;B and 48;2;R;G;B, only when
 * they change along a line; every line ends with SGR 0 and a newline,
 * so no colour bleeds into what follows; an odd last pixel row sets no
 * background (the terminal's own shows).
 *
 * Those three SGR forms, the block and the newline are all the output
 * ever holds: it is built from constant strings and decimal numbers of
 * 0 to 255, and no byte of the JPEG reaches it; a tool may print it raw.
 *
 * Errors as mindl_jpeg_decode (zero cols or rows are
 * MINDL_ERR_INVALID_ARG), and out's sticky error if the text does not
 * fit under its cap; on failure nothing is appended to out.
 */
int mindl_jpeg_halfblocks(const uint8_t *jpeg, size_t len, unsigned cols,
    unsigned rows, struct mindl_buf *out);

/*
 * The thumbnail a purpose credential carries in place of the portrait
 * (DESIGN.md section 3.10): small enough that the whole credential fits
 * one printed QR code, large enough to compare with a face across a bar.
 * 48 x 60 is the 4:5 of a licence photo, the size of the ghost image on
 * a plastic card.  Quality 45, lowered in steps of 5 (to 20 at least)
 * while the thumbnail is over MINDL_JPEG_THUMB_TARGET bytes: the budget
 * a traffic-stop credential leaves in a version 40-M code.
 */
#define MINDL_JPEG_THUMB_W	48
#define MINDL_JPEG_THUMB_H	60
#define MINDL_JPEG_THUMB_QUALITY 45
#define MINDL_JPEG_THUMB_QUALITY_MIN 20
#define MINDL_JPEG_THUMB_TARGET	640	/* bytes */
#define MINDL_JPEG_THUMB_MAX	4096	/* bytes; never reached at 48 x 60 */

/*
 * Makes the thumbnail of jpeg[0..len): decoded as mindl_jpeg_decode
 * decodes (same caps and refusals; it does not apply mindl_jpeg_check,
 * so a portrait with metadata is taken and the metadata left behind),
 * scaled down to fit MINDL_JPEG_THUMB_W x MINDL_JPEG_THUMB_H with its
 * aspect ratio (never up), in grey, and encoded again by libjpeg-turbo
 * as a baseline JFIF JPEG at MINDL_JPEG_THUMB_QUALITY (lower if needed,
 * as above) with optimised Huffman tables: SOI, APP0 (JFIF 1.01, no
 * density, no thumbnail), DQT, SOF0 (one component), DHT, SOS, EOI and
 * no other segment, so nothing of the input but its pixels survives.  The same input gives the same
 * bytes.  The output passes mindl_jpeg_check.  Appended to out (wiped
 * by mindl_buf_clear); the pixels in between are wiped.
 *
 * MINDL_OK; mindl_jpeg_decode's errors (MINDL_ERR_PORTRAIT for what
 * cannot be decoded); MINDL_ERR_TOO_LARGE past MINDL_JPEG_THUMB_MAX or
 * out's cap; MINDL_ERR_NOMEM; MINDL_ERR_INVALID_ARG.
 */
int mindl_jpeg_thumbnail(const uint8_t *jpeg, size_t len,
    struct mindl_buf *out);

#endif /* MINDL_JPEG_H */
