/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests for core/src/x509.c, x509_make.c, pem.c and trust.c: Annex B
 * IACA and DS certificates made in memory and verified, every refusal with
 * its exact error, the ISO Annex D vector and the AAMVA VICAL IACA bundle.
 *
 * The vectors are in tests/vectors/, read relative to the repository
 * root from which tests run (as test_vectors.c reads them); a missing
 * file fails its case.
 */
#include <sys/stat.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mindl/mindl.h"
#include "internal.h"
#include "unit.h"

#define T0		INT64_C(1700000000)	/* 2023-11-14T22:13:20Z */
#define DAY		INT64_C(86400)
#define ANNEXD_AT	INT64_C(1609459200)	/* 2021-01-01T00:00:00Z */
#define MANY_ROOTS	300	/* more than the store once had room for */

/* A ceremony's worth of material, made once and shared by the cases. */
static struct mindl_key *iaca_key, *ds_key, *other_key;
static uint8_t *iaca_der, *ds_der, *other_der;
static size_t iaca_len, ds_len, other_len;

/* Cases after test_setup need its material; without it they fail fast. */
#define NEED_SETUP() do {						\
	int have_ = iaca_der != NULL && ds_der != NULL &&		\
	    other_der != NULL;						\
	CHECK(have_);							\
	if (!have_)							\
		return;							\
} while (0)

#define VECTORS		"tests/vectors"

static int
make_iaca(struct mindl_key *key, const char *name, int64_t nb, int days,
    uint8_t **der, size_t *len)
{
	struct mindl_iaca_params p;

	memset(&p, 0, sizeof(p));
	p.country = "US";
	p.state = "IL";
	p.name = name;
	p.issuer_alt = "https://dmv.example.invalid/iaca";
	p.not_before = nb;
	p.days = days;
	return mindl_x509_make_iaca(key, &p, der, len);
}

static int
make_ds(struct mindl_key *ikey, const uint8_t *ider, size_t ilen,
    struct mindl_key *dkey, int64_t nb, int days, uint8_t **der, size_t *len)
{
	struct mindl_ds_params p;

	memset(&p, 0, sizeof(p));
	p.not_before = nb;
	p.days = days;
	return mindl_x509_make_ds(ikey, ider, ilen, dkey, &p, der, len);
}

static X509 *
parse(const uint8_t *der, size_t len)
{
	const unsigned char *p = der;

	return d2i_X509(NULL, &p, (long)len);
}

static uint8_t *
to_der(X509 *x, size_t *len)
{
	unsigned char *buf = NULL;
	int n;

	if ((n = i2d_X509(x, &buf)) <= 0)
		return NULL;
	*len = (size_t)n;
	return buf;
}

static int
add_conf_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return 0;
	ok = X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* Hand-built DS variants, each breaking one Annex B rule. */
enum bad_ds {
	DS_GOOD,
	DS_NO_EKU,
	DS_OTHER_EKU,
	DS_NO_DIGSIG,
	DS_IS_CA,
	DS_LONG,
	DS_OTHER_COUNTRY,
	DS_OTHER_STATE,
	DS_EKU_NONCRIT,
};

/* The DER of a DS made with OpenSSL directly (OPENSSL_free it). */
static uint8_t *
hand_ds(struct mindl_key *ikey, const uint8_t *ider, size_t ilen,
    struct mindl_key *dkey, enum bad_ds bad, size_t *len)
{
	X509 *iaca = NULL, *x = NULL;
	X509_NAME *name = NULL;
	uint8_t *der = NULL;
	int ok = 0;
	long days = bad == DS_LONG ? 458 : 365;

	if ((iaca = parse(ider, ilen)) == NULL || (x = X509_new()) == NULL ||
	    (name = X509_NAME_new()) == NULL)
		goto out;
	if (X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
	    (const unsigned char *)(bad == DS_OTHER_COUNTRY ? "CA" : "US"),
	    -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "ST", MBSTRING_ASC,
	    (const unsigned char *)(bad == DS_OTHER_STATE ? "US-WI" :
	    "US-IL"), -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)"hand DS", -1, -1, 0) != 1)
		goto out;
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), 4242) != 1 ||
	    X509_set_subject_name(x, name) != 1 ||
	    X509_set_issuer_name(x, X509_get_subject_name(iaca)) != 1 ||
	    X509_set_pubkey(x, mindl_key_evp(dkey)) != 1 ||
	    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)T0) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x),
	    (time_t)(T0 + days * DAY)) == NULL)
		goto out;
	if (!add_conf_ext(x, iaca, NID_key_usage, bad == DS_NO_DIGSIG ?
	    "critical,nonRepudiation" : "critical,digitalSignature"))
		goto out;
	if (bad == DS_OTHER_EKU && !add_conf_ext(x, iaca, NID_ext_key_usage,
	    "critical,1.0.18013.5.1.6"))
		goto out;
	if (bad == DS_EKU_NONCRIT && !add_conf_ext(x, iaca, NID_ext_key_usage,
	    "1.0.18013.5.1.2"))
		goto out;
	if (bad != DS_NO_EKU && bad != DS_OTHER_EKU && bad != DS_EKU_NONCRIT &&
	    !add_conf_ext(x, iaca, NID_ext_key_usage,
	    "critical,1.0.18013.5.1.2"))
		goto out;
	if (bad == DS_IS_CA && !add_conf_ext(x, iaca, NID_basic_constraints,
	    "critical,CA:TRUE"))
		goto out;
	if (!add_conf_ext(x, iaca, NID_subject_key_identifier, "hash") ||
	    !add_conf_ext(x, iaca, NID_authority_key_identifier,
	    "keyid:always"))
		goto out;
	if (X509_sign(x, mindl_key_evp(ikey), EVP_sha256()) <= 0)
		goto out;
	der = to_der(x, len);
	ok = 1;
