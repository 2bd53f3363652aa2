// SPDX-License-Identifier: GPL-2.0-only
/*
 * The engine: determinism, strategies, replay and divergence, the trace
 * parser, deadlock and livelock reports, the clock and the cost table,
 * sparse memory.
 */
#include "sim/arm/mmu.h"
#include "sim/cpu.h"
#include "sim/pmem.h"
#include "sim/trace.h"
#include "testlib.h"

#include <check.h>
#include <glib.h>
#include <string.h>

/* ---- scenarios only these tests use ------------------------------------------------ */

static uint64_t t_flag, t_count;

static int t_setup(struct sim *sim, char *err, size_t errlen)
{
	t_flag = sim_kdata_alloc(sim, 8, 64);
	t_count = sim_kdata_alloc(sim, 8, 64);
	return 0;
}

/* cpu0 waits for a flag nobody sets: the machine can make no progress. */
static void t_deadlock_main(struct sim_cpu *cpu)
{
	if (cpu->id == 0)
		cpu_spin_until(cpu, t_flag, 8, ~0ull, 1, "t_flag == 1");
}

static const struct scenario t_deadlock = {
	.name = "t-deadlock",
	.summary = "test: waits for a flag nobody sets",
	.default_cpus = 2,
	.expect = FINDING_DEADLOCK,
	.setup = t_setup,
	.cpu_main = t_deadlock_main,
};
SCENARIO_REGISTER(t_deadlock)

/*
 * Host memory held across a yield point is released when a finding stops
 * the run and unwinds the CPU (sim_cleanup_push()), newest first, and is
 * not released by the engine when the program pops it itself.
 */
static unsigned t_released[3], t_release_order, t_flag_fail;

static void t_release(void *arg)
{
	t_released[(uintptr_t)arg] = ++t_release_order;
}

static void t_cleanup_main(struct sim_cpu *cpu)
{
	if (cpu->id)
		return;
	sim_cleanup_push(cpu, t_release, (void *)(uintptr_t)0);
	sim_cleanup_push(cpu, t_release, (void *)(uintptr_t)1);
	sim_cleanup_pop(cpu, (void *)(uintptr_t)1); /* the program frees it itself */
	sim_cleanup_push(cpu, t_release, (void *)(uintptr_t)2);
	cpu_store64(cpu, t_flag, 1);
	if (t_flag_fail)
		sim_report(cpu->sim, cpu, FINDING_ASSERTION, 0, 0, "test", "stop here");
	sim_cleanup_pop(cpu, (void *)(uintptr_t)2);
	sim_cleanup_pop(cpu, (void *)(uintptr_t)0);
}

static const struct scenario t_cleanup = {
	.name = "t-cleanup",
	.summary = "test: host memory released when a run stops",
	.default_cpus = 1,
	.expect = -1,
	.setup = t_setup,
	.cpu_main = t_cleanup_main,
};
SCENARIO_REGISTER(t_cleanup)

START_TEST(test_cleanup_on_unwind_only)
{
	for (t_flag_fail = 0; t_flag_fail < 2; t_flag_fail++) {
		memset(t_released, 0, sizeof(t_released));
		t_release_order = 0;
		struct sim *sim = t_run("t-cleanup", "");

		ck_assert_uint_eq(sim->nr_findings, t_flag_fail);
		ck_assert_uint_eq(t_released[1], 0);
		if (t_flag_fail) { /* stopped: 2 then 0 */
			ck_assert_uint_eq(t_released[2], 1);
			ck_assert_uint_eq(t_released[0], 2);
		} else {
			ck_assert_uint_eq(t_released[0] + t_released[2], 0);
		}
		sim_destroy(sim);
	}
}
END_TEST

/*
 * cpu1 keeps storing 1 where cpu0 waits for 2, and cpu0 waits the plain
 * way (woken by any store, as WFE is): wake-ups that never satisfy it.
 */
