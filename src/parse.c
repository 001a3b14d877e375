/* parse.c - second stage of the pipeline: run libcmark over a scanned page
 * and pull out the document view that the index and the checks read (see
 * parse.h). One cmark iterator walks the tree; no recursion, so deeply
 * nested input cannot exhaust the stack here. */
#include "parse.h"

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include "colmap.h"
#include "html.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/marks.h"
#include "util/path.h"
#include "util/utf8.h"

struct walker {
  const struct source *src;
  struct doc *doc;
  struct arena *keep;
  struct arena *scratch;
  struct vec headings, links, blocks, ids, comments;
  /* The text block being collected, if any. The texts of all blocks go
   * one after another into text, each ending in a NUL, and their
   * segments into segs; the blocks point into both once the walk is
   * over and neither moves again. */
  bool in_block;
  enum block_kind kind;
  int heading;
  size_t block_start, seg_start;
  struct buf text;
  struct vec segs;
  struct vec spans; /* per block: where its text and segments start */
  int link_depth;
  size_t link_text_start;
  size_t link_index;
  int image_depth;
  struct buf alt; /* alt text of the outermost image */
  size_t image_index;
  size_t link_off, image_off; /* where the outermost link and image start */
  unsigned quotes;            /* block quotes around the walk's place */
  struct colmap cm;           /* the text block's inline columns */
  bool nomem;
};

struct pos parse_pos(const struct doc *doc, size_t off) {
  const struct source *src = doc->src;
  struct poscache *c = doc->cache;
  if (off > src->len)
    off = src->len;
  /* Most offsets asked for lie on the line of the one before. */
  unsigned line;
  if (c && c->line && c->off <= off &&
      (c->line >= src->nlines || off < src->line_starts[c->line]))
    line = c->line;
  else
    line = scan_line_of(src, off);
  size_t start = src->line_starts[line - 1];
  size_t from = start;
  unsigned col = 1;
  if (c && c->line == line && c->off <= off && c->off >= start) {
    from = c->off;
    col = c->col;
  }
  if (off > from)
    col += (unsigned)utf8_count(src->text + from, off - from);
  if (c) {
    c->off = off;
    c->line = line;
    c->col = col;
  }
  return (struct pos){line, col};
}

/* The position of offset to, given the position at of an offset from <=
 * to: counted on from there, so parse_pos's cache (kept for the next
 * link's start) is left alone. */
static struct pos pos_after(const struct source *src, struct pos at,
                            size_t from, size_t to) {
  if (to > src->len)
    to = src->len;
  size_t start = from;
  unsigned line = at.line, col = at.col;
  while (line < src->nlines && src->line_starts[line] <= to) {
    start = src->line_starts[line++];
    col = 1;
  }
  if (to > start)
    col += (unsigned)utf8_count(src->text + start, to - start);
  return (struct pos){line, col};
}

static size_t node_off(const struct source *src, cmark_node *n) {
  return scan_offset(src, (unsigned)cmark_node_get_start_line(n),
                     (unsigned)cmark_node_get_start_column(n));
}

static void set_lines(struct doc *doc, int first, int last, unsigned flag) {
  if (first < 1)
    first = 1;
  if ((size_t)last > doc->src->nlines)
    last = (int)doc->src->nlines;
  for (int l = first; l <= last; l++)
    doc->line_flags[l] |= (unsigned char)flag;
}

static void add_seg(struct walker *w, size_t src_off, const char *lit,
                    size_t len, unsigned flags) {
  if (len == 0)
    return;
  struct seg *s = vec_push(&w->segs);
  if (!s || !buf_append(&w->text, lit, len)) {
    w->nomem = true;
    return;
  }
  s->text_off = w->text.len - len - w->block_start;
  s->src_off = src_off;
  s->len = len;
  s->flags = flags;
}

/* The offset of an inline code span's content: past the opening backtick
 * run and the one space CommonMark strips when both ends have one. */
static size_t code_content_off(const struct source *src, size_t off,
                               const char *lit) {
  while (off < src->len && src->text[off] == '`')
    off++;
  if (off < src->len && src->text[off] == ' ' && lit[0] != ' ')
    off++;
  return off;
}

/* A heading may end in an attribute list, {#id} or {: #id .class}, as
 * MkDocs (attr_list) and Pandoc read it. Split it off the text. */
