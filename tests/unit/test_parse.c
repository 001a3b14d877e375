/* The document view: headings, links, text blocks and their map back to
 * the source, line flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"
#include "util/marks.h"

struct fixture {
  struct source src;
  struct arena keep, scratch;
  struct pool *pool;
  struct doc doc;
};

static void load(struct fixture *f, const char *text) {
  assert_int_equal(scan_from_mem(text, strlen(text), &f->src), CLINT_OK);
  arena_init(&f->keep);
  arena_init(&f->scratch);
  f->pool = pool_new(0);
  assert_non_null(f->pool);
  assert_int_equal(parse_doc(&f->src, &f->keep, &f->scratch, f->pool, &f->doc),
                   CLINT_OK);
  /* The tree is gone once the view is built. */
  assert_int_equal(pool_used(f->pool), 0);
}

static void unload(struct fixture *f) {
  parse_free(&f->doc);
  arena_free(&f->keep);
  arena_free(&f->scratch);
  pool_free(f->pool);
  scan_free(&f->src);
}

/* Find needle in a block's text and return the position it maps to. */
static struct pos pos_of(const struct fixture *f, const struct textblock *b,
                         const char *needle) {
  const char *hit = strstr(b->text, needle);
  assert_non_null(hit);
  return parse_block_pos(&f->doc, b, (size_t)(hit - b->text));
}

static void test_text_includes_link_text_and_code(void **state) {
  (void)state;
  struct fixture f;
  load(&f, "- re-read [`03_study_material.md`](03_study_material.md) "
           "sections 9-10\n  and 14 <span>html</span> ![alt](x.png)\n");
  assert_int_equal(f.doc.nblocks, 1);
  const struct textblock *b = &f.doc.blocks[0];
  assert_string_equal(b->text,
                      "re-read 03_study_material.md sections 9-10 and 14 "
                      "html ");
  struct pos p = pos_of(&f, b, "03_study");
  assert_int_equal(p.line, 1);
  assert_int_equal(p.col, 13); /* inside the backticks of the link text */
  p = pos_of(&f, b, "sections");
  assert_int_equal(p.col, 58);
  p = pos_of(&f, b, "and 14");
  assert_int_equal(p.line, 2);
  assert_int_equal(p.col, 3);
  /* Segments say which text is code and which is link text. */
  bool code_in_link = false;
  for (size_t i = 0; i < b->nsegs; i++)
    if (b->segs[i].flags == (SEG_CODE | SEG_LINK))
      code_in_link = true;
  assert_true(code_in_link);
  unload(&f);
}

static void test_links_and_reference_definitions(void **state) {
  (void)state;
  struct fixture f;
  load(&f, "# Title\n\nSee [a][ref], [b](b.md \"t\") and <https://x.org>.\n"
           "\n```\n[c](c.md)\n```\n\n[ref]: a.md#part\n");
  assert_int_equal(f.doc.nlinks, 3);
  assert_string_equal(f.doc.links[0].dest, "a.md#part");
  assert_true(f.doc.links[0].reference);
  assert_int_equal(f.doc.links[0].def_line, 9);
  assert_int_equal(f.doc.links[0].pos.col, 5);
  assert_string_equal(f.doc.links[1].dest, "b.md");
  assert_false(f.doc.links[1].reference);
  assert_string_equal(f.doc.links[1].text, "b");
  assert_string_equal(f.doc.links[2].dest, "https://x.org");
  assert_false(f.doc.links[0].external);
  assert_false(f.doc.links[1].external);
  assert_true(f.doc.links[2].external);
  assert_true(f.doc.line_flags[6] & LINE_CODE);
  unload(&f);
}

static void test_definitions_found_by_label(void **state) {
  (void)state;
  struct fixture f;
  /* Two labels share a destination: each link gets its own definition.
   * Labels match case-insensitively with spaces folded; the first
   * definition of a label wins. */
  load(&f, "[one][A  b], [two][c], [C][] and [c].\n\n"
           "[c]: same.md\n[a b]: same.md\n[C]: other.md\n");
  assert_int_equal(f.doc.nlinks, 4);
  assert_int_equal(f.doc.links[0].def_line, 4); /* [A  b] -> [a b] */
  assert_int_equal(f.doc.links[1].def_line, 3); /* [c] */
  assert_int_equal(f.doc.links[2].def_line, 3); /* [C][] */
  assert_int_equal(f.doc.links[3].def_line, 3); /* [c] shortcut */
  assert_int_equal(f.doc.links[0].dest_off, f.src.line_starts[3] + 7);
  unload(&f);
}

