/* SPDX-License-Identifier: BSD-2-Clause */
/* mindl-issuer: declarations shared by the issuer's source files. */
#ifndef MINDL_ISSUER_H
#define MINDL_ISSUER_H

#include <stddef.h>
#include <stdint.h>

#include "mindl/mindl.h"
#include "mindl/signer.h"
#include "registry.h"

#ifndef MINDL_SYSCONFDIR
#define MINDL_SYSCONFDIR	"/etc"
#endif
/* Where a DMV keeps its policy, written once at set-up. */
#define MINDL_POLICY_FILE	MINDL_SYSCONFDIR "/mindl/policy.json"

/*
 * The desk's set-up for one run (desk.c): the document signer, the
 * DMV's policy as issued (in the short-lived mode, MSOs of at most
 * REG_SHORT_DAYS), and the registry when one is given.  The desk_*
 * set-up functions report their own errors and return an exit status.
 */
struct desk {
	int64_t			 now;
	struct mindl_schema	*schema;
	const char		*policy;	/* its name for messages */
	struct mindl_policy	 pol;
	struct mindl_key	*dskey;
	struct mindl_signer	 ds;
	uint8_t			*cert;
	size_t			 certlen;
	const char		*certp;
	struct registry		*reg;		/* NULL: no registry */
	const char		*regp;
	char			 secretbuf[4096];
	char			 operator[REG_OPERATOR_MAX + 1];
	/* The officer gate (officer.c, DESIGN.md 3.9). */
	uint64_t		 officers;	/* enrolled in the registry */
	struct reg_officer	 officer;	/* the one --officer names */
	int			 has_officer;
	const char		*officer_dev;	/* --officer-device, or NULL */
	const char		*officer_pinfd;	/* --officer-pin-fd, or NULL */
	int			 approved;	/* officer.id approved */
	/* The holder's security-key credential ids, one per copy, or NULL. */
	const struct mindl_fido_id *fido;
};

int desk_signer(struct desk *d, const char *keyp, const char *certp,
    const char *passfd, int nopass);
int desk_policy(struct desk *d, const char *verb, const char *path,
    int sample);
/* Opens db (NULL: none) with its secret (NULL: DB.secret). */
int desk_registry(struct desk *d, const char *verb, const char *db,
    const char *secret, const char *operator);
/*
 * One batch for a record: signed, and recorded in the registry (if any)
 * whole or not at all; a library error code.  res must not be NULL.
 */
int desk_issue(struct desk *d, const struct mindl_record *rec,
    struct mindl_key *const *dev, size_t n, const char *action,
    struct mindl_buf *cred, struct mindl_issue_result *res);
/*
 * Purpose credentials for a record (mindl_mdoc_issue_purposes), profs[i]
 * bound to dev[i], into one credential file, recorded as desk_issue
 * records a batch: the profiles that are not age-only take a status
 * index each from the registry, age-only ones none (a revoked licence
 * gets none at all); a set of ages only makes no credential row (there
 * is nothing to revoke), only the audit row.  res has n entries.  A
 * library error code.
 */
int desk_issue_purposes(struct desk *d, const struct mindl_record *rec,
    const struct mindl_profile *const *profs, struct mindl_key *const *dev,
    size_t n, struct mindl_buf *cred, struct mindl_issue_result *res);
void desk_close(struct desk *d);
/* 1 if s is an officer or operator id: 1 to 64 of [A-Za-z0-9._@-]. */
int desk_id_ok(const char *s);

/*
 * The officer gate (officer.c; DESIGN.md 3.9).  With officers enrolled
 * in d's registry, a verb that changes what holders have (revoke, renew,
 * purge, issue --records, enrolling another officer) needs one of them
 * to approve with their security key.  desk_officer, right after
 * desk_registry and before any work: id must name an enrolled officer
 * (MINDL_ERR_OFFICER_REQUIRED when none is named, exit 1;
 * MINDL_ERR_UNKNOWN_OFFICER for another id); with none enrolled an id
 * is refused too.  operator is --operator as given (NULL: none), which
 * must then be the officer's id or absent: the audit trail names the
 * officer.  device and pinfd are --officer-device and --officer-pin-fd.
 * An exit status (reported).
 */
int desk_officer(struct desk *d, const char *verb, const char *id,
    const char *device, const char *pinfd, const char *operator);
/*
 * The approval itself, just before the change: the officer's key signs a
 * fresh challenge over the action and digest (what the action is about:
 * the licence's lookup key, the proof, the records file, the purge
 * time), and the signature is checked against the enrolled public key
 * (mindl_fido_verify: rpId, user presence, signature).  On success the
 * audit trail's operator is the officer's id.  Nothing happens when no
 * officer is enrolled.  An exit status (reported; nothing was done).
 */
int desk_approve(struct desk *d, const char *action,
    const uint8_t digest[MINDL_SHA256_LEN]);
/*
 * "officers": N and "approved_by": ID or null, for the --json object of
 * a verb that used a registry.
 */
