/* formats.h - the kinds of file a course's pages come in, and the
 * Markdown the parser reads of each: Markdown as it is; MDX and Quarto
 * with their JSX, ESM and shortcodes blanked out; the markdown cells of a
 * Jupyter notebook (notebook.h); a site's table of contents as links
 * (site.h). Between scan and parse: lint.c reads every page through
 * formats_read. Positions in the text of a notebook or a table of
 * contents are taken back to its file through a srcmap. */
#ifndef CLINT_FORMATS_H
#define CLINT_FORMATS_H

#include <stdbool.h>
#include <stddef.h>

#include "parse.h"
#include "scan.h"
#include "util/arena.h"

enum page_format {
  FORMAT_NONE = 0, /* not a page */
  FORMAT_MARKDOWN, /* .md, .markdown */
  FORMAT_MDX,      /* .mdx */
  FORMAT_QMD,      /* .qmd */
  FORMAT_NOTEBOOK, /* .ipynb */
  FORMAT_TOC,      /* a site's table of contents: mkdocs.yml, _toctree.yml */
};

/* The extensions of pages (".md", ".mdx", ".qmd", ".ipynb", ".markdown"),
 * NULL-ended: what a site may publish a page from. */
extern const char *const formats_page_exts[];

/* The format of a file by its name (a base name or a path). */
enum page_format formats_of(const char *name);

/* Where lines of a page's text stand in its file: text line `text`
 * starts at line:col of the file (1-based, col in characters), and
 * before each of its escapes (a "\"" in JSON) the file spends `extra`
 * more columns than the text. Text lines without an entry stand where
 * they are in the file. */
struct srcmap_esc {
  unsigned at;    /* the escape's character index in its text line */
  unsigned extra; /* its width in the file, less one */
};

struct srcmap_line {
  unsigned text; /* the text line */
  unsigned line; /* where it starts in the file */
  unsigned col;
  size_t esc, nesc; /* its escapes: esc[esc, esc + nesc) */
};

struct srcmap {
  const struct srcmap_line *lines; /* by text line, ascending */
  size_t nlines;
  const struct srcmap_esc *esc;
};

/* The place in the file of position p of the text; p itself when m is
 * NULL. */
struct pos formats_map_pos(const struct srcmap *m, struct pos p);

struct course;
struct page;

/* Read page p of course c into src as the Markdown the parser reads,
 * from path (relative to the open folder dirfd, or AT_FDCWD). For a
 * notebook or a table of contents the text is made from the file, and
 * p->map (in p's arena) takes its positions back to the file. Returns
 * what scan_read_file_at returns, with err filled; a notebook that is
 * not valid JSON gives CLINT_E_IO and says where. */
clint_status formats_read(struct course *c, struct page *p, int dirfd,
                          const char *path, struct source *src,
                          clint_error *err);

/* The same for a file already read into src (an editor's text for page
 * p, named path in messages): src is replaced by the text to parse. On
 * failure src is freed. */
clint_status formats_make_page(struct course *c, struct page *p,
                               const char *path, struct source *src,
                               clint_error *err);

/* Blank bytes [from, to) of src's parse_text with spaces, keeping line
 * endings, so that the parser skips them and positions stay true. False
 * on no memory. */
bool formats_blank(struct source *src, size_t from, size_t to);

/* Blank what MDX (fmt FORMAT_MDX) or Quarto (FORMAT_QMD) adds to
 * Markdown in src's parse_text, outside code fences: MDX's import and
 * export statements, lines of JSX tags (<Tip>, <Banner a={1} />) and
 * {expressions}; Quarto's {{< shortcodes >}}. False on no memory. */
bool formats_blank_extensions(struct source *src, enum page_format fmt);

#endif
