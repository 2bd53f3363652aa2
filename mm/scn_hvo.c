// SPDX-License-Identifier: GPL-2.0-only
/*
 * HVO scenarios: CPU 0 runs the kernel's HVO work on huge pages prepared at
 * boot while every other CPU reads their struct pages the way PFN walkers
 * do (compound_head() with fake-head handling, flags, a speculative
 * refcount under RCU), some with IRQs off, some idle and taking interrupts.
 * --strategy picks how the vmemmap entries change; the checker judges.
 *
 * The run ends with exact accounting: vmemmap pages freed and allocated,
 * PMDs split, folios back to unoptimised, and no page lost.
 */
#include "mm_internal.h"
#include "sim/arm/checker.h"
#include "sim/scenario.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>

enum hvo_job {
	JOB_2M,
	JOB_1G,
	JOB_DEMOTE,
	JOB_2M_A_IRQ,
	JOB_2M_LOCKER,
	JOB_2M_HAMMER,
	JOB_2M_AF_STORM
};

struct scn_hvo {
	enum hvo_job job;
	uint64_t sender_done; /* JOB_2M_A_IRQ: the IPI sender has stopped */
	struct smp_workload w;
	struct folio_list boot; /* the pool prepared at boot */
	const struct hstate *h;
	uint64_t first_pfn, nr_pages; /* what the readers look at */
	unsigned reader_iters;
	uint64_t free_before;
	/* JOB_DEMOTE: the 2 MiB pages are going back to the allocator (the oracle's view) */
	bool freeing;
	/* Folios the batch left unoptimised because the strategy gave up (E's -EAGAIN). */
	uint64_t not_optimised;
};

static struct scn_hvo *hvo(struct sim *sim)
{
	return sim->scn_state;
}

static int hvo_setup_common(struct sim *sim, enum hvo_job job, char *err, size_t errlen)
{
	struct scn_hvo *st = g_new0(struct scn_hvo, 1);
	struct smp_config cfg;
	unsigned n;

	sim->scn_state = st;
	st->job = job;
	if (mmu_install(sim, err, errlen))
		return -1;
	smp_config_default(sim, &cfg);
	if (smp_setup(sim, &cfg, err, errlen))
		return -1;
	if (mm_setup(sim, err, errlen))
		return -1;
	smp_workload_init(sim, &st->w);
	st->sender_done = sim_kdata_alloc(sim, 64, 64);

	st->h = job == JOB_1G || job == JOB_DEMOTE ? &hstate_1g : &hstate_2m;
	n = sim_opt_uint(&sim->opt, OPT_pages) ? sim_opt_uint(&sim->opt, OPT_pages)
					       : (st->h == &hstate_1g ? 1 : 4);
	for (unsigned i = 0; i < n; i++) {
		uint64_t head = mm_boot_huge_page(sim, st->h);

		if (!head) {
			snprintf(err, errlen, "%u huge pages of %llu MiB do not fit in --mem-gb %u",
				 n, (unsigned long long)(PAGE_SIZE << st->h->order) >> 20,
				 sim_opt_uint(&sim->opt, OPT_mem_gb));
			return -1;
		}
		folio_list_add(&st->boot, head);
	}
	st->first_pfn = page_to_pfn(st->boot.folio[0]);
	st->nr_pages = (uint64_t)n << st->h->order;
	/* Enough reads to overlap the updater's work under a fair schedule. */
	st->reader_iters = job == JOB_2M || job == JOB_2M_A_IRQ || job == JOB_2M_HAMMER ||
					   job == JOB_2M_AF_STORM
				   ? 60 * n
				   : 400;
	st->free_before = mm_nr_free_pages(sim);
	return 0;
}

static void hvo_teardown(struct sim *sim)
{
	struct scn_hvo *st = hvo(sim);

	mm_teardown(sim);
	smp_teardown(sim);
	mmu_teardown(sim);
	if (st)
		folio_list_free(&st->boot);
	g_free(st);
	sim->scn_state = NULL;
}

/* ---- readers ------------------------------------------------------------------------------ */

