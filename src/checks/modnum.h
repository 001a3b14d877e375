/* modnum.h - the course-wide number of a module and the modules around
 * it, for the checks that compare a number prose or link text gives
 * with the module it names: a module's pages may say "Module 13" while
 * its folder is 01_image_video_models/ (the folder counts within its
 * track, the titles across the course). Resolve phase only: these read
 * folder listings and other pages through lint_page. */
#ifndef CLINT_CHECKS_MODNUM_H
#define CLINT_CHECKS_MODNUM_H

#include <stdbool.h>

#include "../lint.h"

/* The module number page p names in its title (its first H1, else its
 * first heading) under the rule set's `modules.title` pattern, or -1. */
long modnum_title(struct lint *lt, const struct page *p);

/* Page p's title: its first H1, or on a page that starts lower (H2, as
 * many courses do), its first heading; NULL without headings. */
const struct heading *modnum_title_heading(const struct page *p);

/* The number group num of pattern re finds in page p's title (as
 * modnum_title reads it), or -1: a lesson's under `modules.lesson_title`. */
long modnum_title_by(struct lint *lt, const struct page *p,
                     const pcre2_code *re);

/* The course-wide number of module m: the number most of its pages name
 * in their titles (a tie goes to the folder's number when it is among
 * the tied), else its folder number, else -1; -1 too when this run may
 * not read one of m's role pages (lint_page). *from_title (when not
 * NULL) says whether the titles gave it. Loads m's role pages. */
long modnum_number(struct lint *lt, const struct module *m, bool *from_title);

/* The module of the folder that holds root-relative path (a page or a
 * folder of a module, or the module folder itself), or NULL. */
struct module *modnum_module_at(struct lint *lt, struct arena *a,
                                const char *path);

/* The module folder after m among its siblings (the track), by folder
 * number, or NULL: there is none, or m's folder has no number. */
struct module *modnum_next(struct lint *lt, struct arena *a,
                           const struct module *m);

/* The module whose course-wide number is number, looked for among the
 * module folders in folder `track` (root-relative, "" for the root)
 * first, then among those of each other folder of `around` (the tracks
 * beside it; NULL: nowhere else). NULL when none has it, or when two
 * modules of the first folder that holds one both have it (ambiguous).
 * At most MODNUM_MAX_FOLDERS folders are looked at in each folder. */
#define MODNUM_MAX_FOLDERS 256
struct module *modnum_find(struct lint *lt, struct arena *a, const char *track,
                           const char *around, long number);

#endif
