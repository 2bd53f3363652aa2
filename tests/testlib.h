/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * testlib: running scenarios from Check tests.
 *
 * t_run("demo-counter", "seed=7 sched=pct cpus=4") runs one schedule with the
 * scenario's defaults overridden by the given "name=value" options and
 * returns the finished run (sim_destroy() it); it fails the test on bad
 * input. t_explore() runs seeds 1..n and returns how many schedules had a
 * finding of @kind (-1: any finding).
 */
#ifndef BBMSIM_TESTLIB_H
#define BBMSIM_TESTLIB_H

#include "sim/scenario.h"
#include "sim/sim.h"

#include <check.h>

struct sim *t_run(const char *scenario, const char *opts);
struct sim *t_run_costs(const char *scenario, const char *opts, const struct sim_costs *costs);
/* The same on fibers (struct sim.fibers) where the build has them. */
struct sim *t_run_fibers(const char *scenario, const char *opts);
unsigned t_explore(const char *scenario, const char *opts, unsigned n, int kind);
/*
 * Replays trace @text (strict, or lenient: see trace_set_lenient()); the
 * finished run, or NULL with @err saying why it diverged. A trace that does
 * not parse or configure fails the test.
 */
struct sim *t_replay(const char *text, size_t len, bool lenient, char *err, size_t errlen);
/* The first finding of @kind in @sim, or NULL. */
const struct sim_finding *t_finding(const struct sim *sim, int kind);

/*
 * The HVO verdicts every kernel must give, one table for both (issue 19):
 * none caught, each strategy of t_clean_strategies clean over random and
 * PCT schedules of hvo-2m and a few of hvo-1g, the broken D caught, demote
 * and free accounting every page. t_add_hvo_verdicts() adds them to @tc
 * for --kernel @kernel ("model": test_hvo.c; "linux": test_linux_hvo.c).
 */
extern const char *const t_clean_strategies[];
extern const unsigned t_nr_clean_strategies;
void t_add_hvo_verdicts(TCase *tc, const char *kernel);

#endif
