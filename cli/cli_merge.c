// SPDX-License-Identifier: GPL-2.0-only
/*
 * bbmsim merge: the --json results of `explore --shard K/N` runs, joined into
 * the report one machine would have printed for the whole range.
 *
 * Why that is possible: shard K ran schedules K-1, K-1+N, ... in order and says
 * ("next") that it ran every one of its schedules below that index. So every
 * schedule below P = min(next) ran somewhere. A single machine reports, in
 * schedule order, the findings of the first schedule with one (or, with
 * --keep-going, the first max-findings distinct kind+place pairs) and stops
 * there; that stop is below P, because each shard only stops after its own
 * first finding (or its own max-findings distinct ones). Findings are copied
 * byte for byte from the shards' text.
 */
#include "cli.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- a JSON reader for exactly what bbmsim writes ----------------------------------------- */

enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct jv {
	enum jtype type;
	const char *start, *end; /* the value's text */
	bool b;
	int64_t num;
	char *str;	  /* J_STR, unescaped */
	GPtrArray *items; /* J_ARR, J_OBJ: struct jv * */
	GPtrArray *keys;  /* J_OBJ: char * */
};

struct jparser {
	const char *p, *end;
	const char *err;
	int depth;
};

static void jv_free(struct jv *v)
{
	if (!v)
		return;
	g_free(v->str);
	if (v->items)
		g_ptr_array_free(v->items, TRUE);
	if (v->keys)
		g_ptr_array_free(v->keys, TRUE);
	g_free(v);
}

static void skip_ws(struct jparser *j)
{
	while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\t' || *j->p == '\r'))
		j->p++;
}

static char *parse_string(struct jparser *j)
{
	GString *s = g_string_new(NULL);

	j->p++; /* the opening quote */
	while (j->p < j->end && *j->p != '"') {
		char c = *j->p++;

		if ((unsigned char)c < 0x20)
			goto bad;
		if (c != '\\') {
			g_string_append_c(s, c);
			continue;
		}
		if (j->p >= j->end)
			goto bad;
		c = *j->p++;
		switch (c) {
		case '"':
		case '\\':
		case '/':
			g_string_append_c(s, c);
			break;
		case 'n':
			g_string_append_c(s, '\n');
			break;
		case 't':
			g_string_append_c(s, '\t');
			break;
		case 'u': {
			char hex[5];
			unsigned v;

			if (j->end - j->p < 4)
				goto bad;
			memcpy(hex, j->p, 4);
			hex[4] = 0;
			if (sscanf(hex, "%4x", &v) != 1 || v == 0 || v >= 0x80)
				goto bad; /* we only escape control characters */
			g_string_append_c(s, (char)v);
			j->p += 4;
			break;
		}
		default:
			goto bad;
		}
	}
	if (j->p >= j->end)
		goto bad;
	j->p++;
	return g_string_free(s, FALSE);
bad:
	j->err = "bad string";
	g_string_free(s, TRUE);
	return NULL;
}

static struct jv *parse_value(struct jparser *j)
{
	struct jv *v = g_new0(struct jv, 1);

	skip_ws(j);
	v->start = j->p;
	if (j->p >= j->end || ++j->depth > 16) {
		j->err = j->p >= j->end ? "unexpected end" : "nested too deep";
		goto fail;
	}
	if (*j->p == '{' || *j->p == '[') {
		bool obj = *j->p == '{';
		char close = obj ? '}' : ']';

		v->type = obj ? J_OBJ : J_ARR;
		v->items = g_ptr_array_new_with_free_func((GDestroyNotify)jv_free);
		if (obj)
			v->keys = g_ptr_array_new_with_free_func(g_free);
		j->p++;
		skip_ws(j);
		if (j->p < j->end && *j->p == close) {
			j->p++;
			goto done;
		}
		for (;;) {
			if (obj) {
				skip_ws(j);
				if (j->p >= j->end || *j->p != '"') {
					j->err = "expected a key";
					goto fail;
				}
				char *k = parse_string(j);
				if (!k)
					goto fail;
				g_ptr_array_add(v->keys, k);
				skip_ws(j);
				if (j->p >= j->end || *j->p++ != ':') {
					j->err = "expected ':'";
					goto fail;
				}
			}
			struct jv *item = parse_value(j);
			if (!item)
				goto fail;
			g_ptr_array_add(v->items, item);
			skip_ws(j);
			if (j->p < j->end && *j->p == ',') {
				j->p++;
				continue;
			}
			if (j->p < j->end && *j->p == close) {
				j->p++;
				goto done;
			}
			j->err = "expected ',' or a closing bracket";
			goto fail;
		}
	}
	if (*j->p == '"') {
		v->type = J_STR;
		if (!(v->str = parse_string(j)))
			goto fail;
		goto done;
	}
	if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9')) {
		char *end;

