// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MMU: descriptor encoding, walks at every level and their faults, the
 * TLB (lookup, insert, eviction, every TLBI kind, range bounds, the walk
 * cache) and the DSB completion rule for broadcast invalidation.
 */
#include "sim/arm/mmu_internal.h"
#include "t_mmu.h"

/* What bodies saw, read by the test after the run. */
static uint64_t r[16];
static struct mmu_fault r_fault;

/* ---- descriptors ----------------------------------------------------------------- */

START_TEST(test_desc_page_encodes_arm_bit_layout)
{
	uint64_t d = mmu_mk_leaf(0x12345000, MMU_PROT_KERNEL, 3);

	ck_assert_uint_eq(d & 3, 3); /* valid, page */
	ck_assert_uint_eq((d >> 2) & 7, MT_NORMAL);
	ck_assert_uint_eq((d >> 8) & 3, 3); /* inner shareable */
	ck_assert(d & (1ull << 10));	    /* AF */
	ck_assert(!(d & (1ull << 7)));	    /* AP[2] = 0: writable */
	ck_assert(d & (1ull << 53));	    /* PXN */
	ck_assert(d & (1ull << 54));	    /* UXN */
	ck_assert_uint_eq(mmu_desc_oa(d, 3), 0x12345000);
	ck_assert(mmu_desc_is_leaf(d, 3));
	ck_assert(!mmu_desc_is_table(d, 3));
	ck_assert(mmu_desc_writable(d));
	ck_assert(!mmu_desc_writable(mmu_mk_leaf(0x1000, MMU_PROT_KERNEL_RO, 3)));
}
END_TEST

START_TEST(test_desc_block_and_table_by_level)
{
	uint64_t blk = mmu_mk_leaf(0x40000000, MMU_PROT_KERNEL, 2);
	uint64_t tbl = mmu_mk_table(0x7000);

	ck_assert_uint_eq(blk & 3, 1); /* valid, block */
	ck_assert(mmu_desc_is_leaf(blk, 2) && mmu_desc_is_leaf(blk, 1));
	ck_assert(!mmu_desc_is_leaf(blk, 0)); /* no blocks at L0 with 4K granule */
	ck_assert(!mmu_desc_is_leaf(blk, 3)); /* bit 1 clear at L3 is reserved */
	ck_assert(mmu_desc_is_table(tbl, 0) && mmu_desc_is_table(tbl, 2));
	ck_assert(!mmu_desc_is_table(tbl, 3));
	ck_assert(mmu_desc_is_leaf(tbl, 3)); /* the same bits are a page at L3 */
	ck_assert_uint_eq(tbl & DESC_OA_MASK, 0x7000);
	/* OA bits below the block size are not part of the address. */
	ck_assert_uint_eq(mmu_desc_oa(blk | 0x1ff000, 2), 0x40000000);
	ck_assert_uint_eq(mmu_desc_oa(mmu_mk_leaf(0x80000000, MMU_PROT_KERNEL, 1) | 0x3ffff000, 1),
			  0x80000000);
	ck_assert(!mmu_desc_valid(blk & ~DESC_VALID));
}
END_TEST

START_TEST(test_desc_attribute_fields)
{
	ck_assert_uint_eq(DESC_NG, 1ull << 11);
	ck_assert_uint_eq(DESC_NT, 1ull << 16);
	ck_assert_uint_eq(DESC_CONT, 1ull << 52);
	ck_assert_uint_eq(DESC_DBM, 1ull << 51);
	ck_assert_uint_eq(DESC_ATTRINDX(MT_DEVICE_nGnRE), 4ull << 2);
	ck_assert_uint_eq(DESC_OA_MASK, 0x0000fffffffff000ull);
}
END_TEST

