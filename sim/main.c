// SPDX-License-Identifier: GPL-2.0-only
/*
 * bbmsim: the command line. Exit status 0 clean, 1 a finding, 2 bad usage
 * or input (one line on stderr naming the problem).
 */
#include "scenario.h"
#include "sim.h"
#include "trace.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_FINDING 1
#define EXIT_BAD     2

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("bbmsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_BAD);
}

/* ---- options common to the commands ---------------------------------------------- */

/* Machine options as given, applied over the scenario's defaults later. */
static GPtrArray *given_names, *given_values;
static gchar *opt_record, *opt_perfetto, *opt_costs, *opt_out;
static gboolean opt_json;
static gint64 opt_schedules = 100;

static gboolean on_machine_option(const gchar *name, const gchar *value, gpointer data,
				  GError **error)
{
	struct sim_options scratch;
	char err[200];

	while (*name == '-')
		name++;
	if (!value)
		value = "1";
	sim_options_default(&scratch);
	if (sim_options_set(&scratch, name, value, err, sizeof(err))) {
		g_set_error(error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "%s", err);
		return FALSE;
	}
	g_ptr_array_add(given_names, g_strdup(name));
	g_ptr_array_add(given_values, g_strdup(value));
	return TRUE;
}

static GOptionEntry *machine_entries(void)
{
	static GOptionEntry e[64];
	unsigned n = 0;

#define ENTRY(nm, flags, help)                                                                \
	e[n++] = (GOptionEntry){nm,   0,   (flags), G_OPTION_ARG_CALLBACK, on_machine_option, \
				help, NULL};
	ENTRY("seed", 0, "seed of the schedule and hardware choices (default 1)")
	ENTRY("sched", 0, "timed | random | pct[:d] (default random)")
#define SIM_OPT_UINT(nm, d, lo, hi, h) ENTRY(NULL, 0, h)
#define SIM_OPT_BOOL(nm, d, h)	       ENTRY(NULL, G_OPTION_FLAG_OPTIONAL_ARG, h)
#define SIM_OPT_STR(nm, d, h)	       ENTRY(NULL, 0, h)
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR
#undef ENTRY
	/* Long names: the option's own with dashes. */
	static const char *const names[] = {
#define SIM_OPT_UINT(nm, d, lo, hi, h) #nm,
#define SIM_OPT_BOOL(nm, d, h)	       #nm,
#define SIM_OPT_STR(nm, d, h)	       #nm,
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR
	};
	for (unsigned i = 0; i < G_N_ELEMENTS(names); i++) {
		char *dashed = g_strdup(names[i]);

		g_strdelimit(dashed, "_", '-');
		e[2 + i].long_name = dashed; /* lives as long as the process */
	}
	e[n] = (GOptionEntry){NULL};
	return e;
}

static void parse_args(const char *cmd, const char *params, const char *summary,
		       const GOptionEntry *extra, bool machine, int *argc, char ***argv)
{
	GOptionContext *ctx = g_option_context_new(params);
	GError *e = NULL;

	g_option_context_set_summary(ctx, summary);
	if (machine) {
		GOptionGroup *g = g_option_group_new("machine", "Machine and schedule options:",
						     "Show machine options", NULL, NULL);
		g_option_group_add_entries(g, machine_entries());
		g_option_context_add_group(ctx, g);
	}
	if (extra)
		g_option_context_add_main_entries(ctx, extra, NULL);
	gchar *prg = g_strdup_printf("bbmsim %s", cmd);
	g_set_prgname(prg);
	g_free(prg);
	if (!g_option_context_parse(ctx, argc, argv, &e))
		die("%s: %s", cmd, e->message);
	g_option_context_free(ctx);
	for (int i = 1; i < *argc; i++)
		if ((*argv)[i][0] == '-' && (*argv)[i][1])
			die("%s: unknown option '%s'", cmd, (*argv)[i]);
}

/* The run's options: the scenario's defaults, then what was given. */
static void build_options(const struct scenario *scn, struct sim_options *opt)
{
	char err[200];

	sim_options_default(opt);
	for (const char *const *d = scn->defaults; d && *d; d++) {
		char *kv = g_strdup(*d), *eq = strchr(kv, '=');

		*eq = 0;
		if (sim_options_set(opt, kv, eq + 1, err, sizeof(err)))
			die("scenario %s: %s", scn->name, err);
		g_free(kv);
	}
	for (unsigned i = 0; i < given_names->len; i++)
		if (sim_options_set(opt, given_names->pdata[i], given_values->pdata[i], err,
				    sizeof(err)))
			die("%s", err);
}

