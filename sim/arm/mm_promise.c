// SPDX-License-Identifier: GPL-2.0-only
/*
 * Promises of the Arm data memory model (--memory arm): Promising-ARM's
 * promise and fulfil steps (Pulte et al., PLDI 2019, figure 4) for stores
 * a CPU has not reached yet, with the value guessed among those its
 * program declared (cpu_promise_values()) and the certification checked
 * lazily: a run whose promise cannot be fulfilled is infeasible
 * (sim_infeasible()). docs/memmodel.md, "Load buffering".
 */
#include "memmodel_internal.h"

#include <string.h>

static uint64_t size_mask(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

/* @q may promise now: it declared values, its program runs, room is left. */
static bool may_promise(struct mm *m, unsigned q)
{
	return m->cpu[q].npvals && !m->cpu[q].done && m->cpu[q].nprom < MM_PROMISES_MAX;
}

/*
 * Before @cpu accesses the word of @pa: another CPU q may promise a store
 * (pa, v) for v among its declared values, as if it had promised it just
 * before (a recorded decision, promise). The message is the
 * word's latest at once, so this access may read it or be ordered after
 * it; q must fulfil it before it ends, or the run is infeasible.
 */
void mm_maybe_promise(struct sim_cpu *cpu, struct mm_loc *l, uint64_t pa, unsigned size)
{
	struct mm *m = mm_of(cpu);
	unsigned n = 1, pick, shift = (unsigned)(pa & 7) * 8;
	uint64_t v, word;

	if (!m->promisers || (pmem_flags(m->sim->mem, pa) & PMEM_F_HOOK))
		return;
	for (unsigned q = 0; q < m->sim->ncpus; q++)
		if (q != cpu->id && may_promise(m, q))
			n += m->cpu[q].npvals;
	if (n == 1)
		return;
	/*
	 * None 3 times in 4 under the seeded strategies: a promise at every
	 * access of a small test makes most runs infeasible, and the outcomes
	 * that need one need one or two.
	 */
	pick = sim_decide_biased(m->sim, DECIDE_PROMISE, n, 3, 4);
	if (!pick--)
		return;
	for (unsigned q = 0; q < m->sim->ncpus; q++) {
		struct mm_cpu *cq = &m->cpu[q];

		if (q == cpu->id || !may_promise(m, q))
			continue;
		if (pick >= cq->npvals) {
			pick -= cq->npvals;
			continue;
		}
		v = cq->pvals[pick] & size_mask(size);
		word = (l->msg[l->n - 1].val & ~(size_mask(size) << shift)) | v << shift;
		mm_loc_push(l, mm_next_ts(m), word);
		/* q's promises change under q's feet: no step commutes with this one */
		sim_note(cpu, SIM_OBJ_GLOBAL, true);
		l->msg[l->n - 1].prom = q + 1;
		cq->prom[cq->nprom++] = (struct mm_promise){
			.loc = l, .pa = pa, .val = v, .ts = m->now, .size = size};
		m->nprom++;
		cpu_raw_store(cpu, pa, size, v); /* pmem holds the latest message */
		return;
	}
}

/*
 * @cpu's store fulfils one of its promises when it is the promised store
 * and could have been made at the promise's timestamp: the paper's write
 * rule, max(vpre, coh[x]) < ts, vpre = addr ⊔ data ⊔ vcap ⊔ vwnew (⊔ vrold
 * ⊔ vwold for a release, whose earlier stores must all be visible), and
 * no earlier store of its to the word still pending (CoWW).
 */
bool mm_fulfil(struct sim_cpu *cpu, struct mm_loc *l, uint64_t pa, unsigned size, uint64_t val,
	       bool rel, uint64_t view)
{
	struct mm *m = mm_of(cpu);
	struct mm_cpu *c = &m->cpu[cpu->id];
	struct mm_cpuloc *cl = &l->c[cpu->id];
	uint64_t vpre = vmax(view, vmax(c->vcap, c->vwnew));

	if (rel)
		vpre = vmax(vpre, vmax(c->vrold, c->vwold));
	for (unsigned i = 0; i < c->npend; i++)
		if (c->pend[i].loc == l)
			return false;
	if (rel && c->npend)
		return false;
	for (unsigned k = 0; k < c->nprom; k++) {
		struct mm_promise p = c->prom[k];

		if (p.loc != l || p.pa != pa || p.size != size ||
		    p.val != (val & size_mask(size)) || vmax(vpre, cl->coh) >= p.ts)
			continue;
		for (unsigned i = l->n; i-- > 0;)
			if (l->msg[i].ts == p.ts)
				l->msg[i].prom = 0;
		memmove(c->prom + k, c->prom + k + 1, (c->nprom - k - 1) * sizeof(*c->prom));
		c->nprom--;
		m->nprom--;
		cl->coh = p.ts;
		cl->fwd_ts = p.ts;
		cl->fwd_view = view;
		cl->fwd_ex = false;
		c->vwold = vmax(c->vwold, p.ts);
		if (rel)
			c->vrel = vmax(c->vrel, p.ts);
		return true;
	}
	return false;
}

/*
 * A promise no later store can fulfil (its floor vwnew ⊔ vcap ⊔ coh[x]
 * reached the timestamp) makes the run infeasible now: the paper's
 * certification, checked lazily.
 */
void mm_check_promises(struct sim_cpu *cpu)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];

	for (unsigned k = 0; k < c->nprom; k++) {
		const struct mm_promise *p = &c->prom[k];

		if (vmax(vmax(c->vwnew, c->vcap), p->loc->c[cpu->id].coh) >= p->ts)
			sim_infeasible(cpu->sim, "a promise its CPU can no longer fulfil");
	}
}

void mm_promise_values(struct sim_cpu *cpu, const uint64_t *vals, unsigned n)
{
	struct mm *m = mm_of(cpu);
	struct mm_cpu *c = &m->cpu[cpu->id];

	if (!c->npvals && n)
		m->promisers++;
	for (unsigned i = 0; i < n && c->npvals < MM_PROMISE_VALS; i++) {
		bool dup = false;

		for (unsigned j = 0; j < c->npvals; j++)
			dup |= c->pvals[j] == vals[i];
		if (!dup)
			c->pvals[c->npvals++] = vals[i];
	}
}

void mm_finished(struct sim_cpu *cpu)
{
	struct mm_cpu *c = &mm_of(cpu)->cpu[cpu->id];

	c->done = true;
	if (c->nprom)
		sim_infeasible(cpu->sim, "a CPU ended with a promise unfulfilled");
}

bool mm_guessing(struct sim *sim)
{
	return ((struct mm *)sim->memory_state)->nprom;
}
