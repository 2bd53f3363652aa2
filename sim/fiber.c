// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fibers: the simulated CPUs as stacks switched on the calling thread.
 *
 * A hand-off is a stack switch instead of a futex round trip (~3-9 us):
 * same decisions, same trace, byte for byte. On x86-64 the switch is ours
 * (bbmsim_fiber_swap(): six callee-saved registers and the stack pointer;
 * no system call, no signal mask, no pointer mangling); elsewhere a fiber is
 * first entered through its ucontext and afterwards by _longjmp() to where
 * it left, which unlike swapcontext() does not save and restore the signal
 * mask with a system call at every hand-off.
 *
 * Each stack is mmap()ed below a guard region; a fault in it is reported as
 * the overflow of the running CPU's stack (from a SIGSEGV handler on an
 * alternate signal stack) instead of a bare segmentation fault.
 */
/* _longjmp() between fiber stacks is what we mean; fortify's check is not. */
#undef _FORTIFY_SOURCE
#include "engine.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define FIBER_STACK (512u << 10)
/* Wider than one page: a frame with a 4 KiB array must not step over it. */
#define FIBER_GUARD (64u << 10)

#if defined(__x86_64__)
#define FIBER_SWAP 1
#endif

struct sim_fiber {
#ifdef FIBER_SWAP
	void *sp; /* saved stack pointer: callee-saved registers above it */
#else
	ucontext_t ctx; /* the first entry */
	jmp_buf jb;	/* where it was switched away from */
	bool started;
#endif
	char *map; /* guard, then stack; NULL for a host context */
	struct sim_cpu *cpu;
	void (*body)(struct sim_cpu *cpu); /* runs on the fiber, never returns */
	struct sim_fiber *next;		   /* in the free list */
};

/* Stacks not in use by a run; any run on any thread takes from here. */
static struct sim_fiber *free_fibers;
static pthread_mutex_t free_lock = PTHREAD_MUTEX_INITIALIZER;

/* The run whose fibers this thread is switching, for the overflow report. */
static __thread struct sim *running_sim;
/* Where that run's last CPU hands the thread back (fiber_exit(NULL)). */
static __thread struct sim_fiber *host_ctx;

#ifdef FIBER_SWAP
/*
 * Pushes the callee-saved registers (SysV x86-64: rbp, rbx, r12-r15) on the
 * current stack, stores its pointer in *@from, switches to @to and pops
 * that stack's. MXCSR and the x87 control word are never changed here.
 * Both stacks hold the same frame shape, so one CFI description (CFA =
 * rsp + 8 + what is pushed) serves before and after the switch and a
 * debugger unwinds through it; a new fiber's first frame marks the return
 * address undefined, so a backtrace ends there.
 */
void bbmsim_fiber_swap(void **from, void *to);
__asm__(".text\n"
	".globl bbmsim_fiber_swap\n"
	".type bbmsim_fiber_swap, @function\n"
	"bbmsim_fiber_swap:\n"
	"\t.cfi_startproc\n"
	"\tpushq %rbp\n"
	"\t.cfi_adjust_cfa_offset 8\n"
	"\t.cfi_rel_offset %rbp, 0\n"
	"\tpushq %rbx\n"
	"\t.cfi_adjust_cfa_offset 8\n"
	"\t.cfi_rel_offset %rbx, 0\n"
	"\tpushq %r12\n"
	"\t.cfi_adjust_cfa_offset 8\n"
	"\t.cfi_rel_offset %r12, 0\n"
	"\tpushq %r13\n"
	"\t.cfi_adjust_cfa_offset 8\n"
	"\t.cfi_rel_offset %r13, 0\n"
	"\tpushq %r14\n"
	"\t.cfi_adjust_cfa_offset 8\n"
	"\t.cfi_rel_offset %r14, 0\n"
	"\tpushq %r15\n"
	"\t.cfi_adjust_cfa_offset 8\n"
	"\t.cfi_rel_offset %r15, 0\n"
	"\tmovq %rsp, (%rdi)\n"
	"\tmovq %rsi, %rsp\n"
	"\tpopq %r15\n"
	"\t.cfi_adjust_cfa_offset -8\n"
	"\t.cfi_restore %r15\n"
	"\tpopq %r14\n"
	"\t.cfi_adjust_cfa_offset -8\n"
	"\t.cfi_restore %r14\n"
	"\tpopq %r13\n"
	"\t.cfi_adjust_cfa_offset -8\n"
	"\t.cfi_restore %r13\n"
	"\tpopq %r12\n"
	"\t.cfi_adjust_cfa_offset -8\n"
	"\t.cfi_restore %r12\n"
	"\tpopq %rbx\n"
	"\t.cfi_adjust_cfa_offset -8\n"
	"\t.cfi_restore %rbx\n"
	"\tpopq %rbp\n"
	"\t.cfi_adjust_cfa_offset -8\n"
	"\t.cfi_restore %rbp\n"
	"\tret\n"
	"\t.cfi_endproc\n"
	".size bbmsim_fiber_swap, .-bbmsim_fiber_swap\n"
	/* A new fiber's first return lands here, the fiber in r12. */
	".globl bbmsim_fiber_start\n"
	".type bbmsim_fiber_start, @function\n"
	"bbmsim_fiber_start:\n"
	"\t.cfi_startproc\n"
	"\t.cfi_undefined %rip\n"
	"\tmovq %r12, %rdi\n"
	"\tcall bbmsim_fiber_main\n"
	"\tud2\n"
	"\t.cfi_endproc\n"
	".size bbmsim_fiber_start, .-bbmsim_fiber_start\n");
