/* colmap.c - libcmark 0.30's inline columns mapped back to page offsets;
 * see colmap.h. Each call costs a few steps; a line ending libcmark did
 * not count is stepped over once, as the cursor only moves forward. */
#include "colmap.h"

#include <string.h>

/* Where line's line ending starts (or the text ends). */
static size_t line_end(const struct source *src, unsigned line) {
  size_t len;
  const char *l = scan_line(src, line, &len);
  return (size_t)(l - src->text) + len;
}

/* Move the cursor to off on line. */
static void go(struct colmap *m, const struct source *src, unsigned line,
               size_t off) {
  m->line = line;
  m->eol = line_end(src, line);
  m->off = off;
}

/* Where libcmark's copy of line starts when the line continues a block:
 * past up to quotes block-quote markers and the blanks after them. Exact
 * for a line that continues every container of the block; a lazy line
 * that starts with blanks is taken from its first character instead. */
static size_t content_start(const struct source *src, unsigned line,
                            unsigned quotes) {
  const char *t = src->text;
  size_t i = src->line_starts[line - 1], end = line_end(src, line);
  for (unsigned q = 0; q < quotes; q++) {
    size_t j = i;
    while (j < end && j - i < 3 && t[j] == ' ')
      j++;
    if (j >= end || t[j] != '>')
      break;
    i = j + 1;
  }
  while (i < end && (t[i] == ' ' || t[i] == '\t'))
    i++;
  return i;
}

/* Move the cursor to the start of line, where libcmark's column is base. */
static void next_line(struct colmap *m, const struct source *src,
                      unsigned line) {
  go(m, src, line, 0);
  m->off = content_start(src, line, m->quotes);
}

void colmap_begin(struct colmap *m, const struct source *src, unsigned line,
                  unsigned col, unsigned quotes) {
  if (line < 1 || line > src->nlines)
    line = 1;
  /* On the block's first line libcmark's columns are the page's. */
  go(m, src, line, src->line_starts[line - 1]);
  m->col = 1;
  m->base = col ? col : 1;
  m->quotes = quotes;
}

size_t colmap_off(struct colmap *m, const struct source *src, unsigned col) {
  if (col < m->col) { /* not expected; stay on the cursor's line */
    size_t start = src->line_starts[m->line - 1], back = m->col - col;
    return m->off - start >= back ? m->off - back : start;
  }
  size_t d = col - m->col;
  while (m->off + d > m->eol && m->line < src->nlines) {
    d -= m->eol - m->off + 1;
    next_line(m, src, m->line + 1);
  }
  m->off = m->off + d <= src->len ? m->off + d : src->len;
  m->col = col;
  return m->off;
}

unsigned colmap_start_col(cmark_node *n, cmark_node_type type) {
  /* An autolink's column leaves out the block's indent; the text inside
   * it has it right, one column on (a link's first text is always just
   * after its '[', an image's after its "!["). */
  if (type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) {
    cmark_node *c = cmark_node_first_child(n);
    unsigned before = type == CMARK_NODE_IMAGE ? 2 : 1;
    if (c && cmark_node_get_type(c) == CMARK_NODE_TEXT &&
        cmark_node_get_start_column(c) > (int)before)
      return (unsigned)cmark_node_get_start_column(c) - before;
  }
  return (unsigned)cmark_node_get_start_column(n);
}

void colmap_break(struct colmap *m, const struct source *src, cmark_node *n,
                  cmark_node_type type) {
  if ((type == CMARK_NODE_LINEBREAK && m->eol > src->line_starts[m->line - 1] &&
       src->text[m->eol - 1] == '\\') ||
      m->line >= src->nlines)
    return;
  next_line(m, src, m->line + 1);
  /* The inline that follows starts on the line's first character: its
   * column fixes the origin even where libcmark kept a lazy line's
   * leading blanks. Inline code's column is past its backticks. */
  cmark_node *next = cmark_node_next(n);
  if (!next) {
    m->col = m->base;
    return;
  }
  cmark_node_type t = cmark_node_get_type(next);
  m->col = colmap_start_col(next, t);
  if (t == CMARK_NODE_CODE)
    for (size_t i = m->off; i < src->len && src->text[i] == '`' && m->col > 1;
         i++)
      m->col--;
}

/* The cursor to end, which libcmark gives column base + since. */
static void after(struct colmap *m, const struct source *src, size_t end,
                  unsigned since) {
  go(m, src, scan_line_of(src, end), end);
  m->col = m->base + since;
}

void colmap_code(struct colmap *m, const struct source *src, cmark_node *n,
                 size_t off) {
  const char *t = src->text;
  size_t ticks = 0;
  while (ticks < off && t[off - ticks - 1] == '`')
    ticks++;
  /* The closing run of backticks is as long as the opening one. */
  size_t i = off;
  while (i < src->len) {
    if (t[i] != '`') {
      i++;
      continue;
    }
    size_t run = i;
    while (i < src->len && t[i] == '`')
      i++;
    if (i - run == ticks)
      break;
  }
  /* libcmark's end column of code that spans lines counts the columns of
   * its last line up to the closing backticks. */
  after(m, src, i, (unsigned)cmark_node_get_end_column(n) + (unsigned)ticks);
}

void colmap_html(struct colmap *m, const struct source *src, const char *lit) {
  /* lit's line endings are LFs; its last line is verbatim on the page,
   * on the line the HTML ends on, where libcmark's copy of that line
   * starts: at the latest at the line's first character. */
  const char *last = strrchr(lit, '\n');
  if (!last)
    return;
  unsigned line = m->line;
  for (const char *p = lit; (p = strchr(p, '\n')) != NULL; p++)
    line++;
  if (line > src->nlines)
    line = (unsigned)src->nlines;
  size_t tail = strlen(last + 1), start = src->line_starts[line - 1];
  size_t eol = line_end(src, line);
  size_t at = content_start(src, line, m->quotes);
  for (size_t i = start; tail && i <= at && i + tail <= eol; i++)
    if (!memcmp(src->text + i, last + 1, tail)) {
      at = i;
      break;
    }
  after(m, src, at + tail, (unsigned)tail);
}
