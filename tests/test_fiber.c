// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fibers and the process they live in: a CPU that overflows its fiber's
 * stack stops the run with an error naming it; a backtrace taken on a
 * fiber ends at the fiber's entry; two simulations run side by side in one
 * process.
 */
#include "sim/cpu.h"
#include "testlib.h"

#include <check.h>
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- a CPU program that recurses without end ------------------------------------ */

static __attribute__((noinline)) unsigned t_recurse(unsigned depth)
{
	volatile char frame[1024];

	frame[depth % sizeof(frame)] = (char)depth;
	if (!depth)
		return 0;
	/* Not a tail call: the frame is read after the call returns. */
	return t_recurse(depth - 1) + (unsigned)frame[depth % sizeof(frame)];
}

static void t_deep_main(struct sim_cpu *cpu)
{
	cpu_load64(cpu, SIM_KDATA_BASE);
	if (cpu->id == 1)
		t_recurse(1u << 20); /* 1 GiB of frames */
}

static const struct scenario t_deep = {
	.name = "t-deep-recursion",
	.summary = "test: cpu1 recurses far past its stack",
	.default_cpus = 2,
	.expect = -1,
	.cpu_main = t_deep_main,
};
SCENARIO_REGISTER(t_deep)

START_TEST(test_a_fiber_stack_overflow_names_the_cpu)
{
	int fds[2];
	char out[512] = "";
	size_t n = 0;
	ssize_t r;
	int status;

	if (!sim_fibers_available())
		return;
	ck_assert(!pipe(fds));
	pid_t pid = fork();
	ck_assert(pid >= 0);
	if (!pid) {
		dup2(fds[1], 2);
		close(fds[0]);
		t_run_fibers("t-deep-recursion", "sched=random seed=1");
		_exit(0); /* not reached: the overflow ends the process */
	}
	close(fds[1]);
	while (n + 1 < sizeof(out) && (r = read(fds[0], out + n, sizeof(out) - 1 - n)) > 0)
		n += (size_t)r;
	out[n] = 0;
	close(fds[0]);
	ck_assert(waitpid(pid, &status, 0) == pid);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "status %#x", status);
	ck_assert_msg(strstr(out, "bbmsim: cpu1: stack overflow"), "stderr: %s", out);
}
END_TEST

/* ---- a backtrace on a fiber ------------------------------------------------------- */

#if defined(__x86_64__)
void bbmsim_fiber_start(void);

static void *t_frames[64];
static int t_nframes;

static void t_backtrace_main(struct sim_cpu *cpu)
{
	cpu_load64(cpu, SIM_KDATA_BASE);
	if (cpu->id == 1)
		t_nframes = backtrace(t_frames, 64);
}

static const struct scenario t_backtrace = {
	.name = "t-backtrace",
	.summary = "test: cpu1 takes a backtrace of its fiber",
	.default_cpus = 2,
	.expect = -1,
	.cpu_main = t_backtrace_main,
};
SCENARIO_REGISTER(t_backtrace)

/*
 * The unwinder (the one gdb and glibc's backtrace() read, .eh_frame) goes
 * from the CPU's program down to bbmsim_fiber_start, whose return address
 * is marked undefined: the backtrace ends there, not in garbage.
 */
START_TEST(test_a_backtrace_on_a_fiber_ends_at_its_entry)
{
	if (!sim_fibers_available())
		return;
	sim_destroy(t_run_fibers("t-backtrace", "sched=random seed=1"));
	ck_assert_int_gt(t_nframes, 3);
	ck_assert_int_lt(t_nframes, 64);
	uintptr_t last = (uintptr_t)t_frames[t_nframes - 1], start = (uintptr_t)bbmsim_fiber_start;
	ck_assert_msg(last > start && last < start + 16, "last frame %p, fiber start %p",
		      t_frames[t_nframes - 1], (void *)bbmsim_fiber_start);
}
END_TEST
#endif

/* ---- two simulations in one process ------------------------------------------------ */

struct t_job {
	const char *scn, *opts;
	bool fibers;
	char digest[65];
};

static void *t_job_run(void *arg)
{
	struct t_job *j = arg;
	struct sim *sim = j->fibers ? t_run_fibers(j->scn, j->opts) : t_run(j->scn, j->opts);

	memcpy(j->digest, sim_digest(sim), sizeof(j->digest));
	sim_destroy(sim);
	return NULL;
}

/*
 * Runs @a and @b at the same time on two host threads, their CPUs
 * interleaving with each other's on the host, and checks that each trace
 * is the one it has alone: nothing of one run leaks into the other (the
 * thread and fiber pools are shared free lists; exhaustive exploration
 * wants runs side by side in one process).
 */
static void side_by_side(struct t_job *a, struct t_job *b)
{
	struct t_job alone_a = *a, alone_b = *b;
	pthread_t ta, tb;

	t_job_run(&alone_a);
	t_job_run(&alone_b);
	for (int round = 0; round < 3; round++) {
		ck_assert(!pthread_create(&ta, NULL, t_job_run, a));
		ck_assert(!pthread_create(&tb, NULL, t_job_run, b));
		pthread_join(ta, NULL);
		pthread_join(tb, NULL);
		ck_assert_str_eq(a->digest, alone_a.digest);
		ck_assert_str_eq(b->digest, alone_b.digest);
	}
}

START_TEST(test_two_simulations_run_side_by_side_in_one_process)
{
	bool f = sim_fibers_available();
	struct t_job hvo = {.scn = "hvo-2m", .opts = "sched=random seed=3 strategy=D", .fibers = f};
	struct t_job pause = {.scn = "smp-pause", .opts = "sched=pct seed=5", .fibers = f};
	struct t_job hvo_threads = {
		.scn = "hvo-2m", .opts = "sched=random seed=4 strategy=B", .fibers = false};
	struct t_job counter = {.scn = "demo-counter-atomic",
				.opts = "sched=random seed=2 cpus=6",
				.fibers = false};

	side_by_side(&hvo, &pause);
	side_by_side(&hvo_threads, &counter);
	side_by_side(&hvo, &hvo_threads);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("fiber");
	TCase *tc = tcase_create("fiber");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_a_fiber_stack_overflow_names_the_cpu);
	tcase_add_test(tc, test_two_simulations_run_side_by_side_in_one_process);
#if defined(__x86_64__)
	tcase_add_test(tc, test_a_backtrace_on_a_fiber_ends_at_its_entry);
#endif
	suite_add_tcase(s, tc);
	return s;
}