/* A definition inside a container (a block quote, a list item whose
 * text stands four columns in, the item's own first line) is the one in
 * effect, not a later copy at the top level: the copy must not be named
 * (nor fixed) in its place. Indented code and paragraph text that read
 * like definitions are passed over. */
static void test_definitions_in_containers(void **state) {
  (void)state;
  struct fixture f;
  load(&f, "10. item\n\n    [r]: #r\n\n> [q]: #q\n\n- [s]: #s\n\n"
           "Text.\n\n    [t]: #t\n\n[r] [q] [s] [t]\n\n"
           "[r]: #r\n[q]: #q\n[s]: #s\n[t]: #t\n");
  assert_int_equal(f.doc.nlinks, 4);
  assert_string_equal(f.doc.links[0].dest, "#r");
  assert_int_equal(f.doc.links[0].def_line, 3); /* in the item */
  assert_int_equal(f.doc.links[0].dest_off, f.src.line_starts[2] + 9);
  assert_int_equal(f.doc.links[1].def_line, 5);  /* in the quote */
  assert_int_equal(f.doc.links[2].def_line, 7);  /* the item's first line */
  assert_int_equal(f.doc.links[3].def_line, 18); /* line 11 is code */
  unload(&f);
}

/* A label may go on over lines ("[a\nlabel]: x"); the definition is
 * placed on its first line and its destination on the line that closes
 * the label. A blank line or a '[' ends a label: "[c" alone defines
 * nothing. */
static void test_definitions_over_lines(void **state) {
  (void)state;
  struct fixture f;
  load(&f, "[a label] and [c].\n\n[a\r\nlabel]: #x\n\n[c\n\n]: #y\n\n"
           "[a label]: #x\n[c]: #c\n");
  assert_int_equal(f.doc.nlinks, 2);
  assert_string_equal(f.doc.links[0].dest, "#x");
  assert_int_equal(f.doc.links[0].def_line, 3);
  assert_int_equal(f.doc.links[0].dest_off, f.src.line_starts[3] + 8);
  assert_string_equal(f.doc.links[1].dest, "#c");
  assert_int_equal(f.doc.links[1].def_line, 11);
  unload(&f);
}

/* The marks before a line's own content: blanks, '>' and, on an item's
 * line, list markers; a look-alike with no blank after it is content. */
static void test_marks_prefix(void **state) {
  (void)state;
  const char *s;
  s = "   > > [r]: x";
  assert_int_equal(marks_prefix(s, strlen(s), false), 7);
  s = "> 10. [r]: x";
  assert_int_equal(marks_prefix(s, strlen(s), true), 6);
  assert_int_equal(marks_prefix(s, strlen(s), false), 2);
  s = "- * + ## T";
  assert_int_equal(marks_prefix(s, strlen(s), true), 6);
  s = "-[ ] x";
  assert_int_equal(marks_prefix(s, strlen(s), true), 0);
  s = "2020)x";
  assert_int_equal(marks_prefix(s, strlen(s), true), 0);
  s = "1234567890. x"; /* ten digits: not a list marker */
  assert_int_equal(marks_prefix(s, strlen(s), true), 0);
  s = "\t>\t1)\t## T";
  assert_int_equal(marks_prefix(s, strlen(s), true), 6);
  s = "- ";
  assert_int_equal(marks_prefix(s, strlen(s), true), 2);
  assert_int_equal(marks_prefix("", 0, true), 0);
}

static void test_headings(void **state) {
  (void)state;
  struct fixture f;
  load(&f, "---\ntitle: t\n---\nSetext\n======\n\n## 6.5 Latent *space* "
           "{#latent}\n\n    # not a heading\n\n<!-- ## nor this -->\n");
  assert_int_equal(f.doc.nheadings, 2);
  assert_string_equal(f.doc.headings[0].text, "Setext");
  assert_true(f.doc.headings[0].setext);
  assert_int_equal(f.doc.headings[0].pos.line, 4);
  assert_string_equal(f.doc.headings[1].text, "6.5 Latent space");
  assert_string_equal(f.doc.headings[1].explicit_id, "latent");
  assert_int_equal(f.doc.headings[1].level, 2);
  assert_true(f.doc.line_flags[1] & LINE_FRONT);
  assert_int_equal(f.doc.ncomments, 1);
  assert_string_equal(f.doc.comments[0].text, " ## nor this ");
  unload(&f);
}

