// SPDX-License-Identifier: GPL-2.0-only
/*
 * The TLB maintenance instructions: TLBI (by VA, range, all; local or
 * broadcast, the broadcast ones delivered to remote TLBs lazily, see
 * mmu.c's sync_pending()), DSB (completing them, and what the checker
 * waits for) and ISB.
 */
#include "mmu_internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void queue_op(struct mmu_cpu *rc, uint64_t start, uint64_t end, bool last_level,
		     uint64_t seq, unsigned issuer)
{
	if (rc->npending == rc->cappending) {
		rc->cappending = rc->cappending ? rc->cappending * 2 : 16;
		rc->pending = g_renew(struct tlbi_op, rc->pending, rc->cappending);
	}
	rc->pending[rc->npending++] = (struct tlbi_op){
		.start = start,
		.end = end,
		.last_level = last_level,
		.issuer = issuer,
		.seq = seq,
	};
}

/*
 * A TLBI is performed on each TLB, the issuer's own too, at any time
 * before the DSB ISH that completes it: a lookup meeting it decides
 * whether it has arrived (mmu.c's sync_pending()). Until then the TLB may
 * still use, and fill, what it removes (herd7 V2I-W-DSB.ISH-TLBI-DSB.ST-ISB-R:
 * a DSB ST or LD does not complete it).
 */
static void mmu_tlbi(struct sim_cpu *cpu, uint64_t start, uint64_t end, bool last_level, bool bcast)
{
	struct sim *sim = cpu->sim;
	struct mmu_cpu *mc = cpu->mmu;

	sim_yield(cpu);
	sim_note(cpu, SIM_OBJ_CHECKER, true);
	if (bcast)
		mmu_note_tlb_range(cpu, SIM_OBJ_TLB_VA_ALL, start, end); /* it reaches those VAs */
	else
		sim_note(cpu, SIM_OBJ_TLB(cpu->id), true);
	uint64_t t0 = cpu->clock;
	sim_tick(cpu, bcast ? COST_tlbi_bcast : COST_tlbi_local);
	sim_span_detail(cpu, bcast ? "tlbi (broadcast)" : "tlbi (local)", t0,
			"[%#" PRIx64 ", %#" PRIx64 ")%s", start, end,
			last_level ? " last level" : "");
	/*
	 * What it invalidates: the values replaced by table stores ordered
	 * before it; with views, by DSB, ISB or its operand (herd7
	 * MP+dmb.st+tlbi.vmall-dsb.ish-isb: a load not so ordered may still
	 * see a store the TLBI does not wait for), else all but this CPU's
	 * own not yet completed.
	 */
	uint64_t seq = mc->st_open ? mc->st_seq : UINT64_MAX;

	if (mc->m->views) {
		seq = hw_seq_of_view(mc->m, cpu_memory_tlbi_view(cpu, mc->tlbi_dep));
		mc->tlbi_dep = 0;
	}
	queue_op(mc, start, end, last_level, seq, cpu->id);
	if (bcast) {
		for (unsigned j = 0; j < sim->ncpus; j++)
			if (j != cpu->id)
				queue_op(sim->cpus[j].mmu, start, end, last_level, seq, cpu->id);
		if (mc->outstanding == mc->capissued) {
			mc->capissued = mc->capissued ? mc->capissued * 2 : 8;
			mc->issued = g_renew(struct cpu_va_range, mc->issued, mc->capissued);
		}
		mc->issued[mc->outstanding++] = (struct cpu_va_range){start, end};
	}
	chk_tlbi(cpu, start, end, last_level, bcast);
}

void mmu_tlbi_dep(struct sim_cpu *cpu, cpu_dep_t dep)
{
	((struct mmu_cpu *)cpu->mmu)->tlbi_dep = dep == CPU_DEP_NONE ? 0 : dep;
}

static void tlbi_va(struct sim_cpu *cpu, uint64_t va, bool last_level, bool bcast)
{
	uint64_t page = va & ~(MMU_PAGE_SIZE - 1);

	mmu_tlbi(cpu, page, page + MMU_PAGE_SIZE, last_level, bcast);
}

#define TLBIR_BADDR_MASK  ((1ull << 37) - 1)
#define TLBIR_NUM_SHIFT	  39
#define TLBIR_SCALE_SHIFT 44
#define TLBIR_TG_SHIFT	  46
#define TLBIR_TG_4K	  1ull

uint64_t mmu_tlbi_range_arg(uint64_t va, unsigned scale, unsigned num)
{
	return ((va >> MMU_PAGE_SHIFT) & TLBIR_BADDR_MASK) |
	       ((uint64_t)(num & 31) << TLBIR_NUM_SHIFT) |
	       ((uint64_t)(scale & 3) << TLBIR_SCALE_SHIFT) | (TLBIR_TG_4K << TLBIR_TG_SHIFT);
}

void mmu_tlbi_range_bounds(uint64_t arg, uint64_t *start, uint64_t *end)
{
	unsigned num = (arg >> TLBIR_NUM_SHIFT) & 31, scale = (arg >> TLBIR_SCALE_SHIFT) & 3;
	uint64_t base = (arg & TLBIR_BADDR_MASK) << MMU_PAGE_SHIFT; /* VA[48:12] */

	/* Bit 48 of the VA selects TTBR1: sign-extend it. */
	if (base & (1ull << 48))
		base |= ~((1ull << 49) - 1);
	*start = base;
	*end = base + (((uint64_t)num + 1) << (5 * scale + 1)) * MMU_PAGE_SIZE;
}

static void tlbi_range(struct sim_cpu *cpu, uint64_t arg, bool last_level, bool bcast)
{
	uint64_t start, end;

	mmu_tlbi_range_bounds(arg, &start, &end);
	mmu_tlbi(cpu, start, end, last_level, bcast);
}

