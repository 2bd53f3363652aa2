// SPDX-License-Identifier: GPL-2.0-only
/*
 * mmu: installation, the boot-time table builder, translation for the
 * engine's accessors and live-table tracking. The TLB maintenance
 * instructions are in tlbi.c.
 */
#include "mmu_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define VA_TOP 0xffff000000000000ull /* TTBR1 VAs: bits 63:48 all ones */

/* ---- live tables ----------------------------------------------------------- */

/* Packs a table's (VA base, level) as a non-NULL hash value. */
static gpointer table_pack(uint64_t va_base, int level)
{
	return GUINT_TO_POINTER((((va_base & ~VA_TOP) >> 12) << 3) | ((uint64_t)level << 1) | 1);
}

bool mmu_table_info(struct sim *sim, uint64_t pa, int *level, uint64_t *va_base)
{
	struct mmu *m = mmu_of(sim);
	uint64_t v = GPOINTER_TO_SIZE(
		g_hash_table_lookup(m->tables, GSIZE_TO_POINTER(pa >> MMU_PAGE_SHIFT)));

	if (!v)
		return false;
	*level = (v >> 1) & 3;
	*va_base = ((v >> 3) << 12) | VA_TOP;
	return true;
}

/* Makes @pa a live table at @level covering @va_base, and its subtables too. */
static void table_attach(struct sim *sim, uint64_t pa, int level, uint64_t va_base)
{
	struct mmu *m = mmu_of(sim);

	g_hash_table_insert(m->tables, GSIZE_TO_POINTER(pa >> MMU_PAGE_SHIFT),
			    table_pack(va_base, level));
	pmem_set_flags(sim->mem, pa, PMEM_F_HOOK);
	if (level == 3)
		return;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t d = pmem_read(sim->mem, pa + i * 8, 8);

		if (mmu_desc_is_table(d, level))
			table_attach(sim, d & DESC_OA_MASK, level + 1,
				     va_base + ((uint64_t)i << mmu_level_shift(level)));
	}
}

/* A table left the live tree: stores to it no longer change translations. */
static void table_detach(struct sim *sim, uint64_t pa, int level)
{
	struct mmu *m = mmu_of(sim);

	if (!g_hash_table_remove(m->tables, GSIZE_TO_POINTER(pa >> MMU_PAGE_SHIFT)))
		return;
	pmem_clear_flags(sim->mem, pa, PMEM_F_HOOK);
	if (level == 3)
		return;
	for (unsigned i = 0; i < 512; i++) {
		uint64_t d = pmem_read(sim->mem, pa + i * 8, 8);

		if (mmu_desc_is_table(d, level))
			table_detach(sim, d & DESC_OA_MASK, level + 1);
	}
}

/* Raises @t's bounds to @s's. */
static void scope_join(struct mmu_scope *t, const struct mmu_scope *s)
{
	t->inval = mmu_max64(t->inval, s->inval);
	t->rinval = mmu_max64(t->rinval, s->rinval);
	t->rinval_f = mmu_max64(t->rinval_f, s->rinval_f);
}

/* Does @s hold nothing above the bounds every VA has? */
static bool scope_spent(const struct mmu_cpu *mc, const struct mmu_scope *s)
{
	return s->inval <= mc->inval_seq && s->rinval <= mc->rinval_seq &&
	       s->rinval_f <= mc->rinval_f;
}

static void scope_apply_all(struct mmu_cpu *mc, const struct mmu_scope *s)
{
	unsigned keep = 0;

	mc->inval_seq = mmu_max64(mc->inval_seq, s->inval);
	mc->rinval_seq = mmu_max64(mc->rinval_seq, s->rinval);
	mc->rinval_f = mmu_max64(mc->rinval_f, s->rinval_f);
	for (unsigned i = 0; i < mc->nscopes; i++)
		if (!scope_spent(mc, &mc->scopes[i]))
			mc->scopes[keep++] = mc->scopes[i];
	mc->nscopes = keep;
}

/*
 * Raises @mc's bounds for the VAs in [s->start, s->end). An invalidation
 * by VA removes only the entries (leaf and walk cache) of walks through
 * them: the other VAs keep what they may use (the TLBI VAE1IS
 * description: entries "used to translate the specified VA", from any
 * level of the walk; herd7's TLBI-after relates a TLBI to the walks of
 * the VAs it covers only).
 */
