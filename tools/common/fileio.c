/* SPDX-License-Identifier: MIT */
/*
 * fileio.c - whole-file reads that never wait, and outputs that are
 * replaced atomically (temp + fsync + rename) when they are files and
 * written into when they are not (devices, FIFOs, our stdout).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/fileio.h"
#include "common/tool_err.h"

#define READ_LIMIT ((size_t)4 << 30)	/* no kernel image is this large */

static int read_all(int fd, uint8_t *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;	/* the file shrank under us: report what we got */
		done += (size_t)n;
	}
	return (int)(done == len ? 0 : 1);
}

const char *fileio_kind_name(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG: return "regular file";
	case S_IFDIR: return "directory";
	case S_IFIFO: return "FIFO";
	case S_IFCHR: return "character device";
	case S_IFBLK: return "block device";
	case S_IFSOCK: return "socket";
	case S_IFLNK: return "symbolic link";
	default: return "special file";
	}
}

/* An input opened without waiting: O_NONBLOCK, because open() of a FIFO
 * for reading blocks until a writer comes, which may be never; then only a
 * regular file or a block device (what holds bytes that stay put) is
 * accepted, and blocking reads are restored for it.  *size: its bytes. */
static int open_input(const char *path, uint64_t *size, struct tool_err *err)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), flags;

	if (fd < 0) {
		int e = errno;

		/* a socket cannot be opened at all (ENXIO): say what it is */
		if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
			tool_err_set(err, "%s: is a socket, not a regular file", path);
		else
			tool_err_set(err, "%s: %s", path, strerror(e));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		tool_err_set(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		tool_err_set(err, "%s: is a %s, not a regular file", path,
			 fileio_kind_name(st.st_mode));
		goto fail;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		tool_err_set(err, "%s: %s", path, strerror(errno));
		goto fail;
	}
	*size = (uint64_t)st.st_size;
	if (S_ISBLK(st.st_mode)) {	/* st_size is 0 for a device: ask it */
		off_t end = lseek(fd, 0, SEEK_END);

		if (end < 0 || lseek(fd, 0, SEEK_SET) < 0) {
			tool_err_set(err, "%s: %s", path, strerror(errno));
			goto fail;
		}
		*size = (uint64_t)end;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

int fileio_check_input(const char *path, struct tool_err *err)
{
	uint64_t size;
	int fd = open_input(path, &size, err);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* All of fd's `size` bytes into a malloc'ed buffer. */
static int read_fd(int fd, const char *path, uint64_t size, uint8_t **data, size_t *len,
		   struct tool_err *err)
{
	uint8_t *buf;

	if (size > READ_LIMIT) {
		tool_err_set(err, "%s: larger than 4 GiB", path);
		return -1;
	}
	/* One spare byte so an empty file still gets a non-NULL buffer. */
	buf = malloc((size_t)size + 1);
	if (!buf) {
		tool_err_set(err, "%s: out of memory for %llu bytes", path,
			 (unsigned long long)size);
		return -1;
	}
	errno = 0;
	if (read_all(fd, buf, (size_t)size) != 0) {
		tool_err_set(err, "%s: %s", path, errno ? strerror(errno) : "short read");
		free(buf);
		return -1;
	}
	*data = buf;
	*len = (size_t)size;
	return 0;
}

/* The file mapped read-only: no copy and no page faults for what is never
 * read (extract reads only the header and the payload; info only the
 * headers it describes, so a 4 GiB file of zeros costs a page or two). */
int fileio_map(const char *path, struct fileio_mapped *m, struct tool_err *err)
{
	uint64_t size;
	uint8_t *buf;
	void *p;
	int fd = open_input(path, &size, err);

	memset(m, 0, sizeof(*m));
	if (fd < 0)
		return -1;
	if (size > READ_LIMIT) {
		tool_err_set(err, "%s: larger than 4 GiB", path);
		close(fd);
		return -1;
	}
	if (size == 0) {	/* mmap refuses length 0: an empty buffer instead */
		int r = read_fd(fd, path, 0, &buf, &m->len, err);

		close(fd);
		if (r < 0)
			return -1;
		m->data = buf;
		m->copied = true;	/* fileio_unmap frees it */
		return 0;
	}
	p = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		tool_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	m->data = p;
	m->len = (size_t)size;
	return 0;
}

void fileio_unmap(struct fileio_mapped *m)
{
	if (m->copied)
		free((void *)m->data);
	else if (m->data)
		munmap((void *)m->data, m->len);
	memset(m, 0, sizeof(*m));
}

int fileio_read_all(const char *path, uint8_t **data, size_t *len, struct tool_err *err)
{
	uint64_t size;
	int fd = open_input(path, &size, err), r;

	*data = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	r = read_fd(fd, path, size, data, len, err);
	close(fd);
	return r;
}

/* A temporary name in the target's own directory, so rename() is atomic. */
static int open_temp(const char *path, char **tmp)
{
	char *copy = strdup(path);
	int fd;

	if (!copy)
		return -1;
	if (asprintf(tmp, "%s/.%s.XXXXXX", dirname(copy), strrchr(path, '/') ?
		     strrchr(path, '/') + 1 : path) < 0) {
		free(copy);
		*tmp = NULL;
		return -1;
	}
	free(copy);
	fd = mkostemp(*tmp, O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

/* What an output path names, decided here once for every writer. */
enum out_kind {
	OUT_FILE,	/* a regular file or a new one: temp + rename */
	OUT_NODE,	/* a device, FIFO or socket: opened and written into */
	OUT_FD,		/* one of our open descriptors ("-", /dev/stdout): written into */
};
struct out_target {
	enum out_kind kind;
	int fd;			/* OUT_FD */
	char path[PATH_MAX];	/* OUT_FILE, OUT_NODE: symbolic links followed */
};

/* "-", /dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N: a descriptor
 * we already hold.  Writing to it keeps what the shell set up (a pipe, a
 * file opened for appending); reopening or renaming over it would not. */
static int fd_alias(const char *p)
{
	static const char *const dirs[] = { "/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/" };
	char own[64];
	char *end;
	long n;

	if (!strcmp(p, "-") || !strcmp(p, "/dev/stdout"))
		return STDOUT_FILENO;
	if (!strcmp(p, "/dev/stderr"))
		return STDERR_FILENO;
	snprintf(own, sizeof(own), "/proc/%ld/fd/", (long)getpid());
	for (size_t i = 0; i <= sizeof(dirs) / sizeof(dirs[0]); i++) {
		const char *d = i < sizeof(dirs) / sizeof(dirs[0]) ? dirs[i] : own;
		size_t dl = strlen(d);

		if (strncmp(p, d, dl) || p[dl] < '0' || p[dl] > '9')
			continue;
		errno = 0;
		n = strtol(p + dl, &end, 10);
		if (!*end && !errno && n <= 0x7fffffff)
			return (int)n;
	}
	return -1;
}

/* Follows PATH's own symbolic links (not its directories') one at a time,
 * so that a link to /proc/self/fd/1 is seen as a descriptor, and a link to
 * a file is written through (the file replaced, the link kept). */
static int resolve_output(const char *path, struct out_target *t, struct tool_err *err)
{
	char link[PATH_MAX], next[PATH_MAX];
	struct stat st;
	int hops;

	if ((size_t)snprintf(t->path, sizeof(t->path), "%s", path) >= sizeof(t->path)) {
		tool_err_set(err, "%.64s...: %s", path, strerror(ENAMETOOLONG));
		return -1;
	}
	for (hops = 0; hops < 40; hops++) {
		ssize_t n;

		if ((t->fd = fd_alias(t->path)) >= 0) {
			int fl = fcntl(t->fd, F_GETFL);

			t->kind = OUT_FD;
			if (fl < 0 || (fl & O_ACCMODE) == O_RDONLY) {
				tool_err_set(err, "%s: descriptor %d is not open for writing",
					 path, t->fd);
				return -1;
			}
			return 0;
		}
		n = readlink(t->path, link, sizeof(link) - 1);
		if (n < 0)
			break;	/* not a link (or not there): t->path is the target */
		link[n] = 0;
		if (link[0] == '/') {
			snprintf(t->path, sizeof(t->path), "%s", link);
			continue;
		}
		char *slash = strrchr(t->path, '/');
		if ((size_t)snprintf(next, sizeof(next), "%.*s%s", slash ? (int)(slash - t->path + 1) : 0,
				     t->path, link) >= sizeof(next)) {
			tool_err_set(err, "%s: %s", path, strerror(ENAMETOOLONG));
			return -1;
		}
		memcpy(t->path, next, sizeof(next));
	}
	if (hops == 40) {
		tool_err_set(err, "%s: %s", path, strerror(ELOOP));
		return -1;
	}
	t->kind = OUT_FILE;
	if (stat(t->path, &st) < 0)
		return 0;	/* a new file (or an error the temp file will name) */
	if (S_ISDIR(st.st_mode)) {
		tool_err_set(err, "%s: cannot write: is a directory", path);
		return -1;
	}
	if (!S_ISREG(st.st_mode))
		t->kind = OUT_NODE;
	return 0;
}

/* An unnamed file in $TMPDIR that holds a stream's bytes until commit. */
static int open_spool(void)
{
	const char *dir = getenv("TMPDIR");
	char *name;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	if (asprintf(&name, "%s/zeropage-out.XXXXXX", dir) < 0)	/* no O_TMPFILE there */
		return -1;
	fd = mkostemp(name, O_CLOEXEC);
	if (fd >= 0)
		unlink(name);
	free(name);
	return fd;
}

/* A device, FIFO or descriptor is written into, never replaced: the
 * caller writes to a spool (it may seek, pwrite, read back), and commit
 * copies the finished bytes into the target, so a failure before commit
 * sends nothing. */
static int begin_stream(const char *path, const struct out_target *t, struct fileio_atomic *f,
			struct tool_err *err)
{
	if (t->kind == OUT_FD) {
		f->stream_fd = t->fd;
	} else {
		/* no O_CREAT, no O_TRUNC: the node stays what it is; a FIFO
		 * waits here for its reader, as the shell's `>` does */
		f->stream_fd = open(t->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
		if (f->stream_fd < 0) {
			tool_err_set(err, "%s: cannot open: %s", path, strerror(errno));
			return -1;
		}
		f->stream_owned = true;
	}
	f->fd = open_spool();
	if (f->fd < 0) {
		tool_err_set(err, "%s: cannot make a temporary file in %s: %s", path,
			 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
			 strerror(errno));
		fileio_atomic_abort(f);
		return -1;
	}
	return 0;
}

int fileio_atomic_begin(const char *path, unsigned mode, struct fileio_atomic *f,
			struct tool_err *err)
{
	struct out_target t;
	mode_t mask;

	*f = (struct fileio_atomic){ .fd = -1, .stream_fd = -1, .durable = true };
	if (resolve_output(path, &t, err) < 0)
		return -1;
	if (t.kind != OUT_FILE)
		return begin_stream(path, &t, f, err);
	f->target = strdup(t.path);
	f->fd = f->target ? open_temp(t.path, &f->tmp) : -1;
	if (f->fd < 0) {
		tool_err_set(err, "%s: cannot create: %s", path, strerror(errno));
		fileio_atomic_abort(f);
		return -1;
	}
	/* mkostemp makes the file 0600; give it the mode a plain open() would. */
	mask = umask(0);
	umask(mask);
	if (fchmod(f->fd, (mode_t)mode & ~mask) < 0) {
		tool_err_set(err, "%s: cannot write: %s", path, strerror(errno));
		fileio_atomic_abort(f);
		return -1;
	}
	return 0;
}

void fileio_atomic_abort(struct fileio_atomic *f)
{
	int e = errno;

	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp) {
		unlink(f->tmp);
		free(f->tmp);
	}
	if (f->stream_owned && f->stream_fd >= 0)
		close(f->stream_fd);
	free(f->target);
	*f = (struct fileio_atomic){ .fd = -1, .stream_fd = -1 };
	errno = e;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {	/* a non-blocking stdout: wait */
			struct pollfd p = { .fd = fd, .events = POLLOUT };
			poll(&p, 1, -1);
			continue;
		}
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The spool's bytes, from its start, into the stream. */
static int copy_spool(int from, int to)
{
	static uint8_t buf[1 << 20];
	ssize_t n;

	if (lseek(from, 0, SEEK_SET) < 0)
		return -1;
	while ((n = read(from, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(to, buf, (size_t)n) < 0)
			return -1;
	}
	return 0;
}

int fileio_atomic_commit(struct fileio_atomic *f, const char *path, struct tool_err *err)
{
	const char *step = "write";

	if (f->stream_fd >= 0) {
		if (copy_spool(f->fd, f->stream_fd) < 0)
			goto fail;
		step = "close";
		if (f->stream_owned && close(f->stream_fd) < 0) {
			f->stream_fd = -1;
			goto fail;
		}
		f->stream_fd = -1;
		fileio_atomic_abort(f);	/* the spool, which has no name */
		return 0;
	}
	step = "sync";
	if (f->durable && fsync(f->fd) < 0)
		goto fail;
	step = "close";
	if (close(f->fd) < 0) {
		f->fd = -1;
		goto fail;
	}
	f->fd = -1;
	step = "rename";
	if (rename(f->tmp, f->target) < 0)
		goto fail;
	free(f->tmp);
	f->tmp = NULL;
	fileio_atomic_abort(f);	/* frees the rest */
	return 0;
fail:
	tool_err_set(err, "%s: cannot %s: %s", path, step, strerror(errno));
	fileio_atomic_abort(f);
	return -1;
}

int fileio_write_parts_atomic(const char *path, const struct fileio_part *parts, size_t nparts,
			      unsigned mode, struct tool_err *err)
{
	struct fileio_atomic f;

	if (fileio_atomic_begin(path, mode, &f, err) < 0)
		return -1;
	for (size_t i = 0; i < nparts; i++)
		if (write_all(f.fd, parts[i].data, parts[i].len) < 0) {
			tool_err_set(err, "%s: cannot write: %s", path, strerror(errno));
			fileio_atomic_abort(&f);
			return -1;
		}
	return fileio_atomic_commit(&f, path, err);
}

int fileio_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
			struct tool_err *err)
{
	struct fileio_part part = { data, len };

	return fileio_write_parts_atomic(path, &part, 1, mode, err);
}

FILE *fileio_atomic_fopen(const char *path, unsigned mode, struct fileio_atomic *f,
			  struct tool_err *err)
{
	FILE *fp;
	int fd;

	if (fileio_atomic_begin(path, mode, f, err) < 0)
		return NULL;
	/* a stream of its own descriptor, so that commit can close f->fd */
	fd = fcntl(f->fd, F_DUPFD_CLOEXEC, 0);
	fp = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!fp) {
		tool_err_set(err, "%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		fileio_atomic_abort(f);
	}
	return fp;
}

int fileio_atomic_fclose(FILE *fp, struct fileio_atomic *f, const char *path, struct tool_err *err)
{
	int bad = ferror(fp);

	errno = 0;
	if (fclose(fp) != 0 || bad) {
		tool_err_set(err, "%s: cannot write: %s", path,
			 errno ? strerror(errno) : "stream error");
		fileio_atomic_abort(f);
		return -1;
	}
	return fileio_atomic_commit(f, path, err);
}

int fileio_output_fd(const char *path)
{
	struct out_target t;
	struct tool_err err;

	return resolve_output(path, &t, &err) == 0 && t.kind == OUT_FD ? t.fd : -1;
}

int fileio_check_output_not_input(const char *option, const char *output,
				  const struct fileio_named_path *inputs, size_t n,
				  struct tool_err *err)
{
	struct out_target t;
	struct stat out, in;

	if (resolve_output(output, &t, err) < 0)
		return -1;
	if ((t.kind == OUT_FD ? fstat(t.fd, &out) : stat(t.path, &out)) < 0)
		return 0;	/* nothing there yet: nothing to overwrite */
	for (size_t i = 0; i < n; i++) {
		if (!inputs[i].path || stat(inputs[i].path, &in) < 0)
			continue;	/* the read will say what is wrong with it */
		if (in.st_dev == out.st_dev && in.st_ino == out.st_ino && S_ISREG(in.st_mode)) {
			tool_err_set(err, "%s %s is the same file as %s%s%s: refusing to "
				 "overwrite an input", option, output, inputs[i].option,
				 *inputs[i].option ? " " : "", inputs[i].path);
			return -1;
		}
	}
	return 0;
}

/* What fileio_atomic_begin will need, without making anything that stays. */
int fileio_check_writable(const char *path, struct tool_err *err)
{
	struct out_target t;
	char *tmp;
	int fd;

	if (resolve_output(path, &t, err) < 0)
		return -1;
	if (t.kind == OUT_FD)
		return 0;
	if (t.kind == OUT_NODE) {
		/* not opened now: a FIFO would wait for its reader */
		if (access(t.path, W_OK) == 0)
			return 0;
		tool_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	fd = open_temp(t.path, &tmp);	/* the temp file beside it must be possible */
	if (fd < 0) {
		tool_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	unlink(tmp);
	free(tmp);
	return 0;
}

void fileio_cache_dir(char *out, size_t cap)
{
	const char *c = getenv("ZEROPAGE_CACHE"), *x = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");

	if (c && *c)
		snprintf(out, cap, "%s", c);
	else if (x && *x)
		snprintf(out, cap, "%s/zeropage", x);
	else
		snprintf(out, cap, "%s/.cache/zeropage", home && *home ? home : "/tmp");
}

int fileio_mkdir_p(const char *dir, struct tool_err *err)
{
	char mk[600];

	if ((size_t)snprintf(mk, sizeof(mk), "%s", dir) >= sizeof(mk)) {
		tool_err_set(err, "%s: path too long", dir);
		return -1;
	}
	for (char *p = mk + 1;; p++)
		if (*p == '/' || *p == '\0') {
			char c = *p;
			*p = 0;
			if (mkdir(mk, 0755) && errno != EEXIST) {
				tool_err_set(err, "mkdir %s: %s", mk, strerror(errno));
				return -1;
			}
			if (!c)
				return 0;
			*p = c;
		}
}
