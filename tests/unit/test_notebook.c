/* Notebooks (src/notebook.h): the markdown cells' text, the lines it
 * keeps from the file, and the srcmap that takes each character of the
 * text back to the place in the file that holds it, escaped or not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "notebook.h"
#include "util/buf.h"

struct nbtext {
  struct source json;
  struct arena a;
  char *text;
  size_t len;
  const struct srcmap *map;
  clint_error err;
};

static clint_status extract(struct nbtext *t, const char *json) {
  assert_int_equal(scan_from_mem(json, strlen(json), &t->json), CLINT_OK);
  arena_init(&t->a);
  return notebook_extract(&t->json, "nb.ipynb", &t->a, &t->text, &t->len,
                          &t->map, &t->err);
}

static void release(struct nbtext *t) {
  free(t->text);
  arena_free(&t->a);
  scan_free(&t->json);
}

/* The text's line n (1-based), without its newline, in out. */
static const char *text_line(const struct nbtext *t, unsigned n, char *out,
                             size_t cap) {
  const char *s = t->text;
  for (unsigned k = 1; k < n && s; k++) {
    s = strchr(s, '\n');
    s = s ? s + 1 : NULL;
  }
  assert_non_null(s);
  size_t len = strcspn(s, "\n");
  assert_true(len < cap);
  memcpy(out, s, len);
  out[len] = '\0';
  return out;
}

static void test_jupyter_layout(void **state) {
  (void)state;
  struct nbtext t;
  const char *json =
      "{\n"
      " \"cells\": [\n"
      "  {\n"
      "   \"cell_type\": \"markdown\",\n"
      "   \"metadata\": {\"tags\": [\"x\"]},\n"
      "   \"source\": [\n"
      "    \"# Title\\n\",\n" /* line 7 */
      "    \"\\n\",\n"
      "    \"[a](b.md)\"\n"
      "   ]\n"
      "  },\n"
      "  {\"cell_type\": \"code\", \"source\": [\"[c](d.md)\"],\n"
      "   \"outputs\": [{\"text\": [\"# out\"]}]},\n"
      "  {\"source\": [\"## Next\"], \"cell_type\": \"markdown\"}\n"
      " ]\n"
      "}\n";
  assert_int_equal(extract(&t, json), CLINT_OK);
  char line[256];
  /* Each source line stands on its own file line. */
  assert_string_equal(text_line(&t, 7, line, sizeof(line)), "# Title");
  assert_string_equal(text_line(&t, 8, line, sizeof(line)), "");
  assert_string_equal(text_line(&t, 9, line, sizeof(line)), "[a](b.md)");
  assert_string_equal(text_line(&t, 14, line, sizeof(line)), "## Next");
  assert_null(strstr(t.text, "[c]"));
  assert_null(strstr(t.text, "# out"));
  struct pos p = formats_map_pos(t.map, (struct pos){9, 2});
  assert_int_equal(p.line, 9);
  assert_int_equal(p.col, 7);
  p = formats_map_pos(t.map, (struct pos){14, 1}); /* source before type */
  assert_int_equal(p.line, 14);
  assert_int_equal(p.col, 16);
  release(&t);
}

/* Cells on one line stay apart by a blank line; lines of one string
 * follow one another. */
static void test_one_line(void **state) {
  (void)state;
  struct nbtext t;
  assert_int_equal(extract(&t, "{\"cells\":[{\"cell_type\":\"markdown\","
                               "\"source\":\"# A\\ntext\"},{\"cell_type\":"
                               "\"markdown\",\"source\":[\"b\"]}]}"),
                   CLINT_OK);
  assert_string_equal(t.text, "# A\ntext\n\nb\n");
  struct pos p = formats_map_pos(t.map, (struct pos){2, 1});
  assert_int_equal(p.line, 1);
  assert_int_equal(p.col, 50);
  p = formats_map_pos(t.map, (struct pos){4, 1});
  assert_int_equal(p.line, 1);
  assert_int_equal(p.col, 92);
  release(&t);
}

static void test_not_notebooks(void **state) {
  (void)state;
  struct nbtext t;
  assert_int_equal(extract(&t, ""), CLINT_OK);
  assert_string_equal(t.text, "");
  release(&t);
  assert_int_equal(extract(&t, " \n\t\n"), CLINT_OK);
  release(&t);
  assert_int_equal(extract(&t, "[1, 2, \"x\"]"), CLINT_OK);
  assert_string_equal(t.text, "");
  release(&t);
  assert_int_equal(extract(&t, "{\n \"cells\": [\n  {\"cell_type\": x}\n]}"),
                   CLINT_E_IO);
  assert_int_equal(t.err.line, 3);
  assert_non_null(strstr(t.err.message, "not a valid notebook"));
  assert_string_equal(t.err.path, "nb.ipynb");
  assert_null(t.text);
  release(&t);
  /* Duplicate keys would put the strings out of step: refused. */
  assert_int_equal(extract(&t, "{\"cells\": [], \"cells\": []}"), CLINT_E_IO);
  release(&t);
  /* A NUL in a cell is a space, so the text does not end there. */
  assert_int_equal(extract(&t,
                           "{\"cells\":[{\"cell_type\":\"markdown\",\"source\":"
                           "[\"a\\u0000b\"]}]}"),
                   CLINT_OK);
  assert_string_equal(t.text, "a b\n");
  release(&t);
}

/* A generator of our own, so runs are the same everywhere. */
static uint64_t seed = 42;
static unsigned rnd(unsigned n) {
  seed = seed * 6364136223846793005u + 1442695040888963407u;
  return (unsigned)((seed >> 33) % n);
}

