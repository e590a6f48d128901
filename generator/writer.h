/* The output folder: a site is written into a new folder beside OUTPUT,
 * which takes OUTPUT's place only when complete, so a build that fails
 * half-way leaves the previous site whole.
 *
 * gloss owns only what it wrote: the files listed in the folder's
 * manifest. An unchanged file is not rewritten: the new folder gets a
 * hard link to the previous file, which so keeps its inode and
 * modification time. Files gloss no longer writes disappear with the
 * previous folder; files it never wrote are carried into the new one
 * untouched (hard-linked), and a folder that is not empty and has no
 * manifest is refused.
 *
 * The previous site, once replaced, is not removed: it stays beside
 * OUTPUT as OUTPUT.gloss-old, with a record (WRITER_SPARE) of where it
 * differs from the new site: the files written anew, and the files
 * gloss did not write that were carried. The next build takes that
 * folder as its new one and touches only those files and the ones it
 * changes itself, instead of linking every file of the site into an
 * empty folder and removing the previous one. A folder whose record is
 * missing, or made for another site than OUTPUT holds now, is removed
 * and the site built in an empty folder.
 *
 * The first failure is reported and stops every later write, so a build
 * reports one cause and leaves no half-written site. */
#ifndef GLOSS_WRITER_H
#define GLOSS_WRITER_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "diag.h"
#include "fsutil.h"
#include "map.h"

/* The name of the manifest gloss keeps in the output folder. */
#define WRITER_MANIFEST ".gloss-manifest"
/* The record gloss keeps in OUTPUT.gloss-old: the digest of the manifest
 * of the site it was replaced by, then a line for each file where the
 * two differ ("d PATH": written anew; "f PATH": a file gloss did not
 * write, carried; "e PATH": an empty folder likewise). */
#define WRITER_SPARE ".gloss-spare"

struct carry_walk;

struct writer {
	char *output;        /* owned: the output folder */
	char *stage;         /* owned: the folder being written beside it */
	char *old;           /* owned: where the previous site waits */
	/* owned: the manifest lines of the files written so far: the path,
	 * and for files of a keyed job, a tab, the job's tag, a tab and its
	 * key in hexadecimal */
	char **written;
	size_t written_count, written_cap;
	struct map prev_jobs; /* previous site: tag to struct prev_job */
	struct map dirs;     /* folders made so far (keys owned, freed) */
	char *prev_manifest; /* owned: the previous site's manifest, split */
	struct map prev;     /* its paths (keys borrow prev_manifest) */
	uint64_t prev_digest; /* of the previous site's manifest */
	/* The new folder is the recycled site before the previous one
	 * (writer_stage): */
	bool recycled;
	char *spare_manifest; /* owned: its manifest, split */
	struct map spare;    /* its paths (keys borrow spare_manifest) */
	const char **spare_paths; /* owned: the same, in its manifest's order */
	size_t spare_count;
	char *spare_record;  /* owned: its WRITER_SPARE record, split */
	struct map differs;  /* paths where it differs from the previous
				site: its files there are not the previous
				site's (keys borrow spare_record) */
	/* Read by writer_peek: the record fits the previous site, and its
	 * lines (in spare_record) of what gloss did not write there */
	bool spare_ok;
	char *spare_lines, *spare_end;
	bool had_output;     /* OUTPUT was there: it will be kept */
	/* WRITER_SPARE's lines to come: the manifest lines (borrowed from
	 * WRITTEN) of the files written anew in this build, and the record
	 * lines (owned) of what carry_foreign carried */
	char **fresh;
	size_t fresh_count, fresh_cap;
	char **carried;
	size_t carried_count, carried_cap;
	size_t files;        /* files written, manifest aside */
	size_t unchanged;    /* of which kept from the previous site */
	bool staged;         /* the new folder exists and is ours */
	/* Called after each file, when set: a progress line, or --verbose. */
	void (*on_file)(void *arg, const char *rel, bool unchanged);
	void *on_file_arg;
	bool failed;
	struct diag *d;      /* borrowed */
	/* The previous site, moved aside by writer_commit, is removed on a
	 * thread of its own while the caller frees what it built; the
	 * thread is joined by writer_release. */
	pthread_t remover;
	bool removing;
	/* What the previous site holds that gloss did not write is looked
	 * for from writer_stage on, on a thread of its own, while pages are
	 * made (owned; joined by writer_commit or writer_release). */
	struct carry_walk *ahead;
	pthread_t ahead_thread;
	bool ahead_joined;
	/* writer_emit, writer_copy and writer_tree may be called from several
	 * threads at once: the bookkeeping above is kept under this lock;
	 * the files themselves are written outside it. */
	pthread_mutex_t lock;
};

