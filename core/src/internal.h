/*
 * mindl core internals: declarations shared between core source files and
 * never installed.  Tools include only the public mindl headers.
 */
#ifndef MINDL_INTERNAL_H
#define MINDL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "mindl/err.h"

/* Debug log to stderr, on when mindl_set_debug(1) (the tools' -d flag). */
void mindl_log_debug(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Drains the OpenSSL error queue into the debug log. */
void mindl_log_ossl(const char *where);

/*
 * Defensive checks in the style of SQLite: ALWAYS(x) and NEVER(x) mark
 * conditions believed impossible; they assert in debug builds and are
 * handled as ordinary failures otherwise.
 */
#ifdef NDEBUG
#define ALWAYS(x)	(x)
#define NEVER(x)	(x)
#else
#include <assert.h>
#define ALWAYS(x)	((x) ? 1 : (assert(0), 0))
#define NEVER(x)	((x) ? (assert(0), 1) : 0)
#endif

/*
 * Fault injection: MINDL_FAIL_ALLOC=N makes the Nth allocation fail.
 * Tests set it from the program: mindl_fail_alloc_at(n) restarts the
 * count and fails the nth allocation from now (0: none);
 * mindl_alloc_count() is the number of allocations since, and
 * mindl_alloc_failed() how many were failed (0 or 1).
 */
void *mindl_malloc(size_t n);
void *mindl_calloc(size_t n, size_t size);
void *mindl_realloc(void *p, size_t n);
void mindl_fail_alloc_at(long n);
long mindl_alloc_count(void);
long mindl_alloc_failed(void);

/*
 * Length of the valid UTF-8 sequence at p (at most n bytes), with its code
 * point in *cp if cp is not NULL; 0 if p does not start one (RFC 3629:
 * no overlong forms, no surrogates, nothing beyond U+10FFFF).
 */
size_t mindl_utf8_len(const uint8_t *p, size_t n, uint32_t *cp);

struct mindl_key;
/* The OpenSSL key behind a mindl_key (borrowed); for the x509 adapter. */
void *mindl_key_evp(const struct mindl_key *key);
/* Wraps an EVP_PKEY (takes ownership) as a mindl_key. */
int mindl_key_wrap_evp(void *evp_pkey, struct mindl_key **out);

/* The audit (audit.c, audit_pop.c, audit_link.c). */
struct mindl_cbor;
struct mindl_cbor_item;
/*
 * A file's documents for the audit: decodes buf into *doc (the caller's)
 * and finds the documents (mindl_file_documents), at most
 * MINDL_AUDIT_MAX_DOCS of them.
 */
int mindl_audit_open(const uint8_t *buf, size_t len, struct mindl_cbor **doc,
    const struct mindl_cbor_item **docs,
    const struct mindl_cbor_item **engagement);
/* p escaped and bounded as feature values are; *out is malloc'd. */
int mindl_audit_escape(const uint8_t *p, size_t n, char **out);

#endif /* MINDL_INTERNAL_H */
