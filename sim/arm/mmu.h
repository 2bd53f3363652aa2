/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * mmu: the arm64 stage-1 MMU of every simulated CPU (VMSAv8-64, 4 KiB
 * granule, 48-bit VA, TTBR1 kernel space, levels 0-3) and its TLBs.
 *
 * Contract: mmu_install() (scenario setup, host context) builds the kernel
 * page tables in simulated physical memory (a linear map of all memory at
 * MMU_PAGE_OFFSET, kernel data through it), installs hooks.translate and
 * hooks.store_hook, and from then on every cpu_load()/cpu_store() address
 * is a kernel VA. A translation is a TLB lookup, else a walk that reads one
 * descriptor per level through cpu_load_pa() (a yield point each). Faults
 * go to the CPU's registered fault handler; an access nobody fixes up is a
 * finding (sim/arm/checker.h). TLBI/DSB/ISB are the instructions below, each a
 * yield point. mmu_teardown() (scenario teardown) frees it all.
 *
 * Layout (arm64 Linux 6.12, VA_BITS=48, 4K pages, memstart 0): see
 * docs/mmu.md.
 */
#ifndef BBMSIM_MMU_H
#define BBMSIM_MMU_H

#include "sim/cpu.h"

/* This layer's costs (costs.def): COST_name ids into struct sim_costs. */
#define SIM_COST SIM_COST_DECLARE
#include "costs.def"
#undef SIM_COST

/* This layer's options (options.def): OPT_name ids into struct sim_options. */
#define SIM_OPT_UINT SIM_OPT_ID_DECLARE
#define SIM_OPT_BOOL SIM_OPT_ID_DECLARE
#define SIM_OPT_STR  SIM_OPT_ID_DECLARE
#include "options.def"
#undef SIM_OPT_UINT
#undef SIM_OPT_BOOL
#undef SIM_OPT_STR

/* ---- virtual memory layout ------------------------------------------------ */

#define MMU_VA_BITS    48
#define MMU_PAGE_SHIFT 12
#define MMU_PAGE_SIZE  (1ull << MMU_PAGE_SHIFT)
#define MMU_PMD_SIZE   (1ull << 21)
#define MMU_PUD_SIZE   (1ull << 30)
/* PAGE_OFFSET = -(1 << VA_BITS): the linear map, pa + PAGE_OFFSET. */
#define MMU_PAGE_OFFSET 0xffff000000000000ull
/* VMALLOC_START = MODULES_END = _PAGE_END(48) + 2 GiB: scenario mappings. */
#define MMU_VMALLOC_START 0xffff800080000000ull
/* VMEMMAP_END = -1 GiB; VMEMMAP_SIZE = (2^47 >> PAGE_SHIFT) * 64. */
#define MMU_VMEMMAP_END	     0xffffffffc0000000ull
#define MMU_VMEMMAP_SIZE     (1ull << 41)
#define MMU_VMEMMAP_START    (MMU_VMEMMAP_END - MMU_VMEMMAP_SIZE)
#define MMU_STRUCT_PAGE_SIZE 64ull
/* Physical pages the boot-time table builder takes tables from. */
#define MMU_PGTABLE_BASE 0x1000000ull /* 16 MiB, right after kernel data */
#define MMU_PGTABLE_SIZE 0x1000000ull

static inline uint64_t mmu_phys_to_virt(uint64_t pa)
{
	return pa + MMU_PAGE_OFFSET;
}

static inline uint64_t mmu_virt_to_phys(uint64_t va)
{
	return va - MMU_PAGE_OFFSET;
}

/* The struct page of @pfn (vmemmap = VMEMMAP_START - memstart_pfn * 64). */
static inline uint64_t mmu_pfn_to_page(uint64_t pfn)
{
	return MMU_VMEMMAP_START + pfn * MMU_STRUCT_PAGE_SIZE;
}

/* Bytes one descriptor at @level maps (L0 512 GiB ... L3 4 KiB). */
static inline unsigned mmu_level_shift(int level)
{
	return 39 - 9 * level;
}