struct jw;
void desk_json_officers(struct jw *w, const struct desk *d);
/* The officer options of a gated verb, at indices o, dev and pin. */
#define DESK_OFFICER_OPTS(o, dev, pin)					\
	[o] = { "officer", 0, CLI_ARG, "ID",				\
	    "the enrolled officer who approves with a touch of their "	\
	    "security key (required once officers are enrolled)" },	\
	[dev] = { "officer-device", 0, CLI_ARG, "PATH",			\
	    "the officer's security key (default: the first found)" },	\
	[pin] = { "officer-pin-fd", 0, CLI_ARG, "N",			\
	    "read the officer key's PIN from descriptor N (else asked on "	\
	    "the terminal when the key wants one)" }

/* issue's options (main.c), shared with --records (records.c). */
enum {
	O_RECORD, O_PORTRAIT, O_DEVICE_PUB, O_DS_KEY, O_DS_CERT, O_OUT,
	O_DS_PASS_FD, O_NO_PASSPHRASE, O_POLICY, O_SAMPLE_POLICY, O_AT,
	O_FORCE, O_REGISTRY, O_REGISTRY_SECRET, O_OPERATOR, O_RECORDS,
	O_PORTRAITS, O_PURPOSE, O_OFFICER, O_OFFICER_DEVICE,
	O_OFFICER_PIN_FD, O_DEVICE_FIDO2, O_DEVICE, O_PIN_FD, O_COPIES,
	O_ISSUE_N
};

#define MAX_PORTRAIT	(512u * 1024)

/* The holder's public keys from a .pub file; an exit status (reported). */
int issue_read_device_keys(const char *path, struct mindl_key **dev,
    size_t *n);
/* A refused record, every problem on its own line. */
void issue_report_refusal(const char *recp, int r, const char *errbuf);
/* What was issued ("issued", "renewed"), or --json's object. */
int issue_summary(const struct desk *d, const char *verb, const char *outp,
    size_t ndev, const struct mindl_record *rec, const struct mindl_buf *cred,
    const struct mindl_issue_result *res);
/* An issuance the library or the registry refused; an exit status. */
int issue_failed(const struct desk *d, const char *devp, size_t ndev,
    int r);

/* Verbs (cmd_*.c) and their option tables. */
struct cli_args;
struct cli_opt;
/* The registry verbs' options (cmd_registry.c). */
enum {
	O_I_REGISTRY, O_I_SECRET, O_I_URI, O_I_SHORT, O_I_LIST, O_I_KDF,
	O_I_OPERATOR, O_INIT_N
};

enum {
	O_R_REGISTRY, O_R_SECRET, O_R_DOCNUM, O_R_OPERATOR, O_R_AT,
	O_R_OFFICER, O_R_OFFICER_DEVICE, O_R_OFFICER_PIN_FD, O_REVOKE_N
};

enum {
	O_P_REGISTRY, O_P_SECRET, O_P_OPERATOR, O_P_AT, O_P_OFFICER,
	O_P_OFFICER_DEVICE, O_P_OFFICER_PIN_FD, O_PURGE_N
};

enum { O_C_REGISTRY, O_C_SECRET, O_CHECK_N };

enum {
	O_S_REGISTRY, O_S_SECRET, O_S_KEY, O_S_CERT, O_S_PASS_FD,
	O_S_NO_PASSPHRASE, O_S_OUT, O_S_FORCE, O_S_TTL, O_S_DAYS,
	O_S_OPERATOR, O_S_AT, O_STATUS_N
};
/* renew-challenge and renew (cmd_renew.c). */
enum {
	O_H_REGISTRY, O_H_SECRET, O_H_OUT, O_H_MINUTES, O_H_FORCE,
	O_H_OPERATOR, O_H_AT, O_CHALLENGE_N
};
enum {
	O_N_REGISTRY, O_N_SECRET, O_N_CREDENTIAL, O_N_PROOF, O_N_DEVICE_PUB,
	O_N_IACA, O_N_DS_KEY, O_N_DS_CERT, O_N_OUT, O_N_DS_PASS_FD,
	O_N_NO_PASSPHRASE, O_N_POLICY, O_N_SAMPLE_POLICY, O_N_AT, O_N_FORCE,
	O_N_OPERATOR, O_N_OFFICER, O_N_OFFICER_DEVICE, O_N_OFFICER_PIN_FD,
	O_RENEW_N
};
/* operator enroll and operator list (officer.c). */
enum {
	O_O_REGISTRY, O_O_SECRET, O_O_ID, O_O_DEVICE, O_O_PIN_FD, O_O_OFFICER,
	O_O_OFFICER_DEVICE, O_O_OFFICER_PIN_FD, O_O_AT, O_OPERATOR_N
};
extern const struct cli_opt operator_opts[O_OPERATOR_N];
extern const struct cli_opt challenge_opts[O_CHALLENGE_N],
    renew_opts[O_RENEW_N];
extern const struct cli_opt init_opts[O_INIT_N], revoke_opts[O_REVOKE_N],
    purge_opts[O_PURGE_N], check_opts[O_CHECK_N], status_opts[O_STATUS_N];
int cmd_elements(const struct cli_args *);
int cmd_init(const struct cli_args *);
int cmd_revoke(const struct cli_args *);
int cmd_purge(const struct cli_args *);
int cmd_check(const struct cli_args *);
int cmd_status(const struct cli_args *);
int cmd_issue_records(const struct cli_args *);
int cmd_renew_challenge(const struct cli_args *);
int cmd_renew(const struct cli_args *);
int cmd_operator(const struct cli_args *);

#endif /* MINDL_ISSUER_H */