/* The head a correct compound_head() may give for @pfn now. */
static bool head_ok(struct scn_hvo *st, uint64_t pfn, uint64_t head)
{
	uint64_t off = pfn - st->first_pfn;
	uint64_t h_pfn = st->first_pfn + (off & ~((1ull << st->h->order) - 1));

	if (head == pfn_to_page(h_pfn))
		return true;
	/* Demote turns a gigantic folio into 2 MiB ones while we look. */
	return st->job == JOB_DEMOTE && head == pfn_to_page(pfn & ~511ull);
}

/* A PFN walker's look at one page: compound_head(), flags, a speculative ref. */
static void read_struct_page(struct sim_cpu *cpu, struct scn_hvo *st, uint64_t pfn)
{
	uint64_t page = pfn_to_page(pfn);

	rcu_read_lock(cpu);
	cpu_dep_t dep;
	uint64_t head = compound_head_dep(cpu, page, &dep);
	/*
	 * A page already freed is its own head with no flags
	 * (free_pages_prepare()), which a PFN walker may well see.
	 */
	if (st->freeing && head == page && !(page_flags(cpu, page) & (1ull << PG_head))) {
		rcu_read_unlock(cpu);
		return;
	}
	if (!head_ok(st, pfn, head))
		sim_report(cpu->sim, cpu, FINDING_ASSERTION, page, 0,
			   "compound_head() of a huge page's struct page is its head",
			   "compound_head(pfn %#" PRIx64 ") = %#" PRIx64, pfn, head);
	/* head->flags: address-dependent on the compound_head load, as in Linux */
	uint64_t flags = cpu_load_x(cpu, head + PAGE_OFF_FLAGS, 8, CPU_PLAIN, dep);
	/* ...and a head freed after its tail was read has no flags either. */
	if (!(flags & (1ull << PG_head)) && !st->freeing)
		sim_report(cpu->sim, cpu, FINDING_ASSERTION, head, 0,
			   "a huge page's head has PG_head",
			   "head %#" PRIx64 " of pfn %#" PRIx64 " has flags %#" PRIx64, head, pfn,
			   flags);
	if (page_ref_add_unless(cpu, head, 1, 0))
		page_ref_sub(cpu, head, 1);
	rcu_read_unlock(cpu);
}

static uint64_t reader_pfn(struct scn_hvo *st, struct sim_cpu *cpu, unsigned i)
{
	/* A stride that visits every vmemmap page of the range, head and tails. */
	return st->first_pfn + ((uint64_t)i * 67 + cpu->id * 131) % st->nr_pages;
}

static void reader(struct sim_cpu *cpu, struct scn_hvo *st, bool irqs_off_sections)
{
	for (unsigned i = 0; i < st->reader_iters; i++) {
		if (cpu_load(cpu, st->w.done, 4))
			break;
		if (irqs_off_sections && i % 4 == 0) {
			unsigned long flags = local_irq_save(cpu);

			read_struct_page(cpu, st, reader_pfn(st, cpu, i));
			read_struct_page(cpu, st, reader_pfn(st, cpu, i + 1000));
			local_irq_restore(cpu, flags);
		} else {
			read_struct_page(cpu, st, reader_pfn(st, cpu, i));
		}
	}
	cpu_spin_while(cpu, st->w.done, 4, 0xffffffff, 0, "done");
}

/*
 * Another kernel path that takes init_mm.page_table_lock with IRQs off
 * (spin_lock_irqsave), over and over (bounded, so that PCT cannot starve the
 * updater behind it). While the updater holds the lock and waits for this CPU
 * to answer its pause, only an NMI can reach it.
 */
static void locker(struct sim_cpu *cpu, struct scn_hvo *st)
{
	struct mm *mm = mm_of(cpu->sim);

	for (unsigned i = 0; i < st->reader_iters && !cpu_load(cpu, st->w.done, 4); i++) {
		unsigned long flags = local_irq_save(cpu);

		raw_spin_lock(cpu, mm->page_table_lock);
		read_struct_page(cpu, st, reader_pfn(st, cpu, 0));
		raw_spin_unlock(cpu, mm->page_table_lock);
		local_irq_restore(cpu, flags);
	}
	cpu_spin_while(cpu, st->w.done, 4, 0xffffffff, 0, "done");
}

