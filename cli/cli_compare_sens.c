// SPDX-License-Identifier: GPL-2.0-only
/*
 * compare --sensitivity: every cost at each end of its registered range
 * (the others at their defaults), one timed run per column each, in
 * parallel; what each does to every cell, and which conclusions of the
 * table hold at every end: the order of the strategies per operation, and
 * each strategy's change against the baseline.
 */
#include "compare.h"

#include <math.h>
#include <string.h>

struct sens_ctx {
	struct cmp_table *t;
	struct cmp_sens *s;
	unsigned done, nr_tasks;
};

static void sens_costs(const struct cmp_table *t, const struct cmp_sens_row *row,
		       struct sim_costs *c)
{
	*c = t->costs;
	c->ps[row->cost] = row->ps;
	costs_update_digest(c);
}

static void sens_run(unsigned task, void *result, void *arg)
{
	struct sens_ctx *x = arg;
	const struct cmp_sens_row *row = &x->s->rows[task / x->t->nr];
	struct sim_costs c;

	sens_costs(x->t, row, &c);
	cmp_run_timed(x->t, &x->t->col[task % x->t->nr], &c, true, result);
}

static void sens_done(unsigned task, void *result, void *arg)
{
	struct sens_ctx *x = arg;

	x->done++;
	cmp_progress("sensitivity: %u/%u runs done; %s at %s", x->done, x->nr_tasks,
		     costs_name(x->s->rows[task / x->t->nr].cost),
		     x->s->rows[task / x->t->nr].high ? "hi" : "lo");
}

/* Whether the columns sort the same by @a as by @b for operation @op. */
static bool same_order(const struct cmp_table *t, const uint64_t (*a)[CMP_MAX_OPS],
		       const uint64_t (*b)[CMP_MAX_OPS], const int *voided, unsigned op)
{
	for (unsigned i = 0; i < t->nr; i++)
		for (unsigned j = 0; j < t->nr; j++)
			if (!voided[i] && !voided[j] &&
			    (a[i][op] < a[j][op]) != (b[i][op] < b[j][op]))
				return false;
	return true;
}

void cmp_sensitivity(struct cmp_table *t, unsigned jobs, struct cmp_sens *s)
{
	unsigned base = CMP_MAX_COLUMNS;
	uint64_t def[CMP_MAX_COLUMNS][CMP_MAX_OPS];

	for (unsigned i = 0; i < t->nr; i++) {
		memcpy(def[i], t->col[i].ps, sizeof(def[i]));
		if (t->col[i].choice->baseline)
			base = i;
	}
	s->rows = g_new0(struct cmp_sens_row, 2 * costs_count());
	for (unsigned c = 0; c < costs_count(); c++) {
		const struct sim_cost_def *d = costs_def(c);

		if (d->lo == d->hi)
			continue; /* not varied: docs/costs.md says why */
		s->rows[s->nr++] = (struct cmp_sens_row){.cost = c, .high = false, .ps = d->lo};
		s->rows[s->nr++] = (struct cmp_sens_row){.cost = c, .high = true, .ps = d->hi};
	}
	struct sens_ctx x = {t, s, 0, s->nr * t->nr};
	struct cmp_result *res = g_new0(struct cmp_result, x.nr_tasks);
	struct cmp_pool p = {sens_run, NULL, sens_done, &x, sizeof(*res)};

	cmp_pool_run(&p, x.nr_tasks, jobs, res);
	cmp_progress_done();
	for (unsigned r = 0; r < s->nr && !cli_signal; r++) {
		struct cmp_sens_row *row = &s->rows[r];
		uint64_t at[CMP_MAX_COLUMNS][CMP_MAX_OPS];

		for (unsigned i = 0; i < t->nr; i++) {
			memcpy(at[i], res[r * t->nr + i].ps, sizeof(at[i]));
			row->voided[i] = res[r * t->nr + i].voided;
		}
		for (unsigned op = 0; op < t->spec->nr_ops; op++) {
			for (unsigned i = 0; i < t->nr; i++) {
				row->pct[i][op] = compare_change_pct(at[i][op], def[i][op]);
				row->rel[i][op] =
					base < t->nr ? compare_change_pct(at[i][op], at[base][op])
						     : NAN;
			}
			row->order_same[op] =
				same_order(t, (const uint64_t(*)[CMP_MAX_OPS])at,
					   (const uint64_t(*)[CMP_MAX_OPS])def, row->voided, op);
		}
		/* A run a finding voided has no figures: nothing to compare with. */
		for (unsigned i = 0; i < t->nr; i++)
			for (unsigned op = 0; op < t->spec->nr_ops; op++) {
				if (row->voided[i])
					row->pct[i][op] = row->rel[i][op] = NAN;
				if (base < t->nr && row->voided[base])
					row->rel[i][op] = NAN;
			}
	}
	if (cli_signal)
		s->nr = 0;
	g_free(res);
}

