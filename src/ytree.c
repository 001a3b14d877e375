/* ytree.c - libyaml events to a node tree with positions (see ytree.h). An
 * explicit stack bounds nesting, so a hostile rule file cannot overflow
 * ours. */
#include "ytree.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/buf.h"
#include "util/hash.h"
#include "util/status.h"

#define YAML_MAX_DEPTH 64

struct frame {
  struct ynode *node;
  struct vec items; /* struct ynode * */
  struct vec keys;
  struct hmap seen; /* map: key text -> its key node, for duplicates */
  bool want_key;    /* map: the next node is a key */
};

static void drop_frame(struct frame *f) {
  vec_free(&f->items);
  vec_free(&f->keys);
  hmap_free(&f->seen);
}

static struct ynode *new_node(struct arena *a, enum ynode_kind kind,
                              const yaml_event_t *ev) {
  struct ynode *n = arena_alloc(a, sizeof(*n));
  if (!n)
    return NULL;
  n->kind = kind;
  n->line = (unsigned)ev->start_mark.line + 1;
  n->col = (unsigned)ev->start_mark.column + 1;
  return n;
}

static bool close_frame(struct arena *a, struct frame *f) {
  size_t n = f->items.len;
  f->node->n = f->node->kind == YNODE_MAP ? f->keys.len : n;
  if (n) {
    f->node->items = arena_alloc(a, n * sizeof(struct ynode *));
    if (!f->node->items)
      return false;
    memcpy(f->node->items, f->items.data, n * sizeof(struct ynode *));
  }
  if (f->keys.len) {
    f->node->keys = arena_alloc(a, f->keys.len * sizeof(struct ynode *));
    if (!f->node->keys)
      return false;
    memcpy(f->node->keys, f->keys.data, f->keys.len * sizeof(struct ynode *));
  }
  drop_frame(f);
  return true;
}

/* Attach a finished node to the frame on top of the stack. */
static clint_status attach(struct frame *top, struct ynode *n, const char *name,
                           clint_error *err) {
  if (top->node->kind == YNODE_MAP && top->want_key) {
    if (n->kind != YNODE_SCALAR)
      return yaml_error(err, name, n, "a mapping key must be a plain string");
    /* Hashed: a map of many keys must not cost their square. */
    size_t len = strlen(n->str);
    const struct ynode *k = hmap_get(&top->seen, n->str, len);
    if (k)
      return yaml_error(err, name, n, "duplicate key '%s' (first at line %u)",
                        n->str, k->line);
    struct ynode **slot = vec_push(&top->keys);
    if (!slot || !hmap_put(&top->seen, n->str, len, n))
      return status_set(err, CLINT_E_NOMEM, name, 0, 0, "out of memory");
    *slot = n;
    top->want_key = false;
    return CLINT_OK;
  }
  struct ynode **slot = vec_push(&top->items);
  if (!slot)
    return status_set(err, CLINT_E_NOMEM, name, 0, 0, "out of memory");
  *slot = n;
  if (top->node->kind == YNODE_MAP)
    top->want_key = true;
  return CLINT_OK;
}

/* The tree under construction: open collections on an explicit stack. */
struct builder {
  struct arena *a;
  const char *name;
  clint_error *err;
  struct frame stack[YAML_MAX_DEPTH];
  size_t depth;
  struct ynode *root;
};

static clint_status at_event(struct builder *b, const yaml_event_t *ev,
                             const char *msg) {
  return status_set(b->err, CLINT_E_RULES, b->name,
                    (unsigned)ev->start_mark.line + 1,
                    (unsigned)ev->start_mark.column + 1, "%s", msg);
}

static clint_status no_memory(struct builder *b) {
  return status_set(b->err, CLINT_E_NOMEM, b->name, 0, 0, "out of memory");
}

/* A finished node goes into the open collection, or is the document. */
static clint_status place(struct builder *b, struct ynode *n) {
  if (b->depth == 0) {
    b->root = n;
    return CLINT_OK;
  }
  return attach(&b->stack[b->depth - 1], n, b->name, b->err);
}

