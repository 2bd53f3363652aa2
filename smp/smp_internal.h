/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * smp_internal: what the files of smp/ share and nobody else may use. The
 * addresses below are the kernel's link-time symbols (constants); the
 * values behind them live in simulated memory.
 */
#ifndef BBMSIM_SMP_INTERNAL_H
#define BBMSIM_SMP_INTERNAL_H

#include "smp/smp.h"

#define SMP_PERCPU_STRIDE 64 /* one cache line per CPU */
#define PCPU_NEED_RESCHED 0  /* u32: TIF_NEED_RESCHED of the running task */
#define PCPU_STOPPER_WORK 8  /* u64: 1 = multi_cpu_stop queued on this CPU's stopper */

/* stop_in_progress bits (series v2 turns smp_send_stop's flag into these) */
#define SEND_STOP  0
#define CRASH_STOP 1

#define HARDIRQ_OFFSET (1u << 16)

/* Per-CPU host state: only what the PE itself holds, read only by that CPU. */
struct smp_cpu {
	uint32_t daif;		/* PSTATE.DAIF (PSR_I_BIT) */
	unsigned preempt_count; /* incl. HARDIRQ_OFFSET per nested exception */
	/* instrumentation, read by host-side checks only */
	uint64_t ipi_count[GIC_NR_SGI];
	uint64_t paused_rounds;
	uint32_t stop_acked;
	bool stop_irqs_off_at_run;
};

struct smp {
	struct smp_config cfg;
	unsigned ncpus;
	uint64_t num_online;	   /* __num_online_cpus, u32 */
	uint64_t online_mask;	   /* cpu_online_mask, u64 words */
	uint64_t logical_map;	   /* __cpu_logical_map[], u64 MPIDR per CPU */
	uint64_t percpu;	   /* per-CPU lines, SMP_PERCPU_STRIDE each */
	uint64_t stop_in_progress; /* u64 */
	/* pause (series v2) */
	uint64_t pause_lock, cpu_paused, nr_cpus_paused;
	/* stop_machine */
	uint64_t stop_cpus_mutex, ms_state, ms_thread_ack, ms_num_threads, stop_nr_todo;
	cpu_stop_fn_t ms_fn; /* msdata->fn/data: set before the state is published */
	void *ms_arg;
	int ms_ret;
	uint32_t test_sgis;	   /* SGIs 8-15 a scenario enabled */
	smp_ipi_fn ipi_fn[NR_IPI]; /* a scenario's work for call-function/irq-work IPIs */
	void *ipi_arg[NR_IPI];
	struct smp_cpu *cpus;
};

static inline struct smp *smp_of(struct sim_cpu *cpu)
{
	return cpu->sim->smp;
}

static inline uint64_t smp_percpu(struct sim_cpu *cpu, unsigned target, unsigned off)
{
	return smp_of(cpu)->percpu + (uint64_t)target * SMP_PERCPU_STRIDE + off;
}

/* Host-context access to kernel data (checks, set-up). */
uint64_t smp_kread(struct sim *sim, uint64_t addr, unsigned size);
void smp_kwrite(struct sim *sim, uint64_t addr, unsigned size, uint64_t val);

/* Exception entry from the engine; IPI dispatch (ipi.c); the stopper (stop_machine.c). */
void do_handle_IPI(struct sim_cpu *cpu, unsigned ipinr);
void cpu_stopper_run(struct sim_cpu *cpu);
int smp_stop_setup(struct sim *sim);

#endif