static void scope_raise(struct mmu_cpu *mc, struct mmu_scope s)
{
	struct mmu_scope *t;

	if (s.start == 0 && s.end == UINT64_MAX) {
		scope_apply_all(mc, &s);
		return;
	}
	if (scope_spent(mc, &s))
		return;
	for (unsigned i = 0; i < mc->nscopes; i++) {
		t = &mc->scopes[i];
		if (t->start == s.start && t->end == s.end) {
			scope_join(t, &s);
			return;
		}
	}
	if (mc->nscopes == MMU_MAX_SCOPES) {
		/* No room: the oldest then holds for every VA (fewer choices, never more). */
		struct mmu_scope old = mc->scopes[0];

		memmove(&mc->scopes[0], &mc->scopes[1], --mc->nscopes * sizeof(mc->scopes[0]));
		scope_apply_all(mc, &old);
	}
	mc->scopes[mc->nscopes++] = s;
}

void mmu_scope_bounds(const struct mmu_cpu *mc, uint64_t lo, uint64_t hi, struct mmu_scope *b)
{
	*b = (struct mmu_scope){lo, hi, mc->inval_seq, mc->rinval_seq, mc->rinval_f};
	for (unsigned i = 0; i < mc->nscopes; i++) {
		const struct mmu_scope *s = &mc->scopes[i];

		if (s->start <= hi && s->end - 1 >= lo)
			scope_join(b, s);
	}
}

/* Invalidation of this TLB; what it dropped will be walked afresh anyway. */
void mmu_tlb_invalidate(struct mmu_cpu *mc, uint64_t start, uint64_t end, bool last_level)
{
	tlb_invalidate(&mc->tlb, start, end, last_level);
	scope_raise(mc, (struct mmu_scope){start, end, mc->m->seq, 0, 0});
}

uint64_t mmu_tlbi_perform(struct mmu_cpu *mc, const struct tlbi_op *op, bool remote,
			  bool completing)
{
	uint64_t seq = mc->m->seq < op->seq ? mc->m->seq : op->seq;

	tlb_invalidate(&mc->tlb, op->start, op->end, op->last_level);
	scope_raise(mc, (struct mmu_scope){op->start, op->end, seq, remote ? seq : 0,
					   remote && !completing ? seq : 0});
	return seq;
}

void mmu_rinval_record(struct mmu_cpu *mc, uint64_t seq, bool ordered, uint64_t view, uint64_t now,
		       uint64_t start, uint64_t end)
{
	if (!ordered) {
		scope_raise(mc, (struct mmu_scope){start, end, 0, 0, seq});
		return;
	}
	if (mc->nrecs == MMU_MAX_RECS) {
		/* No room: the oldest then bounds every access to its VAs. */
		const struct mmu_rinval *r = &mc->recs[0];

		scope_raise(mc, (struct mmu_scope){r->start, r->end, 0, 0, r->seq});
		memmove(&mc->recs[0], &mc->recs[1], --mc->nrecs * sizeof(mc->recs[0]));
	}
	mc->recs[mc->nrecs++] = (struct mmu_rinval){seq, view, now, start, end};
}

/* A block size for SIM_OBJ_TLB_VA: 2^48 is every VA. */
static unsigned note_shift(unsigned shift)
{
	return shift > SIM_OBJ_VA_BITS ? SIM_OBJ_VA_BITS : shift;
}

void mmu_note_tlb_range(struct sim_cpu *cpu, unsigned tlb, uint64_t start, uint64_t end)
{
	unsigned shift = MMU_PAGE_SHIFT;

	if (!cpu->sim->explorer)
		return;
	/* The smallest aligned block holding [start, end). */
	while (shift < SIM_OBJ_VA_BITS && (start >> shift) != ((end - 1) >> shift))
		shift++;
	sim_note(cpu, SIM_OBJ_TLB_VA(tlb, start, shift), true);
}

