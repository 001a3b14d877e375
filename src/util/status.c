/* status.c - names of status codes and severities; error filling. */
#include "status.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *clint_status_str(clint_status status) {
  static const char *const names[] = {
      [CLINT_OK] = "success",
      [CLINT_E_USAGE] = "usage error",
      [CLINT_E_IO] = "I/O error",
      [CLINT_E_RULES] = "rule file error",
      [CLINT_E_PATTERN] = "pattern error",
      [CLINT_E_NOMEM] = "out of memory",
      [CLINT_E_LIMIT] = "resource limit exceeded",
      [CLINT_E_INTERNAL] = "internal error",
  };
  if ((unsigned)status < sizeof(names) / sizeof(names[0]) && names[status])
    return names[status];
  return "unknown status";
}

const char *clint_severity_str(clint_severity sev) {
  switch (sev) {
  case CLINT_SEV_ERROR:
    return "error";
  case CLINT_SEV_WARNING:
    return "warning";
  default:
    return "off";
  }
}

clint_status status_set(clint_error *err, clint_status status, const char *path,
                        unsigned line, unsigned column, const char *fmt, ...) {
  if (!err)
    return status;
  err->status = status;
  err->line = line;
  err->column = column;
  snprintf(err->path, sizeof(err->path), "%s", path ? path : "");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof(err->message), fmt, ap);
  va_end(ap);
  return status;
}
