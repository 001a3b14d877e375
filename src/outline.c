/* outline.c - the course's modules: which folders are modules, their
 * numbers, the page that plays each role and the numbered lessons they
 * hold. Worked out from folder listings and the rule set, once per
 * folder, when a page of the folder is loaded (see index.h); the lists
 * of every module and of a module's lessons, when a reference needs
 * them (refs_units.c, the --outline query). */
#include "outline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/path.h"

/* The number in group num of re's match on s, -1 when the group did not
 * take part; *matched says whether re matched at all. */
static long matched_number(const struct rules *r, const pcre2_code *re,
                           const char *s, pcre2_match_data *md, bool *matched) {
  *matched = re && rules_match(r, re, s, strlen(s), 0, md) == 1;
  const char *num;
  size_t len;
  if (*matched && rules_group(re, md, s, "num", &num, &len) && len && len < 10)
    return strtol(num, NULL, 10);
  return -1;
}

static struct module *make_module(struct course *c, struct dir *d,
                                  pcre2_match_data *md) {
  const struct rules *r = c->rules;
  bool placed = false; /* modules.path says it is one */
  long by_path = matched_number(r, r->module_path_re, d->path, md, &placed);
  if (!r->nroles && !placed)
    return NULL;
  const char **files =
      arena_alloc(&c->listings, sizeof(char *) * (r->nroles + 1));
  if (!files)
    return NULL;
  unsigned found = 0;
  for (size_t i = 0; r->nroles && i < d->n; i++) {
    if (d->entries[i].type != ENTRY_FILE)
      continue;
    int role = rules_role_of(r, d->entries[i].name, md, NULL);
    if (role >= 0 && !files[role]) {
      files[role] = d->path[0] ? arena_printf(&c->listings, "%s/%s", d->path,
                                              d->entries[i].name)
                               : d->entries[i].name;
      found++;
    }
  }
  const char *name = path_basename(d->path);
  bool named;
  long number = matched_number(r, r->module_folder_re, name, md, &named);
  if (placed && by_path >= 0)
    number = by_path;
  if (!placed && (found == 0 || (found < r->module_min_files && number < 0)))
    return NULL;
  struct module *m = arena_alloc(&c->listings, sizeof(*m));
  if (!m)
    return NULL;
  m->path = d->path;
  m->name = name;
  m->number = number;
  m->files = files;
  m->nroles = r->nroles;
  if (index_entry(d, "README.md", 9))
    m->home = d->path[0] ? arena_printf(&c->listings, "%s/README.md", d->path)
                         : "README.md";
  for (size_t i = 0; i < r->nroles && !m->home; i++)
    m->home = files[i];
  return m;
}

struct module *outline_module(struct course *c, const char *dir,
                              pcre2_match_data *md) {
  return outline_module_in(c, index_dir(c, dir), md);
}

struct module_ask {
  struct dir *d;
  pcre2_match_data *md;
};

static void find_module(struct course *c, void *arg) {
  struct module_ask *a = arg;
  a->d->module = make_module(c, a->d, a->md);
}

struct module *outline_module_in(struct course *c, struct dir *d,
                                 pcre2_match_data *md) {
  if (!d || !d->exists)
    return NULL;
  index_once(c, &d->module_known, find_module, &(struct module_ask){d, md});
  return d->module;
}

struct module *outline_module_above(struct course *c, const char *path,
                                    pcre2_match_data *md) {
  const struct rules *r = c->rules;
  size_t len = path_dirname_len(path);
  char *dir = strndup(path, len);
  struct module *m = dir ? outline_module(c, dir, md) : NULL;
  while (dir && !m && len && (r->module_path_re || r->lessons_re)) {
    len = path_dirname_len(dir);
    dir[len] = '\0';
    m = outline_module(c, dir, md);
  }
  free(dir);
  return m;
}

/* ---- walking folders --------------------------------------------------- */

/* At most this many folders are looked at for the modules of a course,
 * and this deep: a course is untrusted input. */
#define OUTLINE_MAX_DIRS 100000
#define OUTLINE_MAX_DEPTH 16
#define LESSON_DEPTH 3