/* Prepares to write the site that will replace OUTPUT. Returns 0; or 2
 * when OUTPUT is not a folder gloss may replace, 3 when it cannot be read
 * or the new folder cannot be made, both reported through D. Call
 * writer_release in every case. */
int writer_open(struct writer *w, const char *output, struct diag *d);
/* writer_open in two steps. writer_peek only reads: whether OUTPUT may
 * be replaced, and the previous site's manifest; it may run before the
 * archive is known to be free of errors, which must leave nothing
 * written. writer_stage then makes the new folder. Each returns as
 * writer_open; call writer_release in every case. */
int writer_peek(struct writer *w, const char *output, struct diag *d);
int writer_stage(struct writer *w);

/* Waits for the walk of the previous site that writer_stage started,
 * for what it holds that gloss did not write. writer_commit waits for
 * it too, and looks again in every folder that has changed since. */
void writer_walk_wait(struct writer *w);
/* Incremental builds. A job is a unit of work that writes some files
 * from some inputs, named by a TAG ("article:ID") and summarised by a KEY
 * (a hash of everything its files are made from, 0 for none). Files
 * written by a thread after writer_job are recorded in the manifest with
 * that job's tag and key. When the previous site wrote the files of TAG
 * under the same KEY, writer_keep keeps them all (hard links, as for any
 * unchanged file) and returns true: the job need not run. */
void writer_job(struct writer *w, const char *tag, uint64_t key);
bool writer_keep(struct writer *w, const char *tag, uint64_t key);

/* Whether the previous site recorded job TAG under KEY (as writer_keep
 * would find it, without keeping anything). */
bool writer_prev_key(struct writer *w, const char *tag, uint64_t key);
/* The path of REL in the previous site when gloss wrote it there (its
 * manifest lists it), for the caller to free; NULL otherwise. */
char *writer_prev_file(struct writer *w, const char *rel);

/* Whether a write has failed: workers stop taking pages then. */
bool writer_failed(struct writer *w);

/* The paths written so far, sorted, one a line (the caller frees it):
 * the same whatever order threads wrote them in. */
char *writer_manifest(struct writer *w, size_t *len);

/* Writes LEN bytes of DATA to REL (a path relative to the site's root,
 * parents created as needed). */
void writer_emit(struct writer *w, const char *rel, const void *data,
		 size_t len);
/* A file too large to hold whole (archive.json), written a piece at a
 * time: append to DATA, call writer_file_flush now and then (it writes
 * only once a piece has gathered), and writer_file_close at the end. An
 * unchanged file is kept as writer_emit keeps it. */
struct writer_file {
	struct writer *w; /* borrowed */
	char *rel, *path; /* owned */
	int fd;           /* -1 once closed, or when nothing is written */
	int err;          /* errno of the first failed write, or 0 */
	struct buf data;  /* bytes not yet written */
	/* The previous site's file (writer_file_open_like): its bytes as
	 * the caller mapped them, and an open descriptor, borrowed. */
	const char *like;
	size_t like_len;
	int like_fd;
	size_t like_released; /* its pages before this have been let go */
	/* While every byte so far is the previous file's: how many; and
	 * whether a byte was found to differ from it, or to lie past its
	 * end. */
	bool matching, differs;
	size_t matched;
	/* Bytes of the previous file not yet written, which go before
	 * DATA's (writer_file_add_prev). */
	size_t run_start, run_end;
	/* The recycled folder's file to start from (writer_file_reuse). */
	struct file_stamp reuse_stamp;
	size_t reuse_len;
	/* It was: what it held past the new end is cut once written. */
	bool cut_at_end;
};

