/* secnum.c - dotted section numbers (see secnum.h): read from headings
 * and from prose, compared and written back. */
#include "secnum.h"

#include <stdio.h>
#include <string.h>

static bool digit(char c) { return c >= '0' && c <= '9'; }

size_t secnum_parse(const char *s, size_t len, struct secnum *out) {
  size_t i = 0;
  out->n = 0;
  while (i < len && digit(s[i])) {
    unsigned v = 0;
    size_t start = i;
    for (; i < len && digit(s[i]); i++) {
      if (i - start == SECNUM_MAX_DIGITS)
        return 0;
      v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (out->n == SECNUM_MAX_PARTS)
      return 0;
    out->part[out->n++] = v;
    if (i + 1 < len && s[i] == '.' && digit(s[i + 1]))
      i++;
    else
      break;
  }
  return out->n ? i : 0;
}

bool secnum_from_str(const char *s, struct secnum *out) {
  out->n = 0;
  if (!s)
    return false;
  size_t len = strlen(s);
  return len && secnum_parse(s, len, out) == len;
}

int secnum_cmp(const struct secnum *a, const struct secnum *b) {
  for (unsigned i = 0; i < a->n && i < b->n; i++)
    if (a->part[i] != b->part[i])
      return a->part[i] < b->part[i] ? -1 : 1;
  return a->n == b->n ? 0 : a->n < b->n ? -1 : 1;
}

bool secnum_same_prefix(const struct secnum *a, const struct secnum *b,
                        unsigned n) {
  if (a->n < n || b->n < n)
    return false;
  for (unsigned i = 0; i < n; i++)
    if (a->part[i] != b->part[i])
      return false;
  return true;
}

void secnum_str(const struct secnum *n, char *buf, size_t cap) {
  size_t o = 0;
  if (cap == 0)
    return;
  buf[0] = '\0';
  for (unsigned i = 0; i < n->n && o < cap; i++) {
    int w = snprintf(buf + o, cap - o, i ? ".%u" : "%u", n->part[i]);
    if (w < 0)
      return;
    o += (size_t)w;
  }
}
