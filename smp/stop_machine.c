// SPDX-License-Identifier: GPL-2.0-only
/*
 * stop_machine() after kernel/stop_machine.c: a stopper per CPU, woken by
 * queueing work and a reschedule IPI, running multi_cpu_stop(), whose
 * states (prepare, disable IRQs, run, exit) every CPU acknowledges on a
 * shared counter; the last to acknowledge moves the machine to the next.
 */
#include "smp/smp_internal.h"

#include "sim/cpu.h"

#include <glib.h>

int smp_stop_setup(struct sim *sim)
{
	struct smp *s = sim->smp;

	s->stop_cpus_mutex = raw_spin_lock_alloc(sim);
	s->ms_state = sim_kdata_alloc(sim, 64, 64);
	s->ms_thread_ack = sim_kdata_alloc(sim, 64, 64);
	s->ms_num_threads = sim_kdata_alloc(sim, 64, 64);
	s->stop_nr_todo = sim_kdata_alloc(sim, 64, 64);
	return 0;
}

static void set_state(struct sim_cpu *cpu, enum multi_stop_state newstate)
{
	struct smp *s = smp_of(cpu);

	/* Reset the ack counter before anyone can see the new state. */
	cpu_store(cpu, s->ms_thread_ack, 4, cpu_load(cpu, s->ms_num_threads, 4));
	if (!(s->cfg.omit & SMP_OMIT_STOP_WMB))
		cpu_barrier(cpu, CPU_DMB_ISHST); /* smp_wmb() */
	cpu_store(cpu, s->ms_state, 4, newstate);
}

/* The last CPU to acknowledge a state moves to the next one. */
static void ack_state(struct sim_cpu *cpu, enum multi_stop_state curstate)
{
	struct smp *s = smp_of(cpu);

	s->cpus[cpu->id].stop_acked |= 1u << curstate;
	/*
	 * atomic_dec_and_test() is fully ordered (LDADDAL): what this CPU did
	 * in the state (the function's stores) is seen by whoever sees the
	 * next state. SMP_OMIT_ACK_ORDER: relaxed (LDADD).
	 */
	if (cpu_rmw(cpu, CPU_RMW_ADD, s->ms_thread_ack, 4, 0, (uint32_t)-1,
		    s->cfg.omit & SMP_OMIT_ACK_ORDER ? CPU_PLAIN : CPU_AL, 0, 0) == 1)
		set_state(cpu, curstate + 1);
}

static unsigned next_online_first(const struct cpumask *m, unsigned ncpus)
{
	for (unsigned i = 0; i < ncpus; i++)
		if (cpumask_test_cpu(i, m))
			return i;
	return ncpus;
}

static unsigned long local_save_flags(struct sim_cpu *cpu)
{
	if (system_uses_irq_prio_masking(cpu->sim))
		return icc_read_pmr(cpu);
	return ((struct smp_cpu *)cpu->smp)->daif;
}

static int multi_cpu_stop(struct sim_cpu *cpu)
{
	struct smp *s = smp_of(cpu);
	struct smp_cpu *pc = cpu->smp;
	enum multi_stop_state curstate = MULTI_STOP_NONE;
	unsigned long flags = local_save_flags(cpu);
	struct cpumask online;
	bool is_active;
	int err = 0;
	uint64_t t0 = cpu->clock;

	cpu_online_mask(cpu, &online);
	is_active = next_online_first(&online, s->ncpus) == cpu->id;
	pc->stop_acked = 0;
	do {
		/* stop_machine_yield(), READ_ONCE(msdata->state): until it moves */
		curstate = (enum multi_stop_state)cpu_spin_while(cpu, s->ms_state, 4, 0xffffffff,
								 curstate, "multi_stop_state");
		switch (curstate) {
		case MULTI_STOP_DISABLE_IRQ:
			local_irq_disable(cpu);
			break;
		case MULTI_STOP_RUN:
			pc->stop_irqs_off_at_run = irqs_disabled(cpu);
			if (is_active)
				err = s->ms_fn(cpu, s->ms_arg);
			break;
		default:
			break;
		}
		ack_state(cpu, curstate);
	} while (curstate != MULTI_STOP_EXIT);
	local_irq_restore(cpu, flags);
	sim_span(cpu, "multi_cpu_stop", t0);
	return err;
}

