/* refs_config.c - the ref family's rule-file section, `references`:
 * each entry read and merged across rule files (configure), its patterns
 * compiled once the roles are final (finish), and written back for
 * --print-config. The family's table is here; refs_collect.c finds the
 * references on a page and refs_check.c checks them. */
#include <stdlib.h>
#include <string.h>

#include "../util/status.h"
#include "refs_entry.h"

/* ---- the `references` section ------------------------------------------ */

const char *const refs_kind_names[REF_NKINDS] = {"section", "file",   "path",
                                                 "count",   "module", "lesson"};

/* Named groups each kind needs; "role" may be replaced by a `role` key. */
const char *const refs_kind_group[REF_NKINDS] = {"nums",  "file", "path",
                                                 "count", "nums", "nums"};

static const char *const default_summary[REF_NKINDS] = {
    "a prose reference names a section number that does not exist",
    "a course file named in prose is not next to the page",
    "a relative path written in prose does not exist",
    "a prose claim of how many chapters a page has is wrong",
    "a prose reference names a module number that no module has",
    "a prose reference names a lesson that its module does not have"};

static const char *const default_explain[REF_NKINDS] = {
    "Prose such as \"explainer chapter 6.5\" or \"03_study_material.md "
    "sections 9-10 and 14\" must name numbered headings that exist in that "
    "file of the same module (or in the file its link text points to). "
    "Every number of a list or range is checked.\n\nExample: `explainer "
    "chapter 7` when 02_explainer.md numbers its chapters 1-5 gives "
    "`explainer chapter 7 does not exist: 02_explainer.md has chapters "
    "1-5`. Fix the number, or add the chapter.",
    "On a page inside a module folder, a course file name such as "
    "`05_hands_on_lab.md` written in prose or inline code must exist next "
    "to the page; pages outside modules (a course README describing the "
    "layout) are not checked.\n\nExample: `Review 05_hands_on_lab.md` when "
    "the module holds 05_hands_on_lab_v2.md gives `file "
    "'05_hands_on_lab.md' does not exist in 13_vision/; did you mean "
    "'05_hands_on_lab_v2.md'?`.",
    "A relative path such as `../02_diffusion_media_generation/` written in "
    "prose or inline code must exist, resolved against the page's "
    "folder.\n\nExample: `Ready to move to ../02_diffusion/` after the "
    "folder was renamed gives `path '../02_diffusion/' does not exist; did "
    "you mean '../02_diffusion_media_generation/'?`.",
    "A count such as \"All 6 explainer chapters read\" must equal the number "
    "of top-level numbered chapters of that file of the module.\n\nExample: "
    "with chapters 1-5 in 02_explainer.md it gives `6 explainer chapters "
    "claimed, but 02_explainer.md has 5: 1-5`. Fix the count.",
    "Prose such as \"Module 14\", \"module 04\" or \"modules 3-5\" must "
    "name modules of the course: a module folder numbered so (modules.folder "
    "or modules.path), or one most of whose pages name that number in their "
    "titles (modules.title).\n\nExample: `see module 7` in a course of modules "
    "1-6 "
    "gives `module 7 does not exist: the course has modules 1-6`. Fix the "
    "number.",
    "Prose such as \"lesson 08\" must name a lesson of the page's module, "
    "and \"unit 5.2\" or \"lessons 10.5 and 10.8\" lesson 2 of module 5 "
    "and lessons 5 and 8 of module 10. A module's lessons are the pages "
    "modules.lessons matches below its folder, numbered by their path or "
    "their title (modules.lesson_title).\n\nExample: `lesson 9` in a module "
    "of lessons 1-8 gives `lesson 9 does not exist: 05-deploy/ has lessons "
    "1-8`. Fix the number."};

const char *const refs_default_message[REF_NKINDS] = {
    "{role} {noun} {number} does not exist: {file} has {nouns} {have}",
    "file '{path}' does not exist in {folder}",
    "path '{path}' does not exist",
    "{count} {role} {nouns} claimed, but {file} has {actual}: {have}",
    "{noun} {number} does not exist: the course has {nouns} {have}",
    "{noun} {number} does not exist: {folder} has {nouns} {have}"};

