/* text.c - the compiler-style format that editors and CI logs parse:
 * path:line:col: severity: message [rule-id], with the suggestion as a
 * "did you mean" tail. One finding is one line, whatever the input. */
#include "report.h"

void report_text(const clint_run *run, unsigned flags, FILE *out) {
  bool color = flags & CLINT_WRITE_COLOR;
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
    fprintf(out, ":%u:%u:%s %s%s:%s ", d->line, d->column, off, on, sev, off);
    report_message(out, d);
    fprintf(out, " %s[%s]%s\n", dim, d->rule, off);
  }
}
