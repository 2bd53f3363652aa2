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
 * invalid entry visible, has been completed by the issuer's DSB ISH; and a
 * new entry is safe only when that completion is ordered before it
 * (aarch64.cat: BBM = [TLBCacheableTTD]; ca; [TLBUncacheableTTD]; ob;
 * [TLBI]; ob & inv-scope; [TLBCacheableTTD]). "Ordered" is happens-before
 * (chk_hb.c), not "earlier in this interleaving", so one schedule is
 * evidence for every schedule with the same synchronisation.
 *
 * Every rule is one function below, named as in the table, and reports
 * through chk_report() with the table's citation.
 */
#include "chk_internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum chk_rule_id {
	RULE_NEEDS_BBM,
	RULE_MAKE_ORDERED_AFTER_TLBI,
	RULE_TWIN_CONTENTS_KEPT,
	RULE_NO_TLB_CONFLICT,
	RULE_NO_FAULT_IN_BREAK,
	RULE_NO_STALE_ENTRY,
	RULE_NO_FREE_WHILE_CACHED,
	RULE_NO_WRITE_TO_READ_ONLY,
	RULE_PAGING_REQUEST,
};

/*
 * The rules, one line each (Arm ARM DDI 0487; herd7 = herdtools7's
 * aarch64.cat and aarch64bbm.cat). R_ identifiers were not found by the
 * project's search tools; sections are cited instead.
 */
static const struct chk_rule {
	const char *fn; /* the function that applies it */
	enum sim_finding_kind kind;
	const char *cite;
} chk_rules[] = {
	[RULE_NEEDS_BBM] = {"rule_needs_bbm", FINDING_BBM_VIOLATION,
			    "D8.16.1; herd7 TTD-update-needsBBM"},
	[RULE_MAKE_ORDERED_AFTER_TLBI] = {"rule_make_ordered_after_tlbi", FINDING_BBM_VIOLATION,
					  "D8.16.1 steps 1-3; herd7 BBM (aarch64.cat)"},
	[RULE_TWIN_CONTENTS_KEPT] = {"rule_twin_contents_kept", FINDING_BBM_VIOLATION,
				     "D8.16.1 contents at old and new OA; herd7 "
				     "TTD-memory-contents-mismatch"},
	[RULE_NO_TLB_CONFLICT] = {"rule_no_tlb_conflict", FINDING_TLB_CONFLICT,
				  "D8.16.1, D8.16.2 TLB conflict abort"},
	[RULE_NO_FAULT_IN_BREAK] = {"rule_no_fault_in_break", FINDING_BREAK_FAULT,
				    "D8.16.1 between break and make the entry faults"},
	[RULE_NO_STALE_ENTRY] = {"rule_no_stale_entry", FINDING_STALE_ACCESS,
				 "D8.16.1 an entry stays cached until a TLBI completes"},
	[RULE_NO_FREE_WHILE_CACHED] = {"rule_no_free_while_cached", FINDING_STALE_ACCESS,
				       "D8.16.1 use after free: freed while a translation "
				       "may be cached or walked"},
	[RULE_NO_WRITE_TO_READ_ONLY] = {"rule_no_write_to_read_only", FINDING_PERMISSION_FAULT,
					"D8.4 AP[2]=1 kernel write with no fix-up: oops"},
	[RULE_PAGING_REQUEST] = {"rule_paging_request", FINDING_ASSERTION,
				 "kernel: unable to handle kernel paging request"},
};

static struct chk *chk_of(struct sim *sim)
{
	return sim->mmu ? mmu_of(sim)->chk : NULL;
}

