// SPDX-License-Identifier: GPL-2.0-only
/*
 * The SMP layer's core: boot-time set-up of the GIC the way Linux's
 * gic_cpu_init() leaves it, IRQ masking in both modes, the IRQ exception
 * (entry, gic_handle_irq, EOI, exit, preemption), barriers, the raw
 * spinlock and the run-end check for lost interrupts.
 */
#include "smp/smp_internal.h"

#include "sim/cpu.h"
#include "sim/arm/mmu.h"
#include "sim/pmem.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>

/* irq-gic-v3.c: PMR left by gic_cpu_sys_reg_init() when priorities do not mask IRQs. */
#define DEFAULT_PMR_VALUE 0xf0

static uint64_t kdata_pa(struct sim *sim, uint64_t addr)
{
	/* kdata handed out after an MMU mapped it is virtual: pa + kdata_offset */
	return addr >= SIM_KDATA_BASE + SIM_KDATA_SIZE ? addr - sim->kdata_offset : addr;
}

uint64_t smp_kread(struct sim *sim, uint64_t addr, unsigned size)
{
	return pmem_read(sim->mem, kdata_pa(sim, addr), size);
}

void smp_kwrite(struct sim *sim, uint64_t addr, unsigned size, uint64_t val)
{
	pmem_write(sim->mem, kdata_pa(sim, addr), size, val);
}

/* ---- set-up ----------------------------------------------------------------------------- */

void smp_config_default(struct sim *sim, struct smp_config *cfg)
{
	*cfg = (struct smp_config){0};
	cfg->pseudo_nmi = sim_opt_bool(&sim->opt, OPT_pseudo_nmi);
	cfg->sgi_broadcast = true;
	cfg->eoimode1 = true;
	cfg->cluster_size = sim_opt_uint(&sim->opt, OPT_cluster_size);
}

static void smp_take_irq(struct sim_cpu *cpu);

static void smp_describe_hook(struct sim *sim, struct sim_cpu *cpu, char *buf, size_t len)
{
	smp_describe(sim, cpu, buf, len);
}

bool ipi_should_be_nmi(struct sim *sim, enum ipi_msg_type ipi)
{
	struct smp *s = sim->smp;

	if (!s->cfg.pseudo_nmi)
		return false;
	switch (ipi) {
	case IPI_CPU_STOP_NMI:
	case IPI_CPU_BACKTRACE:
	case IPI_KGDB_ROUNDUP:
		return true;
	default:
		return false;
	}
}

int smp_setup(struct sim *sim, const struct smp_config *cfg, char *err, size_t errlen)
{
	struct smp *s;
	unsigned words = (sim->ncpus + 63) / 64;

	if (gic_create(sim, cfg->cluster_size, err, errlen))
		return -1;
	s = g_new0(struct smp, 1);
	s->cfg = *cfg;
	s->ncpus = sim->ncpus;
	s->cpus = g_new0(struct smp_cpu, sim->ncpus);
	sim->smp = s;

	s->num_online = sim_kdata_alloc(sim, 8, 64);
	s->online_mask = sim_kdata_alloc(sim, words * 8ull, 64);
	s->logical_map = sim_kdata_alloc(sim, sim->ncpus * 8ull, 64);
	s->percpu = sim_kdata_alloc(sim, (uint64_t)sim->ncpus * SMP_PERCPU_STRIDE, 64);
	s->stop_in_progress = sim_kdata_alloc(sim, 8, 64);
	s->pause_lock = raw_spin_lock_alloc(sim);
	/* __cacheline_aligned_in_smp in the series: each on its own line */
	s->cpu_paused = sim_kdata_alloc(sim, 64, 64);
	s->nr_cpus_paused = sim_kdata_alloc(sim, 64, 64);
	if (smp_stop_setup(sim)) {
		snprintf(err, errlen, "smp: stop_machine set-up failed");
		return -1;
	}

	smp_kwrite(sim, s->num_online, 4, sim->ncpus);
	for (unsigned i = 0; i < sim->ncpus; i++) {
		uint64_t w = s->online_mask + (i / 64) * 8ull;

		smp_kwrite(sim, w, 8, smp_kread(sim, w, 8) | 1ull << (i % 64));
		smp_kwrite(sim, s->logical_map + i * 8ull, 8, gic_mpidr(sim, i));
	}

	/* gic_cpu_init() + ipi_setup() on every CPU, before it runs anything */
	for (unsigned i = 0; i < sim->ncpus; i++) {
		for (unsigned ipi = 0; ipi < MAX_IPI; ipi++) {
			bool nmi = ipi_should_be_nmi(sim, ipi);

			gic_redist_set_group1(sim, i, ipi, true);
			gic_redist_set_priority(sim, i, ipi, nmi ? GICV3_PRIO_NMI : GICV3_PRIO_IRQ);
			gic_redist_enable(sim, i, ipi, true);
		}
		gic_cpuif_write_ctlr(sim, i, cfg->eoimode1 ? ICC_CTLR_EOIMODE : 0);
		gic_cpuif_write_pmr(sim, i, cfg->pseudo_nmi ? GIC_PRIO_IRQON : DEFAULT_PMR_VALUE);
		gic_cpuif_write_igrpen1(sim, i, true);
		sim->cpus[i].smp = &s->cpus[i];
	}
	if (!sim->hooks.take_irq)
		sim->hooks.take_irq = smp_take_irq;
	if (!sim->hooks.describe)
		sim->hooks.describe = smp_describe_hook;
	return 0;
}

