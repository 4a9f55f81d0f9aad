/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-holder qr: one purpose credential as a QR code to print or show
 * (DESIGN.md sections 3.10 and 3.11).  The credential file's entry for
 * the purpose asked (its issuer-signed elements exactly the profile's)
 * is encoded as it is stored, byte for byte, never re-encoded: the
 * verifier checks the issuer's digests over these very bytes.
 *
 * A static code is not holder-bound: anyone who has a copy (a photo of
 * it) can show it.  The summary says so every time, and the man page
 * says what the code protects against and what it does not.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"
#include "holder.h"

/* An SVG prints at 0.33 mm a module: a version 33 code is 52 mm a side. */
#define SVG_MODULE_UM	330
/* A PNG: 4 pixels a module by default, 1 bit a pixel. */
#define PNG_SCALE	4
#define PNG_DEPTH	1
/* What the purpose's code is: a terminal's, a file's or a printer's. */
#define QR_MAX_PICTURE	(8u * 1024 * 1024)

const struct cli_opt qr_opts[O_QR_N] = {
	[O_QR_CREDENTIAL] = { "credential", 0, CLI_ARG | CLI_REQ, "CRED",
	    "the purpose credential file (mindl-issuer issue --purpose)" },
	[O_QR_PURPOSE] = { "purpose", 0, CLI_ARG | CLI_REQ, "ID",
	    "the profile whose code to make (age-21, traffic-stop, ...)" },
	[O_QR_PNG] = { "png", 0, CLI_ARG, "OUT",
	    "write the code as a PNG picture here (0600)" },
	[O_QR_SCALE] = { "scale", 0, CLI_ARG, "N",
	    "PNG pixels a module: 1 to 64 (default 4)" },
	[O_QR_QUIET] = { "quiet-zone", 0, CLI_ARG, "N",
	    "light modules around the code: 0 to 64 (default 4)" },
	[O_QR_SVG] = { "svg", 0, CLI_ARG, "OUT",
	    "write the code as SVG for print here (0600)" },
	[O_QR_TEXT] = { "text", 0, 0, NULL,
	    "print the code's text (MDL1:...) on stdout" },
	[O_QR_FORCE] = { "force", 'f', 0, NULL,
	    "replace existing output files" },
};

struct qctx {
	const char			*credp, *purpose, *pngp, *svgp;
	unsigned			 scale, quiet;
	int				 text, blocks, json, force;
	struct mindl_schema		*schema;
	const struct mindl_profile	*prof;
	uint8_t				*cred;
	size_t				 credlen;
	struct mindl_cbor		*doc;
	const struct mindl_cbor_item	*entry;	/* the purpose's Document */
	int				 key_bound;	/* a security key's */
	struct mindl_buf		 qrtext;
	struct mindl_qr			*sym;
};

/* "--scale": an unsigned decimal from lo to hi; 0 or 2 (reported). */
static int
num_arg(const char *opt, const char *s, unsigned lo, unsigned hi,
    unsigned *out)
{
	unsigned long n;
	char *end;

	if (s[0] < '0' || s[0] > '9' || (n = strtoul(s, &end, 10)) < lo ||
	    n > hi || *end != '\0')
		return cli_usage_error("qr", "%s: %u to %u", opt, lo, hi);
	*out = (unsigned)n;
	return 0;
}

static int
parse_args(struct qctx *c, const struct cli_args *a)
{
	int r;

	c->credp = a->val[O_QR_CREDENTIAL];
	c->purpose = a->val[O_QR_PURPOSE];
	c->pngp = a->val[O_QR_PNG];
	c->svgp = a->val[O_QR_SVG];
	c->text = cli_has(a, O_QR_TEXT);
	c->force = cli_has(a, O_QR_FORCE);
	c->json = a->json;
	c->scale = PNG_SCALE;
	c->quiet = MINDL_QR_QUIET;
	if (cli_has(a, O_QR_SCALE) && ((r = num_arg("--scale",
	    a->val[O_QR_SCALE], 1, MINDL_QR_MAX_SCALE, &c->scale)) != 0))
		return r;
	if (cli_has(a, O_QR_QUIET) && ((r = num_arg("--quiet-zone",
	    a->val[O_QR_QUIET], 0, MINDL_QR_MAX_QUIET, &c->quiet)) != 0))
		return r;
	if (cli_has(a, O_QR_SCALE) && c->pngp == NULL)
		return cli_usage_error("qr", "--scale: only with --png");
	if ((c->pngp != NULL && strcmp(c->pngp, "-") == 0) ||
	    (c->svgp != NULL && strcmp(c->svgp, "-") == 0))
		return cli_usage_error("qr", "--png and --svg name files; "
		    "--text prints the code's text on stdout");
	if (c->pngp != NULL && c->svgp != NULL &&
	    strcmp(c->pngp, c->svgp) == 0)
		return cli_usage_error("qr", "--png and --svg name the same "
		    "file");
	if (c->pngp != NULL || c->svgp != NULL || c->text)
		return 0;
	/* Nothing named: the code on this terminal, or say what to give. */
	if (c->json)
		return cli_usage_error("qr", "--json: give --png OUT, --svg "
		    "OUT or --text (the JSON object is what stdout carries)");
	if (!isatty(STDOUT_FILENO))
		return cli_usage_error("qr", "stdout is not a terminal: give "
		    "--png OUT, --svg OUT or --text");
	if (cli_text_flags() != 0)
		return cli_usage_error("qr", "this terminal's locale is not "
		    "UTF-8, so it cannot draw the code: give --png OUT, --svg "
		    "OUT or --text");
	c->blocks = 1;
	return 0;
}

/* An existing output is refused before anything is made (exit 2). */
static int
refuse_existing(const char *path)
{
	struct stat st;

	if (path == NULL || lstat(path, &st) != 0)
		return 0;
	return cli_failf(path, MINDL_ERR_EXISTS, "exists: refusing to "
	    "overwrite it (use --force, or name a new file); nothing written");
}

/*
 * The credential's entry for the purpose; 0 or an exit status
 * (reported).  A purpose it does not hold is refused with those it does.
 */
static int
pick(struct qctx *c)
{
	const struct mindl_cbor_item *docs, *eng, *e;
	const struct mindl_profile *p;
	struct mindl_document *d = NULL;
	struct mindl_buf held;
	struct mindl_cbor_iter it;
	int r;

	if ((r = mindl_file_read(c->credp, MAX_FILE, &c->cred,
	    &c->credlen)) != MINDL_OK)
		return cli_fail(c->credp, r);
	if (cli_wrong_kind(c->credp, c->cred, c->credlen, "credential",
	    "give the purpose credential file the desk issued "
	    "(mindl-issuer issue --purpose)"))
		return 1;
	if ((r = mindl_cbor_decode(c->cred, c->credlen, &c->doc)) !=
	    MINDL_OK || (r = mindl_file_documents(mindl_cbor_root(c->doc),
	    &docs, &eng)) != MINDL_OK)
		return cli_fail(c->credp, r);
	mindl_buf_init(&held, 1024);
	(void)mindl_cbor_iter_init(&it, docs, MINDL_CBOR_ARRAY);
	while ((e = mindl_cbor_iter_next(&it)) != NULL) {
		if ((r = mindl_document_parse(e, 0, &d)) != MINDL_OK) {
			mindl_buf_clear(&held);
			return cli_fail(c->credp, r);
		}
		p = mindl_document_purpose(c->schema, d);
		if (p == c->prof) {
			const uint8_t *id;
			size_t idlen;

			mindl_document_fido_id(d, &id, &idlen);
			c->key_bound = id != NULL;
			mindl_document_free(&d);
			c->entry = e;
			break;
		}
		mindl_document_free(&d);
		if (p != NULL)
			mindl_buf_addf(&held, "%s%s", mindl_buf_len(&held) ?
			    ", " : "", mindl_profile_id(p));
	}
	if (c->entry != NULL) {
		mindl_buf_clear(&held);
		return 0;
	}
	if (mindl_buf_len(&held) == 0)
		r = cli_failf(c->credp, MINDL_ERR_PROFILE, "holds no purpose "
		    "credential: ask the desk for one (mindl-issuer issue "
		    "--purpose %s); nothing written", c->purpose);
	else
		r = cli_failf(c->credp, MINDL_ERR_PROFILE, "holds no %s "
		    "purpose credential; it holds %s: give one of those to "
		    "--purpose; nothing written", c->purpose,
		    mindl_buf_str(&held));
	mindl_buf_clear(&held);
	return r;
}

/* The code's text and symbol; 0 or an exit status (reported). */
static int
encode(struct qctx *c)
{
	int r;

	mindl_buf_init(&c->qrtext, MINDL_QR_MAX_TEXT + 1);
	if ((r = mindl_qr_text_encode(c->entry->enc, c->entry->enclen,
	    &c->qrtext)) == MINDL_OK)
		r = mindl_qr_symbol(mindl_buf_ptr(&c->qrtext),
		    mindl_buf_len(&c->qrtext), 0, &c->sym);
	if (r == MINDL_ERR_TOO_LARGE)
		return cli_failf(c->credp, r, "the %s purpose credential "
		    "(%zu bytes) does not fit a version 40-M QR code: ask "
		    "the desk to issue it again (a DS certificate with fewer "
		    "extensions makes it smaller), or present it with "
		    "mindl-holder present; nothing written", c->purpose,
		    c->entry->enclen);
	if (r != MINDL_OK)
		return cli_fail("qr", r);
	return 0;
}

/*
 * Writes one picture, made by fn into a wiping buffer (the code holds
 * the holder's elements); 0 or an exit status (reported).
 */
static int
write_picture(struct qctx *c, const char *path, int svg)
{
	struct mindl_buf out;
	int r;

	mindl_buf_init(&out, QR_MAX_PICTURE);
	r = svg ? mindl_qr_svg(c->sym, c->quiet, SVG_MODULE_UM, &out) :
	    mindl_qr_png(c->sym, c->scale, c->quiet, PNG_DEPTH, &out);
	if (r == MINDL_OK)
		r = mindl_buf_err(&out);
	if (r != MINDL_OK) {
		mindl_buf_clear(&out);
		return cli_fail(path, r);
	}
	r = mindl_file_write(path, mindl_buf_ptr(&out), mindl_buf_len(&out),
	    MINDL_FILE_PRIVATE | (c->force ? 0 : MINDL_FILE_EXCL));
	mindl_buf_clear(&out);
	if (r == MINDL_ERR_EXISTS)
		return cli_failf(path, r, "exists: refusing to overwrite it "
		    "(use --force, or name a new file)");
	return r == MINDL_OK ? 0 : cli_fail(path, r);
}

/* The code drawn on this terminal, light modules as blocks. */
static int
draw(struct qctx *c)
{
	struct mindl_buf out;
	int r;

	mindl_buf_init(&out, QR_MAX_PICTURE);
	if ((r = mindl_qr_halfblocks(c->sym, c->quiet, 0, &out)) ==
	    MINDL_OK && (r = mindl_buf_err(&out)) == MINDL_OK &&
	    fwrite(mindl_buf_ptr(&out), 1, mindl_buf_len(&out), stdout) !=
	    mindl_buf_len(&out))
		r = MINDL_ERR_IO;
	mindl_buf_clear(&out);
	return r == MINDL_OK ? 0 : cli_fail("stdout", r);
}

/* What anyone holding a copy can do, said with every code. */
static const char *
warning(const struct qctx *c)
{
	if (c->key_bound)
		return "bound to your security key: a verifier that asks for "
		    "it (--fido2) knows a copy without the key from you; "
		    "others compare the portrait";
	return mindl_profile_portrait(c->prof) ? "not holder-bound: anyone "
	    "with a copy of this code can show it; the verifier compares "
	    "the portrait" : "not holder-bound: anyone with a copy of this "
	    "code can show it, and it has no portrait to compare";
}

static int
report(const struct qctx *c)
{
	FILE *f;
	struct jw w;

	if (c->json) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "purpose");
		jw_str(&w, mindl_profile_id(c->prof));
		jw_key(&w, "version");
		jw_int(&w, mindl_qr_version(c->sym));
		jw_key(&w, "level");
		jw_str(&w, "M");
		jw_key(&w, "bytes");
		jw_uint(&w, c->entry->enclen);
		jw_key(&w, "characters");
		jw_uint(&w, mindl_buf_len(&c->qrtext));
		jw_key(&w, "png");
		jw_str(&w, c->pngp);
		jw_key(&w, "svg");
		jw_str(&w, c->svgp);
		jw_key(&w, "text");
		if (c->text)
			jw_strn(&w, mindl_buf_ptr(&c->qrtext),
			    mindl_buf_len(&c->qrtext));
		else
			jw_null(&w);
		jw_key(&w, "holder_bound");
		jw_bool(&w, 0);
		jw_key(&w, "security_key");
		jw_bool(&w, c->key_bound);
		jw_key(&w, "warning");
		jw_str(&w, warning(c));
		jw_end_obj(&w);
		return jw_done(&w) == 0 ? 0 : 3;
	}
	/* Beside a code on stdout, the summary goes to stderr. */
	f = c->text || c->blocks ? stderr : stdout;
	fprintf(f, "%s: QR version %d-M, %zu bytes in %zu characters",
	    mindl_profile_id(c->prof), mindl_qr_version(c->sym),
	    c->entry->enclen, mindl_buf_len(&c->qrtext));
	if (c->pngp != NULL) {
		fputs("; PNG ", f);
		cli_print_safe(f, c->pngp);
	}
	if (c->svgp != NULL) {
		fputs("; SVG ", f);
		cli_print_safe(f, c->svgp);
	}
	fprintf(f, "; %s\n", warning(c));
	return fflush(f) == 0 ? 0 : cli_fail("output", MINDL_ERR_IO);
}

