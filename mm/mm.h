/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mm: the kernel memory-management code under test, modelled on Linux 6.12
 * (mm/page_alloc.c, mm/sparse-vmemmap.c, mm/hugetlb.c, mm/hugetlb_vmemmap.c)
 * and the HVO-on-arm64 series.
 *
 * Contract: mm_setup() (scenario setup, host context, after mmu_install()
 * and smp_setup()) lays out physical memory, maps the vmemmap with 2 MiB
 * blocks as arm64 does at boot, initialises every struct page and the buddy
 * allocator, and picks the vmemmap update strategy (--strategy). Every
 * function that takes a struct sim_cpu runs on that CPU as its program and
 * touches struct pages and page tables only through the MMU (cpu_load/
 * cpu_store on kernel VAs), so the checker sees each access.
 *
 * The allocator's own bookkeeping (free lists) is host state: it is not
 * what is being judged, and each operation costs simulated time from the
 * cost table. Every page it hands out or takes back is announced to the
 * checker, which is how a stale access to a freed page is recognised.
 */
#ifndef BBMSIM_MM_H
#define BBMSIM_MM_H

#include "sim/arm/mmu.h"
#include "smp/smp.h"

/* This layer's costs (costs.def): COST_name ids into struct sim_costs. */
#define SIM_COST SIM_COST_DECLARE
#include "costs.def"
#undef SIM_COST

/* This layer's options (options.def): OPT_name ids into struct sim_options. */
#define SIM_OPT_UINT SIM_OPT_ID_DECLARE
#define SIM_OPT_BOOL SIM_OPT_ID_DECLARE
#define SIM_OPT_STR  SIM_OPT_ID_DECLARE
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR

#define PAGE_SHIFT     MMU_PAGE_SHIFT
#define PAGE_SIZE      MMU_PAGE_SIZE
#define PMD_SIZE       MMU_PMD_SIZE
#define PUD_SIZE       MMU_PUD_SIZE
#define PTRS_PER_PTE   512
#define PMD_TABLE_UXN  (1ull << 60) /* UXNTable: pmd_populate_kernel() sets it on arm64 */
#define MAX_PAGE_ORDER 18	    /* 1 GiB: gigantic pages come from the same buddy here */

/* ---- struct page (64 bytes; Linux's offsets on arm64) ------------------------------ */

#define STRUCT_PAGE_SIZE  64
#define PAGE_OFF_FLAGS	  0  /* unsigned long flags */
#define PAGE_OFF_CHEAD	  8  /* compound_head (tail: head | 1), or lru.next */
#define PAGE_OFF_PRIVATE  40 /* private: hugetlb's HPG_* flags on the head */
#define PAGE_OFF_MAPCOUNT 48
#define PAGE_OFF_REFCOUNT 52

enum pageflags {
	PG_locked = 0,
	PG_referenced = 2,
	PG_uptodate = 3,
	PG_lru = 5,
	PG_head = 6,
	PG_owner_priv_1 = 10, /* PG_vmemmap_self_hosted */
	PG_reserved = 13,
	PG_hugetlb = 20, /* stands for the folio's hugetlb page type */
};

/* hugetlb page flags (HPG_*) in folio->private. */
enum hugetlb_page_flags {
	HPG_vmemmap_optimized = 1u << 4,
};

/* The vmemmap is struct pages for every PFN from PFN 0. */
static inline uint64_t pfn_to_page(uint64_t pfn)
{
	return mmu_pfn_to_page(pfn);
}

static inline uint64_t page_to_pfn(uint64_t page)
{
	return (page - MMU_VMEMMAP_START) / STRUCT_PAGE_SIZE;
}

static inline uint64_t page_to_virt(uint64_t page)
{
	return mmu_phys_to_virt(page_to_pfn(page) << PAGE_SHIFT);
}

/* ---- strategies: the series' arch hooks (patches 1, 2, 5) --------------------------- */

struct vmemmap_walk;
struct hstate;
struct folio_list;

/*
 * One vmemmap update strategy. The generic HVO code brackets every PMD it
 * splits and every range of PTEs it remaps with these hooks and writes each
 * new entry through update_pmd/update_pte, so an implementation can break
 * the entries first, defer the writes, or change nothing.
 */
