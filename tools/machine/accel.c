/* SPDX-License-Identifier: MIT */
/*
 * accel.c - decide whether KVM is worth using.
 *
 * /dev/kvm existing proves little: under nested virtualisation without
 * hardware support for it, the outer hypervisor emulates VMX/SVM and a KVM
 * guest runs at a few million instructions per second, far slower than
 * QEMU's TCG, and some instructions fail outright.  A CPUID "hypervisor"
 * bit would not decide it either (nested KVM on a good host is fast).  So
 * we measure: create a tiny KVM guest, run a tight loop of LOOP_ITERS
 * iterations in real mode ending in HLT, and time it.  Hardware runs it in
 * well under a millisecond (plus VM entry cost); emulated nesting needs
 * seconds.  Anything that is not a clean HLT exit within BUDGET_MS means
 * "not usable at full speed" and we pick TCG, saying why.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/clock.h"
#include "machine/accel.h"

#define LOOP_ITERS	2000000u	/* ~4M instructions */
#define BUDGET_MS	200		/* generous for hardware, hopeless for emulation */
#define GUEST_MEM	0x10000

static void on_alarm(int sig)
{
	(void)sig;	/* only interrupts KVM_RUN (EINTR) */
}

/* Returns 1 if KVM ran the loop within budget, 0 otherwise (why set). */
/* The vCPU at 0x1000 in real mode, where the loop was copied. */
static int set_real_mode(int vcpu, char *why, size_t whylen)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;

	if (ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0) {
		snprintf(why, whylen, "KVM_GET_SREGS: %s", strerror(errno));
		return -1;
	}
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs) < 0) {
		snprintf(why, whylen, "KVM_SET_SREGS: %s", strerror(errno));
		return -1;
	}
	memset(&regs, 0, sizeof(regs));
	regs.rip = 0x1000;
	regs.rflags = 2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs) < 0) {
		snprintf(why, whylen, "KVM_SET_REGS: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Runs the loop against the budget: 1 when KVM ran it at hardware speed.
 * SIGALRM without SA_RESTART makes KVM_RUN return EINTR at the budget, so
 * a crawling guest costs us BUDGET_MS, not seconds. */
static int timed_run(int vcpu, const struct kvm_run *run, char *why, size_t whylen)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);
	struct itimerval it = { .it_value = { .tv_sec = 0, .tv_usec = BUDGET_MS * 1000 } };
	struct itimerval off = { 0 };
	double t0 = clock_mono_s() * 1e3;
	setitimer(ITIMER_REAL, &it, NULL);
	int r = ioctl(vcpu, KVM_RUN, 0);
	int e = errno;
	setitimer(ITIMER_REAL, &off, NULL);
	double dt = clock_mono_s() * 1e3 - t0;
	sigaction(SIGALRM, &old, NULL);

	if (r < 0 && e == EINTR)
		snprintf(why, whylen, "KVM ran a %u-iteration loop for over %d ms "
			 "(nested or emulated virtualisation); TCG is faster", LOOP_ITERS, BUDGET_MS);
	else if (r < 0)
		snprintf(why, whylen, "KVM_RUN: %s", strerror(e));
	else if (run->exit_reason != KVM_EXIT_HLT)
		snprintf(why, whylen, "KVM calibration guest exited with reason %u, not HLT",
			 run->exit_reason);
	else if (dt > BUDGET_MS)
		snprintf(why, whylen, "KVM calibration loop took %.0f ms (budget %d ms)", dt, BUDGET_MS);
	else {
		snprintf(why, whylen, "KVM ran the calibration loop in %.1f ms", dt);
		return 1;
	}
	return 0;
}

static int kvm_calibrate(char *why, size_t whylen)
{
	int kvm = -1, vm = -1, vcpu = -1, ok = 0;
	void *mem = MAP_FAILED;
	struct kvm_run *run = MAP_FAILED;
	long run_size = 0;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		snprintf(why, whylen, "/dev/kvm: %s", strerror(errno));
		goto out;
	}
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		snprintf(why, whylen, "/dev/kvm: unexpected API version");
		goto out;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		snprintf(why, whylen, "KVM_CREATE_VM: %s", strerror(errno));
		goto out;
	}
	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		snprintf(why, whylen, "mmap: %s", strerror(errno));
		goto out;
	}
	/* Real mode at 0x1000:
	 *   mov ecx, LOOP_ITERS   66 b9 imm32
	 * 1: dec ecx              66 49
	 *   jnz 1b                75 fc
	 *   hlt                   f4 */
	uint8_t code[] = { 0x66, 0xb9, 0, 0, 0, 0, 0x66, 0x49, 0x75, 0xfc, 0xf4 };
	uint32_t iters = LOOP_ITERS;
	memcpy(code + 2, &iters, 4);
	memcpy((uint8_t *)mem + 0x1000, code, sizeof(code));
	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = GUEST_MEM,
		.userspace_addr = (uint64_t)(uintptr_t)mem,
	};
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		snprintf(why, whylen, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		goto out;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		snprintf(why, whylen, "KVM_CREATE_VCPU: %s", strerror(errno));
		goto out;
	}
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size <= 0) {
		snprintf(why, whylen, "KVM_GET_VCPU_MMAP_SIZE failed");
		goto out;
	}
	run = mmap(NULL, (size_t)run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (run == MAP_FAILED) {
		snprintf(why, whylen, "mmap kvm_run: %s", strerror(errno));
		goto out;
	}
	if (set_real_mode(vcpu, why, whylen) == 0)
		ok = timed_run(vcpu, run, why, whylen);
out:
	if (run != MAP_FAILED)
		munmap(run, (size_t)run_size);
	if (vcpu >= 0)
		close(vcpu);
	if (mem != MAP_FAILED)
		munmap(mem, GUEST_MEM);
	if (vm >= 0)
		close(vm);
	if (kvm >= 0)
		close(kvm);
	return ok;
}

static int decided = -1;
static char reason[192];
static pthread_once_t accel_once = PTHREAD_ONCE_INIT;

static void decide(void)
{
	decided = kvm_calibrate(reason, sizeof(reason));
}

const char *accel_auto(char *why, size_t whylen)
{
	pthread_once(&accel_once, decide);
	if (why && whylen)
		snprintf(why, whylen, "%s", reason);
	return decided ? "kvm" : "tcg";
}

static unsigned long tsc_khz;
static pthread_once_t tsc_once = PTHREAD_ONCE_INIT;

static void measure_tsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	/* Best of three 20 ms windows: a preemption only ever makes a window
	 * look slower or faster by the time lost, the median is robust. */
	unsigned long r[3];
	for (int i = 0; i < 3; i++) {
		uint32_t lo, hi;
		double t0 = clock_mono_s() * 1e3;
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		uint64_t c0 = (uint64_t)hi << 32 | lo;
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		uint64_t c1 = (uint64_t)hi << 32 | lo;
		double dt = clock_mono_s() * 1e3 - t0;
		r[i] = dt > 0 ? (unsigned long)((double)(c1 - c0) / dt) : 0;
	}
	for (int i = 0; i < 3; i++)
		for (int k = i + 1; k < 3; k++)
			if (r[k] < r[i]) {
				unsigned long t = r[i];
				r[i] = r[k];
				r[k] = t;
			}
	tsc_khz = r[1];
#endif
}

unsigned long accel_host_tsc_khz(void)
{
	pthread_once(&tsc_once, measure_tsc);
	return tsc_khz;
}
