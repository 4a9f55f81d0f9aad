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
 * Then each verifier profile's purpose credential, issued from the sample
 * record and portrait (schemas/samples/, so run from the repository
 * root) by a fresh DS certificate, as a printed code carries it: its
 * Document's size, deflated, in characters, the symbol's version, and the
 * version again when the code is bound to a security key (a 64-byte
 * credential id, as hardware keys make); the same encode, PNG and decode
 * times, and the time to verify it (mindl_verify_static).
 *
 * usage: bench-qr [seconds]          default 0.3 per figure
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mindl/mindl.h"
#include "../tests/common/testfx.h"
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

/* A purpose credential's Document for profile pr; *doc malloc'd. */
static int
purpose_doc(const struct test_fx *fx, const struct mindl_record *rec,
    const struct mindl_profile *pr, const struct mindl_fido_id *id,
    uint8_t **doc, size_t *len)
{
	static const struct mindl_status_ref st = { 70000,
	    "https://dmv.example/status/1" };
	struct mindl_issue_params p;
	struct mindl_signer ds;
	struct mindl_buf b;
	int r;

	*doc = NULL;
	test_fx_params(fx, &p);
	p.record = rec;
	p.fido = id;
	p.status = mindl_profile_age_only(pr) ? NULL : &st;
	if ((r = mindl_signer_key(&ds, fx->ds_key)) != MINDL_OK)
		return r;
	p.ds = &ds;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	if ((r = mindl_mdoc_issue_purpose(&p, pr, &b, NULL)) == MINDL_OK) {
		/* A one-entry file: 0x81, then the Document. */
		*len = mindl_buf_len(&b) - 1;
		if ((*doc = malloc(*len)) == NULL)
			r = MINDL_ERR_NOMEM;
		else
			memcpy(*doc, mindl_buf_ptr(&b) + 1, *len);
	}
	mindl_buf_clear(&b);
	return r;
}

/* The QR version of a Document's code at level M. */
static int
version_of(const uint8_t *doc, size_t len)
{
	struct mindl_buf text;
	struct mindl_qr *q = NULL;
	int v = -1;

	mindl_buf_init(&text, 1 << 16);
	if (mindl_qr_text_encode(doc, len, &text) == MINDL_OK &&
	    mindl_qr_symbol(mindl_buf_ptr(&text), mindl_buf_len(&text), 0,
	    &q) == MINDL_OK)
		v = mindl_qr_version(q);
	mindl_qr_free(&q);
	mindl_buf_clear(&text);
	return v;
}

static double
verify_time(const struct test_fx *fx, const struct mindl_profile *pr,
    const uint8_t *doc, size_t len, double secs)
{
	struct mindl_verified *v = NULL;
	double t0 = now_s(), t;
	long n = 0;
	int r;

	do {
		/* TEST_T0 + 1 day: within the MSO's validity. */
		if ((r = mindl_verify_static(fx->trust, fx->schema,
		    TEST_T0 + 86400, pr, doc, len, &v)) != MINDL_OK)
			die("mindl_verify_static", r);
		mindl_verified_free(&v);
		n++;
	} while ((t = now_s() - t0) < secs);
	return t / (double)n;
}

