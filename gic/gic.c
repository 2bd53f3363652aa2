// SPDX-License-Identifier: GPL-2.0-only
/*
 * GICv3 redistributors and CPU interfaces (Arm IHI 0069H): SGI generation
 * with affinity routing, acknowledge, priority drop, deactivation, the
 * priority mask and running priority. Rules cited by section of IHI 0069.
 */
#include "gic/gic.h"

#include "sim/arm/checker.h"
#include "sim/cpu.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>

#define GIC_DEFAULT_PRIO 0xa0
#define GIC_JITTER_STEPS 4 /* decided extra delay: 0..3 quarters of sgi_latency */

struct gic_cpu {
	uint64_t mpidr;
	/* redistributor: one bit per private INTID */
	uint32_t pending, active, enabled, group1;
	uint8_t prio[GIC_NR_PRIVATE];
	uint64_t arrival[GIC_NR_PRIVATE]; /* ps: when a pending SGI reached this PE */
	/* CPU interface */
	uint8_t pmr;
	bool eoimode, grpen1;
	uint32_t apr; /* ICC_AP1R0_EL1: a bit per active group priority (prio >> 3) */
	uint64_t acks[GIC_NR_PRIVATE];
	uint64_t flow[GIC_NR_PRIVATE]; /* --perfetto: the arrow of the pending SGI, or 0 */
};

/* A PE by what an ICC_SGI1R_EL1 write with IRM=0 names: Aff3.Aff2.Aff1, RS. */
struct gic_route {
	uint64_t key; /* Aff3:Aff2:Aff1:RS */
	uint32_t cpu;
};

struct gic {
	unsigned ncpus, cluster_size;
	struct gic_cpu *cpus;
	struct gic_stats stats;
	/* Every PE sorted by (key, index), rebuilt after an MPIDR changes. */
	struct gic_route *routes;
	bool routes_stale;
};

static struct gic *gic_of(struct sim *sim)
{
	return sim->gic;
}

static struct gic_cpu *gcpu(struct sim *sim, unsigned cpu)
{
	struct gic *g = sim->gic;

	g_assert(cpu < g->ncpus);
	return &g->cpus[cpu];
}

int gic_create(struct sim *sim, unsigned cluster_size, char *err, size_t errlen)
{
	struct gic *g;

	if (cluster_size < 1 || cluster_size > 256) {
		snprintf(err, errlen, "gic: cluster size %u outside 1..256", cluster_size);
		return -1;
	}
	if (sim->ncpus / cluster_size > 0xffff) {
		snprintf(err, errlen, "gic: %u CPUs need more than 65536 clusters", sim->ncpus);
		return -1;
	}
	g = g_new0(struct gic, 1);
	g->ncpus = sim->ncpus;
	g->cluster_size = cluster_size;
	g->cpus = g_new0(struct gic_cpu, sim->ncpus);
	for (unsigned i = 0; i < sim->ncpus; i++) {
		struct gic_cpu *c = &g->cpus[i];
		unsigned cluster = i / cluster_size;

		c->mpidr = MPIDR_MAKE(0, cluster >> 8, cluster & 0xff, i % cluster_size);
		c->group1 = ~0u;
		for (unsigned n = 0; n < GIC_NR_PRIVATE; n++)
			c->prio[n] = GIC_DEFAULT_PRIO;
		sim->cpus[i].gic = c;
	}
	g->routes = g_new(struct gic_route, sim->ncpus);
	g->routes_stale = true;
	sim->gic = g;
	return 0;
}

void gic_destroy(struct sim *sim)
{
	struct gic *g = sim->gic;

	if (!g)
		return;
	for (unsigned i = 0; i < sim->ncpus; i++)
		sim->cpus[i].gic = NULL;
	g_free(g->cpus);
	g_free(g->routes);
	g_free(g);
	sim->gic = NULL;
}

void gic_set_mpidr(struct sim *sim, unsigned cpu, uint64_t mpidr)
{
	gcpu(sim, cpu)->mpidr = mpidr;
	gic_of(sim)->routes_stale = true;
}

uint64_t gic_mpidr(struct sim *sim, unsigned cpu)
{
	return gcpu(sim, cpu)->mpidr;
}

