// SPDX-License-Identifier: GPL-2.0-only
/*
 * bbmsim litmus: the parser (herd7's syntax, and one line naming the
 * problem for anything else), the runs (the Arm ARM's BBM rule, D8.16.1,
 * each way), and the exhaustive exploration (DPOR finds every final state
 * that the unreduced search finds).
 */
#include "litmus/lit_report.h"
#include "litmus/litmus.h"
#include "testlib.h"

#include <check.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct litmus *parse(const char *text, char *err, size_t errlen)
{
	return lit_parse("t.litmus", text, strlen(text), err, errlen);
}

static void expect_error(const char *text, const char *msg)
{
	char err[300];
	struct litmus *lt = parse(text, err, sizeof(err));

	ck_assert_ptr_null(lt);
	ck_assert_msg(strstr(err, msg), "error '%s' lacks '%s'", err, msg);
}

#define MP_BBM                                                               \
	"AArch64 MP+bbm\n"                                                   \
	"Variant=vmsa\n"                                                     \
	"{\n"                                                                \
	" [x]=1; [y]=2;\n"                                                   \
	" 0:X0=PTE(x); 0:X1=(oa:PA(x), valid:0); 0:X2=(oa:PA(y)); 0:X3=x;\n" \
	" 1:X3=x;\n"                                                         \
	"}\n"                                                                \
	" P0              | P1               ;\n"                            \
	" STR X1,[X0]     | L01: LDR W4,[X3] ;\n"                            \
	" DSB ISH         | L00: LDR W5,[X3] ;\n"                            \
	" LSR X4,X3,#12   |                  ;\n"                            \
	" TLBI VAAE1IS,X4 |                  ;\n"                            \
	" DSB ISH         |                  ;\n"                            \
	" STR X2,[X0]     |                  ;\n"                            \
	"exists (1:X4=2 /\\ 1:X5=1)\n"

START_TEST(test_parse_herd_syntax)
{
	char err[300];
	struct litmus *lt = parse(MP_BBM, err, sizeof(err));

	ck_assert_msg(lt, "%s", err);
	ck_assert_str_eq(lt->name, "MP+bbm");
	ck_assert_int_eq(lt->nprocs, 2);
	ck_assert_int_eq(lt->th[0].nins, 6);
	ck_assert_int_eq(lt->th[1].nins, 2);
	ck_assert_int_eq(lt->th[0].ins[3].op, LOP_TLBI);
	ck_assert_int_eq(lt->th[0].ins[3].tlbi, TLBI_VAAE1IS);
	ck_assert_int_eq(lt->quant, LQ_EXISTS);
	ck_assert_int_eq(lt->cond->kind, LP_AND);
	/* 0:X1=(oa:PA(x), valid:0): the other fields keep herd's defaults */
	ck_assert_int_eq(lt->init[3].val.kind, LV_DESC);
	ck_assert_int_eq(lt->init[3].val.d.valid, 0);
	ck_assert_int_eq(lt->init[3].val.d.af, 1);
	ck_assert_int_eq(lt->init[3].val.d.db, 1);
	lit_free(lt);
}
END_TEST

/* herd7 spells x's last-level descriptor TTD(x) too (S+dmb.st+trib-po). */
START_TEST(test_parse_ttd_is_pte)
{
	char err[300];
	struct litmus *lt = parse("AArch64 ttd\n{ TTD(x)=(oa:PA(x), valid:0);\n"
				  " 0:X0=TTD(x); 0:X1=PTE(x); }\n"
				  " P0 ;\n LDR X2,[X0] ;\nexists (0:X2=0)\n",
				  err, sizeof(err));

	ck_assert_msg(lt, "%s", err);
	ck_assert_int_eq(lt->init[0].loc.addr.kind, LV_PTE);
	ck_assert_int_eq(lt->init[1].val.kind, LV_PTE);
	ck_assert_int_eq(lt->init[1].val.sym, lt->init[2].val.sym);
	ck_assert_int_eq(lt->init[1].val.level, lt->init[2].val.level);
	ck_assert_int_eq(lt->init[0].loc.addr.sym, lt->init[2].val.sym);
	lit_free(lt);
}
END_TEST

