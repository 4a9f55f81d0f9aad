/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl-verifier: builds purpose-limited requests, verifies responses
 * offline and shows only what the request's profile allows (DESIGN.md
 * section 4, rule 4).  Every format and crypto rule lives in libmindl;
 * this file holds the verb table and the reading of hex test vectors.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "verifier.h"

/* Sorted by name; verify has two forms, one line each in the usage. */
static const struct cli_verb verbs[] = {
	{ "inspect", cmd_inspect, "inspect [-dj] FILE", NULL,
	    "Shows what a mindl or ISO 18013-5 file holds, verifying nothing.",
	    NULL, 0, 1, 1 },
	{ "profiles", cmd_profiles, "profiles [-dj]", NULL,
	    "Lists the verifier profiles: each one's question and elements.",
	    NULL, 0, 0, 0 },
	{ "request", cmd_request,
	    "request [-dfj] --profile ID -o REQ [--out-key K] [--retain]\n"
	    "\t\t[--reader-key K --reader-cert C --engagement DE\n"
	    "\t\t[--pass-fd N | --no-passphrase]]",
	    NULL,
	    "Makes a request for one profile's elements, and its reader key.",
	    request_opts, O_REQ_N, 0, 0 },
	{ "scan", cmd_scan,
	    "scan [-dj] --trust IACA.pem [--trust ...] IMAGE [--profile ID]\n"
	    "\t\t[--at TIME] [--no-portrait] [--status-db DB]\n"
	    "\t\t[--require-status]", NULL,
	    "Verifies a purpose credential's QR code in a photo or screenshot.",
	    scan_opts, O_SC_N, 1, 1 },
	{ "status", cmd_status,
	    "status [-dj] import FILE --trust IACA.pem [--trust ...]\n"
	    "\t\t[--status-db DB] [--at TIME]",
	    "status [-dj] list [--status-db DB]",
	    "Imports a status list after verifying it, or lists those cached.",
	    status_opts, O_S_N, 1, 2 },
	{ "trust", cmd_trust,
	    "trust [-dj] import-vical FILE --anchor ROOT.pem [--at TIME]\n"
	    "\t\t[--store PATH]\n"
	    "\ttrust [-dj] import PEM [--allow DEV,...] [--store PATH]",
	    "trust [-dj] list|remove SHA256 [--store PATH]",
	    "Keeps the trust store: roots from a verified VICAL or PEM file.",
	    trust_opts, O_T_N, 1, 2 },
	{ "verify", cmd_verify,
	    "verify [-dfj] --trust IACA.pem [--trust ...]\n"
	    "\t\t--request REQ --response RESP [--reader-key K] [--at TIME]\n"
	    "\t\t[--out-transcript ST] [--out-portrait FILE] [--no-portrait]\n"
	    "\t\t[--consume] [--status-db DB] [--require-status]",
	    "verify [-dfj] --trust IACA.pem [--trust ...]\n"
	    "\t\t(--transcript ST --response DEVICERESPONSE [--reader-key K]\n"
	    "\t\t| --qr-text FILE) [--profile ID] [--at TIME] [--no-portrait]\n"
	    "\t\t[--status-db DB] [--require-status]",
	    "Verifies a response or a scanned code's text offline and answers "
	    "the profile's question.",
	    verify_opts, O_V_N, 0, 0 },
};

int
read_bin_or_hex(const char *path, uint8_t **buf, size_t *len)
{
	struct mindl_buf b;
	uint8_t *raw = NULL;
	size_t rawlen = 0;
	int r;

	*buf = NULL;
	*len = 0;
	if ((r = mindl_file_read(path, MAX_HEXFILE, &raw, &rawlen)) !=
	    MINDL_OK)
		return r;
	mindl_buf_init(&b, MAX_FILE);
	r = mindl_buf_add_hex(&b, (const char *)raw, rawlen, 1);
	if (r == MINDL_ERR_INVALID_ARG || (r == MINDL_OK &&
	    mindl_buf_len(&b) == 0)) {
		/* Not hex text: the bytes themselves. */
		mindl_buf_clear(&b);
		if (rawlen > MAX_FILE) {
			mindl_freezero(raw, rawlen);
			return MINDL_ERR_TOO_LARGE;
		}
		*buf = raw;
		*len = rawlen;
		return MINDL_OK;
	}
	mindl_freezero(raw, rawlen);
	if (r == MINDL_OK && (*buf = malloc(mindl_buf_len(&b))) == NULL)
		r = MINDL_ERR_NOMEM;
	if (r == MINDL_OK) {
		memcpy(*buf, mindl_buf_ptr(&b), mindl_buf_len(&b));
		*len = mindl_buf_len(&b);
	}
	mindl_buf_clear(&b);
	return r;
}

int
main(int argc, char **argv)
{
	cli_init("mindl-verifier");
	/*
	 * A verifier holds holder data in memory while it works: no core
	 * dumps (DESIGN.md rule 4: nothing about the holder is stored by
	 * accident).
	 */
	if (cli_no_core() == -1)
		return 3;
	return cli_dispatch(argc, argv, verbs,
	    sizeof(verbs) / sizeof(verbs[0]));
}
