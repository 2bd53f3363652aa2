// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the trace parser, the header's rebuild of options and
 * costs, and the replay cursor (strict and lenient) over whatever parsed.
 */
#include "sim/trace.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sim_options opt;
	struct sim_costs costs;
	char err[300];
	struct trace *t = trace_parse((const char *)data, size, err, sizeof(err));

	if (!t)
		return 0;
	(void)trace_scenario(t);
	(void)trace_findings(t);
	(void)trace_config(t, &opt, &costs, err, sizeof(err));
	/* Walk the decisions as a replay would, asking for every kind in turn. */
	trace_set_lenient(t, size & 1);
	for (unsigned i = 0; i < 4096 && trace_remaining(t); i++) {
		unsigned cpu;
		uint32_t v;

		if (i % 3 == 0) {
			if (trace_next_cpu(t, i, &cpu, err, sizeof(err)) < 0)
				break;
		} else if (trace_next_decision(t, i,
					       (enum sim_decision)(1 + i % (SIM_NR_DECISIONS - 1)),
					       1 + i % 7, &v, err, sizeof(err)) < 0) {
			break;
		}
	}
	trace_free(t);
	return 0;
}
