/* complete.c - completion and symbols. Completion knows three places:
 * a link destination after "](" (the files and folders of the course,
 * relative to the page), a fragment after "#" (the anchors of the page
 * the link names) and a prose reference after "explainer chapter " (the
 * numbered headings of the page playing that role in the module).
 * Symbols are the heading outline of a page and the course's chapters
 * and sections. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lsp.h"
#include "util/path.h"

enum {
  KIND_FILE = 17, /* CompletionItemKind */
  KIND_FOLDER = 19,
  KIND_REFERENCE = 18,
  SYM_FILE = 1, /* SymbolKind */
  SYM_STRING = 15,
};

/* Whether hay holds needle, ignoring ASCII case. */
static bool contains_folded(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; *hay; hay++)
    if (!strncasecmp(hay, needle, n))
      return true;
  return n == 0;
}

/* Folder dir (root-relative, "" for the root) and a relative path rel
 * (n bytes, percent-encoded as in a link) joined and normalised; NULL
 * when it climbs above the root. malloc'd. */
static char *join(const char *dir, const char *rel, size_t n) {
  size_t dl = strlen(dir);
  char *in = malloc(dl + n + 2), *out = malloc(dl + n + 2);
  if (!in || !out) {
    free(in);
    free(out);
    return NULL;
  }
  bool folder; /* a path from the root ("/x") starts from the root */
  bool ok = path_resolve(dir, n && rel[0] == '/' ? 0 : dl, rel, n, in, out,
                         &folder) != NULL;
  free(in);
  if (!ok) {
    free(out);
    return NULL;
  }
  return out;
}

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  return strndup(path, slash ? (size_t)(slash - path) : 0);
}

static json_t *item(const struct lsp *s, const struct text *t, size_t from,
                    size_t to, const char *label, int kind, const char *detail,
                    size_t order) {
  char sort[16];
  snprintf(sort, sizeof(sort), "%08zu", order);
  json_t *it = json_pack(
      "{s:o,s:i,s:s,s:o,s:{s:o,s:o}}", "label", lsp_str(label), "kind", kind,
      "sortText", sort, "filterText", lsp_str(label), "textEdit", "range",
      lsp_byte_range(s, t, from, to), "newText", lsp_str(label));
  if (detail)
    json_object_set_new(it, "detail", lsp_str(detail));
  return it;
}

/* ---- after "](" ---------------------------------------------------------- */

struct listing {
  const struct lsp *s;
  const struct text *t;
  size_t from, to;
  json_t *items;
};

static bool list_entry(const clint_entry *e, void *ctx) {
  struct listing *l = ctx;
  char name[1024];
  snprintf(name, sizeof(name), "%s%s", e->name, e->dir ? "/" : "");
  json_array_append_new(l->items, item(l->s, l->t, l->from, l->to, name,
                                       e->dir ? KIND_FOLDER : KIND_FILE, NULL,
                                       json_array_size(l->items)));
  return json_array_size(l->items) < 2000;
}

/* The files and folders of the folder that typed[0, n) names so far,
 * relative to the page; they replace what follows its last '/'. */
static void complete_path(struct lsp *s, struct doc *d, size_t at, size_t n,
                          json_t *items) {
  const char *typed = d->text.s + at;
  size_t cut = n;
  while (cut > 0 && typed[cut - 1] != '/')
    cut--;
  char *dir = dir_of(d->path);
  char *folder = dir ? join(dir, typed, cut) : NULL;
  free(dir);
  if (!folder)
    return;
  struct listing l = {s, &d->text, at + cut, at + n, items};
  clint_error err;
  clint_course_list(s->course, folder[0] ? folder : s->root, list_entry, &l,
                    &err);
  free(folder);
}

/* The anchors of the page that typed[0, hash) names (this page when
 * empty); they replace what follows the '#'. */
static void complete_anchor(struct lsp *s, struct doc *d, size_t at,
                            size_t hash, size_t n, json_t *items) {
  char *page = NULL;
  if (hash == 0) {
    page = strdup(d->path);
  } else {
    char *dir = dir_of(d->path);
    page = dir ? join(dir, d->text.s + at, hash) : NULL;
    free(dir);
  }
  struct lsp_headings hs;
  if (page && lsp_headings(s, page, &hs)) {
    for (size_t i = 0; i < hs.n; i++)
      if (hs.v[i].anchor)
        json_array_append_new(items, item(s, &d->text, at + hash + 1, at + n,
                                          hs.v[i].anchor, KIND_REFERENCE,
                                          hs.v[i].text, i));
    lsp_headings_free(&hs);
  }
  free(page);
}

/* Whether the cursor is in a link destination: the start of what is
 * typed after "](" (or "](<") on this line, before off. */
static bool in_destination(const struct text *t, size_t line_start, size_t off,
                           size_t *at) {
  for (size_t i = off; i > line_start + 1; i--) {
    char c = t->s[i - 1];
    if (c == ')' || c == ' ' || c == '\t' || c == '>')
      return false;
    if (c == '(' && t->s[i - 2] == ']') {
      *at = i + (i < off && t->s[i] == '<');
      return true;
    }
  }
  return false;
}

