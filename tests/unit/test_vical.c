/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests for core/src/vical.c and the Annex B deviations of roots
 * (x509.c, trust.c), on real lists and roots (tests/data/vical/README.md):
 * both AAMVA VICALs open at their own date and are refused a day after
 * their signer expired, with another anchor, and after any one-byte
 * change; the Austroads list opens against its own root; every root of
 * the 2025-11-18 AAMVA list passes Annex B but for the deviations it is
 * known to carry; each community root passes or fails as its README row
 * says, with the deviations named.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/vical.h"
#include "unit.h"

#define DIR		"tests/data/vical/"
#define NOV		DIR "aamva-vical-2025-11-18-1763491092481.cbor"
#define AUG		DIR "aamva-vical-2025-08-05-issue89782.cbor"
#define AUSTROADS	DIR "austroads-preprod-vical-2024-12-17-issue27.cbor"
#define AAMVA_ROOT	DIR "aamva-dts-root-ca.pem"
#define AUS_ROOT	DIR "austroads-preprod-dts-root-ca.pem"
#define NOV_AT		INT64_C(1763491092)	/* 2025-11-18T18:38:12Z */
#define AUG_AT		INT64_C(1754426841)	/* 2025-08-05T20:47:21Z */
#define AUS_AT		INT64_C(1734475231)	/* 2024-12-17T22:40:31Z */
/* The signer's notAfter (2026-04-18) plus one day. */
#define SIGNER_GONE	INT64_C(1776556800)

static uint8_t *
load(const char *path, size_t *len)
{
	uint8_t *b = NULL;

	*len = 0;
	CHECK_ERR(mindl_file_read(path, MINDL_VICAL_MAX_FILE, &b, len),
	    MINDL_OK);
	return b;
}

static uint8_t *
load_pem(const char *path, size_t *len)
{
	uint8_t *d = NULL;

	*len = 0;
	CHECK_ERR(mindl_x509_read_pem(path, &d, len), MINDL_OK);
	return d;
}

static int
open_at(const char *vical, const char *anchor, int64_t at, size_t *count)
{
	struct mindl_vical *v = NULL;
	uint8_t *b, *a;
	size_t bl, al;
	int r;

	b = load(vical, &bl);
	a = load_pem(anchor, &al);
	if (b == NULL || a == NULL) {
		free(b);
		free(a);
		return MINDL_ERR_INTERNAL;
	}
	r = mindl_vical_open(b, bl, a, al, at, &v);
	CHECK((r == MINDL_OK) == (v != NULL));
	if (count != NULL)
		*count = mindl_vical_count(v);
	mindl_vical_free(&v);
	free(a);
	free(b);
	return r;
}

static void
aamva_at_their_date(void)
{
	size_t n = 0;

	CHECK_ERR(open_at(NOV, AAMVA_ROOT, NOV_AT, &n), MINDL_OK);
	CHECK(n == 14);
	CHECK_ERR(open_at(AUG, AAMVA_ROOT, AUG_AT, &n), MINDL_OK);
	CHECK(n == 13);
	/* Until the signer's last day, not after it. */
	CHECK_ERR(open_at(NOV, AAMVA_ROOT, SIGNER_GONE - 2 * 86400, NULL),
	    MINDL_OK);
	CHECK_ERR(open_at(NOV, AAMVA_ROOT, SIGNER_GONE, NULL),
	    MINDL_ERR_CERT_EXPIRED);
	CHECK_ERR(open_at(AUG, AAMVA_ROOT, SIGNER_GONE, NULL),
	    MINDL_ERR_CERT_EXPIRED);
	/* Another pinned anchor. */
	CHECK_ERR(open_at(NOV, AUS_ROOT, NOV_AT, NULL), MINDL_ERR_VICAL_SIGNER);
	CHECK_ERR(open_at(AUG, AUS_ROOT, AUG_AT, NULL), MINDL_ERR_VICAL_SIGNER);
	/* The intermediate CA is not the anchor either. */
	CHECK_ERR(open_at(NOV, DIR "aamva-dts-issuing-ca.pem", NOV_AT, NULL),
	    MINDL_ERR_VICAL_SIGNER);
}

static void
austroads_own_root(void)
{
	size_t n = 0;

	CHECK_ERR(open_at(AUSTROADS, AUS_ROOT, AUS_AT, &n), MINDL_OK);
	CHECK(n == 40);
	CHECK_ERR(open_at(AUSTROADS, AAMVA_ROOT, AUS_AT, NULL),
	    MINDL_ERR_VICAL_SIGNER);
}

/* Every byte of the file matters: each one changed (every step-th), each refused. */
static void
one_byte_anywhere(const char *path, int64_t at, size_t step)
{
	struct mindl_vical *v = NULL;
	uint8_t *b, *a;
	size_t bl, al, i, accepted = 0;

	b = load(path, &bl);
	a = load_pem(AAMVA_ROOT, &al);
	if (b == NULL || a == NULL)
		goto out;
	for (i = 0; i < bl; i += step) {
		b[i] ^= 0x01;
		if (mindl_vical_open(b, bl, a, al, at, &v) == MINDL_OK) {
			fprintf(stderr, "%s: byte %zu changed, accepted\n",
			    path, i);
			accepted++;
			mindl_vical_free(&v);
		}
		b[i] ^= 0x01;
	}
	CHECK(accepted == 0);
	CHECK_ERR(mindl_vical_open(b, bl, a, al, at, &v), MINDL_OK);
	mindl_vical_free(&v);
out:
	free(a);
	free(b);
}

