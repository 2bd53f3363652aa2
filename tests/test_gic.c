// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GIC's register model, host side: ICC_SGI1R_EL1 routing field by
 * field, coalescing, the priority mask, running priority and preemption,
 * EOI and DIR in both EOImodes.
 */
#include "gic/gic.h"
#include "sim/scenario.h"
#include "testlib.h"

#include <check.h>

static void noop_main(struct sim_cpu *cpu)
{
}

static const struct scenario bare = {.name = "test-bare", .cpu_main = noop_main};

static struct sim *machine(unsigned ncpus, unsigned cluster_size)
{
	struct sim_options o;
	struct sim_costs c;
	char err[200];
	struct sim *sim;

	sim_options_default(&o);
	sim_opt_set_uint(&o, OPT_cpus, ncpus);
	costs_default(&c);
	sim = sim_create(&bare, &o, &c, NULL, err, sizeof(err));
	ck_assert_msg(sim, "%s", err);
	ck_assert_int_eq(gic_create(sim, cluster_size, err, sizeof(err)), 0);
	for (unsigned i = 0; i < ncpus; i++) {
		for (unsigned n = 0; n < GIC_NR_SGI; n++) {
			gic_redist_set_priority(sim, i, n, 0xc0);
			gic_redist_enable(sim, i, n, true);
		}
		gic_cpuif_write_pmr(sim, i, 0xf0);
		gic_cpuif_write_igrpen1(sim, i, true);
	}
	return sim;
}

static void done(struct sim *sim)
{
	gic_destroy(sim);
	sim_destroy(sim);
}

static uint64_t sgi(unsigned aff3, unsigned aff2, unsigned aff1, unsigned rs, uint16_t tlist,
		    unsigned intid)
{
	return (uint64_t)aff3 << ICC_SGI1R_AFF3_SHIFT | (uint64_t)aff2 << ICC_SGI1R_AFF2_SHIFT |
	       (uint64_t)aff1 << ICC_SGI1R_AFF1_SHIFT | (uint64_t)rs << ICC_SGI1R_RS_SHIFT |
	       (uint64_t)intid << ICC_SGI1R_SGI_ID_SHIFT | tlist;
}

/* Bit per CPU that has @intid pending. */
static uint64_t pending_cpus(struct sim *sim, unsigned intid)
{
	uint64_t m = 0;

	for (unsigned i = 0; i < sim->ncpus && i < 64; i++)
		if (gic_pending(sim, i, intid))
			m |= 1ull << i;
	return m;
}

START_TEST(test_mpidr_follows_cluster_size)
{
	struct sim *sim = machine(40, 16);

	ck_assert_uint_eq(gic_mpidr(sim, 0), MPIDR_MAKE(0, 0, 0, 0));
	ck_assert_uint_eq(gic_mpidr(sim, 15), MPIDR_MAKE(0, 0, 0, 15));
	ck_assert_uint_eq(gic_mpidr(sim, 16), MPIDR_MAKE(0, 0, 1, 0));
	ck_assert_uint_eq(gic_mpidr(sim, 37), MPIDR_MAKE(0, 0, 2, 5));
	done(sim);
}
END_TEST

START_TEST(test_sgi1r_targetlist_picks_aff0_bits)
{
	struct sim *sim = machine(16, 16);

	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 0x8006, 3));
	ck_assert_uint_eq(pending_cpus(sim, 3), (1u << 1) | (1u << 2) | (1u << 15));
	done(sim);
}
END_TEST

START_TEST(test_sgi1r_intid_field_selects_the_sgi)
{
	struct sim *sim = machine(4, 4);

	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 2, 13));
	ck_assert(gic_pending(sim, 2, 13));
	for (unsigned n = 0; n < GIC_NR_SGI; n++)
		ck_assert_int_eq(gic_pending(sim, 2, n), n == 13);
	done(sim);
}
END_TEST

START_TEST(test_sgi1r_aff1_selects_the_cluster)
{
	struct sim *sim = machine(64, 16);

	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 2, 0, 0x5, 1));
	ck_assert_uint_eq(pending_cpus(sim, 1), (1ull << 32) | (1ull << 34));
	done(sim);
}
END_TEST

START_TEST(test_sgi1r_aff2_and_aff3_must_match)
{
	struct sim *sim = machine(8, 8);

	gic_set_mpidr(sim, 5, MPIDR_MAKE(3, 2, 0, 1));
	gic_set_mpidr(sim, 6, MPIDR_MAKE(0, 2, 0, 1));
	gic_cpuif_write_sgi1r(sim, 0, sgi(3, 2, 0, 0, 1u << 1, 4));
	ck_assert_uint_eq(pending_cpus(sim, 4), 1u << 5);
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 2, 0, 0, 1u << 1, 5));
	ck_assert_uint_eq(pending_cpus(sim, 5), 1u << 6);
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 6));
	ck_assert_uint_eq(pending_cpus(sim, 6), 1u << 1);
	done(sim);
}
END_TEST

