/* status.h - filling a clint_error. */
#ifndef CLINT_STATUS_H
#define CLINT_STATUS_H

#include "courselint.h"

/* Fill err (when not NULL) and return status. path may be NULL. */
clint_status status_set(clint_error *err, clint_status status, const char *path,
                        unsigned line, unsigned column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
