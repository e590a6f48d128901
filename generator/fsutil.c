#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "xalloc.h"

char *path_join(const char *a, const char *b)
{
	/* measured first: one allocation, where a buffer grown to fit cost
	 * a copy for most paths, a build making tens of thousands */
	size_t alen = strlen(a), blen = strlen(b);
	bool slash = alen > 0 && a[alen - 1] != '/';
	char *p = xmalloc(alen + slash + blen + 1);
	memcpy(p, a, alen);
	if (slash)
		p[alen] = '/';
	memcpy(p + alen + slash, b, blen + 1);
	return p;
}

/* A name and what readdir says it is. */
struct dir_entry {
	char *name;
	enum entry_type type;
};

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const struct dir_entry *)a)->name,
		      ((const struct dir_entry *)b)->name);
}

int list_dir_types(const char *dir, char ***names, enum entry_type **types,
		   size_t *count)
{
	return list_dir_kept(dir, NULL, NULL, names, types, count);
}

int list_dir_kept(const char *dir,
		  bool (*keep)(void *arg, const char *name,
			       enum entry_type type),
		  void *arg, char ***names, enum entry_type **types,
		  size_t *count)
{
	struct dir_entry *list = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	DIR *d = opendir(dir);
	*names = NULL;
	if (types)
		*types = NULL;
	*count = 0;
	if (!d)
		return errno == ENOENT ? 0 : -1;
	while ((errno = 0, e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		enum entry_type type = e->d_type == DT_REG   ? ENTRY_TYPE_FILE
				       : e->d_type == DT_DIR ? ENTRY_TYPE_DIR
							     : ENTRY_TYPE_UNKNOWN;
		if (keep && !keep(arg, e->d_name, type))
			continue;
		list = xgrow(list, &cap, n + 1, sizeof *list);
		list[n].name = xstrdup(e->d_name);
		list[n].type = type;
		n++;
	}
	int err = errno;
	closedir(d);
	if (n > 1)
		qsort(list, n, sizeof *list, compare_entries);
	char **out = xcalloc(n + 1, sizeof *out);
	enum entry_type *kinds = types ? xcalloc(n + 1, sizeof *kinds) : NULL;
	for (size_t i = 0; i < n; i++) {
		out[i] = list[i].name;
		if (kinds)
			kinds[i] = list[i].type;
	}
	free(list);
	if (err) {
		names_free(out, n);
		free(kinds);
		errno = err;
		return -1;
	}
	*names = out;
	if (types)
		*types = kinds;
	*count = n;
	return 0;
}

int list_dir(const char *dir, char ***names, size_t *count)
{
	return list_dir_types(dir, names, NULL, count);
}

void names_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/* Opens PATH for reading, with FLAGS added to open's, when it is a
 * regular file of at most LIMIT bytes, filling *ST: the descriptor; -1
 * with errno set (EISDIR for what is not a regular file); or -2 when it
 * is larger, *ST then giving its size. */
static int open_regular(const char *path, int flags, size_t limit,
			struct stat *st)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | flags);
	if (fd < 0)
		return -1;
	int rc = fd, err = 0;
	if (fstat(fd, st) < 0)
		err = errno;
	else if (!S_ISREG(st->st_mode))
		err = EISDIR;
	else if ((unsigned long long)st->st_size > limit)
		rc = -2;
	if (err)
		rc = -1;
	if (rc < 0) {
		close(fd);
		errno = err ? err : EFBIG;
	}
	return rc;
}

int mapped_file_open(const char *path, size_t limit, struct mapped_file *m)
{
	struct stat st;
	int rc = -1;
	m->data = NULL;
	m->len = 0;
	int fd = open_regular(path, 0, limit, &st);
	if (fd < 0)
		return -1;
	if (st.st_size == 0) {
		m->data = "";
		rc = 0;
		goto out;
	}
	void *map =
	    mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		goto out;
	m->data = map;
	m->len = (size_t)st.st_size;
	rc = 0;
out:;
	int err = errno;
	close(fd);
	errno = err;
	return rc;
}

void mapped_file_release(struct mapped_file *m)
{
	if (m->len)
		munmap((void *)m->data, m->len);
	m->data = NULL;
	m->len = 0;
}

int read_file(const char *path, size_t limit, char **data, size_t *len)
{
	return read_file_flags(path, 0, limit, data, len);
}

int read_file_flags(const char *path, int flags, size_t limit, char **data,
		    size_t *len)
{
	struct stat st;
	char *p = NULL;
	size_t got = 0;
	int rc = -1;
	*data = NULL;
	*len = 0;
	int fd = open_regular(path, flags, limit, &st);
	if (fd == -2)
		*len = (size_t)st.st_size;
	if (fd < 0)
		return fd;
	p = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, p + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	p[got] = '\0';
	*data = p;
	*len = got;
	p = NULL;
	rc = 0;
out:
	free(p);
	int err = errno;
	close(fd);
	errno = err;
	return rc;
}

int make_dirs(const char *dir)
{
	char *p = xstrdup(dir);
	int rc = 0;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
		if (rc)
			goto out;
	}
	if (mkdir(p, 0777) < 0 && errno != EEXIST)
		rc = -1;
out:
	free(p);
	return rc;
}