START_TEST(test_sgi1r_rs_selects_the_aff0_range)
{
	struct sim *sim = machine(64, 32); /* Aff0 0..31: two ranges of 16 */

	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 1, 1u << 1, 7));
	ck_assert_uint_eq(pending_cpus(sim, 7), 1u << 17);
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 1, 0, 1u << 1, 8));
	ck_assert_uint_eq(pending_cpus(sim, 8), 1ull << 33);
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 1, 1, 1u << 15, 9));
	ck_assert_uint_eq(pending_cpus(sim, 9), 1ull << 63);
	done(sim);
}
END_TEST

START_TEST(test_sgi1r_irm_targets_every_pe_but_the_writer)
{
	struct sim *sim = machine(40, 16);

	/* IRM=1 ignores the affinity and target list fields */
	gic_cpuif_write_sgi1r(sim, 7, 1ull << ICC_SGI1R_IRM_BIT | sgi(0, 0, 1, 0, 0x1, 2));
	for (unsigned i = 0; i < 40; i++)
		ck_assert_int_eq(gic_pending(sim, i, 2), i != 7);
	ck_assert_uint_eq(gic_stats(sim)->sgi_writes, 1);
	ck_assert_uint_eq(gic_stats(sim)->sgi_raised, 39);
	done(sim);
}
END_TEST

START_TEST(test_pending_sgi_coalesces)
{
	struct sim *sim = machine(2, 2);

	for (int i = 0; i < 3; i++)
		gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 4));
	ck_assert_uint_eq(gic_stats(sim)->sgi_coalesced, 2);
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), 4);
	gic_cpuif_write_eoir1(sim, 1, 4);
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), GIC_INTID_SPURIOUS);
	ck_assert_uint_eq(gic_acks(sim, 1, 4), 1);
	done(sim);
}
END_TEST

START_TEST(test_pmr_masks_priorities_not_below_it)
{
	struct sim *sim = machine(2, 2);

	gic_cpuif_write_pmr(sim, 1, 0xc0); /* Linux "IRQs off" with pseudo-NMI */
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 1));
	ck_assert(gic_pending(sim, 1, 1));
	ck_assert(!sim->cpus[1].irq_line);
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), GIC_INTID_SPURIOUS);
	gic_cpuif_write_pmr(sim, 1, 0xe0); /* unmasked */
	ck_assert(sim->cpus[1].irq_line);
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), 1);
	done(sim);
}
END_TEST

START_TEST(test_nmi_priority_passes_the_irqs_off_pmr)
{
	struct sim *sim = machine(2, 2);

	gic_redist_set_priority(sim, 1, 3, 0x80);
	gic_cpuif_write_pmr(sim, 1, 0xc0);
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 1));
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 3));
	ck_assert(sim->cpus[1].irq_line);
	ck_assert_uint_eq(gic_cpuif_read_hppir1(sim, 1), 3);
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), 3);
	ck_assert_uint_eq(gic_cpuif_read_rpr(sim, 1), 0x80);
	done(sim);
}
END_TEST

START_TEST(test_priority_keeps_five_bits)
{
	struct sim *sim = machine(1, 1);

	gic_redist_set_priority(sim, 0, 2, 0xc7);
	ck_assert_uint_eq(gic_priority(sim, 0, 2), 0xc0);
	gic_cpuif_write_pmr(sim, 0, 0xe5);
	ck_assert_uint_eq(gic_cpuif_read_pmr(sim, 0), 0xe0);
	done(sim);
}
END_TEST

START_TEST(test_only_a_higher_priority_preempts_the_running_one)
{
	struct sim *sim = machine(2, 2);

	gic_redist_set_priority(sim, 1, 3, 0x80);
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 1));
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), 1);
	ck_assert_uint_eq(gic_cpuif_read_rpr(sim, 1), 0xc0);
	/* same priority: pending but not signalled while 1 runs */
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 2));
	ck_assert(!sim->cpus[1].irq_line);
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), GIC_INTID_SPURIOUS);
	/* more urgent: preempts */
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 3));
	ck_assert(sim->cpus[1].irq_line);
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), 3);
	ck_assert_uint_eq(gic_cpuif_read_rpr(sim, 1), 0x80);
	/* EOIs drop the most urgent priority first */
	gic_cpuif_write_eoir1(sim, 1, 3);
	ck_assert_uint_eq(gic_cpuif_read_rpr(sim, 1), 0xc0);
	gic_cpuif_write_eoir1(sim, 1, 1);
	ck_assert_uint_eq(gic_cpuif_read_rpr(sim, 1), GIC_PRIO_IDLE);
	ck_assert(sim->cpus[1].irq_line); /* SGI 2 now */
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), 2);
	done(sim);
}
END_TEST

