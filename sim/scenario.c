// SPDX-License-Identifier: GPL-2.0-only
/* The scenario registry: filled by constructors, listed sorted by name. */
#include "scenario.h"

#include <stdio.h>
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

#define MAX_FACTORIES 8

static struct {
	const char *prefix;
	scenario_factory_fn fn;
} factories[MAX_FACTORIES];
static unsigned nfactories;

void scenario_register_factory(const char *prefix, scenario_factory_fn fn)
{
	if (nfactories == MAX_FACTORIES)
		abort();
	factories[nfactories].prefix = prefix;
	factories[nfactories++].fn = fn;
}

const struct scenario *scenario_find_data(const char *name, const char *data, char *err,
					  size_t errlen)
{
	const struct scenario *s = scenario_find(name);

	if (s)
		return s;
	for (unsigned i = 0; i < nfactories; i++)
		if (!strncmp(name, factories[i].prefix, strlen(factories[i].prefix))) {
			if (!data) {
				snprintf(err, errlen, "scenario '%s': the trace holds no data to build it from", name);
				return NULL;
			}
			return factories[i].fn(name, data, err, errlen);
		}
	snprintf(err, errlen, "scenario '%s' is not in this bbmsim", name);
	return NULL;
}
