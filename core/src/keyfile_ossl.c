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

/*
 * The PEM blocks of a file: where each "-----BEGIN " line starts.  A key
 * file holds one key, or a holder's batch of single-use device keys.
 */
static size_t
pem_blocks(const uint8_t *buf, size_t len, size_t *off, size_t max)
{
	static const char begin[] = "-----BEGIN ";
	static const char *const kinds[] = {
		"PRIVATE KEY-----", "PUBLIC KEY-----"
	};
	const uint8_t *eol;
	size_t i, k, n = 0, ll;

	for (i = 0; i + sizeof(begin) - 1 <= len; i++) {
		if ((i != 0 && buf[i - 1] != '\n') ||
		    memcmp(buf + i, begin, sizeof(begin) - 1) != 0)
			continue;
		/*
		 * Key blocks only ("... PRIVATE KEY-----", "PUBLIC KEY-----"):
		 * an "EC PARAMETERS" block before a key belongs to no key.
		 */
		if ((eol = memchr(buf + i, '\n', len - i)) == NULL)
			eol = buf + len;
		ll = (size_t)(eol - (buf + i));
		if (ll > 0 && buf[i + ll - 1] == '\r')
			ll--;
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (ll >= strlen(kinds[k]) && memcmp(buf + i + ll -
			    strlen(kinds[k]), kinds[k], strlen(kinds[k])) == 0)
				break;
		if (k == sizeof(kinds) / sizeof(kinds[0]))
			continue;
		if (n < max)
			off[n] = i;
		n++;
	}
	return n;
}

/* One PEM key (private, else public) from p[0..len). */
static int
read_key_block(const uint8_t *p, size_t len, const char *pass,
    const char *path, struct mindl_key **out)
{
	struct pass_arg pa;
	BIO *bio = NULL;
	EVP_PKEY *pkey = NULL;
	int r = MINDL_ERR_INTERNAL;

	if (len > INT_MAX || (bio = BIO_new_mem_buf(p, (int)len)) == NULL) {
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
	return r;
}

/* A key file's bytes and where its key blocks start; n over the cap is
 * MINDL_ERR_TOO_LARGE.  *buf is the caller's, for mindl_freezero. */
static int
pem_load(const char *path, uint8_t **buf, size_t *len,
    size_t off[MINDL_MAX_BATCH + 1], size_t *n)
{
	int r;

	*buf = NULL;
	*len = 0;
	*n = 0;
	if (path == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_file_read(path, MAX_PEM_FILE, buf, len)) != MINDL_OK)
		return r;
	*n = pem_blocks(*buf, *len, off, MINDL_MAX_BATCH + 1);
	if (*n > MINDL_MAX_BATCH) {
		mindl_log_debug("%s: %s: %zu keys", __func__, path, *n);
		return MINDL_ERR_TOO_LARGE;
	}
	off[*n] = *len;		/* the end of the last block */
	return MINDL_OK;
}

int
mindl_key_read_pem_at(const char *path, const char *pass, size_t index,
    struct mindl_key **out, size_t *count)
{
	size_t off[MINDL_MAX_BATCH + 1], n = 0;
	uint8_t *buf = NULL;
	size_t len = 0;
	int r;

	if (out == NULL)
		return MINDL_ERR_INVALID_ARG;
	*out = NULL;
	if (count != NULL)
		*count = 0;
	if ((r = pem_load(path, &buf, &len, off, &n)) == MINDL_OK) {
		if (index >= n) {
			mindl_log_debug("%s: %s: no key %zu of %zu", __func__,
			    path, index, n);
			r = n == 0 ? MINDL_ERR_KEY : MINDL_ERR_INVALID_ARG;
		} else
			r = read_key_block(buf + off[index], off[index + 1] -
			    off[index], pass, path, out);
	}
	if (r == MINDL_OK && count != NULL)
		*count = n;
	if (buf != NULL)
		mindl_freezero(buf, len);
	return r;
}

int
mindl_key_read_pem_all(const char *path, const char *pass,
    struct mindl_key **keys, size_t max, size_t *count)
{
	size_t off[MINDL_MAX_BATCH + 1], n = 0, i;
	uint8_t *buf = NULL;
	size_t len = 0;
	int r;