void bbmsim_fiber_start(void);
void bbmsim_fiber_main(struct sim_fiber *f) __attribute__((noreturn));

void bbmsim_fiber_main(struct sim_fiber *f)
{
	f->body(f->cpu);
	abort(); /* the body switched away for good */
}

/* A fresh frame that bbmsim_fiber_swap() "returns" from into the CPU's body. */
void fiber_reset(struct sim_fiber *f, struct sim_cpu *cpu, void (*body)(struct sim_cpu *cpu))
{
	uintptr_t top = ((uintptr_t)f->map + FIBER_GUARD + FIBER_STACK) & ~(uintptr_t)15;
	/* 7 words, then rsp = 16n at bbmsim_fiber_start, so its call is aligned */
	uint64_t *sp = (uint64_t *)(top - 72);

	sp[0] = sp[1] = sp[2] = 0; /* r15 r14 r13 */
	sp[3] = (uintptr_t)f;	   /* r12 */
	sp[4] = sp[5] = 0;	   /* rbx rbp */
	sp[6] = (uintptr_t)bbmsim_fiber_start;
	f->sp = sp;
	f->cpu = cpu;
	f->body = body;
}

void fiber_switch(struct sim_fiber *from, struct sim_fiber *to)
{
	bbmsim_fiber_swap(&from->sp, to->sp);
}

void fiber_exit(struct sim_fiber *to)
{
	void *dead;

	bbmsim_fiber_swap(&dead, (to ? to : host_ctx)->sp);
	abort();
}
#else
static void __attribute__((noreturn)) fiber_enter(struct sim_fiber *f)
{
	if (!f->started) {
		f->started = true;
		setcontext(&f->ctx);
		abort();
	}
	_longjmp(f->jb, 1);
}

static void fiber_entry(unsigned lo, unsigned hi)
{
	struct sim_fiber *f = (struct sim_fiber *)(((uintptr_t)hi << 32) | lo);

	f->body(f->cpu);
	abort();
}

void fiber_reset(struct sim_fiber *f, struct sim_cpu *cpu, void (*body)(struct sim_cpu *cpu))
{
	uintptr_t p = (uintptr_t)f;

	f->cpu = cpu;
	f->body = body;
	f->started = false;
	getcontext(&f->ctx);
	f->ctx.uc_stack.ss_sp = f->map + FIBER_GUARD;
	f->ctx.uc_stack.ss_size = FIBER_STACK;
	f->ctx.uc_link = NULL;
	makecontext(&f->ctx, (void (*)(void))fiber_entry, 2, (unsigned)(p & 0xffffffffu),
		    (unsigned)(p >> 32));
}

void fiber_switch(struct sim_fiber *from, struct sim_fiber *to)
{
	if (!_setjmp(from->jb))
		fiber_enter(to);
}

void fiber_exit(struct sim_fiber *to)
{
	fiber_enter(to ? to : host_ctx);
}
#endif

/* ---- stack overflow: the guard region and the SIGSEGV handler ------------------ */

static struct sigaction old_segv;

