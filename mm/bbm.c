// SPDX-License-Identifier: GPL-2.0-only
/*
 * The vmemmap update strategies: one implementation each of the series'
 * arch hooks (struct vmemmap_update_ops). The generic HVO code is the same
 * for all of them; only how an entry changes differs.
 *
 *  none  what x86 does: write the new entry over the live one.
 *  A     BBM under init_mm.page_table_lock; a translation fault on the
 *        vmemmap waits for the lock in the fault handler and retries.
 *  B     BBM inside stop_machine().
 *  C     FEAT_BBM level 2: no break; a size change keeps the contents, and
 *        an address change only ever happens between read-only entries
 *        whose pages hold the same bytes.
 *  D     BBM while every other CPU is paused by a broadcast pseudo-NMI; one
 *        pause per range, with one flush for all of its entries.
 *  E     the July 2026 series: the break is a cleared Access flag (an AF=0
 *        entry is never cached), flushed, then the new entry is swapped in
 *        by a cmpxchg that fails if a walker set AF again; the PMD step
 *        gives up after 16 attempts and the folio stays unoptimised.
 */
#include "mm_internal.h"
#include "sim/pmem.h"

#include <errno.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static void ptl_lock(struct sim_cpu *cpu)
{
	raw_spin_lock(cpu, mm_of(cpu->sim)->page_table_lock);
}

static void ptl_unlock(struct sim_cpu *cpu)
{
	raw_spin_unlock(cpu, mm_of(cpu->sim)->page_table_lock);
}

static void nop_range(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
}

static void nop_cpu(struct sim_cpu *cpu)
{
}

static void direct_update(struct sim_cpu *cpu, uint64_t entryp, uint64_t addr, uint64_t val)
{
	set_pte_at(cpu, entryp, val);
}

/* The PTE slots of [start, end) in the (split) vmemmap. */
static uint64_t vmemmap_ptep(struct sim_cpu *cpu, uint64_t addr)
{
	uint64_t pmd = cpu_load64(cpu, vmemmap_pmdp(cpu->sim, addr));

	return mmu_phys_to_virt(mmu_desc_oa(pmd, 3)) + 8 * ((addr >> PAGE_SHIFT) & 511);
}

/* Break: invalidate every entry of the range, then one flush for them all. */
static void break_ptes(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	for (uint64_t a = start; a < end; a += PAGE_SIZE)
		pte_clear(cpu, vmemmap_ptep(cpu, a));
	flush_tlb_kernel_range(cpu, start, end);
}

static void break_pmd(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	cpu_store64(cpu, vmemmap_pmdp(cpu->sim, start), 0);
	flush_tlb_kernel_range(cpu, start, end);
}

/* ---- none ---------------------------------------------------------------------------- */

const struct vmemmap_update_ops vmemmap_ops_none = {
	.name = "none",
	.lock = ptl_lock,
	.unlock = ptl_unlock,
	.pmd_range_start = nop_range,
	.pmd_range_end = nop_range,
	.pte_range_start = nop_range,
	.pte_range_end = nop_range,
	.update_pmd = direct_update,
	.update_pte = direct_update,
};

/* ---- A: BBM + fault fix-up ------------------------------------------------------------ */

/*
 * The kernel's translation-fault handler for the vmemmap: wait for the
 * updater by taking page_table_lock, then retry. Taken on the CPU that
 * holds the lock (an interrupt in the break window), it spins forever.
 */
static enum mmu_fault_action a_fault(struct sim_cpu *cpu, const struct mmu_fault *f, void *arg)
{
	if (f->type != MMU_FAULT_TRANSLATION || f->va < MMU_VMEMMAP_START ||
	    f->va >= MMU_VMEMMAP_END)
		return MMU_FAULT_NO_FIXUP;
	ptl_lock(cpu);
	ptl_unlock(cpu);
	return MMU_FAULT_RETRY;
}

static void a_setup(struct sim *sim)
{
	for (unsigned i = 0; i < sim->ncpus; i++)
		mmu_set_fault_handler(&sim->cpus[i], a_fault, NULL);
}

