/*
 * mindl core internal: the schema representation shared by schema.c
 * (tables, policy, profiles) and record.c (record parsing).  Never
 * installed; could be folded into internal.h.
 */
#ifndef MINDL_SCHEMA_INT_H
#define MINDL_SCHEMA_INT_H

#include <stddef.h>
#include <stdint.h>

#include "mindl/schema.h"

#define SCHEMA_MAX_VALUES	16	/* "values" list of one element */
#define SCHEMA_SAFE_NAME	72	/* escaped, truncated name + NUL */

enum schema_source {
	SRC_RECORD = 1,		/* a field of the DMV record */
	SRC_DERIVED,		/* computed by the issuer from policy */
	SRC_PORTRAIT,		/* the portrait file */
};

enum schema_derived {
	DRV_NONE = 0,
	DRV_ISSUE_DATE,
	DRV_EXPIRY_DATE,
	DRV_AGE_OVER,
	DRV_COUNTRY,
	DRV_AUTHORITY,
	DRV_UN_SIGN,
	DRV_JURISDICTION,
	DRV_AAMVA_VERSION,
};

/* One element of a table (the age_over_NN pattern is expanded). */
struct schema_elem {
	char			*ns;
	char			*id;
	enum mindl_etype	 type;
	int			 required;
	enum schema_source	 source;
	enum schema_derived	 derived;
	unsigned		 age;		/* DRV_AGE_OVER: NN */
	size_t			 max_length;	/* tstr chars; 0: default */
	uint64_t		 max;		/* uint, if has_max */
	int			 has_max;
	size_t			 n_values;	/* allowed values, if any */
	char			**svalues;	/* tstr */
	uint64_t		*uvalues;	/* uint */
};

struct mindl_profile {
	char		 *id;
	char		 *title;
	int		  portrait;
	size_t		  n;
	const char	**ns;		/* borrowed from the element table */
	const char	**ids;
};

struct mindl_schema {
	struct schema_elem	*elems;		/* sorted by (ns, id) */
	size_t			 n_elems;
	size_t			 cap_elems;
	struct mindl_policy	 policy;	/* strings below */
	char			*country;
	char			*authority;
	char			*jurisdiction;
	char			*un_sign;
	char			*ns_names[4];
	uint64_t		 aamva_version;
	int			 has_aamva_version;
	char			**extra;	/* policy "forbidden" stems */
	size_t			 n_extra;
	struct mindl_profile	*profiles;
	size_t			 n_profiles;
};

struct schema_errbuf {
	char	*buf;
	size_t	 len;
};

/* Writes a message to eb (if any); never fails. */
void schema_err(struct schema_errbuf *eb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Copies untrusted name s printable and truncated, for messages. */
void schema_safe_name(char out[SCHEMA_SAFE_NAME], const char *s);
/* strdup through mindl_malloc; NULL on failure. */
char *schema_strdup(const char *s);
/* The element ns/id of s, or NULL. */
const struct schema_elem *schema_find(const struct mindl_schema *s,
    const char *ns, const char *id);
/* mindl_element_forbidden plus the policy's extensions (forbidden.c). */
int schema_forbidden(const struct mindl_schema *s, const char *name);
/*
 * The stem of a policy's forbidden name, as the matcher compares it: its
 * letters, case folded.  out has room for strlen(name) + 1 bytes; returns
 * the number of letters (0: none, so nothing to match).
 */
size_t schema_forbidden_stem(char *out, const char *name);

#endif /* MINDL_SCHEMA_INT_H */
