// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checker: one allowed and one forbidden case per Arm rule, the
 * fields of every finding, and each mmu-* scenario's verdict.
 */
#include "t_mmu.h"

static uint64_t r[8];

static const struct sim_finding *only_finding(struct sim *sim)
{
	ck_assert_uint_le(sim->nr_findings, 1);
	return sim->nr_findings ? &sim->findings[0] : NULL;
}

static void assert_clean(struct sim *sim)
{
	const struct sim_finding *f = only_finding(sim);

	ck_assert_msg(!f, "unexpected %s: %s", f ? finding_name(f->kind) : "", f ? f->detail : "");
}

static const struct sim_finding *assert_kind(struct sim *sim, enum sim_finding_kind k)
{
	const struct sim_finding *f = t_finding(sim, k);

	ck_assert_msg(f, "expected %s, got %s", finding_name(k),
		      sim->nr_findings ? finding_name(sim->findings[0].kind) : "nothing");
	return f;
}

/* ---- output address -------------------------------------------------------------- */

static void b_oa_direct(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_PAGE_VA);
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE2_PA, MMU_PROT_KERNEL));
}

START_TEST(test_oa_change_of_writable_page_without_break_is_violation)
{
	struct sim *sim = t_mmu_run(b_oa_direct, NULL, "");
	const struct sim_finding *f = assert_kind(sim, FINDING_BBM_VIOLATION);

	ck_assert_int_eq(f->cpu, 0);
	ck_assert_uint_eq(f->va, T_PAGE_VA);
	ck_assert_uint_eq(f->pa, T_PAGE2_PA);
	ck_assert_ptr_nonnull(strstr(f->rule, "D8.16.1"));
	ck_assert_ptr_nonnull(strstr(f->detail, "old 0x60000008000703"));
	ck_assert_ptr_nonnull(strstr(f->detail, "new 0x60000008001703"));
	ck_assert_ptr_nonnull(strstr(f->detail, "writable"));
	ck_assert_uint_gt(f->step, 0);
	ck_assert_uint_gt(f->clock, 0);
	sim_destroy(sim);
}
END_TEST

static void b_oa_bbm(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_PAGE_VA);
	t_bbm(cpu, t_page_ptep, T_PAGE_VA, t_pte(T_PAGE2_PA, MMU_PROT_KERNEL));
	r[0] = cpu_load64(cpu, T_PAGE_VA);
}

START_TEST(test_oa_change_with_break_before_make_is_clean)
{
	struct sim *sim = t_mmu_run(b_oa_bbm, NULL, "");

	assert_clean(sim);
	ck_assert_uint_eq(chk_pending_breaks(sim), 0);
	sim_destroy(sim);
}
END_TEST

static void b_oa_ro(struct sim_cpu *cpu)
{
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, MMU_PROT_KERNEL_RO));
	cpu_load64(cpu, T_PAGE_VA);
	mmu_set_pte(cpu, t_page_ptep, t_pte(r[7], MMU_PROT_KERNEL_RO));
}

START_TEST(test_oa_change_read_only_same_contents_needs_no_break)
{
	struct sim *sim;

	r[7] = T_PAGE2_PA;
	sim = t_mmu_run(b_oa_ro, NULL, "");
	assert_clean(sim);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_oa_change_read_only_different_contents_is_violation)
{
	struct sim *sim;
	const struct sim_finding *f;

	r[7] = T_PAGE3_PA;
	sim = t_mmu_run(b_oa_ro, NULL, "");
	f = assert_kind(sim, FINDING_BBM_VIOLATION);
	ck_assert_ptr_nonnull(strstr(f->detail, "contents differ"));
	ck_assert_ptr_null(strstr(f->detail, "writable"));
	sim_destroy(sim);
}
END_TEST

/* ---- attributes -------------------------------------------------------------------- */

/* Changes the live test page to its PAGE_KERNEL self with @set/@clear applied. */
static uint64_t attr_set, attr_clear;

static void b_attr(struct sim_cpu *cpu)
{
	uint64_t pte = t_pte(T_PAGE_PA, MMU_PROT_KERNEL);

	cpu_load64(cpu, T_PAGE_VA);
	mmu_set_pte(cpu, t_page_ptep, (pte | attr_set) & ~attr_clear);
	mmu_set_pte(cpu, t_page_ptep, pte);
}

static struct sim *run_attr(uint64_t set, uint64_t clear)
{
	attr_set = set;
	attr_clear = clear;
	return t_mmu_run(b_attr, NULL, "");
}

