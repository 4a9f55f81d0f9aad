/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-issuer: the registry on SQLite (see registry.h for what it holds
 * and why).
 *
 * The database is opened with SQLITE_DBCONFIG_DEFENSIVE (no writable
 * schema, no shadow-table writes), untrusted schema, foreign keys on,
 * WAL with synchronous=FULL (a batch the desk was told about survives a
 * power cut: an index recorded once is never drawn again) and
 * secure_delete (freed pages are zeroed, so a purged row is gone from
 * the file, not just unlinked).  Tables are STRICT.  The indices-in-use
 * table is keyed by the index itself, so neither its order nor its rowids
 * say when, or with what, an index was drawn.
 *
 * Key derivation, from the 32-byte registry secret S and a document
 * number D (normalised):
 *   salt   = HMAC-SHA256(S, "mindl registry lookup salt v1")
 *   m      = scrypt(D, salt, N = 2^kdf_log2n, r = 8, p = 1), 32 bytes
 *   lookup = HMAC-SHA256(m, "mindl licence lookup v1")
 *   seal   = HMAC-SHA256(m, "mindl licence seal v1")
 * A licence row's indices are AES-256-GCM under seal, with the lookup as
 * associated data: nonce (12) || ciphertext (4 bytes per index, big
 * endian) || tag (16).
 */
#include <sys/types.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <sqlite3.h>

#include "mindl/mindl.h"
#include "mindl/status.h"
#include "registry.h"

#define APP_ID		0x6d6e646c	/* "mndl" */
#define SCHEMA_LATEST	2
#define GCM_NONCE	12
#define GCM_TAG		16
#define MAX_DOCNUM	64
#define MAX_SEALED	(4u * 1024 * 1024)
#define SECRET_MAGIC	"mindl-registry-secret 1\n"
/* At most this share of the usable index range is ever handed out, so
 * that drawing a fresh index stays cheap and the list keeps its herd. */
#define FILL_NUM	3
#define FILL_DEN	4

struct registry {
	sqlite3			*db;
	uint8_t			 secret[REG_SECRET_LEN];
	uint8_t			 salt[32];
	struct reg_config	 cfg;
	uint64_t		 kdf_count;
	int			 in_tx;
	char			 err[256];
};

/*
 * Forward migrations: migrations[v] takes a database at user_version v
 * to v + 1.  A registry is never migrated backwards; a newer one is
 * refused.
 */
static const char *const migrations[SCHEMA_LATEST] = {
	/* 0 -> 1 */
	"CREATE TABLE meta(k TEXT PRIMARY KEY NOT NULL, v ANY NOT NULL)"
	"  WITHOUT ROWID, STRICT;"
	"CREATE TABLE licence("
	"  lookup BLOB PRIMARY KEY NOT NULL CHECK(length(lookup) = 32),"
	"  revoked INTEGER NOT NULL DEFAULT 0 CHECK(revoked IN (0, 1)),"
	"  until INTEGER NOT NULL,"
	"  sealed BLOB NOT NULL) WITHOUT ROWID, STRICT;"
	"CREATE TABLE used(idx INTEGER PRIMARY KEY) STRICT;"
	"CREATE TABLE revoked(idx INTEGER PRIMARY KEY"
	"  REFERENCES used(idx)) STRICT;"
	"CREATE TABLE credential("
	"  id BLOB PRIMARY KEY NOT NULL CHECK(length(id) = 16),"
	"  until INTEGER NOT NULL,"
	"  signer TEXT NOT NULL,"
	"  copies INTEGER NOT NULL CHECK(copies > 0)) WITHOUT ROWID, STRICT;"
	"CREATE TABLE challenge("
	"  ch BLOB PRIMARY KEY NOT NULL CHECK(length(ch) = 32),"
	"  exp INTEGER NOT NULL) WITHOUT ROWID, STRICT;"
	"CREATE TABLE audit(seq INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
	"  action TEXT NOT NULL, operator TEXT NOT NULL,"
	"  count INTEGER NOT NULL) STRICT;",
	/* 1 -> 2: desk officers' security keys (their ids, never a name of
	 * an applicant): once one is enrolled, revocation, renewal and
	 * issuance of many records take an officer's assertion. */
	"CREATE TABLE officer("
	"  id TEXT PRIMARY KEY NOT NULL CHECK(length(id) BETWEEN 1 AND 64),"
	"  rpid TEXT NOT NULL,"
	"  cred_id BLOB NOT NULL CHECK(length(cred_id) BETWEEN 1 AND 1024),"
	"  pubkey BLOB NOT NULL CHECK(length(pubkey) BETWEEN 1 AND 256),"
	"  enrolled INTEGER NOT NULL) WITHOUT ROWID, STRICT;",
};

static int
dberr(struct registry *r, const char *what)
{
	snprintf(r->err, sizeof(r->err), "%s: %s", what,
	    r->db != NULL ? sqlite3_errmsg(r->db) : "cannot open");
	return MINDL_ERR_DATABASE;
}

const char *
reg_errmsg(const struct registry *r)
{
	return r != NULL && r->err[0] != '\0' ? r->err : "";
}

uint64_t
reg_kdf_count(const struct registry *r)
{
	return r->kdf_count;
}

const struct reg_config *
reg_config(const struct registry *r)
{
	return &r->cfg;
}

static int
exec(struct registry *r, const char *sql)
{
	if (sqlite3_exec(r->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return dberr(r, sql);
	return MINDL_OK;
}

static int
prep(struct registry *r, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(r->db, sql, -1, st, NULL) != SQLITE_OK)
		return dberr(r, "prepare");
	return MINDL_OK;
}

/* One integer from a query with no parameters (or -1 on error). */
static int
query_int(struct registry *r, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = prep(r, sql, &st)) != MINDL_OK)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = dberr(r, sql);
		sqlite3_finalize(st);
		return rc;
	}
	*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return MINDL_OK;
}

/* A meta row: an integer (p == NULL), text or a blob. */
static int
meta_put(struct registry *r, const char *k, int64_t v, const void *p,
    size_t n, int text)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = prep(r, "INSERT OR REPLACE INTO meta(k, v) VALUES(?, ?)",
	    &st)) != MINDL_OK)
		return rc;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (p == NULL)
		sqlite3_bind_int64(st, 2, v);
	else if (text)
		sqlite3_bind_text(st, 2, p, (int)n, SQLITE_STATIC);
	else
		sqlite3_bind_blob(st, 2, p, (int)n, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? MINDL_OK : dberr(r, k);
	sqlite3_finalize(st);
	return rc;
}

