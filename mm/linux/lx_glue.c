// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bbmsim side of the Linux harness: lx_glue.h's calls onto the MMU,
 * mm/'s allocator, RCU, TLB flushes and the run's vmemmap update strategy,
 * and the "linux" struct hvo_impl that enters Linux's mm/hugetlb_vmemmap.c.
 *
 * set_pte_at()/set_pmd() inside a range hook bracket are the strategy's
 * update_pte/update_pmd (B defers them to its stop_machine(), C changes
 * addresses only between read-only entries); outside, arm64's store with
 * DSB ISHST; ISB for a valid kernel entry.
 */
#include "lx_glue.h"
#include "mm/mm_internal.h"
#include "sim/pmem.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

_Static_assert(LX_PAGE_OFF_FLAGS == PAGE_OFF_FLAGS && LX_PAGE_OFF_PRIVATE == PAGE_OFF_PRIVATE,
	       "struct page layout");
_Static_assert(LX_PG_head == PG_head && LX_PG_reserved == PG_reserved &&
		       LX_PG_owner_priv_1 == PG_owner_priv_1,
	       "page flags");
_Static_assert((1u << LX_HPG_vmemmap_optimized) == HPG_vmemmap_optimized, "HPG_*");

/* Host heads whose addresses are stored in simulated memory as tokens. */
#define LX_MAX_TOKENS 64

/*
 * Per run: the CPU running Linux code (see lx_glue.h), what it is in the
 * middle of, and the folio lists' heads in simulated kernel data.
 */
struct lx_state {
	struct sim_cpu *cpu;
	bool in_pte_range, in_pmd_range;
	uint64_t pte_start, pte_end, pmd_start;
	const void *token[LX_MAX_TOKENS];
	unsigned nr_tokens;
	struct lx_where where;
	uint64_t list, out;
	bool inited; /* hugetlb_vmemmap_init() ran */
	/* The describe hook we chain to (smp's): a finding says both. */
	void (*describe)(struct sim *sim, struct sim_cpu *cpu, char *buf, size_t len);
};

/*
 * The run whose CPU is in Linux code on this host thread. Linux code calls
 * the shim with no run in hand; a host thread runs one run at a time (its
 * CPUs as fibers, or one CPU of it as a thread), so two runs side by side
 * in one process each find their own.
 */
static _Thread_local struct lx_state *lx_cur;
static struct lx_where lx_nowhere; /* LX_AT's target outside any run */
_Thread_local struct lx_where *lx_wherep = &lx_nowhere;

static struct sim_cpu *cur(void)
{
	g_assert(lx_cur && lx_cur->cpu && lx_cur->cpu->sim->cur == lx_cur->cpu);
	return lx_cur->cpu;
}

static struct mm *cur_mm(void)
{
	return mm_of(cur()->sim);
}

/* ---- descriptors ------------------------------------------------------------------------ */

uint64_t lx_mk_pte(uint64_t pfn, bool rdonly)
{
	return mmu_mk_leaf(pfn << PAGE_SHIFT, rdonly ? MMU_PROT_KERNEL_RO : MMU_PROT_KERNEL, 3);
}

uint64_t lx_pte_pfn(uint64_t pte)
{
	return mmu_desc_oa(pte, 3) >> PAGE_SHIFT;
}

uint64_t lx_mk_kernel_table(uint64_t table_pa)
{
	return mmu_mk_table(table_pa) | PMD_TABLE_UXN;
}

bool lx_pmd_is_leaf(uint64_t pmd)
{
	return mmu_desc_is_leaf(pmd, 2);
}

bool lx_pmd_is_table(uint64_t pmd)
{
	return mmu_desc_is_table(pmd, 2);
}

uint64_t lx_pmd_pfn(uint64_t pmd)
{
	return mmu_desc_oa(pmd, 2) >> PAGE_SHIFT;
}

uint64_t lx_pmd_table(uint64_t pmd)
{
	return mmu_desc_oa(pmd, 3);
}

uint64_t lx_pfn_to_page(uint64_t pfn)
{
	return pfn_to_page(pfn);
}

