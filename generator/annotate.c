#include "annotate.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "acache.h"
#include "record.h"
#include "anchor.h"
#include "buf.h"
#include "digest.h"
#include "fold.h"
#include "inputs.h"
#include "markdown.h"
#include "mentions.h"
#include "parallel.h"
#include "relations.h"
#include "utf8.h"
#include "xalloc.h"

/* How many match lines an "occurs N times" error lists. */
#define LISTED_MATCHES 5

char *passage_slug(const char *folded, size_t len)
{
	struct buf b;
	size_t words = 0;
	bool gap = false;
	buf_init(&b);
	for (size_t i = 0; i < len && words < 6 && b.len < 40; i++) {
		char c = folded[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (gap && b.len > 0) {
				buf_addc(&b, '-');
				words++;
				if (words >= 6)
					break;
			}
			gap = false;
			buf_addc(&b, c);
		} else if (c == ' ') {
			gap = true;
		}
	}
	while (b.len > 0 && b.data[b.len - 1] == '-')
		b.data[--b.len] = '\0';
	if (b.len == 0)
		buf_adds(&b, "passage");
	buf_addf(&b, "-%06llx", hash_bytes(folded, len) & 0xffffffULL);
	return buf_detach(&b, NULL);
}

/* An article being annotated: its folded shown text, and where each shown
 * line starts in it, to map matches back to lines. */
struct scan {
	struct article *art;
	struct folded *folded; /* the worker's, reused from article to article */
	size_t *line_of;     /* shown line k is article line line_of[k] */
	size_t *fold_start;  /* ... and starts at folded offset fold_start[k] */
	size_t shown;
	struct map slugs;    /* passage slugs taken, to catch duplicates */
};

static size_t line_at(const struct scan *s, size_t folded_off)
{
	size_t lo = 0, hi = s->shown;
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->fold_start[mid] <= folded_off)
			lo = mid;
		else
			hi = mid;
	}
	return s->line_of[lo];
}


/* Whether the LEN bytes at S are all white space (as folding sees it). */
static bool all_space(const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t cp;
	while (i < len && (n = utf8_decode(s + i, len - i, &cp)) > 0 &&
	       utf8_is_space(cp))
		i += n;
	return i == len;
}

/* The next line of ART's capture from *POS (0 for the first): where it
 * starts, and its length without the line break; false after the last.
 * An empty capture is one empty line; a final line break adds none. */
static bool next_line(const struct article *art, size_t *pos, size_t *start,
		      size_t *len)
{
	const char *t = art->text;
	if (*pos > art->text_len || (*pos == art->text_len && *pos > 0))
		return false;
	const char *nl = memchr(t + *pos, '\n', art->text_len - *pos);
	size_t end = nl ? (size_t)(nl - t) : art->text_len;
	*start = *pos;
	*len = end - *pos;
	if (*len > 0 && t[end - 1] == '\r')
		(*len)--;
	*pos = nl ? end + 1 : art->text_len + 1;
	return true;
}

/* Lets go of the room ART's lines array has beyond its lines: it is
 * kept for the whole build. */
static void fit_lines(struct article *art, size_t cap)
{
	if (art->line_count < cap)
		art->lines = xrealloc(art->lines, (art->line_count ? art->line_count
								   : 1) *
						      sizeof *art->lines);
}

/* Splits the capture into lines and marks the omitted ones; reports omit
 * entries that match no line. */
static void split_lines(struct article *art, const struct map *global_omit,
			size_t global_longest, struct folded *scratch,
			struct diag *d)
{
	const struct ynode *omit = art->omit;
	size_t omit_count = omit && omit->kind == YNODE_SEQUENCE ? omit->count : 0;
	char **omit_folded = xcalloc(omit_count, sizeof *omit_folded);
	bool *omit_used = xcalloc(omit_count, sizeof *omit_used);
	struct map local;
	size_t cap = 0, longest = global_longest;
	map_init(&local);
	for (size_t i = 0; i < omit_count; i++) {
		size_t n;
		if (omit->items[i]->kind != YNODE_SCALAR)
			continue;
		omit_folded[i] = fold_passage(omit->items[i]->scalar,
					      omit->items[i]->len, &n);
		if (n > longest)
			longest = n;
		/* map values are 1-based indexes so that NULL means absent */
		map_put(&local, omit_folded[i], (void *)(i + 1));
	}
	const char *t = art->text;
	size_t pos = 0, start, len;
	while (next_line(art, &pos, &start, &len)) {
		struct line ln = {(uint32_t)start, (uint32_t)len, false, false};
		size_t flen;
		/* Lines are folded only to be compared with omit lines, and
		 * only when short enough to be one: every ASCII byte other
		 * than white space stays one byte of the folded line. */
		size_t kept_ascii = 0;
		if (local.count || global_omit->count)
			kept_ascii = fold_kept_bytes(t + start, len, longest + 1);
		if ((local.count || global_omit->count) && kept_ascii > longest) {
			flen = kept_ascii;
		} else if (local.count || global_omit->count) {
			const char *f = fold_passage_into(scratch, t + start,
							  len, &flen);
			void *hit = local.count ? map_get(&local, f) : NULL;
			if (hit) {
				omit_used[(size_t)hit - 1] = true;
				ln.omitted = true;
			}
			if (global_omit->count && map_get(global_omit, f))
				ln.omitted = true;
		} else {
			flen = !all_space(t + start, len);
		}
		ln.shown = !ln.omitted && flen > 0;
		art->lines = xgrow(art->lines, &cap, art->line_count + 1,
				   sizeof *art->lines);
		art->lines[art->line_count++] = ln;
	}
	fit_lines(art, cap);
	for (size_t i = 0; i < omit_count; i++) {
		if (omit_folded[i] && !omit_used[i])
			diag_error(d, art->md_path, omit->items[i]->line,
				   omit->items[i]->col,
				   "omitted line not found in %s.txt: '%s'; copy "
				   "the whole line exactly as the capture has it",
				   art->id, omit->items[i]->scalar);
		free(omit_folded[i]);
	}
	free(omit_folded);
	free(omit_used);
	map_release(&local);
}

