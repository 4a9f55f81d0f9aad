/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * popgen: populations of DMV records and credentials for the privacy
 * suite (tests/privacy/population.sh; DESIGN.md section 4, rule 2).
 *
 *   popgen records --group A|B --count N --out DIR [--seed S] [--at T]
 *       Writes DIR/NNNNN.json (a DMV record), DIR/NNNNN.jpg (a
 *       JPEG-shaped portrait), DIR/NNNNN.pub (a fresh device public key)
 *       and DIR/NNNNN.at (the issuance time: any second of the 30 days
 *       from T, default now).
 *       Group A stands for records of holders a DMV database would show
 *       as citizens, group B for undocumented residents.  A record cannot
 *       express status; what differs is what correlates with it in a
 *       real database: B has no organ_donor or veteran flag, no street
 *       address, longer two-part names with accents, later birth years,
 *       different portrait sizes.
 *
 *   popgen issue --in DIR --count N --out DIR --ds-key K --ds-cert C
 *          [--mso-days N] [--no-decoys]
 *       Issues each record through mindl_mdoc_issue, as mindl-issuer
 *       does, with the built-in policy, or with a deliberately broken
 *       copy of it: another MSO validity (--mso-days) or no decoy
 *       digests (--no-decoys: each namespace gets exactly as many
 *       digests as the record has items in it).  These broken variants
 *       exist so the audit can be shown to fail.
 *
 * Not a tool: it writes what it is told, with fixed test data.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mindl/mindl.h"
#include "../common/testlib.h"

#define WINDOW		(30 * 86400)

static int64_t t0;		/* start of the issuance window */

static uint64_t rng_state;

static uint64_t
rnd(void)
{
	/* xorshift64*: reproducible test data, not a secret. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dull;
}

static unsigned
pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static const char *given_a[] = { "John", "Mary", "Linda", "James", "Emma",
    "Noah", "Olivia", "Liam", "Ava", "Ethan", "Sophia", "Mason" };
static const char *family_a[] = { "Smith", "Johnson", "Miller", "Brown",
    "Davis", "Wilson", "Taylor", "Moore", "Clark", "Lewis", "Young" };
static const char *given_b[] = { "Mar\\u00eda Jos\\u00e9", "Juan Carlos",
    "Ana Luc\\u00eda", "Jos\\u00e9 Luis", "Nguy\\u1ec5n Th\\u1ecb Lan",
    "Oluwaseun Adebayo", "Mohammed Abdirahman", "Xi\\u00f3chitl Guadalupe",
    "Luz Mar\\u00eda", "Francisco Javier" };
static const char *family_b[] = { "Garc\\u00eda L\\u00f3pez",
    "Rodr\\u00edguez Hern\\u00e1ndez", "Mart\\u00ednez de la Cruz",
    "Tran", "Okonkwo-Adeyemi", "Hassan Warsame", "Quispe Mamani",
    "Gonz\\u00e1lez Ram\\u00edrez", "P\\u00e9rez y Soto" };
static const char *eyes[] = { "brown", "blue", "green", "hazel", "grey" };
static const char *cats[] = { "B", "C", "D", "M", "A" };

/*
 * Test data goes out through stdio, without mindl_file_write's fsync:
 * thousands of files, none of them worth an fsync.
 */
static int
write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f;
	int ok;

	if ((f = fopen(path, "wbx")) == NULL)
		return MINDL_ERR_IO;
	ok = fwrite(p, 1, n, f) == n;
	if (fclose(f) != 0)
		ok = 0;
	return ok ? MINDL_OK : MINDL_ERR_IO;
}

static int
write_text(const char *path, const char *s)
{
	return write_file(path, (const uint8_t *)s, strlen(s));
}


