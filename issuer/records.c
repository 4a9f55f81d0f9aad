/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-issuer issue --records FILE.jsonl --portraits DIR -o OUTDIR:
 * one credential per line.  Each line is a JSON object
 *
 *   {"record": {...the DMV record...}, "portrait": "NAME.jpg",
 *    "device_pub": "NAME.pub", "credential": "NAME.mdl"}
 *
 * portrait and device_pub are files in DIR, credential is written in
 * OUTDIR; all three are plain file names (no directory, no leading dot).
 * A bad line is named (line number, field) and skipped; the run ends with
 * "N issued, M refused", and exits 1 if any line was refused.  On a
 * terminal it shows its progress on standard error.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"
#include "issuer.h"

#define MAX_RECORDS_FILE	(256u * 1024 * 1024)
#define MAX_NAME		255

/* A plain file name: no '/', not "." or "..", no leading dot. */
static int
plain_name(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > MAX_NAME || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || (unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 0;
	return 1;
}

struct run {
	struct desk	 d;
	const char	*recordsp;
	const char	*indir;
	const char	*outdir;
	int		 force;
	size_t		 issued;
	size_t		 refused;
	size_t		 lines;
	size_t		 lineno;
	struct jw	 w;		/* --json: the refusals as they come */
	FILE		*jf;		/* ... held back until the end */
	char		*jbuf;
	size_t		 jlen;
	int		 json;
	int		 tty;
	char		 ctx[64];	/* "FILE.jsonl:LINE" */
};

/* One refusal: on stderr, and into --json's list. */
static void
refuse(struct run *u, const char *field, int err, const char *msg)
{
	u->refused++;
	if (u->tty)
		fputs("\r\033[K", stderr);
	cli_warn(u->ctx, "%s%s%s (%s); line skipped", field != NULL ? field :
	    "", field != NULL ? ": " : "", msg, mindl_errname(err));
	if (u->json) {
		jw_obj(&u->w);
		jw_key(&u->w, "line");
		jw_uint(&u->w, u->lineno);
		jw_key(&u->w, "field");
		if (field != NULL)
			jw_str(&u->w, field);
		else
			jw_null(&u->w);
		jw_key(&u->w, "error");
		jw_str(&u->w, mindl_errname(err));
		jw_key(&u->w, "message");
		jw_str(&u->w, msg);
		jw_end_obj(&u->w);
	}
}

/* A file named by the line, in dir. */
static int
named(struct run *u, json_t *o, const char *key, const char *dir,
    char *path, size_t len)
{
	json_t *v = json_object_get(o, key);
	char msg[128];

	if (!json_is_string(v) || !plain_name(json_string_value(v))) {
		snprintf(msg, sizeof(msg), "%s a plain file name",
		    v == NULL ? "missing: give" : "not");
		refuse(u, key, MINDL_ERR_JSON, msg);
		return -1;
	}
	if ((size_t)snprintf(path, len, "%s/%s", dir,
	    json_string_value(v)) >= len) {
		refuse(u, key, MINDL_ERR_TOO_LARGE, "path too long");
		return -1;
	}
	return 0;
}

/*
 * One line: parsed, its files read, issued, written.  0 issued, -1
 * refused (reported), or an exit status for an error that ends the run
 * (the registry, the disk).
 */
static int
one_line(struct run *u, const char *line, size_t len)
{
	json_t *o = NULL;
	json_error_t jerr;
	char *rec = NULL, portp[4096], devp[4096], outp[4096];
	char errbuf[4096], msg[8192];
	const char *k;
	json_t *v;
	uint8_t *portrait = NULL;
	size_t portlen = 0, ndev = 0, i;
	struct mindl_key *dev[MINDL_MAX_BATCH];
	struct mindl_record *r = NULL;
	struct mindl_buf cred;
	struct mindl_issue_result res;
	int rc = -1, e;

	mindl_buf_init(&cred, MINDL_MAX_INPUT);
	if ((o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL || !json_is_object(o)) {
		snprintf(msg, sizeof(msg), "%s", o == NULL ? jerr.text :
		    "not a JSON object");
		refuse(u, NULL, MINDL_ERR_JSON, msg);
		goto out;
	}
	json_object_foreach(o, k, v) {
		if (strcmp(k, "record") != 0 && strcmp(k, "portrait") != 0 &&
		    strcmp(k, "device_pub") != 0 &&
		    strcmp(k, "credential") != 0) {
			refuse(u, "line", MINDL_ERR_JSON, "unknown key: a line "
			    "holds record, portrait, device_pub and "
			    "credential");
			goto out;
		}
	}
	if (!json_is_object(json_object_get(o, "record"))) {
		refuse(u, "record", MINDL_ERR_JSON, "missing or not an object");
		goto out;
	}
	if (named(u, o, "portrait", u->indir, portp, sizeof(portp)) != 0 ||
	    named(u, o, "device_pub", u->indir, devp, sizeof(devp)) != 0 ||
	    named(u, o, "credential", u->outdir, outp, sizeof(outp)) != 0)
		goto out;
	if ((rec = json_dumps(json_object_get(o, "record"), JSON_COMPACT)) ==
	    NULL) {
		rc = cli_fail(u->ctx, MINDL_ERR_NOMEM);
		goto out;
	}
	if ((e = mindl_file_read(portp, MAX_PORTRAIT, &portrait, &portlen)) !=
	    MINDL_OK) {
		snprintf(msg, sizeof(msg), "%s: %s", portp, mindl_strerr(e));
		refuse(u, "portrait", e, msg);
		goto out;
	}
	if ((e = mindl_key_read_pem_all(devp, NULL, dev, MINDL_MAX_BATCH,
	    &ndev)) != MINDL_OK) {
		snprintf(msg, sizeof(msg), "%s: %s", devp, mindl_strerr(e));
		refuse(u, "device_pub", e, msg);
		goto out;
	}
	for (i = 0; i < ndev; i++)
		if (mindl_key_is_private(dev[i])) {
			snprintf(msg, sizeof(msg), "%s: a private key: the "
			    "desk takes the holder's public keys only", devp);
			refuse(u, "device_pub", MINDL_ERR_KEY, msg);
			goto out;
		}
	errbuf[0] = '\0';
	if ((e = mindl_record_parse(u->d.schema, rec, strlen(rec), portrait,
	    portlen, u->d.now, &r, errbuf, sizeof(errbuf))) != MINDL_OK) {
		/* Every problem on one line: "a: ...; b: ..." */
		for (i = 0; errbuf[i] != '\0'; i++)
			if (errbuf[i] == '\n')
				errbuf[i] = ';';
		refuse(u, "record", e, errbuf[0] != '\0' ? errbuf :
		    mindl_strerr(e));
		goto out;
	}
	if ((e = desk_issue(&u->d, r, dev, ndev, "issue", &cred, &res)) !=
	    MINDL_OK) {
		if (e == MINDL_ERR_DATABASE || e == MINDL_ERR_LIST_FULL ||
		    e == MINDL_ERR_REGISTRY || e == MINDL_ERR_NOMEM) {
			rc = issue_failed(&u->d, devp, ndev, e);
			goto out;
		}
		refuse(u, e == MINDL_ERR_REVOKED ? "record" : NULL, e,
		    e == MINDL_ERR_REVOKED ? "this licence is revoked in the "
		    "registry" : mindl_strerr(e));
		goto out;
	}
	if ((e = mindl_file_write(outp, mindl_buf_ptr(&cred),
	    mindl_buf_len(&cred), MINDL_FILE_PRIVATE | (u->force ? 0 :
	    MINDL_FILE_EXCL))) != MINDL_OK) {
		/* Recorded in the registry, not handed out: the desk must
		 * know, and the run stops (a full disk stays full). */
		rc = cli_failf(outp, e, "%s: the credential was issued and "
		    "recorded but not written; the run stops here",
		    mindl_strerr(e));
		goto out;
	}
	u->issued++;
	rc = 0;
 out:
	if (rec != NULL)
		mindl_freezero(rec, strlen(rec));
	if (portrait != NULL)
		mindl_freezero(portrait, portlen);
	mindl_buf_clear(&cred);
	mindl_record_free(&r);
	for (i = 0; i < ndev; i++)
		mindl_key_free(&dev[i]);
	json_decref(o);
	return rc;
}

static void
progress(struct run *u, size_t done, int last)
{
	static struct timespec prev;
	struct timespec now;

	if (!u->tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	/* At most ten times a second, and once at the end. */
	if (!last && (now.tv_sec - prev.tv_sec) * 1000 +
	    (now.tv_nsec - prev.tv_nsec) / 1000000 < 100)
		return;
	prev = now;
	fprintf(stderr, "\r\033[Kissuing: line %zu of %zu, %zu issued, %zu "
	    "refused", done, u->lines, u->issued, u->refused);
	if (last)
		fputc('\n', stderr);
	fflush(stderr);
}

int
cmd_issue_records(const struct cli_args *a)
{
	struct run u;
	uint8_t *buf = NULL, digest[MINDL_SHA256_LEN];
	size_t len = 0, off, lineno = 0, i;
	const char *at = a->val[O_AT];
	struct stat sb;
	int r;

	memset(&u, 0, sizeof(u));
	u.recordsp = a->val[O_RECORDS];
	u.indir = a->val[O_PORTRAITS];
	u.outdir = a->val[O_OUT];
	u.force = cli_has(a, O_FORCE);
	u.json = cli_json_on();
	u.tty = !u.json && isatty(STDERR_FILENO);
	if (u.indir == NULL)
		return cli_usage_error("issue", "--records needs --portraits "
		    "DIR (where each line's portrait and keys are)");
	if (strcmp(u.outdir, "-") == 0)
		return cli_usage_error("issue", "with --records, -o names a "
		    "directory for the credentials");
	if (stat(u.outdir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return cli_failx(2, u.outdir, MINDL_ERR_NO_FILE, "not a "
		    "directory: with --records, -o names the directory the "
		    "credentials go to (create it first)");
	u.d.now = mindl_now();
	if (at != NULL && mindl_time_parse(at, &u.d.now) != MINDL_OK)
		return cli_usage_error("issue", "--at: not a time: %s", at);
	if ((r = desk_signer(&u.d, a->val[O_DS_KEY], a->val[O_DS_CERT],
	    a->val[O_DS_PASS_FD], cli_has(a, O_NO_PASSPHRASE))) != 0 ||
	    (r = desk_policy(&u.d, "issue", a->val[O_POLICY],
	    cli_has(a, O_SAMPLE_POLICY))) != 0 ||
	    (r = desk_registry(&u.d, "issue", a->val[O_REGISTRY],
	    a->val[O_REGISTRY_SECRET], a->val[O_OPERATOR])) != 0)
		goto out;
	if (u.d.reg == NULL && a->val[O_OFFICER] != NULL) {
		r = cli_usage_error("issue", "--officer approves for a "
		    "registry: give --registry too");
		goto out;
	}
	if ((r = desk_officer(&u.d, "issue --records", a->val[O_OFFICER],
	    a->val[O_OFFICER_DEVICE], a->val[O_OFFICER_PIN_FD],
	    a->val[O_OPERATOR])) != 0)
		goto out;
	if ((r = mindl_file_read(u.recordsp, MAX_RECORDS_FILE, &buf, &len)) !=
	    MINDL_OK) {
		r = cli_fail(u.recordsp, r);
		goto out;
	}
	/* Approved for this file, every line of it, before any is issued. */
	if ((r = mindl_sha256(buf, len, digest)) != MINDL_OK) {
		r = cli_fail(u.recordsp, r);
		goto out;
	}
	if ((r = desk_approve(&u.d, "issue-records", digest)) != 0)
		goto out;
	for (i = 0; i < len; i++)
		u.lines += buf[i] == '\n' || i + 1 == len;
	/* Held back: a run that stops prints only its error's object. */
	if (u.json && (u.jf = open_memstream(&u.jbuf, &u.jlen)) == NULL) {
		r = cli_fail("issue", MINDL_ERR_NOMEM);
		goto out;
	}
	if (u.json) {
		jw_init(&u.w, u.jf);
		jw_obj(&u.w);
		jw_key(&u.w, "refusals");
		jw_arr(&u.w);
	}
	r = 0;
	for (off = 0; off < len; ) {
		const uint8_t *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl != NULL ? (size_t)(nl - (buf + off)) : len - off;

		u.lineno = ++lineno;
		snprintf(u.ctx, sizeof(u.ctx), "%.40s:%zu",
		    strrchr(u.recordsp, '/') != NULL ?
		    strrchr(u.recordsp, '/') + 1 : u.recordsp, lineno);
		/* Blank lines (and a final newline) are not records. */
		for (i = 0; i < n && (buf[off + i] == ' ' ||
		    buf[off + i] == '\t' || buf[off + i] == '\r'); i++)
			;
		if (i < n && (r = one_line(&u, (const char *)buf + off, n)) >
		    0)
			break;
		r = 0;
		off += n + 1;
		progress(&u, lineno, 0);
	}
	progress(&u, lineno, 1);
	if (u.json && r == 0) {
		jw_end_arr(&u.w);
		jw_key(&u.w, "ok");
		jw_bool(&u.w, r == 0 && u.refused == 0);
		jw_key(&u.w, "issued");
		jw_uint(&u.w, u.issued);
		jw_key(&u.w, "refused");
		jw_uint(&u.w, u.refused);
		desk_json_officers(&u.w, &u.d);
		jw_end_obj(&u.w);
		if (jw_done(&u.w) != MINDL_OK || fflush(u.jf) != 0 ||
		    fwrite(u.jbuf, 1, u.jlen, stdout) != u.jlen)
			r = 3;
	} else if (!u.json)
		printf("%zu issued, %zu refused%s\n", u.issued, u.refused,
		    r != 0 ? " (the run stopped early)" : "");
	if (r == 0 && u.refused > 0)
		r = 1;
 out:
	if (u.jf != NULL)
		fclose(u.jf);
	free(u.jbuf);
	if (buf != NULL)
		mindl_freezero(buf, len);
	desk_close(&u.d);
	return r;
}
