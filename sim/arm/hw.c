// SPDX-License-Identifier: GPL-2.0-only
/*
 * hw: the freedoms the Arm architecture gives the MMU beyond "look up, else
 * walk", each a recorded decision (issue #13; docs/mmu.md "The hardware's
 * freedoms"):
 *  1. TLB fills from history: a lookup may fill any cacheable value a
 *     descriptor on its walk held since this TLB's last invalidation.
 *  2. Early walks: without FEAT_ETS2 an access may use a walk result (a
 *     translation or a fault) from any descriptor value since this CPU's
 *     last context synchronisation event, or since a broadcast TLBI from
 *     another CPU covering the VA was performed on its TLB.
 *  3. Conflicts: which of several matching entries a lookup uses, or a TLB
 *     conflict abort.
 *  5. FEAT_HAFDBS: hardware Access flag and dirty state updates (hafdbs.c).
 *
 * Histories are kept per descriptor slot, lazily: a store into a live table
 * records the value it replaced and when (the MMU's store sequence); a CPU
 * asks only for the values replaced after its own bound, never by filling
 * every TLB at every store.
 */
#include "mmu_internal.h"

#include <string.h>

/* ---- descriptor histories ---------------------------------------------------- */

struct hist_val {
	uint64_t val;	/* the value the slot held */
	uint64_t until; /* store sequence number of the store that replaced it */
	uint64_t epoch; /* checker page epoch then: the latest a walk of it could be */
	/*
	 * Replaced by an atomic's or a hardware update's write, which read
	 * it: no update of a walk that read it fits between the two.
	 */
	bool atomic;
};

struct desc_hist {
	uint32_t n, cap;
	struct hist_val *v;
};

/*
 * A candidate walk result: slot @slot at @level held @val until @epoch
 * (store @until). For an early walk: the strict bound of its slot's VAs
 * and the memory model's latest timestamp at the first completion that
 * removed it (UINT64_MAX: none did).
 */
struct hw_cand {
	uint64_t slot, val, epoch, until;
	uint64_t strict, removed_at;
	int level;
	/*
	 * No hardware update of a walk that read it can go before the store
	 * that replaced it (hu_before_replacement()).
	 */
	bool no_hu;
	/*
	 * A completion removed it that the access's own walks order it
	 * after (mm_fault_before(), @used): it may give a fault, not a
	 * translation the access uses.
	 */
	bool fault_only;
};

static void hist_free(gpointer p)
{
	struct desc_hist *h = p;

	g_free(h->v);
	g_free(h);
}

void hw_init(struct sim *sim)
{
	struct mmu *m = mmu_of(sim);

	m->hist = g_hash_table_new_full(NULL, NULL, NULL, hist_free);
	m->hist_lo = UINT64_MAX;
	m->hist_hi = 0;
}

