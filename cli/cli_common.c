// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the bbmsim commands share: errors, option parsing, output.
 */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void die(const char *fmt, ...)
{
	va_list ap;

	fputs("bbmsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	out_error_reported = true;
	exit(EXIT_BAD);
}

/* ---- signals -------------------------------------------------------------------------- */

_Atomic int cli_signal; /* lock-free, so async-signal-safe (C11 7.14.1.1) */
static bool signal_stops_sim;

static void on_signal(int sig)
{
	cli_signal = sig;
	if (signal_stops_sim)
		sim_interrupt(); /* a long schedule stops at its next yield point */
}

void cli_catch_signals(bool stop_sim)
{
	struct sigaction sa = {.sa_handler = on_signal};

	signal_stops_sim = stop_sim;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int cli_signal_status(void)
{
	return cli_signal ? 128 + cli_signal : 0;
}

void cli_interrupted(const char *what)
{
	fprintf(stderr, "bbmsim: interrupted by %s: %s\n",
		cli_signal == SIGTERM ? "SIGTERM" : "SIGINT", what);
	out_error_reported = true;
	exit(cli_signal_status());
}

/* ---- options common to the commands ---------------------------------------------- */

/* Machine options as given, applied over the scenario's defaults later. */
GPtrArray *given_names, *given_values;
gchar *opt_record, *opt_perfetto, *opt_costs, *opt_out;
gboolean opt_json;
gint64 opt_schedules = 100;

gboolean on_machine_option(const gchar *name, const gchar *value, gpointer data, GError **error)
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

GOptionEntry *machine_entries(void)
{
	static GOptionEntry e[SIM_MAX_OPTS + 3];
	unsigned n = 0;

#define ENTRY(nm, flags, help)                                                                \
	e[n++] = (GOptionEntry){nm,   0,   (flags), G_OPTION_ARG_CALLBACK, on_machine_option, \
				help, NULL};
	ENTRY("seed", 0, "seed of the schedule and hardware choices (default 1)")
	ENTRY("sched", 0, "timed | random | pct[:d] (default random)")
#undef ENTRY
	/* Every registered option, as each layer's options.def gives it; dashes for underscores. */
	for (unsigned i = 0; i < sim_options_count() && n + 1 < G_N_ELEMENTS(e); i++) {
		const struct sim_option_def *d = sim_option_def(i);
		char *dashed = g_strdup(d->name); /* lives as long as the process */

		g_strdelimit(dashed, "_", '-');
		e[n++] = (GOptionEntry){dashed,
					0,
					d->type == SIM_OPT_T_BOOL ? G_OPTION_FLAG_OPTIONAL_ARG : 0,
					G_OPTION_ARG_CALLBACK,
					on_machine_option,
					d->help,
					NULL};
	}
	e[n] = (GOptionEntry){NULL};
	return e;
}

void parse_args(const char *cmd, const char *params, const char *summary, const GOptionEntry *extra,
		bool machine, int *argc, char ***argv)
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
	if (!g_option_context_parse(ctx, argc, argv, &e)) {
		/* GLib's text, in our style: 'x', not “x”. */
		char *m = e->message;
		GString *s = g_string_new(NULL);

		for (; *m; m++)
			if (!strncmp(m, "\u201c", 3) || !strncmp(m, "\u201d", 3)) {
				g_string_append_c(s, '\'');
				m += 2;
			} else {
				g_string_append_c(s, *m);
			}
		if (s->len && s->str[0] >= 'A' && s->str[0] <= 'Z')
			s->str[0] = (char)(s->str[0] - 'A' + 'a');
		die("%s: %s", cmd, s->str);
	}
	g_option_context_free(ctx);
	for (int i = 1; i < *argc; i++)
		if ((*argv)[i][0] == '-' && (*argv)[i][1])
			die("%s: unknown option '%s'", cmd, (*argv)[i]);
}

/* The run's options: the scenario's defaults, then what was given. */
void build_options(const struct scenario *scn, struct sim_options *opt)
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

void load_costs(struct sim_costs *c)
{
	char err[300];

	costs_default(c);
	if (!opt_costs)
		return;
	char *text;
	size_t len;
	out_read(opt_costs, &text, &len);
	if (costs_parse(c, text, len, err, sizeof(err)))
		die("--costs %s: %s", opt_costs, err);
	g_free(text);
}

const struct scenario *find_scenario(const char *name)
{
	const struct scenario *s = scenario_find(name);

	if (!s)
		die("unknown scenario '%s' (bbmsim list shows them)", name);
	return s;
}

/* ---- output ------------------------------------------------------------------------- */

void json_finding(GString *s, const struct sim_finding *f, const char *trace)
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

void print_finding_text(const struct sim_finding *f)
{
	printf("finding %s cpu=%d step=%" PRIu64 " clock=%" PRIu64 "ps va=%#" PRIx64 " pa=%#" PRIx64
	       "\n  %s\n  rule: %s\n",
	       finding_name(f->kind), f->cpu, f->step, f->clock, f->va, f->pa, f->detail, f->rule);
}

/*
 * A long run on a terminal: steps so far and the simulated time, on one
 * stderr line redrawn twice a second; nothing when stderr is not a tty.
 */
static gint64 run_started, run_drawn;

static void run_progress(struct sim *sim)
{
	gint64 now = g_get_monotonic_time();
	uint64_t maxclk = 0;

	if (now - run_started < 1000000 || now - run_drawn < 500000)
		return;
	run_drawn = now;
	for (unsigned i = 0; i < sim->ncpus; i++)
		maxclk = MAX(maxclk, sim->cpus[i].clock);
	fprintf(stderr, "\r%s: %" PRIu64 " steps, %.3f us simulated, %.0f s\033[K", sim->scn->name,
		sim->step, (double)maxclk / 1e6, (double)(now - run_started) / 1e6);
}

/* Runs one schedule; returns the sim (caller destroys) or dies on bad input. */
struct sim *run_once(const struct scenario *scn, const struct sim_options *opt,
		     const struct sim_costs *costs, struct trace *replay, bool events)
{
	char err[400];
	struct sim *sim = sim_create(scn, opt, costs, replay, err, sizeof(err));

	if (!sim)
		die("%s", err);
	if (events)
		sim_enable_events(sim);
	bool tty = isatty(STDERR_FILENO);
	if (tty) {
		sim->progress = run_progress;
		run_started = run_drawn = g_get_monotonic_time();
	}
	int r = sim_run(sim, err, sizeof(err));
	if (tty && run_drawn != run_started)
		fputs("\r\033[K", stderr); /* the line goes before the report */
	if (r) {
		if (cli_signal)
			cli_interrupted("the run stopped, nothing written");
		die("%s", err);
	}
	return sim;
}

void check_outputs(void)
{
	if (opt_record)
		out_check(opt_record);
	if (opt_perfetto)
		out_check(opt_perfetto);
}

void write_outputs(struct sim *sim)
{
	size_t len;
	const char *text = sim_trace_text(sim, &len);

	if (opt_record)
		out_write(opt_record, text, len);
	if (opt_perfetto) {
		size_t plen;
		char *p = sim_perfetto_json(sim, &plen);

		out_write(opt_perfetto, p, plen);
		g_free(p);
	}
}

int report_run(struct sim *sim)
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
		printf("scenario %s: seed %" PRIu64 ", sched %s, %u CPU%s\n", sim->scn->name,
		       sim->opt.seed, sim->opt.sched, sim->ncpus, sim->ncpus == 1 ? "" : "s");
		for (unsigned i = 0; i < sim->nr_findings; i++)
			print_finding_text(&sim->findings[i]);
		printf("%s: %" PRIu64 " step%s, %.3f us simulated\n",
		       sim->nr_findings ? "FINDING" : "clean", sim->step, sim->step == 1 ? "" : "s",
		       (double)maxclk / 1e6);
		printf("digest: %s\n", sim_digest(sim));
	}
	return sim->nr_findings ? EXIT_FINDING : 0;
}

/* ---- commands -------------------------------------------------------------------------- */
