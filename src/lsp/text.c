/* text.c - a document as the server keeps it, and the three ways of
 * naming a place in it: a byte offset, an LSP position (0-based line, and
 * a character counted in UTF-16 units or in UTF-8 bytes, as negotiated)
 * and a courselint position (1-based line, 1-based column in characters).
 * Also file: URIs to paths and back. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lsp.h"
#include "util/utf8.h"

static bool is_cont(unsigned char c) { return utf8_is_cont(c); }

static bool build_lines(struct text *t) {
  size_t n = 1;
  for (size_t i = 0; i < t->len; i++)
    if (t->s[i] == '\n' || (t->s[i] == '\r' && t->s[i + 1] != '\n'))
      n++;
  size_t *lines = malloc(n * sizeof(size_t));
  if (!lines)
    return false;
  size_t k = 0;
  lines[k++] = 0;
  for (size_t i = 0; i < t->len; i++)
    if (t->s[i] == '\n' || (t->s[i] == '\r' && t->s[i + 1] != '\n'))
      lines[k++] = i + 1;
  free(t->lines);
  t->lines = lines;
  t->nlines = n;
  t->bom = t->len >= 3 && !memcmp(t->s, "\xEF\xBB\xBF", 3) ? 3 : 0;
  return true;
}

bool text_set(struct text *t, const char *s, size_t len, bool skip_bom) {
  struct text n = {0};
  n.s = malloc(len + 1);
  if (!n.s)
    return false;
  memcpy(n.s, s, len);
  n.s[len] = '\0';
  n.len = len;
  n.skip = skip_bom;
  if (!build_lines(&n)) {
    free(n.s);
    return false;
  }
  text_free(t);
  *t = n;
  return true;
}

void text_free(struct text *t) {
  free(t->s);
  free(t->lines);
  memset(t, 0, sizeof(*t));
}

bool text_replace(struct text *t, size_t from, size_t to, const char *s,
                  size_t n) {
  if (from > to || to > t->len)
    return false;
  size_t len = t->len - (to - from) + n;
  char *b = malloc(len + 1);
  if (!b)
    return false;
  memcpy(b, t->s, from);
  memcpy(b + from, s, n);
  memcpy(b + from + n, t->s + to, t->len - to);
  b[len] = '\0';
  char *old = t->s;
  size_t old_len = t->len;
  t->s = b;
  t->len = len;
  if (!build_lines(t)) {
    t->s = old;
    t->len = old_len;
    free(b);
    return false;
  }
  free(old);
  return true;
}

/* Where line i (0-based) starts and ends (without its line ending). The
 * start of line 0 is after a BOM when lib is set or the client skips
 * it. */
static size_t line_start(const struct text *t, size_t i, bool lib) {
  size_t s = t->lines[i];
  if (i == 0 && (lib || t->skip))
    s = t->bom;
  return s;
}

static size_t line_end(const struct text *t, size_t i) {
  size_t e = i + 1 < t->nlines ? t->lines[i + 1] : t->len;
  if (e > t->lines[i] && t->s[e - 1] == '\n')
    e--;
  if (e > t->lines[i] && t->s[e - 1] == '\r')
    e--;
  return e;
}

/* The length of the character at p in UTF-16 units: one, or two for a
 * four-byte sequence (a surrogate pair). */
static unsigned utf16_units(unsigned char c) { return c >= 0xF0 ? 2 : 1; }

size_t text_offset(const struct text *t, unsigned line, unsigned character,
                   bool utf8) {
  if (line >= t->nlines)
    return t->len;
  size_t s = line_start(t, line, false), e = line_end(t, line);
  const unsigned char *b = (const unsigned char *)t->s;
  if (utf8) {
    size_t off = character < e - s ? s + character : e;
    while (off > s && off < e && is_cont(b[off]))
      off--;
    return off;
  }
  size_t off = s;
  unsigned units = 0;
  while (off < e && units < character) {
    unsigned u = utf16_units(b[off]);
    if (units + u > character)
      break; /* inside a surrogate pair: its start */
    units += u;
    off++;
    while (off < e && is_cont(b[off]))
      off++;
  }
  return off;
}