/* cpu_stopper_thread(): runs the queued multi_cpu_stop, then signals done. */
void cpu_stopper_run(struct sim_cpu *cpu)
{
	struct smp *s = smp_of(cpu);
	struct smp_cpu *pc = cpu->smp;
	uint64_t work = smp_percpu(cpu, cpu->id, PCPU_STOPPER_WORK);
	int ret;

	/*
	 * The stopper is a thread: once the CPU runs it, an interrupt's exit
	 * does not start it again. Counted before the work list is looked at:
	 * between the test and the clear an IRQ's exit path ran a second
	 * stopper on the same work, which acknowledged stop_nr_todo twice
	 * and hung the next stop_machine() (compare --scale 1, B, 80 CPUs).
	 */
	pc->preempt_count++;
	/* spin_lock_irq(&stopper->lock), then the work list: acquire */
	if (!cpu_load_acquire(cpu, work, 8)) {
		pc->preempt_count--;
		return;
	}
	/* The CPU switches to the stopper thread, and back after. */
	sim_tick(cpu, COST_context_switch);
	cpu_store64(cpu, work, 0);
	ret = multi_cpu_stop(cpu);
	if (ret)
		s->ms_ret = ret;
	pc->preempt_count--;
	cpu_fetch_add(cpu, s->stop_nr_todo, 4, (uint32_t)-1);
	sim_tick(cpu, COST_context_switch);
}

void smp_schedule(struct sim_cpu *cpu)
{
	struct smp_cpu *pc = cpu->smp;
	uint64_t nr = smp_percpu(cpu, cpu->id, PCPU_NEED_RESCHED);

	/* schedule(): the runqueue lock, taken before need_resched counts: acquire */
	if (pc->preempt_count || !cpu_load_acquire(cpu, nr, 4))
		return;
	cpu_store(cpu, nr, 4, 0);
	cpu_stopper_run(cpu);
}

int stop_machine(struct sim_cpu *cpu, cpu_stop_fn_t fn, void *arg)
{
	struct smp *s = smp_of(cpu);
	struct cpumask online;
	unsigned n;
	int ret;
	uint64_t t0 = cpu->clock;

	raw_spin_lock(cpu, s->stop_cpus_mutex);
	s->ms_fn = fn;
	s->ms_arg = arg;
	s->ms_ret = 0;
	n = num_online_cpus(cpu);
	cpu_store(cpu, s->ms_num_threads, 4, n);
	set_state(cpu, MULTI_STOP_PREPARE);
	cpu_store(cpu, s->stop_nr_todo, 4, n);

	/* queue_stop_cpus_work(): each stopper gets the work and a wake-up */
	cpu_online_mask(cpu, &online);
	for (unsigned c = 0; c < s->ncpus; c++) {
		if (!cpumask_test_cpu(c, &online))
			continue;
		/* cpu_stop_queue_work(): list_add under stopper->lock, then unlock */
		cpu_store_release(cpu, smp_percpu(cpu, c, PCPU_STOPPER_WORK), 8, 1);
		if (c != cpu->id) {
			sim_tick(cpu, COST_wakeup); /* wake_up_process(stopper) */
			smp_send_reschedule(cpu, c);
		}
	}
	/* Our own stopper preempts us right away. */
	cpu_stopper_run(cpu);
	/* wait_for_completion(): the other stoppers signal done (its lock: acquire) */
	cpu_spin_until_acquire(cpu, s->stop_nr_todo, 4, 0xffffffff, 0, "stop_machine done");
	ret = s->ms_ret;
	raw_spin_unlock(cpu, s->stop_cpus_mutex);
	sim_span(cpu, "stop_machine", t0);
	return ret;
}

uint32_t smp_stop_acked(struct sim *sim, unsigned cpu)
{
	return ((struct smp *)sim->smp)->cpus[cpu].stop_acked;
}

bool smp_stop_irqs_off_at_run(struct sim *sim, unsigned cpu)
{
	return ((struct smp *)sim->smp)->cpus[cpu].stop_irqs_off_at_run;
}
