/* report.h - one writer per output format, all reading a finished run
 * through the public API. Last stage: scan -> parse -> index -> checks ->
 * report. */
#ifndef CLINT_REPORT_H
#define CLINT_REPORT_H

#include <stdio.h>

#include "courselint.h"

void report_text(const clint_run *run, unsigned flags, FILE *out);

#endif
