// SPDX-License-Identifier: GPL-2.0-only
/*
 * HVO on the model: the descriptors before and after optimise and restore
 * of 2 MiB and 1 GiB pages, the batch's two flushes, fake heads, the
 * accounting, each strategy's hooks, and the checker's verdict on each
 * strategy (including a deliberately broken D).
 */
#include "mm/mm.h"
#include "sim/arm/checker.h"
#include "sim/pmem.h"
#include "t_hvo.h"
#include "testlib.h"

#include <check.h>
#include <glib.h>
#include <string.h>

/* ---- a one-CPU harness: the updater alone, then look host-side ---------------------- */

enum t_job { T_OPTIMIZE, T_OPTIMIZE_RESTORE, T_BATCH, T_FREE_TWICE, T_FREE_INSIDE, T_FREE_ONCE };

static struct {
	uint64_t orig_pa[8]; /* first vmemmap pages of folio 0 before */
	uint64_t heads_seen[8];
} t;

static void t_hvo_after_setup(struct sim *sim)
{
	for (unsigned k = 0; k < 8; k++) {
		struct mmu_result r;
		struct mmu_fault f;

		ck_assert_int_eq(mmu_walk_host(sim, t_hvo.folios.folio[0] + k * PAGE_SIZE, &r, &f),
				 0);
		t.orig_pa[k] = r.pa;
	}
}

static void t_hvo_job(struct sim_cpu *cpu)
{
	const struct hstate *h = t_hvo.h;
	uint64_t folio = t_hvo.folios.folio[0], pfn;

	switch (t_hvo.job) {
	case T_OPTIMIZE:
		hugetlb_vmemmap_optimize_folio(cpu, h, folio);
		/* Fake heads: a tail vmemmap page's first struct page reads as a head. */
		for (unsigned k = 0; k < 8; k++)
			t.heads_seen[k] = compound_head(cpu, folio + k * PAGE_SIZE);
		break;
	case T_OPTIMIZE_RESTORE:
		hugetlb_vmemmap_optimize_folio(cpu, h, folio);
		hugetlb_vmemmap_restore_folio(cpu, h, folio);
		break;
	case T_BATCH:
		hugetlb_vmemmap_optimize_folios(cpu, h, &t_hvo.folios);
		break;
	case T_FREE_TWICE:
		pfn = alloc_pages(cpu, 0);
		free_pages(cpu, pfn, 0);
		free_pages(cpu, pfn, 0);
		break;
	case T_FREE_INSIDE:
		pfn = alloc_pages(cpu, 2);
		free_pages(cpu, pfn, 2);
		free_pages(cpu, pfn + 3, 0); /* one page of the free block */
		break;
	case T_FREE_ONCE: /* the same page freed, allocated again, freed */
		pfn = alloc_pages(cpu, 0);
		free_pages(cpu, pfn, 0);
		ck_assert_uint_eq(alloc_pages(cpu, 0), pfn);
		free_pages(cpu, pfn, 0);
		break;
	}
}

T_HVO_SCENARIO(t_hvo_scn, "t-hvo")

static struct sim *t_go(enum t_job job, const struct hstate *h, unsigned n, const char *opts)
{
	return t_hvo_go("t-hvo", job, h, n, opts);
}

static void leaf(struct sim *sim, uint64_t va, struct mmu_result *r)
{
	struct mmu_fault f;

	ck_assert_int_eq(mmu_walk_host(sim, va, r, &f), 0);
}

/* ---- optimise and restore: the descriptors ------------------------------------------------ */

