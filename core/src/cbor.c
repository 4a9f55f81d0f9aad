/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: strict CBOR decoding and deterministic encoding on libcbor.
 *
 * libcbor's streaming decoder parses one item head at a time and calls
 * back with its value; we turn the calls into a flat pre-order array of
 * items that remember the span of bytes they were received as.  Strictness
 * (RFC 8949 section 5.3 "strict mode" plus mindl's caps) is enforced here.
 */
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "mindl/cbor.h"
#include "mindl/err.h"
#include "mindl/key.h"
#include "internal.h"

/*
 * A decoded document.  Its first items live in the same allocation as
 * the document itself (inl); a document that outgrows them moves to an
 * array of its own.  Verifying a response decodes some ten embedded
 * items, most a few items long: one allocation each, not two.
 */
#define INLINE_ITEMS	64

struct mindl_cbor {
	struct mindl_cbor_item	*items;	/* inl, or an array of its own */
	size_t			 n;
	size_t			 cap;
	struct mindl_cbor_item	 inl[];
};

/* An open container while decoding. */
struct open {
	size_t		 idx;		/* its item */
	uint64_t	 remaining;	/* child items still expected */
};

struct dec {
	struct mindl_cbor	*doc;
	const uint8_t		*base;
	size_t			 pos;	/* offset of the head being decoded */
	struct open		 stack[MINDL_MAX_DEPTH];
	int			 depth;
	int			 err;
	int			 emitted; /* callback produced an item */
};

static struct mindl_cbor_item *
push(struct dec *d, enum mindl_cbor_type type)
{
	struct mindl_cbor *doc = d->doc;
	struct mindl_cbor_item *it, *n;
	size_t ncap;

	d->emitted = 1;
	if (d->err != MINDL_OK)
		return NULL;
	if (doc->n >= MINDL_MAX_ITEMS) {
		d->err = MINDL_ERR_CBOR_LIMIT;
		return NULL;
	}
	if (doc->n == doc->cap) {
		ncap = doc->cap * 2;
		if (ncap > MINDL_MAX_ITEMS)
			ncap = MINDL_MAX_ITEMS;
		if (doc->items == doc->inl) {
			if ((n = mindl_malloc(ncap * sizeof(*n))) != NULL)
				memcpy(n, doc->inl, doc->n * sizeof(*n));
		} else
			n = mindl_realloc(doc->items, ncap * sizeof(*n));
		if (n == NULL) {
			d->err = MINDL_ERR_NOMEM;
			return NULL;
		}
		doc->items = n;
		doc->cap = ncap;
	}
	it = &doc->items[doc->n++];
	memset(it, 0, sizeof(*it));
	it->type = type;
	it->skip = 1;
	it->enc = d->base + d->pos;
	return it;
}

static void
set_int(void *ctx, enum mindl_cbor_type type, uint64_t v)
{
	struct mindl_cbor_item *it;

	if ((it = push(ctx, type)) != NULL)
		it->u = v;
}

static void cb_u8(void *c, uint8_t v) { set_int(c, MINDL_CBOR_UINT, v); }
static void cb_u16(void *c, uint16_t v) { set_int(c, MINDL_CBOR_UINT, v); }
static void cb_u32(void *c, uint32_t v) { set_int(c, MINDL_CBOR_UINT, v); }
static void cb_u64(void *c, uint64_t v) { set_int(c, MINDL_CBOR_UINT, v); }
static void cb_n8(void *c, uint8_t v) { set_int(c, MINDL_CBOR_NEGINT, v); }
static void cb_n16(void *c, uint16_t v) { set_int(c, MINDL_CBOR_NEGINT, v); }
static void cb_n32(void *c, uint32_t v) { set_int(c, MINDL_CBOR_NEGINT, v); }
static void cb_n64(void *c, uint64_t v) { set_int(c, MINDL_CBOR_NEGINT, v); }

/* RFC 3629 UTF-8 validity: no overlongs, no surrogates, <= U+10FFFF. */
static int
utf8_ok(const uint8_t *p, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = mindl_utf8_len(p + i, n - i, NULL)) == 0)
			return 0;
		i += k;
	}
	return 1;
}

static void
set_str(struct dec *d, enum mindl_cbor_type type, cbor_data p, size_t n)
{
	struct mindl_cbor_item *it;

	if ((it = push(d, type)) == NULL)
		return;
	if (n > MINDL_MAX_STRING) {
		d->err = MINDL_ERR_CBOR_LIMIT;
		return;
	}
	if (type == MINDL_CBOR_TSTR && !utf8_ok(p, n)) {
		d->err = MINDL_ERR_CBOR;
		return;
	}
	it->ptr = p;
	it->len = n;
}

