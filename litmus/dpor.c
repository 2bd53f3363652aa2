// SPDX-License-Identifier: GPL-2.0-only
/*
 * Exhaustive exploration with source-DPOR: see dpor.h for the contract and
 * docs/litmus.md for why it is sound for this engine.
 */
#include "dpor.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DPOR_MAX_CPUS 64

/* A decision point of the search: its alternatives and what is left to try. */
struct node {
	enum sim_decision kind;
	uint32_t n;
	uint32_t chosen;    /* a CPU id, or a hardware value */
	uint64_t runnable;  /* CPU nodes: who could have run */
	uint64_t backtrack; /* CPU nodes: who must be tried here */
	uint64_t done;	    /* CPU nodes: who was */
	/*
	 * Sleep sets (Godefroid 1996): CPUs whose next step here was explored
	 * from an earlier node and commutes with all that ran since; running
	 * them first again would only repeat a trace. With the first step of
	 * each CPU explored here (the union over every run through it: the
	 * footprint of a step can depend on its hardware decisions).
	 */
	uint64_t sleep_in;
	GPtrArray *sleep_fp; /* struct event * */
	GPtrArray *explored; /* struct event * */
};

struct access {
	uint64_t obj;
	bool write;
};

/* A step: what one CPU did between two scheduling points. */
struct event {
	unsigned cpu;
	int node;      /* the CPU node that chose it, -1 when it was the only one runnable */
	uint32_t lidx; /* 1-based position among its CPU's events */
	bool global;
	GArray *acc; /* struct access */
	uint32_t *vc;
};

struct dpor {
	GArray *stack;	   /* struct node: the path of the current run */
	unsigned replay;   /* nodes of the stack the current run must follow */
	unsigned pos;	   /* the next node the current run reaches */
	GPtrArray *events; /* struct event *, the current run's */
	unsigned ncpus;
	uint32_t count[DPOR_MAX_CPUS];
	bool diverged;
	char why[200];
	struct dpor_stats *st;
	GPtrArray *sleep; /* struct event *: the running sleep set */
	bool all_dependent;
	bool blocked; /* every runnable CPU slept: a trace already explored */
};

static void event_free(gpointer p)
{
	struct event *e = p;

	g_array_free(e->acc, TRUE);
	g_free(e->vc);
	g_free(e);
}

static struct event *fp_copy(const struct event *e)
{
	struct event *c = g_new0(struct event, 1);

	c->cpu = e->cpu;
	c->global = e->global;
	c->acc = g_array_copy(e->acc);
	return c;
}

static void node_clear(struct node *nd)
{
	if (nd->sleep_fp)
		g_ptr_array_free(nd->sleep_fp, TRUE);
	if (nd->explored)
		g_ptr_array_free(nd->explored, TRUE);
	nd->sleep_fp = nd->explored = NULL;
}

static void stack_truncate(struct dpor *d, unsigned len)
{
	for (unsigned i = len; i < d->stack->len; i++)
		node_clear(&g_array_index(d->stack, struct node, i));
	g_array_set_size(d->stack, len);
}

static bool dependent(const struct dpor *d, const struct event *a, const struct event *b);

/* Adds @e's accesses to @into's (same CPU). */
static void fp_union(struct event *into, const struct event *e)
{
	into->global |= e->global;
	for (guint i = 0; i < e->acc->len; i++) {
		const struct access *a = &g_array_index(e->acc, struct access, i);
		bool found = false;
		for (guint j = 0; j < into->acc->len && !found; j++) {
			struct access *b = &g_array_index(into->acc, struct access, j);
			if (b->obj == a->obj) {
				b->write |= a->write;
				found = true;
			}
		}
		if (!found)
			g_array_append_val(into->acc, *a);
	}
}

