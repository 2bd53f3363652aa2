/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * t_litmus: herd7's AArch64 litmus tests run on the simulated machine, for
 * the memory model's tests. A test file is parsed (initial state, one
 * column of instructions per thread, the final condition), each thread
 * runs as a CPU program through the cpu_*() accessors, registers carrying
 * their dependencies (cpu_dep_t), and the condition is evaluated on the
 * final registers and memory. Only the instructions the catalogue uses:
 * MOV, ADD, AND, EOR, ORR, CMP, B.EQ, B.NE, CBZ, CBNZ, CSEL, NOP, LDR,
 * LDAR, LDAPR, STR, STLR, DMB SY/LD/ST, CAS/SWP/LDADD (A, L, AL forms),
 * STADD, with [Xn], [Xn,Wm,SXTW] and [Xn,Xm] addresses.
 */
#ifndef BBMSIM_T_LITMUS_H
#define BBMSIM_T_LITMUS_H

#include "sim/cpu.h"
#include "sim/pmem.h"
#include "sim/scenario.h"

#include <ctype.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIT_THREADS 4
#define LIT_INSNS   32
#define LIT_VARS    8
#define LIT_ZR	    31

enum lit_op {
	LIT_NOP,
	LIT_MOV,
	LIT_ALU,
	LIT_CMP,
	LIT_BCC,
	LIT_CBZ,
	LIT_CSEL,
	LIT_LDR,
	LIT_STR,
	LIT_DMB,
	LIT_RMW,
	LIT_STADD,
};

struct lit_insn {
	enum lit_op op;
	char alu;	      /* '+', '&', '^', '|' */
	bool eq;	      /* B.EQ / CBZ / CSEL ...,EQ (else NE) */
	enum cpu_order ord;   /* loads, stores, atomics */
	enum cpu_rmw_op rmw;  /* CAS, SWP, LDADD */
	enum cpu_barrier bar; /* DMB */
	int rd, rn, rm;	      /* rm < 0: the immediate */
	int base, index;      /* [X base, W index, SXTW]; index < 0: none */
	int64_t imm;
	char label[16]; /* branch target, resolved into .target */
	int target;
};

struct lit_test {
	char name[80];
	int nthreads, nvars;
	char var[LIT_VARS][16];
	uint64_t var_init[LIT_VARS];
	int reg_var[LIT_THREADS][32]; /* -1: a number in reg_val */
	uint64_t reg_val[LIT_THREADS][32];
	struct lit_insn prog[LIT_THREADS][LIT_INSNS];
	int n[LIT_THREADS];
	char label[LIT_THREADS][LIT_INSNS][16]; /* a label before insn i */
	char cond[512];
	int quant; /* 0: exists, 1: ~exists, 2: forall */
};

/* The run in progress (one at a time). */
static struct lit_test *lit_cur;
static uint64_t lit_addr[LIT_VARS];
static uint64_t lit_reg[LIT_THREADS][32];
/* Runs of the last lit_explore() that were executions (not infeasible). */
static unsigned lit_feasible;

/*
 * The values thread @th may store, for promises (cpu_promise_values()):
 * its immediates and numeric initial registers (0 among them). Values it
 * computes from loads need no promise of their own: a store of one is
 * ordered after its load (a data dependency) in every allowed outcome.
 */
static unsigned lit_store_values(const struct lit_test *t, int th, uint64_t *vals, unsigned max)
{
	unsigned n = 0;
	bool stores = false;

	for (int i = 0; i < t->n[th]; i++)
		stores |= t->prog[th][i].op == LIT_STR;
	if (!stores)
		return 0;
	vals[n++] = 0;
	for (int r = 0; r < 32 && n < max; r++)
		if (t->reg_var[th][r] < 0 && t->reg_val[th][r])
			vals[n++] = t->reg_val[th][r];
	for (int i = 0; i < t->n[th] && n < max; i++) {
		const struct lit_insn *in = &t->prog[th][i];

		if (((in->op == LIT_MOV && in->rn < 0) || (in->op == LIT_ALU && in->rm < 0)) &&
		    in->imm)
			vals[n++] = (uint64_t)in->imm;
	}
	return n;
}

