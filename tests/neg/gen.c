/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl negative corpus generator (tests/neg/README.md).
 *
 *   gen DIR        writes DIR/cases/ and DIR/cases.txt
 *
 * Creates a test IACA, document signers (good and broken ones), device and
 * reader keys, issues a credential through the core (mindl_record_parse +
 * mindl_mdoc_issue), creates a request and a response through the core,
 * and then builds crafted variants of each structure by hand: every
 * variant breaks exactly one rule, so that each case has one expected
 * error.  Keys are random, so the output is committed; regen.sh runs this.
 *
 * This is a test tool, not core: it exits on the first failure.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <zlib.h>

#include "mindl/mindl.h"
#include "internal.h"
#include "../common/testlib.h"

/*
 * Pinned times.  Issuance at T0; the corpus is verified at AT; the DS
 * certificates, the IACA and the MSO are all valid at AT.
 */
#define T0	1767268800	/* 2026-01-01T12:00:00Z */
#define AT	(T0 + 3600)	/* 2026-01-01T13:00:00Z */
#define DAY	86400

static const char record_json[] =
    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\",\n"
    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1234567\",\n"
    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\",\n"
    "   \"issue_date\": \"2020-01-01\"}],\n"
    " \"sex\": 2, \"height\": 170, \"eye_colour\": \"brown\"}\n";

/* The portrait: a real JPEG, as the portrait rule wants. */
#define portrait	test_jpeg

/* What the traffic-stop profile asks for: the responses disclose these. */
static const char *disclose[] = { "family_name", "given_name", "portrait",
    "driving_privileges", "expiry_date", "document_number" };
#define NDISCLOSE	(sizeof(disclose) / sizeof(disclose[0]))

static const char *outdir;
static FILE *cases;
static int ncases;

/* ------------------------------------------------------------------ */
/* Small helpers.                                                      */