static int
meta_set_int(struct registry *r, const char *k, int64_t v)
{
	return meta_put(r, k, v, NULL, 0, 0);
}

static int
meta_set_blob(struct registry *r, const char *k, const void *p, size_t n,
    int text)
{
	return meta_put(r, k, 0, p, n, text);
}

/* A meta value: an integer, or (buf != NULL) text/blob into buf. */
static int
meta_get(struct registry *r, const char *k, int64_t *iv, void *buf,
    size_t cap, size_t *len)
{
	sqlite3_stmt *st = NULL;
	const void *p;
	int rc, n;

	if ((rc = prep(r, "SELECT v FROM meta WHERE k = ?", &st)) !=
	    MINDL_OK)
		return rc;
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return dberr(r, k);
		snprintf(r->err, sizeof(r->err), "no %s in the registry", k);
		return MINDL_ERR_REGISTRY;
	}
	if (buf == NULL) {
		if (sqlite3_column_type(st, 0) != SQLITE_INTEGER)
			rc = MINDL_ERR_REGISTRY;
		else {
			*iv = sqlite3_column_int64(st, 0);
			rc = MINDL_OK;
		}
	} else {
		p = sqlite3_column_blob(st, 0);
		n = sqlite3_column_bytes(st, 0);
		if (n < 0 || (size_t)n > cap || (n > 0 && p == NULL))
			rc = MINDL_ERR_REGISTRY;
		else {
			if (n > 0)
				memcpy(buf, p, (size_t)n);
			*len = (size_t)n;
			rc = MINDL_OK;
		}
	}
	sqlite3_finalize(st);
	if (rc == MINDL_ERR_REGISTRY)
		snprintf(r->err, sizeof(r->err), "bad %s in the registry", k);
	return rc;
}

static int
hmac_label(const uint8_t *key, size_t keylen, const char *label,
    uint8_t out[32])
{
	return mindl_hmac_sha256(key, keylen, (const uint8_t *)label,
	    strlen(label), out);
}

/* The secret file: a magic line, then 64 hex digits and a newline. */
static int
secret_read(const char *path, uint8_t out[REG_SECRET_LEN])
{
	uint8_t *buf = NULL;
	size_t len = 0, i, m = sizeof(SECRET_MAGIC) - 1;
	struct stat sb;
	int r = MINDL_ERR_REGISTRY;

	if ((r = mindl_file_read(path, 4096, &buf, &len)) != MINDL_OK)
		return r;
	r = MINDL_ERR_REGISTRY;
	if (len == m + 2 * REG_SECRET_LEN + 1 && memcmp(buf, SECRET_MAGIC,
	    m) == 0 && buf[len - 1] == '\n') {
		for (i = 0; i < REG_SECRET_LEN; i++) {
			unsigned v;
			char h[3] = { (char)buf[m + 2 * i],
			    (char)buf[m + 2 * i + 1], '\0' };

			if (!isxdigit((unsigned char)h[0]) ||
			    !isxdigit((unsigned char)h[1]) ||
			    sscanf(h, "%x", &v) != 1)
				break;
			out[i] = (uint8_t)v;
		}
		if (i == REG_SECRET_LEN)
			r = MINDL_OK;
	}
	mindl_freezero(buf, len);
	/* A secret others can read is no secret: refuse it. */
	if (r == MINDL_OK && (stat(path, &sb) != 0 ||
	    (sb.st_mode & 077) != 0))
		r = MINDL_ERR_ACCESS;
	if (r != MINDL_OK)
		mindl_wipe(out, REG_SECRET_LEN);
	return r;
}

static int
secret_write(const char *path, const uint8_t s[REG_SECRET_LEN])
{
	char buf[sizeof(SECRET_MAGIC) + 2 * REG_SECRET_LEN + 1];
	size_t i, m = sizeof(SECRET_MAGIC) - 1;
	int r;

	memcpy(buf, SECRET_MAGIC, m);
	for (i = 0; i < REG_SECRET_LEN; i++)
		snprintf(buf + m + 2 * i, 3, "%02x", s[i]);
	buf[m + 2 * REG_SECRET_LEN] = '\n';
	r = mindl_file_write(path, (const uint8_t *)buf,
	    m + 2 * REG_SECRET_LEN + 1, MINDL_FILE_EXCL | MINDL_FILE_PRIVATE);
	mindl_wipe(buf, sizeof(buf));
	return r;
}

static int
db_open(struct registry *r, const char *path, int create)
{
	int fl = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW |
	    SQLITE_OPEN_EXRESCODE, fd;

	if (create) {
		/* Created here, 0600, so that SQLite's -wal and -shm files
		 * (which take the database's mode) are private too. */
		if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600)) == -1)
			return errno == EEXIST ? MINDL_ERR_EXISTS :
			    errno == ENOENT ? MINDL_ERR_NO_FILE :
			    errno == EACCES ? MINDL_ERR_ACCESS : MINDL_ERR_IO;
		close(fd);
	} else if (access(path, F_OK) != 0)
		return errno == ENOENT ? MINDL_ERR_NO_FILE : MINDL_ERR_ACCESS;
	if (sqlite3_open_v2(path, &r->db, fl, NULL) != SQLITE_OK)
		return dberr(r, path);
	sqlite3_extended_result_codes(r->db, 1);
	if (sqlite3_db_config(r->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) !=
	    SQLITE_OK || sqlite3_db_config(r->db,
	    SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) != SQLITE_OK ||
	    sqlite3_db_config(r->db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, NULL) !=
	    SQLITE_OK || sqlite3_busy_timeout(r->db, 60000) != SQLITE_OK)
		return dberr(r, "configure");
	if (sqlite3_exec(r->db, "PRAGMA journal_mode = WAL; PRAGMA "
	    "synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA "
	    "foreign_keys = ON;", NULL, NULL, NULL) == SQLITE_OK)
		return MINDL_OK;
	if ((sqlite3_errcode(r->db) & 0xff) == SQLITE_NOTADB) {
		snprintf(r->err, sizeof(r->err), "not a mindl registry (not "
		    "even a database)");
		return MINDL_ERR_REGISTRY;
	}
	return dberr(r, "configure");
}

