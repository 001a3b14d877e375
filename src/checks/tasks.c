/* tasks.c - the checkbox family. libcmark knows no task lists, so this
 * reads the source lines of list items and paragraphs (lazy continuation
 * lines included) outside code, HTML and front matter, and the text of
 * headings, looking for boxes that will not render as checkboxes:
 * "- [] x", "- [ x] x", "-[ ] x", "- [ ]x", "[ ] x". Runs in collect
 * (phase 1); fixes are attached where there is one right answer. */
#include "tasks.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../lint.h"
#include "../util/status.h"
#include "../util/utf8.h"

static const struct rule_def task_rules[] = {
    {"task/malformed-box", CLINT_SEV_ERROR,
     "a checkbox with a missing or extra space renders as text",
     "A task-list box is exactly `[ ]` or `[x]`; anything else between the "
     "brackets renders as literal text.\n\nExample: `- [] Read chapter 6` "
     "or `- [ x] Read chapter 6`. Fix: `- [ ] Read chapter 6` and `- [x] "
     "Read chapter 6` (--fix rewrites the box).\n\nA space that only "
     "looks like one (U+00A0 NO-BREAK SPACE, often pasted from a word "
     "processor, or another Unicode space) does not make a box either; "
     "after the bullet or after the box it breaks the item the same way "
     "(task/not-list-item, task/no-space-after). --fix writes an ASCII "
     "space."},
    {"task/unknown-mark", CLINT_SEV_ERROR,
     "a checkbox is ticked with another mark than x",
     "Only `x` (or `X`) ticks a box; `[v]`, `[✓]`, `[*]` and the like "
     "render as text. The marks are listed in `tasks.wrong_marks`.\n\n"
     "Example: `- [v] Lab submitted`. Fix: `- [x] Lab submitted`, or `- [ "
     "]` when it was meant open."},
    {"task/not-list-item", CLINT_SEV_ERROR,
     "a checkbox line is not a list item, so the box renders as text",
     "A box renders only in a list item: the bullet needs a space after "
     "it, and an ordered item other than 1. cannot interrupt a paragraph "
     "(the line continues the paragraph instead).\n\nExample: `-[ ] Read` "
     "(fix: `- [ ] Read`, which --fix inserts), or `2. [ ] Read` right "
     "under a line of text (fix: leave a blank line above it). Once the "
     "line is an item, the indented lines under it belong to the item, "
     "as they would had it been written so: read them after --fix."},
    {"task/no-space-after", CLINT_SEV_ERROR,
     "a checkbox is not followed by a space, so it renders as text",
     "The box must be followed by a space or tab before the item's "
     "text.\n\nExample: `- [ ]Read chapter 6`. Fix: `- [ ] Read chapter 6` "
     "(--fix inserts the space)."},
    {"task/no-bullet", CLINT_SEV_WARNING,
     "a checkbox starts a line without a list bullet",
     "Without `- ` in front, `[ ] text` is plain text (inside a list, a "
     "lazy continuation of the item above).\n\nExample: a line `[ ] Submit "
     "the lab`. Fix: `- [ ] Submit the lab`."},
    {"task/in-heading", CLINT_SEV_WARNING, "a heading starts with a checkbox",
     "Headings cannot hold checkboxes: `## [ ] Step 1` renders the "
     "brackets as text and puts them in the anchor.\n\nFix: make the step "
     "a list item (`- [ ] Step 1`) under a plain heading."},
    {"task/uppercase-mark", CLINT_SEV_OFF,
     "a checkbox is ticked with X instead of x (off by default)",
     "GitHub and MkDocs accept both, but some courses write every ticked "
     "box the same way. Turn this rule on in `rules:` to require `[x]`."
     "\n\nExample: `- [X] Read`. Fix: `- [x] Read` (--fix lowers it)."},
    {"task/checked", CLINT_SEV_OFF,
     "a checkbox is ticked in course material (off by default)",
     "For courses that publish their gates and checklists unchecked, so "
     "each learner ticks them.\n\nExample: `- [x] I can explain the "
     "forward process`. Fix: `- [ ] I can explain the forward process` "
     "(--fix clears it)."},
    {NULL, 0, NULL, NULL}};

