// SPDX-License-Identifier: GPL-2.0-only
#include "testlib.h"

#include "mm/mm.h"
#include "sim/trace.h"

#include <check.h>
#include <glib.h>
#include <stdarg.h>
#include <string.h>

static void t_options(const struct scenario *scn, const char *opts, struct sim_options *o)
{
	char err[200];

	sim_options_default(o);
	for (const char *const *d = scn->defaults; d && *d; d++) {
		gchar **kv = g_strsplit(*d, "=", 2);
		ck_assert_msg(!sim_options_set(o, kv[0], kv[1], err, sizeof(err)), "%s", err);
		g_strfreev(kv);
	}
	gchar **words = g_strsplit(opts ? opts : "", " ", -1);
	for (gchar **w = words; *w; w++) {
		if (!**w)
			continue;
		gchar **kv = g_strsplit(*w, "=", 2);
		ck_assert_msg(kv[1], "option '%s' has no value", *w);
		ck_assert_msg(!sim_options_set(o, kv[0], kv[1], err, sizeof(err)), "%s", err);
		g_strfreev(kv);
	}
	g_strfreev(words);
}

static __thread bool use_fibers; /* per thread: tests run simulations side by side */

struct sim *t_run_fibers(const char *scenario, const char *opts)
{
	struct sim_costs c;

	costs_default(&c);
	use_fibers = true;
	struct sim *s = t_run_costs(scenario, opts, &c);
	use_fibers = false;
	return s;
}

struct sim *t_run_costs(const char *scenario, const char *opts, const struct sim_costs *costs)
{
	const struct scenario *scn = scenario_find(scenario);
	struct sim_options o;
	char err[400];

	ck_assert_msg(scn, "no scenario %s", scenario);
	t_options(scn, opts, &o);
	struct sim *sim = sim_create(scn, &o, costs, NULL, err, sizeof(err));
	ck_assert_msg(sim, "%s", err);
	sim->fibers = use_fibers;
	ck_assert_msg(!sim_run(sim, err, sizeof(err)), "%s", err);
	return sim;
}

struct sim *t_run(const char *scenario, const char *opts)
{
	struct sim_costs c;

	costs_default(&c);
	return t_run_costs(scenario, opts, &c);
}

const struct sim_finding *t_finding(const struct sim *sim, int kind)
{
	for (unsigned i = 0; i < sim->nr_findings; i++)
		if (kind < 0 || (int)sim->findings[i].kind == kind)
			return &sim->findings[i];
	return NULL;
}

unsigned t_explore(const char *scenario, const char *opts, unsigned n, int kind)
{
	unsigned hits = 0;

	for (unsigned seed = 1; seed <= n; seed++) {
		gchar *o = g_strdup_printf("%s seed=%u", opts ? opts : "", seed);
		struct sim *sim = t_run(scenario, o);

		if (t_finding(sim, kind))
			hits++;
		sim_destroy(sim);
		g_free(o);
	}
	return hits;
}

struct sim *t_replay(const char *text, size_t len, bool lenient, char *err, size_t errlen)
{
	struct sim_options o;
	struct sim_costs c;
	struct trace *t = trace_parse(text, len, err, errlen);

	ck_assert_msg(t, "%s", err);
	ck_assert_msg(!trace_config(t, &o, &c, err, errlen), "%s", err);
	trace_set_lenient(t, lenient);
	const struct scenario *scn =
		scenario_find_data(trace_scenario(t), trace_scenario_data(t), err, errlen);
	ck_assert_msg(scn, "%s", err);
	struct sim *s = sim_create(scn, &o, &c, t, err, errlen);
	ck_assert_msg(s, "%s", err);
	int r = sim_run(s, err, errlen);
	trace_free(t);
	if (r) {
		sim_destroy(s);
		return NULL;
	}
	return s;
}

/* ---- the HVO verdicts, per kernel ------------------------------------------------------- */

