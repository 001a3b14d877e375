/* linter.c - clint_linter: the rule files loaded so far and the rule set
 * built from them. Every load rebuilds the rule set from all files, so a
 * file that fails to load leaves the linter as it was. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linter.h"
#include "util/status.h"

/* The largest rule file read: a rule set is a few kilobytes; this bounds
 * what a hostile one costs before libyaml sees it. */
#define RULE_FILE_MAX ((size_t)4 << 20)

static clint_status rebuild(clint_linter *l, clint_error *err) {
  struct rules fresh;
  clint_status st = rules_build(&fresh, l->files.data, l->files.len, err);
  if (st != CLINT_OK)
    return st;
  if (l->built)
    rules_free(&l->rules);
  l->rules = fresh;
  l->built = true;
  return CLINT_OK;
}

clint_status linter_add_file(clint_linter *l, const char *name,
                             const char *text, size_t len, clint_error *err) {
  const char *kept = arena_strdup(&l->arena, name);
  struct ynode *root;
  clint_status st = yaml_parse(&l->arena, kept, text, len, &root, err);
  if (st != CLINT_OK)
    return st;
  struct rule_file *f = vec_push(&l->files);
  if (!f || !kept)
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  f->name = kept;
  f->root = root;
  st = rebuild(l, err);
  if (st != CLINT_OK)
    l->files.len--;
  return st;
}

clint_linter *clint_linter_new(clint_error *err) {
  clint_linter *l = calloc(1, sizeof(*l));
  if (!l) {
    status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  arena_init(&l->arena);
  vec_init(&l->files, sizeof(struct rule_file));
  if (linter_add_file(l, "<built-in rules>", rules_default_yml,
                      rules_default_yml_len, err) != CLINT_OK) {
    clint_linter_free(l);
    return NULL;
  }
  return l;
}

void clint_linter_free(clint_linter *l) {
  if (!l)
    return;
  if (l->built)
    rules_free(&l->rules);
  vec_free(&l->files);
  arena_free(&l->arena);
  free(l);
}

clint_status linter_read_file(const char *path, char **text, size_t *len,
                              clint_error *err) {
  /* Open without blocking: a FIFO with no writer would wait forever.
   * Blocking reads again afterwards, so that `--rules <(...)` still
   * reads what its writer sends; with no writer, read() sees EOF. */
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    return status_set(err, CLINT_E_IO, path, 0, 0, "cannot open rule file: %s",
                      strerror(errno));
  int fl = fcntl(fd, F_GETFL);
  FILE *f = fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0
                ? NULL
                : fdopen(fd, "rb");
  if (!f) {
    close(fd);
    return status_set(err, CLINT_E_IO, path, 0, 0, "cannot open rule file");
  }
  struct buf b;
  buf_init(&b);
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
    if (b.len > RULE_FILE_MAX || !buf_append(&b, chunk, n)) {
      fclose(f);
      buf_free(&b);
      return status_set(err, CLINT_E_LIMIT, path, 0, 0,
                        "rule file is larger than 4 MiB");
    }
  }
  bool bad = ferror(f);
  int e = errno;
  fclose(f);
  if (bad) {
    buf_free(&b);
    return status_set(err, CLINT_E_IO, path, 0, 0, "cannot read rule file: %s",
                      strerror(e));
  }
  *len = b.len;
  *text = b.data ? b.data : calloc(1, 1);
  return *text ? CLINT_OK
               : status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
}

clint_status clint_linter_load_rules(clint_linter *l, const char *path,
                                     clint_error *err) {
  char *text;
  size_t len;
  clint_status st = linter_read_file(path, &text, &len, err);
  if (st != CLINT_OK)
    return st;
  st = linter_add_file(l, path, text, len, err);
  /* The tree keeps copies of every string it needs. */
  free(text);
  return st;
}

clint_status clint_linter_load_rules_mem(clint_linter *l, const char *name,
                                         const char *text, size_t len,
                                         clint_error *err) {
  return linter_add_file(l, name, text, len, err);
}

