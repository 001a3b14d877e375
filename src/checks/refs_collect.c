/* refs_collect.c - the ref family's collect step: every reference
 * pattern runs over the plain text of a page's paragraphs and headings
 * (link text and inline code included, code blocks and HTML not), and the
 * matches are kept with the page for refs_check.c. The word search of
 * refs_util.c says which blocks a pattern need not run on. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/path.h"
#include "../util/utf8.h"
#include "refs_entry.h"

/* Whether every segment overlapping [s, t) is inline code, and whether
 * every one is link text. The first is found by a binary search, so a
 * paragraph of many code spans stays linear. */
static void span_flags(const struct textblock *b, size_t s, size_t t,
                       bool *code, bool *link) {
  size_t lo = parse_seg_after(b, s);
  bool any = false;
  *code = *link = true;
  for (size_t i = lo; i < b->nsegs && b->segs[i].text_off < t; i++) {
    any = true;
    if (!(b->segs[i].flags & SEG_CODE))
      *code = false;
    if (!(b->segs[i].flags & SEG_LINK))
      *link = false;
  }
  if (!any)
    *code = *link = false;
}

static int pos_cmp(struct pos a, struct pos b) {
  if (a.line != b.line)
    return a.line < b.line ? -1 : 1;
  return a.col == b.col ? 0 : a.col < b.col ? -1 : 1;
}

/* The link whose text holds text offset off. Links are in source order,
 * so a binary search finds the last one starting before it; images (which
 * may sit inside link text) are stepped over. */
static const struct link *link_at(const struct doc *doc,
                                  const struct textblock *b, size_t off) {
  struct pos at = parse_block_pos(doc, b, off);
  size_t lo = 0, hi = doc->nlinks;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (pos_cmp(doc->links[mid].pos, at) <= 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo, steps = 0; i-- > 0 && steps < 16; steps++) {
    const struct link *l = &doc->links[i];
    if (!l->image)
      return pos_cmp(at, l->end) <= 0 ? l : NULL;
  }
  return NULL;
}

static const char *group(struct page *p, const pcre2_code *re,
                         const struct textblock *b, pcre2_match_data *md,
                         const char *name, size_t *off) {
  const char *s;
  size_t len;
  if (!rules_group(re, md, b->text, name, &s, &len))
    return NULL;
  if (off)
    *off = (size_t)(s - b->text);
  return arena_strndup(&p->arena, s, len);
}

/* The offset of the first byte of the character before offset t. */
static size_t last_char(const struct textblock *b, size_t s, size_t t) {
  return utf8_back(b->text, s, t);
}

/* One pattern of one entry being run over a page. */
struct scan {
  struct lint *lt;
  struct page *p;
  const struct doc *doc;
  const struct ref_entry *e;
  const pcre2_code *re;
  struct vec *out; /* struct ref */
  bool limited;    /* the entry is stopped on this page */
  /* What the entry's patterns may still spend on this page beyond what
   * the page's size bounds (rules_match_budget). */
  struct rules_budget budget;
};

/* Stop the entry on this page, with one rule/match-limit finding saying
 * why: its pattern hit the match limit, failed, or the entry used up its
 * budget for the page. */
static void stop(struct scan *sc, const struct textblock *b, size_t start,
                 int rc) {
  struct lint *lt = sc->lt;
  struct pos at = parse_block_pos(sc->doc, b, start);
  char why[128];
  if (rc == RULES_OVER_BUDGET) {
    lint_diag(lt, sc->p, "rule/match-limit", at,
              "patterns of rule %s used up their work for this page (%d "
              "times the match limit); the rule skips the rest of the page",
              sc->e->id, REFS_PAGE_BUDGET);
  } else if (rules_is_limit(rc)) {
    lint_match_limit(lt, sc->p, sc->e->id, at);
  } else {
    rules_match_error(rc, why, sizeof(why));
    lint_diag(lt, sc->p, "rule/match-limit", at,
              "pattern of rule %s failed here (%s); text skipped", sc->e->id,
              why);
  }
  sc->limited = true;
}