/* Placeholders a message may use. */
const char *const refs_placeholders[] = {
    "text",  "role",   "noun", "nouns",  "number",     "file", "have",
    "count", "actual", "path", "folder", "suggestion", NULL};

static const char *const default_ranges[] = {
    "-", "\xe2\x80\x93", "\xe2\x80\x94", "to", "through", "thru"};

static struct refs_config *config_of(struct rules *r) {
  if (!r->family[FAM_REFS])
    r->family[FAM_REFS] = arena_alloc(&r->arena, sizeof(struct refs_config));
  return r->family[FAM_REFS];
}

static struct ref_entry *entry_for(struct rules *r, struct refs_config *c,
                                   const char *id) {
  long i = rules_ids_get(&c->ids, id);
  if (i >= 0)
    return &c->v[i];
  struct ref_entry *e =
      rules_grow(r, (void **)&c->v, c->n, &c->cap, sizeof(*e));
  if (!e || !rules_ids_put(r, &c->ids, id, c->n))
    return NULL;
  c->n++;
  e->id = id;
  e->role_index = -1;
  return e;
}

/* A message template (message or suggestion) may use only the
 * placeholders refs_placeholders lists. */
static clint_status check_message(const char *file, const struct ynode *n,
                                  const char *key, const char *msg,
                                  clint_error *err) {
  for (const char *p = strchr(msg, '{'); p; p = strchr(p + 1, '{')) {
    const char *e = strchr(p, '}');
    if (!e)
      break;
    bool known = false;
    for (const char *const *k = refs_placeholders; *k && !known; k++)
      known = strlen(*k) == (size_t)(e - p - 1) &&
              !strncmp(*k, p + 1, (size_t)(e - p - 1));
    if (!known)
      return yaml_error(err, file, n,
                        "unknown placeholder '%.*s' in %s (use text, role, "
                        "noun, nouns, number, file, have, count, actual, "
                        "path, folder or suggestion)",
                        (int)(e - p + 1), p, key);
  }
  return CLINT_OK;
}

static clint_status read_kind(const char *file, const struct ynode *v,
                              struct ref_entry *e, clint_error *err) {
  const char *s;
  clint_status st = yaml_string(file, v, &s, err);
  if (st)
    return st;
  for (int k = 0; k < REF_NKINDS; k++)
    if (!strcmp(s, refs_kind_names[k])) {
      e->kind = (enum ref_kind)k;
      e->has_kind = true;
      return CLINT_OK;
    }
  return yaml_error(err, file, v,
                    "expected a reference kind: section, file, path, "
                    "count, module or lesson");
}

static clint_status read_scope(const char *file, const struct ynode *v,
                               struct ref_entry *e, clint_error *err) {
  const char *s;
  clint_status st = yaml_string(file, v, &s, err);
  if (st)
    return st;
  if (strcmp(s, "module") != 0 && strcmp(s, "course") != 0)
    return yaml_error(err, file, v, "expected a scope: module or course");
  e->module_only = !strcmp(s, "module");
  e->has_scope = true;
  return CLINT_OK;
}

/* pattern: one string, or a list of them (phrasings of one reference). */
static clint_status read_patterns(const char *file, const struct ynode *v,
                                  struct ref_entry *e, clint_error *err) {
  const struct ynode *one[1] = {v};
  const struct ynode *const *items = one;
  size_t n = 1;
  if (v->kind == YNODE_SEQ) {
    items = (const struct ynode *const *)v->items;
    n = v->n;
    if (n == 0 || n > REF_MAX_PATTERNS)
      return yaml_error(err, file, v, "expected 1 to %d patterns",
                        REF_MAX_PATTERNS);
  }
  for (size_t i = 0; i < n; i++) {
    clint_status st = yaml_string(file, items[i], &e->patterns[i], err);
    if (st)
      return st;
    e->pattern_nodes[i] = items[i];
  }
  e->npatterns = n;
  e->pattern_file = file;
  return CLINT_OK;
}

