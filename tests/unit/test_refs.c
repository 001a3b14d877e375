/* test_refs.c - the ref family's pure helpers (src/checks/refs.h): list
 * and range expansion, summaries, the {role} macro, the words a pattern
 * needs (against PCRE2 itself on random patterns and texts), the search
 * for those words; and the source map the family relies on under link
 * text and inline code (src/parse.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "checks/refs.h"
#include "checks/refs_entry.h"
#include "parse.h"
#include "rules.h"
#include "scan.h"

static const char *const en_ranges[] = {"-", "\xe2\x80\x93", "to", "through"};

/* Expand s with the English range words and join the result with ' '. */
static const char *expand(const char *s, size_t max, char *out) {
  struct secnum v[300];
  size_t n = refs_expand(s, strlen(s), en_ranges, 4, v, max);
  out[0] = '\0';
  for (size_t i = 0; i < n; i++) {
    char one[64];
    secnum_str(&v[i], one, sizeof(one));
    if (i)
      strcat(out, " ");
    strcat(out, one);
  }
  return out;
}

static void test_expand_lists_and_ranges(void **state) {
  (void)state;
  char out[2048];
  assert_string_equal(expand("9-10 and 14", 300, out), "9 10 14");
  assert_string_equal(expand("9\xe2\x80\x93"
                             "11",
                             300, out),
                      "9 10 11");
  assert_string_equal(expand("9 to 10", 300, out), "9 10");
  assert_string_equal(expand("2 through 4", 300, out), "2 3 4");
  assert_string_equal(expand("2, 4 and 6", 300, out), "2 4 6");
  assert_string_equal(expand("2 & 4", 300, out), "2 4");
  assert_string_equal(expand("4.1-4.3", 300, out), "4.1 4.2 4.3");
  assert_string_equal(expand("6.5", 300, out), "6.5");
  assert_string_equal(expand("6.", 300, out), "6");
}

static void test_expand_odd_ranges(void **state) {
  (void)state;
  char out[2048];
  /* Ends on different levels or branches, or backwards: the ends only. */
  assert_string_equal(expand("4.8-5.2", 300, out), "4.8 5.2");
  assert_string_equal(expand("3.9-4", 300, out), "3.9 4");
  assert_string_equal(expand("10-9", 300, out), "10 9");
  assert_string_equal(expand("1-1000", 300, out), "1 1000");
  assert_string_equal(expand("5-5", 300, out), "5 5");
  /* The output is capped. */
  assert_string_equal(expand("1-50", 4, out), "1 2 3 4");
  /* A range word other than the configured ones lists. */
  struct secnum v[10];
  const char *const fr[] = {"\xc3\xa0"}; /* "à" */
  assert_int_equal(refs_expand("2 \xc3\xa0 4", 6, fr, 1, v, 10), 3);
  assert_int_equal(refs_expand("2 to 4", 6, fr, 1, v, 10), 2);
  /* Case does not matter for range words. */
  assert_string_equal(expand("2 TO 3", 300, out), "2 3");
}

static void test_sort_and_summary(void **state) {
  (void)state;
  struct secnum v[8];
  const char *in[] = {"5", "1", "3", "2", "3", "6.2", "6.1", "6.3"};
  for (int i = 0; i < 8; i++)
    secnum_parse(in[i], strlen(in[i]), &v[i]);
  size_t n = refs_sort_unique(v, 8);
  assert_int_equal(n, 7);
  char buf[64];
  refs_summary(v, n, buf, sizeof(buf));
  assert_string_equal(buf, "1-3, 5, 6.1-6.3");
  refs_summary(v, 1, buf, sizeof(buf));
  assert_string_equal(buf, "1");
  refs_summary(v, 0, buf, sizeof(buf));
  assert_string_equal(buf, "");
  /* Too small a buffer ends in "...", never past cap. */
  memset(buf, 'x', sizeof(buf));
  refs_summary(v, n, buf, 10);
  assert_string_equal(buf, "1-3, ...");
}

