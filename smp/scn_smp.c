// SPDX-License-Identifier: GPL-2.0-only
/*
 * SMP scenarios: pause/resume of remote CPUs (series v2) on a machine of
 * busy, idle and IRQs-off CPUs; the same with a CPU holding IRQs off (needs
 * the pause to be an NMI); the deadlock the series avoids by refusing the
 * pause without pseudo-NMI; and stop_machine().
 *
 * CPU 0 drives; every other CPU runs a work loop (smp_work_mixed) whose
 * steps report an assertion if they ever run while CPU 0 claims them parked.
 */
#include "smp/smp.h"

#include "sim/cpu.h"
#include "sim/scenario.h"

#include <errno.h>
#include <glib.h>

#define PAUSE_ROUNDS 3

struct scn_smp {
	struct smp_workload w;
	uint64_t release; /* lets the IRQs-off CPU go */
	unsigned fn_runs; /* stop_machine: times the function ran */
	int fn_cpu;
};

static int scn_setup_omit(struct sim *sim, unsigned omit, char *err, size_t errlen)
{
	struct smp_config cfg;
	struct scn_smp *st;

	smp_config_default(sim, &cfg);
	cfg.omit = omit;
	if (smp_setup(sim, &cfg, err, errlen))
		return -1;
	st = g_new0(struct scn_smp, 1);
	smp_workload_init(sim, &st->w);
	st->release = sim_kdata_alloc(sim, 64, 64);
	st->fn_cpu = -1;
	sim->scn_state = st;
	return 0;
}

static int scn_setup(struct sim *sim, char *err, size_t errlen)
{
	return scn_setup_omit(sim, 0, err, errlen);
}

static int scn_setup_no_wmb(struct sim *sim, char *err, size_t errlen)
{
	return scn_setup_omit(sim, SMP_OMIT_STOP_WMB, err, errlen);
}

static int scn_setup_relaxed_ack(struct sim *sim, char *err, size_t errlen)
{
	return scn_setup_omit(sim, SMP_OMIT_ACK_ORDER, err, errlen);
}

static void scn_teardown(struct sim *sim)
{
	smp_teardown(sim);
	g_free(sim->scn_state);
	sim->scn_state = NULL;
}

static struct scn_smp *state(struct sim_cpu *cpu)
{
	return cpu->sim->scn_state;
}

/*
 * What patch 5 does around a batch: IRQs off, pause, update, resume. The
 * update ends with its TLB flush, whose DSB ISH orders it before the store
 * that clears cpu_paused: resume_remote_cpus() leaves that to its caller.
 * @barrier false leaves it out (smp-pause-no-barrier).
 */
static void pause_round_b(struct sim_cpu *cpu, bool forced, bool barrier)
{
	struct scn_smp *st = state(cpu);

	local_irq_disable(cpu);
	if (forced) {
		__pause_remote_cpus(cpu);
	} else if (pause_remote_cpus(cpu)) {
		sim_report(cpu->sim, cpu, FINDING_ASSERTION, 0, 0, "pause_remote_cpus() succeeds",
			   "pause_remote_cpus() refused with pseudo-NMI on");
	}
	cpu_store(cpu, st->w.critical, 4, 1);
	sim_tick(cpu, COST_insn);
	cpu_store(cpu, st->w.critical, 4, 0);
	if (barrier)
		cpu_barrier(cpu, CPU_DSB_ISH); /* flush_tlb_kernel_range()'s dsb(ish) */
	resume_remote_cpus(cpu);
	local_irq_enable(cpu);
}

static void pause_round(struct sim_cpu *cpu, bool forced)
{
	pause_round_b(cpu, forced, true);
}

static void pause_no_barrier_main(struct sim_cpu *cpu)
{
	struct scn_smp *st = state(cpu);

	if (cpu->id == 0) {
		for (int r = 0; r < PAUSE_ROUNDS; r++)
			pause_round_b(cpu, false, false);
		smp_work_finish(cpu, &st->w);
		return;
	}
	smp_work_mixed(cpu, &st->w);
	smp_work_exit(cpu, &st->w);
}

static void pause_main(struct sim_cpu *cpu)
{
	struct scn_smp *st = state(cpu);

	if (cpu->id == 0) {
		for (int r = 0; r < PAUSE_ROUNDS; r++)
			pause_round(cpu, false);
		smp_work_finish(cpu, &st->w);
		return;
	}
	smp_work_mixed(cpu, &st->w);
	smp_work_exit(cpu, &st->w);
}

