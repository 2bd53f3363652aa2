// SPDX-License-Identifier: GPL-2.0-only
/*
 * compare --plot: one panel per operation, so that B's 30 s does not flatten
 * the others' 1-3 s; horizontal bars with their value and change written
 * on them; the verdicts under the panels, one line per strategy.
 */
#include "compare.h"

#include <math.h>
#include <string.h>

static const char *const colors[] = {"#7f7f7f", "#e15759", "#f28e2b", "#59a14f",
				     "#4e79a7", "#b07aa1", "#76b7b2", "#edc948"};

#define W	  960
#define PANEL_W	  460
#define LABEL_W	  56
#define BAR_H	  20
#define BAR_GAP	  6
#define TITLE_H	  28
#define PANEL_GAP 20

static double panel_h(const struct cmp_table *t)
{
	return TITLE_H + t->nr * (BAR_H + BAR_GAP) + 10;
}

/* A "nice" axis end at or above @max: 1, 2 or 5 times a power of ten. */
static double nice_max(double max)
{
	static const double steps[] = {1, 2, 5, 10};
	double p = pow(10, floor(log10(max)));

	for (unsigned i = 0; i < G_N_ELEMENTS(steps); i++)
		if (steps[i] * p >= max)
			return steps[i] * p;
	return 10 * p;
}

static void panel(GString *s, const struct cmp_table *t, unsigned op, double x0, double y0)
{
	const struct cmp_column *base = cmp_baseline(t);
	double max = 0, bar_w = PANEL_W - LABEL_W - 150;

	for (unsigned i = 0; i < t->nr; i++)
		if (t->col[i].ran)
			max = fmax(max, compare_scaled_s(t->col[i].ps[op], t->pages,
							 t->spec->series_pages));
	max = max > 0 ? nice_max(max) : 1;
	g_string_append_printf(s,
			       "<text x=\"%.0f\" y=\"%.0f\" font-size=\"14\" "
			       "font-weight=\"bold\">%s</text>\n",
			       x0, y0 + 18, t->spec->ops[op].title);
	g_string_append_printf(s,
			       "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" "
			       "stroke=\"#999\"/>\n<text x=\"%.0f\" y=\"%.0f\" font-size=\"10\" "
			       "fill=\"#666\" text-anchor=\"end\">axis 0-%g s</text>\n",
			       x0 + LABEL_W, x0 + LABEL_W, y0 + TITLE_H - 4, y0 + panel_h(t) - 8,
			       x0 + PANEL_W - 4, y0 + 18, max);
	for (unsigned i = 0; i < t->nr; i++) {
		const struct cmp_column *c = &t->col[i];
		double y = y0 + TITLE_H + i * (BAR_H + BAR_GAP);
		char label[64];

		g_string_append_printf(
			s, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s</text>\n",
			x0 + LABEL_W - 6, y + 15, c->choice->name);
		if (!c->ran)
			continue;
		double v = compare_scaled_s(c->ps[op], t->pages, t->spec->series_pages);
		double bw = fmax(1, v / max * bar_w);
		if (base && c != base && base->ps[op])
			snprintf(label, sizeof(label), "%.3f s (%+.0f%%)", v,
				 compare_change_pct(c->ps[op], base->ps[op]));
		else
			snprintf(label, sizeof(label), "%.3f s", v);
		g_string_append_printf(s,
				       "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"%d\" "
				       "fill=\"%s\"/>\n<text x=\"%.1f\" y=\"%.0f\">%s</text>\n",
				       x0 + LABEL_W, y, bw, BAR_H, colors[i % G_N_ELEMENTS(colors)],
				       x0 + LABEL_W + bw + 5, y + 15, label);
	}
}

/* "A: hvo-2m clean 20/20; hvo-2m-a-irq deadlock 7/20", random and pct summed. */
static void verdict_line(const struct cmp_column *c, char *buf, size_t len)
{
	size_t at = (size_t)snprintf(buf, len, "%s:", c->choice->name);

	for (unsigned v = 0; v < c->nr_verdicts && at < len; v += CMP_NR_SCHEDS) {
		struct cmp_verdict sum = c->verdicts[v];
		char cell[160];

		for (unsigned s = 1; s < CMP_NR_SCHEDS && v + s < c->nr_verdicts; s++) {
			sum.schedules += c->verdicts[v + s].schedules;
			for (int k = 0; k < SIM_NR_FINDINGS; k++)
				sum.kinds[k] += c->verdicts[v + s].kinds[k];
		}
		if (!sum.schedules)
			continue;
		cmp_verdict_text(&sum, cell, sizeof(cell));
		at += (size_t)snprintf(buf + at, len - at, "%s %s%s %s", v ? ";" : "",
				       sum.hazard ? "hazard " : "", sum.scenario, cell);
	}
}

GString *cmp_svg(const struct cmp_table *t)
{
	unsigned rows = (t->spec->nr_ops + 1) / 2;
	double ph = panel_h(t), top = 56;
	double vy = top + rows * (ph + PANEL_GAP) + 10;
	double h = vy + 24 + 18 * t->nr + 10;
	GString *s = g_string_new(NULL);

	g_string_append_printf(
		s,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" "
		"font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"16\" y=\"24\" font-size=\"16\">Simulated time per operation, scaled to "
		"the series' %u x %s on %u CPUs (run: %u x %s)</text>\n"
		"<text x=\"16\" y=\"42\" font-size=\"11\" fill=\"#555\">kernel %s, costs %.12s; "
		"each panel has its own axis; change against %s; "
		"costs and their ranges: docs/costs.md</text>\n",
		W, h, t->spec->series_pages, t->spec->page, t->cpus, t->pages, t->spec->page,
		t->kernel, t->costs.digest, cmp_baseline(t) ? cmp_baseline(t)->choice->name : "-");
	for (unsigned op = 0; op < t->spec->nr_ops; op++)
		panel(s, t, op, 16 + (op % 2) * (PANEL_W + PANEL_GAP),
		      top + (op / 2) * (ph + PANEL_GAP));
	g_string_append_printf(s,
			       "<text x=\"16\" y=\"%.0f\" font-size=\"14\" "
			       "font-weight=\"bold\">Verdicts (%u schedules per scenario and "
			       "scheduler, random + pct)</text>\n",
			       vy + 14, t->verdict_schedules);
	for (unsigned i = 0; i < t->nr; i++) {
		char line[1024];
		gchar *esc;

		verdict_line(&t->col[i], line, sizeof(line));
		esc = g_markup_escape_text(line, -1);
		g_string_append_printf(s,
				       "<rect x=\"16\" y=\"%.0f\" width=\"10\" height=\"10\" "
				       "fill=\"%s\"/><text x=\"32\" y=\"%.0f\">%s</text>\n",
				       vy + 26 + 18 * i, colors[i % G_N_ELEMENTS(colors)],
				       vy + 35 + 18 * i, esc);
		g_free(esc);
	}
	g_string_append(s, "</svg>\n");
	return s;
}
