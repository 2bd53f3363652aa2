// SPDX-License-Identifier: GPL-2.0-only
/*
 * The MMU scenarios: CPU0 changes a live kernel mapping while the other
 * CPUs read (and, where the mapping stays writable, write) through it.
 * Each variant is one way of doing the change, right or wrong; its
 * .expect is the verdict the Arm rules give (sim/arm/checker.c).
 */
#include "checker.h"
#include "sim/cpu.h"
#include "mmu.h"
#include "sim/pmem.h"
#include "sim/scenario.h"

#include <glib.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>

enum scn_mmu_kind {
	SCN_BBM_OK,
	SCN_BBM_SKIP,
	SCN_MAKE_THEN_TLBI,
	SCN_NO_TLBI,
	SCN_NO_DSB,
	SCN_SPLIT_NOBBM,
	SCN_SPLIT_BBML2,
	SCN_SPLIT_BBML2_DIFFER,
	SCN_PERM_ONLY,
	SCN_AF_BREAK,
	SCN_AF_BREAK_CAS,
	SCN_CONFLICT_PERM,
	SCN_NO_ISB,
	SCN_ISB,
};

struct scn_mmu_def {
	struct scenario scn;
	enum scn_mmu_kind kind;
};

#define SCN_VA		(MMU_VMALLOC_START + 0x40000000ull) /* 2 MiB aligned */
#define SCN_PA_OLD	0x4000000ull			    /* 64 MiB */
#define SCN_PA_NEW	0x4001000ull
#define SCN_PA_BLOCK	0x4200000ull /* 2 MiB aligned */
#define SCN_PA_OTHER	0x4400000ull
#define SCN_OLD_MARK	0x01d01d01d01dull
#define SCN_NEW_MARK	0x2e32e32e32eull
#define SCN_OWNER_MARK	0x0bad0bad0badull
#define SCN_ITERS	4
#define SCN_DIFFER_PAGE 5

struct scn_mmu {
	enum scn_mmu_kind kind;
	uint64_t ready, done; /* kernel data: readers that filled their TLB; updater done */
	uint64_t ptep;	      /* kernel VA of the descriptor CPU0 changes */
	uint64_t new_table;   /* split: the PTE table CPU0 installs */
	bool block;	      /* the mapping is a 2 MiB block */
	bool unmap;	      /* the mapping goes away: readers use nofault accesses */
	bool readonly_after;  /* readers must not write */
};

static const struct scn_mmu_def *def_of(struct sim *sim)
{
	return (const struct scn_mmu_def *)((const char *)sim->scn -
					    offsetof(struct scn_mmu_def, scn));
}

