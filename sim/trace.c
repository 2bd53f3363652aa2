// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trace recording, parsing and replay. See trace.h for the format.
 */
#include "trace.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The trace names each kind of decision it records. */
static const char *const decision_names[SIM_NR_DECISIONS] = {
#define SIM_DECISION(id, name) [DECIDE_##id] = name,
#include "decisions.def"
#undef SIM_DECISION
};

const char *decision_name(enum sim_decision d)
{
	return d < SIM_NR_DECISIONS ? decision_names[d] : "?";
}

enum entry_kind { ENT_CPU, ENT_DECISION };

struct entry {
	enum entry_kind kind;
	enum sim_decision decision; /* ENT_DECISION */
	uint32_t value;		    /* cpu id, or the decision's value */
	uint64_t count;		    /* ENT_CPU: how many choices in a row */
	unsigned line;
};

struct trace {
	/* recording */
	GString *text;
	GChecksum *ck;
	/* Lines go to the checksum and the text a few KiB at a time. */
	char out[8192];
	size_t nout;
	char digest[65];
	int rle_cpu;
	uint64_t rle_count;

	/* parsed */
	char *scenario;
	GString *data; /* scenario-data, decoded */
	uint64_t seed;
	char sched[16];
	GPtrArray *options; /* "name=value" */
	GPtrArray *costs;   /* "name=ps" */
	char costs_digest[65];
	GString *findings;
	char *end; /* the "end ..." line, without its newline */
	struct entry *ents;
	size_t nents, pos;
	uint64_t left; /* choices left in ents[pos] when it is ENT_CPU */
	bool lenient;  /* see trace_set_lenient() */
};

/* ---- recording ------------------------------------------------------------- */

struct trace *trace_recorder(bool keep)
{
	struct trace *t = g_new0(struct trace, 1);

	if (keep)
		t->text = g_string_sized_new(4096);
	t->ck = g_checksum_new(G_CHECKSUM_SHA256);
	t->rle_cpu = -1;
	return t;
}

void trace_free(struct trace *t)
{
	if (!t)
		return;
	if (t->text)
		g_string_free(t->text, TRUE);
	if (t->ck)
		g_checksum_free(t->ck);
	g_free(t->scenario);
	if (t->data)
		g_string_free(t->data, TRUE);
	if (t->options)
		g_ptr_array_free(t->options, TRUE);
	if (t->costs)
		g_ptr_array_free(t->costs, TRUE);
	if (t->findings)
		g_string_free(t->findings, TRUE);
	g_free(t->end);
	g_free(t->ents);
	g_free(t);
}

/* Where the trace's bytes end up: the digest, and the text if it is kept. */
static void sink(struct trace *t, const char *p, size_t n)
{
	g_checksum_update(t->ck, (const guchar *)p, n);
	if (t->text)
		g_string_append_len(t->text, p, n);
}

static void out_flush(struct trace *t)
{
	sink(t, t->out, t->nout);
	t->nout = 0;
}

static void emit(struct trace *t, const char *line, size_t n)
{
	if (t->nout + n > sizeof(t->out))
		out_flush(t);
	if (n > sizeof(t->out)) {
		sink(t, line, n);
		return;
	}
	memcpy(t->out + t->nout, line, n);
	t->nout += n;
}

static void emitf(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emitf(struct trace *t, const char *fmt, ...)
{
	char buf[1024], *line = buf;
	va_list ap, again;

	va_start(ap, fmt);
	va_copy(again, ap);
	int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0) {
		va_end(again);
		return;
	}
	/* A line is never cut: a longer one (a finding's whole detail) goes to the heap. */
	if (n > (int)sizeof(buf) - 2) {
		line = g_malloc((size_t)n + 2);
		vsnprintf(line, (size_t)n + 1, fmt, again);
	}
	va_end(again);
	line[n++] = '\n';
	emit(t, line, (size_t)n);
	if (line != buf)
		g_free(line);
}

