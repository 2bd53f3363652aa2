/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpu: the instructions a simulated CPU program has for memory.
 *
 * Contract: every access is a yield point (the scheduler may run another
 * CPU first) and costs simulated time. Addresses are virtual when an MMU is
 * installed (hooks.translate) and physical otherwise. Accesses are
 * naturally aligned, 1, 2, 4 or 8 bytes.
 *
 * Ordering is the run's memory model (--memory). Under `sc` every access
 * happens atomically at its yield point and barriers, acquire/release and
 * dependencies change nothing. Under `arm` (sim/arm/memmodel.h) loads and
 * stores reorder as the Arm architecture allows unless a barrier, a
 * dependency, acquire/release or same-address coherence forbids it; the
 * variants below say which one the code relies on, as Linux's primitives
 * do on arm64 (arch/arm64/include/asm/barrier.h, atomic_lse.h, cmpxchg.h).
 */
#ifndef BBMSIM_CPU_H
#define BBMSIM_CPU_H

#include "sim.h"

/* The ordering of an access (Arm ARM B2.3.7, "Barrier-ordered-before"). */
enum cpu_order {
	CPU_PLAIN,  /* LDR/STR; an atomic without A/L: STADD, LDADD, SWP, CAS */
	CPU_ACQ_PC, /* LDAPR: acquire, RCpc (not ordered after an earlier STLR) */
	CPU_ACQ,    /* LDAR; an atomic with A: LDADDA, SWPA, CASA */
	CPU_REL,    /* STLR; an atomic with L: LDADDL, SWPL, CASL */
	CPU_AL,	    /* an atomic with A and L: LDADDAL, SWPAL, CASAL (fully ordered) */
};

enum cpu_barrier {
	CPU_DMB_ISH,   /* smp_mb() */
	CPU_DMB_ISHLD, /* smp_rmb() */
	CPU_DMB_ISHST, /* smp_wmb() */
	CPU_DSB_ISH,   /* the memory side of dsb_ish() (sim/arm/mmu.c) */
	CPU_DSB_ISHST, /* the memory side of dsb_ishst() */
	CPU_DSB_ISHLD, /* the memory side of dsb_ishld(): DMB ISHLD's order, and TLBIs wait */
	CPU_ISB,       /* the memory side of isb(): a control dependency becomes an order */
	/*
	 * An interrupt taken (exception entry): context synchronisation, and
	 * the stores a DSB completed before the interrupt was sent are seen
	 * (a completed store is observed by every observer: the dsb(ishst) of
	 * gic_ipi_send_mask() is what makes an IPI's data visible).
	 */
	CPU_EXC_ENTRY,
};

/*
 * A dependency: what a value was computed from, to pass with an access
 * whose address or data is that value, or to a branch on it (0: nothing).
 * Combine two with cpu_dep_join(). Always 0 under `sc`.
 */
typedef uint64_t cpu_dep_t;

static inline cpu_dep_t cpu_dep_join(cpu_dep_t a, cpu_dep_t b)
{
	return a > b ? a : b;
}

/* The dependency the value returned by @cpu's last load or atomic carries. */
cpu_dep_t cpu_dep(struct sim_cpu *cpu);

/* LDR/STR: READ_ONCE()/WRITE_ONCE() and plain accesses. */
uint64_t cpu_load(struct sim_cpu *cpu, uint64_t addr, unsigned size);
void cpu_store(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val);
/* smp_load_acquire() (LDAR), LDAPR, smp_store_release() (STLR). */
uint64_t cpu_load_acquire(struct sim_cpu *cpu, uint64_t addr, unsigned size);
uint64_t cpu_load_acquire_pc(struct sim_cpu *cpu, uint64_t addr, unsigned size);
void cpu_store_release(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val);
/* The general forms: an address computed from @addr_dep, data from @data_dep. */
uint64_t cpu_load_x(struct sim_cpu *cpu, uint64_t addr, unsigned size, enum cpu_order ord,
		    cpu_dep_t addr_dep);
