// SPDX-License-Identifier: GPL-2.0-only
/*
 * IPIs: gic_ipi_send_mask() as in irq-gic-v3.c with the series' SGI
 * broadcast (patch 3), the arm64 IPI handler, and pause/resume of remote
 * CPUs as in the series' v2 (patch 4).
 */
#include "smp/smp_internal.h"

#include "sim/cpu.h"

#include <errno.h>
#include <glib.h>

#define MPIDR_TO_SGI_CLUSTER_ID(m) ((m) & ~0xfull)
#define MPIDR_TO_SGI_RS(m)	   ((((m)&0xf0ull) >> 4) << ICC_SGI1R_RS_SHIFT)

/* gic_cpu_to_affinity(): cpu_logical_map(cpu), a load */
static uint64_t gic_cpu_to_affinity(struct sim_cpu *cpu, unsigned target)
{
	return cpu_load64(cpu, smp_of(cpu)->logical_map + target * 8ull);
}

static void gic_send_sgi(struct sim_cpu *cpu, uint64_t cluster_id, uint16_t tlist, unsigned irq)
{
	uint64_t val = ((uint64_t)MPIDR_AFF3(cluster_id) << ICC_SGI1R_AFF3_SHIFT) |
		       ((uint64_t)MPIDR_AFF2(cluster_id) << ICC_SGI1R_AFF2_SHIFT) |
		       ((uint64_t)irq << ICC_SGI1R_SGI_ID_SHIFT) |
		       ((uint64_t)MPIDR_AFF1(cluster_id) << ICC_SGI1R_AFF1_SHIFT) |
		       MPIDR_TO_SGI_RS(cluster_id) | tlist;

	icc_write_sgi1r(cpu, val);
}

static void gic_broadcast_sgi(struct sim_cpu *cpu, unsigned irq)
{
	icc_write_sgi1r(cpu,
			(1ull << ICC_SGI1R_IRM_BIT) | ((uint64_t)irq << ICC_SGI1R_SGI_ID_SHIFT));
}

static int next_cpu(const struct cpumask *m, int cpu, unsigned ncpus)
{
	for (unsigned i = (unsigned)(cpu + 1); i < ncpus; i++)
		if (cpumask_test_cpu(i, m))
			return (int)i;
	return (int)ncpus;
}

void gic_ipi_send_mask(struct sim_cpu *cpu, const struct cpumask *mask, unsigned sgi)
{
	struct smp *s = smp_of(cpu);
	int ncpus = (int)s->ncpus;
	bool self = cpumask_test_cpu(cpu->id, mask);

	g_assert(sgi < GIC_NR_SGI);
	/* Targets must see our earlier stores once they take the SGI. */
	smp_dsb_ishst(cpu);

	if (s->cfg.sgi_broadcast && cpumask_weight(mask) + !self == num_online_cpus(cpu)) {
		gic_broadcast_sgi(cpu, sgi);
		if (self) {
			uint64_t mpidr = gic_cpu_to_affinity(cpu, cpu->id);

			gic_send_sgi(cpu, MPIDR_TO_SGI_CLUSTER_ID(mpidr), 1u << (mpidr & 0xf), sgi);
		}
		goto done;
	}

	/* One write per cluster: the run of CPUs sharing Aff3.Aff2.Aff1 and Aff0[7:4]. */
	for (int c = next_cpu(mask, -1, (unsigned)ncpus); c < ncpus;) {
		uint64_t mpidr = gic_cpu_to_affinity(cpu, (unsigned)c);
		uint64_t cluster_id = MPIDR_TO_SGI_CLUSTER_ID(mpidr);
		uint16_t tlist = 0;

		for (;;) {
			tlist |= (uint16_t)(1u << (mpidr & 0xf));
			c = next_cpu(mask, c, (unsigned)ncpus);
			if (c >= ncpus)
				break;
			mpidr = gic_cpu_to_affinity(cpu, (unsigned)c);
			if (MPIDR_TO_SGI_CLUSTER_ID(mpidr) != cluster_id)
				break;
		}
		gic_send_sgi(cpu, cluster_id, tlist, sgi);
	}
done:
	/* Force the writes to ICC_SGI1R_EL1 to be executed. */
	smp_isb(cpu);
}

void smp_cross_call(struct sim_cpu *cpu, const struct cpumask *mask, enum ipi_msg_type ipi)
{
	gic_ipi_send_mask(cpu, mask, ipi); /* ipi_irq_base is SGI 0 */
}

void smp_send_reschedule(struct sim_cpu *cpu, unsigned target)
{
	struct cpumask m;

	/*
	 * resched_curr(): mark the remote task, then poke its CPU. Done
	 * under the remote runqueue's lock: its unlock is the release.
	 */
	cpu_store_release(cpu, smp_percpu(cpu, target, PCPU_NEED_RESCHED), 4, 1);
	cpumask_clear(&m);
	cpumask_set_cpu(target, &m);
	smp_cross_call(cpu, &m, IPI_RESCHEDULE);
}

uint64_t smp_ipi_count(struct sim *sim, unsigned cpu, unsigned ipi)
{
	g_assert(ipi < GIC_NR_SGI);
	return ((struct smp *)sim->smp)->cpus[cpu].ipi_count[ipi];
}

/* ---- pause (series v2) --------------------------------------------------------------------- */

