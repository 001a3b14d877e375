/* anchor.h - heading anchors as the sites that render a course compute
 * them: GitHub (github-slugger), MkDocs (Python-Markdown's toc) and
 * Pandoc (Quarto). */
#ifndef CLINT_ANCHOR_H
#define CLINT_ANCHOR_H

#include <stddef.h>

enum anchor_style {
  ANCHOR_AUTO = 0,
  ANCHOR_GITHUB,
  ANCHOR_MKDOCS,
  ANCHOR_PANDOC
};

/* The slug of a heading's plain text, written to out (room for
 * 4 * len + 1 bytes suffices). Returns its length. Duplicate suffixes
 * (-1, _1) are the index's job. */
size_t anchor_github(const char *text, size_t len, char *out);
size_t anchor_mkdocs(const char *text, size_t len, char *out);
/* Pandoc's auto_identifiers: letters, digits, '_', '-' and '.' kept,
 * letters lower-cased, spaces to '-', everything before the first letter
 * dropped; "section" when nothing is left. */
size_t anchor_pandoc(const char *text, size_t len, char *out);

/* The slug in the given style (ANCHOR_AUTO: GitHub's). */
size_t anchor_slug(enum anchor_style style, const char *text, size_t len,
                   char *out);

/* "github", "mkdocs", "auto". */
const char *anchor_style_name(enum anchor_style style);

#endif
