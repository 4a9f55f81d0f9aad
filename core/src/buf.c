/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the capped, wiping byte buffer of mindl/buf.h, hex and the one
 * JSON string escaper.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/buf.h"
#include "mindl/err.h"
#include "mindl/key.h"
#include "internal.h"

void
mindl_buf_init(struct mindl_buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->err = MINDL_OK;
}

void
mindl_buf_clear(struct mindl_buf *b)
{
	/* All of it: a caller may have written past len into reserved room. */
	if (b->p != NULL)
		mindl_freezero(b->p, b->cap);
	mindl_buf_init(b, b->max);
}

void
mindl_buf_move(struct mindl_buf *dst, struct mindl_buf *src)
{
	if (dst == src)
		return;
	mindl_buf_clear(dst);
	*dst = *src;
	mindl_buf_init(src, src->max);
}

int
mindl_buf_fail(struct mindl_buf *b, int err)
{
	if (b->err == MINDL_OK)
		b->err = err;
	return b->err;
}

/*
 * Grows by copy, never realloc(): the old block is wiped before it is
 * freed, so no stale copy of a credential or a key is left on the heap.
 */
uint8_t *
mindl_buf_reserve(struct mindl_buf *b, size_t n)
{
	uint8_t *np;
	size_t ncap;

	if (b->err != MINDL_OK)
		return NULL;
	if (n > b->max || b->len > b->max - n) {
		mindl_buf_fail(b, MINDL_ERR_TOO_LARGE);
		return NULL;
	}
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 256;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if (ncap > b->max + 1)
			ncap = b->max + 1;
		if ((np = mindl_malloc(ncap)) == NULL) {
			mindl_buf_fail(b, MINDL_ERR_NOMEM);
			return NULL;
		}
		if (b->p != NULL) {
			memcpy(np, b->p, b->len + 1);
			mindl_freezero(b->p, b->cap);
		} else
			np[0] = '\0';	/* empty, and a string already */
		b->p = np;
		b->cap = ncap;
	}
	return b->p + b->len;
}

void
mindl_buf_commit(struct mindl_buf *b, size_t n)
{
	if (b->err != MINDL_OK || NEVER(b->p == NULL) ||
	    NEVER(b->len + n + 1 > b->cap))
		return;
	b->len += n;
	b->p[b->len] = '\0';
}

int
mindl_buf_add(struct mindl_buf *b, const void *p, size_t n)
{
	uint8_t *dst;

	if (n == 0)
		return b->err;
	if ((dst = mindl_buf_reserve(b, n)) == NULL)
		return b->err;
	memcpy(dst, p, n);
	mindl_buf_commit(b, n);
	return MINDL_OK;
}

int
mindl_buf_addc(struct mindl_buf *b, uint8_t c)
{
	return mindl_buf_add(b, &c, 1);
}

int
mindl_buf_addstr(struct mindl_buf *b, const char *s)
{
	return mindl_buf_add(b, s, strlen(s));
}

int
mindl_buf_addf(struct mindl_buf *b, const char *fmt, ...)
{
	va_list ap;
	uint8_t *dst;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0)
		return mindl_buf_fail(b, MINDL_ERR_INTERNAL);
	if ((dst = mindl_buf_reserve(b, (size_t)k)) == NULL)
		return b->err;
	va_start(ap, fmt);
	(void)vsnprintf((char *)dst, (size_t)k + 1, fmt, ap);
	va_end(ap);
	mindl_buf_commit(b, (size_t)k);
	return MINDL_OK;
}

void
mindl_buf_truncate(struct mindl_buf *b, size_t len)
{
	if (len >= b->len)
		return;
	mindl_wipe(b->p + len, b->len - len);
	b->len = len;
	b->p[len] = '\0';
}

const uint8_t *
mindl_buf_ptr(const struct mindl_buf *b)
{
	return b->len > 0 ? b->p : NULL;
}

size_t
mindl_buf_len(const struct mindl_buf *b)
{
	return b->len;
}

const char *
mindl_buf_str(const struct mindl_buf *b)
{
	return b->p != NULL ? (const char *)b->p : "";
}

size_t
mindl_buf_room(const struct mindl_buf *b)
{
	return b->err != MINDL_OK || b->len >= b->max ? 0 : b->max - b->len;
}