static int lit_var(struct lit_test *t, const char *name, bool add)
{
	for (int i = 0; i < t->nvars; i++)
		if (!strcmp(t->var[i], name))
			return i;
	if (!add || t->nvars == LIT_VARS)
		return -1;
	snprintf(t->var[t->nvars], sizeof(t->var[0]), "%s", name);
	return t->nvars++;
}

static int lit_regno(const char *s)
{
	if (!strcasecmp(s, "WZR") || !strcasecmp(s, "XZR"))
		return LIT_ZR;
	if ((s[0] == 'W' || s[0] == 'X') && isdigit((unsigned char)s[1]))
		return atoi(s + 1);
	return -2;
}

static char *lit_trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

/* Splits "a, b ,c" into at most @max trimmed operands. */
static int lit_split(char *s, char **out, int max)
{
	int n = 0;

	for (char *tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ","))
		out[n++] = lit_trim(tok);
	return n;
}

static enum cpu_order lit_suffix_order(const char *sfx)
{
	if (!strcmp(sfx, "A"))
		return CPU_ACQ;
	if (!strcmp(sfx, "L"))
		return CPU_REL;
	if (!strcmp(sfx, "AL"))
		return CPU_AL;
	return CPU_PLAIN;
}

/* One instruction; false if not understood. */
static bool lit_parse_insn(struct lit_test *t, int th, char *text)
{
	struct lit_insn *in = &t->prog[th][t->n[th]];
	char mn[16] = "", *ops[4], *mem = NULL, *br, *rest;
	int nops;

	text = lit_trim(text);
	if (!*text)
		return true;
	if (text[strlen(text) - 1] == ':') {
		text[strlen(text) - 1] = 0;
		snprintf(t->label[th][t->n[th]], 16, "%s", text);
		return true;
	}
	memset(in, 0, sizeof(*in));
	in->index = -1;
	sscanf(text, "%15s", mn);
	for (char *p = mn; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	rest = text + strcspn(text, " \t");
	br = strchr(rest, '[');
	if (br) {
		char *end = strchr(br, ']'), *mops[3];
		int nm;

		if (!end)
			return false;
		*end = 0;
		mem = br + 1;
		*br = 0;
		nm = lit_split(mem, mops, 3);
		in->base = lit_regno(mops[0]);
		if (nm > 1)
			in->index = lit_regno(mops[1]);
	}
	nops = lit_split(rest, ops, 4);
	if (nops && !*ops[nops - 1])
		nops--;
	if (!strcmp(mn, "NOP")) {
		in->op = LIT_NOP;
	} else if (!strcmp(mn, "MOV") && nops == 2) {
		in->op = LIT_MOV;
		in->rd = lit_regno(ops[0]);
		in->rn = ops[1][0] == '#' ? -1 : lit_regno(ops[1]);
		in->imm = ops[1][0] == '#' ? strtoll(ops[1] + 1, NULL, 0) : 0;
	} else if ((!strcmp(mn, "ADD") || !strcmp(mn, "AND") || !strcmp(mn, "EOR") ||
		    !strcmp(mn, "ORR")) &&
		   nops == 3) {
		in->op = LIT_ALU;
		in->alu = mn[0] == 'A' ? (mn[1] == 'D' ? '+' : '&') : mn[0] == 'E' ? '^' : '|';
		in->rd = lit_regno(ops[0]);
		in->rn = lit_regno(ops[1]);
		in->rm = ops[2][0] == '#' ? -1 : lit_regno(ops[2]);
		in->imm = ops[2][0] == '#' ? strtoll(ops[2] + 1, NULL, 0) : 0;
	} else if (!strcmp(mn, "CMP") && nops == 2) {
		in->op = LIT_CMP;
		in->rn = lit_regno(ops[0]);
		in->rm = ops[1][0] == '#' ? -1 : lit_regno(ops[1]);
		in->imm = ops[1][0] == '#' ? strtoll(ops[1] + 1, NULL, 0) : 0;
	} else if ((!strcmp(mn, "B.EQ") || !strcmp(mn, "B.NE")) && nops == 1) {
		in->op = LIT_BCC;
		in->eq = mn[2] == 'E'; /* B.EQ */
		snprintf(in->label, sizeof(in->label), "%s", ops[0]);
	} else if ((!strcmp(mn, "CBZ") || !strcmp(mn, "CBNZ")) && nops == 2) {
		in->op = LIT_CBZ;
		in->eq = !strcmp(mn, "CBZ");
		in->rn = lit_regno(ops[0]);
		snprintf(in->label, sizeof(in->label), "%s", ops[1]);
	} else if (!strcmp(mn, "CSEL") && nops == 4) {
		in->op = LIT_CSEL;
		in->rd = lit_regno(ops[0]);
		in->rn = lit_regno(ops[1]);
		in->rm = lit_regno(ops[2]);
		in->eq = !strcasecmp(ops[3], "EQ");
	} else if (!strcmp(mn, "ISB") && nops == 0) {
		in->op = LIT_DMB;
		in->bar = CPU_ISB;
	} else if (!strcmp(mn, "DMB") && nops == 1) {
		in->op = LIT_DMB;
		in->bar = !strcasecmp(ops[0], "LD")   ? CPU_DMB_ISHLD
			  : !strcasecmp(ops[0], "ST") ? CPU_DMB_ISHST
						      : CPU_DMB_ISH;
	} else if (mem && (!strcmp(mn, "LDR") || !strcmp(mn, "LDAR") || !strcmp(mn, "LDAPR")) &&
		   nops == 1) {
		in->op = LIT_LDR;
		in->ord = mn[2] == 'R' ? CPU_PLAIN : mn[3] == 'P' ? CPU_ACQ_PC : CPU_ACQ;
		in->rd = lit_regno(ops[0]);
	} else if (mem && (!strcmp(mn, "STR") || !strcmp(mn, "STLR")) && nops == 1) {
		in->op = LIT_STR;
		in->ord = mn[2] == 'L' ? CPU_REL : CPU_PLAIN;
		in->rd = lit_regno(ops[0]);
	} else if (mem && !strncmp(mn, "STADD", 5) && nops == 1) {
		in->op = LIT_STADD;
		in->ord = lit_suffix_order(mn + 5);
		in->rn = lit_regno(ops[0]);
	} else if (mem && nops == 2 &&
		   (!strncmp(mn, "CAS", 3) || !strncmp(mn, "SWP", 3) || !strncmp(mn, "LDADD", 5))) {
		in->op = LIT_RMW;
		in->rmw = mn[0] == 'C'	 ? CPU_RMW_CMPXCHG
			  : mn[0] == 'S' ? CPU_RMW_XCHG
					 : CPU_RMW_ADD;
		in->ord = lit_suffix_order(mn + (mn[0] == 'L' ? 5 : 3));
		in->rn = lit_regno(ops[0]); /* Ws: compare value / source */
		in->rd = lit_regno(ops[1]); /* Wt: new value (CAS) / destination */
	} else {
		return false;
	}
	t->n[th]++;
	return true;
}

/* Parses a litmus test's text; false with @err set if it cannot. */
static bool lit_parse_text(const char *text, struct lit_test *t, char *err, size_t errlen)
{
	gchar **lines;
	bool ok = false, in_init = false, in_prog = false, in_cond = false;
	GString *cond = g_string_new(NULL);

	memset(t, 0, sizeof(*t));
	memset(t->reg_var, 0xff, sizeof(t->reg_var));
	lines = g_strsplit(text, "\n", -1);
	/* (* comments *) go. */
	for (int i = 0; lines[i]; i++) {
		char *c = strstr(lines[i], "(*"), *e = c ? strstr(c, "*)") : NULL;

		if (c)
			memset(c, ' ', e ? (size_t)(e + 2 - c) : strlen(c));
	}
	sscanf(lines[0], "AArch64 %79s", t->name);
	for (int i = 1; lines[i]; i++) {
		char *l = lit_trim(lines[i]);

		if (!in_init && !in_prog && !in_cond && l[0] == '{') {
			in_init = true;
			l++;
		}
		if (in_init) {
			char *close = strchr(l, '}');

			if (close)
				*close = 0;
			for (char *tok = strtok(l, ";"); tok; tok = strtok(NULL, ";")) {
				char *e = strchr(tok, '='), *lhs, *rhs;
				int th = -1;

				if (!e)
					continue;
				*e = 0;
				lhs = lit_trim(tok);
				rhs = lit_trim(e + 1);
				if (!strncmp(lhs, "int ", 4) || !strncmp(lhs, "uint64_t ", 9))
					lhs = lit_trim(strchr(lhs, ' '));
				if (isdigit((unsigned char)lhs[0]) && strchr(lhs, ':')) {
					th = atoi(lhs);
					lhs = lit_trim(strchr(lhs, ':') + 1);
				}
				if (th >= 0 && th < LIT_THREADS) {
					int r = lit_regno(lhs);

					if (r < 0 || r >= 32)
						continue;
					if (isdigit((unsigned char)rhs[0]) || rhs[0] == '-')
						t->reg_val[th][r] = (uint64_t)strtoll(rhs, NULL, 0);
					else
						t->reg_var[th][r] = lit_var(t, rhs, true);
				} else {
					t->var_init[lit_var(t, lhs, true)] = strtoull(rhs, NULL, 0);
				}
			}
			if (close)
				in_init = false, in_prog = true;
			continue;
		}
		if (in_prog && strchr(l, '|') == NULL && strchr(l, ';') && l[0] == 'P' &&
		    t->nthreads == 0) {
			t->nthreads = 1; /* one thread: "P0 ;" */
			continue;
		}
		if (in_prog && (strchr(l, '|') || (t->nthreads == 1 && strchr(l, ';')))) {
			char *cols[LIT_THREADS + 1];
			int nc = 0;

			if (l[strlen(l) - 1] == ';')
				l[strlen(l) - 1] = 0;
			for (char *c = l, *bar; nc <= LIT_THREADS; c = bar + 1) {
				bar = strchr(c, '|');
				if (bar)
					*bar = 0;
				cols[nc++] = c;
				if (!bar)
					break;
			}
			if (lit_trim(cols[0])[0] == 'P' && !t->nthreads) {
				t->nthreads = nc;
				continue;
			}
			for (int c = 0; c < nc && c < t->nthreads; c++)
				if (!lit_parse_insn(t, c, cols[c])) {
					snprintf(err, errlen, "%s: '%s' not understood", t->name,
						 lit_trim(cols[c]));
					goto out;
				}
			continue;
		}
		if (in_prog && (!strncmp(l, "exists", 6) || !strncmp(l, "~exists", 7) ||
				!strncmp(l, "forall", 6))) {
			t->quant = l[0] == '~' ? 1 : l[0] == 'f' ? 2 : 0;
			g_string_append(cond, l + (l[0] == '~' ? 7 : 6));
			in_prog = false;
			in_cond = true;
			continue;
		}
		if (in_cond)
			g_string_append_printf(cond, " %s", l);
	}
	snprintf(t->cond, sizeof(t->cond), "%s", cond->str);
	/* Branch targets. */
	for (int th = 0; th < t->nthreads; th++)
		for (int i = 0; i < t->n[th]; i++) {
			struct lit_insn *in = &t->prog[th][i];

			if (in->op != LIT_BCC && in->op != LIT_CBZ)
				continue;
			in->target = -1;
			for (int j = 0; j <= t->n[th]; j++)
				if (!strcmp(t->label[th][j], in->label))
					in->target = j;
			if (in->target < 0) {
				snprintf(err, errlen, "%s: label %s not found", t->name, in->label);
				goto out;
			}
		}
	ok = t->nthreads > 0;
	if (!ok)
		snprintf(err, errlen, "%s: no threads", t->name);
out:
	g_strfreev(lines);
	g_string_free(cond, TRUE);
	return ok;
}

static bool lit_parse(const char *path, struct lit_test *t, char *err, size_t errlen)
{
	gchar *text = NULL;
	bool ok;

	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		snprintf(err, errlen, "%.200s: cannot read", path);
		return false;
	}
	ok = lit_parse_text(text, t, err, errlen);
	g_free(text);
	return ok;
}