static void test_expand_role(void **state) {
  (void)state;
  struct arena a;
  arena_init(&a);
  const char *names[] = {"explainer", "study material", "hands-on lab"};
  char *p = refs_expand_role(&a, "(?<role>{role}) x{1,3}", names, 3);
  /* Spaces and hyphens match each other: "study-material",
   * "hands on lab". */
  assert_string_equal(p, "(?<role>(?:study[\\s\\-]+material|"
                         "hands[\\s\\-]+on[\\s\\-]+lab|explainer)) x{1,3}");
  p = refs_expand_role(&a, "{role}", NULL, 0);
  assert_string_equal(p, "(?:(?!))");
  p = refs_expand_role(&a, "no macro", names, 3);
  assert_string_equal(p, "no macro");
  assert_string_equal(refs_singular(&a, "chapters"), "chapter");
  assert_string_equal(refs_singular(&a, "section"), "section");
  assert_string_equal(refs_plural(&a, "chapter"), "chapters");
  assert_string_equal(refs_plural(&a, "sections"), "sections");
  /* Abbreviations read as the word they stand for. */
  assert_string_equal(refs_singular(&a, "ch."), "chapter");
  assert_string_equal(refs_singular(&a, "Chap."), "chapter");
  assert_string_equal(refs_plural(&a, "ch"), "chapters");
  assert_string_equal(refs_singular(&a, "\xc2\xa7"), "section");
  assert_string_equal(refs_singular(&a, "\xc2\xa7\xc2\xa7"), "section");
  assert_string_equal(refs_plural(&a, "\xc2\xa7\xc2\xa7"), "sections");
  assert_string_equal(refs_unabbreviate("chapter"), "chapter");
  assert_string_equal(refs_unabbreviate("c."), "c.");
  assert_string_equal(refs_unabbreviate("chapitre"), "chapitre");
  arena_free(&a);
}

static void test_count_value(void **state) {
  (void)state;
  static const struct {
    const char *s;
    bool ok;
    unsigned long v;
  } cases[] = {
      {"6", true, 6},          {"12", true, 12},      {"0", true, 0},
      {"six", true, 6},        {"Six", true, 6},      {"FIVE", true, 5},
      {"one", true, 1},        {"twenty", true, 20},  {"eleven", true, 11},
      {"seventeen", true, 17}, {"", false, 0},        {"sixx", false, 0},
      {"twentyone", false, 0}, {"several", false, 0}, {"6a", false, 0},
      {"1234567", false, 0},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    unsigned long v = 99;
    bool ok = refs_count_value(cases[i].s, strlen(cases[i].s), &v);
    if (ok != cases[i].ok || (ok && v != cases[i].v))
      fail_msg("'%s': got %d %lu", cases[i].s, ok, v);
  }
  /* Only the length given is read. */
  unsigned long v = 0;
  assert_true(refs_count_value("sixteen", 3, &v));
  assert_int_equal(v, 6);
}

/* Parse text and hand back the doc (with its source and arenas). */
struct parsed {
  struct source src;
  struct arena keep, scratch;
  struct doc doc;
};

static void parse(struct parsed *p, const char *text, size_t len) {
  assert_int_equal(scan_from_mem(text, len, &p->src), CLINT_OK);
  arena_init(&p->keep);
  arena_init(&p->scratch);
  assert_int_equal(parse_doc(&p->src, &p->keep, &p->scratch, NULL, &p->doc),
                   CLINT_OK);
}

static void unparse(struct parsed *p) {
  parse_free(&p->doc);
  arena_free(&p->keep);
  arena_free(&p->scratch);
  scan_free(&p->src);
}

static size_t off_of(const struct textblock *b, const char *needle) {
  const char *s = strstr(b->text, needle);
  assert_non_null(s);
  return (size_t)(s - b->text);
}