void release_mapped(const void *base, size_t *released, size_t at)
{
	const size_t step = (size_t)16 << 20;
	if (at < *released + step)
		return;
	long page = sysconf(_SC_PAGESIZE);
	if (page <= 0)
		return;
	size_t end = at - at % (size_t)page;
	madvise((char *)base + *released, end - *released, MADV_DONTNEED);
	*released = end;
}

int write_all(int fd, const void *data, size_t len)
{
	const char *s = data;
	while (len > 0) {
		ssize_t w = write(fd, s, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		s += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Writes LEN bytes to FD and closes it. */
static int write_and_close(int fd, const void *data, size_t len)
{
	if (fd < 0)
		return -1;
	if (write_all(fd, data, len) < 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	return close(fd);
}

int write_file(const char *path, const void *data, size_t len)
{
	return write_and_close(open(path, O_WRONLY | O_CREAT | O_TRUNC |
					  O_CLOEXEC, 0666), data, len);
}

int open_new_file(const char *path)
{
	const int flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
	int fd = open(path, flags, 0666);
	if (fd < 0 && errno == EEXIST && unlink(path) == 0)
		fd = open(path, flags, 0666);
	return fd;
}

int write_new_file(const char *path, const void *data, size_t len)
{
	return write_and_close(open_new_file(path), data, len);
}

int link_replacing(const char *from, const char *to)
{
	int rc = link(from, to);
	if (rc < 0 && errno == EEXIST && unlink(to) == 0)
		rc = link(from, to);
	return rc;
}

/* Reads up to LEN bytes, fewer only at the end of the file. */
static ssize_t read_full(int fd, char *p, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t r = read(fd, p + got, len - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

bool same_bytes(const char *a, const char *b)
{
	enum { PIECE = 1 << 16 };
	int fa = open(a, O_RDONLY | O_CLOEXEC);
	int fb = fa < 0 ? -1 : open(b, O_RDONLY | O_CLOEXEC);
	bool same = fa >= 0 && fb >= 0;
	char *pa = xmalloc(PIECE), *pb = xmalloc(PIECE);
	while (same) {
		ssize_t ra = read_full(fa, pa, PIECE);
		ssize_t rb = read_full(fb, pb, PIECE);
		if (ra < 0 || ra != rb || memcmp(pa, pb, (size_t)ra) != 0)
			same = false;
		else if (ra < PIECE)
			break;
	}
	free(pa);
	free(pb);
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

/* Removes the folder PATH and what it holds; the type readdir gives
 * spares an lstat per file (a site of 10,000 articles has 26,000). */
static int remove_children(const char *path)
{
	char **names = NULL;
	enum entry_type *types = NULL;
	size_t n = 0;
	int rc = 0;
	if (list_dir_types(path, &names, &types, &n) < 0)
		return -1;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char *child = path_join(path, names[i]);
		if (types[i] == ENTRY_TYPE_FILE)
			rc = unlink(child) < 0 && errno != ENOENT ? -1 : 0;
		else
			rc = remove_tree(child);
		free(child);
	}
	names_free(names, n);
	free(types);
	return rc == 0 ? rmdir(path) : rc;
}

int remove_tree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	return remove_children(path);
}

struct file_stamp file_stamp_of(const struct stat *st)
{
	struct file_stamp s = {
	    (uint64_t)st->st_ino, (uint64_t)st->st_size,
	    (uint64_t)st->st_mtim.tv_sec * 1000000000u +
		(uint64_t)st->st_mtim.tv_nsec,
	    (uint64_t)st->st_ctim.tv_sec * 1000000000u +
		(uint64_t)st->st_ctim.tv_nsec};
	return s;
}

struct file_stamp file_stamp_at(const char *path)
{
	struct stat st;
	struct file_stamp none = {0, 0, 0, 0};
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) ? file_stamp_of(&st)
							    : none;
}

uint64_t file_stamp_clock(void)
{
	struct timespec t;
	if (clock_gettime(CLOCK_REALTIME_COARSE, &t) < 0)
		return 0;
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

uint64_t file_stamp_clock_past(const char *path)
{
	struct stat st;
	uint64_t now = file_stamp_clock();
	if (lstat(path, &st) < 0)
		return now;
	uint64_t changed = (uint64_t)st.st_ctim.tv_sec * 1000000000u +
			   (uint64_t)st.st_ctim.tv_nsec;
	/* Whole seconds: settled takes a margin of two, not worth it. */
	if (changed % 1000000000u == 0)
		return now;
	for (int i = 0; i < 20 && now <= changed; i++) {
		struct timespec pause = {0, 1000000};
		nanosleep(&pause, NULL);
		now = file_stamp_clock();
	}
	return now;
}

/* S when it was changed before SINCE by more than the file system's
 * clock can blur: one that keeps whole seconds may round. */
static struct file_stamp settled(struct file_stamp s, uint64_t since)
{
	struct file_stamp none = {0, 0, 0, 0};
	uint64_t margin = s.ctime_ns % 1000000000u == 0 ? 2000000000u : 0;
	return s.ino && s.ctime_ns + margin < since ? s : none;
}

struct file_stamp file_stamp_settled(const char *path, uint64_t since)
{
	return settled(file_stamp_at(path), since);
}

struct file_stamp file_stamp_settled_of(const struct stat *st, uint64_t since)
{
	return settled(file_stamp_of(st), since);
}

bool file_stamp_equal(const struct file_stamp *a, const struct file_stamp *b)
{
	return a->ino != 0 && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns;
}
