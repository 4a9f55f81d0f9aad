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
 * C0 controls and DEL as \u00XX, and every code point the text escaper
 * below escapes (C1 controls, bidirectional and other format characters,
 * separators, private use, noncharacters) as \uXXXX, so that no byte of
 * it can drive a terminal or reorder what is read; bytes that are not
 * UTF-8 become U+FFFD, so the output is always JSON.  The one JSON string
 * escaper of the library and the tools.
 */
int mindl_buf_add_json_str(struct mindl_buf *b, const uint8_t *s, size_t n);

/*
 * Appends s[0..n), text from outside (a request, a credential, a
 * certificate, a record, a file name), made safe for a terminal or a
 * log: the one escaper for text every tool prints.  Printable ASCII and
 * printable UTF-8 stay; every byte of anything else is written as \xNN:
 * C0 controls (ESC and newline included), DEL, the backslash itself (so
 * that an escape cannot be forged), bytes that are not UTF-8, C1 controls
 * (U+0080..U+009F), the bidirectional controls and other invisible
 * format characters (U+061C, U+180E, U+200B..U+200F, U+202A..U+202E,
 * U+2060..U+206F, U+FEFF, U+FFF9..U+FFFB), the line and paragraph
 * separators, private-use code points and noncharacters.  Nothing it
 * writes can move the cursor, clear a screen, start a new line or reorder
 * what a person reads.
 *
 * MINDL_TEXT_ASCII: non-ASCII is escaped too (a terminal whose locale is
 * not UTF-8 could read the bytes 0x80..0x9F of a UTF-8 letter as C1).
 * MINDL_TEXT_SEPARATORS: space, ',', '=' and ';' are escaped too (the
 * audit's value lists use them).  MINDL_TEXT_BACKSLASH_OK: a backslash
 * stays as it is, for a whole message that may quote text this function
 * already escaped (a diagnostic naming a field): no escape is doubled,
 * and a forged "\x1b" stays four harmless characters.
 */
#define MINDL_TEXT_ASCII	0x01
#define MINDL_TEXT_SEPARATORS	0x02
#define MINDL_TEXT_BACKSLASH_OK	0x04
int mindl_buf_add_text(struct mindl_buf *b, const uint8_t *s, size_t n,
    unsigned flags);
/*
 * The same into dst[0..cap), always NUL-terminated and never allocating:
 * whole escapes only, as many as fit.  Returns how many bytes of s were
 * written (n when all of it fitted).
 */
size_t mindl_text_escape(char *dst, size_t cap, const uint8_t *s, size_t n,
    unsigned flags);

#endif /* MINDL_BUF_H */
