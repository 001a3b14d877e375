#!/usr/bin/env bash
# same.sh - check that two courselint binaries report the same findings on
# every corpus, and that the output does not depend on --jobs.
#   tests/bench/same.sh OLD_BINARY [NEW_BINARY] [CORPUS_DIR...]
# OLD_BINARY's output (json, --jobs=1) is the reference; NEW_BINARY
# (default build/courselint) runs with --jobs=1, 2 and 8. The corpora
# default to the folders of ../shared/corpus, from the repository root.
# Exits 1 on any difference, printing the first lines of the diff.
# Exits 2 on bad usage, or when a binary or a corpus folder is missing.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
die() { echo "same: $*" >&2; exit 2; }
[ $# -ge 1 ] || die "usage: same.sh OLD_BINARY [NEW_BINARY] [CORPUS_DIR...]"
old=$(realpath "$1"); shift
new=$(realpath "${1:-build/courselint}"); [ $# -gt 0 ] && shift
[ -x "$old" ] || die "'$old' is not an executable"
[ -x "$new" ] || die "'$new' is not an executable"
corpora=("$@")
[ ${#corpora[@]} -eq 0 ] && corpora=("$repo"/../shared/corpus/*/)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/same.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
status=0
for c in "${corpora[@]}"; do
  [ -d "$c" ] || die "no corpus folder '$c'"
  name=$(basename "$c")
  (cd "$c" && "$old" -q --color=never --format=json --jobs=1 --root . \
     >"$tmp/ref" 2>"$tmp/ref.err"; echo $? >"$tmp/ref.rc")
  for j in 1 2 8; do
    (cd "$c" && "$new" -q --color=never --format=json --jobs=$j --root . \
       >"$tmp/out" 2>"$tmp/out.err"; echo $? >"$tmp/out.rc")
    if cmp -s "$tmp/ref" "$tmp/out" && cmp -s "$tmp/ref.rc" "$tmp/out.rc" &&
       cmp -s "$tmp/ref.err" "$tmp/out.err"; then
      echo "same  $name --jobs=$j ($(grep -c '"rule"' "$tmp/out") findings)"
    else
      echo "DIFF  $name --jobs=$j"
      diff "$tmp/ref" "$tmp/out" | head -20
      diff "$tmp/ref.err" "$tmp/out.err" | head -5
      status=1
    fi
  done
done
exit $status