START_TEST(test_optimize_2m_maps_every_vmemmap_page_to_one_copy)
{
	struct sim *sim = t_go(T_OPTIMIZE, &hstate_2m, 1, "strategy=D");
	struct mm *mm = mm_of(sim);
	uint64_t folio = t_hvo.folios.folio[0];
	struct mmu_result r0, r;

	ck_assert_uint_eq(sim->nr_findings, 0);
	leaf(sim, folio, &r0);
	ck_assert_int_eq(r0.level, 3);			    /* the PMD block was split */
	ck_assert(mmu_desc_writable(r0.desc));		    /* the head's page: RW */
	ck_assert_uint_ne(r0.pa, t.orig_pa[0]);		    /* a fresh copy */
	ck_assert(pmem_page_equal(sim->mem, r0.pa, r0.pa)); /* sanity */
	for (unsigned k = 1; k < 8; k++) {
		leaf(sim, folio + k * PAGE_SIZE, &r);
		ck_assert_int_eq(r.level, 3);
		ck_assert_uint_eq(r.pa & ~(PAGE_SIZE - 1), r0.pa & ~(PAGE_SIZE - 1));
		ck_assert(!mmu_desc_writable(r.desc)); /* tails: RO */
	}
	/* The ninth vmemmap page belongs to the next folio: untouched. */
	leaf(sim, folio + 8 * PAGE_SIZE, &r);
	ck_assert(mmu_desc_writable(r.desc));
	for (unsigned k = 0; k < 8; k++)
		ck_assert(chk_page_is_free(sim, t.orig_pa[k]));
	ck_assert_uint_eq(mm->stats.vmemmap_freed, 8);
	ck_assert_uint_eq(mm->stats.vmemmap_alloced, 1);
	ck_assert_uint_eq(mm->stats.pmd_splits, 1);
	ck_assert_uint_eq(mm->stats.pgtable_alloced, 1);
	/* compound_head() of every fake head is the real head. */
	for (unsigned k = 0; k < 8; k++)
		ck_assert_uint_eq(t.heads_seen[k], folio);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_optimize_1g_frees_4096_and_splits_8_pmds)
{
	struct sim *sim = t_go(T_OPTIMIZE, &hstate_1g, 1, "strategy=D");
	struct mm *mm = mm_of(sim);
	uint64_t folio = t_hvo.folios.folio[0];
	struct mmu_result r0, r;

	ck_assert_uint_eq(sim->nr_findings, 0);
	ck_assert_uint_eq(mm->stats.vmemmap_freed, 4096);
	ck_assert_uint_eq(mm->stats.vmemmap_alloced, 1);
	ck_assert_uint_eq(mm->stats.pmd_splits, 8);
	leaf(sim, folio, &r0);
	for (unsigned k = 1; k < 4096; k += 97) {
		leaf(sim, folio + k * PAGE_SIZE, &r);
		ck_assert_uint_eq(r.pa & ~(PAGE_SIZE - 1), r0.pa & ~(PAGE_SIZE - 1));
		ck_assert(!mmu_desc_writable(r.desc));
	}
	leaf(sim, folio + 4095 * PAGE_SIZE, &r);
	ck_assert_uint_eq(r.pa & ~(PAGE_SIZE - 1), r0.pa & ~(PAGE_SIZE - 1));
	sim_destroy(sim);
}
END_TEST

START_TEST(test_restore_2m_gives_each_page_its_own_rw_copy)
{
	struct sim *sim = t_go(T_OPTIMIZE_RESTORE, &hstate_2m, 1, "strategy=D");
	struct mm *mm = mm_of(sim);
	uint64_t folio = t_hvo.folios.folio[0];
	struct mmu_result r0, r, prev = {0};

	ck_assert_uint_eq(sim->nr_findings, 0);
	leaf(sim, folio, &r0);
	for (unsigned k = 1; k < 8; k++) {
		leaf(sim, folio + k * PAGE_SIZE, &r);
		ck_assert(mmu_desc_writable(r.desc));
		ck_assert_uint_ne(r.pa & ~(PAGE_SIZE - 1), r0.pa & ~(PAGE_SIZE - 1));
		ck_assert_uint_ne(r.pa, prev.pa);
		/*
		 * A copy of what was mapped there, the head's page as it was
		 * (the head has since dropped its "optimised" flag): all alike.
		 */
		if (k > 1)
			ck_assert(pmem_page_equal(sim->mem, r.pa & ~(PAGE_SIZE - 1),
						  prev.pa & ~(PAGE_SIZE - 1)));
		prev = r;
	}
	ck_assert_uint_eq(mm->stats.vmemmap_alloced, 1 + 7);
	ck_assert_uint_eq(mm->stats.vmemmap_freed, 8);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_batch_of_folios_flushes_the_tlb_exactly_twice)
{
	/* The generic path (no arch flush): split all, flush, remap all, flush. */
	struct sim *sim = t_go(T_BATCH, &hstate_2m, 5, "strategy=none keep_going=1");
	struct mm *mm = mm_of(sim);

	ck_assert_uint_eq(mm->stats.flush_tlb_all, 2);
	ck_assert_uint_eq(mm->stats.flush_tlb_range, 0);
	ck_assert_uint_eq(mm->stats.vmemmap_freed, 5 * 8);
	ck_assert_uint_eq(mm->stats.sync_rcu, 1); /* one grace period per batch */
	sim_destroy(sim);
}
END_TEST

