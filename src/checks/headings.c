/* headings.c - the heading family: the outline of each page. One H1 and
 * it comes first, no skipped levels, no empty or duplicate headings, no
 * characters copied from a rendered page, section numbers that run 1, 2, 3
 * under their parent, and the sections the page's role requires, in
 * order (those two in sections.c). Everything is read from the page's own
 * headings in collect (phase 1); nothing here crosses pages. */
#include "headings.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lint.h"
#include "../util/secnum.h"
#include "../util/status.h"

static const struct rule_def heading_rules[] = {
    {"heading/missing-h1", CLINT_SEV_WARNING, "a page has no H1 title",
     "Every page should have exactly one H1: it is the page's title in the "
     "navigation, in search results and in the browser tab. A page with "
     "`title:` in its front matter is left alone. Checked on the pages of "
     "a module (pages with a role) unless `headings.outline_pages` is "
     "`all`: books (mdBook) start sub-chapters at H2 on purpose.\n\nExample: a "
     "page that "
     "starts with `## Goals`. Fix: add `# Module 13 - Weekly plan` above "
     "it."},
    {"heading/multiple-h1", CLINT_SEV_WARNING, "a page has more than one H1",
     "A page has one title; a second H1 is usually a section written with "
     "one '#' too few. Checked on the pages of a module unless "
     "`headings.outline_pages` is `all` (meeting notes often use one H1 "
     "per meeting on purpose).\n\nExample: `# Weekly plan` ... `# Day 1`. Fix: "
     "`## Day 1`."},
    {"heading/h1-not-first", CLINT_SEV_WARNING,
     "the first heading of a page is not its H1",
     "The H1 is the page's title and should be its first heading (after "
     "front matter); a heading above it lands outside the title in the "
     "outline. Checked on the pages of a module unless "
     "`headings.outline_pages` is `all`.\n\nExample: `## Contents` above "
     "`# Explainer`. Fix: move the H1 up."},
    {"heading/skipped-level", CLINT_SEV_WARNING,
     "a heading is more than one level deeper than the one before",
     "Heading levels go down one step at a time, so the outline (and a "
     "screen reader's list of headings) has no holes. Headings inside "
     "block quotes (callouts) are not part of the outline.\n\nExample: `## "
     "Setup` followed by `#### Install`. Fix: `### Install`."},
    {"heading/empty", CLINT_SEV_WARNING, "a heading has no text",
     "A '#' line with nothing after it renders as an empty heading and an "
     "empty anchor.\n\nExample: `##` alone on a line. Fix: write the "
     "heading's text or delete the line. Headings that hold only an image "
     "or HTML are not reported."},
    {"heading/duplicate", CLINT_SEV_WARNING,
     "two headings under the same parent have the same text",
     "Two sibling headings with the same text make a confusing outline, "
     "and the second gets a numbered anchor (#setup-1) that nobody links "
     "to on purpose. Checked on the pages of a module unless "
     "`headings.outline_pages` is `all`.\n\nExample: `## Setup` twice under "
     "one H1. Fix: merge "
     "them or tell them apart (`## Setup on Linux`). Texts listed in "
     "`headings.allow_duplicates` may repeat."},
    {"heading/stray-character", CLINT_SEV_WARNING,
     "a heading ends in a permalink sign or a stray '#'",
     "Text copied from a rendered page brings the permalink sign along "
     "(`¶` in MkDocs and Sphinx, `#` in others). A trailing '#' that "
     "CommonMark does not strip (no space before it) shows on the page. "
     "Language names such as C# and F# are left alone.\n\nExample: `## "
     "Latent space¶` or `## Latent space#`. Fix: `## Latent space` (--fix "
     "removes the sign, unless what is left of a setext heading's line "
     "would read as an underline or a rule: `---¶`)."},
    {"heading/number-sequence", CLINT_SEV_ERROR,
     "section numbers at one level do not run 1, 2, 3",
     "On pages whose role numbers its headings (explainer chapters, "
     "study-material sections), the numbers of sibling headings count up "
     "by one, with no gaps or repeats; unnumbered headings such as "
     "\"Contents\" may stand between them. The first may be 0 or 1 (see "
     "`headings.numbers_start_at`).\n\nExample: `## 5. Sampling` followed "
     "by `## 7. Guidance`. Fix: renumber, here `## 6. Guidance`, and update "
     "the links to the old anchors."},
    {"heading/number-parent", CLINT_SEV_ERROR,
     "a subsection's number does not start with its parent's",
     "A subsection numbered `6.5` belongs under chapter `6.`; under another "
     "chapter it was moved without renumbering.\n\nExample: `### 6.5 Latent "
     "space` under `## 7. Guidance`. Fix: `### 7.5 Latent space`, or move "
     "the subsection back under chapter 6."},
    {"heading/missing-section", CLINT_SEV_ERROR,
     "a page lacks a section its role requires",
     "A role in the rule file may list the sections its pages must have "
     "(`roles[].sections`, case-insensitive prefixes of the heading text, "
     "or /regex/). Leading numbers and symbols of a heading are skipped "
     "when matching a prefix.\n\nExample: a review page without `## "
     "Completion gate`. Fix: add the section."},
    {"heading/section-order", CLINT_SEV_WARNING,
     "a page's required sections are out of order",
     "The sections a role requires come in the order the rule file lists "
     "them.\n\nExample: on a review page, `## Reflection` above `## Review "
     "loop`. Fix: move the sections into the listed order."},
    {NULL, 0, NULL, NULL}};