static void die(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "gen: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static void
ok(int r, const char *what)
{
	if (r != MINDL_OK)
		die("%s: %s", what, mindl_errname(r));
}

/* A growable byte buffer for hand-made CBOR. */
struct bb {
	uint8_t	*p;
	size_t	 n;
	size_t	 cap;
};

static void
bb_put(struct bb *b, const void *p, size_t n)
{
	if (b->n + n > b->cap) {
		size_t c = b->cap ? b->cap : 256;

		while (c < b->n + n)
			c *= 2;
		if ((b->p = realloc(b->p, c)) == NULL)
			die("out of memory");
		b->cap = c;
	}
	if (n > 0)
		memcpy(b->p + b->n, p, n);
	b->n += n;
}

static void
bb_byte(struct bb *b, uint8_t c)
{
	bb_put(b, &c, 1);
}

/* A CBOR head in the shortest form. */
static void
bb_head(struct bb *b, unsigned major, uint64_t v)
{
	uint8_t h[9];
	size_t n;

	major <<= 5;
	if (v < 24) {
		h[0] = (uint8_t)(major | v);
		n = 1;
	} else if (v <= 0xff) {
		h[0] = (uint8_t)(major | 24);
		h[1] = (uint8_t)v;
		n = 2;
	} else if (v <= 0xffff) {
		h[0] = (uint8_t)(major | 25);
		h[1] = (uint8_t)(v >> 8);
		h[2] = (uint8_t)v;
		n = 3;
	} else if (v <= 0xffffffffu) {
		h[0] = (uint8_t)(major | 26);
		h[1] = (uint8_t)(v >> 24);
		h[2] = (uint8_t)(v >> 16);
		h[3] = (uint8_t)(v >> 8);
		h[4] = (uint8_t)v;
		n = 5;
	} else {
		h[0] = (uint8_t)(major | 27);
		for (n = 1; n < 9; n++)
			h[n] = (uint8_t)(v >> (8 * (8 - n)));
	}
	bb_put(b, h, n);
}

static void
bb_tstr(struct bb *b, const char *s)
{
	bb_head(b, 3, strlen(s));
	bb_put(b, s, strlen(s));
}

static void
bb_bstr(struct bb *b, const uint8_t *p, size_t n)
{
	bb_head(b, 2, n);
	bb_put(b, p, n);
}

static void
bb_free(struct bb *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

static struct bb
bb_copy(const uint8_t *p, size_t n)
{
	struct bb b;

	memset(&b, 0, sizeof(b));
	bb_put(&b, p, n);
	return b;
}

/* Takes the encoder's output. */
static struct bb
enc_done(struct mindl_enc *e, const char *what)
{
	struct bb b;
	uint8_t *p = NULL;
	size_t n = 0;

	ok(mindl_enc_finish(e, &p, &n), what);
	b = bb_copy(p, n);
	free(p);
	return b;
}

static size_t
find(const struct bb *h, const void *needle, size_t nl)
{
	size_t i;

	for (i = 0; i + nl <= h->n; i++)
		if (memcmp(h->p + i, needle, nl) == 0)
			return i;
	die("pattern not found");
	return 0;
}

static char *
path(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/cases/%s", outdir, name);
	return buf;
}

static void
write_file(const char *name, const struct bb *b)
{
	ok(mindl_file_write(path(name), b->p, b->n, 0), name);
}

static void
write_gz(const char *name, const struct bb *b)
{
	gzFile f;

	if ((f = gzopen(path(name), "wb9")) == NULL ||
	    gzwrite(f, b->p, (unsigned)b->n) != (int)b->n ||
	    gzclose(f) != Z_OK)
		die("%s: gzip", name);
}

static const char *
ext(const char *kind)
{
	if (strcmp(kind, "record") == 0)
		return "json";
	if (strcmp(kind, "cert") == 0)
		return "der";
	if (strcmp(kind, "trust") == 0)
		return "pem";
	if (strcmp(kind, "portrait") == 0)
		return "jpg";
	return "cbor";
}

/*
 * One case: the file cases/NAME.EXT (EXT from the kind; ".gz" appended
 * for big inputs, which check inflates) and a line in cases.txt.
 */
static void
emit_opt(const char *name, const char *kind, int want, const struct bb *b,
    int gz)
{
	char file[256];

	snprintf(file, sizeof(file), "%s.%s%s", name, ext(kind),
	    gz ? ".gz" : "");
	if (gz)
		write_gz(file, b);
	else
		write_file(file, b);
	fprintf(cases, "%-36s %-9s %s\n", name, kind, mindl_errname(want));
	ncases++;
}

static void
emit(const char *name, const char *kind, int want, const struct bb *b)
{
	emit_opt(name, kind, want, b, 0);
}

static void
emit_str(const char *name, const char *kind, int want, const char *s)
{
	struct bb b = bb_copy((const uint8_t *)s, strlen(s));

	emit(name, kind, want, &b);
	bb_free(&b);
}

static void
emit_hex(const char *name, int want, const char *hex)
{
	struct bb b;
	unsigned v;

	memset(&b, 0, sizeof(b));
	for (; hex[0] != '\0' && hex[1] != '\0'; hex += 2) {
		if (sscanf(hex, "%2x", &v) != 1)
			die("bad hex");
		bb_byte(&b, (uint8_t)v);
	}
	emit(name, "cbor", want, &b);
	bb_free(&b);
}

/* ------------------------------------------------------------------ */
/* Portraits (the allow-list of mindl/jpeg.h).                         */

/*
 * The sample JPEG's layout (tests/common/testlib.h): SOI, APP0 (JFIF)
 * at 2..19, DQT from 20, SOF0 at 89, DHT at 102 and 135, SOS at 157,
 * scan data from TEST_JPEG_SCAN, EOI last.
 */
#define JPEG_AFTER_APP0	20
#define JPEG_SOF0	89

/* The sample with n bytes at `at` replaced by the ins bytes. */
static struct bb
jpeg_edit(size_t at, size_t n, const void *ins, size_t insn)
{
	struct bb b;

	memset(&b, 0, sizeof(b));
	bb_put(&b, test_jpeg, at);
	bb_put(&b, ins, insn);
	bb_put(&b, test_jpeg + at + n, sizeof(test_jpeg) - at - n);
	return b;
}

static void
portrait_case(const char *name, int want, size_t at, size_t n,
    const void *ins, size_t insn)
{
	struct bb b = jpeg_edit(at, n, ins, insn);

	emit(name, "portrait", want, &b);
	bb_free(&b);
}

static void
portrait_cases(void)
{
	static const uint8_t dri[] = { 0xff, 0xdd, 0x00, 0x04, 0x00, 0x00 };
	static const uint8_t exif[] = { 0xff, 0xe1, 0x00, 0x0c, 'E', 'x',
	    'i', 'f', 0, 0, 'G', 'P', 'S', '!' };
	static const uint8_t com[] = { 0xff, 0xfe, 0x00, 0x07, 'h', 'e',
	    'l', 'l', 'o' };
	static const uint8_t jpg0[] = { 0xff, 0xf0, 0x00, 0x07, 'h', 'e',
	    'l', 'l', 'o' };
	static const uint8_t jpg13[] = { 0xff, 0xfd, 0x00, 0x07, 'h', 'e',
	    'l', 'l', 'o' };
	static const uint8_t app14[] = { 0xff, 0xee, 0x00, 0x0e, 'A', 'd',
	    'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 1 };
	static const uint8_t app15[] = { 0xff, 0xef, 0x00, 0x07, 'h', 'e',
	    'l', 'l', 'o' };
	static const uint8_t thumb[] = { 0xff, 0xe0, 0x00, 0x13, 'J', 'F',
	    'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 'a', 'b', 'c' };
	static const uint8_t jfxx[] = { 0xff, 0xe0, 0x00, 0x10, 'J', 'F',
	    'X', 'X', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0 };
	static const uint8_t fill[] = { 0xff };
	static const uint8_t sof3[] = { 0xff, 0xc3 };
	static const uint8_t pad[] = { 0x00 };
	static const uint8_t tail[] = { 'h', 'e', 'l', 'l', 'o' };
	static const uint8_t jp2[] = { 0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50,
	    0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, 0x00, 0x00, 0x00, 0x14 };
	struct bb b;

	portrait_case("ok-portrait-sample", MINDL_OK, 0, 0, NULL, 0);
	portrait_case("ok-portrait-restart-interval", MINDL_OK,
	    JPEG_AFTER_APP0, 0, dri, sizeof(dri));
	/* Finding 3: every segment outside the allow-list. */
	portrait_case("portrait-app1-exif", MINDL_ERR_PORTRAIT,
	    JPEG_AFTER_APP0, 0, exif, sizeof(exif));
	portrait_case("portrait-comment", MINDL_ERR_PORTRAIT,
	    JPEG_AFTER_APP0, 0, com, sizeof(com));
	portrait_case("portrait-reserved-jpg0", MINDL_ERR_PORTRAIT,
	    JPEG_AFTER_APP0, 0, jpg0, sizeof(jpg0));
	portrait_case("portrait-reserved-jpg13", MINDL_ERR_PORTRAIT,
	    JPEG_AFTER_APP0, 0, jpg13, sizeof(jpg13));
	portrait_case("portrait-app14-adobe", MINDL_ERR_PORTRAIT,
	    JPEG_AFTER_APP0, 0, app14, sizeof(app14));
	portrait_case("portrait-app15", MINDL_ERR_PORTRAIT,
	    JPEG_AFTER_APP0, 0, app15, sizeof(app15));
	portrait_case("portrait-bytes-after-eoi", MINDL_ERR_PORTRAIT,
	    sizeof(test_jpeg), 0, tail, sizeof(tail));
	portrait_case("portrait-second-app0", MINDL_ERR_PORTRAIT,
	    JPEG_AFTER_APP0, 0, test_jpeg + 2, 18);
	portrait_case("portrait-no-app0", MINDL_ERR_PORTRAIT, 2, 18, NULL, 0);
	portrait_case("portrait-jfif-thumbnail", MINDL_ERR_PORTRAIT, 2, 18,
	    thumb, sizeof(thumb));
	portrait_case("portrait-app0-not-jfif", MINDL_ERR_PORTRAIT, 2, 18,
	    jfxx, sizeof(jfxx));
	portrait_case("portrait-fill-byte", MINDL_ERR_PORTRAIT,
	    JPEG_AFTER_APP0, 0, fill, sizeof(fill));
	/* a DQT one byte longer than its table: room for hidden bytes */
	b = jpeg_edit(JPEG_AFTER_APP0 + 69, 0, pad, sizeof(pad));
	b.p[JPEG_AFTER_APP0 + 3]++;
	emit("portrait-dqt-padded", "portrait", MINDL_ERR_PORTRAIT, &b);
	bb_free(&b);
	portrait_case("portrait-lossless-sof3", MINDL_ERR_PORTRAIT,
	    JPEG_SOF0, 2, sof3, sizeof(sof3));
	portrait_case("portrait-truncated", MINDL_ERR_PORTRAIT,
	    sizeof(test_jpeg) - 2, 2, NULL, 0);
	portrait_case("portrait-jpeg2000", MINDL_ERR_PORTRAIT, 0,
	    sizeof(test_jpeg), jp2, sizeof(jp2));
	portrait_case("portrait-empty", MINDL_ERR_PORTRAIT, 0,
	    sizeof(test_jpeg), NULL, 0);
}

/* ------------------------------------------------------------------ */
/* Keys and certificates.                                              */

static struct mindl_key *iaca_key, *ds_key, *dev_key, *reader_key;
static struct mindl_key *other_iaca_key, *other_ds_key, *other_dev_key;
static struct mindl_key *ds2_key, *reader2_key, *edev_key;
static struct bb iaca, ds, other_iaca, impostor_iaca, other_ds, impostor_ds;
static struct bb ds2, ds_expired, ds_future, ds_noeku, ds_wrongeku, ds_ca;
static struct bb ds_certsign, ds_long, ds_country, ds_badsig, ds_hand;

static struct mindl_key *
genkey(void)
{
	struct mindl_key *k = NULL;

	ok(mindl_key_generate(&k), "mindl_key_generate");
	return k;
}

static struct bb
make_iaca(const struct mindl_key *k, const char *name)
{
	struct mindl_iaca_params ip = { "US", "SS", name,
	    "mailto:iaca@example.invalid", T0 - 400 * DAY, 3650 };
	uint8_t *der = NULL;
	size_t len = 0;
	struct bb b;

	ok(mindl_x509_make_iaca(k, &ip, &der, &len), "mindl_x509_make_iaca");
	b = bb_copy(der, len);
	free(der);
	return b;
}

static struct bb
make_ds(const struct mindl_key *ik, const struct bb *ic,
    const struct mindl_key *k, int64_t nb, int days)
{
	struct mindl_ds_params dp = { NULL, nb, days };
	uint8_t *der = NULL;
	size_t len = 0;
	struct bb b;

	ok(mindl_x509_make_ds(ik, ic->p, ic->n, k, &dp, &der, &len),
	    "mindl_x509_make_ds");
	b = bb_copy(der, len);
	free(der);
	return b;
}

/* A DS certificate made with OpenSSL directly, to break one rule. */
struct cspec {
	const char	*country;	/* NULL: the IACA's */
	int64_t		 nb;
	int		 days;
	const char	*ku;		/* keyUsage value */
	const char	*eku;		/* NULL: no EKU */
	int		 ca;
};

static void
addext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *ex;

	if ((ex = X509V3_EXT_conf_nid(NULL, ctx, nid, value)) == NULL ||
	    X509_add_ext(x, ex, -1) != 1)
		die("extension %s", value);
	X509_EXTENSION_free(ex);
}

static struct bb
make_cert(const struct cspec *c, const struct mindl_key *k)
{
	const unsigned char *p = iaca.p;
	X509 *ia = NULL, *x = NULL;
	X509_NAME *subj;
	X509V3_CTX ctx;
	BIGNUM *bn = NULL;
	ASN1_INTEGER *serial;
	unsigned char *der = NULL;
	int len = 0, i;
	struct bb b;

	if ((ia = d2i_X509(NULL, &p, (long)iaca.n)) == NULL ||
	    (x = X509_new()) == NULL || X509_set_version(x, 2) != 1)
		die("X509");
	if ((bn = BN_new()) == NULL || BN_rand(bn, 120, BN_RAND_TOP_ONE,
	    BN_RAND_BOTTOM_ANY) != 1 ||
	    (serial = X509_get_serialNumber(x)) == NULL ||
	    BN_to_ASN1_INTEGER(bn, serial) == NULL)
		die("serial");
	BN_free(bn);
	if ((subj = X509_NAME_dup(X509_get_subject_name(ia))) == NULL)
		die("name");
	while ((i = X509_NAME_get_index_by_NID(subj, NID_commonName, -1)) >= 0)
		X509_NAME_ENTRY_free(X509_NAME_delete_entry(subj, i));
	if (c->country != NULL) {
		while ((i = X509_NAME_get_index_by_NID(subj, NID_countryName,
		    -1)) >= 0)
			X509_NAME_ENTRY_free(X509_NAME_delete_entry(subj, i));
		if (X509_NAME_add_entry_by_NID(subj, NID_countryName,
		    MBSTRING_ASC, (const unsigned char *)c->country, -1, 0,
		    0) != 1)
			die("C");
	}
	if (X509_NAME_add_entry_by_NID(subj, NID_commonName, MBSTRING_UTF8,
	    (const unsigned char *)"Negative Corpus DS", -1, -1, 0) != 1 ||
	    X509_set_subject_name(x, subj) != 1 ||
	    X509_set_issuer_name(x, X509_get_subject_name(ia)) != 1)
		die("names");
	X509_NAME_free(subj);
	if (ASN1_TIME_set(X509_getm_notBefore(x), (time_t)c->nb) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)(c->nb +
	    (int64_t)c->days * DAY)) == NULL ||
	    X509_set_pubkey(x, mindl_key_evp(k)) != 1)
		die("times/key");
	X509V3_set_ctx(&ctx, ia, x, NULL, NULL, 0);
	addext(x, &ctx, NID_subject_key_identifier, "hash");
	addext(x, &ctx, NID_authority_key_identifier, "keyid:always");
	addext(x, &ctx, NID_key_usage, c->ku);
	if (c->eku != NULL)
		addext(x, &ctx, NID_ext_key_usage, c->eku);
	if (c->ca)
		addext(x, &ctx, NID_basic_constraints, "critical,CA:TRUE");
	if (X509_sign(x, mindl_key_evp(iaca_key), EVP_sha256()) <= 0 ||
	    (len = i2d_X509(x, &der)) <= 0)
		die("sign");
	b = bb_copy(der, (size_t)len);
	OPENSSL_free(der);
	X509_free(x);
	X509_free(ia);
	return b;
}

static void
make_keys(void)
{
	struct cspec c;

	iaca_key = genkey();
	ds_key = genkey();
	ds2_key = genkey();
	dev_key = genkey();
	reader_key = genkey();
	reader2_key = genkey();
	edev_key = genkey();
	other_iaca_key = genkey();
	other_ds_key = genkey();
	other_dev_key = genkey();

	iaca = make_iaca(iaca_key, "Negative Corpus IACA");
	ds = make_ds(iaca_key, &iaca, ds_key, T0 - 10 * DAY, 365);
	ds2 = make_ds(iaca_key, &iaca, ds2_key, T0 - 10 * DAY, 365);
	/* Another IACA by name, and one that takes the trusted one's name. */
	other_iaca = make_iaca(other_iaca_key, "Other IACA");
	other_ds = make_ds(other_iaca_key, &other_iaca, other_ds_key,
	    T0 - 10 * DAY, 365);
	impostor_iaca = make_iaca(other_iaca_key, "Negative Corpus IACA");
	impostor_ds = make_ds(other_iaca_key, &impostor_iaca, other_ds_key,
	    T0 - 10 * DAY, 365);
	/* Outside validity at AT. */
	ds_expired = make_ds(iaca_key, &iaca, ds_key, T0 - 200 * DAY, 100);
	ds_future = make_ds(iaca_key, &iaca, ds_key, T0 + 10 * DAY, 365);

	memset(&c, 0, sizeof(c));
	c.nb = T0 - 10 * DAY;
	c.days = 365;
	c.ku = "critical,digitalSignature";
	c.eku = "critical,1.0.18013.5.1.2";
	ds_hand = make_cert(&c, ds_key);	/* the control: all rules kept */
	ds_badsig = make_cert(&c, ds_key);
	ds_badsig.p[ds_badsig.n - 5] ^= 0x01;	/* inside the signature */
	c.eku = NULL;
	ds_noeku = make_cert(&c, ds_key);
	c.eku = "critical,serverAuth";
	ds_wrongeku = make_cert(&c, ds_key);
	c.eku = "critical,1.0.18013.5.1.2";
	c.ca = 1;
	ds_ca = make_cert(&c, ds_key);
	c.ca = 0;
	c.ku = "critical,digitalSignature,keyCertSign";
	ds_certsign = make_cert(&c, ds_key);
	c.ku = "critical,digitalSignature";
	c.days = 600;
	ds_long = make_cert(&c, ds_key);
	c.days = 365;
	c.country = "CA";
	ds_country = make_cert(&c, ds_key);
}

/* ------------------------------------------------------------------ */
/* Credential, request, response through the core.                     */

static struct mindl_schema *schema;
static struct mindl_record *rec;
static struct bb cred, request, request2, core_resp, replay_resp;
static struct mindl_request *req;	/* parsed request (for its erk) */
/* SHA-256 over the eReaderKey bytes of request and of request2. */
static uint8_t rkd_ours[MINDL_SHA256_LEN], rkd_other[MINDL_SHA256_LEN];

static void
core_flow(void)
{
	struct mindl_issue_params p;
	struct mindl_request *req2 = NULL;
	const uint8_t *erk;
	uint8_t *out = NULL;
	size_t outlen = 0, erklen;
	char err[256];
	int r;

	ok(mindl_schema_builtin(&schema), "mindl_schema_builtin");
	r = mindl_record_parse(schema, record_json, strlen(record_json),
	    portrait, sizeof(portrait), T0, &rec, err, sizeof(err));
	if (r != MINDL_OK)
		die("record: %s: %s", mindl_errname(r), err);
	memset(&p, 0, sizeof(p));
	p.record = rec;
	p.policy = mindl_schema_policy(schema);
	p.ds_cert = ds.p;
	p.ds_certlen = ds.n;
	p.device_pub = dev_key;
	p.now = T0;
	ok(test_issue(&p, ds_key, &out, &outlen, NULL), "mindl_mdoc_issue");
	cred = bb_copy(out, outlen);
	free(out);

	ok(mindl_request_create(mindl_schema_profile(schema, "traffic-stop"),
	    reader_key, &out, &outlen), "mindl_request_create");
	request = bb_copy(out, outlen);
	free(out);
	ok(mindl_request_parse(request.p, request.n, &req),
	    "mindl_request_parse");
	mindl_request_erk(req, &erk, &erklen);
	ok(mindl_sha256(erk, erklen, rkd_ours), "sha");
	ok(test_present(cred.p, cred.n, dev_key, req, schema,
	    MINDL_DEVAUTH_MAC, &out, &outlen, NULL), "mindl_present");
	core_resp = bb_copy(out, outlen);
	free(out);

	/* Another verifier's session: its answer replayed to ours. */
	ok(mindl_request_create(mindl_schema_profile(schema, "traffic-stop"),
	    reader2_key, &out, &outlen), "mindl_request_create");
	request2 = bb_copy(out, outlen);
	free(out);
	ok(mindl_request_parse(request2.p, request2.n, &req2),
	    "mindl_request_parse");
	mindl_request_erk(req2, &erk, &erklen);
	ok(mindl_sha256(erk, erklen, rkd_other), "sha");
	ok(test_present(cred.p, cred.n, dev_key, req2, schema,
	    MINDL_DEVAUTH_MAC, &out, &outlen, NULL), "mindl_present");
	replay_resp = bb_copy(out, outlen);
	free(out);
	mindl_request_free(&req2);
}

/* ------------------------------------------------------------------ */
/* Hand-built responses.                                               */

/* One IssuerSignedItem of the record, with a fixed digestID and salt. */
struct item {
	const char	*ns;
	const char	*id;
	const uint8_t	*value;
	size_t		 valuelen;
	uint32_t	 did;
	uint8_t		 salt[32];
};

static struct item items[MINDL_MAX_ELEMENTS];
static size_t nitems;

static void
make_items(void)
{
	const struct mindl_element *el;
	size_t i;

	for (i = 0; i < mindl_record_count(rec); i++) {
		el = mindl_record_element(rec, i);
		items[i].ns = el->ns;
		items[i].id = el->id;
		items[i].value = el->value;
		items[i].valuelen = el->valuelen;
		/* distinct, non-sequential, one encoded size */
		items[i].did = 0x10000u + (uint32_t)((i * 7919u + 104729u) %
		    0x7fff0000u);
		ok(mindl_random(items[i].salt, 32), "mindl_random");
	}
	nitems = i;
}

static size_t
item_index(const char *id)
{
	size_t i;

	for (i = 0; i < nitems; i++)
		if (strcmp(items[i].id, id) == 0)
			return i;
	die("no element %s in the record", id);
	return 0;
}

/*
 * IssuerSignedItemBytes: #6.24(bstr .cbor {digestID, random,
 * elementIdentifier, elementValue}); keys sorted unless `reverse`.
 */
/* The digestID encoded with CBOR major type mt (0; 1 for a negint). */
static struct bb
item_bytes_t(const struct item *it, uint32_t did, int mt, const char *id,
    int reverse, struct bb *inner_out)
{
	struct bb inner, b;

	memset(&inner, 0, sizeof(inner));
	memset(&b, 0, sizeof(b));
	bb_head(&inner, 5, 4);
	if (!reverse) {
		/* encoded-key order: "random" < "digestID" < ... by length */
		bb_tstr(&inner, "random");
		bb_bstr(&inner, it->salt, 32);
		bb_tstr(&inner, "digestID");
		bb_head(&inner, mt, did);
		bb_tstr(&inner, "elementValue");
		bb_put(&inner, it->value, it->valuelen);
		bb_tstr(&inner, "elementIdentifier");
		bb_tstr(&inner, id);
	} else {
		bb_tstr(&inner, "elementIdentifier");
		bb_tstr(&inner, id);
		bb_tstr(&inner, "elementValue");
		bb_put(&inner, it->value, it->valuelen);
		bb_tstr(&inner, "digestID");
		bb_head(&inner, mt, did);
		bb_tstr(&inner, "random");
		bb_bstr(&inner, it->salt, 32);
	}
	bb_head(&b, 6, 24);
	bb_bstr(&b, inner.p, inner.n);
	if (inner_out != NULL)
		*inner_out = inner;
	else
		bb_free(&inner);
	return b;
}

static struct bb
item_bytes(const struct item *it, uint32_t did, const char *id, int reverse,
    struct bb *inner_out)
{
	return item_bytes_t(it, did, 0, id, reverse, inner_out);
}

/* Knobs: each crafted response turns exactly one. */
struct spec {
	/* disclosed items */
	int		 reverse_keys;	/* unsorted item maps (still valid) */
	int		 tamper_value;	/* change family_name after signing */
	int		 relabel;	/* elementIdentifier changed after */
	int		 relabel_dup;	/* ... to another disclosed one's */
	int		 neg_did;	/* 1st item's digestID as a negint */
	int		 dup_same;	/* the first item disclosed twice */
	int		 dup_other;	/* 2nd item carries the 1st's ID */
	int		 wrong_ns;	/* items under a namespace not in MSO */
	int		 untagged;	/* items as plain bstr, no tag 24 */
	int		 digest_inner;	/* MSO digest over the inner map */
	int		 drop_digest;	/* MSO lacks the first item's ID */
	/* A validly signed value of another type (or element name). */
	const char	*set_id;	/* the disclosed element changed */
	const char	*set_rename;	/* its new identifier, or NULL */
	const uint8_t	*set_val;	/* its new value's CBOR */
	size_t		 set_vallen;
	/* MSO */
	const char	*mso_doctype;
	const char	*mso_version;
	const char	*digest_alg;
	int64_t		 valid_from, valid_until;
	int64_t		 signed_at;	/* 0: valid_from */
	const char	*valid_from_text;	/* raw tdate text */
	int		 no_validity;
	int		 no_device_key;
	int		 mso_neg_did;	/* a valueDigests key as a negint */
	int		 mso_status;	/* 1 good status_list, 2 idx a tstr */
	const struct mindl_key *mso_dev;
	int		 mso_untagged;
	/* issuerAuth */
	const struct mindl_key *signer;
	const struct bb	*x5[3];
	size_t		 nx5;		/* 0: no x5chain */
	int		 x5_array;
	const uint8_t	*prot;		/* protected header bytes */
	size_t		 protlen;
	int		 alg_unprot;	/* {1: -7} in the unprotected bucket */
	int		 flip_sig;
	/* document and DeviceResponse */
	const char	*doctype;
	int		 ndocs;		/* -1: no "documents" */
	const char	*dr_version;
	int		 status;
	/* device authentication */
	int		 auth;		/* 0 {}, 1 mac, 2 sig, 3 both, 4 none */
	const struct mindl_key *mac_key;	/* holder's side of ECDH */
	const struct mindl_key *sig_key;
	const char	*devauth_doctype;
	int		 mac_attached;
	int		 mac_es256;	/* deviceMac with alg -7 */
	int		 flip_mac;
	/* envelope */
	int		 v;
	int		 no_engagement;
	int		 deep;		/* extra key with nesting this deep */
	int		 pad;		/* extra keys of ~1 MB bstrs */
	/*
	 * readerKeyDigest: 0 none, 1 this request's, 2 request2's, 3 31
	 * bytes, 4 33 bytes, 5 a tstr
	 */
	int		 rkd;
};

static void
spec_default(struct spec *s)
{
	memset(s, 0, sizeof(*s));
	s->mso_doctype = MINDL_DOCTYPE_MDL;
	s->mso_version = "1.0";
	s->digest_alg = "SHA-256";
	s->valid_from = T0 - T0 % DAY;
	s->valid_until = s->valid_from + 30 * DAY;
	s->mso_dev = dev_key;
	s->signer = ds_key;
	s->x5[0] = &ds;
	s->nx5 = 1;
	s->doctype = MINDL_DOCTYPE_MDL;
	s->ndocs = 1;
	s->dr_version = "1.0";
	s->auth = 1;
	s->mac_key = dev_key;
	s->sig_key = dev_key;
	s->devauth_doctype = MINDL_DOCTYPE_MDL;
	s->v = 1;
}

static void
enc_tdate(struct mindl_enc *e, int64_t t)
{
	char buf[MINDL_TDATE_LEN + 1];

	ok(mindl_tdate_format(t, buf), "mindl_tdate_format");
	mindl_enc_tag(e, 0);
	mindl_enc_tstr(e, buf);
}

static struct bb
build_mso(const struct spec *s, uint8_t digests[][32])
{
	struct mindl_enc e;
	const char *nss[4];
	size_t nns = 0, i, j, n;

	for (i = 0; i < nitems; i++) {
		for (j = 0; j < nns && strcmp(nss[j], items[i].ns) != 0; j++)
			;
		if (j == nns)
			nss[nns++] = items[i].ns;
	}
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, (s->no_validity ? 5 : 6) + (s->mso_status != 0));
	if (s->mso_status != 0) {
		mindl_enc_tstr(&e, "status");
		mindl_enc_map(&e, 1);
		mindl_enc_tstr(&e, "status_list");
		mindl_enc_map(&e, 2);
		mindl_enc_tstr(&e, "idx");
		if (s->mso_status == 1)
			mindl_enc_uint(&e, 1048575);
		else
			mindl_enc_tstr(&e, "1048575");
		mindl_enc_tstr(&e, "uri");
		mindl_enc_tstr(&e, "https://dmv.example/status/1");
	}
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, s->mso_version);
	mindl_enc_tstr(&e, "digestAlgorithm");
	mindl_enc_tstr(&e, s->digest_alg);
	mindl_enc_tstr(&e, "valueDigests");
	mindl_enc_map(&e, nns);
	for (j = 0; j < nns; j++) {
		mindl_enc_tstr(&e, nss[j]);
		for (i = 0, n = 0; i < nitems; i++)
			n += strcmp(items[i].ns, nss[j]) == 0 &&
			    !(s->drop_digest && strcmp(items[i].id,
			    disclose[0]) == 0);
		mindl_enc_map(&e, n);
		for (i = 0; i < nitems; i++) {
			if (strcmp(items[i].ns, nss[j]) != 0 ||
			    (s->drop_digest && strcmp(items[i].id,
			    disclose[0]) == 0))
				continue;
			if (s->mso_neg_did && strcmp(items[i].id,
			    disclose[0]) == 0)
				mindl_enc_int(&e, -1 - (int64_t)items[i].did);
			else
				mindl_enc_uint(&e, items[i].did);
			mindl_enc_bstr(&e, digests[i], 32);
		}
	}
	mindl_enc_tstr(&e, "deviceKeyInfo");
	if (s->no_device_key) {
		mindl_enc_map(&e, 0);
	} else {
		mindl_enc_map(&e, 1);
		mindl_enc_tstr(&e, "deviceKey");
		ok(mindl_cose_key_write(&e, s->mso_dev), "cose_key_write");
	}
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, s->mso_doctype);
	if (!s->no_validity) {
		mindl_enc_tstr(&e, "validityInfo");
		mindl_enc_map(&e, 3);
		mindl_enc_tstr(&e, "signed");
		enc_tdate(&e, s->signed_at != 0 ? s->signed_at :
		    s->valid_from);
		mindl_enc_tstr(&e, "validFrom");
		if (s->valid_from_text != NULL) {
			mindl_enc_tag(&e, 0);
			mindl_enc_tstr(&e, s->valid_from_text);
		} else
			enc_tdate(&e, s->valid_from);
		mindl_enc_tstr(&e, "validUntil");
		enc_tdate(&e, s->valid_until);
	}
	return enc_done(&e, "MSO");
}

