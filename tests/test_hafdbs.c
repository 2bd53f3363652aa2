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

Suite *test_suite(void)
{
	Suite *s = suite_create("hafdbs");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_ha_is_per_pe);
	suite_add_tcase(s, tc);
	return s;
}