/* ---- settings ---------------------------------------------------------- */
static const char *const default_signs[] = {"\xC2\xB6"}; /* ¶ */
static const unsigned default_starts[] = {0, 1};

static struct heading_settings *get_settings(struct rules *r) {
  struct heading_settings *s = r->family[FAM_HEADINGS];
  if (s)
    return s;
  s = arena_alloc(&r->arena, sizeof(*s));
  if (!s)
    return NULL;
  s->signs = (const char **)default_signs;
  s->nsigns = 1;
  s->starts = (unsigned *)default_starts;
  s->nstarts = 2;
  r->family[FAM_HEADINGS] = s;
  return s;
}

static clint_status read_starts(struct rules *r, const char *file,
                                const struct ynode *v,
                                struct heading_settings *s, clint_error *err) {
  clint_status st = yaml_expect(file, v, YNODE_SEQ, err);
  if (st != CLINT_OK)
    return st;
  unsigned *starts = arena_alloc(&r->arena, sizeof(*starts) * (v->n + 1));
  if (!starts)
    return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  for (size_t i = 0; i < v->n; i++)
    if ((st = yaml_uint(file, v->items[i], 0, SECNUM_MAX_PART, &starts[i],
                        err)) != CLINT_OK)
      return st;
  s->starts = starts;
  s->nstarts = v->n;
  return CLINT_OK;
}

static clint_status configure(struct rules *r, const char *file,
                              const char *key, const struct ynode *v,
                              clint_error *err) {
  static const char *const keys[] = {"permalink_signs", "allow_duplicates",
                                     "numbers_start_at", "outline_pages", NULL};
  (void)key;
  struct heading_settings *s = get_settings(r);
  if (!s)
    return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  clint_status st;
  if ((st = yaml_expect_map(file, v, keys, err)))
    return st;
  const struct ynode *n;
  if ((n = yaml_get(v, "permalink_signs"))) {
    if ((st = rules_strings(r, file, n, &s->signs, &s->nsigns, err)))
      return st;
    for (size_t i = 0; i < s->nsigns; i++)
      if (!s->signs[i][0])
        return yaml_error(err, file, n, "a permalink sign cannot be empty");
  }
  if ((n = yaml_get(v, "allow_duplicates")) &&
      (st = rules_strings(r, file, n, &s->allow_dup, &s->nallow_dup, err)))
    return st;
  if ((n = yaml_get(v, "outline_pages"))) {
    const char *w;
    if ((st = yaml_string(file, n, &w, err)))
      return st;
    if (strcmp(w, "roles") && strcmp(w, "all"))
      return yaml_error(err, file, n, "expected roles or all");
    s->all_pages = !strcmp(w, "all");
  }
  if ((n = yaml_get(v, "numbers_start_at")) &&
      (st = read_starts(r, file, n, s, err)))
    return st;
  return CLINT_OK;
}

