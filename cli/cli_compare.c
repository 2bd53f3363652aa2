// SPDX-License-Identifier: GPL-2.0-only
/*
 * bbmsim compare: the vmemmap update strategies side by side on the series'
 * workload (hvo-compare, timed), at a scale of the series' 600 x 1 GiB on 80
 * CPUs, plus each strategy's verdict from a short exploration of hvo-2m.
 *
 * Every figure printed comes from a run: the simulated clock across each
 * operation, and the checker's findings. Nothing here knows what a strategy
 * costs.
 */
#include "cli.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define SERIES_PAGES   600 /* the series' 600 x 1 GiB */
#define MAX_STRATEGIES 8

static const char *const ops[] = {"alloc-1g", "free-1g", "demote-1g", "free-2m"};
static const char *const op_titles[] = {"alloc 600 x 1 GiB", "free 600 x 1 GiB",
					"demote 600 x 1 GiB", "free 307200 x 2 MiB"};
#define NR_OPS 4

struct strategy_result {
	char name[32];
	bool ran;
	uint64_t ps[NR_OPS];
	uint64_t pause_rounds, stop_rounds;
	unsigned schedules, findings;
	char first_finding[32];
};

struct table {
	struct strategy_result *r;
	unsigned nr;
	double scale;
	unsigned pages, cpus;
	const struct sim_costs *costs;
};

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = 1;
	sim_interrupt();
}

static void progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void progress(const char *fmt, ...)
{
	va_list ap;

	if (!isatty(STDERR_FILENO))
		return;
	fputs("\r\033[Kcompare: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

static void progress_done(void)
{
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
}

static const char *kernel = "model";

/* Machine options one strategy needs (C needs BBML2 hardware), and the kernel. */
static void strategy_options(struct sim_options *o, const char *strategy)
{
	char err[200];

	if (sim_options_set(o, "kernel", kernel, err, sizeof(err)))
		die("--kernel: %s", err);
	if (sim_options_set(o, "strategy", strategy, err, sizeof(err)))
		die("--strategy: %s", err);
	if (!strcmp(strategy, "C")) {
		o->bbm_level = 2;
		o->bbml2_noabort = true;
	}
}

static int run_timed(const struct scenario *scn, struct sim_options *o,
		     const struct sim_costs *costs, bool fibers, struct strategy_result *r)
{
	char err[400];
	struct sim *sim = sim_create(scn, o, costs, NULL, err, sizeof(err));

	if (!sim)
		die("%s", err);
	sim->keep_trace = false;
	sim->fibers = fibers;
	if (sim_run(sim, err, sizeof(err))) {
		if (interrupted) {
			sim_destroy(sim);
			return -1;
		}
		die("%s", err);
	}
	/* The checker's findings are the verdict's business; these void the figures. */
	for (unsigned i = 0; i < sim->nr_findings; i++) {
		const struct sim_finding *f = &sim->findings[i];

		if (f->kind == FINDING_ASSERTION || f->kind == FINDING_DEADLOCK ||
		    f->kind == FINDING_LIVELOCK || f->kind == FINDING_LOST_INTERRUPT)
			die("compare: the timed run of %s is no measurement: %s: %s", r->name,
			    finding_name(f->kind), f->detail);
	}
	for (int i = 0; i < NR_OPS; i++)
		if (!sim_metric_get(sim, ops[i], &r->ps[i]))
			die("compare: the run of %s did not measure %s", r->name, ops[i]);
	sim_metric_get(sim, "pause-rounds", &r->pause_rounds);
	sim_metric_get(sim, "stop-machine-rounds", &r->stop_rounds);
	r->ran = true;
	sim_destroy(sim);
	return 0;
}

static void run_verdict(const struct scenario *scn, const char *strategy, unsigned schedules,
			const struct sim_costs *costs, bool fibers, struct strategy_result *r)
{
	for (unsigned i = 0; i < schedules && !interrupted; i++) {
		struct sim_options o;
		char err[400];

		build_options(scn, &o);
		strategy_options(&o, strategy);
		o.seed = 1 + i;
		struct sim *sim = sim_create(scn, &o, costs, NULL, err, sizeof(err));
		if (!sim)
			die("%s", err);
		sim->fibers = fibers;
		if (sim_run(sim, err, sizeof(err))) {
			sim_destroy(sim);
			if (interrupted)
				return;
			die("%s", err);
		}
		r->schedules++;
		if (sim->nr_findings) {
			if (!r->findings)
				g_strlcpy(r->first_finding, finding_name(sim->findings[0].kind),
					  sizeof(r->first_finding));
			r->findings++;
		}
		sim_destroy(sim);
	}
}

/* One strategy, start to end: the timed run, then its verdict. */
static void run_one(struct strategy_result *r, const struct scenario *work,
		    const struct scenario *verdict, const struct sim_costs *costs, bool fibers,
		    unsigned cpus, unsigned pages, unsigned verdicts)
{
	struct sim_options o;

	build_options(work, &o);
	strategy_options(&o, r->name);
	g_strlcpy(o.sched, "timed", sizeof(o.sched));
	o.cpus = cpus;
	o.pages = pages;
	o.keep_going = true; /* "none" must finish its work to be timed */
	/* ~2.7 M yields per 1 GiB page under B at 80 CPUs: 600 pages need the most. */
	o.step_bound = SIM_STEP_BOUND_MAX;
	o.mem_gb = pages + pages / 50 + 3;
	if (run_timed(work, &o, costs, fibers, r))
		return;
	run_verdict(verdict, r->name, verdicts, costs, fibers, r);
}

/*
 * Strategies are independent runs: with --jobs > 1 each runs in a child
 * process of its own and sends its result back through a pipe; the table
 * is the same whatever the number of jobs.
 */
struct job {
	pid_t pid;
	int fd;
	unsigned idx;
};

static bool read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
	}
	return true;
}

