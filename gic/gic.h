/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * gic: a GICv3 with affinity routing, as the PEs see it (Arm IHI 0069).
 *
 * Contract: one redistributor per CPU holds the private interrupts (SGIs
 * 0-15, PPIs 16-31): pending, active, enable, group and priority. The CPU
 * interface of each PE has ICC_PMR_EL1, the active priorities (running
 * priority), ICC_CTLR_EL1.EOImode and ICC_IGRPEN1_EL1; only Group 1 is
 * modelled, in one security state (GICD_CTLR.DS == 1: priorities are used as
 * written, 5 bits implemented). Every change of state goes through one
 * function that recomputes the CPU's highest-priority pending interrupt and
 * drives cpu->irq_line, kicking the CPU out of a wait when the line rises.
 * Whether PSTATE.I lets the PE take the exception is the PE's business
 * (hooks.take_irq, in smp/), not the GIC's.
 *
 * Two faces: gic_cpuif_*() are the register model (no yield point, no cost;
 * host context or from the instructions), icc_*() are the instructions a
 * CPU program executes (a yield point and a cost, then the register access).
 * An SGI is pending at its target from the ICC_SGI1R_EL1 write on; it is
 * acknowledged no earlier than its arrival time (write time + sgi_latency +
 * a decided jitter), which is what gic_cpu_sync_arrival() applies.
 */
#ifndef BBMSIM_GIC_H
#define BBMSIM_GIC_H

#include "sim/sim.h"

#include <stdbool.h>
#include <stdint.h>

/* This layer's costs (costs.def): COST_name ids into struct sim_costs. */
#define SIM_COST SIM_COST_DECLARE
#include "costs.def"
#undef SIM_COST

/* This layer's options (options.def): OPT_name ids into struct sim_options. */
#define SIM_OPT_UINT SIM_OPT_ID_DECLARE
#define SIM_OPT_BOOL SIM_OPT_ID_DECLARE
#define SIM_OPT_STR  SIM_OPT_ID_DECLARE
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR

#define GIC_NR_SGI	   16
#define GIC_NR_PRIVATE	   32 /* SGIs and PPIs: INTIDs 0-31 */
#define GIC_INTID_SPURIOUS 1023
#define GIC_PRIO_MASK	   0xf8 /* 5 priority bits implemented */
#define GIC_PRIO_IDLE	   0xff /* running priority with nothing active */

/* ICC_SGI1R_EL1 (IHI 0069 12.2.19 / ARM ARM ICC_SGI1R_EL1). */
#define ICC_SGI1R_TARGET_LIST_MASK 0xffffull
#define ICC_SGI1R_AFF1_SHIFT	   16
#define ICC_SGI1R_SGI_ID_SHIFT	   24
#define ICC_SGI1R_AFF2_SHIFT	   32
#define ICC_SGI1R_IRM_BIT	   40
#define ICC_SGI1R_RS_SHIFT	   44
#define ICC_SGI1R_AFF3_SHIFT	   48

/* ICC_CTLR_EL1.EOImode: 1 = EOIR only drops priority, DIR deactivates. */
#define ICC_CTLR_EOIMODE (1ull << 1)

/* MPIDR_EL1 affinity fields. */
#define MPIDR_AFF0(m) ((unsigned)((m)&0xff))
#define MPIDR_AFF1(m) ((unsigned)(((m) >> 8) & 0xff))
#define MPIDR_AFF2(m) ((unsigned)(((m) >> 16) & 0xff))
#define MPIDR_AFF3(m) ((unsigned)(((m) >> 32) & 0xff))
#define MPIDR_MAKE(a3, a2, a1, a0) \
	(((uint64_t)(a3) << 32) | ((uint64_t)(a2) << 16) | ((uint64_t)(a1) << 8) | (uint64_t)(a0))

/* Machine-wide counters, for checks, tests and the benchmark. */
struct gic_stats {
	uint64_t sgi_writes;	/* ICC_SGI1R_EL1 writes */
	uint64_t sgi_raised;	/* SGIs made pending at a target */
	uint64_t sgi_coalesced; /* ... that were pending already */
	uint64_t acks;		/* IAR reads that returned an INTID */
	uint64_t spurious;	/* IAR reads that returned 1023 */
	uint64_t bad_eoi;	/* EOIR/DIR of an INTID that was not active */
};

