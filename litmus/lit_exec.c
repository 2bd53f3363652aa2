// SPDX-License-Identifier: GPL-2.0-only
/*
 * A litmus thread interpreted: each instruction through the CPU and MMU
 * calls with the ordering, the barrier or the dependencies it carries
 * (docs/litmus.md, "What a run is").
 */
#include "lit_exec.h"
#include "lit_run.h"

#include <stddef.h>
#include <string.h>

/*
 * The values thread @th may promise (cpu_promise_values(); Promising-ARM's
 * load buffering): what a store after one of its loads writes, where that
 * value is known without the program running: an immediate, an initial
 * register, or arithmetic whose result no loaded value changes (x ^ x,
 * x - x, x & 0). Such a value may still carry a load's dependency
 * (LB+SWP-RsRt-addr+rel): whether the store can be made before the
 * promise is read is the fulfilment's check (mm_fulfil()), not this
 * guess's. A value a load decides, and what follows a branch on one, is
 * not offered: the guess would be the loaded value itself, and a store
 * data-dependent on the load that read its promise is thin air. One pass
 * in program order with the registers' initial values @x as constants;
 * what a loop or handler does is not promised (fewer load-buffering
 * outcomes, none wrong). Each value offered is a branch of the exhaustive
 * search at every access of another CPU, hence the care.
 */
/* x ^ x, x - x, x & 0: 0 whatever the register holds. */
static bool zero_whatever_loaded(const struct lit_ins *in)
{
	bool same = !in->has_imm && in->rn >= 0 && in->rn == in->rm;
	bool zero = in->has_imm ? in->imm == 0 : in->rm == LIT_REG_ZR;

	switch (in->op) {
	case LOP_EOR:
	case LOP_SUB:
		return same;
	case LOP_AND:
		return zero || in->rn == LIT_REG_ZR;
	default:
		return false;
	}
}

unsigned lit_promise_values(const struct litmus *lt, int th, const uint64_t *x, uint64_t *vals,
			    unsigned max)
{
	const struct lit_thread *t = &lt->th[th];
	bool taint[32] = {false}, known[32], ftaint = false, fknown = true, z = false;
	bool loaded = false;
	uint64_t v[32];
	unsigned n = 0;

	for (int r = 0; r < 32; r++) {
		known[r] = true;
		v[r] = r == LIT_REG_ZR ? 0 : x[r];
	}
	/* A walk of the program, through branches whose outcome is known. */
	for (int pc = 0, steps = 0; pc < t->nins && steps < 4 * LIT_MAX_INS; steps++) {
		const struct lit_ins *in = &t->ins[pc++];
		bool at = (in->rn >= 0 && taint[in->rn]) || (in->rm >= 0 && taint[in->rm]);
		bool ak = (in->rn < 0 || known[in->rn]) && (in->rm < 0 || known[in->rm]);
		uint64_t a = in->rn >= 0 ? v[in->rn] : 0;
		uint64_t b = in->has_imm ? (uint64_t)in->imm : in->rm >= 0 ? v[in->rm] : 0;
		int data = -1, dst = -1, sel;

		switch (in->op) {
		case LOP_MOV:
		case LOP_ADD:
		case LOP_SUB:
		case LOP_AND:
		case LOP_ORR:
		case LOP_EOR:
			if (in->rd < 0 || in->rd == LIT_REG_ZR)
				break;
			taint[in->rd] = at;
			known[in->rd] = ak;
			v[in->rd] = in->op == LOP_MOV	? (in->has_imm ? b : a)
				    : in->op == LOP_ADD ? a + b
				    : in->op == LOP_SUB ? a - b
				    : in->op == LOP_AND ? a & b
				    : in->op == LOP_ORR ? a | b
							: a ^ b;
			if (!ak && zero_whatever_loaded(in)) {
				known[in->rd] = true; /* a false dependency: the value is 0 */
				v[in->rd] = 0;
			}
			break;
		case LOP_CSEL:
			if (!fknown || ftaint) {
				taint[in->rd] = at || ftaint;
				known[in->rd] = false;
				break;
			}
			sel = z == (in->cond == COND_EQ) ? in->rn : in->rm;
			taint[in->rd] = taint[sel];
			known[in->rd] = known[sel];
			v[in->rd] = v[sel];
			break;
		case LOP_CMP:
			ftaint = at;
			fknown = ak && !at;
			z = (in->wide ? a - b : (uint32_t)(a - b)) == 0;
			break;
		case LOP_B:
			pc = in->target;
			break;
		case LOP_BCOND:
			if (ftaint || !fknown)
				return n; /* what follows depends on a load, or is unknown */
			if (z == (in->cond == COND_EQ))
				pc = in->target;
			break;
		case LOP_CBZ:
		case LOP_CBNZ:
			if (at || !ak)
				return n;
			if ((a == 0) == (in->op == LOP_CBZ))
				pc = in->target;
			break;
		case LOP_LDR:
		case LOP_LDXR:
			dst = in->rd;
			break;
		case LOP_STR:
		case LOP_STXR:
			data = in->rd;
			break;
		case LOP_CAS:
			data = in->rd;
			dst = in->rs;
			break;
		case LOP_SWP:
		case LOP_LDOP:
			data = in->rs;
			dst = in->rd;
			break;
		case LOP_NOP:
		case LOP_DMB:
		case LOP_DSB:
		case LOP_ISB:
		case LOP_TLBI:
		case LOP_MSR:
			break;
		default:
			return n; /* CSET, shifts, ADR, MRS, ERET: not followed */
		}
		if (data >= 0 && loaded && known[data] && n < max) {
			uint64_t w = in->wide ? v[data] : (uint32_t)v[data];
			bool dup = false;

			for (unsigned k = 0; k < n; k++)
				dup |= vals[k] == w;
			if (!dup)
				vals[n++] = w;
		}
		if (dst >= 0 && dst != LIT_REG_ZR) {
			taint[dst] = true;
			known[dst] = false;
		}
		loaded |= dst >= 0 || in->op == LOP_LDR || in->op == LOP_LDXR;
	}
	return n;
}

