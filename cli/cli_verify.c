// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-process replay of a trace text, shared by explore --verify-replay and
 * shrink: parse, rebuild the machine from the header, run, and compare.
 */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

struct sim *replay_text(const char *text, size_t len, unsigned flags, char *err, size_t errlen)
{
	bool lenient = flags & REPLAY_LENIENT;
	struct sim_options opt;
	struct sim_costs costs;
	char e2[400];
	struct trace *t = trace_parse(text, len, e2, sizeof(e2));

	if (!t) {
		snprintf(err, errlen, "%s", e2);
		return NULL;
	}
	const struct scenario *scn =
		scenario_find_data(trace_scenario(t), trace_scenario_data(t), e2, sizeof(e2));
	if (!scn) {
		snprintf(err, errlen, "%s", e2);
		trace_free(t);
		return NULL;
	}
	if (trace_config(t, &opt, &costs, e2, sizeof(e2))) {
		snprintf(err, errlen, "%s", e2);
		trace_free(t);
		return NULL;
	}
	trace_set_lenient(t, lenient);
	struct sim *sim = sim_create(scn, &opt, &costs, t, e2, sizeof(e2));
	if (!sim) {
		snprintf(err, errlen, "%s", e2);
		trace_free(t);
		return NULL;
	}
	if (flags & REPLAY_EVENTS)
		sim_enable_events(sim);
	sim->fibers = sim_fibers_available(); /* same run, cheaper hand-offs */
	int r = sim_run(sim, e2, sizeof(e2));
	if (!r && !lenient)
		r = replay_check_end(sim, t, e2, sizeof(e2));
	trace_free(t);
	if (r) {
		snprintf(err, errlen, "%s", e2);
		sim_destroy(sim);
		return NULL;
	}
	return sim;
}

/* The run's own "end ..." line, without its newline (g_free it). */
static char *end_line(struct sim *sim)
{
	size_t len;
	const char *text = sim_trace_text(sim, &len);
	const char *p = g_strrstr_len(text, (gssize)len, "\nend");

	return p ? g_strndup(p + 1, strcspn(p + 1, "\n")) : g_strdup("");
}

int replay_check_end(struct sim *sim, const struct trace *t, char *err, size_t errlen)
{
	char *mine = trace_finding_lines(sim), *end = end_line(sim);
	int r = 0;

	if (strcmp(mine, trace_findings(t))) {
		snprintf(err, errlen,
			 "diverged at the end: the replay's findings differ from the recording's");
		r = -1;
	} else if (strcmp(end, trace_end(t))) {
		snprintf(err, errlen,
			 "diverged at the end: the trace ends '%.100s', the replay '%.100s'",
			 trace_end(t), end);
		r = -1;
	}
	g_free(mine);
	g_free(end);
	return r;
}

char *trace_finding_lines(struct sim *sim)
{
	GString *s = g_string_new(NULL);
	size_t len;
	const char *text = sim_trace_text(sim, &len);

	for (const char *p = text; (p = strstr(p, "\nfinding ")); p++) {
		const char *nl = strchr(p + 1, '\n');

		g_string_append_len(s, p + 1, nl - p);
	}
	return g_string_free(s, FALSE);
}
