/* SPDX-License-Identifier: BSD-2-Clause */
/* mindl: umbrella header for libmindl. */
#ifndef MINDL_H
#define MINDL_H

#include "mindl/audit.h"
#include "mindl/cbor.h"
#include "mindl/cose.h"
#include "mindl/date.h"
#include "mindl/err.h"
#include "mindl/fido.h"
#include "mindl/file.h"
#include "mindl/jpeg.h"
#include "mindl/key.h"
#include "mindl/mdoc.h"
#include "mindl/qr.h"
#include "mindl/renewal.h"
#include "mindl/schema.h"
#include "mindl/status.h"
#include "mindl/trust.h"
#include "mindl/x509.h"

/*
 * The release this library is (the Makefile reads it from here for
 * mindl.pc); every tool's --version prints it.
 */
#define MINDL_VERSION	"0.1.0"

/* Debug logging to stderr on (1) or off (0). */
void mindl_set_debug(int on);

#endif /* MINDL_H */
