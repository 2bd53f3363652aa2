// SPDX-License-Identifier: GPL-2.0-only
/*
 * tlb: one CPU's TLB: leaf entries hashed by VA per size class, plus a walk
 * cache of table descriptors. Replacement is a decision (DECIDE_TLB_EVICT),
 * never a host-dependent policy.
 */
#include "mmu_internal.h"

#include <stdlib.h>

const uint8_t tlb_class_shift[TLB_NR_CLASSES] = {12, 16, 21, 25, 30};

static unsigned tlb_class_of(unsigned shift)
{
	for (unsigned c = 0; c < TLB_NR_CLASSES; c++)
		if (tlb_class_shift[c] == shift)
			return c;
	return 0;
}

int tlb_init(struct tlb *t, uint32_t cap, uint32_t wcap)
{
	uint32_t nb = 1;

	while (nb < cap * 2)
		nb <<= 1;
	t->e = g_new0(struct tlb_entry, cap);
	t->cap = cap;
	t->nr = 0;
	t->gen = 1;
	for (uint32_t i = 0; i < cap; i++)
		t->e[i].next = i + 1 < cap ? i + 1 : TLB_NIL;
	t->free_head = 0;
	for (unsigned c = 0; c < TLB_NR_CLASSES; c++) {
		/* Large pages are few: small tables for them. */
		uint32_t n = c == 0 ? nb : 64;

		t->cls[c].count = 0;
		t->cls[c].mask = n - 1;
		t->cls[c].bucket = g_new(uint32_t, n);
		for (uint32_t i = 0; i < n; i++)
			t->cls[c].bucket[i] = TLB_NIL;
	}
	t->w = g_new0(struct tlb_walk, wcap);
	t->wcap = wcap;
	t->wnr = 0;
	return 0;
}

void tlb_free(struct tlb *t)
{
	g_free(t->e);
	for (unsigned c = 0; c < TLB_NR_CLASSES; c++)
		g_free(t->cls[c].bucket);
	g_free(t->w);
}

static void tlb_remove(struct tlb *t, uint32_t i)
{
	struct tlb_entry *e = &t->e[i];
	unsigned c = e->cls;
	uint32_t *pp = &t->cls[c].bucket[tlb_hash(e->va >> e->shift, t->cls[c].mask)];

	while (*pp != i)
		pp = &t->e[*pp].next;
	*pp = e->next;
	e->used = false;
	e->next = t->free_head;
	t->free_head = i;
	if (!--t->cls[c].count)
		t->cls_mask &= ~(1u << c);
	if (!--t->nr)
		t->regions = 0;
	t->gen++;
}

void tlb_insert(struct sim *sim, struct tlb *t, uint64_t va, const struct mmu_result *r,
		uint64_t epoch)
{
	unsigned shift = mmu_level_shift(r->level);
	struct tlb_entry *e;
	unsigned c;
	uint32_t i, *head;

	/* A contiguous run (Contiguous bit) may be cached as one entry of 16 times the size. */
	if (r->desc & DESC_CONT)
		shift += 4;
	c = tlb_class_of(shift);
	va &= ~((1ull << shift) - 1);
	head = &t->cls[c].bucket[tlb_hash(va >> shift, t->cls[c].mask)];
	uint32_t same[TLB_PER_BASE];
	unsigned nsame = 0;

	for (i = *head; i != TLB_NIL; i = t->e[i].next) {
		if (t->e[i].va != va)
			continue;
		if (t->e[i].desc == r->desc && t->e[i].desc_pa == r->desc_pa)
			return;
		if (nsame < TLB_PER_BASE)
			same[nsame++] = i;
	}
	/*
	 * A TLB may evict any entry at any time, so holding at most
	 * TLB_PER_BASE translations of one size for one address loses no
	 * behaviour: which one goes is a decision, and two already conflict.
	 * It bounds a lookup's matches by TLB_MAX_MATCH, so none is dropped.
	 */
	if (nsame == TLB_PER_BASE) {
		tlb_remove(t, same[sim_decide(sim, DECIDE_TLB_EVICT, TLB_PER_BASE)]);
		head = &t->cls[c].bucket[tlb_hash(va >> shift, t->cls[c].mask)];
	}
	if (t->free_head == TLB_NIL) {
		tlb_remove(t, sim_decide(sim, DECIDE_TLB_EVICT, t->cap));
		head = &t->cls[c].bucket[tlb_hash(va >> shift, t->cls[c].mask)];
	}
	i = t->free_head;
	e = &t->e[i];
	t->free_head = e->next;
	e->va = va;
	e->pa = mmu_desc_oa(r->desc, r->level) & ~((1ull << shift) - 1);
	e->desc = r->desc;
	e->desc_pa = r->desc_pa;
	e->epoch = epoch;
	e->shift = shift;
	e->level = r->level;
	e->cls = c;
	e->used = true;
	e->next = *head;
	*head = i;
	t->cls[c].count++;
	t->cls_mask |= 1u << c;
	t->regions |= 1ull << ((va >> 30) & 63);
	t->nr++;
	t->gen++;
}

