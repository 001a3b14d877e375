/* utf8.c - decoding, encoding and counting UTF-8; see utf8.h. Used by every
 * stage that reads text as characters: scan's plain C check and columns,
 * anchors, the checks and the report writers. */
#include "utf8.h"

#include <string.h>

size_t utf8_decode_multi(const char *s, size_t n, uint32_t *cp) {
  const unsigned char *p = (const unsigned char *)s;
  if (n == 0)
    return 0;
  unsigned c = p[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  /* The lead byte fixes the length and the range of the second byte,
   * which is what rules out overlong forms (E0, F0), surrogates (ED) and
   * values past U+10FFFF (F4); C0, C1 and F5..FF never occur. */
  size_t len;
  unsigned lo = 0x80, hi = 0xBF;
  uint32_t v;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    v = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    v = c & 0x0F;
    lo = c == 0xE0 ? 0xA0 : 0x80;
    hi = c == 0xED ? 0x9F : 0xBF;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    v = c & 0x07;
    lo = c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xF4 ? 0x8F : 0xBF;
  } else {
    return 0;
  }
  if (n < len || p[1] < lo || p[1] > hi)
    return 0;
  v = v << 6 | (p[1] & 0x3Fu);
  for (size_t i = 2; i < len; i++) {
    if (!utf8_is_cont(p[i]))
      return 0;
    v = v << 6 | (p[i] & 0x3Fu);
  }
  *cp = v;
  return len;
}

size_t utf8_encode(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

size_t utf8_count(const char *s, size_t n) {
  /* Count the continuation bytes eight at a time: bit 7 set and bit 6
   * clear. Columns are counted for every finding, on lines that may be
   * long. */
  size_t cont = 0, i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    /* One bit per byte, at bit 7: shifted to bit 0, a multiply adds
     * the eight bytes into the top one (a popcount is a libgcc call on
     * the baseline x86-64). */
    uint64_t m = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7;
    cont += (size_t)((m * 0x0101010101010101ULL) >> 56);
  }
  for (; i < n; i++)
    cont += utf8_is_cont((unsigned char)s[i]);
  return n - cont;
}

size_t utf8_back(const char *s, size_t lo, size_t i) {
  if (i <= lo)
    return lo;
  i--;
  while (i > lo && utf8_is_cont((unsigned char)s[i]))
    i--;
  return i;
}

size_t utf8_forward(const char *s, size_t n, size_t i) {
  while (i < n && utf8_is_cont((unsigned char)s[i]))
    i++;
  return i;
}
