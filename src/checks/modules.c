/* modules.c - the module family: the shape of each module folder. Every
 * module holds the files its roles require, its pages name the same
 * module number in their H1, and the module folders of a track (siblings
 * under one parent) carry consecutive numbers. Runs in resolve (phase 2),
 * when the folder listings and the other pages can be read; findings
 * about a module as a whole go on its home page, findings about one page
 * on that page. */
#include "modules.h"

#include <stdlib.h>
#include <string.h>

#include "../lint.h"
#include "../outline.h"
#include "../util/path.h"
#include "modnum.h"

static const struct rule_def module_rules[] = {
    {"module/missing-file", CLINT_SEV_ERROR,
     "a module folder lacks a file its roles require",
     "Each role marked `required: true` in the rule file must have a file "
     "in every module folder. The finding goes on the module's README (or "
     "its first role file).\n\nExample: `13_diffusion/` without a daily "
     "recall page gives `module 13_diffusion has no daily_recall file "
     "(such as 04_daily_recall.md)`. Fix: add the file, or rename the one "
     "that is there to match the role's `file` pattern."},
    {"module/title-number", CLINT_SEV_ERROR,
     "a page names another module number in its title than the rest of its "
     "module",
     "When the pages of a module name a module number in their title "
     "(the H1, or the first heading of a page that starts at H2; "
     "`modules.title`, \"Module 13\"), they must agree; the page that "
     "disagrees with the majority (ties go to the folder's number) is "
     "reported.\n\nExample: `# Module 12 - Review` in `13_diffusion/`, "
     "copied from the previous module. Fix: `# Module 13 - Review`."},
    {"module/sequence", CLINT_SEV_ERROR,
     "the module folders of a track do not carry consecutive numbers",
     "Module folders that are siblings under one parent form a track and "
     "are numbered 13, 14, 15 without gaps or repeats. The later folder "
     "of a pair is reported, on its home page.\n\nExample: `13_diffusion/` "
     "followed by `15_agents/`. Fix: rename the folder to `14_agents/`, or "
     "add the missing module."},
    {"module/lesson-sequence", CLINT_SEV_ERROR,
     "the numbered lessons of a module do not carry consecutive numbers",
     "With `modules.lessons` in the rule file, the lessons of a module "
     "whose names carry numbers run 1, 2, 3 without gaps or repeats, "
     "across the module's pages and folders. The later lesson of a pair "
     "is reported.\n\nExample: `02-setup.md` followed by `04-deploy.md` "
     "in one module. Fix: rename it `03-deploy.md`, or add the missing "
     "lesson."},
    {"module/lesson-title-number", CLINT_SEV_ERROR,
     "a lesson's title names another lesson number than its name",
     "With `modules.lessons` and `modules.lesson_title`, a lesson whose "
     "name carries a number and whose title names a lesson number (\"Lesson "
     "4: Deploying\") must agree: a page copied or renumbered keeps the "
     "old title.\n\nExample: `03-deploy.md` titled `## Lesson 4: "
     "Deploying`. Fix: `## Lesson 3: Deploying`, or rename the page."},
    {NULL, 0, NULL, NULL}};

/* ---- pure helpers ------------------------------------------------------ */

static int long_cmp(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return x < y ? -1 : x > y;
}

long modules_majority(const long *v, size_t n, long tie) {
  long *s = malloc((n ? n : 1) * sizeof(*s));
  if (!s)
    return -1;
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (v[i] >= 0)
      s[m++] = v[i];
  qsort(s, m, sizeof(*s), long_cmp);
  long best = -1;
  size_t best_count = 0, tie_count = 0;
  bool tied = false;
  for (size_t i = 0; i < m;) {
    size_t k = i;
    while (k < m && s[k] == s[i])
      k++;
    size_t c = k - i;
    if (s[i] == tie)
      tie_count = c;
    if (c > best_count) {
      best = s[i];
      best_count = c;
      tied = false;
    } else if (c == best_count) {
      tied = true;
    }
    i = k;
  }
  free(s);
  if (!tied)
    return best;
  /* A tie: the folder's number decides when it is one of the tied. */
  return tie >= 0 && tie_count == best_count ? tie : -1;
}

/* ---- helpers ----------------------------------------------------------- */

/* The module number a page names in its title (modnum_title_heading), or -1;
 * *at gets the title's position and *level its level. */
