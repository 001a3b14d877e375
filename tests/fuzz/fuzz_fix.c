/* fuzz_fix.c - libFuzzer harness for --fix: the input is one page of a
 * module, next to a page with headings its links may point at. The
 * linter fixes checkboxes, stray heading characters, upper-case marks and
 * (opted in) close anchors. Checked on every input:
 *   - the dry run's diff, applied to the page by a small patcher here,
 *     gives what the real run writes;
 *   - the real run writes exactly the page with the findings' fixes
 *     applied, rebuilt here from the fixes: no other byte is lost or
 *     added;
 *   - when no fix was skipped as overlapping, a lint of the fixed page has
 *     nothing left to fix: a second run changes nothing. The exception
 *     is a page where a task/not-list-item fix made a list item: only
 *     that item's box is held to it there (see left_to_fix). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static const char target[] = "01_intro/01_explainer.md";

static char *slurp(const char *rel, size_t *len) {
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), rel);
  FILE *f = fopen(path, "rb");
  if (!f)
    abort();
  size_t cap = 4096, n = 0;
  char *s = malloc(cap);
  size_t got;
  while (s && (got = fread(s + n, 1, cap - n, f)) > 0)
    if ((n += got) == cap)
      s = realloc(s, cap *= 2);
  fclose(f);
  if (!s)
    abort();
  *len = n;
  return s;
}

static clint_run *lint(const clint_linter *l) {
  clint_error err;
  clint_options o = CLINT_OPTIONS_INIT;
  o.root = fuzz_dir();
  o.jobs = 1;
  clint_run *run = clint_run_new(l, &o, &err);
  char path[1024];
  snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), target);
  if (!run || clint_run_add_target(run, path, &err) != CLINT_OK ||
      clint_run_lint(run, &err) != CLINT_OK)
    abort();
  return run;
}

static int by_offset(const void *a, const void *b) {
  const clint_fix *x = a, *y = b;
  if (x->offset != y->offset)
    return x->offset < y->offset ? -1 : 1;
  if (x->length != y->length)
    return x->length < y->length ? -1 : 1;
  return strcmp(x->text, y->text);
}

/* The page with the run's fixes applied, rebuilt independently of
 * fix.c: sorted, equal ones once, touching ones together, one that starts
 * inside another's range skipped (counted in *skipped). */
static char *expected(const clint_run *run, const char *old, size_t len,
                      size_t *out_len, size_t *skipped) {
  size_t n = clint_run_diag_count(run), k = 0;
  clint_fix *f = calloc(n + 1, sizeof(*f));
  for (size_t i = 0; f && i < n; i++)
    if (clint_run_diag(run, i)->fix)
      f[k++] = *clint_run_diag(run, i)->fix;
  if (!f)
    abort();
  qsort(f, k, sizeof(*f), by_offset);
  size_t extra = 0;
  for (size_t i = 0; i < k; i++)
    extra += strlen(f[i].text);
  char *s = malloc(len + extra + 1);
  size_t o = 0, at = 0;
  *skipped = 0;
  for (size_t i = 0; s && i < k; i++) {
    if (i && !by_offset(&f[i], &f[i - 1]))
      continue;
    if (f[i].offset < at || f[i].offset + f[i].length > len) {
      ++*skipped;
      continue;
    }
    memcpy(s + o, old + at, f[i].offset - at);
    o += f[i].offset - at;
    memcpy(s + o, f[i].text, strlen(f[i].text));
    o += strlen(f[i].text);
    at = f[i].offset + f[i].length;
  }
  if (!s)
    abort();
  memcpy(s + o, old + at, len - at);
  *out_len = o + len - at;
  free(f);
  return s;
}

/* The next line of s[*at..len) (with its '\n'), or NULL at the end. */
static const char *next_line(const char *s, size_t len, size_t *at, size_t *n) {
  if (*at >= len)
    return NULL;
  const char *nl = memchr(s + *at, '\n', len - *at);
  size_t e = nl ? (size_t)(nl - s) + 1 : len;
  const char *line = s + *at;
  *n = e - *at;
  *at = e;
  return line;
}

/* Apply a unified diff of one file to old, as patch would: context and
 * removed lines must match old's lines byte for byte; a line followed by
 * "\ No newline at end of file" lacks its newline. Aborts on a mismatch. */
static char *patch(const char *old, size_t len, const char *diff, size_t dlen,
                   size_t *out_len) {
  char *s = malloc(len + dlen + 1);
  size_t o = 0, at = 0, ln = 1, d = 0, n;
  const char *line;
  bool in_hunk = false; /* past the first @@: "--- x" is then a line */
  if (!s)
    abort();
  while ((line = next_line(diff, dlen, &d, &n))) {
    if (!in_hunk &&
        (!strncmp(line, "--- ", 4) || !strncmp(line, "+++ ", 4)))
      continue;
    if (!strncmp(line, "@@ -", 4)) {
      in_hunk = true;
      /* Copy the old lines before the hunk. */
      size_t from = strtoul(line + 4, NULL, 10), ol;
      const char *l;
      while (ln < from && (l = next_line(old, len, &at, &ol))) {
        memcpy(s + o, l, ol);
        o += ol;
        ln++;
      }
      continue;
    }
    const char *body = line + 1;
    size_t bl = n - 1, peek = d, pn;
    const char *after = next_line(diff, dlen, &peek, &pn);
    if (after && after[0] == '\\') {
      bl--; /* the file's line has no newline */
      d = peek;
    }
    if (line[0] == ' ' || line[0] == '-') {
      size_t ol;
      const char *l = next_line(old, len, &at, &ol);
      if (!l || ol != bl || memcmp(l, body, bl))
        abort();
      ln++;
      if (line[0] == '-')
        continue;
    } else if (line[0] != '+') {
      abort();
    }
    memcpy(s + o, body, bl);
    o += bl;
  }
  memcpy(s + o, old + at, len - at);
  *out_len = o + len - at;
  return s;
}

