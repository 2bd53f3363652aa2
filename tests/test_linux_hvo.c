// SPDX-License-Identifier: GPL-2.0-only
/*
 * Linux's own mm/hugetlb_vmemmap.c (mm/linux/) beside our model: one 2 MiB
 * and one 1 GiB optimisation (and restore, and a batch) give the same
 * descriptors, the same pages freed and allocated and the same TLB flushes
 * under every strategy; the checker's verdicts on the HVO scenarios are the
 * model's over the same schedules. Built only with the harness.
 */
#include "mm/mm.h"
#include "sim/arm/checker.h"
#include "sim/pmem.h"
#include "t_hvo.h"
#include "testlib.h"

#include <check.h>
#include <glib.h>
#include <pthread.h>
#include <string.h>

/* ---- one updater, then the outcome host-side ------------------------------------------ */

enum t_job { T_OPTIMIZE, T_OPTIMIZE_RESTORE, T_BATCH, T_BATCH_RESTORE };

#define T_MAX_PAGES 4096

/* What a run leaves behind: everything the two kernels must agree on. */
struct outcome {
	uint64_t pmd[8];	    /* the PMDs over folio 0's vmemmap */
	uint64_t desc[T_MAX_PAGES]; /* the leaf over each of its vmemmap pages */
	uint64_t pa[T_MAX_PAGES];
	struct mm_stats stats;
	uint64_t nr_free;
	bool optimized;
	unsigned nr_findings;
};

static bool t_optimized; /* folio 0, as the job left it */

static void t_hvo_after_setup(struct sim *sim)
{
}

static void t_hvo_job(struct sim_cpu *cpu)
{
	const struct hstate *h = t_hvo.h;
	uint64_t folio = t_hvo.folios.folio[0];

	switch (t_hvo.job) {
	case T_OPTIMIZE:
		ck_assert_int_eq(hugetlb_vmemmap_optimize_folio(cpu, h, folio), 0);
		break;
	case T_OPTIMIZE_RESTORE:
		ck_assert_int_eq(hugetlb_vmemmap_optimize_folio(cpu, h, folio), 0);
		ck_assert_int_eq(hugetlb_vmemmap_restore_folio(cpu, h, folio), 0);
		break;
	case T_BATCH:
		hugetlb_vmemmap_optimize_folios(cpu, h, &t_hvo.folios);
		break;
	case T_BATCH_RESTORE:
		hugetlb_vmemmap_optimize_folios(cpu, h, &t_hvo.folios);
		ck_assert_int_eq(hugetlb_vmemmap_restore_folios(cpu, h, &t_hvo.folios), t_hvo.n);
		break;
	}
	t_optimized = folio_test_hugetlb_vmemmap_optimized(cpu, folio);
}

T_HVO_SCENARIO(t_lx_hvo, "t-lx-hvo")

static void t_outcome(enum t_job job, const struct hstate *h, unsigned n, const char *opts,
		      struct outcome *o)
{
	struct sim *sim;
	uint64_t folio, pages = hugetlb_vmemmap_size(h) / PAGE_SIZE;

	sim = t_hvo_go("t-lx-hvo", job, h, n, opts);
	memset(o, 0, sizeof(*o));
	folio = t_hvo.folios.folio[0];
	for (uint64_t k = 0; k < pages; k++) {
		struct mmu_result r;
		struct mmu_fault f;

		ck_assert_int_eq(mmu_walk_host(sim, folio + k * PAGE_SIZE, &r, &f), 0);
		o->desc[k] = r.desc;
		o->pa[k] = r.pa;
		if (k % 512 == 0)
			o->pmd[k / 512] =
				pmem_read(sim->mem, mmu_slot_pa(sim, folio + k * PAGE_SIZE, 2), 8);
	}
	o->stats = mm_of(sim)->stats;
	o->nr_free = mm_nr_free_pages(sim);
	o->optimized = t_optimized;
	o->nr_findings = sim->nr_findings;
	sim_destroy(sim);
}

#define ASSERT_SAME(field) ck_assert_uint_eq(lx->field, md->field)