static int
one_record(int group_b, size_t i, const char *dir)
{
	char json[2048], path[4096], at[MINDL_TDATE_LEN + 1];
	uint8_t portrait[4096];
	struct mindl_key *dev = NULL;
	size_t n = 0, plen, k;
	unsigned year, month, day, ncat;
	int r, donor, veteran;

#define ADD(...) do {							\
	int w_ = snprintf(json + n, sizeof(json) - n, __VA_ARGS__);	\
	if (w_ < 0 || (size_t)w_ >= sizeof(json) - n)			\
		return MINDL_ERR_INTERNAL;				\
	n += (size_t)w_;						\
} while (0)

	year = group_b ? 1975 + pick(32) : 1940 + pick(66);
	month = 1 + pick(12);
	day = 1 + pick(28);
	ADD("{\"family_name\": \"%s\", \"given_name\": \"%s\", "
	    "\"birth_date\": \"%04u-%02u-%02u\", "
	    "\"document_number\": \"SS%08llu\", \"driving_privileges\": [",
	    group_b ? family_b[pick(9)] : family_a[pick(11)],
	    group_b ? given_b[pick(10)] : given_a[pick(12)], year, month, day,
	    (unsigned long long)(rnd() % 100000000ull));
	ncat = 1 + pick(2);
	for (k = 0; k < ncat; k++)
		ADD("%s{\"vehicle_category_code\": \"%s\"}", k > 0 ? ", " : "",
		    cats[pick(5)]);
	ADD("], \"sex\": %u", 1 + pick(2));
	if (pick(2))
		ADD(", \"height\": %u, \"eye_colour\": \"%s\"", 150 + pick(50),
		    group_b ? "brown" : eyes[pick(5)]);
	if (!group_b) {
		ADD(", \"resident_address\": \"%u %s Street\", "
		    "\"resident_city\": \"Sampleton\", \"resident_state\": "
		    "\"SS\", \"resident_postal_code\": \"%05u\", "
		    "\"resident_country\": \"US\"", 1 + pick(9999),
		    family_a[pick(11)], pick(100000));
		donor = pick(10) < 4;
		veteran = pick(10) == 0;
		if (donor || veteran)
			ADD(", \"org.iso.18013.5.1.aamva\": {%s%s%s}",
			    donor ? "\"organ_donor\": 1" : "",
			    donor && veteran ? ", " : "",
			    veteran ? "\"veteran\": 1" : "");
	} else if (pick(2))
		ADD(", \"resident_city\": \"Sampleton\"");
	ADD("}\n");
#undef ADD

	(void)snprintf(path, sizeof(path), "%s/%05zu.json", dir, i);
	if ((r = write_text(path, json)) != MINDL_OK)
		return r;
	/*
	 * A portrait the issuer accepts: the test JPEG's headers up to its
	 * scan, random scan data of a random length (no 0xff, so no marker
	 * inside), EOI.
	 */
	plen = group_b ? 500 + pick(1500) : 700 + pick(900);
	memcpy(portrait, test_jpeg, TEST_JPEG_SCAN);
	for (k = TEST_JPEG_SCAN; k < plen - 2; k++)
		portrait[k] = (uint8_t)(rnd() % 0xff);
	portrait[plen - 2] = 0xff;
	portrait[plen - 1] = 0xd9;
	(void)snprintf(path, sizeof(path), "%s/%05zu.jpg", dir, i);
	if ((r = write_file(path, portrait, plen)) != MINDL_OK)
		return r;
	/* Issued at any second of a 30-day window, the same for A and B. */
	if ((r = mindl_tdate_format(t0 + (int64_t)(rnd() % WINDOW), at)) !=
	    MINDL_OK)
		return r;
	(void)snprintf(path, sizeof(path), "%s/%05zu.at", dir, i);
	if ((r = write_text(path, at)) != MINDL_OK)
		return r;
	(void)snprintf(path, sizeof(path), "%s/%05zu.pub", dir, i);
	if ((r = mindl_key_generate(&dev)) != MINDL_OK)
		return r;
	r = mindl_key_write_public_pem(path, dev);
	mindl_key_free(&dev);
	return r;
}

static int
one_credential(const struct mindl_schema *s, const char *in, size_t i,
    const char *out, const struct mindl_key *ds, const uint8_t *cert,
    size_t certlen, unsigned mso_days, int no_decoys)
{
	struct mindl_policy pol = *mindl_schema_policy(s);
	struct mindl_record *rec = NULL;
	struct mindl_key *dev = NULL;
	struct mindl_issue_params ip;
	uint8_t *json = NULL, *port = NULL, *at = NULL, *cred = NULL;
	size_t jl = 0, pl = 0, al = 0, cl = 0, k, e;
	char path[4096], err[512], ts[64];
	int64_t now;
	int r;

	(void)snprintf(path, sizeof(path), "%s/%05zu.json", in, i);
	if ((r = mindl_file_read(path, MINDL_MAX_RECORD, &json, &jl)) !=
	    MINDL_OK)
		goto out;
	(void)snprintf(path, sizeof(path), "%s/%05zu.jpg", in, i);
	if ((r = mindl_file_read(path, 1 << 20, &port, &pl)) != MINDL_OK)
		goto out;
	(void)snprintf(path, sizeof(path), "%s/%05zu.at", in, i);
	if ((r = mindl_file_read(path, 64, &at, &al)) != MINDL_OK)
		goto out;
	memcpy(ts, at, al);
	ts[al] = '\0';
	if ((r = mindl_time_parse(ts, &now)) != MINDL_OK)
		goto out;
	(void)snprintf(path, sizeof(path), "%s/%05zu.pub", in, i);
	if ((r = mindl_key_read_pem(path, NULL, &dev)) != MINDL_OK)
		goto out;
	if ((r = mindl_record_parse(s, (const char *)json, jl, port, pl, now,
	    &rec, err, sizeof(err))) != MINDL_OK) {
		fprintf(stderr, "popgen: %s: %s\n", path, err);
		goto out;
	}
	/* The broken policies the audit must catch. */
	if (mso_days > 0)
		pol.mso_days = mso_days;
	if (no_decoys)
		for (k = 0; k < pol.n_ns; k++) {
			pol.digests[k] = 0;
			for (e = 0; e < mindl_record_count(rec); e++)
				pol.digests[k] += strcmp(mindl_record_element(
				    rec, e)->ns, pol.ns[k]) == 0;
		}
	memset(&ip, 0, sizeof(ip));
	ip.record = rec;
	ip.policy = &pol;
	ip.ds_cert = cert;
	ip.ds_certlen = certlen;
	ip.device_pub = dev;
	ip.now = now;
	if ((r = test_issue(&ip, ds, &cred, &cl, NULL)) != MINDL_OK)
		goto out;
	(void)snprintf(path, sizeof(path), "%s/%05zu.cred", out, i);
	r = write_file(path, cred, cl);
 out:
	if (r != MINDL_OK)
		fprintf(stderr, "popgen: record %zu: %s\n", i,
		    mindl_errname(r));
	mindl_record_free(&rec);
	mindl_key_free(&dev);
	free(json);
	free(port);
	free(at);
	free(cred);
	return r;
}

