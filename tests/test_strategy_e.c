// SPDX-License-Identifier: GPL-2.0-only
/*
 * Strategy E, the July 2026 series ("Another attempt at HVO on arm64"):
 * the break is a cleared Access flag, flushed, then a cmpxchg swaps the new
 * entry in (try_populate_vmemmap_pmd()). What a user relies on: E clean on
 * the HVO scenarios with hardware AF updates; its retries and give-ups
 * counted, and a give-up leaving the folio unoptimised with nothing lost;
 * the plain split under BBML2_NOABORT; refused without
 * system_supports_hvo(); the AF=0 window faulting without hardware AF; and
 * the checker catching E without the flush after the AF clear (Arm ARM
 * DDI 0487 D8.16.1: the old entry may be cached until the invalidation
 * completes).
 */
#include "mm/mm.h"
#include "testlib.h"

#include <check.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

static uint64_t metric(const struct sim *sim, const char *name)
{
	uint64_t v = 0;

	ck_assert_msg(sim_metric_get(sim, name, &v), "no metric %s", name);
	return v;
}

START_TEST(test_e_clean_on_hvo_2m_random_and_pct)
{
	/* The AF=0 entry is never cached: swapping it needs no break (D8.16.1). */
	ck_assert_uint_eq(t_explore("hvo-2m", "strategy=E hafdbs=af", 20, -1), 0);
	ck_assert_uint_eq(t_explore("hvo-2m", "strategy=E hafdbs=af sched=pct", 20, -1), 0);
}
END_TEST

START_TEST(test_e_clean_on_hvo_1g)
{
	ck_assert_uint_eq(t_explore("hvo-1g", "strategy=E hafdbs=af", 2, -1), 0);
}
END_TEST

/* The run's accounting of E: what a user reads off the metrics. */
static void check_e_accounting(struct sim *sim)
{
	struct mm *mm = mm_of(sim);
	uint64_t n_not = metric(sim, "folios-not-optimised");

	/* The scenario's own check: every page accounted, none lost. */
	ck_assert_uint_eq(sim->nr_findings, 0);
	/* A give-up is the 16th failed attempt on one PMD. */
	ck_assert_uint_ge(mm->stats.af_retries_pmd, 16 * mm->stats.split_eagain);
	ck_assert_uint_eq(metric(sim, "split-eagain"), mm->stats.split_eagain);
	/* Only a give-up leaves a folio unoptimised; it keeps its 7 tail pages (4 KiB each). */
	if (n_not)
		ck_assert_uint_gt(mm->stats.split_eagain, 0);
	ck_assert_uint_eq(metric(sim, "vmemmap-kib-not-saved"), n_not * 7 * 4);
}

START_TEST(test_e_hammer_counts_retries)
{
	uint64_t retries = 0;

	for (unsigned seed = 1; seed <= 4; seed++) {
		gchar *o = g_strdup_printf("seed=%u", seed);
		struct sim *sim = t_run("hvo-2m-e-hammer", o);
		struct mm *mm = mm_of(sim);

		check_e_accounting(sim);
		retries += mm->stats.af_retries_pmd + mm->stats.af_retries_pte;
		sim_destroy(sim);
		g_free(o);
	}
	/* Readers walking the block after the flush set AF again: some swaps fail. */
	ck_assert_uint_gt(retries, 0);
}
END_TEST

