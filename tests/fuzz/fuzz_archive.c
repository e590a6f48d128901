/* Fuzz target: loading a whole archive (archive.h), and building its site
 * when it loads without errors (site.h).
 *
 * The input is a small content folder: records separated by NUL bytes,
 * each a path relative to content/ on its first line and the file's
 * bytes after it, for example
 *
 *   archive.yaml\ntitle: T\n\0articles/a.txt\nHeadline\n\0articles/a.md\n---...
 *
 * Paths are archive.yaml, index.md, or FOLDER/NAME with FOLDER one of
 * articles, parties, proposals, pages and static (static/ may have
 * folders), and NAME any name that does not start with '.'; %XX in a
 * path stands for the byte XX. Other records are skipped.
 * (Content files may not hold NUL bytes, so no file is lost to the
 * split; read_text's check for them has unit tests of its own.)
 *
 * The folders are made once per process in a temporary folder (on tmpfs
 * when there is one, TMPDIR when set), emptied and refilled for every
 * input; those of runs that crashed are removed by the next run.
 *
 * Every diagnostic with a position must point into a file of the
 * content folder. An archive that loads without errors must keep the
 * promises of archive.h, and its site must build; the site is then
 * checked: every page parses, no page has an id twice, every link has
 * words and no link or source has a scheme md_link_class calls unsafe,
 * each file is written once, the XML files are well formed, archive.json
 * and the search index are the JSON json.h promises, and loading and
 * building the same content again leaves every file unchanged (the
 * output is deterministic). */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>

#include "archive.h"
#include "buf.h"
#include "fold.h"
#include "fsutil.h"
#include "fuzz.h"
#include "map.h"
#include "markdown.h"
#include "site.h"
#include "template.h"
#include "utf8.h"
#include "xalloc.h"

#ifndef FUZZ_THEME_DIR
#define FUZZ_THEME_DIR "themes/default"
#endif

#define MAX_FILES 32

static const char *const folders[] = {"articles", "parties", "proposals",
				      "pages", "static", NULL};

static char *work;    /* the temporary folder */
static char *content; /* work/content */
static char *output;  /* work/output */
static char *output2; /* work/output2: the site built from the cache */
static struct theme theme;
static bool have_theme;

static void cleanup(void)
{
	if (work)
		remove_tree(work);
	if (have_theme)
		theme_release(&theme);
}

#define WORK_PREFIX "gloss-fuzz-archive-"

/* Removes the folders of runs that crashed (libFuzzer leaves at once,
 * with no atexit): those whose process is gone. */
