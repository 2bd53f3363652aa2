// SPDX-License-Identifier: GPL-2.0-only
/*
 * TLB maintenance as the data memory model sees it (--memory arm): the
 * completion of a broadcast TLBI orders, before every later access of the
 * CPU whose DSB completed it, the accesses other CPUs made through the
 * translations it removed, and everything ordered before those.
 *
 * This is herd7's TLBI-ob (aarch64.cat: "tr-ib^-1; TTD-read-ordered-before
 * & ext"), the Arm ARM's completion of TLB maintenance (DDI 0487, the
 * TLB maintenance section; the section number and rule identifier are
 * not checked here: a DSB after a TLBI completes only once every memory
 * access using the old translation has completed): in F4
 *
 *   P0: STR pte (db:1); DSB; TLBI VAAE1IS; DSB; LDR y
 *   P1: STR y; DMB ST; STR x (faults on the old db:0 descriptor)
 *
 * P0 cannot read y = 0: P1's faulting store used the translation the TLBI
 * removed, the DMB ST ordered y before it, the DSB ordered it before LDR y.
 *
 * Each CPU keeps, per (VA page, leaf descriptor used), the view of what
 * its accesses through that translation were ordered after (the paper's
 * vpre), their reads and, once visible, their stores; a store still
 * pending is made visible when the TLBI completes. A translation counts as
 * removed when the descriptor it came from no longer holds that value: a
 * walk that read the value still there may as well have happened after
 * the TLBI, which orders nothing (TLBI-ca makes a walk after the TLBI read
 * the newer value, so only a walk of an overwritten value is before it).
 * docs/memmodel.md says where this is stronger or weaker than herd7.
 */
#include "memmodel_internal.h"
#include "sim/pmem.h"

#include <glib.h>

static guint use_hash(gconstpointer p)
{
	const struct mm_use *u = p;
	uint64_t h = (u->va * 0x9e3779b97f4a7c15ull) ^ (u->desc_pa * 0xc2b2ae3d27d4eb4full) ^
		     (u->desc * 0x165667b19e3779f9ull);

	return (guint)(h ^ (h >> 32));
}

static gboolean use_equal(gconstpointer a, gconstpointer b)
{
	const struct mm_use *x = a, *y = b;

	return x->va == y->va && x->desc_pa == y->desc_pa && x->desc == y->desc;
}

/*
 * Forgets uses no TLBI can order anything by any more: nothing of theirs
 * pending, and their view already below every CPU's vrnew and vwnew
 * (joining it would change no view).
 */
static void uses_prune(struct mm *m, struct mm_cpu *c)
{
	uint64_t floor = UINT64_MAX;
	GHashTableIter it;
	gpointer k;

	for (unsigned i = 0; i < m->sim->ncpus; i++)
		floor = MIN(floor, MIN(m->cpu[i].vrnew, m->cpu[i].vwnew));
	g_hash_table_iter_init(&it, c->uses);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		const struct mm_use *u = k;

		if (!u->npend && u->view <= floor)
			g_hash_table_iter_remove(&it);
	}
	c->uses_prune = MAX(64u, 2 * g_hash_table_size(c->uses));
}

static void use_add(struct sim_cpu *cpu, uint64_t desc_pa, uint64_t desc, uint64_t view,
		    struct mm_pending *p)
{
	struct mm *m = mm_of(cpu);
	struct mm_cpu *c = &m->cpu[cpu->id];
	struct mm_use key = {
		.va = cpu->access.va & ~(PMEM_PAGE_SIZE - 1),
		.desc_pa = desc_pa,
		.desc = desc,
	};
	struct mm_use *u;

	if (!c->uses)
		c->uses = g_hash_table_new_full(use_hash, use_equal, g_free, NULL);
	u = g_hash_table_lookup(c->uses, &key);
	if (!u) {
		if (g_hash_table_size(c->uses) >= c->uses_prune)
			uses_prune(m, c);
		u = g_new(struct mm_use, 1);
		*u = key;
		g_hash_table_add(c->uses, u);
	}
	u->view = vmax(u->view, view);
	if (p) {
		p->use = u;
		u->npend++;
	}
}

void mm_use_note(struct sim_cpu *cpu, uint64_t view, struct mm_pending *p)
{
	if (cpu->access.translated)
		use_add(cpu, cpu->access.desc_pa, cpu->access.desc, view, p);
}

/*
 * The paper's vpre of the faulting access, barriers and dependencies
 * only: a fault is no explicit access, so a faulting STLR or LDAR has no
 * release or acquire semantics (herd7: F1 and F3 are allowed, F4 with a
 * DMB ST forbidden).
 */
/* What a faulting access is ordered after: no release or acquire semantics. */
static uint64_t fault_view(struct sim_cpu *cpu)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];
	const struct sim_access *a = &cpu->access;

	if (a->write)
		return vmax(vmax(a->addr_dep, a->data_dep), vmax(c->vcap, c->vwnew));
	return vmax(a->addr_dep, c->vrnew);
}

void mm_fault(struct sim_cpu *cpu, uint64_t desc_pa, uint64_t desc, bool ordered)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];

	/*
	 * FEAT_ETS2: every explicit access before the faulting one in program
	 * order is ordered before the walk (herd7's ets-ob, "[Exp & M]; po;
	 * [TLBUncacheable & FAULT]; tr-ib^-1; [Imp & TTD & R]"): earlier
	 * stores are visible when it reads, and what the exception entry
	 * orders after the walk comes after them all. Not a permission fault
	 * (MP+rel+lws-mmufault_db-po: Allowed with ETS2).
	 */
	if (ordered) {
		mm_propagate_all(cpu);
		c->vcap = vmax(c->vcap, vmax(c->vrold, c->vwold));
	}
	use_add(cpu, desc_pa, desc, fault_view(cpu), NULL);
	c->vtr = vmax(c->vtr, mm_desc_ts(cpu, desc_pa, desc));
	/* The walk that faulted read @desc: the exception entry after it orders it (CSE-ob). */
	c->vcap = vmax(c->vcap, mm_desc_ts(cpu, desc_pa, desc));
}