START_TEST(test_layout_matches_arm64_linux)
{
	ck_assert_uint_eq(MMU_PAGE_OFFSET, 0xffff000000000000ull);
	ck_assert_uint_eq(MMU_VMEMMAP_START, 0xfffffdffc0000000ull);
	ck_assert_uint_eq(mmu_pfn_to_page(1), 0xfffffdffc0000040ull);
	ck_assert_uint_eq(mmu_level_shift(0), 39);
	ck_assert_uint_eq(mmu_level_shift(3), 12);
}
END_TEST

/* ---- walks ------------------------------------------------------------------------- */

START_TEST(test_walk_each_level_host)
{
	struct sim *sim = t_mmu_run(NULL, NULL, "");
	struct mmu_result res;
	struct mmu_fault f;

	/* L1: the linear map's 1 GiB blocks. */
	ck_assert_int_eq(mmu_walk_host(sim, mmu_phys_to_virt(0x40001234), &res, &f), 0);
	ck_assert_int_eq(res.level, 1);
	ck_assert_uint_eq(res.pa, 0x40001234);
	/* L2: a 2 MiB block. */
	ck_assert_int_eq(mmu_walk_host(sim, T_BLOCK_VA + 0x12345, &res, &f), 0);
	ck_assert_int_eq(res.level, 2);
	ck_assert_uint_eq(res.pa, T_BLOCK_PA + 0x12345);
	/* L3: a page. */
	ck_assert_int_eq(mmu_walk_host(sim, T_PAGE_VA + 0x10, &res, &f), 0);
	ck_assert_int_eq(res.level, 3);
	ck_assert_uint_eq(res.pa, T_PAGE_PA + 0x10);
	ck_assert_uint_eq(res.desc_pa, mmu_slot_pa(sim, T_PAGE_VA, 3));
	sim_destroy(sim);
}
END_TEST

START_TEST(test_walk_faults_report_level_and_kind)
{
	struct sim *sim = t_mmu_run(NULL, NULL, "");
	struct mmu_result res;
	struct mmu_fault f;

	/* TTBR0 half: level 0 translation fault. */
	ck_assert_int_eq(mmu_walk_host(sim, 0x1000, &res, &f), -1);
	ck_assert_int_eq(f.type, MMU_FAULT_TRANSLATION);
	ck_assert_int_eq(f.level, 0);
	/* Nothing mapped at L0 for this VA. */
	ck_assert_int_eq(mmu_walk_host(sim, 0xffff400000000000ull, &res, &f), -1);
	ck_assert_int_eq(f.level, 0);
	/* The page next to the test page: its L3 slot is invalid. */
	ck_assert_int_eq(mmu_walk_host(sim, T_PAGE_VA + MMU_PAGE_SIZE, &res, &f), -1);
	ck_assert_int_eq(f.type, MMU_FAULT_TRANSLATION);
	ck_assert_int_eq(f.level, 3);
	ck_assert_uint_eq(f.va, T_PAGE_VA + MMU_PAGE_SIZE);
	/* AF clear: an Access flag fault at the leaf's level. */
	pmem_write(sim->mem, mmu_slot_pa(sim, T_PAGE_VA, 3), 8,
		   t_pte(T_PAGE_PA, MMU_PROT_KERNEL & ~DESC_AF));
	ck_assert_int_eq(mmu_walk_host(sim, T_PAGE_VA, &res, &f), -1);
	ck_assert_int_eq(f.type, MMU_FAULT_ACCESS_FLAG);
	ck_assert_int_eq(f.level, 3);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_boot_map_refuses_conflicting_mapping)
{
	struct sim *sim = t_mmu_run(NULL, NULL, "");

	/* A page inside an existing block, and a different page over a mapped one. */
	ck_assert_int_eq(
		mmu_boot_map(sim, T_BLOCK_VA, 0x9000000, MMU_PAGE_SIZE, MMU_PROT_KERNEL, 3), -1);
	ck_assert_int_eq(mmu_boot_map(sim, T_PAGE_VA, 0x9000000, MMU_PAGE_SIZE, MMU_PROT_KERNEL, 3),
			 -1);
	/* Misaligned. */
	ck_assert_int_eq(mmu_boot_map(sim, T_PAGE_VA + 8, 0, MMU_PAGE_SIZE, MMU_PROT_KERNEL, 3),
			 -1);
	sim_destroy(sim);
}
END_TEST

