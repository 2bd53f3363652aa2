// SPDX-License-Identifier: GPL-2.0-only
/*
 * Happens-before through the GIC (issue 13, item 4): CPU1 breaks a live
 * entry and invalidates it, then sends CPU0 a call-function IPI whose
 * handler makes the new entry. The IPI carries no memory message
 * (smp_cross_call() is the SGI alone), so the only order from CPU1's DSB ISH
 * to CPU0's make is the SGI: sent after the DSB ISH, the make is ordered
 * after the TLBI's completion (clean); sent before it, never (a violation
 * in every schedule, whenever CPU0 takes it). aarch64.cat's BBM relation;
 * Arm ARM D8.16.1 step 3.
 */
#include "sim/arm/checker.h"
#include "sim/arm/mmu.h"
#include "sim/cpu.h"
#include "sim/scenario.h"
#include "smp/smp.h"
#include "testlib.h"

#include <check.h>
#include <stdio.h>

#define S_VA	 (MMU_VMALLOC_START + 0x100000000ull)
#define S_PA	 0x8000000ull
#define S_PA_NEW 0x8002000ull

static struct smp_workload s_w;
static uint64_t s_ptep, s_made;
static bool s_send_before_dsb;

static void make_new_entry(struct sim_cpu *cpu, void *arg)
{
	mmu_set_pte(cpu, s_ptep, mmu_mk_leaf(S_PA_NEW, MMU_PROT_KERNEL, 3));
	cpu_store64(cpu, s_made, 1);
}

static int s_setup(struct sim *sim, char *err, size_t errlen)
{
	struct smp_config cfg;

	if (mmu_install(sim, err, errlen))
		return -1;
	if (mmu_boot_map(sim, S_VA, S_PA, MMU_PAGE_SIZE, MMU_PROT_KERNEL, 3)) {
		snprintf(err, errlen, "cannot map the test page");
		return -1;
	}
	s_ptep = mmu_phys_to_virt(mmu_slot_pa(sim, S_VA, 3));
	s_made = sim_kdata_alloc(sim, 8, 64);
	smp_config_default(sim, &cfg);
	if (smp_setup(sim, &cfg, err, errlen))
		return -1;
	smp_set_ipi_handler(sim, IPI_CALL_FUNC, make_new_entry, NULL);
	smp_workload_init(sim, &s_w);
	sim->scn_state = &s_w;
	return 0;
}

static void s_teardown(struct sim *sim)
{
	smp_teardown(sim);
	mmu_teardown(sim);
	sim->scn_state = NULL;
}

static void s_main(struct sim_cpu *cpu)
{
	struct cpumask to0;

	if (cpu->id == 0) {
		smp_work_idle(cpu, &s_w);
		return;
	}
	cpumask_clear(&to0);
	cpumask_set_cpu(0, &to0);
	mmu_set_pte(cpu, s_ptep, 0);
	dsb_ishst(cpu);
	tlbi_vaae1is(cpu, S_VA);
	if (s_send_before_dsb)
		smp_cross_call(cpu, &to0, IPI_CALL_FUNC);
	dsb_ish(cpu);
	if (!s_send_before_dsb)
		smp_cross_call(cpu, &to0, IPI_CALL_FUNC);
	cpu_spin_until(cpu, s_made, 8, ~0ull, 1, "the new entry made");
	smp_work_finish(cpu, &s_w);
}

static const struct scenario s_scn = {
	.name = "t-checker-sgi",
	.summary = "test: a make in an IPI handler, ordered (or not) by the SGI",
	.default_cpus = 2,
	.expect = -1,
	.est_steps = 400,
	.setup = s_setup,
	.cpu_main = s_main,
	.teardown = s_teardown,
};
SCENARIO_REGISTER(s_scn)

START_TEST(test_make_in_ipi_handler_sent_after_dsb_ish_is_clean)
{
	s_send_before_dsb = false;
	ck_assert_uint_eq(t_explore("t-checker-sgi", "sched=random", 40, -1), 0);
	ck_assert_uint_eq(t_explore("t-checker-sgi", "sched=pct", 40, -1), 0);
}
END_TEST

START_TEST(test_make_in_ipi_handler_sent_before_dsb_ish_is_violation_in_every_schedule)
{
	s_send_before_dsb = true;
	ck_assert_uint_eq(t_explore("t-checker-sgi", "sched=random", 40, FINDING_BBM_VIOLATION),
			  40);
	ck_assert_uint_eq(t_explore("t-checker-sgi", "sched=pct", 40, FINDING_BBM_VIOLATION), 40);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("checker-sgi");
	TCase *tc = tcase_create("checker-sgi");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_make_in_ipi_handler_sent_after_dsb_ish_is_clean);
	tcase_add_test(tc,
		       test_make_in_ipi_handler_sent_before_dsb_ish_is_violation_in_every_schedule);
	suite_add_tcase(s, tc);
	return s;
}
