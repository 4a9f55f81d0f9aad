/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-issuer: desk officers and their security keys (DESIGN.md 3.9).
 *
 * operator enroll makes a FIDO2 credential on an officer's key (CTAP2
 * makeCredential, user presence, ES256, not resident) for the fixed
 * rpId OFFICER_RPID and keeps its id and public key in the registry,
 * under an officer id (never a name of an applicant).  Once one officer
 * is enrolled, the verbs that change what holders have (revoke, renew,
 * purge, issue --records, enrolling another officer) need an enrolled
 * officer to approve: the issuer draws a fresh challenge, the officer's
 * key signs it (getAssertion, user presence), and the issuer checks the
 * signature with the enrolled public key before anything is changed.
 * The audit trail then names the officer.
 *
 * What the key signs is authData || clientDataHash, clientDataHash being
 * SHA-256 of
 *
 *   "mindl desk approval v1" 0x00 action 0x00 officer-id 0x00
 *   digest (32 bytes: what the action is about) nonce (32 random bytes)
 *
 * so an approval is for this action on this object, once.  The
 * assertion is asked for and checked in the same run: it never leaves
 * the process, and is not kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "mindl/cose.h"
#include "mindl/fido.h"
#include "cli.h"
#include "jw.h"
#include "issuer.h"
#include "registry.h"

/*
 * Fixed: a key enrolled at one desk answers for nothing else.  The
 * .invalid top-level domain (RFC 6761) can be no web site's, so no page
 * a browser opens can ask the key for an approval.  Kept with each
 * officer, so that a later rpId would leave enrolled keys working.
 */
#define OFFICER_RPID		"mindl-desk.invalid"
#define APPROVAL_CONTEXT	"mindl desk approval v1"
#define APPROVAL_NONCE		32
#define MAX_APPROVAL		(sizeof(APPROVAL_CONTEXT) + 32 + \
	REG_OPERATOR_MAX + 3 + MINDL_SHA256_LEN + APPROVAL_NONCE)

void
desk_json_officers(struct jw *w, const struct desk *d)
{
	if (d->reg == NULL)
		return;
	jw_key(w, "officers");
	jw_uint(w, d->officers);
	jw_key(w, "approved_by");
	jw_str(w, d->approved ? d->officer.id : NULL);
}

int
desk_officer(struct desk *d, const char *verb, const char *id,
    const char *device, const char *pinfd, const char *operator)
{
	char base[32];
	int r;

	/* Usage errors name the verb itself ("issue", not "issue --records"). */
	snprintf(base, sizeof(base), "%.*s", (int)strcspn(verb, " "), verb);
	d->officer_dev = device;
	d->officer_pinfd = pinfd;
	if (id == NULL && (device != NULL || pinfd != NULL))
		return cli_usage_error(base, "--officer-device and "
		    "--officer-pin-fd go with --officer ID");
	if (id != NULL && !desk_id_ok(id))
		return cli_usage_error(base, "--officer: 1 to %d letters, "
		    "digits or ._@-", REG_OPERATOR_MAX);
	if (id != NULL && operator != NULL && strcmp(id, operator) != 0)
		return cli_usage_error(base, "--operator and --officer name "
		    "different people: the audit trail records the officer "
		    "who approves; give --officer alone");
	if (d->officers == 0) {
		if (id == NULL)
			return 0;
		return cli_failf("--officer", MINDL_ERR_UNKNOWN_OFFICER, "no "
		    "officer is enrolled in this registry: enroll one "
		    "(mindl-issuer operator enroll), or leave out --officer; "
		    "nothing done");
	}
	if (id == NULL)
		return cli_failf(d->regp, MINDL_ERR_OFFICER_REQUIRED, "this "
		    "registry has %llu enrolled officer%s: %s needs one of "
		    "them to approve (--officer ID, and a touch of their "
		    "security key); nothing done",
		    (unsigned long long)d->officers, d->officers == 1 ? "" :
		    "s", verb);
	r = reg_officer_get(d->reg, id, &d->officer);
	if (r == MINDL_ERR_UNKNOWN_OFFICER)
		return cli_failf("--officer", r, "no officer \"%s\" is enrolled "
		    "here (mindl-issuer operator list); nothing done", id);
	if (r != MINDL_OK)
		return cli_failf(d->regp, r, "%s", reg_errmsg(d->reg));
	d->has_officer = 1;
	return 0;
}

