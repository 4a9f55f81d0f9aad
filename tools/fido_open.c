/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * How the tools reach a security key, in production: the authenticator
 * libfido2's manifest lists (cli.h, cli_fido_open).  This file alone: the
 * test builds of the tools (build/tests/mindl-*-softkey) link
 * tests/fido/softopen.c in its place, so that no switch in an installed
 * binary can swap the key.
 */
#include "mindl/fido.h"
#include "cli.h"

int
cli_fido_open(const char *path, struct mindl_fido_dev **out)
{
	return mindl_fido_dev_open(path, out);
}
