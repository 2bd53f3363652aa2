// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvo-template: the smallest HVO scenario, to copy (docs/howto.md, "Write a
 * scenario"). Two CPUs: CPU 0 optimises one 2 MiB huge page's vmemmap and
 * restores it; CPU 1 reads that huge page's struct pages meanwhile, as a
 * PFN walker does. --strategy and --kernel pick the code under test; the
 * checker judges every access; check() asserts what must hold at the end.
 *
 * To make your own: copy this file to mm/scn_NAME.c, rename the `tmpl_`
 * prefix and the scenario's .name, change cpu_main() and check(), and
 * rebuild: the file registers itself (SCENARIO_REGISTER), nothing else
 * needs to know it. `bbmsim list` shows it, `bbmsim run NAME` runs it.
 */
#include "mm_internal.h"
#include "sim/scenario.h"

#include <glib.h>
#include <inttypes.h>

/* How many struct pages the reader looks at, at most: enough to overlap the updater. */
#define TMPL_READS 200

/* What the run needs beyond the simulated machine: host state, per run. */
struct tmpl {
	struct smp_workload w; /* done/quiesced words: how CPUs agree the run is over */
	uint64_t folio;	       /* the huge page's head (a VA of its struct page) */
	uint64_t free_before;  /* free pages before the run, for the leak check */
};

/*
 * Host context, before any CPU runs: the machine (MMU, GIC and SMP, mm: in
 * that order, each needs the one before) and one huge page "from boot".
 * An error here is bad input (exit 2), e.g. an unknown --strategy.
 */
static int tmpl_setup(struct sim *sim, char *err, size_t errlen)
{
	struct tmpl *t = g_new0(struct tmpl, 1);
	struct smp_config cfg;

	sim->scn_state = t; /* set first: teardown runs even if setup fails */
	if (mmu_install(sim, err, errlen))
		return -1;
	smp_config_default(sim, &cfg); /* --pseudo-nmi, ... from the options */
	if (smp_setup(sim, &cfg, err, errlen) || mm_setup(sim, err, errlen))
		return -1;
	smp_workload_init(sim, &t->w);
	t->folio = mm_boot_huge_page(sim, &hstate_2m);
	t->free_before = mm_nr_free_pages(sim);
	return 0;
}

/*
 * Every CPU's program. Everything a CPU does to shared state goes through
 * its MMU (cpu_load/cpu_store and the kernel functions built on them):
 * each access is a yield point where the scheduler may switch CPUs, and
 * the checker sees it.
 */
static void tmpl_main(struct sim_cpu *cpu)
{
	struct tmpl *t = cpu->sim->scn_state;

	if (cpu->id == 0) {
		/* The updater: optimise (the vmemmap is remapped), then restore. */
		hugetlb_vmemmap_optimize_folio(cpu, &hstate_2m, t->folio);
		hugetlb_vmemmap_restore_folio(cpu, &hstate_2m, t->folio);
		smp_work_finish(cpu, &t->w); /* done: the others may stop */
		return;
	}
	/*
	 * A reader: compound_head() of the huge page's first 512 struct pages
	 * (its first 8 vmemmap pages) in a stride, until the updater is done.
	 * A wrong head is the scenario's own finding (an assertion). Bounded:
	 * a loop that only polls `done` could starve the updater under PCT,
	 * which runs the highest-priority CPU for as long as it can.
	 */
	for (unsigned i = 0; i < TMPL_READS && !cpu_load(cpu, t->w.done, 4); i++) {
		uint64_t page = t->folio + (i * 37ull % 512) * STRUCT_PAGE_SIZE;
		uint64_t head = compound_head(cpu, page);

		if (head != t->folio)
			sim_report(cpu->sim, cpu, FINDING_ASSERTION, page, 0,
				   "compound_head() of a huge page's struct page is its head",
				   "compound_head(%#" PRIx64 ") = %#" PRIx64, page, head);
	}
	/* Wait (without burning steps) for the end; pauses are still answered. */
	cpu_spin_while(cpu, t->w.done, 4, 0xffffffff, 0, "done");
	smp_work_exit(cpu, &t->w); /* answer what is pending, then stop */
}

/* Host context, after every CPU finished: what must hold at the end. */
static void tmpl_check(struct sim *sim)
{
	struct tmpl *t = sim->scn_state;
	struct mm_stats *s = &mm_of(sim)->stats;

	/* Optimise freed 8 vmemmap pages and took 1; restore took back 7. */
	if (s->vmemmap_freed != 8 || s->vmemmap_alloced != 1 + 7)
		sim_report(sim, NULL, FINDING_ASSERTION, 0, 0, "HVO accounts every vmemmap page",
			   "freed %" PRIu64 " (8), allocated %" PRIu64 " (8)", s->vmemmap_freed,
			   s->vmemmap_alloced);
	/* Every page is back but the split's page table. */
	if (mm_nr_free_pages(sim) != t->free_before - s->pgtable_alloced)
		sim_report(sim, NULL, FINDING_ASSERTION, 0, 0, "no page leaks",
			   "%" PRIu64 " free pages, %" PRIu64 " expected", mm_nr_free_pages(sim),
			   t->free_before - s->pgtable_alloced);
	smp_check_lost_interrupts(sim);
}

/* Host context, always (also after a failed setup or a finding). */
static void tmpl_teardown(struct sim *sim)
{
	mm_teardown(sim);
	smp_teardown(sim);
	mmu_teardown(sim);
	g_free(sim->scn_state);
	sim->scn_state = NULL;
}

static const struct scenario tmpl_scenario = {
	.name = "hvo-template",
	.summary = "the smallest HVO scenario, to copy: optimise and restore one 2 MiB page "
		   "while another CPU reads its struct pages",
	.default_cpus = 2,
	.expect = -1, /* clean under the safe strategies; a finding kind if it must find one */
	.setup = tmpl_setup,
	.cpu_main = tmpl_main,
	.check = tmpl_check,
	.teardown = tmpl_teardown,
};
SCENARIO_REGISTER(tmpl_scenario)
