/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-verifier: the trust store, the IACA roots a verifier trusts with
 * where each came from (see verifier.h).
 *
 * One row per root: its DER and SHA-256, the names a person reads (C, ST,
 * CN), the docTypes it may sign, its source ("vical" or "pem") and
 * provenance (the list's provider, issue and date, or the file it was
 * imported from), and the Annex B deviations allowed for it
 * (mindl/x509.h).  Roots are checked when imported; loading them again
 * (tdb_load) re-checks each as mindl_trust does, so a row altered on disk
 * is a root refused, never one trusted.
 *
 * As the status cache (statusdb.c): 0600 in a 0700 directory, WAL,
 * SQLITE_DBCONFIG_DEFENSIVE, no symlinks, PRAGMA application_id "mdlt"
 * and user_version, bound parameters only; verify opens it read-only and
 * immutable, so that verifying writes nothing.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "verifier.h"

#define TDB_APP_ID	0x6d646c74	/* "mdlt" */
#define TDB_VERSION	1
#define TDB_FILE	"trust.db"

struct tdb {
	sqlite3		*db;
	char		 err[256];
};

static const char schema_sql[] =
    "CREATE TABLE roots ("
    " id INTEGER PRIMARY KEY,"
    " sha256 BLOB NOT NULL UNIQUE CHECK (length(sha256) = 32),"
    " der BLOB NOT NULL,"
    " c TEXT NOT NULL,"
    " st TEXT NOT NULL,"
    " cn TEXT NOT NULL,"
    " doctypes TEXT NOT NULL,"
    " source TEXT NOT NULL CHECK (source IN ('vical', 'pem')),"
    " provenance TEXT NOT NULL,"
    " deviations INTEGER NOT NULL,"
    " not_after INTEGER NOT NULL,"
    " imported INTEGER NOT NULL);";

static int
db_fail(struct tdb *s, const char *what)
{
	snprintf(s->err, sizeof(s->err), "%s: %s", what,
	    s->db != NULL ? sqlite3_errmsg(s->db) : "cannot open");
	return MINDL_ERR_DATABASE;
}

const char *
tdb_errmsg(const struct tdb *s)
{
	return s != NULL && s->err[0] != '\0' ? s->err : NULL;
}

int
tdb_default_path(char **out)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	size_t n;

	*out = NULL;
	/* The XDG base directory rule: a relative value is ignored. */
	if (xdg != NULL && xdg[0] == '/') {
		n = strlen(xdg) + sizeof("/mindl/" TDB_FILE);
		if ((*out = malloc(n)) == NULL)
			return MINDL_ERR_NOMEM;
		snprintf(*out, n, "%s/mindl/" TDB_FILE, xdg);
		return MINDL_OK;
	}
	if (home == NULL || home[0] != '/')
		return MINDL_ERR_CONFIG;
	n = strlen(home) + sizeof("/.local/share/mindl/" TDB_FILE);
	if ((*out = malloc(n)) == NULL)
		return MINDL_ERR_NOMEM;
	snprintf(*out, n, "%s/.local/share/mindl/" TDB_FILE, home);
	return MINDL_OK;
}

int
tdb_resolve(const char *given, char **out)
{
	struct stat sb;
	size_t n;

	*out = NULL;
	/* A directory holds the store as trust.db. */
	if (stat(given, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		n = strlen(given) + sizeof("/" TDB_FILE);
		if ((*out = malloc(n)) == NULL)
			return MINDL_ERR_NOMEM;
		snprintf(*out, n, "%s/" TDB_FILE, given);
		return MINDL_OK;
	}
	if ((*out = strdup(given)) == NULL)
		return MINDL_ERR_NOMEM;
	return MINDL_OK;
}

int
tdb_is_store(const char *path)
{
	static const char magic[16] = "SQLite format 3";
	struct stat sb;
	char head[16];
	ssize_t n;
	int fd, is;

	if (stat(path, &sb) != 0)
		return 0;
	if (S_ISDIR(sb.st_mode))
		return 1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, head, sizeof(head));
	(void)close(fd);
	/* The 16-byte header string, NUL included, of every SQLite file. */
	is = n == (ssize_t)sizeof(head) && memcmp(head, magic,
	    sizeof(magic)) == 0;
	return is;
}