static int scn_mmu_setup(struct sim *sim, char *err, size_t errlen)
{
	struct scn_mmu *s = g_new0(struct scn_mmu, 1);
	uint64_t slot;

	sim->scn_state = s;
	if (mmu_install(sim, err, errlen))
		return -1;
	s->kind = def_of(sim)->kind;
	s->ready = sim_kdata_alloc(sim, 8, 64);
	s->done = sim_kdata_alloc(sim, 8, 64);
	s->block = s->kind == SCN_SPLIT_NOBBM || s->kind == SCN_SPLIT_BBML2 ||
		   s->kind == SCN_SPLIT_BBML2_DIFFER;
	s->unmap = s->kind == SCN_NO_TLBI || s->kind == SCN_NO_DSB;
	s->readonly_after = s->kind == SCN_PERM_ONLY || s->kind == SCN_CONFLICT_PERM || s->unmap;
	chk_page_alloc(sim, SCN_PA_OLD, 2);
	pmem_write(sim->mem, SCN_PA_OLD, 8, SCN_OLD_MARK);
	pmem_write(sim->mem, SCN_PA_NEW, 8, SCN_NEW_MARK);
	if (!s->block) {
		if (mmu_boot_map(sim, SCN_VA, SCN_PA_OLD, MMU_PAGE_SIZE, MMU_PROT_KERNEL, 3))
			goto fail;
		slot = mmu_slot_pa(sim, SCN_VA, 3);
	} else {
		uint64_t table = mmu_alloc_table_page(sim);

		/* Every page of the block says which page it is. */
		for (unsigned i = 0; i < 512; i++)
			pmem_write(sim->mem, SCN_PA_BLOCK + i * MMU_PAGE_SIZE, 8, SCN_OLD_MARK + i);
		if (!table ||
		    mmu_boot_map(sim, SCN_VA, SCN_PA_BLOCK, MMU_PMD_SIZE, MMU_PROT_KERNEL, 2))
			goto fail;
		slot = mmu_slot_pa(sim, SCN_VA, 2);
		/* The detached PTE table, filled as vmemmap_split_pmd() fills it. */
		for (unsigned i = 0; i < 512; i++) {
			uint64_t pa = SCN_PA_BLOCK + i * MMU_PAGE_SIZE;

			if (s->kind == SCN_SPLIT_BBML2_DIFFER && i == SCN_DIFFER_PAGE)
				pa = SCN_PA_OTHER; /* zeroes, not this page's contents */
			pmem_write(sim->mem, table + i * 8, 8, mmu_mk_leaf(pa, MMU_PROT_KERNEL, 3));
		}
		s->new_table = table;
	}
	if (slot == UINT64_MAX)
		goto fail;
	s->ptep = mmu_phys_to_virt(slot);
	return 0;
fail:
	snprintf(err, errlen, "cannot build the scenario's mapping");
	return -1;
}

static void scn_mmu_teardown(struct sim *sim)
{
	mmu_teardown(sim);
	g_free(sim->scn_state);
	sim->scn_state = NULL;
}

/* The reader's fix-up: wait until the entry is valid again, then retry. */
static enum mmu_fault_action scn_fault_wait(struct sim_cpu *cpu, const struct mmu_fault *f,
					    void *arg)
{
	struct scn_mmu *s = arg;

	if (f->type == MMU_FAULT_ACCESS_FLAG) {
		/* An AF=0 break value: wait for the new entry (AF=1). */
		cpu_spin_until(cpu, s->ptep, 8, DESC_AF, DESC_AF, "scenario pte AF");
		return MMU_FAULT_RETRY;
	}
	if (f->type != MMU_FAULT_TRANSLATION)
		return MMU_FAULT_NO_FIXUP;
	cpu_spin_until(cpu, s->ptep, 8, DESC_VALID, DESC_VALID, "scenario pte valid");
	return MMU_FAULT_RETRY;
}

static void scn_check_value(struct sim_cpu *cpu, struct scn_mmu *s, uint64_t va, uint64_t v)
{
	uint64_t page = (va - SCN_VA) >> MMU_PAGE_SHIFT;
	bool ok;

	if (s->block)
		ok = v == SCN_OLD_MARK + page ||
		     (s->kind == SCN_SPLIT_BBML2_DIFFER && page == SCN_DIFFER_PAGE && v == 0);
	else
		ok = v == SCN_OLD_MARK || v == SCN_NEW_MARK || (s->unmap && v == SCN_OWNER_MARK);
	if (!ok)
		sim_report(cpu->sim, cpu, FINDING_ASSERTION, va, 0,
			   "a reader sees the old or the new contents",
			   "read %#" PRIx64 " through the mapping", v);
}

static void scn_access(struct sim_cpu *cpu, struct scn_mmu *s, unsigned i)
{
	uint64_t va = SCN_VA, v = 0;

	if (s->block)
		va += (uint64_t)(i % 8) * MMU_PAGE_SIZE;
	if (s->unmap) {
		if (!mmu_load_nofault(cpu, va, 8, &v))
			scn_check_value(cpu, s, va, v);
		return;
	}
	scn_check_value(cpu, s, va, cpu_load64(cpu, va));
	/* RW -> RO: until the TLBI completes a write may use either entry. */
	if (s->kind == SCN_CONFLICT_PERM)
		mmu_store_nofault(cpu, va + 8 + cpu->id * 8, 8, i);
	if (!s->readonly_after)
		cpu_store64(cpu, va + 8 + cpu->id * 8, i);
}