START_TEST(test_permission_and_af_changes_need_no_break)
{
	uint64_t ok[][2] = {
		{DESC_AP_RDONLY, 0},				     /* RW -> RO -> RW */
		{0, DESC_PXN},					     /* executable */
		{0, DESC_UXN},	     {DESC_DBM, 0}, {1ull << 55, 0}, /* software bits */
		{0, DESC_AF},					     /* AF cleared and set again */
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(ok); i++) {
		struct sim *sim = run_attr(ok[i][0], ok[i][1]);

		assert_clean(sim);
		sim_destroy(sim);
	}
}
END_TEST

START_TEST(test_attribute_changes_that_need_break_are_violations)
{
	struct {
		uint64_t set, clear;
		const char *rule;
	} bad[] = {
		{DESC_ATTRINDX(MT_NORMAL_NC), 0, "memory type"},
		{0, DESC_SH_MASK, "shareability"},
		{DESC_NG, 0, "non-global"},
		{DESC_CONT, 0, "Contiguous"},
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct sim *sim = run_attr(bad[i].set, bad[i].clear);
		const struct sim_finding *f = assert_kind(sim, FINDING_BBM_VIOLATION);

		ck_assert_msg(strstr(f->rule, bad[i].rule), "%s: rule %s", bad[i].rule, f->rule);
		sim_destroy(sim);
	}
}
END_TEST

/* ---- block size (FEAT_BBM) --------------------------------------------------------- */

static void b_split_direct(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_BLOCK_VA);
	dsb_ishst(cpu);
	mmu_set_pte(cpu, t_block_pmdp, mmu_mk_table(t_table_pa));
	tlbi_vaale1is(cpu, T_BLOCK_VA);
	dsb_ish(cpu);
	for (unsigned i = 0; i < 4; i++)
		r[i] = cpu_load64(cpu, T_BLOCK_VA + i * MMU_PAGE_SIZE);
}

START_TEST(test_block_split_without_break_is_violation_at_bbm_level_0_and_1)
{
	for (unsigned level = 0; level <= 1; level++) {
		gchar *o = g_strdup_printf("bbm_level=%u", level);
		struct sim *sim = t_mmu_run(b_split_direct, NULL, o);
		const struct sim_finding *f = assert_kind(sim, FINDING_BBM_VIOLATION);

		ck_assert_ptr_nonnull(strstr(f->rule, "table/block"));
		ck_assert_uint_eq(f->va, T_BLOCK_VA);
		sim_destroy(sim);
		g_free(o);
	}
}
END_TEST

START_TEST(test_block_split_same_pages_is_allowed_at_bbm_level_2)
{
	struct sim *sim = t_mmu_run(b_split_direct, NULL, "bbm_level=2 bbml2_noabort=1");

	assert_clean(sim);
	sim_destroy(sim);
}
END_TEST

static void b_split_differ(struct sim_cpu *cpu)
{
	/* The new table maps page 3 elsewhere: a size change and an OA change. */
	pmem_write(cpu->sim->mem, t_table_pa + 3 * 8, 8, t_pte(T_PAGE3_PA, MMU_PROT_KERNEL));
	b_split_direct(cpu);
}

START_TEST(test_block_split_with_other_contents_is_violation_at_bbm_level_2)
{
	struct sim *sim = t_mmu_run(b_split_differ, NULL, "bbm_level=2 bbml2_noabort=1");
	const struct sim_finding *f = assert_kind(sim, FINDING_BBM_VIOLATION);

	ck_assert_ptr_nonnull(strstr(f->rule, "D8.16.2"));
	ck_assert_uint_eq(f->va, T_BLOCK_VA + 3 * MMU_PAGE_SIZE);
	ck_assert_uint_eq(f->pa, T_PAGE3_PA);
	sim_destroy(sim);
}
END_TEST

static void b_split_bbm(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_BLOCK_VA);
	mmu_set_pte(cpu, t_block_pmdp, 0);
	dsb_ishst(cpu);
	tlbi_vaale1is(cpu, T_BLOCK_VA + 0x100000); /* any VA in the block */
	dsb_ish(cpu);
	mmu_set_pte(cpu, t_block_pmdp, mmu_mk_table(t_table_pa));
	dsb_ishst(cpu);
	r[0] = cpu_load64(cpu, T_BLOCK_VA);
}

START_TEST(test_block_split_with_break_is_clean_at_bbm_level_0)
{
	struct sim *sim = t_mmu_run(b_split_bbm, NULL, "cpus=2");

	assert_clean(sim);
	sim_destroy(sim);
}
END_TEST

