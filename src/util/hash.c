/* hash.c - string-keyed hash map with linear probing; used for the path
 * index and the anchor sets, where lookups dominate. Keys are hashed
 * eight bytes at a time: paths are long, and a byte-at-a-time hash cost
 * a multiplication per byte on every lookup. */
#include "hash.h"

#include <stdlib.h>
#include <string.h>

uint64_t hash_bytes(const char *s, size_t len) {
  const uint64_t k = 0x9E3779B97F4A7C15ULL;
  uint64_t h = (len + 1) * k;
  size_t i = 0;
  for (; i + 8 <= len; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h = (h ^ w) * k;
    h ^= h >> 29;
  }
  uint64_t w = 0;
  memcpy(&w, s + i, len - i);
  h = (h ^ w) * k;
  /* Spread every bit over the low ones, which pick the slot. */
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

uint64_t hash_digest(const char *s, size_t len) {
  /* Four independent lanes, so the multiplications overlap: the digest of
   * a whole corpus costs a few milliseconds, not a dozen. */
  const uint64_t k = 0x9E3779B97F4A7C15ULL;
  uint64_t h[4] = {len * k, ~len * k, len ^ k, ~(len ^ k)};
  size_t i = 0;
  for (; i + 32 <= len; i += 32)
    for (int l = 0; l < 4; l++) {
      uint64_t w;
      memcpy(&w, s + i + 8 * l, 8);
      h[l] = (h[l] ^ w) * k;
      h[l] ^= h[l] >> 29;
    }
  for (int l = 0; i + 8 <= len; i += 8, l++) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    h[l] = (h[l] ^ w) * k;
    h[l] ^= h[l] >> 29;
  }
  uint64_t w = 0;
  memcpy(&w, s + i, len - i);
  uint64_t r = (h[0] ^ w) * k;
  for (int l = 1; l < 4; l++)
    r = (r ^ (h[l] >> 7) ^ h[l]) * k;
  r ^= r >> 32;
  return r;
}

void hmap_init(struct hmap *m) {
  m->slots = NULL;
  m->cap = 0;
  m->len = 0;
}

void hmap_free(struct hmap *m) {
  free(m->slots);
  hmap_init(m);
}

static struct hmap_slot *find(const struct hmap *m, const char *key,
                              size_t keylen, uint32_t h) {
  size_t mask = m->cap - 1;
  for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
    struct hmap_slot *s = &m->slots[i];
    if (!s->key)
      return s;
    if (s->hash == h && s->keylen == keylen && memcmp(s->key, key, keylen) == 0)
      return s;
  }
}

void *hmap_get(const struct hmap *m, const char *key, size_t keylen) {
  if (!m->cap || keylen > UINT32_MAX) /* no such key is stored */
    return NULL;
  struct hmap_slot *s = find(m, key, keylen, (uint32_t)hash_bytes(key, keylen));
  return s->key ? s->value : NULL;
}

static bool grow(struct hmap *m) {
  size_t cap = m->cap ? m->cap * 2 : 16;
  struct hmap_slot *slots = calloc(cap, sizeof(*slots));
  if (!slots)
    return false;
  struct hmap old = *m;
  m->slots = slots;
  m->cap = cap;
  for (size_t i = 0; i < old.cap; i++) {
    if (old.slots[i].key)
      *find(m, old.slots[i].key, old.slots[i].keylen, old.slots[i].hash) =
          old.slots[i];
  }
  free(old.slots);
  return true;
}

bool hmap_put(struct hmap *m, const char *key, size_t keylen, void *value) {
  if (keylen > UINT32_MAX)
    return false;
  if ((m->len + 1) * 4 > m->cap * 3 && !grow(m))
    return false;
  uint32_t h = (uint32_t)hash_bytes(key, keylen);
  struct hmap_slot *s = find(m, key, keylen, h);
  if (!s->key) {
    s->key = key;
    s->keylen = (uint32_t)keylen;
    s->hash = h;
    m->len++;
  }
  s->value = value;
  return true;
}

struct hmap_slot *hmap_slot(const struct hmap *m, const char *key,
                            size_t keylen) {
  if (!m->cap || keylen > UINT32_MAX) /* no such key is stored */
    return NULL;
  struct hmap_slot *s = find(m, key, keylen, (uint32_t)hash_bytes(key, keylen));
  return s->key ? s : NULL;
}