/*
 * An interrupt that touches struct pages, as a driver freeing pages from its
 * IRQ handler or an irq_work does: one look at each folio of the batch.
 * On the updating CPU under strategy A, inside a break window, the fault
 * handler then waits for the page_table_lock its own CPU holds.
 */
static void irq_touches_struct_pages(struct sim_cpu *cpu, void *arg)
{
	struct scn_hvo *st = arg;

	for (unsigned i = 0; i < st->boot.nr; i++)
		read_struct_page(cpu, st, page_to_pfn(st->boot.folio[i]) + 500);
}

/*
 * Sends call-function IPIs to the updater for as long as it works (bounded,
 * for PCT), then says so: the updater waits for that before it finishes,
 * so that no IPI is left pending on a CPU that has gone.
 */
static void ipi_sender(struct sim_cpu *cpu, struct scn_hvo *st)
{
	struct cpumask updater;

	cpumask_clear(&updater);
	cpumask_set_cpu(0, &updater);
	for (unsigned i = 0; i < 20 * st->reader_iters && !cpu_load(cpu, st->w.done, 4); i++) {
		smp_cross_call(cpu, &updater, IPI_CALL_FUNC);
		read_struct_page(cpu, st, reader_pfn(st, cpu, i));
	}
	cpu_store(cpu, st->sender_done, 4, 1);
	cpu_spin_while(cpu, st->w.done, 4, 0xffffffff, 0, "done");
}

/*
 * The hardware at its most eager (FEAT_HAFDBS): a walk reaches the vmemmap
 * block between any two steps of the updater and sets its Access flag as
 * the walker does, by an atomic update of the descriptor in memory.
 */
static void af_storm(struct sim_cpu *cpu, struct scn_hvo *st)
{
	uint64_t slot = mmu_slot_pa(cpu->sim, st->boot.folio[0], 2);

	for (unsigned i = 0; i < 200 * st->reader_iters && !cpu_load(cpu, st->w.done, 4); i++) {
		uint64_t d = cpu_load64(cpu, mmu_phys_to_virt(slot));

		if (mmu_desc_is_leaf(d, 2) && !(d & DESC_AF))
			cpu_cmpxchg_pa(cpu, slot, 8, d, d | DESC_AF);
	}
	cpu_spin_while(cpu, st->w.done, 4, 0xffffffff, 0, "done");
}

static void others_main(struct sim_cpu *cpu, struct scn_hvo *st)
{
	if (st->job == JOB_2M_AF_STORM) {
		af_storm(cpu, st);
		smp_work_exit(cpu, &st->w);
		return;
	}
	if (st->job == JOB_2M_LOCKER && cpu->id == 1) {
		locker(cpu, st);
		smp_work_exit(cpu, &st->w);
		return;
	}
	if (st->job == JOB_2M_A_IRQ && cpu->id == 1) {
		ipi_sender(cpu, st);
		smp_work_exit(cpu, &st->w);
		return;
	}
	if (st->job == JOB_2M_HAMMER || st->job == JOB_2M_AF_STORM) {
		reader(cpu, st, false);
		smp_work_exit(cpu, &st->w);
		return;
	}
	switch (cpu->id % 3) {
	case 1:
		reader(cpu, st, false);
		break;
	case 2:
		reader(cpu, st, true);
		break;
	default:
		smp_work_idle(cpu, &st->w);
		break;
	}
	smp_work_exit(cpu, &st->w);
}

/* ---- the updater ---------------------------------------------------------------------------- */

