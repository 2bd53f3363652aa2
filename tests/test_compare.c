// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cost accounting behind `bbmsim compare`: exact on small workloads
 * with a cost table that makes one kind of event visible; the shape of the
 * series' table at the default costs and at both ends of every cost's
 * range; the table's scaling arithmetic; what mm registers for compare.
 */
#include "mm/mm.h"
#include "sim/compare.h"
#include "testlib.h"

#include <check.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* One CPU optimises one 2 MiB page; the others idle. */
static struct smp_workload t_w;
static uint64_t t_folio;

static int t_setup(struct sim *sim, char *err, size_t errlen)
{
	struct smp_config cfg;

	sim->scn_state = &t_w; /* so that sim_destroy() calls t_teardown() */
	if (mmu_install(sim, err, errlen))
		return -1;
	smp_config_default(sim, &cfg);
	if (smp_setup(sim, &cfg, err, errlen) || mm_setup(sim, err, errlen))
		return -1;
	smp_workload_init(sim, &t_w);
	t_folio = mm_boot_huge_page(sim, &hstate_2m);
	return 0;
}

static void t_teardown(struct sim *sim)
{
	mm_teardown(sim);
	smp_teardown(sim);
	mmu_teardown(sim);
}

static void t_main(struct sim_cpu *cpu)
{
	if (cpu->id) {
		smp_work_idle(cpu, &t_w);
		smp_work_exit(cpu, &t_w);
		return;
	}
	uint64_t t0 = cpu->clock;
	hugetlb_vmemmap_optimize_folio(cpu, &hstate_2m, t_folio);
	sim_metric(cpu->sim, "optimize", cpu->clock - t0);
	smp_work_finish(cpu, &t_w);
}

static const struct scenario t_opt = {
	.name = "t-optimize-2m",
	.summary = "test: one 2 MiB optimise on CPU 0",
	.default_cpus = 4,
	.expect = -1,
	.setup = t_setup,
	.cpu_main = t_main,
	.teardown = t_teardown,
};
SCENARIO_REGISTER(t_opt)

static uint64_t optimize_cost(const char *strategy, const struct sim_costs *c)
{
	gchar *o = g_strdup_printf("sched=timed keep_going=1 strategy=%s", strategy);
	struct sim *sim = t_run_costs("t-optimize-2m", o, c);
	uint64_t v = 0;

	ck_assert(sim_metric_get(sim, "optimize", &v));
	sim_destroy(sim);
	g_free(o);
	return v;
}

START_TEST(test_d_costs_one_broadcast_sgi_per_pause_round)
{
	/*
	 * Only SGI writes and TLBIs cost anything. Both strategies issue the
	 * same TLBIs (512 for the PMD's range, 8 for the PTEs); D adds one
	 * ICC_SGI1R_EL1 write (IRM=1) per pause: the split and the remap.
	 */
	struct sim_costs c;

	costs_default(&c);
	memset(c.ps, 0, sizeof(c.ps));
	c.ps[COST_sgi_write] = 1000;
	c.ps[COST_tlbi_bcast] = 1;
	ck_assert_uint_eq(optimize_cost("none", &c), 520);
	ck_assert_uint_eq(optimize_cost("D", &c), 520 + 2 * 1000);
}
END_TEST

START_TEST(test_optimize_costs_its_page_work_exactly)
{
	/* 1 page allocated (the head's copy) + the PMD's table; 8 freed; 1 copy. */
	struct sim_costs c;

	costs_default(&c);
	memset(c.ps, 0, sizeof(c.ps));
	c.ps[COST_page_alloc] = 1000000;
	c.ps[COST_page_free] = 1000;
	c.ps[COST_copy_page] = 1;
	ck_assert_uint_eq(optimize_cost("none", &c), 2 * 1000000 + 8 * 1000 + 1);
	ck_assert_uint_eq(optimize_cost("D", &c), 2 * 1000000 + 8 * 1000 + 1);
}
END_TEST

START_TEST(test_b_costs_a_stopper_switch_per_cpu_per_range)
{
	/* Every stopper (4 CPUs) switches in and out, once per stop_machine(). */
	struct sim_costs c;

	costs_default(&c);
	memset(c.ps, 0, sizeof(c.ps));
	c.ps[COST_wakeup] = 1000;
	/* The caller wakes the 3 other stoppers, for the split and for the remap. */
	ck_assert_uint_eq(optimize_cost("B", &c), 2 * 3 * 1000);
}
END_TEST

/* The series' four operations on one gigantic page. */
static void series_ops(const char *strategy, unsigned cpus, uint64_t ps[4])
{
	static const char *const ops[] = {"alloc-1g", "free-1g", "demote-1g", "free-2m"};
	gchar *o = g_strdup_printf("sched=timed keep_going=1 cpus=%u pages=1 mem_gb=4 strategy=%s",
				   cpus, strategy);
	struct sim *sim = t_run_fibers("hvo-compare", o);

	for (int i = 0; i < 4; i++)
		ck_assert(sim_metric_get(sim, ops[i], &ps[i]));
	sim_destroy(sim);
	g_free(o);
}

