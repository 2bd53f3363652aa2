// SPDX-License-Identifier: GPL-2.0-only
/*
 * The memory instructions of a simulated CPU: a yield point, translation,
 * the access, and what the access makes visible (checker hooks on live
 * translation tables, wake-ups of CPUs waiting on the location).
 */
#include "cpu.h"
#include "engine.h"
#include "pmem.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

/* ---- the memory model (--memory) ---------------------------------------------------- */

#define CPU_MAX_MODELS 4

static const struct cpu_memory_model *models[CPU_MAX_MODELS];

void cpu_memory_register(const struct cpu_memory_model *m)
{
	for (unsigned i = 0; i < CPU_MAX_MODELS; i++)
		if (!models[i]) {
			models[i] = m;
			return;
		}
	g_error("cpu_memory_register: more than %d memory models", CPU_MAX_MODELS);
}

int cpu_memory_create(struct sim *sim, char *err, size_t errlen)
{
	if (!strcmp(sim_opt_str(&sim->opt, OPT_memory), "sc"))
		return 0;
	for (unsigned i = 0; i < CPU_MAX_MODELS && models[i]; i++)
		if (!strcmp(models[i]->name, sim_opt_str(&sim->opt, OPT_memory))) {
			sim->memory = models[i];
			sim->memory_state = models[i]->create(sim);
			return 0;
		}
	snprintf(err, errlen, "--memory: '%s' is not sc or arm",
		 sim_opt_str(&sim->opt, OPT_memory));
	return -1;
}

void cpu_memory_destroy(struct sim *sim)
{
	if (sim->memory)
		sim->memory->destroy(sim->memory_state);
	sim->memory = NULL;
	sim->memory_state = NULL;
}

void cpu_memory_flush(struct sim_cpu *cpu, bool yielding)
{
	if (cpu->sim->memory)
		cpu->sim->memory->flush(cpu, yielding);
}

void cpu_memory_written(struct sim_cpu *cpu, uint64_t pa, uint64_t len)
{
	if (cpu->sim->memory)
		cpu->sim->memory->written(cpu, pa, len);
}

void cpu_memory_fault(struct sim_cpu *cpu, uint64_t desc_pa, uint64_t desc, bool ordered)
{
	if (cpu->sim->memory && cpu->sim->memory->fault)
		cpu->sim->memory->fault(cpu, desc_pa, desc, ordered);
}

void cpu_memory_tlbi_sync(struct sim_cpu *cpu, const struct cpu_va_range *ranges, unsigned n)
{
	if (cpu->sim->memory && cpu->sim->memory->tlbi_sync)
		cpu->sim->memory->tlbi_sync(cpu, ranges, n);
}

uint64_t cpu_memory_sync_view(struct sim_cpu *cpu, uint64_t *now)
{
	if (cpu->sim->memory && cpu->sim->memory->sync_view)
		return cpu->sim->memory->sync_view(cpu, now);
	*now = UINT64_MAX;
	return UINT64_MAX;
}

bool cpu_memory_fault_before(struct sim_cpu *cpu, uint64_t view, bool used)
{
	if (cpu->sim->memory && cpu->sim->memory->fault_before)
		return cpu->sim->memory->fault_before(cpu, view, used);
	return false;
}

bool cpu_memory_known_at(struct sim_cpu *cpu, uint64_t pa, uint64_t ts)
{
	if (cpu->sim->memory && cpu->sim->memory->known_at)
		return cpu->sim->memory->known_at(cpu, pa, ts);
	return false;
}

bool cpu_memory_views(struct sim *sim)
{
	return sim->memory && sim->memory->now;
}

uint64_t cpu_memory_now(struct sim *sim)
{
	return cpu_memory_views(sim) ? sim->memory->now(sim) : 0;
}

uint64_t cpu_memory_cse_view(struct sim_cpu *cpu)
{
	return cpu_memory_views(cpu->sim) ? cpu->sim->memory->cse_view(cpu) : 0;
}

uint64_t cpu_memory_tlbi_view(struct sim_cpu *cpu, cpu_dep_t dep)
{
	return cpu_memory_views(cpu->sim) ? cpu->sim->memory->tlbi_view(cpu, dep) : 0;
}

