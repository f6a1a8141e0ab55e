/* SPDX-License-Identifier: MIT */
/*
 * grub_cd.c - GRUB's CD for the grub-bios and grub-efi paths (path_grub.c),
 * made once with GRUB's own grub-mkrescue and cached: it holds GRUB only,
 * with a grub.cfg that searches for /zeropage/grub.cfg, so it depends on
 * GRUB's version, not on the kernel.
 *
 * Several runs may need it at once (two matrices, two CI jobs sharing a
 * home): it is checked and made under the cache's lock, written under a
 * unique name and renamed into place, and its size and SHA-256 recorded
 * and checked before each process first uses it (image/cache.h), so a
 * truncated or damaged CD is made again rather than booted.  An
 * interrupted build leaves nothing: grub-mkrescue keeps its own temporary
 * tree in our run directory (TMPDIR), which our cleanup removes however we
 * end, and our partial output is registered with the signal handlers.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/tool_err.h"
#include "image/cache.h"
#include "common/fileio.h"
#include "machine/grub_cd.h"
#include "machine/process.h"
#include "machine/rundir.h"

#define GRUB_LIB	"/usr/lib/grub"

/* What the CD's own grub.cfg does: console on the serial line (GRUB's
 * errors then reach our console), then hand over to the boot's grub.cfg
 * on whichever disk has one.  When that config fails (GRUB's own "error:"
 * lines say why), GRUB comes back here and then stops at its prompt, which
 * ends the boot (loader_console.c); "no disk" is said only when there was
 * none. */
static const char cd_grub_cfg[] =
	"serial --unit=0 --speed=115200\n"
	"terminal_input serial console\n"
	"terminal_output serial console\n"
	"insmod part_msdos\n"
	"insmod fat\n"
	"if search --no-floppy --file /zeropage/grub.cfg --set=root; then\n"
	"  configfile /zeropage/grub.cfg\n"
	"else\n"
	"  echo 'zeropage: no disk with /zeropage/grub.cfg'\n"
	"fi\n";
/* The cached CD's name: a new one whenever cd_grub_cfg changes. */
#define CD_NAME	"grub-rescue-2.iso"

static pthread_mutex_t cd_lock = PTHREAD_MUTEX_INITIALIZER;
static char cd_checked[600];	/* the CD this process found good (under cd_lock) */

/* When GRUB's own files last changed: the CD holds both platforms. */
static time_t grub_mtime(void)
{
	static const char *const kernels[] = { GRUB_LIB "/i386-pc/kernel.img",
					       GRUB_LIB "/x86_64-efi/kernel.img" };
	time_t newest = 0;
	struct stat st;

	for (size_t i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++)
		if (stat(kernels[i], &st) == 0 && st.st_mtime > newest)
			newest = st.st_mtime;
	return newest;
}

/* Our environment with TMPDIR=dir instead of the caller's: grub-mkrescue
 * then keeps its own temporary tree in our run directory, which we remove
 * however we end (its own cleanup does not run when it is killed). */
static char **env_with_tmpdir(const char *assignment)
{
	size_t n = 0, k = 0;

	while (environ[n])
		n++;
	char **env = malloc((n + 2) * sizeof(*env));
	if (!env)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "TMPDIR=", 7))
			env[k++] = environ[i];
	env[k++] = (char *)assignment;
	env[k] = NULL;
	return env;
}

/* Whether the file holds an ISO 9660 volume ("CD001" in its first volume
 * descriptor, sector 16): what grub-mkrescue writes when it succeeds. */
static bool is_iso9660(const char *path)
{
	char id[5];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0 && pread(fd, id, sizeof(id), 16 * 2048 + 1) == (ssize_t)sizeof(id) &&
		  !memcmp(id, "CD001", sizeof(id));

	if (fd >= 0)
		close(fd);
	return ok;
}

/* Runs grub-mkrescue on the CD's tree (stage) into a new file with a
 * unique name beside iso (so two builders never write one file), then
 * renames it into place and seals it.  Its partial output is removed on
 * failure, and by our signal handlers if we are killed. */
