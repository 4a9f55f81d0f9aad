/* SPDX-License-Identifier: BSD-2-Clause */
/* mindl: error names and messages (see mindl/err.h). */
#include <stddef.h>

#include "mindl/err.h"

struct errdesc {
	int		 code;
	const char	*name;
	const char	*text;
};

#define E(c, t)	{ c, #c, t }
static const struct errdesc errtab[] = {
	E(MINDL_OK, "success"),
	E(MINDL_ERR_INTERNAL, "internal error"),
	E(MINDL_ERR_NOMEM, "out of memory"),
	E(MINDL_ERR_INVALID_ARG, "invalid argument"),
	E(MINDL_ERR_IO, "input/output error"),
	E(MINDL_ERR_EXISTS, "file exists; refusing to overwrite"),
	E(MINDL_ERR_PASSPHRASE, "passphrase missing or wrong"),
	E(MINDL_ERR_CONFIG, "invalid schema, policy or profile"),
	E(MINDL_ERR_UNSUPPORTED, "unsupported"),
	E(MINDL_ERR_TOO_LARGE, "input too large"),
	E(MINDL_ERR_NO_FILE, "no such file (check the name and the directory)"),
	E(MINDL_ERR_ACCESS, "permission denied (check the file's owner and mode)"),
	E(MINDL_ERR_DATABASE, "database failure"),
	E(MINDL_ERR_REGISTRY,
	    "not a mindl registry, or not its secret (check --registry and "
	    "--registry-secret)"),
	E(MINDL_ERR_FIDO, "security key failure (check it is plugged in)"),
	E(MINDL_ERR_CBOR, "malformed CBOR"),
	E(MINDL_ERR_CBOR_TRAILING, "trailing bytes after CBOR item"),
	E(MINDL_ERR_CBOR_DUPKEY, "duplicate CBOR map key"),
	E(MINDL_ERR_CBOR_INDEFINITE, "indefinite-length CBOR item"),
	E(MINDL_ERR_CBOR_DEPTH, "CBOR nesting too deep"),
	E(MINDL_ERR_CBOR_LIMIT, "CBOR item count or length over limit"),
	E(MINDL_ERR_CBOR_TYPE, "unexpected CBOR type"),
	E(MINDL_ERR_CBOR_TAG, "missing or unexpected CBOR tag"),
	E(MINDL_ERR_MISSING, "required field missing"),
	E(MINDL_ERR_COSE_HEADER, "malformed COSE header"),
	E(MINDL_ERR_COSE_CRIT, "unknown critical COSE header"),
	E(MINDL_ERR_COSE_ALG, "COSE algorithm missing or not allowed"),
	E(MINDL_ERR_COSE_KEY, "malformed or unsupported COSE_Key"),
	E(MINDL_ERR_DATE, "malformed date"),
	E(MINDL_ERR_VERSION, "unsupported version"),
	E(MINDL_ERR_JSON, "malformed JSON"),
	E(MINDL_ERR_X509, "malformed certificate"),
	E(MINDL_ERR_X5CHAIN, "x5chain missing or malformed"),
	E(MINDL_ERR_DOCTYPE, "unexpected docType"),
	E(MINDL_ERR_DIGEST_ID, "digestID not in the MSO"),
	E(MINDL_ERR_DIGEST_ID_DUP, "digestID disclosed twice"),
	E(MINDL_ERR_NO_DOCUMENT, "no document in response"),
	E(MINDL_ERR_VALUE_TYPE,
	    "disclosed value of the wrong type for its element"),
	E(MINDL_ERR_RESPONSE_STATUS, "response status is not OK"),
	E(MINDL_ERR_STATUS_LIST, "malformed status list token"),
	E(MINDL_ERR_QR, "not a mindl QR code (prefix, base45 or size)"),
	E(MINDL_ERR_QR_NOT_FOUND, "no QR code found in the image"),
	E(MINDL_ERR_FIDO_AUTHDATA,
	    "security key's authenticator data malformed"),
	E(MINDL_ERR_VICAL, "malformed VICAL (ISO 18013-5 Annex C trust list)"),
	E(MINDL_ERR_VICAL_ENTRY,
	    "VICAL entry does not match the certificate it lists"),
	E(MINDL_ERR_CRYPTO, "cryptographic library failure"),
	E(MINDL_ERR_SIGNATURE, "issuer signature invalid"),
	E(MINDL_ERR_DIGEST, "element digest mismatch"),
	E(MINDL_ERR_DEVICE_AUTH, "device authentication failed"),
	E(MINDL_ERR_KEY, "unusable key"),
	E(MINDL_ERR_KEY_MISMATCH, "algorithm does not match the key"),
	E(MINDL_ERR_NOT_DEVICE_KEY,
	    "this device key is not the one the credential was issued to"),
	E(MINDL_ERR_OTHER_REQUEST, "the response answers another request: "
	    "ask the holder to present again to this one"),
	E(MINDL_ERR_RENEWAL_PROOF, "no valid proof of one of the old "
	    "credential's device keys"),
	E(MINDL_ERR_FIDO_RPID,
	    "security key assertion made for another relying party"),
	E(MINDL_ERR_FIDO_PRESENCE,
	    "security key assertion without user presence"),
	E(MINDL_ERR_VICAL_SIGNER, "VICAL signer does not chain to the pinned "
	    "anchor or is not a VICAL signer"),
	E(MINDL_ERR_UNTRUSTED, "signer does not chain to a trusted IACA"),
	E(MINDL_ERR_CERT_PROFILE, "certificate violates the ISO 18013-5 profile"),
	E(MINDL_ERR_CERT_EXPIRED, "certificate not valid at this time"),
	E(MINDL_ERR_EXPIRED, "credential expired"),
	E(MINDL_ERR_NOT_YET_VALID, "credential not yet valid"),
	E(MINDL_ERR_FORBIDDEN_ELEMENT, "forbidden element"),
	E(MINDL_ERR_UNKNOWN_ELEMENT, "element not in schema"),
	E(MINDL_ERR_POLICY, "refused by issuance policy"),
	E(MINDL_ERR_PROFILE, "unknown or unusable verifier profile"),
	E(MINDL_ERR_IACA_IN_CHAIN, "IACA certificate placed in x5chain"),
	E(MINDL_ERR_REVOKED, "credential revoked"),
	E(MINDL_ERR_SIGNED_OUTSIDE_DS,
	    "MSO signed outside the signer certificate's validity"),
	E(MINDL_ERR_SIGNED_LATER,
	    "MSO signed after the verification time (check the clock)"),
	E(MINDL_ERR_PORTRAIT, "portrait is not a plain JFIF JPEG"),
	E(MINDL_ERR_FORBIDDEN_VALUE,
	    "value names a lawful-status proxy"),
	E(MINDL_ERR_PURPOSE_NOT_MET,
	    "genuine, but the answer to the verifier's question is no"),
	E(MINDL_ERR_SPENT,
	    "every single-use copy of the credential was presented"),
	E(MINDL_ERR_STATUS_EXPIRED,
	    "status list past its expiry: import a newer one"),
	E(MINDL_ERR_STATUS_UNKNOWN,
	    "status unknown: no current status list covers this credential"),
	E(MINDL_ERR_LICENCE_EXPIRED, "licence past its expiry date"),
	E(MINDL_ERR_CHALLENGE,
	    "renewal challenge unknown, used or expired: ask for a new one"),
	E(MINDL_ERR_NOT_ISSUED_HERE,
	    "not issued by this DMV's keys"),
	E(MINDL_ERR_LIST_FULL, "no free status index is left in the list"),
	E(MINDL_ERR_UNKNOWN_LICENCE,
	    "no licence with that document number in the registry"),
	E(MINDL_ERR_UNKNOWN_OFFICER, "no desk officer with that id is enrolled"),
	E(MINDL_ERR_OFFICER_REQUIRED,
	    "this registry has enrolled officers: an officer's security key "
	    "must approve"),
	E(MINDL_ERR_NOT_KEY_BOUND,
	    "this code is not bound to a security key"),
	E(MINDL_ERR_LAST_OFFICER,
	    "the last enrolled officer cannot be removed: enroll another "
	    "first"),
	E(MINDL_ERR_READER_EXT,
	    "the reader certificate's profiles extension is malformed"),
	E(MINDL_ERR_AGE_REQUESTS,
	    "the request asks for more than two age_over_NN elements"),
	E(MINDL_ERR_ENGAGEMENT,
	    "not a DeviceEngagement this holder can use"),
	E(MINDL_ERR_READER_AUTH,
	    "the request's reader signature does not cover this session"),
	E(MINDL_ERR_READER_NOT_AUTHORISED,
	    "the reader certificate does not allow this profile"),
	E(MINDL_ERR_READER_REQUIRED,
	    "an unsigned request may not ask for this profile"),
	E(MINDL_ERR_RETAIN_REFUSED,
	    "the request declares it keeps an element its profile may not "
	    "keep"),
	E(MINDL_ERR_DECLINED, "the holder declined the request"),
	E(MINDL_ERR_JURISDICTION, "the credential's issuing_country or "
	    "issuing_jurisdiction is not the place its signer's certificate "
	    "names"),
	E(MINDL_ERR_DEVIATION, "root deviates from ISO 18013-5 Annex B in a "
	    "way not allowed for it"),
};
#undef E