/* mkdir -p of path's directory, 0700 for what it creates. */
static int
make_parents(const char *path)
{
	char *d, *p, c;
	int r = MINDL_OK;

	if ((d = strdup(path)) == NULL)
		return MINDL_ERR_NOMEM;
	if ((p = strrchr(d, '/')) == NULL || p == d) {
		free(d);
		return MINDL_OK;
	}
	*p = '\0';
	for (p = d + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(d, 0700) != 0 && errno != EEXIST) {
			r = errno == EACCES ? MINDL_ERR_ACCESS : MINDL_ERR_IO;
			break;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	free(d);
	return r;
}

static int
check_schema(struct tdb *s, int create)
{
	sqlite3_stmt *st = NULL;
	int64_t app = 0, ver = 0, tables = 0;
	int r = MINDL_ERR_DATABASE;

	if (sqlite3_prepare_v2(s->db, "SELECT (SELECT application_id FROM "
	    "pragma_application_id), (SELECT user_version FROM "
	    "pragma_user_version), (SELECT count(*) FROM sqlite_schema)", -1,
	    &st, NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		r = db_fail(s, "schema");
		goto out;
	}
	app = sqlite3_column_int64(st, 0);
	ver = sqlite3_column_int64(st, 1);
	tables = sqlite3_column_int64(st, 2);
	sqlite3_finalize(st);
	st = NULL;
	if (app == 0 && ver == 0 && tables == 0 && create) {
		if (sqlite3_exec(s->db, "BEGIN IMMEDIATE;", NULL, NULL,
		    NULL) != SQLITE_OK || sqlite3_exec(s->db, schema_sql,
		    NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(s->db, "PRAGMA application_id = 1835297908;"
		    "PRAGMA user_version = 1; COMMIT;", NULL, NULL, NULL) !=
		    SQLITE_OK) {
			r = db_fail(s, "create");
			(void)sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL,
			    NULL);
			goto out;
		}
		r = MINDL_OK;
		goto out;
	}
	if (app == 0 && ver == 0 && tables == 0) {
		r = MINDL_OK;	/* empty (read-only): no roots */
		goto out;
	}
	if (app != TDB_APP_ID) {
		snprintf(s->err, sizeof(s->err), "not a mindl trust store");
		goto out;
	}
	if (ver != TDB_VERSION) {
		snprintf(s->err, sizeof(s->err), "schema version %lld, this "
		    "mindl-verifier knows %d: use a matching version",
		    (long long)ver, TDB_VERSION);
		goto out;
	}
	r = MINDL_OK;
 out:
	sqlite3_finalize(st);
	return r;
}

void
tdb_close(struct tdb **sp)
{
	struct tdb *s;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	*sp = NULL;
	(void)sqlite3_close(s->db);
	free(s);
}

/* "file:PATH?mode=ro&immutable=1" with PATH's URI specials escaped. */
static char *
ro_uri(const char *path)
{
	size_t n = strlen(path) * 3 + 64;
	char *uri, *q;
	const char *p;

	if ((uri = malloc(n)) == NULL)
		return NULL;
	q = uri;
	q += snprintf(q, n, "file:");
	for (p = path; *p != '\0'; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			q += snprintf(q, 4, "%%%02X", (unsigned char)*p);
		else
			*q++ = *p;
	}
	snprintf(q, n - (size_t)(q - uri), "?mode=ro&immutable=1");
	return uri;
}

int
tdb_open(const char *path, int writable, int make_dirs, struct tdb **out,
    char *err, size_t errlen)
{
	struct tdb *s = NULL;
	struct stat sb;
	char *uri = NULL;
	int fd, r = MINDL_ERR_INTERNAL, flags;

	*out = NULL;
	err[0] = '\0';
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if (!writable) {
		if (lstat(path, &sb) != 0) {
			r = errno == ENOENT ? MINDL_ERR_NO_FILE : MINDL_ERR_IO;
			goto fail;
		}
		/* Read-only and immutable: verifying creates no file. */
		if ((uri = ro_uri(path)) == NULL) {
			r = MINDL_ERR_NOMEM;
			goto fail;
		}
		flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
		    SQLITE_OPEN_NOFOLLOW;
		if (sqlite3_open_v2(uri, &s->db, flags, NULL) != SQLITE_OK) {
			r = db_fail(s, "open");
			goto fail;
		}
	} else {
		if (make_dirs && (r = make_parents(path)) != MINDL_OK)
			goto fail;
		/* Made 0600 here, before SQLite sees it (its -wal too). */
		if ((fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, 0600)) >= 0)
			(void)close(fd);
		else if (errno != EEXIST) {
			r = errno == EACCES ? MINDL_ERR_ACCESS :
			    errno == ENOENT ? MINDL_ERR_NO_FILE : MINDL_ERR_IO;
			goto fail;
		}
		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW;
		if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
			r = db_fail(s, "open");
			goto fail;
		}
	}
	if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) !=
	    SQLITE_OK || sqlite3_db_config(s->db,
	    SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) != SQLITE_OK ||
	    sqlite3_busy_timeout(s->db, 5000) != SQLITE_OK) {
		r = db_fail(s, "configure");
		goto fail;
	}
	if (writable && sqlite3_exec(s->db, "PRAGMA journal_mode = WAL;",
	    NULL, NULL, NULL) != SQLITE_OK) {
		r = db_fail(s, "journal_mode");
		goto fail;
	}
	if ((r = check_schema(s, writable)) != MINDL_OK)
		goto fail;
	*out = s;
	s = NULL;
	r = MINDL_OK;
 fail:
	if (s != NULL && s->err[0] != '\0')
		snprintf(err, errlen, "%s", s->err);
	tdb_close(&s);
	free(uri);
	return r;
}