/* COSE_Sign1 by hand: any protected header, any x5chain. */
static struct bb
sign1(const struct spec *s, const struct bb *payload)
{
	static const uint8_t es256[] = { 0xa1, 0x01, 0x26 };
	struct mindl_enc e;
	struct bb tbs, out;
	const uint8_t *prot = s->prot != NULL ? s->prot : es256;
	size_t protlen = s->prot != NULL ? s->protlen : sizeof(es256);
	uint8_t sig[MINDL_MAX_SIG];
	size_t siglen = sizeof(sig), i;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 4);
	mindl_enc_tstr(&e, "Signature1");
	mindl_enc_bstr(&e, prot, protlen);
	mindl_enc_bstr(&e, NULL, 0);
	mindl_enc_bstr(&e, payload->p, payload->n);
	tbs = enc_done(&e, "Sig_structure");
	ok(mindl_ecdsa_sign(s->signer, tbs.p, tbs.n, sig, &siglen),
	    "mindl_ecdsa_sign");
	bb_free(&tbs);
	if (s->flip_sig)
		sig[siglen - 1] ^= 0x01;

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 4);
	mindl_enc_bstr(&e, prot, protlen);
	mindl_enc_map(&e, (uint64_t)((s->nx5 > 0) + (s->alg_unprot != 0)));
	if (s->alg_unprot) {
		mindl_enc_int(&e, 1);
		mindl_enc_int(&e, -7);
	}
	if (s->nx5 > 0) {
		mindl_enc_int(&e, 33);
		if (s->nx5 == 1 && !s->x5_array)
			mindl_enc_bstr(&e, s->x5[0]->p, s->x5[0]->n);
		else {
			mindl_enc_array(&e, s->nx5);
			for (i = 0; i < s->nx5; i++)
				mindl_enc_bstr(&e, s->x5[i]->p, s->x5[i]->n);
		}
	}
	mindl_enc_bstr(&e, payload->p, payload->n);
	mindl_enc_bstr(&e, sig, siglen);
	out = enc_done(&e, "COSE_Sign1");
	return out;
}

/* DeviceEngagement {0: "1.0", 1: [1, #6.24(bstr .cbor EDeviceKey)]}. */
static struct bb
engagement(void)
{
	struct mindl_enc e;
	struct bb k;
	struct bb out;

	mindl_enc_init(&e, 4096);
	ok(mindl_cose_key_write(&e, edev_key), "cose_key_write");
	k = enc_done(&e, "EDeviceKey");
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 2);
	mindl_enc_uint(&e, 0);
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_uint(&e, 1);
	mindl_enc_array(&e, 2);
	mindl_enc_uint(&e, 1);
	mindl_enc_embedded(&e, k.p, k.n);
	out = enc_done(&e, "DeviceEngagement");
	bb_free(&k);
	return out;
}

/* deviceAuth map content for the spec (the value of "deviceAuth"). */
static struct bb
device_auth(const struct spec *s, const struct bb *de)
{
	static const uint8_t dns[] = { 0xd8, 0x18, 0x41, 0xa0 };
	const uint8_t *erk;
	size_t erklen;
	uint8_t *st = NULL, *dab = NULL, mackey[32];
	size_t stlen = 0, dablen = 0;
	struct mindl_enc e;
	struct bb out;

	mindl_request_erk(req, &erk, &erklen);
	ok(mindl_transcript_bytes(de->p, de->n, erk, erklen, &st, &stlen),
	    "mindl_transcript_bytes");
	ok(mindl_devauth_bytes(st, stlen, s->devauth_doctype,
	    strlen(s->devauth_doctype), dns, sizeof(dns), &dab, &dablen),
	    "mindl_devauth_bytes");
	ok(mindl_emac_key(s->mac_key, reader_key, st, stlen, mackey),
	    "mindl_emac_key");

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, s->auth == 0 || s->auth == 4 ? 0 : s->auth == 3 ? 2 : 1);
	if (s->auth == 1 || s->auth == 3) {
		mindl_enc_tstr(&e, "deviceMac");
		if (s->mac_attached || s->mac_es256 || s->flip_mac) {
			/* COSE_Mac0 by hand */
			uint8_t prot[3] = { 0xa1, 0x01, 0x05 };
			uint8_t mac[32];
			struct mindl_enc t;
			struct bb tbs;

			if (s->mac_es256)
				prot[2] = 0x26;
			mindl_enc_init(&t, MINDL_MAX_INPUT);
			mindl_enc_array(&t, 4);
			mindl_enc_tstr(&t, "MAC0");
			mindl_enc_bstr(&t, prot, sizeof(prot));
			mindl_enc_bstr(&t, NULL, 0);
			mindl_enc_bstr(&t, dab, dablen);
			tbs = enc_done(&t, "MAC_structure");
			ok(mindl_hmac_sha256(mackey, 32, tbs.p, tbs.n, mac),
			    "hmac");
			bb_free(&tbs);
			if (s->flip_mac)
				mac[0] ^= 0x01;
			mindl_enc_array(&e, 4);
			mindl_enc_bstr(&e, prot, sizeof(prot));
			mindl_enc_map(&e, 0);
			if (s->mac_attached)
				mindl_enc_bstr(&e, dab, dablen);
			else
				mindl_enc_null(&e);
			mindl_enc_bstr(&e, mac, sizeof(mac));
		} else
			ok(mindl_cose_mac0_write(&e, mackey, 32, dab, dablen),
			    "mindl_cose_mac0_write");
	}
	if (s->auth == 2 || s->auth == 3) {
		mindl_enc_tstr(&e, "deviceSignature");
		ok(test_sign1_write(&e, s->sig_key, dab, dablen, 1, NULL,
		    0), "mindl_cose_sign1_write");
	}
	out = enc_done(&e, "deviceAuth");
	mindl_wipe(mackey, sizeof(mackey));
	free(st);
	free(dab);
	return out;
}

