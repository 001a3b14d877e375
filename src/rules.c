/* rules.c - from rule files to the effective rule set. The core owns the
 * sections that the index needs (anchors, ignore, roles, modules, limits)
 * and the severity table (rules); every other section belongs to a check
 * family, which parses it itself (checks.h). */
#include "rules.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/glob.h"
#include "util/status.h"

static const char *const core_sections[] = {"version", "anchors", "ignore",
                                            "roles",   "modules", "limits",
                                            "rules",   NULL};

clint_status rules_severity_of(const char *file, const struct ynode *n,
                               clint_severity *out, clint_error *err) {
  if (n->kind == YNODE_SCALAR) {
    if (!strcmp(n->str, "error")) {
      *out = CLINT_SEV_ERROR;
      return CLINT_OK;
    }
    if (!strcmp(n->str, "warning")) {
      *out = CLINT_SEV_WARNING;
      return CLINT_OK;
    }
    if (!strcmp(n->str, "off")) {
      *out = CLINT_SEV_OFF;
      return CLINT_OK;
    }
  }
  return yaml_error(err, file, n, "expected a severity: error, warning or off");
}

clint_status rules_strings(struct rules *r, const char *file,
                           const struct ynode *n, const char ***out,
                           size_t *count, clint_error *err) {
  if (n->kind == YNODE_SCALAR) {
    const char **v = arena_alloc(&r->arena, sizeof(*v));
    if (!v)
      return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
    v[0] = n->str;
    *out = v;
    *count = 1;
    return CLINT_OK;
  }
  clint_status st = yaml_expect(file, n, YNODE_SEQ, err);
  if (st != CLINT_OK)
    return st;
  const char **v = arena_alloc(&r->arena, sizeof(*v) * (n->n + 1));
  if (!v)
    return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  for (size_t i = 0; i < n->n; i++)
    if ((st = yaml_string(file, n->items[i], &v[i], err)) != CLINT_OK)
      return st;
  *out = v;
  *count = n->n;
  return CLINT_OK;
}

clint_status rules_compile(struct rules *r, const char *file,
                           const struct ynode *n, const char *pattern,
                           uint32_t options, pcre2_code **out,
                           clint_error *err) {
  int code;
  *out = NULL;
  PCRE2_SIZE at;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                 options | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
                                 &code, &at, NULL);
  if (!re) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(code, msg, sizeof(msg));
    /* Point into the pattern when it sits on one line as a plain or
     * quoted scalar; the offset is approximate for escaped scalars. */
    unsigned col = n ? n->col + (unsigned)at + (n->quoted ? 1 : 0) : 0;
    return status_set(err, CLINT_E_PATTERN, file, n ? n->line : 0, col,
                      "invalid pattern: %s", (const char *)msg);
  }
  /* JIT is an optimisation: where it is unavailable, interpret. */
  pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
  pcre2_code **slot = vec_push(&r->codes);
  if (!slot) {
    pcre2_code_free(re);
    return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  }
  *slot = re;
  *out = re;
  return CLINT_OK;
}

clint_status rules_add(struct rules *r, const char *id, clint_severity sev,
                       const char *summary, const char *explain) {
  if (hmap_get(&r->by_id, id, strlen(id)))
    return CLINT_E_RULES;
  clint_rule_info *info = vec_push(&r->infos);
  if (!info)
    return CLINT_E_NOMEM;
  info->id = id;
  info->severity = sev;
  info->summary = summary;
  info->explain = explain;
  if (!vec_push(&r->scopes)) /* zeroed: everywhere */
    return CLINT_E_NOMEM;
  /* The map stores index + 1: the vector may move as it grows. */
  if (!hmap_put(&r->by_id, id, strlen(id), (void *)(uintptr_t)r->infos.len))
    return CLINT_E_NOMEM;
  return CLINT_OK;
}

void *rules_grow(struct rules *r, void **v, size_t n, size_t *cap,
                 size_t size) {
  if (n == *cap) {
    size_t want = *cap ? 2 * *cap : 8;
    if (want > SIZE_MAX / 2 / size)
      return NULL;
    char *bigger = arena_alloc(&r->arena, want * size);
    if (!bigger)
      return NULL;
    if (n)
      memcpy(bigger, *v, n * size);
    *v = bigger;
    *cap = want;
  }
  char *item = (char *)*v + n * size;
  memset(item, 0, size);
  return item;
}