int
tdb_begin(struct tdb *s)
{
	return sqlite3_exec(s->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL) ==
	    SQLITE_OK ? MINDL_OK : db_fail(s, "begin");
}

int
tdb_commit(struct tdb *s)
{
	if (sqlite3_exec(s->db, "COMMIT;", NULL, NULL, NULL) == SQLITE_OK)
		return MINDL_OK;
	(void)db_fail(s, "commit");
	(void)sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
	return MINDL_ERR_DATABASE;
}

void
tdb_rollback(struct tdb *s)
{
	(void)sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
}

int
tdb_put(struct tdb *s, const struct tdb_row *row, int *replaced)
{
	sqlite3_stmt *st = NULL;
	int r = MINDL_ERR_DATABASE;

	*replaced = 0;
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM roots WHERE sha256 = ?",
	    -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 1, row->sha256, MINDL_SHA256_LEN,
	    SQLITE_STATIC) != SQLITE_OK) {
		r = db_fail(s, "lookup");
		goto out;
	}
	*replaced = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	st = NULL;
	/* The newest import says where a root comes from and what it may. */
	if (sqlite3_prepare_v2(s->db, "INSERT INTO roots (sha256, der, c, st,"
	    " cn, doctypes, source, provenance, deviations, not_after,"
	    " imported) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT (sha256) DO UPDATE SET doctypes = excluded.doctypes,"
	    " source = excluded.source, provenance = excluded.provenance,"
	    " deviations = excluded.deviations, imported = excluded.imported",
	    -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 1, row->sha256, MINDL_SHA256_LEN,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 2, row->der, (int)row->len,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 3, row->c, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 4, row->st, -1, SQLITE_STATIC) !=
	    SQLITE_OK ||
	    sqlite3_bind_text(st, 5, row->cn, -1, SQLITE_STATIC) !=
	    SQLITE_OK ||
	    sqlite3_bind_text(st, 6, row->doctypes, -1, SQLITE_STATIC) !=
	    SQLITE_OK ||
	    sqlite3_bind_text(st, 7, row->source, -1, SQLITE_STATIC) !=
	    SQLITE_OK ||
	    sqlite3_bind_text(st, 8, row->provenance, -1, SQLITE_STATIC) !=
	    SQLITE_OK ||
	    sqlite3_bind_int64(st, 9, row->deviations) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 10, row->not_after) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 11, row->imported) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		r = db_fail(s, "insert");
		goto out;
	}
	r = MINDL_OK;
 out:
	sqlite3_finalize(st);
	return r;
}

