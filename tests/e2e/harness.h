/* Shared helpers for the end-to-end tests: run gloss, build throwaway
 * archives, and query the pages it writes with libxml2's XPath.
 *
 * GLOSS is the binary under test: $GLOSS, or build/san/gloss. Tests run
 * from the repository's top folder (tests/run.sh makes sure). */
#ifndef GLOSS_TEST_HARNESS_H
#define GLOSS_TEST_HARNESS_H

#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>

struct run_result {
	int status;   /* exit status, or 128 + signal */
	char *out;    /* stdout, NUL-terminated; free with run_result_free */
	char *err;    /* stderr */
};

static inline const char *gloss_binary(void)
{
	const char *g = getenv("GLOSS");
	return g && *g ? g : "build/san/gloss";
}

static inline char *slurp_fd(int fd)
{
	size_t len = 0, cap = 4096;
	char *p = malloc(cap);
	for (;;) {
		if (len + 1024 > cap)
			p = realloc(p, cap *= 2);
		ssize_t r = read(fd, p + len, cap - len - 1);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	p[len] = '\0';
	return p;
}

/* Runs gloss with the NULL-terminated ARGS (not counting argv[0]),
 * capturing stdout and stderr through temporary files. */
static inline struct run_result run_gloss(const char *const *args)
{
	struct run_result r = {0};
	FILE *out = tmpfile(), *err = tmpfile();
	size_t n = 0;
	while (args[n])
		n++;
	const char **argv = calloc(n + 2, sizeof *argv);
	argv[0] = gloss_binary();
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = args[i];
	pid_t pid = fork();
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	fflush(out);
	fflush(err);
	lseek(fileno(out), 0, SEEK_SET);
	lseek(fileno(err), 0, SEEK_SET);
	r.out = slurp_fd(fileno(out));
	r.err = slurp_fd(fileno(err));
	fclose(out);
	fclose(err);
	free(argv);
	return r;
}

static inline void run_result_free(struct run_result *r)
{
	free(r->out);
	free(r->err);
}

/* A fresh empty folder under /tmp; the caller frees the path and may
 * remove the folder with remove_dir. */
static inline char *temp_dir(void)
{
	char *p = strdup("/tmp/gloss-test-XXXXXX");
	if (!mkdtemp(p)) {
		perror("mkdtemp");
		exit(99);
	}
	return p;
}

static inline void remove_dir(const char *dir)
{
	char *cmd = NULL;
	if (asprintf(&cmd, "rm -rf '%s'", dir) >= 0 && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
}

/* Writes DATA (LEN bytes; -1 for strlen) to DIR/REL, creating folders. */
static inline void put_file(const char *dir, const char *rel,
			    const char *data, long len)
{
	char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, rel) < 0)
		exit(99);
	for (char *s = path + strlen(dir) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(path, 0777);
			*s = '/';
		}
	}
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(99);
	}
	fwrite(data, 1, len < 0 ? strlen(data) : (size_t)len, f);
	fclose(f);
	free(path);
}

/* Reads DIR/REL, or returns NULL when it does not exist. */
static inline char *get_file(const char *dir, const char *rel)
{
	char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, rel) < 0)
		exit(99);
	FILE *f = fopen(path, "rb");
	free(path);
	if (!f)
		return NULL;
	char *s = slurp_fd(fileno(f));
	fclose(f);
	return s;
}

static inline int path_exists(const char *dir, const char *rel)
{
	char *path = NULL;
	struct stat st;
	if (asprintf(&path, "%s/%s", dir, rel) < 0)
		exit(99);
	int ok = stat(path, &st) == 0;
	free(path);
	return ok;
}


/* The paths of the files gloss wrote into site DIR, one a line: its
 * manifest without the job tags and keys that follow a tab on the lines
 * of pages (caller frees). */
static inline char *manifest_paths(const char *dir)
{
	char *m = get_file(dir, ".gloss-manifest");
	if (!m)
		return NULL;
	char *out = m;
	for (char *in = m; *in;) {
		size_t path = strcspn(in, "\t\n");
		memmove(out, in, path);
		out += path;
		in += path;
		in += strcspn(in, "\n");
		if (*in == '\n')
			*out++ = *in++;
	}
	*out = '\0';
	return m;
}

/* Parses the page DIR/REL as HTML (NULL when missing). */
static inline htmlDocPtr load_page(const char *dir, const char *rel)
{
	char *path = NULL;
	if (asprintf(&path, "%s/%s", dir, rel) < 0)
		exit(99);
	htmlDocPtr doc = htmlReadFile(path, "UTF-8",
				      HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					      HTML_PARSE_NONET);
	free(path);
	return doc;
}

/* Number of nodes matching XPATH in DOC. */
static inline int xpath_count(htmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
	int n = obj && obj->nodesetval ? obj->nodesetval->nodeNr : -1;
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return n;
}

/* The string value of XPATH in DOC (e.g. "string(//h1)"), malloc'd. */
static inline char *xpath_string(htmlDocPtr doc, const char *xpath)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
	xmlChar *s = obj ? xmlXPathCastToString(obj) : xmlStrdup(BAD_CAST "");
	char *copy = strdup((const char *)s);
	xmlFree(s);
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return copy;
}

#endif
