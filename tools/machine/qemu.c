/* SPDX-License-Identifier: MIT */
/* qemu.c - see qemu.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "machine/loader_console.h"
#include "machine/qemu.h"
#include "report/guest_report.h"
#include "common/clock.h"
#include "common/safe_text.h"

#define CONSOLE_CAP	(32u << 20)	/* keep at most this much console */
#define STDERR_CAP	4096
#define PANIC_GRACE_S	1.5		/* after "Kernel panic": let the trace finish */
#define PROBE_MARK	REPORT_LINE_PREFIX " v="
#define BANNER_MARK	"Linux version "
#define PANIC_MARK	"Kernel panic - not syncing"
#define PANIC_END	"---[ end Kernel panic"

bool qemu_mem_size_ok(const char *size)
{
	size_t whole = strspn(size, "0123456789"), frac = 0;
	const char *p = size + whole;

	if (whole == 0 || strlen(size) > 16)
		return false;
	if (*p == '.') {
		frac = strspn(p + 1, "0123456789");
		if (frac == 0)
			return false;
		p += 1 + frac;
	}
	if (*p && strchr("kKmMgGtT", *p))
		p++;
	return *p == '\0';
}

double qemu_mem_mib(const char *size)
{
	char *end;
	double v = strtod(size, &end);
	double scale = *end == 'k' || *end == 'K' ? 1.0 / 1024 : *end == 'g' || *end == 'G' ? 1024 :
		       *end == 't' || *end == 'T' ? 1024.0 * 1024 : 1;
	return v * scale;
}

int qemu_argv(const struct qemu_opts *o, const char **argv, int cap, int *argc)
{
	int n = 0;
#define ARG(s) do { if (n + 1 >= cap) return -1; argv[n++] = (s); } while (0)
	const char *bin = o->qemu;
	if (!bin)
		bin = getenv("ZEROPAGE_QEMU");
	if (!bin || !*bin)
		bin = "qemu-system-x86_64";
	ARG(bin);
	ARG("-M");
	ARG(o->machine ? o->machine : "pc");
	ARG("-accel");
	ARG(o->accel ? o->accel : "tcg");
	ARG("-m");
	ARG(o->mem ? o->mem : "256M");
	ARG("-smp");
	ARG("1");
	if (o->cpu) {
		ARG("-cpu");
		ARG(o->cpu);
	}
	for (int i = 0; o->extra && o->extra[i]; i++)
		ARG(o->extra[i]);
	/* No NIC, VGA, CD-ROM or user config: nothing the boot does not need,
	 * so every path sees the same machine and boots as fast as it can. */
	ARG("-nodefaults");
	ARG("-no-user-config");
	ARG("-display");
	ARG("none");
	ARG("-monitor");
	ARG("none");
	/* the first serial port (ttyS0 on every machine, the ISA UART on
	 * microvm too) is our stdout pipe */
	ARG("-serial");
	ARG("stdio");
	/* a guest reset ends QEMU: the probe restarts to finish */
	ARG("-no-reboot");
	if (o->kernel) {	/* else the firmware boots from the devices in extra */
		ARG("-kernel");
		ARG(o->kernel);
		if (o->initrd) {
			ARG("-initrd");
			ARG(o->initrd);
		}
		if (o->append) {
			ARG("-append");
			ARG(o->append);
		}
	}
#undef ARG
	argv[n] = NULL;
	*argc = n;
	return 0;
}

static void first_line(const char *s, char *out, size_t cap)
{
	while (*s == '\n' || *s == '\r' || *s == ' ')
		s++;
	size_t l = strcspn(s, "\r\n");
	snprintf(out, cap, "%.*s", (int)(l < cap ? l : cap - 1), s);
}

/* The first `mark` in buf[from..len), or NULL. */
static char *find(char *buf, size_t len, size_t from, const char *mark)
{
	if (from >= len)
		return NULL;
	return memmem(buf + from, len - from, mark, strlen(mark));
}

static void kill_group(pid_t pg)
{
	kill(-pg, SIGKILL);
}

/* One guest being watched: its console so far and what was seen in it. */
struct watch {
	const struct qemu_opts *o;
	struct qemu_result *r;
	int outfd, errfd;
	bool out_open, err_open;
	char errbuf[STDERR_CAP + 1];
	size_t errlen, cap, scan_banner, scan_probe, scan_panic, scan_loader;
	size_t echoed;		/* console bytes copied to o->echo so far */
	size_t scan_image;	/* not_linux: where loader_console_image_text resumes */
	double t0, deadline, panic_at;
	bool probe_done, panicked, timed_out, trace_done;
	struct loader_console_stop stop;	/* where a firmware or boot loader gave up */
};

