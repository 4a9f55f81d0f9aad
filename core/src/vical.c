/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: VICALs (ISO/IEC 18013-5 Annex C), see mindl/vical.h.
 *
 * The signature is checked before the payload is read, over the bytes
 * received; the list is read with the strict CBOR reader.  The x5chain
 * is checked with OpenSSL against the one pinned anchor, and every
 * certificate the list carries must be the one OpenSSL put at its place
 * in the chain: a chain that verifies while one of its copies was
 * altered (a root copy OpenSSL would skip for the trusted one) is still
 * refused, so no byte of the file goes unchecked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mindl/cbor.h"
#include "mindl/cose.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/key.h"
#include "mindl/trust.h"
#include "mindl/vical.h"
#include "mindl/x509.h"
#include "internal.h"

#define PROVIDER_MAX	128

/* DER contents of 1.0.18013.5.1.8. */
static const uint8_t oid_vical_signer[] = { 0x28, 0x81, 0x8c, 0x5d, 0x05,
    0x01, 0x08 };

struct mindl_vical {
	struct mindl_cbor	*doc;		/* the COSE_Sign1 */
	struct mindl_cbor	*list;		/* its payload */
	struct mindl_cose_msg	 m;
	char			 provider[PROVIDER_MAX];
	int64_t			 date;
	uint64_t		 issue_id;
	int			 has_issue_id;
	struct mindl_vical_entry *e;
	size_t			 n;
};

void
mindl_vical_free(struct mindl_vical **vp)
{
	struct mindl_vical *v;

	if (vp == NULL || (v = *vp) == NULL)
		return;
	*vp = NULL;
	mindl_cose_clear(&v->m);
	mindl_cbor_free(&v->list);
	mindl_cbor_free(&v->doc);
	free(v->e);
	free(v);
}

/*
 * Whether map key k names `name': exactly, or with its first letter a
 * capital (one producer writes "Extensions", "CertificateProfile").
 */
static int
key_is(const struct mindl_cbor_item *k, const char *name)
{
	size_t n = strlen(name);

	if (k->type != MINDL_CBOR_TSTR || k->len != n || n == 0)
		return 0;
	if (k->ptr[0] != (uint8_t)name[0] &&
	    !(name[0] >= 'a' && name[0] <= 'z' &&
	    k->ptr[0] == (uint8_t)(name[0] - 'a' + 'A')))
		return 0;
	return memcmp(k->ptr + 1, name + 1, n - 1) == 0;
}

/*
 * Gathers a map's values by known key names into vals (NULL if absent);
 * an unknown key, or a name given twice in two spellings, is
 * MINDL_ERR_VICAL.
 */
static int
map_fields(const struct mindl_cbor_item *map, const char *const *names,
    size_t nnames, const struct mindl_cbor_item **vals)
{
	struct mindl_cbor_iter it;
	const struct mindl_cbor_item *k, *v;
	size_t i;

	for (i = 0; i < nnames; i++)
		vals[i] = NULL;
	if (mindl_cbor_iter_init(&it, map, MINDL_CBOR_MAP) != MINDL_OK)
		return MINDL_ERR_VICAL;
	while (mindl_cbor_iter_pair(&it, &k, &v)) {
		for (i = 0; i < nnames; i++)
			if (key_is(k, names[i]))
				break;
		if (i == nnames || vals[i] != NULL) {
			mindl_log_debug("%s: unknown or repeated key", __func__);
			return MINDL_ERR_VICAL;
		}
		vals[i] = v;
	}
	return MINDL_OK;
}

/* A tdate (tag 0 over text) into *t. */
static int
tdate(const struct mindl_cbor_item *it, int64_t *t)
{
	const struct mindl_cbor_item *s;

	if (it == NULL || (s = mindl_cbor_untag(it, 0)) == NULL ||
	    s->type != MINDL_CBOR_TSTR)
		return MINDL_ERR_VICAL;
	return mindl_tdate_parse((const char *)s->ptr, s->len, t) == MINDL_OK ?
	    MINDL_OK : MINDL_ERR_VICAL;
}