static void scan_begin(struct scan *s, struct article *art,
		       struct folded *folded)
{
	memset(s, 0, sizeof *s);
	s->art = art;
	s->folded = folded;
	fold_clear(folded);
	map_init(&s->slugs);
	s->line_of = xcalloc(art->line_count, sizeof *s->line_of);
	s->fold_start = xcalloc(art->line_count, sizeof *s->fold_start);
	for (size_t i = 0; i < art->line_count; i++) {
		const struct line *ln = &art->lines[i];
		if (!ln->shown)
			continue;
		/* '\n' between shown lines keeps every match within one. */
		if (s->shown > 0)
			fold_append_separator(s->folded, '\n', ln->start);
		s->line_of[s->shown] = i;
		s->fold_start[s->shown] = s->folded->len;
		s->shown++;
		fold_append(s->folded, art->text + ln->start, ln->len, ln->start);
	}
}

static void scan_end(struct scan *s)
{
	free(s->line_of);
	free(s->fold_start);
	/* The map borrows the slugs, owned by notes and positions. */
	map_release(&s->slugs);
}

/* Anchors the passage QUOTE in the scanned article. Reports at
 * PATH:LINE:COL and returns false when it is not there exactly once. */
static bool anchor_passage(struct scan *s, const char *quote, size_t qlen,
			   const char *path, int line, int col,
			   struct passage *out, struct diag *d)
{
	size_t nlen;
	size_t starts[LISTED_MATCHES];
	bool ok = false;
	char *needle = fold_passage(quote, qlen, &nlen);
	struct article *art = s->art;
	if (nlen == 0) {
		diag_error(d, path, line, col, "empty passage; quote the words "
			   "of the article this is about");
		goto out;
	}
	size_t n = anchor_find_all(s->folded, needle, nlen, starts,
				   LISTED_MATCHES);
	if (n == 0) {
		size_t fs, fe, ss, se;
		anchor_closest(s->folded, needle, nlen, &fs, &fe);
		if (fe > fs) {
			folded_source_range(s->folded, fs, fe, &ss, &se);
			diag_error(d, path, line, col,
				   "passage not found in %s.txt; the closest "
				   "passage, on line %zu, reads: \"%.*s\"; quote the "
				   "article exactly (white space, quotes and dashes "
				   "may differ)", art->id, line_at(s, fs) + 1,
				   (int)(se - ss), art->text + ss);
		} else {
			diag_error(d, path, line, col,
				   "passage not found in %s.txt, which shows no "
				   "text; quote the article exactly", art->id);
		}
		goto out;
	}
	if (n > 1) {
		struct buf where;
		buf_init(&where);
		for (size_t i = 0; i < n && i < LISTED_MATCHES; i++)
			buf_addf(&where, "%s%zu", i ? ", " : "",
				 line_at(s, starts[i]) + 1);
		if (n > LISTED_MATCHES)
			buf_adds(&where, ", ...");
		diag_error(d, path, line, col,
			   "passage occurs %zu times in %s.txt (lines %s); quote "
			   "more words so that it occurs once", n, art->id,
			   where.data);
		buf_release(&where);
		goto out;
	}
	out->line = (uint32_t)line_at(s, starts[0]);
	size_t start, end;
	folded_source_range(s->folded, starts[0], starts[0] + nlen, &start,
			    &end);
	out->start = (uint32_t)start;
	out->end = (uint32_t)end;
	out->slug = passage_slug(needle, nlen);
	ok = true;
out:
	free(needle);
	return ok;
}

/* Registers SLUG as taken in this article; reports a second passage with
 * the same one, which would give two elements the same HTML id. */
static bool claim_slug(struct scan *s, const char *slug, const char *what,
		       const char *path, int line, int col, struct diag *d)
{
	if (map_put(&s->slugs, slug, (void *)what)) {
		diag_error(d, path, line, col,
			   "this passage of %s.txt is already quoted by %s; "
			   "merge the two into one", s->art->id,
			   (const char *)map_get(&s->slugs, slug));
		return false;
	}
	return true;
}

