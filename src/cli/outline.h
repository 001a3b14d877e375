/* outline.h - `courselint --outline`: print the course as the linter
 * reads it (modules, the page playing each role, numbered headings, and
 * folders of numbered pages). */
#ifndef CLINT_CLI_OUTLINE_H
#define CLINT_CLI_OUTLINE_H

#include <stdio.h>

#include "courselint.h"

/* Open the course opts describes with linter's rules and write its
 * outline to out. */
clint_status outline_print(const clint_linter *linter,
                           const clint_options *opts, FILE *out,
                           clint_error *err);

#endif
