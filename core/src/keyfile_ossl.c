/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: PEM key files on OpenSSL 3 (see mindl/key.h).
 *
 * A key file is a job of its own, apart from the keys in memory of
 * crypto_ossl.c: a passphrase, scrypt-encrypted PKCS#8, and a file that
 * never replaces another nor lingers half written.  Keys are reached only
 * through mindl_key_evp() and mindl_key_wrap_evp(), so struct mindl_key
 * stays private to crypto_ossl.c.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "mindl/err.h"
#include "mindl/file.h"
#include "mindl/key.h"
#include "internal.h"

/* PEM key files are small; anything larger is not a key. */
#define MAX_PEM_FILE	(64 * 1024)

/*
 * scrypt for PKCS#8 encryption (RFC 7914), the parameters of openssl
 * pkcs8 -scrypt: N = 2^14, r = 8, p = 1 needs 16 MiB.  N = 2^15 would
 * exceed the 32 MiB cap that OpenSSL's PKCS#8 decryption imposes
 * (SCRYPT_MAX_MEM), making the file unreadable by OpenSSL itself.
 */
#define SCRYPT_N	16384
#define SCRYPT_R	8
#define SCRYPT_P	1
#define SCRYPT_SALT	16

struct pass_arg {
	const char	*pass;
	int		 asked;		/* the file turned out encrypted */
};

static int
pass_cb(char *buf, int size, int rwflag, void *u)
{
	struct pass_arg *pa = u;
	size_t len;

	(void)rwflag;
	pa->asked = 1;
	if (pa->pass == NULL || size <= 0)
		return -1;
	/* A longer passphrase cannot be truncated into a right one. */
	if ((len = strlen(pa->pass)) > (size_t)size)
		return -1;
	memcpy(buf, pa->pass, len);
	return (int)len;
}

int
mindl_key_read_pem(const char *path, const char *pass,
    struct mindl_key **out)
{
	struct pass_arg pa;
	BIO *bio = NULL;
	EVP_PKEY *pkey = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	int r = MINDL_ERR_INTERNAL;

	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if (path == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_file_read(path, MAX_PEM_FILE, &buf, &len)) != MINDL_OK)
		goto fail;
	if ((bio = BIO_new_mem_buf(buf, (int)len)) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	pa.pass = pass;
	pa.asked = 0;
	pkey = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, &pa);
	if (pkey == NULL && pa.asked) {
		/* Encrypted, and the passphrase was missing or wrong. */
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: %s: cannot decrypt", __func__, path);
		r = MINDL_ERR_PASSPHRASE;
		goto fail;
	}
	if (pkey == NULL) {
		mindl_log_ossl(__func__);	/* not a private key */
		if (BIO_reset(bio) != 1) {
			mindl_log_ossl(__func__);
			r = MINDL_ERR_INTERNAL;
			goto fail;
		}
		if ((pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL,
		    NULL)) == NULL) {
			mindl_log_ossl(__func__);
			mindl_log_debug("%s: %s: no PEM key", __func__, path);
			r = MINDL_ERR_KEY;
			goto fail;
		}
	}
	/* The wrapper looks up the curve and whether d is there. */
	if ((r = mindl_key_wrap_evp(pkey, out)) != MINDL_OK) {
		mindl_log_debug("%s: %s: mindl_key_wrap_evp", __func__, path);
		goto fail;
	}
	pkey = NULL;
	r = MINDL_OK;
fail:
	EVP_PKEY_free(pkey);
	BIO_free(bio);
	mindl_freezero(buf, len);
	return r;
}

/* PKCS#8 EncryptedPrivateKeyInfo with PBES2, scrypt and AES-256-CBC. */
static X509_SIG *
encrypt_p8(PKCS8_PRIV_KEY_INFO *p8inf, const char *pass, size_t passlen)
{
	X509_ALGOR *pbe = NULL;
	X509_SIG *p8 = NULL;
	uint8_t salt[SCRYPT_SALT];

	/* OpenSSL would pick 8 bytes; RFC 7914 suggests at least 16. */
	if (mindl_random(salt, sizeof(salt)) != MINDL_OK)
		return NULL;
	if ((pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt,
	    (int)sizeof(salt), NULL, SCRYPT_N, SCRYPT_R, SCRYPT_P)) == NULL) {
		mindl_log_ossl(__func__);
		return NULL;
	}
	/* PKCS8_set0_pbe takes pbe only when it succeeds. */
	if ((p8 = PKCS8_set0_pbe(pass, (int)passlen, p8inf, pbe)) == NULL) {
		mindl_log_ossl(__func__);
		X509_ALGOR_free(pbe);
		return NULL;
	}
	return p8;
}

int
mindl_key_write_private_pem(const char *path, const struct mindl_key *key,
    const char *pass)
{
	PKCS8_PRIV_KEY_INFO *p8inf = NULL;
	X509_SIG *p8 = NULL;
	BIO *mem = NULL;
	size_t passlen = 0;
	int ok, r = MINDL_ERR_INTERNAL;

	if (path == NULL || key == NULL)
		return MINDL_ERR_INVALID_ARG;
	if (pass != NULL && ((passlen = strlen(pass)) == 0 ||
	    passlen > INT_MAX)) {
		mindl_log_debug("%s: empty passphrase", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	if (!mindl_key_is_private(key)) {
		mindl_log_debug("%s: not a private key", __func__);
		return MINDL_ERR_KEY;
	}
	if ((p8inf = EVP_PKEY2PKCS8(mindl_key_evp(key))) == NULL) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: EVP_PKEY2PKCS8", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	/*
	 * Memory BIO buffers are cleared when freed (BUF_MEM_free), so the
	 * PEM text of an unencrypted key does not linger on the heap.
	 */
	if ((mem = BIO_new(BIO_s_mem())) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if (pass != NULL) {
		if ((p8 = encrypt_p8(p8inf, pass, passlen)) == NULL) {
			mindl_log_debug("%s: encrypt_p8", __func__);
			r = MINDL_ERR_CRYPTO;
			goto fail;
		}
		ok = PEM_write_bio_PKCS8(mem, p8);
	} else
		ok = PEM_write_bio_PKCS8_PRIV_KEY_INFO(mem, p8inf);
	if (ok != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: PEM_write_bio", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = mindl_pem_write_new(path, mem, MINDL_FILE_PRIVATE)) !=
	    MINDL_OK)
		goto fail;
	r = MINDL_OK;
fail:
	BIO_free(mem);
	X509_SIG_free(p8);
	PKCS8_PRIV_KEY_INFO_free(p8inf);	/* clears the key octets */
	return r;
}

int
mindl_key_write_public_pem(const char *path, const struct mindl_key *key)
{
	BIO *mem = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (path == NULL || key == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((mem = BIO_new(BIO_s_mem())) == NULL) {
		mindl_log_ossl(__func__);
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	if (PEM_write_bio_PUBKEY(mem, mindl_key_evp(key)) != 1) {
		mindl_log_ossl(__func__);
		mindl_log_debug("%s: PEM_write_bio_PUBKEY", __func__);
		r = MINDL_ERR_CRYPTO;
		goto fail;
	}
	if ((r = mindl_pem_write_new(path, mem, 0)) != MINDL_OK)
		goto fail;
	r = MINDL_OK;
fail:
	BIO_free(mem);
	return r;
}
