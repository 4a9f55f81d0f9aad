/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: the forbidden-name matcher (privacy rule 1, DESIGN.md section 4).
 *
 * The compiled-in list of lawful-status proxies and the code that matches
 * a name against it, plus the additions a policy.json may make (never
 * removals).  schema.c checks every table and profile entry with it and
 * record.c every record field.  A file of its own so that the list, which
 * a review of rule 1 must read whole, is not buried in the schema parser.
 * record.c also holds the text values the DMV chooses (numbers, codes,
 * code values) to it.
 */
#include <stddef.h>
#include <string.h>

#include "mindl/schema.h"
#include "internal.h"

/*
 * The compiled-in forbidden list (docs/DESIGN.md section 4, rule 1; why
 * each entry leaks status is in docs/THREATS.md, T1 and S1).
 *
 * stems: matched as substrings of the name with everything but letters
 * removed and case folded, so "DHS_temporary_lawful_status",
 * "LawfulStatus" and "holder-visa.type" are all caught.  Each stem is long
 * or specific enough not to catch a legitimate element name.
 */
static const char *const forbidden_stems[] = {
	/* AAMVA and ISO elements that are lawful-status proxies */
	"dhscompliance",	/* DHS_compliance(_text): REAL ID status */
	"dhstemporary",		/* DHS_temporary_lawful_status */
	"edlcredential",	/* EDL_credential(.v2): citizens only */
	"nondomicil",		/* CDL_non_domiciled(.v2) */
	"nationality",
	"birthplace",
	"placeofbirth",
	"countryofbirth",
	"birthcountry",
	"biometric",		/* biometric_template_* */
	"raceethnicity",
	"ethnic",
	/* generic names */
	"migra",		/* immigration, immigrant, migration */
	"visa",
	"citizen",		/* citizen, citizenship */
	"lawful",		/* lawful_status, unlawful_presence */
	"legalstatus",
	"legalpresence",
	"socialsecurity",
	"passport",
	"consular",
	"consulate",
	"naturaliz",
	"naturalis",
	"asylum",
	"refugee",
	"deport",
	"greencard",
	"permanentresid",
	"residencystatus",
	"limitedduration",	/* AAMVA DDD "Limited Duration Document" */
	"limitedterm",
	"realid",
	"uscis",
	"workauthori",
	"employmentauthori",
	"workpermit",
	"taxpayerid",
	"undocumented",
	/* card markings of licences issued without lawful presence */
	"federallimit",		/* "Federal Limits Apply" */
	"notforfederal",	/* "Not for federal identification" */
	"privilegecard",	/* "Driving/Driver Privilege Card" */
	"drivercard",
};

/*
 * tokens: short abbreviations matched only as a whole token after
 * splitting the name on non-alphanumerics, camelCase and letter/digit
 * boundaries ("SSN_last4", "holderSSN" are caught; "business_name" and
 * "classname" are not).
 */
static const char *const forbidden_tokens[] = {
	"ssn",		/* social security number */
	"dhs",		/* any DHS_* field */
	"edl",		/* any EDL_* field */
	"itin",		/* taxpayer id issued to people without an SSN */
	"daca",
	"tps",		/* temporary protected status */
	"alien",
	"race",
	"ead",		/* employment authorization document */
	"sevis",
};

static int
fold(int c)
{
	return mindl_is_upper(c) ? c - 'A' + 'a' : c;
}

/*
 * 1 if stem (lowercase letters) occurs in name[0..n) once everything but
 * letters is removed and case is folded.
 */
static int
stem_inn(const char *name, size_t n, const char *stem)
{
	size_t i, j, k;

	if (stem[0] == '\0')
		return 0;
	for (i = 0; i < n; i++) {
		if (!mindl_is_alpha((unsigned char)name[i]))
			continue;
		for (j = i, k = 0; stem[k] != '\0'; j++) {
			if (j >= n)
				break;
			if (!mindl_is_alpha((unsigned char)name[j]))
				continue;
			if (fold((unsigned char)name[j]) != stem[k])
				break;
			k++;
		}
		if (stem[k] == '\0')
			return 1;
	}
	return 0;
}

static int
stem_in(const char *name, const char *stem)
{
	return stem_inn(name, strlen(name), stem);
}

/* 1 if a token boundary lies between name[i - 1] and name[i]. */
static int
token_break(const char *name, size_t i)
{
	int a, b, c;

	if (i == 0)
		return 1;
	a = (unsigned char)name[i - 1];
	b = (unsigned char)name[i];
	c = (unsigned char)name[i + 1];	/* may be the NUL */
	if (mindl_is_lower(a) && mindl_is_upper(b))
		return 1;		/* holderSsn */
	if (mindl_is_upper(a) && mindl_is_upper(b) && mindl_is_lower(c))
		return 1;		/* SSNLast */
	if (mindl_is_alpha(a) != mindl_is_alpha(b))
		return 1;		/* ssn4, 4ssn */
	return 0;
}