static void keep_match(const struct scan *sc, const struct textblock *b,
                       size_t s, size_t t) {
  struct page *p = sc->p;
  const struct doc *doc = sc->doc;
  const struct ref_entry *e = sc->e;
  const pcre2_code *re = sc->re;
  pcre2_match_data *md = sc->lt->md;
  size_t key_s = s, key_len = t - s, off = 0;
  const char *path = NULL, *count_s;
  size_t count_len;
  unsigned long count = 0;
  /* A count the entry cannot read ("all several chapters") says nothing
   * to check. */
  if (e->kind == REF_COUNT &&
      (!rules_group(re, md, b->text, "count", &count_s, &count_len) ||
       !refs_count_value(count_s, count_len, &count)))
    return;
  if (e->kind == REF_FILE || e->kind == REF_PATH) {
    path = group(p, re, b, md, refs_kind_group[e->kind], &key_s);
    if (!path || !*path)
      return;
    key_len = strlen(path);
  }
  bool code, link;
  span_flags(b, key_s, key_s + key_len, &code, &link);
  if (code && !e->in_code)
    return; /* `chapter 3` in code is an example, not a reference */
  if (link && path)
    return; /* link text: the link itself is what the link family checks */
  struct ref *x = vec_push(sc->out);
  if (!x)
    return;
  x->e = e;
  x->pos = parse_block_pos(doc, b, s);
  /* A phrase that begins with a link's text begins at its '['. */
  span_flags(b, s, s + 1, &code, &link);
  const struct link *first = link ? link_at(doc, b, s) : NULL;
  if (first && first->text && *first->text &&
      !strncmp(b->text + s, first->text, strlen(first->text)))
    x->pos = first->pos;
  x->text = arena_strndup(&p->arena, b->text + s, t - s);
  x->path = path;
  x->noun = group(p, re, b, md, "noun", NULL);
  x->nums = group(p, re, b, md, "nums", &off);
  x->module = group(p, re, b, md, "module", NULL);
  if (e->kind == REF_LESSON && x->nums) {
    /* "[lesson 1](../../1-x/lessons/1-y/)": the link says which module. */
    span_flags(b, off, off + strlen(x->nums), &code, &link);
    const struct link *l = link ? link_at(doc, b, off) : NULL;
    x->link = l && !l->external ? l->dest : NULL;
  }
  if ((x->role = group(p, re, b, md, "role", &off))) {
    span_flags(b, off, off + strlen(x->role), &code, &link);
    const struct link *l = link ? link_at(doc, b, off) : NULL;
    /* An external link's destination lives in scratch: keep a copy. */
    x->link = !l            ? NULL
              : l->external ? arena_strdup(&p->arena, l->dest)
                            : l->dest;
  }
  /* Positions last and in order: parse_pos is fast only going forward
   * along a line, and a paragraph may be one 1 MB line. */
  x->end = parse_block_pos(doc, b, last_char(b, s, t));
  x->count = count;
}

/* Run one pattern over one block. After the pattern hits the match limit
 * on a page it is not run again on that page: one finding per page, and a
 * careless pattern costs the limit once, not once per paragraph. One that
 * stays just under the limit is stopped by the entry's budget. */
static void scan_block(struct scan *sc, const struct textblock *b) {
  struct lint *lt = sc->lt;
  /* A pattern that needed more than the match limit once will need it
   * again on the next paragraph of the same shape: stop it for this page
   * rather than pay the limit paragraph after paragraph. */
  if (sc->limited)
    return;
  size_t start = 0;
  while (start <= b->len) {
    int rc = rules_match_budget(lt->rules, sc->re, b->text, b->len, start,
                                lt->md, &sc->budget);
    if (rc < 0) {
      stop(sc, b, start, rc);
      return;
    }
    if (rc == 0)
      return;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(lt->md);
    size_t s = ov[0], t = ov[1] > ov[0] ? ov[1] : ov[0];
    size_t next = t > s ? t : s + 1;
    if (next <= start)
      next = start + 1;
    next = utf8_forward(b->text, b->len, next);
    if (t > s)
      keep_match(sc, b, s, t);
    start = next;
  }
}

/* Order of references: by entry, then by place in the page. */
static int ref_cmp(const void *a, const void *b) {
  const struct ref *x = a, *y = b;
  if (x->e != y->e)
    return x->e < y->e ? -1 : 1;
  return pos_cmp(x->pos, y->pos);
}

/* Whether block b holds one of the words, ignoring ASCII case: the way
 * for a pattern whose words did not fit in the family's word set. */
static bool mentions(const char *const *words, size_t n,
                     const struct textblock *b) {
  for (size_t w = 0; w < n; w++) {
    size_t wl = strlen(words[w]);
    for (size_t i = 0; i + wl <= b->len; i++)
      if (!strncasecmp(b->text + i, words[w], wl))
        return true;
  }
  return false;
}

