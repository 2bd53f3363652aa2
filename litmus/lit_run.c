// SPDX-License-Identifier: GPL-2.0-only
/*
 * A litmus test as a scenario: memory laid out as herd7 assumes it (each
 * location a page, mapped by its own last-level descriptor; ours: a 2 MiB
 * region each), every thread interpreted on its own simulated CPU
 * (lit_exec.c), and the final state read back for the condition.
 */
#include "lit_exec.h"
#include "lit_run.h"

#include "sim/arm/checker.h"
#include "sim/arm/mmu.h"
#include "sim/cpu.h"
#include "sim/pmem.h"

#include <glib.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

uint64_t lit_va(const struct litmus *lt, int sym)
{
	if (sym < lt->nsym && lt->giant[sym])
		return LIT_GIANT_VA_BASE + (uint64_t)sym * LIT_GIANT;
	return LIT_VA_BASE + (uint64_t)sym * LIT_REGION;
}

/* A giant's GiB is sym + 1: the first holds the kernel, the tables and the 2 MiB regions. */
uint64_t lit_pa(const struct litmus *lt, int sym)
{
	if (sym < lt->nsym && lt->giant[sym])
		return (uint64_t)(sym + 1) * LIT_GIANT;
	return LIT_PA_BASE + (uint64_t)sym * LIT_REGION;
}

/* ---- setup ------------------------------------------------------------------------ */

static const struct lit_scn *lscn(struct sim *sim)
{
	return (const struct lit_scn *)((const char *)sim->scn - offsetof(struct lit_scn, scn));
}

/* The kernel VA of the descriptor mapping @sym at @level (the linear-map alias). */
static uint64_t desc_va(struct sim *sim, int sym, int level)
{
	const struct lit_state *st = sim->scn_state;

	return mmu_phys_to_virt(st->slot[sym][level]);
}

static bool val_names(const struct lit_val *v, int sym)
{
	return v->sym == sym && (v->kind == LV_TABLE || (v->kind == LV_PTE && v->level <= 2));
}

/*
 * Does the test name PMD(@sym), TABLE(@sym) or a block of @sym's? Then
 * its whole 2 MiB region is mapped (page by page, or by the block).
 */
static bool sym_is_region(const struct litmus *lt, int sym)
{
	if (lt->giant[sym])
		return true;
	for (int i = 0; i < lt->ninit; i++) {
		const struct lit_init *in = &lt->init[i];
		if (val_names(&in->val, sym) ||
		    (!in->loc.is_reg && val_names(&in->loc.addr, sym)) ||
		    (in->val.kind == LV_DESC && in->val.d.oa_sym == sym &&
		     (in->val.d.level != 3 || in->val.d.oa_page)))
			return true;
	}
	for (int i = 0; i < lt->nprops; i++) {
		const struct lit_prop *p = lt->props[i];
		if (p->kind == LP_EQ &&
		    (val_names(&p->val, sym) || (!p->loc.is_reg && val_names(&p->loc.addr, sym))))
			return true;
	}
	return false;
}

static uint64_t val_place(struct sim *sim, const struct lit_val *v)
{
	const struct lit_state *st = sim->scn_state;

	switch (v->kind) {
	case LV_INT:
		return (uint64_t)v->i;
	case LV_VA:
		return lit_va(st->lt, v->sym);
	case LV_PA:
		return lit_pa(st->lt, v->sym);
	case LV_PTE:
		return desc_va(sim, v->sym, v->level);
	case LV_TABLE:
		return mmu_mk_table(st->table[v->level][v->sym]);
	case LV_DESC:
		return lit_desc_encode(st->lt, &v->d);
	case LV_LABEL:
	default:
		return LIT_LABEL_TAG | (uint64_t)v->thread << 16 | (uint64_t)v->label;
	}
}

static enum mmu_fault_action lit_on_fault(struct sim_cpu *cpu, const struct mmu_fault *f, void *arg)
{
	struct lit_cpu *lc = arg;

	/* The access does not happen: back to the interpreter, which takes the exception. */
	lc->fault = *f;
	longjmp(lc->fault_jb, 1);
}