bool headings_is_pattern(const char *s) {
  size_t n = strlen(s);
  return n >= 2 && s[0] == '/' && s[n - 1] == '/';
}

/* Compile each role's /regex/ sections (case-insensitive, like the
 * prefixes). */
static clint_status finish(struct rules *r, clint_error *err) {
  struct heading_settings *s = get_settings(r);
  if (!s)
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  s->nroles = r->nroles;
  s->section_re = arena_alloc(&r->arena, sizeof(pcre2_code **) *
                                             (r->nroles ? r->nroles : 1));
  if (!s->section_re)
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  for (size_t i = 0; i < r->nroles; i++) {
    const struct role *role = &r->roles[i];
    pcre2_code **re =
        arena_alloc(&r->arena, sizeof(*re) * (role->nsections + 1));
    if (!re)
      return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
    s->section_re[i] = re;
    for (size_t k = 0; k < role->nsections; k++) {
      const char *sec = role->sections[k];
      if (!headings_is_pattern(sec))
        continue;
      const struct ynode *n = role->sections_node;
      if (n && n->kind == YNODE_SEQ && k < n->n)
        n = n->items[k];
      char *pat = arena_strndup(&r->arena, sec + 1, strlen(sec) - 2);
      if (!pat)
        return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
      clint_status st = rules_compile(r, role->sections_file, n, pat,
                                      PCRE2_CASELESS, &re[k], err);
      if (st)
        return st;
    }
  }
  return CLINT_OK;
}

static void print_config(const struct rules *r, FILE *out) {
  const struct heading_settings *s = r->family[FAM_HEADINGS];
  if (!s)
    return;
  fputs("headings:\n", out);
  yaml_print_list(out, "  ", "permalink_signs", s->signs, s->nsigns);
  yaml_print_list(out, "  ", "allow_duplicates", s->allow_dup, s->nallow_dup);
  fputs("  numbers_start_at: [", out);
  for (size_t i = 0; i < s->nstarts; i++)
    fprintf(out, "%s%u", i ? ", " : "", s->starts[i]);
  fputs("]\n", out);
  fprintf(out, "  outline_pages: %s\n", s->all_pages ? "all" : "roles");
}

/* ---- pure helpers ------------------------------------------------------ */

bool headings_stray_hash(const char *text, size_t len, size_t *run) {
  while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
    len--;
  size_t n = 0;
  while (n < len && text[len - 1 - n] == '#')
    n++;
  *run = n;
  if (n == 0 || n == len)
    return false;
  /* C#, F#, J#, Q#: one letter standing alone before a single '#'. */
  size_t at = len - n - 1;
  if (n == 1 && isalpha((unsigned char)text[at]) &&
      (at == 0 || !isalnum((unsigned char)text[at - 1])))
    return false;
  return true;
}

/* ---- helpers over the document ----------------------------------------- */

/* The text block of each heading, or NULL. */
static const struct textblock **heading_blocks(const struct doc *doc,
                                               size_t n) {
  const struct textblock **hb = calloc(n ? n : 1, sizeof(*hb));
  if (!hb)
    return NULL;
  for (size_t i = 0; i < doc->nblocks; i++) {
    const struct textblock *b = &doc->blocks[i];
    if (b->kind == BLOCK_HEADING && b->heading >= 0 && (size_t)b->heading < n)
      hb[b->heading] = b;
  }
  return hb;
}

/* The segment holding text offset off of a block, or NULL. */
static const struct seg *seg_at(const struct textblock *b, size_t off) {
  for (size_t i = 0; i < b->nsegs; i++)
    if (off >= b->segs[i].text_off &&
        off < b->segs[i].text_off + b->segs[i].len)
      return &b->segs[i];
  return NULL;
}

/* Whether the front matter names a title (MkDocs, Jekyll and Hugo use it
 * as the page title, so the page needs no H1). */
static bool front_title(const struct doc *doc) {
  for (unsigned ln = 1; ln < doc->src->body_line; ln++) {
    size_t len;
    const char *s = scan_line(doc->src, ln, &len);
    if (len > 6 && !memcmp(s, "title:", 6))
      return true;
  }
  return false;
}

