/* notebook.c - the markdown cells of a notebook (see notebook.h). jansson
 * reads the JSON: a well-kept library, where our own parser would be one
 * more thing to get right on hostile input. It gives no positions, so
 * they come from the file's text: jansson has checked the document, and
 * in a valid document each '"' outside a string opens the next string.
 * Walking jansson's tree in file order (it keeps the order of an object's
 * keys, and duplicate keys are refused), the n-th string of the tree is
 * the n-th string of the file; a cell's source strings are decoded from
 * the file's text, escape by escape, so every character's column is
 * known. */
#include "notebook.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/status.h"
#include "util/utf8.h"

struct piece {
  size_t start, end; /* a source string's text in the file, quotes out */
};

struct nb {
  const struct source *src;
  const char *s; /* the file's text */
  size_t len;
  size_t at;        /* where to look for the next string */
  struct vec cell;  /* struct piece: the source of the cell being read */
  struct buf out;   /* the Markdown text */
  struct vec lines; /* struct srcmap_line */
  struct vec esc;   /* struct srcmap_esc */
  unsigned line;    /* the text line being written, 1-based */
  unsigned chars;   /* characters on it so far */
  bool open;        /* it has an entry in lines */
  unsigned last;    /* the last text line of the cell before, or 0 */
  /* Where the last column was counted, so that a file of one long line
   * is not counted from its start for each text line. */
  size_t col_off;
  unsigned col_line, col;
  bool nomem;
};

/* The next string of the file: its text [*start, *end). */
static void next_string(struct nb *b, size_t *start, size_t *end) {
  const char *q = memchr(b->s + b->at, '"', b->len - b->at);
  size_t i = q ? (size_t)(q - b->s) + 1 : b->len;
  *start = i;
  for (;;) {
    const char *c = i < b->len ? memchr(b->s + i, '"', b->len - i) : NULL;
    if (!c) {
      i = b->len;
      break;
    }
    size_t j = (size_t)(c - b->s), bs = 0;
    while (j - bs > *start && b->s[j - bs - 1] == '\\')
      bs++;
    i = j;
    if (bs % 2 == 0)
      break;
    i++;
  }
  *end = i;
  b->at = i < b->len ? i + 1 : b->len;
}

static void skip_string(struct nb *b) {
  size_t start, end;
  next_string(b, &start, &end);
}

/* Step over the strings of v and of everything in it. Depth is bounded
 * by jansson's parser (JSON_PARSER_MAX_DEPTH). */
static void skip(struct nb *b, json_t *v) {
  const char *key;
  json_t *x;
  size_t i;
  switch (json_typeof(v)) {
  case JSON_OBJECT:
    json_object_foreach(v, key, x) {
      skip_string(b);
      skip(b, x);
    }
    break;
  case JSON_ARRAY:
    json_array_foreach(v, i, x) skip(b, x);
    break;
  case JSON_STRING:
    skip_string(b);
    break;
  default:
    break;
  }
}

/* The file column (in characters) of offset off on file line `line`. */
static unsigned file_col(struct nb *b, unsigned line, size_t off) {
  size_t from = b->src->line_starts[line - 1];
  unsigned col = 1;
  if (b->col_line == line && b->col_off >= from && b->col_off <= off) {
    from = b->col_off;
    col = b->col;
  }
  col += (unsigned)utf8_count(b->s + from, off - from);
  b->col_line = line;
  b->col_off = off;
  b->col = col;
  return col;
}

/* Give the text line being written its place in the file: the file
 * offset of its first character. */
static void place_line(struct nb *b, size_t off) {
  if (b->open)
    return;
  struct srcmap_line *l = vec_push(&b->lines);
  if (!l) {
    b->nomem = true;
    return;
  }
  unsigned line = scan_line_of(b->src, off);
  *l = (struct srcmap_line){b->line, line, file_col(b, line, off), b->esc.len,
                            0};
  b->open = true;
}

static void newline(struct nb *b) {
  if (!buf_putc(&b->out, '\n'))
    b->nomem = true;
  b->line++;
  b->chars = 0;
  b->open = false;
}

/* Note an escape of `width` characters in the file for one in the text,
 * at the current place of the text line. */
static void escape(struct nb *b, unsigned width) {
  struct srcmap_esc *e = vec_push(&b->esc);
  if (!e) {
    b->nomem = true;
    return;
  }
  *e = (struct srcmap_esc){b->chars, width - 1};
  ((struct srcmap_line *)vec_at(&b->lines, b->lines.len - 1))->nesc++;
}

static unsigned hex4(const char *s) {
  unsigned v = 0;
  for (int k = 0; k < 4; k++) {
    char c = s[k];
    v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
  }
  return v;
}

/* One escape at s[i] ('\\'), valid as jansson checked: written to the
 * text; returns its length in the file. */
static size_t unescape(struct nb *b, size_t i) {
  const char *s = b->s + i;
  if (s[1] == 'n') {
    place_line(b, i);
    newline(b);
    return 2;
  }
  place_line(b, i);
  char out[4];
  size_t n = 1, width = 2;
  switch (s[1]) {
  case 'b':
    out[0] = '\b';
    break;
  case 'f':
    out[0] = '\f';
    break;
  case 'r':
    out[0] = '\r';
    break;
  case 't':
    out[0] = '\t';
    break;
  case 'u': {
    unsigned long c = hex4(s + 2);
    width = 6;
    if (c >= 0xD800 && c <= 0xDBFF && s[6] == '\\' && s[7] == 'u') {
      c = 0x10000 + ((c - 0xD800) << 10) + (hex4(s + 8) - 0xDC00);
      width = 12;
    }
    /* A NUL would end the text early: a space keeps every place. */
    n = c ? utf8_encode((uint32_t)c, out) : (out[0] = ' ', 1);
    break;
  }
  default: /* '"', '\\', '/' */
    out[0] = s[1];
    break;
  }
  escape(b, (unsigned)width);
  if (!buf_append(&b->out, out, n))
    b->nomem = true;
  b->chars++;
  return width;
}

