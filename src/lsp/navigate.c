/* navigate.c - moving along references: definition (a link, a fragment,
 * a prose reference, a file or path named in prose), hover (the target
 * heading and its first lines), references (who refers to a heading or a
 * page) and rename of a heading with every link fragment that names it.
 * What refers to what comes from the course (clint_course_refs_from and
 * clint_course_refs_to); positions are mapped through the pages' text. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp.h"
#include "util/marks.h"
#include "util/path.h"

/* ---- collections ------------------------------------------------------- */

struct ref {
  clint_ref_kind kind;
  unsigned line, col, end_line, end_col;
  char *from, *to, *anchor;
  bool broken;
};

struct refs {
  struct ref *v;
  size_t n, cap;
};

static void refs_free(struct refs *r) {
  for (size_t i = 0; i < r->n; i++) {
    free(r->v[i].from);
    free(r->v[i].to);
    free(r->v[i].anchor);
  }
  free(r->v);
  memset(r, 0, sizeof(*r));
}

static bool keep_ref(const clint_ref *in, void *ctx) {
  struct refs *r = ctx;
  if (r->n == r->cap) {
    size_t cap = r->cap ? r->cap * 2 : 16;
    struct ref *grown = realloc(r->v, cap * sizeof(*grown));
    if (!grown)
      return false;
    r->v = grown;
    r->cap = cap;
  }
  struct ref *o = &r->v[r->n++];
  *o = (struct ref){in->kind,       in->line,
                    in->column,     in->end_line,
                    in->end_column, strdup(in->from),
                    strdup(in->to), in->anchor ? strdup(in->anchor) : NULL,
                    in->broken};
  return true;
}

static int ref_cmp(const void *a, const void *b) {
  const struct ref *x = a, *y = b;
  int c = strcmp(x->from, y->from);
  if (c)
    return c;
  return x->line != y->line ? (x->line < y->line ? -1 : 1)
                            : (x->col < y->col ? -1 : x->col > y->col);
}

static bool keep_heading(const clint_heading *h, void *ctx) {
  struct lsp_headings *l = ctx;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 16;
    struct lsp_heading *grown = realloc(l->v, cap * sizeof(*grown));
    if (!grown)
      return false;
    l->v = grown;
    l->cap = cap;
  }
  l->v[l->n++] = (struct lsp_heading){h->level,
                                      h->line,
                                      h->column,
                                      h->end_line,
                                      strdup(h->text),
                                      h->anchor ? strdup(h->anchor) : NULL,
                                      h->number ? strdup(h->number) : NULL};
  return true;
}

bool lsp_headings(struct lsp *s, const char *path, struct lsp_headings *out) {
  memset(out, 0, sizeof(*out));
  clint_error err;
  lsp_flush(s);
  return clint_course_headings(s->course, path, keep_heading, out, &err) ==
         CLINT_OK;
}

void lsp_headings_free(struct lsp_headings *h) {
  for (size_t i = 0; i < h->n; i++) {
    free(h->v[i].text);
    free(h->v[i].anchor);
    free(h->v[i].number);
  }
  free(h->v);
  memset(h, 0, sizeof(*h));
}

/* ---- where the cursor is ---------------------------------------------- */

/* The reference of the page whose span holds byte off of t (the end of
 * the span too, where a cursor rests after typing it). */
static const struct ref *ref_at(const struct refs *r, const struct text *t,
                                size_t off) {
  for (size_t i = 0; i < r->n; i++) {
    const struct ref *x = &r->v[i];
    if (x->line == 0)
      continue; /* named without a place */
    size_t a = text_lib_offset(t, x->line, x->col);
    size_t b = text_lib_end(t, x->end_line, x->end_col);
    if (a <= off && off <= b)
      return x;
  }
  return NULL;
}

static bool refs_from(struct lsp *s, const char *path, struct refs *out) {
  memset(out, 0, sizeof(*out));
  clint_error err;
  return clint_course_refs_from(s->course, path, keep_ref, out, &err) ==
         CLINT_OK;
}

