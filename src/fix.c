/* fix.c - the text side of --fix: applying the replacements that checks
 * attach to diagnostics to a page's bytes, and showing them as a unified
 * diff. fix_write.c reads and writes the pages; both run after the
 * checks, beside the reports. */
#include "fix.h"

#include <stdlib.h>
#include <string.h>

enum { CONTEXT = 3 };

bool fix_same(const clint_fix *a, const clint_fix *b) {
  return a->offset == b->offset && a->length == b->length &&
         !strcmp(a->text ? a->text : "", b->text ? b->text : "");
}

int fix_cmp(const void *a, const void *b) {
  const clint_fix *x = a, *y = b;
  if (x->offset != y->offset)
    return x->offset < y->offset ? -1 : 1;
  if (x->length != y->length)
    return x->length < y->length ? -1 : 1;
  /* Equal ranges: by text, so that the order never depends on qsort. */
  return strcmp(x->text ? x->text : "", y->text ? y->text : "");
}

/* Fixes compose when they touch: "- []x" gets "[ ]" for the box and a
 * space inserted right after it, in one run. Only a fix starting inside
 * the range an earlier one replaces is a clash. */
static bool fits(const clint_fix *f, size_t at, size_t len) {
  return f->offset >= at && f->offset <= len && f->length <= len - f->offset;
}

size_t fix_select(clint_fix *fixes, size_t n, size_t len, size_t *skipped) {
  size_t o = 0, at = 0;
  for (size_t i = 0; i < n; i++) {
    /* Several links can share one reference definition, and one page can
     * be reached under two names: the same edit twice is applied once,
     * not counted as a clash. */
    if (o && fix_same(&fixes[i], &fixes[o - 1]))
      continue;
    if (!fits(&fixes[i], at, len)) {
      ++*skipped;
      continue;
    }
    at = fixes[i].offset + fixes[i].length;
    fixes[o++] = fixes[i];
  }
  return o;
}

bool fix_apply(const char *old, size_t len, const clint_fix *fixes, size_t n,
               struct buf *out, size_t *skipped) {
  size_t at = 0;
  const clint_fix *last = NULL;
  for (size_t i = 0; i < n; i++) {
    const clint_fix *f = &fixes[i];
    if (last && fix_same(f, last))
      continue;
    if (!fits(f, at, len)) {
      ++*skipped;
      continue;
    }
    if (!buf_append(out, old + at, f->offset - at) ||
        !buf_puts(out, f->text ? f->text : ""))
      return false;
    at = f->offset + f->length;
    last = f;
  }
  return buf_append(out, old + at, len - at);
}

/* ---- unified diff -------------------------------------------------- */

/* The line (0-based) holding byte off, by binary search in starts. */
static size_t line_of(const size_t *starts, size_t nlines, size_t off) {
  size_t lo = 0, hi = nlines;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (starts[mid] <= off)
      lo = mid;
    else
      hi = mid;
  }
  return lo;
}

/* A run of changed lines [a, b] and the fixes [f0, f1) inside it. */
struct block {
  size_t a, b, f0, f1;
};

static bool put_line(struct buf *out, char mark, const char *s, size_t n) {
  return buf_putc(out, mark) && buf_append(out, s, n) &&
         (n > 0 && s[n - 1] == '\n'
              ? true
              : buf_puts(out, "\n\\ No newline at end of file\n"));
}

/* The number of lines of s[0..n). */
static size_t count_lines(const char *s, size_t n) {
  size_t count = 0;
  for (size_t i = 0; i < n; count++) {
    const char *nl = memchr(s + i, '\n', n - i);
    i = nl ? (size_t)(nl - s) + 1 : n;
  }
  return count;
}

/* Append the lines of s[0..n), each with mark. */
static bool put_lines(struct buf *out, char mark, const char *s, size_t n) {
  for (size_t i = 0; i < n;) {
    const char *nl = memchr(s + i, '\n', n - i);
    size_t e = nl ? (size_t)(nl - s) + 1 : n;
    if (!put_line(out, mark, s + i, e - i))
      return false;
    i = e;
  }
  return true;
}

struct text {
  const char *s;
  size_t len;
  const size_t *starts;
  size_t nlines;
};

static size_t line_end(const struct text *t, size_t line) {
  return line + 1 < t->nlines ? t->starts[line + 1] : t->len;
}

static bool put_context(struct buf *out, const struct text *t, size_t line) {
  return put_line(out, ' ', t->s + t->starts[line],
                  line_end(t, line) - t->starts[line]);
}