START_TEST(test_kdata_is_mapped_through_linear_map)
{
	struct sim *sim = t_mmu_run(NULL, NULL, "");

	ck_assert_uint_eq(sim->kdata_offset, MMU_PAGE_OFFSET);
	ck_assert_uint_eq(t_flag >> 48, 0xffff);
	sim_destroy(sim);
}
END_TEST

static void b_walk_costs(struct sim_cpu *cpu)
{
	struct mmu_result res;
	struct mmu_fault f;
	uint64_t c0 = cpu->clock;

	mmu_translate(cpu, T_PAGES_VA, false, &res, &f);
	r[0] = cpu->clock - c0; /* cold: four levels */
	r[1] = res.tlb_hit;
	c0 = cpu->clock;
	mmu_translate(cpu, T_PAGES_VA + MMU_PAGE_SIZE, false, &res, &f);
	r[2] = cpu->clock - c0; /* same L3 table: the walk cache skips three levels */
	c0 = cpu->clock;
	mmu_translate(cpu, T_PAGES_VA + MMU_PAGE_SIZE, false, &res, &f);
	r[3] = cpu->clock - c0; /* TLB hit */
	r[4] = res.tlb_hit;
}

START_TEST(test_walk_reads_one_descriptor_per_level_and_walk_cache_skips)
{
	struct sim *sim = t_mmu_run(b_walk_costs, NULL, "");
	uint64_t level = sim->costs.ps[COST_walk_level] + sim->costs.ps[COST_load];

	ck_assert_uint_eq(r[0], 4 * level);
	ck_assert_uint_eq(r[1], 0);
	ck_assert_uint_eq(r[2], 1 * level);
	ck_assert_uint_eq(r[3], sim->costs.ps[COST_tlb_hit]);
	ck_assert_uint_eq(r[4], 1);
	sim_destroy(sim);
}
END_TEST

/* ---- TLB ----------------------------------------------------------------------------- */

static void b_fault_not_cached(struct sim_cpu *cpu)
{
	struct mmu_result res;

	r[0] = mmu_translate(cpu, T_PAGE_VA + MMU_PAGE_SIZE, false, &res, &r_fault);
	r[1] = mmu_tlb_count_va(cpu, T_PAGE_VA + MMU_PAGE_SIZE);
	r[2] = mmu_walk_cache_count_va(cpu, T_PAGE_VA + MMU_PAGE_SIZE);
}

START_TEST(test_tlb_never_caches_faulting_translation)
{
	struct sim *sim = t_mmu_run(b_fault_not_cached, NULL, "");

	ck_assert_int_eq((int)r[0], -1);
	ck_assert_int_eq(r_fault.type, MMU_FAULT_TRANSLATION);
	ck_assert_uint_eq(r[1], 0);
	ck_assert_uint_eq(r[2], 3); /* the valid table descriptors above it are cached */
	sim_destroy(sim);
}
END_TEST

static void b_fill(struct sim_cpu *cpu)
{
	for (unsigned i = 0; i < 40; i++)
		cpu_load64(cpu, T_PAGES_VA + i * MMU_PAGE_SIZE);
	r[0] = mmu_tlb_size(cpu);
}

START_TEST(test_tlb_full_evicts_by_decision)
{
	struct sim *sim = t_mmu_run(b_fill, NULL, "tlb_entries=16");

	ck_assert_uint_eq(r[0], 16);
	sim_destroy(sim);
}
END_TEST

