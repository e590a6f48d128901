#include "scaffold.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "archive.h"
#include "buf.h"
#include "fold.h"
#include "frontmatter.h"
#include "fsutil.h"
#include "ids.h"
#include "map.h"
#include "utf8.h"
#include "xalloc.h"

/* The largest capture gloss reads (SPEC §2). */
#define CAPTURE_LIMIT ((size_t)64 << 20)

/* A proposed `omit` line is short: at most this many words and bytes. */
#define CHROME_WORDS 5
#define CHROME_BYTES 40

/* Appends S as a YAML double-quoted scalar: safe whatever S holds. */
static void yaml_quote(struct buf *out, const char *s, size_t len)
{
	buf_addc(out, '"');
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			buf_addc(out, '\\');
			buf_addc(out, (char)ch);
		} else if (ch == '\t') {
			buf_adds(out, "\\t");
		} else if (ch < 0x20 || ch == 0x7f) {
			buf_addf(out, "\\x%02x", ch);
		} else {
			buf_addc(out, (char)ch);
		}
	}
	buf_addc(out, '"');
}

/* "2023-12-israel-week-long-truce" → "Israel week long truce": the ID's
 * words after any date, the first capitalised. */
static void title_from_id(struct buf *out, const char *id)
{
	const char *s = id;
	/* Skip a leading date: YYYY, then -MM, then -DD. */
	for (int part = 0; part < 3; part++) {
		size_t digits = part == 0 ? 4 : 2;
		size_t n = strspn(s, "0123456789");
		if (n != digits || (s[n] != '-' && s[n] != '\0'))
			break;
		s += n;
		if (*s == '-')
			s++;
	}
	if (!*s)
		s = id;
	for (size_t i = 0; s[i]; i++) {
		char ch = s[i] == '-' ? ' ' : s[i];
		if (i == 0 && ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		buf_addc(out, ch);
	}
}

/* The date an ID starts with ("2023-12-..." → 2023-12), if any. */
static bool date_from_id(const char *id, char *iso, size_t size)
{
	static const size_t lengths[] = {10, 7, 4};
	for (size_t k = 0; k < 3; k++) {
		size_t n = lengths[k];
		struct date dt;
		if (strlen(id) < n || (id[n] != '-' && id[n] != '\0') || n >= size)
			continue;
		memcpy(iso, id, n);
		iso[n] = '\0';
		if (date_parse(iso, &dt))
			return true;
	}
	return false;
}

static const char *const month_names[] = {
	"january", "february", "march",     "april",   "may",      "june",
	"july",    "august",   "september", "october", "november", "december"};

/* The month a word names, in full or as a three-letter abbreviation
 * ("Sept" too), any case; 0 when none. */
static int month_of(const char *w, size_t n)
{
	char low[16];
	if (n < 3 || n >= sizeof low)
		return 0;
	for (size_t i = 0; i < n; i++)
		low[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] - 'A' + 'a' : w[i]);
	low[n] = '\0';
	for (int m = 0; m < 12; m++) {
		if (strcmp(low, month_names[m]) == 0 ||
		    (n == 3 && strncmp(low, month_names[m], 3) == 0) ||
		    (m == 8 && strcmp(low, "sept") == 0))
			return m + 1;
	}
	return 0;
}

struct word {
	const char *s;
	size_t n;
};

static int number_of(const struct word *w, size_t max_digits)
{
	if (w->n == 0 || w->n > max_digits)
		return -1;
	int v = 0;
	for (size_t i = 0; i < w->n; i++) {
		if (w->s[i] < '0' || w->s[i] > '9')
			return -1;
		v = v * 10 + (w->s[i] - '0');
	}
	return v;
}

/* The first full date the text states: "May 26, 2024", "Sun May 26 2024",
 * "26 May 2024" or "2024-05-26". Stores it as ISO in ISO and the words
 * as written in SNIPPET. */