/*
 * Does the test change or read translation tables (descriptors, TLBIs,
 * hardware updates)? Then it makes no promises: a walk reads the latest
 * descriptor with no view of the memory model (docs/memmodel.md), so a
 * promised store could be kept although its CPU's translation is ordered
 * after what the promise was read by (NT-11-dmb would be Allowed).
 */
static bool touches_tables(const struct litmus *lt)
{
	if (lt->tthm_ha || lt->tthm_hd)
		return true;
	for (int i = 0; i < lt->ninit; i++) {
		const struct lit_init *in = &lt->init[i];
		if (in->val.kind == LV_PTE || in->val.kind == LV_DESC || in->val.kind == LV_TABLE ||
		    (!in->loc.is_reg && in->loc.addr.kind == LV_PTE))
			return true;
	}
	for (int t = 0; t < lt->nthreads; t++)
		for (int i = 0; i < lt->th[t].nins; i++)
			if (lt->th[t].ins[i].op == LOP_TLBI)
				return true;
	return false;
}

static int lit_setup(struct sim *sim, char *err, size_t errlen)
{
	const struct litmus *lt = lscn(sim)->lt;
	struct lit_state *st = g_new0(struct lit_state, 1);
	struct lit_desc def = {.oa_sym = -1, .valid = 1, .af = 1, .db = 1, .el0 = 1, .level = 3};

	sim->scn_state = st;
	st->lt = lt;
	if (mmu_install(sim, err, errlen))
		return -1;
	for (int i = 0; i < lt->nsym; i++) {
		unsigned pages = sym_is_region(lt, i) ? LIT_REGION / LIT_PAGE : 1;
		def.oa_sym = i;
		def.oa_page = 0;
		def.level = 3;
		uint64_t d = lit_desc_encode(lt, &def), va = lit_va(lt, i);

		/* Boot map with the default, then put herd's initial value in the slot. */
		if (mmu_boot_map(sim, va, lit_pa(lt, i), LIT_PAGE,
				 d & ~(DESC_OA_MASK | DESC_VALID | DESC_TABLE), 3)) {
			snprintf(err, errlen, "cannot map location %s", lt->sym[i]);
			return -1;
		}
		for (int l = 1; l <= 3; l++)
			st->slot[i][l] = mmu_slot_pa(sim, va, l);
		st->table[2][i] = st->slot[i][3] & ~(LIT_PAGE - 1);
		/* A region's other pages, as a split's new table maps them. */
		for (unsigned p = 0; p < pages; p++) {
			def.oa_page = (int)p;
			pmem_write(sim->mem, st->slot[i][3] + 8 * p, 8, lit_desc_encode(lt, &def));
		}
		/*
		 * A giant's level-2 table: PMD(x) and 511 2 MiB blocks mapping the
		 * rest of its GiB, as a PUD split's new table maps them.
		 */
		if (lt->giant[i]) {
			st->table[1][i] = st->slot[i][2] & ~(LIT_PAGE - 1);
			def.level = 2;
			for (unsigned p = 1; p < 512; p++) {
				def.oa_page = (int)(p * 512);
				pmem_write(sim->mem, st->slot[i][2] + 8 * p, 8,
					   lit_desc_encode(lt, &def));
			}
		}
		chk_page_alloc(sim, lit_pa(lt, i), pages);
	}
	for (int i = 0; i < lt->ninit; i++) {
		const struct lit_init *in = &lt->init[i];
		uint64_t v = val_place(sim, &in->val);

		if (in->loc.is_reg) {
			st->cpu[in->loc.thread].x[in->loc.reg] = v;
			continue;
		}
		const struct lit_val *a = &in->loc.addr;
		uint64_t pa = a->kind == LV_PTE ? st->slot[a->sym][a->level] : lit_pa(lt, a->sym);
		pmem_write(sim->mem, pa, 8, v);
	}
	for (unsigned c = 0; c < sim->ncpus; c++) {
		uint64_t vals[16];
		unsigned n = c < (unsigned)lt->nprocs && !touches_tables(lt)
				     ? lit_promise_values(lt, (int)c, st->cpu[c].x, vals, 16)
				     : 0;

		st->cpu[c].th = (int)c;
		mmu_set_fault_handler(&sim->cpus[c], lit_on_fault, &st->cpu[c]);
		/* TTHM=Pn:HA / Pn:HD: TCR_EL1.HA/HD are per PE (the machine has --hafdbs). */
		if ((lt->tthm_ha || lt->tthm_hd) &&
		    mmu_set_hafdbs(&sim->cpus[c], lt->tthm_ha & (1u << c),
				   lt->tthm_hd & (1u << c))) {
			snprintf(err, errlen, "TTHM: the machine has no FEAT_HAFDBS (--hafdbs)");
			return -1;
		}
		/* Every branch passes its dependency (step()): its stores may be promised. */
		if (n)
			cpu_promise_values(&sim->cpus[c], vals, n);
	}
	return 0;
}