#define WRITER_PIECE (1 << 20)

/* Reports WHAT of the previous site's file REL, and fails the build:
 * nothing is written. */
void writer_error(struct writer *w, const char *rel, const char *what);

/* Keeps the previous site's file REL, which the caller knows to hold
 * the bytes it would write (LEN of them), without reading it: false, with
 * nothing written, when the previous site has no such file of that size,
 * and the caller writes it with writer_emit. *UNTOUCHED (when given) is
 * set when the file was kept without even a link made to it: the new
 * folder held it already, so its stamp is as it was. */
bool writer_emit_kept(struct writer *w, const char *rel, size_t len,
		      bool *untouched);

void writer_file_open(struct writer *w, struct writer_file *f,
		      const char *rel);
/* As writer_file_open, for a file that is likely the LEN bytes at PREV,
 * the previous site's REL as the caller mapped it from PREV_FD (both
 * alive until the file is closed; a private mapping, whose pages the
 * writer lets go of as it moves on): while its bytes are those, they are
 * compared, not written, and a file found the same at close is kept as
 * it is. The file is opened at the first byte that differs. */
void writer_file_open_like(struct writer *w, struct writer_file *f,
			   const char *rel, const char *prev, size_t len,
			   int prev_fd);
/* Appends, after DATA, the LEN bytes at START of the previous file of
 * writer_file_open_like, the caller knowing them to be the bytes that
 * come next: while the file is the previous one's bytes, and they are
 * where they were, nothing is read or written; otherwise they are copied
 * from file to file, runs of them at a time. DATA is emptied. With
 * GAP_SAME the caller knows DATA to be the previous file's bytes just
 * before START, which are then not read to be compared. */
void writer_file_add_prev(struct writer_file *f, size_t start, size_t len,
			  bool gap_same);
/* Tells F, opened like the previous file, that the folder the new site
 * is built in may hold, as REL, a file whose first LEN bytes are the
 * previous file's: the one that had STAMP (the file the previous one
 * replaced, recycled). When it still has that stamp and no other link,
 * the new file is made from it, cut after the bytes it shares with the
 * new one, instead of copying those from the previous file. */
void writer_file_reuse(struct writer_file *f, const struct file_stamp *stamp,
		       size_t len);
void writer_file_flush(struct writer_file *f);
void writer_file_close(struct writer_file *f);

/* Copies the file FROM to REL. */
void writer_copy(struct writer *w, const char *from, const char *rel);
/* Copies the folder FROM to REL, sorted, recursively; dot files are left
 * out. */
void writer_tree(struct writer *w, const char *from, const char *rel);

/* Completes the site: writes the manifest, removes from a recycled
 * folder the files gloss no longer writes, carries over the files gloss
 * did not write, and puts the new folder in OUTPUT's place (exchanged
 * with it in one step where the system can). When a write failed, or a
 * file gloss did not write is where the new site has one, removes the
 * new folder and leaves OUTPUT as it was. Returns 0, 2 or 3 as
 * writer_open. The previous site, once replaced, is kept as
 * OUTPUT.gloss-old with its record; when the record cannot be written,
 * it is removed in the background, and gone when writer_release
 * returns. */
int writer_commit(struct writer *w);

/* What writer_release does to the file system, without freeing: waits
 * until the previous site is removed, and removes the new folder if it
 * was not committed. For a process that lets the system take back its
 * memory at exit (main.c); writer_release still follows, if anything. */
void writer_settle(struct writer *w);

/* Frees the writer, once writer_settle has done its part. */
void writer_release(struct writer *w);

#endif