void smp_teardown(struct sim *sim)
{
	struct smp *s = sim->smp;

	if (!s)
		return;
	if (sim->hooks.take_irq == smp_take_irq)
		sim->hooks.take_irq = NULL;
	if (sim->hooks.describe == smp_describe_hook)
		sim->hooks.describe = NULL;
	for (unsigned i = 0; i < sim->ncpus; i++)
		sim->cpus[i].smp = NULL;
	g_free(s->cpus);
	g_free(s);
	sim->smp = NULL;
	gic_destroy(sim);
}

void smp_enable_test_sgi(struct sim *sim, unsigned sgi, uint8_t prio)
{
	struct smp *s = sim->smp;

	g_assert(sgi >= MAX_IPI && sgi < GIC_NR_SGI);
	s->test_sgis |= 1u << sgi;
	for (unsigned i = 0; i < sim->ncpus; i++) {
		gic_redist_set_priority(sim, i, sgi, prio);
		gic_redist_enable(sim, i, sgi, true);
	}
}

void smp_describe(struct sim *sim, struct sim_cpu *cpu, char *buf, size_t len)
{
	struct smp *s = sim->smp;
	char line[160];

	if (!s || !cpu || !len)
		return;
	gic_describe_cpu(sim, cpu->id, line, sizeof(line));
	snprintf(buf, len, " [%s I=%d]", line, !!(s->cpus[cpu->id].daif & PSR_I_BIT));
}

/* ---- barriers ----------------------------------------------------------------------------- */

void smp_dsb_ishst(struct sim_cpu *cpu)
{
	if (cpu->mmu) {
		dsb_ishst(cpu); /* the MMU's, which the checker watches */
		return;
	}
	sim_yield(cpu);
	sim_tick(cpu, COST_dsb);
	cpu_barrier(cpu, CPU_DSB_ISHST);
}

void smp_isb(struct sim_cpu *cpu)
{
	isb(cpu);
}

/* ---- IRQ flags ------------------------------------------------------------------------------ */

bool system_uses_irq_prio_masking(struct sim *sim)
{
	return ((struct smp *)sim->smp)->cfg.pseudo_nmi;
}

/* An interrupt that became deliverable is taken right after the unmasking. */
static void irq_check(struct sim_cpu *cpu)
{
	if (cpu->irq_line && !(((struct smp_cpu *)cpu->smp)->daif & PSR_I_BIT))
		sim_yield_local(cpu);
}

unsigned long local_irq_save(struct sim_cpu *cpu)
{
	struct smp_cpu *pc = cpu->smp;
	unsigned long flags;

	if (system_uses_irq_prio_masking(cpu->sim)) {
		flags = icc_read_pmr(cpu);
		icc_write_pmr(cpu, GIC_PRIO_IRQOFF);
		return flags;
	}
	flags = pc->daif;
	sim_tick(cpu, COST_sysreg);
	pc->daif |= PSR_I_BIT;
	return flags;
}

void local_irq_restore(struct sim_cpu *cpu, unsigned long flags)
{
	struct smp_cpu *pc = cpu->smp;

	if (system_uses_irq_prio_masking(cpu->sim)) {
		icc_write_pmr(cpu, flags);
	} else {
		sim_tick(cpu, COST_sysreg);
		pc->daif = (uint32_t)flags;
	}
	irq_check(cpu);
}

