/* refs_util.c - the pure helpers of the ref family (declared in refs.h):
 * dotted section numbers, the lists and ranges prose writes, compact
 * summaries of what exists, and the {role} macro of reference patterns.
 * No I/O and no rule state, so the unit tests reach them directly. */
#include "refs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/buf.h"

size_t refs_parse_number(const char *s, size_t len, struct refnum *out) {
  size_t i = 0;
  out->nparts = 0;
  while (i < len && isdigit((unsigned char)s[i])) {
    unsigned long v = 0;
    size_t start = i;
    while (i < len && isdigit((unsigned char)s[i]) && i - start < 7)
      v = v * 10 + (unsigned long)(s[i++] - '0');
    if ((i < len && isdigit((unsigned char)s[i])) || v > 999999 ||
        out->nparts == REFS_MAX_PARTS)
      return 0;
    out->part[out->nparts++] = (unsigned)v;
    /* A dot continues the number only when a digit follows: "6." at the
     * end of a sentence is chapter 6. */
    if (i + 1 < len && s[i] == '.' && isdigit((unsigned char)s[i + 1]))
      i++;
    else
      break;
  }
  return out->nparts ? i : 0;
}

int refs_number_cmp(const struct refnum *a, const struct refnum *b) {
  for (unsigned i = 0; i < a->nparts && i < b->nparts; i++)
    if (a->part[i] != b->part[i])
      return a->part[i] < b->part[i] ? -1 : 1;
  return a->nparts == b->nparts ? 0 : a->nparts < b->nparts ? -1 : 1;
}

void refs_number_str(const struct refnum *n, char *buf, size_t cap) {
  size_t o = 0;
  if (cap == 0)
    return;
  buf[0] = '\0';
  for (unsigned i = 0; i < n->nparts && o < cap; i++) {
    int w = snprintf(buf + o, cap - o, i ? ".%u" : "%u", n->part[i]);
    if (w < 0)
      return;
    o += (size_t)w;
  }
}

static bool is_range_word(const char *s, size_t len, const char *const *ranges,
                          size_t nranges) {
  while (len && isspace((unsigned char)*s))
    s++, len--;
  while (len && isspace((unsigned char)s[len - 1]))
    len--;
  for (size_t i = 0; i < nranges; i++)
    if (strlen(ranges[i]) == len && !strncasecmp(ranges[i], s, len))
      return true;
  return false;
}

static bool same_parent(const struct refnum *a, const struct refnum *b) {
  if (a->nparts != b->nparts)
    return false;
  for (unsigned i = 0; i + 1 < a->nparts; i++)
    if (a->part[i] != b->part[i])
      return false;
  return true;
}

size_t refs_expand(const char *s, size_t len, const char *const *ranges,
                   size_t nranges, struct refnum *out, size_t max) {
  size_t n = 0, i = 0, sep = 0;
  bool have_prev = false;
  struct refnum prev = {0};
  while (i < len && n < max) {
    struct refnum cur;
    size_t k = isdigit((unsigned char)s[i]) &&
                       (i == 0 || !isdigit((unsigned char)s[i - 1]))
                   ? refs_parse_number(s + i, len - i, &cur)
                   : 0;
    if (k == 0) {
      i++;
      continue;
    }
    bool range = have_prev && is_range_word(s + sep, i - sep, ranges, nranges);
    if (range && same_parent(&prev, &cur) &&
        prev.part[prev.nparts - 1] < cur.part[cur.nparts - 1] &&
        cur.part[cur.nparts - 1] - prev.part[prev.nparts - 1] <=
            REFS_MAX_RANGE) {
      /* prev is out already: add what lies between, then cur. */
      struct refnum x = prev;
      while (n < max && x.part[x.nparts - 1] + 1 < cur.part[cur.nparts - 1]) {
        x.part[x.nparts - 1]++;
        out[n++] = x;
      }
    }
    if (n < max)
      out[n++] = cur;
    prev = cur;
    have_prev = true;
    i += k;
    sep = i;
  }
  return n;
}

static int cmp_refnum(const void *a, const void *b) {
  return refs_number_cmp(a, b);
}

