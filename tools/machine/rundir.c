/* SPDX-License-Identifier: MIT */
/*
 * rundir.c - a run's temporary directory, and the ones dead runs left.
 *
 * `boot` and `matrix` keep the probe initramfs, extracted vmlinux, bundles
 * and firmware copies in $TMPDIR/zeropage.XXXXXX (78 MB for the cloud
 * kernel's matrix) and remove it when they end, also on SIGINT/SIGTERM.
 * SIGKILL, which CI sends to a job past its time, leaves it behind: no
 * process can act on its own SIGKILL.
 *
 * So the next run removes what dead runs left, and only that.  $TMPDIR is
 * shared with the user, who may well keep a /tmp/zeropage.backup, so a
 * directory is removed only when all of these hold:
 *   - its name is what mkdtemp makes of our template: "zeropage." and
 *     exactly six letters or digits ("backup" is six letters too, hence:)
 *   - it is a directory, not a symlink, ours (our uid), on $TMPDIR's own
 *     filesystem;
 *   - it holds our marker, <dir>/.zeropage-run, a regular file of ours
 *     with one link, whose text names our uid and this very directory's
 *     device and inode (a copy of a run directory names another inode);
 *   - the marker's flock is free.  Each run holds an exclusive flock on
 *     its marker for as long as it lives, and the kernel drops it when the
 *     process dies, however it dies, so a free lock means a dead run,
 *     without trusting PIDs, which are reused.
 * Age plays no part: a directory that merely looks old is never removed.
 *
 * Between mkdtemp and the marker's text there is a window.  A directory
 * without a marker, or with one not yet written, is never removed: the
 * sweep cannot tell it from a user's, and a run killed inside those few
 * system calls leaves only an empty directory (or one with an empty
 * marker), which costs nothing.  Removing an empty unmarked directory
 * instead would race a live run that has just made it.  The creator takes
 * the lock before it writes the text, and waits for it (a sweeper that
 * opened the empty marker holds it for a moment, finds no text, lets go).
 *
 * Removing never follows a symlink (every step is openat O_NOFOLLOW from
 * the directory's own descriptor, symlinks are unlinked as names), never
 * enters another filesystem or a directory of another user, and uses
 * system calls only, so the fatal-signal handler (process.c) can use it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/tool_err.h"
#include "machine/rundir.h"

#define PREFIX		"zeropage."
#define SUFFIX_LEN	6		/* mkdtemp's XXXXXX */
#define MARKER		".zeropage-run"
#define MAX_DEPTH	24		/* our trees are 5 deep (grub-mkrescue's) */

/* ------------------------------------------------------------------ */
/* Removing a tree: system calls only (async-signal-safe). */

static void remove_tree_at(int fd, dev_t dev, uid_t uid, int depth);

/* One entry of the directory at fd: a file or symlink is unlinked as a
 * name; a directory is entered only when it is ours and on dev.  True
 * when it is gone. */
static bool remove_entry(int fd, const char *name, dev_t dev, uid_t uid, int depth)
{
	struct stat st;

	if (unlinkat(fd, name, 0) == 0)
		return true;
	if (errno != EISDIR && errno != EPERM)
		return false;
	int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub < 0)
		return false;
	if (fstat(sub, &st) == 0 && st.st_dev == dev && st.st_uid == uid && depth > 0)
		remove_tree_at(sub, dev, uid, depth - 1);
	close(sub);
	return unlinkat(fd, name, AT_REMOVEDIR) == 0;
}

/* Everything in the directory at fd.  Passes repeat while one removes
 * something: removing entries while reading a directory may skip some. */
static void remove_tree_at(int fd, dev_t dev, uid_t uid, int depth)
{
	struct dent64 {
		uint64_t ino;
		int64_t off;
		unsigned short reclen;
		unsigned char type;
		char name[];
	};
	char buf[1024] __attribute__((aligned(8)));
	bool progress = true;

	while (progress) {
		long n;

		progress = false;
		if (lseek(fd, 0, SEEK_SET) < 0)
			return;
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
			for (long off = 0; off < n;) {
				struct dent64 *d = (struct dent64 *)(void *)(buf + off);
				const char *nm = d->name;
				off += d->reclen;
				if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2])))
					continue;
				if (remove_entry(fd, nm, dev, uid, depth))
					progress = true;
			}
	}
}

int rundir_remove(const char *dir)
{
	struct stat st;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid()) {
		close(fd);
		return -1;
	}
	remove_tree_at(fd, st.st_dev, st.st_uid, MAX_DEPTH);
	close(fd);
	return rmdir(dir);
}

