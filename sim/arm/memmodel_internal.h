/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * memmodel_internal: what the model's two files (memmodel.c: messages,
 * views, the instructions; mm_promise.c: promises) share. Nobody else.
 */
#ifndef BBMSIM_ARM_MEMMODEL_INTERNAL_H
#define BBMSIM_ARM_MEMMODEL_INTERNAL_H

#include "memmodel.h"
#include "sim/pmem.h"

#include <glib.h>

/* A page some of whose words the model tracks (pmem's first flag for layers). */
#define MM_F_TRACKED PMEM_F_LAYER0

struct mm_msg {
	uint64_t ts;
	uint64_t val;  /* the whole word after the store */
	unsigned prom; /* 1 + the CPU whose promise it is, not fulfilled yet; or 0 */
};

struct mm_cpuloc {
	uint64_t coh;
	uint64_t fwd_ts, fwd_view;
	bool fwd_ex; /* the store was an atomic's: an acquire reading it takes its timestamp */
};

struct mm_loc {
	uint64_t word; /* pa >> 3: the hash key */
	struct mm_msg *msg;
	unsigned n, cap;
	struct mm_cpuloc *c; /* per CPU */
};

/*
 * Accesses a CPU made through one translation (mm_tlbi.c): the page, the
 * leaf descriptor they used, and what is ordered before them.
 */
struct mm_use {
	uint64_t va; /* page */
	uint64_t desc_pa, desc;
	uint64_t view;	/* what the accesses were ordered after, their reads, their stores */
	unsigned npend; /* their stores not visible yet */
	bool removed;	/* scratch: a TLBI completing now removed the translation */
};

struct mm_pending {
	struct mm_loc *loc;
	struct mm_use *use; /* the translation the store went through, or NULL */
	uint64_t pa, val;
	unsigned size;
	uint64_t view; /* address and data dependencies */
	bool rel;      /* STLR: propagates only after every earlier store */
};

/* A store the CPU has promised and not made yet (the paper's promise set). */
struct mm_promise {
	struct mm_loc *loc;
	uint64_t pa, val, ts;
	unsigned size;
};

struct mm_cpu {
	uint64_t vrold, vwold, vrnew, vwnew, vcap, vrel;
	uint64_t last; /* the view of the value the last load returned: cpu_dep() */
	/* The newest descriptor store its walks read (mm_fault_before()). */
	uint64_t vtr;
	/* What its DSBs ordered before every later instruction, TLBIs included. */
	uint64_t vdsb;
	/* What its exception entries ordered later walks after (mm_cse_view()). */
	uint64_t vexc;
	/* Its addresses and branches so far: what its walks' updates wait for (mm_hu_view()). */
	uint64_t vhu;
	struct mm_pending pend[MM_PENDING_MAX];
	unsigned npend;
	/* cpu_promise_values(): what it may promise; its promises outstanding */
	uint64_t pvals[MM_PROMISE_VALS];
	unsigned npvals;
	struct mm_promise prom[MM_PROMISES_MAX];
	unsigned nprom;
	bool done;	     /* its program ended: it promises nothing more */
	GHashTable *uses;    /* struct mm_use, its own key (mm_tlbi.c) */
	unsigned uses_prune; /* prune the uses past this many */
};

struct mm {
	struct sim *sim;
	GHashTable *locs;    /* word -> struct mm_loc */
	GHashTable *written; /* page -> 1 + the latest timestamp when mm_written() last wrote it */
	uint64_t now;	     /* the latest timestamp */
	uint64_t completed;  /* every store before it was completed by a DSB */
	struct mm_cpu *cpu;
	unsigned promisers; /* CPUs that declared values they may promise */
	unsigned nprom;	    /* promises outstanding, machine-wide */
};

static inline uint64_t vmax(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static inline struct mm *mm_of(struct sim_cpu *cpu)
{
	return cpu->sim->memory_state;
}

/* The next timestamp; for exploration, two steps taking one do not commute. */
uint64_t mm_next_ts(struct mm *m);
/* Appends message (@ts, @val) to @l's list. */
void mm_loc_push(struct mm_loc *l, uint64_t ts, uint64_t val);

/* Pending store @k of @cpu propagates: it gets the next timestamp. */
void mm_propagate(struct sim_cpu *cpu, unsigned k);
/* Every pending store of @cpu propagates, in an order decided among those that may. */
void mm_propagate_all(struct sim_cpu *cpu);
/* May pending store @k go now: no earlier one to its word, a release only first. */
bool mm_eligible(const struct mm_cpu *c, unsigned k);

/* The timestamp of the store of @desc at @desc_pa (its latest such message; 0 if forgotten). */
uint64_t mm_desc_ts(struct sim_cpu *cpu, uint64_t desc_pa, uint64_t desc);

/* mm_tlbi.c */
/* The access in progress, if translated, is ordered after @view; @p: its pending store. */
void mm_use_note(struct sim_cpu *cpu, uint64_t view, struct mm_pending *p);
void mm_fault(struct sim_cpu *cpu, uint64_t desc_pa, uint64_t desc, bool ordered);
void mm_tlbi_sync(struct sim_cpu *cpu, const struct cpu_va_range *ranges, unsigned n);
void mm_uses_free(struct mm *m);
bool mm_fault_before(struct sim_cpu *cpu, uint64_t view, bool used);
uint64_t mm_sync_view(struct sim_cpu *cpu, uint64_t *now);
bool mm_known_at(struct sim_cpu *cpu, uint64_t pa, uint64_t ts);

/* mm_promise.c */
void mm_maybe_promise(struct sim_cpu *cpu, struct mm_loc *l, uint64_t pa, unsigned size);
bool mm_fulfil(struct sim_cpu *cpu, struct mm_loc *l, uint64_t pa, unsigned size, uint64_t val,
	       bool rel, uint64_t view);
void mm_check_promises(struct sim_cpu *cpu);
void mm_promise_values(struct sim_cpu *cpu, const uint64_t *vals, unsigned n);
void mm_finished(struct sim_cpu *cpu);
bool mm_guessing(struct sim *sim);

#endif
