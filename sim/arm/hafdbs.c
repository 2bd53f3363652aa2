// SPDX-License-Identifier: GPL-2.0-only
/*
 * hafdbs: FEAT_HAFDBS, the hardware Access flag and dirty state updates
 * (Arm ARM DDI 0487, D8.5 "Hardware updates to the translation tables";
 * issue #13; docs/mmu.md "FEAT_HAFDBS"), ordered as herd7's aarch64.cat
 * orders its HU events:
 *
 *  - An update is an atomic write of the descriptor its walk read
 *    (`[Imp & TTD & R]; rmw; [HU]`), but nothing orders it before the
 *    PE's later accesses except a DSB (full: DSB.LD and DSB.ST order only
 *    explicit reads or writes, `DSB-ob` in aarch64hwreqs.cat; DMB,
 *    acquire and release order explicit accesses only, `lob`). So the
 *    walker uses the updated value at once and the write waits in a
 *    per-machine list until something observes the descriptor: a walk or
 *    an explicit access of it (a read may still see the old value, a
 *    decision; a write, an atomic, or a walk that would update it itself
 *    sees it done: coherence `[HU]; ca; [W]` and atomicity), the owner's
 *    DSB, or the end of the run.
 *  - A speculative walk may set AF in any valid AF=0 descriptor at any
 *    time (herd7 SpecAF, NOP+AF: Allowed): decided where it is observed
 *    (an access or a walk of the descriptor, a translation, the end).
 *  - TCR_EL1.HA/HD are per PE (herd7 TTHM=P0:HA), HD implying HA.
 *
 * Each is a recorded decision (hw-update, hw-af), so it replays and
 * exploration chooses it.
 */
#include "mmu_internal.h"

#include <inttypes.h>
#include <string.h>

/* A deferred update: @slot goes from @old to @new, for CPU @cpu's walk. */
struct hw_upd {
	uint64_t slot, old, new;
	unsigned cpu;
};

/* ---- AF=0 descriptors a speculative walk may update ------------------------------- */

void af0_note(struct mmu *m, uint64_t slot, bool af0)
{
	unsigned i;

	for (i = 0; i < m->naf0 && m->af0[i] != slot; i++)
		;
	if (i < m->naf0 && !af0) {
		m->af0[i] = m->af0[--m->naf0]; /* order is the decision's, kept deterministic */
	} else if (i == m->naf0 && af0) {
		if (m->naf0 == m->capaf0) {
			m->capaf0 = m->capaf0 ? m->capaf0 * 2 : 8;
			m->af0 = g_renew(uint64_t, m->af0, m->capaf0);
		}
		m->af0[m->naf0++] = slot;
	}
}

