// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Arm data memory model (--memory arm), after Promising-ARM (Pulte et
 * al., PLDI 2019, section 3 and figure 4; "the paper" below). Memory is a
 * list of messages with timestamps, kept per 8-byte word; each CPU has
 * views (timestamps) that bound what it may still read:
 *
 *   vrold, vwold  the latest view of a read / write it performed
 *   vrnew, vwnew  what every later read / write must be ordered after
 *                 (raised by DMB, acquire, ISB)
 *   vcap          addresses and branches so far (a control or
 *                 address-po dependency; ISB turns it into vrnew)
 *   vrel          its latest release store (an LDAR is RCsc after it)
 *   coh[x]        the latest message of x it read or wrote
 *   fwd[x]        its latest store to x: a load reading that message takes
 *                 the store's dependency view instead of its timestamp
 *
 * A load of x with view vpre may read the latest message of x at or
 * before max(vpre, coh[x]), or any later one: that choice is a recorded
 * decision (read-from). A store waits in the CPU's pending list until it
 * propagates (a recorded decision, propagate, at the CPU's next access)
 * and takes a timestamp then: the paper's promise of a store already
 * executed. A store not reached yet is promised only by a CPU whose
 * program declared its values (cpu_promise_values(); the paper's promise
 * step with the value guessed, fulfilled by the paper's write rule, its
 * certification checked lazily): docs/memmodel.md.
 */
#include "memmodel_internal.h"
#include "mmu.h"
#include "sim/pmem.h"

#include <glib.h>
#include <string.h>

static void loc_free(gpointer p)
{
	struct mm_loc *l = p;

	g_free(l->msg);
	g_free(l->c);
	g_free(l);
}

static void *mm_create(struct sim *sim)
{
	struct mm *m = g_new0(struct mm, 1);

	m->sim = sim;
	m->locs = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL, loc_free);
	m->written = g_hash_table_new(NULL, NULL);
	m->cpu = g_new0(struct mm_cpu, sim->ncpus);
	return m;
}

static void mm_destroy(void *state)
{
	struct mm *m = state;

	if (!m)
		return;
	g_hash_table_destroy(m->locs);
	g_hash_table_destroy(m->written);
	mm_uses_free(m);
	g_free(m->cpu);
	g_free(m);
}

/*
 * The next timestamp. Timestamps order messages of every word, so for
 * exploration (litmus/dpor.h) two steps taking one do not commute.
 */
uint64_t mm_next_ts(struct mm *m)
{
	if (m->sim->cur)
		sim_note(m->sim->cur, SIM_OBJ_MEM_ORDER, true);
	return ++m->now;
}

void mm_loc_push(struct mm_loc *l, uint64_t ts, uint64_t val)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 4;
		l->msg = g_renew(struct mm_msg, l->msg, l->cap);
	}
	l->msg[l->n++] = (struct mm_msg){.ts = ts, .val = val, .prom = 0};
}

/*
 * Forgets messages no CPU can read any more: those before the latest one
 * at or below every CPU's floor max(vrnew, coh[x]); past MM_HISTORY_MAX,
 * the oldest (docs/memmodel.md).
 */
static void loc_prune(struct mm *m, struct mm_loc *l)
{
	uint64_t floor = UINT64_MAX;
	unsigned keep = 0;

	for (unsigned i = 0; i < m->sim->ncpus; i++)
		floor = MIN(floor, vmax(m->cpu[i].vrnew, l->c[i].coh));
	while (keep + 1 < l->n && l->msg[keep + 1].ts <= floor)
		keep++;
	if (l->n - keep > MM_HISTORY_MAX)
		keep = l->n - MM_HISTORY_MAX;
	if (keep) {
		memmove(l->msg, l->msg + keep, (l->n - keep) * sizeof(*l->msg));
		l->n -= keep;
	}
}

/*
 * The word's record; its latest message is what pmem holds. A word
 * written in pmem by someone else (host, walker-side or written-through
 * stores) gets a new message first, as if that store had just happened.
 */
static struct mm_loc *loc_get(struct mm *m, uint64_t pa)
{
	uint64_t word = pa >> 3;
	uint64_t now = pmem_read(m->sim->mem, word << 3, 8);
	struct mm_loc *l = g_hash_table_lookup(m->locs, &word);

