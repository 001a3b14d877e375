/* sections.c - the heading family's checks of a page's sections: the
 * numbers of numbered headings (1, 2, 3 under their parent, 6.5 under 6)
 * and the sections a page's role requires, in order. Split from
 * headings.c for size; the family's table and settings live there. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../lint.h"
#include "../util/secnum.h"
#include "headings.h"

static const struct heading_settings *settings_of(const struct lint *lt) {
  return lt->rules->family[FAM_HEADINGS];
}

/* ---- pure helpers ------------------------------------------------------ */

static bool prefix_at(const char *text, const char *want) {
  for (; *want; want++, text++)
    if (tolower((unsigned char)*text) != tolower((unsigned char)*want))
      return false;
  return true;
}

bool headings_prefix_match(const char *text, const char *want) {
  if (prefix_at(text, want))
    return true;
  if (!isalpha((unsigned char)want[0]))
    return false;
  /* Skip numbering, punctuation and symbols (any non-ASCII byte) up to
   * the first ASCII letter: "3. Reflection", "✅ Completion gate". */
  const char *t = text;
  while (*t && !isalpha((unsigned char)*t))
    t++;
  return t != text && *t && prefix_at(t, want);
}

/* ---- section numbers --------------------------------------------------- */

static bool may_start(const struct heading_settings *s, unsigned v) {
  if (!s)
    return v <= 1;
  for (size_t i = 0; i < s->nstarts; i++)
    if (s->starts[i] == v)
      return true;
  return false;
}

static void fmt_number(char *out, size_t size, const struct secnum *n,
                       unsigned parts, unsigned last) {
  size_t o = 0;
  out[0] = '\0';
  for (unsigned i = 0; i < parts && o < size; i++)
    o += (size_t)snprintf(out + o, size - o, "%s%u", i ? "." : "",
                          i + 1 == parts ? last : n->part[i]);
}

/* One numbered heading against the previous numbered sibling (prev, or
 * NULL when it is the first under its parent). */
static void check_sequence(struct lint *lt, struct page *p,
                           const struct heading *h, const struct secnum *n,
                           const struct heading *prev,
                           const struct secnum *pn) {
  const struct heading_settings *s = settings_of(lt);
  unsigned last = n->part[n->n - 1];
  char want[96];
  if (!prev) {
    if (may_start(s, last))
      return;
    unsigned first = s && s->nstarts ? s->starts[0] : 1;
    if (may_start(s, 1))
      first = 1;
    fmt_number(want, sizeof(want), n, n->n, first);
    lint_diag(lt, p, "heading/number-sequence", h->pos,
              "section %s is the first at its level; expected %s", h->number,
              want);
    return;
  }
  if (pn->n == n->n && secnum_same_prefix(pn, n, n->n - 1) &&
      last == pn->part[pn->n - 1] + 1)
    return;
  if (pn->n == n->n && secnum_same_prefix(pn, n, n->n)) {
    lint_diag(lt, p, "heading/number-sequence", h->pos,
              "section %s is numbered twice (also on line %u)", h->number,
              prev->pos.line);
    return;
  }
  if (n->n == pn->n + 1 && secnum_same_prefix(pn, n, pn->n)) {
    lint_diag(lt, p, "heading/number-sequence", h->pos,
              "section %s is an H%u like section %s on line %u: make it a "
              "subsection (one more '#')",
              h->number, h->level, prev->number, prev->pos.line);
    return;
  }
  fmt_number(want, sizeof(want), pn, pn->n, pn->part[pn->n - 1] + 1);
  if (pn->n == n->n && secnum_same_prefix(pn, n, n->n - 1) &&
      last > pn->part[pn->n - 1])
    lint_diag(lt, p, "heading/number-sequence", h->pos,
              "section %s follows section %s: %s%s is missing", h->number,
              prev->number, want,
              last > pn->part[pn->n - 1] + 2 ? " and more" : "");
  else
    lint_diag(lt, p, "heading/number-sequence", h->pos,
              "section %s follows section %s; expected %s", h->number,
              prev->number, want);
}

/* A subsection's number extends its nearest numbered ancestor's by one
 * part: 6.5 under 6, 6.5.1 under 6.5. */
