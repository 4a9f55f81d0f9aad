/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Unit tests: CBOR values as JSON text (what the tools print): untrusted
 * text must never break the JSON or reach a terminal as a control.
 */
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "unit.h"
#include "../common/testlib.h"

static int
json_of_enc(struct mindl_enc *e, const char *want)
{
	struct mindl_cbor *doc = NULL;
	uint8_t *b = NULL;
	size_t n = 0;
	char *s = NULL;
	int ok;

	if (mindl_enc_finish(e, &b, &n) != MINDL_OK ||
	    mindl_cbor_decode(b, n, &doc) != MINDL_OK ||
	    test_value_json(mindl_cbor_root(doc), &s) != MINDL_OK) {
		free(b);
		mindl_cbor_free(&doc);
		return 0;
	}
	ok = strcmp(s, want) == 0;
	if (!ok)
		fprintf(stderr, "got %s\nwant %s\n", s, want);
	free(s);
	free(b);
	mindl_cbor_free(&doc);
	return ok;
}

static void
escapes(void)
{
	struct mindl_enc e;

	/* ESC, a C1 CSI (U+009B), quote, backslash, DEL, and plain UTF-8. */
	mindl_enc_init(&e, 256);
	mindl_enc_tstr(&e, "a\x1b[2J\xc2\x9b\"\\\x7f\xc3\xad");
	CHECK(json_of_enc(&e,
	    "\"a\\u001b[2J\\u009b\\\"\\\\\\u007f\xc3\xad\""));
}

static void
shapes(void)
{
	struct mindl_enc e;

	mindl_enc_init(&e, 256);
	mindl_enc_map(&e, 4);
	mindl_enc_tstr(&e, "d");
	mindl_enc_tag(&e, 1004);
	mindl_enc_tstr(&e, "2024-02-29");
	mindl_enc_int(&e, -1);
	mindl_enc_bstr(&e, (const uint8_t *)"\xff\xd8\xff", 3);
	mindl_enc_tstr(&e, "l");
	mindl_enc_array(&e, 3);
	mindl_enc_bool(&e, 1);
	mindl_enc_null(&e);
	mindl_enc_int(&e, -25);
	mindl_enc_tstr(&e, "t");
	mindl_enc_tag(&e, 99);
	mindl_enc_uint(&e, 7);
	/* Keys sorted by the encoder: -1 (0x20) before the text keys. */
	CHECK(json_of_enc(&e, "{\"-1\":\"/9j/\",\"d\":\"2024-02-29\","
	    "\"l\":[true,null,-25],\"t\":{\"tag\":99,\"value\":7}}"));
}

int
main(void)
{
	RUN(escapes);
	RUN(shapes);
	UNIT_DONE();
}