static struct rules_id_slot *id_slot(struct rules_id_slot *slot, size_t cap,
                                     const char *id) {
  size_t mask = cap - 1, i = (size_t)hash_bytes(id, strlen(id)) & mask;
  while (slot[i].key && strcmp(slot[i].key, id) != 0)
    i = (i + 1) & mask;
  return &slot[i];
}

long rules_ids_get(const struct rules_ids *m, const char *id) {
  if (!m->cap)
    return -1;
  const struct rules_id_slot *s = id_slot(m->slot, m->cap, id);
  return s->key ? (long)s->index : -1;
}

bool rules_ids_put(struct rules *r, struct rules_ids *m, const char *id,
                   size_t index) {
  /* At most half full; the old table stays in the arena, which the
   * doubling keeps linear. */
  if (2 * (m->n + 1) > m->cap) {
    size_t cap = m->cap ? 2 * m->cap : 16;
    struct rules_id_slot *slot =
        cap <= SIZE_MAX / sizeof(*slot)
            ? arena_alloc(&r->arena, cap * sizeof(*slot))
            : NULL;
    if (!slot)
      return false;
    for (size_t i = 0; i < m->cap; i++)
      if (m->slot[i].key)
        *id_slot(slot, cap, m->slot[i].key) = m->slot[i];
    m->slot = slot;
    m->cap = cap;
  }
  struct rules_id_slot *s = id_slot(m->slot, m->cap, id);
  if (!s->key)
    m->n++;
  s->key = id;
  s->index = index;
  return true;
}

int rules_role_index(const struct rules *r, const char *id) {
  return (int)rules_ids_get(&r->role_ids, id);
}

bool rules_role_removed(const struct rules *r, const char *id) {
  return rules_role_index(r, id) < 0 && rules_ids_get(&r->removed_ids, id) >= 0;
}

static clint_rule_info *find_info(const struct rules *r, const char *id) {
  uintptr_t i = (uintptr_t)hmap_get(&r->by_id, id, strlen(id));
  return i ? vec_at(&r->infos, i - 1) : NULL;
}

clint_severity rules_severity(const struct rules *r, const char *id) {
  const clint_rule_info *info = find_info(r, id);
  return info ? info->severity : CLINT_SEV_OFF;
}

bool rules_scope_holds(const struct rules_scope *s, const char *path) {
  bool in = s->npaths == 0;
  for (size_t i = 0; i < s->npaths && !in; i++)
    in = glob_holds(s->paths[i], path);
  for (size_t i = 0; i < s->nexclude && in; i++)
    in = !glob_holds(s->exclude[i], path);
  return in;
}

clint_severity rules_severity_on(const struct rules *r, const char *id,
                                 const char *path) {
  uintptr_t i = (uintptr_t)hmap_get(&r->by_id, id, strlen(id));
  if (!i)
    return CLINT_SEV_OFF;
  const clint_rule_info *info = vec_at(&r->infos, i - 1);
  if (info->severity == CLINT_SEV_OFF || !r->scoped)
    return info->severity;
  const struct rules_scope *s = vec_at(&r->scopes, i - 1);
  return rules_scope_holds(s, path) ? info->severity : CLINT_SEV_OFF;
}

static clint_status read_globs(struct rules *r, const char *file,
                               const struct ynode *n, const char ***out,
                               size_t *count, clint_error *err) {
  clint_status st = rules_strings(r, file, n, out, count, err);
  for (size_t i = 0; st == CLINT_OK && i < *count; i++) {
    const char *why = glob_problem((*out)[i]);
    if (why)
      return yaml_error(err, file, n->kind == YNODE_SEQ ? n->items[i] : n,
                        "bad glob '%s': %s", (*out)[i], why);
  }
  return st;
}

clint_status rules_read_scope(struct rules *r, const char *file,
                              const struct ynode *n, struct rules_scope *s,
                              clint_error *err) {
  const struct ynode *v;
  clint_status st;
  if ((v = yaml_get(n, "paths")) &&
      (st = read_globs(r, file, v, &s->paths, &s->npaths, err)))
    return st;
  if ((v = yaml_get(n, "exclude")) &&
      (st = read_globs(r, file, v, &s->exclude, &s->nexclude, err)))
    return st;
  return CLINT_OK;
}