/* `requires` listed words a block had to hold for a pattern to run on it:
 * a hint for speed that a wrong word turned into findings silently not
 * made. The words are derived from the pattern now, and a file that still
 * sets the key is refused, so that nobody relies on a key without effect
 * (the loader has no way to warn). */
static clint_status refuse_requires(const char *file, const struct ynode *n,
                                    clint_error *err) {
  for (size_t i = 0; i < n->n; i++)
    if (!strcmp(n->keys[i]->str, "requires"))
      return yaml_error(err, file, n->keys[i],
                        "'requires' is no longer read: courselint derives "
                        "the words a pattern needs from the pattern; delete "
                        "this key");
  return CLINT_OK;
}

static clint_status read_texts(const char *file, const struct ynode *n,
                               struct ref_entry *e, clint_error *err) {
  clint_status st;
  const struct ynode *v;
  if ((v = yaml_get(n, "summary")) &&
      (st = yaml_string(file, v, &e->summary, err)))
    return st;
  if ((v = yaml_get(n, "explain")) &&
      (st = yaml_string(file, v, &e->explain, err)))
    return st;
  if ((v = yaml_get(n, "message"))) {
    if ((st = yaml_string(file, v, &e->message, err)) ||
        (st = check_message(file, v, "message", e->message, err)))
      return st;
  }
  if ((v = yaml_get(n, "suggestion"))) {
    if ((st = yaml_string(file, v, &e->suggestion, err)) ||
        (st = check_message(file, v, "suggestion", e->suggestion, err)))
      return st;
  }
  return CLINT_OK;
}

static clint_status configure_entry(struct rules *r, const char *file,
                                    const struct ynode *n, clint_error *err) {
  static const char *const keys[] = {
      "id",      "kind",       "pattern", "severity", "summary",
      "explain", "message",    "in_code", "scope",    "role",
      "ranges",  "suggestion", "paths",   "exclude",  NULL};
  clint_status st;
  if ((st = yaml_expect(file, n, YNODE_MAP, err)) ||
      (st = refuse_requires(file, n, err)) ||
      (st = yaml_known_keys(file, n, keys, err)))
    return st;
  const struct ynode *idn = yaml_get(n, "id"), *v;
  const char *id;
  if (!idn)
    return yaml_error(err, file, n, "a reference needs an id");
  if ((st = yaml_string(file, idn, &id, err)))
    return st;
  if (strncmp(id, "ref/", 4) != 0 || !id[4])
    return yaml_error(err, file, idn,
                      "reference id '%s' must start with 'ref/'", id);
  struct refs_config *c = config_of(r);
  struct ref_entry *e = c ? entry_for(r, c, id) : NULL;
  if (!e)
    return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  e->file = file;
  e->node = n;
  if ((v = yaml_get(n, "kind")) && (st = read_kind(file, v, e, err)))
    return st;
  if ((v = yaml_get(n, "pattern"))) {
    if ((st = read_patterns(file, v, e, err)))
      return st;
    e->pattern_from = r->loading;
  }
  if ((v = yaml_get(n, "severity"))) {
    if ((st = rules_severity_of(file, v, &e->severity, err)))
      return st;
    e->has_severity = true;
  }
  if ((v = yaml_get(n, "in_code"))) {
    if ((st = yaml_bool(file, v, &e->in_code, err)))
      return st;
    e->has_in_code = true;
  }
  if ((v = yaml_get(n, "scope")) && (st = read_scope(file, v, e, err)))
    return st;
  if ((st = rules_read_scope(r, file, n, &e->where, err)))
    return st;
  if ((v = yaml_get(n, "role"))) {
    if ((st = yaml_string(file, v, &e->role, err)))
      return st;
    e->role_file = file;
    e->role_node = v;
  }
  if ((v = yaml_get(n, "ranges")) &&
      (st = rules_strings(r, file, v, &e->ranges, &e->nranges, err)))
    return st;
  return read_texts(file, n, e, err);
}