static const struct heading_settings *settings_of(const struct lint *lt) {
  return lt->rules->family[FAM_HEADINGS];
}

/* A heading inside a block quote is part of a callout ("> #### Note"),
 * not of the page's outline. */
static bool quoted(const struct doc *doc, const struct heading *h) {
  size_t len;
  const char *s = scan_line(doc->src, h->pos.line, &len);
  size_t i = strspn(s, " \t");
  return i < len && s[i] == '>';
}

/* Whether the one-title and duplicate rules run on this page: on pages
 * that play a role in a module, or everywhere when the rules say so.
 * Many real repositories start pages at H2 (mdBook) or write meeting
 * notes as a run of H1s on purpose. */
static bool outline_page(const struct lint *lt, const struct page *p) {
  const struct heading_settings *s = settings_of(lt);
  return p->role >= 0 || (s && s->all_pages);
}

/* ---- checks ------------------------------------------------------------ */

static void check_h1(struct lint *lt, struct page *p, const struct doc *doc) {
  size_t first = SIZE_MAX, top = SIZE_MAX;
  for (size_t i = 0; i < p->nheadings; i++) {
    const struct heading *h = &p->headings[i];
    if (quoted(doc, h))
      continue;
    if (top == SIZE_MAX)
      top = i;
    if (h->level != 1)
      continue;
    if (first == SIZE_MAX) {
      first = i;
      continue;
    }
    lint_diag(lt, p, "heading/multiple-h1", h->pos,
              "second H1 '%s': a page has one title (the first H1 is on "
              "line %u)",
              h->text, p->headings[first].pos.line);
  }
  if (top == SIZE_MAX) {
    /* Not one heading: an empty or unfinished page. */
    unsigned line = doc->src->body_line;
    if (line < 1 || line > doc->src->nlines)
      line = 1;
    if (!front_title(doc))
      lint_diag(lt, p, "heading/missing-h1", (struct pos){line, 1},
                "page has no H1 title (and no heading at all)");
    return;
  }
  if (first == SIZE_MAX) {
    if (!front_title(doc))
      lint_diag(lt, p, "heading/missing-h1", p->headings[top].pos,
                "page has no H1 title; its first heading is an H%u",
                p->headings[top].level);
  } else if (first != top) {
    const struct heading *h = &p->headings[top];
    lint_diag(lt, p, "heading/h1-not-first", h->pos,
              "H%u '%s' comes before the page's H1 (line %u)", h->level,
              h->text, p->headings[first].pos.line);
  }
}

static void check_levels(struct lint *lt, struct page *p,
                         const struct doc *doc) {
  const struct heading *prev = NULL;
  for (size_t i = 0; i < p->nheadings; i++) {
    const struct heading *h = &p->headings[i];
    if (quoted(doc, h))
      continue;
    if (prev && h->level > prev->level + 1)
      lint_diag(lt, p, "heading/skipped-level", h->pos,
                "H%u '%s' follows an H%u: level %u is skipped", h->level,
                h->text, prev->level, prev->level + 1);
    prev = h;
  }
}

/* An ATX heading whose line holds only '#' marks (and maybe a closing
 * sequence). Headings holding only an image or HTML also have no plain
 * text, but they show something. */
static bool blank_source(const struct doc *doc, const struct heading *h) {
  if (h->setext)
    return false;
  size_t len;
  const char *s = scan_line(doc->src, h->pos.line, &len);
  for (size_t i = 0; i < len; i++)
    if (s[i] != '#' && s[i] != ' ' && s[i] != '\t')
      return false;
  return true;
}

static void check_empty(struct lint *lt, struct page *p,
                        const struct doc *doc) {
  for (size_t i = 0; i < p->nheadings; i++) {
    const struct heading *h = &p->headings[i];
    if (h->text[strspn(h->text, " \t")] != '\0')
      continue;
    if (h->explicit_id || blank_source(doc, h))
      lint_diag(lt, p, "heading/empty", h->pos, "H%u has no text", h->level);
  }
}

/* The heading text as compared for duplicates: ASCII lower case, runs of
 * spaces as one. */
