/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench: QR codes.  For DeviceResponse-like CBOR of 500 to 2500
 * bytes (tests/common/testqr.h: labels compress, salts, digests, keys
 * and signatures do not), the version of the symbol at level M and the
 * CPU time of:
 *   text encode   mindl_qr_text_encode (zlib level 9, base45);
 *   PNG encode    mindl_qr_symbol and mindl_qr_png, 8-bit grey, 3 pixels
 *                 a module, quiet zone 4 (the symbol alone in brackets);
 *   text decode   mindl_qr_text_decode (base45, inflate under the cap);
 *   scan          mindl_qr_scan of that PNG (libpng, then zbar), and of
 *                 the same at 2 pixels a module.
 * Each is repeated for `seconds' of this thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID) and reported per operation.
 *
 * usage: bench-qr [seconds]          default 0.3 per figure
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mindl/mindl.h"
#include "../tests/common/testqr.h"

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, int r)
{
	fprintf(stderr, "bench-qr: %s: %s\n", what, mindl_errname(r));
	exit(3);
}

enum op { TEXT_ENC, SYMBOL, PNG_ENC, TEXT_DEC, SCAN3, SCAN2, NOPS };

struct job {
	const uint8_t	*cbor, *text, *png3, *png2;
	size_t		 cborlen, textlen, png3len, png2len;
};

static void
run_once(const struct job *j, enum op op)
{
	struct mindl_qr *q = NULL;
	struct mindl_buf b;
	int r = MINDL_OK;

	mindl_buf_init(&b, 1 << 24);
	switch (op) {
	case TEXT_ENC:
		r = mindl_qr_text_encode(j->cbor, j->cborlen, &b);
		break;
	case SYMBOL:
	case PNG_ENC:
		r = mindl_qr_symbol(j->text, j->textlen, 0, &q);
		if (r == MINDL_OK && op == PNG_ENC)
			r = mindl_qr_png(q, 3, MINDL_QR_QUIET, 8, &b);
		mindl_qr_free(&q);
		break;
	case TEXT_DEC:
		r = mindl_qr_text_decode(j->text, j->textlen, &b);
		break;
	case SCAN3:
		r = mindl_qr_scan(j->png3, j->png3len, &b);
		break;
	case SCAN2:
		r = mindl_qr_scan(j->png2, j->png2len, &b);
		break;
	default:
		r = MINDL_ERR_INTERNAL;
		break;
	}
	mindl_buf_clear(&b);
	if (r != MINDL_OK)
		die("operation", r);
}

/* Seconds per operation, over at least `secs' of CPU time. */
static double
per_op(const struct job *j, enum op op, double secs)
{
	double t0 = now_s(), t;
	long n = 0;

	do {
		run_once(j, op);
		n++;
	} while ((t = now_s() - t0) < secs);
	return t / (double)n;
}

int
main(int argc, char **argv)
{
	static const size_t sizes[] = { 500, 1000, 1500, 2000, 2500 };
	double secs = argc > 1 ? atof(argv[1]) : 0.3, s[NOPS];
	struct mindl_buf text, png3, png2;
	struct mindl_qr *q = NULL;
	struct job j;
	uint8_t *cbor;
	size_t i, zlen;
	int r, k;

	if (secs <= 0)
		secs = 0.3;
	printf("QR codes (CPU time per operation; PNG at 3 px a module)\n");
	printf("%6s %5s %5s %3s %11s %11s %11s %11s %10s %10s\n", "CBOR",
	    "zlib", "text", "v", "text-enc", "PNG-enc", "(symbol)",
	    "text-dec", "scan-3px", "scan-2px");
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if ((cbor = malloc(sizes[i])) == NULL ||
		    testqr_payload(cbor, sizes[i], sizes[i]) != 0)
			die("payload", MINDL_ERR_NOMEM);
		mindl_buf_init(&text, 1 << 16);
		mindl_buf_init(&png3, 1 << 24);
		mindl_buf_init(&png2, 1 << 24);
		if ((r = mindl_qr_text_encode(cbor, sizes[i], &text)) !=
		    MINDL_OK ||
		    (r = mindl_qr_symbol(mindl_buf_ptr(&text),
		    mindl_buf_len(&text), 0, &q)) != MINDL_OK ||
		    (r = mindl_qr_png(q, 3, MINDL_QR_QUIET, 8, &png3)) !=
		    MINDL_OK ||
		    (r = mindl_qr_png(q, 2, MINDL_QR_QUIET, 8, &png2)) !=
		    MINDL_OK)
			die("setup", r);
		j.cbor = cbor;
		j.cborlen = sizes[i];
		j.text = mindl_buf_ptr(&text);
		j.textlen = mindl_buf_len(&text);
		j.png3 = mindl_buf_ptr(&png3);
		j.png3len = mindl_buf_len(&png3);
		j.png2 = mindl_buf_ptr(&png2);
		j.png2len = mindl_buf_len(&png2);
		for (k = 0; k < NOPS; k++)
			s[k] = per_op(&j, (enum op)k, secs);
		zlen = (j.textlen - MINDL_QR_PREFIX_LEN) / 3 * 2 +
		    ((j.textlen - MINDL_QR_PREFIX_LEN) % 3 == 2);
		printf("%6zu %5zu %5zu %3d %8.0f us %8.2f ms (%5.2f ms) "
		    "%8.0f us %7.2f ms %7.2f ms\n", sizes[i], zlen, j.textlen,
		    mindl_qr_version(q), s[TEXT_ENC] * 1e6, s[PNG_ENC] * 1e3,
		    s[SYMBOL] * 1e3, s[TEXT_DEC] * 1e6, s[SCAN3] * 1e3,
		    s[SCAN2] * 1e3);
		mindl_qr_free(&q);
		mindl_buf_clear(&text);
		mindl_buf_clear(&png3);
		mindl_buf_clear(&png2);
		free(cbor);
	}
	return 0;
}
