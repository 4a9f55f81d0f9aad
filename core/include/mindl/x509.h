/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: X.509 certificates per ISO/IEC 18013-5 Annex B (adapter on
 * OpenSSL; core/src/x509.c, x509_make.c, pem.c).
 *
 * A key ceremony makes IACA and document-signer (DS) certificates with
 * exactly the Annex B profile; verifiers and audits read a certificate's
 * validity, key and key id.  A DS certificate from an x5chain is checked
 * against a trust store of IACA roots (mindl/trust.h).
 */
#ifndef MINDL_X509_H
#define MINDL_X509_H

#include <stddef.h>
#include <stdint.h>

#include "key.h"

/* Annex B: a DS certificate is valid for at most 457 days. */
#define MINDL_DS_MAX_DAYS	457
#define MINDL_MAX_CERT_LEN	8192
/*
 * A status-list signer certificate: mindl-keys makes them for at most
 * MINDL_STATUS_SIGNER_MAX_DAYS (as a DS); a verifier accepts those of
 * other issuers for up to MINDL_STATUS_SIGNER_MAX_VALIDITY days, the
 * limit of ISO/IEC 18013-5 2nd edition Table B.9 (MSO revocation list
 * signer).
 */
#define MINDL_STATUS_SIGNER_MAX_DAYS	457
#define MINDL_STATUS_SIGNER_MAX_VALIDITY 1187

struct mindl_iaca_params {
	const char *country;	/* ISO 3166-1 alpha-2, e.g. "US" */
	const char *state;	/* e.g. "IL"; stateOrProvinceName "US-IL" */
	const char *name;	/* commonName */
	const char *issuer_alt;	/* issuerAltName URI or e-mail; NULL: none */
	int64_t not_before;	/* seconds since the epoch, UTC */
	int days;		/* validity */
};

struct mindl_ds_params {
	const char *name;	/* commonName; NULL: derived from the IACA */
	int64_t not_before;
	int days;		/* 1 .. MINDL_DS_MAX_DAYS */
};

/*
 * Self-signed IACA root: CA:TRUE pathlen 0 and keyUsage keyCertSign|cRLSign,
 * both critical; SKI; issuerAltName; C and ST from params; a random
 * positive 20-byte serial.  Returns DER in *der (free with free()).
 */
int mindl_x509_make_iaca(const struct mindl_key *key,
    const struct mindl_iaca_params *p, uint8_t **der, size_t *derlen);
/*
 * DS certificate for ds_pub signed by the IACA: keyUsage digitalSignature
 * critical, EKU 1.0.18013.5.1.2, AKI = IACA SKI, SKI, issuerAltName, C and
 * ST copied from the IACA.
 */
int mindl_x509_make_ds(const struct mindl_key *iaca_key,
    const uint8_t *iaca_der, size_t iaca_len, const struct mindl_key *ds_pub,
    const struct mindl_ds_params *p, uint8_t **der, size_t *derlen);

/*
 * Status-list signer certificate for pub signed by the IACA (keys for
 * Token Status Lists, mindl/status.h): keyUsage digitalSignature
 * critical, AKI = IACA SKI, SKI, issuerAltName, C and ST copied from the
 * IACA, no basicConstraints (not a CA), and no extendedKeyUsage: the
 * Token Status List draft's id-kp-oauthStatusSigning OID is still "TBD",
 * ISO 18013-5 Table B.9 makes the EKU optional, and the DS EKU would let
 * the key sign MSOs (verifiers refuse a list signed under it).  p as for
 * a DS (days 1 .. MINDL_STATUS_SIGNER_MAX_DAYS; name NULL: the IACA's CN
 * + " status signer").
 */
int mindl_x509_make_status_signer(const struct mindl_key *iaca_key,
    const uint8_t *iaca_der, size_t iaca_len, const struct mindl_key *pub,
    const struct mindl_ds_params *p, uint8_t **der, size_t *derlen);

/*
 * Reader authentication (ISO/IEC 18013-5 Annex B, 9.1.4): a verifier's
 * certificate under the DMV's reader CA (a root of the IACA profile,
 * mindl_x509_make_iaca), keyUsage digitalSignature, EKU 1.0.18013.5.1.6,
 * CN the verifier's name, C and ST the CA's, and the verifier profiles it
 * may request in a non-critical extension MINDL_X509_OID_READER_PROFILES:
 * the DER of SEQUENCE SIZE (1..MINDL_READER_MAX_PROFILES) OF UTF8String,
 * each a profile id of 1 to 63 characters [a-z0-9-], no id twice.  The
 * OID is under the UUID arc 2.25 (ITU-T X.667), which needs no
 * registration; it is mindl's own, not part of ISO 18013-5.  Validity is
 * short by policy: at most MINDL_READER_MAX_DAYS.
 */
#define MINDL_READER_MAX_DAYS		365
#define MINDL_READER_MAX_PROFILES	16
#define MINDL_READER_PROFILE_LEN	64	/* with the NUL */
#define MINDL_X509_OID_MDL_READER	"1.0.18013.5.1.6"
#define MINDL_X509_OID_READER_PROFILES \
	"2.25.256942022426772322938156655424109185414"

