/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fuzz harness: schema files (mindl_schema_load_dir).  The core parses a
 * schema only from a directory, so the harness keeps a temporary copy of
 * the built-in schemas/ and replaces one file per input: the first byte
 * picks the file, the rest is its content.  A schema that loads must keep
 * privacy rule 1: no profile may name a forbidden or undefined element;
 * and every loaded profile states a purpose its verifier can decide.
 */
#include <unistd.h>

#include "fuzz.h"
#include "schema_embed.h"

static char dir[64];

static void
put(const char *name, const uint8_t *p, size_t n)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (mindl_file_write(path, p, n, 0) != MINDL_OK)
		fuzz_fatal(path, "cannot write");
}

static void
cleanup(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < mindl_schema_nfiles; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir,
		    mindl_schema_files[i].name);
		(void)unlink(path);
	}
	(void)rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	size_t i;

	(void)argc;
	(void)argv;
	snprintf(dir, sizeof(dir), "%s/mindl-fuzz-schema.XXXXXX",
	    tmp != NULL && strlen(tmp) < 32 ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		fuzz_fatal(dir, "mkdtemp");
	for (i = 0; i < mindl_schema_nfiles; i++)
		put(mindl_schema_files[i].name, mindl_schema_files[i].data,
		    mindl_schema_files[i].len);
	(void)atexit(cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct mindl_embedded_file *f;
	const struct mindl_profile *p;
	char rule[256];
	struct mindl_schema *s = NULL;
	const char *ns, *id;
	char err[256];
	size_t i, j;

	if (dir[0] == '\0')
		LLVMFuzzerInitialize(NULL, NULL);
	if (size == 0 || mindl_schema_nfiles == 0)
		return 0;
	f = &mindl_schema_files[data[0] % mindl_schema_nfiles];
	put(f->name, data + 1, size - 1);
	if (mindl_schema_load_dir(dir, &s, err, sizeof(err)) == MINDL_OK) {
		(void)mindl_schema_policy(s);
		for (i = 0; i < mindl_schema_profile_count(s); i++) {
			p = mindl_schema_profile_at(s, i);
			(void)mindl_profile_id(p);
			(void)mindl_profile_title(p);
			/* every loaded profile can decide its purpose */
			if (mindl_profile_question(p) == NULL ||
			    mindl_purpose_describe(p, rule, sizeof(rule)) !=
			    MINDL_OK)
				fuzz_fatal("profile without a purpose",
				    mindl_profile_id(p));
			for (j = 0; j < mindl_profile_count(p); j++) {
				mindl_profile_element(p, j, &ns, &id);
				if (mindl_element_forbidden(id))
					fuzz_fatal("profile names a forbidden "
					    "element", id);
				if (mindl_schema_element_type(s, ns, id) == 0)
					fuzz_fatal("profile names an undefined "
					    "element", id);
			}
		}
		mindl_schema_free(&s);
	}
	put(f->name, f->data, f->len);
	return 0;
}
