// SPDX-License-Identifier: GPL-2.0-only
/*
 * The litmus parser's program part: the columns of instructions, one per
 * thread (Pn, and Pn.F for a fault handler), their labels and branch targets.
 */
#include "lit_internal.h"

#include <ctype.h>
#include <errno.h>
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* ---- instructions ------------------------------------------------------------------ */

struct reg {
	int n;
	bool wide;
};

static bool parse_reg(const char *s, struct reg *r)
{
	int n, k = 0;

	if (!strcmp(s, "XZR") || !strcmp(s, "WZR")) {
		r->n = LIT_REG_ZR;
		r->wide = s[0] == 'X';
		return true;
	}
	if ((s[0] != 'X' && s[0] != 'W') || sscanf(s + 1, "%d%n", &n, &k) != 1 || s[1 + k] ||
	    n < 0 || n > 30 || !isdigit((unsigned char)s[1]))
		return false;
	r->n = n;
	r->wide = s[0] == 'X';
	return true;
}

static bool parse_imm(const char *s, int64_t *v)
{
	if (*s == '#')
		s++;
	return lit_int(s, v);
}

struct ins_ctx {
	struct pctx *c;
	struct lit_thread *th;
	int line;
	/* branch/ADR target names, resolved at the end of the thread */
	char target[LIT_MAX_INS][16];
};

static bool want_reg(struct ins_ctx *ic, char *s, int *out, bool *wide)
{
	struct reg r;

	if (!s || !parse_reg(lit_trim(s), &r))
		return lit_fail(ic->c, ic->line, "expected a register, got '%s'",
				s ? lit_trim(s) : "");
	*out = r.n;
	if (wide)
		*wide = r.wide;
	return true;
}

/* [Xn], [Xn,#imm], [Xn,Xm], [Xn,Wm,SXTW] */
static bool parse_mem(struct ins_ctx *ic, char *s, struct lit_ins *in)
{
	char *p[4];
	int n;

	s = lit_trim(s);
	if (s[0] != '[' || s[strlen(s) - 1] != ']')
		return lit_fail(ic->c, ic->line, "expected a memory operand, got '%s'", s);
	s[strlen(s) - 1] = 0;
	n = lit_split(s + 1, ',', p, 4);
	if (n < 1 || !want_reg(ic, p[0], &in->rn, NULL))
		return false;
	if (n >= 2) {
		char *o = lit_trim(p[1]);
		if (o[0] == '#') {
			in->has_imm = true;
			if (!parse_imm(o, &in->imm))
				return lit_fail(ic->c, ic->line, "bad offset '%s'", o);
		} else if (!want_reg(ic, o, &in->rm, NULL))
			return false;
	}
	if (n == 3) {
		if (strcmp(lit_trim(p[2]), "SXTW"))
			return lit_fail(ic->c, ic->line, "unsupported extend '%s'", lit_trim(p[2]));
		in->sxtw = true;
	}
	if (n > 3)
		return lit_fail(ic->c, ic->line, "bad memory operand");
	return true;
}

static const struct {
	const char *name;
	enum lit_bar bar;
} bars[] = {{"SY", BAR_SY},	  {"ST", BAR_ST},	{"LD", BAR_LD},	   {"ISH", BAR_ISH},
	    {"ISHST", BAR_ISHST}, {"ISHLD", BAR_ISHLD}, {"NSH", BAR_NSH},  {"OSH", BAR_OSH},
	    {"NSHST", BAR_ST},	  {"NSHLD", BAR_LD},	{"OSHST", BAR_ST}, {"OSHLD", BAR_LD}};

static const struct {
	const char *name;
	enum lit_tlbi op;
	bool va;
} tlbis[] = {
	{"VAE1IS", TLBI_VAE1IS, true},	      {"VALE1IS", TLBI_VALE1IS, true},
	{"VAAE1IS", TLBI_VAAE1IS, true},      {"VAALE1IS", TLBI_VAALE1IS, true},
	{"VMALLE1IS", TLBI_VMALLE1IS, false}, {"VAE1", TLBI_VAE1, true},
	{"VALE1", TLBI_VALE1, true},	      {"VAAE1", TLBI_VAAE1, true},
	{"VAALE1", TLBI_VAALE1, true},	      {"VMALLE1", TLBI_VMALLE1, false},
};

/* The atomics' suffixes: A acquire, L release, AL both; B/H sizes are not in the subset. */
static bool atomic_suffix(const char *s, struct lit_ins *in)
{
	if (!*s)
		return true;
	if (!strcmp(s, "A"))
		in->acq = true;
	else if (!strcmp(s, "L"))
		in->rel = true;
	else if (!strcmp(s, "AL"))
		in->acq = in->rel = true;
	else
		return false;
	return true;
}

