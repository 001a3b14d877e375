/* path.c - path and destination helpers shared by the index and the link
 * checks: percent-decoding, normalisation and distance for suggestions. */
#include "path.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

size_t path_percent_decode(const char *s, size_t len, char *out) {
  /* Most paths have no escape: copy up to the first '%' at once. */
  const char *pct = memchr(s, '%', len);
  size_t o = pct ? (size_t)(pct - s) : len;
  memcpy(out, s, o);
  for (size_t i = o; i < len; i++) {
    if (s[i] == '%' && i + 2 < len) {
      int hi = hexval((unsigned char)s[i + 1]);
      int lo = hexval((unsigned char)s[i + 2]);
      if (hi >= 0 && lo >= 0 && (hi | lo) != 0) {
        out[o++] = (char)(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out[o++] = s[i];
  }
  out[o] = '\0';
  return o;
}

bool path_normalize(const char *s, size_t len, char *out) {
  /* Where each kept part starts in out (before its slash), so that ".."
   * drops it at once; past the first 64 parts, by scanning back. */
  size_t starts[64], depth = 0, o = 0, i = 0;
  while (i < len) {
    const char *slash = memchr(s + i, '/', len - i);
    size_t j = slash ? (size_t)(slash - s) : len;
    size_t n = j - i;
    if (n == 0 || (n == 1 && s[i] == '.')) {
      /* skip */
    } else if (n == 2 && s[i] == '.' && s[i + 1] == '.') {
      if (depth == 0)
        return false;
      if (--depth < sizeof(starts) / sizeof(starts[0])) {
        o = starts[depth];
      } else {
        while (o > 0 && out[o - 1] != '/')
          o--;
        o--; /* the slash before the dropped part: depth > 64 has one */
      }
    } else {
      if (depth < sizeof(starts) / sizeof(starts[0]))
        starts[depth] = o;
      depth++;
      if (o > 0)
        out[o++] = '/';
      memcpy(out + o, s + i, n);
      o += n;
    }
    i = j + 1;
  }
  out[o] = '\0';
  return true;
}

char *path_resolve(const char *dir, size_t dirlen, const char *dest, size_t len,
                   char *tmp, char *out, bool *folder) {
  memcpy(tmp, dir, dirlen);
  size_t o = dirlen;
  if (dirlen)
    tmp[o++] = '/';
  size_t dl = path_percent_decode(dest, len, tmp + o);
  *folder = dl && tmp[o + dl - 1] == '/';
  return path_normalize(tmp, o + dl, out) ? out : NULL;
}

size_t path_dirname_len(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? (size_t)(slash - path) : 0;
}

const char *path_basename(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

char *path_join(struct arena *a, const char *dir, const char *rel,
                size_t rellen) {
  size_t dlen = strlen(dir);
  char *p = arena_alloc(a, dlen + rellen + 2);
  if (!p)
    return NULL;
  memcpy(p, dir, dlen);
  size_t o = dlen;
  if (dlen && rellen)
    p[o++] = '/';
  memcpy(p + o, rel, rellen);
  p[o + rellen] = '\0';
  return p;
}

bool path_has_scheme(const char *s, size_t len) {
  size_t i = 0;
  if (len == 0 || !isalpha((unsigned char)s[0]))
    return false;
  while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '+' ||
                     s[i] == '-' || s[i] == '.'))
    i++;
  return i >= 2 && i < len && s[i] == ':';
}

/* Levenshtein distance in a band of width 2 * max + 1 around the diagonal
 * (cells outside it are over max anyway), after a cheap lower bound: the
 * characters one string has more of than the other must each be edited.
 * Suggestions compare one name with every name of a folder, so most
 * candidates are rejected before the quadratic part. */
size_t path_edit_distance(const char *a, size_t alen, const char *b,
                          size_t blen, size_t max) {
  const size_t over = max + 1;
  size_t diff = alen > blen ? alen - blen : blen - alen;
  if (diff > max || alen > 256 || blen > 256)
    return over;
  /* A common prefix or suffix does not change the distance, and names in
   * one folder often share long ones ("photo.<hash>.fr.png"): skip them
   * eight bytes at a time first. */
  uint64_t x, y;
  while (alen >= 8 && blen >= 8 && (memcpy(&x, a, 8), memcpy(&y, b, 8), x == y))
    a += 8, b += 8, alen -= 8, blen -= 8;
  while (alen && blen && *a == *b)
    a++, b++, alen--, blen--;
  while (alen >= 8 && blen >= 8 &&
         (memcpy(&x, a + alen - 8, 8), memcpy(&y, b + blen - 8, 8), x == y))
    alen -= 8, blen -= 8;
  while (alen && blen && a[alen - 1] == b[blen - 1])
    alen--, blen--;
  /* Only the counts of bytes that occur are read: clear just those
   * rather than all 256 on each of the many calls. */
  int count[256];
  for (size_t i = 0; i < alen; i++)
    count[(unsigned char)a[i]] = 0;
  for (size_t j = 0; j < blen; j++)
    count[(unsigned char)b[j]] = 0;
  for (size_t i = 0; i < alen; i++)
    count[(unsigned char)a[i]]++;
  for (size_t j = 0; j < blen; j++)
    count[(unsigned char)b[j]]--;
  /* Sum each character's surplus once, clearing it as it is counted. */
  size_t more = 0, fewer = 0;
  for (size_t i = 0; i < alen; i++) {
    int *c = &count[(unsigned char)a[i]];
    if (*c > 0)
      more += (size_t)*c;
    *c = 0;
  }
  for (size_t j = 0; j < blen; j++) {
    int *c = &count[(unsigned char)b[j]];
    if (*c < 0)
      fewer += (size_t) - *c;
    *c = 0;
  }
  if ((more > fewer ? more : fewer) > max)
    return over;
  size_t row[257];
  for (size_t j = 0; j <= blen; j++)
    row[j] = j <= max ? j : over;
  for (size_t i = 1; i <= alen; i++) {
    size_t lo = i > max ? i - max : 1;
    size_t hi = i + max < blen ? i + max : blen;
    size_t diag = row[lo - 1];
    row[lo - 1] = lo == 1 && i <= max ? i : over;
    size_t best = row[lo - 1];
    for (size_t j = lo; j <= hi; j++) {
      size_t up = row[j];
      size_t v = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < v)
        v = up + 1;
      if (row[j - 1] + 1 < v)
        v = row[j - 1] + 1;
      if (v > over)
        v = over;
      row[j] = v;
      diag = up;
      if (v < best)
        best = v;
    }
    if (hi < blen)
      row[hi + 1] = over;
    if (best > max)
      return over;
  }
  return row[blen] > max ? over : row[blen];
}

size_t path_near_budget(size_t len) {
  size_t n = len / 3;
  return n < 2 ? 2 : n > 6 ? 6 : n;
}

void path_near_consider(struct path_near *n, const char *want, size_t wlen,
                        const char *cand, size_t clen, size_t max) {
  size_t d = path_edit_distance(want, wlen, cand, clen, max);
  /* A heading that grew or lost a tail ("#ci---cross-build" for
   * "#ci---cross-build-version") is close too, when the shared part is
   * long enough to mean something. */
  if (d > max && wlen >= 8 && clen >= 8 &&
      !memcmp(want, cand, wlen < clen ? wlen : clen))
    d = max;
  if (d > max)
    return;
  if (!n->best || d < n->dist) {
    n->best = cand;
    n->dist = d;
    n->unique = true;
  } else if (d == n->dist) {
    int c = strcmp(cand, n->best);
    if (c)
      n->unique = false;
    if (c < 0)
      n->best = cand;
  }
}

char *path_relative(struct arena *a, const char *from_dir, const char *to) {
  const char *f = from_dir, *t = to;
  while (*f) {
    size_t fl = strcspn(f, "/"), tl = strcspn(t, "/");
    if (fl != tl || memcmp(f, t, fl) != 0 || t[tl] != '/')
      break;
    f += fl + (f[fl] == '/');
    t += tl + 1;
  }
  size_t ups = 0;
  for (const char *p = f; *p; p += strcspn(p, "/"), p += *p == '/')
    ups++;
  size_t tolen = strlen(t);
  char *out = arena_alloc(a, ups * 3 + tolen + 1);
  if (!out)
    return NULL;
  for (size_t k = 0; k < ups; k++)
    memcpy(out + 3 * k, "../", 3);
  memcpy(out + 3 * ups, t, tolen + 1);
  return out;
}

bool path_is_external(const char *dest) {
  return dest[0] == '/' || path_has_scheme(dest, strlen(dest));
}

bool path_is_template(const char *dest) {
  if (dest[0] == '{')
    return true;
  /* One pass for "{{", "{%", "${" and "<%". */
  for (const char *p = strpbrk(dest, "{<"); p; p = strpbrk(p + 1, "{<"))
    if ((p[0] == '{' &&
         (p[1] == '{' || p[1] == '%' || (p > dest && p[-1] == '$'))) ||
        (p[0] == '<' && p[1] == '%'))
      return true;
  return false;
}