START_TEST(test_eoimode0_eoi_drops_priority_and_deactivates)
{
	struct sim *sim = machine(2, 2);

	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 5));
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), 5);
	ck_assert(gic_active(sim, 1, 5));
	gic_cpuif_write_eoir1(sim, 1, 5);
	ck_assert(!gic_active(sim, 1, 5));
	ck_assert_uint_eq(gic_cpuif_read_rpr(sim, 1), GIC_PRIO_IDLE);
	/* DIR with EOImode 0 is not a deactivation */
	gic_cpuif_write_dir(sim, 1, 5);
	ck_assert_uint_eq(gic_stats(sim)->bad_eoi, 1);
	done(sim);
}
END_TEST

START_TEST(test_eoimode1_eoi_drops_priority_dir_deactivates)
{
	struct sim *sim = machine(2, 2);

	gic_cpuif_write_ctlr(sim, 1, ICC_CTLR_EOIMODE);
	ck_assert_uint_eq(gic_cpuif_read_ctlr(sim, 1), ICC_CTLR_EOIMODE);
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 5));
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), 5);
	gic_cpuif_write_eoir1(sim, 1, 5);
	ck_assert_uint_eq(gic_cpuif_read_rpr(sim, 1), GIC_PRIO_IDLE);
	ck_assert(gic_active(sim, 1, 5));
	/* active and pending again: not signalled until deactivated */
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 5));
	ck_assert(!sim->cpus[1].irq_line);
	gic_cpuif_write_dir(sim, 1, 5);
	ck_assert(!gic_active(sim, 1, 5));
	ck_assert(sim->cpus[1].irq_line);
	ck_assert_uint_eq(gic_cpuif_read_iar1(sim, 1), 5);
	ck_assert_uint_eq(gic_stats(sim)->bad_eoi, 0);
	done(sim);
}
END_TEST

START_TEST(test_disabled_or_group_off_is_not_signalled)
{
	struct sim *sim = machine(2, 2);

	gic_redist_enable(sim, 1, 6, false);
	gic_cpuif_write_sgi1r(sim, 0, sgi(0, 0, 0, 0, 1u << 1, 6));
	ck_assert(gic_pending(sim, 1, 6));
	ck_assert(!sim->cpus[1].irq_line);
	gic_redist_enable(sim, 1, 6, true);
	ck_assert(sim->cpus[1].irq_line);
	gic_cpuif_write_igrpen1(sim, 1, false);
	ck_assert(!sim->cpus[1].irq_line);
	done(sim);
}
END_TEST

START_TEST(test_gic_scenarios_are_clean)
{
	static const char *const names[] = {"gic-sgi-broadcast", "gic-sgi-targetlist",
					    "gic-sgi-coalesce"};

	for (unsigned i = 0; i < 3; i++) {
		ck_assert_uint_eq(t_explore(names[i], "sched=random cpus=8", 20, -1), 0);
		ck_assert_uint_eq(t_explore(names[i], "sched=pct cpus=80", 10, -1), 0);
		ck_assert_uint_eq(t_explore(names[i], "sched=timed cpus=33 cluster_size=4", 3, -1),
				  0);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("gic");
	TCase *tc = tcase_create("gic");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_mpidr_follows_cluster_size);
	tcase_add_test(tc, test_sgi1r_targetlist_picks_aff0_bits);
	tcase_add_test(tc, test_sgi1r_intid_field_selects_the_sgi);
	tcase_add_test(tc, test_sgi1r_aff1_selects_the_cluster);
	tcase_add_test(tc, test_sgi1r_aff2_and_aff3_must_match);
	tcase_add_test(tc, test_sgi1r_rs_selects_the_aff0_range);
	tcase_add_test(tc, test_sgi1r_irm_targets_every_pe_but_the_writer);
	tcase_add_test(tc, test_pending_sgi_coalesces);
	tcase_add_test(tc, test_pmr_masks_priorities_not_below_it);
	tcase_add_test(tc, test_nmi_priority_passes_the_irqs_off_pmr);
	tcase_add_test(tc, test_priority_keeps_five_bits);
	tcase_add_test(tc, test_only_a_higher_priority_preempts_the_running_one);
	tcase_add_test(tc, test_eoimode0_eoi_drops_priority_and_deactivates);
	tcase_add_test(tc, test_eoimode1_eoi_drops_priority_dir_deactivates);
	tcase_add_test(tc, test_disabled_or_group_off_is_not_signalled);
	tcase_add_test(tc, test_gic_scenarios_are_clean);
	suite_add_tcase(s, tc);
	return s;
}
