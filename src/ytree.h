/* ytree.h - a small YAML document tree built from libyaml events, with the
 * line and column of every node, so that rule-file mistakes can be
 * reported as file:line:col. Anchors and aliases are refused (they make
 * "billion laughs" documents possible and no rule file needs them). */
#ifndef CLINT_YTREE_H
#define CLINT_YTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "courselint.h"
#include "util/arena.h"

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
  enum ynode_kind kind;
  unsigned line;        /* 1-based */
  unsigned col;         /* 1-based */
  const char *str;      /* scalar value */
  bool quoted;          /* a quoted scalar: never a number or bool */
  size_t n;             /* items of a sequence, pairs of a map */
  struct ynode **items; /* sequence items; map values */
  struct ynode **keys;  /* map keys (scalars) */
};

/* Parse text into a tree in arena a. The document must be a mapping (or
 * empty, giving an empty mapping). Returns CLINT_E_RULES with err naming
 * name:line:col. */
clint_status yaml_parse(struct arena *a, const char *name, const char *text,
                        size_t len, struct ynode **root, clint_error *err);

/* The value under key in a map, or NULL. */
const struct ynode *yaml_get(const struct ynode *map, const char *key);

/* Fill err with "name:line:col: message" at node n; returns
 * CLINT_E_RULES. */
clint_status yaml_error(clint_error *err, const char *name,
                        const struct ynode *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Refuse keys of map not in allowed (a NULL-terminated list). */
clint_status yaml_known_keys(const char *name, const struct ynode *map,
                             const char *const *allowed, clint_error *err);

/* Expect map to be a mapping holding only keys of allowed (yaml_expect,
 * then yaml_known_keys): how a rule-file section starts. */
clint_status yaml_expect_map(const char *name, const struct ynode *map,
                             const char *const *allowed, clint_error *err);

/* Typed reads with errors at the node: */
clint_status yaml_string(const char *name, const struct ynode *n,
                         const char **out, clint_error *err);
clint_status yaml_bool(const char *name, const struct ynode *n, bool *out,
                       clint_error *err);
/* A whole number from min to max (at most YAML_UINT_MAX), written in
 * decimal digits; the error names the range. */
#define YAML_UINT_MAX 1000000u
clint_status yaml_uint(const char *name, const struct ynode *n, unsigned min,
                       unsigned max, unsigned *out, clint_error *err);
/* A map, or a sequence, or else an error naming what was expected. */
clint_status yaml_expect(const char *name, const struct ynode *n,
                         enum ynode_kind kind, clint_error *err);

/* Write s as a single-quoted YAML scalar. */
void yaml_print_str(FILE *out, const char *s);

/* Write `indent key: ['a', 'b']` and a newline (--print-config). */
void yaml_print_list(FILE *out, const char *indent, const char *key,
                     const char *const *v, size_t n);

#endif
