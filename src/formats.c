/* formats.c - pages that are not plain Markdown (see formats.h): which
 * files are pages, what of MDX and Quarto the parser must not read, and
 * positions taken back from a page's text to its file. */
#include "formats.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "index.h"
#include "notebook.h"
#include "site.h"
#include "util/path.h"
#include "util/status.h"

static bool ends_with(const char *s, size_t n, const char *suffix) {
  size_t k = strlen(suffix);
  return n > k && !strcmp(s + n - k, suffix);
}

const char *const formats_page_exts[] = {".md",    ".mdx",      ".qmd",
                                         ".ipynb", ".markdown", NULL};

enum page_format formats_of(const char *name) {
  const char *base = path_basename(name);
  size_t n = strlen(base);
  if (!strcmp(base, "mkdocs.yml") || !strcmp(base, "mkdocs.yaml") ||
      !strcmp(base, "_toctree.yml"))
    return FORMAT_TOC;
  if (ends_with(base, n, ".md") || ends_with(base, n, ".markdown"))
    return FORMAT_MARKDOWN;
  if (ends_with(base, n, ".mdx"))
    return FORMAT_MDX;
  if (ends_with(base, n, ".qmd"))
    return FORMAT_QMD;
  if (ends_with(base, n, ".ipynb"))
    return FORMAT_NOTEBOOK;
  return FORMAT_NONE;
}

struct pos formats_map_pos(const struct srcmap *m, struct pos p) {
  if (!m)
    return p;
  size_t lo = 0, hi = m->nlines;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (m->lines[mid].text < p.line)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == m->nlines || m->lines[lo].text != p.line)
    return p;
  const struct srcmap_line *l = &m->lines[lo];
  unsigned before = p.col ? p.col - 1 : 0, col = l->col + before;
  for (size_t k = l->esc; k < l->esc + l->nesc; k++)
    if (m->esc[k].at < before)
      col += m->esc[k].extra;
  return (struct pos){l->line, col};
}

bool formats_blank(struct source *src, size_t from, size_t to) {
  if (to > src->len)
    to = src->len;
  if (from >= to)
    return true;
  if (src->parse_text == src->text) {
    src->parse_text = malloc(src->len + 1);
    if (!src->parse_text) {
      src->parse_text = src->text;
      return false;
    }
    memcpy(src->parse_text, src->text, src->len + 1);
  }
  for (size_t i = from; i < to; i++)
    if (src->parse_text[i] != '\n' && src->parse_text[i] != '\r')
      src->parse_text[i] = ' ';
  return true;
}

/* ---- MDX and Quarto ------------------------------------------------------ */

/* A fence line (``` or ~~~ after at most three spaces): its character
 * and length, else 0. */
static size_t fence(const char *s, size_t n, char *ch) {
  size_t i = 0;
  while (i < n && i < 3 && s[i] == ' ')
    i++;
  if (i >= n || (s[i] != '`' && s[i] != '~'))
    return 0;
  size_t k = i;
  while (k < n && s[k] == s[i])
    k++;
  if (k - i < 3)
    return 0;
  *ch = s[i];
  return k - i;
}

/* Whether a line closes a fence of ch at least len long: the run alone
 * on its line. */
static bool closes(const char *s, size_t n, char ch, size_t len) {
  char c;
  size_t k = fence(s, n, &c);
  if (k < len || c != ch)
    return false;
  const char *run = memchr(s, ch, n);
  for (size_t i = (size_t)(run - s) + k; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t')
      return false;
  return true;
}

/* A JSX tag or expression being read over several lines: its brace depth
 * and open quote. */
struct jsx {
  int depth;
  char quote;
  bool tag; /* a tag, closed by '>' at depth 0; else an {expression} */
};

/* Read s[0, n) on in a JSX tag or expression; true once it is closed. */
static bool jsx_read(struct jsx *j, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (j->quote) {
      if (c == j->quote)
        j->quote = 0;
    } else if (c == '"' || c == '\'' || c == '`') {
      j->quote = c;
    } else if (c == '{') {
      j->depth++;
    } else if (c == '}') {
      if (--j->depth <= 0 && !j->tag)
        return true;
    } else if (c == '>' && j->tag && j->depth <= 0) {
      return true;
    }
  }
  return false;
}

/* Whether a line opens a JSX element (<Tip>, </Tip>, <>, <Banner ... />)
 * or a {expression} at i, and which. */
