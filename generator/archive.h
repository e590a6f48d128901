/* The archive: everything loaded from content/, checked and cross-linked.
 *
 * archive_load reads every file, reports every problem through a struct
 * diag, and leaves an archive in which every reference resolves: each
 * entry points to the entries it names, and each party and proposal knows
 * who names it. Entries are kept in arrays sorted by ID; nothing depends
 * on the order the file system lists them. The archive owns everything
 * reachable from it, released by archive_free. */
#ifndef GLOSS_ARCHIVE_H
#define GLOSS_ARCHIVE_H

#include <cmark.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "frontmatter.h"
#include "map.h"

enum date_precision { DATE_YEAR = 1, DATE_MONTH, DATE_DAY };

struct date {
	int year, month, day; /* month and day are 0 when not given */
	enum date_precision precision;
};

enum stance { STANCE_ACCEPTED, STANCE_REJECTED, STANCE_CONDITIONAL,
	      STANCE_UNDECIDED };
enum status { STATUS_PROPOSED, STATUS_NEGOTIATING, STATUS_ACCEPTED,
	      STATUS_REJECTED, STATUS_LAPSED, STATUS_IMPLEMENTED };

struct article;
struct party;
struct proposal;
struct page;
struct acache;

/* The annotation cache (acache.h): not used, read, or read and what this
 * run found saved by archive_save_cache. */
enum cache_use { CACHE_OFF, CACHE_READ, CACHE_SAVE };

enum entry_kind { ENTRY_ARTICLE, ENTRY_PARTY, ENTRY_PROPOSAL, ENTRY_PAGE,
		  ENTRY_INDEX };

/* A Markdown body: the parsed tree and where its text starts in the file,
 * so that cmark's positions can be reported as file positions. */
struct body {
	cmark_node *doc; /* owned */
	int first_line;
};

/* A passage of an article that a note or a position quotes: where it is
 * in the capture, and the HTML ids derived from its words, which stay the
 * same when other notes come and go. */
struct passage {
	/* 32 bits, as lines' offsets are (a capture is read only below
	 * 4 GiB): there is one for every note and position */
	uint32_t line;       /* index into article->lines */
	uint32_t start, end; /* byte range in article->text */
	char *slug;        /* owned: words of the passage + a short hash */
};

struct note {
	struct article *article;
	struct passage passage;
	cmark_node *quote;      /* the block quote, in article->body */
	cmark_node *first_block; /* the note's first block, or NULL */
	cmark_node *end_block;   /* the block after its last, or NULL */
	/* The three above are set once the article's tree is parsed
	 * (article_tree, annotate.h); until then the note knows its block
	 * quote by its index among the body's, in document order. */
	uint32_t quote_index;
	int line;               /* line of the block quote in the .md */
	/* What the pages that show the note take of it (inputs.h): a
	 * digest of its blocks as they render (md_blocks_digest), of the
	 * capture its passage is in, and of the passage; worked out once
	 * when the note is annotated, for the many pages that show it, and
	 * kept in the annotation cache with the rest of the note */
	uint64_t shown_digest;
	size_t entry_links;     /* links to entries that resolve */
};

struct position {
	struct proposal *proposal;
	struct party *party;
	enum stance stance;
	struct date date;
	struct article *source;
	char *quote;             /* owned; NULL when the editor gave none */
	int quote_line, quote_col; /* of the quote in the proposal's .md */
	bool anchored;           /* passage is valid */
	struct passage passage;
	int line, col;           /* of the position in the proposal's .md */
};

/* Something that links an entry: a note, or the body of an entry. */
struct reference {
	enum entry_kind kind; /* of the referrer */
	void *entry;          /* the referring entry */
	struct note *note;    /* when the link is in a note */
};

struct reference_list {
	struct reference *items;
	size_t count, cap;
};

/* 32-bit offsets: a capture is at most CONTENT_FILE_LIMIT (64 MiB), and
 * an archive of 100,000 articles holds millions of lines. */
struct line {
	uint32_t start, len; /* in article->text, without the newline */
	bool omitted;
	bool shown;          /* not omitted and not blank */
};

/* An entry link of a body, as a cache keeps it (acache.h): which note
 * it is in (0: none, else the note's index + 1), and what it links; its
 * ID is at offset ID of its list's ids. */