/* Every job x strategy: Linux's outcome is the model's, field by field. */
static void t_same(enum t_job job, const struct hstate *h, unsigned n, const char *strategy)
{
	struct outcome *md = g_new(struct outcome, 1), *lx = g_new(struct outcome, 1);
	/* none: findings (other CPUs' TLBs hold the old entries); the rest still agrees. */
	bool none = !strcmp(strategy, "strategy=none");
	gchar *om = g_strdup_printf("%s cpus=4 kernel=model keep_going=%d", strategy, none);
	gchar *ol = g_strdup_printf("%s cpus=4 kernel=linux keep_going=%d", strategy, none);
	uint64_t pages = hugetlb_vmemmap_size(h) / PAGE_SIZE;

	t_outcome(job, h, n, om, md);
	t_outcome(job, h, n, ol, lx);
	if (!none) {
		ck_assert_uint_eq(md->nr_findings, 0);
		ASSERT_SAME(nr_findings);
	}
	ASSERT_SAME(optimized);
	for (unsigned i = 0; i < 8; i++)
		ck_assert_msg(lx->pmd[i] == md->pmd[i], "%s: PMD %u: linux %#lx, model %#lx",
			      strategy, i, (unsigned long)lx->pmd[i], (unsigned long)md->pmd[i]);
	for (uint64_t k = 0; k < pages; k++) {
		ck_assert_msg(lx->desc[k] == md->desc[k],
			      "%s: vmemmap page %lu: linux %#lx, model %#lx", strategy,
			      (unsigned long)k, (unsigned long)lx->desc[k],
			      (unsigned long)md->desc[k]);
		ASSERT_SAME(pa[k]);
	}
	ASSERT_SAME(stats.vmemmap_freed);
	ASSERT_SAME(stats.vmemmap_alloced);
	ASSERT_SAME(stats.pages_alloced);
	ASSERT_SAME(stats.pages_freed);
	ASSERT_SAME(stats.pgtable_alloced);
	ASSERT_SAME(stats.pmd_splits);
	ASSERT_SAME(stats.flush_tlb_all);
	ASSERT_SAME(stats.flush_tlb_range);
	ASSERT_SAME(stats.tlbi_pages);
	ASSERT_SAME(stats.pause_rounds);
	ASSERT_SAME(stats.stop_machine_rounds);
	ASSERT_SAME(stats.sync_rcu);
	ASSERT_SAME(nr_free);
	g_free(om);
	g_free(ol);
	g_free(md);
	g_free(lx);
}

/* Loop index 0: none; then testlib's table of strategies. */
static const char *strategy(int i)
{
	return i ? t_clean_strategies[i - 1] : "strategy=none";
}

START_TEST(test_optimize_2m_same_as_model)
{
	t_same(T_OPTIMIZE, &hstate_2m, 1, strategy(_i));
}
END_TEST

START_TEST(test_optimize_1g_same_as_model)
{
	t_same(T_OPTIMIZE, &hstate_1g, 1, strategy(_i));
}
END_TEST

START_TEST(test_optimize_restore_2m_same_as_model)
{
	t_same(T_OPTIMIZE_RESTORE, &hstate_2m, 1, strategy(_i));
}
END_TEST

START_TEST(test_batch_2m_same_as_model)
{
	t_same(T_BATCH, &hstate_2m, 5, strategy(_i));
	t_same(T_BATCH_RESTORE, &hstate_2m, 5, strategy(_i));
}
END_TEST

START_TEST(test_batch_restore_1g_same_as_model)
{
	t_same(T_BATCH_RESTORE, &hstate_1g, 1, strategy(_i));
}
END_TEST

/* The numbers themselves, for one 2 MiB and one 1 GiB page (strategy D). */
START_TEST(test_linux_optimize_counts)
{
	struct outcome *o = g_new(struct outcome, 1);

	t_outcome(T_OPTIMIZE, &hstate_2m, 1, "strategy=D cpus=4 kernel=linux", o);
	ck_assert_uint_eq(o->nr_findings, 0);
	ck_assert(o->optimized);
	ck_assert_uint_eq(o->stats.vmemmap_freed, 8);
	ck_assert_uint_eq(o->stats.vmemmap_alloced, 1);
	ck_assert_uint_eq(o->stats.pmd_splits, 1);
	ck_assert_uint_eq(o->stats.pause_rounds, 2); /* the split, the PTE range */
	for (unsigned k = 1; k < 8; k++) {
		ck_assert_uint_eq(o->pa[k] & ~(PAGE_SIZE - 1), o->pa[0] & ~(PAGE_SIZE - 1));
		ck_assert(!mmu_desc_writable(o->desc[k]));
	}
	ck_assert(mmu_desc_writable(o->desc[0]));
	ck_assert_uint_eq(o->pmd[0] & PMD_TABLE_UXN, PMD_TABLE_UXN);

	t_outcome(T_OPTIMIZE, &hstate_1g, 1, "strategy=D cpus=4 kernel=linux", o);
	ck_assert_uint_eq(o->nr_findings, 0);
	ck_assert_uint_eq(o->stats.vmemmap_freed, 4096);
	ck_assert_uint_eq(o->stats.vmemmap_alloced, 1);
	ck_assert_uint_eq(o->stats.pmd_splits, 8);
	ck_assert_uint_eq(o->stats.pgtable_alloced, 8);
	g_free(o);
}
END_TEST

