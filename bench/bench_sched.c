// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_sched: what a yield costs.
 *
 *  - hand-off: two simulated CPUs ping-pong through a flag in simulated
 *    memory (store, wait, wake), so every round passes the token twice;
 *    baseline: a raw futex baton between two plain threads, same protocol,
 *    measured in the same run on the same core.
 *  - the same hand-off with the CPUs as fibers (what explore and compare
 *    use); baseline: swapcontext() ping-pong between two ucontexts, the
 *    textbook user-level switch, measured in the same run.
 *  - same-CPU yield: one CPU yielding with nobody to switch to.
 *
 * Prints value, baseline and ratio per figure; --json for machines.
 */
#define _GNU_SOURCE
#include "sim/cpu.h"
#include "sim/scenario.h"

#include <glib.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define ROUNDS	    20000
#define SAME_YIELDS 5000000

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* ---- baseline: a raw futex baton between two plain threads ------------------------ */

static _Atomic uint32_t baton[2];

static void b_wait(_Atomic uint32_t *w)
{
	while (!atomic_exchange_explicit(w, 0, memory_order_acquire))
		syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static void b_pass(_Atomic uint32_t *w)
{
	atomic_store_explicit(w, 1, memory_order_release);
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *b_peer(void *arg)
{
	for (int i = 0; i < ROUNDS; i++) {
		b_wait(&baton[1]);
		b_pass(&baton[0]);
	}
	return NULL;
}

static double baseline_handoff_ns(void)
{
	pthread_t t;
	double t0 = now_ns();

	pthread_create(&t, NULL, b_peer, NULL);
	for (int i = 0; i < ROUNDS; i++) {
		b_pass(&baton[1]);
		b_wait(&baton[0]);
	}
	pthread_join(t, NULL);
	return (now_ns() - t0) / (2.0 * ROUNDS);
}

/* ---- baseline for fibers: swapcontext() ping-pong ------------------------------------ */

static ucontext_t uc_main, uc_peer;
static char uc_stack[64 << 10];

static void uc_peer_main(void)
{
	for (;;)
		swapcontext(&uc_peer, &uc_main);
}

static double baseline_swapcontext_ns(void)
{
	getcontext(&uc_peer);
	uc_peer.uc_stack.ss_sp = uc_stack;
	uc_peer.uc_stack.ss_size = sizeof(uc_stack);
	uc_peer.uc_link = NULL;
	makecontext(&uc_peer, uc_peer_main, 0);
	double t0 = now_ns();
	for (int i = 0; i < ROUNDS; i++)
		swapcontext(&uc_main, &uc_peer);
	return (now_ns() - t0) / (2.0 * ROUNDS);
}

/* ---- the engine: ping-pong between two simulated CPUs ----------------------------- */

static uint64_t flag;

static int pp_setup(struct sim *sim, char *err, size_t errlen)
{
	flag = sim_kdata_alloc(sim, 8, 64);
	return 0;
}

static void pp_main(struct sim_cpu *cpu)
{
	for (uint64_t i = 0; i < ROUNDS; i++) {
		if (cpu->id == 0) {
			cpu_store64(cpu, flag, 2 * i + 1);
			cpu_spin_until(cpu, flag, 8, ~0ull, 2 * i + 2, "pong");
		} else {
			cpu_spin_until(cpu, flag, 8, ~0ull, 2 * i + 1, "ping");
			cpu_store64(cpu, flag, 2 * i + 2);
		}
	}
}

static const struct scenario bench_pingpong = {
	.name = "bench-pingpong",
	.summary = "bench: two CPUs pass a flag back and forth",
	.default_cpus = 2,
	.expect = -1,
	.setup = pp_setup,
	.cpu_main = pp_main,
};
SCENARIO_REGISTER(bench_pingpong)

static void same_main(struct sim_cpu *cpu)
{
	for (int i = 0; i < SAME_YIELDS; i++)
		sim_yield(cpu);
}

static const struct scenario bench_same = {
	.name = "bench-same-cpu",
	.summary = "bench: one CPU yields with nobody to switch to",
	.default_cpus = 1,
	.expect = -1,
	.cpu_main = same_main,
};
SCENARIO_REGISTER(bench_same)

static double run_ns(const char *name, bool fibers, uint64_t *steps)
{
	struct sim_options o;
	struct sim_costs c;
	char err[300];

	sim_options_default(&o);
	sim_opt_set_uint(&o, OPT_step_bound, 4000000000u);
	strcpy(o.sched, "timed");
	costs_default(&c);
	struct sim *sim = sim_create(scenario_find(name), &o, &c, NULL, err, sizeof(err));
	sim->keep_trace = false;
	sim->fibers = fibers;
	double t0 = now_ns();
	if (sim_run(sim, err, sizeof(err))) {
		fprintf(stderr, "bench_sched: %s\n", err);
		return 0;
	}
	double dt = now_ns() - t0;
	*steps = sim->step;
	sim_destroy(sim);
	return dt;
}

int main(int argc, char **argv)
{
	bool json = argc > 1 && !strcmp(argv[1], "--json");
	cpu_set_t one;
	uint64_t steps;

	/* Baseline and engine alike on one core, as the design assumes. */
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	sched_setaffinity(0, sizeof(one), &one);

	double base = baseline_handoff_ns();
	double pp = run_ns("bench-pingpong", false, &steps) / (2.0 * ROUNDS);
	double fbase = baseline_swapcontext_ns();
	double fpp = sim_fibers_available()
			     ? run_ns("bench-pingpong", true, &steps) / (2.0 * ROUNDS)
			     : 0;
	double same = run_ns("bench-same-cpu", false, &steps) / SAME_YIELDS;

	if (json) {
		printf("{\"handoff_ns\":%.1f,\"baseline_futex_ns\":%.1f,\"ratio\":%.3f,"
		       "\"fiber_handoff_ns\":%.1f,\"baseline_swapcontext_ns\":%.1f,"
		       "\"same_cpu_yield_ns\":%.2f}\n",
		       pp, base, pp / base, fpp, fbase, same);
	} else {
		printf("hand-off (token to another CPU, incl. wait/wake): value %.1f ns, "
		       "baseline (raw futex baton) %.1f ns, ratio %.3f\n",
		       pp, base, pp / base);
		if (fpp > 0)
			printf("fiber hand-off (the same, CPUs as fibers): value %.1f ns, "
			       "baseline (swapcontext ping-pong) %.1f ns, ratio %.3f\n",
			       fpp, fbase, fpp / fbase);
		printf("same-CPU yield: value %.2f ns (target <= 50 ns)\n", same);
	}
	return 0;
}
