/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-keys: helpers shared by the verbs: argument checks, output, and
 * writing a key with its certificate.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"
#include "keys.h"

int
keys_days_arg(const char *s, int max, int *days)
{
	long v = 0;

	if (*s == '\0' || strlen(s) > 6)
		return MINDL_ERR_INVALID_ARG;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return MINDL_ERR_INVALID_ARG;
		v = v * 10 + (*s - '0');
	}
	if (v < 1 || v > max)
		return MINDL_ERR_INVALID_ARG;
	*days = (int)v;
	return MINDL_OK;
}

/*
 * The NIST curves only: mindl issues what Annex B and every reader
 * take; it verifies the brainpool curves too (other issuers' roots).
 */
int
keys_curve_arg(const char *s, int *crv)
{
	int c;

	if (s == NULL) {
		*crv = MINDL_CRV_P256;
		return MINDL_OK;
	}
	c = mindl_crv_from_name(s);
	if (c != MINDL_CRV_P256 && c != MINDL_CRV_P384 && c != MINDL_CRV_P521)
		return MINDL_ERR_INVALID_ARG;
	*crv = c;
	return MINDL_OK;
}

int
keys_check_absent(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0)
		return MINDL_ERR_EXISTS;
	return errno == ENOENT ? MINDL_OK : MINDL_ERR_IO;
}

static void
print_made(int json, const char *key_id, const char *cert,
    const char *key, int64_t not_before, int64_t not_after)
{
	char nb[MINDL_TDATE_LEN + 1], na[MINDL_TDATE_LEN + 1];
	struct jw w;

	if (mindl_tdate_format(not_before, nb) != MINDL_OK)
		(void)snprintf(nb, sizeof(nb), "?");
	if (mindl_tdate_format(not_after, na) != MINDL_OK)
		(void)snprintf(na, sizeof(na), "?");
	if (!json) {
		printf("key_id %s\ncert ", key_id);
		cli_print_safe(stdout, cert);
		fputs("\nkey ", stdout);
		cli_print_safe(stdout, key);
		printf("\nnot_before %s\nnot_after %s\n", nb, na);
		return;
	}
	jw_init(&w, stdout);
	jw_obj(&w);
	jw_key(&w, "ok");
	jw_bool(&w, 1);
	jw_key(&w, "key_id");
	jw_str(&w, key_id);
	jw_key(&w, "cert");
	jw_str(&w, cert);
	jw_key(&w, "key");
	jw_str(&w, key);
	jw_key(&w, "not_before");
	jw_str(&w, nb);
	jw_key(&w, "not_after");
	jw_str(&w, na);
	jw_end_obj(&w);
	jw_done(&w);
}

int
keys_write_pair(int json, const struct mindl_key *key, const char *pass,
    const char *keypath, const char *certpath, const uint8_t *der,
    size_t len, int64_t not_before, int64_t not_after)
{
	char keyid[17];
	int r;

	if ((r = mindl_x509_key_id(der, len, keyid)) != MINDL_OK)
		return cli_fail("key id", r);
	/* The key first, O_EXCL: if that fails nothing at all is written. */
	if ((r = mindl_key_write_private_pem(keypath, key, pass)) != MINDL_OK)
		return cli_fail(keypath, r);
	if ((r = mindl_x509_write_pem(certpath, der, len)) != MINDL_OK) {
		/* Leave nothing half made: the key without its certificate. */
		if (unlink(keypath) == -1)
			cli_warn(keypath, "cannot remove: %s", strerror(errno));
		return cli_fail(certpath, r);
	}
	print_made(json, keyid, certpath, keypath, not_before, not_after);
	return 0;
}