static void
rollback(struct registry *r)
{
	if (r->in_tx)
		(void)sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	r->in_tx = 0;
}

/*
 * Every change is one transaction, taken with the write lock at once
 * (BEGIN IMMEDIATE: no upgrade from a read lock that could deadlock with
 * another desk).
 */
static int
tx_begin(struct registry *r)
{
	int rc;

	if (r->in_tx)
		return MINDL_ERR_INVALID_ARG;
	if ((rc = exec(r, "BEGIN IMMEDIATE")) != MINDL_OK)
		return rc;
	r->in_tx = 1;
	return MINDL_OK;
}

/* COMMIT when rc is MINDL_OK, else ROLLBACK; rc, or COMMIT's failure. */
static int
tx_end(struct registry *r, int rc)
{
	if (rc == MINDL_OK && (rc = exec(r, "COMMIT")) == MINDL_OK) {
		r->in_tx = 0;
		return MINDL_OK;
	}
	rollback(r);
	return rc;
}

static int
migrate(struct registry *r, int64_t from)
{
	int64_t v;
	int rc;

	if ((rc = tx_begin(r)) != MINDL_OK)
		return rc;
	/* Read again under the lock: another process may have migrated. */
	if ((rc = query_int(r, "PRAGMA user_version", &from)) != MINDL_OK)
		return tx_end(r, rc);
	for (v = from; v < SCHEMA_LATEST && rc == MINDL_OK; v++) {
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		    (int)(v + 1));
		if ((rc = exec(r, migrations[v])) == MINDL_OK)
			rc = exec(r, sql);
	}
	return tx_end(r, rc);
}

void
reg_close(struct registry **rp)
{
	struct registry *r;

	if (rp == NULL || (r = *rp) == NULL)
		return;
	if (r->in_tx)
		(void)sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(r->db);
	mindl_freezero(r, sizeof(*r));
	*rp = NULL;
}

int
reg_init(const char *db, const char *secretp, const struct reg_config *c,
    const char *operator, int64_t now, char *err, size_t errlen)
{
	struct registry *r;
	uint8_t check[32];
	int rc;

	err[0] = '\0';
	if (c->kdf_log2n < REG_KDF_MIN || c->kdf_log2n > REG_KDF_MAX ||
	    c->list_log2 < MINDL_STATUS_LIST_MIN_LOG2 ||
	    c->list_log2 > MINDL_STATUS_LIST_MAX_LOG2 ||
	    (!c->short_lived && c->status_uri[0] == '\0'))
		return MINDL_ERR_INVALID_ARG;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return MINDL_ERR_NOMEM;
	if (access(secretp, F_OK) == 0) {
		free(r);
		return MINDL_ERR_EXISTS;
	}
	if ((rc = db_open(r, db, 1)) != MINDL_OK) {
		reg_close(&r);
		return rc;
	}
	if ((rc = mindl_random(r->secret, sizeof(r->secret))) != MINDL_OK ||
	    (rc = hmac_label(r->secret, sizeof(r->secret),
	    "mindl registry secret check v1", check)) != MINDL_OK)
		goto fail;
	if ((rc = exec(r, "PRAGMA application_id = 1835951212")) !=
	    MINDL_OK || (rc = migrate(r, 0)) != MINDL_OK)
		goto fail;
	if ((rc = tx_begin(r)) != MINDL_OK)
		goto fail;
	if ((rc = meta_set_blob(r, "secret_check", check, sizeof(check), 0)) !=
	    MINDL_OK ||
	    (rc = meta_set_int(r, "kdf_log2n", c->kdf_log2n)) != MINDL_OK ||
	    (rc = meta_set_int(r, "list_log2", c->list_log2)) != MINDL_OK ||
	    (rc = meta_set_int(r, "short_lived", c->short_lived)) !=
	    MINDL_OK ||
	    (rc = meta_set_blob(r, "status_uri", c->status_uri,
	    strlen(c->status_uri), 1)) != MINDL_OK ||
	    (rc = meta_set_int(r, "created", now)) != MINDL_OK ||
	    (rc = meta_set_int(r, "issued_msos", 0)) != MINDL_OK ||
	    (rc = reg_audit(r, "init", operator, 0, now)) != MINDL_OK ||
	    (rc = tx_end(r, MINDL_OK)) != MINDL_OK) {
		rollback(r);
		goto fail;
	}
	/* The secret last: a registry without it is removed below. */
	if ((rc = secret_write(secretp, r->secret)) != MINDL_OK)
		goto fail;
	reg_close(&r);
	return MINDL_OK;
 fail:
	snprintf(err, errlen, "%s", r->err);
	reg_close(&r);
	(void)unlink(db);
	{
		char side[4096];

		snprintf(side, sizeof(side), "%s-wal", db);
		(void)unlink(side);
		snprintf(side, sizeof(side), "%s-shm", db);
		(void)unlink(side);
	}
	return rc;
}