	if (!l) {
		l = g_new0(struct mm_loc, 1);
		l->word = word;
		l->c = g_new0(struct mm_cpuloc, m->sim->ncpus);
		mm_loc_push(l, 0, now);
		g_hash_table_insert(m->locs, &l->word, l);
		pmem_set_flags(m->sim->mem, word << 3, MM_F_TRACKED);
	} else if (l->msg[l->n - 1].val != now) {
		mm_loc_push(l, mm_next_ts(m), now);
	}
	return l;
}

/*
 * Is the value the word at @pa had when the latest timestamp was @ts
 * still known: a message, or pmem unchanged since? Written directly
 * (mm_written()) at or after @ts, a word no message held lost it.
 */
static uint64_t mm_now(struct sim *sim)
{
	return ((struct mm *)sim->memory_state)->now;
}

/*
 * What a context synchronisation event orders the walks after it after
 * (herd7's CSE-ob): a read with a control or address dependency to it and
 * earlier walks (vcap), what a DSB ordered (vdsb), and what an exception
 * entry takes. Not a DMB's or an acquire's order: those reach explicit
 * accesses and faults, not the CSE (bob; herd7 NT-10-dsb+dmbld-isb:
 * Allowed).
 */
static uint64_t mm_cse_view(struct sim_cpu *cpu)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];

	return vmax(vmax(c->vdsb, c->vcap), c->vexc);
}

/*
 * A TLBI waits for what a DSB ordered before it (herd7
 * MP+dmb.st+dsb.ld-tlbi-dsb-isb: Forbidden; with DSB ST, Allowed), for its
 * operand (MP+dmb.st+addr-tlbi-dsb.ish-isb), and, as a store is, for the
 * branches before it (V2I-W+R-CTRL-TLBI-DSB.ISH-ISB-R: vcap); vrnew and
 * vwnew add DMB's order too (stricter than herd7 may be).
 */
static uint64_t mm_tlbi_view(struct sim_cpu *cpu, cpu_dep_t dep)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];
	uint64_t v = vmax(vmax(c->vdsb, c->vcap), vmax(c->vrnew, c->vwnew));

	return vmax(v, dep == CPU_DEP_NONE ? 0 : dep);
}

/*
 * A hardware update is ordered after a read the access's address depends
 * on and after earlier addresses and branches (herd7 aarch64hwreqs.cat:
 * [Exp & R]; addr|ctrl; [HU] and addr; [Exp]; po; [HU]: vhu), after the
 * walks of earlier accesses (dob's "[Imp & TTD & R]; tr-ib; [Exp & M];
 * po; [HU]": vtr, in @walks; 2+2WNExpExp+NExpNExp+DMBST+DMBST:
 * Forbidden), and after nothing else without FEAT_ETS2 (DSB-ob and lob
 * do not reach Imp writes). The two are apart because a table store is
 * written through: hw.c asks whether one could have been made later.
 */
static uint64_t mm_hu_view(struct sim_cpu *cpu, uint64_t *walks)
{
	const struct sim_access *a = &cpu->access;
	const struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];
	uint64_t dep = a->addr_dep == CPU_DEP_NONE ? 0 : a->addr_dep;

	*walks = c->vtr;
	return vmax(dep, c->vhu);
}

bool mm_known_at(struct sim_cpu *cpu, uint64_t pa, uint64_t ts)
{
	struct mm *m = mm_of(cpu);
	uint64_t w =
		(uintptr_t)g_hash_table_lookup(m->written, GSIZE_TO_POINTER(pa / PMEM_PAGE_SIZE));

	return !w || w - 1 < ts;
}

static uint64_t extract(uint64_t word, uint64_t pa, unsigned size)
{
	uint64_t v = word >> ((pa & 7) * 8);

	return size == 8 ? v : v & ((1ull << (size * 8)) - 1);
}

/* ---- stores becoming visible --------------------------------------------------------- */