uint64_t lx_page_to_pfn(uint64_t page)
{
	return page_to_pfn(page);
}

uint64_t lx_phys_to_virt(uint64_t pa)
{
	return mmu_phys_to_virt(pa);
}

uint64_t lx_virt_to_phys(uint64_t va)
{
	return mmu_virt_to_phys(va);
}

/* ---- memory ----------------------------------------------------------------------------- */

uint64_t lx_load(uint64_t va, unsigned size)
{
	return cpu_load(cur(), va, size);
}

void lx_store(uint64_t va, unsigned size, uint64_t val)
{
	cpu_store(cur(), va, size, val);
}

uint64_t lx_cmpxchg(uint64_t va, unsigned size, uint64_t old, uint64_t val)
{
	return cpu_cmpxchg(cur(), va, size, old, val);
}

void lx_set_bits(uint64_t va, uint64_t mask)
{
	cpu_rmw(cur(), CPU_RMW_OR | CPU_RMW_NORET, va, 8, 0, mask, CPU_PLAIN, 0, 0);
}

void lx_clear_bits(uint64_t va, uint64_t mask)
{
	cpu_rmw(cur(), CPU_RMW_ANDNOT | CPU_RMW_NORET, va, 8, 0, mask, CPU_PLAIN, 0, 0);
}

/*
 * copy_page(): the source is read through the MMU (through the vmemmap for
 * a folio), the destination written through it; the bytes in between move
 * at the physical addresses those accesses reached, for the cost of a copy.
 */
void lx_copy_page(uint64_t to, uint64_t from)
{
	struct sim_cpu *cpu = cur();
	struct mmu_result src, dst;
	struct mmu_fault f;

	cpu_load64(cpu, from);
	if (mmu_translate(cpu, from, false, &src, &f) || mmu_translate(cpu, to, true, &dst, &f))
		return; /* a fault: reported by the access */
	/* copy_page()'s loads see this CPU's own stores (--memory arm: they go out first). */
	cpu_memory_flush(cpu, false);
	pmem_copy_page(cpu->sim->mem, dst.pa & ~(PAGE_SIZE - 1), src.pa & ~(PAGE_SIZE - 1));
	cpu_memory_written(cpu, dst.pa & ~(PAGE_SIZE - 1), PAGE_SIZE);
	cpu_store64(cpu, to, pmem_read(cpu->sim->mem, dst.pa & ~(PAGE_SIZE - 1), 8));
	sim_tick(cpu, COST_copy_page);
}

uint64_t lx_token(const void *host)
{
	for (unsigned i = 0; i < lx_cur->nr_tokens; i++)
		if (lx_cur->token[i] == host)
			return LX_TOKEN_BASE + 16ull * i;
	g_assert(lx_cur->nr_tokens < LX_MAX_TOKENS);
	lx_cur->token[lx_cur->nr_tokens] = host;
	return LX_TOKEN_BASE + 16ull * lx_cur->nr_tokens++;
}

void *lx_untoken(uint64_t token)
{
	uint64_t i = (token - LX_TOKEN_BASE) / 16;

	g_assert(i < lx_cur->nr_tokens);
	return (void *)lx_cur->token[i];
}

/* ---- page tables, barriers ---------------------------------------------------------------- */

void lx_set_pte(uint64_t ptep, uint64_t addr, uint64_t val)
{
	struct sim_cpu *cpu = cur();

	if (lx_cur->in_pte_range)
		cur_mm()->ops->update_pte(cpu, ptep, addr, val);
	else
		set_pte_at(cpu, ptep, val);
}

void lx_set_pmd(uint64_t pmdp, uint64_t val)
{
	struct sim_cpu *cpu = cur();
	struct mm *mm = cur_mm();

	mm->stats.pmd_splits++;
	if (lx_cur->in_pmd_range)
		mm->ops->update_pmd(cpu, pmdp, lx_cur->pmd_start, val);
	else
		set_pte_at(cpu, pmdp, val); /* set_pmd(): the same store and barriers */
}

