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
#include <unistd.h>

#include <openssl/evp.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"

static const char		*progname = "mindl";
static int			 json_on;
static int			 json_top;	/* -j before the verb */
static unsigned			 text_flags = MINDL_TEXT_ASCII;
static const struct cli_verb	*verbs;
static const char		*cur_verb;	/* the verb running */
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
cli_set_json(int on)
{
	json_on = on;
}

int
cli_json_on(void)
{
	return json_on;
}

void
cli_json_failure(int err, const char *ctx, const char *msg)
{
	struct jw w;

	if (!json_on)
		return;
	jw_init(&w, stdout);
	jw_obj(&w);
	jw_key(&w, "ok");
	jw_bool(&w, 0);
	jw_key(&w, "error");
	jw_str(&w, mindl_errname(err));
	jw_key(&w, "message");
	jw_str(&w, msg != NULL ? msg : mindl_strerr(err));
	if (ctx != NULL) {
		jw_key(&w, "context");
		jw_str(&w, ctx);
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

static int vfailx(int, const char *, int, const char *, va_list)
    __attribute__((format(printf, 4, 0)));

static int
vfailx(int status, const char *ctx, int err, const char *fmt, va_list ap)
{
	char msg[1024];

	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	cli_warn(ctx, "%s (%s)", msg, mindl_errname(err));
	cli_json_failure(err, ctx, msg);
	return status;
}

int
cli_failf(const char *ctx, int err, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfailx(mindl_err_exitcode(err), ctx, err, fmt, ap);
	va_end(ap);
	return r;
}

int
cli_failx(int status, const char *ctx, int err, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfailx(status, ctx, err, fmt, ap);
	va_end(ap);
	return r;
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

/* The passphrase on the first line of descriptor arg, for opt. */
static int
pass_from_fd(const char *opt, const char *arg, char **pass)
{
	int fd, r;

	if ((r = cli_fd_arg(opt, arg, &fd)) != 0)
		return r;
	if ((r = mindl_pass_from_fd(fd, pass)) != MINDL_OK)
		return cli_fail(opt, r);
	return 0;
}

/*
 * The passphrase typed on the controlling terminal, never echoed:
 * OpenSSL's UI reads /dev/tty and restores the terminal on a signal.
 * Without a terminal it would read stdin, which may carry a request:
 * so a terminal that cannot be opened is "no terminal".
 */
static int
ask_tty(const char *label, const char *what, int confirm, char **pass)
{
	char prompt[512], safe[256], buf[1024];
	int fd;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) == -1)
		return MINDL_ERR_NO_FILE;	/* no terminal */
	(void)close(fd);
	(void)mindl_text_escape(safe, sizeof(safe), (const uint8_t *)what,
	    strlen(what), text_flags);
	(void)snprintf(prompt, sizeof(prompt), "%s for %s: ", label, safe);
	if (EVP_read_pw_string_min(buf, 1, (int)sizeof(buf), prompt,
	    confirm) != 0) {
		mindl_wipe(buf, sizeof(buf));
		return MINDL_ERR_PASSPHRASE;
	}
	*pass = strdup(buf);
	mindl_wipe(buf, sizeof(buf));
	return *pass == NULL ? MINDL_ERR_NOMEM : MINDL_OK;
}

static int
pass_from_tty(const char *what, int confirm, char **pass)
{
	return ask_tty("Passphrase", what, confirm, pass);
}

int
cli_pin(const char *what, const char *fdopt, const char *fdarg, char **pin)
{
	int r;

	*pin = NULL;
	if (fdarg != NULL)
		return pass_from_fd(fdopt, fdarg, pin);
	if ((r = ask_tty("PIN", what, 0, pin)) == MINDL_ERR_NO_FILE)
		return cli_failf(what, MINDL_ERR_PASSPHRASE, "the security key "
		    "wants its PIN: give %s N, or run on a terminal to type "
		    "it", fdopt);
	if (r != MINDL_OK)
		return cli_failf(what, r, "no PIN read");
	if (**pin == '\0') {
		cli_pass_free(pin);
		return cli_failf(what, MINDL_ERR_PASSPHRASE, "the PIN is "
		    "empty");
	}
	return 0;
}

int
cli_pass_new(const char *what, const char *fdopt, const char *fdarg,
    int nopass, char **pass)
{
	int r;

	*pass = NULL;
	if (fdarg != NULL && nopass)
		return cli_usage_error(cur_verb, "give %s or --no-passphrase, "
		    "not both", fdopt);
	if (fdarg != NULL)
		return pass_from_fd(fdopt, fdarg, pass);
	if (nopass)
		return 0;
	if ((r = pass_from_tty(what, 1, pass)) == MINDL_ERR_NO_FILE)
		return cli_failf(what, MINDL_ERR_PASSPHRASE, "no passphrase: "
		    "give %s N, type it on a terminal, or give --no-passphrase "
		    "to keep the key unencrypted", fdopt);
	if (r == MINDL_ERR_PASSPHRASE)
		return cli_failf(what, r, "no passphrase read: the two "
		    "entries differ, or the terminal was closed; nothing "
		    "written");
	if (r != MINDL_OK)
		return cli_fail(what, r);
	if (**pass == '\0') {
		cli_pass_free(pass);
		/* An empty passphrase would encrypt under "": say so. */
		return cli_failf(what, MINDL_ERR_PASSPHRASE, "the passphrase "
		    "is empty: give --no-passphrase for an unencrypted key");
	}
	return 0;
}

int
cli_key_read(const char *opt, const char *path, size_t index,
    const char *fdopt, const char *fdarg, const char *nopassopt, int nopass,
    struct mindl_key **key)
{
	char *pass = NULL;
	int r;

	*key = NULL;
	if (fdarg != NULL && nopass)
		return cli_usage_error(cur_verb, "%s: give %s or %s, not both",
		    opt, fdopt, nopassopt);
	/* Without a passphrase first: is the key there, and encrypted? */
	r = mindl_key_read_pem_at(path, NULL, index, key, NULL);
	if (r == MINDL_ERR_INVALID_ARG && index > 0)
		return cli_failf(path, MINDL_ERR_KEY, "this file holds fewer "
		    "than %zu keys: give the key file whose .pub the desk "
		    "used", index + 1);
	if (r == MINDL_OK && mindl_key_is_private(*key) && fdarg == NULL &&
	    !nopass) {
		mindl_key_free(key);
		return cli_failf(path, MINDL_ERR_PASSPHRASE, "this private key "
		    "is not encrypted: give %s to use it as it is", nopassopt);
	}
	if (r != MINDL_ERR_PASSPHRASE)
		return r == MINDL_OK ? 0 : cli_fail(path, r);
	if (nopass)
		return cli_failf(path, r, "this key is encrypted: give %s N "
		    "or type its passphrase on a terminal (without %s)", fdopt,
		    nopassopt);
	if (fdarg != NULL)
		r = pass_from_fd(fdopt, fdarg, &pass);
	else if ((r = pass_from_tty(path, 0, &pass)) == MINDL_ERR_NO_FILE)
		return cli_failf(path, MINDL_ERR_PASSPHRASE, "this key is "
		    "encrypted: give %s N, or run on a terminal to type its "
		    "passphrase", fdopt);
	else if (r != MINDL_OK)
		r = cli_fail(path, r);
	if (r != 0)
		return r;
	r = mindl_key_read_pem_at(path, pass, index, key, NULL);
	cli_pass_free(&pass);
	return r == MINDL_OK ? 0 : cli_fail(path, r);
}

void
cli_pass_free(char **pass)
{
	if (pass == NULL || *pass == NULL)
		return;
	mindl_freezero(*pass, strlen(*pass));
	*pass = NULL;
}

static void
print_usage_lines(FILE *f, const struct cli_verb *v, int *first)
{
	const char *u[2] = { v->usage, v->usage2 };
	size_t i;

	for (i = 0; i < 2 && u[i] != NULL; i++) {
		fprintf(f, "%s %s %s\n", *first ? "usage:" : "      ",
		    progname, u[i]);
		*first = 0;
	}
}

static const struct cli_verb *
find_verb(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < nverbs; i++)
		if (strcmp(verbs[i].name, name) == 0)
			return &verbs[i];
	return NULL;
}