/* ---- settings ---------------------------------------------------------- */

struct task_settings {
  const char **marks; /* wrong marks for "done" */
  size_t nmarks;
};

static const char *const default_marks[] = {"v",
                                            "V",
                                            "*",
                                            "+",
                                            "-",
                                            "/",
                                            "\xE2\x9C\x93" /* ✓ */,
                                            "\xE2\x9C\x94" /* ✔ */,
                                            "\xE2\x9C\x97" /* ✗ */,
                                            "\xE2\x9C\x98" /* ✘ */,
                                            "\xE2\x98\x91" /* ☑ */,
                                            "\xE2\x98\x92" /* ☒ */};

static struct task_settings *get_settings(struct rules *r) {
  struct task_settings *s = r->family[FAM_TASKS];
  if (s)
    return s;
  s = arena_alloc(&r->arena, sizeof(*s));
  if (!s)
    return NULL;
  s->marks = (const char **)default_marks;
  s->nmarks = sizeof(default_marks) / sizeof(default_marks[0]);
  r->family[FAM_TASKS] = s;
  return s;
}

static clint_status configure(struct rules *r, const char *file,
                              const char *key, const struct ynode *v,
                              clint_error *err) {
  static const char *const keys[] = {"wrong_marks", NULL};
  (void)key;
  struct task_settings *s = get_settings(r);
  if (!s)
    return status_set(err, CLINT_E_NOMEM, file, 0, 0, "out of memory");
  clint_status st;
  if ((st = yaml_expect_map(file, v, keys, err)))
    return st;
  const struct ynode *n = yaml_get(v, "wrong_marks");
  if (!n)
    return CLINT_OK;
  if ((st = rules_strings(r, file, n, &s->marks, &s->nmarks, err)))
    return st;
  for (size_t i = 0; i < s->nmarks; i++) {
    size_t l = strlen(s->marks[i]);
    const struct ynode *at = n->kind == YNODE_SEQ ? n->items[i] : n;
    uint32_t cp;
    if (l == 0 || utf8_decode(s->marks[i], l, &cp) != l ||
        !strcmp(s->marks[i], " ") || !strcmp(s->marks[i], "x") ||
        !strcmp(s->marks[i], "X"))
      return yaml_error(err, file, at,
                        "a wrong mark is one character other than a "
                        "space, x or X");
  }
  return CLINT_OK;
}

/* Rule sets without a tasks section get the built-in marks. */
static clint_status finish(struct rules *r, clint_error *err) {
  if (!get_settings(r))
    return status_set(err, CLINT_E_NOMEM, NULL, 0, 0, "out of memory");
  return CLINT_OK;
}

static void print_config(const struct rules *r, FILE *out) {
  const struct task_settings *s = r->family[FAM_TASKS];
  if (!s)
    return;
  fputs("tasks:\n", out);
  yaml_print_list(out, "  ", "wrong_marks", s->marks, s->nmarks);
}

/* ---- pure helpers ------------------------------------------------------ */

static bool blank(char c) { return c == ' ' || c == '\t'; }

/* Length of a list bullet at s: "-", "*", "+", or 1-9 digits and '.' or
 * ')' (CommonMark); 0 when there is none. */
static size_t bullet_len(const char *s, size_t len) {
  if (len && (s[0] == '-' || s[0] == '*' || s[0] == '+'))
    return 1;
  size_t i = 0;
  while (i < len && i < 10 && s[i] >= '0' && s[i] <= '9')
    i++;
  if (i == 0 || i > 9 || i >= len || (s[i] != '.' && s[i] != ')'))
    return 0;
  return i + 1;
}

static bool find_close(const char *s, size_t len, size_t box,
                       struct task_box *out) {
  for (size_t i = box + 1; i < len && i <= box + 9; i++) {
    if (s[i] == '[')
      return false;
    if (s[i] == ']') {
      out->box = box;
      out->end = i + 1;
      return true;
    }
  }
  return false;
}

