/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmu_internal: what mmu.c, tlb.c, ptw.c and checker.c share. Nobody else
 * includes this.
 *
 * The TLB holds leaf entries in one hash table per size class (so a lookup
 * is a few bucket probes, never a scan) and a small walk cache of table
 * descriptors. Entries are never merged: a lookup that matches two entries
 * is what a real TLB would see after a missing break-before-make.
 */
#ifndef BBMSIM_MMU_INTERNAL_H
#define BBMSIM_MMU_INTERNAL_H

#include "mmu.h"
#include "sim/pmem.h"

#include <glib.h>

#define TLB_NR_CLASSES 5 /* 4K, 64K (contiguous 4K), 2M, 32M (contiguous 2M), 1G */
#define TLB_NIL	       UINT32_MAX
/*
 * Translations of one size kept for one address (tlb_insert() evicts past
 * it), so a lookup matches at most one per size class per slot: never more
 * than TLB_MAX_MATCH, and tlb_lookup() drops none.
 */
#define TLB_PER_BASE  4
#define TLB_MAX_MATCH (TLB_NR_CLASSES * TLB_PER_BASE)

struct tlb_entry {
	uint64_t va;	  /* aligned to 1 << shift */
	uint64_t pa;	  /* output base */
	uint64_t desc;	  /* leaf descriptor as read by the walk */
	uint64_t desc_pa; /* where it was read */
	uint64_t epoch;	  /* checker page epoch at fill time */
	uint32_t next;	  /* hash chain */
	uint8_t shift;
	uint8_t level;
	uint8_t cls;
	bool used;
};

struct tlb_walk {
	uint64_t va;	/* aligned to what the descriptor covers */
	uint64_t table; /* next-level table PA */
	uint64_t desc, desc_pa;
	uint64_t epoch;
	uint8_t level; /* level of the table descriptor (0..2) */
	bool used;
};

struct tlb {
	struct tlb_entry *e;
	uint32_t cap, nr, free_head;
	uint64_t gen;	   /* bumped whenever a leaf entry comes or goes */
	uint32_t cls_mask; /* size classes holding entries */
	uint64_t regions;  /* bit (va >> 30) % 64 per leaf entry, since the TLB was empty */
	struct {
		uint32_t count;
		uint32_t mask;
		uint32_t *bucket;
	} cls[TLB_NR_CLASSES];
	struct tlb_walk *w;
	uint32_t wcap, wnr;
};

extern const uint8_t tlb_class_shift[TLB_NR_CLASSES];

int tlb_init(struct tlb *t, uint32_t cap, uint32_t wcap);
void tlb_free(struct tlb *t);
static inline uint32_t tlb_hash(uint64_t vpn, uint32_t mask)
{
	return (uint32_t)((vpn * 0x9e3779b97f4a7c15ull) >> 40) & mask;
}

/* Entries that translate @va, in chain order, at most @max: their indices (TLB_MAX_MATCH holds them all). */
static inline unsigned tlb_lookup(const struct tlb *t, uint64_t va, uint32_t *idx, unsigned max)
{
	unsigned n = 0;

	for (uint32_t m = t->cls_mask; m; m &= m - 1) {
		unsigned c = __builtin_ctz(m), shift = tlb_class_shift[c];
		uint64_t base = va & ~((1ull << shift) - 1);

		for (uint32_t i = t->cls[c].bucket[tlb_hash(va >> shift, t->cls[c].mask)];
		     i != TLB_NIL; i = t->e[i].next)
			if (t->e[i].va == base && n < max)
				idx[n++] = i;
	}
	return n;
}
/* Inserts a leaf; an identical entry is not duplicated. Evicts by decision when full. */
void tlb_insert(struct sim *sim, struct tlb *t, uint64_t va, const struct mmu_result *r,
		uint64_t epoch);
/* Removes leaf entries overlapping [start, end), and walk entries too unless @last_level. */
void tlb_invalidate(struct tlb *t, uint64_t start, uint64_t end, bool last_level);
/* Deepest walk-cache entry covering @va, or NULL. */
struct tlb_walk *tlb_walk_lookup(struct tlb *t, uint64_t va);
void tlb_walk_insert(struct sim *sim, struct tlb *t, int level, uint64_t va, uint64_t table,
		     uint64_t desc, uint64_t desc_pa, uint64_t epoch);