void mm_propagate(struct sim_cpu *cpu, unsigned k)
{
	struct mm *m = mm_of(cpu);
	struct mm_cpu *c = &m->cpu[cpu->id];
	struct mm_pending p = c->pend[k];
	struct mm_cpuloc *cl;
	uint64_t ts;

	memmove(c->pend + k, c->pend + k + 1, (c->npend - k - 1) * sizeof(*c->pend));
	c->npend--;
	loc_get(m, p.pa);
	cpu_raw_store(cpu, p.pa, p.size, p.val);
	/* The bookkeeping before any finding the store hook could raise. */
	ts = mm_next_ts(m);
	mm_loc_push(p.loc, ts, pmem_read(m->sim->mem, p.pa & ~7ull, 8));
	cl = &p.loc->c[cpu->id];
	cl->coh = vmax(cl->coh, ts);
	cl->fwd_ts = ts;
	cl->fwd_view = p.view;
	cl->fwd_ex = false;
	c->vwold = vmax(c->vwold, ts);
	if (p.rel)
		c->vrel = vmax(c->vrel, ts);
	if (p.use) {
		p.use->view = vmax(p.use->view, ts);
		p.use->npend--;
	}
	if (p.loc->n > 2 * MM_HISTORY_MAX || (p.loc->n > 8 && !(p.loc->n & 7)))
		loc_prune(m, p.loc);
}

bool mm_eligible(const struct mm_cpu *c, unsigned k)
{
	if (c->pend[k].rel && k)
		return false;
	for (unsigned i = 0; i < k; i++)
		if (c->pend[i].loc == c->pend[k].loc)
			return false;
	return true;
}

/*
 * The decision before each access: which eligible pending store, if any,
 * becomes visible now. @must: one has to (the list is full).
 */
static void maybe_propagate(struct sim_cpu *cpu, bool must)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];
	unsigned idx[MM_PENDING_MAX], n = 0, pick;

	for (unsigned k = 0; k < c->npend; k++)
		if (mm_eligible(c, k))
			idx[n++] = k;
	if (!n)
		return;
	pick = sim_decide(cpu->sim, DECIDE_PROPAGATE, must ? n : n + 1);
	if (pick < n)
		mm_propagate(cpu, idx[pick]);
}

void mm_propagate_all(struct sim_cpu *cpu)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];

	while (c->npend)
		maybe_propagate(cpu, true);
}

static bool has_release(const struct mm_cpu *c)
{
	for (unsigned k = 0; k < c->npend; k++)
		if (c->pend[k].rel)
			return true;
	return false;
}

/* Every pending release and what precedes it (an LDAR after an STLR is RCsc). */
static void propagate_releases(struct sim_cpu *cpu)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];

	while (has_release(c))
		maybe_propagate(cpu, true);
}

/* Coherence: the CPU's own pending stores to the word come first (CoWR, CoWW). */
static void propagate_loc(struct sim_cpu *cpu, struct mm_loc *l)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];

	for (unsigned k = 0; k < c->npend;) {
		if (c->pend[k].loc != l) {
			k++;
			continue;
		}
		/* A release goes after every earlier store. */
		if (c->pend[k].rel)
			for (unsigned i = 0; i <= k; i++)
				mm_propagate(cpu, 0);
		else
			mm_propagate(cpu, k);
		k = 0;
	}
}

/* New messages for the words the model tracks, now, before anyone reads them. */
static void mm_written(struct sim_cpu *cpu, uint64_t pa, uint64_t len)
{
	struct mm *m = mm_of(cpu);
	uint64_t before;
	bool tracked = false;

	/* What the words no message holds were before is gone: remember when (mm_known_at()). */
	for (uint64_t p = pa & ~(PMEM_PAGE_SIZE - 1); p < pa + len; p += PMEM_PAGE_SIZE) {
		g_hash_table_insert(m->written, GSIZE_TO_POINTER(p / PMEM_PAGE_SIZE),
				    GSIZE_TO_POINTER(m->now + 1));
		tracked |= pmem_flags(m->sim->mem, p) & MM_F_TRACKED;
	}
	if (!tracked)
		return;
	before = m->now;
	for (uint64_t w = pa >> 3; w < (pa + len + 7) >> 3; w++)
		if (g_hash_table_contains(m->locs, &w))
			loc_get(m, w << 3);
	/* They are @cpu's writes: its DSB orders them before what follows. */
	if (m->now > before)
		m->cpu[cpu->id].vwold = vmax(m->cpu[cpu->id].vwold, m->now);
}

/*
 * A store by @cpu's walker (a hardware Access-flag or dirty-state update,
 * cpu_cmpxchg_pa()): visible at once, after the word's present value, and
 * ordered as the CPU's own write (a DSB orders it before later accesses:
 * herd7's DSB-ob counts implicit writes before the DSB).
 */
