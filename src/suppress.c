/* suppress.c - suppression comments (see suppress.h). A comment names a
 * verb and rules:
 *
 *   <!-- courselint-disable-next-line [RULE...] -->  the line after it
 *   <!-- courselint-disable-line [RULE...] -->       its own lines
 *   <!-- courselint-disable-file [RULE...] -->       the whole page
 *   <!-- courselint-disable [RULE...] -->            from here on ...
 *   <!-- courselint-enable [RULE...] -->             ... to here
 *
 * A RULE is an id, a "family/prefix*" glob or a bare family name; none
 * means every rule. The ranges are kept per RULE as written, sorted by
 * their first line with the largest last line so far beside each, so
 * that a finding is looked up by binary search: a page with 100,000
 * comments costs no more per finding than one with ten. */
#include "suppress.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/hash.h"

struct range {
  unsigned from;
  unsigned to;    /* inclusive; UINT_MAX: to the end of the page */
  unsigned reach; /* the largest `to` of this range and those before it */
};

/* The ranges of one RULE as written (NULL: every rule). */
struct group {
  const char *rule;
  struct vec ranges; /* struct range; sorted by from once read */
  struct vec open;   /* size_t: ranges still waiting for an enable */
  bool listed_open;  /* in the builder's list of groups with open ranges */
};

/* Which groups a rule id consults, worked out on its first finding. */
struct verdicts {
  size_t n;
  size_t groups[];
};

struct suppressions {
  struct group *groups;
  size_t ngroups;
  struct hmap by_rule; /* rule id -> struct verdicts *, in arena */
  struct arena *arena;
};

enum verb { NEXT_LINE, THIS_LINE, WHOLE_FILE, FROM_HERE, ENABLE, NO_VERB };

/* Longer verbs first, since "courselint-disable" starts the others. */
static const char *const verbs[NO_VERB] = {
    [NEXT_LINE] = "courselint-disable-next-line",
    [THIS_LINE] = "courselint-disable-line",
    [WHOLE_FILE] = "courselint-disable-file",
    [FROM_HERE] = "courselint-disable",
    [ENABLE] = "courselint-enable",
};

static bool blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static enum verb read_verb(const char **t) {
  while (blank(**t))
    (*t)++;
  for (size_t k = 0; k < NO_VERB; k++) {
    size_t n = strlen(verbs[k]);
    if (!strncmp(*t, verbs[k], n) && ((*t)[n] == '\0' || blank((*t)[n]))) {
      *t += n;
      return (enum verb)k;
    }
  }
  return NO_VERB;
}

/* While reading: the groups, found by their RULE. */
struct builder {
  struct arena *arena;
  struct vec groups;      /* struct group */
  struct hmap index;      /* RULE -> group index + 1 ("" for every rule) */
  struct vec open_groups; /* size_t: groups with open ranges */
  bool failed;
};

static struct group *group_for(struct builder *b, const char *rule) {
  const char *key = rule ? rule : "";
  size_t i = (size_t)(uintptr_t)hmap_get(&b->index, key, strlen(key));
  if (i)
    return vec_at(&b->groups, i - 1);
  struct group *g = vec_push(&b->groups);
  if (!g || !hmap_put(&b->index, key, strlen(key),
                      (void *)(uintptr_t)b->groups.len)) {
    b->failed = true;
    return NULL;
  }
  g->rule = rule;
  vec_init(&g->ranges, sizeof(struct range));
  vec_init(&g->open, sizeof(size_t));
  return g;
}

static void close_group(struct group *g, unsigned line) {
  for (size_t k = 0; k < g->open.len; k++) {
    struct range *r = vec_at(&g->ranges, *(size_t *)vec_at(&g->open, k));
    if (r->from <= line)
      r->to = line;
  }
  g->open.len = 0;
}

/* Apply one verb for one RULE (NULL: every rule) of comment c. */
static void apply(struct builder *b, enum verb verb, const char *rule,
                  const struct comment *c) {
  if (verb == ENABLE) {
    if (rule) {
      struct group *g = group_for(b, rule);
      if (g)
        close_group(g, c->line);
      return;
    }
    /* An enable without RULE closes every open range; each range is
     * closed once, so all enables together cost what the disables did. */
    for (size_t k = 0; k < b->open_groups.len; k++) {
      struct group *g =
          vec_at(&b->groups, *(size_t *)vec_at(&b->open_groups, k));
      close_group(g, c->line);
      g->listed_open = false;
    }
    b->open_groups.len = 0;
    return;
  }
  struct group *g = group_for(b, rule);
  struct range *r = g ? vec_push(&g->ranges) : NULL;
  if (!r) {
    b->failed = true;
    return;
  }
  r->from = verb == NEXT_LINE    ? c->end_line + 1
            : verb == WHOLE_FILE ? 0
                                 : c->line;
  r->to = verb == NEXT_LINE   ? c->end_line + 1
          : verb == THIS_LINE ? c->end_line
                              : UINT_MAX;
  if (verb != FROM_HERE)
    return;
  size_t *o = vec_push(&g->open);
  size_t gi = (size_t)(g - (struct group *)b->groups.data);
  size_t *l = !g->listed_open ? vec_push(&b->open_groups) : NULL;
  if (!o || (!g->listed_open && !l)) {
    b->failed = true;
    return;
  }
  *o = g->ranges.len - 1;
  if (l) {
    *l = gi;
    g->listed_open = true;
  }
}

