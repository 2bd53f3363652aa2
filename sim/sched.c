// SPDX-License-Identifier: GPL-2.0-only
/*
 * The scheduler: the run token, the strategies that pick its next holder
 * at every yield point (timed, random, pct, replay), waiting and waking.
 * Only the token holder touches simulator state. The CPUs are threads
 * (baton.c) or fibers (fiber.c); this file does not care which beyond the
 * hand-off itself.
 */
#include "engine.h"
#include "clock_heap.h"
#include "cpu.h"
#include "pmem.h"
#include "rng.h"
#include "scenario.h"
#include "trace.h"

#include <glib.h>
#include <inttypes.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the scheduler state -------------------------------------------------------- */

enum strategy { STRAT_TIMED, STRAT_RANDOM, STRAT_PCT, STRAT_REPLAY, STRAT_EXPLORE };

#define WAIT_SLOTS 256 /* a power of two */

struct sched {
	enum strategy strat;
	struct rng rng;	   /* scheduling choices */
	struct rng hw_rng; /* hardware decisions: an independent stream */
	unsigned *runq, nrun, *runq_pos;
	_Atomic uint32_t host_go; /* threads: the host waits for the token here */
	struct trace *replay;
	char err[300];
	bool failed;
	bool cond_next; /* the next sim_wait() is a sim_wait_value() */
	/* CPUs waiting on memory, a bit each: a store looks at these only. */
	uint64_t memwait[SIM_MAX_CPUS / 64];
	/*
	 * How many of them wait on a cache line hashing to each slot: a store
	 * to lines nobody waits on (most, even on the same page) skips the scan.
	 */
	uint16_t line_waiters[WAIT_SLOTS];
	/*
	 * timed: the runnable CPUs but the token holder, in a min-heap by
	 * (clock, key); the key, drawn from the seed whenever a CPU enters the
	 * heap, orders CPUs whose clocks are equal at random.
	 */
	struct clock_heap heap;
	uint32_t *key; /* the holder's key, from when it last entered the heap */
	/* PCT */
	unsigned depth;
	uint64_t *change_at;
	unsigned nchange, next_change;
};

/* ---- the timed strategy's heap (clock_heap.h) ---- */

static void heap_push(struct sim *sim, unsigned id)
{
	struct sched *s = sim->sched;

	clock_heap_push(&s->heap,
			clock_ent_make(sim->cpus[id].clock, (uint32_t)rng_next(&s->rng), id));
}

/* Pops the earliest CPU, which becomes the holder: its key goes with it. */
static unsigned take_top(struct sim *sim)
{
	struct sched *s = sim->sched;
	uint32_t key, id = clock_heap_pop(&s->heap, &key);

	s->key[id] = key;
	return id;
}

/* Would @cpu, holding the token, still come first? */
static bool holder_first(struct sim *sim, struct sim_cpu *cpu)
{
	struct sched *s = sim->sched;
	struct clock_ent e = clock_ent_make(cpu->clock, s->key[cpu->id], cpu->id);

	return clock_heap_first(&s->heap, &e);
}

static void rq_add(struct sched *s, struct sim_cpu *c)
{
	if (s->strat == STRAT_TIMED && c != c->sim->cur)
		heap_push(c->sim, c->id);
	s->runq_pos[c->id] = s->nrun;
	s->runq[s->nrun++] = c->id;
}

static void rq_del(struct sched *s, struct sim_cpu *c)
{
	unsigned pos = s->runq_pos[c->id], last = s->runq[--s->nrun];

	s->runq[pos] = last;
	s->runq_pos[last] = pos;
}

struct sched *sched_create(struct sim *sim, struct trace *replay, char *err, size_t errlen)
{
	struct sched *s = g_new0(struct sched, 1);
	const char *name = sim->opt.sched;

