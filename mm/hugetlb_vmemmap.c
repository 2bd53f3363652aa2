// SPDX-License-Identifier: GPL-2.0-only
/*
 * HugeTLB Vmemmap Optimisation, after Linux 6.12's mm/hugetlb_vmemmap.c
 * with the series' batching hooks: the walk brackets each PMD it splits and
 * each PTE range it remaps with the strategy's range callbacks, and every
 * new entry goes through the strategy's update_pmd/update_pte.
 *
 * Optimise (2 MiB page, 8 vmemmap pages): copy the first vmemmap page to a
 * fresh page, map it RW as the first page and RO for the other seven, free
 * the eight old pages. Restore: for every page but the first, allocate a
 * page, copy what is mapped there, map it RW.
 */
#include "mm_internal.h"
#include "sim/pmem.h"

#include <errno.h>
#include <glib.h>

/* Skip the TLB flush when we split the PMD */
#define VMEMMAP_SPLIT_NO_TLB_FLUSH (1u << 0)
/* Skip the TLB flush when we remap the PTE */
#define VMEMMAP_REMAP_NO_TLB_FLUSH (1u << 1)
/* synchronize_rcu() to avoid writes from page_ref_add_unless() */
#define VMEMMAP_SYNCHRONIZE_RCU (1u << 2)

/* A list of order-0 pages by PFN (Linux threads them through page->lru). */
struct pfn_list {
	GArray *pfn;
};

static void pfn_array_free(void *a)
{
	g_array_free(a, TRUE);
}

/* Freed by pfn_list_destroy(), or by the engine if the run stops first. */
static void pfn_list_init(struct sim_cpu *cpu, struct pfn_list *l)
{
	l->pfn = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	sim_cleanup_push(cpu, pfn_array_free, l->pfn);
}

static void pfn_list_add(struct pfn_list *l, uint64_t pfn)
{
	g_array_append_val(l->pfn, pfn);
}

static uint64_t pfn_list_pop(struct pfn_list *l)
{
	uint64_t pfn = g_array_index(l->pfn, uint64_t, l->pfn->len - 1);

	g_array_set_size(l->pfn, l->pfn->len - 1);
	return pfn;
}

static void pfn_list_del(struct pfn_list *l, uint64_t pfn)
{
	for (unsigned i = l->pfn->len; i-- > 0;)
		if (g_array_index(l->pfn, uint64_t, i) == pfn) {
			g_array_remove_index(l->pfn, i);
			return;
		}
}

static void pfn_list_destroy(struct sim_cpu *cpu, struct pfn_list *l)
{
	sim_cleanup_pop(cpu, l->pfn);
	g_array_free(l->pfn, TRUE);
}

struct vmemmap_walk {
	/*
	 * The new entry for the PTE at @addr that maps @old now, or 0 to keep
	 * it. Called for the whole range before the range hooks, so that
	 * lists and copies are done before any entry changes (series patch 1);
	 * between the hooks only the entries are written.
	 */
	uint64_t (*remap_pte)(struct sim_cpu *cpu, uint64_t addr, uint64_t old,
			      struct vmemmap_walk *walk);
	unsigned long nr_walked;
	uint64_t vmemmap_head, vmemmap_tail; /* PFNs; 0 = none */
	struct pfn_list *vmemmap_pages;
	unsigned flags;
	bool wmb; /* a remap_pte wrote page contents: smp_wmb() before the entries */
};

static uint64_t mk_pte(uint64_t pfn, uint64_t prot)
{
	return mmu_mk_leaf(pfn << PAGE_SHIFT, prot, 3);
}

static uint64_t pte_pfn(uint64_t pte)
{
	return mmu_desc_oa(pte, 3) >> PAGE_SHIFT;
}

/* smp_wmb(): DMB ISHST on arm64; a DSB ISHST is at least as strong. */
static void smp_wmb(struct sim_cpu *cpu)
{
	dsb_ishst(cpu);
}

