// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hardware's freedoms (issue #13): each test pair shows the smallest
 * program where one matters, the allowed outcome reached under exploration
 * and the forbidden one never, citing the Arm ARM (DDI 0487) and, where
 * ../shared/herd/catalogue has the same test, herd7's recorded verdict.
 */
#include "sim/arm/mmu_internal.h"
#include "t_mmu.h"

/* What bodies saw, read by the test after the run. */
static uint64_t r[32];
static unsigned r_faults;
static struct mmu_fault r_fault;

static enum mmu_fault_action h_count(struct sim_cpu *cpu, const struct mmu_fault *f, void *arg)
{
	r_fault = *f;
	r_faults++;
	return MMU_FAULT_NO_FIXUP;
}

/* Sets the test page's descriptor and invalidates this CPU's TLB for it. */
static void set_pte_flush(struct sim_cpu *cpu, uint64_t pte)
{
	mmu_set_pte(cpu, t_page_ptep, pte);
	dsb_ishst(cpu);
	tlbi_vaae1(cpu, T_PAGE_VA);
	dsb_ish(cpu);
	isb(cpu);
}

static uint64_t pte_now(struct sim *sim)
{
	return pmem_read(sim->mem, mmu_slot_pa(sim, T_PAGE_VA, 3), 8);
}

/* ---- 5. FEAT_HAFDBS: hardware Access flag and dirty state ---------------------------- */

static void b_af0_store(struct sim_cpu *cpu)
{
	mmu_set_fault_handler(cpu, h_count, NULL);
	set_pte_flush(cpu, t_pte(T_PAGE_PA, MMU_PROT_KERNEL & ~DESC_AF));
	r[0] = mmu_store_nofault(cpu, T_PAGE_VA, 8, 1);
	r[1] = mmu_tlb_count_va(cpu, T_PAGE_VA);
}

/*
 * D8.5 "Hardware management of the Access flag": with it, a walk that finds
 * AF=0 sets AF in the descriptor and the access proceeds (herd7 STR-AF,
 * TTHM=HA: Required x=1 /\ pte_x=(af:1) /\ ~fault). Without, an Access flag
 * fault, and nothing cached.
 */
START_TEST(test_hafdbs_af_walk_sets_af_instead_of_faulting)
{
	struct sim *sim = t_mmu_run(b_af0_store, NULL, "hafdbs=af");

	ck_assert_int_eq((int)r[0], 0);
	ck_assert_uint_eq(pmem_read(sim->mem, T_PAGE_PA, 8), 1);
	ck_assert(pte_now(sim) & DESC_AF);
	ck_assert_uint_eq(r[1], 1);
	ck_assert_ptr_null(t_finding(sim, -1));
	sim_destroy(sim);

	sim = t_mmu_run(b_af0_store, NULL, "hafdbs=none");
	ck_assert_int_eq((int)r[0], -1);
	ck_assert_uint_eq(pmem_read(sim->mem, T_PAGE_PA, 8), 0x1111);
	ck_assert(!(pte_now(sim) & DESC_AF));
	ck_assert_uint_eq(r[1], 0);
	sim_destroy(sim);
}
END_TEST

static void b_af0_invalid(struct sim_cpu *cpu)
{
	r_faults = 0;
	mmu_set_fault_handler(cpu, h_count, NULL);
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, MMU_PROT_KERNEL & ~DESC_AF) & ~DESC_VALID);
	r[0] = mmu_store_nofault(cpu, T_PAGE_VA, 8, 1);
}

/* An invalid descriptor is never updated (herd7 STRv0+af, TTHM=HA: Forbidden). */
START_TEST(test_hafdbs_af_never_set_in_invalid_descriptor)
{
	struct sim *sim = t_mmu_run(b_af0_invalid, NULL, "hafdbs=af");

	ck_assert_int_eq((int)r[0], -1);
	ck_assert(!(pte_now(sim) & DESC_AF));
	ck_assert_uint_eq(pmem_read(sim->mem, T_PAGE_PA, 8), 0x1111);
	sim_destroy(sim);
}
END_TEST

static void b_spec_af(struct sim_cpu *cpu)
{
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, MMU_PROT_KERNEL & ~DESC_AF));
	/* Never an access to T_PAGE_VA: only loads of the descriptor itself. */
	r[0] = 0;
	for (unsigned i = 0; i < 4; i++)
		r[0] |= cpu_load64(cpu, t_page_ptep) & DESC_AF;
}

