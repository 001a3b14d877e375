#!/usr/bin/env bash
# Runs every test: the cmocka unit tests (as TAP), the script tests of
# tests/report/, the golden tests over fixtures/, the hostile inputs of
# tests/hostile/ and the replayed fuzz seeds and regressions of
# tests/fuzz/, then prints one line "N passed, N failed". Deterministic:
# no random fuzzing here (that is `make fuzz`).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
# Runs with PATHs keep a cache (README, "Speed"): the tests' go to a
# folder of their own, never the user's, and it goes with them.
XDG_CACHE_HOME=$(mktemp -d)
export XDG_CACHE_HOME
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT
passed=0
failed=0

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  out=$(CMOCKA_MESSAGE_OUTPUT=tap timeout 300 "$t" 2>&1)
  rc=$?
  ok=$(grep -c '^ok ' <<<"$out")
  # cmocka writes a skipped test as "not ok N # SKIP": not a failure.
  bad=$(grep '^not ok ' <<<"$out" | grep -vc ' # SKIP')
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
    bad=1 # crashed or timed out before reporting
  fi
  passed=$((passed + ok))
  failed=$((failed + bad))
  if [ "$bad" -ne 0 ]; then
    echo "FAIL unit $(basename "$t")"
    grep -v '^ok ' <<<"$out" | sed 's/^/    /'
  fi
done

# Script tests under tests/report/ print TAP too; they get the binary.
for t in tests/report/*.py tests/report/*.sh; do
  [ -f "$t" ] || continue
  case $t in
    *.py) runner=python3 ;;
    *) runner=bash ;;
  esac
  out=$(BUILD="$BUILD" timeout 300 "$runner" "$t" "$BUILD/courselint" 2>&1)
  rc=$?
  ok=$(grep -c '^ok ' <<<"$out")
  bad=$(grep -c '^not ok ' <<<"$out")
  if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
    bad=1
  fi
  passed=$((passed + ok))
  failed=$((failed + bad))
  if [ "$bad" -ne 0 ]; then
    echo "FAIL $t"
    grep -v '^ok ' <<<"$out" | sed 's/^/    /'
  fi
  # A script that cannot run here (a client not installed) says why.
  grep -E '^1\.\.0 # skip|^# skip|^# .*not installed' <<<"$out" |
    sed -E "s|^(1\.\.0 )?# (skip:? *)?|SKIP $t: |"
done

golden=$(BUILD="$BUILD" bash tests/golden.sh)
echo "$golden" | grep -v '^golden-summary' 
read -r _ gp gf <<<"$(grep '^golden-summary' <<<"$golden")"
passed=$((passed + ${gp:-0}))
failed=$((failed + ${gf:-1}))

hostile=$(BUILD="$BUILD" bash tests/hostile/run.sh)
echo "$hostile" | grep -v '^hostile-summary'
read -r _ hp hf <<<"$(grep '^hostile-summary' <<<"$hostile")"
passed=$((passed + ${hp:-0}))
failed=$((failed + ${hf:-1}))

fuzz=$(BUILD="$BUILD" bash tests/fuzz/run.sh)
echo "$fuzz" | grep -v '^fuzz-summary'
read -r _ fp ff <<<"$(grep '^fuzz-summary' <<<"$fuzz")"
passed=$((passed + ${fp:-0}))
failed=$((failed + ${ff:-1}))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
