/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smp: the kernel's SMP layer on the simulated machine, after Linux 6.12
 * (arch/arm64/kernel/smp.c, entry-common.c, drivers/irqchip/irq-gic-v3.c,
 * kernel/stop_machine.c) and the HVO series v2 (pause_remote_cpus).
 *
 * Contract: smp_setup() (host context, from a scenario's setup) creates the
 * GIC, boots every CPU's interface the way gic_cpu_init() does (SGIs 0-7
 * are Linux's IPIs, Group 1, priority 0xc0 or 0x80 for NMIs, EOImode 1 as
 * when booted at EL2) and installs hooks.take_irq. All state another CPU
 * may read or write (online mask, logical map, locks, flags, counters,
 * stopper work) lives in simulated memory from sim_kdata_alloc() and is
 * touched only through cpu_*() accessors; per-CPU host state holds only
 * what the PE itself has (PSTATE.DAIF, preempt count). Every function taking
 * a struct sim_cpu runs on that CPU, as its program.
 *
 * IRQ masking: without pseudo-NMI, PSTATE.I. With pseudo-NMI (option
 * pseudo_nmi), the PMR: 0xe0 unmasked, 0xc0 "IRQs off"; NMIs have priority
 * 0x80 and still arrive (include/linux/irqchip/arm-gic-v3-prio.h).
 */
#ifndef BBMSIM_SMP_H
#define BBMSIM_SMP_H

#include "gic/gic.h"
#include "sim/sim.h"

#include <stdbool.h>
#include <stdint.h>

/* This layer's costs (costs.def): COST_name ids into struct sim_costs. */
#define SIM_COST SIM_COST_DECLARE
#include "costs.def"
#undef SIM_COST

/* ---- priorities (arm-gic-v3-prio.h, asm/ptrace.h) ----------------------------------- */

#define GICV3_PRIO_UNMASKED  0xe0
#define GICV3_PRIO_IRQ	     0xc0
#define GICV3_PRIO_NMI	     0x80
#define GICV3_PRIO_PSR_I_SET (1 << 4)
#define GIC_PRIO_IRQON	     GICV3_PRIO_UNMASKED
#define GIC_PRIO_IRQOFF	     GICV3_PRIO_IRQ

#define PSR_I_BIT (1u << 7) /* PSTATE.DAIF.I as in SPSR */

/* ---- cpumasks: a kernel value on a CPU's stack or in its registers ------------------- */

#define CPUMASK_WORDS (SIM_MAX_CPUS / 64)

struct cpumask {
	uint64_t bits[CPUMASK_WORDS];
};

static inline void cpumask_clear(struct cpumask *m)
{
	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		m->bits[i] = 0;
}

static inline void cpumask_set_cpu(unsigned cpu, struct cpumask *m)
{
	m->bits[cpu / 64] |= 1ull << (cpu % 64);
}

static inline void cpumask_clear_cpu(unsigned cpu, struct cpumask *m)
{
	m->bits[cpu / 64] &= ~(1ull << (cpu % 64));
}

static inline bool cpumask_test_cpu(unsigned cpu, const struct cpumask *m)
{
	return (m->bits[cpu / 64] >> (cpu % 64)) & 1;
}

static inline unsigned cpumask_weight(const struct cpumask *m)
{
	unsigned n = 0;

	for (unsigned i = 0; i < CPUMASK_WORDS; i++)
		n += (unsigned)__builtin_popcountll(m->bits[i]);
	return n;
}

/* ---- IPIs (arch/arm64/kernel/smp.c) ---------------------------------------------------- */

enum ipi_msg_type {
	IPI_RESCHEDULE,
	IPI_CALL_FUNC,
	IPI_CPU_STOP,
	IPI_CPU_STOP_NMI,
	IPI_TIMER,
	IPI_IRQ_WORK,
	NR_IPI,
	IPI_CPU_BACKTRACE = NR_IPI,
	IPI_KGDB_ROUNDUP,
	MAX_IPI
};

/* The series' v2 sends the pause as IPI_CPU_STOP_NMI while no stop is in progress. */
#define IPI_CPU_PAUSE IPI_CPU_STOP_NMI

