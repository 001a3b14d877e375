# pages.sh - sourced by the bench scripts (run.sh, paired.sh, hooksame.sh):
# the one list of the pages courselint reads in a course, which the floor
# parses and the comparisons draw from.

# list_pages DIR OUT: the Markdown pages under DIR (paths relative to it,
# sorted), outside hidden folders, node_modules, site and build, as
# index_walk reads them; into OUT.
list_pages() {
  (cd "$1" && find . \( -name '.?*' -o -name node_modules -o -name site \
     -o -name build \) -type d -prune -o -type f \( -name '*.md' -o \
     -name '*.markdown' \) -print | sed 's|^\./||' | sort) >"$2"
}
