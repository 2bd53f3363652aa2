// SPDX-License-Identifier: GPL-2.0-only
/*
 * The litmus parser's pieces of text: names, numbers, locations, values and
 * descriptors as herd7 writes them (x, PA(x), phy_x, PTE(x), pte_x, (oa:..., af:0)).
 */
#include "lit_internal.h"

#include <ctype.h>
#include <errno.h>
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
bool lit_fail(struct pctx *c, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	if (c->failed)
		return false;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s:%d: %s", c->path, line, msg);
	c->failed = true;
	return false;
}

/* ---- symbols ------------------------------------------------------------------ */

bool lit_is_ident(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (s++; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

int lit_sym(struct pctx *c, const char *name, int line)
{
	struct litmus *lt = c->lt;

	for (int i = 0; i < lt->nsym; i++)
		if (!strcmp(lt->sym[i], name))
			return i;
	if (!lit_is_ident(name) || strlen(name) >= sizeof(lt->sym[0])) {
		lit_fail(c, line, "bad location name '%s'", name);
		return -1;
	}
	if (lt->nsym == LIT_MAX_SYMS) {
		lit_fail(c, line, "more than %d locations", LIT_MAX_SYMS);
		return -1;
	}
	g_strlcpy(lt->sym[lt->nsym], name, sizeof(lt->sym[0]));
	return lt->nsym++;
}

/* ---- small text helpers ---------------------------------------------------------- */

char *lit_trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

bool lit_int(const char *s, int64_t *v)
{
	char *end;

	if (!*s)
		return false;
	errno = 0;
	long long x = strtoll(s, &end, 0);
	if (*end || errno) {
		unsigned long long u = strtoull(s, &end, 0);
		if (*end || errno)
			return false;
		x = (long long)u;
	}
	*v = x;
	return true;
}

/* Line of offset @off in @text. */
int lit_line_at(const char *text, size_t off)
{
	int line = 1;

	for (size_t i = 0; i < off; i++)
		if (text[i] == '\n')
			line++;
	return line;
}

/* ---- values: numbers, x, PA(x), phy_x, PTE(x), pte_x, (descriptors), label:"P:L" ---- */

static bool parse_desc(struct pctx *c, char *s, int line, struct lit_desc *d);

/* Splits @s at top-level commas (outside parentheses/brackets) into @out. */
int lit_split(char *s, char sep, char **out, int max)
{
	int n = 0, depth = 0;

	out[n++] = s;
	for (; *s; s++) {
		if (*s == '(' || *s == '[')
			depth++;
		else if (*s == ')' || *s == ']')
			depth--;
		else if (*s == sep && depth == 0) {
			*s = 0;
			if (n == max)
				return -1;
			out[n++] = s + 1;
		}
	}
	return n;
}

/* "F(arg)" -> arg, or NULL. */
char *lit_call_arg(char *s, const char *f)
{
	size_t n = strlen(f);

	if (strncmp(s, f, n) || s[n] != '(')
		return NULL;
	char *a = s + n + 1, *e = a + strlen(a);
	if (e == a || e[-1] != ')')
		return NULL;
	e[-1] = 0;
	return lit_trim(a);
}

/*
 * A symbolic address: x, PA(x), phy_x, PTE(x), pte_x, TTD(x) (herd7's other
 * name for x's last-level descriptor), PMD(x), PUD(x).
 */
bool lit_addr(struct pctx *c, char *s, int line, struct lit_val *v)
{
	char *a;

	s = lit_trim(s);
	v->level = 3;
	if ((a = lit_call_arg(s, "PA"))) {
		v->kind = LV_PA;
		v->sym = lit_sym(c, a, line);
	} else if (!strncmp(s, "phy_", 4)) {
		v->kind = LV_PA;
		v->sym = lit_sym(c, s + 4, line);
	} else if ((a = lit_call_arg(s, "PTE")) || (a = lit_call_arg(s, "TTD"))) {
		v->kind = LV_PTE;
		if (!strncmp(a, "PTE(", 4) || !strncmp(a, "pte_", 4))
			return lit_fail(c, line,
					"descriptors of descriptors (%s) are not supported", s);
		v->sym = lit_sym(c, a, line);
	} else if (!strncmp(s, "pte_", 4)) {
		v->kind = LV_PTE;
		v->sym = lit_sym(c, s + 4, line);
	} else if ((a = lit_call_arg(s, "PMD"))) {
		v->kind = LV_PTE;
		v->level = 2;
		v->sym = lit_sym(c, a, line);
	} else if ((a = lit_call_arg(s, "PUD"))) {
		v->kind = LV_PTE;
		v->level = 1;
		v->sym = lit_sym(c, a, line);
	} else if (lit_is_ident(s)) {
		v->kind = LV_VA;
		v->sym = lit_sym(c, s, line);
	} else {
		return lit_fail(c, line, "bad location '%s'", s);
	}
	return v->sym >= 0;
}

static bool parse_label_ref(struct pctx *c, char *s, int line, int *thread, char *label, size_t len)
{
	/* "P1:L1" */
	int t;
	char *colon = strchr(s, ':');

	if (s[0] != 'P' || !colon)
		return lit_fail(c, line, "bad label reference '%s'", s);
	*colon = 0;
	if (sscanf(s + 1, "%d", &t) != 1 || t < 0 || t >= LIT_MAX_THREADS)
		return lit_fail(c, line, "bad thread in '%s'", s);
	*thread = t;
	g_strlcpy(label, lit_trim(colon + 1), len);
	return true;
}

bool lit_val_parse(struct pctx *c, char *s, int line, struct lit_val *v)
{
	memset(v, 0, sizeof(*v));
	s = lit_trim(s);
	if (!*s)
		return lit_fail(c, line, "missing value");
	if (s[0] == '(') {
		char *e = s + strlen(s) - 1;
		if (*e != ')')
			return lit_fail(c, line, "unbalanced '(' in '%s'", s);
		*e = 0;
		v->kind = LV_DESC;
		return parse_desc(c, s + 1, line, &v->d);
	}
	if (!strncmp(s, "label:", 6)) {
		char *q = lit_trim(s + 6);
		size_t n = strlen(q);
		if (n < 2 || q[0] != '"' || q[n - 1] != '"')
			return lit_fail(c, line, "bad label value '%s'", s);
		q[n - 1] = 0;
		v->kind = LV_LABEL;
		v->label = -1;
		return parse_label_ref(c, q + 1, line, &v->thread, v->lname, sizeof(v->lname));
	}
	char *a = lit_call_arg(s, "TABLE");
	int holder = 2;
	if (!a && (a = lit_call_arg(s, "PMDTABLE")))
		holder = 1;
	if (a) {
		v->kind = LV_TABLE;
		v->level = holder;
		v->sym = lit_sym(c, a, line);
		return v->sym >= 0;
	}
	if (isdigit((unsigned char)s[0]) || s[0] == '-') {
		v->kind = LV_INT;
		if (!lit_int(s, &v->i))
			return lit_fail(c, line, "bad number '%s'", s);
		return true;
	}
	return lit_addr(c, s, line, v);
}

static bool parse_attrs(struct pctx *c, char *s, int line, enum lit_attr *a)
{
	/* attrs:(Device-GRE) or attrs:(Normal,iNC,oNC) */
	s = lit_trim(s);
	if (*s == '(' && s[strlen(s) - 1] == ')') {
		s[strlen(s) - 1] = 0;
		s = lit_trim(s + 1);
	}
	char *parts[8];
	int n = lit_split(s, ',', parts, 8);

	if (n < 1)
		return lit_fail(c, line, "bad attrs");
	char *k = lit_trim(parts[0]);
	if (!strcmp(k, "Device-GRE"))
		*a = LIT_ATTR_GRE;
	else if (!strcmp(k, "Device-nGnRE"))
		*a = LIT_ATTR_NGNRE;
	else if (!strcmp(k, "Device-nGnRnE"))
		*a = LIT_ATTR_NGNRNE;
	else if (!strcmp(k, "Normal")) {
		*a = LIT_ATTR_NORMAL;
		for (int i = 1; i < n; i++) {
			char *p = lit_trim(parts[i]);
			if (!strcmp(p, "iNC") || !strcmp(p, "oNC"))
				*a = LIT_ATTR_NC;
			else if (strcmp(p, "iWB") && strcmp(p, "oWB") &&
				 strcmp(p, "Inner-shareable") && strcmp(p, "ISH"))
				return lit_fail(c, line, "unsupported memory attribute '%s'", p);
		}
	} else
		return lit_fail(c, line, "unsupported memory attributes '%s'", k);
	return true;
}

static bool parse_desc(struct pctx *c, char *s, int line, struct lit_desc *d)
{
	char *f[16];
	int n = lit_split(s, ',', f, 16);

	*d = (struct lit_desc){.oa_sym = -1, .valid = 1, .af = 1, .db = 1, .el0 = 1, .level = 3};
	if (n < 0)
		return lit_fail(c, line, "descriptor with too many fields");
	for (int i = 0; i < n; i++) {
		char *kv = lit_trim(f[i]), *colon = strchr(kv, ':');
		int64_t x;

		if (!*kv && n == 1)
			break;
		if (!colon)
			return lit_fail(c, line, "bad descriptor field '%s'", kv);
		*colon = 0;
		char *k = lit_trim(kv), *val = lit_trim(colon + 1);
		if (!strcmp(k, "oa")) {
			struct lit_val a;
			char *plus = strchr(val, '+');
			if (plus) {
				int64_t pg;
				*plus = 0;
				if (!lit_int(lit_trim(plus + 1), &pg) || pg < 0 || pg >= 512 * 512)
					return lit_fail(c, line, "bad page offset in oa");
				d->oa_page = (int)pg;
			}
			if (!lit_addr(c, val, line, &a))
				return false;
			if (a.kind != LV_PA)
				return lit_fail(c, line, "oa must be PA(x) or phy_x, not '%s'",
						val);
			d->oa_sym = a.sym;
		} else if (!strcmp(k, "attrs")) {
			if (!parse_attrs(c, val, line, &d->attr))
				return false;
		} else {
			uint8_t *t = NULL;
			if (!strcmp(k, "valid"))
				t = &d->valid;
			else if (!strcmp(k, "af"))
				t = &d->af;
			else if (!strcmp(k, "db"))
				t = &d->db;
			else if (!strcmp(k, "dbm"))
				t = &d->dbm;
			else if (!strcmp(k, "el0"))
				t = &d->el0;
			else if (!strcmp(k, "contig"))
				t = &d->contig;
			else if (!strcmp(k, "level"))
				t = &d->level;
			else
				return lit_fail(c, line, "unsupported descriptor field '%s'", k);
			if (!lit_int(val, &x) || x < 0 || x > (t == &d->level ? 3 : 1) ||
			    (t == &d->level && x < 1))
				return lit_fail(c, line, "bad value '%s' for %s", val, k);
			*t = (uint8_t)x;
		}
	}
	return true;
}

/* "1:X0" / "1:W0" -> thread, register. */
bool lit_reg_loc(const char *s, int *thread, int *reg)
{
	int t, r, n = 0;
	char w;

	if (s[0] == 'P') /* P0:X7, as some tests write it */
		s++;
	if (sscanf(s, "%d: %c%d%n", &t, &w, &r, &n) != 3 || s[n])
		return false;
	w = (char)toupper((unsigned char)w);
	if (w != 'X' && w != 'W')
		return false;
	if (t < 0 || t >= LIT_MAX_THREADS || r < 0 || r > 30)
		return false;
	*thread = t;
	*reg = r;
	return true;
}

bool lit_loc_parse(struct pctx *c, char *s, int line, struct lit_loc *l)
{
	memset(l, 0, sizeof(*l));
	s = lit_trim(s);
	if (lit_reg_loc(s, &l->thread, &l->reg)) {
		l->is_reg = true;
		return true;
	}
	if (isdigit((unsigned char)s[0]) || (s[0] == 'P' && isdigit((unsigned char)s[1])))
		return lit_fail(c, line, "bad register '%s'", s);
	if (s[0] == '[') {
		size_t n = strlen(s);
		if (s[n - 1] != ']')
			return lit_fail(c, line, "unbalanced '[' in '%s'", s);
		s[n - 1] = 0;
		s++;
	}
	if (!lit_addr(c, s, line, &l->addr))
		return false;
	return true;
}
