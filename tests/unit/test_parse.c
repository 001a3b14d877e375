/* The document view: headings, links, text blocks and their map back to
 * the source, line flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "parse.h"

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
      cmocka_unit_test(test_headings),
      cmocka_unit_test(test_html_ids),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