static char *dup_key(struct arena *a, size_t parent, unsigned level,
                     const char *text) {
  char *k = arena_printf(a, "%zu:%u:%s", parent, level, text);
  if (!k)
    return NULL;
  char *o = k;
  for (const char *s = k; *s; s++) {
    if (*s == ' ' && (o == k || o[-1] == ' '))
      continue;
    *o++ = (char)tolower((unsigned char)*s);
  }
  while (o > k && o[-1] == ' ')
    o--;
  *o = '\0';
  return k;
}

static bool dup_allowed(const struct heading_settings *s, const char *text) {
  for (size_t i = 0; s && i < s->nallow_dup; i++)
    if (!strcasecmp(s->allow_dup[i], text))
      return true;
  return false;
}

/* parent[i]: index + 1 of the nearest earlier heading of a lower level, or
 * 0 at the top. */
static size_t *heading_parents(const struct page *p) {
  size_t *parent = calloc(p->nheadings ? p->nheadings : 1, sizeof(*parent));
  if (!parent)
    return NULL;
  size_t stack[8];
  size_t depth = 0;
  for (size_t i = 0; i < p->nheadings; i++) {
    unsigned level = p->headings[i].level;
    while (depth && p->headings[stack[depth - 1]].level >= level)
      depth--;
    parent[i] = depth ? stack[depth - 1] + 1 : 0;
    if (depth < 8)
      stack[depth++] = i;
  }
  return parent;
}

static void check_duplicates(struct lint *lt, struct page *p,
                             const size_t *parent) {
  const struct heading_settings *s = settings_of(lt);
  struct arena a;
  struct hmap seen;
  arena_init(&a);
  hmap_init(&seen);
  for (size_t i = 0; i < p->nheadings; i++) {
    const struct heading *h = &p->headings[i];
    if (!h->text[0] || dup_allowed(s, h->text))
      continue;
    char *k = dup_key(&a, parent[i], h->level, h->text);
    if (!k)
      break;
    uintptr_t first = (uintptr_t)hmap_get(&seen, k, strlen(k));
    if (!first) {
      if (!hmap_put(&seen, k, strlen(k), (void *)(uintptr_t)(i + 1)))
        break;
      continue;
    }
    const struct heading *f = &p->headings[first - 1];
    if (parent[i])
      lint_diag(lt, p, "heading/duplicate", h->pos,
                "heading '%s' repeats under '%s' (first on line %u)", h->text,
                p->headings[parent[i] - 1].text, f->pos.line);
    else
      lint_diag(lt, p, "heading/duplicate", h->pos,
                "heading '%s' repeats (first on line %u)", h->text,
                f->pos.line);
  }
  hmap_free(&seen);
  arena_free(&a);
}

/* Remove [from, to) of the page text and the spaces before it on its line
 * (a fix that deletes a trailing sign). */
static void fix_delete(struct page *p, const struct doc *doc, struct diag *d,
                       size_t from, size_t to) {
  unsigned line = scan_line_of(doc->src, from);
  size_t start = doc->src->line_starts[line - 1];
  while (from > start &&
         (doc->src->text[from - 1] == ' ' || doc->src->text[from - 1] == '\t'))
    from--;
  d->has_fix = true;
  d->fix.offset = p->bom + from;
  d->fix.length = to - from;
  d->fix.text = "";
}

/* Whether deleting from offset from to the end of its line, and the
 * blanks before, leaves a line of nothing but marks: '-', '=', '*', '_',
 * '#' and '>' among blanks. In a setext heading's text such a line would
 * no longer be text: it would end the heading as its underline, or
 * become a thematic break or an empty heading ("Title\n---¶\n---"
 * turned into a heading and a rule). Such a fix changes more than the
 * sign, so none is offered. */
