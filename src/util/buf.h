/* buf.h - a growable byte buffer and a growable array of fixed-size
 * elements, both heap-backed (free with buf_free / vec_free). */
#ifndef CLINT_BUF_H
#define CLINT_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct buf {
  char *data; /* always NUL-terminated when len > 0 or after buf_cstr */
  size_t len;
  size_t cap;
};

void buf_init(struct buf *b);
void buf_free(struct buf *b);
bool buf_reserve(struct buf *b, size_t extra);
bool buf_append_grow(struct buf *b, const char *s, size_t len);
/* Append s[0, len); false on no memory. Inline: the parser appends every
 * text node of a page. */
static inline bool buf_append(struct buf *b, const char *s, size_t len) {
  if (len >= b->cap - b->len) /* no room for it and the NUL */
    return buf_append_grow(b, s, len);
  if (len)
    memcpy(b->data + b->len, s, len);
  b->len += len;
  b->data[b->len] = '\0';
  return true;
}
bool buf_puts(struct buf *b, const char *s);
bool buf_putc(struct buf *b, char c);
bool buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The contents as a C string ("" when empty). */
const char *buf_cstr(struct buf *b);

/* A typed growable array: struct vec holds elements of elem_size bytes. */
struct vec {
  void *data;
  size_t len;
  size_t cap;
  size_t elem_size;
};

void vec_init(struct vec *v, size_t elem_size);
void vec_free(struct vec *v);
/* A pointer to a new zeroed element at the end, or NULL on no memory. */
void *vec_push_grow(struct vec *v);
static inline void *vec_push(struct vec *v) {
  if (v->len == v->cap)
    return vec_push_grow(v);
  void *e = (char *)v->data + v->len++ * v->elem_size;
  memset(e, 0, v->elem_size);
  return e;
}
static inline void *vec_at(const struct vec *v, size_t i) {
  return (char *)v->data + i * v->elem_size;
}

#endif