static void finish_job(struct strategy_result *res, struct job *j, int status)
{
	struct strategy_result r;

	/* The child wrote its result before it exited; the pipe still holds it. */
	if (read_full(j->fd, &r, sizeof(r)))
		res[j->idx] = r;
	close(j->fd);
	if (!interrupted && (!WIFEXITED(status) || WEXITSTATUS(status)))
		die("compare: the run of strategy %s failed", res[j->idx].name);
}

/* Waits for whichever job ends first; results land in their own slots. */
static void reap_one(struct strategy_result *res, struct job *running, unsigned *nrun)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, 0)) < 0 && errno == EINTR)
		;
	for (unsigned i = 0; i < *nrun; i++) {
		if (running[i].pid != pid)
			continue;
		finish_job(res, &running[i], status);
		running[i] = running[--*nrun];
		return;
	}
	if (pid < 0)
		die("compare: waitpid: %s", g_strerror(errno));
}

static void run_all(struct table *t, const struct scenario *work, const struct scenario *verdict,
		    const struct sim_costs *costs, bool fibers, unsigned verdicts, unsigned jobs)
{
	struct job running[MAX_STRATEGIES];
	unsigned nrun = 0, next = 0, done = 0;

	if (jobs <= 1) {
		for (unsigned i = 0; i < t->nr && !interrupted; i++) {
			progress("%s: %u x 1 GiB on %u CPUs (%u/%u)", t->r[i].name, t->pages,
				 t->cpus, i + 1, t->nr);
			run_one(&t->r[i], work, verdict, costs, fibers, t->cpus, t->pages,
				verdicts);
		}
		return;
	}
	fflush(stdout);
	while (done < t->nr && !interrupted) {
		while (nrun < jobs && next < t->nr) {
			int fds[2];

			if (pipe(fds))
				die("compare: pipe: %s", g_strerror(errno));
			pid_t pid = fork();
			if (pid < 0)
				die("compare: fork: %s", g_strerror(errno));
			if (!pid) {
				close(fds[0]);
				run_one(&t->r[next], work, verdict, costs, fibers, t->cpus,
					t->pages, verdicts);
				bool ok = write(fds[1], &t->r[next], sizeof(t->r[next])) ==
					  (ssize_t)sizeof(t->r[next]);
				_exit(ok && !interrupted ? 0 : 1);
			}
			close(fds[1]);
			running[nrun++] = (struct job){pid, fds[0], next++};
		}
		progress("%u/%u strategies done, %u running", done, t->nr, nrun);
		reap_one(t->r, running, &nrun);
		done++;
	}
	while (nrun)
		reap_one(t->r, running, &nrun);
}

