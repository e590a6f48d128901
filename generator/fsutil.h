/* File system helpers. Each returns 0 on success and -1 on failure with
 * errno set, so the caller can say which file failed and why. */
#ifndef GLOSS_FSUTIL_H
#define GLOSS_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

/* Joins A and B with one '/'; the caller frees the result. */
char *path_join(const char *a, const char *b);

/* Names in DIR, sorted bytewise so that output never depends on the file
 * system's order; "." and ".." are left out. *NAMES is an array of
 * *COUNT strings the caller frees with names_free. A missing DIR gives 0
 * names and success. */
int list_dir(const char *dir, char ***names, size_t *count);
void names_free(char **names, size_t count);

/* What the directory says an entry is, without a stat: a link is
 * UNKNOWN, as is anything on a file system that does not say. */
enum entry_type { ENTRY_TYPE_UNKNOWN, ENTRY_TYPE_FILE, ENTRY_TYPE_DIR };

/* As list_dir, with *TYPES (the caller frees it; TYPES may be NULL) the
 * type of each name. */
int list_dir_types(const char *dir, char ***names, enum entry_type **types,
		   size_t *count);
/* As list_dir_types, with only the names for which KEEP(ARG, NAME, TYPE)
 * is true: those left out are neither copied nor sorted. */
int list_dir_kept(const char *dir,
		  bool (*keep)(void *arg, const char *name,
			       enum entry_type type),
		  void *arg, char ***names, enum entry_type **types,
		  size_t *count);

/* Reads the whole file at PATH into *DATA (NUL-terminated; caller frees).
 * Files larger than LIMIT bytes are not read: returns -2 with *LEN set to
 * the size. */
int read_file(const char *path, size_t limit, char **data, size_t *len);
/* As read_file, with FLAGS added to open's: O_NOFOLLOW reads a file
 * without a stat beforehand to learn it is no symlink (the open fails
 * with ELOOP when it is). */
int read_file_flags(const char *path, int flags, size_t limit, char **data,
		    size_t *len);

/* A file's bytes, mapped read-only and private: its pages are the file
 * system's, neither copied nor given memory of gloss's own, for a file
 * only ever replaced whole (a file of the previous site). The bytes are
 * not NUL-terminated. */
struct mapped_file {
	const char *data; /* "" for an empty file */
	size_t len;
};

/* Maps the regular file at PATH, when it is at most LIMIT bytes: 0, or
 * -1 (with errno set) leaving *M empty. */
int mapped_file_open(const char *path, size_t limit, struct mapped_file *m);
void mapped_file_release(struct mapped_file *m);

/* Creates DIR and its missing parents. */
int make_dirs(const char *dir);

/* Writes LEN bytes to PATH, creating or truncating it. */
int write_file(const char *path, const void *data, size_t len);

/* Opens PATH as a new, empty file for writing. What is at PATH already
 * is unlinked first, never written through: it may be a hard link to a
 * file that must keep its bytes (a page of the site being served). */
int open_new_file(const char *path);
/* Writes LEN bytes to PATH as open_new_file makes it. */
int write_new_file(const char *path, const void *data, size_t len);
/* Links FROM at TO, in place of what is at TO already. */
int link_replacing(const char *from, const char *to);

/* Writes all LEN bytes to the open file FD. */
int write_all(int fd, const void *data, size_t len);

/* Lets go of the pages of a private read-only mapping of a file, at
 * BASE, before AT, once there are a step of them (16 MiB) past
 * *RELEASED, which it moves on: read again, they come back from the
 * file. A file of a gigabyte read through so does not stay in memory. */
void release_mapped(const void *base, size_t *released, size_t at);

/* Whether the files A and B hold the same bytes, read a piece at a time
 * so that neither is held whole; false when either cannot be read. */
bool same_bytes(const char *a, const char *b);

/* What a file looks like on disk: inode, size, modification and change
 * times. A file gloss wrote that still looks as it did once the build
 * that wrote it was over (every later write or link to it moves its
 * change time) holds the bytes that build wrote, and need not be read
 * through to tell. A stamp whose INO is 0 is no stamp and equals none. */
struct file_stamp {
	uint64_t ino, size, mtime_ns, ctime_ns;
};

/* The stamp of the file ST describes. */
struct file_stamp file_stamp_of(const struct stat *st);
/* The stamp of the file at PATH, not following a link; no stamp when it
 * cannot be read. */
struct file_stamp file_stamp_at(const char *path);
/* The clock file times are taken from (coarse: a tick of some
 * milliseconds), in nanoseconds. */
uint64_t file_stamp_clock(void);
/* file_stamp_clock, read once it has moved past the time PATH last
 * changed, waiting for that a few milliseconds at most: a file written
 * in the same tick as it is stamped gets no stamp (file_stamp_settled),
 * which a build that ends within that tick would otherwise leave. */
uint64_t file_stamp_clock_past(const char *path);
/* The stamp of the file at PATH when it can be told from any later
 * change to it: its change time is before SINCE, file_stamp_clock's
 * reading before this call. A change within the tick it was last changed
 * in could leave its stamp the same: such a file, or one on a file
 * system that keeps whole seconds only and changed in the last two,
 * has no stamp. */
struct file_stamp file_stamp_settled(const char *path, uint64_t since);
/* file_stamp_settled of the file ST describes. */
struct file_stamp file_stamp_settled_of(const struct stat *st, uint64_t since);
bool file_stamp_equal(const struct file_stamp *a, const struct file_stamp *b);

/* Removes PATH and everything below it; a missing PATH is success. */
int remove_tree(const char *path);

#endif