out:
	if (!ok)
		fprintf(stderr, "hand_ds: OpenSSL failed\n");
	X509_NAME_free(name);
	X509_free(x);
	X509_free(iaca);
	return der;
}

/* A self-signed CA that breaks the IACA profile (no pathlen). */
static uint8_t *
hand_root_no_pathlen(struct mindl_key *key, size_t *len)
{
	X509 *x = NULL;
	X509_NAME *name = NULL;
	uint8_t *der = NULL;

	if ((x = X509_new()) == NULL || (name = X509_NAME_new()) == NULL)
		goto out;
	if (X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC,
	    (const unsigned char *)"US", -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "ST", MBSTRING_ASC,
	    (const unsigned char *)"US-IL", -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)"No Pathlen IACA", -1, -1, 0) != 1)
		goto out;
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    ASN1_INTEGER_set(X509_get_serialNumber(x), 7) != 1 ||
	    X509_set_subject_name(x, name) != 1 ||
	    X509_set_issuer_name(x, name) != 1 ||
	    X509_set_pubkey(x, mindl_key_evp(key)) != 1 ||
	    ASN1_TIME_set(X509_getm_notBefore(x), (time_t)T0) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x),
	    (time_t)(T0 + 3650 * DAY)) == NULL)
		goto out;
	if (!add_conf_ext(x, x, NID_basic_constraints, "critical,CA:TRUE") ||
	    !add_conf_ext(x, x, NID_key_usage,
	    "critical,keyCertSign,cRLSign") ||
	    !add_conf_ext(x, x, NID_subject_key_identifier, "hash") ||
	    !add_conf_ext(x, x, NID_issuer_alt_name, "URI:https://x.invalid"))
		goto out;
	if (X509_sign(x, mindl_key_evp(key), EVP_sha256()) <= 0)
		goto out;
	der = to_der(x, len);
out:
	X509_NAME_free(name);
	X509_free(x);
	return der;
}

/* 1 if der's issuerAltName is exactly one name of type with value v. */
static int
ian_is(const uint8_t *der, size_t len, int type, const char *v)
{
	X509 *x;
	GENERAL_NAMES *gens = NULL;
	const GENERAL_NAME *g;
	const ASN1_IA5STRING *s;
	int ok = 0, t;

	if ((x = parse(der, len)) == NULL)
		return 0;
	gens = X509_get_ext_d2i(x, NID_issuer_alt_name, NULL, NULL);
	if (gens != NULL && sk_GENERAL_NAME_num(gens) == 1) {
		g = sk_GENERAL_NAME_value(gens, 0);
		s = GENERAL_NAME_get0_value(g, &t);
		ok = t == type && (size_t)ASN1_STRING_length(s) == strlen(v) &&
		    memcmp(ASN1_STRING_get0_data(s), v, strlen(v)) == 0;
	}
	GENERAL_NAMES_free(gens);
	X509_free(x);
	return ok;
}

static int
same_pub(const struct mindl_key *a, const struct mindl_key *b)
{
	uint8_t ax[MINDL_MAX_COORD], ay[MINDL_MAX_COORD];
	uint8_t bx[MINDL_MAX_COORD], by[MINDL_MAX_COORD];
	size_t alen = 0, blen = 0;

	if (mindl_key_xy(a, ax, ay, &alen) != MINDL_OK ||
	    mindl_key_xy(b, bx, by, &blen) != MINDL_OK)
		return 0;
	return alen == blen && memcmp(ax, bx, alen) == 0 &&
	    memcmp(ay, by, alen) == 0;
}

/* A PEM file of the n certificates, in order; 1 on success. */
static int
pem_bundle(const char *path, uint8_t *const *der, const size_t *len,
    size_t n)
{
	FILE *f;
	X509 *x;
	size_t i;
	int ok = 1;

	if ((f = fopen(path, "w")) == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		if ((x = parse(der[i], len[i])) == NULL ||
		    PEM_write_X509(f, x) != 1)
			ok = 0;
		X509_free(x);
	}
	if (fclose(f) != 0)
		ok = 0;
	return ok;
}

static struct mindl_trust *
trust_of(const uint8_t *der, size_t len)
{
	struct mindl_trust *t = NULL;

	if (mindl_trust_new(&t) != MINDL_OK)
		return NULL;
	if (mindl_trust_add_der(t, der, len) != MINDL_OK)
		mindl_trust_free(&t);
	return t;
}

static void
test_setup(void)
{
	CHECK_ERR(mindl_key_generate(&iaca_key), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&ds_key), MINDL_OK);
	CHECK_ERR(mindl_key_generate(&other_key), MINDL_OK);
	CHECK_ERR(make_iaca(iaca_key, "Illinois Test IACA", T0, 3650,
	    &iaca_der, &iaca_len), MINDL_OK);
	CHECK_ERR(make_ds(iaca_key, iaca_der, iaca_len, ds_key, T0, 365,
	    &ds_der, &ds_len), MINDL_OK);
	/* Same subject as the real IACA, another key. */
	CHECK_ERR(make_iaca(other_key, "Illinois Test IACA", T0, 3650,
	    &other_der, &other_len), MINDL_OK);
}

static void
test_verify_ok(void)
{
	struct mindl_trust *t;
	struct mindl_key *pub = NULL, *pub2 = NULL;
	int i;

	NEED_SETUP();
	CHECK((t = trust_of(iaca_der, iaca_len)) != NULL);
	if (t == NULL)
		return;
	CHECK(mindl_trust_count(t) == 1);
	CHECK(mindl_trust_is_root(t, iaca_der, iaca_len) == 1);
	CHECK(mindl_trust_is_root(t, ds_der, ds_len) == 0);
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 + DAY, &pub),
	    MINDL_OK);
	CHECK(pub != NULL && same_pub(pub, ds_key));
	CHECK(pub != NULL && !mindl_key_is_private(pub));
	/* Cache hits, including both ends of the interval. */
	for (i = 0; i < 3; i++) {
		CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len,
		    T0 + 100 * DAY, &pub2), MINDL_OK);
		CHECK(pub2 != NULL && same_pub(pub2, ds_key));
		mindl_key_free(&pub2);
	}
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0, &pub2),
	    MINDL_OK);
	mindl_key_free(&pub2);
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 + 365 * DAY,
	    &pub2), MINDL_OK);
	mindl_key_free(&pub2);
	/* Adding the same root twice is a no-op. */
	CHECK_ERR(mindl_trust_add_der(t, iaca_der, iaca_len), MINDL_OK);
	CHECK(mindl_trust_count(t) == 1);
	mindl_key_free(&pub);
	mindl_trust_free(&t);
	CHECK(t == NULL);
	mindl_trust_free(&t);
	mindl_trust_free(NULL);
}