static void scn_reader(struct sim_cpu *cpu, struct scn_mmu *s)
{
	mmu_set_fault_handler(cpu, scn_fault_wait, s);
	scn_access(cpu, s, 0);
	cpu_fetch_add(cpu, s->ready, 8, 1);
	for (unsigned i = 1; i < SCN_ITERS; i++)
		scn_access(cpu, s, i);
	/*
	 * The last write is checked against the completed TLBI: it must be
	 * ordered after it, which the spin's control dependency does not do
	 * for a translation (herd7 S+shoot+ctrl_mmufault_db: Allowed) and an
	 * acquire does (S+shoot+acq_mmufault_db: Forbidden).
	 */
	if (s->kind == SCN_CONFLICT_PERM)
		cpu_spin_until_acquire(cpu, s->done, 8, 1, 1, "scenario updater done");
	else
		cpu_spin_until(cpu, s->done, 8, 1, 1, "scenario updater done");
	scn_access(cpu, s, 0);
	if (s->kind == SCN_CONFLICT_PERM && !mmu_store_nofault(cpu, SCN_VA + 8, 8, 1))
		sim_report(cpu->sim, cpu, FINDING_ASSERTION, SCN_VA, SCN_PA_OLD,
			   "Arm ARM DDI 0487 D8.16: a completed TLBI removes every entry it covers",
			   "a write after the TLBI completed used the old writable entry");
}

/* Unmap, then free the page and hand it to a new owner who writes it. */
static void scn_free_and_reuse(struct sim_cpu *cpu)
{
	chk_page_free(cpu->sim, SCN_PA_OLD, 1);
	chk_page_alloc(cpu->sim, SCN_PA_OLD, 1);
	cpu_store64(cpu, mmu_phys_to_virt(SCN_PA_OLD), SCN_OWNER_MARK);
}

/*
 * Break with an AF=0 descriptor (the old output address, Access flag
 * clear), invalidate, then make. Without hardware AF management nothing
 * can cache the AF=0 value, so it is a break (herd7
 * MP+tlbi-sync.ishspteaf0pteoa.af1+pos: Never, no BBM warning). With it, any
 * walk may set AF and so remake the old translation; the make must then be
 * a compare-and-swap from the AF=0 value that starts over when it fails
 * (herd7 MP+tlbi-sync.ishsRpteaf0pte-amo.casptepteoa.af1+pos, P1:HA: Never).
 */
static void scn_af_break(struct sim_cpu *cpu, struct scn_mmu *s, uint64_t new_pte, bool cas)
{
	uint64_t af0 = mmu_mk_leaf(SCN_PA_OLD, MMU_PROT_KERNEL & ~DESC_AF, 3);

	for (;;) {
		mmu_set_pte(cpu, s->ptep, af0);
		dsb_ish(cpu);
		tlbi_vaae1is(cpu, SCN_VA);
		dsb_ish(cpu);
		if (!cas) {
			mmu_set_pte(cpu, s->ptep, new_pte);
			break;
		}
		if (cpu_cmpxchg(cpu, s->ptep, 8, af0, new_pte) == af0)
			break;
	}
	dsb_ish(cpu);
	isb(cpu);
}

