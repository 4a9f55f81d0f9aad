/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl command-line tools: diagnostics, --json failure objects,
 * passphrases from descriptors, process protection and the verb table,
 * once for every tool (tools/cli.h).
 */
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"

static const char		*progname = "mindl";
static int			 json_shape = CLI_JSON_OFF;
static unsigned			 text_flags = MINDL_TEXT_ASCII;
static const struct cli_verb	*verbs;
static size_t			 nverbs;

void
cli_init(const char *name)
{
	const char *cs;

	progname = name;
	/*
	 * Printable UTF-8 (a name with accents) goes out as it is only when
	 * the terminal's locale is UTF-8: elsewhere the bytes 0x80..0x9F of
	 * a UTF-8 letter could be read as C1 controls, so they are escaped.
	 */
	if (setlocale(LC_CTYPE, "") != NULL &&
	    (cs = nl_langinfo(CODESET)) != NULL &&
	    (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
		text_flags = 0;
}

unsigned
cli_text_flags(void)
{
	return text_flags;
}

const char *
cli_progname(void)
{
	return progname;
}

int
cli_protect(void)
{
	if (cli_no_core() == -1)
		return -1;
#ifdef __linux__
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		cli_warn("prctl", "%s", strerror(errno));
		return -1;
	}
#endif
	return 0;
}

int
cli_no_core(void)
{
	struct rlimit rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) == -1) {
		cli_warn("setrlimit", "%s", strerror(errno));
		return -1;
	}
	return 0;
}

void
cli_warn(const char *ctx, const char *fmt, ...)
{
	char msg[2048], safe[8192];
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	if (ctx != NULL) {
		cli_print_safe(stderr, ctx);
		fputs(": ", stderr);
	}
	/*
	 * The message may quote outside text (a name, a value, a path):
	 * all of it goes through the one escaper.  Backslashes stay, since
	 * the library's messages quote names it already escaped.
	 */
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)mindl_text_escape(safe, sizeof(safe), (const uint8_t *)msg,
	    strlen(msg), text_flags | MINDL_TEXT_BACKSLASH_OK);
	fputs(safe, stderr);
	fputc('\n', stderr);
}

void
cli_set_json(int shape)
{
	json_shape = shape;
}

void
cli_json_failure(int err, const char *ctx, const char *msg)
{
	struct jw w;

	if (json_shape == CLI_JSON_OFF)
		return;
	jw_init(&w, stdout);
	jw_obj(&w);
	jw_key(&w, "ok");
	jw_bool(&w, 0);
	jw_key(&w, "error");
	jw_str(&w, mindl_errname(err));
	if (json_shape == CLI_JSON_CODE) {
		jw_key(&w, "code");
		jw_int(&w, err);
	} else {
		jw_key(&w, "context");
		jw_str(&w, ctx);
		jw_key(&w, "message");
		jw_str(&w, msg);
	}
	jw_end_obj(&w);
	jw_done(&w);
}

int
cli_fail(const char *ctx, int err)
{
	cli_warn(ctx, "%s (%s)", mindl_strerr(err), mindl_errname(err));
	cli_json_failure(err, ctx, mindl_strerr(err));
	return mindl_err_exitcode(err);
}

const char *
cli_file_kind(const uint8_t *buf, size_t len)
{
	struct mindl_cbor *doc = NULL;
	enum mindl_file_kind k = MINDL_FILE_UNKNOWN;

	if (buf != NULL && mindl_cbor_decode(buf, len, &doc) == MINDL_OK)
		k = mindl_file_kind(mindl_cbor_root(doc));
	mindl_cbor_free(&doc);
	return k == MINDL_FILE_UNKNOWN ? NULL : mindl_file_kind_name(k);
}

int
cli_wrong_kind(const char *path, const uint8_t *buf, size_t len,
    const char *want, const char *hint)
{
	const char *k = cli_file_kind(buf, len);

	if (k == NULL || strcmp(k, want) == 0)
		return 0;
	cli_warn(path, "this is a %s file, not a %s: %s", k, want, hint);
	cli_json_failure(MINDL_ERR_INVALID_ARG, path, "wrong kind of file");
	return 1;
}

int
cli_failf(const char *ctx, int err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_warn(ctx, "%s (%s)", msg, mindl_errname(err));
	cli_json_failure(err, ctx, msg);
	return mindl_err_exitcode(err);
}

int
cli_refuse(const char *ctx, int err, const char *msg)
{
	cli_warn(ctx, "%s", msg);
	cli_json_failure(err, ctx, msg);
	return mindl_err_exitcode(err);
}

int
cli_fd_arg(const char *opt, const char *arg, int *fd)
{
	char *end;
	long v;

	/* Digits only: strtol would also take " 3", "+3" and "-0". */
	errno = 0;
	v = strtol(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end != '\0' || errno != 0 ||
	    v > INT_MAX || fcntl((int)v, F_GETFD) == -1)
		return cli_refuse(opt, MINDL_ERR_INVALID_ARG,
		    "not an open file descriptor");
	*fd = (int)v;
	return 0;
}

