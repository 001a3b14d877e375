/* hash.h - an open-addressing hash map from strings to pointers. Keys are
 * not copied: they must outlive the map (keep them in an arena). */
#ifndef CLINT_HASH_H
#define CLINT_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 24 bytes: a course of 7,000 pages keeps 140,000 slots of anchors. The
 * hash's low 32 bits pick the slot in any map smaller than 4 G slots and
 * rule out most other keys before memcmp. */
struct hmap_slot {
  const char *key;
  void *value;
  uint32_t keylen;
  uint32_t hash; /* the low 32 bits of hash_bytes */
};

struct hmap {
  struct hmap_slot *slots;
  size_t cap; /* a power of two, or 0 */
  size_t len;
};

/* The hash of the len bytes at s that hmap uses. */
uint64_t hash_bytes(const char *s, size_t len);
/* A hash of a whole file's bytes, eight at a time: to notice that a file
 * changed between reading and rewriting it. Not for hmap. */
uint64_t hash_digest(const char *s, size_t len);
void hmap_init(struct hmap *m);
void hmap_free(struct hmap *m);
/* The value stored under key, or NULL. */
void *hmap_get(const struct hmap *m, const char *key, size_t keylen);
/* Store value under key, replacing any old value. false on no memory, or
 * for a key of 4 GB or more. */
bool hmap_put(struct hmap *m, const char *key, size_t keylen, void *value);

/* The slot holding key, whose value the caller may change, or NULL. */
struct hmap_slot *hmap_slot(const struct hmap *m, const char *key,
                            size_t keylen);

#endif