int
reg_open(const char *db, const char *secretp, struct registry **out,
    char *err, size_t errlen)
{
	struct registry *r;
	uint8_t check[32], want[32];
	size_t len = 0;
	int64_t v = 0, app = 0;
	int rc;

	*out = NULL;
	err[0] = '\0';
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return MINDL_ERR_NOMEM;
	if ((rc = secret_read(secretp, r->secret)) != MINDL_OK) {
		if (rc == MINDL_ERR_REGISTRY)
			snprintf(r->err, sizeof(r->err), "%s is not a registry "
			    "secret file", secretp);
		goto fail;
	}
	if ((rc = db_open(r, db, 0)) != MINDL_OK)
		goto fail;
	if ((rc = query_int(r, "PRAGMA application_id", &app)) != MINDL_OK ||
	    (rc = query_int(r, "PRAGMA user_version", &v)) != MINDL_OK) {
		/* Not a database at all. */
		rc = MINDL_ERR_REGISTRY;
		goto fail;
	}
	if (app != APP_ID || v > SCHEMA_LATEST || v < 1) {
		snprintf(r->err, sizeof(r->err), app != APP_ID ? "not a mindl "
		    "registry" : v > SCHEMA_LATEST ? "registry schema %d is "
		    "newer than this build's (%d): upgrade mindl" :
		    "registry schema %d is unknown", (int)v, SCHEMA_LATEST);
		rc = MINDL_ERR_REGISTRY;
		goto fail;
	}
	if (v < SCHEMA_LATEST && (rc = migrate(r, v)) != MINDL_OK)
		goto fail;
	if ((rc = meta_get(r, "secret_check", NULL, check, sizeof(check),
	    &len)) != MINDL_OK)
		goto fail;
	if ((rc = hmac_label(r->secret, sizeof(r->secret),
	    "mindl registry secret check v1", want)) != MINDL_OK)
		goto fail;
	if (len != sizeof(want) || !mindl_ct_eq(check, want, sizeof(want))) {
		snprintf(r->err, sizeof(r->err), "%s is not this registry's "
		    "secret", secretp);
		rc = MINDL_ERR_REGISTRY;
		goto fail;
	}
	{
		int64_t k = 0, l = 0, s = 0;

		if ((rc = meta_get(r, "kdf_log2n", &k, NULL, 0, NULL)) !=
		    MINDL_OK ||
		    (rc = meta_get(r, "list_log2", &l, NULL, 0, NULL)) !=
		    MINDL_OK ||
		    (rc = meta_get(r, "short_lived", &s, NULL, 0, NULL)) !=
		    MINDL_OK ||
		    (rc = meta_get(r, "status_uri", NULL, r->cfg.status_uri,
		    REG_URI_MAX, &len)) != MINDL_OK)
			goto fail;
		r->cfg.status_uri[len] = '\0';
		if (k < REG_KDF_MIN || k > REG_KDF_MAX ||
		    l < MINDL_STATUS_LIST_MIN_LOG2 ||
		    l > MINDL_STATUS_LIST_MAX_LOG2 || (s != 0 && s != 1)) {
			snprintf(r->err, sizeof(r->err), "bad settings in "
			    "the registry");
			rc = MINDL_ERR_REGISTRY;
			goto fail;
		}
		r->cfg.kdf_log2n = (unsigned)k;
		r->cfg.list_log2 = (unsigned)l;
		r->cfg.short_lived = (int)s;
	}
	if ((rc = hmac_label(r->secret, sizeof(r->secret),
	    "mindl registry lookup salt v1", r->salt)) != MINDL_OK)
		goto fail;
	*out = r;
	return MINDL_OK;
 fail:
	if (rc == MINDL_ERR_DATABASE && v == 0 && app == 0 &&
	    r->err[0] == '\0')
		rc = MINDL_ERR_REGISTRY;
	snprintf(err, errlen, "%s", r->err);
	reg_close(&r);
	return rc;
}

void
reg_licence_clear(struct reg_licence *l)
{
	mindl_wipe(l, sizeof(*l));
}

int
reg_licence_keys(struct registry *r, const char *docnum,
    struct reg_licence *l)
{
	char norm[MAX_DOCNUM + 1];
	uint8_t m[32];
	size_t i, n = 0, b, e;
	uint64_t N;
	EVP_KDF *kdf = NULL;
	EVP_KDF_CTX *kctx = NULL;
	OSSL_PARAM params[6], *p = params;
	uint32_t rr = 8, pp = 1;
	int rc = MINDL_ERR_CRYPTO;

	b = 0;
	e = strlen(docnum);
	while (b < e && isspace((unsigned char)docnum[b]))
		b++;
	while (e > b && isspace((unsigned char)docnum[e - 1]))
		e--;
	if (e == b || e - b > MAX_DOCNUM)
		return MINDL_ERR_INVALID_ARG;
	for (i = b; i < e; i++) {
		unsigned char ch = (unsigned char)docnum[i];

		/* Printable ASCII only, as the record's charset allows. */
		if (ch < 0x21 || ch > 0x7e)
			return MINDL_ERR_INVALID_ARG;
		norm[n++] = (char)toupper(ch);
	}
	norm[n] = '\0';
	N = (uint64_t)1 << r->cfg.kdf_log2n;
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
	    norm, n);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
	    r->salt, sizeof(r->salt));
	*p++ = OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &N);
	*p++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &rr);
	*p++ = OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &pp);
	*p = OSSL_PARAM_construct_end();
	if ((kdf = EVP_KDF_fetch(NULL, "SCRYPT", NULL)) != NULL &&
	    (kctx = EVP_KDF_CTX_new(kdf)) != NULL &&
	    EVP_KDF_derive(kctx, m, sizeof(m), params) == 1 &&
	    hmac_label(m, sizeof(m), "mindl licence lookup v1", l->lookup) ==
	    MINDL_OK &&
	    hmac_label(m, sizeof(m), "mindl licence seal v1", l->seal) ==
	    MINDL_OK)
		rc = MINDL_OK;
	r->kdf_count++;
	EVP_KDF_CTX_free(kctx);
	EVP_KDF_free(kdf);
	mindl_wipe(m, sizeof(m));
	mindl_wipe(norm, sizeof(norm));
	if (rc != MINDL_OK)
		reg_licence_clear(l);
	return rc;
}

/* AES-256-GCM of the indices under the licence's seal key. */
static int
seal(const struct reg_licence *l, const uint64_t *idx, size_t n,
    uint8_t **out, size_t *outlen)
{
	EVP_CIPHER_CTX *c = NULL;
	uint8_t *pt = NULL, *buf = NULL;
	size_t i, len = GCM_NONCE + 4 * n + GCM_TAG;
	int k, rc = MINDL_ERR_CRYPTO;

	if (4 * n > MAX_SEALED)
		return MINDL_ERR_TOO_LARGE;
	if ((buf = malloc(len)) == NULL || (pt = malloc(4 * n + 1)) == NULL) {
		free(buf);
		return MINDL_ERR_NOMEM;
	}
	for (i = 0; i < n; i++) {
		pt[4 * i] = (uint8_t)(idx[i] >> 24);
		pt[4 * i + 1] = (uint8_t)(idx[i] >> 16);
		pt[4 * i + 2] = (uint8_t)(idx[i] >> 8);
		pt[4 * i + 3] = (uint8_t)idx[i];
	}
	if (mindl_random(buf, GCM_NONCE) == MINDL_OK &&
	    (c = EVP_CIPHER_CTX_new()) != NULL &&
	    EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, l->seal, buf) == 1 &&
	    EVP_EncryptUpdate(c, NULL, &k, l->lookup, sizeof(l->lookup)) == 1 &&
	    (n == 0 || EVP_EncryptUpdate(c, buf + GCM_NONCE, &k, pt,
	    (int)(4 * n)) == 1) &&
	    EVP_EncryptFinal_ex(c, buf + GCM_NONCE + 4 * n, &k) == 1 &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, GCM_TAG,
	    buf + GCM_NONCE + 4 * n) == 1)
		rc = MINDL_OK;
	EVP_CIPHER_CTX_free(c);
	mindl_freezero(pt, 4 * n + 1);
	if (rc != MINDL_OK) {
		free(buf);
		return rc;
	}
	*out = buf;
	*outlen = len;
	return MINDL_OK;
}

