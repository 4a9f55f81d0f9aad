/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: making IACA, document-signer and status-list signer
 * certificates (ISO/IEC 18013-5 Annex B) on OpenSSL, for a key ceremony
 * (see mindl/x509.h).
 *
 * The IACA root (Table B.1/B.2) and document-signer (Table B.3/B.4)
 * profiles are built extension by extension from typed OpenSSL objects,
 * never from X509V3 configuration strings, so that no caller-supplied text
 * (a name, an issuerAltName) is ever parsed as configuration.  Apart from
 * x509.c because only the key tool makes certificates; a verifier needs
 * none of this.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/key.h"
#include "mindl/x509.h"
#include "internal.h"

#define SERIAL_LEN		20
/* A sanity cap on IACA validity: twenty years covers every real root. */
#define IACA_MAX_DAYS		7305
#define CN_MAX_CHARS		64	/* ub-common-name, RFC 5280 */
#define IAN_MAX_LEN		255
/* 9999-12-31T23:59:59Z, the last instant X.509 can express. */
#define TIME_MAX		INT64_C(253402300799)

static int
cert_der(X509 *x, uint8_t **der, size_t *derlen)
{
	unsigned char *buf = NULL, *p;
	int n;
	int r = MINDL_ERR_INTERNAL;

	if ((n = i2d_X509(x, NULL)) <= 0) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: i2d_X509", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((buf = mindl_malloc((size_t)n)) == NULL) {
		mindl_log_debug("%s: malloc", __func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	p = buf;
	if (i2d_X509(x, &p) != n) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: i2d_X509", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	*der = buf;
	*derlen = (size_t)n;
	buf = NULL;
	r = MINDL_OK;
fail:
	free(buf);
	return r;
}

/* The digest that goes with the signing key's curve (Annex B, B.1.1). */
static int
sign_md(const struct mindl_key *key, const EVP_MD **md)
{
	/* By the COSE alg of the curve: brainpoolP320r1 signs with SHA-384. */
	switch (mindl_key_alg(key)) {
	case MINDL_ALG_ES256:
		*md = EVP_sha256();
		return MINDL_OK;
	case MINDL_ALG_ES384:
		*md = EVP_sha384();
		return MINDL_OK;
	case MINDL_ALG_ES512:
		*md = EVP_sha512();
		return MINDL_OK;
	default:
		mindl_log_debug("%s: unsupported key", __func__);
		return MINDL_ERR_KEY;
	}
}

/*
 * Serial: 20 random octets, top bit clear (positive) and the next bit set
 * so that it is never zero and always exactly 20 octets (RFC 5280 4.1.2.2;
 * Annex B asks for at least 63 bits from a CSPRNG; this has 158).
 */
static int
set_serial(X509 *x)
{
	uint8_t b[SERIAL_LEN];
	BIGNUM *bn = NULL;
	int r = MINDL_ERR_INTERNAL;

	if ((r = mindl_random(b, sizeof(b))) != MINDL_OK) {
		mindl_log_debug("%s: mindl_random", __func__);
		goto fail;
	}
	b[0] = (uint8_t)((b[0] & 0x7f) | 0x40);
	if ((bn = BN_bin2bn(b, (int)sizeof(b), NULL)) == NULL ||
	    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)) == NULL) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: BN", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	r = MINDL_OK;
fail:
	BN_free(bn);
	return r;
}

