/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-verifier: the status-list cache, the one file of the verifier
 * that knows SQLite (see verifier.h).
 *
 * One row per list uri: the verified list's claims, the SHA-256 of the
 * IACA its signer chained to, the signer's key id, when it was
 * imported, and the inflated list as a BLOB, so that a lookup reads one
 * byte (sqlite3_blob_read) and never inflates or verifies anything.  The
 * cache holds lists, which are the same for every holder: nothing in it
 * says which credential was ever looked up (verify opens it read-only).
 *
 * The file is 0600 in a 0700 directory, in WAL mode, opened with
 * SQLITE_DBCONFIG_DEFENSIVE and without following symlinks; PRAGMA
 * application_id marks it as mindl's and PRAGMA user_version holds the
 * schema's version, so that another database, or a newer schema, is
 * refused rather than misread.  Statements are prepared with bound
 * parameters only.
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

#define SDB_APP_ID	0x6d646c73	/* "mdls" */
#define SDB_VERSION	1

struct sdb {
	sqlite3		*db;
	char		 err[256];	/* the last SQLite message */
};

static const char schema_sql[] =
    "CREATE TABLE lists ("
    " id INTEGER PRIMARY KEY,"
    " uri TEXT NOT NULL UNIQUE,"
    " iat INTEGER NOT NULL,"
    " exp INTEGER NOT NULL,"
    " ttl INTEGER,"
    " root BLOB NOT NULL CHECK (length(root) = 32),"
    " signer TEXT NOT NULL,"
    " token_sha256 BLOB NOT NULL,"
    " imported INTEGER NOT NULL,"
    " entries INTEGER NOT NULL,"
    " bitmap BLOB NOT NULL);";

/* Keeps SQLite's message for the caller; returns MINDL_ERR_DATABASE. */
static int
db_fail(struct sdb *s, const char *what)
{
	snprintf(s->err, sizeof(s->err), "%s: %s", what,
	    s->db != NULL ? sqlite3_errmsg(s->db) : "cannot open");
	return MINDL_ERR_DATABASE;
}

const char *
sdb_errmsg(const struct sdb *s)
{
	return s != NULL && s->err[0] != '\0' ? s->err : NULL;
}

int
sdb_default_path(char **out)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
	size_t n;

	*out = NULL;
	/* The XDG base directory rule: a relative value is ignored. */
	if (xdg != NULL && xdg[0] == '/') {
		n = strlen(xdg) + sizeof("/mindl/status.db");
		if ((*out = malloc(n)) == NULL)
			return MINDL_ERR_NOMEM;
		snprintf(*out, n, "%s/mindl/status.db", xdg);
		return MINDL_OK;
	}
	if (home == NULL || home[0] != '/')
		return MINDL_ERR_CONFIG;
	n = strlen(home) + sizeof("/.local/share/mindl/status.db");
	if ((*out = malloc(n)) == NULL)
		return MINDL_ERR_NOMEM;
	snprintf(*out, n, "%s/.local/share/mindl/status.db", home);
	return MINDL_OK;
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

/* The schema: made in an empty database, checked in one of ours. */
static int
check_schema(struct sdb *s, int create)
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
		    sqlite3_exec(s->db, "PRAGMA application_id = 1835297907;"
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
		r = MINDL_OK;	/* empty (read-only): nothing cached */
		goto out;
	}
	if (app != SDB_APP_ID) {
		snprintf(s->err, sizeof(s->err), "not a mindl status cache");
		goto out;
	}
	if (ver != SDB_VERSION) {
		snprintf(s->err, sizeof(s->err), "schema version %lld, this "
		    "mindl-verifier knows %d: use a matching version",
		    (long long)ver, SDB_VERSION);
		goto out;
	}
	r = MINDL_OK;
 out:
	sqlite3_finalize(st);
	return r;
}

