/*
 * mindl-verifier: builds purpose-limited requests, verifies responses
 * offline and shows only what the request's profile allows (DESIGN.md
 * section 4, rule 4).  Every format and crypto rule lives in libmindl;
 * this file holds the verb table and the reading of hex test vectors.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "mindl/mindl.h"
#include "cli.h"
#include "verifier.h"

/* Sorted by name; verify has two forms, one line each in the usage. */
static const struct cli_verb verbs[] = {
	{ "inspect", cmd_inspect, "inspect [-dj] FILE" },
	{ "profiles", cmd_profiles, "profiles [-dj]" },
	{ "request", cmd_request,
	    "request [-dfj] --profile ID -o REQ [--key-out K]" },
	{ "verify", cmd_verify,
	    "verify [-dfj] --trust IACA.pem [--trust ...]\n"
	    "\t\t--request REQ --response RESP [--reader-key K] [--at TIME]\n"
	    "\t\t[--transcript-out ST] [--portrait-out FILE] [--consume]" },
	{ "verify", cmd_verify,
	    "verify [-dfj] --trust IACA.pem [--trust ...]\n"
	    "\t\t--transcript ST --response DEVICERESPONSE [--reader-key K]\n"
	    "\t\t[--profile ID] [--at TIME] [--portrait-out FILE]" },
};

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

int
read_bin_or_hex(const char *path, uint8_t **buf, size_t *len)
{
	uint8_t *raw = NULL, *bin;
	size_t rawlen = 0, i, ndig = 0, n = 0;
	int r, hi = -1;

	*buf = NULL;
	*len = 0;
	if ((r = mindl_file_read(path, MAX_HEXFILE, &raw, &rawlen)) !=
	    MINDL_OK)
		return r;
	for (i = 0; i < rawlen; i++) {
		if (hexval(raw[i]) >= 0)
			ndig++;
		else if (!is_space(raw[i]))
			break;
	}
	if (i != rawlen || ndig == 0 || ndig % 2 != 0) {
		/* Binary. */
		if (rawlen > MAX_FILE) {
			free(raw);
			return MINDL_ERR_TOO_LARGE;
		}
		*buf = raw;
		*len = rawlen;
		return MINDL_OK;
	}
	if ((bin = malloc(ndig / 2)) == NULL) {
		free(raw);
		return MINDL_ERR_NOMEM;
	}
	for (i = 0; i < rawlen; i++) {
		int v = hexval(raw[i]);

		if (v < 0)
			continue;
		if (hi < 0)
			hi = v;
		else {
			bin[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	free(raw);
	*buf = bin;
	*len = n;
	return MINDL_OK;
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