static void hvo_main(struct sim_cpu *cpu)
{
	struct scn_hvo *st = hvo(cpu->sim);

	if (cpu->id) {
		others_main(cpu, st);
		return;
	}
	switch (st->job) {
	case JOB_2M:
	case JOB_1G:
	case JOB_2M_A_IRQ:
	case JOB_2M_LOCKER:
	case JOB_2M_HAMMER:
	case JOB_2M_AF_STORM:
		hugetlb_vmemmap_optimize_folios(cpu, st->h, &st->boot);
		for (unsigned i = 0; i < st->boot.nr; i++) {
			if (folio_test_hugetlb_vmemmap_optimized(cpu, st->boot.folio[i]))
				continue;
			st->not_optimised++;
			/* Only a strategy that gave up (E's -EAGAIN) may leave one as it was. */
			if (!mm_of(cpu->sim)->stats.split_eagain)
				sim_report(cpu->sim, cpu, FINDING_ASSERTION, st->boot.folio[i], 0,
					   "every folio of the batch is optimised",
					   "folio %u not optimised", i);
		}
		hugetlb_vmemmap_restore_folios(cpu, st->h, &st->boot);
		break;
	case JOB_DEMOTE: {
		struct folio_list small = {0};

		hugetlb_vmemmap_optimize_folios(cpu, st->h, &st->boot);
		hugetlb_demote_pool(cpu, &st->boot, &small);
		st->freeing = true;
		hugetlb_free_pool(cpu, &hstate_2m, &small);
		folio_list_free(&small);
		break;
	}
	}
	smp_work_finish(cpu, &st->w);
	if (st->job == JOB_2M_A_IRQ) {
		/* Take what the sender sent before it saw we were done. */
		cpu_spin_while(cpu, st->sender_done, 4, 0xffffffff, 0, "the IPI sender");
		sim_yield(cpu);
	}
}

/* ---- the end: exact accounting -------------------------------------------------------------- */

#define EXPECT(what, got, want)                                                                 \
	do {                                                                                    \
		if ((uint64_t)(got) != (uint64_t)(want))                                        \
			sim_report(sim, NULL, FINDING_ASSERTION, 0, 0, what,                    \
				   "%s: %" PRIu64 ", expected %" PRIu64, #got, (uint64_t)(got), \
				   (uint64_t)(want));                                           \
	} while (0)

static void hvo_check(struct sim *sim)
{
	struct scn_hvo *st = hvo(sim);
	struct mm *mm = mm_of(sim);
	const struct mm_stats *s = &mm->stats;
	uint64_t n = st->boot.nr, per = hugetlb_vmemmap_size(st->h) / PAGE_SIZE;

	switch (st->job) {
	case JOB_2M:
	case JOB_1G:
	case JOB_2M_A_IRQ:
	case JOB_2M_LOCKER:
	case JOB_2M_HAMMER:
	case JOB_2M_AF_STORM: {
		/* Optimise: 1 allocated, all freed; restore: all but the head allocated. */
		uint64_t opt = n - st->not_optimised;

		if (!s->split_eagain) {
			EXPECT("HVO frees every vmemmap page of a folio", s->vmemmap_freed,
			       opt * per);
			EXPECT("HVO allocates 1 page per folio, restore the rest",
			       s->vmemmap_alloced, opt + opt * (per - 1));
			EXPECT("one PMD split per 2 MiB of vmemmap", s->pmd_splits,
			       (n * per * PAGE_SIZE + PMD_SIZE - 1) / PMD_SIZE);
		} else {
			/*
			 * A folio whose split gave up still had its head copied: that
			 * page is freed again, once per try.
			 */
			EXPECT("a give-up frees the head copy it made", s->vmemmap_freed,
			       s->vmemmap_alloced);
			if (s->vmemmap_freed < opt * per)
				EXPECT("HVO frees every vmemmap page of an optimised folio",
				       s->vmemmap_freed, opt * per);
		}
		/* What the give-ups cost: the vmemmap pages HVO would have freed. */
		sim_metric(sim, "folios-not-optimised", st->not_optimised);
		sim_metric(sim, "vmemmap-kib-not-saved",
			   st->not_optimised * (per - 1) * (PAGE_SIZE >> 10));
		break;
	}
	case JOB_DEMOTE:
		/* 1 GiB optimise + restore, 512 x 2 MiB optimise + restore. */
		EXPECT("demote and free account every vmemmap page", s->vmemmap_freed,
		       n * 4096 + n * 512 * 8);
		EXPECT("demote and free account every vmemmap page", s->vmemmap_alloced,
		       n * 4096 + n * 512 * 8);
		break;
	}
	EXPECT("page tables come from the allocator", s->pgtable_alloced, s->pmd_splits);
	sim_metric(sim, "af-retries-pmd", s->af_retries_pmd);
	sim_metric(sim, "af-retries-pte", s->af_retries_pte);
	sim_metric(sim, "split-eagain", s->split_eagain);
	/* What the allocator holds now: no page lost, none made up. */
	uint64_t freed_pool = st->job == JOB_DEMOTE ? n << 18 : 0;
	EXPECT("no page leaks", mm_nr_free_pages(sim),
	       st->free_before - s->pgtable_alloced + s->vmemmap_freed - s->vmemmap_alloced +
		       freed_pool);
	smp_check_lost_interrupts(sim);
}

