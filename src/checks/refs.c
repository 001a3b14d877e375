/* refs.c - the ref family: prose cross-references. The rule files'
 * `references` section lists patterns (PCRE2, named groups); in collect
 * each pattern runs over the plain text of every paragraph and heading
 * (link text and inline code included, code blocks and HTML not) and the
 * matches are kept with the page; in resolve each is checked against the
 * finished index: section numbers, file names next to the page, relative
 * paths and "all N chapters" counts. */
#include "refs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lint.h"
#include "../util/path.h"
#include "../util/status.h"
#include "../util/utf8.h"

/* ---- the `references` section ------------------------------------------ */

enum ref_kind { REF_SECTION, REF_FILE, REF_PATH, REF_COUNT, REF_NKINDS };

static const char *const kind_names[REF_NKINDS] = {"section", "file", "path",
                                                   "count"};

/* Named groups each kind needs; "role" may be replaced by a `role` key. */
static const char *const kind_group[REF_NKINDS] = {"nums", "file", "path",
                                                   "count"};

static const char *const default_summary[REF_NKINDS] = {
    "a prose reference names a section number that does not exist",
    "a course file named in prose is not next to the page",
    "a relative path written in prose does not exist",
    "a prose claim of how many chapters a page has is wrong"};

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
    "claimed, but 02_explainer.md has 5: 1-5`. Fix the count."};

static const char *const default_message[REF_NKINDS] = {
    "{role} {noun} {number} does not exist: {file} has {nouns} {have}",
    "file '{path}' does not exist in {folder}", "path '{path}' does not exist",
    "{count} {role} {nouns} claimed, but {file} has {actual}: {have}"};

/* Placeholders a message may use. */
static const char *const placeholders[] = {"text",   "role", "noun",   "nouns",
                                           "number", "file", "have",   "count",
                                           "actual", "path", "folder", NULL};

#define REF_MAX_PATTERNS 8

struct ref_entry {
  const char *id;
  const char *file; /* the rule file that defined it, for messages */
  const struct ynode *node;
  enum ref_kind kind;
  bool has_kind;
  /* One phrase may be written several ways: each pattern is tried. */
  const char *patterns[REF_MAX_PATTERNS];
  const struct ynode *pattern_nodes[REF_MAX_PATTERNS];
  const char *pattern_file;
  pcre2_code *res[REF_MAX_PATTERNS];
  size_t npatterns;
  clint_severity severity;
  bool has_severity;
  const char *summary, *explain, *message;
  bool in_code, has_in_code;
  bool module_only, has_scope;
  const char *role; /* a role id for patterns without a role group */
  const char *role_file;
  const struct ynode *role_node;
  int role_index;
  const char **ranges;
  size_t nranges;
  /* Words (lower case) of which a block must hold one, ignoring ASCII
   * case, to be searched at all: a hint for speed that belongs to the
   * pattern it came with. */
  const char **requires;
  size_t nrequires;
  size_t *requires_at; /* per word: its least common byte, searched for */
};

struct refs_config {
  struct ref_entry *v;
  size_t n;
};

static const char *const default_ranges[] = {
    "-", "\xe2\x80\x93", "\xe2\x80\x94", "to", "through", "thru"};

static struct refs_config *config_of(struct rules *r) {
  if (!r->family[FAM_REFS])
    r->family[FAM_REFS] = arena_alloc(&r->arena, sizeof(struct refs_config));
  return r->family[FAM_REFS];
}

static struct ref_entry *entry_for(struct rules *r, struct refs_config *c,
                                   const char *id) {
  for (size_t i = 0; i < c->n; i++)
    if (!strcmp(c->v[i].id, id))
      return &c->v[i];
  struct ref_entry *v = arena_alloc(&r->arena, sizeof(*v) * (c->n + 1));
  if (!v)
    return NULL;
  if (c->n)
    memcpy(v, c->v, sizeof(*v) * c->n);
  c->v = v;
  struct ref_entry *e = &c->v[c->n++];
  e->id = id;
  e->role_index = -1;
  return e;
}

