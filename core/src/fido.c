/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the libfido2 adapter (see mindl/fido.h): opening an
 * authenticator, makeCredential at the desk, getAssertion for a
 * presentation.  libfido2's int results are FIDO_OK or FIDO_ERR_*; each
 * is logged with fido_strerr and converted here, and nothing of libfido2
 * escapes this file but the fido_dev_t an opener hands in.
 */
#include <stdlib.h>
#include <string.h>

#include <fido.h>
#include <fido/es256.h>

#include "mindl/cbor.h"
#include "mindl/devauth.h"
#include "mindl/err.h"
#include "mindl/fido.h"
#include "mindl/key.h"
#include "internal.h"

#define MAX_DEVICES	16
#define TIMEOUT_MS	60000	/* a touch the holder forgets ends */
/* The user entity's name: the same for everyone (rule 2), not personal. */
#define USER_NAME	"mdl-holder"

/* DeviceNameSpacesBytes for no device-signed elements: #6.24(h'a0'). */
static const uint8_t empty_dns[] = { 0xd8, 0x18, 0x41, 0xa0 };

struct mindl_fido_dev {
	fido_dev_t	*dev;
};

/* libfido2's error as mindl's, logged where it happened. */
static int
fido_err(const char *where, const char *call, int fr)
{
	mindl_log_debug("%s: %s: %s (%d)", where, call, fido_strerr(fr), fr);
	switch (fr) {
	case FIDO_ERR_OPERATION_DENIED:
	case FIDO_ERR_USER_ACTION_TIMEOUT:
	case FIDO_ERR_ACTION_TIMEOUT:
		return MINDL_ERR_FIDO_PRESENCE;
	case FIDO_ERR_PIN_INVALID:
	case FIDO_ERR_PIN_REQUIRED:
	case FIDO_ERR_PIN_NOT_SET:
	case FIDO_ERR_PIN_AUTH_BLOCKED:
	case FIDO_ERR_PIN_BLOCKED:
	case FIDO_ERR_PIN_POLICY_VIOLATION:
		return MINDL_ERR_PASSPHRASE;
	case FIDO_ERR_NO_CREDENTIALS:
		return MINDL_ERR_NOT_DEVICE_KEY;
	default:
		return MINDL_ERR_FIDO;
	}
}

static int
dev_wrap(fido_dev_t *fd, struct mindl_fido_dev **out)
{
	struct mindl_fido_dev *d;

	if ((d = mindl_calloc(1, sizeof(*d))) == NULL) {
		fido_dev_close(fd);
		fido_dev_free(&fd);
		return MINDL_ERR_NOMEM;
	}
	d->dev = fd;
	*out = d;
	return MINDL_OK;
}

