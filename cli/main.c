// SPDX-License-Identifier: GPL-2.0-only
/*
 * bbmsim: the command line. Exit status 0 clean, 1 a finding, 2 bad usage
 * or input (one line on stderr naming the problem).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
	fputs("usage: bbmsim COMMAND [OPTIONS]\n"
	      "  list               the scenarios\n"
	      "  run SCENARIO       one schedule (--record, --perfetto, --json)\n"
	      "  replay TRACE       re-run a recorded trace bit for bit\n"
	      "  explore SCENARIO   many schedules (--schedules N, --jobs N, --shard K/N,\n"
	      "                     --keep-going, --time-budget S, --out DIR)\n"
	      "  merge RESULT...    join the --json results of explore --shard runs\n"
	      "  shrink TRACE       reduce a failing trace to a minimal one (-o OUT)\n"
	      "  compare            the strategies side by side on the series' workload\n"
	      "  litmus FILE...     herd7 AArch64 litmus tests, every execution explored\n"
	      "bbmsim COMMAND --help shows a command's options. Exit status: 0 clean,\n"
	      "1 a finding, 2 bad usage or input.\n",
	      f);
}

int main(int argc, char **argv)
{
	atexit(out_close_stdout);
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
	if (!strcmp(cmd, "merge"))
		return cmd_merge(argc, argv);
	if (!strcmp(cmd, "shrink"))
		return cmd_shrink(argc, argv);
	if (!strcmp(cmd, "compare"))
		return cmd_compare(argc, argv);
	if (!strcmp(cmd, "litmus"))
		return cmd_litmus(argc, argv);
	die("unknown command '%s' (bbmsim --help lists them)", cmd);
}