static clint_status check_message(const char *file, const struct ynode *n,
                                  const char *msg, clint_error *err) {
  for (const char *p = strchr(msg, '{'); p; p = strchr(p + 1, '{')) {
    const char *e = strchr(p, '}');
    if (!e)
      break;
    bool known = false;
    for (const char *const *k = placeholders; *k && !known; k++)
      known = strlen(*k) == (size_t)(e - p - 1) &&
              !strncmp(*k, p + 1, (size_t)(e - p - 1));
    if (!known)
      return yaml_error(err, file, n,
                        "unknown placeholder '%.*s' in message (use text, "
                        "role, noun, nouns, number, file, have, count, "
                        "actual, path or folder)",
                        (int)(e - p + 1), p);
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
    if (!strcmp(s, kind_names[k])) {
      e->kind = (enum ref_kind)k;
      e->has_kind = true;
      return CLINT_OK;
    }
  return yaml_error(err, file, v,
                    "expected a reference kind: section, file, path or "
                    "count");
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

/* requires: one word or a list of them, kept in lower case, each with the
 * place of its least common byte. */
static clint_status read_requires(struct rules *r, const char *file,
                                  const struct ynode *v, struct ref_entry *e,
                                  clint_error *err) {
  const char **words;
  size_t n;
  clint_status st = rules_strings(r, file, v, &words, &n, err);
  if (st)
    return st;
  for (size_t i = 0; i < n; i++) {
    if (!words[i][0])
      return yaml_error(err, file, v->kind == YNODE_SEQ ? v->items[i] : v,
                        "a required word cannot be empty");
    char *low = arena_strdup(&r->arena, words[i]);
    if (!low)
      return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
    for (char *c = low; *c; c++)
      if (*c >= 'A' && *c <= 'Z')
        *c = (char)(*c + 32);
    words[i] = low;
  }
  size_t *at = arena_alloc(&r->arena, sizeof(size_t) * (n ? n : 1));
  if (!at)
    return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  for (size_t i = 0; i < n; i++)
    for (size_t k = 1; words[i][k]; k++)
      if (refs_commonness((unsigned char)words[i][k]) <
          refs_commonness((unsigned char)words[i][at[i]]))
        at[i] = k;
  e->requires = words;
  e->nrequires = n;
  e->requires_at = at;
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
        (st = check_message(file, v, e->message, err)))
      return st;
  }
  return CLINT_OK;
}

static clint_status configure_entry(struct rules *r, const char *file,
                                    const struct ynode *n, clint_error *err) {
  static const char *const keys[] = {
      "id",      "kind",     "pattern", "severity", "summary",
      "explain", "message",  "in_code", "scope",    "role",
      "ranges",  "requires", NULL};
  clint_status st;
  if ((st = yaml_expect(file, n, YNODE_MAP, err)) ||
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
    /* Words required by an earlier file's pattern may be missing from
     * this one's matches. */
    e->requires = NULL;
    e->nrequires = 0;
    e->requires_at = NULL;
  }
  if ((v = yaml_get(n, "requires")) && (st = read_requires(r, file, v, e, err)))
    return st;
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
  if ((st = rules_compile(r, f, pn, full, 0, &re, err)))
    return st;
  const char *need = kind_group[e->kind];
  if (!has_group(re, need))
    return status_set(err, CLINT_E_PATTERN, f, pn->line, pn->col,
                      "a %s reference pattern needs a named group "
                      "(?<%s>...)",
                      kind_names[e->kind], need);
  if ((e->kind == REF_SECTION || e->kind == REF_COUNT) && !e->role &&
      !has_group(re, "role"))
    return status_set(err, CLINT_E_PATTERN, f, pn->line, pn->col,
                      "a %s reference pattern needs a named group "
                      "(?<role>...) or the entry a `role`",
                      kind_names[e->kind]);
  e->res[i] = re;
  return CLINT_OK;
}

static clint_status finish_entry(struct rules *r, struct ref_entry *e,
                                 const char **names, size_t nnames,
                                 clint_error *err) {
  if (!e->has_kind)
    return yaml_error(err, e->file, e->node,
                      "reference '%s' needs a kind (section, file, path or "
                      "count)",
                      e->id);
  if (!e->npatterns)
    return yaml_error(err, e->file, e->node, "reference '%s' needs a pattern",
                      e->id);
  for (size_t i = 0; i < e->npatterns; i++) {
    clint_status st = compile_one(r, e, i, names, nnames, err);
    if (st)
      return st;
  }
  e->role_index = -1;
  for (size_t i = 0; e->role && i < r->nroles; i++)
    if (!strcmp(r->roles[i].id, e->role))
      e->role_index = (int)i;
  if (e->role && e->role_index < 0)
    return yaml_error(err, e->role_file, e->role_node, "unknown role '%s'",
                      e->role);
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

static void print_str(FILE *out, const char *key, const char *s) {
  if (!s)
    return;
  fprintf(out, "    %s: ", key);
  yaml_print_str(out, s);
  fputc('\n', out);
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
    fprintf(out, "\n    kind: %s\n", kind_names[e->kind]);
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
    print_str(out, "role", e->role);
    if (e->nrequires)
      yaml_print_list(out, "    ", "requires", e->requires, e->nrequires);
    if (e->kind == REF_SECTION)
      yaml_print_list(out, "    ", "ranges", e->ranges, e->nranges);
    print_str(out, "message",
              e->message ? e->message : default_message[e->kind]);
    print_str(out, "summary", e->summary);
    print_str(out, "explain", e->explain);
  }
}

/* ---- collect: find the references of a page ----------------------------- */

/* One match, kept with the page (strings in the page arena). */
struct ref {
  const struct ref_entry *e;
  struct pos pos, end;
  const char *text; /* the phrase */
  const char *role; /* role group, or NULL */
  const char *noun; /* noun group, or NULL */
  const char *nums; /* section: the list of numbers */
  const char *path; /* file and path: the name as written */
  const char *link; /* destination of the link whose text holds role */
  unsigned long count;
};

struct page_refs {
  struct ref *v;
  size_t n;
};

/* Whether every segment overlapping [s, t) is inline code, and whether
 * every one is link text. Segments are in text order: a binary search
 * finds the first, so a paragraph of many code spans stays linear. */