/* A failed approval, said with what to do; an exit status. */
static int
approval_failed(const struct desk *d, int r)
{
	const char *id = d->officer.id;

	switch (r) {
	case MINDL_ERR_FIDO_PRESENCE:
		return cli_failf("--officer", r, "officer %s's key was not "
		    "touched, or the touch was refused: nothing done", id);
	case MINDL_ERR_NOT_DEVICE_KEY:
		return cli_failf("--officer", r, "this security key holds no "
		    "credential of officer %s: use the key %s enrolled with "
		    "(--officer-device PATH); nothing done", id, id);
	case MINDL_ERR_DEVICE_AUTH:
		return cli_failf("--officer", r, "the approval is not signed "
		    "by officer %s's enrolled key: nothing done", id);
	case MINDL_ERR_FIDO_RPID:
	case MINDL_ERR_FIDO_AUTHDATA:
		return cli_failf("--officer", r, "the security key answered "
		    "for something else: nothing done");
	case MINDL_ERR_FIDO:
		return cli_failf(d->officer_dev != NULL ? d->officer_dev :
		    "--officer", r, "no security key answered (plug in officer "
		    "%s's key, or name it with --officer-device); nothing "
		    "done", id);
	default:
		return cli_failf("--officer", r, "%s: nothing done",
		    mindl_strerr(r));
	}
}

/*
 * The PIN from pinfd when given; else none for now, and a key that wants
 * one gets it from the terminal on a second try (cli_pin).
 */
static int
fido_pin(const char *what, const char *fdopt, const char *pinfd,
    char **pin)
{
	*pin = NULL;
	if (pinfd == NULL)
		return 0;
	return cli_pin(what, fdopt, pinfd, pin);
}

int
desk_approve(struct desk *d, const char *action,
    const uint8_t digest[MINDL_SHA256_LEN])
{
	struct mindl_fido_assertion a;
	struct mindl_fido_signer s;
	struct mindl_fido_dev *dev = NULL;
	struct mindl_key *pub = NULL;
	uint8_t msg[MAX_APPROVAL];
	size_t n = 0, k;
	char *pin = NULL, what[REG_OPERATOR_MAX + 32];
	int r;

	if (d->officers == 0)
		return 0;
	if (!d->has_officer)	/* desk_officer did not run: a bug */
		return cli_fail("--officer", MINDL_ERR_INTERNAL);
	memset(&a, 0, sizeof(a));
	/* The challenge: context, action, officer, digest, fresh bytes. */
#define PUT(p, len) do {						\
	memcpy(msg + n, (p), (len));					\
	n += (len);							\
} while (0)
	k = strlen(action);
	if (k > 32 || strlen(d->officer.id) > REG_OPERATOR_MAX)
		return cli_fail("--officer", MINDL_ERR_INTERNAL);
	PUT(APPROVAL_CONTEXT, sizeof(APPROVAL_CONTEXT));
	PUT(action, k + 1);
	PUT(d->officer.id, strlen(d->officer.id) + 1);
	PUT(digest, MINDL_SHA256_LEN);
#undef PUT
	if ((r = mindl_random(msg + n, APPROVAL_NONCE)) != MINDL_OK)
		return cli_fail("approval", r);
	n += APPROVAL_NONCE;
	snprintf(what, sizeof(what), "officer %s's security key",
	    d->officer.id);
	if ((r = mindl_cose_key_decode(d->officer.pubkey,
	    d->officer.pubkeylen, &pub)) != MINDL_OK) {
		r = cli_failf(d->regp, MINDL_ERR_REGISTRY, "officer %s's "
		    "enrolled key cannot be read (%s): nothing done",
		    d->officer.id, mindl_errname(r));
		goto out;
	}
	if ((r = fido_pin(what, "--officer-pin-fd", d->officer_pinfd, &pin)) !=
	    0)
		goto out;
	if ((r = cli_fido_open(d->officer_dev, &dev)) != MINDL_OK) {
		r = approval_failed(d, r);
		goto out;
	}
	memset(&s, 0, sizeof(s));
	s.dev = dev;
	s.rpid = d->officer.rpid;
	s.cred_id = d->officer.cred_id;
	s.cred_idlen = d->officer.cred_idlen;
	s.pin = pin;
	cli_warn(NULL, "%s: officer %s, touch your security key to approve",
	    action, d->officer.id);
	r = mindl_fido_assert(&s, msg, n, &a);
	if (r == MINDL_ERR_PASSPHRASE && pin == NULL) {
		/* The key wants its PIN: asked once, on the terminal. */
		if ((r = cli_pin(what, "--officer-pin-fd", NULL, &pin)) != 0)
			goto out;
		s.pin = pin;
		r = mindl_fido_assert(&s, msg, n, &a);
	}
	if (r == MINDL_OK)
		r = mindl_fido_verify(a.authdata, a.authdatalen, a.sig,
		    a.siglen, d->officer.rpid, msg, n, pub, 0);
	if (r != MINDL_OK) {
		r = approval_failed(d, r);
		goto out;
	}
	/* From here on the audit trail names the officer. */
	snprintf(d->operator, sizeof(d->operator), "%s", d->officer.id);
	d->approved = 1;
	r = 0;
 out:
	mindl_fido_dev_free(&dev);
	mindl_key_free(&pub);
	cli_pass_free(&pin);
	mindl_wipe(msg, sizeof(msg));
	mindl_wipe(&a, sizeof(a));
	return r;
}

