/* lint.h - what a check sees of a lint: its thread's context, the pages
 * of the course (loaded on demand), and the ways to add a finding and to
 * record what a reference points at. Also how the run drives the checks:
 * pages load (collect) and are checked (resolve) in phases on worker
 * threads. */
#ifndef CLINT_LINT_H
#define CLINT_LINT_H

#include <pthread.h>
#include <stdatomic.h>

#include "index.h"
#include "page.h"
#include "parse.h"
#include "rules.h"

/* What parsing a page may cost in memory, mostly libcmark's tree: about
 * 8 bytes per byte of prose plus up to 500 per character that can open a
 * node (a 2 MB page of "*a* " takes 420 MB, one of prose 15 MB). Pages
 * parse at once only while their estimates add up to LINT_PARSE_BUDGET
 * (a page over it parses alone), and a page estimated over
 * LINT_PAGE_COST_MAX is not parsed at all. */
#define LINT_PARSE_BUDGET ((size_t)1 << 30)
#define LINT_PAGE_COST_MAX ((size_t)4 << 30)

/* The estimate of what parsing the len bytes at text costs. */
size_t lint_parse_cost(const char *text, size_t len);

/* The memory the pages being parsed may take between them. */
struct lint_budget {
  pthread_mutex_t lock;
  pthread_cond_t freed;
  size_t in_use;
};

void lint_budget_init(struct lint_budget *b);
void lint_budget_free(struct lint_budget *b);

/* Around the parse of a page that costs cost (lint_parse_cost): a worker
 * of the load phase (alone) waits for its share of the budget. */
void lint_parse_begin(struct lint *lt, size_t cost, bool alone);
void lint_parse_end(struct lint *lt, size_t cost, bool alone);

/* What every worker of a run shares. */
struct lint_shared {
  struct course *course;
  const struct rules *rules;
  struct lint_budget *budget;
  bool fixes_in_resolve; /* a family may give findings a fix in resolve */
  /* For LINT_SEARCH: the words to look for in pages' bytes. */
  const struct lint_needle *needles;
  size_t nneedles;
  /* When not NULL, resolve looks only at these pages (root-relative
   * paths as keys): lint_page answers NULL for any other. A page that
   * refers to some changed pages is checked for what it says of them
   * without loading everything else it links to. */
  const struct hmap *focus;
  /* Nothing will ask this course again (a one-shot run without a report
   * or referrers): resolve keeps no references (lint_ref) and no pages
   * read (lint_page), which only later queries and runs use. */
  bool forget;
};

/* What pages that may refer to some page hold (LINT_SEARCH): a page
 * under scope (root-relative, "" for all) but not under `deeper` (NULL:
 * none) holds every one of the words in one run of text, as a link's
 * destination writes them; with no words, a link that climbs to scope's
 * home page, or scope's name (see lint.c, holds_needle). */
struct lint_needle {
  const char *scope;
  const char *deeper;
  size_t levels; /* how many folders scope is deep */
  const char *const *words;
  size_t nwords;
  /* A word holds white space (a folder "my notes"): a link writes it
   * escaped, so each word is looked for anywhere instead (lint_spaced). */
  bool spaced;
  /* The named page is under no site: a relative link to it climbs from
   * the page to scope, then names the last word ("../../zh/..."). */
  bool direct;
  /* The named page is its folder's home page (README.md, index.md): the
   * first word is that folder, which a link to it names last. */
  bool home;
  /* With a cache: the hashes of the words' pieces (cache_word_hashes),
   * to test pages' summaries with; NULL: none made. */
  const uint64_t *hashes;
  size_t nhashes;
};

/* Whether one of the n words holds white space: see lint_needle. */
bool lint_spaced(const char *const *words, size_t n);

/* A finding, kept with its page until a run copies it out. Its strings
 * live in the page's arena (collect) or resolved arena (resolve). */
struct diag {
  const char *rule;
  clint_severity severity;
  clint_diag_kind kind;
  struct pos pos;
  struct pos end;
  const char *message;
  const char *suggestion;
  bool suggestion_in_message; /* see clint_diag */
  const char *target;
  bool has_fix;
  clint_fix fix;
};

/* One worker thread's context. */
struct lint {
  struct course *course;
  const struct rules *rules;
  pcre2_match_data *md; /* this thread's, sized for any pattern */
  struct pool *pool;    /* this thread's, for libcmark's trees */
  /* This thread's scratch (see lint_scratch_begin: a page's load, a
   * link's search for a suggestion) and parse buffers for the page being
   * loaded; emptied after each use. A use inside a use (a load inside a
   * load, through lint_page) has its own. */
  struct arena scratch;
  struct parse_reuse reuse;
  bool scratch_busy;
  struct buf raw; /* a page's bytes, for LINT_SEARCH */
  /* Answers worked out once per page resolve (lint_memo_get), by the
   * address of what they are about; emptied when the resolve ends. */
  struct hmap memo;
  struct arena memo_arena;
  /* The page whose resolve runs on this thread, or NULL (collect). */
  struct page *resolving;
  const struct hmap *focus; /* see lint_shared */
  bool forget;              /* see lint_shared */
  struct lint_budget *budget;
  bool fixes_in_resolve; /* a family may give findings a fix in resolve */
};