/* Reports under rule @id; @rule overrides the table's text (a finer reason). */
static void chk_report(struct sim_cpu *cpu, struct sim *sim, enum chk_rule_id id, uint64_t va,
		       uint64_t pa, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
static void chk_report(struct sim_cpu *cpu, struct sim *sim, enum chk_rule_id id, uint64_t va,
		       uint64_t pa, const char *rule, const char *fmt, ...)
{
	const struct chk_rule *r = &chk_rules[id];
	char *detail, *text;
	va_list ap;

	if (!sim_report_wanted(sim, r->kind, va, pa))
		return;
	va_start(ap, fmt);
	detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	text = rule ? g_strdup_printf("%s [%s]", rule, r->fn)
		    : g_strdup_printf("Arm ARM DDI 0487 %s [%s]", r->cite, r->fn);
	/*
	 * Kept until the next report or the end: sim_report() does not return
	 * when it stops the run (the CPU is unwound), so nothing here frees them.
	 */
	struct chk *c = chk_of(sim);

	g_free(c->report_detail);
	g_free(c->report_rule);
	c->report_detail = detail;
	c->report_rule = text;
	sim_report(sim, cpu, r->kind, va, pa, text, "%s", detail);
}

struct chk *chk_create(struct sim *sim)
{
	struct chk *c = g_new0(struct chk, 1);

	c->sim = sim;
	pages_init(&c->pages);
	breaks_init(&c->b, sim->ncpus);
	c->hb = hb_create(sim->ncpus);
	return c;
}

void chk_destroy(struct chk *c)
{
	if (!c)
		return;
	breaks_free(&c->b);
	pages_free(&c->pages);
	g_free(c->report_detail);
	g_free(c->report_rule);
	hb_destroy(c->hb);
	g_free(c);
}

/* Drops record @i; with none left, no stamp is live and line clocks can go. */
static void chk_drop(struct chk *c, unsigned i)
{
	break_drop(&c->b, i);
	if (!c->b.nlive)
		hb_forget_lines(c->hb);
}

/* ---- page ownership ---------------------------------------------------------- */

static void rule_no_free_while_cached(struct sim *sim, struct chk *c, uint64_t pa, uint64_t end);

static void chk_pages_set(struct sim *sim, uint64_t pa, uint64_t npages, bool free)
{
	struct chk *c = chk_of(sim);
	uint64_t epoch;

	if (!c)
		return;
	if (free)
		rule_no_free_while_cached(sim, c, pa, pa + npages * MMU_PAGE_SIZE);
	epoch = ++mmu_of(sim)->epoch;
	pages_set(&c->pages, pa >> MMU_PAGE_SHIFT, npages, epoch << 1 | free);
}

void chk_page_alloc(struct sim *sim, uint64_t pa, uint64_t npages)
{
	chk_pages_set(sim, pa, npages, false);
}

void chk_page_free(struct sim *sim, uint64_t pa, uint64_t npages)
{
	chk_pages_set(sim, pa, npages, true);
}

bool chk_page_is_free(struct sim *sim, uint64_t pa)
{
	struct chk *c = chk_of(sim);

	return c && (pages_state(&c->pages, pa) & 1);
}

unsigned chk_pending_breaks(struct sim *sim)
{
	struct chk *c = chk_of(sim);

	return c ? c->b.nlive : 0;
}

unsigned chk_hb_lines(struct sim *sim)
{
	struct chk *c = chk_of(sim);

	return c ? hb_lines(c->hb) : 0;
}

void chk_sgi_send(struct sim_cpu *from, unsigned to)
{
	struct chk *c = chk_of(from->sim);

	if (c && c->b.nlive)
		hb_sgi_send(c->hb, from->id, to);
}

void chk_sgi_take(struct sim_cpu *cpu)
{
	struct chk *c = chk_of(cpu->sim);

	if (c)
		hb_sgi_take(c->hb, cpu->id);
}

/* ---- the rules on table changes ---------------------------------------------- */

static void break_state(const struct chk_break *r, char *buf, size_t len)
{
	bool tlbi = false, done = false;

	for (unsigned i = 0; i < r->ncov; i++) {
		tlbi = true;
		done |= r->cov[i].done;
	}
	snprintf(buf, len, "%s",
		 !r->visible	     ? "no DSB after the invalid entry was written"
		 : !tlbi	     ? "no broadcast TLBI covering it after the DSB"
		 : !done	     ? "its TLBI not yet completed by a DSB ISH"
		 : break_complete(r) ? "its TLBI completed, but nothing orders that completion "
				       "before this store (no DSB on the issuer before it, no "
				       "load of a value stored after it)"
				     : "its TLBI covers only part of the table's range");
}

static void report_bbm(struct sim_cpu *cpu, enum chk_rule_id id, const struct chk_why *why,
		       uint64_t slot, const char *how)
{
	char o[160], n[160];

	mmu_desc_str(why->od, why->ol, o, sizeof(o));
	mmu_desc_str(why->nd, why->nl, n, sizeof(n));
	chk_report(cpu, cpu->sim, id, why->va, why->new_pa, why->rule,
		   "%s: %s; old %s -> new %s; old pa %#" PRIx64 " new pa %#" PRIx64
		   "; slot pa %#" PRIx64,
		   how, why->what, o, n, why->old_pa, why->new_pa, slot);
}

/* A valid -> valid change straight over a live entry (D8.16.1). */
static bool rule_needs_bbm(struct sim_cpu *cpu, uint64_t slot, int level, uint64_t va, uint64_t old,
			   uint64_t new)
{
	uint64_t size = 1ull << mmu_level_shift(level);
	struct chk_why why;

	if (!chk_change_needs_bbm(cpu->sim, va, va + size, old, level, va, new, level, va, &why))
		return false;
	report_bbm(cpu, RULE_NEEDS_BBM, &why, slot,
		   "live valid->valid change without break-before-make");
	return true;
}

/*
 * A new entry over a break (or twin) record: the old translation counts as
 * gone only when the record's invalidation completed and that completion
 * is ordered before this store (aarch64.cat's BBM relation).
 */
static void rule_make_ordered_after_tlbi(struct sim_cpu *cpu, const struct chk_break *r,
					 uint64_t slot, int level, uint64_t va, uint64_t new)
{
	uint64_t size = 1ull << mmu_level_shift(level);
	uint64_t lo = r->va > va ? r->va : va;
	uint64_t hi = r->va + r->size < va + size ? r->va + r->size : va + size;
	struct chk *c = chk_of(cpu->sim);
	struct chk_why why;
	char st[200], how[300];

	if (lo >= hi || break_complete_for(r, c->hb, cpu->id))
		return;
	if (!chk_change_needs_bbm(cpu->sim, lo, hi, r->old, r->level, r->va, new, level, va, &why))
		return;
	break_state(r, st, sizeof(st));
	snprintf(how, sizeof(how), "new entry made before the %s's invalidation completed (%s)",
		 r->twin ? "previous change" : "break", st);
	report_bbm(cpu, RULE_MAKE_ORDERED_AFTER_TLBI, &why, slot, how);
}

/* Was @old -> @new an output-address change allowed only by identical contents? */
static bool twin_change(uint64_t old, uint64_t new, int level)
{
	return mmu_desc_is_leaf(old, level) && mmu_desc_is_leaf(new, level) && (old & DESC_AF) &&
	       (new &DESC_AF) && mmu_desc_oa(old, level) != mmu_desc_oa(new, level);
}

void chk_desc_store(struct sim_cpu *cpu, uint64_t slot, int level, uint64_t va, uint64_t old,
		    uint64_t new)
{
	struct chk *c = chk_of(cpu->sim);
	uint64_t size = 1ull << mmu_level_shift(level);
	bool oc = chk_cacheable(old, level), nc = chk_cacheable(new, level);

	breaks_tidy(&c->b);
	if (oc && nc && !rule_needs_bbm(cpu, slot, level, va, old, new) &&
	    twin_change(old, new, level)) {
		/* Both pages may be read through cached entries until a TLBI completes. */
		struct chk_break *t = break_add(&c->b, cpu->id, slot, level, va, old);

		t->twin = true;
		t->remade = true;
		t->twin_pa = mmu_desc_oa(new, level);
		c->b.ntwins++;
	}
	if (oc && !nc) {
		break_add(&c->b, cpu->id, slot, level, va, old);
		return;
	}
	if (!nc)
		return;
	/* Only records over [va, va + size) can be remade or contradicted here. */
	unsigned nhits = breaks_meeting(&c->b, va, va + size);

	for (unsigned k = 0; k < nhits; k++)
		rule_make_ordered_after_tlbi(cpu, &c->b.brk[c->b.hits[k]], slot, level, va, new);
	/*
	 * A record of this slot maps this VA range, so it is among the hits;
	 * any other remade one was dropped when it completed (chk_dsb()).
	 */
	for (unsigned k = 0; k < nhits; k++) {
		struct chk_break *r = &c->b.brk[c->b.hits[k]];

		if (r->slot_pa == slot)
			r->remade = true;
		if (r->remade && break_complete(r))
			chk_drop(c, c->b.hits[k]);
	}
}

void chk_tlbi(struct sim_cpu *cpu, uint64_t start, uint64_t end, bool last_level, bool broadcast)
{
	struct sim *sim = cpu->sim;
	struct chk *c = chk_of(sim);

	/* A non-shareable TLBI leaves every other PE's TLB as it was. */
	if (!broadcast && sim->ncpus > 1)
		return;
	breaks_tidy(&c->b);
	unsigned nhits = breaks_meeting(&c->b, start, end);

	for (unsigned k = 0; k < nhits; k++) {
		struct chk_break *r = &c->b.brk[c->b.hits[k]];
		uint64_t lo, hi;

		/* The TLBI must be ordered after the DSB that made the store visible. */
		if (!r->visible || !hb_after(c->hb, cpu->id, r->storer, r->vis_at))
			continue;
		/* Leaf-only TLBIs keep walk-cache entries: they cannot retire a table. */
		if (last_level && mmu_desc_is_table(r->old, r->level))
			continue;
		break_span(r, &lo, &hi);
		break_add_cover(&c->b, r, start > lo ? start : lo, end < hi ? end : hi, cpu->id);
	}
}

bool chk_dsb_pending(struct sim_cpu *cpu, bool full)
{
	struct chk *c = chk_of(cpu->sim);

	return c->b.unvisible[cpu->id] || (full && c->b.undone[cpu->id]);
}

void chk_dsb(struct sim_cpu *cpu, bool full)
{
	struct chk *c = chk_of(cpu->sim);
	uint32_t stamp;

	if (!chk_dsb_pending(cpu, full))
		return; /* nothing of ours: nothing to make visible, complete or drop */
	/* The DSB is an event others may be ordered after. */
	stamp = hb_tick(c->hb, cpu->id);
	for (unsigned i = 0; i < c->b.nbrk; i++) {
		struct chk_break *r = &c->b.brk[i];

		if (r->dead)
			continue;
		if (r->storer == cpu->id && !r->visible) {
			r->visible = true;
			r->vis_at = stamp;
			c->b.unvisible[cpu->id]--;
		}
		if (full)
			for (unsigned k = 0; k < r->ncov; k++)
				if (r->cov[k].cpu == cpu->id && !r->cov[k].done) {
					r->cov[k].done = true;
					r->cov[k].done_at = stamp;
					c->b.undone[cpu->id]--;
				}
		if (full && r->remade && break_complete(r))
			chk_drop(c, i);
	}
}

/* ---- the rules on lookups and accesses ------------------------------------------ */

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

/*
 * A lookup that hits two entries that do not translate alike (D8.16.1,
 * D8.16.2); @cause (from the MMU) names why the TLB holds both.
 */
static void rule_no_tlb_conflict(struct sim_cpu *cpu, uint64_t va, const uint32_t *idx, unsigned n,
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
		mmu_desc_str(a->desc, a->level, x, sizeof(x));
		mmu_desc_str(b->desc, b->level, y, sizeof(y));
		chk_report(cpu, sim, RULE_NO_TLB_CONFLICT, va, entry_pa(a, va), cause,
			   "lookup matched %u entries: %s (from slot %#" PRIx64
			   ") and %s (from slot %#" PRIx64 ") -> pa %#" PRIx64 " vs %#" PRIx64,
			   n, x, a->desc_pa, y, b->desc_pa, entry_pa(a, va), entry_pa(b, va));
		return;
	}
}

