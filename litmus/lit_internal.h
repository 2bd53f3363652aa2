/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the litmus parser's files share (lit_parse.c, lit_text.c, lit_prog.c);
 * not for other modules: they use litmus.h.
 */
#ifndef BBMSIM_LIT_INTERNAL_H
#define BBMSIM_LIT_INTERNAL_H

#include "litmus.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pctx {
	struct litmus *lt;
	const char *path;
	char *err;
	size_t errlen;
	bool failed;
};

/* Sets "FILE:LINE: what" once (the first error wins); returns false. */
bool lit_fail(struct pctx *c, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
bool lit_is_ident(const char *s);
int lit_sym(struct pctx *c, const char *name, int line);
char *lit_trim(char *s);
bool lit_int(const char *s, int64_t *v);
int lit_line_at(const char *text, size_t off);
/* Splits @s in place at @sep outside brackets; the count, -1 past @max. */
int lit_split(char *s, char sep, char **out, int max);
/* "F(arg)" -> arg (in place), or NULL. */
char *lit_call_arg(char *s, const char *f);
bool lit_addr(struct pctx *c, char *s, int line, struct lit_val *v);
bool lit_val_parse(struct pctx *c, char *s, int line, struct lit_val *v);
bool lit_reg_loc(const char *s, int *thread, int *reg);
bool lit_loc_parse(struct pctx *c, char *s, int line, struct lit_loc *l);
int lit_label_find(const struct lit_thread *th, const char *name);
/* The instruction index of label @name in thread @th, or -2. */
int lit_thread_label(struct litmus *lt, int th, const char *name);
bool lit_parse_program(struct pctx *c, const char *text, size_t from, size_t to);

#endif
