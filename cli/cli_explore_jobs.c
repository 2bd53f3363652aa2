// SPDX-License-Identifier: GPL-2.0-only
/*
 * explore --jobs N: forked worker processes run chunks of schedules and send
 * each result back through a pipe as raw structs (same binary); the parent
 * hands them to explore_process() strictly in schedule order.
 */
#define _GNU_SOURCE /* pipe2 */
#include "explore.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct request {
	uint64_t k, n;
};

struct worker {
	pid_t pid;
	int cmd, res; /* parent's ends: requests out, results in */
	uint64_t chunk, left;
	gint64 sent_at;
	bool busy;
};

/* A finding's detail and rule follow the raw structs: length, then the bytes. */
static int write_strings(int fd, const struct result *r)
{
	for (unsigned i = 0; i < r->h.nfind; i++) {
		const char *str[2] = {r->f[i].detail, r->f[i].rule};

		for (unsigned k = 0; k < 2; k++) {
			uint32_t n = (uint32_t)strlen(str[k]);

			if (out_write_fd(fd, &n, sizeof(n)) || out_write_fd(fd, str[k], n))
				return -1;
		}
	}
	return 0;
}

static int read_strings(int fd, struct result *r)
{
	for (unsigned i = 0; i < r->h.nfind; i++) {
		char **str[2] = {&r->f[i].detail, &r->f[i].rule};

		for (unsigned k = 0; k < 2; k++) {
			uint32_t n;

			if (out_read_fd(fd, &n, sizeof(n)))
				return -1;
			*str[k] = g_malloc((size_t)n + 1);
			if (out_read_fd(fd, *str[k], n))
				return -1;
			(*str[k])[n] = 0;
		}
	}
	return 0;
}

static void __attribute__((noreturn)) worker_main(struct explore *x, int cmd, int res)
{
	struct request rq;
	struct result r;

	/*
	 * Ctrl-C (or a kill of the process group) reaches us too: the parent
	 * decides what is complete, then kills us; if it dies, our pipe ends.
	 */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	while (!out_read_fd(cmd, &rq, sizeof(rq))) {
		for (uint64_t k = rq.k; k < rq.k + rq.n; k++) {
			(void)explore_run_schedule(x, k, &r); /* workers ignore signals */
			if (out_write_fd(res, &r.h, sizeof(r.h)) ||
			    out_write_fd(res, r.f, r.h.nfind * sizeof(*r.f)) ||
			    write_strings(res, &r) || out_write_fd(res, r.trace, r.h.tlen))
				_exit(0); /* the parent is gone or done with us */
			explore_result_clear(&r);
		}
	}
	_exit(0);
}

static bool read_result(struct worker *w, struct result *r)
{
	memset(r, 0, sizeof(*r));
	if (out_read_fd(w->res, &r->h, sizeof(r->h)))
		return false;
	r->f = g_new(struct sim_finding, r->h.nfind ? r->h.nfind : 1);
	r->trace = g_malloc(r->h.tlen + 1);
	bool bad = out_read_fd(w->res, r->f, r->h.nfind * sizeof(*r->f));

	/* The worker's string pointers mean nothing here: read_strings() replaces them. */
	for (unsigned i = 0; i < r->h.nfind; i++)
		r->f[i].detail = r->f[i].rule = NULL;
	if (bad || read_strings(w->res, r) || out_read_fd(w->res, r->trace, r->h.tlen)) {
		explore_result_clear(r);
		return false;
	}
	r->trace[r->h.tlen] = 0;
	return true;
}

static void worker_died(struct worker *w)
{
	int st = 0;

	waitpid(w->pid, &st, 0);
	w->pid = 0;
	/* A worker that died on bad input already said so in one line. */
	if (WIFEXITED(st) && WEXITSTATUS(st) == EXIT_BAD)
		exit(EXIT_BAD);
	if (WIFSIGNALED(st))
		die("explore: a worker died of signal %d (%s)", WTERMSIG(st),
		    g_strsignal(WTERMSIG(st)));
	die("explore: a worker exited with status %d mid-chunk", WEXITSTATUS(st));
}

