/* site.c - the sites that publish a course (see site.h). A site is found
 * from the configuration nearest above a page, once per folder (cached in
 * the course, under its lock), and read once: MkDocs' docs_dir and
 * use_directory_urls, mdBook's src. Tables of contents become pages whose
 * text is one link per entry, so the link checks, suggestions and the
 * orphan list treat an entry as they treat a link. */
#include "site.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "formats.h"
#include "index.h"
#include "util/path.h"
#include "util/status.h"
#include "ytree.h"

/* The repository the course is, for URLs that point back into it. */
struct repo {
  bool github;        /* github.com's URLs; else GitLab's on host */
  const char *host;   /* "github.com", lower case */
  const char *path;   /* "owner/repo", "group/subgroup/repo" */
  const char *branch; /* the default branch, or NULL: main or master */
};

struct site_index {
  struct hmap at;    /* folder -> the site configured there, or &no_site */
  struct hmap pages; /* folder -> the site of its pages, or &no_site */
  bool forced_done;
  struct site *forced; /* the site a `site:` setting names, if any */
};

/* The cached answer "none": a constant, never written through. */
static const struct site no_site = {SITE_NONE, "", "", NULL, false};

static const struct links_config *settings(const struct course *c) {
  return c->rules->family[FAM_LINKS];
}

static enum site_kind setting(const struct course *c) {
  const struct links_config *cfg = settings(c);
  return cfg ? cfg->site : SITE_AUTO;
}

/* ---- settings --------------------------------------------------------------
 */

static const struct {
  const char *name;
  enum site_kind kind;
} kinds[] = {
    {"auto", SITE_AUTO},
    {"none", SITE_NONE},
    {"mkdocs", SITE_MKDOCS},
    {"mdbook", SITE_MDBOOK},
    {"doc-builder", SITE_DOCBUILDER},
    {"docusaurus", SITE_DOCUSAURUS},
    {"jekyll", SITE_JEKYLL},
    {"quarto", SITE_QUARTO},
};

static const char *kind_name(enum site_kind k) {
  for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
    if (kinds[i].kind == k)
      return kinds[i].name;
  return "auto";
}

static clint_status read_kind(const char *file, const struct ynode *n,
                              enum site_kind *out, clint_error *err) {
  const char *s;
  clint_status st = yaml_string(file, n, &s, err);
  if (st != CLINT_OK)
    return st;
  for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
    if (!strcmp(s, kinds[i].name)) {
      *out = kinds[i].kind;
      return CLINT_OK;
    }
  return yaml_error(err, file, n,
                    "unknown site '%s' (auto, none, mkdocs, mdbook, "
                    "doc-builder, docusaurus, jekyll or quarto)",
                    s);
}

/* A folder of the course as a setting: relative to the root, normalised. */
static clint_status read_folder(struct arena *a, const char *file,
                                const struct ynode *n, const char **out,
                                clint_error *err) {
  const char *s;
  clint_status st = yaml_string(file, n, &s, err);
  if (st != CLINT_OK)
    return st;
  char *norm = arena_alloc(a, strlen(s) + 1);
  if (!norm)
    return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  if (s[0] == '/' || !path_normalize(s, strlen(s), norm))
    return yaml_error(err, file, n, "'%s' is not a folder inside the course",
                      s);
  *out = norm;
  return CLINT_OK;
}

static clint_status configure_site(struct links_config *cfg, struct arena *a,
                                   const char *file, const struct ynode *v,
                                   clint_error *err) {
  static const char *const keys[] = {"generator", "docs", "directory_urls",
                                     NULL};
  if (v->kind == YNODE_SCALAR)
    return read_kind(file, v, &cfg->site, err);
  clint_status st;
  if ((st = yaml_expect_map(file, v, keys, err)))
    return st;
  const struct ynode *n;
  if ((n = yaml_get(v, "generator")) &&
      (st = read_kind(file, n, &cfg->site, err)))
    return st;
  if ((n = yaml_get(v, "docs")) &&
      (st = read_folder(a, file, n, &cfg->site_docs, err)))
    return st;
  bool b;
  if ((n = yaml_get(v, "directory_urls"))) {
    if ((st = yaml_bool(file, n, &b, err)))
      return st;
    cfg->dir_urls = b;
  }
  return CLINT_OK;
}

static clint_status configure_repository(struct links_config *cfg,
                                         const char *file,
                                         const struct ynode *v,
                                         clint_error *err) {
  static const char *const keys[] = {"url", "branch", NULL};
  if (v->kind == YNODE_SCALAR)
    return yaml_string(file, v, &cfg->repository, err);
  clint_status st;
  if ((st = yaml_expect_map(file, v, keys, err)))
    return st;
  const struct ynode *n;
  if ((n = yaml_get(v, "url")) &&
      (st = yaml_string(file, n, &cfg->repository, err)))
    return st;
  if ((n = yaml_get(v, "branch")) &&
      (st = yaml_string(file, n, &cfg->branch, err)))
    return st;
  return CLINT_OK;
}

