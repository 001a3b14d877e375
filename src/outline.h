/* outline.h - the course's modules, found from folder listings and the
 * rule set's roles and module patterns. */
#ifndef CLINT_OUTLINE_H
#define CLINT_OUTLINE_H

#include "index.h"

/* The module whose folder is dir (root-relative), or NULL: a folder
 * holding at least the rule set's min_files role files, or one whose name
 * matches its module pattern and holds any. Worked out on first use and
 * kept with the folder. */
struct module *outline_module(struct course *c, const char *dir,
                              pcre2_match_data *md);

#endif
