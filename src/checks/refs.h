/* refs.h - the pure helpers of the ref family, in src/checks/refs_util.c,
 * used by the family's other files and exposed for unit tests: the number
 * lists and ranges that prose writes ("9-10 and 14", "4.1 to 4.3"), the
 * compact summary of what exists ("1-5, 7"), the {role} macro of
 * reference patterns and the search for words over a page's blocks. */
#ifndef CLINT_REFS_H
#define CLINT_REFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/arena.h"
#include "../util/secnum.h"

/* A range longer than this (9-2000) is checked at its two ends only. */
#define REFS_MAX_RANGE 200

/* Expand a list of numbers as prose writes it: numbers separated by list
 * words ("," "and" "&") or range words (ranges: "-", "to", ...; compared
 * case-insensitively after trimming spaces; any other separator also lists).
 * A range a-b whose ends differ only in the last part and span at most
 * REFS_MAX_RANGE numbers gives every number between; other ranges give
 * their two ends. Writes at most max numbers to out; returns how many were
 * written. */
size_t refs_expand(const char *s, size_t len, const char *const *ranges,
                   size_t nranges, struct secnum *out, size_t max);

/* Sort numbers and drop duplicates in place; returns the new count. */
size_t refs_sort_unique(struct secnum *v, size_t n);

/* Summarise sorted, unique numbers as runs: "1-5", "1-3, 5", "6.1-6.4".
 * Writes into buf (truncated with "..." when cap is too small). */
void refs_summary(const struct secnum *v, size_t n, char *buf, size_t cap);

/* Replace every "{role}" in pattern with a group matching any of the names
 * ("study material" matches "study  material" too: spaces become \s+;
 * other punctuation is escaped). No names give a group that never
 * matches. Returns the new pattern in a, or NULL on no memory. */
char *refs_expand_role(struct arena *a, const char *pattern,
                       const char *const *names, size_t nnames);

/* The word an abbreviated noun stands for: "ch.", "chap." -> "chapter",
 * "sec." -> "section", "§" -> "section", "§§" -> "sections" (any case,
 * full stop optional); any other noun as it is. */
const char *refs_unabbreviate(const char *noun);

/* The English singular and plural of a noun as matched ("chapters" ->
 * "chapter" / "chapters"; abbreviations as refs_unabbreviate reads them),
 * in a; for the {noun} and {nouns} of messages. */
char *refs_singular(struct arena *a, const char *noun);
const char *refs_plural(struct arena *a, const char *noun);

/* The number a count group holds: ASCII digits, or an English number
 * word from "one" to "twenty" in any letter case. False for anything
 * else (and for more than six digits): such a count is not checked. */
bool refs_count_value(const char *s, size_t len, unsigned long *out);

/* The words a reference pattern needs, derived from its text when the
 * rule files are loaded (refs_literals.c): sets of at most
 * REFS_MAX_LITERALS words in lower case, each set such that every block
 * the pattern matches in holds one of its words, ASCII case ignored
 * (under (?i) PCRE2's s and k also match U+017F and U+212A: such
 * spellings are words of the set too). The pattern is read as compiled
 * without options, UTF on. Stores up to REFS_MAX_WORDSETS sets in out
 * (words in a), the best filter first, and returns how many; each word is
 * at least two bytes long. 0 when no set can be derived safely (the
 * pattern then runs on every block): verbs, recursion, back-references,
 * (?x), groups nested deeply and whatever else is not understood give
 * none. */
#define REFS_MAX_LITERALS 16
#define REFS_MAX_WORDSETS 4
struct refs_wordset {
  const char **word;
  size_t n;
};
size_t refs_literals(struct arena *a, const char *pattern,
                     struct refs_wordset *out);

/* How common byte c is in English prose, roughly (a letter's share in
 * tenths of a percent). Searches for a word look for its rarest bytes. */
unsigned refs_commonness(unsigned char c);

/* The words a block must hold for a reference pattern to search it (a
 * pattern's `requires`), looked for all at once: one pass over a block
 * answers every entry, and says whether the block holds a digit. A word
 * is found through its two neighbouring bytes least common in prose,
 * ignoring ASCII case. */
#define REFS_MAX_WORDS 24
#define REFS_MAX_PICKS 8 /* a multiple of 4 */
#define REFS_HAS_DIGIT ((uint32_t)1 << 31)
struct refs_words {
  const char *word[REFS_MAX_WORDS];
  size_t len[REFS_MAX_WORDS], at[REFS_MAX_WORDS];
  size_t n;
  unsigned char pick[REFS_MAX_PICKS][2]; /* the byte pairs searched for */
  size_t npicks;
  uint32_t by_byte[256]; /* byte -> words found through it */
};

void refs_words_init(struct refs_words *w);

/* Add a word (lower case) and set *bit to its bit; a word already there
 * that it holds ("chapter" for "chapters") lends its bit instead: a block
 * holding the word holds that one, which is enough to search it. The word is
 * searched for through the rarest of its pairs of bytes already searched for,
 * else through its rarest pair (REFS_MAX_PICKS pairs at most). False when the
 * set is full (in words, or in pairs and the word has none of them) or the word
 * is one byte long: the caller then looks for that word another way. */
bool refs_words_add(struct refs_words *w, const char *word, uint32_t *bit);

/* Bits of the words that text[0, len) holds, ignoring ASCII case, and
 * REFS_HAS_DIGIT when it holds an ASCII digit. */
uint32_t refs_words_find(const struct refs_words *w, const char *text,
                         size_t len);

/* refs_words_find for n blocks at once, in one pass over their texts,
 * which lie one after another in text, each followed by a NUL (as parse
 * keeps them): ends[k] is the offset of block k's NUL. have[k] gets block
 * k's bits. A page's blocks are short: one pass over all of them is much
 * cheaper than a search started per block. */
void refs_words_find_blocks(const struct refs_words *w, const char *text,
                            const size_t *ends, size_t n, uint32_t *have);

/* The ways refs_words_find can search: plain C, the reference, and SSE2
 * where the target has it (every x86-64), which refs_path_best returns.
 * The search by a given one (a way beyond the best is taken as the
 * best), for tests, which compare the two. */
enum refs_path { REFS_PATH_PORTABLE, REFS_PATH_SSE2 };
enum refs_path refs_path_best(void);
uint32_t refs_words_find_on(const struct refs_words *w, const char *text,
                            size_t len, enum refs_path path);
void refs_words_find_blocks_on(const struct refs_words *w, const char *text,
                               const size_t *ends, size_t n, uint32_t *have,
                               enum refs_path path);

#endif