clint_status site_configure(struct links_config *cfg, struct arena *a,
                            const char *file, const char *key,
                            const struct ynode *v, clint_error *err) {
  if (!strcmp(key, "site"))
    return configure_site(cfg, a, file, v, err);
  return configure_repository(cfg, file, v, err);
}

void site_print_config(const struct links_config *cfg, FILE *out) {
  fprintf(out, "site:\n  generator: %s\n", kind_name(cfg ? cfg->site : 0));
  if (cfg && cfg->site_docs) {
    fputs("  docs: ", out);
    yaml_print_str(out, cfg->site_docs);
    fputc('\n', out);
  }
  if (cfg && cfg->dir_urls >= 0)
    fprintf(out, "  directory_urls: %s\n", cfg->dir_urls ? "true" : "false");
  if (cfg && (cfg->repository || cfg->branch)) {
    fputs("repository:\n", out);
    if (cfg->repository) {
      fputs("  url: ", out);
      yaml_print_str(out, cfg->repository);
      fputc('\n', out);
    }
    if (cfg->branch) {
      fputs("  branch: ", out);
      yaml_print_str(out, cfg->branch);
      fputc('\n', out);
    }
  }
}

/* ---- reading configurations ---------------------------------------------- */

/* The YAML of a configuration or a table of contents, event by event:
 * each scalar that is a value (not a key) is handed to fn with the key
 * above it in the top-level mapping and the key it is the value of (or,
 * for a sequence item, the key of the sequence). Anchors and aliases are
 * not followed. */
struct yscalar {
  const char *value;
  size_t len;
  const char *top;    /* the top-level key above it, or NULL */
  const char *parent; /* the key it is the value of, or NULL */
  unsigned depth;     /* mappings and sequences around it */
  unsigned line, col; /* 1-based */
};

typedef bool (*yscalar_fn)(void *ctx, const struct yscalar *s);

enum { YAML_DEPTH = 64, YAML_KEY = 256 };

struct yframe {
  bool map, want_key;
  char key[YAML_KEY]; /* the last key of a mapping */
};

/* Returns false with *line, *col and *problem on a YAML error. */
static bool yaml_scalars(const char *text, size_t len, yscalar_fn fn, void *ctx,
                         unsigned *line, unsigned *col, const char **problem) {
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p)) {
    *problem = "out of memory";
    *line = *col = 1;
    return false;
  }
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  struct yframe *st = calloc(YAML_DEPTH, sizeof(*st));
  size_t depth = 0, over = 0; /* frames past YAML_DEPTH are counted only */
  bool ok = st != NULL, done = false;
  while (ok && !done) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&p, &ev)) {
      ok = false;
      break;
    }
    struct yframe *top = depth ? &st[depth - 1] : NULL;
    switch (ev.type) {
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
      if (top && top->map && !over)
        top->want_key = true; /* the collection was a key's value */
      if (depth == YAML_DEPTH || over) {
        over++;
      } else {
        st[depth] =
            (struct yframe){ev.type == YAML_MAPPING_START_EVENT, true, ""};
        depth++;
      }
      break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
      if (over)
        over--;
      else if (depth)
        depth--;
      break;
    case YAML_SCALAR_EVENT:
    case YAML_ALIAS_EVENT:
      if (over || !top)
        break;
      if (top->map && top->want_key) {
        size_t n = ev.type == YAML_SCALAR_EVENT ? ev.data.scalar.length : 0;
        if (n >= YAML_KEY)
          n = YAML_KEY - 1;
        if (n)
          memcpy(top->key, ev.data.scalar.value, n);
        top->key[n] = '\0';
        top->want_key = false;
        break;
      }
      if (top->map)
        top->want_key = true;
      if (ev.type == YAML_ALIAS_EVENT)
        break;
      {
        const struct yframe *owner = top->map ? top : NULL;
        for (size_t k = depth; !owner && k-- > 0;)
          if (st[k].map)
            owner = &st[k];
        struct yscalar s = {(const char *)ev.data.scalar.value,
                            ev.data.scalar.length,
                            st[0].map ? st[0].key : NULL,
                            owner ? owner->key : NULL,
                            (unsigned)depth,
                            (unsigned)ev.start_mark.line + 1,
                            (unsigned)ev.start_mark.column + 1};
        if (!fn(ctx, &s))
          done = true;
      }
      break;
    default:
      break;
    }
    yaml_event_delete(&ev);
  }
  if (!ok) {
    *problem = p.problem ? p.problem : st ? "invalid YAML" : "out of memory";
    *line = (unsigned)p.problem_mark.line + 1;
    *col = (unsigned)p.problem_mark.column + 1;
  }
  free(st);
  yaml_parser_delete(&p);
  return ok;
}

