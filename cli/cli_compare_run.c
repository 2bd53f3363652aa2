// SPDX-License-Identifier: GPL-2.0-only
/*
 * compare's tasks: the timed run of one choice (the figures) and the
 * schedules of one scenario under one scheduler (a verdict cell), and the
 * pool of child processes that runs them in parallel.
 */
#include "compare.h"
#include "output.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

const char *const cmp_scheds[CMP_NR_SCHEDS] = {"random", "pct"};

/* ---- progress ------------------------------------------------------------------------- */

void cmp_progress(const char *fmt, ...)
{
	va_list ap;

	if (!isatty(STDERR_FILENO))
		return;
	fputs("\r\033[Kcompare: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
}

void cmp_progress_done(void)
{
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr);
}

/* ---- the pool --------------------------------------------------------------------------- */

/* A child's pipe carries step messages, then its result. */
struct msg {
	unsigned kind; /* MSG_STEP or MSG_RESULT */
	unsigned step;
};
enum { MSG_STEP, MSG_RESULT };

static int child_fd = -1; /* in a child: its pipe */
static const struct cmp_pool *cur_pool;
static unsigned cur_task;

void cmp_pool_step(unsigned step)
{
	struct msg m = {MSG_STEP, step};

	if (child_fd >= 0)
		(void)out_write_fd(child_fd, &m, sizeof(m)); /* progress only */
	else if (cur_pool && cur_pool->step)
		cur_pool->step(cur_task, step, cur_pool->arg);
}

struct job {
	pid_t pid;
	int fd;
	unsigned task;
	bool got;
};

static void start(const struct cmp_pool *p, unsigned task, void *results, struct job *j)
{
	int fds[2];

	if (pipe(fds))
		die("compare: pipe: %s", g_strerror(errno));
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		die("compare: fork: %s", g_strerror(errno));
	if (!pid) {
		char *r = (char *)results + task * p->size;
		struct msg m = {MSG_RESULT, 0};

		close(fds[0]);
		child_fd = fds[1];
		p->run(task, r, p->arg);
		bool ok = !out_write_fd(fds[1], &m, sizeof(m)) && !out_write_fd(fds[1], r, p->size);
		_exit(ok && !cli_signal ? 0 : 1);
	}
	close(fds[1]);
	*j = (struct job){pid, fds[0], task, false};
}

/* Reads one message of @j; false at the end of its pipe. */
static bool receive(const struct cmp_pool *p, struct job *j, void *results)
{
	struct msg m;

	if (out_read_fd(j->fd, &m, sizeof(m)))
		return false;
	if (m.kind == MSG_STEP) {
		if (p->step)
			p->step(j->task, m.step, p->arg);
		return true;
	}
	j->got = !out_read_fd(j->fd, (char *)results + j->task * p->size, p->size);
	return j->got;
}