/* The indices of a sealed row; an empty blob (purged) holds none. */
static int
unseal(const struct reg_licence *l, const uint8_t *p, size_t len,
    uint64_t **idx, size_t *n)
{
	EVP_CIPHER_CTX *c = NULL;
	uint8_t *pt = NULL, tag[GCM_TAG];
	uint64_t *v = NULL;
	size_t ctlen, i;
	int k, rc = MINDL_ERR_REGISTRY;

	*idx = NULL;
	*n = 0;
	if (len == 0)
		return MINDL_OK;
	if (len < GCM_NONCE + GCM_TAG || (len - GCM_NONCE - GCM_TAG) % 4 != 0)
		return MINDL_ERR_REGISTRY;
	ctlen = len - GCM_NONCE - GCM_TAG;
	memcpy(tag, p + len - GCM_TAG, GCM_TAG);
	if ((pt = malloc(ctlen + 1)) == NULL ||
	    (v = calloc(ctlen / 4 + 1, sizeof(*v))) == NULL) {
		free(pt);
		return MINDL_ERR_NOMEM;
	}
	if ((c = EVP_CIPHER_CTX_new()) != NULL &&
	    EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, l->seal, p) == 1 &&
	    EVP_DecryptUpdate(c, NULL, &k, l->lookup, sizeof(l->lookup)) == 1 &&
	    (ctlen == 0 || EVP_DecryptUpdate(c, pt, &k, p + GCM_NONCE,
	    (int)ctlen) == 1) &&
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, GCM_TAG, tag) == 1 &&
	    EVP_DecryptFinal_ex(c, pt + ctlen, &k) == 1)
		rc = MINDL_OK;
	EVP_CIPHER_CTX_free(c);
	if (rc == MINDL_OK) {
		for (i = 0; i < ctlen / 4; i++)
			v[i] = (uint64_t)pt[4 * i] << 24 |
			    (uint64_t)pt[4 * i + 1] << 16 |
			    (uint64_t)pt[4 * i + 2] << 8 | pt[4 * i + 3];
		*idx = v;
		*n = ctlen / 4;
	} else
		free(v);
	mindl_freezero(pt, ctlen + 1);
	return rc;
}

/*
 * The licence's row: 1 found (revoked, until, its indices), 0 not found,
 * or an error.
 */
static int
licence_get(struct registry *r, const struct reg_licence *l, int *revoked,
    int64_t *until, uint64_t **idx, size_t *n)
{
	sqlite3_stmt *st = NULL;
	const void *p;
	int rc, len;

	*idx = NULL;
	*n = 0;
	if ((rc = prep(r, "SELECT revoked, until, sealed FROM licence WHERE "
	    "lookup = ?", &st)) != MINDL_OK)
		return rc;
	sqlite3_bind_blob(st, 1, l->lookup, sizeof(l->lookup), SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	if (rc != SQLITE_ROW) {
		rc = dberr(r, "licence");
		sqlite3_finalize(st);
		return rc;
	}
	*revoked = sqlite3_column_int(st, 0);
	*until = sqlite3_column_int64(st, 1);
	p = sqlite3_column_blob(st, 2);
	len = sqlite3_column_bytes(st, 2);
	rc = len < 0 || (len > 0 && p == NULL) ? MINDL_ERR_REGISTRY :
	    unseal(l, p, (size_t)len, idx, n);
	sqlite3_finalize(st);
	if (rc == MINDL_ERR_REGISTRY)
		snprintf(r->err, sizeof(r->err), "a licence row does not open "
		    "under its key (damaged registry?)");
	return rc == MINDL_OK ? 1 : rc;
}

static int
licence_put(struct registry *r, const struct reg_licence *l, int revoked,
    int64_t until, const uint64_t *idx, size_t n)
{
	sqlite3_stmt *st = NULL;
	uint8_t *sealed = NULL;
	size_t slen = 0;
	int rc;

	if ((rc = seal(l, idx, n, &sealed, &slen)) != MINDL_OK)
		return rc;
	if ((rc = prep(r, "INSERT OR REPLACE INTO licence(lookup, revoked, "
	    "until, sealed) VALUES(?, ?, ?, ?)", &st)) == MINDL_OK) {
		sqlite3_bind_blob(st, 1, l->lookup, sizeof(l->lookup),
		    SQLITE_STATIC);
		sqlite3_bind_int(st, 2, revoked);
		sqlite3_bind_int64(st, 3, until);
		sqlite3_bind_blob(st, 4, sealed, (int)slen, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? MINDL_OK :
		    dberr(r, "licence");
		sqlite3_finalize(st);
	}
	free(sealed);
	return rc;
}

int
reg_audit(struct registry *r, const char *action, const char *operator,
    uint64_t count, int64_t now)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = prep(r, "INSERT INTO audit(at, action, operator, count) "
	    "VALUES(?, ?, ?, ?)", &st)) != MINDL_OK)
		return rc;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, operator, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)count);
	rc = sqlite3_step(st) == SQLITE_DONE ? MINDL_OK : dberr(r, "audit");
	sqlite3_finalize(st);
	return rc;
}

void
reg_batch_abort(struct registry *r)
{
	rollback(r);
}

/* A uniformly random index in [MINDL_STATUS_IDX_MIN, 2^list_log2). */
static int
draw_index(const struct registry *r, uint64_t *out)
{
	uint64_t mask = ((uint64_t)1 << r->cfg.list_log2) - 1, v;
	uint8_t b[4];
	int rc;

	do {
		if ((rc = mindl_random(b, sizeof(b))) != MINDL_OK)
			return rc;
		v = ((uint64_t)b[0] << 24 | (uint64_t)b[1] << 16 |
		    (uint64_t)b[2] << 8 | b[3]) & mask;
	} while (v < MINDL_STATUS_IDX_MIN);
	*out = v;
	return MINDL_OK;
}

