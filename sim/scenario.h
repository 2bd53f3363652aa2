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

	int (*setup)(struct sim *sim, char *err, size_t errlen);
	void (*cpu_main)(struct sim_cpu *cpu);
	void (*check)(struct sim *sim);
	void (*teardown)(struct sim *sim);
};

void scenario_register(const struct scenario *s);
/* The registered scenarios sorted by name; NULL-terminated. */
const struct scenario *const *scenario_all(void);
const struct scenario *scenario_find(const char *name);

#define SCENARIO_REGISTER(var)                                        \
	static void __attribute__((constructor)) var##_register(void) \
	{                                                             \
		scenario_register(&var);                              \
	}

#endif
