// SPDX-License-Identifier: GPL-2.0-only
/*
 * bbmsim compare: the choices a layer registers (sim/compare.h; mm/
 * registers the vmemmap update strategies) side by side on its timed
 * workload, at a scale of the series' machine, each also judged by
 * exploring the scenarios that exercise it; --sensitivity moves every cost
 * to the ends of its range and shows what each does to the table.
 *
 * Every figure printed comes from a run: the simulated clock across each
 * operation, and the checker's findings. Nothing here knows what a choice
 * costs, or which choices there are.
 *
 * The pieces: cli_compare_run.c (tasks, parallel pool), cli_compare_out.c
 * (text, JSON, CSV), cli_compare_plot.c (SVG), cli_compare_sens.c.
 */
#include "compare.h"
#include "output.h"

#include <string.h>
#include <unistd.h>

static void usage_choices(GString *s)
{
	for (const struct cmp_choice *const *c = compare_choices(); *c; c++)
		g_string_append_printf(s, "%s%s", c == compare_choices() ? "" : ", ", (*c)->name);
}

/* The columns: --strategy's list, or every registered choice. */
static void pick_columns(struct cmp_table *t, const char *list)
{
	gchar **names = list ? g_strsplit(list, ",", -1) : NULL;
	GString *all = g_string_new(NULL);

	usage_choices(all);
	if (!names) {
		for (const struct cmp_choice *const *c = compare_choices(); *c; c++)
			if (t->nr < CMP_MAX_COLUMNS)
				t->col[t->nr++].choice = *c;
	}
	for (gchar **n = names; n && *n; n++) {
		const struct cmp_choice *c = compare_choice_find(*n);

		if (!c)
			die("--%s: '%s' is not one of %s", t->spec->option, *n, all->str);
		for (unsigned i = 0; i < t->nr; i++)
			if (t->col[i].choice == c)
				die("--%s: '%s' given twice", t->spec->option, *n);
		if (t->nr == CMP_MAX_COLUMNS)
			die("--%s: at most %d", t->spec->option, CMP_MAX_COLUMNS);
		t->col[t->nr++].choice = c;
	}
	g_strfreev(names);
	g_string_free(all, TRUE);
	if (!t->nr)
		die("--%s: empty list", t->spec->option);
}

/* The counter rows: the spec's, then each compared choice's own. */
static void pick_counters(struct cmp_table *t)
{
	for (unsigned k = 0; k < t->spec->nr_counters; k++)
		t->counters[t->nr_counters++] = &t->spec->counters[k];
	for (unsigned i = 0; i < t->nr; i++) {
		const struct cmp_choice *c = t->col[i].choice;

		for (unsigned k = 0; k < c->nr_counters && t->nr_counters < CMP_MAX_COUNTERS; k++)
			t->counters[t->nr_counters++] = &c->counters[k];
	}
}

/* Keeps the columns whose timed run finished, in order. */
static void keep_finished(struct cmp_table *t)
{
	unsigned done = 0;

	while (done < t->nr && t->col[done].ran)
		done++;
	t->nr = done;
	fprintf(stderr, "bbmsim: compare interrupted; %u column%s complete\n", done,
		done == 1 ? "" : "s");
}

