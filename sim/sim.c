// SPDX-License-Identifier: GPL-2.0-only
/*
 * A run's life: create the machine, run every CPU's program under the
 * scheduler, collect findings, and account for it in the trace.
 */
#include "engine.h"
#include "pmem.h"
#include "scenario.h"
#include "trace.h"

#include <glib.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const finding_names[SIM_NR_FINDINGS] = {
#define SIM_FINDING(id, name, help) [FINDING_##id] = name,
#include "findings.def"
#undef SIM_FINDING
};

static const char *const decision_names[SIM_NR_DECISIONS] = {
#define SIM_DECISION(id, name) [DECIDE_##id] = name,
#include "decisions.def"
#undef SIM_DECISION
};

const char *finding_name(enum sim_finding_kind k)
{
	return k < SIM_NR_FINDINGS ? finding_names[k] : "?";
}

const char *decision_name(enum sim_decision d)
{
	return d < SIM_NR_DECISIONS ? decision_names[d] : "?";
}

struct sim *sim_create(const struct scenario *scn, const struct sim_options *opt,
		       const struct sim_costs *costs, struct trace *replay, char *err,
		       size_t errlen)
{
	struct sim *sim = g_new0(struct sim, 1);

	sim->opt = *opt;
	sim->scn = scn;
	sim->costs = *costs;
	sim->ncpus = sim_opt_uint(opt, OPT_cpus) ? sim_opt_uint(opt, OPT_cpus) : scn->default_cpus;
	if (!sim->ncpus)
		sim->ncpus = 2;
	sim_opt_set_uint(&sim->opt, OPT_cpus, sim->ncpus);
	sim->cpus = g_new0(struct sim_cpu, sim->ncpus);
	for (unsigned i = 0; i < sim->ncpus; i++) {
		sim->cpus[i].sim = sim;
		sim->cpus[i].id = i;
	}
	sim->mem = pmem_create((uint64_t)sim_opt_uint(opt, OPT_mem_gb) << 30);
	sim->kdata_next = SIM_KDATA_BASE;
	sim->keep_trace = true;
	sim->sched = sched_create(sim, replay, err, errlen);
	if (!sim->sched) {
		sim_destroy(sim);
		return NULL;
	}
	return sim;
}

void sim_destroy(struct sim *sim)
{
	if (!sim)
		return;
	if (sim->scn && sim->scn->teardown && sim->scn_state)
		sim->scn->teardown(sim);
	sched_destroy(sim->sched);
	trace_free(sim->trace);
	events_free(sim->events);
	pmem_destroy(sim->mem);
	g_free(sim->findings);
	if (sim->finding_keys)
		g_hash_table_destroy(sim->finding_keys);
	g_free(sim->metrics);
	lines_free(sim->lines);
	g_free(sim->cpus);
	g_free(sim);
}

uint64_t sim_kdata_alloc(struct sim *sim, uint64_t size, uint64_t align)
{
	uint64_t pa = (sim->kdata_next + align - 1) & ~(align - 1);

	if (pa + size > SIM_KDATA_BASE + SIM_KDATA_SIZE) {
		fprintf(stderr, "bbmsim: kernel data exhausted (%" PRIu64 " bytes asked)\n", size);
		abort();
	}
	sim->kdata_next = pa + size;
	return pa + sim->kdata_offset;
}

static void add_finding_line(struct sim *sim, const struct sim_finding *f)
{
	trace_line(sim->trace,
		   "finding %s cpu=%d step=%" PRIu64 " clock=%" PRIu64 " va=%#" PRIx64
		   " pa=%#" PRIx64 " rule=\"%s\" detail=\"%s\"",
		   finding_name(f->kind), f->cpu, f->step, f->clock, f->va, f->pa, f->rule,
		   f->detail);
}

/* What tells findings apart under --keep-going: kind and place. */
struct finding_key {
	uint64_t va, pa;
	uint64_t kind;
};

static guint finding_key_hash(gconstpointer p)
{
	const struct finding_key *k = p;
	uint64_t h = (k->va * 0x9e3779b97f4a7c15ull) ^ (k->pa * 0xc2b2ae3d27d4eb4full) ^ k->kind;

	return (guint)(h ^ (h >> 32));
}

static gboolean finding_key_equal(gconstpointer a, gconstpointer b)
{
	return !memcmp(a, b, sizeof(struct finding_key));
}

