/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lit_run: a litmus test as a scenario. Each Pn runs on simulated CPU n,
 * interpreted instruction by instruction through the CPU/MMU API (loads and
 * stores translate through the TLB and walker, TLBI/DSB/ISB are the MMU's);
 * each x is the first page of a 2 MiB region of its own, LIT_VA(x) ->
 * LIT_PA(x), mapped by a last-level descriptor PTE(x) that the threads may
 * rewrite; a location the test names PMD(x) or TABLE(x) of has its whole
 * region mapped by its level-3 table, or by a 2 MiB block in PMD(x). At the end the
 * scenario's check() evaluates the test's condition on the final state.
 *
 * Contract: lit_scenario() builds a scenario (not registered: a litmus
 * test is given by file) whose runs fill a struct lit_exec; it holds @lt,
 * which must outlive it.
 */
#ifndef BBMSIM_LIT_RUN_H
#define BBMSIM_LIT_RUN_H

#include "litmus.h"
#include "sim/scenario.h"

#define LIT_VA_BASE 0xffff8000c0000000ull /* VMALLOC_START + 1 GiB: 2 MiB aligned */
#define LIT_PA_BASE 0x4000000ull	  /* 64 MiB */
#define LIT_PAGE    0x1000ull
#define LIT_REGION  0x200000ull /* each location's own 2 MiB: a PMD block can map it */
/* A giant location (PUD(x), lt->giant): the GiB sym + 1, at VA GIANT_VA_BASE + sym GiB. */
#define LIT_GIANT_VA_BASE 0xffff800100000000ull /* past the 2 MiB regions' GiB */
#define LIT_GIANT	  0x40000000ull
#define LIT_LABEL_TAG	  0x4c4c000000000000ull /* label:"Pn:L": tag | thread << 16 | index */

/* The outcome of one execution. */
struct lit_exec {
	char state[1024]; /* herd's state line: "1:X0=1; 1:X2=2; fault(P1:L0,x);" */
	bool filtered;	  /* the filter rejected it */
	bool cond;	  /* the proposition inside the condition holds */
	bool done;	  /* check() ran: every thread ended */
};

struct lit_scn {
	struct scenario scn;
	const struct litmus *lt;
	struct lit_exec *out;
	char name[160];
};

/* Fills @ls so that &ls->scn runs @lt; each run's outcome lands in *@out. */
void lit_scenario(struct lit_scn *ls, const struct litmus *lt, struct lit_exec *out);

/* Options a litmus test sets on the machine (Variant=bbm2 ...), as "name=value" to apply. */
int lit_machine_options(const struct litmus *lt, struct sim_options *opt, char *err, size_t errlen);

uint64_t lit_va(const struct litmus *lt, int sym);
/* The location whose region (2 MiB, or its GiB) @va is in, or -1. */
int lit_sym_of_va(const struct litmus *lt, uint64_t va);
uint64_t lit_pa(const struct litmus *lt, int sym);
/* The descriptor value herd's (oa:..., ...) stands for. */
uint64_t lit_desc_encode(const struct litmus *lt, const struct lit_desc *d);
/*
 * Formats @v as herd would: a number, a location name, a label, or (@level
 * 1-3) a descriptor of that level; @tables[l][sym] (or NULL) is the PA of
 * the table sym's level-@l descriptor holds by default (l 1: PMDTABLE(sym),
 * 2: TABLE(sym)), which a table descriptor names.
 */
void lit_val_str(const struct litmus *lt, uint64_t v, int level,
		 const uint64_t (*tables)[LIT_MAX_SYMS], char *buf, size_t len);

#endif