int
mindl_buf_err(const struct mindl_buf *b)
{
	return b->err;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

int
mindl_buf_add_hex(struct mindl_buf *b, const char *s, size_t n,
    int skip_space)
{
	size_t i, digits = 0, start = b->len;
	uint8_t *dst;
	int hi = -1, v;

	if (b->err != MINDL_OK)
		return b->err;
	for (i = 0; i < n; i++) {
		if (hexval((unsigned char)s[i]) >= 0)
			digits++;
		else if (!skip_space || !is_space((unsigned char)s[i]))
			return MINDL_ERR_INVALID_ARG;
	}
	if (digits % 2 != 0)
		return MINDL_ERR_INVALID_ARG;
	if (digits == 0)
		return MINDL_OK;
	if ((dst = mindl_buf_reserve(b, digits / 2)) == NULL)
		return b->err;
	for (i = 0; i < n; i++) {
		if ((v = hexval((unsigned char)s[i])) < 0)
			continue;
		if (hi < 0)
			hi = v;
		else {
			*dst++ = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	mindl_buf_commit(b, digits / 2);
	return NEVER(b->len != start + digits / 2) ? MINDL_ERR_INTERNAL :
	    MINDL_OK;
}

int
mindl_buf_add_tohex(struct mindl_buf *b, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t *dst;
	size_t i;

	if (n == 0)
		return b->err;
	if (n > SIZE_MAX / 2 || (dst = mindl_buf_reserve(b, 2 * n)) == NULL)
		return mindl_buf_fail(b, MINDL_ERR_TOO_LARGE);
	for (i = 0; i < n; i++) {
		dst[2 * i] = (uint8_t)hex[p[i] >> 4];
		dst[2 * i + 1] = (uint8_t)hex[p[i] & 0x0f];
	}
	mindl_buf_commit(b, 2 * n);
	return MINDL_OK;
}

size_t
mindl_utf8_len(const uint8_t *p, size_t n, uint32_t *cp)
{
	size_t k, i;
	uint32_t c;

	if (n == 0)
		return 0;
	if (p[0] < 0x80) {
		c = p[0];
		k = 1;
		goto out;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (k > n)
		return 0;
	c = (uint32_t)p[0] & (0x7fu >> k);
	for (i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3fu);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF (RFC 3629). */
	if ((k == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (k == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
 out:
	if (cp != NULL)
		*cp = c;
	return k;
}

/* Code points a terminal could act on, or a person misread. */
int
mindl_text_cp_unsafe(uint32_t c)
{
	return (c >= 0x80 && c <= 0x9f) || c == 0x061c || c == 0x180e ||
	    (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
	    (c >= 0x2060 && c <= 0x206f) || c == 0xfeff ||
	    (c >= 0xfff9 && c <= 0xfffb) ||
	    (c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000 ||
	    (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
}

int
mindl_buf_add_json_str(struct mindl_buf *b, const uint8_t *s, size_t n)
{
	size_t i, k;
	uint32_t c;

	mindl_buf_addc(b, '"');
	for (i = 0; i < n && b->err == MINDL_OK; i += k) {
		k = 1;
		if (s[i] == '"' || s[i] == '\\') {
			mindl_buf_addc(b, '\\');
			mindl_buf_addc(b, s[i]);
		} else if (s[i] < 0x20 || s[i] == 0x7f)
			mindl_buf_addf(b, "\\u%04x", s[i]);
		else if (s[i] < 0x80)
			mindl_buf_addc(b, s[i]);
		else if ((k = mindl_utf8_len(s + i, n - i, &c)) == 0) {
			mindl_buf_addstr(b, "\\ufffd");	/* not UTF-8 */
			k = 1;
		} else if (mindl_text_cp_unsafe(c) && c < 0x10000)
			mindl_buf_addf(b, "\\u%04x", (unsigned)c);
		else if (mindl_text_cp_unsafe(c))	/* UTF-16 surrogate pair */
			mindl_buf_addf(b, "\\u%04x\\u%04x",
			    0xd800 + ((unsigned)(c - 0x10000) >> 10),
			    0xdc00 + ((unsigned)(c - 0x10000) & 0x3ff));
		else
			mindl_buf_add(b, s + i, k);
	}
	return mindl_buf_addc(b, '"');
}

/*
 * The escaped form of the sequence that starts s[0..n): written to out
 * (at most 16 bytes, no NUL), its length returned; *k is how many input
 * bytes it stands for.
 */
static size_t
text_chunk(const uint8_t *s, size_t n, unsigned flags, char out[16],
    size_t *k)
{
	static const char hex[] = "0123456789abcdef";
	uint32_t c;
	size_t i, len;
	int esc;

	if (s[0] < 0x80) {
		*k = 1;
		esc = s[0] < 0x20 || s[0] == 0x7f || (s[0] == '\\' &&
		    !(flags & MINDL_TEXT_BACKSLASH_OK)) ||
		    ((flags & MINDL_TEXT_SEPARATORS) &&
		    strchr(" ,=;", s[0]) != NULL);
	} else if ((*k = mindl_utf8_len(s, n, &c)) == 0) {
		*k = 1;		/* not UTF-8 */
		esc = 1;
	} else
		esc = (flags & MINDL_TEXT_ASCII) || mindl_text_cp_unsafe(c);
	if (!esc) {
		memcpy(out, s, *k);
		return *k;
	}
	for (i = 0, len = 0; i < *k; i++) {
		out[len++] = '\\';
		out[len++] = 'x';
		out[len++] = hex[s[i] >> 4];
		out[len++] = hex[s[i] & 0x0f];
	}
	return len;
}

int
mindl_buf_add_text(struct mindl_buf *b, const uint8_t *s, size_t n,
    unsigned flags)
{
	char chunk[16];
	size_t i, k, len;

	for (i = 0; i < n && b->err == MINDL_OK; i += k) {
		len = text_chunk(s + i, n - i, flags, chunk, &k);
		(void)mindl_buf_add(b, chunk, len);
	}
	return b->err;
}

size_t
mindl_text_escape(char *dst, size_t cap, const uint8_t *s, size_t n,
    unsigned flags)
{
	char chunk[16];
	size_t i, k, len, o = 0;

	if (cap == 0)
		return 0;
	for (i = 0; i < n; i += k) {
		len = text_chunk(s + i, n - i, flags, chunk, &k);
		if (o + len >= cap)
			break;	/* whole chunks only: no escape is split */
		memcpy(dst + o, chunk, len);
		o += len;
	}
	dst[o] = '\0';
	return i;
}
