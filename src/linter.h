/* linter.h - the insides of clint_linter, shared with the run (which may
 * add a course's own rule file on top of the linter's). */
#ifndef CLINT_LINTER_H
#define CLINT_LINTER_H

#include "rules.h"

struct clint_linter {
  struct arena arena; /* the parsed rule files */
  struct vec files;   /* struct rule_file, in load order */
  struct rules rules;
  bool built;
};

/* Parse a rule file and rebuild the rules; on failure the linter is as
 * it was. */
clint_status linter_add_file(clint_linter *l, const char *name,
                             const char *text, size_t len, clint_error *err);

/* Read a whole rule file (at most 4 MiB) into a malloc'd buffer. */
clint_status linter_read_file(const char *path, char **text, size_t *len,
                              clint_error *err);

#endif
