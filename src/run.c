/* run.c - the public faces of the pipeline: clint_course, the index of a
 * course kept between runs and told what changed, and clint_run, one
 * check of some of its pages. A run loads what it needs (lint.c, phase
 * 1), checks what is not checked yet or depends on what changed (phase
 * 2), and copies out its findings, sorted, so that the output never
 * depends on the number of threads and outlives later changes. */
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "formats.h"
#include "lint.h"
#include "linter.h"
#include "run.h"
#include "site.h"
#include "util/path.h"
#include "util/status.h"

struct clint_course {
  const clint_linter *linter;
  const struct rules *rules;
  struct course index;
  char *base; /* absolute, or NULL: the root */
  unsigned jobs;
  bool index_all;
  bool referrers;
  bool fixes_in_resolve; /* a family may give findings a fix in resolve */
  bool forget;           /* see lint_shared: set for a one-shot run */
  struct lint_budget budget;
  /* Every page under the root, from the last walk of it; valid while
   * walked is set (a change to a folder clears it). */
  struct vec all; /* struct page * */
  bool walked;
  bool in_run; /* a run is set up and has not linted yet */
  /* The cache file (clint_options.cache_dir), or NULL; its contents once
   * a run that searches for referrers has read it (index.cache). */
  char *cache_file;
  struct cache cache;
};

struct target {
  const char *path; /* root-relative */
  bool dir;
};

/* What --fix needs to know of a page the run read. */
struct fix_info {
  const char *path; /* root-relative */
  size_t size;
  size_t bom;
  uint64_t digest;
  bool has_digest;
};

struct clint_run {
  clint_course *course;
  bool own_course;
  bool linted;
  struct arena arena; /* the run's own copies of what it found */
  struct vec targets; /* struct target */
  struct vec gone;    /* const char *: root-relative pages no longer there */
  struct vec pages;   /* struct page *: the pages to report, in path order */
  /* With referrers: the other pages that refer to the targets, whose
   * findings about those references are reported too. */
  struct vec referrers; /* struct page * */
  struct vec partial;   /* struct page *: checked with a focus, see above */
  clint_diag *diags;
  size_t ndiags;
  clint_fix *fixes;
  const char **orphans;
  size_t norphans;
  const char **files; /* display paths of the pages reported */
  struct fix_info *fixinfo;
  size_t nfiles;
  clint_summary summary;
};

unsigned clint_api_version(void) { return CLINT_API_VERSION; }

void clint_options_init(clint_options *o) {
  *o = (clint_options)CLINT_OPTIONS_INIT;
}

static unsigned jobs_for(unsigned asked) {
  if (asked == 0) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    asked = n < 1 ? 1 : n > CLINT_MAX_JOBS ? CLINT_MAX_JOBS : (unsigned)n;
  }
  return asked > CLINT_MAX_JOBS ? CLINT_MAX_JOBS : asked;
}

/* ---- paths ------------------------------------------------------------- */

char *clint_find_root(const char *start) {
  char *dir = realpath(start ? start : ".", NULL);
  if (!dir)
    return NULL;
  size_t len = strlen(dir);
  char *probe = malloc(len + 32);
  if (!probe) {
    free(dir);
    return NULL;
  }
  for (size_t n = len;;) {
    struct stat st;
    bool hit = false;
    sprintf(probe, "%.*s/.courselint.yml", (int)n, dir);
    hit = stat(probe, &st) == 0;
    sprintf(probe, "%.*s/.git", (int)n, dir);
    hit = hit || stat(probe, &st) == 0;
    if (hit) {
      dir[n ? n : 1] = '\0';
      free(probe);
      return dir;
    }
    while (n > 0 && dir[n - 1] != '/')
      n--;
    if (n <= 1)
      break;
    n--;
  }
  free(probe);
  return dir; /* no marker anywhere: the folder itself */
}

/* path (relative to the course's base, or absolute) as a root-relative
 * path in a (NULL when it lies outside the root). The path need not
 * exist: an editor's new page does not. Existing folders on the way are
 * followed through symbolic links, as realpath does. */
static char *root_relative(const clint_course *c, struct arena *a,
                           const char *path) {
  const char *root = c->index.root;
  const char *base = c->base ? c->base : root;
  char *joined = path[0] == '/' ? arena_strdup(a, path)
                                : arena_printf(a, "%s/%s", base, path);
  if (!joined)
    return NULL;
  /* The longest existing prefix, made real; the rest kept as written. */
  size_t keep = strlen(joined);
  char *real;
  for (;;) {
    char saved = joined[keep];
    joined[keep] = '\0';
    real = realpath(joined, NULL);
    joined[keep] = saved;
    if (real)
      break;
    while (keep > 0 && joined[keep - 1] != '/')
      keep--;
    if (keep <= 1)
      return NULL;
    keep--; /* the '/' goes with the rest */
  }
  char *full = arena_printf(a, "%s%s", real, joined + keep);
  free(real);
  if (!full)
    return NULL;
  char *norm = arena_alloc(a, strlen(full) + 1);
  if (!norm || !path_normalize(full + 1, strlen(full + 1), norm))
    return NULL;
  size_t rl = strlen(root); /* "" for the root "/" */
  const char *r = rl ? root + 1 : "";
  size_t n = rl ? rl - 1 : 0;
  if (strncmp(norm, r, n) != 0 || (n && norm[n] != '/' && norm[n] != '\0'))
    return NULL;
  return norm + n + (n && norm[n] == '/');
}

/* ---- courses ------------------------------------------------------------ */

