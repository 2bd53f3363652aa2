// SPDX-License-Identifier: GPL-2.0-only
/*
 * hvo-compare: the four hugetlb operations of the series' measurements, on
 * --pages N gigantic pages, for `bbmsim compare` (timed):
 *
 *   alloc-1g   allocate N x 1 GiB (and optimise them)
 *   free-1g    free them (restore, then free)
 *   demote-1g  allocate N x 1 GiB again (not measured), demote all to
 *              512 N x 2 MiB (restore, rewrite, optimise the batch)
 *   free-2m    free the 512 N x 2 MiB pages
 *
 * CPU 0 does the work; every other CPU idles (WFI), answering IPIs, pauses
 * and stoppers as an otherwise idle server would. Each operation's figure
 * is CPU 0's simulated time across it, recorded as a run metric.
 *
 * Linux hands each operation one list of every folio; here a list holds at
 * most COMPARE_BATCH gigantic pages' worth, so that the vmemmap a batch
 * restores fits in host memory at --pages 600. Per batch that adds one
 * grace period and two full TLB flushes to what Linux does once; at 16
 * pages per batch that is a few microseconds in seconds.
 */
#include "mm_internal.h"
#include "sim/compare.h"
#include "sim/pmem.h"
#include "sim/scenario.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>

#define COMPARE_BATCH 16

struct scn_cmp {
	struct smp_workload w;
	unsigned n;
};

static int cmp_setup(struct sim *sim, char *err, size_t errlen)
{
	struct scn_cmp *st = g_new0(struct scn_cmp, 1);
	struct smp_config cfg;

	sim->scn_state = st;
	st->n = sim_opt_uint(&sim->opt, OPT_pages) ? sim_opt_uint(&sim->opt, OPT_pages) : 1;
	if (mmu_install(sim, err, errlen))
		return -1;
	smp_config_default(sim, &cfg);
	if (smp_setup(sim, &cfg, err, errlen) || mm_setup(sim, err, errlen))
		return -1;
	smp_workload_init(sim, &st->w);
	/* Every gigantic page must fit at once, next to the vmemmap and the kernel. */
	uint64_t free_gb = mm_nr_free_pages(sim) >> (30 - PAGE_SHIFT);
	if (free_gb < st->n + 1) {
		snprintf(err, errlen,
			 "%u x 1 GiB pages do not fit in --mem-gb %u (about %" PRIu64
			 " GiB are free; try --mem-gb %u)",
			 st->n, sim_opt_uint(&sim->opt, OPT_mem_gb), free_gb,
			 st->n + st->n / 50 + 3);
		return -1;
	}
	return 0;
}

static void cmp_teardown(struct sim *sim)
{
	mm_teardown(sim);
	smp_teardown(sim);
	mmu_teardown(sim);
	g_free(sim->scn_state);
	sim->scn_state = NULL;
}

static unsigned batch(unsigned done, unsigned n)
{
	return n - done < COMPARE_BATCH ? n - done : COMPARE_BATCH;
}

/* Allocates @n gigantic pages in batches into @all. */
static void alloc_1g(struct sim_cpu *cpu, unsigned n, struct folio_list *all)
{
	for (unsigned done = 0; done < n;) {
		struct folio_list l = {0};
		unsigned k = batch(done, n);

		if (hugetlb_alloc_pool(cpu, &hstate_1g, k, &l))
			sim_report(cpu->sim, cpu, FINDING_ASSERTION, 0, 0,
				   "the pool fills (memory was checked at set-up)",
				   "allocating 1 GiB pages failed after %u", done);
		for (unsigned i = 0; i < l.nr; i++)
			folio_list_add(all, l.folio[i]);
		folio_list_free(&l);
		done += k;
	}
}

/* Runs @fn over @all in slices of @per folios. */
static void in_batches(struct sim_cpu *cpu, const struct folio_list *all, unsigned per,
		       void (*fn)(struct sim_cpu *cpu, const struct folio_list *l, void *arg),
		       void *arg)
{
	for (unsigned done = 0; done < all->nr; done += per) {
		struct folio_list l = {
			.folio = all->folio + done,
			.nr = all->nr - done < per ? all->nr - done : per,
		};

		fn(cpu, &l, arg);
	}
}

static void free_1g(struct sim_cpu *cpu, const struct folio_list *l, void *arg)
{
	hugetlb_free_pool(cpu, &hstate_1g, l);
}

static void free_2m(struct sim_cpu *cpu, const struct folio_list *l, void *arg)
{
	hugetlb_free_pool(cpu, &hstate_2m, l);
}

static void demote(struct sim_cpu *cpu, const struct folio_list *l, void *arg)
{
	struct folio_list *small = arg;
	struct folio_list out = {0};

	hugetlb_demote_pool(cpu, l, &out);
	for (unsigned i = 0; i < out.nr; i++)
		folio_list_add(small, out.folio[i]);
	folio_list_free(&out);
}

