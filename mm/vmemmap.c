// SPDX-License-Identifier: GPL-2.0-only
/*
 * Boot-time memory layout, the vmemmap and its readers, RCU, and the arm64
 * page-table store and TLB-flush helpers the HVO code uses.
 */
#include "mm_internal.h"
#include "sim/arm/checker.h"
#include "sim/pmem.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const struct hstate hstate_2m = {.order = 9};
const struct hstate hstate_1g = {.order = 18};

static const struct hvo_impl *hvo_impl_linux;

/* ---- set-up --------------------------------------------------------------------------- */

int mm_setup(struct sim *sim, char *err, size_t errlen)
{
	struct mm *mm = g_new0(struct mm, 1);
	uint64_t mem = pmem_size(sim->mem);
	char why[160];

	sim->kern = mm;
	mm->sim = sim;
	mm->ops = vmemmap_ops_find(sim_opt_str(&sim->opt, OPT_strategy));
	if (!mm->ops) {
		snprintf(err, errlen, "--strategy: unknown strategy '%.31s' (none, A, B, C, D, E)",
			 sim_opt_str(&sim->opt, OPT_strategy));
		return -1;
	}
	if (mm->ops->supported && !mm->ops->supported(sim, why, sizeof(why))) {
		snprintf(err, errlen, "strategy %s is not supported on this machine: %s",
			 mm->ops->name, why);
		return -1;
	}
	mm->nr_pfns = mem >> PAGE_SHIFT;
	/* The vmemmap's backing comes from memblock at boot, 2 MiB at a time. */
	mm->vmemmap_size = (mm->nr_pfns * STRUCT_PAGE_SIZE + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	mm->vmemmap_pa = MMU_PGTABLE_BASE + MMU_PGTABLE_SIZE;
	uint64_t first_free = (mm->vmemmap_pa + mm->vmemmap_size + PMD_SIZE - 1) & ~(PMD_SIZE - 1);
	if (first_free + PMD_SIZE > mem) {
		snprintf(err, errlen, "memory of %" PRIu64 " MiB is too small for the layout",
			 mem >> 20);
		return -1;
	}
	if (mmu_boot_map(sim, MMU_VMEMMAP_START, mm->vmemmap_pa, mm->vmemmap_size, MMU_PROT_KERNEL,
			 2)) {
		snprintf(err, errlen, "cannot map the vmemmap (%" PRIu64 " MiB)",
			 mm->vmemmap_size >> 20);
		return -1;
	}
	mm->buddy = buddy_create(first_free >> PAGE_SHIFT, mm->nr_pfns);
	mm->page_table_lock = raw_spin_lock_alloc(sim);
	mm->rcu_nesting = sim_kdata_alloc(sim, 64ull * sim->ncpus, 64);
	mm->rcu_qs = sim_kdata_alloc(sim, 64ull * sim->ncpus, 64);
	if (mm->ops->setup)
		mm->ops->setup(sim);
	if (!strcmp(sim_opt_str(&sim->opt, OPT_kernel), "model")) {
		mm->hvo = &hvo_impl_model;
	} else if (!strcmp(sim_opt_str(&sim->opt, OPT_kernel), "linux")) {
		mm->hvo = hvo_impl_linux;
		if (!mm->hvo) {
			snprintf(err, errlen,
				 "--kernel linux: this build has no Linux harness "
				 "(linux-source-6.12 not installed: scripts/bootstrap --linux, "
				 "or ./configure --linux-src DIR)");
			return -1;
		}
	} else {
		snprintf(err, errlen, "--kernel: unknown kernel '%.31s' (model, linux)",
			 sim_opt_str(&sim->opt, OPT_kernel));
		return -1;
	}
	if (mm->hvo->setup)
		return mm->hvo->setup(sim, err, errlen);
	return 0;
}

/* ---- the run's HVO code ------------------------------------------------------------------ */

void hvo_impl_register_linux(const struct hvo_impl *impl)
{
	hvo_impl_linux = impl;
}

int hugetlb_vmemmap_optimize_folio(struct sim_cpu *cpu, const struct hstate *h, uint64_t folio)
{
	return mm_of(cpu->sim)->hvo->optimize_folio(cpu, h, folio);
}

void hugetlb_vmemmap_optimize_folios(struct sim_cpu *cpu, const struct hstate *h,
				     const struct folio_list *l)
{
	mm_of(cpu->sim)->hvo->optimize_folios(cpu, h, l);
}

int hugetlb_vmemmap_restore_folio(struct sim_cpu *cpu, const struct hstate *h, uint64_t folio)
{
	return mm_of(cpu->sim)->hvo->restore_folio(cpu, h, folio);
}

long hugetlb_vmemmap_restore_folios(struct sim_cpu *cpu, const struct hstate *h,
				    const struct folio_list *l)
{
	return mm_of(cpu->sim)->hvo->restore_folios(cpu, h, l);
}

void mm_teardown(struct sim *sim)
{
	struct mm *mm = mm_of(sim);

	if (!mm)
		return;
	if (mm->hvo && mm->hvo->teardown)
		mm->hvo->teardown(sim);
	buddy_destroy(mm->buddy);
	if (mm->ops && mm->ops->teardown)
		mm->ops->teardown(sim);
	g_free(mm->strategy_state);
	g_free(mm);
	sim->kern = NULL;
}

uint64_t vmemmap_pmdp(struct sim *sim, uint64_t addr)
{
	return mmu_phys_to_virt(mmu_slot_pa(sim, addr, 2));
}

/* ---- struct page readers ------------------------------------------------------------------ */

uint64_t page_flags(struct sim_cpu *cpu, uint64_t page)
{
	return cpu_load64(cpu, page + PAGE_OFF_FLAGS);
}

/*
 * With HVO, every tail vmemmap page maps the head's vmemmap page, so a
 * struct page at the start of a page may look like a head. It is a fake one
 * when the struct page after it says it is a tail (page_fixed_fake_head()).
 */
bool page_fixed_fake_head_test(struct sim_cpu *cpu, uint64_t page, uint64_t *head)
{
	if (page & (PAGE_SIZE - 1))
		return false;
	if (!(page_flags(cpu, page) & (1ull << PG_head)))
		return false;
	uint64_t next = cpu_load64(cpu, page + STRUCT_PAGE_SIZE + PAGE_OFF_CHEAD);
	if (!(next & 1))
		return false;
	*head = next - 1;
	return true;
}

uint64_t compound_head_dep(struct sim_cpu *cpu, uint64_t page, cpu_dep_t *dep)
{
	uint64_t head = cpu_load64(cpu, page + PAGE_OFF_CHEAD);

	*dep = cpu_dep(cpu);
	if (head & 1)
		return head - 1;
	if (page_fixed_fake_head_test(cpu, page, &head)) {
		*dep = cpu_dep(cpu); /* the next page's compound_head, its last load */
		return head;
	}
	*dep = 0;
	return page;
}

uint64_t compound_head(struct sim_cpu *cpu, uint64_t page)
{
	cpu_dep_t dep;

	return compound_head_dep(cpu, page, &dep);
}

bool page_ref_add_unless(struct sim_cpu *cpu, uint64_t page, int nr, int unless)
{
	uint64_t ref = page + PAGE_OFF_REFCOUNT;
	uint32_t v = (uint32_t)cpu_load(cpu, ref, 4);

	while (v != (uint32_t)unless) {
		uint32_t old = (uint32_t)cpu_cmpxchg(cpu, ref, 4, v, v + (uint32_t)nr);

		if (old == v)
			return true;
		v = old;
	}
	return false;
}

void page_ref_sub(struct sim_cpu *cpu, uint64_t page, int nr)
{
	cpu_fetch_add(cpu, page + PAGE_OFF_REFCOUNT, 4, (uint32_t)-nr);
}

/* ---- RCU ----------------------------------------------------------------------------------- */

void rcu_read_lock(struct sim_cpu *cpu)
{
	struct mm *mm = mm_of(cpu->sim);

	cpu_fetch_add(cpu, mm->rcu_nesting + 64ull * cpu->id, 4, 1);
}

void rcu_read_unlock(struct sim_cpu *cpu)
{
	struct mm *mm = mm_of(cpu->sim);

	cpu_fetch_add(cpu, mm->rcu_nesting + 64ull * cpu->id, 4, (uint32_t)-1);
	cpu_fetch_add(cpu, mm->rcu_qs + 64ull * cpu->id, 8, 1);
}

/*
 * A grace period: every CPU that is inside a read-side critical section
 * when it starts leaves it before it ends. Readers that start later see the
 * updater's earlier stores, so they need no waiting.
 */
void synchronize_rcu(struct sim_cpu *cpu)
{
	struct sim *sim = cpu->sim;
	struct mm *mm = mm_of(sim);
	uint64_t start = cpu->clock;

	/* synchronize_rcu() has smp_mb() semantics at both ends (memory-barriers.txt). */
	cpu_barrier(cpu, CPU_DMB_ISH);
	for (unsigned i = 0; i < sim->ncpus; i++) {
		if (i == cpu->id)
			continue;
		uint64_t qs = cpu_load64(cpu, mm->rcu_qs + 64ull * i);
		/* The count before the nesting: a reader seen outside has counted its exit. */
		cpu_barrier(cpu, CPU_DMB_ISH);
		if (cpu_load(cpu, mm->rcu_nesting + 64ull * i, 4))
			cpu_spin_while(cpu, mm->rcu_qs + 64ull * i, 8, ~0ull, qs,
				       "an RCU reader to finish");
	}
	cpu_barrier(cpu, CPU_DMB_ISH);
	sim_tick(cpu, COST_rcu_gp);
	mm->stats.sync_rcu++;
	sim_span(cpu, "synchronize_rcu", start);
}

/* ---- page-table stores and TLB maintenance (arm64) --------------------------------------------- */

void set_pte_at(struct sim_cpu *cpu, uint64_t ptep, uint64_t val)
{
	cpu_store64(cpu, ptep, val);
	/* A valid kernel entry: make the walker see it before anything later. */
	if (val & DESC_VALID) {
		dsb_ishst(cpu);
		isb(cpu);
	}
}

void pte_clear(struct sim_cpu *cpu, uint64_t ptep)
{
	cpu_store64(cpu, ptep, 0);
}

void flush_tlb_all(struct sim_cpu *cpu)
{
	struct mm *mm = mm_of(cpu->sim);
	uint64_t start = cpu->clock;

	dsb_ishst(cpu);
	tlbi_vmalle1is(cpu);
	dsb_ish(cpu);
	isb(cpu);
	mm->stats.flush_tlb_all++;
	sim_span(cpu, "flush_tlb_all", start);
}

#define MAX_DVM_OPS PTRS_PER_PTE

void flush_tlb_kernel_range(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	struct mm *mm = mm_of(cpu->sim);
	uint64_t t0 = cpu->clock;

	if (end - start > MAX_DVM_OPS * PAGE_SIZE) {
		flush_tlb_all(cpu);
		return;
	}
	dsb_ishst(cpu);
	for (uint64_t addr = start; addr < end; addr += PAGE_SIZE)
		tlbi_vaale1is(cpu, addr);
	dsb_ish(cpu);
	isb(cpu);
	mm->stats.flush_tlb_range++;
	mm->stats.tlbi_pages += (end - start) >> PAGE_SHIFT;
	sim_span(cpu, "flush_tlb_kernel_range", t0);
}
