// SPDX-License-Identifier: GPL-2.0-only
/*
 * ptw: the stage-1 translation table walker (VMSAv8-64, 4 KiB granule,
 * TTBR1 with T1SZ = 16, so the walk starts at level 0).
 *
 * A CPU's walk reads each descriptor through cpu_load_pa(), a yield point,
 * so another CPU's table stores interleave with it exactly as they would
 * with a hardware walker. A TLBI that reaches the TLB mid-walk restarts the
 * walk: a completed invalidation covers walks in flight (Arm ARM DDI 0487,
 * D8 "TLB maintenance"). Faulting translations are never cached (D8
 * "Translation Lookaside Buffers": translation and Access flag faults are
 * not held in a TLB).
 */
#include "mmu_internal.h"

#include <string.h>

static uint64_t ptw_read(struct sim *sim, struct sim_cpu *cpu, uint64_t pa)
{
	if (!cpu)
		return pmem_read(sim->mem, pa, 8);
	sim_tick(cpu, COST_walk_level);
	if (!mmu_of(sim)->ha)
		return cpu_load_pa(cpu, pa, 8);
	/* cpu_load_pa(), with what FEAT_HAFDBS lets this read see (hafdbs.c). */
	sim_yield(cpu);
	hw_walk_observe(cpu, pa);
	sim_tick(cpu, COST_load);
	sim_note(cpu, pa >> 3, false);
	return pmem_read(sim->mem, pa, 8);
}

static int ptw_fault(struct mmu_fault *f, enum mmu_fault_type type, int level, uint64_t desc,
		     uint64_t desc_pa)
{
	f->type = type;
	f->level = level;
	f->desc = desc;
	f->desc_pa = desc_pa;
	return -1;
}

int ptw_walk(struct sim *sim, struct sim_cpu *cpu, uint64_t va, struct mmu_result *res,
	     struct mmu_fault *f)
{
	struct mmu *m = mmu_of(sim);
	struct mmu_cpu *mc = cpu ? cpu->mmu : NULL;
	uint64_t table;
	int level;

	memset(f, 0, sizeof(*f));
	f->va = va;
	/* TTBR0 (user space) is not in use: EPD0, a level 0 translation fault. */
	if ((va >> MMU_VA_BITS) != 0xffff)
		return ptw_fault(f, MMU_FAULT_TRANSLATION, 0, 0, 0);
restart:
	level = 0;
	table = m->ttbr1;
	if (mc) {
		struct tlb_walk *w = tlb_walk_lookup(&mc->tlb, va);

		mc->walk_restart = false;
		mc->walk_va = va;
		if (w) {
			if (w->epoch != chk_epoch(sim))
				chk_walk_use(cpu, va, w);
			level = w->level + 1;
			table = w->table;
		}
	}
	for (;;) {
		unsigned shift = mmu_level_shift(level);
		uint64_t dpa = table + ((va >> shift) & 511) * 8;
		uint64_t d = ptw_read(sim, cpu, dpa);

		/*
		 * For exploration: whether a DSB completing a TLBI of this VA
		 * ran since the last step is read here (litmus/dpor.h).
		 */
		if (mc)
			sim_note(cpu, SIM_OBJ_TLB_VA(cpu->id, va, 12), false);
		if (mc && mc->walk_restart)
			goto restart;
		if (mmu_desc_is_table(d, level)) {
			table = d & DESC_OA_MASK;
			if (mc)
				tlb_walk_insert(sim, &mc->tlb, level, va, table, d, dpa,
						chk_epoch(sim));
			level++;
			continue;
		}
		/* Invalid, a block at L0, or the reserved L3 encoding. */
		if (!mmu_desc_is_leaf(d, level))
			return ptw_fault(f, MMU_FAULT_TRANSLATION, level, d, dpa);
		/*
		 * AF == 0 faults, unless this PE manages the Access flag
		 * (FEAT_HAFDBS): then the walker updates the descriptor it
		 * read, atomically, and goes on with AF set; the write becomes
		 * visible later (hafdbs.c). A host walk (setup, inspection)
		 * changes nothing.
		 */
		if (!(d & DESC_AF)) {
			if (!mc || !mc->ha)
				return ptw_fault(f, MMU_FAULT_ACCESS_FLAG, level, d, dpa);
			d = hw_update(cpu, dpa, d, DESC_AF, 0);
		}
		res->pa = mmu_desc_oa(d, level) + (va & ((1ull << shift) - 1));
		res->desc = d;
		res->desc_pa = dpa;
		res->level = level;
		res->tlb_hit = false;
		res->early = false;
		return 0;
	}
}