static void lit_teardown(struct sim *sim)
{
	mmu_teardown(sim);
	g_free(sim->scn_state);
	sim->scn_state = NULL;
}

static void record_fault(struct sim *sim, struct lit_state *st, unsigned cpu, struct lit_cpu *lc)
{
	const struct litmus *lt = st->lt;
	struct lit_fault f = {.thread = (int)cpu, .pc = lc->pc, .type = lc->fault.type};
	uint64_t va = lc->fault.va;

	f.sym = lit_sym_of_va(lt, va & ~(LIT_PAGE - 1));
	if (f.sym < 0 && va >= MMU_PAGE_OFFSET && va < MMU_VMALLOC_START) {
		/* a descriptor through its linear-map alias: fault(P0,pte_x) */
		uint64_t pa = mmu_virt_to_phys(va) & ~7ull;
		for (int s = 0; s < lt->nsym; s++)
			if (st->slot[s][3] == pa || st->slot[s][2] == pa ||
			    (lt->giant[s] && st->slot[s][1] == pa)) {
				f.sym = s;
				f.pte = true;
			}
	}
	if (lc->th != (int)cpu)
		f.pc = -1; /* in the handler */
	if (st->nfaults < LIT_MAX_FAULTS)
		st->faults[st->nfaults++] = f;
}

static void lit_cpu_main(struct sim_cpu *cpu)
{
	struct lit_state *st = cpu->sim->scn_state;
	struct lit_cpu *lc = &st->cpu[cpu->id];
	const struct litmus *lt = st->lt;

	if (cpu->id >= (unsigned)lt->nprocs)
		return;
	mmu_set_el0(cpu, lt->el0 >> cpu->id & 1);
	if (setjmp(lc->fault_jb)) {
		/* A synchronous exception at lc->pc: to the handler, or the end (fatal). */
		int h = lt->th[cpu->id].handler;

		record_fault(cpu->sim, st, cpu->id, lc);
		if (h < 0 || lc->th != (int)cpu->id)
			return;
		lc->elr = LIT_LABEL_TAG | (uint64_t)cpu->id << 16 | (uint64_t)lc->pc;
		/*
		 * The fault is taken once the access's address is known, and
		 * exception entry is context synchronising: what the handler
		 * does is ordered after the address's dependencies (herd's
		 * order-via-faults tests, MP+rel+addr-mmufault-po Forbidden).
		 */
		cpu_ctrl_dep(cpu, lc->fault_dep);
		cpu_barrier(cpu, CPU_ISB);
		mmu_set_el0(cpu, false); /* taken to EL1 */
		lc->th = h;
		lc->pc = 0;
		if (!lt->th[h].nins)
			return;
	} else if (!lt->th[cpu->id].nins) {
		return;
	}
	while (lit_step(cpu, st, lc))
		;
}

/* ---- the final state ------------------------------------------------------------------------ */

static uint64_t loc_value(struct sim *sim, const struct lit_state *st, const struct lit_loc *l)
{
	if (l->is_reg)
		return st->cpu[l->thread].x[l->reg];
	const struct lit_val *a = &l->addr;
	uint64_t pa = a->kind == LV_PTE ? st->slot[a->sym][a->level] : lit_pa(st->lt, a->sym);
	/* ints are 4 bytes in herd's tests unless they are descriptors */
	return pmem_read(sim->mem, pa, a->kind == LV_PTE ? 8 : 4);
}

