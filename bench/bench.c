/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench: throughput figures measured in one run, each beside the raw
 * OpenSSL operation it is built on, so that the ratio means something on a
 * noisy machine.  Never part of make test.
 *
 *   verify (signature): a DeviceResponse with 3 disclosed elements and
 *     deviceSignature costs 2 ECDSA verifications (MSO, device);
 *   verify (mac): 1 ECDSA verification + 1 ECDH;
 *   issue: 1 ECDSA signature (+ 64 SHA-256 digests and the encoding);
 *     its cryptography alone (raw-issue): the DRBG output for 64 digestIDs
 *     and 64 salts or decoy preimages in one call, 18 SHA-256 over
 *     114-byte items and 46 over 32-byte decoy preimages (the bench
 *     credential's shape), SHA-256 over the 2.9 KB Sig_structure and one
 *     ECDSA signature.
 * The DS chain is verified once and then cached per trust store.
 *
 * The raw baselines are the cheapest correct use of OpenSSL 3 for each
 * operation with the key already parsed: the EVP_PKEY_CTX is initialised
 * once, and each operation hashes its 32-byte message (EVP_Digest with a
 * fetched SHA-256) and calls EVP_PKEY_verify / EVP_PKEY_sign; ECDH sets
 * the peer without OpenSSL's full public-key check
 * (EVP_PKEY_derive_set_peer_ex(..., 0)): that check is one more scalar
 * multiplication (n * Q), which a P-256 point that was checked to be on
 * the curve when it was imported does not need (cofactor 1), and which
 * EVP_PKEY_derive_set_peer() would otherwise add to the baseline.
 *
 * Rates are operations per second of this thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID), and the six operations are measured in
 * interleaved batches of about 2 ms each until every one has had its
 * `seconds', so that other load on the machine (which still slows each
 * instruction) weighs on all of them alike.
 *
 * usage: bench [seconds]            all figures, `seconds' per operation
 *        bench seconds op count     only `op' (verify-sig, verify-mac,
 *                                   issue, raw-verify, raw-sign, raw-ecdh,
 *                                   raw-issue),
 *                                   `count' times: for callgrind or perf
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "mindl/mindl.h"
#include "../tests/common/testlib.h"

#define T0	1795000000

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
	if (mindl_request_wrap(k, kl, items, il, &out, len) != MINDL_OK)
		die("request", -1);
	free(k);
	free(items);
	return out;
}

/* Everything the measured operations use, set up once. */
struct bench {
	struct mindl_trust	*trust;
	const struct mindl_schema *schema;
	struct mindl_request	*req;
	struct mindl_key	*rk;
	struct mindl_issue_params p;
	struct mindl_signer	 ds;
	uint8_t			*rs[2];
	size_t			 rsl[2];
	EVP_MD			*sha256;
	EVP_MD_CTX		*mdctx;
	EVP_PKEY_CTX		*vctx, *sctx, *dctx;
	EVP_PKEY		*peer;
	uint8_t			 msg[32];
	uint8_t			 sig[80];
	size_t			 siglen;
};

static void
op_verify(struct bench *b, int i)
{
	struct mindl_verified *v = NULL;
	int r;

	if ((r = mindl_verify_response(b->trust, b->schema, T0 + 60, b->req,
	    b->rk, b->rs[i], b->rsl[i], &v)) != MINDL_OK)
		die("verify", r);
	mindl_verified_free(&v);
}

static void
op_verify_sig(struct bench *b)
{
	op_verify(b, 0);
}

static void
op_verify_mac(struct bench *b)
{
	op_verify(b, 1);
}

static void
op_issue(struct bench *b)
{
	struct mindl_buf c;
	int r;

	mindl_buf_init(&c, MINDL_MAX_INPUT);
	if ((r = mindl_mdoc_issue(&b->p, &c, NULL)) != MINDL_OK)
		die("issue", r);
	mindl_buf_clear(&c);
}

static void
op_raw_verify(struct bench *b)
{
	uint8_t h[32];
	unsigned int hl = 0;

	if (EVP_Digest(b->msg, sizeof(b->msg), h, &hl, b->sha256,
	    NULL) != 1 ||
	    EVP_PKEY_verify(b->vctx, b->sig, b->siglen, h, hl) != 1)
		die("raw verify", -1);
}

static void
op_raw_sign(struct bench *b)
{
	uint8_t h[32], sig[80];
	unsigned int hl = 0;
	size_t sl = sizeof(sig);

	if (EVP_Digest(b->msg, sizeof(b->msg), h, &hl, b->sha256,
	    NULL) != 1 ||
	    EVP_PKEY_sign(b->sctx, sig, &sl, h, hl) != 1)
		die("raw sign", -1);
}

static void
op_raw_ecdh(struct bench *b)
{
	uint8_t z[32];
	size_t zl = sizeof(z);

	if (EVP_PKEY_derive_set_peer_ex(b->dctx, b->peer, 0) != 1 ||
	    EVP_PKEY_derive(b->dctx, z, &zl) != 1 || zl != sizeof(z))
		die("raw ecdh", -1);
}