static void mmu_store_hook(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t old,
			   uint64_t val)
{
	struct sim *sim = cpu->sim;
	struct mmu *m = mmu_of(sim);
	uint64_t slot = pa & ~7ull, va_base, va, old64, new64, floor;
	/*
	 * The running step, whose CPU is @cpu but for a hardware update made
	 * visible by another's step (hafdbs.c), or none at the end of the run.
	 */
	struct sim_cpu *step = sim_current(sim);
	int level;

	if (!mmu_table_info(sim, pa, &level, &va_base)) {
		if (step)
			sim_note(step, SIM_OBJ_TLB_ALL,
				 true); /* a hooked page, not a table: as before */
		if (m->prev_store_hook)
			m->prev_store_hook(cpu, pa, size, old, val);
		return;
	}
	new64 = pmem_read(sim->mem, slot, 8);
	if (size == 8) {
		old64 = old;
	} else {
		unsigned sh = (pa & 7) * 8;
		uint64_t mask = ((1ull << (size * 8)) - 1) << sh;

		old64 = (new64 & ~mask) | ((old << sh) & mask);
	}
	/*
	 * A store of the value the slot holds changes no translation. But a
	 * walk may have read the value before it and its hardware update then
	 * goes before the store in coherence, overwritten (hw.c): with such a
	 * value, the store is history as a change is (herd7
	 * S+dmb.st+data-HUdb: Allowed).
	 */
	if (old64 == new64 && !hw_updatable(m, new64, level))
		return;
	va = va_base + (((slot & (MMU_PAGE_SIZE - 1)) >> 3) << mmu_level_shift(level));
	/*
	 * For exploration (litmus/dpor.h): what the TLBs may hold for the VAs
	 * the slot maps (its history feeds fills and early walks of those
	 * VAs only), and the store sequence and AF=0 set every lookup's gates
	 * read.
	 */
	if (step) {
		sim_note(step,
			 SIM_OBJ_TLB_VA(SIM_OBJ_TLB_VA_ALL, va, note_shift(mmu_level_shift(level))),
			 true);
		sim_note(step, SIM_OBJ_TLB_SEQ, true);
	}
	if (cpu && cpu->mmu && !((struct mmu_cpu *)cpu->mmu)->st_open) {
		((struct mmu_cpu *)cpu->mmu)->st_open = true;
		((struct mmu_cpu *)cpu->mmu)->st_seq = m->seq;
	}
	floor = cpu && cpu->access.has_floor && !m->hw_writing ? cpu->access.floor : UINT64_MAX;
	hw_desc_stored(sim, slot, level, va, old64, new64,
		       m->hw_writing || (cpu && cpu->access.atomic), floor);
	if (old64 == new64)
		return;
	/* Before the checker, which may end the run at this very store. */
	if (cpu && sim_events_on(sim))
		sim_instant_detail(cpu,
				   !(new64 & 1)	  ? "break"
				   : !(old64 & 1) ? "make"
						  : "update",
				   "va %#" PRIx64 " level %d: %#" PRIx64 " -> %#" PRIx64, va, level,
				   old64, new64);
	chk_desc_store(cpu, slot, level, va, old64, new64);

	if (mmu_desc_is_table(old64, level) &&
	    (!mmu_desc_is_table(new64, level) || ((old64 ^ new64) & DESC_OA_MASK)))
		table_detach(sim, old64 & DESC_OA_MASK, level + 1);
	if (mmu_desc_is_table(new64, level) &&
	    (!mmu_desc_is_table(old64, level) || ((old64 ^ new64) & DESC_OA_MASK)))
		table_attach(sim, new64 & DESC_OA_MASK, level + 1, va);
}

/* ---- translation ----------------------------------------------------------- */

/* Would performing @op change what a lookup or walk of @va uses? */
static bool op_affects(struct mmu_cpu *mc, const struct tlbi_op *op, uint64_t va)
{
	uint32_t idx[TLB_MAX_MATCH];
	unsigned n = tlb_lookup(&mc->tlb, va, idx, TLB_MAX_MATCH);
	struct tlb_walk *w;

	for (unsigned i = 0; i < n; i++) {
		const struct tlb_entry *e = &mc->tlb.e[idx[i]];

		if (e->va <= op->end - 1 && op->start <= e->va + ((1ull << e->shift) - 1))
			return true;
	}
	if (op->last_level)
		return false;
	w = tlb_walk_lookup(&mc->tlb, va);
	return w && w->va <= op->end - 1 &&
	       op->start <= w->va + ((1ull << mmu_level_shift(w->level)) - 1);
}

static void pending_remove(struct mmu_cpu *mc, unsigned i)
{
	memmove(&mc->pending[i], &mc->pending[i + 1],
		(mc->npending - i - 1) * sizeof(mc->pending[0]));
	mc->npending--;
}

/*
 * Broadcast TLBIs are performed on a remote TLB lazily: only when one would
 * change what this lookup sees is it a decision whether it has arrived.
 * Performing it earlier could not be observed, so no schedule is lost.
 */