/* The line of byte off in s[0, len), counting line breaks as CommonMark
 * does: "\n", "\r\n" and a bare "\r". */
static unsigned line_of(const char *s, size_t len, size_t off) {
  unsigned line = 1;
  for (size_t i = 0; i < off && i < len; i++)
    if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n')))
      line++;
  return line;
}

/* Whether the first run has a task/not-list-item fix, one that makes a
 * list item, on line (any line for 0). */
static bool made_item_on(const clint_run *first, unsigned line) {
  for (size_t i = 0; i < clint_run_diag_count(first); i++) {
    const clint_diag *d = clint_run_diag(first, i);
    if (d->fix && !strcmp(d->rule, "task/not-list-item") &&
        (!line || d->line == line))
      return true;
  }
  return false;
}

/* Whether a lint of the fixed page has a fix left that the first run
 * should have made; prints each. A task/not-list-item fix ("+[ ] x" ->
 * "+ [ ] x") makes a list item, and the page around it then parses
 * anew: the item takes in the indented lines under it (an indented code
 * block becomes text, a definition after it a lazy line), its paragraph
 * starts where the old one did not (so links across lines pair their
 * brackets otherwise), and a line that could not start a list inside
 * the old paragraph now can ("3) [X] x"). Findings there are new, and
 * so are links on the item's own line. What stays the first run's to
 * fix is the made item's box: it gets the fixes an item's box gets, in
 * the same run. */
static bool left_to_fix(const clint_run *first, const clint_run *run,
                        const char *text, size_t len) {
  bool made_item = made_item_on(first, 0);
  bool left = false;
  for (size_t i = 0; i < clint_run_diag_count(run); i++) {
    const clint_diag *d = clint_run_diag(run, i);
    if (!d->fix)
      continue;
    unsigned at = line_of(text, len, d->fix->offset);
    bool held = !made_item || (!strncmp(d->rule, "task/", 5) &&
                               (made_item_on(first, d->line) ||
                                made_item_on(first, at)));
    if (held) {
      fprintf(stderr, "left to fix: %u:%u %s (fix on line %u)\n", d->line,
              d->column, d->rule, at);
      left = true;
    }
  }
  return left;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static clint_linter *linter;
  if (!linter) {
    clint_error err;
    static const char rules[] = "links:\n  fix_anchors: true\n"
                                "rules:\n  task/uppercase-mark: error\n";
    linter = clint_linter_new(&err);
    if (!linter ||
        clint_linter_load_rules_mem(linter, "fix.yml", rules, sizeof(rules) - 1,
                                    &err) != CLINT_OK)
      abort();
    static const char plan[] =
        "# Plan\n\n## Introduction\n\n## Latent space\n\n"
        "<a id=\"leg acy\"></a> <span id=\"x(1)\"></span>\n";
    fuzz_write("01_intro/01_weekly_plan.md", plan, sizeof(plan) - 1);
  }
  fuzz_write(target, data, size);
  clint_run *run = lint(linter);
  size_t want_len, skipped;
  char *want = expected(run, (const char *)data, size, &want_len, &skipped);

  /* The dry run: a diff that patches the page into what --fix writes. */
  char *diff = NULL;
  size_t dlen = 0;
  FILE *m = open_memstream(&diff, &dlen);
  clint_fix_options dry = {.flags = CLINT_FIX_DRY_RUN, .diff = m};
  clint_error err;
  clint_fix_summary sum;
  if (!m || clint_run_fix(run, &dry, &sum, &err) != CLINT_OK)
    abort();
  fclose(m);
  size_t plen;
  char *patched = patch((const char *)data, size, diff, dlen, &plen);
  if (plen != want_len || memcmp(patched, want, plen))
    abort();

  /* The real run writes exactly that. */
  if (clint_run_fix(run, NULL, &sum, &err) != CLINT_OK ||
      sum.fixes_skipped != skipped)
    abort();
  size_t glen;
  char *got = slurp(target, &glen);
  if (glen != want_len || memcmp(got, want, glen))
    abort();

  /* A second run finds nothing left to fix. */
  if (skipped == 0) {
    clint_run *again = lint(linter);
    if (left_to_fix(run, again, got, glen))
      abort();
    clint_run_free(again);
  }
  clint_run_free(run);
  free(got);
  free(patched);
  free(diff);
  free(want);
  return 0;
}
