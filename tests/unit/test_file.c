/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * File I/O (mindl/file.h): writes are atomic and exclusive when asked,
 * leave no temporary file behind, never follow or replace a symlink, and
 * reads are capped.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mindl/err.h"
#include "mindl/file.h"
#include "unit.h"

static char dir[] = "/tmp/mindl-file-XXXXXX";

static const char *
in_dir(const char *name)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

/* Entries in dir, "." and ".." left out. */
static int
entries(void)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* 1 if path holds exactly s. */
static int
holds(const char *path, const char *s)
{
	uint8_t *b = NULL;
	size_t n = 0;
	int ok;

	if (mindl_file_read(path, 1024, &b, &n) != MINDL_OK)
		return 0;
	ok = n == strlen(s) && memcmp(b, s, n) == 0;
	free(b);
	return ok;
}

static void
exclusive(void)
{
	const uint8_t a[] = "first", b[] = "second";
	struct stat st;
	char p[256];

	snprintf(p, sizeof(p), "%s", in_dir("out"));
	CHECK_ERR(mindl_file_write(p, a, 5, MINDL_FILE_EXCL |
	    MINDL_FILE_PRIVATE), MINDL_OK);
	CHECK(holds(p, "first"));
	CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0600);
	/* An existing file is refused and left as it was, nothing beside. */
	CHECK_ERR(mindl_file_write(p, b, 6, MINDL_FILE_EXCL), MINDL_ERR_EXISTS);
	CHECK(holds(p, "first"));
	CHECK(entries() == 1);
	/* Without EXCL it is replaced, with the mode asked for. */
	CHECK_ERR(mindl_file_write(p, b, 6, 0), MINDL_OK);
	CHECK(holds(p, "second"));
	CHECK(stat(p, &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK(entries() == 1);
	CHECK(unlink(p) == 0);
}

static void
symlinks(void)
{
	const uint8_t a[] = "x";
	char p[256], target[256];
	struct stat st;

	snprintf(p, sizeof(p), "%s", in_dir("link"));
	snprintf(target, sizeof(target), "%s", in_dir("target"));
	/* A dangling symlink: never followed, never replaced. */
	CHECK(symlink(target, p) == 0);
	CHECK_ERR(mindl_file_write(p, a, 1, MINDL_FILE_EXCL), MINDL_ERR_EXISTS);
	CHECK(lstat(p, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(access(target, F_OK) != 0);
	CHECK(entries() == 1);
	CHECK(unlink(p) == 0);
}

static void
failures(void)
{
	const uint8_t a[] = "x";
	uint8_t *b = NULL;
	size_t n = 0;

	/* No directory: an I/O error, and nothing left anywhere. */
	CHECK_ERR(mindl_file_write(in_dir("no/such/file"), a, 1,
	    MINDL_FILE_EXCL), MINDL_ERR_IO);
	CHECK_ERR(mindl_file_write(in_dir("no/such/file"), a, 1, 0),
	    MINDL_ERR_IO);
	CHECK(entries() == 0);
	/* Reads are capped. */
	CHECK_ERR(mindl_file_write(in_dir("big"), (const uint8_t *)"0123456789",
	    10, 0), MINDL_OK);
	CHECK_ERR(mindl_file_read(in_dir("big"), 9, &b, &n),
	    MINDL_ERR_TOO_LARGE);
	CHECK(b == NULL);
	CHECK_ERR(mindl_file_read(in_dir("big"), 10, &b, &n), MINDL_OK);
	CHECK(n == 10);
	free(b);
	CHECK(unlink(in_dir("big")) == 0);
	CHECK_ERR(mindl_file_read(in_dir("absent"), 10, &b, &n),
	    MINDL_ERR_NO_FILE);
	/* A file the process may not read (root reads anything). */
	CHECK_ERR(mindl_file_write(in_dir("secret"), (const uint8_t *)"x", 1,
	    MINDL_FILE_PRIVATE), MINDL_OK);
	CHECK(chmod(in_dir("secret"), 0) == 0);
	if (geteuid() != 0)
		CHECK_ERR(mindl_file_read(in_dir("secret"), 10, &b, &n),
		    MINDL_ERR_ACCESS);
	CHECK(unlink(in_dir("secret")) == 0);
}

int
main(void)
{
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	RUN(exclusive);
	RUN(symlinks);
	RUN(failures);
	(void)rmdir(dir);
	UNIT_DONE();
}
