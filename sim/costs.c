// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cost table: built from what each layer registers (its costs.def),
 * ordered by layer so that its text form, and the digest made of it, do
 * not depend on the link order; parsing of --costs files.
 */
#include "sim.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The engine's own costs. */
#define SIM_COST SIM_COST_DEFINE
#include "costs.def"
#undef SIM_COST

static const struct sim_cost_def engine_costs[] = {
#define SIM_COST SIM_COST_ENTRY
#include "costs.def"
#undef SIM_COST
};
SIM_COSTS_REGISTER(engine_costs, 0)

static struct {
	const struct sim_cost_def *def;
	unsigned level;
} table[SIM_MAX_COSTS];
static unsigned nr_costs;

/*
 * Constructors run one at a time before main(), in link order: insert
 * each entry after those of its level and below, and renumber the ids
 * that moved.
 */
void costs_register(const struct sim_cost_def *defs, unsigned n, unsigned level)
{
	for (unsigned k = 0; k < n; k++) {
		unsigned at = nr_costs;

		if (nr_costs == SIM_MAX_COSTS || costs_find(defs[k].name) >= 0) {
			fprintf(stderr, "bbmsim: cost '%s' registered twice or past %d costs\n",
				defs[k].name, SIM_MAX_COSTS);
			abort();
		}
		while (at && table[at - 1].level > level)
			at--;
		memmove(&table[at + 1], &table[at], (nr_costs - at) * sizeof(table[0]));
		table[at].def = &defs[k];
		table[at].level = level;
		nr_costs++;
		for (unsigned i = at; i < nr_costs; i++)
			*table[i].def->id = i;
	}
}

unsigned costs_count(void)
{
	return nr_costs;
}

const struct sim_cost_def *costs_def(unsigned id)
{
	return id < nr_costs ? table[id].def : NULL;
}

int costs_find(const char *name)
{
	for (unsigned i = 0; i < nr_costs; i++)
		if (!strcmp(table[i].def->name, name))
			return (int)i;
	return -1;
}

const char *costs_name(unsigned id)
{
	return table[id].def->name;
}

const char *costs_help(unsigned id)
{
	return table[id].def->help;
}

const char *costs_basis_name(enum cost_basis b)
{
	static const char *const names[] = {
		[COST_BASIS_CITED] = "cited",
		[COST_BASIS_CALIBRATED] = "calibrated",
		[COST_BASIS_ESTIMATE] = "estimate",
	};

	return names[b];
}

void costs_update_digest(struct sim_costs *c)
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	char line[96];

	for (unsigned i = 0; i < nr_costs; i++) {
		int n = snprintf(line, sizeof(line), "%s=%" PRIu64 "\n", table[i].def->name,
				 c->ps[i]);
		g_checksum_update(ck, (const guchar *)line, n);
	}
	g_strlcpy(c->digest, g_checksum_get_string(ck), sizeof(c->digest));
	g_checksum_free(ck);
}

void costs_default(struct sim_costs *c)
{
	memset(c->ps, 0, sizeof(c->ps));
	for (unsigned i = 0; i < nr_costs; i++)
		c->ps[i] = table[i].def->def;
	costs_update_digest(c);
}

/* "12", "12.5", "0.001": nanoseconds with up to three decimals, to ps. */
static int parse_ns(const char *s, uint64_t *ps)
{
	uint64_t whole = 0, frac = 0;
	int digits = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (whole > UINT64_MAX / 10000)
			return -1;
		whole = whole * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++, digits++) {
			if (digits == 3)
				return -1;
			frac = frac * 10 + (uint64_t)(*s - '0');
		}
		if (!digits)
			return -1;
	}
	if (*s)
		return -1;
	for (; digits < 3; digits++)
		frac *= 10;
	*ps = whole * 1000 + frac;
	return 0;
}

/* One "name = ns" line (comment stripped) into @c; -1 with @err set. */
static int parse_line(struct sim_costs *c, char *line, unsigned lineno, char *err, size_t errlen)
{
	char *s = g_strstrip(line);

	if (!*s)
		return 0;
	char *eq = strchr(s, '=');
	if (!eq) {
		snprintf(err, errlen, "costs line %u: expected 'name = nanoseconds'", lineno);
		return -1;
	}
	*eq = 0;
	char *key = g_strstrip(s), *val = g_strstrip(eq + 1);
	int id = costs_find(key);
	if (id < 0) {
		size_t kl = strlen(key);
		char *bare = NULL;

		/* compare --json names them with their unit: dsb_ns. */
		if (kl > 3 && !strcmp(key + kl - 3, "_ns")) {
			bare = g_strndup(key, kl - 3);
			id = costs_find(bare);
			g_free(bare);
		}
		if (id >= 0)
			snprintf(
				err, errlen,
				"costs line %u: unknown cost '%.60s': cost files name it '%s' (the "
				"JSON's name without _ns), in nanoseconds",
				lineno, key, costs_def((unsigned)id)->name);
		else
			snprintf(err, errlen,
				 "costs line %u: unknown cost '%.60s' (docs/costs.md "
				 "lists the names)",
				 lineno, key);
		return -1;
	}
	uint64_t ps;
	if (parse_ns(val, &ps)) {
		snprintf(err, errlen, "costs line %u: '%.60s' is not a duration in ns", lineno,
			 val);
		return -1;
	}
	/* The clocks' guard (sim_yield) assumes no cost above 1 s. */
	if (ps > COSTS_MAX_PS) {
		snprintf(err, errlen,
			 "costs line %u: %s = %.60s ns is out of range [0, 1000000000] ns (1 s: "
			 "larger costs could overflow the 64-bit picosecond clocks)",
			 lineno, key, val);
		return -1;
	}
	c->ps[id] = ps;
	return 0;
}

int costs_parse(struct sim_costs *c, const char *text, size_t len, char *err, size_t errlen)
{
	unsigned lineno = 0;
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[256];

		lineno++;
		if (n >= sizeof(line)) {
			snprintf(err, errlen, "costs line %u: too long", lineno);
			return -1;
		}
		memcpy(line, p, n);
		line[n] = 0;
		p += n + (nl ? 1 : 0);
		if (memchr(line, 0, n)) {
			snprintf(err, errlen, "costs line %u: binary data", lineno);
			return -1;
		}
		char *hash = strchr(line, '#');
		if (hash)
			*hash = 0;
		if (parse_line(c, line, lineno, err, errlen))
			return -1;
	}
	costs_update_digest(c);
	return 0;
}

int costs_load(struct sim_costs *c, const char *path, char *err, size_t errlen)
{
	gchar *text;
	gsize len;
	GError *e = NULL;

	if (!g_file_get_contents(path, &text, &len, &e)) {
		snprintf(err, errlen, "--costs %s: %s", path, e->message);
		g_error_free(e);
		return -1;
	}
	int r = costs_parse(c, text, len, err, errlen);
	g_free(text);
	return r;
}
