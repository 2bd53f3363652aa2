// SPDX-License-Identifier: GPL-2.0-only
/*
 * checker: verdicts on translation-table changes, TLB lookups and accesses.
 *
 * The break-before-make check is architectural, not a guess from the
 * modelled TLBs' current contents: as long as a valid descriptor is in
 * memory, any TLB may have cached it by a speculative walk, so a change
 * that needs BBM made straight over a valid entry is a violation in every
 * schedule. After a break (valid -> invalid) the old translation may stay
 * cached until a broadcast TLBI covering it, issued after a DSB made the
 * invalid entry visible, has been completed by the issuer's DSB ISH. Each
 * break is kept as a record; a new entry made over it earlier is checked
 * against the old one exactly as a direct change would be.
 *
 * Rules (Arm ARM DDI 0487, D8.16 "Translation table changes"):
 *  - D8.16.1: BBM is needed when the output address changes and either
 *    mapping is writable or the contents at the two addresses differ; when
 *    the block size changes or a table becomes a block or the reverse; when
 *    the memory type, shareability, nG or Contiguous bit changes. Changes
 *    of AP (RW -> RO), PXN/UXN, AF and software bits need no break.
 *  - The sequence: invalid entry, DSB; broadcast TLBI, DSB (completion);
 *    new entry. A non-shareable TLBI does not reach other PEs' TLBs; a
 *    last-level TLBI keeps walk-cache entries, so it cannot retire a table.
 *  - D8.16.2, FEAT_BBM level 2: a block-size change needs no break when
 *    every translation keeps its output address and attributes, but a TLB
 *    conflict abort may be taken unless the implementation never raises
 *    one (--bbml2-noabort). Level 1 (nT) is checked as level 0.
 */
#include "checker.h"
#include "mmu_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define RULE_BBM       "Arm ARM DDI 0487 D8.16.1 break-before-make: "
#define RULE_BBML2     "Arm ARM DDI 0487 D8.16.2 FEAT_BBM level 2: "
#define CHK_MAX_BREAKS 4096

struct chk_cover {
	uint64_t start, end;
	unsigned cpu;
	bool done;
};

/* A live entry made invalid: the old translation may still be cached. */
struct chk_break {
	uint64_t slot_pa, va, size, old;
	int level;
	unsigned storer;
	bool visible; /* a DSB by the storer made the invalid entry visible to walks */
	bool remade;  /* the slot holds a valid entry again */
	bool dead;    /* dropped */
	struct chk_cover *cov;
	unsigned ncov, capcov;
};

/*
 * A run of pages with one ownership state (epoch << 1 | free). Runs, not a
 * map per page: a gigantic allocation is one entry, and at the series' scale
 * (600 GiB) a map per page would not fit in memory.
 */
struct pg_run {
	uint64_t start, end; /* PFNs, [start, end) */
	uint64_t state;
};

struct brk_lo {
	uint64_t lo; /* break_span() start */
	uint32_t i;
};

struct chk {
	struct sim *sim;
	GTree *pages; /* page ownership: runs of PFNs with one state each */
	/*
	 * Copies of runs found lately, by 2 MiB region: lookups keep coming
	 * back to a few. Copies, so that a change drops only the ones it
	 * overlaps: every CPU re-checks its TLB entries after each change.
	 */
	struct pg_run recent[64];
	/*
	 * Break records in the order they were made. A dropped one stays as a
	 * tombstone (dead) until compaction, so that indices hold still.
	 */
	struct chk_break *brk;
	unsigned nbrk, capbrk, nlive;
	/*
	 * Past a few dozen records (a 1 GiB restore breaks 4096 PTEs, then
	 * invalidates and remakes them one by one) a scan per TLBI and per
	 * store is quadratic: records of small span sorted by span start, the
	 * others apart, rebuilt when a record is added or compacted away.
	 */
	/*
	 * Per CPU: its live records not yet made visible by a DSB, and its
	 * TLBIs over live records not yet completed by one. A DSB with both
	 * zero changes nothing here (chk_dsb_pending()).
	 */
	uint32_t *unvisible, *undone;
	struct brk_lo *by_lo;
	uint32_t nby_lo, *large, nlarge, *hits;
	bool index_stale;
};