static void a_pte_range_start(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	ptl_lock(cpu);
	break_ptes(cpu, start, end);
}

static void a_pte_range_end(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	ptl_unlock(cpu);
}

const struct vmemmap_update_ops vmemmap_ops_a = {
	.name = "A",
	.setup = a_setup,
	.lock = ptl_lock,
	.unlock = ptl_unlock,
	/* The split runs under page_table_lock already (ops->lock). */
	.pmd_range_start = break_pmd,
	.pmd_range_end = nop_range,
	.pte_range_start = a_pte_range_start,
	.pte_range_end = a_pte_range_end,
	.update_pmd = direct_update,
	.update_pte = direct_update,
	.arch_flushes_tlb = true,
};

/* ---- B: stop_machine() ------------------------------------------------------------------- */

/* The range's new entries, gathered until stop_machine() applies them. */
struct b_batch {
	uint64_t start, end;
	bool pmd;
	GArray *entry; /* pairs: entry VA, new value */
};

static struct b_batch *b_batch(struct sim *sim)
{
	struct mm *mm = mm_of(sim);

	if (!mm->strategy_state) {
		struct b_batch *b = g_new0(struct b_batch, 1);

		mm->strategy_state = b;
	}
	return mm->strategy_state;
}

static void b_start(struct sim_cpu *cpu, uint64_t start, uint64_t end, bool pmd)
{
	struct b_batch *b = b_batch(cpu->sim);

	b->start = start;
	b->end = end;
	b->pmd = pmd;
	if (!b->entry)
		b->entry = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	g_array_set_size(b->entry, 0);
}

static void b_pmd_range_start(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	b_start(cpu, start, end, true);
}

static void b_pte_range_start(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	b_start(cpu, start, end, false);
}

static void b_update(struct sim_cpu *cpu, uint64_t entryp, uint64_t addr, uint64_t val)
{
	struct b_batch *b = b_batch(cpu->sim);

	g_array_append_val(b->entry, entryp);
	g_array_append_val(b->entry, val);
}

/* Runs on one CPU while every other spins in its stopper with IRQs off. */
static int b_apply(struct sim_cpu *cpu, void *arg)
{
	struct b_batch *b = arg;

	if (b->pmd)
		break_pmd(cpu, b->start, b->end);
	else
		break_ptes(cpu, b->start, b->end);
	for (unsigned i = 0; i < b->entry->len; i += 2)
		set_pte_at(cpu, g_array_index(b->entry, uint64_t, i),
			   g_array_index(b->entry, uint64_t, i + 1));
	return 0;
}

static void b_range_end(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	struct b_batch *b = b_batch(cpu->sim);

	if (!b->entry->len)
		return;
	stop_machine(cpu, b_apply, b);
	mm_of(cpu->sim)->stats.stop_machine_rounds++;
}

static void b_teardown(struct sim *sim)
{
	struct b_batch *b = mm_of(sim)->strategy_state;

	if (b && b->entry)
		g_array_free(b->entry, TRUE);
}

const struct vmemmap_update_ops vmemmap_ops_b = {
	.name = "B",
	.teardown = b_teardown,
	/* stop_machine() sleeps: no spinlock around it; it serialises by itself. */
	.lock = nop_cpu,
	.unlock = nop_cpu,
	.pmd_range_start = b_pmd_range_start,
	.pmd_range_end = b_range_end,
	.pte_range_start = b_pte_range_start,
	.pte_range_end = b_range_end,
	.update_pmd = b_update,
	.update_pte = b_update,
	.arch_flushes_tlb = true,
};

/* ---- C: FEAT_BBM level 2, no break ------------------------------------------------------------ */

static bool c_supported(struct sim *sim, char *why, size_t len)
{
	if (sim_opt_uint(&sim->opt, OPT_bbm_level) < 2 ||
	    !sim_opt_bool(&sim->opt, OPT_bbml2_noabort)) {
		snprintf(why, len,
			 "needs --bbm-level 2 --bbml2-noabort (BBML2 without conflict aborts)");
		return false;
	}
	return true;
}