/* copy_page() from any kernel VA into a page of the linear map. */
static void vmemmap_copy_page(struct sim_cpu *cpu, uint64_t dst_pfn, uint64_t src_va)
{
	struct mmu_result r;
	struct mmu_fault f;

	/* The source is read through the MMU: through the vmemmap for a folio. */
	cpu_load64(cpu, src_va);
	if (mmu_translate(cpu, src_va, false, &r, &f))
		return; /* already reported by the load */
	/* copy_page()'s loads see this CPU's own stores (--memory arm: they go out first). */
	cpu_memory_flush(cpu, false);
	pmem_copy_page(cpu->sim->mem, dst_pfn << PAGE_SHIFT, r.pa & ~(PAGE_SIZE - 1));
	cpu_memory_written(cpu, dst_pfn << PAGE_SHIFT, PAGE_SIZE);
	/* Stores to the destination: waiters and the checker see the new contents. */
	cpu_store64(cpu, mmu_phys_to_virt(dst_pfn << PAGE_SHIFT),
		    pmem_read(cpu->sim->mem, dst_pfn << PAGE_SHIFT, 8));
	sim_tick(cpu, COST_copy_page);
}

static int vmemmap_split_pmd(struct sim_cpu *cpu, uint64_t pmdp, uint64_t head_pfn, uint64_t start,
			     struct vmemmap_walk *walk)
{
	struct mm *mm = mm_of(cpu->sim);
	const struct vmemmap_update_ops *ops = mm->ops;
	uint64_t pgtable = alloc_pages(cpu, 0);

	if (!pgtable)
		return -ENOMEM;
	mm->stats.pgtable_alloced++;
	/*
	 * A detached table: nobody walks it until the PMD points at it. Still
	 * set_pte_at(), as Linux does: on arm64 each valid kernel entry is
	 * followed by DSB ISHST; ISB.
	 */
	for (unsigned i = 0; i < PTRS_PER_PTE; i++)
		set_pte_at(cpu, mmu_phys_to_virt((pgtable << PAGE_SHIFT) + 8ull * i),
			   mk_pte(head_pfn + i, MMU_PROT_KERNEL));

	ops->lock(cpu);
	uint64_t pmd = cpu_load64(cpu, pmdp);
	if (mmu_desc_is_leaf(pmd, 2)) {
		/* Make the PTEs visible before the PMD. See pmd_install(). */
		smp_wmb(cpu);
		ops->pmd_range_start(cpu, start, start + PMD_SIZE);
		/* pmd_populate_kernel(): PMD_TYPE_TABLE | PMD_TABLE_UXN on arm64. */
		uint64_t table = mmu_mk_table(pgtable << PAGE_SHIFT) | PMD_TABLE_UXN;
		int ret = 0;
		if (ops->try_update_pmd)
			ret = ops->try_update_pmd(cpu, pmdp, start, table);
		else
			ops->update_pmd(cpu, pmdp, start, table);
		ops->pmd_range_end(cpu, start, start + PMD_SIZE);
		if (ret) {
			/* The PMD is as it was: the table goes back, the folio stays as it is. */
			ops->unlock(cpu);
			free_pages(cpu, pgtable, 0);
			mm->stats.pgtable_alloced--;
			return ret;
		}
		if (!(walk->flags & VMEMMAP_SPLIT_NO_TLB_FLUSH) && !ops->arch_flushes_tlb)
			flush_tlb_kernel_range(cpu, start, start + PMD_SIZE);
		mm->stats.pmd_splits++;
	} else {
		free_pages(cpu, pgtable, 0);
		mm->stats.pgtable_alloced--;
	}
	ops->unlock(cpu);
	return 0;
}

/* walk_kernel_page_table_range() with the vmemmap's pmd_entry and pte_entry. */
static int vmemmap_remap_range(struct sim_cpu *cpu, uint64_t start, uint64_t end,
			       struct vmemmap_walk *walk)
{
	struct mm *mm = mm_of(cpu->sim);
	const struct vmemmap_update_ops *ops = mm->ops;