enum { OP_VERIFY_SIG, OP_VERIFY_MAC, OP_ISSUE, OP_RAW_VERIFY, OP_RAW_SIGN,
    OP_RAW_ECDH, OP_RAW_ISSUE, NOPS };

static void
op_raw_issue(struct bench *b)
{
	static uint8_t buf[2900];
	uint8_t h[32], sig[80];
	unsigned int hl = 0;
	size_t sl = sizeof(sig), i;

	if (RAND_bytes(buf, 64 * (4 + 32)) != 1)
		die("raw issue", -1);
	for (i = 0; i < 64; i++)
		if (EVP_DigestInit_ex2(b->mdctx, b->sha256, NULL) != 1 ||
		    EVP_DigestUpdate(b->mdctx, buf + i, i < 18 ? 114 : 32) !=
		    1 || EVP_DigestFinal_ex(b->mdctx, h, &hl) != 1)
			die("raw issue", -1);
	if (EVP_Digest(buf, sizeof(buf), h, &hl, b->sha256, NULL) != 1 ||
	    EVP_PKEY_sign(b->sctx, sig, &sl, h, hl) != 1)
		die("raw issue", -1);
}

static const struct {
	const char	*name;
	void		(*fn)(struct bench *);
} ops[NOPS] = {
	{ "verify-sig", op_verify_sig },
	{ "verify-mac", op_verify_mac },
	{ "issue", op_issue },
	{ "raw-verify", op_raw_verify },
	{ "raw-sign", op_raw_sign },
	{ "raw-ecdh", op_raw_ecdh },
	{ "raw-issue", op_raw_issue },
};

/*
 * Operations per CPU-second of each op, run round-robin in batches sized
 * to about 2 ms until each has run for `secs'.
 */
static void
rates(struct bench *b, double secs, double rate[NOPS])
{
	double spent[NOPS], t0, dt;
	long done[NOPS], batch[NOPS];
	int k, more;
	long j;

	for (k = 0; k < NOPS; k++) {
		spent[k] = 0;
		done[k] = 0;
		batch[k] = 1;
	}
	do {
		more = 0;
		for (k = 0; k < NOPS; k++) {
			t0 = now_s();
			for (j = 0; j < batch[k]; j++)
				ops[k].fn(b);
			dt = now_s() - t0;
			spent[k] += dt;
			done[k] += batch[k];
			if (dt < 0.001 && batch[k] < (1L << 20))
				batch[k] *= 2;
			else if (dt > 0.004 && batch[k] > 1)
				batch[k] /= 2;
			more |= spent[k] < secs;
		}
	} while (more);
	for (k = 0; k < NOPS; k++)
		rate[k] = (double)done[k] / spent[k];
}

