// SPDX-License-Identifier: GPL-2.0-only
/*
 * bbmsim explore: many schedules, seed after seed.
 *
 * Schedule i (0-based, global) always runs seed SEED+i, whoever runs it. With
 * --jobs N, forked workers run chunks of schedules and send each result back
 * through a pipe; the parent consumes them strictly in schedule order, so
 * what it reports, which traces it writes and where it stops do not depend on
 * N (workers may run past the stop point; that work is thrown away). With
 * --shard K/N (1 <= K <= N, as Jest, Playwright and Vitest count) this
 * process runs only schedules i = K-1, K-1+N, K-1+2N, ...; `bbmsim merge`
 * turns the shards' --json outputs into the single-machine report.
 */
#include "cli.h"
#include "explore.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SCHEDULES 100000000ll
#define MAX_JOBS      256

static gint64 opt_jobs = -1, opt_max_findings = 100;
static gchar *opt_shard;
static gdouble opt_time_budget;
static gboolean opt_verify, opt_threads;

static uint64_t global_index(const struct explore *x, uint64_t k)
{
	return x->shard + k * x->nshards;
}

/* ---- running one schedule ------------------------------------------------------------- */

/* Runs schedule @k into @r; false if a signal cut it short. */
bool explore_run_schedule(struct explore *x, uint64_t k, struct result *r)
{
	struct sim_options opt = x->opt;
	char err[400];

	opt.seed = x->base + global_index(x, k);
	struct sim *sim = sim_create(x->scn, &opt, &x->costs, NULL, err, sizeof(err));
	if (!sim)
		die("%s", err);
	/* Fibers: the same schedule and trace as threads, far cheaper hand-offs. */
	sim->fibers = x->fibers;
	if (sim_run(sim, err, sizeof(err))) {
		sim_destroy(sim);
		if (cli_signal)
			return false;
		die("%s", err);
	}
	memset(r, 0, sizeof(*r));
	r->h.k = k;
	r->h.nfind = sim->nr_findings;
	if (sim->nr_findings) {
		size_t len;
		const char *text = sim_trace_text(sim, &len);

		r->f = g_memdup2(sim->findings, sim->nr_findings * sizeof(*r->f));
		for (unsigned i = 0; i < sim->nr_findings; i++) {
			r->f[i].detail = g_strdup(sim->findings[i].detail);
			r->f[i].rule = g_strdup(sim->findings[i].rule);
		}
		r->trace = g_strndup(text, len);
		r->h.tlen = (uint32_t)len;
	}
	sim_destroy(sim);
	return true;
}

void explore_result_clear(struct result *r)
{
	for (unsigned i = 0; r->f && i < r->h.nfind; i++) {
		g_free(r->f[i].detail);
		g_free(r->f[i].rule);
	}
	g_free(r->f);
	g_free(r->trace);
	memset(r, 0, sizeof(*r));
}

/* ---- in-order processing: the report ---------------------------------------------------- */

static char *key_of(const struct sim_finding *f)
{
	return g_strdup_printf("%d:%" PRIx64 ":%" PRIx64, f->kind, f->va, f->pa);
}

/*
 * A finding's trace goes to --out as SCENARIO-seedN-H.trace, H the first 8
 * hex digits of the sha256 of its header (scenario, seed, scheduler, every
 * option and cost): explorations of other configurations into one DIR get
 * other names. A file of that name with the same bytes is the same trace and
 * stays; one with other bytes is never replaced: ours takes the next free
 * name (-2, -3, ...).
 */
static char *save_trace(struct explore *x, uint64_t g, const char *text, size_t len)
{
	const char *sep = strstr(text, "\n---\n");
	size_t hlen = sep ? (size_t)(sep - text) + 5 : len;
	char *sum = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, hlen);
	char err[600];

	if (g_mkdir_with_parents(x->out, 0755))
		die("cannot write %s: %s", x->out, g_strerror(errno));
	for (unsigned n = 1;; n++) {
		char *path = n == 1 ? g_strdup_printf("%s/%s-seed%" PRIu64 "-%.8s.trace", x->out,
						      x->scn->name, x->base + g, sum)
				    : g_strdup_printf("%s/%s-seed%" PRIu64 "-%.8s-%u.trace", x->out,
						      x->scn->name, x->base + g, sum, n);
		bool same;
		int r = out_write_new(path, text, len, &same, err, sizeof(err));

		if (r < 0)
			die("%s", err);
		if (r == 0) {
			g_free(sum);
			return path;
		}
		g_free(path);
	}
}