static void keep_stderr(struct watch *w, const char *buf, size_t got)
{
	if (got > STDERR_CAP - w->errlen)
		got = STDERR_CAP - w->errlen;
	memcpy(w->errbuf + w->errlen, buf, got);
	w->errlen += got;
}

/* Copies the console kept so far to the echo stream, made safe for a
 * terminal (the guest chooses these bytes; its line ends are kept).  A
 * UTF-8 character or a \r\n cut by the read waits for the next one unless
 * this is the end. */
static void echo_console(struct watch *w, bool more)
{
	struct qemu_result *r = w->r;

	if (!w->o->echo)
		return;
	w->echoed += safe_text_write(w->o->echo, r->console + w->echoed, r->console_len - w->echoed,
				     SAFE_TEXT_LINES | (more ? SAFE_TEXT_MORE : 0));
	fflush(w->o->echo);
}

static bool append_console(struct watch *w, const char *buf, size_t got)
{
	struct qemu_result *r = w->r;

	if (r->console_len + got > CONSOLE_CAP)
		return false;
	if (r->console_len + got + 1 > w->cap) {
		size_t nc = w->cap;
		while (nc < r->console_len + got + 1)
			nc = nc < 4096 ? 4096 : nc * 2;
		char *p = realloc(r->console, nc);
		if (!p)
			return false;
		r->console = p;
		w->cap = nc;
	}
	memcpy(r->console + r->console_len, buf, got);
	r->console_len += got;
	r->console[r->console_len] = 0;
	return true;
}

/* Appends console bytes (echoing them); false when they were not kept. */
static bool keep_console(struct watch *w, const char *buf, size_t got)
{
	bool kept = append_console(w, buf, got);

	if (kept) {
		echo_console(w, true);
	} else if (w->o->echo) {
		echo_console(w, false);		/* what was kept, then these bytes alone */
		safe_text_write(w->o->echo, buf, got, SAFE_TEXT_LINES);
		fflush(w->o->echo);
	}
	return kept;
}

/* Before the kernel's banner, a firmware or boot loader that gave up (its
 * prompt, its shell: loader_console.c) ends the boot: it would wait for a
 * key until the deadline.  After the banner the console is the kernel's,
 * whatever it prints. */
static void scan_loader(struct watch *w)
{
	struct qemu_result *r = w->r;

	if (r->t_banner >= 0 || r->loader_stopped)
		return;
	if (loader_console_find_stop(r->console, r->console_len, w->scan_loader, &w->stop))
		r->loader_stopped = true;
	else if (r->console_len > loader_console_mark_max())
		w->scan_loader = r->console_len - loader_console_mark_max();
}

/* Markers may straddle reads: each scan restarts a little before where the
 * last one ended.  memmem, not strstr: a guest may print NUL bytes. */
static void scan_markers(struct watch *w, double t)
{
	struct qemu_result *r = w->r;

	if (r->t_banner < 0) {
		if (find(r->console, r->console_len, w->scan_banner, BANNER_MARK))
			r->t_banner = t;
		else if (r->console_len > sizeof(BANNER_MARK))
			w->scan_banner = r->console_len - sizeof(BANNER_MARK);
	}
	scan_loader(w);
	if (w->o->not_linux && r->t_image < 0) {
		size_t at;
		if (loader_console_image_output(r->console, r->console_len, w->o->image_escapes_count,
						&w->scan_image, &at)) {
			r->t_image = t;
			r->image_at = at;
			if (w->t0 + t + w->o->image_settle_s < w->deadline)
				w->deadline = w->t0 + t + w->o->image_settle_s;
		}
	}
	if (!w->probe_done) {
		char *p = find(r->console, r->console_len, w->scan_probe, PROBE_MARK);
		if (p && r->t_init < 0)
			r->t_init = t;
		if (p) {
			w->scan_probe = (size_t)(p - r->console);
			if (memchr(p, '\n', r->console_len - w->scan_probe))
				w->probe_done = true;
		} else if (r->console_len > sizeof(PROBE_MARK)) {
			w->scan_probe = r->console_len - sizeof(PROBE_MARK);
		}
	}
	if (!w->panicked) {
		if (find(r->console, r->console_len, w->scan_panic, PANIC_MARK)) {
			w->panicked = true;
			w->panic_at = clock_mono_s();
		} else if (r->console_len > sizeof(PANIC_MARK)) {
			w->scan_panic = r->console_len - sizeof(PANIC_MARK);
		}
	} else if (find(r->console, r->console_len, w->scan_panic, PANIC_END)) {
		w->trace_done = true;	/* the trace is complete: no need to wait longer */
	}
}

