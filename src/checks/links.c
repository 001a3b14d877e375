/* links.c - the link family: every relative link and image must reach a
 * file or folder inside the course, with the right letter case, and every
 * #fragment must name a heading or HTML id of its target. URLs with a
 * scheme and site-absolute paths are counted, not checked: courselint
 * never uses the network. Runs in resolve, once the index is complete. */
#include <stdlib.h>
#include <string.h>

#include "../formats.h"
#include "../lint.h"
#include "../site.h"
#include "../suggest.h"
#include "../util/path.h"
#include "../util/status.h"

static const struct rule_def links_rules[] = {
    {"link/missing-file", CLINT_SEV_ERROR,
     "a relative link or image points to a file that does not exist",
     "Relative links and images must reach an existing file of the "
     "course; the destination is percent-decoded and resolved against the "
     "page's folder.\n\nExample: `[lab](05_hands_on_lab.md)` in a module "
     "that has `05_hands_on_lab_v2.md` gives `link target "
     "'05_hands_on_lab.md' does not exist; did you mean "
     "'05_hands_on_lab_v2.md'?`. Fix the destination."},
    {"link/missing-folder", CLINT_SEV_ERROR,
     "a link points to a folder that does not exist",
     "A link ending in '/' must reach an existing folder.\n\nExample: "
     "`[next](../02_diffusion/)` after the folder was renamed "
     "`02_diffusion_media_generation`. Fix the destination."},
    {"link/folder-no-index", CLINT_SEV_WARNING,
     "a link to a folder without index.md or README.md (MkDocs)",
     "MkDocs builds a page for a folder only from its index.md or "
     "README.md; a link to a folder without either is a 404 on the "
     "site.\n\nFix: link to a page inside the folder, or add index.md."},
    {"link/missing-anchor", CLINT_SEV_ERROR,
     "a #fragment names no heading or HTML id of its target page",
     "Fragments are compared with the anchors the site generates from "
     "headings (GitHub or MkDocs style, see `anchors`), explicit {#id} "
     "attributes and HTML id/name attributes.\n\nExample: "
     "`[families](02_explainer.md#5-generation-families)` after chapter 5 "
     "became 6 gives `no heading '#5-generation-families' in "
     "02_explainer.md; did you mean '#6-generation-families'?`."},
    {"link/toc-missing-page", CLINT_SEV_ERROR,
     "an entry of a site's table of contents names no page",
     "The table of contents of a site (MkDocs' `nav` in mkdocs.yml, the "
     "doc-builder's _toctree.yml) must name existing pages; the site "
     "build fails or shows a dead entry otherwise. Entries are resolved "
     "as the site does (relative to its folder of pages, extensionless "
     "for the doc-builder).\n\nExample: `- local: unit2/9` when "
     "unit2 has pages 1 to 8. Fix the entry or add the page."},
    {"link/case-mismatch", CLINT_SEV_ERROR,
     "a link's target exists only with other letter case",
     "The link works on case-insensitive file systems (macOS, Windows) "
     "but breaks on Linux CI and on the website.\n\nExample: "
     "`[plan](01_Weekly_Plan.md)` when the file is `01_weekly_plan.md`. "
     "Fix the letter case of the destination."},
    {"link/outside-root", CLINT_SEV_ERROR,
     "a relative link leaves the course root",
     "A relative link climbs above the course root with '..', so it "
     "cannot be resolved on the published site.\n\nExample: "
     "`[x](../../../notes.md)` from a page one folder deep. Link inside "
     "the course, or use a full URL."},
    {NULL, 0, NULL, NULL}};

/* The anchor of page t meant by a broken fragment: see suggest_near. */
static const char *nearest_anchor(struct lint *lt, struct page *t,
                                  const char *frag) {
  return suggest_near(lt->course, suggest_anchor_names(lt->course, t), frag,
                      strlen(frag), SUGGEST_ANY | SUGGEST_WHOLE);
}