/*
 * A speculative walk may set AF with no access to the page (herd7 SpecAF,
 * TTHM=HA: Allowed, pte_x read back as af:1); without HA the flag stays.
 */
START_TEST(test_hafdbs_af_set_by_speculative_walk)
{
	unsigned seen[2] = {0, 0};
	const char *modes[2] = {"af", "none"};

	for (unsigned m = 0; m < 2; m++)
		for (unsigned seed = 1; seed <= 20; seed++) {
			gchar *o =
				g_strdup_printf("hafdbs=%s sched=random seed=%u", modes[m], seed);
			struct sim *sim = t_mmu_run(b_spec_af, NULL, o);

			seen[m] += r[0] != 0;
			sim_destroy(sim);
			g_free(o);
		}
	ck_assert_uint_gt(seen[0], 0);
	ck_assert_uint_lt(seen[0], 20); /* a decision, not a rule */
	ck_assert_uint_eq(seen[1], 0);
}
END_TEST

static void b_dbm_store(struct sim_cpu *cpu)
{
	r_faults = 0;
	mmu_set_fault_handler(cpu, h_count, NULL);
	set_pte_flush(cpu, t_pte(T_PAGE_PA, MMU_PROT_KERNEL_RO | DESC_DBM));
	r[2] = cpu_load64(cpu, T_PAGE_VA); /* cache the read-only entry first */
	r[0] = mmu_store_nofault(cpu, T_PAGE_VA, 8, 1);
}

/*
 * D8.5 "Hardware management of the dirty state": a write through a
 * read-only descriptor with DBM=1 makes it writable (AP[2] = 0) instead of
 * faulting (herd7 STR-db0+dbm1-HD, TTHM=HA HD: Required x=1 /\ ~fault).
 * Without HD it is a permission fault (herd7 STR-db0-noHD: x=1 Forbidden).
 */
START_TEST(test_hafdbs_dirty_write_through_dbm_makes_writable)
{
	struct sim *sim = t_mmu_run(b_dbm_store, NULL, "hafdbs=afdb");

	ck_assert_int_eq((int)r[0], 0);
	ck_assert_uint_eq(pmem_read(sim->mem, T_PAGE_PA, 8), 1);
	ck_assert(mmu_desc_writable(pte_now(sim)));
	ck_assert(pte_now(sim) & DESC_DBM);
	ck_assert_ptr_null(t_finding(sim, -1));
	sim_destroy(sim);

	sim = t_mmu_run(b_dbm_store, NULL, "hafdbs=af");
	ck_assert_int_eq((int)r[0], -1);
	ck_assert_uint_eq(pmem_read(sim->mem, T_PAGE_PA, 8), 0x1111);
	ck_assert(!mmu_desc_writable(pte_now(sim)));
	sim_destroy(sim);
}
END_TEST

static unsigned explore(const char *scn, const char *opts, unsigned n, int kind)
{
	unsigned hits = 0;
	const char *scheds[] = {"sched=random", "sched=pct"};

	for (unsigned i = 0; i < 2; i++) {
		gchar *o = g_strdup_printf("%s %s", scheds[i], opts);

		hits += t_explore(scn, o, n, kind);
		g_free(o);
	}
	return hits;
}

/*
 * An AF=0 descriptor is a break value only while nothing can set AF: with
 * HA a walk remakes the old translation and a plain make is then a live
 * valid->valid change (D8.16.1). herd7: MP+tlbi-sync.ishspteaf0pteoa.af1+pos
 * (no HA) Never with no BBM warning; with HA the make must be a CAS
 * (MP+tlbi-sync.ishsRpteaf0pte-amo.casptepteoa.af1+pos, P1:HA: Never).
 */
START_TEST(test_hafdbs_af_undoes_an_af0_break)
{
	ck_assert_uint_gt(explore("mmu-af-break", "hafdbs=af", 100, FINDING_BBM_VIOLATION), 0);
	ck_assert_uint_eq(explore("mmu-af-break", "hafdbs=af", 100, -1),
			  explore("mmu-af-break", "hafdbs=af", 100, FINDING_BBM_VIOLATION));
	ck_assert_uint_eq(explore("mmu-af-break", "hafdbs=none", 100, -1), 0);
	ck_assert_uint_eq(explore("mmu-af-break-cas", "hafdbs=af", 100, -1), 0);
}
END_TEST

