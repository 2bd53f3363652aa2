/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The shim: what Linux 6.12's mm/hugetlb_vmemmap.c includes and calls,
 * written for bbmsim (every <linux/...> and <asm/...> header it includes
 * is a one-line file that includes this one). Nothing here is Linux's code;
 * names and semantics follow Linux so that the upstream file compiles
 * unmodified and does on the simulated machine what it does on arm64.
 *
 * Pointers to simulated memory (struct page *, struct folio *, pte_t *,
 * pmd_t *, and list_head * inside them) are simulated kernel VAs: never
 * dereferenced on the host. Every access goes through lx_glue.h, that is
 * through the current CPU's MMU, so the checker sees it. Host objects of
 * the same types (a pmd_t or LIST_HEAD on the updater's stack) are used
 * directly; lx_is_kva() tells them apart.
 *
 * Every call the Linux file makes that reaches the simulated machine is a
 * macro that first records its call site (LX_AT: file, function, line, in
 * the run's lx_where) and then calls the lx_ function: a finding reported
 * while Linux code runs names the line of hugetlb_vmemmap.c that was executing. Inside
 * the shim, only the lx_ functions are called, so the site stays Linux's.
 */
#ifndef BBMSIM_LX_KERNEL_H
#define BBMSIM_LX_KERNEL_H

#include "lx_glue.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The upstream file's global symbols, renamed so they link beside mm/'s. */
#define hugetlb_vmemmap_restore_folio	lx_up_hugetlb_vmemmap_restore_folio
#define hugetlb_vmemmap_restore_folios	lx_up_hugetlb_vmemmap_restore_folios
#define hugetlb_vmemmap_optimize_folio	lx_up_hugetlb_vmemmap_optimize_folio
#define hugetlb_vmemmap_optimize_folios lx_up_hugetlb_vmemmap_optimize_folios
#define hugetlb_optimize_vmemmap_key	lx_up_hugetlb_optimize_vmemmap_key

/* ---- compiler, config, debug --------------------------------------------------------- */

#define __init
#define likely(x)			__builtin_expect(!!(x), 1)
#define unlikely(x)			__builtin_expect(!!(x), 0)
#define READ_ONCE(x)			(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, val)		(*(volatile typeof(x) *)&(x) = (val))
#define BIT(n)				(1UL << (n))
#define BITS_PER_LONG			64
#define BUILD_BUG_ON(c)			_Static_assert(!(c), #c)
#define BUILD_BUG_ON_INVALID(e)		((void)(sizeof((long)(e))))
#define container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))
#define EXPORT_SYMBOL(sym)
#define pr_warn(fmt, ...) ((void)0)

/* IS_ENABLED(CONFIG_X): 1 when CONFIG_X is defined to 1, else 0. */
#define LX_ARG_PLACEHOLDER_1		  0,
#define LX_TAKE_SECOND(ignored, val, ...) val
#define LX_IS_DEFINED3(arg1_or_junk)	  LX_TAKE_SECOND(arg1_or_junk 1, 0, 0)
#define LX_IS_DEFINED2(val)		  LX_IS_DEFINED3(LX_ARG_PLACEHOLDER_##val)
#define IS_ENABLED(option)		  LX_IS_DEFINED2(option)

/* Debian's arm64 config as far as this file asks; CONFIG_DEBUG_VM is off. */
#define CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP		1
#define CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP_DEFAULT_ON 1
#define CONFIG_MEMORY_HOTPLUG				1
#define VM_BUG_ON(c)					BUILD_BUG_ON_INVALID(c)
#define VM_WARN_ON_ONCE(c)				BUILD_BUG_ON_INVALID(c)
#define VM_WARN_ON_ONCE_FOLIO(c, f)			BUILD_BUG_ON_INVALID(c)

#define ENOMEM	 12
#define ENODEV	 19
#define EINVAL	 22
#define ENOTSUPP 524

typedef unsigned int gfp_t;
#define GFP_KERNEL	    0x1u
#define __GFP_RETRY_MAYFAIL 0x2u
typedef long long loff_t;

static inline bool is_power_of_2(unsigned long n)
{
	return n && !(n & (n - 1));
}

/* ---- sysctl, module parameters, initcalls, static keys: kernel plumbing ---------------- */

struct ctl_table {
	const char *procname;
	void *data;
	int maxlen;
	unsigned short mode;
	int (*proc_handler)(const struct ctl_table *, int, void *, size_t *, loff_t *);
};
int proc_dobool(const struct ctl_table *t, int write, void *buf, size_t *lenp, loff_t *ppos);
#define register_sysctl_init(path, table) ((void)(table))
#define core_param(name, var, type, perm)
/* The one initcall: the harness runs it when a run starts (lx_hvo_init()). */
#define late_initcall(fn) int (*const lx_late_initcall)(void) = fn

struct static_key_false {
	long enabled;
};
#define DEFINE_STATIC_KEY_FALSE(name) struct static_key_false name = {0}
#define static_branch_inc(k)	      ((void)__atomic_add_fetch(&(k)->enabled, 1, __ATOMIC_RELAXED))
#define static_branch_dec(k)	      ((void)__atomic_sub_fetch(&(k)->enabled, 1, __ATOMIC_RELAXED))

/* ---- memory layout -------------------------------------------------------------------- */

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_ALIGNED(a) (((unsigned long)(a) & (PAGE_SIZE - 1)) == 0)
#define PMD_SHIFT	21
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PTRS_PER_PTE	512
#define get_order(size) (__builtin_ctzl(size) - PAGE_SHIFT)
#define pmd_addr_end(a, e)                                       \
	({                                                       \
		unsigned long __b = ((a) + PMD_SIZE) & PMD_MASK; \
		(__b - 1 < (e)-1) ? __b : (e);                   \
	})

static inline uint64_t lx_va(const volatile void *p)
{
	return (uint64_t)(uintptr_t)p;
}

/* ---- lists (page->lru, folio->lru): in simulated memory or on the host stack --------- */

struct list_head {
	struct list_head *next, *prev;
};

static inline uint64_t lx_ptr_out(struct list_head *p)
{
	return lx_is_kva(lx_va(p)) ? lx_va(p) : lx_token(p);
}

static inline struct list_head *lx_ptr_in(uint64_t v)
{
	return (v & LX_TOKEN_MASK) == LX_TOKEN_BASE ? lx_untoken(v)
						    : (struct list_head *)(uintptr_t)v;
}

static inline struct list_head *lx_list_get(struct list_head *h, size_t off)
{
	if (!lx_is_kva(lx_va(h)))
		return *(struct list_head **)((char *)h + off);
	return lx_ptr_in(lx_load(lx_va(h) + off, 8));
}

static inline void lx_list_set(struct list_head *h, size_t off, struct list_head *v)
{
	if (!lx_is_kva(lx_va(h)))
		*(struct list_head **)((char *)h + off) = v;
	else
		lx_store(lx_va(h) + off, 8, lx_ptr_out(v));
}

#define lx_next(h)	  lx_list_get((h), offsetof(struct list_head, next))
#define lx_prev(h)	  lx_list_get((h), offsetof(struct list_head, prev))
#define lx_set_next(h, v) lx_list_set((h), offsetof(struct list_head, next), (v))
#define lx_set_prev(h, v) lx_list_set((h), offsetof(struct list_head, prev), (v))
#define LIST_POISON1	  ((struct list_head *)0xdead000000000100ull)
#define LIST_POISON2	  ((struct list_head *)0xdead000000000122ull)
#define LIST_HEAD_INIT(name)     \
	{                        \
		&(name), &(name) \
	}
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)

static inline void lx_init_list_head(struct list_head *h)
{
	lx_set_next(h, h);
	lx_set_prev(h, h);
}

static inline void lx_list_insert(struct list_head *n, struct list_head *prev,
				  struct list_head *next)
{
	lx_set_prev(next, n);
	lx_set_next(n, next);
	lx_set_prev(n, prev);
	lx_set_next(prev, n);
}

static inline void lx_list_add(struct list_head *n, struct list_head *head)
{
	lx_list_insert(n, head, lx_next(head));
}

static inline void lx_list_add_tail(struct list_head *n, struct list_head *head)
{
	lx_list_insert(n, lx_prev(head), head);
}

static inline void lx_list_unlink(struct list_head *e)
{
	struct list_head *prev = lx_prev(e), *next = lx_next(e);

	lx_set_prev(next, prev);
	lx_set_next(prev, next);
}

static inline void lx_list_del(struct list_head *e)
{
	lx_list_unlink(e);
	lx_set_next(e, LIST_POISON1);
	lx_set_prev(e, LIST_POISON2);
}

static inline void lx_list_del_init(struct list_head *e)
{
	lx_list_unlink(e);
	lx_init_list_head(e);
}

static inline void lx_list_move(struct list_head *e, struct list_head *head)
{
	lx_list_unlink(e);
	lx_list_add(e, head);
}

static inline void lx_list_move_tail(struct list_head *e, struct list_head *head)
{
	lx_list_unlink(e);
	lx_list_add_tail(e, head);
}

static inline bool lx_list_empty(struct list_head *head)
{
	return lx_next(head) == head;
}

#define INIT_LIST_HEAD(h)	LX_AT(lx_init_list_head(h))
#define list_add(n, head)	LX_AT(lx_list_add((n), (head)))
#define list_add_tail(n, head)	LX_AT(lx_list_add_tail((n), (head)))
#define list_del(e)		LX_AT(lx_list_del(e))
#define list_del_init(e)	LX_AT(lx_list_del_init(e))
#define list_move(e, head)	LX_AT(lx_list_move((e), (head)))
#define list_move_tail(e, head) LX_AT(lx_list_move_tail((e), (head)))
#define list_empty(head)	LX_AT(lx_list_empty(head))

#define list_entry(ptr, type, member)	    container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry(LX_AT(lx_next(ptr)), type, member)
#define list_next_entry(pos, member) \
	list_entry(LX_AT(lx_next(&(pos)->member)), typeof(*(pos)), member)
#define list_for_each_entry(pos, head, member)                                           \
	for (pos = list_first_entry(head, typeof(*pos), member); &pos->member != (head); \
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)                                             \
	for (pos = list_first_entry(head, typeof(*pos), member), n = list_next_entry(pos, member); \
	     &pos->member != (head); pos = n, n = list_next_entry(n, member))

/* ---- struct page, struct folio: Linux's first 64 bytes, arm64 offsets ---------------- */

struct page {
	unsigned long flags;
	union {
		struct {
			struct list_head lru;
			void *mapping;
			unsigned long index;
			unsigned long private;
		};
		unsigned long compound_head;
	};
	int _mapcount;
	int _refcount;
	unsigned long memcg_data;
};

struct folio {
	union {
		struct {
			unsigned long flags;
			struct list_head lru;
			void *mapping;
			unsigned long index;
			void *private;
			int _mapcount;
			int _refcount;
			unsigned long memcg_data;
		};
		struct page page;
	};
};

_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes on arm64");
_Static_assert(offsetof(struct page, private) == LX_PAGE_OFF_PRIVATE, "page->private");
_Static_assert(offsetof(struct folio, lru) == offsetof(struct page, lru), "folio->lru");

static inline bool lx_page_flag(const struct page *page, unsigned bit)
{
	return (lx_load(lx_va(page) + LX_PAGE_OFF_FLAGS, 8) >> bit) & 1;
}

#define PageHead(p)		 LX_AT(lx_page_flag((p), LX_PG_head))
#define PageTail(p)		 (!PageHead(p))
#define PageReserved(p)		 LX_AT(lx_page_flag((p), LX_PG_reserved))
#define PageVmemmapSelfHosted(p) LX_AT(lx_page_flag((p), LX_PG_owner_priv_1))

/* One node: the node bits of page->flags are read, and are 0. */
static inline int lx_page_to_nid(const struct page *page)
{
	return (int)(lx_load(lx_va(page) + LX_PAGE_OFF_FLAGS, 8) >> 63);
}

#define page_to_nid(p)	      LX_AT(lx_page_to_nid(p))
#define folio_nid(f)	      page_to_nid(&(f)->page)
#define folio_test_hugetlb(f) LX_AT(lx_page_flag(&(f)->page, LX_PG_head))
#define folio_ref_count(f)    LX_AT((int)lx_load(lx_va(&(f)->_refcount), 4))

/* hugetlb's HPG_vmemmap_optimized in folio->private: test_bit/set_bit/clear_bit. */
static inline bool lx_folio_test_optimized(struct folio *folio)
{
	return (lx_load(lx_va(folio) + LX_PAGE_OFF_PRIVATE, 8) >> LX_HPG_vmemmap_optimized) & 1;
}

/* set_bit()/clear_bit(): relaxed STSET/STCLR on arm64 (no return value, no barrier). */
static inline void lx_folio_private_update(struct folio *folio, bool set)
{
	uint64_t va = lx_va(folio) + LX_PAGE_OFF_PRIVATE, bit = 1ull << LX_HPG_vmemmap_optimized;

	if (set)
		lx_set_bits(va, bit);
	else
		lx_clear_bits(va, bit);
}

#define folio_test_hugetlb_vmemmap_optimized(f)	 LX_AT(lx_folio_test_optimized(f))
#define folio_set_hugetlb_vmemmap_optimized(f)	 LX_AT(lx_folio_private_update((f), true))
#define folio_clear_hugetlb_vmemmap_optimized(f) LX_AT(lx_folio_private_update((f), false))

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return (struct page *)(uintptr_t)lx_pfn_to_page(pfn);
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	return lx_page_to_pfn(lx_va(page));
}

