/* gloss: the command line, and nothing else. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "acache.h"
#include "archive.h"
#include "buf.h"
#include "diag.h"
#include "dprev.h"
#include "fsutil.h"
#include "history.h"
#include "inputs.h"
#include "prevsite.h"
#include "scaffold.h"
#include "sindex.h"
#include "site.h"
#include "template.h"
#include "xalloc.h"
#include "xmlarena.h"

#define GLOSS_VERSION "0.1.0"

/* jemalloc's settings (Makefile: the release build allocates through
 * it), read when it starts: its memory in huge pages where the kernel
 * gives them on request. A build touches every page it allocates soon
 * after, and faulting them in 4 KiB at a time was a third of a rebuild's
 * system time. Builds without jemalloc never read this. */
extern const char *malloc_conf;
const char *malloc_conf = "thp:always";

/* Whether a run frees what it holds before it returns. Without it, a
 * build or check ends with exit() once what changes files is done
 * (prev_site_settle), and the system takes back the run's memory in one
 * step, as clang (-disable-free) and git (UNLEAK) do: freeing every
 * node of a 10,000-article archive took 6 ms of CPU at the end of a
 * one-note rebuild, and 4 ms the previous site's maps and mappings.
 * The sanitizers' build (Makefile) frees everything, so that every test
 * run through it checks that each allocation has its owner. */
#ifndef GLOSS_FREE_AT_EXIT
#define GLOSS_FREE_AT_EXIT 0
#endif

enum exit_status { EXIT_OK = 0, EXIT_CONTENT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

static const char usage_text[] =
	"usage: gloss build [-C CONTENT] [-t THEME_DIR] [-o OUTPUT] [--no-history]\n"
	"                   [--no-cache] [-j JOBS] [-q | -v]\n"
	"       gloss check [-C CONTENT] [--no-history] [--no-cache] [-j JOBS]\n"
	"                   [-q | -v]\n"
	"       gloss new article ID --from RAW.txt [--date DATE] [-C CONTENT]\n"
	"       gloss new party|page ID [-C CONTENT]\n"
	"       gloss new proposal ID [--date DATE] [--by PARTY] [-C CONTENT]\n"
	"       gloss --help | --version\n";

static const char help_text[] =
	"gloss turns an annotated archive (captured articles, Markdown notes\n"
	"anchored to their passages, parties and proposals) into a\n"
	"cross-linked static HTML site that works from a host or a folder.\n"
	"\n"
	"commands:\n"
	"  build   check the archive, then write the site\n"
	"  check   check the archive and its theme; write nothing\n"
	"  new     add an entry: an article from a capture (copied byte for\n"
	"          byte, with a title, a date and omit lines proposed for\n"
	"          the editor to check), or a party, proposal or page\n"
	"          skeleton that gloss check accepts\n"
	"\n"
	"options:\n"
	"  -C CONTENT    the content folder (default: content)\n"
	"  -t THEME_DIR  the theme folder (default: the theme named in\n"
	"                archive.yaml, looked for in themes/ beside CONTENT,\n"
	"                then beside the gloss program)\n"
	"  -o OUTPUT     the output folder (default: output); it must be\n"
	"                absent, empty, or a site gloss wrote\n"
	"  -j JOBS       threads that read articles (and render pages)\n"
	"                (default: one per processor); the site and the\n"
	"                messages are the same for any number\n"
	"  --no-history  leave out what git says of the content folder: the\n"
	"                date each entry last changed, and changes.html\n"
	"  --no-cache    annotate every article and read every front matter\n"
	"                again: neither read nor save what earlier runs\n"
	"                found (see below)\n"
	"  -q, --quiet   build: say nothing but problems\n"
	"  -v, --verbose name every file written or kept, what was checked,\n"
	"                how many articles were annotated and front matters\n"
	"                read from the cache, how many articles' Markdown\n"
	"                was parsed, captures and .md files read, and how\n"
	"                much of the search index and archive.json a\n"
	"                rebuild copied from the previous site\n"
	"  --from RAW    new article: the text as captured\n"
	"  --date DATE   new article or proposal: its date, when the ID does\n"
	"                not start with it (YYYY, YYYY-MM or YYYY-MM-DD)\n"
	"  --by PARTY    new proposal: who proposed it, when the ID does not\n"
	"                name the party\n"
	"  --help        show this help\n"
	"  --version     show the version\n"
	"\n"
	"Problems are reported as FILE:LINE:COL: error: MESSAGE, all of\n"
	"them in one run; a build with errors writes nothing.\n"
	"\n"
	"When CONTENT is in a git repository, each entry's page says when its\n"
	"files last changed and in how many commits, and changes.html lists\n"
	"the latest commits that changed them (read from the repository, so\n"
	"the same commit gives the same site).\n"
	"\n"
	"What annotating each article found (where its notes' passages are,\n"
	"which parties it mentions) is kept by a build in a cache file\n"
	"under $XDG_CACHE_HOME/gloss (or ~/.cache/gloss), one per content\n"
	"folder, so that the next build or check annotates only the articles\n"
	"whose files, positions, omit lines or party aliases changed, and\n"
	"parses the Markdown of the others only for the pages that show it;\n"
	"and\n"
	"each file's front matter as read, in a second file, so that only\n"
	"front matter that changed is read through libyaml again; and where\n"
	"each entry is in the archive.json a build wrote, and what its\n"
	"search index holds, in a third, so that the next build copies\n"
	"from them without reading them through.\n"
	"The site is the same bytes with or without them; delete them at\n"
	"will.\n"
	"\n"
	"exit status: 0 success, 1 errors in the archive, 2 usage errors,\n"
	"3 failure to read or write.\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "gloss: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage_text);
	return EXIT_USAGE;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The folder holding the gloss program, for finding installed themes. */