static void span_flags(const struct textblock *b, size_t s, size_t t,
                       bool *code, bool *link) {
  size_t lo = 0, hi = b->nsegs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->segs[mid].text_off + b->segs[mid].len <= s)
      lo = mid + 1;
    else
      hi = mid;
  }
  bool any = false;
  *code = *link = true;
  for (size_t i = lo; i < b->nsegs && b->segs[i].text_off < t; i++) {
    any = true;
    if (!(b->segs[i].flags & SEG_CODE))
      *code = false;
    if (!(b->segs[i].flags & SEG_LINK))
      *link = false;
  }
  if (!any)
    *code = *link = false;
}

static int pos_cmp(struct pos a, struct pos b) {
  if (a.line != b.line)
    return a.line < b.line ? -1 : 1;
  return a.col == b.col ? 0 : a.col < b.col ? -1 : 1;
}

/* The link whose text holds text offset off. Links are in source order,
 * so a binary search finds the last one starting before it; images (which
 * may sit inside link text) are stepped over. */
static const struct link *link_at(const struct doc *doc,
                                  const struct textblock *b, size_t off) {
  struct pos at = parse_block_pos(doc, b, off);
  size_t lo = 0, hi = doc->nlinks;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (pos_cmp(doc->links[mid].pos, at) <= 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo, steps = 0; i-- > 0 && steps < 16; steps++) {
    const struct link *l = &doc->links[i];
    if (!l->image)
      return pos_cmp(at, l->end) <= 0 ? l : NULL;
  }
  return NULL;
}

static const char *group(struct page *p, const pcre2_code *re,
                         const struct textblock *b, pcre2_match_data *md,
                         const char *name, size_t *off) {
  const char *s;
  size_t len;
  if (!rules_group(re, md, b->text, name, &s, &len))
    return NULL;
  if (off)
    *off = (size_t)(s - b->text);
  return arena_strndup(&p->arena, s, len);
}

/* The offset of the first byte of the character before offset t. */
static size_t last_char(const struct textblock *b, size_t s, size_t t) {
  return utf8_back(b->text, s, t);
}

/* One pattern of one entry being run over a page. */
struct scan {
  struct lint *lt;
  struct page *p;
  const struct doc *doc;
  const struct ref_entry *e;
  const pcre2_code *re;
  struct vec *out; /* struct ref */
  bool limited;    /* the pattern hit the match limit on this page */
};

static void keep_match(const struct scan *sc, const struct textblock *b,
                       size_t s, size_t t) {
  struct page *p = sc->p;
  const struct doc *doc = sc->doc;
  const struct ref_entry *e = sc->e;
  const pcre2_code *re = sc->re;
  pcre2_match_data *md = sc->lt->md;
  size_t key_s = s, key_len = t - s, off;
  const char *path = NULL;
  if (e->kind == REF_FILE || e->kind == REF_PATH) {
    path = group(p, re, b, md, kind_group[e->kind], &key_s);
    if (!path || !*path)
      return;
    key_len = strlen(path);
  }
  bool code, link;
  span_flags(b, key_s, key_s + key_len, &code, &link);
  if (code && !e->in_code)
    return; /* `chapter 3` in code is an example, not a reference */
  if (link && path)
    return; /* link text: the link itself is what the link family checks */
  struct ref *x = vec_push(sc->out);
  if (!x)
    return;
  x->e = e;
  x->pos = parse_block_pos(doc, b, s);
  /* A phrase that begins with a link's text begins at its '['. */
  span_flags(b, s, s + 1, &code, &link);
  const struct link *first = link ? link_at(doc, b, s) : NULL;
  if (first && first->text && *first->text &&
      !strncmp(b->text + s, first->text, strlen(first->text)))
    x->pos = first->pos;
  x->text = arena_strndup(&p->arena, b->text + s, t - s);
  x->path = path;
  x->noun = group(p, re, b, md, "noun", NULL);
  x->nums = group(p, re, b, md, "nums", NULL);
  if ((x->role = group(p, re, b, md, "role", &off))) {
    span_flags(b, off, off + strlen(x->role), &code, &link);
    const struct link *l = link ? link_at(doc, b, off) : NULL;
    /* An external link's destination lives in scratch: keep a copy. */
    x->link = !l                          ? NULL
              : path_is_external(l->dest) ? arena_strdup(&p->arena, l->dest)
                                          : l->dest;
  }
  /* Positions last and in order: parse_pos is fast only going forward
   * along a line, and a paragraph may be one 1 MB line. */
  x->end = parse_block_pos(doc, b, last_char(b, s, t));
  const char *count = group(p, re, b, md, "count", NULL);
  if (count)
    x->count = strtoul(count, NULL, 10);
}

/* Run one pattern over one block. After the pattern hits the match limit
 * on a page it is not run again on that page: one finding per page, and a
 * careless pattern costs the limit once, not once per paragraph. */