/* A TLBI on its way to one TLB, the issuer's own too: a DSB ISH completes it. */
struct tlbi_op {
	uint64_t start, end;
	bool last_level;
	unsigned issuer;
	/*
	 * The store sequence its issuer's table stores had reached when it
	 * was issued, but those no DSB ISH or ST completed: what performing
	 * it bounds the fills by (herd7 V2I-W-DSB.LD-TLBI-DSB.ISH-ISB-R).
	 */
	uint64_t seq;
};

#define MMU_NR_MEMO 16 /* a power of two */
/* Completions kept apart for faults; the oldest is then applied (stricter, never laxer). */
#define MMU_MAX_RECS 16
/* Invalidations kept with their VA range; the oldest is then applied to every VA (stricter). */
#define MMU_MAX_SCOPES 8

/*
 * The history bounds of a TLB (store sequence numbers, struct mmu.seq):
 * its last invalidation, the last one a broadcast TLBI of another CPU
 * performed here, and that for faults (rinval_f, see struct mmu_cpu).
 * Each holds for the VAs in [start, end) and every walk through them.
 */
struct mmu_scope {
	uint64_t start, end;
	uint64_t inval, rinval, rinval_f;
};

struct mmu;

struct mmu_cpu {
	struct tlb tlb;
	struct mmu *m;
	/*
	 * Store sequence numbers (struct mmu.seq) of this CPU's last context
	 * synchronisation event, last invalidation of its TLB, and last one
	 * a broadcast TLBI of another CPU performed here: the bounds of the
	 * descriptor history it may still use (hw.c), for every VA. With a
	 * memory model that has views (--memory arm) cse_seq is the last
	 * table store within the view the event orders later reads after
	 * (hw_seq_of_view()), not the last one made.
	 */
	uint64_t cse_seq, inval_seq, rinval_seq;
	/*
	 * An invalidation by VA raises them only for the walks it covers
	 * (herd7 D15347-M-load-shoot-noscope+DMB.LD: Allowed): kept here
	 * until it is applied to every VA (mmu_scope_bounds()).
	 */
	struct mmu_scope scopes[MMU_MAX_SCOPES];
	unsigned nscopes;
	/*
	 * This CPU's table stores since its last DSB ISH or ST: an ISB does
	 * not make them visible to its walks (herd7 I2V-W-DSB.LD-ISB-R);
	 * st_seq is the sequence number before the first of them.
	 */
	bool st_open;
	uint64_t st_seq;
	cpu_dep_t tlbi_dep; /* the next TLBI's operand's dependency (mmu_tlbi_dep()) */
	/*
	 * Faults may come from older values than translations: rinval_f is
	 * rinval_seq but for the completions of other CPUs' TLBIs in recs,
	 * each of which bounds a fault only when the faulting access is
	 * ordered after it (cpu_memory_fault_before(): the issuer's view
	 * after its DSB). Under --memory sc there are none.
	 */
	uint64_t rinval_f;
	struct mmu_rinval {
		uint64_t seq, view;
		uint64_t now;	     /* the memory model's latest timestamp then */
		uint64_t start, end; /* the VAs its TLBIs covered */
	} recs[MMU_MAX_RECS];
	unsigned nrecs;
	/*
	 * Recent lookups' results, direct-mapped by VA page (a host-side
	 * micro-TLB): each is a pure function of the TLB contents and the
	 * page, so it stays exact while tlb.gen is unchanged.
	 */
	struct mmu_memo {
		uint64_t gen, page;
		unsigned n;
		uint32_t idx[TLB_MAX_MATCH];
	} memo[MMU_NR_MEMO];
	/*
	 * Pages hw_fill() found nothing to decide for: no history value past
	 * the bounds and no fresh walk that differs from the TLB. That holds
	 * while no descriptor changes (m->seq) and no leaf entry comes or goes
	 * (tlb.gen): the bounds only rise, which removes candidates.
	 */
	struct mmu_fill_memo {
		uint64_t seq, gen, page;
	} quiet[MMU_NR_MEMO];
	mmu_fault_handler_t handler;
	void *handler_arg;
	struct tlbi_op *pending;
	unsigned npending, cappending;
	unsigned outstanding; /* broadcast TLBIs this CPU issued since its last DSB ISH */
	/* Scratch for the DSB: per CPU, the bound its TLBIs applied there and their VAs. */
	struct tlbi_done {
		uint64_t seq, start, end;
	} * done;
	/* Their scopes, for the memory model at their completion (cpu_memory_tlbi_sync()). */
	struct cpu_va_range *issued;
	unsigned capissued;
	bool walk_restart; /* a TLBI covering walk_va reached this TLB while the walk was in flight */
	uint64_t walk_va; /* the VA of the walk in flight */
	bool ha, hd;	  /* this PE's TCR_EL1.HA/HD (mmu_set_hafdbs()) */
	bool el0;	  /* its accesses are made at EL0 (mmu_set_el0()) */
	unsigned nupd;	  /* its hardware updates not yet visible (hafdbs.c) */
};

