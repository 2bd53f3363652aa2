// SPDX-License-Identifier: GPL-2.0-only
/*
 * bbmsim shrink: a failing trace reduced to a small one with the same
 * finding at the same place.
 *
 * "Same place" is the key --keep-going deduplicates by: the finding's kind,
 * va and pa (for deadlock, livelock and assertion those are 0: the kind
 * alone). The trace's first finding is the target.
 *
 * A candidate is a decision list (the body of a trace). It is replayed
 * leniently: where it runs out, or holds something the run cannot use, the
 * engine takes its default (lowest runnable CPU, value 0) and records what
 * really happened. A candidate counts when that run reports the target; what
 * we keep is then the run's own recording, which replays strictly. Passes,
 * repeated until none helps: remove chunks of decisions (ddmin: halves,
 * quarters, ... single lines), give a CPU run to its neighbour's CPU (one
 * context switch less), shorten runs, set hardware choices to 0. A result is
 * kept only if it is smaller by (context switches, hardware decisions,
 * steps, scheduling choices), compared in that order, so shrinking ends.
 */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static gint64 opt_max_tests = 20000;
static gchar *opt_output;

/* A body line: "cpu ID COUNT" (kind < 0) or "KIND VALUE". */
struct ent {
	int kind;
	uint32_t value;
	uint64_t count;
};

struct size {
	uint64_t switches, hw, steps, choices, lines;
};

struct cand {
	GArray *ents; /* struct ent */
	struct size size;
	char *text; /* the recording */
};

struct shrink {
	const char *header; /* up to and including "---\n" */
	size_t header_len;
	int kind;
	uint64_t va, pa;
	struct cand cur;
	GHashTable *tried;
	uint64_t tests, accepted;
};

static int decision_by_name(const char *s)
{
	for (int i = 0; i < SIM_NR_DECISIONS; i++)
		if (!strcmp(s, decision_name(i)))
			return i;
	return -1;
}

/* The body of a recorded (hence well-formed) trace, and its sizes. */
static void parse_body(const char *text, struct cand *c)
{
	const char *p = strstr(text, "\n---\n");
	uint64_t last = UINT64_MAX;

	c->ents = g_array_new(FALSE, FALSE, sizeof(struct ent));
	memset(&c->size, 0, sizeof(c->size));
	for (p = p ? p + 5 : text; *p; p = strchr(p, '\n') + 1) {
		char word[32];
		uint64_t a, b;
		struct ent e;

		if (!strncmp(p, "end ", 4))
			sscanf(p, "end steps=%" SCNu64, &c->size.steps);
		if (!strncmp(p, "finding ", 8) || !strncmp(p, "end", 3))
			continue;
		if (sscanf(p, "cpu %" SCNu64 " %" SCNu64, &a, &b) == 2) {
			e = (struct ent){.kind = -1, .value = (uint32_t)a, .count = b};
			c->size.switches += last != UINT64_MAX && last != a;
			c->size.choices += b;
			last = a;
		} else if (sscanf(p, "%31s %" SCNu64, word, &a) == 2 &&
			   decision_by_name(word) >= 0) {
			e = (struct ent){.kind = decision_by_name(word), .value = (uint32_t)a};
			c->size.hw++;
		} else {
			continue;
		}
		c->size.lines++;
		g_array_append_val(c->ents, e);
	}
}

static void cand_free(struct cand *c)
{
	if (c->ents)
		g_array_free(c->ents, TRUE);
	g_free(c->text);
	memset(c, 0, sizeof(*c));
}

