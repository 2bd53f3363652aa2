// SPDX-License-Identifier: GPL-2.0-only
/* bbmsim list, run, replay. */
#include "cli.h"

#include <inttypes.h>
#include <string.h>

int cmd_list(int argc, char **argv)
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
			g_string_append_printf(s, "%-28s %3u CPU%s  expect %-16s %s\n", c->name,
					       c->default_cpus, c->default_cpus == 1 ? " " : "s",
					       expect, c->summary);
		}
	}
	if (opt_json)
		g_string_append(s, "]}\n");
	fputs(s->str, stdout);
	g_string_free(s, TRUE);
	return 0;
}

int cmd_run(int argc, char **argv)
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
	check_outputs();
	struct sim *sim = run_once(scn, &opt, &costs, NULL, opt_perfetto != NULL);
	write_outputs(sim);
	int rc = report_run(sim);
	sim_destroy(sim);
	return rc;
}

int cmd_replay(int argc, char **argv)
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
	check_outputs();
	char *text;
	size_t len;
	out_read(argv[1], &text, &len);
	struct trace *t = trace_parse(text, len, err, sizeof(err));
	g_free(text);
	if (!t)
		die("%s: %s", argv[1], err);
	const struct scenario *scn =
		scenario_find_data(trace_scenario(t), trace_scenario_data(t), err, sizeof(err));
	if (!scn)
		die("%s: %s", argv[1], err);
	if (trace_config(t, &opt, &costs, err, sizeof(err)))
		die("%s: %s", argv[1], err);
	struct sim *sim = run_once(scn, &opt, &costs, t, opt_perfetto != NULL);
	/* The replay must end as the recording did. */
	if (replay_check_end(sim, t, err, sizeof(err)))
		die("%s: %s", argv[1], err);
	write_outputs(sim);
	int rc = report_run(sim);
	sim_destroy(sim);
	trace_free(t);
	return rc;
}