	if (replay)
		s->strat = STRAT_REPLAY;
	else if (!strcmp(name, "timed"))
		s->strat = STRAT_TIMED;
	else if (!strcmp(name, "random"))
		s->strat = STRAT_RANDOM;
	else if (!strcmp(name, "explore"))
		s->strat = STRAT_EXPLORE; /* choices from sim->explorer */
	else if (!strncmp(name, "pct", 3)) {
		s->strat = STRAT_PCT;
		s->depth = name[3] == ':' ? (unsigned)atoi(name + 4) : 3;
	} else {
		snprintf(err, errlen, "--sched: unknown strategy '%s'", name);
		g_free(s);
		return NULL;
	}
	s->replay = replay;
	/* A replay makes the points of the run it replays (its header's --sched). */
	sim->local_points = strcmp(name, "timed") != 0;
	rng_seed(&s->rng, sim->opt.seed, 1);
	rng_seed(&s->hw_rng, sim->opt.seed, 2);
	s->heap.e = g_new0(struct clock_ent, sim->ncpus);
	s->key = g_new0(uint32_t, sim->ncpus);
	s->runq = g_new0(unsigned, sim->ncpus);
	s->runq_pos = g_new0(unsigned, sim->ncpus);

	if (s->strat == STRAT_PCT) {
		/*
		 * PCT (Burckhardt et al., ASPLOS 2010): distinct random initial
		 * priorities >= depth, and depth-1 change points over the run's
		 * expected length, at each of which the running CPU drops below
		 * every initial priority.
		 */
		uint64_t k = sim->scn->est_steps ? sim->scn->est_steps : 10000;
		uint32_t *perm = g_new(uint32_t, sim->ncpus);

		for (unsigned i = 0; i < sim->ncpus; i++)
			perm[i] = i;
		for (unsigned i = sim->ncpus; i > 1; i--) {
			unsigned j = rng_below(&s->rng, i);
			uint32_t t = perm[i - 1];
			perm[i - 1] = perm[j];
			perm[j] = t;
		}
		for (unsigned i = 0; i < sim->ncpus; i++)
			sim->cpus[i].pct_prio = s->depth + perm[i];
		g_free(perm);
		s->nchange = s->depth - 1;
		s->change_at = g_new0(uint64_t, s->nchange + 1);
		for (unsigned i = 0; i < s->nchange; i++)
			s->change_at[i] = 1 + rng_next(&s->rng) % k;
		for (unsigned i = 1; i < s->nchange; i++) /* sort, few entries */
			for (unsigned j = i; j > 0 && s->change_at[j - 1] > s->change_at[j]; j--) {
				uint64_t t = s->change_at[j];
				s->change_at[j] = s->change_at[j - 1];
				s->change_at[j - 1] = t;
			}
	}
	return s;
}

void sched_destroy(struct sched *s)
{
	if (!s)
		return;
	g_free(s->runq);
	g_free(s->runq_pos);
	g_free(s->heap.e);
	g_free(s->key);
	g_free(s->change_at);
	g_free(s);
}

const char *sched_error(struct sim *sim)
{
	return sim->sched->failed ? sim->sched->err : NULL;
}

static struct sim_cpu *first_unfinished(struct sim *sim)
{
	for (unsigned i = 0; i < sim->ncpus; i++)
		if (sim->cpus[i].state != CPU_FINISHED)
			return &sim->cpus[i];
	return NULL;
}

void sched_diverged(struct sim *sim, const char *msg)
{
	struct sched *s = sim->sched;

	if (!s->failed) {
		s->failed = true;
		g_strlcpy(s->err, msg, sizeof(s->err));
	}
	sim_stop_run(sim);
}

/* The strategy's choice among the runnable CPUs; NULL if there are none. */
static struct sim_cpu *pick_next(struct sim *sim, struct sim_cpu *cur)
{
	struct sched *s = sim->sched;
	unsigned id;

	if (s->nrun == 0)
		return NULL;
	if (s->nrun == 1) {
		struct sim_cpu *only = &sim->cpus[s->runq[0]];

		/* timed: the one runnable CPU takes the token, so leaves the heap */
		if (s->strat == STRAT_TIMED && s->heap.n)
			take_top(sim);
		return only;
	}