/* The new text of a block: its old lines with its fixes applied. */
static bool block_new(const struct text *t, const struct block *bl,
                      const clint_fix *fixes, struct buf *out) {
  size_t s = t->starts[bl->a], e = line_end(t, bl->b), skipped = 0;
  clint_fix *local = malloc((bl->f1 - bl->f0) * sizeof(*local));
  if (!local)
    return false;
  for (size_t i = bl->f0; i < bl->f1; i++) {
    local[i - bl->f0] = fixes[i];
    local[i - bl->f0].offset -= s;
  }
  bool ok = fix_apply(t->s + s, e - s, local, bl->f1 - bl->f0, out, &skipped);
  free(local);
  return ok;
}

static bool hunk(struct buf *out, const struct text *t, const struct block *bl,
                 size_t nb, const clint_fix *fixes, long *delta) {
  size_t from = bl[0].a > CONTEXT ? bl[0].a - CONTEXT : 0;
  size_t to = bl[nb - 1].b + CONTEXT < t->nlines ? bl[nb - 1].b + CONTEXT
                                                 : t->nlines - 1;
  size_t old_n = to - from + 1, new_n = old_n;
  struct buf *nw = calloc(nb, sizeof(struct buf));
  if (!nw)
    return false;
  bool ok = true;
  for (size_t i = 0; ok && i < nb; i++) {
    buf_init(&nw[i]);
    ok = block_new(t, &bl[i], fixes, &nw[i]);
    new_n =
        new_n - (bl[i].b - bl[i].a + 1) + count_lines(nw[i].data, nw[i].len);
  }
  /* Unified diff numbers an empty range by the line before it. */
  ok = ok &&
       buf_printf(out, "@@ -%zu,%zu +%ld,%zu @@\n", old_n ? from + 1 : from,
                  old_n, (long)(new_n ? from + 1 : from) + *delta, new_n);
  size_t line = from;
  for (size_t i = 0; ok && i < nb; i++) {
    for (; ok && line < bl[i].a; line++)
      ok = put_context(out, t, line);
    size_t s = t->starts[bl[i].a], e = line_end(t, bl[i].b);
    ok = ok && put_lines(out, '-', t->s + s, e - s) &&
         put_lines(out, '+', nw[i].data, nw[i].len);
    line = bl[i].b + 1;
  }
  for (; ok && line <= to; line++)
    ok = put_context(out, t, line);
  for (size_t i = 0; i < nb; i++)
    buf_free(&nw[i]);
  free(nw);
  *delta += (long)new_n - (long)old_n;
  return ok;
}

/* Group the fixes into blocks of changed lines: fixes on the same lines
 * form one block. Returns the number of blocks. */
static size_t blocks_of(const struct text *t, const clint_fix *fixes, size_t n,
                        struct block *bl) {
  size_t nb = 0;
  for (size_t i = 0; i < n; i++) {
    size_t end = fixes[i].offset + fixes[i].length;
    size_t a = line_of(t->starts, t->nlines, fixes[i].offset);
    size_t b =
        line_of(t->starts, t->nlines, end > fixes[i].offset ? end - 1 : end);
    if (nb && a <= bl[nb - 1].b) {
      bl[nb - 1].b = b > bl[nb - 1].b ? b : bl[nb - 1].b;
      bl[nb - 1].f1 = i + 1;
    } else {
      bl[nb++] = (struct block){a, b, i, i + 1};
    }
  }
  return nb;
}

bool fix_diff(struct buf *out, const char *name, const char *old, size_t len,
              const clint_fix *fixes, size_t n) {
  if (n == 0)
    return true;
  size_t lines = 1;
  for (const char *p = old;
       p < old + len && (p = memchr(p, '\n', (size_t)(old + len - p))); p++)
    lines++;
  size_t *starts = malloc(lines * sizeof(size_t));
  struct block *bl = malloc(n * sizeof(*bl));
  bool ok = starts && bl;
  if (ok) {
    size_t nlines = 0;
    starts[nlines++] = 0;
    for (size_t i = 0; i + 1 < len; i++)
      if (old[i] == '\n')
        starts[nlines++] = i + 1;
    struct text t = {old, len, starts, nlines};
    size_t nb = blocks_of(&t, fixes, n, bl);
    ok = buf_printf(out, "--- a/%s\n+++ b/%s\n", name, name);
    long delta = 0;
    /* Blocks whose context would touch or overlap share a hunk. */
    for (size_t i = 0; ok && i < nb;) {
      size_t j = i + 1;
      while (j < nb && bl[j].a - bl[j - 1].b - 1 <= 2 * CONTEXT)
        j++;
      ok = hunk(out, &t, bl + i, j - i, fixes, &delta);
      i = j;
    }
  }
  free(starts);
  free(bl);
  return ok;
}