static char *program_dir(void)
{
	char *exe = realpath("/proc/self/exe", NULL);
	if (!exe)
		return NULL;
	char *slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	return exe;
}

/* SPEC §4: themes/NAME beside the content folder, then in gloss's
 * installation. Returns a path the caller frees, or NULL. */
static char *find_theme(const char *content, const char *name)
{
	struct buf b;
	char *dir = NULL;
	buf_init(&b);
	buf_addf(&b, "%s/../themes/%s", content, name);
	if (is_dir(b.data))
		dir = buf_detach(&b, NULL);
	char *prog = dir ? NULL : program_dir();
	const char *const installed[] = {"../themes", "../share/gloss/themes"};
	for (size_t i = 0; prog && !dir && i < 2; i++) {
		buf_reset(&b);
		buf_addf(&b, "%s/%s/%s", prog, installed[i], name);
		if (is_dir(b.data))
			dir = buf_detach(&b, NULL);
	}
	free(prog);
	buf_release(&b);
	return dir;
}

static void summary(const struct diag *d)
{
	if (d->errors || d->warnings)
		fprintf(stderr, "gloss: %zu error%s, %zu warning%s\n", d->errors,
			d->errors == 1 ? "" : "s", d->warnings,
			d->warnings == 1 ? "" : "s");
}

enum verbosity { QUIET, NORMAL, VERBOSE };

/* What the editor sees while files are written: nothing (--quiet), a
 * progress line on a terminal for large builds, or each file (--verbose);
 * and, at the end, how many pages of each kind. */
struct progress {
	enum verbosity verbosity;
	bool tty;
	size_t expected; /* about how many files the build writes */
	size_t files, shown;
	size_t pages[5]; /* articles, parties, proposals, other pages, html */
};

/* Below this many files a build is quick: no progress line. */
#define PROGRESS_MIN_FILES 1000

