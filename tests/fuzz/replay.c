/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Corpus replay: runs a fuzz harness once over every file in the
 * directories given (not recursively), as SQLite's fuzzcheck does; `make
 * test` links each tests/fuzz/fuzz_*.c with this file.  A harness never
 * rejects an input: a bad one crashes (under ASan) or aborts.  Prints
 * "replay DIR: N passed, N failed"; a file that cannot be read counts as a
 * failure.  Exit status 1 on any failure, 2 on usage errors.  MINDL_DEBUG
 * set turns on the library's debug log (which check refused each input).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mindl/mindl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
replay_dir(const char *dir, int *passed, int *failed)
{
	char **names = NULL, path[4096];
	struct dirent *de;
	struct stat sb;
	size_t n = 0, cap = 0, i;
	uint8_t *buf;
	size_t len;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "replay: %s: cannot open\n", dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((names = realloc(names, cap * sizeof(*names))) ==
			    NULL) {
				closedir(d);
				return -1;
			}
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			closedir(d);
			return -1;
		}
		n++;
	}
	closedir(d);
	/* a fixed order, so that a failure is reproducible */
	if (n > 0)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			free(names[i]);
			continue;
		}
		buf = NULL;
		len = 0;
		if (mindl_file_read(path, 2 * MINDL_MAX_INPUT, &buf, &len) !=
		    MINDL_OK) {
			fprintf(stderr, "replay: %s: cannot read\n", path);
			(*failed)++;
		} else if (LLVMFuzzerTestOneInput(buf != NULL ? buf :
		    (const uint8_t *)"", len) != 0) {
			fprintf(stderr, "replay: %s: harness returned "
			    "non-zero\n", path);
			(*failed)++;
		} else
			(*passed)++;
		free(buf);
		free(names[i]);
	}
	free(names);
	return 0;
}

int
main(int argc, char **argv)
{
	int i, passed = 0, failed = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s CORPUS-DIR...\n", argv[0]);
		return 2;
	}
	if (getenv("MINDL_DEBUG") != NULL)
		mindl_set_debug(1);
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (replay_dir(argv[i], &passed, &failed) != 0)
			return 2;
	printf("replay %s: %d passed, %d failed\n", argv[1], passed, failed);
	return failed > 0 ? 1 : 0;
}
