/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cli: the bbmsim command line's shared parts. Exit status 0 clean, 1 a
 * finding, 2 bad usage or input (die(): one line on stderr naming the
 * problem). Each command is a cmd_*() in a cli/cli_*.c of its own.
 */
#ifndef BBMSIM_CLI_H
#define BBMSIM_CLI_H

#include "sim/json.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "sim/trace.h"
#include "output.h"

#include <glib.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>

#define EXIT_FINDING 1
#define EXIT_BAD     2

void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * SIGINT and SIGTERM: caught from the start (main), so a command ends where
 * it chooses, keeps what is complete and says it was interrupted. The exit
 * status is then 128 + the signal (130, 143). @stop_sim: a signal also stops
 * a running simulation at its next yield point (sim_interrupt()).
 */
/* Set by the SIGINT/SIGTERM handler, which may run on any thread: atomic. */
extern _Atomic int cli_signal;
void cli_catch_signals(bool stop_sim);
/* 128 + the signal caught, or 0. */
int cli_signal_status(void);
/* One line "bbmsim: interrupted by SIG...: @what" and exit 128 + signal. */
void cli_interrupted(const char *what) __attribute__((noreturn));

/* Options as given on the command line (parse_args fills them). */
extern GPtrArray *given_names, *given_values;
extern gchar *opt_record, *opt_perfetto, *opt_costs, *opt_out;
extern gboolean opt_json;
extern gint64 opt_schedules;

GOptionEntry *machine_entries(void);
/* Parses @argv for command @cmd; @machine adds the machine options. Dies on bad usage. */
void parse_args(const char *cmd, const char *params, const char *summary, const GOptionEntry *extra,
		bool machine, int *argc, char ***argv);
/* The scenario's defaults, then what was given. */
void build_options(const struct scenario *scn, struct sim_options *opt);
void load_costs(struct sim_costs *c);
const struct scenario *find_scenario(const char *name);

void json_finding(GString *s, const struct sim_finding *f, const char *trace);
void print_finding_text(const struct sim_finding *f);

/* One schedule; dies on bad input. The caller destroys the sim. */
struct sim *run_once(const struct scenario *scn, const struct sim_options *opt,
		     const struct sim_costs *costs, struct trace *replay, bool events);
/* Before the run: --record and --perfetto can be written (dies if not). */
void check_outputs(void);
void write_outputs(struct sim *sim);
int report_run(struct sim *sim);

/*
 * Replays a trace text in-process: strictly (it must end with the recorded
 * findings) or with REPLAY_LENIENT (see trace_set_lenient); REPLAY_EVENTS
 * keeps the event log for --perfetto. The finished run, or NULL with @err set.
 */
#define REPLAY_LENIENT 1u
#define REPLAY_EVENTS  2u
struct sim *replay_text(const char *text, size_t len, unsigned flags, char *err, size_t errlen);
/*
 * A strict replay ends as its recording did: the same "finding" lines and
 * the same "end" line (steps, findings, clocks). -1 with @err if not.
 */
int replay_check_end(struct sim *sim, const struct trace *t, char *err, size_t errlen);
/* The run's "finding ..." trace lines, each ending in '\n' (g_free it). */
char *trace_finding_lines(struct sim *sim);

int cmd_list(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_explore(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_shrink(int argc, char **argv);
int cmd_litmus(int argc, char **argv);

/* explore --exhaustive (cli_exhaustive.c): every execution of a small scenario. */
extern gboolean opt_exhaustive;
extern gint64 opt_max_steps;
extern gboolean opt_no_reduction;
int explore_exhaustive(const struct scenario *scn, struct sim_options *opt,
		       const struct sim_costs *costs, const char *out);

#endif
