/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dpor: exhaustive exploration of a scenario, every interleaving and every
 * hardware decision, with dynamic partial-order reduction.
 *
 * Stateless model checking: each execution is a fresh run whose decisions
 * are forced along a prefix of a depth-first search and taken by default
 * beyond it. Scheduling choices are reduced with source-DPOR (Abdulla et
 * al., POPL 2014, without sleep sets): after each run, every race between
 * two steps of different CPUs (dependent, not ordered by happens-before
 * through other steps) adds one of its reversal's initial CPUs to the
 * backtrack set of the choice before the first step. Hardware decisions
 * (TLB fills, TLBI arrival, ...) are never reduced: every value is tried.
 * Two steps are dependent when they touch one memory word and one writes,
 * or when either is marked SIM_OBJ_GLOBAL (a store into a live table, a
 * TLBI, a DSB, an ISB: they change what every TLB may hold or what the
 * checker concludes).
 *
 * Contract: dpor_explore() calls @visit after each complete run, with the
 * finished sim (findings, trace text, the scenario's state) before it is
 * destroyed. It returns 0 when the search ended (or stopped at
 * @max_runs, with st->complete false), -1 with @err on a setup error or a
 * run that did not repeat its own decisions (a nondeterministic scenario).
 */
#ifndef BBMSIM_DPOR_H
#define BBMSIM_DPOR_H

#include "sim/scenario.h"
#include "sim/sim.h"

struct dpor_stats {
	uint64_t runs;	     /* executions explored */
	uint64_t blocked;    /* runs found redundant by sleep sets (not counted in runs) */
	uint64_t races;	     /* races found over all runs */
	uint64_t max_events; /* the longest run, in scheduling steps */
	uint64_t hw_choices; /* hardware decision points over all runs */
	bool complete;	     /* the search ended before max_runs */
};

/*
 * Treat any two steps of different CPUs as dependent: no reduction, every
 * interleaving of steps. For scenarios whose layers do not tell the engine
 * what their steps touch (the GIC's registers live in host memory), and to
 * test the reduction against.
 */
#define DPOR_ALL_DEPENDENT 1u

/* Return false to stop the search (st->complete is then false). */
typedef bool (*dpor_visit_fn)(void *arg, struct sim *sim);

int dpor_explore(const struct scenario *scn, const struct sim_options *opt,
		 const struct sim_costs *costs, uint64_t max_runs, unsigned flags,
		 dpor_visit_fn visit, void *arg, struct dpor_stats *st, char *err, size_t errlen);

#endif