/*
 * A block becomes a table of pages with the same output and attributes:
 * a size change only, which level 2 allows without a break (Arm ARM D8.16.2).
 * An address change is made only between read-only entries whose pages
 * hold identical bytes, so no CPU can observe which one it used:
 *   1. old entry read-only (a permission change), flushed, so nobody can
 *      still write the old page;
 *   2. the old page made to hold what the new one holds;
 *   3. the new address, still read-only; flushed;
 *   4. read-write if the new entry wants it (a permission change).
 */
/*
 * copy_page() into a page other CPUs read through a live entry is not one
 * atomic write on hardware: its stores become visible in some order, so a
 * reader may see it half done. Modelled as one cut at a decided word: the
 * words before it are visible first (a store, so a yield point), then the
 * rest. (Issue 13, item 6; any one reader of one word sees old or new.)
 */
static void c_copy_page(struct sim_cpu *cpu, uint64_t dst, uint64_t src)
{
	struct pmem *m = cpu->sim->mem;
	unsigned words = PAGE_SIZE / 8;
	unsigned cut = 1 + sim_decide(cpu->sim, DECIDE_HW, words - 1);

	for (unsigned i = 0; i < words; i++) {
		if (i == cut) { /* the first part, made visible: waiters and readers see it */
			cpu_memory_written(cpu, dst, (uint64_t)cut * 8);
			cpu_store64(cpu, mmu_phys_to_virt(dst), pmem_read(m, src, 8));
		}
		pmem_write(m, dst + i * 8, 8, pmem_read(m, src + i * 8, 8));
	}
	cpu_memory_written(cpu, dst, PAGE_SIZE);
	cpu_store64(cpu, mmu_phys_to_virt(dst), pmem_read(m, src, 8));
}

static void c_update_pte(struct sim_cpu *cpu, uint64_t ptep, uint64_t addr, uint64_t val)
{
	uint64_t old = cpu_load64(cpu, ptep);
	uint64_t old_pa = mmu_desc_oa(old, 3), new_pa = mmu_desc_oa(val, 3);

	if (!mmu_desc_valid(old) || old_pa == new_pa) {
		set_pte_at(cpu, ptep, val);
		return;
	}
	if (mmu_desc_writable(old)) {
		set_pte_at(cpu, ptep, old | DESC_AP_RDONLY);
		flush_tlb_kernel_range(cpu, addr, addr + PAGE_SIZE);
	}
	/* copy_page()'s loads see this CPU's own stores (--memory arm: they go out first). */
	cpu_memory_flush(cpu, false);
	if (!pmem_page_equal(cpu->sim->mem, old_pa, new_pa)) {
		cpu_load64(cpu, mmu_phys_to_virt(new_pa));
		c_copy_page(cpu, old_pa, new_pa);
		sim_tick(cpu, COST_copy_page);
	}
	set_pte_at(cpu, ptep, val | DESC_AP_RDONLY);
	flush_tlb_kernel_range(cpu, addr, addr + PAGE_SIZE);
	if (mmu_desc_writable(val))
		set_pte_at(cpu, ptep, val);
}

const struct vmemmap_update_ops vmemmap_ops_c = {
	.name = "C",
	.supported = c_supported,
	.lock = ptl_lock,
	.unlock = ptl_unlock,
	.pmd_range_start = nop_range,
	.pmd_range_end = nop_range,
	.pte_range_start = nop_range,
	.pte_range_end = nop_range,
	.update_pmd = direct_update,
	.update_pte = c_update_pte,
};

/* ---- D: pause every other CPU ------------------------------------------------------------------ */

static bool d_supported(struct sim *sim, char *why, size_t len)
{
	if (!sim_opt_bool(&sim->opt, OPT_pseudo_nmi)) {
		snprintf(why, len,
			 "pause_remote_cpus() needs pseudo-NMI: a CPU spinning with IRQs "
			 "masked would never answer");
		return false;
	}
	return true;
}