void cpu_store_x(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val,
		 enum cpu_order ord, cpu_dep_t addr_dep, cpu_dep_t data_dep);
/* A conditional branch on a value carrying @dep (a control dependency). */
void cpu_ctrl_dep(struct sim_cpu *cpu, cpu_dep_t dep);
/* DMB (and the memory side of DSB and ISB). Not a yield point. */
void cpu_barrier(struct sim_cpu *cpu, enum cpu_barrier b);

static inline uint64_t cpu_load64(struct sim_cpu *cpu, uint64_t addr)
{
	return cpu_load(cpu, addr, 8);
}

static inline void cpu_store64(struct sim_cpu *cpu, uint64_t addr, uint64_t val)
{
	cpu_store(cpu, addr, 8, val);
}

/*
 * Atomic read-modify-write; each returns the old value. The unsuffixed
 * forms are fully ordered (CPU_AL), as Linux's value-returning atomics,
 * xchg() and cmpxchg() are on arm64 (LDADDAL, SWPAL, CASAL).
 */
enum cpu_rmw_op {
	CPU_RMW_ADD,
	CPU_RMW_XCHG,
	CPU_RMW_CMPXCHG,
	CPU_RMW_OR,
	CPU_RMW_ANDNOT,
	/*
	 * Or'ed in: the old value goes nowhere (Rt is XZR: STADD, STSET, or a
	 * CAS/SWP into XZR). Its read is then no acquire and no read a DMB LD
	 * orders (Arm ARM C6.2, "LDADD": the ST<op> aliases).
	 */
	CPU_RMW_NORET = 0x100,
};

uint64_t cpu_fetch_add(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val);
uint64_t cpu_xchg(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val);
uint64_t cpu_cmpxchg(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t old, uint64_t val);
/* Any op with any ordering: atomic_add() is CPU_RMW_ADD, CPU_PLAIN (STADD). */
uint64_t cpu_rmw(struct sim_cpu *cpu, enum cpu_rmw_op op, uint64_t addr, unsigned size,
		 uint64_t cmp, uint64_t val, enum cpu_order ord, cpu_dep_t addr_dep,
		 cpu_dep_t data_dep);

/*
 * CAS with the compare value's dependency @cmp_dep (herd7's litmus
 * programs): when it succeeds, the returned value may carry @cmp_dep and a
 * control dependency on the read instead of the read's own dependency
 * (a hardware choice: both values are equal; docs/memmodel.md). cpu_rmw()
 * with CPU_RMW_CMPXCHG always returns the read's dependency.
 */
uint64_t cpu_cas_x(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t cmp,
		   cpu_dep_t cmp_dep, uint64_t val, enum cpu_order ord, cpu_dep_t addr_dep,
		   cpu_dep_t data_dep);

/*
 * Declares that @cpu's program marks every branch on a loaded value with
 * cpu_ctrl_dep() and stores only values among @vals (@n of them) or
 * computed from what it loads. Under --memory arm the other CPUs may then
 * read its stores before it reaches them (Promising-ARM's promises: load
 * buffering); a run whose promise the CPU does not fulfil is infeasible
 * (sim_infeasible()). C kernel code does not declare its branches and
 * never calls this. Call from the scenario's setup, before any CPU runs.
 */
void cpu_promise_values(struct sim_cpu *cpu, const uint64_t *vals, unsigned n);

/*
 * Spins (cpu_relax) until the @size-byte value at @addr satisfies
 * (v & mask) == want, and returns it. While nothing changes the CPU waits
 * instead of burning host time (as WFE would); see sim_wait(). The loop's
 * exit is a branch on the value: later accesses carry a control
 * dependency on it (cpu_ctrl_dep()).
 */
uint64_t cpu_spin_until(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t mask,
			uint64_t want, const char *what);
/* The same with want != (v & mask). */
uint64_t cpu_spin_while(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t mask,
			uint64_t unwanted, const char *what);
/* smp_cond_load_acquire(): the same, the last read an acquire (LDAR). */
uint64_t cpu_spin_until_acquire(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t mask,
				uint64_t want, const char *what);

