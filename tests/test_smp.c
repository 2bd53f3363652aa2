// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SMP layer on running machines: IRQ masking in both modes, the
 * broadcast rule of gic_ipi_send_mask(), pause/resume at 2, 8 and 80 CPUs,
 * stop_machine()'s states, and every smp-/gic- scenario's verdict.
 */
#include "smp/smp.h"

#include "sim/cpu.h"
#include "sim/scenario.h"
#include "testlib.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>

#define TEST_SGI 9

/* ---- a machine running a test's own programs ------------------------------------------- */

static struct smp_config t_cfg;
static void (*t_main)(struct sim_cpu *cpu);
static struct smp_workload t_w;
static uint64_t t_rec[1024]; /* what programs observed, by slot */

static int t_setup(struct sim *sim, char *err, size_t errlen)
{
	if (smp_setup(sim, &t_cfg, err, errlen))
		return -1;
	smp_enable_test_sgi(sim, TEST_SGI, GICV3_PRIO_IRQ);
	smp_workload_init(sim, &t_w);
	sim->scn_state = &t_w;
	return 0;
}

static void t_teardown(struct sim *sim)
{
	smp_teardown(sim);
	sim->scn_state = NULL;
}

static void t_cpu_main(struct sim_cpu *cpu)
{
	t_main(cpu);
}

static const struct scenario t_scn = {
	.name = "test-smp",
	.est_steps = 2000,
	.setup = t_setup,
	.cpu_main = t_cpu_main,
	.teardown = t_teardown,
};

/* Runs @fn on @ncpus CPUs (clusters of 16); returns the finished run. */
static struct sim *t_machine(unsigned ncpus, bool pnmi, bool bcast, const char *sched,
			     void (*fn)(struct sim_cpu *cpu))
{
	struct sim_options o;
	struct sim_costs c;
	char err[300];
	struct sim *sim;

	sim_options_default(&o);
	sim_opt_set_uint(&o, OPT_cpus, ncpus);
	o.seed = 3;
	snprintf(o.sched, sizeof(o.sched), "%s", sched);
	costs_default(&c);
	t_cfg = (struct smp_config){
		.pseudo_nmi = pnmi, .sgi_broadcast = bcast, .eoimode1 = true, .cluster_size = 16};
	t_main = fn;
	sim = sim_create(&t_scn, &o, &c, NULL, err, sizeof(err));
	ck_assert_msg(sim, "%s", err);
	ck_assert_msg(!sim_run(sim, err, sizeof(err)), "%s", err);
	return sim;
}

static void no_findings(struct sim *sim)
{
	const struct sim_finding *f = t_finding(sim, -1);

	ck_assert_msg(!f, "%s: %s", f ? finding_name(f->kind) : "", f ? f->detail : "");
}

/* ---- IRQ masking ------------------------------------------------------------------------- */

static void record_irq_flags(struct sim_cpu *cpu)
{
	unsigned long flags;

	if (cpu->id)
		return;
	t_rec[0] = icc_read_pmr(cpu);
	t_rec[1] = irqs_disabled(cpu);
	flags = local_irq_save(cpu);
	t_rec[2] = flags;
	t_rec[3] = icc_read_pmr(cpu);
	t_rec[4] = irqs_disabled(cpu);
	local_irq_restore(cpu, flags);
	t_rec[5] = icc_read_pmr(cpu);
	t_rec[6] = irqs_disabled(cpu);
}

START_TEST(test_pseudo_nmi_masks_irqs_through_the_pmr)
{
	struct sim *sim = t_machine(2, true, true, "random", record_irq_flags);

	ck_assert_uint_eq(t_rec[0], GIC_PRIO_IRQON);
	ck_assert_uint_eq(t_rec[1], 0);
	ck_assert_uint_eq(t_rec[2], 0xe0);
	ck_assert_uint_eq(t_rec[3], GIC_PRIO_IRQOFF);
	ck_assert_uint_eq(t_rec[4], 1);
	ck_assert_uint_eq(t_rec[5], 0xe0);
	ck_assert_uint_eq(t_rec[6], 0);
	/* IPIs: only stop-NMI, backtrace and kgdb are NMIs */
	for (unsigned ipi = 0; ipi < MAX_IPI; ipi++)
		ck_assert_uint_eq(gic_priority(sim, 1, ipi),
				  ipi == IPI_CPU_STOP_NMI || ipi == IPI_CPU_BACKTRACE ||
						  ipi == IPI_KGDB_ROUNDUP
					  ? GICV3_PRIO_NMI
					  : GICV3_PRIO_IRQ);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_without_pseudo_nmi_psr_i_masks_and_pmr_stays)
{
	struct sim *sim = t_machine(2, false, true, "random", record_irq_flags);

	ck_assert_uint_eq(t_rec[0], 0xf0);
	ck_assert_uint_eq(t_rec[1], 0);
	ck_assert_uint_eq(t_rec[2], 0); /* DAIF with I clear */
	ck_assert_uint_eq(t_rec[3], 0xf0);
	ck_assert_uint_eq(t_rec[4], 1);
	ck_assert_uint_eq(t_rec[5], 0xf0);
	ck_assert_uint_eq(t_rec[6], 0);
	for (unsigned ipi = 0; ipi < MAX_IPI; ipi++)
		ck_assert_uint_eq(gic_priority(sim, 1, ipi), GICV3_PRIO_IRQ);
	sim_destroy(sim);
}
END_TEST