uint64_t cpu_memory_hu_view(struct sim_cpu *cpu, uint64_t *walks)
{
	*walks = UINT64_MAX;
	return cpu_memory_views(cpu->sim) ? cpu->sim->memory->hu_view(cpu, walks) : UINT64_MAX;
}

cpu_dep_t cpu_dep(struct sim_cpu *cpu)
{
	return cpu->sim->memory ? cpu->sim->memory->dep(cpu) : 0;
}

void cpu_ctrl_dep(struct sim_cpu *cpu, cpu_dep_t dep)
{
	if (cpu->sim->memory)
		cpu->sim->memory->ctrl(cpu, dep);
}

/* Under sc a barrier orders nothing: no yield point, no cost (same traces as before). */
void cpu_barrier(struct sim_cpu *cpu, enum cpu_barrier b)
{
	if (cpu->sim->memory)
		cpu->sim->memory->barrier(cpu, b);
}

/*
 * Translates; false when the access is dropped (a --keep-going finding).
 * @ord and the dependencies describe the access for the memory model
 * (cpu->access), should the translation be one a TLBI removes.
 */
static bool xlate(struct sim_cpu *cpu, uint64_t addr, unsigned size, bool write, enum cpu_order ord,
		  cpu_dep_t addr_dep, cpu_dep_t data_dep, uint64_t *pa)
{
	struct sim *sim = cpu->sim;
	int r;

	cpu->access = (struct sim_access){
		.va = addr,
		.addr_dep = addr_dep,
		.data_dep = data_dep,
		.ord = (uint8_t)ord,
		.write = write,
	};
	if (!sim->hooks.translate) {
		*pa = addr;
		return true;
	}
	while ((r = sim->hooks.translate(cpu, addr, size, write, pa)) > 0)
		;
	return r == 0;
}

void cpu_raw_store(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t val)
{
	struct sim *sim = cpu->sim;
	uint32_t f = pmem_flags(sim->mem, pa);
	uint64_t old = 0;

	/*
	 * A store into a live table changes what the checker records (and
	 * what the TLBs may hold for the VAs it maps: the store hook notes
	 * them); it reads the data the checker compares, which every other
	 * store "reads" too (so that data stores commute).
	 */
	if (f & PMEM_F_HOOK) {
		sim_note(cpu, SIM_OBJ_CHECKER, true);
		sim_note(cpu, SIM_OBJ_CONTENTS, true);
	} else {
		sim_note(cpu, SIM_OBJ_CONTENTS, false);
	}
	sim_note(cpu, pa >> 3, true);
	if (f & PMEM_F_HOOK)
		old = pmem_read(sim->mem, pa, size);
	pmem_write(sim->mem, pa, size, val);
	if ((f & PMEM_F_HOOK) && sim->hooks.store_hook)
		sim->hooks.store_hook(cpu, pa, size, old, val);
	if (f & PMEM_F_WAITED)
		sched_store_wakeup(sim, cpu, pa, size);
}

uint64_t cpu_load_pa(struct sim_cpu *cpu, uint64_t pa, unsigned size)
{
	sim_yield(cpu);
	sim_tick(cpu, COST_load);
	sim_note(cpu, pa >> 3, false);
	return pmem_read(cpu->sim->mem, pa, size);
}

void cpu_store_pa(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t val)
{
	sim_yield(cpu);
	sim_tick(cpu, COST_store);
	cpu_raw_store(cpu, pa, size, val);
}

uint64_t cpu_load_x(struct sim_cpu *cpu, uint64_t addr, unsigned size, enum cpu_order ord,
		    cpu_dep_t addr_dep)
{
	struct sim *sim = cpu->sim;
	uint64_t pa;

	sim_yield(cpu);
	if (!xlate(cpu, addr, size, false, ord, addr_dep, 0, &pa))
		return 0;
	sim_tick(cpu, COST_load);
	sim_note(cpu, pa >> 3, false);
	if (sim->memory)
		return sim->memory->load(cpu, pa, size, ord, addr_dep, false);
	return pmem_read(sim->mem, pa, size);
}

void cpu_store_x(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val,
		 enum cpu_order ord, cpu_dep_t addr_dep, cpu_dep_t data_dep)
{
	struct sim *sim = cpu->sim;
	uint64_t pa;

	sim_yield(cpu);
	if (!xlate(cpu, addr, size, true, ord, addr_dep, data_dep, &pa))
		return;
	sim_tick(cpu, COST_store);
	if (sim->memory)
		sim->memory->store(cpu, pa, size, val, ord, addr_dep, data_dep);
	else
		cpu_raw_store(cpu, pa, size, val);
}