static void cb_bstr(void *c, cbor_data p, size_t n)
{
	set_str(c, MINDL_CBOR_BSTR, p, n);
}

static void cb_tstr(void *c, cbor_data p, size_t n)
{
	set_str(c, MINDL_CBOR_TSTR, p, n);
}

static void
cb_indef(void *ctx)
{
	struct dec *d = ctx;

	d->emitted = 1;
	if (d->err == MINDL_OK)
		d->err = MINDL_ERR_CBOR_INDEFINITE;
}

/*
 * A break (0xff) outside any indefinite-length item: malformed, not merely
 * indefinite (with indefinite items refused, every break is stray).
 */
static void
cb_break(void *ctx)
{
	struct dec *d = ctx;

	d->emitted = 1;
	if (d->err == MINDL_OK)
		d->err = MINDL_ERR_CBOR;
}

static void
open_container(struct dec *d, enum mindl_cbor_type type, uint64_t count,
    uint64_t children)
{
	struct mindl_cbor_item *it;

	if ((it = push(d, type)) == NULL)
		return;
	it->u = count;
	if (children == 0)
		return;	/* empty: complete at once */
	if (d->depth >= MINDL_MAX_DEPTH) {
		d->err = MINDL_ERR_CBOR_DEPTH;
		return;
	}
	d->stack[d->depth].idx = d->doc->n - 1;
	d->stack[d->depth].remaining = children;
	d->depth++;
}

static void
cb_array(void *ctx, size_t n)
{
	struct dec *d = ctx;

	/* Each child is at least one byte: a count over the input is bogus. */
	if (n > MINDL_MAX_ITEMS) {
		d->emitted = 1;
		d->err = MINDL_ERR_CBOR_LIMIT;
		return;
	}
	open_container(d, MINDL_CBOR_ARRAY, n, n);
}

static void
cb_map(void *ctx, size_t n)
{
	struct dec *d = ctx;

	if (n > MINDL_MAX_MAP) {
		d->emitted = 1;
		d->err = MINDL_ERR_CBOR_LIMIT;
		return;
	}
	open_container(d, MINDL_CBOR_MAP, n, n * 2);
}

static void
cb_tag(void *ctx, uint64_t tag)
{
	open_container(ctx, MINDL_CBOR_TAG, tag, 1);
}

static void
cb_f2(void *ctx, float f)
{
	struct mindl_cbor_item *it;

	if ((it = push(ctx, MINDL_CBOR_FLOAT)) != NULL)
		it->f = (double)f;
}

static void
cb_f8(void *ctx, double f)
{
	struct mindl_cbor_item *it;

	if ((it = push(ctx, MINDL_CBOR_FLOAT)) != NULL)
		it->f = f;
}

static void cb_undef(void *c) { push(c, MINDL_CBOR_UNDEF); }
static void cb_null(void *c) { push(c, MINDL_CBOR_NULL); }

static void
cb_bool(void *c, bool v)
{
	push(c, v ? MINDL_CBOR_TRUE : MINDL_CBOR_FALSE);
}

static const struct cbor_callbacks callbacks = {
	.uint8 = cb_u8, .uint16 = cb_u16, .uint32 = cb_u32, .uint64 = cb_u64,
	.negint8 = cb_n8, .negint16 = cb_n16, .negint32 = cb_n32,
	.negint64 = cb_n64,
	.byte_string = cb_bstr, .byte_string_start = cb_indef,
	.string = cb_tstr, .string_start = cb_indef,
	.array_start = cb_array, .indef_array_start = cb_indef,
	.map_start = cb_map, .indef_map_start = cb_indef,
	.tag = cb_tag,
	.float2 = cb_f2, .float4 = cb_f2, .float8 = cb_f8,
	.undefined = cb_undef, .null = cb_null, .boolean = cb_bool,
	.indef_break = cb_break,
};

/*
 * Key order for duplicate detection.  Two keys are the same key if they
 * mean the same: with the shortest-head rule not enforced on input, an
 * integer or a string could be repeated with a longer head, so integers
 * compare by value and strings by content; anything else by its
 * encoding.  The order is by type first, then as RFC 8949 4.2.1 sorts
 * shortest-form keys, so that a map from a deterministic encoder is
 * already in it.
 */