/* ---- set-up (host context) -------------------------------------------------------------- */

struct smp_config {
	bool pseudo_nmi;    /* irqchip.gicv3_pseudo_nmi=1 */
	bool sgi_broadcast; /* series patch 3: IRM=1 for "all but self" */
	bool eoimode1;	    /* ICC_CTLR_EL1.EOImode (Linux at EL2: true) */
	unsigned cluster_size;
	/*
	 * A barrier Linux has, left out (the negative scenarios of
	 * docs/memmodel.md): SMP_OMIT_STOP_WMB drops set_state()'s smp_wmb();
	 * SMP_OMIT_ACK_ORDER makes ack_state()'s atomic_dec_and_test() a
	 * relaxed LDADD (atomic_fetch_dec_relaxed()).
	 */
	unsigned omit;
};

enum { SMP_OMIT_STOP_WMB = 1u << 0, SMP_OMIT_ACK_ORDER = 1u << 1 };

/* From the run's options: pseudo_nmi, cluster_size; broadcast and EOImode 1 on. */
void smp_config_default(struct sim *sim, struct smp_config *cfg);
int smp_setup(struct sim *sim, const struct smp_config *cfg, char *err, size_t errlen);
void smp_teardown(struct sim *sim);
/* The layer's view for a finding: each CPU's PSTATE.I, PMR, RPR, pending. */
void smp_describe(struct sim *sim, struct sim_cpu *cpu, char *buf, size_t len);

/* ---- IRQ flags (asm/irqflags.h) ----------------------------------------------------------- */

unsigned long local_irq_save(struct sim_cpu *cpu);
void local_irq_restore(struct sim_cpu *cpu, unsigned long flags);
void local_irq_disable(struct sim_cpu *cpu);
void local_irq_enable(struct sim_cpu *cpu);
bool irqs_disabled(struct sim_cpu *cpu);
bool system_uses_irq_prio_masking(struct sim *sim);
void preempt_disable(struct sim_cpu *cpu);
void preempt_enable(struct sim_cpu *cpu);

/* Barriers: sim/arm/mmu.h's; DSB ISHST works without an MMU installed too. */
void smp_dsb_ishst(struct sim_cpu *cpu);
void smp_isb(struct sim_cpu *cpu);

/* ---- kernel data ---------------------------------------------------------------------------- */

unsigned num_online_cpus(struct sim_cpu *cpu);
void cpu_online_mask(struct sim_cpu *cpu, struct cpumask *m);

/* raw spinlock (a ticket lock in simulated memory: owner u16 at +0, next u16 at +2) */
uint64_t raw_spin_lock_alloc(struct sim *sim);
void raw_spin_lock(struct sim_cpu *cpu, uint64_t lock);
void raw_spin_unlock(struct sim_cpu *cpu, uint64_t lock);

/* ---- IPIs ---------------------------------------------------------------------------------- */

/* irq-gic-v3.c: DSB ISHST, one ICC_SGI1R_EL1 write per cluster (or IRM=1), ISB. */
void gic_ipi_send_mask(struct sim_cpu *cpu, const struct cpumask *mask, unsigned sgi);
void smp_cross_call(struct sim_cpu *cpu, const struct cpumask *mask, enum ipi_msg_type ipi);
void smp_send_reschedule(struct sim_cpu *cpu, unsigned target);
bool ipi_should_be_nmi(struct sim *sim, enum ipi_msg_type ipi);
/*
 * What a call-function or irq-work IPI does on the CPU that takes it (in
 * IRQ context): a scenario's stand-in for smp_call_function() callbacks and
 * irq_work. Host context; NULL restores "counted only".
 */
typedef void (*smp_ipi_fn)(struct sim_cpu *cpu, void *arg);
void smp_set_ipi_handler(struct sim *sim, enum ipi_msg_type ipi, smp_ipi_fn fn, void *arg);
/* IPIs of @ipi handled by @cpu so far (host context). */
uint64_t smp_ipi_count(struct sim *sim, unsigned cpu, unsigned ipi);
/* SGIs other than Linux's (8-15) taken by @cpu: a scenario can enable and count them. */
void smp_enable_test_sgi(struct sim *sim, unsigned sgi, uint8_t prio);