uint64_t cpu_load(struct sim_cpu *cpu, uint64_t addr, unsigned size)
{
	return cpu_load_x(cpu, addr, size, CPU_PLAIN, 0);
}

uint64_t cpu_load_acquire(struct sim_cpu *cpu, uint64_t addr, unsigned size)
{
	return cpu_load_x(cpu, addr, size, CPU_ACQ, 0);
}

uint64_t cpu_load_acquire_pc(struct sim_cpu *cpu, uint64_t addr, unsigned size)
{
	return cpu_load_x(cpu, addr, size, CPU_ACQ_PC, 0);
}

void cpu_store(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val)
{
	cpu_store_x(cpu, addr, size, val, CPU_PLAIN, 0, 0);
}

void cpu_store_release(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val)
{
	cpu_store_x(cpu, addr, size, val, CPU_REL, 0, 0);
}

/*
 * Atomics on one cache line are serialised by the coherence protocol: an
 * atomic starts when the line is free, and takes the cost of moving the
 * line (or of a far atomic at its home node) when another CPU had it last.
 * This is what makes 79 CPUs acknowledging a pause on one counter cost
 * 79 transfers rather than one.
 */
struct line_state {
	uint64_t free_at;
	int owner;
};

struct sim_lines {
	GHashTable *line; /* pa >> 6 -> struct line_state */
};

void lines_free(struct sim_lines *l)
{
	if (!l)
		return;
	g_hash_table_destroy(l->line);
	g_free(l);
}

static void line_atomic(struct sim_cpu *cpu, uint64_t pa)
{
	struct sim *sim = cpu->sim;
	struct line_state *ls;

	if (!sim->lines) {
		sim->lines = g_new0(struct sim_lines, 1);
		sim->lines->line =
			g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
	}
	uint64_t key = pa >> 6;
	ls = g_hash_table_lookup(sim->lines->line, &key);
	if (!ls) {
		uint64_t *k = g_new(uint64_t, 1);

		*k = key;
		ls = g_new0(struct line_state, 1);
		ls->owner = (int)cpu->id;
		g_hash_table_insert(sim->lines->line, k, ls);
	}
	if (cpu->clock < ls->free_at)
		cpu->clock = ls->free_at;
	if (ls->owner != (int)cpu->id)
		sim_tick(cpu, COST_line_transfer);
	sim_tick(cpu, COST_atomic);
	ls->owner = (int)cpu->id;
	ls->free_at = cpu->clock;
}