/*
 * The running step reads or writes @cpu's redistributor and interface
 * (exploration: litmus/dpor.h). Host context (setup) has no step.
 */
static void gic_note(struct sim *sim, unsigned cpu, bool write)
{
	struct sim_cpu *cur = sim_current(sim);

	if (cur)
		sim_note(cur, SIM_OBJ_GIC(cpu), write);
}

/* ---- the one place that decides what a CPU interface signals --------------------- */

static uint8_t running_prio(const struct gic_cpu *c)
{
	/* 4.8: the running priority is the highest active group priority. */
	return c->apr ? (uint8_t)(__builtin_ctz(c->apr) << 3) : GIC_PRIO_IDLE;
}

/* Highest-priority pending interrupt that could be acknowledged, or -1. */
static int hppi(const struct gic_cpu *c)
{
	uint32_t cand = c->pending & c->enabled & c->group1 & ~c->active;
	int best = -1;

	if (!c->grpen1)
		return -1;
	/* 4.7.1: lowest priority value wins; among equals we take the lowest INTID. */
	while (cand) {
		int n = __builtin_ctz(cand);

		cand &= cand - 1;
		if (best < 0 || c->prio[n] < c->prio[best])
			best = n;
	}
	return best;
}

/* 4.8.1: signalled when more urgent than both the PMR and the running priority. */
static bool can_signal(const struct gic_cpu *c, int n)
{
	return n >= 0 && c->prio[n] < c->pmr && c->prio[n] < running_prio(c);
}

/*
 * Recomputes what @cpu's interface signals after any change of its state
 * (like QEMU's gicv3_cpuif_update): drives the IRQ line, and kicks a CPU
 * that waits (WFI, WFE) when the line rises.
 */
static void gic_update(struct sim *sim, unsigned cpu)
{
	struct sim_cpu *sc = &sim->cpus[cpu];
	bool was = sc->irq_line;

	gic_note(sim, cpu, true); /* every change of the state comes through here */
	sc->irq_line = can_signal(gcpu(sim, cpu), hppi(gcpu(sim, cpu)));
	if (sc->irq_line && !was) {
		sc->irq_defer = 0; /* an unmask is taken at once; an SGI's arrival: raise_sgi() */
		sc->irq_late = false;
		sim_kick(sc);
	}
}

void gic_redist_enable(struct sim *sim, unsigned cpu, unsigned intid, bool on)
{
	struct gic_cpu *c = gcpu(sim, cpu);

	g_assert(intid < GIC_NR_PRIVATE);
	if (on)
		c->enabled |= 1u << intid;
	else
		c->enabled &= ~(1u << intid);
	gic_update(sim, cpu);
}

void gic_redist_set_priority(struct sim *sim, unsigned cpu, unsigned intid, uint8_t prio)
{
	g_assert(intid < GIC_NR_PRIVATE);
	gcpu(sim, cpu)->prio[intid] = prio & GIC_PRIO_MASK;
	gic_update(sim, cpu);
}

void gic_redist_set_group1(struct sim *sim, unsigned cpu, unsigned intid, bool g1)
{
	struct gic_cpu *c = gcpu(sim, cpu);

	g_assert(intid < GIC_NR_PRIVATE);
	if (g1)
		c->group1 |= 1u << intid;
	else
		c->group1 &= ~(1u << intid);
	gic_update(sim, cpu);
}

/* ---- SGI generation ---------------------------------------------------------------- */