static inline void *page_to_virt(const struct page *page)
{
	return (void *)(uintptr_t)lx_phys_to_virt((uint64_t)page_to_pfn(page) << PAGE_SHIFT);
}

#define __pa(x) lx_virt_to_phys(lx_va(x))

/* ---- hugetlb ------------------------------------------------------------------------- */

struct hstate {
	unsigned int order;
};

#define __NR_USED_SUBPAGE 3
extern struct hstate lx_hstates[];
extern unsigned int lx_hugetlb_max_hstate;
#define for_each_hstate(h) for ((h) = lx_hstates; (h) < &lx_hstates[lx_hugetlb_max_hstate]; (h)++)

static inline unsigned long pages_per_huge_page(const struct hstate *h)
{
	return 1UL << h->order;
}

/* ---- the page allocator --------------------------------------------------------------- */

static inline struct page *lx_alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	uint64_t pfn = lx_alloc_page();

	return pfn ? pfn_to_page(pfn) : NULL;
}

static inline void lx___free_page(struct page *page)
{
	lx_free_page(page_to_pfn(page));
}

/*
 * free_reserved_page(): ClearPageReserved() is clear_bit() (a relaxed
 * STCLR), then the page joins the buddy allocator.
 */
static inline void lx_free_bootmem_page(struct page *page)
{
	lx_clear_bits(lx_va(page) + LX_PAGE_OFF_FLAGS, 1ull << LX_PG_reserved);
	lx___free_page(page);
}