static void t_livelock_main(struct sim_cpu *cpu)
{
	if (cpu->id == 0) {
		while (cpu_load64(cpu, t_flag) != 2)
			sim_wait(cpu, t_flag, 8, false, "t_flag == 2");
		sim_wait_done(cpu);
	} else
		for (;;)
			cpu_store64(cpu, t_flag, 1);
}

static const struct scenario t_livelock = {
	.name = "t-livelock",
	.summary = "test: a spin that is woken forever and never satisfied",
	.default_cpus = 2,
	.expect = FINDING_LIVELOCK,
	.setup = t_setup,
	.cpu_main = t_livelock_main,
};
SCENARIO_REGISTER(t_livelock)

/* cpu0 counts with cheap stores; cpu1 reads the count after one atomic. */
static uint64_t t_seen;

static void t_timed_main(struct sim_cpu *cpu)
{
	if (cpu->id == 0) {
		for (uint64_t i = 1; i <= 20; i++) {
			cpu_load64(cpu, t_flag);
			cpu_store64(cpu, t_count, i);
		}
	} else {
		cpu_fetch_add(cpu, t_flag, 8, 1);
		sim_tick(cpu, COST_insn);
		t_seen = cpu_load64(cpu, t_count);
	}
}

static const struct scenario t_timed = {
	.name = "t-timed",
	.summary = "test: the CPU with the smallest clock runs",
	.default_cpus = 2,
	.expect = -1,
	.setup = t_setup,
	.cpu_main = t_timed_main,
};
SCENARIO_REGISTER(t_timed)

/*
 * cpu1 stores late (its clock starts 500 ns on); cpu0 passes a local point
 * at 1 us with an interrupt pending. Did cpu1 run there, was the interrupt
 * taken there?
 */
static bool t_stored, t_seen_at_local, t_irq_before_local;
static unsigned t_irqs;

static void t_local_irq(struct sim_cpu *cpu)
{
	cpu->irq_line = false;
	t_irqs++;
}

static int t_local_setup(struct sim *sim, char *err, size_t errlen)
{
	t_stored = t_seen_at_local = t_irq_before_local = false;
	t_irqs = 0;
	sim->hooks.take_irq = t_local_irq;
	return t_setup(sim, err, errlen);
}

static void t_local_main(struct sim_cpu *cpu)
{
	if (cpu->id == 0) {
		cpu_load64(cpu, t_flag);
		cpu->clock += 1000000;
		cpu->irq_line = true;
		sim_yield_local(cpu);
		t_seen_at_local = t_stored;
		t_irq_before_local = t_irqs == 1;
		cpu_load64(cpu, t_flag);
	} else {
		cpu->clock += 500000;
		cpu_store64(cpu, t_count, 1);
		t_stored = true;
	}
}

static const struct scenario t_local = {
	.name = "t-local",
	.summary = "test: a point only the CPU itself can observe",
	.default_cpus = 2,
	.expect = -1,
	.setup = t_local_setup,
	.cpu_main = t_local_main,
};
SCENARIO_REGISTER(t_local)

/* ---- determinism ------------------------------------------------------------------------ */

static void same_twice(const char *scn, const char *opts)
{
	struct sim *a = t_run(scn, opts), *b = t_run(scn, opts);
	size_t la, lb;
	const char *ta = sim_trace_text(a, &la), *tb = sim_trace_text(b, &lb);

	ck_assert_str_eq(sim_digest(a), sim_digest(b));
	ck_assert_uint_eq(la, lb);
	ck_assert(!memcmp(ta, tb, la));
	sim_destroy(a);
	sim_destroy(b);
}

START_TEST(test_same_seed_same_trace_every_strategy)
{
	same_twice("demo-counter", "seed=7 sched=random");
	same_twice("demo-counter", "seed=7 sched=pct");
	same_twice("demo-counter", "seed=7 sched=pct:5");
	same_twice("demo-counter", "seed=7 sched=timed");
	same_twice("demo-counter-atomic", "seed=3 sched=random cpus=8");
}
END_TEST