static void cmp_main(struct sim_cpu *cpu)
{
	struct scn_cmp *st = cpu->sim->scn_state;
	struct folio_list big = {0}, small = {0};
	uint64_t t;

	if (cpu->id) {
		smp_work_idle(cpu, &st->w);
		smp_work_exit(cpu, &st->w);
		return;
	}
	t = cpu->clock;
	alloc_1g(cpu, st->n, &big);
	sim_metric(cpu->sim, "alloc-1g", cpu->clock - t);

	t = cpu->clock;
	in_batches(cpu, &big, COMPARE_BATCH, free_1g, NULL);
	sim_metric(cpu->sim, "free-1g", cpu->clock - t);
	folio_list_free(&big);

	alloc_1g(cpu, st->n, &big);
	t = cpu->clock;
	in_batches(cpu, &big, COMPARE_BATCH, demote, &small);
	sim_metric(cpu->sim, "demote-1g", cpu->clock - t);
	folio_list_free(&big);

	t = cpu->clock;
	in_batches(cpu, &small, COMPARE_BATCH * 512, free_2m, NULL);
	sim_metric(cpu->sim, "free-2m", cpu->clock - t);
	folio_list_free(&small);

	struct mm *mm = mm_of(cpu->sim);
	sim_metric(cpu->sim, "pause-rounds", mm->stats.pause_rounds);
	sim_metric(cpu->sim, "stop-machine-rounds", mm->stats.stop_machine_rounds);
	sim_metric(cpu->sim, "flush-tlb-all", mm->stats.flush_tlb_all);
	sim_metric(cpu->sim, "flush-tlb-range", mm->stats.flush_tlb_range);
	sim_metric(cpu->sim, "af-retries", mm->stats.af_retries_pmd + mm->stats.af_retries_pte);
	sim_metric(cpu->sim, "split-eagain", mm->stats.split_eagain);
	sim_metric(cpu->sim, "pmem-resident-kib", pmem_resident(cpu->sim->mem) >> 10);
	smp_work_finish(cpu, &st->w);
}

static const struct scenario scn_hvo_compare = {
	.name = "hvo-compare",
	.summary = "the series' four hugetlb operations on --pages N x 1 GiB (timed; used by "
		   "compare)",
	.default_cpus = 8,
	.expect = -1,
	.est_steps = 100000,
	.setup = cmp_setup,
	.cpu_main = cmp_main,
	.teardown = cmp_teardown,
};
SCENARIO_REGISTER(scn_hvo_compare)

/*
 * What `bbmsim compare` sets side by side: the vmemmap update strategies
 * on hvo-compare's four operations, each also judged by the HVO scenarios
 * and by its own hazard scenarios. A strategy added elsewhere registers a
 * struct cmp_choice of its own (COMPARE_REGISTER_CHOICE) and appears.
 */
static const struct cmp_operation cmp_ops[] = {
	{"alloc-1g", "alloc 600 x 1 GiB", 1, "1 GiB"},
	{"free-1g", "free 600 x 1 GiB", 1, "1 GiB"},
	{"demote-1g", "demote 600 x 1 GiB", 1, "1 GiB"},
	{"free-2m", "free 307200 x 2 MiB", 512, "2 MiB"},
};

static const struct cmp_counter cmp_counters[] = {
	{"pause-rounds", "pause rounds"},
	{"stop-machine-rounds", "stop_machine() rounds"},
};

static const char *const cmp_verdicts[] = {"hvo-2m", "hvo-1g", "hvo-demote", NULL};

static const struct cmp_spec cmp_spec = {
	.option = "strategy",
	.workload = "hvo-compare",
	.page = "1 GiB",
	.series_pages = 600,
	.series_cpus = 80,
	.verdicts = cmp_verdicts,
	.ops = cmp_ops,
	.nr_ops = G_N_ELEMENTS(cmp_ops),
	.counters = cmp_counters,
	.nr_counters = G_N_ELEMENTS(cmp_counters),
};
COMPARE_REGISTER_SPEC(cmp_spec)

static const char *const a_hazards[] = {"hvo-2m-a-irq", NULL};
static const char *const c_machine[] = {"bbm_level=2", "bbml2_noabort=1", NULL};
static const char *const d_hazards[] = {"hvo-2m-d-no-nmi", "hvo-2m-d-locker", NULL};

static const struct cmp_choice cmp_none = {
	.name = "none",
	.summary = "direct update, as x86 does (the series' 'before')",
	.baseline = true,
	.order = 0,
};
COMPARE_REGISTER_CHOICE(cmp_none)

static const struct cmp_choice cmp_a = {
	.name = "A",
	.summary = "BBM under page_table_lock, fault handler waits and retries",
	.hazards = a_hazards,
	.order = 1,
};
COMPARE_REGISTER_CHOICE(cmp_a)

static const struct cmp_choice cmp_b = {
	.name = "B",
	.summary = "BBM inside stop_machine()",
	.order = 2,
};
COMPARE_REGISTER_CHOICE(cmp_b)

static const struct cmp_choice cmp_c = {
	.name = "C",
	.summary = "FEAT_BBM level 2 without conflict aborts: no break",
	.options = c_machine,
	.order = 3,
};
COMPARE_REGISTER_CHOICE(cmp_c)

static const struct cmp_choice cmp_d = {
	.name = "D",
	.summary = "BBM while the other CPUs are paused by a pseudo-NMI (the series)",
	.hazards = d_hazards,
	.order = 4,
};
COMPARE_REGISTER_CHOICE(cmp_d)

static const char *const e_machine[] = {"hafdbs=af", NULL};
static const char *const e_hazards[] = {"hvo-2m-e-hammer", "hvo-2m-e-af-storm", "hvo-2m-e-no-ha",
					NULL};
static const struct cmp_counter e_counters[] = {
	{"af-retries", "cmpxchg retries (AF set again)"},
	{"split-eagain", "PMD splits given up (-EAGAIN)"},
};

static const struct cmp_choice cmp_e = {
	.name = "E",
	.summary = "clear AF, flush, cmpxchg the new entry in; 16 tries, then the folio stays "
		   "unoptimised (the July 2026 series)",
	.options = e_machine,
	.hazards = e_hazards,
	.counters = e_counters,
	.nr_counters = G_N_ELEMENTS(e_counters),
	.order = 5,
};
COMPARE_REGISTER_CHOICE(cmp_e)