/* The buddy allocator's bookkeeping is host state in bbmsim (mm/mm.h): nothing to do. */
static inline void split_page(struct page *page, unsigned int order)
{
}

#define memmap_pages_add(n)	 lx_memmap_account(n)
#define memmap_boot_pages_add(n) lx_memmap_account(n)

#define alloc_pages_node(nid, gfp, order) LX_AT(lx_alloc_pages_node((nid), (gfp), (order)))
#define __free_page(page)		  LX_AT(lx___free_page(page))
#define free_bootmem_page(page)		  LX_AT(lx_free_bootmem_page(page))
#define copy_page(to, from)		  LX_AT(lx_copy_page(lx_va(to), lx_va(from)))

/* ---- page tables (arm64) ---------------------------------------------------------------- */

typedef struct {
	uint64_t pte;
} pte_t;
typedef struct {
	uint64_t pmd;
} pmd_t;
typedef struct {
	uint64_t pgprot;
} pgprot_t;
typedef struct {
	uint64_t pgd;
} pgd_t;

#define pte_val(x)     ((x).pte)
#define pmd_val(x)     ((x).pmd)
#define __pte(x)       ((pte_t){(x)})
#define __pmd(x)       ((pmd_t){(x)})
#define PAGE_KERNEL    ((pgprot_t){0})
#define PAGE_KERNEL_RO ((pgprot_t){1})