/* Fibers and threads make the same decisions: the same trace, byte for byte. */
static void same_on_fibers(const char *scn, const char *opts)
{
	struct sim *a = t_run(scn, opts);
	struct sim *b = t_run_fibers(scn, opts);

	ck_assert_str_eq(sim_digest(a), sim_digest(b));
	sim_destroy(a);
	sim_destroy(b);
}

START_TEST(test_fibers_and_threads_give_the_same_trace)
{
	if (!sim_fibers_available())
		return; /* sanitizer builds: threads only */
	same_on_fibers("demo-counter", "seed=7 sched=random");
	same_on_fibers("demo-counter-atomic", "seed=3 sched=pct cpus=6");
	same_on_fibers("t-deadlock", "seed=2");
	same_on_fibers("t-timed", "sched=timed");
}
END_TEST

START_TEST(test_different_seeds_give_different_schedules)
{
	GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);

	for (int seed = 1; seed <= 20; seed++) {
		gchar *o = g_strdup_printf("seed=%d sched=random cpus=3", seed);
		struct sim *s = t_run("demo-counter-atomic", o);

		g_hash_table_add(seen, g_strdup(sim_digest(s)));
		sim_destroy(s);
		g_free(o);
	}
	ck_assert_uint_ge(g_hash_table_size(seen), 10);
	g_hash_table_destroy(seen);
}
END_TEST

/* ---- strategies ------------------------------------------------------------------------ */

START_TEST(test_random_finds_lost_update)
{
	ck_assert_uint_gt(t_explore("demo-counter", "sched=random", 20, FINDING_ASSERTION), 0);
}
END_TEST

START_TEST(test_pct_finds_lost_update)
{
	ck_assert_uint_gt(t_explore("demo-counter", "sched=pct", 20, FINDING_ASSERTION), 0);
}
END_TEST

START_TEST(test_atomic_counter_clean_every_strategy)
{
	ck_assert_uint_eq(t_explore("demo-counter-atomic", "sched=random", 300, -1), 0);
	ck_assert_uint_eq(t_explore("demo-counter-atomic", "sched=pct", 300, -1), 0);
	ck_assert_uint_eq(t_explore("demo-counter-atomic", "sched=timed cpus=4", 20, -1), 0);
}
END_TEST

START_TEST(test_timed_runs_smallest_clock)
{
	/*
	 * cpu1's load comes at 20000 (atomic) + 300 ps; cpu0 spends 2000 ps per
	 * count, so ten counts are stored before it and the eleventh after
	 * (under sc: under arm a store may still be pending then).
	 */
	struct sim_costs c;

	costs_default(&c);
	c.ps[COST_atomic] = 20000;
	c.ps[COST_load] = c.ps[COST_store] = 1000;
	c.ps[COST_insn] = 300;
	struct sim *s = t_run_costs("t-timed", "sched=timed memory=sc", &c);

	ck_assert_uint_eq(t_seen, 10);
	ck_assert_uint_eq(s->cpus[0].clock, 20 * 2000);
	sim_destroy(s);
}
END_TEST

/* timed: a local point switches to no one, even to a CPU behind in time... */
START_TEST(test_timed_local_point_does_not_switch)
{
	struct sim *s = t_run("t-local", "sched=timed");

	ck_assert(!t_seen_at_local);
	ck_assert(t_stored); /* ...which runs at cpu0's next yield point */
	sim_destroy(s);
}
END_TEST

/* ...but takes an interrupt already pending, as a yield point does. */
START_TEST(test_timed_local_point_takes_pending_irq)
{
	struct sim *s = t_run("t-local", "sched=timed");

	ck_assert(t_irq_before_local);
	ck_assert_uint_eq(t_irqs, 1);
	sim_destroy(s);
}
END_TEST

/* Exploring: a local point is a scheduling point (an interrupt may arrive there). */
START_TEST(test_random_local_point_is_a_scheduling_point)
{
	unsigned switched = 0, stayed = 0;

	for (unsigned seed = 1; seed <= 40; seed++) {
		gchar *o = g_strdup_printf("sched=random seed=%u", seed);
		struct sim *s = t_run("t-local", o);

		if (t_seen_at_local)
			switched++;
		else
			stayed++;
		ck_assert(t_irq_before_local);
		sim_destroy(s);
		g_free(o);
	}
	ck_assert_uint_gt(switched, 0);
	ck_assert_uint_gt(stayed, 0);
}
END_TEST

