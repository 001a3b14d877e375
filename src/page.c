/* page.c - loading a page: read it (from disk, or from the text an
 * editor gave), parse it, give its headings numbers and anchors, and let
 * each family of checks collect its share of the index. Also dropping a
 * page whose text changed, so that it loads again. Between the index
 * (index.c, which finds pages) and the checks (lint.c runs them). */
#include "page.h"

#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "index.h"
#include "lint.h"
#include "outline.h"
#include "site.h"
#include "suggest.h"
#include "suppress.h"
#include "util/path.h"

struct page *page_new(struct arena *ca, struct arena_store *store,
                      const char *path, const char *display) {
  struct page *p = arena_alloc(ca, sizeof(*p));
  if (!p)
    return NULL;
  p->path = arena_strdup(ca, path);
  p->display = strcmp(display, path) ? arena_strdup(ca, display) : p->path;
  if (!p->path || !p->display)
    return NULL;
  arena_init_in(&p->arena, store);
  arena_init_in(&p->resolved_arena, store);
  hmap_init(&p->anchors);
  vec_init(&p->found, sizeof(struct diag));
  vec_init(&p->checked, sizeof(struct diag));
  vec_init(&p->refs, sizeof(struct page_ref));
  vec_init(&p->deps, sizeof(struct page *));
  vec_init(&p->dependents, sizeof(struct page_dependent));
  p->role = -1;
  return p;
}

void page_unresolve(struct page *p) {
  arena_free(&p->resolved_arena);
  p->checked.len = 0;
  p->refs.len = 0;
  p->deps.len = 0;
  p->refs_checked = 0;
  p->resolved = false;
}

static void free_loaded(struct page *p) {
  if (p->anchor_names)
    free(p->anchor_names->entries);
  suppress_free(p->supp);
  hmap_free(&p->anchors);
  arena_free(&p->arena);
}

/* Forget what the search learnt of the file: it may have changed. */
static void forget_summary(struct page *p) {
  free(p->own_summary);
  p->own_summary = NULL;
  p->summary = NULL;
  p->nsummary = 0;
  p->stamped = false;
}

void page_drop(struct page *p) {
  free_loaded(p);
  forget_summary(p);
  page_unresolve(p);
  hmap_init(&p->anchors);
  p->anchor_list = NULL;
  p->nanchors = 0;
  p->found.len = 0;
  p->role = -1;
  p->module = NULL;
  p->headings = NULL;
  p->nheadings = 0;
  p->links = NULL;
  p->nlinks = 0;
  p->nexternal = 0;
  p->supp = NULL;
  memset(p->family, 0, sizeof(p->family));
  p->anchor_names = NULL;
  atomic_store(&p->anchor_names_done, false);
  p->bom = p->size = 0;
  p->digest = 0;
  p->has_digest = false;
  atomic_store(&p->state, PAGE_NEW);
}

void page_free(struct page *p) {
  free_loaded(p);
  forget_summary(p);
  arena_free(&p->resolved_arena);
  vec_free(&p->found);
  vec_free(&p->checked);
  vec_free(&p->refs);
  vec_free(&p->deps);
  vec_free(&p->dependents);
}

static int anchor_cmp(const void *a, const void *b) {
  return strcmp(((const struct page_anchor *)a)->name,
                ((const struct page_anchor *)b)->name);
}

bool page_seal_anchors(struct page *p) {
  size_t n = p->anchors.len;
  struct page_anchor *v = n ? arena_alloc(&p->arena, n * sizeof(*v)) : NULL;
  if (n && !v)
    return false;
  size_t k = 0;
  for (size_t i = 0; i < p->anchors.cap; i++)
    if (p->anchors.slots[i].key)
      v[k++] = (struct page_anchor){p->anchors.slots[i].key,
                                    p->anchors.slots[i].value};
  if (n > 1)
    qsort(v, n, sizeof(*v), anchor_cmp);
  p->anchor_list = v;
  p->nanchors = n;
  hmap_free(&p->anchors);
  return true;
}

