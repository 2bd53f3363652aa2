// SPDX-License-Identifier: GPL-2.0-only
/* bbmsim explore: many schedules, seed after seed. */
#include "cli.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <string.h>

int cmd_explore(int argc, char **argv)
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