/* @e is over: what sleeps and conflicts with it wakes; its node learns its footprint. */
static void event_done(struct dpor *d, struct event *e)
{
	for (guint i = 0; i < d->sleep->len;) {
		struct event *q = d->sleep->pdata[i];
		if (q->cpu == e->cpu || dependent(d, q, e))
			g_ptr_array_remove_index(d->sleep, i);
		else
			i++;
	}
	if (e->node < 0 || d->diverged)
		return;
	struct node *nd = &g_array_index(d->stack, struct node, e->node);
	if (!nd->explored)
		nd->explored = g_ptr_array_new_with_free_func(event_free);
	for (guint i = 0; i < nd->explored->len; i++) {
		struct event *x = nd->explored->pdata[i];
		if (x->cpu == e->cpu) {
			fp_union(x, e);
			return;
		}
	}
	g_ptr_array_add(nd->explored, fp_copy(e));
}

static struct event *event_start(struct dpor *d, unsigned cpu, int node)
{
	struct event *e = g_new0(struct event, 1);

	if (d->events->len)
		event_done(d, d->events->pdata[d->events->len - 1]);

	e->cpu = cpu;
	e->node = node;
	e->lidx = ++d->count[cpu];
	e->acc = g_array_new(FALSE, FALSE, sizeof(struct access));
	g_ptr_array_add(d->events, e);
	return e;
}

static struct event *current(struct dpor *d)
{
	return d->events->len ? d->events->pdata[d->events->len - 1] : NULL;
}

static uint32_t dpor_choose(void *arg, enum sim_decision kind, uint32_t n, const unsigned *ids)
{
	struct dpor *d = arg;
	struct node *nd;
	unsigned at = d->pos++;

	if (at < d->replay) {
		nd = &g_array_index(d->stack, struct node, at);
		if (nd->kind != kind || nd->n != n) {
			if (!d->diverged)
				snprintf(
					d->why, sizeof(d->why),
					"the scenario is not deterministic: decision %u was %s/%u, "
					"now %s/%u",
					at, decision_name(nd->kind), nd->n, decision_name(kind), n);
			/* Go on with defaults to the end; the run is then refused. */
			d->diverged = true;
			d->replay = at;
			stack_truncate(d, at);
		}
	}
	if (at >= d->replay) {
		struct node fresh = {.kind = kind, .n = n};

		if (kind == DECIDE_CPU) {
			struct event *cur = current(d);
			bool any = false;

			if (cur)
				event_done(d, cur); /* the sleep set as this node sees it */
			fresh.sleep_fp = g_ptr_array_new_with_free_func(event_free);
			for (guint i = 0; i < d->sleep->len; i++) {
				struct event *q = d->sleep->pdata[i];
				fresh.sleep_in |= 1ull << q->cpu;
				g_ptr_array_add(fresh.sleep_fp, fp_copy(q));
			}
			fresh.chosen = ids[0];
			for (uint32_t i = 0; i < n; i++) {
				fresh.runnable |= 1ull << ids[i];
				if (fresh.sleep_in & (1ull << ids[i]))
					continue;
				/* Keep the running CPU: the default path has few switches. */
				if (!any || (cur && ids[i] == cur->cpu))
					fresh.chosen = ids[i];
				any = true;
			}
			if (!any)
				d->blocked = true;
			fresh.backtrack = 1ull << fresh.chosen;
		} else {
			d->st->hw_choices++;
		}
		g_array_append_val(d->stack, fresh);
		nd = &g_array_index(d->stack, struct node, at);
	}
	if (kind != DECIDE_CPU)
		return nd->chosen;
	event_start(d, nd->chosen, (int)at);
	/* Below this node sleep: what slept here, and the siblings explored before. */
	g_ptr_array_set_size(d->sleep, 0);
	for (guint i = 0; nd->sleep_fp && i < nd->sleep_fp->len; i++)
		g_ptr_array_add(d->sleep, fp_copy(nd->sleep_fp->pdata[i]));
	for (guint i = 0; nd->explored && i < nd->explored->len; i++) {
		struct event *x = nd->explored->pdata[i];
		if (x->cpu != nd->chosen && (nd->done & (1ull << x->cpu)))
			g_ptr_array_add(d->sleep, fp_copy(x));
	}
	for (uint32_t i = 0; i < n; i++)
		if (ids[i] == nd->chosen)
			return i;
	return 0;
}