static void on_file(void *arg, const char *rel, bool unchanged)
{
	struct progress *p = arg;
	size_t len = strlen(rel);
	p->files++;
	if (len > 5 && strcmp(rel + len - 5, ".html") == 0) {
		const char *const dirs[] = {"articles/", "parties/", "proposals/"};
		size_t kind = 3;
		/* An entry's page is DIR/ID.html; lists are DIR/index.html
		 * and pages in folders below (DIR/2015/index.html). */
		for (size_t k = 0; k < 3; k++)
			/* An entry's page, not a list's (index.html, or a
			 * year's page in a folder below). */
			if (strncmp(rel, dirs[k], strlen(dirs[k])) == 0 &&
			    strcmp(rel + strlen(dirs[k]), "index.html") != 0 &&
			    !strchr(rel + strlen(dirs[k]), '/'))
				kind = k;
		p->pages[kind]++;
		p->pages[4]++;
	}
	if (p->verbosity == VERBOSE) {
		fprintf(stderr, "gloss: %s %s\n", unchanged ? "kept" : "wrote", rel);
	} else if (p->verbosity == NORMAL && p->tty &&
		   p->expected >= PROGRESS_MIN_FILES &&
		   p->files - p->shown >= p->expected / 100) {
		p->shown = p->files;
		fprintf(stderr, "\rgloss: writing files: %zu of about %zu",
			p->files, p->expected);
	}
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Notes and positions anchored, and mentions found. */
static void archive_counts(const struct archive *a, size_t *notes,
			   size_t *positions, size_t *mentions)
{
	*notes = *positions = *mentions = 0;
	for (size_t i = 0; i < a->article_count; i++) {
		const struct article *art = a->articles[i];
		*notes += art->note_count;
		for (size_t j = 0; j < art->position_count; j++)
			*positions += art->positions[j]->anchored;
		for (size_t j = 0; j < art->mention_count; j++)
			*mentions += art->mentions[j].count;
	}
}

/* The records of the "archive" cache: archive.json's index, and the
 * search index's record. */
#define ARCHIVE_INDEX_KEY 1
#define SEARCH_INDEX_KEY 2

/* The caches are saved as one of the jobs that render pages (site_hooks):
 * in a one-note rebuild archive.json's job is most of the rendering, and
 * leaves the other core idle. Rendering reads nothing that saving
 * writes. */
static void save_caches(void *arg)
{
	archive_save_cache(arg);
}

/* What is reported of the archive, noted when it is let go of, and the
 * thread that frees it. */
struct archive_end {
	struct archive *a; /* NULL once let go of */
	struct archive *kept; /* let go of, left to the exit */
	size_t articles, trees_parsed, texts_read, sources_read, tree_misfits;
	size_t proposals, proposal_trees_parsed, proposal_sources_read;
	pthread_t freeing;
	bool started;
};

static void note_archive(struct archive_end *e, const struct archive *a)
{
	e->articles = a->article_count;
	e->trees_parsed = a->trees_parsed;
	e->proposals = a->proposal_count;
	e->proposal_trees_parsed = a->proposal_trees_parsed;
	e->proposal_sources_read = a->proposal_sources_read;
	e->texts_read = a->texts_read;
	e->sources_read = a->sources_read;
	e->tree_misfits = a->tree_misfits;
}

static void *free_archive(void *arg)
{
	archive_free(arg);
	return NULL;
}

/* Lets go of the archive once nothing more reads it (site_hooks'
 * rendered, or after site_build): its caches are saved unless the job
 * aside did, what is reported of it is noted, and it is freed on a
 * thread of its own while the site is put in place. */
static void end_archive(void *arg)
{
	struct archive_end *e = arg;
	struct archive *a = e->a;
	if (!a)
		return;
	archive_save_cache(a);
	note_archive(e, a);
	e->a = NULL;
	if (!GLOSS_FREE_AT_EXIT) {
		e->kept = a;
		return;
	}
	e->started = pthread_create(&e->freeing, NULL, free_archive, a) == 0;
	if (!e->started)
		archive_free(a);
}

static int run(bool build, const char *content, const char *theme_dir,
	       const char *output, bool with_history, bool use_cache,
	       enum verbosity verbosity, unsigned jobs)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct diag d;
	struct theme theme = {0};
	struct history history = {0};
	bool have_theme = false, have_history = false;
	char *found = NULL;
	int rc = EXIT_OK;
	diag_init(&d, stderr);
	/* The site being replaced is read meanwhile (prevsite.h), its
	 * archive.json and search index by the records the build before it
	 * kept in the cache, when they describe them still (dprev.h,
	 * sprev.h). The cache covers gloss and its libraries. */
	struct prev_site prev;
	struct archive_end end = {0};
	struct acache layout;
	struct buf data_index, search_index;
	size_t data_len = 0, search_len = 0;
	buf_init(&data_index);
	buf_init(&search_index);
	acache_open(&layout, content, "archive",
		    inputs_identity_digest(15).h, build && use_cache);
	const unsigned char *data_record =
	    acache_get(&layout, ARCHIVE_INDEX_KEY, &data_len);
	const unsigned char *search_record =
	    acache_get(&layout, SEARCH_INDEX_KEY, &search_len);
	if (build)
		prev_site_start(&prev, output, data_record, data_len,
				search_record, search_len);
	struct archive *a = archive_load_cached(
	    content, jobs, !use_cache ? CACHE_OFF : build ? CACHE_SAVE : CACHE_READ,
	    &d);
	/* A broken archive.yaml has been reported; its theme is unknown. */
	if (a && !theme_dir && a->config_ok) {
		found = find_theme(content, a->theme);
		if (!found)
			diag_error(&d, a->config_path, a->theme_line, a->theme_col,
				   "theme '%s' not found "
				   "in themes/ beside the content folder or in "
				   "gloss's installation; check 'theme', or give "
				   "a theme folder with -t", a->theme);
		theme_dir = found;
	}
	if (a && theme_dir)
		have_theme = theme_load(&theme, theme_dir, &d) == 0;
	if (d.errors) {
		summary(&d);
		fprintf(stderr, "gloss: nothing written\n");
		rc = EXIT_CONTENT;
		goto out;
	}
	if (with_history) {
		history_load(&history, content, &d);
		have_history = true;
	}
	size_t notes, positions, mentions;
	archive_counts(a, &notes, &positions, &mentions);
	if (verbosity == VERBOSE)
		fprintf(stderr, "gloss: checked %s in %.2f s: %zu articles, %zu "
			"parties, %zu proposals, %zu pages; %zu notes and %zu "
			"positions anchored, %zu mentions\n", content,
			seconds_since(&t0), a->article_count, a->party_count,
			a->proposal_count, a->page_count, notes, positions,
			mentions);
	if (verbosity == VERBOSE && use_cache)
		fprintf(stderr, "gloss: annotations: %zu of %zu articles from "
			"the cache\n", a->cached, a->article_count);
	if (verbosity == VERBOSE && use_cache)
		fprintf(stderr, "gloss: folders: %zu of %zu listed from the "
			"cache\n", a->folders_remembered, a->folders_listed);
	if (verbosity == VERBOSE && use_cache)
		fprintf(stderr, "gloss: front matter: %zu of %zu files from the "
			"cache\n", a->fm_cached,
			a->article_count + a->proposal_count + a->party_count +
			    a->page_count + (a->index != NULL));
	if (verbosity == VERBOSE && history.present)
		fprintf(stderr, "gloss: history: %zu commit%s changed %s%s\n",
			history.commit_count,
			history.commit_count == 1 ? "" : "s", content,
			history.partial ? " (partial: shallow clone)" : "");
	if (build && have_theme) {
		struct site_stats stats;
		struct progress p = {verbosity, isatty(STDERR_FILENO) == 1,
				     2 * a->article_count + a->party_count +
					 a->proposal_count + a->page_count + 16,
				     0, 0, {0}};
		struct site_hooks hooks = {on_file, &p, jobs, &prev,
					   use_cache ? &data_index : NULL,
					   use_cache ? &search_index : NULL,
					   save_caches, a, end_archive, &end};
		/* The archive and theme are sound: what annotating found is
		 * kept for the next run, by the job aside unless the build
		 * stopped before its pages. */
		end.a = a;
		rc = site_build(a, &theme, &history, output, &hooks, &stats,
				&d);
		end_archive(&end);
		a = NULL;
		if (rc == 0 && (data_index.len || search_index.len)) {
			/* archive.json's stamp, now that it is in place (the
			 * search index's job stamped its files). */
			char *data_path = path_join(output, "archive.json");
			uint64_t since = file_stamp_clock_past(data_path);
			dprev_record_stamp(&data_index, data_path, since);
			free(data_path);
			acache_prepare(&layout, 2, 1);
			if (data_index.len)
				acache_put_kept(&layout, 0, ARCHIVE_INDEX_KEY,
						data_index.data, data_index.len);
			if (search_index.len)
				acache_put_kept(&layout, 1, SEARCH_INDEX_KEY,
						search_index.data,
						search_index.len);
			acache_save(&layout);
		}
		if (p.shown)
			fputs("\r\033[K", stderr);
		summary(&d);
		if (rc != 0)
			fprintf(stderr, "gloss: nothing written\n");
		if (rc == 0 && verbosity != QUIET) {
			fprintf(stderr, "gloss: built %s in %.2f s: %zu files, %zu "
				"rewritten, %zu unchanged\n", output,
				seconds_since(&t0), stats.files,
				stats.files - stats.unchanged, stats.unchanged);
			fprintf(stderr, "gloss: pages: %zu articles, %zu parties, "
				"%zu proposals, %zu others; %zu notes and %zu "
				"positions anchored, %zu mentions\n", p.pages[0],
				p.pages[1], p.pages[2], p.pages[3], notes,
				positions, mentions);
		}
		if (rc == 0 && verbosity != QUIET && stats.search_index_bytes)
			fprintf(stderr, "gloss: search index: %zu bytes in %zu "
				"files; entry file %zu bytes, largest other "
				"%zu bytes\n", stats.search_index_bytes,
				stats.search_files, stats.search_entry_bytes,
				stats.search_largest);
		if (rc == 0 && verbosity == VERBOSE && stats.search_index_bytes)
			fprintf(stderr, "gloss: search index: %zu of %zu "
				"entries copied from the previous build%s\n",
				stats.search_reused, stats.search_entries,
				prev.index_ok && prev.index.indexed
				    ? ", found by its record in the cache"
				    : "");
		if (rc == 0 && verbosity == VERBOSE && prev.index_ok &&
		    prev.index.indexed)
			fprintf(stderr, "gloss: search index: %zu of %zu files "
				"found unchanged by their stamps\n",
				prev.index.files_stamped,
				prev.index.files_looked_at);
		if (rc == 0 && verbosity == VERBOSE && stats.search_recorded)
			fprintf(stderr, "gloss: search index: %zu of %zu files "
				"stamped once written, the rest kept untouched "
				"with their stamps\n", stats.search_stamped,
				stats.search_recorded);
		if (rc == 0 && verbosity == VERBOSE && stats.data_entries)
			fprintf(stderr, "gloss: archive.json: %zu of %zu "
				"entries copied from the previous build%s\n",
				stats.data_copied, stats.data_entries,
				prev.data_ok && prev.data.indexed
				    ? ", found by its index in the cache"
				    : "");
	} else {
		summary(&d);
	}
	if (a)
		note_archive(&end, a);
	/* Pages parse an article's Markdown when they first need it
	 * (annotate.h): how many did is known once they are written. */
	if (verbosity == VERBOSE && use_cache && d.errors == 0)
		fprintf(stderr, "gloss: Markdown: %zu of %zu articles parsed\n",
			end.trees_parsed, end.articles);
	if (verbosity == VERBOSE && use_cache && d.errors == 0)
		fprintf(stderr, "gloss: Markdown: %zu of %zu proposals parsed\n",
			end.proposal_trees_parsed, end.proposals);
	/* Captures, likewise, are read when first needed once their stamps
	 * are known (archive.h). */
	if (verbosity == VERBOSE && use_cache && d.errors == 0)
		fprintf(stderr, "gloss: captures: %zu of %zu read\n",
			end.texts_read, end.articles);
	if (verbosity == VERBOSE && use_cache && d.errors == 0)
		fprintf(stderr, "gloss: articles' .md files: %zu of %zu read\n",
			end.sources_read, end.articles);
	if (verbosity == VERBOSE && use_cache && d.errors == 0)
		fprintf(stderr, "gloss: proposals' files: %zu of %zu read\n",
			end.proposal_sources_read, end.proposals);
	if (end.tree_misfits)
		fprintf(stderr, "gloss: warning: what the annotation cache kept "
			"of %zu article%s did not fit %s Markdown, whose notes "
			"may be missing from pages; build again with "
			"--no-cache\n", end.tree_misfits,
			end.tree_misfits == 1 ? "" : "s",
			end.tree_misfits == 1 ? "its" : "their");
out:
	if (!GLOSS_FREE_AT_EXIT) {
		/* The previous site, if it was not kept, is being removed,
		 * and a new folder not committed is still there. */
		if (build)
			prev_site_settle(&prev);
		/* What is left is held by this frame, for the leak
		 * checkers to find; this alone may be in no other place. */
		free(found);
		fflush(stdout);
		exit(rc);
	}
	/* The archive goes first: the previous site, if replaced, is being
	 * removed meanwhile, and prev_site_release waits for that. */
	if (have_history)
		history_release(&history);
	if (have_theme || theme.dir)
		theme_release(&theme);
	free(found);
	if (end.started)
		pthread_join(end.freeing, NULL);
	archive_free(a);
	if (build)
		prev_site_release(&prev);
	acache_release(&layout);
	buf_release(&data_index);
	buf_release(&search_index);
	return rc;
}