/*
 * The physical side, used by the MMU (walker reads, the checker) and by
 * scenarios without an MMU: a yield point and a cost, then the access. It
 * reads and writes the coherence-latest value (pmem) under every model.
 */
uint64_t cpu_load_pa(struct sim_cpu *cpu, uint64_t pa, unsigned size);
void cpu_store_pa(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t val);
/*
 * A physical compare-and-swap (a hardware walker's Access flag or dirty
 * state update): a yield point, then atomically, if the value is @old,
 * store @val. Returns the value found.
 */
uint64_t cpu_cmpxchg_pa(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t old,
			uint64_t val);

/* ---- for a memory model (sim/arm/memmodel.c) and the engine ------------------------ */

/* [start, end) of virtual addresses. */
struct cpu_va_range {
	uint64_t start, end;
};

/* Operations a memory model provides; @pa is translated, the cost paid. */
struct cpu_memory_model {
	const char *name;
	void *(*create)(struct sim *sim);
	void (*destroy)(void *state);
	/* @spin: a spin loop's read (reads the latest value; a control dependency). */
	uint64_t (*load)(struct sim_cpu *cpu, uint64_t pa, unsigned size, enum cpu_order ord,
			 cpu_dep_t addr_dep, bool spin);
	void (*store)(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t val,
		      enum cpu_order ord, cpu_dep_t addr_dep, cpu_dep_t data_dep);
	/* @cmp_dep: the compare value's dependency (cpu_cas_x()), or CPU_DEP_NONE. */
	uint64_t (*rmw)(struct sim_cpu *cpu, uint64_t pa, unsigned size, enum cpu_rmw_op op,
			uint64_t cmp, cpu_dep_t cmp_dep, uint64_t val, enum cpu_order ord,
			cpu_dep_t addr_dep, cpu_dep_t data_dep);
	void (*barrier)(struct sim_cpu *cpu, enum cpu_barrier b);
	void (*ctrl)(struct sim_cpu *cpu, cpu_dep_t dep);
	cpu_dep_t (*dep)(struct sim_cpu *cpu);
	/*
	 * Makes every store of @cpu visible (before it waits or finishes);
	 * @yielding: one at a time, each after a yield point. False if it had none.
	 */
	bool (*flush)(struct sim_cpu *cpu, bool yielding);
	/* [pa, pa+len) was written in pmem directly by @cpu (a copy_page()). */
	void (*written)(struct sim_cpu *cpu, uint64_t pa, uint64_t len);
	/* cpu_promise_values(). */
	void (*promise_values)(struct sim_cpu *cpu, const uint64_t *vals, unsigned n);
	/* @cpu's program ended (after flush): a promise it left is infeasible. */
	void (*finished)(struct sim_cpu *cpu);
	/* Some promise is not fulfilled yet (the state may be no real one). */
	bool (*guessing)(struct sim *sim);
	/* A walker's store (cpu_cmpxchg_pa()): pmem and the model, at once. */
	void (*hw_store)(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t val);
	/*
	 * The access in progress (cpu->access) faulted on the descriptor
	 * @desc at @desc_pa: it used that translation all the same. @ordered:
	 * the walk that faulted comes after every earlier explicit access of
	 * @cpu (FEAT_ETS2, a Translation or Access flag fault).
	 */
	void (*fault)(struct sim_cpu *cpu, uint64_t desc_pa, uint64_t desc, bool ordered);
	/*
	 * @cpu's DSB completed its broadcast TLBIs of @ranges: every access of
	 * another CPU through a translation they removed, and what is ordered
	 * before it, is now ordered before @cpu's later accesses.
	 */
	void (*tlbi_sync)(struct sim_cpu *cpu, const struct cpu_va_range *ranges, unsigned n);
	/*
	 * What @cpu's later accesses are all ordered after (after its
	 * tlbi_sync), and in @now the latest timestamp there is.
	 */
	uint64_t (*sync_view)(struct sim_cpu *cpu, uint64_t *now);
	/*
	 * Could the access in progress (cpu->access), if it faults, be ordered
	 * before a TLBI completion after which its issuer had @view: it is
	 * ordered after nothing newer. @used: the translation is used for
	 * the access, not only faulted on.
	 */
	bool (*fault_before)(struct sim_cpu *cpu, uint64_t view, bool used);
	/* Does the model still know the value the word at @pa had when @ts was the latest? */
	bool (*known_at)(struct sim_cpu *cpu, uint64_t pa, uint64_t ts);
	/* The latest timestamp: a store made now is the next. */
	uint64_t (*now)(struct sim *sim);
	/* What @cpu's walks are ordered after at a context synchronisation event. */
	uint64_t (*cse_view)(struct sim_cpu *cpu);
	/* What a TLBI @cpu issues now is ordered after (DSBs, ISBs), @dep its operand's. */
	uint64_t (*tlbi_view)(struct sim_cpu *cpu, cpu_dep_t dep);
	/*
	 * What a hardware update by the walk of the access in progress is
	 * ordered after; in @walks, what it is ordered after through the
	 * walks of earlier accesses (their descriptors' stores).
	 */
	uint64_t (*hu_view)(struct sim_cpu *cpu, uint64_t *walks);
};