/* ---- the break-before-make sequence ------------------------------------------------ */

enum seq {
	SEQ_FULL,
	SEQ_TLBI_BEFORE_DSB, /* invalid, TLBI, DSB ISH, new */
	SEQ_DSB_ISHST_AFTER, /* invalid, DSB, TLBI, DSB ISHST, new */
	SEQ_LOCAL_TLBI,	     /* invalid, DSB, TLBI VAAE1 (local), DSB, new */
	SEQ_OTHER_VA,	     /* invalid, DSB, TLBI of another page, DSB, new */
	SEQ_NO_TLBI,	     /* invalid, DSB, new */
};

static void b_seq(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_PAGE_VA);
	mmu_set_pte(cpu, t_page_ptep, 0);
	if (r[7] != SEQ_TLBI_BEFORE_DSB)
		dsb_ishst(cpu);
	switch (r[7]) {
	case SEQ_LOCAL_TLBI:
		tlbi_vaae1(cpu, T_PAGE_VA);
		break;
	case SEQ_OTHER_VA:
		tlbi_vaae1is(cpu, T_PAGE_VA + MMU_PAGE_SIZE);
		break;
	case SEQ_NO_TLBI:
		break;
	default:
		tlbi_vaae1is(cpu, T_PAGE_VA);
		break;
	}
	if (r[7] == SEQ_DSB_ISHST_AFTER)
		dsb_ishst(cpu);
	else
		dsb_ish(cpu);
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE2_PA, MMU_PROT_KERNEL));
}

static struct sim *run_seq(enum seq s, const char *opts)
{
	r[7] = s;
	return t_mmu_run(b_seq, NULL, opts);
}

START_TEST(test_full_sequence_is_clean)
{
	struct sim *sim = run_seq(SEQ_FULL, "cpus=2");

	assert_clean(sim);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_incomplete_sequences_are_violations)
{
	struct {
		enum seq s;
		const char *why;
	} bad[] = {
		{SEQ_TLBI_BEFORE_DSB, "no broadcast TLBI covering it after the DSB"},
		{SEQ_DSB_ISHST_AFTER, "not yet completed by a DSB ISH"},
		{SEQ_LOCAL_TLBI, "no broadcast TLBI"},
		{SEQ_OTHER_VA, "no broadcast TLBI"},
		{SEQ_NO_TLBI, "no broadcast TLBI"},
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		struct sim *sim = run_seq(bad[i].s, "cpus=2");
		const struct sim_finding *f = assert_kind(sim, FINDING_BBM_VIOLATION);

		ck_assert_msg(strstr(f->detail, bad[i].why), "case %u: %s", i, f->detail);
		ck_assert_ptr_nonnull(
			strstr(f->detail, "before the break's invalidation completed"));
		sim_destroy(sim);
	}
}
END_TEST

START_TEST(test_local_tlbi_suffices_on_one_cpu)
{
	struct sim *sim = run_seq(SEQ_LOCAL_TLBI, "cpus=1");

	assert_clean(sim);
	sim_destroy(sim);
}
END_TEST

/* Breaks the L2 table descriptor of T_PAGES_VA, then installs another table. */
static void b_table_break(struct sim_cpu *cpu)
{
	uint64_t pmdp = mmu_phys_to_virt(mmu_slot_pa(cpu->sim, T_PAGES_VA, 2));

	cpu_load64(cpu, T_PAGES_VA);
	mmu_set_pte(cpu, pmdp, 0);
	dsb_ishst(cpu);
	if (r[7])
		tlbi_rvaale1is(cpu, mmu_tlbi_range_arg(T_PAGES_VA, 1, 7));
	else
		tlbi_rvae1is(cpu, mmu_tlbi_range_arg(T_PAGES_VA, 1, 7));
	dsb_ish(cpu);
	mmu_set_pte(cpu, pmdp, mmu_mk_table(t_table_pa));
}

START_TEST(test_table_break_retired_by_non_leaf_range_tlbi)
{
	struct sim *sim;

	r[7] = 0;
	sim = t_mmu_run(b_table_break, NULL, "cpus=2");
	assert_clean(sim);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_table_break_not_retired_by_last_level_tlbi)
{
	struct sim *sim;

	r[7] = 1;
	sim = t_mmu_run(b_table_break, NULL, "cpus=2");
	assert_kind(sim, FINDING_BBM_VIOLATION);
	sim_destroy(sim);
}
END_TEST

