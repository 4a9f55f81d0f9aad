/*
 * mindl-audit: evidence for security reviewers (DESIGN.md section 4).
 * population: structural features of many credentials, their
 * distribution and the features that tell groups apart (rule 2).
 * link: the byte strings and identifiers two files share (rule 6).
 * This file holds the verb table, input listing and output helpers.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "mindl/mindl.h"
#include "mindl/audit.h"
#include "tool.h"

static const struct verb {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*usage;
} verbs[] = {
	{ "link", cmd_link, "link FILE|DIR ... [--expect-unlinkable] "
	    "[--json] [-d]" },
	{ "population", cmd_population, "population [DIR|FILE ...] "
	    "[--group NAME=DIR ...]\n"
	    "\t[--expect-indistinguishable] [--json] [-d]" },
};
#define NVERBS	(sizeof(verbs) / sizeof(verbs[0]))

static int
usage(int help)
{
	FILE *f = help ? stdout : stderr;
	size_t i;

	fprintf(f, "usage: %s [-d] verb [options]\n", AUDIT_PROG);
	for (i = 0; i < NVERBS; i++)
		fprintf(f, "  %s %s\n", AUDIT_PROG, verbs[i].usage);
	return help ? 0 : 2;
}

int
verb_usage(const char *verb, int help)
{
	FILE *f = help ? stdout : stderr;
	size_t i;

	for (i = 0; i < NVERBS; i++)
		if (strcmp(verbs[i].name, verb) == 0) {
			fprintf(f, "usage: %s %s\n", AUDIT_PROG,
			    verbs[i].usage);
			return help ? 0 : 2;
		}
	return usage(help);
}

void
print_safe(FILE *f, const char *s)
{
	const uint8_t *p = (const uint8_t *)s;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p >= 0x7f || *p == '\\')
			fprintf(f, "\\x%02x", *p);
		else
			fputc(*p, f);
	}
}

void
awarnx(const char *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", AUDIT_PROG);
	if (ctx != NULL) {
		print_safe(stderr, ctx);
		fputs(": ", stderr);
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Input files. */

static int
flist_push(struct flist *fl, char *path, size_t group)
{
	char **np;
	size_t *ng, nc;

	if (fl->n >= MINDL_AUDIT_MAX_FILES) {
		awarnx(NULL, "more than %u input files", MINDL_AUDIT_MAX_FILES);
		free(path);
		return 2;
	}
	if (fl->n == fl->cap) {
		nc = fl->cap == 0 ? 64 : fl->cap * 2;
		if ((np = realloc(fl->path, nc * sizeof(*np))) == NULL) {
			free(path);
			return 3;
		}
		fl->path = np;
		if ((ng = realloc(fl->group, nc * sizeof(*ng))) == NULL) {
			free(path);
			return 3;
		}
		fl->group = ng;
		fl->cap = nc;
	}
	fl->path[fl->n] = path;
	fl->group[fl->n++] = group;
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
flist_add(struct flist *fl, const char *arg, size_t group)
{
	struct stat st;
	struct dirent *de;
	DIR *dir;
	char **names = NULL, **nn, *p;
	size_t n = 0, cap = 0, i, len;
	int r = 0;

	if (strcmp(arg, "-") != 0 && stat(arg, &st) != 0) {
		awarnx(arg, "%s", strerror(errno));
		return 3;
	}
	if (strcmp(arg, "-") == 0 || !S_ISDIR(st.st_mode)) {
		if ((p = strdup(arg)) == NULL)
			return 3;
		return flist_push(fl, p, group);
	}
	if ((dir = opendir(arg)) == NULL) {
		awarnx(arg, "%s", strerror(errno));
		return 3;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n >= MINDL_AUDIT_MAX_FILES) {
			awarnx(arg, "more than %u files",
			    MINDL_AUDIT_MAX_FILES);
			r = 2;
			goto out;
		}
		len = strlen(arg) + strlen(de->d_name) + 2;
		if ((p = malloc(len)) == NULL) {
			r = 3;
			goto out;
		}
		(void)snprintf(p, len, "%s/%s", arg, de->d_name);
		/* Regular files only: no FIFOs, devices or subdirectories. */
		if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			if ((nn = realloc(names, cap * sizeof(*nn))) == NULL) {
				free(p);
				r = 3;
				goto out;
			}
			names = nn;
		}
		names[n++] = p;
	}
	qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n && r == 0; i++) {
		r = flist_push(fl, names[i], group);
		names[i] = NULL;
	}
 out:
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
	return r;
}

void
flist_free(struct flist *fl)
{
	size_t i;

	for (i = 0; i < fl->n; i++)
		free(fl->path[i]);
	free(fl->path);
	free(fl->group);
	memset(fl, 0, sizeof(*fl));
}

int
read_input(const char *path, uint8_t **buf, size_t *len)
{
	return mindl_file_read(path, MINDL_MAX_INPUT, buf, len);
}

void
skip_file(struct skipped *sk, const char *path, int err)
{
	awarnx(path, "left out: %s (%s)", mindl_strerr(err),
	    mindl_errname(err));
	if (sk->n < MAX_SKIPPED) {
		sk->path[sk->n] = path;
		sk->err[sk->n] = err;
	}
	sk->n++;
}

void
jw_skipped(struct jw *w, const struct skipped *sk)
{
	size_t i;

	jw_key(w, "skipped");
	jw_arr(w);
	for (i = 0; i < sk->n && i < MAX_SKIPPED; i++) {
		jw_obj(w);
		jw_key(w, "file");
		jw_str(w, sk->path[i]);
		jw_key(w, "error");
		jw_str(w, mindl_errname(sk->err[i]));
		jw_end_obj(w);
	}
	jw_end_arr(w);
	jw_key(w, "skipped_count");
	jw_uint(w, sk->n);
}

/* Credentials are personal data: no core dumps of them. */
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
			awarnx(NULL, "unknown option %s", argv[a]);
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
	awarnx(NULL, "unknown verb \"%s\"", argv[a]);
	return usage(0);
}
