/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Hostile text for tests/cli/hostile.sh: files whose names, identifiers,
 * values and certificate subjects carry what could drive a terminal or
 * mislead a reader (ESC sequences, C1 controls, bidirectional overrides,
 * line breaks, bells), each made valid enough to reach a tool's output;
 * and a checker for what the tools print.
 *
 *   hostile make DIR   writes, with keys made here (never used elsewhere):
 *     iaca.pem, ds.key, ds.pem       a test IACA and document signer
 *     device.key, device.pub         a holder key
 *     cred                           a credential for it (ordinary values)
 *     hostile.req, hostile.req.key   an age-21 request that also asks
 *                                    for elements with hostile names
 *     hostile.dr, hostile.st,        a DeviceResponse signed by the DS,
 *     reader.key                     disclosing hostile names and values,
 *                                    its SessionTranscriptBytes, and the
 *                                    reader key for its deviceMac
 *     hostile-cert.pem               a certificate with a hostile subject
 *     hostile.json                   a record with a hostile field name
 *     portrait.jpg, at               a portrait; the verification time
 *   hostile check FILE...  exit 1 if a file holds a byte a terminal could
 *                          act on: C0 other than newline and tab, DEL,
 *                          bytes that are not UTF-8, C1, bidi and format
 *                          characters (the escaper's list)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "mindl/mindl.h"
#include "internal.h"
#include "../common/testfx.h"

#define NS_ISO		"org.iso.18013.5.1"
#define AT		(TEST_T0 + 3600)

/* ESC clear-screen, C1 CSI, RLO, LRI, a bell, a line feed, ZWSP. */
#define H_ESC		"\x1b[2J\x1b[31mVALID"
#define H_C1		"\xc2\x9b" "31mx"
#define H_RLO		"abc\xe2\x80\xae" "dcba"
#define H_LRI		"\xe2\x81\xa6" "iso"
#define H_BELL		"ring\x07\x07"
#define H_NL		"line\nVALID: forged"
#define H_ZW		"zero\xe2\x80\x8bwidth"

static const char *const hostile[] = {
	H_ESC, H_C1, H_RLO, H_LRI, H_BELL, H_NL, H_ZW,
};
#define NHOSTILE	(sizeof(hostile) / sizeof(hostile[0]))

static void die(const char *, int) __attribute__((noreturn));

static void
die(const char *what, int r)
{
	fprintf(stderr, "hostile: %s: %s\n", what, mindl_errname(r));
	exit(1);
}

static void
put(const char *dir, const char *name, const uint8_t *p, size_t n)
{
	char path[1024];
	int r;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((r = mindl_file_write(path, p, n, MINDL_FILE_EXCL)) != MINDL_OK)
		die(path, r);
}

static const char *
path_in(const char *dir, const char *name)
{
	static char path[1024];

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

static void
key_pem(const char *dir, const char *name, const struct mindl_key *k,
    int priv)
{
	int r;

	r = priv ? mindl_key_write_private_pem(path_in(dir, name), k, NULL) :
	    mindl_key_write_public_pem(path_in(dir, name), k);
	if (r != MINDL_OK)
		die(name, r);
}

/* An age-21 request that also asks for hostile names, in two namespaces. */
static void
make_request(const char *dir, const struct test_fx *fx)
{
	struct mindl_enc e;
	uint8_t *erk = NULL, *items = NULL, *out = NULL;
	size_t erklen = 0, itemslen = 0, outlen = 0, i;
	int r;

	mindl_enc_init(&e, 4096);
	if ((r = mindl_cose_key_write(&e, fx->reader_key)) != MINDL_OK ||
	    (r = mindl_enc_finish(&e, &erk, &erklen)) != MINDL_OK)
		die("request", r);
	mindl_enc_init(&e, 65536);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, NS_ISO);
	mindl_enc_map(&e, 1 + NHOSTILE);
	mindl_enc_tstr(&e, "age_over_21");
	mindl_enc_bool(&e, 0);
	for (i = 0; i < NHOSTILE; i++) {
		mindl_enc_tstr(&e, hostile[i]);
		mindl_enc_bool(&e, 1);
	}
	mindl_enc_tstr(&e, H_RLO);
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, H_ESC);
	mindl_enc_bool(&e, 0);
	mindl_enc_tstr(&e, "requestInfo");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "mindl.profile");
	mindl_enc_tstr(&e, "age-21");
	if ((r = mindl_enc_finish(&e, &items, &itemslen)) != MINDL_OK)
		die("request", r);
	if ((r = mindl_request_wrap(erk, erklen, items, itemslen, &out,
	    &outlen)) != MINDL_OK)
		die("request", r);
	put(dir, "hostile.req", out, outlen);
	key_pem(dir, "hostile.req.key", fx->reader_key, 1);
	free(erk);
	free(items);
	free(out);
}