/* The generic path (none): split all, one flush, remap all, one flush. */
START_TEST(test_linux_batch_flushes_twice)
{
	struct outcome *o = g_new(struct outcome, 1);

	t_outcome(T_BATCH, &hstate_2m, 5, "strategy=none kernel=linux keep_going=1", o);
	ck_assert_uint_eq(o->stats.flush_tlb_all, 2);
	ck_assert_uint_eq(o->stats.flush_tlb_range, 0);
	ck_assert_uint_eq(o->stats.vmemmap_freed, 5 * 8);
	ck_assert_uint_eq(o->stats.sync_rcu, 1);
	g_free(o);
}
END_TEST

/*
 * A finding while Linux's code runs names its function and line (docs/howto.md):
 * none's first finding is the split's pmd_populate_kernel() over the live block.
 */
START_TEST(test_finding_names_the_linux_line)
{
	struct sim *sim = t_run("hvo-2m", "kernel=linux strategy=none seed=1");
	const struct sim_finding *f = t_finding(sim, FINDING_BBM_VIOLATION);

	ck_assert_ptr_nonnull(f);
	ck_assert_msg(g_regex_match_simple(
			      "\\[linux: vmemmap_split_pmd\\(\\) mm/hugetlb_vmemmap\\.c:[0-9]+\\]$",
			      f->detail, 0, 0),
		      "%s", f->detail);
	sim_destroy(sim);
}
END_TEST

/* The model's findings say nothing of Linux. */
START_TEST(test_model_finding_names_no_linux_line)
{
	struct sim *sim = t_run("hvo-2m", "kernel=model strategy=none seed=1");
	const struct sim_finding *f = t_finding(sim, -1);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_null(strstr(f->detail, "linux:"));
	sim_destroy(sim);
}
END_TEST

/*
 * Two runs of Linux's code side by side in one process (exhaustive
 * exploration and the fiber pool want that): each finds its own CPU and
 * call site, so each trace is the one it has alone.
 */
struct t_side {
	const char *opts;
	bool fibers;
	char digest[65];
};

static void *t_side_run(void *arg)
{
	struct t_side *j = arg;
	struct sim *sim = j->fibers ? t_run_fibers("hvo-2m", j->opts) : t_run("hvo-2m", j->opts);

	memcpy(j->digest, sim_digest(sim), sizeof(j->digest));
	sim_destroy(sim);
	return NULL;
}

START_TEST(test_two_linux_runs_side_by_side)
{
	struct t_side a = {.opts = "kernel=linux strategy=D seed=3",
			   .fibers = sim_fibers_available()};
	struct t_side b = {.opts = "kernel=linux strategy=none seed=2"};
	struct t_side alone_a = a, alone_b = b;
	pthread_t ta, tb;

	t_side_run(&alone_a);
	t_side_run(&alone_b);
	for (int round = 0; round < 3; round++) {
		ck_assert(!pthread_create(&ta, NULL, t_side_run, &a));
		ck_assert(!pthread_create(&tb, NULL, t_side_run, &b));
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		ck_assert_str_eq(a.digest, alone_a.digest);
		ck_assert_str_eq(b.digest, alone_b.digest);
	}
}
END_TEST

START_TEST(test_unknown_kernel_is_bad_input)
{
	const struct scenario *scn = scenario_find("hvo-2m");
	struct sim_options o;
	struct sim_costs c;
	char err[300];

	sim_options_default(&o);
	sim_opt_set_str(&o, OPT_kernel, "bsd");
	costs_default(&c);
	struct sim *sim = sim_create(scn, &o, &c, NULL, err, sizeof(err));
	ck_assert_int_eq(sim_run(sim, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown kernel 'bsd'"));
	sim_destroy(sim);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("linux-hvo");
	TCase *tc = tcase_create("linux-hvo");
	unsigned ns = 1 + t_nr_clean_strategies;

	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, test_optimize_2m_same_as_model, 0, ns);
	tcase_add_loop_test(tc, test_optimize_1g_same_as_model, 0, ns);
	tcase_add_loop_test(tc, test_optimize_restore_2m_same_as_model, 0, ns);
	tcase_add_loop_test(tc, test_batch_2m_same_as_model, 0, ns);
	tcase_add_loop_test(tc, test_batch_restore_1g_same_as_model, 0, ns);
	tcase_add_test(tc, test_linux_optimize_counts);
	tcase_add_test(tc, test_linux_batch_flushes_twice);
	/* The checker on Linux's code: the verdicts and schedules of test_hvo (testlib). */
	t_add_hvo_verdicts(tc, "linux");
	tcase_add_test(tc, test_finding_names_the_linux_line);
	tcase_add_test(tc, test_model_finding_names_no_linux_line);
	tcase_add_test(tc, test_unknown_kernel_is_bad_input);
	tcase_add_test(tc, test_two_linux_runs_side_by_side);
	suite_add_tcase(s, tc);
	return s;
}