START_TEST(test_strategy_d_pauses_once_per_range)
{
	/* 5 folios in one PMD: one split range, then one PTE range per folio. */
	struct sim *sim = t_go(T_BATCH, &hstate_2m, 5, "strategy=D cpus=4");
	struct mm *mm = mm_of(sim);

	ck_assert_uint_eq(sim->nr_findings, 0);
	ck_assert_uint_eq(mm->stats.pause_rounds, 1 + 5);
	ck_assert_uint_eq(mm->stats.flush_tlb_all, 0);	     /* the arch flushes */
	ck_assert_uint_eq(mm->stats.flush_tlb_range, 1 + 5); /* one per pause */
	for (unsigned i = 1; i < 4; i++)
		ck_assert_uint_eq(smp_paused_rounds(sim, i), 1 + 5);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_strategy_b_stops_the_machine_once_per_range)
{
	struct sim *sim = t_go(T_BATCH, &hstate_2m, 3, "strategy=B cpus=4");
	struct mm *mm = mm_of(sim);

	ck_assert_uint_eq(sim->nr_findings, 0);
	ck_assert_uint_eq(mm->stats.stop_machine_rounds, 1 + 3);
	ck_assert_uint_eq(mm->stats.pause_rounds, 0);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_strategy_c_refuses_without_bbml2)
{
	const struct scenario *scn = scenario_find("hvo-2m");
	struct sim_options o;
	struct sim_costs c;
	char err[300];

	sim_options_default(&o);
	sim_opt_set_str(&o, OPT_strategy, "C");
	costs_default(&c);
	struct sim *sim = sim_create(scn, &o, &c, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(sim);
	ck_assert_int_eq(sim_run(sim, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "strategy C is not supported"));
	sim_destroy(sim);
}
END_TEST

START_TEST(test_strategy_d_refuses_without_pseudo_nmi)
{
	const struct scenario *scn = scenario_find("hvo-2m");
	struct sim_options o;
	struct sim_costs c;
	char err[300];

	sim_options_default(&o);
	sim_opt_set_bool(&o, OPT_pseudo_nmi, false);
	costs_default(&c);
	struct sim *sim = sim_create(scn, &o, &c, NULL, err, sizeof(err));
	ck_assert_int_eq(sim_run(sim, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "pseudo-NMI"));
	sim_destroy(sim);
}
END_TEST

START_TEST(test_unknown_strategy_is_bad_input)
{
	const struct scenario *scn = scenario_find("hvo-2m");
	struct sim_options o;
	struct sim_costs c;
	char err[300];

	sim_options_default(&o);
	sim_opt_set_str(&o, OPT_strategy, "Z");
	costs_default(&c);
	struct sim *sim = sim_create(scn, &o, &c, NULL, err, sizeof(err));
	ck_assert_int_eq(sim_run(sim, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown strategy 'Z'"));
	sim_destroy(sim);
}
END_TEST

/* ---- verdicts -------------------------------------------------------------------------------- */

START_TEST(test_fibers_give_the_same_trace_as_threads)
{
	static const char *const opts[] = {"strategy=D seed=4", "strategy=B seed=5 sched=pct",
					   "strategy=A seed=6", "strategy=none seed=7"};

	if (!sim_fibers_available())
		return;
	for (unsigned i = 0; i < G_N_ELEMENTS(opts); i++) {
		struct sim *a = t_run("hvo-2m", opts[i]), *b = t_run_fibers("hvo-2m", opts[i]);

		ck_assert_str_eq(sim_digest(a), sim_digest(b));
		sim_destroy(a);
		sim_destroy(b);
	}
}
END_TEST

START_TEST(test_a_deadlocks_on_an_interrupt_in_its_break_window)
{
	/* An IRQ handler on the updater faults in the break window, waits for its own lock. */
	ck_assert_uint_ge(t_explore("hvo-2m-a-irq", "sched=pct", 30, FINDING_DEADLOCK), 1);
}
END_TEST

START_TEST(test_d_and_b_take_the_same_interrupts_safely)
{
	ck_assert_uint_eq(t_explore("hvo-2m-a-irq", "strategy=D sched=pct", 30, -1), 0);
	ck_assert_uint_eq(t_explore("hvo-2m-a-irq", "strategy=B sched=pct", 30, -1), 0);
	ck_assert_uint_eq(t_explore("hvo-2m-a-irq", "strategy=D", 20, -1), 0);
}
END_TEST

START_TEST(test_d_without_pseudo_nmi_deadlocks_on_irqs_off_spinner)
{
	ck_assert_uint_eq(t_explore("hvo-2m-d-no-nmi", "", 10, FINDING_DEADLOCK), 10);
	/* The same machine with the pause as a pseudo-NMI: clean. */
	ck_assert_uint_eq(t_explore("hvo-2m-d-locker", "", 30, -1), 0);
	ck_assert_uint_eq(t_explore("hvo-2m-d-locker", "sched=pct", 30, -1), 0);
}
END_TEST

/*
 * A page freed twice is Linux's bad_page() (free_pages_prepare() finds a
 * free page's flags): an assertion finding naming the page, whether the
 * second free is the same block or a page inside a free block. Freeing a
 * page allocated again is no such thing.
 */
START_TEST(test_double_free_is_an_assertion)
{
	static const enum t_job bad[] = {T_FREE_TWICE, T_FREE_INSIDE};

	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct sim *sim = t_go(bad[i], &hstate_2m, 1, "cpus=1");
		const struct sim_finding *f = t_finding(sim, FINDING_ASSERTION);

		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(strstr(f->detail, "is already free"));
		sim_destroy(sim);
	}
	struct sim *sim = t_go(T_FREE_ONCE, &hstate_2m, 1, "cpus=1");
	ck_assert_ptr_null(t_finding(sim, -1));
	sim_destroy(sim);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("hvo");
	TCase *tc = tcase_create("hvo");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_optimize_2m_maps_every_vmemmap_page_to_one_copy);
	tcase_add_test(tc, test_optimize_1g_frees_4096_and_splits_8_pmds);
	tcase_add_test(tc, test_restore_2m_gives_each_page_its_own_rw_copy);
	tcase_add_test(tc, test_batch_of_folios_flushes_the_tlb_exactly_twice);
	tcase_add_test(tc, test_strategy_d_pauses_once_per_range);
	tcase_add_test(tc, test_strategy_b_stops_the_machine_once_per_range);
	tcase_add_test(tc, test_strategy_c_refuses_without_bbml2);
	tcase_add_test(tc, test_strategy_d_refuses_without_pseudo_nmi);
	tcase_add_test(tc, test_unknown_strategy_is_bad_input);
	t_add_hvo_verdicts(tc, "model"); /* testlib: the table shared with test_linux_hvo */
	tcase_add_test(tc, test_fibers_give_the_same_trace_as_threads);
	tcase_add_test(tc, test_a_deadlocks_on_an_interrupt_in_its_break_window);
	tcase_add_test(tc, test_d_and_b_take_the_same_interrupts_safely);
	tcase_add_test(tc, test_d_without_pseudo_nmi_deadlocks_on_irqs_off_spinner);
	tcase_add_test(tc, test_double_free_is_an_assertion);
	suite_add_tcase(s, tc);
	return s;
}