static const char *explicit_id(struct walker *w, char *text) {
  size_t len = strlen(text);
  while (len && text[len - 1] == ' ')
    len--;
  if (!len || text[len - 1] != '}')
    return NULL;
  char *open = NULL;
  for (size_t i = len - 1; i-- > 0;)
    if (text[i] == '{') {
      open = text + i;
      break;
    }
  if (!open || (open[1] != '#' && open[1] != ':'))
    return NULL;
  const char *id = NULL;
  size_t idlen = 0;
  for (const char *p = open + 1; p < text + len - 1;) {
    while (p < text + len - 1 && (*p == ' ' || *p == ':'))
      p++;
    const char *t = p;
    while (p < text + len - 1 && *p != ' ')
      p++;
    if (*t == '#' && p - t > 1) {
      id = t + 1;
      idlen = (size_t)(p - t - 1);
    }
  }
  if (!id)
    return NULL;
  const char *copy = arena_strndup(w->keep, id, idlen);
  while (open > text && open[-1] == ' ')
    open--;
  *open = '\0';
  return copy;
}

static void begin_block(struct walker *w, enum block_kind kind) {
  w->in_block = true;
  w->kind = kind;
  w->heading = -1;
  w->block_start = w->text.len;
  w->seg_start = w->segs.len;
}

struct span {
  size_t text_at, seg_at;
};

static void end_block(struct walker *w) {
  w->in_block = false;
  struct textblock *b = vec_push(&w->blocks);
  struct span *sp = vec_push(&w->spans);
  if (!b || !sp) {
    w->nomem = true;
    return;
  }
  b->kind = w->kind;
  b->heading = w->heading;
  b->len = w->text.len - w->block_start;
  b->nsegs = w->segs.len - w->seg_start;
  sp->text_at = w->block_start;
  sp->seg_at = w->seg_start;
  if (!buf_putc(&w->text, '\0'))
    w->nomem = true;
}

/* Point the blocks into the texts and segments of the walk, which now
 * belong to doc. */
static void place_blocks(struct walker *w) {
  struct doc *doc = w->doc;
  doc->text_store = w->text.data;
  doc->seg_store = w->segs.data;
  for (size_t i = 0; i < w->blocks.len && i < w->spans.len; i++) {
    struct textblock *b = vec_at(&w->blocks, i);
    const struct span *sp = vec_at(&w->spans, i);
    b->text = doc->text_store + sp->text_at;
    /* A page whose blocks hold no text has no segments at all. */
    b->segs = doc->seg_store ? doc->seg_store + sp->seg_at : NULL;
  }
  if (w->spans.len < w->blocks.len) /* out of memory on the last one */
    w->blocks.len = w->spans.len;
}

static void on_heading_exit(struct walker *w, cmark_node *n) {
  struct heading *h = vec_push(&w->headings);
  if (!h) {
    w->nomem = true;
    return;
  }
  h->level = (unsigned)cmark_node_get_heading_level(n);
  char *text = arena_strndup(w->keep, buf_cstr(&w->text) + w->block_start,
                             w->text.len - w->block_start);
  if (!text) {
    w->nomem = true;
    return;
  }
  h->explicit_id = explicit_id(w, text);
  h->text = text;
  size_t off = node_off(w->src, n);
  h->pos = parse_pos(w->doc, off);
  h->end_line = (unsigned)cmark_node_get_end_line(n);
  /* A setext heading's source starts with its text, not with '#'. */
  h->setext = w->src->text[off] != '#';
  w->heading = (int)w->headings.len - 1;
}

/* The most characters a link label holds (CommonMark, "link label"). */
#define LABEL_MAX 999

/* Fold a link label as CommonMark matches labels: case-insensitively,
 * with each run of white space as one space, trimmed. ASCII only: full
 * Unicode case folding is left to cmark, which resolved the link. */
static size_t fold_label(const char *s, size_t len, char *out) {
  size_t o = 0;
  bool space = false;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = o > 0;
      continue;
    }
    if (space)
      out[o++] = ' ';
    space = false;
    out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  out[o] = '\0';
  return o;
}

/* cmark resolved [text][label], [text][] and [label] for us but forgot
 * the label; read it back from the link's source (it ends in ']'), so the
 * definition can be found by label as CommonMark does. */
static void note_reference(struct walker *w, struct link *l, size_t start,
                           size_t end) {
  const char *t = w->src->text;
  if (end >= w->src->len || end <= start || t[end] != ']')
    return;
  l->reference = true;
  size_t open = start + (t[start] == '!');
  size_t from = open + 1, to = end; /* shortcut: [label] */
  size_t lb = end;
  while (lb > open && t[lb] != '[')
    lb--;
  if (lb > open && t[lb - 1] == ']') {
    if (lb + 1 < end)
      from = lb + 1; /* full: [text][label] */
    else
      to = lb - 1; /* collapsed: [text][] */
  }
  if (to <= from || to - from > LABEL_MAX)
    return;
  char *label = arena_alloc(w->scratch, to - from + 1);
  if (label && fold_label(t + from, to - from, label))
    l->label = label;
}