START_TEST(test_parse_errors_name_file_and_line)
{
	expect_error("AArch64 T\n{ 0:X1=x; }\n P0 ;\n FOO X1 ;\nexists (0:X1=1)\n",
		     "t.litmus:4: unsupported instruction 'FOO'");
	expect_error("X86 T\n{}\n P0 ;\n NOP ;\nexists (0:X1=1)\n",
		     "t.litmus:1: not an AArch64 litmus test");
	expect_error("AArch64 T\n(* open\n{}\n", "t.litmus:2: unterminated comment");
	expect_error("AArch64 T\n{ 0:X1=x; }\n P0 ;\n NOP ;\n", "no condition");
	expect_error("AArch64 T\n{ 0:X1=TTE(x); }\n P0 ;\n NOP ;\nexists (0:X1=1)\n",
		     "t.litmus:2: bad location 'TTE(x)'");
	expect_error("AArch64 T\n{}\n P0 ;\n B L9 ;\nexists (0:X1=1)\n",
		     "t.litmus:4: undefined label 'L9'");
	expect_error("AArch64 T\nVariant=mixed\n{}\n P0 ;\n NOP ;\nexists (0:X1=1)\n",
		     "t.litmus:2: unsupported variant 'mixed'");
	/* A page past 2 MiB needs the location's GiB (PUD(x) or a level:1 block names it). */
	expect_error("AArch64 T\n{ [PTE(x)]=(oa:PA(x)+512); }\n P0 ;\n NOP ;\nexists (0:X1=1)\n",
		     "t.litmus:2: oa:PA(x)+512 is past x's 2 MiB region (name PUD(x))");
	/* EL0=: threads that exist, and nothing EL0 cannot execute */
	expect_error("AArch64 T\nEL0=Q1\n{}\n P0 ;\n NOP ;\nexists (0:X1=1)\n",
		     "t.litmus:2: EL0: 'Q1' is not a thread");
	expect_error("AArch64 T\nEL0=P1\n{}\n P0 ;\n NOP ;\nexists (0:X1=1)\n",
		     "t.litmus:1: EL0 names a thread that does not exist");
	expect_error("AArch64 T\nEL0=P0\n{ 0:X1=x; }\n P0 ;\n TLBI VAAE1IS,X1 ;\nexists (0:X1=1)\n",
		     "t.litmus:5: P0 runs at EL0, where TLBI is UNDEFINED");
}
END_TEST

/* The options `bbmsim litmus` runs with: the Arm data memory model, or @memory. */
static void litmus_options(struct sim_options *opt, const char *memory)
{
	char err[200];

	sim_options_default(opt);
	ck_assert(!sim_options_set(opt, "memory", memory, err, sizeof(err)));
}

static struct lit_result check_mem(const char *text, unsigned flags, const char *memory)
{
	char err[300];
	struct litmus *lt = parse(text, err, sizeof(err));
	struct sim_options opt;
	struct sim_costs costs;
	struct lit_result r;

	ck_assert_msg(lt, "%s", err);
	litmus_options(&opt, memory);
	costs_default(&costs);
	ck_assert_msg(!lit_check_test(lt, &opt, &costs, 200000, flags, &r, err, sizeof(err)), "%s",
		      err);
	ck_assert_msg(r.st.complete, "%lu", (unsigned long)r.st.runs);
	lit_free(lt);
	return r;
}

static struct lit_result check_text(const char *text, unsigned flags)
{
	return check_mem(text, flags, "arm");
}

/* LOCATION<>VALUE is herd7's "differs" (Sc06): the negation of LOCATION=VALUE. */
START_TEST(test_condition_differs)
{
	struct lit_result same = check_text("AArch64 ne\n{ }\n P0 ;\n MOV W1,#1 ;\n"
					    "exists (0:X1<>1)\n",
					    0);
	struct lit_result other = check_text("AArch64 ne\n{ }\n P0 ;\n MOV W1,#1 ;\n"
					     "exists (0:X1<>2)\n",
					     0);

	ck_assert_uint_eq(same.positive, 0);
	ck_assert_uint_gt(same.negative, 0);
	ck_assert_uint_eq(other.negative, 0);
	ck_assert_uint_gt(other.positive, 0);
	lit_result_free(&same);
	lit_result_free(&other);
}
END_TEST

