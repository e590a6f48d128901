/* Warnings for what is legal but likely wrong: a party no article
 * mentions or names, a proposal with no position, a note that links no
 * entry. They run on an archive that loaded without errors. */
#ifndef GLOSS_LINT_H
#define GLOSS_LINT_H

#include "archive.h"
#include "diag.h"

void lint_archive(const struct archive *a, struct diag *d);

#endif
