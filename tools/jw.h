/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl command-line tools: a minimal JSON writer for the tools' own
 * output.  Commas are handled here; strings are escaped by the library's
 * one JSON escaper (mindl_buf_add_json_str: C0 and C1 controls, bidi
 * overrides, invalid UTF-8 replaced), so the output is always JSON and
 * never drives a terminal.  The document is built in a wiping buffer
 * (it may carry disclosed values) and written out by jw_done().
 */
#ifndef MINDL_TOOLS_JW_H
#define MINDL_TOOLS_JW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mindl/buf.h"
#include "mindl/cbor.h"

#define JW_MAX_DEPTH	32	/* deeper nesting loses its commas */

struct jw {
	FILE			*f;
	struct mindl_buf	 b;
	int			 depth;
	int			 count[JW_MAX_DEPTH];	/* members per level */
	int			 after_key;
};

void jw_init(struct jw *w, FILE *f);
void jw_obj(struct jw *w);
void jw_end_obj(struct jw *w);
void jw_arr(struct jw *w);
void jw_end_arr(struct jw *w);
void jw_key(struct jw *w, const char *k);
void jw_keyn(struct jw *w, const uint8_t *k, size_t n);
/* A string; NULL is written as null. */
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const uint8_t *s, size_t n);
/* Literal JSON text. */
void jw_raw(struct jw *w, const char *json);
/*
 * A CBOR value as the library renders it (mindl_value_json); null, and
 * the error returned, if it cannot be rendered.
 */
int jw_value(struct jw *w, const struct mindl_cbor_item *it);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
void jw_int(struct jw *w, long long v);
void jw_uint(struct jw *w, unsigned long long v);
void jw_double(struct jw *w, double v);
/*
 * Ends the document with a newline, writes it and flushes; the buffer is
 * wiped.  Returns 0, or -1 if the document could not be built or written.
 */
int jw_done(struct jw *w);
/* Wipes the buffer without writing (an abandoned document). */
void jw_clear(struct jw *w);

#endif /* MINDL_TOOLS_JW_H */