/* ---- running one ------------------------------------------------------------------------ */

static int lit_setup(struct sim *sim, char *err, size_t errlen)
{
	for (int v = 0; v < lit_cur->nvars; v++) {
		lit_addr[v] = sim_kdata_alloc(sim, 64, 64);
		pmem_write(sim->mem, lit_addr[v], 4, lit_cur->var_init[v]);
	}
	/*
	 * Before any thread runs, so that the first access may read a
	 * promise; every branch of lit_cpu_main() passes its dependency.
	 */
	for (int th = 0; th < lit_cur->nthreads; th++) {
		uint64_t vals[8];

		cpu_promise_values(&sim->cpus[th], vals, lit_store_values(lit_cur, th, vals, 8));
	}
	return 0;
}

static void lit_cpu_main(struct sim_cpu *cpu)
{
	const struct lit_test *t = lit_cur;
	unsigned th = cpu->id;
	uint64_t r[32] = {0};
	cpu_dep_t d[32] = {0}, fdep = 0;
	bool zf = false;

	if ((int)th >= t->nthreads)
		return;

	for (int i = 0; i < 32; i++)
		r[i] = t->reg_var[th][i] >= 0 ? lit_addr[t->reg_var[th][i]] : t->reg_val[th][i];
	r[LIT_ZR] = 0;
	for (int pc = 0; pc < t->n[th];) {
		const struct lit_insn *in = &t->prog[th][pc++];
		uint64_t a = in->base >= 0 ? r[in->base] : 0, b, v;
		cpu_dep_t ad = d[in->base];

		if (in->index >= 0) {
			a += (uint64_t)(int64_t)(int32_t)r[in->index];
			ad = cpu_dep_join(ad, d[in->index]);
		}
		switch (in->op) {
		case LIT_NOP:
			break;
		case LIT_MOV:
			r[in->rd] = in->rn < 0 ? (uint64_t)in->imm : r[in->rn];
			d[in->rd] = in->rn < 0 ? 0 : d[in->rn];
			break;
		case LIT_ALU:
			b = in->rm < 0 ? (uint64_t)in->imm : r[in->rm];
			v = r[in->rn];
			v = in->alu == '+'   ? v + b
			    : in->alu == '&' ? v & b
			    : in->alu == '^' ? v ^ b
					     : v | b;
			r[in->rd] = v & 0xffffffff;
			d[in->rd] = cpu_dep_join(d[in->rn], in->rm < 0 ? 0 : d[in->rm]);
			break;
		case LIT_CMP:
			b = in->rm < 0 ? (uint64_t)in->imm : r[in->rm];
			zf = (r[in->rn] & 0xffffffff) == (b & 0xffffffff);
			fdep = cpu_dep_join(d[in->rn], in->rm < 0 ? 0 : d[in->rm]);
			break;
		case LIT_BCC:
			cpu_ctrl_dep(cpu, fdep);
			if (zf == in->eq)
				pc = in->target;
			break;
		case LIT_CBZ:
			cpu_ctrl_dep(cpu, d[in->rn]);
			if ((r[in->rn] == 0) == in->eq)
				pc = in->target;
			break;
		case LIT_CSEL:
			v = zf == in->eq ? r[in->rn] : r[in->rm];
			/*
			 * herd: a dependency on the source selected only, none
			 * on the flags (LB+rel+CSEL is allowed)
			 */
			d[in->rd] = zf == in->eq ? d[in->rn] : d[in->rm];
			r[in->rd] = v;
			break;
		case LIT_LDR:
			v = cpu_load_x(cpu, a, 4, in->ord, ad);
			if (in->rd != LIT_ZR) {
				r[in->rd] = v;
				d[in->rd] = cpu_dep(cpu);
			}
			break;
		case LIT_STR:
			cpu_store_x(cpu, a, 4, r[in->rd] & 0xffffffff, in->ord, ad, d[in->rd]);
			break;
		case LIT_DMB:
			cpu_barrier(cpu, in->bar);
			break;
		case LIT_RMW:
			if (in->rmw == CPU_RMW_CMPXCHG && in->rn == LIT_ZR) {
				cpu_rmw(cpu, CPU_RMW_CMPXCHG | CPU_RMW_NORET, a, 4, 0, r[in->rd],
					in->ord, ad, d[in->rd]);
			} else if (in->rmw == CPU_RMW_CMPXCHG) {
				r[in->rn] = cpu_cas_x(cpu, a, 4, r[in->rn], d[in->rn], r[in->rd],
						      in->ord, ad, d[in->rd]);
				d[in->rn] = cpu_dep(cpu);
			} else {
				v = cpu_rmw(cpu, in->rmw | (in->rd == LIT_ZR ? CPU_RMW_NORET : 0),
					    a, 4, 0, r[in->rn], in->ord, ad, d[in->rn]);
				if (in->rd != LIT_ZR) {
					r[in->rd] = v;
					d[in->rd] = cpu_dep(cpu);
				}
			}
			break;
		case LIT_STADD:
			cpu_rmw(cpu, CPU_RMW_ADD | CPU_RMW_NORET, a, 4, 0, r[in->rn], in->ord, ad,
				d[in->rn]);
			break;
		}
		r[LIT_ZR] = 0;
		d[LIT_ZR] = 0;
	}
	memcpy(lit_reg[th], r, sizeof(r));
}

