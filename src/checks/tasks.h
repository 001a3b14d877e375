/* tasks.h - pure helpers of the checkbox family, exposed for the unit
 * tests: finding a task box at the start of a source line and telling
 * what its mark is. */
#ifndef CLINT_CHECKS_TASKS_H
#define CLINT_CHECKS_TASKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where a box stands on its line. */
enum task_place {
  TASK_ITEM,  /* after a bullet and a space: "- [ ] text", "1. [ ] text" */
  TASK_TIGHT, /* right after a bullet: "-[ ] text" */
  TASK_BARE   /* first on the line, no bullet: "[ ] text" */
};

struct task_box {
  enum task_place place;
  size_t bullet;     /* offset of the bullet (ITEM, TIGHT) */
  size_t bullet_end; /* just past the bullet */
  size_t box;        /* offset of '[' */
  size_t end;        /* just past ']' */
  size_t gap;        /* TIGHT: bytes of a look-alike space (U+00A0...)
                        between the bullet and the box, or 0 */
};

/* Find a box at the start of a line's content (after block-quote markers
 * and indentation, and after a bullet if there is one). The box is '['
 * up to 8 bytes and ']'; what is inside is for tasks_classify. A bullet
 * followed by a look-alike space and a box ("-\u00A0[ ] x") is TIGHT:
 * the line is not a list item either. */
bool tasks_find_box(const char *s, size_t len, struct task_box *out);

enum task_mark {
  MARK_NONE,        /* not a checkbox at all: "[a]", "[link]" */
  MARK_OPEN,        /* "[ ]" */
  MARK_DONE,        /* "[x]" */
  MARK_DONE_UPPER,  /* "[X]" */
  MARK_EMPTY,       /* "[]" */
  MARK_SPACED_OPEN, /* "[  ]", or a look-alike space: "[\u00A0]" */
  MARK_SPACED_DONE, /* "[ x]", "[x ]", "[ X ]", "[x\u00A0]" */
  MARK_OTHER        /* one of the wrong marks: "[v]", "[✓]" */
};

/* The length of the space-like character at the start of the len bytes
 * at s that is not an ASCII space and so does not make a checkbox:
 * U+00A0 NO-BREAK SPACE, U+2000 to U+200B, U+202F, U+205F, U+3000;
 * 0 when there is none. *cp gets its code point. */
size_t tasks_lookalike_space(const char *s, size_t len, uint32_t *cp);

/* Classify the bytes between '[' and ']'. Look-alike spaces count as
 * spaces: such a box is malformed. marks lists the wrong marks
 * people use for "done" (each one character). */
enum task_mark tasks_classify(const char *inner, size_t len,
                              const char *const *marks, size_t nmarks);

#endif