void explore_process(struct explore *x, struct result *r)
{
	uint64_t g = global_index(x, r->h.k);
	char *path = NULL;

	x->done++;
	for (unsigned i = 0; i < r->h.nfind && !x->stop; i++) {
		struct sim_finding *f = &r->f[i];
		char *key = key_of(f);

		/* --keep-going: one report per kind and place, over all schedules. */
		if (x->keep_going && g_hash_table_contains(x->keys, key)) {
			g_free(key);
			continue;
		}
		g_hash_table_add(x->keys, key);
		if (!path) {
			path = save_trace(x, g, r->trace, r->h.tlen);
			g_ptr_array_add(x->paths, path);
		}
		struct reported rep = {.g = g, .f = *f, .path = path};
		g_array_append_val(x->found, rep);
		f->detail = f->rule = NULL; /* the report owns them now */
		if (!x->keep_going || x->found->len >= (unsigned)opt_max_findings)
			x->stop = true;
	}
}

/* ---- progress ------------------------------------------------------------------------------ */

void explore_progress(struct explore *x, bool final)
{
	gint64 now = g_get_monotonic_time();

	if (!x->tty || (!final && now - x->last_draw < 100000))
		return;
	x->last_draw = now;
	if (final) {
		fputs("\r\033[K", stderr);
		return;
	}
	double secs = (double)(now - x->start) / 1e6, rate = secs > 0 ? x->done / secs : 0;
	char eta[32] = "?";
	if (x->deadline)
		snprintf(eta, sizeof(eta), "%.0fs", (double)(x->deadline - now) / 1e6);
	else if (rate > 0)
		snprintf(eta, sizeof(eta), "%.0fs", (double)(x->nsched - x->done) / rate);
	unsigned width = 30, fill = 0;
	if (!x->time_limited && x->nsched)
		fill = (unsigned)(width * x->done / x->nsched);
	else if (x->deadline)
		fill = (unsigned)(width * (now - x->start) / (x->deadline - x->start + 1));
	char bar[64];
	for (unsigned i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = 0;
	fprintf(stderr,
		"\r[%s] %" PRIu64 "/%" PRIu64 " schedules, %.0f/s, %u finding%s, ETA %s\033[K", bar,
		x->done, x->nsched, rate, x->found->len, x->found->len == 1 ? "" : "s", eta);
}

bool explore_out_of_time(const struct explore *x)
{
	return x->deadline && g_get_monotonic_time() >= x->deadline;
}

/* ---- one process ------------------------------------------------------------------------- */

static void explore_serial(struct explore *x)
{
	struct result r;

	for (uint64_t k = 0; k < x->nsched && !x->stop && !cli_signal && !explore_out_of_time(x);
	     k++) {
		if (!explore_run_schedule(x, k, &r))
			break;
		explore_process(x, &r);
		explore_result_clear(&r);
		explore_progress(x, false);
	}
}

/* ---- the report ---------------------------------------------------------------------------- */

/* A finding's JSON, with the schedule it came from in front. */
static void json_reported(GString *s, const struct reported *r, uint64_t base)
{
	GString *f = g_string_new(NULL);

	json_finding(f, &r->f, r->path);
	g_string_append_printf(s, "{\"schedule\":%" PRIu64 ",\"seed\":%" PRIu64 ",%s", r->g,
			       base + r->g, f->str + 1);
	g_string_free(f, TRUE);
}

static void report(struct explore *x)
{
	if (opt_json) {
		GString *s = g_string_new("{\"scenario\":");

		json_str(s, x->scn->name);
		g_string_append_printf(s, ",\"seed\":%" PRIu64 ",\"sched\":", x->base);
		json_str(s, x->opt.sched);
		g_string_append_printf(s, ",\"cpus\":%u,\"schedules\":%" PRIu64 ",\"findings\":[",
				       sim_opt_uint(&x->opt, OPT_cpus)
					       ? sim_opt_uint(&x->opt, OPT_cpus)
					       : x->scn->default_cpus,
				       x->done);
		for (unsigned i = 0; i < x->found->len; i++) {
			if (i)
				g_string_append_c(s, ',');
			json_reported(s, &g_array_index(x->found, struct reported, i), x->base);
		}
		g_string_append_c(s, ']');
		if (cli_signal)
			g_string_append(s, ",\"interrupted\":true");
		if (x->sharded) {
			/* What merge needs; "next": this shard ran all of its schedules below. */
			g_string_append_printf(
				s,
				",\"shard\":{\"index\":%u,\"count\":%u,\"total\":%" PRIu64
				",\"next\":%" PRIu64 ",\"keep_going\":%s,\"max_findings\":%" PRId64
				"}",
				x->shard + 1, x->nshards, x->total, global_index(x, x->done),
				x->keep_going ? "true" : "false", (int64_t)opt_max_findings);
		}
		g_string_append(s, "}\n");
		fputs(s->str, stdout);
		g_string_free(s, TRUE);
		return;
	}
	for (unsigned i = 0; i < x->found->len; i++) {
		const struct reported *r = &g_array_index(x->found, struct reported, i);

		printf("seed %" PRIu64 ": ", x->base + r->g);
		print_finding_text(&r->f);
		printf("  trace: %s\n", r->path);
	}
	printf("explored %s: %" PRIu64 " schedule%s", x->scn->name, x->done,
	       x->done == 1 ? "" : "s");
	if (x->sharded)
		printf(" (shard %u/%u)", x->shard + 1, x->nshards);
	if (x->done && !x->sharded)
		printf(" (seeds %" PRIu64 "..%" PRIu64 ", sched %s)", x->base,
		       x->base + x->done - 1, x->opt.sched);
	else
		printf(" (sched %s)", x->opt.sched);
	printf(", %u finding%s%s\n", x->found->len, x->found->len == 1 ? "" : "s",
	       cli_signal ? " (interrupted)" : "");
}

/* explore --verify-replay: every trace written must replay to the same findings. */
static void verify(struct explore *x)
{
	for (unsigned i = 0; i < x->paths->len; i++) {
		const char *path = x->paths->pdata[i];
		char err[400];
		char *text;
		size_t len;

		out_read(path, &text, &len);
		struct sim *sim = replay_text(text, len, 0, err, sizeof(err));
		g_free(text);
		if (!sim)
			die("verify-replay: %s does not reproduce: %s", path, err);
		sim_destroy(sim);
	}
	if (!opt_json)
		printf("verify-replay: %u trace%s reproduce%s\n", x->paths->len,
		       x->paths->len == 1 ? "" : "s", x->paths->len == 1 ? "s" : "");
}

/* An --out that exists must be a writable directory; else its parent must be writable. */
static void check_out_dir(const char *out)
{
	gchar *dir = g_strdup(out);

	while (!g_file_test(dir, G_FILE_TEST_EXISTS)) {
		gchar *up = g_path_get_dirname(dir);

		g_free(dir);
		dir = up;
	}
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR) || access(dir, W_OK | X_OK))
		die("--out %s: cannot write there (%s is not a writable directory)", out, dir);
	g_free(dir);
}