static bool leaves_marks_only(const struct doc *doc, size_t from) {
  unsigned line = scan_line_of(doc->src, from);
  const char *s = doc->src->text + doc->src->line_starts[line - 1];
  size_t n = (size_t)(doc->src->text + from - s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
    n--;
  return n && strspn(s, " \t-=*_#>") >= n;
}

/* A trailing sign: the last characters of the heading's text, outside
 * inline code and written literally in the source (an escaped \# or an
 * entity is deliberate). Returns the source offset, or SIZE_MAX. */
static size_t literal_tail(const struct doc *doc, const struct textblock *b,
                           size_t text_off, const char *sign, size_t len) {
  const struct seg *sg = b ? seg_at(b, text_off) : NULL;
  if (!sg || (sg->flags & SEG_CODE) || text_off + len > sg->text_off + sg->len)
    return SIZE_MAX;
  size_t src = sg->src_off + (text_off - sg->text_off);
  if (src + len > doc->src->len || memcmp(doc->src->text + src, sign, len))
    return SIZE_MAX;
  return src;
}

/* A permalink sign of the settings that h's text [0, len) ends in, with
 * its length in *sl, or NULL. */
static const char *trailing_sign(const struct heading_settings *s,
                                 const char *text, size_t len, size_t *sl) {
  for (size_t k = 0; s && k < s->nsigns; k++) {
    *sl = strlen(s->signs[k]);
    if (len >= *sl && !memcmp(text + len - *sl, s->signs[k], *sl))
      return s->signs[k];
  }
  return NULL;
}

/* Each trailing sign and stray '#' run, from the end, in any order
 * ("Title## ¶", "Title ¶#"): their fixes touch, so one --fix run clears
 * them all. */
static void check_stray_one(struct lint *lt, struct page *p,
                            const struct doc *doc, const struct heading *h,
                            const struct textblock *b) {
  const struct heading_settings *s = settings_of(lt);
  size_t len = strlen(h->text);
  for (;;) {
    while (len && (h->text[len - 1] == ' ' || h->text[len - 1] == '\t'))
      len--;
    size_t sl, run;
    const char *sign = trailing_sign(s, h->text, len, &sl);
    struct diag *d;
    size_t src;
    if (sign) {
      if ((src = literal_tail(doc, b, len - sl, sign, sl)) == SIZE_MAX)
        return;
      d = lint_diag(lt, p, "heading/stray-character", parse_pos(doc, src),
                    "heading ends in '%s', a permalink sign "
                    "copied from a rendered page",
                    sign);
    } else {
      char hashes[16];
      if (!headings_stray_hash(h->text, len, &run) || run >= sizeof(hashes))
        return;
      memset(hashes, '#', run);
      if ((src = literal_tail(doc, b, len - run, hashes, run)) == SIZE_MAX)
        return;
      d = lint_diag(lt, p, "heading/stray-character", parse_pos(doc, src),
                    "heading ends in '%.*s', which shows on the "
                    "page (%s)",
                    (int)run, hashes,
                    h->setext ? "a setext heading has no closing "
                                "sequence"
                              : "a closing '#' needs a space "
                                "before it");
      sl = run;
    }
    if (d && !h->explicit_id && !(h->setext && leaves_marks_only(doc, src)))
      fix_delete(p, doc, d, src, src + sl);
    len -= sl;
  }
}

static void check_stray(struct lint *lt, struct page *p, const struct doc *doc,
                        const struct textblock **hb) {
  for (size_t i = 0; i < p->nheadings; i++)
    check_stray_one(lt, p, doc, &p->headings[i], hb[i]);
}

/* ---- the family -------------------------------------------------------- */

static void collect(struct lint *lt, struct page *p, const struct doc *doc) {
  bool outline = outline_page(lt, p);
  if (outline)
    check_h1(lt, p, doc);
  check_levels(lt, p, doc);
  check_empty(lt, p, doc);
  size_t *parent = outline ? heading_parents(p) : NULL;
  if (parent) {
    check_duplicates(lt, p, parent);
    free(parent);
  }
  const struct textblock **hb = heading_blocks(doc, p->nheadings);
  if (hb) {
    check_stray(lt, p, doc, hb);
    free(hb);
  }
  headings_check_numbers(lt, p);
  headings_check_sections(lt, p);
}

static const char *const heading_sections[] = {"headings", NULL};

const struct family headings_family = {
    .name = "heading",
    .rules = heading_rules,
    .sections = heading_sections,
    .configure = configure,
    .finish = finish,
    .print_config = print_config,
    .collect = collect,
};
