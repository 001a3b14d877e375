/* github.c - GitHub Actions workflow commands, which the runner turns into
 * annotations on a pull request's changed lines:
 *   ::error file=F,line=L,col=C,endLine=..,endColumn=..,title=RULE::MESSAGE
 * The runner splits on ',' and '::' and reads a line at a time, so '%',
 * CR and LF are percent-encoded everywhere, and ':' and ',' in properties
 * too (as the Actions toolkit does). Other control characters (ESC, BEL,
 * DEL, ...) would reach the CI log raw: they are escaped as in the text
 * format (\t, \xNN). Invalid UTF-8 becomes U+FFFD. */
#include <string.h>

#include "report.h"
#include "util/utf8.h"

static void escaped(FILE *out, const char *s, bool property) {
  size_t n = strlen(s);
  for (size_t i = 0; i < n; i++) {
    uint32_t cp;
    size_t k = utf8_decode(s + i, n - i, &cp);
    if (k != 1) {
      /* The log is read as UTF-8: keep it valid. */
      if (k == 0)
        fputs("\xEF\xBF\xBD", out);
      else
        fwrite(s + i, 1, k, out);
      i += k ? k - 1 : 0;
      continue;
    }
    switch (s[i]) {
    case '%':
      fputs("%25", out);
      break;
    case '\r':
      fputs("%0D", out);
      break;
    case '\n':
      fputs("%0A", out);
      break;
    case ':':
      fputs(property ? "%3A" : ":", out);
      break;
    case ',':
      fputs(property ? "%2C" : ",", out);
      break;
    case '\t':
      fputs("\\t", out);
      break;
    default:
      if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
        fprintf(out, "\\x%02x", (unsigned char)s[i]);
      else
        fputc(s[i], out);
    }
  }
}

void report_github(const clint_run *run, FILE *out) {
  for (size_t i = 0; i < clint_run_diag_count(run); i++) {
    const clint_diag *d = clint_run_diag(run, i);
    fprintf(out,
            "::%s file=", d->severity == CLINT_SEV_ERROR ? "error" : "warning");
    escaped(out, d->path, true);
    fprintf(out, ",line=%u,col=%u", d->line, d->column);
    if (d->end_line > d->line)
      fprintf(out, ",endLine=%u", d->end_line);
    else if (d->end_column > d->column)
      fprintf(out, ",endColumn=%u", d->end_column);
    fputs(",title=", out);
    escaped(out, d->rule, true);
    fputs("::", out);
    escaped(out, d->message, false);
    if (d->suggestion && !d->suggestion_in_message) {
      fputs("; did you mean '", out);
      escaped(out, d->suggestion, false);
      fputs("'?", out);
    }
    fputc('\n', out);
  }
}
