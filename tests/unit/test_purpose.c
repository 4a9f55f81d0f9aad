/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The purpose verdict (mindl_purpose_judge): a valid credential answers
 * its profile's question YES or NO, by the profile's rule, from the
 * disclosed values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testfx.h"

#define YEAR	((int64_t)86400 * 365)

static struct test_fx fx;

/* A credential for a record (fx's when json is NULL), issued at T0. */
static int
issue(const char *json, uint8_t **cred, size_t *credlen)
{
	struct mindl_issue_params p;
	struct mindl_record *rec = NULL;
	char err[256];
	int r;

	test_fx_params(&fx, &p);
	if (json != NULL) {
		if ((r = mindl_record_parse(fx.schema, json, strlen(json),
		    test_fx_portrait, sizeof(test_fx_portrait), TEST_T0, &rec,
		    err, sizeof(err))) != MINDL_OK) {
			fprintf(stderr, "record: %s\n", err);
			return r;
		}
		p.record = rec;
	}
	r = test_issue(&p, fx.ds_key, cred, credlen, NULL);
	mindl_record_free(&rec);
	return r;
}

/* The credential presented to profile and verified an hour after T0. */
static struct mindl_verified *
verified(const uint8_t *cred, size_t credlen, const char *profile)
{
	struct mindl_request *req = NULL;
	struct mindl_verified *v = NULL;
	uint8_t *rb = NULL, *resp = NULL;
	size_t rblen = 0, resplen = 0;

	if (test_fx_request(&fx, profile, &rb, &rblen, &req) == MINDL_OK &&
	    test_present(cred, credlen, fx.dev_key, req, fx.schema,
	    MINDL_DEVAUTH_MAC, &resp, &resplen, NULL) == MINDL_OK)
		(void)mindl_verify_response(fx.trust, fx.schema,
		    TEST_T0 + 3600, req, fx.reader_key, resp, resplen, &v);
	mindl_request_free(&req);
	free(rb);
	free(resp);
	return v;
}

/* The verdict of profile for v at time at; why gets the reason. */
static int
judge(const char *profile, const struct mindl_verified *v, int64_t at,
    char *why, size_t why_len)
{
	int met = -1;

	if (mindl_purpose_judge(mindl_schema_profile(fx.schema, profile), v,
	    at, &met, why, why_len) != MINDL_OK)
		return -1;
	return met;
}

static void
adult(void)
{
	static const char *const profiles[] = { "age-18", "age-21",
	    "traffic-stop", "employer-driver", "car-rental", "identity" };
	struct mindl_verified *v;
	uint8_t *cred = NULL;
	size_t credlen = 0, i;
	char why[160];

	CHECK_ERR(issue(NULL, &cred, &credlen), MINDL_OK);
	for (i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		v = verified(cred, credlen, profiles[i]);
		CHECK(v != NULL);
		CHECK(judge(profiles[i], v, TEST_T0 + 3600, why,
		    sizeof(why)) == 1);
		CHECK(why[0] == '\0');
		mindl_verified_free(&v);
	}
	/* The same licence years later: genuine then, expired now. */
	v = verified(cred, credlen, "traffic-stop");
	CHECK(judge("traffic-stop", v, TEST_T0 + 20 * YEAR, why,
	    sizeof(why)) == 0);
	CHECK(strstr(why, "the licence expired on") != NULL);
	mindl_verified_free(&v);
	v = verified(cred, credlen, "identity");
	CHECK(judge("identity", v, TEST_T0 + 20 * YEAR, why,
	    sizeof(why)) == 0);
	mindl_verified_free(&v);
	/* An age-18 answer does not answer the age-21 question. */
	v = verified(cred, credlen, "age-18");
	CHECK(judge("age-21", v, TEST_T0 + 3600, why, sizeof(why)) == 0);
	CHECK(strcmp(why, "age_over_21 not disclosed") == 0);
	CHECK(judge("traffic-stop", v, TEST_T0 + 3600, why,
	    sizeof(why)) == 0);
	CHECK(strcmp(why, "expiry_date not disclosed") == 0);
	mindl_verified_free(&v);
	free(cred);
}