static void load_costs(struct sim_costs *c)
{
	char err[300];

	costs_default(c);
	if (opt_costs && costs_load(c, opt_costs, err, sizeof(err)))
		die("%s", err);
}

static const struct scenario *find_scenario(const char *name)
{
	const struct scenario *s = scenario_find(name);

	if (!s)
		die("unknown scenario '%s' (bbmsim list shows them)", name);
	return s;
}

/* ---- output ------------------------------------------------------------------------- */

static void json_str(GString *s, const char *str)
{
	g_string_append_c(s, '"');
	for (; *str; str++) {
		if (*str == '"' || *str == '\\')
			g_string_append_c(s, '\\');
		if ((unsigned char)*str < 0x20)
			g_string_append_printf(s, "\\u%04x", *str);
		else
			g_string_append_c(s, *str);
	}
	g_string_append_c(s, '"');
}

static void json_finding(GString *s, const struct sim_finding *f, const char *trace)
{
	g_string_append(s, "{\"kind\":");
	json_str(s, finding_name(f->kind));
	g_string_append_printf(s,
			       ",\"cpu\":%d,\"step\":%" PRIu64 ",\"clock\":%" PRIu64
			       ",\"va\":\"%#" PRIx64 "\",\"pa\":\"%#" PRIx64 "\",\"rule\":",
			       f->cpu, f->step, f->clock, f->va, f->pa);
	json_str(s, f->rule);
	g_string_append(s, ",\"detail\":");
	json_str(s, f->detail);
	g_string_append(s, ",\"trace\":");
	if (trace)
		json_str(s, trace);
	else
		g_string_append(s, "null");
	g_string_append_c(s, '}');
}

static void print_finding_text(const struct sim_finding *f)
{
	printf("finding %s cpu=%d step=%" PRIu64 " clock=%" PRIu64 "ps va=%#" PRIx64 " pa=%#" PRIx64
	       "\n  %s\n  rule: %s\n",
	       finding_name(f->kind), f->cpu, f->step, f->clock, f->va, f->pa, f->detail, f->rule);
}

/* Runs one schedule; returns the sim (caller destroys) or dies on bad input. */
static struct sim *run_once(const struct scenario *scn, const struct sim_options *opt,
			    const struct sim_costs *costs, struct trace *replay, bool events)
{
	char err[400];
	struct sim *sim = sim_create(scn, opt, costs, replay, err, sizeof(err));

	if (!sim)
		die("%s", err);
	if (events)
		sim_enable_events(sim);
	if (sim_run(sim, err, sizeof(err)))
		die("%s", err);
	return sim;
}

static void write_outputs(struct sim *sim)
{
	char err[400];
	size_t len;
	const char *text = sim_trace_text(sim, &len);

	if (opt_record && write_file_atomic(opt_record, text, len, err, sizeof(err)))
		die("%s", err);
	if (opt_perfetto && sim_write_perfetto(sim, opt_perfetto, err, sizeof(err)))
		die("%s", err);
}

static int report_run(struct sim *sim)
{
	if (opt_json) {
		GString *s = g_string_new("{\"scenario\":");

		json_str(s, sim->scn->name);
		g_string_append_printf(s, ",\"seed\":%" PRIu64 ",\"sched\":", sim->opt.seed);
		json_str(s, sim->opt.sched);
		g_string_append_printf(
			s, ",\"cpus\":%u,\"schedules\":1,\"steps\":%" PRIu64 ",\"findings\":[",
			sim->ncpus, sim->step);
		for (unsigned i = 0; i < sim->nr_findings; i++) {
			if (i)
				g_string_append_c(s, ',');
			json_finding(s, &sim->findings[i], opt_record);
		}
		g_string_append_printf(s, "],\"digest\":\"%s\"}\n", sim_digest(sim));
		fputs(s->str, stdout);
		g_string_free(s, TRUE);
	} else {
		uint64_t maxclk = 0;

		for (unsigned i = 0; i < sim->ncpus; i++)
			if (sim->cpus[i].clock > maxclk)
				maxclk = sim->cpus[i].clock;
		printf("scenario %s: seed %" PRIu64 ", sched %s, %u cpus\n", sim->scn->name,
		       sim->opt.seed, sim->opt.sched, sim->ncpus);
		for (unsigned i = 0; i < sim->nr_findings; i++)
			print_finding_text(&sim->findings[i]);
		printf("%s: %" PRIu64 " steps, %.3f us simulated\n",
		       sim->nr_findings ? "FINDING" : "clean", sim->step, (double)maxclk / 1e6);
		printf("digest: %s\n", sim_digest(sim));
	}
	return sim->nr_findings ? EXIT_FINDING : 0;
}