	for (uint64_t addr = start, next; addr < end; addr = next) {
		/* The PGD and PUD levels of the vmemmap never change: found host-side. */
		uint64_t pmdp = vmemmap_pmdp(cpu->sim, addr);
		uint64_t pmd = cpu_load64(cpu, pmdp);

		next = (addr + PMD_SIZE) & ~(PMD_SIZE - 1);
		if (next > end)
			next = end;
		if (mmu_desc_is_leaf(pmd, 2)) {
			uint64_t head = (mmu_desc_oa(pmd, 2) >> PAGE_SHIFT);

			int ret = vmemmap_split_pmd(cpu, pmdp, head, addr & ~(PMD_SIZE - 1), walk);
			if (ret)
				return ret; /* -ENOMEM, or -EAGAIN from try_update_pmd() */
			pmd = cpu_load64(cpu, pmdp);
		}
		if (!walk->remap_pte)
			continue;
		/*
		 * One range callback per PMD: one bracket covers its PTEs. The
		 * entries are read and the new ones worked out before the
		 * bracket opens, since a strategy may break them all at its start.
		 */
		uint64_t table = mmu_phys_to_virt(mmu_desc_oa(pmd, 3));
		uint64_t val[PTRS_PER_PTE];
		unsigned n = 0;
		for (uint64_t a = addr; a < next; a += PAGE_SIZE, n++) {
			uint64_t ptep = table + 8 * ((a >> PAGE_SHIFT) & (PTRS_PER_PTE - 1));

			val[n] = walk->remap_pte(cpu, a, cpu_load64(cpu, ptep), walk);
			walk->nr_walked++;
		}
		/* The new pages' contents before the entries that map them. */
		if (walk->wmb)
			smp_wmb(cpu);
		walk->wmb = false;
		ops->pte_range_start(cpu, addr, next);
		n = 0;
		for (uint64_t a = addr; a < next; a += PAGE_SIZE, n++)
			if (val[n])
				ops->update_pte(
					cpu, table + 8 * ((a >> PAGE_SHIFT) & (PTRS_PER_PTE - 1)),
					a, val[n]);
		ops->pte_range_end(cpu, addr, next);
	}
	if (walk->remap_pte && !(walk->flags & VMEMMAP_REMAP_NO_TLB_FLUSH) &&
	    !ops->arch_flushes_tlb)
		flush_tlb_kernel_range(cpu, start, end);
	return 0;
}

static void free_vmemmap_page_list(struct sim_cpu *cpu, struct pfn_list *l)
{
	struct mm *mm = mm_of(cpu->sim);

	for (unsigned i = 0; i < l->pfn->len; i++) {
		free_pages(cpu, g_array_index(l->pfn, uint64_t, i), 0);
		mm->stats.vmemmap_freed++;
	}
	g_array_set_size(l->pfn, 0);
}

static uint64_t vmemmap_remap_pte(struct sim_cpu *cpu, uint64_t addr, uint64_t old,
				  struct vmemmap_walk *walk)
{
	uint64_t entry;

	/* Remapping the head page requires r/w */
	if (walk->nr_walked == 0 && walk->vmemmap_head) {
		pfn_list_del(walk->vmemmap_pages, walk->vmemmap_head);
		/* The copy's contents before the entry that makes it visible. */
		walk->wmb = true;
		entry = mk_pte(walk->vmemmap_head, MMU_PROT_KERNEL);
	} else {
		/* Tails read-only, to catch illegal writes to them. */
		entry = mk_pte(walk->vmemmap_tail, MMU_PROT_KERNEL_RO);
	}
	pfn_list_add(walk->vmemmap_pages, pte_pfn(old));
	return entry;
}

static uint64_t vmemmap_restore_pte(struct sim_cpu *cpu, uint64_t addr, uint64_t old,
				    struct vmemmap_walk *walk)
{
	uint64_t src = pte_pfn(old), dst;

	/* A rollback keeps the copied head and restores what maps the shared tail. */
	if (walk->vmemmap_tail && walk->vmemmap_tail != src)
		return 0;
	dst = pfn_list_pop(walk->vmemmap_pages);
	vmemmap_copy_page(cpu, dst, mmu_phys_to_virt(src << PAGE_SHIFT));
	walk->wmb = true;
	return mk_pte(dst, MMU_PROT_KERNEL);
}

static int vmemmap_remap_split(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	struct vmemmap_walk walk = {.flags = VMEMMAP_SPLIT_NO_TLB_FLUSH};

	return vmemmap_remap_range(cpu, start, end, &walk);
}

static int vmemmap_remap_free(struct sim_cpu *cpu, uint64_t start, uint64_t end, uint64_t head,
			      uint64_t tail, struct pfn_list *pages, unsigned flags)
{
	struct vmemmap_walk walk = {
		.remap_pte = vmemmap_remap_pte,
		.vmemmap_head = head,
		.vmemmap_tail = tail,
		.vmemmap_pages = pages,
		.flags = flags,
	};
	int ret = vmemmap_remap_range(cpu, start, end, &walk);

	if (!ret || !walk.nr_walked)
		return ret;
	/* Roll back what was remapped with the pages it freed. */
	end = start + walk.nr_walked * PAGE_SIZE;
	walk = (struct vmemmap_walk){
		.remap_pte = vmemmap_restore_pte,
		.vmemmap_tail = tail,
		.vmemmap_pages = pages,
	};
	vmemmap_remap_range(cpu, start, end, &walk);
	return ret;
}

