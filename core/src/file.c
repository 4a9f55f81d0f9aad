/* SPDX-License-Identifier: BSD-2-Clause */
/* mindl: whole-file I/O with caps (see mindl/file.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mindl/err.h"
#include "mindl/file.h"
#include "mindl/key.h"
#include "internal.h"

/*
 * Grows *p from *cap to ncap bytes by copy, wiping the old buffer: files
 * read here include private keys, so no stale copy may be left behind
 * the way realloc() can leave one.
 */
static int
grow(uint8_t **p, size_t *cap, size_t used, size_t ncap)
{
	uint8_t *np;

	if ((np = mindl_malloc(ncap)) == NULL)
		return MINDL_ERR_NOMEM;
	if (*p != NULL) {
		memcpy(np, *p, used);
		mindl_freezero(*p, *cap);
	}
	*p = np;
	*cap = ncap;
	return MINDL_OK;
}

int
mindl_file_read(const char *path, size_t max, uint8_t **buf, size_t *len)
{
	struct stat st;
	uint8_t *p = NULL;
	size_t n = 0, cap = 0, want;
	ssize_t got;
	int fd, r = MINDL_ERR_IO;

	*buf = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		fd = STDIN_FILENO;
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		mindl_log_debug("%s: %s: %s", __func__, path, strerror(errno));
		/* What the person can fix, named as such. */
		return errno == ENOENT || errno == ENOTDIR ? MINDL_ERR_NO_FILE :
		    errno == EACCES || errno == EPERM ? MINDL_ERR_ACCESS :
		    MINDL_ERR_IO;
	}
	/* A regular file's size is known: one allocation, checked early. */
	want = 4096;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0) {
		if ((uintmax_t)st.st_size > max) {
			r = MINDL_ERR_TOO_LARGE;
			goto fail;
		}
		want = (size_t)st.st_size + 1;	/* +1 sees a growing file */
	}
	for (;;) {
		if (n + 1 >= cap) {	/* room for the data and a NUL */
			if (cap > max + 1) {
				r = MINDL_ERR_TOO_LARGE;
				goto fail;
			}
			if ((r = grow(&p, &cap, n, cap ? cap * 2 : want + 1)) !=
			    MINDL_OK)
				goto fail;
			r = MINDL_ERR_IO;
		}
		got = read(fd, p + n, cap - n - 1);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1)
			goto fail;
		if (got == 0)
			break;
		n += (size_t)got;
		if (n > max) {
			r = MINDL_ERR_TOO_LARGE;
			goto fail;
		}
	}
	if (p == NULL && (r = grow(&p, &cap, 0, 1)) != MINDL_OK)
		goto fail;
	p[n] = '\0';	/* convenient for text; not counted */
	*buf = p;
	*len = n;
	p = NULL;
	r = MINDL_OK;
 fail:
	if (fd != STDIN_FILENO)
		close(fd);
	if (p != NULL)
		mindl_freezero(p, cap);
	return r;
}

static int
write_all(int fd, const uint8_t *buf, size_t len)
{
	ssize_t w;

	while (len > 0) {
		w = write(fd, buf, len);
		if (w == -1 && errno == EINTR)
			continue;
		if (w == 0)
			errno = EIO;	/* no progress; not a stale errno */
		if (w <= 0)
			return MINDL_ERR_IO;
		buf += w;
		len -= (size_t)w;
	}
	return MINDL_OK;
}

/*
 * A new file at path, never following a symlink or replacing a file
 * (signify).  Whatever fails after the file is made (write, fsync,
 * close) removes it, so no partial key or credential is left behind.
 */
static int
write_new(const char *path, const uint8_t *buf, size_t len, mode_t mode)
{
	int fd, created = 0, r = MINDL_ERR_INTERNAL;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, mode)) == -1) {
		/* EEXIST also covers a symlink, dangling or not. */
		r = errno == EEXIST ? MINDL_ERR_EXISTS : MINDL_ERR_IO;
		mindl_log_debug("%s: open %s: %s", __func__, path,
		    strerror(errno));
		goto fail;
	}
	created = 1;
	r = MINDL_ERR_IO;
	if (write_all(fd, buf, len) != MINDL_OK) {
		mindl_log_debug("%s: write %s: %s", __func__, path,
		    strerror(errno));
		goto fail;
	}
	/* A key or credential that vanishes on power loss is lost. */
	if (fsync(fd) == -1) {
		mindl_log_debug("%s: fsync %s: %s", __func__, path,
		    strerror(errno));
		goto fail;
	}
	if (close(fd) == -1) {
		fd = -1;
		mindl_log_debug("%s: close %s: %s", __func__, path,
		    strerror(errno));
		goto fail;
	}
	fd = -1;
	r = MINDL_OK;
 fail:
	if (fd != -1)
		close(fd);
	if (r != MINDL_OK && created)
		(void)unlink(path);
	return r;
}