const void *page_anchor(const struct page *p, const char *anchor) {
  if (!p->nanchors) /* bsearch's array must not be NULL */
    return NULL;
  const struct page_anchor key = {anchor, NULL};
  const struct page_anchor *a =
      bsearch(&key, p->anchor_list, p->nanchors, sizeof(key), anchor_cmp);
  return a ? a->what : NULL;
}

bool page_add_anchor(struct page *p, const char *anchor, void *what) {
  size_t n = strlen(anchor);
  if (hmap_get(&p->anchors, anchor, n))
    return true;
  return hmap_put(&p->anchors, anchor, n, what);
}

/* ---- loading ------------------------------------------------------------ */

static void add_heading_anchors(struct lint *lt, struct page *p) {
  enum anchor_style style = site_anchor_style(lt->course, p->site);
  bool mk = style == ANCHOR_MKDOCS;
  char small[1024];
  struct hmap next; /* slug -> the number to try first */
  hmap_init(&next);
  for (size_t i = 0; i < p->nheadings; i++) {
    struct heading *h = &p->headings[i];
    /* An explicit {#id} names the heading where the site supports
     * attribute lists (MkDocs); GitHub ignores them and slugs the text.
     * Accept both rather than guess. */
    if (h->explicit_id)
      page_add_anchor(p, h->explicit_id, h);
    size_t len = strlen(h->text);
    char *out = len * 4 + 32 <= sizeof(small) ? small : malloc(len * 4 + 32);
    if (!out)
      continue;
    size_t n = anchor_slug(style, h->text, len, out);
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
      page_add_anchor(p, a, h);
    }
  }
  hmap_free(&next);
}

/* Copy what the page keeps for the resolve phase into its arena: the
 * headings, and the links resolve checks (relative ones, and URLs into
 * the repository itself). Other external links are counted here and not
 * kept (44,000 of IoT's 85,000; their destinations are in scratch); collect
 * still sees all of them in doc->links. */
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
  for (size_t i = 0; i < doc->nlinks; i++)
    kept += site_checks_link(lt->course, &doc->links[i]);
  p->nexternal = doc->nlinks - kept;
  p->links = arena_alloc(&p->arena, sizeof(struct link) * (kept ? kept : 1));
  p->nlinks = 0;
  for (size_t i = 0; p->links && i < doc->nlinks; i++) {
    const struct link *l = &doc->links[i];
    if (!site_checks_link(lt->course, l))
      continue;
    p->links[p->nlinks] = *l;
    /* A URL into the repository lives in scratch with the other URLs. */
    if (l->external &&
        !(p->links[p->nlinks].dest = arena_strdup(&p->arena, l->dest)))
      continue;
    p->nlinks++;
  }
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

