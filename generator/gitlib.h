/* libgit2, loaded when history is first read, not when gloss starts.
 *
 * Linked the usual way, libgit2 brings fifteen libraries (TLS, SSH,
 * Kerberos, HTTP) that the loader maps and relocates before main: 2.8 ms
 * of every run, and 1.7 ms of processor time, where a one-note rebuild of
 * 10,000 articles takes 150 ms. Only history.c uses libgit2, when a
 * build or a check reads history: --no-history, gloss new, --help and
 * --version never need it.
 *
 * history.c calls libgit2 by its own names, as git2.h declares them:
 * gitlib.c defines each name it uses as a call through the address the
 * library gave for it, with git2.h's prototype, so that the compiler
 * checks every one. The library is named by its soname, found by the
 * Makefile where pkg-config finds libgit2 (GLOSS_LIBGIT2). */
#ifndef GLOSS_GITLIB_H
#define GLOSS_GITLIB_H

#include <stdbool.h>

/* Loads libgit2 and finds every function history.c calls, once per
 * process; later calls return what the first found. False when it cannot:
 * then *WHY (kept for the process) says why, and no git_ function may be
 * called. Not thread-safe: history is read by one thread. */
bool gitlib_load(const char **why);
/* gitlib_load of the library SONAME, each time anew (for the tests): on
 * failure *WHY is the loader's message, for the caller to free. */
bool gitlib_load_named(const char *soname, char **why);

#endif