/* ---- 3. conflicts: which entry a lookup uses, or a TLB conflict abort ---------------- */

static void b_conf_updater(struct sim_cpu *cpu)
{
	cpu_spin_until(cpu, t_flag, 8, ~0ull, 1, "t_flag == 1");
	mmu_set_pte(cpu, t_page_ptep, r[15]);
	cpu_store64(cpu, t_flag, 2);
	cpu_spin_until(cpu, t_flag, 8, ~0ull, 3, "t_flag == 3");
	/* Without it the TLBI may be performed before walks see the store. */
	dsb_ishst(cpu);
	tlbi_vaae1is(cpu, T_PAGE_VA);
	dsb_ish(cpu);
	cpu_store64(cpu, t_flag, 4);
}

static void b_conf_user(struct sim_cpu *cpu)
{
	struct mmu_result res;

	cpu_load64(cpu, T_PAGE_VA);
	cpu_store64(cpu, t_flag, 1);
	cpu_spin_until(cpu, t_flag, 8, ~0ull, 2, "t_flag == 2");
	/* Lookups: each may fill the new translation next to the old one. */
	for (unsigned i = 0; i < 4; i++)
		mmu_load_nofault(cpu, T_PAGE_VA, 8, &r[3]);
	r[0] = mmu_tlb_count_va(cpu, T_PAGE_VA);
	r[1] = mmu_translate(cpu, T_PAGE_VA, true, &res, &r_fault) ? r_fault.type + 100 : 0;
	cpu_store64(cpu, t_flag, 3);
	cpu_spin_until(cpu, t_flag, 8, ~0ull, 4, "t_flag == 4");
	r[2] = mmu_translate(cpu, T_PAGE_VA, true, &res, &r_fault) ? r_fault.type + 100 : 0;
}

/*
 * D8.16.1: RW -> RO needs no break, so a TLB may hold both entries until
 * the TLBI completes and a write may use either: succeed through the old
 * one or take the permission fault through the new (herd7 has no two-entry
 * TLB; the nearest is CoRR+PteOA.DB0, aarch64-BBM). Once the TLBI is
 * complete the write faults in every schedule.
 */
START_TEST(test_conflict_either_entry_until_tlbi_completes)
{
	unsigned used_old = 0, used_new = 0;

	r[15] = t_pte(T_PAGE_PA, MMU_PROT_KERNEL_RO);
	for (unsigned seed = 1; seed <= 60; seed++) {
		gchar *o = g_strdup_printf("cpus=2 sched=random seed=%u", seed);
		struct sim *sim = t_mmu_run(b_conf_updater, b_conf_user, o);

		if (r[0] == 2) {
			used_old += r[1] == 0;
			used_new += r[1] == 100 + MMU_FAULT_PERMISSION;
		}
		ck_assert_uint_eq(r[2], 100 + MMU_FAULT_PERMISSION);
		ck_assert_ptr_null(t_finding(sim, -1));
		sim_destroy(sim);
		g_free(o);
	}
	ck_assert_uint_gt(used_old, 0);
	ck_assert_uint_gt(used_new, 0);
}
END_TEST

/*
 * An OA change without a break (D8.16.1) leaves the old and the new entry
 * side by side: the tlb-conflict finding names the stale entry as the
 * cause, and with --tlb-conflict-abort the lookup may abort instead of
 * using either; without the option it never does.
 */
START_TEST(test_conflict_abort_is_a_decision_of_its_own)
{
	unsigned aborts[2] = {0, 0}, named = 0;

	r[15] = t_pte(T_PAGE3_PA, MMU_PROT_KERNEL);
	for (unsigned a = 0; a < 2; a++)
		for (unsigned seed = 1; seed <= 40; seed++) {
			gchar *o = g_strdup_printf(
				"cpus=2 keep_going=1 tlb_conflict_abort=%u sched=random seed=%u", a,
				seed);
			struct sim *sim = t_mmu_run(b_conf_updater, b_conf_user, o);
			const struct sim_finding *fd = t_finding(sim, FINDING_TLB_CONFLICT);

			aborts[a] += r[1] == 100 + MMU_FAULT_TLB_CONFLICT;
			if (fd)
				named += strstr(fd->rule, "stale TLB entry") != NULL;
			ck_assert_ptr_nonnull(t_finding(sim, FINDING_BBM_VIOLATION));
			sim_destroy(sim);
			g_free(o);
		}
	ck_assert_uint_gt(aborts[1], 0);
	ck_assert_uint_eq(aborts[0], 0);
	ck_assert_uint_gt(named, 0);
}
END_TEST