/* Printable ASCII only: docTypes and the provider are shown to people. */
static int
printable(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return 0;
	return 1;
}

/* The entry's serialNumber (biguint, tag 2) against the certificate's. */
static int
serial_matches(X509 *x, const struct mindl_cbor_item *sn)
{
	const struct mindl_cbor_item *b;
	uint8_t mine[64];
	BIGNUM *bn;
	int n;
	const uint8_t *p;
	size_t len;

	if ((b = mindl_cbor_untag(sn, 2)) == NULL || b->type != MINDL_CBOR_BSTR)
		return MINDL_ERR_VICAL;
	if ((bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL)) ==
	    NULL) {
		mindl_log_ossl(__func__);
		return MINDL_ERR_CRYPTO;
	}
	n = BN_is_negative(bn) || BN_num_bytes(bn) > (int)sizeof(mine) ? -1 :
	    BN_bn2bin(bn, mine);
	BN_free(bn);
	if (n < 0)
		return MINDL_ERR_VICAL_ENTRY;
	/* A biguint has no leading zeros, but a DER INTEGER may: tolerated. */
	p = b->ptr;
	len = b->len;
	while (len > 0 && p[0] == 0) {
		p++;
		len--;
	}
	return len == (size_t)n && memcmp(p, mine, len) == 0 ? MINDL_OK :
	    MINDL_ERR_VICAL_ENTRY;
}

/*
 * The entry's ski: the key id, or the key id inside one or two DER OCTET
 * STRINGs (AAMVA's list carries the extension's whole extnValue, an
 * OCTET STRING around the KeyIdentifier OCTET STRING).
 */
static int
ski_matches(X509 *x, const struct mindl_cbor_item *ski)
{
	const ASN1_OCTET_STRING *id = X509_get0_subject_key_id(x);
	const uint8_t *p, *q;
	size_t n, len;
	int layer;

	if (ski == NULL || ski->type != MINDL_CBOR_BSTR)
		return MINDL_ERR_VICAL;
	if (id == NULL)
		return MINDL_ERR_VICAL_ENTRY;
	p = ASN1_STRING_get0_data(id);
	n = (size_t)ASN1_STRING_length(id);
	q = ski->ptr;
	len = ski->len;
	for (layer = 0; layer <= 2; layer++) {
		if (len == n && memcmp(q, p, n) == 0)
			return MINDL_OK;
		/* Short-form lengths only: a key id is at most 127 bytes. */
		if (len < 2 || q[0] != 0x04 || q[1] >= 0x80 ||
		    (size_t)q[1] != len - 2)
			break;
		q += 2;
		len -= 2;
	}
	return MINDL_ERR_VICAL_ENTRY;
}

/* An optional bstr that must be the DER of a certificate's name. */
static int
name_matches(const X509_NAME *nm, const struct mindl_cbor_item *it)
{
	unsigned char *der = NULL;
	int n, ok;

	if (it == NULL)
		return MINDL_OK;
	if (it->type != MINDL_CBOR_BSTR)
		return MINDL_ERR_VICAL;
	if ((n = i2d_X509_NAME(nm, &der)) <= 0) {
		mindl_log_ossl(__func__);
		return MINDL_ERR_CRYPTO;
	}
	ok = (size_t)n == it->len && memcmp(der, it->ptr, it->len) == 0;
	OPENSSL_free(der);
	return ok ? MINDL_OK : MINDL_ERR_VICAL_ENTRY;
}

/* An optional tstr that must be the certificate's subject entry nid. */
static int
text_matches(X509 *x, int nid, const struct mindl_cbor_item *it)
{
	const ASN1_STRING *s;
	int count;

	if (it == NULL)
		return MINDL_OK;
	if (it->type != MINDL_CBOR_TSTR)
		return MINDL_ERR_VICAL;
	/* One producer writes "" for a certificate without the entry. */
	s = mindl_x509_name_value(X509_get_subject_name(x), nid, &count);
	if (s == NULL && count == 0 && it->len == 0)
		return MINDL_OK;
	if (s == NULL || (size_t)ASN1_STRING_length(s) != it->len ||
	    memcmp(ASN1_STRING_get0_data(s), it->ptr, it->len) != 0)
		return MINDL_ERR_VICAL_ENTRY;
	return MINDL_OK;
}

