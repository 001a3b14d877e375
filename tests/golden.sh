#!/usr/bin/env bash
# Golden tests: each fixtures/<case>/ holds the course in input/, an
# optional `args` file (arguments, one per line; default "--root ."),
# expected.out (stdout), expected.status (exit status) and optionally
# expected.err (stderr). The CLI runs inside input/. With UPDATE_GOLDEN=1
# the expected files are rewritten: read the diff before committing.
set -u
cd "$(dirname "$0")/.."
top=$PWD
BUILD=${BUILD:-build}
bin="$top/$BUILD/courselint"
passed=0
failed=0

for dir in fixtures/*/; do
  case=${dir%/}
  [ -d "$case/input" ] || continue
  args=(--root .)
  if [ -f "$case/args" ]; then
    mapfile -t args < "$case/args"
  fi
  out=$(cd "$case/input" && timeout 60 "$bin" --color=never -q "${args[@]}" \
        2>"$top/$BUILD/golden.err")
  status=$?
  err=$(cat "$top/$BUILD/golden.err")
  if [ -n "${UPDATE_GOLDEN:-}" ]; then
    printf '%s\n' "$out" | sed '${/^$/d}' > "$case/expected.out"
    echo "$status" > "$case/expected.status"
    if [ -f "$case/expected.err" ] || [ -n "$err" ]; then
      printf '%s\n' "$err" | sed '${/^$/d}' > "$case/expected.err"
    fi
    continue
  fi
  want_out=$(cat "$case/expected.out" 2>/dev/null)
  want_status=$(cat "$case/expected.status" 2>/dev/null || echo 0)
  ok=1
  if [ "$out" != "$want_out" ]; then
    ok=0
    echo "FAIL golden $case: output differs"
    diff <(printf '%s\n' "$want_out") <(printf '%s\n' "$out") | sed 's/^/    /'
  fi
  if [ "$status" != "$want_status" ]; then
    ok=0
    echo "FAIL golden $case: exit status $status, expected $want_status"
  fi
  if [ -f "$case/expected.err" ] && [ "$err" != "$(cat "$case/expected.err")" ]; then
    ok=0
    echo "FAIL golden $case: stderr differs"
    diff "$case/expected.err" <(printf '%s\n' "$err") | sed 's/^/    /'
  fi
  if [ "$ok" = 1 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
echo "golden-summary $passed $failed"
