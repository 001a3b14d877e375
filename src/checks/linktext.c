/* linktext.c - the link-text family: a link whose text is itself a
 * reference must agree with where it leads. "[explainer chapter 2](
 * 02_explainer.md#3-clip-training)" lands on chapter 3; "[Module 16 —
 * Speech](../03_audio/)" leads to a folder whose pages say Module 15.
 * Collect reads the numbers the link text names (the text is gone
 * after it); resolve compares them with the heading the fragment lands
 * on and with the module the destination lies in (modnum.h). */
#include "linktext.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lint.h"
#include "../util/path.h"
#include "modnum.h"
#include "refs.h"

static const struct rule_def linktext_rules[] = {
    {"ref/link-text", CLINT_SEV_WARNING,
     "a link's text names another chapter, section or module than the one "
     "it leads to",
     "A link whose text names a chapter or section (\"chapter 2\", "
     "\"section 4.2\", \"ch. 3\", \"§2.4\") and whose destination has a "
     "#fragment must land on a heading of that number (or one inside it, "
     "or the chapter holding it). A link whose text names a module "
     "(`modules.title`, \"Module 16\") and that leads into another module "
     "folder (or to a module folder) must lead to the module of that "
     "number, as its pages' titles give it, or to the folder of that "
     "number. Links to other sites, links without a fragment (the section "
     "rule checks \"[explainer](02_explainer.md) chapter 9\"), headings "
     "without a number and text without one are not judged.\n\nExample: "
     "`[explainer chapter 2](02_explainer.md#3-clip-training)`. Fix: "
     "`[explainer chapter 3](...)`, or link `#2-vision-encoders`."},
    {NULL, 0, NULL, NULL}};

/* ---- pure helpers ------------------------------------------------------ */

/* The nouns that introduce a chapter or section number in link text,
 * longest first where one starts another. */
static const char *const nouns[] = {"chapters",
                                    "chapter",
                                    "sections",
                                    "section",
                                    "chapt.",
                                    "chap.",
                                    "ch.",
                                    "secs.",
                                    "sect.",
                                    "sec.",
                                    "\xc2\xa7\xc2\xa7",
                                    "\xc2\xa7"};

static const char *const range_words[] = {"-",  "\xe2\x80\x93", "\xe2\x80\x94",
                                          "to", "through",      "thru"};

/* The length of a separator between two numbers of a list at s ("-",
 * " to ", ", and ", " & "), when a digit follows it; else 0. */
static size_t separator(const char *s) {
  static const char *const seps[] = {
      ",",   "-",  "\xe2\x80\x93", "\xe2\x80\x94", "&",
      "and", "to", "through",      "thru"};
  size_t i = strspn(s, " ");
  if (s[i] == ',' &&
      !strncasecmp(s + i + 1 + strspn(s + i + 1, " "), "and ", 4)) {
    i += 1 + strspn(s + i + 1, " ") + 3;
    i += strspn(s + i, " ");
    return isdigit((unsigned char)s[i]) ? i : 0;
  }
  for (size_t k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
    size_t n = strlen(seps[k]);
    if (strncasecmp(s + i, seps[k], n))
      continue;
    if (isalpha((unsigned char)seps[k][0]) && (i == 0 || s[i + n] != ' '))
      continue; /* a word needs spaces round it: "2 to 4", not "2to4" */
    size_t j = i + n + strspn(s + i + n, " ");
    return isdigit((unsigned char)s[j]) ? j : 0;
  }
  return 0;
}

size_t linktext_numbers(const char *text, const char **noun, size_t *noun_len,
                        struct secnum *out, size_t max) {
  size_t len = strlen(text);
  for (size_t i = 0; i < len; i++) {
    /* Every noun starts with c, s or the lead byte of '§': every link's
     * text passes here, and one byte rules out most places. */
    unsigned char c = (unsigned char)text[i];
    if (((c | 0x20) != 'c' && (c | 0x20) != 's' && c != 0xC2) ||
        (i && isalnum((unsigned char)text[i - 1])))
      continue;
    size_t k = 0, n = 0;
    for (; k < sizeof(nouns) / sizeof(nouns[0]); k++)
      if (!strncasecmp(text + i, nouns[k], n = strlen(nouns[k])))
        break;
    if (k == sizeof(nouns) / sizeof(nouns[0]))
      continue;
    /* "chapter" needs a space before its number; "§2.4" and "ch.3" not. */
    size_t at = i + n;
    size_t sp = strspn(text + at, " \t");
    if ((isalpha((unsigned char)text[at - 1]) && !sp) ||
        !isdigit((unsigned char)text[at + sp]))
      continue;
    size_t from = at + sp, end = from;
    for (;;) {
      struct secnum one;
      size_t m = secnum_parse(text + end, len - end, &one);
      if (!m || isalpha((unsigned char)text[end + m]))
        break;
      end += m;
      size_t s = separator(text + end);
      if (!s)
        break;
      end += s;
    }
    if (end == from)
      continue;
    *noun = text + i;
    *noun_len = n;
    return refs_expand(text + from, end - from, range_words,
                       sizeof(range_words) / sizeof(range_words[0]), out, max);
  }
  return 0;
}

