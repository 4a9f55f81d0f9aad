/* SPDX-License-Identifier: BSD-2-Clause */
/* mindl: unit tests for dates and the injectable clock (mindl/date.h). */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "mindl/date.h"
#include "mindl/err.h"
#include "unit.h"

static int64_t
fixed_clock(void)
{
	return 1718323200;	/* 2024-06-14T00:00:00Z */
}

static int
fulldate_ok(const char *s, int64_t *days)
{
	return mindl_fulldate_parse(s, strlen(s), days) == MINDL_OK;
}

static int
tdate_ok(const char *s, int64_t *t)
{
	return mindl_tdate_parse(s, strlen(s), t) == MINDL_OK;
}

static void
test_civil(void)
{
	int64_t d, y;
	unsigned m, dd;

	CHECK(mindl_days_from_civil(1970, 1, 1) == 0);
	CHECK(mindl_days_from_civil(1969, 12, 31) == -1);
	CHECK(mindl_days_from_civil(2000, 3, 1) == 11017);
	CHECK(mindl_days_from_civil(2000, 2, 29) == 11016);
	CHECK(mindl_days_from_civil(2024, 1, 1) == 19723);
	CHECK(mindl_days_from_civil(0, 1, 1) == -719528);
	CHECK(mindl_days_from_civil(9999, 12, 31) == 2932896);
	/* Every day over 0000..9999 and a margin round-trips. */
	for (d = -720000; d <= 2933000; d++) {
		mindl_civil_from_days(d, &y, &m, &dd);
		if (mindl_days_from_civil(y, m, dd) != d || m < 1 || m > 12 ||
		    dd < 1 || dd > 31) {
			CHECK(0);
			break;
		}
	}
	mindl_civil_from_days(11016, &y, &m, &dd);
	CHECK(y == 2000 && m == 2 && dd == 29);
	mindl_civil_from_days(-1, &y, &m, &dd);
	CHECK(y == 1969 && m == 12 && dd == 31);
	/* Extreme inputs are clamped, not undefined behaviour. */
	mindl_civil_from_days(INT64_MAX, &y, &m, &dd);
	mindl_civil_from_days(INT64_MIN, &y, &m, &dd);
	(void)mindl_days_from_civil(INT64_MAX, 12, 31);
	(void)mindl_days_from_civil(INT64_MIN, 1, 1);
	(void)mindl_days_from_civil(2024, 0, 0);
	(void)mindl_days_from_civil(2024, 13, 99);
}

static void
test_fulldate_parse(void)
{
	static const char *const bad[] = {
		"2023-02-29",	/* not a leap year */
		"1900-02-29",	/* century, not leap */
		"2024-02-30",
		"2024-04-31",
		"2024-13-01",
		"2024-00-10",
		"2024-01-00",
		"2024-1-01",
		"2024-01-1",
		"2024-01-01 ",
		" 2024-01-01",
		"2024/01/01",
		"+024-01-01",
		"-024-01-01",
		"2024-01-0a",
		"20240101",
		"2024-01-01T00:00:00Z",
		"",
		"2024-+1-01",
	};
	int64_t d;
	size_t i;

	CHECK(fulldate_ok("1970-01-01", &d) && d == 0);
	CHECK(fulldate_ok("2024-02-29", &d) &&
	    d == mindl_days_from_civil(2024, 2, 29));
	CHECK(fulldate_ok("2000-02-29", &d));
	CHECK(fulldate_ok("0000-01-01", &d));
	CHECK(fulldate_ok("9999-12-31", &d));
	CHECK(fulldate_ok("2024-12-31", &d));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (fulldate_ok(bad[i], &d)) {
			fprintf(stderr, "accepted bad full-date \"%s\"\n",
			    bad[i]);
			CHECK(0);
		}
		CHECK_ERR(mindl_fulldate_parse(bad[i], strlen(bad[i]), &d),
		    MINDL_ERR_DATE);
	}
	/* An embedded NUL within the length is refused. */
	CHECK_ERR(mindl_fulldate_parse("2024-01-\0001", 10, &d),
	    MINDL_ERR_DATE);
	/* Exact length: a longer buffer is not truncated silently. */
	CHECK_ERR(mindl_fulldate_parse("2024-01-01", 9, &d), MINDL_ERR_DATE);
	CHECK_ERR(mindl_fulldate_parse(NULL, 10, &d), MINDL_ERR_INVALID_ARG);
	/* Out-parameter untouched on failure. */
	d = 42;
	CHECK(!fulldate_ok("2023-02-29", &d) && d == 42);
}

