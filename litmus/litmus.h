/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * litmus: herd7's AArch64 litmus tests (the subset the catalogue in
 * ../shared/herd uses, plus our levels/blocks extension), parsed into a
 * program each simulated CPU interprets through the normal CPU/MMU API.
 *
 * Contract: lit_parse() takes the text of one test and returns a struct
 * litmus, or NULL with @err set to "FILE:LINE: what" for anything outside
 * the subset (the CLI exits 2 on it). The representation is plain data:
 * symbols (x, y, ...) are indices into lt->sym, values are tagged so the
 * runner can place them once it has laid out memory (lit_run.c).
 * docs/litmus.md lists the subset and the extension.
 */
#ifndef BBMSIM_LITMUS_H
#define BBMSIM_LITMUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LIT_MAX_THREADS 8
#define LIT_MAX_SYMS	16
#define LIT_MAX_INS	64
#define LIT_MAX_LABELS	32
#define LIT_REG_ZR	31 /* XZR/WZR: reads 0, writes vanish */

/* A descriptor as herd writes it: (oa:PA(x), valid:0, af:0, db:0, dbm:1, ...). */
enum lit_attr {
	LIT_ATTR_NORMAL, /* Normal, inner-shareable, write-back (herd's default) */
	LIT_ATTR_NC,	 /* Normal, iNC, oNC */
	LIT_ATTR_GRE,	 /* Device-GRE */
	LIT_ATTR_NGNRE,	 /* Device-nGnRE */
	LIT_ATTR_NGNRNE, /* Device-nGnRnE */
};

struct lit_desc {
	int oa_sym;  /* PA(sym) it maps; -1: none given (the location's own) */
	int oa_page; /* our extension: a page of sym's block, (oa:PA(x)+N) */
	uint8_t valid, af, db, dbm, el0, contig;
	uint8_t level; /* our extension: 3 page (herd's only), 2 block, 1 block */
	enum lit_attr attr;
};

enum lit_val_kind {
	LV_INT,	  /* a number */
	LV_VA,	  /* x: the virtual address of sym */
	LV_PA,	  /* PA(x) / phy_x: its physical page */
	LV_PTE,	  /* PTE(x) / pte_x: the (kernel VA of the) descriptor mapping x */
	LV_DESC,  /* (oa:..., ...): a descriptor value */
	LV_LABEL, /* label:"P1:L0": the address of an instruction */
	LV_TABLE, /* our extension: TABLE(x) (level 2), x's level-3 table; PMDTABLE(x) (level 1) */
};

struct lit_val {
	enum lit_val_kind kind;
	int64_t i; /* LV_INT */
	int sym;   /* LV_VA, LV_PA, LV_PTE */
	int level; /* LV_PTE: our extension PMD(x)=2, PUD(x)=1; 3 otherwise; LV_TABLE: its holder's */
	struct lit_desc d;
	int thread, label; /* LV_LABEL: instruction index once resolved */
	char lname[16];	   /* LV_LABEL: its name */
};

/* A location of the init section or condition: a register or a memory cell. */
struct lit_loc {
	bool is_reg;
	int thread, reg;     /* is_reg */
	struct lit_val addr; /* memory: LV_VA, LV_PA or LV_PTE */
};

enum lit_op {
	LOP_NOP,
	LOP_MOV,
	LOP_ADD,
	LOP_SUB,
	LOP_AND,
	LOP_ORR,
	LOP_EOR,
	LOP_BIC,
	LOP_LSR,
	LOP_LSL,
	LOP_CMP,
	LOP_CSEL,
	LOP_CSET,
	LOP_ADR,
	LOP_B,
	LOP_BCOND,
	LOP_CBZ,
	LOP_CBNZ,
	LOP_LDR,
	LOP_STR,
	LOP_LDXR,
	LOP_STXR,
	LOP_SWP,
	LOP_CAS,
	LOP_LDOP, /* LDADD/LDCLR/LDSET/LDEOR and the ST forms (rt = ZR) */
	LOP_DMB,
	LOP_DSB,
	LOP_ISB,
	LOP_TLBI,
	LOP_MSR,
	LOP_MRS,
	LOP_ERET,
};

