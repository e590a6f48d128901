#include "gitlib.h"

#include <dlfcn.h>
#include <git2.h>
#include <stdarg.h>
#include <stddef.h>

#include "xalloc.h"

#ifndef GLOSS_LIBGIT2
#error "GLOSS_LIBGIT2 names libgit2's soname (the Makefile sets it)"
#endif
/* Empty when the Makefile could not read it (no libgit2, no objdump):
 * dlopen("") would give gloss itself. */
_Static_assert(sizeof GLOSS_LIBGIT2 > 1, "libgit2's soname is unknown: "
	       "install libgit2-dev and binutils");

/* Every libgit2 function history.c calls: its return type, name,
 * parameters and the arguments passed on. VOID_FN for those that return
 * nothing. git_libgit2_opts, which takes "...", is apart (below). */
#define GIT_FUNCTIONS(FN, VOID_FN)                                            \
	FN(int, git_libgit2_init, (void), ())                                 \
	FN(int, git_libgit2_shutdown, (void), ())                             \
	FN(const git_error *, git_error_last, (void), ())                     \
	FN(int, git_repository_open_ext,                                      \
	   (git_repository **out, const char *path, unsigned int flags,       \
	    const char *ceiling_dirs),                                        \
	   (out, path, flags, ceiling_dirs))                                  \
	VOID_FN(git_repository_free, (git_repository *repo), (repo))          \
	FN(int, git_repository_head_unborn, (git_repository *repo), (repo))   \
	FN(int, git_repository_is_shallow, (git_repository *repo), (repo))    \
	FN(const char *, git_repository_workdir,                              \
	   (const git_repository *repo), (repo))                              \
	FN(int, git_reference_name_to_id,                                     \
	   (git_oid *out, git_repository *repo, const char *name),            \
	   (out, repo, name))                                                 \
	FN(int, git_oid_equal, (const git_oid *a, const git_oid *b), (a, b))  \
	FN(char *, git_oid_tostr, (char *out, size_t n, const git_oid *id),   \
	   (out, n, id))                                                      \
	FN(int, git_commit_lookup,                                            \
	   (git_commit **commit, git_repository *repo, const git_oid *id),    \
	   (commit, repo, id))                                                \
	VOID_FN(git_commit_free, (git_commit *commit), (commit))              \
	FN(int, git_commit_parent,                                            \
	   (git_commit **out, const git_commit *commit, unsigned int n),      \
	   (out, commit, n))                                                  \
	FN(const git_oid *, git_commit_parent_id,                             \
	   (const git_commit *commit, unsigned int n), (commit, n))           \
	FN(unsigned int, git_commit_parentcount, (const git_commit *commit),  \
	   (commit))                                                          \
	FN(const char *, git_commit_summary, (git_commit *commit), (commit))  \
	FN(git_time_t, git_commit_time, (const git_commit *commit), (commit)) \
	FN(int, git_commit_time_offset, (const git_commit *commit), (commit)) \
	FN(int, git_commit_tree,                                              \
	   (git_tree **tree_out, const git_commit *commit),                   \
	   (tree_out, commit))                                                \
	FN(int, git_tree_lookup,                                              \
	   (git_tree **out, git_repository *repo, const git_oid *id),         \
	   (out, repo, id))                                                   \
	VOID_FN(git_tree_free, (git_tree *tree), (tree))                      \
	FN(const git_oid *, git_tree_id, (const git_tree *tree), (tree))      \
	FN(size_t, git_tree_entrycount, (const git_tree *tree), (tree))       \
	FN(const git_tree_entry *, git_tree_entry_byindex,                    \
	   (const git_tree *tree, size_t idx), (tree, idx))                   \
	FN(int, git_tree_entry_bypath,                                        \
	   (git_tree_entry **out, const git_tree *root, const char *path),    \
	   (out, root, path))                                                 \
	FN(int, git_tree_entry_cmp,                                           \
	   (const git_tree_entry *e1, const git_tree_entry *e2), (e1, e2))    \
	FN(git_filemode_t, git_tree_entry_filemode,                           \
	   (const git_tree_entry *entry), (entry))                            \
	VOID_FN(git_tree_entry_free, (git_tree_entry *entry), (entry))        \
	FN(const git_oid *, git_tree_entry_id, (const git_tree_entry *entry), \
	   (entry))                                                           \
	FN(const char *, git_tree_entry_name, (const git_tree_entry *entry),  \
	   (entry))                                                           \
	FN(git_object_t, git_tree_entry_type, (const git_tree_entry *entry),  \
	   (entry))

#define POINTER(ret, name, params, args) ret(*name) params;
#define VOID_POINTER(name, params, args) void(*name) params;

struct functions {
	GIT_FUNCTIONS(POINTER, VOID_POINTER)
	int (*git_libgit2_opts)(int option, ...);
};

/* The addresses the library gave, once all were found. */
static struct functions lib;

#define CALL(ret, name, params, args) \
	ret name params { return lib.name args; }
#define VOID_CALL(name, params, args) \
	void name params { lib.name args; }

GIT_FUNCTIONS(CALL, VOID_CALL)

/* history.c sets one option, the cache limit of one kind of object,
 * whose arguments are an object type and a size_t; a function cannot
 * pass its own "..." on, so that option's are read and passed as such,
 * and any other is refused as libgit2 refuses an unknown one. */
int git_libgit2_opts(int option, ...)
{
	if (option != GIT_OPT_SET_CACHE_OBJECT_LIMIT)
		return -1;
	va_list ap;
	va_start(ap, option);
	int type = va_arg(ap, int);
	size_t limit = va_arg(ap, size_t);
	va_end(ap);
	return lib.git_libgit2_opts(option, type, limit);
}

/* The loader's message about what just failed, kept: dlerror's text
 * lasts only until the next call into the loader. */
static char *loader_error(const char *otherwise)
{
	const char *error = dlerror();
	return xstrdup(error ? error : otherwise);
}

/* Looks NAME up in HANDLE into *SLOT; false when the library lacks it.
 * Through a void pointer: POSIX gives dlsym's result as an object
 * pointer that holds a function's address. */
static bool find(void *handle, const char *name, void *slot)
{
	void *address = dlsym(handle, name);
	if (!address)
		return false;
	*(void **)slot = address;
	return true;
}

#define FIND(ret, name, params, args) \
	found = found && find(handle, #name, &got.name);
#define VOID_FIND(name, params, args) FIND(void, name, params, args)

bool gitlib_load_named(const char *soname, char **why)
{
	*why = NULL;
	/* RTLD_LOCAL: its names stay its own; gloss's are the ones above. */
	void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!handle) {
		*why = loader_error("cannot load the library");
		return false;
	}
	struct functions got;
	bool found = true;
	GIT_FUNCTIONS(FIND, VOID_FIND)
	found = found && find(handle, "git_libgit2_opts", &got.git_libgit2_opts);
	if (!found) {
		/* A libgit2 without one of them is not the one gloss was
		 * built against: it is let go of, and history left out. */
		*why = loader_error("a libgit2 function is missing");
		dlclose(handle);
		return false;
	}
	lib = got;
	return true;
}

bool gitlib_load(const char **why)
{
	/* What the first call found, for the later ones: the failure's
	 * message is kept for the process. */
	static bool tried, loaded;
	static char *failure;
	if (!tried) {
		tried = true;
		loaded = gitlib_load_named(GLOSS_LIBGIT2, &failure);
	}
	*why = failure;
	return loaded;
}
