/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl core internal: the schemas/ JSON files embedded in the library.
 * The definitions are generated at build time by scripts/embed.sh into
 * $(BUILD)/gen/schemas.c; schema.c parses them in mindl_schema_builtin().
 */
#ifndef MINDL_SCHEMA_EMBED_H
#define MINDL_SCHEMA_EMBED_H

#include <stddef.h>

struct mindl_embedded_file {
	const char		*name;	/* base name, e.g. "policy.json" */
	const unsigned char	*data;	/* len bytes, then a NUL */
	size_t			 len;
};

extern const struct mindl_embedded_file mindl_schema_files[];
extern const size_t mindl_schema_nfiles;

#endif /* MINDL_SCHEMA_EMBED_H */
