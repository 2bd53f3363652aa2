// SPDX-License-Identifier: GPL-2.0-only
/*
 * The completion of a broadcast TLBI orders the accesses other CPUs made
 * through the translations it removed (Arm ARM, completion of TLB maintenance: a DSB after a TLBI
 * completes once every access using the old translation has completed;
 * herd7's TLBI-ob, sim/arm/mm_tlbi.c). Each rule both ways, as litmus
 * programs explored exhaustively under --memory arm; the shapes are those
 * of herd7's aarch64-VMSA tests named in each comment, with their verdicts.
 */
#include "litmus/lit_report.h"
#include "litmus/litmus.h"
#include "testlib.h"

#include <check.h>
#include <string.h>

static const char *kind(const char *text, const char *memory)
{
	char err[300];
	struct litmus *lt = lit_parse("t.litmus", text, strlen(text), err, sizeof(err));
	struct sim_options opt;
	struct sim_costs costs;
	struct lit_result r;
	const char *k;

	ck_assert_msg(lt, "%s", err);
	sim_options_default(&opt);
	ck_assert(!sim_options_set(&opt, "memory", memory, err, sizeof(err)));
	costs_default(&costs);
	ck_assert_msg(!lit_check_test(lt, &opt, &costs, 200000, 0, &r, err, sizeof(err)), "%s",
		      err);
	ck_assert_msg(r.st.complete, "search incomplete after %lu runs", (unsigned long)r.st.runs);
	k = lit_kind(lt, &r);
	lit_result_free(&r);
	lit_free(lt);
	return k;
}

/*
 * P0 makes x writable and invalidates; P1 stores y, then (after @p1_order)
 * stores to x and faults on the old read-only descriptor; P0 then reads y.
 */
#define FAULT_AFTER(p1_order)                                   \
	"AArch64 fault-after\n"                                 \
	"{\n"                                                   \
	" [PTE(x)]=(db:0);\n"                                   \
	" 0:X1=(oa:PA(x),db:1); 0:X2=PTE(x); 0:X3=x; 0:X8=y;\n" \
	" 1:X3=x; 1:X8=y;\n"                                    \
	"}\n"                                                   \
	" P0              | P1            ;\n"                  \
	" STR X1,[X2]     | MOV W4,#1     ;\n"                  \
	" DSB ISH         | STR W4,[X8]   ;\n"                  \
	" LSR X9,X3,#12   | " p1_order "  ;\n"                  \
	" TLBI VAAE1IS,X9 | L0:           ;\n"                  \
	" DSB ISH         | STR W4,[X3]   ;\n"                  \
	" LDR W7,[X8]     |               ;\n"                  \
	"exists (0:X7=0 /\\ fault(P1:L0,x))\n"

/*
 * herd7 F4 (Forbidden): the DMB ST orders y before the faulting store,
 * which used the translation the TLBI removed: P0 cannot miss y.
 */
START_TEST(test_faulting_store_ordered_before_tlbi_completion)
{
	ck_assert_str_eq(kind(FAULT_AFTER("DMB ST"), "arm"), "Forbidden");
}
END_TEST

/* herd7 F5 (Allowed): a DMB LD does not order the store to y before it. */
START_TEST(test_unordered_store_not_pulled_by_tlbi_completion)
{
	ck_assert_str_eq(kind(FAULT_AFTER("DMB LD"), "arm"), "Allowed");
}
END_TEST

/*
 * P1 stores twice to x through the translation P0 replaces (x -> PA(z));
 * P0 reads the old page through y, which maps PA(x) too.
 */
#define STORES_THROUGH(p0_store)                           \
	"AArch64 stores-through\n"                         \
	"{\n"                                              \
	" [PTE(y)]=(oa:PA(x));\n"                          \
	" 0:X1=(oa:PA(z)); 0:X2=PTE(x); 0:X3=x; 0:X8=y;\n" \
	" 1:X3=x;\n"                                       \
	"}\n"                                              \
	" P0              | P1          ;\n"               \
	" " p0_store "    | MOV W4,#1   ;\n"               \
	" DSB ISH         | MOV W5,#2   ;\n"               \
	" LSR X9,X3,#12   | STR W4,[X3] ;\n"               \
	" TLBI VAAE1IS,X9 | STR W5,[X3] ;\n"               \
	" DSB ISH         |             ;\n"               \
	" LDR W7,[X8]     |             ;\n"               \
	"exists (0:X7=0 /\\ z=0 /\\ x=2)\n"

/*
 * herd7 G1 (Forbidden): both stores went to the old page, so they used
 * the removed translation; the TLBI's completion waits for them, even
 * while they sit in P1's store buffer.
 */
START_TEST(test_pending_stores_through_removed_translation_complete)
{
	ck_assert_str_eq(kind(STORES_THROUGH("STR X1,[X2]"), "arm"), "Forbidden");
}
END_TEST

/*
 * The allowed side: with the descriptor unchanged, P1's walk may as well
 * have happened after the TLBI (it read the value still there), so the
 * TLBI orders nothing and P1's stores may still be pending.
 */
START_TEST(test_tlbi_of_unchanged_translation_orders_nothing)
{
	ck_assert_str_eq(kind(STORES_THROUGH("NOP        "), "arm"), "Allowed");
}
END_TEST

/*
 * herd7 F1 (Allowed): a faulting STLR is no release (a fault is no
 * explicit write), so the store to y before it is not ordered.
 */
START_TEST(test_faulting_release_is_no_release)
{
	ck_assert_str_eq(kind(FAULT_AFTER("NOP   ") "", "arm"), "Allowed");
	ck_assert_str_eq(kind("AArch64 F1-shape\n"
			      "{\n"
			      " [PTE(x)]=(db:0);\n"
			      " 0:X1=(oa:PA(x),db:1); 0:X2=PTE(x); 0:X3=x; 0:X8=y;\n"
			      " 1:X3=x; 1:X8=y;\n"
			      "}\n"
			      " P0              | P1            ;\n"
			      " STR X1,[X2]     | MOV W4,#1     ;\n"
			      " DSB ISH         | STR W4,[X8]   ;\n"
			      " LSR X9,X3,#12   | L0:           ;\n"
			      " TLBI VAAE1IS,X9 | STLR W4,[X3]  ;\n"
			      " DSB ISH         |               ;\n"
			      " LDR W7,[X8]     |               ;\n"
			      "exists (0:X7=0 /\\ fault(P1:L0,x))\n",
			      "arm"),
			 "Allowed");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("tlbi_order");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_faulting_store_ordered_before_tlbi_completion);
	tcase_add_test(tc, test_unordered_store_not_pulled_by_tlbi_completion);
	tcase_add_test(tc, test_pending_stores_through_removed_translation_complete);
	tcase_add_test(tc, test_tlbi_of_unchanged_translation_orders_nothing);
	tcase_add_test(tc, test_faulting_release_is_no_release);
	suite_add_tcase(s, tc);
	return s;
}
