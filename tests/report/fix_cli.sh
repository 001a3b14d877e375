#!/usr/bin/env bash
# courselint --fix end to end, on a copy of fixtures/fix-diff/input: the
# pages end up exactly as `patch -p1` of the --diff output makes them
# (BOM, CRLF and every other byte kept), modes survive, and a second run
# has nothing left to do. Prints TAP. usage: fix_cli.sh path/to/courselint
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$(dirname "$0")/../../fixtures/fix-diff/input" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
t() { # t NAME COMMAND...: one TAP line
  local name=$1
  shift
  n=$((n + 1))
  if "$@" >/dev/null 2>&1; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
}

cp -a "$src" "$tmp/fixed"
cp -a "$src" "$tmp/patched"
chmod 600 "$tmp/fixed/week1/04_recall.md"
(cd "$tmp/fixed" && "$bin" -q --root . --fix --diff > "$tmp/diff")
t "--fix --diff exits 1 when there is something to fix" test $? -eq 1
t "--fix --diff changes no file" diff -r "$src" "$tmp/fixed"
if command -v patch >/dev/null; then
  (cd "$tmp/patched" && patch -s -p1 < "$tmp/diff")
  t "the diff applies with patch -p1" test $? -eq 0
fi
(cd "$tmp/fixed" && "$bin" -q --root . --fix > "$tmp/out")
t "--fix exits 1 for the findings it cannot fix" test $? -eq 1
if command -v patch >/dev/null; then
  t "--fix writes exactly what the diff shows" diff -r "$tmp/patched" "$tmp/fixed"
fi
t "--fix reports only what is left" test "$(grep -c . "$tmp/out")" -eq 2
t "--fix keeps the mode" test "$(stat -c %a "$tmp/fixed/week1/04_recall.md")" = 600
t "--fix keeps the BOM and CRLF" cmp <(head -c 3 "$tmp/fixed/week1/04_recall.md") <(printf '\357\273\277')
t "--fix keeps CRLF line ends" test "$(grep -c $'\r$' "$tmp/fixed/week1/04_recall.md")" -eq 5
t "--fix leaves no temporary file" test -z "$(find "$tmp/fixed" -name '.*courselint*' ! -name .courselint.yml)"
(cd "$tmp/fixed" && "$bin" -q --root . --fix --diff > "$tmp/diff2")
t "a second run has nothing to fix" test $? -eq 0 -a ! -s "$tmp/diff2"
(cd "$tmp/fixed" && "$bin" -q --root . --diff 2>/dev/null)
t "--diff without --fix is a usage error" test $? -eq 2
echo "1..$n"