/* The heading of hs whose lines hold line (1-based), or NULL. */
static const struct lsp_heading *heading_on(const struct lsp_headings *hs,
                                            unsigned line) {
  for (size_t i = 0; i < hs->n; i++)
    if (hs->v[i].line <= line &&
        line <= (hs->v[i].end_line ? hs->v[i].end_line : hs->v[i].line))
      return &hs->v[i];
  return NULL;
}

static bool is_page(struct lsp *s, const char *path) {
  json_t *pages = lsp_pages(s);
  return (pages && json_object_get(pages, path)) || lsp_doc_of_path(s, path);
}

/* The page a folder stands for on a site: its README.md or index.md. */
static char *folder_page(struct lsp *s, const char *dir) {
  static const char *const names[] = {"README.md", "index.md", "readme.md"};
  for (size_t i = 0; i < 3; i++) {
    char *p = malloc(strlen(dir) + 16);
    if (!p)
      return NULL;
    sprintf(p, "%s%s%s", dir, dir[0] ? "/" : "", names[i]);
    if (is_page(s, p))
      return p;
    free(p);
  }
  return NULL;
}

/* A Location (JSON) of the heading with this anchor on page path (the
 * top of the page when anchor is NULL or names no heading). */
static json_t *location(struct lsp *s, const char *path, const char *anchor) {
  char *uri = lsp_uri_of(s, path);
  if (!uri)
    return NULL;
  unsigned line = 0;
  struct lsp_headings hs;
  if (anchor && lsp_headings(s, path, &hs)) {
    for (size_t i = 0; i < hs.n; i++)
      if (hs.v[i].anchor && !strcmp(hs.v[i].anchor, anchor)) {
        line = hs.v[i].line - 1;
        break;
      }
    lsp_headings_free(&hs);
  }
  json_t *loc = json_pack("{s:o,s:{s:{s:I,s:I},s:{s:I,s:I}}}", "uri",
                          lsp_str(uri), "range", "start", "line",
                          (json_int_t)line, "character", (json_int_t)0, "end",
                          "line", (json_int_t)line, "character", (json_int_t)0);
  free(uri);
  return loc;
}

/* The Location a reference to (to, anchor) leads to: a page, the page
 * of a folder, or another file (an image), whose top it is. */
static json_t *target_location(struct lsp *s, const char *to,
                               const char *anchor) {
  if (is_page(s, to))
    return location(s, to, anchor);
  char *page = folder_page(s, to);
  json_t *loc = location(s, page ? page : to, NULL);
  free(page);
  return loc;
}

/* ---- a path named in prose --------------------------------------------- */

/* Whether path is a page of the course, or a folder holding one. */
static bool is_markdown_or_folder(struct lsp *s, const char *path) {
  if (is_page(s, path))
    return true;
  json_t *pages = lsp_pages(s);
  size_t n = strlen(path);
  const char *key;
  json_t *v;
  json_object_foreach(pages, key, v) if (!strncmp(key, path, n) &&
                                         (n == 0 || key[n] == '/')) return true;
  return false;
}

static bool path_char(unsigned char c) {
  return isalnum(c) || c == '_' || c == '-' || c == '.' || c == '/' ||
         c == '~' || c >= 0x80;
}

/* The path written around byte off of t ("05_hands_on_lab.md",
 * "../02_x/"), resolved against the page's folder: a root-relative path
 * (malloc'd) when it names a page or a folder of the course, else NULL. */
static char *mention_at(struct lsp *s, const char *page, const struct text *t,
                        size_t off) {
  size_t a = off, b = off;
  const unsigned char *u = (const unsigned char *)t->s;
  while (a > 0 && path_char(u[a - 1]))
    a--;
  while (b < t->len && path_char(u[b]))
    b++;
  while (b > a && t->s[b - 1] == '.') /* a full stop ends the sentence */
    b--;
  size_t n = b - a;
  if (n == 0 || n > 1024 ||
      (!memchr(t->s + a, '/', n) &&
       !(n > 3 && !memcmp(t->s + b - 3, ".md", 3))))
    return NULL;
  const char *slash = strrchr(page, '/');
  size_t dl = slash ? (size_t)(slash - page) : 0;
  char *joined = malloc(dl + n + 2);
  char *out = malloc(dl + n + 2);
  if (!joined || !out) {
    free(joined);
    free(out);
    return NULL;
  }
  int jl = sprintf(joined, "%.*s%s%.*s", (int)dl, page, dl ? "/" : "", (int)n,
                   t->s + a);
  /* "." parts dropped, ".." resolved inside the root only. */
  bool ok = jl > 0 && path_normalize(joined, (size_t)jl, out);
  free(joined);
  if (!ok || !is_markdown_or_folder(s, out)) {
    free(out);
    return NULL;
  }
  return out;
}

