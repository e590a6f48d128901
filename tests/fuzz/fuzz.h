/* What the libFuzzer targets share: a diagnostics sink that throws the
 * messages away, and CHECK, which stops the run where a promise that a
 * header makes is broken, so that libFuzzer reports it as a crash and
 * keeps the input. Each target is one file, fuzz_NAME.c, built with
 * clang -fsanitize=fuzzer,address,undefined (see the Makefile). */
#ifndef GLOSS_FUZZ_H
#define GLOSS_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant: say which, then trap so that libFuzzer saves the
 * input that broke it. */
#define CHECK(cond)                                                     \
	do {                                                            \
		if (!(cond)) {                                          \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", \
				__FILE__, __LINE__, #cond);             \
			__builtin_trap();                               \
		}                                                       \
	} while (0)

/* Diagnostics go to /dev/null: the targets look for crashes, leaks and
 * broken invariants, not for messages. The stream is opened once. With
 * GLOSS_FUZZ_VERBOSE set they go to stderr, to see what an input does. */
static inline void fuzz_diag(struct diag *d)
{
	static FILE *out;
	if (!out)
		out = getenv("GLOSS_FUZZ_VERBOSE") ? stderr
						   : fopen("/dev/null", "w");
	if (!out)
		abort();
	diag_init(d, out);
}

#endif
