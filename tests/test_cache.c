/* SPDX-License-Identifier: MIT */
/* test_cache: entries made once in the cache (the unpacked Xen, GRUB's CD)
 * are made whole by one of several runs that need them at once, checked
 * before reuse (a truncated or damaged one is made again), and an
 * interrupted build leaves nothing behind: not grub-mkrescue's own
 * temporary tree, not our partial CD. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/tool_err.h"
#include "image/cache.h"
#include "machine/grub_cd.h"
#include "machine/process.h"
#include "machine/rundir.h"
#include "machine/xen_machine.h"

static void sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

/* The names in dir, sorted, joined with spaces ("" when empty). */
static void listing(const char *dir, char *out, size_t cap)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t len = 0;

	out[0] = 0;
	for (int i = 0; i < n; i++) {
		const char *nm = names[i]->d_name;
		if (strcmp(nm, ".") && strcmp(nm, ".."))
			len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " " : "", nm);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static void test_seal_and_check(void **state)
{
	(void)state;
	struct tool_err err;
	char dir[] = "/tmp/zp-test-cache.XXXXXX", entry[300];

	assert_non_null(mkdtemp(dir));
	snprintf(entry, sizeof(entry), "%s/entry", dir);
	sh("printf 'some cached bytes' > %s", entry);
	assert_false(cache_valid(entry));		/* never sealed */
	assert_int_equal(cache_seal(entry, &err), 0);
	assert_true(cache_valid(entry));
	sh("printf 'some cached' > %s", entry);		/* truncated */
	assert_false(cache_valid(entry));
	sh("printf 'some cacheD bytes' > %s", entry);	/* one byte changed */
	assert_false(cache_valid(entry));
	assert_int_equal(cache_seal(entry, &err), 0);
	assert_true(cache_valid(entry));
	sh("mv %s %s.real && ln -s %s.real %s", entry, entry, entry, entry);
	assert_false(cache_valid(entry));		/* a symlink is not ours */
	sh("rm -f %s && printf 'x' > %s && printf 'size 1\\n' > %s.sum", entry, entry, entry);
	assert_false(cache_valid(entry));		/* a sidecar without a hash */
	sh("rm -rf %s", dir);
}

/* n children call fn at once; how many succeeded. */
static int at_once(int n, int (*fn)(void))
{
	pid_t pids[8];
	int good = 0;

	for (int i = 0; i < n; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0)
			_exit(fn() == 0 ? 0 : 1);
	}
	for (int i = 0; i < n; i++) {
		int st;
		assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
		good += WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	return good;
}

static int unpack_xen(void)
{
	struct tool_err err;
	char out[512];
	int r = xen_machine_image(out, sizeof(out), &err);

	if (r)
		fprintf(stderr, "xen_machine_image: %s\n", err.msg);
	return r;
}

static void test_xen_at_once(void **state)
{
	(void)state;
	char dir[] = "/tmp/zp-test-cache.XXXXXX", names[600];

	assert_non_null(mkdtemp(dir));
	setenv("ZEROPAGE_CACHE", dir, 1);
	sh("mkdir %s/src && { printf '\\177ELF'; head -c 3000000 /dev/urandom; } > %s/src/want && "
	   "gzip -c %s/src/want > %s/src/xen-9.9.gz", dir, dir, dir, dir);
	char src[400];
	snprintf(src, sizeof(src), "%s/src/xen-9.9.gz", dir);
	setenv("ZEROPAGE_XEN", src, 1);

	assert_int_equal(at_once(4, unpack_xen), 4);
	sh("cmp -s %s/src/want %s/xen-9.9.elf", dir, dir);
	listing(dir, names, sizeof(names));
	assert_string_equal(names, "src xen-9.9.elf xen-9.9.elf.lock xen-9.9.elf.sum");

	/* truncated (a full disk, a killed copy): made again, not used */
	sh("truncate -s 1000000 %s/xen-9.9.elf && touch -d '+1 hour' %s/xen-9.9.elf", dir, dir);
	assert_int_equal(unpack_xen(), 0);
	sh("cmp -s %s/src/want %s/xen-9.9.elf", dir, dir);
	/* one byte changed, same size */
	sh("printf 'X' | dd of=%s/xen-9.9.elf bs=1 seek=100 conv=notrunc 2>/dev/null", dir);
	assert_int_equal(unpack_xen(), 0);
	sh("cmp -s %s/src/want %s/xen-9.9.elf", dir, dir);

	sh("rm -rf %s", dir);
	unsetenv("ZEROPAGE_XEN");
	unsetenv("ZEROPAGE_CACHE");
}