	switch (s->strat) {
	case STRAT_RANDOM:
		id = s->runq[rng_below(&s->rng, s->nrun)];
		break;
	case STRAT_EXPLORE: {
		unsigned ids[SIM_MAX_CPUS], n = s->nrun;

		/* Ascending ids: the explorer's choice must not depend on queue order. */
		memcpy(ids, s->runq, n * sizeof(*ids));
		for (unsigned i = 1; i < n; i++)
			for (unsigned j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
				unsigned t = ids[j];
				ids[j] = ids[j - 1];
				ids[j - 1] = t;
			}
		id = ids[0];
		if (sim->explorer) {
			uint32_t k = sim->explorer->choose(sim->explorer->arg, DECIDE_CPU, n, ids);
			id = ids[k < n ? k : 0];
		}
		break;
	}
	case STRAT_TIMED: {
		bool cur_runs = cur && cur->state == CPU_RUNNABLE;

		/* The holder keeps the token while it is strictly the earliest. */
		if (cur_runs && holder_first(sim, cur)) {
			id = cur->id;
			break;
		}
		if (cur_runs)
			heap_push(sim, cur->id);
		id = take_top(sim);
		break;
	}
	case STRAT_PCT: {
		uint32_t best = 0;

		while (s->next_change < s->nchange && sim->step >= s->change_at[s->next_change]) {
			if (cur)
				cur->pct_prio = s->nchange - s->next_change;
			s->next_change++;
		}
		id = s->runq[0];
		for (unsigned i = 0; i < s->nrun; i++)
			if (sim->cpus[s->runq[i]].pct_prio > best) {
				best = sim->cpus[s->runq[i]].pct_prio;
				id = s->runq[i];
			}
		break;
	}
	case STRAT_REPLAY:
	default: {
		char err[300];
		int r = trace_next_cpu(s->replay, sim->step, &id, err, sizeof(err));

		if (r < 0) {
			sched_diverged(sim, err);
			return NULL;
		}
		/* Lenient replay: no usable choice, take the lowest runnable CPU. */
		if (r > 0 || (trace_lenient(s->replay) &&
			      (id >= sim->ncpus || sim->cpus[id].state != CPU_RUNNABLE))) {
			id = s->runq[0];
			for (unsigned i = 1; i < s->nrun; i++)
				if (s->runq[i] < id)
					id = s->runq[i];
		}
		if (id >= sim->ncpus || sim->cpus[id].state != CPU_RUNNABLE) {
			snprintf(err, sizeof(err),
				 "diverged at step %" PRIu64
				 ": trace picks cpu %u, which cannot run",
				 sim->step, id);
			sched_diverged(sim, err);
			return NULL;
		}
		break;
	}
	}
	trace_cpu(sim->trace, id);
	return &sim->cpus[id];
}

/* Hands the token from @from to @to and waits to get it back. */
static void switch_to(struct sim *sim, struct sim_cpu *from, struct sim_cpu *to)
{
	sim->cur = to;
	if (sim->fibers)
		fiber_switch(from->fiber, to->fiber);
	else
		thread_switch(from->thread, to->thread);
	if (sim->stopping && from->unwind)
		longjmp(*from->unwind, 1);
}

/*
 * At a yield point with the IRQ line up: take the exception, unless the
 * interrupt's latency (cpu->irq_defer yield points, decided when the line
 * rose) has not yet run out and @may_defer.
 */
static void take_irq(struct sim_cpu *cpu, bool may_defer)
{
	struct sim_hooks *h = &cpu->sim->hooks;

	/* Whether it is taken here depends on the line: a read (litmus/dpor.h). */
	if (h->take_irq)
		sim_note(cpu, SIM_OBJ_GIC(cpu->id), false);
	if (!cpu->irq_line || !h->take_irq)
		return;
	if (may_defer && cpu->irq_defer) {
		cpu->irq_defer--;
		return;
	}
	cpu->irq_defer = 0;
	cpu->irq_late = false;
	if (h->context_sync)
		h->context_sync(cpu); /* exception entry */
	h->take_irq(cpu);
	if (h->context_sync)
		h->context_sync(cpu); /* exception return */
}

/*
 * Written by a signal handler on whichever thread took the signal and read by
 * every CPU thread: a lock-free atomic, not volatile sig_atomic_t (a race).
 */
static atomic_int interrupt_requested;

void sim_interrupt(void)
{
	atomic_store_explicit(&interrupt_requested, 1, memory_order_relaxed);
}

