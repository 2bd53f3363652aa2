// SPDX-License-Identifier: GPL-2.0-only
/*
 * compare's outputs: the text table, JSON (one object) and CSV (one
 * long-format table), each with everything the others have: figures,
 * counters, every verdict cell by scheduler and finding kind, the cost
 * table with its sources, the sensitivity study when run, and whether the
 * run was interrupted.
 */
#include "compare.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

const struct cmp_column *cmp_baseline(const struct cmp_table *t)
{
	for (unsigned i = 0; i < t->nr; i++)
		if (t->col[i].choice->baseline && t->col[i].ran)
			return &t->col[i];
	return NULL;
}

static double scaled_s(const struct cmp_table *t, const struct cmp_column *c, unsigned op)
{
	return compare_scaled_s(c->ps[op], t->pages, t->spec->series_pages);
}

static double per_page_ns(const struct cmp_table *t, const struct cmp_column *c, unsigned op)
{
	return compare_per_page_ns(c->ps[op], t->pages, t->spec->ops[op].unit_pages);
}

static unsigned findings(const struct cmp_verdict *v)
{
	unsigned n = 0;

	for (int k = 0; k < SIM_NR_FINDINGS; k++)
		n += v->kinds[k];
	return n;
}

void cmp_verdict_text(const struct cmp_verdict *v, char *buf, size_t len)
{
	size_t at = 0;

	if (!findings(v)) {
		snprintf(buf, len, "clean %u/%u", v->schedules, v->schedules);
		return;
	}
	buf[0] = 0;
	for (int k = 0; k < SIM_NR_FINDINGS; k++)
		if (v->kinds[k] && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s %u/%u", at ? ", " : "",
					       finding_name(k), v->kinds[k], v->schedules);
}

/* ---- text ------------------------------------------------------------------------------ */

static void cell(const char *s)
{
	printf("%18s", s);
}

/* A summary cell: "clean", or the kinds found, over the hazard scenarios or the others. */
static void verdict_summary(const struct cmp_column *c, bool hazard, char *buf, size_t len)
{
	unsigned kinds[SIM_NR_FINDINGS] = {0}, runs = 0;
	size_t at = 0;

	for (unsigned i = 0; i < c->nr_verdicts; i++) {
		if (c->verdicts[i].hazard != hazard)
			continue;
		runs += c->verdicts[i].schedules;
		for (int k = 0; k < SIM_NR_FINDINGS; k++)
			kinds[k] += c->verdicts[i].kinds[k];
	}
	snprintf(buf, len, runs ? (hazard ? "none found" : "clean") : "-");
	for (int k = 0; k < SIM_NR_FINDINGS; k++)
		if (kinds[k] && at < len)
			at += (size_t)snprintf(buf + at, len - at, "%s%s", at ? "," : "",
					       finding_name(k));
}

static void print_verdicts(const struct cmp_table *t)
{
	printf("\nverdicts: %u schedules per scheduler (seeds 1-%u), random and pct:\n",
	       t->verdict_schedules, t->verdict_schedules);
	for (unsigned i = 0; i < t->nr; i++) {
		const struct cmp_column *c = &t->col[i];

		printf("  %-6s", c->choice->name);
		/* Random and pct side by side: "hvo-2m clean 10/10 | clean 10/10". */
		for (unsigned v = 0; v < c->nr_verdicts; v += CMP_NR_SCHEDS) {
			if (!c->verdicts[v].schedules)
				continue;
			printf("%s%s%s", v ? "\n        " : "",
			       c->verdicts[v].hazard ? "hazard " : "", c->verdicts[v].scenario);
			for (unsigned s = 0; s < CMP_NR_SCHEDS && v + s < c->nr_verdicts; s++) {
				char buf[160];

				if (!c->verdicts[v + s].schedules)
					continue;
				cmp_verdict_text(&c->verdicts[v + s], buf, sizeof(buf));
				printf("%s %s (%s)", s ? ";" : ":", buf, c->verdicts[v + s].sched);
			}
		}
		printf("\n");
	}
}

