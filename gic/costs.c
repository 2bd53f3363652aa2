// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GIC's costs (costs.def), in the engine's table at level 2
 * (docs/layout.md, bottom up).
 */
#include "sim/sim.h"

#define SIM_COST SIM_COST_DEFINE
#include "costs.def"
#undef SIM_COST

static const struct sim_cost_def gic_costs[] = {
#define SIM_COST SIM_COST_ENTRY
#include "costs.def"
#undef SIM_COST
};
SIM_COSTS_REGISTER(gic_costs, 2)
