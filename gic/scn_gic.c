// SPDX-License-Identifier: GPL-2.0-only
/*
 * GIC scenarios: the hardware alone, driven by bare-metal programs (no
 * Linux): a minimal IRQ handler that acknowledges, counts and EOIs. Each
 * checks the exact number of SGIs every CPU took.
 *
 *   gic-sgi-broadcast   one IRM=1 write: every CPU but the writer, once
 *   gic-sgi-targetlist  per-cluster TargetList writes: the targets once, none else
 *   gic-sgi-coalesce    three SGIs to a CPU with IRQs masked: taken once
 */
#include "gic/gic.h"

#include "sim/cpu.h"
#include "sim/pmem.h"
#include "sim/scenario.h"

#include <glib.h>

#define TEST_SGI       9
#define TEST_PRIO      0xa0
#define BARE_PMR       0xf0
#define COALESCE_SENDS 3

enum scn_gic_kind { GIC_BROADCAST, GIC_TARGETLIST, GIC_COALESCE };

struct bare_cpu {
	bool i_masked; /* PSTATE.I */
	uint64_t taken[GIC_NR_SGI];
};

struct scn_gic {
	enum scn_gic_kind kind;
	struct bare_cpu *cpus;
	uint64_t acked, done, masked, sent; /* kernel data words */
};

static bool is_target(const struct sim *sim, unsigned cpu)
{
	/* every third CPU and the writer itself: several clusters at 80 CPUs */
	return cpu % 3 == 1 || cpu == 0;
}

static unsigned expected(const struct sim *sim, const struct scn_gic *st, unsigned cpu)
{
	switch (st->kind) {
	case GIC_BROADCAST:
		return cpu != 0;
	case GIC_TARGETLIST:
		return is_target(sim, cpu);
	case GIC_COALESCE:
	default:
		return cpu == 1;
	}
}

/* The bare-metal IRQ vector: ack, count, EOI (EOImode 0). */
static void bare_take_irq(struct sim_cpu *cpu)
{
	struct scn_gic *st = cpu->sim->scn_state;
	struct bare_cpu *bc = &st->cpus[cpu->id];
	uint32_t intid;

	if (bc->i_masked)
		return;
	gic_cpu_sync_arrival(cpu);
	bc->i_masked = true;
	sim_tick(cpu, COST_irq_entry);
	intid = icc_read_iar1(cpu);
	if (intid < GIC_NR_SGI) {
		bc->taken[intid]++;
		cpu_fetch_add(cpu, st->acked, 4, 1);
	}
	if (intid != GIC_INTID_SPURIOUS)
		icc_write_eoir1(cpu, intid);
	sim_tick(cpu, COST_irq_exit);
	bc->i_masked = false;
}

static int gic_scn_setup(struct sim *sim, enum scn_gic_kind kind, char *err, size_t errlen)
{
	struct scn_gic *st;

	if (gic_create(sim, sim_opt_uint(&sim->opt, OPT_cluster_size), err, errlen))
		return -1;
	st = g_new0(struct scn_gic, 1);
	st->kind = kind;
	st->cpus = g_new0(struct bare_cpu, sim->ncpus);
	st->acked = sim_kdata_alloc(sim, 64, 64);
	st->done = sim_kdata_alloc(sim, 64, 64);
	st->masked = sim_kdata_alloc(sim, 64, 64);
	st->sent = sim_kdata_alloc(sim, 64, 64);
	for (unsigned i = 0; i < sim->ncpus; i++) {
		gic_redist_set_priority(sim, i, TEST_SGI, TEST_PRIO);
		gic_redist_enable(sim, i, TEST_SGI, true);
		gic_cpuif_write_pmr(sim, i, BARE_PMR);
		gic_cpuif_write_igrpen1(sim, i, true);
	}
	sim->hooks.take_irq = bare_take_irq;
	sim->scn_state = st;
	return 0;
}

static int setup_broadcast(struct sim *sim, char *err, size_t errlen)
{
	return gic_scn_setup(sim, GIC_BROADCAST, err, errlen);
}

static int setup_targetlist(struct sim *sim, char *err, size_t errlen)
{
	return gic_scn_setup(sim, GIC_TARGETLIST, err, errlen);
}

static int setup_coalesce(struct sim *sim, char *err, size_t errlen)
{
	return gic_scn_setup(sim, GIC_COALESCE, err, errlen);
}

static void gic_scn_teardown(struct sim *sim)
{
	struct scn_gic *st = sim->scn_state;

	sim->hooks.take_irq = NULL;
	gic_destroy(sim);
	g_free(st->cpus);
	g_free(st);
	sim->scn_state = NULL;
}

static uint64_t sgi1r(uint64_t mpidr, uint16_t tlist, unsigned intid)
{
	return (uint64_t)MPIDR_AFF3(mpidr) << ICC_SGI1R_AFF3_SHIFT |
	       (uint64_t)MPIDR_AFF2(mpidr) << ICC_SGI1R_AFF2_SHIFT |
	       (uint64_t)MPIDR_AFF1(mpidr) << ICC_SGI1R_AFF1_SHIFT |
	       (uint64_t)(MPIDR_AFF0(mpidr) >> 4) << ICC_SGI1R_RS_SHIFT |
	       (uint64_t)intid << ICC_SGI1R_SGI_ID_SHIFT | tlist;
}

