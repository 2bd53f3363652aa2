// SPDX-License-Identifier: GPL-2.0-only
/*
 * Safe output files: see output.h for the contract.
 */
#include "output.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool out_error_reported;

#define FAIL(what, e)                                                                 \
	do {                                                                          \
		snprintf(err, errlen, "cannot %s %s: %s", what, path, g_strerror(e)); \
		goto fail;                                                            \
	} while (0)

/*
 * Follows @path through symlinks, dangling ones too (the link then names the
 * file to create). A relative link is relative to the link's directory.
 */
static char *resolve(const char *path, int *error)
{
	char *cur = g_strdup(path);
	struct stat st;

	for (int hops = 0;; hops++) {
		if (lstat(cur, &st) || !S_ISLNK(st.st_mode))
			return cur; /* not there (yet), or not a link */
		if (hops == 40) {
			*error = ELOOP;
			g_free(cur);
			return NULL;
		}
		char buf[PATH_MAX];
		ssize_t n = readlink(cur, buf, sizeof(buf) - 1);
		if (n < 0) {
			*error = errno;
			g_free(cur);
			return NULL;
		}
		buf[n] = 0;
		char *next;
		if (buf[0] == '/') {
			next = g_strdup(buf);
		} else {
			char *dir = g_path_get_dirname(cur);

			next = g_build_filename(dir, buf, NULL);
			g_free(dir);
		}
		g_free(cur);
		cur = next;
	}
}

int out_write_fd(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int out_read_fd(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t r = read(fd, p, len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			errno = EPIPE; /* the writer is gone before the whole record */
			return -1;
		}
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

int out_check_path(const char *path, char *err, size_t errlen)
{
	int e = 0;
	char *real = resolve(path, &e), *dir = NULL;
	struct stat st;

	if (!real)
		FAIL("write", e);
	if (!*path)
		FAIL("write", ENOENT);
	if (!stat(real, &st)) {
		if (S_ISDIR(st.st_mode))
			FAIL("write", EISDIR);
		if (access(real, W_OK))
			FAIL("write", errno);
		if (!S_ISREG(st.st_mode))
			goto ok; /* written through: its directory does not matter */
	} else if (errno != ENOENT) {
		FAIL("write", errno);
	}
	/* The temporary file and the rename need the directory. */
	dir = g_path_get_dirname(real);
	if (stat(dir, &st))
		FAIL("write", errno);
	if (!S_ISDIR(st.st_mode))
		FAIL("write", ENOTDIR);
	if (access(dir, W_OK | X_OK))
		FAIL("write", errno);
ok:
	g_free(dir);
	g_free(real);
	return 0;
fail:
	g_free(dir);
	g_free(real);
	return -1;
}

/* A device, a FIFO, a socket: written as it is, never replaced. */
static int write_through(const char *path, const char *real, const void *data, size_t len,
			 char *err, size_t errlen)
{
	int fd = open(real, O_WRONLY | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		FAIL("write", errno);
	if (out_write_fd(fd, data, len)) {
		int e = errno;

		close(fd);
		FAIL("write", e);
	}
	if (close(fd))
		FAIL("write", errno);
	return 0;
fail:
	return -1;
}

int out_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen)
{
	int e = 0, fd = -1;
	char *real = resolve(path, &e), *tmp = NULL;
	struct stat st;
	bool exists;

	if (!real)
		FAIL("write", e);
	exists = !stat(real, &st);
	if (!exists && errno != ENOENT)
		FAIL("write", errno);
	if (exists && S_ISDIR(st.st_mode))
		FAIL("write", EISDIR);
	if (exists && !S_ISREG(st.st_mode)) {
		int r = write_through(path, real, data, len, err, errlen);

		g_free(real);
		return r;
	}
	/* As a shell's '>' would: a file we may not write stays as it is. */
	if (exists && access(real, W_OK))
		FAIL("write", errno);
	tmp = g_strdup_printf("%s.tmp.XXXXXX", real);
	fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0) {
		g_free(tmp);
		tmp = NULL;
		FAIL("write", errno);
	}
	if (out_write_fd(fd, data, len))
		FAIL("write", errno);
	if (fchmod(fd, exists ? st.st_mode & 07777 : new_file_mode()))
		FAIL("write", errno);
	if (exists && geteuid() == 0 && (st.st_uid || st.st_gid) &&
	    fchown(fd, st.st_uid, st.st_gid))
		FAIL("write", errno);
	e = close(fd);
	fd = -1;
	if (e)
		FAIL("write", errno);
	if (rename(tmp, real))
		FAIL("write", errno);
	g_free(tmp);
	g_free(real);
	return 0;
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	g_free(tmp);
	g_free(real);
	errno = e;
	return -1;
}

static int same_bytes(const char *path, const void *data, size_t len)
{
	char *text = NULL, err[16];
	size_t n;

	if (out_read_file(path, &text, &n, err, sizeof(err)))
		return -1;
	bool same = n == len && !memcmp(text, data, len);
	g_free(text);
	return same;
}

int out_write_new(const char *path, const void *data, size_t len, bool *same, char *err,
		  size_t errlen)
{
	char *tmp = g_strdup_printf("%s.tmp.XXXXXX", path);
	int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600), r = 0, e;

	*same = false;
	if (fd < 0) {
		g_free(tmp);
		tmp = NULL;
		FAIL("write", errno);
	}
	if (out_write_fd(fd, data, len) || fchmod(fd, new_file_mode())) {
		e = errno;
		close(fd);
		FAIL("write", e);
	}
	if (close(fd))
		FAIL("write", errno);
	/* link() never replaces: of two writers, one wins and the other sees EEXIST. */
	if (link(tmp, path)) {
		if (errno != EEXIST)
			FAIL("write", errno);
		int s = same_bytes(path, data, len);
		if (s < 0)
			FAIL("write", errno);
		*same = s;
		r = !s;
	}
	unlink(tmp);
	g_free(tmp);
	return r;
fail:
	if (tmp)
		unlink(tmp);
	g_free(tmp);
	return -1;
}

