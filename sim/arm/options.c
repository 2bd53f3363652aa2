// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Arm hardware's options (options.def), in the run's options at level 1
 * (docs/layout.md, bottom up).
 */
#include "mmu.h"

#define SIM_OPT_UINT SIM_OPT_ID_DEFINE
#define SIM_OPT_BOOL SIM_OPT_ID_DEFINE
#define SIM_OPT_STR  SIM_OPT_ID_DEFINE
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR

static const struct sim_option_def arm_options[] = {
#define SIM_OPT_UINT SIM_OPT_UINT_ENTRY
#define SIM_OPT_BOOL SIM_OPT_BOOL_ENTRY
#define SIM_OPT_STR  SIM_OPT_STR_ENTRY
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR
};
SIM_OPTIONS_REGISTER(arm_options, 1)