static gint cmp_u64(gconstpointer a, gconstpointer b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The AF=0 leaves already in the tables when the run starts (written by
 * the scenario's setup, host-side): stores after that keep the list.
 */
void hw_af0_scan(struct sim *sim)
{
	struct mmu *m = mmu_of(sim);
	GArray *pages = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	GHashTableIter it;
	gpointer k, v;

	m->af0_scanned = true;
	g_hash_table_iter_init(&it, m->tables);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		uint64_t pa = (uint64_t)GPOINTER_TO_SIZE(k) << MMU_PAGE_SHIFT;

		g_array_append_val(pages, pa);
	}
	g_array_sort(pages, cmp_u64); /* slot order, whatever the hash order */
	for (guint i = 0; i < pages->len; i++) {
		uint64_t pa = g_array_index(pages, uint64_t, i), base;
		int level;

		if (!mmu_table_info(sim, pa, &level, &base) || !level)
			continue;
		for (unsigned s = 0; s < 512; s++) {
			uint64_t d = pmem_read(sim->mem, pa + 8 * s, 8);

			if (mmu_desc_is_leaf(d, level) && !(d & DESC_AF))
				af0_note(m, pa + 8 * s, true);
		}
	}
	g_array_free(pages, TRUE);
}

/* ---- the descriptor write of an update ---------------------------------------------- */

/*
 * The write of an update of @owner's walker, made while @sim's current CPU
 * (perhaps another, which observed it; none at the end of the run) runs:
 * the exploration is told of the running step, the checker of the owner.
 */
static void hw_store(struct sim *sim, struct sim_cpu *owner, uint64_t slot, uint64_t old,
		     uint64_t new)
{
	struct sim_cpu *cur = sim_current(sim);
	const struct sim_explorer *ex = sim->explorer;

	if (cur) {
		/* cpu_raw_store()'s and the store hook's (every TLB: a superset). */
		sim_note(cur, SIM_OBJ_CHECKER, true);
		sim_note(cur, SIM_OBJ_CONTENTS, true);
		sim_note(cur, slot >> 3, true);
		sim_note(cur, SIM_OBJ_TLB_ALL, true);
		sim_note(cur, SIM_OBJ_TLB_SEQ, true);
	}
	/*
	 * The owner's store, as cpu_cmpxchg_pa() makes it (--memory arm: a
	 * message, ordered before the owner's later full DSB); the accesses
	 * it notes for it are the running step's, noted above.
	 */
	sim->explorer = NULL;
	mmu_of(sim)->hw_writing = true;
	if (sim->memory && sim->memory->hw_store) {
		sim->memory->hw_store(owner, slot, 8, new);
	} else {
		pmem_write(sim->mem, slot, 8, new);
		if (sim->hooks.store_hook)
			sim->hooks.store_hook(owner, slot, 8, old, new);
	}
	mmu_of(sim)->hw_writing = false;
	sim->explorer = ex;
}

static void upd_perform(struct sim *sim, unsigned i)
{
	struct mmu *m = mmu_of(sim);
	struct hw_upd u = m->upd[i];
	struct mmu_cpu *mc = sim->cpus[u.cpu].mmu;

	memmove(&m->upd[i], &m->upd[i + 1], (m->nupd - i - 1) * sizeof(*m->upd));
	m->nupd--;
	mc->nupd--;
	if (pmem_read(sim->mem, u.slot, 8) == u.old)
		hw_store(sim, &sim->cpus[u.cpu], u.slot, u.old, u.new);
}

/*
 * @cpu's walker read @old at @slot and updates it: bits @set set and @clr
 * cleared, merged with an update of its own still waiting there. Returns
 * the value the walk goes on with; the write waits (see the top).
 */
uint64_t hw_update(struct sim_cpu *cpu, uint64_t slot, uint64_t old, uint64_t set, uint64_t clr)
{
	struct mmu *m = mmu_of(cpu->sim);
	struct mmu_cpu *mc = cpu->mmu;
	struct hw_upd *u;

	/* A write to come: it races with every other access of the descriptor. */
	sim_note(cpu, slot >> 3, true);
	for (unsigned i = 0; i < m->nupd;) {
		u = &m->upd[i];
		if (u->slot == slot && u->cpu == cpu->id) {
			u->new = (u->new | set) & ~clr;
			return u->new;
		}
		/*
		 * Another PE's update waits here: two updates of one value
		 * would break atomicity, so this walk read after it.
		 */
		if (u->slot == slot) {
			upd_perform(cpu->sim, i);
			old = pmem_read(cpu->sim->mem, slot, 8);
			continue;
		}
		i++;
	}
	if (((old | set) & ~clr) == old)
		return old;
	if (m->nupd == m->capupd) {
		m->capupd = m->capupd ? m->capupd * 2 : 8;
		m->upd = g_renew(struct hw_upd, m->upd, m->capupd);
	}
	u = &m->upd[m->nupd++];
	*u = (struct hw_upd){slot, old, (old | set) & ~clr, cpu->id};
	mc->nupd++;
	if (sim_events_on(cpu->sim))
		sim_instant_detail(cpu, "hw update",
				   "descriptor %#" PRIx64 ": %#" PRIx64 " -> %#" PRIx64
				   " (not yet visible)",
				   slot, old, u->new);
	return u->new;
}

/* A store into @slot (hw_desc_stored()): updates still waiting there came before it. */
void hw_update_overwritten(struct sim *sim, uint64_t slot)
{
	struct mmu *m = mmu_of(sim);

	for (unsigned i = 0; i < m->nupd;) {
		if (m->upd[i].slot != slot) {
			i++;
			continue;
		}
		((struct mmu_cpu *)sim->cpus[m->upd[i].cpu].mmu)->nupd--;
		memmove(&m->upd[i], &m->upd[i + 1], (m->nupd - i - 1) * sizeof(*m->upd));
		m->nupd--;
	}
}

/* ---- speculative Access flag updates ------------------------------------------------ */

/*
 * An update waits at @slot: a walk read the descriptor and will set AF
 * there. A speculative update in between would break that update's
 * atomicity (aarch64.cat `atomic`); one after it changes nothing.
 */
static bool upd_waiting(const struct mmu *m, uint64_t slot)
{
	for (unsigned i = 0; i < m->nupd; i++)
		if (m->upd[i].slot == slot)
			return true;
	return false;
}

static unsigned nr_ha(struct sim *sim)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sim->ncpus; i++)
		n += ((struct mmu_cpu *)sim->cpus[i].mmu)->ha;
	return n;
}