/* Read a configuration's text; false when it cannot be read or is over
 * 1 MiB (its defaults then). */
#define CONFIG_MAX ((size_t)1 << 20)

static bool read_config(struct course *c, const char *path,
                        struct source *src) {
  clint_error err;
  char *full =
      c->has_root_fd ? NULL : arena_printf(&c->arena, "%s/%s", c->root, path);
  clint_status st = c->has_root_fd
                        ? scan_read_file_at(c->root_fd, path, src, &err)
                    : full ? scan_read_file(full, src, &err)
                           : CLINT_E_NOMEM;
  if (st != CLINT_OK)
    return false;
  if (src->len > CONFIG_MAX) {
    scan_free(src);
    return false;
  }
  return true;
}

struct mkdocs_config {
  struct arena *a;
  const char *docs_dir;
  int dir_urls;
};

static bool on_mkdocs(void *ctx, const struct yscalar *s) {
  struct mkdocs_config *m = ctx;
  if (s->depth != 1 || !s->parent)
    return true;
  if (!strcmp(s->parent, "docs_dir"))
    m->docs_dir = arena_strndup(m->a, s->value, s->len);
  else if (!strcmp(s->parent, "use_directory_urls"))
    m->dir_urls = !(s->len == 5 && !strncmp(s->value, "false", 5));
  return true;
}

/* [book] src = "..." in book.toml: its one setting that matters here. */
static const char *mdbook_src(struct arena *a, const struct source *src) {
  bool book = false;
  for (unsigned ln = 1; ln <= src->nlines; ln++) {
    size_t n;
    const char *s = scan_line(src, ln, &n);
    while (n && (*s == ' ' || *s == '\t'))
      s++, n--;
    if (n && s[0] == '[') {
      book = n >= 6 && !strncmp(s, "[book]", 6);
      continue;
    }
    if (!book || n < 3 || strncmp(s, "src", 3) != 0)
      continue;
    const char *q = memchr(s, '"', n);
    const char *e = q ? memchr(q + 1, '"', n - (size_t)(q + 1 - s)) : NULL;
    if (e)
      return arena_strndup(a, q + 1, (size_t)(e - q - 1));
  }
  return NULL;
}

/* The files that configure a site, by the kind they configure. */
static const struct {
  const char *name;
  enum site_kind kind;
} configs[] = {
    {"mkdocs.yml", SITE_MKDOCS},
    {"mkdocs.yaml", SITE_MKDOCS},
    {"book.toml", SITE_MDBOOK},
    {"_toctree.yml", SITE_DOCBUILDER},
    {"_quarto.yml", SITE_QUARTO},
    {"docusaurus.config.js", SITE_DOCUSAURUS},
    {"docusaurus.config.ts", SITE_DOCUSAURUS},
    {"docusaurus.config.mjs", SITE_DOCUSAURUS},
    {"docusaurus.config.cjs", SITE_DOCUSAURUS},
    {"_config.yml", SITE_JEKYLL},
};

/* dir + "/" + rel, normalised, when that folder exists; else dir. */
static const char *subfolder(struct course *c, const char *dir,
                             const char *rel) {
  if (!rel || !*rel)
    return dir;
  char *joined = path_join(&c->arena, dir, rel, strlen(rel));
  char *norm = joined ? arena_alloc(&c->arena, strlen(joined) + 1) : NULL;
  if (!norm || rel[0] == '/' || !path_normalize(joined, strlen(joined), norm))
    return dir;
  return index_type(c, norm) == ENTRY_DIR ? norm : dir;
}

/* A site of the given kind configured in folder dir by file config (NULL
 * when forced by a setting without one), with its settings read. */
