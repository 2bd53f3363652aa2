// SPDX-License-Identifier: GPL-2.0-only
/*
 * Happens-before for the checker: a vector clock per CPU, the clock of the
 * last store per cache line, and the clocks SGIs carry.
 *
 * aarch64.cat's BBM relation needs the break, the TLBI and the new entry
 * linked by ob (ordered-before), not by one interleaving's timing. Program
 * order through a DSB links a CPU's own steps; across CPUs ob grows through
 * obs: a load that reads another CPU's store (rf), a store coherence-after
 * another's (ca), which is how locks, flags and atomics hand knowledge on.
 * Treating every load as an acquire is kinder than the memory model (a
 * plain load orders nothing after it without a barrier or dependency); the
 * data-memory model is its own issue. What the checker asks is narrow: was
 * the make ordered after the TLBI's completion, so it errs only where a
 * kernel would rely on a load with no barrier after it.
 *
 * Cost: a snapshot of a CPU's clock is shared by all its stores until its
 * clock changes (a DSB the checker stamps, or a join that taught it
 * something), so the snapshot of CPU j with vc[j][j] == k is one value:
 * a CPU that knows vc[i][j] >= k knows all of it, and a load takes the
 * one-compare fast path. Lines are kept only while the checker holds a
 * record (hb_forget_lines()), so memory is bounded by the lines stored
 * during a change.
 */
#include "chk_internal.h"

#include <string.h>

struct hb_line {
	uint64_t line; /* pa >> 6, + 1 (0: empty) */
	uint32_t cpu, stamp;
	const uint32_t *snap;
};

struct hb_arena {
	struct hb_arena *next;
	size_t used, cap;
	uint32_t v[];
};

struct chk_hb {
	unsigned n;
	uint32_t *vc;	       /* n x n */
	const uint32_t **snap; /* per CPU: its clock as stored, while unchanged */
	uint32_t *sgi;	       /* n x n: clocks of the SGIs sent to each CPU, joined */
	bool *sgi_pending;
	struct hb_line *tab;
	uint32_t mask, used;
	struct hb_arena *arena;
};

#define HB_ARENA_WORDS (16u << 10)

struct chk_hb *hb_create(unsigned ncpus)
{
	struct chk_hb *h = g_new0(struct chk_hb, 1);

	h->n = ncpus;
	h->vc = g_new0(uint32_t, (size_t)ncpus * ncpus);
	h->snap = g_new0(const uint32_t *, ncpus);
	h->sgi = g_new0(uint32_t, (size_t)ncpus * ncpus);
	h->sgi_pending = g_new0(bool, ncpus);
	h->mask = 1023;
	h->tab = g_new0(struct hb_line, h->mask + 1);
	return h;
}

static void arena_free(struct hb_arena *a)
{
	while (a) {
		struct hb_arena *next = a->next;

		g_free(a);
		a = next;
	}
}

void hb_destroy(struct chk_hb *h)
{
	if (!h)
		return;
	arena_free(h->arena);
	g_free(h->vc);
	g_free(h->snap);
	g_free(h->sgi);
	g_free(h->sgi_pending);
	g_free(h->tab);
	g_free(h);
}

static uint32_t *row(const struct chk_hb *h, unsigned cpu)
{
	return &h->vc[(size_t)cpu * h->n];
}

uint32_t hb_tick(struct chk_hb *h, unsigned cpu)
{
	h->snap[cpu] = NULL;
	return ++row(h, cpu)[cpu];
}

bool hb_after(const struct chk_hb *h, unsigned cpu, unsigned of, uint32_t stamp)
{
	return row(h, cpu)[of] >= stamp;
}

/* vc[cpu] = max(vc[cpu], @v); a CPU that learnt something is at a new event. */
static void join(struct chk_hb *h, unsigned cpu, const uint32_t *v)
{
	uint32_t *me = row(h, cpu);
	bool changed = false;

	for (unsigned j = 0; j < h->n; j++)
		if (v[j] > me[j]) {
			me[j] = v[j];
			changed = true;
		}
	if (changed)
		hb_tick(h, cpu);
}

static const uint32_t *snapshot(struct chk_hb *h, unsigned cpu)
{
	struct hb_arena *a = h->arena;
	uint32_t *s;

	if (h->snap[cpu])
		return h->snap[cpu];
	if (!a || a->used + h->n > a->cap) {
		size_t cap = h->n > HB_ARENA_WORDS ? h->n : HB_ARENA_WORDS;

		a = g_malloc(sizeof(*a) + cap * sizeof(uint32_t));
		a->next = h->arena;
		a->used = 0;
		a->cap = cap;
		h->arena = a;
	}
	s = &a->v[a->used];
	a->used += h->n;
	memcpy(s, row(h, cpu), h->n * sizeof(uint32_t));
	h->snap[cpu] = s;
	return s;
}

static struct hb_line *line_slot(struct chk_hb *h, uint64_t key)
{
	uint32_t i = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 40) & h->mask;

	while (h->tab[i].line && h->tab[i].line != key)
		i = (i + 1) & h->mask;
	return &h->tab[i];
}

static void lines_grow(struct chk_hb *h)
{
	struct hb_line *old = h->tab;
	uint32_t n = h->mask + 1;

	h->mask = n * 2 - 1;
	h->tab = g_new0(struct hb_line, n * 2);
	for (uint32_t i = 0; i < n; i++)
		if (old[i].line)
			*line_slot(h, old[i].line) = old[i];
	g_free(old);
}

void hb_access(struct chk_hb *h, unsigned cpu, uint64_t pa, bool write)
{
	uint64_t key = (pa >> 6) + 1;
	struct hb_line *l = line_slot(h, key);

	if (l->line && !hb_after(h, cpu, l->cpu, l->stamp))
		join(h, cpu, l->snap);
	if (!write)
		return;
	if (!l->line) {
		if (h->used * 2 >= h->mask) {
			lines_grow(h);
			l = line_slot(h, key);
		}
		h->used++;
		l->line = key;
	}
	l->cpu = cpu;
	l->stamp = row(h, cpu)[cpu];
	l->snap = snapshot(h, cpu);
}

void hb_forget_lines(struct chk_hb *h)
{
	if (!h->used)
		return;
	if (h->mask > 4095) {
		/* A big change grew it: start small again rather than clear it all each time. */
		g_free(h->tab);
		h->mask = 1023;
		h->tab = g_new0(struct hb_line, h->mask + 1);
	} else {
		memset(h->tab, 0, (h->mask + 1) * sizeof(h->tab[0]));
	}
	h->used = 0;
	arena_free(h->arena);
	h->arena = NULL;
	for (unsigned i = 0; i < h->n; i++)
		h->snap[i] = NULL;
}

unsigned hb_lines(const struct chk_hb *h)
{
	return h->used;
}

void hb_sgi_send(struct chk_hb *h, unsigned from, unsigned to)
{
	uint32_t *in = &h->sgi[(size_t)to * h->n];
	const uint32_t *me = row(h, from);

	for (unsigned j = 0; j < h->n; j++)
		if (me[j] > in[j])
			in[j] = me[j];
	h->sgi_pending[to] = true;
}

void hb_sgi_take(struct chk_hb *h, unsigned cpu)
{
	uint32_t *in = &h->sgi[(size_t)cpu * h->n];

	if (!h->sgi_pending[cpu])
		return;
	join(h, cpu, in);
	memset(in, 0, h->n * sizeof(uint32_t));
	h->sgi_pending[cpu] = false;
}
