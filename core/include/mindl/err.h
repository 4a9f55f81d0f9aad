/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: one error enum for the whole library.
 *
 * Numbers are stable forever: a retired code becomes MINDL_ERR_OBSOLETEnn
 * and its number is never reused.  Ranges:
 *   -1 .. -99    generic and system
 *   -100 .. -199 parsing (CBOR, COSE, structure)
 *   -200 .. -299 cryptography
 *   -300 .. -399 policy (trust, validity, privacy rules)
 * mindl_errname() returns the stable identifier used by tests, --json and
 * the negative corpus; mindl_strerr() a sentence for people.
 */
#ifndef MINDL_ERR_H
#define MINDL_ERR_H

enum mindl_err {
	MINDL_OK = 0,

	/* generic and system */
	MINDL_ERR_INTERNAL = -1,	/* a bug: should not happen */
	MINDL_ERR_NOMEM = -2,		/* allocation failed */
	MINDL_ERR_INVALID_ARG = -3,	/* caller passed bad arguments */
	MINDL_ERR_IO = -4,		/* read or write failed */
	MINDL_ERR_EXISTS = -5,		/* refusing to overwrite a file */
	MINDL_ERR_PASSPHRASE = -6,	/* passphrase missing or wrong */
	MINDL_ERR_CONFIG = -7,		/* schema, policy or profile invalid */
	MINDL_ERR_UNSUPPORTED = -8,	/* valid but not supported here */
	MINDL_ERR_TOO_LARGE = -9,	/* input over a size cap */
	MINDL_ERR_NO_FILE = -10,	/* no such file or directory */
	MINDL_ERR_ACCESS = -11,		/* permission denied */
	MINDL_ERR_DATABASE = -12,	/* database failure (SQLite) */
	MINDL_ERR_REGISTRY = -13,	/* not a registry, or not its secret */
	MINDL_ERR_FIDO = -14,		/* authenticator failure (libfido2) */

	/* parsing */
	MINDL_ERR_CBOR = -100,		/* malformed CBOR */
	MINDL_ERR_CBOR_TRAILING = -101,	/* bytes after the top-level item */
	MINDL_ERR_CBOR_DUPKEY = -102,	/* duplicate map key */
	MINDL_ERR_CBOR_INDEFINITE = -103, /* indefinite-length item */
	MINDL_ERR_CBOR_DEPTH = -104,	/* nesting over MINDL_MAX_DEPTH */
	MINDL_ERR_CBOR_LIMIT = -105,	/* item count or length over a cap */
	MINDL_ERR_CBOR_TYPE = -106,	/* item of an unexpected type */
	MINDL_ERR_CBOR_TAG = -107,	/* missing or unexpected tag */
	MINDL_ERR_MISSING = -108,	/* required field absent */
	MINDL_ERR_COSE_HEADER = -109,	/* malformed COSE header */
	MINDL_ERR_COSE_CRIT = -110,	/* unknown critical COSE header */
	MINDL_ERR_COSE_ALG = -111,	/* algorithm missing or not allowed */
	MINDL_ERR_COSE_KEY = -112,	/* malformed or unsupported COSE_Key */
	MINDL_ERR_DATE = -113,		/* malformed tdate or full-date */
	MINDL_ERR_VERSION = -114,	/* unsupported structure version */
	MINDL_ERR_JSON = -115,		/* malformed JSON */
	MINDL_ERR_X509 = -116,		/* malformed certificate */
	MINDL_ERR_X5CHAIN = -117,	/* x5chain header missing or bad */
	MINDL_ERR_DOCTYPE = -118,	/* docType not the expected one */
	MINDL_ERR_DIGEST_ID = -119,	/* digestID absent from the MSO */
	MINDL_ERR_DIGEST_ID_DUP = -120,	/* digestID disclosed twice */
	MINDL_ERR_NO_DOCUMENT = -121,	/* response holds no document */
	MINDL_ERR_RESPONSE_STATUS = -122, /* DeviceResponse status not 0 */
	MINDL_ERR_VALUE_TYPE = -123,	/* value not of its element's type */
	MINDL_ERR_STATUS_LIST = -124,	/* malformed status list token */
	MINDL_ERR_QR = -125,		/* malformed QR text (prefix, base45) */
	MINDL_ERR_QR_NOT_FOUND = -126,	/* no QR code in the image */
	MINDL_ERR_FIDO_AUTHDATA = -127,	/* authData malformed or of bad size */
	MINDL_ERR_READER_EXT = -130,	/* reader cert's profiles extension bad */
	MINDL_ERR_AGE_REQUESTS = -131,	/* over two age_over_NN requested */
	MINDL_ERR_ENGAGEMENT = -132,	/* malformed DeviceEngagement file */
	MINDL_ERR_VICAL = -135,		/* malformed VICAL (Annex C) */
	MINDL_ERR_VICAL_ENTRY = -136,	/* VICAL entry differs from its cert */

