#define _GNU_SOURCE /* renameat2, copy_file_range */
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "fsutil.h"
#include "xalloc.h"

/* The digest of a manifest's LEN bytes TEXT, as WRITER_SPARE records
 * it. */
static uint64_t manifest_digest(const char *text, size_t len)
{
	struct digest x = digest_new(0x676c6f73732d6d66ULL);
	digest_bytes(&x, text, len);
	return x.h;
}

static char *sibling(const char *output, const char *suffix)
{
	struct buf b;
	buf_init(&b);
	buf_adds(&b, output);
	while (b.len > 1 && b.data[b.len - 1] == '/')
		b.data[--b.len] = '\0';
	buf_adds(&b, suffix);
	return buf_detach(&b, NULL);
}

/* The files one job of the previous build wrote, and its key. */
struct prev_job {
	char *tag;     /* borrowed from prev_manifest */
	char *key;     /* borrowed: hexadecimal */
	char **paths;  /* owned array, paths borrowed */
	size_t count, cap;
};

/* The job that the files this thread writes belong to. */
static _Thread_local const char *current_tag;
static _Thread_local uint64_t current_key;

/* Splits the manifest TEXT into its PATHS, and, when JOBS is not NULL,
 * the files of each job (struct prev_job, keys and paths borrow
 * TEXT); when ORDER is not NULL, *ORDER lists the paths (*COUNT) in the
 * manifest's order too. */
static void split_manifest(char *text, struct map *paths, struct map *jobs,
			   const char ***order, size_t *count)
{
	size_t lines = 1;
	for (const char *nl = text; (nl = strchr(nl, '\n')); nl++)
		lines++;
	map_reserve(paths, lines);
	if (order) {
		*order = xcalloc(lines, sizeof **order);
		*count = 0;
	}
	char *line = text;
	while (*line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		/* PATH, or PATH TAB TAG TAB KEY */
		char *tag = strchr(line, '\t');
		char *key = tag ? strchr(tag + 1, '\t') : NULL;
		if (tag && key) {
			*tag++ = '\0';
			*key++ = '\0';
		}
		if (tag && key && jobs) {
			struct prev_job *job = map_get(jobs, tag);
			if (!job) {
				job = xcalloc(1, sizeof *job);
				job->tag = tag;
				job->key = key;
				map_put(jobs, tag, job);
			}
			job->paths = xgrow(job->paths, &job->cap, job->count + 1,
					   sizeof *job->paths);
			job->paths[job->count++] = line;
			if (strcmp(job->key, key) != 0)
				job->key = ""; /* never matches */
		}
		if (*line)
			map_put(paths, line, line);
		if (*line && order)
			(*order)[(*count)++] = line;
		if (!nl)
			break;
		line = nl + 1;
	}
}

/* Reads the previous site's manifest into W->prev and W->prev_jobs. */
static int read_manifest(struct writer *w)
{
	char *path = path_join(w->output, WRITER_MANIFEST);
	size_t len;
	int rc = read_file(path, (size_t)1 << 30, &w->prev_manifest, &len);
	if (rc != 0) {
		diag_error(w->d, path, 0, 0, "cannot read gloss's manifest: %s",
			   rc == -2 ? "too large" : strerror(errno));
		free(path);
		return 3;
	}
	free(path);
	w->prev_digest = manifest_digest(w->prev_manifest, len);
	split_manifest(w->prev_manifest, &w->prev, &w->prev_jobs, NULL, NULL);
	return 0;
}

/* May gloss replace OUTPUT? Only when it is absent, an empty folder, or a
 * folder holding gloss's manifest: gloss must never delete what it did
 * not write. */