void sim_yield(struct sim_cpu *cpu)
{
	struct sim *sim = cpu->sim;

	if (atomic_load_explicit(&interrupt_requested, memory_order_relaxed))
		sched_diverged(sim, "interrupted");
	/*
	 * Clocks are 64-bit picoseconds. With every cost at most 1 s (costs_parse)
	 * no stretch between two yield points adds 2^63 ps, so a clock that never
	 * passes 2^62 never wraps. Past 2^62 (53 days simulated) the run stops.
	 */
	if (cpu->clock >> 62)
		sched_diverged(sim, "simulated clock overflow: a CPU's clock passed 2^62 ps (53 "
				    "days); the costs are too large for this run");
	/* Once: under --keep-going a report per step would only cost. */
	if (!(sim->step & 0x3fff) && sim->progress)
		sim->progress(sim);
	if (++sim->step == (uint64_t)sim_opt_uint(&sim->opt, OPT_step_bound) + 1)
		sim_report(sim, cpu, FINDING_LIVELOCK, 0, 0, "run bound (--step-bound)",
			   "no end after %u yield points", sim_opt_uint(&sim->opt, OPT_step_bound));
	struct sim_cpu *next = pick_next(sim, cpu);
	if (next != cpu)
		switch_to(sim, cpu, next);
	take_irq(cpu, true);
}

void sim_yield_local(struct sim_cpu *cpu)
{
	if (cpu->sim->local_points)
		sim_yield(cpu);
	else
		take_irq(cpu, true);
}

static void deadlock(struct sim *sim, struct sim_cpu *cpu)
{
	char *buf = findings_describe_cpus(sim);

	/* A deadlock cannot be kept going past: the run ends here. */
	sim_opt_set_bool(&sim->opt, OPT_keep_going, false);
	sim->stopping_detail = buf; /* freed with the sim: the report may not return */
	sim_report(sim, cpu, FINDING_DEADLOCK, 0, 0, "no CPU can make progress", "%s", buf);
}

/* Adds @d to the slots of the cache lines [pa, pa + len) covers (all, past WAIT_SLOTS lines). */
static void line_waiters_add(struct sched *s, uint64_t pa, uint64_t len, int d)
{
	uint64_t first = pa >> 6, last = (pa + len - 1) >> 6;

	if (last - first >= WAIT_SLOTS)
		first = 0, last = WAIT_SLOTS - 1;
	for (uint64_t l = first; l <= last; l++)
		s->line_waiters[l & (WAIT_SLOTS - 1)] += (uint16_t)d;
}

static bool line_waited(const struct sched *s, uint64_t pa, unsigned size)
{
	uint64_t first = pa >> 6, last = (pa + size - 1) >> 6;

	for (uint64_t l = first; l <= last; l++)
		if (s->line_waiters[l & (WAIT_SLOTS - 1)])
			return true;
	return false;
}

void sim_wait(struct sim_cpu *cpu, uint64_t pa, uint64_t len, bool irq, const char *what)
{
	struct sim *sim = cpu->sim;
	struct sched *s = sim->sched;

	/* A waiting CPU's stores reach the others (the memory model's own hook). */
	if (sim->memory)
		sim->memory->flush(cpu, false);
	/* A wait ends an interrupt's latency: WFE/WFI wake on a pending interrupt. */
	if (cpu->irq_line && cpu->irq_late) {
		cpu->irq_defer = 0;
		take_irq(cpu, false);
		return;
	}
	if (++cpu->spin_iters > sim_opt_uint(&sim->opt, OPT_spin_bound))
		sim_report(sim, cpu, FINDING_LIVELOCK, 0, pa, "spin bound (--spin-bound)",
			   "cpu%u spun %u times waiting for %s", cpu->id,
			   sim_opt_uint(&sim->opt, OPT_spin_bound), what);
	for (uint64_t p = pa & ~(PMEM_PAGE_SIZE - 1); len && p < pa + len; p += PMEM_PAGE_SIZE)
		pmem_set_flags(sim->mem, p, PMEM_F_WAITED);
	cpu->wait_what = what;
	cpu->wait_pa = pa;
	cpu->wait_len = len;
	cpu->wait_irq = irq;
	cpu->wait_cond = s->cond_next;
	s->cond_next = false;
	if (len) {
		s->memwait[cpu->id / 64] |= 1ull << (cpu->id % 64);
		line_waiters_add(s, pa, len, 1);
	}
	cpu->state = CPU_WAITING;
	rq_del(s, cpu);
	if (sim->events)
		events_add(sim, (int)cpu->id, what, cpu->clock, 0, 'B');

	struct sim_cpu *next = pick_next(sim, cpu);
	if (!next && !sim->stopping)
		deadlock(sim, cpu);
	switch_to(sim, cpu, next);
	if (sim->events)
		events_add(sim, (int)cpu->id, what, cpu->clock, 0, 'E');
	take_irq(cpu, false);
}