/* CPU 1 masks, CPU 0 sends a normal IPI and an NMI; only the NMI gets through. */
static void masked_receiver(struct sim_cpu *cpu)
{
	if (cpu->id == 0) {
		struct cpumask m;

		cpu_spin_while(cpu, t_w.critical, 4, 0xffffffff, 0, "masked");
		cpumask_clear(&m);
		cpumask_set_cpu(1, &m);
		smp_cross_call(cpu, &m, IPI_TIMER);
		smp_cross_call(cpu, &m, IPI_KGDB_ROUNDUP);
		cpu_store(cpu, t_w.quiesced, 4, 1);
		return;
	}
	local_irq_disable(cpu);
	cpu_store(cpu, t_w.critical, 4, 1);
	cpu_spin_while(cpu, t_w.quiesced, 4, 0xffffffff, 0, "sent");
	sim_yield(cpu);
	t_rec[0] = smp_ipi_count(cpu->sim, 1, IPI_TIMER);
	t_rec[1] = smp_ipi_count(cpu->sim, 1, IPI_KGDB_ROUNDUP);
	local_irq_enable(cpu);
	t_rec[2] = smp_ipi_count(cpu->sim, 1, IPI_TIMER);
}

START_TEST(test_nmi_reaches_a_cpu_with_irqs_off)
{
	struct sim *sim = t_machine(2, true, true, "random", masked_receiver);

	no_findings(sim);
	ck_assert_uint_eq(t_rec[0], 0);
	ck_assert_uint_eq(t_rec[1], 1);
	ck_assert_uint_eq(t_rec[2], 1);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_without_pseudo_nmi_nothing_reaches_a_cpu_with_irqs_off)
{
	struct sim *sim = t_machine(2, false, true, "random", masked_receiver);

	no_findings(sim);
	ck_assert_uint_eq(t_rec[0], 0);
	ck_assert_uint_eq(t_rec[1], 0);
	ck_assert_uint_eq(t_rec[2], 1);
	ck_assert_uint_eq(smp_ipi_count(sim, 1, IPI_KGDB_ROUNDUP), 1);
	sim_destroy(sim);
}
END_TEST

/* ---- gic_ipi_send_mask ------------------------------------------------------------------- */

enum mask_kind { MASK_OTHERS, MASK_ALL, MASK_EVEN };

static enum mask_kind t_mask;

static void send_mask_main(struct sim_cpu *cpu)
{
	if (cpu->id == 0) {
		struct cpumask m;

		cpumask_clear(&m);
		for (unsigned i = 0; i < cpu->sim->ncpus; i++)
			if ((t_mask == MASK_OTHERS && i) || t_mask == MASK_ALL ||
			    (t_mask == MASK_EVEN && i % 2 == 0))
				cpumask_set_cpu(i, &m);
		gic_ipi_send_mask(cpu, &m, TEST_SGI);
		smp_work_finish(cpu, &t_w);
		sim_yield(cpu); /* our own SGI, if we sent one */
		return;
	}
	cpu_spin_while(cpu, t_w.done, 4, 0xffffffff, 0, "done");
	smp_work_exit(cpu, &t_w);
}

static struct sim *send_mask(unsigned ncpus, enum mask_kind kind, bool bcast)
{
	struct sim *sim;

	t_mask = kind;
	sim = t_machine(ncpus, true, bcast, "random", send_mask_main);
	no_findings(sim);
	for (unsigned i = 0; i < ncpus; i++) {
		bool target = kind == MASK_ALL || (kind == MASK_OTHERS && i) ||
			      (kind == MASK_EVEN && i % 2 == 0);

		ck_assert_msg(smp_ipi_count(sim, i, TEST_SGI) == target, "cpu%u took %llu", i,
			      (unsigned long long)smp_ipi_count(sim, i, TEST_SGI));
	}
	return sim;
}