/* D8.16.1: break, DSB, TLBI, DSB, make: no flag, and no reader sees new then old. */
START_TEST(test_bbm_sequence_is_clean_and_never_goes_back)
{
	struct lit_result r = check_text(MP_BBM, 0);

	ck_assert(!r.bbm);
	ck_assert_uint_eq(r.positive, 0);
	ck_assert_uint_gt(r.negative, 0);
	lit_result_free(&r);
}
END_TEST

/* D8.16.1: a writable page moved to another output address without a break is flagged. */
START_TEST(test_direct_oa_change_is_flagged)
{
	struct lit_result r = check_text("AArch64 skip\n{ [x]=1; [y]=2; 0:X0=PTE(x);\n"
					 " 0:X2=(oa:PA(y)); 1:X3=x; }\n"
					 " P0 | P1 ;\n STR X2,[X0] | LDR W4,[X3] ;\n"
					 "exists (1:X4=2)\n",
					 0);

	ck_assert(r.bbm);
	ck_assert_uint_gt(r.positive, 0);
	lit_result_free(&r);
}
END_TEST

/* D8.16.1: a permission-only change needs no break; a store may then fault. */
START_TEST(test_permission_change_is_not_flagged)
{
	struct lit_result r = check_text("AArch64 perm\n{ [x]=1; 0:X0=PTE(x);\n"
					 " 0:X2=(oa:PA(x), db:0); 1:X3=x; 1:X5=3; }\n"
					 " P0 | P1 ;\n STR X2,[X0] | L0: STR W5,[X3] ;\n"
					 "exists (fault(P1:L0,x,MMU:Permission))\n",
					 0);

	ck_assert(!r.bbm);
	ck_assert_uint_gt(r.positive, 0); /* the store after the change faults */
	ck_assert_uint_gt(r.negative, 0); /* the store before it does not */
	lit_result_free(&r);
}
END_TEST

/* A fault ends a thread without a handler; with P0.F, ERET returns to ELR_EL1. */
START_TEST(test_fault_handler_runs_and_returns)
{
	struct lit_result r =
		check_text("AArch64 fh\n{ [x]=1; [PTE(x)]=(oa:PA(x), valid:0);\n"
			   " 0:X3=x; }\n"
			   " P0 | P0.F ;\n L0: LDR W4,[X3] | MOV W7,#5 ;\n"
			   " MOV W6,#1 | ADR X9,L1 ;\n L1: MOV W8,#2 | MSR ELR_EL1,X9 ;\n"
			   " | ERET ;\n"
			   "forall (fault(P0:L0,x,MMU:Translation) /\\ 0:X7=5 /\\ 0:X6=0 /\\ "
			   "0:X8=2)\n",
			   0);

	ck_assert_uint_eq(r.negative, 0);
	ck_assert_uint_eq(r.positive, 1);
	lit_result_free(&r);
}
END_TEST

static GHashTable *state_set(const struct lit_result *r)
{
	GHashTable *h = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (guint i = 0; i < r->states->len; i++) {
		const struct lit_state_count *sc = r->states->pdata[i];
		g_hash_table_add(h, g_strdup(sc->state));
	}
	return h;
}

/* The reduction loses no final state: DPOR and the unreduced search agree. */
/*
 * The unreduced searches (up to 94,000 executions) check the explorer's
 * logic, which is single-threaded: under TSan, where each execution's
 * thread hand-offs cost 40 times more, only the reduced ones run.
 */
#ifdef __SANITIZE_THREAD__
#define T_NO_UNREDUCED 1
#else
#define T_NO_UNREDUCED 0
#endif

