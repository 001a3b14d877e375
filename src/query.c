/* query.c - small questions an editor asks of a course that the public
 * API's runs and references do not answer: the text the course reads
 * for a page, the roles of a page's module and the pages that play them,
 * the modules and lessons of the outline, and the entries of a folder. Beside
 * run.c, on the index it keeps; used by the editor server (src/lsp/). */
#include <stdlib.h>
#include <string.h>

#include "outline.h"
#include "run.h"
#include "scan.h"
#include "util/status.h"

clint_status clint_course_page_text(clint_course *course, const char *path,
                                    char **text, size_t *len,
                                    clint_error *err) {
  *text = NULL;
  *len = 0;
  struct course *c = run_index(course);
  struct arena a;
  arena_init(&a);
  const char *rel = run_root_relative(course, &a, path);
  clint_status st = CLINT_OK;
  size_t n;
  const char *given = rel && rel[0] ? index_given_text(c, rel, &n) : NULL;
  char *full = rel && rel[0] ? arena_printf(&a, "%s/%s", c->root, rel) : NULL;
  char *real = given || !full ? NULL : realpath(full, NULL);
  size_t rl = strlen(c->root);
  if (given) {
    *text = malloc(n + 1);
    if (!*text) {
      st = status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
    } else {
      memcpy(*text, given, n);
      (*text)[n] = '\0';
      *len = n;
    }
  } else if (!rel || !rel[0] || !real || strncmp(real, c->root, rl) != 0 ||
             real[rl] != '/') {
    /* Followed through its links, the file must lie inside the root, as
     * a run reads it. */
    st = status_set(err, CLINT_E_IO, path, 0, 0, "no readable page there");
  } else {
    struct source src;
    st = scan_read_file(real, &src, err);
    if (st == CLINT_OK) {
      /* The bytes as on disk: the BOM goes back in front. */
      *text = malloc(src.bom + src.len + 1);
      if (!*text) {
        st = status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
      } else {
        memcpy(*text, "\xEF\xBB\xBF", src.bom);
        memcpy(*text + src.bom, src.text, src.len + 1);
        *len = src.bom + src.len;
      }
      scan_free(&src);
    }
  }
  free(real);
  arena_free(&a);
  return st;
}

clint_status clint_course_roles(clint_course *course, const char *path,
                                bool (*fn)(const clint_role *role, void *ctx),
                                void *ctx, clint_error *err) {
  const struct rules *r = run_rules(course);
  const struct module *m = NULL;
  if (path) {
    struct page *p = run_page(course, path, err);
    if (!p)
      return CLINT_E_IO;
    m = p->module;
  }
  for (size_t i = 0; i < r->nroles; i++) {
    const struct role *ro = &r->roles[i];
    clint_role out = {.id = ro->id,
                      .names = ro->names,
                      .nnames = ro->nnames,
                      .numbered = ro->number_re != NULL,
                      .page = m && i < m->nroles ? m->files[i] : NULL};
    if (!fn(&out, ctx))
      break;
  }
  return CLINT_OK;
}

clint_status clint_course_list(clint_course *course, const char *path,
                               bool (*fn)(const clint_entry *e, void *ctx),
                               void *ctx, clint_error *err) {
  struct course *c = run_index(course);
  struct arena a;
  arena_init(&a);
  const char *rel = run_root_relative(course, &a, path);
  struct dir *d = rel ? index_dir(c, rel) : NULL;
  clint_status st = CLINT_OK;
  if (!d || !d->exists || (rel[0] && index_ignored(c, rel, true))) {
    st = status_set(err, CLINT_E_IO, path, 0, 0,
                    "no folder of the course there");
  } else {
    for (size_t i = 0; i < d->n; i++) {
      const struct entry *e = &d->entries[i];
      if (e->name[0] == '.' || e->type == ENTRY_OTHER || e->type == ENTRY_NONE)
        continue;
      char *sub = rel[0] ? arena_printf(&a, "%s/%s", rel, e->name)
                         : arena_strdup(&a, e->name);
      if (sub && index_ignored(c, sub, e->type == ENTRY_DIR))
        continue;
      clint_entry out = {.name = e->name, .dir = e->type == ENTRY_DIR};
      if (!fn(&out, ctx))
        break;
    }
  }
  arena_free(&a);
  return st;
}

