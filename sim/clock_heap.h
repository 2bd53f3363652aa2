/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * clock_heap: the timed strategy's run queue, a binary min-heap of
 * (clock, key, id). The key, drawn from the seed whenever a CPU enters,
 * orders CPUs whose clocks are equal at random; the id makes the order
 * total. Engine-private, header-only so the hot comparisons inline into
 * the scheduler.
 *
 * An entry carries the CPU's clock as it was pushed: a CPU's clock only
 * moves while it holds the token, and the holder is never in the heap, so
 * the copy stays exact and the comparisons stay in one small array.
 */
#ifndef BBMSIM_CLOCK_HEAP_H
#define BBMSIM_CLOCK_HEAP_H

#include <stdbool.h>
#include <stdint.h>

struct clock_ent {
	uint64_t clock;
	uint64_t tie; /* key << 32 | id */
};

struct clock_heap {
	struct clock_ent *e; /* room for every CPU */
	unsigned n;
};

/* (clock, key, id) in order, as one 128-bit comparison: no branches to mispredict. */
static inline bool clock_ent_less(const struct clock_ent *a, const struct clock_ent *b)
{
	unsigned __int128 x = (unsigned __int128)a->clock << 64 | a->tie;
	unsigned __int128 y = (unsigned __int128)b->clock << 64 | b->tie;

	return x < y;
}

static inline struct clock_ent clock_ent_make(uint64_t clock, uint32_t key, uint32_t id)
{
	return (struct clock_ent){clock, (uint64_t)key << 32 | id};
}

static inline void clock_heap_push(struct clock_heap *h, struct clock_ent e)
{
	unsigned i = h->n++;

	while (i && clock_ent_less(&e, &h->e[(i - 1) / 2])) {
		h->e[i] = h->e[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->e[i] = e;
}

/* Removes the earliest entry; its id, and its key in *@key. */
static inline uint32_t clock_heap_pop(struct clock_heap *h, uint32_t *key)
{
	uint32_t top = (uint32_t)h->e[0].tie;
	unsigned i = 0, n = --h->n;
	struct clock_ent last = h->e[n];

	*key = (uint32_t)(h->e[0].tie >> 32);
	for (;;) {
		unsigned c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && clock_ent_less(&h->e[c + 1], &h->e[c]))
			c++;
		if (!clock_ent_less(&h->e[c], &last))
			break;
		h->e[i] = h->e[c];
		i = c;
	}
	if (n)
		h->e[i] = last;
	return top;
}

/* Would @e come before every entry? */
static inline bool clock_heap_first(const struct clock_heap *h, const struct clock_ent *e)
{
	return !h->n || clock_ent_less(e, &h->e[0]);
}

#endif