/* Inclusive ends: the last 1 GiB of the address space ends at 2^64. */
static bool overlaps(uint64_t a, uint64_t alen, uint64_t start, uint64_t end)
{
	return a <= end - 1 && start <= a + (alen - 1);
}

/* The region bits [start, end) touches: a TLBI elsewhere skips the leaf entries. */
static uint64_t region_bits(uint64_t start, uint64_t end)
{
	uint64_t first = start >> 30, last = (end - 1) >> 30, bits = 0;

	if (last - first >= 63)
		return ~0ull;
	for (uint64_t r = first; r <= last; r++)
		bits |= 1ull << (r & 63);
	return bits;
}

void tlb_invalidate(struct tlb *t, uint64_t start, uint64_t end, bool last_level)
{
	if (!(t->regions & region_bits(start, end))) {
		/* No leaf entry there: only the walk cache may need it. */
	} else if (end - start <= MMU_PAGE_SIZE) {
		/* By VA: probe the buckets that could hold an entry for it. */
		for (unsigned c = 0; c < TLB_NR_CLASSES; c++) {
			unsigned shift = tlb_class_shift[c];
			uint64_t base = start & ~((1ull << shift) - 1);
			uint32_t i, next;

			if (!(t->cls_mask & (1u << c)))
				continue;
			for (i = t->cls[c].bucket[tlb_hash(start >> shift, t->cls[c].mask)];
			     i != TLB_NIL; i = next) {
				next = t->e[i].next;
				if (t->e[i].va == base)
					tlb_remove(t, i);
			}
		}
	} else if (t->nr) {
		for (uint32_t i = 0; i < t->cap; i++)
			if (t->e[i].used && overlaps(t->e[i].va, 1ull << t->e[i].shift, start, end))
				tlb_remove(t, i);
	}
	if (last_level)
		return;
	for (uint32_t i = 0; i < t->wcap; i++) {
		struct tlb_walk *w = &t->w[i];

		if (w->used && overlaps(w->va, 1ull << mmu_level_shift(w->level), start, end)) {
			w->used = false;
			t->wnr--;
		}
	}
}

struct tlb_walk *tlb_walk_lookup(struct tlb *t, uint64_t va)
{
	struct tlb_walk *best = NULL;

	if (!t->wnr)
		return NULL;
	for (uint32_t i = 0; i < t->wcap; i++) {
		struct tlb_walk *w = &t->w[i];
		unsigned shift;

		if (!w->used)
			continue;
		shift = mmu_level_shift(w->level);
		if ((va >> shift) == (w->va >> shift) && (!best || w->level > best->level))
			best = w;
	}
	return best;
}

void tlb_walk_insert(struct sim *sim, struct tlb *t, int level, uint64_t va, uint64_t table,
		     uint64_t desc, uint64_t desc_pa, uint64_t epoch)
{
	unsigned shift = mmu_level_shift(level);
	struct tlb_walk *w = NULL;

	va &= ~((1ull << shift) - 1);
	for (uint32_t i = 0; i < t->wcap; i++) {
		if (t->w[i].used && t->w[i].level == level && t->w[i].va == va &&
		    t->w[i].desc == desc && t->w[i].desc_pa == desc_pa)
			return;
		if (!w && !t->w[i].used)
			w = &t->w[i];
	}
	if (!w) {
		w = &t->w[sim_decide(sim, DECIDE_TLB_EVICT, t->wcap)];
		t->wnr--;
	}
	*w = (struct tlb_walk){
		.va = va,
		.table = table,
		.desc = desc,
		.desc_pa = desc_pa,
		.epoch = epoch,
		.level = level,
		.used = true,
	};
	t->wnr++;
}