static void dpor_access(void *arg, unsigned cpu, uint64_t obj, bool write)
{
	struct dpor *d = arg;
	struct event *e = current(d);

	if (!e || e->cpu != cpu)
		e = event_start(d, cpu, -1); /* it ran because nothing else could */
	if (obj == SIM_OBJ_GLOBAL) {
		e->global = true;
		return;
	}
	for (guint i = 0; i < e->acc->len; i++) {
		struct access *a = &g_array_index(e->acc, struct access, i);
		if (a->obj == obj) {
			a->write |= write;
			return;
		}
	}
	struct access a = {obj, write};
	g_array_append_val(e->acc, a);
}

/* Does TLB object @o (whole, SIM_OBJ_TLB(c)/_ALL) reach CPU @c's entries (SIM_OBJ_TLB_VA_ALL: any)? */
static bool whole_tlb_reaches(uint64_t o, unsigned c)
{
	return o == SIM_OBJ_TLB_ALL || c == SIM_OBJ_TLB_VA_ALL || o == SIM_OBJ_TLB(c);
}

static bool conflict(uint64_t x, uint64_t y)
{
	if (x == y)
		return true;
	if (SIM_OBJ_IS_TLB_VA(x) && SIM_OBJ_IS_TLB_VA(y)) {
		/* The same TLB (or every TLB) and overlapping aligned blocks: one holds the other. */
		unsigned cx = SIM_OBJ_TLB_VA_CPU(x), cy = SIM_OBJ_TLB_VA_CPU(y);
		unsigned sx = SIM_OBJ_TLB_VA_SHIFT(x), sy = SIM_OBJ_TLB_VA_SHIFT(y);
		unsigned s = (sx > sy ? sx : sy) - 12;

		if (cx != cy && cx != SIM_OBJ_TLB_VA_ALL && cy != SIM_OBJ_TLB_VA_ALL)
			return false;
		return s >= 36 || (SIM_OBJ_TLB_VA_PAGE(x) >> s) == (SIM_OBJ_TLB_VA_PAGE(y) >> s);
	}
	if (SIM_OBJ_IS_TLB_VA(x) && SIM_OBJ_IS_TLB(y))
		return whole_tlb_reaches(y, SIM_OBJ_TLB_VA_CPU(x));
	if (SIM_OBJ_IS_TLB_VA(y) && SIM_OBJ_IS_TLB(x))
		return whole_tlb_reaches(x, SIM_OBJ_TLB_VA_CPU(y));
	/* A broadcast reaches every TLB; CPU c's lookups touch only its own. */
	return (x == SIM_OBJ_TLB_ALL && SIM_OBJ_IS_TLB(y)) ||
	       (y == SIM_OBJ_TLB_ALL && SIM_OBJ_IS_TLB(x));
}

static bool dependent(const struct dpor *d, const struct event *a, const struct event *b)
{
	if (d->all_dependent)
		return a->cpu != b->cpu;
	bool a_any = a->global || a->acc->len, b_any = b->global || b->acc->len;

	if (a->cpu == b->cpu)
		return false;
	if ((a->global && b_any) || (b->global && a_any))
		return true;
	for (guint i = 0; i < a->acc->len; i++) {
		const struct access *x = &g_array_index(a->acc, struct access, i);
		for (guint j = 0; j < b->acc->len; j++) {
			const struct access *y = &g_array_index(b->acc, struct access, j);
			if ((x->write || y->write) && conflict(x->obj, y->obj))
				return true;
		}
	}
	return false;
}

static bool hb(const struct event *a, const struct event *b)
{
	return b->vc[a->cpu] >= a->lidx;
}