clint_course *clint_course_new(const clint_linter *linter,
                               const clint_options *opts, clint_error *err) {
  clint_options o = CLINT_OPTIONS_INIT;
  if (opts && opts->size == 0) {
    status_set(err, CLINT_E_USAGE, NULL, 0, 0,
               "clint_options.size is not set: start from "
               "CLINT_OPTIONS_INIT");
    return NULL;
  }
  if (opts) /* only the fields the caller knew of */
    memcpy(&o, opts, opts->size < sizeof(o) ? opts->size : sizeof(o));
  clint_course *c = calloc(1, sizeof(*c));
  char *base = o.base ? realpath(o.base, NULL) : NULL;
  char *root = o.root ? strdup(o.root) : base ? clint_find_root(base) : NULL;
  if (!o.root && !o.base) {
    status_set(err, CLINT_E_USAGE, NULL, 0, 0,
               "no course root: set root or base in clint_options");
    free(c);
    return NULL;
  }
  if (!c || (o.base && !base) || !root) {
    status_set(err, !c || (root && base) ? CLINT_E_NOMEM : CLINT_E_IO,
               o.base && !base ? o.base : NULL, 0, 0,
               !c ? "out of memory" : "cannot use as base folder");
    free(c);
    free(base);
    free(root);
    return NULL;
  }
  c->linter = linter;
  c->rules = &linter->rules;
  c->base = base;
  c->jobs = jobs_for(o.jobs);
  c->index_all = o.index_all;
  c->referrers = o.referrers;
  lint_budget_init(&c->budget);
  vec_init(&c->all, sizeof(struct page *));
  for (size_t f = 0; f < FAM_COUNT; f++)
    c->fixes_in_resolve |= check_families[f]->fixes_in_resolve &&
                           check_families[f]->fixes_in_resolve(c->rules);
  clint_status st = index_init(&c->index, root, base, c->rules, err);
  free(root);
  if (st == CLINT_OK && o.cache_dir &&
      (c->cache_file = cache_file_of(o.cache_dir, c->index.root))) {
    /* Read now: the first folders are listed as the course is opened,
     * and the root's again, stamped this time. */
    int64_t now = (int64_t)time(NULL);
    cache_prune(o.cache_dir, now);
    cache_load(&c->cache, c->cache_file, now);
    c->index.cache = &c->cache;
    index_forget_listings(&c->index);
  }
  if (st != CLINT_OK) {
    lint_budget_free(&c->budget);
    vec_free(&c->all);
    free(c->base);
    free(c);
    return NULL;
  }
  return c;
}

void clint_course_free(clint_course *c) {
  if (!c)
    return;
  index_free(&c->index);
  cache_free(&c->cache);
  free(c->cache_file);
  lint_budget_free(&c->budget);
  vec_free(&c->all);
  free(c->base);
  free(c);
}

const char *clint_course_root(const clint_course *c) { return c->index.root; }

/* A folder's listing changed (a page appeared or went): read every
 * listing again, and every page with it. */
static void forget_listings(clint_course *c) {
  index_forget_listings(&c->index);
  for (size_t i = 0; i < c->index.page_list.len; i++) {
    struct page *p = *(struct page **)vec_at(&c->index.page_list, i);
    p->dependents.len = 0;
  }
  c->all.len = 0;
  c->walked = false;
}

/* The text of page p changed: load it again, and check again the pages
 * whose last check read it. */
static void page_changed(struct page *p) {
  for (size_t i = 0; i < p->dependents.len; i++) {
    struct page_dependent *d = vec_at(&p->dependents, i);
    if (d->page->generation == d->generation)
      page_unresolve(d->page);
  }
  p->dependents.len = 0;
  page_drop(p);
}

/* After a run's resolve: each page checked since it was last registered
 * tells the pages it read that it depends on them. */
static void register_dependents(struct page **pages, size_t n) {
  for (size_t i = 0; i < n; i++) {
    struct page *p = pages[i];
    if (!p->resolved || p->registered == p->generation)
      continue;
    p->registered = p->generation;
    for (size_t k = 0; k < p->deps.len; k++) {
      struct page *t = *(struct page **)vec_at(&p->deps, k);
      /* Drop the entries of pages checked again since: the list stays as
       * long as the pages that really depend on t. */
      if (t->dependents.len >= 16 && t->dependents.len == t->dependents.cap) {
        size_t o = 0;
        for (size_t j = 0; j < t->dependents.len; j++) {
          struct page_dependent *d = vec_at(&t->dependents, j);
          if (d->page->generation == d->generation)
            *(struct page_dependent *)vec_at(&t->dependents, o++) = *d;
        }
        t->dependents.len = o;
      }
      struct page_dependent *d = vec_push(&t->dependents);
      if (d)
        *d = (struct page_dependent){p, p->generation};
      else
        page_unresolve(p); /* cannot be told of changes: check again */
    }
  }
}

/* Whether path is a page the index already lists as a file. */
static bool listed_file(clint_course *c, const char *rel) {
  return index_type(&c->index, rel) == ENTRY_FILE;
}

clint_status clint_course_set_text(clint_course *c, const char *path,
                                   const char *text, size_t len,
                                   clint_error *err) {
  struct arena a;
  arena_init(&a);
  char *rel = root_relative(c, &a, path);
  clint_status st = CLINT_OK;
  if (!rel || !rel[0]) {
    st = status_set(err, CLINT_E_IO, path, 0, 0, "outside the course root %s",
                    c->index.root);
  } else {
    index_thaw(&c->index);
    bool was_listed = listed_file(c, rel);
    if (!index_give_text(&c->index, rel, text, len)) {
      st = status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
    } else {
      /* Whether the page is still there once the text is withdrawn: the
       * file on disk decides. */
      struct stat sb;
      char *full = arena_printf(&a, "%s/%s", c->index.root, rel);
      bool on_disk = full && stat(full, &sb) == 0 && S_ISREG(sb.st_mode);
      if (!was_listed || (!text && !on_disk))
        forget_listings(c);
      else
        page_changed(index_page(&c->index, rel));
    }
  }
  arena_free(&a);
  return st;
}

clint_status clint_course_changed(clint_course *c, const char *path,
                                  clint_error *err) {
  struct arena a;
  arena_init(&a);
  char *rel = root_relative(c, &a, path);
  clint_status st = CLINT_OK;
  if (!rel) {
    st = status_set(err, CLINT_E_IO, path, 0, 0, "outside the course root %s",
                    c->index.root);
  } else {
    index_thaw(&c->index);
    struct stat sb;
    char *full = arena_printf(&a, "%s/%s", c->index.root, rel);
    bool file = full && stat(full, &sb) == 0 && S_ISREG(sb.st_mode);
    size_t given_len;
    if (rel[0] && file && listed_file(c, rel)) {
      /* The same file with new text, unless an editor's text stands for
       * it: then nothing the course reads changed. */
      if (!index_given_text(&c->index, rel, &given_len))
        page_changed(index_page(&c->index, rel));
    } else {
      forget_listings(c);
    }
  }
  arena_free(&a);
  return st;
}

