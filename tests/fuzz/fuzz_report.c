/* fuzz_report.c - libFuzzer harness for the output writers: every
 * --format and every --report format, on a course whose file names and
 * contents come from the input. The input is split at NUL bytes: the name
 * of a page (any bytes but '/'; ".md" is added), its text, a second
 * page's text and the course's .courselint.yml. Checked on every input,
 * with parsers written here, independent of src/report/:
 *   - JSON (json, sarif, the .json report): one valid JSON value in valid
 *     UTF-8;
 *   - text and github: one line per finding, no control character but
 *     the newline at its end; github lines are workflow commands in valid
 *     UTF-8 (text passes a name's bytes through as they are);
 *   - junit and the .html report: valid UTF-8 without a character that
 *     XML 1.0 cannot hold;
 *   - the .md report: valid UTF-8 without control characters but '\n'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static void fail(const char *what, const char *s, size_t n) {
  fprintf(stderr, "%s:\n%.*s\n", what, (int)(n > 4000 ? 4000 : n), s);
  abort();
}

/* The length of the valid UTF-8 character at s (at most n bytes), or 0:
 * shortest form, no surrogates, at most U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t n) {
  if (s[0] < 0x80)
    return 1;
  size_t k = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 ? 2 : 0;
  if (!k || k > n || s[0] > 0xF4)
    return 0;
  for (size_t i = 1; i < k; i++)
    if ((s[i] & 0xC0) != 0x80)
      return 0;
  if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) ||
      (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] > 0x8F))
    return 0;
  return k;
}

/* Valid UTF-8 in which every byte below 0x20, and DEL, is in allowed. */
static void check_utf8(const char *what, const char *s, size_t n,
                       const char *allowed) {
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i];
    if ((c < 0x20 || c == 0x7f) && (c == 0 || !strchr(allowed, c)))
      fail(what, s, n);
    size_t k = utf8_len((const unsigned char *)s + i, n - i);
    if (!k)
      fail(what, s, n);
    i += k;
  }
}

/* ---- a JSON validator (RFC 8259), iterative over an explicit stack ---- */

static size_t ws(const char *s, size_t n, size_t i) {
  while (i < n && s[i] && strchr(" \t\r\n", s[i]))
    i++;
  return i;
}

/* Past the string starting at s[i] == '"', or 0 when it is not one. */
static size_t json_string(const char *s, size_t n, size_t i) {
  for (i++; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"')
      return i + 1;
    if (c < 0x20)
      return 0;
    if (c == '\\') {
      if (++i >= n)
        return 0;
      if (s[i] == 'u') {
        for (int k = 1; k <= 4; k++)
          if (i + k >= n || !s[i + k] ||
              !strchr("0123456789abcdefABCDEF", s[i + k]))
            return 0;
        i += 4;
      } else if (!s[i] || !strchr("\"\\/bfnrt", s[i])) {
        return 0;
      }
    }
  }
  return 0;
}

static size_t json_number(const char *s, size_t n, size_t i) {
  size_t start = i;
  if (i < n && s[i] == '-')
    i++;
  size_t d = i;
  while (i < n && s[i] >= '0' && s[i] <= '9')
    i++;
  if (i == d || (s[d] == '0' && i - d > 1))
    return 0;
  if (i < n && s[i] == '.') {
    size_t f = ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
    if (i == f)
      return 0;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
      i++;
    size_t e = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
    if (i == e)
      return 0;
  }
  return i > start ? i : 0;
}

static void check_json(const char *what, const char *s, size_t n) {
  check_utf8(what, s, n, "\t\r\n");
  char stack[256]; /* '{' or '[' */
  size_t depth = 0, i = ws(s, n, 0);
  bool want_value = true;
  for (;;) {
    if (want_value) {
      if (i >= n)
        fail(what, s, n);
      if (s[i] == '{' || s[i] == '[') {
        if (depth == sizeof(stack))
          fail(what, s, n);
        stack[depth++] = s[i];
        i = ws(s, n, i + 1);
        if (i < n && s[i] == (stack[depth - 1] == '{' ? '}' : ']')) {
          depth--;
          i++;
          want_value = false;
          continue;
        }
        if (stack[depth - 1] == '{') {
          size_t e = i < n && s[i] == '"' ? json_string(s, n, i) : 0;
          i = e ? ws(s, n, e) : n;
          if (i >= n || s[i] != ':')
            fail(what, s, n);
          i = ws(s, n, i + 1);
        }
        continue;
      }
      size_t e = s[i] == '"'                   ? json_string(s, n, i)
                 : !strncmp(s + i, "true", 4)  ? i + 4
                 : !strncmp(s + i, "false", 5) ? i + 5
                 : !strncmp(s + i, "null", 4)  ? i + 4
                                               : json_number(s, n, i);
      if (!e || e > n)
        fail(what, s, n);
      i = e;
      want_value = false;
    }
    i = ws(s, n, i);
    if (depth == 0)
      break;
    char close = stack[depth - 1] == '{' ? '}' : ']';
    if (i < n && s[i] == close) {
      depth--;
      i++;
    } else if (i < n && s[i] == ',') {
      i = ws(s, n, i + 1);
      if (stack[depth - 1] == '{') {
        size_t e = i < n && s[i] == '"' ? json_string(s, n, i) : 0;
        i = e ? ws(s, n, e) : n;
        if (i >= n || s[i] != ':')
          fail(what, s, n);
        i = ws(s, n, i + 1);
      }
      want_value = true;
    } else {
      fail(what, s, n);
    }
  }
  if (ws(s, n, i) != n)
    fail(what, s, n);
}