int
reg_batch_begin(struct registry *r, const struct reg_licence *l, size_t n,
    uint64_t *idx)
{
	sqlite3_stmt *st = NULL;
	uint64_t *old = NULL, room;
	size_t nold = 0, i;
	int64_t until = 0, used = 0;
	int rc, revoked = 0;

	if ((rc = tx_begin(r)) != MINDL_OK)
		return rc;
	if ((rc = licence_get(r, l, &revoked, &until, &old, &nold)) < 0)
		goto fail;
	free(old);
	if (rc == 1 && revoked) {
		rc = MINDL_ERR_REVOKED;
		goto fail;
	}
	if (r->cfg.short_lived)
		return MINDL_OK;
	if ((rc = meta_get(r, "issued_msos", &used, NULL, 0, NULL)) !=
	    MINDL_OK)
		goto fail;
	room = (((uint64_t)1 << r->cfg.list_log2) - MINDL_STATUS_IDX_MIN) /
	    FILL_DEN * FILL_NUM;
	if (used < 0 || (uint64_t)used + n > room) {
		rc = MINDL_ERR_LIST_FULL;
		goto fail;
	}
	if ((rc = prep(r, "INSERT INTO used(idx) VALUES(?)", &st)) !=
	    MINDL_OK)
		goto fail;
	for (i = 0; i < n; ) {
		if ((rc = draw_index(r, &idx[i])) != MINDL_OK)
			goto fail;
		sqlite3_bind_int64(st, 1, (int64_t)idx[i]);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			i++;
		else if (rc != SQLITE_CONSTRAINT_PRIMARYKEY) {
			rc = dberr(r, "used");
			goto fail;
		}
		/* Taken already (by anyone, ever): draw again. */
	}
	sqlite3_finalize(st);
	return MINDL_OK;
 fail:
	sqlite3_finalize(st);
	rollback(r);
	return rc;
}

int
reg_batch_commit(struct registry *r, const struct reg_licence *l,
    const uint8_t *cred_id, size_t idlen, int64_t valid_until,
    const char *signer, const uint64_t *idx, size_t n, const char *action,
    const char *operator, int64_t now)
{
	sqlite3_stmt *st = NULL;
	uint64_t *old = NULL, *all = NULL;
	size_t nold = 0;
	int64_t until = 0, used = 0;
	int rc, revoked = 0, found;

	if (!r->in_tx)
		return MINDL_ERR_INVALID_ARG;
	if ((rc = prep(r, "INSERT INTO credential(id, until, signer, copies) "
	    "VALUES(?, ?, ?, ?)", &st)) != MINDL_OK)
		goto fail;
	sqlite3_bind_blob(st, 1, cred_id, (int)idlen, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, valid_until);
	sqlite3_bind_text(st, 3, signer, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (int64_t)n);
	rc = sqlite3_step(st) == SQLITE_DONE ? MINDL_OK :
	    dberr(r, "credential");
	sqlite3_finalize(st);
	if (rc != MINDL_OK)
		goto fail;
	if ((found = licence_get(r, l, &revoked, &until, &old, &nold)) < 0) {
		rc = found;
		goto fail;
	}
	if (r->cfg.short_lived)
		n = 0;
	if ((all = calloc(nold + n + 1, sizeof(*all))) == NULL) {
		rc = MINDL_ERR_NOMEM;
		goto fail;
	}
	if (nold > 0)
		memcpy(all, old, nold * sizeof(*all));
	if (n > 0)
		memcpy(all + nold, idx, n * sizeof(*all));
	if ((rc = licence_put(r, l, 0, until > valid_until ? until :
	    valid_until, all, nold + n)) != MINDL_OK)
		goto fail;
	if (n > 0 && ((rc = meta_get(r, "issued_msos", &used, NULL, 0,
	    NULL)) != MINDL_OK || (rc = meta_set_int(r, "issued_msos",
	    used + (int64_t)n)) != MINDL_OK))
		goto fail;
	rc = reg_audit(r, action, operator, n, now);
 fail:
	free(old);
	free(all);
	return tx_end(r, rc);
}

int
reg_check_not_revoked(struct registry *r, const struct reg_licence *l)
{
	uint64_t *idx = NULL;
	size_t n = 0;
	int64_t until = 0;
	int revoked = 0, rc;

	rc = licence_get(r, l, &revoked, &until, &idx, &n);
	free(idx);
	if (rc < 0)
		return rc;
	return rc == 1 && revoked ? MINDL_ERR_REVOKED : MINDL_OK;
}

int
reg_licence_has_index(struct registry *r, const struct reg_licence *l,
    uint64_t want)
{
	uint64_t *idx = NULL;
	size_t n = 0, i;
	int64_t until = 0;
	int revoked = 0, rc, has = 0;

	if ((rc = licence_get(r, l, &revoked, &until, &idx, &n)) < 0)
		return rc;
	for (i = 0; i < n; i++)
		has |= idx[i] == want;
	free(idx);
	return has;
}

int
reg_revoke(struct registry *r, const struct reg_licence *l,
    const char *operator, int64_t now, size_t *count)
{
	sqlite3_stmt *st = NULL;
	uint64_t *idx = NULL;
	size_t n = 0, i;
	int64_t until = 0;
	int revoked = 0, rc;

	*count = 0;
	if ((rc = tx_begin(r)) != MINDL_OK)
		return rc;
	if ((rc = licence_get(r, l, &revoked, &until, &idx, &n)) < 0)
		goto fail;
	if (rc == 0) {
		rc = MINDL_ERR_UNKNOWN_LICENCE;
		goto fail;
	}
	if ((rc = prep(r, "INSERT OR IGNORE INTO revoked(idx) VALUES(?)",
	    &st)) != MINDL_OK)
		goto fail;
	for (i = 0; i < n; i++) {
		sqlite3_bind_int64(st, 1, (int64_t)idx[i]);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = dberr(r, "revoked");
			goto fail;
		}
		*count += (size_t)sqlite3_changes(r->db);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = licence_put(r, l, 1, until, idx, n)) == MINDL_OK)
		rc = reg_audit(r, "revoke", operator, *count, now);
 fail:
	sqlite3_finalize(st);
	free(idx);
	return tx_end(r, rc);
}

