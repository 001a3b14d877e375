/* sequence.c - the sequence family: links that say where the reader goes
 * next. Numbered pages of a folder (01_weekly_plan.md, 03-flask.md) and
 * numbered folders of a track (01_image_video_models/) are read in
 * number order; a link whose text marks it "next" or "previous" ("Next",
 * "Deployment →", "⏭", "← Previous") must lead to the neighbour in that
 * order, not skip one or go back to the wrong page. Collect keeps the
 * marked links (their text is gone after it); resolve compares their
 * targets with the folder listings. A link that leads out of the
 * sequence altogether (a glossary, another site) is not judged. Phrases
 * of the rule files' `sequence.next_module` ("before starting Module
 * 14" on a review page) must name the next module of the track. */
#include "sequence.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lint.h"
#include "../util/path.h"
#include "../util/status.h"
#include "../ytree.h"
#include "modnum.h"

static const struct rule_def sequence_rules[] = {
    {"sequence/next", CLINT_SEV_WARNING,
     "a link marked next does not lead to the next page or module",
     "Numbered pages of a folder, and numbered folders of a track, are "
     "read in number order. A link whose text starts with \"Next\" or "
     "\"⏭\", or ends with \"→\" or \"⏭\", must lead to the page with the "
     "next number (after a folder's last page: the next numbered folder, "
     "its home page or its first page). Links that leave the sequence "
     "are not judged.\n\nExample: on `04-monitoring.md`, `[Deployment "
     "→](06-deployment.md)` while `05-scaling.md` exists. Fix: link "
     "`05-scaling.md`, or renumber the pages."},
    {"sequence/previous", CLINT_SEV_WARNING,
     "a link marked previous does not lead to the previous page or module",
     "As sequence/next, backwards: a link whose text starts with "
     "\"Previous\", \"Prev\", \"←\" or \"⏮\" must lead to the page with "
     "the previous number (before a folder's first page: the folder's "
     "home page, or the previous numbered folder, its home page or its "
     "last page).\n\nExample: on `05-scaling.md`, `[← Back](03-flask.md)` "
     "while `04-monitoring.md` exists. Fix: link `04-monitoring.md`."},
    {"sequence/next-module", CLINT_SEV_WARNING,
     "a page names another module than the next one of its track as next",
     "Phrases listed under `sequence.next_module.patterns` (group num; by "
     "default \"before starting Module N\", \"Foundation-gap audit for "
     "Module N\" and \"Module N foundation-gap audit\", on the pages of "
     "the roles under `sequence.next_module.roles`, by default the "
     "review) name the module a reader goes on to: N must be the number "
     "of the next module folder of the track, as its pages' titles give "
     "it (`modules.title`, else its folder number). After the last module "
     "folder of a track, N must be this module's number plus one.\n\n"
     "Example: in `01_image_video_models/06_review.md` (\"# Module 13 "
     "Review\"), \"before starting Module 15\" while "
     "`02_diffusion/` is titled Module 14. Fix: \"before starting Module "
     "14\"."},
    {NULL, 0, NULL, NULL}};

/* ---- settings ---------------------------------------------------------- */

/* sequence.next_module: phrases that name the next module, and the roles
 * of the pages they are looked for on. */
struct seq_settings {
  const char **patterns;
  const struct ynode **pattern_nodes;
  pcre2_code **res;
  size_t npatterns;
  const char **roles;
  size_t nroles;
  const char *roles_file;
  const struct ynode *roles_node;
  int *role_index; /* per role name, filled by finish */
};

static struct seq_settings *get_settings(struct rules *r) {
  struct seq_settings *s = r->family[FAM_SEQUENCE];
  if (!s && (s = arena_alloc(&r->arena, sizeof(*s))))
    r->family[FAM_SEQUENCE] = s;
  return s;
}