static bool date_in_text(const char *text, size_t len, char *iso, size_t size,
			 struct buf *snippet)
{
	struct word w[3] = {{0}};
	size_t have = 0;
	for (size_t i = 0; i < len;) {
		unsigned char ch = (unsigned char)text[i];
		bool alnum = (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z');
		if (!alnum) {
			/* ISO dates are one run of digits and hyphens. */
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && (((unsigned char)text[i] >= '0' && text[i] <= '9') ||
				   ((text[i] | 32) >= 'a' && (text[i] | 32) <= 'z')))
			i++;
		if (i - start == 4 && i + 6 <= len && text[i] == '-' &&
		    text[i + 3] == '-') {
			char cand[11];
			memcpy(cand, text + start, 10);
			cand[10] = '\0';
			struct date dt;
			if (date_parse(cand, &dt) && dt.precision == DATE_DAY &&
			    size > 10) {
				memcpy(iso, cand, 11);
				buf_add(snippet, cand, 10);
				return true;
			}
		}
		if (have == 3) {
			w[0] = w[1];
			w[1] = w[2];
			have = 2;
		}
		w[have++] = (struct word){text + start, i - start};
		if (have < 3)
			continue;
		int month = month_of(w[0].s, w[0].n), day = number_of(&w[1], 2);
		int year = number_of(&w[2], 4);
		if (!month) {
			month = month_of(w[1].s, w[1].n);
			day = number_of(&w[0], 2);
		}
		if (month && day >= 1 && year >= 1000 && w[2].n == 4) {
			char cand[32];
			struct date dt;
			snprintf(cand, sizeof cand, "%04d-%02d-%02d", year % 10000,
				 month % 100, day % 100);
			if (date_parse(cand, &dt) && size > strlen(cand)) {
				strcpy(iso, cand);
				buf_add(snippet, w[0].s, (size_t)(w[2].s + w[2].n - w[0].s));
				return true;
			}
		}
	}
	return false;
}

/* Does the line look like site chrome rather than article? Short, and
 * not ending as a sentence does: "Share this story", "Advertisement",
 * "Page: 1 | 2 | 3", "TAGS". */
static bool looks_like_chrome(const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (n == 0 || n > CHROME_BYTES)
		return false;
	size_t words = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && (i == 0 || s[i - 1] == ' '))
			words++;
	if (words > CHROME_WORDS)
		return false;
	static const char *const endings[] = {".", "!", "?", "\"", ")", ":",
					      "\xe2\x80\x9d", "\xe2\x80\x99", "'"};
	for (size_t k = 0; k < sizeof endings / sizeof *endings; k++) {
		size_t e = strlen(endings[k]);
		if (n >= e && memcmp(s + n - e, endings[k], e) == 0)
			return false;
	}
	return true;
}

