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

/* Fault injection: MINDL_FAIL_ALLOC=N makes the Nth allocation fail. */
void *mindl_malloc(size_t n);
void *mindl_calloc(size_t n, size_t size);
void *mindl_realloc(void *p, size_t n);

/*
 * ASCII character classes, for names and codes that are ASCII by
 * definition: <ctype.h> follows the locale.  c is an unsigned char value.
 */
int mindl_is_lower(int c);
int mindl_is_upper(int c);
int mindl_is_digit(int c);
int mindl_is_alpha(int c);

struct mindl_key;
/* The OpenSSL key behind a mindl_key (borrowed); for the x509 adapter. */
void *mindl_key_evp(const struct mindl_key *key);
/* Wraps an EVP_PKEY (takes ownership) as a mindl_key. */
int mindl_key_wrap_evp(void *evp_pkey, struct mindl_key **out);

#endif /* MINDL_INTERNAL_H */