static void sync_pending(struct sim_cpu *cpu, uint64_t va)
{
	struct mmu_cpu *mc = cpu->mmu;

	for (unsigned i = 0; i < mc->npending;) {
		struct tlbi_op *op = &mc->pending[i];

		if (!op_affects(mc, op, va) || !sim_decide(cpu->sim, DECIDE_TLBI_REACH, 2)) {
			i++;
			continue;
		}
		mmu_note_tlb_range(cpu, cpu->id, op->start, op->end);
		mmu_tlbi_perform(mc, op, op->issuer != cpu->id, false);
		pending_remove(mc, i);
	}
}

/*
 * For exploration (litmus/dpor.h): a lookup of @va writes its TLB's
 * entries for the largest block holding one it matches, or the walk-cache
 * entry a walk of @va would start from (a TLBI of any VA in that block
 * changes what this lookup uses), a page at least; not the whole TLB, so
 * it commutes with TLBIs and table stores for other VAs.
 */
static void note_lookup(struct sim_cpu *cpu, uint64_t va)
{
	struct mmu_cpu *mc = cpu->mmu;
	uint32_t idx[TLB_MAX_MATCH];
	unsigned shift = MMU_PAGE_SHIFT, n;
	struct tlb_walk *w;

	struct mmu_result r;
	struct mmu_fault f;
	bool stale = true;

	if (!cpu->sim->explorer)
		return;
	n = tlb_lookup(&mc->tlb, va, idx, TLB_MAX_MATCH);
	for (unsigned i = 0; i < n; i++)
		if (mc->tlb.e[idx[i]].shift > shift)
			shift = mc->tlb.e[idx[i]].shift;
	w = tlb_walk_lookup(&mc->tlb, va);
	if (w && mmu_level_shift(w->level) > shift)
		shift = mmu_level_shift(w->level);
	sim_note(cpu, SIM_OBJ_TLB_VA(cpu->id, va, note_shift(shift)), true);
	/*
	 * What every table store and TLBI completion changes, whatever its
	 * VA: the store sequence (hw_fill()'s gate, which matters only when
	 * the TLB holds an entry for @va other than a fresh walk's), the
	 * bounds of fills and early walks (which matter only when a slot on
	 * @va's walk has a history) and the AF=0 leaves. Each condition
	 * holds in both orders of this lookup and a step it commutes with.
	 */
	if (n && !ptw_walk(cpu->sim, NULL, va, &r, &f))
		for (unsigned i = 0; i < n && stale; i++)
			stale = !(mc->tlb.e[idx[i]].desc == r.desc &&
				  mc->tlb.e[idx[i]].desc_pa == r.desc_pa);
	else
		stale = false;
	if (stale || mc->m->ha || hw_path_has_history(cpu->sim, va))
		sim_note(cpu, SIM_OBJ_TLB_SEQ, false);
}

void mmu_note_dsb(struct sim_cpu *cpu)
{
	struct sim *sim = cpu->sim;
	struct mmu_cpu *mc = cpu->mmu;

	if (!sim->explorer || !mc->outstanding)
		return;
	/*
	 * Completing this CPU's broadcast TLBIs performs them on every TLB
	 * still holding them, raises those TLBs' early-walk bounds, and
	 * orders the accesses other CPUs made through the VAs they cover
	 * (sim/arm/mm_tlbi.c): the TLB entries of those VAs, everywhere.
	 */
	for (unsigned i = 0; i < mc->outstanding; i++) {
		mmu_note_tlb_range(cpu, SIM_OBJ_TLB_VA_ALL, mc->issued[i].start, mc->issued[i].end);
		mmu_note_tlb_range(cpu, SIM_OBJ_TLB_VA_USES, mc->issued[i].start,
				   mc->issued[i].end);
	}
	sim_note(cpu, SIM_OBJ_TLB_SEQ, true);
}

/* A permission fault on the leaf @res found: -1, as mmu_translate() returns it. */
static int permission_fault(uint64_t va, bool write, const struct mmu_result *res,
			    struct mmu_fault *f)
{
	memset(f, 0, sizeof(*f));
	f->type = MMU_FAULT_PERMISSION;
	f->level = res->level;
	f->va = va;
	f->desc = res->desc;
	f->desc_pa = res->desc_pa;
	f->write = write;
	return -1;
}

int mmu_translate(struct sim_cpu *cpu, uint64_t va, bool write, struct mmu_result *res,
		  struct mmu_fault *f)
{
	struct sim *sim = cpu->sim;
	struct mmu *m = mmu_of(sim);
	struct mmu_cpu *mc = cpu->mmu;
	unsigned n;
	int early = 1;
	uint64_t strict, tbound;

