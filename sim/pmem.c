// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sparse physical memory: a three-level radix table (1 GiB -> 2 MiB -> 4 KiB
 * page slots) so that terabytes of address space cost nothing until a page
 * is written, and a run that touches a few pages creates and frees a few
 * small tables. A page slot holds its flags and, once written with non-zero
 * data, a 4 KiB data buffer.
 */
#include "pmem.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SHIFT 30 /* a top-level entry: 1 GiB */
#define LEAF_SHIFT  21 /* a leaf table: 2 MiB of page slots */
#define MID_ENTRIES (1u << (CHUNK_SHIFT - LEAF_SHIFT))
#define LEAF_PAGES  (1u << (LEAF_SHIFT - PMEM_PAGE_SHIFT))

struct pmem_page {
	uint8_t *data; /* NULL: all zeros */
	uint32_t flags;
};

struct pmem_leaf {
	struct pmem_page page[LEAF_PAGES];
	struct pmem_leaf *next; /* all leaves, for teardown */
};

struct pmem {
	uint64_t size;
	uint64_t nchunks;
	struct pmem_leaf ***chunks; /* [chunk][mid] */
	struct pmem_leaf *leaves;
	uint64_t resident;
};

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);

	if (!p)
		abort();
	return p;
}

struct pmem *pmem_create(uint64_t size)
{
	struct pmem *m = xcalloc(1, sizeof(*m));

	m->size = size;
	m->nchunks = (size + (1ull << CHUNK_SHIFT) - 1) >> CHUNK_SHIFT;
	m->chunks = xcalloc(m->nchunks, sizeof(*m->chunks));
	return m;
}

void pmem_destroy(struct pmem *m)
{
	if (!m)
		return;
	for (struct pmem_leaf *l = m->leaves, *next; l; l = next) {
		next = l->next;
		for (unsigned i = 0; i < LEAF_PAGES; i++)
			free(l->page[i].data);
		free(l);
	}
	for (uint64_t c = 0; c < m->nchunks; c++)
		free(m->chunks[c]);
	free(m->chunks);
	free(m);
}

uint64_t pmem_size(const struct pmem *m)
{
	return m->size;
}

uint64_t pmem_resident(const struct pmem *m)
{
	return m->resident;
}

/* The slot of @pa, created on demand when @create. */
static struct pmem_page *slot(struct pmem *m, uint64_t pa, bool create)
{
	uint64_t c = pa >> CHUNK_SHIFT;
	unsigned mid = (pa >> LEAF_SHIFT) & (MID_ENTRIES - 1);

	assert(pa < m->size);
	if (!m->chunks[c]) {
		if (!create)
			return NULL;
		m->chunks[c] = xcalloc(MID_ENTRIES, sizeof(struct pmem_leaf *));
	}
	struct pmem_leaf *l = m->chunks[c][mid];
	if (!l) {
		if (!create)
			return NULL;
		l = xcalloc(1, sizeof(*l));
		l->next = m->leaves;
		m->leaves = l;
		m->chunks[c][mid] = l;
	}
	return &l->page[(pa >> PMEM_PAGE_SHIFT) & (LEAF_PAGES - 1)];
}

static uint8_t *page_data(struct pmem *m, uint64_t pa, bool create)
{
	struct pmem_page *p = slot(m, pa, create);

	if (!p)
		return NULL;
	if (!p->data && create) {
		p->data = xcalloc(1, PMEM_PAGE_SIZE);
		m->resident += PMEM_PAGE_SIZE;
	}
	return p->data;
}

static void check_span(uint64_t pa, size_t len)
{
	assert(len <= PMEM_PAGE_SIZE);
	assert(((pa ^ (pa + len - 1)) >> PMEM_PAGE_SHIFT) == 0);
	(void)pa;
	(void)len;
}

uint64_t pmem_read(struct pmem *m, uint64_t pa, unsigned size)
{
	uint64_t v = 0;

	check_span(pa, size);
	const uint8_t *d = page_data(m, pa, false);
	if (d)
		memcpy(&v, d + (pa & (PMEM_PAGE_SIZE - 1)), size); /* little-endian host */
	return v;
}

void pmem_write(struct pmem *m, uint64_t pa, unsigned size, uint64_t val)
{
	check_span(pa, size);
	uint8_t *d = page_data(m, pa, val != 0);
	if (d)
		memcpy(d + (pa & (PMEM_PAGE_SIZE - 1)), &val, size);
}

void pmem_read_buf(struct pmem *m, uint64_t pa, void *buf, size_t len)
{
	check_span(pa, len);
	const uint8_t *d = page_data(m, pa, false);
	if (d)
		memcpy(buf, d + (pa & (PMEM_PAGE_SIZE - 1)), len);
	else
		memset(buf, 0, len);
}

void pmem_write_buf(struct pmem *m, uint64_t pa, const void *buf, size_t len)
{
	check_span(pa, len);
	memcpy(page_data(m, pa, true) + (pa & (PMEM_PAGE_SIZE - 1)), buf, len);
}

void pmem_zero_page(struct pmem *m, uint64_t pa)
{
	struct pmem_page *p = slot(m, pa, false);

	if (p && p->data) {
		free(p->data);
		p->data = NULL;
		m->resident -= PMEM_PAGE_SIZE;
	}
}

void pmem_copy_page(struct pmem *m, uint64_t dst, uint64_t src)
{
	const uint8_t *s = page_data(m, src, false);

	if (!s) {
		pmem_zero_page(m, dst);
		return;
	}
	memcpy(page_data(m, dst, true), s, PMEM_PAGE_SIZE);
}

bool pmem_page_equal(struct pmem *m, uint64_t a, uint64_t b)
{
	static const uint8_t zero[PMEM_PAGE_SIZE];
	const uint8_t *da = page_data(m, a, false), *db = page_data(m, b, false);

	return !memcmp(da ? da : zero, db ? db : zero, PMEM_PAGE_SIZE);
}

uint32_t pmem_flags(struct pmem *m, uint64_t pa)
{
	struct pmem_page *p = slot(m, pa, false);

	return p ? p->flags : 0;
}

void pmem_set_flags(struct pmem *m, uint64_t pa, uint32_t flags)
{
	slot(m, pa, true)->flags |= flags;
}

void pmem_clear_flags(struct pmem *m, uint64_t pa, uint32_t flags)
{
	struct pmem_page *p = slot(m, pa, false);

	if (p)
		p->flags &= ~flags;
}