void rules_print_scope(FILE *out, const char *indent,
                       const struct rules_scope *s) {
  if (s->npaths)
    yaml_print_list(out, indent, "paths", s->paths, s->npaths);
  if (s->nexclude)
    yaml_print_list(out, indent, "exclude", s->exclude, s->nexclude);
}

int rules_match(const struct rules *r, const pcre2_code *code, const char *s,
                size_t len, size_t start, pcre2_match_data *md) {
  int rc = pcre2_match(code, (PCRE2_SPTR)s, len, start, 0, md, r->mctx);
  if (rc >= 0)
    return 1;
  /* Any other failure is passed on: counted as "no match" it would hide
   * what the pattern was meant to find. */
  return rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
}

int rules_match_budget(const struct rules *r, const pcre2_code *code,
                       const char *s, size_t len, size_t start,
                       pcre2_match_data *md, struct rules_budget *b) {
  for (size_t k = 0; k < r->nsteps; k++) {
    unsigned long cost = k ? r->step_limit[k] : 0;
    if (cost > b->left)
      return RULES_OVER_BUDGET;
    int rc =
        pcre2_match(code, (PCRE2_SPTR)s, len, start, 0, md, r->step_ctx[k]);
    if (rc == PCRE2_ERROR_MATCHLIMIT && k + 1 < r->nsteps)
      continue;
    b->left -= cost;
    return rc >= 0 ? 1 : rc == PCRE2_ERROR_NOMATCH ? 0 : rc;
  }
  return rules_match(r, code, s, len, start, md); /* no steps: not built */
}

bool rules_is_limit(int rc) {
  return rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
         rc == PCRE2_ERROR_HEAPLIMIT;
}

void rules_match_error(int rc, char *buf, size_t cap) {
  if (cap == 0)
    return;
  if (pcre2_get_error_message(rc, (PCRE2_UCHAR *)buf, cap) < 0)
    snprintf(buf, cap, "PCRE2 error %d", rc);
}

bool rules_group(const pcre2_code *code, pcre2_match_data *md, const char *s,
                 const char *group, const char **out, size_t *len) {
  int n = pcre2_substring_number_from_name(code, (PCRE2_SPTR)group);
  if (n < 0)
    return false;
  PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
  if ((uint32_t)n >= pcre2_get_ovector_count(md) || ov[2 * n] == PCRE2_UNSET)
    return false;
  *out = s + ov[2 * n];
  *len = ov[2 * n + 1] - ov[2 * n];
  return true;
}

int rules_role_of(const struct rules *r, const char *basename,
                  pcre2_match_data *md, const char **limit) {
  if (limit)
    *limit = NULL;
  for (size_t i = 0; i < r->nroles; i++) {
    if (!r->roles[i].file_re)
      continue;
    int m =
        rules_match(r, r->roles[i].file_re, basename, strlen(basename), 0, md);
    if (m == 1)
      return (int)i;
    if (m < 0 && limit && !*limit)
      *limit = r->roles[i].id;
  }
  return -1;
}

const char *rules_heading_number(const struct rules *r, int role,
                                 const char *text, struct arena *a,
                                 pcre2_match_data *md, bool *limit) {
  if (role < 0 || (size_t)role >= r->nroles || !r->roles[role].number_re)
    return NULL;
  const pcre2_code *re = r->roles[role].number_re;
  int m = rules_match(r, re, text, strlen(text), 0, md);
  if (m < 0 && limit)
    *limit = true;
  if (m != 1)
    return NULL;
  const char *num;
  size_t len;
  if (!rules_group(re, md, text, "num", &num, &len) || len == 0)
    return NULL;
  /* "6." and "6" are the same number. */
  while (len && num[len - 1] == '.')
    len--;
  return len ? arena_strndup(a, num, len) : NULL;
}

/* ---- core sections ---------------------------------------------------- */

static clint_status need_group(const char *file, const struct ynode *n,
                               const pcre2_code *re, const char *group,
                               clint_error *err) {
  if (pcre2_substring_number_from_name(re, (PCRE2_SPTR)group) < 0)
    return status_set(err, CLINT_E_PATTERN, file, n->line, n->col,
                      "pattern needs a named group (?<%s>...)", group);
  return CLINT_OK;
}

