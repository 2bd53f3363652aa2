/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sim: the deterministic engine.
 *
 * Contract: a run executes one scenario on N simulated CPUs. Each CPU is a
 * host thread, but exactly one holds the run token at any time, so shared
 * simulator state is only ever touched by the token holder. Every operation
 * another CPU could observe is a yield point (sim_yield()), where the run's
 * scheduling strategy decides who runs next. Every such choice, and every
 * hardware choice (sim_decide()), is appended to the trace; the same options
 * and seed give the same trace and the same digest, byte for byte.
 *
 * Layers above (gic/, smp/, mm/) hang their per-run and per-CPU state off
 * the void pointers below and plug into the engine through struct sim_hooks.
 */
#ifndef BBMSIM_SIM_H
#define BBMSIM_SIM_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BBMSIM_VERSION "0.1.0"
#define SIM_MAX_CPUS   1024
/* Findings a run keeps in full under --keep-going; more are only counted. */
#define SIM_FINDINGS_KEPT 1000
/* Host resources one CPU's program may hold at once (sim_cleanup_push()). */
#define SIM_MAX_CLEANUPS 8

struct sim;
struct sim_cpu;
struct scenario;
struct trace;
struct pmem;
struct cpu_memory_model;

/* ---- options (each layer's options.def; sim/config.c) ----------------------- */

/*
 * Every option that shapes a run. Each layer lists its own in an
 * options.def (format: sim/options.def) and registers the table
 * (SIM_OPTIONS_REGISTER); one line there gives a CLI flag (underscores
 * become dashes), range checking and an "option name=value" line in the
 * trace header, so a replay rebuilds the exact machine. The engine knows
 * only its own. An option's id (OPT_name, a variable set before main())
 * indexes struct sim_options.
 */
#define SIM_MAX_OPTS	 64
#define SIM_OPT_STR_SIZE 32

#define SIM_STEP_BOUND_MAX 4000000000u /* the most --step-bound takes */

enum sim_opt_type { SIM_OPT_T_UINT, SIM_OPT_T_BOOL, SIM_OPT_T_STR };

struct sim_option_def {
	const char *name;
	enum sim_opt_type type;
	uint32_t def, lo, hi; /* uint and bool */
	const char *sdef;     /* str: validated by whoever consumes it */
	const char *help;
	unsigned *id;
};

/*
 * Registers a layer's options; @level is the layer's place bottom up
 * (docs/layout.md: 0 engine, 1 Arm hardware, 2 GIC, 3 SMP, 4 mm), so the
 * trace header, the CLI and the ids read the same whatever the link order.
 * From constructors only: ids are final when main() starts.
 */
void options_register(const struct sim_option_def *defs, unsigned n, unsigned level);

