/* lint.c - clint_run: drives the pipeline for one course. Phase 1 reads,
 * parses and indexes pages in parallel (collect); phase 2 checks each page
 * against the finished index (resolve); then findings are sorted so the
 * output never depends on the number of threads. */
#include "lint.h"

#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linter.h"
#include "outline.h"
#include "util/path.h"
#include "util/status.h"

struct target {
  const char *path; /* root-relative */
  bool dir;
};

struct clint_run {
  const clint_linter *linter;
  const struct rules *rules;
  struct course course;
  struct arena arena;
  struct vec targets; /* struct target */
  unsigned jobs;
  bool index_all;
  struct vec pages; /* struct page * to report */
  clint_diag *diags;
  size_t ndiags;
  const char **orphans;
  size_t norphans;
  clint_summary summary;
  atomic_size_t refs_checked;
  atomic_size_t external;
  /* Held while a page over LINT_BIG_PAGE is parsed (see load_page). */
  pthread_mutex_t big_lock;
  /* A family may give findings a fix in resolve: every page is digested. */
  bool fixes_in_resolve;
};

static unsigned cores(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

static unsigned run_jobs(const struct clint_run *run) {
  return run->jobs ? run->jobs : cores();
}

/* Parsing a page takes about twenty times its size (mostly cmark's
 * tree). Workers parse pages over this size one at a time, so that peak
 * memory follows the largest page, not the largest page times threads. */
#define LINT_BIG_PAGE ((size_t)4 << 20)

/* ---- the file family: findings about reading a page ------------------ */

static const struct rule_def file_rules[] = {
    {"file/unreadable", CLINT_SEV_ERROR, "a Markdown file could not be read",
     "The file exists but could not be opened or read (permissions, a "
     "broken link, a FIFO), or it is too large. Nothing in it was "
     "checked.\n\nExample: `notes.md:1:1: error: cannot open: Permission "
     "denied [file/unreadable]`. Fix the permissions, or ignore the path "
     "in .courselint.yml."},
    {"file/binary", CLINT_SEV_WARNING,
     "a .md file holds NUL bytes, so it is not text",
     "A file named like Markdown contains NUL bytes: most likely a binary "
     "file with the wrong extension. It is not checked.\n\nFix: rename "
     "it, or add it to `ignore` in .courselint.yml."},
    {"file/encoding", CLINT_SEV_WARNING, "a page is not valid UTF-8",
     "The page contains bytes that are not valid UTF-8, which renders as "
     "replacement characters on most sites. The page is still "
     "checked.\n\nFix: re-save the file as UTF-8."},
    {"rule/match-limit", CLINT_SEV_WARNING,
     "a rule's pattern hit the PCRE2 match limit on a page",
     "A pattern of the named rule needed more backtracking than "
     "`limits.match` allows on this text, so it was stopped and that text "
     "was not checked by that rule.\n\nFix: rewrite the pattern without "
     "nested quantifiers such as (a+)+, or raise `limits` in the rule "
     "file."},
    {NULL, 0, NULL, NULL}};

const struct family file_family = {.name = "file", .rules = file_rules};

/* ---- findings ---------------------------------------------------------- */

static bool rule_matches(const char *spec, const char *rule) {
  size_t n = strlen(spec);
  if (n && spec[n - 1] == '*')
    return !strncmp(spec, rule, n - 1);
  if (!strcmp(spec, rule))
    return true;
  /* A bare family name: "link" covers "link/...". */
  return !strchr(spec, '/') && !strncmp(spec, rule, n) && rule[n] == '/';
}

static bool suppressed(const struct page *p, const char *rule, unsigned line) {
  for (size_t i = 0; i < p->nsupp; i++) {
    const struct suppress *s = &p->supp[i];
    if (line >= s->from && line <= s->to &&
        (!s->rule || rule_matches(s->rule, rule)))
      return true;
  }
  return false;
}

struct diag *lint_diag(struct lint *lt, struct page *p, const char *rule,
                       struct pos pos, const char *fmt, ...) {
  if (!p->report)
    return NULL;
  clint_severity sev = rules_severity(lt->rules, rule);
  if (sev == CLINT_SEV_OFF || suppressed(p, rule, pos.line))
    return NULL;
  struct diag *d = vec_push(&p->diags);
  if (!d)
    return NULL;
  d->rule = rule;
  d->severity = sev;
  d->pos = pos;
  d->end = pos;
  /* Sized to fit: a fixed buffer would cut a long destination short,
   * perhaps inside a UTF-8 sequence. Most messages fit the one on the
   * stack and are formatted once. */
  char small[512];
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(small, sizeof(small), fmt, ap);
  va_end(ap);
  char *msg = n < 0 ? NULL : arena_alloc(&p->arena, (size_t)n + 1);
  if (msg && (size_t)n < sizeof(small))
    memcpy(msg, small, (size_t)n + 1);
  else if (msg)
    vsnprintf(msg, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  d->message = msg ? msg : "out of memory";
  return d;
}

void lint_count_ref(struct lint *lt, const struct page *p, bool external) {
  if (!p->report)
    return;
  if (external)
    atomic_fetch_add(&lt->run->external, 1);
  else
    atomic_fetch_add(&lt->run->refs_checked, 1);
}

void lint_note_incoming(struct lint *lt, const struct page *from,
                        struct page *to) {
  (void)lt;
  if (from != to)
    atomic_fetch_add(&to->incoming, 1);
}

void lint_match_limit(struct lint *lt, struct page *p, const char *rule,
                      struct pos pos) {
  lint_diag(lt, p, "rule/match-limit", pos,
            "pattern of rule %s hit the match limit here; text skipped", rule);
}

/* ---- suppression comments --------------------------------------------- */

/* <!-- courselint-VERB [RULE...] -->: without rules a comment covers every
 * rule. Longer verbs first, since "disable" starts "disable-line". */
enum verb { NEXT_LINE, THIS_LINE, WHOLE_FILE, FROM_HERE, ENABLE, NO_VERB };
static const char *const verbs[NO_VERB] = {
    [NEXT_LINE] = "courselint-disable-next-line",
    [THIS_LINE] = "courselint-disable-line",
    [WHOLE_FILE] = "courselint-disable-file",
    [FROM_HERE] = "courselint-disable",
    [ENABLE] = "courselint-enable",
};

static bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static enum verb read_verb(const char **t) {
  while (blank(**t))
    (*t)++;
  for (size_t k = 0; k < NO_VERB; k++) {
    size_t n = strlen(verbs[k]);
    if (!strncmp(*t, verbs[k], n) && ((*t)[n] == '\0' || blank((*t)[n]))) {
      *t += n;
      return (enum verb)k;
    }
  }
  return NO_VERB;
}

/* Apply one verb for one rule (NULL: all) of comment c to the ranges. */
static void suppress(struct vec *v, enum verb verb, const char *rule,
                     const struct comment *c) {
  if (verb == ENABLE) {
    /* Close the open "disable" ranges of this rule (or all); a
     * disable-file range (from line 0) stays. */
    for (size_t k = 0; k < v->len; k++) {
      struct suppress *s = vec_at(v, k);
      if (s->to == UINT_MAX && s->from > 0 && s->from <= c->line &&
          (!rule || (s->rule && !strcmp(s->rule, rule))))
        s->to = c->line;
    }
    return;
  }
  struct suppress *s = vec_push(v);
  if (!s)
    return;
  s->rule = rule;
  s->from = verb == NEXT_LINE    ? c->end_line + 1
            : verb == WHOLE_FILE ? 0
                                 : c->line;
  s->to = verb == NEXT_LINE   ? c->end_line + 1
          : verb == THIS_LINE ? c->end_line
                              : UINT_MAX;
}

static void add_suppressions(struct page *p, const struct doc *doc) {
  struct vec v;
  vec_init(&v, sizeof(struct suppress));
  for (size_t i = 0; i < doc->ncomments; i++) {
    const struct comment *c = &doc->comments[i];
    const char *t = c->text;
    enum verb verb = read_verb(&t);
    if (verb == NO_VERB)
      continue;
    for (bool any = false;; any = true) {
      while (blank(*t) || *t == ',')
        t++;
      size_t n = strcspn(t, " \t\r\n,");
      if (n == 0 && any)
        break;
      const char *rule = n ? arena_strndup(&p->arena, t, n) : NULL;
      t += n;
      suppress(&v, verb, rule, c);
      if (!rule)
        break;
    }
  }
  if (v.len) {
    p->supp = arena_alloc(&p->arena, v.len * sizeof(struct suppress));
    if (p->supp) {
      memcpy(p->supp, v.data, v.len * sizeof(struct suppress));
      p->nsupp = v.len;
    }
  }
  vec_free(&v);
}

/* ---- loading a page ----------------------------------------------------- */

static void add_heading_anchors(struct lint *lt, struct page *p) {
  bool mk = lt->course->anchors == ANCHOR_MKDOCS;
  char small[1024];
  struct hmap next; /* slug -> the number to try first */
  hmap_init(&next);
  for (size_t i = 0; i < p->nheadings; i++) {
    struct heading *h = &p->headings[i];
    /* An explicit {#id} names the heading where the site supports
     * attribute lists (MkDocs); GitHub ignores them and slugs the text.
     * Accept both rather than guess. */
    if (h->explicit_id)
      index_add_anchor(p, h->explicit_id, h);
    size_t len = strlen(h->text);
    char *out = len * 4 + 32 <= sizeof(small) ? small : malloc(len * 4 + 32);
    if (!out)
      continue;
    size_t n = mk ? anchor_mkdocs(h->text, len, out)
                  : anchor_github(h->text, len, out);
    if (mk && n == 0)
      n = (size_t)sprintf(out, "_");
    /* Repeated slugs get -1, -2 (GitHub) or _1, _2 (MkDocs): the first
     * number not taken. next remembers where the last search for this
     * slug stopped (anchors are never removed), so 10,000 equal headings
     * do not try 1, 2, 3... each time. */
    const char *a = arena_strndup(&p->arena, out, n);
    if (a && hmap_get(&p->anchors, a, strlen(a))) {
      const char *base = a;
      unsigned k = (unsigned)(uintptr_t)hmap_get(&next, base, strlen(base));
      char cand[1100];
      char *c = n + 16 <= sizeof(cand) ? cand : malloc(n + 16);
      for (k = k ? k : 1; c; k++) {
        sprintf(c, "%.*s%c%u", (int)n, out, mk ? '_' : '-', k);
        if (!hmap_get(&p->anchors, c, strlen(c)))
          break;
      }
      a = c ? arena_strdup(&p->arena, c) : NULL;
      if (c)
        hmap_put(&next, base, strlen(base), (void *)(uintptr_t)(k + 1));
      if (c != cand)
        free(c);
    }
    if (out != small)
      free(out);
    if (a) {
      h->anchor = h->explicit_id ? h->explicit_id : a;
      index_add_anchor(p, a, h);
    }
  }
  hmap_free(&next);
}

/* Copy what the page keeps for the resolve phase into its arena: the
 * headings, and the links resolve checks. External links are counted here
 * and not kept (44,000 of IoT's 85,000; their destinations are in
 * scratch); collect still sees all of them in doc->links. */
static void keep_arrays(struct lint *lt, struct page *p, struct doc *doc) {
  p->nheadings = doc->nheadings;
  p->headings =
      arena_alloc(&p->arena, sizeof(struct heading) *
                                 (doc->nheadings ? doc->nheadings : 1));
  if (p->headings && doc->nheadings)
    memcpy(p->headings, doc->headings, sizeof(struct heading) * doc->nheadings);
  if (!p->headings)
    p->nheadings = 0;
  size_t kept = 0;
  for (size_t i = 0; i < doc->nlinks; i++) {
    bool external = path_is_external(doc->links[i].dest);
    if (external)
      lint_count_ref(lt, p, true);
    kept += !external;
  }
  p->links = arena_alloc(&p->arena, sizeof(struct link) * (kept ? kept : 1));
  p->nlinks = 0;
  for (size_t i = 0; p->links && i < doc->nlinks; i++)
    if (!path_is_external(doc->links[i].dest))
      p->links[p->nlinks++] = doc->links[i];
  /* The doc's headings now point into the page; the checks in collect see
   * the numbers and anchors the index fills in. The parser's own copy
   * (malloc'd or borrowed, see parse_free) is no longer needed. */
  if (!doc->reuse)
    free(doc->headings);
  doc->headings = NULL;
}

static void fail_page(struct lint *lt, struct page *p, const char *rule,
                      const char *msg) {
  lint_diag(lt, p, rule, (struct pos){1, 1}, "%s", msg);
  atomic_store(&p->state, PAGE_FAILED);
}

/* Whether a page's file, with every symbolic link followed, lies inside
 * the root. A link to a file elsewhere (/etc/passwd, a home folder) is not
 * read: it is broken once the course is published, and a course must not
 * make the linter read and quote files outside it. */
static bool inside_root(struct course *c, const char *full) {
  char *real = realpath(full, NULL);
  if (!real)
    return true; /* the read says what is wrong */
  size_t rl = strlen(c->root);
  bool in =
      !strncmp(real, c->root, rl) && (real[rl] == '/' || real[rl] == '\0');
  free(real);
  return in;
}

/* Read page p into src, or say why not (the page is then failed). The
 * full path is made only when needed: to follow symbolic links, or to
 * read without the root's open folder. */
static bool read_page(struct lint *lt, struct page *p, struct source *src) {
  clint_error err;
  char *full = NULL;
  bool linked = index_has_symlink(lt->course, p->path);
  if (linked || !lt->course->has_root_fd) {
    full = arena_printf(&p->arena, "%s/%s", lt->course->root, p->path);
    if (!full) {
      atomic_store(&p->state, PAGE_FAILED);
      return false;
    }
  }
  if (linked && !inside_root(lt->course, full)) {
    fail_page(lt, p, "file/unreadable",
              "symbolic link leads outside the course root; not read");
    return false;
  }
  clint_status st =
      lt->course->has_root_fd
          ? scan_read_file_at(lt->course->root_fd, p->path, src, &err)
          : scan_read_file(full, src, &err);
  if (st != CLINT_OK) {
    fail_page(lt, p, "file/unreadable", err.message);
    return false;
  }
  if (src->has_nul) {
    fail_page(lt, p, "file/binary",
              "file contains NUL bytes: not a text file, not checked");
    scan_free(src);
    return false;
  }
  p->bom = src->bom;
  p->size = src->bom + src->len;
  return true;
}

/* Number the headings by the page's role. The H1 is the page's title; a
 * number there ("02. Module 13 Explainer") is the page's place in its
 * module, not a chapter. Once the pattern hits its limit, it is not run
 * again on this page: each try can cost the whole limit, and thousands of
 * headings would add up to a hang. */
static void number_headings(struct lint *lt, struct page *p) {
  bool limit = false;
  for (size_t i = 0; i < p->nheadings && !limit; i++) {
    if (p->headings[i].level < 2)
      continue;
    p->headings[i].number = rules_heading_number(
        lt->rules, p->role, p->headings[i].text, &p->arena, lt->md, &limit);
    if (limit)
      lint_diag(lt, p, "rule/match-limit", p->headings[i].pos,
                "number pattern of role '%s' hit the match limit on this "
                "heading; no heading from here on is numbered",
                lt->rules->roles[p->role].id);
  }
}

/* Index a parsed page: suppressions, headings, anchors, then each check
 * family's collect. */
static void index_doc(struct lint *lt, struct page *p, const struct source *src,
                      struct doc *doc, const char *role_limit) {
  add_suppressions(p, doc);
  if (src->bad_utf8)
    lint_diag(lt, p, "file/encoding", (struct pos){src->bad_utf8_line, 1},
              "invalid UTF-8 on this line");
  if (role_limit)
    lint_diag(lt, p, "rule/match-limit", (struct pos){1, 1},
              "file pattern of role '%s' hit the match limit on this "
              "file name; the page may lack its role",
              role_limit);
  keep_arrays(lt, p, doc);
  doc->headings = p->headings;
  number_headings(lt, p);
  add_heading_anchors(lt, p);
  for (size_t i = 0; i < doc->nids; i++)
    index_add_anchor(p, doc->ids[i].id, p);
  for (size_t f = 0; f < FAM_COUNT; f++)
    if (check_families[f]->collect)
      check_families[f]->collect(lt, p, doc);
  /* The link texts live in scratch, which goes with the parse. */
  for (size_t i = 0; i < p->nlinks; i++)
    p->links[i].text = NULL;
  doc->headings = NULL;
}

/* Whether a finding of p may carry a fix: one from collect does, or a
 * family may add one in resolve. Only such a page needs its digest. */
static bool may_be_fixed(const struct lint *lt, const struct page *p) {
  if (lt->run->fixes_in_resolve)
    return true;
  for (size_t i = 0; i < p->diags.len; i++)
    if (((const struct diag *)vec_at(&p->diags, i))->has_fix)
      return true;
  return false;
}

/* Read, parse and index page p. alone: take the run's big-page lock for
 * a large page (workers of phase 1; loads through lint_page already hold
 * the course lock, which serialises them). */
static void load_page(struct lint *lt, struct page *p, bool alone) {
  struct source src;
  if (!read_page(lt, p, &src))
    return;
  bool big = alone && src.len > LINT_BIG_PAGE;
  if (big)
    pthread_mutex_lock(&lt->run->big_lock);
  const char *role_limit; /* a role whose file pattern hit the limit */
  p->role =
      rules_role_of(lt->rules, path_basename(p->path), lt->md, &role_limit);
  char *dir = arena_strndup(&p->arena, p->path, path_dirname_len(p->path));
  p->module = dir ? outline_module(lt->course, dir, lt->md) : NULL;
  /* The thread's scratch arena, unless a load is already using it. */
  struct arena own, *scratch = lt->scratch_busy ? &own : &lt->scratch;
  if (scratch == &own)
    arena_init(&own);
  lt->scratch_busy = true;
  struct doc doc;
  clint_status st =
      parse_doc_reusing(&src, &p->arena, scratch, lt->pool,
                        scratch == &own ? NULL : &lt->reuse, &doc);
  if (st == CLINT_OK)
    index_doc(lt, p, &src, &doc, role_limit);
  if (st == CLINT_OK && may_be_fixed(lt, p)) {
    p->digest = hash_digest(src.text, src.len);
    p->has_digest = true;
  }
  parse_free(&doc);
  if (scratch == &own) {
    arena_free(&own);
  } else {
    arena_reset(&lt->scratch);
    lt->scratch_busy = false;
  }
  scan_free(&src);
  if (big) {
#ifdef __GLIBC__
    /* Hand the freed tree back to the system: glibc keeps it in this
     * thread's malloc arena, where the next thread cannot reuse it. */
    malloc_trim(0);
#endif
    pthread_mutex_unlock(&lt->run->big_lock);
  }
  atomic_store(&p->state, st == CLINT_OK ? PAGE_LOADED : PAGE_FAILED);
  if (st != CLINT_OK)
    lint_diag(lt, p, "file/unreadable", (struct pos){1, 1},
              "out of memory while parsing");
}

struct page *lint_page(struct lint *lt, const char *path) {
  if (!index_is_markdown(path) || index_type(lt->course, path) != ENTRY_FILE)
    return NULL;
  struct page *p = index_page(lt->course, path);
  if (!p)
    return NULL;
  if (atomic_load(&p->state) == PAGE_NEW) {
    pthread_mutex_lock(&lt->course->lock);
    if (atomic_load(&p->state) == PAGE_NEW)
      load_page(lt, p, false);
    pthread_mutex_unlock(&lt->course->lock);
  }
  return atomic_load(&p->state) == PAGE_LOADED ? p : NULL;
}

/* ---- threads ------------------------------------------------------------ */

struct work {
  struct clint_run *run;
  struct page **pages;
  size_t n;
  atomic_size_t next;
  int phase;
  bool failed;
};

static void *worker(void *arg) {
  struct work *w = arg;
  struct lint lt = {
      .run = w->run, .course = &w->run->course, .rules = w->run->rules};
  lt.md = pcre2_match_data_create(64, NULL);
  lt.pool = pool_new(0);
  parse_reuse_init(&lt.reuse);
  if (!lt.md || !lt.pool) {
    pcre2_match_data_free(lt.md);
    pool_free(lt.pool);
    w->failed = true;
    return NULL;
  }
  for (;;) {
    size_t i = atomic_fetch_add(&w->next, 1);
    if (i >= w->n)
      break;
    struct page *p = w->pages[i];
    if (w->phase == 1) {
      if (atomic_load(&p->state) == PAGE_NEW)
        load_page(&lt, p, true);
    } else if (atomic_load(&p->state) == PAGE_LOADED) {
      for (size_t f = 0; f < FAM_COUNT; f++)
        if (check_families[f]->resolve)
          check_families[f]->resolve(&lt, p);
    }
    /* Most pages keep a few KB: the rest of their last block goes back. */
    arena_trim(&p->arena);
  }
  pcre2_match_data_free(lt.md);
  pool_free(lt.pool);
  arena_free(&lt.scratch);
  parse_reuse_free(&lt.reuse);
  return NULL;
}

static clint_status run_phase(struct clint_run *run, struct page **pages,
                              size_t n, int phase) {
  struct work w = {.run = run, .pages = pages, .n = n, .phase = phase};
  atomic_init(&w.next, 0);
  unsigned jobs = run_jobs(run);
  if (jobs > n)
    jobs = n ? (unsigned)n : 1;
  pthread_t tids[64];
  unsigned started = 0;
  for (unsigned i = 1; i < jobs; i++)
    if (pthread_create(&tids[started], NULL, worker, &w) == 0)
      started++;
  worker(&w);
  for (unsigned i = 0; i < started; i++)
    pthread_join(tids[i], NULL);
  return w.failed ? CLINT_E_NOMEM : CLINT_OK;
}

/* ---- the run ------------------------------------------------------------ */

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

clint_run *clint_run_new(const clint_linter *linter, const clint_options *opts,
                         clint_error *err) {
  clint_run *run = calloc(1, sizeof(*run));
  if (!run) {
    status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  run->linter = linter;
  run->rules = &linter->rules;
  pthread_mutex_init(&run->big_lock, NULL);
  run->jobs = opts ? opts->jobs : 0;
  run->index_all = opts && opts->index_all;
  for (size_t f = 0; f < FAM_COUNT; f++)
    run->fixes_in_resolve |= check_families[f]->fixes_in_resolve &&
                             check_families[f]->fixes_in_resolve(run->rules);
  arena_init(&run->arena);
  vec_init(&run->targets, sizeof(struct target));
  vec_init(&run->pages, sizeof(struct page *));
  char *root = opts && opts->root ? strdup(opts->root) : clint_find_root(NULL);
  clint_status st = root ? index_init(&run->course, root, run->rules, err)
                         : status_set(err, CLINT_E_IO, NULL, 0, 0,
                                      "cannot find the current folder");
  free(root);
  if (st != CLINT_OK) {
    clint_run_free(run);
    return NULL;
  }
  return run;
}

void clint_run_free(clint_run *run) {
  if (!run)
    return;
  index_free(&run->course);
  pthread_mutex_destroy(&run->big_lock);
  vec_free(&run->targets);
  vec_free(&run->pages);
  free(run->diags);
  free(run->orphans);
  arena_free(&run->arena);
  free(run);
}

const char *clint_run_root(const clint_run *run) { return run->course.root; }

clint_status clint_run_add_target(clint_run *run, const char *path,
                                  clint_error *err) {
  char *real = realpath(path, NULL);
  if (!real)
    return status_set(err, CLINT_E_IO, path, 0, 0, "no such file or folder");
  const char *root = run->course.root;
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

static int page_cmp(const void *a, const void *b) {
  return strcmp((*(struct page *const *)a)->path,
                (*(struct page *const *)b)->path);
}

/* The pages to report: every target, folders walked; duplicates dropped. */
static clint_status collect_targets(clint_run *run) {
  struct course *c = &run->course;
  if (run->targets.len == 0) {
    struct target *t = vec_push(&run->targets);
    if (!t)
      return CLINT_E_NOMEM;
    t->path = "";
    t->dir = true;
  }
  for (size_t i = 0; i < run->targets.len; i++) {
    struct target *t = vec_at(&run->targets, i);
    if (t->dir) {
      if (index_ignored(c, t->path, true) && t->path[0])
        continue;
      clint_status st = index_walk(c, t->path, &run->pages, run_jobs(run));
      if (st != CLINT_OK)
        return st;
    } else if (index_is_markdown(t->path) &&
               !index_ignored(c, t->path, false)) {
      struct page *p = index_page(c, t->path);
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
  for (size_t i = 0; i < o; i++)
    pp[i]->report = true;
  return CLINT_OK;
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

static clint_status gather(clint_run *run) {
  size_t n = 0;
  struct page **pp = run->pages.data;
  for (size_t i = 0; i < run->pages.len; i++)
    n += pp[i]->diags.len;
  run->diags = calloc(n ? n : 1, sizeof(clint_diag));
  if (!run->diags)
    return CLINT_E_NOMEM;
  /* The pages are in path order and their paths differ, so sorting each
   * page's findings sorts them all, without comparing long paths. */
  for (size_t i = 0; i < run->pages.len; i++) {
    struct page *p = pp[i];
    clint_diag *first = run->diags + run->ndiags;
    for (size_t k = 0; k < p->diags.len; k++) {
      const struct diag *d = vec_at(&p->diags, k);
      clint_diag *o = &run->diags[run->ndiags++];
      o->path = p->display;
      o->root_path = p->path;
      o->line = d->pos.line;
      o->column = d->pos.col;
      o->end_line = d->end.line ? d->end.line : d->pos.line;
      o->end_column = d->end.col ? d->end.col : d->pos.col;
      o->severity = d->severity;
      o->kind = d->kind;
      o->rule = d->rule;
      o->message = d->message;
      o->suggestion = d->suggestion;
      o->target = d->target;
      o->module = p->module ? p->module->path : NULL;
      o->fix = d->has_fix ? &d->fix : NULL;
      if (d->severity == CLINT_SEV_ERROR)
        run->summary.errors++;
      else
        run->summary.warnings++;
    }
    if (p->diags.len > 1)
      qsort(first, p->diags.len, sizeof(clint_diag), diag_cmp);
  }
  return CLINT_OK;
}

static bool never_orphan(const char *path) {
  const char *base = path_basename(path);
  return !strcasecmp(base, "README.md") || !strcmp(base, "index.md") ||
         !strcmp(base, "SUMMARY.md") || path == base;
}

static int strcmp_ptr(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static clint_status find_orphans(clint_run *run) {
  struct vec *all = &run->course.page_list;
  run->orphans = calloc(all->len ? all->len : 1, sizeof(char *));
  if (!run->orphans)
    return CLINT_E_NOMEM;
  for (size_t i = 0; i < all->len; i++) {
    struct page *p = *(struct page **)vec_at(all, i);
    if (atomic_load(&p->state) == PAGE_LOADED && !p->incoming &&
        !never_orphan(p->path))
      run->orphans[run->norphans++] = p->path;
  }
  qsort(run->orphans, run->norphans, sizeof(char *), strcmp_ptr);
  return CLINT_OK;
}

clint_status clint_run_lint(clint_run *run, clint_error *err) {
  /* With no target the targets are every page, which is all index_all
   * asks for: walk the course once. */
  bool walk_again = run->index_all && run->targets.len > 0;
  clint_status st = collect_targets(run);
  struct vec all;
  vec_init(&all, sizeof(struct page *));
  if (st == CLINT_OK && walk_again)
    st = index_walk(&run->course, "", &all, run_jobs(run));
  struct page **work = walk_again ? all.data : run->pages.data;
  size_t nwork = walk_again ? all.len : run->pages.len;
  if (st == CLINT_OK)
    st = run_phase(run, work, nwork, 1);
  /* From here on, the maps of folders and pages are read without locks. */
  index_freeze(&run->course);
  if (st == CLINT_OK)
    st = run_phase(run, work, nwork, 2);
  if (st == CLINT_OK)
    st = gather(run);
  if (st == CLINT_OK && run->index_all)
    st = find_orphans(run);
  vec_free(&all);
  run->summary.files_indexed = run->course.page_list.len;
  run->summary.files_checked = run->pages.len;
  run->summary.references_checked = atomic_load(&run->refs_checked);
  run->summary.external_skipped = atomic_load(&run->external);
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

size_t clint_run_file_count(const clint_run *run) { return run->pages.len; }

const char *clint_run_file(const clint_run *run, size_t i) {
  return i < run->pages.len ? (*(struct page **)vec_at(&run->pages, i))->display
                            : NULL;
}

size_t clint_run_rule_count(const clint_run *run) {
  return run->rules->infos.len;
}

const clint_rule_info *clint_run_rule(const clint_run *run, size_t i) {
  return i < run->rules->infos.len ? vec_at(&run->rules->infos, i) : NULL;
}

bool lint_run_digest(const clint_run *run, const char *root_path, size_t *size,
                     size_t *bom, uint64_t *digest) {
  for (size_t i = 0; i < run->pages.len; i++) {
    const struct page *p = *(struct page **)vec_at(&run->pages, i);
    if (!strcmp(p->path, root_path)) {
      if (atomic_load(&p->state) != PAGE_LOADED || !p->has_digest)
        return false;
      *size = p->size;
      *bom = p->bom;
      *digest = p->digest;
      return true;
    }
  }
  return false;
}
