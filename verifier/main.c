/*
 * mindl-verifier: builds purpose-limited requests, verifies responses
 * offline and shows only what the request's profile allows (DESIGN.md
 * section 4, rule 4).  Every format and crypto rule lives in libmindl;
 * this file holds the verb table and small output helpers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "mindl/mindl.h"
#include "verifier.h"

static const struct verb {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;
} verbs[] = {
	{ "inspect", cmd_inspect, "inspect FILE [--json] [-d]" },
	{ "profiles", cmd_profiles, "profiles [--json] [-d]" },
	{ "request", cmd_request, "request --profile ID -o REQ "
	    "[--key-out K] [-f] [--json] [-d]" },
	{ "verify", cmd_verify, "verify --trust IACA.pem [--trust ...] "
	    "--request REQ --response RESP\n"
	    "\t[--reader-key K] [--at TIME] [--json] [--transcript-out ST]\n"
	    "\t[--portrait-out FILE] [--consume] [-f] [-d]\n"
	    "  " VERIFIER_PROG " verify --trust IACA.pem [--trust ...] "
	    "--transcript ST --response DEVICERESPONSE\n"
	    "\t[--reader-key K] [--profile ID] [--at TIME] [--json]\n"
	    "\t[--portrait-out FILE] [-f] [-d]" },
};
#define NVERBS	(sizeof(verbs) / sizeof(verbs[0]))

static int
usage(int help)
{
	FILE *f = help ? stdout : stderr;
	size_t i;

	fprintf(f, "usage: %s [-d] verb [options]\n", VERIFIER_PROG);
	for (i = 0; i < NVERBS; i++)
		fprintf(f, "  %s %s\n", VERIFIER_PROG, verbs[i].usage);
	return help ? 0 : 2;
}

int
verb_usage(const char *verb, int help)
{
	FILE *f = help ? stdout : stderr;
	size_t i;

	for (i = 0; i < NVERBS; i++)
		if (strcmp(verbs[i].name, verb) == 0) {
			fprintf(f, "usage: %s %s\n", VERIFIER_PROG,
			    verbs[i].usage);
			return help ? 0 : 2;
		}
	return usage(help);
}

void
vwarnx(const char *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", VERIFIER_PROG);
	if (ctx != NULL) {
		print_safe(stderr, ctx);
		fputs(": ", stderr);
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
vfail(const char *ctx, int err)
{
	vwarnx(ctx, "%s (%s)", mindl_strerr(err), mindl_errname(err));
	return mindl_err_exitcode(err);
}

void
print_safen(FILE *f, const uint8_t *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f || s[i] == '\\')
			fprintf(f, "\\x%02x", s[i]);
		else
			fputc(s[i], f);
	}
}

void
print_safe(FILE *f, const char *s)
{
	print_safen(f, (const uint8_t *)s, strlen(s));
}

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

int
read_bin_or_hex(const char *path, uint8_t **buf, size_t *len)
{
	uint8_t *raw = NULL, *bin;
	size_t rawlen = 0, i, ndig = 0, n = 0;
	int r, hi = -1;

	*buf = NULL;
	*len = 0;
	if ((r = mindl_file_read(path, MAX_HEXFILE, &raw, &rawlen)) !=
	    MINDL_OK)
		return r;
	for (i = 0; i < rawlen; i++) {
		if (hexval(raw[i]) >= 0)
			ndig++;
		else if (!is_space(raw[i]))
			break;
	}
	if (i != rawlen || ndig == 0 || ndig % 2 != 0) {
		/* Binary. */
		if (rawlen > MAX_FILE) {
			free(raw);
			return MINDL_ERR_TOO_LARGE;
		}
		*buf = raw;
		*len = rawlen;
		return MINDL_OK;
	}
	if ((bin = malloc(ndig / 2)) == NULL) {
		free(raw);
		return MINDL_ERR_NOMEM;
	}
	for (i = 0; i < rawlen; i++) {
		int v = hexval(raw[i]);

		if (v < 0)
			continue;
		if (hi < 0)
			hi = v;
		else {
			bin[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	free(raw);
	*buf = bin;
	*len = n;
	return MINDL_OK;
}

/*
 * A verifier holds holder data in memory while it works: no core dumps
 * (DESIGN.md rule 4: nothing about the holder is stored by accident).
 */
static void
no_core_dumps(void)
{
	struct rlimit rl = { 0, 0 };

	(void)setrlimit(RLIMIT_CORE, &rl);
}

int
main(int argc, char **argv)
{
	size_t i;
	int a = 1;

	no_core_dumps();
	while (a < argc && argv[a][0] == '-') {
		if (strcmp(argv[a], "-d") == 0 ||
		    strcmp(argv[a], "--debug") == 0)
			mindl_set_debug(1);
		else if (strcmp(argv[a], "-h") == 0 ||
		    strcmp(argv[a], "--help") == 0)
			return usage(1);
		else {
			vwarnx(NULL, "unknown option %s", argv[a]);
			return usage(0);
		}
		a++;
	}
	if (a >= argc)
		return usage(0);
	for (i = 0; i < NVERBS; i++)
		if (strcmp(argv[a], verbs[i].name) == 0)
			return verbs[i].fn(argc - a, argv + a);
	if (strcmp(argv[a], "help") == 0)
		return a + 1 < argc ? verb_usage(argv[a + 1], 1) : usage(1);
	vwarnx(NULL, "unknown verb \"%s\"", argv[a]);
	return usage(0);
}
