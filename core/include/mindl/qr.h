/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: QR codes as a transport for CBOR (DESIGN.md section 3.10).
 *
 * The text a QR code carries is "MDL1:" followed by base45 (RFC 9285) of
 * the zlib stream (RFC 1950, level 9) of the CBOR, as the EU Digital
 * COVID Certificate does with "HC1:": every character is in the QR
 * alphanumeric set, so the symbol is in alphanumeric mode (5.5 bits a
 * character, about 3% more than raw bytes) and the text survives every
 * scanner, keyboard-wedge ones included, unchanged.  Symbols use error
 * correction level M.
 *
 * Reading is strict and bounded: the exact prefix, the base45 alphabet
 * and its group rules, one zlib stream with nothing after it, and the
 * inflated size capped before anything inflates past the cap, so that a
 * zlib bomb costs MINDL_QR_MAX_INFLATED bytes and no more.  Nothing here
 * parses the CBOR: the caller hands it to the strict parsers.
 *
 * Outputs are appended to a caller's struct mindl_buf (mindl/buf.h),
 * which wipes what it held when cleared: a QR code's payload is usually
 * personal data.  On failure nothing is appended (an append that fails
 * under the buffer's cap sets its sticky error instead).
 */
#ifndef MINDL_QR_H
#define MINDL_QR_H

#include <stddef.h>
#include <stdint.h>

#include "mindl/buf.h"

#define MINDL_QR_PREFIX		"MDL1:"
#define MINDL_QR_PREFIX_LEN	5
/* The CBOR a QR code may carry, before and after zlib. */
#define MINDL_QR_MAX_INFLATED	(16 * 1024)
/*
 * The longest text: the alphanumeric capacity of the largest symbol
 * (version 40 at level L, 4296 characters), prefix included; at level M,
 * which mindl writes, 3391 characters hold 2258 compressed bytes.
 */
#define MINDL_QR_MAX_TEXT	4296
/* An image given to mindl_qr_scan: bytes, and pixels a side. */
#define MINDL_QR_MAX_IMAGE	(32u * 1024 * 1024)
#define MINDL_QR_MAX_DIM	8192

/*
 * Appends the QR text of cbor[0..len) to text: MINDL_QR_PREFIX, then
 * base45 of the zlib stream at level 9.  The text is upper-case
 * alphanumeric, with no line ending, and NUL-terminated in the buffer.
 * MINDL_OK; MINDL_ERR_INVALID_ARG for a NULL pointer or len 0;
 * MINDL_ERR_TOO_LARGE if len is over MINDL_QR_MAX_INFLATED (the reader
 * would refuse it) or the text over MINDL_QR_MAX_TEXT (no symbol holds
 * it), or text's own cap; MINDL_ERR_NOMEM.
 */
int mindl_qr_text_encode(const uint8_t *cbor, size_t len,
    struct mindl_buf *text);

/*
 * Appends to cbor the bytes QR text text[0..len) carries.  The text is
 * as scanned or typed: one trailing line ending (LF, CR or CR LF, which
 * keyboard-wedge scanners type) is allowed, nothing else around it.
 * MINDL_ERR_QR for: another prefix (case counts); a character outside
 * the base45 alphabet; a lone final character; a three-character group
 * over 65535 or a final two-character one over 255; a stream that is not
 * zlib (RFC 1950, no preset dictionary), is cut short, or is followed by
 * anything; CBOR that inflates to nothing or to more than
 * MINDL_QR_MAX_INFLATED bytes (inflation stops there).
 * MINDL_ERR_TOO_LARGE for text over MINDL_QR_MAX_TEXT characters, and
 * when the CBOR does not fit under cbor's cap; MINDL_ERR_INVALID_ARG
 * for a NULL pointer; MINDL_ERR_NOMEM.
 */
int mindl_qr_text_decode(const uint8_t *text, size_t len,
    struct mindl_buf *cbor);

/*
 * RFC 9285 base45 alone, without prefix or zlib (the RFC's examples are
 * tested through these).  Decoding refuses what mindl_qr_text_decode
 * refuses of base45, with MINDL_ERR_QR; nothing is appended on failure.
 */
int mindl_qr_base45_encode(const uint8_t *p, size_t n,
    struct mindl_buf *out);
int mindl_qr_base45_decode(const uint8_t *s, size_t n,
    struct mindl_buf *out);

/*
 * A QR symbol (libqrencode): the text in alphanumeric mode at error
 * correction level M, in the smallest version from min_version up (0 or
 * 1 for the smallest that holds it).  The text must be QR alphanumeric
 * (0-9, A-Z, space, $ % * + - . / :), which QR text always is.
 * MINDL_OK and *out (the caller's: mindl_qr_free); MINDL_ERR_INVALID_ARG
 * for a NULL pointer, empty text or text outside the alphabet, or a
 * min_version over 40; MINDL_ERR_TOO_LARGE if no version holds it;
 * MINDL_ERR_NOMEM.
 */
struct mindl_qr;
int mindl_qr_symbol(const uint8_t *text, size_t len, int min_version,
    struct mindl_qr **out);
/* Frees *q (NULL is fine) and sets it to NULL. */
void mindl_qr_free(struct mindl_qr **q);
/* The version, 1 to 40. */
int mindl_qr_version(const struct mindl_qr *q);
/* Modules a side, 17 + 4 * version (without the quiet zone). */
unsigned mindl_qr_width(const struct mindl_qr *q);
/* 1 if module (x, y) is dark; 0 if light or outside the symbol. */
int mindl_qr_dark(const struct mindl_qr *q, unsigned x, unsigned y);

/* Renderers: the symbol with a quiet zone of `quiet` modules each side. */
#define MINDL_QR_QUIET		4	/* ISO/IEC 18004's minimum */
#define MINDL_QR_MAX_QUIET	64
#define MINDL_QR_MAX_SCALE	64	/* pixels a module, in a PNG */

/*
 * A greyscale PNG (libpng): `scale` pixels a module (1 to
 * MINDL_QR_MAX_SCALE; zbar reads 2 and up, phones want more on a
 * screen), dark modules black on white, `depth` 1 or 8 bits a pixel, no
 * ancillary chunks.  MINDL_ERR_INVALID_ARG for a NULL
 * pointer or a parameter out of range; MINDL_ERR_NOMEM; out's cap.
 */
int mindl_qr_png(const struct mindl_qr *q, unsigned scale, unsigned quiet,
    unsigned depth, struct mindl_buf *out);

/*
 * An SVG document for print: one path of unit squares, dark modules
 * black on a white rectangle, shape-rendering="crispEdges", a viewBox in
 * modules; width and height in millimetres when module_um (micrometres
 * a module) is not 0, so that it prints at that size, else none (the
 * picture takes the size it is given).  Errors as mindl_qr_png.
 */
int mindl_qr_svg(const struct mindl_qr *q, unsigned quiet,
    unsigned module_um, struct mindl_buf *out);

/*
 * Text for a terminal: UTF-8 half blocks (U+2580, U+2584, U+2588 and
 * spaces), two module rows a line, each line ending in a newline, no
 * escape sequences.  A terminal has no background colour of its own to
 * offer, so `dark_blocks` says what the blocks draw: 0 the light modules
 * (light text on a dark terminal, the usual one, as qrencode -t UTF8
 * does), 1 the dark modules (dark text on a light background).  A last
 * half-line below the quiet zone is left empty.  Errors as mindl_qr_png.
 */
int mindl_qr_halfblocks(const struct mindl_qr *q, unsigned quiet,
    int dark_blocks, struct mindl_buf *out);

/*
 * Finds the QR code in a PNG or JPEG image img[0..len) (a photograph or
 * a screenshot) and appends the bytes it holds to text, byte for byte
 * (zbar's binary mode: no character-set conversion).  PNG of any colour
 * type is read with libpng (transparency composed onto white) and JPEG
 * with libjpeg (mindl/jpeg.h: every warning refused), both to 8-bit
 * grey, at most MINDL_QR_MAX_DIM pixels a side; zbar looks for QR codes
 * only.  The text is not judged: mindl_qr_text_decode does that.
 * MINDL_OK; MINDL_ERR_QR_NOT_FOUND when the image holds no QR code that
 * decodes, or more than one, and for a PNG or JPEG too damaged to read;
 * MINDL_ERR_UNSUPPORTED for bytes that are neither PNG nor JPEG;
 * MINDL_ERR_TOO_LARGE for more than MINDL_QR_MAX_IMAGE bytes, a PNG of
 * more pixels a side than MINDL_QR_MAX_DIM (a JPEG that large is refused
 * by the JPEG decoder: MINDL_ERR_QR_NOT_FOUND), or text over its cap;
 * MINDL_ERR_INVALID_ARG for a NULL pointer; MINDL_ERR_NOMEM.
 */
int mindl_qr_scan(const uint8_t *img, size_t len, struct mindl_buf *text);

#endif /* MINDL_QR_H */