static int
set_validity(X509 *x, int64_t not_before, int days)
{
	int64_t not_after;

	if (not_before < 0 || days < 1 ||
	    not_before > TIME_MAX - (int64_t)days * MINDL_DAY) {
		mindl_log_debug("%s: validity out of range", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	not_after = not_before + (int64_t)days * MINDL_DAY;
	if ((int64_t)(time_t)not_after != not_after) {
		mindl_log_debug("%s: time_t too small", __func__);
		return MINDL_ERR_UNSUPPORTED;
	}
	/* ASN1_TIME_set picks UTCTime before 2050 (RFC 5280 4.1.2.5). */
	if (ASN1_TIME_set(X509_getm_notBefore(x), (time_t)not_before) == NULL ||
	    ASN1_TIME_set(X509_getm_notAfter(x), (time_t)not_after) == NULL) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: ASN1_TIME_set", __func__);
		return MINDL_ERR_CRYPTO;
	}
	return MINDL_OK;
}

/* Adds one typed extension; OpenSSL encodes it. */
static int
add_ext(X509 *x, int nid, void *value, int crit)
{
	if (X509_add1_ext_i2d(x, nid, value, crit, X509V3_ADD_APPEND) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: %s", __func__, OBJ_nid2sn(nid));
		return MINDL_ERR_CRYPTO;
	}
	return MINDL_OK;
}

/* keyUsage, always critical in Annex B; bits are RFC 5280 numbers. */
static int
add_key_usage(X509 *x, const int *bits, size_t nbits)
{
	ASN1_BIT_STRING *ku = NULL;
	size_t i;
	int r = MINDL_ERR_INTERNAL;

	if ((ku = ASN1_BIT_STRING_new()) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	for (i = 0; i < nbits; i++) {
		if (ASN1_BIT_STRING_set_bit(ku, bits[i], 1) != 1) {
			mindl_log_ossl(__func__);
			r = MINDL_ERR_CRYPTO;
			goto fail;
		}
	}
	r = add_ext(x, NID_key_usage, ku, 1);
fail:
	ASN1_BIT_STRING_free(ku);
	return r;
}

/* SKI by RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey. */
static int
add_ski(X509 *x)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	ASN1_OCTET_STRING *ski = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (X509_pubkey_digest(x, EVP_sha1(), md, &mdlen) != 1 ||
	    (ski = ASN1_OCTET_STRING_new()) == NULL ||
	    ASN1_OCTET_STRING_set(ski, md, (int)mdlen) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: digest", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	r = add_ext(x, NID_subject_key_identifier, ski, 0);
fail:
	ASN1_OCTET_STRING_free(ski);
	return r;
}

/* Visible ASCII only: IA5String content with no spaces or controls. */
static int
ia5_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > IAN_MAX_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
			return 0;
	return 1;
}

/* RFC 3986: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
static int
uri_scheme_ok(const char *s, size_t n)
{
	size_t i;
	char c;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		c = s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
			continue;
		if (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' ||
		    c == '.'))
			continue;
		return 0;
	}
	return 1;
}

/* One '@', with something on either side. */
static int
email_ok(const char *s, size_t len)
{
	const char *at = strchr(s, '@');

	return at != NULL && at != s && at == strrchr(s, '@') &&
	    at != s + len - 1;
}

/*
 * issuerAltName from one string: "mailto:a@b" or "a@b" is an rfc822Name,
 * anything with a URI scheme ("https://...") a uniformResourceIdentifier.
 */
static int
add_issuer_alt(X509 *x, const char *spec)
{
	GENERAL_NAMES *gens = NULL;
	GENERAL_NAME *gen = NULL;
	ASN1_IA5STRING *ia5 = NULL;
	const char *v = spec, *colon;
	size_t len;
	int type, r = MINDL_ERR_INTERNAL;

	if (strncmp(spec, "mailto:", 7) == 0) {
		type = GEN_EMAIL;
		v = spec + 7;
	} else if ((colon = strchr(spec, ':')) != NULL) {
		type = GEN_URI;
		if (!uri_scheme_ok(spec, (size_t)(colon - spec)) ||
		    colon[1] == '\0') {
			mindl_log_debug("%s: bad URI", __func__);
			r = MINDL_ERR_INVALID_ARG;
			goto fail;
		}
	} else if (strchr(spec, '@') != NULL)
		type = GEN_EMAIL;
	else {
		mindl_log_debug("%s: neither URI nor e-mail", __func__);
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	len = strlen(v);
	if (!ia5_ok(v, len) || (type == GEN_EMAIL && !email_ok(v, len))) {
		mindl_log_debug("%s: malformed issuerAltName", __func__);
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((gens = GENERAL_NAMES_new()) == NULL ||
	    (gen = GENERAL_NAME_new()) == NULL ||
	    (ia5 = ASN1_IA5STRING_new()) == NULL ||
	    ASN1_STRING_set(ia5, v, (int)len) != 1) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	GENERAL_NAME_set0_value(gen, type, ia5);
	ia5 = NULL;
	if (sk_GENERAL_NAME_push(gens, gen) <= 0) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	gen = NULL;
	r = add_ext(x, NID_issuer_alt_name, gens, 0);
fail:
	ASN1_IA5STRING_free(ia5);
	GENERAL_NAME_free(gen);
	GENERAL_NAMES_free(gens);
	return r;
}

/* Copies an extension verbatim from one certificate to another. */
static int
copy_ext(X509 *to, X509 *from, int nid)
{
	int idx;

	if ((idx = X509_get_ext_by_NID(from, nid, -1)) < 0)
		return MINDL_OK;
	if (X509_add_ext(to, X509_get_ext(from, idx), -1) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: %s", __func__, OBJ_nid2sn(nid));
		return MINDL_ERR_CRYPTO;
	}
	return MINDL_OK;
}

/* 1 if s is 1..CN_MAX_CHARS characters of UTF-8 text without controls. */
static int
cn_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t chars = 0;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if ((*p & 0xc0) != 0x80)
			chars++;
	}
	return chars >= 1 && chars <= CN_MAX_CHARS;
}

static int
name_add(X509_NAME *n, int nid, int type, const char *s)
{
	if (X509_NAME_add_entry_by_NID(n, nid, type, (const unsigned char *)s,
	    -1, -1, 0) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: %s", __func__, OBJ_nid2sn(nid));
		return MINDL_ERR_INVALID_ARG;
	}
	return MINDL_OK;
}

static int
upper_alnum(const char *s, size_t min, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' &&
		    s[i] <= '9')))
			return 0;
	return i >= min && i <= max;
}