const struct cli_opt operator_opts[O_OPERATOR_N] = {
	[O_O_REGISTRY] = { "registry", 0, CLI_ARG | CLI_REQ, "DB",
	    "the registry" },
	[O_O_SECRET] = { "registry-secret", 0, CLI_ARG, "FILE",
	    "its secret (default DB.secret)" },
	[O_O_ID] = { "id", 0, CLI_ARG, "ID",
	    "enroll, remove: the officer's id (1 to 64 of A-Z a-z 0-9 ._@-; "
	    "never a name of an applicant)" },
	[O_O_DEVICE] = { "device", 0, CLI_ARG, "PATH",
	    "enroll: the new officer's security key (default: the first "
	    "found)" },
	[O_O_PIN_FD] = { "pin-fd", 0, CLI_ARG, "N",
	    "enroll: read the new key's PIN from descriptor N (else asked "
	    "on the terminal when the key wants one)" },
	DESK_OFFICER_OPTS(O_O_OFFICER, O_O_OFFICER_DEVICE,
	    O_O_OFFICER_PIN_FD),
	[O_O_AT] = { "at", 0, CLI_ARG, "TIME",
	    "enroll, remove: as of TIME instead of now" },
};

struct officer_list {
	struct jw	*w;
	size_t		 n;
};

static int
list_one(void *arg, const char *id, int64_t enrolled)
{
	struct officer_list *l = arg;
	char t[MINDL_TDATE_LEN + 1];

	l->n++;
	if (l->w != NULL) {
		jw_obj(l->w);
		jw_key(l->w, "id");
		jw_str(l->w, id);
		jw_key(l->w, "enrolled");
		jw_int(l->w, enrolled);
		jw_end_obj(l->w);
		return MINDL_OK;
	}
	if (mindl_tdate_format(enrolled, t) != MINDL_OK)
		snprintf(t, sizeof(t), "?");
	cli_print_safe(stdout, id);
	printf("\tenrolled %s\n", t);
	return MINDL_OK;
}

static int
operator_list(struct desk *d)
{
	struct officer_list l;
	struct jw w;
	int r;

	memset(&l, 0, sizeof(l));
	if (cli_json_on()) {
		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		desk_json_officers(&w, d);
		jw_key(&w, "list");
		jw_arr(&w);
		l.w = &w;
	}
	if ((r = reg_officer_each(d->reg, list_one, &l)) != MINDL_OK) {
		if (l.w != NULL)
			jw_clear(&w);
		return cli_failf(d->regp, r, "%s", reg_errmsg(d->reg));
	}
	if (l.w != NULL) {
		jw_end_arr(&w);
		jw_end_obj(&w);
		return jw_done(&w) == MINDL_OK ? 0 : 3;
	}
	return 0;
}

/* The new officer's credential as the registry keeps it. */
static int
officer_row(const char *id, const struct mindl_fido_cred *c,
    struct reg_officer *o)
{
	struct mindl_enc e;
	uint8_t *pk = NULL;
	size_t pklen = 0;
	int r;

	memset(o, 0, sizeof(*o));
	if (c->idlen > sizeof(o->cred_id))
		return MINDL_ERR_FIDO;
	mindl_enc_init(&e, sizeof(o->pubkey));
	if ((r = mindl_cose_key_write(&e, c->pub)) == MINDL_OK)
		r = mindl_enc_finish(&e, &pk, &pklen);
	mindl_enc_clear(&e);
	if (r != MINDL_OK)
		return r;
	snprintf(o->id, sizeof(o->id), "%s", id);
	snprintf(o->rpid, sizeof(o->rpid), "%s", OFFICER_RPID);
	memcpy(o->cred_id, c->id, c->idlen);
	o->cred_idlen = c->idlen;
	memcpy(o->pubkey, pk, pklen);
	o->pubkeylen = pklen;
	free(pk);
	return MINDL_OK;
}