		v->type = J_NUM;
		v->num = g_ascii_strtoll(j->p, &end, 10);
		if (end == j->p || end > j->end) {
			j->err = "bad number";
			goto fail;
		}
		j->p = end;
		goto done;
	}
	static const struct {
		const char *word;
		enum jtype type;
		bool b;
	} words[] = {{"true", J_BOOL, true}, {"false", J_BOOL, false}, {"null", J_NULL, false}};
	for (unsigned i = 0; i < G_N_ELEMENTS(words); i++) {
		size_t n = strlen(words[i].word);

		if ((size_t)(j->end - j->p) >= n && !memcmp(j->p, words[i].word, n)) {
			v->type = words[i].type;
			v->b = words[i].b;
			j->p += n;
			goto done;
		}
	}
	j->err = "unexpected character";
fail:
	jv_free(v);
	return NULL;
done:
	v->end = j->p;
	j->depth--;
	return v;
}

static struct jv *jget(const struct jv *o, const char *key)
{
	if (!o || o->type != J_OBJ)
		return NULL;
	for (unsigned i = 0; i < o->keys->len; i++)
		if (!strcmp(o->keys->pdata[i], key))
			return o->items->pdata[i];
	return NULL;
}

/* ---- merging ------------------------------------------------------------------------------- */

struct shard {
	const char *path;
	char *text;
	struct jv *root;
	unsigned index, count;
	int64_t total, next, max_findings;
	bool keep_going;
};

static int64_t need_num(const struct shard *s, const struct jv *o, const char *key)
{
	struct jv *v = jget(o, key);

	if (!v || v->type != J_NUM || v->num < 0)
		die("%s: not an explore --shard --json result (no number \"%s\")", s->path, key);
	return v->num;
}

static bool need_bool(const struct shard *s, const struct jv *o, const char *key)
{
	struct jv *v = jget(o, key);

	if (!v || v->type != J_BOOL)
		die("%s: not an explore --shard --json result (no \"%s\")", s->path, key);
	return v->b;
}

static void load_shard(struct shard *s, const char *path)
{
	size_t len;

	s->path = path;
	out_read(path, &s->text, &len);
	if (memchr(s->text, 0, len))
		die("%s: binary data, not an explore --json result", path);
	struct jparser j = {.p = s->text, .end = s->text + len};
	s->root = parse_value(&j);
	if (s->root)
		skip_ws(&j);
	if (!s->root || j.p != j.end)
		die("%s: not JSON from bbmsim (%s at byte %td)", path,
		    j.err ? j.err : "trailing data", j.p - s->text);
	struct jv *sh = jget(s->root, "shard");
	if (!sh)
		die("%s: not an explore --shard result (no \"shard\" object)", path);
	s->index = (unsigned)need_num(s, sh, "index"); /* 1-based, as --shard K/N */
	s->count = (unsigned)need_num(s, sh, "count");
	s->total = need_num(s, sh, "total");
	s->next = need_num(s, sh, "next");
	s->max_findings = need_num(s, sh, "max_findings");
	s->keep_going = need_bool(s, sh, "keep_going");
	struct jv *f = jget(s->root, "findings");
	if (!f || f->type != J_ARR)
		die("%s: no \"findings\" array", path);
}

/* The fields every shard of one exploration shares, as text. */
static bool same_field(const struct shard *a, const struct shard *b, const char *key)
{
	struct jv *x = jget(a->root, key), *y = jget(b->root, key);

	if (!x || !y)
		return x == y;
	return x->end - x->start == y->end - y->start &&
	       !memcmp(x->start, y->start, (size_t)(x->end - x->start));
}

struct mfinding {
	int64_t schedule;
	unsigned order; /* position within its shard: a schedule's findings keep order */
	const struct jv *v;
	char *key;
};