/* The @k-th PE (from 0) whose TCR_EL1.HA is set. */
static struct sim_cpu *ha_cpu(struct sim *sim, unsigned k)
{
	for (unsigned i = 0; i < sim->ncpus; i++)
		if (((struct mmu_cpu *)sim->cpus[i].mmu)->ha && !k--)
			return &sim->cpus[i];
	return NULL;
}

/*
 * Before @slot is observed: a speculative walk of any PE with HA may have
 * set AF there (herd7 SpecAF, SpecSpecAF, STRx+LDCLRptex+af: Allowed),
 * never in an invalid descriptor (STRv0+af: Forbidden). Which PE, if any,
 * is the decision (hw-af).
 */
static void spec_af(struct sim *sim, uint64_t slot)
{
	uint64_t d = pmem_read(sim->mem, slot, 8), base;
	unsigned n = nr_ha(sim);
	int level;
	uint32_t k;

	if (!n || (d & DESC_AF) || upd_waiting(mmu_of(sim), slot) ||
	    !mmu_table_info(sim, slot, &level, &base) || !mmu_desc_is_leaf(d, level))
		return;
	/*
	 * Seeded strategies take it 1 time in 16: at every observation it
	 * would, say, defeat strategy E's 16 cmpxchg attempts every time
	 * (exhaustive exploration and replay see every alternative alike).
	 */
	k = sim_decide_biased(sim, DECIDE_HW_AF, n + 1, 15, 16);
	if (k)
		hw_store(sim, ha_cpu(sim, k - 1), slot, d, d | DESC_AF);
}

/*
 * A speculative walk may reach any live AF=0 leaf and set AF there without
 * any access to the page (herd7 SpecAF: Allowed). Which one, if any, is
 * this CPU's decision at each translation.
 */
void hw_af_spec(struct sim_cpu *cpu)
{
	struct sim *sim = cpu->sim;
	struct mmu *m = mmu_of(sim);
	uint64_t slot, d, base;
	int level;
	uint32_t k;

	if (!((struct mmu_cpu *)cpu->mmu)->ha)
		return; /* this PE's walks never set AF */
	k = sim_decide(sim, DECIDE_HW_AF, m->naf0 + 1);
	if (!k)
		return;
	slot = m->af0[k - 1];
	if (upd_waiting(m, slot))
		return;
	d = pmem_read(sim->mem, slot, 8);
	if (!mmu_table_info(sim, slot, &level, &base) || !mmu_desc_is_leaf(d, level) ||
	    (d & DESC_AF)) {
		af0_note(m, slot, false); /* its table left the tree */
		return;
	}
	mmu_hw_set_af(cpu, slot, d);
}

uint64_t mmu_hw_set_af(struct sim_cpu *cpu, uint64_t dpa, uint64_t d)
{
	uint64_t new = d | DESC_AF, cur;

	mmu_of(cpu->sim)->hw_writing = true;
	cur = cpu_cmpxchg_pa(cpu, dpa, 8, d, new);
	mmu_of(cpu->sim)->hw_writing = false;
	return cur == d ? new : 0;
}

/* ---- where updates are observed ----------------------------------------------------- */

/*
 * @cpu's walk reads @slot: another PE's update waiting there may be seen
 * or not (decision hw-update; a walk that then updates the descriptor
 * itself sees it done, hw_update()); a walker without HA may also see AF
 * set by a speculative walk.
 */
void hw_walk_observe(struct sim_cpu *cpu, uint64_t slot)
{
	struct sim *sim = cpu->sim;
	struct mmu *m = mmu_of(sim);
	struct mmu_cpu *mc = cpu->mmu;

	for (unsigned i = 0; i < m->nupd;) {
		const struct hw_upd *u = &m->upd[i];

		if (u->slot == slot && u->cpu != cpu->id && sim_decide(sim, DECIDE_HW_UPDATE, 2))
			upd_perform(sim, i);
		else
			i++;
	}
	if (!mc->ha)
		spec_af(sim, slot);
}

/*
 * An explicit access of descriptor @slot: a write or an atomic comes
 * after every update waiting there (coherence, `[HU]; ca; [W]`); a read,
 * even by the updating PE, may come before one (herd7 coRR+HA-DSB.LD,
 * MP+HA-DSB.ST: Allowed), a decision each.
 */