static bool jsx_start(const char *s, size_t n, size_t i, struct jsx *j) {
  if (i >= n)
    return false;
  *j = (struct jsx){0};
  if (s[i] == '{')
    return true;
  if (s[i] != '<' || i + 1 >= n)
    return false;
  size_t k = i + 1 + (s[i + 1] == '/');
  j->tag = true;
  return k < n && (isupper((unsigned char)s[k]) || s[k] == '>');
}

static bool esm_start(const char *s, size_t n) {
  return (n > 7 && !memcmp(s, "import", 6) && (s[6] == ' ' || s[6] == '{')) ||
         (n > 7 && !memcmp(s, "export", 6) && (s[6] == ' ' || s[6] == '{'));
}

static bool blank_line(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t')
      return false;
  return true;
}

/* MDX, line by line: ESM runs to a blank line; a JSX tag or expression to
 * where it closes. */
static bool blank_mdx(struct source *src) {
  char fch = 0;
  size_t flen = 0;
  bool esm = false, open = false;
  struct jsx j = {0};
  for (unsigned ln = src->body_line ? src->body_line : 1; ln <= src->nlines;
       ln++) {
    size_t n, at;
    const char *s = scan_line(src, ln, &n);
    size_t off = (size_t)(s - src->text);
    char ch;
    size_t fl;
    bool blank = false;
    if (flen) {
      if (closes(s, n, fch, flen))
        flen = 0;
      continue;
    }
    if (esm) {
      esm = blank = !blank_line(s, n);
    } else if (open) {
      blank = true;
      open = !jsx_read(&j, s, n);
    } else if ((fl = fence(s, n, &ch)) != 0) {
      fch = ch;
      flen = fl;
    } else if (esm_start(s, n)) {
      esm = blank = true;
    } else {
      for (at = 0; at < n && (s[at] == ' ' || s[at] == '\t'); at++)
        ;
      if (jsx_start(s, n, at, &j)) {
        blank = true;
        open = !jsx_read(&j, s + at, n - at);
      }
    }
    if (blank && !formats_blank(src, off, off + n))
      return false;
  }
  return true;
}

/* Quarto's shortcodes, {{< name args >}} and {{% name %}}, anywhere. */
static bool blank_qmd(struct source *src) {
  const char *t = src->text;
  size_t i = src->body_line > 1 && src->body_line - 1 < src->nlines
                 ? src->line_starts[src->body_line - 1]
                 : 0;
  while (i + 3 < src->len) {
    const char *open = memchr(t + i, '{', src->len - i);
    if (!open)
      break;
    i = (size_t)(open - t);
    if (i + 2 < src->len && t[i + 1] == '{' &&
        (t[i + 2] == '<' || t[i + 2] == '%')) {
      const char *close = strstr(t + i + 3, t[i + 2] == '<' ? ">}}" : "%}}");
      size_t end = close ? (size_t)(close - t) + 3 : src->len;
      if (!formats_blank(src, i, end))
        return false;
      i = end;
    } else {
      i++;
    }
  }
  return true;
}

bool formats_blank_extensions(struct source *src, enum page_format fmt) {
  if (fmt == FORMAT_MDX)
    return blank_mdx(src);
  if (fmt == FORMAT_QMD)
    return blank_qmd(src);
  return true;
}

/* A notebook's markdown cells as the page's text, with its map. */
static clint_status read_notebook(struct page *p, const char *path,
                                  struct source *src, clint_error *err) {
  char *text;
  size_t len;
  const struct srcmap *map;
  clint_status st =
      notebook_extract(src, path, &p->arena, &text, &len, &map, err);
  scan_free(src);
  if (st != CLINT_OK)
    return st;
  st = scan_from_mem(text, len, src);
  free(text);
  if (st != CLINT_OK)
    return status_set(err, st, path, 0, 0, "out of memory");
  p->map = map;
  return CLINT_OK;
}

clint_status formats_read(struct course *c, struct page *p, int dirfd,
                          const char *path, struct source *src,
                          clint_error *err) {
  clint_status st = scan_read_file_at(dirfd, path, src, err);
  return st == CLINT_OK ? formats_make_page(c, p, path, src, err) : st;
}

clint_status formats_make_page(struct course *c, struct page *p,
                               const char *path, struct source *src,
                               clint_error *err) {
  enum page_format fmt = formats_of(p->path);
  if (fmt == FORMAT_NOTEBOOK)
    return read_notebook(p, path, src, err);
  if (fmt == FORMAT_TOC)
    return site_toc_read(c, p, path, src, err);
  if (!formats_blank_extensions(src, fmt)) {
    scan_free(src);
    return status_set(err, CLINT_E_NOMEM, path, 0, 0, "out of memory");
  }
  return CLINT_OK;
}