/* What the checks of one page's links share. */
struct from {
  struct lint *lt;
  struct page *p;
  const struct site *site; /* that publishes the page, or NULL */
  const char *base;        /* the folder its links are relative to */
  bool toc;                /* the page is a site's table of contents */
  /* For a URL into the repository (checked from the root, as GitHub
   * shows it): the length of the URL before the path; else 0. */
  size_t url;
};

/* Make d (when not NULL) a finding about link l's missing target: its
 * kind and extent for the reports, and, since reference-style links are
 * fixed at their definition, where that definition is. */
static void mark_broken(struct page *p, struct diag *d, const struct link *l,
                        clint_diag_kind kind, const char *target) {
  if (!d)
    return;
  d->kind = kind;
  d->end = l->end;
  d->target = target;
  if (l->def_line)
    d->message = arena_printf(
        &p->arena, "%s (link defined at line %u)", d->message,
        formats_map_pos(p->map, (struct pos){l->def_line, 1}).line);
}

/* Rewrite a root-relative path the way the writer would: relative to the
 * folder the page's links start from, as the link was written. */
static const char *as_written(const struct from *f, const char *path,
                              bool folder) {
  const char *rel = path_relative(&f->p->arena, f->base, path);
  if (rel && folder)
    rel = arena_printf(&f->p->arena, "%s/", rel);
  return rel;
}

/* A page's name as the writer wrote the missing one, written[0, wlen):
 * by its published name x.html (which every site serves, see
 * site_resolve) when that is how the link was written. */
static const char *in_form(struct arena *a, const char *written, size_t wlen,
                           const char *name) {
  const char *dot = strrchr(name, '.');
  if (!dot || dot == name || formats_of(name) == FORMAT_NONE ||
      formats_of(name) == FORMAT_TOC || wlen <= 5 ||
      memcmp(written + wlen - 5, ".html", 5) != 0)
    return name;
  return arena_printf(a, "%.*s.html", (int)(dot - name), name);
}

/* The way to the file or folder at path (root-relative), named name: in
 * the folder of the missing path, the writer's own way there (dest[0,
 * wl)) with the name changed; elsewhere, the way from the folder the
 * links start from (from the root for a URL into the repository). */
static const char *way_named(const struct from *f, const char *dest, size_t wl,
                             const char *missing, const char *path,
                             const char *name) {
  struct arena *a = &f->p->arena;
  size_t sdl = path_dirname_len(path), mdl = path_dirname_len(missing);
  if (sdl == mdl && !strncmp(path, missing, sdl)) {
    size_t dl = wl;
    while (dl > 0 && dest[dl - 1] != '/')
      dl--;
    return arena_printf(a, "%.*s%s", (int)dl, dest, name);
  }
  char *dir = arena_strndup(a, path, sdl);
  char *full = dir ? path_join(a, dir, name, strlen(name)) : NULL;
  return full ? path_relative(a, f->base, full) : NULL;
}

/* Whether the site publishing f's page serves the page at path under
 * the link way (an extensionless URL): see site_resolve. */
static bool site_serves(const struct from *f, const char *way,
                        const char *path) {
  struct arena *a = &f->p->arena;
  size_t wl = strlen(way), bl = strlen(f->base);
  char *joined = arena_alloc(a, bl + wl + 2),
       *norm = arena_alloc(a, bl + wl + 2);
  bool folder;
  const char *to =
      joined && norm ? path_resolve(f->base, bl, way, wl, joined, norm, &folder)
                     : NULL;
  const char *alt =
      to ? site_resolve(f->lt->course, f->site, f->p->path, way, wl, to, a)
         : NULL;
  return alt && !strcmp(alt, path);
}

/* The way to suggestion s, written as the writer wrote the link (dest,
 * its path part plen bytes): see way_named; a folder with its '/', a
 * file without; a page by the name its site publishes it under when the
 * writer wrote the link that way (./2 for 2.mdx on the doc-builder). */