/* IssuerSignedItemBytes of a tstr element. */
static void
make_item(uint32_t id, const char *name, const char *value, uint8_t **out,
    size_t *outlen)
{
	struct mindl_enc e;
	uint8_t salt[MINDL_SALT_LEN], *inner = NULL;
	size_t innerlen = 0;
	int r;

	if ((r = mindl_random(salt, sizeof(salt))) != MINDL_OK)
		die("salt", r);
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 4);
	mindl_enc_tstr(&e, "digestID");
	mindl_enc_uint(&e, id);
	mindl_enc_tstr(&e, "random");
	mindl_enc_bstr(&e, salt, sizeof(salt));
	mindl_enc_tstr(&e, "elementIdentifier");
	mindl_enc_tstr(&e, name);
	mindl_enc_tstr(&e, "elementValue");
	mindl_enc_tstr(&e, value);
	if ((r = mindl_enc_finish(&e, &inner, &innerlen)) != MINDL_OK)
		die("item", r);
	mindl_enc_init(&e, 4096);
	mindl_enc_embedded(&e, inner, innerlen);
	free(inner);
	if ((r = mindl_enc_finish(&e, out, outlen)) != MINDL_OK)
		die("item", r);
}

static void
tdate(struct mindl_enc *e, int64_t t)
{
	char buf[MINDL_TDATE_LEN + 1];

	if (mindl_tdate_format(t, buf) != MINDL_OK)
		die("tdate", MINDL_ERR_DATE);
	mindl_enc_tag(e, 0);
	mindl_enc_tstr(e, buf);
}

/*
 * A DeviceResponse whose one document discloses, under the ISO namespace,
 * family_name with a hostile value and each hostile name with a hostile
 * value; and one element under a hostile namespace.  Signed by the DS,
 * MACed for the reader key over a session of our own.
 */
