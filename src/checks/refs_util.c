/* refs_util.c - the pure helpers of the ref family (declared in refs.h):
 * the lists and ranges of section numbers prose writes, compact
 * summaries of what exists, and the {role} macro of reference patterns.
 * No I/O and no rule state, so the unit tests reach them directly. */
#include "refs.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "../util/buf.h"

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

static bool same_parent(const struct secnum *a, const struct secnum *b) {
  if (a->n != b->n)
    return false;
  for (unsigned i = 0; i + 1 < a->n; i++)
    if (a->part[i] != b->part[i])
      return false;
  return true;
}

size_t refs_expand(const char *s, size_t len, const char *const *ranges,
                   size_t nranges, struct secnum *out, size_t max) {
  size_t n = 0, i = 0, sep = 0;
  bool have_prev = false;
  struct secnum prev = {0};
  while (i < len && n < max) {
    struct secnum cur;
    size_t k = isdigit((unsigned char)s[i]) &&
                       (i == 0 || !isdigit((unsigned char)s[i - 1]))
                   ? secnum_parse(s + i, len - i, &cur)
                   : 0;
    if (k == 0) {
      i++;
      continue;
    }
    bool range = have_prev && is_range_word(s + sep, i - sep, ranges, nranges);
    if (range && same_parent(&prev, &cur) &&
        prev.part[prev.n - 1] < cur.part[cur.n - 1] &&
        cur.part[cur.n - 1] - prev.part[prev.n - 1] <= REFS_MAX_RANGE) {
      /* prev is out already: add what lies between, then cur. */
      struct secnum x = prev;
      while (n < max && x.part[x.n - 1] + 1 < cur.part[cur.n - 1]) {
        x.part[x.n - 1]++;
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

static int cmp_secnum(const void *a, const void *b) { return secnum_cmp(a, b); }

size_t refs_sort_unique(struct secnum *v, size_t n) {
  if (n < 2)
    return n;
  qsort(v, n, sizeof(*v), cmp_secnum);
  size_t o = 1;
  for (size_t i = 1; i < n; i++)
    if (secnum_cmp(&v[o - 1], &v[i]) != 0)
      v[o++] = v[i];
  return o;
}

static bool follows(const struct secnum *a, const struct secnum *b) {
  return same_parent(a, b) && a->part[a->n - 1] + 1 == b->part[b->n - 1];
}

void refs_summary(const struct secnum *v, size_t n, char *buf, size_t cap) {
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
    secnum_str(&v[i], a, sizeof(a));
    secnum_str(&v[j], b, sizeof(b));
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

/* Append name to b as a pattern: a run of spaces and hyphens matches any
 * run of white space and hyphens ("study-material", "hands on lab"), other
 * ASCII punctuation is escaped, other bytes stand for themselves. */
static bool put_name(struct buf *b, const char *name) {
  bool ok = true;
  for (const char *p = name; *p && ok; p++) {
    unsigned char c = (unsigned char)*p;
    if (c == ' ' || c == '-') {
      while (p[1] == ' ' || p[1] == '-')
        p++;
      ok = buf_puts(b, "[\\s\\-]+");
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

/* Abbreviations of the nouns of the default patterns, and the word each
 * stands for; a full stop after one is optional. */
static const char *const abbreviations[][2] = {
    {"ch", "chapter"},
    {"chap", "chapter"},
    {"chapt", "chapter"},
    {"chs", "chapters"},
    {"sec", "section"},
    {"sect", "section"},
    {"secs", "sections"},
    {"\xc2\xa7", "section"},
    {"\xc2\xa7\xc2\xa7", "sections"}};

const char *refs_unabbreviate(const char *noun) {
  size_t n = strlen(noun);
  if (n > 1 && noun[n - 1] == '.')
    n--;
  for (size_t i = 0; i < sizeof(abbreviations) / sizeof(abbreviations[0]); i++)
    if (strlen(abbreviations[i][0]) == n &&
        !strncasecmp(abbreviations[i][0], noun, n))
      return abbreviations[i][1];
  return noun;
}

char *refs_singular(struct arena *a, const char *noun) {
  noun = refs_unabbreviate(noun);
  size_t n = strlen(noun);
  if (n > 1 && (noun[n - 1] == 's' || noun[n - 1] == 'S'))
    n--;
  return arena_strndup(a, noun, n);
}

const char *refs_plural(struct arena *a, const char *noun) {
  const char *one = refs_singular(a, noun);
  return one ? arena_printf(a, "%ss", one) : NULL;
}

bool refs_count_value(const char *s, size_t len, unsigned long *out) {
  static const char *const words[] = {
      "one",     "two",       "three",    "four",     "five",
      "six",     "seven",     "eight",    "nine",     "ten",
      "eleven",  "twelve",    "thirteen", "fourteen", "fifteen",
      "sixteen", "seventeen", "eighteen", "nineteen", "twenty"};
  if (len == 0)
    return false;
  if (isdigit((unsigned char)s[0])) {
    unsigned long v = 0;
    for (size_t i = 0; i < len; i++) {
      if (!isdigit((unsigned char)s[i]) || v > 100000)
        return false;
      v = v * 10 + (unsigned long)(s[i] - '0');
    }
    *out = v;
    return true;
  }
  for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
    if (strlen(words[i]) == len && !strncasecmp(words[i], s, len)) {
      *out = i + 1;
      return true;
    }
  return false;
}

/* ---- required words ------------------------------------------------------ */

unsigned refs_commonness(unsigned char c) {
  /* Letters in tenths of a percent of English prose; anything not listed
   * is rare. */
  static const unsigned char letters[26] = {82, 15, 28, 43, 127, 22, 20, 61, 70,
                                            2,  8,  40, 24, 67,  75, 19, 1,  60,
                                            63, 91, 28, 10, 24,  2,  20, 1};
  if (c >= 'A' && c <= 'Z')
    c = (unsigned char)(c + 32);
  if (c >= 'a' && c <= 'z')
    return letters[c - 'a'];
  if (c == ' ')
    return 200;
  if (c == '.' || c == ',')
    return 30;
  return 5;
}

void refs_words_init(struct refs_words *w) { memset(w, 0, sizeof(*w)); }

/* Bytes as the search compares them: ASCII letters in lower case. Other
 * bytes fold onto another (0x0E onto '.'), which only costs a look. */
static unsigned char fold(unsigned char c) { return (unsigned char)(c | 0x20); }

/* The index of pick (a, b), or npicks. */
static size_t find_pick(const struct refs_words *w, unsigned char a,
                        unsigned char b) {
  size_t p = 0;
  while (p < w->npicks && !(w->pick[p][0] == a && w->pick[p][1] == b))
    p++;
  return p;
}

bool refs_words_add(struct refs_words *w, const char *word, uint32_t *bit) {
  /* A block holding word holds every word inside it: one of those found
   * will do, and costs no search of its own. */
  for (size_t i = 0; i < w->n; i++)
    if (strstr(word, w->word[i])) {
      *bit = (uint32_t)1 << i;
      return true;
    }
  /* Searched for: the two neighbouring bytes least common together (a
   * pair is far rarer in prose than either byte). A word of one byte is
   * left to the caller. */
  size_t len = strlen(word), at = 0;
  for (size_t k = 1; k + 1 < len; k++)
    if (refs_commonness((unsigned char)word[k]) +
            refs_commonness((unsigned char)word[k + 1]) <
        refs_commonness((unsigned char)word[at]) +
            refs_commonness((unsigned char)word[at + 1]))
      at = k;
  if (len < 2)
    return false;
  /* A pair already searched for costs no more than a look at the word
   * where it is found: the rarest such pair of the word is taken first. */
  size_t shared = len;
  for (size_t k = 0; k + 1 < len; k++)
    if (find_pick(w, fold((unsigned char)word[k]),
                  fold((unsigned char)word[k + 1])) < w->npicks &&
        (shared == len ||
         refs_commonness((unsigned char)word[k]) +
                 refs_commonness((unsigned char)word[k + 1]) <
             refs_commonness((unsigned char)word[shared]) +
                 refs_commonness((unsigned char)word[shared + 1])))
      shared = k;
  if (shared < len)
    at = shared;
  unsigned char a = fold((unsigned char)word[at]);
  unsigned char b = fold((unsigned char)word[at + 1]);
  size_t p = find_pick(w, a, b);
  if (w->n == REFS_MAX_WORDS || (p == w->npicks && p == REFS_MAX_PICKS))
    return false;
  if (p == w->npicks) {
    w->pick[p][0] = a;
    w->pick[p][1] = b;
    w->npicks++;
  }
  size_t i = w->n++;
  w->word[i] = word;
  w->len[i] = len;
  w->at[i] = at;
  *bit = (uint32_t)1 << i;
  w->by_byte[a] |= *bit;
  w->by_byte[a & 0xDF] |= *bit;
  return true;
}

/* The words whose searched-for pair may start at text[pos], and
 * that are there, ignoring ASCII case. */
static uint32_t words_at(const struct refs_words *w, const unsigned char *t,
                         size_t len, size_t pos) {
  uint32_t bits = w->by_byte[t[pos]], hit = 0;
  while (bits) {
    unsigned i = (unsigned)__builtin_ctz(bits);
    bits &= bits - 1;
    size_t at = w->at[i], wl = w->len[i];
    if (pos < at || pos - at + wl > len)
      continue;
    const unsigned char *s = t + pos - at;
    size_t k = 0;
    while (k < wl && (s[k] >= 'A' && s[k] <= 'Z' ? s[k] + 32 : s[k]) ==
                         (unsigned char)w->word[i][k])
      k++;
    if (k == wl)
      hit |= (uint32_t)1 << i;
  }
  return hit;
}

#ifdef __SSE2__
/* Four picks as vectors: each pick's first and second byte. */
struct picks4 {
  __m128i first[4], second[4];
};

/* Fill set with picks from..from+3; missing ones repeat the first. */
static void load_picks(const struct refs_words *w, size_t from,
                       struct picks4 *set) {
  for (size_t k = 0; k < 4; k++) {
    size_t p = from + k < w->npicks ? from + k : from;
    set->first[k] = _mm_set1_epi8((char)w->pick[p][0]);
    set->second[k] = _mm_set1_epi8((char)w->pick[p][1]);
  }
}

/* Where in v a pick starts: its first byte in v, its second in n (v one
 * byte on). */
static inline __attribute__((always_inline)) __m128i
pick_hits(const struct picks4 *set, __m128i v, __m128i n) {
#define PICK(k)                                                                \
  _mm_and_si128(_mm_cmpeq_epi8(v, set->first[k]),                              \
                _mm_cmpeq_epi8(n, set->second[k]))
  return _mm_or_si128(_mm_or_si128(PICK(0), PICK(1)),
                      _mm_or_si128(PICK(2), PICK(3)));
#undef PICK
}

#endif

enum refs_path refs_path_best(void) {
#ifdef __SSE2__
  return REFS_PATH_SSE2;
#else
  return REFS_PATH_PORTABLE;
#endif
}

/* ---- required words over a page's blocks at once ------------------------ */

/* Where the events of one kind (digits, or words) land: blocks are met in
 * order, so a cursor moves forward only. */
struct cursor {
  const size_t *ends; /* offset of each block's NUL */
  size_t n, k;
  uint32_t *have;
};

/* The block holding offset pos (never a NUL: no event falls on one). */
static uint32_t *block_at(struct cursor *c, size_t pos) {
  while (c->k + 1 < c->n && pos > c->ends[c->k])
    c->k++;
  return &c->have[c->k];
}

/* The digits in mask (bit b: offset at + b) mark their blocks; after one
 * digit, the rest of its block is skipped. */
static void mark_digits(struct cursor *c, size_t at, uint64_t mask) {
  while (mask) {
    size_t pos = at + (size_t)__builtin_ctzll(mask);
    *block_at(c, pos) |= REFS_HAS_DIGIT;
    size_t end = c->ends[c->k]; /* past it: the next block */
    if (end - at >= 64)
      return;
    mask &= ~(uint64_t)0 << (end - at);
  }
}

/* The picks starting at the bits of mask: the words found there mark
 * their blocks. */
static void mark_words(const struct refs_words *w, struct cursor *c,
                       const unsigned char *t, size_t len, size_t at,
                       uint64_t mask) {
  for (; mask; mask &= mask - 1) {
    size_t pos = at + (size_t)__builtin_ctzll(mask);
    uint32_t bits = words_at(w, t, len, pos);
    if (bits)
      *block_at(c, pos) |= bits;
  }
}

#ifdef __SSE2__
static size_t blocks_sse2(const struct refs_words *w, const unsigned char *t,
                          size_t len, struct cursor *digits,
                          struct cursor *words) {
  struct picks4 set[REFS_MAX_PICKS / 4];
  size_t nsets = (w->npicks + 3) / 4;
  for (size_t k = 0; k < nsets; k++)
    load_picks(w, 4 * k, &set[k]);
  const __m128i low = _mm_set1_epi8(0x20), zero = _mm_set1_epi8('0'),
                nine = _mm_set1_epi8(9);
  size_t i = 0;
  for (; i + 17 <= len; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(t + i));
    __m128i d = _mm_sub_epi8(v, zero);
    unsigned dm = (unsigned)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_max_epu8(d, nine), nine));
    if (dm)
      mark_digits(digits, i, dm);
    if (!nsets)
      continue;
    v = _mm_or_si128(v, low);
    __m128i n =
        _mm_or_si128(_mm_loadu_si128((const __m128i *)(t + i + 1)), low);
    __m128i hit = pick_hits(&set[0], v, n);
    if (nsets > 1)
      hit = _mm_or_si128(hit, pick_hits(&set[1], v, n));
    unsigned m = (unsigned)_mm_movemask_epi8(hit);
    if (m)
      mark_words(w, words, t, len, i, m);
  }
  return i;
}
#endif

void refs_words_find_blocks_on(const struct refs_words *w, const char *text,
                               const size_t *ends, size_t n, uint32_t *have,
                               enum refs_path path) {
  if (!n)
    return;
  memset(have, 0, n * sizeof(*have));
  const unsigned char *t = (const unsigned char *)text;
  size_t len = ends[n - 1]; /* the last NUL is not searched */
  struct cursor digits = {ends, n, 0, have}, words = {ends, n, 0, have};
  size_t i = 0;
  if (path > refs_path_best())
    path = refs_path_best();
#ifdef __SSE2__
  if (path == REFS_PATH_SSE2)
    i = blocks_sse2(w, t, len, &digits, &words);
#endif
  for (; i < len; i++) {
    if (t[i] >= '0' && t[i] <= '9')
      *block_at(&digits, i) |= REFS_HAS_DIGIT;
    if (w->by_byte[t[i]])
      mark_words(w, &words, t, len, i, 1);
  }
}

void refs_words_find_blocks(const struct refs_words *w, const char *text,
                            const size_t *ends, size_t n, uint32_t *have) {
  refs_words_find_blocks_on(w, text, ends, n, have, REFS_PATH_SSE2);
}

uint32_t refs_words_find_on(const struct refs_words *w, const char *text,
                            size_t len, enum refs_path path) {
  uint32_t have;
  refs_words_find_blocks_on(w, text, &len, 1, &have, path);
  return have;
}

uint32_t refs_words_find(const struct refs_words *w, const char *text,
                         size_t len) {
  return refs_words_find_on(w, text, len, REFS_PATH_SSE2);
}