START_TEST(test_clock_advances_by_cost_table)
{
	struct sim_costs c;
	struct sim *s;

	costs_default(&c);
	c.ps[COST_atomic] = 7000;
	s = t_run_costs("demo-counter-atomic", "sched=random cpus=1", &c);
	ck_assert_uint_eq(s->cpus[0].clock, 3 * 7000);
	sim_destroy(s);
}
END_TEST

/* Every CPU does one atomic on the same line. */
static void t_line_main(struct sim_cpu *cpu)
{
	cpu_fetch_add(cpu, t_flag, 8, 1);
}

static const struct scenario t_line = {
	.name = "t-line",
	.summary = "test: atomics on one line are serialised",
	.default_cpus = 4,
	.expect = -1,
	.setup = t_setup,
	.cpu_main = t_line_main,
};
SCENARIO_REGISTER(t_line)

START_TEST(test_atomics_on_one_line_are_serialised)
{
	/* All start at 0; the k-th waits for the line and moves it: kA + (k-1)L. */
	struct sim_costs c;
	uint64_t a = 5000, l = 20000, seen = 0;

	costs_default(&c);
	c.ps[COST_atomic] = a;
	c.ps[COST_line_transfer] = l;
	struct sim *s = t_run_costs("t-line", "sched=timed seed=5", &c);
	for (unsigned k = 1; k <= 4; k++)
		for (unsigned i = 0; i < 4; i++)
			if (s->cpus[i].clock == k * a + (k - 1) * l)
				seen |= 1u << k;
	ck_assert_uint_eq(seen, 0x1e);
	sim_destroy(s);
}
END_TEST

/* ---- deadlock and livelock ---------------------------------------------------------------- */

START_TEST(test_deadlock_is_reported_with_cpu_states)
{
	struct sim *s = t_run("t-deadlock", "sched=random");
	const struct sim_finding *f = t_finding(s, FINDING_DEADLOCK);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->detail, "cpu0 waiting for t_flag == 1"));
	ck_assert_ptr_nonnull(strstr(f->detail, "cpu1 finished"));
	sim_destroy(s);
}
END_TEST

START_TEST(test_spin_past_bound_is_livelock)
{
	struct sim *s = t_run("t-livelock", "sched=random spin_bound=50");
	const struct sim_finding *f = t_finding(s, FINDING_LIVELOCK);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->cpu, 0);
	ck_assert_ptr_nonnull(strstr(f->detail, "t_flag == 2"));
	sim_destroy(s);
}
END_TEST

START_TEST(test_run_past_step_bound_is_livelock)
{
	/* With a huge spin bound the step bound is what ends it. */
	struct sim *s = t_run("t-livelock", "sched=random spin_bound=1000000 step_bound=5000");

	ck_assert_ptr_nonnull(t_finding(s, FINDING_LIVELOCK));
	ck_assert_uint_le(s->step, 5001);
	sim_destroy(s);
}
END_TEST

/* --keep-going past the step bound: one report, not one per step after it. */
START_TEST(test_step_bound_reported_once_when_keeping_going)
{
	struct sim *s = t_run("demo-counter-atomic",
			      "sched=random cpus=4 step_bound=3 keep_going=1 seed=2");

	ck_assert_uint_gt(s->step, 4);
	ck_assert_uint_eq(s->nr_findings, 1);
	ck_assert_int_eq(s->findings[0].kind, FINDING_LIVELOCK);
	ck_assert_uint_eq(s->findings_more, 0);
	sim_destroy(s);
}
END_TEST

/* ---- replay ------------------------------------------------------------------------------- */

