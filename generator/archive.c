#include "archive.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "digest.h"
#include "fsutil.h"
#include "ids.h"
#include "markdown.h"
#include "acache.h"
#include "annotate.h"
#include "fold.h"
#include "inputs.h"
#include "lint.h"
#include "parallel.h"
#include "relations.h"
#include "record.h"
#include "xalloc.h"
#include "utf8.h"

/* SPEC §2: larger files are refused before they are read. */
#define CONTENT_FILE_LIMIT ((size_t)64 << 20)

/* ---- dates, stances, statuses ---- */

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

bool date_parse(const char *s, struct date *out)
{
	static const int month_days[] = {31, 28, 31, 30, 31, 30,
					 31, 31, 30, 31, 30, 31};
	size_t n = strlen(s);
	struct date d = {0, 0, 0, DATE_YEAR};
	if (n != 4 && n != 7 && n != 10)
		return false;
	if (!digits(s, 4))
		return false;
	d.year = atoi(s);
	if (n >= 7) {
		if (s[4] != '-' || !digits(s + 5, 2))
			return false;
		d.month = (s[5] - '0') * 10 + (s[6] - '0');
		if (d.month < 1 || d.month > 12)
			return false;
		d.precision = DATE_MONTH;
	}
	if (n == 10) {
		if (s[7] != '-' || !digits(s + 8, 2))
			return false;
		d.day = (s[8] - '0') * 10 + (s[9] - '0');
		int max = month_days[d.month - 1] +
			  (d.month == 2 && leap_year(d.year));
		if (d.day < 1 || d.day > max)
			return false;
		d.precision = DATE_DAY;
	}
	*out = d;
	return true;
}

int date_compare(const struct date *a, const struct date *b)
{
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->month != b->month)
		return a->month < b->month ? -1 : 1;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

static const char *const stance_names[] = {"accepted", "rejected",
					   "conditional", "undecided", NULL};
static const char *const status_names[] = {"proposed", "negotiating",
					   "accepted", "rejected", "lapsed",
					   "implemented", NULL};

const char *stance_name(enum stance s)
{
	return stance_names[s];
}

const char *status_name(enum status s)
{
	return status_names[s];
}

const char *entry_id(enum entry_kind kind, const void *entry)
{
	switch (kind) {
	case ENTRY_ARTICLE:
		return ((const struct article *)entry)->id;
	case ENTRY_PARTY:
		return ((const struct party *)entry)->id;
	case ENTRY_PROPOSAL:
		return ((const struct proposal *)entry)->id;
	case ENTRY_PAGE:
	case ENTRY_INDEX:
		return ((const struct page *)entry)->id;
	}
	return "";
}

const char *entry_title(enum entry_kind kind, const void *entry)
{
	switch (kind) {
	case ENTRY_ARTICLE:
		return ((const struct article *)entry)->title;
	case ENTRY_PARTY:
		return ((const struct party *)entry)->name;
	case ENTRY_PROPOSAL:
		return ((const struct proposal *)entry)->title;
	case ENTRY_PAGE:
	case ENTRY_INDEX:
		return ((const struct page *)entry)->title;
	}
	return "";
}

/* ---- reading files safely ---- */

/* Line and column (1-based, in bytes) of offset OFF in TEXT. */
static void offset_position(const char *text, size_t off, int *line, int *col)
{
	int l = 1;
	size_t start = 0;
	for (size_t i = 0; i < off; i++) {
		if (text[i] == '\n') {
			l++;
			start = i + 1;
		}
	}
	*line = l;
	*col = (int)(off - start) + 1;
}

/* Reports a symbolic link at PATH that leads out of the content folder,
 * where a build could be made to publish any file of the machine. */
static bool symlink_inside(const struct archive *a, const char *path,
			   struct diag *d)
{
	char *real = realpath(path, NULL);
	char *root = realpath(a->content_dir, NULL);
	size_t rl = root ? strlen(root) : 0;
	bool inside = real && root && strncmp(real, root, rl) == 0 &&
		      real[rl] == '/';
	if (!inside)
		diag_error(d, path, 0, 0,
			   "symbolic link leads outside the content folder (to "
			   "'%s'); copy the file into content/ instead",
			   real ? real : "a missing file");
	free(real);
	free(root);
	return inside;
}

/* Reads a file of the archive, refusing what SPEC §5 names: symlinks that
 * leave content/, files over the limit, binary files, invalid UTF-8.
 * Returns the bytes (caller frees) or NULL after reporting why. */
static char *read_text(const struct archive *a, const char *path, size_t *len,
		       struct diag *d)
{
	char *data = NULL;
	/* Most files are no link: opened without following one, a link
	 * fails with ELOOP and only then is looked at. */
	int rc = read_file_flags(path, O_NOFOLLOW, CONTENT_FILE_LIMIT, &data,
				 len);
	if (rc == -1 && errno == ELOOP) {
		if (!symlink_inside(a, path, d))
			return NULL;
		rc = read_file(path, CONTENT_FILE_LIMIT, &data, len);
	}
	if (rc == -2) {
		diag_error(d, path, 0, 0,
			   "file is %zu bytes, over the limit of 64 MiB; split it "
			   "or keep it out of content/", *len);
		return NULL;
	}
	if (rc < 0) {
		diag_error(d, path, 0, 0, "cannot read: %s", strerror(errno));
		return NULL;
	}
	const char *nul = memchr(data, '\0', *len);
	if (nul) {
		int line, col;
		offset_position(data, (size_t)(nul - data), &line, &col);
		diag_error(d, path, line, col,
			   "binary file: a NUL byte where text was expected; "
			   "content files must be UTF-8 text");
		free(data);
		return NULL;
	}
	size_t bad = utf8_validate(data, *len);
	if (bad < *len) {
		int line, col;
		offset_position(data, bad, &line, &col);
		diag_error(d, path, line, col,
			   "invalid UTF-8 (byte 0x%02X); save the file as UTF-8",
			   (unsigned char)data[bad]);
		free(data);
		return NULL;
	}
	return data;
}

/* Where a file's front matter tree is looked for and kept: its slot in
 * the front matter cache, filled on WORKER's thread. Slots: articles,
 * then proposals, parties, pages and the home page (fm_slot_count). */
struct fm_slot {
	struct acache *cache;
	size_t slot;
	unsigned worker;
};

static const unsigned char *fm_get(void *arg, uint64_t key, size_t *len)
{
	const struct fm_slot *s = arg;
	return acache_get(s->cache, key, len);
}

static void fm_put(void *arg, uint64_t key, const void *data, size_t len)
{
	const struct fm_slot *s = arg;
	acache_put(s->cache, s->worker, s->slot, key, data, len);
}

static size_t fm_slot_count(const struct archive *a)
{
	return a->article_count + a->proposal_count + a->party_count +
	       a->page_count + 1;
}

/* Reads a Markdown file: front matter then body, parsed into BODY unless
 * BODY is NULL. Returns false after reporting any problem; on success
 * the caller owns *SOURCE and FM. SLOT and WORKER place its front matter
 * in the cache (fm_slot). */
static bool read_markdown(struct archive *a, const char *path,
			  size_t slot, unsigned worker, char **source,
			  struct frontmatter *fm, struct body *body,
			  struct diag *d)
{
	size_t len;
	*source = read_text(a, path, &len, d);
	if (!*source)
		return false;
	struct fm_slot where = {a->fm_cache, slot, worker};
	struct fm_store store = {fm_get, fm_put, &where};
	if (frontmatter_parse_stored(fm, path, *source, len,
				     a->fm_cache ? &store : NULL, d) < 0)
		return false;
	a->fm_cached += fm->stored;
	if (body)
		md_parse(body, fm->body, fm->body_len, fm->body_line);
	return true;
}

/* ---- front matter fields ---- */

static const char *opt_string(const struct ynode *map, const char *key,
			      const char *path, struct diag *d)
{
	return ynode_string(ynode_get(map, key), key, path, d);
}

/* A missing key of the front matter is reported at its first line; one
 * missing from a nested mapping (a position), at that mapping. */
static const char *req_string(const struct ynode *map, const char *key,
			      const char *path, const char *example,
			      struct diag *d)
{
	const struct ynode *n = ynode_get(map, key);
	if (!n) {
		bool nested = map && map->line > 2;
		diag_error(d, path, nested ? map->line : 1, nested ? map->col : 1,
			   "missing required key '%s'; add for example: %s", key,
			   example);
		return NULL;
	}
	return ynode_string(n, key, path, d);
}