/* ---- definition and hover ---------------------------------------------- */

json_t *nav_definition(struct lsp *s, json_t *params, struct lsp_err *e) {
  size_t off;
  struct doc *d = lsp_doc_at(s, params, e, &off);
  if (!d)
    return e->code ? NULL : json_null();
  struct refs rs;
  json_t *loc = NULL;
  if (refs_from(s, d->path, &rs)) {
    const struct ref *r = ref_at(&rs, &d->text, off);
    if (r && (!r->broken || is_page(s, r->to)))
      loc = target_location(s, r->to, r->broken ? NULL : r->anchor);
    refs_free(&rs);
  }
  if (!loc) {
    char *to = mention_at(s, d->path, &d->text, off);
    if (to)
      loc = target_location(s, to, NULL);
    free(to);
  }
  return loc ? loc : json_null();
}

/* How many lines of a heading's section hover shows. */
#define HOVER_LINES 8

/* Markdown for the heading with this anchor on page path (the page's
 * first heading when anchor is NULL): its title, and the first lines
 * under it. malloc'd, or NULL. */
static char *preview(struct lsp *s, const char *path, const char *anchor) {
  struct lsp_headings hs;
  if (!lsp_headings(s, path, &hs))
    return NULL;
  const struct lsp_heading *h = NULL;
  size_t k = 0;
  for (; k < hs.n && !h; k++)
    if (anchor ? hs.v[k].anchor && !strcmp(hs.v[k].anchor, anchor) : 1)
      h = &hs.v[k];
  struct text own;
  const struct text *t = h ? lsp_text_of(s, path, &own) : NULL;
  char *out = NULL;
  size_t cap = 0, n = 0;
  FILE *f = t ? open_memstream(&out, &cap) : NULL;
  if (f) {
    fprintf(f, "**%s**%s%s%s\n\n`%s`\n\n", h->text, h->number ? " (" : "",
            h->number ? h->number : "", h->number ? ")" : "", path);
    /* The lines up to the next heading, blank ones at the start left
     * out. */
    unsigned stop = k < hs.n ? hs.v[k].line : (unsigned)t->nlines + 1;
    unsigned shown = 0;
    for (unsigned l = (h->end_line ? h->end_line : h->line) + 1;
         l < stop && shown < HOVER_LINES; l++) {
      size_t len;
      const char *line = text_line(t, l, &len);
      if (shown == 0 && strspn(line, " \t") >= len)
        continue;
      fprintf(f, "%.*s\n", (int)len, line);
      shown++;
    }
    fclose(f);
    n = cap;
  }
  (void)n;
  if (t == &own)
    text_free(&own);
  lsp_headings_free(&hs);
  return out;
}

json_t *nav_hover(struct lsp *s, json_t *params, struct lsp_err *e) {
  size_t off;
  struct doc *d = lsp_doc_at(s, params, e, &off);
  if (!d)
    return e->code ? NULL : json_null();
  struct refs rs;
  json_t *result = json_null();
  if (!refs_from(s, d->path, &rs))
    return result;
  const struct ref *r = ref_at(&rs, &d->text, off);
  char *page = NULL;
  if (r && !r->broken)
    page = is_page(s, r->to) ? strdup(r->to) : folder_page(s, r->to);
  char *md =
      page ? preview(s, page, is_page(s, r->to) ? r->anchor : NULL) : NULL;
  if (md) {
    json_decref(result);
    result = json_pack(
        "{s:{s:s,s:o},s:o}", "contents", "kind", "markdown", "value",
        lsp_str(md), "range",
        lsp_lib_range(s, &d->text, r->line, r->col, r->end_line, r->end_col));
  }
  free(md);
  free(page);
  refs_free(&rs);
  return result;
}