/* The Annex B profile, as OpenSSL reads what we made. */
static void
test_profile_made(void)
{
	X509 *ia = NULL, *ds = NULL;
	const ASN1_INTEGER *serial;
	const ASN1_OCTET_STRING *ski, *aki;
	BASIC_CONSTRAINTS *bc = NULL;
	EXTENDED_KEY_USAGE *eku = NULL;
	char buf[128];
	int crit = -1;

	NEED_SETUP();
	CHECK((ia = parse(iaca_der, iaca_len)) != NULL);
	CHECK((ds = parse(ds_der, ds_len)) != NULL);
	if (ia == NULL || ds == NULL)
		goto out;
	/* IACA */
	CHECK(X509_get_version(ia) == X509_VERSION_3);
	CHECK((bc = X509_get_ext_d2i(ia, NID_basic_constraints, &crit,
	    NULL)) != NULL);
	CHECK(crit == 1 && bc != NULL && bc->ca && bc->pathlen != NULL &&
	    ASN1_INTEGER_get(bc->pathlen) == 0);
	CHECK(X509_get_key_usage(ia) == (KU_KEY_CERT_SIGN | KU_CRL_SIGN));
	CHECK(X509_get_ext_by_NID(ia, NID_key_usage, -1) >= 0 &&
	    X509_EXTENSION_get_critical(X509_get_ext(ia,
	    X509_get_ext_by_NID(ia, NID_key_usage, -1))) == 1);
	CHECK(X509_get0_subject_key_id(ia) != NULL);
	CHECK(X509_get_ext_by_NID(ia, NID_issuer_alt_name, -1) >= 0);
	CHECK(X509_NAME_get_text_by_NID(X509_get_subject_name(ia),
	    NID_stateOrProvinceName, buf, sizeof(buf)) > 0 &&
	    strcmp(buf, "US-IL") == 0);
	CHECK(X509_NAME_get_text_by_NID(X509_get_subject_name(ia),
	    NID_countryName, buf, sizeof(buf)) > 0 && strcmp(buf, "US") == 0);
	CHECK(X509_get_signature_nid(ia) == NID_ecdsa_with_SHA256);
	serial = X509_get0_serialNumber(ia);
	CHECK(serial->type == V_ASN1_INTEGER && serial->length == 20 &&
	    (serial->data[0] & 0x80) == 0);
	CHECK(X509_check_issued(ia, ia) == X509_V_OK);
	/* DS */
	CHECK(X509_get_key_usage(ds) == KU_DIGITAL_SIGNATURE);
	CHECK((X509_get_extension_flags(ds) & EXFLAG_CA) == 0);
	crit = -1;
	CHECK((eku = X509_get_ext_d2i(ds, NID_ext_key_usage, &crit,
	    NULL)) != NULL);
	CHECK(crit == 1 && eku != NULL && sk_ASN1_OBJECT_num(eku) == 1);
	if (eku != NULL && sk_ASN1_OBJECT_num(eku) == 1) {
		OBJ_obj2txt(buf, sizeof(buf), sk_ASN1_OBJECT_value(eku, 0), 1);
		CHECK(strcmp(buf, "1.0.18013.5.1.2") == 0);
	}
	ski = X509_get0_subject_key_id(ia);
	aki = X509_get0_authority_key_id(ds);
	CHECK(ski != NULL && aki != NULL && ASN1_OCTET_STRING_cmp(ski,
	    aki) == 0);
	CHECK(X509_get0_subject_key_id(ds) != NULL);
	CHECK(X509_get_ext_by_NID(ds, NID_issuer_alt_name, -1) >= 0);
	CHECK(X509_NAME_get_text_by_NID(X509_get_subject_name(ds),
	    NID_commonName, buf, sizeof(buf)) > 0 &&
	    strcmp(buf, "Illinois Test IACA DS") == 0);
	CHECK(X509_NAME_get_text_by_NID(X509_get_subject_name(ds),
	    NID_stateOrProvinceName, buf, sizeof(buf)) > 0 &&
	    strcmp(buf, "US-IL") == 0);
	CHECK(X509_check_issued(ia, ds) == X509_V_OK);
	CHECK(ASN1_TIME_compare(X509_get0_notBefore(ds),
	    X509_get0_notBefore(ia)) == 0);
out:
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	BASIC_CONSTRAINTS_free(bc);
	X509_free(ia);
	X509_free(ds);
}