static int
operator_enroll(struct desk *d, const struct cli_args *a)
{
	const char *id = a->val[O_O_ID], *devp = a->val[O_O_DEVICE];
	struct mindl_fido_cred cred;
	struct mindl_fido_dev *dev = NULL;
	struct reg_officer o;
	uint8_t digest[MINDL_SHA256_LEN];
	char *pin = NULL, what[REG_OPERATOR_MAX + 32];
	int r;

	memset(&cred, 0, sizeof(cred));
	if (id == NULL)
		return cli_usage_error("operator", "enroll: missing --id");
	if (!desk_id_ok(id))
		return cli_usage_error("operator", "--id: 1 to %d letters, "
		    "digits or ._@- (an officer id, never a name of an "
		    "applicant)", REG_OPERATOR_MAX);
	r = reg_officer_get(d->reg, id, &o);
	if (r == MINDL_OK)
		return cli_failf("--id", MINDL_ERR_EXISTS, "officer %s is "
		    "enrolled already: an id is enrolled once", id);
	if (r != MINDL_ERR_UNKNOWN_OFFICER)
		return cli_failf(d->regp, r, "%s", reg_errmsg(d->reg));
	if ((r = desk_officer(d, "operator enroll", a->val[O_O_OFFICER],
	    a->val[O_O_OFFICER_DEVICE], a->val[O_O_OFFICER_PIN_FD], NULL)) !=
	    0)
		return r;
	/* Another officer approves this one (none for the first). */
	if ((r = mindl_sha256((const uint8_t *)id, strlen(id), digest)) !=
	    MINDL_OK)
		return cli_fail("operator", r);
	if ((r = desk_approve(d, "officer-enroll", digest)) != 0)
		return r;
	/* The first officer enrolls themselves: the audit names them. */
	if (!d->approved)
		snprintf(d->operator, sizeof(d->operator), "%s", id);
	snprintf(what, sizeof(what), "officer %s's new security key", id);
	if ((r = fido_pin(what, "--pin-fd", a->val[O_O_PIN_FD], &pin)) != 0)
		goto out;
	if ((r = cli_fido_open(devp, &dev)) != MINDL_OK) {
		r = cli_failf(devp != NULL ? devp : "--device", r, "no security "
		    "key found: plug in the new officer's key (or name it "
		    "with --device); nothing enrolled");
		goto out;
	}
	cli_warn(NULL, "officer %s: touch your new security key to enroll "
	    "it", id);
	r = mindl_fido_enroll(dev, OFFICER_RPID, NULL, 0, pin, &cred);
	if (r == MINDL_ERR_PASSPHRASE && pin == NULL) {
		if ((r = cli_pin(what, "--pin-fd", NULL, &pin)) != 0)
			goto out;
		r = mindl_fido_enroll(dev, OFFICER_RPID, NULL, 0, pin, &cred);
	}
	if (r != MINDL_OK) {
		r = r == MINDL_ERR_FIDO_PRESENCE ? cli_failf("--device", r,
		    "the new key was not touched, or the touch was refused: "
		    "nothing enrolled") : r == MINDL_ERR_FIDO_AUTHDATA ?
		    cli_failf("--device", r, "this credential is synced (a "
		    "passkey): enroll a hardware security key; nothing "
		    "enrolled") : cli_failf("--device", r, "%s: nothing "
		    "enrolled", mindl_strerr(r));
		goto out;
	}
	if ((r = officer_row(id, &cred, &o)) != MINDL_OK) {
		r = cli_fail("--device", r);
		goto out;
	}
	if ((r = reg_officer_add(d->reg, &o, d->operator, d->now)) !=
	    MINDL_OK) {
		r = r == MINDL_ERR_EXISTS ? cli_failf("--id", r, "officer %s "
		    "is enrolled already", id) : cli_failf(d->regp, r, "%s: "
		    "nothing enrolled", reg_errmsg(d->reg));
		goto out;
	}
	d->officers++;
	if (cli_json_on()) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "officer");
		jw_str(&w, id);
		jw_key(&w, "rpid");
		jw_str(&w, OFFICER_RPID);
		desk_json_officers(&w, d);
		jw_end_obj(&w);
		r = jw_done(&w) == MINDL_OK ? 0 : 3;
	} else {
		printf("enrolled officer ");
		cli_print_safe(stdout, id);
		printf(" (%llu enrolled): revoke, renew, purge and issue "
		    "--records now need --officer and a touch of an enrolled "
		    "key\n", (unsigned long long)d->officers);
		r = 0;
	}
 out:
	mindl_fido_cred_clear(&cred);
	mindl_fido_dev_free(&dev);
	cli_pass_free(&pin);
	return r;
}

/*
 * operator remove --id ID: an officer who left, or whose key was lost,
 * taken off the registry with another enrolled officer's approval (or
 * their own); never the last one.
 */
