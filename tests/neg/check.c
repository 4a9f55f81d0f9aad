/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl negative corpus runner (tests/neg/README.md).
 *
 *   check [DIR]     DIR holds cases.txt and cases/ (default tests/neg)
 *
 * Runs every case of cases.txt through the core function its kind names
 * and compares the result with the expected mindl_errname().  Prints
 * "ok - NAME" or "not ok - NAME (got X want Y)", then "N passed, N failed";
 * exits 1 if any case failed, 2 if the corpus itself cannot be read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "mindl/mindl.h"
#include "../common/testlib.h"

#define MAX_INFLATE	(8u * 1024 * 1024)	/* over MINDL_MAX_INPUT */

static const char *dir;
static long long at = -1, issue_time = -1;
static char trust_file[64], request_file[64], reader_file[64];
static char cred_file[64], device_file[64], portrait_file[64];

static struct mindl_request *req;
static struct mindl_key *reader_key, *device_key;
static struct mindl_schema *schema;
static uint8_t *cred, *portrait;
static size_t credlen, portraitlen;

static char *
cpath(const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/cases/%s", dir, name);
	return buf;
}

/* A file, inflated if its name ends in ".gz". */
static int
read_input(const char *p, uint8_t **out, size_t *outlen)
{
	size_t n = strlen(p), len = 0;
	uint8_t *buf;
	gzFile f;
	int k;

	*out = NULL;
	*outlen = 0;
	if (n < 3 || strcmp(p + n - 3, ".gz") != 0)
		return mindl_file_read(p, MAX_INFLATE, out, outlen);
	if ((f = gzopen(p, "rb")) == NULL)
		return MINDL_ERR_IO;
	if ((buf = malloc(MAX_INFLATE)) == NULL) {
		gzclose(f);
		return MINDL_ERR_NOMEM;
	}
	while (len < MAX_INFLATE && (k = gzread(f, buf + len,
	    (unsigned)(MAX_INFLATE - len))) > 0)
		len += (size_t)k;
	if (gzclose(f) != Z_OK || len == MAX_INFLATE) {
		free(buf);
		return MINDL_ERR_IO;
	}
	*out = buf;
	*outlen = len;
	return MINDL_OK;
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

static int
new_trust(struct mindl_trust **t)
{
	int r;

	if ((r = mindl_trust_new(t)) != MINDL_OK)
		return r;
	if ((r = mindl_trust_add_pem_file(*t, cpath(trust_file))) != MINDL_OK)
		mindl_trust_free(t);
	return r;
}

/* Loads the fixed material the first time a case needs it. */
static int
load_fixed(void)
{
	static int done;
	int r;

	if (done)
		return MINDL_OK;
	if (at < 0 || issue_time < 0 || !*trust_file || !*request_file ||
	    !*reader_file || !*cred_file || !*device_file || !*portrait_file) {
		fprintf(stderr, "check: cases.txt lacks an @ directive\n");
		return MINDL_ERR_CONFIG;
	}
	{
		uint8_t *b = NULL;
		size_t n = 0;

		if ((r = mindl_file_read(cpath(request_file), MINDL_MAX_INPUT,
		    &b, &n)) != MINDL_OK)
			return r;
		r = mindl_request_parse(b, n, &req);
		free(b);
		if (r != MINDL_OK)
			return r;
	}
	if ((r = mindl_key_read_pem(cpath(reader_file), NULL,
	    &reader_key)) != MINDL_OK ||
	    (r = mindl_key_read_pem(cpath(device_file), NULL,
	    &device_key)) != MINDL_OK ||
	    (r = mindl_file_read(cpath(cred_file), MINDL_MAX_INPUT, &cred,
	    &credlen)) != MINDL_OK ||
	    (r = mindl_file_read(cpath(portrait_file), MINDL_MAX_INPUT,
	    &portrait, &portraitlen)) != MINDL_OK ||
	    (r = mindl_schema_builtin(&schema)) != MINDL_OK)
		return r;
	done = 1;
	return MINDL_OK;
}

static int
run_response(const uint8_t *b, size_t n)
{
	struct mindl_trust *t = NULL;
	struct mindl_verified *v = NULL;
	int r;

	if ((r = new_trust(&t)) != MINDL_OK)
		return r;
	r = mindl_verify_response(t, schema, at, req, reader_key, b, n, &v);
	if ((r == MINDL_OK) != (v != NULL)) {
		fprintf(stderr, "check: result and output disagree\n");
		r = MINDL_ERR_INTERNAL;
	}
	mindl_verified_free(&v);
	mindl_trust_free(&t);
	return r;
}

static int
run_request(const uint8_t *b, size_t n)
{
	struct mindl_request *q = NULL;
	const char *ns, *id;
	size_t i;
	int r, retain;

	if ((r = mindl_request_parse(b, n, &q)) != MINDL_OK)
		return r;
	(void)mindl_request_profile(q);
	(void)mindl_request_doctype(q);
	for (i = 0; i < mindl_request_count(q); i++)
		mindl_request_element(q, i, &ns, &id, &retain);
	mindl_request_free(&q);
	return r;
}

/*
 * The holder answers the request; a successful answer must verify and
 * disclose nothing outside the request's profile.
 */
static int
run_present(const char *name, const uint8_t *b, size_t n)
{
	struct mindl_request *q = NULL;
	struct mindl_trust *t = NULL;
	struct mindl_verified *v = NULL;
	const struct mindl_profile *prof;
	const struct mindl_disclosed *d;
	uint8_t *resp = NULL;
	size_t resplen = 0, i;
	int r;

	if ((r = mindl_request_parse(b, n, &q)) != MINDL_OK)
		return r;
	if ((r = test_present(cred, credlen, device_key, q, schema,
	    MINDL_DEVAUTH_MAC, &resp, &resplen, NULL)) != MINDL_OK)
		goto out;
	if ((r = new_trust(&t)) != MINDL_OK)
		goto out;
	if ((r = mindl_verify_response(t, schema, at, q, reader_key, resp,
	    resplen, &v)) != MINDL_OK) {
		fprintf(stderr, "%s: the answer does not verify: %s\n", name,
		    mindl_errname(r));
		goto out;
	}
	prof = mindl_schema_profile(schema, mindl_request_profile(q));
	for (i = 0; i < mindl_verified_count(v); i++) {
		d = mindl_verified_at(v, i);
		if (prof == NULL || !mindl_profile_allows(prof, d->ns, d->id)) {
			fprintf(stderr, "%s: %s disclosed outside the profile\n",
			    name, d->id);
			r = MINDL_ERR_POLICY;
		}
	}
 out:
	mindl_verified_free(&v);
	mindl_trust_free(&t);
	mindl_request_free(&q);
	free(resp);
	return r;
}

static int
run_record(const uint8_t *b, size_t n)
{
	struct mindl_record *rec = NULL;
	char err[256];
	int r;

	r = mindl_record_parse(schema, (const char *)b, n, portrait,
	    portraitlen, issue_time, &rec, err, sizeof(err));
	mindl_record_free(&rec);
	return r;
}

static int
run_cert(const uint8_t *b, size_t n)
{
	struct mindl_trust *t = NULL;
	struct mindl_key *k = NULL;
	int r;

	if ((r = new_trust(&t)) != MINDL_OK)
		return r;
	r = mindl_trust_verify_ds(t, b, n, at, &k);
	if ((r == MINDL_OK) != (k != NULL))
		r = MINDL_ERR_INTERNAL;
	mindl_key_free(&k);
	mindl_trust_free(&t);
	return r;
}

static int
run_trust(const char *file)
{
	struct mindl_trust *t = NULL;
	int r;

	if ((r = mindl_trust_new(&t)) != MINDL_OK)
		return r;
	r = mindl_trust_add_pem_file(t, file);
	mindl_trust_free(&t);
	return r;
}

static int
run_case(const char *name, const char *kind, int *result)
{
	static const uint8_t none[1];
	char file[512];
	uint8_t *b = NULL;
	const uint8_t *p;
	size_t n = 0;
	int r;

	if ((r = load_fixed()) != MINDL_OK) {
		fprintf(stderr, "check: fixed material: %s\n",
		    mindl_errname(r));
		return -1;
	}
	snprintf(file, sizeof(file), "%s.%s", name, ext(kind));
	if (access(cpath(file), R_OK) != 0)
		snprintf(file, sizeof(file), "%s.%s.gz", name, ext(kind));
	if (strcmp(kind, "trust") == 0) {
		*result = run_trust(cpath(file));
		return 0;
	}
	if ((r = read_input(cpath(file), &b, &n)) != MINDL_OK) {
		fprintf(stderr, "check: %s: %s\n", cpath(file),
		    mindl_errname(r));
		return -1;
	}
	/* An empty file is a valid input: never hand the core NULL. */
	p = b != NULL ? b : none;
	if (strcmp(kind, "cbor") == 0) {
		struct mindl_cbor *doc = NULL;

		r = mindl_cbor_decode(p, n, &doc);
		mindl_cbor_free(&doc);
	} else if (strcmp(kind, "response") == 0)
		r = run_response(p, n);
	else if (strcmp(kind, "request") == 0)
		r = run_request(p, n);
	else if (strcmp(kind, "present") == 0)
		r = run_present(name, p, n);
	else if (strcmp(kind, "record") == 0)
		r = run_record(p, n);
	else if (strcmp(kind, "cert") == 0)
		r = run_cert(p, n);
	else if (strcmp(kind, "portrait") == 0)
		r = mindl_jpeg_check(p, n, NULL);
	else {
		fprintf(stderr, "check: %s: unknown kind %s\n", name, kind);
		free(b);
		return -1;
	}
	free(b);
	*result = r;
	return 0;
}

static int
directive(const char *key, const char *val)
{
	struct { const char *k; char *v; } tab[] = {
		{ "trust", trust_file }, { "request", request_file },
		{ "reader-key", reader_file }, { "credential", cred_file },
		{ "device-key", device_file }, { "portrait", portrait_file },
	};
	size_t i;

	if (strcmp(key, "at") == 0)
		return sscanf(val, "%lld", &at) == 1 ? 0 : -1;
	if (strcmp(key, "issue-time") == 0)
		return sscanf(val, "%lld", &issue_time) == 1 ? 0 : -1;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (strcmp(key, tab[i].k) == 0) {
			memcpy(tab[i].v, val, 64);
			return 0;
		}
	return -1;
}

int
main(int argc, char **argv)
{
	char line[1024], name[256], kind[32], want[64], key[32], val[64];
	int passed = 0, failed = 0, r, lineno = 0;
	FILE *f;

	dir = argc > 1 ? argv[1] : "tests/neg";
	if (getenv("MINDL_DEBUG") != NULL)
		mindl_set_debug(1);
	snprintf(line, sizeof(line), "%s/cases.txt", dir);
	if ((f = fopen(line, "r")) == NULL) {
		fprintf(stderr, "check: cannot open %s\n", line);
		return 2;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (line[0] == '@') {
			if (sscanf(line + 1, "%31s %63s", key, val) != 2 ||
			    directive(key, val) != 0) {
				fprintf(stderr, "check: line %d: bad directive\n",
				    lineno);
				return 2;
			}
			continue;
		}
		if (sscanf(line, "%255s %31s %63s", name, kind, want) != 3) {
			fprintf(stderr, "check: line %d: expected NAME KIND "
			    "EXPECTED\n", lineno);
			return 2;
		}
		if (run_case(name, kind, &r) != 0)
			return 2;
		if (strcmp(mindl_errname(r), want) == 0) {
			printf("ok - %s\n", name);
			passed++;
		} else {
			printf("not ok - %s (got %s want %s)\n", name,
			    mindl_errname(r), want);
			failed++;
		}
	}
	fclose(f);
	mindl_request_free(&req);
	mindl_key_free(&reader_key);
	mindl_key_free(&device_key);
	mindl_schema_free(&schema);
	free(cred);
	free(portrait);
	printf("%d passed, %d failed\n", passed, failed);
	return failed > 0 ? 1 : 0;
}