bool tasks_find_box(const char *s, size_t len, struct task_box *out) {
  size_t i = 0;
  for (;;) {
    while (i < len && blank(s[i]))
      i++;
    if (i < len && s[i] == '>')
      i++;
    else
      break;
  }
  if (i >= len)
    return false;
  size_t bl = bullet_len(s + i, len - i);
  memset(out, 0, sizeof(*out));
  if (bl == 0) {
    out->place = TASK_BARE;
    return s[i] == '[' && find_close(s, len, i, out);
  }
  out->bullet = i;
  out->bullet_end = i + bl;
  size_t j = i + bl;
  uint32_t cp;
  size_t gap = j < len ? tasks_lookalike_space(s + j, len - j, &cp) : 0;
  if (j + gap < len && s[j + gap] == '[') {
    out->place = TASK_TIGHT;
    out->gap = gap;
    return find_close(s, len, j + gap, out);
  }
  if (j >= len || !blank(s[j]))
    return false;
  while (j < len && blank(s[j]))
    j++;
  out->place = TASK_ITEM;
  return j < len && s[j] == '[' && find_close(s, len, j, out);
}

size_t tasks_lookalike_space(const char *s, size_t len, uint32_t *cp) {
  if (!len || (unsigned char)s[0] < 0x80)
    return 0;
  size_t k = utf8_decode(s, len, cp);
  if (!k)
    return 0;
  uint32_t c = *cp;
  bool like = c == 0xA0 || (c >= 0x2000 && c <= 0x200B) || c == 0x202F ||
              c == 0x205F || c == 0x3000;
  return like ? k : 0;
}

enum task_mark tasks_classify(const char *inner, size_t len,
                              const char *const *marks, size_t nmarks) {
  if (len == 0)
    return MARK_EMPTY;
  if (len == 1 && inner[0] == ' ')
    return MARK_OPEN;
  if (len == 1 && inner[0] == 'x')
    return MARK_DONE;
  if (len == 1 && inner[0] == 'X')
    return MARK_DONE_UPPER;
  size_t chars = 0, spaces = 0, xs = 0;
  for (size_t i = 0; i < len; chars++) {
    uint32_t cp;
    size_t k = tasks_lookalike_space(inner + i, len - i, &cp);
    if (k || inner[i] == ' ')
      spaces++;
    else if (inner[i] == 'x' || inner[i] == 'X')
      xs++;
    i += k ? k : 1;
  }
  if (spaces == chars)
    return MARK_SPACED_OPEN;
  if (xs == 1 && spaces + xs == chars)
    return MARK_SPACED_DONE;
  for (size_t i = 0; i < nmarks; i++)
    if (strlen(marks[i]) == len && !memcmp(marks[i], inner, len))
      return MARK_OTHER;
  return MARK_NONE;
}

/* ---- helpers over the document ----------------------------------------- */

/* Source ranges of inline code, sorted, built on first need. */
struct code_ranges {
  bool built;
  size_t n;
  size_t (*r)[2];
};

static int range_cmp(const void *a, const void *b) {
  const size_t *x = a, *y = b;
  return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void build_ranges(struct code_ranges *c, const struct doc *doc) {
  c->built = true;
  size_t n = 0;
  for (size_t i = 0; i < doc->nblocks; i++)
    for (size_t k = 0; k < doc->blocks[i].nsegs; k++)
      n += (doc->blocks[i].segs[k].flags & SEG_CODE) != 0;
  if (!n || !(c->r = malloc(n * sizeof(*c->r))))
    return;
  for (size_t i = 0; i < doc->nblocks; i++)
    for (size_t k = 0; k < doc->blocks[i].nsegs; k++) {
      const struct seg *sg = &doc->blocks[i].segs[k];
      if (sg->flags & SEG_CODE) {
        c->r[c->n][0] = sg->src_off;
        c->r[c->n][1] = sg->src_off + sg->len;
        c->n++;
      }
    }
  qsort(c->r, c->n, sizeof(*c->r), range_cmp);
}

/* Whether source offset off lies in inline code. A code span's opening
 * backticks come just before its content, so "`[ ]`" is caught too. */
static bool in_code(struct code_ranges *c, const struct doc *doc, size_t off) {
  if (!c->built)
    build_ranges(c, doc);
  size_t lo = 0, hi = c->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->r[mid][0] <= off)
      lo = mid + 1;
    else
      hi = mid;
  }
  /* Ranges may nest or overlap; look back over a few. */
  for (size_t k = lo; k-- > 0 && lo - k <= 8;)
    if (off >= c->r[k][0] && off < c->r[k][1])
      return true;
  return false;
}