/* A layer's options.def gives its ids (declare in its header, define once)... */
#define SIM_OPT_ID_DECLARE(n, ...) extern unsigned OPT_##n;
#define SIM_OPT_ID_DEFINE(n, ...)  unsigned OPT_##n;
/* ...and its table. */
#define SIM_OPT_UINT_ENTRY(n, d, lo, hi, h) \
	{#n, SIM_OPT_T_UINT, (d), (lo), (hi), NULL, (h), &OPT_##n},
#define SIM_OPT_BOOL_ENTRY(n, d, h) {#n, SIM_OPT_T_BOOL, (d), 0, 1, NULL, (h), &OPT_##n},
#define SIM_OPT_STR_ENTRY(n, d, h)  {#n, SIM_OPT_T_STR, 0, 0, 0, (d), (h), &OPT_##n},
#define SIM_OPTIONS_REGISTER(table, level)                                        \
	static void __attribute__((constructor)) table##_register(void)           \
	{                                                                         \
		options_register(table, sizeof(table) / sizeof(table[0]), level); \
	}

#define SIM_OPT_UINT SIM_OPT_ID_DECLARE
#define SIM_OPT_BOOL SIM_OPT_ID_DECLARE
#define SIM_OPT_STR  SIM_OPT_ID_DECLARE
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR

union sim_opt_value {
	uint32_t u;
	bool b;
	char s[SIM_OPT_STR_SIZE];
};

struct sim_options {
	union sim_opt_value v[SIM_MAX_OPTS]; /* by id */
	uint64_t seed;
	char sched[16]; /* "timed", "random", "pct" or "pct:D", "replay" */
};

static inline uint32_t sim_opt_uint(const struct sim_options *o, unsigned id)
{
	return o->v[id].u;
}

static inline bool sim_opt_bool(const struct sim_options *o, unsigned id)
{
	return o->v[id].b;
}

static inline const char *sim_opt_str(const struct sim_options *o, unsigned id)
{
	return o->v[id].s;
}

/* Setters for code that builds options (tests, compare): no range check. */
static inline void sim_opt_set_uint(struct sim_options *o, unsigned id, uint32_t v)
{
	o->v[id].u = v;
}

static inline void sim_opt_set_bool(struct sim_options *o, unsigned id, bool v)
{
	o->v[id].b = v;
}

void sim_opt_set_str(struct sim_options *o, unsigned id, const char *v);

/* The registered options, ids 0 .. sim_options_count() - 1 in header order. */
unsigned sim_options_count(void);
const struct sim_option_def *sim_option_def(unsigned id);
void sim_options_default(struct sim_options *o);
/* Sets option @name (dashes or underscores) from text; 0, or -1 with @err set. */
int sim_options_set(struct sim_options *o, const char *name, const char *value, char *err,
		    size_t errlen);
/* Calls @fn for every option in id order, value as text. */
void sim_options_foreach(const struct sim_options *o,
			 void (*fn)(const char *name, const char *value, void *arg), void *arg);

/* ---- costs (each layer's costs.def; sim/costs.c) ---------------------------- */

/*
 * The cost table: simulated time each operation adds to a CPU's clock, in
 * picoseconds. Every layer registers its own costs from a costs.def of its
 * own (SIM_COST lines, see sim/costs.def); the engine builds one table from
 * the registrations and knows none of them but its own. A cost's id
 * (COST_name, a variable set before main()) indexes struct sim_costs.
 */
#define SIM_MAX_COSTS 64

/* How a default was chosen: docs/costs.md says, cost by cost. */
enum cost_basis {
	COST_BASIS_CITED,      /* a published figure (the source names it) */
	COST_BASIS_CALIBRATED, /* chosen or moved while looking at the series' table */
	COST_BASIS_ESTIMATE,   /* reasoned, not measured: the range is what matters */
};

struct sim_cost_def {
	const char *name;
	uint64_t def, lo, hi; /* ps: the default and the plausible range around it */
	enum cost_basis basis;
	const char *source; /* the citation and its figure, the cell, or the reasoning */
	const char *help;
	unsigned *id;
};

/*
 * Registers a layer's costs; @level is the layer's place bottom up
 * (docs/layout.md: 0 engine, 1 Arm hardware, 2 GIC, 3 SMP, 4 mm), so the
 * table (its digest, the trace header, JSON) reads the same whatever the
 * link order. From constructors only: ids are final when main() starts.
 */
void costs_register(const struct sim_cost_def *defs, unsigned n, unsigned level);

/* A layer's costs.def gives its ids (declare in its header, define once)... */
#define SIM_COST_DECLARE(n, ...) extern unsigned COST_##n;
#define SIM_COST_DEFINE(n, ...)	 unsigned COST_##n;
/* ...and its table: SIM_COST(name, default_ps, lo_ps, hi_ps, basis, source, help). */
#define SIM_COST_ENTRY(n, d, lo, hi, basis, src, h) \
	{#n, (d), (lo), (hi), COST_BASIS_##basis, (src), (h), &COST_##n},
#define SIM_COSTS_REGISTER(table, level)                                        \
	static void __attribute__((constructor)) table##_register(void)         \
	{                                                                       \
		costs_register(table, sizeof(table) / sizeof(table[0]), level); \
	}

#define SIM_COST SIM_COST_DECLARE
#include "costs.def"
#undef SIM_COST

struct sim_costs {
	uint64_t ps[SIM_MAX_COSTS];
	char digest[65]; /* sha256 of the table as "name=ps\n" lines */
};

/* The largest cost a table may hold: 1 s (see sim_yield's clock guard). */
#define COSTS_MAX_PS 1000000000000ull

/* Registered costs, ids 0 .. costs_count() - 1 in table order. */
unsigned costs_count(void);
const struct sim_cost_def *costs_def(unsigned id);
/* The id of cost @name, or -1. */
int costs_find(const char *name);
void costs_default(struct sim_costs *c);
/* Loads "name = nanoseconds" lines over the defaults; -1 with @err set on bad input. */
int costs_load(struct sim_costs *c, const char *path, char *err, size_t errlen);
int costs_parse(struct sim_costs *c, const char *text, size_t len, char *err, size_t errlen);
/* Recomputes the digest after changing c->ps directly. */
void costs_update_digest(struct sim_costs *c);
const char *costs_name(unsigned id);
const char *costs_help(unsigned id);
const char *costs_basis_name(enum cost_basis b);

/* ---- findings (sim/findings.def) ----------------------------------------- */

enum sim_finding_kind {
#define SIM_FINDING(id, name, help) FINDING_##id,
#include "findings.def"
#undef SIM_FINDING
	SIM_NR_FINDINGS
};

struct sim_finding {
	enum sim_finding_kind kind;
	int cpu; /* -1: the machine as a whole */
	uint64_t step;
	uint64_t clock; /* ps, on @cpu */
	uint64_t va, pa;
	/* Whole, never cut (owned by the run; sim_destroy() frees them). */
	char *detail; /* old/new descriptors, what was expected, ... */
	char *rule;   /* the Arm rule or kernel invariant broken */
};

const char *finding_name(enum sim_finding_kind k);

/*
 * Reports a finding from the token holder. Unless --keep-going, the run
 * stops: this call does not return when @cpu is a running CPU (the CPU's
 * program is unwound). Call with cpu == NULL from host context (setup/check).
 */
void sim_report(struct sim *sim, struct sim_cpu *cpu, enum sim_finding_kind kind, uint64_t va,
		uint64_t pa, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/*
 * Whether a report of @kind at @va/@pa would be kept, for a caller that
 * would rather not format one that would not (--keep-going past the same
 * place, or past SIM_FINDINGS_KEPT, where it counts the report as
 * sim_report() would). On false, do not call sim_report() for it.
 */
bool sim_report_wanted(struct sim *sim, enum sim_finding_kind kind, uint64_t va, uint64_t pa);
/*
 * The run turned out to be no execution the machine can have (the memory
 * model guessed a value no store then wrote): it stops at once, with
 * @why (a static string) in sim->infeasible; no finding is reported.
 */
void sim_infeasible(struct sim *sim, const char *why);

/* ---- decisions (sim/decisions.def) --------------------------------------- */

enum sim_decision {
#define SIM_DECISION(id, name) DECIDE_##id,
#include "decisions.def"
#undef SIM_DECISION
	SIM_NR_DECISIONS
};

const char *decision_name(enum sim_decision d);

/*
 * A hardware choice in [0, n): from the seed, or from the trace on replay.
 * n == 1 is not a choice and is neither drawn nor recorded.
 */
uint32_t sim_decide(struct sim *sim, enum sim_decision kind, uint32_t n);
/*
 * The same, where the seeded strategies pick 0 (nothing happens) @zero_in
 * times in @of and 1..n-1 uniformly otherwise; replay and an explorer see
 * n alternatives as for sim_decide() (no equivalent ones to enumerate).
 */
uint32_t sim_decide_biased(struct sim *sim, enum sim_decision kind, uint32_t n, uint32_t zero_in,
			   uint32_t of);

/* ---- CPUs and the run token ------------------------------------------------ */

enum cpu_state {
	CPU_IDLE,     /* not started yet */
	CPU_RUNNABLE, /* may be picked at any yield point */
	CPU_WAITING,  /* blocked in sim_wait_*() until a store, kick or event */
	CPU_FINISHED, /* its program returned */
};

/* "not started", "runnable", "waiting", "finished". */
const char *sim_cpu_state_name(enum cpu_state st);

struct sim_cpu {
	struct sim *sim;
	unsigned id;
	uint64_t clock; /* simulated time in ps */
	enum cpu_state state;

	/* What a waiting CPU waits for, for wake-ups and deadlock reports. */
	const char *wait_what;
	uint64_t wait_pa, wait_len; /* physical range a store to which wakes it */
	bool wait_irq;		    /* a kick (interrupt line) wakes it too */
	bool wait_cond;		    /* only a store that makes the condition true wakes it */
	bool wait_until;
	uint64_t wait_mask, wait_want;
	uint64_t spin_iters;

	/* Set by gic/ when the CPU interface signals IRQ/FIQ; see hooks.take_irq. */
	bool irq_line;
	/*
	 * Yield points the CPU still runs before it takes the signalled
	 * interrupt (delivery latency, decided by gic/ when the line rises).
	 */
	uint32_t irq_defer;
	bool irq_late; /* a latency was decided and the interrupt not taken since */

	/*
	 * The access in progress: what cpu.c knows of it (set before it is
	 * translated) and the leaf descriptor the MMU translated it through.
	 * A memory model orders the access before the completion of a
	 * broadcast TLBI that removes that translation (sim/arm/mm_tlbi.c).
	 */
	struct sim_access {
		uint64_t va, desc_pa, desc;
		uint64_t addr_dep, data_dep;
		uint8_t ord; /* enum cpu_order */
		bool write;
		bool translated; /* desc_pa and desc are this access's */
		/*
		 * The translation is one a TLBI completion removed, used by a
		 * load ordered before that completion: it reads a message no
		 * newer than max_ts, which existed then (sim/arm/hw.c).
		 */
		bool bounded;
		uint64_t max_ts;
		/* The store being made is an atomic's write (the store hook's question). */
		bool atomic;
		/*
		 * The store being made is ordered after @floor and nothing newer
		 * (the memory model's vpre): it could have been made as early.
		 */
		bool has_floor;
		uint64_t floor;
	} access;

	/* Per-layer state. */
	void *mmu, *gic, *smp, *kern, *scn;

	/* engine private */
	struct sim_thread *thread;
	struct sim_fiber *fiber;
	uint32_t pct_prio;
	jmp_buf *unwind;
	struct sim_cleanup {
		void (*fn)(void *arg);
		void *arg;
	} cleanup[SIM_MAX_CLEANUPS];
	unsigned ncleanup;
};

/*
 * Hooks: how upper layers plug into the engine without the engine knowing
 * them. All are optional and called by the token holder.
 */
struct sim_hooks {
	/*
	 * Translates @va for an access of @size bytes; returns 0 and sets *@pa.
	 * On a fault it delivers it (to the CPU's fault handler, or as a
	 * finding) and returns > 0 to retry the access, or < 0 to drop it (a
	 * load then reads 0; only after a finding under --keep-going). Without
	 * a hook, addresses are physical.
	 */
	int (*translate)(struct sim_cpu *cpu, uint64_t va, unsigned size, bool write, uint64_t *pa);
	/* Called at a yield point when cpu->irq_line is set: take the exception. */
	void (*take_irq)(struct sim_cpu *cpu);
	/*
	 * An exception entry or return (around take_irq): a context
	 * synchronisation event for the layer that cares (the MMU).
	 */
	void (*context_sync)(struct sim_cpu *cpu);
	/* A store to a page flagged PMEM_F_HOOK (a live translation table, ...). */
	void (*store_hook)(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t old,
			   uint64_t val);
	/*
	 * Every CPU's program is over, before the scenario's check: what the
	 * hardware still owes (FEAT_HAFDBS updates not yet written).
	 */
	void (*run_end)(struct sim *sim);
	/* A finding was reported: let the layer add its view of the state. */
	void (*describe)(struct sim *sim, struct sim_cpu *cpu, char *buf, size_t len);
};

/*
 * An exploring strategy (stateless model checking, litmus/): it makes
 * every choice itself and is told what each step touches, so it can tell
 * which steps commute. Set with sim_set_explorer() before sim_run().
 */
#define SIM_OBJ_GLOBAL	  UINT64_MAX	   /* a step no other step commutes with */
#define SIM_OBJ_CHECKER	  (UINT64_MAX - 1) /* the checker's records (breaks, TLBIs) */
#define SIM_OBJ_CONTENTS  (UINT64_MAX - 2) /* data the checker compares (read by data stores) */
#define SIM_OBJ_TLB_ALL	  (UINT64_MAX - 3) /* every CPU's TLB (a broadcast, a live table store) */
#define SIM_OBJ_TLB(c)	  (UINT64_MAX - 4 - (c)) /* CPU c's TLB: its lookups */
#define SIM_OBJ_IS_TLB(o) ((o) <= SIM_OBJ_TLB_ALL && (o) > SIM_OBJ_TLB(SIM_MAX_CPUS))
/* --memory arm: the order of its timestamps (written by each store made visible) */
#define SIM_OBJ_MEM_ORDER SIM_OBJ_TLB(SIM_MAX_CPUS)
/* --memory arm: the stores a DSB completed (written by a DSB, read by translated loads) */
#define SIM_OBJ_MEM_DONE (SIM_OBJ_MEM_ORDER - 1)
/*
 * The entries of CPU c's TLB (c = SIM_OBJ_TLB_VA_ALL: every TLB) for the
 * naturally aligned VA block of 2^shift bytes holding va: written by a
 * lookup or fill on c, a broadcast TLBI or a live table store for what
 * they cover. Two such objects conflict when their CPUs agree (or one is
 * every TLB) and their blocks overlap (one holds the other); each
 * conflicts with SIM_OBJ_TLB(c) and SIM_OBJ_TLB_ALL as its CPUs do.
 */
#define SIM_OBJ_TLB_VA_TAG (0xcull << 60)
#define SIM_OBJ_TLB_VA_ALL 2047u
/*
 * Not a TLB: the accesses made through translations of the block (read by
 * an access's last step, written by a DSB completing TLBIs of the block,
 * which orders them); conflicts only with its kind.
 */
#define SIM_OBJ_TLB_VA_USES 2046u
#define SIM_OBJ_VA_BITS	    48
#define SIM_OBJ_TLB_VA(c, va, shift)                                          \
	(SIM_OBJ_TLB_VA_TAG | (uint64_t)(c) << 42 | (uint64_t)(shift) << 36 | \
	 (((va) & ((1ull << SIM_OBJ_VA_BITS) - 1)) >> 12 & ~((1ull << ((shift)-12)) - 1)))
#define SIM_OBJ_IS_TLB_VA(o)	((o) >> 60 == 0xc)
#define SIM_OBJ_TLB_VA_CPU(o)	((unsigned)((o) >> 42) & 2047u)
#define SIM_OBJ_TLB_VA_SHIFT(o) ((unsigned)((o) >> 36) & 63u)
#define SIM_OBJ_TLB_VA_PAGE(o)	((o) & ((1ull << 36) - 1))
/*
 * CPU c's GIC redistributor and CPU interface, its IRQ line among them:
 * written by an SGI sent to c, read by every yield point of c (where an
 * interrupt may be taken).
 */
#define SIM_OBJ_GIC(c) (SIM_OBJ_MEM_DONE - 1 - (c))
/*
 * The MMU's store sequence and the set of AF=0 leaves (written by every
 * live table store), read by a lookup whose choices depend on them
 * whatever its VA: its TLB-fill and early-walk gates when closed, the
 * speculative Access flag updates (sim/arm/mmu.c).
 */
#define SIM_OBJ_TLB_SEQ SIM_OBJ_GIC(SIM_MAX_CPUS)
struct sim_explorer {
	/*
	 * The choice among @n alternatives: for DECIDE_CPU, @ids holds the
	 * runnable CPUs in ascending order and the index into it is returned;
	 * for a hardware decision @ids is NULL and a value in [0, n) returned.
	 */
	uint32_t (*choose)(void *arg, enum sim_decision kind, uint32_t n, const unsigned *ids);
	/* The running step of @cpu reads or writes shared object @obj (a PA, or SIM_OBJ_GLOBAL). */
	void (*access)(void *arg, unsigned cpu, uint64_t obj, bool write);
	void *arg;
};

void sim_set_explorer(struct sim *sim, const struct sim_explorer *ex);

struct sim {
	struct sim_options opt;
	const struct scenario *scn;
	struct sim_costs costs;
	unsigned ncpus;
	struct sim_cpu *cpus;
	struct pmem *mem;
	struct sim_hooks hooks;

	uint64_t step; /* yield points so far, the whole machine */
	struct sim_cpu *cur;
	bool stopping; /* a finding ended the run; CPUs are being unwound */
	/*
	 * Why the run was no execution of the machine (an unfulfilled promise
	 * of --memory arm, docs/memmodel.md), or NULL: its outcome and
	 * findings are none, callers count it apart (sim_infeasible()).
	 */
	const char *infeasible;
	bool local_points; /* sim_yield_local() is a scheduling point (not timed) */

	struct sim_finding *findings;
	unsigned nr_findings;
	unsigned findings_more; /* reports past SIM_FINDINGS_KEPT findings, counted only */
	void *finding_keys;	/* GHashTable: the kinds and places seen */

	/* Per-layer state. */
	void *mmu, *gic, *smp, *kern, *scn_state;
	bool setup_done; /* the scenario's setup succeeded: sim_destroy() calls its teardown */

	/*
	 * Kernel static data (.data/.bss): physical [SIM_KDATA_BASE, +SIM_KDATA_SIZE).
	 * An MMU that maps it sets kdata_offset so that sim_kdata_alloc() hands
	 * out virtual addresses (pa + kdata_offset).
	 */
	uint64_t kdata_offset, kdata_next;

	const struct sim_explorer *explorer;

	/* engine private */
	char *stopping_detail; /* a report's text that outlives a CPU unwound mid-report */
	struct sched *sched;
	struct trace *trace;
	struct sim_events *events;
	struct sim_metric_rec *metrics;
	unsigned nr_metrics;
	struct sim_lines *lines; /* cache-line ownership, for atomics' cost */
	/* The data memory model (--memory; NULL: sequentially consistent), sim/cpu.h. */
	const struct cpu_memory_model *memory;
	void *memory_state;
	bool keep_trace; /* keep the trace text (default); off for huge timed runs */
	/* Told of every run metric as it is recorded (progress of long runs); may be NULL. */
	void (*on_metric)(struct sim *sim, const char *name, uint64_t value, void *arg);
	void *on_metric_arg;
	/*
	 * Run the CPUs as fibers on the calling thread instead of one thread
	 * each: the same schedule and trace, much cheaper hand-offs. Set before
	 * sim_run(); ignored (threads) in sanitizer builds.
	 */
	bool fibers;
	/*
	 * Called every 2^14 yield points, on the running CPU, when set: a
	 * progress display may read the run (step, clocks), never change it.
	 */
	void (*progress)(struct sim *sim);
};

#define SIM_KDATA_BASE 0x100000ull /* 1 MiB: page 0 stays unused, as NULL */
#define SIM_KDATA_SIZE 0xf00000ull /* up to 16 MiB */

/*
 * Allocates zeroed kernel static data (locks, counters, flags) for CPU
 * programs, in host context; returns the address the cpu_*() accessors
 * take (physical, or virtual once an MMU maps kdata). Exhaustion is a bug in
 * a layer, not bad input: it aborts.
 */
uint64_t sim_kdata_alloc(struct sim *sim, uint64_t size, uint64_t align);

/* Creates a run of @scn with @opt; @replay is a parsed trace or NULL. */
struct sim *sim_create(const struct scenario *scn, const struct sim_options *opt,
		       const struct sim_costs *costs, struct trace *replay, char *err,
		       size_t errlen);
/*
 * Runs it to the end: every CPU finished, or a finding stopped it. Returns
 * 0, or -1 with @err set when a replay diverged from its trace.
 */
int sim_run(struct sim *sim, char *err, size_t errlen);
void sim_destroy(struct sim *sim);
/*
 * Asks the running simulation to stop at its next yield point; sim_run()
 * then fails with "interrupted". Async-signal-safe: for SIGINT handlers.
 */
void sim_interrupt(void);
/* Whether this build can run CPUs as fibers (see struct sim.fibers). */
bool sim_fibers_available(void);

/*
 * A named figure of the run (simulated ps, a count): recorded in the trace
 * (so in the digest) and read back by the CLI (compare). @name must be a
 * string that outlives the run (a literal).
 */
void sim_metric(struct sim *sim, const char *name, uint64_t value);
/* The last value recorded under @name; false if none. */
bool sim_metric_get(const struct sim *sim, const char *name, uint64_t *value);

/* sha256 hex over the decisions and observable events of the run so far. */
const char *sim_digest(struct sim *sim);
/* The trace of the run, with header, as text (valid after sim_run). */
const char *sim_trace_text(struct sim *sim, size_t *len);
/* Turns on the event log for --perfetto (before sim_run). */
void sim_enable_events(struct sim *sim);
/* The event log as Perfetto / Chrome trace-event JSON, @len bytes (g_free it). */
char *sim_perfetto_json(struct sim *sim, size_t *len);

/* ---- what CPU programs call ---------------------------------------------- */

/* The CPU running now (the token holder), or NULL in host context. */
struct sim_cpu *sim_current(struct sim *sim);

/* Advances @cpu's clock by a cost from the table. */
static inline void sim_tick(struct sim_cpu *cpu, unsigned c)
{
	cpu->clock += cpu->sim->costs.ps[c];
}

/* Tells an exploring strategy what the running step touches (see sim_explorer). */
static inline void sim_note(struct sim_cpu *cpu, uint64_t obj, bool write)
{
	const struct sim_explorer *ex = cpu->sim->explorer;

	if (__builtin_expect(ex != NULL, 0))
		ex->access(ex->arg, cpu->id, obj, write);
}

/* A yield point: the strategy may run another CPU before this returns. */
void sim_yield(struct sim_cpu *cpu);

/*
 * The point before an operation no other CPU can observe: the PE's own GIC
 * CPU interface registers (ICC_PMR_EL1, EOIR, DIR), ISB. Exploring
 * strategies interleave here (an interrupt may arrive between two such
 * operations). The timed strategy only takes a pending interrupt: what the
 * CPUs behind in time would do first reaches this one as memory it does
 * not read here or as an interrupt arriving an SGI latency later.
 */
void sim_yield_local(struct sim_cpu *cpu);

/*
 * Blocks @cpu until a store hits [pa, pa+len), it is kicked (if @irq), or
 * an event is due on it. The caller re-checks its condition afterwards, so
 * spurious wake-ups are harmless. A wait with nothing left that could wake
 * any CPU is a deadlock; more than spin_bound wake-ups without the
 * condition becoming true (sim_wait_done()) is a livelock.
 */
void sim_wait(struct sim_cpu *cpu, uint64_t pa, uint64_t len, bool irq, const char *what);
/*
 * The same, for a spin on a value: only a store after which
 * ((value at pa) & mask) == want is @until wakes it. A store that leaves the
 * condition as it was would only make the CPU look and wait again.
 */
void sim_wait_value(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t mask, uint64_t want,
		    bool until, const char *what);
/* The condition a CPU waited for holds: resets its livelock counter. */
static inline void sim_wait_done(struct sim_cpu *cpu)
{
	cpu->spin_iters = 0;
}

/* Makes a waiting CPU runnable (an interrupt line went up, ...). */
void sim_kick(struct sim_cpu *cpu);

/*
 * Host memory a CPU's program holds across yield points (HVO's list of
 * pages to free): a run that stops unwinds the CPU past the code that
 * would free it, so the engine calls @fn(@arg) then, newest first. Push
 * after allocating; sim_cleanup_pop() before freeing it yourself. Like
 * pthread_cleanup_push()/pop(), but the records live in struct sim_cpu,
 * not on the stack the unwinding abandons.
 */
void sim_cleanup_push(struct sim_cpu *cpu, void (*fn)(void *arg), void *arg);
/* Drops the newest record, which must be for @arg. */
void sim_cleanup_pop(struct sim_cpu *cpu, void *arg);

/*
 * Host-side annotation of the timeline (perfetto): a named span on @cpu
 * from @start to the CPU's clock now, or an instant. Costs nothing when
 * events are off.
 */
void sim_span(struct sim_cpu *cpu, const char *name, uint64_t start);
void sim_instant(struct sim_cpu *cpu, const char *name);
/* The same with a detail line (printf format) shown as the event's args. */
void sim_span_detail(struct sim_cpu *cpu, const char *name, uint64_t start, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void sim_instant_detail(struct sim_cpu *cpu, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * An arrow from one CPU's timeline to another's (an SGI from its send to
 * its receipt): the tail (@head false) and the head (@head true) carry the
 * same @id and each binds to the span around @ts on @cpu.
 */
void sim_flow(struct sim *sim, unsigned cpu, uint64_t ts, const char *name, uint64_t id, bool head);
/* Whether the event log is on: skip work that only feeds it. */
static inline bool sim_events_on(const struct sim *sim)
{
	return sim->events != NULL;
}

#endif
