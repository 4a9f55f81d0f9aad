/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the verifier's side of FIDO2 device authentication (see
 * mindl/fido.h).  No libfido2 here: a verifier needs none, and the
 * checks libfido2's fido_assert_verify makes only on request (user
 * presence is not checked when left at FIDO_OPT_OMIT) are made here
 * every time.
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/cbor.h"
#include "mindl/err.h"
#include "mindl/fido.h"
#include "mindl/key.h"
#include "internal.h"

#define RPID_HASH	0	/* offsets in authData (WebAuthn 6.1) */
#define FLAGS		32

/*
 * The authenticator's extension outputs after the fixed part when ED is
 * set (WebAuthn 6.1): exactly one CBOR map, nothing after it.  They are
 * signed by the authenticator, so only their form is judged.
 */
static int
check_extensions(const uint8_t *p, size_t n)
{
	struct mindl_cbor *doc = NULL;
	int r;

	if (n == 0)
		return MINDL_ERR_FIDO_AUTHDATA;
	if ((r = mindl_cbor_decode(p, n, &doc)) != MINDL_OK) {
		mindl_log_debug("%s: extensions: %s", __func__,
		    mindl_errname(r));
		return r == MINDL_ERR_NOMEM ? r : MINDL_ERR_FIDO_AUTHDATA;
	}
	r = mindl_cbor_root(doc)->type == MINDL_CBOR_MAP ? MINDL_OK :
	    MINDL_ERR_FIDO_AUTHDATA;
	mindl_cbor_free(&doc);
	return r;
}

int
mindl_fido_verify(const uint8_t *authdata, size_t alen, const uint8_t *sig,
    size_t slen, const char *rpid, const uint8_t *da_bytes, size_t dalen,
    const struct mindl_key *key, int require_uv)
{
	uint8_t msg[MINDL_FIDO_MAX_AUTHDATA + MINDL_SHA256_LEN];
	uint8_t h[MINDL_SHA256_LEN];
	uint8_t flags;
	size_t rplen;
	int r;

	if (authdata == NULL || rpid == NULL || da_bytes == NULL ||
	    key == NULL || (sig == NULL && slen != 0))
		return MINDL_ERR_INVALID_ARG;
	if ((rplen = strlen(rpid)) == 0 || rplen > MINDL_FIDO_MAX_RPID)
		return MINDL_ERR_INVALID_ARG;
	if (mindl_key_curve(key) != MINDL_CRV_P256) {
		mindl_log_debug("%s: device key not P-256", __func__);
		return MINDL_ERR_KEY;
	}
	if (alen < MINDL_FIDO_AUTHDATA_LEN || alen > MINDL_FIDO_MAX_AUTHDATA) {
		mindl_log_debug("%s: authData of %zu bytes", __func__, alen);
		return MINDL_ERR_FIDO_AUTHDATA;
	}
	flags = authdata[FLAGS];
	if (flags & (MINDL_FIDO_AT | MINDL_FIDO_BE | MINDL_FIDO_BS |
	    MINDL_FIDO_RFU)) {
		mindl_log_debug("%s: flags 0x%02x", __func__, flags);
		return MINDL_ERR_FIDO_AUTHDATA;
	}
	if ((flags & MINDL_FIDO_ED) == 0 && alen != MINDL_FIDO_AUTHDATA_LEN) {
		mindl_log_debug("%s: %zu bytes after authData", __func__,
		    alen - MINDL_FIDO_AUTHDATA_LEN);
		return MINDL_ERR_FIDO_AUTHDATA;
	}
	if ((flags & MINDL_FIDO_ED) != 0 && (r = check_extensions(authdata +
	    MINDL_FIDO_AUTHDATA_LEN, alen - MINDL_FIDO_AUTHDATA_LEN)) !=
	    MINDL_OK)
		return r;
	if ((r = mindl_sha256((const uint8_t *)rpid, rplen, h)) != MINDL_OK)
		return r;
	if (!mindl_ct_eq(authdata + RPID_HASH, h, sizeof(h))) {
		mindl_log_debug("%s: rpIdHash is not SHA-256(\"%s\")",
		    __func__, rpid);
		return MINDL_ERR_FIDO_RPID;
	}
	if ((flags & MINDL_FIDO_UP) == 0 ||
	    (require_uv && (flags & MINDL_FIDO_UV) == 0)) {
		mindl_log_debug("%s: flags 0x%02x: %s", __func__, flags,
		    (flags & MINDL_FIDO_UP) == 0 ? "no UP" : "no UV");
		return MINDL_ERR_FIDO_PRESENCE;
	}
	if (slen != MINDL_FIDO_SIG_LEN) {
		mindl_log_debug("%s: signature of %zu bytes", __func__, slen);
		return MINDL_ERR_DEVICE_AUTH;
	}
	/*
	 * The authenticator signs authData || clientDataHash (WebAuthn
	 * 6.3.3 step 11); clientDataHash is ours: SHA-256 of the
	 * DeviceAuthenticationBytes this verifier recomputed.
	 */
	memcpy(msg, authdata, alen);
	if ((r = mindl_sha256(da_bytes, dalen, msg + alen)) != MINDL_OK)
		return r;
	r = mindl_ecdsa_verify(key, msg, alen + MINDL_SHA256_LEN, sig, slen);
	if (r == MINDL_ERR_SIGNATURE)
		r = MINDL_ERR_DEVICE_AUTH;
	if (r != MINDL_OK)
		mindl_log_debug("%s: signature: %s", __func__,
		    mindl_errname(r));
	return r;
}