void hw_access_observe(struct sim_cpu *cpu, uint64_t slot, bool write)
{
	struct sim *sim = cpu->sim;
	struct mmu *m = mmu_of(sim);

	for (unsigned i = 0; i < m->nupd;) {
		if (m->upd[i].slot == slot && (write || sim_decide(sim, DECIDE_HW_UPDATE, 2)))
			upd_perform(sim, i);
		else
			i++;
	}
	spec_af(sim, slot);
}

/*
 * A DSB (not .LD or .ST) of @cpu: its updates are visible before what
 * follows, its own later reads included (coRR+HA-DSB.ISH: Forbidden; the
 * memory model's hw_store orders them before the PE's later full DSB).
 */
void hw_dsb(struct sim_cpu *cpu)
{
	struct sim *sim = cpu->sim;
	struct mmu *m = mmu_of(sim);

	for (unsigned i = 0; i < m->nupd;) {
		if (m->upd[i].cpu == cpu->id)
			upd_perform(sim, i);
		else
			i++;
	}
}

/*
 * The descriptor value a walk read, for the memory model's ordering of
 * the access after it: @desc is what the TLB holds, the update a waiting
 * one made of what the walk read.
 */
uint64_t hw_desc_read(struct sim *sim, uint64_t slot, uint64_t desc)
{
	struct mmu *m = mmu_of(sim);

	for (unsigned i = 0; i < m->nupd; i++)
		if (m->upd[i].slot == slot && m->upd[i].new == desc)
			return m->upd[i].old;
	return desc;
}

/* Every PE has finished: updates still waiting are written, speculative ones decided. */
void hw_run_end(struct sim *sim)
{
	struct mmu *m = mmu_of(sim);
	uint64_t *slots;
	unsigned n;

	if (!m || !m->ha)
		return;
	while (m->nupd)
		upd_perform(sim, 0);
	if (!m->af0_scanned)
		hw_af0_scan(sim);
	/* herd7 NOP+AF: a PE with HA may set AF with no access at all. */
	n = m->naf0;
	slots = g_memdup2(m->af0, n * sizeof(*slots));
	for (unsigned i = 0; i < n; i++)
		spec_af(sim, slots[i]);
	g_free(slots);
}

/*
 * A descriptor as the PEs see it: memory, with the update waiting there
 * (the TLB entry its walk filled holds the updated value).
 */
uint64_t hw_desc_view(struct sim *sim, uint64_t slot)
{
	struct mmu *m = mmu_of(sim);
	uint64_t d = pmem_read(sim->mem, slot, 8);

	for (unsigned i = 0; i < m->nupd; i++)
		if (m->upd[i].slot == slot && m->upd[i].old == d)
			return m->upd[i].new;
	return d;
}

/*
 * A write through a read-only entry with DBM set and hardware dirty state
 * management (--hafdbs afdb): the PE makes the descriptor writable by an
 * atomic update (D8.5 "Hardware management of the dirty state"; herd7
 * STR-db0+dbm1-HD: Required) instead of faulting, waiting as any update
 * (herd7 MP+HD-DSB.ST: Allowed). The update is of the descriptor as it is
 * now, not as cached: drop the cached entry, walk, and update what the
 * walk found; 0, or -1 with @f set, or 1 when it has no DBM after all.
 *
 * An early walk (hw_early_walk()) read a value a later store replaced: its
 * update is atomic with that read, so in coherence it comes right after
 * the value read and before the store that replaced it, which overwrites
 * it (herd7 coWWExpNExp: Allowed). Nothing is written; the access goes on
 * with the updated value.
 */
int hw_set_dirty(struct sim_cpu *cpu, uint64_t va, struct mmu_result *res, struct mmu_fault *f,
		 bool early)
{
	struct sim *sim = cpu->sim;
	struct mmu_cpu *mc = cpu->mmu;
	uint64_t page = va & ~(MMU_PAGE_SIZE - 1);

	if (early) {
		res->desc &= ~DESC_AP_RDONLY;
		if (sim_events_on(sim))
			sim_instant_detail(
				cpu, "hw update",
				"descriptor %#" PRIx64 ": dirty, placed before the store "
				"that replaced the value the early walk read (overwritten)",
				res->desc_pa);
		return 0;
	}

	mmu_tlb_invalidate(mc, page, page + MMU_PAGE_SIZE, true);
	if (ptw_walk(sim, cpu, va, res, f))
		return -1;
	if (!mmu_desc_writable(res->desc)) {
		if (!(res->desc & DESC_DBM))
			return 1; /* a permission fault after all */
		res->desc = hw_update(cpu, res->desc_pa, res->desc, 0, DESC_AP_RDONLY);
	}
	tlb_insert(sim, &mc->tlb, va, res, chk_epoch(sim));
	return 0;
}
