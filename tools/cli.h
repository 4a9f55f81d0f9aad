/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl command-line tools: the conventions every tool shares
 * (docs/DESIGN.md section 5), linked into each of them and never into the
 * library.  Diagnostics are "prog: context: message" on stderr; exit
 * statuses are mindl_err_exitcode()'s; a verb table drives main().
 */
#ifndef MINDL_TOOLS_CLI_H
#define MINDL_TOOLS_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One verb: its handler gets argv from the verb on; exit status. */
struct cli_verb {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;		/* synopsis after "prog " */
};

/* The program name for diagnostics and usage; a static string. */
void cli_init(const char *progname);
const char *cli_progname(void);

/*
 * The process may hold keys: no core file (RLIMIT_CORE 0) and, on Linux,
 * not dumpable, so no debugger of the same user attaches (ssh-agent).
 * Reports a failure; returns 0 or -1.
 */
int cli_protect(void);
/* The process holds personal data: no core file.  0 or -1, reported. */
int cli_no_core(void);

/*
 * "prog: ctx: message\n" on stderr, ctx escaped as cli_print_safe() does
 * (it is often a path) and the message too, backslashes excepted (the
 * library's messages quote names it escaped already); without ctx,
 * "prog: message\n".
 */
void cli_warn(const char *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Shapes of the one --json object a failed run prints on stdout:
 * CLI_JSON_CODE {"ok":false,"error":NAME,"code":N} (mindl-keys),
 * CLI_JSON_CONTEXT {"ok":false,"error":NAME,"context":CTX,"message":MSG}
 * (mindl-issuer, mindl-holder).  Off by default.
 */
#define CLI_JSON_OFF		0
#define CLI_JSON_CODE		1
#define CLI_JSON_CONTEXT	2
void cli_set_json(int shape);
/* The failure object for err, if --json is on; nothing otherwise. */
void cli_json_failure(int err, const char *ctx, const char *msg);
/*
 * Reports err for ctx, "prog: ctx: sentence (MINDL_ERR_NAME)", and as the
 * --json object; returns mindl_err_exitcode(err).
 */
int cli_fail(const char *ctx, int err);
/*
 * What kind of mindl or ISO 18013-5 file buf holds ("credential",
 * "request", "response", ...), or NULL: for "this is a credential, not a
 * request" when a file is given in the wrong place.
 */
const char *cli_file_kind(const uint8_t *buf, size_t len);
/*
 * If buf holds a file of another kind than want, says so for path ("this
 * is a K, not a WANT: give ...") and returns 1; else 0.
 */
int cli_wrong_kind(const char *path, const uint8_t *buf, size_t len,
    const char *want, const char *hint);

/* The same with the tool's own message instead of mindl_strerr(err). */
int cli_refuse(const char *ctx, int err, const char *msg);
/*
 * "prog: ctx: message (MINDL_ERR_NAME)" with a message that says what to
 * do, and the --json object; returns mindl_err_exitcode(err).
 */
int cli_failf(const char *ctx, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * An --*-fd argument for opt: decimal digits naming an open descriptor.
 * Else reports "prog: opt: not an open file descriptor" and returns 2;
 * 0 with *fd set.
 */
int cli_fd_arg(const char *opt, const char *arg, int *fd);
/*
 * The passphrase on the first line of descriptor arg (mindl_pass_from_fd;
 * never from argv).  arg NULL: no passphrase, *pass NULL.  Failures are
 * reported for opt; returns 0 or an exit status.  *pass is the caller's,
 * for cli_pass_free().
 */
int cli_pass_fd(const char *opt, const char *arg, char **pass);
/* Wipes and frees a passphrase, sets *pass to NULL; NULL is fine. */
void cli_pass_free(char **pass);

/*
 * main() of every tool: options before the verb (-d/--debug,
 * -h/--help), then the verb, whose handler runs with argv starting at the
 * verb and getopt reset for it (opterr 0: the verb reports).  No verb, an
 * unknown one or an unknown option: usage on stderr, exit 2.  -h, --help
 * and "help [verb]": usage on stderr, exit 0.  verbs must outlive the run.
 */
int cli_dispatch(int argc, char **argv, const struct cli_verb *verbs,
    size_t n);
/*
 * The synopsis of verb (every table entry of that name), or of every verb
 * if verb is NULL or unknown, on stderr; returns 0 if help, else 2.
 */
int cli_usage(const char *verb, int help);
/*
 * For a verb's getopt_long default case: "prog: verb: bad option ARG"
 * and the verb's synopsis; returns 2.
 */
int cli_bad_option(const char *verb, char **argv);

/*
 * Untrusted or arbitrary text (names from files, paths, certificate
 * subjects) on a terminal, through the library's one text escaper
 * (mindl_buf_add_text): printable text as it is, controls, bidi and
 * format characters, invalid UTF-8 and the backslash as \xNN; in a
 * locale that is not UTF-8, every non-ASCII byte too.
 */
void cli_print_safe(FILE *f, const char *s);
void cli_print_safen(FILE *f, const uint8_t *s, size_t n);
/*
 * Text that is escaped already (a value rendered as JSON, a library
 * message): the same escaper, backslashes kept.
 */
void cli_print_quoted(FILE *f, const char *s);
struct mindl_cbor_item;
/* A value as the tools show it: ": " and its JSON rendering, escaped. */
int cli_print_value(FILE *f, const struct mindl_cbor_item *v);
/*
 * The options of a verb that takes only -d, -h and -j: 0 to go on (with
 * *json set), -1 after --help (exit 0), else the exit status.
 */
int cli_simple_args(int argc, char **argv, const char *verb, int *json);
/* The escaper's flags for this terminal (MINDL_TEXT_ASCII or 0). */
unsigned cli_text_flags(void);

#endif /* MINDL_TOOLS_CLI_H */