static clint_status on_scalar(struct builder *b, const yaml_event_t *ev) {
  struct ynode *n = new_node(b->a, YNODE_SCALAR, ev);
  if (n) {
    n->str = arena_strndup(b->a, (const char *)ev->data.scalar.value,
                           ev->data.scalar.length);
    n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
  }
  return n && n->str ? place(b, n) : no_memory(b);
}

static clint_status on_open(struct builder *b, const yaml_event_t *ev) {
  bool seq = ev->type == YAML_SEQUENCE_START_EVENT;
  if (seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor)
    return at_event(b, ev, "anchors are not supported in rule files");
  if (b->depth == YAML_MAX_DEPTH) {
    char msg[64];
    snprintf(msg, sizeof(msg), "nesting deeper than %d levels", YAML_MAX_DEPTH);
    return at_event(b, ev, msg);
  }
  struct ynode *n = new_node(b->a, seq ? YNODE_SEQ : YNODE_MAP, ev);
  if (!n)
    return no_memory(b);
  struct frame *f = &b->stack[b->depth++];
  f->node = n;
  vec_init(&f->items, sizeof(struct ynode *));
  vec_init(&f->keys, sizeof(struct ynode *));
  hmap_init(&f->seen);
  f->want_key = true;
  return CLINT_OK;
}

static clint_status on_close(struct builder *b) {
  struct frame *f = &b->stack[--b->depth];
  if (close_frame(b->a, f))
    return place(b, f->node);
  drop_frame(f); /* close_frame frees it only when it succeeds */
  return no_memory(b);
}

static clint_status build(struct arena *a, const char *name, yaml_parser_t *p,
                          struct ynode **root, clint_error *err) {
  struct builder b = {.a = a, .name = name, .err = err};
  clint_status st = CLINT_OK;
  for (bool done = false; !done && st == CLINT_OK;) {
    yaml_event_t ev;
    if (!yaml_parser_parse(p, &ev)) {
      st = status_set(err, CLINT_E_RULES, name,
                      (unsigned)p->problem_mark.line + 1,
                      (unsigned)p->problem_mark.column + 1, "%s%s%s",
                      p->problem ? p->problem : "invalid YAML",
                      p->context ? " " : "", p->context ? p->context : "");
      break;
    }
    switch (ev.type) {
    case YAML_STREAM_END_EVENT:
      done = true;
      break;
    case YAML_ALIAS_EVENT:
      st = at_event(&b, &ev, "aliases are not supported in rule files");
      break;
    case YAML_SCALAR_EVENT:
      st = on_scalar(&b, &ev);
      break;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
      st = on_open(&b, &ev);
      break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      st = on_close(&b);
      break;
    default:
      break;
    }
    yaml_event_delete(&ev);
  }
  while (b.depth > 0)
    drop_frame(&b.stack[--b.depth]);
  *root = b.root;
  return st;
}

clint_status yaml_parse(struct arena *a, const char *name, const char *text,
                        size_t len, struct ynode **root, clint_error *err) {
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p))
    return status_set(err, CLINT_E_NOMEM, name, 0, 0, "out of memory");
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  clint_status st = build(a, name, &p, root, err);
  yaml_parser_delete(&p);
  if (st != CLINT_OK)
    return st;
  if (!*root || (*root)->kind == YNODE_SCALAR) {
    if (*root && (*root)->str[0] != '\0')
      return yaml_error(err, name, *root,
                        "a rule file must be a mapping of sections");
    struct ynode *empty = arena_alloc(a, sizeof(*empty));
    if (!empty)
      return status_set(err, CLINT_E_NOMEM, name, 0, 0, "out of memory");
    empty->kind = YNODE_MAP;
    empty->line = empty->col = 1;
    *root = empty;
  }
  if ((*root)->kind != YNODE_MAP)
    return yaml_error(err, name, *root,
                      "a rule file must be a mapping of sections");
  return CLINT_OK;
}