static void test_source_map_link_text(void **state) {
  (void)state;
  struct parsed p;
  const char *md = "# T\n\n- [03_study_material.md](03_study_material.md) "
                   "sections 9-10\n  and 14 of `x`.\n";
  parse(&p, md, strlen(md));
  assert_int_equal(p.doc.nblocks, 2);
  const struct textblock *b = &p.doc.blocks[1];
  assert_string_equal(b->text,
                      "03_study_material.md sections 9-10 and 14 of x.");
  struct pos at = parse_block_pos(&p.doc, b, off_of(b, "03_"));
  assert_int_equal(at.line, 3);
  assert_int_equal(at.col, 4);
  at = parse_block_pos(&p.doc, b, off_of(b, "sections"));
  assert_int_equal(at.line, 3);
  assert_int_equal(at.col, 48);
  at = parse_block_pos(&p.doc, b, off_of(b, "and"));
  assert_int_equal(at.line, 4);
  assert_int_equal(at.col, 3);
  at = parse_block_pos(&p.doc, b, off_of(b, "x."));
  assert_int_equal(at.line, 4);
  assert_int_equal(at.col, 14);
  /* Link text and inline code are flagged. */
  assert_true(b->segs[0].flags & SEG_LINK);
  assert_false(b->segs[1].flags & SEG_LINK);
  assert_true(b->segs[b->nsegs - 2].flags & SEG_CODE);
  unparse(&p);
}

static void test_source_map_code_in_link_bom_crlf(void **state) {
  (void)state;
  struct parsed p;
  const char md[] = "\xef\xbb\xbf---\r\nt: x\r\n---\r\n"
                    "Skim [`02_explainer.md`](02_explainer.md) TOC, "
                    "\xc3\xa9 explainer chapter 6.\r\n";
  parse(&p, md, sizeof(md) - 1);
  assert_int_equal(p.doc.nblocks, 1);
  const struct textblock *b = &p.doc.blocks[0];
  size_t o = off_of(b, "02_");
  struct pos at = parse_block_pos(&p.doc, b, o);
  assert_int_equal(at.line, 4);
  assert_int_equal(at.col, 8);
  unsigned flags = 0;
  for (size_t i = 0; i < b->nsegs; i++)
    if (b->segs[i].text_off <= o && o < b->segs[i].text_off + b->segs[i].len)
      flags = b->segs[i].flags;
  assert_int_equal(flags, SEG_CODE | SEG_LINK);
  /* Columns count characters: the e-acute is one. */
  at = parse_block_pos(&p.doc, b, off_of(b, "explainer chapter"));
  assert_int_equal(at.line, 4);
  assert_int_equal(at.col, 50);
  unparse(&p);
}

/* ---- required words ---------------------------------------------------- */

static const char *const words[] = {"chapter", "section", ".md", "../"};
enum { NWORDS = sizeof(words) / sizeof(words[0]) };

static void words_setup(struct refs_words *w, uint32_t bit[NWORDS]) {
  refs_words_init(w);
  for (size_t i = 0; i < NWORDS; i++)
    assert_true(refs_words_add(w, words[i], &bit[i]));
}

static uint32_t find(const struct refs_words *w, const char *s) {
  return refs_words_find(w, s, strlen(s));
}

