/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: strict CBOR (RFC 8949) on libcbor.
 *
 * Decoding: libcbor's streaming decoder reads each item header; this
 * module builds a flat, pre-order array of items that point into the
 * caller's buffer, so every item knows the exact bytes it was received
 * as (hashes and signatures are computed over those, never over a
 * re-encoding).  Decoding rejects trailing bytes, duplicate map keys,
 * indefinite lengths, invalid UTF-8 in text strings, nesting deeper than
 * MINDL_MAX_DEPTH and anything over the size caps.  Map keys may come in
 * any order.
 *
 * Encoding: RFC 8949 section 4.2.1 core deterministic encoding: shortest
 * heads, definite lengths, map entries sorted by the bytes of their
 * encoded keys (the encoder sorts; callers may add keys in any order).
 */
#ifndef MINDL_CBOR_H
#define MINDL_CBOR_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define MINDL_MAX_DEPTH		16
#define MINDL_MAX_INPUT		(4u * 1024 * 1024)	/* whole input */
#define MINDL_MAX_ITEMS		65536			/* items per input */
#define MINDL_MAX_STRING	(1024u * 1024)		/* one bstr/tstr */
#define MINDL_MAX_MAP		4096			/* entries per map */

enum mindl_cbor_type {
	MINDL_CBOR_UINT = 0,
	MINDL_CBOR_NEGINT,	/* value is -1 - u */
	MINDL_CBOR_BSTR,
	MINDL_CBOR_TSTR,
	MINDL_CBOR_ARRAY,	/* u = element count */
	MINDL_CBOR_MAP,		/* u = pair count */
	MINDL_CBOR_TAG,		/* u = tag number; the tagged item follows */
	MINDL_CBOR_FALSE,
	MINDL_CBOR_TRUE,
	MINDL_CBOR_NULL,
	MINDL_CBOR_UNDEF,
	MINDL_CBOR_FLOAT,	/* f */
};

/*
 * One decoded item.  Items of a document are stored contiguously in
 * pre-order: the first child of an array, map or tag is item + 1, and the
 * next sibling of any item is item + item->skip.  Map children alternate
 * key, value.
 */
struct mindl_cbor_item {
	enum mindl_cbor_type	 type;
	uint32_t		 skip;	/* items in this subtree, itself included */
	uint64_t		 u;	/* uint, negint, count or tag number */
	double			 f;
	const uint8_t		*ptr;	/* bstr/tstr content */
	size_t			 len;
	const uint8_t		*enc;	/* this item's whole encoding */
	size_t			 enclen;
};

struct mindl_cbor;	/* a decoded document; borrows the input buffer */

/*
 * Decodes exactly one item filling buf[0..len).  The document keeps
 * pointers into buf: buf must outlive it.  Errors: MINDL_ERR_CBOR,
 * _TRAILING, _DUPKEY, _INDEFINITE, _DEPTH, _LIMIT, MINDL_ERR_NOMEM.
 */
int mindl_cbor_decode(const uint8_t *buf, size_t len, struct mindl_cbor **out);
void mindl_cbor_free(struct mindl_cbor **docp);
/* The top-level item; never NULL for a decoded document. */
const struct mindl_cbor_item *mindl_cbor_root(const struct mindl_cbor *doc);

/* Children: first child (NULL if none) and next sibling within parent. */
const struct mindl_cbor_item *mindl_cbor_child(const struct mindl_cbor_item *it);
const struct mindl_cbor_item *mindl_cbor_next(const struct mindl_cbor_item *it);

/* Map lookup by text or integer key; NULL if absent or not a map. */
const struct mindl_cbor_item *mindl_cbor_map_get(
    const struct mindl_cbor_item *map, const char *key);
const struct mindl_cbor_item *mindl_cbor_map_get_int(
    const struct mindl_cbor_item *map, int64_t key);

/*
 * Map lookup by a key item from another document: the value whose key
 * has the same type and bytes (text and byte strings) or value (ints).
 */
const struct mindl_cbor_item *mindl_cbor_map_get_key(
    const struct mindl_cbor_item *map, const struct mindl_cbor_item *key);