/* What a change breaks, for the report. */
struct chk_why {
	uint64_t va, old_pa, new_pa, od, nd;
	int ol, nl;
	const char *rule;
	char what[120];
};

static gint pfn_cmp(gconstpointer a, gconstpointer b, gpointer unused)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
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

static struct chk *chk_of(struct sim *sim)
{
	return sim->mmu ? mmu_of(sim)->chk : NULL;
}

struct chk *chk_create(struct sim *sim)
{
	struct chk *c = g_new0(struct chk, 1);

	c->sim = sim;
	c->pages = g_tree_new_full(pfn_cmp, NULL, NULL, g_free);
	c->unvisible = g_new0(uint32_t, sim->ncpus);
	c->undone = g_new0(uint32_t, sim->ncpus);
	return c;
}

void chk_destroy(struct chk *c)
{
	if (!c)
		return;
	for (unsigned i = 0; i < c->nbrk; i++)
		g_free(c->brk[i].cov);
	g_free(c->brk);
	g_free(c->unvisible);
	g_free(c->undone);
	g_free(c->by_lo);
	g_free(c->large);
	g_free(c->hits);
	g_tree_destroy(c->pages);
	g_free(c);
}

/* ---- page ownership ---------------------------------------------------------- */

static void chk_pages_set(struct sim *sim, uint64_t pa, uint64_t npages, bool free)
{
	struct chk *c = chk_of(sim);
	uint64_t epoch, start, end;

	if (!c)
		return;
	epoch = ++mmu_of(sim)->epoch;
	start = pa >> MMU_PAGE_SHIFT;
	end = start + npages;
	for (unsigned i = 0; i < G_N_ELEMENTS(c->recent); i++) {
		struct pg_run *r = &c->recent[i];

		if (r->start < end && start < r->end)
			*r = (struct pg_run){0};
	}
	runs_set(c->pages, start, end, epoch << 1 | free);
}

void chk_page_alloc(struct sim *sim, uint64_t pa, uint64_t npages)
{
	chk_pages_set(sim, pa, npages, false);
}

void chk_page_free(struct sim *sim, uint64_t pa, uint64_t npages)
{
	chk_pages_set(sim, pa, npages, true);
}

static uint64_t chk_page_state(struct chk *c, uint64_t pa)
{
	uint64_t pfn = pa >> MMU_PAGE_SHIFT;
	struct pg_run *slot = &c->recent[(pfn >> 9) & 63], *r;

	if (pfn >= slot->start && pfn < slot->end)
		return slot->state;
	r = run_at(c->pages, pfn);
	if (r)
		*slot = *r;
	else
		*slot = gap_at(c->pages, pfn); /* never allocated: kernel image, data */
	return slot->state;
}

bool chk_page_is_free(struct sim *sim, uint64_t pa)
{
	struct chk *c = chk_of(sim);

	return c && (chk_page_state(c, pa) & 1);
}

unsigned chk_pending_breaks(struct sim *sim)
{
	struct chk *c = chk_of(sim);

	return c ? c->nlive : 0;
}

/* ---- what needs break-before-make ------------------------------------------- */

/* A descriptor a TLB may hold (faulting ones are never cached). */
static bool cacheable(uint64_t d, int level)
{
	return mmu_desc_is_table(d, level) || (mmu_desc_is_leaf(d, level) && (d & DESC_AF));
}

static uint64_t span_of(int level)
{
	return 1ull << mmu_level_shift(level);
}

static bool why_set(struct chk_why *why, const char *rule, uint64_t va, uint64_t od, int ol,
		    uint64_t opa, uint64_t nd, int nl, uint64_t npa, const char *what)
{
	why->va = va;
	why->od = od;
	why->ol = ol;
	why->old_pa = opa;
	why->nd = nd;
	why->nl = nl;
	why->new_pa = npa;
	why->rule = rule;
	snprintf(why->what, sizeof(why->what), "%s", what);
	return true;
}

