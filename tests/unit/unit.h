/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Minimal unit-test support: each test_*.c is one binary with named cases
 * run from main().  CHECK() records a failure and goes on; the binary
 * exits 1 if any check failed and prints "N passed, N failed".
 */
#ifndef MINDL_UNIT_H
#define MINDL_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int unit_failed;
static int unit_passed;
static int unit_case_failed;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
		unit_case_failed = 1;					\
	}								\
} while (0)

/* CHECK_ERR(expr, MINDL_ERR_X): expr must return exactly that code. */
#define CHECK_ERR(expr, want) do {					\
	int unit_r_ = (expr);						\
	if (unit_r_ != (want)) {					\
		fprintf(stderr, "%s:%d: %s returned %s, want %s\n",	\
		    __FILE__, __LINE__, #expr, mindl_errname(unit_r_),	\
		    mindl_errname(want));				\
		unit_case_failed = 1;					\
	}								\
} while (0)

#define RUN(fn) do {							\
	unit_case_failed = 0;						\
	fn();								\
	if (unit_case_failed) {						\
		unit_failed++;						\
		fprintf(stderr, "FAIL %s\n", #fn);			\
	} else								\
		unit_passed++;						\
} while (0)

#define UNIT_DONE() do {						\
	printf("%s: %d passed, %d failed\n", __FILE__, unit_passed,	\
	    unit_failed);						\
	return unit_failed ? 1 : 0;					\
} while (0)

#endif /* MINDL_UNIT_H */