static void mm_hw_store(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t val)
{
	struct mm *m = mm_of(cpu);
	struct mm_loc *l = loc_get(m, pa);
	uint64_t ts;

	cpu_raw_store(cpu, pa, size, val);
	ts = mm_next_ts(m);
	mm_loc_push(l, ts, pmem_read(m->sim->mem, pa & ~7ull, 8));
	/* Not the CPU's coherence: its own later read may still precede it (coRR+HA-DSB.LD). */
	m->cpu[cpu->id].vwold = vmax(m->cpu[cpu->id].vwold, ts);
}

static bool mm_flush(struct sim_cpu *cpu, bool yielding)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];
	bool had = c->npend;

	if (!yielding) {
		mm_propagate_all(cpu);
		return had;
	}
	/* One store per yield point: the other CPUs' stores interleave (2+2W). */
	while (c->npend) {
		sim_yield(cpu);
		maybe_propagate(cpu, true);
	}
	return had;
}

/*
 * Another CPU's store buffer drains on its own, at any time: at this read
 * of @l, each other CPU's first eligible pending store to it may become
 * visible (a decision), so that both loads of SB can read 1. Only stores
 * to the word read matter here: any other is seen by the reads of its own
 * word, which make the same offer.
 */
static void others_propagate(struct sim_cpu *cpu, struct mm_loc *l)
{
	struct mm *m = mm_of(cpu);

	for (unsigned q = 0; q < m->sim->ncpus; q++) {
		struct mm_cpu *cq = &m->cpu[q];
		unsigned k;

		if (q == cpu->id || !cq->npend)
			continue;
		for (k = 0; k < cq->npend; k++)
			if (cq->pend[k].loc == l)
				break;
		if (k == cq->npend || !mm_eligible(cq, k))
			continue;
		/* q's store buffer is read and may change: no step commutes with this one. */
		sim_note(cpu, SIM_OBJ_GLOBAL, true);
		if (sim_decide(cpu->sim, DECIDE_PROPAGATE, 2)) {
			/*
			 * q's store, as q's (the checker's clocks, the wake-ups),
			 * in cpu's step: its notes would name q's, so they are
			 * off; GLOBAL above covers them.
			 */
			const struct sim_explorer *ex = m->sim->explorer;

			m->sim->explorer = NULL;
			mm_propagate(&m->sim->cpus[q], k);
			m->sim->explorer = ex;
		}
	}
}

uint64_t mm_desc_ts(struct sim_cpu *cpu, uint64_t desc_pa, uint64_t desc)
{
	/* A walker's update the walk goes on with is not written yet (hafdbs.c). */
	const uint64_t hw = DESC_AF | DESC_AP_RDONLY;
	struct mm_loc *l;

	sim_note(cpu, desc_pa >> 3, false);
	l = loc_get(mm_of(cpu), desc_pa);
	for (unsigned i = l->n; i-- > 0;)
		if (l->msg[i].val == desc)
			return l->msg[i].ts;
	for (unsigned i = l->n; i-- > 0;)
		if ((l->msg[i].val & ~hw) == (desc & ~hw))
			return l->msg[i].ts;
	return 0;
}

/*
 * Through an MMU an access is ordered after the walk that translated it
 * (herd7's tr-ib), and the walk read the leaf descriptor's value from its
 * store: the view of that store's message (docs/memmodel.md). The walk's
 * read also orders what a context synchronisation event and a later store
 * order (CSE-ob, "tr-ib; po; [Exp & W]"): it joins vcap.
 */
static uint64_t xlate_view(struct sim_cpu *cpu)
{
	const struct sim_access *a = &cpu->access;
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];
	uint64_t tv = a->translated ? mm_desc_ts(cpu, a->desc_pa, a->desc) : 0;

	c->vtr = vmax(c->vtr, tv);
	return tv;
}

/* ---- the instructions ---------------------------------------------------------------- */