static bool parse_date_field(const struct ynode *map, const char *key,
			     bool required, const char *path, struct date *out,
			     struct diag *d)
{
	const struct ynode *n = ynode_get(map, key);
	if (!n) {
		if (required)
			diag_error(d, path, 1, 1, "missing required key '%s'; "
				   "add for example: %s: 2024-05", key, key);
		return false;
	}
	const char *s = ynode_string(n, key, path, d);
	if (!s)
		return false;
	if (!date_parse(s, out)) {
		diag_error(d, path, n->line, n->col,
			   "invalid date '%s'; write YYYY, YYYY-MM or YYYY-MM-DD "
			   "(for example 2008, 2021-05 or 2024-05-26)", s);
		return false;
	}
	return true;
}

/* Reports the ID in N, referring to an entry of KIND under KEY, when it
 * is malformed (a path such as "../x" is one): true when reported. */
static bool bad_reference(const struct ynode *n, const char *kind,
			  const char *key, const char *path, struct diag *d)
{
	const char *problem = id_problem(n->scalar, n->len);
	if (!problem)
		return false;
	char *hint = id_suggest(n->scalar, n->len);
	diag_error(d, path, n->line, n->col, "invalid %s ID '%s' in '%s': %s%s%s%s",
		   kind, n->scalar, key, problem, hint[0] ? "; did you mean '" : "",
		   hint, hint[0] ? "'?" : "");
	free(hint);
	return true;
}

/* Looks up the list of IDs under KEY in IDS, the entries of one kind
 * (KIND, e.g. "party", kept in folder DIR), reporting unknown ones.
 * Returns the resolved entries (caller frees the array). */
static void **resolve_ids(const struct ynode *map, const char *key,
			  const struct map *ids, const char *kind,
			  const char *dir, const char *path, size_t *count,
			  struct diag *d)
{
	const struct ynode *n = ynode_get(map, key);
	void **out = NULL;
	size_t cap = 0;
	*count = 0;
	if (!n || !ynode_string_list(n, key, path, d))
		return NULL;
	for (size_t i = 0; i < n->count; i++) {
		const struct ynode *item = n->items[i];
		void *e = map_get(ids, item->scalar);
		if (!e && bad_reference(item, kind, key, path, d))
			continue;
		if (!e) {
			diag_error(d, path, item->line, item->col,
				   "unknown %s '%s' in '%s'; there is no %s/%s.md",
				   kind, item->scalar, key, dir, item->scalar);
			continue;
		}
		bool dup = false;
		for (size_t j = 0; j < *count; j++)
			dup = dup || out[j] == e;
		if (dup) {
			diag_error(d, path, item->line, item->col,
				   "'%s' is listed twice in '%s'; remove one",
				   item->scalar, key);
			continue;
		}
		out = xgrow(out, &cap, *count + 1, sizeof *out);
		out[(*count)++] = e;
	}
	return out;
}

