// SPDX-License-Identifier: GPL-2.0-only
/*
 * Options: parsing, validation and their canonical text form (which the
 * trace header is made of). The cost table is sim/costs.c.
 */
#include "sim.h"

#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- options: the registry ------------------------------------------------------ */

#define SIM_OPT_UINT SIM_OPT_ID_DEFINE
#define SIM_OPT_BOOL SIM_OPT_ID_DEFINE
#define SIM_OPT_STR  SIM_OPT_ID_DEFINE
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR

static const struct sim_option_def engine_options[] = {
#define SIM_OPT_UINT SIM_OPT_UINT_ENTRY
#define SIM_OPT_BOOL SIM_OPT_BOOL_ENTRY
#define SIM_OPT_STR  SIM_OPT_STR_ENTRY
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR
};
SIM_OPTIONS_REGISTER(engine_options, 0)

/* By id: ordered by level, then as each layer's table lists them. */
static struct {
	const struct sim_option_def *def;
	unsigned level;
} opts[SIM_MAX_OPTS];
static unsigned nr_opts;

void options_register(const struct sim_option_def *defs, unsigned n, unsigned level)
{
	unsigned at = 0;

	if (nr_opts + n > SIM_MAX_OPTS) {
		fprintf(stderr, "bbmsim: more than %d options registered\n", SIM_MAX_OPTS);
		abort();
	}
	while (at < nr_opts && opts[at].level <= level)
		at++;
	memmove(&opts[at + n], &opts[at], (nr_opts - at) * sizeof(opts[0]));
	for (unsigned i = 0; i < n; i++) {
		opts[at + i].def = &defs[i];
		opts[at + i].level = level;
	}
	nr_opts += n;
	for (unsigned i = 0; i < nr_opts; i++)
		*opts[i].def->id = i;
}

unsigned sim_options_count(void)
{
	return nr_opts;
}

const struct sim_option_def *sim_option_def(unsigned id)
{
	return id < nr_opts ? opts[id].def : NULL;
}

void sim_options_default(struct sim_options *o)
{
	memset(o, 0, sizeof(*o));
	for (unsigned i = 0; i < nr_opts; i++) {
		const struct sim_option_def *d = opts[i].def;

		if (d->type == SIM_OPT_T_UINT)
			o->v[i].u = d->def;
		else if (d->type == SIM_OPT_T_BOOL)
			o->v[i].b = d->def;
		else
			g_strlcpy(o->v[i].s, d->sdef, sizeof(o->v[i].s));
	}
	o->seed = 1;
	g_strlcpy(o->sched, "random", sizeof(o->sched));
}

void sim_opt_set_str(struct sim_options *o, unsigned id, const char *v)
{
	g_strlcpy(o->v[id].s, v, sizeof(o->v[id].s));
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
	for (unsigned i = 0; i < nr_opts; i++) {
		const struct sim_option_def *d = opts[i].def;

		if (!name_is(name, d->name))
			continue;
		switch (d->type) {
		case SIM_OPT_T_UINT:
			if (parse_u64(value, &v))
				goto bad;
			if (v < d->lo || v > d->hi) {
				snprintf(err, errlen, "--%s: %s is out of range [%u, %u]", name,
					 value, d->lo, d->hi);
				return -1;
			}
			o->v[i].u = (uint32_t)v;
			return 0;
		case SIM_OPT_T_BOOL:
			if (parse_bool(value, &b))
				goto bad;
			o->v[i].b = b;
			return 0;
		case SIM_OPT_T_STR:
		default:
			if (strlen(value) >= sizeof(o->v[i].s) || !*value)
				goto bad;
			g_strlcpy(o->v[i].s, value, sizeof(o->v[i].s));
			return 0;
		}
	}
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

	for (unsigned i = 0; i < nr_opts; i++) {
		const struct sim_option_def *d = opts[i].def;

		if (d->type == SIM_OPT_T_UINT) {
			snprintf(buf, sizeof(buf), "%u", o->v[i].u);
			fn(d->name, buf, arg);
		} else if (d->type == SIM_OPT_T_BOOL) {
			fn(d->name, o->v[i].b ? "1" : "0", arg);
		} else {
			fn(d->name, o->v[i].s, arg);
		}
	}
}