static void
test_untrusted(void)
{
	struct mindl_trust *t;
	struct mindl_key *pub = NULL, *k2 = NULL;
	uint8_t *ia2 = NULL;
	size_t ia2len = 0;

	NEED_SETUP();
	/* Same IACA name, another key: AKI does not match, no issuer. */
	CHECK((t = trust_of(other_der, other_len)) != NULL);
	if (t != NULL) {
		CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 + DAY,
		    &pub), MINDL_ERR_UNTRUSTED);
		CHECK(pub == NULL);
		mindl_trust_free(&t);
	}
	/* Another name altogether. */
	CHECK_ERR(mindl_key_generate(&k2), MINDL_OK);
	CHECK_ERR(make_iaca(k2, "Wisconsin Test IACA", T0, 3650, &ia2,
	    &ia2len), MINDL_OK);
	CHECK((t = trust_of(ia2, ia2len)) != NULL);
	if (t != NULL) {
		CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 + DAY,
		    &pub), MINDL_ERR_UNTRUSTED);
		mindl_trust_free(&t);
	}
	/* An empty store trusts nothing. */
	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 + DAY, &pub),
	    MINDL_ERR_UNTRUSTED);
	/* Both roots: the right one is found. */
	CHECK_ERR(mindl_trust_add_der(t, ia2, ia2len), MINDL_OK);
	CHECK_ERR(mindl_trust_add_der(t, other_der, other_len), MINDL_OK);
	CHECK_ERR(mindl_trust_add_der(t, iaca_der, iaca_len), MINDL_OK);
	CHECK(mindl_trust_count(t) == 3);
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 + DAY, &pub),
	    MINDL_OK);
	mindl_key_free(&pub);
	mindl_trust_free(&t);
	free(ia2);
	mindl_key_free(&k2);
}

static void
test_expired(void)
{
	struct mindl_trust *t;
	struct mindl_key *pub = NULL;

	NEED_SETUP();
	CHECK((t = trust_of(iaca_der, iaca_len)) != NULL);
	if (t == NULL)
		return;
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 + 365 * DAY + 1,
	    &pub), MINDL_ERR_CERT_EXPIRED);
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 - 1, &pub),
	    MINDL_ERR_CERT_EXPIRED);
	CHECK(pub == NULL);
	/* Once cached, time is still checked on every hit. */
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 + DAY, &pub),
	    MINDL_OK);
	mindl_key_free(&pub);
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 + 400 * DAY,
	    &pub), MINDL_ERR_CERT_EXPIRED);
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 - DAY, &pub),
	    MINDL_ERR_CERT_EXPIRED);
	CHECK(pub == NULL);
	mindl_trust_free(&t);
}

/* The root's own validity bounds the DS's. */
static void
test_root_expired(void)
{
	struct mindl_trust *t;
	struct mindl_key *k = NULL, *pub = NULL;
	uint8_t *ia = NULL, *ds = NULL;
	size_t ialen = 0, dslen = 0;

	NEED_SETUP();
	CHECK_ERR(mindl_key_generate(&k), MINDL_OK);
	CHECK_ERR(make_iaca(k, "Short IACA", T0, 30, &ia, &ialen), MINDL_OK);
	/* A DS outliving its IACA is refused at issuance... */
	CHECK_ERR(make_ds(k, ia, ialen, ds_key, T0, 31, &ds, &dslen),
	    MINDL_ERR_INVALID_ARG);
	CHECK_ERR(make_ds(k, ia, ialen, ds_key, T0 - 1, 10, &ds, &dslen),
	    MINDL_ERR_INVALID_ARG);
	CHECK(ds == NULL && dslen == 0);
	CHECK_ERR(make_ds(k, ia, ialen, ds_key, T0, 30, &ds, &dslen),
	    MINDL_OK);
	CHECK((t = trust_of(ia, ialen)) != NULL);
	if (t != NULL) {
		CHECK_ERR(mindl_trust_verify_ds(t, ds, dslen, T0 + 29 * DAY,
		    &pub), MINDL_OK);
		mindl_key_free(&pub);
		CHECK_ERR(mindl_trust_verify_ds(t, ds, dslen, T0 + 31 * DAY,
		    &pub), MINDL_ERR_CERT_EXPIRED);
		mindl_trust_free(&t);
	}
	free(ia);
	free(ds);
	mindl_key_free(&k);
}

static void
check_hand(enum bad_ds bad, int want)
{
	struct mindl_trust *t;
	struct mindl_key *pub = NULL;
	uint8_t *der;
	size_t len = 0;

	CHECK((der = hand_ds(iaca_key, iaca_der, iaca_len, ds_key, bad,
	    &len)) != NULL);
	CHECK((t = trust_of(iaca_der, iaca_len)) != NULL);
	if (der != NULL && t != NULL) {
		CHECK_ERR(mindl_trust_verify_ds(t, der, len, T0 + DAY, &pub),
		    want);
		CHECK((pub != NULL) == (want == MINDL_OK));
		mindl_key_free(&pub);
		/* Not cached on failure: the same answer again. */
		CHECK_ERR(mindl_trust_verify_ds(t, der, len, T0 + DAY, &pub),
		    want);
		mindl_key_free(&pub);
	}
	mindl_trust_free(&t);
	OPENSSL_free(der);
}

static void
test_ds_profile(void)
{
	NEED_SETUP();
	check_hand(DS_GOOD, MINDL_OK);
	check_hand(DS_EKU_NONCRIT, MINDL_OK);
	check_hand(DS_NO_EKU, MINDL_ERR_CERT_PROFILE);
	check_hand(DS_OTHER_EKU, MINDL_ERR_CERT_PROFILE);
	check_hand(DS_NO_DIGSIG, MINDL_ERR_CERT_PROFILE);
	check_hand(DS_IS_CA, MINDL_ERR_CERT_PROFILE);
	check_hand(DS_LONG, MINDL_ERR_CERT_PROFILE);
	check_hand(DS_OTHER_COUNTRY, MINDL_ERR_CERT_PROFILE);
	check_hand(DS_OTHER_STATE, MINDL_ERR_CERT_PROFILE);
}