static long title_number(struct lint *lt, struct page *p, struct pos *at,
                         unsigned *level) {
  const pcre2_code *re = lt->rules->module_title_re;
  if (!re)
    return -1;
  const struct heading *h = modnum_title_heading(p);
  if (h) {
    if (at)
      *at = h->pos;
    if (level)
      *level = h->level;
    const char *num;
    size_t len;
    int rc = rules_match(lt->rules, re, h->text, strlen(h->text), 0, lt->md);
    /* Say so on the page itself (at is only asked for there); other pages
     * of the module just do not vote. */
    if (rc < 0 && at)
      lint_diag(lt, p, "rule/match-limit", h->pos,
                "modules.title pattern hit the match limit on this title; "
                "its module number is not checked");
    if (rc != 1 || !rules_group(re, lt->md, h->text, "num", &num, &len) ||
        len == 0 || len > 9)
      return -1;
    return strtol(num, NULL, 10);
  }
  return -1;
}

/* A name for a missing role file, when the module's files follow the
 * pattern NN_<role id>.md with NN the role's place in the rule file (as
 * 01_weekly_plan.md, 02_explainer.md ...); else NULL. */
static const char *expected_name(struct page *p, const struct rules *r,
                                 const struct module *m, size_t role) {
  bool any = false;
  for (size_t i = 0; i < m->nroles; i++) {
    if (!m->files[i])
      continue;
    char want[160];
    snprintf(want, sizeof(want), "%02zu_%s.md", i + 1, r->roles[i].id);
    if (strcmp(path_basename(m->files[i]), want) != 0)
      return NULL;
    any = true;
  }
  if (!any)
    return NULL;
  return arena_printf(&p->arena, "%02zu_%s.md", role + 1, r->roles[role].id);
}

/* ---- checks ------------------------------------------------------------ */

static void check_missing_files(struct lint *lt, struct page *p,
                                const struct module *m) {
  const struct rules *r = lt->rules;
  for (size_t i = 0; i < m->nroles && i < r->nroles; i++) {
    if (m->files[i] || !r->roles[i].required)
      continue;
    const char *name = expected_name(p, r, m, i);
    const char *folder = m->path[0] ? m->name : "at the course root";
    const char *noun = rules_noun(r, false);
    struct diag *d;
    if (name)
      d = lint_diag(lt, p, "module/missing-file", (struct pos){1, 1},
                    "%s %s has no %s file (such as %s)", noun, folder,
                    r->roles[i].id, name);
    else
      d = lint_diag(lt, p, "module/missing-file", (struct pos){1, 1},
                    "%s %s has no %s file (a name matching '%s')", noun, folder,
                    r->roles[i].id, r->roles[i].file);
    if (d && name)
      d->target =
          m->path[0] ? arena_printf(&p->arena, "%s/%s", m->path, name) : name;
  }
}

/* Compare this page's H1 module number with the other pages of its
 * module: each page decides for itself, so findings stay on the page the
 * resolve was called for. */
static void check_title_number(struct lint *lt, struct page *p,
                               const struct module *m) {
  struct pos at = {1, 1};
  unsigned level = 1;
  long mine = title_number(lt, p, &at, &level);
  if (mine < 0)
    return;
  struct dir *d = index_dir(lt->course, m->path);
  if (!d || !d->exists)
    return;
  long *votes = calloc(d->n ? d->n : 1, sizeof(*votes));
  if (!votes)
    return;
  size_t n = 0;
  for (size_t i = 0; i < d->n; i++) {
    const struct entry *e = &d->entries[i];
    if (e->type != ENTRY_FILE || !index_is_markdown(e->name))
      continue;
    char *path = m->path[0] ? arena_printf(&p->arena, "%s/%s", m->path, e->name)
                            : arena_strdup(&p->arena, e->name);
    struct page *q = path ? lint_page(lt, path) : NULL;
    if (q)
      votes[n++] = q == p ? mine : title_number(lt, q, NULL, NULL);
  }
  long major = modules_majority(votes, n, m->number);
  size_t agree = 0;
  for (size_t i = 0; i < n; i++)
    agree += votes[i] == major;
  free(votes);
  const char *noun = rules_noun(lt->rules, false);
  if (major >= 0 && mine != major)
    lint_diag(lt, p, "module/title-number", at,
              "H%u names %s %ld, but %zu other page%s of %s name%s %s %ld",
              level, noun, mine, agree, agree == 1 ? "" : "s", m->name,
              agree == 1 ? "s" : "", noun, major);
}

struct numbered {
  long number;
  const char *name;
};

static int numbered_cmp(const void *a, const void *b) {
  const struct numbered *x = a, *y = b;
  if (x->number != y->number)
    return x->number < y->number ? -1 : 1;
  return strcmp(x->name, y->name);
}

