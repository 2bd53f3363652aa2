// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_mmu: how fast the MMU translates on one CPU.
 *
 *  - TLB-hit translations per second (mmu_translate() hitting the TLB: the
 *    MMU's own hot path; target >= 50 M/s);
 *  - TLB-hit loads per second through cpu_load64() (adds the engine's yield
 *    point and the memory read);
 *  - the cost of a TLB miss (walk with a warm walk cache, one level read,
 *    plus a decided eviction), host ns per translation;
 *  baseline: plain host loads from an array of the same footprint, in the
 *  same run. Prints value, baseline and ratio; --json for machines.
 */
#include "sim/cpu.h"
#include "sim/arm/mmu.h"
#include "sim/scenario.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define HITS	 20000000u
#define LOADS	 5000000u
#define MISSES	 1000000u
#define NPAGES	 512
#define BENCH_VA (MMU_VMALLOC_START + 0x200000000ull)
#define BENCH_PA 0x10000000ull

static double hit_ns, load_ns, miss_ns;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int bench_setup(struct sim *sim, char *err, size_t errlen)
{
	sim->scn_state = g_new0(int, 1);
	if (mmu_install(sim, err, errlen))
		return -1;
	return mmu_boot_map(sim, BENCH_VA, BENCH_PA, NPAGES * MMU_PAGE_SIZE, MMU_PROT_KERNEL, 3);
}

static void bench_teardown(struct sim *sim)
{
	mmu_teardown(sim);
	g_free(sim->scn_state);
}

static void bench_main(struct sim_cpu *cpu)
{
	struct mmu_result res;
	struct mmu_fault f;
	uint64_t sum = 0;
	double t0;

	/* Warm: 8 pages in the TLB. */
	for (unsigned i = 0; i < 8; i++)
		cpu_load64(cpu, BENCH_VA + i * MMU_PAGE_SIZE);
	t0 = now_ns();
	for (unsigned i = 0; i < HITS; i++) {
		mmu_translate(cpu, BENCH_VA + (i & 7) * MMU_PAGE_SIZE + (i & 0xff8), false, &res,
			      &f);
		sum += res.pa;
	}
	hit_ns = (now_ns() - t0) / HITS;
	t0 = now_ns();
	for (unsigned i = 0; i < LOADS; i++)
		sum += cpu_load64(cpu, BENCH_VA + (i & 7) * MMU_PAGE_SIZE + (i & 0xff8));
	load_ns = (now_ns() - t0) / LOADS;
	/* 512 pages through a 16-entry TLB: every translation misses. */
	t0 = now_ns();
	for (unsigned i = 0; i < MISSES; i++)
		mmu_translate(cpu, BENCH_VA + (i % NPAGES) * MMU_PAGE_SIZE, false, &res, &f);
	miss_ns = (now_ns() - t0) / MISSES;
	if (sum == 42)
		printf(" ");
}

static const struct scenario bench_mmu = {
	.name = "bench-mmu",
	.summary = "bench: TLB hits and misses on one CPU",
	.default_cpus = 1,
	.expect = -1,
	.setup = bench_setup,
	.cpu_main = bench_main,
	.teardown = bench_teardown,
};
SCENARIO_REGISTER(bench_mmu)

/* Plain host loads over the same footprint and pattern. */
static double baseline_ns(void)
{
	uint64_t *a = g_new0(uint64_t, 8 * 512);
	volatile uint64_t *va = a;
	uint64_t sum = 0;
	double t0 = now_ns(), dt;

	for (unsigned i = 0; i < HITS; i++)
		sum += va[(i & 7) * 512 + ((i & 0xff8) >> 3)];
	dt = (now_ns() - t0) / HITS;
	g_free(a);
	if (sum == 42)
		printf(" ");
	return dt;
}

int main(int argc, char **argv)
{
	bool json = argc > 1 && !strcmp(argv[1], "--json");
	struct sim_options o;
	struct sim_costs c;
	char err[300];
	struct sim *sim;
	double base;

	sim_options_default(&o);
	sim_opt_set_uint(&o, OPT_tlb_entries, 16);
	sim_opt_set_uint(&o, OPT_step_bound, 4000000000u);
	strcpy(o.sched, "timed");
	costs_default(&c);
	sim = sim_create(scenario_find("bench-mmu"), &o, &c, NULL, err, sizeof(err));
	if (!sim) {
		fprintf(stderr, "bench_mmu: %s\n", err);
		return 2;
	}
	sim->keep_trace = false;
	if (sim_run(sim, err, sizeof(err))) {
		fprintf(stderr, "bench_mmu: %s\n", err);
		return 2;
	}
	sim_destroy(sim);
	base = baseline_ns();
	if (json) {
		printf("{\"tlb_hit_translate_per_s\":%.0f,\"baseline_host_load_per_s\":%.0f,"
		       "\"ratio\":%.4f,\"tlb_hit_cpu_load_per_s\":%.0f,\"tlb_miss_ns\":%.1f}\n",
		       1e9 / hit_ns, 1e9 / base, base / hit_ns, 1e9 / load_ns, miss_ns);
		return 0;
	}
	printf("TLB-hit translations: value %.1f M/s, baseline (plain host loads) %.1f M/s, "
	       "ratio %.3f (target >= 50 M/s)\n",
	       1e3 / hit_ns, 1e3 / base, base / hit_ns);
	printf("TLB-hit loads via cpu_load64 (incl. yield point): value %.1f M/s, "
	       "baseline %.1f M/s, ratio %.3f\n",
	       1e3 / load_ns, 1e3 / base, base / load_ns);
	printf("TLB miss (walk, warm walk cache, eviction): value %.1f ns/translation, "
	       "baseline %.2f ns/load, ratio %.1f\n",
	       miss_ns, base, miss_ns / base);
	return 0;
}