/*
 * An optional tdate, read for its form only: the certificate's own
 * validity is what counts, and a real list gives some of them on a
 * 12-hour clock (06:20:55 for a certificate's 18:20:55).
 */
static int
time_form(const struct mindl_cbor_item *it)
{
	int64_t t;

	return it == NULL ? MINDL_OK : tdate(it, &t);
}

enum {
	E_CERT, E_SERIAL, E_SKI, E_DOCTYPE, E_PROFILE, E_AUTHORITY,
	E_COUNTRY, E_ST, E_ISSUER, E_SUBJECT, E_NB, E_NA, E_EXT, E_N
};
static const char *const entry_keys[E_N] = {
	"certificate", "serialNumber", "ski", "docType",
	"certificateProfile", "issuingAuthority", "issuingCountry",
	"stateOrProvinceName", "issuer", "subject", "notBefore", "notAfter",
	"extensions",
};

/* The docType array into e->doctypes. */
static int
entry_doctypes(const struct mindl_cbor_item *dt, struct mindl_vical_entry *e)
{
	struct mindl_cbor_iter it;
	const struct mindl_cbor_item *s;
	size_t off = 0;

	if (mindl_cbor_iter_init(&it, dt, MINDL_CBOR_ARRAY) != MINDL_OK ||
	    dt->u == 0)
		return MINDL_ERR_VICAL;
	while ((s = mindl_cbor_iter_next(&it)) != NULL) {
		if (s->type != MINDL_CBOR_TSTR || s->len == 0 ||
		    !printable(s->ptr, s->len) || memchr(s->ptr, ',',
		    s->len) != NULL)
			return MINDL_ERR_VICAL;
		if (off + s->len + 2 > sizeof(e->doctypes))
			return MINDL_ERR_VICAL;
		if (off > 0)
			e->doctypes[off++] = ',';
		memcpy(e->doctypes + off, s->ptr, s->len);
		off += s->len;
	}
	e->doctypes[off] = '\0';
	return MINDL_OK;
}

/* Optional values that need only their type. */
static int
entry_types(const struct mindl_cbor_item **f)
{
	struct mindl_cbor_iter it;
	const struct mindl_cbor_item *s;

	if (f[E_AUTHORITY] != NULL && f[E_AUTHORITY]->type != MINDL_CBOR_TSTR)
		return MINDL_ERR_VICAL;
	if (f[E_EXT] != NULL && f[E_EXT]->type != MINDL_CBOR_MAP)
		return MINDL_ERR_VICAL;
	if (f[E_PROFILE] != NULL) {
		if (mindl_cbor_iter_init(&it, f[E_PROFILE],
		    MINDL_CBOR_ARRAY) != MINDL_OK)
			return MINDL_ERR_VICAL;
		while ((s = mindl_cbor_iter_next(&it)) != NULL)
			if (s->type != MINDL_CBOR_TSTR)
				return MINDL_ERR_VICAL;
	}
	return MINDL_OK;
}