/* CPU 1 holds IRQs off until CPU 0 is through all its pauses. */
static void pause_irqs_off_main(struct sim_cpu *cpu)
{
	struct scn_smp *st = state(cpu);

	if (cpu->id == 0) {
		for (int r = 0; r < PAUSE_ROUNDS; r++)
			pause_round(cpu, false);
		cpu_store(cpu, st->release, 4, 1);
		smp_work_finish(cpu, &st->w);
		return;
	}
	if (cpu->id == 1)
		smp_work_irqs_off_until(cpu, &st->w, st->release);
	smp_work_mixed(cpu, &st->w);
	smp_work_exit(cpu, &st->w);
}

/* Without pseudo-NMI the series refuses; forcing the pause anyway deadlocks. */
static void pause_no_nmi_main(struct sim_cpu *cpu)
{
	struct scn_smp *st = state(cpu);

	if (cpu->id == 0) {
		local_irq_disable(cpu);
		if (pause_remote_cpus(cpu) != -EOPNOTSUPP)
			sim_report(cpu->sim, cpu, FINDING_ASSERTION, 0, 0,
				   "pause_remote_cpus() refuses without pseudo-NMI",
				   "pause_remote_cpus() went ahead without pseudo-NMI");
		local_irq_enable(cpu);
		pause_round(cpu, true);
		cpu_store(cpu, st->release, 4, 1);
		smp_work_finish(cpu, &st->w);
		return;
	}
	if (cpu->id == 1)
		smp_work_irqs_off_until(cpu, &st->w, st->release);
	smp_work_mixed(cpu, &st->w);
	smp_work_exit(cpu, &st->w);
}

static void pause_check(struct sim *sim)
{
	for (unsigned i = 1; i < sim->ncpus; i++)
		if (smp_paused_rounds(sim, i) != PAUSE_ROUNDS)
			sim_report(sim, NULL, FINDING_ASSERTION, 0, 0,
				   "every remote CPU pauses once per round",
				   "cpu%u paused %llu times in %d rounds", i,
				   (unsigned long long)smp_paused_rounds(sim, i), PAUSE_ROUNDS);
	smp_check_lost_interrupts(sim);
}

static int stop_fn(struct sim_cpu *cpu, void *arg)
{
	struct scn_smp *st = arg;

	st->fn_runs++;
	st->fn_cpu = (int)cpu->id;
	cpu_store(cpu, st->w.critical, 4, 1);
	sim_tick(cpu, COST_insn);
	cpu_store(cpu, st->w.critical, 4, 0);
	return 0;
}

static void stop_machine_main(struct sim_cpu *cpu)
{
	struct scn_smp *st = state(cpu);

	if (cpu->id == 0) {
		if (stop_machine(cpu, stop_fn, st))
			sim_report(cpu->sim, cpu, FINDING_ASSERTION, 0, 0,
				   "stop_machine() returns 0", "stop_machine() failed");
		smp_work_finish(cpu, &st->w);
		return;
	}
	smp_work_mixed(cpu, &st->w);
	smp_work_exit(cpu, &st->w);
}

static void stop_machine_check(struct sim *sim)
{
	struct scn_smp *st = sim->scn_state;
	const uint32_t all = 1u << MULTI_STOP_PREPARE | 1u << MULTI_STOP_DISABLE_IRQ |
			     1u << MULTI_STOP_RUN | 1u << MULTI_STOP_EXIT;

	if (st->fn_runs != 1 || st->fn_cpu != 0)
		sim_report(sim, NULL, FINDING_ASSERTION, 0, 0,
			   "the function runs once, on the first online CPU",
			   "ran %u times, last on cpu%d", st->fn_runs, st->fn_cpu);
	for (unsigned i = 0; i < sim->ncpus; i++) {
		if (smp_stop_acked(sim, i) != all)
			sim_report(sim, NULL, FINDING_ASSERTION, 0, 0,
				   "every CPU acknowledges every multi_stop state",
				   "cpu%u acknowledged states %#x", i, smp_stop_acked(sim, i));
		if (!smp_stop_irqs_off_at_run(sim, i))
			sim_report(sim, NULL, FINDING_ASSERTION, 0, 0,
				   "every CPU has IRQs off in MULTI_STOP_RUN",
				   "cpu%u had IRQs on when the function ran", i);
	}
	smp_check_lost_interrupts(sim);
}

static const char *const pnmi_on[] = {"pseudo_nmi=1", NULL};
static const char *const pnmi_off[] = {"pseudo_nmi=0", NULL};

