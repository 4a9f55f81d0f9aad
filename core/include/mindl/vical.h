/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: VICALs, ISO/IEC 18013-5 Annex C trust lists (core/src/vical.c).
 *
 * A VICAL is a COSE_Sign1 (untagged or tag 18) whose x5chain leads from a
 * VICAL signer (EKU 1.0.18013.5.1.8) to the list provider's root, and
 * whose payload lists the IACA roots of member issuers with the docTypes
 * each may sign.  mindl_vical_open checks the signature chain to a
 * pinned anchor at a given time before it reads the list; every listed
 * certificate must agree with its entry.
 *
 * Producers differ, and these differences are tolerated (each seen in a
 * real list): x5chain as one bstr or an array; map keys with a capital
 * first letter ("Extensions", "CertificateProfile"); ski as the raw key
 * id or wrapped in a DER OCTET STRING; serialNumber with the leading
 * zero byte of its DER INTEGER.  Nothing else is: an unknown key, a value
 * of another type, an entry that contradicts its certificate refuses the
 * whole list.
 */
#ifndef MINDL_VICAL_H
#define MINDL_VICAL_H

#include <stddef.h>
#include <stdint.h>

#include "date.h"

/* DER contents of OID 1.0.18013.5.1.8 (id-mdl-kp-VICALSigner). */
#define MINDL_VICAL_SIGNER_EKU	"1.0.18013.5.1.8"
#define MINDL_VICAL_MAX_FILE	(4u * 1024 * 1024)
#define MINDL_VICAL_DOCTYPES	256	/* docTypes of one entry, joined */

struct mindl_vical_entry {
	const uint8_t	*der;		/* the certificate (borrowed) */
	size_t		 len;
	/*
	 * Its docTypes, joined by ","; each is outside text (printable
	 * ASCII is checked, but escape it for a terminal anyway).
	 */
	char		 doctypes[MINDL_VICAL_DOCTYPES];
	/*
	 * The certificate against Annex B: MINDL_OK with its tolerable
	 * deviations in dev (mindl/x509.h), or why it cannot be a root
	 * (MINDL_ERR_CERT_PROFILE).  The list itself is still good.
	 */
	int		 profile;
	unsigned	 dev;
};

struct mindl_vical;

/*
 * Parses buf (which must outlive the result), verifies it and reads its
 * list: the COSE_Sign1 with ES256/384/512, its x5chain leaf first, each
 * certificate byte-identical to the one OpenSSL's chain to anchor (DER)
 * holds at its place, the leaf with EKU 1.0.18013.5.1.8, all valid at
 * `at' (seconds since the epoch); then the payload.
 * Errors: MINDL_ERR_VICAL and the CBOR/COSE errors (malformed),
 * MINDL_ERR_X5CHAIN, MINDL_ERR_VICAL_SIGNER (not under the anchor, or
 * not a VICAL signer), MINDL_ERR_CERT_EXPIRED (outside validity at
 * `at'), MINDL_ERR_SIGNATURE, MINDL_ERR_VICAL_ENTRY (an entry differs
 * from its certificate), MINDL_ERR_X509.
 */
int mindl_vical_open(const uint8_t *buf, size_t len, const uint8_t *anchor,
    size_t anchorlen, int64_t at, struct mindl_vical **out);
/*
 * The same without any signature check: for fuzzing and for showing a
 * list's contents, never for trusting it.
 */
int mindl_vical_parse(const uint8_t *buf, size_t len,
    struct mindl_vical **out);
void mindl_vical_free(struct mindl_vical **vp);

/* The provider (outside text: escape it), its date and vicalIssueID. */
const char *mindl_vical_provider(const struct mindl_vical *v);
int64_t mindl_vical_date(const struct mindl_vical *v);
/* 0 if the list carries no vicalIssueID, else 1 with *id. */
int mindl_vical_issue_id(const struct mindl_vical *v, uint64_t *id);
size_t mindl_vical_count(const struct mindl_vical *v);
const struct mindl_vical_entry *mindl_vical_at(const struct mindl_vical *v,
    size_t i);

#endif /* MINDL_VICAL_H */