/* SGI writes besides the test's own: the finish broadcast of IPI_RESCHEDULE. */
static uint64_t test_writes(struct sim *sim, bool bcast, unsigned ncpus)
{
	uint64_t finish = bcast ? 1 : (ncpus + 15) / 16;

	return gic_stats(sim)->sgi_writes - finish;
}

START_TEST(test_send_mask_all_others_is_one_irm_write)
{
	struct sim *sim = send_mask(80, MASK_OTHERS, true);

	ck_assert_uint_eq(test_writes(sim, true, 80), 1);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_send_mask_all_with_self_is_irm_plus_self)
{
	struct sim *sim = send_mask(80, MASK_ALL, true);

	ck_assert_uint_eq(test_writes(sim, true, 80), 2);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_send_mask_subset_is_one_write_per_cluster)
{
	struct sim *sim = send_mask(80, MASK_EVEN, true);

	ck_assert_uint_eq(test_writes(sim, true, 80), 5); /* 80 CPUs, clusters of 16 */
	sim_destroy(sim);
}
END_TEST

START_TEST(test_send_mask_without_broadcast_writes_per_cluster)
{
	struct sim *sim = send_mask(80, MASK_OTHERS, false);

	ck_assert_uint_eq(test_writes(sim, false, 80), 5);
	sim_destroy(sim);
	sim = send_mask(8, MASK_ALL, false);
	ck_assert_uint_eq(test_writes(sim, false, 8), 1);
	sim_destroy(sim);
}
END_TEST

/* ---- pause / resume ---------------------------------------------------------------------- */

#define T_ROUNDS 2

static void pause_driver(struct sim_cpu *cpu)
{
	if (cpu->id == 0) {
		for (int r = 0; r < T_ROUNDS; r++) {
			local_irq_disable(cpu);
			t_rec[r] = (uint64_t)pause_remote_cpus(cpu);
			/* Refused: nothing is parked, so no critical section. */
			if (!t_rec[r]) {
				cpu_store(cpu, t_w.critical, 4, 1);
				cpu_store(cpu, t_w.critical, 4, 0);
			}
			/*
			 * The caller's flush_tlb_kernel_range() ends in dsb(ish): without
			 * it the CPUs let go may still read critical = 1 (--memory arm;
			 * the smp-pause-no-barrier scenario).
			 */
			cpu_barrier(cpu, CPU_DSB_ISH);
			resume_remote_cpus(cpu);
			local_irq_enable(cpu);
		}
		smp_work_finish(cpu, &t_w);
		return;
	}
	smp_work_mixed(cpu, &t_w);
	smp_work_exit(cpu, &t_w);
}

static void pause_at(unsigned ncpus, const char *sched)
{
	struct sim *sim = t_machine(ncpus, true, true, sched, pause_driver);

	no_findings(sim);
	ck_assert_uint_eq(t_rec[0], 0);
	for (unsigned i = 1; i < ncpus; i++)
		ck_assert_uint_eq(smp_paused_rounds(sim, i), T_ROUNDS);
	ck_assert_uint_eq(smp_paused_rounds(sim, 0), 0);
	/* one IRM write per round, one for the finish */
	ck_assert_uint_eq(gic_stats(sim)->sgi_writes, T_ROUNDS + 1);
	sim_destroy(sim);
}

START_TEST(test_pause_resume_2_cpus)
{
	pause_at(2, "random");
	pause_at(2, "timed");
}
END_TEST

START_TEST(test_pause_resume_8_cpus)
{
	pause_at(8, "random");
	pause_at(8, "pct");
}
END_TEST

START_TEST(test_pause_resume_80_cpus)
{
	pause_at(80, "random");
	pause_at(80, "timed");
}
END_TEST

START_TEST(test_pause_refused_without_pseudo_nmi)
{
	struct sim *sim = t_machine(4, false, true, "random", pause_driver);

	no_findings(sim);
	ck_assert_int_eq((int)t_rec[0], -EOPNOTSUPP);
	for (unsigned i = 1; i < 4; i++)
		ck_assert_uint_eq(smp_paused_rounds(sim, i), 0);
	sim_destroy(sim);
}
END_TEST

/* ---- stop_machine ------------------------------------------------------------------------- */

static int t_stop_fn(struct sim_cpu *cpu, void *arg)
{
	t_rec[100] = cpu->id;
	t_rec[101]++;
	return 42;
}