static uint64_t size_mask(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

bool cpu_rmw_apply(enum cpu_rmw_op op, unsigned size, uint64_t old, uint64_t cmp, uint64_t val,
		   uint64_t *new)
{
	switch ((int)op & ~CPU_RMW_NORET) {
	case CPU_RMW_ADD:
		*new = (old + val) & size_mask(size);
		return true;
	case CPU_RMW_XCHG:
		*new = val;
		return true;
	case CPU_RMW_OR:
		*new = old | val;
		return true;
	case CPU_RMW_ANDNOT:
		*new = old & ~val;
		return true;
	case CPU_RMW_CMPXCHG:
	default:
		*new = val;
		return old == (cmp & size_mask(size)); /* a failed CAS writes nothing */
	}
}

static uint64_t rmw(struct sim_cpu *cpu, enum cpu_rmw_op op, uint64_t addr, unsigned size,
		    uint64_t cmp, cpu_dep_t cmp_dep, uint64_t val, enum cpu_order ord,
		    cpu_dep_t addr_dep, cpu_dep_t data_dep)
{
	struct sim *sim = cpu->sim;
	uint64_t pa, old, new;

	sim_yield(cpu);
	if (!xlate(cpu, addr, size, true, ord, addr_dep, data_dep, &pa))
		return 0;
	line_atomic(cpu, pa);
	sim_note(cpu, pa >> 3, true); /* a failed CAS reads only, but conflicts as a write */
	if (sim->memory)
		return sim->memory->rmw(cpu, pa, size, op, cmp, cmp_dep, val, ord, addr_dep,
					data_dep);
	old = pmem_read(sim->mem, pa, size);
	if (cpu_rmw_apply(op, size, old, cmp, val, &new)) {
		cpu->access.atomic = true;
		cpu_raw_store(cpu, pa, size, new);
		cpu->access.atomic = false;
	}
	return old;
}

uint64_t cpu_rmw(struct sim_cpu *cpu, enum cpu_rmw_op op, uint64_t addr, unsigned size,
		 uint64_t cmp, uint64_t val, enum cpu_order ord, cpu_dep_t addr_dep,
		 cpu_dep_t data_dep)
{
	return rmw(cpu, op, addr, size, cmp, CPU_DEP_NONE, val, ord, addr_dep, data_dep);
}

uint64_t cpu_cas_x(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t cmp,
		   cpu_dep_t cmp_dep, uint64_t val, enum cpu_order ord, cpu_dep_t addr_dep,
		   cpu_dep_t data_dep)
{
	return rmw(cpu, CPU_RMW_CMPXCHG, addr, size, cmp, cmp_dep, val, ord, addr_dep, data_dep);
}

void cpu_promise_values(struct sim_cpu *cpu, const uint64_t *vals, unsigned n)
{
	if (cpu->sim->memory && cpu->sim->memory->promise_values)
		cpu->sim->memory->promise_values(cpu, vals, n);
}

uint64_t cpu_cmpxchg_pa(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t old, uint64_t val)
{
	uint64_t cur;

	sim_yield(cpu);
	line_atomic(cpu, pa);
	sim_note(cpu, pa >> 3, true);
	cur = pmem_read(cpu->sim->mem, pa, size);
	if (cur != (old & size_mask(size)))
		return cur;
	/* A hardware update is a store like any other: a new message, after the old value's. */
	if (cpu->sim->memory && cpu->sim->memory->hw_store)
		cpu->sim->memory->hw_store(cpu, pa, size, val);
	else
		cpu_raw_store(cpu, pa, size, val);
	return cur;
}

uint64_t cpu_fetch_add(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val)
{
	return cpu_rmw(cpu, CPU_RMW_ADD, addr, size, 0, val, CPU_AL, 0, 0);
}

uint64_t cpu_xchg(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t val)
{
	return cpu_rmw(cpu, CPU_RMW_XCHG, addr, size, 0, val, CPU_AL, 0, 0);
}

uint64_t cpu_cmpxchg(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t old, uint64_t val)
{
	return cpu_rmw(cpu, CPU_RMW_CMPXCHG, addr, size, old, val, CPU_AL, 0, 0);
}

static uint64_t spin(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t mask,
		     uint64_t want, bool until, enum cpu_order ord, const char *what)
{
	struct sim *sim = cpu->sim;

	for (;;) {
		uint64_t pa, v;

		sim_yield(cpu);
		if (!xlate(cpu, addr, size, false, ord, 0, 0, &pa))
			return 0;
		sim_tick(cpu, COST_load);
		sim_note(cpu, pa >> 3, false);
		if (sim->memory)
			v = sim->memory->load(cpu, pa, size, ord, 0, true);
		else
			v = pmem_read(sim->mem, pa, size);
		if (((v & mask) == want) == until) {
			sim_wait_done(cpu);
			return v;
		}
		/*
		 * Before it waits its own stores reach the others (a store
		 * buffer drains while the CPU spins); then it looks again.
		 */
		if (sim->memory && sim->memory->flush(cpu, true))
			continue;
		/*
		 * Nothing runs between the read and the wait, so no store can
		 * slip in unseen: the wait ends at the next store to the word
		 * (WFE and the exclusive monitor, in effect) or an interrupt.
		 */
		sim_tick(cpu, COST_spin);
		sim_wait_value(cpu, pa, size, mask, want, until, what);
	}
}

uint64_t cpu_spin_until(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t mask,
			uint64_t want, const char *what)
{
	return spin(cpu, addr, size, mask, want, true, CPU_PLAIN, what);
}

uint64_t cpu_spin_while(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t mask,
			uint64_t unwanted, const char *what)
{
	return spin(cpu, addr, size, mask, unwanted, false, CPU_PLAIN, what);
}

uint64_t cpu_spin_until_acquire(struct sim_cpu *cpu, uint64_t addr, unsigned size, uint64_t mask,
				uint64_t want, const char *what)
{
	return spin(cpu, addr, size, mask, want, true, CPU_ACQ, what);
}