static int
usage(void)
{
	fprintf(stderr, "usage: popgen records --group A|B --count N "
	    "--out DIR [--seed S]\n"
	    "              [--at TIME]\n"
	    "       popgen issue --in DIR --count N --out DIR --ds-key K "
	    "--ds-cert C\n"
	    "              [--mso-days N] [--no-decoys]\n");
	return 2;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'n' },
		{ "ds-cert", required_argument, NULL, 'C' },
		{ "ds-key", required_argument, NULL, 'K' },
		{ "group", required_argument, NULL, 'g' },
		{ "in", required_argument, NULL, 'i' },
		{ "mso-days", required_argument, NULL, 'm' },
		{ "no-decoys", no_argument, NULL, 'D' },
		{ "at", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *group = NULL, *in = NULL, *out = NULL, *dskp = NULL;
	const char *dscp = NULL;
	struct mindl_schema *s = NULL;
	struct mindl_key *ds = NULL;
	uint8_t *cert = NULL;
	size_t certlen = 0, count = 0, i;
	unsigned long seed = 1, mso_days = 0;
	int c, r = MINDL_OK, no_decoys = 0, records;

	if (argc < 2)
		return usage();
	records = strcmp(argv[1], "records") == 0;
	t0 = mindl_now();
	if (!records && strcmp(argv[1], "issue") != 0)
		return usage();
	optind = 2;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'C':
			dscp = optarg;
			break;
		case 'D':
			no_decoys = 1;
			break;
		case 'K':
			dskp = optarg;
			break;
		case 'g':
			group = optarg;
			break;
		case 'i':
			in = optarg;
			break;
		case 'm':
			mso_days = strtoul(optarg, NULL, 10);
			break;
		case 'n':
			count = (size_t)strtoul(optarg, NULL, 10);
			break;
		case 'o':
			out = optarg;
			break;
		case 's':
			seed = strtoul(optarg, NULL, 10);
			break;
		case 't':
			if (mindl_time_parse(optarg, &t0) != MINDL_OK)
				return usage();
			break;
		default:
			return usage();
		}
	}
	if (out == NULL || count == 0 || count > 100000)
		return usage();
	if (records) {
		if (group == NULL || (strcmp(group, "A") != 0 &&
		    strcmp(group, "B") != 0))
			return usage();
		rng_state = 0x9e3779b97f4a7c15ull ^ (uint64_t)seed ^
		    (group[0] == 'B' ? 0x5bd1e995ull << 20 : 0);
		for (i = 0; i < count && r == MINDL_OK; i++)
			r = one_record(group[0] == 'B', i, out);
		if (r != MINDL_OK)
			fprintf(stderr, "popgen: %s\n", mindl_errname(r));
		return r == MINDL_OK ? 0 : 1;
	}
	if (in == NULL || dskp == NULL || dscp == NULL || mso_days > 3650)
		return usage();
	if ((r = mindl_schema_builtin(&s)) != MINDL_OK ||
	    (r = mindl_key_read_pem(dskp, NULL, &ds)) != MINDL_OK ||
	    (r = mindl_x509_read_pem(dscp, &cert, &certlen)) != MINDL_OK) {
		fprintf(stderr, "popgen: set-up: %s\n", mindl_errname(r));
		goto out;
	}
	for (i = 0; i < count && r == MINDL_OK; i++)
		r = one_credential(s, in, i, out, ds, cert, certlen,
		    (unsigned)mso_days, no_decoys);
 out:
	mindl_schema_free(&s);
	mindl_key_free(&ds);
	free(cert);
	return r == MINDL_OK ? 0 : 1;
}
