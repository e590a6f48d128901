/* bench/floor: the least work any generator must do for an archive.
 *
 *   floor CONTENT MANIFEST OUTPUT
 *
 * Reads every file under CONTENT, parses the body of every .md file with
 * cmark and renders it to HTML, then writes OUTPUT/PATH with SIZE bytes
 * for each "PATH<TAB>SIZE" line of MANIFEST (the files of a gloss build of
 * CONTENT: `find OUT -type f -printf '%P\t%s\n'`), each from a buffer in
 * memory with one write. OUTPUT must not exist. One thread, as the
 * simplest program would be. Prints the seconds it took on stdout. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmark.h>

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("floor: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* What was read and rendered, so that none of it is skipped. */
static size_t bytes_read, files_read, md_parsed, html_bytes;
static char *buf;
static size_t buf_cap;

static void read_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		die("cannot read %s: %s", path, strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0)
		die("cannot read %s: %s", path, strerror(errno));
	size_t size = (size_t)st.st_size;
	if (size + 1 > buf_cap) {
		buf_cap = size + 1;
		buf = xrealloc(buf, buf_cap);
	}
	size_t got = 0;
	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n <= 0)
			die("cannot read %s", path);
		got += (size_t)n;
	}
	close(fd);
	buf[size] = '\0';
	*len = size;
}

/* The body of a Markdown file: after the front matter's closing line. */
static const char *md_body(const char *s, size_t len, size_t *body_len)
{
	if (strncmp(s, "---\n", 4) == 0) {
		const char *end = strstr(s + 4, "\n---\n");
		if (end) {
			end += 5;
			*body_len = len - (size_t)(end - s);
			return end;
		}
	}
	*body_len = len;
	return s;
}

static void walk(char *path, size_t plen, size_t cap)
{
	DIR *d = opendir(path);
	if (!d)
		die("cannot list %s: %s", path, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t n = strlen(e->d_name);
		if (plen + n + 2 > cap)
			die("path too long");
		path[plen] = '/';
		memcpy(path + plen + 1, e->d_name, n + 1);
		struct stat st;
		if (stat(path, &st) != 0)
			die("cannot stat %s", path);
		if (S_ISDIR(st.st_mode)) {
			walk(path, plen + 1 + n, cap);
			continue;
		}
		size_t len;
		read_all(path, &len);
		files_read++;
		bytes_read += len;
		if (n > 3 && strcmp(e->d_name + n - 3, ".md") == 0) {
			size_t blen;
			const char *body = md_body(buf, len, &blen);
			cmark_node *doc = cmark_parse_document(body, blen,
							       CMARK_OPT_DEFAULT);
			char *html = cmark_render_html(doc, CMARK_OPT_DEFAULT);
			html_bytes += strlen(html);
			md_parsed++;
			free(html);
			cmark_node_free(doc);
		}
	}
	path[plen] = '\0';
	closedir(d);
}

static void mkdirs(char *path)
{
	for (char *s = path + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			die("cannot create %s: %s", path, strerror(errno));
		*s = '/';
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		die("cannot create %s: %s", path, strerror(errno));
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: floor CONTENT MANIFEST OUTPUT\n");
		return 2;
	}
	struct stat st;
	if (stat(argv[3], &st) == 0)
		die("%s exists; floor writes into a new folder", argv[3]);
	FILE *mf = fopen(argv[2], "r");
	if (!mf)
		die("cannot read %s: %s", argv[2], strerror(errno));

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);

	char path[4096];
	snprintf(path, sizeof path, "%s", argv[1]);
	walk(path, strlen(path), sizeof path);

	/* The output: one buffer as big as the biggest file, filled with
	 * HTML-like bytes, written in part for each file. */
	char line[4096], dir[4096] = "";
	size_t out_files = 0, out_bytes = 0;
	char *out = NULL;
	size_t out_cap = 0;
	mkdirs(argv[3]);
	while (fgets(line, sizeof line, mf)) {
		char *tab = strrchr(line, '\t');
		if (!tab)
			die("bad manifest line: %s", line);
		*tab = '\0';
		size_t size = (size_t)strtoull(tab + 1, NULL, 10);
		if (size > out_cap) {
			size_t old = out_cap;
			out_cap = size;
			out = xrealloc(out, out_cap);
			for (size_t i = old; i < out_cap; i++)
				out[i] = "<p>floor</p>\n"[i % 13];
		}
		int n = snprintf(path, sizeof path, "%s/%s", argv[3], line);
		if (n < 0 || (size_t)n >= sizeof path)
			die("path too long: %s", line);
		char *slash = strrchr(path, '/');
		*slash = '\0';
		if (strcmp(path, dir) != 0) {
			mkdirs(path);
			snprintf(dir, sizeof dir, "%s", path);
		}
		*slash = '/';
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
		if (fd < 0)
			die("cannot write %s: %s", path, strerror(errno));
		size_t done = 0;
		while (done < size) {
			ssize_t w = write(fd, out + done, size - done);
			if (w < 0)
				die("cannot write %s: %s", path, strerror(errno));
			done += (size_t)w;
		}
		if (close(fd) != 0)
			die("cannot write %s: %s", path, strerror(errno));
		out_files++;
		out_bytes += size;
	}
	fclose(mf);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) +
		      (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.3f\n", secs);
	fprintf(stderr, "floor: read %zu files (%zu bytes), rendered %zu "
		"Markdown bodies (%zu bytes of HTML), wrote %zu files "
		"(%zu bytes) in %.3f s\n", files_read, bytes_read, md_parsed,
		html_bytes, out_files, out_bytes, secs);
	free(out);
	free(buf);
	return 0;
}
