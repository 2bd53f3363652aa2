// SPDX-License-Identifier: GPL-2.0-only
/*
 * A litmus test's executions, gathered and told in herd7's words.
 */
#include "lit_report.h"
#include "lit_run.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct gather {
	const struct litmus *lt;
	struct lit_exec exec;
	struct lit_result *r;
	GHashTable *index; /* state -> struct lit_state_count * */
};

static void add_finding(struct lit_result *r, const struct sim_finding *f)
{
	char *s = g_strdup_printf("%s: %s: %s", finding_name(f->kind), f->rule, f->detail);

	for (guint i = 0; i < r->findings->len; i++)
		if (!strcmp(r->findings->pdata[i], s)) {
			g_free(s);
			return;
		}
	g_ptr_array_add(r->findings, s);
}

static char *trace_copy(struct sim *sim)
{
	size_t len;
	const char *t = sim_trace_text(sim, &len);

	return g_strndup(t, len);
}

static bool visit(void *arg, struct sim *sim)
{
	struct gather *g = arg;
	struct lit_result *r = g->r;
	struct lit_exec *e = &g->exec;
	bool bbm = false;

	/* A run whose promise was not kept is no execution (docs/memmodel.md). */
	if (sim->infeasible) {
		r->infeasible++;
		memset(e, 0, sizeof(*e));
		return true;
	}
	for (unsigned i = 0; i < sim->nr_findings; i++) {
		if (sim->findings[i].kind == FINDING_BBM_VIOLATION)
			bbm = true;
		if (r->findings->len < 64)
			add_finding(r, &sim->findings[i]);
	}
	if (!e->done) {
		r->unfinished++;
	} else if (e->filtered) {
		r->filtered++;
	} else {
		struct lit_state_count *sc = g_hash_table_lookup(g->index, e->state);

		if (!sc) {
			sc = g_new0(struct lit_state_count, 1);
			sc->state = g_strdup(e->state);
			sc->positive = e->cond;
			g_ptr_array_add(r->states, sc);
			g_hash_table_insert(g->index, sc->state, sc);
		}
		sc->count++;
		if (e->cond) {
			r->positive++;
			if (!r->witness_trace)
				r->witness_trace = trace_copy(sim);
		} else {
			r->negative++;
		}
		if (bbm) {
			r->bbm = true;
			if (!r->bbm_trace)
				r->bbm_trace = trace_copy(sim);
		}
	}
	memset(e, 0, sizeof(*e));
	return true;
}

static gint state_cmp(gconstpointer a, gconstpointer b)
{
	const struct lit_state_count *x = *(struct lit_state_count *const *)a;
	const struct lit_state_count *y = *(struct lit_state_count *const *)b;

	return strcmp(x->state, y->state);
}

int lit_check_test(const struct litmus *lt, const struct sim_options *opt0,
		   const struct sim_costs *costs, uint64_t max_runs, unsigned flags,
		   struct lit_result *r, char *err, size_t errlen)
{
	struct sim_options opt = *opt0;
	struct gather g = {.lt = lt, .r = r};
	struct lit_scn ls;

	memset(r, 0, sizeof(*r));
	r->states = g_ptr_array_new();
	r->findings = g_ptr_array_new_with_free_func(g_free);
	if (lit_machine_options(lt, &opt, err, errlen))
		return -1;
	lit_scenario(&ls, lt, &g.exec);
	g.index = g_hash_table_new(g_str_hash, g_str_equal);
	int ret =
		dpor_explore(&ls.scn, &opt, costs, max_runs, flags, visit, &g, &r->st, err, errlen);
	g_hash_table_destroy(g.index);
	g_ptr_array_sort(r->states, state_cmp);
	return ret;
}

void lit_result_free(struct lit_result *r)
{
	if (r->states) {
		for (guint i = 0; i < r->states->len; i++) {
			struct lit_state_count *sc = r->states->pdata[i];
			g_free(sc->state);
			g_free(sc);
		}
		g_ptr_array_free(r->states, TRUE);
	}
	if (r->findings)
		g_ptr_array_free(r->findings, TRUE);
	g_free(r->witness_trace);
	g_free(r->bbm_trace);
	memset(r, 0, sizeof(*r));
}

const char *lit_observation(const struct lit_result *r)
{
	if (!r->positive)
		return "Never";
	return r->negative ? "Sometimes" : "Always";
}

const char *lit_kind(const struct litmus *lt, const struct lit_result *r)
{
	if (!r->positive)
		return "Forbidden";
	if (!r->negative && lt->quant == LQ_FORALL)
		return "Required";
	return "Allowed";
}

static bool ok(const struct litmus *lt, const struct lit_result *r)
{
	switch (lt->quant) {
	case LQ_EXISTS:
		return r->positive > 0;
	case LQ_NOT_EXISTS:
		return r->positive == 0;
	case LQ_FORALL:
	default:
		return r->negative == 0;
	}
}

