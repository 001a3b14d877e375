/* refs_check.c - the ref family's resolve step: each reference a page
 * holds is checked against the finished course index: section numbers
 * against the numbered headings of the file they name, file names next
 * to the page, relative paths, and "all N chapters" counts. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../suggest.h"
#include "../util/path.h"
#include "modnum.h"
#include "refs_entry.h"

/* Fill a message template: {name} becomes vals[name's index]. */
static const char *format(struct arena *a, const char *tmpl,
                          const char *const vals[V_N]) {
  struct buf b;
  buf_init(&b);
  for (const char *p = tmpl; *p;) {
    const char *e = *p == '{' ? strchr(p, '}') : NULL;
    size_t k = V_N;
    for (size_t i = 0; e && i < V_N && k == V_N; i++)
      if (strlen(refs_placeholders[i]) == (size_t)(e - p - 1) &&
          !strncmp(refs_placeholders[i], p + 1, (size_t)(e - p - 1)))
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

/* Lower case, one space for each run of white space and hyphens
 * ("study-material" names the study material, as {role} matches it),
 * trimmed. */
static void fold(const char *s, char *out, size_t cap) {
  size_t o = 0;
  bool space = false;
  for (; *s && o + 2 < cap; s++) {
    unsigned char c = (unsigned char)*s;
    if (isspace(c) || c == '-') {
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

/* The module a qualifier ("Module 7 explainer chapter 6") names: the
 * module whose course-wide number (modnum.h: what its titles say, else
 * its folder's number) is that number, in the track of p's module first,
 * then in the tracks beside that one. NULL when the number names none there, or
 * two: an unknown number is not reported (see rules/README.md). */
static const struct module *qualified_module(struct lint *lt, struct page *p,
                                             const char *qualifier) {
  size_t len = strspn(qualifier, "0123456789");
  if (len == 0 || len > 9)
    return NULL;
  long number = strtol(qualifier, NULL, 10);
  /* A module's page looks in its track, then in the tracks beside it; a
   * page outside any module looks in its folder, then in the folders
   * under it (a course's README, above its tracks). */
  const char *in = p->module ? p->module->path : p->path;
  char *track = arena_strndup(&p->arena, in, path_dirname_len(in));
  char *around = !p->module ? track
                 : track
                     ? arena_strndup(&p->arena, track, path_dirname_len(track))
                     : NULL;
  if (!track || !around)
    return NULL;
  if (p->module && modnum_number(lt, p->module, NULL) == number)
    return p->module;
  return modnum_find(lt, &p->arena, track, p->module && !*track ? NULL : around,
                     number);
}

/* The page a module-qualified reference is about: the role's file of the
 * module the qualifier names (a file name is looked for in its
 * folder), or NULL. */
static struct page *qualified_target(struct lint *lt, struct page *p,
                                     const struct ref *x) {
  const struct module *m = qualified_module(lt, p, x->module);
  if (!m)
    return NULL;
  if (x->role && looks_like_file(x->role)) {
    if (strchr(x->role, '/'))
      return NULL;
    char *path = *m->path ? arena_printf(&p->arena, "%s/%s", m->path, x->role)
                          : arena_strdup(&p->arena, x->role);
    return path ? lint_page(lt, path) : NULL;
  }
  int role = x->role ? role_by_name(lt->rules, x->role) : -1;
  if (role < 0)
    role = x->e->role_index;
  if (role < 0 || !lt->rules->roles[role].number_re ||
      (size_t)role >= m->nroles || !m->files[role])
    return NULL;
  return lint_page(lt, m->files[role]);
}

/* The page a section or count reference is about, or NULL when it cannot
 * be known (no module, no such file: other rules report those). */
static struct page *target_of(struct lint *lt, struct page *p,
                              const struct ref *x) {
  const char *rel = NULL;
  size_t len = 0;
  if (x->module && !x->link)
    return qualified_target(lt, p, x);
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
  return e->message ? e->message : refs_default_message[e->kind];
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

/* Whether every word of s[0, len) starts with a capital: the words
 * before a noun in a title ("Explainer Chapter 6.5"), or none at all. */
static bool title_case(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if ((i == 0 || isspace((unsigned char)s[i - 1])) &&
        islower((unsigned char)s[i]))
      return false;
  return true;
}

/* The noun as a message shows it: singular, the word an abbreviation
 * stands for, and in lower case when a capital only marked the start of a
 * sentence or a title ("Chapter 9 of the ...", "Explainer Chapter 9"), or
 * the whole noun is in capitals ("EXPLAINER CHAPTER 9"). */
static const char *noun_of(struct page *p, const struct ref *x,
                           const char *fallback) {
  char *n = refs_singular(&p->arena, x->noun ? x->noun : fallback);
  const char *at = x->noun ? strstr(x->text, x->noun) : NULL;
  bool upper = n && n[0] && n[1];
  for (const char *c = n; upper && *c; c++)
    upper = !islower((unsigned char)*c);
  if (upper)
    for (char *c = n; *c; c++)
      *c = (char)tolower((unsigned char)*c);
  if (n && at && title_case(x->text, (size_t)(at - x->text)) &&
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

/* Give finding d the suggestion sg (or none). The default messages leave
 * it to the output formats, which add "; did you mean '...'?". A message
 * of the rule file's own places it in the rule file's words: where the
 * message has {suggestion}, else at its end when the entry has a
 * `suggestion` template, else nowhere; the message is filled again with
 * it. vals are the values the message was filled with. */
static void suggest(struct page *p, const struct ref *x, struct diag *d,
                    const char *const vals[V_N], const char *sg) {
  const struct ref_entry *e = x->e;
  d->suggestion = sg;
  d->suggestion_in_message = e->custom_message;
  if (!sg || !e->custom_message)
    return;
  const char *v[V_N];
  memcpy(v, vals, sizeof(v));
  v[V_SUGGESTION] = sg;
  if (e->suggestion)
    v[V_SUGGESTION] = format(&p->arena, e->suggestion, v);
  const char *msg = msg_of(e);
  if (strstr(msg, "{suggestion}"))
    d->message = format(&p->arena, msg, v);
  else if (e->suggestion) {
    const char *m =
        arena_printf(&p->arena, "%s%s", d->message, v[V_SUGGESTION]);
    if (m)
      d->message = m;
  }
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
      suggest(p, x, d, vals, arena_strdup(&p->arena, actual));
      /* A message that states the count ({actual}, as the default does)
       * has said what "did you mean" would: no tail repeats it. */
      if (strstr(msg_of(x->e), "{actual}"))
        d->suggestion_in_message = true;
    }
  }
  free(have);
}

/* The name in folder dir a mention of the missing want meant: the one
 * "did you mean" policy of links (suggest_near), among files (or among
 * folders, for a path written as one). */
static const char *nearest_name(struct lint *lt, const char *dir,
                                const char *want, size_t wlen, bool folder) {
  return suggest_near(lt->course, index_dir(lt->course, dir), want, wlen,
                      folder ? SUGGEST_FOLDERS : SUGGEST_FILES);
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
  const char *sg = alt ? path_basename(alt)
                       : nearest_name(lt, dir, base, strlen(base), false);
  if (sg && strchr(x->path, '/'))
    sg = arena_printf(&p->arena, "%.*s%s", (int)path_dirname_len(x->path),
                      x->path, sg);
  suggest(p, x, d, vals, sg);
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
  const char *sg = NULL;
  if (near) {
    /* Keep the writer's own way up, change only the last name. */
    size_t keep = len - (folder ? 1 : 0);
    while (keep && shown[keep - 1] != '/')
      keep--;
    sg = arena_printf(&p->arena, "%.*s%s%s", (int)keep, shown, near,
                      folder ? "/" : "");
  }
  suggest(p, x, d, vals, sg);
}

void refs_resolve(struct lint *lt, struct page *p) {
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
    case REF_MODULE:
    case REF_LESSON:
      refs_check_unit(lt, p, x);
      break;
    default:
      check_path(lt, p, x);
      break;
    }
  }
  for (unsigned i = 0; i < NUMCACHE; i++)
    free(cache.slot[i].v);
}

const char *refs_fill(struct arena *a, const char *tmpl,
                      const char *const vals[V_N]) {
  return format(a, tmpl, vals);
}

const char *refs_noun(struct page *p, const struct ref *x,
                      const char *fallback) {
  return noun_of(p, x, fallback);
}

struct diag *refs_report(struct lint *lt, struct page *p, const struct ref *x,
                         const char *msg) {
  return report(lt, p, x, msg);
}
