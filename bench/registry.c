/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench, the registry's figures, each beside raw OpenSSL in the same
 * run:
 *
 *   issue: batches of 16 single-use MSOs, each batch one licence looked
 *     up (scrypt at the smallest cost, 2^10, so that the figure is the
 *     registry's and the signing's), its indices drawn, signed and
 *     committed (WAL, synchronous=FULL: one fsync per batch) in a
 *     database on disk; MSOs per second of wall-clock time against raw
 *     P-256 signatures per second measured in between.
 *   lookup: one document-number lookup (scrypt) at the default cost, the
 *     price of one guess for whoever holds the registry and its secret.
 *   bytes: the database's size per 1,000 credentials of 16 copies.
 *   publish: a 2^24-entry status list, 1% INVALID, deflated and signed.
 *   lookup after import: the list stored in the verifier's status cache
 *     (verifier/statusdb.c), then one entry read (sqlite3_blob_read of
 *     its byte), and the whole per-verification lookup (the list's row by
 *     uri, then the byte).
 *
 * usage: bench-registry [seconds] [dir]   (the database goes in dir,
 *        default the current directory, and is removed afterwards)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/ec.h>
#include <openssl/evp.h>

#include "mindl/mindl.h"
#include "mindl/status.h"
#include "../issuer/registry.h"
#include "cli.h"
#include "../verifier/verifier.h"
#include "../tests/common/testlib.h"

#define T0	1795000000
#define COPIES	16
#define NIDX	1024	/* indices drawn before each timed run of lookups */

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what, int r)
{
	fprintf(stderr, "bench-registry: %s: %s\n", what, mindl_strerr(r));
	exit(1);
}

/* Raw P-256 signatures (SHA-256 of 32 bytes, then sign) for `secs'. */
static double
raw_sign_rate(EVP_PKEY_CTX *sctx, double secs)
{
	uint8_t msg[32] = { 1 }, h[32], sig[80];
	unsigned int hl;
	size_t sl, n = 0;
	double t0 = wall(), t;

	do {
		sl = sizeof(sig);
		if (EVP_Digest(msg, sizeof(msg), h, &hl, EVP_sha256(), NULL) !=
		    1 || EVP_PKEY_sign(sctx, sig, &sl, h, hl) != 1)
			die("raw sign", MINDL_ERR_CRYPTO);
		n++;
	} while ((t = wall() - t0) < secs);
	return (double)n / t;
}

static off_t
size_of(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 ? sb.st_size : 0;
}