static void scan_block(struct scan *sc, const struct textblock *b) {
  struct lint *lt = sc->lt;
  /* A pattern that needed more than the match limit once will need it
   * again on the next paragraph of the same shape: stop it for this page
   * rather than pay the limit paragraph after paragraph. */
  if (sc->limited)
    return;
  size_t start = 0;
  while (start <= b->len) {
    int rc = rules_match(lt->rules, sc->re, b->text, b->len, start, lt->md);
    if (rc < 0) {
      struct pos at = parse_block_pos(sc->doc, b, start);
      char why[128];
      if (rules_is_limit(rc)) {
        lint_match_limit(lt, sc->p, sc->e->id, at);
      } else {
        rules_match_error(rc, why, sizeof(why));
        lint_diag(lt, sc->p, "rule/match-limit", at,
                  "pattern of rule %s failed here (%s); text skipped",
                  sc->e->id, why);
      }
      sc->limited = true;
      return;
    }
    if (rc == 0)
      return;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(lt->md);
    size_t s = ov[0], t = ov[1] > ov[0] ? ov[1] : ov[0];
    size_t next = t > s ? t : s + 1;
    if (next <= start)
      next = start + 1;
    next = utf8_forward(b->text, b->len, next);
    if (t > s)
      keep_match(sc, b, s, t);
    start = next;
  }
}

/* Order of references: by entry, then by place in the page. */
static int ref_cmp(const void *a, const void *b) {
  const struct ref *x = a, *y = b;
  if (x->e != y->e)
    return x->e < y->e ? -1 : 1;
  return pos_cmp(x->pos, y->pos);
}

/* Whether block b holds one of e's required words, ignoring ASCII case:
 * jump with strpbrk from one occurrence of the word's least common byte
 * (either case) to the next, and compare the word around it. */
static bool mentions(const struct ref_entry *e, const struct textblock *b) {
  for (size_t w = 0; w < e->nrequires; w++) {
    const char *word = e->requires[w];
    size_t wl = strlen(word), k = e->requires_at[w];
    char pick[3] = {word[k], word[k], '\0'};
    if (pick[0] >= 'a' && pick[0] <= 'z')
      pick[1] = (char)(pick[0] - 32);
    for (const char *at = b->text + k;
         at < b->text + b->len && (at = strpbrk(at, pick)) != NULL; at++)
      if (!strncasecmp(at - k, word, wl))
        return true;
  }
  return false;
}

/* The words of the page's entries, each entry's bits among them (0 for
 * an entry without `requires`; REFS_HAS_DIGIT alone for a numeric one
 * without), and whether all of them fit in the set. */
static bool entry_words(const struct refs_config *c, struct refs_words *w,
                        uint32_t *need) {
  refs_words_init(w);
  bool fit = true;
  for (size_t i = 0; i < c->n; i++) {
    const struct ref_entry *e = &c->v[i];
    need[i] = 0;
    for (size_t k = 0; k < e->nrequires; k++) {
      uint32_t bit = 0;
      fit = fit && refs_words_add(w, e->requires[k], &bit);
      need[i] |= bit;
    }
  }
  return fit;
}

/* have[k]: the words and digit of block k, in one pass over the page's
 * block texts when they lie one after another, each after the NUL of the
 * one before (as parse_doc keeps them). False when they do not, or out of
 * memory: the caller then asks block by block. */
static bool find_in_blocks(const struct refs_words *w, const struct doc *doc,
                           uint32_t *have) {
  size_t nb = doc->nblocks;
  size_t *ends = malloc(nb * sizeof(*ends));
  if (!ends)
    return false;
  const char *base = doc->blocks[0].text;
  for (size_t k = 0; k < nb; k++) {
    size_t at = k ? ends[k - 1] + 1 : 0;
    if (doc->blocks[k].text != base + at) {
      free(ends);
      return false;
    }
    ends[k] = at + doc->blocks[k].len;
  }
  refs_words_find_blocks(w, base, ends, nb, have);
  free(ends);
  return true;
}

