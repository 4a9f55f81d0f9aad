/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: debug log, OpenSSL error drain, allocation with fault injection,
 * ASCII character classes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "mindl/buf.h"
#include "mindl/mindl.h"
#include "internal.h"

static int debug_on;
static long fail_alloc_at = -1;	/* from MINDL_FAIL_ALLOC, read once */
static int counting;		/* fault injection armed */
static long alloc_count;
static long alloc_failed;

void
mindl_set_debug(int on)
{
	debug_on = on;
}

/*
 * Debug lines quote what they were given (an element identifier, a file
 * name): the line goes through the one text escaper, so -d cannot be used
 * to drive the terminal either.
 */
void
mindl_log_debug(const char *fmt, ...)
{
	char msg[1024], safe[4096];
	va_list ap;
	int k;

	if (!debug_on)
		return;
	va_start(ap, fmt);
	k = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (k < 0)
		return;
	(void)mindl_text_escape(safe, sizeof(safe), (const uint8_t *)msg,
	    strlen(msg), MINDL_TEXT_BACKSLASH_OK);
	fprintf(stderr, "mindl: %s\n", safe);
}

void
mindl_log_ossl(const char *where)
{
	unsigned long e;
	char buf[256];

	while ((e = ERR_get_error()) != 0) {
		if (debug_on) {
			ERR_error_string_n(e, buf, sizeof(buf));
			mindl_log_debug("%s: %s", where, buf);
		}
	}
}

static int
should_fail(void)
{
	const char *s;

	if (fail_alloc_at == -1) {
		fail_alloc_at = 0;
		if ((s = getenv("MINDL_FAIL_ALLOC")) != NULL) {
			fail_alloc_at = strtol(s, NULL, 10);
			counting = 1;
		}
	}
	if (!counting || ++alloc_count != fail_alloc_at || fail_alloc_at <= 0)
		return 0;
	alloc_failed++;
	return 1;
}

void
mindl_fail_alloc_at(long n)
{
	counting = 1;
	fail_alloc_at = n;
	alloc_count = 0;
	alloc_failed = 0;
}

long
mindl_alloc_count(void)
{
	return alloc_count;
}

long
mindl_alloc_failed(void)
{
	return alloc_failed;
}

void *
mindl_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n == 0 ? 1 : n);
}

void *
mindl_calloc(size_t n, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);
}

void *
mindl_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n == 0 ? 1 : n);
}

int
mindl_is_lower(int c)
{
	return c >= 'a' && c <= 'z';
}

int
mindl_is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

int
mindl_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

int
mindl_is_alpha(int c)
{
	return mindl_is_lower(c) || mindl_is_upper(c);
}
