/* refs_units.c - the ref family's module and lesson references ("module
 * 04", "lesson 08", "unit 5.2", "lessons 10.5 and 10.8"), checked in
 * resolve against the course's outline (outline.c): the modules of the
 * course and the numbered lessons of each. refs_check.c hands them over;
 * nothing here runs for a rule set without such entries. */
#include <stdlib.h>
#include <string.h>

#include "../outline.h"
#include "../util/path.h"
#include "modnum.h"
#include "refs_entry.h"

/* The number re (lesson_title) reads, group num, from the title of the
 * page at path, or -1. */
static long title_number(struct lint *lt, const char *path,
                         const pcre2_code *re) {
  struct page *t = re && path ? lint_page(lt, path) : NULL;
  return t ? modnum_title_by(lt, t, re) : -1;
}

/* Whether module m sits beside the module of page p (one track). */
static bool beside(struct lint *lt, const struct page *p,
                   const struct module *m) {
  const struct module *own = outline_module_above(lt->course, p->path, lt->md);
  if (!own)
    return false;
  size_t a = path_dirname_len(own->path), b = path_dirname_len(m->path);
  return a == b && !strncmp(own->path, m->path, a);
}

/* The module numbered n: by its folder, one in the page's own track
 * first (tracks may each count from 1), else by its course-wide number
 * (modnum.h: "Module 13" in the titles of folder 01_...). */
static struct module *module_numbered(struct lint *lt, const struct page *p,
                                      long n) {
  struct course *c = lt->course;
  struct module *any = NULL;
  for (size_t i = 0; i < c->nmodules; i++)
    if (c->modules[i]->number == n) {
      if (beside(lt, p, c->modules[i]))
        return c->modules[i];
      if (!any)
        any = c->modules[i];
    }
  if (any)
    return any;
  for (size_t i = 0; i < c->nmodules; i++)
    if (modnum_number(lt, c->modules[i], NULL) == n)
      return c->modules[i];
  return NULL;
}

/* A lesson's number: from its path, else from its title. */
static long lesson_number(struct lint *lt, const struct lesson *l) {
  if (l->number >= 0)
    return l->number;
  const long *known = lint_memo_get(lt, l);
  if (known)
    return known[0];
  long n = title_number(lt, l->path, lt->rules->lesson_title_re);
  lint_memo_put(lt, l, n, 0);
  return n;
}

/* The numbers that exist, as "1-6" (prefix: "5.1-5.6"), in p's arena;
 * nums of n numbers. */
static const char *summary(struct page *p, const long *nums, size_t n,
                           long prefix) {
  struct secnum *v = malloc(sizeof(*v) * (n + 1));
  size_t k = 0;
  for (size_t i = 0; v && i < n; i++)
    if (nums[i] >= 0 && nums[i] <= (long)SECNUM_MAX_PART) {
      v[k] = (struct secnum){.n = prefix >= 0 ? 2 : 1};
      v[k].part[0] = (unsigned)(prefix >= 0 ? prefix : nums[i]);
      v[k].part[v[k].n - 1] = (unsigned)nums[i];
      k++;
    }
  char buf[256] = "";
  if (v)
    refs_summary(v, refs_sort_unique(v, k), buf, sizeof(buf));
  free(v);
  return arena_strdup(&p->arena, buf);
}

static void say_missing(struct lint *lt, struct page *p, const struct ref *x,
                        const char *noun, const struct secnum *want,
                        const char *folder, const char *have,
                        const char *target) {
  char num[64];
  secnum_str(want, num, sizeof(num));
  bool one = have && !strpbrk(have, ",-");
  const char *vals[V_N] = {[V_TEXT] = x->text,
                           [V_NOUN] = noun,
                           [V_NOUNS] =
                               one ? noun : refs_plural(&p->arena, noun),
                           [V_NUMBER] = num,
                           [V_FOLDER] = folder,
                           [V_HAVE] = have};
  const char *msg =
      x->e->message ? x->e->message : refs_default_message[x->e->kind];
  struct diag *d = refs_report(lt, p, x, refs_fill(&p->arena, msg, vals));
  if (d)
    d->target = arena_printf(&p->arena, "%s %s %s", target, noun, num);
}

/* The numbers of the course's modules (folders and course-wide), for a
 * message; n gets how many. Caller frees. */
static long *module_numbers(struct lint *lt, size_t *n) {
  struct course *c = lt->course;
  long *v = malloc(sizeof(*v) * (2 * c->nmodules + 1));
  *n = 0;
  for (size_t i = 0; v && i < c->nmodules; i++) {
    v[(*n)++] = c->modules[i]->number;
    v[(*n)++] = modnum_number(lt, c->modules[i], NULL);
  }
  return v;
}