static void
test_tdate_parse(void)
{
	static const char *const bad[] = {
		"2024-01-01T00:00:00.5Z",	/* fractions */
		"2024-01-01T00:00:00.000Z",
		"2024-01-01T00:00:00+01:00",	/* offsets */
		"2024-01-01T00:00:00+00:00",
		"2024-01-01T00:00:00-05:00",
		"2024-01-01T00:00:00",		/* no zone */
		"2024-01-01T00:00:00z",
		"2024-01-01t00:00:00Z",
		"2024-01-01 00:00:00Z",
		"2024-01-01T24:00:00Z",
		"2024-01-01T23:60:00Z",
		"2024-01-01T23:59:60Z",		/* seconds 00..59 only */
		"2023-02-29T00:00:00Z",
		"2024-01-01T0:00:00ZZ",
		"2024-01-01T00:00:0aZ",
		"2024-01-01T00-00-00Z",
		"2024-01-01",
		"",
	};
	int64_t t;
	size_t i;

	CHECK(tdate_ok("1970-01-01T00:00:00Z", &t) && t == 0);
	CHECK(tdate_ok("2024-01-01T00:00:00Z", &t) && t == 1704067200);
	CHECK(tdate_ok("2024-02-29T23:59:59Z", &t) &&
	    t == mindl_days_from_civil(2024, 2, 29) * 86400 + 86399);
	CHECK(tdate_ok("1969-12-31T23:59:59Z", &t) && t == -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tdate_ok(bad[i], &t)) {
			fprintf(stderr, "accepted bad tdate \"%s\"\n", bad[i]);
			CHECK(0);
		}
		CHECK_ERR(mindl_tdate_parse(bad[i], strlen(bad[i]), &t),
		    MINDL_ERR_DATE);
	}
	CHECK_ERR(mindl_tdate_parse("2024-01-01T00:00:\0000Z", 20, &t),
	    MINDL_ERR_DATE);
	CHECK_ERR(mindl_tdate_parse(NULL, 20, &t), MINDL_ERR_INVALID_ARG);
}

static void
test_format(void)
{
	char td[MINDL_TDATE_LEN + 1], fd[MINDL_FULLDATE_LEN + 1];
	int64_t t, back;

	CHECK(mindl_tdate_format(0, td) == MINDL_OK &&
	    strcmp(td, "1970-01-01T00:00:00Z") == 0);
	CHECK(mindl_tdate_format(-1, td) == MINDL_OK &&
	    strcmp(td, "1969-12-31T23:59:59Z") == 0);
	CHECK(mindl_tdate_format(1704067200 + 3723, td) == MINDL_OK &&
	    strcmp(td, "2024-01-01T01:02:03Z") == 0);
	CHECK(mindl_fulldate_format(mindl_days_from_civil(2024, 2, 29), fd) ==
	    MINDL_OK && strcmp(fd, "2024-02-29") == 0);
	CHECK(mindl_fulldate_format(mindl_days_from_civil(0, 1, 1), fd) ==
	    MINDL_OK && strcmp(fd, "0000-01-01") == 0);
	CHECK(mindl_tdate_format(mindl_days_from_civil(9999, 12, 31) * 86400 +
	    86399, td) == MINDL_OK && strcmp(td, "9999-12-31T23:59:59Z") == 0);
	/* Years outside 0000..9999 cannot be written. */
	CHECK_ERR(mindl_fulldate_format(mindl_days_from_civil(10000, 1, 1), fd),
	    MINDL_ERR_DATE);
	CHECK_ERR(mindl_fulldate_format(mindl_days_from_civil(-1, 12, 31), fd),
	    MINDL_ERR_DATE);
	CHECK_ERR(mindl_tdate_format(mindl_days_from_civil(10000, 1, 1) *
	    86400, td), MINDL_ERR_DATE);
	CHECK_ERR(mindl_tdate_format(INT64_MAX, td), MINDL_ERR_DATE);
	CHECK_ERR(mindl_tdate_format(INT64_MIN, td), MINDL_ERR_DATE);
	/* Round trips. */
	for (t = -86400 * 3; t < 4102444800; t += 7777777) {
		CHECK(mindl_tdate_format(t, td) == MINDL_OK);
		CHECK(tdate_ok(td, &back) && back == t);
	}
}

static void
test_time_parse(void)
{
	int64_t t;

	mindl_set_clock(fixed_clock);
	CHECK(mindl_now() == fixed_clock());
	CHECK(mindl_time_parse("now", &t) == MINDL_OK && t == fixed_clock());
	CHECK(mindl_time_parse("2024-06-14", &t) == MINDL_OK &&
	    t == 1718323200);
	CHECK(mindl_time_parse("2024-06-14T00:00:01Z", &t) == MINDL_OK &&
	    t == 1718323201);
	CHECK_ERR(mindl_time_parse("yesterday", &t), MINDL_ERR_DATE);
	CHECK_ERR(mindl_time_parse("2024-06-14T00:00:00.0Z", &t),
	    MINDL_ERR_DATE);
	CHECK_ERR(mindl_time_parse("2024-6-14", &t), MINDL_ERR_DATE);
	CHECK_ERR(mindl_time_parse("Now", &t), MINDL_ERR_DATE);
	CHECK_ERR(mindl_time_parse("", &t), MINDL_ERR_DATE);
	CHECK_ERR(mindl_time_parse(NULL, &t), MINDL_ERR_INVALID_ARG);
	mindl_set_clock(NULL);
	t = mindl_now();
	CHECK(t >= (int64_t)time(NULL) - 5 && t <= (int64_t)time(NULL) + 5);
}

int
main(void)
{
	RUN(test_civil);
	RUN(test_fulldate_parse);
	RUN(test_tdate_parse);
	RUN(test_format);
	RUN(test_time_parse);
	UNIT_DONE();
}
