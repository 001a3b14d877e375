/* outline.c - the course's modules: which folders are modules, their
 * numbers and the page that plays each role. Worked out from a folder's
 * listing and the rule set, once per folder, when a page of the folder
 * is loaded (see index.h). */
#include "outline.h"

#include <stdlib.h>
#include <string.h>

#include "util/path.h"

static struct module *make_module(struct course *c, struct dir *d,
                                  pcre2_match_data *md) {
  const struct rules *r = c->rules;
  if (!r->nroles)
    return NULL;
  const char **files = arena_alloc(&c->listings, sizeof(char *) * r->nroles);
  if (!files)
    return NULL;
  unsigned found = 0;
  for (size_t i = 0; i < d->n; i++) {
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
  long number = -1;
  if (r->module_folder_re &&
      rules_match(r, r->module_folder_re, name, strlen(name), 0, md) == 1) {
    const char *num;
    size_t len;
    if (rules_group(r->module_folder_re, md, name, "num", &num, &len))
      number = strtol(num, NULL, 10);
  }
  if (found == 0 || (found < r->module_min_files && number < 0))
    return NULL;
  struct module *m = arena_alloc(&c->listings, sizeof(*m));
  if (!m)
    return NULL;
  m->path = d->path;
  m->name = name;
  m->number = number;
  m->files = files;
  m->nroles = r->nroles;
  if (hmap_get(&d->byname, "README.md", 9))
    m->home = d->path[0] ? arena_printf(&c->listings, "%s/README.md", d->path)
                         : "README.md";
  for (size_t i = 0; i < r->nroles && !m->home; i++)
    m->home = files[i];
  return m;
}

struct module *outline_module(struct course *c, const char *dir,
                              pcre2_match_data *md) {
  struct dir *d = index_dir(c, dir);
  if (!d || !d->exists)
    return NULL;
  pthread_mutex_lock(&c->lock);
  if (!d->module_known) {
    d->module = make_module(c, d, md);
    d->module_known = true;
  }
  pthread_mutex_unlock(&c->lock);
  return d->module;
}
