#include "writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"
void writer_emit(struct writer *w, const char *rel, const void *data,
		 size_t len)
{
	if (w->failed)
		return;
	char *path = path_join(w->stage, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	if (make_dirs(path) < 0) {
		diag_error(w->d, path, 0, 0, "cannot create folder: %s",
			   strerror(errno));
		w->failed = true;
	}
	*slash = '/';
	if (!w->failed && write_file(path, data, len) < 0) {
		diag_error(w->d, path, 0, 0, "cannot write: %s", strerror(errno));
		w->failed = true;
	}
	buf_adds(&w->manifest, rel);
	buf_addc(&w->manifest, '\n');
	w->files++;
	free(path);
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

/* Copies the folder FROM to REL in the output, sorted, recursively. */
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