static int alloc_vmemmap_page_list(struct sim_cpu *cpu, uint64_t start, uint64_t end,
				   struct pfn_list *l)
{
	struct mm *mm = mm_of(cpu->sim);

	for (uint64_t a = start; a < end; a += PAGE_SIZE) {
		uint64_t pfn = alloc_pages(cpu, 0);

		if (!pfn) {
			for (unsigned i = 0; i < l->pfn->len; i++)
				free_pages(cpu, g_array_index(l->pfn, uint64_t, i), 0);
			g_array_set_size(l->pfn, 0);
			return -ENOMEM;
		}
		pfn_list_add(l, pfn);
	}
	mm->stats.vmemmap_alloced += (end - start) >> PAGE_SHIFT;
	return 0;
}

static int vmemmap_remap_alloc(struct sim_cpu *cpu, uint64_t start, uint64_t end, unsigned flags)
{
	struct pfn_list pages;
	struct vmemmap_walk walk = {
		.remap_pte = vmemmap_restore_pte,
		.vmemmap_pages = &pages,
		.flags = flags,
	};
	int ret = -1;

	pfn_list_init(cpu, &pages);
	if (!alloc_vmemmap_page_list(cpu, start, end, &pages))
		ret = vmemmap_remap_range(cpu, start, end, &walk);
	pfn_list_destroy(cpu, &pages);
	return ret;
}

/* ---- folios ---------------------------------------------------------------------------------- */

bool folio_test_hugetlb_vmemmap_optimized(struct sim_cpu *cpu, uint64_t folio)
{
	return cpu_load64(cpu, folio + PAGE_OFF_PRIVATE) & HPG_vmemmap_optimized;
}

/*
 * folio_set/clear_hugetlb_vmemmap_optimized(): set_bit()/clear_bit() on
 * folio->private, atomic_long_or/andnot: a relaxed STSET/STCLR on arm64.
 */
static void folio_set_optimized(struct sim_cpu *cpu, uint64_t folio, bool on)
{
	cpu_rmw(cpu, (on ? CPU_RMW_OR : CPU_RMW_ANDNOT) | CPU_RMW_NORET, folio + PAGE_OFF_PRIVATE,
		8, 0, HPG_vmemmap_optimized, CPU_PLAIN, 0, 0);
}

static int __hugetlb_vmemmap_restore_folio(struct sim_cpu *cpu, const struct hstate *h,
					   uint64_t folio, unsigned flags)
{
	if (!folio_test_hugetlb_vmemmap_optimized(cpu, folio))
		return 0;
	if (flags & VMEMMAP_SYNCHRONIZE_RCU)
		synchronize_rcu(cpu);

	uint64_t start = folio + HUGETLB_VMEMMAP_RESERVE_SIZE;
	uint64_t end = folio + hugetlb_vmemmap_size(h);
	int ret = vmemmap_remap_alloc(cpu, start, end, flags);

	if (!ret)
		folio_set_optimized(cpu, folio, false);
	return ret;
}

static int model_restore_folio(struct sim_cpu *cpu, const struct hstate *h, uint64_t folio)
{
	return __hugetlb_vmemmap_restore_folio(cpu, h, folio, VMEMMAP_SYNCHRONIZE_RCU);
}

static long model_restore_folios(struct sim_cpu *cpu, const struct hstate *h,
				 const struct folio_list *l)
{
	unsigned flags = VMEMMAP_REMAP_NO_TLB_FLUSH | VMEMMAP_SYNCHRONIZE_RCU;
	long restored = 0, ret = 0;

	for (unsigned i = 0; i < l->nr; i++) {
		if (!folio_test_hugetlb_vmemmap_optimized(cpu, l->folio[i]))
			continue;
		ret = __hugetlb_vmemmap_restore_folio(cpu, h, l->folio[i], flags);
		/* One grace period covers the batch. */
		flags &= ~VMEMMAP_SYNCHRONIZE_RCU;
		if (ret)
			break;
		restored++;
	}
	if (restored && !mm_of(cpu->sim)->ops->arch_flushes_tlb)
		flush_tlb_all(cpu);
	return ret ? ret : restored;
}