/* The paper's read rule (figure 4, "read"), with the message a decision. */
static uint64_t mm_load(struct sim_cpu *cpu, uint64_t pa, unsigned size, enum cpu_order ord,
			cpu_dep_t addr_dep, bool spin)
{
	struct mm *m = mm_of(cpu);
	struct mm_cpu *c = &m->cpu[cpu->id];
	bool acq = ord == CPU_ACQ || ord == CPU_ACQ_PC;
	struct mm_loc *l;
	struct mm_cpuloc *cl;
	uint64_t vpre, bound, view, tv;
	unsigned first, last, pick;

	maybe_propagate(cpu, false);
	if (ord == CPU_ACQ)
		propagate_releases(cpu);
	l = loc_get(m, pa);
	propagate_loc(cpu, l);
	if (!spin)
		others_propagate(cpu, l);
	if (!spin)
		mm_maybe_promise(cpu, l, pa, size);
	cl = &l->c[cpu->id];
	vpre = vmax(addr_dep, c->vrnew);
	if (ord == CPU_ACQ)
		vpre = vmax(vpre, c->vrel);
	tv = xlate_view(cpu);
	vpre = vmax(vpre, tv);
	bound = vmax(vpre, cl->coh);
	/* The latest message at or before the bound, and every later one. */
	for (first = l->n - 1; first > 0 && l->msg[first].ts > bound; first--)
		;
	last = l->n - 1;
	if (cpu->access.bounded) {
		/* Through a translation a TLBI completion removed: no newer than it. */
		while (last > first && l->msg[last].ts > cpu->access.max_ts)
			last--;
		if (l->msg[last].ts > cpu->access.max_ts)
			sim_infeasible(cpu->sim, "a load before a TLBI completion has no value "
						 "from before it");
	}
	pick = last;
	if (!spin) /* a spin reads the latest: an older value would only loop again */
		pick = first + sim_decide(cpu->sim, DECIDE_READ_FROM, last - first + 1);
	const struct mm_msg *msg = &l->msg[pick];

	view = msg->ts;
	if (cl->fwd_ts == msg->ts && msg->ts && !(cl->fwd_ex && acq))
		view = cl->fwd_view;
	view = vmax(vpre, view);
	cl->coh = vmax(cl->coh, msg->ts);
	c->vrold = vmax(c->vrold, view);
	c->vcap = vmax(c->vcap, vmax(addr_dep, tv));
	c->vhu = vmax(c->vhu, addr_dep);
	if (acq) {
		c->vrnew = vmax(c->vrnew, view);
		c->vwnew = vmax(c->vwnew, view);
	}
	if (spin) { /* the loop's exit is a branch on the value */
		c->vcap = vmax(c->vcap, view);
		c->vhu = vmax(c->vhu, view);
	}
	c->last = view;
	mm_use_note(cpu, view, NULL);
	if (c->nprom)
		mm_check_promises(cpu);
	return extract(msg->val, pa, size);
}

/*
 * The paper's write rule, deferred: the store's constraints (vpre) are
 * views of messages that exist, so any later timestamp satisfies them.
 */
static void mm_store(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t val,
		     enum cpu_order ord, cpu_dep_t addr_dep, cpu_dep_t data_dep)
{
	struct mm *m = mm_of(cpu);
	struct mm_cpu *c = &m->cpu[cpu->id];
	bool rel = ord == CPU_REL || ord == CPU_AL;
	struct mm_loc *l;
	uint64_t vpre, tv;

	maybe_propagate(cpu, false);
	if (c->npend == MM_PENDING_MAX)
		maybe_propagate(cpu, true);
	l = loc_get(m, pa);
	tv = xlate_view(cpu);
	mm_maybe_promise(cpu, l, pa, size);
	if (c->nprom && mm_fulfil(cpu, l, pa, size, val, rel, vmax(vmax(addr_dep, data_dep), tv))) {
		c->vcap = vmax(c->vcap, vmax(addr_dep, tv));
		c->vhu = vmax(c->vhu, addr_dep);
		return;
	}
	c->vcap = vmax(c->vcap, vmax(addr_dep, tv));
	c->vhu = vmax(c->vhu, addr_dep);
	c->pend[c->npend++] = (struct mm_pending){
		.loc = l,
		.pa = pa,
		.val = val,
		.size = size,
		.view = vmax(addr_dep, data_dep),
		.rel = rel,
	};
	/* The paper's write rule's vpre: what the store is ordered after. */
	vpre = vmax(vmax(addr_dep, data_dep), vmax(c->vcap, c->vwnew));
	if (rel)
		vpre = vmax(vpre, vmax(c->vrold, c->vwold));
	mm_use_note(cpu, vpre, &c->pend[c->npend - 1]);
	/*
	 * A live translation table's descriptor is written through: the
	 * checker models when a table store is visible to walkers (DSB), and
	 * the walker reads pmem (docs/memmodel.md, what remains).
	 */
	if (pmem_flags(m->sim->mem, pa) & PMEM_F_HOOK) {
		cpu->access.has_floor = true;
		cpu->access.floor = vpre;
		propagate_loc(cpu, l);
		cpu->access.has_floor = false;
	}
	if (c->nprom)
		mm_check_promises(cpu);
}

