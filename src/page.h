/* page.h - one page of a course as the checks see it: what loading it
 * (read, parse, collect) keeps, and what checking it against the rest of
 * the course (resolve) found. A page lives as long as its course; its
 * contents can be dropped and loaded again when its text changes. */
#ifndef CLINT_PAGE_H
#define CLINT_PAGE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "cache.h"
#include "checks/checks.h"
#include "parse.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/hash.h"

struct module;
struct dir;
struct lint;
struct site;
struct srcmap;

enum page_state {
  PAGE_NEW = 0, /* not loaded (yet, or again since its text changed) */
  PAGE_LOADED,
  PAGE_FAILED /* could not be read or parsed: a file/ finding says why */
};

struct page_anchor {
  const char *name;
  const void *what; /* the heading, or the page for an HTML id */
};

struct page {
  const char *path;    /* root-relative; lives as long as the course */
  const char *display; /* relative to the run's base folder; likewise */
  /* What loading keeps: headings, links, anchors, each family's share of
   * the index, the findings of collect. Emptied when the page is
   * dropped. */
  struct arena arena;
  atomic_int state; /* enum page_state */
  int role;         /* index into the rules' roles, or -1 */
  struct module *module;
  const struct site *site; /* the site that publishes it (site_of), or NULL */
  struct heading *headings;
  size_t nheadings;
  struct link *links; /* the links resolve checks: not external ones */
  size_t nlinks;
  size_t nexternal; /* external links seen (counted, not checked) */
  /* While the page loads: anchor -> heading (or the page, for HTML ids).
   * Once it is loaded, the same as an array sorted by name in its arena
   * (16 bytes an anchor, where the map took 24 a slot at a third full)
   * and the map is freed: page_anchor reads the array. */
  struct hmap anchors;
  struct page_anchor *anchor_list;
  size_t nanchors;
  struct vec found; /* struct diag: findings of loading and collect */
  struct suppressions *supp;
  void *family[FAM_COUNT];
  struct dir *anchor_names;      /* see suggest_anchor_names */
  atomic_bool anchor_names_done; /* set with release order once it is */
  size_t bom;
  size_t size;     /* bytes read, BOM included */
  uint64_t digest; /* hash_digest of the bytes after the BOM (--fix) */
  bool has_digest; /* digest is set: the page may be fixed */
  /* When the page's text is made from its file (a notebook), where its
   * positions stand in the file (formats.h); NULL for Markdown. */
  const struct srcmap *map;

  /* What resolve found, valid while resolved is set. Its strings live
   * in resolved_arena, which is emptied when the page is resolved again:
   * see lint_resolve_arena. */
  struct arena resolved_arena;
  bool resolved;
  struct vec checked; /* struct diag: the findings of resolve */
  struct vec refs;    /* struct page_ref: what its references point at */
  struct vec deps;    /* struct page *: the pages resolve read */
  size_t refs_checked;
  /* The pages whose resolve read this one (each with the generation of
   * its resolve then; an entry whose page has resolved again since is
   * stale). Built between runs, on one thread. */
  struct vec dependents; /* struct page_dependent */
  unsigned generation;   /* resolves so far */
  bool mentions;         /* set by LINT_SEARCH */
  /* With a cache (cache.h): the file's stamp when the search looked at
   * it, and the summary of its words, from the cache or made then (and
   * then malloc'd, in own_summary). */
  bool stamped;
  struct cache_stamp stamp;
  const uint64_t *summary;
  size_t nsummary;
  uint64_t *own_summary;
  unsigned registered; /* the generation whose deps are registered */
};

/* A reference of a page to a page, a heading or a folder, as resolve
 * found it: a link, an image, a prose reference, a path. */
struct page_ref {
  clint_ref_kind kind;
  struct pos pos;
  struct pos end;
  const char *rule;   /* the rule that checks it */
  const char *target; /* root-relative, in the page's resolved arena */
  const char *anchor; /* an anchor of target, or NULL */
  bool broken;
};

struct page_dependent {
  struct page *page;
  unsigned generation;
};

/* A new page at path; the struct and its path go in course_arena, the
 * blocks of its own arenas come from store (NULL: malloc). NULL on no
 * memory. */
struct page *page_new(struct arena *course_arena, struct arena_store *store,
                      const char *path, const char *display);

/* Drop what loading and resolve kept, so that the page loads again on
 * next use (its text changed). Its place in the course stays. */
void page_drop(struct page *p);

/* Forget what resolve found (the pages it read changed). */
void page_unresolve(struct page *p);

/* Free everything the page holds (not the struct, which lives in its
 * course's arena). */
void page_free(struct page *p);

/* Add an anchor to a page (deduplicated), while it loads. */
bool page_add_anchor(struct page *p, const char *anchor, void *what);

/* Once every anchor is added (the end of loading): the page's anchors
 * as an array sorted by name in its arena, the map given back to malloc
 * for the next page. false on no memory. */
bool page_seal_anchors(struct page *p);

/* What anchor names on loaded page p (a heading, or p itself for an HTML
 * id), or NULL. */
const void *page_anchor(const struct page *p, const char *anchor);

#endif
