/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: dates and the injectable clock (see mindl/date.h).
 *
 * ISO 18013-5 tdate is RFC 3339 restricted to UTC "Z" without fractional
 * seconds; full-date is "YYYY-MM-DD".  Both are parsed strictly: exact
 * length, ASCII digits only, real calendar days.  Civil-date arithmetic
 * follows Howard Hinnant's days_from_civil / civil_from_days algorithms
 * (public domain, "chrono-Compatible Low-Level Date Algorithms"),
 * proleptic Gregorian calendar.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "mindl/date.h"
#include "mindl/err.h"
#include "internal.h"

/*
 * Inputs are clamped to this many years or days either side of the epoch
 * so that the arithmetic below can never overflow int64 (far beyond any
 * date a credential can carry: tdate and full-date stop at year 9999).
 */
#define CIVIL_MAX_YEARS	((int64_t)1 << 40)
#define CIVIL_MAX_DAYS	((int64_t)1 << 48)

static mindl_now_fn clock_fn;

int64_t
mindl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	if (y > CIVIL_MAX_YEARS)
		y = CIVIL_MAX_YEARS;
	if (y < -CIVIL_MAX_YEARS)
		y = -CIVIL_MAX_YEARS;
	if (m < 1 || m > 12)
		m = 1;
	if (d < 1)
		d = 1;
	if (d > 31)
		d = 31;
	/* The year starts on March 1 so that Feb 29 is its last day. */
	if (m <= 2)
		y--;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);			/* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;	/* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;	/* [0, 146096] */
	return era * 146097 + (int64_t)doe - 719468;
}