/*
 * An LSE atomic reads the word's latest message and writes right after it
 * (atomicity: no store between them in coherence order). With A it is an
 * acquire read, with L a release write, with both a full barrier
 * (Arm ARM B2.3.7: an atomic with Acquire and Release semantics orders
 * every access before it before every access after it).
 */
static uint64_t mm_rmw(struct sim_cpu *cpu, uint64_t pa, unsigned size, enum cpu_rmw_op op,
		       uint64_t cmp, cpu_dep_t cmp_dep, uint64_t val, enum cpu_order ord,
		       cpu_dep_t addr_dep, cpu_dep_t data_dep)
{
	struct mm *m = mm_of(cpu);
	struct mm_cpu *c = &m->cpu[cpu->id];
	bool noret = (int)op & CPU_RMW_NORET;
	bool acq = !noret && (ord == CPU_ACQ || ord == CPU_AL || ord == CPU_ACQ_PC);
	bool rel = ord == CPU_REL || ord == CPU_AL;
	struct mm_loc *l;
	struct mm_cpuloc *cl;
	uint64_t vpre, view, old, new, ts, tv;

	maybe_propagate(cpu, false);
	if (rel)
		mm_propagate_all(cpu);
	else if (ord == CPU_ACQ)
		propagate_releases(cpu);
	l = loc_get(m, pa);
	propagate_loc(cpu, l);
	cl = &l->c[cpu->id];
	tv = xlate_view(cpu);
	vpre = vmax(vmax(addr_dep, tv), c->vrnew);
	if (ord == CPU_ACQ || ord == CPU_AL)
		vpre = vmax(vpre, c->vrel);
	view = vmax(vpre, l->msg[l->n - 1].ts);
	old = extract(l->msg[l->n - 1].val, pa, size);
	cl->coh = vmax(cl->coh, l->msg[l->n - 1].ts);
	if (!noret)
		c->vrold = vmax(c->vrold, view);
	c->vcap = vmax(c->vcap, vmax(addr_dep, tv));
	c->vhu = vmax(c->vhu, addr_dep);
	c->last = view;
	if (cpu_rmw_apply(op, size, old, cmp, val, &new)) {
		cpu->access.atomic = true;
		cpu_raw_store(cpu, pa, size, new);
		cpu->access.atomic = false;
		ts = mm_next_ts(m);
		mm_loc_push(l, ts, pmem_read(m->sim->mem, pa & ~7ull, 8));
		cl->coh = ts;
		cl->fwd_ts = ts;
		cl->fwd_view = vmax(addr_dep, data_dep);
		cl->fwd_ex = true;
		c->vwold = vmax(c->vwold, ts);
		if (rel)
			c->vrel = vmax(c->vrel, ts);
		/*
		 * A successful CAS's returned value equals its compare value:
		 * it may come from that register, with a control dependency on
		 * the read (herd7's CAS semantics, herdtools7 PR #647).
		 */
		if (cmp_dep != CPU_DEP_NONE && !noret &&
		    ((int)op & ~CPU_RMW_NORET) == CPU_RMW_CMPXCHG &&
		    sim_decide(m->sim, DECIDE_CAS_DEP, 2)) {
			c->last = cmp_dep;
			c->vcap = vmax(c->vcap, view);
			c->vhu = vmax(c->vhu, view);
		}
		mm_use_note(cpu, vmax(view, ts), NULL);
	} else {
		mm_use_note(cpu, view, NULL);
	}
	if (acq) {
		c->vrnew = vmax(c->vrnew, view);
		c->vwnew = vmax(c->vwnew, view);
	}
	if (ord == CPU_AL && !noret) {
		uint64_t v = vmax(c->vrold, c->vwold);

		c->vrnew = vmax(c->vrnew, v);
		c->vwnew = vmax(c->vwnew, v);
	}
	if (c->nprom)
		mm_check_promises(cpu);
	return old;
}