struct pending {
  char *path;
  unsigned depth;
};

/* dir/name, malloc'd ("" is the root); NULL on no memory. */
static char *join(const char *dir, const char *name) {
  size_t n = strlen(dir) + strlen(name) + 2;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s%s%s", dir, dir[0] ? "/" : "", name);
  return s;
}

/* Call fn on every folder under root (root too, at depth 0) down to
 * max_depth that is not ignored, until fn returns false. fn gets the
 * folder's listing. False on no memory. */
static bool walk(struct course *c, const char *root, unsigned max_depth,
                 bool (*fn)(struct dir *d, unsigned depth, void *ctx),
                 void *ctx) {
  struct vec todo;
  vec_init(&todo, sizeof(struct pending));
  bool ok = true;
  size_t seen = 0;
  struct pending *first = vec_push(&todo);
  if (!first || !(first->path = strdup(root)))
    ok = false;
  else
    first->depth = 0;
  while (ok && todo.len && seen++ < OUTLINE_MAX_DIRS) {
    struct pending at = *(struct pending *)vec_at(&todo, --todo.len);
    struct dir *d = index_dir(c, at.path);
    bool more = d && d->exists && fn(d, at.depth, ctx);
    for (size_t i = 0; more && at.depth < max_depth && i < d->n; i++) {
      if (d->entries[i].type != ENTRY_DIR || d->entries[i].symlink)
        continue;
      char *sub = join(at.path, d->entries[i].name);
      if (!sub) {
        ok = false;
        break;
      }
      struct pending *p = index_ignored(c, sub, true) ? NULL : vec_push(&todo);
      if (!p) {
        free(sub);
        continue;
      }
      *p = (struct pending){sub, at.depth + 1};
    }
    free(at.path);
  }
  for (size_t i = 0; i < todo.len; i++)
    free(((struct pending *)vec_at(&todo, i))->path);
  vec_free(&todo);
  return ok;
}

/* ---- lessons ----------------------------------------------------------- */

struct lesson_walk {
  struct course *c;
  const struct module *m;
  pcre2_match_data *md;
  struct vec found; /* struct lesson, paths malloc'd */
  bool nomem;
};

static bool on_lesson_dir(struct dir *d, unsigned depth, void *ctx) {
  struct lesson_walk *w = ctx;
  const struct rules *r = w->c->rules;
  /* A module inside a module keeps its own lessons. */
  if (depth > 0 && outline_module(w->c, d->path, w->md))
    return false;
  size_t skip = w->m->path[0] ? strlen(w->m->path) + 1 : 0;
  for (size_t i = 0; i < d->n && !w->nomem; i++) {
    if (d->entries[i].type != ENTRY_FILE ||
        !index_is_markdown(d->entries[i].name))
      continue;
    char *path = join(d->path, d->entries[i].name);
    if (!path) {
      w->nomem = true;
      break;
    }
    bool matched;
    long n = matched_number(r, r->lessons_re, path + skip, w->md, &matched);
    struct lesson *l = matched ? vec_push(&w->found) : NULL;
    if (!l) {
      w->nomem |= matched;
      free(path);
      continue;
    }
    *l = (struct lesson){n, path, -1};
  }
  return !w->nomem;
}

static int lesson_cmp(const void *a, const void *b) {
  return strcmp(((const struct lesson *)a)->path,
                ((const struct lesson *)b)->path);
}

const struct lesson *outline_lesson_at(const struct module *m,
                                       const char *path) {
  const struct lesson key = {.path = path};
  return m->nlessons
             ? bsearch(&key, m->lessons, m->nlessons, sizeof(key), lesson_cmp)
             : NULL;
}

/* A lesson's number and its index in path order, sorted by both. */
struct ranked {
  long number;
  size_t at;
};

static int ranked_cmp(const void *a, const void *b) {
  const struct ranked *x = a, *y = b;
  if (x->number != y->number)
    return x->number < y->number ? -1 : 1;
  return (x->at > y->at) - (x->at < y->at);
}