/* 1 if it is a tstr equal to s, else 0. */
int mindl_cbor_is_str(const struct mindl_cbor_item *it, const char *s);
/* Integer value (uint or negint) in int64 range; MINDL_ERR_CBOR_TYPE. */
int mindl_cbor_int(const struct mindl_cbor_item *it, int64_t *v);
/*
 * If it is tag `tag`, the tagged item; otherwise NULL.  For tag 24
 * (encoded CBOR) the tagged item must be a bstr.
 */
const struct mindl_cbor_item *mindl_cbor_untag(const struct mindl_cbor_item *it,
    uint64_t tag);

/*
 * Walking a decoded document (after QCBOR's spiffy decode).  Parsers of
 * outside bytes use these, never counting loops of their own:
 *
 * An iterator over one array's elements or one map's pairs cannot step
 * past its container: it knows how many children are left.
 */
struct mindl_cbor_iter {
	const struct mindl_cbor_item	*next;
	uint64_t			 left;	/* elements, or pairs */
};

/*
 * Starts iterating it, which must be an array (want MINDL_CBOR_ARRAY) or
 * a map (MINDL_CBOR_MAP): MINDL_ERR_CBOR_TYPE otherwise (NULL included),
 * and the iterator is then empty.  (Inline: parsers call these for every
 * digest of an MSO, and the layout they rely on is the one documented
 * above.)
 */
static inline int
mindl_cbor_iter_init(struct mindl_cbor_iter *i,
    const struct mindl_cbor_item *it, enum mindl_cbor_type want)
{
	i->next = NULL;
	i->left = 0;
	if (it == NULL || it->type != want ||
	    (want != MINDL_CBOR_ARRAY && want != MINDL_CBOR_MAP))
		return MINDL_ERR_CBOR_TYPE;
	i->next = it->u > 0 ? it + 1 : NULL;
	i->left = it->u;
	return MINDL_OK;
}

/* The next array element; NULL at the end. */
static inline const struct mindl_cbor_item *
mindl_cbor_iter_next(struct mindl_cbor_iter *i)
{
	const struct mindl_cbor_item *it;

	if (i->left == 0)
		return NULL;
	it = i->next;
	/* The item after the last child is never computed, let alone read. */
	if (--i->left > 0)
		i->next = it + it->skip;
	return it;
}

/* The next map pair; 0 at the end, else 1 with *k and *v set. */
static inline int
mindl_cbor_iter_pair(struct mindl_cbor_iter *i,
    const struct mindl_cbor_item **k, const struct mindl_cbor_item **v)
{
	if (i->left == 0) {
		*k = *v = NULL;
		return 0;
	}
	*k = i->next;
	*v = *k + (*k)->skip;
	if (--i->left > 0)
		i->next = *v + (*v)->skip;
	return 1;
}

/*
 * A reader: typed lookups that share one sticky error.  The first failure
 * is kept in err (with the key or label it concerned in what, for
 * messages); after it every call returns NULL or 0 and changes nothing,
 * so a parser states what it expects and checks err once.  The rules are
 * the same everywhere: a required key that is absent is
 * MINDL_ERR_MISSING, a value of another type MINDL_ERR_CBOR_TYPE, a map
 * argument that is not a map MINDL_ERR_CBOR_TYPE.  A NULL map argument is
 * an optional parent that was absent: its keys are absent too.
 */
#define MINDL_CBOR_ANY	(-1)	/* a "type" that matches every item */

struct mindl_cbor_rd {
	int		 err;
	const char	*what;	/* static or borrowed text; NULL if none */
	int64_t		 label;	/* the integer key, when what is NULL */
};