START_TEST(test_dpor_finds_every_state)
{
	static const struct {
		const char *memory, *text;
	} tests[] = {
		{"sc", "AArch64 BM\n{ [x]=1; [y]=2; 0:X0=PTE(x); 0:X1=(oa:PA(x), valid:0);\n"
		       " 0:X2=(oa:PA(y)); 1:X3=x; }\n P0 | P1 ;\n STR X1,[X0] | LDR W4,[X3] ;\n"
		       " STR X2,[X0] | LDR W5,[X3] ;\nexists (1:X4=2 /\\ 1:X5=1)\n"},
		{"sc", "AArch64 SB\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n P0 | P1 ;\n"
		       " MOV W0,#1 | MOV W0,#1 ;\n STR W0,[X1] | STR W0,[X1] ;\n"
		       " LDR W2,[X3] | LDR W2,[X3] ;\nexists (0:X2=0 /\\ 1:X2=0)\n"},
		{"sc",
		 "AArch64 CoRR\n{ [x]=1; [y]=2; [PTE(x)]=(oa:PA(x),db:0);\n"
		 " 0:X4=(oa:PA(y),db:0); 0:X5=PTE(x); 1:X1=x; }\n P0 | P1 ;\n"
		 " STR X4,[X5] | LDR W0,[X1] ;\n | LDR W2,[X1] ;\nexists (1:X0=2 /\\ 1:X2=1)\n"},
		/* --memory arm: its read-from and propagate decisions, barriers, dependencies */
		{"arm",
		 "AArch64 CoRR\n{ 0:X1=x; 1:X1=x; }\n P0 | P1 ;\n MOV W0,#1 | LDR W0,[X1] ;\n"
		 " STR W0,[X1] | LDR W2,[X1] ;\nexists (1:X0=1 /\\ 1:X2=0)\n"},
		{"arm", "AArch64 W+W+R\n{ 0:X1=x; 0:X3=y; 1:X1=y; }\n P0 | P1 ;\n"
			" MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | ;\n STR W0,[X3] | ;\n"
			"exists (1:X0=1)\n"},
	};

	for (size_t i = 0; i < G_N_ELEMENTS(tests); i++) {
		struct lit_result a = check_mem(tests[i].text, 0, tests[i].memory);

		if (T_NO_UNREDUCED) {
			lit_result_free(&a);
			continue;
		}
		struct lit_result b = check_mem(tests[i].text, DPOR_ALL_DEPENDENT, tests[i].memory);
		GHashTable *sa = state_set(&a), *sb = state_set(&b);

		ck_assert_uint_eq(g_hash_table_size(sa), g_hash_table_size(sb));
		GHashTableIter it;
		gpointer k;
		g_hash_table_iter_init(&it, sb);
		while (g_hash_table_iter_next(&it, &k, NULL))
			ck_assert_msg(g_hash_table_contains(sa, k), "test %zu: DPOR misses %s", i,
				      (char *)k);
		ck_assert(a.bbm == b.bbm);
		ck_assert_uint_le(a.st.runs, b.st.runs);
		g_hash_table_destroy(sa);
		g_hash_table_destroy(sb);
		lit_result_free(&a);
		lit_result_free(&b);
	}
}
END_TEST

/*
 * A TLBI or a table store conflicts only with translations of the VAs it
 * covers (SIM_OBJ_TLB_VA): the reduced search still finds every state and
 * the flag of the unreduced one when the other CPU translates another VA
 * first, and when its entry is a 2 MiB block a TLBI of another page of
 * the block removes (the lookup notes the whole block).
 */
