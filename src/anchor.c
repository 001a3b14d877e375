/* anchor.c - heading slugs. GitHub lower-cases, keeps letters, digits,
 * marks, '-' and '_', turns each space into '-' and drops the rest.
 * Python-Markdown folds to ASCII (NFKD, then drops what is not ASCII),
 * keeps word characters, spaces and '-', lower-cases, and collapses runs
 * of spaces and '-' into one '-'. Both are approximated for non-ASCII text
 * by small tables: Latin-1 and Latin Extended-A letters, Greek and
 * Cyrillic capitals, and the punctuation and symbol blocks. */
#include "anchor.h"

#include <string.h>

static unsigned decode(const unsigned char *s, size_t len, size_t *n) {
  unsigned c = s[0];
  if (c < 0x80 || len < 2) {
    *n = 1;
    return c;
  }
  if ((c & 0xE0) == 0xC0) {
    *n = 2;
    return ((c & 0x1F) << 6) | (s[1] & 0x3F);
  }
  if ((c & 0xF0) == 0xE0 && len >= 3) {
    *n = 3;
    return ((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
  }
  if ((c & 0xF8) == 0xF0 && len >= 4) {
    *n = 4;
    return ((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) |
           (s[3] & 0x3F);
  }
  *n = 1;
  return 0xFFFD;
}

static size_t encode(unsigned c, char *out) {
  if (c < 0x80) {
    out[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (char)(0xC0 | (c >> 6));
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | (c >> 12));
    out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (c >> 18));
  out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
  out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

/* Non-ASCII code points that are punctuation or symbols, not letters. */
static int is_symbol(unsigned c) {
  return (c >= 0x80 && c <= 0xBF && c != 0xAA && c != 0xB2 && c != 0xB3 &&
          c != 0xB5 && c != 0xB9 && c != 0xBA && c != 0xBC && c != 0xBD &&
          c != 0xBE) ||
         c == 0xD7 || c == 0xF7 || (c >= 0x2000 && c <= 0x2BFF) ||
         (c >= 0x3000 && c <= 0x303F) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0x1F000 && c <= 0x1FAFF) ||
         c == 0xFE0F || c == 0x200D;
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
    o += encode(lower(c), out + o);
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

const char *anchor_style_name(enum anchor_style style) {
  switch (style) {
  case ANCHOR_GITHUB:
    return "github";
  case ANCHOR_MKDOCS:
    return "mkdocs";
  default:
    return "auto";
  }
}