static int __hugetlb_vmemmap_optimize_folio(struct sim_cpu *cpu, const struct hstate *h,
					    uint64_t folio, struct pfn_list *pages, unsigned flags)
{
	struct mm *mm = mm_of(cpu->sim);

	if (folio_test_hugetlb_vmemmap_optimized(cpu, folio))
		return 0;
	if (flags & VMEMMAP_SYNCHRONIZE_RCU)
		synchronize_rcu(cpu);
	/*
	 * Set before the copy, so that the new head carries it even if a CPU
	 * keeps writing the old struct pages until the deferred flush.
	 */
	folio_set_optimized(cpu, folio, true);

	uint64_t head = alloc_pages(cpu, 0);
	if (!head) {
		folio_set_optimized(cpu, folio, false);
		return -ENOMEM;
	}
	vmemmap_copy_page(cpu, head, folio);
	pfn_list_add(pages, head);
	mm->stats.vmemmap_alloced++;

	int ret = vmemmap_remap_free(cpu, folio, folio + hugetlb_vmemmap_size(h), head, head, pages,
				     flags);
	if (ret)
		folio_set_optimized(cpu, folio, false);
	return ret;
}

static int model_optimize_folio(struct sim_cpu *cpu, const struct hstate *h, uint64_t folio)
{
	struct pfn_list pages;

	pfn_list_init(cpu, &pages);
	int ret = __hugetlb_vmemmap_optimize_folio(cpu, h, folio, &pages, VMEMMAP_SYNCHRONIZE_RCU);
	free_vmemmap_page_list(cpu, &pages);
	pfn_list_destroy(cpu, &pages);
	return ret;
}

static void model_optimize_folios(struct sim_cpu *cpu, const struct hstate *h,
				  const struct folio_list *l)
{
	const struct vmemmap_update_ops *ops = mm_of(cpu->sim)->ops;
	unsigned flags = VMEMMAP_REMAP_NO_TLB_FLUSH | VMEMMAP_SYNCHRONIZE_RCU;
	struct pfn_list pages;

	pfn_list_init(cpu, &pages);
	for (unsigned i = 0; i < l->nr; i++) {
		uint64_t folio = l->folio[i];

		if (folio_test_hugetlb_vmemmap_optimized(cpu, folio))
			continue;
		/*
		 * Splitting needs a page per PMD: stop at the first -ENOMEM, as
		 * Linux does; a split that gave up (-EAGAIN) only leaves its folio.
		 */
		if (vmemmap_remap_split(cpu, folio, folio + hugetlb_vmemmap_size(h)) == -ENOMEM)
			break;
	}
	if (!ops->arch_flushes_tlb)
		flush_tlb_all(cpu);
	for (unsigned i = 0; i < l->nr; i++) {
		int ret = __hugetlb_vmemmap_optimize_folio(cpu, h, l->folio[i], &pages, flags);

		flags &= ~VMEMMAP_SYNCHRONIZE_RCU;
		/* Out of memory: free what was gathered and try this one again. */
		if (ret == -ENOMEM && pages.pfn->len) {
			if (!ops->arch_flushes_tlb)
				flush_tlb_all(cpu);
			free_vmemmap_page_list(cpu, &pages);
			__hugetlb_vmemmap_optimize_folio(cpu, h, l->folio[i], &pages, flags);
		}
	}
	if (!ops->arch_flushes_tlb)
		flush_tlb_all(cpu);
	free_vmemmap_page_list(cpu, &pages);
	pfn_list_destroy(cpu, &pages);
}

const struct hvo_impl hvo_impl_model = {
	.name = "model",
	.optimize_folio = model_optimize_folio,
	.optimize_folios = model_optimize_folios,
	.restore_folio = model_restore_folio,
	.restore_folios = model_restore_folios,
};

void folio_list_add(struct folio_list *l, uint64_t folio)
{
	if (l->nr == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->folio = g_renew(uint64_t, l->folio, l->cap);
	}
	l->folio[l->nr++] = folio;
}

void folio_list_free(struct folio_list *l)
{
	g_free(l->folio);
	l->folio = NULL;
	l->nr = l->cap = 0;
}
