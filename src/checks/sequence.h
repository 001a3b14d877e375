/* sequence.h - pure helpers of the sequence family, exposed for the unit
 * tests. */
#ifndef CLINT_CHECKS_SEQUENCE_H
#define CLINT_CHECKS_SEQUENCE_H

#include <stdbool.h>

/* Whether link text marks a step forward (1: "Next", "Next: Flask",
 * "Deployment →", "⏭ Deployment"), back (-1: "Previous", "Prev", "← Back",
 * "⏮") or neither (0, also when it marks both). */
int sequence_mark(const char *text);

/* Whether link text names the next module (1: "the next module", "Next
 * module"), the previous one (-1) or neither (0): such a link must lead
 * to the neighbouring module folder whichever page it is on. */
int sequence_mark_module(const char *text);

/* The number a file or folder name starts with ("05-deployment" is 5),
 * or -1 when it starts with no digit or with more than 9. */
long sequence_number(const char *name);

/* Whether name is a folder's home page: README.md, index.md, _index.md
 * (any letter case). */
bool sequence_is_home(const char *name);

#endif
