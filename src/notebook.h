/* notebook.h - the markdown cells of a Jupyter notebook (.ipynb, nbformat
 * 4) as one Markdown text for the parser, with a srcmap from each text
 * line to where it stands in the notebook file. Called by formats_read
 * between scan and parse. */
#ifndef CLINT_NOTEBOOK_H
#define CLINT_NOTEBOOK_H

#include <stddef.h>

#include "formats.h"
#include "scan.h"
#include "util/arena.h"

/* The markdown cells of the notebook json (a scanned file), into *text
 * (malloc'd, NUL-terminated, *len bytes; the caller frees it) and *map
 * (in arena a). A cell's lines stand on the text lines of the file lines
 * that hold them when they can (one JSON string per line, as Jupyter
 * writes), so line numbers mean the same in both; cells are apart by a
 * blank line at least. An empty file (or only white space) is an empty
 * notebook. Returns CLINT_E_IO with err (name, line and column) when the
 * file is not a JSON document, CLINT_E_NOMEM when out of memory. */
clint_status notebook_extract(const struct source *json, const char *name,
                              struct arena *a, char **text, size_t *len,
                              const struct srcmap **map, clint_error *err);

#endif
