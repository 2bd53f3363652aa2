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

/*
 * Scenarios a factory built, kept for the life of the process (the contract):
 * the same name and data give the same scenario, built once.
 */
struct built {
	struct built *next;
	char *name, *data;
	const struct scenario *scn;
};
static struct built *built;

static const struct scenario *built_find_or_make(unsigned f, const char *name, const char *data,
						 char *err, size_t errlen)
{
	struct built *b;

	for (b = built; b; b = b->next)
		if (!strcmp(b->name, name) && !strcmp(b->data, data))
			return b->scn;
	const struct scenario *scn = factories[f].fn(name, data, err, errlen);
	if (!scn)
		return NULL;
	b = calloc(1, sizeof(*b));
	if (!b || !(b->name = strdup(name)) || !(b->data = strdup(data))) {
		fprintf(stderr, "bbmsim: out of memory\n");
		abort();
	}
	b->scn = scn;
	b->next = built;
	built = b;
	return scn;
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
				snprintf(err, errlen,
					 "scenario '%s': the trace holds no data to build it from",
					 name);
				return NULL;
			}
			return built_find_or_make(i, name, data, err, errlen);
		}
	snprintf(err, errlen, "scenario '%s' is not in this bbmsim", name);
	return NULL;
}