static struct role *find_role(struct rules *r, const char *id) {
  int i = rules_role_index(r, id);
  return i < 0 ? NULL : &r->roles[i];
}

/* `remove: true`: take the role with this id out of the rule set, or
 * every role defined so far for id '*' (a course whose modules have
 * other pages replaces the default roles that way). The roles after it
 * move up, so their ids are stored again. */
static clint_status remove_role(struct rules *r, const char *file,
                                const struct ynode *n, const char *id,
                                clint_error *err) {
  if (n->n != 2)
    return yaml_error(err, file, n,
                      "a role with 'remove: true' takes no other key than id");
  bool all = !strcmp(id, "*");
  int gone = all ? -1 : rules_role_index(r, id);
  if (!all && gone < 0)
    return yaml_error(err, file, n, "unknown role '%s'", id);
  size_t kept = 0;
  for (size_t i = 0; i < r->nroles; i++) {
    if (!all && (int)i != gone)
      r->roles[kept++] = r->roles[i];
    else if (!rules_ids_put(r, &r->removed_ids, r->roles[i].id, i))
      return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  }
  r->nroles = kept;
  r->roles_removed = true;
  r->role_ids = (struct rules_ids){0};
  for (size_t i = 0; i < r->nroles; i++)
    if (!rules_ids_put(r, &r->role_ids, r->roles[i].id, i))
      return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  return CLINT_OK;
}

static clint_status configure_role(struct rules *r, const char *file,
                                   const struct ynode *n, clint_error *err) {
  static const char *const keys[] = {"id",     "file",     "required", "names",
                                     "number", "sections", "remove",   NULL};
  clint_status st;
  if ((st = yaml_expect_map(file, n, keys, err)))
    return st;
  const struct ynode *idn = yaml_get(n, "id");
  if (!idn)
    return yaml_error(err, file, n, "a role needs an id");
  const char *id;
  if ((st = yaml_string(file, idn, &id, err)))
    return st;
  const struct ynode *rm = yaml_get(n, "remove");
  bool remove = false;
  if (rm && (st = yaml_bool(file, rm, &remove, err)))
    return st;
  if (rm && !remove)
    return yaml_error(err, file, rm, "'remove' takes only true");
  if (remove)
    return remove_role(r, file, n, id, err);
  if (!strcmp(id, "*"))
    return yaml_error(err, file, idn,
                      "'*' names every role only with "
                      "'remove: true'");
  struct role *role = find_role(r, id);
  if (!role) {
    if (!yaml_get(n, "file"))
      return yaml_error(err, file, n, "role '%s' needs a file pattern", id);
    /* Later files add roles: the array grows in the arena. */
    role = rules_grow(r, (void **)&r->roles, r->nroles, &r->roles_cap,
                      sizeof(*role));
    if (!role || !rules_ids_put(r, &r->role_ids, id, r->nroles))
      return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
    r->nroles++;
    role->id = id;
  }
  const struct ynode *v;
  if ((v = yaml_get(n, "file"))) {
    if ((st = yaml_string(file, v, &role->file, err)))
      return st;
    if ((st = rules_compile(r, file, v, role->file, 0, &role->file_re, err)))
      return st;
  }
  if ((v = yaml_get(n, "required")) &&
      (st = yaml_bool(file, v, &role->required, err)))
    return st;
  if ((v = yaml_get(n, "names"))) {
    if ((st = rules_strings(r, file, v, &role->names, &role->nnames, err)))
      return st;
    role->names_file = file;
    role->names_node = v;
    role->names_from = r->loading;
  }
  if ((v = yaml_get(n, "number"))) {
    if ((st = yaml_string(file, v, &role->number, err)))
      return st;
    if (!*role->number) {
      role->number_re = NULL;
    } else {
      if ((st = rules_compile(r, file, v, role->number, 0, &role->number_re,
                              err)) ||
          (st = need_group(file, v, role->number_re, "num", err)))
        return st;
    }
  }
  if ((v = yaml_get(n, "sections"))) {
    if ((st =
             rules_strings(r, file, v, &role->sections, &role->nsections, err)))
      return st;
    role->sections_file = file;
    role->sections_node = v;
  }
  return CLINT_OK;
}