/* One CertificateInfo. */
static int
entry_parse(const struct mindl_cbor_item *ci, struct mindl_vical_entry *e)
{
	const struct mindl_cbor_item *f[E_N];
	X509 *x = NULL;
	int64_t nb, na;
	int r;

	if ((r = map_fields(ci, entry_keys, E_N, f)) != MINDL_OK)
		return r;
	if (f[E_CERT] == NULL || f[E_SERIAL] == NULL || f[E_SKI] == NULL ||
	    f[E_DOCTYPE] == NULL || f[E_CERT]->type != MINDL_CBOR_BSTR) {
		mindl_log_debug("%s: certificate, serialNumber, ski or "
		    "docType missing", __func__);
		return MINDL_ERR_VICAL;
	}
	if ((r = entry_doctypes(f[E_DOCTYPE], e)) != MINDL_OK ||
	    (r = entry_types(f)) != MINDL_OK)
		return r;
	e->der = f[E_CERT]->ptr;
	e->len = f[E_CERT]->len;
	if ((r = mindl_x509_parse_der(e->der, e->len, &x)) != MINDL_OK ||
	    (r = mindl_x509_times(x, &nb, &na)) != MINDL_OK)
		goto out;
	if ((r = serial_matches(x, f[E_SERIAL])) != MINDL_OK ||
	    (r = ski_matches(x, f[E_SKI])) != MINDL_OK ||
	    (r = text_matches(x, NID_countryName, f[E_COUNTRY])) != MINDL_OK ||
	    (r = text_matches(x, NID_stateOrProvinceName, f[E_ST])) !=
	    MINDL_OK ||
	    (r = name_matches(X509_get_issuer_name(x), f[E_ISSUER])) !=
	    MINDL_OK ||
	    (r = name_matches(X509_get_subject_name(x), f[E_SUBJECT])) !=
	    MINDL_OK ||
	    (r = time_form(f[E_NB])) != MINDL_OK ||
	    (r = time_form(f[E_NA])) != MINDL_OK) {
		mindl_log_debug("%s: entry differs from its certificate",
		    __func__);
		goto out;
	}
	/* A root of a list must be self-signed; Annex B is judged apart. */
	if (X509_self_signed(x, 1) != 1) {
		mindl_log_ossl(__func__);
		e->profile = MINDL_ERR_CERT_PROFILE;
	} else
		e->profile = mindl_x509_iaca_deviations(x, &e->dev);
	r = MINDL_OK;
out:
	X509_free(x);
	return r;
}

enum {
	V_VERSION, V_PROVIDER, V_DATE, V_ISSUE, V_NEXT, V_INFOS, V_EXT, V_N
};
static const char *const list_keys[V_N] = {
	"version", "vicalProvider", "date", "vicalIssueID", "nextUpdate",
	"certificateInfos", "extensions",
};

/* The payload: the VICAL map. */
static int
list_parse(struct mindl_vical *v)
{
	const struct mindl_cbor_item *f[V_N], *ci;
	struct mindl_cbor_iter it;
	int64_t t;
	size_t i;
	int r;

	if (v->m.payload == NULL) {
		mindl_log_debug("%s: detached payload", __func__);
		return MINDL_ERR_VICAL;
	}
	if ((r = mindl_cbor_decode(v->m.payload, v->m.payloadlen,
	    &v->list)) != MINDL_OK)
		return r;
	if ((r = map_fields(mindl_cbor_root(v->list), list_keys, V_N, f)) !=
	    MINDL_OK)
		return r;
	if (!mindl_cbor_is_str(f[V_VERSION], "1.0")) {
		mindl_log_debug("%s: version", __func__);
		return f[V_VERSION] == NULL ? MINDL_ERR_VICAL :
		    MINDL_ERR_VERSION;
	}
	if (f[V_PROVIDER] == NULL || f[V_PROVIDER]->type != MINDL_CBOR_TSTR ||
	    f[V_PROVIDER]->len == 0 || f[V_PROVIDER]->len >= PROVIDER_MAX ||
	    !printable(f[V_PROVIDER]->ptr, f[V_PROVIDER]->len))
		return MINDL_ERR_VICAL;
	memcpy(v->provider, f[V_PROVIDER]->ptr, f[V_PROVIDER]->len);
	v->provider[f[V_PROVIDER]->len] = '\0';
	if ((r = tdate(f[V_DATE], &v->date)) != MINDL_OK)
		return r;
	if (f[V_NEXT] != NULL && (r = tdate(f[V_NEXT], &t)) != MINDL_OK)
		return r;
	if (f[V_ISSUE] != NULL) {
		if (f[V_ISSUE]->type != MINDL_CBOR_UINT)
			return MINDL_ERR_VICAL;
		v->issue_id = f[V_ISSUE]->u;
		v->has_issue_id = 1;
	}
	if (f[V_EXT] != NULL && f[V_EXT]->type != MINDL_CBOR_MAP)
		return MINDL_ERR_VICAL;
	if (mindl_cbor_iter_init(&it, f[V_INFOS], MINDL_CBOR_ARRAY) !=
	    MINDL_OK || f[V_INFOS]->u > MINDL_MAX_TRUST)
		return MINDL_ERR_VICAL;
	if (f[V_INFOS]->u > 0 && (v->e = mindl_calloc((size_t)f[V_INFOS]->u,
	    sizeof(*v->e))) == NULL)
		return MINDL_ERR_NOMEM;
	for (i = 0; (ci = mindl_cbor_iter_next(&it)) != NULL; i++) {
		if ((r = entry_parse(ci, &v->e[i])) != MINDL_OK) {
			mindl_log_debug("%s: certificateInfos[%zu]", __func__,
			    i);
			return r;
		}
		v->n++;
	}
	return MINDL_OK;
}