/* Reads what is ready on fd; false once it is closed. */
static bool read_one(struct watch *w, int fd)
{
	char buf[16384];
	ssize_t got = read(fd, buf, sizeof(buf));

	if (got < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (got <= 0)
		return false;
	if (fd == w->errfd) {
		keep_stderr(w, buf, (size_t)got);
		return true;
	}
	double t = clock_mono_s() - w->t0;
	if (w->r->t_first_byte < 0)
		w->r->t_first_byte = t;
	if (keep_console(w, buf, (size_t)got))
		scan_markers(w, t);
	return true;
}

/* Streams the guest's output until both pipes close, the deadline passes,
 * a kernel panic's trace is complete (or its grace time is over), or the
 * firmware or boot loader gave up. */
static void watch_guest(struct watch *w)
{
	while ((w->out_open || w->err_open) && !w->trace_done && !w->r->loader_stopped) {
		double now = clock_mono_s(), until = w->deadline;
		if (w->panicked && w->panic_at + PANIC_GRACE_S < until)
			until = w->panic_at + PANIC_GRACE_S;
		if (now >= until) {
			w->timed_out = !w->panicked;
			return;
		}
		struct pollfd pf[2];
		int n = 0;
		if (w->out_open)
			pf[n++] = (struct pollfd){ .fd = w->outfd, .events = POLLIN };
		if (w->err_open)
			pf[n++] = (struct pollfd){ .fd = w->errfd, .events = POLLIN };
		int pr = poll(pf, (nfds_t)n, (int)((until - now) * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr < 0)
			return;
		for (int i = 0; i < n; i++)
			if ((pf[i].revents & (POLLIN | POLLHUP | POLLERR)) && !read_one(w, pf[i].fd)) {
				if (pf[i].fd == w->outfd)
					w->out_open = false;
				else
					w->err_open = false;
			}
	}
}

/* Reaps QEMU; if it is still running (timeout, panic, or our read loop
 * ended early) its whole group is killed first. */
static void reap(struct watch *w, pid_t pid)
{
	struct qemu_result *r = w->r;
	int status = 0;
	pid_t got = waitpid(pid, &status, WNOHANG);

	/* pipes closed but not yet exited: give it a moment */
	for (int i = 0; i < 50 && got == 0 && !w->panicked && !w->timed_out && !w->out_open &&
			!w->err_open; i++) {
		struct timespec ts = { 0, 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		got = waitpid(pid, &status, WNOHANG);
	}
	if (got == 0) {
		kill_group(pid);
		r->killed = 1;
		while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
			;
	} else {
		r->t_exit = clock_mono_s() - w->t0;
		kill_group(pid);	/* QEMU exited by itself; nothing may linger in its group */
	}
	process_untrack(pid);
	if (got > 0 && WIFEXITED(status))
		r->exit_status = WEXITSTATUS(status);
	else if (got > 0 && WIFSIGNALED(status))
		r->exit_status = -WTERMSIG(status);
	w->errbuf[w->errlen] = 0;
}

/* The verdict, from what was seen and how QEMU ended. */
static void decide(struct watch *w, const char *bin)
{
	struct qemu_result *r = w->r;

	/* The probe's line, without the CR the tty added: its own, or joined
	 * from the parts it sent through the kernel log. */
	r->probe_line = guest_report_extract(r->console, r->console_len);
	w->probe_done = r->probe_line != NULL;
	if (w->panicked) {
		r->verdict = VERDICT_PANIC;
		first_line(find(r->console, r->console_len, 0, PANIC_MARK), r->reason,
			   sizeof(r->reason));
	} else if (r->loader_stopped) {
		/* the kernel never ran: it did not reach init, and the
		 * loader's own words say why */
		r->verdict = VERDICT_NOINIT;
		loader_console_reason(r->console, r->console_len, &w->stop, r->reason,
				      sizeof(r->reason));
	} else if (w->o->not_linux && r->t_image >= 0) {
		/* it ran; whether it then kept running or reset the machine,
		 * nothing more of a non-Linux image can be checked */
		r->verdict = VERDICT_STARTED;
		snprintf(r->reason, sizeof(r->reason), "the image wrote to the serial console at "
			 "%.2f s%s", r->t_image, w->timed_out ? "" : ", then the guest stopped");
	} else if (w->o->not_linux && w->timed_out) {
		r->verdict = VERDICT_TIMEOUT;
		snprintf(r->reason, sizeof(r->reason), "silent: no output from the image on the "
			 "serial console after %g s", w->o->timeout_s);
	} else if (w->o->not_linux && r->exit_status == 0) {
		r->verdict = VERDICT_NOINIT;
		snprintf(r->reason, sizeof(r->reason), "guest stopped before the image wrote to "
			 "the serial console");
	} else if (w->timed_out) {
		r->verdict = VERDICT_TIMEOUT;
		snprintf(r->reason, sizeof(r->reason), "%s after %g s",
			 w->probe_done ? "probe line seen but the guest did not restart" :
			 r->t_banner >= 0 ? "no probe line" : "no kernel banner", w->o->timeout_s);
	} else if (w->probe_done && r->exit_status == 0) {
		r->verdict = VERDICT_OK;
	} else if (r->exit_status == 0) {
		r->verdict = VERDICT_NOINIT;
		snprintf(r->reason, sizeof(r->reason), "guest stopped without the probe line%s",
			 r->console_len ? "" : " (no console output)");
	} else {
		char line[200];
		r->verdict = VERDICT_QEMU;
		first_line(w->errbuf, line, sizeof(line));
		if (r->exit_status == 127 && !strcmp(line, "exec failed"))
			snprintf(r->reason, sizeof(r->reason), "cannot execute %.200s", bin);
		else if (*line)
			snprintf(r->reason, sizeof(r->reason), "%s", line);
		else
			snprintf(r->reason, sizeof(r->reason), "QEMU exited with status %d",
				 r->exit_status);
	}
}

static void close_pipes(int outp[2], int errp[2])
{
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
		outp[i] = errp[i] = -1;
	}
}

int qemu_run(const struct qemu_opts *o, struct qemu_result *r)
{
	const char *argv[48];
	char bin[4096];
	int argc, outp[2] = { -1, -1 }, errp[2] = { -1, -1 };

	memset(r, 0, sizeof(*r));
	r->t_first_byte = r->t_banner = r->t_init = r->t_exit = r->t_image = -1;
	r->exit_status = -1000;
	r->console = calloc(1, 1);
	if (!r->console)
		return -1;
	r->verdict = VERDICT_ERROR;
	if (qemu_argv(o, argv, 48, &argc)) {
		snprintf(r->reason, sizeof(r->reason), "too many QEMU arguments");
		return 0;
	}
	if (process_find_program(argv[0], bin, sizeof(bin))) {
		r->verdict = VERDICT_QEMU;
		snprintf(r->reason, sizeof(r->reason), "%s: not found or not executable", argv[0]);
		return 0;
	}
	if (pipe2(outp, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		snprintf(r->reason, sizeof(r->reason), "pipe: %s", strerror(errno));
		close_pipes(outp, errp);
		return 0;
	}
	struct watch *w = calloc(1, sizeof(*w));
	double t0 = clock_mono_s();
	pid_t pid = w ? process_spawn(bin, argv, outp[1], errp[1]) : -1;
	if (pid < 0) {
		snprintf(r->reason, sizeof(r->reason), "%s%s", w ? "fork: " : "",
			 w ? strerror(errno) : "out of memory");
		free(w);
		close_pipes(outp, errp);
		return 0;
	}
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;
	*w = (struct watch){ .o = o, .r = r, .outfd = outp[0], .errfd = errp[0],
			     .out_open = true, .err_open = true, .cap = 1, .t0 = t0,
			     .deadline = t0 + o->timeout_s, .panic_at = -1 };
	watch_guest(w);
	echo_console(w, false);
	reap(w, pid);
	decide(w, bin);
	free(w);
	close_pipes(outp, errp);
	return 0;
}

void qemu_result_free(struct qemu_result *r)
{
	free(r->console);
	free(r->probe_line);
	r->console = r->probe_line = NULL;
}
