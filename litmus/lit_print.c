// SPDX-License-Identifier: GPL-2.0-only
/*
 * Locations and conditions back as text, in herd7's spelling, for the
 * state lines and the "Condition" line of the report.
 */
#include "litmus.h"

#include <glib.h>
#include <inttypes.h>
#include <stdio.h>

static void addr_str(const struct litmus *lt, const struct lit_val *a, char *buf, size_t len)
{
	const char *s = a->sym >= 0 && a->sym < lt->nsym ? lt->sym[a->sym] : "?";

	switch (a->kind) {
	case LV_PA:
		snprintf(buf, len, "PA(%s)", s);
		break;
	case LV_PTE:
		snprintf(buf, len, "%s(%s)",
			 a->level == 2	 ? "PMD"
			 : a->level == 1 ? "PUD"
					 : "PTE",
			 s);
		break;
	default:
		snprintf(buf, len, "%s", s);
		break;
	}
}

void lit_loc_str(const struct litmus *lt, const struct lit_loc *l, char *buf, size_t len)
{
	char a[48];

	if (l->is_reg) {
		snprintf(buf, len, "%d:X%d", l->thread, l->reg);
		return;
	}
	addr_str(lt, &l->addr, a, sizeof(a));
	snprintf(buf, len, "[%s]", a);
}

static void val_str(const struct litmus *lt, const struct lit_val *v, GString *g)
{
	char a[48];

	switch (v->kind) {
	case LV_INT:
		g_string_append_printf(g, "%" PRId64, v->i);
		break;
	case LV_LABEL:
		g_string_append_printf(g, "label:\"P%d:%s\"", v->thread, v->lname);
		break;
	case LV_DESC:
		g_string_append(g, "(oa:");
		if (v->d.oa_sym >= 0)
			g_string_append_printf(g, "PA(%s)", lt->sym[v->d.oa_sym]);
		else
			g_string_append(g, "0");
		if (v->d.oa_page)
			g_string_append_printf(g, "+%d", v->d.oa_page);
		if (!v->d.valid)
			g_string_append(g, ", valid:0");
		if (!v->d.af)
			g_string_append(g, ", af:0");
		if (!v->d.db)
			g_string_append(g, ", db:0");
		if (v->d.dbm)
			g_string_append(g, ", dbm:1");
		if (!v->d.el0)
			g_string_append(g, ", el0:0");
		if (v->d.contig)
			g_string_append(g, ", contig:1");
		if (v->d.level != 3)
			g_string_append_printf(g, ", level:%d", v->d.level);
		g_string_append_c(g, ')');
		break;
	case LV_TABLE:
		g_string_append_printf(g, "%s(%s)", v->level == 1 ? "PMDTABLE" : "TABLE",
				       lt->sym[v->sym]);
		break;
	default:
		addr_str(lt, v, a, sizeof(a));
		g_string_append(g, a);
		break;
	}
}

static void prop_str(const struct litmus *lt, const struct lit_prop *p, GString *g, bool top)
{
	char l[64];
	static const char *const kinds[] = {"", "MMU:Translation", "MMU:AccessFlag",
					    "MMU:Permission", "MMU:TLBConflict"};

	switch (p->kind) {
	case LP_TRUE:
		g_string_append(g, "true");
		break;
	case LP_NOT:
		g_string_append(g, "~");
		prop_str(lt, p->a, g, false);
		break;
	case LP_AND:
	case LP_OR:
		if (!top)
			g_string_append_c(g, '(');
		prop_str(lt, p->a, g, p->a->kind == p->kind);
		g_string_append(g, p->kind == LP_AND ? " /\\ " : " \\/ ");
		prop_str(lt, p->b, g, p->b->kind == p->kind);
		if (!top)
			g_string_append_c(g, ')');
		break;
	case LP_EQ:
		lit_loc_str(lt, &p->loc, l, sizeof(l));
		if (!p->loc.is_reg && p->loc.addr.kind == LV_VA) {
			/* herd prints memory cells bare when they are plain locations */
			g_string_append_printf(g, "[%s]=", lt->sym[p->loc.addr.sym]);
		} else {
			g_string_append(g, l);
			g_string_append_c(g, '=');
		}
		val_str(lt, &p->val, g);
		break;
	case LP_FAULT:
		g_string_append_printf(g, "fault(P%d", p->thread);
		if (p->label >= 0) {
			const struct lit_thread *th = &lt->th[p->thread];
			for (int i = 0; i < th->nlabels; i++)
				if (th->label_at[i] == p->label) {
					g_string_append_printf(g, ":%s", th->label_name[i]);
					break;
				}
		}
		if (p->fsym >= 0)
			g_string_append_printf(g, ",%s%s", p->fsym_pte ? "pte_" : "",
					       lt->sym[p->fsym]);
		if (p->fkind > 0)
			g_string_append_printf(g, ",%s", kinds[p->fkind]);
		g_string_append_c(g, ')');
		break;
	}
}

void lit_prop_str(const struct litmus *lt, const struct lit_prop *p, char *buf, size_t len)
{
	GString *g = g_string_new(NULL);

	prop_str(lt, p, g, true);
	g_strlcpy(buf, g->str, len);
	g_string_free(g, TRUE);
}
