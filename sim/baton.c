// SPDX-License-Identifier: GPL-2.0-only
/*
 * Thread batons: the simulated CPUs as host threads, one holding the run
 * token at a time. A hand-off is a futex baton: atomic_exchange +
 * FUTEX_WAIT to wait, a release store + FUTEX_WAKE to pass; the
 * release/acquire pair orders everything one holder did before the next
 * holder starts, which is what lets TSan check the claim.
 *
 * Threads are created once and kept in a free list that every run, on any
 * host thread, takes from and gives back to.
 */
#include "engine.h"

#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

struct sim_thread {
	pthread_t tid;
	_Atomic uint32_t go;
	struct sim_cpu *cpu; /* the CPU it plays in the current run */
	void (*body)(struct sim_cpu *cpu);
	struct sim_thread *next; /* in the free list */
};

static struct sim_thread *free_threads;
static pthread_mutex_t free_lock = PTHREAD_MUTEX_INITIALIZER;

void baton_wait(_Atomic uint32_t *w)
{
	while (!atomic_exchange_explicit(w, 0, memory_order_acquire))
		syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

void baton_pass(_Atomic uint32_t *w)
{
	atomic_store_explicit(w, 1, memory_order_release);
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *thread_main(void *arg)
{
	struct sim_thread *t = arg;

	for (;;) {
		baton_wait(&t->go);
		/* Returns once the CPU has handed the token on. */
		t->body(t->cpu);
	}
	return NULL;
}

struct sim_thread *thread_get(struct sim_cpu *cpu, void (*body)(struct sim_cpu *cpu))
{
	struct sim_thread *t;
	pthread_attr_t attr;

	pthread_mutex_lock(&free_lock);
	t = free_threads;
	if (t)
		free_threads = t->next;
	pthread_mutex_unlock(&free_lock);
	if (t) {
		t->cpu = cpu;
		t->body = body;
		return t;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	t->cpu = cpu;
	t->body = body;
	pthread_attr_init(&attr);
	/* Kernel code runs on these stacks, interrupt handlers nested on top. */
	pthread_attr_setstacksize(&attr, 1 << 20);
	if (pthread_create(&t->tid, &attr, thread_main, t))
		abort();
	pthread_attr_destroy(&attr);
	return t;
}

void thread_put(struct sim_thread *t)
{
	t->cpu = NULL;
	pthread_mutex_lock(&free_lock);
	t->next = free_threads;
	free_threads = t;
	pthread_mutex_unlock(&free_lock);
}

void thread_start(struct sim_thread *t)
{
	baton_pass(&t->go);
}

void thread_switch(struct sim_thread *from, struct sim_thread *to)
{
	baton_pass(&to->go);
	baton_wait(&from->go);
}
