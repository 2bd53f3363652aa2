/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pmem: simulated physical memory.
 *
 * Contract: a sparse, page-granular store addressable up to 2^48 bytes that
 * only spends host memory on pages written with non-zero data; an untouched
 * page reads as zeros. Each page carries flags for the layers above (a page
 * holding a live translation table, a page a CPU waits on). Accesses must
 * not cross a 4 KiB page. These calls are not yield points: CPU programs use
 * the cpu_*() accessors (sim/cpu.h), which are.
 */
#ifndef BBMSIM_PMEM_H
#define BBMSIM_PMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PMEM_PAGE_SHIFT 12
#define PMEM_PAGE_SIZE	(1ull << PMEM_PAGE_SHIFT)

enum {
	PMEM_F_HOOK = 1u << 0,	 /* stores call sim hooks.store_hook (checker) */
	PMEM_F_WAITED = 1u << 1, /* a CPU waits on a store to this page */
	PMEM_F_LAYER0 = 1u << 8, /* bits 8..31 are free for the layers above */
};

struct pmem;

struct pmem *pmem_create(uint64_t size);
void pmem_destroy(struct pmem *m);
uint64_t pmem_size(const struct pmem *m);

/* Host-side access; @pa .. @pa+len-1 must lie in one page and in memory. */
uint64_t pmem_read(struct pmem *m, uint64_t pa, unsigned size);
void pmem_write(struct pmem *m, uint64_t pa, unsigned size, uint64_t val);
void pmem_read_buf(struct pmem *m, uint64_t pa, void *buf, size_t len);
void pmem_write_buf(struct pmem *m, uint64_t pa, const void *buf, size_t len);
/* Copies/zeroes whole pages; zero pages stay unmaterialised. */
void pmem_copy_page(struct pmem *m, uint64_t dst, uint64_t src);
void pmem_zero_page(struct pmem *m, uint64_t pa);
/* Compares two pages' contents. */
bool pmem_page_equal(struct pmem *m, uint64_t a, uint64_t b);

uint32_t pmem_flags(struct pmem *m, uint64_t pa);
void pmem_set_flags(struct pmem *m, uint64_t pa, uint32_t flags);
void pmem_clear_flags(struct pmem *m, uint64_t pa, uint32_t flags);

/* Host memory spent on page data, in bytes (for tests and RSS budgets). */
uint64_t pmem_resident(const struct pmem *m);

#endif
