/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lit_report: a litmus test explored exhaustively (dpor.h) and its result
 * in herd7's shape: States (with how many explored executions ended in
 * each), Ok/No, Witnesses, Flag Warning-BBM-expected, Condition,
 * Observation, then what our checker found; or as JSON.
 *
 * Contract: lit_check_test() runs every execution of @lt the model allows
 * on a machine built from @opt (its options plus the test's own) and
 * fills @r (@flags: dpor.h's); lit_result_free() releases it. The kind is herd's: Forbidden,
 * Allowed or Required (kinds.txt).
 */
#ifndef BBMSIM_LIT_REPORT_H
#define BBMSIM_LIT_REPORT_H

#include "dpor.h"
#include "litmus.h"

#include <glib.h>

struct lit_state_count {
	char *state;
	uint64_t count;
	bool positive;
};

struct lit_result {
	GPtrArray *states; /* struct lit_state_count *, sorted by state at the end */
	uint64_t positive, negative, filtered, unfinished;
	uint64_t infeasible; /* runs that were no execution (--memory arm promises) */
	bool bbm;	     /* an allowed execution breaks the BBM rule */
	GPtrArray *findings; /* "kind: rule: detail", distinct, first seen first */
	char *witness_trace; /* the first execution where the proposition holds */
	char *bbm_trace;     /* the first execution with a BBM violation */
	struct dpor_stats st;
};

int lit_check_test(const struct litmus *lt, const struct sim_options *opt,
		   const struct sim_costs *costs, uint64_t max_runs, unsigned flags,
		   struct lit_result *r, char *err, size_t errlen);
void lit_result_free(struct lit_result *r);

/* "Never", "Sometimes" or "Always". */
const char *lit_observation(const struct lit_result *r);
/* "Forbidden", "Allowed" or "Required", as kinds.txt. */
const char *lit_kind(const struct litmus *lt, const struct lit_result *r);

void lit_report_text(const struct litmus *lt, const struct lit_result *r, GString *out);
void lit_report_json(const struct litmus *lt, const struct lit_result *r, GString *out);

#endif