/* ---- commands -------------------------------------------------------------------------- */

static int cmd_list(int argc, char **argv)
{
	GOptionEntry e[] = {{"json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "JSON output", NULL},
			    {NULL}};

	parse_args("list", "", "List the scenarios.", e, false, &argc, &argv);
	if (argc > 1)
		die("list: unexpected argument '%s'", argv[1]);
	GString *s = g_string_new(opt_json ? "{\"scenarios\":[" : "");
	int i = 0;
	for (const struct scenario *const *p = scenario_all(); *p; p++, i++) {
		const struct scenario *c = *p;
		const char *expect = c->expect < 0 ? "clean" : finding_name(c->expect);

		if (opt_json) {
			g_string_append(s, i ? ",{\"name\":" : "{\"name\":");
			json_str(s, c->name);
			g_string_append_printf(s, ",\"cpus\":%u,\"expect\":", c->default_cpus);
			json_str(s, expect);
			g_string_append(s, ",\"summary\":");
			json_str(s, c->summary);
			g_string_append_c(s, '}');
		} else {
			g_string_append_printf(s, "%-28s %3u cpus  expect %-16s %s\n", c->name,
					       c->default_cpus, expect, c->summary);
		}
	}
	if (opt_json)
		g_string_append(s, "]}\n");
	fputs(s->str, stdout);
	g_string_free(s, TRUE);
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	GOptionEntry e[] = {
		{"record", 0, 0, G_OPTION_ARG_FILENAME, &opt_record, "write the trace to FILE",
		 "FILE"},
		{"perfetto", 0, 0, G_OPTION_ARG_FILENAME, &opt_perfetto,
		 "write a Perfetto timeline (Chrome trace JSON)", "FILE"},
		{"costs", 0, 0, G_OPTION_ARG_FILENAME, &opt_costs, "cost table overrides", "FILE"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "JSON output", NULL},
		{NULL}};
	struct sim_options opt;
	struct sim_costs costs;

	parse_args("run", "SCENARIO", "Run one schedule of a scenario.", e, true, &argc, &argv);
	if (argc != 2)
		die("run: expected one SCENARIO");
	const struct scenario *scn = find_scenario(argv[1]);
	build_options(scn, &opt);
	load_costs(&costs);
	struct sim *sim = run_once(scn, &opt, &costs, NULL, opt_perfetto != NULL);
	write_outputs(sim);
	int rc = report_run(sim);
	sim_destroy(sim);
	return rc;
}

static int cmd_replay(int argc, char **argv)
{
	GOptionEntry e[] = {{"perfetto", 0, 0, G_OPTION_ARG_FILENAME, &opt_perfetto,
			     "write a Perfetto timeline (Chrome trace JSON)", "FILE"},
			    {"json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "JSON output", NULL},
			    {NULL}};
	char err[400];
	struct sim_options opt;
	struct sim_costs costs;

	parse_args("replay", "TRACE", "Re-run a recorded trace, decision for decision.", e, false,
		   &argc, &argv);
	if (argc != 2)
		die("replay: expected one TRACE file");
	struct trace *t = trace_load(argv[1], err, sizeof(err));
	if (!t)
		die("%s", err);
	const struct scenario *scn = scenario_find(trace_scenario(t));
	if (!scn)
		die("%s: scenario '%s' is not in this bbmsim", argv[1], trace_scenario(t));
	if (trace_config(t, &opt, &costs, err, sizeof(err)))
		die("%s: %s", argv[1], err);
	struct sim *sim = run_once(scn, &opt, &costs, t, opt_perfetto != NULL);
	/* The replay must end as the recording did. */
	GString *mine = g_string_new(NULL);
	size_t len;
	const char *text = sim_trace_text(sim, &len);
	for (const char *p = text; (p = strstr(p, "\nfinding ")); p++) {
		const char *nl = strchr(p + 1, '\n');
		g_string_append_len(mine, p + 1, nl - p);
	}
	if (strcmp(mine->str, trace_findings(t)))
		die("%s: diverged at the end: the replay's findings differ from the recording's",
		    argv[1]);
	g_string_free(mine, TRUE);
	write_outputs(sim);
	int rc = report_run(sim);
	sim_destroy(sim);
	trace_free(t);
	return rc;
}

static int cmd_explore(int argc, char **argv)
{
	GOptionEntry e[] = {
		{"schedules", 0, 0, G_OPTION_ARG_INT64, &opt_schedules,
		 "schedules to run (seeds SEED .. SEED+N-1; default 100)", "N"},
		{"out", 0, 0, G_OPTION_ARG_FILENAME, &opt_out,
		 "where traces of findings go (default ./bbmsim-findings)", "DIR"},
		{"costs", 0, 0, G_OPTION_ARG_FILENAME, &opt_costs, "cost table overrides", "FILE"},
		{"json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "JSON output", NULL},
		{NULL}};
	struct sim_options opt;
	struct sim_costs costs;
	char err[400];

	parse_args("explore", "SCENARIO", "Run many schedules of a scenario, seed after seed.", e,
		   true, &argc, &argv);
	if (argc != 2)
		die("explore: expected one SCENARIO");
	if (opt_schedules < 1 || opt_schedules > 100000000)
		die("--schedules: %" G_GINT64_FORMAT " is out of range [1, 100000000]",
		    opt_schedules);
	const struct scenario *scn = find_scenario(argv[1]);
	build_options(scn, &opt);
	load_costs(&costs);
	const char *out = opt_out ? opt_out : "bbmsim-findings";

	uint64_t base = opt.seed, ran = 0;
	GString *js = g_string_new(NULL);
	unsigned nfound = 0;
	for (int64_t i = 0; i < opt_schedules; i++) {
		opt.seed = base + (uint64_t)i;
		struct sim *sim = run_once(scn, &opt, &costs, NULL, false);
		ran++;
		for (unsigned f = 0; f < sim->nr_findings; f++) {
			gchar *path = g_strdup_printf("%s/%s-seed%" PRIu64 ".trace", out, scn->name,
						      opt.seed);
			size_t len;
			const char *text = sim_trace_text(sim, &len);

			if (g_mkdir_with_parents(out, 0755))
				die("--out %s: %s", out, g_strerror(errno));
			if (f == 0 && write_file_atomic(path, text, len, err, sizeof(err)))
				die("%s", err);
			if (opt_json) {
				if (nfound)
					g_string_append_c(js, ',');
				json_finding(js, &sim->findings[f], path);
			} else {
				printf("seed %" PRIu64 ": ", opt.seed);
				print_finding_text(&sim->findings[f]);
				printf("  trace: %s\n", path);
			}
			nfound++;
			g_free(path);
		}
		bool stop = sim->nr_findings && !opt.keep_going;
		sim_destroy(sim);
		if (stop)
			break;
	}
	if (opt_json) {
		GString *s = g_string_new("{\"scenario\":");
		json_str(s, scn->name);
		g_string_append_printf(s, ",\"seed\":%" PRIu64 ",\"sched\":", base);
		json_str(s, opt.sched);
		g_string_append_printf(
			s, ",\"cpus\":%u,\"schedules\":%" PRIu64 ",\"findings\":[%s]}\n",
			opt.cpus ? opt.cpus : scn->default_cpus, ran, js->str);
		fputs(s->str, stdout);
		g_string_free(s, TRUE);
	} else {
		printf("explored %s: %" PRIu64 " schedules (seeds %" PRIu64 "..%" PRIu64
		       ", sched %s), %u finding%s\n",
		       scn->name, ran, base, base + ran - 1, opt.sched, nfound,
		       nfound == 1 ? "" : "s");
	}
	g_string_free(js, TRUE);
	return nfound ? EXIT_FINDING : 0;
}

static void usage(FILE *f)
{
	fputs("usage: bbmsim COMMAND [OPTIONS]\n"
	      "  list               the scenarios\n"
	      "  run SCENARIO       one schedule (--record, --perfetto, --json)\n"
	      "  replay TRACE       re-run a recorded trace bit for bit\n"
	      "  explore SCENARIO   many schedules (--schedules N, --out DIR)\n"
	      "bbmsim COMMAND --help shows a command's options. Exit status: 0 clean,\n"
	      "1 a finding, 2 bad usage or input.\n",
	      f);
}

int main(int argc, char **argv)
{
	given_names = g_ptr_array_new_with_free_func(g_free);
	given_values = g_ptr_array_new_with_free_func(g_free);
	if (argc < 2) {
		usage(stderr);
		return EXIT_BAD;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("bbmsim %s\n", BBMSIM_VERSION);
		return 0;
	}
	argv[1] = argv[0];
	argc--;
	argv++;
	if (!strcmp(cmd, "list"))
		return cmd_list(argc, argv);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc, argv);
	if (!strcmp(cmd, "replay"))
		return cmd_replay(argc, argv);
	if (!strcmp(cmd, "explore"))
		return cmd_explore(argc, argv);
	die("unknown command '%s' (bbmsim --help lists them)", cmd);
}