static struct bb
build(const struct spec *s)
{
	static uint8_t digests[MINDL_MAX_ELEMENTS][32];
	static const uint8_t dns[] = { 0xd8, 0x18, 0x41, 0xa0 };
	struct bb dis[NDISCLOSE + 1], mso, payload, ia, de, da, doc, out;
	struct mindl_enc e;
	struct item saved;
	size_t ndis = 0, i, k, dx[NDISCLOSE], setx = 0;
	int d;

	/* Indexes first: set_rename changes what item_index finds. */
	for (d = 0; d < (int)NDISCLOSE; d++)
		dx[d] = item_index(disclose[d]);
	if (s->set_id != NULL) {
		setx = item_index(s->set_id);
		saved = items[setx];
		items[setx].value = s->set_val;
		items[setx].valuelen = s->set_vallen;
		if (s->set_rename != NULL)
			items[setx].id = s->set_rename;
	}

	/* Item encodings and their digests (over the tag-24 bytes). */
	for (i = 0; i < nitems; i++) {
		struct bb inner, b;

		b = item_bytes(&items[i], items[i].did, items[i].id,
		    s->reverse_keys, &inner);
		if (s->digest_inner && strcmp(items[i].id, disclose[0]) == 0)
			ok(mindl_sha256(inner.p, inner.n, digests[i]), "sha");
		else
			ok(mindl_sha256(b.p, b.n, digests[i]), "sha");
		bb_free(&inner);
		bb_free(&b);
	}
	/* What is disclosed, as received (possibly altered after signing). */
	for (d = 0; d < (int)NDISCLOSE; d++) {
		struct item *it = &items[dx[d]];
		uint32_t did = it->did;
		const char *id = it->id;

		if (s->dup_other && d == 1)
			did = items[item_index(disclose[0])].did;
		if (s->relabel && d == 0)
			id = "resident_city";
		if (s->relabel_dup && d == 0)
			id = "given_name";
		dis[ndis] = item_bytes_t(it, did, s->neg_did && d == 0, id,
		    s->reverse_keys, NULL);
		if (s->tamper_value && d == 0) {
			/* "Doe" -> "Dod": same length, still well-formed */
			k = find(&dis[ndis], "Doe", 3);
			dis[ndis].p[k + 2] ^= 0x01;
		}
		if (s->untagged) {
			struct bb t = bb_copy(dis[ndis].p + 2,
			    dis[ndis].n - 2);

			bb_free(&dis[ndis]);
			dis[ndis] = t;
		}
		ndis++;
		if (s->dup_same && d == 0) {
			dis[ndis] = bb_copy(dis[ndis - 1].p, dis[ndis - 1].n);
			ndis++;
		}
	}

	mso = build_mso(s, digests);
	if (s->mso_untagged)
		payload = bb_copy(mso.p, mso.n);
	else {
		memset(&payload, 0, sizeof(payload));
		bb_head(&payload, 6, 24);
		bb_bstr(&payload, mso.p, mso.n);
	}
	if (s->prot == NULL && !s->alg_unprot && !s->flip_sig &&
	    s->nx5 == 1 && !s->x5_array) {
		/* The ordinary case: the core's writer, as the issuer does. */
		mindl_enc_init(&e, MINDL_MAX_INPUT);
		ok(test_sign1_write(&e, s->signer, payload.p, payload.n,
		    0, s->x5[0]->p, s->x5[0]->n), "mindl_cose_sign1_write");
		ia = enc_done(&e, "issuerAuth");
	} else
		ia = sign1(s, &payload);

	de = engagement();
	da = device_auth(s, &de);

	/* Document */
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, s->auth == 4 ? 2 : 3);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, s->doctype);
	mindl_enc_tstr(&e, "issuerSigned");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, s->wrong_ns ? "org.example.other" : MINDL_NS_ISO);
	mindl_enc_array(&e, ndis);
	for (i = 0; i < ndis; i++)
		mindl_enc_raw(&e, dis[i].p, dis[i].n);
	mindl_enc_tstr(&e, "issuerAuth");
	mindl_enc_raw(&e, ia.p, ia.n);
	if (s->auth != 4) {
		mindl_enc_tstr(&e, "deviceSigned");
		mindl_enc_map(&e, 2);
		mindl_enc_tstr(&e, "nameSpaces");
		mindl_enc_raw(&e, dns, sizeof(dns));
		mindl_enc_tstr(&e, "deviceAuth");
		mindl_enc_raw(&e, da.p, da.n);
	}
	doc = enc_done(&e, "Document");

	/* Response file */
	mindl_enc_init(&e, 2 * MINDL_MAX_INPUT);
	mindl_enc_map(&e, (uint64_t)(3 - (s->no_engagement != 0) +
	    (s->deep > 0) + s->pad + (s->rkd != 0)));
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, (uint64_t)s->v);
	if (!s->no_engagement) {
		mindl_enc_tstr(&e, "deviceEngagement");
		mindl_enc_bstr(&e, de.p, de.n);
	}
	mindl_enc_tstr(&e, "deviceResponse");
	mindl_enc_map(&e, s->ndocs < 0 ? 2 : 3);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, s->dr_version);
	if (s->ndocs >= 0) {
		mindl_enc_tstr(&e, "documents");
		mindl_enc_array(&e, (uint64_t)s->ndocs);
		for (d = 0; d < s->ndocs; d++)
			mindl_enc_raw(&e, doc.p, doc.n);
	}
	mindl_enc_tstr(&e, "status");
	mindl_enc_uint(&e, (uint64_t)s->status);
	if (s->rkd != 0) {
		static const uint8_t z[MINDL_SHA256_LEN + 1];

		mindl_enc_tstr(&e, "readerKeyDigest");
		if (s->rkd == 1 || s->rkd == 2)
			mindl_enc_bstr(&e, s->rkd == 1 ? rkd_ours : rkd_other,
			    MINDL_SHA256_LEN);
		else if (s->rkd == 3 || s->rkd == 4)
			mindl_enc_bstr(&e, z, s->rkd == 3 ? sizeof(z) - 2 :
			    sizeof(z));
		else
			mindl_enc_tstr(&e, "readerKeyDigest");
	}
	if (s->deep > 0) {
		struct bb nest;

		memset(&nest, 0, sizeof(nest));
		for (d = 0; d < s->deep; d++)
			bb_byte(&nest, 0x81);
		bb_byte(&nest, 0x00);
		mindl_enc_tstr(&e, "x");
		mindl_enc_raw(&e, nest.p, nest.n);
		bb_free(&nest);
	}
	for (d = 0; d < s->pad; d++) {
		static uint8_t zeros[1000000];
		char key[16];

		snprintf(key, sizeof(key), "pad%d", d);
		mindl_enc_tstr(&e, key);
		mindl_enc_bstr(&e, zeros, sizeof(zeros));
	}
	out = enc_done(&e, "response");

	if (s->set_id != NULL)
		items[setx] = saved;
	for (i = 0; i < ndis; i++)
		bb_free(&dis[i]);
	bb_free(&mso);
	bb_free(&payload);
	bb_free(&ia);
	bb_free(&de);
	bb_free(&da);
	bb_free(&doc);
	return out;
}

static void
resp_case(const char *name, int want, const struct spec *s)
{
	struct bb b = build(s);

	emit_opt(name, "response", want, &b, s->pad > 0);
	bb_free(&b);
}

/* Offset of the content of the bstr or tstr value of text key `key`. */
static size_t
value_of(const struct bb *b, const char *key)
{
	struct bb k;
	size_t off;

	memset(&k, 0, sizeof(k));
	bb_tstr(&k, key);
	off = find(b, k.p, k.n) + k.n;
	bb_free(&k);
	return off;
}

/* A response whose element `id` carries the CBOR value v, validly signed. */
static void
value_case(const char *name, int want, const char *id, const char *rename,
    const struct bb *v)
{
	struct spec s;

	spec_default(&s);
	s.set_id = id;
	s.set_rename = rename;
	s.set_val = v->p;
	s.set_vallen = v->n;
	resp_case(name, want, &s);
}

static struct bb
cb_tstr(const char *t)
{
	struct bb b;

	memset(&b, 0, sizeof(b));
	bb_tstr(&b, t);
	return b;
}

static struct bb
cb_tagged(uint64_t tag, const char *t)
{
	struct bb b;

	memset(&b, 0, sizeof(b));
	bb_head(&b, 6, tag);
	bb_tstr(&b, t);
	return b;
}

/* [{"vehicle_category_code": "C", key: value}] */
static struct bb
cb_privilege(const char *key, const struct bb *value)
{
	struct bb b;

	memset(&b, 0, sizeof(b));
	bb_head(&b, 4, 1);
	bb_head(&b, 5, key != NULL ? 2 : 1);
	bb_tstr(&b, "vehicle_category_code");
	bb_tstr(&b, "C");
	if (key != NULL) {
		bb_tstr(&b, key);
		bb_put(&b, value->p, value->n);
	}
	return b;
}

/*
 * Finding 4: each disclosed value against the element table.  The
 * values are signed by the trusted issuer, so only the type check can
 * refuse them.  Finding 3 on receipt: portraits outside the allow-list.
 */
static void
value_cases(void)
{
	static const uint8_t t[] = { 0xf5 }, one[] = { 0x01 };
	static const uint8_t seven[] = { 0x07 }, bytes[] = { 0x41, 0x44 };
	static const uint8_t emptymap[] = { 0xa0 };
	struct bb v, w;

#define RAW(name, want, id, rename, arr) do {				\
	struct bb r_ = bb_copy(arr, sizeof(arr));			\
	value_case(name, want, id, rename, &r_);			\
	bb_free(&r_);							\
} while (0)
#define VAL(name, want, id, rename, expr) do {				\
	struct bb x_ = expr;						\
	value_case(name, want, id, rename, &x_);			\
	bb_free(&x_);							\
} while (0)
	RAW("ok-value-age-over-bool", MINDL_OK, "family_name", "age_over_21",
	    t);
	VAL("value-type-age-over-text-yes", MINDL_ERR_VALUE_TYPE,
	    "family_name", "age_over_21", cb_tstr("yes"));
	VAL("value-type-age-over-text-false", MINDL_ERR_VALUE_TYPE,
	    "family_name", "age_over_21", cb_tstr("false"));
	RAW("value-type-age-over-int", MINDL_ERR_VALUE_TYPE, "family_name",
	    "age_over_21", one);
	RAW("value-type-age-over-unlisted-int", MINDL_ERR_VALUE_TYPE,
	    "family_name", "age_over_99", one);
	RAW("value-type-name-int", MINDL_ERR_VALUE_TYPE, "family_name", NULL,
	    seven);
	RAW("value-type-document-number-bytes", MINDL_ERR_VALUE_TYPE,
	    "document_number", NULL, bytes);
	RAW("ok-value-unknown-element-not-judged", MINDL_OK, "family_name",
	    "nickname", seven);
	VAL("value-type-expiry-untagged-text", MINDL_ERR_VALUE_TYPE,
	    "expiry_date", NULL, cb_tstr("2030-01-01"));
	VAL("ok-value-expiry-tdate", MINDL_OK, "expiry_date", NULL,
	    cb_tagged(0, "2030-01-01T00:00:00Z"));
	VAL("value-type-expiry-bad-full-date", MINDL_ERR_VALUE_TYPE,
	    "expiry_date", NULL, cb_tagged(1004, "2030-02-30"));
	VAL("value-type-expiry-date-time-as-full-date", MINDL_ERR_VALUE_TYPE,
	    "expiry_date", NULL, cb_tagged(1004, "2030-01-01T00:00:00Z"));
	VAL("value-type-expiry-bad-tdate", MINDL_ERR_VALUE_TYPE,
	    "expiry_date", NULL, cb_tagged(0, "2030-01-01"));
	w = cb_tagged(1004, "2030-01-01");
	VAL("ok-value-privilege-expiry", MINDL_OK, "driving_privileges",
	    NULL, cb_privilege("expiry_date", &w));
	bb_free(&w);
	w = cb_tstr("limited");
	VAL("value-type-privilege-unknown-key", MINDL_ERR_VALUE_TYPE,
	    "driving_privileges", NULL, cb_privilege("status", &w));
	bb_free(&w);
	w = bb_copy(seven, sizeof(seven));
	VAL("value-type-privilege-codes-int", MINDL_ERR_VALUE_TYPE,
	    "driving_privileges", NULL, cb_privilege("codes", &w));
	bb_free(&w);
	w = cb_tstr("2030-01-01");
	VAL("value-type-privilege-expiry-untagged", MINDL_ERR_VALUE_TYPE,
	    "driving_privileges", NULL, cb_privilege("expiry_date", &w));
	bb_free(&w);
	RAW("value-type-privileges-map", MINDL_ERR_VALUE_TYPE,
	    "driving_privileges", NULL, emptymap);
	VAL("value-type-portrait-text", MINDL_ERR_VALUE_TYPE, "portrait",
	    NULL, cb_tstr("photo"));
	{
		static const uint8_t com[] = { 0xff, 0xfe, 0x00, 0x07, 'h',
		    'e', 'l', 'l', 'o' };
		static const uint8_t jpg0[] = { 0xff, 0xf0, 0x00, 0x07, 'h',
		    'e', 'l', 'l', 'o' };

		w = jpeg_edit(JPEG_AFTER_APP0, 0, com, sizeof(com));
		memset(&v, 0, sizeof(v));
		bb_bstr(&v, w.p, w.n);
		value_case("portrait-value-comment", MINDL_ERR_PORTRAIT,
		    "portrait", NULL, &v);
		bb_free(&v);
		bb_free(&w);
		w = jpeg_edit(JPEG_AFTER_APP0, 0, jpg0, sizeof(jpg0));
		bb_bstr(&v, w.p, w.n);
		value_case("portrait-value-reserved-segment",
		    MINDL_ERR_PORTRAIT, "portrait", NULL, &v);
		bb_free(&v);
		bb_free(&w);
	}