/* ---- output ---------------------------------------------------------------------------- */

/* Simulated seconds of an operation scaled to the series' 600 x 1 GiB. */
static double scaled_s(const struct table *t, const struct strategy_result *r, int op)
{
	return (double)r->ps[op] / 1e12 * SERIES_PAGES / t->pages;
}

/* Per page of the operation: a 1 GiB page, or a 2 MiB one for free-2m. */
static double per_page_ns(const struct table *t, const struct strategy_result *r, int op)
{
	double pages = op == 3 ? 512.0 * t->pages : t->pages;

	return (double)r->ps[op] / 1e3 / pages;
}

static const struct strategy_result *baseline(const struct table *t)
{
	for (unsigned i = 0; i < t->nr; i++)
		if (!strcmp(t->r[i].name, "none") && t->r[i].ran)
			return &t->r[i];
	return NULL;
}

static void print_text(const struct table *t)
{
	const struct strategy_result *base = baseline(t);

	printf("bbmsim compare: %u x 1 GiB (%u x 2 MiB) on %u CPUs, timed; figures scaled to "
	       "the series' 600 x 1 GiB (x%.4g)\n",
	       t->pages, t->pages * 512, t->cpus, (double)SERIES_PAGES / t->pages);
	printf("kernel: %s; costs: digest %.12s\n\n", kernel, t->costs->digest);
	printf("%-22s", "operation");
	for (unsigned i = 0; i < t->nr; i++)
		printf("%18s", t->r[i].name);
	printf("\n");
	for (int op = 0; op < NR_OPS; op++) {
		printf("%-22s", op_titles[op]);
		for (unsigned i = 0; i < t->nr; i++) {
			const struct strategy_result *r = &t->r[i];
			char cell[40];

			if (!r->ran)
				snprintf(cell, sizeof(cell), "-");
			else if (base && r != base && base->ps[op])
				snprintf(cell, sizeof(cell), "%.3f s %+4.0f%%", scaled_s(t, r, op),
					 100.0 * ((double)r->ps[op] / (double)base->ps[op] - 1));
			else
				snprintf(cell, sizeof(cell), "%.3f s", scaled_s(t, r, op));
			printf("%18s", cell);
		}
		printf("\n");
	}
	printf("\nper page (us)         ");
	printf("\n");
	for (int op = 0; op < NR_OPS; op++) {
		printf("  %-20s", ops[op]);
		for (unsigned i = 0; i < t->nr; i++) {
			char cell[40];

			if (t->r[i].ran)
				snprintf(cell, sizeof(cell), "%.3f",
					 per_page_ns(t, &t->r[i], op) / 1e3);
			else
				snprintf(cell, sizeof(cell), "-");
			printf("%18s", cell);
		}
		printf("\n");
	}
	printf("%-22s", "pause / stop rounds");
	for (unsigned i = 0; i < t->nr; i++) {
		char cell[40];

		snprintf(cell, sizeof(cell), "%" PRIu64 " / %" PRIu64, t->r[i].pause_rounds,
			 t->r[i].stop_rounds);
		printf("%18s", cell);
	}
	printf("\n%-22s", "verdict (hvo-2m)");
	for (unsigned i = 0; i < t->nr; i++) {
		const struct strategy_result *r = &t->r[i];
		char cell[64];

		if (!r->schedules)
			snprintf(cell, sizeof(cell), "-");
		else if (r->findings)
			snprintf(cell, sizeof(cell), "%u/%u %s", r->findings, r->schedules,
				 r->first_finding);
		else
			snprintf(cell, sizeof(cell), "clean %u/%u", r->schedules, r->schedules);
		printf("%18s", cell);
	}
	printf("\n");
}

