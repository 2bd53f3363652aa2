// SPDX-License-Identifier: GPL-2.0-only
#include "testlib.h"

#include "sim/trace.h"

#include <check.h>
#include <glib.h>
#include <string.h>

static void t_options(const struct scenario *scn, const char *opts, struct sim_options *o)
{
	char err[200];

	sim_options_default(o);
	for (const char *const *d = scn->defaults; d && *d; d++) {
		gchar **kv = g_strsplit(*d, "=", 2);
		ck_assert_msg(!sim_options_set(o, kv[0], kv[1], err, sizeof(err)), "%s", err);
		g_strfreev(kv);
	}
	gchar **words = g_strsplit(opts ? opts : "", " ", -1);
	for (gchar **w = words; *w; w++) {
		if (!**w)
			continue;
		gchar **kv = g_strsplit(*w, "=", 2);
		ck_assert_msg(kv[1], "option '%s' has no value", *w);
		ck_assert_msg(!sim_options_set(o, kv[0], kv[1], err, sizeof(err)), "%s", err);
		g_strfreev(kv);
	}
	g_strfreev(words);
}

static bool use_fibers;

struct sim *t_run_fibers(const char *scenario, const char *opts)
{
	struct sim_costs c;

	costs_default(&c);
	use_fibers = true;
	struct sim *s = t_run_costs(scenario, opts, &c);
	use_fibers = false;
	return s;
}

struct sim *t_run_costs(const char *scenario, const char *opts, const struct sim_costs *costs)
{
	const struct scenario *scn = scenario_find(scenario);
	struct sim_options o;
	char err[400];

	ck_assert_msg(scn, "no scenario %s", scenario);
	t_options(scn, opts, &o);
	struct sim *sim = sim_create(scn, &o, costs, NULL, err, sizeof(err));
	ck_assert_msg(sim, "%s", err);
	sim->fibers = use_fibers;
	ck_assert_msg(!sim_run(sim, err, sizeof(err)), "%s", err);
	return sim;
}

struct sim *t_run(const char *scenario, const char *opts)
{
	struct sim_costs c;

	costs_default(&c);
	return t_run_costs(scenario, opts, &c);
}

const struct sim_finding *t_finding(const struct sim *sim, int kind)
{
	for (unsigned i = 0; i < sim->nr_findings; i++)
		if (kind < 0 || (int)sim->findings[i].kind == kind)
			return &sim->findings[i];
	return NULL;
}

unsigned t_explore(const char *scenario, const char *opts, unsigned n, int kind)
{
	unsigned hits = 0;

	for (unsigned seed = 1; seed <= n; seed++) {
		gchar *o = g_strdup_printf("%s seed=%u", opts ? opts : "", seed);
		struct sim *sim = t_run(scenario, o);

		if (t_finding(sim, kind))
			hits++;
		sim_destroy(sim);
		g_free(o);
	}
	return hits;
}

struct sim *t_replay(const char *text, size_t len, bool lenient, char *err, size_t errlen)
{
	struct sim_options o;
	struct sim_costs c;
	struct trace *t = trace_parse(text, len, err, errlen);

	ck_assert_msg(t, "%s", err);
	ck_assert_msg(!trace_config(t, &o, &c, err, errlen), "%s", err);
	trace_set_lenient(t, lenient);
	const struct scenario *scn =
		scenario_find_data(trace_scenario(t), trace_scenario_data(t), err, errlen);
	ck_assert_msg(scn, "%s", err);
	struct sim *s = sim_create(scn, &o, &c, t, err, errlen);
	ck_assert_msg(s, "%s", err);
	int r = sim_run(s, err, errlen);
	trace_free(t);
	if (r) {
		sim_destroy(s);
		return NULL;
	}
	return s;
}