static int
operator_remove(struct desk *d, const struct cli_args *a)
{
	const char *id = a->val[O_O_ID];
	struct reg_officer o;
	uint8_t digest[MINDL_SHA256_LEN];
	int r;

	if (id == NULL)
		return cli_usage_error("operator", "remove: missing --id");
	if (!desk_id_ok(id))
		return cli_usage_error("operator", "--id: 1 to %d letters, "
		    "digits or ._@-", REG_OPERATOR_MAX);
	if ((r = reg_officer_get(d->reg, id, &o)) == MINDL_ERR_UNKNOWN_OFFICER)
		return cli_failf("--id", r, "no officer \"%s\" is enrolled "
		    "here (mindl-issuer operator list); nothing removed", id);
	if (r != MINDL_OK)
		return cli_failf(d->regp, r, "%s", reg_errmsg(d->reg));
	if (d->officers <= 1)
		return cli_failf("--id", MINDL_ERR_LAST_OFFICER, "%s is the "
		    "last enrolled officer: enroll another first, so that "
		    "the registry stays gated; nothing removed", id);
	if ((r = desk_officer(d, "operator remove", a->val[O_O_OFFICER],
	    a->val[O_O_OFFICER_DEVICE], a->val[O_O_OFFICER_PIN_FD], NULL)) !=
	    0)
		return r;
	if ((r = mindl_sha256((const uint8_t *)id, strlen(id), digest)) !=
	    MINDL_OK)
		return cli_fail("operator", r);
	if ((r = desk_approve(d, "officer-remove", digest)) != 0)
		return r;
	if ((r = reg_officer_remove(d->reg, id, d->operator, d->now)) !=
	    MINDL_OK)
		return r == MINDL_ERR_LAST_OFFICER ||
		    r == MINDL_ERR_UNKNOWN_OFFICER ? cli_failf("--id", r,
		    "%s: nothing removed", mindl_strerr(r)) :
		    cli_failf(d->regp, r, "%s: nothing removed",
		    reg_errmsg(d->reg));
	d->officers--;
	if (cli_json_on()) {
		struct jw w;

		jw_init(&w, stdout);
		jw_obj(&w);
		jw_key(&w, "ok");
		jw_bool(&w, 1);
		jw_key(&w, "removed");
		jw_str(&w, id);
		desk_json_officers(&w, d);
		jw_end_obj(&w);
		return jw_done(&w) == MINDL_OK ? 0 : 3;
	}
	printf("removed officer ");
	cli_print_safe(stdout, id);
	printf(" (%llu enrolled; approved by ", (unsigned long long)d->officers);
	cli_print_safe(stdout, d->officer.id);
	printf("): that key approves nothing from now on\n");
	return 0;
}

int
cmd_operator(const struct cli_args *a)
{
	const char *sub = a->pos[0];
	struct desk d;
	int r, enroll, remove;

	memset(&d, 0, sizeof(d));
	enroll = strcmp(sub, "enroll") == 0;
	remove = strcmp(sub, "remove") == 0;
	if (!enroll && !remove && strcmp(sub, "list") != 0)
		return cli_usage_error("operator", "unknown: %s (operator "
		    "enroll, operator remove or operator list)", sub);
	if (remove && (a->val[O_O_DEVICE] != NULL ||
	    a->val[O_O_PIN_FD] != NULL))
		return cli_usage_error("operator", "remove: --device and "
		    "--pin-fd are for a new key; the approving officer's are "
		    "--officer-device and --officer-pin-fd");
	if (!enroll && !remove && (a->val[O_O_ID] != NULL ||
	    a->val[O_O_DEVICE] != NULL ||
	    a->val[O_O_PIN_FD] != NULL || a->val[O_O_OFFICER] != NULL ||
	    a->val[O_O_OFFICER_DEVICE] != NULL ||
	    a->val[O_O_OFFICER_PIN_FD] != NULL || a->val[O_O_AT] != NULL))
		return cli_usage_error("operator", "list takes --registry and "
		    "--registry-secret only");
	d.now = mindl_now();
	if (a->val[O_O_AT] != NULL && mindl_time_parse(a->val[O_O_AT],
	    &d.now) != MINDL_OK)
		return cli_usage_error("operator", "--at: not a time: %s",
		    a->val[O_O_AT]);
	if ((r = desk_registry(&d, "operator", a->val[O_O_REGISTRY],
	    a->val[O_O_SECRET], NULL)) == 0)
		r = enroll ? operator_enroll(&d, a) : remove ?
		    operator_remove(&d, a) : operator_list(&d);
	desk_close(&d);
	return r;
}