static void collect(struct lint *lt, struct page *p, const struct doc *doc) {
  const struct refs_config *c = lt->rules->family[FAM_REFS];
  if (!c || !c->n)
    return;
  struct vec found;
  vec_init(&found, sizeof(struct ref));
  /* Section and count references are read as numbers (groups nums and
   * count), so a block without a digit cannot hold one: most prose skips
   * those patterns, which were a fifth of a run's instructions. Blocks
   * without an entry's required words skip it too. One pass over the
   * page's blocks says which words and whether a digit each holds; should
   * the rule files require more words than that pass takes, each entry
   * looks for its own (mentions). */
  size_t nb = doc->nblocks;
  struct refs_words words;
  uint32_t small[16], *need = c->n <= 16 ? small : malloc(c->n * sizeof(*need));
  uint32_t *have = nb ? malloc(nb * sizeof(*have)) : NULL;
  bool *search = nb ? malloc(nb) : NULL;
  bool fit = need && entry_words(c, &words, need);
  if (have && !(fit && find_in_blocks(&words, doc, have)))
    for (size_t k = 0; k < nb; k++)
      have[k] =
          fit ? refs_words_find(&words, doc->blocks[k].text, doc->blocks[k].len)
              : (strpbrk(doc->blocks[k].text, "0123456789") ? REFS_HAS_DIGIT
                                                            : 0);
  for (size_t i = 0; i < c->n; i++) {
    const struct ref_entry *e = &c->v[i];
    if (rules_severity(lt->rules, e->id) == CLINT_SEV_OFF ||
        (e->module_only && !p->module))
      continue;
    bool numeric = e->kind == REF_SECTION || e->kind == REF_COUNT;
    for (size_t k = 0; search && k < nb; k++)
      search[k] =
          (!numeric || !have || (have[k] & REFS_HAS_DIGIT)) &&
          (!e->nrequires || (fit && have ? (have[k] & need[i]) != 0
                                         : mentions(e, &doc->blocks[k])));
    struct scan sc = {lt, p, doc, e, NULL, &found, false};
    for (size_t r = 0; r < e->npatterns; r++) {
      sc.re = e->res[r];
      for (size_t k = 0; k < nb; k++)
        if (!search || search[k])
          scan_block(&sc, &doc->blocks[k]);
    }
  }
  free(search);
  free(have);
  if (need != small)
    free(need);
  /* Two phrasings of one entry may find the same phrase. */
  if (found.len > 1) /* qsort must not see the NULL of an empty vector */
    qsort(found.data, found.len, sizeof(struct ref), ref_cmp);
  size_t o = 0;
  for (size_t i = 0; i < found.len; i++)
    if (o == 0 || ref_cmp(vec_at(&found, o - 1), vec_at(&found, i)) != 0)
      memmove(vec_at(&found, o++), vec_at(&found, i), sizeof(struct ref));
  found.len = o;
  struct page_refs *pr = arena_alloc(&p->arena, sizeof(*pr));
  if (pr && found.len) {
    pr->v = arena_alloc(&p->arena, sizeof(struct ref) * found.len);
    if (pr->v) {
      memcpy(pr->v, found.data, sizeof(struct ref) * found.len);
      pr->n = found.len;
    }
  }
  p->family[FAM_REFS] = pr;
  vec_free(&found);
}

/* ---- resolve: check each reference against the index -------------------- */

enum {
  V_TEXT,
  V_ROLE,
  V_NOUN,
  V_NOUNS,
  V_NUMBER,
  V_FILE,
  V_HAVE,
  V_COUNT,
  V_ACTUAL,
  V_PATH,
  V_FOLDER,
  V_N
};

/* Fill a message template: {name} becomes vals[name's index]. */
static const char *format(struct arena *a, const char *tmpl,
                          const char *const vals[V_N]) {
  struct buf b;
  buf_init(&b);
  for (const char *p = tmpl; *p;) {
    const char *e = *p == '{' ? strchr(p, '}') : NULL;
    size_t k = V_N;
    for (size_t i = 0; e && i < V_N && k == V_N; i++)
      if (strlen(placeholders[i]) == (size_t)(e - p - 1) &&
          !strncmp(placeholders[i], p + 1, (size_t)(e - p - 1)))
        k = i;
    if (k < V_N) {
      buf_puts(&b, vals[k] ? vals[k] : "");
      p = e + 1;
    } else {
      buf_putc(&b, *p++);
    }
  }
  const char *res = arena_strndup(a, buf_cstr(&b), b.len);
  buf_free(&b);
  return res ? res : tmpl;
}

/* Root-relative, normalised path of rel written on page p, in p's arena;
 * NULL when it leaves the root. */
static char *resolve_path(struct page *p, const char *rel, size_t len) {
  size_t dl = path_dirname_len(p->path);
  char *joined = arena_printf(&p->arena, "%.*s%s%.*s", (int)dl, p->path,
                              dl ? "/" : "", (int)len, rel);
  char *norm = joined ? arena_alloc(&p->arena, strlen(joined) + 1) : NULL;
  if (!norm || !path_normalize(joined, strlen(joined), norm))
    return NULL;
  return norm;
}

static bool looks_like_file(const char *s) {
  size_t n = strlen(s);
  return strchr(s, '/') || (n > 3 && !strcasecmp(s + n - 3, ".md")) ||
         (n > 9 && !strcasecmp(s + n - 9, ".markdown"));
}

/* Lower case, one space for each run of white space, trimmed. */
static void fold(const char *s, char *out, size_t cap) {
  size_t o = 0;
  bool space = false;
  for (; *s && o + 2 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (isspace(c)) {
      space = o > 0;
      continue;
    }
    if (space)
      out[o++] = ' ';
    space = false;
    out[o++] = (char)tolower(c);
  }
  out[o] = '\0';
}

static int role_by_name(const struct rules *r, const char *text) {
  char want[256], have[256];
  fold(text, want, sizeof(want));
  for (size_t i = 0; i < r->nroles; i++)
    for (size_t k = 0; k < r->roles[i].nnames; k++) {
      fold(r->roles[i].names[k], have, sizeof(have));
      if (!strcmp(want, have))
        return (int)i;
    }
  return -1;
}

/* The page a section or count reference is about, or NULL when it cannot
 * be known (no module, no such file: other rules report those). */