static void remove_stale(const char *tmp)
{
	char **names;
	size_t count;
	if (list_dir(tmp, &names, &count) < 0)
		return;
	for (size_t i = 0; i < count; i++) {
		const char *name = names[i];
		size_t n = strlen(WORK_PREFIX);
		if (strncmp(name, WORK_PREFIX, n) != 0)
			continue;
		char *end;
		long pid = strtol(name + n, &end, 10);
		if (*end || pid <= 0 || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		char *path = path_join(tmp, name);
		remove_tree(path);
		free(path);
	}
	names_free(names, count);
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	struct diag d;
	struct buf b;
	if (!tmp || !*tmp)
		tmp = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
				      access("/dev/shm", W_OK) == 0
			      ? "/dev/shm"
			      : "/tmp";
	remove_stale(tmp);
	buf_init(&b);
	buf_addf(&b, "%s/" WORK_PREFIX "%ld", tmp, (long)getpid());
	work = buf_detach(&b, NULL);
	if (remove_tree(work) < 0 || make_dirs(work) < 0) {
		perror(work);
		abort();
	}
	content = path_join(work, "content");
	output = path_join(work, "output");
	output2 = path_join(work, "output2");
	/* The annotation caches of the loads through them (acache.h). */
	char *cache = path_join(work, "cache");
	setenv("XDG_CACHE_HOME", cache, 1);
	free(cache);
	xmlInitParser();
	fuzz_diag(&d);
	const char *dir = getenv("GLOSS_FUZZ_THEME");
	have_theme = theme_load(&theme, dir ? dir : FUZZ_THEME_DIR, &d) == 0;
	if (!have_theme)
		fprintf(stderr, "fuzz_archive: no theme at %s: sites are not "
			"built (set GLOSS_FUZZ_THEME)\n",
			dir ? dir : FUZZ_THEME_DIR);
	atexit(cleanup);
}

/* Decodes the path line of a record: %XX stands for byte XX, so that
 * names may hold any byte (a line break, say). Returns false for a path
 * the archive does not read or that is not safe to write under content/:
 * it must be archive.yaml, index.md, FOLDER/NAME, or static/ followed by
 * up to four names; no name is empty or starts with '.'. */
static bool decode_path(const char *line, size_t len, struct buf *rel)
{
	static const char hex[] = "0123456789abcdef0123456789ABCDEF";
	buf_reset(rel);
	for (size_t i = 0; i < len; i++) {
		const char *h1, *h2;
		if (line[i] == '%' && i + 2 < len &&
		    (h1 = memchr(hex, line[i + 1], 32)) != NULL &&
		    (h2 = memchr(hex, line[i + 2], 32)) != NULL) {
			buf_addc(rel, (char)(((h1 - hex) % 16) * 16 +
					     (h2 - hex) % 16));
			i += 2;
		} else {
			buf_addc(rel, line[i]);
		}
	}
	if (strlen(rel->data) != rel->len)
		return false;
	if (strcmp(rel->data, "archive.yaml") == 0 ||
	    strcmp(rel->data, "index.md") == 0)
		return true;
	const char *slash = strchr(rel->data, '/');
	if (!slash)
		return false;
	size_t flen = (size_t)(slash - rel->data), names = 0;
	bool folder = false, is_static = flen == 6 &&
					 memcmp(rel->data, "static", 6) == 0;
	for (size_t i = 0; folders[i]; i++)
		folder |= strlen(folders[i]) == flen &&
			  memcmp(folders[i], rel->data, flen) == 0;
	if (!folder)
		return false;
	for (const char *name = slash + 1;; names++) {
		const char *end = strchr(name, '/');
		size_t n = end ? (size_t)(end - name) : strlen(name);
		if (n == 0 || n > 100 || name[0] == '.')
			return false;
		if (!end)
			break;
		name = end + 1;
	}
	return names == 0 || (is_static && names < 4);
}

/* Writes the records of the input into content/. A file that cannot be
 * written (its folder is a file already) is left out. */
static void write_content(const char *in, size_t size)
{
	struct buf path, rel;
	size_t files = 0;
	buf_init(&path);
	buf_init(&rel);
	if (remove_tree(content) < 0 || make_dirs(content) < 0)
		abort();
	for (size_t i = 0; folders[i]; i++) {
		buf_reset(&path);
		buf_addf(&path, "%s/%s", content, folders[i]);
		if (make_dirs(path.data) < 0)
			abort();
	}
	for (const char *p = in, *end = in + size; p < end && files < MAX_FILES;) {
		const char *stop = memchr(p, '\0', (size_t)(end - p));
		const char *rec_end = stop ? stop : end;
		const char *nl = memchr(p, '\n', (size_t)(rec_end - p));
		if (nl && decode_path(p, (size_t)(nl - p), &rel)) {
			buf_reset(&path);
			buf_addf(&path, "%s/%s", content, rel.data);
			char *parent = xstrdup(path.data);
			*strrchr(parent, '/') = '\0';
			if (make_dirs(parent) == 0 &&
			    write_file(path.data, nl + 1,
				       (size_t)(rec_end - nl - 1)) == 0)
				files++;
			free(parent);
		}
		p = stop ? stop + 1 : end;
	}
	buf_release(&path);
	buf_release(&rel);
}

/* What archive_load promises when it reports no error: every reference
 * resolves, entries are sorted by ID, passages lie in their articles. */
static void check_archive(const struct archive *a)
{
	for (size_t i = 0; i < a->article_count; i++) {
		const struct article *art = a->articles[i];
		CHECK(art->index == i);
		CHECK(i == 0 || strcmp(a->articles[i - 1]->id, art->id) < 0);
		for (size_t j = 0; j < art->note_count; j++) {
			const struct passage *p = &art->notes[j].passage;
			CHECK(art->notes[j].article == art);
			CHECK(p->start < p->end && p->end <= art->text_len);
			CHECK(p->line < art->line_count);
			const struct line *ln = &art->lines[p->line];
			CHECK(p->start >= ln->start &&
			      p->end <= ln->start + ln->len);
			CHECK(p->slug && *p->slug);
		}
		for (size_t j = 0; j < art->position_count; j++) {
			const struct position *pos = art->positions[j];
			const struct passage *p = &pos->passage;
			/* A position with no quote is warned of, and
			 * anchors nowhere. */
			CHECK(pos->source == art);
			if (!pos->quote) {
				CHECK(!pos->anchored);
				continue;
			}
			CHECK(pos->anchored);
			CHECK(p->start < p->end && p->end <= art->text_len);
			/* The bytes highlighted are the ones quoted. */
			size_t qlen, tlen;
			char *q = fold_passage(pos->quote, strlen(pos->quote), &qlen);
			char *t = fold_passage(art->text + p->start,
					       p->end - p->start, &tlen);
			CHECK(qlen > 0 && qlen <= tlen && strstr(t, q) != NULL);
			free(q);
			free(t);
		}
		for (size_t j = 0; j < art->mention_count; j++)
			CHECK(art->mentions[j].party != NULL &&
			      art->mentions[j].article == art &&
			      art->mentions[j].count > 0);
		for (size_t j = 0; j < art->party_count; j++)
			CHECK(art->parties[j] != NULL);
	}
	for (size_t i = 0; i < a->party_count; i++) {
		CHECK(a->parties[i]->index == i);
		CHECK(i == 0 || strcmp(a->parties[i - 1]->id, a->parties[i]->id) < 0);
	}
	for (size_t i = 0; i < a->proposal_count; i++) {
		const struct proposal *p = a->proposals[i];
		CHECK(p->index == i);
		CHECK(i == 0 || strcmp(a->proposals[i - 1]->id, p->id) < 0);
		for (size_t j = 0; j < p->position_count; j++) {
			CHECK(p->positions[j].proposal == p);
			CHECK(p->positions[j].party != NULL);
		}
	}
}

/* True when N says something to a reader: text other than white space,
 * or an image with such alt text. */
static bool has_words(xmlNodePtr n)
{
	for (; n; n = n->next) {
		if (n->type == XML_TEXT_NODE && n->content) {
			for (const xmlChar *p = n->content; *p; p++)
				if (!strchr(" \t\n\r\f", *p) &&
				    !(p[0] == 0xC2 && p[1] == 0xA0))
					return true;
		} else if (n->type == XML_ELEMENT_NODE) {
			xmlChar *alt = strcmp((const char *)n->name, "img") == 0
					       ? xmlGetProp(n, BAD_CAST "alt")
					       : NULL;
			bool words = alt && *alt;
			xmlFree(alt);
			if (words || has_words(n->children))
				return true;
		}
	}
	return false;
}

/* Elements of an HTML page: ids unique, links safe and named. */
static void check_elements(xmlNodePtr n, struct map *ids)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)n->name, "a") == 0 &&
		    xmlHasProp(n, BAD_CAST "href") &&
		    !xmlHasProp(n, BAD_CAST "aria-label") &&
		    !has_words(n->children)) {
			xmlChar *href = xmlGetProp(n, BAD_CAST "href");
			fprintf(stderr, "link to '%s' has no words\n", href);
			xmlFree(href);
			CHECK(!"a link a reader cannot name");
		}
		for (xmlAttrPtr at = n->properties; at; at = at->next) {
			const char *name = (const char *)at->name;
			xmlChar *v = xmlNodeGetContent((xmlNodePtr)at);
			CHECK(v != NULL);
			if (strcmp(name, "id") == 0) {
				CHECK(*v != '\0');
				/* The map borrows its keys: they live in the
				 * document until the page is checked. */
				if (map_put(ids, (const char *)v, v)) {
					fprintf(stderr, "duplicate id '%s'\n", v);
					CHECK(!"an id occurs twice on a page");
				}
				continue;
			}
			if (strcmp(name, "href") == 0 || strcmp(name, "src") == 0) {
				enum entry_kind kind;
				const char *id;
				if (md_link_class((const char *)v, &kind, &id) ==
				    LINK_UNSAFE) {
					fprintf(stderr, "unsafe %s '%s'\n", name, v);
					CHECK(!"a link with an unsafe scheme");
				}
			}
			xmlFree(v);
		}
		check_elements(n->children, ids);
	}
}