static const struct scenario lit_scn = {
	.name = "test-litmus",
	.est_steps = 40,
	.setup = lit_setup,
	.cpu_main = lit_cpu_main,
};

/* ---- the final condition ------------------------------------------------------------------ */

struct lit_eval {
	const char *p;
	struct sim *sim;
};

static void lit_ws(struct lit_eval *e)
{
	while (isspace((unsigned char)*e->p))
		e->p++;
}

static bool lit_expr(struct lit_eval *e);

static bool lit_atom(struct lit_eval *e)
{
	char lhs[32] = "";
	int n = 0, th = -1;
	uint64_t want, have;

	lit_ws(e);
	if (*e->p == '~') {
		e->p++;
		return !lit_atom(e);
	}
	if (*e->p == '(') {
		bool v;

		e->p++;
		v = lit_expr(e);
		lit_ws(e);
		if (*e->p == ')')
			e->p++;
		return v;
	}
	if (isdigit((unsigned char)*e->p)) {
		th = (int)strtol(e->p, (char **)&e->p, 10);
		lit_ws(e);
		e->p++; /* ':' */
		lit_ws(e);
	}
	while (*e->p &&
	       (isalnum((unsigned char)*e->p) || *e->p == '[' || *e->p == ']' || *e->p == '_') &&
	       n < 31)
		lhs[n++] = *e->p++;
	lit_ws(e);
	e->p++; /* '=' */
	lit_ws(e);
	want = strtoull(e->p, (char **)&e->p, 0);
	if (th >= 0) {
		have = lit_reg[th][lit_regno(lhs)];
		if (lhs[0] == 'W')
			have &= 0xffffffff;
	} else {
		char *name = lhs[0] == '[' ? lhs + 1 : lhs;

		name[strcspn(name, "]")] = 0;
		have = pmem_read(e->sim->mem, lit_addr[lit_var(lit_cur, name, false)], 4);
	}
	return have == want;
}

