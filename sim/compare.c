// SPDX-License-Identifier: GPL-2.0-only
/*
 * The registry behind `bbmsim compare` and the arithmetic of its table.
 */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHOICES 16

static const struct cmp_spec *spec;
static const struct cmp_choice *choices[MAX_CHOICES + 1];
static unsigned nr_choices;

void compare_register_spec(const struct cmp_spec *s)
{
	if (spec) {
		fprintf(stderr, "bbmsim: a second compare spec (%s) registered\n", s->workload);
		abort();
	}
	spec = s;
}

static bool before(const struct cmp_choice *a, const struct cmp_choice *b)
{
	return a->order != b->order ? a->order < b->order : strcmp(a->name, b->name) < 0;
}

/* Kept sorted as they come, so that the link order does not matter. */
void compare_register_choice(const struct cmp_choice *c)
{
	unsigned at = nr_choices;

	if (nr_choices == MAX_CHOICES || compare_choice_find(c->name)) {
		fprintf(stderr, "bbmsim: compare choice '%s' registered twice or past %d\n",
			c->name, MAX_CHOICES);
		abort();
	}
	while (at && before(c, choices[at - 1])) {
		choices[at] = choices[at - 1];
		at--;
	}
	choices[at] = c;
	choices[++nr_choices] = NULL;
}

const struct cmp_spec *compare_spec(void)
{
	return spec;
}

const struct cmp_choice *const *compare_choices(void)
{
	return choices;
}

const struct cmp_choice *compare_choice_find(const char *name)
{
	for (unsigned i = 0; i < nr_choices; i++)
		if (!strcmp(choices[i]->name, name))
			return choices[i];
	return NULL;
}

unsigned compare_pages(double scale, unsigned series_pages)
{
	long n = lround(series_pages * scale);

	return n < 1 ? 1 : (unsigned)n;
}

double compare_scaled_s(uint64_t ps, unsigned pages, unsigned series_pages)
{
	return (double)ps / 1e12 * series_pages / pages;
}

double compare_per_page_ns(uint64_t ps, unsigned pages, unsigned unit_pages)
{
	return (double)ps / 1e3 / ((double)pages * unit_pages);
}

double compare_change_pct(uint64_t ps, uint64_t base_ps)
{
	return base_ps ? 100.0 * ((double)ps / (double)base_ps - 1) : 0;
}