/* ---- after "explainer chapter " ------------------------------------------ */

struct role_find {
  const char *word; /* the words before the noun, folded */
  size_t len;
  char *page;
};

/* Whether text ends with name, ignoring case and runs of spaces, at a
 * word boundary. */
static bool ends_with_name(const char *text, size_t len, const char *name) {
  size_t i = len, k = strlen(name);
  while (k > 0 && i > 0) {
    if (isspace((unsigned char)name[k - 1])) {
      if (!isspace((unsigned char)text[i - 1]))
        return false;
      while (k > 0 && isspace((unsigned char)name[k - 1]))
        k--;
      while (i > 0 && isspace((unsigned char)text[i - 1]))
        i--;
      continue;
    }
    if (tolower((unsigned char)name[k - 1]) !=
        tolower((unsigned char)text[i - 1]))
      return false;
    i--;
    k--;
  }
  return k == 0 && (i == 0 || !isalnum((unsigned char)text[i - 1]));
}

static bool find_role(const clint_role *r, void *ctx) {
  struct role_find *f = ctx;
  if (!r->numbered || !r->page)
    return true;
  for (size_t i = 0; i < r->nnames; i++)
    if (ends_with_name(f->word, f->len, r->names[i])) {
      f->page = strdup(r->page);
      return false;
    }
  return true;
}

/* A file name ("03_study_material.md") at the end of text[0, len): its
 * start, or len when there is none. */
static size_t file_name_before(const char *text, size_t len) {
  if (len < 4 || strncasecmp(text + len - 3, ".md", 3) != 0)
    return len;
  size_t a = len - 3;
  while (a > 0 &&
         (isalnum((unsigned char)text[a - 1]) || text[a - 1] == '_' ||
          text[a - 1] == '-' || text[a - 1] == '/' || text[a - 1] == '.'))
    a--;
  return a < len - 3 ? a : len;
}

/* After "<role> chapter " or "<file>.md sections ", with perhaps part of
 * a number typed: the numbered headings of that page. */
static void complete_number(struct lsp *s, struct doc *d, size_t ls, size_t off,
                            json_t *items) {
  const char *t = d->text.s;
  size_t num = off;
  while (num > ls && (isdigit((unsigned char)t[num - 1]) || t[num - 1] == '.'))
    num--;
  size_t i = num;
  if (i == ls || !isspace((unsigned char)t[i - 1]))
    return;
  while (i > ls && isspace((unsigned char)t[i - 1]))
    i--;
  static const char *const nouns[] = {"chapters", "chapter", "sections",
                                      "section"};
  size_t nl = 0;
  for (size_t k = 0; k < 4 && !nl; k++) {
    size_t l = strlen(nouns[k]);
    if (i - ls >= l && !strncasecmp(t + i - l, nouns[k], l) &&
        (i - l == ls || isspace((unsigned char)t[i - l - 1])))
      nl = l;
  }
  if (!nl)
    return;
  i -= nl;
  while (i > ls && isspace((unsigned char)t[i - 1]))
    i--;
  char *page = NULL;
  size_t f = file_name_before(t + ls, i - ls);
  if (f < i - ls) {
    char *dir = dir_of(d->path);
    page = dir ? join(dir, t + ls + f, i - ls - f) : NULL;
    free(dir);
  } else {
    struct role_find rf = {t + ls, i - ls, NULL};
    clint_error err;
    clint_course_roles(s->course, d->path, find_role, &rf, &err);
    page = rf.page;
  }
  struct lsp_headings hs;
  if (page && lsp_headings(s, page, &hs)) {
    for (size_t k = 0; k < hs.n; k++)
      if (hs.v[k].number)
        json_array_append_new(items, item(s, &d->text, num, off, hs.v[k].number,
                                          KIND_REFERENCE, hs.v[k].text, k));
    lsp_headings_free(&hs);
  }
  free(page);
}

json_t *comp_completion(struct lsp *s, json_t *params, struct lsp_err *e) {
  size_t off;
  struct doc *d = lsp_doc_at(s, params, e, &off);
  if (!d)
    return e->code ? NULL : json_null();
  unsigned line = text_line_of(&d->text, off);
  size_t len;
  size_t ls = (size_t)(text_line(&d->text, line, &len) - d->text.s);
  if (off < ls)
    off = ls;
  json_t *items = json_array();
  size_t at;
  if (in_destination(&d->text, ls, off, &at)) {
    const char *hash = memchr(d->text.s + at, '#', off - at);
    if (hash)
      complete_anchor(s, d, at, (size_t)(hash - (d->text.s + at)), off - at,
                      items);
    else
      complete_path(s, d, at, off - at, items);
  } else {
    complete_number(s, d, ls, off, items);
  }
  return json_pack("{s:b,s:o}", "isIncomplete", 0, "items", items);
}

/* ---- symbols ------------------------------------------------------------ */

static const char *name_of(const struct lsp_heading *h) {
  return h->text[0] ? h->text : "(empty heading)";
}

