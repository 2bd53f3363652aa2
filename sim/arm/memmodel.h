/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memmodel: ordinary (Normal, inner-shareable) data memory as the Arm
 * architecture orders it, other-multi-copy-atomic (Arm ARM DDI 0487 B2.3),
 * for `--memory arm`. The formulation is Promising-ARM (Pulte,
 * Pichon-Pharabod, Kang, Lee, Hur, "Promising-ARM/RISC-V: a simpler and
 * faster operational concurrency model", PLDI 2019): per-location message
 * lists with timestamps and per-CPU views; which message a load reads is a
 * recorded decision (read-from). Stores may become visible out of program
 * order: a CPU's stores wait in a small pending list and propagate in any
 * order the barriers allow (a recorded decision, propagate), which is the
 * paper's promise of a later store, restricted to stores already executed.
 * Load buffering (a load reading a store that is later in program order of
 * a CPU waiting on it) is therefore not produced; docs/memmodel.md.
 *
 * Contract: the model registers itself with sim/cpu.c (cpu_memory_register)
 * and is used through the cpu_*() accessors only; every call is made by the
 * token holder after its yield point. Locations are 8-byte words: a
 * message holds the whole word after the store. Physical memory (pmem)
 * always holds each word's coherence-latest propagated value, so the
 * walker, the checker and host-side checks read it as before; a word
 * changed in pmem behind the model's back (host copies, written-through
 * stores) becomes a new latest message at the next access.
 */
#ifndef BBMSIM_ARM_MEMMODEL_H
#define BBMSIM_ARM_MEMMODEL_H

#include "sim/cpu.h"

/* Stores a CPU may hold not yet visible to others (a store buffer's depth). */
#define MM_PENDING_MAX 8
/*
 * Messages kept per word beyond those some CPU can still read; older ones
 * are forgotten (a CPU whose view is that old reads the oldest kept).
 */
#define MM_HISTORY_MAX 64

/* Pending stores of @cpu not yet visible to the other CPUs (tests). */
unsigned mm_pending(struct sim_cpu *cpu);

#endif