static const char *way_to(const struct from *f, const char *dest, size_t plen,
                          const char *missing, const struct suggestion *s) {
  struct arena *a = &f->p->arena;
  size_t wl = plen;
  while (wl > 0 && dest[wl - 1] == '/')
    wl--;
  size_t nl = wl;
  while (nl > 0 && dest[nl - 1] != '/')
    nl--;
  const char *file = path_basename(s->path), *dot = strrchr(file, '.');
  if (f->site && !s->folder && !memchr(dest + nl, '.', wl - nl) && dot &&
      dot != file && formats_of(file) != FORMAT_NONE &&
      formats_of(file) != FORMAT_TOC) {
    char *bare = arena_strndup(a, file, (size_t)(dot - file));
    const char *way =
        bare ? way_named(f, dest, wl, missing, s->path, bare) : NULL;
    if (way && site_serves(f, way, s->path))
      return way;
  }
  const char *way =
      way_named(f, dest, wl, missing, s->path, in_form(a, dest, wl, file));
  return way && s->folder ? arena_printf(a, "%s/", way) : way;
}

/* Characters a path may not hold to be written into a link as it is. */
static bool writable(const char *s) { return !strpbrk(s, " \t\r\n()<>%[]\\"); }

static void missing_target(const struct from *f, const struct link *l,
                           const char *dest, size_t plen, const char *path,
                           bool folder) {
  struct lint *lt = f->lt;
  struct page *p = f->p;
  struct diag *d;
  const char *what = l->image ? "image" : "link target";
  /* A run that reads this page only for what it says of some pages
   * keeps no finding about a link elsewhere: no search for its fix. */
  bool wanted = !lt->focus || lint_points_into(lt->focus, path);
  const char *alt =
      wanted ? index_case_match(lt->course, &p->arena, path) : NULL;
  if (alt) {
    const char *written = f->url
                              ? arena_printf(&p->arena, "%.*s%s%s", (int)f->url,
                                             l->dest, alt, folder ? "/" : "")
                              : as_written(f, alt, folder);
    d = lint_diag(lt, p, "link/case-mismatch", l->pos,
                  "%s '%s' matches a file only if letter case is ignored "
                  "(breaks on Linux and on the site)",
                  what, l->dest);
    if (d)
      d->suggestion = written ? written : alt;
    mark_broken(p, d, l, CLINT_KIND_LINK, arena_strdup(&p->arena, path));
    return;
  }
  d = f->toc ? lint_diag(lt, p, "link/toc-missing-page", l->pos,
                         "table of contents entry '%s' names no page", l->dest)
             : lint_diag(lt, p,
                         folder ? "link/missing-folder" : "link/missing-file",
                         l->pos, "%s '%s' does not exist", what, l->dest);
  mark_broken(p, d, l, CLINT_KIND_LINK, arena_strdup(&p->arena, path));
  /* A URL written where a path goes ("[https://host/x.md#a]" inside a
   * link) is fixed by writing it as a URL, not by a path to x.md. */
  struct suggestion s;
  const char *scheme = strstr(dest, "://");
  if (!d || !wanted || (scheme && scheme < dest + plen))
    return;
  /* The search tries many paths: they go in the thread's scratch, whose
   * memory serves search after search, and only the way written into the
   * suggestion stays with the page. */
  struct arena own, *search = lint_scratch_begin(lt, &own);
  const char *way =
      suggest_file(lt->course, f->base, dest, plen, path, folder, search, &s)
          ? way_to(f, dest, plen, path, &s)
          : NULL;
  lint_scratch_end(lt, search, &own);
  if (!way)
    return;
  /* The query and fragment stay with the file itself, moved; another
   * file's headings are not this one's. */
  d->suggestion = arena_printf(&p->arena, "%.*s%s%s", (int)f->url, l->dest, way,
                               s.moved ? dest + plen : "");
  /* --fix writes a file found elsewhere when the rule file asks, where
   * the link's path stands in the source as written. */
  const struct links_config *cfg = lt->rules->family[FAM_LINKS];
  if (cfg && cfg->fix_moved && s.moved && writable(way) &&
      l->dest_off != (size_t)-1) {
    d->has_fix = true;
    d->fix.offset = p->bom + l->dest_off + f->url;
    d->fix.length = plen;
    d->fix.text = way;
  }
}

