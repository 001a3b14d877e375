/* tasks.h - pure helpers of the checkbox family, exposed for the unit
 * tests: finding a task box at the start of a source line and telling
 * what its mark is. */
#ifndef CLINT_CHECKS_TASKS_H
#define CLINT_CHECKS_TASKS_H

#include <stdbool.h>
#include <stddef.h>

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
};

/* Find a box at the start of a line's content (after block-quote markers
 * and indentation, and after a bullet if there is one). The box is '['
 * up to 8 bytes and ']'; what is inside is for tasks_classify. */
bool tasks_find_box(const char *s, size_t len, struct task_box *out);

enum task_mark {
  MARK_NONE,        /* not a checkbox at all: "[a]", "[link]" */
  MARK_OPEN,        /* "[ ]" */
  MARK_DONE,        /* "[x]" */
  MARK_DONE_UPPER,  /* "[X]" */
  MARK_EMPTY,       /* "[]" */
  MARK_SPACED_OPEN, /* "[  ]" */
  MARK_SPACED_DONE, /* "[ x]", "[x ]", "[ X ]" */
  MARK_OTHER        /* one of the wrong marks: "[v]", "[✓]" */
};

/* Classify the bytes between '[' and ']'. marks lists the wrong marks
 * people use for "done" (each one character). */
enum task_mark tasks_classify(const char *inner, size_t len,
                              const char *const *marks, size_t nmarks);

#endif