/* have[k]: the words and digit of block k, in one pass over the page's
 * block texts when they lie one after another, each after the NUL of the
 * one before (as parse_doc keeps them). False when they do not, or out of
 * memory: the caller then asks block by block. */
static bool find_in_blocks(const struct refs_words *w, const struct doc *doc,
                           uint32_t *have) {
  size_t nb = doc->nblocks;
  size_t *ends = malloc(nb * sizeof(*ends));
  if (!ends)
    return false;
  const char *base = doc->blocks[0].text;
  for (size_t k = 0; k < nb; k++) {
    size_t at = k ? ends[k - 1] + 1 : 0;
    if (doc->blocks[k].text != base + at) {
      free(ends);
      return false;
    }
    ends[k] = at + doc->blocks[k].len;
  }
  refs_words_find_blocks(w, base, ends, nb, have);
  free(ends);
  return true;
}

/* Mark in search the blocks pattern r of e may match in: a section
 * reference is read as numbers (group nums), so a block without a digit
 * cannot hold one (a count may be a word: "all six"); and a block without
 * one of the words the pattern needs (refs_literals) cannot either. Most
 * prose skips most patterns that way: those two tests were a fifth of a
 * run's instructions. */
static void blocks_to_search(const struct ref_entry *e, size_t r,
                             const struct doc *doc, const uint32_t *have,
                             bool *search) {
  bool numeric =
      e->kind == REF_SECTION || e->kind == REF_MODULE || e->kind == REF_LESSON;
  for (size_t k = 0; k < doc->nblocks; k++)
    search[k] = (!numeric || !have || (have[k] & REFS_HAS_DIGIT)) &&
                (!e->nwords[r] ||
                 (e->fit[r] && have
                      ? (have[k] & e->need[r]) != 0
                      : mentions(e->words[r], e->nwords[r], &doc->blocks[k])));
}

void refs_collect(struct lint *lt, struct page *p, const struct doc *doc) {
  const struct refs_config *c = lt->rules->family[FAM_REFS];
  if (!c || !c->n)
    return;
  struct vec found;
  vec_init(&found, sizeof(struct ref));
  /* One pass over the page's blocks says which of the family's words and
   * whether a digit each holds. */
  size_t nb = doc->nblocks;
  uint32_t *have = nb ? malloc(nb * sizeof(*have)) : NULL;
  bool *search = nb ? malloc(nb) : NULL;
  if (have && !find_in_blocks(&c->words, doc, have))
    for (size_t k = 0; k < nb; k++)
      have[k] =
          refs_words_find(&c->words, doc->blocks[k].text, doc->blocks[k].len);
  for (size_t i = 0; i < c->n; i++) {
    const struct ref_entry *e = &c->v[i];
    if (rules_severity_on(lt->rules, e->id, p->path) == CLINT_SEV_OFF ||
        (e->module_only && !p->module) ||
        !rules_scope_holds(&e->where, p->path))
      continue;
    struct scan sc = {.lt = lt, .p = p, .doc = doc, .e = e, .out = &found};
    sc.budget.left = (unsigned long)REFS_PAGE_BUDGET * lt->rules->match_limit;
    for (size_t r = 0; r < e->npatterns; r++) {
      if (search)
        blocks_to_search(e, r, doc, have, search);
      sc.re = e->res[r];
      for (size_t k = 0; k < nb; k++)
        if (!search || search[k])
          scan_block(&sc, &doc->blocks[k]);
    }
  }
  free(search);
  free(have);
  /* Two phrasings of one entry may find the same phrase. */
  if (found.len > 1) /* qsort must not see the NULL of an empty vector */
    qsort(found.data, found.len, sizeof(struct ref), ref_cmp);
  size_t o = 0;
  for (size_t i = 0; i < found.len; i++)
    if (o == 0 || ref_cmp(vec_at(&found, o - 1), vec_at(&found, i)) != 0)
      memmove(vec_at(&found, o++), vec_at(&found, i), sizeof(struct ref));
  found.len = o;
  struct page_refs *pr = arena_alloc(&p->arena, sizeof(*pr));
  if (pr && found.len) {
    pr->v = arena_alloc(&p->arena, sizeof(struct ref) * found.len);
    if (pr->v) {
      memcpy(pr->v, found.data, sizeof(struct ref) * found.len);
      pr->n = found.len;
    }
  }
  p->family[FAM_REFS] = pr;
  vec_free(&found);
}