/* "  -o, --out FILE" padded to the help column. */
static void
print_opt(int letter, const char *name, const char *arg, const char *help,
    const char *more)
{
	char head[64];
	int n;

	if (letter != 0)
		n = snprintf(head, sizeof(head), "  -%c, --%s%s%s", letter, name,
		    arg != NULL ? " " : "", arg != NULL ? arg : "");
	else
		n = snprintf(head, sizeof(head), "      --%s%s%s", name,
		    arg != NULL ? " " : "", arg != NULL ? arg : "");
	if (n >= 0 && n < 26)
		printf("%-26s%s%s\n", head, help, more);
	else
		printf("%s\n%26s%s%s\n", head, "", help, more);
}

/* The whole help: synopsis, what the verb does, every option; stdout. */
static void
verb_help(const struct cli_verb *v)
{
	size_t i;
	int first = 1;

	print_usage_lines(stdout, v, &first);
	printf("\n%s\n\n", v->about);
	for (i = 0; i < v->nopts; i++) {
		const struct cli_opt *o = &v->opts[i];

		print_opt(o->letter, o->name, o->arg, o->help,
		    (o->flags & CLI_REQ) ? " (required)" :
		    (o->flags & CLI_MANY) ? " (may be repeated)" : "");
	}
	print_opt('j', "json", NULL, "print one JSON object on stdout, also "
	    "on failure", "");
	print_opt('d', "debug", NULL, "the library's debug log on stderr", "");
	print_opt('h', "help", NULL, "this help", "");
	printf("\nSee %s(1).\n", progname);
}

