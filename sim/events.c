// SPDX-License-Identifier: GPL-2.0-only
/*
 * The event log behind --perfetto: Chrome trace-event JSON, one track per
 * CPU, timestamps in simulated microseconds.
 */
#include "engine.h"
#include "json.h"
#include "scenario.h"
#include "trace.h"

#include <glib.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

struct event {
	const char *name; /* static strings only */
	char *detail;	  /* args.detail, or NULL */
	uint64_t ts, dur; /* ps */
	uint64_t id;	  /* flows: which arrow */
	int cpu;
	char ph; /* X span, i instant, B/E begin/end, s/f flow start/end */
};

struct sim_events {
	GArray *ev;
};

void sim_enable_events(struct sim *sim)
{
	if (!sim->events) {
		sim->events = g_new0(struct sim_events, 1);
		sim->events->ev = g_array_new(FALSE, FALSE, sizeof(struct event));
	}
}

void events_free(struct sim_events *e)
{
	if (!e)
		return;
	for (unsigned i = 0; i < e->ev->len; i++)
		g_free(g_array_index(e->ev, struct event, i).detail);
	g_array_free(e->ev, TRUE);
	g_free(e);
}

static void add(struct sim *sim, struct event e)
{
	g_array_append_val(sim->events->ev, e);
}

void events_add(struct sim *sim, int cpu, const char *name, uint64_t ts, uint64_t dur, char ph)
{
	add(sim, (struct event){.name = name, .ts = ts, .dur = dur, .cpu = cpu, .ph = ph});
}

void sim_span(struct sim_cpu *cpu, const char *name, uint64_t start)
{
	if (cpu->sim->events)
		events_add(cpu->sim, (int)cpu->id, name, start, cpu->clock - start, 'X');
}

void sim_instant(struct sim_cpu *cpu, const char *name)
{
	if (cpu->sim->events)
		events_add(cpu->sim, (int)cpu->id, name, cpu->clock, 0, 'i');
}

void sim_span_detail(struct sim_cpu *cpu, const char *name, uint64_t start, const char *fmt, ...)
{
	va_list ap;

	if (!cpu->sim->events)
		return;
	va_start(ap, fmt);
	add(cpu->sim, (struct event){.name = name,
				     .detail = g_strdup_vprintf(fmt, ap),
				     .ts = start,
				     .dur = cpu->clock - start,
				     .cpu = (int)cpu->id,
				     .ph = 'X'});
	va_end(ap);
}

void sim_instant_detail(struct sim_cpu *cpu, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (!cpu->sim->events)
		return;
	va_start(ap, fmt);
	add(cpu->sim, (struct event){.name = name,
				     .detail = g_strdup_vprintf(fmt, ap),
				     .ts = cpu->clock,
				     .cpu = (int)cpu->id,
				     .ph = 'i'});
	va_end(ap);
}

void sim_flow(struct sim *sim, unsigned cpu, uint64_t ts, const char *name, uint64_t id, bool head)
{
	if (sim->events)
		add(sim, (struct event){.name = name,
					.ts = ts,
					.id = id,
					.cpu = (int)cpu,
					.ph = head ? 'f' : 's'});
}

/* ps as microseconds with picosecond precision, without floating point. */
static void append_us(GString *s, uint64_t ps)
{
	g_string_append_printf(s, "%" PRIu64 ".%06" PRIu64, ps / 1000000, ps % 1000000);
}

char *sim_perfetto_json(struct sim *sim, size_t *len)
{
	GString *s = g_string_new("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"scenario\":");

	json_str(s, sim->scn->name);
	g_string_append_printf(s, ",\"seed\":%" PRIu64 ",\"digest\":\"%s\"},\"traceEvents\":[\n",
			       sim->opt.seed, trace_digest(sim->trace));
	g_string_append(s, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":0,\"args\":{\"name\":");
	json_str(s, sim->scn->name);
	g_string_append(s, "}}");
	for (unsigned i = 0; i < sim->ncpus; i++)
		g_string_append_printf(
			s,
			",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":0,\"tid\":%u,"
			"\"args\":{\"name\":\"cpu%u\"}}",
			i, i);
	/* B slices still open when the run ended (a CPU waiting at a finding). */
	int *open = g_new0(int, sim->ncpus);
	uint64_t last = 0;
	for (unsigned i = 0; i < sim->ncpus; i++)
		last = MAX(last, sim->cpus[i].clock);
	if (sim->events) {
		for (unsigned i = 0; i < sim->events->ev->len; i++) {
			struct event *e = &g_array_index(sim->events->ev, struct event, i);

			g_string_append(s, ",\n{\"name\":");
			json_str(s, e->name);
			g_string_append_printf(s,
					       ",\"ph\":\"%c\",\"pid\":0,\"tid\":%d,\"ts\":", e->ph,
					       e->cpu < 0 ? 0 : e->cpu);
			append_us(s, e->ts);
			if (e->ph == 'X') {
				g_string_append(s, ",\"dur\":");
				append_us(s, e->dur);
			}
			if (e->ph == 'i')
				g_string_append(s, ",\"s\":\"t\"");
			/* Flow (v1): the arrow binds to the slice around it at each end. */
			if (e->ph == 's' || e->ph == 'f')
				g_string_append_printf(
					s, ",\"cat\":\"flow\",\"id\":\"%#" PRIx64 "\"%s", e->id,
					e->ph == 'f' ? ",\"bp\":\"e\"" : "");
			if (e->detail) {
				g_string_append(s, ",\"args\":{\"detail\":");
				json_str(s, e->detail);
				g_string_append_c(s, '}');
			}
			g_string_append_c(s, '}');
			if (e->cpu >= 0 && (unsigned)e->cpu < sim->ncpus)
				open[e->cpu] += e->ph == 'B' ? 1 : e->ph == 'E' ? -1 : 0;
		}
	}
	for (unsigned i = 0; i < sim->ncpus; i++)
		for (; open[i] > 0; open[i]--) {
			g_string_append_printf(s,
					       ",\n{\"ph\":\"E\",\"pid\":0,\"tid\":%u,\"ts\":", i);
			append_us(s, MAX(last, sim->cpus[i].clock));
			g_string_append(
				s, ",\"args\":{\"detail\":\"still waiting when the run ended\"}}");
		}
	g_free(open);
	for (unsigned i = 0; i < sim->nr_findings; i++) {
		struct sim_finding *f = &sim->findings[i];

		g_string_append(s, ",\n{\"name\":");
		json_str(s, finding_name(f->kind));
		g_string_append_printf(s, ",\"ph\":\"i\",\"s\":\"g\",\"pid\":0,\"tid\":%d,\"ts\":",
				       f->cpu < 0 ? 0 : f->cpu);
		append_us(s, f->clock);
		g_string_append(s, ",\"args\":{\"detail\":");
		json_str(s, f->detail);
		g_string_append(s, ",\"rule\":");
		json_str(s, f->rule);
		g_string_append(s, "}}");
	}
	g_string_append(s, "\n]}\n");
	*len = s->len;
	return g_string_free(s, FALSE);
}