static clint_status configure_next_module(struct rules *r, const char *file,
                                          const struct ynode *v,
                                          struct seq_settings *s,
                                          clint_error *err) {
  static const char *const keys[] = {"roles", "patterns", NULL};
  clint_status st;
  if ((st = yaml_expect_map(file, v, keys, err)))
    return st;
  const struct ynode *n = yaml_get(v, "roles");
  if (n) {
    if ((st = rules_strings(r, file, n, &s->roles, &s->nroles, err)))
      return st;
    s->roles_file = file;
    s->roles_node = n;
  }
  if (!(n = yaml_get(v, "patterns")))
    return CLINT_OK;
  const char **pats;
  size_t np;
  if ((st = rules_strings(r, file, n, &pats, &np, err)))
    return st;
  pcre2_code **res = arena_alloc(&r->arena, (np + 1) * sizeof(*res));
  const struct ynode **nodes =
      arena_alloc(&r->arena, (np + 1) * sizeof(*nodes));
  if (!res || !nodes)
    return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  for (size_t i = 0; i < np; i++) {
    nodes[i] = n->kind == YNODE_SEQ ? n->items[i] : n;
    if ((st = rules_compile(r, file, nodes[i], pats[i], 0, &res[i], err)))
      return st;
    if (pcre2_substring_number_from_name(res[i], (PCRE2_SPTR) "num") < 0)
      return status_set(err, CLINT_E_PATTERN, file, nodes[i]->line,
                        nodes[i]->col,
                        "pattern needs a named group (?<num>...)");
  }
  s->patterns = pats;
  s->pattern_nodes = nodes;
  s->res = res;
  s->npatterns = np;
  return CLINT_OK;
}

static clint_status configure(struct rules *r, const char *file,
                              const char *key, const struct ynode *v,
                              clint_error *err) {
  static const char *const keys[] = {"next_module", NULL};
  (void)key;
  struct seq_settings *s = get_settings(r);
  if (!s)
    return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  clint_status st;
  if ((st = yaml_expect_map(file, v, keys, err)))
    return st;
  const struct ynode *n = yaml_get(v, "next_module");
  return n ? configure_next_module(r, file, n, s, err) : CLINT_OK;
}

/* The roles are known once every file is read: name them by index. */
static clint_status finish(struct rules *r, clint_error *err) {
  struct seq_settings *s = get_settings(r);
  if (!s)
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  s->role_index = arena_alloc(&r->arena, (s->nroles + 1) * sizeof(int));
  if (!s->role_index)
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  for (size_t i = 0; i < s->nroles; i++)
    if ((s->role_index[i] = rules_role_index(r, s->roles[i])) < 0 &&
        !rules_role_removed(r, s->roles[i]))
      return yaml_error(
          err, s->roles_file,
          s->roles_node->kind == YNODE_SEQ ? s->roles_node->items[i]
                                           : s->roles_node,
          "unknown role '%s' in sequence.next_module.roles", s->roles[i]);
  return CLINT_OK;
}

static void print_config(const struct rules *r, FILE *out) {
  const struct seq_settings *s = r->family[FAM_SEQUENCE];
  if (!s)
    return;
  fputs("sequence:\n  next_module:\n", out);
  yaml_print_list(out, "    ", "roles", s->roles, s->nroles);
  fputs("    patterns:\n", out);
  for (size_t i = 0; i < s->npatterns; i++) {
    fputs("      - ", out);
    yaml_print_str(out, s->patterns[i]);
    fputc('\n', out);
  }
}

/* ---- pure helpers ------------------------------------------------------ */

static bool starts_word(const char *s, size_t len, const char *w) {
  size_t n = strlen(w);
  return len >= n && !strncasecmp(s, w, n) &&
         (len == n || !isalpha((unsigned char)s[n]));
}

static bool starts_with(const char *s, size_t len, const char *w) {
  size_t n = strlen(w);
  return len >= n && !memcmp(s, w, n);
}

static bool ends_with(const char *s, size_t len, const char *w) {
  size_t n = strlen(w);
  return len >= n && !memcmp(s + len - n, w, n);
}

#define ARROW_RIGHT "\xE2\x86\x92" /* → */
#define ARROW_LEFT "\xE2\x86\x90"  /* ← */
#define SKIP_NEXT "\xE2\x8F\xAD"   /* ⏭ */
#define SKIP_PREV "\xE2\x8F\xAE"   /* ⏮ */

int sequence_mark(const char *text) {
  size_t len = strlen(text);
  while (len && isspace((unsigned char)*text))
    text++, len--;
  while (len && isspace((unsigned char)text[len - 1]))
    len--;
  bool next =
      starts_word(text, len, "next") || starts_with(text, len, SKIP_NEXT) ||
      ends_with(text, len, ARROW_RIGHT) || ends_with(text, len, SKIP_NEXT);
  bool prev =
      starts_word(text, len, "previous") || starts_word(text, len, "prev") ||
      starts_with(text, len, ARROW_LEFT) || starts_with(text, len, SKIP_PREV);
  return next == prev ? 0 : next ? 1 : -1;
}