static int
token_in(const char *name, const char *tok)
{
	size_t i, start, n = strlen(tok);

	i = 0;
	for (;;) {
		while (name[i] != '\0' &&
		    !mindl_is_alpha((unsigned char)name[i]) &&
		    !mindl_is_digit((unsigned char)name[i]))
			i++;
		if (name[i] == '\0')
			return 0;
		start = i++;
		while (name[i] != '\0' &&
		    (mindl_is_alpha((unsigned char)name[i]) ||
		    mindl_is_digit((unsigned char)name[i])) &&
		    !token_break(name, i))
			i++;
		if (i - start == n) {
			size_t k;

			for (k = 0; k < n; k++)
				if (fold((unsigned char)name[start + k]) !=
				    tok[k])
					break;
			if (k == n)
				return 1;
		}
	}
}

int
mindl_element_forbidden(const char *name)
{
	size_t i;

	if (name == NULL)
		return 1;
	for (i = 0; i < sizeof(forbidden_stems) / sizeof(forbidden_stems[0]);
	    i++)
		if (stem_in(name, forbidden_stems[i]))
			return 1;
	for (i = 0; i < sizeof(forbidden_tokens) / sizeof(forbidden_tokens[0]);
	    i++)
		if (token_in(name, forbidden_tokens[i]))
			return 1;
	return 0;
}

int
schema_forbidden(const struct mindl_schema *s, const char *name)
{
	size_t i;

	if (mindl_element_forbidden(name))
		return 1;
	for (i = 0; s != NULL && i < s->n_extra; i++)
		if (stem_in(name, s->extra[i]))
			return 1;
	return 0;
}

/*
 * Values are matched more narrowly than names, since they are not made of
 * words the way names are: a random document number "V1I2S3A4" holds the
 * letters of "visa" and "D123TPS45" the letters of "TPS", and refusing
 * them would only make the DMV draw numbers again.  So in a value a stem
 * must lie inside one stretch without digits ("LIMITED TERM 7", "VISA-1"),
 * and a token must be a word's leading or trailing letters ("TPS-1",
 * "DACA0042", "A-TPS"), a word being what lies between characters other
 * than letters and digits.
 */
static int
value_stem_in(const char *v, const char *stem)
{
	size_t i = 0, start;

	while (v[i] != '\0') {
		for (start = i; v[i] != '\0' &&
		    !mindl_is_digit((unsigned char)v[i]); i++)
			;
		if (i > start && stem_inn(v + start, i - start, stem))
			return 1;
		while (mindl_is_digit((unsigned char)v[i]))
			i++;
	}
	return 0;
}

/* 1 if v[a..b) folded equals one of the tokens. */
static int
is_token(const char *v, size_t a, size_t b)
{
	size_t i, k, n;

	for (i = 0; i < sizeof(forbidden_tokens) / sizeof(forbidden_tokens[0]);
	    i++) {
		n = strlen(forbidden_tokens[i]);
		if (b - a != n)
			continue;
		for (k = 0; k < n; k++)
			if (fold((unsigned char)v[a + k]) !=
			    forbidden_tokens[i][k])
				break;
		if (k == n)
			return 1;
	}
	return 0;
}

static int
value_token_in(const char *v)
{
	size_t i = 0, start, end, k;

	for (;;) {
		while (v[i] != '\0' && !mindl_is_alpha((unsigned char)v[i]) &&
		    !mindl_is_digit((unsigned char)v[i]))
			i++;
		if (v[i] == '\0')
			return 0;
		for (start = i; mindl_is_alpha((unsigned char)v[i]) ||
		    mindl_is_digit((unsigned char)v[i]); i++)
			;
		end = i;
		/* leading letters */
		for (k = start; k < end && mindl_is_alpha((unsigned char)v[k]);
		    k++)
			;
		if (k > start && is_token(v, start, k))
			return 1;
		/* trailing letters */
		for (k = end; k > start &&
		    mindl_is_alpha((unsigned char)v[k - 1]); k--)
			;
		if (k < end && is_token(v, k, end))
			return 1;
	}
}

int
schema_value_forbidden(const struct mindl_schema *s, const char *v)
{
	size_t i;

	if (v == NULL)
		return 1;
	for (i = 0; i < sizeof(forbidden_stems) / sizeof(forbidden_stems[0]);
	    i++)
		if (value_stem_in(v, forbidden_stems[i]))
			return 1;
	for (i = 0; s != NULL && i < s->n_extra; i++)
		if (value_stem_in(v, s->extra[i]))
			return 1;
	return value_token_in(v);
}

size_t
schema_forbidden_stem(char *out, const char *name)
{
	size_t i, n = 0;

	for (i = 0; name[i] != '\0'; i++)
		if (mindl_is_alpha((unsigned char)name[i]))
			out[n++] = (char)fold((unsigned char)name[i]);
	out[n] = '\0';
	return n;
}