/* The range of heading k's section: from its line to the next heading of
 * its level or above. */
static json_t *section_range(const struct lsp *s, const struct text *t,
                             const struct lsp_headings *hs, size_t k) {
  size_t from = text_lib_offset(t, hs->v[k].line, 1);
  size_t to = t->len;
  for (size_t i = k + 1; i < hs->n; i++)
    if (hs->v[i].level <= hs->v[k].level) {
      size_t len;
      const char *prev = text_line(t, hs->v[i].line - 1, &len);
      to = (size_t)(prev - t->s) + len;
      break;
    }
  return lsp_byte_range(s, t, from, to < from ? from : to);
}

static json_t *line_range(const struct lsp *s, const struct text *t,
                          unsigned line) {
  size_t len;
  const char *l = text_line(t, line, &len);
  size_t from = (size_t)(l - t->s);
  return lsp_byte_range(s, t, from, from + len);
}

json_t *comp_document_symbols(struct lsp *s, json_t *params,
                              struct lsp_err *e) {
  struct doc *d = lsp_doc_at(s, params, e, NULL);
  if (!d)
    return e->code ? NULL : json_null();
  struct lsp_headings hs;
  if (!lsp_headings(s, d->path, &hs))
    return json_array();
  json_t *top = json_array();
  /* The open sections, by level: a heading goes into the nearest one
   * above its level. */
  json_t *open[7] = {0};
  for (size_t k = 0; k < hs.n; k++) {
    const struct lsp_heading *h = &hs.v[k];
    int kind = h->level == 1 ? SYM_FILE : SYM_STRING;
    json_t *sym;
    if (s->hierarchical) {
      sym = json_pack("{s:o,s:i,s:o,s:o,s:[]}", "name", lsp_str(name_of(h)),
                      "kind", kind, "range", section_range(s, &d->text, &hs, k),
                      "selectionRange", line_range(s, &d->text, h->line),
                      "children");
      if (h->number)
        json_object_set_new(sym, "detail", lsp_str(h->number));
      json_t *parent = NULL;
      for (unsigned l = h->level - 1; l >= 1 && !parent; l--)
        parent = open[l];
      json_array_append_new(parent ? json_object_get(parent, "children") : top,
                            sym);
      open[h->level] = sym;
      for (unsigned l = h->level + 1; l <= 6; l++)
        open[l] = NULL;
    } else {
      json_t *parent = NULL;
      for (unsigned l = h->level - 1; l >= 1 && !parent; l--)
        parent = open[l];
      sym = json_pack("{s:o,s:i,s:{s:o,s:o}}", "name", lsp_str(name_of(h)),
                      "kind", kind, "location", "uri", lsp_str(d->uri), "range",
                      line_range(s, &d->text, h->line));
      if (parent)
        json_object_set(sym, "containerName", json_object_get(parent, "name"));
      json_array_append_new(top, sym);
      open[h->level] = sym;
      for (unsigned l = h->level + 1; l <= 6; l++)
        open[l] = NULL;
    }
  }
  lsp_headings_free(&hs);
  return top;
}

/* How many workspace symbols one query returns at most. */
#define SYMBOLS_MAX 500

json_t *comp_workspace_symbols(struct lsp *s, json_t *params,
                               struct lsp_err *e) {
  json_t *q = json_object_get(params, "query");
  if (q && !json_is_string(q))
    return lsp_fail(e, LSP_INVALID_PARAMS, "query must be a string");
  const char *query = q ? json_string_value(q) : "";
  json_t *pages = lsp_pages(s);
  json_t *out = json_array();
  const char *path;
  json_t *v;
  json_object_foreach(pages, path, v) {
    struct lsp_headings hs;
    if (json_array_size(out) >= SYMBOLS_MAX || !lsp_headings(s, path, &hs))
      continue;
    char *uri = lsp_uri_of(s, path);
    for (size_t k = 0; uri && k < hs.n && json_array_size(out) < SYMBOLS_MAX;
         k++) {
      const struct lsp_heading *h = &hs.v[k];
      if (h->level != 1 && !h->number)
        continue; /* the chapters and sections, and the pages' titles */
      /* "6.5 Attention", unless the text starts with its number. */
      char name[1024];
      bool prefix =
          h->number && strncmp(h->text, h->number, strlen(h->number)) != 0;
      snprintf(name, sizeof(name), "%s%s%s", prefix ? h->number : "",
               prefix ? " " : "", name_of(h));
      if (!contains_folded(name, query))
        continue;
      json_array_append_new(
          out, json_pack("{s:o,s:i,s:{s:o,s:{s:{s:I,s:I},s:{s:I,s:I}}},s:o}",
                         "name", lsp_str(name), "kind",
                         h->level == 1 ? SYM_FILE : SYM_STRING, "location",
                         "uri", lsp_str(uri), "range", "start", "line",
                         (json_int_t)h->line - 1, "character", (json_int_t)0,
                         "end", "line", (json_int_t)h->line, "character",
                         (json_int_t)0, "containerName", lsp_str(path)));
    }
    free(uri);
    lsp_headings_free(&hs);
  }
  return out;
}