/* Fills the TLB with the test page, then applies op r[15] and counts. */
static void b_tlbi(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_PAGE_VA);
	cpu_load64(cpu, T_BLOCK_VA + 0x5000);
	r[0] = mmu_tlb_count_va(cpu, T_PAGE_VA);
	r[1] = mmu_walk_cache_count_va(cpu, T_PAGE_VA);
	switch (r[15]) {
	case 0:
		tlbi_vae1is(cpu, T_PAGE_VA + 0x123);
		break;
	case 1:
		tlbi_vale1is(cpu, T_PAGE_VA);
		break;
	case 2:
		tlbi_vaae1is(cpu, T_PAGE_VA);
		break;
	case 3:
		tlbi_vaale1is(cpu, T_PAGE_VA);
		break;
	case 4:
		tlbi_vmalle1is(cpu);
		break;
	case 5:
		tlbi_vae1(cpu, T_PAGE_VA);
		break;
	case 6:
		tlbi_vale1(cpu, T_PAGE_VA);
		break;
	case 7:
		tlbi_vaae1(cpu, T_PAGE_VA);
		break;
	case 8:
		tlbi_vaale1(cpu, T_PAGE_VA);
		break;
	case 9:
		tlbi_vmalle1(cpu);
		break;
	case 10: /* any VA inside a block invalidates the block entry */
		tlbi_vaale1is(cpu, T_BLOCK_VA + 0x1ff000);
		break;
	}
	dsb_ish(cpu);
	r[2] = mmu_tlb_count_va(cpu, T_PAGE_VA);
	r[3] = mmu_walk_cache_count_va(cpu, T_PAGE_VA);
	r[4] = mmu_tlb_count_va(cpu, T_BLOCK_VA + 0x5000);
}

static void run_tlbi(unsigned op, unsigned leaf_left, unsigned walk_left, unsigned block_left)
{
	struct sim *sim;

	r[15] = op;
	sim = t_mmu_run(b_tlbi, NULL, "");
	ck_assert_uint_eq(r[0], 1);
	ck_assert_uint_eq(r[1], 3);
	ck_assert_uint_eq(r[2], leaf_left);
	ck_assert_uint_eq(r[3], walk_left);
	ck_assert_uint_eq(r[4], block_left);
	sim_destroy(sim);
}

START_TEST(test_tlbi_vae1is_drops_leaf_and_walk_cache)
{
	run_tlbi(0, 0, 0, 1);
}
END_TEST

START_TEST(test_tlbi_vale1is_keeps_walk_cache)
{
	run_tlbi(1, 0, 3, 1);
}
END_TEST

START_TEST(test_tlbi_vaae1is_drops_leaf_and_walk_cache)
{
	run_tlbi(2, 0, 0, 1);
}
END_TEST

START_TEST(test_tlbi_vaale1is_keeps_walk_cache)
{
	run_tlbi(3, 0, 3, 1);
}
END_TEST

START_TEST(test_tlbi_vmalle1is_drops_everything)
{
	run_tlbi(4, 0, 0, 0);
}
END_TEST

START_TEST(test_tlbi_local_forms_act_on_own_tlb)
{
	run_tlbi(5, 0, 0, 1);
	run_tlbi(6, 0, 3, 1);
	run_tlbi(7, 0, 0, 1);
	run_tlbi(8, 0, 3, 1);
	run_tlbi(9, 0, 0, 0);
}
END_TEST

START_TEST(test_tlbi_va_inside_block_drops_block_entry)
{
	run_tlbi(10, 1, 3, 0);
}
END_TEST

START_TEST(test_tlbi_range_operand_bounds)
{
	uint64_t s, e;

	/* NUM=7, SCALE=1: 8 * 2^6 = 512 pages. */
	mmu_tlbi_range_bounds(mmu_tlbi_range_arg(T_PAGES_VA, 1, 7), &s, &e);
	ck_assert_uint_eq(s, T_PAGES_VA);
	ck_assert_uint_eq(e, T_PAGES_VA + 512 * MMU_PAGE_SIZE);
	/* NUM=0, SCALE=0: 2 pages; the TTBR1 VA sign-extends from bit 48. */
	mmu_tlbi_range_bounds(mmu_tlbi_range_arg(MMU_VMEMMAP_START, 0, 0), &s, &e);
	ck_assert_uint_eq(s, MMU_VMEMMAP_START);
	ck_assert_uint_eq(e, MMU_VMEMMAP_START + 2 * MMU_PAGE_SIZE);
	/* NUM=31, SCALE=3: 32 * 2^16 pages = 8 GiB. */
	mmu_tlbi_range_bounds(mmu_tlbi_range_arg(0xffff800000000000ull, 3, 31), &s, &e);
	ck_assert_uint_eq(e - s, 32ull << 16 << 12);
}
END_TEST