static void stop_driver(struct sim_cpu *cpu)
{
	if (cpu->id == 0) {
		t_rec[102] = (uint64_t)stop_machine(cpu, t_stop_fn, NULL);
		smp_work_finish(cpu, &t_w);
		return;
	}
	smp_work_mixed(cpu, &t_w);
	smp_work_exit(cpu, &t_w);
}

START_TEST(test_stop_machine_every_cpu_acks_every_state)
{
	static const char *const scheds[] = {"random", "pct", "timed"};

	for (unsigned k = 0; k < 3; k++) {
		struct sim *sim;

		t_rec[101] = 0;
		sim = t_machine(8, k != 1, true, scheds[k], stop_driver);
		no_findings(sim);
		ck_assert_uint_eq(t_rec[101], 1);
		ck_assert_uint_eq(t_rec[100], 0);
		ck_assert_uint_eq(t_rec[102], 42);
		for (unsigned i = 0; i < 8; i++) {
			ck_assert_uint_eq(smp_stop_acked(sim, i),
					  1u << MULTI_STOP_PREPARE | 1u << MULTI_STOP_DISABLE_IRQ |
						  1u << MULTI_STOP_RUN | 1u << MULTI_STOP_EXIT);
			ck_assert(smp_stop_irqs_off_at_run(sim, i));
		}
		sim_destroy(sim);
	}
}
END_TEST

/* ---- the scenarios' verdicts ----------------------------------------------------------------- */

START_TEST(test_smp_scenarios_give_their_verdicts)
{
	static const char *const clean[] = {"smp-pause",	  "smp-pause-nmi",
					    "smp-stop-machine",	  "gic-sgi-broadcast",
					    "gic-sgi-targetlist", "gic-sgi-coalesce"};

	for (unsigned i = 0; i < 6; i++) {
		ck_assert_uint_eq(t_explore(clean[i], "sched=random cpus=8", 20, -1), 0);
		ck_assert_uint_eq(t_explore(clean[i], "sched=pct cpus=8", 20, -1), 0);
		ck_assert_uint_eq(t_explore(clean[i], "sched=pct cpus=80", 3, -1), 0);
	}
	ck_assert_uint_eq(
		t_explore("smp-pause-no-nmi-irqs-off", "sched=random cpus=8", 20, FINDING_DEADLOCK),
		20);
	ck_assert_uint_eq(
		t_explore("smp-pause-no-nmi-irqs-off", "sched=pct cpus=80", 3, FINDING_DEADLOCK),
		3);
}
END_TEST

START_TEST(test_scenarios_assert_the_refusal_rule)
{
	/* the same program: clean with pseudo-NMI on, a deadlock with it off */
	ck_assert_uint_eq(t_explore("smp-pause-nmi", "sched=random cpus=8 pseudo_nmi=0", 5,
				    FINDING_ASSERTION),
			  5); /* the refusal, asserted by the scenario */
	ck_assert_uint_eq(t_explore("smp-pause-no-nmi-irqs-off", "sched=random pseudo_nmi=1", 5,
				    FINDING_ASSERTION),
			  5); /* no refusal with pseudo-NMI */
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("smp");
	TCase *tc = tcase_create("smp");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_pseudo_nmi_masks_irqs_through_the_pmr);
	tcase_add_test(tc, test_without_pseudo_nmi_psr_i_masks_and_pmr_stays);
	tcase_add_test(tc, test_nmi_reaches_a_cpu_with_irqs_off);
	tcase_add_test(tc, test_without_pseudo_nmi_nothing_reaches_a_cpu_with_irqs_off);
	tcase_add_test(tc, test_send_mask_all_others_is_one_irm_write);
	tcase_add_test(tc, test_send_mask_all_with_self_is_irm_plus_self);
	tcase_add_test(tc, test_send_mask_subset_is_one_write_per_cluster);
	tcase_add_test(tc, test_send_mask_without_broadcast_writes_per_cluster);
	tcase_add_test(tc, test_pause_resume_2_cpus);
	tcase_add_test(tc, test_pause_resume_8_cpus);
	tcase_add_test(tc, test_pause_resume_80_cpus);
	tcase_add_test(tc, test_pause_refused_without_pseudo_nmi);
	tcase_add_test(tc, test_stop_machine_every_cpu_acks_every_state);
	tcase_add_test(tc, test_smp_scenarios_give_their_verdicts);
	tcase_add_test(tc, test_scenarios_assert_the_refusal_rule);
	suite_add_tcase(s, tc);
	return s;
}