/* Every profile's purpose credential as a printed code. */
static void
profiles(double secs)
{
	struct test_fx fx;
	struct mindl_record *rec = NULL;
	struct mindl_fido_id id;
	struct mindl_buf text, png3, png2;
	struct mindl_qr *q = NULL;
	struct job j;
	const struct mindl_profile *pr;
	uint8_t *json = NULL, *port = NULL, *doc = NULL, *kdoc = NULL;
	uint8_t credid[64];
	size_t jsonlen = 0, portlen = 0, len = 0, klen = 0, i, zlen;
	double s[NOPS], sv;
	char err[512];
	int r, k;

	if ((r = test_fx_setup(&fx)) != MINDL_OK)
		die("fixture", r);
	if ((r = mindl_file_read("schemas/samples/sample-record.json",
	    1 << 20, &json, &jsonlen)) != MINDL_OK ||
	    (r = mindl_file_read("schemas/samples/portrait.jpg", 1 << 20,
	    &port, &portlen)) != MINDL_OK)
		die("schemas/samples/ (run from the repository root)", r);
	if ((r = mindl_record_parse(fx.schema, (const char *)json, jsonlen,
	    port, portlen, TEST_T0, &rec, err, sizeof(err))) != MINDL_OK)
		die(err, r);
	memset(credid, 0xa5, sizeof(credid));
	id.id = credid;
	id.len = sizeof(credid);
	printf("\npurpose credentials as printed codes (sample record; level "
	    "M; +key: bound to a security key, 64-byte credential id)\n");
	printf("%-16s %5s %5s %5s %3s %5s %9s %9s %9s %9s %9s\n", "profile",
	    "CBOR", "zlib", "text", "v", "v+key", "text-enc", "PNG-enc",
	    "text-dec", "scan-3px", "verify");
	for (i = 0; i < mindl_schema_profile_count(fx.schema); i++) {
		pr = mindl_schema_profile_at(fx.schema, i);
		if ((r = purpose_doc(&fx, rec, pr, NULL, &doc, &len)) !=
		    MINDL_OK || (r = purpose_doc(&fx, rec, pr, &id, &kdoc,
		    &klen)) != MINDL_OK)
			die(mindl_profile_id(pr), r);
		mindl_buf_init(&text, 1 << 16);
		mindl_buf_init(&png3, 1 << 24);
		mindl_buf_init(&png2, 1 << 24);
		if ((r = mindl_qr_text_encode(doc, len, &text)) != MINDL_OK ||
		    (r = mindl_qr_symbol(mindl_buf_ptr(&text),
		    mindl_buf_len(&text), 0, &q)) != MINDL_OK ||
		    (r = mindl_qr_png(q, 3, MINDL_QR_QUIET, 8, &png3)) !=
		    MINDL_OK ||
		    (r = mindl_qr_png(q, 2, MINDL_QR_QUIET, 8, &png2)) !=
		    MINDL_OK)
			die(mindl_profile_id(pr), r);
		j.cbor = doc;
		j.cborlen = len;
		j.text = mindl_buf_ptr(&text);
		j.textlen = mindl_buf_len(&text);
		j.png3 = mindl_buf_ptr(&png3);
		j.png3len = mindl_buf_len(&png3);
		j.png2 = mindl_buf_ptr(&png2);
		j.png2len = mindl_buf_len(&png2);
		for (k = 0; k < NOPS; k++)
			s[k] = k == SCAN2 ? 0 : per_op(&j, (enum op)k, secs);
		sv = verify_time(&fx, pr, doc, len, secs);
		zlen = (j.textlen - MINDL_QR_PREFIX_LEN) / 3 * 2 +
		    ((j.textlen - MINDL_QR_PREFIX_LEN) % 3 == 2);
		printf("%-16s %5zu %5zu %5zu %3d %5d %6.0f us %6.2f ms %6.0f us "
		    "%6.2f ms %6.2f ms\n", mindl_profile_id(pr), len, zlen,
		    j.textlen, mindl_qr_version(q), version_of(kdoc, klen),
		    s[TEXT_ENC] * 1e6, s[PNG_ENC] * 1e3, s[TEXT_DEC] * 1e6,
		    s[SCAN3] * 1e3, sv * 1e3);
		mindl_qr_free(&q);
		mindl_buf_clear(&text);
		mindl_buf_clear(&png3);
		mindl_buf_clear(&png2);
		free(doc);
		free(kdoc);
	}
	mindl_record_free(&rec);
	mindl_freezero(json, jsonlen);
	mindl_freezero(port, portlen);
	test_fx_free(&fx);
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
	profiles(secs);
	return 0;
}
