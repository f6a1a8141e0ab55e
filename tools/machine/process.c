/* SPDX-License-Identifier: MIT */
/*
 * process.c - the child processes zeropage starts (QEMU, and helpers such
 * as zeropage itself or grub-mkrescue): each in a process group of its
 * own, tracked so that a fatal signal to us kills every group and removes
 * the temporary files we registered, and killed by the kernel if we die
 * without a chance to (PDEATHSIG).  See process.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/tool_err.h"
#include "machine/process.h"
#include "machine/rundir.h"

/* ------------------------------------------------------------------ */
/* Every running QEMU's process group, so a signal to us can end them. */

#define MAX_RUNNING 64
static volatile pid_t running[MAX_RUNNING];
static pthread_mutex_t running_lock = PTHREAD_MUTEX_INITIALIZER;

static void running_add(pid_t pg)
{
	pthread_mutex_lock(&running_lock);
	for (int i = 0; i < MAX_RUNNING; i++)
		if (!running[i]) {
			running[i] = pg;
			break;
		}
	pthread_mutex_unlock(&running_lock);
}

static void running_del(pid_t pg)
{
	pthread_mutex_lock(&running_lock);
	for (int i = 0; i < MAX_RUNNING; i++)
		if (running[i] == pg)
			running[i] = 0;
	pthread_mutex_unlock(&running_lock);
}

#define MAX_CLEANUP 64
static char cleanup_paths[MAX_CLEANUP][320];
static volatile sig_atomic_t ncleanup;

void process_cleanup_on_signal(const char *path)
{
	pthread_mutex_lock(&running_lock);
	if (ncleanup < MAX_CLEANUP && strlen(path) < sizeof(cleanup_paths[0])) {
		strcpy(cleanup_paths[ncleanup], path);
		ncleanup = ncleanup + 1;	/* only after the path is complete */
	}
	pthread_mutex_unlock(&running_lock);
}

void process_track(pid_t pg)
{
	running_add(pg);
}

void process_untrack(pid_t pg)
{
	running_del(pg);
}

static void on_fatal_signal(int sig)
{
	/* async-signal-safe calls only: kill, waitpid, nanosleep, unlink,
	 * rmdir, open, fstat, getdents64, unlinkat, close, signal, raise */
	for (int i = 0; i < MAX_RUNNING; i++)
		if (running[i] > 0)
			kill(-running[i], SIGKILL);
	/* dead before we clean up after them (a bounded wait: not forever) */
	for (int i = 0; i < MAX_RUNNING; i++)
		for (int k = 0; running[i] > 0 && k < 200; k++) {
			pid_t w = waitpid(running[i], NULL, WNOHANG);
			if (w != 0)
				break;
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
	for (int i = ncleanup; i-- > 0;) {
		unlink(cleanup_paths[i]);
		/* a whole tree: a helper killed while writing (grub-mkrescue
		 * in its TMPDIR here) leaves files nobody registered */
		if (rmdir(cleanup_paths[i]) < 0 && errno == ENOTEMPTY)
			rundir_remove(cleanup_paths[i]);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* The matrix's first SIGINT/SIGTERM/SIGHUP: the rows running end (their
 * process groups killed, as on a fatal signal), no new row starts, and
 * the command reports what it has; the signal's number is kept for the
 * exit code.  A second one is fatal (the user means it). */
static volatile sig_atomic_t interrupted;

static void on_first_signal(int sig)
{
	if (interrupted) {
		on_fatal_signal(sig);
		return;
	}
	interrupted = sig;
	for (int i = 0; i < MAX_RUNNING; i++)
		if (running[i] > 0)
			kill(-running[i], SIGKILL);
}

int process_interrupted(void)
{
	return interrupted;
}

const char *process_signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" :
	       "a signal";
}

/* handler for the three signals that stop a command */
static void on_stop_signals(void (*handler)(int))
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* a closed stdout must not kill us with QEMUs still running */
	signal(SIGPIPE, SIG_IGN);
}