static void
one_byte_nov(void)
{
	one_byte_anywhere(NOV, NOV_AT, 1);
}

static void
one_byte_aug(void)
{
	/* The same signer and layout: every seventh byte is enough here. */
	one_byte_anywhere(AUG, AUG_AT, 7);
}

/*
 * Every root of the 2025-11-18 list is usable: Annex B holds but for
 * Alaska's "AK" (not "US-AK"), a named deviation; a trust store fed the
 * list's roots with their deviations allowed holds all 14.
 */
static void
nov_roots_accepted(void)
{
	struct mindl_vical *v = NULL;
	struct mindl_trust *t = NULL;
	const struct mindl_vical_entry *e;
	struct mindl_x509_names nm;
	uint8_t *b, *a;
	size_t bl, al, i;

	b = load(NOV, &bl);
	a = load_pem(AAMVA_ROOT, &al);
	if (b == NULL || a == NULL)
		goto out;
	CHECK_ERR(mindl_vical_open(b, bl, a, al, NOV_AT, &v), MINDL_OK);
	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	if (v == NULL || t == NULL)
		goto out;
	for (i = 0; i < mindl_vical_count(v); i++) {
		e = mindl_vical_at(v, i);
		CHECK_ERR(e->profile, MINDL_OK);
		CHECK_ERR(mindl_x509_names(e->der, e->len, &nm), MINDL_OK);
		CHECK(strcmp(e->doctypes, "org.iso.18013.5.1.mDL") == 0);
		if (strcmp(nm.st, "AK") == 0)
			CHECK(e->dev == MINDL_DEV_ST_FORM);
		else
			CHECK(e->dev == 0);
		CHECK_ERR(mindl_trust_add_der_allow(t, e->der, e->len,
		    e->dev), MINDL_OK);
	}
	CHECK(mindl_trust_count(t) == 14);
out:
	mindl_trust_free(&t);
	mindl_vical_free(&v);
	free(a);
	free(b);
}

/* The README's Annex B column, as deviations (CRL DP is not required). */
static const struct {
	const char	*file;
	int		 want;
	const char	*dev;
} community[] = {
	{ "us-az-az-prod-iaca-2024.pem", MINDL_OK, "" },
	{ "us-az-mvmprodca-2023.pem", MINDL_OK, "no-pathlen" },
	{ "us-ca-california-dmv-iaca-root-2023.pem", MINDL_OK, "" },
	{ "us-co-colorado-root-certificate-2023.pem", MINDL_OK, "no-pathlen" },
	{ "us-co-co-drives-root-2022.pem", MINDL_OK,
	    "no-pathlen,st-not-iso3166-2,no-issuer-alt-name" },
	{ "us-hi-hi-iaca-prod-2024.pem", MINDL_OK, "" },
	{ "us-la-louisiana-dmv-iaca-2023.pem", MINDL_OK, "st-not-iso3166-2" },
	{ "us-md-fast-enterprises-root-2022.pem", MINDL_OK, "no-pathlen" },
	{ "us-nm-new-mexico-root-ca-2024.pem", MINDL_OK, "no-pathlen" },
	{ "us-ny-nysdmv-iaca-2023.pem", MINDL_OK, "" },
	{ "us-oh-ohio-mdl-root-ca-gen1-2024.pem", MINDL_OK, "" },
	{ "us-pr-prdtop-mdl-prod-ca-2024.pem", MINDL_OK, "" },
	{ "us-wv-wv-prod-iaca-2024.pem", MINDL_OK, "" },
};

static void
community_roots(void)
{
	char path[256];
	uint8_t *d;
	size_t len, i;
	unsigned dev, want;

	for (i = 0; i < sizeof(community) / sizeof(community[0]); i++) {
		(void)snprintf(path, sizeof(path), DIR "community-iaca/%s",
		    community[i].file);
		if ((d = load_pem(path, &len)) == NULL)
			continue;
		CHECK_ERR(mindl_x509_deviation_parse(community[i].dev, &want),
		    MINDL_OK);
		dev = ~0u;
		CHECK_ERR(mindl_x509_iaca_check(d, len, &dev),
		    community[i].want);
		if (dev != want)
			fprintf(stderr, "%s: deviations %#x, want %#x\n",
			    community[i].file, dev, want);
		CHECK(dev == want);
		free(d);
	}
	CHECK_ERR(mindl_x509_deviation_parse("no-pathlen,bogus", &dev),
	    MINDL_ERR_DEVIATION);
	CHECK(strcmp(mindl_x509_deviation_name(MINDL_DEV_NO_IAN),
	    "no-issuer-alt-name") == 0);
}

int
main(void)
{
	RUN(aamva_at_their_date);
	RUN(austroads_own_root);
	RUN(one_byte_nov);
	RUN(one_byte_aug);
	RUN(nov_roots_accepted);
	RUN(community_roots);
	UNIT_DONE();
}
