// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Linux side of the harness, compiled against the shim like the
 * upstream file: the hstates and init_mm it refers to, our small kernel page
 * walker (walk_kernel_page_table_range() with pmd_entry/pte_entry, not
 * Linux's mm/pagewalk.c), and the entry points lx_glue.c calls with plain
 * types (folio lists are built in simulated memory through folio->lru, as
 * hugetlb keeps them).
 */
#include <linux/hugetlb.h>
#include <linux/pagewalk.h>

#include "hugetlb_vmemmap.h"

struct hstate lx_hstates[] = {{.order = 9}, {.order = 18}};
unsigned int lx_hugetlb_max_hstate = 2;
struct mm_struct init_mm;
extern int (*const lx_late_initcall)(void);

int proc_dobool(const struct ctl_table *t, int write, void *buf, size_t *lenp, loff_t *ppos)
{
	return 0;
}

int walk_kernel_page_table_range(unsigned long start, unsigned long end,
				 const struct mm_walk_ops *ops, pgd_t *pgd, void *private)
{
	struct mm_walk walk = {
		.ops = ops,
		.mm = &init_mm,
		.pgd = pgd,
		.private = private,
		.no_vma = true,
	};
	unsigned long addr, next;
	int err = 0;

	if (start >= end)
		return -EINVAL;
	for (addr = start; addr != end; addr = next) {
		/* PGD and PUD entries are read through the MMU on the way down. */
		pmd_t *pmd = (pmd_t *)(uintptr_t)lx_pmd_offset_kernel(addr);
		pte_t *pte;

		next = pmd_addr_end(addr, end);
		if (!pmd || pmd_none(*pmd))
			continue;
		walk.action = ACTION_SUBTREE;
		if (ops->pmd_entry)
			err = ops->pmd_entry(pmd, addr, next, &walk);
		if (err)
			return err;
		if (walk.action == ACTION_AGAIN) {
			next = addr;
			continue;
		}
		if (walk.action == ACTION_CONTINUE || !ops->pte_entry || pmd_leaf(*pmd))
			continue;
		pte = pte_offset_kernel(pmd, addr);
		for (unsigned long a = addr; a != next; a += PAGE_SIZE, pte++) {
			err = ops->pte_entry(pte, a, a + PAGE_SIZE, &walk);
			if (err)
				return err;
		}
	}
	return 0;
}

/* ---- entries (lx_glue.h) -------------------------------------------------------------- */

static struct hstate *lx_hstate(unsigned order)
{
	return &lx_hstates[order == 9 ? 0 : 1];
}

static struct folio *lx_folio(uint64_t folio)
{
	return (struct folio *)(uintptr_t)folio;
}

void lx_hvo_init(void)
{
	lx_late_initcall();
}

bool lx_folio_optimized(uint64_t folio)
{
	return folio_test_hugetlb_vmemmap_optimized(lx_folio(folio));
}

int lx_hvo_optimize_folio(unsigned order, uint64_t folio)
{
	hugetlb_vmemmap_optimize_folio(lx_hstate(order), lx_folio(folio));
	return lx_folio_optimized(folio) ? 0 : -ENOMEM;
}

int lx_hvo_restore_folio(unsigned order, uint64_t folio)
{
	return hugetlb_vmemmap_restore_folio(lx_hstate(order), lx_folio(folio));
}

/* The folios on a list headed in simulated memory at @list, linked through folio->lru. */
static struct list_head *lx_folio_list(uint64_t list, const uint64_t *folio, unsigned n)
{
	struct list_head *head = (struct list_head *)(uintptr_t)list;

	INIT_LIST_HEAD(head);
	for (unsigned i = 0; i < n; i++)
		list_add_tail(&lx_folio(folio[i])->lru, head);
	return head;
}

/* Off the list again: the pool's own lists are not modelled. */
static void lx_folio_list_clear(struct list_head *head)
{
	while (!list_empty(head))
		list_del_init(lx_next(head));
}

void lx_hvo_optimize_folios(unsigned order, const uint64_t *folio, unsigned n, uint64_t list)
{
	struct list_head *head = lx_folio_list(list, folio, n);

	hugetlb_vmemmap_optimize_folios(lx_hstate(order), head);
	lx_folio_list_clear(head);
}

long lx_hvo_restore_folios(unsigned order, const uint64_t *folio, unsigned n, uint64_t list,
			   uint64_t out)
{
	struct list_head *head = lx_folio_list(list, folio, n);
	struct list_head *non_hvo = (struct list_head *)(uintptr_t)out;
	long ret;

	INIT_LIST_HEAD(non_hvo);
	ret = hugetlb_vmemmap_restore_folios(lx_hstate(order), head, non_hvo);
	lx_folio_list_clear(head);
	lx_folio_list_clear(non_hvo);
	return ret;
}
