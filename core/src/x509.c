/*
 * mindl: X.509 certificates per ISO/IEC 18013-5 Annex B, on OpenSSL.
 *
 * Making: the IACA root (Table B.1/B.2) and document-signer (Table B.3/B.4)
 * profiles are built extension by extension from typed OpenSSL objects,
 * never from X509V3 configuration strings, so that no caller-supplied text
 * (a name, an issuerAltName) is ever parsed as configuration.
 *
 * Verifying: Annex B chains are exactly DS -> IACA (the IACA has pathlen 0
 * and the x5chain carries no intermediates), so OpenSSL builds the chain
 * from the trusted roots alone under X509_V_FLAG_X509_STRICT, and the
 * Annex B profile checks that OpenSSL does not know about are done here.
 * Errors are ranked: no trusted issuer (MINDL_ERR_UNTRUSTED) whatever else
 * is wrong, then profile, then time.  OpenSSL makes its strict RFC 5280
 * checks before it checks signatures, so a certificate with both a profile
 * fault and a bad signature is reported as a profile error; either way it
 * is refused.  Time comes last so that an expired certificate with another
 * fault is reported for that fault.
 *
 * A verified DS certificate is cached in its trust store, keyed by the
 * SHA-256 of its DER, together with its public key and the intersection
 * of its validity with its root's; a hit costs one hash and a compare and
 * re-checks only the time.  A trust store is not thread-safe (the cache
 * mutates on verify): use one per thread.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/file.h"
#include "mindl/key.h"
#include "mindl/x509.h"
#include "internal.h"

#define CACHE_MAX		64
#define SERIAL_LEN		20
/* A sanity cap on IACA validity: twenty years covers every real root. */
#define IACA_MAX_DAYS		7305
#define CN_MAX_CHARS		64	/* ub-common-name, RFC 5280 */
#define IAN_MAX_LEN		255
/* 9999-12-31T23:59:59Z, the last instant X.509 can express. */
#define TIME_MAX		INT64_C(253402300799)

/* DER contents of OID 1.0.18013.5.1.2, id-mdl-kp-mdlDS (Annex B). */
static const uint8_t oid_mdl_ds[] = { 0x28, 0x81, 0x8c, 0x5d, 0x05, 0x01,
    0x02 };

struct root {
	X509		*x;
	uint8_t		*der;
	size_t		 len;
};

struct cache_ent {
	uint8_t		 hash[MINDL_SHA256_LEN];
	int64_t		 not_before;	/* max of DS and root */
	int64_t		 not_after;	/* min of DS and root */
	struct mindl_key *pub;		/* NULL: empty slot */
};

struct mindl_trust {
	X509_STORE	*store;
	struct root	 roots[MINDL_MAX_TRUST];
	size_t		 nroots;
	struct cache_ent cache[CACHE_MAX];
	size_t		 cache_next;	/* ring: next slot, the oldest */
};

/* An ASN1_TIME as seconds since the epoch; MINDL_ERR_X509 if malformed. */
static int
asn1_time_secs(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: ASN1_TIME_to_tm", __func__);
		return MINDL_ERR_X509;
	}
	*out = mindl_days_from_civil((int64_t)tm.tm_year + 1900,
	    (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday) * MINDL_DAY +
	    (int64_t)tm.tm_hour * 3600 + (int64_t)tm.tm_min * 60 +
	    (int64_t)tm.tm_sec;
	return MINDL_OK;
}

int
mindl_x509_times(const X509 *x, int64_t *nb, int64_t *na)
{
	int64_t b, a;
	int r;

	if ((r = asn1_time_secs(X509_get0_notBefore(x), &b)) != MINDL_OK ||
	    (r = asn1_time_secs(X509_get0_notAfter(x), &a)) != MINDL_OK)
		return r;
	if (a < b) {
		mindl_log_debug("%s: notAfter before notBefore", __func__);
		return MINDL_ERR_X509;
	}
	*nb = b;
	*na = a;
	return MINDL_OK;
}

/*
 * Strict DER parse: the whole buffer is one certificate, nothing after it,
 * and its extensions decode (OpenSSL flags duplicates and malformed ones
 * as EXFLAG_INVALID).
 */