struct chk;

struct mmu {
	uint64_t ttbr1; /* root (L0) table PA, shared by all CPUs */
	uint64_t epoch; /* bumped by every chk_page_alloc/free: TLB fill stamps */
	uint64_t pool_next, pool_end;
	/* Live translation tables: pfn -> packed (va base, level), see mmu.c. */
	GHashTable *tables;
	struct chk *chk;
	uint64_t seq; /* stores into live tables so far */
	bool views;   /* the memory model has views (cpu_memory_views()) */
	/*
	 * With views: each such store's timestamp, by sequence number - 1
	 * (increasing), and what it was ordered after (UINT64_MAX: not known,
	 * or an atomic's or an update's write, which could not go later).
	 */
	uint64_t *uts, *ufloor;
	uint64_t nuts, caputs;
	/* Values live descriptor slots held, by slot PA (hw.c), and the VAs they map. */
	GHashTable *hist;
	uint64_t hist_lo, hist_hi;
	struct hw_cand *cand;
	unsigned ncap;
	/*
	 * FEAT_HAFDBS (--hafdbs): the machine implements hardware Access flag
	 * / dirty state updates; each PE enables them (struct mmu_cpu).
	 */
	bool ha, hd;
	/*
	 * With ha: live leaf slots holding a valid AF=0 descriptor, which a
	 * speculative walk of any CPU may set AF in at any moment.
	 */
	uint64_t *af0;
	unsigned naf0, capaf0;
	bool af0_scanned; /* the tables' AF=0 leaves at the start are in af0 */
	/* Hardware updates made by walks and not yet visible (hafdbs.c). */
	struct hw_upd *upd;
	unsigned nupd, capupd;
	bool hw_writing; /* the table store being made is a hardware update's */
	void (*prev_store_hook)(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t old,
				uint64_t val);
};

static inline uint64_t mmu_max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static inline struct mmu *mmu_of(struct sim *sim)
{
	return sim->mmu;
}

/* Live table lookup: true with @level and @va_base when @pa is in a live table. */
bool mmu_table_info(struct sim *sim, uint64_t pa, int *level, uint64_t *va_base);

/*
 * The walker. With @cpu it is a CPU's walk: one cpu_load_pa() per level,
 * walk cache used and filled, restarted when a TLBI reaches the TLB
 * mid-walk. Without, it reads memory host-side (setup, speculative fills).
 */
int ptw_walk(struct sim *sim, struct sim_cpu *cpu, uint64_t va, struct mmu_result *res,
	     struct mmu_fault *f);

/* Invalidates [start, end) in this TLB (and the walk cache unless @last_level). */
void mmu_tlb_invalidate(struct mmu_cpu *mc, uint64_t start, uint64_t end, bool last_level);
/*
 * Performs TLBI @op on @mc's TLB: what it removed may be filled again
 * from values its issuer's uncompleted table stores replaced; @remote:
 * another CPU's, which also bounds early walks here (hw.c).
 */