/* The CPUs that can start the reversal of race (j, k): source-DPOR's initials. */
static uint64_t initials(struct dpor *d, unsigned j, unsigned k)
{
	struct event *ej = d->events->pdata[j];
	uint64_t seen = 0, init = 0;
	GPtrArray *v = g_ptr_array_new();

	for (unsigned i = j + 1; i < k; i++) {
		struct event *e = d->events->pdata[i];
		if (!hb(ej, e))
			g_ptr_array_add(v, e);
	}
	g_ptr_array_add(v, d->events->pdata[k]);
	for (guint i = 0; i < v->len; i++) {
		struct event *e = v->pdata[i];
		bool first = true;

		if (seen & (1ull << e->cpu))
			continue;
		seen |= 1ull << e->cpu;
		for (guint p = 0; p < i && first; p++) {
			struct event *q = v->pdata[p];
			if (q->cpu != e->cpu && hb(q, e))
				first = false;
		}
		if (first)
			init |= 1ull << e->cpu;
	}
	g_ptr_array_free(v, TRUE);
	return init;
}

static void analyse(struct dpor *d)
{
	unsigned n = d->events->len, nc = d->ncpus;
	uint32_t *last = g_new0(uint32_t, nc); /* index + 1 of each CPU's latest event */
	uint32_t *prev = g_new0(uint32_t, n);  /* index + 1 of the same CPU's previous event */
	uint32_t *j_vc = g_new0(uint32_t, nc);

	/* Happens-before: program order and the order of dependent steps. */
	for (unsigned k = 0; k < n; k++) {
		struct event *ek = d->events->pdata[k];

		ek->vc = g_new0(uint32_t, nc);
		prev[k] = last[ek->cpu];
		if (prev[k])
			memcpy(ek->vc, ((struct event *)d->events->pdata[prev[k] - 1])->vc,
			       nc * sizeof(*ek->vc));
		for (unsigned j = 0; j < k; j++) {
			struct event *ej = d->events->pdata[j];
			if (ej->vc[ej->cpu] > ek->vc[ej->cpu] && dependent(d, ej, ek))
				for (unsigned c = 0; c < nc; c++)
					if (ej->vc[c] > ek->vc[c])
						ek->vc[c] = ej->vc[c];
		}
		ek->vc[ek->cpu] = ek->lidx;
		last[ek->cpu] = k + 1;
	}
	/* Races: dependent pairs not ordered through other steps. */
	for (unsigned k = 0; k < n; k++) {
		struct event *ek = d->events->pdata[k];

		if (prev[k])
			memcpy(j_vc, ((struct event *)d->events->pdata[prev[k] - 1])->vc,
			       nc * sizeof(*j_vc));
		else
			memset(j_vc, 0, nc * sizeof(*j_vc));
		for (unsigned j = k; j-- > 0;) {
			struct event *ej = d->events->pdata[j];

			if (!dependent(d, ej, ek))
				continue;
			if (j_vc[ej->cpu] < ej->lidx && ej->node >= 0) {
				/* A race: try the reversal at the choice before ej. */
				struct node *nd = &g_array_index(d->stack, struct node, ej->node);
				uint64_t ini = initials(d, j, k) & nd->runnable;

				d->st->races++;
				if (!ini)
					ini = nd->runnable & (1ull << ek->cpu) ? 1ull << ek->cpu
									       : nd->runnable;
				if (!(nd->backtrack & ini) && !(nd->sleep_in & ini))
					nd->backtrack |= ini & (1ull << ek->cpu) ? 1ull << ek->cpu
										 : ini & -ini;
			}
			for (unsigned c = 0; c < nc; c++)
				if (ej->vc[c] > j_vc[c])
					j_vc[c] = ej->vc[c];
		}
	}
	g_free(last);
	g_free(prev);
	g_free(j_vc);
}