/* ------------------------------------------------------------------ */
/* The marker: who made the directory, and which directory it is. */

static int marker_text(char *out, size_t cap, const struct stat *dir)
{
	return snprintf(out, cap, "zeropage run directory\nuid %u\ndir %llu:%llu\n",
			(unsigned)dir->st_uid, (unsigned long long)dir->st_dev,
			(unsigned long long)dir->st_ino);
}

bool rundir_name_is_ours(const char *name)
{
	size_t pl = strlen(PREFIX);

	if (strncmp(name, PREFIX, pl) || strlen(name) != pl + SUFFIX_LEN)
		return false;
	for (const char *p = name + pl; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

/* The marker in the directory at dfd (whose stat is dir) when it is ours
 * and its lock is free: the descriptor, holding that lock; else -1. */
static int take_dead_marker(int dfd, const struct stat *dir)
{
	char want[128], have[128];
	struct stat st;
	int fd = openat(dfd, MARKER, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != dir->st_uid ||
	    st.st_nlink != 1 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);	/* not ours, or its run is alive (EWOULDBLOCK) */
		return -1;
	}
	int wl = marker_text(want, sizeof(want), dir);
	ssize_t hl = pread(fd, have, sizeof(have), 0);
	if (hl != wl || memcmp(want, have, (size_t)wl)) {
		close(fd);	/* not written yet, or for another directory */
		return -1;
	}
	return fd;
}

/* The directory `name` in tmpdir (descriptor tfd on device dev) when it is
 * a dead run's: removed, true. */
static bool sweep_one(int tfd, dev_t dev, const char *name)
{
	struct stat st;
	int dfd, mfd;

	if (!rundir_name_is_ours(name))
		return false;
	dfd = openat(tfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0)
		return false;
	if (fstat(dfd, &st) < 0 || st.st_uid != geteuid() || st.st_dev != dev ||
	    (mfd = take_dead_marker(dfd, &st)) < 0) {
		close(dfd);
		return false;
	}
	/* the marker last: until the directory is gone, it stays locked */
	remove_tree_at(dfd, dev, st.st_uid, MAX_DEPTH);
	bool gone = unlinkat(tfd, name, AT_REMOVEDIR) == 0;
	close(mfd);
	close(dfd);
	return gone;
}

unsigned rundir_sweep(const char *tmpdir)
{
	int tfd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct stat tst;
	struct dirent *e;
	unsigned removed = 0;
	DIR *d;

	if (tfd < 0)
		return 0;
	if (fstat(tfd, &tst) < 0 || !(d = fdopendir(dup(tfd)))) {
		close(tfd);
		return 0;
	}
	while ((e = readdir(d)) != NULL)
		if (sweep_one(tfd, tst.st_dev, e->d_name))
			removed++;
	closedir(d);
	close(tfd);
	return removed;
}

/* ------------------------------------------------------------------ */

/* The marker in the new directory dir: made, locked (waiting for a
 * sweeper that opened it first), then written.  Its descriptor, or -1. */
static int write_marker(const char *dir, struct tool_err *err)
{
	char text[128];
	struct stat st;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), fd = -1;
	const char *step = "open";

	if (dfd < 0 || fstat(dfd, &st) < 0)
		goto fail;
	step = "create " MARKER;
	fd = openat(dfd, MARKER, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		goto fail;
	step = "lock " MARKER;
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR)
			goto fail;
	step = "write " MARKER;
	int n = marker_text(text, sizeof(text), &st);
	if (pwrite(fd, text, (size_t)n, 0) != n)
		goto fail;
	close(dfd);
	return fd;
fail:
	tool_err_set(err, "%s: cannot %s: %s", dir, step, strerror(errno ? errno : EIO));
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	return -1;
}

int rundir_create(char *dir, size_t cap, int *lockfd, struct tool_err *err)
{
	const char *tmp = getenv("TMPDIR");

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if ((size_t)snprintf(dir, cap, "%s/" PREFIX "XXXXXX", tmp) >= cap) {
		tool_err_set(err, "TMPDIR of %zu bytes is too long (at most %zu)", strlen(tmp),
			 cap - sizeof("/" PREFIX "XXXXXX"));
		dir[0] = 0;
		return -1;
	}
	rundir_sweep(tmp);
	if (!mkdtemp(dir)) {
		tool_err_set(err, "mkdtemp %s: %s", dir, strerror(errno));
		dir[0] = 0;
		return -1;
	}
	*lockfd = write_marker(dir, err);
	if (*lockfd < 0) {
		rundir_remove(dir);
		dir[0] = 0;
		return -1;
	}
	return 0;
}
