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
static uint64_t r[16];
static unsigned r_faults;
static struct mmu_fault r_fault;

static enum mmu_fault_action h_count(struct sim_cpu *cpu, const struct mmu_fault *f, void *arg)
{
	r_fault = *f;
	r_faults++;
	return MMU_FAULT_NO_FIXUP;
}

static uint64_t pte_now(struct sim *sim)
{
	return pmem_read(sim->mem, mmu_slot_pa(sim, T_PAGE_VA, 3), 8);
}

/* ---- 5. FEAT_HAFDBS: hardware Access flag and dirty state ---------------------------- */

static void b_af0_store(struct sim_cpu *cpu)
{
	mmu_set_fault_handler(cpu, h_count, NULL);
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, MMU_PROT_KERNEL & ~DESC_AF));
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
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, MMU_PROT_KERNEL_RO | DESC_DBM));
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
	suite_add_tcase(s, tc);
	return s;
}