static struct site *make_site(struct course *c, enum site_kind kind,
                              const char *dir, const char *config) {
  struct site *s = arena_alloc(&c->arena, sizeof(*s));
  if (!s)
    return NULL;
  *s = (struct site){kind, dir, dir, config, false};
  struct source src;
  bool have = config && read_config(c, config, &src);
  if (kind == SITE_MKDOCS) {
    struct mkdocs_config m = {&c->arena, "docs", 1};
    unsigned l, col;
    const char *problem;
    if (have)
      yaml_scalars(src.text, src.len, on_mkdocs, &m, &l, &col, &problem);
    s->docs = subfolder(c, dir, m.docs_dir);
    s->dir_urls = m.dir_urls;
  } else if (kind == SITE_MDBOOK) {
    const char *srcdir = have ? mdbook_src(&c->arena, &src) : NULL;
    s->docs = subfolder(c, dir, srcdir ? srcdir : "src");
  } else if (kind == SITE_JEKYLL || kind == SITE_DOCUSAURUS) {
    s->dir_urls = false;
  }
  if (have)
    scan_free(&src);
  const struct links_config *cfg = settings(c);
  if (cfg && cfg->site != SITE_AUTO && cfg->site_docs)
    s->docs = cfg->site_docs;
  if (cfg && cfg->dir_urls >= 0)
    s->dir_urls = cfg->dir_urls;
  return s;
}

static struct site_index *sites(struct course *c) {
  if (!c->sites) {
    c->sites = arena_alloc(&c->arena, sizeof(struct site_index));
    if (c->sites) {
      memset(c->sites, 0, sizeof(*c->sites));
      hmap_init(&c->sites->at);
      hmap_init(&c->sites->pages);
    }
  }
  return c->sites;
}

/* The site configured in folder dir, or NULL. Under the course lock. */
static const struct site *configured_at(struct course *c, const char *dir) {
  struct site_index *x = sites(c);
  if (!x)
    return NULL;
  size_t len = strlen(dir);
  const struct site *s = hmap_get(&x->at, dir, len);
  if (s)
    return s == &no_site ? NULL : s;
  /* The course's own copy: the site keeps it as its root, and the map
   * as its key (dir may be the caller's scratch). */
  const char *key = arena_strdup(&c->arena, dir);
  if (!key)
    return NULL;
  struct dir *d = index_dir(c, key);
  const struct site *found = NULL;
  for (size_t i = 0;
       d && d->exists && !found && i < sizeof(configs) / sizeof(configs[0]);
       i++) {
    const struct entry *e =
        index_entry(d, configs[i].name, strlen(configs[i].name));
    if (e && e->type == ENTRY_FILE) {
      char *config = path_join(&c->arena, key, e->name, e->len);
      found = config ? make_site(c, configs[i].kind, key, config) : NULL;
    }
  }
  hmap_put(&x->at, key, len, (void *)(found ? found : &no_site));
  return found;
}

/* The site a `site:` setting names: the course root, with the setting's
 * folder of pages, else the one its configuration there names. */
static const struct site *forced_site(struct course *c) {
  struct site_index *x = sites(c);
  if (!x)
    return NULL;
  if (!x->forced_done) {
    x->forced_done = true;
    enum site_kind k = setting(c);
    const struct site *at = configured_at(c, "");
    x->forced = make_site(c, k, "", at && at->kind == k ? at->config : NULL);
    if (x->forced && !(at && at->kind == k) && !settings(c)->site_docs) {
      if (k == SITE_MKDOCS)
        x->forced->docs = subfolder(c, "", "docs");
      else if (k == SITE_MDBOOK)
        x->forced->docs = subfolder(c, "", "src");
      if (k == SITE_MKDOCS && settings(c)->dir_urls < 0)
        x->forced->dir_urls = true;
    }
  }
  return x->forced;
}

static bool inside(const char *path, const char *folder) {
  size_t n = strlen(folder);
  return n == 0 || (!strncmp(path, folder, n) && (path[n] == '/' || !path[n]));
}

/* The nearest site configured in a folder above page path (the course
 * lock held) whose folder of pages holds the page (pages set) or does
 * not, or NULL. */
static const struct site *config_above(struct course *c, const char *path,
                                       bool pages) {
  size_t dl = path_dirname_len(path);
  char *dir = malloc(dl + 1);
  if (!dir)
    return NULL;
  memcpy(dir, path, dl);
  const struct site *found = NULL;
  for (size_t n = dl; !found; n = path_dirname_len(dir)) {
    dir[n] = '\0';
    const struct site *at = configured_at(c, dir);
    bool holds = at && inside(path, at->docs) && path[strlen(at->docs)];
    if (at && holds == pages)
      found = at;
    if (n == 0)
      break;
  }
  free(dir);
  return found;
}