struct d_state {
	unsigned long flags;
};

static struct d_state *d_state(struct sim *sim)
{
	struct mm *mm = mm_of(sim);

	if (!mm->strategy_state)
		mm->strategy_state = g_new0(struct d_state, 1);
	return mm->strategy_state;
}

static void d_pause(struct sim_cpu *cpu)
{
	struct mm *mm = mm_of(cpu->sim);

	d_state(cpu->sim)->flags = local_irq_save(cpu);
	if (sim_opt_bool(&cpu->sim->opt, OPT_pseudo_nmi))
		pause_remote_cpus(cpu);
	else
		__pause_remote_cpus(cpu); /* hvo-2m-d-no-nmi: what the refusal avoids */
	mm->stats.pause_rounds++;
}

static void d_resume(struct sim_cpu *cpu)
{
	resume_remote_cpus(cpu);
	local_irq_restore(cpu, d_state(cpu->sim)->flags);
}

static void d_pmd_range_start(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	d_pause(cpu);
	break_pmd(cpu, start, end);
}

static void d_pte_range_start(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	d_pause(cpu);
	break_ptes(cpu, start, end);
}

static void d_range_end(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	d_resume(cpu);
}

/* What D and its variants for scenarios and tests share. */
#define D_OPS_COMMON                                                                            \
	.lock = ptl_lock, .unlock = ptl_unlock, .pmd_range_start = d_pmd_range_start,           \
	.pmd_range_end = d_range_end, .update_pmd = direct_update, .update_pte = direct_update, \
	.arch_flushes_tlb = true

const struct vmemmap_update_ops vmemmap_ops_d = {
	.name = "D",
	.supported = d_supported,
	.pte_range_start = d_pte_range_start,
	.pte_range_end = d_range_end,
	D_OPS_COMMON,
};

/*
 * D without its safety net: pauses even without pseudo-NMI (the refusal
 * the series makes is what hvo-2m-d-no-nmi shows to be needed).
 */
static const struct vmemmap_update_ops vmemmap_ops_d_no_nmi = {
	.name = "D-no-nmi",
	.pte_range_start = d_pte_range_start,
	.pte_range_end = d_range_end,
	D_OPS_COMMON,
};

/*
 * D with a deliberate bug, for the tests: the TLBIs are issued but the
 * DSB that completes them comes after the resume, so a remote CPU can run
 * on with the old translation while the entries change.
 */
static void d_broken_pte_range_start(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	d_pause(cpu);
	for (uint64_t a = start; a < end; a += PAGE_SIZE)
		pte_clear(cpu, vmemmap_ptep(cpu, a));
	dsb_ishst(cpu);
	for (uint64_t a = start; a < end; a += PAGE_SIZE)
		tlbi_vaale1is(cpu, a);
	d_resume(cpu);
}

static void d_broken_pte_range_end(struct sim_cpu *cpu, uint64_t start, uint64_t end)
{
	dsb_ish(cpu);
	isb(cpu);
}

static const struct vmemmap_update_ops vmemmap_ops_d_broken = {
	.name = "D-broken",
	.supported = d_supported,
	.pte_range_start = d_broken_pte_range_start,
	.pte_range_end = d_broken_pte_range_end,
	D_OPS_COMMON,
};

/* ---- E: the July 2026 series, the break is a cleared Access flag ------------------------------ */

/* try_populate_vmemmap_pmd()'s max_attempts. */
#define E_MAX_ATTEMPTS 16

/*
 * system_supports_hvo(): the series' definition was not found (docs/hvo.md);
 * what it must require is hardware Access flag updates. With software AF
 * management a walk of the AF=0 entry takes an access flag fault, and for a
 * kernel address arm64's do_page_fault() ends in __do_kernel_fault(): an
 * oops, which the generic code's contract forbids ("CPUs will not fault on
 * the remapped virtual address range").
 */