/* ---- the interpreter ---------------------------------------------------------------------- */

static uint64_t rd(const struct lit_cpu *lc, int r, bool wide)
{
	uint64_t v = r == LIT_REG_ZR || r < 0 ? 0 : lc->x[r];

	return wide ? v : (uint32_t)v;
}

static void wr(struct lit_cpu *lc, int r, bool wide, uint64_t v)
{
	if (r >= 0 && r != LIT_REG_ZR)
		lc->x[r] = wide ? v : (uint32_t)v;
}

/*
 * The effective address; *@dep gains the dependencies of its registers,
 * which a fault of the access carries too (lc->fault_dep).
 */
static uint64_t ea(struct lit_cpu *lc, const struct lit_ins *in, cpu_dep_t *dep)
{
	uint64_t a = rd(lc, in->rn, true);

	if (in->rn >= 0 && in->rn != LIT_REG_ZR) {
		*dep = cpu_dep_join(*dep, lc->dep[in->rn]);
		lc->pacc = cpu_dep_join(lc->pacc, lc->pick[in->rn]);
	}
	if (in->has_imm) {
		lc->fault_dep = cpu_dep_join(*dep, lc->pacc);
		return a + (uint64_t)in->imm;
	}
	if (in->rm >= 0 && in->rm != LIT_REG_ZR) {
		*dep = cpu_dep_join(*dep, lc->dep[in->rm]);
		lc->pacc = cpu_dep_join(lc->pacc, lc->pick[in->rm]);
	}
	if (in->rm >= 0)
		a += in->sxtw ? (uint64_t)(int64_t)(int32_t)rd(lc, in->rm, false)
			      : rd(lc, in->rm, true);
	lc->fault_dep = cpu_dep_join(*dep, lc->pacc);
	return a;
}

/* TLBI Xt holds VA[55:12] in bits 43:0; bit 55 extends into the top byte. */
static uint64_t tlbi_va(uint64_t xt)
{
	uint64_t va = (xt & ((1ull << 44) - 1)) << 12;

	if (va & (1ull << 55))
		va |= 0xff00000000000000ull;
	return va;
}

static void do_tlbi(struct sim_cpu *cpu, enum lit_tlbi op, uint64_t va)
{
	switch (op) {
	case TLBI_VAE1IS:
		tlbi_vae1is(cpu, va);
		break;
	case TLBI_VALE1IS:
		tlbi_vale1is(cpu, va);
		break;
	case TLBI_VAAE1IS:
		tlbi_vaae1is(cpu, va);
		break;
	case TLBI_VAALE1IS:
		tlbi_vaale1is(cpu, va);
		break;
	case TLBI_VMALLE1IS:
		tlbi_vmalle1is(cpu);
		break;
	case TLBI_VAE1:
		tlbi_vae1(cpu, va);
		break;
	case TLBI_VALE1:
		tlbi_vale1(cpu, va);
		break;
	case TLBI_VAAE1:
		tlbi_vaae1(cpu, va);
		break;
	case TLBI_VAALE1:
		tlbi_vaale1(cpu, va);
		break;
	case TLBI_VMALLE1:
		tlbi_vmalle1(cpu);
		break;
	}
}

