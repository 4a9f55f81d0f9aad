/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Test program for tests/cli/status.sh: what mindl-issuer's registry
 * will make, without it.
 *
 *   mkstatus list KEY CERT OUT URI IAT EXP [IDX ...]
 *       a Token Status List of 2^20 entries signed by KEY (unencrypted
 *       PEM) under CERT, the entries IDX revoked, iat and exp as times
 *       (YYYY-MM-DD[THH:MM:SSZ]), ttl 12 h, written to OUT
 *   mkstatus cred DSKEY DSCERT DEVPUB RECORD PORTRAIT URI IDX AT OUT
 *       a credential (one copy) for DEVPUB whose MSO refers to entry IDX
 *       of the list URI, issued at AT under the sample policy
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"

#define NENT	(1u << MINDL_STATUS_LIST_MIN_LOG2)

static void die(const char *, int) __attribute__((noreturn));

static void
die(const char *what, int r)
{
	fprintf(stderr, "mkstatus: %s: %s\n", what, mindl_errname(r));
	exit(1);
}

static int64_t
when(const char *s)
{
	int64_t t = 0;
	int r;

	if ((r = mindl_time_parse(s, &t)) != MINDL_OK)
		die(s, r);
	return t;
}

static uint64_t
num(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (*s == '\0' || *end != '\0')
		die(s, MINDL_ERR_INVALID_ARG);
	return v;
}

static int
make_list(int argc, char **argv)
{
	struct mindl_status_list_params p;
	struct mindl_signer s;
	struct mindl_key *key = NULL;
	struct mindl_buf b;
	uint8_t *cert = NULL, *bits;
	size_t certlen = 0;
	uint64_t idx;
	int i, r;

	if (argc < 8)
		die("usage", MINDL_ERR_INVALID_ARG);
	if ((r = mindl_key_read_pem(argv[2], NULL, &key)) != MINDL_OK)
		die(argv[2], r);
	if ((r = mindl_x509_read_pem(argv[3], &cert, &certlen)) != MINDL_OK)
		die(argv[3], r);
	if ((bits = calloc(NENT / 8, 1)) == NULL)
		die("calloc", MINDL_ERR_NOMEM);
	for (i = 8; i < argc; i++) {
		if ((idx = num(argv[i])) >= NENT)
			die(argv[i], MINDL_ERR_INVALID_ARG);
		bits[idx / 8] |= (uint8_t)(1u << (idx % 8));
	}
	if ((r = mindl_signer_key(&s, key)) != MINDL_OK)
		die("signer", r);
	memset(&p, 0, sizeof(p));
	p.uri = argv[5];
	p.iat = when(argv[6]);
	p.exp = when(argv[7]);
	p.ttl = 43200;
	p.bits = bits;
	p.nentries = NENT;
	p.signer = &s;
	p.x5 = cert;
	p.x5len = certlen;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	if ((r = mindl_status_token_write(&p, &b)) != MINDL_OK)
		die("write", r);
	if ((r = mindl_file_write(argv[4], mindl_buf_ptr(&b), mindl_buf_len(&b),
	    MINDL_FILE_EXCL)) != MINDL_OK)
		die(argv[4], r);
	mindl_buf_clear(&b);
	mindl_key_free(&key);
	free(bits);
	free(cert);
	return 0;
}

static int
make_cred(int argc, char **argv)
{
	struct mindl_schema *schema = NULL;
	struct mindl_record *rec = NULL;
	struct mindl_key *ds = NULL, *dev = NULL;
	struct mindl_status_ref ref;
	struct mindl_issue_params p;
	struct mindl_signer s;
	struct mindl_buf b;
	uint8_t *cert = NULL, *json = NULL, *jpeg = NULL;
	size_t certlen = 0, jsonlen = 0, jpeglen = 0;
	char err[1024];
	int64_t at;
	int r;

	if (argc != 11)
		die("usage", MINDL_ERR_INVALID_ARG);
	at = when(argv[9]);
	if ((r = mindl_schema_builtin(&schema)) != MINDL_OK)
		die("schema", r);
	if ((r = mindl_key_read_pem(argv[2], NULL, &ds)) != MINDL_OK)
		die(argv[2], r);
	if ((r = mindl_x509_read_pem(argv[3], &cert, &certlen)) != MINDL_OK)
		die(argv[3], r);
	if ((r = mindl_key_read_pem(argv[4], NULL, &dev)) != MINDL_OK)
		die(argv[4], r);
	if ((r = mindl_file_read(argv[5], 65536, &json, &jsonlen)) !=
	    MINDL_OK)
		die(argv[5], r);
	if ((r = mindl_file_read(argv[6], 1u << 20, &jpeg, &jpeglen)) !=
	    MINDL_OK)
		die(argv[6], r);
	if ((r = mindl_record_parse(schema, (const char *)json, jsonlen, jpeg,
	    jpeglen, at, &rec, err, sizeof(err))) != MINDL_OK) {
		fprintf(stderr, "mkstatus: %s\n", err);
		die(argv[5], r);
	}
	if ((r = mindl_signer_key(&s, ds)) != MINDL_OK)
		die("signer", r);
	ref.uri = argv[7];
	ref.idx = num(argv[8]);
	memset(&p, 0, sizeof(p));
	p.record = rec;
	p.policy = mindl_schema_policy(schema);
	p.ds = &s;
	p.ds_cert = cert;
	p.ds_certlen = certlen;
	p.device_pub = dev;
	p.status = &ref;
	p.now = at;
	mindl_buf_init(&b, MINDL_MAX_INPUT);
	if ((r = mindl_mdoc_issue(&p, &b, NULL)) != MINDL_OK)
		die("issue", r);
	if ((r = mindl_file_write(argv[10], mindl_buf_ptr(&b),
	    mindl_buf_len(&b), MINDL_FILE_EXCL | MINDL_FILE_PRIVATE)) !=
	    MINDL_OK)
		die(argv[10], r);
	mindl_buf_clear(&b);
	mindl_record_free(&rec);
	mindl_schema_free(&schema);
	mindl_key_free(&ds);
	mindl_key_free(&dev);
	free(cert);
	free(json);
	free(jpeg);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "list") == 0)
		return make_list(argc, argv);
	if (argc > 1 && strcmp(argv[1], "cred") == 0)
		return make_cred(argc, argv);
	die("usage: mkstatus list|cred ...", MINDL_ERR_INVALID_ARG);
}
