/*
 * mindl command-line tools: the JSON writer of tools/jw.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jw.h"

void
jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

/* Before any value or key: a comma if the container has members. */
static void
jw_sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->count[w->depth]++ > 0)
		fputc(',', w->f);
}

static void
jw_open(struct jw *w, char c)
{
	jw_sep(w);
	fputc(c, w->f);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->count[w->depth] = 0;
}

static void
jw_close(struct jw *w, char c)
{
	fputc(c, w->f);
	if (w->depth > 0)
		w->depth--;
}

void
jw_obj(struct jw *w)
{
	jw_open(w, '{');
}

void
jw_end_obj(struct jw *w)
{
	jw_close(w, '}');
}

void
jw_arr(struct jw *w)
{
	jw_open(w, '[');
}

void
jw_end_arr(struct jw *w)
{
	jw_close(w, ']');
}

/* Length of a valid UTF-8 sequence at p (at most n bytes), or 0. */
static size_t
utf8_len(const uint8_t *p, size_t n)
{
	size_t k, i;
	uint32_t c;

	if (p[0] < 0x80)
		return 1;
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
	return k;
}

static void
jw_esc(struct jw *w, const uint8_t *s, size_t n)
{
	size_t i, k;

	fputc('"', w->f);
	for (i = 0; i < n; i += k) {
		k = 1;
		if (s[i] == '"' || s[i] == '\\')
			fprintf(w->f, "\\%c", s[i]);
		else if (s[i] < 0x20 || s[i] == 0x7f)
			fprintf(w->f, "\\u%04x", s[i]);
		else if (s[i] < 0x80)
			fputc(s[i], w->f);
		else if ((k = utf8_len(s + i, n - i)) == 0) {
			fputs("\\ufffd", w->f);	/* not UTF-8: replaced */
			k = 1;
		} else
			fwrite(s + i, 1, k, w->f);
	}
	fputc('"', w->f);
}

void
jw_keyn(struct jw *w, const uint8_t *k, size_t n)
{
	jw_sep(w);
	jw_esc(w, k, n);
	fputc(':', w->f);
	w->after_key = 1;
}

void
jw_key(struct jw *w, const char *k)
{
	jw_keyn(w, (const uint8_t *)k, strlen(k));
}

void
jw_strn(struct jw *w, const uint8_t *s, size_t n)
{
	jw_sep(w);
	jw_esc(w, s, n);
}

void
jw_str(struct jw *w, const char *s)
{
	if (s == NULL) {
		jw_null(w);
		return;
	}
	jw_strn(w, (const uint8_t *)s, strlen(s));
}

void
jw_raw(struct jw *w, const char *json)
{
	jw_sep(w);
	fputs(json, w->f);
}

void
jw_bool(struct jw *w, int v)
{
	jw_raw(w, v ? "true" : "false");
}

void
jw_null(struct jw *w)
{
	jw_raw(w, "null");
}

void
jw_int(struct jw *w, long long v)
{
	jw_sep(w);
	fprintf(w->f, "%lld", v);
}

void
jw_uint(struct jw *w, unsigned long long v)
{
	jw_sep(w);
	fprintf(w->f, "%llu", v);
}

void
jw_double(struct jw *w, double v)
{
	jw_sep(w);
	fprintf(w->f, "%.6g", v);
}

void
jw_done(struct jw *w)
{
	fputc('\n', w->f);
	fflush(w->f);
}