static void raise_sgi(struct sim *sim, unsigned from, unsigned to, unsigned intid)
{
	struct gic *g = sim->gic;
	struct gic_cpu *c = &g->cpus[to];
	struct sim_cpu *cur = sim_current(sim);
	bool was;

	g->stats.sgi_raised++;
	gic_note(sim, to, true); /* even a coalesced SGI orders the receiver after us */
	if (cur)
		chk_sgi_send(cur, to); /* the receiver is ordered after the sender */
	if (c->pending & (1u << intid)) {
		/* 4.1: an SGI pending at a PE does not pend twice. */
		g->stats.sgi_coalesced++;
		return;
	}
	c->pending |= 1u << intid;
	c->arrival[intid] = 0;
	if (cur) {
		uint64_t lat = sim->costs.ps[COST_sgi_latency];
		uint32_t d = sim_decide(sim, DECIDE_IRQ_DELAY, GIC_JITTER_STEPS);

		c->arrival[intid] = sim->cpus[from].clock + lat + d * (lat / GIC_JITTER_STEPS);
		/* Inside the sender's ICC_SGI1R_EL1 span, which ends at its clock. */
		c->flow[intid] = g->stats.sgi_raised;
		sim_flow(sim, from, sim->cpus[from].clock - 1, "sgi", c->flow[intid], false);
	}
	was = sim->cpus[to].irq_line;
	gic_update(sim, to);
	/*
	 * Delivery takes time: the target may run a few more instructions
	 * before it takes the exception (a decision; under timed the cost
	 * model's arrival time stands for it, gic_cpu_sync_arrival()).
	 */
	if (cur && !was && sim->cpus[to].irq_line && sim->local_points &&
	    sim_opt_uint(&sim->opt, OPT_irq_latency)) {
		struct sim_cpu *sc = &sim->cpus[to];

		sc->irq_defer = sim_decide(sim, DECIDE_IRQ_LATENCY,
					   sim_opt_uint(&sim->opt, OPT_irq_latency) + 1);
		sc->irq_late = sc->irq_defer != 0;
	}
}

/*
 * ICC_SGI1R_EL1 (IHI 0069 12.2.19): IRM=1 routes to every PE but the writer;
 * IRM=0 to the PEs Aff3.Aff2.Aff1.<RS*16 + n> for each bit n of TargetList.
 */
static uint64_t route_key(unsigned aff3, unsigned aff2, unsigned aff1, unsigned rs)
{
	return (uint64_t)aff3 << 32 | (uint64_t)aff2 << 24 | (uint64_t)aff1 << 16 | rs;
}

static int route_cmp(const void *a, const void *b)
{
	const struct gic_route *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->cpu < y->cpu ? -1 : x->cpu > y->cpu;
}