/* Room on the stack for the paths of one link; longer ones go in the
 * page's arena. A page's arena lives as long as the run, and every link
 * of the course passes through here. */
#define SHORT_PATH 512

/* Whether byte c of an anchor cannot stand as itself in a link
 * destination: it would end it (space, control characters, '(' and ')',
 * '<' and '>'), be read as an escape ('\\', '&', '%'), or is not meant
 * for a URL. */
static bool fragment_escape(unsigned char c) {
  return c <= 0x20 || c == 0x7f ||
         (c < 0x80 && strchr("\"#%&'()<>[\\]^`{|}", c));
}

/* An anchor as a fix writes it after '#': percent-encoded where
 * fragment_escape says, so that the link stays a link and decodes back to
 * the anchor (an HTML id may hold any byte). NULL on no memory. */
static const char *as_fragment(struct arena *a, const char *id) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(id), extra = 0;
  for (size_t i = 0; i < n; i++)
    extra += fragment_escape((unsigned char)id[i]) ? 2 : 0;
  if (!extra)
    return id;
  char *out = arena_alloc(a, n + extra + 1), *o = out;
  for (size_t i = 0; out && i < n; i++) {
    unsigned char c = (unsigned char)id[i];
    if (fragment_escape(c)) {
      *o++ = '%';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    } else {
      *o++ = (char)c;
    }
  }
  if (out)
    *o = '\0';
  return out;
}

/* Record link l as a reference of p to target (a root-relative path) and,
 * when frag is not NULL, to that fragment of it (fraglen bytes, as
 * written: percent-decoded here). */
static void record(struct lint *lt, struct page *p, const struct link *l,
                   const char *target, const char *frag, size_t fraglen,
                   bool broken) {
  char small[SHORT_PATH];
  char *want = !frag                     ? NULL
               : fraglen < sizeof(small) ? small
                                         : arena_alloc(&p->arena, fraglen + 1);
  if (want)
    path_percent_decode(frag, fraglen, want);
  lint_ref(lt, p, l->image ? CLINT_REF_IMAGE : CLINT_REF_LINK, l->pos, l->end,
           frag ? "link/missing-anchor" : "link/missing-file", target,
           want && *want ? want : NULL, broken);
}

/* Check the fragment of link l against the anchors of page t; false when
 * it names none. */
static bool check_anchor(struct lint *lt, struct page *p, const struct link *l,
                         struct page *t, const char *frag, size_t fraglen) {
  char small[SHORT_PATH];
  char *want =
      fraglen < sizeof(small) ? small : arena_alloc(&p->arena, fraglen + 1);
  if (!want)
    return true;
  path_percent_decode(frag, fraglen, want);
  /* "#top" scrolls to the top in every browser (HTML standard). */
  if (!*want || !strcmp(want, "top") || page_anchor(t, want))
    return true;
  /* The target by its path from this page: several pages of a course
   * are called README.md. */
  const char *where = "this page";
  if (t != p) {
    char *dir = arena_strndup(&p->arena, p->path, path_dirname_len(p->path));
    where = dir ? path_relative(&p->arena, dir, t->path) : NULL;
    if (!where)
      where = path_basename(t->path);
  }
  struct diag *d = lint_diag(lt, p, "link/missing-anchor", l->pos,
                             "no heading '#%s' in %s", want, where);
  if (!d)
    return false;
  mark_broken(p, d, l, CLINT_KIND_ANCHOR,
              arena_printf(&p->arena, "%s#%s", t->path, want));
  const char *near = nearest_anchor(lt, t, want);
  if (near) {
    d->suggestion = arena_printf(&p->arena, "#%s", near);
    /* A fix only where one candidate is clearly meant and the fragment
     * stands in the source as written. */
    const char *src_frag =
        l->dest_off != (size_t)-1 ? strchr(l->dest, '#') : NULL;
    const struct links_config *cfg = lt->rules->family[FAM_LINKS];
    if (cfg && cfg->fix_anchors && src_frag &&
        strcmp(src_frag + 1, want) == 0) {
      const char *text = as_fragment(&p->arena, near);
      d->has_fix = text != NULL;
      d->fix.offset = p->bom + l->dest_off + (size_t)(src_frag - l->dest) + 1;
      d->fix.length = strlen(want);
      d->fix.text = text;
    }
  }
  return false;
}