/* ---- TLB conflicts ------------------------------------------------------------------ */

/* Split without a break and keep reading the first page until both entries are held. */
static void b_conflict(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_BLOCK_VA);
	mmu_set_pte(cpu, t_block_pmdp, mmu_mk_table(t_table_pa));
	r[0] = 0;
	for (unsigned i = 0; i < 40 && r[0] < 2; i++) {
		cpu_load64(cpu, T_BLOCK_VA);
		r[0] = mmu_tlb_count_va(cpu, T_BLOCK_VA);
	}
}

START_TEST(test_block_and_page_entries_conflict_at_bbm_level_0)
{
	struct sim *sim = t_mmu_run(b_conflict, NULL, "keep_going=1");
	const struct sim_finding *f;

	ck_assert_uint_eq(r[0], 2);
	assert_kind(sim, FINDING_BBM_VIOLATION);
	f = assert_kind(sim, FINDING_TLB_CONFLICT);
	ck_assert_uint_eq(f->va, T_BLOCK_VA);
	ck_assert_uint_eq(f->pa, T_BLOCK_PA);
	ck_assert_ptr_nonnull(strstr(f->detail, "L2 block"));
	ck_assert_ptr_nonnull(strstr(f->detail, "L3 page"));
	sim_destroy(sim);
}
END_TEST

START_TEST(test_identical_entries_do_not_conflict_with_bbml2_noabort)
{
	struct sim *sim = t_mmu_run(b_conflict, NULL, "bbm_level=2 bbml2_noabort=1");

	ck_assert_uint_eq(r[0], 2);
	assert_clean(sim);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_bbml2_without_noabort_may_take_conflict_abort)
{
	struct sim *sim = t_mmu_run(b_conflict, NULL, "bbm_level=2 bbml2_noabort=0");
	const struct sim_finding *f = only_finding(sim);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->kind, FINDING_TLB_CONFLICT);
	ck_assert_ptr_nonnull(strstr(f->rule, "D8.16.2"));
	sim_destroy(sim);
}
END_TEST

/* ---- faults --------------------------------------------------------------------------- */

static void b_break_access(struct sim_cpu *cpu)
{
	mmu_set_pte(cpu, t_page_ptep, 0);
	dsb_ish(cpu);
	cpu_load64(cpu, T_PAGE_VA + 0x40);
}

START_TEST(test_access_without_fixup_during_break_is_break_fault)
{
	struct sim *sim = t_mmu_run(b_break_access, NULL, "");
	const struct sim_finding *f = only_finding(sim);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->kind, FINDING_BREAK_FAULT);
	ck_assert_int_eq(f->cpu, 0);
	ck_assert_uint_eq(f->va, T_PAGE_VA + 0x40);
	ck_assert_uint_eq(f->pa, T_PAGE_PA);
	ck_assert_ptr_nonnull(strstr(f->rule, "D8.16.1"));
	ck_assert_ptr_nonnull(strstr(f->detail, "level 3 translation fault"));
	ck_assert_ptr_nonnull(strstr(f->detail, "broken from 0x60000008000703"));
	sim_destroy(sim);
}
END_TEST

static enum mmu_fault_action h_remake(struct sim_cpu *cpu, const struct mmu_fault *f, void *arg)
{
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, MMU_PROT_KERNEL));
	return MMU_FAULT_RETRY;
}

static void b_break_access_fixup(struct sim_cpu *cpu)
{
	mmu_set_fault_handler(cpu, h_remake, NULL);
	b_break_access(cpu);
}

START_TEST(test_access_with_fixup_during_break_is_clean)
{
	struct sim *sim = t_mmu_run(b_break_access_fixup, NULL, "");

	assert_clean(sim);
	sim_destroy(sim);
}
END_TEST

static void b_unmapped(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_PAGE_VA + 7 * MMU_PAGE_SIZE);
}

START_TEST(test_access_to_never_mapped_va_is_an_oops_not_a_break_fault)
{
	struct sim *sim = t_mmu_run(b_unmapped, NULL, "");
	const struct sim_finding *f = only_finding(sim);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->kind, FINDING_ASSERTION);
	ck_assert_ptr_nonnull(strstr(f->rule, "paging request"));
	sim_destroy(sim);
}
END_TEST

static void b_write(struct sim_cpu *cpu)
{
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, r[7]));
	cpu_store64(cpu, T_PAGE_VA + 0x18, 5);
}