/* Moves the search to its next path; false when every path was taken. */
static bool backtrack(struct dpor *d)
{
	while (d->stack->len) {
		struct node *nd = &g_array_index(d->stack, struct node, d->stack->len - 1);

		if (nd->kind != DECIDE_CPU) {
			if (nd->chosen + 1 < nd->n) {
				nd->chosen++;
				return true;
			}
		} else {
			nd->done |= 1ull << nd->chosen;
			uint64_t cand = nd->backtrack & nd->runnable & ~nd->done & ~nd->sleep_in;
			if (cand) {
				nd->chosen = (uint32_t)__builtin_ctzll(cand);
				return true;
			}
		}
		stack_truncate(d, d->stack->len - 1);
	}
	return false;
}

int dpor_explore(const struct scenario *scn, const struct sim_options *opt0,
		 const struct sim_costs *costs, uint64_t max_runs, unsigned flags,
		 dpor_visit_fn visit, void *arg, struct dpor_stats *st, char *err, size_t errlen)
{
	struct sim_options opt = *opt0;
	struct dpor d = {.st = st, .all_dependent = flags & DPOR_ALL_DEPENDENT};
	struct sim_explorer ex = {dpor_choose, dpor_access, &d};
	int ret = 0;

	memset(st, 0, sizeof(*st));
	g_strlcpy(opt.sched, "explore", sizeof(opt.sched));
	d.stack = g_array_new(FALSE, TRUE, sizeof(struct node));
	d.events = g_ptr_array_new_with_free_func(event_free);
	d.sleep = g_ptr_array_new_with_free_func(event_free);
	for (;;) {
		struct sim *sim = sim_create(scn, &opt, costs, NULL, err, errlen);

		if (!sim) {
			ret = -1;
			break;
		}
		if (sim->ncpus > DPOR_MAX_CPUS) {
			snprintf(err, errlen, "exhaustive exploration takes at most %d CPUs",
				 DPOR_MAX_CPUS);
			sim_destroy(sim);
			ret = -1;
			break;
		}
		d.ncpus = sim->ncpus;
		d.replay = d.stack->len;
		d.pos = 0;
		d.diverged = false;
		d.blocked = false;
		memset(d.count, 0, sizeof(d.count));
		g_ptr_array_set_size(d.events, 0);
		g_ptr_array_set_size(d.sleep, 0);
		sim->fibers = sim_fibers_available();
		sim_set_explorer(sim, &ex);
		if (sim_run(sim, err, errlen)) {
			sim_destroy(sim);
			ret = -1;
			break;
		}
		if (d.diverged) {
			g_strlcpy(err, d.why, errlen);
			sim_destroy(sim);
			ret = -1;
			break;
		}
		if (d.events->len)
			event_done(&d, d.events->pdata[d.events->len - 1]);
		bool more = true;
		if (d.blocked) {
			st->blocked++; /* a trace explored before: neither counted nor analysed */
			sim_destroy(sim);
		} else {
			st->runs++;
			if (d.events->len > st->max_events)
				st->max_events = d.events->len;
			more = visit ? visit(arg, sim) : true;
			sim_destroy(sim);
			analyse(&d);
		}
		if (getenv("BBMSIM_DPOR_DEBUG")) {
			for (guint i = 0; i < d.stack->len; i++) {
				struct node *nd = &g_array_index(d.stack, struct node, i);
				if (nd->kind == DECIDE_CPU)
					fprintf(stderr, "%u[%llx]", nd->chosen,
						(unsigned long long)nd->backtrack);
				else
					fprintf(stderr, " %s=%u/%u ", decision_name(nd->kind),
						nd->chosen, nd->n);
			}
			fprintf(stderr, "\n");
		}
		if (!backtrack(&d)) {
			st->complete = true;
			break;
		}
		if (!more || (max_runs && st->runs >= max_runs))
			break;
	}
	g_ptr_array_free(d.events, TRUE);
	g_ptr_array_free(d.sleep, TRUE);
	stack_truncate(&d, 0);
	g_array_free(d.stack, TRUE);
	return ret;
}