static void test_words_examples(void **state) {
  (void)state;
  struct refs_words w;
  uint32_t bit[NWORDS];
  words_setup(&w, bit);
  assert_int_equal(find(&w, ""), 0);
  assert_int_equal(find(&w, "Chapter"), bit[0]);
  assert_int_equal(find(&w, "re-read CHAPTER 6"), bit[0] | REFS_HAS_DIGIT);
  assert_int_equal(find(&w, "9"), REFS_HAS_DIGIT);
  assert_int_equal(find(&w, "see 03_study_material.md sections 9-10"),
                   bit[1] | bit[2] | REFS_HAS_DIGIT);
  assert_int_equal(find(&w, "move to ../02_next/"), bit[3] | REFS_HAS_DIGIT);
  /* Near and across the 16-byte steps, and in the last bytes. */
  assert_int_equal(find(&w, "0123456789abcdechapter"), bit[0] | REFS_HAS_DIGIT);
  assert_int_equal(find(&w, "abcdefghijklmnochapter"), bit[0]);
  assert_int_equal(find(&w, "abcdefghijklmnopqrstuvwxyzabcd.md"), bit[2]);
  assert_int_equal(find(&w, "abcdefghijklmnopqrstuvwxyzabcdef.m"), 0);
  assert_int_equal(find(&w, "abcdefghijklmnopqrstuvwxyzabcdefghijklmn1"),
                   REFS_HAS_DIGIT);
  /* Almost: a letter short, a letter off, bytes that fold onto the
   * searched ones (0x0E onto '.', 0x0F onto '/'), non-ASCII. */
  assert_int_equal(find(&w, "chapte sectio .m ./ chaptor"), 0);
  assert_int_equal(find(&w, "\x0e\x0e/\x0f\x0emd\x0e\x0e\x0f sect\xc3\xafon"),
                   0);
  assert_int_equal(find(&w, "Ch\xc3\xa1pter SEC-TION"), 0);
  /* One word added twice shares its bit; a one-byte word is refused. */
  uint32_t again;
  assert_true(refs_words_add(&w, "section", &again));
  assert_int_equal(again, bit[1]);
  assert_false(refs_words_add(&w, "x", &again));
  /* Up to eight pairs of bytes fit, a ninth does not. */
  static const char *const more[] = {"module", "lesson", "unit", "week",
                                     "topic"};
  for (size_t i = 0; i < 4; i++)
    assert_true(refs_words_add(&w, more[i], &again));
  assert_false(refs_words_add(&w, more[4], &again));
  /* A word with a pair already searched for still fits: "xylochord"
   * through "ch" (chapter's), not its own rarest pair "xy". A word that
   * holds one already there takes that one's bit. */
  uint32_t xylo, chapters;
  assert_true(refs_words_add(&w, "xylochord", &xylo));
  assert_int_equal(find(&w, "XyloChords 1-2"), REFS_HAS_DIGIT | xylo);
  assert_int_equal(find(&w, "xylo chord"), 0);
  assert_true(refs_words_add(&w, "subchapters", &chapters));
  assert_int_equal(chapters, bit[0]);
}

/* Whether s[0, len) holds word, ASCII case ignored. */
static bool holds(const char *s, size_t len, const char *word) {
  size_t wl = strlen(word);
  for (size_t i = 0; i + wl <= len; i++) {
    size_t k = 0;
    while (k < wl && (s[i + k] >= 'A' && s[i + k] <= 'Z' ? s[i + k] + 32
                                                         : s[i + k]) == word[k])
      k++;
    if (k == wl)
      return true;
  }
  return false;
}

/* Random texts built from pieces of the words, their neighbours in case
 * and in folding, digits and multibyte characters: the search, by every
 * path, against a plain substring test. */
static void test_words_random(void **state) {
  (void)state;
  static const char *const pieces[] = {
      "chap", "ter",      "CHAPTER", "sec",   "tion", "Section", ".", "m",
      "d",    ".M",       "..",      "/",     "\x0e", "\x0f",    "1", " ",
      "x",    "\xc3\xa9", "apter",   "ction", "ma",   "p",       "c"};
  enum { NP = sizeof(pieces) / sizeof(pieces[0]) };
  struct refs_words plain;
  uint32_t bit[NWORDS];
  words_setup(&plain, bit);
  srand(7);
  char text[256];
  for (int round = 0; round < 20000; round++) {
    size_t len = 0, n = (size_t)rand() % 40;
    for (size_t i = 0; i < n; i++) {
      const char *p = pieces[rand() % NP];
      size_t pl = strlen(p);
      if (len + pl >= sizeof(text))
        break;
      memcpy(text + len, p, pl);
      len += pl;
    }
    text[len] = '\0';
    uint32_t want = 0;
    for (size_t i = 0; i < NWORDS; i++)
      if (holds(text, len, words[i]))
        want |= bit[i];
    if (strpbrk(text, "0123456789"))
      want |= REFS_HAS_DIGIT;
    for (int path = REFS_PATH_PORTABLE; path <= (int)refs_path_best(); path++) {
      uint32_t got = refs_words_find_on(&plain, text, len, path);
      if (got != want)
        fail_msg("path %d, '%s': found %x, want %x", path, text, (unsigned)got,
                 (unsigned)want);
    }
  }
}