void mindl_cbor_rd_init(struct mindl_cbor_rd *rd);
/* Records err (if none yet), with what for messages; returns rd->err. */
int mindl_cbor_rd_fail(struct mindl_cbor_rd *rd, int err, const char *what);
/* it itself, if it has type t (MINDL_CBOR_ANY: any); else NULL. */
const struct mindl_cbor_item *mindl_cbor_rd_type(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *it, int t, const char *what);
/* map[key], required, of type t. */
const struct mindl_cbor_item *mindl_cbor_rd_get(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *map, const char *key, int t);
/* map[key] of type t if present; NULL (and no error) if absent. */
const struct mindl_cbor_item *mindl_cbor_rd_opt(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *map, const char *key, int t);
/* The same for integer keys (COSE labels). */
const struct mindl_cbor_item *mindl_cbor_rd_get_int(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *map, int64_t key, int t);
const struct mindl_cbor_item *mindl_cbor_rd_opt_int(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *map, int64_t key, int t);
/* map[key] as an unsigned integer (0 after an error). */
uint64_t mindl_cbor_rd_uint(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *map, const char *key);
/*
 * map[key] must be the text s; a tstr with other text records err_other
 * (e.g. MINDL_ERR_VERSION for a version string).
 */
void mindl_cbor_rd_text_is(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *map, const char *key, const char *s,
    int err_other);
/*
 * Enters an embedded item #6.24(bstr .cbor X): decodes the bstr into
 * *doc (the caller's, freed with mindl_cbor_free; it points into the
 * outer document's bytes) and returns X.  Not a tag 24 over a bstr:
 * MINDL_ERR_CBOR_TAG.  Decoding errors as mindl_cbor_decode's.
 */
const struct mindl_cbor_item *mindl_cbor_rd_embedded(struct mindl_cbor_rd *rd,
    const struct mindl_cbor_item *it, struct mindl_cbor **doc,
    const char *what);
/*
 * A NUL-terminated copy of a tstr without embedded NULs (*out, free());
 * MINDL_ERR_CBOR_TYPE for anything else, MINDL_ERR_NOMEM.
 */
int mindl_cbor_strdup(const struct mindl_cbor_item *it, char **out);

/* Deterministic encoder with a sticky error and a mandatory size cap. */
#define MINDL_ENC_MAX_FRAMES	MINDL_MAX_DEPTH

struct mindl_enc_frame {
	int		 is_map;
	uint64_t	 want;		/* items expected (pairs * 2 for maps) */
	uint64_t	 have;
	size_t		 body;		/* offset of the first item */
	size_t		*pairs;		/* maps: key start, key end per pair */
};

struct mindl_enc {
	struct mindl_buf	 out;
	int			 err;
	int			 depth;
	struct mindl_enc_frame	 frames[MINDL_ENC_MAX_FRAMES];
};

/* Starts an encoder whose output may not exceed max bytes. */
void mindl_enc_init(struct mindl_enc *e, size_t max);
/* Wipes and frees the buffer (encodings may hold secrets' neighbours). */
void mindl_enc_clear(struct mindl_enc *e);
/*
 * Ends encoding: all containers must be complete.  On success *out owns
 * the bytes (free with free()) and the encoder is cleared.
 */
int mindl_enc_finish(struct mindl_enc *e, uint8_t **out, size_t *outlen);
/*
 * The same into a buffer (cleared first; it takes the encoder's cap),
 * for encodings that carry personal data: no copy is made.
 */
int mindl_enc_finish_buf(struct mindl_enc *e, struct mindl_buf *out);

void mindl_enc_uint(struct mindl_enc *e, uint64_t v);
void mindl_enc_int(struct mindl_enc *e, int64_t v);
void mindl_enc_bstr(struct mindl_enc *e, const uint8_t *p, size_t n);
void mindl_enc_tstr(struct mindl_enc *e, const char *s);
void mindl_enc_tstrn(struct mindl_enc *e, const char *s, size_t n);
void mindl_enc_bool(struct mindl_enc *e, int v);
void mindl_enc_null(struct mindl_enc *e);
/* Containers close by themselves once their count of items is written. */
void mindl_enc_array(struct mindl_enc *e, uint64_t n);
void mindl_enc_map(struct mindl_enc *e, uint64_t pairs);
/* A tag; the next item written is its content. */
void mindl_enc_tag(struct mindl_enc *e, uint64_t tag);
/* One complete, already-encoded item, copied as is. */
void mindl_enc_raw(struct mindl_enc *e, const uint8_t *p, size_t n);
/* #6.24(bstr .cbor ITEM) around an already-encoded item. */
void mindl_enc_embedded(struct mindl_enc *e, const uint8_t *p, size_t n);

#endif /* MINDL_CBOR_H */
