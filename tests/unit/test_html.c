/* The raw HTML scanner (src/html.h): which attributes it hands out, what
 * it steps over, how values are decoded, and where the links and ids of
 * a page's HTML land in its source. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "html.h"
#include "util/path.h"

/* Every attribute as "tag.name=value" (or "tag.name"), one per line. */
static bool record(void *ctx, const struct html_attr *a) {
  struct buf *b = ctx;
  char line[256];
  if (a->value)
    snprintf(line, sizeof(line), "%.*s.%.*s=%.*s\n", (int)a->taglen, a->tag,
             (int)a->namelen, a->name, (int)a->valuelen, a->value);
  else
    snprintf(line, sizeof(line), "%.*s.%.*s\n", (int)a->taglen, a->tag,
             (int)a->namelen, a->name);
  return buf_puts(b, line);
}

static void scanned(const char *html, const char *want) {
  struct buf b;
  buf_init(&b);
  assert_true(html_scan(html, strlen(html), record, &b));
  assert_string_equal(buf_cstr(&b), want);
  buf_free(&b);
}

static void test_attributes(void **state) {
  (void)state;
  scanned("<img width=300 src=\"a.png\" alt='x y'/><br><video controls "
          "src=v.mp4>",
          "img.width=300\nimg.src=a.png\nimg.alt=x y\nvideo.controls\n"
          "video.src=v.mp4\n");
  /* White space around '=', an unquoted value that ends at '>', a value
   * holding '>', an attribute name after a slash. */
  scanned("<a href = \"x>y.md\" title=t>z</a><a/name=n>",
          "a.href=x>y.md\na.title=t\na.name=n\n");
  /* An unclosed tag or quote at the end. */
  scanned("<img src=\"a.png", "img.src=a.png\n");
  scanned("<img src", "img.src\n");
  scanned("a <3 b, x < y, <", "");
}

static void test_skipped(void **state) {
  (void)state;
  scanned("<!-- <img src=\"c.png\"> --><img src=after.png>",
          "img.src=after.png\n");
  scanned("<!DOCTYPE html><![CDATA[<img src=c.png>]]><?php echo '<a "
          "href=p>'; ?></a href=end><b id=k>",
          "b.id=k\n");
  /* Raw text elements, their end tag in any letter case. */
  scanned("<script>x = '<img src=\"s.png\">';</SCRIPT><style>a{}"
          "/*<a href=s>*/</style ><textarea><a href=t></textarea><title>"
          "<a href=u></title><p id=end>",
          "p.id=end\n");
  scanned("<script src=\"app.js\"><img src=no.png>", "script.src=app.js\n");
  scanned("<!-- unclosed <img src=c.png>", "");
}

static bool first_only(void *ctx, const struct html_attr *a) {
  (void)a;
  return ++*(size_t *)ctx < 1;
}

/* A callback that says stop ends the scan. */
static void test_stop(void **state) {
  (void)state;
  size_t calls = 0;
  assert_false(html_scan("<a x=1 y=2><b z=3>", 18, first_only, &calls));
  assert_int_equal(calls, 1);
}

static void test_decode(void **state) {
  (void)state;
  char out[64];
  const char *in = "a&amp;b&lt;&gt;&quot;&apos;&#38;&#x26;&#X41;&#233;";
  size_t n = html_decode(in, strlen(in), out);
  assert_string_equal(out, "a&b<>\"'&&A\xc3\xa9");
  assert_int_equal(n, strlen(out));
  /* Unknown names, NUL, surrogates, values past U+10FFFF and a missing
   * ';' stay as written. */
  in = "&nbsp;&#0;&#xD800;&#x110000;&#65&amp";
  html_decode(in, strlen(in), out);
  assert_string_equal(out, in);
}

static void test_is_link(void **state) {
  (void)state;
  bool image = false;
  assert_true(html_is_link("A", 1, "HREF", 4, &image));
  assert_false(image);
  assert_true(html_is_link("img", 3, "srcset", 6, &image));
  assert_true(image);
  assert_true(html_is_link("video", 5, "poster", 6, &image));
  assert_true(image);
  assert_true(html_is_link("source", 6, "src", 3, &image));
  assert_false(image);
  assert_false(html_is_link("img", 3, "alt", 3, &image));
  assert_false(html_is_link("link", 4, "href", 4, &image));
  assert_false(html_is_link("abbr", 4, "href", 4, &image));
}

struct page {
  struct source src;
  struct arena keep, scratch;
  struct doc doc;
};

static void parse(struct page *f, const char *text) {
  assert_int_equal(scan_from_mem(text, strlen(text), &f->src), CLINT_OK);
  arena_init(&f->keep);
  arena_init(&f->scratch);
  assert_int_equal(parse_doc(&f->src, &f->keep, &f->scratch, NULL, &f->doc),
                   CLINT_OK);
}

