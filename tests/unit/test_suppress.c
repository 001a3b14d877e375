/* test_suppress.c - suppression comments (src/suppress.h): the verbs on
 * chosen pages, and random pages of comments against a plain reading of
 * the rules that keeps every range in one list and looks at each. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "suppress.h"

/* ---- the plain reading ------------------------------------------------ */

struct range {
  char rule[32]; /* "" for every rule */
  unsigned from, to;
};

struct plain {
  struct range r[4096];
  size_t n;
};

static bool matches(const char *spec, const char *rule) {
  size_t n = strlen(spec);
  if (n && spec[n - 1] == '*')
    return !strncmp(spec, rule, n - 1);
  if (!strcmp(spec, rule))
    return true;
  return !strchr(spec, '/') && !strncmp(spec, rule, n) && rule[n] == '/';
}

/* One comment: the verb's word after "courselint-", and its rules. */
static void plain_apply(struct plain *p, const char *verb,
                        const char *const *rules, size_t nrules, unsigned line,
                        unsigned end_line) {
  const char *none[] = {""};
  if (nrules == 0) {
    rules = none;
    nrules = 1;
  }
  for (size_t k = 0; k < nrules; k++) {
    if (!strcmp(verb, "enable")) {
      for (size_t i = 0; i < p->n; i++) {
        struct range *r = &p->r[i];
        if (r->to == UINT_MAX && r->from > 0 && r->from <= line &&
            (!rules[k][0] || (r->rule[0] && !strcmp(r->rule, rules[k]))))
          r->to = line;
      }
      continue;
    }
    struct range *r = &p->r[p->n++];
    snprintf(r->rule, sizeof(r->rule), "%s", rules[k]);
    if (!strcmp(verb, "disable-next-line"))
      r->from = r->to = end_line + 1;
    else if (!strcmp(verb, "disable-line"))
      r->from = line, r->to = end_line;
    else if (!strcmp(verb, "disable-file"))
      r->from = 0, r->to = UINT_MAX;
    else
      r->from = line, r->to = UINT_MAX;
  }
}

static bool plain_covers(const struct plain *p, const char *rule,
                         unsigned line) {
  for (size_t i = 0; i < p->n; i++)
    if (line >= p->r[i].from && line <= p->r[i].to &&
        (!p->r[i].rule[0] || matches(p->r[i].rule, rule)))
      return true;
  return false;
}

/* ---- pages of comments --------------------------------------------------- */

struct page {
  struct comment c[1024];
  char text[1024][128];
  size_t n;
};

static void add(struct page *pg, struct plain *pl, const char *verb,
                const char *const *rules, size_t nrules, unsigned line,
                unsigned end_line) {
  char *t = pg->text[pg->n];
  int o = snprintf(t, 128, " courselint-%s", verb);
  for (size_t k = 0; k < nrules; k++)
    o += snprintf(t + o, (size_t)(128 - o), "%s%s", k ? ", " : " ", rules[k]);
  snprintf(t + o, (size_t)(128 - o), " ");
  pg->c[pg->n] = (struct comment){t, line, end_line};
  pg->n++;
  if (pl)
    plain_apply(pl, verb, rules, nrules, line, end_line);
}

static struct suppressions *read_page(struct arena *a, const struct page *pg) {
  struct doc doc;
  memset(&doc, 0, sizeof(doc));
  doc.comments = (struct comment *)pg->c;
  doc.ncomments = pg->n;
  return suppress_read(a, &doc);
}

static void test_verbs(void **state) {
  (void)state;
  static struct page pg;
  memset(&pg, 0, sizeof(pg));
  const char *link[] = {"link"};
  const char *anchor[] = {"link/missing-anchor"};
  const char *glob[] = {"task/*"};
  add(&pg, NULL, "disable-next-line", NULL, 0, 3, 3);
  add(&pg, NULL, "disable-line", anchor, 1, 10, 11);
  add(&pg, NULL, "disable", link, 1, 20, 20);
  add(&pg, NULL, "enable", link, 1, 30, 30);
  add(&pg, NULL, "disable-file", glob, 1, 40, 40);
  add(&pg, NULL, "disable", NULL, 0, 50, 50);
  add(&pg, NULL, "enable", NULL, 0, 60, 60);
  struct arena a;
  arena_init(&a);
  struct suppressions *s = read_page(&a, &pg);
  assert_non_null(s);
  assert_true(suppress_covers(s, "heading/empty", 4));
  assert_false(suppress_covers(s, "heading/empty", 3));
  assert_false(suppress_covers(s, "heading/empty", 5));
  assert_true(suppress_covers(s, "link/missing-anchor", 11));
  assert_false(suppress_covers(s, "link/missing-file", 11));
  assert_true(suppress_covers(s, "link/missing-file", 25));
  assert_true(suppress_covers(s, "link/missing-file", 30));
  assert_false(suppress_covers(s, "link/missing-file", 31));
  assert_false(suppress_covers(s, "linkx/y", 25));    /* not the family */
  assert_true(suppress_covers(s, "task/checked", 1)); /* the whole file */
  assert_true(suppress_covers(s, "task/checked", 70));
  assert_true(suppress_covers(s, "ref/wrong-count", 55));
  assert_false(suppress_covers(s, "ref/wrong-count", 61));
  assert_false(suppress_covers(NULL, "ref/wrong-count", 61));
  suppress_free(s);
  arena_free(&a);
  /* A page without courselint comments has nothing to suppress. */
  memset(&pg, 0, sizeof(pg));
  pg.c[0] = (struct comment){" just a note ", 1, 1};
  pg.n = 1;
  arena_init(&a);
  assert_null(read_page(&a, &pg));
  arena_free(&a);
}

static void test_random(void **state) {
  (void)state;
  static const char *const verbs[] = {
      "disable-next-line", "disable-line", "disable-file",
      "disable",           "enable",       "enable"};
  static const char *const specs[] = {"link", "link/missing-file", "task/*",
                                      "ref",  "heading/empty",     "link/*"};
  static const char *const rules[] = {
      "link/missing-file", "link/missing-anchor", "task/checked",
      "ref/wrong-count",   "heading/empty",       "module/sequence"};
  static struct page pg;
  static struct plain pl;
  srand(11);
  for (int round = 0; round < 300; round++) {
    memset(&pg, 0, sizeof(pg));
    memset(&pl, 0, sizeof(pl));
    unsigned line = 1;
    size_t n = 1 + (size_t)rand() % 40;
    for (size_t i = 0; i < n; i++) {
      line += (unsigned)(rand() % 4);
      unsigned end = line + (unsigned)(rand() % 3 == 0);
      const char *picked[3];
      size_t k = (size_t)rand() % 3;
      for (size_t j = 0; j < k; j++)
        picked[j] = specs[rand() % 6];
      add(&pg, &pl, verbs[rand() % 6], picked, k, line, end);
      line = end;
    }
    struct arena a;
    arena_init(&a);
    struct suppressions *s = read_page(&a, &pg);
    for (unsigned l = 0; l <= line + 2; l++)
      for (size_t r = 0; r < 6; r++)
        if (suppress_covers(s, rules[r], l) != plain_covers(&pl, rules[r], l))
          fail_msg("round %d: %s at line %u: %d, plain reading says %d", round,
                   rules[r], l, suppress_covers(s, rules[r], l),
                   plain_covers(&pl, rules[r], l));
    suppress_free(s);
    arena_free(&a);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_verbs),
      cmocka_unit_test(test_random),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