static int
keycmp_item(const struct mindl_cbor_item *x, const struct mindl_cbor_item *y)
{
	const uint8_t *px, *py;
	size_t lx, ly;
	int c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	switch (x->type) {
	case MINDL_CBOR_UINT:
	case MINDL_CBOR_NEGINT:
		return (x->u > y->u) - (x->u < y->u);
	case MINDL_CBOR_BSTR:
	case MINDL_CBOR_TSTR:
		px = x->ptr;
		lx = x->len;
		py = y->ptr;
		ly = y->len;
		break;
	default:
		px = x->enc;
		lx = x->enclen;
		py = y->enc;
		ly = y->enclen;
		break;
	}
	if (lx != ly)
		return lx < ly ? -1 : 1;
	if (lx == 0)
		return 0;
	c = memcmp(px, py, lx);
	return (c > 0) - (c < 0);
}

static int
keycmp(const void *a, const void *b)
{
	return keycmp_item(*(const struct mindl_cbor_item *const *)a,
	    *(const struct mindl_cbor_item *const *)b);
}

/*
 * Keys in strictly increasing order (what deterministic encoders send)
 * are checked in one pass; others are sorted so that equal keys meet.
 */
static int
check_dupkeys(const struct mindl_cbor_item *map)
{
	const struct mindl_cbor_item *stackbuf[32], **keys = stackbuf;
	const struct mindl_cbor_item *k;
	size_t n = (size_t)map->u, i;
	int r = MINDL_OK;

	if (n < 2)
		return MINDL_OK;
	if (n > 32 && (keys = mindl_calloc(n, sizeof(*keys))) == NULL)
		return MINDL_ERR_NOMEM;
	for (i = 0, k = mindl_cbor_child(map); i < n; i++) {
		keys[i] = k;
		k = mindl_cbor_next(mindl_cbor_next(k));
	}
	for (i = 1; i < n; i++)
		if (keycmp_item(keys[i - 1], keys[i]) >= 0)
			break;
	if (i < n) {
		qsort(keys, n, sizeof(*keys), keycmp);
		for (i = 1; i < n && r == MINDL_OK; i++)
			if (keycmp(&keys[i - 1], &keys[i]) == 0)
				r = MINDL_ERR_CBOR_DUPKEY;
	}
	if (keys != stackbuf)
		free(keys);
	return r;
}

/* An item (leaf or container) is complete: close finished parents. */
static void
complete(struct dec *d, size_t end)
{
	struct mindl_cbor_item *it;
	struct open *o;
	int r;

	while (d->depth > 0) {
		o = &d->stack[d->depth - 1];
		if (--o->remaining > 0)
			return;
		it = &d->doc->items[o->idx];
		it->enclen = end - (size_t)(it->enc - d->base);
		it->skip = (uint32_t)(d->doc->n - o->idx);
		d->depth--;
		if (it->type == MINDL_CBOR_MAP &&
		    (r = check_dupkeys(it)) != MINDL_OK) {
			d->err = r;
			return;
		}
	}
}

int
mindl_cbor_decode(const uint8_t *buf, size_t len, struct mindl_cbor **out)
{
	struct dec d;
	struct cbor_decoder_result res;
	struct mindl_cbor_item *it;
	size_t before, ninl;
	int r = MINDL_ERR_INTERNAL;

	*out = NULL;
	memset(&d, 0, sizeof(d));
	if (buf == NULL || len == 0) {
		r = MINDL_ERR_CBOR;
		goto fail;
	}
	if (len > MINDL_MAX_INPUT) {
		r = MINDL_ERR_TOO_LARGE;
		goto fail;
	}
	/* Every item takes a byte at least: small inputs, small documents. */
	ninl = len < INLINE_ITEMS ? len : INLINE_ITEMS;
	if ((d.doc = mindl_malloc(sizeof(*d.doc) +
	    ninl * sizeof(d.doc->inl[0]))) == NULL) {
		r = MINDL_ERR_NOMEM;
		goto fail;
	}
	d.doc->items = d.doc->inl;
	d.doc->n = 0;
	d.doc->cap = ninl;
	d.base = buf;
	for (;;) {
		d.emitted = 0;
		before = d.doc->n;
		if (d.pos < len && buf[d.pos] >= 0xc0 && buf[d.pos] <= 0xd7) {
			/*
			 * A tag below 24 in its one-byte head: libcbor 0.8
			 * reports 6..20 (COSE_Mac0's 17 and COSE_Sign1's 18
			 * among them) as errors, so they are read here.
			 */
			cb_tag(&d, (uint64_t)(buf[d.pos] & 0x1f));
			res.status = CBOR_DECODER_FINISHED;
			res.read = 1;
		} else
			res = cbor_stream_decode(buf + d.pos, len - d.pos,
			    &callbacks, &d);
		if (d.err != MINDL_OK) {
			r = d.err;
			goto fail;
		}
		if (res.status != CBOR_DECODER_FINISHED || !d.emitted ||
		    res.read == 0) {
			/* NEDATA (truncated) or a reserved/invalid head. */
			mindl_log_debug("%s: malformed at offset %zu", __func__,
			    d.pos);
			r = MINDL_ERR_CBOR;
			goto fail;
		}
		it = &d.doc->items[before];
		d.pos += res.read;
		if (it->type != MINDL_CBOR_ARRAY && it->type != MINDL_CBOR_MAP &&
		    it->type != MINDL_CBOR_TAG)
			it->enclen = res.read;
		else if (it->u == 0 && it->type != MINDL_CBOR_TAG)
			it->enclen = res.read;	/* empty container */
		else
			goto next;	/* open: completes later */
		if (d.depth == 0)
			break;
		complete(&d, d.pos);
		if (d.err != MINDL_OK) {
			r = d.err;
			goto fail;
		}
		if (d.depth == 0)
			break;
		continue;
 next:
		if (d.pos >= len) {
			r = MINDL_ERR_CBOR;
			goto fail;
		}
	}
	if (d.pos != len) {
		mindl_log_debug("%s: %zu trailing bytes", __func__, len - d.pos);
		r = MINDL_ERR_CBOR_TRAILING;
		goto fail;
	}
	*out = d.doc;
	d.doc = NULL;
	r = MINDL_OK;
 fail:
	mindl_cbor_free(&d.doc);
	return r;
}