uint64_t lx_pmd_offset_kernel(uint64_t addr)
{
	struct sim_cpu *cpu = cur();
	uint64_t slot = mmu_slot_pa(cpu->sim, addr, 0); /* swapper_pg_dir's entry */

	for (int level = 0; level < 2; level++) {
		uint64_t d = cpu_load64(cpu, mmu_phys_to_virt(slot));

		if (!mmu_desc_is_table(d, level))
			return 0;
		slot = mmu_desc_oa(d, 3) + 8 * ((addr >> mmu_level_shift(level + 1)) & 511);
	}
	return mmu_phys_to_virt(slot);
}

/* smp_wmb(): DMB ISHST on arm64; a DSB ISHST is at least as strong (as in mm/). */
void lx_smp_wmb(void)
{
	dsb_ishst(cur());
}

void lx_flush_tlb_all(void)
{
	flush_tlb_all(cur());
}

void lx_flush_tlb_kernel_range(uint64_t start, uint64_t end)
{
	flush_tlb_kernel_range(cur(), start, end);
}

/* ---- allocator and accounting --------------------------------------------------------------- */

uint64_t lx_alloc_page(void)
{
	return alloc_pages(cur(), 0);
}

void lx_free_page(uint64_t pfn)
{
	free_pages(cur(), pfn, 0);
}

void lx_pgtable_account(int delta)
{
	cur_mm()->stats.pgtable_alloced += (uint64_t)(int64_t)delta;
}

/* memmap_pages_add()/memmap_boot_pages_add(): Linux's own count of vmemmap pages. */
void lx_memmap_account(long delta)
{
	struct mm *mm = cur_mm();

	if (delta > 0)
		mm->stats.vmemmap_alloced += (uint64_t)delta;
	else
		mm->stats.vmemmap_freed += (uint64_t)-delta;
}

void lx_ptl_lock(void)
{
	raw_spin_lock(cur(), cur_mm()->page_table_lock);
}

void lx_ptl_unlock(void)
{
	raw_spin_unlock(cur(), cur_mm()->page_table_lock);
}

void lx_synchronize_rcu(void)
{
	synchronize_rcu(cur());
}

/* ---- the series' hooks ----------------------------------------------------------------------- */

bool lx_vmemmap_update_supported(void)
{
	struct mm *mm = cur_mm();
	char why[160];

	return !mm->ops->supported || mm->ops->supported(mm->sim, why, sizeof(why));
}

bool lx_vmemmap_arch_flushes_tlb(void)
{
	return cur_mm()->ops->arch_flushes_tlb;
}

void lx_vmemmap_update_pte_range_start(uint64_t start, uint64_t end)
{
	cur_mm()->ops->pte_range_start(cur(), start, end);
	lx_cur->in_pte_range = true;
	lx_cur->pte_start = start;
	lx_cur->pte_end = end;
}

void lx_vmemmap_update_pte_range_end(void)
{
	lx_cur->in_pte_range = false;
	cur_mm()->ops->pte_range_end(cur(), lx_cur->pte_start, lx_cur->pte_end);
}

void lx_vmemmap_update_pmd_range_start(uint64_t start, uint64_t end)
{
	cur_mm()->ops->pmd_range_start(cur(), start, end);
	lx_cur->in_pmd_range = true;
	lx_cur->pmd_start = start;
}

void lx_vmemmap_update_pmd_range_end(void)
{
	lx_cur->in_pmd_range = false;
	cur_mm()->ops->pmd_range_end(cur(), lx_cur->pmd_start, lx_cur->pmd_start + PMD_SIZE);
}

/* ---- struct hvo_impl "linux" ----------------------------------------------------------------- */

static struct lx_state *lx_state(struct sim_cpu *cpu)
{
	return mm_of(cpu->sim)->hvo_state;
}

/*
 * Enters Linux code on @cpu; returns what was current before (nesting).
 * The first entry of a run is its boot: the late initcall runs then.
 */