/*
 * Subject C=country, ST=<country>-<state> (ISO 3166-2, as Annex B asks),
 * CN=name.  A state already given as "US-IL" is taken as it is.
 */
static int
iaca_subject(X509_NAME *n, const struct mindl_iaca_params *p)
{
	char st[16];
	const char *sub;
	int r;

	if (p->country == NULL || !upper_alnum(p->country, 2, 2) ||
	    p->country[0] < 'A' || p->country[1] < 'A' ||
	    p->name == NULL || !cn_ok(p->name)) {
		mindl_log_debug("%s: bad country or name", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	if ((r = name_add(n, NID_countryName, MBSTRING_ASC,
	    p->country)) != MINDL_OK)
		return r;
	if (p->state != NULL) {
		sub = p->state;
		if (strncmp(sub, p->country, 2) == 0 && sub[2] == '-')
			sub += 3;
		if (!upper_alnum(sub, 1, 3)) {
			mindl_log_debug("%s: bad state", __func__);
			return MINDL_ERR_INVALID_ARG;
		}
		(void)snprintf(st, sizeof(st), "%s-%s", p->country, sub);
		if ((r = name_add(n, NID_stateOrProvinceName, MBSTRING_ASC,
		    st)) != MINDL_OK)
			return r;
	}
	return name_add(n, NID_commonName, MBSTRING_UTF8, p->name);
}

int
mindl_x509_make_iaca(const struct mindl_key *key,
    const struct mindl_iaca_params *p, uint8_t **der, size_t *derlen)
{
	static const int ku[] = { 5, 6 };	/* keyCertSign, cRLSign */
	X509 *x = NULL;
	X509_NAME *name = NULL;
	BASIC_CONSTRAINTS *bc = NULL;
	const EVP_MD *md = NULL;
	EVP_PKEY *pkey;
	int r = MINDL_ERR_INTERNAL;

	if (der != NULL)
		*der = NULL;
	if (derlen != NULL)
		*derlen = 0;
	if (key == NULL || p == NULL || der == NULL || derlen == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if (p->days < 1 || p->days > IACA_MAX_DAYS) {
		mindl_log_debug("%s: days %d", __func__, p->days);
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if (!mindl_key_is_private(key) ||
	    (pkey = mindl_key_evp(key)) == NULL) {
		mindl_log_debug("%s: need a private key", __func__);
		r = MINDL_ERR_KEY;
		goto fail;
	}
	if ((r = sign_md(key, &md)) != MINDL_OK)
		goto fail;
	if ((x = X509_new()) == NULL || (name = X509_NAME_new()) == NULL ||
	    (bc = BASIC_CONSTRAINTS_new()) == NULL ||
	    (bc->pathlen = ASN1_INTEGER_new()) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if ((r = iaca_subject(name, p)) != MINDL_OK)
		goto fail;
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    X509_set_subject_name(x, name) != 1 ||
	    X509_set_issuer_name(x, name) != 1 ||
	    X509_set_pubkey(x, pkey) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: X509_set", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = set_serial(x)) != MINDL_OK ||
	    (r = set_validity(x, p->not_before, p->days)) != MINDL_OK)
		goto fail;
	bc->ca = 0xff;
	if (ASN1_INTEGER_set(bc->pathlen, 0) != 1) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = add_ext(x, NID_basic_constraints, bc, 1)) != MINDL_OK ||
	    (r = add_key_usage(x, ku, 2)) != MINDL_OK ||
	    (r = add_ski(x)) != MINDL_OK)
		goto fail;
	if (p->issuer_alt != NULL &&
	    (r = add_issuer_alt(x, p->issuer_alt)) != MINDL_OK)
		goto fail;
	if (X509_sign(x, pkey, md) <= 0) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: X509_sign", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = cert_der(x, der, derlen)) != MINDL_OK)
		goto fail;
	r = MINDL_OK;
fail:
	BASIC_CONSTRAINTS_free(bc);
	X509_NAME_free(name);
	X509_free(x);
	return r;
}

/*
 * A leaf's subject (DS or status signer): C and ST copied from the IACA
 * (Annex B Table B.3), CN, by default the IACA's CN and suffix.
 */
static int
ds_subject(X509_NAME *n, X509 *iaca, const char *cn, const char *suffix)
{
	const X509_NAME *in = X509_get_subject_name(iaca);
	const ASN1_STRING *v;
	char derived[256];
	int count, i, nid;
	static const int copy[] = { NID_countryName, NID_stateOrProvinceName };

	for (i = 0; i < 2; i++) {
		nid = copy[i];
		if ((v = mindl_x509_name_value(in, nid, &count)) == NULL) {
			if (count == 0 && nid != NID_countryName)
				continue;
			mindl_log_debug("%s: IACA %s absent or repeated",
			    __func__, OBJ_nid2sn(nid));
			return MINDL_ERR_CERT_PROFILE;
		}
		if (X509_NAME_add_entry_by_NID(n, nid, ASN1_STRING_type(v),
		    ASN1_STRING_get0_data(v), ASN1_STRING_length(v), -1,
		    0) != 1) {
			mindl_log_ossl(__func__);
			return MINDL_ERR_CRYPTO;
		}
	}
	if (cn == NULL) {
		if ((v = mindl_x509_name_value(in, NID_commonName,
		    &count)) == NULL ||
		    (ASN1_STRING_type(v) != V_ASN1_UTF8STRING &&
		    ASN1_STRING_type(v) != V_ASN1_PRINTABLESTRING)) {
			mindl_log_debug("%s: no usable IACA CN; name needed",
			    __func__);
			return MINDL_ERR_INVALID_ARG;
		}
		if ((size_t)ASN1_STRING_length(v) + strlen(suffix) + 1 >
		    sizeof(derived) ||
		    memchr(ASN1_STRING_get0_data(v), '\0',
		    (size_t)ASN1_STRING_length(v)) != NULL) {
			mindl_log_debug("%s: IACA CN unusable", __func__);
			return MINDL_ERR_INVALID_ARG;
		}
		(void)snprintf(derived, sizeof(derived), "%.*s%s",
		    ASN1_STRING_length(v),
		    (const char *)ASN1_STRING_get0_data(v), suffix);
		cn = derived;
	}
	if (!cn_ok(cn)) {
		mindl_log_debug("%s: bad common name", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	return name_add(n, NID_commonName, MBSTRING_UTF8, cn);
}

static int
add_eku(X509 *x, const char *oid)
{
	EXTENDED_KEY_USAGE *eku = NULL;
	ASN1_OBJECT *obj = NULL;
	int r = MINDL_ERR_INTERNAL;

	if ((eku = sk_ASN1_OBJECT_new_null()) == NULL ||
	    (obj = OBJ_txt2obj(oid, 1)) == NULL ||
	    sk_ASN1_OBJECT_push(eku, obj) <= 0) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	obj = NULL;
	/*
	 * Critical, as Annex B Tables B.3 and B.7 list it and as the Annex D
	 * DS and reader certificates carry it; isomdl warns when it is not.
	 */
	r = add_ext(x, NID_ext_key_usage, eku, 1);
fail:
	ASN1_OBJECT_free(obj);
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return r;
}

/*
 * The reader's profiles (mindl/x509.h): SEQUENCE OF UTF8String under
 * mindl's own OID, not critical, so that other holders, which do not know
 * it, still accept the certificate for reader authentication.
 */
static int
add_reader_profiles(X509 *x, const char *const *ids, size_t n)
{
	STACK_OF(ASN1_TYPE) *seq = NULL;
	ASN1_TYPE *t = NULL;
	ASN1_UTF8STRING *u = NULL;
	ASN1_OBJECT *obj = NULL;
	ASN1_OCTET_STRING *os = NULL;
	X509_EXTENSION *ext = NULL;
	unsigned char *enc = NULL;
	size_t i, j;
	int len, r = MINDL_ERR_NOMEM;

	if (n < 1 || n > MINDL_READER_MAX_PROFILES)
		return MINDL_ERR_INVALID_ARG;
	for (i = 0; i < n; i++) {
		for (j = 0; ids[i][j] != '\0'; j++)
			if (!((ids[i][j] >= 'a' && ids[i][j] <= 'z') ||
			    (ids[i][j] >= '0' && ids[i][j] <= '9') ||
			    ids[i][j] == '-'))
				return MINDL_ERR_INVALID_ARG;
		if (j < 1 || j >= MINDL_READER_PROFILE_LEN)
			return MINDL_ERR_INVALID_ARG;
		for (j = 0; j < i; j++)
			if (strcmp(ids[i], ids[j]) == 0)
				return MINDL_ERR_INVALID_ARG;
	}
	if ((seq = sk_ASN1_TYPE_new_null()) == NULL)
		goto fail;
	for (i = 0; i < n; i++) {
		if ((u = ASN1_UTF8STRING_new()) == NULL ||
		    ASN1_STRING_set(u, ids[i], (int)strlen(ids[i])) != 1 ||
		    (t = ASN1_TYPE_new()) == NULL)
			goto fail;
		ASN1_TYPE_set(t, V_ASN1_UTF8STRING, u);
		u = NULL;
		if (sk_ASN1_TYPE_push(seq, t) <= 0)
			goto fail;
		t = NULL;
	}
	if ((len = i2d_ASN1_SEQUENCE_ANY(seq, &enc)) <= 0 ||
	    (os = ASN1_OCTET_STRING_new()) == NULL ||
	    ASN1_OCTET_STRING_set(os, enc, len) != 1 ||
	    (obj = OBJ_txt2obj(MINDL_X509_OID_READER_PROFILES, 1)) == NULL ||
	    (ext = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os)) == NULL ||
	    X509_add_ext(x, ext, -1) != 1)
		goto fail;
	r = MINDL_OK;
fail:
	if (r != MINDL_OK)
		mindl_log_ossl(__func__);
	X509_EXTENSION_free(ext);
	ASN1_OBJECT_free(obj);
	ASN1_OCTET_STRING_free(os);
	OPENSSL_free(enc);
	ASN1_TYPE_free(t);
	ASN1_UTF8STRING_free(u);
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	return r;
}

static int
add_aki(X509 *x, X509 *iaca)
{
	const ASN1_OCTET_STRING *ski;
	AUTHORITY_KEYID *akid = NULL;
	int r = MINDL_ERR_INTERNAL;

	if ((ski = X509_get0_subject_key_id(iaca)) == NULL) {
		mindl_log_debug("%s: IACA has no SKI", __func__);
		r = MINDL_ERR_CERT_PROFILE;
		goto fail;
	}
	if ((akid = AUTHORITY_KEYID_new()) == NULL ||
	    (akid->keyid = ASN1_OCTET_STRING_dup(ski)) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	r = add_ext(x, NID_authority_key_identifier, akid, 0);
fail:
	AUTHORITY_KEYID_free(akid);
	return r;
}

enum leaf { LEAF_DS, LEAF_STATUS, LEAF_READER };

/*
 * A leaf certificate under a root: a DS (with the DS EKU), a status
 * signer (without any EKU) under the IACA, or a reader (the reader EKU
 * and its profiles) under the reader CA; otherwise the same profile.
 */
static int
make_leaf(const struct mindl_key *iaca_key, const uint8_t *iaca_der,
    size_t iaca_len, const struct mindl_key *ds_pub,
    const struct mindl_ds_params *p, enum leaf role,
    const char *const *profiles, size_t nprofiles, uint8_t **der,
    size_t *derlen)
{
	int status_signer = role == LEAF_STATUS;
	int maxdays = role == LEAF_DS ? MINDL_DS_MAX_DAYS : role ==
	    LEAF_STATUS ? MINDL_STATUS_SIGNER_MAX_DAYS : MINDL_READER_MAX_DAYS;
	static const int ku[] = { 0 };		/* digitalSignature */
	X509 *iaca = NULL, *x = NULL;
	X509_NAME *name = NULL;
	const EVP_MD *md = NULL;
	EVP_PKEY *ipkey, *dpkey;
	int64_t inb, ina, nb, na;
	int r = MINDL_ERR_INTERNAL;

	if (der != NULL)
		*der = NULL;
	if (derlen != NULL)
		*derlen = 0;
	if (iaca_key == NULL || iaca_der == NULL || ds_pub == NULL ||
	    p == NULL || der == NULL || derlen == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if (p->days < 1 || p->days > maxdays ||
	    p->not_before < 0 ||
	    p->not_before > TIME_MAX - (int64_t)p->days * MINDL_DAY) {
		mindl_log_debug("%s: validity (%d days) refused; Annex B "
		    "allows at most %d", __func__, p->days, maxdays);
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	nb = p->not_before;
	na = nb + (int64_t)p->days * MINDL_DAY;
	if (!mindl_key_is_private(iaca_key) ||
	    (ipkey = mindl_key_evp(iaca_key)) == NULL ||
	    (dpkey = mindl_key_evp(ds_pub)) == NULL ||
	    mindl_key_curve(ds_pub) < 0) {
		mindl_log_debug("%s: unusable key", __func__);
		r = MINDL_ERR_KEY;
		goto fail;
	}
	if ((r = sign_md(iaca_key, &md)) != MINDL_OK)
		goto fail;
	if ((r = mindl_x509_parse_der(iaca_der, iaca_len, &iaca)) != MINDL_OK)
		goto fail;
	if (X509_check_ca(iaca) != 1) {
		mindl_log_debug("%s: issuer is not a CA", __func__);
		r = MINDL_ERR_CERT_PROFILE;
		goto fail;
	}
	if (X509_check_private_key(iaca, ipkey) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: IACA key does not match certificate",
		    __func__);
		r = MINDL_ERR_KEY;
		goto fail;
	}
	/* A DS cannot be valid outside its IACA: refuse, do not clamp. */
	if ((r = mindl_x509_times(iaca, &inb, &ina)) != MINDL_OK)
		goto fail;
	if (nb < inb || na > ina) {
		mindl_log_debug("%s: DS validity outside the IACA's", __func__);
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((x = X509_new()) == NULL || (name = X509_NAME_new()) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if (role == LEAF_READER && p->name == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = ds_subject(name, iaca, p->name, status_signer ?
	    " status signer" : " DS")) != MINDL_OK)
		goto fail;
	if (X509_set_version(x, X509_VERSION_3) != 1 ||
	    X509_set_subject_name(x, name) != 1 ||
	    X509_set_issuer_name(x, X509_get_subject_name(iaca)) != 1 ||
	    X509_set_pubkey(x, dpkey) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: X509_set", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = set_serial(x)) != MINDL_OK ||
	    (r = set_validity(x, p->not_before, p->days)) != MINDL_OK)
		goto fail;
	/*
	 * No basicConstraints: absent means not a CA (RFC 5280 4.2.1.9), as
	 * in Table B.3 and the Annex D DS.  CRL DP goes with the IACA's CRL.
	 * A status signer has no EKU (see mindl/x509.h).
	 */
	if ((r = add_key_usage(x, ku, 1)) != MINDL_OK ||
	    (role == LEAF_DS && (r = add_eku(x, MINDL_X509_OID_MDL_DS)) !=
	    MINDL_OK) ||
	    (role == LEAF_READER && ((r = add_eku(x,
	    MINDL_X509_OID_MDL_READER)) != MINDL_OK ||
	    (r = add_reader_profiles(x, profiles, nprofiles)) != MINDL_OK)) ||
	    (r = add_ski(x)) != MINDL_OK ||
	    (r = add_aki(x, iaca)) != MINDL_OK ||
	    (r = copy_ext(x, iaca, NID_issuer_alt_name)) != MINDL_OK ||
	    (r = copy_ext(x, iaca, NID_crl_distribution_points)) != MINDL_OK)
		goto fail;
	if (X509_sign(x, ipkey, md) <= 0) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: X509_sign", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = cert_der(x, der, derlen)) != MINDL_OK)
		goto fail;
	r = MINDL_OK;
fail:
	X509_NAME_free(name);
	X509_free(x);
	X509_free(iaca);
	return r;
}

int
mindl_x509_make_ds(const struct mindl_key *iaca_key,
    const uint8_t *iaca_der, size_t iaca_len, const struct mindl_key *ds_pub,
    const struct mindl_ds_params *p, uint8_t **der, size_t *derlen)
{
	return make_leaf(iaca_key, iaca_der, iaca_len, ds_pub, p, LEAF_DS,
	    NULL, 0, der, derlen);
}

int
mindl_x509_make_status_signer(const struct mindl_key *iaca_key,
    const uint8_t *iaca_der, size_t iaca_len, const struct mindl_key *pub,
    const struct mindl_ds_params *p, uint8_t **der, size_t *derlen)
{
	return make_leaf(iaca_key, iaca_der, iaca_len, pub, p, LEAF_STATUS,
	    NULL, 0, der, derlen);
}

int
mindl_x509_make_reader(const struct mindl_key *ca_key,
    const uint8_t *ca_der, size_t ca_len, const struct mindl_key *pub,
    const struct mindl_reader_params *rp, uint8_t **der, size_t *derlen)
{
	struct mindl_ds_params p;

	if (rp == NULL)
		return MINDL_ERR_INVALID_ARG;
	memset(&p, 0, sizeof(p));
	p.name = rp->name;
	p.not_before = rp->not_before;
	p.days = rp->days;
	return make_leaf(ca_key, ca_der, ca_len, pub, &p, LEAF_READER,
	    rp->profiles, rp->nprofiles, der, derlen);
}
