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
 * order the barriers allow (a recorded decision, propagate). Load
 * buffering (a store seen before an earlier load of its CPU is satisfied)
 * comes from the paper's promises, for programs that declare the values
 * they store (cpu_promise_values()): at another CPU's access a CPU may
 * promise a store to that word (a recorded decision, promise); a run in
 * which it does not fulfil it is infeasible (sim_infeasible()), the
 * paper's certification checked lazily; docs/memmodel.md.
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
/* Values a CPU may declare for promises, and its promises outstanding at once. */
#define MM_PROMISE_VALS 8
#define MM_PROMISES_MAX 4

/* Pending stores of @cpu not yet visible to the other CPUs (tests). */
unsigned mm_pending(struct sim_cpu *cpu);

#endif
