// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checker's rules of issue 13 (items 4, 6, 8, 9): ordering by
 * happens-before, contents kept across an identical-contents remap, use
 * after free, and nothing silent. One allowed and one forbidden case per
 * rule, each explored over schedules where the interleaving matters.
 * herd7 verdicts: ../shared/herd/catalogue/aarch64-BBM/tests/.
 */
#include "t_mmu.h"

#define T_SCHEDS 40

static uint64_t r[8];

static const struct sim_finding *first(struct sim *sim)
{
	return sim->nr_findings ? &sim->findings[0] : NULL;
}

/* Schedules of seeds 1..T_SCHEDS, random then pct, with a finding of @kind (-1: any). */
static unsigned explore2(const char *opts, int kind)
{
	char *a = g_strdup_printf("cpus=2 sched=random %s", opts);
	char *b = g_strdup_printf("cpus=2 sched=pct %s", opts);
	unsigned n = t_explore("t-mmu", a, T_SCHEDS, kind) + t_explore("t-mmu", b, T_SCHEDS, kind);

	g_free(a);
	g_free(b);
	return n;
}

/* ---- item 4: the make is ordered after the TLBI's completion ---------------------------- */

/* CPU1: the break and its invalidation, then a flag stored after the DSB ISH. */
static void b_break_then_flag(struct sim_cpu *cpu)
{
	mmu_set_pte(cpu, t_page_ptep, 0);
	dsb_ishst(cpu);
	tlbi_vaae1is(cpu, T_PAGE_VA);
	dsb_ish(cpu);
	cpu_store64(cpu, t_flag, 1);
}

/* CPU0 makes after reading the flag: ordered (rf from a store after the DSB). */
static void b_make_after_flag(struct sim_cpu *cpu)
{
	mmu_load_nofault(cpu, T_PAGE_VA, 8, &r[0]);
	cpu_spin_until(cpu, t_flag, 8, ~0ull, 1, "t_flag == 1");
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE3_PA, MMU_PROT_KERNEL));
}

/* CPU0 makes once it sees the invalid entry: a value stored before the DSB orders nothing. */
static void b_make_after_invalid(struct sim_cpu *cpu)
{
	mmu_load_nofault(cpu, T_PAGE_VA, 8, &r[0]);
	cpu_spin_until(cpu, t_page_ptep, 8, DESC_VALID, 0, "pte invalid");
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE3_PA, MMU_PROT_KERNEL));
}

/*
 * aarch64.cat: BBM = [TLBCacheableTTD]; ca; [TLBUncacheableTTD]; ob; [TLBI];
 * ob & inv-scope; [TLBCacheableTTD]. herd7's MP+tlbi-sync.ishsptev0pteoa.v1+pos
 * (no Warning-BBM-expected) is this sequence in one thread; here the make is
 * on another CPU, ordered by a flag stored after the DSB ISH.
 */
START_TEST(test_make_on_another_cpu_after_synchronisation_is_clean)
{
	t_body[0] = b_make_after_flag;
	t_body[1] = b_break_then_flag;
	ck_assert_uint_eq(explore2("", -1), 0);
}
END_TEST

/*
 * The same make, ordered only after the invalid entry: in schedules where
 * the DSB ISH came first it used to pass; by happens-before it is a
 * violation in every schedule (D8.16.1 step 3 after step 2's completion).
 */
START_TEST(test_make_not_ordered_after_tlbi_completion_is_violation_in_every_schedule)
{
	struct sim *sim;
	const struct sim_finding *f;

	t_body[0] = b_make_after_invalid;
	t_body[1] = b_break_then_flag;
	ck_assert_uint_eq(explore2("", FINDING_BBM_VIOLATION), 2 * T_SCHEDS);
	/* Schedules where CPU1's DSB ISH came first: completed, but not before the make. */
	unsigned timed_ok = 0;

	for (unsigned seed = 1; seed <= T_SCHEDS; seed++) {
		char *o = g_strdup_printf("cpus=2 sched=random seed=%u", seed);

		sim = t_run("t-mmu", o);
		f = first(sim);
		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(f->cpu, 0);
		ck_assert_ptr_nonnull(strstr(f->rule, "rule_make_ordered_after_tlbi"));
		timed_ok += !!strstr(f->detail, "nothing orders that completion");
		sim_destroy(sim);
		g_free(o);
	}
	ck_assert_uint_gt(timed_ok, 0);
}
END_TEST

