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
 *     nothing left to fix: a second run changes nothing. The one
 *     exception is a list item that a task/not-list-item fix made when
 *     lines beyond its paragraph then parse anew (see structure_moved). */
#include <cmark.h>
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

/* The last line of node n, as libcmark places it: a block that ends at
 * column 0 of a line ends on the line before. */
static int last_line(cmark_node *n) {
  int line = cmark_node_get_end_line(n);
  return cmark_node_get_end_column(n) == 0 ? line - 1 : line;
}

/* The innermost block of doc that holds line. */
static cmark_node *block_at(cmark_node *doc, int line) {
  cmark_node *found = NULL;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *n = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(n);
    if (ev == CMARK_EVENT_ENTER && n != doc && t >= CMARK_NODE_FIRST_BLOCK &&
        t <= CMARK_NODE_LAST_BLOCK && cmark_node_get_start_line(n) <= line &&
        last_line(n) >= line)
      found = n;
  }
  cmark_iter_free(it);
  return found;
}

/* For each line 1..n of doc, a hash of the blocks that hold it, outer
 * to inner (0 for a line no block holds): a line whose hash changes
 * parses differently. Lines past n are ignored. */
static void line_shapes(cmark_node *doc, unsigned long *shape, int n) {
  for (int l = 0; l <= n; l++)
    shape[l] = 0;
  cmark_iter *it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node *b = cmark_iter_get_node(it);
    cmark_node_type t = cmark_node_get_type(b);
    if (ev != CMARK_EVENT_ENTER || b == doc || t < CMARK_NODE_FIRST_BLOCK ||
        t > CMARK_NODE_LAST_BLOCK)
      continue;
    for (int l = cmark_node_get_start_line(b); l <= last_line(b) && l <= n; l++)
      if (l >= 1)
        shape[l] = shape[l] * 31 + (unsigned long)t;
  }
  cmark_iter_free(it);
}

/* Whether a task/not-list-item fix of the first run ("+[ ] x" ->
 * "+ [ ] x") changed how lines other than the fixed one and its lazy
 * lines parse. The new item takes in the indented lines under it (an
 * indented code block becomes text, a definition after it a lazy line),
 * and lines that could not start a list inside a paragraph now can
 * ("3) [X] x"). What a second run finds is then a new page's findings,
 * not fixes left undone. */
static bool structure_moved(const clint_run *run, const char *old,
                            size_t old_len, const char *text, size_t len) {
  bool any = false;
  for (size_t i = 0; i < clint_run_diag_count(run) && !any; i++) {
    const clint_diag *d = clint_run_diag(run, i);
    any = d->fix && !strcmp(d->rule, "task/not-list-item");
  }
  if (!any)
    return false;
  cmark_node *before = cmark_parse_document(old, old_len, CMARK_OPT_SOURCEPOS);
  cmark_node *after = cmark_parse_document(text, len, CMARK_OPT_SOURCEPOS);
  unsigned nb = line_of(old, old_len, old_len), na = line_of(text, len, len);
  int n = (int)(nb > na ? nb : na) + 1;
  unsigned long *a = calloc((size_t)n + 1, sizeof(*a));
  unsigned long *b = calloc((size_t)n + 1, sizeof(*b));
  bool *own = calloc((size_t)n + 1, sizeof(*own)); /* may change */
  if (!before || !after || !a || !b || !own)
    abort();
  line_shapes(before, a, n);
  line_shapes(after, b, n);
  /* A fixed line may change, and so may the lines of the paragraph that
   * held it which now go on the item's own text (lazy lines). A line of
   * that paragraph that becomes a block of its own ("3) [X] x", a list
   * the item lets start) parses anew. */
  for (size_t i = 0; i < clint_run_diag_count(run); i++) {
    const clint_diag *d = clint_run_diag(run, i);
    if (!d->fix || strcmp(d->rule, "task/not-list-item") || (int)d->line > n)
      continue;
    own[d->line] = true;
    cmark_node *para = block_at(before, (int)d->line);
    cmark_node *text_of_item = block_at(after, (int)d->line);
    int from = para ? cmark_node_get_start_line(para) : (int)d->line;
    int to = para ? last_line(para) : (int)d->line;
    for (int l = from > 1 ? from : 1; l <= to && l <= n; l++)
      if (text_of_item && block_at(after, l) == text_of_item)
        own[l] = true;
  }
  /* Blank lines are passed over: which block ends before one and which
   * after is libcmark's choice, not a change of the page. */
  for (size_t at = 0, l = 1; at <= len && (int)l <= n; l++) {
    size_t e = at;
    while (e < len && text[e] != '\n' && text[e] != '\r')
      e++;
    bool blank = true;
    for (size_t k = at; k < e && blank; k++)
      blank = text[k] == ' ' || text[k] == '\t';
    if (blank)
      own[l] = true;
    at = e + (e + 1 < len && text[e] == '\r' && text[e + 1] == '\n' ? 2 : 1);
  }
  bool moved = false;
  for (int l = 1; l <= n && !moved; l++)
    moved = !own[l] && a[l] != b[l];
  free(a);
  free(b);
  free(own);
  cmark_node_free(before);
  cmark_node_free(after);
  return moved;
}

/* Whether a lint of the fixed page has a fix left; prints each. */
static bool left_to_fix(const clint_run *run) {
  bool left = false;
  for (size_t i = 0; i < clint_run_diag_count(run); i++) {
    const clint_diag *d = clint_run_diag(run, i);
    if (d->fix) {
      fprintf(stderr, "left to fix: %u:%u %s\n", d->line, d->column, d->rule);
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
  if (skipped == 0 &&
      !structure_moved(run, (const char *)data, size, got, glen)) {
    clint_run *again = lint(linter);
    if (left_to_fix(again))
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
