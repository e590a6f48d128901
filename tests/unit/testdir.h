/* A folder for a unit test's files: in memory where there is a tmpfs
 * (/dev/shm), since tests that build indexes write thousands of files,
 * which this machine's disk creates slowly; under /tmp otherwise. */
#ifndef GLOSS_TESTDIR_H
#define GLOSS_TESTDIR_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Makes a new folder named after NAME into DIR (SIZE bytes); 0 on
 * success, -1 otherwise, as cmocka's setups return. */
static inline int testdir_make(char *dir, size_t size, const char *name)
{
	snprintf(dir, size, "%s/gloss-test-%s-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", name);
	return mkdtemp(dir) ? 0 : -1;
}

#endif