/* ---- collect ----------------------------------------------------------- */

#define LINKTEXT_MAX_NUMS 16

struct text_link {
  const char *dest; /* as written, percent-encoded */
  struct pos pos, end;
  const char *noun; /* singular, unabbreviated; NULL without numbers */
  struct secnum nums[LINKTEXT_MAX_NUMS];
  size_t nnums;
  long module; /* the module number the text names, or -1 */
};

struct page_links {
  size_t n;
  struct text_link *v;
};

/* The work the `modules.title` pattern may do on one page's link texts
 * beyond what their size bounds, in match limits (as a reference
 * entry's, REFS_PAGE_BUDGET). */
#define LINKTEXT_PAGE_BUDGET 10

/* The module number link text names under `modules.title`, or -1. Once
 * the pattern hits the match limit or the page's budget (*stopped), it
 * is not run again on the page. */
static long text_module(struct lint *lt, struct page *p, const struct link *l,
                        struct rules_budget *budget, bool *stopped) {
  const pcre2_code *re = lt->rules->module_title_re;
  const char *num;
  size_t len;
  if (!re || *stopped)
    return -1;
  int rc = rules_match_budget(lt->rules, re, l->text, strlen(l->text), 0,
                              lt->md, budget);
  if (rc < 0) {
    lint_match_limit(lt, p, "ref/link-text", l->pos);
    *stopped = true;
  }
  if (rc != 1 || !rules_group(re, lt->md, l->text, "num", &num, &len) || !len ||
      len > 9 || strspn(num, "0123456789") < len)
    return -1;
  return strtol(num, NULL, 10);
}

static void collect(struct lint *lt, struct page *p, const struct doc *doc) {
  struct vec v;
  vec_init(&v, sizeof(struct text_link));
  bool ok = true, stopped = false;
  struct rules_budget budget = {(unsigned long)LINKTEXT_PAGE_BUDGET *
                                lt->rules->match_limit};
  for (size_t i = 0; ok && i < doc->nlinks; i++) {
    const struct link *l = &doc->links[i];
    if (l->image || !l->text || !*l->text || l->external ||
        path_is_template(l->dest))
      continue;
    struct text_link x = {.module = -1};
    const char *noun = NULL;
    size_t noun_len = 0;
    if (strchr(l->dest, '#'))
      x.nnums = linktext_numbers(l->text, &noun, &noun_len, x.nums,
                                 LINKTEXT_MAX_NUMS);
    if (strcspn(l->dest, "#?"))
      x.module = text_module(lt, p, l, &budget, &stopped);
    if (!x.nnums && x.module < 0)
      continue;
    char *n = x.nnums ? arena_strndup(&p->arena, noun, noun_len) : NULL;
    char *one = n ? refs_singular(&p->arena, n) : NULL;
    for (char *c = one; c && *c; c++)
      *c = (char)tolower((unsigned char)*c);
    x.noun = one;
    x.dest = arena_strdup(&p->arena, l->dest);
    x.pos = l->pos;
    x.end = l->end;
    struct text_link *slot = x.dest ? vec_push(&v) : NULL;
    if (!(ok = slot != NULL))
      break;
    *slot = x;
  }
  struct page_links *pl =
      ok && v.len ? arena_alloc(&p->arena, sizeof(*pl)) : NULL;
  struct text_link *copy =
      pl ? arena_alloc(&p->arena, v.len * sizeof(*copy)) : NULL;
  if (copy) {
    memcpy(copy, v.data, v.len * sizeof(*copy));
    pl->n = v.len;
    pl->v = copy;
    p->family[FAM_LINKTEXT] = pl;
  }
  vec_free(&v);
}

/* ---- resolve ----------------------------------------------------------- */

/* Whether a is b or one of its parts ("6" holds "6.5"), or b one of a's. */
static bool nested(const struct secnum *a, const struct secnum *b) {
  unsigned n = a->n < b->n ? a->n : b->n;
  return n && secnum_same_prefix(a, b, n);
}

/* The heading of t that anchor (decoded) names, or NULL (an HTML id, or
 * none). */