struct tlbi_op;
/*
 * @completing: its issuer's DSB completes it now; rinval_f then waits for
 * mmu_rinval_record() with the issuer's view. Returns the bound it applied.
 */
uint64_t mmu_tlbi_perform(struct mmu_cpu *mc, const struct tlbi_op *op, bool remote,
			  bool completing);
/*
 * A completion of another CPU's TLBIs covering [start, end) that applied
 * bound @seq here, with the issuer's view after its DSB (mm_tlbi.c); with
 * @ordered false (no memory model to order by) it bounds every access.
 */
void mmu_rinval_record(struct mmu_cpu *mc, uint64_t seq, bool ordered, uint64_t view, uint64_t now,
		       uint64_t start, uint64_t end);
/*
 * @mc's bounds for the walks of the VAs in [lo, hi] (inclusive: hi may be
 * the last VA); @b's start and end are lo and hi.
 */
void mmu_scope_bounds(const struct mmu_cpu *mc, uint64_t lo, uint64_t hi, struct mmu_scope *b);
/* For exploration: @cpu's step changes TLB @tlb's entries (SIM_OBJ_TLB_VA_ALL: every TLB) in [start, end). */
void mmu_note_tlb_range(struct sim_cpu *cpu, unsigned tlb, uint64_t start, uint64_t end);
/* For exploration: what a DSB completing @cpu's broadcast TLBIs changes in the TLBs. */
void mmu_note_dsb(struct sim_cpu *cpu);

/* ---- the hardware's freedoms (hw.c) ------------------------------------------ */

void hw_init(struct sim *sim);
void hw_free(struct mmu *m);
/* Would a walk of @d at @level with FEAT_HAFDBS update it (set AF, or DBM's dirty state)? */
static inline bool hw_updatable(const struct mmu *m, uint64_t d, int level)
{
	return m->ha && mmu_desc_is_leaf(d, level) &&
	       (!(d & DESC_AF) || (m->hd && (d & DESC_DBM) && !mmu_desc_writable(d)));
}

/*
 * A store into a live table changed @slot (level, the VA it maps) from @old
 * to @new; @atomic: the write of an atomic or of a hardware update; @floor:
 * what the store is ordered after (UINT64_MAX if unknown).
 */
void hw_desc_stored(struct sim *sim, uint64_t slot, int level, uint64_t va, uint64_t old,
		    uint64_t new, bool atomic, uint64_t floor);
/* Before a lookup of @va with descriptors changed since the TLB's last invalidation. */
void hw_fill(struct sim_cpu *cpu, uint64_t va);
/* Does a slot on @va's walk have a history (values fills and early walks may use)? */
bool hw_path_has_history(struct sim *sim, uint64_t va);
/* A context synchronisation event (ISB, exception entry or return). */
void hw_context_sync(struct sim_cpu *cpu);
/* The sequence number of the last table store whose timestamp is at most @view (views only). */
uint64_t hw_seq_of_view(const struct mmu *m, uint64_t view);
/*
 * The store sequence an early walk of a VA in [lo, hi] must use values
 * replaced after: the bound for faults, returned; for translations the
 * access uses, in @tbound (a completion its own walks order it after);
 * and in @strict, where values no completion removed begin. Over @va's
 * page it is the lowest of @va's walk.
 */
uint64_t hw_early_bound(struct sim_cpu *cpu, uint64_t lo, uint64_t hi, uint64_t *strict,
			uint64_t *tbound);
/*
 * Without FEAT_ETS2: 1 (no early walk chosen), 0 with @res, 2 with @res
 * whose hardware update cannot precede the store that replaced its value,
 * -1 with @f.
 */
int hw_early_walk(struct sim_cpu *cpu, uint64_t va, struct mmu_result *res, struct mmu_fault *f);
/* A lookup matched @n entries: the one used (index into @idx), or @n for an abort. */
unsigned tlb_conflict_pick(struct sim_cpu *cpu, uint64_t va, const uint32_t *idx, unsigned n);
/*
 * Hardware dirty state update for a write through a DBM entry: 0, -1 (@f),
 * 1 (no DBM). @early: @res is an early walk's, of a value since replaced.
 */