static void b_range(struct sim_cpu *cpu)
{
	uint64_t start = T_PAGES_VA + 128 * MMU_PAGE_SIZE;
	uint64_t probe[4] = {start - MMU_PAGE_SIZE, start, start + 511 * MMU_PAGE_SIZE,
			     start + 512 * MMU_PAGE_SIZE};

	for (unsigned i = 0; i < 4; i++)
		cpu_load64(cpu, probe[i]);
	if (r[15])
		tlbi_rvaale1is(cpu, mmu_tlbi_range_arg(start, 1, 7));
	else
		tlbi_rvae1is(cpu, mmu_tlbi_range_arg(start, 1, 7));
	dsb_ish(cpu);
	for (unsigned i = 0; i < 4; i++)
		r[i] = mmu_tlb_count_va(cpu, probe[i]);
	r[4] = mmu_walk_cache_count_va(cpu, start);
}

START_TEST(test_tlbi_range_drops_exactly_its_pages)
{
	struct sim *sim;

	r[15] = 0;
	sim = t_mmu_run(b_range, NULL, "");
	ck_assert_uint_eq(r[0], 1);
	ck_assert_uint_eq(r[1], 0);
	ck_assert_uint_eq(r[2], 0);
	ck_assert_uint_eq(r[3], 1);
	ck_assert_uint_eq(r[4], 0); /* RVAE: walk-cache entries in the range too */
	sim_destroy(sim);
	r[15] = 1;
	sim = t_mmu_run(b_range, NULL, "");
	ck_assert_uint_eq(r[1], 0);
	ck_assert_uint_eq(r[4], 3); /* RVAALE: last level only */
	sim_destroy(sim);
}
END_TEST

/* ---- broadcast and the DSB completion rule ------------------------------------------- */

static void b_remote_reader(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_PAGE_VA);
	cpu_store64(cpu, t_flag, 1);
	cpu_spin_until(cpu, t_flag, 8, ~0ull, 2, "t_flag == 2");
}

static void b_remote_tlbi(struct sim_cpu *cpu)
{
	struct sim_cpu *other = &cpu->sim->cpus[1];

	cpu_spin_until(cpu, t_flag, 8, ~0ull, 1, "t_flag == 1");
	if (r[15])
		tlbi_vaae1(cpu, T_PAGE_VA);
	else
		tlbi_vaae1is(cpu, T_PAGE_VA);
	r[0] = mmu_tlb_count_va(other, T_PAGE_VA);
	/* Yield points between the TLBI and the DSB: the other CPU may run. */
	for (unsigned i = 0; i < r[14]; i++)
		cpu_load64(cpu, t_flag);
	r[1] = mmu_tlbi_pending(other);
	dsb_ish(cpu);
	r[2] = mmu_tlb_count_va(other, T_PAGE_VA);
	r[3] = mmu_tlbi_pending(other);
	r[4] = mmu_tlb_count_va(cpu, T_PAGE_VA);
	cpu_store64(cpu, t_flag, 2);
}

