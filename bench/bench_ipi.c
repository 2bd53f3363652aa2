// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench_ipi: the cost of one pause/resume round (series v2), simulated and
 * on the host, at 8 and 80 CPUs, with the SGI broadcast (one IRM=1 write)
 * and with per-cluster sends (one write per 16 or 4 CPUs).
 *
 * CPU 0 runs ROUNDS rounds of: IRQs off, pause_remote_cpus(),
 * resume_remote_cpus(), IRQs on. The others wait with IRQs on (WFE-like)
 * and answer. The timed strategy gives simulated time from the cost table.
 *
 * usage: bench_ipi [rounds]
 */
#include "smp/smp.h"

#include "sim/cpu.h"
#include "sim/scenario.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned rounds = 200;
static struct smp_config b_cfg;
static struct smp_workload b_w;
static uint64_t pause_ps, round_ps;

static int b_setup(struct sim *sim, char *err, size_t errlen)
{
	if (smp_setup(sim, &b_cfg, err, errlen))
		return -1;
	smp_workload_init(sim, &b_w);
	sim->scn_state = &b_w;
	return 0;
}

static void b_teardown(struct sim *sim)
{
	smp_teardown(sim);
	sim->scn_state = NULL;
}

static void b_main(struct sim_cpu *cpu)
{
	if (cpu->id == 0) {
		for (unsigned r = 0; r < rounds; r++) {
			uint64_t t0 = cpu->clock, t1;

			local_irq_disable(cpu);
			if (pause_remote_cpus(cpu))
				abort();
			t1 = cpu->clock;
			resume_remote_cpus(cpu);
			local_irq_enable(cpu);
			pause_ps += t1 - t0;
			round_ps += cpu->clock - t0;
		}
		smp_work_finish(cpu, &b_w);
		return;
	}
	cpu_spin_while(cpu, b_w.done, 4, 0xffffffff, 0, "done");
	smp_work_exit(cpu, &b_w);
}

static const struct scenario b_scn = {
	.name = "bench-ipi",
	.est_steps = 100000,
	.setup = b_setup,
	.cpu_main = b_main,
	.teardown = b_teardown,
};

static void bench(unsigned ncpus, bool bcast, unsigned cluster)
{
	struct sim_options o;
	struct sim_costs c;
	char err[300];
	struct sim *sim;
	int64_t t0, t1;
	uint64_t writes, steps;

	sim_options_default(&o);
	sim_opt_set_uint(&o, OPT_cpus, ncpus);
	o.seed = 1;
	snprintf(o.sched, sizeof(o.sched), "timed");
	costs_default(&c);
	b_cfg = (struct smp_config){.pseudo_nmi = true,
				    .sgi_broadcast = bcast,
				    .eoimode1 = true,
				    .cluster_size = cluster};
	pause_ps = round_ps = 0;
	sim = sim_create(&b_scn, &o, &c, NULL, err, sizeof(err));
	if (!sim) {
		fprintf(stderr, "bench_ipi: %s\n", err);
		exit(2);
	}
	sim->keep_trace = false;
	t0 = g_get_monotonic_time();
	if (sim_run(sim, err, sizeof(err)) || sim->nr_findings) {
		fprintf(stderr, "bench_ipi: run failed: %s\n",
			sim->nr_findings ? sim->findings[0].detail : err);
		exit(1);
	}
	t1 = g_get_monotonic_time();
	writes = gic_stats(sim)->sgi_writes - (bcast ? 1 : (ncpus + cluster - 1) / cluster);
	steps = sim->step;
	printf("%4u  %-12s %7u  %10.2f  %10.2f  %8.1f  %10.1f  %9.0f\n", ncpus,
	       bcast ? "broadcast" : "per-cluster", cluster, pause_ps / 1e6 / rounds,
	       round_ps / 1e6 / rounds, (double)writes / rounds, (double)(t1 - t0) / rounds,
	       (double)steps / rounds);
	sim_destroy(sim);
}

int main(int argc, char **argv)
{
	if (argc > 1)
		rounds = (unsigned)strtoul(argv[1], NULL, 10);
	if (!rounds)
		rounds = 1;
	printf("pause/resume rounds: %u per line (timed strategy, default costs)\n", rounds);
	printf("cpus  send         cluster  pause(us)  round(us)  sgi-wr/rd  wall(us)/rd  "
	       "steps/rd\n");
	bench(8, true, 16);
	bench(8, false, 16);
	bench(8, false, 4);
	bench(80, true, 16);
	bench(80, false, 16);
	bench(80, false, 4);
	bench(80, false, 1);
	return 0;
}