int hw_set_dirty(struct sim_cpu *cpu, uint64_t va, struct mmu_result *res, struct mmu_fault *f,
		 bool early);
/* A speculative walk may set AF in a live AF=0 leaf (a decision). */
void hw_af_spec(struct sim_cpu *cpu);
void af0_note(struct mmu *m, uint64_t slot, bool af0);
void hw_af0_scan(struct sim *sim);
/* @cpu's walker read @old at @slot and updates it (FEAT_HAFDBS): the value it uses. */
uint64_t hw_update(struct sim_cpu *cpu, uint64_t slot, uint64_t old, uint64_t set, uint64_t clr);
/* A store into @slot: the updates waiting there came before it. */
void hw_update_overwritten(struct sim *sim, uint64_t slot);
/* @cpu's walk reads, or @cpu's explicit access reaches, descriptor @slot. */
void hw_walk_observe(struct sim_cpu *cpu, uint64_t slot);
void hw_access_observe(struct sim_cpu *cpu, uint64_t slot, bool write);
/* A full DSB of @cpu: its updates become visible. */
void hw_dsb(struct sim_cpu *cpu);
/* Every PE finished (engine hook run_end). */
void hw_run_end(struct sim *sim);
/* What a walk read at @slot, for a TLB entry holding @desc (a waiting update's old value). */
uint64_t hw_desc_read(struct sim *sim, uint64_t slot, uint64_t desc);
/* The descriptor at @slot as PEs see it: memory with a waiting update applied. */
uint64_t hw_desc_view(struct sim *sim, uint64_t slot);

/*
 * The hardware Access flag update (FEAT_HAFDBS, --hafdbs af): atomically
 * sets AF in the descriptor at @dpa if it still holds @d. The new value, or
 * 0 when the descriptor changed meanwhile (the walk must be redone).
 */
uint64_t mmu_hw_set_af(struct sim_cpu *cpu, uint64_t dpa, uint64_t d);

/* ---- checker side (checker.c) ---------------------------------------------- */

struct chk *chk_create(struct sim *sim);
void chk_destroy(struct chk *c);
/* Current page epoch: entries filled at an older epoch may be stale. */
static inline uint64_t chk_epoch(struct sim *sim)
{
	return mmu_of(sim)->epoch;
}
/* A store changed the descriptor at @slot_pa (level, the VA it maps) from @old to @new. */
void chk_desc_store(struct sim_cpu *cpu, uint64_t slot_pa, int level, uint64_t va, uint64_t old,
		    uint64_t new);
/* A TLBI by @cpu over [start, end) was issued. */
void chk_tlbi(struct sim_cpu *cpu, uint64_t start, uint64_t end, bool last_level, bool broadcast);
/* @cpu executed a DSB; @full: it completes TLB maintenance (not ...ST). */
void chk_dsb(struct sim_cpu *cpu, bool full);
/* Would that DSB change anything the checker holds (a break @cpu made, a TLBI of its)? */
bool chk_dsb_pending(struct sim_cpu *cpu, bool full);
/*
 * A lookup of @va matched @n > 1 entries; @cause is the rule text naming
 * why the TLB holds them (mmu.c knows: a stale entry, or a FEAT_BBM level 2
 * size change), for the finding should the entries not translate alike.
 */
void chk_tlb_conflict(struct sim_cpu *cpu, uint64_t va, const uint32_t *idx, unsigned n,
		      const char *cause);
/* An access through TLB entry @e (filled before the last page (re)allocation). */
void chk_tlb_use(struct sim_cpu *cpu, uint64_t va, struct tlb_entry *e);
/* A walk used walk-cache entry @w filled before the last page (re)allocation. */
void chk_walk_use(struct sim_cpu *cpu, uint64_t va, const struct tlb_walk *w);
/* A translated access (@res: TLB hit or walk): ordering, and the rules on pages. */
void chk_access(struct sim_cpu *cpu, uint64_t va, const struct mmu_result *res, bool write);
/* A fault nobody fixed up: the finding. */
void chk_unhandled_fault(struct sim_cpu *cpu, const struct mmu_fault *f);

#endif
