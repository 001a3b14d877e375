# common.sh - sourced by the bench scripts (run.sh, paired.sh, hooksame.sh):
# the one list of the pages courselint reads in a course, which the floor
# parses and the comparisons draw from, and the one reading of --cpu.

# list_pages DIR OUT: the Markdown pages under DIR (paths relative to it,
# sorted), outside hidden folders, node_modules, site and build, as
# index_walk reads them; into OUT.
list_pages() {
  (cd "$1" && find . \( -name '.?*' -o -name node_modules -o -name site \
     -o -name build \) -type d -prune -o -type f \( -name '*.md' -o \
     -name '*.markdown' \) -print | sed 's|^\./||' | sort) >"$2"
}

# pin_to CPUS: set the array pin to the command prefix that runs on the
# CPUs in CPUS (taskset's list; empty: no prefix), or die saying why not.
# The caller defines die.
pin_to() {
  pin=()
  [ -n "$1" ] || return 0
  case $1 in *[!0-9,-]*) die "--cpu wants a CPU list such as 1 or 0,1" ;; esac
  command -v taskset >/dev/null || die "--cpu needs taskset (util-linux)"
  taskset -c "$1" true 2>/dev/null || die "no CPU '$1' here"
  pin=(taskset -c "$1")
}