/* The module folders beside m (m included), sorted by number. */
static struct numbered *track(struct lint *lt, struct page *p,
                              const struct module *m, size_t *count) {
  size_t pl = path_dirname_len(m->path);
  char *parent = arena_strndup(&p->arena, m->path, pl);
  struct dir *d = parent ? index_dir(lt->course, parent) : NULL;
  if (!d || !d->exists)
    return NULL;
  struct numbered *v = calloc(d->n ? d->n : 1, sizeof(*v));
  if (!v)
    return NULL;
  size_t n = 0;
  for (size_t i = 0; i < d->n; i++) {
    const struct entry *e = &d->entries[i];
    if (e->type != ENTRY_DIR || e->name[0] == '.')
      continue;
    char *path = pl ? arena_printf(&p->arena, "%s/%s", parent, e->name)
                    : arena_strdup(&p->arena, e->name);
    if (!path || index_ignored(lt->course, path, true))
      continue;
    struct module *sib = outline_module(lt->course, path, lt->md);
    if (sib && sib->number >= 0)
      v[n++] = (struct numbered){sib->number, sib->name};
  }
  qsort(v, n, sizeof(*v), numbered_cmp);
  *count = n;
  return v;
}

static void check_sequence(struct lint *lt, struct page *p,
                           const struct module *m) {
  if (m->number < 0 || !m->path[0])
    return;
  size_t n = 0;
  struct numbered *v = track(lt, p, m, &n);
  if (!v)
    return;
  for (size_t i = 1; i < n; i++) {
    if (strcmp(v[i].name, m->name) != 0)
      continue;
    const struct numbered *prev = &v[i - 1];
    const char *noun = rules_noun(lt->rules, false);
    if (prev->number == m->number)
      lint_diag(lt, p, "module/sequence", (struct pos){1, 1},
                "%s folders %s and %s both carry number %ld", noun, prev->name,
                m->name, m->number);
    else if (prev->number + 1 != m->number)
      lint_diag(lt, p, "module/sequence", (struct pos){1, 1},
                "%s %s follows %s %s: number %ld is missing%s", noun, m->name,
                noun, prev->name, prev->number + 1,
                m->number > prev->number + 2 ? " (and more)" : "");
    break;
  }
  free(v);
}

/* Page p, if a lesson numbered by its name, against the lesson numbered
 * just below it in its module (the same number: a repeat; not one less:
 * a gap). Lessons numbered by their titles are left to the outline. */
static void check_lesson_sequence(struct lint *lt, struct page *p) {
  if (!lt->rules->lessons_re)
    return; /* no lessons in the outline (the seed's layout) */
  struct module *m = outline_module_above(lt->course, p->path, lt->md);
  if (!m || !outline_lessons(lt->course, m, lt->md))
    return;
  const struct lesson *own = outline_lesson_at(m, p->path);
  if (!own || own->number < 0)
    return;
  long titled = modnum_title_by(lt, p, lt->rules->lesson_title_re);
  const char *noun = rules_noun(lt->rules, true);
  if (titled >= 0 && titled != own->number)
    lint_diag(lt, p, "module/lesson-title-number",
              modnum_title_heading(p)->pos, /* a title was read */
              "the title names %s %ld, but %s is %s %ld by its name", noun,
              titled, path_basename(own->path), noun, own->number);
  const struct lesson *below = own->below >= 0 ? &m->lessons[own->below] : NULL;
  if (!below)
    return;
  if (below->number == own->number)
    lint_diag(lt, p, "module/lesson-sequence", (struct pos){1, 1},
              "%s and %s both carry %s number %ld", path_basename(below->path),
              path_basename(own->path), noun, own->number);
  else if (below->number + 1 != own->number)
    lint_diag(lt, p, "module/lesson-sequence", (struct pos){1, 1},
              "%s %s follows %s %s: number %ld is missing%s", noun,
              path_basename(own->path), noun, path_basename(below->path),
              below->number + 1,
              own->number > below->number + 2 ? " (and more)" : "");
}

static void resolve(struct lint *lt, struct page *p) {
  check_lesson_sequence(lt, p);
  const struct module *m = p->module;
  if (!m)
    return;
  if (m->home && !strcmp(m->home, p->path)) {
    check_missing_files(lt, p, m);
    check_sequence(lt, p, m);
  }
  if (p->nheadings)
    check_title_number(lt, p, m);
}

const struct family modules_family = {
    .name = "module",
    .rules = module_rules,
    .resolve = resolve,
};