/* A DSB completes @c's stores: every observer sees them (docs/memmodel.md). */
static void complete(struct sim_cpu *cpu, struct mm *m, const struct mm_cpu *c)
{
	if (c->vwold <= m->completed)
		return;
	sim_note(cpu, SIM_OBJ_MEM_DONE, true);
	m->completed = c->vwold;
}

/* The paper's fence rules; a store after a DMB ST/SY goes after every earlier one. */
static void mm_barrier(struct sim_cpu *cpu, enum cpu_barrier b)
{
	struct mm *m = mm_of(cpu);
	struct mm_cpu *c = &m->cpu[cpu->id];
	uint64_t v;

	switch (b) {
	case CPU_DMB_ISH:
	case CPU_DSB_ISH:
		mm_propagate_all(cpu);
		v = vmax(c->vrold, c->vwold);
		c->vrnew = vmax(c->vrnew, v);
		c->vwnew = vmax(c->vwnew, v);
		if (b == CPU_DSB_ISH) {
			complete(cpu, m, c);
			c->vdsb = vmax(c->vdsb, v);
		}
		break;
	case CPU_DMB_ISHLD:
	case CPU_DSB_ISHLD:
		c->vrnew = vmax(c->vrnew, c->vrold);
		c->vwnew = vmax(c->vwnew, c->vrold);
		if (b == CPU_DSB_ISHLD)
			c->vdsb = vmax(c->vdsb, c->vrold);
		break;
	case CPU_DMB_ISHST:
	case CPU_DSB_ISHST:
		mm_propagate_all(cpu);
		c->vwnew = vmax(c->vwnew, c->vwold);
		/*
		 * Nothing after a DSB executes before it completes: its stores
		 * are ordered before every later access, loads too (herd7's
		 * DSB-ob, "[Exp & W]; po; [dsb.st]; po; [~(Imp & M)]").
		 */
		if (b == CPU_DSB_ISHST) {
			c->vrnew = vmax(c->vrnew, c->vwold);
			c->vdsb = vmax(c->vdsb, c->vwold);
			complete(cpu, m, c);
		}
		break;
	case CPU_ISB:
		c->vrnew = vmax(c->vrnew, c->vcap);
		break;
	case CPU_EXC_ENTRY:
		sim_note(cpu, SIM_OBJ_MEM_DONE, false);
		v = vmax(c->vcap, m->completed);
		c->vrnew = vmax(c->vrnew, v);
		c->vwnew = vmax(c->vwnew, v);
		c->vexc = vmax(c->vexc, v);
		break;
	}
	if (c->nprom)
		mm_check_promises(cpu);
}

static void mm_ctrl(struct sim_cpu *cpu, cpu_dep_t dep)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];

	c->vcap = vmax(c->vcap, dep);
	c->vhu = vmax(c->vhu, dep);
	if (c->nprom)
		mm_check_promises(cpu);
}

static cpu_dep_t mm_dep(struct sim_cpu *cpu)
{
	return mm_of(cpu)->cpu[cpu->id].last;
}

unsigned mm_pending(struct sim_cpu *cpu)
{
	return cpu->sim->memory_state ? mm_of(cpu)->cpu[cpu->id].npend : 0;
}

static const struct cpu_memory_model mm_arm = {
	.name = "arm",
	.create = mm_create,
	.destroy = mm_destroy,
	.load = mm_load,
	.store = mm_store,
	.rmw = mm_rmw,
	.barrier = mm_barrier,
	.ctrl = mm_ctrl,
	.dep = mm_dep,
	.flush = mm_flush,
	.written = mm_written,
	.promise_values = mm_promise_values,
	.finished = mm_finished,
	.guessing = mm_guessing,
	.hw_store = mm_hw_store,
	.fault = mm_fault,
	.tlbi_sync = mm_tlbi_sync,
	.sync_view = mm_sync_view,
	.fault_before = mm_fault_before,
	.known_at = mm_known_at,
	.now = mm_now,
	.cse_view = mm_cse_view,
	.hu_view = mm_hu_view,
	.tlbi_view = mm_tlbi_view,
};

static void __attribute__((constructor)) mm_register(void)
{
	cpu_memory_register(&mm_arm);
}