static bool e_system_supports_hvo(struct sim *sim)
{
	return strcmp(sim_opt_str(&sim->opt, OPT_hafdbs), "none") != 0;
}

static bool e_supported(struct sim *sim, char *why, size_t len)
{
	if (!e_system_supports_hvo(sim)) {
		snprintf(why, len,
			 "system_supports_hvo() is false without hardware Access flag updates "
			 "(--hafdbs af): try_populate_vmemmap_pmd() returns -EOPNOTSUPP");
		return false;
	}
	if (!strcmp(sim_opt_str(&sim->opt, OPT_kernel), "linux")) {
		snprintf(why, len,
			 "--kernel linux: the harness' pmd_populate_kernel() hook has no error "
			 "path for -EAGAIN (the series' hugetlb_vmemmap.c side was not found)");
		return false;
	}
	return true;
}

/* __ptep_clear_young(): AF cleared atomically; returns the entry it overwrote. */
static uint64_t e_clear_young(struct sim_cpu *cpu, uint64_t entryp)
{
	uint64_t old = cpu_load64(cpu, entryp);

	for (;;) {
		uint64_t seen = cpu_cmpxchg(cpu, entryp, 8, old, old & ~DESC_AF);

		if (seen == old)
			return old;
		old = seen;
	}
}

/*
 * One entry from @old (a valid leaf) to @val without a break: make it old
 * (AF=0) and flush, so that no TLB holds it; an AF=0 entry is never cached,
 * so the swap needs no BBM (Arm ARM D8.16.1 lists AF among the changes that
 * need none, and only a cacheable entry can conflict). The swap fails when
 * a walker has set AF again meanwhile (FEAT_HAFDBS). True once swapped.
 */
static bool e_try_swap(struct sim_cpu *cpu, uint64_t entryp, uint64_t addr, uint64_t size,
		       uint64_t *old, uint64_t val, bool flush)
{
	uint64_t seen;

	if (*old & DESC_AF) {
		*old = e_clear_young(cpu, entryp) & ~DESC_AF;
		if (flush)
			flush_tlb_kernel_range(cpu, addr, addr + size);
	}
	/* try_cmpxchg_relaxed(): no barrier; the generic flush that follows orders it. */
	seen = cpu_cmpxchg(cpu, entryp, 8, *old, val);
	if (seen == *old)
		return true;
	*old = seen;
	return false;
}

static int __e_try_update_pmd(struct sim_cpu *cpu, uint64_t pmdp, uint64_t addr, uint64_t val,
			      bool flush)
{
	struct sim *sim = cpu->sim;
	struct mm *mm = mm_of(sim);
	unsigned attempts = 0;
	uint64_t old;

	if (sim_opt_uint(&sim->opt, OPT_bbm_level) >= 2 &&
	    sim_opt_bool(&sim->opt, OPT_bbml2_noabort)) {
		/* BBML2_NOABORT: the block -> table change keeps every translation. */
		set_pte_at(cpu, pmdp, val);
		return 0;
	}
	old = cpu_load64(cpu, pmdp);
	do {
		if (!mmu_desc_valid(old) || !mmu_desc_is_leaf(old, 2) || (old & DESC_CONT)) {
			sim_report(sim, cpu, FINDING_ASSERTION, addr, 0,
				   "try_populate_vmemmap_pmd(): WARN_ON_ONCE: a valid, "
				   "non-contiguous block",
				   "PMD for %#" PRIx64 " is %#" PRIx64, addr, old);
			return -EINVAL;
		}
		if (e_try_swap(cpu, pmdp, addr, PMD_SIZE, &old, val, flush))
			return 0;
		mm->stats.af_retries_pmd++;
	} while (++attempts < E_MAX_ATTEMPTS);
	mm->stats.split_eagain++;
	return -EAGAIN;
}

static int e_try_update_pmd(struct sim_cpu *cpu, uint64_t pmdp, uint64_t addr, uint64_t val)
{
	if (!e_system_supports_hvo(cpu->sim))
		return -EOPNOTSUPP;
	return __e_try_update_pmd(cpu, pmdp, addr, val, true);
}

