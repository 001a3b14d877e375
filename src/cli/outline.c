/* outline.c - `courselint --outline`: the course as the linter reads it.
 * Module folders with the page that plays each role and the numbered
 * headings of numbered roles, then the folders of numbered pages outside
 * modules. Writing a rule file starts here: what is not listed is not
 * what the rules think it is. Uses only the public API. */
#include "outline.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Array v (n items used of *cap, each size bytes) with room for one
 * more: v itself, or v doubled from first items when full (*cap
 * updated); NULL on no memory, v then left as it was. */
static void *with_room(void *v, size_t n, size_t *cap, size_t size,
                       size_t first) {
  if (n < *cap)
    return v;
  size_t grown = *cap ? 2 * *cap : first;
  void *more = realloc(v, grown * size);
  if (more)
    *cap = grown;
  return more;
}

/* ---- the pages --------------------------------------------------------- */

struct pages {
  char **v;
  size_t n, cap;
  bool nomem;
};

static bool add_page(const char *path, void *ctx) {
  struct pages *ps = ctx;
  char **v = with_room(ps->v, ps->n, &ps->cap, sizeof(*v), 64);
  if (v)
    ps->v = v;
  if (!v || !(ps->v[ps->n] = strdup(path))) {
    ps->nomem = true;
    return false;
  }
  ps->n++;
  return true;
}

static size_t dir_len(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? (size_t)(s - path) : 0;
}

/* Folder first, then name: a folder's pages stay together whatever its
 * subfolders are called. */