int
main(int argc, char **argv)
{
	static const char record[] =
	    "{\"family_name\": \"Rivera Quispe\", \"given_name\": \"Ana\","
	    " \"birth_date\": \"1990-02-28\", \"document_number\": \"SS7Q4M\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"D\"}]}";
	struct mindl_iaca_params ip = { "US", "SS", "Bench IACA",
	    "mailto:b@example.invalid", T0 - 86400, 3650 };
	struct mindl_ds_params dp = { NULL, T0 - 86400, 365 };
	struct bench b;
	struct mindl_schema *s = NULL;
	struct mindl_key *iaca = NULL, *ds = NULL, *dev = NULL;
	struct mindl_record *rec = NULL;
	struct mindl_verified *v = NULL;
	uint8_t *iacader = NULL, *dsder = NULL, *cred = NULL, *rq;
	uint8_t h[32];
	unsigned int hl = 0;
	size_t il = 0, dl = 0, cl = 0, rql = 0, n, k;
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	double ecdsa_v, ecdsa_s, ecdh, ver_sig, ver_mac, iss, riss, rate[NOPS];
	EVP_PKEY *pk = NULL;
	char err[256];
	int r, i;

	memset(&b, 0, sizeof(b));
	if ((r = mindl_schema_builtin(&s)) != MINDL_OK ||
	    (r = mindl_key_generate(&iaca)) != MINDL_OK ||
	    (r = mindl_key_generate(&ds)) != MINDL_OK ||
	    (r = mindl_key_generate(&dev)) != MINDL_OK ||
	    (r = mindl_key_generate(&b.rk)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(iaca, &ip, &iacader, &il)) != MINDL_OK ||
	    (r = mindl_x509_make_ds(iaca, iacader, il, ds, &dp, &dsder,
	    &dl)) != MINDL_OK ||
	    (r = mindl_trust_new(&b.trust)) != MINDL_OK ||
	    (r = mindl_trust_add_der(b.trust, iacader, il)) != MINDL_OK ||
	    (r = mindl_record_parse(s, record, strlen(record), test_jpeg,
	    sizeof(test_jpeg), T0, &rec, err, sizeof(err))) != MINDL_OK)
		die("setup", r);
	b.p.record = rec;
	b.p.policy = mindl_schema_policy(s);
	b.schema = s;
	b.p.ds_cert = dsder;
	b.p.ds_certlen = dl;
	b.p.device_pub = dev;
	b.p.now = T0;
	if ((r = test_issue(&b.p, ds, &cred, &cl, NULL)) != MINDL_OK ||
	    (r = mindl_signer_key(&b.ds, ds)) != MINDL_OK)
		die("issue", r);
	b.p.ds = &b.ds;
	rq = three_element_request(b.rk, &rql);
	if ((r = mindl_request_parse(rq, rql, &b.req)) != MINDL_OK)
		die("request", r);
	for (i = 0; i < 2; i++)
		if ((r = test_present(cred, cl, dev, b.req, s,
		    i == 0 ? MINDL_DEVAUTH_SIGNATURE : MINDL_DEVAUTH_MAC,
		    &b.rs[i], &b.rsl[i], NULL)) != MINDL_OK)
			die("present", r);
	for (i = 0; i < 2; i++) {
		if ((r = mindl_verify_response(b.trust, s, T0 + 60, b.req, b.rk,
		    b.rs[i], b.rsl[i], &v)) != MINDL_OK ||
		    mindl_verified_count(v) != 3)
			die("verify", r);
		mindl_verified_free(&v);
	}

	/* Raw OpenSSL on the same curve, in the same process. */
	memset(b.msg, 1, sizeof(b.msg));
	b.siglen = sizeof(b.sig);
	if ((pk = EVP_EC_gen("P-256")) == NULL ||
	    (b.peer = EVP_EC_gen("P-256")) == NULL ||
	    (b.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL ||
	    (b.mdctx = EVP_MD_CTX_new()) == NULL ||
	    (b.vctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL)) == NULL ||
	    (b.sctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL)) == NULL ||
	    (b.dctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL)) == NULL ||
	    EVP_PKEY_verify_init(b.vctx) != 1 ||
	    EVP_PKEY_sign_init(b.sctx) != 1 ||
	    EVP_PKEY_derive_init(b.dctx) != 1 ||
	    EVP_Digest(b.msg, sizeof(b.msg), h, &hl, b.sha256, NULL) != 1 ||
	    EVP_PKEY_sign(b.sctx, b.sig, &b.siglen, h, hl) != 1)
		die("openssl setup", -1);

	if (argc > 3) {
		/* Profile mode: one operation, a fixed number of times. */
		n = (size_t)strtoul(argv[3], NULL, 10);
		for (k = 0; k < NOPS; k++)
			if (strcmp(argv[2], ops[k].name) == 0)
				break;
		if (k == NOPS)
			die("unknown op", MINDL_ERR_INVALID_ARG);
		while (n-- > 0)
			ops[k].fn(&b);
	} else {
		rates(&b, secs, rate);
		ecdsa_v = rate[OP_RAW_VERIFY];
		ecdsa_s = rate[OP_RAW_SIGN];
		ecdh = rate[OP_RAW_ECDH];
		ver_sig = rate[OP_VERIFY_SIG];
		ver_mac = rate[OP_VERIFY_MAC];
		iss = rate[OP_ISSUE];
		riss = rate[OP_RAW_ISSUE];
		printf("raw OpenSSL P-256 ECDSA verify     %10.0f /s\n",
		    ecdsa_v);
		printf("raw OpenSSL P-256 ECDSA sign       %10.0f /s\n",
		    ecdsa_s);
		printf("raw OpenSSL P-256 ECDH             %10.0f /s\n", ecdh);
		printf("verify DeviceResponse (signature)  %10.0f /s  "
		    "cost %.2fx of its 2 ECDSA verifies\n", ver_sig,
		    (1.0 / ver_sig) / (2.0 / ecdsa_v));
		printf("verify DeviceResponse (mac)        %10.0f /s  "
		    "cost %.2fx of 1 ECDSA verify + 1 ECDH\n", ver_mac,
		    (1.0 / ver_mac) / (1.0 / ecdsa_v + 1.0 / ecdh));
		printf("raw issuance cryptography          %10.0f /s  "
		    "cost %.2fx of 1 ECDSA sign\n", riss,
		    (1.0 / riss) / (1.0 / ecdsa_s));
		printf("issue credential                   %10.0f /s  "
		    "cost %.2fx of 1 ECDSA sign, %.2fx of its cryptography\n",
		    iss, (1.0 / iss) / (1.0 / ecdsa_s),
		    (1.0 / iss) / (1.0 / riss));
	}
	EVP_PKEY_CTX_free(b.vctx);
	EVP_PKEY_CTX_free(b.sctx);
	EVP_PKEY_CTX_free(b.dctx);
	EVP_MD_CTX_free(b.mdctx);
	EVP_MD_free(b.sha256);
	EVP_PKEY_free(pk);
	EVP_PKEY_free(b.peer);
	free(rq);
	free(b.rs[0]);
	free(b.rs[1]);
	free(cred);
	free(iacader);
	free(dsder);
	mindl_request_free(&b.req);
	mindl_record_free(&rec);
	mindl_trust_free(&b.trust);
	mindl_schema_free(&s);
	mindl_key_free(&iaca);
	mindl_key_free(&ds);
	mindl_key_free(&dev);
	mindl_key_free(&b.rk);
	return 0;
}
