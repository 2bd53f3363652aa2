// SPDX-License-Identifier: GPL-2.0-only
/*
 * The litmus parser: herd7's AArch64 syntax as the catalogue uses it.
 *
 * A test is four parts: the header line and key=value lines (Variant,
 * TTHM, Hash), the init section in braces, the program as columns separated
 * by '|' and rows ended by ';', and the final part (locations, filter, the
 * condition). Comments (* ... *) are blanked first, keeping line numbers.
 * Anything we do not know is an error naming the line: a test we would
 * half-understand gives verdicts that mean nothing.
 */
#include "lit_internal.h"

#include <ctype.h>
#include <errno.h>
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the init section ------------------------------------------------------------ */

static bool parse_init_item(struct pctx *c, char *item, int line)
{
	struct litmus *lt = c->lt;
	struct lit_init in = {.line = line};
	char *s = lit_trim(item), *eq;

	if (!*s)
		return true;
	/* Type prefixes: int x=1; pteval_t 0:X1=(...); uint64_t x; */
	static const char *const types[] = {"int",	"uint64_t", "int64_t",	 "pteval_t",
					    "uint32_t", "intptr_t", "uintptr_t", "int32_t"};
	for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
		size_t n = strlen(types[i]);
		if (!strncmp(s, types[i], n) && isspace((unsigned char)s[n])) {
			s = lit_trim(s + n);
			break;
		}
	}
	if (s[0] == '*')
		return lit_fail(c, line, "pointer declarations are not supported");
	eq = strchr(s, '=');
	if (!eq) {
		/* "int y" declares y with 0, "int64_t 1:X0" a register */
		struct lit_val v;
		int th, reg;

		if (lit_reg_loc(s, &th, &reg))
			return true;
		return lit_addr(c, s, line, &v) && v.kind == LV_VA
			       ? true
			       : lit_fail(c, line, "bad declaration '%s'", s);
	}
	*eq = 0;
	if (!lit_loc_parse(c, s, line, &in.loc) || !lit_val_parse(c, eq + 1, line, &in.val))
		return false;
	if (!in.loc.is_reg && in.loc.addr.kind == LV_PA)
		return lit_fail(c, line, "physical locations cannot be initialised");
	if (in.val.kind == LV_DESC && in.val.d.oa_sym < 0 && !in.loc.is_reg)
		in.val.d.oa_sym = in.loc.addr.sym; /* pte_x=(af:0) maps x's own page */
	if (!in.loc.is_reg && in.loc.addr.kind == LV_PTE && in.val.kind != LV_DESC &&
	    in.val.kind != LV_TABLE)
		return lit_fail(c, line, "a descriptor location takes a (...) value");
	lt->init = g_renew(struct lit_init, lt->init, lt->ninit + 1);
	lt->init[lt->ninit++] = in;
	return true;
}

static bool parse_init(struct pctx *c, const char *text, size_t from, size_t to)
{
	char *sec = g_strndup(text + from, to - from);
	int depth = 0;
	char *start = sec;
	bool ok = true;

	for (char *p = sec;; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		if ((*p == ';' && depth == 0) || !*p) {
			bool end = !*p;
			*p = 0;
			/* line of the item's first non-blank character */
			char *q = start;
			while (*q && isspace((unsigned char)*q))
				q++;
			int line = lit_line_at(text, from + (size_t)(q - sec));
			if (depth != 0)
				ok = lit_fail(c, line,
					      "unbalanced parentheses in the init section");
			else if (!parse_init_item(c, start, line))
				ok = false;
			if (end || !ok)
				break;
			start = p + 1;
		}
	}
	g_free(sec);
	return ok;
}

/* ---- the final part: locations, filter, condition --------------------------------------- */

struct tok {
	const char *text; /* the whole file */
	const char *p;
	size_t base;
	struct pctx *c;
	struct litmus *lt;
};

static int tok_line(struct tok *t)
{
	return lit_line_at(t->text, (size_t)(t->p - t->text));
}

static void skip_ws(struct tok *t)
{
	while (isspace((unsigned char)*t->p))
		t->p++;
}

static bool tok_is(struct tok *t, const char *s)
{
	skip_ws(t);
	return !strncmp(t->p, s, strlen(s));
}

static bool tok_eat(struct tok *t, const char *s)
{
	if (!tok_is(t, s))
		return false;
	t->p += strlen(s);
	return true;
}