/* Whether "[x]" is a reference link on this page: a definition of label
 * x turns every bare "[x]" into a link. (cmark's positions of links in a
 * paragraph that starts with a definition are unreliable, so compare the
 * label, not the place.) */
static bool defined_label(const struct doc *doc, const char *label,
                          size_t len) {
  for (size_t i = 0; i < doc->nlinks; i++) {
    const struct link *l = &doc->links[i];
    if (l->reference && strlen(l->text) == len &&
        !strncasecmp(l->text, label, len))
      return true;
  }
  return false;
}

static const struct task_settings *settings_of(const struct lint *lt) {
  return lt->rules->family[FAM_TASKS];
}

/* Attach a fix replacing [off, off + len) of the page text. */
static void set_fix(struct diag *d, const struct page *p, size_t off,
                    size_t len, const char *text) {
  if (!d)
    return;
  d->has_fix = true;
  d->fix.offset = p->bom + off;
  d->fix.length = len;
  d->fix.text = text;
}

/* ---- checks ------------------------------------------------------------ */

/* One line being checked. */
struct line {
  struct lint *lt;
  struct page *p;
  const struct doc *doc;
  const char *s;
  size_t len;
  size_t start; /* offset of the line in the page text */
  struct task_box box;
  enum task_mark mark;
};

static struct pos at(const struct line *l, size_t col) {
  return parse_pos(l->doc, l->start + col);
}

static bool valid_mark(enum task_mark m) {
  return m == MARK_OPEN || m == MARK_DONE || m == MARK_DONE_UPPER;
}

static char after(const struct line *l) {
  return l->box.end < l->len ? l->s[l->box.end] : '\0';
}

/* The first look-alike space in the len bytes at s, or 0. */
static uint32_t first_lookalike(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++) {
    uint32_t cp;
    if (tasks_lookalike_space(s + i, len - i, &cp))
      return cp;
  }
  return 0;
}

/* "- [] x", "- [ x] x", "- [v] x" in a list item. */
static void check_mark(struct line *l) {
  const struct task_box *b = &l->box;
  char next = after(l);
  /* "[](url)", "[ x][ref]", "[v]: url" are links, not boxes. */
  if (next == '(' || next == '[' || next == ':')
    return;
  size_t inner = b->end - b->box - 2;
  struct diag *d;
  switch (l->mark) {
  case MARK_EMPTY:
  case MARK_SPACED_OPEN:
  case MARK_SPACED_DONE: {
    uint32_t cp = first_lookalike(l->s + b->box + 1, inner);
    if (cp)
      d = lint_diag(l->lt, l->p, "task/malformed-box", at(l, b->box),
                    "checkbox '%.*s' holds U+%04X, not an ASCII space, so "
                    "it renders as text: write '%s'",
                    (int)(inner + 2), l->s + b->box, (unsigned)cp,
                    l->mark == MARK_SPACED_DONE ? "[x]" : "[ ]");
    else
      d = lint_diag(l->lt, l->p, "task/malformed-box", at(l, b->box),
                    "checkbox '%.*s' renders as text: write '%s'",
                    (int)(inner + 2), l->s + b->box,
                    l->mark == MARK_SPACED_DONE ? "[x]" : "[ ]");
    set_fix(d, l->p, l->start + b->box, inner + 2,
            l->mark == MARK_SPACED_DONE ? "[x]" : "[ ]");
    break;
  }
  case MARK_OTHER:
    lint_diag(l->lt, l->p, "task/unknown-mark", at(l, b->box),
              "checkbox '%.*s' renders as text: only 'x' ticks a box",
              (int)(inner + 2), l->s + b->box);
    break;
  default:
    break;
  }
}