static int
exec_count(struct registry *r, const char *sql, int64_t now, size_t *n)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = prep(r, sql, &st)) != MINDL_OK)
		return rc;
	sqlite3_bind_int64(st, 1, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? MINDL_OK : dberr(r, sql);
	sqlite3_finalize(st);
	if (n != NULL)
		*n = (size_t)sqlite3_changes(r->db);
	return rc;
}

int
reg_purge(struct registry *r, const char *operator, int64_t now,
    size_t *credentials, size_t *licences)
{
	int rc;

	*credentials = *licences = 0;
	if ((rc = tx_begin(r)) != MINDL_OK)
		return rc;
	if ((rc = exec_count(r, "DELETE FROM credential WHERE until < ?", now,
	    credentials)) != MINDL_OK ||
	    (rc = exec_count(r, "DELETE FROM licence WHERE until < ? AND "
	    "revoked = 0", now, licences)) != MINDL_OK ||
	    /* A revoked licence keeps its row (renewal stays refused) but
	     * not its expired MSOs' indices. */
	    (rc = exec_count(r, "UPDATE licence SET sealed = x'' WHERE "
	    "until < ? AND revoked = 1 AND length(sealed) > 0", now,
	    NULL)) != MINDL_OK ||
	    (rc = exec_count(r, "DELETE FROM challenge WHERE exp < ?", now,
	    NULL)) != MINDL_OK ||
	    (rc = reg_audit(r, "purge", operator, *credentials, now)) !=
	    MINDL_OK || (rc = tx_end(r, MINDL_OK)) != MINDL_OK) {
		rollback(r);
		return rc;
	}
	/* Out of the WAL too: the old pages are overwritten. */
	return exec(r, "PRAGMA wal_checkpoint(TRUNCATE)");
}

int
reg_status_bits(struct registry *r, uint8_t **bits, size_t *nbytes,
    size_t *nrevoked)
{
	sqlite3_stmt *st = NULL;
	size_t len = ((size_t)1 << r->cfg.list_log2) / 8;
	uint8_t *b;
	int64_t v;
	int rc;

	*bits = NULL;
	*nbytes = *nrevoked = 0;
	if ((b = calloc(1, len)) == NULL)
		return MINDL_ERR_NOMEM;
	if ((rc = prep(r, "SELECT idx FROM revoked", &st)) != MINDL_OK) {
		free(b);
		return rc;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		if (v < 0 || (uint64_t)v >= 8 * (uint64_t)len)
			continue;
		b[v / 8] |= (uint8_t)(1u << (v % 8));
		(*nrevoked)++;
	}
	rc = rc == SQLITE_DONE ? MINDL_OK : dberr(r, "revoked");
	sqlite3_finalize(st);
	if (rc != MINDL_OK) {
		free(b);
		return rc;
	}
	*bits = b;
	*nbytes = len;
	return MINDL_OK;
}

int
reg_challenge_new(struct registry *r, uint8_t ch[32], int64_t now,
    int64_t exp, const char *operator)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = mindl_random(ch, 32)) != MINDL_OK)
		return rc;
	if ((rc = tx_begin(r)) != MINDL_OK)
		return rc;
	if ((rc = prep(r, "INSERT INTO challenge(ch, exp) VALUES(?, ?)",
	    &st)) == MINDL_OK) {
		sqlite3_bind_blob(st, 1, ch, 32, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, exp);
		rc = sqlite3_step(st) == SQLITE_DONE ? MINDL_OK :
		    dberr(r, "challenge");
		sqlite3_finalize(st);
	}
	if (rc == MINDL_OK)
		rc = reg_audit(r, "challenge", operator, 1, now);
	return tx_end(r, rc);
}

int
reg_challenge_take(struct registry *r, const uint8_t ch[32], int64_t now)
{
	sqlite3_stmt *st = NULL;
	int rc, n;

	if ((rc = prep(r, "DELETE FROM challenge WHERE ch = ? AND exp >= ?",
	    &st)) != MINDL_OK)
		return rc;
	sqlite3_bind_blob(st, 1, ch, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st) == SQLITE_DONE ? MINDL_OK :
	    dberr(r, "challenge");
	n = sqlite3_changes(r->db);
	sqlite3_finalize(st);
	if (rc != MINDL_OK)
		return rc;
	return n == 1 ? MINDL_OK : MINDL_ERR_CHALLENGE;
}

int
reg_officer_add(struct registry *r, const struct reg_officer *o,
    const char *operator, int64_t now)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = tx_begin(r)) != MINDL_OK)
		return rc;
	if ((rc = prep(r, "INSERT INTO officer(id, rpid, cred_id, pubkey, "
	    "enrolled) VALUES(?, ?, ?, ?, ?)", &st)) == MINDL_OK) {
		sqlite3_bind_text(st, 1, o->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, o->rpid, -1, SQLITE_STATIC);
		sqlite3_bind_blob(st, 3, o->cred_id, (int)o->cred_idlen,
		    SQLITE_STATIC);
		sqlite3_bind_blob(st, 4, o->pubkey, (int)o->pubkeylen,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, now);
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? MINDL_OK :
		    rc == SQLITE_CONSTRAINT_PRIMARYKEY ? MINDL_ERR_EXISTS :
		    dberr(r, "officer");
		sqlite3_finalize(st);
	}
	if (rc == MINDL_OK)
		rc = reg_audit(r, "officer-enroll", operator, 1, now);
	return tx_end(r, rc);
}

int
reg_officer_remove(struct registry *r, const char *id, const char *operator,
    int64_t now)
{
	sqlite3_stmt *st = NULL;
	int64_t n = 0;
	int rc;

	if ((rc = tx_begin(r)) != MINDL_OK)
		return rc;
	/* Counted under the write lock: two removals cannot both pass. */
	if ((rc = query_int(r, "SELECT count(*) FROM officer", &n)) ==
	    MINDL_OK && (rc = prep(r, "DELETE FROM officer WHERE id = ?",
	    &st)) == MINDL_OK) {
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? MINDL_OK :
		    dberr(r, "officer");
		if (rc == MINDL_OK && sqlite3_changes(r->db) != 1)
			rc = MINDL_ERR_UNKNOWN_OFFICER;
		else if (rc == MINDL_OK && n <= 1)
			rc = MINDL_ERR_LAST_OFFICER;
		sqlite3_finalize(st);
	}
	if (rc == MINDL_OK)
		rc = reg_audit(r, "officer-remove", operator, 1, now);
	return tx_end(r, rc);
}

