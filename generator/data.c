#include "data.h"

#include <stdlib.h>
#include <string.h>

#include "annotate.h"
#include "dprev.h"
#include "inputs.h"
#include "json.h"
#include "xalloc.h"

#define ANNO_CONTEXT "http://www.w3.org/ns/anno.jsonld"
/* Characters of the capture kept on either side of a quoted passage. */
#define QUOTE_CONTEXT 32

void site_url(struct buf *out, const char *base_url, const char *rel)
{
	if (base_url) {
		size_t n = strlen(base_url);
		url_append(out, base_url);
		if (n == 0 || base_url[n - 1] != '/')
			buf_addc(out, '/');
	}
	url_append(out, rel);
}

/* ---- Markdown as plain text ---- */

static void *find_entry(const struct archive *a, enum entry_kind kind,
			const char *id)
{
	switch (kind) {
	case ENTRY_ARTICLE:
		return map_get(&a->article_map, id);
	case ENTRY_PARTY:
		return map_get(&a->party_map, id);
	case ENTRY_PROPOSAL:
		return map_get(&a->proposal_map, id);
	case ENTRY_PAGE:
		return map_get(&a->page_map, id);
	default:
		return NULL;
	}
}

/* The entry LINK points to, or NULL when it is not a link to an entry of
 * the archive; *KIND receives its kind. */
static const void *linked_entry(const struct archive *a, cmark_node *link,
				enum entry_kind *kind)
{
	const char *id = NULL;
	const char *url = cmark_node_get_url(link);
	if (!url || md_link_class(url, kind, &id) != LINK_ENTRY)
		return NULL;
	return find_entry(a, *kind, id);
}

struct plain {
	const struct archive *a;
	struct buf *out;
	size_t base;	 /* out->len when the text began */
	const char *sep; /* goes before the next text, unless it is the first */
	char marker[24]; /* a list item's "- " or "3. ", before its text */
};

static void plain_add(struct plain *p, const char *s, size_t n)
{
	if (n == 0)
		return;
	if (p->sep && p->out->len > p->base)
		buf_adds(p->out, p->sep);
	p->sep = NULL;
	buf_adds(p->out, p->marker);
	p->marker[0] = '\0';
	buf_add(p->out, s, n);
}

static void plain_enter(struct plain *p, cmark_node *n)
{
	const char *s;
	size_t len;
	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
	case CMARK_NODE_HEADING:
		if (!p->sep)
			p->sep = "\n";
		break;
	case CMARK_NODE_CODE_BLOCK:
		if (!p->sep)
			p->sep = "\n";
		s = cmark_node_get_literal(n);
		len = strlen(s);
		while (len && s[len - 1] == '\n')
			len--;
		plain_add(p, s, len);
		break;
	case CMARK_NODE_ITEM: {
		cmark_node *list = cmark_node_parent(n);
		if (!p->sep)
			p->sep = "\n";
		if (cmark_node_get_list_type(list) == CMARK_ORDERED_LIST) {
			int number = cmark_node_get_list_start(list);
			for (cmark_node *k = cmark_node_previous(n); k;
			     k = cmark_node_previous(k))
				number++;
			snprintf(p->marker, sizeof p->marker, "%d. ", number);
		} else {
			snprintf(p->marker, sizeof p->marker, "- ");
		}
		break;
	}
	case CMARK_NODE_TEXT:
	case CMARK_NODE_CODE:
		s = cmark_node_get_literal(n);
		plain_add(p, s, strlen(s));
		break;
	case CMARK_NODE_SOFTBREAK:
		plain_add(p, " ", 1);
		break;
	case CMARK_NODE_LINEBREAK:
		plain_add(p, "\n", 1);
		break;
	case CMARK_NODE_LINK: {
		enum entry_kind kind;
		const void *e;
		/* [](party:x) reads as the party's name, as on the page. */
		if (!cmark_node_first_child(n) &&
		    (e = linked_entry(p->a, n, &kind))) {
			s = entry_title(kind, e);
			plain_add(p, s, strlen(s));
		}
		break;
	}
	default:
		/* Raw HTML is never shown; containers add nothing of their
		 * own. */
		break;
	}
}

