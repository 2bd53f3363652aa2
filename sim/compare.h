/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compare: what `bbmsim compare` sets side by side, registered by the
 * layer that owns the alternatives (mm/ registers the vmemmap update
 * strategies and the series' operations), as scenarios register
 * themselves: neither the engine nor the command names a strategy.
 *
 * Contract: one spec says which option picks an alternative, which timed
 * workload measures the operations (each a run metric in ps, over --pages
 * N of the workload's pages), and which scenarios judge every choice. Each
 * choice says what machine it needs and which scenarios show its own
 * hazards (run as they are registered: they force the option themselves).
 * The table's arithmetic is here too, so that tests can check it.
 */
#ifndef BBMSIM_COMPARE_H
#define BBMSIM_COMPARE_H

#include <stdbool.h>
#include <stdint.h>

struct cmp_operation {
	const char *metric; /* the workload's run metric, simulated ps */
	const char *title;  /* at the series' scale: "demote 600 x 1 GiB" */
	/* Pages of the operation per workload page (512 for 2 MiB pages of a 1 GiB one). */
	unsigned unit_pages;
	const char *unit; /* one such page: "1 GiB" */
};

/* A run metric shown as a row (pause rounds, ...): a count, not a time. */
struct cmp_counter {
	const char *metric;
	const char *title;
};

struct cmp_choice {
	const char *name;	    /* a value of the spec's option */
	const char *summary;	    /* one line, for --help and the JSON */
	const char *const *options; /* "name=value" machine options it needs; NULL-terminated */
	const char *const *hazards; /* scenarios showing its hazards; NULL-terminated */
	const struct cmp_counter *counters; /* its own rows, beside the spec's */
	unsigned nr_counters;
	bool baseline;	/* the column the others are relative to */
	unsigned order; /* columns left to right */
};

struct cmp_spec {
	const char *option;    /* the option a choice sets: "strategy" */
	const char *workload;  /* the timed scenario; takes --pages */
	const char *page;      /* one workload page: "1 GiB" */
	unsigned series_pages; /* workload pages at scale 1 */
	unsigned series_cpus;
	const char *const *verdicts; /* scenarios run under every choice; NULL-terminated */
	const struct cmp_operation *ops;
	unsigned nr_ops;
	const struct cmp_counter *counters;
	unsigned nr_counters;
};

/* From constructors (COMPARE_REGISTER_*). A second spec replaces none: it aborts. */
void compare_register_spec(const struct cmp_spec *s);
void compare_register_choice(const struct cmp_choice *c);

#define COMPARE_REGISTER_SPEC(var)                                    \
	static void __attribute__((constructor)) var##_register(void) \
	{                                                             \
		compare_register_spec(&var);                          \
	}
#define COMPARE_REGISTER_CHOICE(var)                                  \
	static void __attribute__((constructor)) var##_register(void) \
	{                                                             \
		compare_register_choice(&var);                        \
	}

/* The spec, or NULL when no layer registered one. */
const struct cmp_spec *compare_spec(void);
/* The registered choices by order, then name; NULL-terminated. */
const struct cmp_choice *const *compare_choices(void);
const struct cmp_choice *compare_choice_find(const char *name);

/* ---- the table's arithmetic ---------------------------------------------------- */

/* Workload pages for a fraction @scale of the series (at least 1). */
unsigned compare_pages(double scale, unsigned series_pages);
/* Seconds of @ps measured on @pages, scaled to @series_pages (the model is linear in pages). */
double compare_scaled_s(uint64_t ps, unsigned pages, unsigned series_pages);
/* Nanoseconds per page of the operation: @pages workload pages of @unit_pages each. */
double compare_per_page_ns(uint64_t ps, unsigned pages, unsigned unit_pages);
/* Percent change of @ps against @base_ps (0 when @base_ps is 0). */
double compare_change_pct(uint64_t ps, uint64_t base_ps);

#endif