/* ---- references ---------------------------------------------------------- */

/* What the cursor names as a target: a heading of the page (its anchor;
 * the page itself for its title), or the target of a reference. */
struct target {
  char *page;
  char *anchor;                /* NULL: the page */
  struct lsp_heading *heading; /* on the page at the cursor, or NULL */
  struct lsp_headings hs;      /* the target page's headings */
};

static void target_free(struct target *t) {
  free(t->page);
  free(t->anchor);
  lsp_headings_free(&t->hs);
}

static bool target_at(struct lsp *s, struct doc *d, size_t off,
                      struct target *out) {
  memset(out, 0, sizeof(*out));
  unsigned line = text_line_of(&d->text, off);
  if (lsp_headings(s, d->path, &out->hs)) {
    struct lsp_heading *h = (struct lsp_heading *)heading_on(&out->hs, line);
    if (h) {
      out->page = strdup(d->path);
      out->heading = h;
      bool title = h->level == 1 && h == &out->hs.v[0];
      out->anchor = !title && h->anchor ? strdup(h->anchor) : NULL;
      return out->page != NULL;
    }
    lsp_headings_free(&out->hs);
  }
  struct refs rs;
  if (!refs_from(s, d->path, &rs))
    return false;
  const struct ref *r = ref_at(&rs, &d->text, off);
  if (r && is_page(s, r->to)) {
    out->page = strdup(r->to);
    out->anchor = r->anchor ? strdup(r->anchor) : NULL;
    if (out->page && lsp_headings(s, out->page, &out->hs))
      for (size_t i = 0; r->anchor && i < out->hs.n; i++)
        if (out->hs.v[i].anchor && !strcmp(out->hs.v[i].anchor, r->anchor))
          out->heading = &out->hs.v[i];
  }
  refs_free(&rs);
  return out->page != NULL;
}

static bool refs_to(struct lsp *s, const char *page, const char *anchor,
                    struct refs *out) {
  memset(out, 0, sizeof(*out));
  clint_error err;
  lsp_flush(s);
  if (clint_course_refs_to(s->course, page, anchor, keep_ref, out, &err) !=
      CLINT_OK)
    return false;
  if (out->n > 1)
    qsort(out->v, out->n, sizeof(struct ref), ref_cmp);
  return true;
}

/* Locations (JSON) of the references with a place, each page's text read
 * once. */
static json_t *ref_locations(struct lsp *s, const struct refs *rs) {
  json_t *list = json_array();
  struct text own = {0};
  const struct text *t = NULL;
  const char *last = NULL;
  char *uri = NULL;
  for (size_t i = 0; i < rs->n; i++) {
    const struct ref *r = &rs->v[i];
    if (r->line == 0)
      continue; /* named without a place */
    if (!last || strcmp(last, r->from) != 0) {
      text_free(&own);
      free(uri);
      t = lsp_text_of(s, r->from, &own);
      uri = lsp_uri_of(s, r->from);
      last = r->from;
    }
    if (t && uri)
      json_array_append_new(list,
                            json_pack("{s:o,s:o}", "uri", lsp_str(uri), "range",
                                      lsp_lib_range(s, t, r->line, r->col,
                                                    r->end_line, r->end_col)));
  }
  text_free(&own);
  free(uri);
  return list;
}

json_t *nav_references(struct lsp *s, json_t *params, struct lsp_err *e) {
  size_t off;
  struct doc *d = lsp_doc_at(s, params, e, &off);
  if (!d)
    return e->code ? NULL : json_null();
  struct target tg;
  if (!target_at(s, d, off, &tg)) {
    target_free(&tg);
    return json_null();
  }
  struct refs rs;
  json_t *list = refs_to(s, tg.page, tg.anchor, &rs) ? ref_locations(s, &rs)
                                                     : json_array();
  refs_free(&rs);
  bool decl = json_is_true(json_object_get(json_object_get(params, "context"),
                                           "includeDeclaration"));
  if (decl && tg.heading) {
    json_t *loc = location(s, tg.page, tg.heading->anchor);
    if (loc)
      json_array_insert_new(list, 0, loc);
  }
  target_free(&tg);
  return list;
}