/* The list in the verifier's cache, then entries read back. */
static void
lookup_bench(const char *dir, const uint8_t *tok, size_t toklen)
{
	struct mindl_status_token *t = NULL;
	struct sdb *s = NULL;
	struct sdb_row row, got;
	struct sdb_bitmap *bmh = NULL;
	uint64_t idx[NIDX];
	size_t k;
	double tl = 0;
	const uint8_t *bm;
	uint8_t h[32], byte, rnd[3];
	size_t bmlen, i, n = 1000000, m = 20000, revoked = 0;
	char path[4100], err[256];
	int r, outcome, found;
	double t0, t1, t2;

	snprintf(path, sizeof(path), "%s/bench-status-%ld.db", dir,
	    (long)getpid());
	memset(&row, 0, sizeof(row));
	if ((r = mindl_status_token_parse(tok, toklen, &t)) != MINDL_OK)
		die("parse", r);
	mindl_status_token_bitmap(t, &bm, &bmlen);
	snprintf(row.uri, sizeof(row.uri), "%s", mindl_status_token_uri(t));
	row.c.iat = mindl_status_token_iat(t);
	(void)mindl_status_token_exp(t, &row.c.exp);
	row.c.entries = mindl_status_token_entries(t);
	(void)mindl_sha256(tok, toklen, h);
	if ((r = sdb_open(path, 1, 0, &s, err, sizeof(err))) != MINDL_OK ||
	    (r = sdb_put(s, &row, bm, bmlen, h, &outcome)) != MINDL_OK ||
	    (r = sdb_get(s, (const uint8_t *)row.uri, strlen(row.uri), &got,
	    &found)) != MINDL_OK || !found)
		die("status cache", r);
	if ((r = sdb_bitmap_open(s, got.id, &bmh)) != MINDL_OK)
		die("bitmap", r);
	for (i = 0; i < n; i++) {
		(void)mindl_random(rnd, sizeof(rnd));
		idx[i % NIDX] = ((uint64_t)rnd[0] << 16 | (uint64_t)rnd[1] << 8 |
		    rnd[2]);
		if (i % NIDX == NIDX - 1 || i == n - 1) {
			t0 = wall();
			for (k = 0; k <= i % NIDX; k++) {
				if ((r = sdb_bitmap_byte(bmh,
				    mindl_status_byte_offset(idx[k]), &byte)) !=
				    MINDL_OK)
					die("lookup", r);
				revoked += (size_t)mindl_status_bit(byte, idx[k]);
			}
			tl += wall() - t0;
		}
	}
	sdb_bitmap_close(&bmh);
	t1 = wall();
	for (i = 0; i < m; i++) {
		(void)mindl_random(rnd, sizeof(rnd));
		if ((r = sdb_get(s, (const uint8_t *)row.uri, strlen(row.uri),
		    &got, &found)) != MINDL_OK ||
		    (r = sdb_read_byte(s, got.id, mindl_status_byte_offset(
		    (uint64_t)rnd[0] << 16 | (uint64_t)rnd[1] << 8 | rnd[2]),
		    &byte)) != MINDL_OK)
			die("lookup", r);
	}
	t2 = wall();
	printf("status lookup after import: %.2f us per entry (%zu random "
	    "entries, %zu INVALID; target under 1 us); a verification's whole "
	    "lookup (row by uri, blob opened, one entry): %.2f us\n",
	    tl * 1e6 / (double)n, n, revoked, (t2 - t1) * 1e6 / (double)m);
	sdb_close(&s);
	mindl_status_token_free(&t);
	unlink(path);
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
	struct reg_config c;
	struct registry *reg = NULL;
	struct reg_licence lic;
	struct mindl_schema *s = NULL;
	struct mindl_key *iaca = NULL, *ds = NULL, *dev[COPIES];
	struct mindl_record *rec = NULL;
	struct mindl_issue_params p;
	struct mindl_issue_result res;
	struct mindl_status_ref st[COPIES];
	struct mindl_signer signer;
	struct mindl_buf out;
	uint64_t idx[COPIES];
	uint8_t *iacader = NULL, *dsder = NULL;
	size_t il = 0, dl = 0, i, msos = 0, lic_n = 0;
	double secs = argc > 1 ? atof(argv[1]) : 2.0, t0, t, issue_s = 0;
	double raw = 0, rate, kdf, tk = 0, tb = 0, ti = 0, tc = 0, x;
	const char *dir = argc > 2 ? argv[2] : ".";
	char db[4000], sec[4100], wal[4100], err[512], num[32];
	EVP_PKEY_CTX *sctx = NULL;
	EVP_PKEY *pk = NULL;
	off_t dbsize;
	int r, round;

	memset(&c, 0, sizeof(c));
	c.kdf_log2n = REG_KDF_MIN;
	c.list_log2 = MINDL_STATUS_LIST_MAX_LOG2;
	snprintf(c.status_uri, sizeof(c.status_uri), "https://b.example/1");
	snprintf(db, sizeof(db), "%s/bench-registry-%ld.db", dir,
	    (long)getpid());
	snprintf(sec, sizeof(sec), "%s.secret", db);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	if ((r = mindl_schema_builtin(&s)) != MINDL_OK ||
	    (r = mindl_key_generate(&iaca)) != MINDL_OK ||
	    (r = mindl_key_generate(&ds)) != MINDL_OK ||
	    (r = mindl_x509_make_iaca(iaca, &ip, &iacader, &il)) != MINDL_OK ||
	    (r = mindl_x509_make_ds(iaca, iacader, il, ds, &dp, &dsder,
	    &dl)) != MINDL_OK ||
	    (r = mindl_signer_key(&signer, ds)) != MINDL_OK ||
	    (r = mindl_record_parse(s, record, strlen(record), test_jpeg,
	    sizeof(test_jpeg), T0, &rec, err, sizeof(err))) != MINDL_OK)
		die("setup", r);
	for (i = 0; i < COPIES; i++)
		if ((r = mindl_key_generate(&dev[i])) != MINDL_OK)
			die("device keys", r);
	if ((r = reg_init(db, sec, &c, "bench", T0, err, sizeof(err))) !=
	    MINDL_OK || (r = reg_open(db, sec, &reg, err, sizeof(err))) !=
	    MINDL_OK)
		die(err[0] != '\0' ? err : "registry", r);
	if ((pk = EVP_EC_gen("P-256")) == NULL ||
	    (sctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL)) == NULL ||
	    EVP_PKEY_sign_init(sctx) != 1)
		die("raw sign set-up", MINDL_ERR_CRYPTO);
	memset(&p, 0, sizeof(p));
	p.record = rec;
	p.policy = mindl_schema_policy(s);
	p.ds = &signer;
	p.ds_cert = dsder;
	p.ds_certlen = dl;
	p.now = T0;
	p.status = st;
	mindl_buf_init(&out, MINDL_MAX_INPUT);
	/* Interleaved rounds, so that load on the machine weighs alike. */
	for (round = 0; round < 10; round++) {
		raw += raw_sign_rate(sctx, secs / 20) / 10;
		t0 = wall();
		do {
			snprintf(num, sizeof(num), "B%08zu", lic_n++);
			x = wall();
			if ((r = reg_licence_keys(reg, num, &lic)) != MINDL_OK)
				die("registry", r);
			tk += wall() - x;
			x = wall();
			if ((r = reg_batch_begin(reg, &lic, COPIES, idx)) !=
			    MINDL_OK)
				die("registry", r);
			tb += wall() - x;
			for (i = 0; i < COPIES; i++) {
				st[i].idx = idx[i];
				st[i].uri = c.status_uri;
			}
			x = wall();
			if ((r = mindl_mdoc_issue_batch(&p,
			    (const struct mindl_key *const *)dev, COPIES, &out,
			    &res)) != MINDL_OK)
				die("issue", r);
			ti += wall() - x;
			x = wall();
			if ((r = reg_batch_commit(reg, &lic, res.credential_id,
			    sizeof(res.credential_id), res.valid_until,
			    res.signer, idx, COPIES, "issue", "bench", T0)) !=
			    MINDL_OK)
				die("issue", r);
			tc += wall() - x;
			reg_licence_clear(&lic);
			mindl_buf_clear(&out);
			msos += COPIES;
		} while ((t = wall() - t0) < secs / 20);
		issue_s += t;
	}
	rate = (double)msos / issue_s;
	printf("issue with registry: %.0f MSOs/s (batches of %d, one fsync "
	    "each, scrypt 2^%u per licence); raw P-256 sign %.0f/s; ratio "
	    "%.2f\n", rate, COPIES, c.kdf_log2n, raw, rate / raw);
	printf("  per batch: scrypt %.3f ms, begin %.3f ms, sign %.3f ms, "
	    "commit %.3f ms\n", 1e3 * tk / (double)lic_n, 1e3 * tb /
	    (double)lic_n, 1e3 * ti / (double)lic_n, 1e3 * tc / (double)lic_n);
	/* The same run without the per-licence scrypt, and without the
	 * registry at all: what the registry's own work costs. */
	printf("  without the scrypt: %.0f MSOs/s, ratio %.2f; signing "
	    "alone (no registry): %.0f MSOs/s, ratio %.2f\n",
	    (double)msos / (tb + ti + tc), (double)msos / (tb + ti + tc) / raw,
	    (double)msos / ti, (double)msos / ti / raw);
	reg_close(&reg);
	/* Bytes: the database after its WAL is folded in, per 1,000. */
	if ((r = reg_open(db, sec, &reg, err, sizeof(err))) != MINDL_OK)
		die(err, r);
	reg_close(&reg);
	dbsize = size_of(db);
	printf("registry bytes per 1,000 credentials of %d copies: %.0f "
	    "(%zu credentials, %lld bytes)\n", COPIES,
	    (double)dbsize * 1000.0 / (double)lic_n, lic_n,
	    (long long)dbsize);
	unlink(db);
	unlink(sec);
	unlink(wal);

	/* One lookup at the default cost. */
	c.kdf_log2n = REG_KDF_DEFAULT;
	if ((r = reg_init(db, sec, &c, "bench", T0, err, sizeof(err))) !=
	    MINDL_OK || (r = reg_open(db, sec, &reg, err, sizeof(err))) !=
	    MINDL_OK)
		die(err, r);
	t0 = wall();
	for (i = 0; i < 3; i++)
		if ((r = reg_licence_keys(reg, "SS7Q4M2K9X", &lic)) != MINDL_OK)
			die("lookup", r);
	kdf = (wall() - t0) / 3;
	reg_licence_clear(&lic);
	reg_close(&reg);
	unlink(db);
	unlink(sec);
	printf("document-number lookup at scrypt 2^%d (64 MiB): %.3f s; a "
	    "search of 10^9 numbers: %.1f CPU-years\n", REG_KDF_DEFAULT, kdf,
	    kdf * 1e9 / 3.15576e7);

	/* Publishing a 2^24-entry list, 1% INVALID. */
	{
		size_t n = (size_t)1 << MINDL_STATUS_LIST_MAX_LOG2, nb = n / 8;
		uint8_t *bits = calloc(1, nb), rnd[4];
		struct mindl_status_list_params sp;

		if (bits == NULL)
			die("publish", MINDL_ERR_NOMEM);
		for (i = 0; i < n / 100; i++) {
			(void)mindl_random(rnd, sizeof(rnd));
			size_t k = ((size_t)rnd[0] << 16 | (size_t)rnd[1] << 8 |
			    rnd[2]) % n;
			bits[k / 8] |= (uint8_t)(1u << (k % 8));
		}
		memset(&sp, 0, sizeof(sp));
		sp.uri = c.status_uri;
		sp.iat = T0;
		sp.exp = T0 + 7 * 86400;
		sp.ttl = 86400;
		sp.bits = bits;
		sp.nentries = n;
		sp.signer = &signer;
		sp.x5 = dsder;
		sp.x5len = dl;
		mindl_buf_init(&out, 64u * 1024 * 1024);
		t0 = wall();
		if ((r = mindl_status_token_write(&sp, &out)) != MINDL_OK)
			die("publish", r);
		t = wall() - t0;
		printf("publish a 2^24-entry list (1%% INVALID): %.2f s, %zu "
		    "bytes (target under 2 s)\n", t, mindl_buf_len(&out));
		lookup_bench(dir, mindl_buf_ptr(&out), mindl_buf_len(&out));
		mindl_buf_clear(&out);
		free(bits);
	}
	EVP_PKEY_CTX_free(sctx);
	EVP_PKEY_free(pk);
	for (i = 0; i < COPIES; i++)
		mindl_key_free(&dev[i]);
	mindl_record_free(&rec);
	mindl_schema_free(&s);
	mindl_key_free(&iaca);
	mindl_key_free(&ds);
	free(iacader);
	free(dsder);
	return 0;
}