	note_lookup(cpu, va);
	if (m->ha && !m->af0_scanned)
		hw_af0_scan(sim);
	if (m->naf0)
		hw_af_spec(cpu);
	if (mc->npending)
		sync_pending(cpu, va);
	if (m->seq > mc->inval_seq)
		hw_fill(cpu, va);
	note_lookup(cpu, va); /* what hw_fill() filled */
	struct mmu_memo *memo = &mc->memo[(va >> MMU_PAGE_SHIFT) & (MMU_NR_MEMO - 1)];
	if (memo->gen == mc->tlb.gen && memo->page == va >> MMU_PAGE_SHIFT) {
		n = memo->n;
	} else {
		n = tlb_lookup(&mc->tlb, va, memo->idx, TLB_MAX_MATCH);
		memo->n = n;
		memo->gen = mc->tlb.gen;
		memo->page = va >> MMU_PAGE_SHIFT;
	}
	/*
	 * Without FEAT_ETS2 the access may use a walk done before an earlier
	 * instruction completed (hw_early_walk()), whatever the TLB holds now:
	 * herd7 RaR-PTE, coRR-pte7 (a later load faults on a value older than
	 * the one an earlier load's walk read).
	 */
	if (!sim_opt_bool(&sim->opt, OPT_ets2) && m->seq > mc->rinval_f && m->seq > mc->cse_seq &&
	    m->seq > hw_early_bound(cpu, va & ~(MMU_PAGE_SIZE - 1), va | (MMU_PAGE_SIZE - 1),
				    &strict, &tbound))
		early = hw_early_walk(cpu, va, res, f);
	if (early < 0)
		return -1;
	if (!early || early == 2) {
		/* res holds the early walk's translation. */
	} else if (n) {
		const uint32_t *idx = memo->idx;
		struct tlb_entry *e;
		unsigned k = 0;

		sim_tick(cpu, COST_tlb_hit);
		if (n > 1) {
			sim_note(cpu, SIM_OBJ_CHECKER, true); /* it judges the entries */
			k = tlb_conflict_pick(cpu, va, idx, n);
			if (k == n) {
				e = &mc->tlb.e[idx[0]];
				memset(f, 0, sizeof(*f));
				f->type = MMU_FAULT_TLB_CONFLICT;
				f->level = e->level;
				f->va = va;
				f->write = write;
				f->desc = e->desc;
				f->desc_pa = e->desc_pa;
				return -1;
			}
		}
		e = &mc->tlb.e[idx[k]];
		if (e->epoch != chk_epoch(sim))
			chk_tlb_use(cpu, va, e);
		res->pa = e->pa + (va - e->va);
		res->desc = e->desc;
		res->desc_pa = e->desc_pa;
		res->level = e->level;
		res->tlb_hit = true;
		res->early = false;
	} else {
		if (ptw_walk(sim, cpu, va, res, f))
			return -1;
		tlb_insert(sim, &mc->tlb, va, res, chk_epoch(sim));
	}
	/* At EL0, AP[1] first: no dirty-state update gives an access AP[1] forbids. */
	if (mc->el0 && !(res->desc & DESC_AP_EL0))
		return permission_fault(va, write, res, f);
	/* Then AP[2] (PAN is not modelled: no EL1 access to EL0 memory is refused). */
	if (write && !mmu_desc_writable(res->desc) && mc->hd && (res->desc & DESC_DBM)) {
		int r = hw_set_dirty(cpu, va, res, f, !early);

		if (r <= 0)
			return r;
	}
	if (write && !mmu_desc_writable(res->desc))
		return permission_fault(va, write, res, f);
	/* An explicit access to a descriptor sees hardware updates, or not yet (hafdbs.c). */
	if (m->ha && (pmem_flags(sim->mem, res->pa) & PMEM_F_HOOK))
		hw_access_observe(cpu, res->pa & ~7ull, write);
	chk_access(cpu, va, res, write);
	return 0;
}