void
mindl_cbor_free(struct mindl_cbor **docp)
{
	if (docp == NULL || *docp == NULL)
		return;
	if ((*docp)->items != (*docp)->inl)
		free((*docp)->items);
	free(*docp);
	*docp = NULL;
}

const struct mindl_cbor_item *
mindl_cbor_root(const struct mindl_cbor *doc)
{
	return doc != NULL && doc->n > 0 ? &doc->items[0] : NULL;
}

const struct mindl_cbor_item *
mindl_cbor_child(const struct mindl_cbor_item *it)
{
	if (it == NULL || it->skip < 2)
		return NULL;
	return it + 1;
}

const struct mindl_cbor_item *
mindl_cbor_next(const struct mindl_cbor_item *it)
{
	/*
	 * Callers iterate a known number of children; the item past the
	 * last child of the top-level container is never dereferenced.
	 */
	return it != NULL ? it + it->skip : NULL;
}

/* Same key: same type, and the same bytes or the same value. */
static int
same_key(const struct mindl_cbor_item *a, const struct mindl_cbor_item *b)
{
	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case MINDL_CBOR_TSTR:
	case MINDL_CBOR_BSTR:
		return a->len == b->len && memcmp(a->ptr, b->ptr, a->len) == 0;
	case MINDL_CBOR_UINT:
	case MINDL_CBOR_NEGINT:
		return a->u == b->u;
	default:
		return 0;
	}
}

const struct mindl_cbor_item *
mindl_cbor_map_get_key(const struct mindl_cbor_item *map,
    const struct mindl_cbor_item *key)
{
	const struct mindl_cbor_item *k;
	uint64_t i;

	if (map == NULL || map->type != MINDL_CBOR_MAP || key == NULL)
		return NULL;
	for (i = 0, k = mindl_cbor_child(map); i < map->u; i++) {
		if (same_key(k, key))
			return mindl_cbor_next(k);
		k = mindl_cbor_next(mindl_cbor_next(k));
	}
	return NULL;
}

int
mindl_cbor_is_str(const struct mindl_cbor_item *it, const char *s)
{
	size_t n = strlen(s);

	return it != NULL && it->type == MINDL_CBOR_TSTR && it->len == n &&
	    memcmp(it->ptr, s, n) == 0;
}

const struct mindl_cbor_item *
mindl_cbor_map_get(const struct mindl_cbor_item *map, const char *key)
{
	const struct mindl_cbor_item *k;
	uint64_t i;

	if (map == NULL || map->type != MINDL_CBOR_MAP)
		return NULL;
	for (i = 0, k = mindl_cbor_child(map); i < map->u; i++) {
		if (mindl_cbor_is_str(k, key))
			return mindl_cbor_next(k);
		k = mindl_cbor_next(mindl_cbor_next(k));
	}
	return NULL;
}

const struct mindl_cbor_item *
mindl_cbor_map_get_int(const struct mindl_cbor_item *map, int64_t key)
{
	const struct mindl_cbor_item *k;
	uint64_t i;
	int64_t v;

	if (map == NULL || map->type != MINDL_CBOR_MAP)
		return NULL;
	for (i = 0, k = mindl_cbor_child(map); i < map->u; i++) {
		if (mindl_cbor_int(k, &v) == MINDL_OK && v == key)
			return mindl_cbor_next(k);
		k = mindl_cbor_next(mindl_cbor_next(k));
	}
	return NULL;
}