/* A link or image n starts at off: record it. Its end and destination
 * are read when it is left (on_link_leave), once its text is behind the
 * cursor. */
static void on_link_enter(struct walker *w, cmark_node *n, bool image,
                          size_t off) {
  struct link *l = vec_push(&w->links);
  if (!l) {
    w->nomem = true;
    return;
  }
  l->image = image;
  const char *url = cmark_node_get_url(n);
  /* A page keeps only the links the resolve phase checks (see
   * parse.h): an external one's destination lives in scratch. */
  l->external = url && path_is_external(url);
  l->dest = arena_strdup(l->external ? w->scratch : w->keep, url ? url : "");
  l->pos = parse_pos(w->doc, off);
  l->end = l->pos;
  l->dest_off = (size_t)-1;
}

/* The offset of the last character of link or image n, past which the
 * cursor moves (a destination may span lines libcmark did not count). */
static size_t link_end(struct walker *w, cmark_node *n, cmark_node_type type) {
  /* libcmark's end column is on its start column's footing, so it moves
   * by what colmap_start_col corrects in the start: nothing for most
   * links; for an autolink, which leaves out where its line starts in
   * the block, up or down. */
  long end = (long)cmark_node_get_end_column(n) +
             (long)colmap_start_col(n, type) -
             (long)cmark_node_get_start_column(n);
  return colmap_off(&w->cm, w->src, end > 0 ? (unsigned)end : 1);
}

/* Leaving link l (node n), which spans [off, end]: its end, the place of
 * its destination and, for a reference link, its label. */
static void on_link_leave(struct walker *w, struct link *l, cmark_node *n,
                          size_t off, size_t end) {
  l->end =
      end >= off ? pos_after(w->src, l->pos, off, end) : parse_pos(w->doc, end);
  /* Find the destination in an inline link's source: after "](", blanks
   * (a line ending too) and an optional '<'. Used to place fixes. */
  const char *url = cmark_node_get_url(n);
  size_t ulen = url ? strlen(url) : 0;
  const char *t = w->src->text;
  size_t stop = end < w->src->len ? end : w->src->len;
  for (const char *b = t + off;
       ulen && stop > 0 && b < t + stop - 1 &&
       (b = memchr(b, ']', (size_t)(t + stop - 1 - b)));
       b++) {
    if (b[1] != '(')
      continue;
    size_t d = (size_t)(b - t) + 2;
    while (d < end && strchr(" \t\r\n<", t[d]))
      d++;
    if (d + ulen <= w->src->len && memcmp(t + d, url, ulen) == 0)
      l->dest_off = d;
  }
  note_reference(w, l, off, end);
}

/* Newlines in [from, to). */
static unsigned count_newlines(const char *from, const char *to) {
  unsigned n = 0;
  while (from < to && (from = memchr(from, '\n', (size_t)(to - from)))) {
    n++;
    from++;
  }
  return n;
}

static void scan_html_comments(struct walker *w, const char *html,
                               unsigned line) {
  /* Lines are counted on from the last comment, not from the block's
   * start: a block of many comments stays linear. */
  const char *p = html, *counted = html;
  while ((p = strstr(p, "<!--")) != NULL) {
    const char *body = p + 4;
    const char *e = strstr(body, "-->");
    line += count_newlines(counted, p);
    counted = p;
    unsigned first = line;
    const char *stop = e ? e : body + strlen(body);
    unsigned last = first + count_newlines(p, stop);
    struct comment *c = vec_push(&w->comments);
    if (!c) {
      w->nomem = true;
      return;
    }
    c->text = arena_strndup(w->scratch, body, (size_t)(stop - body));
    c->line = first;
    c->end_line = last;
    if (!e)
      break;
    p = e + 3;
  }
}

/* Raw HTML lit, at off on line. */
static void on_html(struct walker *w, const char *lit, size_t off,
                    unsigned line) {
  if (!lit)
    return;
  /* Tags in an image's description render as its plain alt text. */
  if (!html_collect(w->doc, lit, line, off, w->keep, w->scratch,
                    w->image_depth ? NULL : &w->links, &w->ids))
    w->nomem = true;
  scan_html_comments(w, lit, line);
}