static int mmu_translate_hook(struct sim_cpu *cpu, uint64_t va, unsigned size, bool write,
			      uint64_t *pa)
{
	struct mmu_cpu *mc = cpu->mmu;
	struct mmu_result r;
	struct mmu_fault f;
	bool uncacheable;

	/*
	 * The access uses the translation in this step, the walk's last: a
	 * TLBI's completion orders it (sim/arm/mm_tlbi.c) if it comes after.
	 */
	int ret = mmu_translate(cpu, va, write, &r, &f);

	if (cpu->sim->explorer)
		sim_note(cpu, SIM_OBJ_TLB_VA(SIM_OBJ_TLB_VA_USES, va, MMU_PAGE_SHIFT), false);
	if (!ret) {
		*pa = r.pa;
		cpu->access.desc_pa = r.desc_pa;
		/* The value the walk read: a hardware update of it may still wait (hafdbs.c). */
		cpu->access.desc =
			mmu_of(cpu->sim)->nupd ? hw_desc_read(cpu->sim, r.desc_pa, r.desc) : r.desc;
		cpu->access.translated = true;
		return 0;
	}
	f.write = write;
	/* FEAT_ETS2 orders the walk of a fault no TLB could hold after earlier accesses. */
	uncacheable = f.type == MMU_FAULT_TRANSLATION || f.type == MMU_FAULT_ACCESS_FLAG;
	/* The faulting access used the translation it faulted on (herd7's TLBI-ob). */
	cpu_memory_fault(cpu, f.desc_pa, f.desc,
			 uncacheable && sim_opt_bool(&cpu->sim->opt, OPT_ets2));
	/*
	 * The abort's exception entry and return are context synchronisation
	 * events, for the memory model too (an ISB's ordering; not an
	 * interrupt's, which also sees what a DSB completed).
	 */
	hw_context_sync(cpu);
	cpu_barrier(cpu, CPU_ISB);
	if (mc->handler && mc->handler(cpu, &f, mc->handler_arg) == MMU_FAULT_RETRY) {
		hw_context_sync(cpu);
		cpu_barrier(cpu, CPU_ISB);
		return 1;
	}
	sim_note(cpu, SIM_OBJ_CHECKER, false); /* a break in progress? */
	chk_unhandled_fault(cpu, &f);
	return -1; /* --keep-going: the faulting access is dropped */
}

void mmu_set_fault_handler(struct sim_cpu *cpu, mmu_fault_handler_t fn, void *arg)
{
	struct mmu_cpu *mc = cpu->mmu;

	mc->handler = fn;
	mc->handler_arg = arg;
}

int mmu_set_hafdbs(struct sim_cpu *cpu, bool ha, bool hd)
{
	struct mmu_cpu *mc = cpu->mmu;

	if ((ha && !mc->m->ha) || (hd && !mc->m->hd))
		return -1;
	mc->hd = hd;
	mc->ha = ha || hd; /* herd7: "as far as we know hd => ha" */
	return 0;
}

void mmu_set_el0(struct sim_cpu *cpu, bool el0)
{
	((struct mmu_cpu *)cpu->mmu)->el0 = el0;
}

int mmu_load_nofault(struct sim_cpu *cpu, uint64_t va, unsigned size, uint64_t *val)
{
	struct mmu_result r;
	struct mmu_fault f;

	sim_yield(cpu);
	if (mmu_translate(cpu, va, false, &r, &f))
		return -1;
	sim_tick(cpu, COST_load);
	*val = pmem_read(cpu->sim->mem, r.pa, size);
	return 0;
}

int mmu_store_nofault(struct sim_cpu *cpu, uint64_t va, unsigned size, uint64_t val)
{
	struct mmu_result r;
	struct mmu_fault f;

	sim_yield(cpu);
	if (mmu_translate(cpu, va, true, &r, &f))
		return -1;
	cpu_store_pa(cpu, r.pa, size, val);
	return 0;
}

/* ---- setup ------------------------------------------------------------------ */

uint64_t mmu_alloc_table_page(struct sim *sim)
{
	struct mmu *m = mmu_of(sim);
	uint64_t pa = m->pool_next;

	if (pa >= m->pool_end)
		return 0;
	m->pool_next += MMU_PAGE_SIZE;
	pmem_zero_page(sim->mem, pa);
	return pa;
}

