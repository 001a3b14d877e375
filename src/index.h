/* index.h - third stage: the cross-file index of a course. Folders are
 * listed lazily, once each, so that a run over one page only lists the
 * folders its links reach; pages are indexed by root-relative path; a
 * module is a folder whose files play the roles of the rule set. All
 * lookups take the course lock when they may fill the cache, so worker
 * threads can share one course. */
#ifndef CLINT_INDEX_H
#define CLINT_INDEX_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "cache.h"
#include "checks/checks.h"
#include "page.h"
#include "parse.h"
#include "rules.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/hash.h"

enum entry_type { ENTRY_NONE = 0, ENTRY_FILE, ENTRY_DIR, ENTRY_OTHER };

struct entry {
  const char *name;
  size_t len; /* strlen(name) */
  enum entry_type type;
  bool symlink;
  /* Letter counts in 32 buckets, for suggest_near. */
  unsigned char hist[32];
};

struct module;
struct srcmap;
struct site_index;
struct repo;
struct site;
struct suggest_index;

struct dir {
  const char *path; /* root-relative, "" for the root */
  bool exists;
  int error;             /* errno when the folder could not be listed, else 0 */
  struct entry *entries; /* sorted by name */
  char *names;           /* the entries' names, when read from disk */
  size_t n;
  /* Worked out on first use (index_once): */
  atomic_bool module_known;
  struct module *module; /* when this folder is a module */
  atomic_bool site_known;
  const struct site *site; /* that publishes its pages (site.c), or NULL */
  atomic_bool folded_done;
  struct hmap *folded; /* ASCII-lower-case name -> first entry, or NULL */
  atomic_int route;    /* 0, or whether a link is on the way: route_linked */
  /* With a cache (course.cache): the folder's stamp, taken before it was
   * listed, and whether the listing came from the cache. */
  bool stamped, from_cache;
  struct cache_stamp stamp;
};

/* A numbered page of a module (modules.lessons). */
struct lesson {
  long number;      /* from its path, or -1: from its title (lesson_title) */
  const char *path; /* root-relative */
  /* The index of the lesson just before it by number (then by path)
   * among the module's lessons numbered by their paths, or -1: the
   * first, or one numbered by its title. */
  long below;
};

struct module {
  const char *path;   /* root-relative folder */
  const char *name;   /* folder name */
  long number;        /* from the folder's name or path, or -1 */
  const char **files; /* per role: root-relative path, or NULL */
  size_t nroles;
  /* Where findings about the module as a whole go: its README, else its
   * first role file. */
  const char *home;
  /* Its lessons in path order, found on first use (outline_lessons). */
  struct lesson *lessons;
  size_t nlessons;
  bool lessons_known;
};

struct course {
  char *root; /* absolute, without a trailing '/' */
  /* The folder that displayed paths are relative to (absolute, real),
   * or NULL: they are root-relative. */
  char *base;
  const struct rules *rules;
  enum anchor_style anchors; /* resolved: never ANCHOR_AUTO */
  /* The root, open: folders are listed and pages read relative to it, so
   * the kernel does not walk the root's own path each time. Without it
   * (it could not be opened), by full path. */
  bool has_root_fd;
  int root_fd;
  struct arena_store *store; /* blocks of the course's and pages' arenas */
  struct arena arena;        /* pages and their paths */
  struct arena listings;     /* folders, their names and modules */
  struct hmap dirs;          /* path -> struct dir */
  struct hmap pages;         /* path -> struct page */
  /* Once frozen, dirs and pages no longer change, and threads read them
   * without the lock; folders and pages found later go in these. */
  bool frozen;
  struct hmap late_dirs, late_pages;
  struct vec page_list; /* struct page *, in the order found */
  /* Texts given from memory (an editor's unsaved buffers): path ->
   * struct given_text. They stand for the files at those paths, which
   * need not exist. */
  struct hmap given;
  struct site_index *sites; /* the sites that publish it (site.h) */
  /* Worked out on first use (index_once): */
  atomic_bool repo_known;
  const struct repo *repo; /* the repository the course is (site.c), or NULL */
  atomic_bool names_built;
  struct suggest_index *names; /* every name, for suggest_file */
  /* Every module of the course in path order, found on first use
   * (outline_modules); in listings. */
  struct module **modules;
  size_t nmodules;
  bool modules_known;
  /* Listings and page summaries from the run before, or NULL (cache.h). */
  struct cache *cache;
  pthread_mutex_t lock;
};

struct given_text {
  char *text; /* malloc'd */
  size_t len;
};

/* Set up the index of the course at root (an absolute or relative path
 * to a folder); displayed paths are made relative to base (NULL: the
 * root itself). */
clint_status index_init(struct course *c, const char *root, const char *base,
                        const struct rules *rules, clint_error *err);
void index_free(struct course *c);

