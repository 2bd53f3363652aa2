// SPDX-License-Identifier: GPL-2.0-only
/* The scenario registry: filled by constructors, listed sorted by name. */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>

#define MAX_SCENARIOS 256

static const struct scenario *table[MAX_SCENARIOS + 1];
static unsigned count;

void scenario_register(const struct scenario *s)
{
	unsigned i;

	if (count == MAX_SCENARIOS)
		abort();
	/* Insertion keeps the table sorted whatever order constructors ran in. */
	for (i = count; i > 0 && strcmp(table[i - 1]->name, s->name) > 0; i--)
		table[i] = table[i - 1];
	table[i] = s;
	count++;
}

const struct scenario *const *scenario_all(void)
{
	return table;
}

const struct scenario *scenario_find(const char *name)
{
	for (unsigned i = 0; i < count; i++)
		if (!strcmp(table[i]->name, name))
			return table[i];
	return NULL;
}
