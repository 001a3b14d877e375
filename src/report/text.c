/* text.c - the compiler-style format that editors and CI logs parse:
 * path:line:col: severity: message [rule-id], with the suggestion as a
 * "did you mean" tail. */
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
    fprintf(out, "%s%s:%u:%u:%s %s%s:%s %s", bold, d->path, d->line,
            d->column, off, on, sev, off, d->message);
    if (d->suggestion)
      fprintf(out, "; did you mean '%s'?", d->suggestion);
    fprintf(out, " %s[%s]%s\n", dim, d->rule, off);
  }
}