int
mindl_cbor_int(const struct mindl_cbor_item *it, int64_t *v)
{
	if (it == NULL)
		return MINDL_ERR_CBOR_TYPE;
	if (it->type == MINDL_CBOR_UINT && it->u <= INT64_MAX) {
		*v = (int64_t)it->u;
		return MINDL_OK;
	}
	if (it->type == MINDL_CBOR_NEGINT && it->u <= INT64_MAX) {
		*v = -1 - (int64_t)it->u;
		return MINDL_OK;
	}
	return MINDL_ERR_CBOR_TYPE;
}

const struct mindl_cbor_item *
mindl_cbor_untag(const struct mindl_cbor_item *it, uint64_t tag)
{
	const struct mindl_cbor_item *c;

	if (it == NULL || it->type != MINDL_CBOR_TAG || it->u != tag)
		return NULL;
	c = mindl_cbor_child(it);
	if (tag == 24 && (c == NULL || c->type != MINDL_CBOR_BSTR))
		return NULL;
	return c;
}

/* Walking. */

void
mindl_cbor_rd_init(struct mindl_cbor_rd *rd)
{
	rd->err = MINDL_OK;
	rd->what = NULL;
	rd->label = 0;
}

int
mindl_cbor_rd_fail(struct mindl_cbor_rd *rd, int err, const char *what)
{
	if (rd->err == MINDL_OK && err != MINDL_OK) {
		rd->err = err;
		rd->what = what;
		if (what != NULL)
			mindl_log_debug("cbor: %s: %s", what,
			    mindl_errname(err));
	}
	return rd->err;
}

static int
type_ok(const struct mindl_cbor_item *it, int t)
{
	return t == MINDL_CBOR_ANY || (int)it->type == t;
}

const struct mindl_cbor_item *
mindl_cbor_rd_type(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *it,
    int t, const char *what)
{
	if (rd->err != MINDL_OK)
		return NULL;
	if (it == NULL) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_MISSING, what);
		return NULL;
	}
	if (!type_ok(it, t)) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_CBOR_TYPE, what);
		return NULL;
	}
	return it;
}

/*
 * 1 if map can be looked into.  A NULL map is an optional parent that was
 * absent: its children are absent too (an error only if required).
 */
static int
rd_map(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *map,
    const char *key, int required)
{
	if (rd->err != MINDL_OK)
		return 0;
	if (map == NULL) {
		if (required)
			mindl_cbor_rd_fail(rd, MINDL_ERR_MISSING, key);
		return 0;
	}
	if (map->type != MINDL_CBOR_MAP) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_CBOR_TYPE, key);
		return 0;
	}
	return 1;
}

/* The value found (or NULL) checked against type t and requiredness. */
static const struct mindl_cbor_item *
rd_value(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *v, int t,
    int required, const char *key)
{
	if (v == NULL) {
		if (required)
			mindl_cbor_rd_fail(rd, MINDL_ERR_MISSING, key);
		return NULL;
	}
	if (!type_ok(v, t)) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_CBOR_TYPE, key);
		return NULL;
	}
	return v;
}

const struct mindl_cbor_item *
mindl_cbor_rd_get(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *map,
    const char *key, int t)
{
	if (!rd_map(rd, map, key, 1))
		return NULL;
	return rd_value(rd, mindl_cbor_map_get(map, key), t, 1, key);
}

const struct mindl_cbor_item *
mindl_cbor_rd_opt(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *map,
    const char *key, int t)
{
	if (!rd_map(rd, map, key, 0))
		return NULL;
	return rd_value(rd, mindl_cbor_map_get(map, key), t, 0, key);
}

static const struct mindl_cbor_item *
rd_int(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *map,
    int64_t key, int t, int required)
{
	const struct mindl_cbor_item *v = NULL;
	int before = rd->err;

	if (rd_map(rd, map, NULL, required))
		v = rd_value(rd, mindl_cbor_map_get_int(map, key), t,
		    required, NULL);
	/* The label this call failed on, for messages. */
	if (before == MINDL_OK && rd->err != MINDL_OK)
		rd->label = key;
	return v;
}

const struct mindl_cbor_item *
mindl_cbor_rd_get_int(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *map, int64_t key, int t)
{
	return rd_int(rd, map, key, t, 1);
}

const struct mindl_cbor_item *
mindl_cbor_rd_opt_int(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *map, int64_t key, int t)
{
	return rd_int(rd, map, key, t, 0);
}