const struct ynode *yaml_get(const struct ynode *map, const char *key) {
  if (!map || map->kind != YNODE_MAP)
    return NULL;
  for (size_t i = 0; i < map->n; i++)
    if (strcmp(map->keys[i]->str, key) == 0)
      return map->items[i];
  return NULL;
}

clint_status yaml_error(clint_error *err, const char *name,
                        const struct ynode *n, const char *fmt, ...) {
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  return status_set(err, CLINT_E_RULES, name, n ? n->line : 0, n ? n->col : 0,
                    "%s", msg);
}

clint_status yaml_expect_map(const char *name, const struct ynode *map,
                             const char *const *allowed, clint_error *err) {
  clint_status st = yaml_expect(name, map, YNODE_MAP, err);
  return st ? st : yaml_known_keys(name, map, allowed, err);
}

clint_status yaml_known_keys(const char *name, const struct ynode *map,
                             const char *const *allowed, clint_error *err) {
  for (size_t i = 0; i < map->n; i++) {
    bool ok = false;
    for (const char *const *a = allowed; *a && !ok; a++)
      ok = strcmp(*a, map->keys[i]->str) == 0;
    if (!ok) {
      struct buf b;
      buf_init(&b);
      for (const char *const *a = allowed; *a; a++)
        buf_printf(&b, "%s%s", a == allowed ? "" : ", ", *a);
      clint_status st = yaml_error(err, name, map->keys[i],
                                   "unknown key '%s' (expected one of: %s)",
                                   map->keys[i]->str, buf_cstr(&b));
      buf_free(&b);
      return st;
    }
  }
  return CLINT_OK;
}

static const char *kind_name(enum ynode_kind k) {
  return k == YNODE_MAP ? "a mapping" : k == YNODE_SEQ ? "a list" : "a string";
}

clint_status yaml_expect(const char *name, const struct ynode *n,
                         enum ynode_kind kind, clint_error *err) {
  if (n->kind != kind)
    return yaml_error(err, name, n, "expected %s, found %s", kind_name(kind),
                      kind_name(n->kind));
  return CLINT_OK;
}

clint_status yaml_string(const char *name, const struct ynode *n,
                         const char **out, clint_error *err) {
  clint_status st = yaml_expect(name, n, YNODE_SCALAR, err);
  if (st == CLINT_OK)
    *out = n->str;
  return st;
}

clint_status yaml_bool(const char *name, const struct ynode *n, bool *out,
                       clint_error *err) {
  if (n->kind == YNODE_SCALAR && !n->quoted) {
    if (!strcmp(n->str, "true") || !strcmp(n->str, "yes")) {
      *out = true;
      return CLINT_OK;
    }
    if (!strcmp(n->str, "false") || !strcmp(n->str, "no")) {
      *out = false;
      return CLINT_OK;
    }
  }
  return yaml_error(err, name, n, "expected true or false");
}

clint_status yaml_uint(const char *name, const struct ynode *n, unsigned min,
                       unsigned max, unsigned *out, clint_error *err) {
  if (n->kind == YNODE_SCALAR && !n->quoted && n->str[0] >= '0' &&
      n->str[0] <= '9') {
    char *end;
    unsigned long v = strtoul(n->str, &end, 10);
    if (*end == '\0' && v >= min && v <= max) {
      *out = (unsigned)v;
      return CLINT_OK;
    }
  }
  return yaml_error(err, name, n, "expected a whole number from %u to %u", min,
                    max);
}

void yaml_print_str(FILE *out, const char *s) {
  fputc('\'', out);
  for (; *s; s++) {
    if (*s == '\'')
      fputc('\'', out);
    fputc(*s, out);
  }
  fputc('\'', out);
}

void yaml_print_list(FILE *out, const char *indent, const char *key,
                     const char *const *v, size_t n) {
  fprintf(out, "%s%s: [", indent, key);
  for (size_t i = 0; i < n; i++) {
    if (i)
      fputs(", ", out);
    yaml_print_str(out, v[i]);
  }
  fputs("]\n", out);
}