bool sim_report_wanted(struct sim *sim, enum sim_finding_kind kind, uint64_t va, uint64_t pa)
{
	struct finding_key key = {va, pa, (uint64_t)kind};

	if (sim->stopping)
		return false; /* unwinding: what happens now is not the machine's doing */
	/* --keep-going keeps one finding per kind and place, and a bounded number. */
	if (sim->nr_findings == SIM_FINDINGS_KEPT) {
		/* Past the kept ones, reports are counted, not told apart: bounded memory. */
		sim->findings_more++;
		return false;
	}
	if (!sim->finding_keys)
		sim->finding_keys =
			g_hash_table_new_full(finding_key_hash, finding_key_equal, g_free, NULL);
	return !g_hash_table_contains(sim->finding_keys, &key);
}

void sim_report(struct sim *sim, struct sim_cpu *cpu, enum sim_finding_kind kind, uint64_t va,
		uint64_t pa, const char *rule, const char *fmt, ...)
{
	struct sim_finding f = {
		.kind = kind,
		.cpu = cpu ? (int)cpu->id : -1,
		.step = sim->step,
		.clock = cpu ? cpu->clock : 0,
		.va = va,
		.pa = pa,
	};
	struct finding_key key = {va, pa, (uint64_t)kind};
	va_list ap;

	if (!sim_report_wanted(sim, kind, va, pa))
		return;
	g_hash_table_add(sim->finding_keys, g_memdup2(&key, sizeof(key)));
	va_start(ap, fmt);
	vsnprintf(f.detail, sizeof(f.detail), fmt, ap);
	va_end(ap);
	if (sim->hooks.describe) {
		size_t n = strlen(f.detail);
		sim->hooks.describe(sim, cpu, f.detail + n, sizeof(f.detail) - n);
	}
	g_strlcpy(f.rule, rule ? rule : "", sizeof(f.rule));

	sim->findings = g_renew(struct sim_finding, sim->findings, sim->nr_findings + 1);
	sim->findings[sim->nr_findings++] = f;
	add_finding_line(sim, &f);
	if (!sim_opt_bool(&sim->opt, OPT_keep_going))
		sched_stop(sim);
}

int sim_run(struct sim *sim, char *err, size_t errlen)
{
	char serr[300];

	sim->trace = trace_recorder(sim->keep_trace);
	trace_header(sim->trace, sim->scn->name, &sim->opt, &sim->costs);
	if (sim->scn->setup && sim->scn->setup(sim, serr, sizeof(serr))) {
		snprintf(err, errlen, "%s: %s", sim->scn->name, serr);
		return -1;
	}
	sched_run(sim);
	if (!sim->stopping && sim->scn->check)
		sim->scn->check(sim);

	const char *e = sched_error(sim);
	if (e) {
		snprintf(err, errlen, "%s", e);
		return -1;
	}
	size_t left = sched_replay_left(sim);
	if (left) {
		snprintf(err, errlen,
			 "diverged at step %" PRIu64
			 ": the run ended with %zu decisions of the trace unused",
			 sim->step, left);
		return -1;
	}
	GString *clocks = g_string_new(NULL);
	for (unsigned i = 0; i < sim->ncpus; i++)
		g_string_append_printf(clocks, "%s%" PRIu64, i ? "," : "", sim->cpus[i].clock);
	trace_line(sim->trace, "end steps=%" PRIu64 " findings=%u more=%u clocks=%s", sim->step,
		   sim->nr_findings, sim->findings_more, clocks->str);
	g_string_free(clocks, TRUE);
	return 0;
}

struct sim_metric_rec {
	const char *name;
	uint64_t value;
};

void sim_metric(struct sim *sim, const char *name, uint64_t value)
{
	sim->metrics = g_renew(struct sim_metric_rec, sim->metrics, sim->nr_metrics + 1);
	sim->metrics[sim->nr_metrics++] = (struct sim_metric_rec){name, value};
	trace_line(sim->trace, "metric %s=%" PRIu64, name, value);
	if (sim->on_metric)
		sim->on_metric(sim, name, value, sim->on_metric_arg);
}

bool sim_metric_get(const struct sim *sim, const char *name, uint64_t *value)
{
	for (unsigned i = sim->nr_metrics; i-- > 0;)
		if (!strcmp(sim->metrics[i].name, name)) {
			*value = sim->metrics[i].value;
			return true;
		}
	return false;
}

const char *sim_digest(struct sim *sim)
{
	return trace_digest(sim->trace);
}

const char *sim_trace_text(struct sim *sim, size_t *len)
{
	return trace_text(sim->trace, len);
}