/* A pattern key of `modules` that an empty string switches off. */
static clint_status optional_pattern(struct rules *r, const char *file,
                                     const struct ynode *v, uint32_t options,
                                     const char **text, pcre2_code **re,
                                     clint_error *err) {
  clint_status st = yaml_string(file, v, text, err);
  if (st)
    return st;
  if (!**text) {
    *re = NULL;
    return CLINT_OK;
  }
  return rules_compile(r, file, v, *text, options, re, err);
}

/* modules.path, modules.lessons and modules.lesson_title: the outline of
 * a course whose modules are found by their place rather than by the
 * role files they hold (see rules.h). */
static clint_status configure_outline(struct rules *r, const char *file,
                                      const struct ynode *n, clint_error *err) {
  clint_status st;
  const struct ynode *v;
  if ((v = yaml_get(n, "path")) &&
      (st = optional_pattern(r, file, v, 0, &r->module_path, &r->module_path_re,
                             err)))
    return st;
  if ((v = yaml_get(n, "lessons")) &&
      (st = optional_pattern(r, file, v, 0, &r->lessons, &r->lessons_re, err)))
    return st;
  if ((v = yaml_get(n, "lesson_title"))) {
    if ((st = optional_pattern(r, file, v, PCRE2_CASELESS, &r->lesson_title,
                               &r->lesson_title_re, err)))
      return st;
    if (r->lesson_title_re &&
        (st = need_group(file, v, r->lesson_title_re, "num", err)))
      return st;
  }
  return CLINT_OK;
}

/* A noun for messages: a word or two of letters, as "unit" or "week". */
static clint_status noun_of(const char *file, const struct ynode *v,
                            const char **out, clint_error *err) {
  clint_status st = yaml_string(file, v, out, err);
  if (st)
    return st;
  size_t n = strlen(*out);
  bool ok = n > 0 && n <= 32 && (*out)[0] != ' ' && (*out)[n - 1] != ' ';
  for (const unsigned char *c = (const unsigned char *)*out; ok && *c; c++)
    ok = *c >= 0x80 || isalpha(*c) || *c == ' ' || *c == '-';
  if (!ok)
    return yaml_error(err, file, v,
                      "expected a noun of up to 32 letters (\"unit\", "
                      "\"week\"), found '%s'",
                      *out);
  return CLINT_OK;
}

static clint_status configure_modules(struct rules *r, const char *file,
                                      const struct ynode *n, clint_error *err) {
  static const char *const keys[] = {"folder", "min_files",   "title",
                                     "path",   "lessons",     "lesson_title",
                                     "noun",   "lesson_noun", NULL};
  clint_status st;
  if ((st = yaml_expect_map(file, n, keys, err)))
    return st;
  const struct ynode *v;
  if ((v = yaml_get(n, "folder"))) {
    if ((st = yaml_string(file, v, &r->module_folder, err)))
      return st;
    if ((st = rules_compile(r, file, v, r->module_folder, 0,
                            &r->module_folder_re, err)) ||
        (st = need_group(file, v, r->module_folder_re, "num", err)))
      return st;
  }
  if ((v = yaml_get(n, "min_files")) &&
      (st = yaml_uint(file, v, 0, YAML_UINT_MAX, &r->module_min_files, err)))
    return st;
  if ((v = yaml_get(n, "title"))) {
    if ((st = yaml_string(file, v, &r->module_title, err)))
      return st;
    if ((st = rules_compile(r, file, v, r->module_title, PCRE2_CASELESS,
                            &r->module_title_re, err)) ||
        (st = need_group(file, v, r->module_title_re, "num", err)))
      return st;
  }
  if ((v = yaml_get(n, "noun")) &&
      (st = noun_of(file, v, &r->module_noun, err)))
    return st;
  if ((v = yaml_get(n, "lesson_noun")) &&
      (st = noun_of(file, v, &r->lesson_noun, err)))
    return st;
  return configure_outline(r, file, n, err);
}

const char *rules_noun(const struct rules *r, bool lesson) {
  if (lesson)
    return r->lesson_noun ? r->lesson_noun : "lesson";
  return r->module_noun ? r->module_noun : "module";
}