void process_install_interrupt_handlers(void)
{
	on_stop_signals(on_first_signal);
}

void process_install_signal_handlers(void)
{
	on_stop_signals(on_fatal_signal);
}

/* Resolve the binary through PATH before fork(): execv in the child is
 * async-signal-safe where execvp may not be (we may have threads). */
int process_find_program(const char *bin, char *out, size_t cap)
{
	if (strchr(bin, '/')) {
		snprintf(out, cap, "%s", bin);
		return access(out, X_OK);
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *c = strchr(path, ':');
		size_t l = c ? (size_t)(c - path) : strlen(path);
		snprintf(out, cap, "%.*s/%s", (int)l, path, bin);
		if (l && access(out, X_OK) == 0)
			return 0;
		path += l + (c ? 1 : 0);
	}
	return -1;
}

pid_t process_spawn(const char *bin, const char *const *argv, int out_fd, int err_fd)
{
	return process_spawn_env(bin, argv, NULL, out_fd, err_fd);
}

pid_t process_spawn_env(const char *bin, const char *const *argv, char *const *envp,
			int out_fd, int err_fd)
{
	int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	/* Block our fatal-signal handlers' race: the group is registered
	 * before any signal could need it. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		/* child: only async-signal-safe calls from here on */
		setpgid(0, 0);
		/* Our signal handlers cannot run on SIGKILL (kill -9, the OOM
		 * killer, a CI runner's hard stop): then the kernel ends the
		 * child.  If we are already gone, do not start it at all. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		sigset_t none;
		sigemptyset(&none);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(out_fd, 1);
		dup2(err_fd, 2);
		execve(bin, (char *const *)argv, envp ? envp : environ);
		static const char msg[] = "exec failed\n";
		(void)!write(2, msg, sizeof(msg) - 1);
		_exit(127);
	}
	int e = errno;
	if (pid > 0) {
		setpgid(pid, pid);	/* also here: whichever runs first wins */
		running_add(pid);
		if (interrupted)	/* the matrix was told to stop: not this one */
			kill(-pid, SIGKILL);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (devnull >= 0)
		close(devnull);
	errno = e;
	return pid;
}

int process_run_helper(const char *bin, const char *const *args, struct tool_err *err)
{
	return process_run_helper_env(bin, args, NULL, err);
}

int process_run_helper_env(const char *bin, const char *const *args, char *const *envp,
			   struct tool_err *err)
{
	const char *argv[24];
	int n = 0;
	int ep[2];

	argv[n++] = bin;
	for (int i = 0; args[i] && n < 23; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (pipe2(ep, O_CLOEXEC)) {
		tool_err_set(err, "pipe: %s", strerror(errno));
		return -1;
	}
	/* Its own process group, tracked like a QEMU, so that a fatal signal
	 * to us kills it before its half-written file's directory is removed. */
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	pid_t pid = process_spawn_env(bin, argv, envp, devnull >= 0 ? devnull : ep[1], ep[1]);
	int fe = errno;
	if (devnull >= 0)
		close(devnull);
	close(ep[1]);
	if (pid < 0) {
		close(ep[0]);
		tool_err_set(err, "fork: %s", strerror(fe));
		return -1;
	}
	char buf[2048];
	size_t len = 0;
	for (;;) {
		ssize_t r = read(ep[0], buf + len, sizeof(buf) - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
		if (len == sizeof(buf) - 1) {
			char sink[512];	/* keep the head, drain the rest */
			while (read(ep[0], sink, sizeof(sink)) > 0)
				;
			break;
		}
	}
	close(ep[0]);
	buf[len] = 0;
	int st;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	process_untrack(pid);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		return 0;
	char *s = buf;
	while (*s == '\n')
		s++;
	s[strcspn(s, "\n")] = 0;
	if (!*s)
		tool_err_set(err, "exit status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	else
		tool_err_set(err, "%.200s", s);
	return -1;
}