struct vmemmap_update_ops {
	const char *name;
	/* vmemmap_update_supported(): may HVO run on this machine at all? */
	bool (*supported)(struct sim *sim, char *why, size_t len);
	/* Host context: per-run set-up (fault handlers, ...) and its undoing. */
	void (*setup)(struct sim *sim);
	void (*teardown)(struct sim *sim);
	void (*lock)(struct sim_cpu *cpu);
	void (*unlock)(struct sim_cpu *cpu);
	void (*pmd_range_start)(struct sim_cpu *cpu, uint64_t start, uint64_t end);
	void (*pmd_range_end)(struct sim_cpu *cpu, uint64_t start, uint64_t end);
	void (*pte_range_start)(struct sim_cpu *cpu, uint64_t start, uint64_t end);
	void (*pte_range_end)(struct sim_cpu *cpu, uint64_t start, uint64_t end);
	/* Writes a new entry for @addr at @entryp (a kernel VA). */
	void (*update_pmd)(struct sim_cpu *cpu, uint64_t pmdp, uint64_t addr, uint64_t val);
	void (*update_pte)(struct sim_cpu *cpu, uint64_t ptep, uint64_t addr, uint64_t val);
	/*
	 * The July 2026 series' try_populate_vmemmap_pmd(): when set, the
	 * split uses it instead of update_pmd and may fail: 0, or -EAGAIN /
	 * -EOPNOTSUPP / -EINVAL with the PMD left as it was (the folio then
	 * stays unoptimised).
	 */
	int (*try_update_pmd)(struct sim_cpu *cpu, uint64_t pmdp, uint64_t addr, uint64_t val);
	/* The strategy flushes the TLB itself: the generic flushes are skipped. */
	bool arch_flushes_tlb;
};

extern const struct vmemmap_update_ops vmemmap_ops_none, vmemmap_ops_a, vmemmap_ops_b,
	vmemmap_ops_c, vmemmap_ops_d, vmemmap_ops_e;

/*
 * By --strategy name (none, A, B, C, D, E; and for scenarios and tests,
 * D-no-nmi: D pausing without pseudo-NMI, D-broken: D resuming before its
 * TLB flush completes, E-no-ha: E without hardware Access flag updates,
 * E-no-flush: E not flushing after it clears the Access flag); NULL if
 * unknown.
 */
const struct vmemmap_update_ops *vmemmap_ops_find(const char *name);

/* ---- which HVO code runs: --kernel model|linux ------------------------------------------ */

/*
 * The HVO entry points of one kernel: our model (mm/hugetlb_vmemmap.c) or
 * Linux's own mm/hugetlb_vmemmap.c run through the harness in mm/linux/.
 * hugetlb_vmemmap_*() below call the run's.
 */
struct hvo_impl {
	const char *name;
	/* Host context, after the strategy is set up, and its undoing. */
	int (*setup)(struct sim *sim, char *err, size_t errlen);
	void (*teardown)(struct sim *sim);
	int (*optimize_folio)(struct sim_cpu *cpu, const struct hstate *h, uint64_t folio);
	void (*optimize_folios)(struct sim_cpu *cpu, const struct hstate *h,
				const struct folio_list *l);
	int (*restore_folio)(struct sim_cpu *cpu, const struct hstate *h, uint64_t folio);
	long (*restore_folios)(struct sim_cpu *cpu, const struct hstate *h,
			       const struct folio_list *l);
};

extern const struct hvo_impl hvo_impl_model;
/* The Linux harness registers itself (a constructor) when it is built. */
void hvo_impl_register_linux(const struct hvo_impl *impl);

/* ---- the per-run state ----------------------------------------------------------------- */

struct buddy;

struct mm_stats {
	uint64_t pages_alloced, pages_freed;	 /* order-0 equivalents */
	uint64_t vmemmap_alloced, vmemmap_freed; /* pages backing the vmemmap */
	uint64_t pgtable_alloced, pgtable_freed;
	uint64_t pmd_splits;
	uint64_t flush_tlb_all, flush_tlb_range, tlbi_pages;
	uint64_t pause_rounds, stop_machine_rounds;
	uint64_t sync_rcu;
	/* Strategy E: cmpxchg attempts lost to a walker setting AF again. */
	uint64_t af_retries_pmd, af_retries_pte;
	uint64_t split_eagain; /* try_populate_vmemmap_pmd() gave up (-EAGAIN) */
};

struct mm {
	struct sim *sim;
	const struct vmemmap_update_ops *ops;
	const struct hvo_impl *hvo;
	void *hvo_state; /* the HVO implementation's own */
	uint64_t nr_pfns;
	uint64_t vmemmap_pa, vmemmap_size; /* memblock'd backing of the vmemmap */
	struct buddy *buddy;
	/* kernel data (VAs) */
	uint64_t page_table_lock; /* init_mm.page_table_lock */
	uint64_t rcu_nesting;	  /* per CPU: u32 rcu_read_lock depth, 64 B apart */
	uint64_t rcu_qs;	  /* per CPU: u64 quiescent-state count, 64 B apart */
	struct mm_stats stats;
	/* Strategy B's deferred writes, strategy private state. */
	void *strategy_state;
};

static inline struct mm *mm_of(struct sim *sim)
{
	return sim->kern;
}

/*
 * Host context. Needs mmu_install() and smp_setup() done. Fails (bad input)
 * when memory is too small for the layout or the strategy is unknown.
 */
int mm_setup(struct sim *sim, char *err, size_t errlen);
void mm_teardown(struct sim *sim);

/* ---- page allocator (mm/page_alloc.c) ---------------------------------------------- */

