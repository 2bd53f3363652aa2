// SPDX-License-Identifier: GPL-2.0-only
/*
 * A run's life: create the machine, run every CPU's program under the
 * scheduler, collect findings, and account for it in the trace.
 */
#include "cpu.h"
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
	if (!sim->sched || cpu_memory_create(sim, err, errlen)) {
		sim_destroy(sim);
		return NULL;
	}
	return sim;
}

void sim_destroy(struct sim *sim)
{
	if (!sim)
		return;
	if (sim->scn && sim->scn->teardown && (sim->setup_done || sim->scn_state))
		sim->scn->teardown(sim);
	cpu_memory_destroy(sim);
	sched_destroy(sim->sched);
	trace_free(sim->trace);
	events_free(sim->events);
	pmem_destroy(sim->mem);
	for (unsigned i = 0; i < sim->nr_findings; i++) {
		g_free(sim->findings[i].detail);
		g_free(sim->findings[i].rule);
	}
	g_free(sim->findings);
	g_free(sim->stopping_detail);
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

int sim_run(struct sim *sim, char *err, size_t errlen)
{
	char serr[300];

	sim->trace = trace_recorder(sim->keep_trace);
	trace_header(sim->trace, sim->scn->name, sim->scn->data, &sim->opt, &sim->costs);
	if (sim->scn->setup && sim->scn->setup(sim, serr, sizeof(serr))) {
		snprintf(err, errlen, "%s: %s", sim->scn->name, serr);
		return -1;
	}
	sim->setup_done = true;
	sched_run(sim);
	if (!sim->stopping && sim->hooks.run_end)
		sim->hooks.run_end(sim);
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

void sim_cleanup_push(struct sim_cpu *cpu, void (*fn)(void *arg), void *arg)
{
	g_assert(cpu->ncleanup < SIM_MAX_CLEANUPS);
	cpu->cleanup[cpu->ncleanup++] = (struct sim_cleanup){fn, arg};
}

void sim_cleanup_pop(struct sim_cpu *cpu, void *arg)
{
	g_assert(cpu->ncleanup && cpu->cleanup[cpu->ncleanup - 1].arg == arg);
	cpu->ncleanup--;
}