START_TEST(test_tlb_objects_per_va_keep_every_state)
{
	static const char *const tests[] = {
		"AArch64 TLBIx+Ry\n{ [x]=1; [y]=2; 0:X0=PTE(x); 0:X1=(oa:PA(x), valid:0);\n"
		" 0:X2=(oa:PA(z)); 0:X3=x; 1:X3=x; 1:X5=y; }\n P0 | P1 ;\n"
		" STR X1,[X0] | LDR W6,[X5] ;\n DSB ISH | LDR W4,[X3] ;\n LSR X4,X3,#12 | ;\n"
		" TLBI VAAE1IS,X4 | ;\n DSB ISH | ;\n STR X2,[X0] | ;\nexists (1:X4=1)\n",
		"AArch64 TLBIblock\n{ [x]=1; [PMD(x)]=(oa:PA(x), level:2); 0:X0=PMD(x);\n"
		" 0:X1=(oa:PA(x), level:2, valid:0); 0:X2=(oa:PA(z), level:2); 0:X3=x; 1:X3=x; }\n"
		" P0 | P1 ;\n STR X1,[X0] | LDR W4,[X3] ;\n DSB ISH | LDR W5,[X3] ;\n"
		" ADD X5,X3,#4096 | ;\n LSR X4,X5,#12 | ;\n TLBI VAAE1IS,X4 | ;\n DSB ISH | ;\n"
		" STR X2,[X0] | ;\nexists (1:X4=1 /\\ 1:X5=0)\n",
	};

	for (size_t i = 0; i < G_N_ELEMENTS(tests); i++) {
		struct lit_result a = check_mem(tests[i], 0, "sc");

		ck_assert_uint_ge(a.states->len, 2);
		if (T_NO_UNREDUCED) {
			lit_result_free(&a);
			continue;
		}
		struct lit_result b = check_mem(tests[i], DPOR_ALL_DEPENDENT, "sc");
		GHashTable *sa = state_set(&a), *sb = state_set(&b);
		GHashTableIter it;
		gpointer k;

		ck_assert_uint_eq(g_hash_table_size(sa), g_hash_table_size(sb));
		g_hash_table_iter_init(&it, sb);
		while (g_hash_table_iter_next(&it, &k, NULL))
			ck_assert_msg(g_hash_table_contains(sa, k), "test %zu: DPOR misses %s", i,
				      (char *)k);
		ck_assert(a.bbm == b.bbm);
		ck_assert_str_eq(lit_observation(&a), lit_observation(&b));
		ck_assert_uint_lt(a.st.runs, b.st.runs);
		g_hash_table_destroy(sa);
		g_hash_table_destroy(sb);
		lit_result_free(&a);
		lit_result_free(&b);
	}
}
END_TEST

struct scn_outcome {
	uint64_t with_findings;
	GHashTable *kinds; /* "kind va pa" */
};

static bool scn_visit(void *arg, struct sim *sim)
{
	struct scn_outcome *o = arg;

	o->with_findings += sim->nr_findings > 0;
	for (unsigned i = 0; i < sim->nr_findings; i++)
		g_hash_table_add(o->kinds,
				 g_strdup_printf("%s %" PRIx64 " %" PRIx64,
						 finding_name(sim->findings[i].kind),
						 sim->findings[i].va, sim->findings[i].pa));
	return true;
}

static struct scn_outcome explore_scn(const char *name, unsigned cpus, unsigned flags,
				      struct dpor_stats *st)
{
	const struct scenario *scn = scenario_find(name);
	struct scn_outcome o = {
		.kinds = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
	struct sim_options opt;
	struct sim_costs costs;
	char err[300], n[8];

