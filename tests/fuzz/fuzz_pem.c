/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: PEM files a tool imports (trust anchors, certificates,
 * keys): the input is written to a temporary file and read back through
 * mindl_trust_add_pem_file, mindl_x509_read_pem and mindl_key_read_pem,
 * and mindl_key_read_pem_at and _all for the keys of a batch file.
 */
#include <fcntl.h>
#include <unistd.h>

#include "fuzz.h"

static char path[64];

static void
cleanup(void)
{
	(void)unlink(path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "/tmp/mindl-fuzz-pem.XXXXXX");
	if ((fd = mkstemp(path)) < 0)
		fuzz_fatal(path, "mkstemp");
	close(fd);
	(void)atexit(cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mindl_trust *t = NULL;
	struct mindl_key *k = NULL;
	uint8_t *der = NULL;
	size_t len = 0, n = 0;

	if (path[0] == '\0')
		LLVMFuzzerInitialize(NULL, NULL);
	if (mindl_file_write(path, data, size, 0) != MINDL_OK)
		fuzz_fatal(path, "cannot write");
	if (mindl_trust_new(&t) == MINDL_OK) {
		(void)mindl_trust_add_pem_file(t, path);
		mindl_trust_free(&t);
	}
	if (mindl_x509_read_pem(path, &der, &len) == MINDL_OK)
		free(der);
	if (mindl_key_read_pem(path, NULL, &k) == MINDL_OK)
		mindl_key_free(&k);
	/* A batch: count the keys, then read the last one. */
	if (mindl_key_read_pem_at(path, NULL, 0, &k, &n) == MINDL_OK) {
		mindl_key_free(&k);
		if (n == 0 || n > MINDL_MAX_BATCH)
			fuzz_fatal("mindl_key_read_pem_at", "count");
		if (mindl_key_read_pem_at(path, NULL, n - 1, &k, NULL) ==
		    MINDL_OK)
			mindl_key_free(&k);
	}
	{
		struct mindl_key *all[MINDL_MAX_BATCH];
		size_t i, m = 0;

		if (mindl_key_read_pem_all(path, NULL, all, MINDL_MAX_BATCH,
		    &m) == MINDL_OK)
			for (i = 0; i < m; i++)
				mindl_key_free(&all[i]);
	}
	return 0;
}