/* ---- line formats ------------------------------------------------------ */

static void check_lines(const char *what, const char *s, size_t n, size_t want,
                        const char *prefix) {
  if (prefix)
    check_utf8(what, s, n, "\n");
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] < 0x20 && s[i] != '\n') || s[i] == 0x7f)
      fail(what, s, n);
  size_t lines = 0;
  for (size_t i = 0; i < n; lines++) {
    const char *nl = memchr(s + i, '\n', n - i);
    if (!nl)
      fail(what, s, n); /* every line ends in a newline */
    if (prefix && strncmp(s + i, prefix, strlen(prefix)) &&
        strncmp(s + i, "::warning ", 10))
      fail(what, s, n);
    i = (size_t)(nl - s) + 1;
  }
  if (lines != want)
    fail(what, s, n);
}

/* ---- the harness ------------------------------------------------------- */

static char *format(const clint_run *run, int fmt, int report, size_t *n) {
  char *text = NULL;
  FILE *m = open_memstream(&text, n);
  if (!m)
    abort();
  clint_status st = report >= 0 ? clint_run_write_report(run, report, m)
                                : clint_run_write(run, (clint_format)fmt, 0, m);
  fclose(m);
  if (st != CLINT_OK)
    abort();
  return text;
}

static void check_all(const clint_run *run) {
  size_t n, diags = clint_run_diag_count(run);
  char *s;
  s = format(run, CLINT_FORMAT_TEXT, -1, &n);
  check_lines("text", s, n, diags, NULL);
  free(s);
  s = format(run, CLINT_FORMAT_GITHUB, -1, &n);
  check_lines("github", s, n, diags, "::error ");
  free(s);
  s = format(run, CLINT_FORMAT_JSON, -1, &n);
  check_json("json", s, n);
  free(s);
  s = format(run, CLINT_FORMAT_SARIF, -1, &n);
  check_json("sarif", s, n);
  free(s);
  s = format(run, CLINT_FORMAT_JUNIT, -1, &n);
  check_utf8("junit", s, n, "\t\r\n\x7f"); /* XML 1.0 holds DEL */
  free(s);
  s = format(run, 0, CLINT_REPORT_JSON, &n);
  check_json("report json", s, n);
  free(s);
  s = format(run, 0, CLINT_REPORT_HTML, &n);
  check_utf8("report html", s, n, "\t\r\n\x7f");
  free(s);
  s = format(run, 0, CLINT_REPORT_MD, &n);
  check_utf8("report md", s, n, "\n");
  free(s);
}

/* The next NUL-separated part of the input, or NULL past the end. */
static const char *part(const uint8_t *data, size_t size, size_t *at,
                        size_t *n) {
  if (*at > size)
    return NULL;
  const uint8_t *nul = memchr(data + *at, '\0', size - *at);
  const char *p = (const char *)data + *at;
  *n = nul ? (size_t)(nul - (data + *at)) : size - *at;
  *at += *n + 1;
  return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char name[256];
  static const char readme[] = "# Course\n\n[Module](01_mod/)\n";
  fuzz_write("README.md", readme, sizeof(readme) - 1);
  /* The old page goes: a new name is a new file. */
  if (name[0])
    fuzz_write(name, NULL, 0);
  size_t at = 0, n;
  const char *p = part(data, size, &at, &n);
  size_t k = 0;
  memcpy(name, "01_mod/", 7);
  k = 7;
  for (size_t i = 0; p && i < n && k < 7 + 180; i++)
    if (p[i] != '/')
      name[k++] = p[i];
  if (k == 7 || (k == 8 && name[7] == '.') ||
      (k == 9 && !memcmp(name + 7, "..", 2)))
    name[k++] = 'x';
  memcpy(name + k, ".md", 4);
  const char *body = part(data, size, &at, &n);
  fuzz_write(name, body ? body : "", body ? n : 0);
  const char *other = part(data, size, &at, &n);
  fuzz_write("01_mod/02_explainer.md", other ? other : "", other ? n : 0);
  const char *rules = part(data, size, &at, &n);
  fuzz_write(".courselint.yml", rules ? rules : "", rules ? n : 0);

  clint_error err;
  clint_linter *l = clint_linter_new(&err);
  if (!l)
    abort();
  if (clint_linter_load_course_rules(l, fuzz_dir(), &err) == CLINT_OK) {
    clint_options o = CLINT_OPTIONS_INIT;
    o.root = fuzz_dir();
    o.jobs = 1;
    o.index_all = true;
    clint_run *run = clint_run_new(l, &o, &err);
    if (run && clint_run_lint(run, &err) == CLINT_OK)
      check_all(run);
    clint_run_free(run);
  }
  clint_linter_free(l);
  return 0;
}
