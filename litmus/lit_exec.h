/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lit_exec: the interpreter of a litmus thread, one instruction at a time
 * through the CPU and MMU API, with the dependencies each register
 * carries; and the values a thread may promise (load buffering). Internal
 * to litmus/ (lit_run.c runs it).
 */
#ifndef BBMSIM_LIT_EXEC_H
#define BBMSIM_LIT_EXEC_H

#include "litmus.h"
#include "sim/arm/mmu.h"
#include "sim/cpu.h"

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#define LIT_MAX_FAULTS 16

struct lit_fault {
	int thread, pc, sym; /* sym -1: not a litmus location */
	bool pte;
	enum mmu_fault_type type;
};

/* One CPU's architectural state: registers, flags, where it is. */
struct lit_cpu {
	uint64_t x[32];
	cpu_dep_t dep[32]; /* what each register's value was computed from (cpu.h) */
	bool z;		   /* PSTATE.Z, all EQ/NE need */
	cpu_dep_t zdep;	   /* what the flags were computed from: B.EQ's control dependency */
	/*
	 * Pick dependencies (herd's CSEL on flags computed from a load):
	 * they order later stores, faults and, through an ISB, later loads,
	 * as a control dependency does, but not a load whose address they
	 * reach (MP+rel+CSEL Allowed, MP+rel+pickctrlW-mmufault-po Forbidden).
	 */
	cpu_dep_t pick[32], zpick;
	cpu_dep_t pacc; /* the picks of the registers the instruction reads so far */
	uint64_t elr;
	int th, pc; /* thread (column) and instruction being executed */
	uint64_t excl_addr, excl_val;
	cpu_dep_t fault_dep; /* the address dependency of the access under way */
	bool excl;
	jmp_buf fault_jb;
	struct mmu_fault fault;
};

struct lit_state {
	const struct litmus *lt;
	/* Where each location's descriptors live: slot[sym][1] PUD(x), [2] PMD(x), [3] PTE(x). */
	uint64_t slot[LIT_MAX_SYMS][4];
	/* table[2][x]: x's level-3 table, TABLE(x); table[1][x]: a giant's level-2, PMDTABLE(x) */
	uint64_t table[3][LIT_MAX_SYMS];
	struct lit_cpu cpu[LIT_MAX_THREADS];
	struct lit_fault faults[LIT_MAX_FAULTS];
	int nfaults;
};

/* Executes lc->th's instruction lc->pc; false when the thread ends. */
bool lit_step(struct sim_cpu *cpu, struct lit_state *st, struct lit_cpu *lc);
/* The values thread @th may promise (cpu_promise_values()), @x its initial registers. */
unsigned lit_promise_values(const struct litmus *lt, int th, const uint64_t *x, uint64_t *vals,
			    unsigned max);

#endif
