/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lx_glue: the one boundary between Linux's mm/hugetlb_vmemmap.c (compiled
 * against our shim headers in mm/linux/include) and bbmsim. Only plain C
 * types cross it: neither side sees the other's names, so Linux's
 * alloc_pages()/set_pte_at()/struct hstate never meet mm/mm.h's.
 *
 * The lx_*() calls below are implemented by lx_glue.c (bbmsim side) and
 * run on the current CPU: the harness records it in the run's state at
 * every entry into Linux code and restores it on the way out. The engine
 * runs one CPU at a time and only the CPU that entered runs Linux code
 * until it returns (the token passes at yield points inside these calls,
 * but no other CPU enters Linux code in the HVO scenarios), so one CPU per
 * run is sound. Linux code finds its run through a thread-local pointer (a
 * host thread runs one run at a time, so two runs may go side by side in
 * one process); lx_glue.c checks it against the engine's running CPU on
 * every access.
 *
 * Addresses: a simulated kernel VA is >= LX_KVA_BASE (the top 16 bits set,
 * never a host user-space pointer). Linux code holds them as ordinary
 * pointers (struct page *, pte_t *, ...) and the shim turns every access
 * through one into a simulated load or store. A host object whose address
 * must be stored in simulated memory (a LIST_HEAD on the updater's stack)
 * is stored as a token in LX_TOKEN_BASE's non-canonical range, so no host
 * address ever reaches simulated memory (determinism).
 */
#ifndef BBMSIM_LX_GLUE_H
#define BBMSIM_LX_GLUE_H

#include <stdbool.h>
#include <stdint.h>

#define LX_KVA_BASE   0xffff000000000000ull
#define LX_TOKEN_BASE 0x00dd000000000000ull
#define LX_TOKEN_MASK 0xffff000000000000ull

static inline bool lx_is_kva(uint64_t a)
{
	return a >= LX_KVA_BASE;
}

/*
 * Where Linux code is: the call site of the shim call now running (file,
 * function, line as the compiler saw them: apply-hooks' #line directives
 * make them the user's mm/hugetlb_vmemmap.c, or the patched copy for the
 * series' own lines). Set by LX_AT() in lx_kernel.h's macros; read by the
 * harness when a finding is reported while a CPU runs Linux code. Host
 * state, per run: string literals, never in simulated memory.
 */
struct lx_where {
	const char *file, *func;
	int line;
};
/* The running run's lx_where, set at every entry into Linux code. */
extern _Thread_local struct lx_where *lx_wherep;
#define LX_AT(expr) \
	(lx_wherep->file = __FILE__, lx_wherep->func = __func__, lx_wherep->line = __LINE__, (expr))

/* struct page layout and flag bits shared with mm/mm.h (checked there). */
#define LX_PAGE_OFF_FLAGS	 0
#define LX_PAGE_OFF_PRIVATE	 40
#define LX_PG_head		 6
#define LX_PG_owner_priv_1	 10 /* PG_vmemmap_self_hosted */
#define LX_PG_reserved		 13
#define LX_HPG_vmemmap_optimized 4

/* Descriptors, as the model builds them (sim/arm/mmu.h). */
uint64_t lx_mk_pte(uint64_t pfn, bool rdonly);
uint64_t lx_pte_pfn(uint64_t pte);
uint64_t lx_mk_kernel_table(uint64_t table_pa); /* pmd_populate_kernel()'s value */
bool lx_pmd_is_leaf(uint64_t pmd);
bool lx_pmd_is_table(uint64_t pmd);
uint64_t lx_pmd_pfn(uint64_t pmd);   /* of a block */
uint64_t lx_pmd_table(uint64_t pmd); /* PA of the table it points to */
uint64_t lx_pfn_to_page(uint64_t pfn);
uint64_t lx_page_to_pfn(uint64_t page);
uint64_t lx_phys_to_virt(uint64_t pa);
uint64_t lx_virt_to_phys(uint64_t va);

/* Memory, through the MMU of the current CPU. */
uint64_t lx_load(uint64_t va, unsigned size);
void lx_store(uint64_t va, unsigned size, uint64_t val);
uint64_t lx_cmpxchg(uint64_t va, unsigned size, uint64_t old, uint64_t val);
/*
 * set_bit()/clear_bit() of the word at @va: atomic_long_or/andnot, on
 * arm64 LSE a relaxed STSET/STCLR (asm-generic/bitops/atomic.h).
 */
void lx_set_bits(uint64_t va, uint64_t mask);
void lx_clear_bits(uint64_t va, uint64_t mask);
void lx_copy_page(uint64_t to, uint64_t from);
/* A host object's address as stored in simulated memory, and back. */
uint64_t lx_token(const void *host);
void *lx_untoken(uint64_t token);

/* Page tables (arm64 pgtable.h, tlbflush.h), barriers. */
void lx_set_pte(uint64_t ptep, uint64_t addr, uint64_t val); /* set_pte_at() */
void lx_set_pmd(uint64_t pmdp, uint64_t val);		     /* set_pmd() */
uint64_t lx_pmd_offset_kernel(uint64_t addr);		     /* PMD slot VA, 0 if no table */
void lx_smp_wmb(void);
void lx_flush_tlb_all(void);
void lx_flush_tlb_kernel_range(uint64_t start, uint64_t end);

/* Page allocator (PFNs, 0: none), its page-table and memmap accounting. */
uint64_t lx_alloc_page(void);
void lx_free_page(uint64_t pfn);
void lx_pgtable_account(int delta);
void lx_memmap_account(long delta);

/* init_mm.page_table_lock, RCU. */
void lx_ptl_lock(void);
void lx_ptl_unlock(void);
void lx_synchronize_rcu(void);

/* The series' hooks, onto the run's struct vmemmap_update_ops (mm/bbm.c). */
bool lx_vmemmap_update_supported(void);
bool lx_vmemmap_arch_flushes_tlb(void);
void lx_vmemmap_update_pte_range_start(uint64_t start, uint64_t end);
void lx_vmemmap_update_pte_range_end(void);
void lx_vmemmap_update_pmd_range_start(uint64_t start, uint64_t end);
void lx_vmemmap_update_pmd_range_end(void);

/* The Linux side's entry points (lx_entry.c), called with lx_cpu set. */
void lx_hvo_init(void);
int lx_hvo_optimize_folio(unsigned order, uint64_t folio);
void lx_hvo_optimize_folios(unsigned order, const uint64_t *folio, unsigned n, uint64_t list);
int lx_hvo_restore_folio(unsigned order, uint64_t folio);
long lx_hvo_restore_folios(unsigned order, const uint64_t *folio, unsigned n, uint64_t list,
			   uint64_t out);
bool lx_folio_optimized(uint64_t folio);

#endif