static void finish(const struct cmp_pool *p, struct job *j, void *results)
{
	int status;

	close(j->fd);
	while (waitpid(j->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!cli_signal && (!j->got || !WIFEXITED(status) || WEXITSTATUS(status)))
		exit(EXIT_BAD); /* the child said why, in one line */
	if (j->got && p->done)
		p->done(j->task, (char *)results + j->task * p->size, p->arg);
}

void cmp_pool_run(const struct cmp_pool *p, unsigned n, unsigned jobs, void *results)
{
	struct job running[64];
	struct pollfd pfd[64];
	unsigned nrun = 0, next = 0;

	cur_pool = p;
	if (jobs <= 1) {
		for (unsigned i = 0; i < n && !cli_signal; i++) {
			cur_task = i;
			p->run(i, (char *)results + i * p->size, p->arg);
			if (!cli_signal && p->done)
				p->done(i, (char *)results + i * p->size, p->arg);
		}
		cur_pool = NULL;
		return;
	}
	while ((next < n && !cli_signal) || nrun) {
		while (nrun < jobs && nrun < G_N_ELEMENTS(running) && next < n && !cli_signal)
			start(p, next++, results, &running[nrun++]);
		for (unsigned i = 0; i < nrun; i++)
			pfd[i] = (struct pollfd){.fd = running[i].fd, .events = POLLIN};
		if (poll(pfd, nrun, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("compare: poll: %s", g_strerror(errno));
		}
		for (unsigned i = nrun; i-- > 0;) {
			if (!pfd[i].revents)
				continue;
			if (receive(p, &running[i], results))
				continue;
			finish(p, &running[i], results);
			running[i] = running[--nrun];
		}
	}
	cur_pool = NULL;
}

/* ---- options of a run ------------------------------------------------------------------- */

static void set(struct sim_options *o, const char *name, const char *value)
{
	char err[200];

	if (sim_options_set(o, name, value, err, sizeof(err)))
		die("compare: %s", err);
}

static void set_kv(struct sim_options *o, const char *kv)
{
	char *k = g_strdup(kv), *eq = strchr(k, '=');

	*eq = 0;
	set(o, k, eq + 1);
	g_free(k);
}

/* The choice's option and the machine it needs, and the kernel. */
static void choice_options(const struct cmp_table *t, const struct cmp_choice *c,
			   struct sim_options *o)
{
	set(o, "kernel", t->kernel);
	set(o, t->spec->option, c->name);
	for (const char *const *kv = c->options; kv && *kv; kv++)
		set_kv(o, *kv);
}

/* ---- the timed run -------------------------------------------------------------------- */

static void on_metric(struct sim *sim, const char *name, uint64_t value, void *arg)
{
	const struct cmp_spec *spec = arg;

	for (unsigned i = 0; i < spec->nr_ops; i++)
		if (!strcmp(spec->ops[i].metric, name))
			cmp_pool_step(i + 1);
}

void cmp_run_timed(const struct cmp_table *t, const struct cmp_column *col,
		   const struct sim_costs *costs, bool tolerate, struct cmp_result *r)
{
	const struct scenario *work = find_scenario(t->spec->workload);
	struct sim_options o;
	char err[400];

	memset(r, 0, sizeof(*r));
	build_options(work, &o);
	choice_options(t, col->choice, &o);
	set(&o, "sched", "timed");
	/*
	 * Timed under sc: a reordering costs no simulated time, and the arm
	 * model's figures agree to 0.03 % (E: 0.7 %, its random AF updates)
	 * at three times the wall time (docs/costs.md). Verdicts use arm.
	 */
	set(&o, "memory", "sc");
	sim_opt_set_uint(&o, OPT_cpus, t->cpus);
	{
		char pages[16];

		snprintf(pages, sizeof(pages), "%u", t->pages);
		set(&o, "pages", pages); /* the workload's layer registers it */
	}
	sim_opt_set_bool(&o, OPT_keep_going, true); /* "none" must finish its work to be timed */
	/* ~2.7 M yields per 1 GiB page under B at 80 CPUs: 600 pages need the most. */
	sim_opt_set_uint(&o, OPT_step_bound, SIM_STEP_BOUND_MAX);
	sim_opt_set_uint(&o, OPT_mem_gb, t->pages + t->pages / 50 + 3);
	struct sim *sim = sim_create(work, &o, costs, NULL, err, sizeof(err));
	if (!sim)
		die("%s", err);
	sim->keep_trace = false;
	sim->fibers = t->fibers;
	sim->on_metric = on_metric;
	sim->on_metric_arg = (void *)t->spec;
	if (sim_run(sim, err, sizeof(err))) {
		sim_destroy(sim);
		if (cli_signal)
			return;
		die("%s", err);
	}
	/* The checker's findings are the verdict's business; these void the figures. */
	for (unsigned i = 0; i < sim->nr_findings; i++) {
		const struct sim_finding *f = &sim->findings[i];

		if (f->kind != FINDING_ASSERTION && f->kind != FINDING_DEADLOCK &&
		    f->kind != FINDING_LIVELOCK && f->kind != FINDING_LOST_INTERRUPT)
			continue;
		if (tolerate) {
			r->voided = 1 + (int)f->kind;
			r->ok = true;
			sim_destroy(sim);
			return;
		}
		die("compare: the timed run of %s is no measurement: %s: %s", col->choice->name,
		    finding_name(f->kind), f->detail);
	}
	for (unsigned i = 0; i < t->spec->nr_ops; i++)
		if (!sim_metric_get(sim, t->spec->ops[i].metric, &r->ps[i]))
			die("compare: the run of %s did not measure %s", col->choice->name,
			    t->spec->ops[i].metric);
	for (unsigned i = 0; i < t->nr_counters; i++)
		r->has_counter[i] = sim_metric_get(sim, t->counters[i]->metric, &r->counters[i]);
	r->ok = true;
	sim_destroy(sim);
}

/* ---- a verdict cell ----------------------------------------------------------------------- */

void cmp_run_verdict(const struct cmp_table *t, const struct cmp_column *col, const char *scenario,
		     bool forced, const char *sched, struct cmp_result *r)
{
	const struct scenario *scn = find_scenario(scenario);
	struct cmp_verdict *v = &r->verdict;

	memset(r, 0, sizeof(*r));
	g_strlcpy(v->scenario, scenario, sizeof(v->scenario));
	g_strlcpy(v->sched, sched, sizeof(v->sched));
	v->hazard = forced;
	for (unsigned i = 0; i < t->verdict_schedules && !cli_signal; i++) {
		struct sim_options o;
		char err[400];

		build_options(scn, &o);
		set(&o, "kernel", t->kernel);
		if (!forced)
			choice_options(t, col->choice, &o);
		set(&o, "sched", sched);
		o.seed = 1 + i;
		struct sim *sim = sim_create(scn, &o, &t->costs, NULL, err, sizeof(err));
		if (!sim)
			die("%s", err);
		sim->fibers = t->fibers;
		sim->keep_trace = false;
		if (sim_run(sim, err, sizeof(err))) {
			sim_destroy(sim);
			if (cli_signal)
				return;
			die("%s", err);
		}
		v->schedules++;
		if (sim->nr_findings)
			v->kinds[sim->findings[0].kind]++;
		sim_destroy(sim);
	}
	r->ok = !cli_signal;
}

/* ---- the whole table ------------------------------------------------------------------------ */

/* Task k of the table: which column, and which scenario (-1: the timed run). */
struct task {
	unsigned col;
	int scenario; /* index into the column's scenarios */
	unsigned sched;
};

struct table_ctx {
	struct cmp_table *t;
	struct task *tasks;
	unsigned nr_tasks, done;
	/* What each running task has reached, for the progress line. */
	unsigned *step;
};

/* The column's scenarios: the spec's verdicts, then its choice's hazards. */
static const char *column_scenario(const struct cmp_table *t, unsigned col, int k, bool *forced)
{
	const struct cmp_choice *c = t->col[col].choice;
	int n = 0;

	for (const char *const *s = t->spec->verdicts; s && *s; s++, n++)
		if (n == k) {
			*forced = false;
			return *s;
		}
	for (const char *const *s = c->hazards; s && *s; s++, n++)
		if (n == k) {
			*forced = true;
			return *s;
		}
	return NULL;
}

static void table_run(unsigned task, void *result, void *arg)
{
	struct table_ctx *x = arg;
	const struct task *k = &x->tasks[task];
	bool forced = false; /* gcc -O3 cannot see column_scenario() set it */

	if (k->scenario < 0) {
		cmp_run_timed(x->t, &x->t->col[k->col], &x->t->costs, false, result);
		return;
	}
	const char *scn = column_scenario(x->t, k->col, k->scenario, &forced);
	cmp_run_verdict(x->t, &x->t->col[k->col], scn, forced, cmp_scheds[k->sched], result);
}

static void table_progress(struct table_ctx *x, unsigned task)
{
	const struct task *k = &x->tasks[task];
	const struct cmp_table *t = x->t;
	const char *name = t->col[k->col].choice->name;
	bool forced;

	if (k->scenario >= 0)
		cmp_progress("%u/%u tasks done; last: %s on %s (%s)", x->done, x->nr_tasks, name,
			     column_scenario(t, k->col, k->scenario, &forced),
			     cmp_scheds[k->sched]);
	else if (x->step[task] < t->spec->nr_ops)
		cmp_progress("%u/%u tasks done; %s: %s (%u x %s on %u CPUs)", x->done, x->nr_tasks,
			     name, t->spec->ops[x->step[task]].title, t->pages, t->spec->page,
			     t->cpus);
}

static void table_step(unsigned task, unsigned step, void *arg)
{
	struct table_ctx *x = arg;

	x->step[task] = step;
	table_progress(x, task);
}

static void table_done(unsigned task, void *result, void *arg)
{
	struct table_ctx *x = arg;
	const struct task *k = &x->tasks[task];
	const struct cmp_result *r = result;
	struct cmp_column *col = &x->t->col[k->col];

	x->done++;
	if (!r->ok)
		return;
	if (k->scenario < 0) {
		memcpy(col->ps, r->ps, sizeof(col->ps));
		memcpy(col->counters, r->counters, sizeof(col->counters));
		memcpy(col->has_counter, r->has_counter, sizeof(col->has_counter));
		col->ran = true;
	} else {
		/* By place, not by arrival: the table is the same whatever --jobs. */
		unsigned slot = (unsigned)k->scenario * CMP_NR_SCHEDS + k->sched;

		col->verdicts[slot] = r->verdict;
		if (col->nr_verdicts < slot + 1)
			col->nr_verdicts = slot + 1;
	}
	table_progress(x, task);
}

void cmp_run_table(struct cmp_table *t, unsigned jobs)
{
	struct table_ctx x = {.t = t};
	unsigned max = t->nr * (1 + CMP_MAX_VERDICTS);

	x.tasks = g_new0(struct task, max);
	/* The timed runs first: they are the longest. */
	for (unsigned c = 0; c < t->nr; c++)
		x.tasks[x.nr_tasks++] = (struct task){c, -1, 0};
	for (unsigned c = 0; c < t->nr; c++) {
		bool forced;

		for (int k = 0; column_scenario(t, c, k, &forced); k++)
			for (unsigned s = 0; s < CMP_NR_SCHEDS && t->verdict_schedules; s++)
				if ((unsigned)(k + 1) * CMP_NR_SCHEDS <= CMP_MAX_VERDICTS)
					x.tasks[x.nr_tasks++] = (struct task){c, k, s};
	}
	x.step = g_new0(unsigned, x.nr_tasks);
	struct cmp_result *res = g_new0(struct cmp_result, x.nr_tasks);
	struct cmp_pool p = {table_run, table_step, table_done, &x, sizeof(*res)};
	cmp_pool_run(&p, x.nr_tasks, jobs, res);
	cmp_progress_done();
	g_free(res);
	g_free(x.step);
	g_free(x.tasks);
}
