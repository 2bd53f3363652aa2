/* SPDX-License-Identifier: GPL-2.0-only */
/* mm_internal: what mm/'s files share and nobody else uses. */
#ifndef BBMSIM_MM_INTERNAL_H
#define BBMSIM_MM_INTERNAL_H

#include "mm.h"

struct buddy *buddy_create(uint64_t start_pfn, uint64_t end_pfn);
void buddy_destroy(struct buddy *b);

/* The kernel VA of the PMD / PTE slot that maps vmemmap address @addr. */
uint64_t vmemmap_pmdp(struct sim *sim, uint64_t addr);

#endif
