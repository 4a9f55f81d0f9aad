/*
 * mindl-keys: helpers shared by the verbs: argument checks, diagnostics,
 * passphrases, output, and writing a key with its certificate.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mindl/mindl.h"
#include "keys.h"

void
keys_json_str(const char *s)
{
	const unsigned char *p;

	putchar('"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			printf("\\u%04x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

static void
print_json_error(int err)
{
	printf("{\"ok\":false,\"error\":");
	keys_json_str(mindl_errname(err));
	printf(",\"code\":%d}\n", err);
}

int
keys_fail(int json, const char *ctx, int err)
{
	fprintf(stderr, "%s: %s: %s (%s)\n", PROGNAME, ctx, mindl_strerr(err),
	    mindl_errname(err));
	if (json)
		print_json_error(err);
	return mindl_err_exitcode(err);
}

int
keys_refuse(int json, const char *ctx, int err, const char *msg)
{
	fprintf(stderr, "%s: %s: %s\n", PROGNAME, ctx, msg);
	if (json)
		print_json_error(err);
	return mindl_err_exitcode(err);
}

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

int
keys_fd_arg(const char *s, int *fd)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < 0 ||
	    v > INT_MAX || fcntl((int)v, F_GETFD) == -1)
		return MINDL_ERR_INVALID_ARG;
	*fd = (int)v;
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

int
keys_read_pass(int fd, char **pass)
{
	return mindl_pass_from_fd(fd, pass);
}

void
keys_free_pass(char **pass)
{
	if (pass == NULL || *pass == NULL)
		return;
	mindl_freezero(*pass, strlen(*pass));
	*pass = NULL;
}

void
keys_print_made(int json, const char *key_id, const char *cert,
    const char *key, int64_t not_before, int64_t not_after)
{
	char nb[MINDL_TDATE_LEN + 1], na[MINDL_TDATE_LEN + 1];

	if (mindl_tdate_format(not_before, nb) != MINDL_OK)
		(void)snprintf(nb, sizeof(nb), "?");
	if (mindl_tdate_format(not_after, na) != MINDL_OK)
		(void)snprintf(na, sizeof(na), "?");
	if (!json) {
		printf("key_id %s\ncert %s\nkey %s\nnot_before %s\n"
		    "not_after %s\n", key_id, cert, key, nb, na);
		return;
	}
	printf("{\"ok\":true,\"key_id\":");
	keys_json_str(key_id);
	printf(",\"cert\":");
	keys_json_str(cert);
	printf(",\"key\":");
	keys_json_str(key);
	printf(",\"not_before\":");
	keys_json_str(nb);
	printf(",\"not_after\":");
	keys_json_str(na);
	printf("}\n");
}

int
keys_write_pair(int json, const struct mindl_key *key, const char *pass,
    const char *keypath, const uint8_t *der, size_t len,
    const char *certpath)
{
	int r;

	/* The key first, O_EXCL: if that fails nothing at all is written. */
	if ((r = mindl_key_write_private_pem(keypath, key, pass)) != MINDL_OK)
		return keys_fail(json, keypath, r);
	if ((r = mindl_x509_write_pem(certpath, der, len)) != MINDL_OK) {
		/* Leave nothing half made: the key without its certificate. */
		if (unlink(keypath) == -1)
			fprintf(stderr, "%s: %s: cannot remove: %s\n",
			    PROGNAME, keypath, strerror(errno));
		return keys_fail(json, certpath, r);
	}
	return 0;
}