static clint_status configure_limits(struct rules *r, const char *file,
                                     const struct ynode *n, clint_error *err) {
  static const char *const keys[] = {"match", "depth", NULL};
  clint_status st;
  if ((st = yaml_expect_map(file, n, keys, err)))
    return st;
  const struct ynode *v;
  /* A limit of 0 would stop every pattern, role files included, before
   * it starts: refuse it rather than lint nothing. */
  if ((v = yaml_get(n, "match")) &&
      (st = yaml_uint(file, v, 1, RULES_MAX_LIMIT, &r->match_limit, err)))
    return st;
  if ((v = yaml_get(n, "depth")) &&
      (st = yaml_uint(file, v, 1, RULES_MAX_LIMIT, &r->depth_limit, err)))
    return st;
  return CLINT_OK;
}

static clint_status configure_core(struct rules *r, const char *file,
                                   const char *key, const struct ynode *v,
                                   clint_error *err) {
  clint_status st;
  if (!strcmp(key, "version")) {
    if (v->kind != YNODE_SCALAR || strcmp(v->str, "1") != 0)
      return yaml_error(err, file, v,
                        "unsupported rule-file version "
                        "(this courselint reads version 1)");
    return CLINT_OK;
  }
  if (!strcmp(key, "anchors")) {
    const char *s;
    if ((st = yaml_string(file, v, &s, err)))
      return st;
    if (!strcmp(s, "auto"))
      r->anchors = ANCHOR_AUTO;
    else if (!strcmp(s, "github"))
      r->anchors = ANCHOR_GITHUB;
    else if (!strcmp(s, "mkdocs"))
      r->anchors = ANCHOR_MKDOCS;
    else
      return yaml_error(err, file, v,
                        "expected an anchor style: auto, github or mkdocs");
    return CLINT_OK;
  }
  if (!strcmp(key, "ignore"))
    return rules_strings(r, file, v, &r->ignore, &r->nignore, err);
  if (!strcmp(key, "roles")) {
    if ((st = yaml_expect(file, v, YNODE_SEQ, err)))
      return st;
    for (size_t i = 0; i < v->n; i++)
      if ((st = configure_role(r, file, v->items[i], err)))
        return st;
    return CLINT_OK;
  }
  if (!strcmp(key, "modules"))
    return configure_modules(r, file, v, err);
  if (!strcmp(key, "limits"))
    return configure_limits(r, file, v, err);
  return CLINT_OK; /* "rules" waits until every rule is known */
}

/* Set the severity (when has_sev) and the scope keys that n names (when n
 * is a map) of the rule at index k of infos. */
static clint_status set_rule(struct rules *r, const char *file, size_t k,
                             bool has_sev, clint_severity sev,
                             const struct ynode *n, clint_error *err) {
  clint_rule_info *info = vec_at(&r->infos, k);
  if (has_sev)
    info->severity = sev;
  if (n->kind != YNODE_MAP)
    return CLINT_OK;
  struct rules_scope *s = vec_at(&r->scopes, k);
  clint_status st = rules_read_scope(r, file, n, s, err);
  if (s->npaths || s->nexclude)
    r->scoped = true;
  return st;
}

/* rules: { id: severity } or { id: {severity, paths, exclude} }, where an
 * id ending in "*" is a prefix; applied last, once every rule is known. */
static clint_status configure_severities(struct rules *r, const char *file,
                                         const struct ynode *v,
                                         clint_error *err) {
  clint_status st;
  if ((st = yaml_expect(file, v, YNODE_MAP, err)))
    return st;
  for (size_t i = 0; i < v->n; i++) {
    const char *id = v->keys[i]->str;
    const struct ynode *val = v->items[i];
    const struct ynode *sevn = val;
    if (val->kind == YNODE_MAP) {
      static const char *const keys[] = {"severity", "paths", "exclude", NULL};
      if ((st = yaml_known_keys(file, val, keys, err)))
        return st;
      sevn = yaml_get(val, "severity");
      if (!sevn && !yaml_get(val, "paths") && !yaml_get(val, "exclude"))
        return yaml_error(err, file, val,
                          "expected a severity, paths or exclude");
    }
    clint_severity sev = CLINT_SEV_OFF;
    if (sevn && (st = rules_severity_of(file, sevn, &sev, err)))
      return st;
    size_t idlen = strlen(id);
    bool any = false;
    if (idlen > 1 && id[idlen - 1] == '*') {
      for (size_t k = 0; k < r->infos.len && st == CLINT_OK; k++) {
        clint_rule_info *info = vec_at(&r->infos, k);
        if (!strncmp(info->id, id, idlen - 1)) {
          st = set_rule(r, file, k, sevn != NULL, sev, val, err);
          any = true;
        }
      }
    } else {
      /* Looked up, not searched for: a file may name every rule. */
      uintptr_t k = (uintptr_t)hmap_get(&r->by_id, id, idlen);
      if (k) {
        st = set_rule(r, file, k - 1, sevn != NULL, sev, val, err);
        any = true;
      }
    }
    if (st)
      return st;
    if (!any)
      return yaml_error(err, file, v->keys[i],
                        "unknown rule '%s' (see courselint --list-rules)", id);
  }
  return CLINT_OK;
}