/* Comments in one HTML block and inline: each with the lines it spans. */
static void test_comment_lines(void **state) {
  (void)state;
  struct fixture f;
  load(&f, "# T\n\n<div>\n<!-- one -->\n<!-- two\nlines --><!-- six -->\n"
           "</div>\n\n<!--\n\nthree\n-->\n\nText <!-- four --> and "
           "<!-- five\n-->.\n");
  assert_int_equal(f.doc.ncomments, 6);
  const unsigned want[6][2] = {{4, 4},  {5, 6},   {6, 6},
                               {9, 12}, {14, 14}, {14, 15}};
  for (size_t i = 0; i < 6; i++) {
    assert_int_equal(f.doc.comments[i].line, want[i][0]);
    assert_int_equal(f.doc.comments[i].end_line, want[i][1]);
  }
  assert_string_equal(f.doc.comments[3].text, "\n\nthree\n");
  unload(&f);
}

static void test_html_ids(void **state) {
  (void)state;
  struct fixture f;
  load(&f, "<a id=\"legacy\"></a>\n\nText <span name='x2'>y</span>.\n");
  assert_int_equal(f.doc.nids, 2);
  assert_string_equal(f.doc.ids[0].id, "legacy");
  assert_string_equal(f.doc.ids[1].id, "x2");
  unload(&f);
}

/* The line and column (in characters) of offset off of text, where
 * lines end in LF, CR or CR LF: counted here, not by scan.c. */
static struct pos true_pos(const char *text, size_t off) {
  struct pos p = {1, 1};
  for (size_t i = 0; i < off; i++) {
    if (text[i] == '\r' && text[i + 1] == '\n')
      continue; /* the LF ends the line */
    if (text[i] == '\n' || text[i] == '\r')
      p = (struct pos){p.line + 1, 1};
    else if (((unsigned char)text[i] & 0xC0) != 0x80)
      p.col++;
  }
  return p;
}

/* Where needle is in text, as a position; at_end: its last character. */
static struct pos pos_in(const char *text, const char *needle, bool at_end) {
  const char *hit = strstr(text, needle);
  if (!hit)
    fail_msg("'%s' not in the page", needle);
  return true_pos(text,
                  (size_t)(hit - text) + (at_end ? strlen(needle) - 1 : 0));
}

#define assert_pos(got, want, what)                                            \
  do {                                                                         \
    struct pos g_ = (got), w_ = (want);                                        \
    if (g_.line != w_.line || g_.col != w_.col)                                \
      fail_msg("%s: at %u:%u, expected %u:%u", what, g_.line, g_.col, w_.line, \
               w_.col);                                                        \
  } while (0)

/* text with each LF turned into eol. */
static char *with_endings(const char *text, const char *eol) {
  size_t n = 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n' ? strlen(eol) : 1;
  char *out = malloc(n + 1), *o = out;
  assert_non_null(out);
  for (const char *p = text; *p; p++)
    if (*p == '\n')
      o += strlen(strcpy(o, eol));
    else
      *o++ = *p;
  *o = '\0';
  return out;
}

/* Links placed where libcmark 0.30's inline positions go wrong: link text
 * or a destination, title or label across lines, a backslash line break,
 * lazy and indented continuation lines, autolinks in a block quote, code
 * and raw HTML across lines. Each link is named by its first characters
 * and its last ones; word is plain text after them. Each page is read
 * with LF, CR LF and CR line endings. */