static void scn_updater(struct sim_cpu *cpu, struct scn_mmu *s)
{
	uint64_t new_pte = mmu_mk_leaf(SCN_PA_NEW, MMU_PROT_KERNEL, 3);
	uint64_t range = mmu_tlbi_range_arg(SCN_VA, 1, 7); /* 8 * 2^6 pages = 2 MiB */

	cpu_spin_until(cpu, s->ready, 8, ~0ull, cpu->sim->ncpus - 1, "scenario readers ready");
	switch (s->kind) {
	case SCN_BBM_OK:
		mmu_set_pte(cpu, s->ptep, 0);
		dsb_ish(cpu);
		tlbi_vaae1is(cpu, SCN_VA);
		dsb_ish(cpu);
		mmu_set_pte(cpu, s->ptep, new_pte);
		dsb_ish(cpu);
		isb(cpu);
		/* The old page is unreachable now: giving it away is safe. */
		scn_free_and_reuse(cpu);
		break;
	case SCN_BBM_SKIP:
		mmu_set_pte(cpu, s->ptep, new_pte);
		dsb_ish(cpu);
		tlbi_vaae1is(cpu, SCN_VA);
		dsb_ish(cpu);
		isb(cpu);
		break;
	case SCN_MAKE_THEN_TLBI:
		mmu_set_pte(cpu, s->ptep, 0);
		dsb_ish(cpu);
		mmu_set_pte(cpu, s->ptep, new_pte);
		tlbi_vaae1is(cpu, SCN_VA);
		dsb_ish(cpu);
		isb(cpu);
		break;
	case SCN_NO_TLBI:
		mmu_set_pte(cpu, s->ptep, 0);
		dsb_ish(cpu);
		scn_free_and_reuse(cpu);
		break;
	case SCN_NO_DSB:
		mmu_set_pte(cpu, s->ptep, 0);
		dsb_ishst(cpu);
		tlbi_vaae1is(cpu, SCN_VA);
		scn_free_and_reuse(cpu);
		break;
	case SCN_SPLIT_NOBBM:
	case SCN_SPLIT_BBML2:
	case SCN_SPLIT_BBML2_DIFFER:
		/* vmemmap_split_pmd(): smp_wmb(), pmd_populate_kernel(), flush. */
		dsb_ishst(cpu);
		mmu_set_pte(cpu, s->ptep, mmu_mk_table(s->new_table));
		dsb_ishst(cpu);
		tlbi_rvaale1is(cpu, range);
		dsb_ish(cpu);
		isb(cpu);
		break;
	case SCN_AF_BREAK:
	case SCN_AF_BREAK_CAS:
		scn_af_break(cpu, s, new_pte, s->kind == SCN_AF_BREAK_CAS);
		break;
	case SCN_NO_ISB:
	case SCN_ISB:
		/*
		 * Remap, then use the mapping here. Without FEAT_ETS2 only a
		 * context synchronisation event keeps the load from using a
		 * walk done before the make (herd7 coWRExpNExp+DSB-TLBI-DSB:
		 * fault Allowed; coWRExpNExp+DSB-ISB: Forbidden).
		 */
		mmu_set_pte(cpu, s->ptep, 0);
		dsb_ish(cpu);
		tlbi_vaae1is(cpu, SCN_VA);
		dsb_ish(cpu);
		mmu_set_pte(cpu, s->ptep, new_pte);
		dsb_ish(cpu);
		if (s->kind == SCN_ISB)
			isb(cpu);
		scn_check_value(cpu, s, SCN_VA, cpu_load64(cpu, SCN_VA));
		break;
	case SCN_PERM_ONLY:
	case SCN_CONFLICT_PERM:
		mmu_set_pte(cpu, s->ptep, mmu_mk_leaf(SCN_PA_OLD, MMU_PROT_KERNEL_RO, 3));
		dsb_ishst(cpu);
		tlbi_vaae1is(cpu, SCN_VA);
		dsb_ish(cpu);
		isb(cpu);
		break;
	}
	cpu_store64(cpu, s->done, 1);
	if (s->kind == SCN_NO_DSB)
		dsb_ish(cpu); /* too late: the page was reused before */
}

