// SPDX-License-Identifier: GPL-2.0-only
/*
 * Demo scenarios for the engine itself: a shared counter incremented by
 * load/add/store (the lost update is found by the invariant) and by an
 * atomic add (clean under every schedule).
 */
#include "cpu.h"
#include "pmem.h"
#include "scenario.h"

#include <glib.h>
#include <inttypes.h>

#define DEMO_ITERS 3

struct demo {
	uint64_t counter; /* address for the cpu_*() accessors */
};

static int demo_setup(struct sim *sim, char *err, size_t errlen)
{
	struct demo *d = g_new0(struct demo, 1);

	d->counter = sim_kdata_alloc(sim, 8, 64);
	sim->scn_state = d;
	return 0;
}

static void demo_teardown(struct sim *sim)
{
	g_free(sim->scn_state);
}

static void demo_counter_main(struct sim_cpu *cpu)
{
	struct demo *d = cpu->sim->scn_state;

	for (int i = 0; i < DEMO_ITERS; i++) {
		uint64_t v = cpu_load64(cpu, d->counter);

		sim_tick(cpu, COST_insn);
		cpu_store64(cpu, d->counter, v + 1);
	}
}

static void demo_atomic_main(struct sim_cpu *cpu)
{
	struct demo *d = cpu->sim->scn_state;

	for (int i = 0; i < DEMO_ITERS; i++)
		cpu_fetch_add(cpu, d->counter, 8, 1);
}

static void demo_check(struct sim *sim)
{
	struct demo *d = sim->scn_state;
	uint64_t want = (uint64_t)sim->ncpus * DEMO_ITERS;
	uint64_t got = pmem_read(sim->mem, d->counter - sim->kdata_offset, 8);

	if (got != want)
		sim_report(sim, NULL, FINDING_ASSERTION, d->counter, d->counter - sim->kdata_offset,
			   "counter == cpus * iterations",
			   "counter is %" PRIu64 ", expected %" PRIu64 ": an update was lost", got,
			   want);
}

static const struct scenario demo_counter = {
	.name = "demo-counter",
	.summary = "CPUs increment a shared counter with load/add/store: a lost update",
	.default_cpus = 2,
	.expect = FINDING_ASSERTION,
	.est_steps = 20,
	.setup = demo_setup,
	.cpu_main = demo_counter_main,
	.check = demo_check,
	.teardown = demo_teardown,
};
SCENARIO_REGISTER(demo_counter)

static const struct scenario demo_counter_atomic = {
	.name = "demo-counter-atomic",
	.summary = "CPUs increment a shared counter with an atomic add: never loses one",
	.default_cpus = 2,
	.expect = -1,
	.est_steps = 20,
	.setup = demo_setup,
	.cpu_main = demo_atomic_main,
	.check = demo_check,
	.teardown = demo_teardown,
};
SCENARIO_REGISTER(demo_counter_atomic)