static struct sim_cpu *lx_enter(struct sim_cpu *cpu)
{
	struct lx_state *st = lx_state(cpu);
	struct sim_cpu *prev = st->cpu;

	lx_cur = st;
	lx_wherep = &st->where;
	st->cpu = cpu;
	if (!prev)
		st->nr_tokens = 0;
	if (!st->inited) {
		st->inited = true;
		lx_hvo_init();
	}
	return prev;
}

static void lx_exit(struct sim_cpu *prev)
{
	lx_cur->cpu = prev;
}

/* A file name without the build machine's directories (deterministic traces). */
static const char *lx_file(const char *file)
{
	const char *slash = strrchr(file, '/');

	return file[0] == '/' && slash ? slash + 1 : file;
}

/*
 * A finding while a CPU runs Linux code names Linux's line: the finding's
 * own CPU, or the CPU in Linux code when another CPU (a reader) reports.
 */
static void lx_describe(struct sim *sim, struct sim_cpu *cpu, char *buf, size_t len)
{
	struct lx_state *st = mm_of(sim)->hvo_state;
	size_t n;

	if (st->describe)
		st->describe(sim, cpu, buf, len);
	n = strnlen(buf, len);
	if (!st->cpu || !st->where.func || n + 1 >= len)
		return;
	if (cpu == st->cpu)
		snprintf(buf + n, len - n, " [linux: %s() %s:%d]", st->where.func,
			 lx_file(st->where.file), st->where.line);
	else
		snprintf(buf + n, len - n, " [cpu%u in linux: %s() %s:%d]", st->cpu->id,
			 st->where.func, lx_file(st->where.file), st->where.line);
}

static int lx_setup(struct sim *sim, char *err, size_t errlen)
{
	struct lx_state *st = g_new0(struct lx_state, 1);

	mm_of(sim)->hvo_state = st;
	st->list = sim_kdata_alloc(sim, 16, 16);
	st->out = sim_kdata_alloc(sim, 16, 16);
	st->describe = sim->hooks.describe;
	sim->hooks.describe = lx_describe;
	return 0;
}

static void lx_teardown(struct sim *sim)
{
	struct lx_state *st = mm_of(sim)->hvo_state;

	if (sim->hooks.describe == lx_describe)
		sim->hooks.describe = st->describe;
	g_free(st);
	mm_of(sim)->hvo_state = NULL;
}

static int lx_optimize_folio(struct sim_cpu *cpu, const struct hstate *h, uint64_t folio)
{
	struct sim_cpu *prev = lx_enter(cpu);
	int ret = lx_hvo_optimize_folio(h->order, folio);

	lx_exit(prev);
	return ret;
}

static void lx_optimize_folios(struct sim_cpu *cpu, const struct hstate *h,
			       const struct folio_list *l)
{
	struct sim_cpu *prev = lx_enter(cpu);

	lx_hvo_optimize_folios(h->order, l->folio, l->nr, lx_state(cpu)->list);
	lx_exit(prev);
}

static int lx_restore_folio(struct sim_cpu *cpu, const struct hstate *h, uint64_t folio)
{
	struct sim_cpu *prev = lx_enter(cpu);
	int ret = lx_hvo_restore_folio(h->order, folio);

	lx_exit(prev);
	return ret;
}

static long lx_restore_folios(struct sim_cpu *cpu, const struct hstate *h,
			      const struct folio_list *l)
{
	struct sim_cpu *prev = lx_enter(cpu);
	long ret = lx_hvo_restore_folios(h->order, l->folio, l->nr, lx_state(cpu)->list,
					 lx_state(cpu)->out);

	lx_exit(prev);
	return ret;
}

static const struct hvo_impl hvo_impl_linux = {
	.name = "linux",
	.setup = lx_setup,
	.teardown = lx_teardown,
	.optimize_folio = lx_optimize_folio,
	.optimize_folios = lx_optimize_folios,
	.restore_folio = lx_restore_folio,
	.restore_folios = lx_restore_folios,
};

static void __attribute__((constructor)) lx_register(void)
{
	hvo_impl_register_linux(&hvo_impl_linux);
}