static struct page *target_of(struct lint *lt, struct page *p,
                              const struct ref *x) {
  const char *rel = NULL;
  size_t len = 0;
  if (x->link) {
    len = strcspn(x->link, "?#");
    if (path_is_external(x->link))
      return NULL;
    if (len == 0)
      return p;
    char *dec = arena_alloc(&p->arena, len + 1);
    if (!dec)
      return NULL;
    len = path_percent_decode(x->link, len, dec);
    rel = dec;
  } else if (x->role && looks_like_file(x->role)) {
    rel = x->role;
    len = strlen(rel);
  }
  if (rel) {
    char *norm = resolve_path(p, rel, len);
    return norm ? lint_page(lt, norm) : NULL;
  }
  int role = x->role ? role_by_name(lt->rules, x->role) : -1;
  if (role < 0)
    role = x->e->role_index;
  if (role < 0 || !lt->rules->roles[role].number_re || !p->module ||
      (size_t)role >= p->module->nroles || !p->module->files[role])
    return NULL;
  return lint_page(lt, p->module->files[role]);
}

/* The numbers of t's headings, sorted and unique (the index numbers no
 * page title: see number_headings in lint.c). Caller frees. */
static struct secnum *page_numbers(const struct page *t, size_t *n) {
  struct secnum *v = malloc(sizeof(*v) * (t->nheadings + 1));
  *n = 0;
  for (size_t i = 0; v && i < t->nheadings; i++) {
    const struct heading *h = &t->headings[i];
    size_t len = h->number ? strlen(h->number) : 0;
    if (len && secnum_parse(h->number, len, &v[*n]) == len)
      (*n)++;
  }
  if (v)
    *n = refs_sort_unique(v, *n);
  return v;
}

/* What exists near a missing number: its siblings, else its parent's
 * siblings, up to the top level. */
static void near_numbers(const struct secnum *have, size_t n,
                         const struct secnum *want, char *buf, size_t cap) {
  struct secnum *pick = malloc(sizeof(*pick) * (n + 1));
  size_t k = 0;
  struct secnum w = *want;
  for (; pick && k == 0 && w.n > 0; w.n--)
    for (size_t i = 0; i < n; i++)
      if (have[i].n == w.n) {
        struct secnum x = w;
        x.part[w.n - 1] = have[i].part[w.n - 1];
        if (secnum_cmp(&x, &have[i]) == 0)
          pick[k++] = have[i];
      }
  if (pick && k == 0)
    memcpy(pick, have, sizeof(*pick) * (k = n));
  refs_summary(pick ? pick : have, pick ? k : 0, buf, cap);
  free(pick);
}

/* Whether x is a heading number of the page, or the parent of one: "9"
 * exists when the page numbers only its subsections 9.1 and 9.2. */
static bool contains(const struct secnum *v, size_t n, const struct secnum *x) {
  /* v is sorted, and x sorts just before its subsections: the first
   * number not below x is x or one of them, if any is. */
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (secnum_cmp(&v[mid], x) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == n)
    return false;
  struct secnum head = v[lo];
  if (head.n > x->n)
    head.n = x->n;
  return secnum_cmp(&head, x) == 0;
}

/* The numbers of the last few target pages: a page of many references
 * to one explainer reads its headings once. */
#define NUMCACHE 4
struct numcache {
  struct {
    const struct page *t;
    struct secnum *v;
    size_t n;
  } slot[NUMCACHE];
  unsigned next;
};

static const struct secnum *numbers_of(struct numcache *c, const struct page *t,
                                       size_t *n) {
  for (unsigned i = 0; i < NUMCACHE; i++)
    if (c->slot[i].t == t && c->slot[i].v) {
      *n = c->slot[i].n;
      return c->slot[i].v;
    }
  unsigned k = c->next++ % NUMCACHE;
  free(c->slot[k].v);
  c->slot[k].t = t;
  c->slot[k].v = page_numbers(t, &c->slot[k].n);
  *n = c->slot[k].n;
  return c->slot[k].v;
}

static const char *msg_of(const struct ref_entry *e) {
  return e->message ? e->message : default_message[e->kind];
}

/* How page p would name t: its file name when they share a folder, else a
 * relative path. */
static const char *seen_from(struct page *p, const struct page *t) {
  size_t dl = path_dirname_len(p->path);
  char *dir = arena_strndup(&p->arena, p->path, dl);
  const char *rel = dir ? path_relative(&p->arena, dir, t->path) : NULL;
  return rel ? rel : t->path;
}

/* The role as the message shows it: a file name as written, a role name in
 * lower case (messages start lower case). Without a role group it is the
 * entry's `role` key, else the file t as the page would name it. */
static const char *role_shown(struct page *p, const struct ref *x,
                              const struct page *t) {
  const char *role = x->role ? x->role : x->e->role;
  if (!role)
    return seen_from(p, t);
  if (looks_like_file(role))
    return role;
  char *s = arena_strdup(&p->arena, role);
  for (char *c = s; c && *c; c++)
    *c = (char)tolower((unsigned char)*c);
  return s ? s : role;
}

/* The noun as a message shows it: singular, and in lower case when a
 * capital only marked the start of a sentence ("Chapter 9 of the ..."). */
static const char *noun_of(struct page *p, const struct ref *x,
                           const char *fallback) {
  char *n = refs_singular(&p->arena, x->noun ? x->noun : fallback);
  if (n && x->noun && !strncmp(x->text, x->noun, strlen(x->noun)) &&
      isupper((unsigned char)n[0])) {
    bool rest_lower = true;
    for (const char *c = n + 1; *c; c++)
      rest_lower = rest_lower && !isupper((unsigned char)*c);
    if (rest_lower)
      n[0] = (char)tolower((unsigned char)n[0]);
  }
  return n ? n : fallback;
}

