// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cost accounting behind `bbmsim compare`: exact on small workloads
 * with a cost table that makes one kind of event visible, and the shape of
 * the series' table on the default costs.
 */
#include "mm/mm.h"
#include "testlib.h"

#include <check.h>
#include <glib.h>
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
	suite_add_tcase(s, tc);
	return s;
}
