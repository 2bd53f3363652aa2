// SPDX-License-Identifier: GPL-2.0-only
/*
 * FEAT_HAFDBS, hardware Access flag and dirty state updates (Arm ARM DDI
 * 0487, D8.5 "Hardware updates to the translation tables"), as herd7's
 * aarch64.cat orders them (HU events: aarch64hwreqs.cat, TTD-obs): one
 * test pair per rule, the allowed outcome reached in some execution and
 * the forbidden one in none (every execution explored, litmus/dpor.c).
 * The programs are ours, in the shape of the herd7 catalogue test named.
 */
#include "litmus/lit_report.h"
#include "litmus/litmus.h"
#include "testlib.h"

#include <check.h>
#include <glib.h>
#include <string.h>

/* Runs every execution of @text; returns how many satisfy its condition. */
static uint64_t positive(const char *text, bool ets2)
{
	char err[300];
	struct litmus *lt = lit_parse("t.litmus", text, strlen(text), err, sizeof(err));
	struct sim_options opt;
	struct sim_costs costs;
	struct lit_result r;
	uint64_t n;

	ck_assert_msg(lt, "%s", err);
	sim_options_default(&opt);
	ck_assert(!sim_options_set(&opt, "memory", "arm", err, sizeof(err)));
	if (ets2)
		ck_assert(!sim_options_set(&opt, "ets2", "1", err, sizeof(err)));
	costs_default(&costs);
	ck_assert_msg(!lit_check_test(lt, &opt, &costs, 200000, 0, &r, err, sizeof(err)), "%s",
		      err);
	ck_assert_msg(r.st.complete, "incomplete after %lu runs", (unsigned long)r.st.runs);
	n = r.positive;
	lit_result_free(&r);
	lit_free(lt);
	return n;
}

/*
 * TCR_EL1.HA is per PE (D8.5; herd7 TTHM=P0:HA): P0's walk sets AF, P1's
 * takes the Access flag fault. P1 may fault even after it saw P0's later
 * store, since nothing orders P1's walk after its load without FEAT_ETS2
 * (herd7 NT-10-dmb, NT-10-dsb: Allowed). A PE with HA never takes it.
 */
#define NT10(tthm, p0bar)                                                   \
	"AArch64 NT10\nTTHM=" tthm "\nVariant=precise\n"                    \
	"{ pte_x=(af:0); x=1; 0:X0=x; 0:X4=y; 1:X0=y; 1:X2=x; }\n"          \
	" P0 | P1 ;\n LDR W1,[X0] | LDR W1,[X0] ;\n " p0bar " | DMB LD ;\n" \
	" MOV W3,#1 | L1: ;\n STR W3,[X4] | LDR W3,[X2] ;\n"                \
	"exists 1:X1=1 /\\ fault(P1:L1,x,MMU:AccessFlag)\n"

START_TEST(test_ha_is_per_pe)
{
	ck_assert_uint_gt(positive(NT10("P0:HA", "DMB SY"), false), 0);
	ck_assert_uint_gt(positive(NT10("P0:HA", "DSB SY"), false), 0);
	ck_assert_uint_eq(positive(NT10("HA", "DMB SY"), false), 0);
	/* ETS2: P1's walk follows its load, which saw P0's HU through the DSB (Forbidden). */
	ck_assert_uint_eq(positive(NT10("P0:HA", "DSB SY"), true), 0);
}
END_TEST

/*
 * The update is not ordered before the PE's later accesses by DSB ST or
 * DSB LD (herd7 MP+HA-DSB.ST, MP+HA-DSB.LD: Allowed): P1 sees P0's flag
 * and still reads the descriptor without AF. A full DSB orders it
 * (MP+HA-DSB.ISH: Forbidden; aarch64hwreqs.cat DSB-ob).
 */
#define MP_HA(bar)                                                                 \
	"AArch64 MPHA\nTTHM=HA\n"                                                  \
	"{ pte_x=(oa:phy_x,af:0); 0:X1=x; 0:X3=1; 0:X4=y; 1:X4=y; 1:X1=pte_x; }\n" \
	" P0 | P1 ;\n LDR W2,[X1] | LDR W3,[X4] ;\n " bar " | DMB LD ;\n"          \
	" STR W3,[X4] | LDR X2,[X1] ;\n"                                           \
	"exists (1:X3=1 /\\ 1:X2=(oa:phy_x,af:0))\n"

START_TEST(test_af_update_waits_for_a_full_dsb)
{
	ck_assert_uint_gt(positive(MP_HA("DSB ST"), false), 0);
	ck_assert_uint_gt(positive(MP_HA("DSB LD"), false), 0);
	ck_assert_uint_gt(positive(MP_HA("DMB SY"), false), 0);
	ck_assert_uint_eq(positive(MP_HA("DSB ISH"), false), 0);
}
END_TEST