/* The root-relative path a destination's path part (dest[0, len))
 * names from the folder f's links start from: see path_resolve. NULL
 * when it climbs above the root (or on no memory). */
static char *resolve_path(const struct from *f, const char *dest, size_t len,
                          bool *folder, char *joined, char *norm) {
  size_t dirlen = strlen(f->base);
  if (dirlen + len + 2 > SHORT_PATH) {
    joined = arena_alloc(&f->p->arena, dirlen + len + 2);
    norm = arena_alloc(&f->p->arena, dirlen + len + 2);
  }
  if (!joined || !norm)
    return NULL;
  return path_resolve(f->base, dirlen, dest, len, joined, norm, folder);
}

/* Under MkDocs a folder is a page only through its index.md or README.md. */
static void check_folder(const struct from *f, const struct link *l,
                         const char *path) {
  struct lint *lt = f->lt;
  struct page *p = f->p;
  if (!f->site || f->site->kind != SITE_MKDOCS || !path[0])
    return;
  char *idx = arena_printf(&p->arena, "%s/index.md", path);
  char *readme = arena_printf(&p->arena, "%s/README.md", path);
  if (!idx || !readme || index_type(lt->course, idx) == ENTRY_FILE ||
      index_type(lt->course, readme) == ENTRY_FILE)
    return;
  struct diag *d =
      lint_diag(lt, p, "link/folder-no-index", l->pos,
                "folder '%s' has no index.md or README.md to show", l->dest);
  if (d)
    d->end = l->end;
}

/* A URL into the repository is checked as a link from the root would
 * be, as GitHub shows the repository (no site's conventions). Its path
 * part is dest; the repository's root folder is "./". */
static const char *repo_link(const struct from *f, const struct link *l,
                             struct from *g) {
  size_t prefix;
  const char *rest = site_repo_path(f->lt->course, l->dest, &prefix);
  if (!rest)
    return NULL; /* counted in collect (lint.c) */
  *g = *f;
  g->base = "";
  g->site = NULL;
  g->url = prefix;
  return *rest && *rest != '#' && *rest != '?'
             ? rest
             : arena_printf(&f->p->arena, "./%s", rest);
}

/* A page outside every site's folder of pages that links a missing
 * x.html, while a site is configured above it: such pages are published
 * beside that site's pages (the Rust book's redirects/), so the link is
 * read from the site's folder. True when that reaches a page (*path set
 * to it) or leaves the site (*path NULL: a page of the wider web site,
 * not checked); false leaves the link as it was. */
static bool published_beside(const struct from *f, const char *dest,
                             size_t plen, char **path) {
  size_t wl = plen;
  while (wl && dest[wl - 1] != '/')
    wl--;
  if (plen - wl <= 5 || memcmp(dest + plen - 5, ".html", 5) != 0)
    return false;
  struct course *c = f->lt->course;
  const struct site *s = site_beside(c, f->p->path);
  if (!s)
    return false;
  struct arena *a = &f->p->arena;
  size_t bl = strlen(s->docs);
  char *tmp = arena_alloc(a, bl + plen + 2),
       *out = arena_alloc(a, bl + plen + 2);
  bool folder;
  const char *at =
      tmp && out ? path_resolve(s->docs, bl, dest, plen, tmp, out, &folder)
                 : NULL;
  if (!at) { /* above the course root: beyond the site too */
    *path = NULL;
    return true;
  }
  /* A page of the site's folder, for the site's own rules. */
  char *from = arena_printf(a, "%s%sindex.md", s->docs, *s->docs ? "/" : "");
  const char *alt = index_type(c, at) == ENTRY_FILE ? at
                    : from ? site_resolve(c, s, from, dest, plen, at, a)
                           : NULL;
  if (alt) {
    *path = (char *)alt;
    return true;
  }
  if (site_beyond(s, at, dest, plen)) {
    *path = NULL;
    return true;
  }
  return false;
}