static void
test_iaca_profile(void)
{
	struct mindl_trust *t = NULL;
	struct mindl_key *k = NULL, *pub = NULL;
	uint8_t *root = NULL, *ds = NULL;
	size_t rootlen = 0, dslen = 0;

	NEED_SETUP();
	CHECK_ERR(mindl_key_generate(&k), MINDL_OK);
	CHECK((root = hand_root_no_pathlen(k, &rootlen)) != NULL);
	if (root == NULL)
		goto out;
	/*
	 * Accepted as a root (self-signed CA), refused at verification: no
	 * pathLenConstraint is a deviation, not allowed for this root.
	 */
	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	CHECK_ERR(mindl_trust_add_der(t, root, rootlen), MINDL_OK);
	CHECK_ERR(make_ds(k, root, rootlen, ds_key, T0, 365, &ds, &dslen),
	    MINDL_OK);
	CHECK_ERR(mindl_trust_verify_ds(t, ds, dslen, T0 + DAY, &pub),
	    MINDL_ERR_DEVIATION);
	CHECK(pub == NULL);
	/* Allowed for it, the same root verifies and names the deviation. */
	{
		struct mindl_trust *t2 = NULL;
		unsigned dev = 0;

		CHECK_ERR(mindl_trust_new(&t2), MINDL_OK);
		CHECK_ERR(mindl_trust_add_der_allow(t2, root, rootlen,
		    MINDL_DEV_NO_PATHLEN), MINDL_OK);
		CHECK_ERR(mindl_trust_verify_ds(t2, ds, dslen, T0 + DAY, &pub),
		    MINDL_OK);
		CHECK_ERR(mindl_trust_ds_deviations(t2, ds, dslen, &dev),
		    MINDL_OK);
		CHECK(dev == MINDL_DEV_NO_PATHLEN);
		mindl_key_free(&pub);
		mindl_trust_free(&t2);
	}
	/* A DS is not a root. */
	CHECK_ERR(mindl_trust_add_der(t, ds_der, ds_len),
	    MINDL_ERR_CERT_PROFILE);
	CHECK(mindl_trust_count(t) == 1);
out:
	mindl_trust_free(&t);
	OPENSSL_free(root);
	free(ds);
	mindl_key_free(&k);
}

static void
test_iaca_in_chain(void)
{
	struct mindl_trust *t;
	struct mindl_key *pub = NULL;

	NEED_SETUP();
	CHECK((t = trust_of(iaca_der, iaca_len)) != NULL);
	if (t == NULL)
		return;
	CHECK_ERR(mindl_trust_verify_ds(t, iaca_der, iaca_len, T0 + DAY,
	    &pub), MINDL_ERR_IACA_IN_CHAIN);
	CHECK(pub == NULL);
	mindl_trust_free(&t);
}

static void
test_malformed(void)
{
	struct mindl_trust *t;
	struct mindl_key *pub = NULL;
	uint8_t *buf;
	char id[17];

	NEED_SETUP();
	CHECK((t = trust_of(iaca_der, iaca_len)) != NULL);
	CHECK((buf = malloc(ds_len + 1)) != NULL);
	if (t == NULL || buf == NULL)
		goto out;
	memcpy(buf, ds_der, ds_len);
	buf[ds_len] = 0x00;
	CHECK_ERR(mindl_trust_verify_ds(t, buf, ds_len + 1, T0 + DAY, &pub),
	    MINDL_ERR_X509);
	CHECK_ERR(mindl_trust_verify_ds(t, buf, ds_len - 1, T0 + DAY, &pub),
	    MINDL_ERR_X509);
	CHECK_ERR(mindl_trust_verify_ds(t, buf, 0, T0 + DAY, &pub),
	    MINDL_ERR_X509);
	CHECK_ERR(mindl_trust_add_der(t, buf, ds_len + 1), MINDL_ERR_X509);
	CHECK_ERR(mindl_x509_pubkey(buf, ds_len + 1, &pub), MINDL_ERR_X509);
	CHECK_ERR(mindl_x509_key_id(buf, ds_len + 1, id), MINDL_ERR_X509);
	CHECK(pub == NULL);
	/* A flipped byte in the signature: no longer chains. */
	memcpy(buf, ds_der, ds_len);
	buf[ds_len - 2] ^= 0x01;
	CHECK_ERR(mindl_trust_verify_ds(t, buf, ds_len, T0 + DAY, &pub),
	    MINDL_ERR_UNTRUSTED);
	/* The good one still verifies after all that. */
	CHECK_ERR(mindl_trust_verify_ds(t, ds_der, ds_len, T0 + DAY, &pub),
	    MINDL_OK);
	mindl_key_free(&pub);
out:
	free(buf);
	mindl_trust_free(&t);
}