static bool fault_matches(const struct lit_state *st, const struct lit_prop *p)
{
	for (int i = 0; i < st->nfaults; i++) {
		const struct lit_fault *f = &st->faults[i];
		if (f->thread != p->thread || (p->label >= 0 && f->pc != p->label))
			continue;
		if (p->fsym >= 0 && (f->sym != p->fsym || f->pte != p->fsym_pte))
			continue;
		if (p->fkind >= 0 && (int)f->type != p->fkind)
			continue;
		return true;
	}
	return false;
}

static bool eval(struct sim *sim, const struct lit_state *st, const struct lit_prop *p)
{
	switch (p->kind) {
	case LP_TRUE:
		return true;
	case LP_NOT:
		return !eval(sim, st, p->a);
	case LP_AND:
		return eval(sim, st, p->a) && eval(sim, st, p->b);
	case LP_OR:
		return eval(sim, st, p->a) || eval(sim, st, p->b);
	case LP_FAULT:
		return fault_matches(st, p);
	case LP_EQ:
	default: {
		uint64_t v = loc_value(sim, st, &p->loc), want = val_place(sim, &p->val);
		if (p->loc.is_reg && p->val.kind == LV_INT)
			return v == want || (uint32_t)v == (uint32_t)want;
		if (!p->loc.is_reg && p->loc.addr.kind != LV_PTE)
			want = (uint32_t)want;
		return v == want;
	}
	}
}

/* The state line: every location the condition and locations[] name, then faults. */
static void append_locs(struct sim *sim, const struct lit_state *st, const struct lit_prop *p,
			GString *g, GPtrArray *seen)
{
	const struct litmus *lt = st->lt;
	char name[64], val[160];

	if (!p)
		return;
	if (p->kind == LP_NOT || p->kind == LP_AND || p->kind == LP_OR) {
		append_locs(sim, st, p->a, g, seen);
		append_locs(sim, st, p->b, g, seen);
		return;
	}
	if (p->kind == LP_FAULT) {
		/* herd lists the fault atoms the condition names, true or not */
		lit_prop_str(lt, p, name, sizeof(name));
		for (guint i = 0; i < seen->len; i++)
			if (!strcmp(seen->pdata[i], name))
				return;
		g_ptr_array_add(seen, g_strdup(name));
		g_string_append_printf(g, "%s%s; ", fault_matches(st, p) ? "" : "~", name);
		return;
	}
	if (p->kind != LP_EQ)
		return;
	lit_loc_str(lt, &p->loc, name, sizeof(name));
	for (guint i = 0; i < seen->len; i++)
		if (!strcmp(seen->pdata[i], name))
			return;
	g_ptr_array_add(seen, g_strdup(name));
	lit_val_str(lt, loc_value(sim, st, &p->loc),
		    p->val.kind == LV_DESC			   ? p->val.d.level
		    : p->val.kind == LV_TABLE			   ? p->val.level
		    : !p->loc.is_reg && p->loc.addr.kind == LV_PTE ? p->loc.addr.level
								   : 0,
		    st->table, val, sizeof(val));
	g_string_append_printf(g, "%s=%s; ", name, val);
}

static void lit_check(struct sim *sim)
{
	const struct lit_scn *ls = lscn(sim);
	const struct lit_state *st = sim->scn_state;
	const struct litmus *lt = ls->lt;
	struct lit_exec *out = ls->out;
	GString *g = g_string_new(NULL);
	GPtrArray *seen = g_ptr_array_new_with_free_func(g_free);
	char name[64], val[160];

	for (int i = 0; i < lt->nlocs; i++) {
		const struct lit_loc *l = &lt->locs[i];
		lit_loc_str(lt, l, name, sizeof(name));
		g_ptr_array_add(seen, g_strdup(name));
		lit_val_str(lt, loc_value(sim, st, l),
			    !l->is_reg && l->addr.kind == LV_PTE ? l->addr.level : 0, st->table,
			    val, sizeof(val));
		g_string_append_printf(g, "%s=%s; ", name, val);
	}
	append_locs(sim, st, lt->cond, g, seen);
	if (g->len)
		g_string_truncate(g, g->len - 1);
	if (out) {
		g_strlcpy(out->state, g->str, sizeof(out->state));
		out->filtered = lt->filter && !eval(sim, st, lt->filter);
		out->cond = eval(sim, st, lt->cond);
		out->done = true;
	}
	g_ptr_array_free(seen, TRUE);
	g_string_free(g, TRUE);
}

