/* run.h - what run.c lends the queries of query.c: the index behind a
 * clint_course, its rules, and its way of naming a page. */
#ifndef CLINT_RUN_H
#define CLINT_RUN_H

#include "index.h"
#include "lint.h"

/* The index of course c, ready for lookups between runs. */
struct course *run_index(clint_course *c);

/* The rules of course c. */
const struct rules *run_rules(const clint_course *c);

/* path (relative to the course's base, or absolute) as a root-relative
 * path in a, or NULL when it lies outside the root. */
char *run_root_relative(const clint_course *c, struct arena *a,
                        const char *path);

/* The loaded page at path, or NULL with err filled. */
struct page *run_page(clint_course *c, const char *path, clint_error *err);

#endif