void plain_text_blocks(const struct archive *a, cmark_node *first,
		       cmark_node *end, struct buf *out)
{
	struct plain p = {a, out, out->len, NULL, ""};
	for (cmark_node *n = first; n && n != end; n = cmark_node_next(n)) {
		cmark_iter *it = cmark_iter_new(n);
		cmark_event_type ev;
		p.sep = "\n\n";
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
			if (ev == CMARK_EVENT_ENTER)
				plain_enter(&p, cmark_iter_get_node(it));
		cmark_iter_free(it);
	}
}

/* ---- the data ---- */

/* What archive.json is written with. URL and TEXT are scratch. */
struct data {
	const struct archive *a;
	struct json j;
	struct buf url, text;
	/* A rebuild: the previous archive.json, or NULL; and what decides
	 * whether an entry's JSON may be copied from it */
	struct dprev *prev;
	struct ctx *c;
	struct writer *w;
	struct buf key;
	size_t entries, copied;
	/* Where each thing goes in the file (dprev.h), when the build
	 * keeps that, or NULL; the bytes given to OUT so far, written or
	 * copied: what is in OUT's buffer comes after them; and how many
	 * of the bytes the index has been given. */
	struct dprev_index *index;
	struct writer_file *out;
	size_t written, indexed;
};

static const char *const precision_names[] = {"", "year", "month", "day"};

/* The URL of REL, in D->url: absolute when the archive has a base_url,
 * REL itself otherwise. */
static const char *url_of(struct data *d, const char *rel)
{
	buf_reset(&d->url);
	site_url(&d->url, d->a->base_url, rel);
	return d->url.data;
}

/* The path of an entry's page from the site's root, in D->text. */
static const char *entry_path(struct data *d, enum entry_kind kind,
			      const char *id)
{
	buf_reset(&d->text);
	entry_url(&d->text, "", kind, id);
	return d->text.data;
}

/* The URL of an entry's page (#FRAGMENT when not NULL): absolute when the
 * archive has a base_url. */
static const char *entry_page(struct data *d, enum entry_kind kind,
			      const char *id, const char *fragment)
{
	entry_path(d, kind, id);
	if (fragment) {
		buf_addc(&d->text, '#');
		buf_adds(&d->text, fragment);
	}
	return url_of(d, d->text.data);
}

/* The URL of a passage's note ("n-") or position ("pp-") on ART's page:
 * the id of its annotation. */
static const char *passage_url(struct data *d, const struct article *art,
			       const char *prefix, const struct passage *p)
{
	struct buf frag;
	buf_init(&frag);
	note_id(&frag, prefix, p);
	const char *u = entry_page(d, ENTRY_ARTICLE, art->id, frag.data);
	buf_release(&frag);
	return u;
}

static void key_date(struct data *d, const char *key, const char *key_precision,
		     const struct date *date)
{
	buf_reset(&d->text);
	date_iso(&d->text, date);
	json_key_string(&d->j, key, d->text.data);
	json_key_string(&d->j, key_precision, precision_names[date->precision]);
}

/* KEY: the plain text of blocks FIRST..END, left out when empty. */
static void key_plain(struct data *d, const char *key, cmark_node *first,
		      cmark_node *end)
{
	buf_reset(&d->text);
	plain_text_blocks(d->a, first, end, &d->text);
	if (d->text.len)
		json_key_string(&d->j, key, d->text.data);
}

static void key_party_ids(struct data *d, const char *key,
			  struct party *const *parties, size_t n)
{
	json_key(&d->j, key);
	json_array_begin(&d->j);
	for (size_t i = 0; i < n; i++)
		json_string(&d->j, parties[i]->id);
	json_array_end(&d->j);
}

/* Bytes given to archive.json so far, in OUT's buffer or not. */
static size_t data_at(const struct data *d)
{
	return d->written + d->out->data.len;
}

/* Gives the index the bytes from where it stopped up to AT, which are in
 * OUT's buffer and no thing's. */
static void index_bytes_to(struct data *d, size_t at)
{
	if (!d->index || at <= d->indexed)
		return;
	const char *s = d->out->data.data + (d->indexed - d->written);
	dprev_index_bytes(d->index, s, at - d->indexed);
	d->indexed = at;
}

/* Records the thing of PART under D->key, LEN bytes at AT whose digest
 * is DIGEST, after the bytes before it. */
static void index_add(struct data *d, enum dprev_part part, size_t at,
		      size_t len, uint64_t digest)
{
	index_bytes_to(d, at);
	dprev_index_add(d->index, part, d->key.data, at, len, digest);
	d->indexed = at + len;
}