START_TEST(test_e_gives_up_after_16_attempts_and_leaves_the_folios)
{
	/* A walker sets AF at every chance: every attempt fails, every split gives up. */
	struct sim *sim = t_run("hvo-2m-e-af-storm", "seed=1");
	struct mm *mm = mm_of(sim);

	check_e_accounting(sim);
	/*
	 * Each of the 4 folios gives up twice: in the batch's split pass,
	 * which goes on past -EAGAIN (Linux stops it only at -ENOMEM), and
	 * again when its remap finds the block.
	 */
	ck_assert_uint_eq(mm->stats.split_eagain, 2 * 4);
	ck_assert_uint_eq(mm->stats.pmd_splits, 0);
	ck_assert_uint_eq(metric(sim, "folios-not-optimised"), 4);
	/* Only the head copies each try made were allocated, and they went back. */
	ck_assert_uint_eq(mm->stats.vmemmap_freed, mm->stats.vmemmap_alloced);
	/* What was given up: 4 folios x 7 pages of vmemmap. */
	ck_assert_uint_eq(metric(sim, "vmemmap-kib-not-saved"), 4 * 7 * 4);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_e_without_readers_needs_no_retry)
{
	/* No other CPU walks, the hardware sets AF nowhere on its own: one attempt each. */
	struct sim *sim = t_run("hvo-2m", "strategy=E hafdbs=af cpus=1");
	struct mm *mm = mm_of(sim);

	ck_assert_uint_eq(sim->nr_findings, 0);
	ck_assert_uint_eq(mm->stats.split_eagain, 0);
	ck_assert_uint_eq(mm->stats.pmd_splits, 1);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_e_bbml2_noabort_populates_directly)
{
	/* With BBML2_NOABORT the split is pmd_populate_kernel(): no AF dance on the PMD. */
	struct sim *sim = t_run("hvo-2m-e-hammer", "bbm_level=2 bbml2_noabort=1 seed=2");
	struct mm *mm = mm_of(sim);

	ck_assert_uint_eq(sim->nr_findings, 0);
	ck_assert_uint_eq(mm->stats.af_retries_pmd, 0);
	ck_assert_uint_eq(mm->stats.split_eagain, 0);
	ck_assert_uint_eq(metric(sim, "folios-not-optimised"), 0);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_e_refused_without_system_supports_hvo)
{
	const struct scenario *scn = scenario_find("hvo-2m");
	struct sim_options o;
	struct sim_costs c;
	char err[300];

	sim_options_default(&o);
	sim_opt_set_str(&o, OPT_strategy, "E");
	sim_opt_set_str(&o, OPT_hafdbs, "none");
	costs_default(&c);
	struct sim *sim = sim_create(scn, &o, &c, NULL, err, sizeof(err));
	ck_assert_ptr_nonnull(sim);
	ck_assert_int_eq(sim_run(sim, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "system_supports_hvo()") && strstr(err, "-EOPNOTSUPP"), "%s",
		      err);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_e_without_hardware_af_faults)
{
	/* Software AF: a reader's walk of the AF=0 block takes an access flag fault. */
	struct sim *sim = t_run("hvo-2m-e-no-ha", "seed=1");
	const struct sim_finding *f = t_finding(sim, FINDING_ASSERTION);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->detail, "access-flag fault"));
	sim_destroy(sim);
}
END_TEST

START_TEST(test_e_without_the_flush_is_caught)
{
	/* The block may still be cached with AF=1 when the table goes in: D8.16.1. */
	ck_assert_uint_ge(
		t_explore("hvo-2m", "strategy=E-no-flush hafdbs=af", 10, FINDING_BBM_VIOLATION), 1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("strategy_e");
	TCase *tc = tcase_create("e");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_e_clean_on_hvo_2m_random_and_pct);
	tcase_add_test(tc, test_e_clean_on_hvo_1g);
	tcase_add_test(tc, test_e_hammer_counts_retries);
	tcase_add_test(tc, test_e_gives_up_after_16_attempts_and_leaves_the_folios);
	tcase_add_test(tc, test_e_without_readers_needs_no_retry);
	tcase_add_test(tc, test_e_bbml2_noabort_populates_directly);
	tcase_add_test(tc, test_e_refused_without_system_supports_hvo);
	tcase_add_test(tc, test_e_without_hardware_af_faults);
	tcase_add_test(tc, test_e_without_the_flush_is_caught);
	suite_add_tcase(s, tc);
	return s;
}