static int md_line(const struct body *b, cmark_node *n)
{
	return b->first_line + cmark_node_get_start_line(n) - 1;
}

static int compare_notes(const void *x, const void *y)
{
	const struct note *a = x, *b = y;
	if (a->passage.start != b->passage.start)
		return a->passage.start < b->passage.start ? -1 : 1;
	if (a->passage.end != b->passage.end)
		return a->passage.end > b->passage.end ? -1 : 1;
	return a->line - b->line;
}

/* A note's shown_digest (archive.h): BLOCKS, its blocks' digest, the
 * capture of ART, which it is in, and its passage P. */
static uint64_t shown_digest(uint64_t blocks, const struct article *art,
			     const struct passage *p)
{
	struct digest x = digest_new(22);
	digest_u64(&x, blocks);
	digest_u64(&x, art->text_digest);
	digest_u64(&x, p->start);
	digest_u64(&x, p->end);
	digest_str(&x, p->slug);
	return x.h;
}

/* The note on block quote Q of ART, its passage not yet anchored: its
 * blocks run from after Q up to the next block quote. */
static struct note note_on(struct article *art, cmark_node *q)
{
	cmark_node *next = cmark_node_next(q);
	while (next && cmark_node_get_type(next) != CMARK_NODE_BLOCK_QUOTE)
		next = cmark_node_next(next);
	struct note note = {0};
	note.article = art;
	note.quote = q;
	note.first_block = cmark_node_next(q) != next ? cmark_node_next(q) : NULL;
	note.end_block = next;
	note.line = md_line(&art->body, q);
	return note;
}

static void anchor_notes(struct scan *s, struct diag *d)
{
	struct article *art = s->art;
	struct buf text;
	size_t cap = 0;
	buf_init(&text);
	cmark_node *first_quote = NULL;
	for (cmark_node *n = cmark_node_first_child(art->body.doc); n;
	     n = cmark_node_next(n)) {
		if (cmark_node_get_type(n) == CMARK_NODE_BLOCK_QUOTE) {
			first_quote = n;
			break;
		}
	}
	art->intro_end = first_quote;
	for (cmark_node *q = first_quote; q;) {
		struct note note = note_on(art, q);
		int line = note.line;
		int col = cmark_node_get_start_column(q);
		cmark_node *para = cmark_node_first_child(q);
		if (!para) {
			diag_error(d, art->md_path, line, col,
				   "empty passage; quote the words of the article "
				   "this is about");
		} else if (cmark_node_next(para) ||
			   cmark_node_get_type(para) != CMARK_NODE_PARAGRAPH) {
			diag_error(d, art->md_path, line, col,
				   "a passage must be one paragraph of the article; "
				   "split this block quote into one quote per "
				   "paragraph, each followed by its note");
		} else {
			buf_reset(&text);
			md_plain_text(para, &text);
			if (anchor_passage(s, text.data, text.len, art->md_path,
					   line, col, &note.passage, d)) {
				note.shown_digest = shown_digest(
				    md_blocks_digest(note.first_block,
						     note.end_block),
				    art, &note.passage);
				if (claim_slug(s, note.passage.slug, "another note",
					       art->md_path, line, col, d)) {
					art->notes = xgrow(art->notes, &cap,
							   art->note_count + 1,
							   sizeof *art->notes);
					art->notes[art->note_count++] = note;
				} else {
					free(note.passage.slug);
				}
			}
		}
		q = note.end_block;
	}
	if (art->note_count > 1)
		qsort(art->notes, art->note_count, sizeof *art->notes,
		      compare_notes);
	buf_release(&text);
}

static void anchor_positions(struct scan *s, struct diag *d)
{
	struct article *art = s->art;
	for (size_t i = 0; i < art->position_count; i++) {
		struct position *pos = art->positions[i];
		struct buf slug;
		if (!pos->quote)
			continue;
		if (!anchor_passage(s, pos->quote, strlen(pos->quote),
				    pos->proposal->path, pos->quote_line,
				    pos->quote_col, &pos->passage, d))
			continue;
		/* Positions are keyed by who said what on which proposal,
		 * since two may quote the same words. */
		buf_init(&slug);
		buf_addf(&slug, "%s-%s-%s", pos->proposal->id,
			 pos->party ? pos->party->id : "x", pos->passage.slug);
		free(pos->passage.slug);
		pos->passage.slug = buf_detach(&slug, NULL);
		buf_release(&slug);
		if (claim_slug(s, pos->passage.slug, "the same position",
			       pos->proposal->path, pos->quote_line,
			       pos->quote_col, d))
			pos->anchored = true;
	}
}

/* Per-article mention counting, reusing one array over all articles:
 * COUNTS[p] is party p's count in the current article, TOUCHED lists the
 * parties with a non-zero count so that resetting is cheap. */
struct tally {
	size_t *counts;
	size_t *touched;
	size_t touched_count;
};