static int enum_value(const struct ynode *n, const char *key,
		      const char *const *names, const char *path,
		      struct diag *d)
{
	const char *s = ynode_string(n, key, path, d);
	if (!s)
		return -1;
	for (int i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	struct buf list;
	buf_init(&list);
	for (int i = 0; names[i]; i++)
		buf_addf(&list, "%s%s", i ? ", " : "", names[i]);
	diag_error(d, path, n->line, n->col,
		   "invalid %s '%s'; use one of: %s", key, s, list.data);
	buf_release(&list);
	return -1;
}

/* ---- archive.yaml ---- */

static const char *const config_keys[] = {"title", "tagline", "language",
					  "base_url", "theme", "omit_lines",
					  NULL};

static bool load_config(struct archive *a, struct diag *d)
{
	size_t len;
	struct ynode *root = NULL;
	const char *path = a->config_path;
	char *src = NULL;
	struct stat st;
	if (stat(path, &st) < 0) {
		diag_error(d, path, 0, 0, "no archive.yaml in '%s'; create it "
			   "with at least a line 'title: ...', or point -C at "
			   "the content folder", a->content_dir);
		return false;
	}
	/* Defaults first, so that a broken archive.yaml still lets every
	 * other file be checked. */
	a->title = xstrdup("");
	a->language = xstrdup("en");
	a->theme = xstrdup("default");
	src = read_text(a, path, &len, d);
	if (!src)
		return true;
	if (yaml_parse_file(&root, path, src, len, d) < 0)
		goto out;
	a->config_ok = true;
	ynode_check_keys(root, config_keys, path, d);
	const char *title = req_string(root, "title", path,
				       "title: My archive", d);
	const char *s;
	if (title) {
		free(a->title);
		a->title = xstrdup(title);
	}
	a->tagline = (s = opt_string(root, "tagline", path, d)) ? xstrdup(s) : NULL;
	if ((s = opt_string(root, "language", path, d))) {
		free(a->language);
		a->language = xstrdup(s);
	}
	if ((s = opt_string(root, "theme", path, d))) {
		const struct ynode *n = ynode_get(root, "theme");
		free(a->theme);
		a->theme = xstrdup(s);
		a->theme_line = n->line;
		a->theme_col = n->col;
	}
	s = opt_string(root, "base_url", path, d);
	if (s) {
		const struct ynode *n = ynode_get(root, "base_url");
		if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
			diag_error(d, path, n->line, n->col,
				   "base_url must be an absolute http or https URL, "
				   "for example https://example.org/archive/");
		else
			a->base_url = xstrdup(s);
	}
	const struct ynode *omit = ynode_get(root, "omit_lines");
	if (omit && ynode_string_list(omit, "omit_lines", path, d)) {
		a->omit_lines = xcalloc(omit->count, sizeof *a->omit_lines);
		for (size_t i = 0; i < omit->count; i++) {
			size_t n;
			a->omit_lines[i] = fold_passage(omit->items[i]->scalar,
							 omit->items[i]->len, &n);
		}
		a->omit_line_count = omit->count;
	}
out:
	ynode_free(root);
	free(src);
	return true;
}

/* ---- listing entries ---- */

/* Checks the stem of a file name as an ID; reports and returns false when
 * it is not one. */
static bool check_id(const char *path, const char *stem, size_t len,
		     const char *ext, struct diag *d)
{
	const char *problem = id_problem(stem, len);
	if (!problem)
		return true;
	char *hint = id_suggest(stem, len);
	char *twin = NULL;
	if (hint[0]) {
		/* Hamas.md beside hamas.md: renaming would clash. */
		const char *slash = strrchr(path, '/');
		struct buf b;
		struct stat st;
		buf_init(&b);
		buf_add(&b, path, slash ? (size_t)(slash - path + 1) : 0);
		buf_addf(&b, "%s%s", hint, ext);
		if (stat(b.data, &st) == 0)
			twin = buf_detach(&b, NULL);
		else
			buf_release(&b);
	}
	if (twin)
		diag_error(d, path, 0, 0, "invalid ID '%.*s': %s, and it differs "
			   "only in case or punctuation from '%s%s' beside it; "
			   "merge the two into '%s%s'", (int)len, stem, problem,
			   hint, ext, hint, ext);
	else if (hint[0])
		diag_error(d, path, 0, 0, "invalid ID '%.*s': %s; rename the "
			   "file, for example to '%s%s'", (int)len, stem,
			   problem, hint, ext);
	else
		diag_error(d, path, 0, 0, "invalid ID '%.*s': %s; IDs use "
			   "lowercase letters, digits and single hyphens",
			   (int)len, stem, problem);
	free(twin);
	free(hint);
	return false;
}

/* The key of the text cache's record of the names in entry folder K. */
static uint64_t listing_key(size_t k)
{
	struct digest x = digest_new(21);
	digest_u64(&x, k);
	return x.h;
}

/* Reads the names and types of a record of listing_record: false when
 * it is not one, or not of a folder whose stamp is NOW. */
static bool names_from_record(const unsigned char *record, size_t len,
			      const struct file_stamp *now, char ***names,
			      enum entry_type **types, size_t *count)
{
	struct record_reader r = {record, record + len, true};
	struct file_stamp kept = record_get_stamp(&r);
	uint64_t n = record_get_u64(&r);
	/* Each name takes a type byte, a byte at least and its end. */
	if (!r.ok || !file_stamp_equal(&kept, now) ||
	    n > (uint64_t)(r.end - r.p) / 3)
		return false;
	char **out = xcalloc((size_t)n + 1, sizeof *out);
	enum entry_type *kinds = xcalloc((size_t)n + 1, sizeof *kinds);
	size_t i = 0;
	for (; i < n; i++) {
		const unsigned char *name = r.p + 1,
				    *end = memchr(name, '\0', (size_t)(r.end - name));
		if (r.p[0] > ENTRY_TYPE_DIR || !end || end == name)
			break;
		kinds[i] = (enum entry_type)r.p[0];
		out[i] = xstrndup((const char *)name, (size_t)(end - name));
		r.p = end + 1;
	}
	if (i < n || r.p != r.end) {
		names_free(out, i);
		free(kinds);
		return false;
	}
	*names = out;
	*types = kinds;
	*count = (size_t)n;
	return true;
}

/* The record of the names in a folder whose stamp is NOW, into B. */
static void listing_record(struct buf *b, const struct file_stamp *now,
			   char **names, const enum entry_type *types,
			   size_t count)
{
	record_put_stamp(b, now);
	record_put_u64(b, count);
	for (size_t i = 0; i < count; i++) {
		buf_addc(b, (char)types[i]);
		buf_add(b, names[i], strlen(names[i]) + 1);
	}
}

/* The names in the entry folder FULL (K of ARCHIVE_LISTED_FOLDERS), as
 * list_dir_types gives them. A folder's change time moves whenever an
 * entry is added to it, removed or renamed, so while the folder keeps
 * the stamp it had when the text cache recorded its names, they are
 * taken from there instead of reading the folder (tmpfs: 10 ms for the
 * 20,000 names of 10,000 articles). The stamp is taken before the
 * folder is read, and kept only when settled (fsutil.h): a change made
 * since, or in the tick before, is told by the next run. */
static int list_remembered(struct archive *a, size_t k, const char *full,
			   char ***names, enum entry_type **types,
			   size_t *count)
{
	struct folder_listing *l = &a->listings[k];
	struct stat st;
	struct file_stamp now = {0, 0, 0, 0};
	if (a->text_cache && stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
		now = file_stamp_settled_of(&st, a->since);
		a->folders_listed++;
	}
	size_t len = 0;
	const unsigned char *record =
	    now.ino ? acache_get(a->text_cache, listing_key(k), &len) : NULL;
	if (record &&
	    names_from_record(record, len, &now, names, types, count)) {
		l->kept = record;
		l->kept_len = len;
		a->folders_remembered++;
		return 0;
	}
	if (list_dir_types(full, names, types, count) < 0)
		return -1;
	if (now.ino && a->use_cache == CACHE_SAVE) {
		buf_init(&l->made);
		listing_record(&l->made, &now, *names, *types, *count);
	}
	return 0;
}

/* Puts each folder's listing in its slot of the text cache, now
 * prepared: after the records of the articles and proposals. */
static void put_listings(struct archive *a)
{
	size_t base = 2 * a->article_count + 2 * a->proposal_count;
	for (size_t k = 0; k < ARCHIVE_LISTED_FOLDERS; k++) {
		struct folder_listing *l = &a->listings[k];
		const void *record =
		    l->kept ? (const void *)l->kept : l->made.data;
		if (record)
			acache_put(a->text_cache, 0, base + k, listing_key(k),
				   record, l->kept ? l->kept_len : l->made.len);
		buf_release(&l->made);
	}
}

/* Lists DIR, the entry folder K, under the content folder and calls FN
 * for each file named ID.EXT with a valid ID; other names are
 * reported. */
static void list_entries(struct archive *a, size_t k, const char *dir,
			 const char *const *exts,
			 void (*fn)(struct archive *, const char *id,
				    const char *ext, char *path, struct diag *),
			 struct diag *d)
{
	char *full = path_join(a->content_dir, dir);
	char **names = NULL;
	enum entry_type *types = NULL;
	size_t n = 0;
	if (list_remembered(a, k, full, &names, &types, &n) < 0) {
		diag_error(d, full, 0, 0, "cannot list: %s", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *name = names[i];
		char *path = path_join(full, name);
		const char *dot = strrchr(name, '.');
		struct stat st;
		bool known = false;
		/* Editors' and tools' hidden files (.gitkeep, .DS_Store). */
		if (name[0] == '.') {
			free(path);
			continue;
		}
		for (size_t e = 0; dot && exts[e]; e++)
			known = known || strcmp(dot + 1, exts[e]) == 0;
		/* A link to a file is refused when it is read; a link to a
		 * folder is never read, so it is refused here. */
		/* A plain file, as the directory says nearly all are,
		 * needs no lstat. */
		bool found = types[i] == ENTRY_TYPE_FILE ? false
							 : lstat(path, &st) == 0;
		bool is_dir = found && S_ISDIR(st.st_mode);
		struct stat target;
		if (found && S_ISLNK(st.st_mode) && stat(path, &target) == 0 &&
		    S_ISDIR(target.st_mode)) {
			if (!symlink_inside(a, path, d)) {
				free(path);
				continue;
			}
			is_dir = true;
		}
		if (is_dir) {
			diag_error(d, path, 0, 0, "unexpected folder in %s/; "
				   "entries are files named ID.%s", dir, exts[0]);
			free(path);
			continue;
		}
		if (!known) {
			diag_error(d, path, 0, 0, "unexpected file in %s/: "
				   "expected files named ID.%s%s%s", dir, exts[0],
				   exts[1] ? " or ID." : "", exts[1] ? exts[1] : "");
			free(path);
			continue;
		}
		if (!check_id(path, name, (size_t)(dot - name), dot, d)) {
			free(path);
			continue;
		}
		/* DIR/index.html lists the folder's entries (pages have their
		 * own, longer list of reserved IDs). */
		if (dot - name == 5 && strncmp(name, "index", 5) == 0 &&
		    strcmp(dir, "pages") != 0) {
			diag_error(d, path, 0, 0, "ID 'index' is taken by the "
				   "list gloss generates in %s/index.html; rename "
				   "the file, for example to 'index-1%s'", dir,
				   dot);
			free(path);
			continue;
		}
		char *id = xstrndup(name, (size_t)(dot - name));
		fn(a, id, dot + 1, path, d);
		free(id);
	}
out:
	names_free(names, n);
	free(types);
	free(full);
}

#define PUSH(arr, count, cap, item)                                  \
	do {                                                         \
		(arr) = xgrow((arr), &(cap), (count) + 1, sizeof *(arr)); \
		(arr)[(count)++] = (item);                           \
	} while (0)

static void add_article_file(struct archive *a, const char *id,
			     const char *ext, char *path, struct diag *d)
{
	(void)d;
	struct article *art = map_get(&a->article_map, id);
	if (!art) {
		art = xcalloc(1, sizeof *art);
		art->id = xstrdup(id);
		PUSH(a->articles, a->article_count, a->article_cap, art);
		map_put(&a->article_map, art->id, art);
	}
	if (strcmp(ext, "md") == 0)
		art->md_path = path;
	else
		art->txt_path = path;
}

static void add_party_file(struct archive *a, const char *id, const char *ext,
			   char *path, struct diag *d)
{
	(void)ext;
	(void)d;
	struct party *p = xcalloc(1, sizeof *p);
	p->id = xstrdup(id);
	p->path = path;
	PUSH(a->parties, a->party_count, a->party_cap, p);
	map_put(&a->party_map, p->id, p);
}

static void add_proposal_file(struct archive *a, const char *id,
			      const char *ext, char *path, struct diag *d)
{
	(void)ext;
	(void)d;
	struct proposal *p = xcalloc(1, sizeof *p);
	p->id = xstrdup(id);
	p->path = path;
	PUSH(a->proposals, a->proposal_count, a->proposal_cap, p);
	map_put(&a->proposal_map, p->id, p);
}

static void add_page_file(struct archive *a, const char *id, const char *ext,
			  char *path, struct diag *d)
{
	(void)ext;
	if (id_is_reserved_page(id)) {
		diag_error(d, path, 0, 0, "page ID '%s' is the name of a page "
			   "or folder gloss generates; rename the file, for "
			   "example to 'about-%s.md'", id, id);
		free(path);
		return;
	}
	struct page *p = xcalloc(1, sizeof *p);
	p->id = xstrdup(id);
	p->path = path;
	PUSH(a->pages, a->page_count, a->page_cap, p);
	map_put(&a->page_map, p->id, p);
}

static bool has_control_char(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

/* Lists static/ recursively; paths are relative to it, sorted. */
static void list_static(struct archive *a, const char *rel, struct diag *d)
{
	char *dir = path_join(a->content_dir, rel);
	char **names = NULL;
	size_t n = 0;
	if (list_dir(dir, &names, &n) < 0) {
		diag_error(d, dir, 0, 0, "cannot list: %s", strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char *child = path_join(rel, names[i]);
		char *full = path_join(a->content_dir, child);
		struct stat st;
		if (names[i][0] == '.') {
			/* hidden files are not published */
		} else if (has_control_char(names[i])) {
			/* The output's manifest lists one path a line: a line
			 * break in a name would split it in two. */
			diag_error(d, full, 0, 0, "file name has a control "
				   "character (a line break or a tab); rename it");
		} else if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode) &&
			   !symlink_inside(a, full, d)) {
			/* reported */
		} else if (stat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			list_static(a, child, d);
		} else if (stat(full, &st) == 0 && S_ISREG(st.st_mode)) {
			if ((size_t)st.st_size > CONTENT_FILE_LIMIT)
				diag_error(d, full, 0, 0, "file is %lld bytes, "
					   "over the limit of 64 MiB",
					   (long long)st.st_size);
			else
				PUSH(a->static_files, a->static_count,
				     a->static_cap, xstrdup(child + strlen("static/")));
		}
		free(full);
		free(child);
	}
out:
	names_free(names, n);
	free(dir);
}

/* ---- each kind's front matter ---- */

static const char *const page_keys[] = {"title", "summary", NULL};
static const char *const party_keys[] = {"name", "aliases", "kind",
					 "summary", NULL};
static const char *const article_keys[] = {
	"outlet", "date", "date_note", "title", "url", "byline",
	"omit", "parties", "proposals", NULL};
static const char *const proposal_keys[] = {
	"title", "date", "proposed_by", "mediators", "addressed_to",
	"status", "terms", "positions", NULL};
static const char *const position_keys[] = {"party", "stance", "date",
					    "source", "quote", NULL};

static void load_page(struct archive *a, struct page *p, size_t slot,
		      bool is_index, struct diag *d)
{
	if (!read_markdown(a, p->path, slot, 0, &p->source, &p->fm, &p->body,
			   d))
		return;
	const struct ynode *fm = p->fm.root;
	ynode_check_keys(fm, page_keys, p->path, d);
	if (is_index)
		p->title = opt_string(fm, "title", p->path, d);
	else
		p->title = req_string(fm, "title", p->path, "title: About", d);
	p->summary = opt_string(fm, "summary", p->path, d);
}

static void load_party(struct archive *a, struct party *p, size_t slot,
		       unsigned worker, struct diag *d)
{
	if (!read_markdown(a, p->path, slot, worker, &p->source, &p->fm,
			   &p->body, d))
		return;
	const struct ynode *fm = p->fm.root;
	ynode_check_keys(fm, party_keys, p->path, d);
	p->name = req_string(fm, "name", p->path, "name: Hamas", d);
	p->kind = opt_string(fm, "kind", p->path, d);
	p->summary = opt_string(fm, "summary", p->path, d);
	const struct ynode *aliases = ynode_get(fm, "aliases");
	if (aliases && ynode_string_list(aliases, "aliases", p->path, d)) {
		p->aliases = xcalloc(aliases->count, sizeof *p->aliases);
		for (size_t i = 0; i < aliases->count; i++)
			p->aliases[i] = aliases->items[i]->scalar;
		p->alias_count = aliases->count;
	} else if (!aliases && p->name) {
		p->aliases = xcalloc(1, sizeof *p->aliases);
		p->aliases[0] = p->name;
		p->alias_count = 1;
	}
}

/* Keeps digests of the article's .md file: whole, and its front
 * matter, which is what lists and links show of the article. */
static uint64_t source_digest(const char *src)
{
	struct digest whole = digest_new(0);
	digest_str(&whole, src);
	return whole.h;
}

static void digest_source(struct article *art)
{
	const char *src = art->source_md;
	if (!src)
		return;
	struct digest front = digest_new(1);
	size_t len = frontmatter_bytes(src, art->body.first_line);
	digest_u64(&front, len);
	digest_bytes(&front, src, len);
	art->md_digest = source_digest(src);
	art->front_digest = front.h;
}

/* Copies the front matter values the article shows into one block it
 * owns, so that the front matter can be released while loading. */
static void keep_strings(struct article *art)
{
	const char **fields[] = {&art->outlet, &art->date_note, &art->url,
				 &art->byline, &art->title};
	size_t n = sizeof fields / sizeof *fields, total = 0;
	for (size_t i = 0; i < n; i++)
		if (*fields[i])
			total += strlen(*fields[i]) + 1;
	if (total == 0)
		return;
	char *at = art->strings = xmalloc(total);
	for (size_t i = 0; i < n; i++) {
		if (!*fields[i])
			continue;
		size_t len = strlen(*fields[i]) + 1;
		memcpy(at, *fields[i], len);
		*fields[i] = at;
		at += len;
	}
}

/* ---- captures, read when something needs their bytes ----
 *
 * The text cache (acache.h) keeps, for each capture read whole, its
 * stamp (fsutil.h), length and digest: while the file still has that
 * stamp it is those bytes, and annotating from the annotation cache,
 * whose records cover that digest, does not need them. A stamp is kept
 * only when the file was last changed before the build started, so
 * that a change during the build always changes it. */

#define TEXT_RECORD_BYTES (32 + 16)

static uint64_t text_key(const struct article *art)
{
	struct digest x = digest_new(17);
	digest_str(&x, art->id);
	return x.h;
}

static uint64_t text_digest(const char *text, size_t len)
{
	struct digest x = digest_new(3);
	digest_u64(&x, len);
	digest_bytes(&x, text, len);
	return x.h;
}

/* source_digest, for read_as_loaded. */
static uint64_t source_digest_of(const char *src, size_t len)
{
	(void)len;
	return source_digest(src);
}

/* Reads the file at PATH late, which must still be the LEN bytes whose
 * DIGEST_OF loading took (DIGEST). One that can no longer be read, or
 * is no longer those bytes, reads as LEN zero bytes, so that what was
 * found in it stays in bounds; *LOST is set and texts_lost counted, and
 * the build fails (site_build reports it). */
static char *read_as_loaded(struct archive *a, const char *path, size_t len,
			    uint64_t digest,
			    uint64_t (*digest_of)(const char *, size_t),
			    bool *lost)
{
	struct diag quiet;
	size_t got = 0;
	diag_init_kept(&quiet);
	char *text = read_text(a, path, &got, &quiet);
	buf_release(&quiet.kept);
	if (text && (got != len || digest_of(text, got) != digest)) {
		free(text);
		text = NULL;
	}
	if (!text) {
		text = xcalloc(len + 1, 1);
		*lost = true;
		atomic_fetch_add(&a->texts_lost, 1);
	}
	return text;
}

/* The stamp of the file at PATH, taken before reading it: a change
 * since would change it, once the file is settled (fsutil.h). A link
 * has none (ino 0), and is always read. ST is the file's. */
static struct file_stamp stamp_before_reading(int dir_fd, const char *path,
					      struct stat *st)
{
	struct file_stamp stamp = {0, 0, 0, 0};
	const char *name = strrchr(path, '/');
	int found = dir_fd >= 0 && name
			? fstatat(dir_fd, name + 1, st, AT_SYMLINK_NOFOLLOW)
			: lstat(path, st);
	if (found == 0 && S_ISREG(st->st_mode))
		stamp = file_stamp_of(st);
	return stamp;
}

/* Whether the text cache holds a record under KEY, BYTES long, taken of
 * the file whose stamp is NOW: R then reads on after its stamp, and
 * R->end - BYTES is the record, to be kept as it is (put_stamped). */
static bool stamped_record(const struct archive *a, uint64_t key,
			   size_t bytes, const struct file_stamp *now,
			   struct record_reader *r)
{
	size_t len;
	const unsigned char *record =
	    a->text_cache && now->ino ? acache_get(a->text_cache, key, &len)
				      : NULL;
	if (!record || len != bytes)
		return false;
	*r = (struct record_reader){record, record + len, true};
	struct file_stamp kept = record_get_stamp(r);
	return r->ok && file_stamp_equal(&kept, now);
}

/* Puts the record B holds, BYTES long, under KEY in SLOT of the text
 * cache; or, when FOUND (the record stamped_record found, which holds
 * the same bytes), that one where it is: the cache file then holds it
 * still, and is not written again for it (acache_save). */
static void put_stamped(struct archive *a, unsigned worker, size_t slot,
			uint64_t key, const unsigned char *found,
			const struct buf *b)
{
	if (found && memcmp(found, b->data, b->len) == 0)
		acache_put(a->text_cache, worker, slot, key, found, b->len);
	else
		acache_put(a->text_cache, worker, slot, key, b->data, b->len);
}

/* Whether the capture at ART's path, whose stamp is NOW, is the one of
 * its record in the text cache: then its length and digest are set, and
 * *FOUND is the record. */
static bool text_from_record(struct archive *a, struct article *art,
			     const struct file_stamp *now,
			     const unsigned char **found)
{
	struct record_reader r;
	if (!stamped_record(a, text_key(art), TEXT_RECORD_BYTES, now, &r))
		return false;
	uint64_t text_len = record_get_u64(&r), digest = record_get_u64(&r);
	if (!r.ok || text_len != now->size || text_len > CONTENT_FILE_LIMIT)
		return false;
	art->text_len = (size_t)text_len;
	art->text_digest = digest;
	*found = r.end - TEXT_RECORD_BYTES;
	return true;
}

/* Reads ART's capture, or, when its stamp is the one recorded with its
 * digest, leaves it to be read when needed (article_text). */
static void load_text(struct archive *a, struct article *art, size_t slot,
		      unsigned worker, struct diag *d)
{
	struct stat st;
	struct file_stamp stamp = stamp_before_reading(a->articles_fd, art->txt_path, &st);
	const unsigned char *found = NULL;
	if (text_from_record(a, art, &stamp, &found)) {
		atomic_store(&art->text_deferred, true);
	} else {
		art->text = read_text(a, art->txt_path, &art->text_len, d);
		if (!art->text)
			return;
		atomic_fetch_add(&a->texts_read, 1);
		art->text_digest = text_digest(art->text, art->text_len);
		if (!stamp.ino || !file_stamp_settled_of(&st, a->since).ino ||
		    stamp.size != art->text_len)
			return;
	}
	if (a->use_cache != CACHE_SAVE || !a->text_cache)
		return;
	struct buf b;
	buf_init(&b);
	record_put_stamp(&b, &stamp);
	record_put_u64(&b, art->text_len);
	record_put_u64(&b, art->text_digest);
	put_stamped(a, worker, slot, text_key(art), found, &b);
	buf_release(&b);
}

const char *article_text(const struct archive *ca, const struct article *cart)
{
	/* Read once, when first needed: the archive and article are
	 * const to their readers only (as for article_tree). */
	struct archive *a = (struct archive *)ca;
	struct article *art = (struct article *)cart;
	if (!atomic_load_explicit(&art->text_deferred, memory_order_acquire))
		return art->text;
	pthread_mutex_t *lock = &a->tree_locks[art->index % ARCHIVE_TREE_LOCKS];
	pthread_mutex_lock(lock);
	if (atomic_load_explicit(&art->text_deferred, memory_order_relaxed)) {
		art->text = read_as_loaded(a, art->txt_path, art->text_len,
					   art->text_digest, text_digest,
					   &art->text_lost);
		atomic_fetch_add(&a->texts_read, 1);
		atomic_store_explicit(&art->text_deferred, false,
				      memory_order_release);
	}
	pthread_mutex_unlock(lock);
	return art->text;
}

/* ---- articles' .md files, read when their body is parsed ----
 *
 * The text cache keeps, beside each capture's record, one for the
 * article's .md file read whole: its stamp and length, its front
 * matter's key in the front matter cache, where its body starts, and
 * its digests. While the file has that stamp and the front matter cache
 * holds the tree, loading takes all of it from the records; the body is
 * read when it is parsed (article_source), which a rebuild from the
 * annotation cache does only for the articles whose pages show it. */

#define SOURCE_RECORD_BYTES (32 + 7 * 8)

static uint64_t source_key(const struct article *art)
{
	struct digest x = digest_new(18);
	digest_str(&x, art->id);
	return x.h;
}

/* Whether the .md file at ART's path, whose stamp is NOW, is the one of
 * its record, and STORE holds its front matter's tree: then FRONT holds
 * that tree, and ART its body's place and its digests. */
static bool source_from_record(struct archive *a, struct article *art,
			       const struct file_stamp *now,
			       const struct fm_store *store,
			       struct frontmatter *front,
			       const unsigned char **found)
{
	struct record_reader r;
	if (!stamped_record(a, source_key(art), SOURCE_RECORD_BYTES, now, &r))
		return false;
	uint64_t md_len = record_get_u64(&r), key = record_get_u64(&r);
	uint64_t body_start = record_get_u64(&r), body_len = record_get_u64(&r);
	uint64_t body_line = record_get_u64(&r);
	uint64_t md_digest = record_get_u64(&r), front_digest = record_get_u64(&r);
	if (!r.ok || md_len != now->size ||
	    md_len > CONTENT_FILE_LIMIT || body_start > md_len ||
	    body_len != md_len - body_start || body_line < 2 ||
	    body_line > INT_MAX)
		return false;
	memset(front, 0, sizeof *front);
	if (!frontmatter_from_store(front, key, store))
		return false;
	a->fm_cached++;
	front->body_len = (size_t)body_len;
	front->body_line = (int)body_line;
	art->body_start = (size_t)body_start;
	art->body_len = (size_t)body_len;
	art->body.first_line = (int)body_line;
	art->md_digest = md_digest;
	art->front_digest = front_digest;
	*found = r.end - SOURCE_RECORD_BYTES;
	return true;
}

/* Reads ART's .md file and its front matter into FRONT, or, when its
 * stamp and front matter are the ones recorded, leaves it to be read
 * when its body is parsed (article_source). False after reporting a
 * problem. SLOT and WORKER place its records (fm_slot). */
static bool load_source(struct archive *a, struct article *art, size_t slot,
			unsigned worker, struct frontmatter *front,
			struct diag *d)
{
	struct stat st;
	struct file_stamp stamp = stamp_before_reading(a->articles_fd, art->md_path, &st);
	struct fm_slot where = {a->fm_cache, slot, worker};
	struct fm_store store = {fm_get, fm_put, &where};
	const unsigned char *found = NULL;
	if (a->fm_cache &&
	    source_from_record(a, art, &stamp, &store, front, &found)) {
		atomic_store(&art->source_deferred, true);
	} else {
		if (!read_markdown(a, art->md_path, slot, worker,
				   &art->source_md, front, NULL, d))
			return false;
		atomic_fetch_add(&a->sources_read, 1);
		art->body_start = (size_t)(front->body - art->source_md);
		art->body_len = front->body_len;
		art->body.first_line = front->body_line;
		digest_source(art);
		if (!stamp.ino || !a->fm_cache ||
		    !file_stamp_settled_of(&st, a->since).ino ||
		    stamp.size != art->body_start + art->body_len)
			return true;
	}
	if (a->use_cache != CACHE_SAVE || !a->text_cache)
		return true;
	struct buf b;
	buf_init(&b);
	record_put_stamp(&b, &stamp);
	record_put_u64(&b, art->body_start + art->body_len);
	record_put_u64(&b, front->key);
	record_put_u64(&b, art->body_start);
	record_put_u64(&b, art->body_len);
	record_put_u64(&b, (uint64_t)art->body.first_line);
	record_put_u64(&b, art->md_digest);
	record_put_u64(&b, art->front_digest);
	put_stamped(a, worker, a->article_count + slot, source_key(art), found,
		    &b);
	buf_release(&b);
	return true;
}

const char *article_source(struct archive *a, struct article *art)
{
	if (!atomic_load_explicit(&art->source_deferred, memory_order_acquire))
		return art->source_md;
	char *src = read_as_loaded(a, art->md_path,
				   art->body_start + art->body_len,
				   art->md_digest, source_digest_of,
				   &art->source_lost);
	atomic_fetch_add(&a->sources_read, 1);
	art->source_md = src;
	atomic_store_explicit(&art->source_deferred, false,
			      memory_order_release);
	return src;
}

static void load_article(struct archive *a, struct article *art,
			 size_t slot, unsigned worker, struct diag *d)
{
	if (!art->md_path) {
		diag_error(d, art->txt_path, 0, 0, "article '%s' has no "
			   "annotation; create %s.md with front matter giving at "
			   "least outlet and date", art->id, art->id);
		return;
	}
	if (!art->txt_path) {
		diag_error(d, art->md_path, 0, 0, "article '%s' has no captured "
			   "text; add %s.txt beside it, or remove %s.md",
			   art->id, art->id, art->id);
		return;
	}
	load_text(a, art, slot, worker, d);
	struct frontmatter front;
	/* The body is parsed when annotating needs it, or later. */
	if (!load_source(a, art, slot, worker, &front, d))
		return;
	art->has_body = true;
	const struct ynode *fm = front.root;
	const char *path = art->md_path;
	ynode_check_keys(fm, article_keys, path, d);
	art->outlet = req_string(fm, "outlet", path,
				 "outlet: The Associated Press", d);
	parse_date_field(fm, "date", true, path, &art->date, d);
	art->date_note = opt_string(fm, "date_note", path, d);
	art->title = opt_string(fm, "title", path, d);
	art->url = opt_string(fm, "url", path, d);
	art->byline = opt_string(fm, "byline", path, d);
	if (art->url && strncmp(art->url, "http://", 7) != 0 &&
	    strncmp(art->url, "https://", 8) != 0) {
		const struct ynode *n = ynode_get(fm, "url");
		diag_error(d, path, n->line, n->col, "url must be an absolute "
			   "http or https URL, for example https://example.org/"
			   "story");
		art->url = NULL;
	}
	ynode_string_list(ynode_get(fm, "omit"), "omit", path, d);
	art->parties = (struct party **)resolve_ids(
		fm, "parties", &a->party_map, "party", "parties", path,
		&art->party_count, d);
	art->proposals = (struct proposal **)resolve_ids(
		fm, "proposals", &a->proposal_map, "proposal", "proposals",
		path, &art->proposal_count, d);
	keep_strings(art);
	art->omit = ynode_take(front.root, "omit");
	frontmatter_release(&front);
	if (!a->defer_trees)
		article_parse(a, art);
}

static struct party **party_list(struct archive *a, const struct ynode *fm,
				 const char *key, const char *path,
				 size_t *count, struct diag *d)
{
	return (struct party **)resolve_ids(fm, key, &a->party_map, "party",
					    "parties", path, count, d);
}

static void load_position(struct archive *a, struct proposal *p,
			  const struct ynode *n, struct position *pos,
			  struct diag *d)
{
	const char *path = p->path;
	pos->proposal = p;
	pos->line = n->line;
	pos->col = n->col;
	if (n->kind != YNODE_MAPPING) {
		diag_error(d, path, n->line, n->col, "each position must be a "
			   "mapping with party, stance and source, for example: "
			   "- {party: hamas, stance: rejected, source: ID, "
			   "quote: \"...\"}");
		return;
	}
	ynode_check_keys(n, position_keys, path, d);
	const char *party = req_string(n, "party", path, "party: hamas", d);
	const char *source = req_string(n, "source", path,
					"source: ARTICLE-ID", d);
	const struct ynode *stance = ynode_get(n, "stance");
	if (!stance)
		diag_error(d, path, n->line, n->col, "position has no 'stance'; "
			   "add one of: accepted, rejected, conditional, undecided");
	else {
		int s = enum_value(stance, "stance", stance_names, path, d);
		if (s >= 0)
			pos->stance = (enum stance)s;
	}
	if (party) {
		pos->party = map_get(&a->party_map, party);
		if (!pos->party &&
		    !bad_reference(ynode_get(n, "party"), "party", "party", path, d)) {
			const struct ynode *v = ynode_get(n, "party");
			diag_error(d, path, v->line, v->col, "unknown party '%s'; "
				   "there is no parties/%s.md", party, party);
		}
	}
	if (source) {
		pos->source = map_get(&a->article_map, source);
		if (!pos->source && !bad_reference(ynode_get(n, "source"), "article",
						   "source", path, d)) {
			const struct ynode *v = ynode_get(n, "source");
			diag_error(d, path, v->line, v->col, "unknown article "
				   "'%s' in 'source'; there is no articles/%s.md",
				   source, source);
		}
	}
	if (!parse_date_field(n, "date", false, path, &pos->date, d) &&
	    pos->source)
		pos->date = pos->source->date;
	const char *quote = opt_string(n, "quote", path, d);
	if (quote) {
		const struct ynode *q = ynode_get(n, "quote");
		pos->quote = xstrdup(quote);
		pos->quote_line = q->line;
		pos->quote_col = q->col;
	}
	else if (!ynode_get(n, "quote"))
		diag_warning(d, path, n->line, n->col, "position of '%s' has no "
			     "quote; add the passage of the source article that "
			     "shows it", party ? party : "?");
}

/* ---- a proposal's file, read when it is parsed ----
 *
 * As an article's .md file: the text cache keeps, after the records of
 * the proposals' links, one for each proposal's file read whole: its
 * stamp and length, its front matter's key in the front matter cache,
 * where its body starts and its digest. While the file has that stamp
 * and the front matter cache holds the tree, loading takes all of it
 * from there, and the file is read when the proposal is parsed
 * (proposal_source). */

#define PROPOSAL_RECORD_BYTES (32 + 5 * 8)

static uint64_t proposal_source_key(const struct proposal *p)
{
	struct digest x = digest_new(20);
	digest_str(&x, p->id);
	return x.h;
}

/* Whether the file at P's path, whose stamp is NOW, is the one of its
 * record, and STORE holds its front matter's tree: then P's front
 * matter is that tree, and its body's place and digest are set. */
static bool proposal_from_record(struct archive *a, struct proposal *p,
				 const struct file_stamp *now,
				 const struct fm_store *store,
				 const unsigned char **found)
{
	struct record_reader r;
	if (!stamped_record(a, proposal_source_key(p), PROPOSAL_RECORD_BYTES,
			    now, &r))
		return false;
	uint64_t len = record_get_u64(&r), key = record_get_u64(&r);
	uint64_t body_start = record_get_u64(&r), body_line = record_get_u64(&r);
	uint64_t digest = record_get_u64(&r);
	if (!r.ok || len != now->size || len > CONTENT_FILE_LIMIT ||
	    body_start > len || body_line < 1 || body_line > INT_MAX)
		return false;
	memset(&p->fm, 0, sizeof p->fm);
	if (!frontmatter_from_store(&p->fm, key, store))
		return false;
	a->fm_cached++;
	p->fm.body_len = (size_t)(len - body_start);
	p->fm.body_line = (int)body_line;
	p->source_len = (size_t)len;
	p->body_start = (size_t)body_start;
	p->source_digest = digest;
	*found = r.end - PROPOSAL_RECORD_BYTES;
	return true;
}

/* Reads P, the Ith proposal, and its front matter, or, when its stamp
 * and front matter are the ones recorded, leaves it to be read when it
 * is parsed. False after reporting a problem. */
static bool load_proposal_source(struct archive *a, struct proposal *p,
				 size_t i, unsigned worker, struct diag *d)
{
	struct stat st;
	struct file_stamp stamp = stamp_before_reading(a->proposals_fd,
						       p->path, &st);
	size_t fm_slot = a->article_count + i;
	struct fm_slot where = {a->fm_cache, fm_slot, worker};
	struct fm_store store = {fm_get, fm_put, &where};
	const unsigned char *found = NULL;
	if (a->fm_cache && proposal_from_record(a, p, &stamp, &store, &found)) {
		atomic_store(&p->source_deferred, true);
	} else {
		if (!read_markdown(a, p->path, fm_slot, worker, &p->source,
				   &p->fm, NULL, d))
			return false;
		atomic_fetch_add(&a->proposal_sources_read, 1);
		p->source_len = strlen(p->source);
		p->body_start = (size_t)(p->fm.body - p->source);
		p->source_digest = source_digest(p->source);
		if (!stamp.ino || !a->fm_cache ||
		    !file_stamp_settled_of(&st, a->since).ino ||
		    stamp.size != p->source_len)
			return true;
	}
	if (a->use_cache != CACHE_SAVE || !a->text_cache)
		return true;
	struct buf b;
	buf_init(&b);
	record_put_stamp(&b, &stamp);
	record_put_u64(&b, p->source_len);
	record_put_u64(&b, p->fm.key);
	record_put_u64(&b, p->body_start);
	record_put_u64(&b, (uint64_t)p->fm.body_line);
	record_put_u64(&b, p->source_digest);
	put_stamped(a, worker, 2 * a->article_count + a->proposal_count + i,
		    proposal_source_key(p), found, &b);
	buf_release(&b);
	return true;
}

const char *proposal_source(struct archive *a, struct proposal *p)
{
	if (!atomic_load_explicit(&p->source_deferred, memory_order_acquire))
		return p->source;
	char *src = read_as_loaded(a, p->path, p->source_len,
				   p->source_digest, source_digest_of,
				   &p->source_lost);
	atomic_fetch_add(&a->proposal_sources_read, 1);
	p->source = src;
	p->fm.body = src + p->body_start;
	atomic_store_explicit(&p->source_deferred, false,
			      memory_order_release);
	return src;
}

/* ---- a proposal's Markdown, parsed when needed ---- */

static void parse_proposal(struct archive *a, struct proposal *p)
{
	proposal_source(a, p);
	md_parse(&p->body, p->fm.body, p->fm.body_len, p->fm.body_line);
	const struct ynode *terms = ynode_get(p->fm.root, "terms");
	for (size_t i = 0; i < p->term_count; i++)
		md_parse(&p->terms[i], terms->items[i]->scalar,
			 terms->items[i]->len, terms->items[i]->line);
	atomic_fetch_add(&a->proposal_trees_parsed, 1);
}

void archive_tree_once(struct archive *a, size_t index, _Atomic bool *ready,
		       bool (*make)(struct archive *, void *), void *entry)
{
	if (atomic_load_explicit(ready, memory_order_acquire))
		return;
	pthread_mutex_t *lock = &a->tree_locks[index % ARCHIVE_TREE_LOCKS];
	pthread_mutex_lock(lock);
	if (!atomic_load_explicit(ready, memory_order_relaxed) &&
	    make(a, entry))
		atomic_store_explicit(ready, true, memory_order_release);
	pthread_mutex_unlock(lock);
}

static bool make_proposal_tree(struct archive *a, void *p)
{
	parse_proposal(a, p);
	return true;
}

void proposal_tree(const struct archive *ca, const struct proposal *cp)
{
	/* Made once, when first needed: const to their readers only (as
	 * for article_tree). */
	struct proposal *p = (struct proposal *)cp;
	archive_tree_once((struct archive *)ca, p->index, &p->tree_ready,
			  make_proposal_tree, p);
}

/* The key of the record of a proposal's links: its file's bytes, which
 * are all its body and terms. */
static uint64_t proposal_links_key(const struct proposal *p)
{
	struct digest x = digest_new(19);
	digest_u64(&x, p->source_digest);
	return x.h;
}

/* Leaves proposal I's Markdown to be parsed when something needs it
 * (proposal_tree) when the text cache holds the links of these bytes,
 * the only thing loading needs of it; otherwise parses it now, and
 * records its links for the next run. WORKER places the record. */
static void parse_or_defer_proposal(struct archive *a, struct proposal *p,
				    size_t i, unsigned worker)
{
	struct acache *c = a->text_cache;
	bool saving = c && a->use_cache == CACHE_SAVE;
	/* after each article's two records (open_file_caches) */
	size_t slot = 2 * a->article_count + i;
	uint64_t key = c ? proposal_links_key(p) : 0;
	size_t len = 0;
	const unsigned char *record = c ? acache_get(c, key, &len) : NULL;
	if (record) {
		struct record_reader r = {record, record + len, true};
		if (relations_read_links(&p->links, 0, &r) && r.p == r.end &&
		    p->links.cached) {
			atomic_store_explicit(&p->tree_ready, false,
					      memory_order_relaxed);
			if (saving)
				acache_put(c, worker, slot, key, record, len);
			return;
		}
		relations_forget_links(&p->links);
	}
	parse_proposal(a, p);
	if (!saving)
		return;
	struct buf b;
	buf_init(&b);
	relations_proposal_link_record(p, &b);
	acache_put(c, worker, slot, key, b.data, b.len);
	buf_release(&b);
}

static void load_proposal(struct archive *a, struct proposal *p,
			  size_t i, unsigned worker, struct diag *d)
{
	/* Nothing to parse unless it is read. */
	atomic_store_explicit(&p->tree_ready, true, memory_order_relaxed);
	if (!load_proposal_source(a, p, i, worker, d))
		return;
	p->body.first_line = p->fm.body_line;
	const struct ynode *fm = p->fm.root;
	const char *path = p->path;
	ynode_check_keys(fm, proposal_keys, path, d);
	p->title = req_string(fm, "title", path,
			      "title: Week-long truce for 40 hostages", d);
	parse_date_field(fm, "date", true, path, &p->date, d);
	p->proposed_by = party_list(a, fm, "proposed_by", path,
				    &p->proposed_by_count, d);
	if (!ynode_get(fm, "proposed_by"))
		diag_error(d, path, 1, 1, "missing required key 'proposed_by'; "
			   "add the party IDs of who made it, for example: "
			   "proposed_by: [egypt]");
	else if (p->proposed_by_count == 0 &&
		 ynode_get(fm, "proposed_by")->kind == YNODE_SEQUENCE &&
		 ynode_get(fm, "proposed_by")->count == 0) {
		const struct ynode *n = ynode_get(fm, "proposed_by");
		diag_error(d, path, n->line, n->col, "'proposed_by' needs at "
			   "least one party ID");
	}
	p->mediators = party_list(a, fm, "mediators", path,
				  &p->mediator_count, d);
	p->addressed_to = party_list(a, fm, "addressed_to", path,
				     &p->addressed_count, d);
	const struct ynode *status = ynode_get(fm, "status");
	if (status) {
		int s = enum_value(status, "status", status_names, path, d);
		if (s >= 0) {
			p->status = (enum status)s;
			p->has_status = true;
		}
	}
	const struct ynode *terms = ynode_get(fm, "terms");
	if (terms && ynode_string_list(terms, "terms", path, d)) {
		p->terms = xcalloc(terms->count, sizeof *p->terms);
		p->term_count = terms->count;
		for (size_t j = 0; j < terms->count; j++)
			p->terms[j].first_line = terms->items[j]->line;
	}
	const struct ynode *positions = ynode_get(fm, "positions");
	if (positions && positions->kind != YNODE_SEQUENCE) {
		diag_error(d, path, positions->line, positions->col,
			   "'positions' must be a list of positions, each with "
			   "party, stance, source and quote");
	} else if (positions) {
		p->positions = xcalloc(positions->count, sizeof *p->positions);
		p->position_count = positions->count;
		for (size_t j = 0; j < positions->count; j++)
			load_position(a, p, positions->items[j],
				      &p->positions[j], d);
	}
	parse_or_defer_proposal(a, p, i, worker);
}

/* ---- the whole archive ---- */

/* Articles and proposals are read on several threads, each into its own
 * diag, passed on in order afterwards. Reading one only reads the maps of
 * IDs, made before. */
struct entry_load {
	struct archive *a;
	struct diag *diags;
};

static void load_one_article(void *arg, size_t i, unsigned worker)
{
	struct entry_load *l = arg;
	diag_init_kept(&l->diags[i]);
	load_article(l->a, l->a->articles[i], i, worker, &l->diags[i]);
}

static void load_one_party(void *arg, size_t i, unsigned worker)
{
	struct entry_load *l = arg;
	struct archive *a = l->a;
	diag_init_kept(&l->diags[i]);
	load_party(a, a->parties[i], a->article_count + a->proposal_count + i,
		   worker, &l->diags[i]);
}

static void load_one_proposal(void *arg, size_t i, unsigned worker)
{
	struct entry_load *l = arg;
	diag_init_kept(&l->diags[i]);
	load_proposal(l->a, l->a->proposals[i], i, worker, &l->diags[i]);
}

/* Loads COUNT entries with FN on THREADS threads; their messages in
 * entry order. */
static void load_all(struct archive *a, size_t count, unsigned threads,
		     void (*fn)(void *, size_t, unsigned), struct diag *d)
{
	struct entry_load load = {a, xcalloc(count + 1, sizeof *load.diags)};
	parallel_for(count, threads, fn, &load);
	for (size_t i = 0; i < count; i++)
		diag_pass_on(d, &load.diags[i]);
	free(load.diags);
}

struct archive *archive_load(const char *content_dir, unsigned threads,
			     struct diag *d)
{
	return archive_load_cached(content_dir, threads, CACHE_OFF, d);
}

/* The front matter and text caches are complete once every file is
 * read: they are saved on a thread of their own while articles are
 * annotated, and their records let go of then, not held through the
 * annotating that follows, where a full build of 100,000 articles
 * peaks. Their records describe files, each one read without a
 * message, so a build with errors elsewhere saves them too. */
static void *save_file_caches(void *arg)
{
	struct archive *a = arg;
	acache_save(a->fm_cache);
	acache_save(a->text_cache);
	return NULL;
}

static void start_saving_file_caches(struct archive *a)
{
	if (a->use_cache != CACHE_SAVE || !a->fm_cache || !a->text_cache)
		return;
	a->saving_file_caches = pthread_create(&a->file_cache_saver, NULL,
					       save_file_caches, a) == 0;
	if (!a->saving_file_caches)
		save_file_caches(a);
}

static void finish_saving_file_caches(struct archive *a)
{
	if (a->saving_file_caches)
		pthread_join(a->file_cache_saver, NULL);
	a->saving_file_caches = false;
}

void archive_save_cache(struct archive *a)
{
	finish_saving_file_caches(a);
	if (a->cache)
		acache_save(a->cache);
}

/* Opens the text cache, before the entry folders are listed (it keeps
 * their names); its records cover gloss and its libraries. */
static void open_text_cache(struct archive *a)
{
	if (a->use_cache == CACHE_OFF)
		return;
	/* The text cache's stamps do not depend on gloss, but a record
	 * read by another gloss is not trusted either. */
	struct digest t = inputs_identity_digest(16);
	a->text_cache = xcalloc(1, sizeof *a->text_cache);
	acache_open(a->text_cache, a->content_dir, "captures", t.h, true);
}

/* Opens the front matter cache and prepares both, once every file is
 * listed; the front matter's records cover libyaml too. */
static void open_file_caches(struct archive *a, unsigned threads)
{
	if (a->use_cache == CACHE_OFF)
		return;
	struct digest x = inputs_identity_digest(14);
	a->fm_cache = xcalloc(1, sizeof *a->fm_cache);
	acache_open(a->fm_cache, a->content_dir, "frontmatter", x.h, true);
	if (a->use_cache == CACHE_SAVE)
		acache_prepare(a->fm_cache, fm_slot_count(a),
			       threads ? threads : 1);
	/* a capture's record, then an .md file's, per article; then the
	 * links of each proposal, then its file's; then each entry folder's
	 * names */
	if (a->use_cache == CACHE_SAVE) {
		acache_prepare(a->text_cache,
			       2 * a->article_count + 2 * a->proposal_count +
				   ARCHIVE_LISTED_FOLDERS,
			       threads ? threads : 1);
		put_listings(a);
	}
}

/* Lets go of the file of each proposal already parsed: nothing reads it
 * after its links are checked (keys take its digest; a message about it
 * reads the file again). At 100,000 articles, the 20,000 proposals'
 * files are 30 MB of a build's peak. */
static void release_parsed_proposals(struct archive *a)
{
	for (size_t i = 0; i < a->proposal_count; i++) {
		struct proposal *p = a->proposals[i];
		if (!atomic_load_explicit(&p->tree_ready, memory_order_relaxed) ||
		    !p->source)
			continue;
		free(p->source);
		p->source = NULL;
		p->fm.body = NULL;
	}
}

struct archive *archive_load_cached(const char *content_dir,
				    unsigned threads, enum cache_use use_cache,
				    struct diag *d)
{
	static const char *const md_txt[] = {"md", "txt", NULL};
	static const char *const md_only[] = {"md", NULL};
	struct archive *a = xcalloc(1, sizeof *a);
	for (size_t i = 0; i < ARCHIVE_TREE_LOCKS; i++)
		pthread_mutex_init(&a->tree_locks[i], NULL);
	a->use_cache = use_cache;
	a->since = file_stamp_clock();
	a->articles_fd = a->proposals_fd = -1;
	a->content_dir = xstrdup(content_dir);
	a->config_path = path_join(content_dir, "archive.yaml");
	map_init(&a->article_map);
	map_init(&a->party_map);
	map_init(&a->proposal_map);
	map_init(&a->page_map);
	if (!load_config(a, d)) {
		archive_free(a);
		return NULL;
	}