static void
make_response(const char *dir, const struct test_fx *fx)
{
	enum { N = NHOSTILE + 2 };
	struct mindl_devauth_params dp;
	struct mindl_signer ds;
	struct mindl_enc e;
	const char *names[N], *values[N];
	uint8_t *items[N], *mso = NULL, *msob = NULL, *erk = NULL, *de = NULL;
	uint8_t *st = NULL, *out = NULL, *isb = NULL, h[MINDL_SHA256_LEN];
	size_t lens[N], msolen = 0, msoblen = 0, erklen = 0, delen = 0;
	size_t stlen = 0, outlen = 0, isblen = 0, i;
	int r;

	/* The last under the hostile namespace, the others under ISO's. */
	for (i = 0; i < NHOSTILE; i++) {
		names[i] = hostile[i];
		values[i] = hostile[(i + 1) % NHOSTILE];
	}
	names[NHOSTILE] = "family_name";
	values[NHOSTILE] = H_ESC;
	names[NHOSTILE + 1] = "given_name";
	values[NHOSTILE + 1] = H_C1;
	for (i = 0; i < N; i++)
		make_item((uint32_t)(0x10000 + i), names[i], values[i],
		    &items[i], &lens[i]);

	mindl_enc_init(&e, 65536);
	mindl_enc_map(&e, 6);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_tstr(&e, "digestAlgorithm");
	mindl_enc_tstr(&e, "SHA-256");
	mindl_enc_tstr(&e, "valueDigests");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, NS_ISO);
	mindl_enc_map(&e, N - 1);
	for (i = 0; i < N - 1; i++) {
		if ((r = mindl_sha256(items[i], lens[i], h)) != MINDL_OK)
			die("digest", r);
		mindl_enc_uint(&e, 0x10000 + i);
		mindl_enc_bstr(&e, h, sizeof(h));
	}
	mindl_enc_tstr(&e, H_RLO);
	mindl_enc_map(&e, 1);
	if ((r = mindl_sha256(items[N - 1], lens[N - 1], h)) != MINDL_OK)
		die("digest", r);
	mindl_enc_uint(&e, 0x10000 + N - 1);
	mindl_enc_bstr(&e, h, sizeof(h));
	mindl_enc_tstr(&e, "deviceKeyInfo");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "deviceKey");
	if ((r = mindl_cose_key_write(&e, fx->dev_key)) != MINDL_OK)
		die("mso", r);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "validityInfo");
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "signed");
	tdate(&e, TEST_T0 - TEST_T0 % 86400);
	mindl_enc_tstr(&e, "validFrom");
	tdate(&e, TEST_T0 - TEST_T0 % 86400);
	mindl_enc_tstr(&e, "validUntil");
	tdate(&e, TEST_T0 + 30 * 86400);
	if ((r = mindl_enc_finish(&e, &mso, &msolen)) != MINDL_OK)
		die("mso", r);
	mindl_enc_init(&e, 65536);
	mindl_enc_embedded(&e, mso, msolen);
	if ((r = mindl_enc_finish(&e, &msob, &msoblen)) != MINDL_OK)
		die("mso", r);

	/* A session: our engagement and the reader's key. */
	mindl_enc_init(&e, 4096);
	if ((r = mindl_cose_key_write(&e, fx->reader_key)) != MINDL_OK ||
	    (r = mindl_enc_finish(&e, &erk, &erklen)) != MINDL_OK)
		die("reader key", r);
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 1);
	mindl_enc_uint(&e, 0);
	mindl_enc_tstr(&e, "1.0");
	if ((r = mindl_enc_finish(&e, &de, &delen)) != MINDL_OK ||
	    (r = mindl_transcript_bytes(de, delen, erk, erklen, &st,
	    &stlen)) != MINDL_OK)
		die("transcript", r);

	if ((r = mindl_signer_key(&ds, fx->ds_key)) != MINDL_OK)
		die("signer", r);
	memset(&dp, 0, sizeof(dp));
	dp.auth = MINDL_DEVAUTH_MAC;
	dp.device_key = fx->dev_key;
	dp.ereader = fx->reader_key;
	/* IssuerSigned, for the response and for a credential file. */
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, NS_ISO);
	mindl_enc_array(&e, N - 1);
	for (i = 0; i < N - 1; i++)
		mindl_enc_raw(&e, items[i], lens[i]);
	mindl_enc_tstr(&e, H_RLO);
	mindl_enc_array(&e, 1);
	mindl_enc_raw(&e, items[N - 1], lens[N - 1]);
	mindl_enc_tstr(&e, "issuerAuth");
	if ((r = mindl_cose_sign1_write(&e, &ds, msob, msoblen, 0, fx->ds,
	    fx->dslen)) != MINDL_OK ||
	    (r = mindl_enc_finish(&e, &isb, &isblen)) != MINDL_OK)
		die("issuerSigned", r);
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	mindl_enc_array(&e, 1);
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "issuerSigned");
	mindl_enc_raw(&e, isb, isblen);
	if ((r = mindl_enc_finish(&e, &out, &outlen)) != MINDL_OK)
		die("credential", r);
	put(dir, "hostile.cred", out, outlen);
	free(out);
	mindl_enc_init(&e, MINDL_MAX_INPUT);
	test_device_response_open(&e);
	mindl_enc_raw(&e, isb, isblen);
	mindl_enc_tstr(&e, "deviceSigned");
	if ((r = mindl_device_signed_write(&e, &dp, MINDL_DOCTYPE_MDL, st,
	    stlen)) != MINDL_OK)
		die("deviceSigned", r);
	if ((r = mindl_enc_finish(&e, &out, &outlen)) != MINDL_OK)
		die("response", r);
	put(dir, "hostile.dr", out, outlen);
	put(dir, "hostile.st", st, stlen);
	key_pem(dir, "reader.key", fx->reader_key, 1);
	for (i = 0; i < N; i++)
		free(items[i]);
	free(isb);
	free(mso);
	free(msob);
	free(erk);
	free(de);
	free(st);
	free(out);
}