/* ---- descriptors (Arm ARM DDI 0487 D8.3, stage 1, 4 KiB granule) --------- */

#define DESC_VALID	   (1ull << 0)
#define DESC_TABLE	   (1ull << 1) /* L0-L2: table; L3: page (0 is reserved) */
#define DESC_ATTRINDX(i)   ((uint64_t)(i) << 2)
#define DESC_ATTRINDX_MASK (7ull << 2)
#define DESC_NS		   (1ull << 5)
#define DESC_AP_EL0	   (1ull << 6) /* AP[1]: EL0 access */
#define DESC_AP_RDONLY	   (1ull << 7) /* AP[2]: read-only */
#define DESC_SH_MASK	   (3ull << 8)
#define DESC_SH_INNER	   (3ull << 8)
#define DESC_AF		   (1ull << 10)
#define DESC_NG		   (1ull << 11)
#define DESC_NT		   (1ull << 16)		 /* block descriptors, FEAT_BBM */
#define DESC_OA_MASK	   0x0000fffffffff000ull /* OA[47:12] */
#define DESC_DBM	   (1ull << 51)
#define DESC_CONT	   (1ull << 52)
#define DESC_PXN	   (1ull << 53)
#define DESC_UXN	   (1ull << 54)
#define DESC_SW_MASK	   (0xfull << 55) /* ignored by hardware */

/* MAIR indices as arm64 Linux programs them. */
#define MT_NORMAL	 0
#define MT_NORMAL_TAGGED 1
#define MT_NORMAL_NC	 2
#define MT_DEVICE_nGnRnE 3
#define MT_DEVICE_nGnRE	 4

/* Attributes for mmu_boot_map() and for building leaves (type bits added). */
#define MMU_PROT_KERNEL	   (DESC_AF | DESC_SH_INNER | DESC_ATTRINDX(MT_NORMAL) | DESC_PXN | DESC_UXN)
#define MMU_PROT_KERNEL_RO (MMU_PROT_KERNEL | DESC_AP_RDONLY)

/* Leaf (block or page) descriptor for @pa at @level with attributes @prot. */
static inline uint64_t mmu_mk_leaf(uint64_t pa, uint64_t prot, int level)
{
	return (pa & DESC_OA_MASK) | prot | DESC_VALID | (level == 3 ? DESC_TABLE : 0);
}

static inline uint64_t mmu_mk_table(uint64_t table_pa)
{
	return (table_pa & DESC_OA_MASK) | DESC_TABLE | DESC_VALID;
}

static inline bool mmu_desc_valid(uint64_t d)
{
	return d & DESC_VALID;
}

/* A valid descriptor at @level that points to a next-level table. */
static inline bool mmu_desc_is_table(uint64_t d, int level)
{
	return level < 3 && (d & (DESC_VALID | DESC_TABLE)) == (DESC_VALID | DESC_TABLE);
}

/* A valid descriptor at @level that maps memory (block at L1/L2, page at L3). */
static inline bool mmu_desc_is_leaf(uint64_t d, int level)
{
	if (!(d & DESC_VALID))
		return false;
	if (level == 3)
		return d & DESC_TABLE;
	return (level == 1 || level == 2) && !(d & DESC_TABLE);
}

/* Output address of a leaf at @level (block OA below the block size is RES0). */
static inline uint64_t mmu_desc_oa(uint64_t d, int level)
{
	return d & DESC_OA_MASK & ~((1ull << mmu_level_shift(level)) - 1);
}

static inline bool mmu_desc_writable(uint64_t d)
{
	return !(d & DESC_AP_RDONLY);
}

/* Formats a descriptor as "0x... (L2 block oa=0x... RW AF ...)". */
void mmu_desc_str(uint64_t d, int level, char *buf, size_t len);

/* ---- translation results and faults (cf. QEMU's ARMMMUFaultInfo) --------- */

enum mmu_fault_type {
	MMU_FAULT_NONE,
	MMU_FAULT_TRANSLATION,
	MMU_FAULT_ACCESS_FLAG,
	MMU_FAULT_PERMISSION,
	MMU_FAULT_TLB_CONFLICT, /* a lookup hit entries that translate differently (D8.16) */
};