static void print_json(const struct table *t)
{
	GString *s = g_string_new("{\"rows\":[");
	bool first = true;

	for (unsigned i = 0; i < t->nr; i++)
		for (int op = 0; op < NR_OPS && t->r[i].ran; op++) {
			g_string_append_printf(s, "%s{\"operation\":\"%s\",\"strategy\":",
					       first ? "" : ",", ops[op]);
			json_str(s, t->r[i].name);
			g_string_append_printf(s, ",\"sim_seconds\":%.6f,\"per_page_ns\":%.1f}",
					       scaled_s(t, &t->r[i], op),
					       per_page_ns(t, &t->r[i], op));
			first = false;
		}
	g_string_append(s, "],\"verdicts\":[");
	for (unsigned i = 0; i < t->nr; i++) {
		g_string_append(s, i ? ",{\"strategy\":" : "{\"strategy\":");
		json_str(s, t->r[i].name);
		g_string_append_printf(s, ",\"schedules\":%u,\"findings\":%u}", t->r[i].schedules,
				       t->r[i].findings);
	}
	g_string_append_printf(s,
			       "],\"kernel\":\"%s\",\"scale\":%.6g,\"pages\":%u,\"cpus\":%u,"
			       "\"costs\":{\"digest\":\"%s\"",
			       kernel, t->scale, t->pages, t->cpus, t->costs->digest);
	for (int c = 0; c < SIM_NR_COSTS; c++)
		g_string_append_printf(s, ",\"%s_ns\":%.3f", costs_name(c), t->costs->ps[c] / 1e3);
	g_string_append(s, "}}\n");
	fputs(s->str, stdout);
	g_string_free(s, TRUE);
}

static void print_csv(const struct table *t)
{
	printf("operation,strategy,sim_seconds,per_page_ns\n");
	for (unsigned i = 0; i < t->nr; i++)
		for (int op = 0; op < NR_OPS && t->r[i].ran; op++)
			printf("%s,%s,%.6f,%.1f\n", ops[op], t->r[i].name,
			       scaled_s(t, &t->r[i], op), per_page_ns(t, &t->r[i], op));
	printf("\nstrategy,schedules,findings\n");
	for (unsigned i = 0; i < t->nr; i++)
		printf("%s,%u,%u\n", t->r[i].name, t->r[i].schedules, t->r[i].findings);
}