static bool check_parent(struct lint *lt, struct page *p,
                         const struct heading *h, const struct secnum *n,
                         const struct heading *anc, const struct secnum *an) {
  if (!anc || n->n < 2)
    return true;
  if (an->n + 1 == n->n && secnum_same_prefix(an, n, an->n))
    return true;
  char want[96];
  fmt_number(want, sizeof(want), n, n->n - 1, n->part[n->n - 2]);
  lint_diag(lt, p, "heading/number-parent", h->pos,
            "section %s is not under section %s but under section %s",
            h->number, want, anc->number);
  return false;
}

/* Walk the outline with a stack of open headings; each keeps the last
 * numbered child it saw at each level. */
struct open_heading {
  size_t index;
  size_t last_child[7]; /* index + 1 of the last numbered child, by level */
};

void headings_check_numbers(struct lint *lt, struct page *p) {
  if (p->role < 0 || !lt->rules->roles[p->role].number_re)
    return;
  struct secnum *nums = calloc(p->nheadings ? p->nheadings : 1, sizeof(*nums));
  if (!nums)
    return;
  struct open_heading stack[8] = {{0}};
  size_t depth = 1; /* stack[0] is the page itself */
  for (size_t i = 0; i < p->nheadings; i++) {
    const struct heading *h = &p->headings[i];
    while (depth > 1 && p->headings[stack[depth - 1].index].level >= h->level)
      depth--;
    struct open_heading *parent = &stack[depth - 1];
    if (h->number && secnum_from_str(h->number, &nums[i])) {
      size_t anc = SIZE_MAX;
      for (size_t k = depth; k-- > 1 && anc == SIZE_MAX;)
        if (nums[stack[k].index].n)
          anc = stack[k].index;
      /* A subsection under the wrong chapter is one mistake: its place
       * in the count of its siblings is not reported as well. */
      size_t prev = parent->last_child[h->level];
      if (anc == SIZE_MAX ||
          check_parent(lt, p, h, &nums[i], &p->headings[anc], &nums[anc]))
        check_sequence(lt, p, h, &nums[i], prev ? &p->headings[prev - 1] : NULL,
                       prev ? &nums[prev - 1] : NULL);
      parent->last_child[h->level] = i + 1;
    }
    if (depth < 8) {
      memset(&stack[depth], 0, sizeof(stack[depth]));
      stack[depth++].index = i;
    }
  }
  free(nums);
}

/* ---- required sections ------------------------------------------------- */

static bool section_matches(struct lint *lt, const pcre2_code *re,
                            const char *want, const char *text) {
  if (!re)
    return headings_prefix_match(text, want);
  return rules_match(lt->rules, re, text, strlen(text), 0, lt->md) == 1;
}

static size_t find_section(struct lint *lt, const struct page *p,
                           const pcre2_code *re, const char *want, size_t from,
                           size_t to) {
  for (size_t i = from; i < to; i++)
    if (section_matches(lt, re, want, p->headings[i].text))
      return i;
  return SIZE_MAX;
}

void headings_check_sections(struct lint *lt, struct page *p) {
  const struct heading_settings *s = settings_of(lt);
  if (p->role < 0 || !s || (size_t)p->role >= s->nroles)
    return;
  const struct role *role = &lt->rules->roles[p->role];
  pcre2_code **re = s->section_re[p->role];
  struct pos at = {1, 1};
  for (size_t i = 0; i < p->nheadings; i++)
    if (p->headings[i].level == 1) {
      at = p->headings[i].pos;
      break;
    }
  size_t next = 0, nmissing = 0;
  const char *after = NULL;
  struct buf missing;
  buf_init(&missing);
  for (size_t k = 0; k < role->nsections; k++) {
    const char *want = role->sections[k];
    size_t i = find_section(lt, p, re[k], want, next, p->nheadings);
    if (i != SIZE_MAX) {
      next = i + 1;
      after = p->headings[i].text;
      continue;
    }
    i = find_section(lt, p, re[k], want, 0, next);
    if (i != SIZE_MAX) {
      lint_diag(lt, p, "heading/section-order", p->headings[i].pos,
                "section '%s' should come after '%s' on a %s page",
                p->headings[i].text, after ? after : "", role->id);
    } else {
      buf_printf(&missing, "%s'%s'", nmissing ? ", " : "", want);
      nmissing++;
    }
  }
  /* One finding for all that are missing: a page that lacks them all is
   * one mistake (often the wrong template), not five. */
  if (nmissing)
    lint_diag(lt, p, "heading/missing-section", at,
              "%s page has no section%s %s", role->id, nmissing > 1 ? "s" : "",
              buf_cstr(&missing));
  buf_free(&missing);
}
