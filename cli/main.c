// SPDX-License-Identifier: GPL-2.0-only
/*
 * bbmsim: the command line. Exit status 0 clean, 1 a finding, 2 bad usage
 * or input (one line on stderr naming the problem).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	/*
	 * stdio forgets a failed write's errno; with one large buffer the
	 * error of most outputs surfaces at exit, where we can name it.
	 */
	static char stdout_buf[1 << 20]; /* glibc ignores the size of a NULL buffer */

	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf));
	atexit(out_close_stdout);
	/*
	 * Not a terminal: one large buffer, so that a failed write (a full disk)
	 * usually happens in out_close_stdout()'s fflush, which can say why.
	 */
	static char outbuf[1 << 20]; /* glibc ignores the size of a NULL buffer */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	cli_catch_signals(true);
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
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {{"list", cmd_list},	      {"run", cmd_run},	    {"replay", cmd_replay},
		    {"explore", cmd_explore}, {"merge", cmd_merge}, {"shrink", cmd_shrink},
		    {"compare", cmd_compare}, {"litmus", cmd_litmus}};
	for (unsigned i = 0; i < G_N_ELEMENTS(cmds); i++) {
		if (strcmp(cmd, cmds[i].name))
			continue;
		int rc = cmds[i].fn(argc, argv);
		/* A signal the command finished despite: still not a normal end. */
		return cli_signal ? cli_signal_status() : rc;
	}
	die("unknown command '%s' (bbmsim --help lists them)", cmd);
}
