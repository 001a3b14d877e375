/* text.c - the compiler-style format that editors and CI logs parse:
 * path:line:col: severity: message [rule-id], with the suggestion as a
 * "did you mean" tail unless the message places it. One finding is one
 * line, whatever the input. */
#include "report.h"

/* n in decimal: the two numbers of every finding, without printf. */
static void put_unsigned(FILE *out, unsigned n) {
  char digits[12];
  size_t i = sizeof(digits);
  do
    digits[--i] = (char)('0' + n % 10);
  while (n /= 10);
  fwrite(digits + i, 1, sizeof(digits) - i, out);
}

void report_text(const clint_run *run, unsigned flags, FILE *out) {
  bool color = flags & CLINT_WRITE_COLOR;
  flockfile(out); /* one lock for the lot, not one per call */
  for (size_t i = 0; i < clint_run_diag_count(run); i++) {
    const clint_diag *d = clint_run_diag(run, i);
    const char *sev = clint_severity_str(d->severity);
    const char *on = "", *off = "", *bold = "", *dim = "";
    if (color) {
      on = d->severity == CLINT_SEV_ERROR ? "\033[1;31m" : "\033[1;35m";
      off = "\033[0m";
      bold = "\033[1m";
      dim = "\033[2m";
    }
    fputs(bold, out);
    report_text_str(out, d->path);
    putc(':', out);
    put_unsigned(out, d->line);
    putc(':', out);
    put_unsigned(out, d->column);
    putc(':', out);
    fputs(off, out);
    putc(' ', out);
    fputs(on, out);
    fputs(sev, out);
    putc(':', out);
    fputs(off, out);
    putc(' ', out);
    report_message(out, d);
    putc(' ', out);
    fputs(dim, out);
    putc('[', out);
    fputs(d->rule, out);
    putc(']', out);
    fputs(off, out);
    putc('\n', out);
  }
  funlockfile(out);
}
