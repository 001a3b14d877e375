#!/usr/bin/env bash
# stress.sh - look for quadratic steps: generate pages with many links and
# many headings under build/stress/ and time courselint on each.
#   tests/bench/stress.sh [LINKS] [HEADINGS]   (default 100000 and 10000)
# Each page is timed alone and at a tenth of its size; a linear program
# takes about ten times as long for the full page.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=${BUILD:-build}
case $build in /*) ;; *) build="$repo/$build" ;; esac
cl="$build/courselint"
[ -x "$cl" ] || { echo "stress: $cl is missing: run make first" >&2; exit 2; }
links=${1:-100000}
headings=${2:-10000}
out="$build/stress"

# links N FILE: inline links to a page, its headings and a missing page and
# heading; reference links with their definitions; images.
gen_links() {
  awk -v n="$1" 'BEGIN {
    print "# Links\n\n## Target one\n\n## Target two\n"
    for (i = 0; i < n; i++) {
      k = i % 8
      if (k == 0) printf "See [page %d](other.md).\n", i
      else if (k == 1) printf "See [part %d](other.md#other-heading).\n", i
      else if (k == 2) printf "See [here %d](#target-two).\n", i
      else if (k == 3) printf "See [gone %d](missing-%d.md).\n", i, i % 100
      else if (k == 4) printf "See [typo %d](#target-tw%d).\n", i, i % 10
      else if (k == 5) printf "See [ref %d][r%d].\n\n[r%d]: other.md#other-heading\n", i, i, i
      else if (k == 6) printf "![img %d](img/pic-%d.png)\n", i, i % 50
      else printf "Visit [site %d](https://example.com/%d).\n", i, i
      if (i % 5 == 4) print ""
    }
  }' >"$2"
}

# headings N FILE: headings with repeated titles (slugs -1, -2, ...) and
# links to some of them.
gen_headings() {
  awk -v n="$1" 'BEGIN {
    print "# Headings\n"
    for (i = 0; i < n; i++) {
      if (i % 3 == 0) printf "## Same title\n\n"
      else printf "## Section %d\n\n", i
      printf "Text [back](#same-title-%d) and [on](#section-%d).\n\n", i / 3, i + 1
    }
  }' >"$2"
}

run() { # label dir page
  local t
  /usr/bin/time -f '%e %M' -o "$2/time.txt" "$cl" -q --color=never \
    --root "$2" "$2/$3" >"$2/out.txt" 2>"$2/err.txt"
  t=$(tail -1 "$2/time.txt")
  printf '%-16s %8s s %8s KB peak %8d findings\n' "$1" "${t% *}" "${t#* }" \
    "$(wc -l <"$2/out.txt")"
}

for scale in 10 1; do
  n=$((links / scale)) h=$((headings / scale))
  d="$out/links-$n"
  mkdir -p "$d/img"
  printf '# Other heading\n' >"$d/other.md"
  for i in $(seq 0 49); do : >"$d/img/pic-$i.png"; done
  gen_links "$n" "$d/page.md"
  run "$n links" "$d" page.md
  d="$out/headings-$h"
  mkdir -p "$d"
  gen_headings "$h" "$d/page.md"
  run "$h headings" "$d" page.md
done
