/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-keys: the DMV key ceremony.  Makes the IACA root and the
 * document-signer (DS) keys and certificates of ISO/IEC 18013-5 Annex B,
 * the status-list signer's, the reader CA and verifiers' reader
 * authentication certificates, and shows certificates.  Private keys are written once (O_EXCL, 0600),
 * encrypted under a passphrase from a descriptor or the terminal (never
 * argv) unless --no-passphrase says otherwise, and the process can neither
 * dump core nor be attached to while keys are in memory.
 */
#include <stddef.h>

#include "cli.h"
#include "keys.h"

/* Sorted by name. */
static const struct cli_verb verbs[] = {
	{ "ds", cmd_ds,
	    "ds [-dj] --iaca-key K --iaca-cert C --out-key K --out-cert C\n"
	    "\t\t[--days N] [--name CN] [--curve CRV]\n"
	    "\t\t[--pass-fd N | --no-passphrase]\n"
	    "\t\t[--iaca-pass-fd N | --iaca-no-passphrase]", NULL,
	    "Makes a document signer key and its certificate under the IACA.",
	    ds_opts, O_DS_N, 0, 0 },
	{ "iaca", cmd_iaca,
	    "iaca [-dj] --country CC --state ST --name NAME\n"
	    "\t\t--out-key K --out-cert C [--days N] [--issuer-alt URI]\n"
	    "\t\t[--curve CRV] [--pass-fd N | --no-passphrase]", NULL,
	    "Makes the IACA root key and its self-signed certificate.",
	    iaca_opts, O_IACA_N, 0, 0 },
	{ "reader", cmd_reader,
	    "reader [-dj] --ca-key K --ca-cert C --profile ID[,ID...]\n"
	    "\t\t--name NAME --out-key K --out-cert C [--days N]\n"
	    "\t\t[--pass-fd N | --no-passphrase]\n"
	    "\t\t[--ca-pass-fd N | --ca-no-passphrase]", NULL,
	    "Certifies a verifier: its reader key, name and the profiles it "
	    "may request.",
	    reader_opts, O_RD_N, 0, 0 },
	{ "reader-ca", cmd_reader_ca,
	    "reader-ca [-dj] --country CC --state ST --name NAME\n"
	    "\t\t--out-key K --out-cert C [--days N] [--issuer-alt URI]\n"
	    "\t\t[--pass-fd N | --no-passphrase]", NULL,
	    "Makes the reader CA, the root that certifies verifiers.",
	    iaca_opts, O_IACA_N, 0, 0 },
	{ "show", cmd_show, "show [-dj] CERT", NULL,
	    "Shows a certificate's names, validity, key id and role.",
	    NULL, 0, 1, 1 },
	{ "status-signer", cmd_status_signer,
	    "status-signer [-dj] --iaca-key K --iaca-cert C --out-key K\n"
	    "\t\t--out-cert C [--days N] [--name CN] [--curve CRV]\n"
	    "\t\t[--pass-fd N | --no-passphrase]\n"
	    "\t\t[--iaca-pass-fd N | --iaca-no-passphrase]", NULL,
	    "Makes the key that signs status lists, and its certificate.",
	    status_signer_opts, O_DS_N, 0, 0 },
};

int
main(int argc, char **argv)
{
	cli_init("mindl-keys");
	if (cli_protect() == -1)
		return 3;
	return cli_dispatch(argc, argv, verbs,
	    sizeof(verbs) / sizeof(verbs[0]));
}