void local_irq_disable(struct sim_cpu *cpu)
{
	(void)local_irq_save(cpu);
}

void local_irq_enable(struct sim_cpu *cpu)
{
	if (system_uses_irq_prio_masking(cpu->sim))
		local_irq_restore(cpu, GIC_PRIO_IRQON);
	else
		local_irq_restore(cpu, ((struct smp_cpu *)cpu->smp)->daif & ~PSR_I_BIT);
}

bool irqs_disabled(struct sim_cpu *cpu)
{
	struct smp_cpu *pc = cpu->smp;

	if (pc->daif & PSR_I_BIT)
		return true;
	return system_uses_irq_prio_masking(cpu->sim) &&
	       gic_cpuif_read_pmr(cpu->sim, cpu->id) != GIC_PRIO_IRQON;
}

void preempt_disable(struct sim_cpu *cpu)
{
	((struct smp_cpu *)cpu->smp)->preempt_count++;
}

void preempt_enable(struct sim_cpu *cpu)
{
	struct smp_cpu *pc = cpu->smp;

	g_assert(pc->preempt_count > 0);
	if (--pc->preempt_count == 0 && !irqs_disabled(cpu))
		smp_schedule(cpu);
}

/* ---- the IRQ exception -------------------------------------------------------------------- */

/* handle_percpu_devid_irq() for an IPI, then the chip's EOI. */
static void handle_domain_irq(struct sim_cpu *cpu, uint32_t irqnr)
{
	struct smp *s = smp_of(cpu);

	if (irqnr >= 1020)
		return; /* gic_irqnr_is_special() */
	/* gic_complete_ack(): with EOImode 1 the priority drops before the handler */
	if (s->cfg.eoimode1) {
		icc_write_eoir1(cpu, irqnr);
		smp_isb(cpu);
	}
	if (irqnr < GIC_NR_SGI)
		do_handle_IPI(cpu, irqnr);
	if (s->cfg.eoimode1)
		icc_write_dir(cpu, irqnr); /* gic_eoimode1_eoi_irq() */
	else
		icc_write_eoir1(cpu, irqnr); /* gic_eoi_irq() */
}

static void gic_handle_irq_from_irqson(struct sim_cpu *cpu)
{
	struct smp_cpu *pc = cpu->smp;
	bool pnmi = system_uses_irq_prio_masking(cpu->sim);
	uint32_t irqnr = icc_read_iar1(cpu);
	bool is_nmi = pnmi && icc_read_rpr(cpu) == GICV3_PRIO_NMI;

	if (is_nmi)
		handle_domain_irq(cpu, irqnr);
	if (pnmi) {
		/* gic_pmr_mask_irqs() + gic_arch_enable_irqs(): NMIs may now preempt */
		icc_write_pmr(cpu, GIC_PRIO_IRQOFF);
		pc->daif &= ~PSR_I_BIT;
	}
	if (!is_nmi)
		handle_domain_irq(cpu, irqnr);
}

/* Taken from a context with IRQs masked by the PMR: can only be an NMI. */
static void gic_handle_irq_from_irqsoff(struct sim_cpu *cpu)
{
	uint64_t pmr = icc_read_pmr(cpu);
	uint32_t irqnr;

	/* Entry opened the PMR; narrow it so that only an NMI is acknowledged. */
	icc_write_pmr(cpu, GIC_PRIO_IRQOFF);
	smp_isb(cpu);
	irqnr = icc_read_iar1(cpu);
	icc_write_pmr(cpu, pmr);
	handle_domain_irq(cpu, irqnr);
}