static int run_mkrescue(const char *stage, const char *tmpdir, const char *iso,
			struct tool_err *err)
{
	char mkrescue[512], out[640], env_tmp[320];
	int fd;

	if (process_find_program("grub-mkrescue", mkrescue, sizeof(mkrescue))) {
		tool_err_set(err, "grub-mkrescue not found (install grub-common)");
		return -1;
	}
	snprintf(out, sizeof(out), "%s.XXXXXX", iso);
	char *slash = strrchr(out, '/');
	memmove(slash + 2, slash + 1, strlen(slash + 1) + 1);	/* hidden: ".grub-rescue..." */
	slash[1] = '.';
	if ((fd = mkostemp(out, O_CLOEXEC)) < 0) {
		tool_err_set(err, "%s: cannot create: %s", out, strerror(errno));
		return -1;
	}
	process_cleanup_on_signal(out);
	close(fd);
	snprintf(env_tmp, sizeof(env_tmp), "TMPDIR=%s", tmpdir);
	char **env = env_with_tmpdir(env_tmp);
	const char *args[] = { "-o", out, stage, NULL };
	int r = env ? process_run_helper_env(mkrescue, args, env, err) : -1;
	if (!env)
		tool_err_set(err, "out of memory");
	free(env);
	if (r == 0 && !is_iso9660(out)) {
		tool_err_set(err, "grub-mkrescue wrote no ISO 9660 image to %.200s", out);
		r = -1;
	}
	if (r == 0 && rename(out, iso)) {
		tool_err_set(err, "rename %.200s: %s", out, strerror(errno));
		r = -1;
	}
	if (r) {
		unlink(out);
		return -1;
	}
	return cache_seal(iso, err);
}

/* The CD made anew: its tree and grub-mkrescue's temporary files in the
 * run directory, removed afterwards. */
static int build_cd(const char *rundir, const char *iso, struct tool_err *err)
{
	char stage[300], tmpdir[300], cfgdir[340], cfg[360];

	if ((size_t)snprintf(stage, sizeof(stage), "%s/grub-cd", rundir) >= sizeof(stage) ||
	    (size_t)snprintf(tmpdir, sizeof(tmpdir), "%s/grub-tmp", rundir) >= sizeof(tmpdir)) {
		tool_err_set(err, "run directory %.200s: path too long", rundir);
		return -1;
	}
	snprintf(cfgdir, sizeof(cfgdir), "%s/boot/grub", stage);
	snprintf(cfg, sizeof(cfg), "%s/grub.cfg", cfgdir);
	process_cleanup_on_signal(stage);
	process_cleanup_on_signal(tmpdir);
	int r = fileio_mkdir_p(cfgdir, err) || fileio_mkdir_p(tmpdir, err) ||
		fileio_write_atomic(cfg, cd_grub_cfg, sizeof(cd_grub_cfg) - 1, 0644, err) ||
		run_mkrescue(stage, tmpdir, iso, err) ? -1 : 0;
	rundir_remove(stage);
	rundir_remove(tmpdir);
	return r;
}

int grub_cd_make(const char *rundir, char *iso, size_t cap, struct tool_err *err)
{
	char dir[400];
	struct stat st;
	int r = 0;

	fileio_cache_dir(dir, sizeof(dir));
	if ((size_t)snprintf(iso, cap, "%s/" CD_NAME, dir) >= cap) {
		tool_err_set(err, "cache path %.200s too long", dir);
		return -1;
	}
	pthread_mutex_lock(&cd_lock);	/* our threads: one CD, checked once */
	if (strcmp(cd_checked, iso)) {
		int lock = cache_lock(iso, err);	/* other processes */
		if (lock < 0) {
			r = -1;
		} else {
			if (stat(iso, &st) || st.st_mtime < grub_mtime() || !cache_valid(iso))
				r = build_cd(rundir, iso, err);
			close(lock);
		}
		if (r == 0)
			snprintf(cd_checked, sizeof(cd_checked), "%s", iso);
	}
	pthread_mutex_unlock(&cd_lock);
	return r;
}
