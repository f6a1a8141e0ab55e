/* SPDX-License-Identifier: MIT */
/*
 * matrix_pool.h - the matrix's rows run side by side: a job per row of
 * the grid, -j worker threads taking them in grid order, and the xen-domu
 * rows of one kernel grouped into batches that share a Xen boot
 * (xen_domu_run_batch).  `zeropage matrix` plans the jobs and reads their
 * outcomes; this runs them and times each.
 */
#ifndef ZEROPAGE_TOOLS_MATRIX_POOL_H
#define ZEROPAGE_TOOLS_MATRIX_POOL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "machine/bootpath.h"
#include "machine/xen_domu.h"
#include "report/kernel_id.h"

#define MATRIX_MAX_KERNELS	8
#define MATRIX_MAX_MACHINES	5	/* pc, q35, microvm, xen, xen-domu */
#define MATRIX_MAX_JOBS	(MATRIX_MAX_KERNELS * MATRIX_MAX_MACHINES * BOOTPATH_COUNT)
#define MATRIX_MAX_THREADS	(MATRIX_MAX_MACHINES * BOOTPATH_COUNT)

struct matrix_job {
	struct bootpath_req req;
	struct bootpath_outcome out;
	size_t index;			/* in the whole grid */
	size_t kernel;			/* which KERNEL */
	double start_time, duration;	/* wall clock */
	/* xen-domu rows sharing one Xen boot: the first lists them all
	 * (itself included), the others are marked and left to it */
	size_t batch[XEN_DOMU_BATCH_MAX], nbatch;
	bool in_batch;
};

struct matrix_pool {
	struct bootctx *ctx;		/* one per kernel */
	const struct kernel_id *kids;
	size_t nkernels;
	struct matrix_job *jobs;
	size_t njobs, next, done;
	bool progress;			/* a line per finished row (stderr a terminal) */
	pthread_mutex_t lock;
};

/* xen-domu rows share Xen boots: each kernel's rows split into as many
 * batches as jobs run at once (so the boots still run side by side), or
 * into batches of `size` when --domu-batch says. */
void matrix_pool_plan_batches(struct matrix_job *jobs, size_t n, size_t nkernels, long njobs,
			      long size);

/* Runs every job of pool, njobs at a time (here, one by one, if no thread
 * can be made); each job's out, start_time and duration filled.  With
 * pool->progress a line per finished row goes to stderr. */
void matrix_pool_run(struct matrix_pool *pool, long njobs);

#endif
