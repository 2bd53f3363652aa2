// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_explore: how fast exploration goes, and how soon it finds things.
 *
 *  - schedules per second of `bbmsim explore` (the binary next to this one,
 *    or $BBMSIM) on mmu-bbm-ok and hvo-2m with --jobs 1 and --jobs 2, wall
 *    clock including process start; baseline: the same schedules run in
 *    this process by a bare sim_create/sim_run loop (fibers, no CLI, one
 *    core).
 *  - the median number of schedules to the first finding, over 21 disjoint
 *    seed ranges, under random and PCT, for the scenarios that fail.
 */
#include "sim/scenario.h"
#include "sim/sim.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RANGES	  21
#define MAX_TRIES 2000

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void options(const struct scenario *scn, const char *extra, struct sim_options *o)
{
	char err[200];

	sim_options_default(o);
	for (const char *const *d = scn->defaults; d && *d; d++) {
		gchar **kv = g_strsplit(*d, "=", 2);

		sim_options_set(o, kv[0], kv[1], err, sizeof(err));
		g_strfreev(kv);
	}
	gchar **words = g_strsplit(extra, " ", -1);
	for (gchar **w = words; *w; w++) {
		gchar **kv = g_strsplit(*w, "=", 2);

		if (kv[0] && kv[1] && sim_options_set(o, kv[0], kv[1], err, sizeof(err))) {
			fprintf(stderr, "bench_explore: %s\n", err);
			exit(2);
		}
		g_strfreev(kv);
	}
	g_strfreev(words);
}

/* Runs one schedule; returns its number of findings. */
static unsigned run1(const struct scenario *scn, struct sim_options *o, const struct sim_costs *c)
{
	char err[300];
	struct sim *sim = sim_create(scn, o, c, NULL, err, sizeof(err));

	if (sim)
		sim->fibers = sim_fibers_available(); /* as explore runs them */
	if (!sim || sim_run(sim, err, sizeof(err))) {
		fprintf(stderr, "bench_explore: %s\n", err);
		exit(2);
	}
	unsigned n = sim->nr_findings;
	sim_destroy(sim);
	return n;
}

static double inproc_rate(const char *name, const char *extra, unsigned n)
{
	const struct scenario *scn = scenario_find(name);
	struct sim_options o;
	struct sim_costs c;

	costs_default(&c);
	options(scn, extra, &o);
	gint64 t0 = g_get_monotonic_time();
	for (unsigned i = 0; i < n; i++) {
		o.seed = 1 + i;
		run1(scn, &o, &c);
	}
	return n / ((g_get_monotonic_time() - t0) / 1e6);
}

static double cli_rate(const char *bbmsim, const char *name, unsigned n, unsigned jobs)
{
	gchar *cmd = g_strdup_printf("%s explore %s --schedules %u --jobs %u --json --out "
				     "/tmp/bench-explore-findings",
				     bbmsim, name, n, jobs);
	gchar *out = NULL;
	gint status;
	GError *e = NULL;
	gint64 t0 = g_get_monotonic_time();

	if (!g_spawn_command_line_sync(cmd, &out, NULL, &status, &e)) {
		fprintf(stderr, "bench_explore: %s\n", e->message);
		exit(2);
	}
	double secs = (g_get_monotonic_time() - t0) / 1e6;
	char needle[64];
	snprintf(needle, sizeof(needle), "\"schedules\":%u,", n);
	if (!out || !strstr(out, needle)) {
		fprintf(stderr, "bench_explore: %s did not run %u schedules\n", cmd, n);
		exit(2);
	}
	g_free(out);
	g_free(cmd);
	return n / secs;
}

/* Median over RANGES disjoint seed ranges of the schedules to the first finding. */
static void to_first(const char *name, const char *extra)
{
	const struct scenario *scn = scenario_find(name);
	uint64_t need[RANGES];
	struct sim_options o;
	struct sim_costs c;
	unsigned missed = 0;

	costs_default(&c);
	options(scn, extra, &o);
	for (unsigned r = 0; r < RANGES; r++) {
		need[r] = MAX_TRIES + 1;
		for (unsigned i = 0; i < MAX_TRIES; i++) {
			o.seed = 1 + (uint64_t)r * 1000003 + i;
			if (run1(scn, &o, &c)) {
				need[r] = i + 1;
				break;
			}
		}
		missed += need[r] > MAX_TRIES;
	}
	qsort(need, RANGES, sizeof(need[0]), cmp_u64);
	printf("  %-26s %-22s median %4" G_GUINT64_FORMAT "  (min %" G_GUINT64_FORMAT
	       ", max %" G_GUINT64_FORMAT "%s)\n",
	       name, extra, need[RANGES / 2], need[0], need[RANGES - 1],
	       missed ? ", some ranges found nothing" : "");
}

int main(int argc, char **argv)
{
	const char *env = getenv("BBMSIM");
	gchar *dir = g_path_get_dirname(argv[0]);
	gchar *bbmsim = env ? g_strdup(env) : g_build_filename(dir, "bbmsim", NULL);
	static const struct {
		const char *name;
		unsigned n;
	} tp[] = {{"mmu-bbm-ok", 20000}, {"hvo-2m", 300}};

	printf("schedules per second (wall clock, process start included; %u cores)\n",
	       g_get_num_processors());
	for (unsigned i = 0; i < G_N_ELEMENTS(tp); i++) {
		double base = inproc_rate(tp[i].name, "sched=random", tp[i].n / 4);
		double j1 = cli_rate(bbmsim, tp[i].name, tp[i].n, 1);
		double j2 = cli_rate(bbmsim, tp[i].name, tp[i].n, 2);

		printf("  %-12s --jobs 1 %8.0f/s   --jobs 2 %8.0f/s (x%.2f)   baseline in-process "
		       "loop %8.0f/s\n",
		       tp[i].name, j1, j2, j2 / j1, base);
	}
	printf("schedules to the first finding (median of %u seed ranges, at most %u each)\n",
	       RANGES, MAX_TRIES);
	to_first("hvo-2m", "strategy=none sched=random");
	to_first("hvo-2m", "strategy=none sched=pct");
	to_first("hvo-2m", "strategy=D-broken sched=random");
	to_first("hvo-2m", "strategy=D-broken sched=pct");
	to_first("mmu-no-dsb", "sched=random");
	to_first("mmu-no-dsb", "sched=pct");
	to_first("demo-counter", "sched=random");
	to_first("demo-counter", "sched=pct");
	g_free(bbmsim);
	g_free(dir);
	return 0;
}