/* A page's blocks at once: random blocks (empty ones too, words cut in
 * two by a block's end, digits first and last) one after another with
 * their NULs, against a plain test of each block. */
static void test_words_in_blocks(void **state) {
  (void)state;
  static const char *const pieces[] = {
      "chap", "ter",      "CHAPTER", "sec", "tion", "Section", ".",
      "m",    "d",        ".M",      "..",  "/",    "1",       " ",
      "x",    "\xc3\xa9", "ct",      "ch",  "md"};
  enum { NP = sizeof(pieces) / sizeof(pieces[0]), MAXB = 40 };
  struct refs_words w;
  uint32_t bit[NWORDS];
  words_setup(&w, bit);
  srand(11);
  char buf[8192];
  size_t ends[MAXB];
  uint32_t have[MAXB];
  for (int round = 0; round < 3000; round++) {
    size_t nb = 1 + (size_t)rand() % MAXB, at = 0;
    for (size_t k = 0; k < nb; k++) {
      size_t n = (size_t)rand() % 12; /* 0: an empty block */
      for (size_t i = 0; i < n; i++) {
        const char *p = pieces[rand() % NP];
        memcpy(buf + at, p, strlen(p));
        at += strlen(p);
      }
      ends[k] = at;
      buf[at++] = '\0';
    }
    for (int path = REFS_PATH_PORTABLE; path <= (int)refs_path_best(); path++) {
      refs_words_find_blocks_on(&w, buf, ends, nb, have, path);
      for (size_t k = 0; k < nb; k++) {
        size_t from = k ? ends[k - 1] + 1 : 0, len = ends[k] - from;
        uint32_t want = 0;
        for (size_t i = 0; i < NWORDS; i++)
          if (holds(buf + from, len, words[i]))
            want |= bit[i];
        if (memchr(buf + from, '0', len) || strpbrk(buf + from, "123456789"))
          want |= REFS_HAS_DIGIT;
        if (have[k] != want)
          fail_msg("path %d, block %zu of %zu: found %x, want %x", path, k, nb,
                   (unsigned)have[k], (unsigned)want);
      }
    }
  }
}

/* ---- the words a pattern needs ------------------------------------------ */

/* The sets of words pattern needs as one string: "a b c" for a set in the
 * order derived, sets after the best in "; ..." when all is true, or "-"
 * for none. */
static const char *literal_sets(struct arena *a, const char *pattern,
                                bool all) {
  struct refs_wordset set[REFS_MAX_WORDSETS];
  size_t n = refs_literals(a, pattern, set);
  if (!n)
    return "-";
  char *out = arena_strdup(a, "");
  for (size_t k = 0; k < (all ? n : 1); k++)
    for (size_t i = 0; i < set[k].n; i++)
      out = arena_printf(a, "%s%s%s", out,
                         i   ? " "
                         : k ? "; "
                             : "",
                         set[k].word[i]);
  return out;
}

static const char *literals(struct arena *a, const char *pattern) {
  return literal_sets(a, pattern, false);
}