static void free_ids(struct map *ids)
{
	for (size_t i = 0; i < ids->cap; i++)
		if (map_key_at(ids, i))
			xmlFree(map_value_at(ids, i));
	map_release(ids);
}

static void check_page(const char *path)
{
	htmlDocPtr doc = htmlReadFile(path, "UTF-8", HTML_PARSE_NOERROR |
					  HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	struct map ids;
	CHECK(doc != NULL);
	map_init(&ids);
	check_elements(xmlDocGetRootElement(doc), &ids);
	free_ids(&ids);
	xmlFreeDoc(doc);
}

/* A small JSON checker for archive.json and the search index: RFC 8259
 * syntax, UTF-8 strings, and what json.h promises on top: no raw <, >
 * or & (script-safe), no raw U+2028 or U+2029. Returns the end of the
 * value at P, or NULL. */
static const char *json_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static const char *json_value(const char *p, const char *end, int depth);

static const char *json_string_end(const char *p, const char *end)
{
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end;) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20 || c == '<' || c == '>' || c == '&')
			return NULL;
		if (c == '\\') {
			if (++p >= end)
				return NULL;
			if (*p == 'u') {
				for (int k = 1; k <= 4; k++)
					if (p + k >= end || !strchr("0123456789abcdefABCDEF",
								    p[k]) || !p[k])
						return NULL;
				p += 5;
			} else if (*p && strchr("\"\\/bfnrt", *p)) {
				p++;
			} else {
				return NULL;
			}
			continue;
		}
		uint32_t cp;
		size_t n = utf8_decode(p, (size_t)(end - p), &cp);
		if (n == 0 || cp == 0x2028 || cp == 0x2029)
			return NULL;
		p += n;
	}
	return NULL;
}

