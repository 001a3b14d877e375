/* lint.h - what a check sees of a run: its thread's context, the pages of
 * the course (loaded on demand) and the way to add a finding. */
#ifndef CLINT_LINT_H
#define CLINT_LINT_H

#include <stdatomic.h>

#include "index.h"
#include "parse.h"
#include "rules.h"

struct lint {
  struct clint_run *run;
  struct course *course;
  const struct rules *rules;
  pcre2_match_data *md; /* this thread's, sized for any pattern */
  struct pool *pool;    /* this thread's, for libcmark's trees */
  /* This thread's scratch and parse buffers for the page being loaded;
   * emptied after it. A load inside a load (lint_page) uses its own. */
  struct arena scratch;
  struct parse_reuse reuse;
  bool scratch_busy;
};

/* The loaded page at a root-relative path, or NULL when no Markdown page
 * is there. Loads it when needed. Only for resolve functions: during
 * collect the index is incomplete. */
struct page *lint_page(struct lint *lt, const char *path);

/* Add a finding to page p at pos (end defaults to pos). Returns NULL when
 * the page is not reported, the rule is off or a comment suppresses it;
 * otherwise the finding, whose suggestion, target, kind, end and fix the
 * caller may set (strings in p->arena). */
struct diag *lint_diag(struct lint *lt, struct page *p, const char *rule,
                       struct pos pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Count a reference checked, or an external one skipped, for the summary
 * (only on reported pages). */
void lint_count_ref(struct lint *lt, const struct page *p, bool external);

/* Note that page `to` is linked or named from another page (orphans). */
void lint_note_incoming(struct lint *lt, const struct page *from,
                        struct page *to);

/* A PCRE2 pattern hit its match or depth limit on page p: report it as
 * rule/match-limit naming the rule id. */
void lint_match_limit(struct lint *lt, struct page *p, const char *rule,
                      struct pos pos);

/* The size, BOM length and digest (hash_digest after the BOM) of a
 * reported page as it was read, so that --fix can refuse a page that
 * changed since. false when the page is not reported, was not read, or
 * has no finding that may carry a fix (such a page is not digested). */
bool lint_run_digest(const clint_run *run, const char *root_path, size_t *size,
                     size_t *bom, uint64_t *digest);

#endif