/* "module 7" when the course has no module 7; silent in a course
 * without numbered modules (nothing to check against). */
static bool check_module(struct lint *lt, struct page *p, const struct ref *x,
                         const struct secnum *want, const char *noun) {
  if (want->n != 1)
    return false;
  lint_count_ref(lt, p, false);
  struct module *m = module_numbered(lt, p, (long)want->part[0]);
  if (m) {
    lint_ref(lt, p, CLINT_REF_PROSE, x->pos, x->end, x->e->id,
             m->home ? m->home : m->path, NULL, false);
    return true;
  }
  size_t n;
  long *nums = module_numbers(lt, &n);
  const char *have = nums ? summary(p, nums, n, -1) : NULL;
  free(nums);
  if (have && *have)
    say_missing(lt, p, x, noun, want, "the course", have, "course");
  return false;
}

/* The module a lesson reference is about when it names no module
 * number: the one its link leads into, the one its module group names,
 * else the page's own. */
static struct module *lesson_module(struct lint *lt, struct page *p,
                                    const struct ref *x) {
  if (x->link) {
    size_t len = strcspn(x->link, "?#");
    size_t dl = path_dirname_len(p->path);
    char *joined = arena_printf(&p->arena, "%.*s%s%.*s", (int)dl, p->path,
                                dl ? "/" : "", (int)len, x->link);
    char *norm = joined ? arena_alloc(&p->arena, strlen(joined) + 2) : NULL;
    if (!norm || !path_normalize(joined, strlen(joined), norm))
      return NULL;
    /* A link to a folder names a page in it, for outline_module_above. */
    if (index_type(lt->course, norm) == ENTRY_DIR)
      norm = arena_printf(&p->arena, "%s%sREADME.md", norm, *norm ? "/" : "");
    return norm ? outline_module_above(lt->course, norm, lt->md) : NULL;
  }
  if (x->module)
    return module_numbered(lt, p, strtol(x->module, NULL, 10));
  return outline_module_above(lt->course, p->path, lt->md);
}

static void check_lesson(struct lint *lt, struct page *p, const struct ref *x,
                         const struct secnum *want, const char *noun) {
  struct module *m = NULL;
  long prefix = -1;
  if (want->n == 2) {
    prefix = (long)want->part[0];
    struct secnum mod = {.n = 1, .part = {want->part[0]}};
    if (!(m = module_numbered(lt, p, prefix))) {
      check_module(lt, p, x, &mod, "module");
      return;
    }
  } else if (want->n == 1) {
    m = lesson_module(lt, p, x);
  }
  if (!m || !outline_lessons(lt->course, m, lt->md) || !m->nlessons)
    return; /* no module or no lessons: nothing to check against */
  long *nums = malloc(sizeof(*nums) * m->nlessons);
  if (!nums)
    return;
  long l = (long)want->part[want->n - 1];
  const struct lesson *hit = NULL;
  bool numbered = false;
  for (size_t i = 0; i < m->nlessons; i++) {
    if ((nums[i] = lesson_number(lt, &m->lessons[i])) == l && !hit)
      hit = &m->lessons[i];
    numbered |= nums[i] >= 0;
  }
  if (!numbered) { /* nothing to check the number against */
    free(nums);
    return;
  }
  lint_count_ref(lt, p, false);
  lint_ref(lt, p, CLINT_REF_PROSE, x->pos, x->end, x->e->id,
           hit ? hit->path : m->path, NULL, !hit);
  if (!hit) {
    const char *folder = arena_printf(&p->arena, "%s/", m->path);
    say_missing(lt, p, x, noun, want, folder,
                summary(p, nums, m->nlessons, prefix), m->path);
  }
  free(nums);
}

void refs_check_unit(struct lint *lt, struct page *p, const struct ref *x) {
  if (!x->nums || !outline_modules(lt->course, lt->md))
    return;
  struct secnum want[256];
  size_t nwant =
      refs_expand(x->nums, strlen(x->nums), (const char *const *)x->e->ranges,
                  x->e->nranges, want, 256);
  bool lesson = x->e->kind == REF_LESSON;
  /* A page's title names its own lesson ("## Lesson 3: Setup"): the
   * outline's to read (lesson_title, module/lesson-title-number), not a
   * reference to another. */
  const struct heading *title = modnum_title_heading(p);
  if (lesson && lt->rules->lesson_title_re && title &&
      x->pos.line == title->pos.line)
    return;
  const char *noun = refs_noun(p, x, lesson ? "lesson" : "module");
  for (size_t i = 0; i < nwant; i++) {
    if (lesson)
      check_lesson(lt, p, x, &want[i], noun);
    else
      check_module(lt, p, x, &want[i], noun);
  }
}
