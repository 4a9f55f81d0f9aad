/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Seed corpora for the fuzz harnesses: writes tests/fuzz/corpus/<name>/
 * from real inputs: the ISO 18013-5 Annex D vectors
 * (tests/vectors/iso18013-5-annex-d), the negative corpus
 * (tests/neg/cases) and schemas/; and, for the JPEG decoder, small JPEGs
 * made with libjpeg (tests/common/testjpeg.h); for QR codes, text and
 * images made by mindl_qr_* and libpng (tests/common/testqr.h), good and
 * hostile ("mkseeds qr" writes those alone).  Run from the repository root by
 * tests/fuzz/mkseeds.sh; the output is committed.  Files already in a
 * corpus directory (crash regressions, libFuzzer finds) are kept.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zlib.h>

#include "mindl/mindl.h"
#include "mindl/renewal.h"
#include "schema_embed.h"
#include "../common/testjpeg.h"
#include "../common/testqr.h"
#include "../common/testlib.h"

#define CORPUS	"tests/fuzz/corpus"
#define NEG	"tests/neg/cases"
#define ANNEXD	"tests/vectors/iso18013-5-annex-d"

static int nseeds;

static void die(const char *, const char *) __attribute__((noreturn));

static void
die(const char *a, const char *b)
{
	fprintf(stderr, "mkseeds: %s: %s\n", a, b);
	exit(1);
}

static void
seed(const char *corpus, const char *name, const uint8_t *p, size_t n)
{
	char path[1024];
	int r;

	snprintf(path, sizeof(path), "%s/%s", CORPUS, corpus);
	(void)mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/%s", CORPUS, corpus, name);
	if ((r = mindl_file_write(path, p != NULL ? p : (const uint8_t *)"",
	    n, 0)) != MINDL_OK)
		die(path, mindl_errname(r));
	nseeds++;
}

static int
readf(const char *path, uint8_t **b, size_t *n)
{
	return mindl_file_read(path, MINDL_MAX_INPUT, b, n);
}

static void
need(const char *path, uint8_t **b, size_t *n)
{
	int r;

	if ((r = readf(path, b, n)) != MINDL_OK)
		die(path, mindl_errname(r));
}

static const char *
annexd(const char *name)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "%s/%s", ANNEXD, name);
	return buf;
}

static void
hex(const char *name, uint8_t **out, size_t *outlen)
{
	uint8_t *t = NULL, *b;
	size_t tl = 0, i, n = 0;
	unsigned v;
	char two[3] = { 0 };

	need(annexd(name), &t, &tl);
	if ((b = malloc(tl / 2 + 1)) == NULL)
		die(name, "out of memory");
	for (i = 0; i + 1 < tl; ) {
		if (t[i] == '\n' || t[i] == ' ' || t[i] == '\r') {
			i++;
			continue;
		}
		two[0] = (char)t[i];
		two[1] = (char)t[i + 1];
		if (sscanf(two, "%2x", &v) != 1)
			die(name, "not hex");
		b[n++] = (uint8_t)v;
		i += 2;
	}
	free(t);
	*out = b;
	*outlen = n;
}

/* Copies a file as a seed. */
static void
copy(const char *corpus, const char *name, const char *path)
{
	uint8_t *b = NULL;
	size_t n = 0;

	need(path, &b, &n);
	seed(corpus, name, b, n);
	free(b);
}

/* A neg corpus case file as a seed (skipped if absent or compressed). */
static void
neg(const char *corpus, const char *file)
{
	char path[1024], name[300];
	uint8_t *b = NULL;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", NEG, file);
	if (readf(path, &b, &n) != MINDL_OK)
		die(path, "missing");
	snprintf(name, sizeof(name), "neg-%s", file);
	seed(corpus, name, b, n);
	free(b);
}

/*
 * jpeg_decode: JPEGs of every layout the decoder takes (grey; YCbCr at
 * 4:2:0 and 4:4:4; RGB; progressive; restart markers; sizes that are not
 * whole blocks) and of some it refuses (CMYK, too many scans, arithmetic
 * coding), each also cut short, since truncation is what a hostile
 * sender tries first.
 */
static void
jpeg_seed(const char *name, const uint8_t *b, size_t n)
{
	char cut[300];

	seed("jpeg_decode", name, b, n);
	snprintf(cut, sizeof(cut), "%s-cut-half", name);
	seed("jpeg_decode", cut, b, n / 2);
	snprintf(cut, sizeof(cut), "%s-cut-eoi", name);
	seed("jpeg_decode", cut, b, n - 2);
}

static void
jpeg_make(const char *name, const struct test_jpeg_opts *o, unsigned w,
    unsigned h)
{
	uint8_t *px, *b = NULL;
	size_t n = 0, i;
	unsigned c;

	if ((px = malloc((size_t)w * h * 4)) == NULL)
		die(name, "out of memory");
	/* Gradients and edges: every block has AC coefficients. */
	for (i = 0; i < (size_t)w * h; i++)
		for (c = 0; c < (unsigned)o->ncomp; c++)
			px[i * (size_t)o->ncomp + c] = (uint8_t)((i % w) * 255 /
			    w * (c != 1) + (i / w) * 255 / h * (c != 0) +
			    ((i % w) / 4 + (i / w) / 4) % 2 * 40);
	if (test_jpeg_make(o, px, w, h, &b, &n) != 0)
		die(name, "libjpeg");
	jpeg_seed(name, b, n);
	free(b);
	free(px);
}

static void
jpeg_seeds(void)
{
	static const struct {
		const char		*name;
		struct test_jpeg_opts	 o;
		unsigned		 w, h;
	} t[] = {
		{ "grey-24x40", { JCS_GRAYSCALE, 1, JCS_GRAYSCALE, 90, 0, 0,
		    0, 0, 0 }, 24, 40 },
		{ "ycc420-33x17", { JCS_RGB, 3, JCS_YCbCr, 80, 1, 0, 0, 0, 0 },
		    33, 17 },
		{ "ycc444-16x16", { JCS_RGB, 3, JCS_YCbCr, 100, 0, 0, 0, 0,
		    0 }, 16, 16 },
		{ "rgb-16x8", { JCS_RGB, 3, JCS_RGB, 100, 0, 0, 0, 0, 0 }, 16,
		    8 },
		{ "progressive-40x24", { JCS_RGB, 3, JCS_YCbCr, 75, 1, 1, 0,
		    0, 0 }, 40, 24 },
		{ "progressive-grey-9x70", { JCS_GRAYSCALE, 1, JCS_GRAYSCALE,
		    75, 0, 1, 0, 0, 0 }, 9, 70 },
		{ "restart-48x32", { JCS_RGB, 3, JCS_YCbCr, 85, 1, 0, 0, 1, 0 },
		    48, 32 },
		{ "cmyk-16x16", { JCS_CMYK, 4, JCS_CMYK, 90, 0, 0, 0, 0, 0 },
		    16, 16 },
		{ "many-scans-8x8", { JCS_GRAYSCALE, 1, JCS_GRAYSCALE, 90, 0,
		    0, 1, 0, 0 }, 8, 8 },
		{ "arith-16x16", { JCS_RGB, 3, JCS_YCbCr, 90, 1, 0, 0, 0, 1 },
		    16, 16 },
	};
	uint8_t *b = NULL;
	size_t n = 0, i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		jpeg_make(t[i].name, &t[i].o, t[i].w, t[i].h);
	need("schemas/samples/portrait.jpg", &b, &n);
	jpeg_seed("sample-portrait", b, n);
	free(b);
	need("tests/interop/sample-portrait.jpg", &b, &n);
	jpeg_seed("interop-portrait", b, n);
	free(b);
}