/* ---- rename ------------------------------------------------------------- */

/* The bytes of a heading's text in t, without its markers, closing
 * hashes or {#id}: [*from, *to). false for a heading that is not on one
 * line (a setext heading of several lines) or is empty. */
static bool heading_span(const struct text *t, const struct lsp_heading *h,
                         size_t *from, size_t *to) {
  size_t len;
  const char *line = text_line(t, h->line, &len);
  /* A heading in a block quote or a list item stands after its marks
   * ("> ## Title", "- ## Title"). */
  size_t base = (size_t)(line - t->s), a = marks_prefix(line, len, true),
         e = len;
  if (a < len && line[a] == '#') {
    while (a < len && line[a] == '#')
      a++;
    while (a < len && (line[a] == ' ' || line[a] == '\t'))
      a++;
    while (e > a && (line[e - 1] == ' ' || line[e - 1] == '\t'))
      e--;
    size_t c = e;
    while (c > a && line[c - 1] == '#')
      c--;
    if (c < e && (c == a || line[c - 1] == ' ' || line[c - 1] == '\t'))
      e = c;
  } else if (h->end_line && h->end_line > h->line + 1) {
    return false; /* setext over several lines */
  }
  while (e > a && (line[e - 1] == ' ' || line[e - 1] == '\t'))
    e--;
  /* An attribute list, {#id} or {: #id}, names the heading itself. */
  if (e > a && line[e - 1] == '}') {
    size_t o = e;
    while (o > a && line[o - 1] != '{')
      o--;
    if (o > a && memchr(line + o, '#', e - o)) {
      e = o - 1;
      while (e > a && (line[e - 1] == ' ' || line[e - 1] == '\t'))
        e--;
    }
  }
  if (e <= a)
    return false;
  *from = base + a;
  *to = base + e;
  return true;
}

/* Where the fragment of link r (on a page of text t) lies, when it is
 * written exactly as anchor. */
static bool fragment_span(const struct text *t, const struct ref *r,
                          const char *anchor, size_t *from, size_t *to) {
  size_t rs = text_lib_offset(t, r->line, r->col);
  size_t re = text_lib_end(t, r->end_line, r->end_col);
  size_t ds, de;
  if (!lsp_link_dest(t->s, rs, re, &ds, &de) || de <= ds)
    return false;
  const char *hash = memchr(t->s + ds, '#', de - ds);
  if (!hash)
    return false;
  size_t fs = (size_t)(hash - t->s) + 1;
  if (de - fs != strlen(anchor) || memcmp(t->s + fs, anchor, de - fs) != 0)
    return false;
  *from = fs;
  *to = de;
  return true;
}

/* A rename worked out: the heading, its text, and who links to it. */
struct plan {
  struct target tg;
  struct text own;
  const struct text *t; /* the target page's text */
  size_t from, to;      /* the heading's text in t */
  struct refs rs;       /* the references to the heading */
};

static void plan_free(struct plan *p) {
  target_free(&p->tg);
  text_free(&p->own);
  refs_free(&p->rs);
}

/* Work out what renaming the heading at byte off of d means; false with
 * e filled when it cannot be done exactly. */