size_t refs_sort_unique(struct refnum *v, size_t n) {
  if (n < 2)
    return n;
  qsort(v, n, sizeof(*v), cmp_refnum);
  size_t o = 1;
  for (size_t i = 1; i < n; i++)
    if (refs_number_cmp(&v[o - 1], &v[i]) != 0)
      v[o++] = v[i];
  return o;
}

static bool follows(const struct refnum *a, const struct refnum *b) {
  return same_parent(a, b) &&
         a->part[a->nparts - 1] + 1 == b->part[b->nparts - 1];
}

void refs_summary(const struct refnum *v, size_t n, char *buf, size_t cap) {
  size_t o = 0;
  if (cap == 0)
    return;
  buf[0] = '\0';
  if (cap < 6)
    return;
  for (size_t i = 0; i < n;) {
    size_t j = i;
    while (j + 1 < n && follows(&v[j], &v[j + 1]))
      j++;
    char a[64], b[64], item[140];
    refs_number_str(&v[i], a, sizeof(a));
    refs_number_str(&v[j], b, sizeof(b));
    if (j > i)
      snprintf(item, sizeof(item), "%s%s-%s", i ? ", " : "", a, b);
    else
      snprintf(item, sizeof(item), "%s%s", i ? ", " : "", a);
    size_t il = strlen(item);
    if (o + il + 6 > cap) {
      /* No room for this run and a ", ..." after it. */
      snprintf(buf + o, cap - o, "%s", i ? ", ..." : "...");
      return;
    }
    memcpy(buf + o, item, il + 1);
    o += il;
    i = j + 1;
  }
}

/* Append name to b as a pattern: spaces match any run of white space,
 * ASCII punctuation is escaped, other bytes stand for themselves. */
static bool put_name(struct buf *b, const char *name) {
  bool ok = true;
  for (const char *p = name; *p && ok; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == ' ') {
      while (p[1] == ' ')
        p++;
      ok = buf_puts(b, "\\s+");
    } else if (c < 0x80 && !isalnum(c)) {
      ok = buf_putc(b, '\\') && buf_putc(b, (char)c);
    } else {
      ok = buf_putc(b, (char)c);
    }
  }
  return ok;
}

static int cmp_len_desc(const void *a, const void *b) {
  size_t x = strlen(*(const char *const *)a);
  size_t y = strlen(*(const char *const *)b);
  return x == y ? 0 : x > y ? -1 : 1;
}

char *refs_expand_role(struct arena *a, const char *pattern,
                       const char *const *names, size_t nnames) {
  struct buf alt, out;
  buf_init(&alt);
  buf_init(&out);
  /* Longest names first, so "study material" wins over "study". */
  const char **sorted = malloc(sizeof(char *) * (nnames ? nnames : 1));
  bool ok = sorted != NULL && buf_puts(&alt, "(?:");
  if (ok && nnames) {
    memcpy(sorted, names, sizeof(char *) * nnames);
    qsort(sorted, nnames, sizeof(char *), cmp_len_desc);
  }
  for (size_t i = 0; ok && i < nnames; i++)
    ok = (i == 0 || buf_putc(&alt, '|')) && put_name(&alt, sorted[i]);
  ok = ok && buf_puts(&alt, nnames ? ")" : "(?!))");
  for (const char *p = pattern; ok && *p;) {
    if (!strncmp(p, "{role}", 6)) {
      ok = buf_append(&out, alt.data, alt.len);
      p += 6;
    } else {
      ok = buf_putc(&out, *p++);
    }
  }
  char *res = ok ? arena_strndup(a, buf_cstr(&out), out.len) : NULL;
  free(sorted);
  buf_free(&alt);
  buf_free(&out);
  return res;
}

char *refs_singular(struct arena *a, const char *noun) {
  size_t n = strlen(noun);
  if (n > 1 && (noun[n - 1] == 's' || noun[n - 1] == 'S'))
    n--;
  return arena_strndup(a, noun, n);
}

const char *refs_plural(struct arena *a, const char *noun) {
  const char *one = refs_singular(a, noun);
  return one ? arena_printf(a, "%ss", one) : NULL;
}