#undef RAW
#undef VAL
}

static void
response_cases(void)
{
	struct spec s;
	struct bb b, t;
	size_t off;

	/* Controls: the core's own answer and the builder's baselines. */
	emit("ok-core-present", "response", MINDL_OK, &core_resp);
	spec_default(&s);
	resp_case("ok-built-mac", MINDL_OK, &s);
	s.auth = 2;
	resp_case("ok-built-signature", MINDL_OK, &s);
	spec_default(&s);
	s.reverse_keys = 1;
	resp_case("ok-item-keys-unsorted", MINDL_OK, &s);
	spec_default(&s);
	s.x5_array = 1;
	resp_case("ok-x5chain-array-of-one", MINDL_OK, &s);

	/* Disclosed items against the MSO. */
	spec_default(&s);
	s.tamper_value = 1;
	resp_case("element-value-changed", MINDL_ERR_DIGEST, &s);
	b = bb_copy(core_resp.p, core_resp.n);
	off = find(&b, "Doe", 3);
	b.p[off] ^= 0x20;	/* "Doe" -> "doe" */
	emit("element-value-changed-core", "response", MINDL_ERR_DIGEST, &b);
	bb_free(&b);
	spec_default(&s);
	s.relabel = 1;
	resp_case("element-identifier-changed", MINDL_ERR_DIGEST, &s);
	spec_default(&s);
	s.relabel_dup = 1;
	resp_case("element-identifier-twice", MINDL_ERR_CBOR_DUPKEY, &s);
	spec_default(&s);
	s.neg_did = 1;
	resp_case("digestid-negative", MINDL_ERR_CBOR_TYPE, &s);
	spec_default(&s);
	s.mso_neg_did = 1;
	resp_case("mso-digestid-negative", MINDL_ERR_CBOR_TYPE, &s);
	spec_default(&s);
	s.digest_inner = 1;
	resp_case("digest-over-inner-bytes", MINDL_ERR_DIGEST, &s);
	spec_default(&s);
	s.drop_digest = 1;
	resp_case("digestid-absent-from-mso", MINDL_ERR_DIGEST_ID, &s);
	spec_default(&s);
	s.dup_same = 1;
	resp_case("digestid-duplicate-same-item", MINDL_ERR_DIGEST_ID_DUP, &s);
	spec_default(&s);
	s.dup_other = 1;
	resp_case("digestid-duplicate-two-items", MINDL_ERR_DIGEST_ID_DUP, &s);
	spec_default(&s);
	s.wrong_ns = 1;
	resp_case("namespace-not-in-mso", MINDL_ERR_DIGEST_ID, &s);
	spec_default(&s);
	s.untagged = 1;
	resp_case("item-not-tag24", MINDL_ERR_CBOR_TAG, &s);
	value_cases();

	/* Finding 5: signed after the verification time. */
	spec_default(&s);
	s.signed_at = AT + MINDL_CLOCK_SKEW - 1;
	resp_case("ok-mso-signed-within-clock-skew", MINDL_OK, &s);
	s.signed_at = AT + MINDL_CLOCK_SKEW + 1;
	resp_case("mso-signed-in-future", MINDL_ERR_SIGNED_LATER, &s);

	/* docType */
	spec_default(&s);
	s.doctype = "org.iso.18013.5.1.mDL.other";
	s.mso_doctype = s.doctype;
	s.devauth_doctype = s.doctype;
	resp_case("doctype-not-requested", MINDL_ERR_DOCTYPE, &s);
	spec_default(&s);
	s.mso_doctype = "org.iso.23220.photoid.1";
	resp_case("doctype-mso-differs", MINDL_ERR_DOCTYPE, &s);

	/* MSO content and validity (verified at AT). */
	/* Signed (= validFrom) while the DS was valid, expired since. */
	spec_default(&s);
	s.valid_from = T0 - T0 % DAY - 9 * DAY;
	s.valid_until = s.valid_from + 5 * DAY;
	resp_case("mso-expired", MINDL_ERR_EXPIRED, &s);
	/* Still within its validity, but signed before the DS existed. */
	spec_default(&s);
	s.valid_from = T0 - T0 % DAY - 60 * DAY;
	s.valid_until = s.valid_from + 90 * DAY;
	resp_case("mso-signed-before-ds", MINDL_ERR_SIGNED_OUTSIDE_DS, &s);
	spec_default(&s);
	s.valid_from = T0 - T0 % DAY + 2 * DAY;
	s.valid_until = s.valid_from + 30 * DAY;
	resp_case("mso-not-yet-valid", MINDL_ERR_NOT_YET_VALID, &s);
	spec_default(&s);
	s.valid_from_text = "2026-01-01T00:00:00.5Z";
	resp_case("mso-tdate-fraction", MINDL_ERR_DATE, &s);
	spec_default(&s);
	s.valid_from_text = "2026-01-01T00:00:00+01:00";
	resp_case("mso-tdate-offset", MINDL_ERR_DATE, &s);
	spec_default(&s);
	s.no_validity = 1;
	resp_case("mso-validity-missing", MINDL_ERR_MISSING, &s);
	spec_default(&s);
	s.mso_version = "2.0";
	resp_case("mso-version", MINDL_ERR_VERSION, &s);
	spec_default(&s);
	s.digest_alg = "SHA-1";
	resp_case("mso-digest-algorithm", MINDL_ERR_UNSUPPORTED, &s);
	s.digest_alg = "sha-384";	/* ISO 18013-5 spells it "SHA-384" */
	resp_case("mso-digest-algorithm-case", MINDL_ERR_UNSUPPORTED, &s);
	/* A real algorithm over digests of another length. */
	s.digest_alg = "SHA-512";
	resp_case("mso-digest-algorithm-length", MINDL_ERR_DIGEST, &s);
	spec_default(&s);
	s.no_device_key = 1;
	resp_case("mso-device-key-missing", MINDL_ERR_MISSING, &s);
	spec_default(&s);
	s.mso_status = 1;
	resp_case("ok-mso-status-list", MINDL_OK, &s);
	s.mso_status = 2;
	resp_case("mso-status-index-not-uint", MINDL_ERR_CBOR_TYPE, &s);
	spec_default(&s);
	s.mso_untagged = 1;
	resp_case("mso-payload-not-tag24", MINDL_ERR_CBOR_TAG, &s);

	/* Issuer certificate and trust. */
	spec_default(&s);
	s.signer = other_ds_key;
	s.x5[0] = &other_ds;
	resp_case("ds-other-iaca", MINDL_ERR_UNTRUSTED, &s);
	s.x5[0] = &impostor_ds;
	resp_case("ds-impostor-iaca-same-name", MINDL_ERR_UNTRUSTED, &s);
	spec_default(&s);
	s.x5[0] = &ds_hand;
	resp_case("ok-ds-handmade", MINDL_OK, &s);
	s.x5[0] = &ds_noeku;
	resp_case("ds-without-eku", MINDL_ERR_CERT_PROFILE, &s);
	s.x5[0] = &ds_ca;
	resp_case("ds-is-ca", MINDL_ERR_CERT_PROFILE, &s);
	s.x5[0] = &ds_expired;
	resp_case("ds-expired", MINDL_ERR_CERT_EXPIRED, &s);
	s.x5[0] = &ds_future;
	resp_case("ds-not-yet-valid", MINDL_ERR_CERT_EXPIRED, &s);
	s.x5[0] = &ds_badsig;
	resp_case("ds-bad-cert-signature", MINDL_ERR_UNTRUSTED, &s);
	spec_default(&s);
	s.x5[1] = &iaca;
	s.nx5 = 2;
	resp_case("iaca-in-x5chain", MINDL_ERR_IACA_IN_CHAIN, &s);
	spec_default(&s);
	s.signer = iaca_key;
	s.x5[0] = &iaca;
	resp_case("iaca-as-signer", MINDL_ERR_IACA_IN_CHAIN, &s);
	spec_default(&s);
	s.nx5 = 0;
	resp_case("x5chain-missing", MINDL_ERR_X5CHAIN, &s);
	spec_default(&s);
	s.x5[0] = &ds2;
	resp_case("x5chain-other-ds-cert", MINDL_ERR_SIGNATURE, &s);
	spec_default(&s);
	s.flip_sig = 1;
	resp_case("mso-signature-changed", MINDL_ERR_SIGNATURE, &s);

	/* COSE headers of issuerAuth. */
	{
		static const uint8_t es384[] = { 0xa1, 0x01, 0x38, 0x22 };
		static const uint8_t hmac[] = { 0xa1, 0x01, 0x05 };
		static const uint8_t none[] = { 0xa0 };
		static const uint8_t crit[] = { 0xa3, 0x01, 0x26, 0x02, 0x81,
		    0x18, 0x63, 0x18, 0x63, 0xf5 };

		spec_default(&s);
		s.prot = es384;
		s.protlen = sizeof(es384);
		resp_case("alg-es384-on-p256-key", MINDL_ERR_KEY_MISMATCH,
		    &s);
		s.prot = hmac;
		s.protlen = sizeof(hmac);
		resp_case("alg-hmac-in-issuerauth", MINDL_ERR_COSE_ALG, &s);
		s.prot = none;
		s.protlen = sizeof(none);
		resp_case("alg-missing", MINDL_ERR_COSE_ALG, &s);
		s.alg_unprot = 1;
		resp_case("alg-unprotected-only", MINDL_ERR_COSE_ALG, &s);
		spec_default(&s);
		s.alg_unprot = 1;
		resp_case("alg-in-both-buckets", MINDL_ERR_COSE_HEADER, &s);
		spec_default(&s);
		s.prot = crit;
		s.protlen = sizeof(crit);
		resp_case("crit-unknown-label", MINDL_ERR_COSE_CRIT, &s);
	}

	/*
	 * Device authentication and session binding.  The core's answer to
	 * another request names that request (readerKeyDigest): "present
	 * again", not "forged"; without the digest there is no telling.
	 */
	emit("replay-other-session", "response", MINDL_ERR_OTHER_REQUEST,
	    &replay_resp);
	b = bb_copy(replay_resp.p, replay_resp.n);
	off = find(&b, "readerKeyDigest", 15);
	/* {4 pairs} -> {3 pairs} without tstr(15) head, key, bstr(32) */
	if (b.p[0] != 0xa4 || off == 0 || b.p[off - 1] != 0x6f ||
	    b.p[off + 15] != 0x58 || b.p[off + 16] != MINDL_SHA256_LEN)
		die("readerKeyDigest in the core's response");
	b.p[0] = 0xa3;
	memmove(b.p + off - 1, b.p + off + 17 + MINDL_SHA256_LEN,
	    b.n - (off + 17 + MINDL_SHA256_LEN));
	b.n -= 18 + MINDL_SHA256_LEN;
	emit("replay-other-session-no-digest", "response",
	    MINDL_ERR_DEVICE_AUTH, &b);
	bb_free(&b);
	b = bb_copy(core_resp.p, core_resp.n);
	off = value_of(&b, "deviceEngagement");
	b.p[off + 20] ^= 0x01;	/* inside the engagement bstr */
	emit("engagement-changed", "response", MINDL_ERR_DEVICE_AUTH, &b);
	bb_free(&b);
	spec_default(&s);
	s.auth = 2;
	s.sig_key = other_dev_key;
	resp_case("device-signature-other-key", MINDL_ERR_DEVICE_AUTH, &s);
	spec_default(&s);
	s.mac_key = other_dev_key;
	resp_case("device-mac-other-key", MINDL_ERR_DEVICE_AUTH, &s);
	spec_default(&s);
	s.mso_dev = other_dev_key;
	resp_case("mso-device-key-not-holders", MINDL_ERR_DEVICE_AUTH, &s);
	spec_default(&s);
	s.flip_mac = 1;
	resp_case("device-mac-changed", MINDL_ERR_DEVICE_AUTH, &s);
	s.rkd = 1;
	resp_case("device-mac-changed-digest-ours", MINDL_ERR_DEVICE_AUTH,
	    &s);
	/*
	 * The digest is not authenticated: a forger can claim another
	 * request as well as a holder.  It changes the failure's words,
	 * never the verdict.
	 */
	s.rkd = 2;
	resp_case("device-mac-changed-digest-other", MINDL_ERR_OTHER_REQUEST,
	    &s);
	spec_default(&s);
	s.devauth_doctype = "org.iso.23220.photoid.1";
	resp_case("device-auth-other-doctype", MINDL_ERR_DEVICE_AUTH, &s);
	spec_default(&s);
	s.mac_attached = 1;
	resp_case("device-mac-payload-attached", MINDL_ERR_COSE_HEADER, &s);
	spec_default(&s);
	s.mac_es256 = 1;
	resp_case("device-mac-alg-es256", MINDL_ERR_COSE_ALG, &s);
	spec_default(&s);
	s.auth = 0;
	resp_case("device-auth-empty", MINDL_ERR_MISSING, &s);
	s.auth = 3;
	resp_case("device-auth-mac-and-signature", MINDL_ERR_MISSING, &s);
	s.auth = 4;
	resp_case("device-signed-missing", MINDL_ERR_MISSING, &s);

	/* DeviceResponse and envelope. */
	spec_default(&s);
	s.status = 10;
	resp_case("status-not-zero", MINDL_ERR_RESPONSE_STATUS, &s);
	s.status = 0;
	s.ndocs = 0;
	resp_case("documents-empty", MINDL_ERR_NO_DOCUMENT, &s);
	s.ndocs = -1;
	resp_case("documents-absent", MINDL_ERR_NO_DOCUMENT, &s);
	s.ndocs = 2;
	resp_case("documents-two", MINDL_ERR_UNSUPPORTED, &s);
	spec_default(&s);
	s.dr_version = "2.0";
	resp_case("device-response-version", MINDL_ERR_VERSION, &s);
	spec_default(&s);
	s.v = 2;
	resp_case("envelope-version", MINDL_ERR_VERSION, &s);
	spec_default(&s);
	s.no_engagement = 1;
	resp_case("envelope-engagement-missing", MINDL_ERR_MISSING, &s);
	/* readerKeyDigest: optional; when there, a 32-byte bstr. */
	spec_default(&s);
	s.rkd = 1;
	resp_case("ok-reader-key-digest", MINDL_OK, &s);
	/* Another request's digest on a valid answer: the transcript counts. */
	s.rkd = 2;
	resp_case("ok-reader-key-digest-other-valid-mac", MINDL_OK, &s);
	s.rkd = 3;
	resp_case("reader-key-digest-short", MINDL_ERR_CBOR_TYPE, &s);
	s.rkd = 4;
	resp_case("reader-key-digest-long", MINDL_ERR_CBOR_TYPE, &s);
	s.rkd = 5;
	resp_case("reader-key-digest-text", MINDL_ERR_CBOR_TYPE, &s);

	/* Strict CBOR on the whole file. */
	spec_default(&s);
	b = build(&s);
	t = bb_copy(b.p, b.n);
	bb_byte(&t, 0x00);
	emit("trailing-byte", "response", MINDL_ERR_CBOR_TRAILING, &t);
	bb_free(&t);
	/* envelope {3 pairs} -> {4 pairs} with "v" again at the end */
	if (b.p[0] != 0xa3)
		die("envelope head %02x", b.p[0]);
	t = bb_copy(b.p, b.n);
	t.p[0] = 0xa4;
	bb_put(&t, "\x61\x76\x01", 3);
	emit("duplicate-key-envelope", "response", MINDL_ERR_CBOR_DUPKEY, &t);
	bb_free(&t);
	/* the DeviceResponse map with "status" twice */
	t = bb_copy(b.p, b.n);
	off = value_of(&t, "deviceResponse");
	if (t.p[off] != 0xa3)
		die("DeviceResponse head %02x", t.p[off]);
	t.p[off] = 0xa4;
	{
		struct bb u;

		memset(&u, 0, sizeof(u));
		bb_put(&u, t.p, off + 1);
		bb_tstr(&u, "status");
		bb_byte(&u, 0x00);
		bb_put(&u, t.p + off + 1, t.n - off - 1);
		emit("duplicate-key-device-response", "response",
		    MINDL_ERR_CBOR_DUPKEY, &u);
		bb_free(&u);
	}
	bb_free(&t);
	/* indefinite-length envelope map */
	t = bb_copy(b.p, b.n);
	t.p[0] = 0xbf;
	bb_byte(&t, 0xff);
	emit("indefinite-map", "response", MINDL_ERR_CBOR_INDEFINITE, &t);
	bb_free(&t);
	/* deviceEngagement as an indefinite bstr of one chunk */
	{
		struct bb u;
		size_t hs, de_len;

		t = bb_copy(b.p, b.n);
		off = value_of(&t, "deviceEngagement");
		/* head of the bstr: 0x58 len (engagement < 256 bytes) */
		if (t.p[off] != 0x58)
			die("engagement head %02x", t.p[off]);
		de_len = t.p[off + 1];
		hs = 2;
		memset(&u, 0, sizeof(u));
		bb_put(&u, t.p, off);
		bb_byte(&u, 0x5f);
		bb_put(&u, t.p + off, hs + de_len);
		bb_byte(&u, 0xff);
		bb_put(&u, t.p + off + hs + de_len, t.n - off - hs - de_len);
		emit("indefinite-bstr", "response", MINDL_ERR_CBOR_INDEFINITE,
		    &u);
		bb_free(&u);
		bb_free(&t);
	}
	bb_free(&b);
	spec_default(&s);
	s.deep = 20;
	resp_case("nesting-too-deep", MINDL_ERR_CBOR_DEPTH, &s);
	spec_default(&s);
	s.pad = 5;
	resp_case("oversize-input", MINDL_ERR_TOO_LARGE, &s);
	{
		struct bb z;

		memset(&z, 0, sizeof(z));
		emit("empty-file", "response", MINDL_ERR_CBOR, &z);
	}
	b = bb_copy(core_resp.p, core_resp.n / 2);
	emit("truncated", "response", MINDL_ERR_CBOR, &b);
	bb_free(&b);
}

