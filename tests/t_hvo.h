/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The updater alone, for test_hvo.c and test_linux_hvo.c: CPU 0 runs the
 * test's job on T_HVO_N boot-time huge pages of one hstate while the other
 * CPUs idle, answering pauses and stoppers. Each test file defines its jobs
 * and its t_hvo_job(), then registers the scenario with T_HVO_SCENARIO().
 */
#ifndef BBMSIM_T_HVO_H
#define BBMSIM_T_HVO_H

#include "mm/mm.h"
#include "sim/arm/mmu.h"
#include "smp/smp.h"
#include "testlib.h"

#include <check.h>
#include <string.h>

static struct {
	int job;
	const struct hstate *h;
	unsigned n;
	struct folio_list folios;
	struct smp_workload w;
} t_hvo;

/* The test's job on CPU 0, with the folios set up; its own state is its own. */
static void t_hvo_job(struct sim_cpu *cpu);
/* After the machine and the folios are set up (host side): may be empty. */
static void t_hvo_after_setup(struct sim *sim);

static int t_hvo_setup(struct sim *sim, char *err, size_t errlen)
{
	struct smp_config cfg;

	sim->scn_state = &t_hvo; /* so that sim_destroy() runs t_hvo_teardown() */
	if (mmu_install(sim, err, errlen))
		return -1;
	smp_config_default(sim, &cfg);
	if (smp_setup(sim, &cfg, err, errlen) || mm_setup(sim, err, errlen))
		return -1;
	smp_workload_init(sim, &t_hvo.w);
	memset(&t_hvo.folios, 0, sizeof(t_hvo.folios));
	for (unsigned i = 0; i < t_hvo.n; i++)
		folio_list_add(&t_hvo.folios, mm_boot_huge_page(sim, t_hvo.h));
	t_hvo_after_setup(sim);
	return 0;
}

static void t_hvo_teardown(struct sim *sim)
{
	mm_teardown(sim);
	smp_teardown(sim);
	mmu_teardown(sim);
	folio_list_free(&t_hvo.folios);
}

static void t_hvo_main(struct sim_cpu *cpu)
{
	if (cpu->id) {
		smp_work_idle(cpu, &t_hvo.w);
		smp_work_exit(cpu, &t_hvo.w);
		return;
	}
	t_hvo_job(cpu);
	smp_work_finish(cpu, &t_hvo.w);
}

#define T_HVO_SCENARIO(var, scn_name)                 \
	static const struct scenario var = {          \
		.name = scn_name,                     \
		.summary = "test: the updater alone", \
		.default_cpus = 1,                    \
		.expect = -1,                         \
		.setup = t_hvo_setup,                 \
		.cpu_main = t_hvo_main,               \
		.teardown = t_hvo_teardown,           \
	};                                            \
	SCENARIO_REGISTER(var)

/* Runs @job on @n folios of @h under @opts. */
static inline struct sim *t_hvo_go(const char *scn, int job, const struct hstate *h, unsigned n,
				   const char *opts)
{
	t_hvo.job = job;
	t_hvo.h = h;
	t_hvo.n = n;
	return t_run(scn, opts);
}

#endif