/*
 * Creates the GIC of a run in host context: MPIDR of CPU i is
 * Aff0 = i % cluster_size, Aff1.Aff2 = i / cluster_size (as a 16-bit
 * count), Aff3 = 0. cluster_size may be up to 256 (Aff0 beyond 15 needs RS).
 * All private interrupts start disabled, Group 1, priority 0xa0; PMR 0,
 * EOImode 0, Group 1 disabled, as after reset (priority aside).
 */
int gic_create(struct sim *sim, unsigned cluster_size, char *err, size_t errlen);
void gic_destroy(struct sim *sim);

/* Firmware's choice of affinity for @cpu (host context, before the run). */
void gic_set_mpidr(struct sim *sim, unsigned cpu, uint64_t mpidr);
/* MPIDR_EL1 of @cpu: a constant, readable without a yield point. */
uint64_t gic_mpidr(struct sim *sim, unsigned cpu);

/* Redistributor set-up (GICR_ISENABLER0/ICENABLER0, IPRIORITYR, IGROUPR0). */
void gic_redist_enable(struct sim *sim, unsigned cpu, unsigned intid, bool on);
void gic_redist_set_priority(struct sim *sim, unsigned cpu, unsigned intid, uint8_t prio);
void gic_redist_set_group1(struct sim *sim, unsigned cpu, unsigned intid, bool g1);

/* ---- the register model (no yield point) ------------------------------------------ */

void gic_cpuif_write_sgi1r(struct sim *sim, unsigned cpu, uint64_t val);
uint32_t gic_cpuif_read_iar1(struct sim *sim, unsigned cpu);
void gic_cpuif_write_eoir1(struct sim *sim, unsigned cpu, uint32_t intid);
void gic_cpuif_write_dir(struct sim *sim, unsigned cpu, uint32_t intid);
void gic_cpuif_write_pmr(struct sim *sim, unsigned cpu, uint64_t val);
uint64_t gic_cpuif_read_pmr(struct sim *sim, unsigned cpu);
uint64_t gic_cpuif_read_rpr(struct sim *sim, unsigned cpu);
uint32_t gic_cpuif_read_hppir1(struct sim *sim, unsigned cpu);
void gic_cpuif_write_ctlr(struct sim *sim, unsigned cpu, uint64_t val);
uint64_t gic_cpuif_read_ctlr(struct sim *sim, unsigned cpu);
void gic_cpuif_write_igrpen1(struct sim *sim, unsigned cpu, bool on);

/* ---- the instructions (yield point + cost) ------------------------------------------ */

void icc_write_sgi1r(struct sim_cpu *cpu, uint64_t val);
uint32_t icc_read_iar1(struct sim_cpu *cpu);
void icc_write_eoir1(struct sim_cpu *cpu, uint32_t intid);
void icc_write_dir(struct sim_cpu *cpu, uint32_t intid);
void icc_write_pmr(struct sim_cpu *cpu, uint64_t val);
uint64_t icc_read_pmr(struct sim_cpu *cpu);
uint64_t icc_read_rpr(struct sim_cpu *cpu);
void icc_write_ctlr(struct sim_cpu *cpu, uint64_t val);

/*
 * The PE takes the exception no earlier than the highest-priority pending
 * interrupt reached it: raises @cpu's clock to that arrival time.
 */
void gic_cpu_sync_arrival(struct sim_cpu *cpu);

/* ---- inspection (host context: checks, tests, reports) -------------------------------- */

bool gic_pending(struct sim *sim, unsigned cpu, unsigned intid);
bool gic_active(struct sim *sim, unsigned cpu, unsigned intid);
uint8_t gic_priority(struct sim *sim, unsigned cpu, unsigned intid);
/* Pending, enabled Group 1 private interrupts of @cpu, bit per INTID. */
uint32_t gic_pending_enabled(struct sim *sim, unsigned cpu);
/* IAR acknowledgements of @intid on @cpu so far. */
uint64_t gic_acks(struct sim *sim, unsigned cpu, unsigned intid);
const struct gic_stats *gic_stats(struct sim *sim);
/* One line on @cpu's interface: PMR, RPR, pending/active, line. */
void gic_describe_cpu(struct sim *sim, unsigned cpu, char *buf, size_t len);

#endif
