// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checker's break records: live entries made invalid (or replaced by a
 * twin, see chk_internal.h) whose old translation may still be cached, the
 * TLBIs that cover them, and an index by VA so that a 1 GiB restore (4096
 * records, each invalidated and remade one by one) is not quadratic.
 * Records grow without a cap: forgetting one would forget a translation a
 * TLB may hold.
 */
#include "chk_internal.h"

#include <stdlib.h>
#include <string.h>

#define CHK_INDEX_MIN  64
#define CHK_SMALL_SPAN (1ull << 16) /* a page, or a contiguous run of them */

void breaks_init(struct chk_breaks *b, unsigned ncpus)
{
	b->unvisible = g_new0(uint32_t, ncpus);
	b->undone = g_new0(uint32_t, ncpus);
}

void breaks_free(struct chk_breaks *b)
{
	for (unsigned i = 0; i < b->nbrk; i++)
		g_free(b->brk[i].cov);
	g_free(b->brk);
	g_free(b->unvisible);
	g_free(b->undone);
	g_free(b->by_lo);
	g_free(b->large);
	g_free(b->hits);
	memset(b, 0, sizeof(*b));
}

void break_span(const struct chk_break *r, uint64_t *lo, uint64_t *hi)
{
	uint64_t span = r->size;

	/* A contiguous run may be cached as one entry: any VA in the run hits it. */
	if (!mmu_desc_is_table(r->old, r->level) && (r->old & DESC_CONT))
		span *= 16;
	*lo = r->va & ~(span - 1);
	*hi = *lo + span;
}

