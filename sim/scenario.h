/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scenario: what a run executes, and the registry the CLI looks them up in.
 *
 * Contract: setup() runs in host context before any CPU starts (it may build
 * page tables and memory directly, as firmware and early boot would);
 * cpu_main() is every CPU's program; check() runs after the last CPU
 * finished and reports FINDING_ASSERTION for a broken invariant. A scenario
 * registers itself with SCENARIO_REGISTER() from any module, so sim/ never
 * names the layers above it.
 */
#ifndef BBMSIM_SCENARIO_H
#define BBMSIM_SCENARIO_H

#include "sim.h"

#include <stddef.h>

struct scenario {
	const char *name;
	const char *summary;
	unsigned default_cpus;
	/* What the scenario is for: a finding kind it must produce, or -1 (clean). */
	int expect;
	/* Rough yield points of one run, for PCT's change points. */
	uint64_t est_steps;
	/* Options the scenario forces or defaults ("bbm_level=2", ...), NULL-terminated. */
	const char *const *defaults;
	/*
	 * The text a scenario made at run time was built from (a litmus test):
	 * recorded in the trace header, so that a replay can rebuild it through
	 * the factory registered for its name's prefix. NULL for built-in ones.
	 */
	const char *data;

	int (*setup)(struct sim *sim, char *err, size_t errlen);
	void (*cpu_main)(struct sim_cpu *cpu);
	void (*check)(struct sim *sim);
	void (*teardown)(struct sim *sim);
};

void scenario_register(const struct scenario *s);
/* The registered scenarios sorted by name; NULL-terminated. */
const struct scenario *const *scenario_all(void);
const struct scenario *scenario_find(const char *name);

/*
 * Scenarios made from data (litmus tests): a factory builds one from the
 * name and data a trace recorded; NULL with @err set if it cannot. The
 * scenario lives as long as the process.
 */
typedef const struct scenario *(*scenario_factory_fn)(const char *name, const char *data,
							char *err, size_t errlen);
void scenario_register_factory(const char *prefix, scenario_factory_fn fn);
/* scenario_find(), else the factory whose prefix @name has; NULL with @err. */
const struct scenario *scenario_find_data(const char *name, const char *data, char *err,
					  size_t errlen);

#define SCENARIO_REGISTER(var)                                        \
	static void __attribute__((constructor)) var##_register(void) \
	{                                                             \
		scenario_register(&var);                              \
	}

#endif