static const struct {
  const char *page;
  const char *links[4][2];
  const char *word;
} placed[] = {
    {"Intro\nSee [some\ntext](t1.md) and [x](t2.md) and\n[y](t3.md) w1\n",
     {{"[some", "t1.md)"}, {"[x]", "t2.md)"}, {"[y]", "t3.md)"}},
     "w1"},
    {"[dest](\nd.md) [t](e.md\n\"title\") [u](f.md) w2\n",
     {{"[dest]", "d.md)"}, {"[t]", "\"title\")"}, {"[u]", "f.md)"}},
     "w2"},
    {"[c][\nref] [k](l.md) w3\n\n[ref]: x.md\n",
     {{"[c]", "ref]"}, {"[k]", "l.md)"}},
     "w3"},
    {"a\\\n[x](y.md) b  \n[z](w.md) w4\n",
     {{"[x]", "y.md)"}, {"[z]", "w.md)"}},
     "w4"},
    {"> a\nb [z](w.md) w5\n> c [q](r.md)\n",
     {{"[z]", "w.md)"}, {"[q]", "r.md)"}},
     "w5"},
    {"- [] box\n[x](m.md) w6\n", {{"[x]", "m.md)"}}, "w6"},
    {"   a\n b [z](w.md) w7\n", {{"[z]", "w.md)"}}, "w7"},
    {"> see <http://a.b/c> and [x](m1.md)\n> <http://d.e> x [y](m2.md) w8\n",
     {{"<http://a", "c>"},
      {"[x]", "m1.md)"},
      {"<http://d", "e>"},
      {"[y]", "m2.md)"}},
     "w8"},
    {"- a `co\n  de` [z](m3.md) <span\n  class=\"x\"> [w](m4.md) w9\n",
     {{"[z]", "m3.md)"}, {"[w]", "m4.md)"}},
     "w9"},
    {"![im\nage](i.png) *em\nph* [k](l.md) w10\n",
     {{"![im", "i.png)"}, {"[k]", "l.md)"}},
     "w10"},
    {"> - [a](\n>   b.md) [c](d.md) w11\n",
     {{"[a]", "b.md)"}, {"[c]", "d.md)"}},
     "w11"},
    {"[a\nb](h.md) w12\n===\n", {{"[a", "h.md)"}}, "w12"},
    /* A line that starts with inline code, emphasis, an entity. */
    {"x\n`code` [a](m.md) w13\n``co`de`` [b](n.md)\n",
     {{"[a]", "m.md)"}, {"[b]", "n.md)"}},
     "w13"},
    {"x\n**bold** [a](a.md)\n***c** d* [b](b.md)\n&amp; [c](c.md) w14\n",
     {{"[a]", "a.md)"}, {"[b]", "b.md)"}, {"[c]", "c.md)"}},
     "w14"},
};

static void test_positions_across_lines(void **state) {
  (void)state;
  static const char *const endings[] = {"\n", "\r\n", "\r"};
  for (size_t c = 0; c < sizeof(placed) / sizeof(placed[0]); c++)
    for (size_t e = 0; e < 3; e++) {
      char *page = with_endings(placed[c].page, endings[e]);
      struct fixture f;
      load(&f, page);
      size_t n = 0;
      while (n < 4 && placed[c].links[n][0])
        n++;
      assert_int_equal(f.doc.nlinks, n);
      for (size_t k = 0; k < n; k++) {
        char what[64];
        snprintf(what, sizeof(what), "page %zu, ending %zu, link %zu", c, e, k);
        assert_pos(f.doc.links[k].pos, pos_in(page, placed[c].links[k][0], 0),
                   what);
        assert_pos(f.doc.links[k].end, pos_in(page, placed[c].links[k][1], 1),
                   what);
      }
      const struct textblock *b = &f.doc.blocks[0];
      char what[64];
      snprintf(what, sizeof(what), "page %zu, ending %zu, text", c, e);
      assert_pos(pos_of(&f, b, placed[c].word), pos_in(page, placed[c].word, 0),
                 what);
      unload(&f);
      free(page);
    }
}

/* A comment after a destination libcmark read across lines is on the
 * line where it is, so it suppresses the right line. */
static void test_comment_after_a_link_across_lines(void **state) {
  (void)state;
  struct fixture f;
  load(&f, "[a](\nb.md) <!-- courselint-disable-line -->\n");
  assert_int_equal(f.doc.ncomments, 1);
  assert_int_equal(f.doc.comments[0].line, 2);
  assert_int_equal(f.doc.comments[0].end_line, 2);
  /* The destination is found on its line, for fixes. */
  assert_int_equal(f.doc.links[0].dest_off, 5);
  unload(&f);
}

/* Pages parsed one after another in one reuse give what each gives alone,
 * long and short in turn (the buffers grow, shrink back in length and
 * keep their room), and a page past PARSE_REUSE_MAX frees its room when
 * given back. */