/*
 * The bytes into a new temporary file beside path (same directory, so
 * that it can be renamed or linked into place), written, synced and given
 * its mode; *tmp names it.  Nothing of it is left on failure.
 */
static int
write_tmp(const char *path, const uint8_t *buf, size_t len, mode_t mode,
    char tmp[4096])
{
	int fd;

	if ((size_t)snprintf(tmp, 4096, "%s.tmpXXXXXX", path) >= 4096)
		return MINDL_ERR_INVALID_ARG;
	if ((fd = mkstemp(tmp)) == -1) {
		mindl_log_debug("%s: mkstemp for %s: %s", __func__, path,
		    strerror(errno));
		return MINDL_ERR_IO;
	}
	if (fchmod(fd, mode) != 0 || write_all(fd, buf, len) != MINDL_OK ||
	    fsync(fd) != 0) {
		mindl_log_debug("%s: write %s: %s", __func__, tmp,
		    strerror(errno));
		close(fd);
		unlink(tmp);
		return MINDL_ERR_IO;
	}
	if (close(fd) != 0) {
		unlink(tmp);
		return MINDL_ERR_IO;
	}
	return MINDL_OK;
}

int
mindl_file_write(const char *path, const uint8_t *buf, size_t len, int flags)
{
	char tmp[4096];
	mode_t mode = (flags & MINDL_FILE_PRIVATE) ? 0600 : 0644;
	int r, e;

	if (strcmp(path, "-") == 0)
		return write_all(STDOUT_FILENO, buf, len);
	if ((r = write_tmp(path, buf, len, mode, tmp)) != MINDL_OK)
		return r;
	if (!(flags & MINDL_FILE_EXCL)) {
		if (rename(tmp, path) != 0) {
			unlink(tmp);
			return MINDL_ERR_IO;
		}
		return MINDL_OK;
	}
	/*
	 * Exclusive and atomic: link() publishes the complete file under
	 * its name only if nothing (a symlink included) has that name, so
	 * no reader ever sees a partial file there and nothing is replaced.
	 * A file system without hard links gets the O_EXCL write instead.
	 */
	r = link(tmp, path) == 0 ? MINDL_OK : errno == EEXIST ?
	    MINDL_ERR_EXISTS : MINDL_ERR_IO;
	e = errno;
	unlink(tmp);
	if (r == MINDL_ERR_IO && (e == EPERM || e == ENOTSUP ||
	    e == EOPNOTSUPP || e == EMLINK))
		return write_new(path, buf, len, mode);
	if (r != MINDL_OK)
		mindl_log_debug("%s: link %s: %s", __func__, path,
		    strerror(e));
	return r;
}

int
mindl_pass_from_fd(int fd, char **pass)
{
	char *p;
	size_t n = 0, cap = 1024;
	ssize_t got;
	char c;

	*pass = NULL;
	if (fd < 0)
		return MINDL_ERR_INVALID_ARG;
	if ((p = mindl_malloc(cap)) == NULL)
		return MINDL_ERR_NOMEM;
	/* Byte by byte: never read past the line, the fd may be shared. */
	for (;;) {
		got = read(fd, &c, 1);
		if (got == -1 && errno == EINTR)
			continue;
		if (got == -1) {
			mindl_freezero(p, cap);
			return MINDL_ERR_IO;
		}
		if (got == 0 || c == '\n')
			break;
		if (n + 1 == cap) {
			mindl_freezero(p, cap);
			return MINDL_ERR_TOO_LARGE;
		}
		p[n++] = c;
	}
	if (n > 0 && p[n - 1] == '\r')
		n--;
	p[n] = '\0';
	if (n == 0) {
		mindl_freezero(p, cap);
		return MINDL_ERR_PASSPHRASE;
	}
	*pass = p;
	return MINDL_OK;
}