START_TEST(test_default_costs_give_the_series_shape)
{
	/*
	 * The series' table: alloc and free of 1 GiB pages barely change under
	 * D (< +30 %), demote and free of 2 MiB pages more than double.
	 */
	uint64_t none[4], d[4];

	/* The series' machine has 80 CPUs; threads (sanitizer builds) make it slow. */
	unsigned cpus = sim_fibers_available() ? 80 : 24;

	series_ops("none", cpus, none);
	series_ops("D", cpus, d);
	ck_assert_uint_lt(d[0] * 10, none[0] * 13);
	ck_assert_uint_lt(d[1] * 10, none[1] * 13);
	if (cpus == 80) {
		ck_assert_uint_gt(d[2], 2 * none[2]);
		ck_assert_uint_gt(d[3], 2 * none[3]);
	} else {
		/* Fewer CPUs acknowledge each pause: cheaper, still well above. */
		ck_assert_uint_gt(d[2] * 10, none[2] * 15);
		ck_assert_uint_gt(d[3] * 10, none[3] * 15);
	}
	ck_assert_uint_gt(d[0], none[0]); /* and D is never free */
}
END_TEST

/* The series' four operations of @strategy on @pages gigantic pages, under @c. */
static void ops_at(const char *strategy, unsigned cpus, unsigned pages, const struct sim_costs *c,
		   uint64_t ps[4])
{
	const struct scenario *scn = scenario_find("hvo-compare");
	const struct cmp_spec *spec = compare_spec();
	struct sim_options o;
	char err[400];

	sim_options_default(&o);
	ck_assert(!sim_options_set(&o, "strategy", strategy, err, sizeof(err)));
	ck_assert(!sim_options_set(&o, "sched", "timed", err, sizeof(err)));
	sim_opt_set_bool(&o, OPT_keep_going, true);
	sim_opt_set_uint(&o, OPT_cpus, cpus);
	sim_opt_set_uint(&o, OPT_pages, pages);
	sim_opt_set_uint(&o, OPT_mem_gb, pages + 4);
	struct sim *sim = sim_create(scn, &o, c, NULL, err, sizeof(err));
	ck_assert_msg(sim, "%s", err);
	sim->fibers = true; /* ignored (threads) where the build has no fibers */
	sim->keep_trace = false;
	ck_assert_msg(!sim_run(sim, err, sizeof(err)), "%s", err);
	ck_assert_uint_eq(spec->nr_ops, 4);
	for (unsigned i = 0; i < 4; i++)
		ck_assert(sim_metric_get(sim, spec->ops[i].metric, &ps[i]));
	sim_destroy(sim);
}

#ifndef BBMSIM_SANITIZED
START_TEST(test_b_timed_at_80_cpus_finishes)
{
	/*
	 * The series' machine under B: a stopper re-entered from an IRQ's
	 * exit between its test and its clear of the work list acknowledged
	 * stop_machine() twice, and the next stop_machine() waited for ever
	 * (a deadlock at step 797,296 of this run: `compare --scale 1` had
	 * no figures for B). Every operation is measured only if it ends.
	 */
	struct sim_costs c;
	uint64_t ps[4];

	costs_default(&c);
	ops_at("B", 80, 2, &c, ps);
	for (unsigned i = 0; i < 4; i++)
		ck_assert_uint_gt(ps[i], 0);
}
END_TEST

START_TEST(test_series_shape_holds_across_every_cost_range)
{
	/*
	 * The conclusion docs/costs.md draws from the table, at both ends of
	 * every cost's registered range (the others at their defaults), not
	 * only at the defaults: under D, alloc and free of 1 GiB pages cost
	 * little more than with no BBM at all, demote and the free of 2 MiB
	 * pages cost much more (a pause round per 2 MiB range).
	 */
	unsigned cpus = sim_fibers_available() ? 16 : 8;
	struct sim_costs def;

	costs_default(&def);
	for (unsigned id = 0; id < costs_count(); id++) {
		const struct sim_cost_def *d = costs_def(id);

		for (int end = 0; end < 2 && d->lo != d->hi; end++) {
			struct sim_costs c = def;
			uint64_t none[4], dd[4];
			double pct[4];

			c.ps[id] = end ? d->hi : d->lo;
			costs_update_digest(&c);
			ops_at("none", cpus, 1, &c, none);
			ops_at("D", cpus, 1, &c, dd);
			for (int op = 0; op < 4; op++)
				pct[op] = compare_change_pct(dd[op], none[op]);
			ck_assert_msg(pct[0] > 0 && pct[0] < 30 && pct[1] > 0 && pct[1] < 30,
				      "%s=%" PRIu64 " ps: D on 1 GiB pages %+.1f%%, %+.1f%%",
				      d->name, c.ps[id], pct[0], pct[1]);
			ck_assert_msg(pct[2] > 30 && pct[3] > 30,
				      "%s=%" PRIu64 " ps: D's demote %+.1f%%, free-2m %+.1f%%",
				      d->name, c.ps[id], pct[2], pct[3]);
			ck_assert_msg(pct[2] > 2 * pct[1] && pct[3] > 2 * pct[1],
				      "%s=%" PRIu64
				      " ps: D's dear operations are not the 2 MiB ones",
				      d->name, c.ps[id]);
		}
	}
}
END_TEST
#endif

