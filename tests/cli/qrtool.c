/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Codes no holder makes, for tests/cli/qr.sh:
 *
 *   qrtool tamper N   reads a code's text on stdin, flips the low bit of
 *                     byte N (modulo its length) of the CBOR it carries
 *                     and prints the text of the changed CBOR: a
 *                     Document whose signature or digests no longer hold
 *   qrtool png OUT    reads any text on stdin (a line ending dropped) and
 *                     writes its QR code as a PNG at 3 pixels a module,
 *                     hostile text included, for mindl-verifier scan
 *   qrtool blank OUT  writes a PNG of grey stripes: a picture with no code
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "mindl/mindl.h"

static void die(const char *, int) __attribute__((noreturn));

static void
die(const char *what, int r)
{
	fprintf(stderr, "qrtool: %s: %s\n", what, mindl_errname(r));
	exit(1);
}

static void
read_stdin(uint8_t **p, size_t *n)
{
	int r;

	if ((r = mindl_file_read("-", 1u << 20, p, n)) != MINDL_OK)
		die("stdin", r);
	while (*n > 0 && ((*p)[*n - 1] == '\n' || (*p)[*n - 1] == '\r'))
		(*n)--;
}

static int
tamper(const char *arg)
{
	struct mindl_buf cbor, text;
	uint8_t *in = NULL, *c;
	size_t n = 0, off = strtoul(arg, NULL, 10);
	int r;

	read_stdin(&in, &n);
	mindl_buf_init(&cbor, MINDL_QR_MAX_INFLATED);
	mindl_buf_init(&text, MINDL_QR_MAX_TEXT + 1);
	if ((r = mindl_qr_text_decode(in, n, &cbor)) != MINDL_OK)
		die("decode", r);
	if ((c = malloc(mindl_buf_len(&cbor))) == NULL)
		die("tamper", MINDL_ERR_NOMEM);
	memcpy(c, mindl_buf_ptr(&cbor), mindl_buf_len(&cbor));
	c[off % mindl_buf_len(&cbor)] ^= 0x01;
	if ((r = mindl_qr_text_encode(c, mindl_buf_len(&cbor), &text)) !=
	    MINDL_OK)
		die("encode", r);
	printf("%s\n", mindl_buf_str(&text));
	free(c);
	free(in);
	mindl_buf_clear(&cbor);
	mindl_buf_clear(&text);
	return 0;
}

static int
png(const char *out)
{
	struct mindl_qr *q = NULL;
	struct mindl_buf b;
	uint8_t *in = NULL;
	size_t n = 0;
	int r;

	read_stdin(&in, &n);
	mindl_buf_init(&b, 8u << 20);
	/* Any text: the alphanumeric check is the symbol's, not ours. */
	if ((r = mindl_qr_symbol(in, n, 0, &q)) != MINDL_OK)
		die("symbol", r);
	if ((r = mindl_qr_png(q, 3, MINDL_QR_QUIET, 8, &b)) != MINDL_OK ||
	    (r = mindl_file_write(out, mindl_buf_ptr(&b), mindl_buf_len(&b),
	    MINDL_FILE_EXCL)) != MINDL_OK)
		die(out, r);
	mindl_qr_free(&q);
	mindl_buf_clear(&b);
	free(in);
	return 0;
}

static int
blank(const char *out)
{
	static uint8_t px[64 * 64];
	png_image img;
	size_t i;

	for (i = 0; i < sizeof(px); i++)
		px[i] = (i / 64) % 8 < 4 ? 0x40 : 0xc0;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = 64;
	img.height = 64;
	img.format = PNG_FORMAT_GRAY;
	if (!png_image_write_to_file(&img, out, 0, px, 0, NULL))
		die(out, MINDL_ERR_IO);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "blank") == 0)
		return blank(argv[2]);
	if (argc == 3 && strcmp(argv[1], "tamper") == 0)
		return tamper(argv[2]);
	if (argc == 3 && strcmp(argv[1], "png") == 0)
		return png(argv[2]);
	fprintf(stderr, "usage: qrtool tamper N | png OUT | blank OUT\n");
	return 2;
}