static const struct scenario scn_smp_pause = {
	.name = "smp-pause",
	.summary = "pause_remote_cpus()/resume_remote_cpus() rounds over busy, idle and "
		   "IRQs-off CPUs",
	.default_cpus = 8,
	.expect = -1,
	.est_steps = 4000,
	.defaults = pnmi_on,
	.setup = scn_setup,
	.cpu_main = pause_main,
	.check = pause_check,
	.teardown = scn_teardown,
};
SCENARIO_REGISTER(scn_smp_pause)

static const struct scenario scn_smp_pause_nmi = {
	.name = "smp-pause-nmi",
	.summary = "pause rounds while CPU 1 holds IRQs off: the pause IPI is a pseudo-NMI",
	.default_cpus = 8,
	.expect = -1,
	.est_steps = 4000,
	.defaults = pnmi_on,
	.setup = scn_setup,
	.cpu_main = pause_irqs_off_main,
	.check = pause_check,
	.teardown = scn_teardown,
};
SCENARIO_REGISTER(scn_smp_pause_nmi)

static const struct scenario scn_smp_pause_no_nmi = {
	.name = "smp-pause-no-nmi-irqs-off",
	.summary = "without pseudo-NMI pause_remote_cpus() refuses; forced, it deadlocks on "
		   "a CPU with IRQs off",
	.default_cpus = 8,
	.expect = FINDING_DEADLOCK,
	.est_steps = 2000,
	.defaults = pnmi_off,
	.setup = scn_setup,
	.cpu_main = pause_no_nmi_main,
	.check = pause_check,
	.teardown = scn_teardown,
};
SCENARIO_REGISTER(scn_smp_pause_no_nmi)

static const struct scenario scn_smp_stop_machine = {
	.name = "smp-stop-machine",
	.summary = "stop_machine(): every CPU parked in its stopper with IRQs off while the "
		   "function runs",
	.default_cpus = 8,
	.expect = -1,
	.est_steps = 6000,
	.setup = scn_setup,
	.cpu_main = stop_machine_main,
	.check = stop_machine_check,
	.teardown = scn_teardown,
};
SCENARIO_REGISTER(scn_smp_stop_machine)

/* ---- a barrier Linux has, left out: found under --memory arm (docs/memmodel.md) ---------- */

static const char *const arm_pnmi_on[] = {"pseudo_nmi=1", "memory=arm", NULL};
static const char *const arm_only[] = {"memory=arm", NULL};

static const struct scenario scn_smp_pause_no_barrier = {
	.name = "smp-pause-no-barrier",
	.summary = "pause rounds whose update is not ordered before cpu_paused is cleared: a "
		   "resumed CPU still sees the update in progress (--memory arm)",
	.default_cpus = 4,
	.expect = FINDING_ASSERTION,
	.est_steps = 2000,
	.defaults = arm_pnmi_on,
	.setup = scn_setup,
	.cpu_main = pause_no_barrier_main,
	.check = pause_check,
	.teardown = scn_teardown,
};
SCENARIO_REGISTER(scn_smp_pause_no_barrier)

static const struct scenario scn_smp_stop_machine_no_wmb = {
	.name = "smp-stop-machine-no-wmb",
	.summary = "stop_machine() without set_state()'s smp_wmb(): a CPU acks the new state "
		   "before the ack counter is reset, and the count never ends (--memory arm)",
	.default_cpus = 4,
	.expect = FINDING_DEADLOCK,
	.est_steps = 3000,
	.defaults = arm_only,
	.setup = scn_setup_no_wmb,
	.cpu_main = stop_machine_main,
	.check = stop_machine_check,
	.teardown = scn_teardown,
};
SCENARIO_REGISTER(scn_smp_stop_machine_no_wmb)

static const struct scenario scn_smp_stop_machine_relaxed_ack = {
	.name = "smp-stop-machine-relaxed-ack",
	.summary = "stop_machine() whose acks are relaxed (LDADD, not atomic_dec_and_test()'s "
		   "LDADDAL): a CPU leaves the machine still seeing the function's critical "
		   "section (--memory arm)",
	.default_cpus = 4,
	.expect = FINDING_ASSERTION,
	.est_steps = 500, /* its length: PCT's change points fall inside the run */
	.defaults = arm_only,
	.setup = scn_setup_relaxed_ack,
	.cpu_main = stop_machine_main,
	.check = stop_machine_check,
	.teardown = scn_teardown,
};
SCENARIO_REGISTER(scn_smp_stop_machine_relaxed_ack)