static inline uint64_t lx_entry_get(const volatile void *p)
{
	return lx_is_kva(lx_va(p)) ? lx_load(lx_va(p), 8) : *(const volatile uint64_t *)p;
}

static inline pte_t mk_pte(struct page *page, pgprot_t prot)
{
	return __pte(lx_mk_pte(page_to_pfn(page), prot.pgprot));
}

static inline pte_t lx_ptep_get(pte_t *ptep)
{
	return __pte(lx_entry_get(ptep));
}

static inline struct page *pte_page(pte_t pte)
{
	return pfn_to_page(lx_pte_pfn(pte_val(pte)));
}

#define pte_index(addr) (((addr) >> PAGE_SHIFT) & (PTRS_PER_PTE - 1))

/*
 * pmd_leaf(*pmd) and pmd_page(*pmd) read *pmd: they take the lvalue, so a
 * PMD in simulated memory is read through the MMU (&*p is p, no host read).
 */
#define ptep_get(ptep) LX_AT(lx_ptep_get(ptep))
#define pmd_leaf(pmd)  LX_AT(lx_pmd_is_leaf(lx_entry_get(&(pmd))))
#define pmd_page(pmd)  LX_AT(pfn_to_page(lx_pmd_pfn(lx_entry_get(&(pmd)))))
#define pmd_none(pmd)  LX_AT(lx_entry_get(&(pmd)) == 0)

