/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compare's pieces (cli/cli_compare*.c): the table a run fills, the tasks
 * it is made of (run in parallel child processes), its outputs, and the
 * sensitivity study. What is compared comes from sim/compare.h's registry.
 */
#ifndef BBMSIM_CLI_COMPARE_H
#define BBMSIM_CLI_COMPARE_H

#include "cli.h"
#include "sim/compare.h"

#include <signal.h>

struct cmp_sens;

#define CMP_MAX_COLUMNS	 16
#define CMP_MAX_OPS	 8
#define CMP_MAX_COUNTERS 8
#define CMP_MAX_VERDICTS 24 /* scenario x scheduler, per column */
#define CMP_NR_SCHEDS	 2

extern const char *const cmp_scheds[CMP_NR_SCHEDS]; /* "random", "pct" */

/* One scenario under one scheduler, for one choice. */
struct cmp_verdict {
	char scenario[48];
	char sched[8];
	bool hazard; /* one of the choice's own hazard scenarios */
	unsigned schedules;
	unsigned kinds[SIM_NR_FINDINGS]; /* schedules that ended in a finding of each kind */
};

struct cmp_column {
	const struct cmp_choice *choice;
	bool ran; /* the timed run finished */
	uint64_t ps[CMP_MAX_OPS];
	uint64_t counters[CMP_MAX_COUNTERS];
	bool has_counter[CMP_MAX_COUNTERS];
	unsigned nr_verdicts;
	struct cmp_verdict verdicts[CMP_MAX_VERDICTS];
};

struct cmp_table {
	const struct cmp_spec *spec;
	struct cmp_column col[CMP_MAX_COLUMNS];
	unsigned nr;
	/* Counter rows: the spec's, then those of the compared choices. */
	const struct cmp_counter *counters[CMP_MAX_COUNTERS];
	unsigned nr_counters;
	double scale;
	unsigned pages, cpus, verdict_schedules;
	const char *kernel;
	bool fibers;
	struct sim_costs costs;
	bool interrupted;
};

/* ---- tasks (cli_compare_run.c) ---------------------------------------------------- */

/* A task's result, sent back whole through a pipe. */
struct cmp_result {
	bool ok;
	int voided; /* 1 + the finding kind that voided a timed run (with @tolerate) */
	uint64_t ps[CMP_MAX_OPS];
	uint64_t counters[CMP_MAX_COUNTERS];
	bool has_counter[CMP_MAX_COUNTERS];
	struct cmp_verdict verdict;
};

/*
 * The timed run of @col's choice under @costs; ok false when interrupted.
 * A deadlock, livelock, lost interrupt or assertion voids the figures: it
 * dies naming it, or with @tolerate sets r->voided.
 */
void cmp_run_timed(const struct cmp_table *t, const struct cmp_column *col,
		   const struct sim_costs *costs, bool tolerate, struct cmp_result *r);
/* t->verdict_schedules schedules of @scenario; @forced: run it as registered. */
void cmp_run_verdict(const struct cmp_table *t, const struct cmp_column *col, const char *scenario,
		     bool forced, const char *sched, struct cmp_result *r);
/* Every task of the table (timed runs, verdicts), @jobs at a time. */
void cmp_run_table(struct cmp_table *t, unsigned jobs);

/*
 * Runs @n tasks, @jobs child processes at a time (in-process with 1);
 * @run fills @results[i] (@size bytes each). A task may report a step
 * (cmp_pool_step) that @step shows in the parent. Results land in their
 * own slots: the same whatever @jobs.
 */
struct cmp_pool {
	void (*run)(unsigned task, void *result, void *arg);
	void (*step)(unsigned task, unsigned step, void *arg);
	void (*done)(unsigned task, void *result, void *arg);
	void *arg;
	size_t size;
};
void cmp_pool_run(const struct cmp_pool *p, unsigned n, unsigned jobs, void *results);
/* From inside a task: step @step is reached. */
void cmp_pool_step(unsigned step);

/* ---- progress on a tty (nothing otherwise) ------------------------------------------ */
void cmp_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cmp_progress_done(void);

/* ---- output (cli_compare_out.c, cli_compare_plot.c) ------------------------------------ */

const struct cmp_column *cmp_baseline(const struct cmp_table *t);
void cmp_print_text(const struct cmp_table *t);
/* JSON: one object; CSV: one long-format table (see --help). */
void cmp_print_json(const struct cmp_table *t, const struct cmp_sens *sens);
void cmp_print_csv(const struct cmp_table *t, const struct cmp_sens *sens);
/* The SVG text: one panel per operation. */
GString *cmp_svg(const struct cmp_table *t);
/* A verdict cell: "clean 20/20", "3/20 deadlock", ... */
void cmp_verdict_text(const struct cmp_verdict *v, char *buf, size_t len);

/* ---- sensitivity (cli_compare_sens.c) --------------------------------------------------- */

/* Each cost at both ends of its range: the change of every cell. */
struct cmp_sens_row {
	unsigned cost;				  /* its id */
	bool high;				  /* at hi, else at lo */
	uint64_t ps;				  /* the value used */
	double pct[CMP_MAX_COLUMNS][CMP_MAX_OPS]; /* change of each cell against the default */
	double rel[CMP_MAX_COLUMNS][CMP_MAX_OPS]; /* change vs the baseline column, at this value */
	bool order_same[CMP_MAX_OPS];		  /* the strategies' order per operation holds */
	int voided[CMP_MAX_COLUMNS];		  /* 1 + the finding kind that voided the run */
};

struct cmp_sens {
	struct cmp_sens_row *rows;
	unsigned nr;
};

/* Runs the study over @t's columns at @t's scale; @t must hold the default run. */
void cmp_sensitivity(struct cmp_table *t, unsigned jobs, struct cmp_sens *s);
void cmp_print_sens_text(const struct cmp_table *t, const struct cmp_sens *s);

#endif