static void check_link(const struct from *f, const struct link *l) {
  struct lint *lt = f->lt;
  struct page *p = f->p;
  const char *dest = l->dest;
  if (!*dest)
    return;
  struct from repo;
  if (l->external) {
    if (!(dest = repo_link(f, l, &repo)))
      return;
    f = &repo;
  } else if (path_is_template(dest)) {
    lint_count_ref(lt, p, true); /* nothing to check before the build */
    return;
  }
  size_t plen = strcspn(dest, "?#");
  const char *frag = strchr(dest, '#');
  size_t fraglen = frag ? strlen(frag + 1) : 0;
  /* #L10, #L3-L7: lines of a file's source as GitHub shows it (a blob
   * URL, or ?plain=1), not a heading. */
  if (frag && site_line_fragment(frag + 1) &&
      (f->url || (strstr(dest, "plain=1") && strstr(dest, "plain=1") < frag)))
    frag = NULL;
  if (plen == 0) {
    lint_count_ref(lt, p, false);
    if (frag)
      record(lt, p, l, p->path, frag + 1, fraglen,
             !check_anchor(lt, p, l, p, frag + 1, fraglen));
    return;
  }
  bool folder = false;
  char joined[SHORT_PATH], norm[SHORT_PATH];
  char *path = resolve_path(f, dest, plen, &folder, joined, norm);
  if (!path) {
    lint_count_ref(lt, p, false);
    struct diag *d = lint_diag(lt, p, "link/outside-root", l->pos,
                               "link '%s' leaves the course root", dest);
    /* No course path names the target: show it as written. */
    mark_broken(p, d, l, CLINT_KIND_LINK, dest);
    return;
  }
  enum entry_type type = index_type(lt->course, path);
  if (type == ENTRY_NONE || (folder && type == ENTRY_FILE)) {
    /* What the site serves under that name, if anything. */
    const char *alt =
        site_resolve(lt->course, f->site, p->path, dest, plen, path, &p->arena);
    if (alt) {
      path = (char *)alt;
      folder = false;
      type = index_type(lt->course, alt);
    } else if (site_beyond(f->site, path, dest, plen)) {
      lint_count_ref(lt, p, true); /* a page of the wider web site */
      return;
    } else if (!f->site && published_beside(f, dest, plen, &path)) {
      if (!path) {
        lint_count_ref(lt, p, true); /* beyond the site it sits beside */
        return;
      }
      folder = false;
      type = index_type(lt->course, path);
    }
  }
  lint_count_ref(lt, p, false);
  if (type == ENTRY_NONE || (folder && type == ENTRY_FILE)) {
    missing_target(f, l, dest, plen, path, folder);
    record(lt, p, l, path, NULL, 0, true);
  } else if (type == ENTRY_OTHER) {
    record(lt, p, l, path, NULL, 0, true);
    /* A symbolic link to nothing (or a loop), a FIFO, a socket: nothing a
     * site can serve. */
    struct diag *d = lint_diag(lt, p, "link/missing-file", l->pos,
                               "%s '%s' is not a file or folder (a broken "
                               "symbolic link?)",
                               l->image ? "image" : "link target", dest);
    mark_broken(p, d, l, CLINT_KIND_LINK, arena_strdup(&p->arena, path));
  } else if (type == ENTRY_DIR) {
    check_folder(f, l, path);
    /* The link reaches the page the folder shows (../11_qwen3 on GitHub:
     * its README.md, or README.ipynb: no orphan), and a fragment names a
     * heading there (../11_qwen3#pro-tip). */
    const char *shown = site_folder_page(lt->course, f->site, path, &p->arena);
    struct page *t = shown ? lint_page(lt, shown) : NULL;
    if (!t) {
      record(lt, p, l, path, NULL, 0, false);
    } else {
      bool found = !frag || check_anchor(lt, p, l, t, frag + 1, fraglen);
      record(lt, p, l, t->path, frag ? frag + 1 : NULL, fraglen, !found);
    }
  } else {
    struct page *t = lint_page(lt, path);
    /* Not a page (an image, a data file): no anchors to check. */
    bool found = !t || !frag || check_anchor(lt, p, l, t, frag + 1, fraglen);
    record(lt, p, l, path, t ? frag ? frag + 1 : NULL : NULL, fraglen, !found);
  }
}