static void on_html_inline(struct walker *w, cmark_node *n) {
  const char *lit = cmark_node_get_literal(n);
  size_t off =
      colmap_off(&w->cm, w->src, colmap_start_col(n, CMARK_NODE_HTML_INLINE));
  unsigned line = w->cm.line;
  if (lit && strchr(lit, '\n'))
    colmap_html(&w->cm, w->src, lit);
  on_html(w, lit, off, line);
}

/* Text or inline code n. */
static void on_text(struct walker *w, cmark_node *n, bool code) {
  const char *lit = cmark_node_get_literal(n);
  size_t off =
      colmap_off(&w->cm, w->src, (unsigned)cmark_node_get_start_column(n));
  if (code && cmark_node_get_end_line(n) > cmark_node_get_start_line(n))
    colmap_code(&w->cm, w->src, n, off);
  if (!lit)
    return;
  if (w->image_depth > 0) {
    if (!buf_puts(&w->alt, lit))
      w->nomem = true;
    return;
  }
  if (!w->in_block)
    return;
  if (code)
    off = code_content_off(w->src, off, lit);
  unsigned flags = (code ? SEG_CODE : 0) | (w->link_depth ? SEG_LINK : 0);
  add_seg(w, off, lit, strlen(lit), flags);
}

/* Flag the lines of block n. */
static void mark_lines(struct walker *w, cmark_node *n, unsigned flag) {
  set_lines(w->doc, cmark_node_get_start_line(n), cmark_node_get_end_line(n),
            flag);
}

/* How many lines of link reference definitions open paragraph or
 * heading n, whose text ends on line last. The block no longer holds
 * them, but libcmark (0.30) still starts it at their first line and
 * numbers its inlines' lines from there, so the last inline that has a
 * place says how far off they are. That is trusted only when the block's
 * first line reads as a definition ("[label]:") and its text no longer
 * starts with it: the inlines of a link across lines end short of the
 * block too. */
static int definition_lines(const struct source *src, cmark_node *n, int last) {
  size_t at = node_off(src, n);
  if (at >= src->len || src->text[at] != '[')
    return 0;
  size_t len;
  const char *s = scan_line(src, (unsigned)cmark_node_get_start_line(n), &len);
  size_t from = (size_t)(src->text + at - s);
  const char *close = from < len ? memchr(s + from, ']', len - from) : NULL;
  if (!close || close + 1 >= s + len || close[1] != ':')
    return 0;
  size_t head = (size_t)(close + 2 - (src->text + at)); /* "[label]:" */
  cmark_node *first = cmark_node_first_child(n);
  const char *lit = first && cmark_node_get_type(first) == CMARK_NODE_TEXT
                        ? cmark_node_get_literal(first)
                        : NULL;
  if (lit && !strncmp(lit, src->text + at, head))
    return 0; /* not a definition after all: the paragraph holds it */
  for (cmark_node *c = cmark_node_last_child(n); c; c = cmark_node_previous(c))
    if (cmark_node_get_end_line(c) > 0) {
      int d = last - cmark_node_get_end_line(c);
      return d > 0 ? d : 0;
    }
  return 0;
}

/* Whether line reads as a setext underline: a run of '=' or '-' after
 * nothing but blanks and block quote markers. */
static bool underline(const struct source *src, unsigned line) {
  size_t len;
  const char *s = scan_line(src, line, &len);
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
    len--;
  if (!len || (s[len - 1] != '=' && s[len - 1] != '-'))
    return false;
  char c = s[len - 1];
  while (len && s[len - 1] == c)
    len--;
  while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '>'))
    len--;
  return len == 0;
}

/* The last line of heading n: its underline, for a setext heading.
 * libcmark (0.30) ends one on the line after its underline, or on the
 * underline itself when no line follows. */
static int heading_end(const struct source *src, cmark_node *n) {
  int first = cmark_node_get_start_line(n), end = cmark_node_get_end_line(n);
  if (end <= first)
    return first;
  if ((size_t)end < src->nlines || underline(src, (unsigned)end - 1))
    end--;
  return end;
}

