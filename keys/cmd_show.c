/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-keys show: what a key officer needs to know about a certificate
 * file: subject, issuer, validity, key id and role.
 *
 * Display only, with no trust decision: the certificate is read and
 * checked by the core (mindl_x509_read_pem parses it strictly), and only
 * the printing of names and dates uses OpenSSL directly, since the core
 * API has no accessor for them.  Names are printed with every control and
 * non-ASCII byte escaped (XN_FLAG_ONELINE), so a hostile certificate
 * cannot drive the terminal.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"
#include "keys.h"

#define NAME_MAX_PRINT	1024

/* One line of a name, escaped and bounded, into buf. */
static void
name_text(const X509_NAME *n, char *buf, size_t len)
{
	BIO *bio;
	char *data = NULL;
	long dlen;

	(void)snprintf(buf, len, "?");
	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return;
	/*
	 * As UTF-8, without OpenSSL's own escapes: the text goes through the
	 * tools' one escaper when it is printed (JSON escapes it too).
	 */
	if (X509_NAME_print_ex(bio, n, 0, (XN_FLAG_ONELINE &
	    ~(unsigned long)(ASN1_STRFLGS_ESC_2253 | ASN1_STRFLGS_ESC_CTRL |
	    ASN1_STRFLGS_ESC_MSB))) >= 0 &&
	    (dlen = BIO_get_mem_data(bio, &data)) >= 0 && data != NULL)
		(void)snprintf(buf, len, "%.*s", (int)(dlen < (long)len - 1 ?
		    dlen : (long)len - 1), data);
	BIO_free(bio);
}

static void
time_text(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	if (ASN1_TIME_to_tm(t, &tm) != 1 ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(buf, len, "?");
}

/* 1 if the EKU holds id-mdl-kp-mdlDS (1.0.18013.5.1.2). */
static int
has_ds_eku(X509 *x)
{
	EXTENDED_KEY_USAGE *eku;
	char oid[64];
	int i, found = 0;

	if ((eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL,
	    NULL)) == NULL)
		return 0;
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		if (OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(eku, i),
		    1) > 0 && strcmp(oid, "1.0.18013.5.1.2") == 0)
			found = 1;
	}
	sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free);
	return found;
}

/*
 * "iaca": a self-signed CA, as the trust store would take it; "ds": has
 * the mDL DS extended key usage; "reader": carries mindl's reader
 * profiles extension (mindl-keys reader); "other" otherwise.  This is the shape
 * of the certificate, not a verdict on its profile (mindl-verifier
 * checks that against its trust store).
 */
static const char *
role(const uint8_t *der, size_t len, X509 *x)
{
	struct mindl_trust *t = NULL;
	char ids[MINDL_READER_MAX_PROFILES][MINDL_READER_PROFILE_LEN];
	const char *s = "other";
	size_t n = 0;

	if (mindl_trust_new(&t) == MINDL_OK &&
	    mindl_trust_add_der(t, der, len) == MINDL_OK)
		s = "iaca";
	else if (has_ds_eku(x))
		s = "ds";
	else if (mindl_x509_reader_profiles(der, len, ids, &n) == MINDL_OK)
		s = "reader";
	mindl_trust_free(&t);
	return s;
}

int
cmd_show(const struct cli_args *a)
{
	const unsigned char *p;
	uint8_t *der = NULL;
	size_t len = 0;
	X509 *x = NULL;
	char subject[NAME_MAX_PRINT], issuer[NAME_MAX_PRINT];
	char nb[32], na[32], keyid[17];
	const char *path, *rolename;
	char ids[MINDL_READER_MAX_PROFILES][MINDL_READER_PROFILE_LEN];
	size_t nids = 0, i;
	struct jw w;
	int r, ret = 3, json = a->json;

	path = a->pos[0];
	if ((r = mindl_x509_read_pem(path, &der, &len)) != MINDL_OK ||
	    (r = mindl_x509_key_id(der, len, keyid)) != MINDL_OK) {
		ret = cli_fail(path, r);
		goto out;
	}
	p = der;
	if ((x = d2i_X509(NULL, &p, (long)len)) == NULL) {
		ret = cli_fail(path, MINDL_ERR_X509);
		goto out;
	}
	name_text(X509_get_subject_name(x), subject, sizeof(subject));
	name_text(X509_get_issuer_name(x), issuer, sizeof(issuer));
	time_text(X509_get0_notBefore(x), nb, sizeof(nb));
	time_text(X509_get0_notAfter(x), na, sizeof(na));
	rolename = role(der, len, x);
	if (strcmp(rolename, "reader") == 0 &&
	    mindl_x509_reader_profiles(der, len, ids, &nids) != MINDL_OK)
		nids = 0;
	if (json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "subject");
		jw_str(&w, subject);
		jw_key(&w, "issuer");
		jw_str(&w, issuer);
		jw_key(&w, "not_before");
		jw_str(&w, nb);
		jw_key(&w, "not_after");
		jw_str(&w, na);
		jw_key(&w, "key_id");
		jw_str(&w, keyid);
		jw_key(&w, "role");
		jw_str(&w, rolename);
		if (nids > 0) {
			jw_key(&w, "profiles");
			jw_arr(&w);
			for (i = 0; i < nids; i++)
				jw_str(&w, ids[i]);
			jw_end_arr(&w);
		}
		jw_end_obj(&w);
		jw_done(&w);
	} else {
		/* A certificate from anywhere: its names are outside text. */
		fputs("subject ", stdout);
		cli_print_safe(stdout, subject);
		fputs("\nissuer ", stdout);
		cli_print_safe(stdout, issuer);
		printf("\nnot_before %s\nnot_after %s\nkey_id %s\nrole %s\n",
		    nb, na, keyid, rolename);
		/* Profile ids are [a-z0-9-] (checked when read). */
		for (i = 0; i < nids; i++)
			printf("%s%s", i ? "," : "profiles ", ids[i]);
		if (nids > 0)
			printf("\n");
	}
	ret = 0;
out:
	X509_free(x);
	free(der);
	return ret;
}