START_TEST(test_replay_reproduces_digest)
{
	const char *scn[] = {"demo-counter", "demo-counter", "demo-counter-atomic",
			     "t-timed",	     "t-local",	     "t-local"};
	const char *opts[] = {
		"seed=7 sched=random", "seed=2 sched=pct:4", "seed=9 sched=random cpus=5",
		"sched=timed",	       "sched=timed",	     "seed=3 sched=random"};

	for (int i = 0; i < 6; i++) {
		struct sim *a = t_run(scn[i], opts[i]);
		size_t len;
		const char *text = sim_trace_text(a, &len);
		char err[300];
		struct sim *b = t_replay(text, len, false, err, sizeof(err));

		ck_assert_msg(b, "%s", err);
		ck_assert_str_eq(sim_digest(a), sim_digest(b));
		ck_assert_uint_eq(a->nr_findings, b->nr_findings);
		sim_destroy(a);
		sim_destroy(b);
	}
}
END_TEST

START_TEST(test_replay_of_another_decision_kind_diverges)
{
	struct sim *a = t_run("demo-counter", "seed=7 sched=random");
	size_t len;
	const char *text = sim_trace_text(a, &len);
	const char *body = strstr(text, "---\n") + 4;
	GString *bad = g_string_new_len(text, body - text);
	char err[300];

	g_string_append(bad, "tlb-fill 0\n");
	g_string_append(bad, body);
	unsigned line = 1;
	gchar *want;

	for (const char *p = text; p < body; p++)
		line += *p == '\n';
	want = g_strdup_printf("diverged at step 0: wanted cpu, trace has tlb-fill (line %u)",
			       line);
	ck_assert_ptr_null(t_replay(bad->str, bad->len, false, err, sizeof(err)));
	ck_assert_str_eq(err, want); /* the line after the header, however many options */
	g_free(want);
	g_string_free(bad, TRUE);
	sim_destroy(a);
}
END_TEST

START_TEST(test_replay_with_leftover_decisions_diverges)
{
	struct sim *a = t_run("demo-counter", "seed=7 sched=random");
	size_t len;
	const char *text = sim_trace_text(a, &len);
	const char *fin = strstr(text, "finding ");
	GString *bad = g_string_new_len(text, fin - text);
	char err[300];

	g_string_append(bad, "cpu 0 3\n");
	g_string_append(bad, fin);
	ck_assert_ptr_null(t_replay(bad->str, bad->len, false, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "diverged at step"));
	g_string_free(bad, TRUE);
	sim_destroy(a);
}
END_TEST

/* ---- the trace parser ------------------------------------------------------------------------ */

static const char good_head[] = "bbmsim-trace 1\nbbmsim " BBMSIM_VERSION
				"\nscenario demo-counter\nseed 1\nsched random\n---\n";

static const struct {
	const char *text, *error;
} bad_traces[] = {
	{"", "empty file"},
	{"hello\n", "not a bbmsim trace"},
	{"bbmsim-trace 2\n", "trace format 2, this bbmsim reads format 1"},
	{"bbmsim-trace 1\nbbmsim 9.9.9\n", "recorded by bbmsim 9.9.9"},
	{"bbmsim-trace 1\nscenario x\n", "truncated in the header"},
	{"bbmsim-trace 1\n---\n", "header has no scenario"},
	{"bbmsim-trace 1\nwhat 3\n", "unknown header field 'what'"},
	{"bbmsim-trace 1\nscenario x\n---\ncpu 0 1\n", "truncated (no 'end' line)"},
	{"bbmsim-trace 1\nscenario x\n---\ncpu 0 1", "the last line has no newline"},
	{"bbmsim-trace 1\nscenario x\n---\ncpu 0\nend\n", "malformed 'cpu ID COUNT'"},
	{"bbmsim-trace 1\nscenario x\n---\ncpu 0 0\nend\n", "malformed 'cpu ID COUNT'"},
	{"bbmsim-trace 1\nscenario x\n---\ncpu 99999 1\nend\n", "malformed 'cpu ID COUNT'"},
	{"bbmsim-trace 1\nscenario x\n---\nwarp 1\nend\n", "unknown decision 'warp'"},
	{"bbmsim-trace 1\nscenario x\n---\ntlb-fill -1\nend\n", "malformed value for tlb-fill"},
	{"bbmsim-trace 1\nscenario x\n---\nend\ncpu 0 1\n", "data after the end line"},
	{"bbmsim-trace 1\nseed x\n", "bad seed"},
};

