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
 * So each run holds an exclusive flock on <dir>/.lock for as long as it
 * lives.  The kernel drops that lock when the process dies, however it
 * dies, so the next run can tell a dead run's directory (the lock is free)
 * from a live one's (held), without trusting PIDs, which are reused.  The
 * lock file is made right after mkdtemp; a directory without one is left
 * alone unless it is older than any run could be between those two calls
 * (a directory from a version without locks).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "machine/rundir.h"

#define PREFIX		"zeropage."
#define UNLOCKED_AGE	600	/* s: a lockless directory older than this is a dead run's */

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(p);
	return 0;
}

void zp_rundir_remove(const char *dir)
{
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* True when the run that made dir is gone (its lock is free, or it never
 * had one and is old); the lock, if taken, is held until the caller is
 * done removing. */
static bool dead(const char *dir, const struct stat *st, int *lockfd)
{
	char lock[4096 + 8];
	int fd;

	*lockfd = -1;
	snprintf(lock, sizeof(lock), "%s/.lock", dir);
	fd = open(lock, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT && time(NULL) - st->st_mtime > UNLOCKED_AGE;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);	/* EWOULDBLOCK: alive */
		return false;
	}
	*lockfd = fd;
	return true;
}

unsigned zp_rundir_sweep(const char *tmpdir)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	unsigned removed = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL) {
		char path[4096];
		struct stat st;
		int lockfd;

		if (strncmp(e->d_name, PREFIX, strlen(PREFIX)) ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name) >= sizeof(path) ||
		    lstat(path, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid())
			continue;
		if (!dead(path, &st, &lockfd))
			continue;
		zp_rundir_remove(path);
		if (lockfd >= 0)
			close(lockfd);
		removed++;
	}
	closedir(d);
	return removed;
}

int zp_rundir_create(char *dir, size_t cap, int *lockfd, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	char lock[4096 + 8];

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if ((size_t)snprintf(dir, cap, "%s/" PREFIX "XXXXXX", tmp) >= cap) {
		snprintf(err, errlen, "TMPDIR of %zu bytes is too long (at most %zu)", strlen(tmp),
			 cap - sizeof("/" PREFIX "XXXXXX"));
		dir[0] = 0;
		return -1;
	}
	zp_rundir_sweep(tmp);
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, "mkdtemp %s: %s", dir, strerror(errno));
		dir[0] = 0;
		return -1;
	}
	snprintf(lock, sizeof(lock), "%s/.lock", dir);
	*lockfd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (*lockfd < 0 || flock(*lockfd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errlen, "%s: cannot lock: %s", lock, strerror(errno));
		if (*lockfd >= 0)
			close(*lockfd);
		*lockfd = -1;
		zp_rundir_remove(dir);
		dir[0] = 0;
		return -1;
	}
	return 0;
}