static void say(const char *s)
{
	ssize_t r = write(2, s, strlen(s));
	(void)r;
}

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	struct sim *sim = running_sim;
	struct sim_cpu *cur = sim ? sim->cur : NULL;
	char *addr = si->si_addr;

	if (cur && cur->fiber && cur->fiber->map && addr >= cur->fiber->map &&
	    addr < cur->fiber->map + FIBER_GUARD) {
		char num[16], *p = num + sizeof(num);
		unsigned id = cur->id;

		*--p = 0;
		do
			*--p = (char)('0' + id % 10);
		while (id /= 10);
		say("bbmsim: cpu");
		say(p);
		say(": stack overflow (its fiber has 512 KiB; too deep a recursion or "
		    "too large a frame in the CPU's program)\n");
	}
	/* Ours or not, the fault is fatal: let the previous disposition have it. */
	sigaction(SIGSEGV, &old_segv, NULL);
	(void)sig;
	(void)uc;
}

static pthread_once_t segv_once = PTHREAD_ONCE_INIT;
static pthread_key_t altstack_key;
static __thread bool altstack_set;

static void altstack_free(void *p)
{
	munmap(p, (size_t)SIGSTKSZ + FIBER_GUARD);
}

static void segv_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = segv_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGSEGV, &sa, &old_segv);
	pthread_key_create(&altstack_key, altstack_free);
}

/* The handler needs a stack when the fiber's own is what overflowed. */
static void altstack_ensure(void)
{
	size_t size = (size_t)SIGSTKSZ + FIBER_GUARD;
	stack_t ss = {.ss_size = size};

	pthread_once(&segv_once, segv_install);
	if (altstack_set)
		return;
	ss.ss_sp = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ss.ss_sp == MAP_FAILED)
		abort();
	if (sigaltstack(&ss, NULL))
		abort();
	pthread_setspecific(altstack_key, ss.ss_sp);
	altstack_set = true;
}

/* ---- the pool --------------------------------------------------------------------- */

struct sim_fiber *fiber_get(void)
{
	struct sim_fiber *f;

	pthread_mutex_lock(&free_lock);
	f = free_fibers;
	if (f)
		free_fibers = f->next;
	pthread_mutex_unlock(&free_lock);
	if (f)
		return f;
	f = calloc(1, sizeof(*f));
	if (!f)
		abort();
	f->map = mmap(NULL, FIBER_GUARD + FIBER_STACK, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (f->map == MAP_FAILED || mprotect(f->map, FIBER_GUARD, PROT_NONE))
		abort();
	return f;
}

void fiber_put(struct sim_fiber *f)
{
	pthread_mutex_lock(&free_lock);
	f->next = free_fibers;
	free_fibers = f;
	pthread_mutex_unlock(&free_lock);
}

void fiber_run(struct sim *sim, struct sim_fiber *first)
{
	struct sim *outer_sim = running_sim;
	struct sim_fiber host = {0}, *outer_host = host_ctx;

#ifndef FIBER_SWAP
	host.started = true; /* entered by _longjmp() to where the run began */
#endif
	altstack_ensure();
	running_sim = sim;
	host_ctx = &host;
	fiber_switch(&host, first);
	host_ctx = outer_host;
	running_sim = outer_sim;
}

/*
 * x86-64 shadow stacks (CET SHSTK, Linux 6.6, glibc 2.39): a stack switch
 * by hand would fail the shadow stack's check at its first return. Where
 * the process runs with one, the CPUs are threads instead.
 */
#if defined(__x86_64__)
#define ARCH_SHSTK_STATUS 0x5005
#define ARCH_SHSTK_SHSTK  (1ull << 0)

static bool shadow_stack_on(void)
{
	unsigned long long features = 0;

	if (syscall(SYS_arch_prctl, ARCH_SHSTK_STATUS, &features))
		return false; /* a kernel without shadow stacks */
	return features & ARCH_SHSTK_SHSTK;
}
#else
static bool shadow_stack_on(void)
{
	return false;
}
#endif

#ifdef BBMSIM_SANITIZED
#define BBMSIM_SANITIZED_BUILD 1
#else
#define BBMSIM_SANITIZED_BUILD 0
#endif

static pthread_once_t shstk_once = PTHREAD_ONCE_INIT;
static bool shstk;

static void shstk_check(void)
{
	shstk = shadow_stack_on();
}

bool sim_fibers_available(void)
{
	/* ASan and TSan need fiber annotations we do not carry. */
	if (BBMSIM_SANITIZED_BUILD)
		return false;
	pthread_once(&shstk_once, shstk_check);
	return !shstk;
}
