/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: dates and the injectable clock.
 *
 * ISO 18013-5 tdate is CBOR tag 0 over "YYYY-MM-DDTHH:MM:SSZ": UTC, no
 * fractional seconds, no other offset.  full-date is tag 1004 over
 * "YYYY-MM-DD".  Times are int64 seconds since 1970-01-01T00:00:00Z.
 */
#ifndef MINDL_DATE_H
#define MINDL_DATE_H

#include <stddef.h>
#include <stdint.h>

#define MINDL_TDATE_LEN		20	/* "YYYY-MM-DDTHH:MM:SSZ" */
#define MINDL_FULLDATE_LEN	10	/* "YYYY-MM-DD" */
#define MINDL_DAY		86400

/* Strict tdate; MINDL_ERR_DATE on any deviation (fractions, offsets). */
int mindl_tdate_parse(const char *s, size_t n, int64_t *t);
/* Formats t (years 0000..9999) as a tdate; out gets a NUL. */
int mindl_tdate_format(int64_t t, char out[MINDL_TDATE_LEN + 1]);
/* Strict full-date with a real calendar day; days since the epoch. */
int mindl_fulldate_parse(const char *s, size_t n, int64_t *days);
int mindl_fulldate_format(int64_t days, char out[MINDL_FULLDATE_LEN + 1]);
/* Civil date <-> days since 1970-01-01 (proleptic Gregorian). */
int64_t mindl_days_from_civil(int64_t y, unsigned m, unsigned d);
void mindl_civil_from_days(int64_t days, int64_t *y, unsigned *m,
    unsigned *d);
/*
 * Parses a command-line time: a tdate, or "YYYY-MM-DD" (midnight UTC), or
 * "now".  MINDL_ERR_DATE otherwise.
 */
int mindl_time_parse(const char *s, int64_t *t);

/* The clock, replaceable by tests (NULL restores the system clock). */
typedef int64_t (*mindl_now_fn)(void);
void mindl_set_clock(mindl_now_fn fn);
int64_t mindl_now(void);

#endif /* MINDL_DATE_H */
