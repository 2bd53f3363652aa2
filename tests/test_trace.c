// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trace replay modes: strict (the default: a trace that runs out, holds
 * another kind or names a CPU that cannot run has diverged) and lenient
 * (the shrinker's: the engine takes its default and records what it did,
 * and that recording replays strictly). Regression inputs from fuzzing.
 */
#include "sim/trace.h"
#include "testlib.h"

#include <check.h>
#include <glib.h>
#include <string.h>

/* The header of @sim's trace with @body instead of its decisions. */
static GString *with_body(struct sim *sim, const char *body)
{
	size_t len;
	const char *text = sim_trace_text(sim, &len);
	const char *sep = strstr(text, "\n---\n") + 5;
	GString *s = g_string_new_len(text, sep - text);

	g_string_append(s, body);
	g_string_append(s, "end\n");
	return s;
}

/* Replays @text; NULL (and @err) if it diverged. */
START_TEST(test_strict_is_the_default_and_an_empty_body_diverges)
{
	struct sim *a = t_run("demo-counter", "seed=7 sched=random");
	GString *s = with_body(a, "");
	char err[300];
	struct trace *t = trace_parse(s->str, s->len, err, sizeof(err));

	ck_assert(!trace_lenient(t));
	trace_free(t);
	ck_assert_ptr_null(t_replay(s->str, s->len, false, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "wanted cpu, trace has ended"));
	g_string_free(s, TRUE);
	sim_destroy(a);
}
END_TEST

START_TEST(test_lenient_empty_body_runs_lowest_cpu_first)
{
	/* sc: under arm the default (0) leaves cpu0's stores pending, a lost update. */
	struct sim *a = t_run("demo-counter", "seed=7 sched=random memory=sc");
	GString *s = with_body(a, "");
	char err[300];
	struct sim *b = t_replay(s->str, s->len, true, err, sizeof(err));
	size_t len;

	ck_assert_msg(b, "%s", err);
	/* cpu0 runs to its end before cpu1 starts: no lost update, one choice per point. */
	ck_assert_uint_eq(b->nr_findings, 0);
	const char *text = sim_trace_text(b, &len);
	ck_assert_ptr_nonnull(strstr(text, "\n---\ncpu 0 "));
	/* The lenient run's own recording replays strictly, digest for digest. */
	struct sim *c = t_replay(text, len, false, err, sizeof(err));
	ck_assert_msg(c, "%s", err);
	ck_assert_str_eq(sim_digest(b), sim_digest(c));
	sim_destroy(c);
	sim_destroy(b);
	g_string_free(s, TRUE);
	sim_destroy(a);
}
END_TEST

START_TEST(test_lenient_replay_of_a_recording_is_that_recording)
{
	struct sim *a = t_run("mmu-no-dsb", "seed=4 sched=random");
	size_t len;
	const char *text = sim_trace_text(a, &len);
	char err[300];
	struct sim *b = t_replay(text, len, true, err, sizeof(err));

	ck_assert_msg(b, "%s", err);
	ck_assert_str_eq(sim_digest(a), sim_digest(b));
	sim_destroy(b);
	sim_destroy(a);
}
END_TEST

START_TEST(test_lenient_takes_defaults_for_bad_cpu_wrong_kind_and_leftovers)
{
	struct sim *a = t_run("demo-counter", "seed=7 sched=random");
	/* cpu 7 does not exist, tlb-fill is never asked for, 99 choices are too many. */
	GString *s = with_body(a, "cpu 7 2\ntlb-fill 1\ncpu 1 99\n");
	char err[300];
	struct sim *b = t_replay(s->str, s->len, true, err, sizeof(err));

	ck_assert_msg(b, "%s", err);
	ck_assert_ptr_null(t_replay(s->str, s->len, false, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "diverged at step"));
	sim_destroy(b);
	g_string_free(s, TRUE);
	sim_destroy(a);
}
END_TEST

START_TEST(test_lenient_decision_out_of_range_is_zero)
{
	char err[300];
	const char *text = "bbmsim-trace 1\nscenario x\n---\ntlb-fill 5\ntlb-fill 1\nend\n";
	struct trace *t = trace_parse(text, strlen(text), err, sizeof(err));
	uint32_t v = 9;

	ck_assert_msg(t, "%s", err);
	trace_set_lenient(t, true);
	ck_assert_int_eq(trace_next_decision(t, 0, DECIDE_TLB_FILL, 2, &v, err, sizeof(err)), 1);
	ck_assert_int_eq(trace_next_decision(t, 1, DECIDE_TLB_FILL, 2, &v, err, sizeof(err)), 0);
	ck_assert_uint_eq(v, 1);
	ck_assert_int_eq(trace_next_decision(t, 2, DECIDE_TLB_FILL, 2, &v, err, sizeof(err)), 1);
	trace_set_lenient(t, false);
	ck_assert_int_eq(trace_next_decision(t, 3, DECIDE_TLB_FILL, 2, &v, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "trace has ended"));
	trace_free(t);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("trace");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_strict_is_the_default_and_an_empty_body_diverges);
	tcase_add_test(tc, test_lenient_empty_body_runs_lowest_cpu_first);
	tcase_add_test(tc, test_lenient_replay_of_a_recording_is_that_recording);
	tcase_add_test(tc, test_lenient_takes_defaults_for_bad_cpu_wrong_kind_and_leftovers);
	tcase_add_test(tc, test_lenient_decision_out_of_range_is_zero);
	suite_add_tcase(s, tc);
	return s;
}