/* Write one source string of a markdown cell to the text. */
static void write_piece(struct nb *b, const struct piece *pc) {
  /* A string that starts a line starts on its file line when the text
   * has not gone past it. */
  unsigned want = scan_line_of(b->src, pc->start);
  while (!b->open && b->chars == 0 && b->line < want && !b->nomem)
    newline(b);
  size_t i = pc->start;
  while (i < pc->end && !b->nomem) {
    const char *bs = memchr(b->s + i, '\\', pc->end - i);
    size_t run = bs ? (size_t)(bs - b->s) : pc->end;
    if (run > i) {
      place_line(b, i);
      if (!buf_append(&b->out, b->s + i, run - i))
        b->nomem = true;
      b->chars += (unsigned)utf8_count(b->s + i, run - i);
      i = run;
    }
    if (i < pc->end)
      i += unescape(b, i);
  }
}

/* Write the cell read into b->cell, apart from the one before by a blank
 * line at least. */
static void write_cell(struct nb *b) {
  if (b->cell.len == 0)
    return;
  if (b->open || b->chars)
    newline(b);
  while (b->last && b->line < b->last + 2 && !b->nomem)
    newline(b);
  for (size_t k = 0; k < b->cell.len; k++)
    write_piece(b, vec_at(&b->cell, k));
  b->last = b->line;
  if (b->open || b->chars)
    newline(b);
}

static void add_piece(struct nb *b) {
  struct piece *pc = vec_push(&b->cell);
  if (!pc) {
    b->nomem = true;
    skip_string(b);
    return;
  }
  next_string(b, &pc->start, &pc->end);
}

static void read_cell(struct nb *b, json_t *cell) {
  if (!json_is_object(cell)) {
    skip(b, cell);
    return;
  }
  b->cell.len = 0;
  bool markdown = false;
  const char *key;
  json_t *v;
  json_object_foreach(cell, key, v) {
    skip_string(b);
    if (!strcmp(key, "cell_type") && json_is_string(v)) {
      skip_string(b);
      markdown = !strcmp(json_string_value(v), "markdown");
    } else if (!strcmp(key, "source") && json_is_string(v)) {
      add_piece(b);
    } else if (!strcmp(key, "source") && json_is_array(v)) {
      size_t i;
      json_t *x;
      json_array_foreach(v, i, x) {
        if (json_is_string(x))
          add_piece(b);
        else
          skip(b, x);
      }
    } else {
      skip(b, v);
    }
  }
  if (markdown)
    write_cell(b);
}

static bool only_space(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
      return false;
  return true;
}

clint_status notebook_extract(const struct source *json, const char *name,
                              struct arena *a, char **text, size_t *len,
                              const struct srcmap **map, clint_error *err) {
  *text = NULL;
  *len = 0;
  *map = NULL;
  json_t *root = NULL;
  if (!only_space(json->text, json->len)) {
    json_error_t e;
    root = json_loadb(json->text, json->len,
                      JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &e);
    if (!root)
      return status_set(err, CLINT_E_IO, name,
                        (unsigned)(e.line > 0 ? e.line : 1),
                        (unsigned)(e.column > 0 ? e.column : 1),
                        "not a valid notebook: %s", e.text);
  }
  struct nb b = {.src = json, .s = json->text, .len = json->len, .line = 1};
  vec_init(&b.cell, sizeof(struct piece));
  vec_init(&b.lines, sizeof(struct srcmap_line));
  vec_init(&b.esc, sizeof(struct srcmap_esc));
  buf_init(&b.out);
  if (json_is_object(root)) {
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
      skip_string(&b);
      if (!strcmp(key, "cells") && json_is_array(v)) {
        size_t i;
        json_t *cell;
        json_array_foreach(v, i, cell) read_cell(&b, cell);
      } else {
        skip(&b, v);
      }
    }
  }
  json_decref(root);
  struct srcmap *m = arena_alloc(a, sizeof(*m));
  struct srcmap_line *lines =
      arena_alloc(a, (b.lines.len ? b.lines.len : 1) * sizeof(*lines));
  struct srcmap_esc *esc =
      arena_alloc(a, (b.esc.len ? b.esc.len : 1) * sizeof(*esc));
  char *t = b.nomem ? NULL : malloc(b.out.len + 1);
  if (m && lines && esc && t) {
    /* An empty vec's data is NULL, which memcpy may not be given. */
    if (b.lines.len)
      memcpy(lines, b.lines.data, b.lines.len * sizeof(*lines));
    if (b.esc.len)
      memcpy(esc, b.esc.data, b.esc.len * sizeof(*esc));
    *m = (struct srcmap){lines, b.lines.len, esc};
    memcpy(t, b.out.data ? b.out.data : "", b.out.len);
    t[b.out.len] = '\0';
    *text = t;
    *len = b.out.len;
    *map = m;
  } else {
    free(t);
  }
  vec_free(&b.cell);
  vec_free(&b.lines);
  vec_free(&b.esc);
  buf_free(&b.out);
  if (!*text)
    return status_set(err, CLINT_E_NOMEM, name, 0, 0, "out of memory");
  return CLINT_OK;
}