void
sdb_close(struct sdb **sp)
{
	struct sdb *s;

	if (sp == NULL || (s = *sp) == NULL)
		return;
	*sp = NULL;
	(void)sqlite3_close(s->db);
	free(s);
}

int
sdb_open(const char *path, int writable, int make_dirs, struct sdb **out,
    char *err, size_t errlen)
{
	struct sdb *s = NULL;
	struct stat sb;
	char *uri = NULL;
	size_t n;
	int fd, r = MINDL_ERR_INTERNAL, flags;

	*out = NULL;
	err[0] = '\0';
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if (!writable) {
		/* Nothing imported yet: no cache, and none is made. */
		if (lstat(path, &sb) != 0) {
			r = errno == ENOENT ? MINDL_ERR_NO_FILE : MINDL_ERR_IO;
			goto fail;
		}
		/*
		 * Read-only and immutable: a verifier that only looks lists
		 * up creates no file (DESIGN.md section 4, rule 4), while a
		 * read-only connection to a WAL database would still create
		 * its -wal and -shm.  Immutable means no locks and no WAL:
		 * what an import committed is in the main file once it closed
		 * (its last connection checkpoints).  Only while an import
		 * checkpoints can a lookup read pages of both lists: the
		 * worst is an entry as the previous list had it, or a read
		 * error (then the status is unknown).
		 */
		n = strlen(path) * 3 + 64;
		if ((uri = malloc(n)) == NULL) {
			r = MINDL_ERR_NOMEM;
			goto fail;
		}
		{
			char *q = uri;
			const char *p;

			q += snprintf(q, n, "file:");
			for (p = path; *p != '\0'; p++) {
				if (*p == '%' || *p == '?' || *p == '#')
					q += snprintf(q, 4, "%%%02X",
					    (unsigned char)*p);
				else
					*q++ = *p;
			}
			snprintf(q, n - (size_t)(q - uri),
			    "?mode=ro&immutable=1");
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
	sdb_close(&s);
	free(uri);
	return r;
}

/* The columns every reader wants, in the order read_row reads them. */
#define ROW_COLS "id, uri, iat, exp, ttl, root, signer, imported, entries"

static int
read_row(struct sdb *s, sqlite3_stmt *st, struct sdb_row *row)
{
	const void *root;
	const unsigned char *t;

	memset(row, 0, sizeof(*row));
	row->id = sqlite3_column_int64(st, 0);
	t = sqlite3_column_text(st, 1);
	snprintf(row->uri, sizeof(row->uri), "%s", t != NULL ?
	    (const char *)t : "");
	row->c.iat = sqlite3_column_int64(st, 2);
	row->c.exp = sqlite3_column_int64(st, 3);
	row->c.has_ttl = sqlite3_column_type(st, 4) != SQLITE_NULL;
	row->c.ttl = (uint64_t)sqlite3_column_int64(st, 4);
	root = sqlite3_column_blob(st, 5);
	if (root == NULL || sqlite3_column_bytes(st, 5) !=
	    MINDL_STATUS_ROOT_LEN)
		return db_fail(s, "row");
	memcpy(row->c.root, root, MINDL_STATUS_ROOT_LEN);
	t = sqlite3_column_text(st, 6);
	snprintf(row->signer, sizeof(row->signer), "%s", t != NULL ?
	    (const char *)t : "");
	row->imported = sqlite3_column_int64(st, 7);
	row->c.entries = (uint64_t)sqlite3_column_int64(st, 8);
	return MINDL_OK;
}

int
sdb_get(struct sdb *s, const uint8_t *uri, size_t urilen, struct sdb_row *row,
    int *found)
{
	sqlite3_stmt *st = NULL;
	int rc, r = MINDL_ERR_DATABASE;

	*found = 0;
	if (urilen > MINDL_STATUS_MAX_URI)
		return MINDL_OK;	/* no list has such a uri */
	if (sqlite3_prepare_v2(s->db, "SELECT " ROW_COLS " FROM lists "
	    "WHERE uri = ?1", -1, &st, NULL) != SQLITE_OK) {
		/* An empty read-only cache has no table: nothing cached. */
		if (sqlite3_errcode(s->db) == SQLITE_ERROR &&
		    strstr(sqlite3_errmsg(s->db), "no such table") != NULL)
			r = MINDL_OK;
		else
			r = db_fail(s, "lookup");
		goto out;
	}
	if (sqlite3_bind_text(st, 1, (const char *)uri, (int)urilen,
	    SQLITE_TRANSIENT) != SQLITE_OK) {
		r = db_fail(s, "lookup");
		goto out;
	}
	if ((rc = sqlite3_step(st)) == SQLITE_DONE) {
		r = MINDL_OK;
		goto out;
	}
	if (rc != SQLITE_ROW) {
		r = db_fail(s, "lookup");
		goto out;
	}
	if ((r = read_row(s, st, row)) != MINDL_OK)
		goto out;
	*found = 1;
 out:
	sqlite3_finalize(st);
	return r;
}

struct sdb_bitmap {
	struct sdb	*s;
	sqlite3_blob	*b;
	int		 len;
};

int
sdb_bitmap_open(struct sdb *s, int64_t id, struct sdb_bitmap **out)
{
	struct sdb_bitmap *m;

	*out = NULL;
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return MINDL_ERR_NOMEM;
	m->s = s;
	if (sqlite3_blob_open(s->db, "main", "lists", "bitmap", id, 0,
	    &m->b) != SQLITE_OK) {
		free(m);
		return db_fail(s, "bitmap");
	}
	m->len = sqlite3_blob_bytes(m->b);
	*out = m;
	return MINDL_OK;
}

/*
 * One byte of the list.  The blob handle stays open between reads, so
 * that SQLite keeps the list's overflow pages indexed: after the first
 * read, each one is a page lookup, not a walk of the chain.
 */
int
sdb_bitmap_byte(struct sdb_bitmap *m, uint64_t off, uint8_t *byte)
{
	if (off >= (uint64_t)m->len) {
		snprintf(m->s->err, sizeof(m->s->err), "bitmap shorter than "
		    "its entries");
		return MINDL_ERR_DATABASE;
	}
	if (sqlite3_blob_read(m->b, byte, 1, (int)off) != SQLITE_OK)
		return db_fail(m->s, "bitmap");
	return MINDL_OK;
}

void
sdb_bitmap_close(struct sdb_bitmap **mp)
{
	if (mp == NULL || *mp == NULL)
		return;
	(void)sqlite3_blob_close((*mp)->b);
	free(*mp);
	*mp = NULL;
}

int
sdb_read_byte(struct sdb *s, int64_t id, uint64_t off, uint8_t *byte)
{
	struct sdb_bitmap *m = NULL;
	int r;

	if ((r = sdb_bitmap_open(s, id, &m)) == MINDL_OK)
		r = sdb_bitmap_byte(m, off, byte);
	sdb_bitmap_close(&m);
	return r;
}

int
sdb_put(struct sdb *s, const struct sdb_row *row, const uint8_t *bitmap,
    size_t bitmaplen, const uint8_t tokhash[MINDL_SHA256_LEN], int *outcome)
{
	sqlite3_stmt *st = NULL;
	struct sdb_row old;
	const void *h;
	int found = 0, same, r = MINDL_ERR_DATABASE;

	*outcome = SDB_NEW;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return db_fail(s, "begin");
	if ((r = sdb_get(s, (const uint8_t *)row->uri, strlen(row->uri), &old,
	    &found)) != MINDL_OK)
		goto out;
	if (found) {
		r = MINDL_ERR_DATABASE;
		if (sqlite3_prepare_v2(s->db, "SELECT token_sha256 FROM lists "
		    "WHERE id = ?1", -1, &st, NULL) != SQLITE_OK ||
		    sqlite3_bind_int64(st, 1, old.id) != SQLITE_OK ||
		    sqlite3_step(st) != SQLITE_ROW) {
			r = db_fail(s, "lookup");
			goto out;
		}
		h = sqlite3_column_blob(st, 0);
		same = h != NULL && sqlite3_column_bytes(st, 0) ==
		    MINDL_SHA256_LEN && memcmp(h, tokhash,
		    MINDL_SHA256_LEN) == 0;
		sqlite3_finalize(st);
		st = NULL;
		if (same) {
			*outcome = SDB_SAME;
			r = MINDL_OK;
			goto out;
		}
		/*
		 * Only a newer list replaces a cached one: an older one (or
		 * another one of the same iat) could bring back a licence
		 * that the newer list revoked.
		 */
		if (row->c.iat <= old.c.iat) {
			*outcome = SDB_ROLLBACK;
			r = MINDL_OK;
			goto out;
		}
		*outcome = SDB_REPLACED;
	}
	if (sqlite3_prepare_v2(s->db, "INSERT INTO lists (uri, iat, exp, ttl, "
	    "root, signer, token_sha256, imported, entries, bitmap) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(uri) DO "
	    "UPDATE SET iat = ?2, exp = ?3, ttl = ?4, root = ?5, signer = ?6, "
	    "token_sha256 = ?7, imported = ?8, entries = ?9, bitmap = ?10",
	    -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, row->uri, -1, SQLITE_TRANSIENT) !=
	    SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, row->c.iat) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, row->c.exp) != SQLITE_OK ||
	    (row->c.has_ttl && row->c.ttl <= INT64_MAX ?
	    sqlite3_bind_int64(st, 4, (int64_t)row->c.ttl) :
	    sqlite3_bind_null(st, 4)) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 5, row->c.root, MINDL_STATUS_ROOT_LEN,
	    SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_text(st, 6, row->signer, -1, SQLITE_TRANSIENT) !=
	    SQLITE_OK ||
	    sqlite3_bind_blob(st, 7, tokhash, MINDL_SHA256_LEN,
	    SQLITE_TRANSIENT) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 8, row->imported) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 9, (int64_t)row->c.entries) != SQLITE_OK ||
	    sqlite3_bind_blob(st, 10, bitmap, (int)bitmaplen,
	    SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		r = db_fail(s, "store");
		goto out;
	}
	r = MINDL_OK;
 out:
	sqlite3_finalize(st);
	if (r == MINDL_OK && *outcome != SDB_SAME &&
	    *outcome != SDB_ROLLBACK) {
		if (sqlite3_exec(s->db, "COMMIT;", NULL, NULL, NULL) !=
		    SQLITE_OK) {
			r = db_fail(s, "commit");
			(void)sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL,
			    NULL);
		}
	} else
		(void)sqlite3_exec(s->db, "ROLLBACK;", NULL, NULL, NULL);
	return r;
}

int
sdb_each(struct sdb *s, int (*fn)(void *, const struct sdb_row *), void *arg)
{
	sqlite3_stmt *st = NULL;
	struct sdb_row row;
	int rc, r = MINDL_ERR_DATABASE;

	if (sqlite3_prepare_v2(s->db, "SELECT " ROW_COLS " FROM lists ORDER BY "
	    "uri", -1, &st, NULL) != SQLITE_OK) {
		if (strstr(sqlite3_errmsg(s->db), "no such table") != NULL)
			r = MINDL_OK;
		else
			r = db_fail(s, "list");
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((r = read_row(s, st, &row)) != MINDL_OK ||
		    (r = fn(arg, &row)) != MINDL_OK)
			goto out;
	}
	if (rc != SQLITE_DONE) {
		r = db_fail(s, "list");
		goto out;
	}
	r = MINDL_OK;
 out:
	sqlite3_finalize(st);
	return r;
}