static int page_cmp(const void *a, const void *b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  size_t xl = dir_len(x), yl = dir_len(y);
  int c = strncmp(x, y, xl < yl ? xl : yl);
  if (c)
    return c;
  if (xl != yl)
    return xl < yl ? -1 : 1;
  return strcmp(x + xl, y + yl);
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* The number a name starts with, or -1. */
static long leading_number(const char *name) {
  long n = 0;
  size_t i = 0;
  for (; isdigit((unsigned char)name[i]) && i < 9; i++)
    n = n * 10 + (name[i] - '0');
  return i && !isdigit((unsigned char)name[i]) ? n : -1;
}

/* The absolute path of root-relative path rel: the queries take paths
 * relative to the options' base, which need not be the root. */
static const char *absolute(clint_course *course, const char *rel, char *buf,
                            size_t size) {
  int n = snprintf(buf, size, "%s/%s", clint_course_root(course), rel);
  return n > 0 && (size_t)n < size ? buf : rel;
}

/* ---- one page ---------------------------------------------------------- */

struct heads {
  FILE *chapters; /* where numbered headings go, or NULL */
  char *title;    /* the first heading's text */
  bool nomem;
};

static bool on_heading(const clint_heading *h, void *ctx) {
  struct heads *hs = ctx;
  if (!hs->title && h->text && !(hs->title = strdup(h->text)))
    hs->nomem = true;
  if (hs->chapters && h->number)
    fprintf(hs->chapters, "       %-8s line %-5u %s\n", h->number, h->line,
            h->text);
  return true;
}

/* The page's line (number, role, name, title: its first heading) and,
 * with chapters, its numbered headings under it: one pass over the
 * headings, the chapters held until the title line is out. */
static void print_page(FILE *out, clint_course *course, const char *number,
                       const char *role, const char *path, bool chapters) {
  char *held = NULL;
  size_t heldlen = 0;
  struct heads hs = {.chapters =
                         chapters ? open_memstream(&held, &heldlen) : NULL};
  clint_error err = {0};
  char buf[8192];
  clint_course_headings(course, absolute(course, path, buf, sizeof(buf)),
                        on_heading, &hs, &err);
  fprintf(out, "  %-4s %-16s %-24s %s\n", number, role, base_name(path),
          hs.title ? hs.title : "(no heading)");
  free(hs.title);
  if (hs.chapters && fclose(hs.chapters) == 0 && held)
    fwrite(held, 1, heldlen, out);
  free(held);
}

/* The title of the page at path (its first heading), or NULL. */
static char *page_title(clint_course *course, const char *path) {
  struct heads hs = {0};
  clint_error err = {0};
  char buf[8192];
  clint_course_headings(course, absolute(course, path, buf, sizeof(buf)),
                        on_heading, &hs, &err);
  return hs.title;
}

/* ---- modules ----------------------------------------------------------- */

/* The roles of a module, copied out of the query's callback. */
struct role_row {
  char *id;
  char *page; /* root-relative, or NULL: no page plays it */
  bool numbered;
};

struct role_list {
  struct role_row *v;
  size_t n, cap;
  bool in_module, nomem;
};

static bool on_role(const clint_role *r, void *ctx) {
  struct role_list *rl = ctx;
  struct role_row *v = with_room(rl->v, rl->n, &rl->cap, sizeof(*v), 8);
  if (!v)
    return !(rl->nomem = true);
  rl->v = v;
  struct role_row *row = &rl->v[rl->n];
  row->id = strdup(r->id);
  row->page = r->page ? strdup(r->page) : NULL;
  row->numbered = r->numbered;
  if (!row->id || (r->page && !row->page)) {
    free(row->id);
    free(row->page);
    return !(rl->nomem = true);
  }
  rl->in_module |= r->page != NULL;
  rl->n++;
  return true;
}

static void role_list_free(struct role_list *rl) {
  for (size_t i = 0; i < rl->n; i++) {
    free(rl->v[i].id);
    free(rl->v[i].page);
  }
  free(rl->v);
}

/* Print the module whose folder holds page (its first page in order).
 * Returns false when the folder is no module. */
static bool print_module(FILE *out, clint_course *course, char *const *pages,
                         size_t npages, size_t dl) {
  const char *page = pages[0];
  struct role_list rl = {0};
  clint_error err = {0};
  char buf[8192];
  if (clint_course_roles(course, absolute(course, page, buf, sizeof(buf)),
                         on_role, &rl, &err) != CLINT_OK ||
      !rl.in_module) {
    role_list_free(&rl);
    return false;
  }
  /* The folder is page[0, dl); its name is its last part. */
  const char *fname = page;
  for (size_t i = 0; i < dl; i++)
    if (page[i] == '/')
      fname = page + i + 1;
  long num = dl ? leading_number(fname) : -1;
  if (num >= 0)
    fprintf(out, "module %ld  %.*s/\n", num, (int)dl, page);
  else
    fprintf(out, "module  %.*s\n", dl ? (int)dl + 1 : 2, dl ? page : "./");
  for (size_t i = 0; i < rl.n; i++) {
    char n[24];
    snprintf(n, sizeof(n), "%zu", i + 1);
    if (rl.v[i].page)
      print_page(out, course, n, rl.v[i].id, rl.v[i].page, rl.v[i].numbered);
    else
      fprintf(out, "  %-4s %-16s (none)\n", n, rl.v[i].id);
  }
  /* Numbered pages of the folder that play no role. */
  for (size_t k = 0; k < npages; k++) {
    long n = leading_number(base_name(pages[k]));
    bool roled = false;
    for (size_t i = 0; i < rl.n && !roled; i++)
      roled = rl.v[i].page && !strcmp(rl.v[i].page, pages[k]);
    if (n < 0 || roled)
      continue;
    char pn[24];
    snprintf(pn, sizeof(pn), "%ld", n);
    print_page(out, course, pn, "(no role)", pages[k], false);
  }
  role_list_free(&rl);
  return true;
}

/* ---- modules and lessons of a rule file's outline --------------------- */

struct unit_row {
  char *module, *page; /* page NULL: the module's own row */
  char *home;          /* the module's home page, or NULL */
  long module_number, number;
};

struct unit_list {
  struct unit_row *v;
  size_t n, cap;
  bool nomem;
};

static bool on_unit(const clint_unit *u, void *ctx) {
  struct unit_list *ul = ctx;
  struct unit_row *v = with_room(ul->v, ul->n, &ul->cap, sizeof(*v), 32);
  if (!v)
    return !(ul->nomem = true);
  ul->v = v;
  struct unit_row *row = &ul->v[ul->n];
  row->module = strdup(u->module);
  row->page = u->page ? strdup(u->page) : NULL;
  row->home = u->home && !u->page ? strdup(u->home) : NULL;
  row->module_number = u->module_number;
  row->number = u->number;
  if (!row->module || (u->page && !row->page) ||
      (u->home && !u->page && !row->home)) {
    free(row->module);
    free(row->page);
    free(row->home);
    return !(ul->nomem = true);
  }
  ul->n++;
  return true;
}

static void unit_list_free(struct unit_list *ul) {
  for (size_t i = 0; i < ul->n; i++) {
    free(ul->v[i].module);
    free(ul->v[i].page);
    free(ul->v[i].home);
  }
  free(ul->v);
}

/* Print the modules and lessons; *modules and *lessons get how many. */
static void print_units(FILE *out, clint_course *course,
                        const struct unit_list *ul, size_t *modules,
                        size_t *lessons) {
  for (size_t i = 0; i < ul->n; i++) {
    const struct unit_row *u = &ul->v[i];
    if (!u->page) {
      (*modules)++;
      char *title = u->home ? page_title(course, u->home) : NULL;
      char num[24] = "";
      if (u->module_number >= 0)
        snprintf(num, sizeof(num), "%ld", u->module_number);
      fprintf(out, "module %s  %s/%s%s\n", num, u->module[0] ? u->module : ".",
              title ? "  " : "", title ? title : "");
      free(title);
      continue;
    }
    (*lessons)++;
    char num[24] = "-";
    if (u->number >= 0)
      snprintf(num, sizeof(num), "%ld", u->number);
    size_t skip = u->module[0] ? strlen(u->module) + 1 : 0;
    char *title = page_title(course, u->page);
    fprintf(out, "  %-4s %-41s %s\n", num, u->page + skip,
            title ? title : "(no heading)");
    free(title);
  }
}

static int str_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The pages listed already, lessons and module homes, sorted, for
 * is_lesson. */
static char **lesson_pages(const struct unit_list *ul, size_t *n) {
  char **v = malloc((ul->n ? ul->n : 1) * sizeof(*v));
  *n = 0;
  for (size_t i = 0; v && i < ul->n; i++)
    if (ul->v[i].page || ul->v[i].home)
      v[(*n)++] = ul->v[i].page ? ul->v[i].page : ul->v[i].home;
  if (v && *n > 1)
    qsort(v, *n, sizeof(*v), str_cmp);
  return v;
}

/* Whether page is one of the n sorted lessons: listed already. */
static bool is_lesson(char *const *lessons, size_t n, const char *page) {
  return n && bsearch(&page, lessons, n, sizeof(*lessons), str_cmp);
}

/* ---- the whole course -------------------------------------------------- */

static bool is_home(const char *name) {
  return !strcasecmp(name, "README.md") || !strcasecmp(name, "index.md") ||
         !strcasecmp(name, "_index.md");
}

/* A numbered folder's home page: page is parent/NN-name/README.md, the
 * parent being page[0, parent_len). */
struct member {
  const char *page;
  size_t parent_len;
  long number;
};

static int member_cmp(const void *a, const void *b) {
  const struct member *x = a, *y = b;
  size_t l = x->parent_len < y->parent_len ? x->parent_len : y->parent_len;
  int c = strncmp(x->page, y->page, l);
  if (c)
    return c;
  if (x->parent_len != y->parent_len)
    return x->parent_len < y->parent_len ? -1 : 1;
  if (x->number != y->number)
    return x->number < y->number ? -1 : 1;
  return strcmp(x->page, y->page);
}

clint_status outline_print(const clint_linter *linter,
                           const clint_options *opts, FILE *out,
                           clint_error *err) {
  clint_course *course = clint_course_new(linter, opts, err);
  if (!course)
    return err->status;
  struct pages ps = {0};
  clint_status st = clint_course_pages(course, add_page, &ps, err);
  if (st == CLINT_OK && ps.nomem) {
    st = err->status = CLINT_E_NOMEM;
    snprintf(err->message, sizeof(err->message), "out of memory");
  }
  if (st != CLINT_OK) {
    for (size_t i = 0; i < ps.n; i++)
      free(ps.v[i]);
    free(ps.v);
    clint_course_free(course);
    return st;
  }
  qsort(ps.v, ps.n, sizeof(*ps.v), page_cmp);
  size_t modules = 0, sequences = 0, nlessons = 0, lessons = 0;
  struct unit_list ul = {0};
  if (clint_course_units(course, on_unit, &ul, err) != CLINT_OK || ul.nomem) {
    fprintf(stderr, "courselint: the outline's modules and lessons are left "
                    "out: out of memory\n");
  }
  print_units(out, course, &ul, &modules, &lessons);
  char **listed = lesson_pages(&ul, &nlessons);
  /* Pages of one folder are adjacent in path order only up to the
   * subfolders between them: group on the folder part. */
  for (size_t i = 0; i < ps.n;) {
    size_t dl = dir_len(ps.v[i]);
    size_t j = i + 1;
    while (j < ps.n && dir_len(ps.v[j]) == dl && !strncmp(ps.v[j], ps.v[i], dl))
      j++;
    if (print_module(out, course, ps.v + i, j - i, dl)) {
      modules++;
    } else {
      /* Numbered pages outside modules: a sequence of lessons. */
      size_t numbered = 0;
      for (size_t k = i; k < j; k++)
        numbered += leading_number(base_name(ps.v[k])) >= 0 &&
                    !is_lesson(listed, nlessons, ps.v[k]);
      /* In reading order: 3-x.md before 10-y.md. */
      struct member *seq =
          numbered >= 2 ? malloc(numbered * sizeof(*seq)) : NULL;
      size_t ns = 0;
      for (size_t k = i; seq && k < j; k++) {
        long n = leading_number(base_name(ps.v[k]));
        if (n >= 0 && !is_lesson(listed, nlessons, ps.v[k]))
          seq[ns++] = (struct member){ps.v[k], dl, n};
      }
      if (seq) {
        qsort(seq, ns, sizeof(*seq), member_cmp);
        sequences++;
        fprintf(out, "pages  %.*s%s\n", (int)dl, ps.v[i], dl ? "/" : "./");
        for (size_t k = 0; k < ns; k++) {
          char num[24];
          snprintf(num, sizeof(num), "%ld", seq[k].number);
          print_page(out, course, num, "-", seq[k].page, false);
        }
        free(seq);
      }
    }
    i = j;
  }
  /* Numbered folders shown by a home page (IoT's lessons/1-intro/
   * README.md): a track of folders, grouped by their parent. */
  size_t tracks = 0, nm = 0;
  struct member *m = malloc((ps.n ? ps.n : 1) * sizeof(*m));
  for (size_t i = 0; m && i < ps.n; i++) {
    const char *q = ps.v[i];
    size_t qd = dir_len(q);
    if (!qd || !is_home(base_name(q)))
      continue;
    size_t pl = 0; /* the folder's parent is q[0, pl) */
    for (size_t k = 0; k < qd; k++)
      if (q[k] == '/')
        pl = k;
    const char *fname = q + (pl || q[0] == '/' ? pl + 1 : 0);
    if (pl == 0 && memchr(q, '/', qd) == NULL)
      fname = q;
    long n = leading_number(fname);
    if (n >= 0 && !is_lesson(listed, nlessons, q))
      m[nm++] = (struct member){q, pl, n};
  }
  if (m)
    qsort(m, nm, sizeof(*m), member_cmp);
  for (size_t i = 0; i < nm;) {
    size_t j = i + 1;
    while (j < nm && m[j].parent_len == m[i].parent_len &&
           !strncmp(m[j].page, m[i].page, m[i].parent_len))
      j++;
    if (j - i >= 2) {
      tracks++;
      size_t pl = m[i].parent_len;
      fprintf(out, "folders  %.*s%s\n", (int)pl, m[i].page, pl ? "/" : "./");
      for (size_t k = i; k < j; k++) {
        char pn[24];
        snprintf(pn, sizeof(pn), "%ld", m[k].number);
        char *title = page_title(course, m[k].page);
        fprintf(out, "  %-4s %-41s %s\n", pn, m[k].page + (pl ? pl + 1 : 0),
                title ? title : "(no heading)");
        free(title);
      }
    }
    i = j;
  }
  free(m);
  fprintf(out,
          "%zu module%s, %zu folder%s of numbered pages, %zu folder%s of "
          "numbered folders, %zu page%s\n",
          modules, modules == 1 ? "" : "s", sequences,
          sequences == 1 ? "" : "s", tracks, tracks == 1 ? "" : "s", ps.n,
          ps.n == 1 ? "" : "s");
  if (ul.n)
    fprintf(out, "%zu lesson%s\n", lessons, lessons == 1 ? "" : "s");
  free(listed);
  unit_list_free(&ul);
  for (size_t i = 0; i < ps.n; i++)
    free(ps.v[i]);
  free(ps.v);
  clint_course_free(course);
  return ferror(out) ? CLINT_E_IO : CLINT_OK;
}