/* Every neg case file of one extension, e.g. all ".der". */
static void
neg_all(const char *corpus, const char *prefix, const char *suffix)
{
	struct dirent *de;
	DIR *d;
	size_t l, sl = strlen(suffix);

	if ((d = opendir(NEG)) == NULL)
		die(NEG, "cannot open");
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
		    l < sl || strcmp(de->d_name + l - sl, suffix) != 0)
			continue;
		neg(corpus, de->d_name);
	}
	closedir(d);
}

static void
item_seed(const char *corpus, const char *name,
    const struct mindl_cbor_item *it)
{
	if (it == NULL)
		die(name, "structure not found");
	seed(corpus, name, it->enc, it->enclen);
}

/* The first document of a DeviceResponse, or of a credential file. */
static const struct mindl_cbor_item *
first_doc(const struct mindl_cbor_item *root)
{
	if (root->type == MINDL_CBOR_ARRAY)
		return mindl_cbor_child(root);
	return mindl_cbor_child(mindl_cbor_map_get(root, "documents"));
}

/* MSO bytes: the content of the tag-24 payload of issuerAuth. */
static void
mso_seed(const char *name, const struct mindl_cbor_item *ia)
{
	struct mindl_cbor_item const *c;
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *inner = NULL;
	int i;

	if (ia == NULL || ia->type != MINDL_CBOR_ARRAY)
		die(name, "no issuerAuth");
	for (i = 0, c = mindl_cbor_child(ia); i < 2; i++)
		c = mindl_cbor_next(c);
	if (c->type != MINDL_CBOR_BSTR ||
	    mindl_cbor_decode(c->ptr, c->len, &doc) != MINDL_OK ||
	    (inner = mindl_cbor_untag(mindl_cbor_root(doc), 24)) == NULL)
		die(name, "no MSO");
	seed("mso", name, inner->ptr, inner->len);
	mindl_cbor_free(&doc);
}

/*
 * Credentials and responses on the other curves and digests ISO 18013-5
 * allows (what the Annex D vectors and the negative corpus, all P-256 and
 * SHA-256, do not show the parsers), Ed25519 device keys among them:
 * credential, document, issuerAuth and deviceSignature (cose), MSO.  Keys
 * are made each run.
 */
static void
algs_seeds(void)
{
	static const struct { int icrv, dalg, vcrv; const char *name; } c[] = {
		{ MINDL_CRV_P384, MINDL_DIGEST_SHA384, MINDL_CRV_P521,
		    "p384-sha384-dev-p521" },
		{ MINDL_CRV_P521, MINDL_DIGEST_SHA512, MINDL_CRV_P384,
		    "p521-sha512-dev-p384" },
		{ MINDL_CRV_BP256, MINDL_DIGEST_SHA512, MINDL_CRV_BP320,
		    "bp256-sha512-dev-bp320" },
		{ MINDL_CRV_BP384, MINDL_DIGEST_SHA384, MINDL_CRV_BP512,
		    "bp384-sha384-dev-bp512" },
		{ MINDL_CRV_P256, MINDL_DIGEST_SHA256, MINDL_CRV_ED25519,
		    "p256-sha256-dev-ed25519" },
	};
	static const char rec_json[] =
	    "{\"family_name\": \"Doe\", \"given_name\": \"Alex\","
	    " \"birth_date\": \"1990-04-15\", \"document_number\": \"D1\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"C\"}],"
	    " \"sex\": 2, \"height\": 170, \"eye_colour\": \"brown\"}";
	const int64_t t0 = 1795000000;
	struct mindl_iaca_params ip = { "US", "SS", "Seed IACA",
	    "mailto:iaca@example.invalid", t0 - 86400 * 10, 3650 };
	struct mindl_ds_params dp = { NULL, t0 - 86400 * 5, 365 };
	struct mindl_schema *schema = NULL;
	struct mindl_record *rec = NULL;
	struct mindl_key *ik = NULL, *dk = NULL, *vk = NULL, *rk = NULL;
	struct mindl_issue_params p;
	struct mindl_policy pol;
	struct mindl_request *req = NULL;
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *d, *is;
	uint8_t *iaca = NULL, *ds = NULL, *cb = NULL, *rb = NULL, *resp = NULL;
	size_t iacalen, dslen, cblen, rblen, resplen, i;
	char err[256], name[128];

	if (mindl_schema_builtin(&schema) != MINDL_OK ||
	    mindl_record_parse(schema, rec_json, strlen(rec_json), test_jpeg,
	    sizeof(test_jpeg), t0, &rec, err, sizeof(err)) != MINDL_OK)
		die("algs", "record");
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		if (mindl_key_generate_curve(c[i].icrv, &ik) != MINDL_OK ||
		    mindl_key_generate_curve(c[i].icrv, &dk) != MINDL_OK ||
		    mindl_key_generate_curve(c[i].vcrv, &vk) != MINDL_OK ||
		    mindl_key_generate_curve(c[i].vcrv, &rk) != MINDL_OK ||
		    mindl_x509_make_iaca(ik, &ip, &iaca, &iacalen) !=
		    MINDL_OK || mindl_x509_make_ds(ik, iaca, iacalen, dk, &dp,
		    &ds, &dslen) != MINDL_OK)
			die(c[i].name, "keys");
		pol = *mindl_schema_policy(schema);
		pol.digest_alg = c[i].dalg;
		memset(&p, 0, sizeof(p));
		p.record = rec;
		p.policy = &pol;
		p.ds_cert = ds;
		p.ds_certlen = dslen;
		p.device_pub = vk;
		p.now = t0;
		if (test_issue(&p, dk, &cb, &cblen, NULL) != MINDL_OK ||
		    mindl_request_create(mindl_schema_profile(schema,
		    "traffic-stop"), rk, &rb, &rblen) != MINDL_OK ||
		    mindl_request_parse(rb, rblen, &req) != MINDL_OK ||
		    test_present(cb, cblen, vk, req, schema,
		    MINDL_DEVAUTH_SIGNATURE, &resp, &resplen, NULL) != MINDL_OK)
			die(c[i].name, "issue or present");
		seed("credential", c[i].name, cb, cblen);
		seed("document", c[i].name, resp, resplen);
		if (mindl_cbor_decode(resp, resplen, &doc) != MINDL_OK)
			die(c[i].name, "decode");
		d = first_doc(mindl_cbor_map_get(mindl_cbor_root(doc),
		    "deviceResponse"));
		is = mindl_cbor_map_get(d, "issuerSigned");
		snprintf(name, sizeof(name), "%s-issuer-auth", c[i].name);
		item_seed("cose", name, mindl_cbor_map_get(is, "issuerAuth"));
		snprintf(name, sizeof(name), "%s-device-signature", c[i].name);
		item_seed("cose", name, mindl_cbor_map_get(mindl_cbor_map_get(
		    mindl_cbor_map_get(d, "deviceSigned"), "deviceAuth"),
		    "deviceSignature"));
		mso_seed(c[i].name, mindl_cbor_map_get(is, "issuerAuth"));
		mindl_cbor_free(&doc);
		mindl_request_free(&req);
		mindl_key_free(&ik);
		mindl_key_free(&dk);
		mindl_key_free(&vk);
		mindl_key_free(&rk);
		free(iaca);
		free(ds);
		free(cb);
		free(rb);
		free(resp);
	}
	mindl_record_free(&rec);
	mindl_schema_free(&schema);
}