static void
tool_help(FILE *f)
{
	size_t i;

	fprintf(f, "usage: %s [-dhjV] verb [options]\n\n", progname);
	for (i = 0; i < nverbs; i++)
		if (i == 0 || strcmp(verbs[i].name, verbs[i - 1].name) != 0)
			fprintf(f, "  %-12s %s\n", verbs[i].name, verbs[i].about);
	fprintf(f, "\n  -d, --debug    the library's debug log on stderr\n"
	    "  -h, --help     this help\n"
	    "  -j, --json     the verb's --json\n"
	    "  -V, --version  the version\n\n"
	    "\"%s help VERB\" or \"%s VERB --help\" lists a verb's options; "
	    "see %s(1).\n", progname, progname, progname);
}

int
cli_usage_error(const char *verb, const char *fmt, ...)
{
	const struct cli_verb *v = find_verb(verb);
	char msg[1024];
	va_list ap;
	int first = 1;

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_warn(verb, "%s", msg);
	if (v != NULL) {
		print_usage_lines(stderr, v, &first);
		fprintf(stderr, "\"%s %s --help\" lists every option.\n",
		    progname, verb);
	} else
		tool_help(stderr);
	cli_json_failure(MINDL_ERR_INVALID_ARG, verb, msg);
	return 2;
}

size_t
cli_list(const struct cli_args *a, size_t o, const char **out, size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < a->nlist; i++)
		if (a->list_opt[i] == o) {
			if (n < max)
				out[n] = a->list[i];
			n++;
		}
	return n;
}

#define OPT_BASE	256	/* getopt values of long-only options */

/*
 * Parses a verb's options from its table.  Every argument is looked at
 * before any problem is reported, so that --json given after a bad option
 * still gets its failure object.  0 to run the verb, -1 after --help,
 * else the exit status.
 */
static int
parse_args(const struct cli_verb *v, int argc, char **argv,
    struct cli_args *a)
{
	struct option lo[CLI_MAX_OPTS + 4];
	char so[2 * CLI_MAX_OPTS + 8], err[256];
	size_t i, n = 0, k = 0, idx;
	int c, help = 0;