int sequence_mark_module(const char *text) {
  size_t len = strlen(text);
  for (size_t i = 0; i + 4 <= len; i++) {
    char c = text[i] | 0x20; /* every link's text passes here: one byte
                                rules out most places */
    if ((c != 'n' && c != 'p') || (i && isalpha((unsigned char)text[i - 1])))
      continue;
    const char *w = text + i;
    size_t n = !strncasecmp(w, "next ", 5)       ? 5
               : !strncasecmp(w, "previous ", 9) ? 9
                                                 : 0;
    if (n && !strncasecmp(w + n, "module", 6) &&
        !isalpha((unsigned char)w[n + 6]))
      return n == 5 ? 1 : -1;
  }
  return 0;
}

long sequence_number(const char *name) {
  long n = 0;
  size_t i = 0;
  for (; isdigit((unsigned char)name[i]); i++) {
    if (i == 9)
      return -1;
    n = n * 10 + (name[i] - '0');
  }
  return i ? n : -1;
}

bool sequence_is_home(const char *name) {
  return !strcasecmp(name, "README.md") || !strcasecmp(name, "index.md") ||
         !strcasecmp(name, "_index.md");
}

/* ---- collect ----------------------------------------------------------- */

struct nav_link {
  const char *dest; /* the path part, percent-encoded as written */
  struct pos pos, end;
  int dir;     /* 1: next, -1: previous */
  bool module; /* names the next module (folder), not the next page */
  bool prose;  /* a path in inline code after "move to", not a link */
};

/* A phrase that names the next module ("before starting Module 14"). */
struct next_mention {
  struct pos pos, end;
  long num;
  const char *text;        /* the phrase */
  size_t num_off, num_len; /* where num stands in text */
};

struct page_nav {
  size_t n;
  struct nav_link *v;
  size_t nmentions;
  struct next_mention *mentions;
};

/* The path part of dest (up to '#' or '?'); 0 when it is empty. */
static size_t path_part(const char *dest) { return strcspn(dest, "#?"); }

/* Whether the len bytes before text[at] end in a phrase that sends the
 * reader on ("Ready to move to", "move on to", "continue to", "proceed
 * to"), spaces and an opening quote allowed between. */
static bool sends_on(const char *text, size_t at) {
  static const char *const phrases[] = {"move to", "move on to", "continue to",
                                        "proceed to", "go on to"};
  while (at &&
         (text[at - 1] == ' ' || text[at - 1] == '\'' || text[at - 1] == '"'))
    at--;
  for (size_t k = 0; k < sizeof(phrases) / sizeof(phrases[0]); k++) {
    size_t n = strlen(phrases[k]);
    if (at >= n && !strncasecmp(text + at - n, phrases[k], n) &&
        (at == n || !isalpha((unsigned char)text[at - n - 1])))
      return true;
  }
  return false;
}

/* Inline code holding a relative path ("../02_diffusion/") right after a
 * phrase that sends the reader on: the next module, named in prose. */
static bool prose_path(const struct textblock *b, const struct seg *sg) {
  const char *t = b->text + sg->text_off;
  return (sg->flags & SEG_CODE) && sg->len > 3 && !strncmp(t, "../", 3) &&
         !memchr(t, ' ', sg->len) && sends_on(b->text, sg->text_off);
}

static bool push(struct page *p, struct vec *v, const char *dest, size_t dlen,
                 struct pos pos, struct pos end, int dir, bool module,
                 bool prose) {
  struct nav_link *x = vec_push(v);
  if (!x || !(x->dest = arena_strndup(&p->arena, dest, dlen)))
    return false;
  x->pos = pos;
  x->end = end;
  x->dir = dir;
  x->module = module;
  x->prose = prose;
  return true;
}

/* Whether text offset off of b lies in inline code (a binary search:
 * a paragraph of many code spans and many phrases stays linear). */
static bool in_code(const struct textblock *b, size_t off) {
  size_t lo = parse_seg_after(b, off);
  return lo < b->nsegs && b->segs[lo].text_off <= off &&
         (b->segs[lo].flags & SEG_CODE);
}