/*
 * renewal: challenge files, and proofs by the corpus credential's device
 * key for the corpus reader key as the one new key, over the challenge
 * of 32 bytes 0x42 (fuzz_renewal.c checks against the same).
 */
static void
renewal_seeds(void)
{
	struct mindl_key *dev = NULL, *nk = NULL;
	const struct mindl_key *keys[1];
	struct mindl_signer s;
	struct mindl_buf out;
	uint8_t ch[MINDL_RENEWAL_CHALLENGE_LEN], *cred = NULL;
	size_t credlen = 0;

	need(NEG "/credential.cbor", &cred, &credlen);
	if (mindl_key_read_pem(NEG "/test-device-key.pem", NULL, &dev) !=
	    MINDL_OK || mindl_key_read_pem(NEG "/test-reader-key.pem", NULL,
	    &nk) != MINDL_OK || mindl_signer_key(&s, dev) != MINDL_OK)
		die("renewal", "keys");
	keys[0] = nk;
	memset(ch, 0x42, sizeof(ch));
	mindl_buf_init(&out, MINDL_MAX_INPUT);
	if (mindl_renewal_challenge_write(ch, 1767272400, &out) != MINDL_OK)
		die("renewal", "challenge");
	seed("renewal", "challenge", mindl_buf_ptr(&out), mindl_buf_len(&out));
	if (mindl_renewal_proof_write(&s, ch, cred, credlen, 0, keys, 1,
	    &out) != MINDL_OK)
		die("renewal", "proof");
	seed("renewal", "proof", mindl_buf_ptr(&out), mindl_buf_len(&out));
	memset(ch, 0x43, sizeof(ch));
	if (mindl_renewal_proof_write(&s, ch, cred, credlen, 0, keys, 1,
	    &out) != MINDL_OK)
		die("renewal", "proof");
	seed("renewal", "proof-other-challenge", mindl_buf_ptr(&out),
	    mindl_buf_len(&out));
	mindl_buf_clear(&out);
	mindl_key_free(&dev);
	mindl_key_free(&nk);
	free(cred);
}

/* A status list token over claims (sub, iat, exp, status_list). */
static void
status_token(const char *name, const struct mindl_signer *s,
    const uint8_t *cert, size_t certlen, const char *typ, uint64_t bits,
    const uint8_t *lst, size_t lstlen)
{
	struct mindl_enc c, e;
	uint8_t *claims = NULL, *tok = NULL;
	size_t claimslen = 0, toklen = 0;
	int r;

	mindl_enc_init(&c, MINDL_MAX_INPUT);
	mindl_enc_map(&c, 5);
	mindl_enc_uint(&c, 2);
	mindl_enc_tstr(&c, "https://dmv.example.invalid/status/1");
	mindl_enc_uint(&c, 6);
	mindl_enc_uint(&c, 1767268800);
	mindl_enc_uint(&c, 4);
	mindl_enc_uint(&c, 1767355200);
	mindl_enc_uint(&c, 65534);
	mindl_enc_uint(&c, 43200);
	mindl_enc_uint(&c, 65533);
	mindl_enc_map(&c, 2);
	mindl_enc_tstr(&c, "bits");
	mindl_enc_uint(&c, bits);
	mindl_enc_tstr(&c, "lst");
	mindl_enc_bstr(&c, lst, lstlen);
	if ((r = mindl_enc_finish(&c, &claims, &claimslen)) != MINDL_OK)
		die(name, mindl_errname(r));
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	if ((r = mindl_cose_sign1_write_typ(&e, s, typ, claims, claimslen,
	    cert, certlen)) != MINDL_OK ||
	    (r = mindl_enc_finish(&e, &tok, &toklen)) != MINDL_OK)
		die(name, mindl_errname(r));
	seed("status", name, tok, toklen);
	free(claims);
	free(tok);
}

/*
 * status: the draft's example token, lists of mindl's (a status signer
 * made here), cut short and with a byte after, and lists the parser
 * refuses: 2 bits, another typ, corrupt zlib, a decompression bomb.
 */