	/* First every ID, so that references can be checked in any order. */
	open_text_cache(a);
	list_entries(a, 0, "articles", md_txt, add_article_file, d);
	char *articles_dir = path_join(content_dir, "articles");
	a->articles_fd = open(articles_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(articles_dir);
	list_entries(a, 1, "parties", md_only, add_party_file, d);
	list_entries(a, 2, "proposals", md_only, add_proposal_file, d);
	char *proposals_dir = path_join(content_dir, "proposals");
	a->proposals_fd =
	    open(proposals_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(proposals_dir);
	list_entries(a, 3, "pages", md_only, add_page_file, d);
	char *static_dir = path_join(content_dir, "static");
	struct stat st;
	if (stat(static_dir, &st) == 0)
		list_static(a, "static", d);
	free(static_dir);
	open_file_caches(a, threads);
	char *index_path = path_join(content_dir, "index.md");
	if (stat(index_path, &st) == 0) {
		a->index = xcalloc(1, sizeof *a->index);
		a->index->id = xstrdup("index");
		a->index->path = index_path;
		load_page(a, a->index, fm_slot_count(a) - 1, true, d);
	} else {
		free(index_path);
	}

	load_all(a, a->party_count, threads, load_one_party, d);
	/* Whether articles may wait to be parsed depends on the cache, whose
	 * records cover the parties. */
	if (a->use_cache != CACHE_OFF)
		annotate_open_cache(a);
	load_all(a, a->article_count, threads, load_one_article, d);
	if (a->articles_fd >= 0)
		close(a->articles_fd);
	a->articles_fd = -1;
	load_all(a, a->proposal_count, threads, load_one_proposal, d);
	if (a->proposals_fd >= 0)
		close(a->proposals_fd);
	a->proposals_fd = -1;
	for (size_t i = 0; i < a->page_count; i++)
		load_page(a, a->pages[i],
			  fm_slot_count(a) - 1 - a->page_count + i, false, d);
	if (a->fm_cache)
		acache_close_file(a->fm_cache);
	if (a->text_cache)
		acache_close_file(a->text_cache);
	start_saving_file_caches(a);

	annotate_articles(a, threads, d);
	relations_check_links(a, threads, d);
	release_parsed_proposals(a);
	relations_derive(a);
	if (d->errors == 0)
		lint_archive(a, d);
	return a;
}

static void free_body(struct body *b)
{
	if (b->doc)
		cmark_node_free(b->doc);
}

static void free_page(struct page *p)
{
	if (!p)
		return;
	free_body(&p->body);
	frontmatter_release(&p->fm);
	free(p->source);
	free(p->id);
	free(p->path);
	free(p);
}

void archive_free(struct archive *a)
{
	if (!a)
		return;
	finish_saving_file_caches(a);
	for (size_t k = 0; k < ARCHIVE_LISTED_FOLDERS; k++)
		buf_release(&a->listings[k].made);
	if (a->cache) {
		acache_release(a->cache);
		free(a->cache);
	}
	if (a->text_cache) {
		acache_release(a->text_cache);
		free(a->text_cache);
	}
	if (a->fm_cache) {
		acache_release(a->fm_cache);
		free(a->fm_cache);
	}
	for (size_t i = 0; i < a->article_count; i++) {
		struct article *art = a->articles[i];
		for (size_t j = 0; j < art->note_count; j++)
			free(art->notes[j].passage.slug);
		free(art->notes);
		free(art->positions);
		free(art->mentions);
		free(art->covered);
		free(art->named);
		free(art->parties);
		free(art->proposals);
		free(art->lines);
		free(art->default_title);
		free(art->strings);
		free_body(&art->body);
		ynode_free(art->omit);
		free(art->source_md);
		relations_forget_links(&art->links);
		free(art->text);
		free(art->txt_path);
		free(art->md_path);
		free(art->id);
		free(art);
	}
	for (size_t i = 0; i < a->party_count; i++) {
		struct party *p = a->parties[i];
		free(p->aliases);
		free(p->mentions);
		free(p->positions);
		free(p->proposed);
		free(p->mediated);
		free(p->addressed);
		free(p->referrers.items);
		free_body(&p->body);
		frontmatter_release(&p->fm);
		free(p->source);
		free(p->id);
		free(p->path);
		free(p);
	}
	for (size_t i = 0; i < a->proposal_count; i++) {
		struct proposal *p = a->proposals[i];
		for (size_t j = 0; j < p->position_count; j++) {
			free(p->positions[j].quote);
			free(p->positions[j].passage.slug);
		}
		free(p->positions);
		for (size_t j = 0; j < p->term_count; j++)
			free_body(&p->terms[j]);
		free(p->terms);
		free(p->proposed_by);
		free(p->mediators);
		free(p->addressed_to);
		free(p->coverage);
		free(p->referrers.items);
		free_body(&p->body);
		relations_forget_links(&p->links);
		frontmatter_release(&p->fm);
		free(p->source);
		free(p->id);
		free(p->path);
		free(p);
	}
	for (size_t i = 0; i < a->page_count; i++)
		free_page(a->pages[i]);
	free_page(a->index);
	for (size_t i = 0; i < a->omit_line_count; i++)
		free(a->omit_lines[i]);
	free(a->omit_lines);
	for (size_t i = 0; i < a->static_count; i++)
		free(a->static_files[i]);
	free(a->static_files);
	free(a->articles);
	free(a->parties);
	free(a->proposals);
	free(a->pages);
	map_release(&a->article_map);
	map_release(&a->party_map);
	map_release(&a->proposal_map);
	map_release(&a->page_map);
	free(a->title);
	free(a->tagline);
	free(a->language);
	free(a->base_url);
	free(a->theme);
	free(a->config_path);
	free(a->content_dir);
	for (size_t i = 0; i < ARCHIVE_TREE_LOCKS; i++)
		pthread_mutex_destroy(&a->tree_locks[i]);
	free(a);
}