START_TEST(test_trace_parser_rejects_malformed_input)
{
	char err[300];
	struct trace *t =
		trace_parse(bad_traces[_i].text, strlen(bad_traces[_i].text), err, sizeof(err));

	ck_assert_ptr_null(t);
	ck_assert_msg(strstr(err, bad_traces[_i].error), "'%s' does not say '%s'", err,
		      bad_traces[_i].error);
}
END_TEST

START_TEST(test_trace_parser_rejects_binary)
{
	char bin[64] = "bbmsim-trace 1\n";
	char err[300];

	bin[20] = 0;
	ck_assert_ptr_null(trace_parse(bin, sizeof(bin), err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "binary"));
}
END_TEST

START_TEST(test_trace_config_rejects_unknown_option)
{
	GString *s = g_string_new("bbmsim-trace 1\nbbmsim " BBMSIM_VERSION
				  "\nscenario demo-counter\nseed 1\nsched random\n"
				  "option warp_drive=1\n---\nend\n");
	char err[300];
	struct sim_options o;
	struct sim_costs c;
	struct trace *t = trace_parse(s->str, s->len, err, sizeof(err));

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(trace_config(t, &o, &c, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "unknown option 'warp_drive'"));
	trace_free(t);
	g_string_free(s, TRUE);
	(void)good_head;
}
END_TEST

/* ---- costs and options ------------------------------------------------------------------------ */

START_TEST(test_costs_file_overrides_in_ns)
{
	struct sim_costs c, d;
	char err[200];
	const char *text = "# comment\n\nload = 2.5\n  tlb_hit=0.001 # trailing\n";

	costs_default(&c);
	costs_default(&d);
	ck_assert_int_eq(costs_parse(&c, text, strlen(text), err, sizeof(err)), 0);
	ck_assert_uint_eq(c.ps[COST_load], 2500);
	ck_assert_uint_eq(c.ps[costs_find("tlb_hit")], 1); /* a cost of another layer */
	ck_assert_str_ne(c.digest, d.digest);
}
END_TEST

START_TEST(test_costs_file_rejects_bad_lines)
{
	static const char *const bad[] = {"warp = 1\n",	 "load\n",	    "load = fast\n",
					  "load = -1\n", "load = 1.2345\n", "load = 1e3\n"};
	struct sim_costs c;
	char err[200];

	for (unsigned i = 0; i < G_N_ELEMENTS(bad); i++) {
		costs_default(&c);
		ck_assert_int_eq(costs_parse(&c, bad[i], strlen(bad[i]), err, sizeof(err)), -1);
		ck_assert_ptr_nonnull(strstr(err, "costs line 1"));
	}
}
END_TEST

START_TEST(test_options_range_checked)
{
	struct sim_options o;
	char err[200];

	sim_options_default(&o);
	ck_assert_int_eq(sim_options_set(&o, "cpus", "100000", err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "out of range"));
	ck_assert_int_eq(sim_options_set(&o, "bbm-level", "3", err, sizeof(err)), -1);
	ck_assert_int_eq(sim_options_set(&o, "sched", "pct:0", err, sizeof(err)), -1);
	ck_assert_int_eq(sim_options_set(&o, "sched", "fifo", err, sizeof(err)), -1);
	ck_assert_int_eq(sim_options_set(&o, "warp", "1", err, sizeof(err)), -1);
	ck_assert_int_eq(sim_options_set(&o, "bbm-level", "2", err, sizeof(err)), 0);
	ck_assert_uint_eq(sim_opt_uint(&o, OPT_bbm_level), 2);
	ck_assert_int_eq(sim_options_set(&o, "keep-going", "yes", err, sizeof(err)), 0);
	ck_assert(sim_opt_bool(&o, OPT_keep_going));
}
END_TEST

/* ---- sparse memory -------------------------------------------------------------------------- */

