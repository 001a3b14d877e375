/* changes.h - the pages a change touches, from git (see changes.c). */
#ifndef CLINT_CLI_CHANGES_H
#define CLINT_CLI_CHANGES_H

#include <stdbool.h>
#include <stddef.h>

#include "courselint.h"

enum changes_mode {
  CHANGES_STAGED, /* the staged changes against HEAD */
  CHANGES_SINCE,  /* the work tree against the merge base with a ref */
};

/* Add the run's targets (pages added, changed or renamed to) and pages
 * gone (deleted, renamed from) for the changes of the git work tree
 * holding the run's root; *count gets how many paths were added. Returns
 * 0, or -1 with msg saying why: not a work tree, an unknown ref, git
 * missing. */
int changes_add(clint_run *run, enum changes_mode mode, const char *ref,
                size_t *count, char *msg, size_t cap);

#endif
