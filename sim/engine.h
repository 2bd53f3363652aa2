/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * engine: what the engine's own files share and nobody else may use.
 */
#ifndef BBMSIM_ENGINE_H
#define BBMSIM_ENGINE_H

#include "sim.h"

struct sched;

struct sched *sched_create(struct sim *sim, struct trace *replay, char *err, size_t errlen);
void sched_destroy(struct sched *s);
/* Runs every CPU's program to the end (host side). */
void sched_run(struct sim *sim);
/* A store hit a page some CPU waits on: wake those whose range it touches. */
void sched_store_wakeup(struct sim *sim, struct sim_cpu *by, uint64_t pa, unsigned size);
/* Ends the run now; unwinds the calling CPU if it is mid-program. */
void sched_stop(struct sim *sim);
/* The replay diverged (or was refused): the run stops, sim_run() fails with @msg. */
void sched_diverged(struct sim *sim, const char *msg);
const char *sched_error(struct sim *sim);
/* Decisions a replay left unused. */
size_t sched_replay_left(struct sim *sim);
/* A line per CPU: state, clock, what it waits on. */
void sched_describe(struct sim *sim, char *buf, size_t len);

/* A CPU's life on its thread or fiber: its program, then the token handed on. */
void sched_cpu_body(struct sim_cpu *cpu);

/* Thread batons (baton.c): CPUs as host threads from a process-wide free list. */
struct sim_thread;
void baton_wait(_Atomic uint32_t *w);
void baton_pass(_Atomic uint32_t *w);
/* A parked thread that will run sched_cpu_body(@cpu) when started. */
struct sim_thread *thread_get(struct sim_cpu *cpu);
/* Back to the free list; its CPU has finished. */
void thread_put(struct sim_thread *t);
void thread_start(struct sim_thread *t);
/* Passes the token to @to and waits until @from has it again. */
void thread_switch(struct sim_thread *from, struct sim_thread *to);

/* Fibers (fiber.c): CPUs as stacks with a guard region, switched on one thread. */
struct sim_fiber;
struct sim_fiber *fiber_get(void);
void fiber_put(struct sim_fiber *f);
/* The next switch to @f enters sched_cpu_body(@cpu) on a fresh frame. */
void fiber_reset(struct sim_fiber *f, struct sim_cpu *cpu);
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
