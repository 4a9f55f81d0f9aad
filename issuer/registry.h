/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-issuer: the registry (issuer/registry.c), the one interface the
 * issuer's verbs use to record what they issued, revoke, publish and
 * purge.  SQLite is its embedded backend; nothing outside registry.c
 * knows that.
 *
 * What it holds, and what it must never hold (DESIGN.md rule 3): no name,
 * date of birth, address, portrait, record value or source document.  A
 * licence is a row found by a slow keyed hash of its document number
 * (scrypt, keyed by the registry secret, cost fixed at init), and the
 * status indices of its MSOs are sealed (AES-256-GCM) under a key derived
 * from the same document number: whoever holds the database, its secret
 * and an index seen at a bar must still guess the document number, one
 * scrypt per guess.  Which indices are in use is a table of indices
 * linked to nothing; the audit trail records action, operator, count
 * and time, never a licence.
 */
#ifndef MINDL_ISSUER_REGISTRY_H
#define MINDL_ISSUER_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#define REG_SECRET_LEN		32
#define REG_KEY_LEN		32
#define REG_URI_MAX		255
#define REG_OPERATOR_MAX	64
/* scrypt N = 2^kdf_log2n, r = 8, p = 1: 2^16 is 64 MiB per guess. */
#define REG_KDF_DEFAULT		16
#define REG_KDF_MIN		10
#define REG_KDF_MAX		22
/* In the short-lived mode MSOs last at most this many days. */
#define REG_SHORT_DAYS		7

struct registry;

struct reg_config {
	unsigned	kdf_log2n;
	unsigned	list_log2;	/* status list size: 2^list_log2 */
	int		short_lived;	/* no status reference at all */
	char		status_uri[REG_URI_MAX + 1]; /* "" when short-lived */
};

/* A licence's two keys, from its document number (the slow KDF). */
struct reg_licence {
	uint8_t	lookup[REG_KEY_LEN];	/* the row's key */
	uint8_t	seal[REG_KEY_LEN];	/* seals its status indices */
};

/* Counts, for check and the audit trail. */
struct reg_stats {
	uint64_t	licences;
	uint64_t	revoked_licences;
	uint64_t	credentials;
	uint64_t	indices_used;
	uint64_t	indices_revoked;
	uint64_t	challenges;
	uint64_t	audit_rows;
	uint64_t	officers;
	int64_t		created;
	int		schema_version;
};

/*
 * Creates a registry: the database (0600; WAL; defensive) and a new
 * secret in secretp (0600, created exclusively).  Neither may exist.
 */
int reg_init(const char *db, const char *secretp, const struct reg_config *c,
    const char *operator, int64_t now, char *err, size_t errlen);
/*
 * Opens an existing registry with its secret, migrating its schema
 * forward if it is older; MINDL_ERR_REGISTRY if it is not a registry, is
 * newer than this build, or the secret is not its own.  err gets
 * SQLite's or the registry's own words on failure.
 */
int reg_open(const char *db, const char *secretp, struct registry **out,
    char *err, size_t errlen);
void reg_close(struct registry **rp);
const struct reg_config *reg_config(const struct registry *r);
/* Where SQLite failed, for messages (valid until the next call). */
const char *reg_errmsg(const struct registry *r);
/* How many times the slow KDF ran in this process (tests, bench). */
uint64_t reg_kdf_count(const struct registry *r);

/*
 * The licence keys of a document number (ASCII letters upper-cased,
 * surrounding white space dropped), one scrypt.  Wipe with
 * reg_licence_clear.
 */
int reg_licence_keys(struct registry *r, const char *docnum,
    struct reg_licence *l);
void reg_licence_clear(struct reg_licence *l);

/*
 * Issuance, in one transaction: reg_batch_begin takes the write lock,
 * refuses a revoked licence (MINDL_ERR_REVOKED) and draws n fresh random
 * status indices (none when short-lived); the caller signs; then
 * reg_batch_commit records the credential and the indices with the
 * licence, and the audit row, atomically.  A process that dies in between
 * leaves nothing: no index is taken, none is ever reused.
 */
int reg_batch_begin(struct registry *r, const struct reg_licence *l,
    size_t n, uint64_t *idx);