static clint_status configure(struct rules *r, const char *file,
                              const char *key, const struct ynode *value,
                              clint_error *err) {
  (void)key; /* the family owns one section */
  clint_status st = yaml_expect(file, value, YNODE_SEQ, err);
  for (size_t i = 0; st == CLINT_OK && i < value->n; i++)
    st = configure_entry(r, file, value->items[i], err);
  return st;
}

/* The names prose uses for roles whose headings are numbered. */
static const char **numbered_role_names(struct rules *r, size_t *n) {
  size_t total = 0;
  for (size_t i = 0; i < r->nroles; i++)
    if (r->roles[i].number_re)
      total += r->roles[i].nnames;
  const char **v = arena_alloc(&r->arena, sizeof(char *) * (total + 1));
  *n = 0;
  for (size_t i = 0; v && i < r->nroles; i++)
    if (r->roles[i].number_re)
      for (size_t k = 0; k < r->roles[i].nnames; k++)
        v[(*n)++] = r->roles[i].names[k];
  return v;
}

static bool has_group(const pcre2_code *re, const char *name) {
  return pcre2_substring_number_from_name(re, (PCRE2_SPTR)name) >= 0;
}

/* Pattern i of e compiles as written but not with {role} expanded
 * (why says how): blame the rule file that added role names after the
 * pattern (thousands of names make it too large), else the pattern. */
static clint_status blame_names(const struct rules *r,
                                const struct ref_entry *e, size_t i,
                                const clint_error *why, clint_error *err) {
  const struct role *last = NULL;
  for (size_t k = 0; k < r->nroles; k++) {
    const struct role *ro = &r->roles[k];
    if (ro->number_re && ro->nnames && ro->names_node &&
        (!last || ro->names_from >= last->names_from))
      last = ro;
  }
  static const char prefix[] = "invalid pattern: ";
  const char *msg = why->message;
  if (!strncmp(msg, prefix, sizeof(prefix) - 1))
    msg += sizeof(prefix) - 1;
  /* The offset PCRE2 gives is into the expanded pattern: point at the
   * pattern itself. */
  const struct ynode *pn = e->pattern_nodes[i];
  if (!last || last->names_from <= e->pattern_from)
    return status_set(err, why->status, e->pattern_file, pn->line, pn->col,
                      "invalid pattern once {role} stands for the role "
                      "names: %s",
                      msg);
  return status_set(err, why->status, last->names_file, last->names_node->line,
                    last->names_node->col,
                    "with these role names, the pattern of %s (%s:%u:%u) "
                    "does not compile once {role} is expanded: %s",
                    e->id, e->pattern_file, pn->line, pn->col, msg);
}

static size_t shortest(const struct refs_wordset *set) {
  size_t m = SIZE_MAX;
  for (size_t k = 0; k < set->n; k++)
    if (strlen(set->word[k]) < m)
      m = strlen(set->word[k]);
  return m;
}

/* Add the words of set to a copy of the family's word set: false when
 * they do not all fit. */
static bool try_words(const struct refs_words *from,
                      const struct refs_wordset *set, struct refs_words *to,
                      uint32_t *need) {
  *to = *from;
  *need = 0;
  for (size_t k = 0; k < set->n; k++) {
    uint32_t bit;
    if (!refs_words_add(to, set->word[k], &bit))
      return false;
    *need |= bit;
  }
  return true;
}

/* Pattern i of e needs one of sets (best first); its words go into the
 * family's word set, which one pass over a page searches for: the first
 * set that adds no pair of bytes to those searched for (every four pairs
 * cost a pass more), when it filters about as well as the best (its
 * shortest word as long, or 4 bytes); else the best that fits; else the
 * best, looked for block by block (fit false). */