/* The scenario: writes through either entry, never after the TLBI completes. */
START_TEST(test_conflict_scenario_clean)
{
	ck_assert_uint_eq(explore("mmu-conflict-perm", "", 150, -1), 0);
}
END_TEST

/* ---- 1. TLB fills from history ------------------------------------------------------- */

static void b_fill_history(struct sim_cpu *cpu)
{
	struct mmu_result res;

	/* The page was never accessed: nothing of it is in the TLB. */
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, MMU_PROT_KERNEL_RO));
	r[0] = mmu_translate(cpu, T_PAGE_VA, true, &res, &r_fault) ? 1 : 0;
	dsb_ishst(cpu);
	tlbi_vaae1(cpu, T_PAGE_VA);
	dsb_ish(cpu);
	r[1] = mmu_translate(cpu, T_PAGE_VA, true, &res, &r_fault) ? 1 : 0;
}

/*
 * D8.13 (TLBs): any walk since the last invalidation may have been cached,
 * a walk of a value since replaced included, so a write after RW -> RO may
 * still succeed through an entry filled from the old value, though no
 * access ever used it before the store. After the invalidation completes it
 * never does. herd7 has no TLB-fill-only test; the nearest is coRR-pte6
 * (Allowed without ETS2).
 */
START_TEST(test_fill_from_history_until_invalidation)
{
	unsigned old_used = 0, new_used = 0;

	for (unsigned seed = 1; seed <= 30; seed++) {
		gchar *o = g_strdup_printf("sched=random seed=%u", seed);
		struct sim *sim = t_mmu_run(b_fill_history, NULL, o);

		old_used += r[0] == 0;
		new_used += r[0] == 1;
		ck_assert_uint_eq(r[1], 1);
		sim_destroy(sim);
		g_free(o);
	}
	ck_assert_uint_gt(old_used, 0);
	ck_assert_uint_gt(new_used, 0);
}
END_TEST

/* ---- 2. context synchronisation --------------------------------------------------------- */

static void b_map_then_use(struct sim_cpu *cpu)
{
	uint64_t v;

	/* The page after the test page: its slot is invalid until now. */
	mmu_set_pte(cpu, t_page_ptep + 8, t_pte(T_PAGE2_PA, MMU_PROT_KERNEL));
	dsb_ish(cpu);
	if (r[15])
		isb(cpu);
	r[0] = mmu_load_nofault(cpu, T_PAGE_VA + MMU_PAGE_SIZE, 8, &v) ? 1 : 0;
}

static unsigned stale_faults(unsigned with_isb, const char *opts)
{
	unsigned n = 0;

	r[15] = with_isb;
	for (unsigned seed = 1; seed <= 30; seed++) {
		gchar *o = g_strdup_printf("sched=random seed=%u %s", seed, opts);
		struct sim *sim = t_mmu_run(b_map_then_use, NULL, o);

		n += r[0];
		sim_destroy(sim);
		g_free(o);
	}
	return n;
}

/*
 * Without FEAT_ETS2 a load after the store of its descriptor and a DSB may
 * use a walk from before the store, and fault (herd7 coWRExpNExp: Allowed,
 * with ETS2 Forbidden); an ISB after the DSB forbids it
 * (coWRExpNExp+DSB-ISB: Forbidden), and so does FEAT_ETS2.
 */
START_TEST(test_no_isb_may_fault_from_an_earlier_walk)
{
	ck_assert_uint_gt(stale_faults(0, "ets2=0"), 0);
	ck_assert_uint_eq(stale_faults(1, "ets2=0"), 0);
	ck_assert_uint_eq(stale_faults(0, "ets2=1"), 0);
}
END_TEST