int cmd_compare(int argc, char **argv)
{
	static gdouble opt_scale = 0.01;
	static gint opt_cpus = -1, opt_verdicts = 10, opt_jobs = -1;
	static gchar *opt_strategies, *opt_plot, *opt_backend, *opt_kernel;
	static gboolean opt_csv, opt_sens;
	GOptionEntry e[] = {
		{"scale", 0, 0, G_OPTION_ARG_DOUBLE, &opt_scale,
		 "fraction of the series' workload (default 0.01; 1 = the full workload)", "S"},
		{"cpus", 0, 0, G_OPTION_ARG_INT, &opt_cpus,
		 "CPUs of the machine (default: the series', 80)", "N"},
		{"strategy", 0, 0, G_OPTION_ARG_STRING, &opt_strategies,
		 "what to compare (default: every registered strategy)", "LIST"},
		{"verdict-schedules", 0, 0, G_OPTION_ARG_INT, &opt_verdicts,
		 "schedules per scenario and scheduler (random, pct) for the verdicts (default 10)",
		 "N"},
		{"sensitivity", 0, 0, G_OPTION_ARG_NONE, &opt_sens,
		 "also run every cost at both ends of its range and show each cell's change", NULL},
		{"costs", 0, 0, G_OPTION_ARG_FILENAME, &opt_costs, "cost table overrides", "FILE"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "JSON output (one object)", NULL},
		{"csv", 0, 0, G_OPTION_ARG_NONE, &opt_csv,
		 "CSV output: one long table (record,strategy,subject,sched,quantity,value)", NULL},
		{"plot", 0, 0, G_OPTION_ARG_FILENAME, &opt_plot,
		 "one panel per operation, log-free bars with values and verdicts, as SVG",
		 "FILE.svg"},
		{"kernel", 0, 0, G_OPTION_ARG_STRING, &opt_kernel,
		 "HVO code: model (ours, default) or linux (Linux's own hugetlb_vmemmap.c)", "K"},
		{"jobs", 0, 0, G_OPTION_ARG_INT, &opt_jobs,
		 "tasks run in parallel processes (default: the number of cores)", "N"},
		{"backend", 0, 0, G_OPTION_ARG_STRING, &opt_backend,
		 "fibers (default) or threads: how CPUs run; the results are the same", "B"},
		{NULL}};
	struct cmp_table *t = g_new0(struct cmp_table, 1);
	struct cmp_sens sens = {0};

	parse_args("compare", "", "Compare the vmemmap update strategies on the series' workload.",
		   e, false, &argc, &argv);
	if (argc > 1)
		die("compare: unexpected argument '%s'", argv[1]);
	t->spec = compare_spec();
	if (!t->spec)
		die("compare: no layer registered anything to compare");
	if (!(opt_scale > 0 && opt_scale <= 1))
		die("--scale: %g is out of range (0, 1]", opt_scale);
	if (opt_cpus == -1)
		opt_cpus = (int)t->spec->series_cpus;
	if (opt_cpus < 2 || opt_cpus > SIM_MAX_CPUS)
		die("--cpus: %d is out of range [2, %d]", opt_cpus, SIM_MAX_CPUS);
	if (opt_verdicts < 0 || opt_verdicts > 100000)
		die("--verdict-schedules: %d is out of range [0, 100000]", opt_verdicts);
	t->kernel = opt_kernel ? opt_kernel : "model";
	if (strcmp(t->kernel, "model") && strcmp(t->kernel, "linux"))
		die("--kernel: '%s' is not model or linux", t->kernel);
	if (opt_jobs == -1)
		opt_jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (opt_jobs < 1 || opt_jobs > 64)
		die("--jobs: %d is out of range [1, 64]", opt_jobs);
	if (opt_json && opt_csv)
		die("compare: --json and --csv exclude each other");
	t->fibers = !opt_backend || !strcmp(opt_backend, "fibers");
	if (opt_backend && !t->fibers && strcmp(opt_backend, "threads"))
		die("--backend: '%s' is not fibers or threads", opt_backend);
	load_costs(&t->costs);
	pick_columns(t, opt_strategies);
	pick_counters(t);
	t->scale = opt_scale;
	t->pages = compare_pages(opt_scale, t->spec->series_pages);
	t->cpus = (unsigned)opt_cpus;
	t->verdict_schedules = (unsigned)opt_verdicts;
	if (opt_plot)
		out_check(opt_plot); /* before minutes of work, not after */

	cli_catch_signals(true);
	cmp_run_table(t, (unsigned)opt_jobs);
	if (opt_sens && !cli_signal)
		cmp_sensitivity(t, (unsigned)opt_jobs, &sens);
	t->interrupted = cli_signal != 0;
	if (t->interrupted)
		keep_finished(t);
	if (opt_json)
		cmp_print_json(t, sens.nr ? &sens : NULL);
	else if (opt_csv)
		cmp_print_csv(t, sens.nr ? &sens : NULL);
	else {
		cmp_print_text(t);
		if (sens.nr)
			cmp_print_sens_text(t, &sens);
	}
	if (opt_plot) {
		GString *svg = cmp_svg(t);

		out_write(opt_plot, svg->str, svg->len);
		g_string_free(svg, TRUE);
	}
	g_free(sens.rows);
	g_free(t);
	return cli_signal_status(); /* 130 for SIGINT, 143 for SIGTERM */
}