/* One write per run of targets that share Aff3.Aff2.Aff1 and Aff0[7:4]. */
static void send_targetlist(struct sim_cpu *cpu)
{
	struct sim *sim = cpu->sim;
	uint64_t cluster = ~0ull;
	uint16_t tlist = 0;

	for (unsigned i = 0; i < sim->ncpus; i++) {
		uint64_t m;

		if (!is_target(sim, i))
			continue;
		m = gic_mpidr(sim, i);
		if ((m & ~0xfull) != cluster && tlist) {
			icc_write_sgi1r(cpu, sgi1r(cluster, tlist, TEST_SGI));
			tlist = 0;
		}
		cluster = m & ~0xfull;
		tlist |= (uint16_t)(1u << (m & 0xf));
	}
	if (tlist)
		icc_write_sgi1r(cpu, sgi1r(cluster, tlist, TEST_SGI));
}

static unsigned total_expected(struct sim *sim, struct scn_gic *st)
{
	unsigned n = 0;

	for (unsigned i = 0; i < sim->ncpus; i++)
		n += expected(sim, st, i);
	return n;
}

static void gic_scn_main(struct sim_cpu *cpu)
{
	struct sim *sim = cpu->sim;
	struct scn_gic *st = sim->scn_state;
	struct bare_cpu *bc = &st->cpus[cpu->id];

	if (cpu->id == 0) {
		switch (st->kind) {
		case GIC_BROADCAST:
			icc_write_sgi1r(cpu, 1ull << ICC_SGI1R_IRM_BIT |
						     (uint64_t)TEST_SGI << ICC_SGI1R_SGI_ID_SHIFT);
			break;
		case GIC_TARGETLIST:
			send_targetlist(cpu);
			break;
		case GIC_COALESCE:
			cpu_spin_while(cpu, st->masked, 4, 0xffffffff, 0, "cpu1 masked");
			for (int i = 0; i < COALESCE_SENDS; i++)
				icc_write_sgi1r(cpu,
						sgi1r(gic_mpidr(sim, 1),
						      1u << (gic_mpidr(sim, 1) & 0xf), TEST_SGI));
			cpu_store(cpu, st->sent, 4, 1);
			break;
		}
		cpu_spin_until(cpu, st->acked, 4, 0xffffffff, total_expected(sim, st), "acks");
		cpu_store(cpu, st->done, 4, 1);
		return;
	}
	if (st->kind == GIC_COALESCE && cpu->id == 1) {
		bc->i_masked = true;
		cpu_store(cpu, st->masked, 4, 1);
		cpu_spin_while(cpu, st->sent, 4, 0xffffffff, 0, "sent, IRQs masked");
		bc->i_masked = false;
	}
	cpu_spin_while(cpu, st->done, 4, 0xffffffff, 0, "done");
}

static void gic_scn_check(struct sim *sim)
{
	struct scn_gic *st = sim->scn_state;
	const struct gic_stats *gs = gic_stats(sim);

	for (unsigned i = 0; i < sim->ncpus; i++) {
		uint64_t got = st->cpus[i].taken[TEST_SGI];
		uint32_t pend = gic_pending_enabled(sim, i);

		if (got != expected(sim, st, i))
			sim_report(sim, NULL, FINDING_ASSERTION, 0, 0,
				   "each target takes the SGI exactly once, no other CPU does",
				   "cpu%u took SGI %d %llu times, expected %u", i, TEST_SGI,
				   (unsigned long long)got, expected(sim, st, i));
		if (pend && !st->cpus[i].i_masked)
			sim_report(sim, NULL, FINDING_LOST_INTERRUPT, 0, 0,
				   "a deliverable pending SGI is taken",
				   "cpu%u ended with SGIs %#x pending", i, pend);
	}
	if (st->kind == GIC_COALESCE && gs->sgi_coalesced != COALESCE_SENDS - 1)
		sim_report(sim, NULL, FINDING_ASSERTION, 0, 0, "a pending SGI does not pend twice",
			   "%llu of %d SGIs coalesced, expected %d",
			   (unsigned long long)gs->sgi_coalesced, COALESCE_SENDS,
			   COALESCE_SENDS - 1);
	if (st->kind == GIC_BROADCAST && gs->sgi_writes != 1)
		sim_report(sim, NULL, FINDING_ASSERTION, 0, 0, "a broadcast is one write",
			   "%llu ICC_SGI1R_EL1 writes", (unsigned long long)gs->sgi_writes);
}

static const struct scenario scn_gic_broadcast = {
	.name = "gic-sgi-broadcast",
	.summary =
		"one ICC_SGI1R_EL1 write with IRM=1: every CPU but the writer takes the SGI once",
	.default_cpus = 8,
	.expect = -1,
	.est_steps = 200,
	.setup = setup_broadcast,
	.cpu_main = gic_scn_main,
	.check = gic_scn_check,
	.teardown = gic_scn_teardown,
};
SCENARIO_REGISTER(scn_gic_broadcast)

static const struct scenario scn_gic_targetlist = {
	.name = "gic-sgi-targetlist",
	.summary = "per-cluster TargetList writes: each target takes the SGI once, no other CPU",
	.default_cpus = 8,
	.expect = -1,
	.est_steps = 200,
	.setup = setup_targetlist,
	.cpu_main = gic_scn_main,
	.check = gic_scn_check,
	.teardown = gic_scn_teardown,
};
SCENARIO_REGISTER(scn_gic_targetlist)

static const struct scenario scn_gic_coalesce = {
	.name = "gic-sgi-coalesce",
	.summary = "three SGIs to a CPU with IRQs masked coalesce into one",
	.default_cpus = 8,
	.expect = -1,
	.est_steps = 200,
	.setup = setup_coalesce,
	.cpu_main = gic_scn_main,
	.check = gic_scn_check,
	.teardown = gic_scn_teardown,
};
SCENARIO_REGISTER(scn_gic_coalesce)