static void on_enter(struct walker *w, cmark_node *n, cmark_node_type type) {
  switch (type) {
  case CMARK_NODE_BLOCK_QUOTE:
    w->quotes++;
    break;
  case CMARK_NODE_PARAGRAPH: {
    int end = cmark_node_get_end_line(n);
    int text = cmark_node_get_start_line(n) + definition_lines(w->src, n, end);
    mark_lines(w, n, LINE_PARA);
    set_lines(w->doc, text, end, LINE_TEXT);
    begin_block(w, BLOCK_PARAGRAPH);
    colmap_begin(&w->cm, w->src, (unsigned)text,
                 (unsigned)cmark_node_get_start_column(n), w->quotes);
    break;
  }
  case CMARK_NODE_HEADING: {
    /* A setext heading's text may go on with a line that reads as a
     * definition, as a paragraph's may; its underline is text too. */
    int first = cmark_node_get_start_line(n), end = heading_end(w->src, n);
    int text = first + definition_lines(w->src, n, end > first ? end - 1 : end);
    set_lines(w->doc, first, end, LINE_HEADING);
    set_lines(w->doc, text, end, LINE_TEXT);
    begin_block(w, BLOCK_HEADING);
    colmap_begin(&w->cm, w->src, (unsigned)text,
                 (unsigned)cmark_node_get_start_column(n), w->quotes);
    break;
  }
  case CMARK_NODE_CODE_BLOCK:
    mark_lines(w, n, LINE_CODE);
    break;
  case CMARK_NODE_HTML_BLOCK:
    mark_lines(w, n, LINE_HTML);
    on_html(w, cmark_node_get_literal(n), node_off(w->src, n),
            (unsigned)cmark_node_get_start_line(n));
    break;
  case CMARK_NODE_ITEM: {
    int first = cmark_node_get_start_line(n);
    set_lines(w->doc, first, first, LINE_ITEM);
    mark_lines(w, n, LINE_IN_ITEM);
    break;
  }
  case CMARK_NODE_TEXT:
    on_text(w, n, false);
    break;
  case CMARK_NODE_CODE:
    on_text(w, n, true);
    break;
  case CMARK_NODE_SOFTBREAK:
  case CMARK_NODE_LINEBREAK:
    colmap_break(&w->cm, w->src, n, type);
    if (w->image_depth > 0)
      buf_putc(&w->alt, ' ');
    else if (w->in_block && !buf_putc(&w->text, ' '))
      w->nomem = true;
    break;
  case CMARK_NODE_HTML_INLINE:
    on_html_inline(w, n);
    break;
  case CMARK_NODE_LINK:
    if (w->image_depth == 0 && w->link_depth == 0) {
      w->link_off = colmap_off(&w->cm, w->src, colmap_start_col(n, type));
      on_link_enter(w, n, false, w->link_off);
      w->link_text_start = w->text.len;
      w->link_index = w->links.len - 1;
    }
    w->link_depth++;
    break;
  case CMARK_NODE_IMAGE:
    if (w->image_depth++ == 0) {
      w->image_off = colmap_off(&w->cm, w->src, colmap_start_col(n, type));
      on_link_enter(w, n, true, w->image_off);
      w->image_index = w->links.len - 1;
      w->alt.len = 0;
    }
    break;
  default:
    break;
  }
}

static void on_leave(struct walker *w, cmark_node *n, cmark_node_type type) {
  switch (type) {
  case CMARK_NODE_BLOCK_QUOTE:
    w->quotes--;
    break;
  case CMARK_NODE_PARAGRAPH:
    end_block(w);
    break;
  case CMARK_NODE_HEADING:
    on_heading_exit(w, n);
    end_block(w);
    break;
  case CMARK_NODE_LINK: {
    size_t end = link_end(w, n, type);
    if (--w->link_depth == 0 && w->image_depth == 0 &&
        w->link_index < w->links.len && w->text.len >= w->link_text_start) {
      struct link *l = vec_at(&w->links, w->link_index);
      l->text =
          arena_strndup(w->scratch, buf_cstr(&w->text) + w->link_text_start,
                        w->text.len - w->link_text_start);
      on_link_leave(w, l, n, w->link_off, end);
    }
    break;
  }
  case CMARK_NODE_IMAGE: {
    size_t end = link_end(w, n, type);
    if (--w->image_depth == 0 && w->image_index < w->links.len) {
      struct link *l = vec_at(&w->links, w->image_index);
      l->text = arena_strndup(w->scratch, buf_cstr(&w->alt), w->alt.len);
      on_link_leave(w, l, n, w->image_off, end);
    }
    break;
  }
  default:
    break;
  }
}

/* Links whose text could not be read (out of memory) get an empty one. */
static void fill_link_texts(struct walker *w) {
  for (size_t i = 0; i < w->links.len; i++) {
    struct link *l = vec_at(&w->links, i);
    if (!l->text)
      l->text = "";
  }
}

/* A label's definition as find_definitions looks for it. */
struct wanted_def {
  const char *dest; /* as a link with this label resolved it */
  unsigned first;   /* the first line that reads "[label]:", or 0 */
  unsigned line;    /* the first whose destination is dest, or 0 */
  size_t dest_off;  /* where dest stands on that line */
};