int reg_batch_commit(struct registry *r, const struct reg_licence *l,
    const uint8_t *cred_id, size_t idlen, int64_t valid_until,
    const char *signer, const uint64_t *idx, size_t n, const char *action,
    const char *operator, int64_t now);
void reg_batch_abort(struct registry *r);

/*
 * Marks every index of the licence INVALID and the licence revoked
 * (renewal is then refused).  *count: indices newly revoked.
 * MINDL_ERR_UNKNOWN_LICENCE when no licence has this number.
 */
int reg_revoke(struct registry *r, const struct reg_licence *l,
    const char *operator, int64_t now, size_t *count);
/* MINDL_OK when the licence may be renewed, else MINDL_ERR_REVOKED. */
int reg_check_not_revoked(struct registry *r, const struct reg_licence *l);
/*
 * Whether the licence owns status index idx (the collusion test): 1, 0,
 * or an error.
 */
int reg_licence_has_index(struct registry *r, const struct reg_licence *l,
    uint64_t idx);

/*
 * Deletes credential rows past validity at now, licence rows whose every
 * MSO has expired (a revoked licence keeps its row, emptied, so that
 * renewal stays refused) and used challenges; counts go to the audit.
 */
int reg_purge(struct registry *r, const char *operator, int64_t now,
    size_t *credentials, size_t *licences);

/*
 * The list's bits (LSB-first, 2^list_log2 entries, 1 = INVALID), malloc'd,
 * for status publish; the publication is audited.
 */
int reg_status_bits(struct registry *r, uint8_t **bits, size_t *nbytes,
    size_t *nrevoked);
int reg_audit(struct registry *r, const char *action, const char *operator,
    uint64_t count, int64_t now);

/* Renewal challenges: single use, until exp. */
int reg_challenge_new(struct registry *r, uint8_t ch[32], int64_t now,
    int64_t exp, const char *operator);
/* MINDL_ERR_CHALLENGE unless ch is known and unexpired; it is spent. */
int reg_challenge_take(struct registry *r, const uint8_t ch[32], int64_t now);

/*
 * Desk officers (schema 2): an id (never an applicant's name) and the
 * public key of a FIDO2 credential on the officer's security key.
 */
struct reg_officer {
	char		id[REG_OPERATOR_MAX + 1];
	char		rpid[REG_URI_MAX + 1];
	uint8_t		cred_id[1024];
	size_t		cred_idlen;
	uint8_t		pubkey[256];	/* COSE_Key */
	size_t		pubkeylen;
};
/* MINDL_ERR_EXISTS for an id already enrolled. */
int reg_officer_add(struct registry *r, const struct reg_officer *o,
    const char *operator, int64_t now);
int reg_officer_count(struct registry *r, uint64_t *n);
/*
 * Removes an officer, in one transaction with its audit row
 * ("officer-remove"): MINDL_ERR_UNKNOWN_OFFICER for an id not enrolled,
 * MINDL_ERR_LAST_OFFICER when it is the last one (a registry with no
 * officer is ungated: that must not follow from a removal).
 */
int reg_officer_remove(struct registry *r, const char *id,
    const char *operator, int64_t now);
/* MINDL_ERR_UNKNOWN_OFFICER for an id not enrolled. */
int reg_officer_get(struct registry *r, const char *id,
    struct reg_officer *o);

/*
 * fn(arg, id, enrolled) for each enrolled officer, by id; a non-zero
 * return from fn stops the walk and is returned.
 */
int reg_officer_each(struct registry *r,
    int (*fn)(void *arg, const char *id, int64_t enrolled), void *arg);

/* One row of the audit trail: no licence, only who did what when. */
struct reg_audit_row {
	int64_t		seq;
	int64_t		at;
	char		action[32];
	char		operator[REG_OPERATOR_MAX + 1];
	uint64_t	count;
};
/* fn for each of the last n audit rows, oldest first (as above). */
int reg_audit_tail(struct registry *r, unsigned n,
    int (*fn)(void *arg, const struct reg_audit_row *row), void *arg);

/* Integrity: SQLite's own check and the registry's invariants. */
int reg_check(struct registry *r, struct reg_stats *st, char *why,
    size_t whylen);

#endif /* MINDL_ISSUER_REGISTRY_H */