/* A notebook's headings are reached as Jupyter names them too: the
 * heading's text with each space made '-', letter case and punctuation
 * kept ("#2.1-Tokenizing-text"). */
static void collect(struct lint *lt, struct page *p, const struct doc *doc) {
  (void)lt;
  (void)doc;
  if (formats_of(p->path) != FORMAT_NOTEBOOK)
    return;
  for (size_t i = 0; i < p->nheadings; i++) {
    char *id = arena_strdup(&p->arena, p->headings[i].text);
    for (char *c = id; c && *c; c++)
      if (*c == ' ')
        *c = '-';
    if (id && *id)
      page_add_anchor(p, id, &p->headings[i]);
  }
}

static void resolve(struct lint *lt, struct page *p) {
  char base[SHORT_PATH];
  struct from f = {.lt = lt,
                   .p = p,
                   .site = p->site,
                   .base = site_base(lt->course, p, base, sizeof(base)),
                   .toc = formats_of(p->path) == FORMAT_TOC};
  if (!f.base)
    return;
  for (size_t i = 0; i < p->nlinks; i++)
    check_link(&f, &p->links[i]);
}

static clint_status configure(struct rules *r, const char *file,
                              const char *key, const struct ynode *v,
                              clint_error *err) {
  static const char *const keys[] = {"fix_anchors", "fix_moved", NULL};
  struct links_config *cfg = r->family[FAM_LINKS];
  if (!cfg) {
    cfg = arena_alloc(&r->arena, sizeof(*cfg));
    if (!cfg)
      return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
    *cfg = (struct links_config){.dir_urls = -1};
    r->family[FAM_LINKS] = cfg;
  }
  if (strcmp(key, "links") != 0)
    return site_configure(cfg, &r->arena, file, key, v, err);
  clint_status st;
  if ((st = yaml_expect_map(file, v, keys, err)))
    return st;
  const struct ynode *n = yaml_get(v, "fix_anchors");
  if (n && (st = yaml_bool(file, n, &cfg->fix_anchors, err)))
    return st;
  n = yaml_get(v, "fix_moved");
  return n ? yaml_bool(file, n, &cfg->fix_moved, err) : CLINT_OK;
}

static void print_config(const struct rules *r, FILE *out) {
  const struct links_config *cfg = r->family[FAM_LINKS];
  fprintf(out, "links:\n  fix_anchors: %s\n  fix_moved: %s\n",
          cfg && cfg->fix_anchors ? "true" : "false",
          cfg && cfg->fix_moved ? "true" : "false");
  site_print_config(cfg, out);
}

static bool fixes_in_resolve(const struct rules *r) {
  const struct links_config *cfg = r->family[FAM_LINKS];
  return cfg && (cfg->fix_anchors || cfg->fix_moved);
}

static const char *const sections[] = {"links", "site", "repository", NULL};

const struct family links_family = {
    .name = "link",
    .rules = links_rules,
    .sections = sections,
    .configure = configure,
    .print_config = print_config,
    .collect = collect,
    .resolve = resolve,
    .fixes_in_resolve = fixes_in_resolve,
};