/*
 * Two leaves over [lo, hi): old @od at level @ol mapping from VA @ob, new
 * @nd at @nl from @nb. True with @why when the change needs a break.
 */
static bool leaf_change_needs_bbm(struct sim *sim, uint64_t lo, uint64_t hi, uint64_t od, int ol,
				  uint64_t ob, uint64_t nd, int nl, uint64_t nb,
				  struct chk_why *why)
{
	uint64_t opa = mmu_desc_oa(od, ol) + (lo - ob), npa = mmu_desc_oa(nd, nl) + (lo - nb);

	if (ol != nl && sim_opt_uint(&sim->opt, OPT_bbm_level) < 2)
		return why_set(why, RULE_BBM "block size change", lo, od, ol, opa, nd, nl, npa,
			       "the block size changes");
	if ((od ^ nd) & DESC_CONT)
		return why_set(why, RULE_BBM "Contiguous bit change", lo, od, ol, opa, nd, nl, npa,
			       "the Contiguous bit changes");
	if ((od ^ nd) & DESC_ATTRINDX_MASK)
		return why_set(why, RULE_BBM "memory type change", lo, od, ol, opa, nd, nl, npa,
			       "the memory type (AttrIndx) changes");
	if ((od ^ nd) & DESC_SH_MASK)
		return why_set(why, RULE_BBM "shareability change", lo, od, ol, opa, nd, nl, npa,
			       "the shareability changes");
	if ((od ^ nd) & DESC_NG)
		return why_set(why, RULE_BBM "global/non-global change", lo, od, ol, opa, nd, nl,
			       npa, "nG changes");
	if (opa == npa)
		return false;
	/* An OA change is allowed only between read-only mappings of equal contents. */
	for (uint64_t va = lo; va < hi; va += MMU_PAGE_SIZE) {
		uint64_t o = opa + (va - lo), n = npa + (va - lo);
		bool w = mmu_desc_writable(od) || mmu_desc_writable(nd);
		bool differ = !pmem_page_equal(sim->mem, o, n);
		char what[120];

		if (!w && !differ)
			continue;
		snprintf(what, sizeof(what), "the output address changes%s%s",
			 w ? ", a mapping is writable" : "", differ ? ", the contents differ" : "");
		return why_set(why,
			       ol != nl ? RULE_BBML2 "size change must keep output contents"
					: RULE_BBM "output address change",
			       va, od, ol, o, nd, nl, n, what);
	}
	return false;
}

static bool change_needs_bbm(struct sim *sim, uint64_t lo, uint64_t hi, uint64_t od, int ol,
			     uint64_t ob, uint64_t nd, int nl, uint64_t nb, struct chk_why *why);

/* Compares each child of table @td (level @tl, VA base @tb) overlapping [lo, hi). */
static bool table_children_need_bbm(struct sim *sim, uint64_t lo, uint64_t hi, uint64_t td, int tl,
				    uint64_t tb, bool old_side, uint64_t d, int l, uint64_t b,
				    struct chk_why *why)
{
	uint64_t cs = span_of(tl + 1), table = td & DESC_OA_MASK;

	for (unsigned i = 0; i < 512; i++) {
		uint64_t cb = tb + i * cs, clo = cb > lo ? cb : lo,
			 chi = cb + cs < hi ? cb + cs : hi;
		uint64_t cd;

		if (cb + cs <= lo || cb >= hi)
			continue;
		cd = pmem_read(sim->mem, table + i * 8, 8);
		if (old_side ? change_needs_bbm(sim, clo, chi, cd, tl + 1, cb, d, l, b, why)
			     : change_needs_bbm(sim, clo, chi, d, l, b, cd, tl + 1, cb, why))
			return true;
	}
	return false;
}

/*
 * Does replacing translation @od (level @ol, VA base @ob) by @nd over
 * [lo, hi) need break-before-make? Tables are compared leaf by leaf.
 */