/* Whether page p plays one of the roles next_module phrases are read on. */
static bool mention_page(const struct seq_settings *s, const struct page *p) {
  for (size_t i = 0; s && p->role >= 0 && i < s->nroles; i++)
    if (s->role_index && s->role_index[i] == p->role)
      return true;
  return false;
}

/* Keep the match of pattern re at [ms, me) of block b, when its number
 * reads and does not stand in inline code. */
static bool keep_mention(struct page *p, const struct doc *doc,
                         const struct textblock *b, const pcre2_code *re,
                         pcre2_match_data *md, size_t ms, size_t me,
                         struct vec *out) {
  const char *num;
  size_t len;
  if (!rules_group(re, md, b->text, "num", &num, &len) || !len || len > 9 ||
      strspn(num, "0123456789") < len || in_code(b, (size_t)(num - b->text)))
    return true;
  struct next_mention *x = vec_push(out);
  if (!x || !(x->text = arena_strndup(&p->arena, b->text + ms, me - ms)))
    return false;
  x->num = strtol(num, NULL, 10);
  x->num_off = (size_t)(num - b->text) - ms;
  x->num_len = len;
  x->pos = parse_block_pos(doc, b, ms);
  x->end = parse_block_pos(doc, b, me - 1);
  return true;
}

/* The work the next_module patterns may do on one page beyond what its
 * size bounds, in match limits (as a reference entry's, REFS_PAGE_BUDGET). */
#define MENTION_PAGE_BUDGET 10

/* The next_module phrases of a page (paragraphs, list items, table cells
 * and headings; code blocks, HTML and front matter are not text here).
 * A pattern that hits the match limit, or uses up the page's budget,
 * stops the search on this page with one rule/match-limit finding. */
static bool collect_mentions(struct lint *lt, struct page *p,
                             const struct doc *doc, struct vec *out) {
  const struct seq_settings *s = lt->rules->family[FAM_SEQUENCE];
  if (!mention_page(s, p))
    return true;
  struct rules_budget budget = {(unsigned long)MENTION_PAGE_BUDGET *
                                lt->rules->match_limit};
  for (size_t i = 0; i < doc->nblocks; i++) {
    const struct textblock *b = &doc->blocks[i];
    for (size_t k = 0; k < s->npatterns; k++) {
      size_t start = 0;
      while (start <= b->len) {
        int rc = rules_match_budget(lt->rules, s->res[k], b->text, b->len,
                                    start, lt->md, &budget);
        if (rc < 0) {
          lint_match_limit(lt, p, "sequence/next-module",
                           parse_block_pos(doc, b, start));
          return true;
        }
        if (rc != 1)
          break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(lt->md);
        size_t ms = ov[0], me = ov[1];
        if (me > ms && !keep_mention(p, doc, b, s->res[k], lt->md, ms, me, out))
          return false;
        start = me > start ? me : start + 1;
      }
    }
  }
  return true;
}

static void collect(struct lint *lt, struct page *p, const struct doc *doc) {
  struct vec v, m;
  vec_init(&v, sizeof(struct nav_link));
  vec_init(&m, sizeof(struct next_mention));
  bool ok = true;
  for (size_t i = 0; ok && i < doc->nlinks; i++) {
    const struct link *l = &doc->links[i];
    if (l->image || !l->text || l->external || !path_part(l->dest))
      continue;
    int module = sequence_mark_module(l->text);
    int mark = module ? module : sequence_mark(l->text);
    if (mark)
      ok = push(p, &v, l->dest, path_part(l->dest), l->pos, l->end, mark,
                module != 0, false);
  }
  for (size_t i = 0; ok && i < doc->nblocks; i++) {
    const struct textblock *b = &doc->blocks[i];
    if (b->kind != BLOCK_PARAGRAPH)
      continue;
    for (size_t k = 0; ok && k < b->nsegs; k++) {
      const struct seg *sg = &b->segs[k];
      if (!prose_path(b, sg))
        continue;
      struct pos at = parse_block_pos(doc, b, sg->text_off);
      struct pos end = parse_block_pos(doc, b, sg->text_off + sg->len - 1);
      ok = push(p, &v, b->text + sg->text_off, sg->len, at, end, 1, true, true);
    }
  }
  ok = ok && collect_mentions(lt, p, doc, &m);
  struct page_nav *pn =
      ok && (v.len || m.len) ? arena_alloc(&p->arena, sizeof(*pn)) : NULL;
  struct nav_link *copy =
      pn && v.len ? arena_alloc(&p->arena, v.len * sizeof(*copy)) : NULL;
  struct next_mention *mcopy =
      pn && m.len ? arena_alloc(&p->arena, m.len * sizeof(*mcopy)) : NULL;
  if (pn && (copy || !v.len) && (mcopy || !m.len)) {
    if (v.len)
      memcpy(copy, v.data, v.len * sizeof(*copy));
    if (m.len)
      memcpy(mcopy, m.data, m.len * sizeof(*mcopy));
    pn->n = v.len;
    pn->v = copy;
    pn->nmentions = m.len;
    pn->mentions = mcopy;
    p->family[FAM_SEQUENCE] = pn;
  }
  vec_free(&v);
  vec_free(&m);
}