int
tdb_remove(struct tdb *s, const char *hexprefix, size_t *removed)
{
	sqlite3_stmt *st = NULL;
	char like[2 * MINDL_SHA256_LEN + 2];
	int r = MINDL_ERR_DATABASE;

	*removed = 0;
	/* Checked by the caller: hex digits only, so LIKE sees no '%'. */
	snprintf(like, sizeof(like), "%s%%", hexprefix);
	if (sqlite3_prepare_v2(s->db, "DELETE FROM roots WHERE"
	    " lower(hex(sha256)) LIKE ?", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		r = db_fail(s, "delete");
		goto out;
	}
	*removed = (size_t)sqlite3_changes(s->db);
	r = MINDL_OK;
 out:
	sqlite3_finalize(st);
	return r;
}

int
tdb_count_prefix(struct tdb *s, const char *hexprefix, size_t *n)
{
	sqlite3_stmt *st = NULL;
	char like[2 * MINDL_SHA256_LEN + 2];
	int r = MINDL_ERR_DATABASE;

	*n = 0;
	snprintf(like, sizeof(like), "%s%%", hexprefix);
	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM roots WHERE"
	    " lower(hex(sha256)) LIKE ?", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, like, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		r = db_fail(s, "count");
		goto out;
	}
	*n = (size_t)sqlite3_column_int64(st, 0);
	r = MINDL_OK;
 out:
	sqlite3_finalize(st);
	return r;
}

static void
col_text(sqlite3_stmt *st, int i, char *out, size_t outlen)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	snprintf(out, outlen, "%s", t != NULL ? (const char *)t : "");
}

int
tdb_each(struct tdb *s, int (*fn)(void *, const struct tdb_row *), void *arg)
{
	sqlite3_stmt *st = NULL;
	struct tdb_row row;
	const void *h;
	int r = MINDL_ERR_DATABASE, step;

	if (sqlite3_prepare_v2(s->db, "SELECT sha256, der, c, st, cn,"
	    " doctypes, source, provenance, deviations, not_after, imported"
	    " FROM roots ORDER BY c, st, cn, id", -1, &st, NULL) !=
	    SQLITE_OK) {
		r = db_fail(s, "select");
		goto out;
	}
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		h = sqlite3_column_blob(st, 0);
		if (h == NULL || sqlite3_column_bytes(st, 0) !=
		    MINDL_SHA256_LEN || sqlite3_column_bytes(st, 1) <= 0) {
			r = db_fail(s, "row");
			goto out;
		}
		memcpy(row.sha256, h, MINDL_SHA256_LEN);
		row.der = sqlite3_column_blob(st, 1);
		row.len = (size_t)sqlite3_column_bytes(st, 1);
		col_text(st, 2, row.c, sizeof(row.c));
		col_text(st, 3, row.st, sizeof(row.st));
		col_text(st, 4, row.cn, sizeof(row.cn));
		col_text(st, 5, row.doctypes, sizeof(row.doctypes));
		col_text(st, 6, row.source, sizeof(row.source));
		col_text(st, 7, row.provenance, sizeof(row.provenance));
		row.deviations = (unsigned)sqlite3_column_int64(st, 8) &
		    MINDL_DEV_ALL;
		row.not_after = sqlite3_column_int64(st, 9);
		row.imported = sqlite3_column_int64(st, 10);
		if ((r = fn(arg, &row)) != MINDL_OK)
			goto out;
	}
	if (step != SQLITE_DONE) {
		r = db_fail(s, "select");
		goto out;
	}
	r = MINDL_OK;
 out:
	sqlite3_finalize(st);
	return r;
}

struct load_ctx {
	struct mindl_trust	*t;
	size_t			 n;
};

static int
load_one(void *arg, const struct tdb_row *row)
{
	struct load_ctx *lc = arg;
	uint8_t h[MINDL_SHA256_LEN];
	int r;

	/* A row whose DER is not what its hash says was altered. */
	if ((r = mindl_sha256(row->der, row->len, h)) != MINDL_OK)
		return r;
	if (memcmp(h, row->sha256, sizeof(h)) != 0)
		return MINDL_ERR_DATABASE;
	if ((r = mindl_trust_add_der_allow(lc->t, row->der, row->len,
	    row->deviations)) != MINDL_OK)
		return r;
	lc->n++;
	return MINDL_OK;
}

int
tdb_load(struct tdb *s, struct mindl_trust *t, size_t *n)
{
	struct load_ctx lc = { t, 0 };
	int r;

	r = tdb_each(s, load_one, &lc);
	*n = lc.n;
	return r;
}