int
mindl_x509_parse_der(const uint8_t *der, size_t len, X509 **out)
{
	const unsigned char *p = der;
	X509 *x = NULL;
	int r = MINDL_ERR_INTERNAL;

	*out = NULL;
	if (der == NULL || len == 0 || len > MINDL_MAX_CERT_LEN) {
		mindl_log_debug("%s: length %zu", __func__, len);
		r = MINDL_ERR_X509;
		goto fail;
	}
	if ((x = d2i_X509(NULL, &p, (long)len)) == NULL) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: d2i_X509", __func__);
		r = MINDL_ERR_X509;
		goto fail;
	}
	if (p != der + len) {
		mindl_log_debug("%s: %zu trailing bytes", __func__,
		    len - (size_t)(p - der));
		r = MINDL_ERR_X509;
		goto fail;
	}
	if ((X509_get_extension_flags(x) & EXFLAG_INVALID) != 0) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: invalid extensions", __func__);
		r = MINDL_ERR_X509;
		goto fail;
	}
	*out = x;
	x = NULL;
	r = MINDL_OK;
fail:
	X509_free(x);
	return r;
}

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
	switch (mindl_key_curve(key)) {
	case MINDL_CRV_P256:
		*md = EVP_sha256();
		return MINDL_OK;
	case MINDL_CRV_P384:
		*md = EVP_sha384();
		return MINDL_OK;
	case MINDL_CRV_P521:
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

/* The value of the only entry nid in n, or NULL (absent or repeated). */
const ASN1_STRING *
mindl_x509_name_value(const X509_NAME *n, int nid, int *count)
{
	int i, last = -1;

	*count = 0;
	for (i = X509_NAME_get_index_by_NID(n, nid, -1); i >= 0;
	    i = X509_NAME_get_index_by_NID(n, nid, i)) {
		last = i;
		(*count)++;
	}
	if (*count != 1)
		return NULL;
	return X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, last));
}

