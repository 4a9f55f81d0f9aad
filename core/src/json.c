/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: CBOR values as JSON text for the tools' output.  Strings go
 * through the one JSON escaper (mindl_buf_add_json_str), so that a value
 * can never break the JSON or drive a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "mindl/buf.h"
#include "mindl/err.h"
#include "mindl/mdoc.h"
#include "internal.h"

#define MAX_JSON	(8u * 1024 * 1024)

/* Base64 (RFC 4648 section 4) in quotes. */
static void
put_b64(struct mindl_buf *b, const uint8_t *p, size_t n)
{
	uint8_t *dst;
	size_t w = 4 * ((n + 2) / 3);

	if (n > MAX_JSON / 2) {
		mindl_buf_fail(b, MINDL_ERR_TOO_LARGE);
		return;
	}
	mindl_buf_addc(b, '"');
	/* EVP_EncodeBlock writes a NUL after the text: room for it too. */
	if ((dst = mindl_buf_reserve(b, w + 1)) == NULL)
		return;
	if (n > 0 && (size_t)EVP_EncodeBlock(dst, p, (int)n) != w) {
		mindl_buf_fail(b, MINDL_ERR_INTERNAL);
		return;
	}
	mindl_buf_commit(b, w);
	mindl_buf_addc(b, '"');
}

static void
value(struct mindl_buf *b, const struct mindl_cbor_item *it, int depth)
{
	struct mindl_cbor_iter i;
	const struct mindl_cbor_item *c, *v;
	struct mindl_buf k;
	int first = 1;

	if (depth > MINDL_MAX_DEPTH) {
		mindl_buf_fail(b, MINDL_ERR_CBOR_DEPTH);
		return;
	}
	switch (it->type) {
	case MINDL_CBOR_UINT:
		mindl_buf_addf(b, "%llu", (unsigned long long)it->u);
		break;
	case MINDL_CBOR_NEGINT:
		if (it->u >= (uint64_t)INT64_MAX)
			mindl_buf_addf(b, "\"-1-%llu\"",
			    (unsigned long long)it->u);
		else
			mindl_buf_addf(b, "%lld", -1 - (long long)it->u);
		break;
	case MINDL_CBOR_BSTR:
		put_b64(b, it->ptr, it->len);
		break;
	case MINDL_CBOR_TSTR:
		mindl_buf_add_json_str(b, it->ptr, it->len);
		break;
	case MINDL_CBOR_ARRAY:
		mindl_buf_addc(b, '[');
		(void)mindl_cbor_iter_init(&i, it, MINDL_CBOR_ARRAY);
		while ((c = mindl_cbor_iter_next(&i)) != NULL) {
			if (!first)
				mindl_buf_addc(b, ',');
			first = 0;
			value(b, c, depth + 1);
		}
		mindl_buf_addc(b, ']');
		break;
	case MINDL_CBOR_MAP:
		mindl_buf_addc(b, '{');
		(void)mindl_cbor_iter_init(&i, it, MINDL_CBOR_MAP);
		while (mindl_cbor_iter_pair(&i, &c, &v)) {
			if (!first)
				mindl_buf_addc(b, ',');
			first = 0;
			if (c->type == MINDL_CBOR_TSTR)
				mindl_buf_add_json_str(b, c->ptr, c->len);
			else {
				/* Non-text keys become their JSON text. */
				mindl_buf_init(&k, MAX_JSON);
				value(&k, c, depth + 1);
				if (mindl_buf_err(&k) != MINDL_OK)
					mindl_buf_fail(b, mindl_buf_err(&k));
				else
					mindl_buf_add_json_str(b,
					    (const uint8_t *)mindl_buf_str(&k),
					    mindl_buf_len(&k));
				mindl_buf_clear(&k);
			}
			mindl_buf_addc(b, ':');
			value(b, v, depth + 1);
		}
		mindl_buf_addc(b, '}');
		break;
	case MINDL_CBOR_TAG:
		c = mindl_cbor_child(it);
		/* tdate (0) and full-date (1004) print as their strings. */
		if ((it->u == 0 || it->u == 1004) && c->type == MINDL_CBOR_TSTR)
			value(b, c, depth + 1);
		else {
			mindl_buf_addf(b, "{\"tag\":%llu,\"value\":",
			    (unsigned long long)it->u);
			value(b, c, depth + 1);
			mindl_buf_addc(b, '}');
		}
		break;
	case MINDL_CBOR_FALSE:
		mindl_buf_addstr(b, "false");
		break;
	case MINDL_CBOR_TRUE:
		mindl_buf_addstr(b, "true");
		break;
	case MINDL_CBOR_NULL:
	case MINDL_CBOR_UNDEF:
		mindl_buf_addstr(b, "null");
		break;
	case MINDL_CBOR_FLOAT:
		if (it->f != it->f || it->f - it->f != 0.0)
			mindl_buf_addstr(b, "null");	/* NaN, infinities */
		else
			mindl_buf_addf(b, "%.17g", it->f);
		break;
	}
}

int
mindl_value_json(const struct mindl_cbor_item *it, struct mindl_buf *out)
{
	size_t start = mindl_buf_len(out);
	int r;

	if (it == NULL)
		return MINDL_ERR_INVALID_ARG;
	if ((r = mindl_buf_err(out)) != MINDL_OK)
		return r;
	value(out, it, 0);
	if ((r = mindl_buf_err(out)) != MINDL_OK) {
		/* Nothing half-written stays behind, and out stays usable. */
		out->err = MINDL_OK;
		mindl_buf_truncate(out, start);
	}
	return r;
}