int mmu_boot_map(struct sim *sim, uint64_t va, uint64_t pa, uint64_t size, uint64_t prot,
		 int leaf_level)
{
	struct mmu *m = mmu_of(sim);
	uint64_t step;

	if (leaf_level < 1 || leaf_level > 3)
		return -1;
	step = 1ull << mmu_level_shift(leaf_level);
	if ((va | pa | size) & (step - 1) || (va >> MMU_VA_BITS) != 0xffff)
		return -1;
	for (uint64_t off = 0; off < size; off += step) {
		uint64_t table = m->ttbr1, v = va + off, slot, old, new;

		for (int level = 0; level < leaf_level; level++) {
			uint64_t d;

			slot = table + ((v >> mmu_level_shift(level)) & 511) * 8;
			d = pmem_read(sim->mem, slot, 8);
			if (!mmu_desc_valid(d)) {
				uint64_t nt = mmu_alloc_table_page(sim);

				if (!nt)
					return -1;
				d = mmu_mk_table(nt);
				pmem_write(sim->mem, slot, 8, d);
				table_attach(sim, nt, level + 1,
					     v & ~((1ull << mmu_level_shift(level)) - 1));
			} else if (!mmu_desc_is_table(d, level)) {
				return -1; /* a block is in the way */
			}
			table = d & DESC_OA_MASK;
		}
		slot = table + ((v >> mmu_level_shift(leaf_level)) & 511) * 8;
		old = pmem_read(sim->mem, slot, 8);
		new = mmu_mk_leaf(pa + off, prot, leaf_level);
		if (mmu_desc_valid(old) && old != new)
			return -1;
		pmem_write(sim->mem, slot, 8, new);
	}
	return 0;
}

uint64_t mmu_slot_pa(struct sim *sim, uint64_t va, int level)
{
	struct mmu *m = mmu_of(sim);
	uint64_t table = m->ttbr1;

	for (int l = 0; l < level; l++) {
		uint64_t d = pmem_read(sim->mem, table + ((va >> mmu_level_shift(l)) & 511) * 8, 8);

		if (!mmu_desc_is_table(d, l))
			return UINT64_MAX;
		table = d & DESC_OA_MASK;
	}
	return table + ((va >> mmu_level_shift(level)) & 511) * 8;
}

int mmu_walk_host(struct sim *sim, uint64_t va, struct mmu_result *res, struct mmu_fault *f)
{
	return ptw_walk(sim, NULL, va, res, f);
}

int mmu_install(struct sim *sim, char *err, size_t errlen)
{
	uint64_t memsz = pmem_size(sim->mem);
	struct mmu *m;

	if (sim->mmu) {
		snprintf(err, errlen, "the MMU is already installed");
		return -1;
	}
	if (sim->kdata_next != SIM_KDATA_BASE) {
		snprintf(err, errlen, "kernel data was allocated before the MMU mapped it");
		return -1;
	}
	if (memsz < MMU_PGTABLE_BASE + MMU_PGTABLE_SIZE) {
		snprintf(err, errlen, "memory too small for the page-table pool");
		return -1;
	}
	if (strcmp(sim_opt_str(&sim->opt, OPT_hafdbs), "none") &&
	    strcmp(sim_opt_str(&sim->opt, OPT_hafdbs), "af") &&
	    strcmp(sim_opt_str(&sim->opt, OPT_hafdbs), "afdb")) {
		snprintf(err, errlen, "--hafdbs: expected none, af or afdb, not '%s'",
			 sim_opt_str(&sim->opt, OPT_hafdbs));
		return -1;
	}
	m = g_new0(struct mmu, 1);
	sim->mmu = m;
	m->ha = strcmp(sim_opt_str(&sim->opt, OPT_hafdbs), "none") != 0;
	m->hd = strcmp(sim_opt_str(&sim->opt, OPT_hafdbs), "afdb") == 0;
	m->tables = g_hash_table_new(NULL, NULL);
	m->pool_next = MMU_PGTABLE_BASE;
	m->pool_end = MMU_PGTABLE_BASE + MMU_PGTABLE_SIZE;
	m->ttbr1 = mmu_alloc_table_page(sim);
	table_attach(sim, m->ttbr1, 0, VA_TOP);
	m->chk = chk_create(sim);
	hw_init(sim);
	m->views = cpu_memory_views(sim);
	for (unsigned i = 0; i < sim->ncpus; i++) {
		struct mmu_cpu *mc = g_new0(struct mmu_cpu, 1);

		mc->m = m;
		mc->ha = m->ha;
		mc->hd = m->hd;
		mc->done = g_new0(struct tlbi_done, sim->ncpus);
		tlb_init(&mc->tlb, sim_opt_uint(&sim->opt, OPT_tlb_entries),
			 sim_opt_uint(&sim->opt, OPT_walk_cache_entries));
		sim->cpus[i].mmu = mc;
	}
	/* The linear map, in 1 GiB blocks as arm64 maps it without rodata=full. */
	if (mmu_boot_map(sim, MMU_PAGE_OFFSET, 0, memsz & ~(MMU_PUD_SIZE - 1), MMU_PROT_KERNEL,
			 1)) {
		snprintf(err, errlen, "cannot build the linear map");
		mmu_teardown(sim);
		return -1;
	}
	sim->kdata_offset = MMU_PAGE_OFFSET;
	sim->hooks.translate = mmu_translate_hook;
	m->prev_store_hook = sim->hooks.store_hook;
	sim->hooks.store_hook = mmu_store_hook;
	sim->hooks.context_sync = hw_context_sync;
	sim->hooks.run_end = hw_run_end;
	return 0;
}

