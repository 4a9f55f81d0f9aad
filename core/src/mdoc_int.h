/* mindl: internals shared by the mdoc source files (issue, request,
 * present, verify). */
#ifndef MINDL_MDOC_INT_H
#define MINDL_MDOC_INT_H

#include "mindl/cbor.h"
#include "mindl/key.h"
#include "mindl/mdoc.h"

/* NUL-terminated copy of a tstr item without embedded NULs, or NULL. */
char *mindl_strndup_item(const struct mindl_cbor_item *it);
/* The request's EReaderKeyBytes as received. */
void mindl_request_erk(const struct mindl_request *r, const uint8_t **p,
    size_t *len);

/*
 * DeviceAuthenticationBytes = #6.24(bstr .cbor ["DeviceAuthentication",
 * SessionTranscript, docType, DeviceNameSpacesBytes]), with the transcript
 * and the namespaces bytes embedded exactly as given.
 */
int mindl_devauth_bytes(const uint8_t *st_bytes, size_t stlen,
    const char *doctype, size_t doctypelen, const uint8_t *dns, size_t dnslen,
    uint8_t **out, size_t *outlen);
/*
 * EMacKey = HKDF-SHA256(ECDH(priv, pub), salt = SHA-256(SessionTranscript
 * Bytes), info "EMacKey"), 32 bytes (ISO 18013-5 9.1.3.5).
 */
int mindl_emac_key(const struct mindl_key *priv, const struct mindl_key *pub,
    const uint8_t *st_bytes, size_t stlen, uint8_t out[32]);

#endif /* MINDL_MDOC_INT_H */