/* Appends @v in decimal at @p; returns the end. */
static char *put_u64(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static void flush_rle(struct trace *t)
{
	/* The commonest line by far: formatted by hand, not by printf. */
	if (t->rle_cpu >= 0) {
		char buf[64], *p = buf;

		memcpy(p, "cpu ", 4);
		p = put_u64(p + 4, (uint64_t)t->rle_cpu);
		*p++ = ' ';
		p = put_u64(p, t->rle_count);
		*p++ = '\n';
		emit(t, buf, (size_t)(p - buf));
	}
	t->rle_cpu = -1;
	t->rle_count = 0;
}

struct header_ctx {
	struct trace *t;
};

static void header_option(const char *name, const char *value, void *arg)
{
	emitf(arg, "option %s=%s", name, value);
}

void trace_header(struct trace *t, const char *scenario, const char *data,
		  const struct sim_options *opt, const struct sim_costs *costs)
{
	struct sim_costs def;

	costs_default(&def);
	emitf(t, "bbmsim-trace %d", TRACE_FORMAT);
	emitf(t, "bbmsim %s", BBMSIM_VERSION);
	emitf(t, "scenario %s", scenario);
	/* In hex, 400 bytes a line: any text, and lines the parser takes. */
	for (size_t off = 0, len = data ? strlen(data) : 0; off < len; off += 400) {
		char hex[801];
		size_t n = len - off < 400 ? len - off : 400;

		/* Not snprintf() per byte: exploration writes a header per run. */
		for (size_t i = 0; i < n; i++) {
			hex[2 * i] = "0123456789abcdef"[(unsigned char)data[off + i] >> 4];
			hex[2 * i + 1] = "0123456789abcdef"[(unsigned char)data[off + i] & 15];
		}
		hex[2 * n] = 0;
		emitf(t, "scenario-data %s", hex);
	}
	emitf(t, "seed %" PRIu64, opt->seed);
	emitf(t, "sched %s", opt->sched);
	sim_options_foreach(opt, header_option, t);
	for (unsigned i = 0; i < costs_count(); i++)
		if (costs->ps[i] != def.ps[i])
			emitf(t, "cost %s=%" PRIu64, costs_name(i), costs->ps[i]);
	emitf(t, "costs-digest %s", costs->digest);
	emitf(t, "---");
}

void trace_cpu(struct trace *t, unsigned cpu)
{
	if (t->rle_cpu == (int)cpu) {
		t->rle_count++;
		return;
	}
	flush_rle(t);
	t->rle_cpu = (int)cpu;
	t->rle_count = 1;
}

void trace_decision(struct trace *t, enum sim_decision kind, uint32_t value)
{
	const char *name = decision_name(kind);
	size_t len = strlen(name);
	char buf[96], *p = buf;

	flush_rle(t);
	if (len > sizeof(buf) - 32)
		len = sizeof(buf) - 32;
	memcpy(p, name, len);
	p += len;
	*p++ = ' ';
	p = put_u64(p, value);
	*p++ = '\n';
	emit(t, buf, (size_t)(p - buf));
}

void trace_line(struct trace *t, const char *fmt, ...)
{
	va_list ap;

	flush_rle(t);
	va_start(ap, fmt);
	char *line = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	/* One line each: a newline inside a detail would break the format. */
	for (char *p = line; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	emitf(t, "%s", line);
	g_free(line);
}

const char *trace_digest(struct trace *t)
{
	flush_rle(t);
	out_flush(t);
	GChecksum *copy = g_checksum_copy(t->ck);
	g_strlcpy(t->digest, g_checksum_get_string(copy), sizeof(t->digest));
	g_checksum_free(copy);
	return t->digest;
}

const char *trace_text(struct trace *t, size_t *len)
{
	flush_rle(t);
	out_flush(t);
	if (!t->text) {
		*len = 0;
		return "";
	}
	*len = t->text->len;
	return t->text->str;
}

/* ---- parsing --------------------------------------------------------------------- */

static int decision_by_name(const char *s)
{
	for (int i = 0; i < SIM_NR_DECISIONS; i++)
		if (!strcmp(s, decision_name(i)))
			return i;
	return -1;
}

static int parse_num(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

#define PERR(...)                                                       \
	do {                                                            \
		char _m[200];                                           \
		snprintf(_m, sizeof(_m), __VA_ARGS__);                  \
		snprintf(err, errlen, "trace line %u: %s", lineno, _m); \
		goto fail;                                              \
	} while (0)

/* In a line parser: the message for PERR(), and -1. */
#define WHY(...)                                    \
	do {                                        \
		snprintf(why, whylen, __VA_ARGS__); \
		return -1;                          \
	} while (0)

/* A header line "FIELD VALUE" other than "---": into @t, or -1 with @why. */
static int header_field(struct trace *t, char *line, char *why, size_t whylen)
{
	char *sp = strchr(line, ' ');
	const char *val = sp ? sp + 1 : "";

	if (sp)
		*sp = 0;
	if (!strcmp(line, "bbmsim")) {
		if (strcmp(val, BBMSIM_VERSION))
			WHY("recorded by bbmsim %.40s, this is bbmsim %s", val, BBMSIM_VERSION);
	} else if (!strcmp(line, "scenario")) {
		g_free(t->scenario);
		t->scenario = g_strdup(val);
	} else if (!strcmp(line, "scenario-data")) {
		size_t n = strlen(val);

		if (!t->data)
			t->data = g_string_new(NULL);
		if (n % 2 || strspn(val, "0123456789abcdef") != n)
			WHY("bad scenario-data line");
		for (size_t i = 0; i < n; i += 2) {
			unsigned b;
			sscanf(val + i, "%2x", &b);
			if (!b)
				WHY("bad scenario-data line");
			g_string_append_c(t->data, (char)b);
		}
	} else if (!strcmp(line, "seed")) {
		if (parse_num(val, &t->seed))
			WHY("bad seed '%.60s'", val);
	} else if (!strcmp(line, "sched")) {
		g_strlcpy(t->sched, val, sizeof(t->sched));
	} else if (!strcmp(line, "option")) {
		if (!strchr(val, '='))
			WHY("bad option '%.60s'", val);
		g_ptr_array_add(t->options, g_strdup(val));
	} else if (!strcmp(line, "cost")) {
		if (!strchr(val, '='))
			WHY("bad cost '%.60s'", val);
		g_ptr_array_add(t->costs, g_strdup(val));
	} else if (!strcmp(line, "costs-digest")) {
		g_strlcpy(t->costs_digest, val, sizeof(t->costs_digest));
	} else {
		WHY("unknown header field '%.60s'", line);
	}
	return 0;
}

/* A body line: a decision into @ents, a finding or the end into @t; -1 with @why. */
static int body_line(struct trace *t, GArray *ents, char *line, unsigned lineno, bool *have_end,
		     char *why, size_t whylen)
{
	char word[32];
	uint64_t a, b;
	struct entry e = {.line = lineno};

	if (!strncmp(line, "finding ", 8)) {
		g_string_append(t->findings, line);
		g_string_append_c(t->findings, '\n');
		return 0;
	}
	if (!strncmp(line, "metric ", 7) || !strncmp(line, "infeasible ", 11))
		return 0; /* an output of the run, not a decision */
	if (!strncmp(line, "end", 3) && (line[3] == ' ' || !line[3])) {
		*have_end = true;
		t->end = g_strdup(line);
		return 0;
	}
	char *sp1 = strchr(line, ' ');
	if (!sp1 || (size_t)(sp1 - line) >= sizeof(word))
		WHY("malformed decision '%.60s'", line);
	memcpy(word, line, (size_t)(sp1 - line));
	word[sp1 - line] = 0;
	if (!strcmp(word, "cpu")) {
		char *sp2 = strchr(sp1 + 1, ' ');
		if (!sp2)
			WHY("malformed 'cpu ID COUNT'");
		*sp2 = 0;
		if (parse_num(sp1 + 1, &a) || parse_num(sp2 + 1, &b) || a >= SIM_MAX_CPUS || b == 0)
			WHY("malformed 'cpu ID COUNT'");
		e.kind = ENT_CPU;
		e.value = (uint32_t)a;
		e.count = b;
	} else {
		int k = decision_by_name(word);
		if (k < 0 || k == DECIDE_CPU)
			WHY("unknown decision '%.40s'", word);
		if (parse_num(sp1 + 1, &a) || a > UINT32_MAX)
			WHY("malformed value for %s", word);
		e.kind = ENT_DECISION;
		e.decision = k;
		e.value = (uint32_t)a;
	}
	g_array_append_val(ents, e);
	return 0;
}

struct trace *trace_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct trace *t = g_new0(struct trace, 1);
	GArray *ents = g_array_new(FALSE, FALSE, sizeof(struct entry));
	const char *p = text, *end = text + len;
	unsigned lineno = 0;
	bool in_body = false, have_magic = false, have_end = false;
	char why[200];

	t->options = g_ptr_array_new_with_free_func(g_free);
	t->costs = g_ptr_array_new_with_free_func(g_free);
	t->findings = g_string_new(NULL);
	t->rle_cpu = -1;

	if (memchr(text, 0, len)) {
		snprintf(err, errlen, "trace: binary data (NUL byte) is not a bbmsim trace");
		goto fail;
	}
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char line[1100];

		lineno++;
		if (!nl)
			PERR("truncated: the last line has no newline");
		if (n >= sizeof(line))
			PERR("line too long");
		memcpy(line, p, n);
		line[n] = 0;
		p += n + 1;
		if (have_end)
			PERR("data after the end line");

		if (!have_magic) {
			uint64_t v;

			if (strncmp(line, "bbmsim-trace ", 13) || parse_num(line + 13, &v))
				PERR("not a bbmsim trace (no 'bbmsim-trace N' line)");
			if (v != TRACE_FORMAT)
				PERR("trace format %" PRIu64 ", this bbmsim reads format %d", v,
				     TRACE_FORMAT);
			have_magic = true;
			continue;
		}
		if (!in_body) {
			if (!strcmp(line, "---")) {
				if (!t->scenario)
					PERR("header has no scenario");
				in_body = true;
			} else if (header_field(t, line, why, sizeof(why))) {
				PERR("%s", why);
			}
			continue;
		}
		if (body_line(t, ents, line, lineno, &have_end, why, sizeof(why)))
			PERR("%s", why);
	}
	if (!have_magic) {
		snprintf(err, errlen, "trace: empty file");
		goto fail;
	}
	if (!in_body) {
		snprintf(err, errlen, "trace: truncated in the header (no '---' line)");
		goto fail;
	}
	if (!have_end) {
		snprintf(err, errlen, "trace: truncated (no 'end' line)");
		goto fail;
	}
	t->nents = ents->len;
	t->ents = (struct entry *)g_array_free(ents, FALSE);
	t->left = t->nents ? t->ents[0].count : 0;
	return t;
fail:
	g_array_free(ents, TRUE);
	trace_free(t);
	return NULL;
}

struct trace *trace_load(const char *path, char *err, size_t errlen)
{
	gchar *text;
	gsize len;
	GError *e = NULL;

	if (!g_file_get_contents(path, &text, &len, &e)) {
		snprintf(err, errlen, "%s: %s", path, e->message);
		g_error_free(e);
		return NULL;
	}
	char perr[300];
	struct trace *t = trace_parse(text, len, perr, sizeof(perr));
	g_free(text);
	if (!t)
		snprintf(err, errlen, "%s: %s", path, perr);
	return t;
}

const char *trace_scenario_data(const struct trace *t)
{
	return t->data ? t->data->str : NULL;
}

const char *trace_scenario(const struct trace *t)
{
	return t->scenario;
}

const char *trace_findings(const struct trace *t)
{
	return t->findings->str;
}

const char *trace_end(const struct trace *t)
{
	return t->end ? t->end : "";
}

struct option_seen {
	const struct trace *t;
	const char *missing;
};

static void option_seen(const char *name, const char *value, void *arg)
{
	struct option_seen *o = arg;
	size_t n = strlen(name);

	for (unsigned i = 0; i < o->t->options->len; i++) {
		const char *kv = o->t->options->pdata[i];

		if (!strncmp(kv, name, n) && kv[n] == '=')
			return;
	}
	if (!o->missing)
		o->missing = name;
}

int trace_config(const struct trace *t, struct sim_options *opt, struct sim_costs *costs, char *err,
		 size_t errlen)
{
	char e2[200];

	sim_options_default(opt);
	opt->seed = t->seed;
	if (sim_options_set(opt, "sched", t->sched, e2, sizeof(e2))) {
		snprintf(err, errlen, "trace: %s", e2);
		return -1;
	}
	for (unsigned i = 0; i < t->options->len; i++) {
		char *kv = g_strdup(t->options->pdata[i]);
		char *eq = strchr(kv, '=');
		*eq = 0;
		int r = sim_options_set(opt, kv, eq + 1, e2, sizeof(e2));
		g_free(kv);
		if (r) {
			snprintf(err, errlen, "trace: %s (recorded by another version?)", e2);
			return -1;
		}
	}
	/* This version writes every option: one missing is not a default to take. */
	struct option_seen seen = {.t = t};
	sim_options_foreach(opt, option_seen, &seen);
	if (seen.missing) {
		snprintf(err, errlen,
			 "diverged in the header: no 'option %s=' line (this bbmsim records "
			 "every option)",
			 seen.missing);
		return -1;
	}
	costs_default(costs);
	GString *text = g_string_new(NULL);
	for (unsigned i = 0; i < t->costs->len; i++) {
		const char *kv = t->costs->pdata[i];
		const char *eq = strchr(kv, '=');
		uint64_t ps;
		if (parse_num(eq + 1, &ps)) {
			snprintf(err, errlen, "trace: bad cost '%s'", kv);
			g_string_free(text, TRUE);
			return -1;
		}
		/* Back to the cost file's unit (ns, three decimals). */
		g_string_append_printf(text, "%.*s = %" PRIu64 ".%03" PRIu64 "\n", (int)(eq - kv),
				       kv, ps / 1000, ps % 1000);
	}
	int r = costs_parse(costs, text->str, text->len, e2, sizeof(e2));
	g_string_free(text, TRUE);
	if (r) {
		snprintf(err, errlen, "trace: %s", e2);
		return -1;
	}
	if (strcmp(costs->digest, t->costs_digest)) {
		snprintf(err, errlen,
			 "trace: cost table digest %.12s does not match the rebuilt table %.12s "
			 "(recorded by another version?)",
			 t->costs_digest, costs->digest);
		return -1;
	}
	return 0;
}

static const char *ent_name(const struct entry *e)
{
	return e->kind == ENT_CPU ? "cpu" : decision_name(e->decision);
}

void trace_set_lenient(struct trace *t, bool on)
{
	t->lenient = on;
}

bool trace_lenient(const struct trace *t)
{
	return t->lenient;
}

int trace_next_cpu(struct trace *t, uint64_t step, unsigned *cpu, char *err, size_t errlen)
{
	/* Lenient: a decision at the head waits for its own request. */
	if (t->lenient && (t->pos >= t->nents || t->ents[t->pos].kind != ENT_CPU))
		return 1;
	if (t->pos >= t->nents) {
		snprintf(err, errlen, "diverged at step %" PRIu64 ": wanted cpu, trace has ended",
			 step);
		return -1;
	}
	struct entry *e = &t->ents[t->pos];
	if (e->kind != ENT_CPU) {
		snprintf(err, errlen,
			 "diverged at step %" PRIu64 ": wanted cpu, trace has %s (line %u)", step,
			 ent_name(e), e->line);
		return -1;
	}
	*cpu = e->value;
	if (--t->left == 0 && ++t->pos < t->nents)
		t->left = t->ents[t->pos].count;
	return 0;
}

int trace_next_decision(struct trace *t, uint64_t step, enum sim_decision kind, uint32_t n,
			uint32_t *value, char *err, size_t errlen)
{
	if (t->lenient) {
		struct entry *e = t->pos < t->nents ? &t->ents[t->pos] : NULL;

		/* Another kind at the head stays there for its own request. */
		if (!e || e->kind != ENT_DECISION || e->decision != kind)
			return 1;
		if (++t->pos < t->nents)
			t->left = t->ents[t->pos].count;
		if (e->value >= n)
			return 1;
		*value = e->value;
		return 0;
	}
	if (t->pos >= t->nents) {
		snprintf(err, errlen, "diverged at step %" PRIu64 ": wanted %s, trace has ended",
			 step, decision_name(kind));
		return -1;
	}
	struct entry *e = &t->ents[t->pos];
	if (e->kind != ENT_DECISION || e->decision != kind) {
		snprintf(err, errlen,
			 "diverged at step %" PRIu64 ": wanted %s, trace has %s (line %u)", step,
			 decision_name(kind), ent_name(e), e->line);
		return -1;
	}
	if (e->value >= n) {
		snprintf(err, errlen,
			 "diverged at step %" PRIu64 ": %s %u out of range [0, %u) (line %u)", step,
			 decision_name(kind), e->value, n, e->line);
		return -1;
	}
	*value = e->value;
	if (++t->pos < t->nents)
		t->left = t->ents[t->pos].count;
	return 0;
}

size_t trace_remaining(const struct trace *t)
{
	return t->nents - t->pos;
}