/* Copies the JSON of entry ENTRY of KIND (ID: its ID), PART of the
 * previous archive.json, when the inputs of the entry's page, which
 * cover everything its JSON is made from, are those the previous build
 * recorded for it; false when the caller must write it. For
 * DPREV_ANNOTATIONS, the article's annotations. The copy goes from file
 * to file, never through this process. */
static bool copy_entry(struct data *d, enum dprev_part part,
		       enum entry_kind kind, const void *entry, const char *id)
{
	struct dprev_thing thing;
	if (part != DPREV_ANNOTATIONS)
		d->entries++;
	bool copying = d->prev && d->c->inputs;
	if (!copying && !d->index)
		return false;
	/* Its key, as dprev_get and the index take it. */
	buf_reset(&d->key);
	if (part == DPREV_ANNOTATIONS) {
		/* Its annotations' ids are URLs on its page, cut at '#'. */
		entry_path(d, ENTRY_ARTICLE, id);
		buf_addc(&d->text, '#');
		const char *url = url_of(d, d->text.data);
		json_quote(&d->key, url, d->url.len);
		d->key.data[--d->key.len] = '\0';
	} else {
		json_quote(&d->key, id, strlen(id));
	}
	if (!copying)
		return false;
	if (!inputs_unchanged(d->c->inputs, d->w, kind, entry) ||
	    !dprev_get(d->prev, part, d->key.data, &thing))
		return false;
	json_item_here(&d->j);
	/* What is buffered is what came before it in the previous file:
	 * nothing need be read there to tell. */
	struct buf *b = &d->out->data;
	bool gap_same = thing.gap && b->len == thing.gap_len &&
			memcmp(b->data, thing.gap, thing.gap_len) == 0;
	size_t at = data_at(d);
	if (d->index)
		index_add(d, part, at, thing.len, thing.digest);
	d->written = at + thing.len;
	writer_file_add_prev(d->out, thing.start, thing.len, gap_same);
	if (part != DPREV_ANNOTATIONS)
		d->copied++;
	return true;
}