static bool lit_term(struct lit_eval *e)
{
	bool v = lit_atom(e);

	for (lit_ws(e); e->p[0] == '/' && e->p[1] == '\\'; lit_ws(e)) {
		e->p += 2;
		v = lit_atom(e) && v;
	}
	return v;
}

static bool lit_expr(struct lit_eval *e)
{
	bool v = lit_term(e);

	for (lit_ws(e); e->p[0] == '\\' && e->p[1] == '/'; lit_ws(e)) {
		e->p += 2;
		v = lit_term(e) || v;
	}
	return v;
}

/*
 * Runs @t under seeds 1..@n (random schedules, --memory @memory); returns
 * how many final states satisfy the condition's proposition; lit_feasible
 * counts the runs that were executions (the others are infeasible).
 */
static unsigned lit_explore(struct lit_test *t, const char *memory, unsigned n)
{
	struct sim_options o;
	struct sim_costs c;
	unsigned hits = 0;
	char err[300];

	sim_options_default(&o);
	costs_default(&c);
	sim_opt_set_uint(&o, OPT_cpus, (uint32_t)t->nthreads);
	snprintf(o.sched, sizeof(o.sched), "random");
	sim_opt_set_str(&o, OPT_memory, memory);
	lit_cur = t;
	lit_feasible = 0;
	for (unsigned s = 1; s <= n; s++) {
		struct sim *sim;
		struct lit_eval e;

		o.seed = s;
		sim = sim_create(&lit_scn, &o, &c, NULL, err, sizeof(err));
		if (!sim)
			g_error("%s", err);
		sim->fibers = sim_fibers_available();
		sim->keep_trace = false;
		memset(lit_reg, 0, sizeof(lit_reg));
		if (sim_run(sim, err, sizeof(err)))
			g_error("%s: %s", t->name, err);
		if (!sim->infeasible) {
			e = (struct lit_eval){.p = t->cond, .sim = sim};
			hits += lit_expr(&e);
			lit_feasible++;
		}
		sim_destroy(sim);
	}
	return hits;
}

#endif