static void count_mention(void *ctx, size_t party, size_t start, size_t end)
{
	struct tally *t = ctx;
	(void)start;
	(void)end;
	if (t->counts[party]++ == 0)
		t->touched[t->touched_count++] = party;
}

static int compare_mentions(const void *x, const void *y)
{
	const struct mention *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return strcmp(a->party->id, b->party->id);
}

static void count_mentions(struct archive *a, struct article *art,
			   const struct mention_set *set, struct tally *t)
{
	t->touched_count = 0;
	for (size_t i = 0; i < art->line_count; i++) {
		const struct line *ln = &art->lines[i];
		if (ln->shown)
			mention_scan(set, art->text + ln->start, ln->len,
				     count_mention, t);
	}
	art->mentions = xcalloc(t->touched_count, sizeof *art->mentions);
	art->mention_count = t->touched_count;
	for (size_t i = 0; i < t->touched_count; i++) {
		size_t p = t->touched[i];
		art->mentions[i] = (struct mention){a->parties[p], art,
						    t->counts[p]};
		t->counts[p] = 0;
	}
	if (art->mention_count > 1)
		qsort(art->mentions, art->mention_count, sizeof *art->mentions,
		      compare_mentions);
}

static struct mention_set *build_aliases(struct archive *a, struct diag *d)
{
	struct mention_set *set = mention_set_new();
	for (size_t i = 0; i < a->party_count; i++) {
		struct party *p = a->parties[i];
		const struct ynode *list = ynode_get(p->fm.root, "aliases");
		for (size_t j = 0; j < p->alias_count; j++) {
			size_t owner;
			const char *alias = p->aliases[j];
			if (mention_set_add(set, alias, strlen(alias), i, &owner))
				continue;
			int line = list ? list->items[j]->line : 0;
			int col = list ? list->items[j]->col : 0;
			if (owner == i)
				diag_error(d, p->path, line, col, "alias '%s' is "
					   "listed twice; remove one", alias);
			else
				diag_error(d, p->path, line, col,
					   "alias '%s' already names party '%s'; an "
					   "alias may name one party only", alias,
					   a->parties[owner]->id);
		}
	}
	return set;
}

/* True when S (LEN bytes of UTF-8) has a character a reader sees: not
 * white space, not a control character. A title needs one. */
static bool visible(const char *s, size_t len)
{
	for (size_t i = 0, n; i < len; i += n ? n : 1) {
		uint32_t cp = 0;
		n = utf8_decode(s + i, len - i, &cp);
		if (n && cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0) &&
		    !utf8_is_space(cp))
			return true;
	}
	return false;
}

/* What the articles are annotated with, shared by the threads: all read
 * only but TALLIES (one per thread) and DIAGS (one per article). */
struct annotate_work {
	struct archive *a;
	const struct map *global_omit;
	size_t global_longest; /* bytes of the longest folded omit line */
	struct mention_set *aliases;
	struct tally *tallies;
	/* per thread: the article's folded text, and lines folded one by
	 * one; reused, so that their memory stays allocated and warm */
	struct folded *texts, *lines;
	struct diag *diags;
	struct acache *cache;  /* may hold and save nothing */
	bool *cached;          /* per article: annotated from the cache */
};

/* ---- the annotation cache (acache.h) ----
 *
 * A record holds, as 32-bit little-endian numbers unless said: the
 * count of the capture's lines and for each a byte (1: omitted, 2:
 * shown), its start and its length, so that the lines need neither
 * the capture nor folding again; the article's title when a line gives
 * it, as its length and bytes (length 0: none); the notes in their final order, each as the index of
 * its block quote among the body's (in document order), the quote's
 * line in the .md file, its passage's line, start and end, and its
 * slug's length and bytes; the article's positions in order, each a
 * flag (1: anchored) followed, when set, by its passage as a note's;
 * the mentions in order, each as the party's index and the count; then
 * the body's entry links (relations_link_record). Nothing in it needs
 * the article's tree or its capture, so that an article annotated from
 * it is parsed only when a page needs its Markdown (article_tree), and
 * its capture read only when a page needs its text (article_text). */

static void put_passage(struct buf *b, const struct passage *ps)
{
	size_t slug = strlen(ps->slug);
	record_put_u32(b, (uint32_t)ps->line);
	record_put_u32(b, (uint32_t)ps->start);
	record_put_u32(b, (uint32_t)ps->end);
	record_put_u32(b, (uint32_t)slug);
	buf_add(b, ps->slug, slug);
}

/* Reads a passage of ART: false when it does not fit the article. */
static bool get_passage(struct record_reader *r, const struct article *art,
			struct passage *out)
{
	out->line = record_get_u32(r);
	out->start = record_get_u32(r);
	out->end = record_get_u32(r);
	uint32_t slug = record_get_u32(r);
	/* A passage lies within its line, as anchoring finds it (lines are
	 * kept apart when folded), and pages cut the line around it. */
	const struct line *ln =
	    r->ok && out->line < art->line_count ? &art->lines[out->line] : NULL;
	if (!ln || out->start > out->end || out->start < ln->start ||
	    out->end > (size_t)ln->start + ln->len || slug == 0 ||
	    (size_t)(r->end - r->p) < slug) {
		r->ok = false;
		return false;
	}
	out->slug = xstrndup((const char *)r->p, slug);
	r->p += slug;
	return true;
}

