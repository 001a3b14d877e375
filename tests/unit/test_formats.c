/* Page formats (src/formats.h): which names are pages, what of MDX and
 * Quarto is blanked before parsing, and positions taken back to a file
 * through a srcmap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "formats.h"

static void test_format_of_name(void **state) {
  (void)state;
  assert_int_equal(formats_of("a/b.md"), FORMAT_MARKDOWN);
  assert_int_equal(formats_of("notes.markdown"), FORMAT_MARKDOWN);
  assert_int_equal(formats_of("units/en/3.mdx"), FORMAT_MDX);
  assert_int_equal(formats_of("index.qmd"), FORMAT_QMD);
  assert_int_equal(formats_of(".md"), FORMAT_NONE);
  assert_int_equal(formats_of("a.md/x.png"), FORMAT_NONE);
  assert_int_equal(formats_of("README"), FORMAT_NONE);
  assert_int_equal(formats_of("x.mdx.bak"), FORMAT_NONE);
}

/* The text cmark reads after blanking, with '|' for each line ending:
 * blanked bytes are spaces and every line keeps its length; for the
 * compare, runs of spaces are one and trailing spaces are dropped. */
static void blanked(const char *text, enum page_format fmt, const char *want) {
  struct source src;
  assert_int_equal(scan_from_mem(text, strlen(text), &src), CLINT_OK);
  assert_true(formats_blank_extensions(&src, fmt));
  assert_int_equal(strlen(src.parse_text), strlen(text));
  char *got = strdup(src.parse_text);
  for (char *c = got; *c; c++)
    if (*c == '\n')
      *c = '|';
  char *o = got;
  for (const char *c = got; *c; c++) {
    if (*c == ' ') {
      size_t k = strspn(c, " ");
      c += k - 1;
      if (c[1] == '|' || c[1] == '\0')
        continue;
    }
    *o++ = *c;
  }
  *o = '\0';
  assert_string_equal(got, want);
  free(got);
  scan_free(&src);
}

static void test_mdx(void **state) {
  (void)state;
  blanked("import A from 'a';\nimport {\n  B,\n} from 'b';\n\n# T\n",
          FORMAT_MDX, "|||||# T|");
  blanked("export const meta = {\n  x: 1,\n};\n\ntext\n", FORMAT_MDX,
          "||||text|");
  /* A JSX tag over lines, with '>' inside braces and quotes; the
   * Markdown between an opening and a closing tag stays. */
  blanked("<Banner a={x > 1}\n  b=\"c>d\"\n/>\n<Tip>\n\n[a](b.md)\n\n</Tip>\n"
          "  <Inner />\n<>\nx\n</>\n",
          FORMAT_MDX, "|||||[a](b.md)|||||x||");
  blanked("{/* [a](b.md)\n   more */}\ntext {x}\n", FORMAT_MDX, "||text {x}|");
  /* HTML tags (lower case) are HTML; code fences are left alone, and an
   * import inside one does not start a statement. */
  blanked("<img src=\"a.png\" />\n```js\nimport x from 'y';\n<Tip>\n```\n"
          "import not-esm\n",
          FORMAT_MDX,
          "<img src=\"a.png\" />|```js|import x from 'y';|<Tip>|```||");
  /* Front matter is not MDX. */
  blanked("---\nimport: x\n---\n# T\n", FORMAT_MDX, "|||# T|");
  /* Markdown is left as it is. */
  blanked("import x\n<Tip>\n", FORMAT_MARKDOWN, "import x|<Tip>|");
}

static void test_qmd(void **state) {
  (void)state;
  blanked("# T\n\n{{< include _x.qmd >}}\n\nSee {{< var v >}} and "
          "{{% a %}}, {x} {{x}}.\n{{< video\n  url >}}\n",
          FORMAT_QMD, "# T||||See and , {x} {{x}}.|||");
}

static void test_map_pos(void **state) {
  (void)state;
  const struct srcmap_esc esc[] = {{2, 1}, {5, 5}};
  const struct srcmap_line lines[] = {
      {1, 10, 6, 0, 2}, /* text line 1: file line 10 from col 6 */
      {2, 11, 6, 2, 0},
      {5, 5, 9, 2, 0},
  };
  const struct srcmap m = {lines, 3, esc};
  struct pos p = formats_map_pos(&m, (struct pos){1, 1});
  assert_int_equal(p.line, 10);
  assert_int_equal(p.col, 6);
  p = formats_map_pos(&m, (struct pos){1, 3}); /* the escape itself */
  assert_int_equal(p.col, 8);
  p = formats_map_pos(&m, (struct pos){1, 4}); /* after "\"" */
  assert_int_equal(p.col, 10);
  p = formats_map_pos(&m, (struct pos){1, 7}); /* after "\u00e9" too */
  assert_int_equal(p.col, 18);
  p = formats_map_pos(&m, (struct pos){2, 2});
  assert_int_equal(p.line, 11);
  assert_int_equal(p.col, 7);
  p = formats_map_pos(&m, (struct pos){3, 2}); /* no entry */
  assert_int_equal(p.line, 3);
  assert_int_equal(p.col, 2);
  p = formats_map_pos(&m, (struct pos){5, 3});
  assert_int_equal(p.line, 5);
  assert_int_equal(p.col, 11);
  p = formats_map_pos(&m, (struct pos){6, 1}); /* past the map */
  assert_int_equal(p.line, 6);
  p = formats_map_pos(NULL, (struct pos){4, 5});
  assert_int_equal(p.line, 4);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_format_of_name),
      cmocka_unit_test(test_mdx),
      cmocka_unit_test(test_qmd),
      cmocka_unit_test(test_map_pos),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
