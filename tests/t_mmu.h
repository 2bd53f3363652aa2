/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * t_mmu: scaffolding for the MMU and checker suites. The scenario "t-mmu"
 * installs the MMU, maps a few test regions and runs t_body[cpu] on each
 * CPU; tests set the bodies, run it with t_run() and look at the finished
 * run (findings, TLB contents) before sim_destroy(). The machine has
 * FEAT_ETS2 unless a test says ets2=0.
 *
 * Test regions (all RW, PAGE_KERNEL unless a body changes them):
 *   T_PAGE_VA    one 4 KiB page          -> T_PAGE_PA
 *   T_BLOCK_VA   one 2 MiB block         -> T_BLOCK_PA
 *   T_PAGES_VA   768 pages (3 MiB)       -> T_PAGES_PA
 */
#ifndef BBMSIM_T_MMU_H
#define BBMSIM_T_MMU_H

#include "sim/arm/checker.h"
#include "sim/cpu.h"
#include "sim/arm/mmu.h"
#include "sim/pmem.h"
#include "testlib.h"

#include <check.h>
#include <glib.h>
#include <string.h>

#define T_PAGE_VA  (MMU_VMALLOC_START + 0x100000000ull)
#define T_PAGE_PA  0x8000000ull
#define T_PAGE2_PA 0x8001000ull /* same contents as T_PAGE_PA */
#define T_PAGE3_PA 0x8002000ull /* other contents */
#define T_BLOCK_VA (MMU_VMALLOC_START + 0x140000000ull)
#define T_BLOCK_PA 0x8200000ull
#define T_PAGES_VA (MMU_VMALLOC_START + 0x180000000ull)
#define T_PAGES_PA 0x8400000ull
#define T_PAGES_N  768

typedef void (*t_body_fn)(struct sim_cpu *cpu);

static t_body_fn t_body[2];
static uint64_t t_page_ptep, t_block_pmdp, t_table_pa, t_flag;

static int t_mmu_setup(struct sim *sim, char *err, size_t errlen)
{
	sim->scn_state = g_new0(int, 1);
	if (mmu_install(sim, err, errlen))
		return -1;
	t_flag = sim_kdata_alloc(sim, 8, 64);
	pmem_write(sim->mem, T_PAGE_PA, 8, 0x1111);
	pmem_write(sim->mem, T_PAGE2_PA, 8, 0x1111);
	pmem_write(sim->mem, T_PAGE3_PA, 8, 0x3333);
	ck_assert_int_eq(mmu_boot_map(sim, T_PAGE_VA, T_PAGE_PA, MMU_PAGE_SIZE, MMU_PROT_KERNEL, 3),
			 0);
	ck_assert_int_eq(
		mmu_boot_map(sim, T_BLOCK_VA, T_BLOCK_PA, MMU_PMD_SIZE, MMU_PROT_KERNEL, 2), 0);
	ck_assert_int_eq(mmu_boot_map(sim, T_PAGES_VA, T_PAGES_PA, T_PAGES_N * MMU_PAGE_SIZE,
				      MMU_PROT_KERNEL, 3),
			 0);
	t_page_ptep = mmu_phys_to_virt(mmu_slot_pa(sim, T_PAGE_VA, 3));
	t_block_pmdp = mmu_phys_to_virt(mmu_slot_pa(sim, T_BLOCK_VA, 2));
	/* A detached PTE table mapping the block's pages, as a split prepares it. */
	t_table_pa = mmu_alloc_table_page(sim);
	for (unsigned i = 0; i < 512; i++)
		pmem_write(sim->mem, t_table_pa + i * 8, 8,
			   mmu_mk_leaf(T_BLOCK_PA + i * MMU_PAGE_SIZE, MMU_PROT_KERNEL, 3));
	return 0;
}

static void t_mmu_teardown(struct sim *sim)
{
	mmu_teardown(sim);
	g_free(sim->scn_state);
	sim->scn_state = NULL;
}

static void t_mmu_main(struct sim_cpu *cpu)
{
	if (cpu->id < 2 && t_body[cpu->id])
		t_body[cpu->id](cpu);
}

/*
 * FEAT_ETS2 by default: a body that stores a descriptor and then uses it
 * needs no ISB in between. Tests of the early-walk freedom pass ets2=0.
 */
static const char *const t_mmu_defaults[] = {"ets2=1", NULL};

static const struct scenario t_mmu_scn = {
	.name = "t-mmu",
	.summary = "test: MMU bodies supplied by the test",
	.default_cpus = 1,
	.expect = -1,
	.est_steps = 50,
	.defaults = t_mmu_defaults,
	.setup = t_mmu_setup,
	.cpu_main = t_mmu_main,
	.teardown = t_mmu_teardown,
};
SCENARIO_REGISTER(t_mmu_scn)

/* Runs bodies @b0 on CPU0 and @b1 on CPU1 (NULL: idle) with @opts. */
static inline struct sim *t_mmu_run(t_body_fn b0, t_body_fn b1, const char *opts)
{
	t_body[0] = b0;
	t_body[1] = b1;
	return t_run("t-mmu", opts);
}

static inline uint64_t t_pte(uint64_t pa, uint64_t prot)
{
	return mmu_mk_leaf(pa, prot, 3);
}

/* The full break-before-make sequence on the test page. */
static inline void t_bbm(struct sim_cpu *cpu, uint64_t ptep, uint64_t va, uint64_t new)
{
	mmu_set_pte(cpu, ptep, 0);
	dsb_ishst(cpu);
	tlbi_vaae1is(cpu, va);
	dsb_ish(cpu);
	mmu_set_pte(cpu, ptep, new);
	dsb_ishst(cpu);
	isb(cpu);
}

#endif