static void
status_seeds(void)
{
	static const char draft[] =
	    "d2845820a2012610781a6170706c69636174696f6e2f7374617475736c69"
	    "73742b637774a1044231325850a502782168747470733a2f2f6578616d706c"
	    "652e636f6d2f7374617475736c697374732f31061a648c5bea041a8898dfea"
	    "19fffe19a8c019fffda2646269747301636c73744a78dadbb918000217015d"
	    "584093fa4d01032b18c35e2fe1101b77fd6cc9440022caa4694450c4e4e9fe"
	    "ab4e99d1fa6d9772ce2bf3a12e0323ded7c982c5e101a5e67f0cbc1e2b6f57"
	    "ce99c279";
	struct mindl_iaca_params ip = { "US", "SS", "Seed IACA",
	    "mailto:iaca@example.invalid", 1767268800 - 86400 * 30, 3650 };
	struct mindl_ds_params dp = { NULL, 1767268800 - 86400 * 10, 365 };
	struct mindl_status_list_params p;
	struct mindl_key *ik = NULL, *sk = NULL;
	struct mindl_signer s;
	struct mindl_buf b;
	uint8_t *iaca = NULL, *cert = NULL, *bits, *z, *tok;
	size_t iacalen = 0, certlen = 0, n = 1u << 20;
	uLongf zlen;
	int r;

	mindl_buf_init(&b, MINDL_MAX_INPUT);
	if (mindl_buf_add_hex(&b, draft, strlen(draft), 0) != MINDL_OK)
		die("status", "draft hex");
	seed("status", "draft-example-token.cwt", mindl_buf_ptr(&b),
	    mindl_buf_len(&b));
	mindl_buf_clear(&b);
	if ((r = mindl_key_generate(&ik)) != MINDL_OK ||
	    (r = mindl_key_generate(&sk)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(ik, &ip, &iaca, &iacalen)) != MINDL_OK ||
	    (r = mindl_x509_make_status_signer(ik, iaca, iacalen, sk, &dp,
	    &cert, &certlen)) != MINDL_OK ||
	    (r = mindl_signer_key(&s, sk)) != MINDL_OK)
		die("status", mindl_errname(r));
	if ((bits = calloc(4 * n, 1)) == NULL ||
	    (z = malloc(compressBound(4 * n))) == NULL)
		die("status", "out of memory");
	bits[0] = 0x01;
	bits[8192] = 0x80;
	memset(&p, 0, sizeof(p));
	p.uri = "https://dmv.example.invalid/status/1";
	p.iat = 1767268800;
	p.exp = 1767268800 + 86400;
	p.ttl = 43200;
	p.bits = bits;
	p.nentries = n;
	p.signer = &s;
	p.x5 = cert;
	p.x5len = certlen;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	if ((r = mindl_status_token_write(&p, &b)) != MINDL_OK)
		die("status", mindl_errname(r));
	seed("status", "mindl-list-2e20.cwt", mindl_buf_ptr(&b),
	    mindl_buf_len(&b));
	seed("status", "mindl-list-cut-half.cwt", mindl_buf_ptr(&b),
	    mindl_buf_len(&b) / 2);
	if ((tok = malloc(mindl_buf_len(&b) + 1)) == NULL)
		die("status", "out of memory");
	memcpy(tok, mindl_buf_ptr(&b), mindl_buf_len(&b));
	tok[mindl_buf_len(&b)] = 0;
	seed("status", "mindl-list-trailing-byte.cwt", tok,
	    mindl_buf_len(&b) + 1);
	free(tok);
	mindl_buf_clear(&b);
	bits[0] = 0xb9;
	bits[1] = 0xa3;
	zlen = compressBound(2);
	if (compress2(z, &zlen, bits, 2, 9) != Z_OK)
		die("status", "compress2");
	status_token("draft-list-16.cwt", &s, cert, certlen, MINDL_STATUS_TYP,
	    1, z, zlen);
	status_token("bits-2.cwt", &s, cert, certlen, MINDL_STATUS_TYP, 2, z,
	    zlen);
	status_token("typ-jwt.cwt", &s, cert, certlen,
	    "application/statuslist+jwt", 1, z, zlen);
	z[3] ^= 0x40;
	status_token("zlib-corrupt.cwt", &s, cert, certlen, MINDL_STATUS_TYP,
	    1, z, zlen);
	memset(bits, 0, 4 * n);
	zlen = compressBound(4 * n);
	if (compress2(z, &zlen, bits, 4 * n, 9) != Z_OK)
		die("status", "compress2");
	status_token("zlib-bomb-4MiB.cwt", &s, cert, certlen,
	    MINDL_STATUS_TYP, 1, z, zlen);
	free(bits);
	free(z);
	free(iaca);
	free(cert);
	mindl_key_free(&ik);
	mindl_key_free(&sk);
}


/* QR text of cbor[0..n) into *t (the caller clears it). */
static void
qr_text(const uint8_t *cbor, size_t n, struct mindl_buf *t)
{
	int r;

	mindl_buf_init(t, 1 << 16);
	if ((r = mindl_qr_text_encode(cbor, n, t)) != MINDL_OK)
		die("qr", mindl_errname(r));
}

/* "MDL1:" and base45 of z[0..n): text around a hand-made stream. */
static void
qr_seed_z(const char *name, const uint8_t *z, size_t n)
{
	struct mindl_buf t;

	mindl_buf_init(&t, 1 << 16);
	(void)mindl_buf_addstr(&t, MINDL_QR_PREFIX);
	if (mindl_qr_base45_encode(z, n, &t) != MINDL_OK)
		die("qr", "base45");
	seed("qr", name, mindl_buf_ptr(&t), mindl_buf_len(&t));
	mindl_buf_clear(&t);
}

/* Grey pixels of text's symbol, scale px a module, 4 modules quiet. */
static uint8_t *
qr_pixels(const struct mindl_buf *text, unsigned scale, unsigned *side)
{
	struct mindl_qr *q = NULL;
	uint8_t *px;
	unsigned x, y, w;
	int r;

	if ((r = mindl_qr_symbol(mindl_buf_ptr(text), mindl_buf_len(text), 0,
	    &q)) != MINDL_OK)
		die("qr_image", mindl_errname(r));
	w = (mindl_qr_width(q) + 8) * scale;
	if ((px = malloc((size_t)w * w)) == NULL)
		die("qr_image", "out of memory");
	for (y = 0; y < w; y++)
		for (x = 0; x < w; x++)
			px[(size_t)y * w + x] = x / scale >= 4 &&
			    y / scale >= 4 && mindl_qr_dark(q, x / scale - 4,
			    y / scale - 4) ? 0 : 255;
	mindl_qr_free(&q);
	*side = w;
	return px;
}