static const struct family *section_owner(const char *key) {
  for (size_t f = 0; f < FAM_COUNT; f++) {
    const char *const *s = check_families[f]->sections;
    for (; s && *s; s++)
      if (!strcmp(*s, key))
        return check_families[f];
  }
  return NULL;
}

static bool is_core(const char *key) {
  for (const char *const *s = core_sections; *s; s++)
    if (!strcmp(*s, key))
      return true;
  return false;
}

static clint_status apply_file(struct rules *r, const struct rule_file *f,
                               clint_error *err) {
  const struct ynode *root = f->root;
  for (size_t i = 0; i < root->n; i++) {
    const char *key = root->keys[i]->str;
    const struct family *fam = section_owner(key);
    clint_status st;
    if (is_core(key))
      st = configure_core(r, f->name, key, root->items[i], err);
    else if (fam && fam->configure)
      st = fam->configure(r, f->name, key, root->items[i], err);
    else
      st = yaml_error(err, f->name, root->keys[i], "unknown section '%s'", key);
    if (st != CLINT_OK)
      return st;
  }
  return CLINT_OK;
}

static clint_status setup(struct rules *r, clint_error *err) {
  memset(r, 0, sizeof(*r));
  arena_init(&r->arena);
  vec_init(&r->infos, sizeof(clint_rule_info));
  vec_init(&r->scopes, sizeof(struct rules_scope));
  vec_init(&r->codes, sizeof(pcre2_code *));
  hmap_init(&r->by_id);
  r->module_min_files = 2;
  r->match_limit = RULES_MATCH_LIMIT;
  r->depth_limit = RULES_DEPTH_LIMIT;
  for (size_t f = 0; f < FAM_COUNT; f++)
    for (const struct rule_def *d = check_families[f]->rules; d && d->id; d++)
      if (rules_add(r, d->id, d->severity, d->summary, d->explain))
        return status_set(err, CLINT_E_INTERNAL, NULL, 0, 0,
                          "built-in rule %s defined twice", d->id);
  return CLINT_OK;
}

static pcre2_match_context *match_context(const struct rules *r,
                                          unsigned limit) {
  pcre2_match_context *m = pcre2_match_context_create(NULL);
  if (m) {
    pcre2_set_match_limit(m, limit);
    pcre2_set_depth_limit(m, r->depth_limit);
  }
  return m;
}

/* The match context of the limits, and those of rules_match_budget's
 * steps: RULES_BUDGET_FIRST, RULES_BUDGET_GROWTH times more each, the
 * last the match limit itself. */
static clint_status match_contexts(struct rules *r, clint_error *err) {
  if (!(r->mctx = match_context(r, r->match_limit)))
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  unsigned long limit = RULES_BUDGET_FIRST;
  for (size_t k = 0; k < RULES_BUDGET_STEPS;
       k++, limit *= RULES_BUDGET_GROWTH) {
    bool last = limit >= r->match_limit || k + 1 == RULES_BUDGET_STEPS;
    r->step_limit[k] = last ? r->match_limit : (unsigned)limit;
    if (!(r->step_ctx[k] = match_context(r, r->step_limit[k])))
      return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
    r->nsteps = k + 1;
    if (last)
      break;
  }
  return CLINT_OK;
}