/* Grouped bars: one group per operation, one bar per strategy, seconds at scale 1. */
static void write_svg(const struct table *t, const char *path)
{
	static const char *const colors[] = {"#888888", "#e15759", "#f28e2b", "#59a14f",
					     "#4e79a7", "#b07aa1", "#76b7b2", "#edc948"};
	const int w = 760, h = 420, left = 60, bottom = 60, top = 40;
	double max = 0;
	GString *s = g_string_new(NULL);

	for (unsigned i = 0; i < t->nr; i++)
		for (int op = 0; op < NR_OPS && t->r[i].ran; op++)
			max = fmax(max, scaled_s(t, &t->r[i], op));
	if (max <= 0)
		max = 1;
	double tick = pow(10, floor(log10(max)));
	if (max / tick < 3)
		tick /= 2;
	g_string_append_printf(
		s,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"%d\" y=\"22\" font-size=\"15\">Simulated time per operation "
		"(scaled to 600 x 1 GiB, %u CPUs)</text>\n",
		w, h, left, t->cpus);
	double plot_h = h - bottom - top, plot_w = w - left - 150;
	for (double y = 0; y <= max * 1.0001; y += tick) {
		double py = h - bottom - y / max * plot_h;

		g_string_append_printf(s,
				       "<line x1=\"%d\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" "
				       "stroke=\"#ddd\"/><text x=\"%d\" y=\"%.1f\" "
				       "text-anchor=\"end\">%.3g s</text>\n",
				       left, left + plot_w, py, py, left - 6, py + 4, y);
	}
	double group = plot_w / NR_OPS, bar = group * 0.8 / (t->nr ? t->nr : 1);
	for (int op = 0; op < NR_OPS; op++) {
		for (unsigned i = 0; i < t->nr; i++) {
			if (!t->r[i].ran)
				continue;
			double v = scaled_s(t, &t->r[i], op), bh = v / max * plot_h;
			double x = left + op * group + group * 0.1 + i * bar;

			g_string_append_printf(s,
					       "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
					       "height=\"%.1f\" fill=\"%s\"><title>%s %s: %.3f "
					       "s</title></rect>\n",
					       x, h - bottom - bh, bar * 0.95, bh,
					       colors[i % G_N_ELEMENTS(colors)], t->r[i].name,
					       ops[op], v);
		}
		g_string_append_printf(
			s, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
			left + op * group + group / 2, h - bottom + 18, op_titles[op]);
	}
	for (unsigned i = 0; i < t->nr; i++)
		g_string_append_printf(s,
				       "<rect x=\"%.0f\" y=\"%u\" width=\"12\" height=\"12\" "
				       "fill=\"%s\"/><text x=\"%.0f\" y=\"%u\">%s</text>\n",
				       left + plot_w + 20, top + 20 * i,
				       colors[i % G_N_ELEMENTS(colors)], left + plot_w + 38,
				       top + 20 * i + 11, t->r[i].name);
	g_string_append(s, "</svg>\n");
	out_write(path, s->str, s->len);
	g_string_free(s, TRUE);
}

/* ---- the command --------------------------------------------------------------------------- */