START_TEST(test_broadcast_tlbi_completes_at_issuer_dsb_ish)
{
	/* The reader waits without touching the page: nothing decides the TLBI early. */
	for (unsigned seed = 1; seed <= 20; seed++) {
		gchar *o = g_strdup_printf("cpus=2 sched=random seed=%u", seed);
		struct sim *sim;

		r[15] = 0;
		r[14] = 4;
		sim = t_mmu_run(b_remote_tlbi, b_remote_reader, o);
		ck_assert_uint_eq(r[0], 1); /* issued, not yet performed remotely */
		ck_assert_uint_eq(r[1], 1);
		ck_assert_uint_eq(r[2], 0); /* DSB ISH: performed everywhere */
		ck_assert_uint_eq(r[3], 0);
		ck_assert_ptr_null(t_finding(sim, -1));
		sim_destroy(sim);
		g_free(o);
	}
}
END_TEST

START_TEST(test_local_tlbi_never_reaches_remote_tlb)
{
	struct sim *sim;

	r[15] = 1;
	r[14] = 0;
	sim = t_mmu_run(b_remote_tlbi, b_remote_reader, "cpus=2 sched=random seed=3");
	ck_assert_uint_eq(r[1], 0);
	ck_assert_uint_eq(r[2], 1); /* still cached on CPU1 after the DSB */
	sim_destroy(sim);
}
END_TEST

static void b_remote_poll(struct sim_cpu *cpu)
{
	cpu_load64(cpu, T_PAGE_VA);
	cpu_store64(cpu, t_flag, 1);
	/* Lookups of the page: each may be the moment the TLBI arrives. */
	for (unsigned i = 0; i < 8; i++)
		cpu_load64(cpu, T_PAGE_VA);
	cpu_spin_until(cpu, t_flag, 8, ~0ull, 2, "t_flag == 2");
}

START_TEST(test_broadcast_tlbi_may_arrive_before_dsb)
{
	unsigned early = 0;

	for (unsigned seed = 1; seed <= 40; seed++) {
		gchar *o = g_strdup_printf("cpus=2 sched=random seed=%u", seed);
		struct sim *sim;

		r[15] = 0;
		r[14] = 8;
		sim = t_mmu_run(b_remote_tlbi, b_remote_poll, o);
		ck_assert_uint_eq(r[3], 0);
		sim_destroy(sim);
		g_free(o);
		early += r[1] == 0;
	}
	/* Some schedules saw it arrive at a remote lookup, some not. */
	ck_assert_uint_gt(early, 0);
	ck_assert_uint_lt(early, 40);
}
END_TEST

/* ---- faults and the handler ---------------------------------------------------------- */

static enum mmu_fault_action h_fix(struct sim_cpu *cpu, const struct mmu_fault *f, void *arg)
{
	r_fault = *f;
	r[5]++;
	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, MMU_PROT_KERNEL));
	return MMU_FAULT_RETRY;
}

static void b_handler(struct sim_cpu *cpu)
{
	mmu_set_pte(cpu, t_page_ptep, 0);
	mmu_set_fault_handler(cpu, h_fix, NULL);
	cpu_store64(cpu, T_PAGE_VA + 8, 42);
	r[0] = cpu_load64(cpu, T_PAGE_VA + 8);
}

START_TEST(test_fault_handler_gets_record_and_retries)
{
	struct sim *sim;

	r[5] = 0;
	sim = t_mmu_run(b_handler, NULL, "");
	ck_assert_uint_eq(r[5], 1);
	ck_assert_int_eq(r_fault.type, MMU_FAULT_TRANSLATION);
	ck_assert_int_eq(r_fault.level, 3);
	ck_assert_uint_eq(r_fault.va, T_PAGE_VA + 8);
	ck_assert(r_fault.write);
	ck_assert_uint_eq(r_fault.desc, 0);
	ck_assert_uint_eq(r_fault.desc_pa, mmu_slot_pa(sim, T_PAGE_VA, 3));
	ck_assert_uint_eq(r[0], 42);
	ck_assert_ptr_null(t_finding(sim, -1));
	sim_destroy(sim);
}
END_TEST