/* DS subject: C and ST copied from the IACA (Annex B Table B.3), CN. */
static int
ds_subject(X509_NAME *n, X509 *iaca, const char *cn)
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
		if ((size_t)ASN1_STRING_length(v) + 4 > sizeof(derived) ||
		    memchr(ASN1_STRING_get0_data(v), '\0',
		    (size_t)ASN1_STRING_length(v)) != NULL) {
			mindl_log_debug("%s: IACA CN unusable", __func__);
			return MINDL_ERR_INVALID_ARG;
		}
		(void)snprintf(derived, sizeof(derived), "%.*s DS",
		    ASN1_STRING_length(v),
		    (const char *)ASN1_STRING_get0_data(v));
		cn = derived;
	}
	if (!cn_ok(cn)) {
		mindl_log_debug("%s: bad common name", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	return name_add(n, NID_commonName, MBSTRING_UTF8, cn);
}

static int
add_ds_eku(X509 *x)
{
	EXTENDED_KEY_USAGE *eku = NULL;
	ASN1_OBJECT *obj = NULL;
	int r = MINDL_ERR_INTERNAL;

	if ((eku = sk_ASN1_OBJECT_new_null()) == NULL ||
	    (obj = OBJ_txt2obj(MINDL_X509_OID_MDL_DS, 1)) == NULL ||
	    sk_ASN1_OBJECT_push(eku, obj) <= 0) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	obj = NULL;
	/*
	 * Critical, as Annex B Table B.3 lists it and as the Annex D DS
	 * certificate carries it; isomdl warns when it is not.
	 */
	r = add_ext(x, NID_ext_key_usage, eku, 1);
fail:
	ASN1_OBJECT_free(obj);
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
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

int
mindl_x509_make_ds(const struct mindl_key *iaca_key,
    const uint8_t *iaca_der, size_t iaca_len, const struct mindl_key *ds_pub,
    const struct mindl_ds_params *p, uint8_t **der, size_t *derlen)
{
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
	if (p->days < 1 || p->days > MINDL_DS_MAX_DAYS || p->not_before < 0 ||
	    p->not_before > TIME_MAX - (int64_t)p->days * MINDL_DAY) {
		mindl_log_debug("%s: validity (%d days) refused; Annex B "
		    "allows at most %d", __func__, p->days, MINDL_DS_MAX_DAYS);
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
	if ((r = ds_subject(name, iaca, p->name)) != MINDL_OK)
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
	 */
	if ((r = add_key_usage(x, ku, 1)) != MINDL_OK ||
	    (r = add_ds_eku(x)) != MINDL_OK ||
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


/*
 * Next certificate block of a PEM buffer, exactly as encoded (no
 * re-encoding), skipping any text between blocks such as "# comment"
 * lines.  *der is NULL at the end of the input.  Blocks of other types
 * are skipped when skip_other, an error otherwise.
 */
int
mindl_x509_pem_next(BIO *bio, int skip_other, uint8_t **der, size_t *derlen)
{
	char *name = NULL, *header = NULL;
	unsigned char *data = NULL;
	unsigned long e;
	long len = 0;
	int r = MINDL_ERR_INTERNAL;

	*der = NULL;
	*derlen = 0;
	for (;;) {
		ERR_set_mark();
		if (PEM_read_bio(bio, &name, &header, &data, &len) != 1) {
			e = ERR_peek_last_error();
			if (ERR_GET_LIB(e) == ERR_LIB_PEM &&
			    ERR_GET_REASON(e) == PEM_R_NO_START_LINE) {
				ERR_pop_to_mark();	/* end of input */
				r = MINDL_OK;
				goto fail;
			}
			ERR_clear_last_mark();
			mindl_log_ossl(__func__);
			mindl_log_debug("%s: PEM_read_bio", __func__);
			r = MINDL_ERR_X509;
			goto fail;
		}
		ERR_clear_last_mark();
		if (strcmp(name, PEM_STRING_X509) == 0 ||
		    strcmp(name, PEM_STRING_X509_OLD) == 0)
			break;
		if (!skip_other) {
			mindl_log_debug("%s: unexpected PEM block %s",
			    __func__, name);
			r = MINDL_ERR_X509;
			goto fail;
		}
		OPENSSL_free(name);
		OPENSSL_free(header);
		OPENSSL_clear_free(data, (size_t)len);
		name = header = NULL;
		data = NULL;
	}
	if (len <= 0 || (unsigned long)len > MINDL_MAX_CERT_LEN) {
		mindl_log_debug("%s: certificate of %ld bytes", __func__, len);
		r = MINDL_ERR_X509;
		goto fail;
	}
	if ((*der = mindl_malloc((size_t)len)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	memcpy(*der, data, (size_t)len);
	*derlen = (size_t)len;
	r = MINDL_OK;
fail:
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_clear_free(data, len > 0 ? (size_t)len : 0);
	return r;
}

int
mindl_x509_read_pem(const char *path, uint8_t **der, size_t *derlen)
{
	uint8_t *file = NULL, *d = NULL;
	size_t filelen = 0, dlen = 0;
	BIO *bio = NULL;
	X509 *x = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (der != NULL)
		*der = NULL;
	if (derlen != NULL)
		*derlen = 0;
	if (path == NULL || der == NULL || derlen == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = mindl_file_read(path, MINDL_X509_PEM_MAX, &file,
	    &filelen)) != MINDL_OK)
		goto fail;
	if ((bio = BIO_new_mem_buf(file, (int)filelen)) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if ((r = mindl_x509_pem_next(bio, 1, &d, &dlen)) != MINDL_OK)
		goto fail;
	if (d == NULL) {
		mindl_log_debug("%s: %s: no certificate", __func__, path);
		r = MINDL_ERR_X509;
		goto fail;
	}
	if ((r = mindl_x509_parse_der(d, dlen, &x)) != MINDL_OK)
		goto fail;
	*der = d;
	*derlen = dlen;
	d = NULL;
	r = MINDL_OK;
fail:
	X509_free(x);
	BIO_free(bio);
	free(d);
	free(file);
	return r;
}

int
mindl_x509_write_pem(const char *path, const uint8_t *der, size_t len)
{
	X509 *x = NULL;
	BIO *bio = NULL;
	char *pem;
	long pemlen;
	size_t off = 0;
	ssize_t n;
	int fd = -1, created = 0, r = MINDL_ERR_INTERNAL;

	if (path == NULL || der == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	/* Never write something that is not a certificate. */
	if ((r = mindl_x509_parse_der(der, len, &x)) != MINDL_OK)
		goto fail;
	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio(bio, PEM_STRING_X509, "", der, (long)len) <= 0 ||
	    (pemlen = BIO_get_mem_data(bio, &pem)) <= 0) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644)) == -1) {
		mindl_log_debug("%s: open %s: %s", __func__, path,
		    strerror(errno));
		r = errno == EEXIST ? MINDL_ERR_EXISTS : MINDL_ERR_IO;
		goto fail;
	}
	created = 1;
	while (off < (size_t)pemlen) {
		n = write(fd, pem + off, (size_t)pemlen - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			mindl_log_debug("%s: write %s: %s", __func__, path,
			    strerror(errno));
			r = MINDL_ERR_IO;
			goto fail;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		mindl_log_debug("%s: sync %s: %s", __func__, path,
		    strerror(errno));
		r = MINDL_ERR_IO;
		goto fail;
	}
	fd = -1;
	created = 0;
	r = MINDL_OK;
fail:
	if (fd != -1)
		close(fd);
	if (created)
		(void)unlink(path);
	BIO_free(bio);
	X509_free(x);
	return r;
}

int
mindl_x509_cert_pubkey(X509 *x, struct mindl_key **out)
{
	EVP_PKEY *pkey;
	int r;

	if ((pkey = X509_get_pubkey(x)) == NULL) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: X509_get_pubkey", __func__);
		return MINDL_ERR_KEY;
	}
	if ((r = mindl_key_wrap_evp(pkey, out)) != MINDL_OK) {
		mindl_log_debug("%s: mindl_key_wrap_evp", __func__);
		EVP_PKEY_free(pkey);	/* wrap owns it only on success */
	}
	return r;
}

int
mindl_x509_pubkey(const uint8_t *der, size_t len, struct mindl_key **out)
{
	X509 *x = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (out != NULL)
		*out = NULL;
	if (der == NULL || out == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = mindl_x509_parse_der(der, len, &x)) != MINDL_OK ||
	    (r = mindl_x509_cert_pubkey(x, out)) != MINDL_OK)
		goto fail;
	r = MINDL_OK;
fail:
	X509_free(x);
	return r;
}

int
mindl_x509_key_id(const uint8_t *der, size_t len, char out[17])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t h[MINDL_SHA256_LEN];
	unsigned char *spki = NULL;
	X509 *x = NULL;
	int n, i, r = MINDL_ERR_INTERNAL;

	if (der == NULL || out == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = mindl_x509_parse_der(der, len, &x)) != MINDL_OK)
		goto fail;
	if ((n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &spki)) <= 0) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = mindl_sha256(spki, (size_t)n, h)) != MINDL_OK)
		goto fail;
	for (i = 0; i < 8; i++) {
		out[2 * i] = hex[h[i] >> 4];
		out[2 * i + 1] = hex[h[i] & 0x0f];
	}
	out[16] = '\0';
	r = MINDL_OK;
