/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-issuer elements: what a DMV record may hold, from the element
 * tables compiled into the library, with how each field is checked, so
 * that a desk can prepare records without reading JSON schema files.
 */
#include <stdio.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "jw.h"
#include "issuer.h"

static const char *const lists[] = { "values", "categories", "codes",
    "signs" };

static const char *
source_words(const struct mindl_element_info *e)
{
	if (strcmp(e->source, "derived") == 0)
		return "computed by the issuer, never in the record";
	if (strcmp(e->source, "portrait") == 0)
		return "from the portrait file (--portrait)";
	return e->required ? "required in the record" :
	    "optional in the record (null or absent: not issued)";
}

/* ", one of: a, b" for list name, if element i has one. */
static void
print_list(const struct mindl_schema *s, size_t i, const char *name,
    const char *label)
{
	const char *v;
	char buf[24];
	size_t k;

	for (k = 0; (v = mindl_schema_element_list(s, i, name, k, buf)) !=
	    NULL; k++)
		printf("%s%s", k == 0 ? label : ", ", v);
	if (k > 0)
		putchar('\n');
}

static void
print_text(const struct mindl_schema *s)
{
	struct mindl_element_info e;
	const char *ns = "";
	size_t i;

	for (i = 0; i < mindl_schema_element_count(s); i++) {
		if (mindl_schema_element_info(s, i, &e) != MINDL_OK)
			continue;
		if (strcmp(e.ns, ns) != 0) {
			printf("%s%s%s\n", i ? "\n" : "", e.ns,
			    strcmp(e.ns, MINDL_NS_ISO) == 0 ?
			    " (top-level fields)" :
			    " (fields of the object of that name)");
			ns = e.ns;
		}
		printf("  %s (%s): %s, %s\n", e.id, e.label, e.type,
		    source_words(&e));
		if (strcmp(e.type, "full-date") == 0 &&
		    strcmp(e.source, "record") == 0)
			printf("    a date, YYYY-MM-DD\n");
		if (e.charset != NULL)
			printf("    text of at most %zu characters, charset %s\n",
			    e.max_length, e.charset);
		if (e.has_max)
			printf("    at most %llu\n", (unsigned long long)e.max);
		print_list(s, i, "values", "    one of: ");
		if (strcmp(e.type, "privileges") == 0) {
			printf("    [{\"vehicle_category_code\", ? "
			    "\"issue_date\", ? \"codes\": [{\"code\", ? "
			    "\"sign\", ? \"value\"}]}]\n");
			print_list(s, i, "categories", "    categories: ");
			print_list(s, i, "codes", "    codes: ");
			print_list(s, i, "signs", "    signs: ");
		}
	}
}

static int
print_json(const struct mindl_schema *s)
{
	struct mindl_element_info e;
	const char *v;
	char buf[24];
	size_t i, k, l;
	struct jw w;

	jw_init(&w, stdout);
	jw_obj(&w);
	jw_key(&w, "elements");
	jw_arr(&w);
	for (i = 0; i < mindl_schema_element_count(s); i++) {
		if (mindl_schema_element_info(s, i, &e) != MINDL_OK)
			continue;
		jw_obj(&w);
		jw_key(&w, "namespace");
		jw_str(&w, e.ns);
		jw_key(&w, "identifier");
		jw_str(&w, e.id);
		jw_key(&w, "label");
		jw_str(&w, e.label);
		jw_key(&w, "type");
		jw_str(&w, e.type);
		jw_key(&w, "source");
		jw_str(&w, e.source);
		jw_key(&w, "required");
		jw_bool(&w, e.required);
		jw_key(&w, "charset");
		jw_str(&w, e.charset);
		jw_key(&w, "max_length");
		if (e.max_length > 0)
			jw_uint(&w, e.max_length);
		else
			jw_null(&w);
		jw_key(&w, "max");
		if (e.has_max)
			jw_uint(&w, e.max);
		else
			jw_null(&w);
		for (l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
			if (mindl_schema_element_list(s, i, lists[l], 0,
			    buf) == NULL)
				continue;
			jw_key(&w, lists[l]);
			jw_arr(&w);
			for (k = 0; (v = mindl_schema_element_list(s, i,
			    lists[l], k, buf)) != NULL; k++)
				jw_str(&w, v);
			jw_end_arr(&w);
		}
		jw_end_obj(&w);
	}
	jw_end_arr(&w);
	jw_end_obj(&w);
	return jw_done(&w);
}

int
cmd_elements(const struct cli_args *a)
{
	struct mindl_schema *s = NULL;
	int r;

	if ((r = mindl_schema_builtin(&s)) != MINDL_OK)
		return cli_fail("schema", r);
	if (a->json)
		r = print_json(s);
	else
		print_text(s);
	mindl_schema_free(&s);
	if (r != MINDL_OK)
		return cli_fail("output", r);
	return fflush(stdout) == 0 ? 0 : 3;
}