uint64_t
mindl_cbor_rd_uint(struct mindl_cbor_rd *rd, const struct mindl_cbor_item *map,
    const char *key)
{
	const struct mindl_cbor_item *v;

	v = mindl_cbor_rd_get(rd, map, key, MINDL_CBOR_UINT);
	return v != NULL ? v->u : 0;
}

void
mindl_cbor_rd_text_is(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *map, const char *key, const char *s,
    int err_other)
{
	const struct mindl_cbor_item *v;

	v = mindl_cbor_rd_get(rd, map, key, MINDL_CBOR_TSTR);
	if (v != NULL && !mindl_cbor_is_str(v, s))
		mindl_cbor_rd_fail(rd, err_other, key);
}

const struct mindl_cbor_item *
mindl_cbor_rd_embedded(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *it, struct mindl_cbor **doc,
    const char *what)
{
	const struct mindl_cbor_item *b;
	int r;

	if (rd->err != MINDL_OK)
		return NULL;
	if (it == NULL) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_MISSING, what);
		return NULL;
	}
	if ((b = mindl_cbor_untag(it, 24)) == NULL) {
		mindl_cbor_rd_fail(rd, MINDL_ERR_CBOR_TAG, what);
		return NULL;
	}
	mindl_cbor_free(doc);
	if ((r = mindl_cbor_decode(b->ptr, b->len, doc)) != MINDL_OK) {
		mindl_cbor_rd_fail(rd, r, what);
		return NULL;
	}
	return mindl_cbor_root(*doc);
}

int
mindl_cbor_strdup(const struct mindl_cbor_item *it, char **out)
{
	char *s;

	*out = NULL;
	if (it == NULL || it->type != MINDL_CBOR_TSTR ||
	    (it->len > 0 && memchr(it->ptr, '\0', it->len) != NULL))
		return MINDL_ERR_CBOR_TYPE;
	if ((s = mindl_malloc(it->len + 1)) == NULL)
		return MINDL_ERR_NOMEM;
	if (it->len > 0)
		memcpy(s, it->ptr, it->len);
	s[it->len] = '\0';
	*out = s;
	return MINDL_OK;
}

/* Encoder. */

/*
 * The frames are not cleared: a frame is set up in full when its
 * container opens, and none above depth is ever read.  (An encoder is
 * 680 bytes, and an issuance sets up some forty of them.)
 */
static void
enc_reset(struct mindl_enc *e, size_t max)
{
	mindl_buf_init(&e->out, max);
	e->err = MINDL_OK;
	e->depth = 0;
}

void
mindl_enc_init(struct mindl_enc *e, size_t max)
{
	enc_reset(e, max);
}

void
mindl_enc_clear(struct mindl_enc *e)
{
	int i;

	mindl_buf_clear(&e->out);
	for (i = 0; i < e->depth; i++)
		free(e->frames[i].pairs);
	enc_reset(e, 0);
}

/*
 * Room for n bytes at the end of the output.  An issuance writes some
 * two thousand heads and strings: when the room is there (nearly always),
 * it is found here without a call; otherwise the buffer grows.
 */
static uint8_t *
reserve(struct mindl_enc *e, size_t n)
{
	struct mindl_buf *b = &e->out;
	uint8_t *p;

	if (e->err != MINDL_OK)
		return NULL;
	if (b->err == MINDL_OK && n <= b->max && b->len <= b->max - n &&
	    b->len + n < b->cap)
		return b->p + b->len;
	if ((p = mindl_buf_reserve(b, n)) == NULL)
		e->err = mindl_buf_err(b);
	return p;
}

/*
 * n bytes written at the end.  The buffer's NUL is put back only when the
 * encoder hands the bytes over (finish): nothing reads them before.
 */
static void
commit(struct mindl_enc *e, size_t n)
{
	e->out.len += n;
}

/* Called before any item starts: record map key starts. */
static void
item_begin(struct mindl_enc *e)
{
	struct mindl_enc_frame *f;

	if (e->err != MINDL_OK || e->depth == 0)
		return;
	f = &e->frames[e->depth - 1];
	if (f->have >= f->want) {
		e->err = MINDL_ERR_INTERNAL;	/* too many items */
		return;
	}
	if (f->is_map && f->have % 2 == 0)
		f->pairs[f->have] = e->out.len;	/* key start */
}

static int
pair_cmp(const uint8_t *buf, const size_t *a, const size_t *b)
{
	size_t la = a[1] - a[0], lb = b[1] - b[0];
	int c = memcmp(buf + a[0], buf + b[0], la < lb ? la : lb);

	if (c != 0)
		return c;
	return (la > lb) - (la < lb);
}

