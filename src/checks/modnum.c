/* modnum.c - the course-wide number of a module (what its pages' titles
 * say, else its folder's number) and the modules of its track: the next
 * one, and the one a number names. Used in resolve by the checks that
 * compare a module number written in prose or link text with the module
 * it names (refs_check.c, sequence.c, linktext.c). */
#include "modnum.h"

#include <stdlib.h>
#include <string.h>

#include "../outline.h"
#include "../util/path.h"
#include "modules.h"

long modnum_title(struct lint *lt, const struct page *p) {
  return modnum_title_by(lt, p, lt->rules->module_title_re);
}

const struct heading *modnum_title_heading(const struct page *p) {
  for (size_t i = 0; i < p->nheadings; i++)
    if (p->headings[i].level == 1)
      return &p->headings[i];
  return p->nheadings ? &p->headings[0] : NULL;
}

long modnum_title_by(struct lint *lt, const struct page *p,
                     const pcre2_code *re) {
  const struct heading *h = re ? modnum_title_heading(p) : NULL;
  if (!h)
    return -1;
  const char *num;
  size_t len;
  if (rules_match(lt->rules, re, h->text, strlen(h->text), 0, lt->md) != 1 ||
      !rules_group(re, lt->md, h->text, "num", &num, &len) || len == 0 ||
      len > 9)
    return -1;
  return strtol(num, NULL, 10);
}

long modnum_number(struct lint *lt, const struct module *m, bool *from_title) {
  const long *known = lint_memo_get(lt, m);
  if (from_title)
    *from_title = known && known[1];
  if (known)
    return known[0];
  long votes[64] = {0};
  size_t n = 0;
  for (size_t i = 0; i < m->nroles && n < 64; i++) {
    if (!m->files[i])
      continue;
    struct page *q = lint_page(lt, m->files[i]);
    /* A page this run may not read (a run focused on some pages) could
     * outvote the others: the number is not known then. */
    if (!q)
      return -1;
    votes[n++] = modnum_title(lt, q);
  }
  long major = modules_majority(votes, n, m->number);
  if (from_title)
    *from_title = major >= 0;
  lint_memo_put(lt, m, major >= 0 ? major : m->number, major >= 0);
  return major >= 0 ? major : m->number;
}

struct module *modnum_module_at(struct lint *lt, struct arena *a,
                                const char *path) {
  enum entry_type t = index_type(lt->course, path);
  if (t == ENTRY_DIR) {
    struct module *m = outline_module(lt->course, path, lt->md);
    if (m)
      return m;
  }
  char *dir = arena_strndup(a, path, path_dirname_len(path));
  return dir && t != ENTRY_NONE ? outline_module(lt->course, dir, lt->md)
                                : NULL;
}

static char *child(struct arena *a, const char *dir, const char *name) {
  return *dir ? arena_printf(a, "%s/%s", dir, name) : arena_strdup(a, name);
}

/* The module of each folder in dir, in name order, up to max; how many. */
static size_t modules_in(struct lint *lt, struct arena *a, const char *dir,
                         struct module **out, size_t max) {
  const struct dir *d = index_dir(lt->course, dir);
  size_t n = 0;
  for (size_t i = 0; d && d->exists && i < d->n && n < max; i++) {
    const struct entry *e = &d->entries[i];
    if (e->type != ENTRY_DIR || e->name[0] == '.')
      continue;
    char *path = child(a, dir, e->name);
    if (!path || index_ignored(lt->course, path, true))
      continue;
    struct module *m = outline_module(lt->course, path, lt->md);
    if (m)
      out[n++] = m;
  }
  return n;
}

struct module *modnum_next(struct lint *lt, struct arena *a,
                           const struct module *m) {
  if (m->number < 0 || !m->path[0])
    return NULL;
  char *track = arena_strndup(a, m->path, path_dirname_len(m->path));
  struct module **v = malloc(MODNUM_MAX_FOLDERS * sizeof(*v));
  if (!track || !v) {
    free(v);
    return NULL;
  }
  size_t n = modules_in(lt, a, track, v, MODNUM_MAX_FOLDERS);
  struct module *best = NULL;
  for (size_t i = 0; i < n; i++)
    if (v[i]->number > m->number && (!best || v[i]->number < best->number))
      best = v[i];
  free(v);
  return best;
}

/* The one module among the folders of dir whose course-wide number is
 * number; *ambiguous is set when two have it. */
static struct module *find_in(struct lint *lt, struct arena *a, const char *dir,
                              long number, bool *ambiguous) {
  struct module **v = malloc(MODNUM_MAX_FOLDERS * sizeof(*v));
  if (!v)
    return NULL;
  size_t n = modules_in(lt, a, dir, v, MODNUM_MAX_FOLDERS);
  struct module *found = NULL;
  for (size_t i = 0; i < n && !*ambiguous; i++)
    if (modnum_number(lt, v[i], NULL) == number) {
      *ambiguous = found != NULL;
      found = v[i];
    }
  free(v);
  return *ambiguous ? NULL : found;
}

struct module *modnum_find(struct lint *lt, struct arena *a, const char *track,
                           const char *around, long number) {
  bool ambiguous = false;
  struct module *m = find_in(lt, a, track, number, &ambiguous);
  if (m || ambiguous || !around)
    return m;
  /* The other tracks: the folders of `around` other than this one. */
  const struct dir *d = index_dir(lt->course, around);
  for (size_t i = 0; d && d->exists && i < d->n && i < MODNUM_MAX_FOLDERS;
       i++) {
    const struct entry *e = &d->entries[i];
    if (e->type != ENTRY_DIR || e->name[0] == '.')
      continue;
    char *other = child(a, around, e->name);
    if (!other || !strcmp(other, track) ||
        index_ignored(lt->course, other, true))
      continue;
    m = find_in(lt, a, other, number, &ambiguous);
    if (m || ambiguous)
      return m;
  }
  return NULL;
}
