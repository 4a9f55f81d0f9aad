/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * mindl: whole-file I/O with caps, for tools and tests.  "-" means stdin
 * or stdout.  Writers never overwrite unless asked: new files are created
 * O_EXCL|O_NOFOLLOW, so an existing credential or key is never lost.
 */
#ifndef MINDL_FILE_H
#define MINDL_FILE_H

#include <stddef.h>
#include <stdint.h>

#define MINDL_FILE_EXCL		0x01	/* refuse to replace (MINDL_ERR_EXISTS) */
#define MINDL_FILE_PRIVATE	0x02	/* mode 0600 instead of 0644 */

/* Reads at most max bytes (MINDL_ERR_TOO_LARGE beyond); *buf is malloc'd. */
int mindl_file_read(const char *path, size_t max, uint8_t **buf, size_t *len);
/*
 * Writes len bytes atomically: into a temporary file beside path, synced,
 * then put in place, so that path never holds a partial file and a
 * failure leaves what was there.  Without MINDL_FILE_EXCL an existing
 * file is replaced (rename).  With it, an existing path (a symlink too)
 * is MINDL_ERR_EXISTS and left alone (link).
 */
int mindl_file_write(const char *path, const uint8_t *buf, size_t len,
    int flags);

/*
 * A passphrase: the first line read from file descriptor fd (never from
 * argv), without its newline.  *pass is wiped and freed by the caller with
 * mindl_freezero(pass, strlen(pass)).  An empty line is MINDL_ERR_PASSPHRASE.
 */
int mindl_pass_from_fd(int fd, char **pass);

#endif /* MINDL_FILE_H */