/* ---- registration ------------------------------------------------------------------------------ */

static int setup_2m(struct sim *sim, char *err, size_t errlen)
{
	return hvo_setup_common(sim, JOB_2M, err, errlen);
}

static int setup_1g(struct sim *sim, char *err, size_t errlen)
{
	return hvo_setup_common(sim, JOB_1G, err, errlen);
}

static int setup_demote(struct sim *sim, char *err, size_t errlen)
{
	return hvo_setup_common(sim, JOB_DEMOTE, err, errlen);
}

static int setup_a_irq(struct sim *sim, char *err, size_t errlen)
{
	if (hvo_setup_common(sim, JOB_2M_A_IRQ, err, errlen))
		return -1;
	smp_set_ipi_handler(sim, IPI_CALL_FUNC, irq_touches_struct_pages, sim->scn_state);
	return 0;
}

static const char *const a_irq[] = {"strategy=A", NULL};

static const struct scenario scn_hvo_2m_a_irq = {
	.name = "hvo-2m-a-irq",
	.summary = "strategy A with an interrupt on the updating CPU that touches struct "
		   "pages: a fault in the break window waits for the lock its CPU holds",
	.default_cpus = 4,
	.expect = FINDING_DEADLOCK,
	.est_steps = 6000,
	.defaults = a_irq,
	.setup = setup_a_irq,
	.cpu_main = hvo_main,
	.check = hvo_check,
	.teardown = hvo_teardown,
};
SCENARIO_REGISTER(scn_hvo_2m_a_irq)

static int setup_locker(struct sim *sim, char *err, size_t errlen)
{
	return hvo_setup_common(sim, JOB_2M_LOCKER, err, errlen);
}

static const char *const d_no_nmi[] = {"strategy=D-no-nmi", "pseudo_nmi=0", NULL};
static const char *const d_nmi[] = {"strategy=D", "pseudo_nmi=1", NULL};

static const struct scenario scn_hvo_2m_d_no_nmi = {
	.name = "hvo-2m-d-no-nmi",
	.summary = "strategy D forced to pause without pseudo-NMI while a CPU spins on "
		   "page_table_lock with IRQs off: the deadlock the series' refusal avoids",
	.default_cpus = 4,
	.expect = FINDING_DEADLOCK,
	.est_steps = 6000,
	.defaults = d_no_nmi,
	.setup = setup_locker,
	.cpu_main = hvo_main,
	.check = hvo_check,
	.teardown = hvo_teardown,
};
SCENARIO_REGISTER(scn_hvo_2m_d_no_nmi)

static const struct scenario scn_hvo_2m_d_locker = {
	.name = "hvo-2m-d-locker",
	.summary = "the same machine with pseudo-NMI: the pause reaches the CPU spinning "
		   "with IRQs off, and all is clean",
	.default_cpus = 4,
	.expect = -1,
	.est_steps = 6000,
	.defaults = d_nmi,
	.setup = setup_locker,
	.cpu_main = hvo_main,
	.check = hvo_check,
	.teardown = hvo_teardown,
};
SCENARIO_REGISTER(scn_hvo_2m_d_locker)