/* CPU1 frees the old page after its invalidation; CPU0 reads it in between. */
static void b_free_after_flag(struct sim_cpu *cpu)
{
	if (r[7])
		cpu_spin_until(cpu, t_flag, 8, ~0ull, 1, "t_flag == 1");
	else
		cpu_spin_until(cpu, t_page_ptep, 8, DESC_VALID, 0, "pte invalid");
	chk_page_free(cpu->sim, T_PAGE_PA, 1);
}

/* Freeing is a use of the old translation's page: the same ordering applies. */
START_TEST(test_free_ordered_after_invalidation_is_clean_unordered_is_not)
{
	t_body[0] = b_free_after_flag;
	t_body[1] = b_break_then_flag;
	r[7] = 1;
	ck_assert_uint_eq(explore2("", -1), 0);
	r[7] = 0;
	ck_assert_uint_eq(explore2("", FINDING_STALE_ACCESS), 2 * T_SCHEDS);
}
END_TEST

/* ---- item 6: an identical-contents remap binds both pages' contents ------------------------- */

/* RW -> RO (a permission change), flushed; then the OA moves to an identical page. */
static void twin_remap(struct sim_cpu *cpu)
{
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, MMU_PROT_KERNEL_RO));
	dsb_ishst(cpu);
	tlbi_vaae1is(cpu, T_PAGE_VA);
	dsb_ish(cpu);
	cpu_load64(cpu, T_PAGE_VA);
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE2_PA, MMU_PROT_KERNEL_RO));
	dsb_ishst(cpu);
}

static void twin_flush(struct sim_cpu *cpu)
{
	tlbi_vaae1is(cpu, T_PAGE_VA);
	dsb_ish(cpu);
}

/* r[7]: 0 write after the flush, 1 new page before it, 2 old page before it. */
static void b_twin_write(struct sim_cpu *cpu)
{
	twin_remap(cpu);
	if (!r[7])
		twin_flush(cpu);
	cpu_store64(cpu, mmu_phys_to_virt(r[7] == 2 ? T_PAGE_PA : T_PAGE2_PA), 0x4444);
	twin_flush(cpu);
}

/* herd7 CoRR+PteOA.DB0.val: read-only, same values, no Warning-BBM-expected. */
START_TEST(test_write_after_identical_remap_completed_is_clean)
{
	struct sim *sim;

	r[7] = 0;
	sim = t_mmu_run(b_twin_write, NULL, "");
	ck_assert_ptr_null(first(sim));
	ck_assert_uint_eq(chk_pending_breaks(sim), 0);
	sim_destroy(sim);
}
END_TEST

/*
 * herd7 CoRR+PteOA.DB0 (values differ: Warning-BBM-expected): a write to
 * either page while both translations may be cached makes them differ.
 */
START_TEST(test_write_to_either_page_before_the_flush_is_violation)
{
	for (r[7] = 1; r[7] <= 2; r[7]++) {
		struct sim *sim = t_mmu_run(b_twin_write, NULL, "");
		const struct sim_finding *f = first(sim);

		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(f->kind, FINDING_BBM_VIOLATION);
		ck_assert_ptr_nonnull(strstr(f->rule, "rule_twin_contents_kept"));
		ck_assert_ptr_nonnull(
			strstr(f->detail, r[7] == 1 ? "the new page" : "the old page"));
		ck_assert_uint_eq(f->va, T_PAGE_VA);
		sim_destroy(sim);
	}
}
END_TEST

/* ---- item 8: use after free ------------------------------------------------------------------ */

/* A direct remap (reported, kept going), then the old page is freed and read. */
static void b_remap_free_read(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_PAGE_VA);
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE3_PA, MMU_PROT_KERNEL));
	chk_page_free(cpu->sim, T_PAGE_PA, 1);
	cpu_load64(cpu, T_PAGE_VA);
}

START_TEST(test_read_through_stale_entry_after_direct_remap_and_free_is_stale_access)
{
	struct sim *sim = t_mmu_run(b_remap_free_read, NULL, "keep_going=1");
	const struct sim_finding *f = t_finding(sim, FINDING_STALE_ACCESS);

	ck_assert_ptr_nonnull(t_finding(sim, FINDING_BBM_VIOLATION));
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->rule, "rule_no_stale_entry"));
	ck_assert_ptr_nonnull(strstr(f->detail, "stale TLB entry to a page freed"));
	sim_destroy(sim);
}
END_TEST