/* What the load and check phases share, for pages of course c. */
static struct lint_shared shared_for(clint_course *c,
                                     const struct hmap *focus) {
  return (struct lint_shared){.course = &c->index,
                              .rules = c->rules,
                              .budget = &c->budget,
                              .fixes_in_resolve = c->fixes_in_resolve,
                              .focus = focus,
                              .forget = c->forget};
}

/* Walk the whole course once, until a folder changes: every page into
 * c->all. With load, when the caller loads them all next, each is loaded
 * as soon as the walk finds it: the walk keeps one thread busy, not all
 * of them. */
static clint_status walk_all(clint_course *c, bool load) {
  if (c->walked)
    return CLINT_OK;
  c->all.len = 0;
  clint_status st;
  if (load && c->jobs > 1) {
    struct lint_shared sh = shared_for(c, NULL);
    st = lint_walk_load(&sh, "", &c->all, c->jobs);
  } else {
    /* Folders whose listings the cache holds take a stat each: threads
     * would spend more on the walk's locks than they share of that (two
     * threads took half as long again as one on IoT's 2,500 folders). */
    st = index_walk(&c->index, "", &c->all, c->cache.data ? 1 : c->jobs);
  }
  c->walked = st == CLINT_OK;
  return st;
}

/* Load, then check, the pages not loaded or checked yet. With focus,
 * their checks look only at the pages focus names (see lint_shared): the
 * findings are then partial, so the pages are left unchecked for the
 * next run. */
static clint_status load_and_check_in(clint_course *c, struct page **pages,
                                      size_t n, const struct hmap *focus) {
  struct lint_shared sh = shared_for(c, focus);
  clint_status st = lint_phase_run(&sh, pages, n, LINT_LOAD, c->jobs);
  /* From here on, the maps of folders and pages are read without locks. */
  index_freeze(&c->index);
  if (st == CLINT_OK)
    st = lint_phase_run(&sh, pages, n, LINT_RESOLVE, c->jobs);
  if (!focus && !c->forget)
    register_dependents(pages, n);
  return st;
}

static clint_status load_and_check(clint_course *c, struct page **pages,
                                   size_t n) {
  return load_and_check_in(c, pages, n, NULL);
}

/* The loaded page at path (relative to base, or absolute), checked when
 * check is set; NULL with err filled when there is none. */
static struct page *course_page(clint_course *c, const char *path, bool check,
                                clint_error *err) {
  struct arena a;
  arena_init(&a);
  char *rel = root_relative(c, &a, path);
  struct page *p = NULL;
  if (rel && rel[0] && index_is_markdown(rel) && listed_file(c, rel)) {
    index_thaw(&c->index);
    p = index_page(&c->index, rel);
    if (p && (atomic_load(&p->state) == PAGE_NEW || (check && !p->resolved)) &&
        load_and_check(c, &p, 1) != CLINT_OK)
      p = NULL;
    if (p && atomic_load(&p->state) != PAGE_LOADED)
      p = NULL;
  }
  if (!p)
    status_set(err, CLINT_E_IO, path, 0, 0, "no readable page there");
  arena_free(&a);
  return p;
}

static bool call_ref(const struct page *p, const struct page_ref *r,
                     clint_ref_fn fn, void *ctx) {
  clint_ref out = {.from = p->path,
                   .line = r->pos.line,
                   .column = r->pos.col,
                   .end_line = r->end.line,
                   .end_column = r->end.col,
                   .kind = r->kind,
                   .rule = r->rule,
                   .to = r->target,
                   .anchor = r->anchor,
                   .broken = r->broken};
  return fn(&out, ctx);
}

clint_status clint_course_refs_from(clint_course *c, const char *path,
                                    clint_ref_fn fn, void *ctx,
                                    clint_error *err) {
  struct page *p = course_page(c, path, true, err);
  if (!p)
    return CLINT_E_IO;
  for (size_t i = 0; i < p->refs.len; i++)
    if (!call_ref(p, vec_at(&p->refs, i), fn, ctx))
      break;
  return CLINT_OK;
}

clint_status clint_course_refs_to(clint_course *c, const char *path,
                                  const char *anchor, clint_ref_fn fn,
                                  void *ctx, clint_error *err) {
  struct arena a;
  arena_init(&a);
  char *rel = root_relative(c, &a, path);
  clint_status st =
      rel ? CLINT_OK
          : status_set(err, CLINT_E_IO, path, 0, 0,
                       "outside the course root %s", c->index.root);
  if (st == CLINT_OK) {
    index_thaw(&c->index);
    st = walk_all(c, true);
  }
  if (st == CLINT_OK)
    st = load_and_check(c, c->all.data, c->all.len);
  for (size_t i = 0; st == CLINT_OK && i < c->all.len; i++) {
    const struct page *p = *(struct page **)vec_at(&c->all, i);
    bool go = true;
    for (size_t k = 0; go && k < p->refs.len; k++) {
      const struct page_ref *r = vec_at(&p->refs, k);
      if (strcmp(r->target, rel) != 0 ||
          (anchor && (!r->anchor || strcmp(r->anchor, anchor) != 0)))
        continue;
      go = call_ref(p, r, fn, ctx);
    }
    if (!go)
      break;
  }
  if (st != CLINT_OK && st != CLINT_E_IO)
    status_set(err, st, NULL, 0, 0, "%s", clint_status_str(st));
  arena_free(&a);
  return st;
}

clint_status clint_course_headings(clint_course *c, const char *path,
                                   clint_heading_fn fn, void *ctx,
                                   clint_error *err) {
  struct page *p = course_page(c, path, false, err);
  if (!p)
    return CLINT_E_IO;
  for (size_t i = 0; i < p->nheadings; i++) {
    const struct heading *h = &p->headings[i];
    clint_heading out = {.level = h->level,
                         .line = h->pos.line,
                         .column = h->pos.col,
                         .end_line = h->end_line,
                         .text = h->text,
                         .anchor = h->anchor,
                         .number = h->number};
    if (!fn(&out, ctx))
      break;
  }
  return CLINT_OK;
}