/*
 * A fault through a translation a completed TLBI removed is ordered
 * before that completion (TLBI-ob) unless something orders it after:
 * allowed when joining it there would change nothing, so that a fault
 * found late in the interleaving stands for one made before (herd7
 * D15347-M-load-shoot+po, S+shoot+po-mmufault_db, FK). A translation that
 * is used for an access is not offered so: the access's value would have
 * to come from before the completion too.
 */
bool mm_fault_before(struct sim_cpu *cpu, uint64_t view, bool used)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];
	const struct sim_access *a = &cpu->access;
	/*
	 * Data and control dependencies do not order a translation (herd7 FK,
	 * S+shoot+ctrl_mmufault_db); a DMB ST orders a fault as a store
	 * (R+shoot+dmb.st-mmufault_af: Forbidden).
	 */
	uint64_t v = vmax(a->addr_dep, vmax(c->vrnew, c->vwnew));

	/*
	 * A translation used for an access, nor after a walk of its own that
	 * read a descriptor stored after the completion: herd7 coRR-pte9 (a
	 * load through the new descriptor, then one through the old:
	 * Forbidden). A fault may: nothing orders a walk after an earlier
	 * walk (F2.mod-with-type+BBM, a store through the new descriptor,
	 * then a permission fault on the old: Allowed). A store of its still
	 * waiting to be seen orders nothing after it (herd7
	 * MP+shoot+addrlrs-mmufault_af: Allowed).
	 */
	return !c->nprom && vmax(v, used ? c->vtr : 0) <= view;
}

uint64_t mm_sync_view(struct sim_cpu *cpu, uint64_t *now)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];

	*now = mm_of(cpu)->now;
	return c->vrnew < c->vwnew ? c->vrnew : c->vwnew;
}

static bool in_ranges(uint64_t va, const struct cpu_va_range *r, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (va >= r[i].start && va <= r[i].end - 1)
			return true;
	return false;
}

/*
 * Makes @q's pending store @k visible, and first the earlier ones it must
 * follow (to its word; all of them for a release), in program order.
 */
static void propagate_with_prior(struct sim_cpu *q, unsigned k)
{
	struct mm_cpu *c = &mm_of(q)->cpu[q->id];
	bool need[MM_PENDING_MAX] = {false};
	unsigned done = 0;

	need[k] = true;
	for (unsigned i = k + 1; i-- > 0;)
		for (unsigned j = 0; need[i] && j < i; j++)
			if (c->pend[i].rel || c->pend[j].loc == c->pend[i].loc)
				need[j] = true;
	for (unsigned i = 0; i <= k; i++)
		if (need[i])
			mm_propagate(q, i - done++);
}

/* Makes visible @q's pending stores through a removed translation. */
static void complete_removed(struct sim_cpu *cpu, unsigned q)
{
	struct mm *m = mm_of(cpu);
	struct mm_cpu *cq = &m->cpu[q];
	const struct sim_explorer *ex = m->sim->explorer;

	/* q's store buffer changes in cpu's step: no step commutes with it. */
	sim_note(cpu, SIM_OBJ_GLOBAL, true);
	m->sim->explorer = NULL;
	for (unsigned k = 0; k < cq->npend;) {
		if (cq->pend[k].use && cq->pend[k].use->removed) {
			propagate_with_prior(&m->sim->cpus[q], k);
			k = 0;
		} else {
			k++;
		}
	}
	m->sim->explorer = ex;
}

void mm_tlbi_sync(struct sim_cpu *cpu, const struct cpu_va_range *ranges, unsigned n)
{
	struct mm *m = mm_of(cpu);
	struct mm_cpu *c = &m->cpu[cpu->id];
	GPtrArray *hit = g_ptr_array_new();
	uint64_t view = 0;

	sim_note(cpu, SIM_OBJ_MEM_ORDER, false);
	for (unsigned q = 0; q < m->sim->ncpus; q++) {
		struct mm_cpu *cq = &m->cpu[q];
		bool pending = false;
		GHashTableIter it;
		gpointer k;

		if (q == cpu->id || !cq->uses)
			continue;
		g_hash_table_iter_init(&it, cq->uses);
		while (g_hash_table_iter_next(&it, &k, NULL)) {
			struct mm_use *u = k;

			if (!in_ranges(u->va, ranges, n) ||
			    pmem_read(m->sim->mem, u->desc_pa, 8) == u->desc)
				continue;
			u->removed = true;
			pending |= u->npend != 0;
			g_ptr_array_add(hit, u);
		}
		if (pending)
			complete_removed(cpu, q);
	}
	/* Joining views is commutative: the hash order of the uses cannot leak. */
	for (unsigned i = 0; i < hit->len; i++) {
		struct mm_use *u = hit->pdata[i];

		view = vmax(view, u->view);
		u->removed = false;
	}
	g_ptr_array_free(hit, true);
	c->vrnew = vmax(c->vrnew, view);
	c->vwnew = vmax(c->vwnew, view);
}

void mm_uses_free(struct mm *m)
{
	for (unsigned i = 0; i < m->sim->ncpus; i++)
		if (m->cpu[i].uses)
			g_hash_table_destroy(m->cpu[i].uses);
}