static void done(struct page *f) {
  parse_free(&f->doc);
  arena_free(&f->keep);
  arena_free(&f->scratch);
  scan_free(&f->src);
}

/* Link i goes to dest at line:col; its destination stands in the source
 * there when placed is set. */
static void link_is(const struct page *f, size_t i, const char *dest,
                    unsigned line, unsigned col, bool placed) {
  assert_true(i < f->doc.nlinks);
  const struct link *l = &f->doc.links[i];
  assert_string_equal(l->dest, dest);
  assert_true(l->external == path_is_external(dest));
  assert_int_equal(l->pos.line, line);
  assert_int_equal(l->pos.col, col);
  if (placed) {
    assert_true(l->dest_off != (size_t)-1);
    assert_memory_equal(f->src.text + l->dest_off, dest, strlen(dest));
  } else {
    assert_true(l->dest_off == (size_t)-1);
  }
}

static void test_page_positions(void **state) {
  (void)state;
  struct page f;
  parse(&f, "# T\n\n"
            "<p><img src=\"a.png\"> <a href='b.md'>b</a></p>\n\n" /* 3 */
            "Text <a\nhref=\"c.md\">c</a> [d](d.md) <img src=e.png>\n\n"
            "> <div>\n>\t<img src=\"f.png\">\n> </div>\n\n" /* 8 */
            "- item\n\n  <img\n    src=\"g.png\">\n\n"      /* 12 */
            "<img src=\"h&amp;i.png\" srcset=\"j.png 1x, k.png, l.png 2x\">"
            "\n\n![<img src=\"alt.png\">](m.png)\n");
  size_t i = 0;
  link_is(&f, i++, "a.png", 3, 14, true);
  link_is(&f, i++, "b.md", 3, 31, true);
  link_is(&f, i++, "c.md", 6, 7, true);
  link_is(&f, i++, "d.md", 6, 19, true); /* Markdown: placed at '[' */
  link_is(&f, i++, "e.png", 6, 38, true);
  link_is(&f, i++, "f.png", 9, 13, true); /* after a tab libcmark expanded */
  link_is(&f, i++, "g.png", 15, 10, true);
  link_is(&f, i++, "h&i.png", 17, 11, false); /* decoded: not as written */
  link_is(&f, i++, "j.png", 17, 32, true);
  link_is(&f, i++, "k.png", 17, 42, true);
  link_is(&f, i++, "l.png", 17, 49, true);
  link_is(&f, i++, "m.png", 19, 1, true); /* its alt text holds no link */
  assert_int_equal(f.doc.nlinks, i);
  assert_true(f.doc.links[0].image);
  assert_false(f.doc.links[1].image);
  done(&f);
}

static void test_page_crlf_and_ids(void **state) {
  (void)state;
  struct page f;
  parse(&f, "# T\r\n\r\n<div id=\"top-1\">\r\n<img src=\"a.png\">\r\n"
            "<!-- <a id=\"hidden\"> -->\r\n</div>\r\n\r\nText <a "
            "name='n&amp;m'>x</a>\r\n");
  assert_int_equal(f.doc.nlinks, 1);
  link_is(&f, 0, "a.png", 4, 11, true);
  assert_int_equal(f.doc.nids, 2);
  assert_string_equal(f.doc.ids[0].id, "top-1");
  assert_int_equal(f.doc.ids[0].pos.line, 3);
  assert_int_equal(f.doc.ids[0].pos.col, 10);
  assert_string_equal(f.doc.ids[1].id, "n&m");
  assert_int_equal(f.doc.ids[1].pos.line, 8);
  done(&f);
}

/* URLs and paths from the site's root in raw HTML are marked external
 * when read, as Markdown links are. */
static void test_page_external(void **state) {
  (void)state;
  struct page f;
  parse(&f, "# T\n\n<a href=\"https://x.org/a.md\">x</a> "
            "<img src=\"//cdn.example/x.png\"> <a href=\"/abs.md\">a</a> "
            "<a href=\"mailto:a@b.c\">m</a> <a href=\"rel.md\">r</a>\n");
  assert_int_equal(f.doc.nlinks, 5);
  static const bool external[] = {true, true, true, true, false};
  for (size_t i = 0; i < 5; i++)
    assert_true(f.doc.links[i].external == external[i]);
  assert_string_equal(f.doc.links[4].dest, "rel.md");
  done(&f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_page_external),
      cmocka_unit_test(test_attributes),
      cmocka_unit_test(test_skipped),
      cmocka_unit_test(test_stop),
      cmocka_unit_test(test_decode),
      cmocka_unit_test(test_is_link),
      cmocka_unit_test(test_page_positions),
      cmocka_unit_test(test_page_crlf_and_ids),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
