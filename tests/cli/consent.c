/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Drives a command on a pseudo-terminal, for tests/cli/consent.sh: the
 * holder's consent prompt reads /dev/tty, which only a controlling
 * terminal provides.
 *
 *   consent ANSWER TRANSCRIPT CMD [ARG...]
 *
 * Runs CMD as the session leader of a new pty (forkpty), with standard
 * input from /dev/null so that nothing reaches the prompt by stdin.  Once
 * the terminal shows "[y/N]", ANSWER is typed: "-" types nothing and
 * ends the input (VEOF), anything else is typed followed by a newline.
 * Everything the terminal showed goes to TRANSCRIPT.  Exits with CMD's
 * status, or 125 when the prompt did not appear within 20 seconds or the
 * pty could not be made.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PROMPT	"[y/N]"

/* Types n bytes on the terminal; -1 if it would not take them. */
static int
type(int fd, const void *p, size_t n)
{
	return write(fd, p, n) == (ssize_t)n ? 0 : -1;
}

static void
save(FILE *f, const char *buf, size_t n)
{
	if (f != NULL)
		(void)fwrite(buf, 1, n, f);
}

int
main(int argc, char **argv)
{
	char buf[8192];
	size_t have = 0;
	struct pollfd pfd;
	struct termios t;
	FILE *tr;
	pid_t pid;
	ssize_t n;
	time_t end;
	int fd, status, asked = 0, nul;

	if (argc < 4) {
		fprintf(stderr, "usage: consent ANSWER TRANSCRIPT CMD "
		    "[ARG...]\n");
		return 125;
	}
	if ((tr = fopen(argv[2], "w")) == NULL) {
		perror(argv[2]);
		return 125;
	}
	if ((pid = forkpty(&fd, NULL, NULL, NULL)) == -1) {
		perror("forkpty");
		return 125;
	}
	if (pid == 0) {
		if ((nul = open("/dev/null", O_RDONLY)) == -1 ||
		    dup2(nul, STDIN_FILENO) == -1)
			_exit(126);
		execvp(argv[3], argv + 3);
		_exit(127);
	}
	end = time(NULL) + 20;
	pfd.fd = fd;
	pfd.events = POLLIN;
	for (;;) {
		if (time(NULL) > end) {
			(void)kill(pid, SIGKILL);
			break;
		}
		if (poll(&pfd, 1, 500) <= 0)
			continue;
		if ((n = read(fd, buf + have, sizeof(buf) - 1 - have)) <= 0)
			break;		/* EIO: the child closed the terminal */
		save(tr, buf + have, (size_t)n);
		have += (size_t)n;
		buf[have] = '\0';
		if (!asked && strstr(buf, PROMPT) != NULL) {
			asked = 1;
			/* "-": end of input, as a person typing ^D. */
			if (strcmp(argv[1], "-") == 0 ?
			    tcgetattr(fd, &t) == -1 ||
			    type(fd, &t.c_cc[VEOF], 1) == -1 :
			    type(fd, argv[1], strlen(argv[1])) == -1 ||
			    type(fd, "\n", 1) == -1) {
				perror("pty");
				(void)kill(pid, SIGKILL);
				asked = 0;
			}
		}
		if (have > sizeof(buf) / 2) {
			/* Keep the tail: the prompt is not split past it. */
			memmove(buf, buf + have - 64, 64);
			have = 64;
		}
	}
	(void)fclose(tr);
	if (waitpid(pid, &status, 0) == -1)
		return 125;
	if (!asked)
		return 125;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 125;
}