static void same_doc(const struct doc *a, const struct doc *b) {
  assert_int_equal(a->nblocks, b->nblocks);
  for (size_t i = 0; i < a->nblocks; i++) {
    assert_int_equal(a->blocks[i].len, b->blocks[i].len);
    assert_memory_equal(a->blocks[i].text, b->blocks[i].text,
                        a->blocks[i].len + 1);
    assert_int_equal(a->blocks[i].nsegs, b->blocks[i].nsegs);
    for (size_t k = 0; k < a->blocks[i].nsegs; k++) {
      assert_int_equal(a->blocks[i].segs[k].src_off,
                       b->blocks[i].segs[k].src_off);
      assert_int_equal(a->blocks[i].segs[k].len, b->blocks[i].segs[k].len);
    }
  }
  assert_int_equal(a->nheadings, b->nheadings);
  for (size_t i = 0; i < a->nheadings; i++)
    assert_string_equal(a->headings[i].text, b->headings[i].text);
  assert_int_equal(a->nlinks, b->nlinks);
  for (size_t i = 0; i < a->nlinks; i++) {
    assert_string_equal(a->links[i].dest, b->links[i].dest);
    assert_string_equal(a->links[i].text, b->links[i].text);
  }
  assert_int_equal(a->nids, b->nids);
  assert_int_equal(a->ncomments, b->ncomments);
}

static void test_reused_buffers(void **state) {
  (void)state;
  struct buf big;
  buf_init(&big);
  for (int i = 0; i < 400; i++)
    assert_true(buf_printf(&big,
                           "## %d. Part\n\nSee [chapter %d](02_explainer.md#%d)"
                           " and `code` <a id=\"x%d\"></a>\n\n",
                           i, i, i, i));
  const char *pages[] = {
      "# One\n\nA [link](a.md) and text.\n<!-- note -->\n",
      buf_cstr(&big),
      "Short.\n",
      "",
      "# Two\n\n- [ ] task\n- ![img](i.png)\n\n[ref]: b.md\n\nSee [ref].\n",
      buf_cstr(&big),
      "# Three\n",
  };
  struct parse_reuse reuse;
  parse_reuse_init(&reuse);
  struct pool *pool = pool_new(0);
  for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
    struct source src;
    assert_int_equal(scan_from_mem(pages[i], strlen(pages[i]), &src), CLINT_OK);
    struct arena keep, scratch, keep2, scratch2;
    arena_init(&keep);
    arena_init(&scratch);
    arena_init(&keep2);
    arena_init(&scratch2);
    struct doc alone, borrowed;
    assert_int_equal(parse_doc(&src, &keep, &scratch, pool, &alone), CLINT_OK);
    assert_int_equal(
        parse_doc_reusing(&src, &keep2, &scratch2, pool, &reuse, &borrowed),
        CLINT_OK);
    assert_ptr_equal(borrowed.reuse, &reuse);
    assert_null(alone.reuse);
    same_doc(&alone, &borrowed);
    parse_free(&alone);
    parse_free(&borrowed);
    assert_int_equal(reuse.blocks.len, 0);
    assert_int_equal(reuse.text.len, 0);
    arena_free(&keep);
    arena_free(&scratch);
    arena_free(&keep2);
    arena_free(&scratch2);
    scan_free(&src);
  }
  assert_true(reuse.text.cap > 0); /* room kept for the next page */
  /* A page whose text passes the limit: its room goes when given back. */
  size_t n = PARSE_REUSE_MAX + 100;
  char *huge = malloc(n + 1);
  assert_non_null(huge);
  memset(huge, 'a', n);
  huge[n] = '\0';
  struct source src;
  assert_int_equal(scan_from_mem(huge, n, &src), CLINT_OK);
  struct arena keep, scratch;
  arena_init(&keep);
  arena_init(&scratch);
  struct doc doc;
  assert_int_equal(parse_doc_reusing(&src, &keep, &scratch, pool, &reuse, &doc),
                   CLINT_OK);
  assert_int_equal(doc.blocks[0].len, n);
  parse_free(&doc);
  assert_int_equal(reuse.text.cap, 0);
  arena_free(&keep);
  arena_free(&scratch);
  scan_free(&src);
  free(huge);
  parse_reuse_free(&reuse);
  pool_free(pool);
  buf_free(&big);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text_includes_link_text_and_code),
      cmocka_unit_test(test_reused_buffers),
      cmocka_unit_test(test_comment_lines),
      cmocka_unit_test(test_links_and_reference_definitions),
      cmocka_unit_test(test_definitions_found_by_label),
      cmocka_unit_test(test_definitions_in_containers),
      cmocka_unit_test(test_definitions_over_lines),
      cmocka_unit_test(test_marks_prefix),
      cmocka_unit_test(test_headings),
      cmocka_unit_test(test_html_ids),
      cmocka_unit_test(test_positions_across_lines),
      cmocka_unit_test(test_comment_after_a_link_across_lines),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