static struct diag *report(struct lint *lt, struct page *p, const struct ref *x,
                           const char *msg) {
  struct diag *d = lint_diag(lt, p, x->e->id, x->pos, "%s", msg);
  if (d) {
    d->kind = CLINT_KIND_REF;
    d->end = x->end;
  }
  return d;
}

/* The anchor of the heading of t numbered num ("6.5"), or NULL. */
static const char *anchor_of_number(const struct page *t, const char *num) {
  for (size_t i = 0; i < t->nheadings; i++)
    if (t->headings[i].number && !strcmp(t->headings[i].number, num))
      return t->headings[i].anchor;
  return NULL;
}

static void check_section(struct lint *lt, struct page *p, const struct ref *x,
                          struct numcache *cache) {
  struct page *t = target_of(lt, p, x);
  if (!t || !x->nums)
    return;
  size_t nhave;
  const struct secnum *have = numbers_of(cache, t, &nhave);
  if (!have || !nhave) /* nothing numbered to check the numbers against */
    lint_ref(lt, p, CLINT_REF_PROSE, x->pos, x->end, x->e->id, t->path, NULL,
             false);
  struct secnum want[256];
  size_t nwant =
      refs_expand(x->nums, strlen(x->nums), (const char *const *)x->e->ranges,
                  x->e->nranges, want, 256);
  const char *noun = noun_of(p, x, "section");
  for (size_t i = 0; have && nhave && i < nwant; i++) {
    lint_count_ref(lt, p, false);
    char num[64], near[256];
    secnum_str(&want[i], num, sizeof(num));
    bool found = contains(have, nhave, &want[i]);
    lint_ref(lt, p, CLINT_REF_PROSE, x->pos, x->end, x->e->id, t->path,
             found ? anchor_of_number(t, num) : NULL, !found);
    if (found)
      continue;
    near_numbers(have, nhave, &want[i], near, sizeof(near));
    /* "has chapters 1-5", but "has section 1". */
    bool one = !strpbrk(near, ",-");
    const char *vals[V_N] = {
        [V_TEXT] = x->text,
        [V_ROLE] = role_shown(p, x, t),
        [V_NOUN] = noun,
        [V_NOUNS] = one ? noun : refs_plural(&p->arena, noun),
        [V_NUMBER] = num,
        [V_FILE] = seen_from(p, t),
        [V_HAVE] = near};
    struct diag *d = report(lt, p, x, format(&p->arena, msg_of(x->e), vals));
    if (d)
      d->target = arena_printf(&p->arena, "%s %s %s", t->path, noun, num);
  }
}

static void check_count(struct lint *lt, struct page *p, const struct ref *x,
                        struct numcache *cache) {
  struct page *t = target_of(lt, p, x);
  if (!t)
    return;
  size_t nhave, top = 0;
  const struct secnum *all = numbers_of(cache, t, &nhave);
  struct secnum *have = malloc(sizeof(*have) * (nhave + 1));
  for (size_t i = 0; all && have && i < nhave; i++)
    if (all[i].n == 1)
      have[top++] = all[i];
  lint_count_ref(lt, p, false);
  /* It names the page rightly even when its count is wrong. */
  lint_ref(lt, p, CLINT_REF_PROSE, x->pos, x->end, x->e->id, t->path, NULL,
           false);
  if (top && top != x->count) {
    char near[256], count[32], actual[32];
    refs_summary(have, top, near, sizeof(near));
    snprintf(count, sizeof(count), "%lu", x->count);
    snprintf(actual, sizeof(actual), "%zu", top);
    const char *noun = noun_of(p, x, "chapter");
    const char *vals[V_N] = {[V_TEXT] = x->text,
                             [V_ROLE] = role_shown(p, x, t),
                             [V_NOUN] = noun,
                             [V_NOUNS] = refs_plural(&p->arena, noun),
                             [V_COUNT] = count,
                             [V_ACTUAL] = actual,
                             [V_FILE] = seen_from(p, t),
                             [V_HAVE] = near};
    struct diag *d = report(lt, p, x, format(&p->arena, msg_of(x->e), vals));
    if (d) {
      d->target = arena_printf(&p->arena, "%s chapter count", t->path);
      d->suggestion = arena_strdup(&p->arena, actual);
    }
  }
  free(have);
}

/* The name in folder dir closest to want: within a third of its length
 * and closer than any other, else the only entry starting with the same
 * "NN_" number, as course folders and files do. */