/* A 2^order block of pages; returns its first PFN, or 0 on failure (PFN 0 is never free). */
uint64_t alloc_pages(struct sim_cpu *cpu, unsigned order);
void free_pages(struct sim_cpu *cpu, uint64_t pfn, unsigned order);
/* Host-context forms, for set-up. */
uint64_t mm_alloc_pages_host(struct sim *sim, unsigned order);
uint64_t mm_nr_free_pages(struct sim *sim);

/* ---- struct page readers (include/linux/page-flags.h, page_ref.h) ------------------------- */

uint64_t page_flags(struct sim_cpu *cpu, uint64_t page);
/* compound_head() with HVO's fake-head handling (page_fixed_fake_head). */
uint64_t compound_head(struct sim_cpu *cpu, uint64_t page);
/*
 * The same, with the dependency the head carries in *@dep: it is computed
 * from a READ_ONCE() of compound_head, so Linux's accesses to the head
 * (page->flags, _refcount) are address-dependent on that load.
 */
uint64_t compound_head_dep(struct sim_cpu *cpu, uint64_t page, cpu_dep_t *dep);
bool page_fixed_fake_head_test(struct sim_cpu *cpu, uint64_t page, uint64_t *head);
/* Adds @nr to the refcount unless it is @unless; true if it did (an atomic). */
bool page_ref_add_unless(struct sim_cpu *cpu, uint64_t page, int nr, int unless);
void page_ref_sub(struct sim_cpu *cpu, uint64_t page, int nr);

/* RCU: enough for synchronize_rcu() to wait out page_ref_add_unless() callers. */
void rcu_read_lock(struct sim_cpu *cpu);
void rcu_read_unlock(struct sim_cpu *cpu);
void synchronize_rcu(struct sim_cpu *cpu);

/* ---- TLB flushing as arm64 does it (asm/tlbflush.h) --------------------------------- */

void flush_tlb_all(struct sim_cpu *cpu);
/* Above MAX_DVM_OPS pages: flush_tlb_all(); else one TLBI VAALE1IS per page. */
void flush_tlb_kernel_range(struct sim_cpu *cpu, uint64_t start, uint64_t end);
/* set_pte_at()/set_pmd() on a kernel entry: the store, then DSB ISHST; ISB. */
void set_pte_at(struct sim_cpu *cpu, uint64_t ptep, uint64_t val);
void pte_clear(struct sim_cpu *cpu, uint64_t ptep);

/* ---- HVO (mm/hugetlb_vmemmap.c) ------------------------------------------------------ */

struct hstate {
	unsigned order; /* 9: 2 MiB, 18: 1 GiB */
};

extern const struct hstate hstate_2m, hstate_1g;

/* Bytes of vmemmap one huge page of @h has (2 MiB: 32 KiB; 1 GiB: 16 MiB). */
static inline uint64_t hugetlb_vmemmap_size(const struct hstate *h)
{
	return (1ull << h->order) * STRUCT_PAGE_SIZE;
}

/* The first vmemmap page stays with the head: HUGETLB_VMEMMAP_RESERVE_SIZE. */
#define HUGETLB_VMEMMAP_RESERVE_SIZE PAGE_SIZE

/* A list of folios as the callers pass them: head pages (VAs of struct page). */
struct folio_list {
	uint64_t *folio;
	unsigned nr, cap;
};

void folio_list_add(struct folio_list *l, uint64_t folio);
void folio_list_free(struct folio_list *l);

bool folio_test_hugetlb_vmemmap_optimized(struct sim_cpu *cpu, uint64_t folio);
int hugetlb_vmemmap_optimize_folio(struct sim_cpu *cpu, const struct hstate *h, uint64_t folio);
void hugetlb_vmemmap_optimize_folios(struct sim_cpu *cpu, const struct hstate *h,
				     const struct folio_list *l);
int hugetlb_vmemmap_restore_folio(struct sim_cpu *cpu, const struct hstate *h, uint64_t folio);
long hugetlb_vmemmap_restore_folios(struct sim_cpu *cpu, const struct hstate *h,
				    const struct folio_list *l);

/* ---- hugetlb (mm/hugetlb.c) ------------------------------------------------------------- */

/* Allocates and prepares a huge page of @h, and adds it to @l (not optimised). */
int alloc_fresh_hugetlb_folio(struct sim_cpu *cpu, const struct hstate *h, struct folio_list *l);
/* The pool's operations, as /proc/sys/vm/nr_hugepages and demote drive them. */
int hugetlb_alloc_pool(struct sim_cpu *cpu, const struct hstate *h, unsigned n,
		       struct folio_list *out);
void hugetlb_free_pool(struct sim_cpu *cpu, const struct hstate *h, const struct folio_list *l);
int hugetlb_demote_pool(struct sim_cpu *cpu, const struct folio_list *gigantic,
			struct folio_list *out_2m);

/*
 * Host context: a huge page prepared as at boot (bootmem gigantic pages,
 * or a pool filled before the scenario starts), not optimised.
 */
uint64_t mm_boot_huge_page(struct sim *sim, const struct hstate *h);

#endif