static void check_space_after(struct line *l) {
  char next = after(l);
  uint32_t cp;
  size_t like =
      tasks_lookalike_space(l->s + l->box.end, l->len - l->box.end, &cp);
  if (like) { /* "- [ ]\u00A0x": replace it, do not add a space */
    struct diag *d = lint_diag(
        l->lt, l->p, "task/no-space-after", at(l, l->box.end),
        "checkbox '%.*s' is followed by U+%04X, not an ASCII space, so it "
        "renders as text",
        (int)(l->box.end - l->box.box), l->s + l->box.box, (unsigned)cp);
    set_fix(d, l->p, l->start + l->box.end, like, " ");
    return;
  }
  if (!next || next == ' ' || next == '\t' || next == '(' || next == '[' ||
      next == ':')
    return;
  /* "[x]" followed by punctuation is as likely notation ("[x]_i", "[x],")
   * as a box; followed by a word it is a box that lost its space. A
   * malformed box counts as the box its fix writes, so that the fixed line
   * gets no new finding. */
  bool open = l->mark == MARK_OPEN || l->mark == MARK_EMPTY ||
              l->mark == MARK_SPACED_OPEN;
  if (!open && !isalnum((unsigned char)next) && next != '*' && next != '`' &&
      (unsigned char)next < 0x80)
    return;
  struct diag *d =
      lint_diag(l->lt, l->p, "task/no-space-after", at(l, l->box.end),
                "no space after checkbox '%.*s', so it renders "
                "as text",
                (int)(l->box.end - l->box.box), l->s + l->box.box);
  set_fix(d, l->p, l->start + l->box.end, 0, " ");
}

static void check_uppercase(struct line *l) {
  if (l->mark != MARK_DONE_UPPER)
    return;
  struct diag *d =
      lint_diag(l->lt, l->p, "task/uppercase-mark", at(l, l->box.box + 1),
                "checkbox ticked with 'X': this course writes "
                "'[x]'");
  set_fix(d, l->p, l->start + l->box.box + 1, 1, "x");
}

static void check_checked(struct line *l) {
  if (l->mark != MARK_DONE && l->mark != MARK_DONE_UPPER)
    return;
  struct diag *d = lint_diag(l->lt, l->p, "task/checked", at(l, l->box.box),
                             "checkbox is ticked: course material is "
                             "published with its boxes open");
  set_fix(d, l->p, l->start + l->box.box + 1, 1, " ");
}

/* The checks of the box of a list item. */
static void check_item_box(struct line *l) {
  check_mark(l);
  /* "- []x": the box and the missing space are two fixes that touch,
   * so one --fix run makes "- [ ] x". */
  if (valid_mark(l->mark) || l->mark == MARK_EMPTY ||
      l->mark == MARK_SPACED_OPEN || l->mark == MARK_SPACED_DONE)
    check_space_after(l);
  if (valid_mark(l->mark)) {
    check_uppercase(l);
    check_checked(l);
  }
}

/* "-[ ] x" (no space after the bullet), or "2. [ ] x" continuing a
 * paragraph: either way the line is not a list item. */
static void check_not_item(struct line *l) {
  const struct task_box *b = &l->box;
  char next = after(l);
  if (next != ' ' && next != '\t')
    return;
  /* "+[  ] x", "-[X] x": the bullet's fix makes an item, whose box gets
   * an item's box's checks, and their fixes, in the same run. */
  if (b->place == TASK_TIGHT)
    check_item_box(l);
  if (b->place == TASK_TIGHT && b->gap) {
    uint32_t cp;
    tasks_lookalike_space(l->s + b->bullet_end, b->gap, &cp);
    struct diag *d = lint_diag(
        l->lt, l->p, "task/not-list-item", at(l, b->bullet),
        "'%.*s' is not a list item: the bullet '%.*s' is followed by "
        "U+%04X, not an ASCII space",
        (int)(b->end - b->bullet), l->s + b->bullet,
        (int)(b->bullet_end - b->bullet), l->s + b->bullet, (unsigned)cp);
    set_fix(d, l->p, l->start + b->bullet_end, b->gap, " ");
  } else if (b->place == TASK_TIGHT) {
    struct diag *d = lint_diag(
        l->lt, l->p, "task/not-list-item", at(l, b->bullet),
        "'%.*s' is not a list item: a space must follow the bullet '%.*s'",
        (int)(b->end - b->bullet), l->s + b->bullet,
        (int)(b->bullet_end - b->bullet), l->s + b->bullet);
    set_fix(d, l->p, l->start + b->bullet_end, 0, " ");
  } else if (b->place == TASK_ITEM) {
    lint_diag(l->lt, l->p, "task/not-list-item", at(l, b->bullet),
              "'%.*s' continues the paragraph above, so it is not a list "
              "item; leave a blank line before it",
              (int)(b->end - b->bullet), l->s + b->bullet);
  }
}