static void
test_bad_params(void)
{
	struct mindl_iaca_params ip;
	struct mindl_key *pubonly = NULL;
	uint8_t *der = NULL, *ia = NULL;
	size_t len = 0, ialen = 0;
	uint8_t x[MINDL_MAX_COORD], y[MINDL_MAX_COORD];
	size_t clen = 0;

	NEED_SETUP();
	CHECK_ERR(make_ds(iaca_key, iaca_der, iaca_len, ds_key, T0, 458, &der,
	    &len), MINDL_ERR_INVALID_ARG);
	CHECK_ERR(make_ds(iaca_key, iaca_der, iaca_len, ds_key, T0, 0, &der,
	    &len), MINDL_ERR_INVALID_ARG);
	CHECK(der == NULL && len == 0);
	CHECK_ERR(make_ds(iaca_key, iaca_der, iaca_len, ds_key, T0, 457, &der,
	    &len), MINDL_OK);
	free(der);
	der = NULL;
	/* The wrong IACA key for the certificate. */
	CHECK_ERR(make_ds(other_key, iaca_der, iaca_len, ds_key, T0, 10, &der,
	    &len), MINDL_ERR_KEY);
	/* A public key cannot sign. */
	CHECK_ERR(mindl_key_xy(iaca_key, x, y, &clen), MINDL_OK);
	CHECK_ERR(mindl_key_from_xy(MINDL_CRV_P256, x, clen, y, clen,
	    &pubonly), MINDL_OK);
	CHECK_ERR(make_ds(pubonly, iaca_der, iaca_len, ds_key, T0, 10, &der,
	    &len), MINDL_ERR_KEY);
	CHECK_ERR(make_iaca(pubonly, "X", T0, 10, &der, &len), MINDL_ERR_KEY);
	CHECK(der == NULL);
	/* The DS key may be public only. */
	CHECK_ERR(make_ds(iaca_key, iaca_der, iaca_len, pubonly, T0, 10, &der,
	    &len), MINDL_OK);
	free(der);
	der = NULL;
	mindl_key_free(&pubonly);

	memset(&ip, 0, sizeof(ip));
	ip.country = "US";
	ip.state = "IL";
	ip.name = "Params IACA";
	ip.not_before = T0;
	ip.days = 100;
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen), MINDL_OK);
	free(ia);
	ia = NULL;
	ip.state = "US-IL";	/* already ISO 3166-2 */
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen), MINDL_OK);
	{
		struct mindl_x509_names nm;

		/* Its names from one parse; its place, as issuance checks it. */
		CHECK_ERR(mindl_x509_names(ia, ialen, &nm), MINDL_OK);
		CHECK(nm.st_err == MINDL_OK && strcmp(nm.st, "US-IL") == 0);
		CHECK(nm.c_err == MINDL_OK && strcmp(nm.c, "US") == 0);
		CHECK(nm.cn_err == MINDL_OK &&
		    strcmp(nm.cn, "Params IACA") == 0);
		/* self-signed: the issuer's CN is its own */
		CHECK(nm.issuer_cn_err == MINDL_OK &&
		    strcmp(nm.issuer_cn, "Params IACA") == 0);
		CHECK_ERR(mindl_x509_names(ia, 10, &nm), MINDL_ERR_X509);
		CHECK_ERR(mindl_x509_place_is(ia, ialen, "US", "US-IL"),
		    MINDL_OK);
		CHECK_ERR(mindl_x509_place_is(ia, ialen, "US", NULL),
		    MINDL_OK);
		CHECK_ERR(mindl_x509_place_is(ia, ialen, "US", "US-SS"),
		    MINDL_ERR_POLICY);
		CHECK_ERR(mindl_x509_place_is(ia, ialen, "CA", "US-IL"),
		    MINDL_ERR_POLICY);
	}
	free(ia);
	ia = NULL;
	ip.issuer_alt = "mailto:iaca@il.dmv.invalid";
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen), MINDL_OK);
	CHECK(ia != NULL && ian_is(ia, ialen, GEN_EMAIL,
	    "iaca@il.dmv.invalid"));
	free(ia);
	ia = NULL;
	ip.issuer_alt = "https://dmv.example.invalid/mdl";
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen), MINDL_OK);
	CHECK(ia != NULL && ian_is(ia, ialen, GEN_URI,
	    "https://dmv.example.invalid/mdl"));
	free(ia);
	ia = NULL;
	ip.issuer_alt = "URI:https://a.invalid,critical";	/* literal */
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen), MINDL_OK);
	free(ia);
	ia = NULL;
	ip.issuer_alt = "not a uri";
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen),
	    MINDL_ERR_INVALID_ARG);
	ip.issuer_alt = "nobody";
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen),
	    MINDL_ERR_INVALID_ARG);
	ip.issuer_alt = "mailto:a@b@c";
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen),
	    MINDL_ERR_INVALID_ARG);
	ip.issuer_alt = "1http://x";
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen),
	    MINDL_ERR_INVALID_ARG);
	ip.issuer_alt = NULL;
	ip.country = "usa";
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen),
	    MINDL_ERR_INVALID_ARG);
	ip.country = "US";
	ip.state = "CA-ON";
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen),
	    MINDL_ERR_INVALID_ARG);
	ip.state = "IL";
	ip.name = "";
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen),
	    MINDL_ERR_INVALID_ARG);
	ip.name = "tab\there";
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen),
	    MINDL_ERR_INVALID_ARG);
	ip.name = "Params IACA";
	ip.days = 0;
	CHECK_ERR(mindl_x509_make_iaca(iaca_key, &ip, &ia, &ialen),
	    MINDL_ERR_INVALID_ARG);
	CHECK(ia == NULL && ialen == 0);
	CHECK_ERR(mindl_x509_make_iaca(NULL, &ip, &ia, &ialen),
	    MINDL_ERR_INVALID_ARG);
}