	/* cryptography */
	MINDL_ERR_CRYPTO = -200,	/* crypto library failure */
	MINDL_ERR_SIGNATURE = -201,	/* issuer signature does not verify */
	MINDL_ERR_DIGEST = -202,	/* element digest does not match */
	MINDL_ERR_DEVICE_AUTH = -203,	/* device signature or MAC invalid */
	MINDL_ERR_KEY = -204,		/* key unusable or wrong type */
	MINDL_ERR_KEY_MISMATCH = -205,	/* alg header does not fit the key */
	MINDL_ERR_NOT_DEVICE_KEY = -206, /* not the credential's device key */
	MINDL_ERR_OTHER_REQUEST = -207, /* answers another request */
	MINDL_ERR_RENEWAL_PROOF = -208,	/* no proof of an old device key */
	MINDL_ERR_FIDO_RPID = -209,	/* assertion for another rpId */
	MINDL_ERR_FIDO_PRESENCE = -210,	/* user presence (or verification) not set */
	MINDL_ERR_READER_AUTH = -213,	/* readerAuth fails over this session */
	MINDL_ERR_VICAL_SIGNER = -217,	/* VICAL signer not under the anchor */

	/* policy */
	MINDL_ERR_UNTRUSTED = -300,	/* DS does not chain to a trusted IACA */
	MINDL_ERR_CERT_PROFILE = -301,	/* certificate breaks Annex B */
	MINDL_ERR_CERT_EXPIRED = -302,	/* certificate outside its validity */
	MINDL_ERR_EXPIRED = -303,	/* MSO validUntil has passed */
	MINDL_ERR_NOT_YET_VALID = -304,	/* MSO validFrom is in the future */
	MINDL_ERR_FORBIDDEN_ELEMENT = -305, /* lawful-status proxy refused */
	MINDL_ERR_UNKNOWN_ELEMENT = -306, /* element not in the schema */
	MINDL_ERR_POLICY = -307,	/* record breaks issuance policy */
	MINDL_ERR_PROFILE = -308,	/* unknown or unusable profile */
	MINDL_ERR_IACA_IN_CHAIN = -309,	/* IACA placed in x5chain */
	MINDL_ERR_REVOKED = -310,	/* status list says revoked */
	MINDL_ERR_SIGNED_OUTSIDE_DS = -311, /* MSO signed outside DS validity */
	MINDL_ERR_SIGNED_LATER = -312,	/* MSO signed after verification time */
	MINDL_ERR_PORTRAIT = -313,	/* portrait not a plain JFIF JPEG */
	MINDL_ERR_FORBIDDEN_VALUE = -314, /* value names a status proxy */
	MINDL_ERR_PURPOSE_NOT_MET = -315, /* valid, but the answer is no */
	MINDL_ERR_SPENT = -316,		/* every single-use copy was shown */
	MINDL_ERR_STATUS_EXPIRED = -317, /* status list past its exp */
	MINDL_ERR_STATUS_UNKNOWN = -318, /* no current list for the credential */
	MINDL_ERR_LICENCE_EXPIRED = -319, /* licence past its expiry_date */
	MINDL_ERR_CHALLENGE = -320,	/* renewal challenge unknown or used */
	MINDL_ERR_NOT_ISSUED_HERE = -321, /* not signed by this DMV's keys */
	MINDL_ERR_LIST_FULL = -322,	/* no free status index is left */
	MINDL_ERR_UNKNOWN_LICENCE = -323, /* no licence with that number */
	MINDL_ERR_UNKNOWN_OFFICER = -324, /* no desk officer with that id */
	MINDL_ERR_OFFICER_REQUIRED = -325, /* an enrolled officer must approve */
	MINDL_ERR_NOT_KEY_BOUND = -326,	/* code not bound to a security key */
	MINDL_ERR_LAST_OFFICER = -327,	/* the last officer cannot be removed */
	MINDL_ERR_READER_NOT_AUTHORISED = -330, /* profile not in reader cert */
	MINDL_ERR_READER_REQUIRED = -331, /* unsigned request, policy refuses */
	MINDL_ERR_RETAIN_REFUSED = -332, /* intent_to_retain not allowed */
	MINDL_ERR_DECLINED = -333,	/* the holder said no */
	MINDL_ERR_JURISDICTION = -340,	/* credential's place not its signer's */
	MINDL_ERR_DEVIATION = -341,	/* root deviates from Annex B, not allowed */
};

/* Stable identifier, e.g. "MINDL_ERR_DIGEST"; never NULL. */
const char *mindl_errname(int err);
/* Human-readable sentence; never NULL. */
const char *mindl_strerr(int err);
/*
 * The command-line exit status for an error (DESIGN.md section 5), shared
 * by every tool: 0 success; 1 invalid credential, refused input or failed
 * verification; 2 usage or configuration error; 3 runtime error (I/O,
 * memory, crypto library).
 */
int mindl_err_exitcode(int err);

#endif /* MINDL_ERR_H */