/* The bartender's case: a genuine licence, a signed "false". */
static void
minor(void)
{
	static const char rec[] =
	    "{\"family_name\": \"Doe\", \"given_name\": \"Sam\","
	    " \"birth_date\": \"2009-01-01\", \"document_number\": \"D7\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"B\"}]}";
	struct mindl_verified *v;
	uint8_t *cred = NULL;
	size_t credlen = 0;
	char why[160];

	CHECK_ERR(issue(rec, &cred, &credlen), MINDL_OK);
	v = verified(cred, credlen, "age-21");
	CHECK(v != NULL);
	CHECK(judge("age-21", v, TEST_T0 + 3600, why, sizeof(why)) == 0);
	CHECK(strcmp(why, "age_over_21 is false") == 0);
	mindl_verified_free(&v);
	v = verified(cred, credlen, "age-18");
	CHECK(judge("age-18", v, TEST_T0 + 3600, why, sizeof(why)) == 0);
	mindl_verified_free(&v);
	/* Old enough to drive, too young to rent. */
	v = verified(cred, credlen, "car-rental");
	CHECK(judge("car-rental", v, TEST_T0 + 3600, why, sizeof(why)) ==
	    0);
	CHECK(strcmp(why, "age_over_25 is false") == 0);
	CHECK(judge("traffic-stop", v, TEST_T0 + 3600, why, sizeof(why)) ==
	    1);
	mindl_verified_free(&v);
	free(cred);
}

/* A privilege counts only between its own issue and expiry dates. */
static void
privileges(void)
{
	static const char rec[] =
	    "{\"family_name\": \"Doe\", \"given_name\": \"Sam\","
	    " \"birth_date\": \"1980-01-01\", \"document_number\": \"D8\","
	    " \"driving_privileges\": [{\"vehicle_category_code\": \"B\","
	    " \"issue_date\": \"2020-06-01\"}]}";
	struct mindl_verified *v;
	uint8_t *cred = NULL;
	size_t credlen = 0;
	char why[160];
	int64_t y2020_01 = 1577836800, y2020_06 = 1590969600;

	CHECK_ERR(issue(rec, &cred, &credlen), MINDL_OK);
	v = verified(cred, credlen, "traffic-stop");
	CHECK(v != NULL);
	CHECK(judge("traffic-stop", v, y2020_01, why, sizeof(why)) == 0);
	CHECK(strcmp(why, "no driving privilege in force today") == 0);
	CHECK(judge("traffic-stop", v, y2020_06, why, sizeof(why)) == 1);
	mindl_verified_free(&v);
	free(cred);
}

static void
describe(void)
{
	char out[256];
	int met;

	CHECK_ERR(mindl_purpose_describe(mindl_schema_profile(fx.schema,
	    "age-21"), out, sizeof(out)), MINDL_OK);
	CHECK(strcmp(out, "YES when age_over_21 is true") == 0);
	CHECK_ERR(mindl_purpose_describe(mindl_schema_profile(fx.schema,
	    "car-rental"), out, sizeof(out)), MINDL_OK);
	CHECK(strcmp(out, "YES when age_over_25 is true, expiry_date is "
	    "today or later, a driving privilege is in force today") == 0);
	CHECK(strcmp(mindl_profile_question(mindl_schema_profile(fx.schema,
	    "age-21")), "OVER 21") == 0);
	CHECK_ERR(mindl_purpose_judge(NULL, NULL, 0, &met, out, sizeof(out)),
	    MINDL_ERR_INVALID_ARG);
}

int
main(void)
{
	if (test_fx_setup(&fx) != MINDL_OK) {
		fprintf(stderr, "test_purpose: set-up failed\n");
		return 1;
	}
	RUN(adult);
	RUN(minor);
	RUN(privileges);
	RUN(describe);
	test_fx_free(&fx);
	UNIT_DONE();
}