int
reg_officer_count(struct registry *r, uint64_t *n)
{
	int64_t v = 0;
	int rc;

	if ((rc = query_int(r, "SELECT count(*) FROM officer", &v)) !=
	    MINDL_OK)
		return rc;
	*n = (uint64_t)v;
	return MINDL_OK;
}

int
reg_officer_get(struct registry *r, const char *id, struct reg_officer *o)
{
	sqlite3_stmt *st = NULL;
	const void *p;
	int rc, n;

	memset(o, 0, sizeof(*o));
	if ((rc = prep(r, "SELECT rpid, cred_id, pubkey FROM officer WHERE "
	    "id = ?", &st)) != MINDL_OK)
		return rc;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rc == SQLITE_DONE ? MINDL_ERR_UNKNOWN_OFFICER :
		    dberr(r, "officer");
	}
	snprintf(o->id, sizeof(o->id), "%s", id);
	snprintf(o->rpid, sizeof(o->rpid), "%s",
	    (const char *)sqlite3_column_text(st, 0));
	p = sqlite3_column_blob(st, 1);
	n = sqlite3_column_bytes(st, 1);
	if (p == NULL || n <= 0 || (size_t)n > sizeof(o->cred_id))
		rc = MINDL_ERR_REGISTRY;
	else {
		memcpy(o->cred_id, p, (size_t)n);
		o->cred_idlen = (size_t)n;
		p = sqlite3_column_blob(st, 2);
		n = sqlite3_column_bytes(st, 2);
		if (p == NULL || n <= 0 || (size_t)n > sizeof(o->pubkey))
			rc = MINDL_ERR_REGISTRY;
		else {
			memcpy(o->pubkey, p, (size_t)n);
			o->pubkeylen = (size_t)n;
			rc = MINDL_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

int
reg_officer_each(struct registry *r,
    int (*fn)(void *arg, const char *id, int64_t enrolled), void *arg)
{
	sqlite3_stmt *st = NULL;
	int rc, sr;

	if ((rc = prep(r, "SELECT id, enrolled FROM officer ORDER BY id",
	    &st)) != MINDL_OK)
		return rc;
	while ((sr = sqlite3_step(st)) == SQLITE_ROW)
		if ((rc = fn(arg, (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int64(st, 1))) != MINDL_OK)
			break;
	if (rc == MINDL_OK && sr != SQLITE_DONE)
		rc = dberr(r, "officer");
	sqlite3_finalize(st);
	return rc;
}

int
reg_audit_tail(struct registry *r, unsigned n,
    int (*fn)(void *arg, const struct reg_audit_row *row), void *arg)
{
	struct reg_audit_row row;
	sqlite3_stmt *st = NULL;
	int rc, sr;

	/* The last n rows, oldest first. */
	if ((rc = prep(r, "SELECT seq, at, action, operator, count FROM "
	    "(SELECT * FROM audit ORDER BY seq DESC LIMIT ?) ORDER BY seq",
	    &st)) != MINDL_OK)
		return rc;
	sqlite3_bind_int64(st, 1, n);
	while ((sr = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		row.seq = sqlite3_column_int64(st, 0);
		row.at = sqlite3_column_int64(st, 1);
		snprintf(row.action, sizeof(row.action), "%s",
		    (const char *)sqlite3_column_text(st, 2));
		snprintf(row.operator, sizeof(row.operator), "%s",
		    (const char *)sqlite3_column_text(st, 3));
		row.count = (uint64_t)sqlite3_column_int64(st, 4);
		if ((rc = fn(arg, &row)) != MINDL_OK)
			break;
	}
	if (rc == MINDL_OK && sr != SQLITE_DONE)
		rc = dberr(r, "audit");
	sqlite3_finalize(st);
	return rc;
}

int
reg_check(struct registry *r, struct reg_stats *s, char *why, size_t whylen)
{
	sqlite3_stmt *st = NULL;
	int64_t v = 0, issued = 0;
	int rc;

	memset(s, 0, sizeof(*s));
	why[0] = '\0';
	if ((rc = prep(r, "PRAGMA integrity_check", &st)) != MINDL_OK)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return dberr(r, "integrity_check");
	}
	if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0)
		snprintf(why, whylen, "SQLite: %s",
		    (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if ((rc = prep(r, "PRAGMA foreign_key_check", &st)) != MINDL_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW && why[0] == '\0')
		snprintf(why, whylen, "a revoked index that was never issued");
	sqlite3_finalize(st);
#define Q(field, sql) do {						\
	if ((rc = query_int(r, sql, &v)) != MINDL_OK)			\
		return rc;						\
	s->field = (uint64_t)v;						\
} while (0)
	Q(licences, "SELECT count(*) FROM licence");
	Q(revoked_licences, "SELECT count(*) FROM licence WHERE revoked = 1");
	Q(credentials, "SELECT count(*) FROM credential");
	Q(indices_used, "SELECT count(*) FROM used");
	Q(indices_revoked, "SELECT count(*) FROM revoked");
	Q(challenges, "SELECT count(*) FROM challenge");
	Q(audit_rows, "SELECT count(*) FROM audit");
	Q(officers, "SELECT count(*) FROM officer");
#undef Q
	if ((rc = query_int(r, "PRAGMA user_version", &v)) != MINDL_OK ||
	    (rc = meta_get(r, "created", &s->created, NULL, 0, NULL)) !=
	    MINDL_OK ||
	    (rc = meta_get(r, "issued_msos", &issued, NULL, 0, NULL)) !=
	    MINDL_OK)
		return rc;
	s->schema_version = (int)v;
	/* Every index drawn was drawn by a batch that committed whole. */
	if (why[0] == '\0' && (uint64_t)issued != s->indices_used)
		snprintf(why, whylen, "%llu indices in use, but %lld MSOs "
		    "recorded", (unsigned long long)s->indices_used,
		    (long long)issued);
	return why[0] == '\0' ? MINDL_OK : MINDL_ERR_REGISTRY;
}
