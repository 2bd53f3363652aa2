// SPDX-License-Identifier: GPL-2.0-only
/*
 * The buddy allocator: one free list per order, each a tree sorted by PFN
 * so that the lowest free block is handed out first and the choice never
 * depends on host addresses or hash order.
 */
#include "mm_internal.h"
#include "sim/arm/checker.h"
#include "sim/pmem.h"

#include <glib.h>
#include <inttypes.h>

struct buddy {
	GTree *free[MAX_PAGE_ORDER + 1]; /* PFN -> nothing */
	uint64_t start, end;		 /* the PFNs it manages */
	uint64_t nr_free;
};

static gint pfn_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;

	return x < y ? -1 : x > y;
}

static void buddy_insert(struct buddy *b, uint64_t pfn, unsigned order)
{
	g_tree_insert(b->free[order], (gpointer)(uintptr_t)pfn, NULL);
}

struct buddy *buddy_create(uint64_t start, uint64_t end)
{
	struct buddy *b = g_new0(struct buddy, 1);

	for (unsigned o = 0; o <= MAX_PAGE_ORDER; o++)
		b->free[o] = g_tree_new_full(pfn_cmp, NULL, NULL, NULL);
	b->start = start;
	b->end = end;
	/* The largest naturally aligned blocks that fit, as memblock hands them over. */
	for (uint64_t pfn = start; pfn < end;) {
		unsigned o = MAX_PAGE_ORDER;

		while (o && ((pfn & ((1ull << o) - 1)) || pfn + (1ull << o) > end))
			o--;
		buddy_insert(b, pfn, o);
		b->nr_free += 1ull << o;
		pfn += 1ull << o;
	}
	return b;
}

void buddy_destroy(struct buddy *b)
{
	if (!b)
		return;
	for (unsigned o = 0; o <= MAX_PAGE_ORDER; o++)
		g_tree_destroy(b->free[o]);
	g_free(b);
}

static uint64_t buddy_alloc(struct buddy *b, unsigned order)
{
	for (unsigned o = order; o <= MAX_PAGE_ORDER; o++) {
		GTreeNode *n = g_tree_node_first(b->free[o]);

		if (!n)
			continue;
		uint64_t pfn = (uintptr_t)g_tree_node_key(n);
		g_tree_remove(b->free[o], (gpointer)(uintptr_t)pfn);
		/* Split: the upper halves go back, the lowest part is ours. */
		while (o > order) {
			o--;
			buddy_insert(b, pfn + (1ull << o), o);
		}
		b->nr_free -= 1ull << order;
		return pfn;
	}
	return 0;
}

static void buddy_free(struct buddy *b, uint64_t pfn, unsigned order)
{
	b->nr_free += 1ull << order;
	while (order < MAX_PAGE_ORDER) {
		uint64_t buddy = pfn ^ (1ull << order);

		if (buddy < b->start || buddy + (1ull << order) > b->end ||
		    !g_tree_remove(b->free[order], (gpointer)(uintptr_t)buddy))
			break;
		pfn &= ~(1ull << order);
		order++;
	}
	buddy_insert(b, pfn, order);
}

uint64_t mm_alloc_pages_host(struct sim *sim, unsigned order)
{
	struct mm *mm = mm_of(sim);
	uint64_t pfn = buddy_alloc(mm->buddy, order);

	if (pfn) {
		chk_page_alloc(sim, pfn << PAGE_SHIFT, 1ull << order);
		mm->stats.pages_alloced += 1ull << order;
	}
	return pfn;
}

uint64_t alloc_pages(struct sim_cpu *cpu, unsigned order)
{
	sim_yield(cpu);
	sim_tick(cpu, COST_page_alloc);
	return mm_alloc_pages_host(cpu->sim, order);
}

/*
 * The first PFN of [pfn, pfn + 2^order) already free, or 0: a free block of
 * a larger order containing it, or one of a smaller order inside it.
 */
static uint64_t buddy_first_free(const struct buddy *b, uint64_t pfn, unsigned order)
{
	uint64_t end = pfn + (1ull << order);

	for (unsigned o = 0; o <= MAX_PAGE_ORDER; o++) {
		uint64_t start = o >= order ? pfn & ~((1ull << o) - 1) : pfn;
		GTreeNode *n = g_tree_lower_bound(b->free[o], (gpointer)(uintptr_t)start);

		if (!n)
			continue;
		uint64_t f = (uintptr_t)g_tree_node_key(n);
		if (o >= order ? f == start : f < end)
			return o >= order ? pfn : f;
	}
	return 0;
}

void free_pages(struct sim_cpu *cpu, uint64_t pfn, unsigned order)
{
	struct sim *sim = cpu->sim;
	struct mm *mm = mm_of(sim);

	sim_yield(cpu);
	sim_tick(cpu, COST_page_free);
	uint64_t twice = buddy_first_free(mm->buddy, pfn, order);
	if (twice) {
		/* Linux's free_pages_prepare() finds a free page's flags: bad_page(). */
		sim_report(sim, cpu, FINDING_ASSERTION, 0, twice << PAGE_SHIFT,
			   "mm/page_alloc.c free_pages_prepare(): bad_page(): a page freed twice",
			   "free of pfn %#" PRIx64 " order %u: pfn %#" PRIx64 " is already free",
			   pfn, order, twice);
		return;
	}
	chk_page_free(sim, pfn << PAGE_SHIFT, 1ull << order);
	/* Free memory's contents are undefined: drop them (host memory stays small). */
	cpu_memory_flush(cpu, false);
	for (uint64_t i = 0; i < (1ull << order); i++) {
		pmem_zero_page(sim->mem, (pfn + i) << PAGE_SHIFT);
		cpu_memory_written(cpu, (pfn + i) << PAGE_SHIFT, PAGE_SIZE);
	}
	buddy_free(mm->buddy, pfn, order);
	mm->stats.pages_freed += 1ull << order;
}

uint64_t mm_nr_free_pages(struct sim *sim)
{
	return mm_of(sim)->buddy->nr_free;
}
