// SPDX-License-Identifier: GPL-2.0-only
/*
 * explore --exhaustive: every execution of a small scenario, so that a
 * clean verdict is a proof for that configuration (up to --max-steps).
 */
#include "cli.h"
#include "output.h"

#include "litmus/dpor.h"

#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>

gboolean opt_exhaustive;
gint64 opt_max_steps;
gboolean opt_no_reduction;

struct exh {
	const char *out;
	uint64_t with_findings;
	GPtrArray *kinds; /* distinct "kind va pa" */
	GString *report;
	char *first_trace;
};

static bool exh_visit(void *arg, struct sim *sim)
{
	struct exh *x = arg;

	if (sim->infeasible || !sim->nr_findings) /* no execution, or a clean one */
		return true;
	x->with_findings++;
	for (unsigned i = 0; i < sim->nr_findings; i++) {
		const struct sim_finding *f = &sim->findings[i];
		char *key = g_strdup_printf("%s va=%#" PRIx64 " pa=%#" PRIx64,
					    finding_name(f->kind), f->va, f->pa);
		bool seen = false;

		for (guint k = 0; k < x->kinds->len && !seen; k++)
			seen = !strcmp(x->kinds->pdata[k], key);
		if (seen) {
			g_free(key);
			continue;
		}
		g_ptr_array_add(x->kinds, key);
		g_string_append_printf(x->report, "finding %s: %s (%s)\n", key, f->detail, f->rule);
	}
	if (!x->first_trace) {
		size_t len;
		const char *t = sim_trace_text(sim, &len);
		x->first_trace = g_strndup(t, len);
	}
	return true;
}

int explore_exhaustive(const struct scenario *scn, struct sim_options *opt,
		       const struct sim_costs *costs, const char *out)
{
	struct exh x = {.out = out,
			.kinds = g_ptr_array_new_with_free_func(g_free),
			.report = g_string_new(NULL)};
	struct dpor_stats st;
	char err[400];

	if (opt_max_steps < 0 || opt_max_steps > SIM_STEP_BOUND_MAX)
		die("--max-steps: %" G_GINT64_FORMAT " is out of range [1, %u]", opt_max_steps,
		    SIM_STEP_BOUND_MAX);
	if (opt_max_steps) {
		char v[32];

		snprintf(v, sizeof(v), "%" G_GINT64_FORMAT, opt_max_steps);
		if (sim_options_set(opt, "step_bound", v, err, sizeof(err)))
			die("--max-steps: %s", err);
	}
	/*
	 * Reduced: every layer tells the engine what a step touches (memory,
	 * TLBs, the checker, the memory model, the GIC: SIM_OBJ_*), so steps
	 * that touch nothing in common commute (docs/litmus.md).
	 */
	if (dpor_explore(scn, opt, costs, opt_schedules > 0 ? (uint64_t)opt_schedules : 1000000,
			 opt_no_reduction ? DPOR_ALL_DEPENDENT : 0, exh_visit, &x, &st, err,
			 sizeof(err)))
		die("%s: %s", scn->name, err);
	char *path = NULL;
	if (x.first_trace) {
		if (g_mkdir_with_parents(out, 0755))
			die("cannot create '%s'", out);
		path = g_strdup_printf("%s/%s-exhaustive.trace", out, scn->name);
		out_write(path, x.first_trace, strlen(x.first_trace));
	}
	if (opt_json) {
		GString *j = g_string_new("{\"scenario\":");
		json_str(j, scn->name);
		g_string_append_printf(j,
				       ",\"exhaustive\":true,\"executions\":%" PRIu64
				       ",\"complete\":%s,\"with_findings\":%" PRIu64
				       ",\"step_bound\":%u,\"trace\":",
				       st.runs, st.complete ? "true" : "false", x.with_findings,
				       sim_opt_uint(opt, OPT_step_bound));
		if (path)
			json_str(j, path);
		else
			g_string_append(j, "null");
		g_string_append(j, ",\"findings\":[");
		for (guint i = 0; i < x.kinds->len; i++) {
			if (i)
				g_string_append_c(j, ',');
			json_str(j, x.kinds->pdata[i]);
		}
		g_string_append(j, "]}\n");
		fputs(j->str, stdout);
		g_string_free(j, TRUE);
	} else {
		fputs(x.report->str, stdout);
		if (path)
			printf("trace %s\n", path);
		printf("exhaustive: %" PRIu64 " executions%s, %" PRIu64
		       " with findings (step bound %u)\n",
		       st.runs, st.complete ? "" : " (stopped at --schedules: incomplete)",
		       x.with_findings, sim_opt_uint(opt, OPT_step_bound));
	}
	int rc = x.with_findings ? EXIT_FINDING : 0;
	g_free(path);
	g_free(x.first_trace);
	g_ptr_array_free(x.kinds, TRUE);
	g_string_free(x.report, TRUE);
	return rc;
}