const struct site *site_of(struct course *c, const char *path) {
  enum site_kind k = setting(c);
  if (k == SITE_NONE)
    return NULL;
  size_t dl = path_dirname_len(path);
  pthread_mutex_lock(&c->lock);
  struct site_index *x = sites(c);
  const struct site *s = x ? hmap_get(&x->pages, path, dl) : NULL;
  if (x && !s) {
    const struct site *found = NULL;
    if (k != SITE_AUTO) {
      found = forced_site(c);
      char *dir = found ? strndup(path, dl) : NULL;
      if (found && (!dir || !inside(dir, found->docs)))
        found = NULL;
      free(dir);
    } else {
      found = config_above(c, path, true);
    }
    s = found ? found : &no_site;
    const char *key = arena_strndup(&c->arena, path, dl);
    if (key)
      hmap_put(&x->pages, key, dl, (void *)s);
  }
  pthread_mutex_unlock(&c->lock);
  return s == &no_site ? NULL : s;
}

struct site_ask {
  struct dir *d;
  const char *path;
};

static void find_site(struct course *c, void *arg) {
  struct site_ask *a = arg;
  a->d->site = site_of(c, a->path);
}

const struct site *site_of_in(struct course *c, struct dir *d,
                              const char *path) {
  if (!d)
    return site_of(c, path);
  index_once(c, &d->site_known, find_site, &(struct site_ask){d, path});
  return d->site;
}

const struct site *site_beside(struct course *c, const char *path) {
  if (setting(c) != SITE_AUTO)
    return NULL;
  pthread_mutex_lock(&c->lock);
  const struct site *found = config_above(c, path, false);
  pthread_mutex_unlock(&c->lock);
  return found;
}

const struct site *site_of_config(struct course *c, const char *path) {
  enum site_kind k = setting(c);
  if (k == SITE_NONE)
    return NULL;
  pthread_mutex_lock(&c->lock);
  const struct site *s = NULL;
  if (k != SITE_AUTO) {
    s = forced_site(c); /* a setting names the one site */
  } else {
    char *dir = strndup(path, path_dirname_len(path));
    s = dir ? configured_at(c, dir) : NULL;
    free(dir);
  }
  if (s && (!s->config || strcmp(s->config, path) != 0))
    s = NULL;
  pthread_mutex_unlock(&c->lock);
  return s;
}

enum anchor_style site_anchor_style(const struct course *c,
                                    const struct site *s) {
  if (c->rules->anchors != ANCHOR_AUTO)
    return c->rules->anchors;
  if (s && s->kind == SITE_MKDOCS)
    return ANCHOR_MKDOCS;
  if (s && s->kind == SITE_QUARTO)
    return ANCHOR_PANDOC;
  return ANCHOR_GITHUB;
}

/* ---- links as a site serves them -------------------------------------------
 */

/* The page name + one of the page extensions in folder d (at path dir),
 * when it is a file: its root-relative path (in a). */
static const char *page_in(struct course *c, struct dir *d, const char *dir,
                           size_t dl, const char *name, size_t nl,
                           struct arena *a) {
  char small[256];
  char *buf = nl + 16 <= sizeof(small) ? small : arena_alloc(a, nl + 16);
  if (!buf)
    return NULL;
  memcpy(buf, name, nl);
  for (size_t k = 0; formats_page_exts[k]; k++) {
    strcpy(buf + nl, formats_page_exts[k]);
    if (index_type_in(c, d, buf) == ENTRY_FILE)
      return dl ? arena_printf(a, "%.*s/%s", (int)dl, dir, buf)
                : arena_strdup(a, buf);
  }
  return NULL;
}

/* stem[0, n) + one of the page extensions, when it is a file (in a). */
static const char *page_named(struct course *c, const char *stem, size_t n,
                              struct arena *a) {
  size_t dl = n;
  while (dl > 0 && stem[dl - 1] != '/')
    dl--;
  char small[512];
  char *dir = dl <= sizeof(small) ? small : arena_alloc(a, dl);
  if (!dir)
    return NULL;
  memcpy(dir, stem, dl ? dl - 1 : 0);
  dir[dl ? dl - 1 : 0] = '\0';
  struct dir *d = index_dir(c, dir);
  if (!d || !d->exists)
    return NULL;
  return page_in(c, d, dir, dl ? dl - 1 : 0, stem + dl, n - dl, a);
}

const char *site_folder_page(struct course *c, const struct site *s,
                             const char *dir, struct arena *a) {
  /* GitHub and GitLab show a folder's README; a site its index page, or
   * its README (MkDocs, mdBook, Docusaurus make one of it). */
  static const char *const readme[] = {"README", "readme", "Readme", NULL};
  static const char *const site[] = {"index", "README", "readme", NULL};
  struct dir *d = index_dir(c, dir);
  if (!d || !d->exists)
    return NULL;
  size_t dl = strlen(dir);
  for (const char *const *n = s ? site : readme; *n; n++) {
    const char *p = page_in(c, d, dir, dl, *n, strlen(*n), a);
    if (p)
      return p;
  }
  return NULL;
}