/* No dependency known (the model chooses none). */
#define CPU_DEP_NONE UINT64_MAX

/* Registers a model for --memory NAME (from a constructor). */
void cpu_memory_register(const struct cpu_memory_model *m);
/* Sets up the run's model from sim->opt.memory; -1 with @err on an unknown name. */
int cpu_memory_create(struct sim *sim, char *err, size_t errlen);
void cpu_memory_destroy(struct sim *sim);
/*
 * @cpu's stores become visible: it is about to wait (at once), or its
 * program ended (@yielding: one per yield point, as a store buffer drains
 * while the others run).
 */
void cpu_memory_flush(struct sim_cpu *cpu, bool yielding);
/*
 * @cpu wrote [pa, pa+len) in pmem directly (copy_page(), freeing): the
 * new contents are its stores, made now.
 */
void cpu_memory_written(struct sim_cpu *cpu, uint64_t pa, uint64_t len);

/*
 * For the MMU: the access in progress (cpu->access) faulted on the
 * descriptor @desc at @desc_pa; @cpu's DSB completed its broadcast TLBIs
 * of @ranges (the memory model's hooks fault and tlbi_sync).
 */
void cpu_memory_fault(struct sim_cpu *cpu, uint64_t desc_pa, uint64_t desc, bool ordered);
void cpu_memory_tlbi_sync(struct sim_cpu *cpu, const struct cpu_va_range *ranges, unsigned n);
/*
 * The hooks sync_view and fault_before; without a model (sc) every access
 * is ordered after every completed TLBI: UINT64_MAX and false.
 */
uint64_t cpu_memory_sync_view(struct sim_cpu *cpu, uint64_t *now);
bool cpu_memory_fault_before(struct sim_cpu *cpu, uint64_t view, bool used);
bool cpu_memory_known_at(struct sim_cpu *cpu, uint64_t pa, uint64_t ts);
/* Whether the model has views (now and cse_view); without, both are 0. */
bool cpu_memory_views(struct sim *sim);
uint64_t cpu_memory_now(struct sim *sim);
uint64_t cpu_memory_cse_view(struct sim_cpu *cpu);
uint64_t cpu_memory_tlbi_view(struct sim_cpu *cpu, cpu_dep_t dep);
/* The hook hu_view; without views every update is ordered after everything: UINT64_MAX. */
uint64_t cpu_memory_hu_view(struct sim_cpu *cpu, uint64_t *walks);

/* The store itself: pmem, the store hook of live tables, waking waiters. */
void cpu_raw_store(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t val);
/* @op on @old; false when nothing is written (a failed compare-and-swap). */
bool cpu_rmw_apply(enum cpu_rmw_op op, unsigned size, uint64_t old, uint64_t cmp, uint64_t val,
		   uint64_t *new);

#endif
