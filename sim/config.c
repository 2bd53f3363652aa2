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