/* The same without asking system_supports_hvo(). */
static int e_no_ha_try_update_pmd(struct sim_cpu *cpu, uint64_t pmdp, uint64_t addr, uint64_t val)
{
	return __e_try_update_pmd(cpu, pmdp, addr, val, true);
}

/*
 * The tails' PTEs: the series' PTE step was not found; this is the same
 * trick per entry, which is what its arm64 code would have to do. The
 * generic walk cannot roll back a half-remapped range, so this step does
 * not give up: it retries, and every retry is counted.
 */
static void __e_update_pte(struct sim_cpu *cpu, uint64_t ptep, uint64_t addr, uint64_t val,
			   bool flush)
{
	struct mm *mm = mm_of(cpu->sim);
	uint64_t old = cpu_load64(cpu, ptep);

	if (!mmu_desc_valid(old)) {
		set_pte_at(cpu, ptep, val);
		return;
	}
	while (!e_try_swap(cpu, ptep, addr, PAGE_SIZE, &old, val, flush))
		mm->stats.af_retries_pte++;
}

static void e_update_pte(struct sim_cpu *cpu, uint64_t ptep, uint64_t addr, uint64_t val)
{
	__e_update_pte(cpu, ptep, addr, val, true);
}

/* What E and its variants for scenarios and tests share. */
#define E_OPS_COMMON                                                                          \
	.lock = ptl_lock, .unlock = ptl_unlock, .pmd_range_start = nop_range,                 \
	.pmd_range_end = nop_range, .pte_range_start = nop_range, .pte_range_end = nop_range, \
	.update_pmd = direct_update

const struct vmemmap_update_ops vmemmap_ops_e = {
	.name = "E",
	.supported = e_supported,
	.try_update_pmd = e_try_update_pmd,
	.update_pte = e_update_pte,
	E_OPS_COMMON,
};

/*
 * E run where system_supports_hvo() would refuse it (--hafdbs none): the
 * AF=0 window then faults, which hvo-2m-e-no-ha shows.
 */
static const struct vmemmap_update_ops vmemmap_ops_e_no_ha = {
	.name = "E-no-ha",
	.try_update_pmd = e_no_ha_try_update_pmd,
	.update_pte = e_update_pte,
	E_OPS_COMMON,
};

/* E with a deliberate bug, for the tests: no flush after clearing the Access flag. */
static int e_no_flush_try_update_pmd(struct sim_cpu *cpu, uint64_t pmdp, uint64_t addr,
				     uint64_t val)
{
	if (!e_system_supports_hvo(cpu->sim))
		return -EOPNOTSUPP;
	return __e_try_update_pmd(cpu, pmdp, addr, val, false);
}

static void e_no_flush_update_pte(struct sim_cpu *cpu, uint64_t ptep, uint64_t addr, uint64_t val)
{
	__e_update_pte(cpu, ptep, addr, val, false);
}

static const struct vmemmap_update_ops vmemmap_ops_e_no_flush = {
	.name = "E-no-flush",
	.supported = e_supported,
	.try_update_pmd = e_no_flush_try_update_pmd,
	.update_pte = e_no_flush_update_pte,
	E_OPS_COMMON,
};

const struct vmemmap_update_ops *vmemmap_ops_find(const char *name)
{
	static const struct vmemmap_update_ops *const all[] = {
		&vmemmap_ops_none,	 &vmemmap_ops_a, &vmemmap_ops_b,
		&vmemmap_ops_c,		 &vmemmap_ops_d, &vmemmap_ops_d_no_nmi,
		&vmemmap_ops_d_broken,	 &vmemmap_ops_e, &vmemmap_ops_e_no_ha,
		&vmemmap_ops_e_no_flush,
	};

	for (unsigned i = 0; i < G_N_ELEMENTS(all); i++)
		if (!strcmp(all[i]->name, name))
			return all[i];
	return NULL;
}