static uint64_t amo(enum lit_amo op, uint64_t old, uint64_t v)
{
	switch (op) {
	case AMO_ADD:
		return old + v;
	case AMO_CLR:
		return old & ~v;
	case AMO_SET:
		return old | v;
	case AMO_EOR:
	default:
		return old ^ v;
	}
}

/* The ordering of an explicit access: LDAR/LDAPR/STLR, an atomic's A/L suffix. */
static enum cpu_order order(const struct lit_ins *in)
{
	if (in->acq && in->rel)
		return CPU_AL;
	if (in->acq)
		return in->acq_pc ? CPU_ACQ_PC : CPU_ACQ;
	return in->rel ? CPU_REL : CPU_PLAIN;
}

/* The memory side of DMB <option>: SY, ISH, OSH and NSH order everything here. */
static enum cpu_barrier dmb_kind(enum lit_bar b)
{
	switch (b) {
	case BAR_ST:
	case BAR_ISHST:
		return CPU_DMB_ISHST;
	case BAR_LD:
	case BAR_ISHLD:
		return CPU_DMB_ISHLD;
	default:
		return CPU_DMB_ISH;
	}
}

/* The register's value and the dependency it carries (herd's syntactic dependencies). */
static uint64_t rdd(struct lit_cpu *lc, int r, bool wide, cpu_dep_t *dep)
{
	if (r >= 0 && r != LIT_REG_ZR) {
		*dep = cpu_dep_join(*dep, lc->dep[r]);
		lc->pacc = cpu_dep_join(lc->pacc, lc->pick[r]);
	}
	return rd(lc, r, wide);
}

/*
 * A stored value: its pick joins the write's data dependency and orders that
 * write only, not the access's fault or what follows (herd's pob,
 * pick-data-dep; [W]: MP+rel+pickdata-mmufault-po is Allowed).
 */
static uint64_t rdv(struct lit_cpu *lc, int r, bool wide, cpu_dep_t *dep)
{
	if (r >= 0 && r != LIT_REG_ZR)
		*dep = cpu_dep_join(*dep, cpu_dep_join(lc->dep[r], lc->pick[r]));
	return rd(lc, r, wide);
}

/* A computed value: the dependencies and the picks of what it was computed from. */
static void wrd(struct lit_cpu *lc, int r, bool wide, uint64_t v, cpu_dep_t dep)
{
	wr(lc, r, wide, v);
	if (r >= 0 && r != LIT_REG_ZR) {
		lc->dep[r] = dep;
		lc->pick[r] = lc->pacc;
	}
}

/* A value read from memory: the load's dependency, no pick. */
static void wrl(struct lit_cpu *lc, int r, bool wide, uint64_t v, cpu_dep_t dep)
{
	wrd(lc, r, wide, v, dep);
	if (r >= 0 && r != LIT_REG_ZR)
		lc->pick[r] = 0;
}

/* Before an access: its registers' picks order it as a control dependency would. */
static void pick_order(struct sim_cpu *cpu, const struct lit_cpu *lc)
{
	if (lc->pacc)
		cpu_ctrl_dep(cpu, lc->pacc);
}

/*
 * An atomic read-modify-write with the instruction's ordering; @noret: the
 * old value goes to XZR (STADD, CAS/SWP into XZR: no acquire, C6.2).
 */
static uint64_t rmw(struct sim_cpu *cpu, const struct lit_ins *in, enum cpu_rmw_op op, uint64_t a,
		    cpu_dep_t ad, uint64_t cmp, uint64_t v, cpu_dep_t vd, bool noret)
{
	unsigned size = in->wide ? 8 : 4;

	return cpu_rmw(cpu, op | (noret ? CPU_RMW_NORET : 0), a, size, cmp, v, order(in), ad, vd);
}