static void
qr_seeds(void)
{
	static const char *kinds[TESTQR_NKINDS] = { "png-grey8",
	    "png-grey16", "png-rgb", "png-rgba-clear", "png-ga-clear",
	    "png-palette-trns", "png-interlaced" };
	static const uint8_t dict[] = "docTypeorg.iso.18013.5.1.mDL";
	/* A short DeviceEngagement-like map: a small symbol for images. */
	static const uint8_t small[] = { 0xa2, 0x00, 0x63, '1', '.', '0',
	    0x01, 0x82, 0x01, 0xd8, 0x18, 0x58, 0x4b, 0xa4, 0x01, 0x02, 0x20,
	    0x01, 0x21, 0x58, 0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
	    13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
	    29, 30, 31, 32, 0x22, 0x58, 0x20, 32, 31, 30, 29, 28, 27, 26, 25,
	    24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8,
	    7, 6, 5, 4, 3, 2, 1 };
	struct mindl_buf t, b;
	struct mindl_qr *q = NULL;
	struct test_jpeg_opts jo;
	uint8_t *p, *zeros, *z, *px, *img, *two;
	uLongf zlen;
	z_stream zs;
	size_t n, len;
	unsigned side, x, y;
	char name[64];
	uint64_t st = 42;
	int k;

	/* qr: good text of several sizes, with the line endings allowed. */
	if ((p = malloc(2500)) == NULL ||
	    (zeros = calloc(1, 1 << 20)) == NULL ||
	    (z = malloc(compressBound(1 << 20) + 1)) == NULL)
		die("qr", "out of memory");
	for (n = 500; n <= 2500; n += 1000) {
		if (testqr_payload(p, n, n) != 0)
			die("qr", "payload");
		qr_text(p, n, &t);
		snprintf(name, sizeof(name), "ok-%zu", n);
		seed("qr", name, mindl_buf_ptr(&t), mindl_buf_len(&t));
		if (n == 500) {
			len = mindl_buf_len(&t);
			if ((img = malloc(len + 2)) == NULL)
				die("qr", "out of memory");
			memcpy(img, mindl_buf_ptr(&t), len);
			memcpy(img + len, "\r\n", 2);
			seed("qr", "ok-500-crlf", img, len + 2);
			seed("qr", "ok-500-cr", img, len + 1);
			img[len] = '\n';
			seed("qr", "ok-500-lf", img, len + 1);
			img[len + 1] = '\n';
			seed("qr", "two-line-endings", img, len + 2);
			/* Cut short; a lone last character. */
			seed("qr", "cut-half", img, len / 2);
			seed("qr", "cut-one", img, len - 1);
			seed("qr", "lone-last-char", img, len - 2);
			/* Other prefixes; characters outside base45. */
			seed("qr", "prefix-none", img + 5, len - 5);
			memcpy(img, "HC1:", 4);
			seed("qr", "prefix-hc1", img, len);
			memcpy(img, "mdl1:", 5);
			seed("qr", "prefix-lower", img, len);
			memcpy(img, "MDL1:", 5);
			img[40] = 'a';
			seed("qr", "base45-lower", img, len);
			img[40] = '_';
			seed("qr", "base45-char", img, len);
			free(img);
		}
		mindl_buf_clear(&t);
	}
	seed("qr", "base45-group-65536", (const uint8_t *)"MDL1:GGW", 8);
	seed("qr", "base45-pair-256", (const uint8_t *)"MDL1:V5", 7);
	seed("qr", "prefix-only", (const uint8_t *)"MDL1:", 5);
	/* Over the text cap. */
	if ((img = malloc(MINDL_QR_MAX_TEXT + 1)) == NULL)
		die("qr", "out of memory");
	memset(img, '0', MINDL_QR_MAX_TEXT + 1);
	memcpy(img, "MDL1:", 5);
	seed("qr", "text-over-cap", img, MINDL_QR_MAX_TEXT + 1);
	free(img);
	/* zlib: the cap, a byte over it, a 1 MiB bomb. */
	zlen = compressBound(1 << 20);
	if (compress2(z, &zlen, zeros, MINDL_QR_MAX_INFLATED, 9) != Z_OK)
		die("qr", "compress2");
	qr_seed_z("zlib-16KiB-zeros", z, zlen);
	zlen = compressBound(1 << 20);
	if (compress2(z, &zlen, zeros, MINDL_QR_MAX_INFLATED + 1, 9) != Z_OK)
		die("qr", "compress2");
	qr_seed_z("zlib-16KiB-and-1", z, zlen);
	zlen = compressBound(1 << 20);
	if (compress2(z, &zlen, zeros, 1 << 20, 9) != Z_OK)
		die("qr", "compress2");
	qr_seed_z("zlib-bomb-1MiB", z, zlen);
	/* A byte after the stream; a bad Adler-32; a stream of nothing. */
	zlen = compressBound(1 << 20);
	if (compress2(z, &zlen, small, sizeof(small), 9) != Z_OK)
		die("qr", "compress2");
	qr_seed_z("ok-small", z, zlen);
	z[zlen] = 0;
	qr_seed_z("zlib-trailing-byte", z, zlen + 1);
	z[zlen - 1] ^= 1;
	qr_seed_z("zlib-bad-adler", z, zlen);
	zlen = compressBound(1 << 20);
	if (compress2(z, &zlen, zeros, 0, 9) != Z_OK)
		die("qr", "compress2");
	qr_seed_z("zlib-empty", z, zlen);
	/* Raw deflate, gzip, a preset dictionary. */
	for (k = 0; k < 3; k++) {
		memset(&zs, 0, sizeof(zs));
		if (deflateInit2(&zs, 9, Z_DEFLATED, k == 0 ? -15 : k == 1 ?
		    31 : 15, 8, Z_DEFAULT_STRATEGY) != Z_OK ||
		    (k == 2 && deflateSetDictionary(&zs, dict,
		    sizeof(dict) - 1) != Z_OK))
			die("qr", "deflateInit2");
		zs.next_in = (Bytef *)(uintptr_t)small;
		zs.avail_in = sizeof(small);
		zs.next_out = z;
		zs.avail_out = 4096;
		if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
			die("qr", "deflate");
		qr_seed_z(k == 0 ? "zlib-raw-deflate" : k == 1 ? "zlib-gzip" :
		    "zlib-preset-dict", z, zs.total_out);
		(void)deflateEnd(&zs);
	}

	/* qr_image: the small symbol in every PNG kind, and as JPEG. */
	qr_text(small, sizeof(small), &t);
	px = qr_pixels(&t, 2, &side);
	for (k = 0; k < TESTQR_NKINDS; k++) {
		if (testqr_png(px, side, side, (enum testqr_png_kind)k, &img,
		    &len) != 0)
			die("qr_image", "png");
		seed("qr_image", kinds[k], img, len);
		if (k == TESTQR_GREY8) {
			seed("qr_image", "png-cut-half", img, len / 2);
			seed("qr_image", "png-no-iend", img, len - 12);
			/* IHDR saying 8193 pixels wide (its CRC not fixed). */
			img[16] = img[17] = 0;
			img[18] = 0x20;
			img[19] = 0x01;
			seed("qr_image", "png-ihdr-8193", img, len);
		}
		free(img);
	}
	if (mindl_qr_symbol(mindl_buf_ptr(&t), mindl_buf_len(&t), 0, &q) !=
	    MINDL_OK)
		die("qr_image", "symbol");
	mindl_buf_init(&b, 1 << 20);
	if (mindl_qr_png(q, 2, 4, 1, &b) != MINDL_OK)
		die("qr_image", "mindl_qr_png");
	seed("qr_image", "png-1bit", mindl_buf_ptr(&b), mindl_buf_len(&b));
	mindl_buf_clear(&b);
	mindl_qr_free(&q);
	memset(&jo, 0, sizeof(jo));
	jo.in = JCS_GRAYSCALE;
	jo.cs = JCS_GRAYSCALE;
	jo.ncomp = 1;
	jo.quality = 90;
	if (test_jpeg_make(&jo, px, side, side, &img, &len) != 0)
		die("qr_image", "jpeg");
	seed("qr_image", "jpeg-grey", img, len);
	seed("qr_image", "jpeg-cut-half", img, len / 2);
	free(img);
	/* Two codes side by side; a blank picture; noise. */
	if ((two = malloc((size_t)side * 2 * side)) == NULL)
		die("qr_image", "out of memory");
	for (y = 0; y < side; y++)
		for (x = 0; x < 2 * side; x++)
			two[(size_t)y * 2 * side + x] =
			    px[(size_t)y * side + x % side];
	if (testqr_png(two, 2 * side, side, TESTQR_GREY8, &img, &len) != 0)
		die("qr_image", "png");
	seed("qr_image", "png-two-codes", img, len);
	free(img);
	memset(two, 255, (size_t)side * 2 * side);
	if (testqr_png(two, 2 * side, side, TESTQR_GREY8, &img, &len) != 0)
		die("qr_image", "png");
	seed("qr_image", "png-blank", img, len);
	free(img);
	testqr_random(&st, two, (size_t)side * side);
	if (testqr_png(two, side, side, TESTQR_GREY8, &img, &len) != 0)
		die("qr_image", "png");
	seed("qr_image", "png-noise", img, len);
	free(img);
	free(two);
	free(px);
	mindl_buf_clear(&t);
	/* Not an image: random bytes, text, another format. */
	testqr_random(&st, z, 2048);
	z[0] = 0;
	seed("qr_image", "random-bytes", z, 2048);
	seed("qr_image", "gif-header", (const uint8_t *)"GIF89a\1\0\1\0", 10);
	memcpy(z, "\x89PNG\r\n\x1a\n", 8);
	seed("qr_image", "png-signature-then-random", z, 2048);
	memcpy(z, "\xff\xd8\xff", 3);
	seed("qr_image", "jpeg-soi-then-random", z, 2048);
	free(z);
	free(zeros);
	free(p);
}

