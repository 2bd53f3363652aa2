// SPDX-License-Identifier: GPL-2.0-only
/*
 * Findings: what a run reports, kept (one per kind and place under
 * --keep-going, a bounded number) and written to the trace. Reporting
 * never calls the scheduler: a finding that ends the run marks it stopping
 * and unwinds the reporting CPU (sim_stop_run()), and the scheduler sees
 * the mark at its next hand-off.
 */
#include "cpu.h"
#include "engine.h"
#include "trace.h"

#include <glib.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const finding_names[SIM_NR_FINDINGS] = {
#define SIM_FINDING(id, name, help) [FINDING_##id] = name,
#include "findings.def"
#undef SIM_FINDING
};

const char *finding_name(enum sim_finding_kind k)
{
	return k < SIM_NR_FINDINGS ? finding_names[k] : "?";
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
	/* With a guess outstanding the state may be no real one: not a finding. */
	if (sim->memory && sim->memory->guessing && sim->memory->guessing(sim)) {
		sim_infeasible(sim, "a finding while a promise was unfulfilled");
		return;
	}
	g_hash_table_add(sim->finding_keys, g_memdup2(&key, sizeof(key)));
	va_start(ap, fmt);
	f.detail = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (sim->hooks.describe) {
		/* One line of the layer's view of the CPU (a bounded summary). */
		char more[1024] = "";

		sim->hooks.describe(sim, cpu, more, sizeof(more));
		if (more[0]) {
			char *d = g_strconcat(f.detail, more, NULL);

			g_free(f.detail);
			f.detail = d;
		}
	}
	f.rule = g_strdup(rule ? rule : "");

	sim->findings = g_renew(struct sim_finding, sim->findings, sim->nr_findings + 1);
	sim->findings[sim->nr_findings++] = f;
	add_finding_line(sim, &f);
	if (!sim_opt_bool(&sim->opt, OPT_keep_going))
		sim_stop_run(sim);
}

void sim_infeasible(struct sim *sim, const char *why)
{
	if (sim->stopping)
		return;
	sim->infeasible = why;
	trace_line(sim->trace, "infeasible %s", why);
	sim_stop_run(sim);
}

/* ---- what a deadlock report says of each CPU ---- */

const char *sim_cpu_state_name(enum cpu_state st)
{
	switch (st) {
	case CPU_IDLE:
		return "not started";
	case CPU_RUNNABLE:
		return "runnable";
	case CPU_WAITING:
		return "waiting";
	case CPU_FINISHED:
	default:
		return "finished";
	}
}

char *findings_describe_cpus(struct sim *sim)
{
	GString *s = g_string_new(NULL);

	/* Every CPU, however many: the one that explains a deadlock may be the last. */
	for (unsigned i = 0; i < sim->ncpus; i++) {
		struct sim_cpu *c = &sim->cpus[i];

		if (c->state == CPU_WAITING)
			g_string_append_printf(s, "%scpu%u waiting for %s (pa %#" PRIx64 ")",
					       i ? "; " : "", i, c->wait_what, c->wait_pa);
		else
			g_string_append_printf(s, "%scpu%u %s", i ? "; " : "", i,
					       sim_cpu_state_name(c->state));
	}
	return g_string_free(s, FALSE);
}