/* The same for a dirty state update (herd7 MP+HD-DSB.ST Allowed, MP+HD-DSB.ISH Forbidden). */
#define MP_HD(bar)                                                                 \
	"AArch64 MPHD\nTTHM=HD\n"                                                  \
	"{ pte_x=(oa:phy_x,db:0,dbm:1); 0:X1=x; 0:X2=1; 0:X3=1; 0:X4=y; 1:X4=y;\n" \
	"  1:X1=pte_x; }\n"                                                        \
	" P0 | P1 ;\n STR W2,[X1] | LDR W3,[X4] ;\n " bar " | DMB LD ;\n"          \
	" STR W3,[X4] | LDR X2,[X1] ;\n"                                           \
	"exists (1:X3=1 /\\ 1:X2=(oa:phy_x,db:0,dbm:1))\n"

START_TEST(test_dirty_update_waits_for_a_full_dsb)
{
	ck_assert_uint_gt(positive(MP_HD("DSB ST"), false), 0);
	ck_assert_uint_eq(positive(MP_HD("DSB ISH"), false), 0);
}
END_TEST

/*
 * Even the updating PE's own later read of the descriptor may come before
 * the update (herd7 coRR+HA-DSB.LD: Allowed), not after a full DSB
 * (coRR+HA-DSB.ISH: Forbidden).
 */
#define CORR_HA(bar)                                                                \
	"AArch64 coRRHA\nTTHM=HA\n{ pte_x=(oa:phy_x,af:0); 0:X1=x; 0:X4=pte_x; }\n" \
	" P0 ;\n LDR W2,[X1] ;\n " bar " ;\n LDR X3,[X4] ;\n"                       \
	"exists (0:X3=(oa:phy_x,af:0))\n"

START_TEST(test_own_read_may_precede_the_update)
{
	ck_assert_uint_gt(positive(CORR_HA("DSB LD"), false), 0);
	ck_assert_uint_eq(positive(CORR_HA("DSB ISH"), false), 0);
}
END_TEST

/*
 * A speculative walk may set AF in a valid descriptor with no access at
 * all (herd7 NOP+AF, SpecAF: Allowed); never without HA, never in an
 * invalid descriptor (STRv0+af: Forbidden).
 */
START_TEST(test_speculative_af_without_an_access)
{
	ck_assert_uint_gt(positive("AArch64 NOPAF\nTTHM=HA\n{ x=0; pte_x=(af:0); }\n P0 ;\n NOP ;\n"
				   "exists pte_x=(oa:phy_x,af:1)\n",
				   false),
			  0);
	ck_assert_uint_eq(positive("AArch64 NOPAF0\n{ x=0; pte_x=(af:0); }\n P0 ;\n NOP ;\n"
				   "exists pte_x=(oa:phy_x,af:1)\n",
				   false),
			  0);
	ck_assert_uint_eq(positive("AArch64 NOPAFV\nTTHM=HA\n{ x=0; pte_x=(af:0,valid:0); }\n"
				   " P0 ;\n NOP ;\nexists pte_x=(oa:phy_x,af:1,valid:0)\n",
				   false),
			  0);
}
END_TEST

/*
 * The update is atomic with the walk's read (aarch64.cat `atomic`): a
 * write of the descriptor comes after a waiting update (P1's SWP reads
 * AF set, P0's store done: herd7 STRx+SWPptex+af), or P0's walk reads
 * what the SWP wrote and faults; never both an old AF=0 read by the SWP
 * and P0's store through the descriptor it replaced. Nor may a
 * speculative update come between the walk and its update (herd7
 * STRx-LDRptex: AF set but not dirty, Forbidden).
 */
#define SWP_AF(cond)                                                              \
	"AArch64 SWPAF\nTTHM=HA\n"                                                \
	"{ pte_x=(af:0); 0:X2=x; 1:X4=pte_x; 1:X6=(oa:phy_x,af:0,valid:0); }\n"   \
	" P0 | P1 ;\n MOV W1,#1 | SWP X6,X8,[X4] ;\n L0: | ;\n STR W1,[X2] | ;\n" \
	"exists (" cond ")\n"

START_TEST(test_update_is_atomic_with_its_walk)
{
	ck_assert_uint_gt(positive(SWP_AF("1:X8=(oa:phy_x,af:1) /\\ x=1"), false), 0);
	ck_assert_uint_gt(positive(SWP_AF("1:X8=(oa:phy_x,af:0) /\\ fault(P0:L0,x)"), false), 0);
	ck_assert_uint_eq(positive(SWP_AF("1:X8=(oa:phy_x,af:0) /\\ x=1"), false), 0);
	ck_assert_uint_eq(positive("AArch64 AFnoDB\nTTHM=HA HD\n"
				   "{ pte_x=(oa:phy_x,af:0,db:0,dbm:1); 0:X2=x; 1:X4=pte_x; }\n"
				   " P0 | P1 ;\n MOV W1,#1 | ;\n STR W1,[X2] | LDR X3,[X4] ;\n"
				   "exists (pte_x=(af:1,db:0,dbm:1))\n",
				   false),
			  0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("hafdbs");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_ha_is_per_pe);
	tcase_add_test(tc, test_af_update_waits_for_a_full_dsb);
	tcase_add_test(tc, test_dirty_update_waits_for_a_full_dsb);
	tcase_add_test(tc, test_own_read_may_precede_the_update);
	tcase_add_test(tc, test_speculative_af_without_an_access);
	tcase_add_test(tc, test_update_is_atomic_with_its_walk);
	suite_add_tcase(s, tc);
	return s;
}