/*
 * fido: authData of each shape mindl_fido_verify judges, raw (options
 * byte, signature length, signature, authData) and inside a DeviceSigned
 * with the extension.  The signatures are filler: fuzz_fido signs each
 * authData itself to reach the signature check.
 */
static void
fido_one(const char *name, uint8_t flags, const uint8_t *tail, size_t tlen,
    const char *rpid, uint8_t opts)
{
	static const uint8_t dns[] = { 0xd8, 0x18, 0x41, 0xa0 };
	uint8_t ad[MINDL_FIDO_AUTHDATA_LEN + 16], raw[2 + 64 + sizeof(ad)];
	uint8_t sig[64], *b = NULL;
	size_t alen, blen = 0, i;
	struct mindl_enc e;
	char nm[128];

	if (mindl_sha256((const uint8_t *)rpid, strlen(rpid), ad) != MINDL_OK)
		die("fido", "sha256");
	ad[32] = flags;
	ad[33] = ad[34] = ad[35] = 0;
	ad[36] = 7;
	memcpy(ad + 37, tail, tlen);
	alen = 37 + tlen;
	for (i = 0; i < sizeof(sig); i++)
		sig[i] = (uint8_t)(0x11 * i + 1);
	raw[0] = opts;
	raw[1] = sizeof(sig);
	memcpy(raw + 2, sig, sizeof(sig));
	memcpy(raw + 2 + sizeof(sig), ad, alen);
	snprintf(nm, sizeof(nm), "raw-%s", name);
	seed("fido", nm, raw, 2 + sizeof(sig) + alen);
	mindl_enc_init(&e, 1024);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_raw(&e, dns, sizeof(dns));
	mindl_enc_tstr(&e, "deviceAuth");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, MINDL_DEVAUTH_FIDO2_KEY);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "authData");
	mindl_enc_bstr(&e, ad, alen);
	mindl_enc_tstr(&e, "sig");
	mindl_enc_bstr(&e, sig, sizeof(sig));
	if (mindl_enc_finish(&e, &b, &blen) != MINDL_OK)
		die("fido", "encode");
	snprintf(nm, sizeof(nm), "ds-%s", name);
	seed("fido", nm, b, blen);
	free(b);
}

static void
fido_seeds(void)
{
	static const uint8_t ext[] = { 0xa1, 0x63, 'a', 'b', 'c', 0xf5 };
	static const uint8_t junk[] = { 0xff, 0x00, 0x13, 0x00 };
	static const char rp[] = "mdl.dmv.example";

	fido_one("up", 0x01, NULL, 0, rp, 0);
	fido_one("up-uv", 0x05, NULL, 0, rp, 1);
	fido_one("up-need-uv", 0x01, NULL, 0, rp, 1);
	fido_one("no-up", 0x00, NULL, 0, rp, 0);
	fido_one("at", 0x41, NULL, 0, rp, 0);
	fido_one("be-bs", 0x19, NULL, 0, rp, 0);
	fido_one("rfu", 0x23, NULL, 0, rp, 0);
	fido_one("ed-map", 0x81, ext, sizeof(ext), rp, 0);
	fido_one("ed-junk", 0x81, junk, sizeof(junk), rp, 0);
	fido_one("ed-empty", 0x81, NULL, 0, rp, 0);
	fido_one("tail", 0x01, junk, sizeof(junk), rp, 0);
	fido_one("other-rpid", 0x01, NULL, 0, "evil.example", 0);
}

/* p with the mode byte m in front. */
static void
seed_mode(const char *name, uint8_t m, const uint8_t *p, size_t n)
{
	uint8_t *b;

	if ((b = malloc(n + 1)) == NULL)
		die(name, "out of memory");
	b[0] = m;
	memcpy(b + 1, p, n);
	seed("readerauth", name, b, n + 1);
	free(b);
}

/*
 * Reader authentication: the Annex D request (which verifies against the
 * harness's fixtures), a mindl request signed by a reader made here, its
 * engagement and certificate, and the Annex D reader certificate.
 */
