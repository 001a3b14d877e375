/* colmap.h - where libcmark 0.30's inline columns fall in a page, for
 * parse.c's walk over the inlines of a paragraph or heading (second stage:
 * scan -> parse -> index -> checks -> report).
 *
 * libcmark's inline line numbers are not to be trusted: a link takes the
 * line where its text ends; a line ending inside a link's destination,
 * title or label, or after a backslash, is not counted, so every later
 * inline of the block keeps the line before and its column counts on
 * across the line ending; and an autolink's column leaves out the block's
 * indent. Its columns are sound once their origin is known: byte columns
 * in libcmark's copy of the block, whose lines are joined by one LF each;
 * the first line starts at the block's own column, every later one at
 * the block's first column (however the page indents it), and after a
 * line break libcmark counts from there again. So the walk keeps this
 * cursor, maps each column from the last one in document order, and never
 * reads libcmark's inline lines. */
#ifndef CLINT_COLMAP_H
#define CLINT_COLMAP_H

#include <cmark.h>
#include <stddef.h>

#include "scan.h"

struct colmap {
  size_t off;      /* a page offset... */
  unsigned col;    /* ...libcmark's column for it... */
  unsigned line;   /* ...its line... */
  size_t eol;      /* ...and where that line's line ending starts */
  unsigned base;   /* the column where libcmark starts a later line */
  unsigned quotes; /* block quotes around the block */
};

/* Start on a paragraph or heading that starts at line:col (libcmark's
 * block positions, which are sound) inside quotes block quotes. */
void colmap_begin(struct colmap *m, const struct source *src, unsigned line,
                  unsigned col, unsigned quotes);

/* The page offset of libcmark's column col, at or after the last one asked
 * for: the cursor moves there, over each line ending libcmark did not
 * count (one column) and the next line's block-quote markers and blanks. */
size_t colmap_off(struct colmap *m, const struct source *src, unsigned col);

/* libcmark's start column of inline n (of type type), corrected for an
 * autolink. */
unsigned colmap_start_col(cmark_node *n, cmark_node_type type);

/* A soft or hard line break n (of type type): libcmark counts from the
 * next line's start again, unless a backslash made the break. */
void colmap_break(struct colmap *m, const struct source *src, cmark_node *n,
                  cmark_node_type type);

/* Inline code n starts at off (past its backticks) and spans lines: the
 * cursor goes past its end, where libcmark counts from. */
void colmap_code(struct colmap *m, const struct source *src, cmark_node *n,
                 size_t off);

/* Raw HTML lit, whose start the cursor is on, spans lines: the cursor goes
 * past its end. */
void colmap_html(struct colmap *m, const struct source *src, const char *lit);

#endif
