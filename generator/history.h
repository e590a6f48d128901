/* History from git: when each entry's files last changed, how many
 * commits changed them, and the most recent commits that changed the
 * content folder. Read through libgit2, never by running git.
 *
 * The walk: every commit reachable from HEAD, ordered by committer time,
 * newest first, then by id, so the result depends on the commit alone.
 * Only paths inside the content folder count. A commit with one parent
 * changed what differs from its parent; a root commit, everything it
 * holds. A merge changed only what differs from every parent (what was
 * resolved or edited in the merge itself, as git's combined diff shows):
 * what a branch brought in is counted at the branch's own commits, not
 * twice. Dates are the committer's, in the committer's own UTC offset.
 *
 * An entry's files are content-relative paths: articles/ID.txt and
 * articles/ID.md (one entry: a commit changing both counts once),
 * parties/ID.md, proposals/ID.md, pages/ID.md, and index.md (the home
 * page). Other paths (archive.yaml, static/...) count as changes to the
 * content folder but belong to no entry.
 *
 * In a shallow clone the oldest commits' parents are missing: each is
 * read as if it added every file it holds, and the history is marked
 * partial. Uncommitted changes are not history. */
#ifndef GLOSS_HISTORY_H
#define GLOSS_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "archive.h"
#include "diag.h"
#include "map.h"

/* How many recent commits the history keeps for changes.html. */
#define HISTORY_CHANGES 100
/* How many entries and other files of one commit it keeps by name. */
#define HISTORY_CHANGE_FILES 50

/* A moment as git records it: seconds since the epoch and the UTC
 * offset, in minutes, of the committer's clock. */
struct history_time {
	long long seconds;
	int offset;
};

/* What git says of one entry (which may no longer be in the archive). */
struct history_entry {
	enum entry_kind kind;
	char *key;                /* owned: "articles/ID", "parties/ID",
				     "proposals/ID", "pages/ID" or "index" */
	const char *id;           /* the ID, in key */
	struct history_time last; /* the newest commit that changed it */
	size_t commits;           /* commits that changed its files */
	size_t last_change;       /* index in history->changes of the newest,
				     or HISTORY_NONE when it is older */
	size_t counted;           /* internal: 1 + index of the last commit
				     counted */
};

#define HISTORY_NONE ((size_t)-1)

/* One commit that changed the content folder. */
struct history_change {
	char id[41];              /* the commit id, hexadecimal */
	struct history_time time;
	char *subject;            /* owned: the message's first paragraph on
				     one line, valid UTF-8 without control
				     characters; untrusted text */
	struct history_entry **entries; /* the entries it changed, in path
					   order, at most HISTORY_CHANGE_FILES */
	size_t entry_count;
	size_t entry_total;       /* all entries it changed */
	char **others;            /* owned: other content-relative paths it
				     changed, at most HISTORY_CHANGE_FILES */
	size_t other_count;
	size_t other_total;
};

struct history {
	bool present;  /* a repository with commits that changed content/ */
	bool partial;  /* a shallow clone: older commits are missing */
	struct history_change *changes; /* newest first, HISTORY_CHANGES at
					   most */
	size_t change_count;
	size_t commit_count; /* all commits that changed content/ */
	struct history_entry **entries; /* owned, in no meaningful order */
	size_t entry_count, entry_cap;
	struct map by_key;   /* entry key to entry; keys borrowed from them */
};

/* Reads the history of CONTENT_DIR from the git repository holding it
 * (looked for in CONTENT_DIR and its parents). H is always initialised:
 * without a repository, with an unborn HEAD, or when no commit changed
 * the folder, H->present is false and nothing is reported; a repository
 * that cannot be read is reported through D as a warning and treated the
 * same. Release H with history_release in every case. */
void history_load(struct history *h, const char *content_dir,
		  struct diag *d);
void history_release(struct history *h);

/* The history of an entry, or NULL when no commit changed its files. */
const struct history_entry *history_find(const struct history *h,
					 enum entry_kind kind, const char *id);

/* The calendar day of T in its own offset, never the machine's zone. */
void history_date(const struct history_time *t, struct date *out);

#endif