/* The archive's omit_lines, folded, in GLOBAL (keys owned by KEYS). */
static void load_omit_lines(const char *content, struct map *global,
			    char ***keys, size_t *count, struct diag *d)
{
	char *path = path_join(content, "archive.yaml");
	char *src = NULL;
	size_t len;
	struct ynode *root = NULL;
	if (read_file(path, (size_t)1 << 20, &src, &len) == 0 &&
	    yaml_parse_file(&root, path, src, len, d) == 0) {
		const struct ynode *lines = ynode_get(root, "omit_lines");
		for (size_t i = 0; lines && lines->kind == YNODE_SEQUENCE &&
				   i < lines->count; i++) {
			const struct ynode *l = lines->items[i];
			if (l->kind != YNODE_SCALAR)
				continue;
			size_t n;
			*keys = xrealloc(*keys, (*count + 1) * sizeof **keys);
			(*keys)[*count] = fold_passage(l->scalar, l->len, &n);
			map_put(global, (*keys)[(*count)++], global);
		}
	}
	ynode_free(root);
	free(src);
	free(path);
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static int write_new(const char *path, const struct buf *b, struct diag *d)
{
	if (write_file(path, b->data, b->len) < 0) {
		diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
		return 3;
	}
	fprintf(stderr, "gloss: wrote %s\n", path);
	return 0;
}

static int new_article(const struct scaffold_options *o, const char *dir,
		       struct diag *d)
{
	char *txt = NULL, *md = NULL, *raw = NULL;
	char **omit_keys = NULL, **proposed = NULL;
	size_t omit_key_count = 0, len = 0, omitted = 0;
	struct map global, seen;
	struct buf out, snippet;
	int rc = 0;
	map_init(&global);
	map_init(&seen);
	buf_init(&out);
	buf_init(&snippet);
	struct buf b;
	buf_init(&b);
	buf_addf(&b, "%s.txt", o->id);
	txt = path_join(dir, b.data);
	buf_reset(&b);
	buf_addf(&b, "%s.md", o->id);
	md = path_join(dir, b.data);
	buf_release(&b);
	if (exists(txt) || exists(md)) {
		diag_error(d, exists(txt) ? txt : md, 0, 0, "article '%s' exists "
			   "already; choose another ID, or edit it", o->id);
		rc = 1;
		goto out;
	}
	int r = read_file(o->from, CAPTURE_LIMIT, &raw, &len);
	if (r != 0) {
		if (r == -2)
			diag_error(d, o->from, 0, 0, "capture is %zu bytes, over "
				   "the limit of 64 MiB; is it the right file?", len);
		else
			diag_error(d, o->from, 0, 0, "cannot read the capture: %s",
				   strerror(errno));
		rc = r == -2 ? 1 : 3;
		goto out;
	}
	size_t bad = utf8_validate(raw, len);
	if (memchr(raw, '\0', len) || bad < len) {
		diag_error(d, o->from, 0, 0, "the capture is not UTF-8 text%s; "
			   "save it as UTF-8 plain text first",
			   memchr(raw, '\0', len) ? " (it holds NUL bytes)" : "");
		rc = 1;
		goto out;
	}
	if (len == 0) {
		diag_error(d, o->from, 0, 0, "the capture is empty");
		rc = 1;
		goto out;
	}
	load_omit_lines(o->content, &global, &omit_keys, &omit_key_count, d);

	/* Lines: the first is the headline, and the title. */
	const char *p = raw, *end = raw + len;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t first_len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	while (first_len && (p[first_len - 1] == '\r' || p[first_len - 1] == ' '))
		first_len--;

	char iso[16];
	bool from_text = false;
	if (o->date) {
		snprintf(iso, sizeof iso, "%s", o->date);
	} else if (!date_from_id(o->id, iso, sizeof iso)) {
		from_text = date_in_text(raw, len, iso, sizeof iso, &snippet);
		if (!from_text) {
			diag_error(d, o->from, 0, 0, "cannot tell the article's "
				   "date: the ID does not start with one and "
				   "the text states none; give --date "
				   "YYYY[-MM[-DD]]");
			rc = 1;
			goto out;
		}
	}

	buf_adds(&out, "---\n");
	buf_adds(&out, "# Proposed by gloss new: check every value against "
		       "the text.\n");
	buf_adds(&out, "title: ");
	yaml_quote(&out, p, first_len);
	buf_adds(&out, "\noutlet: Unidentified outlet  # name it when the "
		       "text shows it\n");
	buf_addf(&out, "date: %s\n", iso);
	if (from_text) {
		buf_adds(&out, "date_note: ");
		struct buf note;
		buf_init(&note);
		buf_adds(&note, "The text states the date: \"");
		buf_add(&note, snippet.data, snippet.len);
		buf_adds(&note, "\".");
		yaml_quote(&out, note.data, note.len);
		buf_release(&note);
		buf_addc(&out, '\n');
	} else if (!o->date) {
		buf_adds(&out, "date_note: \"Taken from the article's ID; say how "
			       "the date was established.\"\n");
	}
	/* Lines to hide: those omit_lines names, and short lines that do
	 * not read as sentences. The headline is never proposed. */
	for (const char *line = nl ? nl + 1 : end; line < end;) {
		const char *e = memchr(line, '\n', (size_t)(end - line));
		size_t n = e ? (size_t)(e - line) : (size_t)(end - line);
		size_t fn;
		char *f = fold_passage(line, n, &fn);
		bool chrome = fn > 0 && (map_get(&global, f) ||
					 looks_like_chrome(line, n));
		if (chrome && !map_get(&seen, f)) {
			map_put(&seen, f, f);
			/* SEEN borrows its keys: the list owns them. */
			proposed = xrealloc(proposed, (omitted + 1) * sizeof *proposed);
			proposed[omitted] = f;
			if (omitted++ == 0)
				buf_adds(&out, "omit:\n");
			buf_adds(&out, "  - ");
			/* The line exactly, less a trailing CR. */
			yaml_quote(&out, line, n && line[n - 1] == '\r' ? n - 1 : n);
			buf_addc(&out, '\n');
			f = NULL;
		}
		free(f);
		line = e ? e + 1 : end;
	}
	buf_adds(&out, "# parties: [party-id]      named but not detected\n"
		       "# proposals: [proposal-id] covered\n"
		       "---\n");
	if ((rc = write_file(txt, raw, len) < 0 ? 3 : 0)) {
		diag_error(d, txt, 0, 0, "cannot write: %s", strerror(errno));
		goto out;
	}
	fprintf(stderr, "gloss: wrote %s (the capture, byte for byte)\n", txt);
	rc = write_new(md, &out, d);
out:
	for (size_t i = 0; i < omitted; i++)
		free(proposed[i]);
	free(proposed);
	map_release(&seen);
	for (size_t i = 0; i < omit_key_count; i++)
		free(omit_keys[i]);
	free(omit_keys);
	map_release(&global);
	buf_release(&out);
	buf_release(&snippet);
	free(raw);
	free(txt);
	free(md);
	return rc;
}

/* Party IDs of the archive whose words appear in ID ("2023-12-israel-..."
 * names israel), first the longest. */
static char *party_in_id(const char *content, const char *id)
{
	char *dir = path_join(content, "parties");
	char **names = NULL;
	size_t n = 0;
	char *best = NULL;
	size_t best_len = 0;
	if (list_dir(dir, &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(names[i]);
			if (len < 4 || strcmp(names[i] + len - 3, ".md") != 0)
				continue;
			len -= 3;
			for (const char *s = id; *s; s++) {
				if ((s == id || s[-1] == '-') &&
				    strncmp(s, names[i], len) == 0 &&
				    (s[len] == '-' || s[len] == '\0') &&
				    len > best_len) {
					free(best);
					best = xstrdup(names[i]);
					best[len] = '\0';
					best_len = len;
				}
			}
		}
	}
	names_free(names, n);
	free(dir);
	return best;
}

static int new_proposal(const struct scaffold_options *o, const char *path,
			struct diag *d)
{
	char iso[16];
	struct buf out;
	char *by = o->by ? xstrdup(o->by) : party_in_id(o->content, o->id);
	int rc = 0;
	buf_init(&out);
	if (o->date)
		snprintf(iso, sizeof iso, "%s", o->date);
	else if (!date_from_id(o->id, iso, sizeof iso)) {
		diag_error(d, path, 0, 0, "cannot tell the proposal's date: the "
			   "ID does not start with one; give --date "
			   "YYYY[-MM[-DD]]");
		rc = 1;
	}
	if (!by) {
		diag_error(d, path, 0, 0, "cannot tell who proposed it: no party "
			   "ID is part of '%s'; give --by PARTY", o->id);
		rc = 1;
	}
	if (rc)
		goto out;
	buf_adds(&out, "---\ntitle: ");
	struct buf title;
	buf_init(&title);
	title_from_id(&title, o->id);
	yaml_quote(&out, title.data, title.len);
	buf_release(&title);
	buf_addf(&out, "\ndate: %s\nproposed_by: [%s]\n", iso, by);
	buf_adds(&out,
		 "# mediators: [party-id]\n"
		 "# addressed_to: [party-id]\n"
		 "# status: proposed  # proposed | negotiating | accepted | "
		 "rejected | lapsed | implemented\n"
		 "# terms:\n"
		 "#   - \"each term as reported, attributed\"\n"
		 "# positions:\n"
		 "#   - party: party-id\n"
		 "#     stance: rejected  # accepted | rejected | conditional | "
		 "undecided\n"
		 "#     source: article-id\n"
		 "#     quote: \"the exact words of the article\"\n"
		 "---\n");
	rc = write_new(path, &out, d);
out:
	free(by);
	buf_release(&out);
	return rc;
}

int scaffold_new(const struct scaffold_options *o, struct diag *d)
{
	static const char *const kinds[] = {"article", "party", "proposal", "page"};
	static const char *const dirs[] = {"articles", "parties", "proposals",
					   "pages"};
	int k = -1, rc = 0;
	char *dir = NULL, *path = NULL;
	struct buf b;
	for (int i = 0; i < 4; i++)
		if (strcmp(o->kind, kinds[i]) == 0)
			k = i;
	if (k < 0) {
		fprintf(stderr, "gloss: error: unknown kind '%s'; use article, "
			"party, proposal or page\n", o->kind);
		return 2;
	}
	if ((o->from && k != 0) || (o->by && k != 2) ||
	    (o->date && k != 0 && k != 2)) {
		fprintf(stderr, "gloss: error: %s does not apply to a %s\n",
			o->from ? "--from" : o->by ? "--by" : "--date", o->kind);
		return 2;
	}
	if (k == 0 && !o->from) {
		fprintf(stderr, "gloss: error: new article needs --from RAW.txt, "
			"the text as captured\n");
		return 2;
	}
	struct date dt;
	if (o->date && !date_parse(o->date, &dt)) {
		fprintf(stderr, "gloss: error: invalid --date '%s'; use YYYY, "
			"YYYY-MM or YYYY-MM-DD\n", o->date);
		return 2;
	}
	const char *problem = id_problem(o->id, strlen(o->id));
	if (problem) {
		char *suggest = id_suggest(o->id, strlen(o->id));
		fprintf(stderr, "gloss: error: invalid ID '%s': %s; try '%s'\n",
			o->id, problem, suggest);
		free(suggest);
		return 1;
	}
	if (k == 3 && id_is_reserved_page(o->id)) {
		fprintf(stderr, "gloss: error: '%s' is the name of a page gloss "
			"generates; choose another ID\n", o->id);
		return 1;
	}
	buf_init(&b);
	dir = path_join(o->content, dirs[k]);
	if (make_dirs(dir) < 0) {
		diag_error(d, dir, 0, 0, "cannot create folder: %s",
			   strerror(errno));
		rc = 3;
		goto out;
	}
	if (k == 0) {
		rc = new_article(o, dir, d);
		goto out;
	}
	buf_addf(&b, "%s.md", o->id);
	path = path_join(dir, b.data);
	if (exists(path)) {
		diag_error(d, path, 0, 0, "%s '%s' exists already; choose another "
			   "ID, or edit it", o->kind, o->id);
		rc = 1;
		goto out;
	}
	if (k == 2) {
		rc = new_proposal(o, path, d);
		goto out;
	}
	buf_reset(&b);
	struct buf title;
	buf_init(&title);
	title_from_id(&title, o->id);
	if (k == 1) {
		buf_adds(&b, "---\nname: ");
		yaml_quote(&b, title.data, title.len);
		buf_adds(&b, "\n# aliases: [Name, Adjective]  words that name it "
			     "in articles (default: the name)\n"
			     "# kind: movement\n"
			     "# summary: one line for lists\n---\n");
	} else {
		buf_adds(&b, "---\ntitle: ");
		yaml_quote(&b, title.data, title.len);
		buf_adds(&b, "\n# summary: one line for lists and the feed\n---\n");
	}
	buf_release(&title);
	rc = write_new(path, &b, d);
out:
	buf_release(&b);
	free(path);
	free(dir);
	return rc;
}