struct cached_link {
	uint32_t note;
	enum entry_kind kind;
	uint32_t id;
};

/* The entry links of a body in the order checking them meets them, read
 * from a cache (relations.h): CACHED is then set, and checking the links
 * needs no tree while every target exists. Owned. */
struct link_list {
	struct cached_link *items;
	size_t count;
	char *ids; /* NUL-terminated, one after another */
	bool cached;
};

struct mention {
	struct party *party;
	struct article *article;
	size_t count;
};

struct article {
	size_t index; /* in archive->articles */
	char *id;
	char *txt_path, *md_path;
	/* The capture, verbatim; owned. NULL while text_deferred: its
	 * stamp was the one recorded with its length and digest, so it is
	 * read only when something needs its bytes (article_text). */
	char *text;
	size_t text_len;
	_Atomic bool text_deferred;
	bool text_lost; /* read late, it was no longer those bytes */
	struct line *lines;
	size_t line_count;
	/* The .md file's bytes, owned until its body is parsed: parsing
	 * waits until something needs the tree (article_tree, annotate.h),
	 * which for an article annotated from the cache, whose links the
	 * cache keeps too, may be never. A tree takes several times the
	 * bytes. NULL while source_deferred: its stamp was the one
	 * recorded with its digests, its front matter's key and its body's
	 * place, so it is read only to parse the body (article_source). */
	char *source_md;
	size_t body_start, body_len; /* the body, in source_md */
	_Atomic bool source_deferred;
	bool source_lost; /* read late, it was no longer those bytes */
	bool has_body;               /* read, and its front matter parsed */
	_Atomic bool tree_ready;     /* body.doc and the notes' blocks set */
	/* The entry links of the body, from the annotation cache, when the
	 * article was annotated from it. */
	struct link_list links;
	/* Digests of the .md file, whole and its front matter alone, for
	 * incremental builds. */
	uint64_t md_digest, front_digest;
	uint64_t text_digest; /* of the capture, taken while loading on threads */
	/* The front matter's `omit` list, owned until the article is
	 * annotated; the rest of the front matter is released as soon as it
	 * is read (at 100,000 articles the trees held 100 MB). */
	struct ynode *omit;
	/* in `strings`, which owns them */
	const char *outlet, *date_note, *url, *byline;
	const char *title;   /* in `strings`, or default_title */
	char *strings;       /* owned: the front matter values above */
	char *default_title; /* owned: the first shown line */
	struct date date;
	struct party **parties; /* named in front matter */
	size_t party_count;
	struct proposal **proposals; /* named in front matter */
	size_t proposal_count;
	struct body body;
	cmark_node *intro_end; /* first top-level block quote, or NULL */
	struct note *notes;    /* in order of the passages in the text */
	size_t note_count;
	struct position **positions; /* whose quote anchors here */
	size_t position_count, position_cap;
	struct mention *mentions; /* most first, then by party ID */
	size_t mention_count;
	struct proposal **covered; /* named, linked, or positions sourced */
	size_t covered_count;
	struct party **named;      /* mentioned or named, by mentions */
	size_t named_count;
};

struct party {
	size_t index; /* in archive->parties */
	char *id, *path;
	char *source; /* owned */
	struct frontmatter fm;
	const char *name, *kind, *summary;
	const char **aliases;
	size_t alias_count;
	struct body body;
	/* The articles that mention it, or name it in front matter, in
	 * the order of archive->articles (the named after the mentioned);
	 * the party's page orders them, most mentions first. */
	struct mention *mentions;
	size_t mention_count, mention_cap;
	struct position **positions; /* by proposal date */
	size_t position_count, position_cap;
	struct proposal **proposed, **mediated, **addressed;
	size_t proposed_count, mediated_count, addressed_count;
	size_t proposed_cap, mediated_cap, addressed_cap;
	struct reference_list referrers;
};

