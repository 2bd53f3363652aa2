/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * trace: the record of a run, and its replay.
 *
 * Contract: a trace is versioned, line-oriented text. The header names the
 * format and tool version, the scenario, the seed, the strategy, every option
 * and every non-default cost, so that a replay rebuilds the same machine.
 * The body holds one decision per line ("cpu ID COUNT" run-length codes the
 * scheduler's choices; "KIND VALUE" a hardware choice), then the findings and
 * an "end" line. The digest is the sha256 of the whole text; two runs agree
 * iff their digests do.
 */
#ifndef BBMSIM_TRACE_H
#define BBMSIM_TRACE_H

#include "sim.h"

#define TRACE_FORMAT 1

struct trace;

/* A recorder; @keep: also keep the text (else only the digest). */
struct trace *trace_recorder(bool keep);
void trace_free(struct trace *t);

/* @data: the scenario's own data (struct scenario.data) or NULL. */
void trace_header(struct trace *t, const char *scenario, const char *data,
		  const struct sim_options *opt, const struct sim_costs *costs);
void trace_cpu(struct trace *t, unsigned cpu);
void trace_decision(struct trace *t, enum sim_decision kind, uint32_t value);
/* A free-form body line (findings, end); flushes the pending run-length code. */
void trace_line(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *trace_digest(struct trace *t);
const char *trace_text(struct trace *t, size_t *len);

/* Parses a recorded trace; NULL with @err ("trace line N: ...") on bad input. */
struct trace *trace_parse(const char *text, size_t len, char *err, size_t errlen);
struct trace *trace_load(const char *path, char *err, size_t errlen);
const char *trace_scenario(const struct trace *t);
/* The scenario data the header recorded ("scenario-data" lines, hex), or NULL. */
const char *trace_scenario_data(const struct trace *t);
/* Options, seed, strategy and costs of the recorded run; -1 with @err on mismatch. */
int trace_config(const struct trace *t, struct sim_options *opt, struct sim_costs *costs, char *err,
		 size_t errlen);
/* Lines "finding ..." the recorded run ended with, joined by '\n'. */
const char *trace_findings(const struct trace *t);
/* The recorded "end steps=... findings=... more=... clocks=..." line (no newline). */
const char *trace_end(const struct trace *t);

/*
 * Replay: the next scheduler choice / hardware decision. -1 with @err set
 * ("diverged at step N: ...") when the trace holds something else; in
 * lenient mode 1 instead (take the default).
 */
int trace_next_cpu(struct trace *t, uint64_t step, unsigned *cpu, char *err, size_t errlen);
int trace_next_decision(struct trace *t, uint64_t step, enum sim_decision kind, uint32_t n,
			uint32_t *value, char *err, size_t errlen);
/* Decisions left unconsumed at the end of a replay. */
size_t trace_remaining(const struct trace *t);

/*
 * Lenient replay, for the shrinker: where the trace runs out, holds another
 * kind, or names a CPU that cannot run, the next_*() calls return 1 instead
 * of diverging and the scheduler takes a deterministic default (the lowest
 * runnable CPU, value 0); unused decisions are not an error. The run is
 * recorded as usual, so its own trace replays strictly. Off by default.
 */
void trace_set_lenient(struct trace *t, bool on);
bool trace_lenient(const struct trace *t);

#endif