	ck_assert_ptr_nonnull(scn);
	sim_options_default(&opt);
	costs_default(&costs);
	for (const char *const *d = scn->defaults; d && *d; d++) {
		char *kv = g_strdup(*d), *eq = strchr(kv, '=');
		*eq = 0;
		ck_assert(!sim_options_set(&opt, kv, eq + 1, err, sizeof(err)));
		g_free(kv);
	}
	snprintf(n, sizeof(n), "%u", cpus);
	ck_assert(!sim_options_set(&opt, "cpus", n, err, sizeof(err)));
	/* The reduction of scheduling and GIC choices; the memory model's are the litmus tests'. */
	ck_assert(!sim_options_set(&opt, "memory", "sc", err, sizeof(err)));
	ck_assert_msg(!dpor_explore(scn, &opt, &costs, 200000, flags, scn_visit, &o, st, err,
				    sizeof(err)),
		      "%s", err);
	ck_assert(st->complete);
	return o;
}

/*
 * explore --exhaustive on C scenarios is reduced: with the GIC's state
 * noted, the reduced search finds every finding the unreduced one does,
 * in fewer executions (an SGI, a BBM violation, a use after free).
 */
START_TEST(test_scenario_reduction_keeps_findings)
{
	static const struct {
		const char *name;
		unsigned cpus;
	} scns[] = {{"gic-sgi-coalesce", 2},
		    {"mmu-bbm-skip", 2},
		    {"mmu-no-tlbi", 2},
		    {"demo-counter", 2}};

	for (size_t i = 0; i < G_N_ELEMENTS(scns); i++) {
		struct dpor_stats sa, sb;
		struct scn_outcome a = explore_scn(scns[i].name, scns[i].cpus, 0, &sa);

		if (T_NO_UNREDUCED) {
			g_hash_table_destroy(a.kinds);
			continue;
		}
		struct scn_outcome b =
			explore_scn(scns[i].name, scns[i].cpus, DPOR_ALL_DEPENDENT, &sb);
		GHashTableIter it;
		gpointer k;

		ck_assert_uint_eq(g_hash_table_size(a.kinds), g_hash_table_size(b.kinds));
		g_hash_table_iter_init(&it, b.kinds);
		while (g_hash_table_iter_next(&it, &k, NULL))
			ck_assert_msg(g_hash_table_contains(a.kinds, k), "%s: reduction misses %s",
				      scns[i].name, (char *)k);
		ck_assert_uint_eq(a.with_findings > 0, b.with_findings > 0);
		ck_assert_msg(sa.runs < sb.runs, "%s: %" PRIu64 " >= %" PRIu64, scns[i].name,
			      sa.runs, sb.runs);
		g_hash_table_destroy(a.kinds);
		g_hash_table_destroy(b.kinds);
	}
}
END_TEST

/* B2.3: store buffering is allowed on Arm, and forbidden by sequential consistency. */
START_TEST(test_store_buffering_needs_the_arm_model)
{
	static const char sb[] = "AArch64 SB\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n P0 | P1 ;\n"
				 " MOV W0,#1 | MOV W0,#1 ;\n STR W0,[X1] | STR W0,[X1] ;\n"
				 " LDR W2,[X3] | LDR W2,[X3] ;\nexists (0:X2=0 /\\ 1:X2=0)\n";
	struct lit_result arm = check_mem(sb, 0, "arm"), sc = check_mem(sb, 0, "sc");

	ck_assert_uint_gt(arm.positive, 0);
	ck_assert_uint_eq(sc.positive, 0);
	/*
	 * Every outcome SC has is Arm's too, both loads reading 1 among them:
	 * the other CPU's store buffer drains while this one reads (before
	 * 2026-11-30 it drained only at its own CPU's accesses: 3 states).
	 */
	ck_assert_uint_eq(arm.states->len, 4);
	ck_assert_uint_eq(sc.states->len, 3);
	lit_result_free(&arm);
	lit_result_free(&sc);
}
END_TEST

/* A witness is a trace like any other: it replays to the same digest and finding. */
START_TEST(test_witness_trace_replays)
{
	struct lit_result r = check_text("AArch64 skip\n{ [x]=1; [y]=2; 0:X0=PTE(x);\n"
					 " 0:X2=(oa:PA(y)); 1:X3=x; }\n"
					 " P0 | P1 ;\n STR X2,[X0] | LDR W4,[X3] ;\n"
					 "exists (1:X4=2)\n",
					 0);
	char err[300];

	ck_assert_ptr_nonnull(r.bbm_trace);
	ck_assert_ptr_nonnull(strstr(r.bbm_trace, "\nscenario litmus:skip\n"));
	struct sim *sim = t_replay(r.bbm_trace, strlen(r.bbm_trace), false, err, sizeof(err));
	ck_assert_msg(sim, "%s", err);
	ck_assert_ptr_nonnull(t_finding(sim, FINDING_BBM_VIOLATION));
	size_t len;
	const char *again = sim_trace_text(sim, &len);
	ck_assert_str_eq(again, r.bbm_trace);
	sim_destroy(sim);
	lit_result_free(&r);
}
END_TEST

/* Our own tests (tests/litmus/): each file's verdict as its comment says. */
START_TEST(test_own_litmus_files)
{
	static const struct {
		const char *file, *kind;
		bool bbm;
	} want[] = {
		{"BBM+break-dsb-tlbi-dsb-make.litmus", "Forbidden", false},
		{"BBM+skip.litmus", "Allowed", true},
		{"BBM+break-make-no-tlbi.litmus", "Allowed", true},
		{"Perm+rw-ro.litmus", "Allowed", false},
		/* EL0: AP[1] (herd7 TST-EL0, TST-EL0-PTE: Required) */
		{"EL0+kernel-page.litmus", "Required", false},
		{"EL0+user-page.litmus", "Forbidden", false},
		{"EL0+handler-at-el1.litmus", "Required", false},
		{"Fault+invalid.litmus", "Required", false},
		{"SB.litmus", "Allowed", false},
		{"SB+dmb.sy.litmus", "Forbidden", false},
		{"MP+dmb.st+po.litmus", "Allowed", false},
		{"MP+dmb.st+addr.litmus", "Forbidden", false},
		{"LB.litmus", "Allowed", false},
		{"LB+datas.litmus", "Forbidden", false},
		/* a promised value known whatever a load read (x ^ x + 1) */
		{"LB+data-other+rel.litmus", "Allowed", false},
		{"LB+data+rel.litmus", "Forbidden", false},
		/* a walk's dirty-state update placed before the store that replaced its value */
		{"HD+early-walk-before-store.litmus", "Allowed", true},
		{"HD+early-walk-before-swp.litmus", "Forbidden", true},
		{"HD+same-value-store+data.litmus", "Allowed", false},
		{"HD+same-value-store+addr.litmus", "Forbidden", false},
		{"HD+update-not-after-walk.litmus", "Allowed", true},
		{"HD+update-after-walk+dmb.st.litmus", "Forbidden", true},
		/* our extension: 2 MiB blocks, tables, the contiguous bit, FEAT_BBM level 2 */
		{"HVO+split-nobbm.litmus", "Required", true},
		{"HVO+split-bbm.litmus", "Allowed", false},
		{"HVO+split-bbm2.litmus", "Required", false},
		{"HVO+split-bbm2-abort.litmus", "Allowed", false},
		{"HVO+split-bbm2-differ.litmus", "Allowed", true},
		{"HVO+collapse-nobbm.litmus", "Required", true},
		{"HVO+collapse-bbm.litmus", "Allowed", false},
		{"HVO+collapse-bbm-tlbiva.litmus", "Allowed", true},
		{"Contig+nobbm.litmus", "Required", true},
		{"Contig+bbm.litmus", "Allowed", false},
		/* walks as early as the architecture lets them be: each rule, both sides */
		{"Walk+hit-early.litmus", "Allowed", false},
		{"Walk+hit-early+dsb-isb.litmus", "Forbidden", false},
		{"Walk+own-store-dsb.ld-isb.litmus", "Allowed", false},
		{"Walk+own-store-dsb.st-isb.litmus", "Forbidden", false},
		{"Walk+own-tlbi-dsb.st-isb.litmus", "Allowed", false},
		{"Walk+own-tlbi-dsb.ish-isb.litmus", "Forbidden", false},
		{"Walk+tlbi-before-store.litmus", "Allowed", false},
		{"Walk+tlbi-after-store.litmus", "Forbidden", false},
		{"Fault+shoot+po.litmus", "Allowed", false},
		{"Fault+shoot+store-po.litmus", "Allowed", false},
		{"Fault+shoot+dmb.ld.litmus", "Forbidden", false},
		{"Load+shoot+po.litmus", "Allowed", true},
		{"Load+shoot+addr.litmus", "Forbidden", true},
		{"Load+shoot+po+reuse.litmus", "Forbidden", true},
		{"Walk+read-dsb.st-isb.litmus", "Allowed", false},
		{"Walk+read-dmb.ld-isb.litmus", "Allowed", false},
		{"Walk+read-dmb.sy-isb.litmus", "Allowed", false},
		{"Walk+read-dsb.ld-isb.litmus", "Forbidden", false},
		{"Walk+read-ctrl-isb.litmus", "Forbidden", false},
		{"Tlbi+read-po.litmus", "Allowed", false},
		{"Tlbi+read-dsb.ld.litmus", "Forbidden", false},
		{"Tlbi+read-ctrl.litmus", "Forbidden", false},
		/* an invalidation by VA bounds only the walks of the VAs it covers */
		{"Fault+shoot-other+dmb.ld.litmus", "Allowed", false},
		{"Walk+tlbi-other-dsb-isb.litmus", "Allowed", false},
		{"Walk+tlbi-own-dsb-isb.litmus", "Forbidden", false},
		/* an own walk of a newer descriptor orders a later use, not a later fault */
		{"Fault+own-walk-new+old-perm.litmus", "Allowed", false},
		{"Load+own-walk-new+old.litmus", "Forbidden", false},
		/* FEAT_ETS2: a Translation fault's walk after every earlier access (ets-ob) */
		{"Fault+po.litmus", "Allowed", false},
		{"Fault+ets2+po.litmus", "Forbidden", false},
		{"Fault+ets2+store-po.litmus", "Forbidden", false},
		{"Fault+ets2+perm-po.litmus", "Allowed", false},
		/* a CSEL's pick dependency: a store's data orders the write, not its fault */
		{"Pick+data-fault.litmus", "Allowed", false},
		{"Pick+ctrl-fault.litmus", "Forbidden", false},
		/* 1 GiB blocks: a PUD split (level 1 block -> table of 2 MiB blocks) */
		{"PUD+split-nobbm.litmus", "Required", true},
		{"PUD+split-bbm.litmus", "Allowed", false},
		{"PUD+split-bbm-no-tlbi.litmus", "Allowed", true},
		{"PUD+split-bbm2.litmus", "Required", false},
		{"PUD+split-bbm2-abort.litmus", "Allowed", false},
	};
	const char *src = getenv("BBMSIM_SRC");
	struct sim_options opt;
	struct sim_costs costs;

	ck_assert_ptr_nonnull(src);
	litmus_options(&opt, "arm");
	costs_default(&costs);
	for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
		char *path = g_strdup_printf("%s/tests/litmus/%s", src, want[i].file), err[300];
		struct litmus *lt = lit_load(path, err, sizeof(err));
		struct lit_result r;

		ck_assert_msg(lt, "%s", err);
		ck_assert(!lit_check_test(lt, &opt, &costs, 200000, 0, &r, err, sizeof(err)));
		ck_assert_msg(!strcmp(lit_kind(lt, &r), want[i].kind), "%s: %s", want[i].file,
			      lit_kind(lt, &r));
		ck_assert_msg(r.bbm == want[i].bbm, "%s: flag", want[i].file);
		lit_result_free(&r);
		lit_free(lt);
		g_free(path);
	}
}
END_TEST