/* Stop adding to the course's maps of folders and pages, so that lookups
 * of what they hold need no lock. Call while no other thread uses c (the
 * collect phase is over: most lookups of the resolve phase find what the
 * walk and collect put there). */
void index_freeze(struct course *c);

/* What the course works out once and many threads then read (the
 * repository, a folder's module, site and case-folded names, the names
 * of the course, a page's anchor names): unless done is set, build(c,
 * arg) runs under the course lock (recursive: build may take it again)
 * and done is then set with release order. A thread that finds done set
 * reads what build wrote without the lock. */
void index_once(struct course *c, atomic_bool *done,
                void (*build)(struct course *c, void *arg), void *arg);

/* The listing of a folder (root-relative), read on first use. Never NULL
 * except on no memory; dir->exists is false for a missing folder. */
struct dir *index_dir(struct course *c, const char *path);

/* The entry of folder d named name[0, len), or NULL: a binary search of
 * its entries in name order. */
const struct entry *index_entry(const struct dir *d, const char *name,
                                size_t len);

/* What path (root-relative, normalised) is: ENTRY_NONE when missing. */
enum entry_type index_type(struct course *c, const char *path);

/* What the entry name of folder d (from index_dir, may be NULL) is: for
 * several names in one folder, found once. */
enum entry_type index_type_in(struct course *c, struct dir *d,
                              const char *name);

/* The path as it exists on disk when it differs from path only in letter
 * case (in the arena), else NULL. */
const char *index_case_match(struct course *c, struct arena *a,
                             const char *path);

/* The folder holding the root-relative path (index_dir), or NULL; *base
 * is set to the path's last part. */
struct dir *index_parent_dir(struct course *c, const char *path,
                             const char **base);

/* Whether a root-relative path may pass through a symbolic link: true
 * when one of its parts is a link or is not in its folder's listing. */
bool index_has_symlink(struct course *c, const char *path);
/* The same for the entry base of folder d (from index_dir, may be NULL),
 * for a caller that holds the folder already. */
bool index_has_symlink_in(struct course *c, struct dir *d, const char *base);

/* The page for a root-relative path, created (not loaded) on first use.
 * NULL on no memory. */
struct page *index_page(struct course *c, const char *path);

/* Every Markdown page under folder path (root-relative), skipping hidden
 * folders, node_modules, site, build and the rule set's ignore globs;
 * appended to out as struct page *, in no set order. A folder that exists
 * but cannot be listed (permissions, a path too long) is appended as a
 * page of its own, whose load fails with file/unreadable. jobs threads
 * (1 or more) read folders at once. */
clint_status index_walk(struct course *c, const char *path, struct vec *out,
                        unsigned jobs);

/* The same walk taken in steps by threads that have other work too (a
 * run loads each page as the walk finds it): index_walk_begin starts it
 * at path, appending to out; NULL on no memory. Each call of
 * index_walk_next, from any thread, reads folders while fewer than
 * readers are being read, then hands out a page found and not handed out
 * yet when hand_out is set, waiting while there is neither and the walk
 * goes on; NULL once the walk is over and every page handed out. After
 * the threads are done, index_walk_end frees the walk (NULL is taken as
 * out of memory) and says how it went. out is read and written under the
 * walk's lock until then. */
struct walk;
struct walk *index_walk_begin(struct course *c, const char *path,
                              struct vec *out, unsigned readers, bool hand_out);
struct page *index_walk_next(struct walk *w);
clint_status index_walk_end(struct walk *w);

/* Whether a root-relative path is ignored by name or by glob. */
bool index_ignored(const struct course *c, const char *path, bool is_dir);

/* Whether a file is a page: Markdown (*.md, *.markdown), MDX, Quarto, a
 * notebook or a site's table of contents (formats_of). */
bool index_is_markdown(const char *name);

/* The text given from memory for a root-relative path, or NULL when
 * the page is read from disk. Lent until the text is given again. */
const char *index_given_text(const struct course *c, const char *path,
                             size_t *len);

/* Give text (copied; NULL: none, read the file again) for a
 * root-relative path. Call while no run uses c. Returns false on no
 * memory. Whether the folder listings must be read again (a page appeared
 * or went) is the caller's business: see index_forget_listings. */
bool index_give_text(struct course *c, const char *path, const char *text,
                     size_t len);

/* Read the file at a root-relative path whole into b (emptied first; at
 * most SCAN_MAX_BYTES), for searching pages before parsing them. false
 * when it cannot be read. */
bool index_read_raw(const struct course *c, const char *path, struct buf *b);

/* Forget every folder listing and module: they are read again on next
 * use. Pages stay (their structs are still valid) but each is dropped.
 * Call while no run uses c. */
void index_forget_listings(struct course *c);

/* Let new folders and pages go into the maps themselves again: undo
 * index_freeze, folding in what was found since. Call while no run uses
 * c. false on no memory (the course then stays frozen, which is slower
 * but right). */
bool index_thaw(struct course *c);

#endif