static const char *quant_name(const struct litmus *lt)
{
	return lt->quant == LQ_EXISTS ? "exists" : lt->quant == LQ_FORALL ? "forall" : "~exists";
}

void lit_report_text(const struct litmus *lt, const struct lit_result *r, GString *o)
{
	char cond[1024];

	lit_prop_str(lt, lt->cond, cond, sizeof(cond));
	g_string_append_printf(o, "Test %s %s\n", lt->name,
			       lt->quant == LQ_FORALL ? "Required" : "Allowed");
	g_string_append_printf(o, "States %u\n", r->states->len);
	/* litmus7's marks: *> where the proposition holds, :> where not; the count first */
	for (guint i = 0; i < r->states->len; i++) {
		const struct lit_state_count *sc = r->states->pdata[i];
		g_string_append_printf(o, "%-6" PRIu64 "%s%s\n", sc->count,
				       sc->positive ? "*>" : ":>", sc->state);
	}
	g_string_append_printf(o, "%s\n", ok(lt, r) ? "Ok" : "No");
	g_string_append_printf(o, "Witnesses\nPositive: %" PRIu64 " Negative: %" PRIu64 "\n",
			       r->positive, r->negative);
	if (r->bbm)
		g_string_append(o, "Flag Warning-BBM-expected\n");
	g_string_append_printf(o, "Condition %s (%s)\n", quant_name(lt), cond);
	g_string_append_printf(o, "Observation %s %s %" PRIu64 " %" PRIu64 "\n", lt->name,
			       lit_observation(r), r->positive, r->negative);
	g_string_append_printf(
		o,
		"Explored %" PRIu64 " executions (DPOR)%s, %" PRIu64 " filtered, %" PRIu64
		" without an end, %" PRIu64 " infeasible (a promise not kept)\n",
		r->st.runs, r->st.complete ? "" : ", stopped at --max-runs: incomplete",
		r->filtered, r->unfinished, r->infeasible);
	for (guint i = 0; i < r->findings->len; i++)
		g_string_append_printf(o, "Finding %s\n", (const char *)r->findings->pdata[i]);
	g_string_append_c(o, '\n');
}

static void json_s(GString *s, const char *str)
{
	g_string_append_c(s, '"');
	for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
		if (*p == '"' || *p == '\\')
			g_string_append_printf(s, "\\%c", *p);
		else if (*p < 0x20)
			g_string_append_printf(s, "\\u%04x", *p);
		else
			g_string_append_c(s, (char)*p);
	}
	g_string_append_c(s, '"');
}

void lit_report_json(const struct litmus *lt, const struct lit_result *r, GString *o)
{
	char cond[1024];

	lit_prop_str(lt, lt->cond, cond, sizeof(cond));
	g_string_append(o, "{\"test\":");
	json_s(o, lt->name);
	g_string_append(o, ",\"file\":");
	json_s(o, lt->path);
	g_string_append(o, ",\"states\":[");
	for (guint i = 0; i < r->states->len; i++) {
		const struct lit_state_count *sc = r->states->pdata[i];
		g_string_append(o, i ? ",{\"state\":" : "{\"state\":");
		json_s(o, sc->state);
		g_string_append_printf(o, ",\"count\":%" PRIu64 ",\"positive\":%s}", sc->count,
				       sc->positive ? "true" : "false");
	}
	g_string_append_printf(o,
			       "],\"ok\":%s,\"positive\":%" PRIu64 ",\"negative\":%" PRIu64
			       ",\"filtered\":%" PRIu64 ",\"unfinished\":%" PRIu64
			       ",\"infeasible\":%" PRIu64 ",\"bbm_flag\":%s,\"condition\":",
			       ok(lt, r) ? "true" : "false", r->positive, r->negative, r->filtered,
			       r->unfinished, r->infeasible, r->bbm ? "true" : "false");
	GString *c = g_string_new(quant_name(lt));
	g_string_append_printf(c, " (%s)", cond);
	json_s(o, c->str);
	g_string_free(c, TRUE);
	g_string_append(o, ",\"observation\":");
	json_s(o, lit_observation(r));
	g_string_append(o, ",\"kind\":");
	json_s(o, lit_kind(lt, r));
	g_string_append_printf(o,
			       ",\"executions\":%" PRIu64 ",\"complete\":%s,\"races\":%" PRIu64
			       ",\"blocked\":%" PRIu64 ",\"findings\":[",
			       r->st.runs, r->st.complete ? "true" : "false", r->st.races,
			       r->st.blocked);
	for (guint i = 0; i < r->findings->len; i++) {
		if (i)
			g_string_append_c(o, ',');
		json_s(o, r->findings->pdata[i]);
	}
	g_string_append(o, "]}");
}