int cmd_compare(int argc, char **argv)
{
	static gdouble opt_scale = 0.01;
	static gint opt_cpus = 80, opt_verdicts = 20, opt_jobs = -1;
	static gchar *opt_strategies, *opt_plot, *opt_backend, *opt_kernel;
	static gboolean opt_csv;
	GOptionEntry e[] = {
		{"scale", 0, 0, G_OPTION_ARG_DOUBLE, &opt_scale,
		 "fraction of the series' 600 x 1 GiB (default 0.01; 1 = the full workload)", "S"},
		{"cpus", 0, 0, G_OPTION_ARG_INT, &opt_cpus, "CPUs of the machine (default 80)",
		 "N"},
		{"strategy", 0, 0, G_OPTION_ARG_STRING, &opt_strategies,
		 "strategies to compare (default none,A,B,C,D)", "LIST"},
		{"verdict-schedules", 0, 0, G_OPTION_ARG_INT, &opt_verdicts,
		 "hvo-2m schedules explored per strategy for the verdict row (default 20)", "N"},
		{"costs", 0, 0, G_OPTION_ARG_FILENAME, &opt_costs, "cost table overrides", "FILE"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "JSON output", NULL},
		{"csv", 0, 0, G_OPTION_ARG_NONE, &opt_csv, "CSV output", NULL},
		{"plot", 0, 0, G_OPTION_ARG_FILENAME, &opt_plot, "grouped bars as SVG", "FILE.svg"},
		{"kernel", 0, 0, G_OPTION_ARG_STRING, &opt_kernel,
		 "HVO code: model (ours, default) or linux (Linux's own hugetlb_vmemmap.c)", "K"},
		{"jobs", 0, 0, G_OPTION_ARG_INT, &opt_jobs,
		 "strategies run in parallel processes (default: the number of cores)", "N"},
		{"backend", 0, 0, G_OPTION_ARG_STRING, &opt_backend,
		 "fibers (default) or threads: how CPUs run; the results are the same", "B"},
		{NULL}};
	struct strategy_result res[MAX_STRATEGIES];
	struct sim_costs costs;
	struct table t = {.r = res};

	parse_args("compare", "", "Compare the vmemmap update strategies on the series' workload.",
		   e, false, &argc, &argv);
	if (argc > 1)
		die("compare: unexpected argument '%s'", argv[1]);
	if (!(opt_scale > 0 && opt_scale <= 1))
		die("--scale: %g is out of range (0, 1]", opt_scale);
	if (opt_cpus < 2 || opt_cpus > SIM_MAX_CPUS)
		die("--cpus: %d is out of range [2, %d]", opt_cpus, SIM_MAX_CPUS);
	if (opt_verdicts < 0 || opt_verdicts > 100000)
		die("--verdict-schedules: %d is out of range [0, 100000]", opt_verdicts);
	if (opt_kernel) {
		if (strcmp(opt_kernel, "model") && strcmp(opt_kernel, "linux"))
			die("--kernel: '%s' is not model or linux", opt_kernel);
		kernel = opt_kernel;
	}
	if (opt_jobs == -1)
		opt_jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (opt_jobs < 1 || opt_jobs > 64)
		die("--jobs: %d is out of range [1, 64]", opt_jobs);
	if (opt_json && opt_csv)
		die("compare: --json and --csv exclude each other");
	bool fibers = !opt_backend || !strcmp(opt_backend, "fibers");
	if (opt_backend && !fibers && strcmp(opt_backend, "threads"))
		die("--backend: '%s' is not fibers or threads", opt_backend);
	load_costs(&costs);

	gchar **names = g_strsplit(opt_strategies ? opt_strategies : "none,A,B,C,D", ",", -1);
	memset(res, 0, sizeof(res));
	for (gchar **n = names; *n; n++) {
		struct sim_options probe;
		char err[200];

		if (t.nr == MAX_STRATEGIES)
			die("--strategy: at most %d strategies", MAX_STRATEGIES);
		sim_options_default(&probe);
		if (sim_options_set(&probe, "strategy", *n, err, sizeof(err)) ||
		    (strcmp(*n, "none") && strcmp(*n, "A") && strcmp(*n, "B") && strcmp(*n, "C") &&
		     strcmp(*n, "D")))
			die("--strategy: '%s' is not one of none, A, B, C, D", *n);
		g_strlcpy(res[t.nr++].name, *n, sizeof(res[0].name));
	}
	g_strfreev(names);
	if (!t.nr)
		die("--strategy: empty list");

	t.scale = opt_scale;
	t.pages = (unsigned)lround(SERIES_PAGES * opt_scale);
	if (!t.pages)
		t.pages = 1;
	t.cpus = (unsigned)opt_cpus;
	t.costs = &costs;

	const struct scenario *work = find_scenario("hvo-compare");
	const struct scenario *verdict = find_scenario("hvo-2m");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	run_all(&t, work, verdict, &costs, fibers, (unsigned)opt_verdicts, (unsigned)opt_jobs);
	progress_done();
	if (interrupted) {
		unsigned done = 0;

		while (done < t.nr && res[done].ran)
			done++;
		t.nr = done;
		fprintf(stderr, "bbmsim: compare interrupted; %u strateg%s complete\n", done,
			done == 1 ? "y" : "ies");
	}
	if (opt_json)
		print_json(&t);
	else if (opt_csv)
		print_csv(&t);
	else
		print_text(&t);
	if (opt_plot)
		write_svg(&t, opt_plot);
	return interrupted ? 130 : 0;
}