static void test_literals_examples(void **state) {
  (void)state;
  static const struct {
    const char *pattern, *words;
  } cases[] = {
      {"chapter", "chapter"},
      {"abc|de", "abc de"},
      {"a(b|c)d", "abd acd"},
      {"colou?r", "colour color"},
      {"x[abc]yz", "xayz xbyz xcyz"},
      {"(?:chapters?|sections?)\\s+(\\d+)", "chapter section"},
      {"(?:chapters?|sections?) ", "chapters  chapter  sections  section "},
      /* A quantifier after a comment or a stray \E is the item's before. */
      {"ab(?:cd)(?#c)?", "ab"},
      {"ab(?:cd)\\E?", "ab"},
      /* Case: words ignore ASCII case; under (?i) s and k have non-ASCII
       * partners, and a non-ASCII letter may have any. */
      {"Chapter", "chapter"},
      {"(?i)sections?", "section \xc5\xbf"
                        "ection"},
      {"(?i)Kapitel", "kapitel \xe2\x84\xaa"
                      "apitel"},
      {"(?i:ks)ks", "ksks k\xc5\xbf"
                    "ks \xe2\x84\xaa"
                    "sks "
                    "\xe2\x84\xaa\xc5\xbf"
                    "ks"},
      {"x(?i)y(?-i)sk", "xysk"},
      /* A flag set in a group ends with it. */
      {"(?i)(?-i:a)sb", "asb a\xc5\xbf"
                        "b"},
      {"(?:(?i)a)sb", "asb"},
      {"\xc3\x9c"
       "bung \\d",
       "\xc3\x9c"
       "bung "},
      {"(?i)\xc3\x9c"
       "bung",
       "bung"},
      /* The best part of a sequence: the longest shortest word. */
      {"ab\\s+chapter\\s+cd", "chapter"},
      {"\\bse(?:c|x)tion\\b", "section sextion"},
      {"ab(?=cd)ef", "abef"},
      {"(?<=x)abc", "abc"},
      {"(?<![\\w/.-])(?<file>\\d{1,3}_[A-Za-z0-9_-]+\\.md)", ".md"},
      {"(?:\\.\\./)+\\w+/", "../"},
      {"a\\Qb.c\\E?d", "ab.cd ab.d"},
      {"ab{2}cd", "cd"},
      {"(ab){0}cd", "cd"},
      {"ab+cd", "cd"},
      {"\\x41\\x{62}c", "abc"},
      {"[[-z]ab", "ab"},
      {"[]a]bc", "]bc abc"},
      {"[^a]bc", "bc"},
      /* Nothing safe to say: no words. */
      {"a", "-"},
      {"ab?", "-"},
      {"(?:ab)*", "-"},
      {"ab|\\d+", "-"},
      {"ab|", "-"},
      {"(?x) chapter", "-"},
      {"(a|(?R))", "-"},
      {"(a)\\1bc", "-"},
      {"(*UCP)chapter", "-"},
      {"chap{,2}ter", "-"},
      {"(?(1)ab|cd)", "-"},
      {"\\cAab", "-"},
  };
  struct arena a;
  arena_init(&a);
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    const char *got = literals(&a, cases[i].pattern);
    if (strcmp(got, cases[i].words))
      fail_msg("'%s': got '%s', want '%s'", cases[i].pattern, got,
               cases[i].words);
  }
  /* The other sets of a sequence, for the caller to choose among: each
   * alone is needed; the best first (longest shortest word, then fewest
   * words). A top-level alternation has one set. */
  assert_string_equal(
      literal_sets(&a, "(?i)all\\s+(?:explainer|recall)\\s+(?:chapters|parts)",
                   true),
      "explainer recall; chapters chapter\xc5\xbf parts part\xc5\xbf; all");
  /* An alternation inside the sequence does not end it. */
  assert_string_equal(literal_sets(&a, "(?:ab|cd)\\s+efgh\\s+(?:x|yz)", true),
                      "efgh; ab cd");
  assert_string_equal(literal_sets(&a, "abc\\d+defg|xyz", true), "defg xyz");
  arena_free(&a);
}

/* The default rule set's patterns, {role} expanded: the words they were
 * given by hand before (chapter/section, .md, ../) or better ones. */