START_TEST(test_write_to_read_only_mapping_is_permission_fault)
{
	struct sim *sim;
	const struct sim_finding *f;

	r[7] = MMU_PROT_KERNEL_RO;
	sim = t_mmu_run(b_write, NULL, "");
	f = only_finding(sim);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->kind, FINDING_PERMISSION_FAULT);
	ck_assert_uint_eq(f->va, T_PAGE_VA + 0x18);
	ck_assert_uint_eq(f->pa, T_PAGE_PA);
	ck_assert_ptr_nonnull(strstr(f->rule, "read-only"));
	ck_assert_ptr_nonnull(strstr(f->detail, "RO"));
	ck_assert_uint_eq(pmem_read(sim->mem, T_PAGE_PA + 0x18, 8), 0);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_write_to_writable_mapping_is_clean)
{
	struct sim *sim;

	r[7] = MMU_PROT_KERNEL;
	sim = t_mmu_run(b_write, NULL, "");
	assert_clean(sim);
	ck_assert_uint_eq(pmem_read(sim->mem, T_PAGE_PA + 0x18, 8), 5);
	sim_destroy(sim);
}
END_TEST

/* ---- stale accesses -------------------------------------------------------------------- */

static void b_stale(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_PAGE_VA);
	if (r[7] == 3) {
		/* Another page changes owner; a hit now re-stamps the entry. */
		chk_page_alloc(cpu->sim, T_PAGE3_PA, 1);
		cpu_load64(cpu, T_PAGE_VA);
	}
	if (r[7] != 2)
		mmu_set_pte(cpu, t_page_ptep, 0);
	dsb_ish(cpu);
	if (r[7] == 1) {
		tlbi_vaae1is(cpu, T_PAGE_VA);
		dsb_ish(cpu);
	}
	chk_page_free(cpu->sim, T_PAGE_PA, 1);
	r[0] = mmu_load_nofault(cpu, T_PAGE_VA, 8, &r[1]);
}

START_TEST(test_access_through_stale_entry_to_freed_page_is_stale_access)
{
	struct sim *sim;
	const struct sim_finding *f;

	/*
	 * D8.16.1: unmapped, no TLBI, freed: the free itself is the finding
	 * (the read after it is the same finding, kind and place).
	 */
	r[7] = 0;
	sim = t_mmu_run(b_stale, NULL, "keep_going=1");
	f = only_finding(sim);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->kind, FINDING_STALE_ACCESS);
	ck_assert_ptr_nonnull(strstr(f->rule, "rule_no_free_while_cached"));
	ck_assert_uint_eq(f->va, T_PAGE_VA);
	ck_assert_uint_eq(f->pa, T_PAGE_PA);
	ck_assert_ptr_nonnull(strstr(f->detail, "freed while a TLB may still hold"));
	ck_assert_ptr_nonnull(strstr(f->detail, "no broadcast TLBI"));
	ck_assert(chk_page_is_free(sim, T_PAGE_PA));
	sim_destroy(sim);
}
END_TEST

START_TEST(test_stale_access_seen_after_unrelated_page_activity)
{
	struct sim *sim;

	r[7] = 3;
	sim = t_mmu_run(b_stale, NULL, "");
	assert_kind(sim, FINDING_STALE_ACCESS);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_access_after_completed_invalidation_is_a_fault_not_stale)
{
	struct sim *sim;

	r[7] = 1;
	sim = t_mmu_run(b_stale, NULL, "");
	assert_clean(sim);
	ck_assert_int_eq((int)r[0], -1);
	sim_destroy(sim);
}
END_TEST

/* Issue 13 item 8: only the linear map may stay mapped over a free page. */
START_TEST(test_freed_page_through_unchanged_vmalloc_mapping_is_use_after_free)
{
	struct sim *sim;
	const struct sim_finding *f;

	r[7] = 2;
	sim = t_mmu_run(b_stale, NULL, "");
	f = assert_kind(sim, FINDING_STALE_ACCESS);
	ck_assert_ptr_nonnull(strstr(f->rule, "rule_no_free_while_cached"));
	ck_assert_ptr_nonnull(strstr(f->detail, "live TLB entry to a page freed"));
	ck_assert_uint_eq(f->va, T_PAGE_VA);
	sim_destroy(sim);
}
END_TEST

static void b_free_linear(struct sim_cpu *cpu)
{
	uint64_t va = mmu_phys_to_virt(T_PAGE3_PA);

	cpu_load64(cpu, va);
	chk_page_alloc(cpu->sim, T_PAGE3_PA, 1);
	chk_page_free(cpu->sim, T_PAGE3_PA, 1);
	r[0] = cpu_load64(cpu, va); /* the linear map: the allocator's own view */
	cpu_store64(cpu, va, 1);
}

