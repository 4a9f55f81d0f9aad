/*
 * make bench: throughput figures measured in one run, each beside the raw
 * OpenSSL operation it is built on, so that the ratio means something on a
 * noisy machine.  Never part of make test.
 *
 *   verify (signature): a DeviceResponse with 3 disclosed elements and
 *     deviceSignature costs 2 ECDSA verifications (MSO, device);
 *   verify (mac): 1 ECDSA verification + 1 ECDH;
 *   issue: 1 ECDSA signature (+ 64 SHA-256 digests and the encoding).
 * The DS chain is verified once and then cached per trust store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "mindl/mindl.h"

#define T0	1795000000

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs fn until `secs` have passed; returns operations per second. */
#define RATE(secs, stmt) ({						\
	double t0_ = now_s(), t_;					\
	long n_ = 0;							\
	do {								\
		for (int k_ = 0; k_ < 16; k_++) { stmt; }		\
		n_ += 16;						\
	} while ((t_ = now_s() - t0_) < (secs));			\
	(double)n_ / t_;						\
})

static void
die(const char *what, int r)
{
	fprintf(stderr, "bench: %s: %s\n", what, mindl_errname(r));
	exit(3);
}

/* A request for exactly three elements (identity profile allows them). */
static uint8_t *
three_element_request(const struct mindl_key *erk, size_t *len)
{
	struct mindl_enc e;
	uint8_t *k = NULL, *items = NULL, *out = NULL;
	size_t kl = 0, il = 0;

	mindl_enc_init(&e, 4096);
	mindl_cose_key_write(&e, erk);
	if (mindl_enc_finish(&e, &k, &kl) != MINDL_OK)
		die("erk", -1);
	mindl_enc_init(&e, 4096);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "docType");
	mindl_enc_tstr(&e, MINDL_DOCTYPE_MDL);
	mindl_enc_tstr(&e, "nameSpaces");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, MINDL_NS_ISO);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "family_name");
	mindl_enc_bool(&e, 0);
	mindl_enc_tstr(&e, "given_name");
	mindl_enc_bool(&e, 0);
	mindl_enc_tstr(&e, "document_number");
	mindl_enc_bool(&e, 0);
	mindl_enc_tstr(&e, "requestInfo");
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "mindl.profile");
	mindl_enc_tstr(&e, "identity");
	if (mindl_enc_finish(&e, &items, &il) != MINDL_OK)
		die("items", -1);
	mindl_enc_init(&e, 8192);
	mindl_enc_map(&e, 3);
	mindl_enc_tstr(&e, "v");
	mindl_enc_uint(&e, 1);
	mindl_enc_tstr(&e, "eReaderKey");
	mindl_enc_bstr(&e, k, kl);
	mindl_enc_tstr(&e, "deviceRequest");
	mindl_enc_map(&e, 2);
	mindl_enc_tstr(&e, "version");
	mindl_enc_tstr(&e, "1.0");
	mindl_enc_tstr(&e, "docRequests");
	mindl_enc_array(&e, 1);
	mindl_enc_map(&e, 1);
	mindl_enc_tstr(&e, "itemsRequest");
	mindl_enc_embedded(&e, items, il);
	if (mindl_enc_finish(&e, &out, len) != MINDL_OK)
		die("request", -1);
	free(k);
	free(items);
	return out;
}

