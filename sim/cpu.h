/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cpu: the instructions a simulated CPU program has for memory.
 *
 * Contract: every call is a yield point (the scheduler may run another CPU
 * first) and costs simulated time. Addresses are virtual when an MMU is
 * installed (hooks.translate) and physical otherwise; either way the value
 * is read or written atomically at the moment the access happens. Accesses
 * are naturally aligned, 1, 2, 4 or 8 bytes.
 */
#ifndef BBMSIM_CPU_H
#define BBMSIM_CPU_H

#include "sim.h"

uint64_t cpu_load(struct sim_cpu *cpu, uint64_t addr, unsigned size);
void cpu_store(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val);

static inline uint64_t cpu_load64(struct sim_cpu *cpu, uint64_t addr)
{
	return cpu_load(cpu, addr, 8);
}

static inline void cpu_store64(struct sim_cpu *cpu, uint64_t addr, uint64_t val)
{
	cpu_store(cpu, addr, 8, val);
}

/* Atomic read-modify-write; each returns the old value. */
uint64_t cpu_fetch_add(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val);
uint64_t cpu_xchg(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val);
uint64_t cpu_cmpxchg(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t old, uint64_t val);

/*
 * Spins (cpu_relax) until the @size-byte value at @addr satisfies
 * (v & mask) == want, and returns it. While nothing changes the CPU waits
 * instead of burning host time (as WFE would); see sim_wait().
 */
uint64_t cpu_spin_until(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t mask,
			uint64_t want, const char *what);
/* The same with want != (v & mask). */
uint64_t cpu_spin_while(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t mask,
			uint64_t unwanted, const char *what);

/*
 * The physical side, used by the MMU (walker reads, the checker) and by
 * scenarios without an MMU: a yield point and a cost, then the access.
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

#endif