/* The body's block quotes in document order (each note's is one). */
static cmark_node **block_quotes(const struct article *art, size_t *count)
{
	cmark_node **v = NULL;
	size_t n = 0, cap = 0;
	for (cmark_node *q = cmark_node_first_child(art->body.doc); q;
	     q = cmark_node_next(q)) {
		if (cmark_node_get_type(q) != CMARK_NODE_BLOCK_QUOTE)
			continue;
		v = xgrow(v, &cap, n + 1, sizeof *v);
		v[n++] = q;
	}
	*count = n;
	return v;
}

/* The record of ART, annotated without a message. */
static void make_record(struct buf *b, struct article *art)
{
	record_put_u32(b, (uint32_t)art->line_count);
	for (size_t i = 0; i < art->line_count; i++) {
		const struct line *ln = &art->lines[i];
		buf_addc(b, (char)(ln->omitted | ln->shown << 1));
		record_put_u32(b, ln->start);
		record_put_u32(b, ln->len);
	}
	size_t title = art->default_title ? strlen(art->default_title) : 0;
	record_put_u32(b, (uint32_t)title);
	buf_add(b, art->default_title, title);
	size_t quote_count;
	cmark_node **quotes = block_quotes(art, &quote_count);
	record_put_u32(b, (uint32_t)art->note_count);
	for (size_t i = 0; i < art->note_count; i++) {
		const struct note *n = &art->notes[i];
		/* Block quotes start on lines in document order. */
		size_t lo = 0, hi = quote_count;
		while (hi - lo > 1) {
			size_t mid = lo + (hi - lo) / 2;
			if (md_line(&art->body, quotes[mid]) <= n->line)
				lo = mid;
			else
				hi = mid;
		}
		record_put_u32(b, (uint32_t)lo);
		record_put_u32(b, (uint32_t)n->line);
		record_put_u64(b, n->shown_digest);
		put_passage(b, &n->passage);
	}
	free(quotes);
	record_put_u32(b, (uint32_t)art->position_count);
	for (size_t i = 0; i < art->position_count; i++) {
		const struct position *pos = art->positions[i];
		record_put_u32(b, (uint32_t)pos->anchored);
		if (pos->anchored)
			put_passage(b, &pos->passage);
	}
	record_put_u32(b, (uint32_t)art->mention_count);
	for (size_t i = 0; i < art->mention_count; i++) {
		record_put_u32(b, (uint32_t)art->mentions[i].party->index);
		record_put_u32(b, (uint32_t)art->mentions[i].count);
	}
	relations_link_record(art, b);
}

static void free_passages(struct passage *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].slug);
	free(v);
}

/* ART's lines as split_lines found them, and its title when a line gave
 * it, from record R, without the capture: false, with ART as it was,
 * when R does not fit the capture's length (a record is read, not
 * trusted: lines lie in the capture, in order, apart). */
static bool lines_from_record(struct article *art, struct record_reader *r)
{
	size_t count = record_get_u32(r);
	if (!r->ok || count == 0 || count > (size_t)(r->end - r->p) / 9)
		return false;
	struct line *lines = xcalloc(count, sizeof *lines);
	size_t n = 0, next = 0;
	/* The COUNT lines' 9 bytes each are there (checked above): read
	 * without checking each number's bytes, as record_get_u32 would
	 * (2 % of a one-note rebuild, every article's lines decoded). */
	const unsigned char *p = r->p;
	for (; n < count; n++, p += 9) {
		unsigned char f = p[0];
		uint32_t start = le32_at(p + 1), len = le32_at(p + 5);
		if (f > 2 || start < next || len > art->text_len ||
		    start > art->text_len - len)
			break;
		lines[n] = (struct line){start, len, f == 1, f == 2};
		next = (size_t)start + len + 1;
	}
	r->p = p;
	uint32_t title = n == count ? record_get_u32(r) : 0;
	if (n != count || !r->ok || title > (size_t)(r->end - r->p) ||
	    memchr(r->p, '\0', title)) {
		free(lines);
		return false;
	}
	if (title && !art->title) {
		art->default_title = xstrndup((const char *)r->p, title);
		art->title = art->default_title;
	}
	r->p += title;
	art->lines = lines;
	art->line_count = count;
	return true;
}

/* Undoes lines_from_record, and what was found of ART's lines since:
 * its title, when a line gave it. */
static void forget_lines(struct article *art)
{
	free(art->lines);
	art->lines = NULL;
	art->line_count = 0;
	if (art->default_title || art->title == art->id)
		art->title = NULL;
	free(art->default_title);
	art->default_title = NULL;
}

/* Annotates ART (its lines split, its body not parsed) from record R:
 * notes, positions, mentions and links. False, with ART left as it
 * was, when the record does not fit the article. The notes' blocks are
 * found when the tree is parsed (article_tree). */