static int cmp_mfinding(const void *a, const void *b)
{
	const struct mfinding *x = a, *y = b;

	if (x->schedule != y->schedule)
		return x->schedule < y->schedule ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* One exploration, every shard exactly once: dies naming the first that is not. */
static void check_shards(const struct shard *sh, unsigned n)
{
	static const char *const common[] = {"scenario", "seed", "sched", "cpus"};
	unsigned count = sh[0].count;

	if (count != n)
		die("merge: %s is shard %u of %u, but %u result%s given", sh[0].path, sh[0].index,
		    count, n, n == 1 ? " was" : "s were");
	bool *seen = g_new0(bool, count);
	for (unsigned i = 0; i < n; i++) {
		if (sh[i].count != count || sh[i].total != sh[0].total ||
		    sh[i].keep_going != sh[0].keep_going ||
		    sh[i].max_findings != sh[0].max_findings)
			die("merge: %s is from another exploration than %s", sh[i].path,
			    sh[0].path);
		for (unsigned c = 0; c < G_N_ELEMENTS(common); c++)
			if (!same_field(&sh[i], &sh[0], common[c]))
				die("merge: %s has another \"%s\" than %s", sh[i].path, common[c],
				    sh[0].path);
		if (sh[i].index < 1 || sh[i].index > count)
			die("merge: %s: shard %u/%u is not K/N with 1 <= K <= N", sh[i].path,
			    sh[i].index, count);
		if (seen[sh[i].index - 1])
			die("merge: shard %u/%u given twice", sh[i].index, count);
		seen[sh[i].index - 1] = true;
	}
	g_free(seen);
}

/*
 * Every shard's findings in schedule order (struct mfinding); *@prefix is P,
 * the first schedule some shard did not run.
 */
static GArray *gather_findings(const struct shard *sh, unsigned n, int64_t *prefix,
			       bool *interrupted)
{
	GArray *all = g_array_new(FALSE, FALSE, sizeof(struct mfinding));

	*prefix = sh[0].total;
	*interrupted = false;
	for (unsigned i = 0; i < n; i++) {
		struct jv *fs = jget(sh[i].root, "findings");

		*prefix = MIN(*prefix, sh[i].next);
		*interrupted |= jget(sh[i].root, "interrupted") != NULL;
		for (unsigned k = 0; k < fs->items->len; k++) {
			struct jv *f = fs->items->pdata[k];
			struct jv *kind = jget(f, "kind"), *va = jget(f, "va"), *pa = jget(f, "pa");
			struct mfinding m = {.order = k, .v = f};

			m.schedule = need_num(&sh[i], f, "schedule");
			if (!kind || !va || !pa || kind->type != J_STR || va->type != J_STR ||
			    pa->type != J_STR)
				die("%s: a finding without kind, va and pa", sh[i].path);
			m.key = g_strdup_printf("%s:%s:%s", kind->str, va->str, pa->str);
			g_array_append_val(all, m);
		}
	}
	g_array_sort(all, cmp_mfinding);
	return all;
}

/*
 * What one machine would have reported, in schedule order up to its stop:
 * the findings' text into @fjs; returns how many, *@ran the schedules run.
 */
static unsigned single_machine(const struct shard *s0, GArray *all, int64_t prefix, GString *fjs,
			       int64_t *ran)
{
	GHashTable *keys = g_hash_table_new(g_str_hash, g_str_equal);
	unsigned nfound = 0;

	*ran = prefix;
	for (unsigned i = 0; i < all->len; i++) {
		struct mfinding *m = &g_array_index(all, struct mfinding, i);

		if (m->schedule >= prefix)
			break;
		if (s0->keep_going && g_hash_table_contains(keys, m->key))
			continue;
		g_hash_table_add(keys, m->key);
		if (nfound++)
			g_string_append_c(fjs, ',');
		g_string_append_len(fjs, m->v->start, m->v->end - m->v->start);
		if (!s0->keep_going || nfound >= s0->max_findings) {
			*ran = m->schedule + 1;
			break;
		}
	}
	g_hash_table_destroy(keys);
	return nfound;
}

int cmd_merge(int argc, char **argv)
{
	GOptionEntry e[] = {{"json", 0, 0, G_OPTION_ARG_NONE, &opt_json,
			     "JSON output (the default and only form; accepted for symmetry)",
			     NULL},
			    {NULL}};

	parse_args("merge", "RESULT...",
		   "Join the --json results of explore --shard K/N runs into one report.", e, false,
		   &argc, &argv);
	if (argc < 2)
		die("merge: expected the RESULT files of explore --shard K/N --json");
	unsigned n = (unsigned)argc - 1;
	struct shard *sh = g_new0(struct shard, n);
	for (unsigned i = 0; i < n; i++)
		load_shard(&sh[i], argv[i + 1]);
	check_shards(sh, n);

	/* Every schedule below P ran on some shard. */
	int64_t prefix, ran;
	bool interrupted;
	GArray *all = gather_findings(sh, n, &prefix, &interrupted);
	GString *fjs = g_string_new(NULL);
	unsigned nfound = single_machine(&sh[0], all, prefix, fjs, &ran);

	struct shard *s0 = &sh[0];
	GString *s = g_string_new("{");
	static const char *const head[] = {"scenario", "seed", "sched", "cpus"};
	for (unsigned c = 0; c < G_N_ELEMENTS(head); c++) {
		struct jv *v = jget(s0->root, head[c]);

		if (!v)
			die("%s: no \"%s\"", s0->path, head[c]);
		g_string_append_printf(s, "%s\"%s\":%.*s", c ? "," : "", head[c],
				       (int)(v->end - v->start), v->start);
	}
	g_string_append_printf(s, ",\"schedules\":%" PRId64 ",\"findings\":[%s]", ran, fjs->str);
	if (interrupted)
		g_string_append(s, ",\"interrupted\":true");
	g_string_append(s, "}\n");
	fputs(s->str, stdout);

	g_string_free(s, TRUE);
	g_string_free(fjs, TRUE);
	for (unsigned i = 0; i < all->len; i++)
		g_free(g_array_index(all, struct mfinding, i).key);
	g_array_free(all, TRUE);
	for (unsigned i = 0; i < n; i++) {
		jv_free(sh[i].root);
		g_free(sh[i].text);
	}
	g_free(sh);
	return nfound ? EXIT_FINDING : interrupted ? 130 : 0;
}
