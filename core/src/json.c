/*
 * mindl: CBOR values as JSON text for the tools' output.  Untrusted text
 * is escaped (C0 and C1 control characters, DEL, quotes, backslash) so
 * that a value can never break the JSON or a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "internal.h"

#define MAX_JSON	(8u * 1024 * 1024)

struct sb {
	char	*p;
	size_t	 len;
	size_t	 cap;
	int	 err;
};

static void
put(struct sb *b, const char *s, size_t n)
{
	char *np;
	size_t ncap;

	if (b->err != MINDL_OK)
		return;
	if (n > MAX_JSON || b->len + n + 1 > MAX_JSON) {
		b->err = MINDL_ERR_TOO_LARGE;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		ncap = b->cap ? b->cap : 128;
		while (ncap < b->len + n + 1)
			ncap *= 2;
		if ((np = mindl_realloc(b->p, ncap)) == NULL) {
			b->err = MINDL_ERR_NOMEM;
			return;
		}
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
puts_(struct sb *b, const char *s)
{
	put(b, s, strlen(s));
}

static void
put_str(struct sb *b, const uint8_t *s, size_t n)
{
	char esc[8];
	size_t i;

	put(b, "\"", 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			esc[0] = '\\';
			esc[1] = (char)s[i];
			put(b, esc, 2);
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", s[i]);
			put(b, esc, 6);
		} else if (s[i] == 0xc2 && i + 1 < n && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9f) {
			/* C1 controls (U+0080..U+009F): CSI and friends. */
			snprintf(esc, sizeof(esc), "\\u%04x", s[i + 1]);
			put(b, esc, 6);
			i++;
		} else
			put(b, (const char *)&s[i], 1);
	}
	put(b, "\"", 1);
}

static void
put_b64(struct sb *b, const uint8_t *p, size_t n)
{
	unsigned char *out;
	size_t cap = 4 * ((n + 2) / 3) + 1;
	int w;

	if (n > MAX_JSON / 2) {
		b->err = MINDL_ERR_TOO_LARGE;
		return;
	}
	if ((out = mindl_malloc(cap)) == NULL) {
		b->err = MINDL_ERR_NOMEM;
		return;
	}
	w = EVP_EncodeBlock(out, p, (int)n);
	put(b, "\"", 1);
	put(b, (const char *)out, (size_t)w);
	put(b, "\"", 1);
	free(out);
}

static void
value(struct sb *b, const struct mindl_cbor_item *it, int depth)
{
	const struct mindl_cbor_item *c, *v;
	char num[32];
	uint64_t i;

	if (depth > MINDL_MAX_DEPTH) {
		b->err = MINDL_ERR_CBOR_DEPTH;
		return;
	}
	switch (it->type) {
	case MINDL_CBOR_UINT:
		snprintf(num, sizeof(num), "%llu", (unsigned long long)it->u);
		puts_(b, num);
		break;
	case MINDL_CBOR_NEGINT:
		if (it->u >= (uint64_t)INT64_MAX)
			snprintf(num, sizeof(num), "\"-1-%llu\"",
			    (unsigned long long)it->u);
		else
			snprintf(num, sizeof(num), "%lld",
			    -1 - (long long)it->u);
		puts_(b, num);
		break;
	case MINDL_CBOR_BSTR:
		put_b64(b, it->ptr, it->len);
		break;
	case MINDL_CBOR_TSTR:
		put_str(b, it->ptr, it->len);
		break;
	case MINDL_CBOR_ARRAY:
		puts_(b, "[");
		for (i = 0, c = mindl_cbor_child(it); i < it->u; i++) {
			if (i > 0)
				puts_(b, ",");
			value(b, c, depth + 1);
			c = mindl_cbor_next(c);
		}
		puts_(b, "]");
		break;
	case MINDL_CBOR_MAP:
		puts_(b, "{");
		for (i = 0, c = mindl_cbor_child(it); i < it->u; i++) {
			v = mindl_cbor_next(c);
			if (i > 0)
				puts_(b, ",");
			if (c->type == MINDL_CBOR_TSTR)
				put_str(b, c->ptr, c->len);
			else {
				/* Non-text keys become their JSON text. */
				struct sb k = { NULL, 0, 0, MINDL_OK };

				value(&k, c, depth + 1);
				if (k.err == MINDL_OK)
					put_str(b, (const uint8_t *)k.p, k.len);
				else
					b->err = k.err;
				free(k.p);
			}
			puts_(b, ":");
			value(b, v, depth + 1);
			c = mindl_cbor_next(v);
		}
		puts_(b, "}");
		break;
	case MINDL_CBOR_TAG:
		c = mindl_cbor_child(it);
		/* tdate (0) and full-date (1004) print as their strings. */
		if ((it->u == 0 || it->u == 1004) && c->type == MINDL_CBOR_TSTR)
			value(b, c, depth + 1);
		else {
			snprintf(num, sizeof(num), "{\"tag\":%llu,\"value\":",
			    (unsigned long long)it->u);
			puts_(b, num);
			value(b, c, depth + 1);
			puts_(b, "}");
		}
		break;
	case MINDL_CBOR_FALSE:
		puts_(b, "false");
		break;
	case MINDL_CBOR_TRUE:
		puts_(b, "true");
		break;
	case MINDL_CBOR_NULL:
	case MINDL_CBOR_UNDEF:
		puts_(b, "null");
		break;
	case MINDL_CBOR_FLOAT:
		if (it->f != it->f || it->f - it->f != 0.0)
			puts_(b, "null");	/* NaN, infinities */
		else {
			snprintf(num, sizeof(num), "%.17g", it->f);
			puts_(b, num);
		}
		break;
	}
}

int
mindl_value_json(const struct mindl_cbor_item *it, char **out)
{
	struct sb b = { NULL, 0, 0, MINDL_OK };

	*out = NULL;
	if (it == NULL)
		return MINDL_ERR_INVALID_ARG;
	value(&b, it, 0);
	if (b.err != MINDL_OK) {
		free(b.p);
		return b.err;
	}
	*out = b.p;
	return MINDL_OK;
}