struct proposal {
	size_t index; /* in archive->proposals */
	char *id, *path;
	/* The file's bytes (owned), read while it loads, or, when its stamp
	 * and front matter are the ones the text cache recorded, when it is
	 * parsed (proposal_tree): NULL until then. fm.body points into it
	 * once read. */
	char *source;
	size_t source_len, body_start;
	uint64_t source_digest; /* of its bytes, read or recorded */
	_Atomic bool source_deferred;
	bool source_lost; /* read late, and no longer those bytes */
	struct frontmatter fm;
	const char *title;
	struct date date;
	enum status status;
	bool has_status;
	struct party **proposed_by, **mediators, **addressed_to;
	size_t proposed_by_count, mediator_count, addressed_count;
	/* The body and the terms (one Markdown line each, term_count of
	 * them) are parsed when something needs them (proposal_tree), once
	 * tree_ready is set: a proposal whose links the text cache keeps
	 * (LINKS) may never be. */
	struct body *terms;
	size_t term_count;
	struct position *positions; /* in front matter order */
	size_t position_count;
	struct body body;
	_Atomic bool tree_ready;
	struct link_list links;
	struct article **coverage; /* by date */
	size_t coverage_count, coverage_cap;
	struct reference_list referrers;
};

struct page {
	char *id, *path; /* id "index" for content/index.md */
	char *source;
	struct frontmatter fm;
	const char *title, *summary;
	struct body body;
};

#define ARCHIVE_TREE_LOCKS 64

/* The entry folders whose names the text cache keeps (archive.c). */
#define ARCHIVE_LISTED_FOLDERS 4

struct archive {
	char *content_dir;
	char *config_path;
	char *title, *tagline, *language, *base_url, *theme;
	bool config_ok;          /* archive.yaml was read and parsed */
	int theme_line, theme_col; /* of `theme:` in archive.yaml, or 0 */
	char **omit_lines; /* folded */
	size_t omit_line_count;
	struct article **articles; /* by ID */
	size_t article_count;
	struct party **parties; /* by ID */
	size_t party_count;
	struct proposal **proposals; /* by ID */
	size_t proposal_count;
	struct page **pages; /* by ID; the index is separate */
	size_t page_count;
	struct page *index; /* NULL when content/index.md is absent */
	char **static_files; /* paths under static/, sorted */
	size_t static_count;
	struct map article_map, party_map, proposal_map, page_map;
	size_t article_cap, party_cap, proposal_cap, page_cap, static_cap;
	/* What annotating found, kept between runs (acache.h): owned */
	struct acache *cache;
	/* Front matter trees, kept between runs the same way (acache.h,
	 * frontmatter.h): owned, NULL when the cache is not used */
	struct acache *fm_cache;
	/* files whose front matter came from it; counted on the loading
	 * threads */
	_Atomic size_t fm_cached;
	/* Each capture's stamp, length and digest, kept between runs the
	 * same way: owned, NULL when the cache is not used */
	struct acache *text_cache;
	uint64_t since; /* the clock before any file was looked at */
	/* The names in articles/, parties/, proposals/ and pages/, as the
	 * text cache keeps them for the next run (list_remembered): its
	 * own record when the folder kept its stamp (KEPT, in the file
	 * read), or one made now (MADE); put once the cache is prepared.
	 * How many of the folders were listed, and of those how many came
	 * from the cache. */
	struct folder_listing {
		const unsigned char *kept;
		size_t kept_len;
		struct buf made;
	} listings[ARCHIVE_LISTED_FOLDERS];
	size_t folders_listed, folders_remembered;
	/* articles/ and proposals/, open while the archive loads, so that
	 * their files are stamped by name instead of by a path walked from
	 * the root each time; -1 when they could not be opened */
	int articles_fd, proposals_fd;
	/* captures read, and of those read late, how many were no longer
	 * the bytes recorded: counted on any thread (article_text) */
	_Atomic size_t texts_read, texts_lost;
	/* articles' .md files read; one read late and no longer the bytes
	 * recorded counts in texts_lost too (article_source) */
	_Atomic size_t sources_read;
	/* proposals' files read; one read late and no longer the bytes
	 * recorded counts in texts_lost too (proposal_source) */
	_Atomic size_t proposal_sources_read;
	/* The front matter and text caches, complete once every file is
	 * read, are saved on this thread while articles are annotated */
	pthread_t file_cache_saver;
	bool saving_file_caches;
	enum cache_use use_cache;
	size_t cached; /* articles annotated from the cache */
	/* Articles whose Markdown was parsed, and of those annotated from
	 * the cache, how many the cache's record did not fit (a cache not
	 * as gloss writes it): counted on any thread (article_tree). */
	_Atomic size_t trees_parsed, tree_misfits;
	/* Proposals whose Markdown was parsed (proposal_tree). */
	_Atomic size_t proposal_trees_parsed;
	/* Parsing an article's tree when first needed is serialised by one
	 * of these, chosen by the article's index: pages render on several
	 * threads (article_tree, annotate.h). */
	pthread_mutex_t tree_locks[ARCHIVE_TREE_LOCKS];
	/* Whether articles wait to be parsed until their tree is needed:
	 * only when the annotation cache may spare it (annotate.h). An
	 * archive built afresh parses each article as it is read, so that
	 * its bytes go at once: 160 MB at 100,000 articles. */
	bool defer_trees;
};