static void tlbi_all(struct sim_cpu *cpu, bool last_level, bool bcast)
{
	mmu_tlbi(cpu, 0, UINT64_MAX, last_level, bcast);
}

#define MMU_TLBI_CALL_VA(last_level, bcast)    tlbi_va(cpu, va, last_level, bcast)
#define MMU_TLBI_CALL_ALL(last_level, bcast)   tlbi_all(cpu, last_level, bcast)
#define MMU_TLBI_CALL_RANGE(last_level, bcast) tlbi_range(cpu, arg, last_level, bcast)
#define MMU_TLBI(name, operand, last_level, bcast)                   \
	void tlbi_##name(struct sim_cpu *cpu MMU_TLBI_ARG_##operand) \
	{                                                            \
		MMU_TLBI_CALL_##operand(last_level, bcast);          \
	}
#include "tlbi.def"
#undef MMU_TLBI

/*
 * A DSB with no TLBI (@full) or break of this CPU's in flight changes
 * nothing another CPU can tell: a local point (sim_yield_local()).
 */
static void dsb_point(struct sim_cpu *cpu, bool full)
{
	struct mmu_cpu *mc = cpu->mmu;

	if ((full && (mc->outstanding || mc->nupd)) || chk_dsb_pending(cpu, full)) {
		sim_yield(cpu);
		sim_note(cpu, SIM_OBJ_CHECKER, true);
		mmu_note_dsb(cpu);
	} else
		sim_yield_local(cpu);
}

/*
 * Performs on @rc's TLB every TLBI of @issuer still on its way there, at
 * the issuer's DSB; @d: the largest bound one applied (0: none) and the
 * VAs they cover.
 */
static void perform_issued(struct mmu_cpu *rc, unsigned issuer, bool remote, struct tlbi_done *d)
{
	unsigned keep = 0;
	uint64_t b;

	*d = (struct tlbi_done){0, UINT64_MAX, 0};
	/* Perform them in order, keep the others': one pass, no shifting. */
	for (unsigned i = 0; i < rc->npending; i++) {
		struct tlbi_op *op = &rc->pending[i];

		if (op->issuer != issuer) {
			rc->pending[keep++] = *op;
			continue;
		}
		/*
		 * Another CPU's completed TLBI bounds early walks here; this
		 * CPU's own does not (herd7 coWRExpNExp+DSB-TLBI-DSB).
		 */
		b = mmu_tlbi_perform(rc, op, remote, true);
		d->seq = b > d->seq ? b : d->seq;
		d->start = op->start < d->start ? op->start : d->start;
		d->end = op->end > d->end ? op->end : d->end;
		/* Only a walk of a VA it covers used what it removed. */
		if (remote && op->start <= rc->walk_va && rc->walk_va <= op->end - 1)
			rc->walk_restart = true;
	}
	rc->npending = keep;
}

void dsb_ish(struct sim_cpu *cpu)
{
	struct sim *sim = cpu->sim;
	struct mmu_cpu *mc = cpu->mmu;

	dsb_point(cpu, true);
	if (mc->nupd)
		hw_dsb(cpu); /* FEAT_HAFDBS updates: DSB-ob orders them (hafdbs.c) */
	uint64_t t0 = cpu->clock;
	sim_tick(cpu, mc->outstanding ? COST_dsb_tlbi : COST_dsb);
	if (mc->outstanding) {
		sim_span_detail(cpu, "dsb ish: TLBIs complete", t0,
				"%u broadcast TLBI%s performed on every PE", mc->outstanding,
				mc->outstanding == 1 ? "" : "s");
		/* The DSB completes only when every remote TLB performed them. */
		for (unsigned j = 0; j < sim->ncpus; j++)
			if (j != cpu->id)
				perform_issued(sim->cpus[j].mmu, cpu->id, true, &mc->done[j]);
		cpu_memory_tlbi_sync(cpu, mc->issued, mc->outstanding);
	}
	if (mc->npending) {
		struct tlbi_done own; /* its own TLB: no completion to record */

		perform_issued(mc, cpu->id, false, &own);
	}
	mc->st_open = false;
	cpu_barrier(cpu, CPU_DSB_ISH);
	if (mc->outstanding) {
		uint64_t now, view = cpu_memory_sync_view(cpu, &now);
		bool ordered = view != UINT64_MAX;

		for (unsigned j = 0; j < sim->ncpus; j++)
			if (j != cpu->id && mc->done[j].seq)
				mmu_rinval_record(sim->cpus[j].mmu, mc->done[j].seq, ordered, view,
						  now, mc->done[j].start, mc->done[j].end);
		mc->outstanding = 0;
	}
	chk_dsb(cpu, true);
}

void dsb_ishst(struct sim_cpu *cpu)
{
	dsb_point(cpu, false);
	sim_tick(cpu, COST_dsb);
	((struct mmu_cpu *)cpu->mmu)->st_open = false;
	cpu_barrier(cpu, CPU_DSB_ISHST);
	chk_dsb(cpu, false);
}

/*
 * DSB LD waits for earlier loads only: no store, table store or TLBI is
 * completed by it (herd7 I2V-W-DSB.LD-ISB-R, V2I-W-DSB.ISH-TLBI-DSB.LD-ISB-R:
 * Allowed). For the memory model it orders as DMB LD does.
 */
void dsb_ishld(struct sim_cpu *cpu)
{
	sim_yield_local(cpu);
	sim_tick(cpu, COST_dsb);
	cpu_barrier(cpu, CPU_DSB_ISHLD);
}

void isb(struct sim_cpu *cpu)
{
	sim_yield_local(cpu);
	sim_tick(cpu, COST_isb);
	hw_context_sync(cpu);
	cpu_barrier(cpu, CPU_ISB);
}