/* The scenarios: a missing ISB is a finding; with it, or with ETS2, clean. */
START_TEST(test_no_isb_scenario)
{
	unsigned any = explore("mmu-no-isb", "", 100, -1);

	ck_assert_uint_gt(any, 0);
	ck_assert_uint_eq(explore("mmu-no-isb", "", 100, FINDING_ASSERTION), any);
	ck_assert_uint_eq(explore("mmu-no-isb", "ets2=1", 100, -1), 0);
	ck_assert_uint_eq(explore("mmu-isb", "", 100, -1), 0);
}
END_TEST

/*
 * A TLB may hold any number of translations of one address and evict any
 * entry at any time (D8.16: a TLB is a cache). The model keeps at most
 * TLB_PER_BASE per size and address, evicting one by decision: every entry
 * can be the one evicted (and so any can be the survivors), the newest is
 * always there, and a lookup returns every entry it holds.
 */
static void b_many_versions(struct sim_cpu *cpu)
{
	struct mmu_cpu *mc = cpu->mmu;
	uint32_t idx[TLB_MAX_MATCH];

	for (unsigned v = 0; v < TLB_PER_BASE + 2; v++) {
		struct mmu_result res = {
			.pa = T_PAGE_PA + v * MMU_PAGE_SIZE,
			.desc = t_pte(T_PAGE_PA + v * MMU_PAGE_SIZE, MMU_PROT_KERNEL),
			.desc_pa = t_page_ptep,
			.level = 3,
		};

		tlb_insert(cpu->sim, &mc->tlb, T_PAGE_VA, &res, 0);
		unsigned n = tlb_lookup(&mc->tlb, T_PAGE_VA, idx, TLB_MAX_MATCH);

		r[v] = n;
		bool newest = false;
		for (unsigned i = 0; i < n; i++)
			newest |= mc->tlb.e[idx[i]].desc == res.desc;
		r[8 + v] = newest;
		if (v == TLB_PER_BASE + 1) /* which versions survived, one bit each */
			for (unsigned i = 0; i < n; i++)
				r[16] |= 1ull
					 << ((mc->tlb.e[idx[i]].pa - T_PAGE_PA) / MMU_PAGE_SIZE);
	}
}

START_TEST(test_tlb_versions_capped_by_eviction_decision)
{
	uint64_t survived = 0, evicted = 0;

	for (unsigned seed = 1; seed <= 40; seed++) {
		gchar *o = g_strdup_printf("cpus=1 sched=random seed=%u", seed);

		memset(r, 0, sizeof(r));
		struct sim *sim = t_mmu_run(b_many_versions, NULL, o);
		for (unsigned v = 0; v < TLB_PER_BASE + 2; v++) {
			ck_assert_uint_le(r[v], TLB_PER_BASE);
			ck_assert_uint_eq(r[8 + v], 1);
		}
		survived |= r[16];
		evicted |= ~r[16] & ((1ull << (TLB_PER_BASE + 2)) - 1);
		sim_destroy(sim);
		g_free(o);
	}
	/* Every version but the newest was evicted in some run, kept in another. */
	ck_assert_uint_eq(survived, (1ull << (TLB_PER_BASE + 2)) - 1);
	ck_assert_uint_eq(evicted & ((1ull << (TLB_PER_BASE + 1)) - 1),
			  (1ull << (TLB_PER_BASE + 1)) - 1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("mmu-hw");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hafdbs_af_walk_sets_af_instead_of_faulting);
	tcase_add_test(tc, test_hafdbs_af_never_set_in_invalid_descriptor);
	tcase_add_test(tc, test_hafdbs_af_set_by_speculative_walk);
	tcase_add_test(tc, test_hafdbs_dirty_write_through_dbm_makes_writable);
	tcase_add_test(tc, test_hafdbs_af_undoes_an_af0_break);
	tcase_add_test(tc, test_conflict_either_entry_until_tlbi_completes);
	tcase_add_test(tc, test_conflict_abort_is_a_decision_of_its_own);
	tcase_add_test(tc, test_conflict_scenario_clean);
	tcase_add_test(tc, test_fill_from_history_until_invalidation);
	tcase_add_test(tc, test_no_isb_may_fault_from_an_earlier_walk);
	tcase_add_test(tc, test_no_isb_scenario);
	tcase_add_test(tc, test_tlb_versions_capped_by_eviction_decision);
	suite_add_tcase(s, tc);
	return s;
}
