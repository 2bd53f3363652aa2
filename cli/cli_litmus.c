// SPDX-License-Identifier: GPL-2.0-only
/* bbmsim litmus: herd7's AArch64 litmus tests, every execution explored. */
#include "cli.h"
#include "output.h"

#include "litmus/lit_report.h"
#include "litmus/litmus.h"

#include <inttypes.h>
#include <string.h>

static gint64 opt_max_runs = 1000000;

/*
 * A scenario stand-in for build_options(): litmus tests run on the Arm
 * data memory model unless --memory sc is given (docs/litmus.md).
 */
static const char *const litmus_defaults[] = {"memory=arm", NULL};
static const struct scenario litmus_scn = {.name = "litmus", .defaults = litmus_defaults};

static void write_trace(const char *dir, const char *name, const char *what, const char *text)
{
	char *safe = g_strdup(name), *path;

	for (char *p = safe; *p; p++)
		if (*p == '/')
			*p = '_';
	path = g_strdup_printf("%s/%s.%s.trace", dir, safe, what);
	out_write(path, text, strlen(text));
	g_free(path);
	g_free(safe);
}

int cmd_litmus(int argc, char **argv)
{
	GOptionEntry e[] = {
		{"json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "JSON output", NULL},
		{"max-runs", 0, 0, G_OPTION_ARG_INT64, &opt_max_runs,
		 "stop a test after N executions (default 1000000): the result says incomplete",
		 "N"},
		{"no-reduction", 0, 0, G_OPTION_ARG_NONE, &opt_no_reduction,
		 "explore every interleaving (no partial-order reduction): to check the reduction",
		 NULL},
		{"out", 0, 0, G_OPTION_ARG_FILENAME, &opt_out,
		 "write each test's first witness (and BBM-flagged) execution's trace to DIR",
		 "DIR"},
		{NULL}};
	struct sim_options opt;
	struct sim_costs costs;
	char err[400];
	int rc = 0;

	parse_args("litmus", "FILE...",
		   "Run herd7 AArch64 litmus tests on the model, every execution explored.", e,
		   true, &argc, &argv);
	if (argc < 2)
		die("litmus: expected one or more FILEs");
	if (opt_max_runs < 1)
		die("litmus: --max-runs must be at least 1");
	if (opt_out && g_mkdir_with_parents(opt_out, 0755))
		die("litmus: cannot create '%s'", opt_out);
	build_options(&litmus_scn, &opt);
	load_costs(&costs);
	GString *out = g_string_new(opt_json ? "{\"tests\":[" : "");
	for (int i = 1; i < argc; i++) {
		struct litmus *lt = lit_load(argv[i], err, sizeof(err));
		struct lit_result r;

		if (!lt)
			die("%s", err);
		if (lit_check_test(lt, &opt, &costs, (uint64_t)opt_max_runs,
				   opt_no_reduction ? DPOR_ALL_DEPENDENT : 0, &r, err, sizeof(err)))
			die("%s: %s", argv[i], err);
		if (opt_json) {
			if (i > 1)
				g_string_append_c(out, ',');
			lit_report_json(lt, &r, out);
		} else {
			lit_report_text(lt, &r, out);
		}
		if (opt_out && r.witness_trace)
			write_trace(opt_out, lt->name, "witness", r.witness_trace);
		if (opt_out && r.bbm_trace)
			write_trace(opt_out, lt->name, "bbm", r.bbm_trace);
		if (r.bbm || r.findings->len)
			rc = EXIT_FINDING;
		lit_result_free(&r);
		lit_free(lt);
	}
	if (opt_json)
		g_string_append(out, "]}\n");
	fputs(out->str, stdout);
	g_string_free(out, TRUE);
	return rc;
}