/* Whether line s[0, len), which reads "[label]:" up to after, defines
 * dest: the destination as written (perhaps in <>), then nothing but a
 * title or the line's end. Sets *off to the destination's offset in s. */
static bool defines(const char *s, size_t len, size_t after, const char *dest,
                    size_t *off) {
  size_t i = after, dl = strlen(dest);
  while (i < len && (s[i] == ' ' || s[i] == '\t'))
    i++;
  bool angle = i < len && s[i] == '<';
  i += angle;
  if (len - i < dl || memcmp(s + i, dest, dl) != 0)
    return false;
  *off = i;
  i += dl;
  if (angle && (i >= len || s[i++] != '>'))
    return false;
  size_t j = i;
  while (j < len && (s[j] == ' ' || s[j] == '\t'))
    j++;
  return j == len || (j > i && (s[j] == '"' || s[j] == '\'' || s[j] == '('));
}

/* The ']' that closes the link label opened at open ('['), or NULL when
 * it has none: a label holds at most LABEL_MAX characters, no unescaped '['
 * and no blank line, and may go on over lines ("[a\nlabel]: x"). */
static const char *label_close(const struct source *src, const char *open) {
  const char *end = src->text + src->len;
  bool line_empty = false;
  for (const char *p = open + 1; p < end && p - open <= LABEL_MAX + 1; p++) {
    if (*p == ']')
      return p + 1 < end && p > open + 1 ? p : NULL;
    if (*p == '[')
      return NULL;
    if (*p == '\\' && p + 1 < end && p[1] != '\n' && p[1] != '\r') {
      p++;
      line_empty = false;
    } else if (*p == '\n' || *p == '\r') {
      if (*p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
      if (line_empty)
        return NULL; /* a blank line ends the paragraph */
      line_empty = true;
    } else if (*p != ' ' && *p != '\t') {
      line_empty = false;
    }
  }
  return NULL;
}

/* Give reference links the line of their definition: read the definition
 * lines ("[label]: dest") outside code, HTML and front matter, and match
 * them to the links by folded label. The first line that defines the
 * destination the link resolved to wins, as the first definition of a
 * label does in CommonMark; a line that only reads like one ("[r]: x
 * and more", which libcmark leaves as text) is passed over, so that a
 * fix never rewrites it. One pass over the lines, one lookup each. */
static void find_definitions(struct walker *w) {
  struct doc *doc = w->doc;
  struct hmap wanted; /* folded label -> struct wanted_def */
  hmap_init(&wanted);
  for (size_t k = 0; k < w->links.len && !w->nomem; k++) {
    struct link *l = vec_at(&w->links, k);
    if (!l->label || hmap_get(&wanted, l->label, strlen(l->label)))
      continue;
    struct wanted_def *d = arena_alloc(w->scratch, sizeof(*d));
    if (!d || !hmap_put(&wanted, l->label, strlen(l->label), d)) {
      w->nomem = true;
      break;
    }
    *d = (struct wanted_def){.dest = l->dest};
  }
  char label[LABEL_MAX + 1];
  for (unsigned ln = 1; wanted.len && ln <= w->src->nlines; ln++) {
    if (doc->line_flags[ln] & (LINE_CODE | LINE_HTML | LINE_FRONT | LINE_TEXT))
      continue;
    size_t len;
    const char *s = scan_line(w->src, ln, &len);
    /* Code, HTML and paragraph text are passed over above, so what
     * stands after the marks is a definition or nothing. */
    size_t i = marks_prefix(s, len, doc->line_flags[ln] & LINE_ITEM);
    if (i >= len || s[i] != '[')
      continue;
    const char *close = label_close(w->src, s + i);
    if (!close || close[1] != ':')
      continue;
    size_t llen = (size_t)(close - s - i - 1);
    size_t n = fold_label(s + i + 1, llen, label);
    struct wanted_def *d = n ? hmap_get(&wanted, label, n) : NULL;
    if (!d || d->line)
      continue;
    if (!d->first)
      d->first = ln;
    /* The destination follows on the line that closes the label. */
    size_t cl = scan_line_of(w->src, (size_t)(close - w->src->text)), clen;
    const char *cs = scan_line(w->src, cl, &clen);
    size_t off;
    if (defines(cs, clen, (size_t)(close + 2 - cs), d->dest, &off)) {
      d->line = ln;
      d->dest_off = (size_t)(cs - w->src->text) + off;
    }
  }
  for (size_t k = 0; k < w->links.len; k++) {
    struct link *l = vec_at(&w->links, k);
    const struct wanted_def *d =
        l->label ? hmap_get(&wanted, l->label, strlen(l->label)) : NULL;
    l->label = NULL; /* it lives in scratch; the link outlives the parse */
    if (!d || !d->first)
      continue;
    /* A destination written otherwise (escaped, on the next line) still
     * names the line, but gives no place to fix. Every link of a label
     * resolved to the same definition: this code folds labels in ASCII
     * only, so it never puts together two that libcmark keeps apart. */
    l->def_line = d->line ? d->line : d->first;
    if (d->line)
      l->dest_off = d->dest_off;
  }
  hmap_free(&wanted);
}

static void *detach(struct vec *v, size_t *n) {
  *n = v->len;
  return v->data;
}

/* The tree of src: in pool when there is one, else with libcmark's own
 * allocator. NULL when out of memory. */
static cmark_node *parse_tree(const struct source *src, struct pool *pool) {
  if (!pool)
    return cmark_parse_document(src->parse_text, src->len, CMARK_OPT_SOURCEPOS);
  jmp_buf oom;
  if (setjmp(oom)) {
    /* libcmark cannot survive a failed allocation; the pool jumped here
     * instead, and its release frees what the parser had made. */
    pool_parse_end(pool);
    return NULL;
  }
  cmark_mem *mem = pool_parse_begin(pool, &oom);
  cmark_parser *parser = cmark_parser_new_with_mem(CMARK_OPT_SOURCEPOS, mem);
  cmark_parser_feed(parser, src->parse_text, src->len);
  cmark_node *root = cmark_parser_finish(parser);
  cmark_parser_free(parser);
  pool_parse_end(pool);
  return root;
}

/* Node types that never have children, and nothing to do on leaving. */
static bool is_leaf(cmark_node_type type) {
  switch (type) {
  case CMARK_NODE_TEXT:
  case CMARK_NODE_SOFTBREAK:
  case CMARK_NODE_LINEBREAK:
  case CMARK_NODE_CODE:
  case CMARK_NODE_HTML_INLINE:
  case CMARK_NODE_CODE_BLOCK:
  case CMARK_NODE_HTML_BLOCK:
  case CMARK_NODE_THEMATIC_BREAK:
    return true;
  default:
    return false;
  }
}

/* Walk the tree in document order as cmark's iterator would, without
 * allocating: every node is entered, every container left. Each step is
 * a call into libcmark and a page may have hundreds of thousands of
 * nodes, so a leaf is neither asked for children nor left. */
static void walk(struct walker *w, cmark_node *root) {
  for (cmark_node *n = root; n && !w->nomem;) {
    cmark_node_type type = cmark_node_get_type(n);
    on_enter(w, n, type);
    cmark_node *child = is_leaf(type) ? NULL : cmark_node_first_child(n);
    if (child) {
      n = child;
      continue;
    }
    for (;;) {
      if (!is_leaf(type))
        on_leave(w, n, type);
      if (n == root) {
        n = NULL;
        break;
      }
      cmark_node *next = cmark_node_next(n);
      if (next) {
        n = next;
        break;
      }
      n = cmark_node_parent(n);
      type = cmark_node_get_type(n);
    }
  }
}

void parse_reuse_init(struct parse_reuse *r) {
  vec_init(&r->headings, sizeof(struct heading));
  vec_init(&r->links, sizeof(struct link));
  vec_init(&r->blocks, sizeof(struct textblock));
  vec_init(&r->ids, sizeof(struct html_id));
  vec_init(&r->comments, sizeof(struct comment));
  vec_init(&r->segs, sizeof(struct seg));
  vec_init(&r->spans, sizeof(struct span));
  buf_init(&r->text);
  buf_init(&r->alt);
}

void parse_reuse_free(struct parse_reuse *r) {
  vec_free(&r->headings);
  vec_free(&r->links);
  vec_free(&r->blocks);
  vec_free(&r->ids);
  vec_free(&r->comments);
  vec_free(&r->segs);
  vec_free(&r->spans);
  buf_free(&r->text);
  buf_free(&r->alt);
}

/* Empty v for the next parse; free it when it grew past the limit. */
static void vec_give_back(struct vec *v) {
  if (v->cap * v->elem_size > PARSE_REUSE_MAX)
    vec_free(v);
  v->len = 0;
}

static void buf_give_back(struct buf *b) {
  if (b->cap > PARSE_REUSE_MAX)
    buf_free(b);
  b->len = 0;
}

clint_status parse_doc(const struct source *src, struct arena *keep,
                       struct arena *scratch, struct pool *pool,
                       struct doc *doc) {
  return parse_doc_reusing(src, keep, scratch, pool, NULL, doc);
}

clint_status parse_doc_reusing(const struct source *src, struct arena *keep,
                               struct arena *scratch, struct pool *pool,
                               struct parse_reuse *reuse, struct doc *doc) {
  memset(doc, 0, sizeof(*doc));
  doc->src = src;
  doc->cache = arena_alloc(scratch, sizeof(*doc->cache));
  doc->line_flags = arena_alloc(scratch, src->nlines + 2);
  if (!doc->cache || !doc->line_flags)
    return CLINT_E_NOMEM;
  struct pool_mark mark = pool ? pool_mark(pool) : (struct pool_mark){0};
  cmark_node *root = parse_tree(src, pool);
  if (!root) {
    if (pool)
      pool_release(pool, mark);
    return CLINT_E_NOMEM;
  }
  struct parse_reuse own;
  struct parse_reuse *r = reuse ? reuse : &own;
  if (!reuse)
    parse_reuse_init(&own);
  struct walker w = {.src = src,
                     .doc = doc,
                     .keep = keep,
                     .scratch = scratch,
                     .headings = r->headings,
                     .links = r->links,
                     .blocks = r->blocks,
                     .ids = r->ids,
                     .comments = r->comments,
                     .segs = r->segs,
                     .spans = r->spans,
                     .text = r->text,
                     .alt = r->alt};
  /* The blocks' plain text is about as long as the page, never much
   * longer: one allocation instead of a dozen doublings and copies. */
  if (!buf_reserve(&w.text, src->len + src->len / 8 + 64))
    w.nomem = true;
  if (src->body_line > 1)
    set_lines(doc, 1, (int)src->body_line - 1, LINE_FRONT);
  walk(&w, root);
  /* Everything the checks read has been copied out of the tree. */
  if (pool)
    pool_release(pool, mark);
  else
    cmark_node_free(root);
  fill_link_texts(&w);
  find_definitions(&w);
  place_blocks(&w);
  doc->headings = detach(&w.headings, &doc->nheadings);
  doc->links = detach(&w.links, &doc->nlinks);
  doc->blocks = detach(&w.blocks, &doc->nblocks);
  doc->ids = detach(&w.ids, &doc->nids);
  doc->comments = detach(&w.comments, &doc->ncomments);
  if (reuse) {
    /* The arrays stay reuse's; doc borrows them until parse_free. */
    *reuse =
        (struct parse_reuse){w.headings, w.links, w.blocks, w.ids, w.comments,
                             w.segs,     w.spans, w.text,   w.alt};
    doc->reuse = reuse;
  } else {
    vec_free(&w.spans); /* the rest now belong to doc */
    buf_free(&w.alt);
  }
  if (w.nomem || keep->failed || scratch->failed)
    return CLINT_E_NOMEM;
  return CLINT_OK;
}

void parse_free(struct doc *doc) {
  struct parse_reuse *r = doc->reuse;
  if (r) {
    vec_give_back(&r->headings);
    vec_give_back(&r->links);
    vec_give_back(&r->blocks);
    vec_give_back(&r->ids);
    vec_give_back(&r->comments);
    vec_give_back(&r->segs);
    vec_give_back(&r->spans);
    buf_give_back(&r->text);
    buf_give_back(&r->alt);
  } else {
    free(doc->headings);
    free(doc->links);
    free(doc->blocks);
    free(doc->text_store);
    free(doc->seg_store);
    free(doc->ids);
    free(doc->comments);
  }
  memset(doc, 0, sizeof(*doc));
}

size_t parse_seg_after(const struct textblock *b, size_t off) {
  size_t lo = 0, hi = b->nsegs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->segs[mid].text_off + b->segs[mid].len <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

size_t parse_block_src(const struct textblock *b, size_t text_off) {
  if (b->nsegs == 0)
    return 0;
  size_t lo = 0, hi = b->nsegs;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->segs[mid].text_off <= text_off)
      lo = mid;
    else
      hi = mid;
  }
  const struct seg *s = &b->segs[lo];
  size_t d = text_off > s->text_off ? text_off - s->text_off : 0;
  if (d > s->len)
    d = s->len;
  return s->src_off + d;
}

struct pos parse_block_pos(const struct doc *doc, const struct textblock *b,
                           size_t text_off) {
  return parse_pos(doc, parse_block_src(b, text_off));
}