static const struct heading *heading_at(const struct page *t,
                                        const char *anchor) {
  const void *what = page_anchor(t, anchor);
  const struct heading *h = what;
  if (!what || !t->nheadings || h < t->headings ||
      h >= t->headings + t->nheadings)
    return NULL;
  return h;
}

static void check_numbers(struct lint *lt, struct page *p,
                          const struct text_link *x, const char *target,
                          const char *frag) {
  struct page *t = lint_page(lt, target);
  size_t fl = strlen(frag);
  char *want = arena_alloc(&p->arena, fl + 1);
  if (!t || !want)
    return;
  path_percent_decode(frag, fl, want);
  const struct heading *h = *want ? heading_at(t, want) : NULL;
  struct secnum at;
  if (!h || !h->number || !secnum_from_str(h->number, &at))
    return;
  for (size_t i = 0; i < x->nnums; i++)
    if (nested(&x->nums[i], &at))
      return;
  char said[64];
  secnum_str(&x->nums[0], said, sizeof(said));
  struct diag *d = lint_diag(
      lt, p, "ref/link-text", x->pos,
      "link text names %s %s%s, but #%s leads to %s %s ('%s')", x->noun, said,
      x->nnums > 1 ? " and more" : "", want, x->noun, h->number, h->text);
  if (!d)
    return;
  d->end = x->end;
  d->kind = CLINT_KIND_REF;
  /* The heading the text names, when there is one such. */
  for (size_t i = 0; x->nnums == 1 && i < t->nheadings; i++)
    if (t->headings[i].number && !strcmp(t->headings[i].number, said)) {
      d->suggestion =
          arena_printf(&p->arena, "%.*s#%s", (int)strcspn(x->dest, "#"),
                       x->dest, t->headings[i].anchor);
      break;
    }
}

static void check_module(struct lint *lt, struct page *p,
                         const struct text_link *x, const char *target,
                         const char *dir) {
  enum entry_type type = index_type(lt->course, target);
  struct module *m = modnum_module_at(lt, &p->arena, target);
  /* Inside its own module a page may well link a page that speaks of
   * another module ("Module 14 preview"): only links into another
   * module, or to a module folder, say which module they lead to. */
  if (!m || (m == p->module && type != ENTRY_DIR))
    return;
  long n = modnum_number(lt, m, NULL);
  if (n < 0 || x->module == n || x->module == m->number)
    return;
  const char *shown = path_relative(&p->arena, dir, m->path);
  const char *noun = rules_noun(lt->rules, false);
  struct diag *d = lint_diag(lt, p, "ref/link-text", x->pos,
                             "link text names %s %ld, but it leads into %s/, "
                             "which is %s %ld",
                             noun, x->module, shown ? shown : m->path, noun, n);
  if (!d)
    return;
  d->end = x->end;
  d->kind = CLINT_KIND_REF;
  char *track = arena_strndup(&p->arena, m->path, path_dirname_len(m->path));
  const struct module *right =
      track ? modnum_find(lt, &p->arena, track, NULL, x->module) : NULL;
  const char *rel = right ? path_relative(&p->arena, dir, right->path) : NULL;
  if (rel)
    d->suggestion = arena_printf(&p->arena, "%s/", rel);
}

static void check_link(struct lint *lt, struct page *p,
                       const struct text_link *x) {
  struct arena *a = &p->arena;
  size_t dl = path_dirname_len(p->path), len = strcspn(x->dest, "#?");
  char *dir = arena_strndup(a, p->path, dl);
  if (!dir)
    return;
  const char *target = p->path; /* "#6-attention": a place in this page */
  if (len) {
    char *tmp = arena_alloc(a, dl + len + 2),
         *out = arena_alloc(a, dl + len + 2);
    bool folder;
    if (!tmp || !out ||
        !path_resolve(dir, dl, x->dest, len, tmp, out, &folder) || !*out)
      return;
    target = out;
  }
  enum entry_type type = index_type(lt->course, target);
  if (type != ENTRY_FILE && type != ENTRY_DIR)
    return;
  const char *frag = strchr(x->dest, '#');
  if (x->nnums && frag && type == ENTRY_FILE)
    check_numbers(lt, p, x, target, frag + 1);
  if (x->module >= 0 && len)
    check_module(lt, p, x, target, dir);
}

static void resolve(struct lint *lt, struct page *p) {
  const struct page_links *pl = p->family[FAM_LINKTEXT];
  for (size_t i = 0; pl && i < pl->n; i++)
    check_link(lt, p, &pl->v[i]);
}

static const char *const linktext_sections[] = {NULL};

const struct family linktext_family = {
    .name = "link-text",
    .rules = linktext_rules,
    .sections = linktext_sections,
    .collect = collect,
    .resolve = resolve,
};