/* Whether the real path real lies inside the real folder root. */
static bool inside(const char *real, const char *root) {
  size_t rl = strlen(root);
  return !strncmp(real, root, rl) &&
         (real[rl] == '/' || (rl == 1 && root[0] == '/'));
}

/* The file to read for the course's rule file at path (named name in
 * messages) into *file (malloc'd): path itself, or where its symlink
 * leads when that is inside the course; NULL when there is none. A course
 * is untrusted input: a link to a file outside it would have courselint
 * read, and quote in its errors, whatever it points at, so such a link,
 * or one leading nowhere, is an error naming the link. */
static clint_status course_rule_file(const char *path, const char *name,
                                     const char *root, char **file,
                                     clint_error *err) {
  struct stat st;
  *file = NULL;
  /* No file there, or a root that is no folder (the run says so). */
  if (lstat(path, &st) != 0)
    return errno == ENOENT || errno == ENOTDIR
               ? CLINT_OK
               : status_set(err, CLINT_E_IO, name, 0, 0,
                            "cannot open rule file: %s", strerror(errno));
  char *real = realpath(path, NULL);
  char *real_root = real ? realpath(root, NULL) : NULL;
  clint_status s = CLINT_OK;
  if (!real && S_ISLNK(st.st_mode))
    s = status_set(err, CLINT_E_IO, name, 0, 0,
                   "symbolic link to nothing that can be read (%s); not "
                   "loaded",
                   strerror(errno));
  else if (!real || !real_root)
    s = status_set(err, CLINT_E_IO, name, 0, 0, "cannot open rule file: %s",
                   strerror(errno));
  else if (!inside(real, real_root))
    s = status_set(err, CLINT_E_IO, name, 0, 0,
                   "symbolic link leads outside the course root; a course's "
                   "rule file is read only from inside it (--rules FILE may "
                   "be anywhere)");
  free(real_root);
  if (s == CLINT_OK)
    *file = real;
  else
    free(real);
  return s;
}

clint_status clint_linter_load_course_rules(clint_linter *l, const char *root,
                                            clint_error *err) {
  char *path = malloc(strlen(root) + sizeof("/.courselint.yml"));
  if (!path)
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  sprintf(path, "%s/.courselint.yml", root);
  /* "sub/.courselint.yml" reads better than an absolute path. */
  char cwd[PATH_MAX];
  size_t cl = getcwd(cwd, sizeof(cwd)) ? strlen(cwd) : 0;
  const char *name = path;
  if (cl > 1 && !strncmp(path, cwd, cl) && path[cl] == '/')
    name = path + cl + 1;
  char *file;
  clint_status st = course_rule_file(path, name, root, &file, err);
  if (file) {
    char *text;
    size_t len;
    st = linter_read_file(file, &text, &len, err);
    if (st == CLINT_OK) {
      st = linter_add_file(l, name, text, len, err);
      free(text);
    } else if (err) {
      /* Name the rule file as the course has it, not where it leads. */
      snprintf(err->path, sizeof(err->path), "%s", name);
    }
  }
  free(file);
  free(path);
  return st;
}

size_t clint_linter_rule_count(const clint_linter *l) {
  return l->rules.infos.len;
}

const clint_rule_info *clint_linter_rule(const clint_linter *l, size_t i) {
  return i < l->rules.infos.len ? vec_at(&l->rules.infos, i) : NULL;
}

const clint_rule_info *clint_linter_find_rule(const clint_linter *l,
                                              const char *id) {
  for (size_t i = 0; i < l->rules.infos.len; i++) {
    const clint_rule_info *info = vec_at(&l->rules.infos, i);
    if (!strcmp(info->id, id))
      return info;
  }
  return NULL;
}

clint_status clint_linter_print_config(const clint_linter *l, FILE *out) {
  rules_print(&l->rules, out);
  return ferror(out) ? CLINT_E_IO : CLINT_OK;
}