static void read_comment(struct builder *b, const struct comment *c) {
  const char *t = c->text;
  enum verb verb = read_verb(&t);
  if (verb == NO_VERB)
    return;
  for (bool any = false;; any = true) {
    while (blank(*t) || *t == ',')
      t++;
    size_t n = strcspn(t, " \t\r\n,");
    if (n == 0 && any)
      break;
    const char *rule = n ? arena_strndup(b->arena, t, n) : NULL;
    if (n && !rule) {
      b->failed = true;
      return;
    }
    t += n;
    apply(b, verb, rule, c);
    if (!rule)
      break;
  }
}

static int range_cmp(const void *x, const void *y) {
  const struct range *a = x, *b = y;
  return a->from < b->from ? -1 : a->from > b->from;
}

/* Copy the builder's groups into the arena, sorted and with reaches. */
static struct suppressions *finish(struct builder *b) {
  struct suppressions *s = arena_alloc(b->arena, sizeof(*s));
  struct group *gs =
      s ? arena_alloc(b->arena, sizeof(struct group) * b->groups.len) : NULL;
  if (!gs)
    return NULL;
  for (size_t i = 0; i < b->groups.len; i++) {
    struct group *g = vec_at(&b->groups, i);
    size_t n = g->ranges.len;
    struct range *r = arena_alloc(b->arena, sizeof(struct range) * (n ? n : 1));
    if (!r)
      return NULL;
    if (n)
      memcpy(r, g->ranges.data, sizeof(struct range) * n);
    qsort(r, n, sizeof(struct range), range_cmp);
    for (size_t k = 0; k < n; k++)
      r[k].reach = k && r[k - 1].reach > r[k].to ? r[k - 1].reach : r[k].to;
    gs[i].rule = g->rule;
    gs[i].ranges = (struct vec){r, n, n, sizeof(struct range)};
  }
  s->groups = gs;
  s->ngroups = b->groups.len;
  s->arena = b->arena;
  hmap_init(&s->by_rule);
  return s;
}

struct suppressions *suppress_read(struct arena *a, const struct doc *doc) {
  struct builder b = {.arena = a};
  vec_init(&b.groups, sizeof(struct group));
  vec_init(&b.open_groups, sizeof(size_t));
  hmap_init(&b.index);
  for (size_t i = 0; i < doc->ncomments && !b.failed; i++)
    read_comment(&b, &doc->comments[i]);
  struct suppressions *s = !b.failed && b.groups.len ? finish(&b) : NULL;
  for (size_t i = 0; i < b.groups.len; i++) {
    struct group *g = vec_at(&b.groups, i);
    vec_free(&g->ranges);
    vec_free(&g->open);
  }
  vec_free(&b.groups);
  vec_free(&b.open_groups);
  hmap_free(&b.index);
  return s;
}

static bool rule_matches(const char *spec, const char *rule) {
  size_t n = strlen(spec);
  if (n && spec[n - 1] == '*')
    return !strncmp(spec, rule, n - 1);
  if (!strcmp(spec, rule))
    return true;
  /* A bare family name: "link" covers "link/...". */
  return !strchr(spec, '/') && !strncmp(spec, rule, n) && rule[n] == '/';
}

static const struct verdicts *verdicts_for(struct suppressions *s,
                                           const char *rule) {
  size_t len = strlen(rule);
  const struct verdicts *v = hmap_get(&s->by_rule, rule, len);
  if (v)
    return v;
  size_t n = 0;
  for (size_t i = 0; i < s->ngroups; i++)
    n += !s->groups[i].rule || rule_matches(s->groups[i].rule, rule);
  struct verdicts *nv =
      arena_alloc(s->arena, sizeof(struct verdicts) + n * sizeof(size_t));
  const char *key = arena_strndup(s->arena, rule, len);
  if (!nv || !key)
    return NULL;
  for (size_t i = 0; i < s->ngroups; i++)
    if (!s->groups[i].rule || rule_matches(s->groups[i].rule, rule))
      nv->groups[nv->n++] = i;
  hmap_put(&s->by_rule, key, len, nv); /* on failure: asked again */
  return nv;
}

/* Whether a range of g holds line: the last range starting at or before
 * line, or one before it, reaches it. */
static bool group_covers(const struct group *g, unsigned line) {
  const struct range *r = g->ranges.data;
  size_t lo = 0, hi = g->ranges.len;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (r[mid].from <= line)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo > 0 && r[lo - 1].reach >= line;
}

bool suppress_covers(struct suppressions *s, const char *rule, unsigned line) {
  if (!s)
    return false;
  const struct verdicts *v = verdicts_for(s, rule);
  for (size_t k = 0; v && k < v->n; k++)
    if (group_covers(&s->groups[v->groups[k]], line))
      return true;
  return false;
}

void suppress_free(struct suppressions *s) {
  if (s)
    hmap_free(&s->by_rule);
}
