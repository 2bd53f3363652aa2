/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * output: every file bbmsim writes goes through here, so that an output
 * never lies (a failed write is one line on stderr and exit 2, never exit 0
 * with a short file) and never destroys (a device, FIFO or symlink stays
 * what it was).
 *
 * Contract, for a target PATH:
 *  - symlinks are followed (also dangling ones): what they point to is the
 *    target, the link itself is left alone;
 *  - a target that exists and is not a regular file (a device, a FIFO) is
 *    opened and written through, never replaced;
 *  - a regular file, or a new one, is written to a temporary file in the
 *    target's directory and renamed over it only when every write, fflush,
 *    fsync-free close succeeded: readers see the old file or the new one,
 *    never a truncated one, and nothing is left behind on error. A replaced
 *    file keeps its permission bits (and owner, when root);
 *  - errors read "cannot write PATH: <errno text>".
 *
 * out_check() is for before a run starts: it refuses what out_write()
 * would refuse for want of a directory or permission.
 */
#ifndef BBMSIM_OUTPUT_H
#define BBMSIM_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

/* Set by die(): the error is told, out_close_stdout() adds no second line. */
extern bool out_error_reported;

/*
 * The whole of @len bytes to or from @fd, through EINTR and short counts:
 * 0, or -1 with errno (ENOSPC for a write of 0, EPIPE for end of file).
 * For pipes between bbmsim's own processes as much as for files.
 */
int out_write_fd(int fd, const void *buf, size_t len);
int out_read_fd(int fd, void *buf, size_t len);
/* 0 if @path could be written now; -1 with @err ("cannot write PATH: ...") if not. */
int out_check_path(const char *path, char *err, size_t errlen);
/* Writes @len bytes to @path as the contract says; -1 with @err on any failure. */
int out_write_file(const char *path, const void *data, size_t len, char *err, size_t errlen);
/*
 * Writes @data to @path unless a file is there already: never replaces one.
 * If a file with the same bytes is there, nothing is written and 0 returned
 * with *@same = true. A file with other bytes stays; then 1 is returned.
 * A regular new file only (no symlink or device resolution).
 */
int out_write_new(const char *path, const void *data, size_t len, bool *same, char *err,
		  size_t errlen);

/* The same, dying with the error (one line, exit 2). */
void out_check(const char *path);
void out_write(const char *path, const void *data, size_t len);

/* Reads a whole file; dies "cannot read PATH: <errno text>" (g_free *@text). */
void out_read(const char *path, char **text, size_t *len);
/* 0 or -1 with @err ("cannot read PATH: ..."). */
int out_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen);

/*
 * At exit, as coreutils' close_stdout: stdout flushed and closed, or one line
 * "bbmsim: write error on standard output: ..." and exit 2. Registered once
 * by main().
 */
void out_close_stdout(void);

#endif