static void choose_words(struct refs_config *c, struct ref_entry *e, size_t i,
                         const struct refs_wordset *sets, size_t nsets) {
  size_t best_short = shortest(&sets[0]), chosen = nsets;
  struct refs_words w, keep;
  uint32_t need = 0, keep_need = 0;
  for (size_t k = 0; k < nsets && chosen == nsets; k++)
    if (shortest(&sets[k]) >= (best_short < 4 ? best_short : 4) &&
        try_words(&c->words, &sets[k], &w, &need) &&
        w.npicks == c->words.npicks)
      chosen = k, keep = w, keep_need = need;
  for (size_t k = 0; k < nsets && chosen == nsets; k++)
    if (try_words(&c->words, &sets[k], &w, &need))
      chosen = k, keep = w, keep_need = need;
  e->fit[i] = chosen < nsets;
  if (!e->fit[i])
    chosen = 0;
  else
    c->words = keep, e->need[i] = keep_need;
  e->words[i] = sets[chosen].word;
  e->nwords[i] = sets[chosen].n;
}

/* Compile pattern i of e and check that it has the groups its kind reads. */
static clint_status compile_one(struct rules *r, struct ref_entry *e, size_t i,
                                const char **names, size_t nnames,
                                clint_error *err) {
  const char *f = e->pattern_file;
  const struct ynode *pn = e->pattern_nodes[i];
  /* Compile as written first, so a syntax error points into the pattern
   * the author wrote, then with {role} expanded. */
  pcre2_code *re;
  clint_status st = rules_compile(r, f, pn, e->patterns[i], 0, &re, err);
  if (st)
    return st;
  const char *full = refs_expand_role(&r->arena, e->patterns[i], names, nnames);
  if (!full)
    return status_set(err, CLINT_E_NOMEM, f, 0, 0, "out of memory");
  clint_error why;
  if ((st = rules_compile(r, f, pn, full, 0, &re, &why)))
    return blame_names(r, e, i, &why, err);
  const char *need = refs_kind_group[e->kind];
  if (!has_group(re, need))
    return status_set(err, CLINT_E_PATTERN, f, pn->line, pn->col,
                      "a %s reference pattern needs a named group "
                      "(?<%s>...)",
                      refs_kind_names[e->kind], need);
  if ((e->kind == REF_SECTION || e->kind == REF_COUNT) && !e->role &&
      !has_group(re, "role"))
    return status_set(err, CLINT_E_PATTERN, f, pn->line, pn->col,
                      "a %s reference pattern needs a named group "
                      "(?<role>...) or the entry a `role`",
                      refs_kind_names[e->kind]);
  e->res[i] = re;
  e->nsets[i] = refs_literals(&r->arena, full, e->sets[i]);
  return CLINT_OK;
}

static clint_status finish_entry(struct rules *r, struct ref_entry *e,
                                 const char **names, size_t nnames,
                                 clint_error *err) {
  if (!e->has_kind)
    return yaml_error(err, e->file, e->node,
                      "reference '%s' needs a kind (section, file, path, "
                      "count, module or lesson)",
                      e->id);
  if (!e->npatterns)
    return yaml_error(err, e->file, e->node, "reference '%s' needs a pattern",
                      e->id);
  for (size_t i = 0; i < e->npatterns; i++) {
    clint_status st = compile_one(r, e, i, names, nnames, err);
    if (st)
      return st;
  }
  e->role_index = e->role ? rules_role_index(r, e->role) : -1;
  if (e->role && e->role_index < 0)
    return yaml_error(err, e->role_file, e->role_node, "unknown role '%s'",
                      e->role);
  /* A message as --print-config writes the default is the default. */
  e->custom_message =
      e->suggestion ||
      (e->message && strcmp(e->message, refs_default_message[e->kind]));
  if (!e->has_severity)
    e->severity = CLINT_SEV_ERROR;
  if (!e->has_in_code)
    e->in_code = e->kind == REF_FILE || e->kind == REF_PATH;
  if (!e->has_scope)
    e->module_only = e->kind == REF_FILE;
  if (!e->ranges) {
    e->ranges = (const char **)default_ranges;
    e->nranges = sizeof(default_ranges) / sizeof(default_ranges[0]);
  }
  if (rules_add(r, e->id, e->severity,
                e->summary ? e->summary : default_summary[e->kind],
                e->explain ? e->explain : default_explain[e->kind]))
    return yaml_error(err, e->file, yaml_get(e->node, "id"),
                      "rule id '%s' is already taken", e->id);
  return CLINT_OK;
}