/* Executes lc->th's instruction lc->pc; returns false when the thread ends. */
bool lit_step(struct sim_cpu *cpu, struct lit_state *st, struct lit_cpu *lc)
{
	const struct lit_thread *th = &st->lt->th[lc->th];
	const struct lit_ins *in = &th->ins[lc->pc];
	unsigned size = in->wide ? 8 : 4;
	uint64_t a, b, v, old;
	cpu_dep_t ad = 0, dd = 0; /* address and data dependencies */
	int next = lc->pc + 1;

	lc->pacc = 0;
	switch (in->op) {
	case LOP_NOP:
		break;
	case LOP_MOV:
		v = in->has_imm ? (uint64_t)in->imm : rdd(lc, in->rn, in->wide, &dd);
		wrd(lc, in->rd, in->wide, v, dd);
		break;
	case LOP_ADD:
	case LOP_SUB:
	case LOP_AND:
	case LOP_ORR:
	case LOP_EOR:
	case LOP_BIC:
	case LOP_LSR:
	case LOP_LSL:
		/* EOR W2,W1,W1 is 0 and still depends on W1, as in herd. */
		a = rdd(lc, in->rn, in->wide, &dd);
		b = in->has_imm ? (uint64_t)in->imm : rdd(lc, in->rm, in->wide && !in->sxtw, &dd);
		if (in->sxtw)
			b = (uint64_t)(int64_t)(int32_t)b;
		v = in->op == LOP_ADD	? a + b
		    : in->op == LOP_SUB ? a - b
		    : in->op == LOP_AND ? a & b
		    : in->op == LOP_ORR ? a | b
		    : in->op == LOP_EOR ? a ^ b
		    : in->op == LOP_BIC ? a & ~b
		    : in->op == LOP_LSR ? a >> (b & (in->wide ? 63 : 31))
					: a << (b & (in->wide ? 63 : 31));
		wrd(lc, in->rd, in->wide, v, dd);
		break;
	case LOP_CMP:
		a = rdd(lc, in->rn, in->wide, &dd);
		b = in->has_imm ? (uint64_t)in->imm : rdd(lc, in->rm, in->wide, &dd);
		lc->z = (in->wide ? a - b : (uint32_t)(a - b)) == 0;
		lc->zdep = dd;
		lc->zpick = lc->pacc;
		break;
	case LOP_CSEL:
		/*
		 * herd: the result depends on the selected source; the flags
		 * give it a pick dependency only (MP+rel+CSEL: a CSEL of two
		 * constants carries no address dependency, Allowed).
		 */
		rdd(lc, lc->z == (in->cond == COND_EQ) ? in->rn : in->rm, in->wide, &dd);
		a = rd(lc, in->rn, in->wide);
		b = rd(lc, in->rm, in->wide);
		lc->pacc = cpu_dep_join(lc->pacc, cpu_dep_join(lc->zdep, lc->zpick));
		wrd(lc, in->rd, in->wide, lc->z == (in->cond == COND_EQ) ? a : b, dd);
		break;
	case LOP_CSET:
		lc->pacc = cpu_dep_join(lc->zdep, lc->zpick);
		wrd(lc, in->rd, in->wide, lc->z == (in->cond == COND_EQ), 0);
		break;
	case LOP_ADR:
		wrd(lc, in->rd, true,
		    LIT_LABEL_TAG | (uint64_t)in->target_th << 16 | (uint64_t)in->target, 0);
		break;
	case LOP_B:
		next = in->target;
		break;
	case LOP_BCOND:
		cpu_ctrl_dep(cpu, cpu_dep_join(lc->zdep, lc->zpick));
		if (lc->z == (in->cond == COND_EQ))
			next = in->target;
		break;
	case LOP_CBZ:
	case LOP_CBNZ:
		v = rdd(lc, in->rn, in->wide, &dd);
		cpu_ctrl_dep(cpu, cpu_dep_join(dd, lc->pacc));
		if ((v == 0) == (in->op == LOP_CBZ))
			next = in->target;
		break;
	case LOP_LDR:
		a = ea(lc, in, &ad);
		pick_order(cpu, lc);
		v = cpu_load_x(cpu, a, size, order(in), ad);
		wrl(lc, in->rd, in->wide, v, cpu_dep(cpu));
		break;
	case LOP_STR:
		a = ea(lc, in, &ad);
		v = rdv(lc, in->rd, in->wide, &dd);
		pick_order(cpu, lc);
		cpu_store_x(cpu, a, size, v, order(in), ad, dd);
		break;
	case LOP_LDXR:
		a = ea(lc, in, &ad);
		pick_order(cpu, lc);
		v = cpu_load_x(cpu, a, size, order(in), ad);
		lc->excl = true;
		lc->excl_addr = a;
		lc->excl_val = v;
		wrl(lc, in->rd, in->wide, v, cpu_dep(cpu));
		break;
	case LOP_STXR:
		/*
		 * The monitor as a compare-and-swap on the value LDXR read: it
		 * fails if the location changed since (no ABA). The status
		 * register carries no dependency.
		 */
		a = ea(lc, in, &ad);
		v = rdv(lc, in->rd, in->wide, &dd);
		pick_order(cpu, lc);
		b = 1;
		if (lc->excl && lc->excl_addr == a &&
		    rmw(cpu, in, CPU_RMW_CMPXCHG, a, ad, lc->excl_val, v, dd, true) == lc->excl_val)
			b = 0;
		lc->excl = false;
		wrl(lc, in->rs, false, b, 0);
		break;
	case LOP_SWP:
		a = ea(lc, in, &ad);
		v = rdv(lc, in->rs, in->wide, &dd);
		pick_order(cpu, lc);
		old = rmw(cpu, in, CPU_RMW_XCHG, a, ad, 0, v, dd, in->rd == LIT_REG_ZR);
		wrl(lc, in->rd, in->wide, old, cpu_dep(cpu));
		break;
	case LOP_CAS:
		a = ea(lc, in, &ad);
		/*
		 * The compare value decides whether the write happens, but herd
		 * counts no dependency from it to the write (MP+rel+CAS-addr);
		 * when the CAS succeeds, Rs may carry the compare value's
		 * dependency instead of the read's (cpu_cas_x(), herd7 #647).
		 */
		b = in->rs == LIT_REG_ZR ? 0 : lc->dep[in->rs];
		v = rdv(lc, in->rd, in->wide, &dd);
		pick_order(cpu, lc);
		if (in->rs == LIT_REG_ZR)
			old = rmw(cpu, in, CPU_RMW_CMPXCHG, a, ad, 0, v, dd, true);
		else
			old = cpu_cas_x(cpu, a, size, rd(lc, in->rs, in->wide), b, v, order(in), ad,
					dd);
		wrl(lc, in->rs, in->wide, old, cpu_dep(cpu));
		break;
	case LOP_LDOP:
		a = ea(lc, in, &ad);
		v = rdv(lc, in->rs, in->wide, &dd);
		pick_order(cpu, lc);
		if (in->amo != AMO_EOR) {
			enum cpu_rmw_op op = in->amo == AMO_ADD	  ? CPU_RMW_ADD
					     : in->amo == AMO_SET ? CPU_RMW_OR
								  : CPU_RMW_ANDNOT;
			old = rmw(cpu, in, op, a, ad, 0, v, dd, in->rd == LIT_REG_ZR);
		} else {
			/* No exclusive-or in the CPU API: compare-and-swap until it holds. */
			uint64_t seen = cpu_load_x(cpu, a, size, CPU_PLAIN, ad);
			for (;;) {
				uint64_t nv = amo(in->amo, seen, v);
				old = rmw(cpu, in, CPU_RMW_CMPXCHG, a, ad, seen,
					  in->wide ? nv : (uint32_t)nv, dd, in->rd == LIT_REG_ZR);
				if (old == seen)
					break;
				seen = old;
			}
		}
		wrl(lc, in->rd, in->wide, old, cpu_dep(cpu));
		break;
	case LOP_DMB:
		cpu_barrier(cpu, dmb_kind(in->bar));
		break;
	case LOP_DSB:
		if (in->bar == BAR_ST || in->bar == BAR_ISHST)
			dsb_ishst(cpu);
		else if (in->bar == BAR_LD || in->bar == BAR_ISHLD)
			dsb_ishld(cpu);
		else
			dsb_ish(cpu);
		break;
	case LOP_ISB:
		isb(cpu);
		break;
	case LOP_TLBI:
		if (in->rn >= 0 && in->rn != LIT_REG_ZR)
			mmu_tlbi_dep(cpu, lc->dep[in->rn]);
		do_tlbi(cpu, in->tlbi, tlbi_va(rd(lc, in->rn, true)));
		break;
	case LOP_MSR:
		lc->elr = rd(lc, in->rn, true);
		break;
	case LOP_MRS:
		wrl(lc, in->rd, true, lc->elr, 0);
		break;
	case LOP_ERET: {
		unsigned t = (unsigned)(lc->elr >> 16) & 0xff;
		if ((lc->elr & 0xffff000000000000ull) != LIT_LABEL_TAG ||
		    t != (unsigned)th->owner) {
			lc->th = th->owner;
			return false; /* returns nowhere we know: the thread ends */
		}
		/* An exception return is context synchronising. */
		cpu_barrier(cpu, CPU_ISB);
		mmu_set_el0(cpu, st->lt->el0 >> t & 1);
		lc->th = (int)t;
		next = (int)(lc->elr & 0xffff);
		break;
	}
	}
	/* Post-index: the base moves after the access. */
	if (in->post)
		wr(lc, in->rn, true, rd(lc, in->rn, true) + (uint64_t)(int64_t)in->post);
	lc->pc = next;
	return lc->pc < st->lt->th[lc->th].nins;
}