static bool parse_ins(struct ins_ctx *ic, char *text, struct lit_ins *in)
{
	struct pctx *c = ic->c;
	char *mn = text, *ops = text;
	char *o[6] = {0};
	int n = 0;

	while (*ops && !isspace((unsigned char)*ops))
		ops++;
	if (*ops)
		*ops++ = 0;
	ops = lit_trim(ops);
	if (*ops) {
		n = lit_split(ops, ',', o, 6);
		if (n < 0)
			return lit_fail(c, ic->line, "too many operands");
	}
	for (int i = 0; i < n; i++)
		o[i] = lit_trim(o[i]);
	for (char *p = mn; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	*in = (struct lit_ins){.line = ic->line,
			       .rd = -1,
			       .rn = -1,
			       .rm = -1,
			       .rs = -1,
			       .target = -1,
			       .wide = true};

	static const struct {
		const char *name;
		enum lit_op op;
	} alu[] = {{"ADD", LOP_ADD}, {"SUB", LOP_SUB}, {"AND", LOP_AND}, {"ORR", LOP_ORR},
		   {"EOR", LOP_EOR}, {"BIC", LOP_BIC}, {"LSR", LOP_LSR}, {"LSL", LOP_LSL}};
	for (size_t i = 0; i < G_N_ELEMENTS(alu); i++)
		if (!strcmp(mn, alu[i].name)) {
			in->op = alu[i].op;
			if (n < 3 || n > 4 || !want_reg(ic, o[0], &in->rd, &in->wide) ||
			    !want_reg(ic, o[1], &in->rn, NULL))
				return c->failed ? false
						 : lit_fail(c, ic->line, "%s takes 3 operands", mn);
			struct reg r;
			if (parse_reg(o[2], &r))
				in->rm = r.n;
			else if (parse_imm(o[2], &in->imm))
				in->has_imm = true;
			else
				return lit_fail(c, ic->line, "bad operand '%s'", o[2]);
			if (n == 4) {
				if (strcmp(o[3], "SXTW"))
					return lit_fail(c, ic->line, "unsupported operand '%s'",
							o[3]);
				in->sxtw = true;
			}
			return true;
		}
	if (!strcmp(mn, "NOP")) {
		in->op = LOP_NOP;
		return n == 0 || lit_fail(c, ic->line, "NOP takes no operand");
	}
	if (!strcmp(mn, "MOV")) {
		struct reg r;
		in->op = LOP_MOV;
		if (n != 2 || !want_reg(ic, o[0], &in->rd, &in->wide))
			return c->failed ? false : lit_fail(c, ic->line, "MOV takes 2 operands");
		if (parse_reg(o[1], &r))
			in->rn = r.n;
		else if (parse_imm(o[1], &in->imm))
			in->has_imm = true;
		else
			return lit_fail(c, ic->line, "bad operand '%s'", o[1]);
		return true;
	}
	if (!strcmp(mn, "CMP")) {
		struct reg r;
		in->op = LOP_CMP;
		if (n != 2 || !want_reg(ic, o[0], &in->rn, &in->wide))
			return c->failed ? false : lit_fail(c, ic->line, "CMP takes 2 operands");
		if (parse_reg(o[1], &r))
			in->rm = r.n;
		else if (parse_imm(o[1], &in->imm))
			in->has_imm = true;
		else
			return lit_fail(c, ic->line, "bad operand '%s'", o[1]);
		return true;
	}
	if (!strcmp(mn, "CSEL") || !strcmp(mn, "CSET")) {
		bool sel = mn[2] == 'E' && mn[3] == 'L';
		int nc = sel ? 3 : 1;
		in->op = sel ? LOP_CSEL : LOP_CSET;
		if (n != nc + 1 || !want_reg(ic, o[0], &in->rd, &in->wide))
			return c->failed ? false : lit_fail(c, ic->line, "%s: wrong operands", mn);
		if (sel &&
		    (!want_reg(ic, o[1], &in->rn, NULL) || !want_reg(ic, o[2], &in->rm, NULL)))
			return false;
		if (!strcmp(o[nc], "EQ"))
			in->cond = COND_EQ;
		else if (!strcmp(o[nc], "NE"))
			in->cond = COND_NE;
		else
			return lit_fail(c, ic->line, "unsupported condition '%s'", o[nc]);
		return true;
	}
	if (!strcmp(mn, "B") || !strcmp(mn, "B.EQ") || !strcmp(mn, "B.NE") || !strcmp(mn, "CBZ") ||
	    !strcmp(mn, "CBNZ") || !strcmp(mn, "ADR")) {
		int lab = 0;
		if (mn[0] == 'B') {
			in->op = mn[1] ? LOP_BCOND : LOP_B;
			in->cond = !strcmp(mn, "B.NE") ? COND_NE : COND_EQ;
			if (n != 1)
				return lit_fail(c, ic->line, "%s takes a label", mn);
		} else {
			in->op = mn[0] == 'A' ? LOP_ADR : mn[2] == 'N' ? LOP_CBNZ : LOP_CBZ;
			if (n != 2 ||
			    !want_reg(ic, o[0], in->op == LOP_ADR ? &in->rd : &in->rn, &in->wide))
				return c->failed ? false
						 : lit_fail(c, ic->line, "%s: wrong operands", mn);
			lab = 1;
		}
		if (!lit_is_ident(o[lab]) || strlen(o[lab]) >= 16)
			return lit_fail(c, ic->line, "bad label '%s'", o[lab]);
		g_strlcpy(ic->target[ic->th->nins], o[lab], 16);
		return true;
	}
	if (!strcmp(mn, "DMB") || !strcmp(mn, "DSB")) {
		in->op = mn[1] == 'M' ? LOP_DMB : LOP_DSB;
		if (n != 1)
			return lit_fail(c, ic->line, "%s takes one option", mn);
		for (size_t i = 0; i < G_N_ELEMENTS(bars); i++)
			if (!strcmp(o[0], bars[i].name)) {
				in->bar = bars[i].bar;
				return true;
			}
		return lit_fail(c, ic->line, "unsupported barrier option '%s'", o[0]);
	}
	if (!strcmp(mn, "ISB")) {
		in->op = LOP_ISB;
		return n == 0 || (n == 1 && !strcmp(o[0], "SY")) ||
		       lit_fail(c, ic->line, "ISB takes no operand");
	}
	if (!strcmp(mn, "TLBI")) {
		in->op = LOP_TLBI;
		if (n < 1)
			return lit_fail(c, ic->line, "TLBI needs an operation");
		for (char *p = o[0]; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		for (size_t i = 0; i < G_N_ELEMENTS(tlbis); i++)
			if (!strcmp(o[0], tlbis[i].name)) {
				in->tlbi = tlbis[i].op;
				if (tlbis[i].va != (n == 2))
					return lit_fail(c, ic->line, "TLBI %s: wrong operands",
							o[0]);
				return !tlbis[i].va || want_reg(ic, o[1], &in->rn, NULL);
			}
		return lit_fail(c, ic->line, "unsupported TLBI operation '%s'", o[0]);
	}
	if (!strcmp(mn, "MSR") || !strcmp(mn, "MRS")) {
		bool msr = mn[1] == 'S';
		in->op = msr ? LOP_MSR : LOP_MRS;
		if (n != 2)
			return lit_fail(c, ic->line, "%s takes 2 operands", mn);
		if (strcmp(msr ? o[0] : o[1], "ELR_EL1"))
			return lit_fail(c, ic->line, "unsupported system register '%s'",
					msr ? o[0] : o[1]);
		return want_reg(ic, msr ? o[1] : o[0], msr ? &in->rn : &in->rd, NULL);
	}
	if (!strcmp(mn, "ERET")) {
		in->op = LOP_ERET;
		return n == 0 || lit_fail(c, ic->line, "ERET takes no operand");
	}
	/* Loads and stores. */
	static const struct {
		const char *name;
		enum lit_op op;
		bool acq, rel;
	} ldst[] = {{"LDR", LOP_LDR, 0, 0},    {"LDAR", LOP_LDR, 1, 0},	 {"LDAPR", LOP_LDR, 1, 0},
		    {"STR", LOP_STR, 0, 0},    {"STLR", LOP_STR, 0, 1},	 {"LDXR", LOP_LDXR, 0, 0},
		    {"LDAXR", LOP_LDXR, 1, 0}, {"STXR", LOP_STXR, 0, 0}, {"STLXR", LOP_STXR, 0, 1}};
	for (size_t i = 0; i < G_N_ELEMENTS(ldst); i++)
		if (!strcmp(mn, ldst[i].name)) {
			int m = 1;
			in->op = ldst[i].op;
			in->acq = ldst[i].acq;
			in->rel = ldst[i].rel;
			in->acq_pc = !strcmp(mn, "LDAPR");
			if (in->op == LOP_STXR) {
				if (n < 3 || !want_reg(ic, o[0], &in->rs, NULL))
					return c->failed ? false
							 : lit_fail(c, ic->line,
								    "STXR: wrong operands");
				m = 2;
			}
			if (n < m + 1 || !want_reg(ic, o[m - 1], &in->rd, &in->wide) ||
			    !parse_mem(ic, o[m], in))
				return c->failed ? false
						 : lit_fail(c, ic->line, "%s: wrong operands", mn);
			if (n == m + 2) {
				int64_t post;
				if (in->has_imm || in->rm >= 0 || !parse_imm(o[m + 1], &post))
					return lit_fail(c, ic->line, "bad post-index '%s'",
							o[m + 1]);
				in->post = (int)post;
			} else if (n > m + 2)
				return lit_fail(c, ic->line, "%s: too many operands", mn);
			return true;
		}
	/* SWP{A,L,AL} Rs,Rt,[Xn]; CAS{A,L,AL} Rs,Rt,[Xn]; LD<op>{..} Rs,Rt,[Xn]; ST<op>{..} Rs,[Xn] */
	static const struct {
		const char *name;
		enum lit_amo amo;
	} amos[] = {{"ADD", AMO_ADD}, {"CLR", AMO_CLR}, {"SET", AMO_SET}, {"EOR", AMO_EOR}};
	if (!strncmp(mn, "SWP", 3) || !strncmp(mn, "CAS", 3)) {
		in->op = mn[0] == 'S' ? LOP_SWP : LOP_CAS;
		if (!atomic_suffix(mn + 3, in))
			return lit_fail(c, ic->line, "unsupported instruction '%s'", mn);
		if (n != 3 || !want_reg(ic, o[0], &in->rs, &in->wide) ||
		    !want_reg(ic, o[1], &in->rd, NULL) || !parse_mem(ic, o[2], in))
			return c->failed ? false : lit_fail(c, ic->line, "%s: wrong operands", mn);
		return true;
	}
	for (size_t i = 0; i < G_N_ELEMENTS(amos); i++) {
		bool ld = !strncmp(mn, "LD", 2), st = !strncmp(mn, "ST", 2);
		if ((ld || st) && !strncmp(mn + 2, amos[i].name, 3)) {
			in->op = LOP_LDOP;
			in->amo = amos[i].amo;
			if (!atomic_suffix(mn + 5, in) || (st && in->acq))
				return lit_fail(c, ic->line, "unsupported instruction '%s'", mn);
			if (ld && (n != 3 || !want_reg(ic, o[0], &in->rs, &in->wide) ||
				   !want_reg(ic, o[1], &in->rd, NULL) || !parse_mem(ic, o[2], in)))
				return c->failed ? false
						 : lit_fail(c, ic->line, "%s: wrong operands", mn);
			if (st) {
				in->rd = LIT_REG_ZR;
				if (n != 2 || !want_reg(ic, o[0], &in->rs, &in->wide) ||
				    !parse_mem(ic, o[1], in))
					return c->failed ? false
							 : lit_fail(c, ic->line,
								    "%s: wrong operands", mn);
			}
			return true;
		}
	}
	return lit_fail(c, ic->line, "unsupported instruction '%s'", mn);
}

/* ---- the program --------------------------------------------------------------------- */

int lit_label_find(const struct lit_thread *th, const char *name)
{
	for (int i = 0; i < th->nlabels; i++)
		if (!strcmp(th->label_name[i], name))
			return i;
	return -1;
}

static bool add_label(struct pctx *c, struct lit_thread *th, const char *name, int line)
{
	if (!lit_is_ident(name) || strlen(name) >= sizeof(th->label_name[0]))
		return lit_fail(c, line, "bad label '%s'", name);
	if (lit_label_find(th, name) >= 0)
		return lit_fail(c, line, "label '%s' defined twice", name);
	if (th->nlabels == LIT_MAX_LABELS)
		return lit_fail(c, line, "too many labels");
	g_strlcpy(th->label_name[th->nlabels], name, sizeof(th->label_name[0]));
	th->label_at[th->nlabels++] = th->nins;
	return true;
}

static bool parse_header_row(struct pctx *c, char *row, int line)
{
	struct litmus *lt = c->lt;
	char *cell[LIT_MAX_THREADS + 1];
	int n = lit_split(row, '|', cell, LIT_MAX_THREADS + 1);

	if (n < 0)
		return lit_fail(c, line, "more than %d threads", LIT_MAX_THREADS);
	for (int i = 0; i < n; i++) {
		char *s = lit_trim(cell[i]);
		struct lit_thread *th = &lt->th[i];
		int p, k = 0;

		th->handler = -1;
		if (s[0] != 'P' || sscanf(s + 1, "%d%n", &p, &k) != 1 || p < 0 ||
		    p >= LIT_MAX_THREADS)
			return lit_fail(c, line, "bad thread name '%s'", s);
		if (!strcmp(s + 1 + k, ".F")) {
			th->is_handler = true;
			th->owner = p;
		} else if (s[1 + k]) {
			return lit_fail(c, line, "bad thread name '%s'", s);
		} else {
			if (p != lt->nprocs)
				return lit_fail(c, line, "threads must be P0, P1, ... in order");
			th->owner = p;
			lt->nprocs++;
		}
	}
	lt->nthreads = n;
	/* Handlers come after their threads' columns: link them. */
	for (int i = 0; i < n; i++)
		if (lt->th[i].is_handler) {
			int o = lt->th[i].owner;
			if (o >= lt->nprocs || lt->th[o].handler >= 0)
				return lit_fail(c, line, "handler P%d.F without its thread", o);
			lt->th[o].handler = i;
		}
	return true;
}

bool lit_parse_program(struct pctx *c, const char *text, size_t from, size_t to)
{
	struct litmus *lt = c->lt;
	char *sec = g_strndup(text + from, to - from);
	struct ins_ctx *ic = g_new0(struct ins_ctx, LIT_MAX_THREADS);
	bool header = true, ok = true;
	char *p = sec;

	while (ok && *p) {
		char *semi = strchr(p, ';');
		char *row = p;
		int line = lit_line_at(text, from + (size_t)(p - sec));

		if (!semi) {
			if (*lit_trim(p))
				ok = lit_fail(c,
					      lit_line_at(text, from + (size_t)(lit_trim(p) - sec)),
					      "program row without ';'");
			break;
		}
		*semi = 0;
		p = semi + 1;
		/* line of the first non-blank character of the row */
		char *q = row;
		while (*q && isspace((unsigned char)*q))
			q++;
		line = lit_line_at(text, from + (size_t)(q - sec));
		if (header) {
			if (!*lit_trim(row))
				continue;
			ok = parse_header_row(c, row, line);
			header = false;
			for (int i = 0; i < lt->nthreads; i++) {
				ic[i].c = c;
				ic[i].th = &lt->th[i];
			}
			continue;
		}
		char *cell[LIT_MAX_THREADS + 1];
		int n = lit_split(row, '|', cell, LIT_MAX_THREADS + 1);
		if (n < 0 || n > lt->nthreads) {
			ok = lit_fail(c, line, "row with more columns than threads");
			break;
		}
		for (int i = 0; ok && i < n; i++) {
			char *s = lit_trim(cell[i]);
			struct lit_thread *th = &lt->th[i];
			char *colon;

			ic[i].line = line;
			/* "L0:" labels, possibly several, possibly alone */
			while ((colon = strchr(s, ':')) &&
			       (size_t)(colon - s) == strcspn(s, " \t,:[")) {
				*colon = 0;
				if (!(ok = add_label(c, th, lit_trim(s), line)))
					break;
				s = lit_trim(colon + 1);
			}
			if (!ok || !*s)
				continue;
			if (th->nins == LIT_MAX_INS) {
				ok = lit_fail(c, line, "more than %d instructions in a thread",
					      LIT_MAX_INS);
				break;
			}
			if (!parse_ins(&ic[i], s, &th->ins[th->nins]))
				ok = false;
			else
				th->nins++;
		}
	}
	if (ok && header)
		ok = lit_fail(c, lit_line_at(text, from), "no program");
	/* Branch targets. */
	for (int i = 0; ok && i < lt->nthreads; i++) {
		struct lit_thread *th = &lt->th[i];
		for (int k = 0; ok && k < th->nins; k++) {
			struct lit_ins *in = &th->ins[k];
			if (!ic[i].target[k][0])
				continue;
			int l = lit_label_find(th, ic[i].target[k]);
			in->target_th = i;
			if (l < 0 && th->is_handler && in->op == LOP_ADR) {
				in->target_th = th->owner;
				l = lit_label_find(&lt->th[th->owner], ic[i].target[k]);
			}
			if (l < 0)
				ok = lit_fail(c, in->line, "undefined label '%s'", ic[i].target[k]);
			else
				in->target = lt->th[in->target_th].label_at[l];
		}
	}
	g_free(ic);
	g_free(sec);
	return ok;
}