void lit_scenario(struct lit_scn *ls, const struct litmus *lt, struct lit_exec *out)
{
	memset(ls, 0, sizeof(*ls));
	ls->lt = lt;
	ls->out = out;
	snprintf(ls->name, sizeof(ls->name), "litmus:%s", lt->name);
	ls->scn = (struct scenario){
		.name = ls->name,
		.summary = "a litmus test",
		.default_cpus = (unsigned)lt->nprocs,
		.expect = -1,
		.est_steps = 64,
		.data = lt->text,
		.setup = lit_setup,
		.cpu_main = lit_cpu_main,
		.check = lit_check,
		.teardown = lit_teardown,
	};
}

static int set_opt(const struct litmus *lt, struct sim_options *opt, const char *name,
		   const char *value, char *err, size_t errlen)
{
	char e[200];

	if (!sim_options_set(opt, name, value, e, sizeof(e)))
		return 0;
	snprintf(err, errlen, "%s: %s", lt->path, e);
	return -1;
}

int lit_machine_options(const struct litmus *lt, struct sim_options *opt, char *err, size_t errlen)
{
	char n[16];

	snprintf(n, sizeof(n), "%d", lt->nprocs);
	if (set_opt(lt, opt, "cpus", n, err, errlen) ||
	    /* Every execution runs to its end: a BBM violation is a flag, not a stop. */
	    set_opt(lt, opt, "keep_going", "1", err, errlen))
		return -1;
	/* A giant location's GiB is sym + 1 (lit_pa()): memory to hold the last (sparse). */
	for (int i = lt->nsym - 1; i >= 0; i--) {
		if (!lt->giant[i])
			continue;
		snprintf(n, sizeof(n), "%d", i + 2);
		if (i + 2 > 4 && set_opt(lt, opt, "mem_gb", n, err, errlen))
			return -1;
		break;
	}
	/* TTHM=HA / HA HD: the machine has FEAT_HAFDBS; lit_setup() enables it per PE. */
	if ((lt->tthm_hd || lt->tthm_ha) &&
	    set_opt(lt, opt, "hafdbs", lt->tthm_hd ? "afdb" : "af", err, errlen))
		return -1;
	/* Variant=ets2: FEAT_ETS2 (no access uses a walk older than its last context sync). */
	if (lt->var_ets2 && set_opt(lt, opt, "ets2", "1", err, errlen))
		return -1;
	/*
	 * FEAT_BBM level 2 (D8.16.2): a lookup meeting two sizes may take a
	 * TLB conflict abort, unless the CPU is one of Linux's BBML2_NOABORT.
	 */
	if (lt->var_bbm2 &&
	    (set_opt(lt, opt, "bbm_level", "2", err, errlen) ||
	     set_opt(lt, opt, "bbml2_noabort", lt->var_bbm2_noabort ? "1" : "0", err, errlen) ||
	     set_opt(lt, opt, "tlb_conflict_abort", lt->var_bbm2_noabort ? "0" : "1", err, errlen)))
		return -1;
	return 0;
}

/* A replay of a litmus run: the test comes back from the trace's header. */
static const struct scenario *lit_factory(const char *name, const char *data, char *err,
					  size_t errlen)
{
	struct litmus *lt = lit_parse("trace", data, strlen(data), err, errlen);
	struct lit_scn *ls;

	if (!lt)
		return NULL;
	ls = g_new0(struct lit_scn, 1);
	lit_scenario(ls, lt, NULL);
	if (strcmp(ls->name, name)) {
		snprintf(err, errlen, "the trace's litmus test is '%s', not '%s'", ls->name, name);
		g_free(ls);
		lit_free(lt);
		return NULL;
	}
	/* A scenario's options come from the trace; the test's own are in it already. */
	return &ls->scn;
}

static void __attribute__((constructor)) lit_register(void)
{
	scenario_register_factory("litmus:", lit_factory);
}
