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

struct mindl_key;

/*
 * One option of a verb.  A verb's options are an array indexed by the
 * verb's own enum, so that its handler reads a->val[O_RECORD]; -d/--debug,
 * -h/--help and -j/--json belong to every verb and are not listed.
 */
#define CLI_ARG		0x01	/* takes an argument */
#define CLI_MANY	0x02	/* may be given more than once (CLI_ARG) */
#define CLI_REQ		0x04	/* must be given */
struct cli_opt {
	const char	*name;		/* "record" for --record */
	int		 letter;	/* a short option, or 0 */
	unsigned	 flags;
	const char	*arg;		/* the argument's name in --help */
	const char	*help;		/* what it does, for --help */
};

#define CLI_MAX_OPTS	32
#define CLI_MAX_LIST	32
/* A verb's parsed command line (cli_dispatch). */
struct cli_args {
	const char	*val[CLI_MAX_OPTS];	/* last argument; "" for a flag */
	const char	*list[CLI_MAX_LIST];	/* CLI_MANY arguments, in order */
	size_t		 list_opt[CLI_MAX_LIST];	/* ... and their options */
	size_t		 nlist;
	char		**pos;			/* operands */
	int		 npos;
	int		 json;			/* -j, --json */
	const char	*verb;
};

/* One verb: its options, operands, synopsis and handler. */
struct cli_verb {
	const char	*name;
	int		(*fn)(const struct cli_args *);
	const char	*usage;		/* synopsis after "prog " */
	const char	*usage2;	/* a second form, or NULL */
	const char	*about;		/* one sentence for --help */
	const struct cli_opt *opts;
	size_t		 nopts;
	int		 pos_min, pos_max;	/* operands allowed */
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
 * --json on (1) or off (0).  With it on, every failure prints one object
 * on stdout, the same shape in every tool and for usage errors too:
 * {"ok":false,"error":NAME,"message":SENTENCE[,"context":CTX]}.
 */
void cli_set_json(int on);
int cli_json_on(void);
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
/* cli_failf() with the tool's own exit status for it. */
int cli_failx(int status, const char *ctx, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * An --*-fd argument for opt: decimal digits naming an open descriptor.
 * Else reports "prog: opt: not an open file descriptor" and returns 2;
 * 0 with *fd set.
 */
int cli_fd_arg(const char *opt, const char *arg, int *fd);
/*
 * Passphrases for private keys (docs/DESIGN.md section 5.4).  The
 * passphrase comes from the first line of descriptor fdarg (option fdopt,
 * "--pass-fd"),
 * else from the terminal (/dev/tty, not echoed; twice when confirm is
 * set, for a new key), else it is an error that names both ways out:
 * --pass-fd, or --no-passphrase (nopass) for a key kept unencrypted.
 * With nopass, *pass is NULL.  what names the key in the prompt and in
 * messages.  Returns 0 or an exit status (reported); *pass is the
 * caller's, for cli_pass_free().
 */
int cli_pass_new(const char *what, const char *fdopt, const char *fdarg,
    int nopass, char **pass);
/*
 * Reads private key number index (0: the first; a batch's key file holds
 * one per single-use copy) at path for opt, asking for its passphrase as
 * cli_pass_new() does, but only when the key is encrypted.  An
 * unencrypted key is used only with nopass (option nopassopt,
 * "--no-passphrase"), so that a
 * key left unprotected by mistake is noticed; an encrypted one is refused
 * with nopass.  Returns 0 or an exit status (reported).
 */
int cli_key_read(const char *opt, const char *path, size_t index,
    const char *fdopt, const char *fdarg, const char *nopassopt, int nopass,
    struct mindl_key **key);
/*
 * A security key's PIN, never from argv: the first line of descriptor
 * fdarg (option fdopt, "--pin-fd") when given, else typed on the
 * terminal (not echoed; what names the key in the prompt), else an
 * error that names fdopt.  Returns 0 or an exit status (reported); free
 * *pin with cli_pass_free().
 */
/*
 * Opens a security key: fido_dev_info_manifest's authenticator at path,
 * or the first one (tools/fido_open.c).  The one way a tool reaches a
 * key; the test builds (build/tests/mindl-*-softkey) link
 * tests/fido/softopen.c in its place.
 */
struct mindl_fido_dev;
int cli_fido_open(const char *path, struct mindl_fido_dev **out);
/*
 * A security key's failure, reported for a person: which key (opt, the
 * option that names it, and path), what happened and what to do, ending
 * with `outcome` ("nothing written", ...).  Returns the exit status.
 */
int cli_fido_fail(const char *opt, const char *path, int r,
    const char *outcome);
int cli_pin(const char *what, const char *fdopt, const char *fdarg,
    char **pin);
/* Wipes and frees a passphrase, sets *pass to NULL; NULL is fine. */
void cli_pass_free(char **pass);

/*
 * main() of every tool: options before the verb (-d/--debug,
 * -h/--help, -j/--json, -V/--version), then the verb, whose options are parsed from
 * its table (every problem found, --json seen wherever it is) before its
 * handler runs.  No verb, an unknown one or a bad option: the message
 * and the synopsis on stderr (and the --json failure object), exit 2.
 * -h, --help and "help [verb]": the synopsis and every option on stdout,
 * exit 0.  verbs must outlive the run.
 */
int cli_dispatch(int argc, char **argv, const struct cli_verb *verbs,
    size_t n);
/*
 * A usage error found by a verb's handler ("give --request or
 * --transcript"): the message, the verb's synopsis and where to find
 * its options on stderr, the --json failure object; returns 2.
 */
int cli_usage_error(const char *verb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Whether option o of a verb was given; its argument, or NULL. */
#define cli_has(a, o)	((a)->val[(o)] != NULL)
/*
 * The arguments of CLI_MANY option o, up to max of them in out; how many
 * were given (more than max: the caller says it is too many).
 */
size_t cli_list(const struct cli_args *a, size_t o, const char **out,
    size_t max);

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
/* A value as JSON, escaped for the terminal. */
int cli_print_json(FILE *f, const struct mindl_cbor_item *v);
/* A value as the tools show it: ": " and its JSON rendering, escaped. */
int cli_print_value(FILE *f, const struct mindl_cbor_item *v);
/* The escaper's flags for this terminal (MINDL_TEXT_ASCII or 0). */
unsigned cli_text_flags(void);

#endif /* MINDL_TOOLS_CLI_H */