/* The sequence number of the last table store whose timestamp is at most @view. */
uint64_t hw_seq_of_view(const struct mmu *m, uint64_t view)
{
	uint64_t lo = 0, hi = m->nuts;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (m->uts[mid] <= view)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void hw_free(struct mmu *m)
{
	if (m->hist)
		g_hash_table_destroy(m->hist);
	g_free(m->cand);
	g_free(m->uts);
	g_free(m->ufloor);
	g_free(m->af0);
	g_free(m->upd);
}

/* The oldest bound any CPU still asks with: values replaced before it are dead. */
static uint64_t hist_floor(struct sim *sim)
{
	uint64_t floor = UINT64_MAX;

	for (unsigned i = 0; i < sim->ncpus; i++) {
		struct mmu_cpu *mc = sim->cpus[i].mmu;
		uint64_t b = mc->inval_seq;

		if (!sim_opt_bool(&sim->opt, OPT_ets2)) {
			uint64_t e = mc->cse_seq > mc->rinval_f ? mc->cse_seq : mc->rinval_f;

			b = e < b ? e : b;
		}
		floor = b < floor ? b : floor;
	}
	return floor;
}

static gboolean hist_dead(gpointer key, gpointer value, gpointer floor)
{
	struct desc_hist *h = value;
	uint64_t fl = *(uint64_t *)floor;
	uint32_t keep = 0;

	for (uint32_t i = 0; i < h->n; i++)
		if (h->v[i].until > fl)
			h->v[keep++] = h->v[i];
	h->n = keep;
	return !keep;
}

void hw_desc_stored(struct sim *sim, uint64_t slot, int level, uint64_t va, uint64_t old,
		    uint64_t new, bool atomic, uint64_t floor)
{
	struct mmu *m = mmu_of(sim);
	struct desc_hist *h;
	uint64_t span = 1ull << mmu_level_shift(level);

	m->seq++;
	if (m->ha)
		af0_note(m, slot, mmu_desc_is_leaf(new, level) && !(new &DESC_AF));
	if (m->nupd)
		hw_update_overwritten(sim, slot);
	/* Every few thousand stores, drop what no CPU can ask for any more. */
	if (!(m->seq & 4095)) {
		uint64_t floor = hist_floor(sim);

		g_hash_table_foreach_remove(m->hist, hist_dead, &floor);
		if (!g_hash_table_size(m->hist)) {
			m->hist_lo = UINT64_MAX;
			m->hist_hi = 0;
		}
	}
	h = g_hash_table_lookup(m->hist, GSIZE_TO_POINTER(slot));
	if (!h) {
		h = g_new0(struct desc_hist, 1);
		g_hash_table_insert(m->hist, GSIZE_TO_POINTER(slot), h);
	}
	if (h->n == h->cap) {
		uint64_t floor = hist_floor(sim);

		hist_dead(NULL, h, &floor);
		if (h->n == h->cap) {
			h->cap = h->cap ? h->cap * 2 : 4;
			h->v = g_renew(struct hist_val, h->v, h->cap);
		}
	}
	h->v[h->n++] = (struct hist_val){old, m->seq, chk_epoch(sim), atomic};
	if (m->views) {
		if (m->nuts == m->caputs) {
			m->caputs = m->caputs ? m->caputs * 2 : 256;
			m->uts = g_renew(uint64_t, m->uts, m->caputs);
			m->ufloor = g_renew(uint64_t, m->ufloor, m->caputs);
		}
		/* Table stores are written through: the store's message is the model's next. */
		m->ufloor[m->nuts] = atomic ? UINT64_MAX : floor;
		m->uts[m->nuts++] = cpu_memory_now(sim) + 1;
	}
	if (va < m->hist_lo)
		m->hist_lo = va;
	if (va + span - 1 > m->hist_hi)
		m->hist_hi = va + span - 1;
}

/* A descriptor a TLB may hold (faulting ones are never cached). */
static bool cacheable(uint64_t d, int level)
{
	return mmu_desc_is_table(d, level) || (mmu_desc_is_leaf(d, level) && (d & DESC_AF));
}

/* What a walk's history is asked for, with which bound. */
enum hist_use {
	HIST_ANY,   /* does any value exist (no bound) */
	HIST_FILL,  /* TLB fills: cacheable values since the last invalidation */
	HIST_EARLY, /* early walks: every value (faults too) since the early-walk bound */
};

static uint64_t removed_at(const struct mmu_cpu *mc, uint64_t until, uint64_t lo, uint64_t hi);

/*
 * Can the hardware update of a walk that read @v go in coherence right
 * after @v, before the store that replaced it (which then overwrites it)?
 * Not when that store was an atomic's or another update's write (it read
 * @v: atomicity), nor when the update is ordered after it, by a read the
 * access depends on or a branch before it (@hu_view: herd7 [Exp & R];
 * addr|ctrl; [HU], S+dmb.st+addr-HUdb: Forbidden), or by an earlier
 * access's walk that read a table store made after it (@walks) which is
 * ordered after it. A table store is written through, in the order the
 * CPUs executed them; one that nothing orders after the replacing store
 * could have been seen first (herd7 2+2WNExpExp+NExpNExp: Allowed;
 * +DMBST+DMBST, a DMB ST between the two table stores: Forbidden). Each
 * store between is asked (its floor), however many: no cap drops the
 * choice. Without views (--memory sc) everything is in order: never.
 */
static bool hu_before_replacement(const struct mmu *m, const struct hist_val *v, uint64_t hu_view,
				  uint64_t walks)
{
	uint64_t r = v->until - 1, ts;

	if (v->atomic || !m->views || r >= m->nuts)
		return false;
	ts = m->uts[r];
	if (ts <= hu_view)
		return false;
	for (uint64_t s = r + 1; s < m->nuts && m->uts[s] <= walks; s++)
		if (m->ufloor[s] >= ts)
			return false;
	return ts <= walks ? m->ufloor[r] != UINT64_MAX : true;
}

/*
 * The values the slots on @va's walk (through the current tables) held
 * and lost after the bound of @use for that slot: into m->cand, oldest
 * level first. A slot at level L is on the walk of every VA of its span,
 * so every invalidation of one of them bounds it (a TLBI by VA removes
 * the walk-cache entries of its walk: the TLBI VAE1IS description, "used
 * to translate the specified VA", from any level of the walk).
 */
static unsigned path_history(struct sim_cpu *cpu, struct sim *sim, uint64_t va, enum hist_use use)
{
	struct mmu *m = mmu_of(sim);
	struct mmu_cpu *mc = cpu ? cpu->mmu : NULL;
	uint64_t table = m->ttbr1;
	bool all = use != HIST_FILL, ha = mc && mc->ha;
	uint64_t walks = UINT64_MAX;
	uint64_t hu_view = use == HIST_EARLY && mc && (mc->ha || mc->hd)
				   ? cpu_memory_hu_view(cpu, &walks)
				   : UINT64_MAX;
	unsigned n = 0;

	if (va < m->hist_lo || va > m->hist_hi)
		return 0;
	for (int level = 0; level <= 3; level++) {
		uint64_t slot = table + ((va >> mmu_level_shift(level)) & 511) * 8, d;
		struct desc_hist *h = g_hash_table_lookup(m->hist, GSIZE_TO_POINTER(slot));
		uint64_t lo = va & ~((1ull << mmu_level_shift(level)) - 1);
		uint64_t hi = lo + ((1ull << mmu_level_shift(level)) - 1);
		uint64_t bound = 0, strict = 0, tbound = 0;

		if (h && use == HIST_FILL) {
			struct mmu_scope b;

			mmu_scope_bounds(mc, lo, hi, &b);
			bound = b.inval;
		} else if (h && use == HIST_EARLY) {
			bound = hw_early_bound(cpu, lo, hi, &strict, &tbound);
		}
		for (uint32_t i = 0; h && i < h->n; i++) {
			const struct hist_val *v = &h->v[i];
			uint64_t val = v->val;
			bool no_hu = !hu_before_replacement(m, v, hu_view, walks);

			if (v->until <= bound || !(all || cacheable(val, level)))
				continue;
			/*
			 * Not a fault: the walker sets AF, atomically with its
			 * read, so in coherence right after the value read and
			 * before the store that replaced it, which overwrites
			 * the update (as hw_set_dirty() for an early walk).
			 * Where it cannot go there, no candidate: the walk
			 * reads a later value.
			 */
			if (all && ha && mmu_desc_is_leaf(val, level) && !(val & DESC_AF)) {
				if (no_hu)
					continue;
				val |= DESC_AF;
			}
			if (n == m->ncap) {
				m->ncap = m->ncap ? m->ncap * 2 : 16;
				m->cand = g_renew(struct hw_cand, m->cand, m->ncap);
			}
			m->cand[n++] = (struct hw_cand){
				.slot = slot,
				.val = val,
				.epoch = v->epoch,
				.until = v->until,
				.strict = strict,
				.removed_at = use == HIST_EARLY ? removed_at(mc, v->until, lo, hi)
								: UINT64_MAX,
				.level = level,
				.no_hu = no_hu,
				.fault_only = v->until <= tbound,
			};
		}
		d = pmem_read(sim->mem, slot, 8);
		if (!mmu_desc_is_table(d, level))
			break;
		table = d & DESC_OA_MASK;
	}
	return n;
}

bool hw_path_has_history(struct sim *sim, uint64_t va)
{
	return path_history(NULL, sim, va, HIST_ANY) > 0;
}

/* Walks on host-side from descriptor @d at @level (read from @dpa); as ptw_walk(). */
static int walk_from(struct sim *sim, uint64_t va, int level, uint64_t d, uint64_t dpa,
		     struct mmu_result *res, struct mmu_fault *f)
{
	memset(f, 0, sizeof(*f));
	f->va = va;
	while (mmu_desc_is_table(d, level)) {
		level++;
		dpa = (d & DESC_OA_MASK) + ((va >> mmu_level_shift(level)) & 511) * 8;
		d = pmem_read(sim->mem, dpa, 8);
	}
	f->level = level;
	f->desc = d;
	f->desc_pa = dpa;
	if (!mmu_desc_is_leaf(d, level)) {
		f->type = MMU_FAULT_TRANSLATION;
		return -1;
	}
	if (!(d & DESC_AF)) {
		f->type = MMU_FAULT_ACCESS_FLAG;
		return -1;
	}
	res->pa = mmu_desc_oa(d, level) + (va & ((1ull << mmu_level_shift(level)) - 1));
	res->desc = d;
	res->desc_pa = dpa;
	res->level = level;
	res->tlb_hit = false;
	res->early = false;
	return 0;
}

/* ---- 1. TLB fills from history ----------------------------------------------- */

/*
 * D8.? "Translation Lookaside Buffers" (Arm ARM DDI 0487, D8.13): a TLB may
 * hold any translation a walk could have produced since the last
 * invalidation that covers it, fill it at any time and keep it until then.
 * At a lookup, when descriptors changed since this TLB's last invalidation,
 * the choice is: nothing, a fresh walk next to what the TLB holds (so two
 * entries for one VA), or any cacheable value a descriptor on the walk held
 * since then (a leaf entry, or a walk-cache entry for a table). An
 * invalidation bounds the slots on the walks of the VAs it covers
 * (mmu_scope_bounds()).
 */
void hw_fill(struct sim_cpu *cpu, uint64_t va)
{
	struct sim *sim = cpu->sim;
	struct mmu *m = mmu_of(sim);
	struct mmu_cpu *mc = cpu->mmu;
	uint64_t page = va >> MMU_PAGE_SHIFT;
	struct mmu_fill_memo *q = &mc->quiet[page & (MMU_NR_MEMO - 1)];
	unsigned n, fresh = 0;
	uint32_t k, idx[TLB_MAX_MATCH];
	struct mmu_result r;
	struct mmu_fault f;

	/* Spinning on a flag while tables change elsewhere: no walk per load. */
	if (q->seq == m->seq && q->gen == mc->tlb.gen && q->page == page)
		return;
	n = path_history(cpu, sim, va, HIST_FILL);

	/* The current translation, if the TLB holds another one for @va. */
	unsigned hits = tlb_lookup(&mc->tlb, va, idx, TLB_MAX_MATCH);

	if (hits && !ptw_walk(sim, NULL, va, &r, &f)) {
		fresh = 1;
		for (unsigned i = 0; i < hits && fresh; i++)
			fresh = !(mc->tlb.e[idx[i]].desc == r.desc &&
				  mc->tlb.e[idx[i]].desc_pa == r.desc_pa);
	}
	if (!n && !fresh) {
		*q = (struct mmu_fill_memo){m->seq, mc->tlb.gen, page};
		return;
	}
	k = sim_decide(sim, DECIDE_TLB_FILL, 1 + fresh + n);
	if (!k)
		return;
	if (fresh && k == 1) {
		tlb_insert(sim, &mc->tlb, va, &r, chk_epoch(sim));
		return;
	}
	const struct hw_cand *c = &m->cand[k - 1 - fresh];

	if (mmu_desc_is_table(c->val, c->level)) {
		tlb_walk_insert(sim, &mc->tlb, c->level, va, c->val & DESC_OA_MASK, c->val, c->slot,
				c->epoch);
		return;
	}
	if (!walk_from(sim, va, c->level, c->val, c->slot, &r, &f))
		tlb_insert(sim, &mc->tlb, va, &r, c->epoch);
}

/* ---- 2. context synchronisation: early walks ------------------------------- */

/*
 * The walks after a context synchronisation event see every table store
 * made so far, but this CPU's own not yet completed by a DSB ISH or ST.
 */
void hw_context_sync(struct sim_cpu *cpu)
{
	struct mmu_cpu *mc = cpu->mmu;

	unsigned keep = 0;

	if (!mc)
		return;
	if (mc->m->views)
		/*
		 * By view: the walks after it see the table stores ordered
		 * before it, not every one made so far (herd7
		 * I2V-R-DSB.ST-ISB-R+W: a load DSB ST does not order).
		 */
		mc->cse_seq =
			mmu_max64(mc->cse_seq, hw_seq_of_view(mc->m, cpu_memory_cse_view(cpu)));
	else
		mc->cse_seq = mmu_max64(mc->cse_seq, mc->st_open ? mc->st_seq : mc->m->seq);
	/* Completions it bounds no longer matter. */
	for (unsigned i = 0; i < mc->nrecs; i++)
		if (mc->recs[i].seq > mc->cse_seq)
			mc->recs[keep++] = mc->recs[i];
	mc->nrecs = keep;
}

/*
 * Without FEAT_ETS2 an access may have been translated before an earlier
 * instruction in program order completed: a store of its descriptor, a DSB,
 * even this CPU's own completed TLBI (herd7 coRR-pte6, coWRExpNExp,
 * coWRExpNExp+DSB-TLBI-DSB, CoWR.T.inv+po-addr: Allowed; with ETS2
 * Forbidden). Only a context synchronisation event (ISB, exception entry or
 * return) bounds it (coWRExpNExp+DSB-ISB, coRR-pte8-dsb-isb: Forbidden), or
 * a broadcast TLBI of another CPU performed on this TLB, whose completion
 * waits for the accesses using what it removes. On a TLB miss the walk
 * result may so come from any descriptor value since then: a translation
 * (not cached) or a fault. 1: no early walk chosen; 0 with @res; 2 with
 * @res whose hardware update cannot go before the store that replaced its
 * value (hu_before_replacement(), hw_set_dirty()); -1 with @f.
 */
/*
 * The memory model's latest timestamp at the first completion covering a
 * VA in [lo, hi] that removed a value ending at @until.
 */
static uint64_t removed_at(const struct mmu_cpu *mc, uint64_t until, uint64_t lo, uint64_t hi)
{
	uint64_t t = UINT64_MAX;

	for (unsigned i = 0; i < mc->nrecs; i++) {
		const struct mmu_rinval *r = &mc->recs[i];

		if (r->seq >= until && r->now < t && r->start <= hi && r->end - 1 >= lo)
			t = r->now;
	}
	return t;
}

uint64_t hw_early_bound(struct sim_cpu *cpu, uint64_t lo, uint64_t hi, uint64_t *strict,
			uint64_t *tbound)
{
	struct mmu_cpu *mc = cpu->mmu;
	uint64_t cse = mc->cse_seq;
	struct mmu_scope s;
	uint64_t b;

	mmu_scope_bounds(mc, lo, hi, &s);
	b = mmu_max64(cse, s.rinval_f);
	*tbound = b;
	*strict = mmu_max64(cse, s.rinval);
	for (unsigned i = 0; i < mc->nrecs && b < *strict; i++) {
		const struct mmu_rinval *r = &mc->recs[i];

		if (r->start > hi || r->end - 1 < lo)
			continue;
		if (!cpu_memory_fault_before(cpu, r->view, false))
			b = mmu_max64(b, r->seq);
		if (!cpu_memory_fault_before(cpu, r->view, true))
			*tbound = mmu_max64(*tbound, r->seq);
	}
	return b;
}

int hw_early_walk(struct sim_cpu *cpu, uint64_t va, struct mmu_result *res, struct mmu_fault *f)
{
	struct sim *sim = cpu->sim;
	struct mmu *m = mmu_of(sim);
	struct mmu_cpu *mc = cpu->mmu;
	unsigned n = path_history(cpu, sim, va, HIST_EARLY), keep = 0;
	struct mmu_result r;
	struct mmu_fault ff;
	uint32_t k;
	const struct hw_cand *c;

	/*
	 * Below the strict bound, values some completion ordered after this
	 * access removed (mm_tlbi.c): faults, permission faults of a write
	 * included, and translations for a load, which then reads a value
	 * from before the completion. A store through one would have to be
	 * placed before it in coherence too: not offered.
	 */
	for (unsigned i = 0; i < n; i++) {
		bool faults;

		c = &m->cand[i];
		if (c->until > c->strict) {
			m->cand[keep++] = *c;
			continue;
		}
		faults = walk_from(sim, va, c->level, c->val, c->slot, &r, &ff) ||
			 (cpu->access.write && !mmu_desc_writable(r.desc) &&
			  !(mc->hd && (r.desc & DESC_DBM)));
		if (faults ||
		    (!c->fault_only && !cpu->access.write && c->removed_at != UINT64_MAX &&
		     cpu_memory_known_at(cpu, r.pa, c->removed_at)))
			m->cand[keep++] = *c;
	}
	n = keep;
	k = sim_decide(sim, DECIDE_EARLY_WALK, 1 + n);
	if (!k)
		return 1;
	c = &m->cand[k - 1];
	if (walk_from(sim, va, c->level, c->val, c->slot, res, f))
		return -1;
	if (c->until <= c->strict) {
		/*
		 * Before the first completion that removed it: no newer value,
		 * and the checker's use-after-free questions were asked at the
		 * frees (rule_no_free_while_cached: not before a completion).
		 */
		cpu->access.bounded = true;
		cpu->access.max_ts = c->removed_at;
		res->early = true;
		return 0;
	}
	if (c->epoch != chk_epoch(sim)) {
		/* The page may have changed hands since: the checker's question for a stale entry. */
		struct tlb_entry e = {
			.va = va & ~((1ull << mmu_level_shift(res->level)) - 1),
			.pa = mmu_desc_oa(res->desc, res->level),
			.desc = res->desc,
			.desc_pa = res->desc_pa,
			.epoch = c->epoch,
			.shift = mmu_level_shift(res->level),
			.level = res->level,
		};

		chk_tlb_use(cpu, va, &e);
	}
	return c->no_hu ? 2 : 0;
}

/* ---- 3. conflicts ------------------------------------------------------------ */

/* Would a TLB holding @a and @b for @va be allowed to use either, without an abort? */
static bool entries_alike(struct sim *sim, const struct tlb_entry *a, const struct tlb_entry *b,
			  uint64_t va)
{
	uint64_t pa = a->pa + (va - a->va), pb = b->pa + (va - b->va);

	if ((a->desc ^ b->desc) & (DESC_ATTRINDX_MASK | DESC_SH_MASK | DESC_NG))
		return false;
	if (a->shift != b->shift && !(sim_opt_uint(&sim->opt, OPT_bbm_level) == 2 &&
				      sim_opt_bool(&sim->opt, OPT_bbml2_noabort)))
		return false;
	if (pa == pb)
		return true; /* AP, XN, AF, DBM: changes that need no break */
	return !mmu_desc_writable(a->desc) && !mmu_desc_writable(b->desc) &&
	       pmem_page_equal(sim->mem, pa & ~(MMU_PAGE_SIZE - 1), pb & ~(MMU_PAGE_SIZE - 1));
}

/* An entry whose descriptor is no longer in the live tables as it was read. */
static bool entry_stale(struct sim *sim, const struct tlb_entry *e)
{
	uint64_t base;
	int level;

	return hw_desc_view(sim, e->desc_pa) != e->desc ||
	       !mmu_table_info(sim, e->desc_pa, &level, &base) || level != e->level;
}

/*
 * Why the TLB holds several entries for one VA, as the rule a finding
 * names: an entry outlived its descriptor (the invalidation that should
 * have removed it is missing or not yet complete), or two live
 * descriptors of different block sizes translate the VA (FEAT_BBM level 2).
 */
static const char *conflict_cause(struct sim *sim, struct mmu_cpu *mc, uint64_t va,
				  const uint32_t *idx, unsigned n)
{
	const struct tlb_entry *a = &mc->tlb.e[idx[0]];
	bool resized = false;

	/* A size change keeping the output address: level 2's own freedom. */
	for (unsigned i = 1; i < n; i++) {
		const struct tlb_entry *b = &mc->tlb.e[idx[i]];

		resized |= a->shift != b->shift && a->pa + (va - a->va) == b->pa + (va - b->va);
	}
	if (sim_opt_uint(&sim->opt, OPT_bbm_level) == 2 && resized)
		return "Arm ARM DDI 0487 D8.16.2 FEAT_BBM level 2: a block-size change without a "
		       "break; the TLB holds both sizes and may take a TLB conflict abort";
	for (unsigned i = 0; i < n; i++)
		if (entry_stale(sim, &mc->tlb.e[idx[i]]))
			return "Arm ARM DDI 0487 D8.16.1 break-before-make: a stale TLB entry "
			       "outlived its descriptor (missing or incomplete invalidation) and "
			       "meets the new one";
	return "Arm ARM DDI 0487 D8.16.1 break-before-make: two live translations of one VA "
	       "differ (a change made without a break)";
}

/*
 * A lookup matched @n entries: the checker judges them, then which one
 * the access uses is a decision, and so (--tlb-conflict-abort) is a TLB
 * conflict abort when they do not translate alike (D8.16.1: the behaviour
 * is then that of one of the entries, or an abort). Returns the index in
 * @idx, or @n for the abort.
 */
unsigned tlb_conflict_pick(struct sim_cpu *cpu, uint64_t va, const uint32_t *idx, unsigned n)
{
	struct sim *sim = cpu->sim;
	struct mmu_cpu *mc = cpu->mmu;
	bool alike = true;

	for (unsigned i = 1; i < n && alike; i++)
		alike = entries_alike(sim, &mc->tlb.e[idx[0]], &mc->tlb.e[idx[i]], va);
	if (!alike)
		chk_tlb_conflict(cpu, va, idx, n, conflict_cause(sim, mc, va, idx, n));
	return sim_decide(sim, DECIDE_TLB_CONFLICT,
			  n + (!alike && sim_opt_bool(&sim->opt, OPT_tlb_conflict_abort) &&
			       !(sim_opt_uint(&sim->opt, OPT_bbm_level) == 2 &&
				 sim_opt_bool(&sim->opt, OPT_bbml2_noabort))));
}
