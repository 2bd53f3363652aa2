/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * engine: what the engine's own files share and nobody else may use.
 */
#ifndef BBMSIM_ENGINE_H
#define BBMSIM_ENGINE_H

#include "sim.h"

struct sched;

/*
 * Ends the run now: marks it stopping and, when called by a CPU in the
 * middle of its program, unwinds that CPU to the end of its program
 * (does not return); from the host it returns. Every other CPU unwinds at
 * its next hand-off, where the scheduler sees the mark.
 */
static inline void sim_stop_run(struct sim *sim)
{
	struct sim_cpu *cur = sim->cur;

	sim->stopping = true;
	if (cur && cur->unwind)
		longjmp(*cur->unwind, 1);
}

struct sched *sched_create(struct sim *sim, struct trace *replay, char *err, size_t errlen);
void sched_destroy(struct sched *s);
/* Runs every CPU's program to the end (host side). */
void sched_run(struct sim *sim);
/* A store hit a page some CPU waits on: wake those whose range it touches. */
void sched_store_wakeup(struct sim *sim, struct sim_cpu *by, uint64_t pa, unsigned size);
/* The replay diverged (or was refused): the run stops, sim_run() fails with @msg. */
void sched_diverged(struct sim *sim, const char *msg);
const char *sched_error(struct sim *sim);
/* Decisions a replay left unused. */
size_t sched_replay_left(struct sim *sim);
/* Every CPU's state and what it waits on, "; "-separated (g_free() it). */
char *findings_describe_cpus(struct sim *sim);

/* Thread batons (baton.c): CPUs as host threads from a process-wide free list. */
struct sim_thread;
void baton_wait(_Atomic uint32_t *w);
void baton_pass(_Atomic uint32_t *w);
/* A parked thread that will run @body(@cpu) when started (and again, next run). */
struct sim_thread *thread_get(struct sim_cpu *cpu, void (*body)(struct sim_cpu *cpu));
/* Back to the free list; its CPU has finished. */
void thread_put(struct sim_thread *t);
void thread_start(struct sim_thread *t);
/* Passes the token to @to and waits until @from has it again. */
void thread_switch(struct sim_thread *from, struct sim_thread *to);

/* Fibers (fiber.c): CPUs as stacks with a guard region, switched on one thread. */
struct sim_fiber;
struct sim_fiber *fiber_get(void);
void fiber_put(struct sim_fiber *f);
/* The next switch to @f enters @body(@cpu) on a fresh frame; @body never returns. */
void fiber_reset(struct sim_fiber *f, struct sim_cpu *cpu, void (*body)(struct sim_cpu *cpu));
void fiber_switch(struct sim_fiber *from, struct sim_fiber *to);
/* Leaves a finished CPU's fiber for good, for @to or (NULL) the host. */
void fiber_exit(struct sim_fiber *to) __attribute__((noreturn));
/* From the host: runs @sim's CPUs from @first until one exits to the host. */
void fiber_run(struct sim *sim, struct sim_fiber *first);

/* Cache-line ownership (cpu.c): when each line is free, and who has it. */
struct sim_lines;
void lines_free(struct sim_lines *l);

/* Perfetto event log. */
struct sim_events;
void events_free(struct sim_events *ev);
void events_add(struct sim *sim, int cpu, const char *name, uint64_t ts, uint64_t dur, char ph);

#endif