enum lit_amo { AMO_ADD, AMO_CLR, AMO_SET, AMO_EOR };
enum lit_cond { COND_EQ, COND_NE };
/* Barrier domain/type as written: DMB/DSB SY, ST, LD, ISH, ISHST, ISHLD, ... */
enum lit_bar { BAR_SY, BAR_ST, BAR_LD, BAR_ISH, BAR_ISHST, BAR_ISHLD, BAR_NSH, BAR_OSH };
enum lit_tlbi {
	TLBI_VAE1IS,
	TLBI_VALE1IS,
	TLBI_VAAE1IS,
	TLBI_VAALE1IS,
	TLBI_VMALLE1IS,
	TLBI_VAE1,
	TLBI_VALE1,
	TLBI_VAAE1,
	TLBI_VAALE1,
	TLBI_VMALLE1,
};

struct lit_ins {
	enum lit_op op;
	int line;	    /* in the file, for messages */
	bool wide;	    /* X (64-bit) rather than W */
	int rd, rn, rm, rs; /* registers; -1 when absent */
	bool has_imm;
	int64_t imm;
	bool sxtw;     /* [Xn,Wm,SXTW] / ADD ...,SXTW */
	int post;      /* [Xn],#imm: post-index by imm */
	bool acq, rel; /* LDAR/LDAPR/STLR and the A/L atomics */
	bool acq_pc;   /* LDAPR: acquire, RCpc */
	enum lit_amo amo;
	enum lit_cond cond;
	enum lit_bar bar;
	enum lit_tlbi tlbi;
	int target;    /* branches and ADR: instruction index in thread target_th */
	int target_th; /* ADR in a handler may name its thread's label */
	int sysreg;    /* MSR/MRS: 0 ELR_EL1 */
};

struct lit_thread {
	struct lit_ins ins[LIT_MAX_INS];
	int nins;
	/* label name -> instruction index, and the names for messages */
	char label_name[LIT_MAX_LABELS][16];
	int label_at[LIT_MAX_LABELS];
	int nlabels;
	int handler; /* index of this thread's fault handler thread (Pn.F), or -1 */
	bool is_handler;
	int owner; /* Pn.F: n */
};

enum lit_prop_kind { LP_TRUE, LP_NOT, LP_AND, LP_OR, LP_EQ, LP_FAULT };

struct lit_prop {
	enum lit_prop_kind kind;
	struct lit_prop *a, *b; /* LP_NOT (a), LP_AND, LP_OR */
	struct lit_loc loc;	/* LP_EQ */
	struct lit_val val;
	/* LP_FAULT: fault(Pn[:L][,loc[,kind]]) */
	int thread, label; /* label -1: anywhere in the thread */
	int fsym;	   /* -1: any location */
	bool fsym_pte;	   /* fault(P0,pte_x) */
	int fkind;	   /* -1 any, else enum mmu_fault_type-like: 1 translation, 2 AF, 3 perm */
};

enum lit_quant { LQ_EXISTS, LQ_NOT_EXISTS, LQ_FORALL };

struct lit_init {
	struct lit_loc loc;
	struct lit_val val;
	int line;
};

struct litmus {
	char name[128];
	char *path; /* as given, for messages */
	char *text; /* the whole file: a trace records it (struct scenario.data) */
	char variant[64];
	bool var_ets2, var_precise, var_fatal, var_bbm2, var_bbm2_noabort;
	/* TTHM: hardware AF/dirty updates, per thread (bit per thread, all = ~0) */
	unsigned tthm_ha, tthm_hd;
	/* EL0=P0,P2: the threads that run at EL0 (their handlers run at EL1) */
	unsigned el0;

	char sym[LIT_MAX_SYMS][16];
	int nsym;
	/* ours: a location the test names PUD(x), PMDTABLE(x) or a 1 GiB block of has a GiB */
	bool giant[LIT_MAX_SYMS];

	struct lit_init *init;
	int ninit;

	struct lit_thread th[LIT_MAX_THREADS];
	int nthreads; /* Pn and Pn.F columns together */
	int nprocs;   /* Pn only: the CPUs */

	struct lit_loc *locs; /* locations [...] */
	int nlocs;
	struct lit_prop *filter; /* NULL: none */
	enum lit_quant quant;
	struct lit_prop *cond;
	/* every node allocated, for lit_free */
	struct lit_prop **props;
	int nprops;
};

struct litmus *lit_parse(const char *path, const char *text, size_t len, char *err, size_t errlen);
struct litmus *lit_load(const char *path, char *err, size_t errlen);
void lit_free(struct litmus *lt);

/* Formats a condition back as text (herd's "Condition" line). */
void lit_prop_str(const struct litmus *lt, const struct lit_prop *p, char *buf, size_t len);
/* Formats a location ("1:X0", "[x]", "[PTE(x)]"). */
void lit_loc_str(const struct litmus *lt, const struct lit_loc *l, char *buf, size_t len);

#endif
