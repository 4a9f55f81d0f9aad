/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A software CTAP2 authenticator for the tests, reached through
 * libfido2's own hooks, so that mindl's FIDO2 code runs end to end with
 * no hardware: either as a HID device (fido_dev_set_io_functions,
 * CTAPHID framing in 64-byte reports) or below the framing
 * (fido_dev_set_transport_functions, whole CTAPHID messages).  It speaks
 * CTAPHID INIT, PING, CANCEL and CBOR; CTAP2 getInfo, makeCredential
 * (ES256, packed self attestation) and getAssertion (rpId, allowList,
 * the up option).  Credentials live in memory, or, after
 * softauth_set_master, nowhere: each credential id is the credential's
 * key sealed under the master key (AES-256-GCM, the rpIdHash as
 * associated data), so that one run enrolls and the next asserts, as a
 * real key that keeps no state does.  Crypto is OpenSSL's,
 * CBOR libcbor's: nothing of mindl's code under test.
 *
 * Never part of the library: tests/ only.
 */
#ifndef MINDL_SOFTAUTH_H
#define MINDL_SOFTAUTH_H

#include <stddef.h>
#include <stdint.h>

struct fido_dev;
struct softauth;

enum softauth_mode {
	SOFTAUTH_HID = 0,	/* io hooks: CTAPHID reports */
	SOFTAUTH_TRANSPORT,	/* transport hooks: no framing */
};

/* What the authenticator does wrong on its next getAssertion answers. */
enum softauth_fault {
	SOFTAUTH_OK = 0,
	SOFTAUTH_DENY,		/* the user refuses: OPERATION_DENIED */
	SOFTAUTH_NO_UP,		/* signs with UP clear */
	SOFTAUTH_WRONG_RPID,	/* rpIdHash of another rpId */
	SOFTAUTH_TAIL,		/* 4 bytes after authData, ED clear */
	SOFTAUTH_ED_GARBAGE,	/* ED set, bytes that are no CBOR map */
	SOFTAUTH_ED_MAP,	/* ED set, a well-formed extension map */
	SOFTAUTH_OTHER_KEY,	/* another key signs */
	SOFTAUTH_BACKUP,	/* BE and BS set: a synced passkey */
	SOFTAUTH_UV,		/* UP and UV set (as after a PIN) */
	SOFTAUTH_MAKE_BACKUP,	/* makeCredential: BE and BS set */
};

/* The rpIdHash SOFTAUTH_WRONG_RPID answers with. */
#define SOFTAUTH_OTHER_RPID	"evil.example"

int softauth_new(enum softauth_mode mode, struct softauth **out);
void softauth_free(struct softauth **sap);
void softauth_set_fault(struct softauth *sa, enum softauth_fault f);
/*
 * Credential ids wrapped under key from now on (125 bytes):
 * another master key is another authenticator, which answers
 * NO_CREDENTIALS for them.
 */
void softauth_set_master(struct softauth *sa, const uint8_t key[32]);
/* getAssertion requests answered, and CTAPHID reports exchanged. */
unsigned long softauth_asserts(const struct softauth *sa);
unsigned long softauth_reports(const struct softauth *sa);

/*
 * An opener for mindl_fido_dev_open_with (arg: the softauth): a
 * fido_dev_t with sa's hooks, opened by fido_dev_open (INIT, getInfo).
 * Returns 0 or -1; the fido_dev_t is the caller's.
 */
int softauth_open(void *arg, struct fido_dev **out);

#endif /* MINDL_SOFTAUTH_H */