void mmu_teardown(struct sim *sim)
{
	struct mmu *m = mmu_of(sim);

	if (!m)
		return;
	for (unsigned i = 0; i < sim->ncpus; i++) {
		struct mmu_cpu *mc = sim->cpus[i].mmu;

		if (!mc)
			continue;
		tlb_free(&mc->tlb);
		g_free(mc->pending);
		g_free(mc->done);
		g_free(mc->issued);
		g_free(mc);
		sim->cpus[i].mmu = NULL;
	}
	if (sim->hooks.translate == mmu_translate_hook)
		sim->hooks.translate = NULL;
	if (sim->hooks.store_hook == mmu_store_hook)
		sim->hooks.store_hook = m->prev_store_hook;
	chk_destroy(m->chk);
	hw_free(m);
	if (sim->hooks.context_sync == hw_context_sync)
		sim->hooks.context_sync = NULL;
	if (sim->hooks.run_end == hw_run_end)
		sim->hooks.run_end = NULL;
	g_hash_table_destroy(m->tables);
	g_free(m);
	sim->mmu = NULL;
}

/* ---- inspection ----------------------------------------------------------- */

const char *mmu_fault_name(enum mmu_fault_type t)
{
	switch (t) {
	case MMU_FAULT_TRANSLATION:
		return "translation";
	case MMU_FAULT_ACCESS_FLAG:
		return "access-flag";
	case MMU_FAULT_PERMISSION:
		return "permission";
	case MMU_FAULT_TLB_CONFLICT:
		return "tlb-conflict";
	default:
		return "none";
	}
}

void mmu_desc_str(uint64_t d, int level, char *buf, size_t len)
{
	if (!mmu_desc_valid(d))
		snprintf(buf, len, "%#" PRIx64 " (L%d invalid)", d, level);
	else if (mmu_desc_is_table(d, level))
		snprintf(buf, len, "%#" PRIx64 " (L%d table %#" PRIx64 ")", d, level,
			 (uint64_t)(d & DESC_OA_MASK));
	else if (!mmu_desc_is_leaf(d, level))
		snprintf(buf, len, "%#" PRIx64 " (L%d reserved)", d, level);
	else
		snprintf(buf, len, "%#" PRIx64 " (L%d %s oa=%#" PRIx64 " %s attr=%u sh=%u%s%s%s%s)",
			 d, level, level == 3 ? "page" : "block", mmu_desc_oa(d, level),
			 mmu_desc_writable(d) ? "RW" : "RO",
			 (unsigned)((d & DESC_ATTRINDX_MASK) >> 2), (unsigned)((d >> 8) & 3),
			 d & DESC_AF ? " AF" : "", d & DESC_NG ? " nG" : "",
			 d & DESC_CONT ? " cont" : "", d & DESC_NT ? " nT" : "");
}

unsigned mmu_tlb_count_va(struct sim_cpu *cpu, uint64_t va)
{
	struct mmu_cpu *mc = cpu->mmu;
	uint32_t idx[TLB_MAX_MATCH];

	return tlb_lookup(&mc->tlb, va, idx, TLB_MAX_MATCH);
}

unsigned mmu_walk_cache_count_va(struct sim_cpu *cpu, uint64_t va)
{
	struct mmu_cpu *mc = cpu->mmu;
	unsigned n = 0;

	for (uint32_t i = 0; i < mc->tlb.wcap; i++) {
		const struct tlb_walk *w = &mc->tlb.w[i];
		unsigned shift = mmu_level_shift(w->level);

		if (w->used && (va >> shift) == (w->va >> shift))
			n++;
	}
	return n;
}

unsigned mmu_tlb_size(struct sim_cpu *cpu)
{
	return ((struct mmu_cpu *)cpu->mmu)->tlb.nr;
}

unsigned mmu_walk_cache_size(struct sim_cpu *cpu)
{
	return ((struct mmu_cpu *)cpu->mmu)->tlb.wnr;
}

unsigned mmu_tlbi_pending(struct sim_cpu *cpu)
{
	return ((struct mmu_cpu *)cpu->mmu)->npending;
}
