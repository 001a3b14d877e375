/* outline.h - the course's modules and their lessons, found from folder
 * listings and the rule set's roles and module patterns. */
#ifndef CLINT_OUTLINE_H
#define CLINT_OUTLINE_H

#include "index.h"

/* The module whose folder is dir (root-relative), or NULL: a folder
 * holding at least the rule set's min_files role files, one whose name
 * matches its module pattern and holds any, or one whose path matches
 * modules.path. Worked out on first use and kept with the folder. */
struct module *outline_module(struct course *c, const char *dir,
                              pcre2_match_data *md);
/* The same for folder d (from index_dir, may be NULL). */
struct module *outline_module_in(struct course *c, struct dir *d,
                                 pcre2_match_data *md);

/* The module of the page at a root-relative path: that of its folder or
 * of the nearest folder above it that is one; NULL when none is. Looks
 * above the page's own folder only when the rule set has modules.path or
 * modules.lessons (the seed's layout keeps a module's pages in its
 * folder). */
struct module *outline_module_above(struct course *c, const char *path,
                                    pcre2_match_data *md);

/* m's lessons (modules.lessons; none without it), found on first use:
 * the Markdown pages at most three folders below m whose path relative
 * to m's folder matches, in path order, not looking into folders that
 * are modules of their own. False on no memory. */
bool outline_lessons(struct course *c, struct module *m, pcre2_match_data *md);

/* The lesson of m (outline_lessons done) at root-relative path, or
 * NULL. */
const struct lesson *outline_lesson_at(const struct module *m,
                                       const char *path);

/* Every module of the course in path order (c->modules), found on first
 * use by looking at every folder that is not ignored. False on no
 * memory. */
bool outline_modules(struct course *c, pcre2_match_data *md);

#endif