void sim_wait_value(struct sim_cpu *cpu, uint64_t pa, unsigned size, uint64_t mask, uint64_t want,
		    bool until, const char *what)
{
	/* Set after sim_wait() clears it: nothing runs in between. */
	cpu->wait_mask = mask;
	cpu->wait_want = want;
	cpu->wait_until = until;
	cpu->sim->sched->cond_next = true;
	sim_wait(cpu, pa, size, true, what);
}

static void wake(struct sim *sim, struct sim_cpu *c, uint64_t at)
{
	struct sched *s = sim->sched;

	if (s->memwait[c->id / 64] & (1ull << (c->id % 64))) {
		s->memwait[c->id / 64] &= ~(1ull << (c->id % 64));
		line_waiters_add(s, c->wait_pa, c->wait_len, -1);
	}
	c->state = CPU_RUNNABLE;
	c->wait_what = NULL;
	if (c->clock < at)
		c->clock = at;
	rq_add(sim->sched, c);
}

void sched_store_wakeup(struct sim *sim, struct sim_cpu *by, uint64_t pa, unsigned size)
{
	struct sched *s = sim->sched;
	uint64_t at = by ? by->clock + sim->costs.ps[COST_wake] : 0;

	if (!line_waited(s, pa, size))
		return;
	/* In ascending CPU order, as the wake-up order is part of the schedule. */
	for (unsigned w = 0; w < (sim->ncpus + 63) / 64; w++)
		for (uint64_t bits = s->memwait[w]; bits; bits &= bits - 1) {
			struct sim_cpu *c = &sim->cpus[w * 64 + (unsigned)__builtin_ctzll(bits)];

			if (pa >= c->wait_pa + c->wait_len || c->wait_pa >= pa + size)
				continue;
			if (c->wait_cond) {
				uint64_t v = pmem_read(sim->mem, c->wait_pa, (unsigned)c->wait_len);

				if (((v & c->wait_mask) == c->wait_want) != c->wait_until)
					continue;
			}
			wake(sim, c, at);
		}
}

void sim_kick(struct sim_cpu *cpu)
{
	struct sim *sim = cpu->sim;

	if (cpu->state == CPU_WAITING)
		wake(sim, cpu, sim->cur ? sim->cur->clock : 0);
}

void sim_set_explorer(struct sim *sim, const struct sim_explorer *ex)
{
	sim->explorer = ex;
}

struct sim_cpu *sim_current(struct sim *sim)
{
	return sim->cur;
}

uint32_t sim_decide(struct sim *sim, enum sim_decision kind, uint32_t n)
{
	struct sched *s = sim->sched;
	uint32_t v;

	if (n <= 1)
		return 0;
	if (s->strat == STRAT_REPLAY) {
		char err[300];

		int r = trace_next_decision(s->replay, sim->step, kind, n, &v, err, sizeof(err));

		if (r < 0) {
			sched_diverged(sim, err);
			return 0; /* host context: the run is already marked failed */
		}
		if (r > 0)
			v = 0; /* lenient replay: the default */
	} else if (s->strat == STRAT_EXPLORE) {
		v = sim->explorer ? sim->explorer->choose(sim->explorer->arg, kind, n, NULL) : 0;
		if (v >= n)
			v = 0;
	} else {
		v = rng_below(&s->hw_rng, n);
	}
	trace_decision(sim->trace, kind, v);
	return v;
}