START_TEST(test_freed_page_through_linear_map_is_clean)
{
	struct sim *sim = t_mmu_run(b_free_linear, NULL, "");

	assert_clean(sim);
	ck_assert_uint_eq(r[0], 0x3333);
	sim_destroy(sim);
}
END_TEST

/* ---- the scenarios' verdicts ---------------------------------------------------------- */

static void assert_verdict(const char *name, unsigned n)
{
	const struct scenario *scn = scenario_find(name);
	const char *scheds[] = {"sched=random", "sched=pct"};

	ck_assert_ptr_nonnull(scn);
	for (unsigned i = 0; i < 2; i++) {
		unsigned any = t_explore(name, scheds[i], n, -1);

		if (scn->expect < 0) {
			ck_assert_msg(any == 0, "%s %s: %u schedules with findings", name,
				      scheds[i], any);
			continue;
		}
		/* Found, and every schedule's finding is the expected one. */
		ck_assert_msg(any > 0, "%s %s: never found", name, scheds[i]);
		ck_assert_uint_eq(t_explore(name, scheds[i], n, scn->expect), any);
	}
}

START_TEST(test_scenario_verdicts)
{
	const char *names[] = {
		"mmu-bbm-ok",	"mmu-bbm-skip",	   "mmu-make-then-tlbi", "mmu-no-tlbi",
		"mmu-no-dsb",	"mmu-split-nobbm", "mmu-split-bbml2",	 "mmu-split-bbml2-differ",
		"mmu-perm-only"};

	for (unsigned i = 0; i < G_N_ELEMENTS(names); i++)
		assert_verdict(names[i], 200);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("checker");
	TCase *tc = tcase_create("checker");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_oa_change_of_writable_page_without_break_is_violation);
	tcase_add_test(tc, test_oa_change_with_break_before_make_is_clean);
	tcase_add_test(tc, test_oa_change_read_only_same_contents_needs_no_break);
	tcase_add_test(tc, test_oa_change_read_only_different_contents_is_violation);
	tcase_add_test(tc, test_permission_and_af_changes_need_no_break);
	tcase_add_test(tc, test_attribute_changes_that_need_break_are_violations);
	tcase_add_test(tc, test_block_split_without_break_is_violation_at_bbm_level_0_and_1);
	tcase_add_test(tc, test_block_split_same_pages_is_allowed_at_bbm_level_2);
	tcase_add_test(tc, test_block_split_with_other_contents_is_violation_at_bbm_level_2);
	tcase_add_test(tc, test_block_split_with_break_is_clean_at_bbm_level_0);
	tcase_add_test(tc, test_full_sequence_is_clean);
	tcase_add_test(tc, test_incomplete_sequences_are_violations);
	tcase_add_test(tc, test_local_tlbi_suffices_on_one_cpu);
	tcase_add_test(tc, test_table_break_retired_by_non_leaf_range_tlbi);
	tcase_add_test(tc, test_table_break_not_retired_by_last_level_tlbi);
	tcase_add_test(tc, test_block_and_page_entries_conflict_at_bbm_level_0);
	tcase_add_test(tc, test_identical_entries_do_not_conflict_with_bbml2_noabort);
	tcase_add_test(tc, test_bbml2_without_noabort_may_take_conflict_abort);
	tcase_add_test(tc, test_access_without_fixup_during_break_is_break_fault);
	tcase_add_test(tc, test_access_with_fixup_during_break_is_clean);
	tcase_add_test(tc, test_access_to_never_mapped_va_is_an_oops_not_a_break_fault);
	tcase_add_test(tc, test_write_to_read_only_mapping_is_permission_fault);
	tcase_add_test(tc, test_write_to_writable_mapping_is_clean);
	tcase_add_test(tc, test_access_through_stale_entry_to_freed_page_is_stale_access);
	tcase_add_test(tc, test_stale_access_seen_after_unrelated_page_activity);
	tcase_add_test(tc, test_access_after_completed_invalidation_is_a_fault_not_stale);
	tcase_add_test(tc, test_freed_page_through_unchanged_vmalloc_mapping_is_use_after_free);
	tcase_add_test(tc, test_freed_page_through_linear_map_is_clean);
	tcase_add_test(tc, test_scenario_verdicts);
	suite_add_tcase(s, tc);
	return s;
}