static int cover_cmp(const void *a, const void *b)
{
	const struct chk_cover *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Do the completed covers (ordered before @cpu's next step, unless @h is NULL) retire @r? */
static bool covered(const struct chk_break *r, const struct chk_hb *h, unsigned cpu)
{
	uint64_t lo, hi, at;
	struct chk_cover *v;
	unsigned n = 0;
	bool ok;

	if (!mmu_desc_is_table(r->old, r->level)) {
		for (unsigned i = 0; i < r->ncov; i++)
			if (r->cov[i].done &&
			    (!h || hb_after(h, cpu, r->cov[i].cpu, r->cov[i].done_at)))
				return true;
		return false;
	}
	/* A table: every leaf below it and the walk-cache entry must be gone. */
	break_span(r, &lo, &hi);
	v = g_new(struct chk_cover, r->ncov ? r->ncov : 1);
	for (unsigned i = 0; i < r->ncov; i++)
		if (r->cov[i].done && (!h || hb_after(h, cpu, r->cov[i].cpu, r->cov[i].done_at)))
			v[n++] = r->cov[i];
	qsort(v, n, sizeof(*v), cover_cmp);
	at = lo;
	for (unsigned i = 0; i < n && at < hi; i++)
		if (v[i].start <= at && v[i].end > at)
			at = v[i].end;
	ok = at >= hi;
	g_free(v);
	return ok;
}

bool break_complete(const struct chk_break *r)
{
	return covered(r, NULL, 0);
}

bool break_complete_for(const struct chk_break *r, const struct chk_hb *h, unsigned cpu)
{
	return covered(r, h, cpu);
}

void break_add_cover(struct chk_breaks *b, struct chk_break *r, uint64_t start, uint64_t end,
		     unsigned cpu)
{
	if (r->ncov == r->capcov) {
		r->capcov = r->capcov ? r->capcov * 2 : 4;
		r->cov = g_renew(struct chk_cover, r->cov, r->capcov);
	}
	r->cov[r->ncov++] = (struct chk_cover){.start = start, .end = end, .cpu = cpu};
	b->undone[cpu]++;
}

void break_drop(struct chk_breaks *b, unsigned i)
{
	struct chk_break *r = &b->brk[i];

	if (!r->visible)
		b->unvisible[r->storer]--;
	for (unsigned k = 0; k < r->ncov; k++)
		if (!r->cov[k].done)
			b->undone[r->cov[k].cpu]--;
	g_free(r->cov);
	r->cov = NULL;
	r->ncov = r->capcov = 0;
	r->dead = true;
	b->nlive--;
	b->ntwins -= r->twin;
}

void breaks_tidy(struct chk_breaks *b)
{
	if (b->nbrk && !b->nlive) {
		b->nbrk = 0;
		b->index_stale = true;
	}
}

/* Squeezes the tombstones out, keeping the order. */
static void break_compact(struct chk_breaks *b)
{
	unsigned keep = 0;

	for (unsigned i = 0; i < b->nbrk; i++)
		if (!b->brk[i].dead)
			b->brk[keep++] = b->brk[i];
	b->nbrk = keep;
	b->index_stale = true;
}

struct chk_break *break_add(struct chk_breaks *b, unsigned storer, uint64_t slot, int level,
			    uint64_t va, uint64_t old)
{
	if (b->nbrk - b->nlive > b->nlive)
		break_compact(b);
	if (b->nbrk == b->capbrk) {
		b->capbrk = b->capbrk ? b->capbrk * 2 : 16;
		b->brk = g_renew(struct chk_break, b->brk, b->capbrk);
		b->hits = g_renew(uint32_t, b->hits, b->capbrk);
	}
	b->brk[b->nbrk] = (struct chk_break){
		.slot_pa = slot,
		.va = va,
		.size = 1ull << mmu_level_shift(level),
		.old = old,
		.level = level,
		.storer = storer,
	};
	b->nlive++;
	b->unvisible[storer]++;
	b->index_stale = true;
	return &b->brk[b->nbrk++];
}

static int by_lo_cmp(const void *a, const void *b)
{
	const struct brk_lo *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void index_build(struct chk_breaks *b)
{
	b->by_lo = g_renew(struct brk_lo, b->by_lo, b->capbrk);
	b->large = g_renew(uint32_t, b->large, b->capbrk);
	b->nby_lo = b->nlarge = 0;
	for (unsigned i = 0; i < b->nbrk; i++) {
		uint64_t lo, hi;

		if (b->brk[i].dead)
			continue;
		break_span(&b->brk[i], &lo, &hi);
		if (hi - lo <= CHK_SMALL_SPAN)
			b->by_lo[b->nby_lo++] = (struct brk_lo){lo, i};
		else
			b->large[b->nlarge++] = i;
	}
	qsort(b->by_lo, b->nby_lo, sizeof(b->by_lo[0]), by_lo_cmp);
	b->index_stale = false;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

unsigned breaks_meeting(struct chk_breaks *b, uint64_t start, uint64_t end)
{
	unsigned n = 0;

	if (b->nbrk < CHK_INDEX_MIN) {
		for (unsigned i = 0; i < b->nbrk; i++) {
			uint64_t lo, hi;

			break_span(&b->brk[i], &lo, &hi);
			if (!b->brk[i].dead && lo <= end - 1 && start <= hi - 1)
				b->hits[n++] = i;
		}
		return n;
	}
	if (b->index_stale)
		index_build(b);
	/* Small spans start at most CHK_SMALL_SPAN below @start to reach it. */
	uint64_t from = start > CHK_SMALL_SPAN ? start - CHK_SMALL_SPAN : 0;
	unsigned lo_i = 0, hi_i = b->nby_lo;

	while (lo_i < hi_i) {
		unsigned m = lo_i + (hi_i - lo_i) / 2;

		if (b->by_lo[m].lo < from)
			lo_i = m + 1;
		else
			hi_i = m;
	}
	for (unsigned k = lo_i; k < b->nby_lo && b->by_lo[k].lo <= end - 1; k++) {
		const struct chk_break *r = &b->brk[b->by_lo[k].i];
		uint64_t lo, hi;

		break_span(r, &lo, &hi);
		if (!r->dead && start <= hi - 1)
			b->hits[n++] = b->by_lo[k].i;
	}
	for (unsigned k = 0; k < b->nlarge; k++) {
		const struct chk_break *r = &b->brk[b->large[k]];
		uint64_t lo, hi;

		break_span(r, &lo, &hi);
		if (!r->dead && lo <= end - 1 && start <= hi - 1)
			b->hits[n++] = b->large[k];
	}
	qsort(b->hits, n, sizeof(uint32_t), u32_cmp);
	return n;
}