static bool has_ext(const char *path, size_t n, const char *ext) {
  size_t k = strlen(ext);
  return n > k && !strncmp(path + n - k, ext, k);
}

/* The names a missing path may be served under. */
static const char *served(struct course *c, const struct site *s,
                          const char *path, bool folder, struct arena *a) {
  size_t n = strlen(path);
  const char *base = path_basename(path);
  if (has_ext(path, n, ".html")) {
    /* x.html is the page x.md (MkDocs, mdBook, Jekyll, Quarto: accepted
     * without a site too, as authors write it for one); on a site, a
     * folder's index.html is its README or index page, and mdBook makes
     * one for its book's root whatever that holds. */
    const char *p = page_named(c, path, n - 5, a);
    if (!p && s && !strcmp(base, "index.html")) {
      char *dir = arena_strndup(a, path, path_dirname_len(path));
      p = dir ? site_folder_page(c, s, dir, a) : NULL;
      if (!p && dir && s->kind == SITE_MDBOOK && !strcmp(dir, s->docs))
        p = dir;
    }
    return p;
  }
  if (!s)
    return NULL;
  /* x/ is the page x.md where pages are folders; x is x.md wherever a
   * site drops the extension from its URLs. */
  if (folder ? s->dir_urls : !strchr(base, '.'))
    return page_named(c, path, n, a);
  return NULL;
}

const char *site_resolve(struct course *c, const struct site *s,
                         const char *from, const char *dest, size_t dlen,
                         const char *path, struct arena *a) {
  bool folder = dlen && dest[dlen - 1] == '/';
  const char *p = served(c, s, path, folder, a);
  if (p || !s || s->kind != SITE_MKDOCS || !s->dir_urls)
    return p;
  /* MkDocs publishes a/b.md as a/b/: a link written as a URL (not to a
   * .md file) is relative to that folder. */
  const char *base = path_basename(from);
  if (!strcmp(base, "index.md") || !strcmp(base, "README.md") ||
      has_ext(dest, dlen, ".md"))
    return NULL;
  size_t bl =
      strlen(from) - strlen(strrchr(base, '.') ? strrchr(base, '.') : "");
  char *tmp = arena_alloc(a, bl + dlen + 2),
       *out = arena_alloc(a, bl + dlen + 2);
  bool f;
  const char *q =
      tmp && out ? path_resolve(from, bl, dest, dlen, tmp, out, &f) : NULL;
  if (!q)
    return NULL;
  enum entry_type t = index_type(c, q);
  if (t == ENTRY_DIR || (t == ENTRY_FILE && !f))
    return q;
  return served(c, s, q, f, a);
}

bool site_beyond(const struct site *s, const char *path, const char *dest,
                 size_t dlen) {
  if (!s || inside(path, s->docs))
    return false;
  const char *base = dest;
  for (size_t i = 0; i + 1 < dlen; i++)
    if (dest[i] == '/')
      base = dest + i + 1;
  size_t bl = (size_t)(dest + dlen - base);
  return (dlen && dest[dlen - 1] == '/') || has_ext(base, bl, ".html") ||
         !memchr(base, '.', bl);
}

const char *site_base(struct course *c, struct page *p, char *buf,
                      size_t size) {
  if (formats_of(p->path) == FORMAT_TOC) {
    const struct site *s = site_of_config(c, p->path);
    if (s)
      return s->docs;
  }
  size_t n = path_dirname_len(p->path);
  if (n >= size)
    return arena_strndup(&p->arena, p->path, n);
  memcpy(buf, p->path, n);
  buf[n] = '\0';
  return buf;
}

/* ---- tables of contents ----------------------------------------------------
 */

struct toc {
  bool mkdocs; /* nav: entries; else _toctree.yml's local: */
  struct buf out;
  struct vec lines; /* struct srcmap_line */
  unsigned line;    /* the text line being written */
  bool nomem;
};

static bool on_toc(void *ctx, const struct yscalar *s) {
  struct toc *t = ctx;
  bool entry = t->mkdocs ? s->top && !strcmp(s->top, "nav") && s->depth > 1
                         : s->parent && !strcmp(s->parent, "local");
  if (!entry || !s->len || memchr(s->value, '\n', s->len) ||
      memchr(s->value, '<', s->len) || memchr(s->value, '>', s->len) ||
      memchr(s->value, '\r', s->len))
    return true;
  /* Each entry on the text line of its file line where it can, so the
   * entry's line needs no map; its column does. */
  while (t->line < s->line && !t->nomem) {
    t->nomem |= !buf_putc(&t->out, '\n');
    t->line++;
  }
  struct srcmap_line *l = vec_push(&t->lines);
  if (!l || !buf_printf(&t->out, "[](<%.*s>)\n", (int)s->len, s->value)) {
    t->nomem = true;
    return false;
  }
  *l = (struct srcmap_line){t->line, s->line, s->col, 0, 0};
  t->line++;
  return true;
}