static struct lit_prop *new_prop(struct litmus *lt, enum lit_prop_kind k)
{
	struct lit_prop *p = g_new0(struct lit_prop, 1);

	p->kind = k;
	lt->props = g_renew(struct lit_prop *, lt->props, lt->nprops + 1);
	lt->props[lt->nprops++] = p;
	return p;
}

/* Text up to the end of an atom: stops at /\, \/, ')' at depth 0, or the end. */
static char *atom_text(struct tok *t)
{
	const char *s = t->p;
	int depth = 0;
	bool quote = false;

	for (; *t->p; t->p++) {
		char ch = *t->p;
		if (ch == '"')
			quote = !quote;
		if (quote)
			continue;
		if (ch == '(' || ch == '[')
			depth++;
		else if (ch == ')' || ch == ']') {
			if (depth == 0)
				break;
			depth--;
		} else if (depth == 0 && (!strncmp(t->p, "/\\", 2) || !strncmp(t->p, "\\/", 2)))
			break;
		else if (depth == 0 && ch == ';')
			break;
	}
	return g_strndup(s, (size_t)(t->p - s));
}

static struct lit_prop *parse_or(struct tok *t);

int lit_thread_label(struct litmus *lt, int th, const char *name)
{
	if (th >= lt->nthreads)
		return -2;
	int l = lit_label_find(&lt->th[th], name);
	return l < 0 ? -2 : lt->th[th].label_at[l];
}

static struct lit_prop *parse_fault(struct tok *t, char *args, int line)
{
	struct pctx *c = t->c;
	struct lit_prop *p = new_prop(t->lt, LP_FAULT);
	char *a[4];
	int n = lit_split(args, ',', a, 4), th, k = 0;

	p->label = -1;
	p->fsym = -1;
	p->fkind = -1;
	if (n < 1 || n > 3) {
		lit_fail(c, line, "fault() takes 1 to 3 arguments");
		return NULL;
	}
	char *who = lit_trim(a[0]), *colon = strchr(who, ':');
	if (colon)
		*colon = 0;
	if (who[0] != 'P' || sscanf(who + 1, "%d%n", &th, &k) != 1 || who[1 + k] || th < 0 ||
	    th >= t->lt->nprocs) {
		lit_fail(c, line, "bad thread '%s' in fault()", who);
		return NULL;
	}
	p->thread = th;
	if (colon) {
		p->label = lit_thread_label(t->lt, th, lit_trim(colon + 1));
		if (p->label < 0) {
			lit_fail(c, line, "undefined label '%s' in fault()", lit_trim(colon + 1));
			return NULL;
		}
	}
	if (n >= 2) {
		struct lit_val v;
		if (!lit_addr(c, a[1], line, &v))
			return NULL;
		if (v.kind != LV_VA && v.kind != LV_PTE) {
			lit_fail(c, line, "fault() names a virtual location");
			return NULL;
		}
		p->fsym = v.sym;
		p->fsym_pte = v.kind == LV_PTE;
	}
	if (n == 3) {
		char *kind = lit_trim(a[2]);
		if (!strcmp(kind, "MMU:Translation"))
			p->fkind = 1;
		else if (!strcmp(kind, "MMU:AccessFlag"))
			p->fkind = 2;
		else if (!strcmp(kind, "MMU:Permission"))
			p->fkind = 3;
		else if (!strcmp(kind, "MMU:TLBConflict"))
			p->fkind = 4;
		else {
			lit_fail(c, line, "unsupported fault kind '%s'", kind);
			return NULL;
		}
	}
	return p;
}

static struct lit_prop *parse_atom(struct tok *t)
{
	struct pctx *c = t->c;
	int line = tok_line(t);

	if (tok_eat(t, "~") || tok_eat(t, "not ") || (tok_eat(t, "not(") && (t->p--, true))) {
		struct lit_prop *p = new_prop(t->lt, LP_NOT);
		if (!(p->a = parse_atom(t)))
			return NULL;
		return p;
	}
	if (tok_eat(t, "(")) {
		struct lit_prop *p = parse_or(t);
		if (!p)
			return NULL;
		if (!tok_eat(t, ")")) {
			lit_fail(c, tok_line(t), "expected ')'");
			return NULL;
		}
		return p;
	}
	if (tok_eat(t, "true"))
		return new_prop(t->lt, LP_TRUE);
	if (tok_eat(t, "false")) {
		struct lit_prop *p = new_prop(t->lt, LP_NOT);
		p->a = new_prop(t->lt, LP_TRUE);
		return p;
	}
	skip_ws(t);
	char *s = atom_text(t), *st = lit_trim(s), *eq;
	struct lit_prop *p = NULL;
	char *fa;