static void test_literals_of_defaults(void **state) {
  (void)state;
  clint_error err;
  struct arena a;
  arena_init(&a);
  struct ynode *root;
  assert_int_equal(yaml_parse(&a, "d", rules_default_yml, rules_default_yml_len,
                              &root, &err),
                   CLINT_OK);
  struct rule_file f = {"d", root};
  struct rules r;
  assert_int_equal(rules_build(&r, &f, 1, &err), CLINT_OK);
  const struct refs_config *c = r.family[FAM_REFS];
  static const struct {
    const char *id;
    size_t pattern;
    const char *words;
  } want[] = {
      /* The nouns include "ch." and "\xc2\xa7", short and common: the
       * role names (or a file name's ".md") filter better. */
      {"ref/missing-section", 0, "material explainer .md"},
      {"ref/missing-section", 1, "material explainer .md"},
      /* "six" in words: the role names again. */
      {"ref/wrong-count", 0, "material explainer"},
      {"ref/missing-file", 0, ".md"},
      {"ref/missing-path", 0, "../"},
  };
  for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
    const struct ref_entry *e = NULL;
    for (size_t k = 0; k < c->n; k++)
      if (!strcmp(c->v[k].id, want[i].id))
        e = &c->v[k];
    assert_non_null(e);
    size_t k = want[i].pattern;
    char *got = arena_strdup(&a, "");
    for (size_t w = 0; w < e->nwords[k]; w++)
      got = arena_printf(&a, "%s%s%s", got, w ? " " : "", e->words[k][w]);
    if (strcmp(got, want[i].words))
      fail_msg("%s pattern %zu: got '%s', want '%s'", want[i].id, k, got,
               want[i].words);
    /* All fit in the one-pass search. */
    assert_true(e->fit[k]);
  }
  /* Four pairs of bytes: one step of the vector search. */
  assert_int_equal(c->words.npicks, 4);
  rules_free(&r);
  arena_free(&a);
}

/* A random pattern from pieces of PCRE2 syntax, nested up to depth. */
static void random_pattern(struct buf *b, int depth) {
  static const char *const atoms[] = {
      "a",     "b",      "s",       "k",         "S",           "K",
      "c",     " ",      "-",       "\xc3\xa9",  "\xc5\xbf",    "\\.",
      "\\-",   "\\x61",  "\\x{73}", "[ab]",      "[sk]",        "[^a]",
      "[a-c]", "[-s]",   "[]a]",    "[\\w]",     "[[:alpha:]]", "[\xc3\xa9s]",
      ".",     "\\d",    "\\w",     "\\s",       "\\b",         "\\B",
      "^",     "$",      "\\K",     "\\Qs.k\\E", "(?#note)",    "(?i)",
      "(?-i)", "(?<=a)", "(?<!s)",  "(?=b)",     "(?!k)",       "ab",
      "sk",    "Ks",     "ab",      "sk",        "Ks",          "ba",
      "as",    "kb",     "a",       "b",         "s",           "k",
      "S",     "K"};
  static const char *const quants[] = {
      "",      "",      "",   "",   "",    "",   "",    "",
      "",      "",      "",   "",   "?",   "*",  "+",   "{2}",
      "{1,3}", "{0,2}", "??", "+?", "{0}", "*+", "{2,}"};
  static const char *const opens[] = {
      "(", "(?:", "(?i:", "(?-i:", "(?>", "(?|", "(?=", "(?!"};
  int n = 1 + rand() % 4;
  for (int i = 0; i < n; i++) {
    if (depth > 0 && rand() % 4 == 0) {
      buf_puts(b, opens[rand() % (int)(sizeof(opens) / sizeof(opens[0]))]);
      random_pattern(b, depth - 1);
      if (rand() % 3 == 0) {
        buf_putc(b, '|');
        random_pattern(b, depth - 1);
      }
      buf_putc(b, ')');
    } else {
      buf_puts(b, atoms[rand() % (int)(sizeof(atoms) / sizeof(atoms[0]))]);
    }
    buf_puts(b, quants[rand() % (int)(sizeof(quants) / sizeof(quants[0]))]);
  }
  if (depth > 1 && rand() % 6 == 0) {
    buf_putc(b, '|');
    random_pattern(b, depth - 1);
  }
}

/* Whether s[0, len) holds word, ASCII case ignored. */
static bool holds_folded(const char *s, size_t len, const char *word) {
  size_t wl = strlen(word);
  for (size_t i = 0; i + wl <= len; i++)
    if (!strncasecmp(s + i, word, wl))
      return true;
  return false;
}

static void check_set(const pcre2_code *re, pcre2_match_data *md,
                      const char *pattern, const struct refs_wordset *set,
                      const char *const *pieces, size_t np, size_t *checked);

/* The prefilter never drops a block the pattern matches in: random
 * patterns, compiled as rule files' patterns are, against random texts;
 * wherever PCRE2 finds a match, the text holds one of the words, by a
 * plain search and by the word search the family runs. */