void chk_tlb_conflict(struct sim_cpu *cpu, uint64_t va, const uint32_t *idx, unsigned n,
		      const char *cause)
{
	rule_no_tlb_conflict(cpu, va, idx, n, cause);
}

/* The descriptor a TLB entry came from is no longer what the tables say. */
static bool desc_changed(struct sim *sim, uint64_t desc_pa, uint64_t desc, int level)
{
	int l;
	uint64_t base;

	return hw_desc_view(sim, desc_pa) != desc || !mmu_table_info(sim, desc_pa, &l, &base) ||
	       l != level;
}

/* The linear map stays mapped over free pages: that is how Linux uses it. */
static bool linear_map(uint64_t va)
{
	return va >= MMU_PAGE_OFFSET && va < MMU_PAGE_OFFSET + (1ull << (MMU_VA_BITS - 1));
}

/*
 * An access through an entry filled before its page was freed or handed
 * to a new owner: through a changed descriptor it is a stale entry (the
 * invalidation did not complete); through an unchanged one other than the
 * linear map the page was freed while still mapped (use after free).
 */
static void rule_no_stale_entry(struct sim_cpu *cpu, uint64_t va, struct tlb_entry *e)
{
	struct sim *sim = cpu->sim;
	struct chk *c = chk_of(sim);
	uint64_t pa = entry_pa(e, va), st = pages_state(&c->pages, pa);
	char o[160], n[160];
	uint64_t now;
	bool changed;

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
	changed = desc_changed(sim, e->desc_pa, e->desc, e->level);
	if (!changed && (linear_map(va) || !(st & 1)))
		return; /* a reallocated page through a live mapping: its new owner's */
	now = pmem_read(sim->mem, e->desc_pa, 8);
	mmu_desc_str(e->desc, e->level, o, sizeof(o));
	mmu_desc_str(now, e->level, n, sizeof(n));
	chk_report(cpu, sim, changed ? RULE_NO_STALE_ENTRY : RULE_NO_FREE_WHILE_CACHED, va, pa,
		   NULL,
		   "access through a %s TLB entry to a page %s since the entry was filled: "
		   "entry %s from slot %#" PRIx64 ", slot now %s",
		   changed ? "stale" : "live", (st & 1) ? "freed" : "freed and reallocated", o,
		   e->desc_pa, n);
}