static void scn_mmu_main(struct sim_cpu *cpu)
{
	struct scn_mmu *s = cpu->sim->scn_state;

	if (cpu->id == 0)
		scn_updater(cpu, s);
	else
		scn_reader(cpu, s);
}

static const char *const scn_bbml2[] = {"bbm_level=2", "bbml2_noabort=1", NULL};
static const char *const scn_ha[] = {"hafdbs=af", NULL};

#define SCN_MMU(var, nm, k, exp, dflt, sum)                           \
	static const struct scn_mmu_def var = {                       \
		.scn =                                                \
			{                                             \
				.name = nm,                           \
				.summary = sum,                       \
				.default_cpus = 2,                    \
				.expect = exp,                        \
				.est_steps = 60,                      \
				.defaults = dflt,                     \
				.setup = scn_mmu_setup,               \
				.cpu_main = scn_mmu_main,             \
				.teardown = scn_mmu_teardown,         \
			},                                            \
		.kind = k,                                            \
	};                                                            \
	static void __attribute__((constructor)) var##_register(void) \
	{                                                             \
		scenario_register(&var.scn);                          \
	}

SCN_MMU(scn_mmu_bbm_ok, "mmu-bbm-ok", SCN_BBM_OK, -1, NULL,
	"OA change with the full break-before-make sequence, old page reused: clean")
SCN_MMU(scn_mmu_bbm_skip, "mmu-bbm-skip", SCN_BBM_SKIP, FINDING_BBM_VIOLATION, NULL,
	"valid->valid OA change of a writable page without a break")
SCN_MMU(scn_mmu_make_then_tlbi, "mmu-make-then-tlbi", SCN_MAKE_THEN_TLBI, FINDING_BBM_VIOLATION,
	NULL, "break, then the new entry before the TLBI")
SCN_MMU(scn_mmu_no_tlbi, "mmu-no-tlbi", SCN_NO_TLBI, FINDING_STALE_ACCESS, NULL,
	"unmap without TLBI, then free and reuse the page")
SCN_MMU(scn_mmu_no_dsb, "mmu-no-dsb", SCN_NO_DSB, FINDING_STALE_ACCESS, NULL,
	"unmap and TLBI without DSB before the page is freed and reused")
SCN_MMU(scn_mmu_split_nobbm, "mmu-split-nobbm", SCN_SPLIT_NOBBM, FINDING_BBM_VIOLATION, NULL,
	"live 2 MiB block replaced by a PTE table without a break (BBM level 0)")
SCN_MMU(scn_mmu_split_bbml2, "mmu-split-bbml2", SCN_SPLIT_BBML2, -1, scn_bbml2,
	"the same split on FEAT_BBM level 2 without conflict aborts: clean")
SCN_MMU(scn_mmu_split_bbml2_differ, "mmu-split-bbml2-differ", SCN_SPLIT_BBML2_DIFFER,
	FINDING_BBM_VIOLATION, scn_bbml2, "BBM level 2 split where one page's contents differ")
SCN_MMU(scn_mmu_perm_only, "mmu-perm-only", SCN_PERM_ONLY, -1, NULL,
	"RW->RO without a break, then TLBI: clean")
SCN_MMU(scn_mmu_af_break, "mmu-af-break", SCN_AF_BREAK, FINDING_BBM_VIOLATION, scn_ha,
	"AF=0 used as the break value while the hardware sets AF (--hafdbs af)")
SCN_MMU(scn_mmu_af_break_cas, "mmu-af-break-cas", SCN_AF_BREAK_CAS, -1, scn_ha,
	"AF=0 break, made by a compare-and-swap that redoes the break if AF was set: clean")
SCN_MMU(scn_mmu_conflict_perm, "mmu-conflict-perm", SCN_CONFLICT_PERM, -1, NULL,
	"RW->RO without a break: until the TLBI completes a write may use either entry: clean")
