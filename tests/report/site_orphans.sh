#!/usr/bin/env bash
# The orphan list of --report with a site's table of contents: a page the
# table lists is reached, the table itself is never an orphan, a page
# nothing names is one. Prints TAP. usage: site_orphans.sh path/to/courselint
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fixtures=$(cd "$(dirname "$0")/../../fixtures" && pwd)
. "$(dirname "$0")/../lib/tap.sh"
orphans() { # orphans FIXTURE: the orphan list of its --report, one a line
  (cd "$fixtures/$1/input" && "$bin" -q --root . --report "$tmp/$1.json" \
     >/dev/null 2>&1)
  python3 -c 'import json, sys
for o in json.load(open(sys.argv[1]))["orphans"]: print(o)' "$tmp/$1.json"
}

t "mkdocs: only the page neither nav nor a link names is an orphan" \
  test "$(orphans links-site-mkdocs)" = "docs/orphan.md"
t "doc-builder: every page is listed in _toctree.yml or linked" \
  test -z "$(orphans links-site-docbuilder)"
echo "1..$n"