static const char *json_value(const char *p, const char *end, int depth)
{
	if (depth > 64 || (p = json_ws(p, end)) >= end)
		return NULL;
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		bool object = *p == '{';
		p = json_ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (object) {
				p = json_string_end(json_ws(p, end), end);
				if (!p || (p = json_ws(p, end)) >= end || *p != ':')
					return NULL;
				p++;
			}
			p = json_value(p, end, depth + 1);
			if (!p || (p = json_ws(p, end)) >= end)
				return NULL;
			if (*p == close)
				return p + 1;
			if (*p != ',')
				return NULL;
			p++;
		}
	}
	if (*p == '"')
		return json_string_end(p, end);
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		const char *q = p + (*p == '-');
		if (q >= end || *q < '0' || *q > '9')
			return NULL;
		while (q < end && ((*q >= '0' && *q <= '9') || strchr(".eE+-", *q)))
			q++;
		return q;
	}
	static const char *const words[] = {"true", "false", "null", NULL};
	for (size_t i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(end - p) >= n && memcmp(p, words[i], n) == 0)
			return p + n;
	}
	return NULL;
}

/* FILE (of the site) holds PREFIX, one JSON value, SUFFIX. */
static void check_json(const char *path, const char *prefix,
		       const char *suffix)
{
	char *data;
	size_t len, plen = strlen(prefix), slen = strlen(suffix);
	CHECK(read_file(path, SIZE_MAX, &data, &len) == 0);
	CHECK(len >= plen + slen && memcmp(data, prefix, plen) == 0);
	const char *end = json_value(data + plen, data + len, 0);
	if (!end)
		fprintf(stderr, "%s: not the JSON json.h promises\n", path);
	CHECK(end != NULL);
	end = json_ws(end, data + len);
	CHECK((size_t)(data + len - end) == slen && memcmp(end, suffix, slen) == 0);
	free(data);
}

/* Walks the site in folder DIR, counting its files in *FILES; checks the
 * pages and XML files gloss made (CHECK false: the theme's assets and the
 * archive's static files, copied as they are). */
