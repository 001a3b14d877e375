#!/usr/bin/env bash
# Fuzzing. Two modes:
#
#   run.sh          called by tests/run.sh (make test): deterministic. Runs
#                   $BUILD/replay/<harness> (the harness without libFuzzer)
#                   on every saved crashing input in
#                   tests/fuzz/regressions/<harness>/ (one test per file)
#                   and on the harness's seeds in tests/fuzz/seeds/<name>/
#                   (one test per harness). Prints FAIL lines and
#                   "fuzz-summary P F".
#   run.sh fuzz     `make fuzz`: runs each libFuzzer harness for
#                   FUZZ_SECONDS on the corpus kept in
#                   build-fuzz/corpus/<harness>/; only the harness named
#                   in FUZZ_HARNESS when it is set
#                   (FUZZ_HARNESS=fuzz_fix make fuzz).
#
# Seeds: tests/fuzz/seeds/<harness without fuzz_>/ plus, for libFuzzer,
# what fixtures/ holds (its pages for fuzz_page and fuzz_fix, its rule
# files for fuzz_rules, each course joined with NUL bytes for
# fuzz_course). A crash
# leaves build-fuzz/artifacts/<harness>-*: fix the bug, then copy the file
# into tests/fuzz/regressions/<harness>/.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
mode=${1:-test}
fuzzbin=build-fuzz/fuzz
passed=0
failed=0
harnesses=()
for f in tests/fuzz/fuzz_*.c; do
  f=${f##*/}
  harnesses+=("${f%.c}")
done

# add_seed DIR FILE: copy FILE into DIR under a name from its contents.
add_seed() {
  cp "$2" "$1/$(sha1sum <"$2" | cut -c1-16)"
}

# seed_corpus HARNESS DIR: fill DIR with the harness's seeds.
seed_corpus() {
  local h=$1 dir=$2 f c files
  mkdir -p "$dir"
  for f in tests/fuzz/seeds/"${h#fuzz_}"/*; do
    [ -f "$f" ] && add_seed "$dir" "$f"
  done
  case $h in
  fuzz_page | fuzz_fix)
    while IFS= read -r -d '' f; do
      add_seed "$dir" "$f"
    done < <(find fixtures -path '*/input/*' -name '*.md' -size -64k \
               -type f -print0 2>/dev/null)
    ;;
  fuzz_rules)
    add_seed "$dir" rules/default.yml
    while IFS= read -r -d '' f; do
      add_seed "$dir" "$f"
    done < <(find fixtures tests/fuzz/seeds/rules \
               \( -name '.courselint.yml' -o -name 'rules.y*ml' \) \
               -size -64k -type f -print0 2>/dev/null)
    ;;
  fuzz_course)
    # Each fixture's first five pages and its rule file, NUL-separated, in
    # the order fuzz_course.c gives them names; and the page seeds.
    for c in fixtures/*/input tests/fuzz/seeds; do
      [ -d "$c" ] || continue
      mapfile -d '' -t files < <(find "$c" -name '*.md' -size -64k \
                                   -type f -print0 2>/dev/null | sort -z)
      [ "${#files[@]}" -gt 0 ] || continue
      {
        for k in 0 1 2 3 4; do
          [ -n "${files[$k]:-}" ] && cat "${files[$k]}"
          printf '\0'
        done
        [ -f "$c/.courselint.yml" ] && cat "$c/.courselint.yml"
      } >"$dir/course.tmp"
      add_seed "$dir" "$dir/course.tmp"
      rm "$dir/course.tmp"
    done
    ;;
  esac
}

# fuzz_one HARNESS SECONDS CORPUS LOG: run libFuzzer; 0 when nothing
# crashed.
fuzz_one() {
  local h=$1 secs=$2 corpus=$3 log=$4
  mkdir -p build-fuzz/artifacts
  ASAN_OPTIONS=detect_leaks=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    timeout -k 10 $((secs + 120)) "$fuzzbin/$h" "$corpus" \
    -dict=tests/fuzz/markdown.dict -max_total_time="$secs" -timeout=25 \
    -rss_limit_mb=2048 -max_len=65536 -seed=1 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/artifacts/$h-" >"$log" 2>&1
  local st=$?
  if [ "$st" -ne 0 ]; then
    echo "FAIL fuzz $h: libFuzzer exit status $st (log: $log)"
    grep -aE 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20 |
      sed 's/^/    /'
    return 1
  fi
  return 0
}

if [ "$mode" = fuzz ]; then
  secs=${FUZZ_SECONDS:-60}
  bad=0
  for h in "${harnesses[@]}"; do
    [ -z "${FUZZ_HARNESS:-}" ] || [ "$h" = "$FUZZ_HARNESS" ] || continue
    corpus=build-fuzz/corpus/$h
    seed_corpus "$h" "$corpus"
    echo "== $h for ${secs}s (corpus $corpus)"
    if fuzz_one "$h" "$secs" "$corpus" "build-fuzz/$h.log"; then
      grep -aE '^stat::number_of_executed_units|cov:' build-fuzz/$h.log |
        tail -n 2 | sed 's/^/    /'
    else
      bad=1
    fi
  done
  exit "$bad"
fi

# Replay the saved crashing inputs.
for h in "${harnesses[@]}"; do
  for f in tests/fuzz/regressions/"$h"/*; do
    [ -f "$f" ] || continue
    out=$(timeout 120 "$BUILD/replay/$h" "$f" 2>&1)
    st=$?
    if [ "$st" -eq 0 ] && ! grep -Eq 'Sanitizer|runtime error:' <<<"$out"; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
      echo "FAIL fuzz regression $f: exit status $st"
      head -c 2000 <<<"$out" | sed 's/^/    /'
    fi
  done
done

# Replay each harness's committed seeds: the checks a harness makes
# (positions inside the page, fixes that stick, ...) hold on them too.
for h in "${harnesses[@]}"; do
  seeds=()
  for f in tests/fuzz/seeds/"${h#fuzz_}"/*; do
    [ -f "$f" ] && seeds+=("$f")
  done
  [ ${#seeds[@]} -gt 0 ] || continue
  out=$(timeout 300 "$BUILD/replay/$h" "${seeds[@]}" 2>&1)
  st=$?
  if [ "$st" -eq 0 ] && ! grep -Eq 'Sanitizer|runtime error:' <<<"$out"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL fuzz seeds of $h: exit status $st"
    head -c 2000 <<<"$out" | sed 's/^/    /'
  fi
done
echo "fuzz-summary $passed $failed"