struct mmu_fault {
	enum mmu_fault_type type;
	int level;	  /* the level whose descriptor faulted (ESR DFSC level) */
	uint64_t va;	  /* FAR */
	bool write;	  /* ESR WnR */
	uint64_t desc;	  /* the faulting descriptor as read */
	uint64_t desc_pa; /* and where it lives */
};

struct mmu_result {
	uint64_t pa;	  /* output address of the access */
	uint64_t desc;	  /* the leaf descriptor */
	uint64_t desc_pa; /* where it was read from */
	int level;	  /* of the leaf */
	bool tlb_hit;
	bool early; /* a translation a TLBI completion this access is ordered before removed */
};

const char *mmu_fault_name(enum mmu_fault_type t);

/*
 * A kernel fault handler: MMU_FAULT_RETRY when it fixed the cause (or
 * waited it out) and the access should be retried, MMU_FAULT_NO_FIXUP when
 * the kernel has no fix-up for it (the checker then reports it).
 */
enum mmu_fault_action {
	MMU_FAULT_NO_FIXUP,
	MMU_FAULT_RETRY,
};
typedef enum mmu_fault_action (*mmu_fault_handler_t)(struct sim_cpu *cpu, const struct mmu_fault *f,
						     void *arg);

void mmu_set_fault_handler(struct sim_cpu *cpu, mmu_fault_handler_t fn, void *arg);

/*
 * This PE's TCR_EL1.HA/HD (FEAT_HAFDBS is per PE: herd7's TTHM=P0:HA):
 * hardware Access flag updates, and dirty state updates (which imply HA,
 * as herd7 takes them). Every PE starts with what --hafdbs gives; only
 * a machine with --hafdbs af|afdb may turn them on. Host context, before
 * the run. 0, or -1 when the machine lacks the feature.
 */
int mmu_set_hafdbs(struct sim_cpu *cpu, bool ha, bool hd);

/*
 * The Exception level of @cpu's data accesses: EL1 (the default) or EL0.
 * At EL0 a leaf without AP[1] (DESC_AP_EL0: the kernel's own mappings,
 * its page tables among them) gives a permission fault (stage 1 direct
 * permissions, AP[2:1]: Arm ARM DDI 0487K.a D8.4, Table D8-49). The
 * caller says when the level changes: exception entry, ERET.
 */
void mmu_set_el0(struct sim_cpu *cpu, bool el0);

/* ---- setup (host context) -------------------------------------------------- */

/*
 * Installs the MMU on @sim: page tables with the linear map of all memory
 * (1 GiB blocks), hooks, per-CPU TLBs sized by tlb_entries and
 * walk_cache_entries (options), and kdata_offset, so call it before anything
 * else allocates kernel data. 0, or -1 with @err set.
 */
int mmu_install(struct sim *sim, char *err, size_t errlen);
void mmu_teardown(struct sim *sim);

/*
 * Maps [va, va+size) to [pa, pa+size) with attributes @prot using leaves at
 * @leaf_level (1: 1 GiB blocks, 2: 2 MiB blocks, 3: pages), allocating
 * tables from the boot pool. Host context; -1 when something in the way
 * is already mapped differently or the pool is exhausted.
 */
int mmu_boot_map(struct sim *sim, uint64_t va, uint64_t pa, uint64_t size, uint64_t prot,
		 int leaf_level);
/* A zeroed page from the boot pool (for a table a CPU installs later); 0 if none. */
uint64_t mmu_alloc_table_page(struct sim *sim);
/*
 * Physical address of the descriptor slot for @va at @level, following the
 * current tables host-side; -1 (as uint64_t) when a table on the way is absent.
 */
uint64_t mmu_slot_pa(struct sim *sim, uint64_t va, int level);
/* Host-side walk of the current tables (no TLB, no yield): 0, or -1 with @f set. */
int mmu_walk_host(struct sim *sim, uint64_t va, struct mmu_result *res, struct mmu_fault *f);

