/* lint.c - what the checks call (findings, references, other pages) and
 * the phases that run them on worker threads: load (read, parse and
 * collect each page) and resolve (check each page against the finished
 * index). Sits between the index (index.c, page.c) and the runs
 * (run.c). */
/* memmem: in glibc and musl under _GNU_SOURCE, in POSIX 2024. */
#define _GNU_SOURCE
#include "lint.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "suppress.h"
#include "util/path.h"
#include "util/pool.h"

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

/* ---- findings and references ------------------------------------------- */

struct diag *lint_diag(struct lint *lt, struct page *p, const char *rule,
                       struct pos pos, const char *fmt, ...) {
  clint_severity sev = rules_severity_on(lt->rules, rule, p->path);
  if (sev == CLINT_SEV_OFF || suppress_covers(p->supp, rule, pos.line))
    return NULL;
  /* A page's own resolve adds to what resolve found; anything else
   * (loading, collect) to what loading found. */
  struct diag *d = vec_push(lt->resolving == p ? &p->checked : &p->found);
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

struct arena *lint_scratch_begin(struct lint *lt, struct arena *own) {
  if (lt->scratch_busy) {
    arena_init(own);
    return own;
  }
  lt->scratch_busy = true;
  return &lt->scratch;
}

void lint_scratch_end(struct lint *lt, struct arena *scratch,
                      struct arena *own) {
  if (scratch == own) {
    arena_free(own);
  } else {
    arena_reset(scratch);
    lt->scratch_busy = false;
  }
}

void lint_count_ref(struct lint *lt, struct page *p, bool external) {
  if (lt->resolving == p && !external)
    p->refs_checked++;
}

void lint_ref(struct lint *lt, struct page *p, clint_ref_kind kind,
              struct pos pos, struct pos end, const char *rule,
              const char *target, const char *anchor, bool broken) {
  if (lt->resolving != p || !target || lt->forget)
    return;
  struct page_ref *r = vec_push(&p->refs);
  if (!r)
    return;
  r->kind = kind;
  r->pos = pos;
  r->end = end.line ? end : pos;
  r->rule = rule;
  r->target = arena_strdup(&p->arena, target);
  r->anchor = anchor ? arena_strdup(&p->arena, anchor) : NULL;
  r->broken = broken;
  if (!r->target)
    p->refs.len--;
}

void lint_match_limit(struct lint *lt, struct page *p, const char *rule,
                      struct pos pos) {
  lint_diag(lt, p, "rule/match-limit", pos,
            "pattern of rule %s hit the match limit here; text skipped", rule);
}

/* A folder's home pages: a link to the folder names them. */
static const char *const homes[] = {"README.md", "index.md"};

bool lint_is_home(const char *base) {
  return !strcmp(base, homes[0]) || !strcmp(base, homes[1]);
}

bool lint_points_into(const struct hmap *named, const char *t) {
  size_t tl = strlen(t);
  if (hmap_get(named, t, tl))
    return true;
  char buf[PATH_MAX + 16];
  size_t at = tl + (tl > 0);
  if (at + sizeof("README.md") > sizeof(buf))
    return false; /* no page has so long a path */
  memcpy(buf, t, tl);
  buf[tl] = '/';
  for (size_t k = 0; k < 2; k++) {
    size_t hl = strlen(homes[k]);
    memcpy(buf + at, homes[k], hl);
    if (hmap_get(named, buf, at + hl))
      return true;
  }
  return false;
}

struct page *lint_page(struct lint *lt, const char *path) {
  if (lt->focus && !hmap_get(lt->focus, path, strlen(path)) &&
      (!lt->resolving || strcmp(path, lt->resolving->path) != 0))
    return NULL;
  if (!index_is_markdown(path) || index_type(lt->course, path) != ENTRY_FILE)
    return NULL;
  struct page *p = index_page(lt->course, path);
  if (!p)
    return NULL;
  if (atomic_load(&p->state) == PAGE_NEW) {
    pthread_mutex_lock(&lt->course->lock);
    if (atomic_load(&p->state) == PAGE_NEW)
      page_load(lt, p, false);
    pthread_mutex_unlock(&lt->course->lock);
  }
  struct page *r = lt->resolving;
  if (r && r != p && !lt->forget) {
    /* Remember the page read, once: resolve asks for the same few pages
     * over and over (one per link into them). */
    struct page **last = r->deps.len ? vec_at(&r->deps, r->deps.len - 1) : NULL;
    struct page **slot = last && *last == p ? NULL : vec_push(&r->deps);
    if (slot)
      *slot = p;
  }
  return atomic_load(&p->state) == PAGE_LOADED ? p : NULL;
}

/* ---- the parse budget --------------------------------------------------- */

size_t lint_parse_cost(const char *text, size_t len) {
  /* Below this size the bound for the worst bytes is small enough not
   * to count them (most pages): every byte is taken to open a node. */
  enum { COUNT_FROM = 64 << 10, PER_BYTE = 8, PER_NODE = 500 };
  if (len < COUNT_FROM)
    return len * (PER_BYTE + PER_NODE);
  size_t opens = 0;
  for (size_t i = 0; i < len; i++) {
    switch (text[i]) {
    case '*':
    case '_':
    case '`':
    case '[':
    case ']':
    case '!':
    case '<':
    case '&':
    case '\\':
    case '|':
    case '\n':
    case '>':
    case '#':
    case '-':
    case '+':
      opens++;
      break;
    default:
      break;
    }
  }
  if (opens > SIZE_MAX / 2 / PER_NODE)
    return SIZE_MAX;
  return len * PER_BYTE + opens * PER_NODE;
}

void lint_budget_init(struct lint_budget *b) {
  pthread_mutex_init(&b->lock, NULL);
  pthread_cond_init(&b->freed, NULL);
  b->in_use = 0;
}

void lint_budget_free(struct lint_budget *b) {
  pthread_cond_destroy(&b->freed);
  pthread_mutex_destroy(&b->lock);
}

/* Wait until cost fits in what the pages being parsed leave of the
 * budget, then take it. A page over the whole budget waits until no
 * other parses, and then parses alone. */
static void budget_take(struct lint_budget *b, size_t cost) {
  pthread_mutex_lock(&b->lock);
  while (b->in_use > 0 && cost > LINT_PARSE_BUDGET - b->in_use)
    pthread_cond_wait(&b->freed, &b->lock);
  b->in_use += cost > LINT_PARSE_BUDGET ? LINT_PARSE_BUDGET : cost;
  pthread_mutex_unlock(&b->lock);
}

static void budget_give(struct lint_budget *b, size_t cost) {
  pthread_mutex_lock(&b->lock);
  b->in_use -= cost > LINT_PARSE_BUDGET ? LINT_PARSE_BUDGET : cost;
  pthread_cond_broadcast(&b->freed);
  pthread_mutex_unlock(&b->lock);
}

void lint_parse_begin(struct lint *lt, size_t cost, bool alone) {
  if (alone)
    budget_take(lt->budget, cost);
}

void lint_parse_end(struct lint *lt, size_t cost, bool alone) {
  if (alone)
    budget_give(lt->budget, cost);
}

/* ---- phases ------------------------------------------------------------- */

static int ptr_cmp(const void *a, const void *b) {
  uintptr_t x = (uintptr_t) * (void *const *)a,
            y = (uintptr_t) * (void *const *)b;
  return x < y ? -1 : x > y;
}

struct memo_entry {
  const void *key;
  long v[2];
};

const long *lint_memo_get(const struct lint *lt, const void *key) {
  const struct memo_entry *e =
      lt->resolving ? hmap_get(&lt->memo, (const char *)&key, sizeof(key))
                    : NULL;
  return e ? e->v : NULL;
}

void lint_memo_put(struct lint *lt, const void *key, long v0, long v1) {
  if (!lt->resolving)
    return;
  struct memo_entry *e = arena_alloc(&lt->memo_arena, sizeof(*e));
  if (!e)
    return;
  *e = (struct memo_entry){key, {v0, v1}};
  hmap_put(&lt->memo, (const char *)&e->key, sizeof(e->key), e);
}

/* Check page p against the index: each family's resolve, with p's arena
 * swapped for its resolved arena so that what resolve allocates goes
 * there (and is dropped with the next resolve). */
static void resolve_page(struct lint *lt, struct page *p) {
  page_unresolve(p);
  struct arena kept = p->arena;
  p->arena = p->resolved_arena;
  lt->resolving = p;
  /* A table of contents is a page of links only. */
  bool toc = formats_of(p->path) == FORMAT_TOC;
  for (size_t f = 0; f < FAM_COUNT; f++)
    if (check_families[f]->resolve && (!toc || f == FAM_LINKS))
      check_families[f]->resolve(lt, p);
  lt->resolving = NULL;
  hmap_free(&lt->memo);
  hmap_init(&lt->memo);
  arena_free(&lt->memo_arena);
  p->resolved_arena = p->arena;
  p->arena = kept;
  if (p->deps.len > 1) { /* each page read once */
    qsort(p->deps.data, p->deps.len, sizeof(struct page *), ptr_cmp);
    struct page **d = p->deps.data;
    size_t o = 0;
    for (size_t i = 0; i < p->deps.len; i++)
      if (o == 0 || d[o - 1] != d[i])
        d[o++] = d[i];
    p->deps.len = o;
  }
  p->generation++;
  p->resolved = true;
}

/* Whether page p's bytes hold one of the needles (LINT_SEARCH). The
 * bytes are read as they are, without a parse or a line table: a course
 * of 7,000 pages is searched in the time it takes to read it. A page the
 * search cannot read is taken to mention them: loading it says why. */
static bool in_scope(const char *path, const char *scope) {
  size_t n = strlen(scope);
  return n == 0 || (!strncmp(path, scope, n) && path[n] == '/');
}

static bool applies(const char *path, const struct lint_needle *nd) {
  return in_scope(path, nd->scope) &&
         !(nd->deeper && in_scope(path, nd->deeper));
}

/* A byte that may stand in a path as a link writes it: around one, a
 * destination starts or ends. */
static bool path_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c >= 0x80 || c == '_' || c == '-' ||
         c == '.' || c == '/' || c == '\\' || c == '%' || c == '~';
}

