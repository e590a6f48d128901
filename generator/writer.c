#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsutil.h"
#include "xalloc.h"

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

/* Reads the previous site's manifest into W->prev. */
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
	char *line = w->prev_manifest;
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
			struct prev_job *job = map_get(&w->prev_jobs, tag);
			if (!job) {
				job = xcalloc(1, sizeof *job);
				job->tag = tag;
				job->key = key;
				map_put(&w->prev_jobs, tag, job);
			}
			job->paths = xgrow(job->paths, &job->cap, job->count + 1,
					   sizeof *job->paths);
			job->paths[job->count++] = line;
			if (strcmp(job->key, key) != 0)
				job->key = ""; /* never matches */
		}
		if (*line)
			map_put(&w->prev, line, line);
		if (!nl)
			break;
		line = nl + 1;
	}
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
	pthread_mutex_init(&w->lock, NULL);
	int rc = check_output(w);
	if (rc)
		w->failed = true;
	return rc;
}

int writer_open(struct writer *w, const char *output, struct diag *d)
{
	int rc = writer_peek(w, output, d);
	return rc ? rc : writer_stage(w);
}

int writer_stage(struct writer *w)
{
	if (w->failed)
		return 3;
	/* Leftovers of a build that was killed are ours to clear. */
	if (remove_tree(w->stage) < 0 || remove_tree(w->old) < 0 ||
	    make_dirs(w->stage) < 0) {
		diag_error(w->d, w->stage, 0, 0, "cannot prepare the output: %s",
			   strerror(errno));
		w->failed = true;
		return 3;
	}
	w->staged = true;
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

/* Makes the folders above PATH (a path in the new folder) once per
 * folder, not once per file. */
static int parent_dirs(struct writer *w, char *path)
{
	char *slash = strrchr(path, '/');
	int rc = 0;
	*slash = '\0';
	pthread_mutex_lock(&w->lock);
	bool known = map_get(&w->dirs, path) != NULL;
	pthread_mutex_unlock(&w->lock);
	if (!known) {
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
	return rc;
}

/* Adds REL to the manifest, with its job's TAG and KEY when it has one;
 * under the lock. */
static void record(struct writer *w, const char *rel, const char *tag,
		   uint64_t key)
{
	struct buf line;
	buf_init(&line);
	buf_adds(&line, rel);
	if (tag && key)
		buf_addf(&line, "\t%s\t%016llx", tag, (unsigned long long)key);
	w->written = xgrow(w->written, &w->written_cap, w->written_count + 1,
			   sizeof *w->written);
	w->written[w->written_count++] = buf_detach(&line, NULL);
}

void writer_job(struct writer *w, const char *tag, uint64_t key)
{
	(void)w;
	current_tag = tag;
	current_key = key;
}

bool writer_prev_key(struct writer *w, const char *tag, uint64_t key)
{
	char hex[17];
	if (!key)
		return false;
	snprintf(hex, sizeof hex, "%016llx", (unsigned long long)key);
	const struct prev_job *job = map_get(&w->prev_jobs, tag);
	return job && strcmp(job->key, hex) == 0;
}

char *writer_prev_file(struct writer *w, const char *rel)
{
	return map_get(&w->prev, rel) ? path_join(w->output, rel) : NULL;
}

bool writer_keep(struct writer *w, const char *tag, uint64_t key)
{
	struct stat st;
	if (writer_failed(w) || !writer_prev_key(w, tag, key))
		return false;
	const struct prev_job *job = map_get(&w->prev_jobs, tag);
	/* Every file must still be there, as gloss wrote it. */
	for (size_t i = 0; i < job->count; i++) {
		char *from = path_join(w->output, job->paths[i]);
		bool ok = lstat(from, &st) == 0 && S_ISREG(st.st_mode);
		free(from);
		if (!ok)
			return false;
	}
	for (size_t i = 0; i < job->count; i++) {
		char *from = path_join(w->output, job->paths[i]);
		char *to = path_join(w->stage, job->paths[i]);
		int err = parent_dirs(w, to) < 0 ? -1 : 0;
		if (!err && link(from, to) < 0)
			err = errno;
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
	    link(prev_path, path) == 0)
		kept = true;
	else if (!failed && write_file(path, data, len) < 0)
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

bool writer_emit_kept(struct writer *w, const char *rel, size_t len)
{
	if (writer_failed(w))
		return false;
	char *path = path_join(w->stage, rel);
	char *prev_path = NULL;
	bool kept = prev_file(w, rel, len, &prev_path) &&
		    parent_dirs(w, path) == 0 && link(prev_path, path) == 0;
	if (kept)
		written(w, rel, path, 0, true);
	free(prev_path);
	free(path);
	return kept;
}

void writer_file_open(struct writer *w, struct writer_file *f,
		      const char *rel)
{
	f->w = w;
	f->rel = xstrdup(rel);
	f->path = path_join(w->stage, rel);
	f->fd = -1;
	f->err = 0;
	buf_init(&f->data);
	if (writer_failed(w) || parent_dirs(w, f->path) < 0)
		return;
	f->fd = open(f->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (f->fd < 0)
		f->err = errno;
}

/* Writes what DATA holds, unless a write has failed already. */
static void write_piece(struct writer_file *f)
{
	if (f->fd >= 0 && !f->err && write_all(f->fd, f->data.data,
					       f->data.len) < 0)
		f->err = errno;
	buf_reset(&f->data);
}

void writer_file_flush(struct writer_file *f)
{
	if (f->data.len >= WRITER_PIECE)
		write_piece(f);
}

void writer_file_close(struct writer_file *f)
{
	struct writer *w = f->w;
	bool opened = f->fd >= 0 || f->err;
	bool kept = false;
	write_piece(f);
	if (f->fd >= 0 && close(f->fd) < 0 && !f->err)
		f->err = errno;
	f->fd = -1;
	if (opened && !f->err && map_get(&w->prev, f->rel)) {
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

/* Carries the files below OUTPUT/REL that gloss did not write into the
 * new folder, as hard links: the user's files survive the swap as they
 * are. A folder is made in the new site only for what it carries, or
 * when it was empty, so that the folders of pages gloss no longer
 * writes (a year without articles now) go with them. Returns 0, 2 for a
 * file where the new site has one, 3 on failure. */
static int carry_foreign(struct writer *w, const char *rel)
{
	char **names = NULL;
	enum entry_type *types = NULL;
	size_t n = 0;
	int rc = 0;
	char *dir = rel ? path_join(w->output, rel) : xstrdup(w->output);
	if (list_dir_types(dir, &names, &types, &n) < 0) {
		diag_error(w->d, dir, 0, 0, "cannot list: %s", strerror(errno));
		free(dir);
		return 3;
	}
	if (n == 0 && rel && make_dirs_in_stage(w, rel) < 0)
		rc = 3;
	for (size_t i = 0; i < n && rc != 3; i++) {
		struct stat st;
		char *sub = rel ? path_join(rel, names[i]) : xstrdup(names[i]);
		char *from = path_join(w->output, sub);
		char *to = path_join(w->stage, sub);
		if (!rel && strcmp(names[i], WRITER_MANIFEST) == 0) {
			/* gloss's own */
		} else if (types[i] == ENTRY_TYPE_FILE &&
			   map_get(&w->prev, sub)) {
			/* written by gloss: goes with the previous site */
		} else if (lstat(from, &st) < 0) {
			diag_error(w->d, from, 0, 0, "cannot read: %s",
				   strerror(errno));
			rc = 3;
		} else if (S_ISDIR(st.st_mode)) {
			int sub_rc = carry_foreign(w, sub);
			rc = sub_rc > rc ? sub_rc : rc;
		} else if (!map_get(&w->prev, sub)) {
			struct stat st_to;
			if (lstat(to, &st_to) == 0) {
				diag_error(w->d, from, 0, 0, "this file was not "
					   "written by gloss, and the new site "
					   "has a file of that name; move it "
					   "out of the output folder");
				rc = rc ? rc : 2;
			} else if (rel && make_dirs_in_stage(w, rel) < 0) {
				rc = 3;
			} else if (link(from, to) < 0) {
				diag_error(w->d, from, 0, 0, "cannot keep this "
					   "file, which gloss did not write: %s; "
					   "move it out of the output folder",
					   strerror(errno));
				rc = 3;
			}
		}
		free(sub);
		free(from);
		free(to);
	}
	names_free(names, n);
	free(types);
	free(dir);
	return rc;
}

static void *remove_old(void *arg)
{
	struct writer *w = arg;
	remove_tree(w->old);
	return NULL;
}

int writer_commit(struct writer *w)
{
	struct stat st;
	int rc = 0;
	if (!w->failed) {
		char *manifest = path_join(w->stage, WRITER_MANIFEST);
		size_t len;
		char *text = writer_manifest(w, &len);
		int wrote = write_file(manifest, text, len);
		free(text);
		if (wrote < 0) {
			diag_error(w->d, manifest, 0, 0, "cannot write: %s",
				   strerror(errno));
			w->failed = true;
		}
		free(manifest);
	}
	if (w->failed)
		return 3;
	bool had_output = stat(w->output, &st) == 0;
	if (had_output && (rc = carry_foreign(w, NULL)) != 0) {
		w->failed = true;
		return rc;
	}
	/* Swap: the previous site stays whole until the new one is
	 * complete, and is removed only once the new one is in place. */
	if ((had_output && rename(w->output, w->old) < 0) ||
	    rename(w->stage, w->output) < 0) {
		diag_error(w->d, w->output, 0, 0, "cannot put the new site in "
			   "place: %s", strerror(errno));
		if (had_output && stat(w->output, &st) < 0)
			rename(w->old, w->output);
		w->failed = true;
		return 3;
	}
	w->staged = false;
	/* The new site is in place: what is left is cleaning up, which
	 * needs no one to wait for it but the end of the run. */
	if (had_output &&
	    !(w->removing = pthread_create(&w->remover, NULL, remove_old, w) == 0))
		remove_tree(w->old);
	return 0;
}

void writer_release(struct writer *w)
{
	if (w->removing)
		pthread_join(w->remover, NULL);
	if (w->staged)
		remove_tree(w->stage);
	free(w->output);
	free(w->stage);
	free(w->old);
	free(w->prev_manifest);
	map_release(&w->prev);
	for (size_t i = 0; i < w->written_count; i++)
		free(w->written[i]);
	free(w->written);
	for (size_t i = 0; i < w->dirs.cap; i++)
		free((char *)w->dirs.keys[i]);
	map_release(&w->dirs);
	for (size_t i = 0; i < w->prev_jobs.cap; i++) {
		struct prev_job *job = w->prev_jobs.values ? w->prev_jobs.values[i]
							   : NULL;
		if (w->prev_jobs.keys && w->prev_jobs.keys[i] && job) {
			free(job->paths);
			free(job);
		}
	}
	map_release(&w->prev_jobs);
	pthread_mutex_destroy(&w->lock);
	memset(w, 0, sizeof *w);
}
