/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl fuzz harnesses: shared declarations and fixture loaders.
 *
 * Each tests/fuzz/fuzz_<name>.c is one libFuzzer harness (built alone with
 * -fsanitize=fuzzer by `make fuzz`) and, linked with replay.c, a corpus
 * replayer run by `make test`.  Fixtures are files read once at start-up,
 * relative to the repository root (where both are run from):
 *   tests/neg/cases/                    the negative corpus's IACA,
 *                                       request, test keys
 *   tests/vectors/iso18013-5-annex-d/   the ISO 18013-5 Annex D set
 * A missing fixture aborts the harness: a harness that silently tests
 * nothing would hide a regression.
 */
#ifndef MINDL_FUZZ_H
#define MINDL_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Pinned times of the fixtures (see tests/neg/README.md, Annex D README). */
#define FUZZ_NEG_AT	1767272400	/* tests/neg/cases.txt @at */
#define FUZZ_NEG_T0	1767268800	/* tests/neg/cases.txt @issue-time */
#define FUZZ_ANNEXD_AT	1609459200	/* 2021-01-01T00:00:00Z */

#define FUZZ_NEG_DIR	"tests/neg/cases"
#define FUZZ_ANNEXD_DIR	"tests/vectors/iso18013-5-annex-d"

static inline void fuzz_fatal(const char *, const char *)
    __attribute__((noreturn));

static inline void
fuzz_fatal(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz: %s: %s\n", what, detail);
	abort();
}

static inline const char *
fuzz_annexd_path(const char *name)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "%s/%s", FUZZ_ANNEXD_DIR, name);
	return buf;
}

static inline const char *
fuzz_neg_path(const char *name)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf), "%s/%s", FUZZ_NEG_DIR, name);
	return buf;
}

static inline void
fuzz_read(const char *path, uint8_t **buf, size_t *len)
{
	int r;

	if ((r = mindl_file_read(path, MINDL_MAX_INPUT, buf, len)) !=
	    MINDL_OK)
		fuzz_fatal(path, mindl_errname(r));
}

/* A .hex file of the Annex D set as bytes. */
static inline void
fuzz_read_hex(const char *path, uint8_t **out, size_t *outlen)
{
	uint8_t *txt = NULL, *b;
	size_t tl = 0, i, n = 0;
	int hi = -1, v, c;

	fuzz_read(path, &txt, &tl);
	if ((b = malloc(tl / 2 + 1)) == NULL)
		fuzz_fatal(path, "out of memory");
	for (i = 0; i < tl; i++) {
		c = txt[i];
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			fuzz_fatal(path, "not hex");
		if (hi < 0)
			hi = v;
		else {
			b[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	free(txt);
	*out = b;
	*outlen = n;
}

static inline struct mindl_trust *
fuzz_trust(const char *pem)
{
	struct mindl_trust *t = NULL;
	int r;

	if ((r = mindl_trust_new(&t)) != MINDL_OK ||
	    (r = mindl_trust_add_pem_file(t, pem)) != MINDL_OK)
		fuzz_fatal(pem, mindl_errname(r));
	return t;
}

/* The built-in schema, loaded once (verification checks values by it). */
static inline const struct mindl_schema *
fuzz_schema(void)
{
	static struct mindl_schema *s;
	int r;

	if (s == NULL && (r = mindl_schema_builtin(&s)) != MINDL_OK)
		fuzz_fatal("mindl_schema_builtin", mindl_errname(r));
	return s;
}

static inline struct mindl_key *
fuzz_key(const char *pem)
{
	struct mindl_key *k = NULL;
	int r;

	if ((r = mindl_key_read_pem(pem, NULL, &k)) != MINDL_OK)
		fuzz_fatal(pem, mindl_errname(r));
	return k;
}

static inline struct mindl_request *
fuzz_request(const char *path)
{
	struct mindl_request *q = NULL;
	uint8_t *b = NULL;
	size_t n = 0;
	int r;

	fuzz_read(path, &b, &n);
	if ((r = mindl_request_parse(b, n, &q)) != MINDL_OK)
		fuzz_fatal(path, mindl_errname(r));
	free(b);
	return q;
}

/* Everything a verifier exposes about a result: touch it all. */
static inline void
fuzz_touch_verified(const struct mindl_verified *v)
{
	const struct mindl_disclosed *d;
	struct mindl_buf json;
	int64_t a, b, c;
	size_t i;

	if (v == NULL)
		return;
	(void)mindl_verified_doctype(v);
	(void)mindl_verified_devauth(v);
	(void)mindl_verified_signer(v);
	mindl_verified_validity(v, &a, &b, &c);
	mindl_buf_init(&json, 2 * MINDL_MAX_INPUT);
	for (i = 0; i < mindl_verified_count(v); i++) {
		d = mindl_verified_at(v, i);
		if (d != NULL)
			(void)mindl_value_json(d->value, &json);
	}
	mindl_buf_clear(&json);
}

#endif /* MINDL_FUZZ_H */