static bool space_byte(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool separator(char c) { return c == '/' || c == '\\'; }

/* Whether text[s, e), a run holding word top, has a way to top that a
 * page depth folders below the needle's scope can take: "../" depth
 * times ("./" counts for nothing) from where the way starts, or through
 * a folder of another name ("translations/zh", a URL's ".../main/zh"),
 * which is not followed further. top must start a folder name. */
static bool climbs_to(const char *text, size_t s, size_t e, const char *top,
                      size_t depth) {
  size_t tl = strlen(top);
  for (size_t at = s; at < e;) {
    const char *hit = memmem(text + at, e - at, top, tl);
    if (!hit)
      return false;
    size_t o = (size_t)(hit - text);
    at = o + 1;
    if (o > s && !separator(text[o - 1]) &&
        path_byte((unsigned char)text[o - 1]))
      continue; /* inside a longer name */
    size_t q = o, ups = 0;
    bool other = false;
    while (q > s && separator(text[q - 1])) {
      while (q > s && separator(text[q - 1]))
        q--;
      size_t b = q;
      while (b > s && !separator(text[b - 1]) &&
             path_byte((unsigned char)text[b - 1]))
        b--;
      if (q - b == 2 && text[b] == '.' && text[b + 1] == '.')
        ups++;
      else if (!(q - b == 1 && text[b] == '.'))
        other = q > b; /* a folder of another name, or a URL */
      if (other || q == b)
        break;
      q = b;
    }
    if (other || ups == depth)
      return true;
  }
  return false;
}

/* Past a home page's name at q, if one is there (README or index, with
 * any extension: README.md, index.html), and never past e. */
static size_t skip_home_name(const char *text, size_t q, size_t e) {
  if (e - q >= 6 && !memcmp(text + q, "README", 6))
    q += 6;
  else if (e - q >= 5 && !memcmp(text + q, "index", 5))
    q += 5;
  if (e - q >= 2 && text[q] == '.' && !separator(text[q + 1]) &&
      path_byte((unsigned char)text[q + 1])) /* an extension, not "..." */
    for (q++; q < e && path_byte((unsigned char)text[q]) && !separator(text[q]);
         q++)
      ;
  return q;
}

/* Whether some occurrence of the folder name word in text[s, e) is where
 * a way to the folder's home page ends: the name last, then perhaps "/",
 * "./", the home page's name (README.md, index.html) and a fragment. A
 * way that goes on into the folder ("3-transport/lessons/...") leads
 * elsewhere. */
static bool ends_at_home(const char *text, size_t s, size_t e,
                         const char *word) {
  size_t wl = strlen(word);
  for (size_t at = s; at < e;) {
    const char *hit = memmem(text + at, e - at, word, wl);
    if (!hit)
      return false;
    size_t q = (size_t)(hit - text) + wl;
    at = q;
    for (;;) { /* separators and "./" */
      while (q < e && separator(text[q]))
        q++;
      if (e - q >= 2 && text[q] == '.' && separator(text[q + 1]))
        q += 2;
      else
        break;
    }
    if (q < e && separator(text[q - 1]))
      q = skip_home_name(text, q, e);
    if (q < e && text[q] == '.' &&
        (q + 1 == e || !path_byte((unsigned char)text[q + 1])))
      q++; /* "x/." */
    if (q == e || !path_byte((unsigned char)text[q]))
      return true;
  }
  return false;
}

bool lint_spaced(const char *const *words, size_t n) {
  for (size_t w = 0; w < n; w++)
    for (const char *c = words[w]; *c; c++)
      if (space_byte(*c))
        return true;
  return false;
}

/* Whether every word of nd stands in one run of text without white space
 * around an occurrence of its first (rarest) word: a link's destination
 * names all the folders on its way at once ("../zh/2-farm/lessons/x/"),
 * where a page's table of lessons and its list of languages name them
 * one link each. Under no site, the way must also climb from the page
 * (depth folders below the needle's scope) to its last word: a page's
 * own "./2-farm/lessons/x/" is not the same lesson one folder up. A word
 * with white space in it (a folder "my notes") is looked for anywhere. */
static bool holds_all(const char *text, size_t len,
                      const struct lint_needle *nd, size_t depth) {
  if (nd->spaced) {
    for (size_t w = 0; w < nd->nwords; w++)
      if (!memmem(text, len, nd->words[w], strlen(nd->words[w])))
        return false;
    return true;
  }
  const char *first = nd->words[0];
  size_t fl = strlen(first), at = 0;
  const char *hit;
  while (at < len && (hit = memmem(text + at, len - at, first, fl))) {
    size_t s = (size_t)(hit - text), e = s + fl;
    while (s > 0 && !space_byte(text[s - 1]))
      s--;
    while (e < len && !space_byte(text[e]))
      e++;
    bool all = true;
    for (size_t w = 1; w < nd->nwords && all; w++)
      all = memmem(text + s, e - s, nd->words[w], strlen(nd->words[w]));
    if (all &&
        (!nd->direct ||
         climbs_to(text, s, e, nd->words[nd->nwords - 1], depth)) &&
        (!nd->home || ends_at_home(text, s, e, first)))
      return true;
    at = e; /* this run holds no other occurrence worth trying */
  }
  return false;
}

/* Whether text holds a link that only climbs, by lo to hi folders, to
 * the home page of a folder above: "..", "../..", "../../README.md#x",
 * "..\/index.html" (a notebook's JSON). That is how a page below a
 * folder names the folder's home page without a word of its path. */
static bool holds_climb(const char *t, size_t len, size_t lo, size_t hi) {
  const char *end = t + len;
  for (const char *p = memmem(t, len, "..", 2); p;
       p = p + 2 < end ? memmem(p + 1, (size_t)(end - p - 1), "..", 2) : NULL) {
    if (p > t && path_byte((unsigned char)p[-1]))
      continue;
    const char *q = p;
    size_t up = 0;
    while (end - q >= 2 && q[0] == '.' && q[1] == '.') {
      q += 2;
      up++;
      if (q == end || !separator(*q))
        break;
      while (q < end && separator(*q)) /* "/", or a notebook's "\\/" */
        q++;
    }
    q = t + skip_home_name(t, (size_t)(q - t), len);
    if (q < end && *q == '#') /* a fragment */
      while (q < end && !space_byte(*q) && *q != ')' && *q != '"' &&
             *q != '\'' && *q != '>')
        q++;
    if ((q == end || !path_byte((unsigned char)*q)) && up >= lo && up <= hi)
      return true;
  }
  return false;
}

/* Whether text, the bytes of the page at path, may refer to the named
 * page of needle nd. A needle with no words is a folder's home page seen
 * from below that folder: the page must climb to it (as many folders as
 * it is deep, or one more, as a site that publishes each page as a
 * folder reads it), or name the folder (a URL into the repository). At
 * the course's root, where a URL need name no folder, every page may. */
static bool holds_needle(const char *path, const char *text, size_t len,
                         const struct lint_needle *nd) {
  size_t depth = 0; /* folders between scope and the page */
  for (const char *c = path; *c; c++)
    depth += *c == '/';
  depth -= nd->levels;
  if (nd->nwords)
    return holds_all(text, len, nd, depth);
  if (!nd->scope[0])
    return true;
  if (holds_climb(text, len, depth, depth + 1))
    return true;
  const char *name = path_basename(nd->scope);
  return memmem(text, len, name, strlen(name)) != NULL;
}

/* Whether the summary s (n words) may hold every word of a needle that
 * applies to the page at path. */
static bool summary_mentions(const uint64_t *s, size_t n, const char *path,
                             const struct lint_shared *sh) {
  for (size_t k = 0; k < sh->nneedles; k++) {
    const struct lint_needle *nd = &sh->needles[k];
    if (!applies(path, nd))
      continue;
    if (!nd->hashes || cache_may_hold(s, n, nd->hashes, nd->nhashes))
      return true;
  }
  return false;
}

/* With a cache, the page's stamp, and its summary when the cache holds
 * one for that stamp. */
static void stamp_page(const struct course *c, struct page *p) {
  if (!(p->stamped = cache_stamp_at(c->root_fd, p->path, false, &p->stamp)))
    return;
  p->summary = cache_summary(c->cache, p->path, &p->stamp, &p->nsummary);
}

static bool page_mentions(struct lint *lt, struct page *p,
                          const struct lint_shared *sh) {
  bool any = false;
  for (size_t k = 0; k < sh->nneedles; k++) {
    const struct lint_needle *nd = &sh->needles[k];
    if (applies(p->path, nd)) {
      if (!nd->nwords && !nd->scope[0])
        return true; /* the root's home page: see holds_needle */
      any = true;
    }
  }
  if (!any)
    return false;
  size_t len;
  const char *text = index_given_text(lt->course, p->path, &len);
  if (!text) {
    if (!lt->course->has_root_fd || index_has_symlink(lt->course, p->path))
      return true;
    struct cache *k = lt->course->cache;
    if (k && !p->summary)
      stamp_page(lt->course, p);
    /* A summary's "no" is final; its "maybe" is read to be sure, so
     * that the pages loaded are those the bytes name. */
    if (p->summary && !summary_mentions(p->summary, p->nsummary, p->path, sh))
      return false;
    if (!index_read_raw(lt->course, p->path, &lt->raw))
      return true;
    text = lt->raw.data;
    len = lt->raw.len;
    /* Summed up for the next run, if the file is old enough to trust its
     * stamp then. */
    if (k && !p->summary && p->stamped &&
        cache_stamp_settled(&p->stamp, k->since) &&
        (p->own_summary = cache_summarize(text, len, &p->nsummary))) {
      p->summary = p->own_summary;
      atomic_fetch_add(&k->fresh, 1);
    }
  }
  for (size_t k = 0; k < sh->nneedles; k++) {
    const struct lint_needle *nd = &sh->needles[k];
    if (applies(p->path, nd) && holds_needle(p->path, text, len, nd))
      return true;
  }
  return false;
}

struct work {
  const struct lint_shared *sh;
  struct page **pages;
  size_t n;
  atomic_size_t next;
  enum lint_phase phase;
  struct walk *walk; /* with LINT_LOAD: pages come from it, not pages[] */
  atomic_bool failed;
};

/* Whether page p has anything to do in phase: a search reads every page,
 * a load takes the pages not loaded, a check the loaded ones not checked
 * since. */
static bool phase_wants(enum lint_phase phase, struct page *p) {
  int state = atomic_load(&p->state);
  return phase == LINT_SEARCH ? true
         : phase == LINT_LOAD ? state == PAGE_NEW
                              : state == PAGE_LOADED && !p->resolved;
}

/* The next page of a phase for this thread, NULL when there is none. */
static struct page *next_page(struct work *w) {
  if (w->walk)
    return index_walk_next(w->walk);
  size_t i = atomic_fetch_add(&w->next, 1);
  return i < w->n ? w->pages[i] : NULL;
}

static void *worker(void *arg) {
  struct work *w = arg;
  struct lint lt = {.course = w->sh->course,
                    .rules = w->sh->rules,
                    .budget = w->sh->budget,
                    .focus = w->sh->focus,
                    .forget = w->sh->forget,
                    .fixes_in_resolve = w->sh->fixes_in_resolve};
  lt.md = pcre2_match_data_create(64, NULL);
  lt.pool = pool_new(0);
  parse_reuse_init(&lt.reuse);
  if (!lt.md || !lt.pool) {
    pcre2_match_data_free(lt.md);
    pool_free(lt.pool);
    atomic_store(&w->failed, true);
    return NULL; /* a walk goes on in the other threads, or is left */
  }
  for (struct page *p; (p = next_page(w));) {
    if (!phase_wants(w->phase, p))
      continue;
    if (w->phase == LINT_SEARCH)
      p->mentions = page_mentions(&lt, p, w->sh);
    else if (w->phase == LINT_LOAD)
      page_load(&lt, p, true);
    else
      resolve_page(&lt, p);
    /* Most pages keep a few KB: the rest of their last block goes back. */
    arena_trim(&p->arena);
    arena_trim(&p->resolved_arena);
  }
  pcre2_match_data_free(lt.md);
  pool_free(lt.pool);
  arena_free(&lt.scratch);
  parse_reuse_free(&lt.reuse);
  buf_free(&lt.raw);
  return NULL;
}

static clint_status run_work(struct work *w, unsigned jobs) {
  atomic_init(&w->next, 0);
  atomic_init(&w->failed, false);
  if (jobs > CLINT_MAX_JOBS)
    jobs = CLINT_MAX_JOBS;
  pthread_t tids[CLINT_MAX_JOBS];
  unsigned started = 0;
  for (unsigned i = 1; i < jobs; i++)
    if (pthread_create(&tids[started], NULL, worker, w) == 0)
      started++;
  worker(w);
  for (unsigned i = 0; i < started; i++)
    pthread_join(tids[i], NULL);
  return atomic_load(&w->failed) ? CLINT_E_NOMEM : CLINT_OK;
}

clint_status lint_phase_run(const struct lint_shared *sh, struct page **pages,
                            size_t n, enum lint_phase phase, unsigned jobs) {
  /* No thread for a phase with nothing to do (the load after a walk that
   * loaded every page), nor more threads than pages to do. */
  size_t todo = 0;
  for (size_t i = 0; i < n; i++)
    todo += phase_wants(phase, pages[i]);
  if (todo == 0)
    return CLINT_OK;
  struct work w = {.sh = sh, .pages = pages, .n = n, .phase = phase};
  if (jobs > todo)
    jobs = (unsigned)todo;
  return run_work(&w, jobs);
}

clint_status lint_walk_load(const struct lint_shared *sh, const char *path,
                            struct vec *out, unsigned jobs) {
  /* One thread reads folders and the others load what it finds: a second
   * reader made the walk no faster (IoT's 2,500 folders). */
  struct work w = {.sh = sh,
                   .phase = LINT_LOAD,
                   .walk = index_walk_begin(sh->course, path, out, 1, true)};
  if (!w.walk)
    return CLINT_E_NOMEM;
  clint_status st = run_work(&w, jobs ? jobs : 1);
  clint_status walked = index_walk_end(w.walk);
  return walked != CLINT_OK ? walked : st;
}