static void check_no_bullet(struct line *l) {
  char next = after(l);
  if ((next != ' ' && next != '\t') ||
      defined_label(l->doc, l->s + l->box.box + 1, l->box.end - l->box.box - 2))
    return;
  lint_diag(l->lt, l->p, "task/no-bullet", at(l, l->box.box),
            "checkbox '%.*s' without a list bullet renders as text; write "
            "'- %.*s'",
            (int)(l->box.end - l->box.box), l->s + l->box.box,
            (int)(l->box.end - l->box.box), l->s + l->box.box);
}

static void check_line(struct line *l, unsigned char flags,
                       struct code_ranges *code) {
  const struct task_settings *s = settings_of(l->lt);
  if (!tasks_find_box(l->s, l->len, &l->box))
    return;
  l->mark = tasks_classify(l->s + l->box.box + 1, l->box.end - l->box.box - 2,
                           s ? (const char *const *)s->marks : NULL,
                           s ? s->nmarks : 0);
  if (l->mark == MARK_NONE || in_code(code, l->doc, l->start + l->box.box))
    return;
  if (flags & LINE_ITEM) {
    if (l->box.place == TASK_ITEM)
      check_item_box(l);
  } else if (valid_mark(l->mark) || l->mark == MARK_SPACED_OPEN ||
             l->mark == MARK_SPACED_DONE) {
    if (l->box.place == TASK_BARE) {
      check_no_bullet(l);
    } else {
      check_not_item(l);
    }
  }
}

static void check_lines(struct lint *lt, struct page *p,
                        const struct doc *doc) {
  struct code_ranges code = {0};
  for (unsigned ln = 1; ln <= doc->src->nlines; ln++) {
    unsigned char f = doc->line_flags[ln];
    if ((f & (LINE_CODE | LINE_HTML | LINE_FRONT | LINE_HEADING)) ||
        !(f & (LINE_ITEM | LINE_PARA)))
      continue;
    struct line l = {.lt = lt, .p = p, .doc = doc};
    l.s = scan_line(doc->src, ln, &l.len);
    l.start = (size_t)(l.s - doc->src->text);
    check_line(&l, f, &code);
  }
  free(code.r);
}

static void check_headings(struct lint *lt, struct page *p,
                           const struct doc *doc) {
  const struct task_settings *s = settings_of(lt);
  for (size_t i = 0; i < doc->nblocks; i++) {
    const struct textblock *b = &doc->blocks[i];
    struct task_box box;
    if (b->kind != BLOCK_HEADING || !b->nsegs ||
        (b->segs[0].flags & SEG_CODE) || !tasks_find_box(b->text, b->len, &box))
      continue;
    enum task_mark m = tasks_classify(
        b->text + box.box + 1, box.end - box.box - 2,
        s ? (const char *const *)s->marks : NULL, s ? s->nmarks : 0);
    if (m == MARK_NONE || (box.end < b->len && b->text[box.end] == '('))
      continue;
    lint_diag(lt, p, "task/in-heading", parse_block_pos(doc, b, box.box),
              "heading starts with checkbox '%.*s', which renders as text",
              (int)(box.end - box.box), b->text + box.box);
  }
}

static void collect(struct lint *lt, struct page *p, const struct doc *doc) {
  check_lines(lt, p, doc);
  check_headings(lt, p, doc);
}

static const char *const task_sections[] = {"tasks", NULL};

const struct family tasks_family = {
    .name = "task",
    .rules = task_rules,
    .sections = task_sections,
    .configure = configure,
    .finish = finish,
    .print_config = print_config,
    .collect = collect,
};
