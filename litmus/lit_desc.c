// SPDX-License-Identifier: GPL-2.0-only
/*
 * herd7's descriptors and values in ours and back: (oa:PA(x), af:0, ...) as
 * a stage-1 page descriptor, and a final value as herd prints it.
 */
#include "lit_run.h"

#include "sim/arm/mmu.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>

/* AttrIndx for herd's attributes: Linux's MAIR slots, GRE in a free one. */
static const unsigned attr_index[] = {
	[LIT_ATTR_NORMAL] = MT_NORMAL,
	[LIT_ATTR_NC] = MT_NORMAL_NC,
	[LIT_ATTR_GRE] = 5,
	[LIT_ATTR_NGNRE] = MT_DEVICE_nGnRE,
	[LIT_ATTR_NGNRNE] = MT_DEVICE_nGnRnE,
};

uint64_t lit_desc_encode(const struct litmus *lt, const struct lit_desc *d)
{
	uint64_t oa = d->oa_sym >= 0 ? lit_pa(lt, d->oa_sym) + (uint64_t)d->oa_page * LIT_PAGE : 0;
	uint64_t v = oa | DESC_SH_INNER | DESC_ATTRINDX(attr_index[d->attr]);

	if (d->level == 3)
		v |= DESC_TABLE; /* a page, valid or not: valid:0 differs in bit 0 only */
	else
		v &= ~((1ull << mmu_level_shift(d->level)) - 1) | ~DESC_OA_MASK;
	if (d->valid)
		v |= DESC_VALID;
	if (d->af)
		v |= DESC_AF;
	if (!d->db)
		v |= DESC_AP_RDONLY;
	if (d->dbm)
		v |= DESC_DBM;
	if (d->el0)
		v |= DESC_AP_EL0;
	if (d->contig)
		v |= DESC_CONT;
	return v;
}

static uint64_t region_size(const struct litmus *lt, int sym)
{
	return lt->giant[sym] ? LIT_GIANT : LIT_REGION;
}

static int sym_of_pa(const struct litmus *lt, uint64_t pa)
{
	for (int s = 0; s < lt->nsym; s++)
		if (pa >= lit_pa(lt, s) && pa - lit_pa(lt, s) < region_size(lt, s))
			return s;
	return -1;
}

int lit_sym_of_va(const struct litmus *lt, uint64_t va)
{
	for (int s = 0; s < lt->nsym; s++)
		if (va >= lit_va(lt, s) && va - lit_va(lt, s) < region_size(lt, s))
			return s;
	return -1;
}

static const char *const attr_names[] = {"", "Normal, iNC, oNC", "Device-GRE", "Device-nGnRE",
					 "Device-nGnRnE"};

void lit_val_str(const struct litmus *lt, uint64_t v, int level,
		 const uint64_t (*tables)[LIT_MAX_SYMS], char *buf, size_t len)
{
	int s;

	if ((v & 0xffff000000000000ull) == LIT_LABEL_TAG) {
		unsigned th = (unsigned)(v >> 16) & 0xff, pc = (unsigned)v & 0xffff;
		const char *name = "?";
		if (th < (unsigned)lt->nthreads)
			for (int i = 0; i < lt->th[th].nlabels; i++)
				if (lt->th[th].label_at[i] == (int)pc)
					name = lt->th[th].label_name[i];
		snprintf(buf, len, "label:\"P%u:%s\"", th, name);
		return;
	}
	if (!level) {
		if ((s = lit_sym_of_va(lt, v)) >= 0 && v == lit_va(lt, s))
			snprintf(buf, len, "%s", lt->sym[s]);
		else
			snprintf(buf, len, "%" PRId64, (int64_t)v);
		return;
	}
	uint64_t oa = v & DESC_OA_MASK;
	if (level < 3 && mmu_desc_is_table(v, level)) {
		for (int l = 1; l <= 2; l++)
			for (s = 0; tables && s < lt->nsym; s++)
				if (tables[l][s] && oa == tables[l][s]) {
					snprintf(buf, len, "%s(%s)", l == 1 ? "PMDTABLE" : "TABLE",
						 lt->sym[s]);
					return;
				}
		snprintf(buf, len, "(table:%#" PRIx64 ")", oa);
		return;
	}
	/* herd's form: only the fields that differ from the defaults */
	GString *g = g_string_new("(oa:");
	s = sym_of_pa(lt, oa);
	if (s >= 0 && oa == lit_pa(lt, s))
		g_string_append_printf(g, "PA(%s)", lt->sym[s]);
	else if (s >= 0)
		g_string_append_printf(g, "PA(%s)+%" PRIu64, lt->sym[s],
				       (uint64_t)((oa - lit_pa(lt, s)) / LIT_PAGE));
	else
		g_string_append_printf(g, "%#" PRIx64, oa);
	if (!(v & DESC_VALID))
		g_string_append(g, ", valid:0");
	if (!(v & DESC_AF))
		g_string_append(g, ", af:0");
	if (v & DESC_AP_RDONLY)
		g_string_append(g, ", db:0");
	if (v & DESC_DBM)
		g_string_append(g, ", dbm:1");
	if (!(v & DESC_AP_EL0))
		g_string_append(g, ", el0:0");
	if (v & DESC_CONT)
		g_string_append(g, ", contig:1");
	if (level < 3)
		g_string_append_printf(g, ", level:%d", level);
	for (size_t a = 1; a < G_N_ELEMENTS(attr_index); a++)
		if (((v & DESC_ATTRINDX_MASK) >> 2) == attr_index[a])
			g_string_append_printf(g, ", attrs:(%s)", attr_names[a]);
	g_string_append_c(g, ')');
	g_strlcpy(buf, g->str, len);
	g_string_free(g, TRUE);
}
