#!/usr/bin/env bash
# paired.sh - time courselint against the floor, or one build against
# another, in paired rounds: each round runs every command once, back to
# back, in an order that alternates, and keeps the ratios of that round.
# The medians of the per-round ratios are printed. On a shared machine
# whose speed drifts from one minute to the next, a ratio taken within a
# round drifts far less than the medians of separate series (make bench);
# see tests/bench/README.md, "Measuring".
#
#   tests/bench/paired.sh [--corpus NAME|DIR] [--rounds N] [--jobs N]
#                         [--page PATH] [--cpu LIST] BINARY [OTHER_BINARY]
#
# --corpus: a folder of $CORPUS_DIR (default ../shared/corpus from the
# repository root) or a path; default microsoft__IoT-For-Beginners.
# --jobs: courselint's --jobs (default 1; 0 means its default).
# --page: lint that page only (a pre-commit run), not the whole course.
# --cpu: run every command on these CPUs only (taskset's list, "1" or
# "0,1"). The CPUs of a virtual machine need not be equally fast: here
# one ran the floor in 480 ms and the other in 680 at the same minute,
# so a one-thread ratio is only fair on one CPU (tests/bench/README.md).
# With OTHER_BINARY, also prints OTHER / BINARY per round: under 1, the
# other is faster. Prints the per-round times in milliseconds first.
# Exits 2 on bad usage or when a command fails.
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/common.sh"
corpus_dir=${CORPUS_DIR:-$repo/../shared/corpus}
corpus=microsoft__IoT-For-Beginners
rounds=11
jobs=1
page=""
cpu=""

die() { echo "paired: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --corpus) corpus=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --page) page=$2; shift ;;
    --cpu) cpu=$2; shift ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    -*) die "unknown option '$1'" ;;
    *) break ;;
  esac
  shift
done
[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: paired.sh [options] BINARY [OTHER_BINARY]"
case $rounds in ''|*[!0-9]*|0) die "--rounds wants a positive number" ;; esac
case $jobs in ''|*[!0-9]*) die "--jobs wants a number" ;; esac
pin_to "$cpu"
bins=()
for b in "$@"; do
  case $b in /*) ;; *) b="$PWD/$b" ;; esac
  [ -x "$b" ] || die "'$b' is not an executable"
  bins+=("$b")
done
[ -d "$corpus" ] || corpus="$corpus_dir/$corpus"
[ -d "$corpus" ] || die "no corpus '$corpus'"
dir=$(cd "$corpus" && pwd)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/paired.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cc -O2 -std=c11 -o "$tmp/floor.bin" "$here/floor.c" \
  $(pkg-config --cflags --libs libcmark) || die "cannot build the floor program"
# The pages make bench gives the floor: every Markdown page of the walk.
list_pages "$dir" "$tmp/pages"
if [ -n "$page" ]; then
  [ -f "$dir/$page" ] || die "no page '$page' in $dir"
  printf '%s\n' "$page" >"$tmp/pages"
fi

jobarg=()
[ "$jobs" != 0 ] && jobarg=(--jobs="$jobs")
# run NAME: one timed run, its nanoseconds appended to $tmp/t.NAME.
run() {
  local t0 t1 rc
  t0=$(date +%s%N)
  case $1 in
    floor) (cd "$dir" && "${pin[@]}" "$tmp/floor.bin" "$tmp/pages" >/dev/null 2>&1); rc=$? ;;
    *) (cd "$dir" && "${pin[@]}" "${bins[$1]}" -q --color=never "${jobarg[@]}" --root . \
          ${page:+"$page"} >/dev/null 2>"$tmp/err"); rc=$?
       [ $rc -le 1 ] || { cat "$tmp/err" >&2; die "${bins[$1]} exited with $rc"; }
       rc=0 ;;
  esac
  t1=$(date +%s%N)
  [ $rc = 0 ] || die "the floor program failed"
  echo $((t1 - t0)) >>"$tmp/t.$1"
}

names=(floor)
for i in "${!bins[@]}"; do names+=("$i"); done
run floor # warm the page cache
rm -f "$tmp/t.floor"
for ((r = 0; r < rounds; r++)); do
  if ((r % 2)); then order=("${names[@]}"); else
    order=(); for ((k = ${#names[@]} - 1; k >= 0; k--)); do order+=("${names[$k]}"); done
  fi
  for n in "${order[@]}"; do run "$n"; done
done

# median FILE: the median of its numbers.
median() { sort -g "$1" | awk '{v[NR] = $1} END {
  print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# ratios A B OUT: per-round B / A into OUT; prints how many rounds B < A.
ratios() { paste "$tmp/t.$1" "$tmp/t.$2" | awk '{printf "%.4f\n", $2 / $1; if ($2 < $1) w++}
  END {print w + 0 > "/dev/stderr"}' >"$3" 2>"$3.wins"; }

label="$(basename "$dir")${page:+, page $page}, --jobs ${jobs/#0/default}, $rounds rounds${cpu:+, CPU $cpu}"
echo "paired: $label"
for n in "${names[@]}"; do
  printf '  ms %-9s %s\n' "$([ "$n" = floor ] && echo floor || echo "binary $((n + 1))")" \
    "$(awk '{printf "%d ", $1 / 1e6}' "$tmp/t.$n")"
done
for i in "${!bins[@]}"; do
  ratios floor "$i" "$tmp/r$i"
  printf '  binary %d / floor: median %.3f (%s)\n' $((i + 1)) "$(median "$tmp/r$i")" "${bins[$i]}"
done
if [ ${#bins[@]} = 2 ]; then
  ratios 0 1 "$tmp/r01"
  printf '  binary 2 / binary 1: median %.3f, binary 2 faster in %s of %d rounds\n' \
    "$(median "$tmp/r01")" "$(cat "$tmp/r01.wins")" "$rounds"
fi
