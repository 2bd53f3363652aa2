// SPDX-License-Identifier: GPL-2.0-only
/*
 * Page ownership for the checker: runs of PFNs with one state each
 * (epoch << 1 | free), annotated by the allocator KASAN-style, with a small
 * cache of the runs looked up lately.
 */
#include "chk_internal.h"

static gint pfn_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

void pages_init(struct chk_pages *p)
{
	p->runs = g_tree_new_full(pfn_cmp, NULL, NULL, g_free);
}

void pages_free(struct chk_pages *p)
{
	if (p->runs)
		g_tree_destroy(p->runs);
	p->runs = NULL;
}

/* The run holding @pfn, or NULL. */
static struct pg_run *run_at(GTree *t, uint64_t pfn)
{
	/* The last run starting at or before @pfn. */
	uint64_t key = pfn + 1;
	GTreeNode *n = g_tree_lower_bound(t, &key);

	n = n ? g_tree_node_previous(n) : g_tree_node_last(t);
	if (!n)
		return NULL;
	struct pg_run *r = g_tree_node_value(n);
	return pfn < r->end ? r : NULL;
}

/* The gap between runs holding @pfn (known to be in no run), as a run of state 0. */
static struct pg_run gap_at(GTree *t, uint64_t pfn)
{
	uint64_t key = pfn;
	GTreeNode *next = g_tree_lower_bound(t, &key);
	GTreeNode *prev = next ? g_tree_node_previous(next) : g_tree_node_last(t);
	struct pg_run gap = {0, UINT64_MAX, 0};

	if (prev)
		gap.start = ((struct pg_run *)g_tree_node_value(prev))->end;
	if (next)
		gap.end = ((struct pg_run *)g_tree_node_value(next))->start;
	return gap;
}

static void run_insert(GTree *t, uint64_t start, uint64_t end, uint64_t state)
{
	struct pg_run *r = g_new(struct pg_run, 1);

	*r = (struct pg_run){start, end, state};
	g_tree_insert(t, &r->start, r);
}

/* Gives [start, end) @state, trimming or removing the runs it overlaps. */
static void runs_set(GTree *t, uint64_t start, uint64_t end, uint64_t state)
{
	struct pg_run *r = run_at(t, start);

	if (r && r->start < start) {
		uint64_t old_end = r->end, old_state = r->state;

		r->end = start; /* keep the head */
		if (old_end > end)
			run_insert(t, end, old_end, old_state);
	}
	for (;;) {
		uint64_t key = start;
		GTreeNode *n = g_tree_lower_bound(t, &key);

		if (!n)
			break;
		r = g_tree_node_value(n);
		if (r->start >= end)
			break;
		if (r->end > end) {
			uint64_t old_end = r->end, old_state = r->state;

			g_tree_remove(t, &r->start);
			run_insert(t, end, old_end, old_state);
			break;
		}
		g_tree_remove(t, &r->start);
	}
	run_insert(t, start, end, state);
}

void pages_set(struct chk_pages *p, uint64_t start, uint64_t npages, uint64_t state)
{
	uint64_t end = start + npages;

	for (unsigned i = 0; i < G_N_ELEMENTS(p->recent); i++) {
		struct pg_run *r = &p->recent[i];

		if (r->start < end && start < r->end)
			*r = (struct pg_run){0};
	}
	runs_set(p->runs, start, end, state);
}

uint64_t pages_state(struct chk_pages *p, uint64_t pa)
{
	uint64_t pfn = pa >> MMU_PAGE_SHIFT;
	struct pg_run *slot = &p->recent[(pfn >> 9) & 63], *r;

	if (pfn >= slot->start && pfn < slot->end)
		return slot->state;
	r = run_at(p->runs, pfn);
	if (r)
		*slot = *r;
	else
		*slot = gap_at(p->runs, pfn); /* never allocated: kernel image, data */
	return slot->state;
}