static void el1_interrupt(struct sim_cpu *cpu)
{
	struct smp_cpu *pc = cpu->smp;
	bool pnmi = system_uses_irq_prio_masking(cpu->sim);
	uint32_t saved_daif = pc->daif;
	uint64_t saved_pmr = 0, start;

	/* Exception entry: the PE masks IRQs; not before the interrupt got here. */
	gic_cpu_sync_arrival(cpu);
	cpu_barrier(cpu, CPU_EXC_ENTRY);
	start = cpu->clock;
	pc->daif |= PSR_I_BIT;
	sim_tick(cpu, COST_irq_entry);
	if (pnmi) {
		/* kernel_entry saves the PMR and lets PSTATE.I do the masking */
		saved_pmr = icc_read_pmr(cpu);
		icc_write_pmr(cpu, GIC_PRIO_IRQON | GICV3_PRIO_PSR_I_SET);
	}
	pc->preempt_count += HARDIRQ_OFFSET;

	if (pnmi && saved_pmr != GIC_PRIO_IRQON)
		gic_handle_irq_from_irqsoff(cpu);
	else
		gic_handle_irq_from_irqson(cpu);

	pc->preempt_count -= HARDIRQ_OFFSET;
	/*
	 * arm64_preempt_schedule_irq(), before the exception return: it looks
	 * at need_resched with IRQs still masked, so a flood of interrupts
	 * cannot nest handler upon handler here.
	 */
	bool preemptible = !(saved_daif & PSR_I_BIT) && (!pnmi || saved_pmr == GIC_PRIO_IRQON);
	if (pc->preempt_count == 0 && preemptible)
		smp_schedule(cpu);
	/* Exception return: PMR and PSTATE as they were. */
	pc->daif |= PSR_I_BIT;
	if (pnmi)
		icc_write_pmr(cpu, saved_pmr);
	sim_tick(cpu, COST_irq_exit);
	pc->daif = saved_daif;
	sim_span(cpu, "irq", start);
}

static void smp_take_irq(struct sim_cpu *cpu)
{
	struct smp_cpu *pc = cpu->smp;

	/*
	 * PSTATE.I: the PE does not take it. Otherwise it does, and after the
	 * exception return takes the next one still signalled at once, before
	 * the interrupted code runs on.
	 */
	while (pc && !(pc->daif & PSR_I_BIT) && cpu->irq_line)
		el1_interrupt(cpu);
}

/* ---- kernel data ---------------------------------------------------------------------------- */

unsigned num_online_cpus(struct sim_cpu *cpu)
{
	return (unsigned)cpu_load(cpu, smp_of(cpu)->num_online, 4);
}

void cpu_online_mask(struct sim_cpu *cpu, struct cpumask *m)
{
	struct smp *s = smp_of(cpu);

	cpumask_clear(m);
	for (unsigned i = 0; i < (s->ncpus + 63) / 64; i++)
		m->bits[i] = cpu_load64(cpu, s->online_mask + i * 8ull);
}

uint64_t raw_spin_lock_alloc(struct sim *sim)
{
	return sim_kdata_alloc(sim, 64, 64);
}

/*
 * A ticket lock as arm64's LSE one was (arch_spin_lock: LDADDA on the next
 * ticket, LDAXRH while waiting; arch_spin_unlock: STADDLH on the owner):
 * acquire on the way in, release on the way out, as Linux's qspinlock is.
 */
void raw_spin_lock(struct sim_cpu *cpu, uint64_t lock)
{
	uint64_t ticket = cpu_rmw(cpu, CPU_RMW_ADD, lock + 2, 2, 0, 1, CPU_ACQ, 0, 0) & 0xffff;

	cpu_spin_until_acquire(cpu, lock, 2, 0xffff, ticket, "raw_spin_lock");
}

void raw_spin_unlock(struct sim_cpu *cpu, uint64_t lock)
{
	cpu_rmw(cpu, CPU_RMW_ADD | CPU_RMW_NORET, lock, 2, 0, 1, CPU_REL, 0, 0);
}

/* ---- run end ----------------------------------------------------------------------------------- */

void smp_check_lost_interrupts(struct sim *sim)
{
	struct smp *s = sim->smp;

	for (unsigned i = 0; i < sim->ncpus; i++) {
		uint32_t pend = gic_pending_enabled(sim, i);
		uint64_t pmr = gic_cpuif_read_pmr(sim, i), rpr = gic_cpuif_read_rpr(sim, i);

		if (s->cpus[i].daif & PSR_I_BIT)
			continue;
		while (pend) {
			unsigned n = (unsigned)__builtin_ctz(pend);
			uint8_t prio = gic_priority(sim, i, n);

			pend &= pend - 1;
			if (prio >= pmr || prio >= rpr || gic_active(sim, i, n))
				continue;
			sim_report(sim, NULL, FINDING_LOST_INTERRUPT, 0, 0,
				   "a deliverable pending SGI is taken",
				   "cpu%u ended with SGI %u pending (priority %#x, PMR %#" PRIx64
				   ") and IRQs unmasked",
				   i, n, prio, pmr);
		}
	}
}