/* Loads the archive in CONTENT_DIR. Every problem found is reported
 * through D; returns NULL when the archive could not be read at all (no
 * archive.yaml), otherwise an archive the caller frees, which is complete
 * only when D counted no errors. Articles are read and annotated on
 * THREADS threads (0 is 1); the messages are the same on any number. */
struct archive *archive_load(const char *content_dir, unsigned threads,
			     struct diag *d);
/* As archive_load; what annotating articles found is looked up in the
 * annotation cache (acache.h) unless USE is CACHE_OFF, and with
 * CACHE_SAVE kept for archive_save_cache. The archive is the same
 * either way. */
struct archive *archive_load_cached(const char *content_dir,
				    unsigned threads, enum cache_use use,
				    struct diag *d);
/* Saves what this run's annotating found, for an archive loaded without
 * errors, and lets go of it; again, it does nothing. A build calls it
 * while pages are rendered, which read nothing it writes. (The front
 * matter and text caches, whose records describe files, not the
 * archive, are saved once loading has read every file, errors or not.) */
void archive_save_cache(struct archive *a);
void archive_free(struct archive *a);

/* The capture of ART, read now when loading deferred it (text_deferred);
 * safe on any thread. A capture that can no longer be read, or is no
 * longer the bytes its digest was taken of (it changed during the
 * build), reads as TEXT_LEN zero bytes, so that what was found in it
 * stays in bounds; it is marked text_lost and counted in texts_lost,
 * and the build must fail (site_build reports it). */
const char *article_text(const struct archive *a, const struct article *art);
/* What is reported of a capture article_text found changed. */
#define ARTICLE_TEXT_LOST \
	"the capture changed while gloss was building (or can no longer be " \
	"read); build again"

/* ART's .md file, read now when loading deferred it (source_deferred),
 * as article_text reads a capture; NULL once its body is parsed. The
 * caller holds the article's tree lock, or is the thread loading it. A
 * file changed since its digest was taken reads as zero bytes of its
 * length, marked source_lost and counted in texts_lost. */
const char *article_source(struct archive *a, struct article *art);
/* What is reported of an .md file article_source found changed. */
#define ARTICLE_SOURCE_LOST \
	"the file changed while gloss was building (or can no longer be " \
	"read); build again"

/* Calls MAKE(A, ENTRY) unless *READY is set, and sets it when MAKE
 * returns true; one thread at a time for the entry INDEX (tree_locks),
 * so that a tree wanted on several threads is made once. */
void archive_tree_once(struct archive *a, size_t index, _Atomic bool *ready,
		       bool (*make)(struct archive *, void *), void *entry);

/* P's body and terms, parsed now when loading left them (tree_ready
 * unset: the text cache kept its links); safe on any thread. */
void proposal_tree(const struct archive *a, const struct proposal *p);
/* P's file, read now when loading deferred it (source_deferred), as
 * article_source reads an article's: a file changed since its digest
 * was taken reads as zero bytes of its length, marked source_lost and
 * counted in texts_lost. The caller holds P's tree lock, or is the
 * thread loading it. */
const char *proposal_source(struct archive *a, struct proposal *p);

/* Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" into *OUT; false if invalid. */
bool date_parse(const char *s, struct date *out);
/* Compares dates by their first day, then by precision (coarser first). */
int date_compare(const struct date *a, const struct date *b);

const char *stance_name(enum stance s);
const char *status_name(enum status s);

/* The text of an entry for links with empty text: a party's name, an
 * article's, proposal's or page's title. */
const char *entry_title(enum entry_kind kind, const void *entry);
/* The ID of an entry of KIND. */
const char *entry_id(enum entry_kind kind, const void *entry);

#endif
