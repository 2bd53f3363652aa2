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
/* Every CPU's state and what it waits on, "; "-separated (g_free() it). */
char *sched_describe(struct sim *sim);

/* Cache-line ownership (cpu.c): when each line is free, and who has it. */
struct sim_lines;
void lines_free(struct sim_lines *l);

/* Perfetto event log. */
struct sim_events;
void events_free(struct sim_events *ev);
void events_add(struct sim *sim, int cpu, const char *name, uint64_t ts, uint64_t dur, char ph);

#endif