static void article_data(struct data *d, const struct article *art)
{
	struct json *j = &d->j;
	json_object_begin(j);
	json_key_string(j, "id", art->id);
	json_key_string(j, "title", art->title);
	json_key_string(j, "outlet", art->outlet);
	key_date(d, "date", "date_precision", &art->date);
	json_key_string(j, "date_note", art->date_note);
	json_key_string(j, "byline", art->byline);
	json_key_string(j, "url", art->url);
	json_key_string(j, "page", entry_path(d, ENTRY_ARTICLE, art->id));
	buf_reset(&d->text);
	buf_addf(&d->text, "articles/%s.txt", art->id);
	json_key_string(j, "text", d->text.data);
	json_key(j, "omitted_lines");
	json_array_begin(j);
	for (size_t i = 0; i < art->line_count; i++)
		if (art->lines[i].omitted)
			json_int(j, (long long)i + 1);
	json_array_end(j);
	article_tree(d->a, art);
	key_plain(d, "introduction", cmark_node_first_child(art->body.doc),
		  art->intro_end);
	key_party_ids(d, "parties", art->named, art->named_count);
	json_key(j, "proposals");
	json_array_begin(j);
	for (size_t i = 0; i < art->covered_count; i++)
		json_string(j, art->covered[i]->id);
	json_array_end(j);
	json_key(j, "mentions");
	json_array_begin(j);
	for (size_t i = 0; i < art->mention_count; i++) {
		json_object_begin(j);
		json_key_string(j, "party", art->mentions[i].party->id);
		json_key_int(j, "count", (long long)art->mentions[i].count);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

static void party_data(struct data *d, const struct party *party)
{
	struct json *j = &d->j;
	json_object_begin(j);
	json_key_string(j, "id", party->id);
	json_key_string(j, "name", party->name);
	json_key_string(j, "kind", party->kind);
	json_key_string(j, "summary", party->summary);
	json_key(j, "aliases");
	json_array_begin(j);
	for (size_t i = 0; i < party->alias_count; i++)
		json_string(j, party->aliases[i]);
	json_array_end(j);
	key_plain(d, "description", cmark_node_first_child(party->body.doc),
		  NULL);
	json_key_string(j, "page", entry_path(d, ENTRY_PARTY, party->id));
	json_object_end(j);
}

static void position_data(struct data *d, const struct position *pos)
{
	struct json *j = &d->j;
	json_object_begin(j);
	json_key_string(j, "party", pos->party->id);
	json_key_string(j, "stance", stance_name(pos->stance));
	key_date(d, "date", "date_precision", &pos->date);
	json_key_string(j, "source", pos->source->id);
	json_key_string(j, "quote", pos->quote);
	if (pos->anchored)
		json_key_string(
		    j, "annotation",
		    passage_url(d, pos->source, "pp-", &pos->passage));
	json_object_end(j);
}

static void proposal_data(struct data *d, const struct proposal *p)
{
	struct json *j = &d->j;
	json_object_begin(j);
	json_key_string(j, "id", p->id);
	json_key_string(j, "title", p->title);
	key_date(d, "date", "date_precision", &p->date);
	if (p->has_status)
		json_key_string(j, "status", status_name(p->status));
	key_party_ids(d, "proposed_by", p->proposed_by, p->proposed_by_count);
	key_party_ids(d, "mediators", p->mediators, p->mediator_count);
	key_party_ids(d, "addressed_to", p->addressed_to, p->addressed_count);
	json_key(j, "terms");
	json_array_begin(j);
	proposal_tree(d->a, p);
	for (size_t i = 0; i < p->term_count; i++) {
		buf_reset(&d->text);
		plain_text_blocks(d->a, cmark_node_first_child(p->terms[i].doc),
				  NULL, &d->text);
		json_string(j, d->text.data);
	}
	json_array_end(j);
	key_plain(d, "description", cmark_node_first_child(p->body.doc), NULL);
	json_key_string(j, "page", entry_path(d, ENTRY_PROPOSAL, p->id));
	json_key(j, "coverage");
	json_array_begin(j);
	for (size_t i = 0; i < p->coverage_count; i++)
		json_string(j, p->coverage[i]->id);
	json_array_end(j);
	json_key(j, "positions");
	json_array_begin(j);
	for (size_t i = 0; i < p->position_count; i++)
		position_data(d, &p->positions[i]);
	json_array_end(j);
	json_object_end(j);
}

static void page_data(struct data *d, const struct page *page)
{
	struct json *j = &d->j;
	json_object_begin(j);
	json_key_string(j, "id", page->id);
	json_key_string(j, "title", page->title);
	json_key_string(j, "summary", page->summary);
	json_key_string(j, "page", entry_path(d, ENTRY_PAGE, page->id));
	json_object_end(j);
}

/* ---- annotations ---- */

/* A passage of an article annotated by a note or a position, with its
 * place in code points of the capture and the bytes of its context. */
struct anchor {
	const struct note *note; /* one of these two */
	const struct position *position;
	const struct passage *passage;
	size_t cp_start, cp_end;	 /* code points */
	size_t prefix_start, suffix_end; /* bytes */
};

static int compare_anchor(const void *x, const void *y)
{
	const struct anchor *a = x, *b = y;
	if (a->passage->start != b->passage->start)
		return a->passage->start < b->passage->start ? -1 : 1;
	if (a->passage->end != b->passage->end)
		return a->passage->end > b->passage->end ? -1 : 1;
	if (!a->note != !b->note)
		return a->note ? -1 : 1;
	return strcmp(a->passage->slug, b->passage->slug);
}

/* A byte offset whose offset in code points is wanted. */
struct cp_query {
	size_t byte;
	size_t *out;
};

static int compare_query(const void *x, const void *y)
{
	const struct cp_query *a = x, *b = y;
	return a->byte < b->byte ? -1 : a->byte > b->byte;
}

static bool is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* Answers every query on TEXT (valid UTF-8) in one pass over it. */
static void count_code_points(const char *text, struct cp_query *q, size_t n)
{
	size_t at = 0, cp = 0;
	qsort(q, n, sizeof *q, compare_query);
	for (size_t k = 0; k < n; k++) {
		for (; at < q[k].byte; at++)
			cp += !is_continuation(text[at]);
		*q[k].out = cp;
	}
}

/* The offset N code points before AT, or 0. */
static size_t back_chars(const char *text, size_t at, size_t n)
{
	while (n-- && at > 0) {
		at--;
		while (at > 0 && is_continuation(text[at]))
			at--;
	}
	return at;
}

/* The offset N code points after AT, or LEN. */
static size_t forward_chars(const char *text, size_t len, size_t at, size_t n)
{
	while (n-- && at < len) {
		at++;
		while (at < len && is_continuation(text[at]))
			at++;
	}
	return at;
}

static void target_data(struct data *d, const struct article *art,
			const struct anchor *x)
{
	struct json *j = &d->j;
	const struct passage *p = x->passage;
	const char *text = article_text(d->a, art);
	json_key(j, "target");
	json_object_begin(j);
	buf_reset(&d->text);
	buf_addf(&d->text, "articles/%s.txt", art->id);
	json_key_string(j, "source", url_of(d, d->text.data));
	json_key(j, "selector");
	json_array_begin(j);
	json_object_begin(j);
	json_key_string(j, "type", "TextQuoteSelector");
	json_key(j, "exact");
	json_stringn(j, text + p->start, p->end - p->start);
	json_key(j, "prefix");
	json_stringn(j, text + x->prefix_start, p->start - x->prefix_start);
	json_key(j, "suffix");
	json_stringn(j, text + p->end, x->suffix_end - p->end);
	json_object_end(j);
	json_object_begin(j);
	json_key_string(j, "type", "TextPositionSelector");
	json_key_int(j, "start", (long long)x->cp_start);
	json_key_int(j, "end", (long long)x->cp_end);
	json_object_end(j);
	json_array_end(j);
	json_object_end(j);
}

static void annotation_begin(struct data *d, const struct article *art,
			     const char *prefix, const struct passage *p,
			     const char *motivation)
{
	struct json *j = &d->j;
	json_object_begin(j);
	json_key_string(j, "@context", ANNO_CONTEXT);
	json_key_string(j, "id", passage_url(d, art, prefix, p));
	json_key_string(j, "type", "Annotation");
	json_key_string(j, "motivation", motivation);
}

static void linked_resource(struct data *d, const char *purpose,
			    enum entry_kind kind, const char *id)
{
	struct json *j = &d->j;
	json_object_begin(j);
	json_key_string(j, "type", "SpecificResource");
	json_key_string(j, "purpose", purpose);
	json_key_string(j, "source", entry_page(d, kind, id, NULL));
	json_object_end(j);
}

/* Each entry the note links, once, in the order of its first link. */
static void note_links(struct data *d, const struct note *n)
{
	const void **seen = NULL;
	size_t seen_count = 0, seen_cap = 0;
	article_tree(d->a, n->article);
	for (cmark_node *b = n->first_block; b && b != n->end_block;
	     b = cmark_node_next(b)) {
		cmark_iter *it = cmark_iter_new(b);
		cmark_event_type ev;
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *cur = cmark_iter_get_node(it);
			enum entry_kind kind;
			const void *e;
			if (ev != CMARK_EVENT_ENTER ||
			    cmark_node_get_type(cur) != CMARK_NODE_LINK ||
			    !(e = linked_entry(d->a, cur, &kind)))
				continue;
			/* A note links a handful of entries: a scan is enough.
			 */
			size_t i = 0;
			while (i < seen_count && seen[i] != e)
				i++;
			if (i < seen_count)
				continue;
			seen = xgrow(seen, &seen_cap, seen_count + 1,
				     sizeof *seen);
			seen[seen_count++] = e;
			linked_resource(d, "linking", kind, entry_id(kind, e));
		}
		cmark_iter_free(it);
	}
	free(seen);
}

static void note_annotation(struct data *d, const struct article *art,
			    const struct anchor *x)
{
	struct json *j = &d->j;
	const struct note *n = x->note;
	struct buf body;
	buf_init(&body);
	article_tree(d->a, art);
	plain_text_blocks(d->a, n->first_block, n->end_block, &body);
	/* A passage quoted with nothing said about it is a highlight. */
	annotation_begin(d, art, "n-", x->passage,
			 body.len ? "commenting" : "highlighting");
	if (body.len) {
		json_key(j, "body");
		json_array_begin(j);
		json_object_begin(j);
		json_key_string(j, "type", "TextualBody");
		json_key_string(j, "purpose", "commenting");
		json_key_string(j, "value", body.data);
		json_key_string(j, "format", "text/plain");
		json_key_string(j, "language", d->a->language);
		json_object_end(j);
		note_links(d, n);
		json_array_end(j);
	}
	target_data(d, art, x);
	json_object_end(j);
	buf_release(&body);
}

static void position_annotation(struct data *d, const struct article *art,
				const struct anchor *x)
{
	struct json *j = &d->j;
	const struct position *pos = x->position;
	annotation_begin(d, art, "pp-", x->passage, "assessing");
	json_key(j, "body");
	json_array_begin(j);
	json_object_begin(j);
	json_key_string(j, "type", "TextualBody");
	json_key_string(j, "purpose", "tagging");
	json_key_string(j, "value", stance_name(pos->stance));
	json_object_end(j);
	linked_resource(d, "identifying", ENTRY_PARTY, pos->party->id);
	linked_resource(d, "linking", ENTRY_PROPOSAL, pos->proposal->id);
	json_array_end(j);
	target_data(d, art, x);
	json_object_end(j);
}

/* The annotations of ART, in the order of their passages in its text.
 * *XS and *QS are scratch arrays kept between articles. */
static void article_annotations(struct data *d, const struct article *art,
				struct anchor **xs, size_t *xcap,
				struct cp_query **qs, size_t *qcap)
{
	size_t n = art->note_count + art->position_count;
	if (n == 0)
		return;
	*xs = xgrow(*xs, xcap, n, sizeof **xs);
	*qs = xgrow(*qs, qcap, 2 * n, sizeof **qs);
	struct anchor *x = *xs;
	struct cp_query *q = *qs;
	n = 0;
	for (size_t i = 0; i < art->note_count; i++)
		x[n++] = (struct anchor){.note = &art->notes[i],
					 .passage = &art->notes[i].passage};
	for (size_t i = 0; i < art->position_count; i++)
		if (art->positions[i]->anchored)
			x[n++] = (struct anchor){
			    .position = art->positions[i],
			    .passage = &art->positions[i]->passage};
	qsort(x, n, sizeof *x, compare_anchor);
	const char *text = n ? article_text(d->a, art) : NULL;
	for (size_t i = 0; i < n; i++) {
		const struct passage *p = x[i].passage;
		q[2 * i] = (struct cp_query){p->start, &x[i].cp_start};
		q[2 * i + 1] = (struct cp_query){p->end, &x[i].cp_end};
		x[i].prefix_start = back_chars(text, p->start, QUOTE_CONTEXT);
		x[i].suffix_end = forward_chars(text, art->text_len, p->end,
						QUOTE_CONTEXT);
	}
	if (n)
		count_code_points(text, q, 2 * n);
	for (size_t i = 0; i < n; i++) {
		if (x[i].note)
			note_annotation(d, art, &x[i]);
		else
			position_annotation(d, art, &x[i]);
	}
}

/* Writes out what is buffered, when it is a piece, through the index's
 * digest; with ALL, whatever there is. */
static void data_flush(struct data *d, bool all)
{
	struct buf *b = &d->out->data;
	if (!all && b->len < WRITER_PIECE)
		return;
	index_bytes_to(d, data_at(d));
	d->written += b->len;
	if (all)
		return; /* writer_file_close writes it */
	writer_file_flush(d->out);
}

/* Records the thing of PART just written from BEFORE on, under D->key:
 * from its '{' (after the comma and indent before it) to its end. There
 * is none for an article without annotations. No flush comes between. */
static void index_thing(struct data *d, enum dprev_part part, size_t before)
{
	if (!d->index)
		return;
	size_t end = data_at(d);
	const char *s = d->out->data.data + (before - d->written);
	while (before < end && *s != '{')
		s++, before++;
	if (before < end)
		index_add(d, part, before, end - before,
			  dprev_digest(s, end - before));
}

void build_data(struct ctx *c, struct writer *w)
{
	const struct archive *a = c->a;
	struct article *const *articles = c->articles_by_date;
	struct proposal *const *proposals = c->proposals_by_date;
	size_t article_count = a->article_count;
	struct data d = {.a = a, .c = c, .w = w};
	struct dprev prev;
	struct dprev_index index;
	struct writer_file out;
	struct anchor *xs = NULL;
	struct cp_query *qs = NULL;
	size_t xcap = 0, qcap = 0;
	if (c->inputs && c->prev_read)
		d.prev = c->prev_data;
	else if (c->inputs && dprev_open(&prev, w, NULL, 0))
		d.prev = &prev;
	/* At 100,000 articles archive.json is near a gigabyte: it goes
	 * out a piece at a time, and while it is the previous one's bytes
	 * (nothing that it shows changed) it is only compared. */
	if (d.prev) {
		writer_file_open_like(w, &out, "archive.json", d.prev->data,
				      d.prev->len, d.prev->fd);
		writer_file_reuse(&out, &d.prev->before, d.prev->shared);
	} else
		writer_file_open(w, &out, "archive.json");
	d.out = &out;
	if (c->data_index) {
		dprev_index_init(&index);
		d.index = &index;
	}
	buf_init(&d.url);
	buf_init(&d.text);
	buf_init(&d.key);
	json_init(&d.j, &out.data, true);

	json_object_begin(&d.j);
	json_key_string(&d.j, "title", a->title);
	json_key_string(&d.j, "tagline", a->tagline);
	json_key_string(&d.j, "language", a->language);
	if (a->base_url)
		json_key_string(&d.j, "base_url", url_of(&d, ""));
	json_key(&d.j, "articles");
	json_array_begin(&d.j);
	for (size_t i = 0; i < article_count; i++) {
		size_t before = data_at(&d);
		if (!copy_entry(&d, DPREV_ARTICLE, ENTRY_ARTICLE, articles[i],
				articles[i]->id)) {
			article_data(&d, articles[i]);
			index_thing(&d, DPREV_ARTICLE, before);
		}
		data_flush(&d, false);
	}
	json_array_end(&d.j);
	json_key(&d.j, "parties");
	json_array_begin(&d.j);
	for (size_t i = 0; i < a->party_count; i++) {
		size_t before = data_at(&d);
		if (!copy_entry(&d, DPREV_PARTY, ENTRY_PARTY, a->parties[i],
				a->parties[i]->id)) {
			party_data(&d, a->parties[i]);
			index_thing(&d, DPREV_PARTY, before);
		}
		data_flush(&d, false);
	}
	json_array_end(&d.j);
	json_key(&d.j, "proposals");
	json_array_begin(&d.j);
	for (size_t i = 0; i < a->proposal_count; i++) {
		size_t before = data_at(&d);
		if (!copy_entry(&d, DPREV_PROPOSAL, ENTRY_PROPOSAL, proposals[i],
				proposals[i]->id)) {
			proposal_data(&d, proposals[i]);
			index_thing(&d, DPREV_PROPOSAL, before);
		}
		data_flush(&d, false);
	}
	json_array_end(&d.j);
	json_key(&d.j, "pages");
	json_array_begin(&d.j);
	for (size_t i = 0; i < a->page_count; i++) {
		size_t before = data_at(&d);
		if (!copy_entry(&d, DPREV_PAGE, ENTRY_PAGE, a->pages[i],
				a->pages[i]->id)) {
			page_data(&d, a->pages[i]);
			index_thing(&d, DPREV_PAGE, before);
		}
	}
	json_array_end(&d.j);
	json_key(&d.j, "annotations");
	json_array_begin(&d.j);
	for (size_t i = 0; i < article_count; i++) {
		size_t before = data_at(&d);
		if (!copy_entry(&d, DPREV_ANNOTATIONS, ENTRY_ARTICLE,
				articles[i], articles[i]->id)) {
			article_annotations(&d, articles[i], &xs, &xcap, &qs,
					    &qcap);
			index_thing(&d, DPREV_ANNOTATIONS, before);
		}
		data_flush(&d, false);
	}
	json_array_end(&d.j);
	json_object_end(&d.j);
	buf_addc(&out.data, '\n');
	data_flush(&d, true);
	json_release(&d.j);
	writer_file_close(&out);
	if (d.index) {
		/* The previous file, when its stamp vouched for it, stays in
		 * the folder the next build recycles: what the two share, it
		 * need not copy. */
		dprev_index_finish(&index, d.prev ? &d.prev->stamp : NULL,
				   d.prev ? out.matched : 0);
		/* Handed over whole: the record can be large. */
		buf_release(c->data_index);
		*c->data_index = index.record;
		buf_init(&index.record);
		dprev_index_release(&index);
	}

	c->data_entries = d.entries;
	c->data_copied = d.copied;
	if (d.prev == &prev)
		dprev_release(&prev);
	buf_release(&d.url);
	buf_release(&d.text);
	buf_release(&d.key);
	free(xs);
	free(qs);
}