/* ------------------------------------------------------------------ */
/* Requests (parse only) and presentation (the holder's side).         */

struct rspec {
	int		 v;
	int		 no_erk;
	int		 erk_text;
	const uint8_t	*erk;		/* other EReaderKey bytes */
	size_t		 erklen;
	const char	*dr_version;
	int		 ndocreq;
	int		 items_untagged;
	int		 items_not_map;
	const char	*doctype;	/* NULL: absent */
	const char	*profile;	/* NULL: no requestInfo */
	int		 profile_int;
	int		 retain_int;
	const char	*extra[8];	/* ISO namespace, extra ids */
	const char	*extra_aamva;
	int		 many;		/* this many extra elements */
	int		 nul_id;
	int		 dup_element;	/* family_name twice in ItemsRequest */
	int		 pad;
};

static const char *ts_ids[] = { "family_name", "given_name", "portrait",
    "driving_privileges", "expiry_date", "document_number" };

static void
rspec_default(struct rspec *r)
{
	memset(r, 0, sizeof(*r));
	r->v = 1;
	r->dr_version = "1.0";
	r->ndocreq = 1;
	r->doctype = MINDL_DOCTYPE_MDL;
	r->profile = "traffic-stop";
}

static struct bb
build_request(const struct rspec *r)
{
	struct mindl_enc e;
	struct bb erk, ir, out;
	size_t i, nextra = 0, n;
	int d;

	for (i = 0; i < 8 && r->extra[i] != NULL; i++)
		nextra++;
	mindl_enc_init(&e, 4096);
	ok(mindl_cose_key_write(&e, reader_key), "cose_key_write");
	erk = enc_done(&e, "erk");

	mindl_enc_init(&e, MINDL_MAX_INPUT);
	if (r->items_not_map) {
		mindl_enc_array(&e, 1);
		mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	} else {
		mindl_enc_map(&e, (uint64_t)(1 + (r->doctype != NULL) +
		    (r->profile != NULL || r->profile_int)));
		if (r->doctype != NULL) {
			mindl_enc_tstr(&e, "docType");
			mindl_enc_tstr(&e, r->doctype);
		}
		mindl_enc_tstr(&e, "nameSpaces");
		mindl_enc_map(&e, 1 + (r->extra_aamva != NULL));
		mindl_enc_tstr(&e, MINDL_NS_ISO);
		n = sizeof(ts_ids) / sizeof(ts_ids[0]) + nextra +
		    (size_t)r->many + (r->nul_id != 0) +
		    (r->dup_element != 0);
		mindl_enc_map(&e, n);
		for (i = 0; i < sizeof(ts_ids) / sizeof(ts_ids[0]); i++) {
			mindl_enc_tstr(&e, ts_ids[i]);
			if (r->retain_int && i == 0)
				mindl_enc_uint(&e, 0);
			else
				mindl_enc_bool(&e, 0);
		}
		for (i = 0; i < nextra; i++) {
			mindl_enc_tstr(&e, r->extra[i]);
			mindl_enc_bool(&e, 0);
		}
		for (d = 0; d < r->many; d++) {
			char id[32];

			snprintf(id, sizeof(id), "x_%04d", d);
			mindl_enc_tstr(&e, id);
			mindl_enc_bool(&e, 0);
		}
		if (r->nul_id) {
			mindl_enc_tstrn(&e, "given\0name", 10);
			mindl_enc_bool(&e, 0);
		}
		if (r->dup_element) {
			/* renamed after encoding: the encoder refuses dups */
			mindl_enc_tstr(&e, "family_namX");
			mindl_enc_bool(&e, 0);
		}
		if (r->extra_aamva != NULL) {
			mindl_enc_tstr(&e, MINDL_NS_AAMVA);
			mindl_enc_map(&e, 1);
			mindl_enc_tstr(&e, r->extra_aamva);
			mindl_enc_bool(&e, 0);
		}
		if (r->profile != NULL || r->profile_int) {
			mindl_enc_tstr(&e, "requestInfo");
			mindl_enc_map(&e, 1);
			mindl_enc_tstr(&e, "mindl.profile");
			if (r->profile_int)
				mindl_enc_uint(&e, 7);
			else
				mindl_enc_tstr(&e, r->profile);
		}
	}
	ir = enc_done(&e, "ItemsRequest");
	if (r->dup_element)
		ir.p[find(&ir, "family_namX", 11) + 10] = 'e';

	mindl_enc_init(&e, 2 * MINDL_MAX_INPUT);
	mindl_enc_map(&e, (uint64_t)(2 + !r->no_erk + r->pad));
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, (uint64_t)r->v);
	if (!r->no_erk) {
		mindl_enc_tstr(&e, "eReaderKey");
		if (r->erk_text)
			mindl_enc_tstr(&e, "not a key");
		else if (r->erk != NULL)
			mindl_enc_bstr(&e, r->erk, r->erklen);
		else
			mindl_enc_bstr(&e, erk.p, erk.n);
	}
	mindl_enc_tstr(&e, "deviceRequest");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, r->dr_version);
	mindl_enc_tstr(&e, "docRequests");
	mindl_enc_array(&e, (uint64_t)r->ndocreq);
	for (d = 0; d < r->ndocreq; d++) {
		mindl_enc_map(&e, 1);
		mindl_enc_tstr(&e, "itemsRequest");
		if (r->items_untagged)
			mindl_enc_bstr(&e, ir.p, ir.n);
		else
			mindl_enc_embedded(&e, ir.p, ir.n);
	}
	for (d = 0; d < r->pad; d++) {
		static uint8_t zeros[1000000];
		char key[16];

		snprintf(key, sizeof(key), "pad%d", d);
		mindl_enc_tstr(&e, key);
		mindl_enc_bstr(&e, zeros, sizeof(zeros));
	}
	out = enc_done(&e, "request");
	bb_free(&erk);
	bb_free(&ir);
	return out;
}

static void
req_case(const char *name, const char *kind, int want, const struct rspec *r)
{
	struct bb b = build_request(r);

	emit_opt(name, kind, want, &b, r->pad > 0);
	bb_free(&b);
}