/* ---- what CPU programs call ------------------------------------------------ */

/*
 * Translates @va as the access would (TLB, walk) without the access. 0 with
 * @res set, or -1 with @f set; the fault is not delivered.
 */
int mmu_translate(struct sim_cpu *cpu, uint64_t va, bool write, struct mmu_result *res,
		  struct mmu_fault *f);

/*
 * get_kernel_nofault()-style accesses: a fault returns -1 (-EFAULT) instead
 * of going to the fault handler. Yield points, like cpu_load().
 */
int mmu_load_nofault(struct sim_cpu *cpu, uint64_t va, unsigned size, uint64_t *val);
int mmu_store_nofault(struct sim_cpu *cpu, uint64_t va, unsigned size, uint64_t val);

/* Writes a descriptor through its kernel VA (the linear-map alias of the table). */
static inline void mmu_set_pte(struct sim_cpu *cpu, uint64_t ptep, uint64_t val)
{
	cpu_store(cpu, ptep, 8, val);
}

/*
 * TLB maintenance. VA forms take the virtual address itself (not the
 * shifted Xt operand); ASIDs are not modelled (kernel mappings are
 * global), so VAE and VAAE act alike. *IS forms are broadcast to the inner
 * shareable domain: each remote TLB performs them at a decided moment, at
 * the latest when this CPU's next DSB ISH completes. VALE/VAALE forms
 * invalidate last-level (leaf) entries only and keep walk-cache entries.
 */

/*
 * Range forms (FEAT_TLBIRANGE) take the Xt operand: BaseADDR[36:0] =
 * VA[48:12], NUM[43:39], SCALE[45:44], TG[47:46] = 01 (4K); the range is
 * (NUM+1) * 2^(5*SCALE+1) pages from BaseADDR. mmu_tlbi_range_arg() builds it.
 */
uint64_t mmu_tlbi_range_arg(uint64_t va, unsigned scale, unsigned num);
/* The [start, end) a range operand covers. */
void mmu_tlbi_range_bounds(uint64_t arg, uint64_t *start, uint64_t *end);
/* tlbi_<name>(cpu[, va | arg]) for every line of sim/arm/tlbi.def. */
#define MMU_TLBI_ARG_VA , uint64_t va
#define MMU_TLBI_ARG_ALL
#define MMU_TLBI_ARG_RANGE , uint64_t arg
#define MMU_TLBI(name, operand, last_level, bcast) \
	void tlbi_##name(struct sim_cpu *cpu MMU_TLBI_ARG_##operand);
#include "tlbi.def"
#undef MMU_TLBI

/* The dependency of the next TLBI's operand (a litmus register; kernel code has none). */
void mmu_tlbi_dep(struct sim_cpu *cpu, cpu_dep_t dep);
/* DSB ISH: completes this CPU's earlier TLBIs everywhere, orders its stores. */
void dsb_ish(struct sim_cpu *cpu);
/* DSB ISHST: orders stores only; it does not complete TLB maintenance. */
void dsb_ishst(struct sim_cpu *cpu);
/* DSB ISHLD: orders earlier loads before everything later; completes nothing. */
void dsb_ishld(struct sim_cpu *cpu);
/* ISB: context synchronisation (a cost and a yield point here). */
void isb(struct sim_cpu *cpu);

/* ---- inspection (tests, bench, describe) ---------------------------------- */

/* Leaf entries in @cpu's TLB that translate @va (conflicting ones count apart). */
unsigned mmu_tlb_count_va(struct sim_cpu *cpu, uint64_t va);
/* Walk-cache entries in @cpu's TLB covering @va. */
unsigned mmu_walk_cache_count_va(struct sim_cpu *cpu, uint64_t va);
/* Leaf and walk-cache entries in @cpu's TLB. */
unsigned mmu_tlb_size(struct sim_cpu *cpu);
unsigned mmu_walk_cache_size(struct sim_cpu *cpu);
/* Broadcast TLBIs issued to @cpu and not yet performed there. */
unsigned mmu_tlbi_pending(struct sim_cpu *cpu);

#endif