static const char *nearest_name(struct lint *lt, const char *dir,
                                const char *want, size_t wlen, bool folder) {
  struct dir *d = index_dir(lt->course, dir);
  if (!d || !d->exists)
    return NULL;
  size_t max = wlen / 3 < 2 ? 2 : wlen / 3, best_d = max + 1;
  const char *best = NULL, *same_num = NULL;
  bool unique = false;
  size_t nnum = 0, digits = 0;
  while (digits < wlen && isdigit((unsigned char)want[digits]))
    digits++;
  bool numbered =
      digits && digits < wlen && (want[digits] == '_' || want[digits] == '-');
  for (size_t i = 0; i < d->n; i++) {
    const struct entry *en = &d->entries[i];
    if (en->name[0] == '.' || (en->type == ENTRY_DIR) != folder)
      continue;
    size_t dist =
        path_edit_distance(want, wlen, en->name, strlen(en->name), max);
    if (dist < best_d)
      best = en->name, best_d = dist, unique = true;
    else if (dist == best_d)
      unique = false;
    if (numbered && !strncmp(en->name, want, digits + 1))
      same_num = en->name, nnum++;
  }
  /* Two names as close as each other: guessing would mislead. */
  if (best)
    return unique ? best : NULL;
  return nnum == 1 ? same_num : NULL;
}

static void check_file(struct lint *lt, struct page *p, const struct ref *x) {
  char *norm = resolve_path(p, x->path, strlen(x->path));
  if (!norm)
    return;
  lint_count_ref(lt, p, false);
  enum entry_type type = index_type(lt->course, norm);
  lint_ref(lt, p, CLINT_REF_PATH, x->pos, x->end, x->e->id, norm, NULL,
           type == ENTRY_NONE);
  if (type != ENTRY_NONE) {
    if (type == ENTRY_FILE)
      lint_page(lt, norm); /* read: checked again when it changes */
    return;
  }
  size_t dl = path_dirname_len(norm);
  char *dir = arena_strndup(&p->arena, norm, dl);
  const char *vals[V_N] = {[V_TEXT] = x->text,
                           [V_PATH] = x->path,
                           [V_FOLDER] = dl ? arena_printf(&p->arena, "%s/", dir)
                                           : "the course root"};
  struct diag *d = report(lt, p, x, format(&p->arena, msg_of(x->e), vals));
  if (!d || !dir)
    return;
  d->target = norm;
  const char *alt = index_case_match(lt->course, &p->arena, norm);
  const char *base = path_basename(norm);
  d->suggestion = alt ? path_basename(alt)
                      : nearest_name(lt, dir, base, strlen(base), false);
  if (d->suggestion && strchr(x->path, '/'))
    d->suggestion =
        arena_printf(&p->arena, "%.*s%s", (int)path_dirname_len(x->path),
                     x->path, d->suggestion);
}

static void check_path(struct lint *lt, struct page *p, const struct ref *x) {
  size_t len = strlen(x->path);
  /* A full stop or comma after a path ends the sentence, not the path. */
  while (len > 1 && strchr(".,;:", x->path[len - 1]) &&
         x->path[len - 2] != '.' && x->path[len - 2] != '/')
    len--;
  bool folder = x->path[len - 1] == '/';
  char *norm = resolve_path(p, x->path, len);
  if (!norm)
    return; /* outside the course: nothing to check it against */
  lint_count_ref(lt, p, false);
  enum entry_type type = index_type(lt->course, norm);
  bool there = type == ENTRY_DIR || (type == ENTRY_FILE && !folder);
  lint_ref(lt, p, CLINT_REF_PATH, x->pos, x->end, x->e->id, norm, NULL, !there);
  if (there) {
    if (type == ENTRY_FILE)
      lint_page(lt, norm); /* read: checked again when it changes */
    return;
  }
  char *shown = arena_strndup(&p->arena, x->path, len);
  const char *vals[V_N] = {[V_TEXT] = x->text, [V_PATH] = shown};
  struct diag *d = report(lt, p, x, format(&p->arena, msg_of(x->e), vals));
  if (!d || !shown)
    return;
  d->target = norm;
  size_t dl = path_dirname_len(norm);
  char *dir = arena_strndup(&p->arena, norm, dl);
  const char *base = path_basename(norm);
  const char *near =
      dir ? nearest_name(lt, dir, base, strlen(base), folder) : NULL;
  if (near) {
    /* Keep the writer's own way up, change only the last name. */
    size_t keep = len - (folder ? 1 : 0);
    while (keep && shown[keep - 1] != '/')
      keep--;
    d->suggestion = arena_printf(&p->arena, "%.*s%s%s", (int)keep, shown, near,
                                 folder ? "/" : "");
  }
}

static void resolve(struct lint *lt, struct page *p) {
  const struct page_refs *pr = p->family[FAM_REFS];
  struct numcache cache = {0};
  for (size_t i = 0; pr && i < pr->n; i++) {
    const struct ref *x = &pr->v[i];
    switch (x->e->kind) {
    case REF_SECTION:
      check_section(lt, p, x, &cache);
      break;
    case REF_COUNT:
      check_count(lt, p, x, &cache);
      break;
    case REF_FILE:
      check_file(lt, p, x);
      break;
    default:
      check_path(lt, p, x);
      break;
    }
  }
  for (unsigned i = 0; i < NUMCACHE; i++)
    free(cache.slot[i].v);
}

const struct family refs_family = {
    .name = "ref",
    .sections = (const char *const[]){"references", NULL},
    .configure = configure,
    .finish = finish,
    .print_config = print_config,
    .collect = collect,
    .resolve = resolve,
};