static bool apply_record(struct archive *a, struct article *art,
			 struct record_reader *from)
{
	struct record_reader r = *from;
	size_t note_count = record_get_u32(&r);
	/* Each note takes at least 33 bytes of the record. */
	bool ok = r.ok && note_count <= (size_t)(r.end - r.p) / 33;
	struct note *notes = ok ? xcalloc(note_count + 1, sizeof *notes) : NULL;
	for (size_t i = 0; ok && i < note_count; i++) {
		uint32_t q = record_get_u32(&r);
		uint32_t line = record_get_u32(&r);
		uint64_t shown = record_get_u64(&r);
		struct passage passage;
		ok = r.ok && line <= INT32_MAX &&
		     get_passage(&r, art, &passage);
		if (!ok)
			break;
		notes[i] = (struct note){.article = art, .passage = passage,
					 .quote_index = q, .line = (int)line,
					 .shown_digest = shown};
	}
	size_t position_count = ok ? record_get_u32(&r) : 0;
	ok = ok && r.ok && position_count == art->position_count;
	struct passage *passages =
	    ok ? xcalloc(position_count + 1, sizeof *passages) : NULL;
	bool *anchored = ok ? xcalloc(position_count + 1, sizeof *anchored) : NULL;
	for (size_t i = 0; ok && i < position_count; i++) {
		anchored[i] = record_get_u32(&r) == 1;
		if (anchored[i])
			ok = get_passage(&r, art, &passages[i]);
		ok = ok && r.ok;
	}
	size_t mention_count = ok ? record_get_u32(&r) : 0;
	ok = ok && r.ok && mention_count <= a->party_count;
	struct mention *mentions =
	    ok ? xcalloc(mention_count + 1, sizeof *mentions) : NULL;
	for (size_t i = 0; ok && i < mention_count; i++) {
		uint32_t party = record_get_u32(&r);
		uint32_t count = record_get_u32(&r);
		ok = r.ok && party < a->party_count && count > 0;
		if (ok)
			mentions[i] = (struct mention){a->parties[party], art,
						       count};
	}
	if (ok) {
		/* The links count notes: they are read against them. */
		art->notes = notes;
		art->note_count = note_count;
		ok = relations_read_links(&art->links, note_count, &r) &&
		     r.p == r.end;
		if (!ok) {
			relations_forget_links(&art->links);
			art->notes = NULL;
			art->note_count = 0;
		}
	}
	if (!ok) {
		if (notes)
			for (size_t i = 0; i < note_count; i++)
				free(notes[i].passage.slug);
		free(notes);
		if (passages)
			free_passages(passages, position_count);
		free(anchored);
		free(mentions);
		return false;
	}
	for (size_t i = 0; i < position_count; i++) {
		struct position *pos = art->positions[i];
		pos->anchored = anchored[i];
		if (anchored[i])
			pos->passage = passages[i];
	}
	free(passages);
	free(anchored);
	art->mentions = mentions;
	art->mention_count = mention_count;
	return true;
}

/* ---- the tree of an article's Markdown ---- */

/* Parses ART's body, reading its file if loading did not, and lets go
 * of the file's bytes. */
static void parse_body(struct archive *a, struct article *art)
{
	const char *src = article_source(a, art);
	md_parse(&art->body, src + art->body_start, art->body_len,
		 art->body.first_line);
	free(art->source_md);
	art->source_md = NULL;
	atomic_fetch_add(&a->trees_parsed, 1);
}

/* Finds the blocks of each note of ART, annotated from the cache, in its
 * tree: its block quote is known by its index and line. A record that
 * does not fit (a cache not as gloss writes it) leaves the note without
 * blocks, and is counted. */
static void bind_notes(struct archive *a, struct article *art)
{
	size_t quote_count;
	cmark_node **quotes = block_quotes(art, &quote_count);
	bool fits = true;
	art->intro_end = quote_count ? quotes[0] : NULL;
	for (size_t i = 0; i < art->note_count; i++) {
		struct note *n = &art->notes[i];
		uint32_t q = n->quote_index;
		if (q >= quote_count || md_line(&art->body, quotes[q]) != n->line) {
			fits = false;
			continue;
		}
		struct note found = note_on(art, quotes[q]);
		n->quote = found.quote;
		n->first_block = found.first_block;
		n->end_block = found.end_block;
	}
	if (!fits)
		atomic_fetch_add(&a->tree_misfits, 1);
	free(quotes);
}

static bool make_article_tree(struct archive *a, void *entry)
{
	struct article *art = entry;
	if (!art->has_body)
		return false;
	parse_body(a, art);
	bind_notes(a, art);
	return true;
}

void article_tree(const struct archive *ca, const struct article *cart)
{
	/* The tree is the article's, made once, when first needed: the
	 * archive and article are const to their readers only. */
	struct article *art = (struct article *)cart;
	archive_tree_once((struct archive *)ca, art->index, &art->tree_ready,
			  make_article_tree, art);
}

