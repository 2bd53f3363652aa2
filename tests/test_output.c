// SPDX-License-Identifier: GPL-2.0-only
/*
 * Figures that never lie (issue 18, item 4): the 64-bit picosecond clocks
 * never wrap silently. A cost table may hold at most 1 s per operation, and
 * a run whose clock passes 2^62 ps stops with an error instead of reporting
 * times that wrapped (compare once showed a strategy at -100 %).
 */
#include "sim/arm/mmu.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "smp/smp.h"
#include "testlib.h"

#include <check.h>
#include <string.h>

static uint64_t start_clock;

/* One CPU that starts at @start_clock and works for a few yield points. */
static void clock_main(struct sim_cpu *cpu)
{
	cpu->clock = start_clock;
	for (int i = 0; i < 4; i++) {
		sim_tick(cpu, COST_context_switch);
		sim_yield(cpu);
	}
}

static const struct scenario clock_scn = {
	.name = "test-clock",
	.summary = "a CPU whose clock starts where the test says",
	.default_cpus = 1,
	.expect = -1,
	.est_steps = 4,
	.cpu_main = clock_main,
};

/* Runs clock_scn with every cost at @ps; sim_run's result, @err its message. */
static int run_clock(uint64_t from, uint64_t ps, char *err, size_t errlen)
{
	struct sim_options opt;
	struct sim_costs costs;

	sim_options_default(&opt);
	costs_default(&costs);
	costs.ps[COST_context_switch] = ps;
	start_clock = from;
	struct sim *sim = sim_create(&clock_scn, &opt, &costs, NULL, err, errlen);
	ck_assert_msg(sim, "%s", err);
	int r = sim_run(sim, err, errlen);
	sim_destroy(sim);
	return r;
}

START_TEST(test_clock_below_the_guard_runs)
{
	char err[300];

	ck_assert_int_eq(
		run_clock((1ull << 62) - 10 * COSTS_MAX_PS, COSTS_MAX_PS, err, sizeof(err)), 0);
}
END_TEST

START_TEST(test_clock_past_2_62_stops_the_run)
{
	char err[300];

	ck_assert_int_eq(run_clock((1ull << 62) - 2 * COSTS_MAX_PS, COSTS_MAX_PS, err, sizeof(err)),
			 -1);
	ck_assert_msg(strstr(err, "simulated clock overflow"), "%s", err);
}
END_TEST

START_TEST(test_cost_table_refuses_more_than_a_second)
{
	struct sim_costs c;
	char err[300];
	const char ok[] = "dsb = 1000000000\n", big[] = "dsb = 1000000000.001\n";

	costs_default(&c);
	ck_assert_int_eq(costs_parse(&c, ok, strlen(ok), err, sizeof(err)), 0);
	ck_assert_uint_eq(c.ps[COST_dsb], COSTS_MAX_PS);
	ck_assert_int_eq(costs_parse(&c, big, strlen(big), err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "out of range [0, 1000000000] ns"), "%s", err);
}
END_TEST

START_TEST(test_cost_named_as_in_json_gets_a_hint)
{
	struct sim_costs c;
	char err[300];
	const char text[] = "dsb_ns = 5\n";

	costs_default(&c);
	ck_assert_int_eq(costs_parse(&c, text, strlen(text), err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "cost files name it 'dsb'"), "%s", err);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("clocks");

	tcase_add_test(tc, test_clock_below_the_guard_runs);
	tcase_add_test(tc, test_clock_past_2_62_stops_the_run);
	tcase_add_test(tc, test_cost_table_refuses_more_than_a_second);
	tcase_add_test(tc, test_cost_named_as_in_json_gets_a_hint);
	suite_add_tcase(s, tc);
	return s;
}