void chk_tlb_use(struct sim_cpu *cpu, uint64_t va, struct tlb_entry *e)
{
	rule_no_stale_entry(cpu, va, e);
}

void chk_walk_use(struct sim_cpu *cpu, uint64_t va, const struct tlb_walk *w)
{
	struct sim *sim = cpu->sim;
	struct chk *c = chk_of(sim);
	uint64_t st = pages_state(&c->pages, w->table);
	char o[160];

	if (!st || (st >> 1) <= w->epoch)
		return;
	if (!desc_changed(sim, w->desc_pa, w->desc, w->level) && !(st & 1))
		return;
	mmu_desc_str(w->desc, w->level, o, sizeof(o));
	chk_report(cpu, sim, RULE_NO_STALE_ENTRY, va, w->table,
		   "Arm ARM DDI 0487 D8.16.1: a walk-cache entry stays until a non-leaf TLBI "
		   "completes",
		   "walk through a stale walk-cache entry %s (slot %#" PRIx64
		   ") into a table page %s since",
		   o, w->desc_pa, (st & 1) ? "freed" : "freed and reallocated");
}

/*
 * A page goes back to the allocator while a translation to it other than
 * the linear map may still be cached: a record's old translation whose
 * invalidation has not completed, or not before this free.
 */
static void rule_no_free_while_cached(struct sim *sim, struct chk *c, uint64_t pa, uint64_t end)
{
	struct sim_cpu *cpu = sim_current(sim);

	for (unsigned i = 0; c->b.nlive && i < c->b.nbrk; i++) {
		const struct chk_break *r = &c->b.brk[i];
		uint64_t lo, hi;
		char o[160], st[200];

		if (r->dead)
			continue;
		if (mmu_desc_is_table(r->old, r->level)) {
			lo = r->old & DESC_OA_MASK;
			hi = lo + MMU_PAGE_SIZE;
		} else {
			lo = mmu_desc_oa(r->old, r->level);
			hi = lo + r->size;
		}
		if (hi <= pa || lo >= end)
			continue;
		if (cpu ? break_complete_for(r, c->hb, cpu->id) : break_complete(r))
			continue;
		mmu_desc_str(r->old, r->level, o, sizeof(o));
		break_state(r, st, sizeof(st));
		chk_report(cpu, sim, RULE_NO_FREE_WHILE_CACHED, r->va, lo > pa ? lo : pa, NULL,
			   "page %#" PRIx64 " freed while a TLB may still hold %s for va %#" PRIx64
			   " (slot %#" PRIx64 "): %s",
			   lo > pa ? lo : pa, o, r->va, r->slot_pa, st);
		return;
	}
}