/* P-384 IACA: signed ecdsa-with-SHA384, and its DS verifies. */
static void
test_p384(void)
{
	EVP_PKEY *pk;
	struct mindl_key *k = NULL, *pub = NULL;
	struct mindl_trust *t = NULL;
	uint8_t *ia = NULL, *ds = NULL;
	size_t ialen = 0, dslen = 0;
	X509 *x = NULL;

	NEED_SETUP();
	CHECK((pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384")) != NULL);
	if (pk == NULL)
		return;
	CHECK_ERR(mindl_key_wrap_evp(pk, &k), MINDL_OK);
	if (k == NULL) {
		EVP_PKEY_free(pk);
		return;
	}
	CHECK_ERR(make_iaca(k, "P-384 IACA", T0, 3650, &ia, &ialen), MINDL_OK);
	CHECK_ERR(make_ds(k, ia, ialen, ds_key, T0, 365, &ds, &dslen),
	    MINDL_OK);
	CHECK((x = parse(ia, ialen)) != NULL);
	CHECK(x != NULL && X509_get_signature_nid(x) == NID_ecdsa_with_SHA384);
	X509_free(x);
	CHECK((x = parse(ds, dslen)) != NULL);
	CHECK(x != NULL && X509_get_signature_nid(x) == NID_ecdsa_with_SHA384);
	X509_free(x);
	CHECK((t = trust_of(ia, ialen)) != NULL);
	if (t != NULL)
		CHECK_ERR(mindl_trust_verify_ds(t, ds, dslen, T0 + DAY, &pub),
		    MINDL_OK);
	mindl_key_free(&pub);
	mindl_trust_free(&t);
	free(ia);
	free(ds);
	mindl_key_free(&k);
}

static void
test_pem_files(void)
{
	char dir[] = "/tmp/mindl-x509-XXXXXX", path[256], path2[256];
	uint8_t *der = NULL;
	size_t len = 0;
	struct stat st;
	FILE *f;
	struct mindl_trust *t = NULL;
	mode_t old;

	NEED_SETUP();
	CHECK(mkdtemp(dir) != NULL);
	old = umask(022);
	(void)snprintf(path, sizeof(path), "%s/ds.pem", dir);
	CHECK_ERR(mindl_x509_write_pem(path, ds_der, ds_len), MINDL_OK);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK_ERR(mindl_x509_write_pem(path, iaca_der, iaca_len),
	    MINDL_ERR_EXISTS);
	CHECK_ERR(mindl_x509_read_pem(path, &der, &len), MINDL_OK);
	CHECK(der != NULL && len == ds_len && memcmp(der, ds_der, len) == 0);
	free(der);
	der = NULL;
	/* Garbage is never written. */
	(void)snprintf(path2, sizeof(path2), "%s/bad.pem", dir);
	CHECK_ERR(mindl_x509_write_pem(path2, ds_der, ds_len - 1),
	    MINDL_ERR_X509);
	CHECK(access(path2, F_OK) != 0);
	/* A file with no certificate. */
	CHECK((f = fopen(path2, "w")) != NULL);
	if (f != NULL) {
		fputs("# nothing here\n", f);
		fclose(f);
	}
	CHECK_ERR(mindl_x509_read_pem(path2, &der, &len), MINDL_ERR_X509);
	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	CHECK_ERR(mindl_trust_add_pem_file(t, path2), MINDL_ERR_X509);
	/* A DS is refused as a root; the store is left as it was. */
	CHECK_ERR(mindl_trust_add_pem_file(t, path), MINDL_ERR_CERT_PROFILE);
	CHECK(mindl_trust_count(t) == 0);
	(void)unlink(path2);
	CHECK_ERR(mindl_x509_read_pem(path2, &der, &len), MINDL_ERR_NO_FILE);
	CHECK(der == NULL);
	mindl_trust_free(&t);
	(void)unlink(path);
	(void)rmdir(dir);
	umask(old);
}

static void
test_key_id(void)
{
	char id[17], id2[17];
	size_t i;

	NEED_SETUP();
	CHECK_ERR(mindl_x509_key_id(ds_der, ds_len, id), MINDL_OK);
	CHECK(strlen(id) == 16);
	for (i = 0; i < 16; i++)
		CHECK((id[i] >= '0' && id[i] <= '9') ||
		    (id[i] >= 'a' && id[i] <= 'f'));
	CHECK_ERR(mindl_x509_key_id(iaca_der, iaca_len, id2), MINDL_OK);
	CHECK(strcmp(id, id2) != 0);
}

/* More DS certificates than the cache holds, then the first again. */
static void
test_cache_eviction(void)
{
	struct mindl_trust *t;
	struct mindl_key *pub = NULL;
	uint8_t *der[70];
	size_t len[70], i;

	NEED_SETUP();
	memset(der, 0, sizeof(der));
	CHECK((t = trust_of(iaca_der, iaca_len)) != NULL);
	if (t == NULL)
		return;
	for (i = 0; i < 70; i++) {
		CHECK_ERR(make_ds(iaca_key, iaca_der, iaca_len, ds_key,
		    T0 + (int64_t)i, 300, &der[i], &len[i]), MINDL_OK);
		if (der[i] == NULL)
			continue;
		CHECK_ERR(mindl_trust_verify_ds(t, der[i], len[i],
		    T0 + 100 * DAY, &pub), MINDL_OK);
		mindl_key_free(&pub);
	}
	for (i = 0; i < 70; i++) {
		if (der[i] == NULL)
			continue;
		CHECK_ERR(mindl_trust_verify_ds(t, der[i], len[i],
		    T0 + 100 * DAY, &pub), MINDL_OK);
		mindl_key_free(&pub);
		CHECK_ERR(mindl_trust_verify_ds(t, der[i], len[i],
		    T0 + 301 * DAY, &pub), MINDL_ERR_CERT_EXPIRED);
		free(der[i]);
	}
	mindl_trust_free(&t);
}

/* ISO/IEC 18013-5 Annex D: the utopia IACA and DS. */
static void
test_annex_d(void)
{
	const char *p1 = VECTORS "/iso18013-5-annex-d/annexD_iaca_root.pem";
	const char *p2 =
	    VECTORS "/iso18013-5-annex-d/annexD_document_signer.pem";
	struct mindl_trust *t = NULL;
	struct mindl_key *pub = NULL;
	uint8_t *der = NULL;
	size_t len = 0;

	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	CHECK_ERR(mindl_trust_add_pem_file(t, p1), MINDL_OK);
	CHECK(mindl_trust_count(t) == 1);
	CHECK_ERR(mindl_x509_read_pem(p2, &der, &len), MINDL_OK);
	if (der != NULL) {
		CHECK_ERR(mindl_trust_verify_ds(t, der, len, ANNEXD_AT, &pub),
		    MINDL_OK);
		CHECK(pub != NULL && mindl_key_curve(pub) == MINDL_CRV_P256);
		mindl_key_free(&pub);
		/* 2021-10-01T00:00:01Z: past the DS's notAfter. */
		CHECK_ERR(mindl_trust_verify_ds(t, der, len,
		    INT64_C(1633046401), &pub), MINDL_ERR_CERT_EXPIRED);
		CHECK_ERR(mindl_trust_verify_ds(t, der, len,
		    INT64_C(1633046400), &pub), MINDL_OK);
		mindl_key_free(&pub);
		/* 2020-09-30T23:59:59Z: before notBefore. */
		CHECK_ERR(mindl_trust_verify_ds(t, der, len,
		    INT64_C(1601510399), &pub), MINDL_ERR_CERT_EXPIRED);
	}
	free(der);
	mindl_trust_free(&t);
}

static void
test_vical_bundle(void)
{
	const char *p =
	    VECTORS "/aamva-vical/aamva-vical-2025-11-18-iaca-bundle.pem";
	struct mindl_trust *t = NULL;

	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	CHECK_ERR(mindl_trust_add_pem_file(t, p), MINDL_OK);
	CHECK(mindl_trust_count(t) == 14);
	/* Loading it again adds nothing. */
	CHECK_ERR(mindl_trust_add_pem_file(t, p), MINDL_OK);
	CHECK(mindl_trust_count(t) == 14);
	mindl_trust_free(&t);
}

/* A store grows past its first allocations; a DS of the last root verifies. */
static void
test_many_roots(void)
{
	struct mindl_trust *t = NULL;
	struct mindl_key *pub = NULL;
	uint8_t *der = NULL, *ds = NULL;
	size_t len = 0, dslen = 0, i;
	char name[32];

	NEED_SETUP();
	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	if (t == NULL)
		return;
	for (i = 0; i < MANY_ROOTS; i++) {
		free(der);
		der = NULL;
		(void)snprintf(name, sizeof(name), "Test IACA %zu", i);
		CHECK_ERR(make_iaca(iaca_key, name, T0, 3650, &der, &len),
		    MINDL_OK);
		if (der == NULL)
			break;
		CHECK_ERR(mindl_trust_add_der(t, der, len), MINDL_OK);
	}
	CHECK(mindl_trust_count(t) == MANY_ROOTS);
	if (der != NULL) {
		/* Already trusted: nothing added. */
		CHECK_ERR(mindl_trust_add_der(t, der, len), MINDL_OK);
		CHECK(mindl_trust_count(t) == MANY_ROOTS);
		CHECK(mindl_trust_is_root(t, der, len) == 1);
		CHECK_ERR(make_ds(iaca_key, der, len, ds_key, T0, 365, &ds,
		    &dslen), MINDL_OK);
		CHECK_ERR(mindl_trust_verify_ds(t, ds, dslen, T0 + DAY, &pub),
		    MINDL_OK);
		CHECK(pub != NULL && same_pub(pub, ds_key));
		mindl_key_free(&pub);
	}
	free(ds);
	free(der);
	mindl_trust_free(&t);
}

/*
 * A PEM bundle is added whole or not at all: a repeated root counts once,
 * and one bad certificate at the end keeps the good ones before it out.
 */
static void
test_bundle_all_or_nothing(void)
{
	char dir[] = "/tmp/mindl-x509-XXXXXX", path[256], name[32];
	struct mindl_trust *t = NULL;
	uint8_t *der[4], *list[4];
	size_t len[4], lens[4], i;

	NEED_SETUP();
	memset(der, 0, sizeof(der));
	for (i = 0; i < 4; i++) {
		(void)snprintf(name, sizeof(name), "Bundle IACA %zu", i);
		CHECK_ERR(make_iaca(other_key, name, T0, 3650, &der[i],
		    &len[i]), MINDL_OK);
		if (der[i] == NULL)
			goto out;
	}
	CHECK(mkdtemp(dir) != NULL);
	(void)snprintf(path, sizeof(path), "%s/bundle.pem", dir);
	CHECK_ERR(mindl_trust_new(&t), MINDL_OK);
	if (t == NULL)
		goto out;
	/* Roots 0, 1 and 0 again. */
	list[0] = der[0];
	lens[0] = len[0];
	list[1] = der[1];
	lens[1] = len[1];
	list[2] = der[0];
	lens[2] = len[0];
	CHECK(pem_bundle(path, list, lens, 3));
	CHECK_ERR(mindl_trust_add_pem_file(t, path), MINDL_OK);
	CHECK(mindl_trust_count(t) == 2);
	(void)unlink(path);
	/* Roots 1 (trusted), 2 and 3, then a DS: none of them added. */
	list[0] = der[1];
	lens[0] = len[1];
	list[1] = der[2];
	lens[1] = len[2];
	list[2] = der[3];
	lens[2] = len[3];
	list[3] = ds_der;
	lens[3] = ds_len;
	CHECK(pem_bundle(path, list, lens, 4));
	CHECK_ERR(mindl_trust_add_pem_file(t, path), MINDL_ERR_CERT_PROFILE);
	CHECK(mindl_trust_count(t) == 2);
	CHECK(mindl_trust_is_root(t, der[2], len[2]) == 0);
	CHECK(mindl_trust_is_root(t, der[3], len[3]) == 0);
	/* Without the DS, the two new ones go in. */
	(void)unlink(path);
	CHECK(pem_bundle(path, list, lens, 3));
	CHECK_ERR(mindl_trust_add_pem_file(t, path), MINDL_OK);
	CHECK(mindl_trust_count(t) == 4);
	(void)unlink(path);
	(void)rmdir(dir);
out:
	mindl_trust_free(&t);
	for (i = 0; i < 4; i++)
		free(der[i]);
}

static void
test_teardown(void)
{
	free(iaca_der);
	free(ds_der);
	free(other_der);
	mindl_key_free(&iaca_key);
	mindl_key_free(&ds_key);
	mindl_key_free(&other_key);
	CHECK(iaca_key == NULL);
}

int
main(void)
{
	if (getenv("MINDL_DEBUG") != NULL)
		mindl_set_debug(1);
	RUN(test_setup);
	RUN(test_verify_ok);
	RUN(test_profile_made);
	RUN(test_untrusted);
	RUN(test_expired);
	RUN(test_root_expired);
	RUN(test_ds_profile);
	RUN(test_iaca_profile);
	RUN(test_iaca_in_chain);
	RUN(test_malformed);
	RUN(test_bad_params);
	RUN(test_p384);
	RUN(test_pem_files);
	RUN(test_key_id);
	RUN(test_cache_eviction);
	RUN(test_annex_d);
	RUN(test_vical_bundle);
	RUN(test_many_roots);
	RUN(test_bundle_all_or_nothing);
	RUN(test_teardown);
	UNIT_DONE();
}