/* "none < A < D < C < B" by the default run's figures. */
static void order_text(const struct cmp_table *t, unsigned op, char *buf, size_t len)
{
	unsigned idx[CMP_MAX_COLUMNS];
	size_t at = 0;

	for (unsigned i = 0; i < t->nr; i++) {
		unsigned j = i;

		while (j && t->col[idx[j - 1]].ps[op] > t->col[i].ps[op]) {
			idx[j] = idx[j - 1];
			j--;
		}
		idx[j] = i;
	}
	buf[0] = 0;
	for (unsigned i = 0; i < t->nr && at < len; i++)
		at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? " < " : "",
				       t->col[idx[i]].choice->name);
}

static void row_name(const struct cmp_sens_row *row, char *buf, size_t len)
{
	snprintf(buf, len, "%s=%g", costs_name(row->cost), row->ps / 1e3);
}

void cmp_print_sens_text(const struct cmp_table *t, const struct cmp_sens *s)
{
	const struct cmp_column *base = cmp_baseline(t);
	char a[64], b[64], order[160];

	printf("\nsensitivity: each of %u costs at both ends of its range (ns), every other at "
	       "its default; %u timed runs at %u x %s on %u CPUs\n",
	       s->nr / 2, s->nr * t->nr, t->pages, t->spec->page, t->cpus);
	for (unsigned op = 0; op < t->spec->nr_ops; op++) {
		unsigned broken = 0;

		printf("\n%s\n", t->spec->ops[op].title);
		for (unsigned i = 0; base && i < t->nr; i++) {
			const struct cmp_column *c = &t->col[i];
			unsigned lo = s->nr, hi = s->nr;

			if (c == base)
				continue;
			for (unsigned r = 0; r < s->nr; r++) {
				double v = s->rows[r].rel[i][op];

				if (isnan(v))
					continue;
				if (lo == s->nr || v < s->rows[lo].rel[i][op])
					lo = r;
				if (hi == s->nr || v > s->rows[hi].rel[i][op])
					hi = r;
			}
			if (lo == s->nr)
				continue;
			row_name(&s->rows[lo], a, sizeof(a));
			row_name(&s->rows[hi], b, sizeof(b));
			printf("  %-5s vs %s: %+7.1f%% at the defaults; %+7.1f%% (%s) .. %+7.1f%% "
			       "(%s)\n",
			       c->choice->name, base->choice->name,
			       compare_change_pct(c->ps[op], base->ps[op]), s->rows[lo].rel[i][op],
			       a, s->rows[hi].rel[i][op], b);
		}
		order_text(t, op, order, sizeof(order));
		printf("  order %s:", order);
		for (unsigned r = 0; r < s->nr; r++)
			if (!s->rows[r].order_same[op]) {
				row_name(&s->rows[r], a, sizeof(a));
				printf(" %s%s", broken++ ? ", " : "changed by ", a);
			}
		printf("%s\n", broken ? "" : " holds at every end");
	}
	printf("\nthe cell each end moves most (change of the cell itself)\n");
	for (unsigned r = 0; r < s->nr; r++) {
		const struct cmp_sens_row *row = &s->rows[r];
		unsigned bi = 0, bo = 0;

		for (unsigned i = 0; i < t->nr; i++)
			for (unsigned op = 0; op < t->spec->nr_ops; op++)
				if (!isnan(row->pct[i][op]) &&
				    (isnan(row->pct[bi][bo]) ||
				     fabs(row->pct[i][op]) > fabs(row->pct[bi][bo]))) {
					bi = i;
					bo = op;
				}
		row_name(row, a, sizeof(a));
		printf("  %-24s %-5s %-10s %+8.1f%%", a, t->col[bi].choice->name,
		       t->spec->ops[bo].metric, row->pct[bi][bo]);
		for (unsigned i = 0; i < t->nr; i++)
			if (row->voided[i])
				printf("; %s: no measurement (%s)", t->col[i].choice->name,
				       finding_name(row->voided[i] - 1));
		printf("\n");
	}
}