START_TEST(test_pmem_sparse_terabytes)
{
	struct pmem *m = pmem_create(4ull << 40);
	uint64_t far = (3ull << 40) + 0x1238;

	ck_assert_uint_eq(pmem_read(m, far, 8), 0);
	pmem_write(m, far, 8, 0); /* zeros cost nothing */
	ck_assert_uint_eq(pmem_resident(m), 0);
	pmem_write(m, far, 8, 0x1122334455667788ull);
	ck_assert_uint_eq(pmem_read(m, far, 8), 0x1122334455667788ull);
	ck_assert_uint_eq(pmem_read(m, far + 2, 2), 0x5566);
	ck_assert_uint_eq(pmem_resident(m), PMEM_PAGE_SIZE);
	pmem_destroy(m);
}
END_TEST

START_TEST(test_pmem_copy_and_compare_pages)
{
	struct pmem *m = pmem_create(1ull << 30);

	pmem_write(m, 0x5008, 4, 0xdead);
	ck_assert(!pmem_page_equal(m, 0x5000, 0x9000));
	pmem_copy_page(m, 0x9000, 0x5000);
	ck_assert(pmem_page_equal(m, 0x5000, 0x9000));
	ck_assert_uint_eq(pmem_read(m, 0x9008, 4), 0xdead);
	pmem_zero_page(m, 0x5000);
	ck_assert_uint_eq(pmem_read(m, 0x5008, 4), 0);
	ck_assert(pmem_page_equal(m, 0x5000, 0x7000));
	pmem_set_flags(m, 0x9000, PMEM_F_HOOK);
	ck_assert_uint_eq(pmem_flags(m, 0x9abc), PMEM_F_HOOK);
	pmem_clear_flags(m, 0x9000, PMEM_F_HOOK);
	ck_assert_uint_eq(pmem_flags(m, 0x9000), 0);
	pmem_destroy(m);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("engine");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_same_seed_same_trace_every_strategy);
	tcase_add_test(tc, test_different_seeds_give_different_schedules);
	tcase_add_test(tc, test_fibers_and_threads_give_the_same_trace);
	tcase_add_test(tc, test_random_finds_lost_update);
	tcase_add_test(tc, test_pct_finds_lost_update);
	tcase_add_test(tc, test_atomic_counter_clean_every_strategy);
	tcase_add_test(tc, test_timed_runs_smallest_clock);
	tcase_add_test(tc, test_timed_local_point_does_not_switch);
	tcase_add_test(tc, test_timed_local_point_takes_pending_irq);
	tcase_add_test(tc, test_random_local_point_is_a_scheduling_point);
	tcase_add_test(tc, test_clock_advances_by_cost_table);
	tcase_add_test(tc, test_atomics_on_one_line_are_serialised);
	tcase_add_test(tc, test_deadlock_is_reported_with_cpu_states);
	tcase_add_test(tc, test_spin_past_bound_is_livelock);
	tcase_add_test(tc, test_run_past_step_bound_is_livelock);
	tcase_add_test(tc, test_step_bound_reported_once_when_keeping_going);
	tcase_add_test(tc, test_replay_reproduces_digest);
	tcase_add_test(tc, test_replay_of_another_decision_kind_diverges);
	tcase_add_test(tc, test_replay_with_leftover_decisions_diverges);
	tcase_add_loop_test(tc, test_trace_parser_rejects_malformed_input, 0,
			    G_N_ELEMENTS(bad_traces));
	tcase_add_test(tc, test_trace_parser_rejects_binary);
	tcase_add_test(tc, test_trace_config_rejects_unknown_option);
	tcase_add_test(tc, test_costs_file_overrides_in_ns);
	tcase_add_test(tc, test_costs_file_rejects_bad_lines);
	tcase_add_test(tc, test_options_range_checked);
	tcase_add_test(tc, test_pmem_sparse_terabytes);
	tcase_add_test(tc, test_pmem_copy_and_compare_pages);
	tcase_add_test(tc, test_cleanup_on_unwind_only);
	suite_add_tcase(s, tc);
	return s;
}
