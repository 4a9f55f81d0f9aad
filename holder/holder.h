/* SPDX-License-Identifier: BSD-2-Clause */
/* mindl-holder: declarations shared by the holder's source files. */
#ifndef MINDL_HOLDER_H
#define MINDL_HOLDER_H

#include <stddef.h>
#include <stdint.h>

#include "mindl/key.h"		/* MINDL_MAX_BATCH */

#define MAX_FILE	(4u * 1024 * 1024)	/* MINDL_MAX_INPUT */

/* Verbs (cmd_*.c), with the options of those outside main.c. */
struct cli_args;
struct cli_opt;
enum { O_SHOW_CREDENTIAL, O_SHOW_DEVICE_KEY, O_SHOW_PASS_FD,
    O_SHOW_NO_PASSPHRASE, O_SHOW_AT, O_SHOW_N };
extern const struct cli_opt show_opts[O_SHOW_N];
int cmd_show(const struct cli_args *);
enum { O_RN_CREDENTIAL, O_RN_DEVICE_KEY, O_RN_CHALLENGE, O_RN_NEW_PUB,
    O_RN_OUT, O_RN_PASS_FD, O_RN_NO_PASSPHRASE, O_RN_FORCE, O_RN_N };
extern const struct cli_opt renew_opts[O_RN_N];
int cmd_renew_proof(const struct cli_args *);
enum { O_QR_CREDENTIAL, O_QR_PURPOSE, O_QR_PNG, O_QR_SCALE, O_QR_QUIET,
    O_QR_SVG, O_QR_TEXT, O_QR_FORCE, O_QR_N };
extern const struct cli_opt qr_opts[O_QR_N];
int cmd_qr(const struct cli_args *);
enum { O_EN_OUT, O_EN_FORCE, O_EN_N };
extern const struct cli_opt engage_opts[O_EN_N];
int cmd_engage(const struct cli_args *);

/* Reader authentication and consent (consent.c). */
struct mindl_request;
struct mindl_profile;
struct mindl_reader_info;
struct mindl_present_report;
/*
 * The engagement file (dep, may be NULL) into *de, a signed request's
 * readerAuth checked against the reader CAs in trustp over this holder's
 * session, and the holder's rule for who may ask what
 * (mindl_reader_authorise).  0 or an exit status (reported: every refusal
 * says why and that nothing was released).
 */
int reader_check(const char *reqp, const struct mindl_request *req,
    const struct mindl_profile *prof, const char *trustp, const char *dep,
    int refuse_unsigned, uint8_t **de, size_t *delen,
    struct mindl_reader_info *ri, int *signed_ok);
/*
 * Shows who asks, the profile, each element with its decision and
 * intent_to_retain on the terminal (/dev/tty) and asks; 0 for yes, an
 * exit status (MINDL_ERR_DECLINED, reported) otherwise, EOF included.
 */
int consent_ask(const struct mindl_request *req,
    const struct mindl_profile *prof, const struct mindl_reader_info *ri,
    int signed_ok, const struct mindl_present_report *rep);
/* The "verifier:" line of present's report. */
void reader_report(const struct mindl_reader_info *ri, int signed_ok);

/*
 * How many single-use copies (entries) a credential file holds; 0 or an
 * exit status (reported).
 */
int cred_copies(const char *credp, const uint8_t *cred, size_t len,
    size_t *n);

/* The copies of a batch already presented (spent.c). */
struct spent {
	unsigned char	 used[MINDL_MAX_BATCH];
	size_t		 order[MINDL_MAX_BATCH];	/* oldest first */
	size_t		 n;
};
/*
 * The credential file (checked to be one, *cred malloc'd), its number of
 * copies and those already shown; 0 or an exit status (reported).  With
 * lockfd (else NULL) the credential is locked (flock) until *lockfd is
 * closed: presentations at once never pick the same copy.
 */
int cred_load(const char *credp, uint8_t **cred, size_t *credlen,
    size_t *ncopies, struct spent *sp, int *lockfd);
/* CRED.spent for a credential of ncopies; 0 or an exit status. */
int spent_load(const char *credp, size_t ncopies, struct spent *sp);
int spent_save(const char *credp, const struct spent *sp);
/* The copy to present next; SIZE_MAX when all are spent and !reuse. */
size_t spent_pick(const struct spent *sp, size_t ncopies, int reuse);
void spent_mark(struct spent *sp, size_t copy);
size_t spent_left(const struct spent *sp, size_t ncopies);

#endif /* MINDL_HOLDER_H */