static inline pte_t *lx_pte_offset_kernel(pmd_t *pmd, unsigned long addr)
{
	uint64_t table = lx_phys_to_virt(lx_pmd_table(lx_entry_get(pmd)));

	return (pte_t *)(uintptr_t)(table + 8 * pte_index(addr));
}

struct mm_struct {
	int page_table_lock; /* init_mm.page_table_lock: simulated, see spin_lock() */
};
extern struct mm_struct init_mm;

static inline void lx_set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte)
{
	if (lx_is_kva(lx_va(ptep)))
		lx_set_pte(lx_va(ptep), addr, pte_val(pte));
	else
		ptep->pte = pte_val(pte);
}

static inline pte_t *lx_pte_alloc_one_kernel(struct mm_struct *mm)
{
	uint64_t pfn = lx_alloc_page(); /* free pages are zero in bbmsim: __GFP_ZERO */

	if (!pfn)
		return NULL;
	lx_pgtable_account(1);
	return (pte_t *)(uintptr_t)lx_phys_to_virt(pfn << PAGE_SHIFT);
}

static inline void lx_pte_free_kernel(struct mm_struct *mm, pte_t *pte)
{
	lx_pgtable_account(-1);
	lx_free_page(__pa(pte) >> PAGE_SHIFT);
}

/* PMD_TYPE_TABLE | PMD_TABLE_UXN, through set_pmd() when the PMD is live. */
static inline void lx_pmd_populate_kernel(struct mm_struct *mm, pmd_t *pmdp, pte_t *ptep)
{
	uint64_t val = lx_mk_kernel_table(__pa(ptep));

	if (lx_is_kva(lx_va(pmdp)))
		lx_set_pmd(lx_va(pmdp), val);
	else
		pmdp->pmd = val;
}