static void
request_cases(void)
{
	struct rspec r;
	struct bb b, t;

	emit("ok-core-request", "request", MINDL_OK, &request);
	rspec_default(&r);
	req_case("ok-built-request", "request", MINDL_OK, &r);
	r.v = 2;
	req_case("request-version", "request", MINDL_ERR_VERSION, &r);
	rspec_default(&r);
	r.no_erk = 1;
	req_case("request-ereaderkey-missing", "request", MINDL_ERR_MISSING,
	    &r);
	rspec_default(&r);
	r.erk_text = 1;
	req_case("request-ereaderkey-not-bstr", "request", MINDL_ERR_CBOR_TYPE,
	    &r);
	rspec_default(&r);
	r.dr_version = "0.9";
	req_case("request-devicerequest-version", "request",
	    MINDL_ERR_VERSION, &r);
	rspec_default(&r);
	r.ndocreq = 2;
	req_case("request-two-docrequests", "request", MINDL_ERR_MISSING, &r);
	r.ndocreq = 0;
	req_case("request-no-docrequests", "request", MINDL_ERR_MISSING, &r);
	rspec_default(&r);
	r.items_untagged = 1;
	req_case("request-items-not-tag24", "request", MINDL_ERR_CBOR_TAG, &r);
	rspec_default(&r);
	r.items_not_map = 1;
	req_case("request-items-not-map", "request", MINDL_ERR_CBOR_TYPE, &r);
	rspec_default(&r);
	r.doctype = NULL;
	req_case("request-doctype-missing", "request", MINDL_ERR_MISSING, &r);
	rspec_default(&r);
	r.retain_int = 1;
	req_case("request-retain-not-bool", "request", MINDL_ERR_CBOR_TYPE,
	    &r);
	rspec_default(&r);
	r.profile = NULL;
	r.profile_int = 1;
	req_case("request-profile-not-text", "request", MINDL_ERR_CBOR_TYPE,
	    &r);
	rspec_default(&r);
	r.nul_id = 1;
	req_case("request-element-id-with-nul", "request", MINDL_ERR_CBOR_TYPE,
	    &r);
	rspec_default(&r);
	r.many = 300;
	req_case("request-too-many-elements", "request", MINDL_ERR_CBOR_LIMIT,
	    &r);
	rspec_default(&r);
	r.pad = 5;
	req_case("request-oversize", "request", MINDL_ERR_TOO_LARGE, &r);
	t = bb_copy(request.p, request.n);
	bb_byte(&t, 0x00);
	emit("request-trailing-byte", "request", MINDL_ERR_CBOR_TRAILING, &t);
	t.p[0] = 0xbf;
	t.p[t.n - 1] = 0xff;
	emit("request-indefinite-map", "request", MINDL_ERR_CBOR_INDEFINITE,
	    &t);
	bb_free(&t);
	/* a duplicate element inside the embedded ItemsRequest */
	rspec_default(&r);
	r.dup_element = 1;
	req_case("request-duplicate-element", "request", MINDL_ERR_CBOR_DUPKEY,
	    &r);

	/* The holder's answer (mindl_present with the committed credential). */
	emit("present-ok", "present", MINDL_OK, &request);
	rspec_default(&r);
	r.profile = NULL;
	req_case("present-request-without-profile", "present",
	    MINDL_ERR_PROFILE, &r);
	rspec_default(&r);
	r.profile = "bar-tab";
	req_case("present-unknown-profile", "present", MINDL_ERR_PROFILE, &r);
	rspec_default(&r);
	r.doctype = "org.iso.23220.photoid.1";
	req_case("present-other-doctype", "present", MINDL_ERR_DOCTYPE, &r);
	/*
	 * Unknown and out-of-profile elements are not an error: they are
	 * withheld.  check verifies the answer and that it discloses only
	 * the profile's elements.
	 */
	rspec_default(&r);
	r.extra[0] = "favourite_colour";
	r.extra[1] = "nationality";
	r.extra[2] = "birth_date";
	r.extra[3] = "resident_address";
	r.extra_aamva = "DHS_compliance";
	req_case("present-unknown-elements-withheld", "present", MINDL_OK, &r);
	rspec_default(&r);
	r.profile = "age-21";
	req_case("present-outside-profile-withheld", "present", MINDL_OK, &r);
	rspec_default(&r);
	{
		static const uint8_t bad_erk[] = { 0xa1, 0x01, 0x02 };

		r.erk = bad_erk;
		r.erklen = sizeof(bad_erk);
		req_case("present-ereaderkey-not-a-key", "present",
		    MINDL_ERR_COSE_KEY, &r);
	}
	(void)b;
}

/* ------------------------------------------------------------------ */
/* Strict CBOR decoding alone.                                         */

static void
cbor_cases(void)
{
	struct bb b;
	size_t i;

	emit_hex("cbor-ok-keys-unsorted", MINDL_OK, "a2616202616101");
	emit_hex("cbor-trailing", MINDL_ERR_CBOR_TRAILING, "0100");
	emit_hex("cbor-dupkey-text", MINDL_ERR_CBOR_DUPKEY, "a2616101616102");
	emit_hex("cbor-dupkey-int", MINDL_ERR_CBOR_DUPKEY, "a201000101");
	emit_hex("cbor-dupkey-int-long-form", MINDL_ERR_CBOR_DUPKEY,
	    "a20100180101");
	emit_hex("cbor-dupkey-nested", MINDL_ERR_CBOR_DUPKEY,
	    "a16161a2616201616202");
	emit_hex("cbor-indefinite-map", MINDL_ERR_CBOR_INDEFINITE,
	    "bf616101ff");
	emit_hex("cbor-indefinite-array", MINDL_ERR_CBOR_INDEFINITE,
	    "9f0102ff");
	emit_hex("cbor-indefinite-bstr", MINDL_ERR_CBOR_INDEFINITE,
	    "5f4101ff");
	emit_hex("cbor-indefinite-tstr", MINDL_ERR_CBOR_INDEFINITE,
	    "7f6161ff");
	emit_hex("cbor-truncated-map", MINDL_ERR_CBOR, "a2616101");
	emit_hex("cbor-truncated-bstr", MINDL_ERR_CBOR, "450102");
	emit_hex("cbor-truncated-head", MINDL_ERR_CBOR, "1a0001");
	emit_hex("cbor-reserved-additional-info", MINDL_ERR_CBOR, "1c");
	emit_hex("cbor-invalid-utf8", MINDL_ERR_CBOR, "62c328");
	emit_hex("cbor-utf8-surrogate", MINDL_ERR_CBOR, "63eda080");
	emit_hex("cbor-utf8-overlong", MINDL_ERR_CBOR, "62c0af");
	emit_hex("cbor-map-over-cap", MINDL_ERR_CBOR_LIMIT, "b91001");
	emit_hex("cbor-array-over-cap", MINDL_ERR_CBOR_LIMIT, "9a00010001");
	/* 16 nested arrays are allowed, 17 are not */
	memset(&b, 0, sizeof(b));
	for (i = 0; i < 16; i++)
		bb_byte(&b, 0x81);
	bb_byte(&b, 0x00);
	emit("cbor-depth-16", "cbor", MINDL_OK, &b);
	b.n = 0;
	for (i = 0; i < 17; i++)
		bb_byte(&b, 0x81);
	bb_byte(&b, 0x00);
	emit("cbor-depth-17", "cbor", MINDL_ERR_CBOR_DEPTH, &b);
	b.n = 0;
	for (i = 0; i < 17; i++)
		bb_byte(&b, 0xc1);	/* tag 1 */
	bb_byte(&b, 0x00);
	emit("cbor-depth-17-tags", "cbor", MINDL_ERR_CBOR_DEPTH, &b);
	b.n = 0;
	for (i = 0; i < 10000; i++)
		bb_put(&b, "\xa1\x00", 2);
	bb_byte(&b, 0x00);
	emit_opt("cbor-depth-10000-maps", "cbor", MINDL_ERR_CBOR_DEPTH, &b, 1);
	bb_free(&b);
	/* 65536 + 1 items */
	memset(&b, 0, sizeof(b));
	bb_head(&b, 4, 65536);
	for (i = 0; i < 65536; i++)
		bb_byte(&b, 0x00);
	emit_opt("cbor-too-many-items", "cbor", MINDL_ERR_CBOR_LIMIT, &b, 1);
	bb_free(&b);
	/* a byte string over MINDL_MAX_STRING, input under MINDL_MAX_INPUT */
	memset(&b, 0, sizeof(b));
	bb_head(&b, 2, MINDL_MAX_STRING + 1);
	for (i = 0; i < MINDL_MAX_STRING + 1; i++)
		bb_byte(&b, 0x00);
	emit_opt("cbor-bstr-over-cap", "cbor", MINDL_ERR_CBOR_LIMIT, &b, 1);
	bb_free(&b);
	/* input over MINDL_MAX_INPUT */
	memset(&b, 0, sizeof(b));
	bb_head(&b, 4, 5);
	for (i = 0; i < 5; i++) {
		size_t j;

		bb_head(&b, 2, 1000000);
		for (j = 0; j < 1000000; j++)
			bb_byte(&b, 0x00);
	}
	emit_opt("cbor-oversize", "cbor", MINDL_ERR_TOO_LARGE, &b, 1);
	bb_free(&b);
	memset(&b, 0, sizeof(b));
	emit("cbor-empty", "cbor", MINDL_ERR_CBOR, &b);
}

/* ------------------------------------------------------------------ */
/* Certificates (mindl_trust_verify_ds) and trust anchors.             */

static void
cert_cases(void)
{
	struct bb b;

	emit("cert-ds-ok", "cert", MINDL_OK, &ds);
	emit("cert-ds-handmade-ok", "cert", MINDL_OK, &ds_hand);
	emit("cert-ds-without-eku", "cert", MINDL_ERR_CERT_PROFILE, &ds_noeku);
	emit("cert-ds-wrong-eku", "cert", MINDL_ERR_CERT_PROFILE, &ds_wrongeku);
	emit("cert-ds-is-ca", "cert", MINDL_ERR_CERT_PROFILE, &ds_ca);
	emit("cert-ds-keycertsign", "cert", MINDL_ERR_CERT_PROFILE,
	    &ds_certsign);
	emit("cert-ds-600-days", "cert", MINDL_ERR_CERT_PROFILE, &ds_long);
	emit("cert-ds-other-country", "cert", MINDL_ERR_CERT_PROFILE,
	    &ds_country);
	emit("cert-ds-other-iaca", "cert", MINDL_ERR_UNTRUSTED, &other_ds);
	emit("cert-ds-impostor-iaca", "cert", MINDL_ERR_UNTRUSTED,
	    &impostor_ds);
	emit("cert-ds-bad-signature", "cert", MINDL_ERR_UNTRUSTED, &ds_badsig);
	emit("cert-ds-expired", "cert", MINDL_ERR_CERT_EXPIRED, &ds_expired);
	emit("cert-ds-not-yet-valid", "cert", MINDL_ERR_CERT_EXPIRED,
	    &ds_future);
	emit("cert-iaca-as-ds", "cert", MINDL_ERR_IACA_IN_CHAIN, &iaca);
	b = bb_copy(ds.p, ds.n);
	bb_byte(&b, 0x00);
	emit("cert-trailing-byte", "cert", MINDL_ERR_X509, &b);
	b.n = ds.n / 2;
	emit("cert-truncated", "cert", MINDL_ERR_X509, &b);
	bb_free(&b);
	b = bb_copy((const uint8_t *)"not a certificate", 17);
	emit("cert-garbage", "cert", MINDL_ERR_X509, &b);
	bb_free(&b);
	memset(&b, 0, sizeof(b));
	emit("cert-empty", "cert", MINDL_ERR_X509, &b);
	{
		size_t i;

		for (i = 0; i < 9000; i++)
			bb_byte(&b, 0x30);
		emit_opt("cert-over-size-cap", "cert", MINDL_ERR_X509, &b, 1);
		bb_free(&b);
	}
}

static struct bb
pem(const struct bb *der)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct bb b;
	size_t i, col = 0;
	uint32_t v;

	memset(&b, 0, sizeof(b));
	bb_put(&b, "-----BEGIN CERTIFICATE-----\n", 28);
	for (i = 0; i < der->n; i += 3) {
		char q[4];

		v = (uint32_t)der->p[i] << 16;
		if (i + 1 < der->n)
			v |= (uint32_t)der->p[i + 1] << 8;
		if (i + 2 < der->n)
			v |= der->p[i + 2];
		q[0] = tab[(v >> 18) & 63];
		q[1] = tab[(v >> 12) & 63];
		q[2] = i + 1 < der->n ? tab[(v >> 6) & 63] : '=';
		q[3] = i + 2 < der->n ? tab[v & 63] : '=';
		bb_put(&b, q, 4);
		if ((col += 4) == 64) {
			bb_byte(&b, '\n');
			col = 0;
		}
	}
	if (col != 0)
		bb_byte(&b, '\n');
	bb_put(&b, "-----END CERTIFICATE-----\n", 26);
	return b;
}

static void
trust_cases(void)
{
	struct bb b;

	b = pem(&iaca);
	emit("trust-iaca-ok", "trust", MINDL_OK, &b);
	bb_free(&b);
	b = pem(&ds);
	emit("trust-ds-as-root", "trust", MINDL_ERR_CERT_PROFILE, &b);
	bb_free(&b);
}

/* ------------------------------------------------------------------ */
/* Records (mindl_record_parse with the built-in schema).              */

static void
record_case(const char *name, int want, const char *field)
{
	char buf[1024];

	snprintf(buf, sizeof(buf),
	    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\",\n"
	    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1234567\",\n"
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\"}],\n"
	    " %s}\n", field);
	emit_str(name, "record", want, buf);
}

/* A whole record with these family name, document number, privileges. */
static void
record_full(const char *name, int want, const char *family,
    const char *docnum, const char *privilege)
{
	char buf[1024];

	snprintf(buf, sizeof(buf),
	    "{\"family_name\": \"%s\", \"given_name\": \"Alex\",\n"
	    " \"birth_date\": \"1990-04-15\", \"document_number\": \"%s\",\n"
	    " \"driving_privileges\": [{\"vehicle_category_code\": %s}]}\n",
	    family, docnum, privilege);
	emit_str(name, "record", want, buf);
}

