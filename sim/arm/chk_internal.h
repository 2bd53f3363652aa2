/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * chk_internal: what the checker's files share (checker.c the rules,
 * chk_breaks.c the break records, chk_hb.c happens-before, chk_pages.c page
 * ownership). Nobody else includes this.
 */
#ifndef BBMSIM_CHK_INTERNAL_H
#define BBMSIM_CHK_INTERNAL_H

#include "checker.h"
#include "mmu_internal.h"

/* ---- happens-before (chk_hb.c) ------------------------------------------------- */

/*
 * Vector clocks, as race detectors keep them (FastTrack): vc[i][j] is the
 * last event of CPU j that CPU i is ordered after. An event of CPU j is
 * stamped with the value hb_tick() returns; CPU i is ordered after it once
 * vc[i][j] >= the stamp. Edges: program order; a load or store that meets
 * the last store to its cache line (rf and ca of aarch64.cat's obs); an
 * SGI from its send to its acknowledgement.
 */
struct chk_hb;

struct chk_hb *hb_create(unsigned ncpus);
void hb_destroy(struct chk_hb *h);
/* A new event of @cpu: its stamp (every later event of @cpu is ordered after). */
uint32_t hb_tick(struct chk_hb *h, unsigned cpu);
/* Is @cpu ordered after the event @stamp of CPU @of? */
bool hb_after(const struct chk_hb *h, unsigned cpu, unsigned of, uint32_t stamp);
/* An access by @cpu to @pa (a store releases: later accesses to the line acquire). */
void hb_access(struct chk_hb *h, unsigned cpu, uint64_t pa, bool write);
/* Forgets every line's clock (nothing stamped is live): memory stays bounded. */
void hb_forget_lines(struct chk_hb *h);
/* Lines holding a clock now (tests, the docs' measurements). */
unsigned hb_lines(const struct chk_hb *h);
void hb_sgi_send(struct chk_hb *h, unsigned from, unsigned to);
void hb_sgi_take(struct chk_hb *h, unsigned cpu);

/* ---- break records (chk_breaks.c) ---------------------------------------------- */

/* A TLBI that covers (part of) a break; @done_at stamps the DSB ISH that completed it. */
struct chk_cover {
	uint64_t start, end;
	unsigned cpu;
	bool done;
	uint32_t done_at;
};

/*
 * A live entry made invalid (a break), or replaced by a valid entry that
 * needed no break only because both pages hold the same bytes (a twin):
 * the old translation may stay cached until an invalidation covering it
 * completes, and a store is ordered after that completion.
 */
struct chk_break {
	uint64_t slot_pa, va, size, old;
	uint64_t twin_pa; /* twin: the new page, which must keep the old one's bytes */
	int level;
	unsigned storer;
	uint32_t vis_at; /* stamp of the storer's DSB that made the store visible to walks */
	bool visible;
	bool remade; /* the slot holds a valid entry again */
	bool twin;
	bool dead; /* dropped */
	struct chk_cover *cov;
	unsigned ncov, capcov;
};

struct brk_lo {
	uint64_t lo; /* break_span() start */
	uint32_t i;
};

struct chk_breaks {
	/*
	 * Records in the order they were made. A dropped one stays as a
	 * tombstone (dead) until compaction, so that indices hold still.
	 */
	struct chk_break *brk;
	unsigned nbrk, capbrk, nlive, ntwins;
	/*
	 * Per CPU: its live records not yet made visible by a DSB, and its
	 * TLBIs over live records not yet completed by one. A DSB with both
	 * zero changes nothing here (chk_dsb_pending()).
	 */
	uint32_t *unvisible, *undone;
	/*
	 * Past a few dozen records (a 1 GiB restore breaks 4096 PTEs, then
	 * invalidates and remakes them one by one) a scan per TLBI and per
	 * store is quadratic: records of small span sorted by span start, the
	 * others apart, rebuilt when a record is added or compacted away.
	 */
	struct brk_lo *by_lo;
	uint32_t nby_lo, *large, nlarge, *hits;
	bool index_stale;
};

void breaks_init(struct chk_breaks *b, unsigned ncpus);
void breaks_free(struct chk_breaks *b);
struct chk_break *break_add(struct chk_breaks *b, unsigned storer, uint64_t slot, int level,
			    uint64_t va, uint64_t old);
void break_drop(struct chk_breaks *b, unsigned i);
/* With every record dropped, forgets the tombstones (not while hits are held). */
void breaks_tidy(struct chk_breaks *b);
/* The span a record's old translation covers (a contiguous run as one entry). */
void break_span(const struct chk_break *r, uint64_t *lo, uint64_t *hi);
/* Live records whose span meets [start, end), in the order made, into b->hits. */
unsigned breaks_meeting(struct chk_breaks *b, uint64_t start, uint64_t end);
/* Its invalidation completed on every TLB (whoever knows it). */
bool break_complete(const struct chk_break *r);
/* ... and that completion is ordered before what @cpu does next. */
bool break_complete_for(const struct chk_break *r, const struct chk_hb *h, unsigned cpu);
void break_add_cover(struct chk_breaks *b, struct chk_break *r, uint64_t start, uint64_t end,
		     unsigned cpu);

/* ---- page ownership (chk_pages.c) ------------------------------------------------ */

/*
 * A run of pages with one ownership state (epoch << 1 | free). Runs, not a
 * map per page: a gigantic allocation is one entry, and at the series' scale
 * (600 GiB) a map per page would not fit in memory.
 */
struct pg_run {
	uint64_t start, end; /* PFNs, [start, end) */
	uint64_t state;
};

struct chk_pages {
	GTree *runs;
	/*
	 * Copies of runs found lately, by 2 MiB region: lookups keep coming
	 * back to a few. Copies, so that a change drops only the ones it
	 * overlaps: every CPU re-checks its TLB entries after each change.
	 */
	struct pg_run recent[64];
};

void pages_init(struct chk_pages *p);
void pages_free(struct chk_pages *p);
void pages_set(struct chk_pages *p, uint64_t pfn, uint64_t npages, uint64_t state);
/* epoch << 1 | free of the page holding @pa; 0: never annotated (kernel image, data). */
uint64_t pages_state(struct chk_pages *p, uint64_t pa);

/* ---- what needs break-before-make (chk_change.c) --------------------------------- */

#define RULE_BBM   "Arm ARM DDI 0487 D8.16.1 break-before-make: "
#define RULE_BBML2 "Arm ARM DDI 0487 D8.16.2 FEAT_BBM level 2: "

/* What a change breaks, for the report. */
struct chk_why {
	uint64_t va, old_pa, new_pa, od, nd;
	int ol, nl;
	const char *rule;
	char what[120];
};

/* A descriptor a TLB may hold (faulting ones are never cached). */
bool chk_cacheable(uint64_t d, int level);
/*
 * Does replacing translation @od (level @ol, VA base @ob) by @nd (@nl, @nb)
 * over [lo, hi) need break-before-make? True with @why filled.
 */
bool chk_change_needs_bbm(struct sim *sim, uint64_t lo, uint64_t hi, uint64_t od, int ol,
			  uint64_t ob, uint64_t nd, int nl, uint64_t nb, struct chk_why *why);

/* ---- the checker --------------------------------------------------------------- */

struct chk {
	struct sim *sim;
	struct chk_pages pages;
	struct chk_breaks b;
	struct chk_hb *hb;
	char *report_detail, *report_rule; /* the last report's texts (see chk_report()) */
};

#endif