clint_status site_toc_read(struct course *c, struct page *p, const char *name,
                           struct source *src, clint_error *err) {
  const struct site *s = site_of_config(c, p->path);
  struct toc t = {.mkdocs = s && s->kind == SITE_MKDOCS, .line = 1};
  buf_init(&t.out);
  vec_init(&t.lines, sizeof(struct srcmap_line));
  unsigned line = 1, col = 1;
  const char *problem = NULL;
  bool ok = !s || yaml_scalars(src->text, src->len, on_toc, &t, &line, &col,
                               &problem);
  scan_free(src);
  clint_status st = CLINT_OK;
  struct srcmap *m = arena_alloc(&p->arena, sizeof(*m));
  struct srcmap_line *lines =
      arena_alloc(&p->arena, (t.lines.len ? t.lines.len : 1) * sizeof(*lines));
  if (!ok)
    st = status_set(err, CLINT_E_IO, name, line, col,
                    "not a valid table of contents: %s", problem);
  else if (t.nomem || !m || !lines ||
           scan_from_mem(t.out.data ? t.out.data : "", t.out.len, src) !=
               CLINT_OK)
    st = status_set(err, CLINT_E_NOMEM, name, 0, 0, "out of memory");
  if (st == CLINT_OK) {
    if (t.lines.len) /* an empty vec's data is NULL: no memcpy */
      memcpy(lines, t.lines.data, t.lines.len * sizeof(*lines));
    *m = (struct srcmap){lines, t.lines.len, NULL};
    p->map = m;
  }
  buf_free(&t.out);
  vec_free(&t.lines);
  return st;
}

/* ---- the repository itself -------------------------------------------------
 */

/* A remote's URL as host and repository path (scp-like git@host:o/r.git,
 * ssh://, git://, https:// with or without user info; ".git" and a
 * trailing '/' dropped). False when it is not one. */
static bool split_remote(struct arena *a, const char *url, struct repo *r) {
  const char *s = url;
  const char *scheme = strstr(s, "://");
  bool scp = !scheme;
  if (scheme)
    s = scheme + 3;
  const char *slash = strchr(s, '/'), *at = strchr(s, '@');
  if (at && (!slash || at < slash))
    s = at + 1;
  size_t hl = strcspn(s, ":/");
  if (!hl || !s[hl])
    return false;
  const char *rest = s + hl;
  if (*rest == ':' && !scp) /* a port: host:22/path */
    rest += strcspn(rest, "/");
  if (*rest == ':' || *rest == '/')
    rest++;
  size_t pl = strlen(rest);
  while (pl && rest[pl - 1] == '/')
    pl--;
  if (pl > 4 && !strncmp(rest + pl - 4, ".git", 4))
    pl -= 4;
  if (!pl || !memchr(rest, '/', pl))
    return false;
  char *host = arena_strndup(a, s, hl);
  r->path = arena_strndup(a, rest, pl);
  if (!host || !r->path)
    return false;
  for (char *h = host; *h; h++)
    *h = (char)(*h >= 'A' && *h <= 'Z' ? *h + 32 : *h);
  r->host = !strncmp(host, "www.", 4) ? host + 4 : host;
  r->github = !strcmp(r->host, "github.com");
  return true;
}

/* The text of a file inside the course reached through no symbolic link
 * (so that a course cannot make us read outside it), or NULL. */
static bool read_plain(struct course *c, const char *path, struct source *src) {
  return index_type(c, path) == ENTRY_FILE && !index_has_symlink(c, path) &&
         read_config(c, path, src);
}

/* url = ... in [remote "origin"] of .git/config. */
static const char *origin_url(struct course *c) {
  struct source src;
  if (!read_plain(c, ".git/config", &src))
    return NULL;
  const char *url = NULL;
  bool origin = false;
  for (unsigned ln = 1; ln <= src.nlines && !url; ln++) {
    size_t n;
    const char *s = scan_line(&src, ln, &n);
    while (n && (*s == ' ' || *s == '\t'))
      s++, n--;
    if (n && *s == '[') {
      origin = n >= 17 && !strncmp(s, "[remote \"origin\"]", 17);
      continue;
    }
    if (!origin || n < 3 || strncmp(s, "url", 3) != 0)
      continue;
    size_t i = 3;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
      i++;
    if (i >= n || s[i] != '=')
      continue;
    for (i++; i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '"');)
      i++;
    size_t e = n;
    while (e > i && (s[e - 1] == ' ' || s[e - 1] == '"' || s[e - 1] == '\r'))
      e--;
    url = arena_strndup(&c->arena, s + i, e - i);
  }
  scan_free(&src);
  return url;
}