	if (!*st) {
		lit_fail(c, line, "expected a proposition");
	} else if ((fa = lit_call_arg(st, "fault")) || (fa = lit_call_arg(st, "Fault"))) {
		p = parse_fault(t, fa, line);
	} else if ((eq = strstr(st, "<>"))) {
		/* LOCATION<>VALUE: herd7's "differs", not (LOCATION=VALUE) */
		*eq = 0;
		p = new_prop(t->lt, LP_NOT);
		p->a = new_prop(t->lt, LP_EQ);
		if (!lit_loc_parse(c, st, line, &p->a->loc) ||
		    !lit_val_parse(c, eq + 2, line, &p->a->val))
			p = NULL;
	} else if (!(eq = strchr(st, '='))) {
		lit_fail(c, line, "expected LOCATION=VALUE, got '%s'", st);
	} else {
		*eq = 0;
		p = new_prop(t->lt, LP_EQ);
		if (!lit_loc_parse(c, st, line, &p->loc) ||
		    !lit_val_parse(c, eq + 1, line, &p->val))
			p = NULL;
		else if (p->val.kind == LV_DESC && p->val.d.oa_sym < 0 && !p->loc.is_reg &&
			 p->loc.addr.kind == LV_PTE)
			p->val.d.oa_sym = p->loc.addr.sym;
	}
	g_free(s);
	return p;
}

static struct lit_prop *parse_and(struct tok *t)
{
	struct lit_prop *l = parse_atom(t);

	while (l && tok_eat(t, "/\\")) {
		struct lit_prop *p = new_prop(t->lt, LP_AND);
		p->a = l;
		if (!(p->b = parse_atom(t)))
			return NULL;
		l = p;
	}
	return l;
}

static struct lit_prop *parse_or(struct tok *t)
{
	struct lit_prop *l = parse_and(t);

	while (l && tok_eat(t, "\\/")) {
		struct lit_prop *p = new_prop(t->lt, LP_OR);
		p->a = l;
		if (!(p->b = parse_and(t)))
			return NULL;
		l = p;
	}
	return l;
}

static bool parse_locations(struct tok *t)
{
	struct litmus *lt = t->lt;
	int line = tok_line(t);

	if (!tok_eat(t, "["))
		return lit_fail(t->c, line, "locations takes [loc; ...]");
	const char *end = strchr(t->p, ']');
	if (!end)
		return lit_fail(t->c, line, "unterminated locations [");
	char *s = g_strndup(t->p, (size_t)(end - t->p));
	char **parts = g_strsplit(s, ";", -1);
	bool ok = true;

	for (int i = 0; ok && parts[i]; i++) {
		char *q = lit_trim(parts[i]);
		struct lit_loc l;
		if (!*q)
			continue;
		/* fault(...) entries only add columns to herd's state lines */
		if (!strncmp(q, "fault(", 6) || !strncmp(q, "Fault(", 6))
			continue;
		if (!(ok = lit_loc_parse(t->c, q, line, &l)))
			break;
		lt->locs = g_renew(struct lit_loc, lt->locs, lt->nlocs + 1);
		lt->locs[lt->nlocs++] = l;
	}
	g_strfreev(parts);
	g_free(s);
	t->p = end + 1;
	return ok;
}

static bool parse_final(struct pctx *c, const char *text, size_t from)
{
	struct litmus *lt = c->lt;
	struct tok t = {.text = text, .p = text + from, .c = c, .lt = lt};

	for (;;) {
		skip_ws(&t);
		int line = tok_line(&t);
		if (tok_eat(&t, "locations")) {
			if (!parse_locations(&t))
				return false;
			continue;
		}
		if (tok_eat(&t, "filter")) {
			if (!(lt->filter = parse_or(&t)))
				return false;
			continue;
		}
		if (tok_eat(&t, "~exists") || (tok_is(&t, "~") && (t.p++, tok_eat(&t, "exists"))))
			lt->quant = LQ_NOT_EXISTS;
		else if (tok_eat(&t, "exists"))
			lt->quant = LQ_EXISTS;
		else if (tok_eat(&t, "forall"))
			lt->quant = LQ_FORALL;
		else
			return lit_fail(
				c, line,
				*t.p ? "expected exists, ~exists, forall, locations or filter"
				     : "no condition");
		if (!(lt->cond = parse_or(&t)))
			return false;
		skip_ws(&t);
		tok_eat(&t, ";");
		skip_ws(&t);
		if (*t.p)
			return lit_fail(c, tok_line(&t), "text after the condition");
		return true;
	}
}