uint32_t sim_decide_biased(struct sim *sim, enum sim_decision kind, uint32_t n, uint32_t zero_in,
			   uint32_t of)
{
	struct sched *s = sim->sched;
	uint32_t v;

	if (n <= 1 || s->strat == STRAT_REPLAY || s->strat == STRAT_EXPLORE)
		return sim_decide(sim, kind, n);
	v = rng_below(&s->hw_rng, of) < zero_in ? 0 : 1 + rng_below(&s->hw_rng, n - 1);
	trace_decision(sim->trace, kind, v);
	return v;
}

/* ---- CPU threads and the run ------------------------------------------------------ */

/* @cpu's program is over: hand the token on, or back to the host. */
static void cpu_finished(struct sim *sim, struct sim_cpu *cpu)
{
	struct sched *s = sim->sched;
	struct sim_cpu *next = NULL;

	/* An interrupt still in its latency is taken before the CPU goes idle. */
	if (!sim->stopping && cpu->irq_line && cpu->irq_late) {
		cpu->irq_defer = 0;
		take_irq(cpu, false);
	}
	cpu->unwind = NULL;
	if (cpu->state == CPU_RUNNABLE)
		rq_del(s, cpu);
	cpu->state = CPU_FINISHED;
	if (!sim->stopping) {
		next = pick_next(sim, cpu);
		if (!next && !sim->stopping && first_unfinished(sim))
			deadlock(sim, cpu);
	}
	if (sim->stopping)
		next = first_unfinished(sim);
	sim->cur = next;
	if (sim->fibers)
		fiber_exit(next ? next->fiber : NULL);
	else if (next)
		thread_start(next->thread);
	else
		baton_pass(&s->host_go);
}

/* A CPU's life on its thread or fiber: its program, then the token handed on. */
static void cpu_body(struct sim_cpu *cpu)
{
	struct sim *sim = cpu->sim;
	jmp_buf jb;

	cpu->unwind = &jb;
	if (!setjmp(jb) && !sim->stopping) {
		sim->scn->cpu_main(cpu);
		if (sim->memory) { /* its last stores reach the others */
			sim->memory->flush(cpu, true);
			if (sim->memory->finished)
				sim->memory->finished(cpu);
		}
	}
	/* Unwound by a stopping run: what its frames held. */
	while (cpu->ncleanup) {
		struct sim_cleanup c = cpu->cleanup[--cpu->ncleanup];

		c.fn(c.arg);
	}
	cpu_finished(sim, cpu);
}

/* Gives @c a thread or a fresh fiber and puts it on the run queue. */
static void cpu_prepare(struct sim *sim, struct sim_cpu *c)
{
	if (sim->fibers) {
		c->fiber = fiber_get();
		fiber_reset(c->fiber, c, cpu_body);
	} else {
		c->thread = thread_get(c, cpu_body);
	}
	c->state = CPU_RUNNABLE;
	rq_add(sim->sched, c);
}

void sched_run(struct sim *sim)
{
	struct sched *s = sim->sched;

	if (sim->fibers && !sim_fibers_available())
		sim->fibers = false;
	for (unsigned i = 0; i < sim->ncpus; i++)
		cpu_prepare(sim, &sim->cpus[i]);
	struct sim_cpu *first = pick_next(sim, NULL);
	if (!first)
		first = first_unfinished(sim); /* a replay that failed at once: unwind */
	if (first) {
		sim->cur = first;
		if (sim->fibers) {
			fiber_run(sim, first->fiber);
		} else {
			thread_start(first->thread);
			baton_wait(&s->host_go);
		}
		sim->cur = NULL;
	}
	/* Every CPU finished: its thread or stack goes back for the next run. */
	for (unsigned i = 0; i < sim->ncpus; i++) {
		struct sim_cpu *c = &sim->cpus[i];

		if (c->fiber)
			fiber_put(c->fiber);
		if (c->thread)
			thread_put(c->thread);
		c->fiber = NULL;
		c->thread = NULL;
	}
}

size_t sched_replay_left(struct sim *sim)
{
	struct sched *s = sim->sched;

	return s->replay && !trace_lenient(s->replay) ? trace_remaining(s->replay) : 0;
}