/* The branch origin's HEAD names (refs/remotes/origin/HEAD), or NULL. */
static const char *origin_head(struct course *c) {
  struct source src;
  if (!read_plain(c, ".git/refs/remotes/origin/HEAD", &src))
    return NULL;
  size_t n;
  const char *s = scan_line(&src, 1, &n);
  static const char ref[] = "ref: refs/remotes/origin/";
  const char *b =
      n > sizeof(ref) - 1 && !strncmp(s, ref, sizeof(ref) - 1)
          ? arena_strndup(&c->arena, s + sizeof(ref) - 1, n - (sizeof(ref) - 1))
          : NULL;
  scan_free(&src);
  return b;
}

static void find_repo(struct course *c, void *arg) {
  (void)arg;
  const struct links_config *cfg = settings(c);
  const char *url = cfg && cfg->repository ? cfg->repository : NULL;
  bool git = index_type(c, ".git") == ENTRY_DIR;
  if (!url && git)
    url = origin_url(c);
  struct repo *r = arena_alloc(&c->arena, sizeof(*r));
  if (r && url && split_remote(&c->arena, url, r)) {
    r->branch = cfg && cfg->branch ? cfg->branch : git ? origin_head(c) : NULL;
    c->repo = r;
  }
}

/* The repository the course is, or NULL: every external link of every
 * page asks. */
static const struct repo *repo_of(struct course *c) {
  index_once(c, &c->repo_known, find_repo, NULL);
  return c->repo;
}

/* s after prefix p (ASCII case ignored), or NULL. */
static const char *after(const char *s, const char *p) {
  size_t n = strlen(p);
  return strncasecmp(s, p, n) ? NULL : s + n;
}

/* s after the branch and its '/' when the branch is the default one
 * (HEAD always is), else NULL. A URL may end at the branch. */
static const char *after_branch(const struct repo *r, const char *s) {
  const char *const guess[] = {"main", "master", NULL};
  const char *const named[] = {r->branch, NULL};
  const char *const *branches = r->branch ? named : guess;
  for (int k = -1; k < 0 || branches[k]; k++) {
    const char *b = k < 0 ? "HEAD" : branches[k];
    size_t n = strlen(b);
    if (!strncmp(s, b, n) &&
        (s[n] == '/' || !s[n] || s[n] == '#' || s[n] == '?'))
      return s + n + (s[n] == '/');
  }
  return NULL;
}

const char *site_repo_path(struct course *c, const char *url, size_t *prefix) {
  const char *s = after(url, "https://");
  if (!s)
    s = after(url, "http://");
  if (!s)
    return NULL;
  if (after(s, "www."))
    s += 4;
  const struct repo *r = repo_of(c);
  if (!r)
    return NULL;
  const char *rest = NULL, *t;
  if (r->github && (t = after(s, "raw.githubusercontent.com/"))) {
    if ((t = after(t, r->path)) && *t == '/') {
      t++;
      if (after(t, "refs/heads/"))
        t += 11;
      rest = after_branch(r, t);
    }
  } else if ((t = after(s, r->host)) && *t == '/' &&
             (t = after(t + 1, r->path)) && *t == '/') {
    t++;
    if (!r->github && !(t = after(t, "-/")))
      return NULL;
    const char *v = after(t, "blob/");
    if (!v)
      v = after(t, "tree/");
    if (!v)
      v = after(t, "raw/");
    rest = v ? after_branch(r, v) : NULL;
  }
  if (rest)
    *prefix = (size_t)(rest - url);
  return rest;
}

bool site_checks_link(struct course *c, const struct link *l) {
  if (!l->external)
    return true;
  size_t prefix;
  return (l->dest[0] == 'h' || l->dest[0] == 'H') &&
         site_repo_path(c, l->dest, &prefix);
}

bool site_line_fragment(const char *frag) {
  const char *p = frag;
  for (int part = 0; part < 2; part++) {
    if (*p != 'L')
      return false;
    p++;
    if (*p < '0' || *p > '9')
      return false;
    while (*p >= '0' && *p <= '9')
      p++;
    if (*p == 'C') {
      p++;
      while (*p >= '0' && *p <= '9')
        p++;
    }
    if (*p != '-')
      break;
    p++;
  }
  return *p == '\0';
}

void site_free(struct course *c) {
  if (c->sites) {
    hmap_free(&c->sites->at);
    hmap_free(&c->sites->pages);
    c->sites = NULL;
  }
}