void cmp_print_text(const struct cmp_table *t)
{
	const struct cmp_spec *spec = t->spec;
	const struct cmp_column *base = cmp_baseline(t);
	unsigned basis[3] = {0};
	char buf[160];

	for (unsigned i = 0; i < costs_count(); i++)
		basis[costs_def(i)->basis]++;
	printf("bbmsim compare: %u x %s on %u CPUs, timed; figures scaled to the series' %u x %s "
	       "(x%.4g)\n",
	       t->pages, spec->page, t->cpus, spec->series_pages, spec->page,
	       (double)spec->series_pages / t->pages);
	printf("kernel: %s; costs: digest %.12s (%u calibrated on the series' table, %u cited, "
	       "%u estimates: docs/costs.md)\n\n",
	       t->kernel, t->costs.digest, basis[COST_BASIS_CALIBRATED], basis[COST_BASIS_CITED],
	       basis[COST_BASIS_ESTIMATE]);
	printf("%-22s", "operation");
	for (unsigned i = 0; i < t->nr; i++)
		cell(t->col[i].choice->name);
	printf("\n");
	for (unsigned op = 0; op < spec->nr_ops; op++) {
		printf("%-22s", spec->ops[op].title);
		for (unsigned i = 0; i < t->nr; i++) {
			const struct cmp_column *c = &t->col[i];

			if (!c->ran)
				snprintf(buf, sizeof(buf), "-");
			else if (base && c != base && base->ps[op])
				snprintf(buf, sizeof(buf), "%.3f s %+4.0f%%", scaled_s(t, c, op),
					 compare_change_pct(c->ps[op], base->ps[op]));
			else
				snprintf(buf, sizeof(buf), "%.3f s", scaled_s(t, c, op));
			cell(buf);
		}
		printf("\n");
	}
	printf("\nper page (us)\n");
	for (unsigned op = 0; op < spec->nr_ops; op++) {
		snprintf(buf, sizeof(buf), "%s (%s)", spec->ops[op].metric, spec->ops[op].unit);
		printf("  %-20s", buf);
		for (unsigned i = 0; i < t->nr; i++) {
			if (t->col[i].ran)
				snprintf(buf, sizeof(buf), "%.3f",
					 per_page_ns(t, &t->col[i], op) / 1e3);
			else
				snprintf(buf, sizeof(buf), "-");
			cell(buf);
		}
		printf("\n");
	}
	for (unsigned k = 0; k < t->nr_counters; k++) {
		printf("%-22s", t->counters[k]->title);
		for (unsigned i = 0; i < t->nr; i++) {
			if (t->col[i].ran && t->col[i].has_counter[k])
				snprintf(buf, sizeof(buf), "%" PRIu64, t->col[i].counters[k]);
			else
				snprintf(buf, sizeof(buf), "-");
			cell(buf);
		}
		printf("\n");
	}
	for (int hazard = 0; hazard < 2; hazard++) {
		printf("%-22s", hazard ? "its hazard scenarios" : "verdict (HVO scen.)");
		for (unsigned i = 0; i < t->nr; i++) {
			verdict_summary(&t->col[i], hazard, buf, sizeof(buf));
			cell(buf);
		}
		printf("\n");
	}
	if (t->verdict_schedules)
		print_verdicts(t);
	if (t->interrupted)
		printf("\n(interrupted: the columns and cells shown are complete; '-' ran not)\n");
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void json_costs(GString *s, const struct cmp_table *t)
{
	g_string_append_printf(s, "\"costs\":{\"digest\":\"%s\",\"table\":[", t->costs.digest);
	for (unsigned i = 0; i < costs_count(); i++) {
		const struct sim_cost_def *d = costs_def(i);

		g_string_append_printf(s,
				       "%s{\"name\":\"%s\",\"ns\":%.3f,\"default_ns\":%.3f,"
				       "\"lo_ns\":%.3f,\"hi_ns\":%.3f,\"basis\":\"%s\",\"source\":",
				       i ? "," : "", d->name, t->costs.ps[i] / 1e3, d->def / 1e3,
				       d->lo / 1e3, d->hi / 1e3, costs_basis_name(d->basis));
		json_str(s, d->source);
		g_string_append(s, "}");
	}
	g_string_append(s, "]}");
}

/* A number, or null for a cell that has none (NaN). */
static void json_num(GString *s, double v)
{
	if (isnan(v))
		g_string_append(s, "null");
	else
		g_string_append_printf(s, "%.2f", v);
}

static void json_verdict(GString *s, const char *strategy, const struct cmp_verdict *v)
{
	g_string_append(s, "{\"strategy\":");
	json_str(s, strategy);
	g_string_append(s, ",\"scenario\":");
	json_str(s, v->scenario);
	g_string_append_printf(s,
			       ",\"sched\":\"%s\",\"hazard\":%s,\"schedules\":%u,\"findings\":%u,"
			       "\"kinds\":{",
			       v->sched, v->hazard ? "true" : "false", v->schedules, findings(v));
	bool first = true;
	for (int k = 0; k < SIM_NR_FINDINGS; k++)
		if (v->kinds[k]) {
			g_string_append_printf(s, "%s\"%s\":%u", first ? "" : ",", finding_name(k),
					       v->kinds[k]);
			first = false;
		}
	g_string_append(s, "}}");
}

void cmp_print_json(const struct cmp_table *t, const struct cmp_sens *sens)
{
	const struct cmp_column *base = cmp_baseline(t);
	GString *s = g_string_new("{\"rows\":[");
	bool first = true;

	for (unsigned i = 0; i < t->nr; i++)
		for (unsigned op = 0; op < t->spec->nr_ops && t->col[i].ran; op++) {
			const struct cmp_column *c = &t->col[i];

			g_string_append_printf(s, "%s{\"operation\":\"%s\",\"strategy\":",
					       first ? "" : ",", t->spec->ops[op].metric);
			json_str(s, c->choice->name);
			g_string_append_printf(s, ",\"sim_seconds\":%.6f,\"per_page_ns\":%.1f",
					       scaled_s(t, c, op), per_page_ns(t, c, op));
			if (base && base->ps[op])
				g_string_append_printf(s, ",\"change_pct\":%.2f",
						       compare_change_pct(c->ps[op], base->ps[op]));
			g_string_append(s, "}");
			first = false;
		}
	g_string_append(s, "],\"counters\":[");
	first = true;
	for (unsigned i = 0; i < t->nr; i++)
		for (unsigned k = 0; k < t->nr_counters; k++) {
			if (!t->col[i].ran || !t->col[i].has_counter[k])
				continue;
			g_string_append_printf(s, "%s{\"strategy\":", first ? "" : ",");
			json_str(s, t->col[i].choice->name);
			g_string_append_printf(s, ",\"counter\":\"%s\",\"value\":%" PRIu64 "}",
					       t->counters[k]->metric, t->col[i].counters[k]);
			first = false;
		}
	g_string_append(s, "],\"verdicts\":[");
	first = true;
	for (unsigned i = 0; i < t->nr; i++)
		for (unsigned v = 0; v < t->col[i].nr_verdicts; v++) {
			if (!t->col[i].verdicts[v].schedules)
				continue;
			if (!first)
				g_string_append_c(s, ',');
			json_verdict(s, t->col[i].choice->name, &t->col[i].verdicts[v]);
			first = false;
		}
	g_string_append_printf(s,
			       "],\"kernel\":\"%s\",\"scale\":%.6g,\"pages\":%u,\"cpus\":%u,"
			       "\"verdict_schedules\":%u,\"interrupted\":%s,",
			       t->kernel, t->scale, t->pages, t->cpus, t->verdict_schedules,
			       t->interrupted ? "true" : "false");
	json_costs(s, t);
	if (sens) {
		g_string_append(s, ",\"sensitivity\":[");
		for (unsigned r = 0; r < sens->nr; r++) {
			const struct cmp_sens_row *row = &sens->rows[r];

			g_string_append_printf(
				s, "%s{\"cost\":\"%s\",\"end\":\"%s\",\"ns\":%.3f,\"cells\":[",
				r ? "," : "", costs_name(row->cost), row->high ? "hi" : "lo",
				row->ps / 1e3);
			first = true;
			for (unsigned i = 0; i < t->nr; i++)
				for (unsigned op = 0; op < t->spec->nr_ops; op++) {
					g_string_append_printf(
						s,
						"%s{\"strategy\":\"%s\",\"operation\":\"%s\","
						"\"change_pct\":",
						first ? "" : ",", t->col[i].choice->name,
						t->spec->ops[op].metric);
					json_num(s, row->pct[i][op]);
					g_string_append(s, ",\"vs_baseline_pct\":");
					json_num(s, row->rel[i][op]);
					g_string_append(s, ",\"voided_by\":");
					if (row->voided[i])
						g_string_append_printf(
							s, "\"%s\"",
							finding_name(row->voided[i] - 1));
					else
						g_string_append(s, "null");
					g_string_append_c(s, '}');
					first = false;
				}
			g_string_append(s, "]}");
		}
		g_string_append(s, "]");
	}
	g_string_append(s, "}\n");
	fputs(s->str, stdout);
	g_string_free(s, TRUE);
}

/* ---- CSV: one long table, a row per value ------------------------------------------------- */

static void csv_row(const char *record, const char *strategy, const char *subject,
		    const char *sched, const char *quantity, const char *value)
{
	printf("%s,%s,%s,%s,%s,%s\n", record, strategy, subject, sched, quantity, value);
}

void cmp_print_csv(const struct cmp_table *t, const struct cmp_sens *sens)
{
	const struct cmp_column *base = cmp_baseline(t);
	char v[64];

	printf("record,strategy,subject,sched,quantity,value\n");
	snprintf(v, sizeof(v), "%u", t->pages);
	csv_row("run", "", "pages", "", "count", v);
	snprintf(v, sizeof(v), "%u", t->cpus);
	csv_row("run", "", "cpus", "", "count", v);
	csv_row("run", "", "kernel", "", "name", t->kernel);
	csv_row("run", "", "interrupted", "", "flag", t->interrupted ? "1" : "0");
	for (unsigned i = 0; i < t->nr; i++) {
		const struct cmp_column *c = &t->col[i];
		const char *name = c->choice->name;

		for (unsigned op = 0; op < t->spec->nr_ops && c->ran; op++) {
			const char *m = t->spec->ops[op].metric;

			snprintf(v, sizeof(v), "%.6f", scaled_s(t, c, op));
			csv_row("time", name, m, "", "sim_seconds", v);
			snprintf(v, sizeof(v), "%.1f", per_page_ns(t, c, op));
			csv_row("time", name, m, "", "per_page_ns", v);
			if (base && base->ps[op]) {
				snprintf(v, sizeof(v), "%.2f",
					 compare_change_pct(c->ps[op], base->ps[op]));
				csv_row("time", name, m, "", "change_pct", v);
			}
		}
		for (unsigned k = 0; k < t->nr_counters; k++)
			if (c->ran && c->has_counter[k]) {
				snprintf(v, sizeof(v), "%" PRIu64, c->counters[k]);
				csv_row("counter", name, t->counters[k]->metric, "", "count", v);
			}
		for (unsigned j = 0; j < c->nr_verdicts; j++) {
			const struct cmp_verdict *vd = &c->verdicts[j];

			if (!vd->schedules)
				continue;
			snprintf(v, sizeof(v), "%u", vd->schedules);
			csv_row("verdict", name, vd->scenario, vd->sched, "schedules", v);
			for (int k = 0; k < SIM_NR_FINDINGS; k++)
				if (vd->kinds[k]) {
					snprintf(v, sizeof(v), "%u", vd->kinds[k]);
					csv_row("verdict", name, vd->scenario, vd->sched,
						finding_name(k), v);
				}
		}
	}
	for (unsigned i = 0; i < costs_count(); i++) {
		snprintf(v, sizeof(v), "%.3f", t->costs.ps[i] / 1e3);
		csv_row("cost", "", costs_name(i), "", costs_basis_name(costs_def(i)->basis), v);
	}
	for (unsigned r = 0; sens && r < sens->nr; r++) {
		const struct cmp_sens_row *row = &sens->rows[r];
		char q[96];

		for (unsigned i = 0; i < t->nr; i++)
			for (unsigned op = 0; op < t->spec->nr_ops; op++) {
				snprintf(q, sizeof(q), "%s=%.3f:change_pct", costs_name(row->cost),
					 row->ps / 1e3);
				if (isnan(row->pct[i][op]))
					snprintf(v, sizeof(v), "%s",
						 row->voided[i] ? finding_name(row->voided[i] - 1)
								: "");
				else
					snprintf(v, sizeof(v), "%.2f", row->pct[i][op]);
				csv_row("sensitivity", t->col[i].choice->name,
					t->spec->ops[op].metric, "", q, v);
				if (isnan(row->rel[i][op]))
					continue;
				snprintf(q, sizeof(q), "%s=%.3f:vs_baseline_pct",
					 costs_name(row->cost), row->ps / 1e3);
				snprintf(v, sizeof(v), "%.2f", row->rel[i][op]);
				csv_row("sensitivity", t->col[i].choice->name,
					t->spec->ops[op].metric, "", q, v);
			}
	}
}