/*
 * Finding 6: text fields in their character sets, privilege codes from
 * the tables, and no value the DMV chooses that the forbidden list
 * catches (names and addresses, the holder's own words, excepted).
 */
static void
record_value_cases(void)
{
	record_full("ok-record-name-accents-apostrophe", MINDL_OK,
	    "O'Brien-Quispe Nu\u00f1ez", "D1234567", "\"C\"");
	record_full("ok-record-name-forbidden-word", MINDL_OK, "Visa",
	    "D1234567", "\"C\"");
	record_full("ok-record-privilege-codes", MINDL_OK, "Doe", "D1234567",
	    "\"B\", \"codes\": [{\"code\": \"01.06\"}, {\"code\": \"B\","
	    " \"value\": \"corrective lenses\"}, {\"code\": \"78\"}]");
	record_full("charset-name-digit", MINDL_ERR_POLICY, "Doe 3",
	    "D1234567", "\"C\"");
	record_full("charset-name-bidi-override", MINDL_ERR_POLICY,
	    "Doe\u202e", "D1234567", "\"C\"");
	record_full("charset-name-leading-space", MINDL_ERR_POLICY, " Doe",
	    "D1234567", "\"C\"");
	record_full("charset-document-number-punctuation", MINDL_ERR_POLICY,
	    "Doe", "D123/4567", "\"C\"");
	record_full("charset-document-number-non-ascii", MINDL_ERR_POLICY,
	    "Doe", "D123\u00e94567", "\"C\"");
	record_case("charset-country-lowercase", MINDL_ERR_POLICY,
	    "\"resident_country\": \"us\"");
	record_case("charset-address-control-format", MINDL_ERR_POLICY,
	    "\"resident_city\": \"Spring\u200bfield\"");
	record_full("privilege-category-not-in-table", MINDL_ERR_POLICY,
	    "Doe", "D1234567", "\"LTD\"");
	record_full("privilege-code-not-in-table", MINDL_ERR_POLICY, "Doe",
	    "D1234567", "\"C\", \"codes\": [{\"code\": \"LT\"}]");
	record_full("privilege-code-catch-all-other", MINDL_ERR_POLICY, "Doe",
	    "D1234567", "\"C\", \"codes\": [{\"code\": \"J\"}]");
	record_full("privilege-code-licence-exchange", MINDL_ERR_POLICY,
	    "Doe", "D1234567", "\"C\", \"codes\": [{\"code\": \"70\"}]");
	record_full("privilege-sign-not-in-table", MINDL_ERR_POLICY, "Doe",
	    "D1234567", "\"C\", \"codes\": [{\"code\": \"62\","
	    " \"sign\": \"~\", \"value\": \"50\"}]");
	record_full("privilege-code-value-charset", MINDL_ERR_POLICY, "Doe",
	    "D1234567", "\"C\", \"codes\": [{\"code\": \"62\","
	    " \"value\": \"50 km; ok\"}]");
	record_full("privilege-code-value-too-long", MINDL_ERR_JSON, "Doe",
	    "D1234567", "\"C\", \"codes\": [{\"code\": \"62\","
	    " \"value\": \"abcdefghijklmnopqrstuvwxyz abcdefg\"}]");
	record_full("forbidden-value-code-value", MINDL_ERR_FORBIDDEN_VALUE,
	    "Doe", "D1234567", "\"C\", \"codes\": [{\"code\": \"B\","
	    " \"value\": \"LIMITED TERM\"}]");
	record_full("forbidden-value-code-value-token",
	    MINDL_ERR_FORBIDDEN_VALUE, "Doe", "D1234567",
	    "\"C\", \"codes\": [{\"code\": \"B\", \"value\": \"TPS\"}]");
	record_full("forbidden-value-document-number",
	    MINDL_ERR_FORBIDDEN_VALUE, "Doe", "DACA-0042", "\"C\"");
	record_case("forbidden-value-administrative-number",
	    MINDL_ERR_FORBIDDEN_VALUE,
	    "\"administrative_number\": \"NOT FOR FEDERAL 7\"");
	record_case("forbidden-value-postal-code", MINDL_ERR_FORBIDDEN_VALUE,
	    "\"resident_postal_code\": \"VISA 1\"");
}

static void
record_cases(void)
{
	static const char *forbidden[] = {
		"DHS_temporary_lawful_status", "DHS_compliance",
		"DHS_compliance_text", "EDL_credential", "EDL_credential.v2",
		"CDL_non_domiciled", "CDL_non_domiciled.v2", "nationality",
		"birth_place", "biometric_template_face",
		"biometric_template_finger", "race_ethnicity", "visa_status",
		"citizenship", "lawful_status", "legal_status", "ssn",
		"social_security_number", "passport_number", "consular_id",
		"immigration_status", "Citizenship_Status", "VISA-TYPE",
	};
	char name[96], field[160];
	size_t i, j;

	emit_str("ok-record", "record", MINDL_OK, record_json);
	for (i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++) {
		snprintf(name, sizeof(name), "forbidden-%s", forbidden[i]);
		for (j = 0; name[j] != '\0'; j++)
			if (name[j] == '.' || name[j] == '_')
				name[j] = '-';
		snprintf(field, sizeof(field), "\"%s\": \"X\"", forbidden[i]);
		record_case(name, MINDL_ERR_FORBIDDEN_ELEMENT, field);
	}
	/* Where a lawful-status field hides matters not. */
	record_case("forbidden-in-aamva-namespace", MINDL_ERR_FORBIDDEN_ELEMENT,
	    "\"org.iso.18013.5.1.aamva\": {\"DHS_compliance\": \"F\"}");
	record_case("forbidden-in-aamva-edl", MINDL_ERR_FORBIDDEN_ELEMENT,
	    "\"org.iso.18013.5.1.aamva\": {\"EDL_credential\": 1}");
	emit_str("forbidden-in-privileges", "record",
	    MINDL_ERR_FORBIDDEN_ELEMENT,
	    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
	    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\","
	    " \"citizenship\": \"X\"}]}");
	/* The allowlist. */
	record_case("unknown-field", MINDL_ERR_UNKNOWN_ELEMENT,
	    "\"favourite_colour\": \"green\"");
	record_case("unknown-field-aamva", MINDL_ERR_UNKNOWN_ELEMENT,
	    "\"org.iso.18013.5.1.aamva\": {\"shoe_size\": 42}");
	record_case("unknown-namespace-object", MINDL_ERR_UNKNOWN_ELEMENT,
	    "\"org.example.ns\": {\"a\": 1}");
	emit_str("unknown-field-in-privileges", "record",
	    MINDL_ERR_UNKNOWN_ELEMENT,
	    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
	    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\","
	    " \"colour\": \"red\"}]}");
	/* Computed by policy, never taken from the record. */
	record_case("computed-expiry-date", MINDL_ERR_POLICY,
	    "\"expiry_date\": \"2099-12-31\"");
	record_case("computed-age-over", MINDL_ERR_POLICY,
	    "\"age_over_21\": true");
	record_case("computed-issuing-country", MINDL_ERR_POLICY,
	    "\"issuing_country\": \"US\"");
	/* Dates. */
	emit_str("date-february-30", "record", MINDL_ERR_DATE,
	    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
	    " \"birth_date\": \"1990-02-30\", \"document_number\": \"D1\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\"}]}");
	emit_str("date-us-format", "record", MINDL_ERR_DATE,
	    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
	    " \"birth_date\": \"04/15/1990\", \"document_number\": \"D1\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\"}]}");
	emit_str("date-with-time", "record", MINDL_ERR_DATE,
	    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
	    " \"birth_date\": \"1990-04-15T00:00:00Z\", \"document_number\":"
	    " \"D1\", \"driving_privileges\": [{\"vehicle_category_code\":"
	    " \"C\"}]}");
	emit_str("date-privilege-issue", "record", MINDL_ERR_DATE,
	    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
	    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\","
	    " \"issue_date\": \"2020-13-01\"}]}");
	/* JSON. */
	emit_str("json-missing-comma", "record", MINDL_ERR_JSON,
	    "{\"family_name\": \"Doe\" \"given_name\": \"Alex\"}");
	emit_str("json-trailing-garbage", "record", MINDL_ERR_JSON,
	    "{\"family_name\": \"Doe\"} x");
	emit_str("json-duplicate-key", "record", MINDL_ERR_JSON,
	    "{\"family_name\": \"Doe\", \"family_name\": \"Roe\","
	    " \"given_name\": \"Alex\", \"birth_date\": \"1990-04-15\","
	    " \"document_number\": \"D1\", \"driving_privileges\":"
	    " [{\"vehicle_category_code\": \"C\"}]}");
	emit_str("json-not-an-object", "record", MINDL_ERR_JSON, "[1, 2]");
	emit_str("json-empty", "record", MINDL_ERR_JSON, "");
	emit_str("json-invalid-utf8", "record", MINDL_ERR_JSON,
	    "{\"family_name\": \"D\xc3\x28\"}");
	record_case("json-wrong-type", MINDL_ERR_JSON, "\"height\": \"tall\"");
	record_case("json-control-character", MINDL_ERR_JSON,
	    "\"eye_colour\": \"br\\u0001own\"");
	record_value_cases();
	/* Required field. */
	emit_str("missing-family-name", "record", MINDL_ERR_MISSING,
	    "{\"given_name\": \"Alex\", \"birth_date\": \"1990-04-15\","
	    " \"document_number\": \"D1\", \"driving_privileges\":"
	    " [{\"vehicle_category_code\": \"C\"}]}");
	/* Over MINDL_MAX_RECORD. */
	{
		struct bb b;
		size_t k;

		memset(&b, 0, sizeof(b));
		bb_put(&b, "{\"family_name\": \"", 16);
		for (k = 0; k < MINDL_MAX_RECORD; k++)
			bb_byte(&b, 'a');
		bb_put(&b, "\"}", 2);
		emit_opt("record-oversize", "record", MINDL_ERR_TOO_LARGE, &b,
		    1);
		bb_free(&b);
	}
}

/* ------------------------------------------------------------------ */

static void
write_fixed(void)
{
	struct bb b;

	/* The trust anchor, the request and its test reader key. */
	b = pem(&iaca);
	write_file("iaca.pem", &b);
	bb_free(&b);
	write_file("request.cbor", &request);
	write_file("credential.cbor", &cred);
	b = bb_copy(portrait, sizeof(portrait));
	write_file("portrait.jpg", &b);
	bb_free(&b);
	(void)unlink(path("test-reader-key.pem"));
	(void)unlink(path("test-device-key.pem"));
	ok(mindl_key_write_private_pem(path("test-reader-key.pem"),
	    reader_key, NULL), "reader key");
	ok(mindl_key_write_private_pem(path("test-device-key.pem"), dev_key,
	    NULL), "device key");
}

int
main(int argc, char **argv)
{
	char buf[4096];

	outdir = argc > 1 ? argv[1] : "tests/neg";
	snprintf(buf, sizeof(buf), "%s/cases.txt", outdir);
	if ((cases = fopen(buf, "w")) == NULL)
		die("%s: cannot write", buf);
	make_keys();
	core_flow();
	make_items();
	write_fixed();

	fprintf(cases,
	    "# mindl negative corpus: generated by tests/neg/gen.c "
	    "(tests/neg/regen.sh);\n"
	    "# do not edit by hand.  One case per line: NAME KIND "
	    "EXPECTED, with the input in\n"
	    "# cases/NAME.EXT (EXT by kind: json for record, der for cert, "
	    "pem for trust,\n"
	    "# cbor otherwise; \".gz\" appended for big inputs).  The "
	    "fixed material:\n"
	    "@at %lld\n"
	    "@issue-time %lld\n"
	    "@trust iaca.pem\n"
	    "@request request.cbor\n"
	    "@reader-key test-reader-key.pem\n"
	    "@credential credential.cbor\n"
	    "@device-key test-device-key.pem\n"
	    "@portrait portrait.jpg\n",
	    (long long)AT, (long long)T0);
	fprintf(cases, "\n# response: mindl_verify_response(trust, schema, at, "
	    "request, reader-key, FILE)\n");
	response_cases();
	fprintf(cases, "\n# request: mindl_request_parse(FILE); present: "
	    "test_present(credential,\n# device-key, FILE) then verify, "
	    "disclosing only the profile's elements\n");
	request_cases();
	fprintf(cases, "\n# cbor: mindl_cbor_decode(FILE)\n");
	cbor_cases();
	fprintf(cases, "\n# cert: mindl_trust_verify_ds(trust, FILE, at); "
	    "trust: mindl_trust_add_pem_file(FILE)\n");
	cert_cases();
	trust_cases();
	fprintf(cases, "\n# record: mindl_record_parse(builtin schema, FILE, "
	    "portrait, issue-time)\n");
	record_cases();
	fprintf(cases, "\n# portrait: mindl_jpeg_check(FILE)\n");
	portrait_cases();
	if (fclose(cases) != 0)
		die("cases.txt: write");
	fprintf(stderr, "gen: %d cases in %s\n", ncases, buf);
	return 0;
}