/* The number lesson_title reads from the title of lesson l (its first
 * H1, else its first heading), or -1. */
static long lesson_title_number(clint_course *course, const struct lesson *l,
                                pcre2_match_data *md) {
  const struct rules *r = run_rules(course);
  struct course *c = run_index(course);
  if (!r->lesson_title_re)
    return -1;
  struct arena a;
  arena_init(&a);
  clint_error err;
  const char *full = arena_printf(&a, "%s/%s", c->root, l->path);
  struct page *p = full ? run_page(course, full, &err) : NULL;
  const struct heading *h = NULL;
  for (size_t i = 0; p && i < p->nheadings && !h; i++)
    if (p->headings[i].level == 1)
      h = &p->headings[i];
  if (!h && p && p->nheadings)
    h = &p->headings[0];
  const char *num;
  size_t len;
  long n = -1;
  if (h &&
      rules_match(r, r->lesson_title_re, h->text, strlen(h->text), 0, md) ==
          1 &&
      rules_group(r->lesson_title_re, md, h->text, "num", &num, &len) && len &&
      len < 10)
    n = strtol(num, NULL, 10);
  arena_free(&a);
  return n;
}

/* Reading order: by number, then by path; what has no number after. */
static int by_number(long a, long b, const char *pa, const char *pb) {
  if (a != b)
    return a < 0 ? 1 : b < 0 ? -1 : a < b ? -1 : 1;
  return strcmp(pa, pb);
}

static int module_cmp(const void *a, const void *b) {
  const struct module *x = *(struct module *const *)a;
  const struct module *y = *(struct module *const *)b;
  return by_number(x->number, y->number, x->path, y->path);
}

static int unit_cmp(const void *a, const void *b) {
  const clint_unit *x = a, *y = b;
  return by_number(x->number, y->number, x->page, y->page);
}

clint_status clint_course_units(clint_course *course,
                                bool (*fn)(const clint_unit *unit, void *ctx),
                                void *ctx, clint_error *err) {
  const struct rules *r = run_rules(course);
  if (!r->module_path_re && !r->lessons_re)
    return CLINT_OK;
  struct course *c = run_index(course);
  pcre2_match_data *md = pcre2_match_data_create(32, NULL);
  /* The modules are known once outline_modules has found them. */
  struct module **order =
      md && outline_modules(c, md)
          ? malloc((c->nmodules ? c->nmodules : 1) * sizeof(*order))
          : NULL;
  if (!order) {
    pcre2_match_data_free(md);
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  }
  if (c->nmodules) /* qsort(NULL, 0, ...) is undefined */
    memcpy(order, c->modules, c->nmodules * sizeof(*order));
  qsort(order, c->nmodules, sizeof(*order), module_cmp);
  clint_status st = CLINT_OK;
  bool go = true;
  clint_unit *lessons = NULL;
  for (size_t i = 0; go && i < c->nmodules && st == CLINT_OK; i++) {
    struct module *m = order[i];
    clint_unit u = {.module = m->path,
                    .module_number = m->number,
                    .home = m->home,
                    .number = -1};
    go = fn(&u, ctx);
    clint_unit *grown = NULL;
    if (go && (!outline_lessons(c, m, md) ||
               !(grown = realloc(lessons, (m->nlessons ? m->nlessons : 1) *
                                              sizeof(*lessons))))) {
      st = status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
      break;
    }
    lessons = grown;
    for (size_t k = 0; go && k < m->nlessons; k++) {
      const struct lesson *l = &m->lessons[k];
      lessons[k] = u;
      lessons[k].page = l->path;
      lessons[k].number =
          l->number >= 0 ? l->number : lesson_title_number(course, l, md);
    }
    if (go && m->nlessons)
      qsort(lessons, m->nlessons, sizeof(*lessons), unit_cmp);
    for (size_t k = 0; go && k < m->nlessons; k++)
      go = fn(&lessons[k], ctx);
  }
  free(lessons);
  free(order);
  pcre2_match_data_free(md);
  return st;
}