int out_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	GString *s = g_string_new(NULL);
	struct stat st;

	*text = NULL;
	if (fd < 0)
		FAIL("read", errno);
	if (!fstat(fd, &st) && S_ISDIR(st.st_mode)) {
		close(fd);
		FAIL("read", EISDIR);
	}
	for (;;) {
		char buf[65536];
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			FAIL("read", e);
		}
		if (!n)
			break;
		g_string_append_len(s, buf, n);
	}
	close(fd);
	*len = s->len;
	*text = g_string_free(s, FALSE);
	return 0;
fail:
	g_string_free(s, TRUE);
	return -1;
}

void out_check(const char *path)
{
	char err[PATH_MAX + 100];

	if (out_check_path(path, err, sizeof(err)))
		die("%s", err);
}

void out_write(const char *path, const void *data, size_t len)
{
	char err[PATH_MAX + 100];

	if (out_write_file(path, data, len, err, sizeof(err)))
		die("%s", err);
}

void out_read(const char *path, char **text, size_t *len)
{
	char err[PATH_MAX + 100];

	if (out_read_file(path, text, len, err, sizeof(err)))
		die("%s", err);
}

void out_close_stdout(void)
{
	bool failed = ferror(stdout);
	int e = 0;

	if (fflush(stdout)) {
		failed = true;
		e = errno;
	}
	/* A stdout closed from the start (>&-) with nothing written is no error. */
	if (fclose(stdout) && !(errno == EBADF && !failed)) {
		failed = true;
		if (!e)
			e = errno;
	}
	if (failed && !out_error_reported) {
		if (e)
			fprintf(stderr, "bbmsim: write error on standard output: %s\n",
				g_strerror(e));
		else
			fputs("bbmsim: write error on standard output\n", stderr);
	}
	if (failed)
		_exit(EXIT_BAD);
}