/* ---- pause (series v2, patch 4) ---------------------------------------------------------- */

/*
 * With IRQs off: pauses every other online CPU in its pause IPI handler.
 * Refuses (-EOPNOTSUPP) without pseudo-NMI: a CPU spinning with IRQs masked
 * would never answer. __pause_remote_cpus() skips that check (scenarios).
 */
int pause_remote_cpus(struct sim_cpu *cpu);
void __pause_remote_cpus(struct sim_cpu *cpu);
void resume_remote_cpus(struct sim_cpu *cpu);
/* Rounds paused by the pause handler so far on @cpu (host context). */
uint64_t smp_paused_rounds(struct sim *sim, unsigned cpu);

/* ---- stop_machine (kernel/stop_machine.c) ------------------------------------------------ */

enum multi_stop_state {
	MULTI_STOP_NONE,
	MULTI_STOP_PREPARE,
	MULTI_STOP_DISABLE_IRQ,
	MULTI_STOP_RUN,
	MULTI_STOP_EXIT,
};

typedef int (*cpu_stop_fn_t)(struct sim_cpu *cpu, void *arg);

/*
 * Runs @fn on one CPU (the first online) while every other online CPU spins
 * in its stopper with IRQs off; returns @fn's result. Remote stoppers start
 * when their CPU next schedules: at IRQ exit to a preemptible context, or
 * in the idle loop.
 */
int stop_machine(struct sim_cpu *cpu, cpu_stop_fn_t fn, void *arg);
/* The states @cpu acknowledged in its last multi_cpu_stop, a bit per state. */
uint32_t smp_stop_acked(struct sim *sim, unsigned cpu);
/* Whether @cpu had IRQs disabled when it acknowledged MULTI_STOP_RUN. */
bool smp_stop_irqs_off_at_run(struct sim *sim, unsigned cpu);

/* A scheduling point (cond_resched/schedule): runs queued stopper work. */
void smp_schedule(struct sim_cpu *cpu);

/* ---- CPU work loops for scenarios (smp/work.c) ------------------------------------------------ */

/*
 * The shared words of a workload: "done" ends the loops, "quiesced" says no
 * IPI will be sent any more (so a CPU may finish), "critical" is set by a
 * CPU that claims every other CPU is parked (pause or stop_machine): a work
 * loop that reads it as set reports an assertion.
 */
struct smp_workload {
	uint64_t done, quiesced, critical;
	uint64_t scratch; /* a page of per-CPU work words */
};

void smp_workload_init(struct sim *sim, struct smp_workload *w);
/* Busy in normal context, IRQs on, for a while; then waits for done, IRQs on. */
void smp_work_busy(struct sim_cpu *cpu, struct smp_workload *w);
/* Idle: WFI with IRQs masked, wake, take interrupts, until done. */
void smp_work_idle(struct sim_cpu *cpu, struct smp_workload *w);
/* @iters steps of work with IRQs off, then IRQs back on. */
void smp_work_irqs_off(struct sim_cpu *cpu, struct smp_workload *w, unsigned iters);
/* IRQs off until the word at @flag is non-zero (an NMI can still come). */
void smp_work_irqs_off_until(struct sim_cpu *cpu, struct smp_workload *w, uint64_t flag);
/* The driver ends the workload: done, wake every other CPU, quiesced. */
void smp_work_finish(struct sim_cpu *cpu, struct smp_workload *w);
/* Every other CPU's exit: IRQs on, wait for quiesced, take what is pending. */
void smp_work_exit(struct sim_cpu *cpu, struct smp_workload *w);
/* One of busy/idle/irqs-off-sections by @cpu's id, for mixed machines. */
void smp_work_mixed(struct sim_cpu *cpu, struct smp_workload *w);

/*
 * Run end (host context, from a scenario's check): an SGI pending on a CPU
 * whose PSTATE.I and PMR would let it be taken is a lost interrupt.
 */
void smp_check_lost_interrupts(struct sim *sim);

#endif
