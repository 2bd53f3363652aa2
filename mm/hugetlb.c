// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hugetlb pool operations of the series' measurements, after Linux
 * 6.12's mm/hugetlb.c: allocate (set_max_huge_pages: allocate all, then
 * prep_and_add_allocated_folios() optimises the batch), free
 * (update_and_free_pages_bulk(): restore the batch, then free each) and
 * demote (demote_free_hugetlb_folios(): restore, rewrite the struct pages as
 * 2 MiB folios, optimise those as a batch).
 */
#include "mm_internal.h"
#include "sim/pmem.h"

#include <glib.h>

/*
 * Writes @val at @off in the struct pages [first, first + n), a vmemmap page
 * at a time: one store through the MMU per page (the yield point, the
 * translation and the checker's look), the rest of the page's struct pages
 * at the physical address that store reached, costed per struct page. This
 * is the store loop of prep_compound_page() without a yield per store.
 */
static void vmemmap_write_range(struct sim_cpu *cpu, uint64_t first, uint64_t n, unsigned off,
				uint64_t val)
{
	struct sim *sim = cpu->sim;
	uint64_t end = first + n * STRUCT_PAGE_SIZE;

	for (uint64_t page = first; page < end;) {
		uint64_t page_end = (page | (PAGE_SIZE - 1)) + 1;
		struct mmu_result r;
		struct mmu_fault f;

		if (page_end > end)
			page_end = end;
		cpu_store64(cpu, page + off, val);
		if (mmu_translate(cpu, page, true, &r, &f))
			return; /* the store above reported it */
		for (uint64_t p = page + STRUCT_PAGE_SIZE; p < page_end; p += STRUCT_PAGE_SIZE)
			pmem_write(sim->mem, r.pa + (p - page) + off, 8, val);
		cpu->clock += sim->costs.ps[COST_struct_page_init] *
			      ((page_end - page) / STRUCT_PAGE_SIZE);
		page = page_end;
	}
}

/* prep_compound_page() + init_new_hugetlb_folio(): the head, then every tail. */
static void prep_compound_hugetlb(struct sim_cpu *cpu, uint64_t head, unsigned order)
{
	cpu_store64(cpu, head + PAGE_OFF_FLAGS, (1ull << PG_head) | (1ull << PG_hugetlb));
	cpu_store64(cpu, head + PAGE_OFF_PRIVATE, 0);
	cpu_store(cpu, head + PAGE_OFF_REFCOUNT, 4, 0);
	vmemmap_write_range(cpu, head + STRUCT_PAGE_SIZE, (1ull << order) - 1, PAGE_OFF_CHEAD,
			    head | 1);
	/* folio order in page[1].flags, as folio_set_order() keeps it */
	cpu_store64(cpu, head + STRUCT_PAGE_SIZE + PAGE_OFF_FLAGS, order);
}

/*
 * The free path (__update_and_free_hugetlb_folio(), free_pages_prepare()):
 * every struct page of the folio goes back to what a free page's is, all
 * zero in this model as at boot. A vmemmap page cleared whole is dropped
 * from host memory; without that, every gigantic page ever freed would keep
 * 16 MiB of struct pages resident, 9.6 GiB at the series' scale.
 */
static void free_prepare_struct_pages(struct sim_cpu *cpu, uint64_t head, unsigned order)
{
	struct sim *sim = cpu->sim;
	uint64_t end = head + (STRUCT_PAGE_SIZE << order);

	for (uint64_t page = head; page < end;) {
		uint64_t page_end = (page | (PAGE_SIZE - 1)) + 1;
		struct mmu_result r;
		struct mmu_fault f;

		if (page_end > end)
			page_end = end;
		cpu_store64(cpu, page, 0);
		if (mmu_translate(cpu, page, true, &r, &f))
			return; /* the store above reported it */
		if (page_end - page == PAGE_SIZE)
			pmem_zero_page(sim->mem, r.pa);
		else
			for (uint64_t p = page; p < page_end; p += 8)
				pmem_write(sim->mem, r.pa + (p - page), 8, 0);
		cpu->clock += sim->costs.ps[COST_struct_page_init] *
			      ((page_end - page) / STRUCT_PAGE_SIZE);
		page = page_end;
	}
}

