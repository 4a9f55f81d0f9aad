/*
 * mindl command-line tools: a minimal streaming JSON writer for the
 * tools' own output.  Commas and escaping are handled here; strings that
 * are not UTF-8 get U+FFFD, so the output is always JSON.  Values that
 * core renders as JSON (mindl_value_json) go in raw with jw_raw().
 */
#ifndef MINDL_TOOLS_JW_H
#define MINDL_TOOLS_JW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH	32	/* deeper nesting loses its commas */

struct jw {
	FILE	*f;
	int	 depth;
	int	 count[JW_MAX_DEPTH];	/* members written at each level */
	int	 after_key;
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
void jw_raw(struct jw *w, const char *json);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
void jw_int(struct jw *w, long long v);
void jw_uint(struct jw *w, unsigned long long v);
void jw_double(struct jw *w, double v);
/* Ends the document with a newline and flushes. */
void jw_done(struct jw *w);

#endif /* MINDL_TOOLS_JW_H */