static void test_literals_never_drop_a_match(void **state) {
  (void)state;
  static const char *const pieces[] = {"a",        "b",
                                       "s",        "S",
                                       "k",        "K",
                                       "c",        " ",
                                       "-",        "1",
                                       ".",        "ab",
                                       "sk",       "Ks",
                                       "ba",       "as",
                                       "kb",       "x",
                                       "\xc3\xa9", "\xc3\x89",
                                       "\xc5\xbf", "\xe2\x84\xaa",
                                       "\n"};
  enum { NP = sizeof(pieces) / sizeof(pieces[0]) };
  srand(12);
  struct arena a;
  arena_init(&a);
  pcre2_match_data *md = pcre2_match_data_create(64, NULL);
  size_t derived = 0, checked = 0;
  for (int round = 0; round < 15000; round++) {
    struct buf pat;
    buf_init(&pat);
    random_pattern(&pat, 3);
    int code;
    PCRE2_SIZE at;
    pcre2_code *re =
        pcre2_compile((PCRE2_SPTR)buf_cstr(&pat), PCRE2_ZERO_TERMINATED,
                      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &at, NULL);
    struct refs_wordset sets[REFS_MAX_WORDSETS];
    size_t nsets = re ? refs_literals(&a, buf_cstr(&pat), sets) : 0;
    derived += nsets > 0;
    /* Every set is checked: the family may choose any. */
    for (size_t k = 0; k < nsets; k++)
      check_set(re, md, buf_cstr(&pat), &sets[k], pieces, NP, &checked);
    pcre2_code_free(re);
    buf_free(&pat);
  }
  /* Not a test of nothing: many patterns gave words, many texts matched. */
  print_message("%zu patterns with words, %zu matches checked\n", derived,
                checked);
  assert_true(derived > 2500);
  assert_true(checked > 30000);
  pcre2_match_data_free(md);
  arena_free(&a);
}

/* Random texts from pieces that pattern re matches in hold one of the
 * words of set, by a plain search and by the word search. */
static void check_set(const pcre2_code *re, pcre2_match_data *md,
                      const char *pattern, const struct refs_wordset *set,
                      const char *const *pieces, size_t np, size_t *checked) {
  const char *const *w = set->word;
  size_t nw = set->n;
  struct refs_words search;
  refs_words_init(&search);
  uint32_t need = 0, bit;
  bool fit = true;
  for (size_t i = 0; i < nw && fit; i++) {
    fit = refs_words_add(&search, w[i], &bit);
    need |= bit;
  }
  for (int t = 0; t < 300; t++) {
    char text[256];
    size_t len = 0;
    for (int i = rand() % 10; i > 0; i--) {
      const char *p = pieces[(size_t)rand() % np];
      memcpy(text + len, p, strlen(p));
      len += strlen(p);
    }
    text[len] = '\0';
    if (pcre2_match(re, (PCRE2_SPTR)text, len, 0, 0, md, NULL) < 0)
      continue;
    (*checked)++;
    bool any = false;
    for (size_t i = 0; i < nw && !any; i++)
      any = holds_folded(text, len, w[i]);
    if (!any)
      fail_msg("'%s' matches '%s', which holds none of its %zu words (%s)",
               pattern, text, nw, w[0]);
    if (fit && !(refs_words_find(&search, text, len) & need))
      fail_msg("'%s' matches '%s': the word search found none", pattern, text);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_expand_lists_and_ranges),
      cmocka_unit_test(test_expand_odd_ranges),
      cmocka_unit_test(test_sort_and_summary),
      cmocka_unit_test(test_expand_role),
      cmocka_unit_test(test_count_value),
      cmocka_unit_test(test_literals_examples),
      cmocka_unit_test(test_literals_of_defaults),
      cmocka_unit_test(test_literals_never_drop_a_match),
      cmocka_unit_test(test_words_examples),
      cmocka_unit_test(test_words_random),
      cmocka_unit_test(test_words_in_blocks),
      cmocka_unit_test(test_source_map_link_text),
      cmocka_unit_test(test_source_map_code_in_link_bom_crlf),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
