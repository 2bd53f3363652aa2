/* SPDX-License-Identifier: GPL-2.0-only */
/* <asm/pgalloc.h>: see lx_kernel.h, the shim this and every other header leads to. */
#include "lx_kernel.h"