static bool plan_rename(struct lsp *s, struct doc *d, size_t off,
                        struct plan *p, struct lsp_err *e) {
  memset(p, 0, sizeof(*p));
  if (!target_at(s, d, off, &p->tg) || !p->tg.heading ||
      !p->tg.heading->anchor) {
    lsp_fail(e, LSP_REQUEST_FAILED,
             "no heading here: rename works on a heading or a link to one");
    return false;
  }
  p->t = lsp_text_of(s, p->tg.page, &p->own);
  if (!p->t || !heading_span(p->t, p->tg.heading, &p->from, &p->to)) {
    lsp_fail(e, LSP_REQUEST_FAILED,
             "this heading spans several lines: rename it by hand");
    return false;
  }
  if (!refs_to(s, p->tg.page, p->tg.heading->anchor, &p->rs)) {
    lsp_fail(e, LSP_REQUEST_FAILED, "cannot list the references to it");
    return false;
  }
  struct text own = {0};
  const struct text *t = NULL;
  const char *last = NULL;
  bool ok = true;
  for (size_t i = 0; ok && i < p->rs.n; i++) {
    const struct ref *r = &p->rs.v[i];
    if (r->kind != CLINT_REF_LINK && r->kind != CLINT_REF_IMAGE)
      continue;
    if (!last || strcmp(last, r->from) != 0) {
      text_free(&own);
      t = lsp_text_of(s, r->from, &own);
      last = r->from;
    }
    size_t a, b;
    if (!t || !fragment_span(t, r, p->tg.heading->anchor, &a, &b)) {
      lsp_fail(e, LSP_REQUEST_FAILED,
               "%s:%u: this link names the heading in a way a rename cannot "
               "rewrite exactly (a reference link, or an encoded fragment)",
               r->from, r->line);
      ok = false;
    }
  }
  text_free(&own);
  return ok;
}

json_t *nav_prepare_rename(struct lsp *s, json_t *params, struct lsp_err *e) {
  size_t off;
  struct doc *d = lsp_doc_at(s, params, e, &off);
  if (!d)
    return e->code ? NULL : json_null();
  struct plan p;
  if (!plan_rename(s, d, off, &p, e)) {
    plan_free(&p);
    return NULL;
  }
  json_t *range = NULL;
  if (!strcmp(p.tg.page, d->path) &&
      text_line_of(&d->text, off) >= p.tg.heading->line &&
      text_line_of(&d->text, off) <= (p.tg.heading->end_line
                                          ? p.tg.heading->end_line
                                          : p.tg.heading->line)) {
    range = lsp_byte_range(s, &d->text, p.from, p.to);
  } else {
    /* On a link: its fragment. */
    struct refs rs;
    if (refs_from(s, d->path, &rs)) {
      const struct ref *r = ref_at(&rs, &d->text, off);
      size_t a, b;
      if (r && fragment_span(&d->text, r, p.tg.heading->anchor, &a, &b))
        range = lsp_byte_range(s, &d->text, a, b);
      refs_free(&rs);
    }
  }
  json_t *result = NULL;
  if (range) {
    char *holder = strndup(p.t->s + p.from, p.to - p.from);
    result = json_pack("{s:o,s:o}", "range", range, "placeholder",
                       lsp_str(holder ? holder : ""));
    free(holder);
  } else {
    lsp_fail(e, LSP_REQUEST_FAILED, "this link cannot be renamed exactly");
  }
  plan_free(&p);
  return result;
}

static bool same(const char *a, const char *b) {
  return a == b || (a && b && !strcmp(a, b));
}

/* The anchor and number the heading would have with the new text, as the
 * course works them out: the page is given the new text for a moment.
 * false when another heading's anchor would change too (numbered
 * duplicates shift), which links elsewhere cannot follow exactly. */
static bool new_anchor(struct lsp *s, struct plan *p, const char *name,
                       char **anchor, char **number, struct lsp_err *e) {
  size_t nl = strlen(name);
  size_t len = p->t->len - (p->to - p->from) + nl;
  char *text = malloc(len + 1);
  if (!text) {
    lsp_fail(e, LSP_INTERNAL_ERROR, "out of memory");
    return false;
  }
  memcpy(text, p->t->s, p->from);
  memcpy(text + p->from, name, nl);
  memcpy(text + p->from + nl, p->t->s + p->to, p->t->len - p->to);
  text[len] = '\0';
  clint_error err;
  struct lsp_headings after = {0};
  bool ok = clint_course_set_text(s->course, p->tg.page, text, len, &err) ==
                CLINT_OK &&
            clint_course_headings(s->course, p->tg.page, keep_heading, &after,
                                  &err) == CLINT_OK;
  struct doc *open = lsp_doc_of_path(s, p->tg.page);
  clint_course_set_text(s->course, p->tg.page, open ? open->text.s : NULL,
                        open ? open->text.len : 0, &err);
  free(text);
  size_t k = (size_t)(p->tg.heading - p->tg.hs.v);
  if (!ok || after.n != p->tg.hs.n) {
    lsp_headings_free(&after);
    lsp_fail(e, LSP_REQUEST_FAILED,
             "the new name changes the page's headings: rename by hand");
    return false;
  }
  for (size_t i = 0; i < after.n; i++)
    if (i != k && !same(after.v[i].anchor, p->tg.hs.v[i].anchor)) {
      lsp_headings_free(&after);
      lsp_fail(e, LSP_REQUEST_FAILED,
               "the new name would change the anchor of another heading "
               "(line %u): links to it could not follow exactly",
               p->tg.hs.v[i].line);
      return false;
    }
  *anchor = after.v[k].anchor ? strdup(after.v[k].anchor) : NULL;
  *number = after.v[k].number ? strdup(after.v[k].number) : NULL;
  lsp_headings_free(&after);
  if (!*anchor)
    return lsp_fail(e, LSP_REQUEST_FAILED, "the new name gives no anchor"),
           false;
  return true;
}