int
cli_pass_fd(const char *opt, const char *arg, char **pass)
{
	int fd, r;

	*pass = NULL;
	if (arg == NULL)
		return 0;
	if ((r = cli_fd_arg(opt, arg, &fd)) != 0)
		return r;
	if ((r = mindl_pass_from_fd(fd, pass)) != MINDL_OK)
		return cli_fail(opt, r);
	return 0;
}

void
cli_pass_free(char **pass)
{
	if (pass == NULL || *pass == NULL)
		return;
	mindl_freezero(*pass, strlen(*pass));
	*pass = NULL;
}

/* getopt_long from the start of a new argv, quiet on errors. */
static void
getopt_reset(void)
{
	/* glibc re-initialises on 0 (ordering too), BSD needs optreset. */
#if defined(__GLIBC__)
	optind = 0;
#else
	optind = 1;
#endif
	opterr = 0;
}

int
cli_usage(const char *verb, int help)
{
	size_t i;
	int known = 0, first = 1;

	for (i = 0; verb != NULL && i < nverbs; i++)
		if (strcmp(verbs[i].name, verb) == 0)
			known = 1;
	if (!known) {
		fprintf(stderr, "usage: %s [-dh] verb [options]\n", progname);
		first = 0;
	}
	/* A verb with two forms has two entries, one line each. */
	for (i = 0; i < nverbs; i++) {
		if (known && strcmp(verbs[i].name, verb) != 0)
			continue;
		fprintf(stderr, "%s %s %s\n", first ? "usage:" : "      ",
		    progname, verbs[i].usage);
		first = 0;
	}
	return help ? 0 : 2;
}

int
cli_bad_option(const char *verb, char **argv)
{
	cli_warn(verb, "bad option %s", argv[optind - 1]);
	return cli_usage(verb, 0);
}

int
cli_dispatch(int argc, char **argv, const struct cli_verb *v, size_t n)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	size_t i;
	int c;

	verbs = v;
	nverbs = n;
	opterr = 0;
	/* "+": stop at the verb; its options are its own. */
	while ((c = getopt_long(argc, argv, "+dh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			mindl_set_debug(1);
			break;
		case 'h':
			return cli_usage(NULL, 1);
		default:
			cli_warn(NULL, "unknown option %s", argv[optind - 1]);
			return cli_usage(NULL, 0);
		}
	}
	if (optind >= argc)
		return cli_usage(NULL, 0);
	if (strcmp(argv[optind], "help") == 0)
		return cli_usage(optind + 1 < argc ? argv[optind + 1] : NULL,
		    1);
	for (i = 0; i < nverbs; i++) {
		if (strcmp(argv[optind], verbs[i].name) == 0) {
			argc -= optind;
			argv += optind;
			getopt_reset();
			return verbs[i].fn(argc, argv);
		}
	}
	cli_warn(NULL, "unknown verb \"%s\"", argv[optind]);
	return cli_usage(NULL, 0);
}

void
cli_print_safen(FILE *f, const uint8_t *s, size_t n)
{
	char tmp[1024];
	size_t done;

	/* The one escaper of the library (mindl_buf_add_text's rules). */
	while (n > 0) {
		done = mindl_text_escape(tmp, sizeof(tmp), s, n, text_flags);
		fputs(tmp, f);
		s += done;
		n -= done;
	}
}

void
cli_print_quoted(FILE *f, const char *s)
{
	char tmp[1024];
	size_t done, n = strlen(s);

	while (n > 0) {
		done = mindl_text_escape(tmp, sizeof(tmp), (const uint8_t *)s,
		    n, text_flags | MINDL_TEXT_BACKSLASH_OK);
		fputs(tmp, f);
		s += done;
		n -= done;
	}
}

void
cli_print_safe(FILE *f, const char *s)
{
	cli_print_safen(f, (const uint8_t *)s, strlen(s));
}

int
cli_print_value(FILE *f, const struct mindl_cbor_item *v)
{
	struct mindl_buf val;
	int r;

	mindl_buf_init(&val, MINDL_MAX_INPUT * 2);
	if ((r = mindl_value_json(v, &val)) == MINDL_OK) {
		fputs(": ", f);
		cli_print_quoted(f, mindl_buf_str(&val));
	}
	mindl_buf_clear(&val);
	return r;
}

int
cli_simple_args(int argc, char **argv, const char *verb, int *json)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*json = 0;
	while ((c = getopt_long(argc, argv, "dhj", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			mindl_set_debug(1);
			break;
		case 'h':
			(void)cli_usage(verb, 1);
			return -1;
		case 'j':
			*json = 1;
			break;
		default:
			return cli_bad_option(verb, argv);
		}
	}
	return optind != argc ? cli_usage(verb, 0) : 0;
}