static void check_site(const char *dir, bool check, size_t *files)
{
	char **names;
	size_t count;
	CHECK(list_dir(dir, &names, &count) == 0);
	for (size_t i = 0; i < count; i++) {
		char *path = path_join(dir, names[i]);
		size_t len = strlen(names[i]);
		struct stat st;
		CHECK(lstat(path, &st) == 0);
		if (S_ISDIR(st.st_mode)) {
			bool copied = strcmp(dir, output) == 0 &&
				      (strcmp(names[i], "assets") == 0 ||
				       strcmp(names[i], "static") == 0);
			check_site(path, check && !copied, files);
		} else if (S_ISREG(st.st_mode) &&
			   strcmp(names[i], SITE_MANIFEST) != 0) {
			++*files;
			if (!check) {
				/* copied as they are */
			} else if (len > 5 &&
				   strcmp(names[i] + len - 5, ".html") == 0) {
				check_page(path);
			} else if (strcmp(names[i], "archive.json") == 0) {
				check_json(path, "", "");
			} else if (strcmp(names[i], "search-index.js") == 0) {
				check_json(path, "window.GLOSS_SEARCH = ", ";\n");
			} else if (len > 4 &&
				   strcmp(names[i] + len - 4, ".xml") == 0) {
				xmlDocPtr doc = xmlReadFile(
					path, NULL, XML_PARSE_NONET |
						    XML_PARSE_NOERROR |
						    XML_PARSE_NOWARNING);
				CHECK(doc != NULL);
				xmlFreeDoc(doc);
			}
		}
		free(path);
	}
	names_free(names, count);
}

/* Whether the files under A and B are the same names and bytes. */
static bool same_tree(const char *a, const char *b)
{
	char **names = NULL, **names_b = NULL;
	enum entry_type *types = NULL;
	size_t n = 0, n_b = 0;
	CHECK(list_dir_types(a, &names, &types, &n) == 0);
	CHECK(list_dir(b, &names_b, &n_b) == 0);
	bool same = n == n_b;
	for (size_t i = 0; same && i < n; i++) {
		char *pa = path_join(a, names[i]), *pb = path_join(b, names[i]);
		same = strcmp(names[i], names_b[i]) == 0;
		if (same && types[i] == ENTRY_TYPE_DIR) {
			same = same_tree(pa, pb);
		} else if (same) {
			char *da = NULL, *db = NULL;
			size_t la = 0, lb = 0;
			same = read_file(pa, SIZE_MAX, &da, &la) == 0 &&
			       read_file(pb, SIZE_MAX, &db, &lb) == 0 &&
			       la == lb && memcmp(da, db, la) == 0;
			if (!same)
				fprintf(stderr, "differs: %s\n", pb);
			free(da);
			free(db);
		}
		free(pa);
		free(pb);
	}
	names_free(names, n);
	names_free(names_b, n_b);
	free(types);
	return same;
}

/* Loads the content through the annotation cache, saved by one load and
 * read by the next, whose articles are then parsed only as pages need
 * them (annotate.h), and builds that afresh: the same site, byte for
 * byte, as the one built without the cache. */
static void check_cached(void)
{
	struct diag d;
	struct site_stats stats;
	fuzz_diag(&d);
	struct archive *a = archive_load_cached(content, 1, CACHE_SAVE, &d);
	CHECK(a != NULL && d.errors == 0);
	archive_save_cache(a);
	archive_free(a);
	a = archive_load_cached(content, 1, CACHE_READ, &d);
	CHECK(a != NULL && d.errors == 0);
	CHECK(remove_tree(output2) == 0);
	CHECK(site_build(a, &theme, NULL, output2, NULL, &stats, &d) == 0);
	CHECK(a->tree_misfits == 0);
	archive_free(a);
	CHECK(same_tree(output, output2));
}

/* Loads the content again and builds it over the site just built:
 * nothing may change. */