clint_status clint_course_pages(clint_course *c,
                                bool (*fn)(const char *path, void *ctx),
                                void *ctx, clint_error *err) {
  index_thaw(&c->index);
  clint_status st = walk_all(c, false);
  if (st != CLINT_OK)
    return status_set(err, st, NULL, 0, 0, "%s", clint_status_str(st));
  for (size_t i = 0; i < c->all.len; i++)
    if (!fn((*(struct page **)vec_at(&c->all, i))->path, ctx))
      break;
  return CLINT_OK;
}

/* ---- runs --------------------------------------------------------------- */

clint_run *clint_course_run(clint_course *c, clint_error *err) {
  clint_run *run = calloc(1, sizeof(*run));
  if (!run) {
    status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  run->course = c;
  arena_init(&run->arena);
  vec_init(&run->targets, sizeof(struct target));
  vec_init(&run->gone, sizeof(const char *));
  vec_init(&run->pages, sizeof(struct page *));
  vec_init(&run->referrers, sizeof(struct page *));
  vec_init(&run->partial, sizeof(struct page *));
  return run;
}

clint_run *clint_run_new(const clint_linter *linter, const clint_options *opts,
                         clint_error *err) {
  clint_course *c = clint_course_new(linter, opts, err);
  clint_run *run = c ? clint_course_run(c, err) : NULL;
  if (!run) {
    clint_course_free(c);
    return NULL;
  }
  run->own_course = true;
  return run;
}

void clint_run_free(clint_run *run) {
  if (!run)
    return;
  if (run->own_course)
    clint_course_free(run->course);
  vec_free(&run->targets);
  vec_free(&run->gone);
  vec_free(&run->pages);
  vec_free(&run->referrers);
  vec_free(&run->partial);
  free(run->diags);
  free(run->fixes);
  free(run->orphans);
  free(run->files);
  free(run->fixinfo);
  arena_free(&run->arena);
  free(run);
}

const char *clint_run_root(const clint_run *run) {
  return run->course->index.root;
}

clint_status clint_run_add_target(clint_run *run, const char *path,
                                  clint_error *err) {
  if (run->linted)
    return status_set(err, CLINT_E_USAGE, path, 0, 0,
                      "the run has linted already: start a new run");
  const clint_course *c = run->course;
  const char *base = c->base ? c->base : c->index.root;
  char *joined = path[0] == '/'
                     ? arena_strdup(&run->arena, path)
                     : arena_printf(&run->arena, "%s/%s", base, path);
  char *real = joined ? realpath(joined, NULL) : NULL;
  size_t given_len;
  const char *given = real ? NULL : root_relative(c, &run->arena, path);
  if (given && given[0] && index_given_text(&c->index, given, &given_len)) {
    /* A page that only an editor's text gives. */
    struct target *t = vec_push(&run->targets);
    if (!t)
      return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
    *t = (struct target){given, false};
    return CLINT_OK;
  }
  if (!real)
    return status_set(err, CLINT_E_IO, path, 0, 0, "no such file or folder");
  const char *root = c->index.root;
  size_t rl = strlen(root);
  clint_status st = CLINT_OK;
  if (strncmp(real, root, rl) != 0 || (real[rl] != '/' && real[rl] != '\0')) {
    st = status_set(err, CLINT_E_IO, path, 0, 0, "outside the course root %s",
                    root);
  } else {
    struct stat sb;
    struct target *t = vec_push(&run->targets);
    const char *rel = real[rl] == '/' ? real + rl + 1 : real + rl;
    if (!t || !(t->path = arena_strdup(&run->arena, rel)))
      st = status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
    else
      t->dir = stat(real, &sb) == 0 && S_ISDIR(sb.st_mode);
  }
  free(real);
  return st;
}

clint_status clint_run_add_gone(clint_run *run, const char *path,
                                clint_error *err) {
  if (run->linted)
    return status_set(err, CLINT_E_USAGE, path, 0, 0,
                      "the run has linted already: start a new run");
  char *rel = root_relative(run->course, &run->arena, path);
  if (!rel || !rel[0])
    return status_set(err, CLINT_E_IO, path, 0, 0, "outside the course root %s",
                      run->course->index.root);
  const char **slot = vec_push(&run->gone);
  if (!slot)
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  *slot = rel;
  return CLINT_OK;
}

static int page_cmp(const void *a, const void *b) {
  return strcmp((*(struct page *const *)a)->path,
                (*(struct page *const *)b)->path);
}

/* The pages to report: every target, folders walked; duplicates dropped;
 * in path order. */
static clint_status collect_targets(clint_run *run) {
  clint_course *c = run->course;
  if (run->targets.len == 0) {
    struct target *t = vec_push(&run->targets);
    if (!t)
      return CLINT_E_NOMEM;
    t->path = "";
    t->dir = true;
  }
  for (size_t i = 0; i < run->targets.len; i++) {
    struct target *t = vec_at(&run->targets, i);
    if (t->dir && !t->path[0]) {
      clint_status st = walk_all(c, true);
      for (size_t k = 0; st == CLINT_OK && k < c->all.len; k++) {
        struct page **slot = vec_push(&run->pages);
        if (!slot)
          return CLINT_E_NOMEM;
        *slot = *(struct page **)vec_at(&c->all, k);
      }
      if (st != CLINT_OK)
        return st;
    } else if (t->dir) {
      if (index_ignored(&c->index, t->path, true))
        continue;
      clint_status st = index_walk(&c->index, t->path, &run->pages, c->jobs);
      if (st != CLINT_OK)
        return st;
    } else if (index_is_markdown(t->path) &&
               !index_ignored(&c->index, t->path, false)) {
      struct page *p = index_page(&c->index, t->path);
      struct page **slot = p ? vec_push(&run->pages) : NULL;
      if (!slot)
        return CLINT_E_NOMEM;
      *slot = p;
    }
  }
  if (run->pages.len) /* qsort(NULL, 0, ...) is undefined */
    qsort(run->pages.data, run->pages.len, sizeof(struct page *), page_cmp);
  size_t o = 0;
  struct page **pp = run->pages.data;
  for (size_t i = 0; i < run->pages.len; i++)
    if (o == 0 || pp[o - 1] != pp[i])
      pp[o++] = pp[i];
  run->pages.len = o;
  return CLINT_OK;
}

/* Whether a target is the course's root folder. */
static bool names_root(const clint_run *run) {
  for (size_t i = 0; i < run->targets.len; i++) {
    const struct target *t = vec_at(&run->targets, i);
    if (t->dir && !t->path[0])
      return true;
  }
  return false;
}

/* Order of the findings of one page: by place, then rule and message. */
static int diag_cmp(const void *a, const void *b) {
  const clint_diag *x = a, *y = b;
  int c;
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  if ((c = strcmp(x->rule, y->rule)))
    return c;
  return strcmp(x->message, y->message);
}

/* A page's string as the run keeps it: its own copy when the page may
 * change before the run is freed (a course that outlives the run, as an
 * editor's does, or a page left unchecked after it, see run->partial).
 * A course made for the run alone goes with it, and its pages stay as
 * they are: their strings serve as they are, and a run with 10,000
 * findings does not copy 3 MB. */
static const char *keep(clint_run *run, bool borrow, const char *s) {
  return s && !borrow ? arena_strdup(&run->arena, s) : s;
}

/* Copy finding d of page p into o, the strings as keep says. */
static void copy_diag(clint_run *run, const struct page *p, bool borrow,
                      const struct diag *d, clint_diag *o, clint_fix *fix) {
  o->path = p->display;
  o->root_path = p->path;
  o->line = d->pos.line;
  o->column = d->pos.col;
  o->end_line = d->end.line ? d->end.line : d->pos.line;
  o->end_column = d->end.col ? d->end.col : d->pos.col;
  o->severity = d->severity;
  o->kind = d->kind;
  o->rule = d->rule; /* a rule id lives as long as the linter */
  o->message = keep(run, borrow, d->message);
  o->suggestion = keep(run, borrow, d->suggestion);
  o->suggestion_in_message = d->suggestion_in_message;
  o->target = keep(run, borrow, d->target);
  o->module = p->module ? keep(run, borrow, p->module->path) : NULL;
  /* A page made from its file (a notebook) has its findings placed in
   * the file; a fix would need an offset there, so it has none. */
  if (d->has_fix && !p->map) {
    *fix = d->fix;
    fix->text = keep(run, borrow, d->fix.text);
    o->fix = fix;
  }
  if (p->map) {
    struct pos at = formats_map_pos(p->map, d->pos),
               end = formats_map_pos(p->map,
                                     (struct pos){o->end_line, o->end_column});
    o->line = at.line;
    o->column = at.col;
    o->end_line = end.line;
    o->end_column = end.col;
  }
  if (!o->message)
    o->message = "out of memory";
  if (d->severity == CLINT_SEV_ERROR)
    run->summary.errors++;
  else
    run->summary.warnings++;
}

/* ---- referrers: the pages that refer to the targets --------------------- */

/* The pages the run names: its targets and the pages that are gone. */
static bool named_add(struct hmap *named, const char *path) {
  return hmap_put(named, path, strlen(path), (void *)path);
}

/* The words a page that refers to path must hold, by where the page is.
 * A relative link names each folder on the way down from the deepest
 * folder the two pages share, then the file ("../m1/02_x", perhaps
 * without its extension); for a folder's home page (README.md,
 * index.md) the folder is enough ("../m1/"), and a page under that
 * folder may name it with no word at all ("../../"). So a page under
 * folder A of path's folders (and under no deeper one) must hold every
 * name below A: a French page links a Chinese lesson by "zh/.../3-x/".
 * Words count apart, so a notebook's "..\/m1" holds "m1". Under a site,
 * a page outside its folder of pages may link the published pages
 * without naming that folder (the Rust book's redirects/x.md links
 * "ch01.html"): its names are not asked of anyone. */
static bool add_needles(clint_run *run, struct vec *needles, const char *path) {
  struct arena *a = &run->arena;
  const char *base = path_basename(path);
  const char *dot = strrchr(base, '.');
  size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  bool home = lint_is_home(base);
  size_t dl = path_dirname_len(path);
  /* Where each folder name ends. */
  enum { DEPTH_MAX = 64 };
  size_t end[DEPTH_MAX], k = 0;
  for (size_t at = 0; at < dl && k < DEPTH_MAX; at = end[k++] + 1) {
    const char *slash = memchr(path + at, '/', dl - at);
    end[k] = slash ? (size_t)(slash - path) : dl;
  }
  if (k == DEPTH_MAX)
    k = 0; /* deeper than any course: every page is asked for the name */
  /* Every word, the rarest first: the file's name, then its folders
   * upwards. The needle of each level takes the first few. */
  const char **words = arena_alloc(a, (k + 1) * sizeof(*words));
  size_t nw = 0;
  if (!words || (!home && !(words[nw++] = arena_strndup(a, base, stem))))
    return false;
  for (size_t i = k; i-- > 0;) {
    size_t from = i ? end[i - 1] + 1 : 0;
    if (!(words[nw++] = arena_strndup(a, path + from, end[i] - from)))
      return false;
  }
  const struct site *site = site_of(&run->course->index, path);
  size_t docs = 0; /* how many folders the site's folder of pages is deep */
  if (site && site->docs[0])
    for (const char *d = site->docs; d; d = strchr(d + 1, '/'))
      docs++;
  const char *deeper = NULL; /* the scope of the needle before */
  for (size_t j = k + 1; j-- > 0;) {
    /* Pages under the first j folders, and under no deeper one, name the
     * folders below the j-th (below the site's folder of pages at least). */
    size_t from = j < docs ? docs : j;
    struct lint_needle *nd = vec_push(needles);
    char *scope = arena_strndup(a, path, j ? end[j - 1] : 0);
    if (!nd || !scope)
      return false;
    size_t n = !home + (from < k ? k - from : 0);
    *nd = (struct lint_needle){.scope = scope,
                               .deeper = deeper,
                               .levels = j,
                               .words = words,
                               .nwords = n,
                               .spaced = lint_spaced(words, n),
                               .direct = !site,
                               .home = home};
    deeper = scope;
  }
  return true;
}

/* Give needle nd the hashes of its words' pieces (cache.h). */
static bool hash_needle(struct arena *a, struct lint_needle *nd) {
  size_t cap = 0;
  for (size_t w = 0; w < nd->nwords; w++)
    cap += strlen(nd->words[w]) / 2 + 1;
  uint64_t *h = arena_alloc(a, (cap ? cap : 1) * sizeof(*h));
  if (!h)
    return false;
  size_t n = 0;
  for (size_t w = 0; w < nd->nwords; w++)
    n += cache_word_hashes(nd->words[w], h + n, cap - n);
  nd->hashes = h;
  nd->nhashes = n;
  return true;
}

/* Find the pages that refer to the named pages (the targets and the
 * pages gone): a search of every page's bytes for the named pages' words
 * picks the few worth loading, and the pages of the same folders (a
 * module's pages name each other by role: "explainer chapter 6.5") are
 * loaded anyway. Those whose references point into a named page become
 * the run's referrers. */
static clint_status find_referrers(clint_run *run, const struct hmap *named) {
  clint_course *c = run->course;
  struct vec needles, folders, pick;
  vec_init(&needles, sizeof(struct lint_needle));
  vec_init(&folders, sizeof(const char *));
  vec_init(&pick, sizeof(struct page *));
  clint_status st = CLINT_OK;
  for (size_t i = 0; i < named->cap && st == CLINT_OK; i++) {
    const char *path = named->slots[i].key;
    if (!path)
      continue;
    const char **f = vec_push(&folders);
    if (!add_needles(run, &needles, path) || !f ||
        !(*f = arena_strndup(&run->arena, path, path_dirname_len(path))))
      st = CLINT_E_NOMEM;
  }
  /* The words' pieces, hashed once for the pages' summaries. */
  for (size_t i = 0; st == CLINT_OK && c->cache.data && i < needles.len; i++)
    if (!hash_needle(&run->arena, vec_at(&needles, i)))
      st = CLINT_E_NOMEM;
  if (st == CLINT_OK)
    st = walk_all(c, false);
  struct lint_shared sh = shared_for(c, NULL);
  sh.needles = needles.data;
  sh.nneedles = needles.len;
  /* Past a few dozen named pages, a pass per page's words costs more
   * than loading every page (a pull request that touches half the
   * course): then every page is a candidate. A page is searched for one
   * needle per named page (the one of its deepest scope). */
  enum { SEARCH_MAX_NAMED = 32 };
  bool search = folders.len <= SEARCH_MAX_NAMED;
  /* The named pages are reported whole: no need to search them. */
  struct vec others;
  vec_init(&others, sizeof(struct page *));
  for (size_t i = 0; st == CLINT_OK && search && i < c->all.len; i++) {
    struct page *p = *(struct page **)vec_at(&c->all, i);
    if (hmap_get(named, p->path, strlen(p->path)))
      continue;
    struct page **slot = vec_push(&others);
    if (slot)
      *slot = p;
    else
      st = CLINT_E_NOMEM;
  }
  if (st == CLINT_OK && search)
    st = lint_phase_run(&sh, others.data, others.len, LINT_SEARCH, c->jobs);
  vec_free(&others);
  for (size_t i = 0; st == CLINT_OK && !search && i < c->all.len; i++)
    (*(struct page **)vec_at(&c->all, i))->mentions = true;
  for (size_t i = 0; i < c->all.len && st == CLINT_OK; i++) {
    struct page *p = *(struct page **)vec_at(&c->all, i);
    if (hmap_get(named, p->path, strlen(p->path)))
      continue; /* a target: reported whole anyway */
    bool near = false;
    size_t dl = path_dirname_len(p->path);
    for (size_t k = 0; k < folders.len && !near; k++) {
      const char *f = *(const char **)vec_at(&folders, k);
      near = strlen(f) == dl && !strncmp(f, p->path, dl);
    }
    struct page **slot = near || p->mentions ? vec_push(&pick) : NULL;
    if (slot)
      *slot = p;
    else if (near || p->mentions)
      st = CLINT_E_NOMEM;
  }
  /* Pages checked already (a course kept open) are read as they are;
   * the others are checked only for what they say of the named pages. */
  struct vec fresh;
  vec_init(&fresh, sizeof(struct page *));
  for (size_t i = 0; i < pick.len && st == CLINT_OK; i++) {
    struct page *p = *(struct page **)vec_at(&pick, i);
    struct page **slot = p->resolved ? NULL : vec_push(&fresh);
    if (slot)
      *slot = p;
    else if (!p->resolved)
      st = CLINT_E_NOMEM;
  }
  if (st == CLINT_OK)
    st = load_and_check_in(c, fresh.data, fresh.len, named);
  for (size_t i = 0; i < pick.len && st == CLINT_OK; i++) {
    struct page *p = *(struct page **)vec_at(&pick, i);
    bool refers = false;
    for (size_t k = 0; k < p->refs.len && !refers; k++) {
      const struct page_ref *r = vec_at(&p->refs, k);
      refers = lint_points_into(named, r->target);
    }
    struct page **slot = refers ? vec_push(&run->referrers) : NULL;
    if (slot)
      *slot = p;
    else if (refers)
      st = CLINT_E_NOMEM;
  }
  /* Gathered before the next run; unchecked then, so that a run that
   * asks for all their findings checks them whole. */
  run->partial = fresh;
  vec_free(&needles);
  vec_free(&folders);
  vec_free(&pick);
  return st;
}

/* Whether finding d of referrer p is about one of its references into a
 * named page: a reference recorded at the finding's place. */
static bool about_named(const struct page *p, const struct diag *d,
                        const struct hmap *named) {
  for (size_t k = 0; k < p->refs.len; k++) {
    const struct page_ref *r = vec_at(&p->refs, k);
    if (r->pos.line == d->pos.line && r->pos.col == d->pos.col &&
        lint_points_into(named, r->target))
      return true;
  }
  return false;
}

/* ---- findings ------------------------------------------------------------ */

/* A page to report: all its findings, or (a referrer) those about the
 * named pages. */
struct shown {
  struct page *page;
  bool referrer;
};

static int shown_cmp(const void *a, const void *b) {
  return strcmp(((const struct shown *)a)->page->path,
                ((const struct shown *)b)->page->path);
}

static clint_status gather(clint_run *run, const struct hmap *named) {
  size_t np = run->pages.len + run->referrers.len, n = 0;
  struct shown *shown = calloc(np ? np : 1, sizeof(*shown));
  if (!shown)
    return CLINT_E_NOMEM;
  for (size_t i = 0; i < run->pages.len; i++)
    shown[i].page = *(struct page **)vec_at(&run->pages, i);
  for (size_t i = 0; i < run->referrers.len; i++)
    shown[run->pages.len + i] =
        (struct shown){*(struct page **)vec_at(&run->referrers, i), true};
  qsort(shown, np, sizeof(*shown), shown_cmp);
  for (size_t i = 0; i < np; i++)
    n += shown[i].page->found.len + shown[i].page->checked.len;
  run->diags = calloc(n ? n : 1, sizeof(clint_diag));
  run->fixes = calloc(n ? n : 1, sizeof(clint_fix));
  run->files = calloc(np ? np : 1, sizeof(char *));
  run->fixinfo = calloc(np ? np : 1, sizeof(struct fix_info));
  if (!run->diags || !run->fixes || !run->files || !run->fixinfo) {
    free(shown);
    return CLINT_E_NOMEM;
  }
  /* The pages are in path order and their paths differ, so sorting each
   * page's findings sorts them all, without comparing long paths. */
  for (size_t i = 0; i < np; i++) {
    struct page *p = shown[i].page;
    clint_diag *first = run->diags + run->ndiags;
    const struct vec *lists[2] = {&p->found, &p->checked};
    for (size_t l = 0; l < 2; l++)
      for (size_t k = 0; k < lists[l]->len; k++) {
        const struct diag *d = vec_at(lists[l], k);
        if (shown[i].referrer && !about_named(p, d, named))
          continue;
        copy_diag(run, p, run->own_course && !shown[i].referrer, d,
                  &run->diags[run->ndiags], &run->fixes[run->ndiags]);
        run->ndiags++;
      }
    size_t mine = (size_t)(run->diags + run->ndiags - first);
    if (shown[i].referrer && mine == 0)
      continue; /* it refers to a named page, rightly */
    if (mine > 1)
      qsort(first, mine, sizeof(clint_diag), diag_cmp);
    run->files[run->nfiles] = p->display;
    run->fixinfo[run->nfiles++] = (struct fix_info){
        p->path, p->size, p->bom, p->digest,
        atomic_load(&p->state) == PAGE_LOADED && p->has_digest};
    run->summary.references_checked += p->refs_checked;
    run->summary.external_skipped += p->nexternal;
  }
  run->summary.files_checked = run->nfiles;
  free(shown);
  if (run->arena.failed)
    return CLINT_E_NOMEM;
  return CLINT_OK;
}

static bool never_orphan(const char *path) {
  const char *base = path_basename(path);
  return !strcasecmp(base, "README.md") || !strcmp(base, "index.md") ||
         !strcmp(base, "SUMMARY.md") || path == base ||
         formats_of(base) == FORMAT_TOC;
}

static int strcmp_ptr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The pages of the course that no reference of another page reaches. */
static clint_status find_orphans(clint_run *run) {
  const struct vec *all = &run->course->all;
  struct hmap reached;
  hmap_init(&reached);
  bool ok = true;
  for (size_t i = 0; i < all->len && ok; i++) {
    const struct page *p = *(struct page **)vec_at(all, i);
    for (size_t k = 0; k < p->refs.len && ok; k++) {
      const struct page_ref *r = vec_at(&p->refs, k);
      /* A reference reaches its page even when the anchor it names is
       * missing; one to a missing page names no page of the walk. */
      if (strcmp(r->target, p->path) != 0)
        ok = hmap_put(&reached, r->target, strlen(r->target), (void *)r);
    }
  }
  run->orphans = calloc(all->len ? all->len : 1, sizeof(char *));
  for (size_t i = 0; ok && run->orphans && i < all->len; i++) {
    struct page *p = *(struct page **)vec_at(all, i);
    if (atomic_load(&p->state) == PAGE_LOADED &&
        !hmap_get(&reached, p->path, strlen(p->path)) && !never_orphan(p->path))
      run->orphans[run->norphans++] = p->path;
  }
  hmap_free(&reached);
  if (!ok || !run->orphans)
    return CLINT_E_NOMEM;
  qsort(run->orphans, run->norphans, sizeof(char *), strcmp_ptr);
  return CLINT_OK;
}

/* ---- the cache ----------------------------------------------------------- */

/* Whether folder d's listing may go in the cache: stated before it was
 * listed, listed whole, and old enough to be trusted. */
static bool dir_keepable(const struct dir *d, int64_t since) {
  return d->stamped && d->exists && !d->error &&
         cache_stamp_settled(&d->stamp, since);
}

/* Write what the run learnt, when it learnt something: the listings of
 * the folders it stated and the summaries of the pages it searched,
 * those old enough to be trusted (cache_stamp_settled); a page it did
 * not look at keeps the summary the file had for it, checked next time
 * as every other. Not with pages given from memory: they are not what
 * the files hold. Best effort: a cache that cannot be written is not. */
static void save_cache(clint_course *c) {
  struct course *ix = &c->index;
  struct cache *k = &c->cache;
  if (ix->given.len)
    return;
  const struct hmap *maps[2] = {&ix->dirs, &ix->late_dirs};
  bool fresh = atomic_load(&k->fresh) > 0;
  for (size_t m = 0; m < 2 && !fresh; m++)
    for (size_t i = 0; i < maps[m]->cap && !fresh; i++) {
      const struct dir *d = maps[m]->slots[i].value;
      fresh =
          maps[m]->slots[i].key && !d->from_cache && dir_keepable(d, k->since);
    }
  if (!fresh)
    return; /* nothing learnt: the file stays as it is */
  struct vec dirs, ents, files;
  vec_init(&dirs, sizeof(struct cache_dir_rec));
  vec_init(&ents, sizeof(struct cache_entry));
  vec_init(&files, sizeof(struct cache_file_rec));
  bool ok = true;
  for (size_t m = 0; m < 2 && ok; m++)
    for (size_t i = 0; i < maps[m]->cap && ok; i++) {
      const struct dir *d = maps[m]->slots[i].value;
      if (!maps[m]->slots[i].key || !dir_keepable(d, k->since))
        continue;
      struct cache_dir_rec *r = vec_push(&dirs);
      ok = r != NULL;
      if (ok)
        *r = (struct cache_dir_rec){d->path, d->stamp, ents.len, d->n};
      for (size_t e = 0; e < d->n && ok; e++) {
        struct cache_entry *ce = vec_push(&ents);
        const struct entry *de = &d->entries[e];
        ok = ce != NULL;
        if (ok)
          *ce = (struct cache_entry){de->name, de->len, de->type, de->symlink};
      }
    }
  for (size_t i = 0; i < c->all.len && ok; i++) {
    const struct page *p = *(struct page **)vec_at(&c->all, i);
    struct cache_file_rec r = {p->path, p->stamp, p->summary, p->nsummary};
    if (!p->summary)
      r.summary = cache_summary_kept(k, p->path, &r.stamp, &r.nwords);
    else if (!cache_stamp_settled(&p->stamp, k->since))
      r.summary = NULL;
    struct cache_file_rec *slot = r.summary ? vec_push(&files) : NULL;
    if (slot)
      *slot = r;
    else if (r.summary)
      ok = false;
  }
  if (ok)
    cache_save(c->cache_file, dirs.data, dirs.len, ents.data, ents.len,
               files.data, files.len);
  vec_free(&dirs);
  vec_free(&ents);
  vec_free(&files);
}

clint_status clint_run_lint(clint_run *run, clint_error *err) {
  if (run->linted)
    return status_set(err, CLINT_E_USAGE, NULL, 0, 0,
                      "the run has linted already: start a new run");
  run->linted = true;
  clint_course *c = run->course;
  index_thaw(&c->index);
  /* Only pages gone and no target: nothing of their own to check. */
  bool only_gone = run->targets.len == 0 && run->gone.len > 0;
  /* A run that names the course's root checks every page, so the pages
   * that refer to the others are checked already: no search. */
  bool some = c->referrers && !names_root(run) &&
              (run->targets.len > 0 || run->gone.len > 0);
  /* A course made for this run alone is asked nothing after it: unless
   * the orphan list or the referrers need them, its pages keep no
   * references and no dependents (a tenth of the memory on a large
   * course). */
  c->forget = run->own_course && !c->index_all && !some;
  if (some && c->index.cache)
    c->cache.since = (int64_t)time(NULL); /* what is older may be kept */
  clint_status st = only_gone ? CLINT_OK : collect_targets(run);
  /* The orphan list needs every page checked; a run without targets
   * checks every page anyway. */
  bool all = c->index_all && st == CLINT_OK;
  if (all)
    st = walk_all(c, true);
  struct vec *work = all ? &c->all : &run->pages;
  if (st == CLINT_OK)
    st = load_and_check(c, work->data, work->len);
  if (all && st == CLINT_OK && work != &run->pages)
    /* Targets outside the walk (ignored pages named on purpose). */
    st = load_and_check(c, run->pages.data, run->pages.len);
  struct hmap named;
  hmap_init(&named);
  for (size_t i = 0; some && i < run->pages.len && st == CLINT_OK; i++)
    if (!named_add(&named, (*(struct page **)vec_at(&run->pages, i))->path))
      st = CLINT_E_NOMEM;
  for (size_t i = 0; some && i < run->gone.len && st == CLINT_OK; i++)
    if (!named_add(&named, *(const char **)vec_at(&run->gone, i)))
      st = CLINT_E_NOMEM;
  if (some && st == CLINT_OK && named.len)
    st = find_referrers(run, &named);
  if (some && st == CLINT_OK && c->index.cache)
    save_cache(c);
  if (st == CLINT_OK)
    st = gather(run, &named);
  for (size_t i = 0; i < run->partial.len; i++)
    page_unresolve(*(struct page **)vec_at(&run->partial, i));
  hmap_free(&named);
  if (st == CLINT_OK && c->index_all)
    st = find_orphans(run);
  run->summary.files_indexed = c->index.page_list.len;
  if (st != CLINT_OK)
    return status_set(err, st, NULL, 0, 0, "%s", clint_status_str(st));
  return CLINT_OK;
}

size_t clint_run_diag_count(const clint_run *run) { return run->ndiags; }

const clint_diag *clint_run_diag(const clint_run *run, size_t i) {
  return i < run->ndiags ? &run->diags[i] : NULL;
}

const clint_summary *clint_run_summary(const clint_run *run) {
  return &run->summary;
}

size_t clint_run_orphan_count(const clint_run *run) { return run->norphans; }

const char *clint_run_orphan(const clint_run *run, size_t i) {
  return i < run->norphans ? run->orphans[i] : NULL;
}

size_t clint_run_file_count(const clint_run *run) { return run->nfiles; }

const char *clint_run_file(const clint_run *run, size_t i) {
  return i < run->nfiles ? run->files[i] : NULL;
}

size_t clint_run_rule_count(const clint_run *run) {
  return run->course->rules->infos.len;
}

const clint_rule_info *clint_run_rule(const clint_run *run, size_t i) {
  const struct vec *infos = &run->course->rules->infos;
  return i < infos->len ? vec_at(infos, i) : NULL;
}

bool lint_run_digest(const clint_run *run, const char *root_path, size_t *size,
                     size_t *bom, uint64_t *digest) {
  size_t lo = 0, hi = run->nfiles; /* fixinfo is in path order */
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(run->fixinfo[mid].path, root_path);
    if (c == 0) {
      const struct fix_info *f = &run->fixinfo[mid];
      if (!f->has_digest)
        return false;
      *size = f->size;
      *bom = f->bom;
      *digest = f->digest;
      return true;
    }
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return false;
}

/* ---- for query.c -------------------------------------------------------- */

struct course *run_index(clint_course *c) {
  index_thaw(&c->index);
  return &c->index;
}

const struct rules *run_rules(const clint_course *c) { return c->rules; }

char *run_root_relative(const clint_course *c, struct arena *a,
                        const char *path) {
  return root_relative(c, a, path);
}

struct page *run_page(clint_course *c, const char *path, clint_error *err) {
  return course_page(c, path, false, err);
}
