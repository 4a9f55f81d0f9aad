/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: PEM certificate files (see mindl/x509.h).
 *
 * Certificates are kept exactly as encoded: a PEM block's bytes are
 * taken as the DER, never decoded and re-encoded, so that what is trusted
 * or compared is what the file holds.  The reader is shared with the
 * trust store's bundle loader (trust.c), and the writer of PEM text to a
 * new file with the key files (keyfile_ossl.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "mindl/err.h"
#include "mindl/file.h"
#include "mindl/x509.h"
#include "internal.h"

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
	int r = MINDL_ERR_INTERNAL;

	if (path == NULL || der == NULL) {
		r = MINDL_ERR_INVALID_ARG;
		goto fail;
	}
	/* Never write something that is not a certificate. */
	if ((r = mindl_x509_parse_der(der, len, &x)) != MINDL_OK)
		goto fail;
	if ((bio = BIO_new(BIO_s_mem())) == NULL ||
	    PEM_write_bio(bio, PEM_STRING_X509, "", der, (long)len) <= 0) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = mindl_pem_write_new(path, bio, 0)) != MINDL_OK)
		goto fail;
	r = MINDL_OK;
fail:
	BIO_free(bio);
	X509_free(x);
	return r;
}

int
mindl_pem_write_new(const char *path, BIO *mem, int flags)
{
	char *data = NULL;
	long n;

	if ((n = BIO_get_mem_data(mem, &data)) <= 0 || data == NULL) {
		mindl_log_ossl(__func__);
		return MINDL_ERR_INTERNAL;
	}
	/*
	 * "-" means stdout to mindl_file_write; here it is a file name, as
	 * it always was for key and certificate files: a key is never
	 * printed by mistake.
	 */
	if (strcmp(path, "-") == 0)
		path = "./-";
	return mindl_file_write(path, (const uint8_t *)data, (size_t)n,
	    MINDL_FILE_EXCL | flags);
}

int
mindl_x509_pem_each(const char *path, int (*fn)(void *, const uint8_t *,
    size_t), void *arg, size_t *count)
{
	uint8_t *file = NULL, *d = NULL;
	size_t filelen = 0, dlen = 0, n = 0;
	BIO *bio = NULL;
	X509 *x = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (count != NULL)
		*count = 0;
	if (path == NULL || fn == NULL) {
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
	for (;;) {
		/* Strict, as for trust anchors: only CERTIFICATE blocks. */
		if ((r = mindl_x509_pem_next(bio, 0, &d, &dlen)) != MINDL_OK)
			goto fail;
		if (d == NULL)
			break;
		if ((r = mindl_x509_parse_der(d, dlen, &x)) != MINDL_OK)
			goto fail;
		X509_free(x);
		x = NULL;
		n++;
		if (count != NULL)
			*count = n;
		if ((r = fn(arg, d, dlen)) != MINDL_OK)
			goto fail;
		free(d);
		d = NULL;
	}
	if (n == 0) {
		mindl_log_debug("%s: %s: no certificate", __func__, path);
		r = MINDL_ERR_X509;
		goto fail;
	}
	r = MINDL_OK;
fail:
	X509_free(x);
	BIO_free(bio);
	free(d);
	free(file);
	return r;
}
