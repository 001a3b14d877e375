/* parse.h - second stage: parse a page with libcmark (source positions on)
 * and extract our document view: headings, links and images, the plain
 * text of each paragraph and heading with a map back to the source, HTML
 * ids and comments, and a flag per source line (code, HTML, list item).
 * Nothing inside code becomes a link, heading or text; of raw HTML, the
 * link attributes of its tags are links (html.h), its ids anchors. */
#ifndef CLINT_PARSE_H
#define CLINT_PARSE_H

#include <cmark.h>
#include <stdbool.h>
#include <stddef.h>

#include "scan.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/pool.h"

/* A position in a page: 1-based line and 1-based column in characters. */
struct pos {
  unsigned line;
  unsigned col;
};

/* One stretch of a text block that maps linearly onto the source. */
enum { SEG_CODE = 1, SEG_LINK = 2 };
struct seg {
  size_t text_off; /* offset in the block's text */
  size_t src_off;  /* offset in the page text (after the BOM) */
  size_t len;      /* bytes of text */
  unsigned flags;  /* SEG_CODE: inline code; SEG_LINK: inside link text */
};

enum block_kind { BLOCK_PARAGRAPH, BLOCK_HEADING };

/* The plain text of a paragraph or heading: text, inline code and link
 * text; soft and hard breaks become one space; HTML and image alt text are
 * left out. */
struct textblock {
  enum block_kind kind;
  const char *text; /* NUL-terminated */
  size_t len;
  const struct seg *segs;
  size_t nsegs;
  int heading; /* index into doc headings for BLOCK_HEADING, else -1 */
};

/* Fields in an order that leaves no holes: a course keeps one per
 * heading (51,000 on IoT). */
struct heading {
  const char *text;        /* plain text, without an explicit {#id} */
  const char *explicit_id; /* from {#id} or {: #id}, else NULL */
  const char *anchor;      /* filled by the index */
  const char *number;      /* e.g. "6.5" by the role's rule, else NULL */
  struct pos pos;          /* the heading's first character ('#' or text) */
  unsigned end_line;
  unsigned char level; /* 1-6 */
  bool setext;
};

/* Fields in an order that leaves no holes, as struct heading's. */
struct link {
  /* As cmark resolved it (reference links too); in scratch when external
   * (path_is_external): a loaded page keeps only its other links. */
  const char *dest;
  /* Plain link text, or image alt text; in scratch, so only for collect:
   * a loaded page's links have none. */
  const char *text;
  const char *label; /* a reference's folded label (scratch), or NULL */
  size_t dest_off;   /* offset of dest in the page text, or (size_t)-1 */
  struct pos pos;    /* the opening '[' or '!' */
  struct pos end;
  unsigned def_line; /* line of the reference definition, or 0 */
  bool image;
  bool external;  /* path_is_external(dest), worked out once */
  bool reference; /* written [text][label], [text][] or [text] */
};

struct html_id {
  const char *id;
  struct pos pos;
};

struct comment {
  /* the text between <!-- and -->, in the parse's scratch: read while
   * the page loads (suppressions), not kept with it */
  const char *text;
  unsigned line;
  unsigned end_line;
};

enum {
  LINE_CODE = 1,     /* fenced or indented code */
  LINE_HTML = 2,     /* HTML block */
  LINE_FRONT = 4,    /* YAML front matter */
  LINE_ITEM = 8,     /* a list item starts here */
  LINE_PARA = 16,    /* part of a paragraph */
  LINE_HEADING = 32, /* part of a heading */
  LINE_IN_ITEM = 64, /* inside a list item */
  /* A paragraph's or heading's text, after the link reference definitions
   * that may open it: no definition stands here, whatever the line reads. */
  LINE_TEXT = 128,
};

/* Remembers the last offset turned into a position, so that walking a
 * page in order costs time linear in its size even on one huge line. */
struct poscache {
  size_t off;
  unsigned line;
  unsigned col;
};

struct doc {
  const struct source *src;
  struct poscache *cache;
  struct heading *headings;
  size_t nheadings;
  struct link *links;
  size_t nlinks;
  struct textblock *blocks;
  size_t nblocks;
  struct html_id *ids;
  size_t nids;
  struct comment *comments;
  size_t ncomments;
  unsigned char *line_flags; /* [0] unused; [n] for line n */
  char *text_store;          /* the blocks' texts, one after another */
  struct seg *seg_store;     /* the blocks' segments */
  struct parse_reuse *reuse; /* whose buffers the arrays are, or NULL */
};

/* Buffers that one thread's parses borrow one after another: a page
 * reuses the room the pages before it grew, instead of growing and
 * freeing its own arrays (a dozen doublings for a long page). A buffer
 * grown past PARSE_REUSE_MAX bytes is freed when given back. */
#define PARSE_REUSE_MAX ((size_t)4 << 20)
struct parse_reuse {
  struct vec headings, links, blocks, ids, comments, segs, spans;
  struct buf text, alt;
};
void parse_reuse_init(struct parse_reuse *r);
void parse_reuse_free(struct parse_reuse *r);

/* Parse src into doc. Strings that must outlive the parse (headings,
 * links, ids, comments) go in keep; text blocks in scratch. libcmark's
 * tree lives in pool (NULL: malloc) only while parse_doc runs. Returns
 * CLINT_E_NOMEM on allocation failure. */
clint_status parse_doc(const struct source *src, struct arena *keep,
                       struct arena *scratch, struct pool *pool,
                       struct doc *doc);

/* parse_doc in the buffers of reuse (NULL: its own), which doc holds
 * until parse_free gives them back: one parse at a time per reuse. */
clint_status parse_doc_reusing(const struct source *src, struct arena *keep,
                               struct arena *scratch, struct pool *pool,
                               struct parse_reuse *reuse, struct doc *doc);

/* Free the doc's arrays, or give them back to their reuse (not the
 * arenas). */
void parse_free(struct doc *doc);

/* The position of offset text_off in a text block. */
struct pos parse_block_pos(const struct doc *doc, const struct textblock *b,
                           size_t text_off);

/* The index of the first segment of b that ends after text offset off
 * (the one holding it, or the next), or b->nsegs: a binary search, since
 * segments are in text order. */
size_t parse_seg_after(const struct textblock *b, size_t off);

/* The source offset of offset text_off in a text block. */
size_t parse_block_src(const struct textblock *b, size_t text_off);

/* Line and character column of a page-text offset; fast for offsets
 * visited in increasing order. */
struct pos parse_pos(const struct doc *doc, size_t off);

#endif