static void check_rebuild(size_t files)
{
	struct diag d;
	struct site_stats stats;
	fuzz_diag(&d);
	struct archive *a = archive_load(content, 1, &d);
	CHECK(a != NULL && d.errors == 0);
	CHECK(site_build(a, &theme, NULL, output, NULL, &stats, &d) == 0);
	CHECK(stats.files == files);
	if (stats.unchanged != files)
		fprintf(stderr, "rebuild changed %zu of %zu files\n",
			files - stats.unchanged, files);
	CHECK(stats.unchanged == files);
	archive_free(a);
}

/* Diagnostics arrive one per write (diag.c writes and flushes each
 * whole), through a stream whose buffer holds any of them. One with a
 * position must name a file of the content folder, a line it has, and a
 * column at most one past that line's end. */
static ssize_t diag_write(void *cookie, const char *buf, size_t n)
{
	(void)cookie;
	if (getenv("GLOSS_FUZZ_VERBOSE"))
		fwrite(buf, 1, n, stderr);
	CHECK(n > 0 && buf[n - 1] == '\n');
	char *msg = xstrndup(buf, n);
	char *e = strstr(msg, ": error: "), *w = strstr(msg, ": warning: ");
	char *head_end = e && (!w || e < w) ? e : w;
	CHECK(head_end != NULL);
	*head_end = '\0';
	/* PATH:LINE:COL, PATH:LINE or PATH (a name may end in ":12" too) */
	long nums[2] = {0, 0};
	int count = 0;
	struct stat st;
	bool whole = lstat(msg, &st) == 0;
	for (char *colon; !whole && count < 2 && (colon = strrchr(msg, ':'));) {
		char *end;
		long v = strtol(colon + 1, &end, 10);
		if (colon[1] < '0' || colon[1] > '9' || *end)
			break;
		nums[1] = nums[0];
		nums[0] = v;
		*colon = '\0';
		count++;
	}
	long line = count ? nums[0] : 0, col = count == 2 ? nums[1] : 0;
	if (line > 0) {
		char *data;
		size_t len;
		CHECK(strncmp(msg, content, strlen(content)) == 0);
		bool read = read_file(msg, SIZE_MAX, &data, &len) == 0;
		if (!read)
			fprintf(stderr, "diagnostic names no file: %.*s", (int)n,
				buf);
		CHECK(read);
		size_t start = 0;
		long l = 1;
		for (size_t i = 0; i < len && l < line; i++)
			if (data[i] == '\n') {
				l++;
				start = i + 1;
			}
		const char *nl = memchr(data + start, '\n', len - start);
		size_t line_len = nl ? (size_t)(nl - data) - start : len - start;
		if (l != line || (size_t)col > line_len + 1)
			fprintf(stderr, "position past the file: %.*s", (int)n,
				buf);
		CHECK(l == line && col >= 0 && (size_t)col <= line_len + 1);
		free(data);
	}
	free(msg);
	return (ssize_t)n;
}

static FILE *diag_stream(void)
{
	static FILE *f;
	static char buffer[1 << 20];
	if (!f) {
		cookie_io_functions_t io = {NULL, diag_write, NULL, NULL};
		f = fopencookie(NULL, "w", io);
		if (!f || setvbuf(f, buffer, _IOFBF, sizeof buffer) != 0)
			abort();
	}
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d;
	if (!work)
		setup();
	write_content((const char *)data, size);
	diag_init(&d, diag_stream());
	struct archive *a = archive_load(content, 1, &d);
	if (a && d.errors == 0) {
		check_archive(a);
		if (have_theme) {
			struct site_stats stats;
			int rc = site_build(a, &theme, NULL, output, NULL, &stats, &d);
			CHECK(rc == 0 && d.errors == 0);
			CHECK(stats.files > 0);
			if (getenv("GLOSS_FUZZ_VERBOSE"))
				fprintf(stderr, "fuzz_archive: site of %zu "
					"files built\n", stats.files);
			/* Each file written once: two pages with one name
			 * would leave fewer files than were written. */
			size_t files = 0;
			check_site(output, true, &files);
			if (files != stats.files)
				fprintf(stderr, "%zu files written, %zu in the "
					"site\n", stats.files, files);
			CHECK(files == stats.files);
			check_rebuild(stats.files);
			check_cached();
		}
	}
	archive_free(a);
	return 0;
}
