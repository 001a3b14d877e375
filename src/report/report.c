/* report.c - choosing a writer by format. */
#include <string.h>

#include "report.h"

static const char *const format_names[] = {
    [CLINT_FORMAT_TEXT] = "text",     [CLINT_FORMAT_JSON] = "json",
    [CLINT_FORMAT_SARIF] = "sarif",   [CLINT_FORMAT_GITHUB] = "github",
    [CLINT_FORMAT_JUNIT] = "junit",
};

bool clint_format_from_name(const char *name, clint_format *out) {
  for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
    if (format_names[i] && !strcmp(name, format_names[i])) {
      *out = (clint_format)i;
      return true;
    }
  return false;
}

clint_status clint_run_write(const clint_run *run, clint_format format,
                             unsigned flags, FILE *out) {
  switch (format) {
  case CLINT_FORMAT_TEXT:
    report_text(run, flags, out);
    break;
  default:
    return CLINT_E_USAGE;
  }
  return ferror(out) ? CLINT_E_IO : CLINT_OK;
}
