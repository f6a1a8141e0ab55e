/* SPDX-License-Identifier: MIT */
/*
 * matrix_pool.c - the matrix's rows run side by side (matrix_pool.h).
 * Threads, not processes: every row's boot is a QEMU child of its own, and
 * what the threads share (the kernels' bootctx, prepared before they
 * start) is only read; the one lock guards the next job and the count.
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/clock.h"
#include "common/tool_err.h"
#include "common/verdict.h"
#include "machine/matrix_pool.h"
#include "machine/process.h"
#include "report/matrix_rows.h"

/* "zeropage matrix: 7/15 done, 8 left (shim-64 pc ok)"; called locked */
static void progress(const struct matrix_pool *p, const struct matrix_job *j)
{
	tool_error("%zu/%zu done, %zu left (%s%s%s %s %s)", p->done,
		p->njobs, p->njobs - p->done,
		p->nkernels > 1 ? matrix_rows_basename(p->kids[j->kernel].file) : "",
		p->nkernels > 1 ? " " : "", bootpath_name(j->req.path), j->req.machine,
		verdict_name(j->out.verdict));
}

/* The matrix was stopped (process_interrupted) before this row ran: it
 * is not run, and says so; true then. */
static bool stopped_before(struct matrix_job *j)
{
	int sig = process_interrupted();

	if (!sig)
		return false;
	bootpath_set(&j->out, VERDICT_SKIPPED, "not run: the matrix was stopped (%s)",
		     process_signal_name(sig));
	bootpath_find_entry(&j->req, &j->out);
	return true;
}

/* One row, timed, unless the matrix was stopped first. */
static void run_one(struct matrix_pool *p, struct matrix_job *j)
{
	if (stopped_before(j))
		return;
	double t0 = clock_mono_s();
	j->start_time = clock_real_s();
	bootpath_run(&p->ctx[j->kernel], &j->req, &j->out);
	j->duration = clock_mono_s() - t0;
	bootpath_mark_stopped(&j->out, j->duration);
}

/* A batch of xen-domu rows in one Xen boot; a row the shared boot never
 * reached (it stopped in an earlier row: a panic) then runs on its own. */
static void run_batch(struct matrix_pool *p, struct matrix_job *lead)
{
	struct bootpath_req reqs[XEN_DOMU_BATCH_MAX];
	static __thread struct bootpath_outcome outs[XEN_DOMU_BATCH_MAX];
	struct bootctx *c = &p->ctx[lead->kernel];
	double t0 = clock_mono_s(), start = clock_real_s();

	if (stopped_before(lead)) {
		for (size_t k = 1; k < lead->nbatch; k++)
			stopped_before(&p->jobs[lead->batch[k]]);
		return;
	}
	for (size_t k = 0; k < lead->nbatch; k++)
		reqs[k] = p->jobs[lead->batch[k]].req;
	xen_domu_run_batch(c, reqs, lead->nbatch, outs);
	double took = clock_mono_s() - t0;
	for (size_t k = 0; k < lead->nbatch; k++) {
		struct matrix_job *m = &p->jobs[lead->batch[k]];
		m->out = outs[k];
		m->start_time = start;
		m->duration = took;
		if (m->out.batch_not_run) {
			bootpath_outcome_free(&m->out);
			run_one(p, m);
		} else {
			bootpath_mark_stopped(&m->out, took);
		}
	}
}

static void *worker(void *arg)
{
	struct matrix_pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next++;
		pthread_mutex_unlock(&p->lock);
		if (i >= p->njobs)
			return NULL;
		struct matrix_job *j = &p->jobs[i];
		if (j->in_batch)
			continue;	/* its batch's first row runs it */
		if (j->nbatch > 1)
			run_batch(p, j);
		else
			run_one(p, j);
		pthread_mutex_lock(&p->lock);
		for (size_t k = 0; k < (j->nbatch > 1 ? j->nbatch : 1); k++) {
			p->done++;
			if (p->progress)
				progress(p, j->nbatch > 1 ? &p->jobs[j->batch[k]] : j);
		}
		pthread_mutex_unlock(&p->lock);
	}
}

void matrix_pool_plan_batches(struct matrix_job *jobs, size_t n, size_t nkernels, long njobs,
			      long size)
{
	for (size_t k = 0; k < nkernels; k++) {
		size_t idx[MATRIX_MAX_JOBS], c = 0;
		for (size_t i = 0; i < n; i++)
			if (jobs[i].kernel == k && bootpath_machine_is_xen_domu(jobs[i].req.machine))
				idx[c++] = i;
		size_t per = size ? (size_t)size : (c + (size_t)njobs - 1) / (size_t)njobs;
		if (per > XEN_DOMU_BATCH_MAX)
			per = XEN_DOMU_BATCH_MAX;
		for (size_t at = 0; per > 1 && at < c; at += per) {
			struct matrix_job *lead = &jobs[idx[at]];
			for (size_t m = at; m < c && m < at + per; m++) {
				lead->batch[lead->nbatch++] = idx[m];
				jobs[idx[m]].in_batch = m != at;
			}
		}
	}
}

void matrix_pool_run(struct matrix_pool *pool, long njobs)
{
	pthread_t th[MATRIX_MAX_THREADS];
	long started = 0;

	pthread_mutex_init(&pool->lock, NULL);
	for (long t = 0; t < njobs && (size_t)t < pool->njobs; t++)
		if (pthread_create(&th[t], NULL, worker, pool) == 0)
			started++;
	if (!started)
		worker(pool);	/* no threads: run them here, one by one */
	for (long t = 0; t < started; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_destroy(&pool->lock);
}
