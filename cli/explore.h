/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * explore's internals, shared by cli_explore.c (options, in-order
 * processing, the report) and cli_explore_jobs.c (forked workers).
 * Private to cli/.
 */
#ifndef BBMSIM_CLI_EXPLORE_H
#define BBMSIM_CLI_EXPLORE_H

#include "cli.h"

#define CHUNK_MAX 256

/* One schedule's outcome, as a worker sends it (same binary: raw structs). */
struct result_hdr {
	uint64_t k; /* local index: global index = shard + k * nshards */
	uint32_t nfind;
	uint32_t tlen; /* trace text, only when there are findings */
};

struct result {
	struct result_hdr h;
	struct sim_finding *f;
	char *trace;
};

struct reported {
	uint64_t g;
	struct sim_finding f;
	char *path;
};

struct explore {
	const struct scenario *scn;
	struct sim_options opt;
	struct sim_costs costs;
	const char *out;
	uint64_t base, nsched;	 /* schedules this process may run (local) */
	uint64_t total;		 /* schedules of the whole range (global) */
	unsigned shard, nshards; /* shard: 0-based here, 1-based on the command line and in JSON */
	bool keep_going, sharded, time_limited, fibers;
	gint64 deadline; /* monotonic us, or 0 */

	uint64_t done; /* schedules processed, in order */
	bool stop;     /* a finding (or max-findings) ended the exploration */
	GArray *found; /* struct reported, in report order */
	GHashTable *keys;
	GPtrArray *paths; /* traces written */

	/* progress */
	bool tty;
	gint64 start, last_draw;
};

/* Runs schedule @k into @r; false if a signal cut it short. */
bool explore_run_schedule(struct explore *x, uint64_t k, struct result *r);
void explore_result_clear(struct result *r);
/* Takes the next result in schedule order: findings, traces, the stop. */
void explore_process(struct explore *x, struct result *r);
void explore_progress(struct explore *x, bool final);
bool explore_out_of_time(const struct explore *x);
/* Runs the schedules on @jobs forked workers, processing results in order. */
void explore_parallel(struct explore *x, unsigned jobs);

#endif
