/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: a growable byte buffer with a mandatory size cap (after curl's
 * dynbuf), wiped whenever it moves and when it is cleared.
 *
 * Every output of the library that may carry personal data (credentials,
 * responses, disclosed values rendered as JSON) is handed back in one, so
 * that a caller releases it with mindl_buf_clear() and cannot forget the
 * wipe.  Errors are sticky: once an append fails, every later append
 * fails with the same error, so a writer may append freely and check
 * once.  The bytes are always followed by a NUL that is not counted, so
 * text built here can be used as a C string.
 *
 * The struct lives on the caller's stack; its fields are private: use
 * the functions.
 */
#ifndef MINDL_BUF_H
#define MINDL_BUF_H

#include <stddef.h>
#include <stdint.h>

struct mindl_buf {
	uint8_t	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 max;
	int	 err;
};

/* An empty buffer that may grow to max bytes (MINDL_ERR_TOO_LARGE beyond). */
void mindl_buf_init(struct mindl_buf *b, size_t max);
/* Wipes and frees the bytes; b is empty again, with the same cap. */
void mindl_buf_clear(struct mindl_buf *b);
/*
 * Moves src's bytes, error and cap into dst (cleared first); src is left
 * empty.  No copy is made.
 */
void mindl_buf_move(struct mindl_buf *dst, struct mindl_buf *src);

/* Appends n bytes: all or nothing.  MINDL_OK or the sticky error. */
int mindl_buf_add(struct mindl_buf *b, const void *p, size_t n);
int mindl_buf_addc(struct mindl_buf *b, uint8_t c);
int mindl_buf_addstr(struct mindl_buf *b, const char *s);
int mindl_buf_addf(struct mindl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Room for n more bytes; returns where they go (the caller writes them and
 * then calls mindl_buf_commit), or NULL with the sticky error set.
 */
uint8_t *mindl_buf_reserve(struct mindl_buf *b, size_t n);
void mindl_buf_commit(struct mindl_buf *b, size_t n);
/* Cuts the buffer to len bytes (len <= length), wiping what is cut. */
void mindl_buf_truncate(struct mindl_buf *b, size_t len);
/* Sets the sticky error (if none is set yet) and returns it. */
int mindl_buf_fail(struct mindl_buf *b, int err);

/* The bytes (NULL when empty) and their length; valid until the next change. */
const uint8_t *mindl_buf_ptr(const struct mindl_buf *b);
size_t mindl_buf_len(const struct mindl_buf *b);
/* The bytes as a NUL-terminated string; "" when empty. */
const char *mindl_buf_str(const struct mindl_buf *b);
/* Bytes that may still be added before the cap. */
size_t mindl_buf_room(const struct mindl_buf *b);
/* MINDL_OK, or the first error of an append. */
int mindl_buf_err(const struct mindl_buf *b);

/*
 * Appends the bytes that hex text s[0..n) stands for.  With skip_space,
 * ASCII white space between digits is ignored (test vectors come so).
 * MINDL_ERR_INVALID_ARG for any other character or an odd digit count;
 * nothing is appended then.
 */
int mindl_buf_add_hex(struct mindl_buf *b, const char *s, size_t n,
    int skip_space);
/* Appends lowercase hex of p[0..n). */
int mindl_buf_add_tohex(struct mindl_buf *b, const uint8_t *p, size_t n);

/*
 * Appends s[0..n) as a JSON string, quotes included: '"' and '\' escaped,
 * C0 controls, DEL and the C1 controls (U+0080..U+009F) as \u00XX, so
 * that no byte of it can drive a terminal; bytes that are not UTF-8 become
 * U+FFFD, so the output is always JSON.  The one JSON string escaper of
 * the library and the tools.
 */
int mindl_buf_add_json_str(struct mindl_buf *b, const uint8_t *s, size_t n);

#endif /* MINDL_BUF_H */