START_TEST(test_compare_scaling_arithmetic)
{
	/* --scale S runs round(600 S) pages, at least one. */
	ck_assert_uint_eq(compare_pages(0.01, 600), 6);
	ck_assert_uint_eq(compare_pages(1, 600), 600);
	ck_assert_uint_eq(compare_pages(0.0001, 600), 1);
	ck_assert_uint_eq(compare_pages(0.0025, 600), 2); /* 1.5 rounds up */
	/* 1 s of simulated time on 6 pages is 100 s on the series' 600. */
	ck_assert_double_eq_tol(compare_scaled_s(1000000000000ull, 6, 600), 100.0, 1e-9);
	/* Per page: 6 pages of 512 x 2 MiB in 3.072 ms is 1 us per 2 MiB page. */
	ck_assert_double_eq_tol(compare_per_page_ns(3072000000ull, 6, 512), 1000.0, 1e-9);
	ck_assert_double_eq_tol(compare_change_pct(262, 100), 162.0, 1e-9);
	ck_assert_double_eq_tol(compare_change_pct(5, 0), 0.0, 1e-9);
}
END_TEST

START_TEST(test_compare_figures_are_linear_in_pages)
{
	/*
	 * Scaling a run of N pages to the series' 600 assumes every operation
	 * costs the same per page: two pages cost twice one, to within the
	 * per-batch flushes (well under 1 %).
	 */
	struct sim_costs c;
	uint64_t one[4], two[4];

	costs_default(&c);
	ops_at("D", 8, 1, &c, one);
	ops_at("D", 8, 2, &c, two);
	for (int op = 0; op < 4; op++)
		ck_assert_double_eq_tol((double)two[op] / (double)one[op], 2.0, 0.01);
}
END_TEST

START_TEST(test_mm_registers_what_compare_compares)
{
	/* The command names no strategy: mm registers them, none first, as the baseline. */
	const struct cmp_spec *spec = compare_spec();
	const struct cmp_choice *const *c = compare_choices();
	static const char *const series[] = {"none", "A", "B", "C", "D"};

	ck_assert_ptr_nonnull(spec);
	ck_assert_str_eq(spec->option, "strategy");
	ck_assert_ptr_nonnull(scenario_find(spec->workload));
	for (unsigned i = 0; i < G_N_ELEMENTS(series); i++)
		ck_assert_ptr_nonnull(compare_choice_find(series[i]));
	ck_assert_str_eq(c[0]->name, "none");
	ck_assert(c[0]->baseline);
	for (; *c; c++) {
		struct sim_options o;
		char err[200];

		sim_options_default(&o);
		ck_assert_msg(!sim_options_set(&o, spec->option, (*c)->name, err, sizeof(err)),
			      "%s", err);
		/* A hazard scenario exists and picks a strategy itself. */
		for (const char *const *h = (*c)->hazards; h && *h; h++) {
			const struct scenario *scn = scenario_find(*h);
			bool forces = false;

			ck_assert_msg(scn, "hazard scenario %s of %s", *h, (*c)->name);
			for (const char *const *kv = scn->defaults; kv && *kv; kv++)
				forces |= !strncmp(*kv, "strategy=", 9);
			ck_assert_msg(forces, "%s does not set the strategy", *h);
		}
	}
	/* The hazards the issue names reach the table. */
	ck_assert_str_eq(compare_choice_find("A")->hazards[0], "hvo-2m-a-irq");
	ck_assert_str_eq(compare_choice_find("D")->hazards[0], "hvo-2m-d-no-nmi");
}
END_TEST

START_TEST(test_compare_runs_are_deterministic)
{
	uint64_t a[4], b[4];

	series_ops("B", 8, a);
	series_ops("B", 8, b);
	ck_assert(!memcmp(a, b, sizeof(a)));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("compare");
	TCase *tc = tcase_create("compare");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_d_costs_one_broadcast_sgi_per_pause_round);
	tcase_add_test(tc, test_optimize_costs_its_page_work_exactly);
	tcase_add_test(tc, test_b_costs_a_stopper_switch_per_cpu_per_range);
	tcase_add_test(tc, test_default_costs_give_the_series_shape);
	tcase_add_test(tc, test_compare_runs_are_deterministic);
#ifndef BBMSIM_SANITIZED
	/*
	 * 2 x every cost's range of timed runs: minutes under TSan, past
	 * ctest's limit. The plain build runs it; the sanitizers see the same
	 * code through the other compare tests.
	 */
	tcase_add_test(tc, test_series_shape_holds_across_every_cost_range);
	/* 80 CPUs: fibers; the sanitizer builds run threads. */
	tcase_add_test(tc, test_b_timed_at_80_cpus_finishes);
#endif
	tcase_add_test(tc, test_compare_scaling_arithmetic);
	tcase_add_test(tc, test_compare_figures_are_linear_in_pages);
	tcase_add_test(tc, test_mm_registers_what_compare_compares);
	suite_add_tcase(s, tc);
	return s;
}