/* The outer COSE_Sign1. */
static int
outer_parse(const uint8_t *buf, size_t len, struct mindl_vical **out)
{
	struct mindl_vical *v;
	int r;

	*out = NULL;
	if (buf == NULL || len == 0 || len > MINDL_VICAL_MAX_FILE)
		return buf == NULL ? MINDL_ERR_INVALID_ARG : MINDL_ERR_VICAL;
	if ((v = mindl_calloc(1, sizeof(*v))) == NULL)
		return MINDL_ERR_NOMEM;
	if ((r = mindl_cbor_decode(buf, len, &v->doc)) != MINDL_OK ||
	    (r = mindl_cose_parse(mindl_cbor_root(v->doc), &v->m)) !=
	    MINDL_OK) {
		mindl_vical_free(&v);
		return r;
	}
	if (v->m.nx5 == 0) {
		mindl_vical_free(&v);
		return MINDL_ERR_X5CHAIN;
	}
	*out = v;
	return MINDL_OK;
}

/* 1 if the leaf's EKU lists id-mdl-kp-VICALSigner. */
static int
vical_eku(X509 *x)
{
	EXTENDED_KEY_USAGE *eku;
	const ASN1_OBJECT *obj;
	int crit = -1, i, found = 0;

	if ((eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit,
	    NULL)) == NULL) {
		mindl_log_ossl(__func__);
		return 0;
	}
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		obj = sk_ASN1_OBJECT_value(eku, i);
		if (OBJ_length(obj) == sizeof(oid_vical_signer) &&
		    memcmp(OBJ_get0_data(obj), oid_vical_signer,
		    sizeof(oid_vical_signer)) == 0)
			found = 1;
	}
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return found;
}

/* 1 if x's DER is exactly p[0..n). */
static int
same_der(X509 *x, const uint8_t *p, size_t n)
{
	unsigned char *der = NULL;
	int len, same;

	if ((len = i2d_X509(x, &der)) <= 0) {
		mindl_log_ossl(__func__);
		return 0;
	}
	same = (size_t)len == n && memcmp(der, p, n) == 0;
	OPENSSL_free(der);
	return same;
}

/*
 * The x5chain to the anchor at `at', then the signature.  Time faults
 * are told apart from the rest: a list that was good when it was signed
 * and is read too late is a different problem from a forged one.
 */