/*
 * PUD(x) is a level-1 block (Arm ARM D8.2: 1 GiB with the 4 KiB granule):
 * the conflict a level-2 CPU meets after the split is between a 1 GiB and
 * a 2 MiB entry for the same VA (D8.16.2).
 */
START_TEST(test_pud_split_meets_level1_and_level2_entries)
{
	const char *src = getenv("BBMSIM_SRC");
	char *path = g_strdup_printf("%s/tests/litmus/PUD+split-bbm2-abort.litmus", src), err[300];
	struct litmus *lt = lit_load(path, err, sizeof(err));
	struct sim_options opt;
	struct sim_costs costs;
	struct lit_result r;
	bool seen = false;

	ck_assert_msg(lt, "%s", err);
	litmus_options(&opt, "arm");
	costs_default(&costs);
	ck_assert(!lit_check_test(lt, &opt, &costs, 200000, 0, &r, err, sizeof(err)));
	for (guint i = 0; i < r.findings->len; i++) {
		const char *f = r.findings->pdata[i];
		if (g_str_has_prefix(f, "tlb-conflict") && strstr(f, "L1 block oa=0x40000000") &&
		    strstr(f, "L2 block oa=0x40000000"))
			seen = true;
	}
	ck_assert_msg(seen, "no conflict between the 1 GiB and the 2 MiB entry");
	lit_result_free(&r);
	lit_free(lt);
	g_free(path);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("litmus");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_parse_herd_syntax);
	tcase_add_test(tc, test_parse_ttd_is_pte);
	tcase_add_test(tc, test_condition_differs);
	tcase_add_test(tc, test_parse_errors_name_file_and_line);
	tcase_add_test(tc, test_bbm_sequence_is_clean_and_never_goes_back);
	tcase_add_test(tc, test_direct_oa_change_is_flagged);
	tcase_add_test(tc, test_permission_change_is_not_flagged);
	tcase_add_test(tc, test_fault_handler_runs_and_returns);
	tcase_add_test(tc, test_dpor_finds_every_state);
	tcase_add_test(tc, test_tlb_objects_per_va_keep_every_state);
	tcase_add_test(tc, test_store_buffering_needs_the_arm_model);
	tcase_add_test(tc, test_scenario_reduction_keeps_findings);
	tcase_add_test(tc, test_own_litmus_files);
	tcase_add_test(tc, test_pud_split_meets_level1_and_level2_entries);
	tcase_add_test(tc, test_witness_trace_replays);
	suite_add_tcase(s, tc);
	return s;
}