/* Append code point c to the JSON being written, escaped at random. */
static void put_char(struct buf *j, unsigned long c) {
  char tmp[32];
  if (c == '"' || c == '\\') {
    snprintf(tmp, sizeof(tmp), "\\%c", (char)c);
  } else if (c == '\t') { /* a raw tab is not JSON */
    snprintf(tmp, sizeof(tmp), rnd(2) ? "\\t" : "\\u0009");
  } else if (c == '/' && rnd(2)) {
    snprintf(tmp, sizeof(tmp), "\\/");
  } else if (c >= 0x10000) {
    unsigned long v = c - 0x10000;
    snprintf(tmp, sizeof(tmp), "\\u%04lx\\u%04lX", 0xD800 + (v >> 10),
             0xDC00 + (v & 0x3FF));
  } else if (c >= 0x80 || rnd(6) == 0) {
    if (c >= 0x80 && rnd(2)) { /* as UTF-8 */
      char u[4];
      size_t n = c < 0x800 ? 2 : 3;
      if (n == 2) {
        u[0] = (char)(0xC0 | (c >> 6));
        u[1] = (char)(0x80 | (c & 0x3F));
      } else {
        u[0] = (char)(0xE0 | (c >> 12));
        u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        u[2] = (char)(0x80 | (c & 0x3F));
      }
      buf_append(j, u, n);
      return;
    }
    snprintf(tmp, sizeof(tmp), "\\u%04lx", c);
  } else {
    tmp[0] = (char)c;
    tmp[1] = '\0';
  }
  buf_puts(j, tmp);
}

/* The code point of the UTF-8 sequence at s. */
static unsigned long text_char(const char *s) {
  const unsigned char *u = (const unsigned char *)s;
  if (u[0] < 0x80)
    return u[0];
  if (u[0] < 0xE0)
    return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3F);
  if (u[0] < 0xF0)
    return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3F);
  return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) |
         ((u[2] & 0x3Fu) << 6) | (u[3] & 0x3F);
}

/* The code point the file holds at s: a character or an escape. */
static unsigned long file_char(const char *s) {
  if (s[0] == '\\') {
    switch (s[1]) {
    case 't':
      return '\t';
    case 'u': {
      unsigned long c = strtoul((char[5]){s[2], s[3], s[4], s[5], 0}, NULL, 16);
      if (c >= 0xD800 && c <= 0xDBFF)
        c = 0x10000 + ((c - 0xD800) << 10) +
            (strtoul((char[5]){s[8], s[9], s[10], s[11], 0}, NULL, 16) -
             0xDC00);
      return c;
    }
    default:
      return (unsigned char)s[1];
    }
  }
  return text_char(s);
}

/* The byte offset of 1-based column col (characters) on file line. */
static const char *file_at(const struct source *s, unsigned line,
                           unsigned col) {
  const char *p = s->text + s->line_starts[line - 1];
  for (unsigned c = 1; c < col; c++) {
    p++;
    while (((unsigned char)*p & 0xC0) == 0x80)
      p++;
  }
  return p;
}

/* Every character of the text maps to the place in the file that holds
 * it, whatever its escapes, on pretty and on one-line files. */
static void test_random_escapes(void **state) {
  (void)state;
  static const unsigned long alphabet[] = {'a',  'b',  ' ',    '[',    ']',
                                           '(',  ')',  '"',    '\\',   '/',
                                           '\t', 0xE9, 0x65E5, 0x1F600};
  for (int round = 0; round < 200; round++) {
    bool pretty = rnd(2);
    struct buf j;
    buf_init(&j);
    buf_puts(&j, "{\"cells\": [");
    unsigned ncells = 1 + rnd(4);
    for (unsigned c = 0; c < ncells; c++) {
      buf_puts(&j, c ? "," : "");
      buf_puts(&j, pretty ? "\n {\"cell_type\": \"" : "{\"cell_type\":\"");
      buf_puts(&j, rnd(3) ? "markdown" : "code");
      buf_puts(&j, "\", \"source\": [");
      unsigned nlines = 1 + rnd(4);
      for (unsigned l = 0; l < nlines; l++) {
        buf_puts(&j, l ? "," : "");
        buf_puts(&j, pretty ? "\n  \"" : "\"");
        unsigned n = rnd(12);
        for (unsigned k = 0; k < n; k++)
          put_char(&j, alphabet[rnd(sizeof(alphabet) / sizeof(alphabet[0]))]);
        buf_puts(&j, l + 1 < nlines || rnd(2) ? "\\n\"" : "\"");
      }
      buf_puts(&j, "]}");
    }
    buf_puts(&j, "]}\n");
    struct nbtext t;
    assert_int_equal(extract(&t, buf_cstr(&j)), CLINT_OK);
    unsigned line = 1, col = 1;
    for (const char *p = t.text; *p;) {
      if (*p == '\n') {
        line++, col = 1, p++;
        continue;
      }
      unsigned long want = text_char(p);
      struct pos at = formats_map_pos(t.map, (struct pos){line, col});
      assert_true(at.line >= 1 && at.line <= t.json.nlines);
      unsigned long got = file_char(file_at(&t.json, at.line, at.col));
      if (got != want)
        fail_msg("round %d: text %u:%u U+%04lX maps to file %u:%u U+%04lX\n%s",
                 round, line, col, want, at.line, at.col, got, buf_cstr(&j));
      p++;
      while (((unsigned char)*p & 0xC0) == 0x80)
        p++;
      col++;
    }
    release(&t);
    buf_free(&j);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_jupyter_layout),
      cmocka_unit_test(test_one_line),
      cmocka_unit_test(test_not_notebooks),
      cmocka_unit_test(test_random_escapes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