/* What every record's key covers besides the article: gloss, the
 * archive's omit lines, and every party's ID and aliases, by index. */
static uint64_t cache_global(const struct archive *a)
{
	struct digest x = inputs_identity_digest(10);
	digest_u64(&x, a->omit_line_count);
	for (size_t i = 0; i < a->omit_line_count; i++)
		digest_str(&x, a->omit_lines[i]);
	digest_u64(&x, a->party_count);
	for (size_t i = 0; i < a->party_count; i++) {
		const struct party *p = a->parties[i];
		digest_str(&x, p->id);
		digest_u64(&x, p->alias_count);
		for (size_t j = 0; j < p->alias_count; j++)
			digest_str(&x, p->aliases[j]);
	}
	return x.h;
}

/* The key of ART's record: its files, and the positions quoting it. */
static uint64_t cache_key(const struct acache *c, const struct article *art)
{
	struct digest x = digest_new(13);
	digest_u64(&x, c->global);
	digest_u64(&x, art->text_digest);
	digest_u64(&x, art->md_digest);
	digest_u64(&x, art->position_count);
	for (size_t i = 0; i < art->position_count; i++) {
		const struct position *pos = art->positions[i];
		digest_str(&x, pos->proposal->id);
		digest_str(&x, pos->party ? pos->party->id : NULL);
		digest_str(&x, pos->quote);
	}
	return x.h;
}

/* Reports a capture with no line to show, and takes ART's title from its
 * first line shown when neither the front matter nor the record of its
 * lines (FROM_RECORD) gave one. */
static void show_lines(struct article *art, bool from_record, struct diag *d)
{
	size_t shown = 0;
	for (size_t j = 0; j < art->line_count; j++)
		shown += art->lines[j].shown;
	if (shown == 0)
		diag_error(d, art->txt_path, 0, 0, "no text to show: the "
			   "capture is %s; it needs at least its "
			   "headline on the first line",
			   art->text_len == 0 ? "empty"
					      : "blank or every line is omitted");
	for (size_t j = 0; j < art->line_count && !art->title && !from_record;
	     j++) {
		const struct line *ln = &art->lines[j];
		if (ln->shown && visible(art->text + ln->start, ln->len)) {
			art->default_title = xstrndup(art->text + ln->start,
						      ln->len);
			art->title = art->default_title;
		}
	}
	if (!art->title)
		art->title = art->id;
}

/* ART's capture, read now when loading left it (article_text): false
 * after reporting a capture that is no longer the bytes it was. */
static bool read_capture(const struct archive *a, struct article *art,
			 struct diag *d)
{
	article_text(a, art);
	if (art->text_lost)
		diag_error(d, art->txt_path, 0, 0, "%s", ARTICLE_TEXT_LOST);
	return !art->text_lost;
}

/* Annotates article I: its lines, title, anchored notes and positions,
 * and mentions. Writes only to the article, its positions and its diag. */
static void annotate_one(void *arg, size_t i, unsigned worker)
{
	struct annotate_work *w = arg;
	struct article *art = w->a->articles[i];
	struct diag *d = &w->diags[i];
	struct scan s;
	diag_init_kept(d);
	if (!art->has_body)
		return;
	if (!art->text && !art->text_deferred) {
		if (!art->tree_ready)
			article_parse(w->a, art);
		return;
	}
	bool use_cache = w->cache->path != NULL;
	uint64_t key = use_cache ? cache_key(w->cache, art) : 0;
	size_t len = 0;
	const unsigned char *record =
	    use_cache ? acache_get(w->cache, key, &len) : NULL;
	struct record_reader r = {record, record ? record + len : NULL, true};
	/* A record is kept only for an article annotated without a message
	 * from these same inputs: its lines spare folding them again. */
	bool from_record = record && lines_from_record(art, &r);
	if (!from_record) {
		if (!read_capture(w->a, art, d))
			return;
		split_lines(art, w->global_omit, w->global_longest,
			    &w->lines[worker], d);
	}
	show_lines(art, from_record, d);
	if (from_record && d->errors == 0 && d->warnings == 0 &&
	    apply_record(w->a, art, &r)) {
		/* Not parsed yet: the cache holds records only when loading
		 * left articles unparsed (defer_trees), and article_tree
		 * finds the notes' blocks. */
		w->cached[i] = true;
	} else {
		if (from_record) {
			/* The record does not fit: its lines go too. */
			forget_lines(art);
			buf_release(&d->kept);
			diag_init_kept(d);
			if (!read_capture(w->a, art, d))
				return;
			split_lines(art, w->global_omit, w->global_longest,
				    &w->lines[worker], d);
			show_lines(art, false, d);
		}
		if (!art->tree_ready)
			article_parse(w->a, art);
		scan_begin(&s, art, &w->texts[worker]);
		anchor_notes(&s, d);
		anchor_positions(&s, d);
		scan_end(&s);
		count_mentions(w->a, art, w->aliases, &w->tallies[worker]);
	}
	ynode_free(art->omit); /* nothing reads it after the lines */
	art->omit = NULL;
	if (w->cached[i]) {
		/* The record read fits: it is saved as it stands. */
		acache_put(w->cache, worker, i, key, record, len);
	} else if (w->cache->fresh && d->errors == 0 && d->warnings == 0) {
		struct buf b;
		buf_init(&b);
		make_record(&b, art);
		acache_put(w->cache, worker, i, key, b.data, b.len);
		buf_release(&b);
	}
}