clint_status rules_build(struct rules *r, const struct rule_file *files,
                         size_t nfiles, clint_error *err) {
  clint_status st = setup(r, err);
  for (size_t i = 0; i < nfiles && st == CLINT_OK; i++) {
    r->loading = i;
    st = apply_file(r, &files[i], err);
  }
  for (size_t f = 0; f < FAM_COUNT && st == CLINT_OK; f++)
    if (check_families[f]->finish)
      st = check_families[f]->finish(r, err);
  for (size_t i = 0; i < nfiles && st == CLINT_OK; i++) {
    const struct ynode *sev = yaml_get(files[i].root, "rules");
    if (sev)
      st = configure_severities(r, files[i].name, sev, err);
  }
  for (size_t f = 0; f < FAM_COUNT && st == CLINT_OK; f++)
    if (check_families[f]->ready)
      check_families[f]->ready(r);
  if (st == CLINT_OK)
    st = match_contexts(r, err);
  if (st == CLINT_OK && r->arena.failed)
    st = status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  if (st != CLINT_OK)
    rules_free(r);
  return st;
}

void rules_free(struct rules *r) {
  for (size_t i = 0; i < r->codes.len; i++)
    pcre2_code_free(*(pcre2_code **)vec_at(&r->codes, i));
  vec_free(&r->codes);
  vec_free(&r->infos);
  vec_free(&r->scopes);
  hmap_free(&r->by_id);
  pcre2_match_context_free(r->mctx);
  r->mctx = NULL;
  for (size_t k = 0; k < r->nsteps; k++)
    pcre2_match_context_free(r->step_ctx[k]);
  r->nsteps = 0;
  arena_free(&r->arena);
}

static void print_pattern(FILE *out, const char *indent, const char *key,
                          const char *pattern) {
  if (!pattern)
    return;
  fprintf(out, "%s%s: ", indent, key);
  yaml_print_str(out, pattern);
  fputc('\n', out);
}

void rules_print(const struct rules *r, FILE *out) {
  fputs("version: 1\n", out);
  fprintf(out, "anchors: %s\n", anchor_style_name(r->anchors));
  yaml_print_list(out, "", "ignore", r->ignore, r->nignore);
  fputs(r->nroles || r->roles_removed ? "roles:\n" : "roles: []\n", out);
  /* Loaded over the default set, the output must take out what was
   * taken out: every role goes, and those kept come back in full. */
  if (r->roles_removed)
    fputs("  - id: '*'\n    remove: true\n", out);
  for (size_t i = 0; i < r->nroles; i++) {
    const struct role *role = &r->roles[i];
    fprintf(out, "  - id: %s\n", role->id);
    print_pattern(out, "    ", "file", role->file);
    fprintf(out, "    required: %s\n", role->required ? "true" : "false");
    yaml_print_list(out, "    ", "names", role->names, role->nnames);
    print_pattern(out, "    ", "number", role->number ? role->number : "");
    yaml_print_list(out, "    ", "sections", role->sections, role->nsections);
  }
  fputs("modules:\n", out);
  print_pattern(out, "  ", "folder", r->module_folder);
  fprintf(out, "  min_files: %u\n", r->module_min_files);
  print_pattern(out, "  ", "title", r->module_title);
  fputs("  noun: ", out);
  yaml_print_str(out, rules_noun(r, false));
  fputs("\n  lesson_noun: ", out);
  yaml_print_str(out, rules_noun(r, true));
  fputc('\n', out);
  /* Set by a rule file only: the seed's layout needs none of them. */
  if (r->module_path_re)
    print_pattern(out, "  ", "path", r->module_path);
  if (r->lessons_re)
    print_pattern(out, "  ", "lessons", r->lessons);
  if (r->lesson_title_re)
    print_pattern(out, "  ", "lesson_title", r->lesson_title);
  fprintf(out, "limits:\n  match: %u\n  depth: %u\n", r->match_limit,
          r->depth_limit);
  for (size_t f = 0; f < FAM_COUNT; f++)
    if (check_families[f]->print_config)
      check_families[f]->print_config(r, out);
  fputs("rules:\n", out);
  for (size_t i = 0; i < r->infos.len; i++) {
    const clint_rule_info *info = vec_at(&r->infos, i);
    const struct rules_scope *s = vec_at(&r->scopes, i);
    if (!s->npaths && !s->nexclude) {
      fprintf(out, "  %s: %s\n", info->id, clint_severity_str(info->severity));
      continue;
    }
    fprintf(out, "  %s:\n    severity: %s\n", info->id,
            clint_severity_str(info->severity));
    rules_print_scope(out, "    ", s);
  }
}