static void
readerauth_seeds(void)
{
	struct mindl_iaca_params ip = { "US", "SS", "Seed reader CA",
	    "mailto:readers@example.invalid", 1767225600, 3650 };
	static const char *const ids[] = { "traffic-stop", "age-21" };
	struct mindl_reader_params rp = { "Seed reader", ids, 2, 1767225600,
	    90 };
	struct mindl_schema *s = NULL;
	struct mindl_key *cak = NULL, *rk = NULL, *erk = NULL;
	struct mindl_signer sg;
	struct mindl_cbor *doc = NULL;
	struct mindl_cose_msg m;
	uint8_t *ca = NULL, *cert = NULL, *de = NULL, *rq = NULL, *b = NULL;
	size_t calen = 0, certlen = 0, delen = 0, rqlen = 0, n = 0;

	hex("annexD_D.4.1.1_device_request.hex", &b, &n);
	seed_mode("annexD-request", 1, b, n);
	free(b);
	hex("annexD_D.5.4_reader_auth.hex", &b, &n);
	memset(&m, 0, sizeof(m));
	if (mindl_cbor_decode(b, n, &doc) != MINDL_OK ||
	    mindl_cose_parse(mindl_cbor_root(doc), &m) != MINDL_OK ||
	    m.nx5 < 1)
		die("annexD_D.5.4_reader_auth.hex", "x5chain");
	seed_mode("annexD-reader-cert", 3, m.x5[0], m.x5len[0]);
	mindl_cose_clear(&m);
	mindl_cbor_free(&doc);
	free(b);
	if (mindl_schema_builtin(&s) != MINDL_OK ||
	    mindl_key_generate(&cak) != MINDL_OK ||
	    mindl_key_generate(&rk) != MINDL_OK ||
	    mindl_key_generate(&erk) != MINDL_OK ||
	    mindl_x509_make_iaca(cak, &ip, &ca, &calen) != MINDL_OK ||
	    mindl_x509_make_reader(cak, ca, calen, rk, &rp, &cert,
	    &certlen) != MINDL_OK ||
	    mindl_engagement_create(&de, &delen) != MINDL_OK ||
	    mindl_signer_key(&sg, rk) != MINDL_OK ||
	    mindl_request_create_signed(mindl_schema_profile(s,
	    "traffic-stop"), erk, 0, de, delen, &sg, cert, certlen, &rq,
	    &rqlen) != MINDL_OK)
		die("readerauth", "make");
	seed_mode("signed-request", 0, rq, rqlen);
	seed_mode("engagement", 2, de, delen);
	seed_mode("reader-cert", 3, cert, certlen);
	seed_mode("reader-ca", 3, ca, calen);
	free(ca);
	free(cert);
	free(de);
	free(rq);
	mindl_key_free(&cak);
	mindl_key_free(&rk);
	mindl_key_free(&erk);
	mindl_schema_free(&s);
}