/* The first route with @key, or ncpus; the PEs it names follow in index order. */
static unsigned route_first(struct gic *g, uint64_t key)
{
	unsigned a = 0, b = g->ncpus;

	if (g->routes_stale) {
		for (unsigned i = 0; i < g->ncpus; i++) {
			uint64_t m = g->cpus[i].mpidr;

			g->routes[i] =
				(struct gic_route){route_key(MPIDR_AFF3(m), MPIDR_AFF2(m),
							     MPIDR_AFF1(m), MPIDR_AFF0(m) >> 4),
						   i};
		}
		qsort(g->routes, g->ncpus, sizeof(g->routes[0]), route_cmp);
		g->routes_stale = false;
	}
	while (a < b) {
		unsigned m = a + (b - a) / 2;

		if (g->routes[m].key < key)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

void gic_cpuif_write_sgi1r(struct sim *sim, unsigned cpu, uint64_t val)
{
	struct gic *g = sim->gic;
	unsigned intid = (unsigned)(val >> ICC_SGI1R_SGI_ID_SHIFT) & 0xf;
	bool irm = (val >> ICC_SGI1R_IRM_BIT) & 1;
	unsigned aff3 = (unsigned)(val >> ICC_SGI1R_AFF3_SHIFT) & 0xff;
	unsigned aff2 = (unsigned)(val >> ICC_SGI1R_AFF2_SHIFT) & 0xff;
	unsigned aff1 = (unsigned)(val >> ICC_SGI1R_AFF1_SHIFT) & 0xff;
	unsigned rs = (unsigned)(val >> ICC_SGI1R_RS_SHIFT) & 0xf;
	uint32_t tlist = (uint32_t)(val & ICC_SGI1R_TARGET_LIST_MASK);

	g->stats.sgi_writes++;
	if (irm) {
		for (unsigned i = 0; i < g->ncpus; i++)
			if (i != cpu)
				raise_sgi(sim, cpu, i, intid);
		return;
	}
	/* The PEs of that Aff3.Aff2.Aff1 and range, in index order as a scan would. */
	uint64_t key = route_key(aff3, aff2, aff1, rs);

	for (unsigned r = route_first(g, key); r < g->ncpus && g->routes[r].key == key; r++) {
		unsigned i = g->routes[r].cpu;

		if (tlist & (1u << (MPIDR_AFF0(g->cpus[i].mpidr) & 0xf)))
			raise_sgi(sim, cpu, i, intid);
	}
}

/* ---- acknowledge, priority drop, deactivation ---------------------------------------- */

uint32_t gic_cpuif_read_iar1(struct sim *sim, unsigned cpu)
{
	struct gic_cpu *c = gcpu(sim, cpu);
	int n = hppi(c);

	gic_note(sim, cpu, true);
	/* 12.2.13: below the PMR or the running priority, the read is spurious. */
	if (!can_signal(c, n)) {
		gic_of(sim)->stats.spurious++;
		return GIC_INTID_SPURIOUS;
	}
	if (c->flow[n]) /* inside the receiver's irq span */
		sim_flow(sim, cpu, sim->cpus[cpu].clock, "sgi", c->flow[n], true);
	c->flow[n] = 0;
	c->pending &= ~(1u << n); /* SGIs and edge PPIs: ack clears pending */
	c->active |= 1u << n;
	c->apr |= 1u << (c->prio[n] >> 3);
	c->acks[n]++;
	gic_of(sim)->stats.acks++;
	gic_update(sim, cpu);
	return (uint32_t)n;
}

static void deactivate(struct sim *sim, struct gic_cpu *c, uint32_t intid)
{
	if (intid >= GIC_NR_PRIVATE || !(c->active & (1u << intid))) {
		gic_of(sim)->stats.bad_eoi++;
		return;
	}
	c->active &= ~(1u << intid);
}

void gic_cpuif_write_eoir1(struct sim *sim, unsigned cpu, uint32_t intid)
{
	struct gic_cpu *c = gcpu(sim, cpu);

	if (intid >= 1020 && intid <= 1023)
		return; /* special INTIDs: ignored */
	/* 4.1.1: priority drop of the highest active priority ... */
	if (c->apr)
		c->apr &= c->apr - 1;
	else
		gic_of(sim)->stats.bad_eoi++;
	/* ... and with EOImode 0 the deactivation as well. */
	if (!c->eoimode)
		deactivate(sim, c, intid);
	gic_update(sim, cpu);
}

void gic_cpuif_write_dir(struct sim *sim, unsigned cpu, uint32_t intid)
{
	struct gic_cpu *c = gcpu(sim, cpu);

	gic_note(sim, cpu, true);
	/* 12.2.7: with EOImode 0 a DIR write is UNPREDICTABLE; we ignore it. */
	if (!c->eoimode) {
		gic_of(sim)->stats.bad_eoi++;
		return;
	}
	deactivate(sim, c, intid);
	gic_update(sim, cpu);
}

void gic_cpuif_write_pmr(struct sim *sim, unsigned cpu, uint64_t val)
{
	gcpu(sim, cpu)->pmr = (uint8_t)val & GIC_PRIO_MASK;
	gic_update(sim, cpu);
}

uint64_t gic_cpuif_read_pmr(struct sim *sim, unsigned cpu)
{
	gic_note(sim, cpu, false);
	return gcpu(sim, cpu)->pmr;
}

uint64_t gic_cpuif_read_rpr(struct sim *sim, unsigned cpu)
{
	gic_note(sim, cpu, false);
	return running_prio(gcpu(sim, cpu));
}

uint32_t gic_cpuif_read_hppir1(struct sim *sim, unsigned cpu)
{
	int n = hppi(gcpu(sim, cpu));

	gic_note(sim, cpu, false);
	return n < 0 ? GIC_INTID_SPURIOUS : (uint32_t)n;
}

void gic_cpuif_write_ctlr(struct sim *sim, unsigned cpu, uint64_t val)
{
	gic_note(sim, cpu, true);
	gcpu(sim, cpu)->eoimode = !!(val & ICC_CTLR_EOIMODE);
}

uint64_t gic_cpuif_read_ctlr(struct sim *sim, unsigned cpu)
{
	gic_note(sim, cpu, false);
	return gcpu(sim, cpu)->eoimode ? ICC_CTLR_EOIMODE : 0;
}

void gic_cpuif_write_igrpen1(struct sim *sim, unsigned cpu, bool on)
{
	gcpu(sim, cpu)->grpen1 = on;
	gic_update(sim, cpu);
}

/* ---- instructions --------------------------------------------------------------------- */

void icc_write_sgi1r(struct sim_cpu *cpu, uint64_t val)
{
	sim_yield(cpu);
	uint64_t t0 = cpu->clock;
	sim_tick(cpu, COST_sgi_write);
	gic_cpuif_write_sgi1r(cpu->sim, cpu->id, val);
	sim_span_detail(cpu, "ICC_SGI1R_EL1", t0, "%#" PRIx64, val);
}

uint32_t icc_read_iar1(struct sim_cpu *cpu)
{
	uint32_t intid;

	sim_yield(cpu);
	sim_tick(cpu, COST_sysreg);
	intid = gic_cpuif_read_iar1(cpu->sim, cpu->id);
	if (intid < GIC_NR_SGI)
		chk_sgi_take(cpu);
	return intid;
}

void icc_write_eoir1(struct sim_cpu *cpu, uint32_t intid)
{
	sim_yield_local(cpu);
	sim_tick(cpu, COST_sysreg);
	gic_cpuif_write_eoir1(cpu->sim, cpu->id, intid);
}

void icc_write_dir(struct sim_cpu *cpu, uint32_t intid)
{
	sim_yield_local(cpu);
	sim_tick(cpu, COST_sysreg);
	gic_cpuif_write_dir(cpu->sim, cpu->id, intid);
}

void icc_write_pmr(struct sim_cpu *cpu, uint64_t val)
{
	sim_yield_local(cpu);
	sim_tick(cpu, COST_sysreg);
	gic_cpuif_write_pmr(cpu->sim, cpu->id, val);
}

uint64_t icc_read_pmr(struct sim_cpu *cpu)
{
	sim_tick(cpu, COST_sysreg); /* local, no one else can observe it */
	return gic_cpuif_read_pmr(cpu->sim, cpu->id);
}

uint64_t icc_read_rpr(struct sim_cpu *cpu)
{
	sim_tick(cpu, COST_sysreg);
	return gic_cpuif_read_rpr(cpu->sim, cpu->id);
}

void icc_write_ctlr(struct sim_cpu *cpu, uint64_t val)
{
	sim_yield_local(cpu);
	sim_tick(cpu, COST_sysreg);
	gic_cpuif_write_ctlr(cpu->sim, cpu->id, val);
}

void gic_cpu_sync_arrival(struct sim_cpu *cpu)
{
	struct gic_cpu *c = cpu->gic;
	int n = hppi(c);

	if (n >= 0 && cpu->clock < c->arrival[n])
		cpu->clock = c->arrival[n];
}

/* ---- inspection ------------------------------------------------------------------------ */

bool gic_pending(struct sim *sim, unsigned cpu, unsigned intid)
{
	return intid < GIC_NR_PRIVATE && (gcpu(sim, cpu)->pending >> intid) & 1;
}

bool gic_active(struct sim *sim, unsigned cpu, unsigned intid)
{
	return intid < GIC_NR_PRIVATE && (gcpu(sim, cpu)->active >> intid) & 1;
}

uint8_t gic_priority(struct sim *sim, unsigned cpu, unsigned intid)
{
	g_assert(intid < GIC_NR_PRIVATE);
	return gcpu(sim, cpu)->prio[intid];
}

uint32_t gic_pending_enabled(struct sim *sim, unsigned cpu)
{
	struct gic_cpu *c = gcpu(sim, cpu);

	return c->grpen1 ? c->pending & c->enabled & c->group1 : 0;
}

uint64_t gic_acks(struct sim *sim, unsigned cpu, unsigned intid)
{
	g_assert(intid < GIC_NR_PRIVATE);
	return gcpu(sim, cpu)->acks[intid];
}

const struct gic_stats *gic_stats(struct sim *sim)
{
	return &((struct gic *)sim->gic)->stats;
}

void gic_describe_cpu(struct sim *sim, unsigned cpu, char *buf, size_t len)
{
	struct gic_cpu *c = gcpu(sim, cpu);

	snprintf(buf, len,
		 "cpu%u mpidr=%#" PRIx64 " pmr=%#x rpr=%#x pending=%#x active=%#x line=%d", cpu,
		 c->mpidr, c->pmr, running_prio(c), c->pending & c->enabled, c->active,
		 sim->cpus[cpu].irq_line);
}