void annotate_open_cache(struct archive *a)
{
	a->cache = xcalloc(1, sizeof *a->cache);
	acache_open(a->cache, a->content_dir, "annotations",
		    a->use_cache != CACHE_OFF ? cache_global(a) : 0,
		    a->use_cache != CACHE_OFF);
	a->defer_trees = a->cache->base.count > 0;
}

void article_parse(struct archive *a, struct article *art)
{
	parse_body(a, art);
	art->tree_ready = true;
}

/* The parties' mentions gathered from the articles, in article order,
 * by PARTS threads: each takes its share of the parties. */
struct gathering {
	struct archive *a;
	unsigned parts;
};

static void gather_part(void *arg, size_t part, unsigned worker)
{
	(void)worker;
	const struct gathering *g = arg;
	const struct archive *a = g->a;
	for (size_t i = 0; i < a->article_count; i++) {
		const struct article *art = a->articles[i];
		for (size_t j = 0; j < art->mention_count; j++) {
			struct party *party = art->mentions[j].party;
			if (party->index % g->parts != part)
				continue;
			party->mentions = xgrow(party->mentions,
						&party->mention_cap,
						party->mention_count + 1,
						sizeof *party->mentions);
			party->mentions[party->mention_count++] = art->mentions[j];
		}
	}
}

void annotate_articles(struct archive *a, unsigned threads, struct diag *d)
{
	struct map global_omit;
	map_init(&global_omit);
	for (size_t i = 0; i < a->omit_line_count; i++)
		map_put(&global_omit, a->omit_lines[i], a->omit_lines[i]);
	for (size_t i = 0; i < a->party_count; i++)
		a->parties[i]->index = i;
	for (size_t i = 0; i < a->proposal_count; i++)
		a->proposals[i]->index = i;
	for (size_t i = 0; i < a->article_count; i++)
		a->articles[i]->index = i;

	/* Each position waits in its source article, anchored with it. */
	for (size_t i = 0; i < a->proposal_count; i++) {
		struct proposal *p = a->proposals[i];
		for (size_t j = 0; j < p->position_count; j++) {
			struct article *src = p->positions[j].source;
			if (!src)
				continue;
			src->positions = xgrow(src->positions, &src->position_cap,
					       src->position_count + 1,
					       sizeof *src->positions);
			src->positions[src->position_count++] = &p->positions[j];
		}
	}

	size_t longest = 0;
	for (size_t i = 0; i < a->omit_line_count; i++)
		if (strlen(a->omit_lines[i]) > longest)
			longest = strlen(a->omit_lines[i]);
	struct annotate_work w = {a, &global_omit, longest, build_aliases(a, d),
				  NULL, NULL, NULL, NULL};
	if (threads == 0)
		threads = 1;
	w.tallies = xcalloc(threads, sizeof *w.tallies);
	w.texts = xcalloc(threads, sizeof *w.texts);
	w.lines = xcalloc(threads, sizeof *w.lines);
	for (unsigned t = 0; t < threads; t++) {
		folded_init(&w.texts[t]);
		folded_init(&w.lines[t]);
		w.tallies[t].counts = xcalloc(a->party_count + 1,
					      sizeof *w.tallies[t].counts);
		w.tallies[t].touched = xcalloc(a->party_count + 1,
					       sizeof *w.tallies[t].touched);
	}
	w.diags = xcalloc(a->article_count + 1, sizeof *w.diags);
	if (!a->cache)
		annotate_open_cache(a);
	if (a->use_cache == CACHE_SAVE)
		acache_prepare(a->cache, a->article_count, threads);
	w.cache = a->cache;
	w.cached = xcalloc(a->article_count + 1, sizeof *w.cached);
	parallel_for(a->article_count, threads, annotate_one, &w);
	acache_close_file(a->cache);
	for (size_t i = 0; i < a->article_count; i++)
		a->cached += w.cached[i];
	free(w.cached);
	/* In article order, so that the output is the same on any number of
	 * threads: each article's messages, and the parties' mentions. */
	for (size_t i = 0; i < a->article_count; i++)
		diag_pass_on(d, &w.diags[i]);
	struct gathering g = {a, threads};
	parallel_for(threads, threads, gather_part, &g);
	for (unsigned t = 0; t < threads; t++) {
		free(w.tallies[t].counts);
		free(w.tallies[t].touched);
		folded_release(&w.texts[t]);
		folded_release(&w.lines[t]);
	}
	free(w.tallies);
	free(w.texts);
	free(w.lines);
	free(w.diags);
	mention_set_free(w.aliases);
	map_release(&global_omit);
}
