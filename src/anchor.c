/* anchor.c - heading slugs. GitHub lower-cases, keeps letters, digits,
 * marks, '-' and '_', turns each space into '-' and drops the rest.
 * Python-Markdown folds to ASCII (NFKD, then drops what is not ASCII),
 * keeps word characters, spaces and '-', lower-cases, and collapses runs
 * of spaces and '-' into one '-'. Both are approximated for non-ASCII text
 * by small tables: Latin-1 and Latin Extended-A letters, Greek and
 * Cyrillic capitals, and the punctuation and symbol blocks. */
#include "anchor.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "util/utf8.h"

/* The character at s (len > 0 bytes) and its length in *n; a byte that
 * starts no well-formed character is U+FFFD, one byte long. */
static uint32_t decode(const unsigned char *s, size_t len, size_t *n) {
  uint32_t c;
  *n = utf8_decode((const char *)s, len, &c);
  if (*n)
    return c;
  *n = 1;
  return 0xFFFD;
}

/* Non-ASCII code points that are punctuation or symbols, not letters;
 * U+FFFD, which stands for bytes that are not UTF-8, is a symbol too. */
static int is_symbol(unsigned c) {
  return (c >= 0x80 && c <= 0xBF && c != 0xAA && c != 0xB2 && c != 0xB3 &&
          c != 0xB5 && c != 0xB9 && c != 0xBA && c != 0xBC && c != 0xBD &&
          c != 0xBE) ||
         c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) ||
         (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0x1F000 && c <= 0x1FAFF) ||
         c == 0xFE0F || c == 0x200D || c == 0xFFFD;
}

static unsigned lower(unsigned c) {
  if (c >= 'A' && c <= 'Z')
    return c + 32;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) || (c >= 0x391 && c <= 0x3AB) ||
      (c >= 0x410 && c <= 0x42F))
    return c + 32;
  if (c >= 0x400 && c <= 0x40F)
    return c + 80;
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 &&
      !(c & 1) == !((c >= 0x139 && c <= 0x148) || (c >= 0x179)))
    return c + 1;
  return c;
}

size_t anchor_github(const char *text, size_t len, char *out) {
  const unsigned char *s = (const unsigned char *)text;
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    size_t n;
    unsigned c = decode(s + i, len - i, &n);
    i += n;
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '_')
        out[o++] = (char)c;
      else if (c >= 'A' && c <= 'Z')
        out[o++] = (char)(c + 32);
      else if (c == ' ')
        out[o++] = '-';
      continue;
    }
    if (is_symbol(c))
      continue;
    o += utf8_encode(lower(c), out + o);
  }
  out[o] = '\0';
  return o;
}

/* The ASCII letter that NFKD leaves of a Latin-1 letter, or 0. */
static char fold_latin1(unsigned c) {
  static const char map[] = "AAAAAA\0CEEEEIIII\0NOOOOO\0\0UUUUY\0\0"
                            "aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y";
  if (c >= 0xC0 && c <= 0xFF)
    return map[c - 0xC0];
  return 0;
}

size_t anchor_mkdocs(const char *text, size_t len, char *out) {
  const unsigned char *s = (const unsigned char *)text;
  size_t o = 0;

  /* A run of white space and '-' becomes one '-'. White space at either
   * end is stripped first, so a run there counts only if it has a '-'. */
  int pending = 0; /* 1: white space seen, 2: a '-' seen */
  for (size_t i = 0; i < len;) {
    size_t n;
    unsigned c = decode(s + i, len - i, &n);
    i += n;
    if (c >= 0x80) {
      char f = fold_latin1(c);
      if (!f)
        continue;
      c = (unsigned char)f;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '-') {
      if (c == '-')
        pending = 2;
      else if (!pending)
        pending = 1;
      continue;
    }
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_'))
      continue;
    if (pending == 2 || (pending && o > 0))
      out[o++] = '-';
    pending = 0;
    out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  if (pending == 2)
    out[o++] = '-';
  out[o] = '\0';
  return o;
}

size_t anchor_pandoc(const char *text, size_t len, char *out) {
  const unsigned char *s = (const unsigned char *)text;
  size_t o = 0;
  bool letter = false; /* nothing is kept before the first letter */
  for (size_t i = 0; i < len;) {
    size_t n;
    uint32_t c = decode(s + i, len - i, &n);
    i += n;
    if (c < 0x80) {
      bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      letter = letter || alpha;
      if (!letter)
        continue;
      if (alpha || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')
        out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
      else if (c == ' ' || c == '\t' || c == '\n')
        out[o++] = '-';
      continue;
    }
    if (is_symbol(c))
      continue;
    letter = true;
    o += utf8_encode(lower(c), out + o);
  }
  if (o == 0)
    o = (size_t)(strcpy(out, "section"), 7);
  out[o] = '\0';
  return o;
}

size_t anchor_slug(enum anchor_style style, const char *text, size_t len,
                   char *out) {
  switch (style) {
  case ANCHOR_MKDOCS:
    return anchor_mkdocs(text, len, out);
  case ANCHOR_PANDOC:
    return anchor_pandoc(text, len, out);
  default:
    return anchor_github(text, len, out);
  }
}

const char *anchor_style_name(enum anchor_style style) {
  switch (style) {
  case ANCHOR_GITHUB:
    return "github";
  case ANCHOR_MKDOCS:
    return "mkdocs";
  case ANCHOR_PANDOC:
    return "pandoc";
  default:
    return "auto";
  }
}