/* The thread's scratch arena (lt->scratch), or own, made here, when a
 * caller further up is using it: for what one step needs and then drops.
 * lint_scratch_end empties the scratch for the next use, or frees own. */
struct arena *lint_scratch_begin(struct lint *lt, struct arena *own);
void lint_scratch_end(struct lint *lt, struct arena *scratch,
                      struct arena *own);

/* Whether base is a folder's home page (README.md, index.md): a link to
 * the folder names it. */
bool lint_is_home(const char *base);

/* Whether reference target t (root-relative) points into a page of
 * named (root-relative paths as keys): the page itself, or its folder
 * when the page is the folder's home page. */
bool lint_points_into(const struct hmap *named, const char *t);

/* The loaded page at a root-relative path, or NULL when no Markdown page
 * is there. Loads it when needed. Only for resolve functions (during
 * collect the index is incomplete); the page being resolved then depends
 * on it, and is checked again when its text changes. */
struct page *lint_page(struct lint *lt, const char *path);

/* Add a finding to page p at pos (end defaults to pos). Returns NULL when
 * the rule is off or a comment suppresses it; otherwise the finding,
 * whose suggestion, target, kind, end and fix the caller may set. Their
 * strings must live as long as the finding: in resolve, allocate them in
 * p->arena, which is then the page's resolved arena (see
 * lint_resolve_page). */
struct diag *lint_diag(struct lint *lt, struct page *p, const char *rule,
                       struct pos pos, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Count a reference checked (resolve), for the summary. External
 * references are counted when the page loads: external must be false. */
void lint_count_ref(struct lint *lt, struct page *p, bool external);

/* Record, in resolve, that page p refers at [pos, end] to target (a
 * root-relative page, folder or missing path; copied) and, when anchor
 * is not NULL, to that anchor of it. broken: the reference names nothing
 * there. The course's queries (who refers to this heading?), the orphan
 * list and the change-aware runs read these. */
void lint_ref(struct lint *lt, struct page *p, clint_ref_kind kind,
              struct pos pos, struct pos end, const char *rule,
              const char *target, const char *anchor, bool broken);

/* What the resolve running on this thread remembered for key (the
 * address of a course object: a module, a lesson) with lint_memo_put:
 * two values, or NULL. A check that reads other pages for an answer
 * (lint_page) asks once per page checked, however many references of
 * the page need it: the pages read are its dependencies already. */
const long *lint_memo_get(const struct lint *lt, const void *key);
/* Remember v[0] and v[1] for key until this page's resolve ends. Outside
 * a resolve, or with no memory, nothing is remembered. */
void lint_memo_put(struct lint *lt, const void *key, long v0, long v1);

/* A PCRE2 pattern hit its match or depth limit on page p: report it as
 * rule/match-limit naming the rule id. */
void lint_match_limit(struct lint *lt, struct page *p, const char *rule,
                      struct pos pos);

/* Read, parse and collect page p (page.c). alone: a worker of the load
 * phase, which waits for its share of the parse budget (a load through
 * lint_page holds the course lock, which serialises it anyway). */
void page_load(struct lint *lt, struct page *p, bool alone);

/* Run phase 1 (load every page of pages not loaded yet) or phase 2
 * (resolve every loaded page of pages not resolved yet) on jobs threads.
 * LINT_SEARCH sets each page's `mentions` to whether its bytes (as on
 * disk, or as given) hold one of the shared needles, without parsing it:
 * which pages may refer to some others. Returns CLINT_E_NOMEM when a
 * thread could not be set up. */
enum lint_phase { LINT_LOAD = 1, LINT_RESOLVE = 2, LINT_SEARCH = 3 };
clint_status lint_phase_run(const struct lint_shared *sh, struct page **pages,
                            size_t n, enum lint_phase phase, unsigned jobs);

/* index_walk from path into out, each page found loaded (LINT_LOAD) by
 * jobs threads while the walk goes on, one of them reading folders. */
clint_status lint_walk_load(const struct lint_shared *sh, const char *path,
                            struct vec *out, unsigned jobs);

/* The size, BOM length and digest (hash_digest after the BOM) of a
 * reported page as the run read it, so that --fix can refuse a page that
 * changed since (run.c). false when the page was not reported or not
 * read, or has no finding that may carry a fix (such a page is not
 * digested). */
bool lint_run_digest(const clint_run *run, const char *root_path, size_t *size,
                     size_t *bom, uint64_t *digest);

/* The checks of the file family (rules about reading a page). */
extern const struct family file_family;

#endif