int
cmd_qr(const struct cli_args *a)
{
	struct qctx c;
	int r;

	memset(&c, 0, sizeof(c));
	mindl_buf_init(&c.qrtext, 1);
	if ((r = parse_args(&c, a)) != 0)
		return r;
	if ((r = mindl_schema_builtin(&c.schema)) != MINDL_OK) {
		r = cli_fail("schema", r);
		goto out;
	}
	if ((c.prof = mindl_schema_profile(c.schema, c.purpose)) == NULL) {
		r = cli_usage_error("qr", "--purpose: no profile named \"%s\" "
		    "(see \"mindl-verifier profiles\")", c.purpose);
		goto out;
	}
	if (!c.force && ((r = refuse_existing(c.pngp)) != 0 ||
	    (r = refuse_existing(c.svgp)) != 0))
		goto out;
	if ((r = pick(&c)) != 0 || (r = encode(&c)) != 0)
		goto out;
	if (c.pngp != NULL && (r = write_picture(&c, c.pngp, 0)) != 0)
		goto out;
	if (c.svgp != NULL && (r = write_picture(&c, c.svgp, 1)) != 0) {
		if (c.pngp != NULL)
			cli_warn(c.pngp, "written (the PNG only)");
		goto out;
	}
	if (c.blocks && (r = draw(&c)) != 0)
		goto out;
	if (c.text && !c.json) {
		fwrite(mindl_buf_ptr(&c.qrtext), 1, mindl_buf_len(&c.qrtext),
		    stdout);
		putchar('\n');
		if (fflush(stdout) != 0) {
			r = cli_fail("stdout", MINDL_ERR_IO);
			goto out;
		}
	}
	r = report(&c);
 out:
	mindl_qr_free(&c.sym);
	mindl_buf_clear(&c.qrtext);
	mindl_cbor_free(&c.doc);
	mindl_schema_free(&c.schema);
	if (c.cred != NULL)
		mindl_freezero(c.cred, c.credlen);
	return r;
}
