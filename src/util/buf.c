/* buf.c - growable buffers; see buf.h. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(struct buf *b) {
  b->data = NULL;
  b->len = 0;
  b->cap = 0;
}

void buf_free(struct buf *b) {
  free(b->data);
  buf_init(b);
}

bool buf_reserve(struct buf *b, size_t extra) {
  if (extra >= (size_t)-1 - b->len)
    return false;
  size_t need = b->len + extra + 1;
  if (need <= b->cap)
    return true;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < need)
    cap = cap > (size_t)-1 / 2 ? need : cap * 2;
  char *p = realloc(b->data, cap);
  if (!p)
    return false;
  b->data = p;
  b->cap = cap;
  return true;
}

/* buf_append when b may lack room. */
bool buf_append_grow(struct buf *b, const char *s, size_t len) {
  if (!buf_reserve(b, len))
    return false;
  if (len)
    memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
  return true;
}

bool buf_puts(struct buf *b, const char *s) {
  return buf_append(b, s, strlen(s));
}

bool buf_putc(struct buf *b, char c) { return buf_append(b, &c, 1); }

bool buf_printf(struct buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || !buf_reserve(b, (size_t)n))
    return false;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return true;
}

const char *buf_cstr(struct buf *b) { return b->data ? b->data : ""; }

void vec_init(struct vec *v, size_t elem_size) {
  v->data = NULL;
  v->len = 0;
  v->cap = 0;
  v->elem_size = elem_size;
}

void vec_free(struct vec *v) {
  free(v->data);
  v->data = NULL;
  v->len = v->cap = 0;
}

/* vec_push when v is full: double it first. Large elements start two to
 * a vector: most pages have one or two findings, and eight of them would
 * leave 600 bytes unused on each. */
void *vec_push_grow(struct vec *v) {
  size_t cap = v->cap ? v->cap * 2 : v->elem_size >= 32 ? 2 : 8;
  if (cap > (size_t)-1 / v->elem_size)
    return NULL;
  void *p = realloc(v->data, cap * v->elem_size);
  if (!p)
    return NULL;
  v->data = p;
  v->cap = cap;
  void *e = (char *)v->data + v->len * v->elem_size;
  memset(e, 0, v->elem_size);
  v->len++;
  return e;
}