/* The new scenario: a vmemmap page freed before its flush, caught at the free. */
START_TEST(test_vmemmap_page_freed_before_flush_is_found_in_every_schedule)
{
	const struct scenario *scn = scenario_find("mmu-vmemmap-free-early");

	ck_assert_ptr_nonnull(scn);
	ck_assert_int_eq(scn->expect, FINDING_STALE_ACCESS);
	ck_assert_uint_eq(
		t_explore("mmu-vmemmap-free-early", "sched=random", T_SCHEDS, FINDING_STALE_ACCESS),
		T_SCHEDS);
	ck_assert_uint_eq(
		t_explore("mmu-vmemmap-free-early", "sched=pct", T_SCHEDS, FINDING_STALE_ACCESS),
		T_SCHEDS);
}
END_TEST

/* ---- item 9: nothing silent -------------------------------------------------------------------- */

/* Every PTE of the 3 MiB region broken, none invalidated: all stay recorded. */
static void b_many_breaks(struct sim_cpu *cpu)
{
	/* The region's PTEs sit in two tables: find each by VA. */
	for (unsigned i = 0; i < T_PAGES_N; i++) {
		uint64_t va = T_PAGES_VA + (uint64_t)i * MMU_PAGE_SIZE;

		mmu_set_pte(cpu, mmu_phys_to_virt(mmu_slot_pa(cpu->sim, va, 3)), 0);
	}
	r[0] = chk_pending_breaks(cpu->sim);
	/* The first one remade without its TLBI is still judged. */
	mmu_set_pte(cpu, mmu_phys_to_virt(mmu_slot_pa(cpu->sim, T_PAGES_VA, 3)),
		    t_pte(T_PAGE3_PA, MMU_PROT_KERNEL));
}

START_TEST(test_break_records_are_never_dropped_while_live)
{
	struct sim *sim = t_mmu_run(b_many_breaks, NULL, "");
	const struct sim_finding *f = first(sim);

	ck_assert_uint_eq(r[0], T_PAGES_N);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->kind, FINDING_BBM_VIOLATION);
	ck_assert_uint_eq(f->va, T_PAGES_VA);
	sim_destroy(sim);
}
END_TEST

/* At 80 CPUs the CPU that explains a deadlock is far past 512 bytes. */
START_TEST(test_deadlock_report_names_every_cpu_in_full)
{
	struct sim *sim = t_run("hvo-2m-d-no-nmi", "cpus=80");
	const struct sim_finding *f = t_finding(sim, FINDING_DEADLOCK);
	size_t len;
	const char *text = sim_trace_text(sim, &len);
	const char *line = strstr(text, "finding deadlock");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_gt(strlen(f->detail), 512);
	ck_assert_ptr_nonnull(strstr(f->detail, "cpu0 "));
	ck_assert_ptr_nonnull(strstr(f->detail, "cpu79 "));
	/* The trace's finding line is whole too. */
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, "cpu79 "));
	sim_destroy(sim);
}
END_TEST

/* The rule table: every rule a function, a finding and a citation. */
static void count_rule(const char *fn, const char *finding, const char *cite, void *arg)
{
	ck_assert_ptr_nonnull(strstr(fn, "rule_"));
	ck_assert_str_ne(finding, "?");
	ck_assert_uint_gt(strlen(cite), 4);
	(*(unsigned *)arg)++;
}

START_TEST(test_every_rule_has_a_function_finding_and_citation)
{
	unsigned n = 0;

	chk_rules_foreach(count_rule, &n);
	ck_assert_uint_ge(n, 8);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("checker-rules");
	TCase *tc = tcase_create("checker-rules");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_make_on_another_cpu_after_synchronisation_is_clean);
	tcase_add_test(tc,
		       test_make_not_ordered_after_tlbi_completion_is_violation_in_every_schedule);
	tcase_add_test(tc, test_free_ordered_after_invalidation_is_clean_unordered_is_not);
	tcase_add_test(tc, test_write_after_identical_remap_completed_is_clean);
	tcase_add_test(tc, test_write_to_either_page_before_the_flush_is_violation);
	tcase_add_test(tc,
		       test_read_through_stale_entry_after_direct_remap_and_free_is_stale_access);
	tcase_add_test(tc, test_vmemmap_page_freed_before_flush_is_found_in_every_schedule);
	tcase_add_test(tc, test_break_records_are_never_dropped_while_live);
	tcase_add_test(tc, test_deadlock_report_names_every_cpu_in_full);
	tcase_add_test(tc, test_every_rule_has_a_function_finding_and_citation);
	suite_add_tcase(s, tc);
	return s;
}