SCN_MMU(scn_mmu_no_isb, "mmu-no-isb", SCN_NO_ISB, FINDING_ASSERTION, NULL,
	"remap, DSB, then use the mapping without an ISB: a fault from an earlier walk (no "
	"FEAT_ETS2)")
SCN_MMU(scn_mmu_isb, "mmu-isb", SCN_ISB, -1, NULL, "the same with the ISB: clean")

/*
 * mmu-vmemmap-free-early: a vmemmap page freed before its flush (issue 13,
 * item 8). CPU0 breaks the vmemmap PTE of a struct page, frees the page it
 * mapped and hands it to a new owner, and only then invalidates and maps
 * the new page; readers read the struct page throughout. A TLB may hold
 * the old translation until the TLBI completes, so the free is a use after
 * free in every schedule, whether or not a reader looks in the window.
 */
#define SCN_VMEMMAP_PFN 0x40000ull /* a struct page at 1 GiB: its own vmemmap page */

static uint64_t scn_vmemmap_va(void)
{
	return mmu_pfn_to_page(SCN_VMEMMAP_PFN) & ~(MMU_PAGE_SIZE - 1);
}

static int scn_vfree_setup(struct sim *sim, char *err, size_t errlen)
{
	struct scn_mmu *s = g_new0(struct scn_mmu, 1);
	uint64_t slot;

	sim->scn_state = s;
	if (mmu_install(sim, err, errlen))
		return -1;
	s->ready = sim_kdata_alloc(sim, 8, 64);
	s->done = sim_kdata_alloc(sim, 8, 64);
	chk_page_alloc(sim, SCN_PA_OLD, 2);
	pmem_write(sim->mem, SCN_PA_OLD, 8, SCN_OLD_MARK);
	pmem_write(sim->mem, SCN_PA_NEW, 8, SCN_OLD_MARK); /* the restored copy */
	if (mmu_boot_map(sim, scn_vmemmap_va(), SCN_PA_OLD, MMU_PAGE_SIZE, MMU_PROT_KERNEL, 3) ||
	    (slot = mmu_slot_pa(sim, scn_vmemmap_va(), 3)) == UINT64_MAX) {
		snprintf(err, errlen, "cannot map the vmemmap page");
		return -1;
	}
	s->ptep = mmu_phys_to_virt(slot);
	return 0;
}

static void scn_vfree_main(struct sim_cpu *cpu)
{
	struct scn_mmu *s = cpu->sim->scn_state;
	uint64_t va = scn_vmemmap_va();

	if (cpu->id) {
		mmu_set_fault_handler(cpu, scn_fault_wait, s);
		cpu_load64(cpu, va);
		cpu_fetch_add(cpu, s->ready, 8, 1);
		for (unsigned i = 0; i < SCN_ITERS; i++)
			cpu_load64(cpu, va);
		return;
	}
	cpu_spin_until(cpu, s->ready, 8, ~0ull, cpu->sim->ncpus - 1, "scenario readers ready");
	mmu_set_pte(cpu, s->ptep, 0);
	dsb_ishst(cpu);
	scn_free_and_reuse(cpu); /* too early: the old translation may still be cached */
	tlbi_vaae1is(cpu, va);
	dsb_ish(cpu);
	mmu_set_pte(cpu, s->ptep, mmu_mk_leaf(SCN_PA_NEW, MMU_PROT_KERNEL, 3));
	dsb_ishst(cpu);
	isb(cpu);
}

static const struct scenario scn_mmu_vmemmap_free_early = {
	.name = "mmu-vmemmap-free-early",
	.summary = "a vmemmap page freed (and reused) after its break but before its TLB flush",
	.default_cpus = 2,
	.expect = FINDING_STALE_ACCESS,
	.est_steps = 60,
	.setup = scn_vfree_setup,
	.cpu_main = scn_vfree_main,
	.teardown = scn_mmu_teardown,
};
SCENARIO_REGISTER(scn_mmu_vmemmap_free_early)