#define pte_offset_kernel(pmd, addr)	    LX_AT(lx_pte_offset_kernel((pmd), (addr)))
#define set_pte_at(mm, addr, ptep, pte)	    LX_AT(lx_set_pte_at((mm), (addr), (ptep), (pte)))
#define pte_alloc_one_kernel(mm)	    LX_AT(lx_pte_alloc_one_kernel(mm))
#define pte_free_kernel(mm, pte)	    LX_AT(lx_pte_free_kernel((mm), (pte)))
#define pmd_populate_kernel(mm, pmdp, ptep) LX_AT(lx_pmd_populate_kernel((mm), (pmdp), (ptep)))

#define smp_wmb()		     LX_AT(lx_smp_wmb())
#define flush_tlb_all()		     LX_AT(lx_flush_tlb_all())
#define flush_tlb_kernel_range(s, e) LX_AT(lx_flush_tlb_kernel_range((s), (e)))
#define synchronize_rcu()	     LX_AT(lx_synchronize_rcu())
#define spin_lock(l)		     ((void)(l), LX_AT(lx_ptl_lock()))
#define spin_unlock(l)		     ((void)(l), LX_AT(lx_ptl_unlock()))
/* init_mm's mmap_lock: nothing else takes it here. */
#define mmap_read_lock(mm)   ((void)(mm))
#define mmap_read_unlock(mm) ((void)(mm))

/* ---- the page walk (include/linux/pagewalk.h); ours is in lx_entry.c ---------------------- */

enum page_walk_action {
	ACTION_SUBTREE = 0,
	ACTION_CONTINUE = 1,
	ACTION_AGAIN = 2,
};

struct mm_walk;
struct mm_walk_ops {
	int (*pmd_entry)(pmd_t *pmd, unsigned long addr, unsigned long next, struct mm_walk *walk);
	int (*pte_entry)(pte_t *pte, unsigned long addr, unsigned long next, struct mm_walk *walk);
};

struct mm_walk {
	const struct mm_walk_ops *ops;
	struct mm_struct *mm;
	pgd_t *pgd;
	void *private;
	enum page_walk_action action;
	bool no_vma;
};

int walk_kernel_page_table_range(unsigned long start, unsigned long end,
				 const struct mm_walk_ops *ops, pgd_t *pgd, void *private);

/* ---- the series' hooks: arm64's side (patch 5), onto the run's strategy ------------------ */

#define VMEMMAP_ARCH_TLB_FLUSH_FLAGS                                                               \
	(lx_vmemmap_arch_flushes_tlb() ? (VMEMMAP_SPLIT_NO_TLB_FLUSH | VMEMMAP_REMAP_NO_TLB_FLUSH) \
				       : 0)

#define vmemmap_update_supported() LX_AT(lx_vmemmap_update_supported())

/* cpus_read_lock() on arm64: CPU hotplug is not modelled, so nothing to hold. */
#define vmemmap_update_lock()	((void)0)
#define vmemmap_update_unlock() ((void)0)

#define vmemmap_update_pte_range_start(pte, start, end) \
	((void)(pte), LX_AT(lx_vmemmap_update_pte_range_start((start), (end))))
#define vmemmap_update_pte_range_end() LX_AT(lx_vmemmap_update_pte_range_end())
#define vmemmap_update_pmd_range_start(pmd, start, end) \
	((void)(pmd), LX_AT(lx_vmemmap_update_pmd_range_start((start), (end))))
#define vmemmap_update_pmd_range_end() LX_AT(lx_vmemmap_update_pmd_range_end())

/* Bitmaps for the patched range callbacks. */
#define DECLARE_BITMAP(name, bits) unsigned long name[((bits) + BITS_PER_LONG - 1) / BITS_PER_LONG]
static inline void __set_bit(unsigned long nr, unsigned long *addr)
{
	addr[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline bool test_bit(unsigned long nr, const unsigned long *addr)
{
	return (addr[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

#endif
