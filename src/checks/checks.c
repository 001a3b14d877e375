/* checks.c - the table of check families, in the order they run. */
#include "checks.h"

const struct family *const check_families[FAM_COUNT] = {
    [FAM_FILE] = &file_family,         [FAM_LINKS] = &links_family,
    [FAM_REFS] = &refs_family,         [FAM_HEADINGS] = &headings_family,
    [FAM_TASKS] = &tasks_family,       [FAM_MODULES] = &modules_family,
    [FAM_SEQUENCE] = &sequence_family, [FAM_LINKTEXT] = &linktext_family,
};