void
mindl_civil_from_days(int64_t days, int64_t *yp, unsigned *mp, unsigned *dp)
{
	int64_t z, era, y;
	unsigned doe, yoe, doy, mp0, m, d;

	if (days > CIVIL_MAX_DAYS)
		days = CIVIL_MAX_DAYS;
	if (days < -CIVIL_MAX_DAYS)
		days = -CIVIL_MAX_DAYS;
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);		/* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);		/* [0, 365] */
	mp0 = (5 * doy + 2) / 153;				/* [0, 11] */
	d = doy - (153 * mp0 + 2) / 5 + 1;			/* [1, 31] */
	m = mp0 < 10 ? mp0 + 3 : mp0 - 9;			/* [1, 12] */
	if (m <= 2)
		y++;
	*yp = y;
	*mp = m;
	*dp = d;
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned dim[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

/* n ASCII digits at s; -1 if any byte is not a digit. */
static int
digits(const char *s, size_t n)
{
	int v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD" at s (exactly 10 bytes available); days since the epoch. */
static int
parse_ymd(const char *s, int64_t *days)
{
	int y, m, d;

	if (s[4] != '-' || s[7] != '-')
		return MINDL_ERR_DATE;
	if ((y = digits(s, 4)) < 0 || (m = digits(s + 5, 2)) < 0 ||
	    (d = digits(s + 8, 2)) < 0)
		return MINDL_ERR_DATE;
	if (m < 1 || m > 12 || d < 1 ||
	    (unsigned)d > days_in_month(y, (unsigned)m))
		return MINDL_ERR_DATE;
	*days = mindl_days_from_civil(y, (unsigned)m, (unsigned)d);
	return MINDL_OK;
}

int
mindl_fulldate_parse(const char *s, size_t n, int64_t *days)
{
	int64_t v;
	int r;

	if (s == NULL || days == NULL) {
		mindl_log_debug("%s: NULL argument", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	if (n != MINDL_FULLDATE_LEN || memchr(s, '\0', n) != NULL) {
		mindl_log_debug("%s: length %zu", __func__, n);
		return MINDL_ERR_DATE;
	}
	if ((r = parse_ymd(s, &v)) != MINDL_OK) {
		mindl_log_debug("%s: not a calendar date", __func__);
		return r;
	}
	*days = v;
	return MINDL_OK;
}

int
mindl_tdate_parse(const char *s, size_t n, int64_t *t)
{
	int64_t days;
	int hh, mm, ss;

	if (s == NULL || t == NULL) {
		mindl_log_debug("%s: NULL argument", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	/*
	 * 18013-5 forbids fractional seconds and offsets other than "Z",
	 * so the length is fixed and every byte position is known.
	 */
	if (n != MINDL_TDATE_LEN || memchr(s, '\0', n) != NULL) {
		mindl_log_debug("%s: length %zu", __func__, n);
		return MINDL_ERR_DATE;
	}
	if (parse_ymd(s, &days) != MINDL_OK || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z') {
		mindl_log_debug("%s: malformed", __func__);
		return MINDL_ERR_DATE;
	}
	if ((hh = digits(s + 11, 2)) < 0 || (mm = digits(s + 14, 2)) < 0 ||
	    (ss = digits(s + 17, 2)) < 0 || hh > 23 || mm > 59 || ss > 59) {
		mindl_log_debug("%s: bad time of day", __func__);
		return MINDL_ERR_DATE;
	}
	*t = days * MINDL_DAY + hh * 3600 + mm * 60 + ss;
	return MINDL_OK;
}

/* Writes v as n zero-padded digits (v < 10^n). */
static void
put_digits(char *out, unsigned v, size_t n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

static int
format_ymd(int64_t days, char *out)
{
	int64_t y;
	unsigned m, d;

	if (days < mindl_days_from_civil(0, 1, 1) ||
	    days > mindl_days_from_civil(9999, 12, 31))
		return MINDL_ERR_DATE;
	mindl_civil_from_days(days, &y, &m, &d);
	put_digits(out, (unsigned)y, 4);
	out[4] = '-';
	put_digits(out + 5, m, 2);
	out[7] = '-';
	put_digits(out + 8, d, 2);
	return MINDL_OK;
}

int
mindl_fulldate_format(int64_t days, char out[MINDL_FULLDATE_LEN + 1])
{
	char tmp[MINDL_FULLDATE_LEN + 1];

	if (out == NULL) {
		mindl_log_debug("%s: NULL argument", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	if (format_ymd(days, tmp) != MINDL_OK) {
		mindl_log_debug("%s: year out of range", __func__);
		return MINDL_ERR_DATE;
	}
	tmp[MINDL_FULLDATE_LEN] = '\0';
	memcpy(out, tmp, sizeof(tmp));
	return MINDL_OK;
}

int
mindl_tdate_format(int64_t t, char out[MINDL_TDATE_LEN + 1])
{
	char tmp[MINDL_TDATE_LEN + 1];
	int64_t days, secs;

	if (out == NULL) {
		mindl_log_debug("%s: NULL argument", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	/* Floor division: times before the epoch belong to earlier days. */
	days = t / MINDL_DAY;
	secs = t % MINDL_DAY;
	if (secs < 0) {
		secs += MINDL_DAY;
		days--;
	}
	if (format_ymd(days, tmp) != MINDL_OK) {
		mindl_log_debug("%s: year out of range", __func__);
		return MINDL_ERR_DATE;
	}
	tmp[10] = 'T';
	put_digits(tmp + 11, (unsigned)(secs / 3600), 2);
	tmp[13] = ':';
	put_digits(tmp + 14, (unsigned)(secs / 60 % 60), 2);
	tmp[16] = ':';
	put_digits(tmp + 17, (unsigned)(secs % 60), 2);
	tmp[19] = 'Z';
	tmp[20] = '\0';
	memcpy(out, tmp, sizeof(tmp));
	return MINDL_OK;
}

int
mindl_time_parse(const char *s, int64_t *t)
{
	int64_t v;
	size_t n;
	int r;

	if (s == NULL || t == NULL) {
		mindl_log_debug("%s: NULL argument", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	n = strlen(s);
	if (strcmp(s, "now") == 0)
		v = mindl_now();
	else if (n == MINDL_TDATE_LEN) {
		if ((r = mindl_tdate_parse(s, n, &v)) != MINDL_OK) {
			mindl_log_debug("%s: mindl_tdate_parse", __func__);
			return r;
		}
	} else if (n == MINDL_FULLDATE_LEN) {
		if ((r = mindl_fulldate_parse(s, n, &v)) != MINDL_OK) {
			mindl_log_debug("%s: mindl_fulldate_parse", __func__);
			return r;
		}
		v *= MINDL_DAY;
	} else {
		mindl_log_debug("%s: not a tdate, full-date or \"now\"",
		    __func__);
		return MINDL_ERR_DATE;
	}
	*t = v;
	return MINDL_OK;
}

void
mindl_set_clock(mindl_now_fn fn)
{
	clock_fn = fn;
}

int64_t
mindl_now(void)
{
	if (clock_fn != NULL)
		return clock_fn();
	return (int64_t)time(NULL);
}
