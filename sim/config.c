// SPDX-License-Identifier: GPL-2.0-only
/*
 * Options and the cost table: parsing, validation and their canonical text
 * form (which the trace header and the cost digest are made of).
 */
#include "sim.h"

#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- options ---------------------------------------------------------------- */

void sim_options_default(struct sim_options *o)
{
	memset(o, 0, sizeof(*o));
#define SIM_OPT_UINT(n, d, lo, hi, h) o->n = (d);
#define SIM_OPT_BOOL(n, d, h)	      o->n = (d);
#define SIM_OPT_STR(n, d, h)	      g_strlcpy(o->n, (d), sizeof(o->n));
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR
	o->seed = 1;
	g_strlcpy(o->sched, "random", sizeof(o->sched));
}

/* Strict unsigned parse: digits only, no sign, no overflow. */
static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	if (!s || !*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "1") || !strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on"))
		*out = true;
	else if (!strcmp(s, "0") || !strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off"))
		*out = false;
	else
		return -1;
	return 0;
}

static bool name_is(const char *given, const char *name)
{
	for (; *given && *name; given++, name++) {
		char g = *given == '-' ? '_' : *given;

		if (g != *name)
			return false;
	}
	return !*given && !*name;
}

int sim_options_set(struct sim_options *o, const char *name, const char *value, char *err,
		    size_t errlen)
{
	uint64_t v;
	bool b;

	if (name_is(name, "seed")) {
		if (parse_u64(value, &o->seed))
			goto bad;
		return 0;
	}
	if (name_is(name, "sched")) {
		if (strcmp(value, "timed") && strcmp(value, "random") && strcmp(value, "pct") &&
		    strcmp(value, "replay") && strcmp(value, "explore")) {
			if (strncmp(value, "pct:", 4) || parse_u64(value + 4, &v) || v < 1 ||
			    v > 64) {
				snprintf(err, errlen,
					 "--sched: '%s' is not timed, random, pct or pct:D (1 <= D "
					 "<= 64)",
					 value);
				return -1;
			}
		}
		g_strlcpy(o->sched, value, sizeof(o->sched));
		return 0;
	}
#define SIM_OPT_UINT(n, d, lo, hi, h)                                                           \
	if (name_is(name, #n)) {                                                                \
		if (parse_u64(value, &v))                                                       \
			goto bad;                                                               \
		if (v + 1 < (uint64_t)(lo) + 1 || v > (hi)) {                                   \
			snprintf(err, errlen, "--%s: %s is out of range [%u, %u]", name, value, \
				 (unsigned)(lo), (unsigned)(hi));                               \
			return -1;                                                              \
		}                                                                               \
		o->n = (uint32_t)v;                                                             \
		return 0;                                                                       \
	}
#define SIM_OPT_BOOL(n, d, h)              \
	if (name_is(name, #n)) {           \
		if (parse_bool(value, &b)) \
			goto bad;          \
		o->n = b;                  \
		return 0;                  \
	}
#define SIM_OPT_STR(n, d, h)                                  \
	if (name_is(name, #n)) {                              \
		if (strlen(value) >= sizeof(o->n) || !*value) \
			goto bad;                             \
		g_strlcpy(o->n, value, sizeof(o->n));         \
		return 0;                                     \
	}
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR
	snprintf(err, errlen, "unknown option '%s'", name);
	return -1;
bad:
	snprintf(err, errlen, "--%s: bad value '%s'", name, value);
	return -1;
}

void sim_options_foreach(const struct sim_options *o,
			 void (*fn)(const char *name, const char *value, void *arg), void *arg)
{
	char buf[32];

#define SIM_OPT_UINT(n, d, lo, hi, h)           \
	snprintf(buf, sizeof(buf), "%u", o->n); \
	fn(#n, buf, arg);
#define SIM_OPT_BOOL(n, d, h) fn(#n, o->n ? "1" : "0", arg);
#define SIM_OPT_STR(n, d, h)  fn(#n, o->n, arg);
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR
}

/* ---- costs -------------------------------------------------------------------- */

static const struct {
	const char *name, *help;
	uint64_t def;
} cost_defs[SIM_NR_COSTS] = {
#define SIM_COST(n, d, h) [COST_##n] = {#n, h, d},
#include "costs.def"
#undef SIM_COST
};

const char *costs_name(enum sim_cost id)
{
	return cost_defs[id].name;
}

const char *costs_help(enum sim_cost id)
{
	return cost_defs[id].help;
}

static void costs_update_digest(struct sim_costs *c)
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
	char line[96];

	for (int i = 0; i < SIM_NR_COSTS; i++) {
		int n = snprintf(line, sizeof(line), "%s=%" PRIu64 "\n", cost_defs[i].name,
				 c->ps[i]);
		g_checksum_update(ck, (const guchar *)line, n);
	}
	g_strlcpy(c->digest, g_checksum_get_string(ck), sizeof(c->digest));
	g_checksum_free(ck);
}

void costs_default(struct sim_costs *c)
{
	for (int i = 0; i < SIM_NR_COSTS; i++)
		c->ps[i] = cost_defs[i].def;
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
		char *s = g_strstrip(line);
		if (!*s)
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "costs line %u: expected 'name = nanoseconds'",
				 lineno);
			return -1;
		}
		*eq = 0;
		char *key = g_strstrip(s), *val = g_strstrip(eq + 1);
		int id = -1;
		for (int i = 0; i < SIM_NR_COSTS; i++)
			if (!strcmp(key, cost_defs[i].name))
				id = i;
		if (id < 0) {
			snprintf(err, errlen, "costs line %u: unknown cost '%.60s'", lineno, key);
			return -1;
		}
		uint64_t ps;
		if (parse_ns(val, &ps) || ps > 1000000000000000ull) {
			snprintf(err, errlen, "costs line %u: '%.60s' is not a duration in ns",
				 lineno, val);
			return -1;
		}
		c->ps[id] = ps;
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