static bool change_needs_bbm(struct sim *sim, uint64_t lo, uint64_t hi, uint64_t od, int ol,
			     uint64_t ob, uint64_t nd, int nl, uint64_t nb, struct chk_why *why)
{
	bool ot = mmu_desc_is_table(od, ol), nt = mmu_desc_is_table(nd, nl);

	/* Nothing cached from an invalid entry; nothing to conflict with in one. */
	if (!cacheable(od, ol) || !cacheable(nd, nl))
		return false;
	if (ot && nt && ol == nl && !((od ^ nd) & DESC_OA_MASK))
		return false; /* the same table */
	/* A walk cache may hold the table: table <-> block is a size change. */
	if (ot != nt && sim_opt_uint(&sim->opt, OPT_bbm_level) < 2)
		return why_set(why, RULE_BBM "table/block change", lo, od, ol, 0, nd, nl, 0,
			       ot ? "a table is replaced by a block"
				  : "a block is replaced by a table");
	if (ot)
		return table_children_need_bbm(sim, lo, hi, od, ol, ob, true, nd, nl, nb, why);
	if (nt)
		return table_children_need_bbm(sim, lo, hi, nd, nl, nb, false, od, ol, ob, why);
	return leaf_change_needs_bbm(sim, lo, hi, od, ol, ob, nd, nl, nb, why);
}

/* ---- break records ------------------------------------------------------------ */

/* The VA span a TLBI must hit to retire the record's old translation. */
static void break_span(const struct chk_break *r, uint64_t *lo, uint64_t *hi)
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

