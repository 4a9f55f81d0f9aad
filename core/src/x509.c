/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: X.509 certificates per ISO/IEC 18013-5 Annex B, on OpenSSL.
 *
 * What making and verifying share: the strict DER parse, validity times,
 * the public key and key id, and the Annex B profile checks on an IACA
 * root (Table B.1/B.2) and a DS certificate (Table B.3/B.4) that OpenSSL
 * does not make.  Certificates are made in x509_make.c, PEM files read
 * and written in pem.c, and DS certificates verified in trust.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
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

/* DER contents of OID 1.0.18013.5.1.2, id-mdl-kp-mdlDS (Annex B). */
static const uint8_t oid_mdl_ds[] = { 0x28, 0x81, 0x8c, 0x5d, 0x05, 0x01,
    0x02 };

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
		return r;
	}
	/* IACA and DS keys are EC; Ed25519 is for device keys only. */
	if (mindl_key_curve(*out) == MINDL_CRV_ED25519) {
		mindl_log_debug("%s: Ed25519 certificate key", __func__);
		mindl_key_free(out);
		return MINDL_ERR_KEY;
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

/* Annex B profiles. */

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

/*
 * The text of name entry nid into out: 0 with the text, MINDL_ERR_MISSING
 * when absent, MINDL_ERR_X509 when repeated, holding a NUL or too long.
 */
static int
entry_text(const X509_NAME *n, int nid, char *out, size_t outlen)
{
	const ASN1_STRING *v;
	int count;

	out[0] = '\0';
	if ((v = mindl_x509_name_value(n, nid, &count)) == NULL)
		return count == 0 ? MINDL_ERR_MISSING : MINDL_ERR_X509;
	/* Text, whole, without a NUL inside: else it is not this name. */
	if ((size_t)ASN1_STRING_length(v) >= outlen ||
	    memchr(ASN1_STRING_get0_data(v), '\0',
	    (size_t)ASN1_STRING_length(v)) != NULL)
		return MINDL_ERR_X509;
	memcpy(out, ASN1_STRING_get0_data(v), (size_t)ASN1_STRING_length(v));
	out[ASN1_STRING_length(v)] = '\0';
	return MINDL_OK;
}

int
mindl_x509_names(const uint8_t *der, size_t len, struct mindl_x509_names *nm)
{
	const X509_NAME *sub, *iss;
	X509 *x = NULL;
	int r;

	if (der == NULL || nm == NULL)
		return MINDL_ERR_INVALID_ARG;
	memset(nm, 0, sizeof(*nm));
	/* One parse for every name: parsing costs more than the rest. */
	if ((r = mindl_x509_parse_der(der, len, &x)) != MINDL_OK)
		return r;
	sub = X509_get_subject_name(x);
	iss = X509_get_issuer_name(x);
	nm->c_err = entry_text(sub, NID_countryName, nm->c, sizeof(nm->c));
	nm->st_err = entry_text(sub, NID_stateOrProvinceName, nm->st,
	    sizeof(nm->st));
	nm->cn_err = entry_text(sub, NID_commonName, nm->cn, sizeof(nm->cn));
	nm->issuer_cn_err = entry_text(iss, NID_commonName, nm->issuer_cn,
	    sizeof(nm->issuer_cn));
	X509_free(x);
	return MINDL_OK;
}

int
mindl_x509_names_place_is(const struct mindl_x509_names *nm,
    const char *country, const char *jurisdiction)
{
	char full[sizeof(nm->c) + sizeof(nm->st) + 1];

	if (nm == NULL || country == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (nm->c_err != MINDL_OK || strcmp(nm->c, country) != 0)
		return nm->c_err == MINDL_ERR_X509 ? MINDL_ERR_X509 :
		    MINDL_ERR_POLICY;
	/* ST is optional in a DS certificate: then C alone must agree. */
	if (nm->st_err == MINDL_ERR_MISSING || jurisdiction == NULL)
		return MINDL_OK;
	if (nm->st_err != MINDL_OK)
		return nm->st_err;
	/* "US-SS" as Annex B and mindl-keys write it, or a bare "SS". */
	(void)snprintf(full, sizeof(full), "%s-%s", nm->c, nm->st);
	return strcmp(nm->st, jurisdiction) == 0 ||
	    strcmp(full, jurisdiction) == 0 ? MINDL_OK : MINDL_ERR_POLICY;
}

int
mindl_x509_place_is(const uint8_t *der, size_t len, const char *country,
    const char *jurisdiction)
{
	struct mindl_x509_names nm;
	int r;

	if (country == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_x509_names(der, len, &nm)) != MINDL_OK)
		return r;
	return mindl_x509_names_place_is(&nm, country, jurisdiction);
}

/* The deviations a root may be allowed, by name (mindl/x509.h). */
static const struct {
	unsigned	 bit;
	const char	*name;
} deviations[] = {
	{ MINDL_DEV_NO_PATHLEN, "no-pathlen" },
	{ MINDL_DEV_ST_FORM, "st-not-iso3166-2" },
	{ MINDL_DEV_NO_IAN, "no-issuer-alt-name" },
};

const char *
mindl_x509_deviation_name(unsigned bit)
{
	size_t i;

	for (i = 0; i < sizeof(deviations) / sizeof(deviations[0]); i++)
		if (deviations[i].bit == bit)
			return deviations[i].name;
	return NULL;
}

int
mindl_x509_deviation_parse(const char *list, unsigned *out)
{
	const char *p, *e;
	size_t i, n;
	unsigned dev = 0;

	if (list == NULL || out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = 0;
	for (p = list; *p != '\0'; p = *e == ',' ? e + 1 : e) {
		if ((e = strchr(p, ',')) == NULL)
			e = p + strlen(p);
		n = (size_t)(e - p);
		for (i = 0; i < sizeof(deviations) / sizeof(deviations[0]); i++)
			if (strlen(deviations[i].name) == n &&
			    memcmp(deviations[i].name, p, n) == 0)
				break;
		if (i == sizeof(deviations) / sizeof(deviations[0]))
			return MINDL_ERR_DEVIATION;
		dev |= deviations[i].bit;
	}
	*out = dev;
	return MINDL_OK;
}

/* 1 if extension nid is present and critical, 0 if not critical, -1 if absent. */
static int
ext_critical(X509 *x, int nid)
{
	int i;

	if ((i = X509_get_ext_by_NID(x, nid, -1)) < 0)
		return -1;
	return X509_EXTENSION_get_critical(X509_get_ext(x, i)) ? 1 : 0;
}

/*
 * An ISO 3166-2 subdivision of country c: "CC-" then 1 to 3 letters or
 * digits (Annex B writes stateOrProvinceName so, e.g. "US-AK").
 */
static int
st_iso3166_2(const ASN1_STRING *st, const ASN1_STRING *c)
{
	const unsigned char *s = ASN1_STRING_get0_data(st);
	int n = ASN1_STRING_length(st), i;

	if (n < 4 || n > 6 || ASN1_STRING_length(c) != 2 ||
	    memcmp(s, ASN1_STRING_get0_data(c), 2) != 0 || s[2] != '-')
		return 0;
	for (i = 3; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

/*
 * Annex B Table B.1/B.2 on an IACA root, beyond what OpenSSL checks.
 * Faults that real roots are known to carry, and that leave the chain's
 * meaning intact, are tolerable deviations reported in *dev (a root is
 * used with them only where they were allowed, mindl/trust.h); anything
 * else is MINDL_ERR_CERT_PROFILE.  CRL distribution points are not
 * required: mindl revokes by status list, not CRL.
 */
int
mindl_x509_iaca_deviations(X509 *root, unsigned *dev)
{
	const X509_NAME *sub = X509_get_subject_name(root);
	const ASN1_STRING *c, *st;
	uint32_t flags = X509_get_extension_flags(root);
	uint32_t ku = X509_get_key_usage(root);
	int nc, nst;

	*dev = 0;
	if ((flags & EXFLAG_CA) == 0 || (flags & EXFLAG_BCONS) == 0 ||
	    ext_critical(root, NID_basic_constraints) != 1) {
		mindl_log_debug("%s: IACA not a critical CA:TRUE", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if (X509_get_pathlen(root) == -1)
		*dev |= MINDL_DEV_NO_PATHLEN;
	else if (X509_get_pathlen(root) != 0) {
		mindl_log_debug("%s: IACA pathlen not 0", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if ((flags & EXFLAG_KUSAGE) == 0 ||
	    ext_critical(root, NID_key_usage) != 1 ||
	    (ku & KU_KEY_CERT_SIGN) == 0 || (ku & KU_CRL_SIGN) == 0) {
		mindl_log_debug("%s: IACA keyUsage not critical keyCertSign "
		    "and cRLSign", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if (X509_get0_subject_key_id(root) == NULL) {
		mindl_log_debug("%s: IACA without SKI", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if ((c = mindl_x509_name_value(sub, NID_countryName, &nc)) == NULL ||
	    ASN1_STRING_length(c) != 2) {
		mindl_log_debug("%s: IACA countryName", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	st = mindl_x509_name_value(sub, NID_stateOrProvinceName, &nst);
	if (nst > 1) {
		mindl_log_debug("%s: IACA stateOrProvinceName twice", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if (st != NULL && !st_iso3166_2(st, c))
		*dev |= MINDL_DEV_ST_FORM;
	if (X509_get_ext_by_NID(root, NID_issuer_alt_name, -1) < 0)
		*dev |= MINDL_DEV_NO_IAN;
	return MINDL_OK;
}

/* Annex B Table B.1/B.2 checks, with no deviation allowed. */
int
mindl_x509_iaca_profile(X509 *root)
{
	unsigned dev;
	int r;

	if ((r = mindl_x509_iaca_deviations(root, &dev)) != MINDL_OK)
		return r;
	return dev == 0 ? MINDL_OK : MINDL_ERR_DEVIATION;
}

int
mindl_x509_iaca_check(const uint8_t *der, size_t len, unsigned *dev)
{
	X509 *x = NULL;
	int r;

	if (der == NULL || dev == NULL)
		return MINDL_ERR_INVALID_ARG;
	*dev = 0;
	if ((r = mindl_x509_parse_der(der, len, &x)) == MINDL_OK)
		r = mindl_x509_iaca_deviations(x, dev);
	X509_free(x);
	return r;
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

/* 1 if the certificate's EKU, when it has one, names id-mdl-kp-mdlDS. */
static int
has_ds_eku(X509 *x)
{
	EXTENDED_KEY_USAGE *eku;
	const ASN1_OBJECT *obj;
	int crit = -1, i, found = 0;

	if ((eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit,
	    NULL)) == NULL)
		return 0;
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		obj = sk_ASN1_OBJECT_value(eku, i);
		if (OBJ_length(obj) == sizeof(oid_mdl_ds) &&
		    memcmp(OBJ_get0_data(obj), oid_mdl_ds,
		    sizeof(oid_mdl_ds)) == 0)
			found = 1;
	}
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return found;
}

/*
 * The status-list signer: ISO/IEC 18013-5 2nd edition Table B.9 (MSO
 * revocation list signer) and the Token Status List draft's section on
 * key management.  digitalSignature only, not a CA, the IACA's place,
 * at most MINDL_STATUS_SIGNER_MAX_VALIDITY days.  An EKU is optional
 * (the draft's id-kp-oauthStatusSigning is still "TBD", so none can be
 * required), but the DS EKU is refused: a key trusted to sign MSOs must
 * not also sign the lists that revoke them, so that the theft of one
 * does not give both.
 */
int
mindl_x509_status_signer_profile(X509 *x, X509 *root, int64_t nb, int64_t na)
{
	uint32_t flags = X509_get_extension_flags(x);
	uint32_t ku = X509_get_key_usage(x);

	if ((flags & EXFLAG_KUSAGE) == 0 ||
	    (ku & KU_DIGITAL_SIGNATURE) == 0 ||
	    (ku & (KU_KEY_CERT_SIGN | KU_CRL_SIGN)) != 0) {
		mindl_log_debug("%s: keyUsage not digitalSignature", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if (has_ds_eku(x)) {
		mindl_log_debug("%s: a document signer (EKU %s) cannot sign "
		    "status lists", __func__, MINDL_X509_OID_MDL_DS);
		return MINDL_ERR_CERT_PROFILE;
	}
	if ((flags & EXFLAG_CA) != 0) {
		mindl_log_debug("%s: status signer is a CA", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if (na - nb > (int64_t)MINDL_STATUS_SIGNER_MAX_VALIDITY * MINDL_DAY) {
		mindl_log_debug("%s: valid for over %d days", __func__,
		    MINDL_STATUS_SIGNER_MAX_VALIDITY);
		return MINDL_ERR_CERT_PROFILE;
	}
	if (!same_name_value(x, root, NID_countryName, 1) ||
	    !same_name_value(x, root, NID_stateOrProvinceName, 0)) {
		mindl_log_debug("%s: C/ST differ from the IACA's", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	return MINDL_OK;
}

/* DER contents of OID 1.0.18013.5.1.6, id-mdl-kp-mdlReaderAuth. */
static const uint8_t oid_mdl_reader[] = { 0x28, 0x81, 0x8c, 0x5d, 0x05, 0x01,
    0x06 };

/* 1 if the certificate's EKU lists id-mdl-kp-mdlReaderAuth. */
static int
has_reader_eku(X509 *x)
{
	EXTENDED_KEY_USAGE *eku;
	const ASN1_OBJECT *obj;
	int crit = -1, i, found = 0;

	if ((eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit,
	    NULL)) == NULL)
		return 0;
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		obj = sk_ASN1_OBJECT_value(eku, i);
		if (OBJ_length(obj) == sizeof(oid_mdl_reader) &&
		    memcmp(OBJ_get0_data(obj), oid_mdl_reader,
		    sizeof(oid_mdl_reader)) == 0)
			found = 1;
	}
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return found;
}

int
mindl_x509_reader_profile(X509 *x)
{
	uint32_t flags = X509_get_extension_flags(x);
	uint32_t ku = X509_get_key_usage(x);

	if ((flags & EXFLAG_KUSAGE) == 0 ||
	    (ku & KU_DIGITAL_SIGNATURE) == 0 ||
	    (ku & (KU_KEY_CERT_SIGN | KU_CRL_SIGN)) != 0) {
		mindl_log_debug("%s: keyUsage not digitalSignature", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if (!has_reader_eku(x)) {
		mindl_log_debug("%s: EKU lacks %s", __func__,
		    MINDL_X509_OID_MDL_READER);
		return MINDL_ERR_CERT_PROFILE;
	}
	/* A key that signs MSOs must not also ask for them. */
	if (has_ds_eku(x)) {
		mindl_log_debug("%s: a document signer cannot be a reader",
		    __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	if ((flags & EXFLAG_CA) != 0) {
		mindl_log_debug("%s: reader certificate is a CA", __func__);
		return MINDL_ERR_CERT_PROFILE;
	}
	return MINDL_OK;
}

/* A profile id as the extension may carry it: 1..63 of [a-z0-9-]. */
static int
profile_id_ok(const unsigned char *s, int len)
{
	int i;

	if (len < 1 || len >= MINDL_READER_PROFILE_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

int
mindl_x509_reader_profiles(const uint8_t *der, size_t len,
    char ids[MINDL_READER_MAX_PROFILES][MINDL_READER_PROFILE_LEN], size_t *n)
{
	X509 *x = NULL;
	ASN1_OBJECT *obj = NULL;
	const ASN1_OCTET_STRING *os;
	STACK_OF(ASN1_TYPE) *seq = NULL;
	const ASN1_TYPE *t;
	const unsigned char *p;
	size_t i, j;
	int at, r;

	*n = 0;
	if ((r = mindl_x509_parse_der(der, len, &x)) != MINDL_OK)
		return r;
	if ((obj = OBJ_txt2obj(MINDL_X509_OID_READER_PROFILES, 1)) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	if ((at = X509_get_ext_by_OBJ(x, obj, -1)) < 0) {
		r = MINDL_ERR_MISSING;
		goto out;
	}
	r = MINDL_ERR_READER_EXT;
	if (X509_get_ext_by_OBJ(x, obj, at) >= 0) {
		mindl_log_debug("%s: extension repeated", __func__);
		goto out;
	}
	os = X509_EXTENSION_get_data(X509_get_ext(x, at));
	p = ASN1_STRING_get0_data(os);
	/* Exactly the SEQUENCE: OpenSSL leaves p after what it read. */
	if ((seq = d2i_ASN1_SEQUENCE_ANY(NULL, &p,
	    ASN1_STRING_length(os))) == NULL ||
	    p != ASN1_STRING_get0_data(os) + ASN1_STRING_length(os) ||
	    sk_ASN1_TYPE_num(seq) < 1 ||
	    sk_ASN1_TYPE_num(seq) > MINDL_READER_MAX_PROFILES) {
		mindl_log_debug("%s: not a SEQUENCE of 1 to %d", __func__,
		    MINDL_READER_MAX_PROFILES);
		goto out;
	}
	for (i = 0; i < (size_t)sk_ASN1_TYPE_num(seq); i++) {
		t = sk_ASN1_TYPE_value(seq, (int)i);
		if (ASN1_TYPE_get(t) != V_ASN1_UTF8STRING ||
		    !profile_id_ok(ASN1_STRING_get0_data(t->value.utf8string),
		    ASN1_STRING_length(t->value.utf8string))) {
			mindl_log_debug("%s: entry %zu not a profile id",
			    __func__, i);
			goto out;
		}
		memcpy(ids[i], ASN1_STRING_get0_data(t->value.utf8string),
		    (size_t)ASN1_STRING_length(t->value.utf8string));
		ids[i][ASN1_STRING_length(t->value.utf8string)] = '\0';
		for (j = 0; j < i; j++)
			if (strcmp(ids[i], ids[j]) == 0) {
				mindl_log_debug("%s: %s twice", __func__,
				    ids[i]);
				goto out;
			}
	}
	*n = i;
	r = MINDL_OK;
out:
	if (r != MINDL_OK)
		*n = 0;
	sk_ASN1_TYPE_pop_free(seq, ASN1_TYPE_free);
	ASN1_OBJECT_free(obj);
	X509_free(x);
	return r;
}