int
main(int argc, char **argv)
{
	static const char *adhex[] = {
		"annexD_D.3.1_device_engagement.hex",
		"annexD_D.4.1.1_device_request.hex",
		"annexD_D.4.1.2_device_response.hex",
		"annexD_D.5.1_session_transcript_bytes.hex",
		"annexD_D.5.2_issuer_auth.hex",
		"annexD_D.5.3_device_auth.hex",
		"annexD_D.5.3_device_authentication_bytes.hex",
		"annexD_D.5.4_reader_auth.hex",
		"annexD_D.5.4_reader_authentication_bytes.hex",
	};
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *root, *d, *is;
	uint8_t *b = NULL;
	size_t n = 0, i;
	char name[256];

	/* "mkseeds status": that corpus alone (its seeds are signed anew). */
	if (argc > 1 && strcmp(argv[1], "status") == 0) {
		status_seeds();
		fprintf(stderr, "mkseeds: %d seeds\n", nseeds);
		return 0;
	}
	/* "mkseeds qr": the QR corpora alone. */
	if (argc > 1 && strcmp(argv[1], "qr") == 0) {
		qr_seeds();
		fprintf(stderr, "mkseeds: %d seeds\n", nseeds);
		return 0;
	}
	/* "mkseeds readerauth": that corpus alone. */
	if (argc > 1 && strcmp(argv[1], "readerauth") == 0) {
		readerauth_seeds();
		fprintf(stderr, "mkseeds: %d seeds\n", nseeds);
		return 0;
	}
	/* "mkseeds algs": the other curves' and digests' seeds alone. */
	if (argc > 1 && strcmp(argv[1], "algs") == 0) {
		algs_seeds();
		fprintf(stderr, "mkseeds: %d seeds\n", nseeds);
		return 0;
	}
	/* "mkseeds fido": that corpus alone. */
	if (argc > 1 && strcmp(argv[1], "fido") == 0) {
		fido_seeds();
		fprintf(stderr, "mkseeds: %d seeds\n", nseeds);
		return 0;
	}
	status_seeds();
	qr_seeds();
	fido_seeds();
	algs_seeds();

	/* cbor: every Annex D structure, our files, odd shapes. */
	for (i = 0; i < sizeof(adhex) / sizeof(adhex[0]); i++) {
		hex(adhex[i], &b, &n);
		snprintf(name, sizeof(name), "%.*s", (int)(strlen(adhex[i]) -
		    4), adhex[i]);
		seed("cbor", name, b, n);
		free(b);
	}
	neg("cbor", "request.cbor");
	neg("cbor", "credential.cbor");
	neg("cbor", "ok-core-present.cbor");
	neg_all("cbor", "cbor-", ".cbor");

	/* devresponse: Annex D; ours (fails at the chain, reaches parsing). */
	hex("annexD_D.4.1.2_device_response.hex", &b, &n);
	seed("devresponse", "annexD-device-response", b, n);
	if (mindl_cbor_decode(b, n, &doc) != MINDL_OK)
		die("annex D", "decode");
	root = mindl_cbor_root(doc);
	d = first_doc(root);
	is = mindl_cbor_map_get(d, "issuerSigned");
	item_seed("issuersigned", "annexD-issuer-signed", is);
	item_seed("cose", "annexD-issuer-auth", mindl_cbor_map_get(is,
	    "issuerAuth"));
	item_seed("cose", "annexD-device-mac", mindl_cbor_map_get(
	    mindl_cbor_map_get(mindl_cbor_map_get(d, "deviceSigned"),
	    "deviceAuth"), "deviceMac"));
	mso_seed("annexD-mso", mindl_cbor_map_get(is, "issuerAuth"));
	mindl_cbor_free(&doc);
	free(b);
	hex("annexD_D.5.4_reader_auth.hex", &b, &n);
	seed("cose", "annexD-reader-auth", b, n);
	free(b);
	{
		/* the MSO's device key and EDeviceKey as COSE_Keys */
		hex("annexD_D.5.1_session_transcript_bytes.hex", &b, &n);
		seed("cose", "annexD-transcript", b, n);
		free(b);
	}

	/* Our credential, response and request. */
	need(NEG "/credential.cbor", &b, &n);
	seed("credential", "neg-credential", b, n);
	if (mindl_cbor_decode(b, n, &doc) != MINDL_OK)
		die("credential", "decode");
	d = first_doc(mindl_cbor_root(doc));
	is = mindl_cbor_map_get(d, "issuerSigned");
	item_seed("issuersigned", "neg-issuer-signed", is);
	item_seed("cose", "neg-issuer-auth", mindl_cbor_map_get(is,
	    "issuerAuth"));
	mso_seed("neg-mso", mindl_cbor_map_get(is, "issuerAuth"));
	mindl_cbor_free(&doc);
	free(b);
	need(NEG "/ok-core-present.cbor", &b, &n);
	if (mindl_cbor_decode(b, n, &doc) != MINDL_OK)
		die("response", "decode");
	root = mindl_cbor_root(doc);
	item_seed("devresponse", "neg-device-response",
	    mindl_cbor_map_get(root, "deviceResponse"));
	d = first_doc(mindl_cbor_map_get(root, "deviceResponse"));
	item_seed("cose", "neg-device-mac", mindl_cbor_map_get(
	    mindl_cbor_map_get(mindl_cbor_map_get(d, "deviceSigned"),
	    "deviceAuth"), "deviceMac"));
	mindl_cbor_free(&doc);
	free(b);
	need(NEG "/ok-built-signature.cbor", &b, &n);
	if (mindl_cbor_decode(b, n, &doc) != MINDL_OK)
		die("response", "decode");
	d = first_doc(mindl_cbor_map_get(mindl_cbor_root(doc),
	    "deviceResponse"));
	item_seed("cose", "neg-device-signature", mindl_cbor_map_get(
	    mindl_cbor_map_get(mindl_cbor_map_get(d, "deviceSigned"),
	    "deviceAuth"), "deviceSignature"));
	mindl_cbor_free(&doc);
	free(b);
	need(NEG "/request.cbor", &b, &n);
	if (mindl_cbor_decode(b, n, &doc) != MINDL_OK)
		die("request", "decode");
	root = mindl_cbor_root(doc);
	{
		const struct mindl_cbor_item *erk = mindl_cbor_map_get(root,
		    "eReaderKey");

		if (erk == NULL)
			die("request", "no eReaderKey");
		seed("cose", "neg-ereaderkey", erk->ptr, erk->len);
	}
	mindl_cbor_free(&doc);
	free(b);

	neg_all("response", "ok-", ".cbor");
	neg("response", "element-value-changed.cbor");
	neg("response", "digestid-duplicate-two-items.cbor");
	neg("response", "device-auth-mac-and-signature.cbor");
	neg("response", "iaca-in-x5chain.cbor");
	neg("response", "crit-unknown-label.cbor");
	neg("response", "mso-tdate-fraction.cbor");
	neg("response", "replay-other-session.cbor");
	neg("response", "device-mac-changed-digest-other.cbor");
	neg("response", "reader-key-digest-short.cbor");
	neg("response", "documents-two.cbor");
	neg("response", "value-type-privilege-unknown-key.cbor");
	neg("response", "portrait-value-reserved-segment.cbor");
	neg("response", "mso-signed-in-future.cbor");
	neg("request", "request.cbor");
	neg_all("request", "request-", ".cbor");
	neg_all("request", "present-", ".cbor");

	/* document: every kind of file the shared parsers read. */
	hex("annexD_D.4.1.2_device_response.hex", &b, &n);
	seed("document", "annexD_D.4.1.2_device_response.cbor", b, n);
	free(b);
	hex("annexD_D.4.1.1_device_request.hex", &b, &n);
	seed("document", "annexD_D.4.1.1_device_request.cbor", b, n);
	free(b);
	neg("document", "credential.cbor");
	neg("document", "request.cbor");
	neg("document", "ok-core-present.cbor");
	neg("document", "ok-built-signature.cbor");
	neg("document", "ok-mso-status-list.cbor");
	neg("document", "element-identifier-twice.cbor");
	neg("document", "digestid-negative.cbor");
	neg("document", "mso-status-index-not-uint.cbor");
	neg("document", "device-auth-mac-and-signature.cbor");

	/* readerauth: a mode byte, then the input (fuzz_readerauth.c). */
	readerauth_seeds();

	/* x509 and pem */
	neg_all("x509", "cert-", ".der");
	hex("annexD_iaca_root.der.hex", &b, &n);
	seed("x509", "annexD-iaca", b, n);
	free(b);
	hex("annexD_reader_root.der.hex", &b, &n);
	seed("x509", "annexD-reader-root", b, n);
	free(b);
	{
		uint8_t *der = NULL;
		size_t dl = 0;

		if (mindl_x509_read_pem(annexd("annexD_document_signer.pem"),
		    &der, &dl) != MINDL_OK)
			die("annexD_document_signer.pem", "read");
		seed("x509", "annexD-document-signer", der, dl);
		free(der);
	}
	copy("pem", "annexD-iaca.pem", annexd("annexD_iaca_root.pem"));
	copy("pem", "annexD-ds.pem", annexd("annexD_document_signer.pem"));
	neg("pem", "iaca.pem");
	neg("pem", "trust-ds-as-root.pem");
	neg("pem", "test-reader-key.pem");

	/* record: schemas/samples and the neg records. */
	{
		static const char *samples[] = { "sample-record.json",
		    "asks-expiry.json", "bad-date.json", "bad-json.json",
		    "forbidden-dhs.json", "unknown-field.json" };

		for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
			snprintf(name, sizeof(name), "schemas/samples/%s",
			    samples[i]);
			if (readf(name, &b, &n) == MINDL_OK) {
				seed("record", samples[i], b, n);
				free(b);
			}
		}
	}
	neg_all("record", "", ".json");

	/* portrait: the allow-list's cases and the sample portrait. */
	neg_all("portrait", "", ".jpg");
	copy("portrait", "sample-portrait.jpg", "schemas/samples/portrait.jpg");

	/* jpeg_decode: made here, and the sample portraits. */
	jpeg_seeds();
	neg("jpeg_decode", "ok-portrait-restart-interval.jpg");

	/* schema: selector byte, then the file (see fuzz_schema.c). */
	for (i = 0; i < mindl_schema_nfiles; i++) {
		uint8_t *s = malloc(mindl_schema_files[i].len + 1);

		if (s == NULL)
			die("schema", "out of memory");
		s[0] = (uint8_t)i;
		memcpy(s + 1, mindl_schema_files[i].data,
		    mindl_schema_files[i].len);
		seed("schema", mindl_schema_files[i].name, s,
		    mindl_schema_files[i].len + 1);
		free(s);
	}
	renewal_seeds();
	fprintf(stderr, "mkseeds: %d seeds\n", nseeds);
	return 0;
}
