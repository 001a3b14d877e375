/* site.h - the sites a course is published as, and how they serve its
 * links: a site generator found from its configuration (MkDocs, mdBook,
 * Hugging Face's doc-builder, Docusaurus, Jekyll, Quarto) or named by the
 * `site:` setting, its folder of pages, its anchor style, the URLs it
 * gives pages (extensionless, .html, folders) and its table of contents;
 * and the repository itself, for absolute URLs that point back into it.
 * Read by the links family and by page loading (anchors, tables of
 * contents); findings stay the links family's. */
#ifndef CLINT_SITE_H
#define CLINT_SITE_H

#include <stdbool.h>
#include <stdio.h>

#include "anchor.h"
#include "courselint.h"
#include "util/arena.h"

struct course;
struct dir;
struct link;
struct page;
struct rules;
struct source;
struct ynode;

enum site_kind {
  SITE_AUTO = 0,   /* setting only: detect from the configuration */
  SITE_NONE,       /* the repository as GitHub or GitLab shows it */
  SITE_MKDOCS,     /* mkdocs.yml */
  SITE_MDBOOK,     /* book.toml */
  SITE_DOCBUILDER, /* _toctree.yml (Hugging Face doc-builder) */
  SITE_DOCUSAURUS, /* docusaurus.config.js / .ts / .mjs / .cjs */
  SITE_JEKYLL,     /* _config.yml */
  SITE_QUARTO,     /* _quarto.yml */
};

/* The links family's settings (rule-file sections links, site and
 * repository), in rules->family[FAM_LINKS]. */
struct links_config {
  /* --fix may replace a broken #fragment by the one close anchor, or a
   * moved file's path by the one place it is found. Off by default: a
   * renumbered chapter is close but may not be what the author meant. */
  bool fix_anchors;
  bool fix_moved;
  enum site_kind site;    /* SITE_AUTO: detect */
  const char *site_docs;  /* the folder of pages (root-relative), or NULL */
  int dir_urls;           /* -1: the generator's default; else 0 or 1 */
  const char *repository; /* its URL, or NULL: from .git/config */
  const char *branch;     /* its default branch, or NULL: from .git */
};

/* A site and the pages it publishes. */
struct site {
  enum site_kind kind;
  const char *root;   /* root-relative folder of its configuration */
  const char *docs;   /* root-relative folder of its pages ("" the root) */
  const char *config; /* root-relative path of the configuration, or NULL */
  /* Pages are published as folders (MkDocs' use_directory_urls,
   * Jekyll's and Docusaurus' pretty URLs): a link written as a URL is
   * relative to the page's own folder (MkDocs), and x/ serves x.md. */
  bool dir_urls;
};

/* Apply one rule-file section (site, repository) of file to cfg. */
clint_status site_configure(struct links_config *cfg, struct arena *a,
                            const char *file, const char *key,
                            const struct ynode *v, clint_error *err);

/* Write the site and repository sections. */
void site_print_config(const struct links_config *cfg, FILE *out);

/* The site that publishes the page at root-relative path, or NULL when
 * none does (the repository's own view): the nearest configuration in
 * the page's folder or above whose folder of pages holds the page. Lent;
 * lives as long as the course. Thread-safe. */
const struct site *site_of(struct course *c, const char *path);
/* The same for a page of folder d (from index_dir, may be NULL), kept
 * with the folder: the pages of a folder ask without the lock. */
const struct site *site_of_in(struct course *c, struct dir *d,
                              const char *path);

/* The site whose configuration (or table of contents) is the file at
 * path, or NULL. */
const struct site *site_of_config(struct course *c, const char *path);

/* How the headings of a page published by site s (NULL: none) become
 * anchors: the rule set's `anchors`, else the site's style, else
 * GitHub's. */
enum anchor_style site_anchor_style(const struct course *c,
                                    const struct site *s);

/* A link from page `from` (root-relative) written dest (its path part,
 * dlen bytes) reaches no file at path (root-relative, normalised). What
 * does site s (NULL: none) serve there? A page published under another
 * name (x.html for x.md, an extensionless x for x.mdx, x/ for x.md), or
 * under MkDocs' folder URLs, a path relative to the page's own folder.
 * Returns its root-relative path in a, or NULL. */
const char *site_resolve(struct course *c, const struct site *s,
                         const char *from, const char *dest, size_t dlen,
                         const char *path, struct arena *a);

/* The page that folder dir (root-relative) shows: on site s, its index
 * page or README; without one (GitHub, GitLab), its README. NULL when it
 * has none. In a. */
const char *site_folder_page(struct course *c, const struct site *s,
                             const char *dir, struct arena *a);

/* The site configured in a folder above page path (auto-detection only)
 * when the page lies outside that site's folder of pages, or NULL. The
 * Rust book's redirects/x.md sits beside its src/: published next to the
 * book, it links the book's chapters by their published names. */
const struct site *site_beside(struct course *c, const char *path);

/* Whether a link to the missing path, written dest (dlen bytes), is a URL
 * of the wider web site that s is part of: it leaves s's folder of pages
 * and is written as a URL (.html, a folder, no extension), as the Rust
 * book's "../std/index.html" is. Such a link is not checked. */
bool site_beyond(const struct site *s, const char *path, const char *dest,
                 size_t dlen);

/* The folder the links of page p are relative to: its own, or for a
 * table of contents, its site's folder of pages. Written in buf when it
 * fits in size bytes (most pages: a page's resolve keeps nothing it need
 * not), else in p's arena. */
const char *site_base(struct course *c, struct page *p, char *buf, size_t size);

/* Read the table of contents in src (mkdocs.yml's nav, _toctree.yml's
 * `local` entries) of page p into src as Markdown: one link per entry,
 * placed through p->map at the entry's line and column. A YAML error
 * gives CLINT_E_IO with err at its place. */
clint_status site_toc_read(struct course *c, struct page *p, const char *name,
                           struct source *src, clint_error *err);

/* Whether link l is checked: a relative one, or an absolute URL into the
 * repository itself (site_repo_path). Other URLs and paths from the
 * site's root are counted, not checked. Thread-safe. */
bool site_checks_link(struct course *c, const struct link *l);

/* For an absolute URL into the course's own repository on its default
 * branch (https://github.com/OWNER/REPO/blob|tree|raw/BRANCH/PATH,
 * raw.githubusercontent.com/OWNER/REPO/BRANCH/PATH, GitLab's
 * HOST/GROUP/REPO/-/blob|tree|raw/BRANCH/PATH): the destination it names
 * relative to the course root, PATH with its query and fragment as
 * written ("" for the root), pointing into url. NULL for any other URL,
 * another branch or a commit. *prefix is set to the length of url before
 * PATH. The repository is the `repository` setting's, else the origin
 * remote of .git/config at the root (a .git folder inside the course:
 * a .git file, as worktrees have, points outside and is not followed);
 * the default branch the setting's, else origin's HEAD, else main or
 * master. */
const char *site_repo_path(struct course *c, const char *url, size_t *prefix);

/* Whether a #fragment of a URL into the repository names lines of a file
 * (#L10, #L10-L20, #L3C5-L4C2) rather than a heading. */
bool site_line_fragment(const char *frag);

/* Free what c's sites hold. */
void site_free(struct course *c);

#endif