static const struct scenario scn_hvo_2m = {
	.name = "hvo-2m",
	.summary = "optimise and restore a batch of 2 MiB pages while other CPUs read their "
		   "struct pages (--strategy none|A|B|C|D|E)",
	.default_cpus = 4,
	.expect = -1,
	.est_steps = 6000,
	.setup = setup_2m,
	.cpu_main = hvo_main,
	.check = hvo_check,
	.teardown = hvo_teardown,
};
SCENARIO_REGISTER(scn_hvo_2m)

static const struct scenario scn_hvo_1g = {
	.name = "hvo-1g",
	.summary = "optimise and restore a 1 GiB page (8 PMD splits, 4096 vmemmap pages)",
	.default_cpus = 4,
	.expect = -1,
	.est_steps = 60000,
	.setup = setup_1g,
	.cpu_main = hvo_main,
	.check = hvo_check,
	.teardown = hvo_teardown,
};
SCENARIO_REGISTER(scn_hvo_1g)

static const struct scenario scn_hvo_demote = {
	.name = "hvo-demote",
	.summary = "optimise a 1 GiB page, demote it to 512 x 2 MiB (restore, split, "
		   "optimise the batch), free them",
	.default_cpus = 4,
	.expect = -1,
	.est_steps = 200000,
	.setup = setup_demote,
	.cpu_main = hvo_main,
	.check = hvo_check,
	.teardown = hvo_teardown,
};
SCENARIO_REGISTER(scn_hvo_demote)

/* ---- strategy E's hazards --------------------------------------------------------------------- */

static int setup_hammer(struct sim *sim, char *err, size_t errlen)
{
	return hvo_setup_common(sim, JOB_2M_HAMMER, err, errlen);
}

static const char *const e_ha[] = {"strategy=E", "hafdbs=af", NULL};
static const char *const e_no_ha[] = {"strategy=E-no-ha", "hafdbs=none", NULL};

static const struct scenario scn_hvo_2m_e_hammer = {
	.name = "hvo-2m-e-hammer",
	.summary = "strategy E while every other CPU reads the folios' struct pages: walkers "
		   "set AF again, the cmpxchg fails, after 16 attempts the folio stays "
		   "unoptimised (metrics: split-eagain, vmemmap-kib-not-saved)",
	.default_cpus = 4,
	.expect = -1,
	.est_steps = 8000,
	.defaults = e_ha,
	.setup = setup_hammer,
	.cpu_main = hvo_main,
	.check = hvo_check,
	.teardown = hvo_teardown,
};
SCENARIO_REGISTER(scn_hvo_2m_e_hammer)

static const struct scenario scn_hvo_2m_e_no_ha = {
	.name = "hvo-2m-e-no-ha",
	.summary = "strategy E without hardware Access flag updates: a reader walks the AF=0 "
		   "block, takes an access flag fault on a kernel address: oops",
	.default_cpus = 4,
	.expect = FINDING_ASSERTION,
	.est_steps = 6000,
	.defaults = e_no_ha,
	.setup = setup_hammer,
	.cpu_main = hvo_main,
	.check = hvo_check,
	.teardown = hvo_teardown,
};
SCENARIO_REGISTER(scn_hvo_2m_e_no_ha)

static int setup_af_storm(struct sim *sim, char *err, size_t errlen)
{
	return hvo_setup_common(sim, JOB_2M_AF_STORM, err, errlen);
}

static const struct scenario scn_hvo_2m_e_af_storm = {
	.name = "hvo-2m-e-af-storm",
	.summary = "strategy E while a walker sets the block's Access flag again at every "
		   "chance: each attempt fails, E gives up (-EAGAIN), the folios stay "
		   "unoptimised and their vmemmap is not saved",
	.default_cpus = 4,
	.expect = -1,
	.est_steps = 20000,
	.defaults = e_ha,
	.setup = setup_af_storm,
	.cpu_main = hvo_main,
	.check = hvo_check,
	.teardown = hvo_teardown,
};
SCENARIO_REGISTER(scn_hvo_2m_e_af_storm)