int
main(int argc, char **argv)
{
	static const char record[] =
	    "{\"family_name\": \"Rivera Quispe\", \"given_name\": \"Ana\","
	    " \"birth_date\": \"1990-02-28\", \"document_number\": \"SS7Q4M\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"D\"}]}";
	static const uint8_t port[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0, 0xff,
	    0xd9 };
	struct mindl_iaca_params ip = { "US", "SS", "Bench IACA",
	    "mailto:b@example.invalid", T0 - 86400, 3650 };
	struct mindl_ds_params dp = { NULL, T0 - 86400, 365 };
	struct mindl_schema *s = NULL;
	struct mindl_key *iaca = NULL, *ds = NULL, *dev = NULL, *rk = NULL;
	struct mindl_trust *trust = NULL;
	struct mindl_record *rec = NULL;
	struct mindl_request *req = NULL;
	struct mindl_verified *v = NULL;
	struct mindl_issue_params p;
	uint8_t *iacader = NULL, *dsder = NULL, *cred = NULL, *rq, *rs[2];
	size_t il = 0, dl = 0, cl = 0, rql = 0, rsl[2] = { 0, 0 };
	uint8_t msg[32] = { 1 }, sig[72], z[32];
	size_t siglen = sizeof(sig), zl;
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	double ecdsa_v, ecdsa_s, ecdh, ver_sig, ver_mac, iss;
	EVP_PKEY *pk = NULL, *pk2 = NULL;
	EVP_MD_CTX *ctx;
	EVP_PKEY_CTX *dctx;
	char err[256];
	int r, i;

	if ((r = mindl_schema_builtin(&s)) != MINDL_OK ||
	    (r = mindl_key_generate(&iaca)) != MINDL_OK ||
	    (r = mindl_key_generate(&ds)) != MINDL_OK ||
	    (r = mindl_key_generate(&dev)) != MINDL_OK ||
	    (r = mindl_key_generate(&rk)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(iaca, &ip, &iacader, &il)) != MINDL_OK ||
	    (r = mindl_x509_make_ds(iaca, iacader, il, ds, &dp, &dsder,
	    &dl)) != MINDL_OK ||
	    (r = mindl_trust_new(&trust)) != MINDL_OK ||
	    (r = mindl_trust_add_der(trust, iacader, il)) != MINDL_OK ||
	    (r = mindl_record_parse(s, record, strlen(record), port,
	    sizeof(port), T0, &rec, err, sizeof(err))) != MINDL_OK)
		die("setup", r);
	memset(&p, 0, sizeof(p));
	p.record = rec;
	p.policy = mindl_schema_policy(s);
	p.ds_key = ds;
	p.ds_cert = dsder;
	p.ds_certlen = dl;
	p.device_pub = dev;
	p.now = T0;
	if ((r = mindl_mdoc_issue(&p, &cred, &cl)) != MINDL_OK)
		die("issue", r);
	rq = three_element_request(rk, &rql);
	if ((r = mindl_request_parse(rq, rql, &req)) != MINDL_OK)
		die("request", r);
	for (i = 0; i < 2; i++)
		if ((r = mindl_present(cred, cl, dev, req, s,
		    i == 0 ? MINDL_DEVAUTH_SIGNATURE : MINDL_DEVAUTH_MAC,
		    &rs[i], &rsl[i], NULL)) != MINDL_OK)
			die("present", r);
	if ((r = mindl_verify_response(trust, T0 + 60, req, rk, rs[0], rsl[0],
	    &v)) != MINDL_OK || mindl_verified_count(v) != 3)
		die("verify", r);
	mindl_verified_free(&v);

	/* Raw OpenSSL on the same curve, in the same process. */
	pk = EVP_EC_gen("P-256");
	pk2 = EVP_EC_gen("P-256");
	ctx = EVP_MD_CTX_new();
	EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, pk);
	EVP_DigestSign(ctx, sig, &siglen, msg, sizeof(msg));
	EVP_MD_CTX_free(ctx);
	ecdsa_v = RATE(secs, {
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		EVP_DigestVerifyInit(c, NULL, EVP_sha256(), NULL, pk);
		if (EVP_DigestVerify(c, sig, siglen, msg, sizeof(msg)) != 1)
			die("raw verify", -1);
		EVP_MD_CTX_free(c);
	});
	ecdsa_s = RATE(secs, {
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		size_t sl = sizeof(sig);
		EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, pk);
		EVP_DigestSign(c, sig, &sl, msg, sizeof(msg));
		EVP_MD_CTX_free(c);
	});
	ecdh = RATE(secs, {
		dctx = EVP_PKEY_CTX_new(pk, NULL);
		zl = sizeof(z);
		EVP_PKEY_derive_init(dctx);
		EVP_PKEY_derive_set_peer(dctx, pk2);
		EVP_PKEY_derive(dctx, z, &zl);
		EVP_PKEY_CTX_free(dctx);
	});
	ver_sig = RATE(secs, {
		if (mindl_verify_response(trust, T0 + 60, req, rk, rs[0],
		    rsl[0], &v) != MINDL_OK)
			die("verify", -1);
		mindl_verified_free(&v);
	});
	ver_mac = RATE(secs, {
		if (mindl_verify_response(trust, T0 + 60, req, rk, rs[1],
		    rsl[1], &v) != MINDL_OK)
			die("verify", -1);
		mindl_verified_free(&v);
	});
	iss = RATE(secs, {
		uint8_t *c2 = NULL;
		size_t c2l = 0;
		if (mindl_mdoc_issue(&p, &c2, &c2l) != MINDL_OK)
			die("issue", -1);
		free(c2);
	});
	printf("raw OpenSSL P-256 ECDSA verify     %10.0f /s\n", ecdsa_v);
	printf("raw OpenSSL P-256 ECDSA sign       %10.0f /s\n", ecdsa_s);
	printf("raw OpenSSL P-256 ECDH             %10.0f /s\n", ecdh);
	printf("verify DeviceResponse (signature)  %10.0f /s  "
	    "cost %.2fx of its 2 ECDSA verifies\n", ver_sig,
	    (1.0 / ver_sig) / (2.0 / ecdsa_v));
	printf("verify DeviceResponse (mac)        %10.0f /s  "
	    "cost %.2fx of 1 ECDSA verify + 1 ECDH\n", ver_mac,
	    (1.0 / ver_mac) / (1.0 / ecdsa_v + 1.0 / ecdh));
	printf("issue credential                   %10.0f /s  "
	    "cost %.2fx of 1 ECDSA sign\n", iss, (1.0 / iss) / (1.0 / ecdsa_s));
	EVP_PKEY_free(pk);
	EVP_PKEY_free(pk2);
	free(rq);
	free(rs[0]);
	free(rs[1]);
	free(cred);
	free(iacader);
	free(dsder);
	mindl_request_free(&req);
	mindl_record_free(&rec);
	mindl_trust_free(&trust);
	mindl_schema_free(&s);
	mindl_key_free(&iaca);
	mindl_key_free(&ds);
	mindl_key_free(&dev);
	mindl_key_free(&rk);
	return 0;
}
