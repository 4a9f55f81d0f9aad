/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl command-line tools: the JSON writer of tools/jw.h.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mindl/mindl.h"
#include "jw.h"

/* A tool's one JSON document: disclosed values and names, no portrait. */
#define JW_MAX	(16u * 1024 * 1024)

void
jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	mindl_buf_init(&w->b, JW_MAX);
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
		(void)mindl_buf_addc(&w->b, ',');
}

static void
jw_open(struct jw *w, char c)
{
	jw_sep(w);
	(void)mindl_buf_addc(&w->b, (uint8_t)c);
	if (w->depth + 1 < JW_MAX_DEPTH)
		w->depth++;
	w->count[w->depth] = 0;
}

static void
jw_close(struct jw *w, char c)
{
	(void)mindl_buf_addc(&w->b, (uint8_t)c);
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

void
jw_keyn(struct jw *w, const uint8_t *k, size_t n)
{
	jw_sep(w);
	(void)mindl_buf_add_json_str(&w->b, k, n);
	(void)mindl_buf_addc(&w->b, ':');
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
	(void)mindl_buf_add_json_str(&w->b, s, n);
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
	(void)mindl_buf_addstr(&w->b, json);
}

int
jw_value(struct jw *w, const struct mindl_cbor_item *it)
{
	int r;

	jw_sep(w);
	if ((r = mindl_value_json(it, &w->b)) != MINDL_OK)
		(void)mindl_buf_addstr(&w->b, "null");
	return r;
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
	(void)mindl_buf_addf(&w->b, "%lld", v);
}

void
jw_uint(struct jw *w, unsigned long long v)
{
	jw_sep(w);
	(void)mindl_buf_addf(&w->b, "%llu", v);
}

void
jw_double(struct jw *w, double v)
{
	jw_sep(w);
	(void)mindl_buf_addf(&w->b, "%.6g", v);
}

int
jw_done(struct jw *w)
{
	int rc = 0;

	(void)mindl_buf_addc(&w->b, '\n');
	if (mindl_buf_err(&w->b) != MINDL_OK ||
	    fwrite(mindl_buf_str(&w->b), 1, mindl_buf_len(&w->b), w->f) !=
	    mindl_buf_len(&w->b) || fflush(w->f) != 0)
		rc = -1;
	mindl_buf_clear(&w->b);
	return rc;
}

void
jw_clear(struct jw *w)
{
	mindl_buf_clear(&w->b);
}