struct mindl_reader_params {
	const char		*name;		/* the verifier; CN */
	const char *const	*profiles;	/* profile ids */
	size_t			 nprofiles;
	int64_t			 not_before;
	int			 days;		/* 1 .. MINDL_READER_MAX_DAYS */
};

int mindl_x509_make_reader(const struct mindl_key *ca_key,
    const uint8_t *ca_der, size_t ca_len, const struct mindl_key *pub,
    const struct mindl_reader_params *p, uint8_t **der, size_t *derlen);

/*
 * The profile ids of a reader certificate's extension, into ids (n of
 * them).  MINDL_ERR_MISSING when it has none (another issuer's reader
 * certificate, as Annex D's: it authorises no mindl profile),
 * MINDL_ERR_READER_EXT when it is malformed or repeated.
 */
int mindl_x509_reader_profiles(const uint8_t *der, size_t len,
    char ids[MINDL_READER_MAX_PROFILES][MINDL_READER_PROFILE_LEN],
    size_t *n);

/* PEM certificate files: read the first certificate, write one (0644). */
int mindl_x509_read_pem(const char *path, uint8_t **der, size_t *derlen);
int mindl_x509_write_pem(const char *path, const uint8_t *der, size_t len);
/*
 * Calls fn with the DER of each certificate of a PEM file, in order,
 * stopping at the first error fn returns; *count (if not NULL) is the
 * number of certificates read.  A block that is not a certificate, or
 * a file with none, is MINDL_ERR_X509.
 */
int mindl_x509_pem_each(const char *path, int (*fn)(void *, const uint8_t *,
    size_t), void *arg, size_t *count);
/* notBefore and notAfter of a certificate, seconds since the epoch. */
int mindl_x509_validity(const uint8_t *der, size_t len, int64_t *not_before,
    int64_t *not_after);
/* The certificate's public key. */
int mindl_x509_pubkey(const uint8_t *der, size_t len, struct mindl_key **out);

/*
 * Key id of a certificate for audit reports: lowercase hex of the SHA-256
 * of its SubjectPublicKeyInfo, first 8 bytes (17 bytes with NUL).
 */
int mindl_x509_key_id(const uint8_t *der, size_t len, char out[17]);
/*
 * The names a person reads, from one parse: the subject's C, ST and CN
 * and the issuer's CN (a DS certificate's: its IACA's).  Each comes with
 * its own result: MINDL_OK, MINDL_ERR_MISSING when absent, MINDL_ERR_X509
 * when repeated, holding a NUL or too long (and then empty).  The text
 * came from a certificate: escape it before it reaches a terminal.
 */
struct mindl_x509_names {
	char	c[8], st[64], cn[256], issuer_cn[256];
	int	c_err, st_err, cn_err, issuer_cn_err;
};
int mindl_x509_names(const uint8_t *der, size_t len,
    struct mindl_x509_names *nm);
/*
 * Whether the certificate names this place: its C is country and its ST,
 * if it has one, is jurisdiction ("US-IL", or "IL" under C US); else
 * MINDL_ERR_POLICY.  Issuance uses it so that a desk configured for one
 * state cannot sign with another state's document signer.
 */
int mindl_x509_place_is(const uint8_t *der, size_t len, const char *country,
    const char *jurisdiction);
/* The same on names already read (mindl_x509_names). */
int mindl_x509_names_place_is(const struct mindl_x509_names *nm,
    const char *country, const char *jurisdiction);

/*
 * Deviations from Annex B that real IACA roots carry and that a verifier
 * may be told to tolerate for one root (docs/DESIGN.md, "Trust store"):
 * no pathLenConstraint; a stateOrProvinceName not in ISO 3166-2 form
 * ("AK" for "US-AK"); no issuerAltName.  Anything else Annex B asks of
 * a root (a critical CA:TRUE basicConstraints with no pathlen above 0,
 * a critical keyUsage with keyCertSign and cRLSign, an SKI, a two-letter
 * countryName) is never tolerated.
 */
#define MINDL_DEV_NO_PATHLEN	0x01u	/* "no-pathlen" */
#define MINDL_DEV_ST_FORM	0x02u	/* "st-not-iso3166-2" */
#define MINDL_DEV_NO_IAN	0x04u	/* "no-issuer-alt-name" */
#define MINDL_DEV_ALL		0x07u

/* The name of one deviation bit; NULL for anything else. */
const char *mindl_x509_deviation_name(unsigned bit);
/*
 * A comma-separated list of deviation names into bits;
 * MINDL_ERR_DEVIATION for a name not in the list.  "" is no deviation.
 */
int mindl_x509_deviation_parse(const char *list, unsigned *out);
/*
 * Checks a root certificate (DER) against Annex B: MINDL_OK with the
 * deviations it carries in *dev (0: none), MINDL_ERR_CERT_PROFILE for a
 * fault that is never tolerated, MINDL_ERR_X509 if unparsable.
 */
int mindl_x509_iaca_check(const uint8_t *der, size_t len, unsigned *dev);

#endif /* MINDL_X509_H */