/* ---- the whole file -------------------------------------------------------------------- */

/* Blanks (* comments *), keeping newlines so line numbers hold; -1 if one is unterminated. */
static long blank_comments(char *s)
{
	for (char *p = s; *p; p++) {
		if (p[0] == '"') { /* quoted header text may hold anything */
			char *q = strchr(p + 1, '"');
			if (q && !memchr(p, '\n', (size_t)(q - p)))
				p = q;
			continue;
		}
		if (p[0] != '(' || p[1] != '*')
			continue;
		char *e = strstr(p + 2, "*)");
		if (!e)
			return p - s;
		for (char *q = p; q < e + 2; q++)
			if (*q != '\n')
				*q = ' ';
		p = e + 1;
	}
	return -1;
}

static bool parse_keyvals(struct pctx *c, char *line, int ln)
{
	struct litmus *lt = c->lt;
	char *eq = strchr(line, '=');

	if (!eq)
		return true; /* a free-form line before the init section (herd ignores it) */
	*eq = 0;
	char *k = lit_trim(line), *v = lit_trim(eq + 1);
	if (!strcmp(k, "Variant")) {
		g_strlcpy(lt->variant, v, sizeof(lt->variant));
		char **vs = g_strsplit(v, ",", -1);
		for (int i = 0; vs[i]; i++) {
			char *x = lit_trim(vs[i]);
			if (!g_ascii_strcasecmp(x, "ets2"))
				lt->var_ets2 = true;
			else if (!g_ascii_strcasecmp(x, "precise"))
				lt->var_precise = true;
			else if (!g_ascii_strcasecmp(x, "fatal"))
				lt->var_fatal = true;
			else if (!strcmp(x, "bbm2"))
				lt->var_bbm2 = true;
			else if (!strcmp(x, "bbm2-noabort"))
				lt->var_bbm2 = lt->var_bbm2_noabort = true;
			else if (g_ascii_strcasecmp(x, "vmsa") &&
				 g_ascii_strcasecmp(x, "imprecise") &&
				 g_ascii_strcasecmp(x, "handled")) {
				lit_fail(c, ln, "unsupported variant '%s'", x);
				g_strfreev(vs);
				return false;
			}
		}
		g_strfreev(vs);
	} else if (!strcmp(k, "EL0")) {
		char **vs = g_strsplit(v, ",", -1);
		for (int i = 0; vs[i]; i++) {
			char *x = lit_trim(vs[i]);
			int p, n = 0;
			if (sscanf(x, "P%d%n", &p, &n) != 1 || x[n] || p < 0 ||
			    p >= LIT_MAX_THREADS) {
				lit_fail(c, ln, "EL0: '%s' is not a thread", x);
				g_strfreev(vs);
				return false;
			}
			lt->el0 |= 1u << p;
		}
		g_strfreev(vs);
	} else if (!strcmp(k, "TTHM")) {
		char **vs = g_strsplit_set(v, " \t", -1);
		for (int i = 0; vs[i]; i++) {
			char *x = lit_trim(vs[i]);
			unsigned mask = ~0u;
			int p, n = 0;
			if (!*x)
				continue;
			if (sscanf(x, "P%d:%n", &p, &n) == 1 && n && p >= 0 &&
			    p < LIT_MAX_THREADS) {
				mask = 1u << p;
				x += n;
			}
			if (!strcmp(x, "HA"))
				lt->tthm_ha |= mask;
			else if (!strcmp(x, "HD"))
				lt->tthm_hd |= mask;
			else if (strcmp(x, "SW")) {
				lit_fail(c, ln, "unsupported TTHM '%s'", x);
				g_strfreev(vs);
				return false;
			}
		}
		g_strfreev(vs);
	}
	return true; /* Hash= and others: herd's bookkeeping */
}