int
mindl_fido_dev_open(const char *path, struct mindl_fido_dev **out)
{
	fido_dev_info_t *list = NULL;
	const fido_dev_info_t *di = NULL;
	fido_dev_t *fd = NULL;
	size_t n = 0, i;
	int fr, r = MINDL_ERR_FIDO;

	*out = NULL;
	fido_init(0);
	if ((list = fido_dev_info_new(MAX_DEVICES)) == NULL)
		return MINDL_ERR_NOMEM;
	if ((fr = fido_dev_info_manifest(list, MAX_DEVICES, &n)) != FIDO_OK) {
		r = fido_err(__func__, "fido_dev_info_manifest", fr);
		goto fail;
	}
	for (i = 0; i < n && di == NULL; i++) {
		const fido_dev_info_t *c = fido_dev_info_ptr(list, i);
		const char *p = fido_dev_info_path(c);

		if (path == NULL || (p != NULL && strcmp(p, path) == 0))
			di = c;
	}
	if (di == NULL) {
		mindl_log_debug("%s: %zu authenticators, none %s", __func__, n,
		    path == NULL ? "at all" : "at that path");
		r = MINDL_ERR_FIDO;
		goto fail;
	}
	if ((fd = fido_dev_new_with_info(di)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if ((fr = fido_dev_open_with_info(fd)) != FIDO_OK) {
		r = fido_err(__func__, "fido_dev_open_with_info", fr);
		fido_dev_free(&fd);
		goto fail;
	}
	(void)fido_dev_set_timeout(fd, TIMEOUT_MS);
	r = dev_wrap(fd, out);
 fail:
	fido_dev_info_free(&list, MAX_DEVICES);
	return r;
}

int
mindl_fido_dev_open_with(mindl_fido_open_fn fn, void *arg,
    struct mindl_fido_dev **out)
{
	struct fido_dev *fd = NULL;
	int r;

	*out = NULL;
	if (fn == NULL)
		return MINDL_ERR_INVALID_ARG;
	fido_init(0);
	if ((r = fn(arg, &fd)) != MINDL_OK)
		return r;
	if (NEVER(fd == NULL))
		return MINDL_ERR_FIDO;
	return dev_wrap(fd, out);
}

void
mindl_fido_dev_free(struct mindl_fido_dev **devp)
{
	struct mindl_fido_dev *d;

	if (devp == NULL || (d = *devp) == NULL)
		return;
	(void)fido_dev_close(d->dev);
	fido_dev_free(&d->dev);
	free(d);
	*devp = NULL;
}

void
mindl_fido_cred_clear(struct mindl_fido_cred *c)
{
	if (c == NULL)
		return;
	free(c->id);
	mindl_key_free(&c->pub);
	memset(c, 0, sizeof(*c));
}

static int
check_rpid(const char *rpid)
{
	size_t n;

	if (rpid == NULL || (n = strlen(rpid)) == 0 ||
	    n > MINDL_FIDO_MAX_RPID)
		return MINDL_ERR_INVALID_ARG;
	return MINDL_OK;
}

/*
 * The attestation over the credential: packed self attestation is
 * verified with the credential's own key, x5c attestation with its
 * certificate's key (the chain and AAGUID are not judged, fido.h); either
 * way libfido2 also checks the rpIdHash and clientDataHash.
 */
static int
check_attestation(fido_cred_t *cred)
{
	const char *fmt = fido_cred_fmt(cred);
	int fr;

	if (fmt == NULL || strcmp(fmt, "none") == 0) {
		mindl_log_debug("%s: attestation format %s", __func__,
		    fmt == NULL ? "(none given)" : fmt);
		return MINDL_ERR_FIDO;
	}
	if (fido_cred_x5c_ptr(cred) != NULL)
		fr = fido_cred_verify(cred);
	else
		fr = fido_cred_verify_self(cred);
	if (fr != FIDO_OK)
		return fido_err(__func__, "attestation", fr);
	return MINDL_OK;
}

int
mindl_fido_enroll(struct mindl_fido_dev *dev, const char *rpid,
    const uint8_t *user_id, size_t user_idlen, const char *pin,
    struct mindl_fido_cred *out)
{
	fido_cred_t *cred = NULL;
	struct mindl_key *pub = NULL;
	uint8_t cdh[MINDL_SHA256_LEN], uid[MINDL_FIDO_USER_ID_LEN];
	const uint8_t *pk, *id;
	uint8_t *idcopy = NULL;
	size_t idlen;
	uint8_t flags;
	int fr, r = MINDL_ERR_INTERNAL;

	memset(out, 0, sizeof(*out));
	if (dev == NULL || (r = check_rpid(rpid)) != MINDL_OK ||
	    (user_id == NULL && user_idlen != 0) || user_idlen > 64)
		return MINDL_ERR_INVALID_ARG;
	if (user_id == NULL) {
		if ((r = mindl_random(uid, sizeof(uid))) != MINDL_OK)
			return r;
		user_id = uid;
		user_idlen = sizeof(uid);
	}
	/* The desk's own challenge: fresh, so the attestation is too. */
	if ((r = mindl_random(cdh, sizeof(cdh))) != MINDL_OK)
		return r;
	if ((cred = fido_cred_new()) == NULL)
		return MINDL_ERR_NOMEM;
	if ((fr = fido_cred_set_type(cred, COSE_ES256)) != FIDO_OK ||
	    (fr = fido_cred_set_clientdata_hash(cred, cdh, sizeof(cdh))) !=
	    FIDO_OK ||
	    (fr = fido_cred_set_rp(cred, rpid, NULL)) != FIDO_OK ||
	    (fr = fido_cred_set_user(cred, user_id, user_idlen, USER_NAME,
	    NULL, NULL)) != FIDO_OK ||
	    (fr = fido_cred_set_rk(cred, FIDO_OPT_FALSE)) != FIDO_OK) {
		r = fido_err(__func__, "fido_cred_set", fr);
		goto fail;
	}
	if ((fr = fido_dev_make_cred(dev->dev, cred, pin)) != FIDO_OK) {
		r = fido_err(__func__, "fido_dev_make_cred", fr);
		goto fail;
	}
	flags = fido_cred_flags(cred);
	if ((flags & MINDL_FIDO_UP) == 0) {
		mindl_log_debug("%s: flags 0x%02x: no UP", __func__, flags);
		r = MINDL_ERR_FIDO_PRESENCE;
		goto fail;
	}
	if (flags & (MINDL_FIDO_BE | MINDL_FIDO_BS)) {
		mindl_log_debug("%s: flags 0x%02x: a synced credential",
		    __func__, flags);
		r = MINDL_ERR_FIDO_AUTHDATA;
		goto fail;
	}
	if ((r = check_attestation(cred)) != MINDL_OK)
		goto fail;
	if (fido_cred_type(cred) != COSE_ES256 ||
	    fido_cred_pubkey_len(cred) != 2 * 32 ||
	    (pk = fido_cred_pubkey_ptr(cred)) == NULL) {
		mindl_log_debug("%s: not an ES256 key", __func__);
		r = MINDL_ERR_KEY;
		goto fail;
	}
	if ((r = mindl_key_from_xy(MINDL_CRV_P256, pk, 32, pk + 32, 32,
	    &pub)) != MINDL_OK)
		goto fail;
	idlen = fido_cred_id_len(cred);
	if ((id = fido_cred_id_ptr(cred)) == NULL || idlen == 0 ||
	    idlen > MINDL_FIDO_MAX_CRED_ID) {
		mindl_log_debug("%s: credential id of %zu bytes", __func__,
		    idlen);
		r = MINDL_ERR_FIDO;
		goto fail;
	}
	if ((idcopy = mindl_malloc(idlen)) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	memcpy(idcopy, id, idlen);
	out->id = idcopy;
	out->idlen = idlen;
	out->pub = pub;
	idcopy = NULL;
	pub = NULL;
	r = MINDL_OK;
 fail:
	free(idcopy);
	mindl_key_free(&pub);
	fido_cred_free(&cred);
	mindl_wipe(uid, sizeof(uid));
	return r;
}

/*
 * libfido2 before 1.14 hands authData out as it was received: the CBOR
 * byte string (fido_assert_authdata_raw_ptr came later).  The bstr
 * content is the authData that was signed; anything else is refused.
 */
static int
unwrap_authdata(const uint8_t *p, size_t n, uint8_t *out, size_t *outlen)
{
	struct mindl_cbor *doc = NULL;
	const struct mindl_cbor_item *b;
	int r = MINDL_OK;

	if (p == NULL || n == 0)
		return MINDL_ERR_FIDO_AUTHDATA;
	if ((r = mindl_cbor_decode(p, n, &doc)) != MINDL_OK)
		return r == MINDL_ERR_NOMEM ? r : MINDL_ERR_FIDO_AUTHDATA;
	b = mindl_cbor_root(doc);
	if (b->type != MINDL_CBOR_BSTR || b->len > MINDL_FIDO_MAX_AUTHDATA)
		r = MINDL_ERR_FIDO_AUTHDATA;
	else {
		memcpy(out, b->ptr, b->len);
		*outlen = b->len;
	}
	mindl_cbor_free(&doc);
	return r;
}

int
mindl_fido_assert(const struct mindl_fido_signer *s, const uint8_t *da_bytes,
    size_t dalen, struct mindl_fido_assertion *out)
{
	fido_assert_t *a = NULL;
	uint8_t cdh[MINDL_SHA256_LEN];
	const uint8_t *sig;
	size_t siglen;
	int fr, r = MINDL_ERR_INTERNAL;

	memset(out, 0, sizeof(*out));
	if (s == NULL || s->dev == NULL || da_bytes == NULL ||
	    check_rpid(s->rpid) != MINDL_OK || s->cred_id == NULL ||
	    s->cred_idlen == 0 || s->cred_idlen > MINDL_FIDO_MAX_CRED_ID)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_sha256(da_bytes, dalen, cdh)) != MINDL_OK)
		return r;
	if ((a = fido_assert_new()) == NULL)
		return MINDL_ERR_NOMEM;
	/*
	 * up = true explicitly.  UV: a PIN yields it (pinUvAuthParam, and
	 * then the uv option stays unsent, CTAP 2.1 6.2.2); without one,
	 * asked of the key's built-in verification when required.
	 */
	if ((fr = fido_assert_set_clientdata_hash(a, cdh, sizeof(cdh))) !=
	    FIDO_OK ||
	    (fr = fido_assert_set_rp(a, s->rpid)) != FIDO_OK ||
	    (fr = fido_assert_allow_cred(a, s->cred_id, s->cred_idlen)) !=
	    FIDO_OK ||
	    (fr = fido_assert_set_up(a, FIDO_OPT_TRUE)) != FIDO_OK ||
	    (fr = fido_assert_set_uv(a, s->require_uv && s->pin == NULL ?
	    FIDO_OPT_TRUE : FIDO_OPT_OMIT)) != FIDO_OK) {
		r = fido_err(__func__, "fido_assert_set", fr);
		goto fail;
	}
	if ((fr = fido_dev_get_assert(s->dev->dev, a, s->pin)) != FIDO_OK) {
		r = fido_err(__func__, "fido_dev_get_assert", fr);
		/* A key with no way to verify its user cannot meet the policy. */
		if (fr == FIDO_ERR_UNSUPPORTED_OPTION && s->require_uv &&
		    s->pin == NULL)
			r = MINDL_ERR_FIDO_PRESENCE;
		goto fail;
	}
	if (fido_assert_count(a) != 1) {
		mindl_log_debug("%s: %zu assertions", __func__,
		    fido_assert_count(a));
		r = MINDL_ERR_FIDO;
		goto fail;
	}
	if ((r = unwrap_authdata(fido_assert_authdata_ptr(a, 0),
	    fido_assert_authdata_len(a, 0), out->authdata,
	    &out->authdatalen)) != MINDL_OK) {
		mindl_log_debug("%s: authData: %s", __func__,
		    mindl_errname(r));
		goto fail;
	}
	sig = fido_assert_sig_ptr(a, 0);
	siglen = fido_assert_sig_len(a, 0);
	if (sig == NULL || (r = mindl_ecdsa_der_to_raw(sig, siglen, 32,
	    out->sig)) != MINDL_OK) {
		mindl_log_debug("%s: not a DER ES256 signature", __func__);
		r = MINDL_ERR_FIDO;
		goto fail;
	}
	out->siglen = MINDL_FIDO_SIG_LEN;
	r = MINDL_OK;
 fail:
	if (r != MINDL_OK)
		memset(out, 0, sizeof(*out));
	fido_assert_free(&a);
	return r;
}

/*
 * DeviceSigned with the FIDO2 extension (mindl/devauth.h), written here
 * rather than in devauth.c, so that verification (devauth.c,
 * fido_verify.c) links without libfido2.
 */
int
mindl_device_signed_write_fido2(struct mindl_enc *e,
    const struct mindl_fido_signer *s, const char *doctype,
    const uint8_t *st, size_t stlen)
{
	struct mindl_fido_assertion *a = NULL;
	uint8_t *dab = NULL;
	size_t dablen = 0;
	int r;

	if ((a = mindl_calloc(1, sizeof(*a))) == NULL)
		return MINDL_ERR_NOMEM;
	if ((r = mindl_devauth_bytes(st, stlen, doctype, strlen(doctype),
	    empty_dns, sizeof(empty_dns), &dab, &dablen)) != MINDL_OK ||
	    (r = mindl_fido_assert(s, dab, dablen, a)) != MINDL_OK)
		goto out;
	mindl_enc_map(e, 2);
	mindl_enc_tstr(e, "nameSpaces");
	mindl_enc_raw(e, empty_dns, sizeof(empty_dns));
	mindl_enc_tstr(e, "deviceAuth");
	mindl_enc_map(e, 1);
	mindl_enc_tstr(e, MINDL_DEVAUTH_FIDO2_KEY);
	mindl_enc_map(e, 2);
	mindl_enc_tstr(e, "authData");
	mindl_enc_bstr(e, a->authdata, a->authdatalen);
	mindl_enc_tstr(e, "sig");
	mindl_enc_bstr(e, a->sig, a->siglen);
	r = e->err;
 out:
	free(dab);
	free(a);
	return r;
}