static const struct errdesc *
lookup(int code)
{
	size_t i;

	for (i = 0; i < sizeof(errtab) / sizeof(errtab[0]); i++)
		if (errtab[i].code == code)
			return &errtab[i];
	return NULL;
}

const char *
mindl_errname(int err)
{
	const struct errdesc *d = lookup(err);

	return d != NULL ? d->name : "MINDL_ERR_UNKNOWN";
}

const char *
mindl_strerr(int err)
{
	const struct errdesc *d = lookup(err);

	return d != NULL ? d->text : "unknown error";
}

int
mindl_err_exitcode(int err)
{
	switch (err) {
	case MINDL_OK:
		return 0;
	case MINDL_ERR_INVALID_ARG:
	case MINDL_ERR_CONFIG:
	case MINDL_ERR_PASSPHRASE:
	case MINDL_ERR_EXISTS:
	case MINDL_ERR_PROFILE:
	case MINDL_ERR_REGISTRY:
	case MINDL_ERR_LIST_FULL:
		return 2;
	case MINDL_ERR_INTERNAL:
	case MINDL_ERR_NOMEM:
	case MINDL_ERR_IO:
	case MINDL_ERR_NO_FILE:
	case MINDL_ERR_ACCESS:
	case MINDL_ERR_CRYPTO:
	case MINDL_ERR_DATABASE:
	case MINDL_ERR_FIDO:
		return 3;
	case MINDL_ERR_PURPOSE_NOT_MET:
		return 4;
	default:
		return 1;
	}
}