static int check_output(struct writer *w)
{
	struct stat st;
	char **names = NULL;
	size_t n = 0;
	if (stat(w->output, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		diag_error(w->d, w->output, 0, 0, "cannot read: %s",
			   strerror(errno));
		return 3;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_error(w->d, w->output, 0, 0, "output exists and is not a "
			   "folder; choose another with -o");
		return 2;
	}
	if (list_dir(w->output, &names, &n) < 0) {
		diag_error(w->d, w->output, 0, 0, "cannot list: %s",
			   strerror(errno));
		return 3;
	}
	bool owned = false;
	for (size_t i = 0; i < n; i++)
		owned = owned || strcmp(names[i], WRITER_MANIFEST) == 0;
	names_free(names, n);
	w->had_output = true;
	if (owned)
		return read_manifest(w);
	if (n > 0) {
		diag_error(w->d, w->output, 0, 0, "output folder is not empty "
			   "and was not written by gloss (it has no %s); empty "
			   "it, or choose another with -o", WRITER_MANIFEST);
		return 2;
	}
	return 0;
}

static bool read_spare(struct writer *w, char **lines, char **end);
static void walk_ahead(struct writer *w);

int writer_peek(struct writer *w, const char *output, struct diag *d)
{
	memset(w, 0, sizeof *w);
	w->output = xstrdup(output);
	w->stage = sibling(output, ".gloss-new");
	w->old = sibling(output, ".gloss-old");
	w->d = d;
	map_init(&w->prev);
	map_init(&w->dirs);
	map_init(&w->prev_jobs);
	map_init(&w->spare);
	map_init(&w->differs);
	pthread_mutex_init(&w->lock, NULL);
	int rc = check_output(w);
	if (rc)
		w->failed = true;
	/* The site kept beside OUTPUT is read here too, ahead of the build
	 * (on the thread that reads the previous site): writer_stage only
	 * moves it and clears it out. */
	else
		w->spare_ok = read_spare(w, &w->spare_lines, &w->spare_end);
	return rc;
}

int writer_open(struct writer *w, const char *output, struct diag *d)
{
	int rc = writer_peek(w, output, d);
	return rc ? rc : writer_stage(w);
}

/* Whether REL, a path of a WRITER_SPARE record, stays inside the
 * folder: relative, no "..", no empty part. */
static bool record_path_inside(const char *rel)
{
	if (!*rel || *rel == '/')
		return false;
	for (const char *part = rel; part; ) {
		const char *slash = strchr(part, '/');
		size_t len = slash ? (size_t)(slash - part) : strlen(part);
		if (len == 0 || (len == 2 && part[0] == '.' && part[1] == '.'))
			return false;
		part = slash ? slash + 1 : NULL;
	}
	return true;
}

/* Removes the folders above REL in ROOT that are left empty, up to
 * ROOT. */
static void prune_dirs(const char *root, const char *rel)
{
	char *path = path_join(root, rel);
	size_t root_len = strlen(root);
	char *slash;
	while ((slash = strrchr(path, '/')) && (size_t)(slash - path) > root_len) {
		*slash = '\0';
		if (rmdir(path) < 0)
			break;
	}
	free(path);
}

/* Reads the record of the site kept beside OUTPUT, if it was kept for
 * the site OUTPUT holds now: its manifest into W->spare, its lines into
 * W->differs; *LINES and *END then delimit the lines, each ended by a
 * NUL. */
static bool read_spare(struct writer *w, char **lines, char **end)
{
	char *record = path_join(w->old, WRITER_SPARE);
	char *manifest = path_join(w->old, WRITER_MANIFEST);
	size_t len = 0, manifest_len;
	char want[64];
	snprintf(want, sizeof want, "gloss spare 1\nmanifest %016llx\n",
		 (unsigned long long)w->prev_digest);
	bool ok = w->prev_manifest &&
		  read_file(record, (size_t)1 << 30, &w->spare_record, &len) == 0 &&
		  strncmp(w->spare_record, want, strlen(want)) == 0 &&
		  read_file(manifest, (size_t)1 << 30, &w->spare_manifest,
			    &manifest_len) == 0;
	free(record);
	free(manifest);
	if (!ok)
		return false;
	split_manifest(w->spare_manifest, &w->spare, NULL, &w->spare_paths,
		       &w->spare_count);
	*lines = w->spare_record + strlen(want);
	*end = w->spare_record + len;
	for (char *line = *lines; ok && line < *end; ) {
		char *nl = memchr(line, '\n', (size_t)(*end - line));
		if (!nl)
			return false;
		*nl = '\0';
		ok = line[0] && strchr("dfe", line[0]) && line[1] == ' ' &&
		     record_path_inside(line + 2);
		if (ok && line[0] == 'd')
			map_put(&w->differs, line + 2, line);
		line = nl + 1;
	}
	return ok;
}

/* Takes the site kept beside OUTPUT as the new folder, when its record
 * says how it differs from OUTPUT: what gloss did not write is taken
 * out of it (carry_foreign brings in what OUTPUT holds now), the rest
 * stays for the writes to keep or replace. */
static bool recycle_spare(struct writer *w)
{
	const char *lines = w->spare_lines, *end = w->spare_end;
	if (!w->spare_ok || rename(w->old, w->stage) < 0) {
		map_release(&w->spare);
		map_release(&w->differs);
		map_init(&w->spare);
		map_init(&w->differs);
		free(w->spare_paths);
		w->spare_paths = NULL;
		w->spare_count = 0;
		return false;
	}
	char *record = path_join(w->stage, WRITER_SPARE);
	unlink(record);
	free(record);
	for (const char *line = lines; line < end; line += strlen(line) + 1) {
		if (line[0] == 'd')
			continue;
		/* A file of the user's, or an empty folder (carry_foreign
		 * makes a folder only for what it carries, or when empty). */
		char *path = path_join(w->stage, line + 2);
		if ((line[0] == 'f' ? unlink(path) : rmdir(path)) == 0)
			prune_dirs(w->stage, line + 2);
		free(path);
	}
	w->recycled = true;
	return true;
}

int writer_stage(struct writer *w)
{
	if (w->failed)
		return 3;
	/* Leftovers of a build that was killed are ours to clear. */
	bool ready = remove_tree(w->stage) == 0 &&
		     (recycle_spare(w) ||
		      (remove_tree(w->old) == 0 && make_dirs(w->stage) == 0));
	if (!ready) {
		diag_error(w->d, w->stage, 0, 0, "cannot prepare the output: %s",
			   strerror(errno));
		w->failed = true;
		return 3;
	}
	w->staged = true;
	if (w->had_output)
		walk_ahead(w);
	return 0;
}

/* Does the previous site hold REL, a file gloss wrote, as a file of LEN
 * bytes? *PREV_PATH is then its path, for the caller to free (and may be
 * set even when not). */
static bool prev_file(struct writer *w, const char *rel, size_t len,
		      char **prev_path)
{
	struct stat st;
	if (!map_get(&w->prev, rel))
		return false;
	*prev_path = path_join(w->output, rel);
	return lstat(*prev_path, &st) == 0 && S_ISREG(st.st_mode) &&
	       (size_t)st.st_size == len;
}

/* Does the recycled folder hold the previous site's own file REL (the
 * same inode, linked by a build since)? Then keeping it takes nothing. */
static bool spare_holds_prev(struct writer *w, const char *rel)
{
	if (!w->recycled)
		return false;
	uint64_t h = map_hash(rel);
	return map_get_hashed(&w->spare, rel, h) &&
	       !map_get_hashed(&w->differs, rel, h) &&
	       map_get_hashed(&w->prev, rel, h);
}

/* Does the previous site hold REL (a file gloss wrote) with exactly these
 * bytes? Then its file is kept as it is. */
static bool unchanged(struct writer *w, const char *rel, const void *data,
		      size_t len, char **prev_path)
{
	char *old_data = NULL;
	size_t old_len;
	if (!prev_file(w, rel, len, prev_path) ||
	    read_file(*prev_path, len, &old_data, &old_len) != 0)
		return false;
	bool same = old_len == len && memcmp(old_data, data, len) == 0;
	free(old_data);
	return same;
}

/* Removes, in the new folder, the files that stand where the folder DIR
 * or a folder above it goes. */
static void clear_files_in_way(const struct writer *w, char *dir)
{
	struct stat st;
	for (char *s = dir + strlen(w->stage) + 1;; s++) {
		char *slash = strchr(s, '/');
		if (slash)
			*slash = '\0';
		if (lstat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
			unlink(dir);
		if (!slash)
			return;
		*slash = '/';
		s = slash;
	}
}

/* Makes the folders above PATH (a path in the new folder) once per
 * folder, not once per file. A recycled folder (writer_stage) holds the
 * site before last: where it holds no file at PATH, a file of that site
 * may stand where PATH's folders go, or a folder where PATH goes (a
 * static file that became a folder, or the reverse). Stale, they are
 * removed. */
static int parent_dirs(struct writer *w, char *path)
{
	bool clear = w->recycled &&
		     !map_get(&w->spare, path + strlen(w->stage) + 1);
	char *slash = strrchr(path, '/');
	int rc = 0;
	*slash = '\0';
	pthread_mutex_lock(&w->lock);
	bool known = map_get(&w->dirs, path) != NULL;
	pthread_mutex_unlock(&w->lock);
	if (!known) {
		if (clear)
			clear_files_in_way(w, path);
		rc = make_dirs(path);
		if (rc == 0) {
			char *key = xstrdup(path);
			pthread_mutex_lock(&w->lock);
			if (map_put(&w->dirs, key, key))
				free(key);
			pthread_mutex_unlock(&w->lock);
		} else {
			pthread_mutex_lock(&w->lock);
			diag_error(w->d, path, 0, 0, "cannot create folder: %s",
				   strerror(errno));
			w->failed = true;
			pthread_mutex_unlock(&w->lock);
		}
	}
	*slash = '/';
	struct stat st;
	if (rc == 0 && clear && lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
		remove_tree(path);
	return rc;
}

/* KEY as the manifest writes it: 16 hexadecimal digits, into HEX. */
static void key_hex(char hex[17], uint64_t key)
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 15; i >= 0; i--, key >>= 4)
		hex[i] = digits[key & 15];
	hex[16] = '\0';
}

/* Adds REL to the manifest, with its job's TAG and KEY when it has one;
 * under the lock, so made with no more than one allocation. */
static void record(struct writer *w, const char *rel, const char *tag,
		   uint64_t key)
{
	size_t rel_len = strlen(rel), tag_len = tag && key ? strlen(tag) : 0;
	char *line = xmalloc(rel_len + (tag_len ? tag_len + 18 : 0) + 1);
	memcpy(line, rel, rel_len);
	if (tag_len) {
		char *p = line + rel_len;
		*p++ = '\t';
		memcpy(p, tag, tag_len);
		p += tag_len;
		*p++ = '\t';
		key_hex(p, key);
	} else {
		line[rel_len] = '\0';
	}
	w->written = xgrow(w->written, &w->written_cap, w->written_count + 1,
			   sizeof *w->written);
	w->written[w->written_count++] = line;
}

void writer_job(struct writer *w, const char *tag, uint64_t key)
{
	(void)w;
	current_tag = tag;
	current_key = key;
}

/* The previous build's job TAG, when it had KEY; NULL otherwise. */
static const struct prev_job *prev_job(struct writer *w, const char *tag,
				       uint64_t key)
{
	char hex[17];
	if (!key)
		return NULL;
	key_hex(hex, key);
	const struct prev_job *job = map_get(&w->prev_jobs, tag);
	return job && strcmp(job->key, hex) == 0 ? job : NULL;
}

bool writer_prev_key(struct writer *w, const char *tag, uint64_t key)
{
	return prev_job(w, tag, key) != NULL;
}

char *writer_prev_file(struct writer *w, const char *rel)
{
	return map_get(&w->prev, rel) ? path_join(w->output, rel) : NULL;
}

bool writer_keep(struct writer *w, const char *tag, uint64_t key)
{
	struct stat st;
	const struct prev_job *job = writer_failed(w) ? NULL
						       : prev_job(w, tag, key);
	if (!job)
		return false;
	/* Whether the recycled folder holds each file already: most jobs
	 * have one or two. */
	bool few[8], *held = job->count <= 8 ? few
					    : xcalloc(job->count, sizeof *held);
	/* Every file must still be there, as gloss wrote it: in the
	 * recycled folder, or in the previous site to be linked from. */
	for (size_t i = 0; i < job->count; i++) {
		held[i] = spare_holds_prev(w, job->paths[i]);
		if (held[i])
			continue;
		char *from = path_join(w->output, job->paths[i]);
		bool ok = lstat(from, &st) == 0 && S_ISREG(st.st_mode);
		free(from);
		if (!ok) {
			if (held != few)
				free(held);
			return false;
		}
	}
	for (size_t i = 0; i < job->count; i++) {
		int err = 0;
		char *from = NULL, *to = NULL;
		if (!held[i]) {
			from = path_join(w->output, job->paths[i]);
			to = path_join(w->stage, job->paths[i]);
			if (parent_dirs(w, to) < 0)
				err = -1;
			else if (link_replacing(from, to) < 0)
				err = errno;
		}
		pthread_mutex_lock(&w->lock);
		if (err > 0) {
			diag_error(w->d, to, 0, 0, "cannot keep: %s",
				   strerror(err));
			w->failed = true;
		}
		record(w, job->paths[i], tag, key);
		w->files++;
		w->unchanged++;
		if (w->on_file && !w->failed)
			w->on_file(w->on_file_arg, job->paths[i], true);
		pthread_mutex_unlock(&w->lock);
		free(from);
		free(to);
	}
	if (held != few)
		free(held);
	return true;
}

bool writer_failed(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	bool failed = w->failed;
	pthread_mutex_unlock(&w->lock);
	return failed;
}

/* Records REL, written to PATH (kept: a link to the previous file), or
 * the error ERR that stopped it. */
static void written(struct writer *w, const char *rel, const char *path,
		    int err, bool kept)
{
	pthread_mutex_lock(&w->lock);
	if (err) {
		diag_error(w->d, path, 0, 0, "cannot write: %s", strerror(err));
		w->failed = true;
	}
	record(w, rel, current_tag, current_key);
	if (!kept && w->had_output) {
		w->fresh = xgrow(w->fresh, &w->fresh_cap, w->fresh_count + 1,
				 sizeof *w->fresh);
		w->fresh[w->fresh_count++] = w->written[w->written_count - 1];
	}
	w->files++;
	w->unchanged += kept;
	if (w->on_file && !w->failed)
		w->on_file(w->on_file_arg, rel, kept);
	pthread_mutex_unlock(&w->lock);
}

void writer_emit(struct writer *w, const char *rel, const void *data,
		 size_t len)
{
	if (writer_failed(w))
		return;
	char *path = path_join(w->stage, rel);
	char *prev_path = NULL;
	bool kept = false, failed = parent_dirs(w, path) < 0;
	int err = 0;
	if (!failed && unchanged(w, rel, data, len, &prev_path) &&
	    (spare_holds_prev(w, rel) || link_replacing(prev_path, path) == 0))
		kept = true;
	else if (!failed && write_new_file(path, data, len) < 0)
		err = errno;
	written(w, rel, path, err, kept);
	free(prev_path);
	free(path);
}

void writer_error(struct writer *w, const char *rel, const char *what)
{
	char *path = path_join(w->output, rel);
	pthread_mutex_lock(&w->lock);
	diag_error(w->d, path, 0, 0, "%s", what);
	w->failed = true;
	pthread_mutex_unlock(&w->lock);
	free(path);
}

bool writer_emit_kept(struct writer *w, const char *rel, size_t len,
		      bool *untouched)
{
	if (untouched)
		*untouched = false;
	if (writer_failed(w))
		return false;
	char *path = path_join(w->stage, rel);
	char *prev_path = NULL;
	bool held = spare_holds_prev(w, rel);
	bool kept = held || (prev_file(w, rel, len, &prev_path) &&
			     parent_dirs(w, path) == 0 &&
			     link_replacing(prev_path, path) == 0);
	if (untouched)
		*untouched = held;
	if (kept)
		written(w, rel, path, 0, true);
	free(prev_path);
	free(path);
	return kept;
}

/* Sets F up for REL; false when nothing is to be written. */
static bool file_init(struct writer *w, struct writer_file *f,
		      const char *rel)
{
	memset(f, 0, sizeof *f);
	f->w = w;
	f->rel = xstrdup(rel);
	f->path = path_join(w->stage, rel);
	f->fd = -1;
	buf_init(&f->data);
	return !writer_failed(w) && parent_dirs(w, f->path) == 0;
}

static void file_create(struct writer_file *f)
{
	f->fd = open_new_file(f->path);
	if (f->fd < 0)
		f->err = errno;
}

void writer_file_open(struct writer *w, struct writer_file *f,
		      const char *rel)
{
	if (file_init(w, f, rel))
		file_create(f);
}

void writer_file_open_like(struct writer *w, struct writer_file *f,
			   const char *rel, const char *prev, size_t len,
			   int prev_fd)
{
	if (!file_init(w, f, rel))
		return;
	f->like = prev;
	f->like_len = len;
	f->like_fd = prev_fd;
	f->matching = true;
}

/* Writes LEN bytes at P, unless a write has failed already. */
static void put_out(struct writer_file *f, const char *p, size_t len)
{
	if (f->fd >= 0 && !f->err && write_all(f->fd, p, len) < 0)
		f->err = errno;
}

/* Copies the previous file's bytes START to END to the file's end, from
 * file to file where the kernel can (no page of them is read into the
 * process), otherwise from the mapping. */
static void copy_prev(struct writer_file *f, size_t start, size_t end)
{
	if (start >= end)
		return;
	while (f->fd >= 0 && !f->err && start < end) {
		loff_t from = (loff_t)start;
		ssize_t n = copy_file_range(f->like_fd, &from, f->fd, NULL,
					    end - start, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		start += (size_t)n;
	}
	put_out(f, f->like + start, end - start);
}

void writer_file_reuse(struct writer_file *f, const struct file_stamp *stamp,
		       size_t len)
{
	f->reuse_stamp = *stamp;
	f->reuse_len = len;
}

/* Opens the recycled folder's file that writer_file_reuse named, placed
 * after the bytes it shares with the new one, when it still has its stamp
 * and no other link (a link would be the previous site's, or another's);
 * how many bytes it keeps, 0 when it is not used. The rest is written
 * over, not cut first: the file system then reuses the file's pages
 * instead of freeing them and taking fresh ones (tmpfs: 35 -> 23 ms for
 * 45 MB), and writer_file_close cuts what is left past the new end. */
static size_t reuse_file(struct writer_file *f)
{
	size_t keep = f->reuse_len < f->matched ? f->reuse_len : f->matched;
	if (!keep)
		return 0;
	int fd = open(f->path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	struct stat st;
	bool same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_nlink == 1;
	if (same) {
		struct file_stamp now = file_stamp_of(&st);
		same = file_stamp_equal(&now, &f->reuse_stamp);
	}
	if (!same || lseek(fd, (off_t)keep, SEEK_SET) != (off_t)keep) {
		close(fd);
		return 0;
	}
	f->fd = fd;
	f->cut_at_end = true;
	return keep;
}

/* The file F held back while it matched the previous one, created now
 * with the bytes that matched: what a recycled file shares of them kept,
 * the rest copied. */
static void stop_matching(struct writer_file *f)
{
	f->matching = false;
	size_t kept = reuse_file(f);
	if (f->fd < 0)
		file_create(f);
	copy_prev(f, kept, f->matched);
}

/* Lets go of the pages of the previous file's mapping before AT:
 * comparing the few bytes between things at each thing's place would
 * otherwise leave the whole file mapped in, counted in the process's
 * memory. */
static void release_like(struct writer_file *f, size_t at)
{
	release_mapped(f->like, &f->like_released, at);
}

/* How many of the first LEN bytes of A and B are the same. */
static size_t same_prefix(const char *a, const char *b, size_t len)
{
	enum { BLOCK = 4096 };
	size_t n = 0;
	while (len - n >= BLOCK && memcmp(a + n, b + n, BLOCK) == 0)
		n += BLOCK;
	while (n < len && a[n] == b[n])
		n++;
	return n;
}

/* Compares DATA with the previous file's next bytes: those they share
 * are counted as matched and dropped from DATA, so that the file is
 * known to be the previous one's to its first differing byte. True when
 * that was all of DATA. */
static bool data_matches(struct writer_file *f)
{
	size_t len = f->data.len, room = f->like_len - f->matched;
	const char *prev = f->like + f->matched;
	release_like(f, f->matched);
	if (len <= room && memcmp(f->data.data, prev, len) == 0) {
		f->matched += len;
		buf_reset(&f->data);
		return true;
	}
	size_t same = same_prefix(f->data.data, prev, len < room ? len : room);
	f->matched += same;
	f->differs = true;
	memmove(f->data.data, f->data.data + same, len - same);
	f->data.len = len - same;
	f->data.data[f->data.len] = '\0';
	return false;
}

/* Writes what the run and DATA hold, unless a write has failed already;
 * while the file matches the previous one, only compares it. */
static void write_piece(struct writer_file *f)
{
	if (f->matching && data_matches(f))
		return;
	if (f->matching)
		stop_matching(f);
	copy_prev(f, f->run_start, f->run_end);
	f->run_start = f->run_end = 0;
	put_out(f, f->data.data, f->data.len);
	buf_reset(&f->data);
}

void writer_file_add_prev(struct writer_file *f, size_t start, size_t len,
			  bool gap_same)
{
	if (f->matching) {
		/* DATA, then these, in their place in the previous file. */
		if (gap_same && f->matched + f->data.len == start) {
			buf_reset(&f->data);
			f->matched = start + len;
			return;
		}
		if (data_matches(f) && f->matched == start) {
			f->matched += len;
			return;
		}
		stop_matching(f);
	}
	/* The bytes between the run and these, when they are DATA's,
	 * join the three into one run. */
	size_t gap = f->data.len;
	bool joins = f->run_end > f->run_start && start >= f->run_end &&
		     start - f->run_end == gap;
	if (joins && !gap_same) {
		release_like(f, f->run_end);
		joins = memcmp(f->like + f->run_end, f->data.data, gap) == 0;
	}
	if (!joins)
		write_piece(f);
	else
		buf_reset(&f->data);
	if (f->run_end == f->run_start)
		f->run_start = start;
	f->run_end = start + len;
}

void writer_file_flush(struct writer_file *f)
{
	if (f->data.len >= WRITER_PIECE)
		write_piece(f);
}

void writer_file_close(struct writer_file *f)
{
	struct writer *w = f->w;
	bool kept = false;
	write_piece(f);
	/* The previous file's bytes, every one: it stays as it is. */
	if (f->matching && f->matched == f->like_len &&
	    writer_emit_kept(w, f->rel, f->matched, NULL)) {
		buf_release(&f->data);
		free(f->rel);
		free(f->path);
		return;
	}
	if (f->matching)
		stop_matching(f);
	bool opened = f->fd >= 0 || f->err;
	if (f->fd >= 0 && f->cut_at_end && !f->err) {
		off_t end = lseek(f->fd, 0, SEEK_CUR);
		if (end < 0 || ftruncate(f->fd, end) < 0)
			f->err = errno;
	}
	if (f->fd >= 0 && close(f->fd) < 0 && !f->err)
		f->err = errno;
	f->fd = -1;
	/* A file known to differ from the previous one is not read back to
	 * be compared with it. */
	if (opened && !f->err && !f->differs && map_get(&w->prev, f->rel)) {
		struct stat old, now;
		char *prev_path = path_join(w->output, f->rel);
		/* The previous file takes the new one's place, linked
		 * beside it and renamed over it: either way a file is
		 * there. */
		char *link_path = xmalloc(strlen(f->path) + sizeof ".kept");
		strcpy(link_path, f->path);
		strcat(link_path, ".kept");
		if (lstat(prev_path, &old) == 0 && S_ISREG(old.st_mode) &&
		    stat(f->path, &now) == 0 && old.st_size == now.st_size &&
		    same_bytes(prev_path, f->path) &&
		    link(prev_path, link_path) == 0) {
			kept = rename(link_path, f->path) == 0;
			if (!kept)
				unlink(link_path);
		}
		free(link_path);
		free(prev_path);
	}
	if (opened)
		written(w, f->rel, f->path, f->err, kept);
	buf_release(&f->data);
	free(f->rel);
	free(f->path);
}

static int compare_paths(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

char *writer_manifest(struct writer *w, size_t *len)
{
	struct buf b;
	buf_init(&b);
	pthread_mutex_lock(&w->lock);
	if (w->written_count)
		qsort(w->written, w->written_count, sizeof *w->written,
		      compare_paths);
	for (size_t i = 0; i < w->written_count; i++) {
		buf_adds(&b, w->written[i]);
		buf_addc(&b, '\n');
	}
	pthread_mutex_unlock(&w->lock);
	return buf_detach(&b, len);
}

void writer_copy(struct writer *w, const char *from, const char *rel)
{
	char *data;
	size_t len;
	if (w->failed)
		return;
	if (read_file(from, (size_t)-1, &data, &len) != 0) {
		diag_error(w->d, from, 0, 0, "cannot read: %s", strerror(errno));
		w->failed = true;
		return;
	}
	writer_emit(w, rel, data, len);
	free(data);
}

void writer_tree(struct writer *w, const char *from, const char *rel)
{
	char **names = NULL;
	size_t n = 0;
	if (list_dir(from, &names, &n) < 0) {
		diag_error(w->d, from, 0, 0, "cannot list: %s", strerror(errno));
		w->failed = true;
		return;
	}
	for (size_t i = 0; i < n && !w->failed; i++) {
		struct stat st;
		if (names[i][0] == '.')
			continue;
		char *src = path_join(from, names[i]);
		char *dst = path_join(rel, names[i]);
		if (stat(src, &st) == 0 && S_ISDIR(st.st_mode))
			writer_tree(w, src, dst);
		else if (stat(src, &st) == 0 && S_ISREG(st.st_mode))
			writer_copy(w, src, dst);
		free(src);
		free(dst);
	}
	names_free(names, n);
}

/* Makes the folder REL in the new site, and its parents, unless made. */
static int make_dirs_in_stage(struct writer *w, const char *rel)
{
	char *path = path_join(w->stage, rel);
	struct stat st;
	int rc = lstat(path, &st) == 0 && S_ISDIR(st.st_mode) ? 0
								: make_dirs(path);
	if (rc < 0)
		diag_error(w->d, path, 0, 0, "cannot create folder: %s",
			   strerror(errno));
	free(path);
	return rc;
}

/* Notes that carry_foreign carried REL, a file (KIND 'f') or an empty
 * folder ('e'), for the record of the folder it came from. */
static void carried(struct writer *w, char kind, const char *rel)
{
	struct buf line;
	buf_init(&line);
	buf_addc(&line, kind);
	buf_addc(&line, ' ');
	buf_adds(&line, rel);
	w->carried = xgrow(w->carried, &w->carried_cap, w->carried_count + 1,
			   sizeof *w->carried);
	w->carried[w->carried_count++] = buf_detach(&line, NULL);
}

/* Removes REL, a file of the recycled folder's site that the new site
 * does not have, and the folders it leaves empty. */
static void remove_stale_file(struct writer *w, const char *rel)
{
	char *path = path_join(w->stage, rel);
	if (unlink(path) == 0)
		prune_dirs(w->stage, rel);
	free(path);
}

/* Compares the paths of two manifest lines, each ended by a tab or the
 * line's end. */
static int compare_line_paths(const char *a, const char *b)
{
	/* Measured and compared a run of bytes at a time: lines next to
	 * each other share most of their paths (x.html, x.txt). */
	size_t la = (size_t)(strchrnul(a, '\t') - a);
	size_t lb = (size_t)(strchrnul(b, '\t') - b);
	int c = memcmp(a, b, la < lb ? la : lb);
	if (c)
		return c;
	return (la > lb) - (la < lb);
}

/* Removes from the recycled folder the files of the site it held that
 * the new site does not have, and the folders they leave empty. Both
 * lists are in order (manifests are sorted, and writer_manifest has
 * sorted the new one's lines): walked side by side, once each, which
 * beats a map of every path of the new site (5-13 ms on the commit's
 * path at 26,000 files). A path with a byte that sorts before the tab
 * ending it could put lines out of their paths' order: the new lines
 * are checked first, the recycled ones as they are walked, and what the
 * walk found is removed only when both ascend; otherwise the map is
 * used. */
static void remove_stale(struct writer *w)
{
	const char *const *written = (const char *const *)w->written;
	const char **stale = NULL;
	size_t stale_count = 0, stale_cap = 0, j = 0;
	bool ordered = true;
	for (size_t k = 1; ordered && k < w->written_count; k++)
		ordered = compare_line_paths(written[k - 1], written[k]) < 0;
	for (size_t i = 0; ordered && i < w->spare_count; i++) {
		const char *rel = w->spare_paths[i];
		ordered = i == 0 ||
			  compare_line_paths(w->spare_paths[i - 1], rel) < 0;
		int c = -1;
		while (ordered && j < w->written_count &&
		       (c = compare_line_paths(written[j], rel)) < 0)
			j++;
		if (ordered && (j == w->written_count || c != 0)) {
			stale = xgrow(stale, &stale_cap, stale_count + 1,
				      sizeof *stale);
			stale[stale_count++] = rel;
		}
	}
	for (size_t k = 0; ordered && k < stale_count; k++)
		remove_stale_file(w, stale[k]);
	free(stale);
	if (ordered)
		return;
	struct map now;
	char **tabs = xcalloc(w->written_count + 1, sizeof *tabs);
	map_init(&now);
	map_reserve(&now, w->written_count);
	/* The manifest lines cut at their tab for a moment: the paths. */
	for (size_t i = 0; i < w->written_count; i++) {
		tabs[i] = strchr(w->written[i], '\t');
		if (tabs[i])
			*tabs[i] = '\0';
		map_put(&now, w->written[i], w->written[i]);
	}
	for (size_t i = 0; i < w->spare.cap; i++) {
		const char *rel = map_key_at(&w->spare, i);
		if (rel && !map_get(&now, rel))
			remove_stale_file(w, rel);
	}
	for (size_t i = 0; i < w->written_count; i++)
		if (tabs[i])
			*tabs[i] = '\t';
	free(tabs);
	map_release(&now);
}

/* Runs FN(ARG) on thread *T, or here when no thread can start; true
 * when *T is to be joined. */
static bool run_aside(pthread_t *t, void *(*fn)(void *), void *arg)
{
	if (pthread_create(t, NULL, fn, arg) == 0)
		return true;
	fn(arg);
	return false;
}

static void *clear_stale(void *arg)
{
	remove_stale(arg);
	return NULL;
}

/* A folder of the previous site being listed, OUTPUT/REL: how many
 * entries it has. */
struct carry_listing {
	const struct writer *w;
	const char *rel;
	struct buf sub; /* scratch */
	size_t seen;
};

/* Whether an entry of the folder listed may be the user's: not the
 * manifest, nor a file the previous build wrote. Most are gloss's own,
 * and go with the previous site unlisted. */
static bool maybe_foreign(void *arg, const char *name, enum entry_type type)
{
	struct carry_listing *l = arg;
	l->seen++;
	if (!l->rel)
		return strcmp(name, WRITER_MANIFEST) != 0 &&
		       !(type == ENTRY_TYPE_FILE && map_get(&l->w->prev, name));
	if (type != ENTRY_TYPE_FILE)
		return true;
	buf_reset(&l->sub);
	buf_adds(&l->sub, l->rel);
	if (l->sub.len && l->sub.data[l->sub.len - 1] != '/')
		buf_addc(&l->sub, '/'); /* as path_join */
	buf_adds(&l->sub, name);
	return !map_get(&l->w->prev, l->sub.data);
}

/* What the walk of the previous site found, in the order found: a
 * folder holding nothing ('e'), a file gloss did not write ('f', in the
 * folder of REL's first DIR_LEN bytes), or what stopped the walk ('x':
 * PATH could not be listed, or read, for ERR). */
struct carry_item {
	char kind;
	char *rel; /* owned; for 'x', the full path */
	size_t dir_len;
	int err;
	bool listing;
};

/* A folder the walk listed, and its stamp taken just before: none when
 * it changed too recently for a later change to be told from it. */
struct walked_dir {
	char *rel; /* owned; NULL for OUTPUT itself */
	struct file_stamp stamp;
};

struct carry_walk {
	const struct writer *w;
	struct carry_item *items;
	size_t count, cap;
	uint64_t since; /* file_stamp_clock when the walk began */
	struct walked_dir *dirs;
	size_t dir_count, dir_cap;
};

static void found(struct carry_walk *k, char kind, char *rel, size_t dir_len,
		  int err, bool listing)
{
	k->items = xgrow(k->items, &k->cap, k->count + 1, sizeof *k->items);
	k->items[k->count++] = (struct carry_item){kind, rel, dir_len, err,
						   listing};
}

/* Notes the stamp of the folder REL (NULL for OUTPUT) about to be
 * listed, from ST (NULL when it could not be had). */
static void walked(struct carry_walk *k, const char *rel,
		   const struct stat *st)
{
	struct file_stamp none = {0, 0, 0, 0};
	k->dirs = xgrow(k->dirs, &k->dir_cap, k->dir_count + 1,
			sizeof *k->dirs);
	k->dirs[k->dir_count++] = (struct walked_dir){
	    rel ? xstrdup(rel) : NULL,
	    st ? file_stamp_settled_of(st, k->since) : none};
}

/* Walks OUTPUT/REL for what gloss did not write; ST is the folder's
 * lstat, taken by the caller (NULL for OUTPUT). Only reads: neither
 * site is touched, so the walk runs while pages are made. False when it
 * stopped. */
static bool walk_foreign(struct carry_walk *k, const char *rel,
			 const struct stat *st_dir)
{
	const struct writer *w = k->w;
	char **names = NULL;
	enum entry_type *types = NULL;
	size_t n = 0;
	bool ok = true;
	char *dir = rel ? path_join(w->output, rel) : xstrdup(w->output);
	struct stat st_root;
	if (!rel)
		st_dir = stat(dir, &st_root) == 0 ? &st_root : NULL;
	walked(k, rel, st_dir);
	struct carry_listing listing = {w, rel, {0}, 0};
	buf_init(&listing.sub);
	int listed = list_dir_kept(dir, maybe_foreign, &listing, &names,
				   &types, &n);
	buf_release(&listing.sub);
	if (listed < 0) {
		found(k, 'x', dir, 0, errno, true);
		return false;
	}
	free(dir);
	if (listing.seen == 0 && rel)
		found(k, 'e', xstrdup(rel), 0, 0, false);
	for (size_t i = 0; i < n && ok; i++) {
		struct stat st;
		char *sub = rel ? path_join(rel, names[i]) : xstrdup(names[i]);
		char *from = path_join(w->output, sub);
		if (lstat(from, &st) < 0) {
			found(k, 'x', from, 0, errno, false);
			from = NULL;
			ok = false;
		} else if (S_ISDIR(st.st_mode)) {
			ok = walk_foreign(k, sub, &st);
		} else if (!map_get(&w->prev, sub)) {
			found(k, 'f', sub, rel ? strlen(rel) : 0, 0, false);
			sub = NULL;
		}
		free(sub);
		free(from);
	}
	names_free(names, n);
	free(types);
	return ok;
}

static void *walk_thread(void *arg)
{
	struct carry_walk *k = arg;
	k->since = file_stamp_clock();
	walk_foreign(k, NULL, NULL);
	return NULL;
}

static void walk_release(struct carry_walk *k)
{
	for (size_t i = 0; i < k->count; i++)
		free(k->items[i].rel);
	free(k->items);
	for (size_t i = 0; i < k->dir_count; i++)
		free(k->dirs[i].rel);
	free(k->dirs);
}

/* Starts the walk of the previous site (writer.h). */
static void walk_ahead(struct writer *w)
{
	struct carry_walk *k = xcalloc(1, sizeof *k);
	k->w = w;
	if (pthread_create(&w->ahead_thread, NULL, walk_thread, k) == 0)
		w->ahead = k;
	else
		free(k);
}

void writer_walk_wait(struct writer *w)
{
	if (w->ahead && !w->ahead_joined)
		pthread_join(w->ahead_thread, NULL);
	w->ahead_joined = true;
}

/* The walk started ahead, once it is done, or NULL. */
static struct carry_walk *walk_ahead_done(struct writer *w)
{
	struct carry_walk *k = w->ahead;
	writer_walk_wait(w);
	w->ahead = NULL;
	return k;
}

/* Whether what walk K found holds still: it was not stopped, and every
 * folder it listed keeps the stamp it had then, so has neither gained
 * nor lost an entry since. A folder changed in the clock tick it was
 * stamped in has no stamp, and is taken as changed. */
static bool walk_holds(const struct carry_walk *k)
{
	for (size_t i = 0; i < k->count; i++)
		if (k->items[i].kind == 'x')
			return false;
	for (size_t i = 0; i < k->dir_count; i++) {
		const struct walked_dir *d = &k->dirs[i];
		struct stat st;
		char *path = d->rel ? path_join(k->w->output, d->rel) : NULL;
		bool had = path ? lstat(path, &st) == 0
				: stat(k->w->output, &st) == 0;
		free(path);
		if (!had)
			return false;
		struct file_stamp now = file_stamp_of(&st);
		if (!file_stamp_equal(&d->stamp, &now))
			return false;
	}
	return true;
}

/* The walk of the previous site as the commit takes it: the one made
 * while pages were made (AHEAD, may be NULL) when it still holds, or
 * FRESH, made again. */
struct walk_check {
	struct carry_walk *ahead;
	struct carry_walk fresh;
	struct carry_walk *result;
};

static void *check_walk(void *arg)
{
	struct walk_check *c = arg;
	if (c->ahead && walk_holds(c->ahead)) {
		c->result = c->ahead;
	} else {
		walk_thread(&c->fresh);
		c->result = &c->fresh;
	}
	return NULL;
}

/* Carries what the walk found into the new folder, as hard links: the
 * user's files survive the swap as they are. A folder is made in the
 * new site only for what it carries, or when it was empty, so that the
 * folders of pages gloss no longer writes (a year without articles now)
 * go with them. Returns 0, 2 for a file where the new site has one, 3
 * on failure. */
static int carry_foreign(struct writer *w, const struct carry_walk *k)
{
	int rc = 0;
	for (size_t i = 0; i < k->count; i++) {
		const struct carry_item *it = &k->items[i];
		if (it->kind == 'x') {
			diag_error(w->d, it->rel, 0, 0, "cannot %s: %s",
				   it->listing ? "list" : "read",
				   strerror(it->err));
			return 3;
		}
		if (it->kind == 'e') {
			if (make_dirs_in_stage(w, it->rel) < 0)
				return 3;
			carried(w, 'e', it->rel);
			continue;
		}
		struct stat st_to;
		char *from = path_join(w->output, it->rel);
		char *to = path_join(w->stage, it->rel);
		char *dir = it->dir_len ? xstrndup(it->rel, it->dir_len) : NULL;
		int item_rc = 0;
		if (lstat(to, &st_to) == 0) {
			diag_error(w->d, from, 0, 0, "this file was not written "
				   "by gloss, and the new site has a file of "
				   "that name; move it out of the output folder");
			rc = rc ? rc : 2;
		} else if (dir && make_dirs_in_stage(w, dir) < 0) {
			item_rc = 3;
		} else if (link(from, to) < 0) {
			diag_error(w->d, from, 0, 0, "cannot keep this file, "
				   "which gloss did not write: %s; move it out "
				   "of the output folder",
				   strerror(errno));
			item_rc = 3;
		} else {
			carried(w, 'f', it->rel);
		}
		free(from);
		free(to);
		free(dir);
		if (item_rc)
			return item_rc;
	}
	return rc;
}

static void *remove_old(void *arg)
{
	struct writer *w = arg;
	remove_tree(w->old);
	return NULL;
}

/* Puts the new folder in OUTPUT's place, and the previous site, when
 * there was one, at W->old: exchanged in one step where the system can,
 * so that OUTPUT is never missing. */
static int swap_in(struct writer *w, bool had_output)
{
	if (!had_output)
		return rename(w->stage, w->output);
	if (renameat2(AT_FDCWD, w->stage, AT_FDCWD, w->output,
		      RENAME_EXCHANGE) == 0) {
		/* The new site is in place whatever follows. */
		if (rename(w->stage, w->old) < 0)
			remove_tree(w->stage);
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	return rename(w->output, w->old) < 0 ? -1
					     : rename(w->stage, w->output);
}

/* Writes the record of the previous site, now at W->old, for the next
 * build to take the folder as its new one (writer_stage): how it
 * differs from the site just put in place, whose manifest has the
 * digest MANIFEST. */
static int write_spare_record(struct writer *w, uint64_t manifest)
{
	for (size_t i = 0; i < w->carried_count; i++)
		if (strchr(w->carried[i], '\n'))
			return -1; /* a line the file's name would break */
	char *path = path_join(w->old, WRITER_SPARE);
	int fd = open_new_file(path);
	free(path);
	if (fd < 0)
		return -1;
	/* Written a piece at a time: a full build lists every file. */
	struct writer_file f = {w, NULL, NULL, fd, 0, {0}};
	buf_init(&f.data);
	buf_addf(&f.data, "gloss spare 1\nmanifest %016llx\n",
		 (unsigned long long)manifest);
	for (size_t i = 0; i < w->fresh_count; i++) {
		buf_addf(&f.data, "d %.*s\n", (int)strcspn(w->fresh[i], "\t"),
			 w->fresh[i]);
		writer_file_flush(&f);
	}
	for (size_t i = 0; i < w->carried_count; i++)
		buf_addf(&f.data, "%s\n", w->carried[i]);
	write_piece(&f);
	buf_release(&f.data);
	return close(fd) < 0 || f.err ? -1 : 0;
}

int writer_commit(struct writer *w)
{
	struct stat st;
	int rc = 0;
	uint64_t digest = 0;
	if (w->failed)
		return 3;
	/* What the previous site holds that gloss did not write was looked
	 * for while pages were made: whether its folders have changed
	 * since is checked (and when one has, the walk made again) on a
	 * thread of its own while the manifest is written and the recycled
	 * folder cleared, which touch only the new folder. */
	bool had_output = stat(w->output, &st) == 0;
	struct walk_check check = {walk_ahead_done(w), {.w = w}, NULL};
	pthread_t checker;
	bool checking = false;
	if (had_output)
		checking = run_aside(&checker, check_walk, &check);
	char *manifest = path_join(w->stage, WRITER_MANIFEST);
	size_t len;
	char *text = writer_manifest(w, &len);
	/* The recycled folder is cleared of the files the new site does
	 * not have while the manifest is written: both take the lines as
	 * writer_manifest sorted them, and touch different files. */
	pthread_t clearer;
	bool clearing = false;
	if (w->recycled)
		clearing = run_aside(&clearer, clear_stale, w);
	int wrote = write_new_file(manifest, text, len);
	digest = manifest_digest(text, len);
	free(text);
	if (wrote < 0) {
		diag_error(w->d, manifest, 0, 0, "cannot write: %s",
			   strerror(errno));
		w->failed = true;
	}
	free(manifest);
	if (clearing)
		pthread_join(clearer, NULL);
	if (checking)
		pthread_join(checker, NULL);
	if (!w->failed && had_output &&
	    (rc = carry_foreign(w, check.result)) != 0)
		w->failed = true;
	walk_release(&check.fresh);
	if (check.ahead) {
		walk_release(check.ahead);
		free(check.ahead);
	}
	if (w->failed)
		return rc ? rc : 3;
	/* Swap: the previous site stays whole until the new one is
	 * complete. */
	if (swap_in(w, had_output) < 0) {
		diag_error(w->d, w->output, 0, 0, "cannot put the new site in "
			   "place: %s", strerror(errno));
		if (had_output && stat(w->output, &st) < 0)
			rename(w->old, w->output);
		w->failed = true;
		return 3;
	}
	w->staged = false;
	/* The previous site is kept for the next build to start from;
	 * when it cannot be, removing it needs no one to wait for it but
	 * the end of the run. */
	if (had_output && stat(w->old, &st) == 0 &&
	    write_spare_record(w, digest) < 0)
		w->removing = run_aside(&w->remover, remove_old, w);
	return 0;
}

void writer_settle(struct writer *w)
{
	writer_walk_wait(w);
	if (w->removing)
		pthread_join(w->remover, NULL);
	w->removing = false;
	if (w->staged)
		remove_tree(w->stage);
	w->staged = false;
}

void writer_release(struct writer *w)
{
	writer_settle(w);
	struct carry_walk *ahead = walk_ahead_done(w);
	if (ahead) {
		walk_release(ahead);
		free(ahead);
	}
	free(w->output);
	free(w->stage);
	free(w->old);
	free(w->prev_manifest);
	map_release(&w->prev);
	free(w->spare_manifest);
	free(w->spare_paths);
	free(w->spare_record);
	map_release(&w->spare);
	map_release(&w->differs);
	free(w->fresh);
	for (size_t i = 0; i < w->carried_count; i++)
		free(w->carried[i]);
	free(w->carried);
	for (size_t i = 0; i < w->written_count; i++)
		free(w->written[i]);
	free(w->written);
	for (size_t i = 0; i < w->dirs.cap; i++)
		free((char *)map_key_at(&w->dirs, i));
	map_release(&w->dirs);
	for (size_t i = 0; i < w->prev_jobs.cap; i++) {
		struct prev_job *job = map_value_at(&w->prev_jobs, i);
		if (map_key_at(&w->prev_jobs, i) && job) {
			free(job->paths);
			free(job);
		}
	}
	map_release(&w->prev_jobs);
	pthread_mutex_destroy(&w->lock);
	memset(w, 0, sizeof *w);
}