struct litmus *lit_parse(const char *path, const char *text0, size_t len, char *err, size_t errlen)
{
	struct litmus *lt = g_new0(struct litmus, 1);
	struct pctx c = {.lt = lt, .path = path, .err = err, .errlen = errlen};
	char *text = g_strndup(text0, len);
	long bad;

	lt->path = g_strdup(path);
	lt->text = g_strndup(text0, len);
	if (strlen(text) != len) {
		lit_fail(&c, lit_line_at(text, strlen(text)), "NUL byte in the file");
		goto out;
	}
	if ((bad = blank_comments(text)) >= 0) {
		lit_fail(&c, lit_line_at(text, (size_t)bad), "unterminated comment");
		goto out;
	}
	/* Header: "AArch64 NAME" on the first non-blank line. */
	char *p = text;
	while (isspace((unsigned char)*p))
		p++;
	char *eol = strchr(p, '\n');
	char *first = g_strndup(p, eol ? (size_t)(eol - p) : strlen(p));
	char *f = lit_trim(first);
	if (strncmp(f, "AArch64", 7) || !isspace((unsigned char)f[7])) {
		lit_fail(&c, lit_line_at(text, (size_t)(p - text)), "not an AArch64 litmus test");
		g_free(first);
		goto out;
	}
	g_strlcpy(lt->name, lit_trim(f + 8), sizeof(lt->name));
	g_free(first);
	if (!lt->name[0]) {
		lit_fail(&c, lit_line_at(text, (size_t)(p - text)), "test without a name");
		goto out;
	}
	/* key=value lines up to '{' */
	char *brace = strchr(p, '{');
	if (!brace) {
		lit_fail(&c, lit_line_at(text, strlen(text)), "no init section '{'");
		goto out;
	}
	for (char *l = eol ? eol + 1 : p + strlen(p); l < brace;) {
		char *e = strchr(l, '\n');
		if (!e || e > brace)
			e = brace;
		char *ln = g_strndup(l, (size_t)(e - l));
		bool ok = parse_keyvals(&c, ln, lit_line_at(text, (size_t)(l - text)));
		g_free(ln);
		if (!ok)
			goto out;
		l = e + 1;
	}
	char *close = strchr(brace, '}');
	if (!close) {
		lit_fail(&c, lit_line_at(text, (size_t)(brace - text)),
			 "unterminated init section");
		goto out;
	}
	/* The final part starts at the first line beginning with a keyword. */
	static const char *const kw[] = {"exists", "~exists",	"~ exists",
					 "forall", "locations", "filter"};
	char *fin = NULL;
	for (char *l = close + 1; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		char *q = l;
		while (*q == ' ' || *q == '\t')
			q++;
		for (size_t i = 0; i < G_N_ELEMENTS(kw) && !fin; i++)
			if (!strncmp(q, kw[i], strlen(kw[i])))
				fin = q;
		if (fin)
			break;
	}
	if (!fin) {
		lit_fail(&c, lit_line_at(text, strlen(text)),
			 "no condition (exists, ~exists or forall)");
		goto out;
	}
	if (!parse_init(&c, text, (size_t)(brace + 1 - text), (size_t)(close - text)) ||
	    !lit_parse_program(&c, text, (size_t)(close + 1 - text), (size_t)(fin - text)))
		goto out;
	if (lt->nprocs == 0) {
		lit_fail(&c, lit_line_at(text, (size_t)(close - text)), "no thread");
		goto out;
	}
	if (!parse_final(&c, text, (size_t)(fin - text)))
		goto out;
	/* Registers and labels named in init and conditions must exist. */
	for (int i = 0; i < lt->ninit; i++) {
		struct lit_init *in = &lt->init[i];
		if (in->loc.is_reg && in->loc.thread >= lt->nprocs) {
			lit_fail(&c, in->line, "register of a thread that does not exist");
			goto out;
		}
	}
	/* label:"P1:L1" values: resolve against the program */
	for (int i = 0; i < lt->ninit + lt->nprops; i++) {
		struct lit_val *v =
			i < lt->ninit ? &lt->init[i].val : &lt->props[i - lt->ninit]->val;
		int line = i < lt->ninit ? lt->init[i].line : 0;
		if (v->kind != LV_LABEL ||
		    (i >= lt->ninit && lt->props[i - lt->ninit]->kind != LP_EQ))
			continue;
		v->label = lit_thread_label(lt, v->thread, v->lname);
		if (v->label < 0) {
			lit_fail(&c, line ? line : lit_line_at(text, (size_t)(fin - text)),
				 "undefined label 'P%d:%s'", v->thread, v->lname);
			goto out;
		}
	}
	/*
	 * Our extension's 1 GiB blocks: a location the test names PUD(x),
	 * PMDTABLE(x) or a level:1 block of gets a GiB of its own (lit_run.c);
	 * a page offset past 2 MiB (oa:PA(x)+N) needs one too.
	 */
	for (int i = 0; i < lt->ninit + lt->nprops; i++) {
		const struct lit_val *v =
			i < lt->ninit ? &lt->init[i].val : &lt->props[i - lt->ninit]->val;
		const struct lit_loc *l =
			i < lt->ninit ? &lt->init[i].loc : &lt->props[i - lt->ninit]->loc;

		if ((v->kind == LV_PTE || v->kind == LV_TABLE) && v->level == 1)
			lt->giant[v->sym] = true;
		if (v->kind == LV_DESC && v->d.level == 1 && v->d.oa_sym >= 0)
			lt->giant[v->d.oa_sym] = true;
		if (!l->is_reg && l->addr.kind == LV_PTE && l->addr.level == 1)
			lt->giant[l->addr.sym] = true;
	}
	for (int i = 0; i < lt->ninit + lt->nprops; i++) {
		const struct lit_val *v =
			i < lt->ninit ? &lt->init[i].val : &lt->props[i - lt->ninit]->val;
		int line =
			i < lt->ninit ? lt->init[i].line : lit_line_at(text, (size_t)(fin - text));

		if (v->kind == LV_DESC && v->d.oa_sym >= 0 && v->d.oa_page >= 512 &&
		    !lt->giant[v->d.oa_sym]) {
			lit_fail(&c, line, "oa:PA(%s)+%d is past %s's 2 MiB region (name PUD(%s))",
				 lt->sym[v->d.oa_sym], v->d.oa_page, lt->sym[v->d.oa_sym],
				 lt->sym[v->d.oa_sym]);
			goto out;
		}
	}
	if (lt->el0 >> lt->nprocs) {
		lit_fail(&c, 1, "EL0 names a thread that does not exist");
		goto out;
	}
	/* What EL0 may not execute (the handlers run at EL1). */
	for (int t = 0; t < lt->nprocs; t++)
		for (int i = 0; (lt->el0 >> t & 1) && i < lt->th[t].nins; i++) {
			const struct lit_ins *in = &lt->th[t].ins[i];
			if (in->op == LOP_TLBI || in->op == LOP_MSR || in->op == LOP_MRS ||
			    in->op == LOP_ERET) {
				lit_fail(&c, in->line, "P%d runs at EL0, where %s is UNDEFINED", t,
					 in->op == LOP_TLBI   ? "TLBI"
					 : in->op == LOP_ERET ? "ERET"
							      : "an access to ELR_EL1");
				goto out;
			}
		}
	for (int i = 0; i < lt->nprops; i++) {
		struct lit_prop *q = lt->props[i];
		if (q->kind == LP_EQ && q->loc.is_reg && q->loc.thread >= lt->nprocs) {
			lit_fail(&c, 1, "the condition names a thread that does not exist");
			goto out;
		}
	}
out:
	g_free(text);
	if (c.failed) {
		lit_free(lt);
		return NULL;
	}
	return lt;
}

struct litmus *lit_load(const char *path, char *err, size_t errlen)
{
	gchar *text;
	gsize len;
	GError *ge = NULL;

	if (!g_file_get_contents(path, &text, &len, &ge)) {
		snprintf(err, errlen, "%s: %s", path, ge->message);
		g_error_free(ge);
		return NULL;
	}
	struct litmus *lt = lit_parse(path, text, len, err, errlen);
	g_free(text);
	return lt;
}

void lit_free(struct litmus *lt)
{
	if (!lt)
		return;
	for (int i = 0; i < lt->nprops; i++)
		g_free(lt->props[i]);
	g_free(lt->props);
	g_free(lt->init);
	g_free(lt->locs);
	g_free(lt->path);
	g_free(lt->text);
	g_free(lt);
}