static void parse_shard(struct explore *x)
{
	unsigned k, n;
	char c;

	x->shard = 0;
	x->nshards = 1;
	if (!opt_shard)
		return;
	if (sscanf(opt_shard, "%u/%u%c", &k, &n, &c) != 2 || n < 1 || n > 1000000 || k < 1 || k > n)
		die("--shard: '%s' is not K/N with 1 <= K <= N <= 1000000", opt_shard);
	x->shard = k - 1;
	x->nshards = n;
	x->sharded = true;
}

int cmd_explore(int argc, char **argv)
{
	GOptionEntry e[] = {
		{"schedules", 0, 0, G_OPTION_ARG_INT64, &opt_schedules,
		 "schedules to run (seeds SEED .. SEED+N-1; default 100)", "N"},
		{"time-budget", 0, 0, G_OPTION_ARG_DOUBLE, &opt_time_budget,
		 "run schedules for this long instead (with --schedules: whichever ends first; "
		 "0, the default: no time limit)",
		 "SECONDS"},
		{"jobs", 'j', 0, G_OPTION_ARG_INT64, &opt_jobs,
		 "worker processes (default: the number of cores)", "N"},
		{"shard", 0, 0, G_OPTION_ARG_STRING, &opt_shard,
		 "shard K of N, 1 <= K <= N: run only schedules K-1, K-1+N, K-1+2N, ... "
		 "(0-based; bbmsim merge joins the shards)",
		 "K/N"},
		{"max-findings", 0, 0, G_OPTION_ARG_INT64, &opt_max_findings,
		 "with --keep-going: stop after this many distinct findings (default 100)", "N"},
		{"verify-replay", 0, 0, G_OPTION_ARG_NONE, &opt_verify,
		 "replay every trace written and fail unless it reproduces", NULL},
		{"threads", 0, 0, G_OPTION_ARG_NONE, &opt_threads,
		 "run CPUs as threads, not fibers (same results, slower)", NULL},
		{"out", 0, 0, G_OPTION_ARG_FILENAME, &opt_out,
		 "where traces of findings go (default ./bbmsim-findings)", "DIR"},
		{"costs", 0, 0, G_OPTION_ARG_FILENAME, &opt_costs, "cost table overrides", "FILE"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "JSON output", NULL},
		{"exhaustive", 0, 0, G_OPTION_ARG_NONE, &opt_exhaustive,
		 "every interleaving and hardware decision instead of seeds (small scenarios)",
		 NULL},
		{"no-reduction", 0, 0, G_OPTION_ARG_NONE, &opt_no_reduction,
		 "with --exhaustive: every interleaving, no partial-order reduction (to check it)",
		 NULL},
		{"max-steps", 0, 0, G_OPTION_ARG_INT64, &opt_max_steps,
		 "with --exhaustive: a run past N yield points is a livelock (the bound)", "N"},
		{NULL}};
	struct explore x = {0};

	opt_schedules = -1;
	parse_args("explore", "SCENARIO",
		   "Run many schedules of a scenario, seed after seed. --keep-going collects "
		   "distinct findings (kind and place) instead of stopping at the first.",
		   e, true, &argc, &argv);
	if (argc != 2)
		die("explore: expected one SCENARIO");
	if (opt_schedules != -1 && (opt_schedules < 1 || opt_schedules > MAX_SCHEDULES))
		die("--schedules: %" G_GINT64_FORMAT " is out of range [1, %lld]", opt_schedules,
		    MAX_SCHEDULES);
	if (opt_time_budget < 0 || opt_time_budget > 1e7)
		die("--time-budget: %g is out of range [0, 1e7] seconds", opt_time_budget);
	if (opt_jobs != -1 && (opt_jobs < 1 || opt_jobs > MAX_JOBS))
		die("--jobs: %" G_GINT64_FORMAT " is out of range [1, %d]", opt_jobs, MAX_JOBS);
	if (opt_max_findings < 1 || opt_max_findings > 1000000)
		die("--max-findings: %" G_GINT64_FORMAT " is out of range [1, 1000000]",
		    opt_max_findings);
	parse_shard(&x);
	x.scn = find_scenario(argv[1]);
	build_options(x.scn, &x.opt);
	load_costs(&x.costs);
	x.out = opt_out ? opt_out : "bbmsim-findings";
	check_out_dir(x.out);
	if (opt_exhaustive)
		return explore_exhaustive(x.scn, &x.opt, &x.costs, x.out);

	x.time_limited = opt_time_budget > 0;
	x.total = opt_schedules != -1 ? (uint64_t)opt_schedules
		  : x.time_limited    ? (uint64_t)MAX_SCHEDULES
				      : 100;
	/* Seeds SEED .. SEED+total-1 must not wrap past 2^64-1. */
	if (x.total - 1 > UINT64_MAX - x.opt.seed) {
		if (opt_schedules != -1)
			die("--seed %" PRIu64 " with --schedules %" PRIu64
			    ": the seeds would pass 18446744073709551615",
			    x.opt.seed, x.total);
		x.total = UINT64_MAX - x.opt.seed + 1; /* --time-budget: up to the last seed */
	}
	x.nsched = x.total > x.shard ? (x.total - x.shard + x.nshards - 1) / x.nshards : 0;
	x.base = x.opt.seed;
	x.keep_going = sim_opt_bool(&x.opt, OPT_keep_going);
	x.found = g_array_new(FALSE, FALSE, sizeof(struct reported));
	x.keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	x.paths = g_ptr_array_new_with_free_func(g_free);
	x.tty = isatty(STDERR_FILENO);
	x.fibers = sim_fibers_available() && !opt_threads;
	x.start = g_get_monotonic_time();
	if (x.time_limited)
		x.deadline = x.start + (gint64)(opt_time_budget * 1e6);

	signal(SIGPIPE, SIG_IGN); /* a worker gone is seen as EPIPE */

	unsigned jobs = opt_jobs == -1 ? (unsigned)g_get_num_processors() : (unsigned)opt_jobs;
	if (jobs > x.nsched)
		jobs = x.nsched ? (unsigned)x.nsched : 1;
	if (jobs <= 1)
		explore_serial(&x);
	else
		explore_parallel(&x, jobs);
	explore_progress(&x, true);

	/* From here on a second signal must not cut the report short. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	if (opt_verify && !cli_signal)
		verify(&x);
	report(&x);
	fflush(stdout);

	int rc = cli_signal ? cli_signal_status() : x.found->len ? EXIT_FINDING : 0;
	for (unsigned i = 0; i < x.found->len; i++) {
		struct reported *r = &g_array_index(x.found, struct reported, i);

		g_free(r->f.detail);
		g_free(r->f.rule);
	}
	g_array_free(x.found, TRUE);
	g_hash_table_destroy(x.keys);
	g_ptr_array_free(x.paths, TRUE);
	return rc;
}