/*
 * A write to a page that a twin record binds: the old and new pages of an
 * output-address change allowed only because they held the same bytes,
 * while both translations may still be cached.
 */
static void rule_twin_contents_kept(struct sim_cpu *cpu, struct chk *c, uint64_t va, uint64_t pa)
{
	uint64_t page = pa & ~(MMU_PAGE_SIZE - 1);

	for (unsigned i = 0; i < c->b.nbrk; i++) {
		const struct chk_break *r = &c->b.brk[i];
		uint64_t old_pa;
		bool in_old;
		char o[160];

		if (r->dead || !r->twin)
			continue;
		old_pa = mmu_desc_oa(r->old, r->level);
		in_old = page - old_pa < r->size;
		if (!in_old && page - r->twin_pa >= r->size)
			continue;
		mmu_desc_str(r->old, r->level, o, sizeof(o));
		chk_report(cpu, cpu->sim, RULE_TWIN_CONTENTS_KEPT, r->va, pa, NULL,
			   "write to %s page %#" PRIx64 " (through va %#" PRIx64
			   ") while va %#" PRIx64 " may still translate through %s to %#" PRIx64
			   " as well as to %#" PRIx64
			   ": the contents the change relied on being identical now differ",
			   in_old ? "the old" : "the new", page, va, r->va, o, old_pa, r->twin_pa);
		return;
	}
}