/* What `boot` and `matrix` do around the CD: a run directory, our signal
 * handlers, the CD made or reused. */
static int make_grub_cd(void)
{
	struct tool_err err;
	char rundir[256], iso[600];
	int lock;

	process_install_signal_handlers();
	if (rundir_create(rundir, sizeof(rundir), &lock, &err)) {
		fprintf(stderr, "rundir: %s\n", err.msg);
		return -1;
	}
	process_cleanup_on_signal(rundir);
	int r = grub_cd_make(rundir, iso, sizeof(iso), &err);
	if (r)
		fprintf(stderr, "grub_cd_make: %s\n", err.msg);
	rundir_remove(rundir);
	return r;
}

static bool have_grub(void)
{
	char bin[512];

	return !access("/usr/lib/grub/i386-pc/kernel.img", R_OK) &&
	       !access("/usr/lib/grub/x86_64-efi/kernel.img", R_OK) &&
	       !process_find_program("grub-mkrescue", bin, sizeof(bin)) &&
	       !process_find_program("xorriso", bin, sizeof(bin)) &&
	       !process_find_program("mformat", bin, sizeof(bin));
}

static char cache[] = "/tmp/zp-test-cache.XXXXXX", tmp[] = "/tmp/zp-test-tmp.XXXXXX";
static bool dirs_made;

/* One cache and one TMPDIR for the GRUB tests (the second starts from
 * what the first left), never the user's. */
static int grub_setup(void **state)
{
	(void)state;
	if (!have_grub())
		return 0;
	if (!dirs_made) {
		assert_non_null(mkdtemp(cache));
		assert_non_null(mkdtemp(tmp));
		dirs_made = true;
	}
	setenv("ZEROPAGE_CACHE", cache, 1);
	setenv("TMPDIR", tmp, 1);
	return 0;
}

static int grub_teardown(void **state)
{
	(void)state;
	unsetenv("ZEROPAGE_CACHE");
	unsetenv("TMPDIR");
	return 0;
}

static int remove_dirs(void **state)
{
	(void)state;
	if (dirs_made)
		sh("rm -rf %s %s", cache, tmp);
	return 0;
}

static void test_grub_cd_at_once(void **state)
{
	(void)state;
	char names[600], iso[700];

	if (!have_grub())
		skip();
	snprintf(iso, sizeof(iso), "%s/grub-rescue-2.iso", cache);
	assert_int_equal(at_once(2, make_grub_cd), 2);
	assert_true(cache_valid(iso));
	listing(cache, names, sizeof(names));
	assert_string_equal(names, "grub-rescue-2.iso grub-rescue-2.iso.lock grub-rescue-2.iso.sum");
	listing(tmp, names, sizeof(names));
	assert_string_equal(names, "");		/* no run directory, no grub.XXXXXX */

	/* a truncated CD is made again, not booted */
	sh("truncate -s 1000000 %s", iso);
	assert_int_equal(at_once(1, make_grub_cd), 1);
	assert_true(cache_valid(iso));
	struct stat st;
	assert_int_equal(stat(iso, &st), 0);
	assert_true(st.st_size > 1000000);
}

/* The run directory's grub-tmp holds grub-mkrescue's own directory. */
static bool mkrescue_running(void)
{
	DIR *d = opendir(tmp);
	struct dirent *e;
	bool found = false;

	while (d && !found && (e = readdir(d))) {
		char sub[600], names[600];
		if (!rundir_name_is_ours(e->d_name))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s/grub-tmp", tmp, e->d_name);
		listing(sub, names, sizeof(names));
		found = !strncmp(names, "grub.", 5);
	}
	if (d)
		closedir(d);
	return found;
}

static void test_grub_cd_interrupted(void **state)
{
	(void)state;
	char names[600];
	int st;

	if (!have_grub())
		skip();
	sh("rm -f %s/grub-rescue-2.iso %s/grub-rescue-2.iso.sum", cache, cache);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(make_grub_cd() == 0 ? 0 : 1);
	for (int i = 0; i < 600 && !mkrescue_running(); i++)
		usleep(50 * 1000);
	assert_true(mkrescue_running());
	kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	listing(tmp, names, sizeof(names));
	assert_string_equal(names, "");		/* grub-mkrescue's tree went with ours */
	listing(cache, names, sizeof(names));
	assert_string_equal(names, "grub-rescue-2.iso.lock");	/* no partial CD */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_and_check),
		cmocka_unit_test(test_xen_at_once),
		cmocka_unit_test_setup_teardown(test_grub_cd_at_once, grub_setup, grub_teardown),
		cmocka_unit_test_setup_teardown(test_grub_cd_interrupted, grub_setup, grub_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, remove_dirs);
}