/* ---- resolve ----------------------------------------------------------- */

/* The numbered entries of folder dir: Markdown pages other than home
 * pages (files), or folders (dirs). */
static bool numbered(const struct entry *e, bool dirs) {
  if (sequence_number(e->name) < 0)
    return false;
  if (dirs)
    return e->type == ENTRY_DIR;
  return e->type == ENTRY_FILE && index_is_markdown(e->name) &&
         !sequence_is_home(e->name);
}

/* The number in folder d that comes after (dir 1) or before (dir -1)
 * number n among its numbered files or folders, or -1. */
static long neighbour(const struct dir *d, long n, int dir, bool dirs) {
  long best = -1;
  for (size_t i = 0; i < d->n; i++) {
    if (!numbered(&d->entries[i], dirs))
      continue;
    long m = sequence_number(d->entries[i].name);
    if ((dir > 0 && m > n && (best < 0 || m < best)) ||
        (dir < 0 && m < n && (best < 0 || m > best)))
      best = m;
  }
  return best;
}

/* The smallest (first) or largest number among d's numbered pages. */
static long end_number(const struct dir *d, bool first) {
  return neighbour(d, first ? -1 : 1000000000L, first ? 1 : -1, false);
}

static char *join(struct arena *a, const char *dir, const char *name) {
  return *dir ? arena_printf(a, "%s/%s", dir, name) : arena_strdup(a, name);
}

/* What a reader may land on and count as reaching target t. */
struct accept {
  struct arena *a;
  const char *v[16];
  size_t n;
  bool over; /* more than v holds: too many to judge, say nothing */
};

static void accept_add(struct accept *ac, const char *path) {
  if (path && ac->n < sizeof(ac->v) / sizeof(ac->v[0]))
    ac->v[ac->n++] = path;
  else if (path)
    ac->over = true;
}

/* Folder path of d's numbered entries with number num (dirs or pages). */
static void accept_numbered(struct accept *ac, const struct dir *d, long num,
                            bool dirs) {
  for (size_t i = 0; i < d->n; i++)
    if (numbered(&d->entries[i], dirs) &&
        sequence_number(d->entries[i].name) == num)
      accept_add(ac, join(ac->a, d->path, d->entries[i].name));
}

/* A folder counts as reached through itself, its home page, and its
 * first (or, going back, also its last) numbered page. */
static void accept_folder(struct accept *ac, struct course *c,
                          const char *folder, int dir) {
  accept_add(ac, folder);
  const struct dir *d = index_dir(c, folder);
  if (!d || !d->exists)
    return;
  for (size_t i = 0; i < d->n; i++)
    if (d->entries[i].type == ENTRY_FILE &&
        sequence_is_home(d->entries[i].name))
      accept_add(ac, join(ac->a, folder, d->entries[i].name));
  long first = end_number(d, true);
  if (first >= 0)
    accept_numbered(ac, d, first, false);
  long last = end_number(d, false);
  if (dir < 0 && last >= 0 && last != first)
    accept_numbered(ac, d, last, false);
}

static char *parent_of(struct arena *a, const char *path) {
  size_t n = path_dirname_len(path);
  return arena_strndup(a, path, n);
}

/* The neighbour of folder `folder` in its parent, as accepted targets;
 * false when the folder has no number or no such neighbour. */