	memset(a, 0, sizeof(*a));
	a->verb = cur_verb = v->name;
	err[0] = '\0';
	if (v->nopts > CLI_MAX_OPTS)
		return cli_refuse(v->name, MINDL_ERR_INTERNAL, "option table "
		    "too large");
	so[k++] = ':';		/* a missing argument is ':', not '?' */
	for (i = 0; i < v->nopts; i++) {
		lo[n].name = v->opts[i].name;
		lo[n].has_arg = (v->opts[i].flags & CLI_ARG) ?
		    required_argument : no_argument;
		lo[n].flag = NULL;
		lo[n].val = v->opts[i].letter != 0 ? v->opts[i].letter :
		    OPT_BASE + (int)i;
		n++;
		if (v->opts[i].letter != 0) {
			so[k++] = (char)v->opts[i].letter;
			if (v->opts[i].flags & CLI_ARG)
				so[k++] = ':';
		}
	}
	lo[n++] = (struct option){ "debug", no_argument, NULL, 'd' };
	lo[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	lo[n++] = (struct option){ "json", no_argument, NULL, 'j' };
	lo[n] = (struct option){ NULL, 0, NULL, 0 };
	memcpy(so + k, "dhj", 4);

	/* getopt_long from the start of this argv, quiet on errors. */
#if defined(__GLIBC__)
	optind = 0;	/* glibc re-initialises on 0 (ordering too) */
#else
	optind = 1;
	optreset = 1;
#endif
	opterr = 0;
	while ((c = getopt_long(argc, argv, so, lo, NULL)) != -1) {
		if (c == 'd') {
			mindl_set_debug(1);
			continue;
		}
		if (c == 'h') {
			help = 1;
			continue;
		}
		if (c == 'j') {
			a->json = 1;
			continue;
		}
		if (c == '?' || c == ':') {
			if (err[0] == '\0')
				(void)snprintf(err, sizeof(err), "%s %s",
				    c == '?' ? "unknown option" :
				    "no argument for", argv[optind - 1]);
			continue;
		}
		if (c >= OPT_BASE)
			idx = (size_t)(c - OPT_BASE);
		else
			for (idx = 0; idx < v->nopts &&
			    v->opts[idx].letter != c; idx++)
				;
		if (idx >= v->nopts)
			continue;	/* cannot happen: getopt knows them */
		if (v->opts[idx].flags & CLI_MANY) {
			if (a->nlist == CLI_MAX_LIST) {
				if (err[0] == '\0')
					(void)snprintf(err, sizeof(err),
					    "--%s given over %d times",
					    v->opts[idx].name, CLI_MAX_LIST);
				continue;
			}
			a->list_opt[a->nlist] = idx;
			a->list[a->nlist++] = optarg;
		} else if (a->val[idx] != NULL &&
		    (v->opts[idx].flags & CLI_ARG) && err[0] == '\0')
			(void)snprintf(err, sizeof(err), "--%s given twice",
			    v->opts[idx].name);
		a->val[idx] = (v->opts[idx].flags & CLI_ARG) ? optarg : "";
	}
	a->pos = argv + optind;
	a->npos = argc - optind;
	a->json |= json_top;
	cli_set_json(a->json);
	if (help) {
		verb_help(v);
		return -1;
	}
	if (err[0] != '\0')
		return cli_usage_error(v->name, "%s", err);
	for (i = 0; i < v->nopts; i++)
		if ((v->opts[i].flags & CLI_REQ) && a->val[i] == NULL)
			return cli_usage_error(v->name, "missing --%s",
			    v->opts[i].name);
	if (a->npos < v->pos_min)
		return cli_usage_error(v->name, "missing operand");
	if (a->npos > v->pos_max)
		return cli_usage_error(v->name, "unexpected operand \"%s\"",
		    a->pos[v->pos_max]);
	return 0;
}

int
cli_dispatch(int argc, char **argv, const struct cli_verb *v, size_t n)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_verb *verb;
	struct cli_args a;
	int c, i, r;

	verbs = v;
	nverbs = n;
	opterr = 0;
	/*
	 * A usage error before the verb is parsed still owes --json its
	 * object: look for the option among the words first.
	 */
	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
			cli_set_json(1);
	/* "+": stop at the verb; its options are its own. */
	while ((c = getopt_long(argc, argv, "+dhjV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			mindl_set_debug(1);
			break;
		case 'j':
			json_top = 1;
			break;
		case 'h':
			tool_help(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", progname, MINDL_VERSION);
			return 0;
		default:
			return cli_usage_error(NULL, "unknown option %s",
			    argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(NULL, "no verb");
	if (strcmp(argv[optind], "help") == 0) {
		if (optind + 1 >= argc) {
			tool_help(stdout);
			return 0;
		}
		if ((verb = find_verb(argv[optind + 1])) == NULL)
			return cli_usage_error(NULL, "unknown verb \"%s\"",
			    argv[optind + 1]);
		verb_help(verb);
		return 0;
	}
	if ((verb = find_verb(argv[optind])) == NULL)
		return cli_usage_error(NULL, "unknown verb \"%s\"",
		    argv[optind]);
	if ((r = parse_args(verb, argc - optind, argv + optind, &a)) != 0)
		return r == -1 ? 0 : r;
	return verb->fn(&a);
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
cli_print_json(FILE *f, const struct mindl_cbor_item *v)
{
	struct mindl_buf val;
	int r;

	mindl_buf_init(&val, MINDL_MAX_INPUT * 2);
	if ((r = mindl_value_json(v, &val)) == MINDL_OK)
		cli_print_quoted(f, mindl_buf_str(&val));
	mindl_buf_clear(&val);
	return r;
}

int
cli_print_value(FILE *f, const struct mindl_cbor_item *v)
{
	fputs(": ", f);
	return cli_print_json(f, v);
}