/* gloss new KIND ID [options] */
static int run_new(int argc, char **argv)
{
	struct scaffold_options o = {"content", NULL, NULL, NULL, NULL, NULL};
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i];
		const char **target = NULL;
		if (strcmp(opt, "-C") == 0)
			target = &o.content;
		else if (strcmp(opt, "--from") == 0)
			target = &o.from;
		else if (strcmp(opt, "--date") == 0)
			target = &o.date;
		else if (strcmp(opt, "--by") == 0)
			target = &o.by;
		else if (opt[0] == '-')
			return usage_error("unknown option '%s'", opt);
		else if (!o.kind)
			o.kind = opt;
		else if (!o.id)
			o.id = opt;
		else
			return usage_error("unexpected argument '%s'", opt);
		if (target && i + 1 >= argc)
			return usage_error("option '%s' needs a value", opt);
		if (target)
			*target = argv[++i];
	}
	if (!o.kind || !o.id)
		return usage_error("%s", "new needs a kind (article, party, "
				   "proposal or page) and an ID");
	struct diag d;
	diag_init(&d, stderr);
	xmlInitParser();
	int rc = scaffold_new(&o, &d);
	xmlCleanupParser();
	return rc;
}

int main(int argc, char **argv)
{
	const char *content = "content", *theme = NULL, *output = "output";
	int rc;
	/* Before libxml2 allocates anything, and before any thread. */
	xml_arena_install();
	if (argc < 2)
		return usage_error("%s", "no command given");
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		fputs("\n", stdout);
		fputs(help_text, stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("gloss %s\n", GLOSS_VERSION);
		return EXIT_OK;
	}
	if (strcmp(cmd, "new") == 0)
		return run_new(argc, argv);
	bool build = strcmp(cmd, "build") == 0;
	if (!build && strcmp(cmd, "check") != 0)
		return usage_error("unknown command '%s'", cmd);
	enum verbosity verbosity = NORMAL;
	bool with_history = true, use_cache = true;
	const char *jobs_arg = NULL;
	long processors = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned jobs = processors > 0 ? (unsigned)(processors < 64 ? processors
								      : 64)
				       : 1;
	for (int i = 2; i < argc; i++) {
		const char *opt = argv[i];
		const char **target = NULL;
		if (strcmp(opt, "--no-history") == 0) {
			with_history = false;
			continue;
		}
		if (strcmp(opt, "--no-cache") == 0) {
			use_cache = false;
			continue;
		}
		if (strcmp(opt, "-q") == 0 || strcmp(opt, "--quiet") == 0) {
			verbosity = QUIET;
			continue;
		}
		if (strcmp(opt, "-v") == 0 || strcmp(opt, "--verbose") == 0) {
			verbosity = VERBOSE;
			continue;
		}
		if (strcmp(opt, "-C") == 0)
			target = &content;
		else if (strcmp(opt, "-t") == 0 && build)
			target = &theme;
		else if (strcmp(opt, "-o") == 0 && build)
			target = &output;
		else if (strcmp(opt, "-j") == 0)
			target = &jobs_arg;
		else
			return usage_error("unknown option '%s'", opt);
		if (i + 1 >= argc)
			return usage_error("option '%s' needs a value", opt);
		*target = argv[++i];
	}
	if (jobs_arg) {
		char *end;
		errno = 0;
		long n = strtol(jobs_arg, &end, 10);
		if (errno || *end || end == jobs_arg || n < 1 || n > 1024)
			return usage_error("-j needs a number of threads to "
					   "build on, from 1 to 1024, not '%s'",
					   jobs_arg);
		jobs = (unsigned)n;
	}
	xmlInitParser();
	rc = run(build, content, theme, output, with_history, use_cache,
		 verbosity, jobs);
	xmlCleanupParser();
	return rc;
}
