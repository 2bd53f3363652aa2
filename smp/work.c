// SPDX-License-Identifier: GPL-2.0-only
/*
 * CPU work loops for scenarios: busy with IRQs on, idle in WFI, sections
 * with IRQs off; and the end of a workload, which lets no CPU finish while
 * an IPI could still be sent to it (else it would be "lost" for nothing).
 */
#include "smp/smp_internal.h"

#include "sim/cpu.h"

#define SMP_WORK_STEPS 32

void smp_workload_init(struct sim *sim, struct smp_workload *w)
{
	w->done = sim_kdata_alloc(sim, 64, 64);
	w->quiesced = sim_kdata_alloc(sim, 64, 64);
	w->critical = sim_kdata_alloc(sim, 64, 64);
	w->scratch = sim_kdata_alloc(sim, (uint64_t)sim->ncpus * 64, 64);
}

/* Normal code must never run while another CPU claims to have parked us all. */
static void check_not_critical(struct sim_cpu *cpu, struct smp_workload *w)
{
	if (cpu_load(cpu, w->critical, 4))
		sim_report(cpu->sim, cpu, FINDING_ASSERTION, w->critical, 0,
			   "no CPU runs normal code while another has them all parked",
			   "cpu%u ran normal code inside another CPU's critical section", cpu->id);
}

static void work_step(struct sim_cpu *cpu, struct smp_workload *w)
{
	uint64_t a = w->scratch + cpu->id * 64ull;

	check_not_critical(cpu, w);
	cpu_store64(cpu, a, cpu_load64(cpu, a) + 1);
	sim_tick(cpu, COST_insn);
}

static bool is_done(struct sim_cpu *cpu, struct smp_workload *w)
{
	return cpu_load(cpu, w->done, 4) != 0;
}

/*
 * Busy loops are bounded, then wait (IRQs on) for the end: a loop that
 * never blocks would let a priority scheduler (PCT) starve every other CPU.
 */
static void wait_done(struct sim_cpu *cpu, struct smp_workload *w)
{
	cpu_spin_while(cpu, w->done, 4, 0xffffffff, 0, "done");
}

void smp_work_busy(struct sim_cpu *cpu, struct smp_workload *w)
{
	for (unsigned i = 0; i < SMP_WORK_STEPS && !is_done(cpu, w); i++)
		work_step(cpu, w);
	wait_done(cpu, w);
}

/* WFI: wakes when the interface signals, whatever PSTATE.I says. */
static void wfi(struct sim_cpu *cpu)
{
	sim_yield(cpu);
	if (!cpu->irq_line)
		sim_wait(cpu, 0, 0, true, "wfi");
	sim_wait_done(cpu);
}

/* cpu_do_idle(): with pseudo-NMI, PSTATE.I masks and the PMR lets IRQs wake us. */
static void cpu_do_idle(struct sim_cpu *cpu)
{
	struct smp_cpu *pc = cpu->smp;
	uint32_t daif = pc->daif;

	if (system_uses_irq_prio_masking(cpu->sim)) {
		uint64_t pmr = icc_read_pmr(cpu);

		pc->daif |= PSR_I_BIT;
		icc_write_pmr(cpu, GIC_PRIO_IRQON);
		smp_dsb_ishst(cpu);
		wfi(cpu);
		icc_write_pmr(cpu, pmr);
		pc->daif = daif;
		return;
	}
	smp_dsb_ishst(cpu);
	wfi(cpu);
}

/*
 * do_idle(). The end of the workload is read with IRQs off, once per
 * wake-up: an IPI after the read stays pending and ends the WFI, while one
 * taken with IRQs on could have its wake-up consumed (need_resched cleared
 * at IRQ exit) before we slept.
 */
void smp_work_idle(struct sim_cpu *cpu, struct smp_workload *w)
{
	for (;;) {
		local_irq_disable(cpu);
		if (is_done(cpu, w))
			break;
		if (!cpu_load(cpu, smp_percpu(cpu, cpu->id, PCPU_NEED_RESCHED), 4))
			cpu_do_idle(cpu);
		local_irq_enable(cpu); /* the interrupt that woke us is taken here */
		smp_schedule(cpu);
	}
	local_irq_enable(cpu);
}

void smp_work_irqs_off(struct sim_cpu *cpu, struct smp_workload *w, unsigned iters)
{
	unsigned long flags = local_irq_save(cpu);

	for (unsigned i = 0; i < iters; i++)
		work_step(cpu, w);
	local_irq_restore(cpu, flags);
}

void smp_work_irqs_off_until(struct sim_cpu *cpu, struct smp_workload *w, uint64_t flag)
{
	unsigned long flags = local_irq_save(cpu);

	check_not_critical(cpu, w);
	cpu_spin_while(cpu, flag, 4, 0xffffffff, 0, "flag, IRQs off");
	check_not_critical(cpu, w);
	local_irq_restore(cpu, flags);
}

void smp_work_finish(struct sim_cpu *cpu, struct smp_workload *w)
{
	struct cpumask others;

	cpu_store(cpu, w->done, 4, 1);
	/* wake_up_all_idle_cpus(), in one go */
	cpu_online_mask(cpu, &others);
	cpumask_clear_cpu(cpu->id, &others);
	if (cpumask_weight(&others))
		smp_cross_call(cpu, &others, IPI_RESCHEDULE);
	cpu_store(cpu, w->quiesced, 4, 1);
	cpu_memory_flush(cpu, true); /* before its program ends (--memory arm) */
}

void smp_work_exit(struct sim_cpu *cpu, struct smp_workload *w)
{
	local_irq_enable(cpu);
	cpu_spin_while(cpu, w->quiesced, 4, 0xffffffff, 0, "quiesced");
	/* Its last stores go out while it can still take an interrupt (--memory arm). */
	cpu_memory_flush(cpu, true);
	/* Every IPI sent to us is pending by now: take it before we go. */
	sim_yield(cpu);
}

void smp_work_mixed(struct sim_cpu *cpu, struct smp_workload *w)
{
	switch (cpu->id % 3) {
	case 0:
		smp_work_busy(cpu, w);
		break;
	case 1:
		smp_work_idle(cpu, w);
		break;
	default:
		for (unsigned i = 0; i < SMP_WORK_STEPS / 4 && !is_done(cpu, w); i++) {
			smp_work_irqs_off(cpu, w, 4);
			work_step(cpu, w);
		}
		wait_done(cpu, w);
		break;
	}
}