static int size_cmp(const struct size *a, const struct size *b)
{
	const uint64_t x[] = {a->switches, a->hw, a->steps, a->choices, a->lines};
	const uint64_t y[] = {b->switches, b->hw, b->steps, b->choices, b->lines};

	for (unsigned i = 0; i < G_N_ELEMENTS(x); i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

static char *trace_of(const struct shrink *s, const GArray *ents)
{
	GString *t = g_string_new_len(s->header, s->header_len);

	for (unsigned i = 0; i < ents->len; i++) {
		const struct ent *e = &g_array_index(ents, struct ent, i);

		if (e->kind < 0)
			g_string_append_printf(t, "cpu %u %" PRIu64 "\n", e->value, e->count);
		else
			g_string_append_printf(t, "%s %u\n", decision_name(e->kind), e->value);
	}
	g_string_append(t, "end\n");
	return g_string_free(t, FALSE);
}

static bool has_target(const struct shrink *s, const struct sim *sim)
{
	for (unsigned i = 0; i < sim->nr_findings; i++) {
		const struct sim_finding *f = &sim->findings[i];

		if ((int)f->kind == s->kind && f->va == s->va && f->pa == s->pa)
			return true;
	}
	return false;
}

/* Replays @ents leniently; true (and @out: the run's recording) if the target is found. */
static bool test(struct shrink *s, const GArray *ents, struct cand *out)
{
	char *text = trace_of(s, ents), err[400];
	char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);

	if (cli_signal || !g_hash_table_add(s->tried, sum) || s->tests >= (uint64_t)opt_max_tests) {
		g_free(text);
		return false;
	}
	s->tests++;
	struct sim *sim = replay_text(text, strlen(text), REPLAY_LENIENT, err, sizeof(err));
	g_free(text);
	if (!sim)
		return false; /* diverged beyond what leniency covers: not reproduced */
	bool ok = has_target(s, sim);
	if (ok) {
		size_t len;
		const char *rec = sim_trace_text(sim, &len);

		out->text = g_strndup(rec, len);
		parse_body(out->text, out);
	}
	sim_destroy(sim);
	return ok;
}

/* Tries @ents; keeps the recording when it reproduces and is smaller. */
static bool try_ents(struct shrink *s, const GArray *ents)
{
	struct cand c = {0};

	if (!test(s, ents, &c))
		return false;
	if (size_cmp(&c.size, &s->cur.size) >= 0) {
		cand_free(&c);
		return false;
	}
	cand_free(&s->cur);
	s->cur = c;
	s->accepted++;
	return true;
}

static GArray *copy_ents(const GArray *a)
{
	GArray *b = g_array_sized_new(FALSE, FALSE, sizeof(struct ent), a->len);

	g_array_append_vals(b, a->data, a->len);
	return b;
}

/* ddmin's complement steps: drop chunks of n/2, n/4, ... 1 lines. */
static bool pass_remove(struct shrink *s)
{
	bool any = false;

	for (unsigned chunk = MAX(s->cur.ents->len / 2, 1u); chunk >= 1; chunk /= 2) {
		for (unsigned i = 0; i < s->cur.ents->len;) {
			GArray *c = copy_ents(s->cur.ents);

			g_array_remove_range(c, i, MIN(chunk, c->len - i));
			bool ok = try_ents(s, c);
			g_array_free(c, TRUE);
			if (ok)
				any = true; /* the list changed under us: try here again */
			else
				i += chunk;
		}
		if (chunk == 1)
			break;
	}
	return any;
}

/* One context switch less: a CPU run goes to the CPU before or after it. */
static bool pass_merge(struct shrink *s)
{
	bool any = false;

	for (unsigned i = 0; i < s->cur.ents->len; i++) {
		for (int dir = -1; dir <= 1; dir += 2) {
			GArray *ents = s->cur.ents;
			struct ent *e = &g_array_index(ents, struct ent, i);
			int j = (int)i + dir;

			/* The nearest CPU run on that side. */
			while (j >= 0 && j < (int)ents->len &&
			       g_array_index(ents, struct ent, j).kind >= 0)
				j += dir;
			if (e->kind >= 0 || j < 0 || j >= (int)ents->len ||
			    g_array_index(ents, struct ent, j).value == e->value)
				continue;
			GArray *c = copy_ents(ents);
			g_array_index(c, struct ent, i).value =
				g_array_index(ents, struct ent, j).value;
			any |= try_ents(s, c);
			g_array_free(c, TRUE);
			if (i >= s->cur.ents->len)
				break;
		}
	}
	return any;
}

/* Shorter CPU runs, hardware choices at their default. */
static bool pass_values(struct shrink *s)
{
	bool any = false;

	for (unsigned i = 0; i < s->cur.ents->len; i++) {
		struct ent e = g_array_index(s->cur.ents, struct ent, i);
		uint64_t tries[2];
		unsigned n = 0;

		if (e.kind < 0 && e.count > 1) {
			tries[n++] = 1;
			if (e.count > 3)
				tries[n++] = e.count / 2;
		} else if (e.kind >= 0 && e.value) {
			tries[n++] = 0;
		}
		for (unsigned t = 0; t < n && i < s->cur.ents->len; t++) {
			GArray *c = copy_ents(s->cur.ents);
			struct ent *ce = &g_array_index(c, struct ent, i);

			if (ce->kind < 0)
				ce->count = tries[t];
			else
				ce->value = (uint32_t)tries[t];
			bool ok = try_ents(s, c);
			g_array_free(c, TRUE);
			any |= ok;
			if (ok)
				break;
		}
	}
	return any;
}

static void print_size(const char *what, const struct size *z)
{
	printf("%s: %" PRIu64 " scheduling choice%s, %" PRIu64 " context switch%s, %" PRIu64
	       " hardware decision%s, %" PRIu64 " step%s, %" PRIu64 " trace line%s\n",
	       what, z->choices, z->choices == 1 ? "" : "s", z->switches,
	       z->switches == 1 ? "" : "es", z->hw, z->hw == 1 ? "" : "s", z->steps,
	       z->steps == 1 ? "" : "s", z->lines, z->lines == 1 ? "" : "s");
}

static void json_size(GString *j, const char *what, const struct size *z)
{
	g_string_append_printf(j,
			       ",\"%s\":{\"choices\":%" PRIu64 ",\"switches\":%" PRIu64
			       ",\"hardware\":%" PRIu64 ",\"steps\":%" PRIu64 ",\"lines\":%" PRIu64
			       "}",
			       what, z->choices, z->switches, z->hw, z->steps, z->lines);
}

int cmd_shrink(int argc, char **argv)
{
	GOptionEntry e[] = {{"output", 'o', 0, G_OPTION_ARG_FILENAME, &opt_output,
			     "where the shrunk trace goes (default TRACE.min)", "OUT"},
			    {"perfetto", 0, 0, G_OPTION_ARG_FILENAME, &opt_perfetto,
			     "write the shrunk run's Perfetto timeline", "FILE"},
			    {"max-tests", 0, 0, G_OPTION_ARG_INT64, &opt_max_tests,
			     "replays to try at most (default 20000)", "N"},
			    {"json", 0, 0, G_OPTION_ARG_NONE, &opt_json, "JSON output", NULL},
			    {NULL}};
	char err[400];
	gchar *text;
	size_t len;

	parse_args("shrink", "TRACE",
		   "Reduce a failing trace to a small one with the same finding (kind, va, pa).", e,
		   false, &argc, &argv);
	if (argc != 2)
		die("shrink: expected one TRACE file");
	/* A signal ends the search between replays; the best so far is kept. */
	cli_catch_signals(false);
	if (opt_max_tests < 1 || opt_max_tests > 100000000)
		die("--max-tests: %" G_GINT64_FORMAT " is out of range [1, 100000000]",
		    opt_max_tests);
	const char *path = argv[1];
	gchar *out = opt_output ? g_strdup(opt_output) : g_strdup_printf("%s.min", path);
	out_check(out);
	if (opt_perfetto)
		out_check(opt_perfetto);
	out_read(path, &text, &len);

	/* It must replay as recorded before we change anything. */
	struct sim *sim = replay_text(text, len, 0, err, sizeof(err));
	if (!sim)
		die("%s: %s", path, err);
	if (!sim->nr_findings)
		die("%s: the trace has no finding: nothing to shrink", path);
	struct shrink s = {
		.kind = sim->findings[0].kind,
		.va = sim->findings[0].va,
		.pa = sim->findings[0].pa,
		.tried = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
	};
	s.cur.text = g_strndup(text, len);
	parse_body(s.cur.text, &s.cur);
	struct size before = s.cur.size;
	sim_destroy(sim);
	g_free(text);
	const char *sep = strstr(s.cur.text, "\n---\n");
	s.header = g_strndup(s.cur.text, (size_t)(sep - s.cur.text) + 5);
	s.header_len = (size_t)(sep - s.cur.text) + 5;

	/* The empty list first: the all-defaults schedule is often enough. */
	GArray *none = g_array_new(FALSE, FALSE, sizeof(struct ent));
	try_ents(&s, none);
	g_array_free(none, TRUE);
	for (bool more = true; more && s.tests < (uint64_t)opt_max_tests && !cli_signal;) {
		more = pass_remove(&s);
		more |= pass_merge(&s);
		more |= pass_values(&s);
	}

	/* What we write must replay strictly, findings and all. */
	sim = replay_text(s.cur.text, strlen(s.cur.text), opt_perfetto ? REPLAY_EVENTS : 0, err,
			  sizeof(err));
	if (!sim)
		die("shrink: internal error: the shrunk trace does not replay: %s", err);
	out_write(out, s.cur.text, strlen(s.cur.text));
	if (opt_perfetto) {
		size_t plen;
		char *p = sim_perfetto_json(sim, &plen);

		out_write(opt_perfetto, p, plen);
		g_free(p);
	}
	if (opt_json) {
		GString *j = g_string_new("{\"finding\":{\"kind\":");

		json_str(j, finding_name(s.kind));
		g_string_append_printf(j,
				       ",\"va\":\"%#" PRIx64 "\",\"pa\":\"%#" PRIx64
				       "\"},\"replays\":%" PRIu64 ",\"reproduced\":%" PRIu64,
				       s.va, s.pa, s.tests, s.accepted);
		json_size(j, "before", &before);
		json_size(j, "after", &s.cur.size);
		g_string_append(j, ",\"trace\":");
		json_str(j, out);
		if (cli_signal)
			g_string_append(j, ",\"interrupted\":true");
		g_string_append(j, "}\n");
		fputs(j->str, stdout);
		g_string_free(j, TRUE);
	} else {
		printf("finding %s va=%#" PRIx64 " pa=%#" PRIx64 " reproduced by %" PRIu64
		       " of %" PRIu64 " replay%s tried%s\n",
		       finding_name(s.kind), s.va, s.pa, s.accepted, s.tests,
		       s.tests == 1 ? "" : "s",
		       cli_signal ? " (interrupted: the smallest so far)" : "");
		print_size("before", &before);
		print_size("after ", &s.cur.size);
		printf("shrunk trace: %s\n", out);
	}
	sim_destroy(sim);
	g_free(out);
	g_free((char *)s.header);
	cand_free(&s.cur);
	g_hash_table_destroy(s.tried);
	return 0;
}