static void pause_local_cpu(struct sim_cpu *cpu)
{
	struct smp *s = smp_of(cpu);
	uint64_t t0 = cpu->clock;

	/* atomic_inc()/atomic_dec(): STADD, no ordering (atomic_lse.h) */
	cpu_rmw(cpu, CPU_RMW_ADD | CPU_RMW_NORET, s->nr_cpus_paused, 4, 0, 1, CPU_PLAIN, 0, 0);
	cpu_spin_until(cpu, s->cpu_paused, 1, 0xff, 0, "cpu_paused");
	cpu_rmw(cpu, CPU_RMW_ADD | CPU_RMW_NORET, s->nr_cpus_paused, 4, 0, (uint32_t)-1, CPU_PLAIN,
		0, 0);
	/*
	 * The resumer ordered its changes before clearing cpu_paused; the ISB
	 * keeps this CPU from running ahead on a stale view of them.
	 */
	smp_isb(cpu);
	s->cpus[cpu->id].paused_rounds++;
	sim_span(cpu, "paused", t0);
}

static void warn_on_once(struct sim_cpu *cpu, bool cond, const char *what)
{
	if (cond)
		sim_report(cpu->sim, cpu, FINDING_ASSERTION, 0, 0,
			   "pause_remote_cpus: WARN_ON_ONCE", "%s", what);
}

void __pause_remote_cpus(struct sim_cpu *cpu)
{
	struct smp *s = smp_of(cpu);
	unsigned nr_cpus_to_pause = num_online_cpus(cpu) - 1;
	struct cpumask cpus_to_pause;

	if (!nr_cpus_to_pause)
		return;
	uint64_t t0 = cpu->clock;
	cpu_online_mask(cpu, &cpus_to_pause);
	cpumask_clear_cpu(cpu->id, &cpus_to_pause);

	raw_spin_lock(cpu, s->pause_lock);
	warn_on_once(cpu, cpu_load(cpu, s->cpu_paused, 1), "cpu_paused set on entry");
	warn_on_once(cpu, cpu_load(cpu, s->nr_cpus_paused, 4), "CPUs still paused on entry");
	cpu_store(cpu, s->cpu_paused, 1, 1);
	smp_cross_call(cpu, &cpus_to_pause, IPI_CPU_PAUSE);
	cpu_spin_until(cpu, s->nr_cpus_paused, 4, 0xffffffff, nr_cpus_to_pause, "nr_cpus_paused");
	raw_spin_unlock(cpu, s->pause_lock);
	sim_span(cpu, "pause_remote_cpus", t0);
}

int pause_remote_cpus(struct sim_cpu *cpu)
{
	/* vmemmap_update_supported(): only with pseudo-NMI */
	if (!system_uses_irq_prio_masking(cpu->sim))
		return -EOPNOTSUPP;
	__pause_remote_cpus(cpu);
	return 0;
}

void resume_remote_cpus(struct sim_cpu *cpu)
{
	struct smp *s = smp_of(cpu);

	if (!cpu_load(cpu, s->cpu_paused, 1))
		return;
	uint64_t t0 = cpu->clock;
	raw_spin_lock(cpu, s->pause_lock);
	cpu_store(cpu, s->cpu_paused, 1, 0);
	cpu_spin_until(cpu, s->nr_cpus_paused, 4, 0xffffffff, 0, "nr_cpus_paused == 0");
	raw_spin_unlock(cpu, s->pause_lock);
	sim_span(cpu, "resume_remote_cpus", t0);
}

void smp_set_ipi_handler(struct sim *sim, enum ipi_msg_type ipi, smp_ipi_fn fn, void *arg)
{
	struct smp *s = sim->smp;

	g_assert(ipi == IPI_CALL_FUNC || ipi == IPI_IRQ_WORK);
	s->ipi_fn[ipi] = fn;
	s->ipi_arg[ipi] = arg;
}

uint64_t smp_paused_rounds(struct sim *sim, unsigned cpu)
{
	return ((struct smp *)sim->smp)->cpus[cpu].paused_rounds;
}

/* ---- the handler ------------------------------------------------------------------------------ */

/* local_cpu_stop(): offline and parked for good. */
static void local_cpu_stop(struct sim_cpu *cpu)
{
	struct smp *s = smp_of(cpu);

	local_irq_disable(cpu);
	/*
	 * set_cpu_online(cpu, false): cpumask_test_and_clear_cpu() (fully
	 * ordered), then atomic_dec(&__num_online_cpus) (STADD).
	 */
	cpu_rmw(cpu, CPU_RMW_ANDNOT, s->online_mask + (cpu->id / 64) * 8ull, 8, 0,
		1ull << (cpu->id % 64), CPU_AL, 0, 0);
	cpu_rmw(cpu, CPU_RMW_ADD | CPU_RMW_NORET, s->num_online, 4, 0, (uint32_t)-1, CPU_PLAIN, 0,
		0);
	for (;;)
		sim_wait(cpu, 0, 0, false, "cpu_park_loop");
}

void do_handle_IPI(struct sim_cpu *cpu, unsigned ipinr)
{
	struct smp *s = smp_of(cpu);

	s->cpus[cpu->id].ipi_count[ipinr]++;
	switch (ipinr) {
	case IPI_RESCHEDULE:
		/* scheduler_ipi(): need_resched is already set; exit does the rest */
		break;
	case IPI_CPU_STOP:
	case IPI_CPU_STOP_NMI:
		if (!(cpu_load64(cpu, s->stop_in_progress) & (1ull << SEND_STOP)))
			pause_local_cpu(cpu);
		else
			local_cpu_stop(cpu);
		break;
	case IPI_CALL_FUNC:
	case IPI_IRQ_WORK:
		if (s->ipi_fn[ipinr]) {
			s->ipi_fn[ipinr](cpu, s->ipi_arg[ipinr]);
			break;
		}
		sim_tick(cpu, COST_insn);
		break;
	case IPI_TIMER:
	case IPI_CPU_BACKTRACE:
	case IPI_KGDB_ROUNDUP:
	default:
		/* counted only: nothing in our scenarios depends on their work */
		sim_tick(cpu, COST_insn);
		break;
	}
}
