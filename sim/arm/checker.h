/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * checker: the Arm rules on live translation-table changes, applied to
 * every store into a live table, every TLB lookup and every access (the
 * MMU calls it; see sim/arm/mmu.h), and reported with sim_report():
 *
 *  bbm-violation    a change that needs break-before-make made while the old
 *                   translation may still be cached or walked (D8.16.1);
 *                   FEAT_BBM level 2 relaxes block-size changes (D8.16.2); a
 *                   make not ordered (happens-before) after the break's TLBI
 *                   completed; a write to either page of an identical-contents
 *                   remap while both translations may be cached
 *  tlb-conflict     a lookup that hits two entries that do not translate
 *                   alike (the TLB conflict abort)
 *  break-fault      a kernel access with no fix-up faulting on an entry
 *                   between break and make
 *  stale-access     an access through a TLB entry whose descriptor changed,
 *                   to a page freed or reallocated since the entry was filled;
 *                   a freed page reached through a live mapping other than
 *                   the linear map; a page freed while a translation to it
 *                   may still be cached (use after free)
 *  permission-fault a kernel write through a read-only mapping, no fix-up
 *
 * The rules are one function each in one table (checker.c, chk_rules[]);
 * every report names its function. Ordering is happens-before: vector
 * clocks joined through memory (a load or store meeting another CPU's last
 * store to the line) and SGIs (chk_sgi_send/take).
 *
 * For stale-access the checker must know page ownership: the kernel's page
 * allocator (or a scenario) annotates it, KASAN-style, with the calls below.
 * Without an MMU installed they do nothing.
 */
#ifndef BBMSIM_CHECKER_H
#define BBMSIM_CHECKER_H

#include "sim/sim.h"

/* @npages pages from @pa were handed to a new owner. */
void chk_page_alloc(struct sim *sim, uint64_t pa, uint64_t npages);
/* @npages pages from @pa went back to the allocator. */
void chk_page_free(struct sim *sim, uint64_t pa, uint64_t npages);
/* The page holding @pa is free (annotated free and not since allocated). */
bool chk_page_is_free(struct sim *sim, uint64_t pa);
/* Break records (entries made invalid, not yet remade and invalidated): for tests. */
unsigned chk_pending_breaks(struct sim *sim);
/* Cache lines whose last store's clock the checker keeps (happens-before): for tests. */
unsigned chk_hb_lines(struct sim *sim);

/*
 * Happens-before through the GIC: @from sends an SGI to CPU @to (the
 * ICC_SGI1R_EL1 write), @cpu acknowledges one (ICC_IAR1_EL1). The receiver
 * is then ordered after everything the sender did before sending.
 */
void chk_sgi_send(struct sim_cpu *from, unsigned to);
void chk_sgi_take(struct sim_cpu *cpu);

/* The checker's rules, in its table's order: function, finding, citation. */
void chk_rules_foreach(void (*fn)(const char *name, const char *finding, const char *cite,
				  void *arg),
		       void *arg);

#endif