static bool accept_next_folder(struct accept *ac, struct course *c,
                               const char *folder, int dir) {
  if (!*folder)
    return false;
  long num = sequence_number(path_basename(folder));
  if (num < 0)
    return false;
  char *parent = parent_of(ac->a, folder);
  const struct dir *pd = parent ? index_dir(c, parent) : NULL;
  if (!pd || !pd->exists)
    return false;
  long nb = neighbour(pd, num, dir, true);
  if (nb < 0)
    return false;
  for (size_t i = 0; i < pd->n; i++)
    if (numbered(&pd->entries[i], true) &&
        sequence_number(pd->entries[i].name) == nb)
      accept_folder(ac, c, join(ac->a, parent, pd->entries[i].name), dir);
  return true;
}

/* Whether path lies in the sequence around folder dir: one of dir's
 * numbered pages or, when dir is itself numbered, another numbered
 * folder of its track (the parent) or a page directly in one. dir itself
 * and its home page are not: "← Module overview" from a lesson is not a
 * step back in the order. */
static bool in_sequence(const char *dir, const char *path) {
  size_t dl = strlen(dir), pd = path_dirname_len(path);
  const char *base = path_basename(path);
  if (pd == dl && !strncmp(path, dir, dl))
    return sequence_number(base) >= 0 && !sequence_is_home(base);
  if (!dl || sequence_number(path_basename(dir)) < 0)
    return false;
  size_t track = path_dirname_len(dir);
  /* A numbered folder of the track other than dir... */
  if (pd == track && !strncmp(path, dir, track) && sequence_number(base) >= 0 &&
      strcmp(path, dir) != 0)
    return true;
  /* ...or a page directly in one. */
  if (track && (strncmp(path, dir, track) || path[track] != '/'))
    return false;
  const char *folder = path + (track ? track + 1 : 0);
  size_t fl = strcspn(folder, "/");
  return folder[fl] == '/' && !strchr(folder + fl + 1, '/') &&
         sequence_number(folder) >= 0;
}

static bool accepted(const struct accept *ac, const char *path) {
  for (size_t i = 0; i < ac->n; i++)
    if (!strcmp(ac->v[i], path))
      return true;
  return false;
}

static void check_link(struct lint *lt, struct page *p,
                       const struct nav_link *x) {
  struct arena *a = &p->arena;
  struct course *c = lt->course;
  const char *name = path_basename(p->path);
  char *dir = parent_of(a, p->path);
  if (!dir)
    return;
  bool home = sequence_is_home(name);
  long num = sequence_number(name);
  if (x->module ? !*dir || sequence_number(path_basename(dir)) < 0
      : home    ? sequence_number(path_basename(dir)) < 0 || !*dir
                : num < 0)
    return;
  /* Where the link leads: a page or a folder of the course. */
  size_t dl = strlen(dir), len = strlen(x->dest);
  char *joined = arena_alloc(a, dl + len + 2);
  char *target = arena_alloc(a, dl + len + 2);
  bool folder_written;
  if (!joined || !target ||
      !path_resolve(dir, dl, x->dest, len, joined, target, &folder_written) ||
      !*target)
    return;
  enum entry_type t = index_type(c, target);
  if (t != ENTRY_FILE && t != ENTRY_DIR)
    return;
  if (!in_sequence(dir, target) || !strcmp(target, p->path))
    return;
  size_t td = path_dirname_len(target);
  if (x->module && td == dl && !strncmp(target, dir, dl))
    return; /* a page of this module: not what "next module" judges */

  struct accept ac = {.a = a};
  const struct dir *d = index_dir(c, dir);
  if (!d || !d->exists)
    return;
  if (x->module) {
    /* "the next module", "Ready to move to `../02_x/`": the folder
     * after this one, whichever page says it. */
    if (!accept_next_folder(&ac, c, dir, x->dir))
      return;
  } else if (home) {
    /* A folder's home page: the next or previous folder of the track;
     * going forward, the folder's own first page too. */
    if (x->dir > 0) {
      long first = end_number(d, true);
      if (first >= 0)
        accept_numbered(&ac, d, first, false);
    }
    if (!accept_next_folder(&ac, c, dir, x->dir) && !ac.n)
      return;
  } else {
    long nb = neighbour(d, num, x->dir, false);
    if (nb >= 0) {
      accept_numbered(&ac, d, nb, false);
    } else {
      /* Past the folder's end: its neighbour folder; before its first
       * page, its own home page too. */
      if (x->dir < 0)
        for (size_t i = 0; i < d->n; i++)
          if (d->entries[i].type == ENTRY_FILE &&
              sequence_is_home(d->entries[i].name))
            accept_add(&ac, join(a, dir, d->entries[i].name));
      if (!accept_next_folder(&ac, c, dir, x->dir) && !ac.n)
        return;
    }
  }
  if (!ac.n || ac.over || accepted(&ac, target))
    return;
  const char *rule = x->dir > 0 ? "sequence/next" : "sequence/previous";
  const char *want = path_relative(a, dir, ac.v[0]);
  const char *got = path_relative(a, dir, target);
  if (!want || !got)
    return;
  bool folder = index_type(c, ac.v[0]) == ENTRY_DIR;
  const char *what = x->prose     ? "says to move on to"
                     : x->module  ? (x->dir > 0 ? "link to the next module"
                                                : "link to the previous module")
                     : x->dir > 0 ? "link marked next"
                                  : "link marked previous";
  struct diag *dg =
      lint_diag(lt, p, rule, x->pos, "%s %s%s%s, but the %s %s is %s%s", what,
                x->prose ? "" : "leads to ", got, t == ENTRY_DIR ? "/" : "",
                x->dir > 0 ? "next" : "previous",
                x->module ? "module"
                : folder  ? "folder"
                          : "page",
                want, folder ? "/" : "");
  if (dg) {
    dg->end = x->end;
    dg->suggestion = folder ? arena_printf(a, "%s/", want) : want;
  }
}