/* Set each lesson's below (v in path order). False on no memory. */
static bool link_below(struct lesson *v, size_t n) {
  struct ranked *r = malloc((n ? n : 1) * sizeof(*r));
  if (!r)
    return false;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    v[i].below = -1;
    if (v[i].number >= 0)
      r[k++] = (struct ranked){v[i].number, i};
  }
  qsort(r, k, sizeof(*r), ranked_cmp);
  for (size_t i = 1; i < k; i++)
    v[r[i].at].below = (long)r[i - 1].at;
  free(r);
  return true;
}

bool outline_lessons(struct course *c, struct module *m, pcre2_match_data *md) {
  if (!c->rules->lessons_re)
    return true;
  /* Another thread may be filling them in: look under the lock. */
  pthread_mutex_lock(&c->lock);
  bool known = m->lessons_known;
  pthread_mutex_unlock(&c->lock);
  if (known)
    return true;
  struct lesson_walk w = {.c = c, .m = m, .md = md};
  vec_init(&w.found, sizeof(struct lesson));
  bool ok = walk(c, m->path, LESSON_DEPTH, on_lesson_dir, &w) && !w.nomem;
  if (w.found.len > 1)
    qsort(w.found.data, w.found.len, sizeof(struct lesson), lesson_cmp);
  ok = ok && link_below(w.found.data, w.found.len);
  pthread_mutex_lock(&c->lock);
  if (ok && !m->lessons_known) {
    struct lesson *v =
        arena_alloc(&c->listings, sizeof(*v) * (w.found.len + 1));
    for (size_t i = 0; v && i < w.found.len; i++) {
      const struct lesson *l = vec_at(&w.found, i);
      v[i] = (struct lesson){l->number, arena_strdup(&c->listings, l->path),
                             l->below};
      ok &= v[i].path != NULL;
    }
    ok &= v != NULL;
    if (ok) {
      m->lessons = v;
      m->nlessons = w.found.len;
      m->lessons_known = true;
    }
  }
  pthread_mutex_unlock(&c->lock);
  for (size_t i = 0; i < w.found.len; i++)
    free((char *)((struct lesson *)vec_at(&w.found, i))->path);
  vec_free(&w.found);
  return ok;
}

/* ---- every module ------------------------------------------------------ */

struct module_walk {
  pcre2_match_data *md;
  struct course *c;
  struct vec found; /* struct module * */
  bool nomem;
};

static bool on_module_dir(struct dir *d, unsigned depth, void *ctx) {
  (void)depth;
  struct module_walk *w = ctx;
  struct module *m = outline_module(w->c, d->path, w->md);
  struct module **slot = m ? vec_push(&w->found) : NULL;
  if (m && !slot)
    w->nomem = true;
  else if (slot)
    *slot = m;
  return !w->nomem;
}

static int module_cmp(const void *a, const void *b) {
  return strcmp((*(struct module *const *)a)->path,
                (*(struct module *const *)b)->path);
}

bool outline_modules(struct course *c, pcre2_match_data *md) {
  pthread_mutex_lock(&c->lock);
  bool known = c->modules_known;
  pthread_mutex_unlock(&c->lock);
  if (known)
    return true;
  struct module_walk w = {.md = md, .c = c};
  vec_init(&w.found, sizeof(struct module *));
  bool ok = walk(c, "", OUTLINE_MAX_DEPTH, on_module_dir, &w) && !w.nomem;
  if (w.found.len > 1)
    qsort(w.found.data, w.found.len, sizeof(struct module *), module_cmp);
  pthread_mutex_lock(&c->lock);
  if (ok && !c->modules_known) {
    struct module **v =
        arena_alloc(&c->listings, sizeof(*v) * (w.found.len + 1));
    if (v) {
      if (w.found.len)
        memcpy(v, w.found.data, sizeof(*v) * w.found.len);
      c->modules = v;
      c->nmodules = w.found.len;
      c->modules_known = true;
    }
    ok = v != NULL;
  }
  pthread_mutex_unlock(&c->lock);
  vec_free(&w.found);
  return ok;
}