static void add_edit(json_t *changes, const char *uri, json_t *range,
                     const char *text) {
  json_t *list = json_object_get(changes, uri);
  if (!list) {
    list = json_array();
    json_object_set_new(changes, uri, list);
  }
  json_array_append_new(
      list, json_pack("{s:o,s:o}", "range", range, "newText", lsp_str(text)));
}

/* Whether a prose reference names the heading: renumbering it would
 * change what that reference means, and prose cannot be rewritten
 * exactly. */
static bool named_in_prose(const struct plan *p) {
  for (size_t i = 0; i < p->rs.n; i++)
    if (p->rs.v[i].kind == CLINT_REF_PROSE)
      return true;
  return false;
}

json_t *nav_rename(struct lsp *s, json_t *params, struct lsp_err *e) {
  const char *name = json_string_value(json_object_get(params, "newName"));
  if (!name)
    return lsp_fail(e, LSP_INVALID_PARAMS, "newName is missing");
  size_t nl = strlen(name);
  if (nl == 0 || strpbrk(name, "\r\n") || isspace((unsigned char)name[0]) ||
      isspace((unsigned char)name[nl - 1]))
    return lsp_fail(e, LSP_INVALID_PARAMS,
                    "a heading is one line of text, without spaces around");
  size_t off;
  struct doc *d = lsp_doc_at(s, params, e, &off);
  if (!d)
    return e->code ? NULL : json_null();
  struct plan p;
  if (!plan_rename(s, d, off, &p, e)) {
    plan_free(&p);
    return NULL;
  }
  char *anchor = NULL, *number = NULL;
  json_t *result = NULL;
  if (new_anchor(s, &p, name, &anchor, &number, e)) {
    if (!same(number, p.tg.heading->number) && named_in_prose(&p)) {
      lsp_fail(e, LSP_REQUEST_FAILED,
               "the new name renumbers %s, which prose references may name "
               "by number: rename by hand",
               p.tg.heading->number ? p.tg.heading->number : "the heading");
    } else {
      json_t *changes = json_object();
      char *uri = lsp_uri_of(s, p.tg.page);
      add_edit(changes, uri ? uri : "", lsp_byte_range(s, p.t, p.from, p.to),
               name);
      free(uri);
      struct text own = {0};
      const struct text *t = NULL;
      const char *last = NULL;
      for (size_t i = 0; i < p.rs.n && strcmp(anchor, p.tg.heading->anchor);
           i++) {
        const struct ref *r = &p.rs.v[i];
        if (r->kind != CLINT_REF_LINK && r->kind != CLINT_REF_IMAGE)
          continue;
        if (!last || strcmp(last, r->from) != 0) {
          text_free(&own);
          t = lsp_text_of(s, r->from, &own);
          last = r->from;
        }
        size_t a, b;
        char *ruri = lsp_uri_of(s, r->from);
        if (t && ruri && fragment_span(t, r, p.tg.heading->anchor, &a, &b))
          add_edit(changes, ruri, lsp_byte_range(s, t, a, b), anchor);
        free(ruri);
      }
      text_free(&own);
      result = json_pack("{s:o}", "changes", changes);
    }
  }
  free(anchor);
  free(number);
  plan_free(&p);
  return result;
}