/* A phrase naming the next module ("before starting Module 15") must
 * name the module folder after this one in its track, by the number its
 * titles give (modnum.h); after the track's last folder, this module's
 * number plus one. When the next folder's pages name no number but this
 * module's titles do, the two count differently: either this number plus
 * one or the folder's number is taken. */
static void check_mention(struct lint *lt, struct page *p,
                          const struct next_mention *x) {
  struct arena *a = &p->arena;
  const struct module *m = p->module;
  /* Without a folder number there is no order to say what comes next. */
  if (m->number < 0 || !m->path[0])
    return;
  bool mine_titled = false, next_titled = false;
  long mine = modnum_number(lt, m, &mine_titled);
  const struct module *next = modnum_next(lt, a, m);
  long want = next        ? modnum_number(lt, next, &next_titled)
              : mine >= 0 ? mine + 1
                          : -1;
  if (want < 0 || x->num == want ||
      (next && !next_titled && mine_titled && x->num == mine + 1))
    return;
  if (next && !next_titled && mine_titled)
    want = mine + 1;
  const char *where = NULL;
  const char *noun = rules_noun(lt->rules, false);
  if (next) {
    char *dir = arena_strndup(a, p->path, path_dirname_len(p->path));
    const char *rel = dir ? path_relative(a, dir, next->path) : NULL;
    where = rel ? arena_printf(a, "the next %s of the track is %s %ld (%s/)",
                               noun, noun, want, rel)
                : NULL;
  } else {
    where =
        arena_printf(a, "%s %ld is the last of its track: the next is %s %ld",
                     noun, mine, noun, want);
  }
  struct diag *d = lint_diag(lt, p, "sequence/next-module", x->pos,
                             "'%s' names %s %ld as the next, but %s", x->text,
                             noun, x->num, where ? where : "");
  if (!d)
    return;
  d->end = x->end;
  d->suggestion = arena_printf(a, "%.*s%ld%s", (int)x->num_off, x->text, want,
                               x->text + x->num_off + x->num_len);
}

static void resolve(struct lint *lt, struct page *p) {
  const struct page_nav *pn = p->family[FAM_SEQUENCE];
  if (!pn)
    return;
  for (size_t i = 0; i < pn->n; i++)
    check_link(lt, p, &pn->v[i]);
  for (size_t i = 0; p->module && i < pn->nmentions; i++)
    check_mention(lt, p, &pn->mentions[i]);
}

static const char *const sequence_sections[] = {"sequence", NULL};

const struct family sequence_family = {
    .name = "sequence",
    .rules = sequence_rules,
    .sections = sequence_sections,
    .configure = configure,
    .finish = finish,
    .print_config = print_config,
    .collect = collect,
    .resolve = resolve,
};
