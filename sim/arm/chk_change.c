// SPDX-License-Identifier: GPL-2.0-only
/*
 * What needs break-before-make (Arm ARM DDI 0487 D8.16.1; herd7's
 * aarch64bbm.cat, TTD-update-needsBBM): a change between two cacheable
 * descriptors of the memory type, shareability, nG, Contiguous bit or
 * block size, or of the output address where either mapping is writable
 * or the contents at the two addresses differ. Tables are compared leaf by
 * leaf over the overlap. FEAT_BBM level 2 (D8.16.2) allows the size change
 * itself.
 */
#include "chk_internal.h"

#include <stdio.h>

/* A descriptor a TLB may hold (faulting ones are never cached). */
bool chk_cacheable(uint64_t d, int level)
{
	return mmu_desc_is_table(d, level) || (mmu_desc_is_leaf(d, level) && (d & DESC_AF));
}

static uint64_t span_of(int level)
{
	return 1ull << mmu_level_shift(level);
}

static bool why_set(struct chk_why *why, const char *rule, uint64_t va, uint64_t od, int ol,
		    uint64_t opa, uint64_t nd, int nl, uint64_t npa, const char *what)
{
	why->va = va;
	why->od = od;
	why->ol = ol;
	why->old_pa = opa;
	why->nd = nd;
	why->nl = nl;
	why->new_pa = npa;
	why->rule = rule;
	snprintf(why->what, sizeof(why->what), "%s", what);
	return true;
}

/*
 * Two leaves over [lo, hi): old @od at level @ol mapping from VA @ob, new
 * @nd at @nl from @nb. True with @why when the change needs a break.
 */
static bool leaf_change_needs_bbm(struct sim *sim, uint64_t lo, uint64_t hi, uint64_t od, int ol,
				  uint64_t ob, uint64_t nd, int nl, uint64_t nb,
				  struct chk_why *why)
{
	uint64_t opa = mmu_desc_oa(od, ol) + (lo - ob), npa = mmu_desc_oa(nd, nl) + (lo - nb);

	if (ol != nl && sim_opt_uint(&sim->opt, OPT_bbm_level) < 2)
		return why_set(why, RULE_BBM "block size change", lo, od, ol, opa, nd, nl, npa,
			       "the block size changes");
	if ((od ^ nd) & DESC_CONT)
		return why_set(why, RULE_BBM "Contiguous bit change", lo, od, ol, opa, nd, nl, npa,
			       "the Contiguous bit changes");
	if ((od ^ nd) & DESC_ATTRINDX_MASK)
		return why_set(why, RULE_BBM "memory type change", lo, od, ol, opa, nd, nl, npa,
			       "the memory type (AttrIndx) changes");
	if ((od ^ nd) & DESC_SH_MASK)
		return why_set(why, RULE_BBM "shareability change", lo, od, ol, opa, nd, nl, npa,
			       "the shareability changes");
	if ((od ^ nd) & DESC_NG)
		return why_set(why, RULE_BBM "global/non-global change", lo, od, ol, opa, nd, nl,
			       npa, "nG changes");
	if (opa == npa)
		return false;
	/* An OA change is allowed only between read-only mappings of equal contents. */
	for (uint64_t va = lo; va < hi; va += MMU_PAGE_SIZE) {
		uint64_t o = opa + (va - lo), n = npa + (va - lo);
		bool w = mmu_desc_writable(od) || mmu_desc_writable(nd);
		bool differ = !pmem_page_equal(sim->mem, o, n);
		char what[120];

		if (!w && !differ)
			continue;
		snprintf(what, sizeof(what), "the output address changes%s%s",
			 w ? ", a mapping is writable" : "", differ ? ", the contents differ" : "");
		return why_set(why,
			       ol != nl ? RULE_BBML2 "size change must keep output contents"
					: RULE_BBM "output address change",
			       va, od, ol, o, nd, nl, n, what);
	}
	return false;
}

/* Compares each child of table @td (level @tl, VA base @tb) overlapping [lo, hi). */
static bool table_children_need_bbm(struct sim *sim, uint64_t lo, uint64_t hi, uint64_t td, int tl,
				    uint64_t tb, bool old_side, uint64_t d, int l, uint64_t b,
				    struct chk_why *why)
{
	uint64_t cs = span_of(tl + 1), table = td & DESC_OA_MASK;

	for (unsigned i = 0; i < 512; i++) {
		uint64_t cb = tb + i * cs, clo = cb > lo ? cb : lo,
			 chi = cb + cs < hi ? cb + cs : hi;
		uint64_t cd;

		if (cb + cs <= lo || cb >= hi)
			continue;
		cd = pmem_read(sim->mem, table + i * 8, 8);
		if (old_side ? chk_change_needs_bbm(sim, clo, chi, cd, tl + 1, cb, d, l, b, why)
			     : chk_change_needs_bbm(sim, clo, chi, d, l, b, cd, tl + 1, cb, why))
			return true;
	}
	return false;
}

/*
 * Does replacing translation @od (level @ol, VA base @ob) by @nd over
 * [lo, hi) need break-before-make? Tables are compared leaf by leaf.
 */
bool chk_change_needs_bbm(struct sim *sim, uint64_t lo, uint64_t hi, uint64_t od, int ol,
			  uint64_t ob, uint64_t nd, int nl, uint64_t nb, struct chk_why *why)
{
	bool ot = mmu_desc_is_table(od, ol), nt = mmu_desc_is_table(nd, nl);

	/* Nothing cached from an invalid entry; nothing to conflict with in one. */
	if (!chk_cacheable(od, ol) || !chk_cacheable(nd, nl))
		return false;
	if (ot && nt && ol == nl && !((od ^ nd) & DESC_OA_MASK))
		return false; /* the same table */
	/* A walk cache may hold the table: table <-> block is a size change. */
	if (ot != nt && sim_opt_uint(&sim->opt, OPT_bbm_level) < 2)
		return why_set(why, RULE_BBM "table/block change", lo, od, ol, 0, nd, nl, 0,
			       ot ? "a table is replaced by a block"
				  : "a block is replaced by a table");
	if (ot)
		return table_children_need_bbm(sim, lo, hi, od, ol, ob, true, nd, nl, nb, why);
	if (nt)
		return table_children_need_bbm(sim, lo, hi, nd, nl, nb, false, od, ol, ob, why);
	return leaf_change_needs_bbm(sim, lo, hi, od, ol, ob, nd, nl, nb, why);
}