/* A self-signed certificate whose subject and issuer are hostile. */
static void
make_cert(const char *dir, const struct test_fx *fx)
{
	static const char cn[] = "IACA " H_ESC " " H_RLO " " H_NL;
	X509 *x = NULL;
	X509_NAME *n = NULL;
	EVP_PKEY *pk = mindl_key_evp(fx->iaca_key);
	FILE *f = NULL;

	if ((x = X509_new()) == NULL || (n = X509_NAME_new()) == NULL ||
	    X509_set_version(x, 2) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), 1) != 1 ||
	    X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0) != 1 ||
	    X509_set_subject_name(x, n) != 1 ||
	    X509_set_issuer_name(x, n) != 1 ||
	    X509_gmtime_adj(X509_getm_notBefore(x), 0) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(x), 86400) == NULL ||
	    X509_set_pubkey(x, pk) != 1 ||
	    X509_sign(x, pk, EVP_sha256()) == 0 ||
	    (f = fopen(path_in(dir, "hostile-cert.pem"), "wx")) == NULL)
		die("certificate", MINDL_ERR_CRYPTO);
	if (PEM_write_X509(f, x) != 1 || fclose(f) != 0)
		die("certificate", MINDL_ERR_IO);
	X509_NAME_free(n);
	X509_free(x);
}

static int
cmd_make(const char *dir)
{
	static const char record[] = "{\"family_name\": \"Doe\", "
	    "\"given_name\": \"Alex\", \"birth_date\": \"1990-04-15\", "
	    "\"document_number\": \"D1234567\", \"driving_privileges\": "
	    "[{\"vehicle_category_code\": \"C\"}], "
	    "\"x\\u001b[2J\\u009b31m\\u202eevil\": 1}";
	struct test_fx fx;
	char at[MINDL_TDATE_LEN + 1];
	uint8_t *cred = NULL;
	size_t credlen = 0;
	int r;

	if ((r = test_fx_setup(&fx)) != MINDL_OK)
		die("fixture", r);
	if ((r = mindl_x509_write_pem(path_in(dir, "iaca.pem"), fx.iaca,
	    fx.iacalen)) != MINDL_OK ||
	    (r = mindl_x509_write_pem(path_in(dir, "ds.pem"), fx.ds,
	    fx.dslen)) != MINDL_OK)
		die("certificates", r);
	key_pem(dir, "ds.key", fx.ds_key, 1);
	key_pem(dir, "device.key", fx.dev_key, 1);
	key_pem(dir, "device.pub", fx.dev_key, 0);
	if ((r = test_fx_issue(&fx, NULL, &cred, &credlen, NULL)) != MINDL_OK)
		die("credential", r);
	put(dir, "cred", cred, credlen);
	put(dir, "hostile.json", (const uint8_t *)record, strlen(record));
	put(dir, "portrait.jpg", test_fx_portrait, sizeof(test_fx_portrait));
	if ((r = mindl_tdate_format(AT, at)) != MINDL_OK)
		die("at", r);
	put(dir, "at", (const uint8_t *)at, strlen(at));
	make_request(dir, &fx);
	make_response(dir, &fx);
	make_cert(dir, &fx);
	free(cred);
	test_fx_free(&fx);
	return 0;
}

/* Code points the escaper never lets through (mindl/buf.h). */
static int
bad_cp(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x180e ||
	    (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2060 && c <= 0x206f) || c == 0xfeff ||
	    (c >= 0xfff9 && c <= 0xfffb);
}

static int
check_file(const char *path)
{
	uint8_t *b = NULL;
	size_t n = 0, i, k;
	uint32_t c;
	int r, bad = 0;

	if ((r = mindl_file_read(path, 64u * 1024 * 1024, &b, &n)) !=
	    MINDL_OK)
		die(path, r);
	for (i = 0; i < n && !bad; i += k) {
		k = 1;
		if (b[i] < 0x80)
			bad = (b[i] < 0x20 && b[i] != '\n' && b[i] != '\t') ||
			    b[i] == 0x7f;
		else if ((k = mindl_utf8_len(b + i, n - i, &c)) == 0) {
			bad = 1;
			k = 1;
		} else
			bad = bad_cp(c);
		if (bad)
			fprintf(stderr, "hostile: %s: raw byte 0x%02x at "
			    "offset %zu\n", path, b[i], i);
	}
	free(b);
	return bad;
}

int
main(int argc, char **argv)
{
	int i, bad = 0;

	if (argc == 3 && strcmp(argv[1], "make") == 0)
		return cmd_make(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "check") == 0) {
		for (i = 2; i < argc; i++)
			bad |= check_file(argv[i]);
		return bad;
	}
	fprintf(stderr, "usage: hostile make DIR | hostile check FILE...\n");
	return 2;
}