unsigned text_line_of(const struct text *t, size_t off) {
  size_t lo = 0, hi = t->nlines;
  while (hi - lo > 1) {
    size_t mid = lo + (hi - lo) / 2;
    if (t->lines[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  return (unsigned)lo + 1;
}

void text_position(const struct text *t, size_t off, bool utf8, unsigned *line,
                   unsigned *character) {
  if (off > t->len)
    off = t->len;
  size_t i = text_line_of(t, off) - 1;
  size_t s = line_start(t, i, false), e = line_end(t, i);
  if (off > e)
    off = e; /* inside a CRLF: the end of the line */
  *line = (unsigned)i;
  if (off <= s) {
    *character = 0;
    return;
  }
  const unsigned char *b = (const unsigned char *)t->s;
  if (utf8) {
    *character = (unsigned)(off - s);
    return;
  }
  unsigned units = 0;
  for (size_t k = s; k < off; k++)
    if (!is_cont(b[k]))
      units += utf16_units(b[k]);
  *character = units;
}

size_t text_lib_offset(const struct text *t, unsigned line, unsigned column) {
  if (line == 0)
    line = 1;
  if (line > t->nlines)
    return t->len;
  size_t s = line_start(t, line - 1, true), e = line_end(t, line - 1);
  const unsigned char *b = (const unsigned char *)t->s;
  size_t off = s;
  /* courselint counts every byte but a continuation byte as a character
   * (scan_chars): walk the same way. */
  for (unsigned c = 1; c < column && off < e; c++) {
    off++;
    while (off < e && is_cont(b[off]))
      off++;
  }
  return off;
}

size_t text_lib_end(const struct text *t, unsigned line, unsigned column) {
  size_t off = text_lib_offset(t, line, column);
  if (line == 0 || line > t->nlines)
    return off;
  size_t e = line_end(t, line - 1);
  const unsigned char *b = (const unsigned char *)t->s;
  if (off < e) {
    off++;
    while (off < e && is_cont(b[off]))
      off++;
  }
  return off;
}

const char *text_line(const struct text *t, unsigned n, size_t *len) {
  if (n == 0 || n > t->nlines) {
    *len = 0;
    return t->s + t->len;
  }
  size_t s = line_start(t, n - 1, true);
  *len = line_end(t, n - 1) - s;
  return t->s + s;
}

/* ---- URIs ---------------------------------------------------------------- */

static int hex(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

char *uri_to_path(const char *uri) {
  if (strncmp(uri, "file://", 7) != 0)
    return NULL;
  const char *p = uri + 7;
  /* An authority: none, or this machine. */
  if (!strncmp(p, "localhost/", 10))
    p += 9;
  if (*p != '/')
    return NULL;
  size_t n = strcspn(p, "?#");
  char *out = malloc(n + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (p[i] == '%') {
      int a = i + 2 < n ? hex((unsigned char)p[i + 1]) : -1;
      int b = a >= 0 ? hex((unsigned char)p[i + 2]) : -1;
      if (a < 0 || b < 0 || (a == 0 && b == 0)) {
        free(out);
        return NULL;
      }
      out[o++] = (char)(a * 16 + b);
      i += 2;
    } else {
      out[o++] = p[i];
    }
  }
  out[o] = '\0';
  return out;
}

char *path_to_uri(const char *path) {
  size_t n = strlen(path);
  char *out = malloc(7 + 3 * n + 1);
  if (!out)
    return NULL;
  memcpy(out, "file://", 7);
  size_t o = 7;
  static const char digits[] = "0123456789ABCDEF";
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)path[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~' || c == '/') {
      out[o++] = (char)c;
    } else {
      out[o++] = '%';
      out[o++] = digits[c >> 4];
      out[o++] = digits[c & 15];
    }
  }
  out[o] = '\0';
  return out;
}

/* ---- JSON strings -------------------------------------------------------- */

json_t *lsp_str(const char *s) {
  json_t *j = json_string(s);
  if (j)
    return j;
  size_t n = strlen(s);
  char *out = malloc(3 * n + 1);
  if (!out)
    return NULL;
  size_t o = 0;
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = utf8_decode(s + i, n - i, &cp);
    if (k) {
      memcpy(out + o, p + i, k);
      o += k;
      i += k;
    } else {
      memcpy(out + o, "\xEF\xBF\xBD", 3);
      o += 3;
      i++;
    }
  }
  out[o] = '\0';
  j = json_string(out);
  free(out);
  return j;
}

/* ---- Markdown ------------------------------------------------------------ */

/* Where the destination of a link lies in the bytes [from, to) of t: the
 * text after the last "](", or inside href="..." / src="...". false for
 * a reference link (its destination is elsewhere). */
bool lsp_link_dest(const char *s, size_t from, size_t to, size_t *ds,
                   size_t *de) {
  size_t at = to;
  for (size_t i = to; i-- > from + 1;)
    if (s[i - 1] == ']' && s[i] == '(') {
      at = i + 1;
      break;
    }
  if (at == to) {
    for (size_t i = from; i + 5 < to; i++)
      if ((!strncmp(s + i, "href=", 5) || !strncmp(s + i, "src=", 4))) {
        size_t k = i + (s[i] == 'h' ? 5 : 4);
        if (k < to && (s[k] == '"' || s[k] == '\'')) {
          char q = s[k++];
          size_t e = k;
          while (e < to && s[e] != q)
            e++;
          *ds = k;
          *de = e;
          return true;
        }
      }
    return false;
  }
  while (at < to && (s[at] == ' ' || s[at] == '\t'))
    at++;
  bool angle = at < to && s[at] == '<';
  size_t e = at + angle;
  while (e < to &&
         (angle ? s[e] != '>'
                : s[e] != ')' && s[e] != ' ' && s[e] != '\t' && s[e] != '\n'))
    e++;
  *ds = at + angle;
  *de = e;
  return true;
}