/*
 * Sorts the finished map's pairs by encoded key (RFC 8949 4.2.1).  pairs
 * holds, per pair, the key start and the key end (= value start); a pair
 * ends where the next begins.  Keys that come in order (the usual case:
 * callers that know their keys add them sorted) cost one comparison per
 * pair; otherwise a binary insertion sort over indices, O(n log n)
 * comparisons, orders them and the bytes are moved once.
 */
static void
sort_map(struct mindl_enc *e, struct mindl_enc_frame *f)
{
	size_t n = (size_t)f->want / 2, i, lo, hi, mid, *p = f->pairs;
	size_t *ord = NULL, *ends = NULL, o, len, start, total, cur;
	uint8_t *copy = NULL;
	int sorted = 1, c;

	for (i = 1; i < n && sorted; i++) {
		if ((c = pair_cmp(e->out.p, &p[2 * (i - 1)], &p[2 * i])) > 0)
			sorted = 0;
		else if (c == 0)
			e->err = MINDL_ERR_CBOR_DUPKEY;
	}
	if (sorted || e->err != MINDL_OK)
		return;
	start = p[0];
	total = e->out.len - start;
	ord = mindl_calloc(n, sizeof(*ord));
	ends = mindl_calloc(n, sizeof(*ends));
	copy = mindl_malloc(total);
	if (ord == NULL || ends == NULL || copy == NULL) {
		e->err = MINDL_ERR_NOMEM;
		goto out;
	}
	for (i = 0; i < n; i++)
		ends[i] = i + 1 < n ? p[2 * (i + 1)] : e->out.len;
	for (i = 0; i < n; i++) {
		/* First position in ord[0..i) whose key is > key i. */
		for (lo = 0, hi = i; lo < hi; ) {
			mid = lo + (hi - lo) / 2;
			if (pair_cmp(e->out.p, &p[2 * ord[mid]], &p[2 * i]) > 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		/* Equal keys end up next to each other: checked below. */
		memmove(&ord[lo + 1], &ord[lo], (i - lo) * sizeof(*ord));
		ord[lo] = i;
	}
	for (i = 1; i < n; i++)
		if (pair_cmp(e->out.p, &p[2 * ord[i - 1]], &p[2 * ord[i]]) == 0) {
			e->err = MINDL_ERR_CBOR_DUPKEY;
			goto out;
		}
	memcpy(copy, e->out.p + start, total);
	for (i = 0, o = start; i < n; i++) {
		cur = ord[i];
		len = ends[cur] - p[2 * cur];
		memcpy(e->out.p + o, copy + (p[2 * cur] - start), len);
		o += len;
	}
 out:
	if (copy != NULL)
		mindl_freezero(copy, total);
	free(ord);
	free(ends);
}

/* An item is complete: count it, close finished containers. */
static void
item_end(struct mindl_enc *e)
{
	struct mindl_enc_frame *f;

	while (e->err == MINDL_OK && e->depth > 0) {
		f = &e->frames[e->depth - 1];
		if (f->is_map && f->have % 2 == 0)
			f->pairs[f->have + 1] = e->out.len;	/* key end */
		if (++f->have < f->want)
			return;
		if (f->is_map)
			sort_map(e, f);
		free(f->pairs);
		f->pairs = NULL;
		e->depth--;
	}
}

static void
put_head(struct mindl_enc *e, size_t (*fn)(uint64_t, unsigned char *, size_t),
    uint64_t v)
{
	uint8_t *dst;
	size_t n;

	if ((dst = reserve(e, 9)) == NULL)
		return;
	if ((n = fn(v, dst, 9)) == 0) {
		e->err = MINDL_ERR_INTERNAL;
		return;
	}
	commit(e, n);
}

static size_t
head_bstr(uint64_t v, unsigned char *b, size_t n)
{
	return cbor_encode_bytestring_start((size_t)v, b, n);
}

static size_t
head_tstr(uint64_t v, unsigned char *b, size_t n)
{
	return cbor_encode_string_start((size_t)v, b, n);
}

static size_t
head_array(uint64_t v, unsigned char *b, size_t n)
{
	return cbor_encode_array_start((size_t)v, b, n);
}

static size_t
head_map(uint64_t v, unsigned char *b, size_t n)
{
	return cbor_encode_map_start((size_t)v, b, n);
}

static void
put_bytes(struct mindl_enc *e, const void *p, size_t n)
{
	uint8_t *dst;

	if (n == 0 || (dst = reserve(e, n)) == NULL)
		return;
	memcpy(dst, p, n);
	commit(e, n);
}

void
mindl_enc_uint(struct mindl_enc *e, uint64_t v)
{
	item_begin(e);
	put_head(e, cbor_encode_uint, v);
	item_end(e);
}

void
mindl_enc_int(struct mindl_enc *e, int64_t v)
{
	item_begin(e);
	if (v >= 0)
		put_head(e, cbor_encode_uint, (uint64_t)v);
	else
		put_head(e, cbor_encode_negint, (uint64_t)(-1 - v));
	item_end(e);
}

void
mindl_enc_bstr(struct mindl_enc *e, const uint8_t *p, size_t n)
{
	item_begin(e);
	put_head(e, head_bstr, n);
	put_bytes(e, p, n);
	item_end(e);
}

void
mindl_enc_tstrn(struct mindl_enc *e, const char *s, size_t n)
{
	item_begin(e);
	put_head(e, head_tstr, n);
	put_bytes(e, s, n);
	item_end(e);
}

void
mindl_enc_tstr(struct mindl_enc *e, const char *s)
{
	mindl_enc_tstrn(e, s, strlen(s));
}

static void
put_simple(struct mindl_enc *e, uint8_t b)
{
	item_begin(e);
	put_bytes(e, &b, 1);
	item_end(e);
}

void
mindl_enc_bool(struct mindl_enc *e, int v)
{
	put_simple(e, v ? 0xf5 : 0xf4);
}

void
mindl_enc_null(struct mindl_enc *e)
{
	put_simple(e, 0xf6);
}

static void
open_frame(struct mindl_enc *e, int is_map, uint64_t n)
{
	struct mindl_enc_frame *f;

	if (e->err != MINDL_OK)
		return;
	if (n == 0) {
		item_end(e);
		return;
	}
	if (e->depth >= MINDL_ENC_MAX_FRAMES || n > MINDL_MAX_MAP * 2) {
		e->err = MINDL_ERR_CBOR_DEPTH;
		return;
	}
	f = &e->frames[e->depth];
	memset(f, 0, sizeof(*f));
	f->is_map = is_map;
	f->want = is_map ? n * 2 : n;
	f->body = e->out.len;
	if (is_map && (f->pairs = mindl_calloc((size_t)f->want,
	    sizeof(*f->pairs))) == NULL) {
		e->err = MINDL_ERR_NOMEM;
		return;
	}
	e->depth++;
}

void
mindl_enc_array(struct mindl_enc *e, uint64_t n)
{
	item_begin(e);
	put_head(e, head_array, n);
	open_frame(e, 0, n);
}

void
mindl_enc_map(struct mindl_enc *e, uint64_t pairs)
{
	item_begin(e);
	put_head(e, head_map, pairs);
	open_frame(e, 1, pairs);
}

void
mindl_enc_tag(struct mindl_enc *e, uint64_t tag)
{
	item_begin(e);
	put_head(e, cbor_encode_tag, tag);
	open_frame(e, 0, 1);
}

void
mindl_enc_raw(struct mindl_enc *e, const uint8_t *p, size_t n)
{
	item_begin(e);
	put_bytes(e, p, n);
	item_end(e);
}

void
mindl_enc_embedded(struct mindl_enc *e, const uint8_t *p, size_t n)
{
	mindl_enc_tag(e, 24);
	mindl_enc_bstr(e, p, n);
}

/* All containers complete and something written, or the error. */
static int
finish_check(struct mindl_enc *e)
{
	if (e->err == MINDL_OK && e->depth != 0)
		e->err = MINDL_ERR_INTERNAL;	/* unfinished container */
	if (e->err == MINDL_OK && e->out.len == 0)
		e->err = MINDL_ERR_INTERNAL;
	if (e->err == MINDL_OK)
		e->out.p[e->out.len] = '\0';	/* reserve kept room for it */
	return e->err;
}

int
mindl_enc_finish(struct mindl_enc *e, uint8_t **out, size_t *outlen)
{
	int r;

	*out = NULL;
	*outlen = 0;
	if ((r = finish_check(e)) != MINDL_OK) {
		mindl_enc_clear(e);
		return r;
	}
	/*
	 * The encoder's own block, handed over: nothing past len was ever
	 * written, so free() or mindl_freezero(p, len) releases it cleanly.
	 */
	*out = e->out.p;
	*outlen = e->out.len;
	mindl_buf_init(&e->out, 0);
	mindl_enc_clear(e);
	return MINDL_OK;
}

int
mindl_enc_finish_buf(struct mindl_enc *e, struct mindl_buf *out)
{
	int r;

	mindl_buf_clear(out);
	if ((r = finish_check(e)) != MINDL_OK) {
		mindl_enc_clear(e);
		return r;
	}
	mindl_buf_move(out, &e->out);
	mindl_enc_clear(e);
	return MINDL_OK;
}