	if (keys == NULL || count == NULL)
		return MINDL_ERR_INVALID_ARG;
	*count = 0;
	if ((r = pem_load(path, &buf, &len, off, &n)) == MINDL_OK &&
	    (n == 0 || n > max))
		r = n == 0 ? MINDL_ERR_KEY : MINDL_ERR_TOO_LARGE;
	for (i = 0; r == MINDL_OK && i < n; i++)
		r = read_key_block(buf + off[i], off[i + 1] - off[i], pass,
		    path, &keys[i]);
	if (r == MINDL_OK)
		*count = n;
	else
		while (i-- > 0)
			mindl_key_free(&keys[i]);
	if (buf != NULL)
		mindl_freezero(buf, len);
	return r;
}

int
mindl_key_read_pem(const char *path, const char *pass,
    struct mindl_key **out)
{
	return mindl_key_read_pem_at(path, pass, 0, out, NULL);
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

/* One private key as PEM PKCS#8 (encrypted under pass, if not NULL). */
static int
write_private_block(BIO *mem, const struct mindl_key *key, const char *pass,
    size_t passlen)
{
	PKCS8_PRIV_KEY_INFO *p8inf = NULL;
	X509_SIG *p8 = NULL;
	int ok, r = MINDL_ERR_INTERNAL;

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
	if (pass != NULL) {
		/* Each key its own scrypt salt. */
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
	r = MINDL_OK;
fail:
	X509_SIG_free(p8);
	PKCS8_PRIV_KEY_INFO_free(p8inf);	/* clears the key octets */
	return r;
}

int
mindl_key_write_private_pem_n(const char *path,
    const struct mindl_key *const *keys, size_t n, const char *pass)
{
	BIO *mem = NULL;
	size_t passlen = 0, i;
	int r = MINDL_ERR_INTERNAL;

	if (path == NULL || keys == NULL || n == 0 || n > MINDL_MAX_BATCH)
		return MINDL_ERR_INVALID_ARG;
	if (pass != NULL && ((passlen = strlen(pass)) == 0 ||
	    passlen > INT_MAX)) {
		mindl_log_debug("%s: empty passphrase", __func__);
		return MINDL_ERR_INVALID_ARG;
	}
	/*
	 * Memory BIO buffers are cleared when freed (BUF_MEM_free), so the
	 * PEM text of an unencrypted key does not linger on the heap.
	 */
	if ((mem = BIO_new(BIO_s_mem())) == NULL) {
		mindl_log_ossl(__func__);
		return MINDL_ERR_NOMEM;
	}
	for (i = 0; i < n; i++)
		if ((r = write_private_block(mem, keys[i], pass, passlen)) !=
		    MINDL_OK)
			goto fail;
	r = mindl_pem_write_new(path, mem, MINDL_FILE_PRIVATE);
fail:
	BIO_free(mem);
	return r;
}

int
mindl_key_write_private_pem(const char *path, const struct mindl_key *key,
    const char *pass)
{
	if (key == NULL)
		return MINDL_ERR_INVALID_ARG;
	return mindl_key_write_private_pem_n(path, &key, 1, pass);
}

int
mindl_key_write_public_pem_n(const char *path,
    const struct mindl_key *const *keys, size_t n)
{
	BIO *mem = NULL;
	size_t i;
	int r = MINDL_ERR_INTERNAL;

	if (path == NULL || keys == NULL || n == 0 || n > MINDL_MAX_BATCH)
		return MINDL_ERR_INVALID_ARG;
	if ((mem = BIO_new(BIO_s_mem())) == NULL) {
		mindl_log_ossl(__func__);
		return MINDL_ERR_NOMEM;
	}
	for (i = 0; i < n; i++)
		if (keys[i] == NULL ||
		    PEM_write_bio_PUBKEY(mem, mindl_key_evp(keys[i])) != 1) {
			mindl_log_ossl(__func__);
			mindl_log_debug("%s: PEM_write_bio_PUBKEY", __func__);
			r = keys[i] == NULL ? MINDL_ERR_INVALID_ARG :
			    MINDL_ERR_CRYPTO;
			goto fail;
		}
	r = mindl_pem_write_new(path, mem, 0);
fail:
	BIO_free(mem);
	return r;
}

int
mindl_key_write_public_pem(const char *path, const struct mindl_key *key)
{
	if (key == NULL)
		return MINDL_ERR_INVALID_ARG;
	return mindl_key_write_public_pem_n(path, &key, 1);
}
