/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-issuer: how the desk reaches a security key, in production: the
 * authenticator libfido2's manifest lists (issuer.h, desk_fido_open).
 * This file alone: the test build of the issuer
 * (build/tests/mindl-issuer-softkey) links tests/fido/softopen.c in its
 * place, so that no switch in the installed binary can swap the key.
 */
#include "mindl/fido.h"
#include "cli.h"
#include "issuer.h"

int
desk_fido_open(const char *path, struct mindl_fido_dev **out)
{
	return mindl_fido_dev_open(path, out);
}
