/*
 * mindl-keys: the DMV key ceremony.  Makes the IACA root and the
 * document-signer (DS) keys and certificates of ISO/IEC 18013-5 Annex B,
 * and shows certificates.  Private keys are written once (O_EXCL, 0600),
 * passphrases come only from file descriptors, and the process can neither
 * dump core nor be attached to while keys are in memory.
 */
#include <sys/resource.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "keys.h"

struct verb {
	const char	*name;
	int		(*handler)(int, char **);
	const char	*usage;
};

/* Sorted by name. */
static const struct verb verbs[] = {
	{ "ds", cmd_ds,
	    "ds [-dj] --iaca-key K --iaca-cert C --out-key K --out-cert C\n"
	    "\t\t[--days N] [--name CN] [--pass-fd N] [--iaca-pass-fd N]" },
	{ "iaca", cmd_iaca,
	    "iaca [-dj] --country CC --state ST --name NAME\n"
	    "\t\t--out-key K --out-cert C [--days N] [--issuer-alt URI]\n"
	    "\t\t[--pass-fd N]" },
	{ "show", cmd_show, "show [-dj] CERT" },
};
#define NVERBS	(sizeof(verbs) / sizeof(verbs[0]))

int
keys_usage(const char *verb)
{
	size_t i;
	int first = 1;

	if (verb == NULL) {
		fprintf(stderr, "usage: %s [-dh] verb [options]\n", PROGNAME);
		first = 0;
	}
	for (i = 0; i < NVERBS; i++) {
		if (verb != NULL && strcmp(verb, verbs[i].name) != 0)
			continue;
		fprintf(stderr, "%s %s %s\n", first ? "usage:" : "      ",
		    PROGNAME, verbs[i].usage);
		first = 0;
	}
	return 2;
}

void
keys_getopt_reset(void)
{
	/* glibc re-initialises on 0, BSD needs optreset; 1 is POSIX. */
#if defined(__GLIBC__)
	optind = 0;
#else
	optind = 1;
#endif
	opterr = 0;
}

/*
 * Keys pass through this process: no core file may hold them and no
 * unprivileged debugger may read them (ssh-agent does the same).
 */
static int
protect_process(void)
{
	struct rlimit rl = { 0, 0 };

	if (setrlimit(RLIMIT_CORE, &rl) == -1) {
		fprintf(stderr, "%s: setrlimit: %s\n", PROGNAME,
		    strerror(errno));
		return -1;
	}
#ifdef __linux__
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		fprintf(stderr, "%s: prctl: %s\n", PROGNAME, strerror(errno));
		return -1;
	}
#endif
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "debug", no_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	size_t i;
	int c;

	if (protect_process() == -1)
		return 3;
	opterr = 0;
	/* "+": stop at the verb; its options are its own. */
	while ((c = getopt_long(argc, argv, "+dh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			mindl_set_debug(1);
			break;
		case 'h':
			(void)keys_usage(NULL);
			return 0;
		default:
			fprintf(stderr, "%s: unknown option %s\n", PROGNAME,
			    argv[optind - 1]);
			return keys_usage(NULL);
		}
	}
	if (optind >= argc)
		return keys_usage(NULL);
	for (i = 0; i < NVERBS; i++) {
		if (strcmp(argv[optind], verbs[i].name) == 0) {
			argc -= optind;
			argv += optind;
			keys_getopt_reset();
			return verbs[i].handler(argc, argv);
		}
	}
	fprintf(stderr, "%s: unknown verb %s\n", PROGNAME, argv[optind]);
	return keys_usage(NULL);
}