/* A page (not the linear map) reached by a fresh walk after it was freed. */
static void rule_no_free_while_mapped(struct sim_cpu *cpu, struct chk *c, uint64_t va,
				      const struct mmu_result *res)
{
	char d[160];

	if (linear_map(va) || !(pages_state(&c->pages, res->pa) & 1))
		return;
	mmu_desc_str(res->desc, res->level, d, sizeof(d));
	chk_report(cpu, cpu->sim, RULE_NO_FREE_WHILE_CACHED, va, res->pa, NULL,
		   "access to a freed page through a live mapping: descriptor %s at %#" PRIx64, d,
		   res->desc_pa);
}

void chk_access(struct sim_cpu *cpu, uint64_t va, const struct mmu_result *res, bool write)
{
	struct chk *c = chk_of(cpu->sim);

	if (!res->tlb_hit && !res->early)
		rule_no_free_while_mapped(cpu, c, va, res);
	if (!c->b.nlive)
		return;
	hb_access(c->hb, cpu->id, res->pa, write);
	if (write && c->b.ntwins)
		rule_twin_contents_kept(cpu, c, va, res->pa);
}

/* A translation fault nobody fixed up on an entry between break and make. */
static bool rule_no_fault_in_break(struct sim_cpu *cpu, const struct mmu_fault *f)
{
	struct chk *c = chk_of(cpu->sim);
	char d[160], o[160];

	for (unsigned i = 0; i < c->b.nbrk; i++) {
		const struct chk_break *r = &c->b.brk[i];

		if (r->dead || r->twin || f->va < r->va || f->va - r->va >= r->size)
			continue;
		mmu_desc_str(f->desc, f->level, d, sizeof(d));
		mmu_desc_str(r->old, r->level, o, sizeof(o));
		chk_report(cpu, cpu->sim, RULE_NO_FAULT_IN_BREAK, f->va,
			   mmu_desc_oa(r->old, r->level),
			   "Arm ARM DDI 0487 D8.16.1: between break and make the entry faults; "
			   "kernel access with no fix-up: oops",
			   "level %d translation fault, descriptor %s at %#" PRIx64
			   "; entry broken from %s at slot %#" PRIx64 " and not yet remade",
			   f->level, d, f->desc_pa, o, r->slot_pa);
		return true;
	}
	return false;
}

static void rule_no_write_to_read_only(struct sim_cpu *cpu, const struct mmu_fault *f)
{
	char d[160];

	mmu_desc_str(f->desc, f->level, d, sizeof(d));
	chk_report(cpu, cpu->sim, RULE_NO_WRITE_TO_READ_ONLY, f->va, mmu_desc_oa(f->desc, f->level),
		   "kernel: write to a read-only mapping (AP[2]=1) with no fix-up: oops",
		   "level %d permission fault on write; descriptor %s at %#" PRIx64, f->level, d,
		   f->desc_pa);
}

static void rule_paging_request(struct sim_cpu *cpu, const struct mmu_fault *f)
{
	char d[160];

	mmu_desc_str(f->desc, f->level, d, sizeof(d));
	chk_report(cpu, cpu->sim, RULE_PAGING_REQUEST, f->va, 0, NULL,
		   "level %d %s fault on %s, descriptor %s at %#" PRIx64 ", no break in progress",
		   f->level, mmu_fault_name(f->type), f->write ? "write" : "read", d, f->desc_pa);
}

void chk_unhandled_fault(struct sim_cpu *cpu, const struct mmu_fault *f)
{
	if (f->type == MMU_FAULT_PERMISSION) {
		rule_no_write_to_read_only(cpu, f);
		return;
	}
	if (f->type == MMU_FAULT_TRANSLATION && rule_no_fault_in_break(cpu, f))
		return;
	rule_paging_request(cpu, f);
}

void chk_rules_foreach(void (*fn)(const char *name, const char *finding, const char *cite,
				  void *arg),
		       void *arg)
{
	for (unsigned i = 0; i < G_N_ELEMENTS(chk_rules); i++)
		fn(chk_rules[i].fn, finding_name(chk_rules[i].kind), chk_rules[i].cite, arg);
}