static void stop_workers(struct worker *ws, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (!ws[i].pid)
			continue;
		close(ws[i].cmd);
		close(ws[i].res);
		kill(ws[i].pid, SIGKILL);
		waitpid(ws[i].pid, NULL, 0);
		ws[i].pid = 0;
	}
}

void explore_parallel(struct explore *x, unsigned jobs)
{
	struct worker *ws = g_new0(struct worker, jobs);
	struct pollfd *pfd = g_new0(struct pollfd, jobs);
	GHashTable *pending = g_hash_table_new(g_int64_hash, g_int64_equal);
	uint64_t next = 0; /* next local index to hand out */

	fflush(stdout);
	fflush(stderr);
	for (unsigned i = 0; i < jobs; i++) {
		int c[2], r[2];

		if (pipe2(c, O_CLOEXEC) || pipe2(r, O_CLOEXEC))
			die("explore: pipe: %s", g_strerror(errno));
		pid_t pid = fork();
		if (pid < 0)
			die("explore: fork: %s", g_strerror(errno));
		if (pid == 0) {
			for (unsigned j = 0; j < i; j++) {
				close(ws[j].cmd);
				close(ws[j].res);
			}
			close(c[1]);
			close(r[0]);
			worker_main(x, c[0], r[1]);
		}
		close(c[0]);
		close(r[1]);
		ws[i] = (struct worker){.pid = pid, .cmd = c[1], .res = r[0], .chunk = 1};
	}

	for (;;) {
		/* Hand out work to idle workers, unless it is time to stop. */
		bool issuing = !x->stop && !cli_signal && !explore_out_of_time(x);
		unsigned busy = 0;

		for (unsigned i = 0; i < jobs; i++) {
			struct worker *w = &ws[i];

			if (!w->busy && issuing && next < x->nsched) {
				struct request rq = {next, MIN(w->chunk, x->nsched - next)};

				if (out_write_fd(w->cmd, &rq, sizeof(rq)))
					worker_died(w);
				next += rq.n;
				w->left = rq.n;
				w->busy = true;
				w->sent_at = g_get_monotonic_time();
			}
			busy += w->busy;
			pfd[i] = (struct pollfd){.fd = w->res, .events = w->busy ? POLLIN : 0};
		}
		if (!busy || !issuing)
			break; /* nothing out, or stopping: what is in order is the report */
		if (poll(pfd, jobs, 100) < 0 && errno != EINTR)
			die("explore: poll: %s", g_strerror(errno));
		for (unsigned i = 0; i < jobs; i++) {
			struct worker *w = &ws[i];
			struct result *r;

			if (!w->busy || !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			r = g_new(struct result, 1);
			if (!read_result(w, r)) {
				g_free(r);
				if (cli_signal)
					break; /* a signal to the whole group: stop, report */
				worker_died(w);
			}
			g_hash_table_insert(pending, &r->h.k, r);
			if (--w->left == 0) {
				/* Chunks of about 20 ms: few round trips, little overshoot. */
				gint64 dt = g_get_monotonic_time() - w->sent_at;

				if (dt < 10000 && w->chunk < CHUNK_MAX)
					w->chunk *= 2;
				else if (dt > 40000 && w->chunk > 1)
					w->chunk /= 2;
				w->busy = false;
			}
		}
		/* Consume in schedule order. */
		struct result *r;
		while (!x->stop && (r = g_hash_table_lookup(pending, &x->done))) {
			g_hash_table_remove(pending, &r->h.k);
			explore_process(x, r);
			explore_result_clear(r);
			g_free(r);
		}
		explore_progress(x, false);
	}
	stop_workers(ws, jobs);
	GHashTableIter it;
	gpointer k, v;
	g_hash_table_iter_init(&it, pending);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		explore_result_clear(v);
		g_free(v);
	}
	g_hash_table_destroy(pending);
	g_free(pfd);
	g_free(ws);
}