/* The strategies that must be clean, with the machine each needs. */
const char *const t_clean_strategies[] = {
	"strategy=A",
	"strategy=B",
	"strategy=C bbm_level=2 bbml2_noabort=1",
	"strategy=D",
};
const unsigned t_nr_clean_strategies = G_N_ELEMENTS(t_clean_strategies);

/* Set before the runner forks the tests, so every test sees it. */
static const char *t_kernel = "model";

/* "kernel=K @fmt...": the options of one verdict test; g_free() them. */
static gchar *t_kopts(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static gchar *t_kopts(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	gchar *rest = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	gchar *o = g_strdup_printf("kernel=%s %s", t_kernel, rest);
	g_free(rest);
	return o;
}

START_TEST(test_none_is_caught_within_a_few_schedules)
{
	gchar *o = t_kopts("strategy=none seed=1");
	struct sim *sim = t_run("hvo-2m", o);
	const struct sim_finding *f = t_finding(sim, -1);

	ck_assert_ptr_nonnull(f);
	ck_assert(f->kind == FINDING_BBM_VIOLATION || f->kind == FINDING_TLB_CONFLICT ||
		  f->kind == FINDING_STALE_ACCESS);
	sim_destroy(sim);
	g_free(o);
	o = t_kopts("strategy=none sched=pct");
	ck_assert_uint_ge(t_explore("hvo-2m", o, 5, -1), 4);
	g_free(o);
}
END_TEST

START_TEST(test_strategy_is_clean_random)
{
	gchar *o = t_kopts("%s", t_clean_strategies[_i]);

	ck_assert_uint_eq(t_explore("hvo-2m", o, 30, -1), 0);
	g_free(o);
}
END_TEST

START_TEST(test_strategy_is_clean_pct)
{
	gchar *o = t_kopts("%s sched=pct", t_clean_strategies[_i]);

	ck_assert_uint_eq(t_explore("hvo-2m", o, 30, -1), 0);
	g_free(o);
}
END_TEST

START_TEST(test_1g_clean_under_each_strategy)
{
	gchar *o = t_kopts("%s", t_clean_strategies[_i]);

	ck_assert_uint_eq(t_explore("hvo-1g", o, 3, -1), 0);
	g_free(o);
}
END_TEST

START_TEST(test_broken_d_resuming_before_the_flush_is_caught)
{
	/* The TLBIs complete only after the resume: readers run into the break. */
	gchar *o = t_kopts("strategy=D-broken");

	ck_assert_uint_ge(t_explore("hvo-2m", o, 20, -1), 1);
	g_free(o);
}
END_TEST

START_TEST(test_demote_and_free_account_every_page)
{
	/* The scenario's own check asserts the exact counts and no leak. */
	gchar *o = t_kopts("strategy=D seed=3");
	struct sim *sim = t_run("hvo-demote", o);
	struct mm *mm = mm_of(sim);

	ck_assert_uint_eq(sim->nr_findings, 0);
	ck_assert_uint_eq(mm->stats.vmemmap_freed, 4096 + 512 * 8);
	ck_assert_uint_eq(mm->stats.vmemmap_alloced, 4096 + 512 * 8);
	sim_destroy(sim);
	g_free(o);
}
END_TEST

void t_add_hvo_verdicts(TCase *tc, const char *kernel)
{
	unsigned n = t_nr_clean_strategies;

	t_kernel = kernel;
	tcase_add_test(tc, test_none_is_caught_within_a_few_schedules);
	tcase_add_loop_test(tc, test_strategy_is_clean_random, 0, n);
	tcase_add_loop_test(tc, test_strategy_is_clean_pct, 0, n);
	tcase_add_loop_test(tc, test_1g_clean_under_each_strategy, 0, n);
	tcase_add_test(tc, test_broken_d_resuming_before_the_flush_is_caught);
	tcase_add_test(tc, test_demote_and_free_account_every_page);
}