static clint_status finish(struct rules *r, clint_error *err) {
  struct refs_config *c = r->family[FAM_REFS];
  if (!c)
    return CLINT_OK;
  size_t nnames;
  const char **names = numbered_role_names(r, &nnames);
  if (!names)
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  for (size_t i = 0; i < c->n; i++) {
    clint_status st = finish_entry(r, &c->v[i], names, nnames, err);
    if (st)
      return st;
  }
  return CLINT_OK;
}

/* The words of the entries that can run go into the family's word set,
 * searched for on every page: a rule that is off everywhere (such as
 * ref/missing-module by default) costs no search. */
static void ready(struct rules *r) {
  struct refs_config *c = r->family[FAM_REFS];
  for (size_t i = 0; c && i < c->n; i++) {
    struct ref_entry *e = &c->v[i];
    if (rules_severity(r, e->id) == CLINT_SEV_OFF)
      continue;
    for (size_t k = 0; k < e->npatterns; k++)
      if (e->nsets[k])
        choose_words(c, e, k, e->sets[k], e->nsets[k]);
  }
}

static void print_str(FILE *out, const char *key, const char *s) {
  if (!s)
    return;
  fprintf(out, "    %s: ", key);
  yaml_print_str(out, s);
  fputc('\n', out);
}

/* The words derived for each pattern, as a comment: what a block must
 * hold for the pattern to run on it. */
static void print_words(FILE *out, const struct ref_entry *e) {
  for (size_t k = 0; k < e->npatterns; k++) {
    if (!e->nwords[k])
      continue;
    if (e->npatterns > 1)
      fprintf(out, "    # pattern %zu", k + 1);
    else
      fputs("    # the pattern", out);
    fputs(" runs only on text holding one of:", out);
    for (size_t w = 0; w < e->nwords[k]; w++) {
      fputs(w ? ", " : " ", out);
      yaml_print_str(out, e->words[k][w]);
    }
    fputc('\n', out);
  }
}

static void print_config(const struct rules *r, FILE *out) {
  const struct refs_config *c = r->family[FAM_REFS];
  if (!c || !c->n) {
    fputs("references: []\n", out);
    return;
  }
  fputs("references:\n", out);
  for (size_t i = 0; i < c->n; i++) {
    const struct ref_entry *e = &c->v[i];
    fputs("  - id: ", out);
    yaml_print_str(out, e->id);
    fprintf(out, "\n    kind: %s\n", refs_kind_names[e->kind]);
    if (e->npatterns == 1) {
      print_str(out, "pattern", e->patterns[0]);
    } else {
      fputs("    pattern:\n", out);
      for (size_t k = 0; k < e->npatterns; k++) {
        fputs("      - ", out);
        yaml_print_str(out, e->patterns[k]);
        fputc('\n', out);
      }
    }
    fprintf(out, "    in_code: %s\n    scope: %s\n",
            e->in_code ? "true" : "false",
            e->module_only ? "module" : "course");
    rules_print_scope(out, "    ", &e->where);
    print_str(out, "role", e->role);
    print_words(out, e);
    if (e->kind == REF_SECTION || e->kind == REF_MODULE ||
        e->kind == REF_LESSON)
      yaml_print_list(out, "    ", "ranges", e->ranges, e->nranges);
    print_str(out, "message",
              e->message ? e->message : refs_default_message[e->kind]);
    print_str(out, "suggestion", e->suggestion);
    print_str(out, "summary", e->summary);
    print_str(out, "explain", e->explain);
  }
}

const struct family refs_family = {
    .name = "ref",
    .sections = (const char *const[]){"references", NULL},
    .configure = configure,
    .finish = finish,
    .ready = ready,
    .print_config = print_config,
    .collect = refs_collect,
    .resolve = refs_resolve,
};