static int
signer_check(const struct mindl_vical *v, const uint8_t *anchor,
    size_t anchorlen, int64_t at)
{
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;
	STACK_OF(X509) *untrusted = NULL, *chain;
	X509 *root = NULL, *leaf = NULL, *c = NULL;
	struct mindl_key *k = NULL;
	size_t i;
	int err, r = MINDL_ERR_INTERNAL;

	if ((int64_t)(time_t)at != at)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_x509_parse_der(anchor, anchorlen, &root)) != MINDL_OK ||
	    (r = mindl_x509_parse_der(v->m.x5[0], v->m.x5len[0], &leaf)) !=
	    MINDL_OK)
		goto out;
	if ((store = X509_STORE_new()) == NULL ||
	    (untrusted = sk_X509_new_null()) == NULL ||
	    X509_STORE_add_cert(store, root) != 1) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	for (i = 1; i < v->m.nx5; i++) {
		if ((r = mindl_x509_parse_der(v->m.x5[i], v->m.x5len[i],
		    &c)) != MINDL_OK)
			goto out;
		if (sk_X509_push(untrusted, c) <= 0) {
			r = MINDL_ERR_NOMEM;
			goto out;
		}
		c = NULL;
	}
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto out;
	}
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)at);
	if (X509_verify_cert(ctx) != 1) {
		err = X509_STORE_CTX_get_error(ctx);
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: %s", __func__,
		    X509_verify_cert_error_string(err));
		r = err == X509_V_ERR_CERT_HAS_EXPIRED ||
		    err == X509_V_ERR_CERT_NOT_YET_VALID ?
		    MINDL_ERR_CERT_EXPIRED : MINDL_ERR_VICAL_SIGNER;
		goto out;
	}
	chain = X509_STORE_CTX_get0_chain(ctx);
	/* Every certificate sent is the one the chain holds at its place. */
	if (chain == NULL || (size_t)sk_X509_num(chain) < v->m.nx5) {
		r = MINDL_ERR_VICAL_SIGNER;
		goto out;
	}
	for (i = 0; i < v->m.nx5; i++)
		if (!same_der(sk_X509_value(chain, (int)i), v->m.x5[i],
		    v->m.x5len[i])) {
			mindl_log_debug("%s: x5chain[%zu] not in the chain",
			    __func__, i);
			r = MINDL_ERR_VICAL_SIGNER;
			goto out;
		}
	if (!vical_eku(leaf)) {
		mindl_log_debug("%s: signer lacks EKU %s", __func__,
		    MINDL_VICAL_SIGNER_EKU);
		r = MINDL_ERR_VICAL_SIGNER;
		goto out;
	}
	if ((r = mindl_x509_cert_pubkey(leaf, &k)) != MINDL_OK ||
	    (r = mindl_cose_sign1_verify(&v->m, k, NULL, 0)) != MINDL_OK)
		goto out;
	r = MINDL_OK;
out:
	mindl_key_free(&k);
	X509_STORE_CTX_free(ctx);
	sk_X509_pop_free(untrusted, X509_free);
	X509_STORE_free(store);
	X509_free(c);
	X509_free(leaf);
	X509_free(root);
	return r;
}

int
mindl_vical_open(const uint8_t *buf, size_t len, const uint8_t *anchor,
    size_t anchorlen, int64_t at, struct mindl_vical **out)
{
	struct mindl_vical *v = NULL;
	int r;

	if (out == NULL || anchor == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if ((r = outer_parse(buf, len, &v)) != MINDL_OK ||
	    (r = signer_check(v, anchor, anchorlen, at)) != MINDL_OK ||
	    (r = list_parse(v)) != MINDL_OK) {
		mindl_vical_free(&v);
		return r;
	}
	*out = v;
	return MINDL_OK;
}

int
mindl_vical_parse(const uint8_t *buf, size_t len, struct mindl_vical **out)
{
	struct mindl_vical *v = NULL;
	int r;

	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if ((r = outer_parse(buf, len, &v)) != MINDL_OK ||
	    (r = list_parse(v)) != MINDL_OK) {
		mindl_vical_free(&v);
		return r;
	}
	*out = v;
	return MINDL_OK;
}

const char *
mindl_vical_provider(const struct mindl_vical *v)
{
	return v == NULL ? "" : v->provider;
}

int64_t
mindl_vical_date(const struct mindl_vical *v)
{
	return v == NULL ? 0 : v->date;
}

int
mindl_vical_issue_id(const struct mindl_vical *v, uint64_t *id)
{
	if (v == NULL || !v->has_issue_id)
		return 0;
	if (id != NULL)
		*id = v->issue_id;
	return 1;
}

size_t
mindl_vical_count(const struct mindl_vical *v)
{
	return v == NULL ? 0 : v->n;
}

const struct mindl_vical_entry *
mindl_vical_at(const struct mindl_vical *v, size_t i)
{
	return v == NULL || i >= v->n ? NULL : &v->e[i];
}