int alloc_fresh_hugetlb_folio(struct sim_cpu *cpu, const struct hstate *h, struct folio_list *l)
{
	uint64_t pfn = alloc_pages(cpu, h->order);

	if (!pfn)
		return -1;
	/* Gigantic pages: alloc_contig_range() isolates and migrates the range. */
	if (h->order > 10)
		cpu->clock += cpu->sim->costs.ps[COST_alloc_contig_page] << h->order;
	prep_compound_hugetlb(cpu, pfn_to_page(pfn), h->order);
	folio_list_add(l, pfn_to_page(pfn));
	return 0;
}

int hugetlb_alloc_pool(struct sim_cpu *cpu, const struct hstate *h, unsigned n,
		       struct folio_list *out)
{
	uint64_t start = cpu->clock;
	int ret = 0;

	for (unsigned i = 0; i < n && !ret; i++)
		ret = alloc_fresh_hugetlb_folio(cpu, h, out);
	/* prep_and_add_allocated_folios() */
	hugetlb_vmemmap_optimize_folios(cpu, h, out);
	sim_span(cpu, "hugetlb_alloc_pool", start);
	return ret;
}

void hugetlb_free_pool(struct sim_cpu *cpu, const struct hstate *h, const struct folio_list *l)
{
	uint64_t start = cpu->clock;

	/* update_and_free_pages_bulk(): vmemmap for all first, then free each. */
	hugetlb_vmemmap_restore_folios(cpu, h, l);
	for (unsigned i = 0; i < l->nr; i++) {
		free_prepare_struct_pages(cpu, l->folio[i], h->order);
		free_pages(cpu, page_to_pfn(l->folio[i]), h->order);
	}
	sim_span(cpu, "hugetlb_free_pool", start);
}

int hugetlb_demote_pool(struct sim_cpu *cpu, const struct folio_list *gigantic,
			struct folio_list *out_2m)
{
	const struct hstate *src = &hstate_1g, *dst = &hstate_2m;
	uint64_t start = cpu->clock;
	long rc = hugetlb_vmemmap_restore_folios(cpu, src, gigantic);

	for (unsigned i = 0; i < gigantic->nr; i++) {
		uint64_t folio = gigantic->folio[i];

		if (folio_test_hugetlb_vmemmap_optimized(cpu, folio))
			continue; /* its restore failed: it stays a gigantic page */
		for (uint64_t j = 0; j < (1ull << src->order); j += 1ull << dst->order) {
			uint64_t page = folio + j * STRUCT_PAGE_SIZE;

			prep_compound_hugetlb(cpu, page, dst->order);
			folio_list_add(out_2m, page);
		}
	}
	hugetlb_vmemmap_optimize_folios(cpu, dst, out_2m);
	sim_span(cpu, "hugetlb_demote_pool", start);
	return rc < 0 ? (int)rc : 0;
}

uint64_t mm_boot_huge_page(struct sim *sim, const struct hstate *h)
{
	uint64_t pfn = mm_alloc_pages_host(sim, h->order);
	struct mmu_result r;
	struct mmu_fault f;

	if (!pfn)
		return 0;
	uint64_t head = pfn_to_page(pfn);
	for (uint64_t i = 0; i < (1ull << h->order); i++) {
		uint64_t page = head + i * STRUCT_PAGE_SIZE;

		if (mmu_walk_host(sim, page, &r, &f))
			return 0;
		if (i == 0) {
			pmem_write(sim->mem, r.pa + PAGE_OFF_FLAGS, 8,
				   (1ull << PG_head) | (1ull << PG_hugetlb));
		} else {
			pmem_write(sim->mem, r.pa + PAGE_OFF_CHEAD, 8, head | 1);
			if (i == 1)
				pmem_write(sim->mem, r.pa + PAGE_OFF_FLAGS, 8, h->order);
		}
	}
	return head;
}