fail:
	OPENSSL_free(spki);
	X509_free(x);
	return r;
}

/* Trust store. */

int
mindl_trust_new(struct mindl_trust **out)
{
	struct mindl_trust *t = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if ((t = mindl_calloc(1, sizeof(*t))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if ((t->store = X509_STORE_new()) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	*out = t;
	t = NULL;
	r = MINDL_OK;
fail:
	mindl_trust_free(&t);
	return r;
}

void
mindl_trust_free(struct mindl_trust **tp)
{
	struct mindl_trust *t;
	size_t i;

	if (tp == NULL || (t = *tp) == NULL)
		return;
	*tp = NULL;
	for (i = 0; i < t->nroots; i++) {
		X509_free(t->roots[i].x);
		free(t->roots[i].der);
	}
	for (i = 0; i < CACHE_MAX; i++)
		mindl_key_free(&t->cache[i].pub);
	X509_STORE_free(t->store);
	free(t);
}

size_t
mindl_trust_count(const struct mindl_trust *t)
{
	return t == NULL ? 0 : t->nroots;
}

int
mindl_trust_is_root(const struct mindl_trust *t, const uint8_t *der,
    size_t len)
{
	size_t i;

	if (t == NULL || der == NULL)
		return 0;
	for (i = 0; i < t->nroots; i++)
		if (t->roots[i].len == len &&
		    memcmp(t->roots[i].der, der, len) == 0)
			return 1;
	return 0;
}

/*
 * A candidate root: parses strictly, self-signed with a good signature,
 * a CA in OpenSSL's sense (basicConstraints CA:TRUE and, if keyUsage is
 * present, keyCertSign), times readable.
 */
static int
root_check(const uint8_t *der, size_t len, X509 **out)
{
	X509 *x = NULL;
	int64_t nb, na;
	int r = MINDL_ERR_INTERNAL;

	*out = NULL;
	if ((r = mindl_x509_parse_der(der, len, &x)) != MINDL_OK ||
	    (r = mindl_x509_times(x, &nb, &na)) != MINDL_OK)
		goto fail;
	if (X509_self_signed(x, 1) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: not self-signed", __func__);
		r = MINDL_ERR_CERT_PROFILE;
		goto fail;
	}
	if ((X509_get_extension_flags(x) & EXFLAG_CA) == 0 ||
	    X509_check_ca(x) != 1) {
		mindl_log_debug("%s: not a CA", __func__);
		r = MINDL_ERR_CERT_PROFILE;
		goto fail;
	}
	*out = x;
	x = NULL;
	r = MINDL_OK;
fail:
	X509_free(x);
	return r;
}

/* Adds a checked root; takes ownership of x and der on success. */
static int
root_add(struct mindl_trust *t, X509 *x, uint8_t *der, size_t len)
{
	if (t->nroots >= MINDL_MAX_TRUST) {
		mindl_log_debug("%s: over %d roots", __func__, MINDL_MAX_TRUST);
		return MINDL_ERR_TOO_LARGE;
	}
	if (X509_STORE_add_cert(t->store, x) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: X509_STORE_add_cert", __func__);
		return MINDL_ERR_CRYPTO;
	}
	t->roots[t->nroots].x = x;
	t->roots[t->nroots].der = der;
	t->roots[t->nroots].len = len;
	t->nroots++;
	return MINDL_OK;
}

int
mindl_trust_add_der(struct mindl_trust *t, const uint8_t *der, size_t len)
{
	X509 *x = NULL;
	uint8_t *copy = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (t == NULL || der == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = root_check(der, len, &x)) != MINDL_OK)
		goto fail;
	if (mindl_trust_is_root(t, der, len)) {
		r = MINDL_OK;	/* already trusted */
		goto fail;
	}
	if ((copy = mindl_malloc(len)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	memcpy(copy, der, len);
	if ((r = root_add(t, x, copy, len)) != MINDL_OK)
		goto fail;
	x = NULL;
	copy = NULL;
	r = MINDL_OK;
fail:
	free(copy);
	X509_free(x);
	return r;
}

/*
 * All or nothing: every certificate of the file is checked before any is
 * added, so a bad bundle leaves the store as it was.
 */
int
mindl_trust_add_pem_file(struct mindl_trust *t, const char *path)
{
	struct root *tmp = NULL;
	uint8_t *file = NULL, *d = NULL;
	size_t filelen = 0, dlen = 0, n = 0, i;
	BIO *bio = NULL;
	X509 *x = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (t == NULL || path == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((r = mindl_file_read(path, MINDL_X509_PEM_MAX, &file,
	    &filelen)) != MINDL_OK)
		goto fail;
	if ((tmp = mindl_calloc(MINDL_MAX_TRUST, sizeof(*tmp))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if ((bio = BIO_new_mem_buf(file, (int)filelen)) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	for (;;) {
		if ((r = mindl_x509_pem_next(bio, 0, &d, &dlen)) != MINDL_OK)
			goto fail;
		if (d == NULL)
			break;
		if ((r = root_check(d, dlen, &x)) != MINDL_OK) {
			mindl_log_debug("%s: %s: certificate %zu", __func__,
			    path, n + 1);
			goto fail;
		}
		if (n >= MINDL_MAX_TRUST) {
			mindl_log_debug("%s: %s: over %d certificates",
			    __func__, path, MINDL_MAX_TRUST);
			r = MINDL_ERR_TOO_LARGE;
			goto fail;
		}
		tmp[n].x = x;
		tmp[n].der = d;
		tmp[n].len = dlen;
		n++;
		x = NULL;
		d = NULL;
	}
	if (n == 0) {
		mindl_log_debug("%s: %s: no certificate", __func__, path);
		r = MINDL_ERR_X509;
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (mindl_trust_is_root(t, tmp[i].der, tmp[i].len))
			continue;
		if (t->nroots >= MINDL_MAX_TRUST) {
			mindl_log_debug("%s: over %d roots", __func__,
			    MINDL_MAX_TRUST);
			r = MINDL_ERR_TOO_LARGE;
			goto fail;
		}
	}
	for (i = 0; i < n; i++) {
		if (mindl_trust_is_root(t, tmp[i].der, tmp[i].len))
			continue;
		if ((r = root_add(t, tmp[i].x, tmp[i].der,
		    tmp[i].len)) != MINDL_OK)
			goto fail;
		tmp[i].x = NULL;
		tmp[i].der = NULL;
	}
	r = MINDL_OK;
fail:
	if (tmp != NULL) {
		for (i = 0; i < n; i++) {
			X509_free(tmp[i].x);
			free(tmp[i].der);
		}
		free(tmp);
	}
	X509_free(x);
	free(d);
	BIO_free(bio);
	free(file);
	return r;
}

/*
 * Time is judged after the chain and profile checks, from the same
 * intervals the cache keeps; the callback lets OpenSSL finish the rest of
 * the verification and records that it saw a time error.
 */
static int
verify_cb(int ok, X509_STORE_CTX *ctx)
{
	int *time_bad;

	if (ok)
		return ok;
	switch (X509_STORE_CTX_get_error(ctx)) {
	case X509_V_ERR_CERT_NOT_YET_VALID:
	case X509_V_ERR_CERT_HAS_EXPIRED:
		if ((time_bad = X509_STORE_CTX_get_app_data(ctx)) != NULL)
			*time_bad = 1;
		return 1;
	default:
		return 0;
	}
}

static int
map_verify_error(int err)
{
	switch (err) {
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
	case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_UNTRUSTED:
	case X509_V_ERR_CERT_REJECTED:
	case X509_V_ERR_SUBJECT_ISSUER_MISMATCH:
	case X509_V_ERR_AKID_SKID_MISMATCH:
	case X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH:
	case X509_V_ERR_CERT_CHAIN_TOO_LONG:
		return MINDL_ERR_UNTRUSTED;
	case X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD:
	case X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD:
		return MINDL_ERR_X509;
	case X509_V_ERR_OUT_OF_MEM:
		return MINDL_ERR_NOMEM;
	default:
		/* Strict RFC 5280 checks, bad CA, critical extensions. */
		return MINDL_ERR_CERT_PROFILE;
	}
}

/* Annex B Table B.1/B.2 checks OpenSSL does not make on a root. */
int
mindl_x509_iaca_profile(X509 *root)
{
	uint32_t flags = X509_get_extension_flags(root);

	if ((flags & EXFLAG_CA) == 0 || (flags & EXFLAG_BCONS) == 0 ||
	    X509_get_pathlen(root) != 0) {
		mindl_log_debug("%s: IACA not CA:TRUE pathlen 0", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if ((flags & EXFLAG_KUSAGE) == 0 ||
	    (X509_get_key_usage(root) & KU_KEY_CERT_SIGN) == 0) {
		mindl_log_debug("%s: IACA keyUsage lacks keyCertSign",
		    __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	return MINDL_OK;
}

/* 1 if the EKU is exactly { id-mdl-kp-mdlDS } (as isomdl requires). */
static int
ds_eku_ok(X509 *x)
{
	EXTENDED_KEY_USAGE *eku;
	const ASN1_OBJECT *obj;
	int crit = -1, ok = 0;

	if ((eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit,
	    NULL)) == NULL) {
		mindl_log_ossl(__func__);
		return 0;
	}
	if (sk_ASN1_OBJECT_num(eku) == 1) {
		obj = sk_ASN1_OBJECT_value(eku, 0);
		ok = OBJ_length(obj) == sizeof(oid_mdl_ds) &&
		    memcmp(OBJ_get0_data(obj), oid_mdl_ds,
		    sizeof(oid_mdl_ds)) == 0;
	}
	/* A non-critical EKU is accepted: isomdl only warns about it. */
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return ok;
}

/* Same single value of nid in both subjects (absent in both is fine). */
static int
same_name_value(X509 *a, X509 *b, int nid, int required)
{
	const ASN1_STRING *va, *vb;
	int ca, cb;

	va = mindl_x509_name_value(X509_get_subject_name(a), nid, &ca);
	vb = mindl_x509_name_value(X509_get_subject_name(b), nid, &cb);
	if (ca == 0 && cb == 0 && !required)
		return 1;
	if (va == NULL || vb == NULL)
		return 0;
	/* Compared as text: PrintableString and UTF8String may differ. */
	return ASN1_STRING_length(va) == ASN1_STRING_length(vb) &&
	    memcmp(ASN1_STRING_get0_data(va), ASN1_STRING_get0_data(vb),
	    (size_t)ASN1_STRING_length(va)) == 0;
}

/* Annex B Table B.3/B.4 checks on the DS against its root. */
int
mindl_x509_ds_profile(X509 *x, X509 *root, int64_t nb, int64_t na)
{
	uint32_t flags = X509_get_extension_flags(x);
	uint32_t ku = X509_get_key_usage(x);

	if ((flags & EXFLAG_KUSAGE) == 0 ||
	    (ku & KU_DIGITAL_SIGNATURE) == 0 ||
	    (ku & (KU_KEY_CERT_SIGN | KU_CRL_SIGN)) != 0) {
		mindl_log_debug("%s: DS keyUsage not digitalSignature",
		    __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if (!ds_eku_ok(x)) {
		mindl_log_debug("%s: DS EKU is not %s", __func__,
		    MINDL_X509_OID_MDL_DS);
		return MINDL_ERR_CERT_PROFILE;
	}
	if ((flags & EXFLAG_CA) != 0) {
		mindl_log_debug("%s: DS is a CA", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if (na - nb > (int64_t)MINDL_DS_MAX_DAYS * MINDL_DAY) {
		mindl_log_debug("%s: DS valid for over %d days", __func__,
		    MINDL_DS_MAX_DAYS);
		return MINDL_ERR_CERT_PROFILE;
	}
	/*
	 * countryName must match the IACA's (Table B.3); so must
	 * stateOrProvinceName when either carries one (isomdl's reading).
	 */
	if (!same_name_value(x, root, NID_countryName, 1) ||
	    !same_name_value(x, root, NID_stateOrProvinceName, 0)) {
		mindl_log_debug("%s: DS C/ST differ from the IACA's",
		    __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	return MINDL_OK;
}

static struct cache_ent *
cache_find(struct mindl_trust *t, const uint8_t hash[MINDL_SHA256_LEN])
{
	size_t i;

	/* Not secret: the DER is public, so memcmp is fine. */
	for (i = 0; i < CACHE_MAX; i++)
		if (t->cache[i].pub != NULL &&
		    memcmp(t->cache[i].hash, hash, MINDL_SHA256_LEN) == 0)
			return &t->cache[i];
	return NULL;
}

/*
 * Inserts into the ring, evicting the oldest entry, or refreshes the entry
 * already held for this certificate.
 */
static void
cache_put(struct mindl_trust *t, const uint8_t hash[MINDL_SHA256_LEN],
    int64_t nb, int64_t na, struct mindl_key *pub)
{
	struct cache_ent *e;

	if ((e = cache_find(t, hash)) == NULL) {
		e = &t->cache[t->cache_next];
		t->cache_next = (t->cache_next + 1) % CACHE_MAX;
	}

	mindl_key_free(&e->pub);
	memcpy(e->hash, hash, MINDL_SHA256_LEN);
	e->not_before = nb;
	e->not_after = na;
	e->pub = mindl_key_ref(pub);
}

int
mindl_x509_validity(const uint8_t *der, size_t len, int64_t *not_before,
    int64_t *not_after)
{
	X509 *x = NULL;
	int64_t nb, na;
	int r;

	if (der == NULL || not_before == NULL || not_after == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_x509_parse_der(der, len, &x)) == MINDL_OK &&
	    (r = mindl_x509_times(x, &nb, &na)) == MINDL_OK) {
		*not_before = nb;
		*not_after = na;
	}
	X509_free(x);
	return r;
}

int
mindl_trust_ds_validity(struct mindl_trust *t, const uint8_t *der,
    size_t len, int64_t *not_before, int64_t *not_after)
{
	uint8_t hash[MINDL_SHA256_LEN];
	struct cache_ent *e;
	int r;

	if (t == NULL || der == NULL || len == 0)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_sha256(der, len, hash)) != MINDL_OK)
		return r;
	if ((e = cache_find(t, hash)) == NULL)
		return MINDL_ERR_UNTRUSTED;
	*not_before = e->not_before;
	*not_after = e->not_after;
	return MINDL_OK;
}

int
mindl_trust_verify_ds(struct mindl_trust *t, const uint8_t *der,
    size_t len, int64_t at, struct mindl_key **pub)
{
	uint8_t hash[MINDL_SHA256_LEN];
	X509 *x = NULL, *root;
	X509_STORE_CTX *ctx = NULL;
	X509_VERIFY_PARAM *param;
	STACK_OF(X509) *chain;
	struct cache_ent *e;
	struct mindl_key *k = NULL;
	int64_t nb, na, rnb, rna;
	int ret, time_bad = 0, r = MINDL_ERR_INTERNAL;

	if (pub != NULL)
		*pub = NULL;
	if (t == NULL || der == NULL || pub == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if (len == 0 || len > MINDL_MAX_CERT_LEN) {
		mindl_log_debug("%s: length %zu", __func__, len);
		r = MINDL_ERR_X509;
		goto fail;
	}
	if ((r = mindl_sha256(der, len, hash)) != MINDL_OK)
		goto fail;
	/*
	 * A hit inside its interval is done; outside it, the full path runs
	 * again, since another root with the same name and key but other
	 * dates (a re-issued IACA) may cover `at'.
	 */
	if ((e = cache_find(t, hash)) != NULL && at >= e->not_before &&
	    at <= e->not_after) {
		*pub = mindl_key_ref(e->pub);
		r = MINDL_OK;
		goto fail;
	}
	if (mindl_trust_is_root(t, der, len)) {
		mindl_log_debug("%s: IACA certificate in x5chain", __func__);
		r = MINDL_ERR_IACA_IN_CHAIN;
		goto fail;
	}
	if ((r = mindl_x509_parse_der(der, len, &x)) != MINDL_OK ||
	    (r = mindl_x509_times(x, &nb, &na)) != MINDL_OK)
		goto fail;
	if ((int64_t)(time_t)at != at) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, t->store, x, NULL) != 1) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	/*
	 * No purpose is set: OpenSSL's purposes know nothing of the mDL EKU
	 * and would reject it; mindl_x509_ds_profile() checks it instead.
	 */
	param = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
	X509_VERIFY_PARAM_set_time(param, (time_t)at);
	X509_STORE_CTX_set_verify_cb(ctx, verify_cb);
	X509_STORE_CTX_set_app_data(ctx, &time_bad);
	if ((ret = X509_verify_cert(ctx)) != 1) {
		mindl_log_ossl(__func__);
		if (ret < 0) {
			mindl_log_debug("%s: X509_verify_cert", __func__);
			r = MINDL_ERR_CRYPTO;
			goto fail;
		}
		mindl_log_debug("%s: %s", __func__,
		    X509_verify_cert_error_string(
		    X509_STORE_CTX_get_error(ctx)));
		r = map_verify_error(X509_STORE_CTX_get_error(ctx));
		goto fail;
	}
	/* Annex B: DS then IACA, nothing else. */
	chain = X509_STORE_CTX_get0_chain(ctx);
	if (chain == NULL || sk_X509_num(chain) != 2) {
		mindl_log_debug("%s: chain of %d", __func__,
		    chain == NULL ? 0 : sk_X509_num(chain));
		r = chain != NULL && sk_X509_num(chain) == 1 ?
		    MINDL_ERR_IACA_IN_CHAIN : MINDL_ERR_UNTRUSTED;
		goto fail;
	}
	root = sk_X509_value(chain, 1);
	if ((r = mindl_x509_times(root, &rnb, &rna)) != MINDL_OK ||
	    (r = mindl_x509_iaca_profile(root)) != MINDL_OK ||
	    (r = mindl_x509_ds_profile(x, root, nb, na)) != MINDL_OK)
		goto fail;
	if (rnb > nb)
		nb = rnb;
	if (rna < na)
		na = rna;
	if (time_bad || at < nb || at > na) {
		mindl_log_debug("%s: outside validity", __func__);
		r = MINDL_ERR_CERT_EXPIRED;
		goto fail;
	}
	if ((r = mindl_x509_cert_pubkey(x, &k)) != MINDL_OK)
		goto fail;
	cache_put(t, hash, nb, na, k);
	*pub = k;
	k = NULL;
	r = MINDL_OK;
fail:
	mindl_key_free(&k);
	X509_STORE_CTX_free(ctx);
	X509_free(x);
	return r;
}