/* The same at the place err names (a notebook's JSON error), if any. */
static void fail_page_at(struct lint *lt, struct page *p, const char *rule,
                         const clint_error *err) {
  lint_diag(
      lt, p, rule,
      (struct pos){err->line ? err->line : 1, err->column ? err->column : 1},
      "%s", err->message);
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

/* Read page p into src, or say why not (the page is then failed): the
 * text an editor gave for it, else the file. The full path is made only
 * when needed: to follow symbolic links, or to read without the root's
 * open folder. d is the page's folder and base its name there
 * (index_parent_dir). */
static bool read_page(struct lint *lt, struct page *p, struct dir *d,
                      const char *base, struct source *src) {
  clint_error err;
  clint_status st;
  size_t len;
  const char *given = index_given_text(lt->course, p->path, &len);
  if (given) {
    st = scan_from_mem(given, len, src);
    if (st != CLINT_OK) {
      fail_page(lt, p, "file/unreadable", clint_status_str(st));
      return false;
    }
    /* An editor's notebook, .mdx or table of contents is read as the
     * file would be. */
    st = formats_make_page(lt->course, p, p->path, src, &err);
    if (st != CLINT_OK) {
      fail_page_at(lt, p, "file/unreadable", &err);
      return false;
    }
  } else {
    char *full = NULL;
    bool linked = index_has_symlink_in(lt->course, d, base);
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
    st = lt->course->has_root_fd
             ? formats_read(lt->course, p, lt->course->root_fd, p->path, src,
                            &err)
             : formats_read(lt->course, p, AT_FDCWD, full, src, &err);
    if (st != CLINT_OK) {
      fail_page_at(lt, p, "file/unreadable", &err);
      return false;
    }
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
static clint_status index_doc(struct lint *lt, struct page *p,
                              const struct source *src, struct doc *doc,
                              const char *role_limit) {
  p->supp = suppress_read(&p->arena, doc);
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
    page_add_anchor(p, doc->ids[i].id, p);
  /* A table of contents is a page of links only. */
  bool toc = formats_of(p->path) == FORMAT_TOC;
  for (size_t f = 0; f < FAM_COUNT; f++)
    if (check_families[f]->collect && (!toc || f == FAM_LINKS))
      check_families[f]->collect(lt, p, doc);
  /* The link texts live in scratch, which goes with the parse. */
  for (size_t i = 0; i < p->nlinks; i++)
    p->links[i].text = NULL;
  doc->headings = NULL;
  return page_seal_anchors(p) ? CLINT_OK : CLINT_E_NOMEM;
}

/* Whether a finding of p may carry a fix: one from collect does, or a
 * family may add one in resolve. Only such a page needs its digest. */
static bool may_be_fixed(const struct lint *lt, const struct page *p) {
  if (lt->fixes_in_resolve)
    return true;
  for (size_t i = 0; i < p->found.len; i++)
    if (((const struct diag *)vec_at(&p->found, i))->has_fix)
      return true;
  return false;
}

void page_load(struct lint *lt, struct page *p, bool alone) {
  /* What the page asks of its folder (symbolic links, module, site), it
   * asks of the folder found once. */
  const char *base;
  struct dir *d = index_parent_dir(lt->course, p->path, &base);
  struct source src;
  if (!read_page(lt, p, d, base, &src))
    return;
  size_t cost = lint_parse_cost(src.text, src.len);
  if (cost > LINT_PAGE_COST_MAX) {
    char msg[160];
    snprintf(msg, sizeof(msg),
             "page would take about %zu MB to parse, over the limit of %zu "
             "MB; not checked",
             cost >> 20, LINT_PAGE_COST_MAX >> 20);
    fail_page(lt, p, "file/unreadable", msg);
    scan_free(&src);
    return;
  }
  lint_parse_begin(lt, cost, alone);
  const char *role_limit; /* a role whose file pattern hit the limit */
  p->role =
      rules_role_of(lt->rules, path_basename(p->path), lt->md, &role_limit);
  p->module = outline_module_in(lt->course, d, lt->md);
  p->site = site_of_in(lt->course, d, p->path);
  struct arena own, *scratch = lint_scratch_begin(lt, &own);
  struct doc doc;
  clint_status st =
      parse_doc_reusing(&src, &p->arena, scratch, lt->pool,
                        scratch == &own ? NULL : &lt->reuse, &doc);
  if (st == CLINT_OK)
    st = index_doc(lt, p, &src, &doc, role_limit);
  if (st == CLINT_OK && may_be_fixed(lt, p)) {
    p->digest = hash_digest(src.text, src.len);
    p->has_digest = true;
  }
  parse_free(&doc);
  lint_scratch_end(lt, scratch, &own);
  scan_free(&src);
  lint_parse_end(lt, cost, alone);
  atomic_store(&p->state, st == CLINT_OK ? PAGE_LOADED : PAGE_FAILED);
  if (st != CLINT_OK)
    lint_diag(lt, p, "file/unreadable", (struct pos){1, 1},
              "out of memory while parsing");
}