/* The break is over: its invalidation completed on every TLB. */
static bool break_complete(const struct chk_break *r)
{
	uint64_t lo, hi, at;
	struct chk_cover *v;
	unsigned n = 0;
	bool ok;

	if (!mmu_desc_is_table(r->old, r->level)) {
		for (unsigned i = 0; i < r->ncov; i++)
			if (r->cov[i].done)
				return true;
		return false;
	}
	/* A table: every leaf below it and the walk-cache entry must be gone. */
	break_span(r, &lo, &hi);
	v = g_new(struct chk_cover, r->ncov ? r->ncov : 1);
	for (unsigned i = 0; i < r->ncov; i++)
		if (r->cov[i].done)
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

static void break_drop(struct chk *c, unsigned i)
{
	struct chk_break *r = &c->brk[i];

	if (!r->visible)
		c->unvisible[r->storer]--;
	for (unsigned k = 0; k < r->ncov; k++)
		if (!r->cov[k].done)
			c->undone[r->cov[k].cpu]--;
	g_free(r->cov);
	r->cov = NULL;
	r->ncov = r->capcov = 0;
	r->dead = true;
	c->nlive--;
}

/* With every record dropped, forgets the tombstones (not while hits are held). */
static void breaks_tidy(struct chk *c)
{
	if (c->nbrk && !c->nlive) {
		c->nbrk = 0;
		c->index_stale = true;
	}
}

/* Squeezes the tombstones out, keeping the order. */
static void break_compact(struct chk *c)
{
	unsigned keep = 0;

	for (unsigned i = 0; i < c->nbrk; i++)
		if (!c->brk[i].dead)
			c->brk[keep++] = c->brk[i];
	c->nbrk = keep;
	c->index_stale = true;
}

static void break_add(struct chk *c, struct sim_cpu *cpu, uint64_t slot, int level, uint64_t va,
		      uint64_t old)
{
	if (c->nlive == CHK_MAX_BREAKS) {
		/* Long-gone unmaps: forget the oldest finished one, else the oldest. */
		unsigned victim = c->nbrk;

		for (unsigned i = 0; i < c->nbrk; i++) {
			if (c->brk[i].dead)
				continue;
			if (victim == c->nbrk)
				victim = i;
			if (break_complete(&c->brk[i])) {
				victim = i;
				break;
			}
		}
		break_drop(c, victim);
	}
	if (c->nbrk - c->nlive > c->nlive)
		break_compact(c);
	if (c->nbrk == c->capbrk) {
		c->capbrk = c->capbrk ? c->capbrk * 2 : 16;
		c->brk = g_renew(struct chk_break, c->brk, c->capbrk);
		c->hits = g_renew(uint32_t, c->hits, c->capbrk);
	}
	c->brk[c->nbrk++] = (struct chk_break){
		.slot_pa = slot,
		.va = va,
		.size = span_of(level),
		.old = old,
		.level = level,
		.storer = cpu->id,
	};
	c->nlive++;
	c->unvisible[cpu->id]++;
	c->index_stale = true;
}

#define CHK_INDEX_MIN  64
#define CHK_SMALL_SPAN (1ull << 16) /* a page, or a contiguous run of them */

static int by_lo_cmp(const void *a, const void *b)
{
	const struct brk_lo *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void index_build(struct chk *c)
{
	c->by_lo = g_renew(struct brk_lo, c->by_lo, c->capbrk);
	c->large = g_renew(uint32_t, c->large, c->capbrk);
	c->nby_lo = c->nlarge = 0;
	for (unsigned i = 0; i < c->nbrk; i++) {
		uint64_t lo, hi;

		if (c->brk[i].dead)
			continue;
		break_span(&c->brk[i], &lo, &hi);
		if (hi - lo <= CHK_SMALL_SPAN)
			c->by_lo[c->nby_lo++] = (struct brk_lo){lo, i};
		else
			c->large[c->nlarge++] = i;
	}
	qsort(c->by_lo, c->nby_lo, sizeof(c->by_lo[0]), by_lo_cmp);
	c->index_stale = false;
}

static int u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The live records whose span (break_span()) meets [start, end), in the
 * order they were made, into c->hits; returns how many.
 */
static unsigned breaks_meeting(struct chk *c, uint64_t start, uint64_t end)
{
	unsigned n = 0;

	if (c->nbrk < CHK_INDEX_MIN) {
		for (unsigned i = 0; i < c->nbrk; i++) {
			uint64_t lo, hi;

			break_span(&c->brk[i], &lo, &hi);
			if (!c->brk[i].dead && lo <= end - 1 && start <= hi - 1)
				c->hits[n++] = i;
		}
		return n;
	}
	if (c->index_stale)
		index_build(c);
	/* Small spans start at most CHK_SMALL_SPAN below @start to reach it. */
	uint64_t from = start > CHK_SMALL_SPAN ? start - CHK_SMALL_SPAN : 0;
	unsigned a = 0, b = c->nby_lo;

	while (a < b) {
		unsigned m = a + (b - a) / 2;

		if (c->by_lo[m].lo < from)
			a = m + 1;
		else
			b = m;
	}
	for (unsigned k = a; k < c->nby_lo && c->by_lo[k].lo <= end - 1; k++) {
		const struct chk_break *r = &c->brk[c->by_lo[k].i];
		uint64_t lo, hi;

		break_span(r, &lo, &hi);
		if (!r->dead && start <= hi - 1)
			c->hits[n++] = c->by_lo[k].i;
	}
	for (unsigned k = 0; k < c->nlarge; k++) {
		const struct chk_break *r = &c->brk[c->large[k]];
		uint64_t lo, hi;

		break_span(r, &lo, &hi);
		if (!r->dead && lo <= end - 1 && start <= hi - 1)
			c->hits[n++] = c->large[k];
	}
	qsort(c->hits, n, sizeof(uint32_t), u32_cmp);
	return n;
}

static void break_state(const struct chk_break *r, char *buf, size_t len)
{
	bool tlbi = false, done = false;

	for (unsigned i = 0; i < r->ncov; i++) {
		tlbi = true;
		done |= r->cov[i].done;
	}
	snprintf(buf, len, "%s",
		 !r->visible ? "no DSB after the invalid entry was written"
		 : !tlbi     ? "no broadcast TLBI covering it after the DSB"
		 : !done     ? "its TLBI not yet completed by a DSB ISH"
			     : "its TLBI covers only part of the table's range");
}

static void report_bbm(struct sim_cpu *cpu, const struct chk_why *why, uint64_t slot,
		       const char *how)
{
	char o[160], n[160];

	if (!sim_report_wanted(cpu->sim, FINDING_BBM_VIOLATION, why->va, why->new_pa))
		return;
	mmu_desc_str(why->od, why->ol, o, sizeof(o));
	mmu_desc_str(why->nd, why->nl, n, sizeof(n));
	sim_report(cpu->sim, cpu, FINDING_BBM_VIOLATION, why->va, why->new_pa, why->rule,
		   "%s: %s; old %s -> new %s; old pa %#" PRIx64 " new pa %#" PRIx64
		   "; slot pa %#" PRIx64,
		   how, why->what, o, n, why->old_pa, why->new_pa, slot);
}

void chk_desc_store(struct sim_cpu *cpu, uint64_t slot, int level, uint64_t va, uint64_t old,
		    uint64_t new)
{
	struct sim *sim = cpu->sim;
	struct chk *c = chk_of(sim);
	uint64_t size = span_of(level);
	bool oc = cacheable(old, level), nc = cacheable(new, level);
	struct chk_why why;

	breaks_tidy(c);
	if (oc && nc && change_needs_bbm(sim, va, va + size, old, level, va, new, level, va, &why))
		report_bbm(cpu, &why, slot, "live valid->valid change without break-before-make");
	if (oc && !nc) {
		break_add(c, cpu, slot, level, va, old);
		return;
	}
	if (!nc)
		return;
	/* Only records over [va, va + size) can be remade or contradicted here. */
	unsigned nhits = breaks_meeting(c, va, va + size);

	for (unsigned k = 0; k < nhits; k++) {
		struct chk_break *r = &c->brk[c->hits[k]];
		uint64_t lo = r->va > va ? r->va : va;
		uint64_t hi = r->va + r->size < va + size ? r->va + r->size : va + size;
		char st[80], how[160];

		if (lo >= hi || break_complete(r))
			continue;
		if (!change_needs_bbm(sim, lo, hi, r->old, r->level, r->va, new, level, va, &why))
			continue;
		break_state(r, st, sizeof(st));
		snprintf(how, sizeof(how),
			 "new entry made before the break's invalidation completed (%s)", st);
		report_bbm(cpu, &why, slot, how);
	}
	/*
	 * A record of this slot maps this VA range, so it is among the hits;
	 * any other remade one was dropped when it completed (chk_dsb()).
	 */
	for (unsigned k = 0; k < nhits; k++) {
		struct chk_break *r = &c->brk[c->hits[k]];

		if (r->slot_pa == slot)
			r->remade = true;
		if (r->remade && break_complete(r))
			break_drop(c, c->hits[k]);
	}
}

void chk_tlbi(struct sim_cpu *cpu, uint64_t start, uint64_t end, bool last_level, bool broadcast)
{
	struct sim *sim = cpu->sim;
	struct chk *c = chk_of(sim);

	/* A non-shareable TLBI leaves every other PE's TLB as it was. */
	if (!broadcast && sim->ncpus > 1)
		return;
	breaks_tidy(c);
	unsigned nhits = breaks_meeting(c, start, end);

	for (unsigned k = 0; k < nhits; k++) {
		struct chk_break *r = &c->brk[c->hits[k]];
		uint64_t lo, hi;

		if (!r->visible)
			continue;
		/* Leaf-only TLBIs keep walk-cache entries: they cannot retire a table. */
		if (last_level && mmu_desc_is_table(r->old, r->level))
			continue;
		break_span(r, &lo, &hi);
		if (r->ncov == r->capcov) {
			r->capcov = r->capcov ? r->capcov * 2 : 4;
			r->cov = g_renew(struct chk_cover, r->cov, r->capcov);
		}
		r->cov[r->ncov++] = (struct chk_cover){
			.start = start > lo ? start : lo,
			.end = end < hi ? end : hi,
			.cpu = cpu->id,
		};
		c->undone[cpu->id]++;
	}
}

bool chk_dsb_pending(struct sim_cpu *cpu, bool full)
{
	struct chk *c = chk_of(cpu->sim);

	return c->unvisible[cpu->id] || (full && c->undone[cpu->id]);
}

void chk_dsb(struct sim_cpu *cpu, bool full)
{
	struct chk *c = chk_of(cpu->sim);

	if (!chk_dsb_pending(cpu, full))
		return; /* nothing of ours: nothing to make visible, complete or drop */
	for (unsigned i = 0; i < c->nbrk; i++) {
		struct chk_break *r = &c->brk[i];

		if (r->dead)
			continue;
		if (r->storer == cpu->id && !r->visible) {
			r->visible = true;
			c->unvisible[cpu->id]--;
		}
		if (full)
			for (unsigned k = 0; k < r->ncov; k++)
				if (r->cov[k].cpu == cpu->id && !r->cov[k].done) {
					r->cov[k].done = true;
					c->undone[cpu->id]--;
				}
		if (full && r->remade && break_complete(r))
			break_drop(c, i);
	}
}

/* ---- TLB lookups and accesses -------------------------------------------------- */

static uint64_t entry_pa(const struct tlb_entry *e, uint64_t va)
{
	return e->pa + (va - e->va);
}

/* Would a TLB holding both @a and @b for @va be allowed to use either? */
static bool entries_alike(struct sim *sim, const struct tlb_entry *a, const struct tlb_entry *b,
			  uint64_t va)
{
	uint64_t pa = entry_pa(a, va), pb = entry_pa(b, va);
	uint64_t attrs = DESC_ATTRINDX_MASK | DESC_SH_MASK | DESC_NG;

	if ((a->desc ^ b->desc) & attrs)
		return false;
	if (a->shift != b->shift && !(sim_opt_uint(&sim->opt, OPT_bbm_level) == 2 &&
				      sim_opt_bool(&sim->opt, OPT_bbml2_noabort)))
		return false;
	if (pa == pb)
		return true; /* permissions and AF may differ: no break needed for those */
	return !mmu_desc_writable(a->desc) && !mmu_desc_writable(b->desc) &&
	       pmem_page_equal(sim->mem, pa & ~(MMU_PAGE_SIZE - 1), pb & ~(MMU_PAGE_SIZE - 1));
}

void chk_tlb_conflict(struct sim_cpu *cpu, uint64_t va, const uint32_t *idx, unsigned n,
		      const char *cause)
{
	struct sim *sim = cpu->sim;
	struct mmu_cpu *mc = cpu->mmu;
	const struct tlb_entry *a = &mc->tlb.e[idx[0]];

	for (unsigned i = 1; i < n; i++) {
		const struct tlb_entry *b = &mc->tlb.e[idx[i]];
		char x[160], y[160];

		if (entries_alike(sim, a, b, va))
			continue;
		if (!sim_report_wanted(sim, FINDING_TLB_CONFLICT, va, entry_pa(a, va)))
			return;
		mmu_desc_str(a->desc, a->level, x, sizeof(x));
		mmu_desc_str(b->desc, b->level, y, sizeof(y));
		sim_report(sim, cpu, FINDING_TLB_CONFLICT, va, entry_pa(a, va), cause,
			   "lookup matched %u entries: %s (from slot %#" PRIx64
			   ") and %s (from slot %#" PRIx64 ") -> pa %#" PRIx64 " vs %#" PRIx64,
			   n, x, a->desc_pa, y, b->desc_pa, entry_pa(a, va), entry_pa(b, va));
		return;
	}
}

/* The descriptor a TLB entry came from is no longer what the tables say. */
static bool desc_changed(struct sim *sim, uint64_t desc_pa, uint64_t desc, int level)
{
	int l;
	uint64_t base;

	return pmem_read(sim->mem, desc_pa, 8) != desc ||
	       !mmu_table_info(sim, desc_pa, &l, &base) || l != level;
}

void chk_tlb_use(struct sim_cpu *cpu, uint64_t va, struct tlb_entry *e)
{
	struct sim *sim = cpu->sim;
	struct chk *c = chk_of(sim);
	uint64_t pa = entry_pa(e, va), st = chk_page_state(c, pa);
	char o[160], n[160];
	uint64_t now;

	if (!st || (st >> 1) <= e->epoch) {
		/*
		 * The page kept its owner since the fill: re-stamp a 4 KiB
		 * entry (its page is fixed) so later hits skip this check;
		 * a later free gets a newer epoch and is still seen.
		 */
		if (e->shift == MMU_PAGE_SHIFT)
			e->epoch = chk_epoch(sim);
		return;
	}
	if (!desc_changed(sim, e->desc_pa, e->desc, e->level))
		return;
	if (!sim_report_wanted(sim, FINDING_STALE_ACCESS, va, pa))
		return;
	now = pmem_read(sim->mem, e->desc_pa, 8);
	mmu_desc_str(e->desc, e->level, o, sizeof(o));
	mmu_desc_str(now, e->level, n, sizeof(n));
	sim_report(sim, cpu, FINDING_STALE_ACCESS, va, pa,
		   "Arm ARM DDI 0487 D8.16.1: an entry stays cached until a TLBI completes (DSB)",
		   "access through a stale TLB entry to a page %s since the entry was filled: "
		   "entry %s from slot %#" PRIx64 ", slot now %s",
		   (st & 1) ? "freed" : "freed and reallocated", o, e->desc_pa, n);
}

void chk_walk_use(struct sim_cpu *cpu, uint64_t va, const struct tlb_walk *w)
{
	struct sim *sim = cpu->sim;
	struct chk *c = chk_of(sim);
	uint64_t st = chk_page_state(c, w->table);
	char o[160];

	if (!st || (st >> 1) <= w->epoch || !desc_changed(sim, w->desc_pa, w->desc, w->level))
		return;
	if (!sim_report_wanted(sim, FINDING_STALE_ACCESS, va, w->table))
		return;
	mmu_desc_str(w->desc, w->level, o, sizeof(o));
	sim_report(sim, cpu, FINDING_STALE_ACCESS, va, w->table,
		   "Arm ARM DDI 0487 D8.16.1: a walk-cache entry stays until a non-leaf TLBI "
		   "completes",
		   "walk through a stale walk-cache entry %s (slot %#" PRIx64
		   ") into a table page %s since",
		   o, w->desc_pa, (st & 1) ? "freed" : "freed and reallocated");
}

void chk_unhandled_fault(struct sim_cpu *cpu, const struct mmu_fault *f)
{
	struct sim *sim = cpu->sim;
	struct chk *c = chk_of(sim);
	char d[160], o[160];

	mmu_desc_str(f->desc, f->level, d, sizeof(d));
	if (f->type == MMU_FAULT_PERMISSION) {
		sim_report(sim, cpu, FINDING_PERMISSION_FAULT, f->va,
			   mmu_desc_oa(f->desc, f->level),
			   "kernel: write to a read-only mapping (AP[2]=1) with no fix-up: oops",
			   "level %d permission fault on write; descriptor %s at %#" PRIx64,
			   f->level, d, f->desc_pa);
		return;
	}
	if (f->type == MMU_FAULT_TRANSLATION) {
		for (unsigned i = 0; i < c->nbrk; i++) {
			const struct chk_break *r = &c->brk[i];

			if (r->dead || f->va < r->va || f->va - r->va >= r->size)
				continue;
			mmu_desc_str(r->old, r->level, o, sizeof(o));
			sim_report(sim, cpu, FINDING_BREAK_FAULT, f->va,
				   mmu_desc_oa(r->old, r->level),
				   "Arm ARM DDI 0487 D8.16.1: between break and make the entry "
				   "faults; "
				   "kernel access with no fix-up: oops",
				   "level %d translation fault, descriptor %s at %#" PRIx64
				   "; entry broken from %s at slot %#" PRIx64 " and not yet remade",
				   f->level, d, f->desc_pa, o, r->slot_pa);
			return;
		}
	}
	sim_report(sim, cpu, FINDING_ASSERTION, f->va, 0,
		   "kernel: unable to handle kernel paging request",
		   "level %d %s fault on %s, descriptor %s at %#" PRIx64 ", no break in progress",
		   f->level, mmu_fault_name(f->type), f->write ? "write" : "read", d, f->desc_pa);
}
