#!/usr/bin/env bash
# hooksame.sh - check that two courselint binaries give the same output for
# a pre-commit run: one page named, its referrers searched and reported.
# same.sh compares full runs, which never search for referrers; this
# compares the runs that do.
#   tests/bench/hooksame.sh [--pages N] [--seed S] OLD_BINARY [NEW_BINARY]
#                           [CORPUS_DIR...]
# For each corpus, N pages (default 12) are drawn from the pages courselint
# reads (common.sh) with seed S (default 1, so two calls draw the same
# pages), and each is linted alone with both binaries (--no-cache --jobs=1: the search itself,
# not a cache filled by an earlier run). NEW_BINARY defaults to
# build/courselint; the corpora to the folders of ../shared/corpus, from
# the repository root. Binaries may be given by relative paths: they are
# made absolute before any folder changes. Exits 1 on any difference,
# printing the first lines of the diff; 2 on bad usage.
set -u
export LC_ALL=C
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/common.sh"
pages=12
seed=1
die() { echo "hooksame: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --pages) pages=$2; shift ;;
    --seed) seed=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) die "unknown option '$1'" ;;
    *) break ;;
  esac
  shift
done
case $pages in ''|*[!0-9]*|0) die "--pages wants a positive number" ;; esac
[ $# -ge 1 ] || die "usage: hooksame.sh [options] OLD_BINARY [NEW_BINARY] [CORPUS_DIR...]"
old=$(realpath "$1"); shift
new=$(realpath "${1:-$repo/build/courselint}"); [ $# -gt 0 ] && shift
[ -x "$old" ] || die "'$old' is not an executable"
[ -x "$new" ] || die "'$new' is not an executable"
corpora=("$@")
[ ${#corpora[@]} -eq 0 ] && corpora=("$repo"/../shared/corpus/*/)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hooksame.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# draw FILE: $pages lines of FILE, the same ones for the same seed.
draw() {
  awk -v seed="$seed" 'BEGIN { srand(seed) } { print rand() "\t" $0 }' "$1" |
    sort -k1,1g | head -n "$pages" | cut -f2-
}

# lint BINARY PAGE OUT: the run's stdout, stderr and status into OUT.*.
lint() {
  (cd "$c" && "$1" --color=never --no-cache --jobs=1 --root . "$2" \
     >"$3.out" 2>"$3.err"; echo $? >"$3.rc")
}

status=0
for c in "${corpora[@]}"; do
  [ -d "$c" ] || die "no corpus folder '$c'"
  name=$(basename "$c")
  list_pages "$c" "$tmp/all"
  draw "$tmp/all" >"$tmp/drawn"
  same=0 diffs=0
  while IFS= read -r page; do
    lint "$old" "$page" "$tmp/a"
    lint "$new" "$page" "$tmp/b"
    if cmp -s "$tmp/a.out" "$tmp/b.out" && cmp -s "$tmp/a.err" "$tmp/b.err" &&
       cmp -s "$tmp/a.rc" "$tmp/b.rc"; then
      same=$((same + 1))
    else
      diffs=$((diffs + 1))
      echo "DIFF  $name $page"
      diff "$tmp/a.out" "$tmp/b.out" | head -10
      diff "$tmp/a.err" "$tmp/b.err" | head -5
      status=1
    fi
  done <"$tmp/drawn"
  echo "$([ $diffs = 0 ] && echo same || echo DIFF)  $name: $same of $((same + diffs)) pages the same"
done
exit $status