static void b_ro(struct sim_cpu *cpu)
{
	struct mmu_result res;

	mmu_set_pte(cpu, t_page_ptep, t_pte(T_PAGE_PA, MMU_PROT_KERNEL_RO));
	/* The TLB may hold the writable entry until it is invalidated. */
	dsb_ishst(cpu);
	tlbi_vaae1(cpu, T_PAGE_VA);
	dsb_ish(cpu);
	r[0] = mmu_translate(cpu, T_PAGE_VA, false, &res, &r_fault);
	r[1] = mmu_translate(cpu, T_PAGE_VA, true, &res, &r_fault);
	r[2] = mmu_store_nofault(cpu, T_PAGE_VA, 8, 1);
	r[3] = mmu_load_nofault(cpu, T_PAGE_VA + MMU_PAGE_SIZE, 8, &r[4]);
}

START_TEST(test_read_only_page_faults_writes_only)
{
	struct sim *sim = t_mmu_run(b_ro, NULL, "");

	ck_assert_int_eq((int)r[0], 0);
	ck_assert_int_eq((int)r[1], -1);
	ck_assert_int_eq(r_fault.type, MMU_FAULT_PERMISSION);
	ck_assert_int_eq(r_fault.level, 3);
	ck_assert_int_eq((int)r[2], -1); /* nofault: -EFAULT, no finding */
	ck_assert_int_eq((int)r[3], -1);
	ck_assert_ptr_null(t_finding(sim, -1));
	sim_destroy(sim);
}
END_TEST

START_TEST(test_scenario_runs_are_deterministic)
{
	struct sim *a = t_run("mmu-no-dsb", "sched=random seed=11");
	struct sim *b = t_run("mmu-no-dsb", "sched=random seed=11");

	ck_assert_str_eq(sim_digest(a), sim_digest(b));
	sim_destroy(a);
	sim_destroy(b);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("mmu");
	TCase *tc = tcase_create("mmu");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_desc_page_encodes_arm_bit_layout);
	tcase_add_test(tc, test_desc_block_and_table_by_level);
	tcase_add_test(tc, test_desc_attribute_fields);
	tcase_add_test(tc, test_layout_matches_arm64_linux);
	tcase_add_test(tc, test_walk_each_level_host);
	tcase_add_test(tc, test_walk_faults_report_level_and_kind);
	tcase_add_test(tc, test_boot_map_refuses_conflicting_mapping);
	tcase_add_test(tc, test_kdata_is_mapped_through_linear_map);
	tcase_add_test(tc, test_walk_reads_one_descriptor_per_level_and_walk_cache_skips);
	tcase_add_test(tc, test_tlb_never_caches_faulting_translation);
	tcase_add_test(tc, test_tlb_full_evicts_by_decision);
	tcase_add_test(tc, test_tlbi_vae1is_drops_leaf_and_walk_cache);
	tcase_add_test(tc, test_tlbi_vale1is_keeps_walk_cache);
	tcase_add_test(tc, test_tlbi_vaae1is_drops_leaf_and_walk_cache);
	tcase_add_test(tc, test_tlbi_vaale1is_keeps_walk_cache);
	tcase_add_test(tc, test_tlbi_vmalle1is_drops_everything);
	tcase_add_test(tc, test_tlbi_local_forms_act_on_own_tlb);
	tcase_add_test(tc, test_tlbi_va_inside_block_drops_block_entry);
	tcase_add_test(tc, test_tlbi_range_operand_bounds);
	tcase_add_test(tc, test_tlbi_range_drops_exactly_its_pages);
	tcase_add_test(tc, test_broadcast_tlbi_completes_at_issuer_dsb_ish);
	tcase_add_test(tc, test_local_tlbi_never_reaches_remote_tlb);
	tcase_add_test(tc, test_broadcast_tlbi_may_arrive_before_dsb);
	tcase_add_test(tc, test_fault_handler_gets_record_and_retries);
	tcase_add_test(tc, test_read_only_page_faults_writes_only);
	tcase_add_test(tc, test_scenario_runs_are_deterministic);
	suite_add_tcase(s, tc);
	return s;
}
