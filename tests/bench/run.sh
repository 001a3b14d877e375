#!/usr/bin/env bash
# run.sh - `make bench`: time courselint against the floor (libcmark parsing
# the same pages, one thread) and against peer linters, on real corpora.
#
#   tests/bench/run.sh [--corpus NAME|DIR]... [--runs N] [--peer-runs N]
#                      [--no-peers] [--skip-peer rumdl|markdownlint|remark]
#                      [--no-scale] [--page CORPUS=PATH] [--timeout SECONDS]
#                      [--cpu LIST]
#
# Corpora are the folders of $CORPUS_DIR (default ../shared/corpus from
# the repository root, wherever the script is started). For each: the
# floor, courselint --jobs=1, courselint with its default jobs, a one-page
# run (a page named on the command line, with a
# check that it reports what the full run reports for that page), and the
# peers with comparable rules: rumdl (MD001 MD024 MD025 MD051 MD057),
# markdownlint-cli2 (MD001 MD024 MD025 MD051; it has no rule for missing
# files) and remark-cli with remark-validate-links. Then the largest corpus
# copied 4 times (hard links under build/bench/, never committed) for the
# floor and courselint. Prints one table of medians, ratios and peak memory
# (maximum resident set size from /usr/bin/time), and the issue's targets.
#
# --cpu runs the floor and the one-thread courselint rows on these CPUs
# only (taskset's list): the CPUs of a virtual machine need not be equally
# fast, and a one-thread ratio is only fair on one CPU. Here the slow CPU
# changed within a minute, which one series after another cannot undo:
# tests/bench/paired.sh --cpu interleaves. The targets section says how
# long one floor took on each CPU at the time.
#
# Peers are installed from npm into $BENCH_CACHE (default
# ~/.cache/courselint-bench) when missing; nothing else uses the network.
# A peer that cannot be installed or fails says so in the table. Timing
# uses hyperfine when it is there or can be installed (Debian), otherwise a
# loop of its own; both report the median.
set -u
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/common.sh"
build=${BUILD:-build}
case $build in /*) ;; *) build="$repo/$build" ;; esac
cl="$build/courselint"
work="$build/bench"
cache=${BENCH_CACHE:-$HOME/.cache/courselint-bench}
corpus_dir=${CORPUS_DIR:-$repo/../shared/corpus}

runs=5
peer_runs=3
peers=1
scale=1
timeout_s=900
skip=" "
pin_cpus=""
corpora=()
declare -A page=(
  [microsoft__IoT-For-Beginners]=translations/zh/2-farm/lessons/3-automated-plant-watering/README.md
  [kubernetes__community]=contributors/guide/contributor-cheatsheet/README-ko.md
  [rust-lang__book]=src/ch02-00-guessing-game-tutorial.md
)

# Peer versions, pinned so that a table can be reproduced.
RUMDL_PKG=@rumdl/cli-linux-x64@0.2.77
MDL_PKG=markdownlint-cli2@0.24.1
REMARK_PKGS="remark-cli@12.0.1 remark-validate-links@13.1.0"

die() { echo "bench: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
  case $1 in
    --corpus) corpora+=("$2"); shift ;;
    --corpus=*) corpora+=("${1#*=}") ;;
    --runs) runs=$2; shift ;;
    --runs=*) runs=${1#*=} ;;
    --peer-runs) peer_runs=$2; shift ;;
    --peer-runs=*) peer_runs=${1#*=} ;;
    --no-peers) peers=0 ;;
    --skip-peer) skip+="$2 "; shift ;;
    --skip-peer=*) skip+="${1#*=} " ;;
    --no-scale) scale=0 ;;
    --page) page[${2%%=*}]=${2#*=}; shift ;;
    --page=*) v=${1#*=}; page[${v%%=*}]=${v#*=} ;;
    --timeout) timeout_s=$2; shift ;;
    --timeout=*) timeout_s=${1#*=} ;;
    --cpu) pin_cpus=$2; shift ;;
    --cpu=*) pin_cpus=${1#*=} ;;
    -h|--help) sed -n '2,33p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
  shift
done
case $runs$peer_runs in *[!0-9]*) die "--runs and --peer-runs take numbers" ;; esac
[ "$runs" -ge 1 ] && [ "$peer_runs" -ge 1 ] || die "runs must be at least 1"
[ -x "$cl" ] || die "$cl is missing: run make first"
pin_to "$pin_cpus"

# ---- tools -----------------------------------------------------------------

apt_install() { # package: install from Debian as root or through sudo
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get install -y -qq "$1" >/dev/null 2>&1 ||
    { $sudo apt-get update -qq >/dev/null 2>&1 &&
      $sudo apt-get install -y -qq "$1" >/dev/null 2>&1; }
}

[ -x /usr/bin/time ] || apt_install time
[ -x /usr/bin/time ] || die "/usr/bin/time is missing and cannot be installed"
command -v hyperfine >/dev/null || apt_install hyperfine
have_hyperfine=0
command -v hyperfine >/dev/null && have_hyperfine=1

mkdir -p "$work"
# The cache of hook runs (README, "Speed") goes to a folder of the
# benchmark's own, emptied first: the first hook run fills it.
export XDG_CACHE_HOME="$work/xdg-cache"
unset CI # the hook as an author runs it
rm -rf "$XDG_CACHE_HOME"
cc -O2 -std=c11 -Wall -Wextra -o "$work/floor" "$here/floor.c" \
  $(pkg-config --cflags --libs libcmark) || die "cannot build the floor program"

# ---- peers -----------------------------------------------------------------

declare -A peer_cmd=() peer_why=()
install_peers() {
  mkdir -p "$cache"
  local bin="$cache/node_modules"
  if ! command -v npm >/dev/null; then
    apt_install npm
  fi
  want() { # name, test path, packages...
    local name=$1 path=$2; shift 2
    case $skip in *" $name "*) peer_why[$name]="skipped (--skip-peer)"; return 1 ;; esac
    if [ ! -e "$path" ]; then
      if ! command -v npm >/dev/null; then
        peer_why[$name]="not installed: npm is missing"; return 1
      fi
      echo "bench: installing $* into $cache" >&2
      if ! npm install --no-audit --no-fund --silent --prefix "$cache" "$@" \
           >"$work/npm-$name.log" 2>&1 || [ ! -e "$path" ]; then
        peer_why[$name]="not installed: npm install $* failed (see $work/npm-$name.log)"
        return 1
      fi
    fi
    return 0
  }
  if want rumdl "$bin/@rumdl/cli-linux-x64/rumdl" "$RUMDL_PKG"; then
    # --no-cache: rumdl would otherwise write .rumdl_cache into the corpus.
    peer_cmd[rumdl]="$bin/@rumdl/cli-linux-x64/rumdl check --no-config --no-cache --color never --enable MD001,MD024,MD025,MD051,MD057 ."
  fi
  if want markdownlint "$bin/markdownlint-cli2/markdownlint-cli2-bin.mjs" "$MDL_PKG"; then
    cat >"$work/bench.markdownlint-cli2.jsonc" <<'EOF'
{
  "config": {"default": false, "MD001": true, "MD024": true, "MD025": true,
             "MD051": true},
  "globs": ["**/*.md"],
  "ignores": ["**/node_modules/**"],
  "gitignore": false
}
EOF
    peer_cmd[markdownlint]="node $bin/markdownlint-cli2/markdownlint-cli2-bin.mjs --config $work/bench.markdownlint-cli2.jsonc"
  fi
  if want remark "$bin/remark-validate-links/index.js" $REMARK_PKGS &&
     [ -e "$bin/remark-cli/cli.js" ]; then
    peer_cmd[remark]="node $bin/remark-cli/cli.js --no-config --no-ignore --no-color --no-stdout --quiet --frail --use $bin/remark-validate-links/index.js=repository:false ."
  elif [ -z "${peer_why[remark]:-}" ]; then
    peer_why[remark]="not installed: remark-cli is missing from $cache"
  fi
}
[ $peers = 1 ] && install_peers

# ---- measuring -------------------------------------------------------------

# time_cmd DIR RUNS CMD...: prints the median wall time in seconds. The
# command's exit status may be 0 or 1 (findings); anything else fails.
time_cmd() {
  local dir=$1 n=$2; shift 2
  if [ $have_hyperfine = 1 ]; then
    (cd "$dir" && hyperfine -N -i --style none --warmup 1 --runs "$n" \
       --export-json "$work/h.json" -- "$*" >/dev/null 2>&1) || return 1
    grep -o '"median": *[0-9.e+-]*' "$work/h.json" | head -1 |
      sed 's/.*: *//' | awk '{printf "%.4f\n", $1}'
  else
    local i t0 t1
    for ((i = 0; i < n; i++)); do
      t0=$(date +%s%N)
      (cd "$dir" && "$@" >/dev/null 2>&1)
      [ $? -le 1 ] || return 1
      t1=$(date +%s%N)
      echo $(( (t1 - t0) / 1000 ))
    done | sort -n | awk '{a[NR] = $1} END {
      m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
      printf "%.4f\n", m / 1e6 }'
  fi
}

# probe DIR CMD...: one run under /usr/bin/time and a time limit. Sets
# probe_rc, probe_mb (peak resident MB) and probe_s (wall seconds).
probe() {
  local dir=$1; shift
  (cd "$dir" && /usr/bin/time -f '%M %e' -o "$work/time.out" \
     timeout "$timeout_s" "$@" >"$work/probe.out" 2>"$work/probe.err")
  probe_rc=$?
  # time says "Command exited with non-zero status 1" first, then ours.
  read -r kb probe_s < <(tail -1 "$work/time.out" 2>/dev/null) || { kb=0; probe_s=0; }
  probe_s=${probe_s//[!0-9.]/}
  [ -n "$probe_s" ] || probe_s=0
  probe_mb=$(awk -v k="${kb//[!0-9]/}" 'BEGIN {printf "%.0f", k / 1024}')
}

results="$work/results.md"
: >"$results"
row() { printf '| %s | %s | %s | %s | %s | %s |\n' "$@" | tee -a "$results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "-"}'; }
ms() { awk -v s="$1" 'BEGIN {if (s < 1) printf "%.0f ms", s * 1000; else printf "%.2f s", s}'; }

# measure DIR TIMED_RUNS CMD...: a probe run (peak memory, a time limit),
# then timed runs. Sets last_s (median seconds) and last_mb, or last_err.
measure() {
  local dir=$1 n=$2; shift 2
  last_s="" last_mb="-" last_err=""
  probe "$dir" "$@"
  if [ $probe_rc = 124 ]; then
    last_err="timed out after ${timeout_s} s"
    return
  fi
  if [ $probe_rc -gt 1 ]; then
    last_err="failed, exit $probe_rc: $(head -c 150 "$work/probe.err" | tr '\n|' '  ')"
    return
  fi
  last_mb=$probe_mb
  if [ "$n" -le 1 ]; then
    last_s=$probe_s
  else
    last_s=$(time_cmd "$dir" "$n" "$@") || { last_s=""; last_err="a timed run failed"; }
  fi
}

# report CORPUS RUN NOTE: a table row for the last measure.
report() {
  if [ -n "$last_err" ]; then
    row "$1" "$2" "-" "-" "$last_mb" "$last_err"
  else
    row "$1" "$2" "$(ms "$last_s")" "$(ratio "$last_s" "$floor_s")" "$last_mb" "$3"
  fi
}

# ---- corpora ---------------------------------------------------------------

if [ ${#corpora[@]} -eq 0 ]; then
  for d in "$corpus_dir"/*/; do corpora+=("$d"); done
fi
[ ${#corpora[@]} -gt 0 ] || die "no corpus in $corpus_dir"

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
mem=$(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)
echo "Machine: $(nproc) cores ($cpu), $mem memory; load average at start $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
echo "Runs: median of $runs (courselint, floor), $peer_runs (peers); timer: $([ $have_hyperfine = 1 ] && echo hyperfine || echo shell loop)" | tee -a "$results"
echo | tee -a "$results"
row "corpus" "run" "median" "× floor" "peak MB" "notes"
row "---" "---" "---:" "---:" "---:" "---"

declare -A F J1 JD ONE HOOK HOOKC MEM SAME RUMDL PAR CPUS
names=()
largest="" largest_bytes=0
for c in "${corpora[@]}"; do
  [ -d "$c" ] || c="$corpus_dir/$c"
  [ -d "$c" ] || die "no corpus '$c'"
  dir=$(cd "$c" && pwd)
  name=$(basename "$dir")
  names+=("$name")
  list="$work/$name.list"
  list_pages "$dir" "$list"
  bytes=$(cd "$dir" && tr '\n' '\0' <"$list" | xargs -0 cat | wc -c)
  npages=$(wc -l <"$list")
  if [ "$bytes" -gt "$largest_bytes" ]; then largest=$dir; largest_bytes=$bytes; fi
  label="$name ($npages pages, $((bytes / 1048576)) MB)"

  floor_s=0
  measure "$dir" "$runs" "${pin[@]}" "$work/floor" "$list"
  [ -n "$last_s" ] || die "the floor program failed on $name: $last_err"
  floor_s=$last_s
  F[$name]=$floor_s
  report "$label" "floor" "libcmark parse only, 1 thread${pin_cpus:+, CPU $pin_cpus}"
  # Are the cores free? Two floors at once take as long as one when there
  # is a free core for each; other work on the machine shows up here.
  if [ "$(nproc)" -ge 2 ]; then
    t0=$(date +%s%N)
    (cd "$dir" && { "$work/floor" "$list" 2>/dev/null & "$work/floor" "$list" 2>/dev/null; wait; })
    t1=$(date +%s%N)
    PAR[$name]=$(awk -v a="$(( (t1 - t0) / 1000 ))" -v f="$floor_s" 'BEGIN {printf "%.2f", a / 1e6 / f}')
    last_s=$(awk -v a="$(( (t1 - t0) / 1000 ))" 'BEGIN {printf "%.4f", a / 1e6}') last_err="" last_mb="-"
    report "$label" "2 floors at once" "${PAR[$name]}× one floor: 1.0 when two cores are free"
    # Are the cores equally fast? The two of a virtual machine need not
    # be (tests/bench/README.md, sixth round), and a one-thread series
    # whose floor and courselint ran on different ones measures that.
    if command -v taskset >/dev/null; then
      CPUS[$name]=""
      for ((k = 0; k < $(nproc) && k < 8; k++)); do
        t0=$(date +%s%N)
        (cd "$dir" && taskset -c "$k" "$work/floor" "$list" >/dev/null 2>&1) || continue
        t1=$(date +%s%N)
        CPUS[$name]+="${CPUS[$name]:+, }CPU $k $(( (t1 - t0) / 1000000 )) ms"
      done
    fi
  fi
  measure "$dir" "$runs" "${pin[@]}" "$cl" -q --color=never --jobs=1 --root .
  J1[$name]=$last_s MEM[$name]=$last_mb
  report "$label" "courselint --jobs=1" "all default checks${pin_cpus:+, CPU $pin_cpus}"
  measure "$dir" "$runs" "$cl" -q --color=never --root .
  JD[$name]=$last_s
  report "$label" "courselint" "default --jobs: one thread per core"

  # One page, as a pre-commit hook runs it: the same findings for that
  # page as the full run?
  p=${page[$name]:-}
  if [ -z "$p" ] || [ ! -f "$dir/$p" ]; then
    p=$(awk -F/ 'NF > 2' "$list" | head -1)
  fi
  (cd "$dir" && "$cl" --color=never --root . >"$work/full.out" 2>/dev/null)
  (cd "$dir" && "$cl" --color=never --root . --no-referrers "$p" \
     >"$work/one.out" 2>/dev/null)
  grep -F "$p:" "$work/full.out" | grep "^$p:" >"$work/full-page.out"
  if cmp -s "$work/full-page.out" "$work/one.out"; then
    SAME[$name]="same $(wc -l <"$work/one.out") findings as the full run"
  else
    SAME[$name]="DIFFERENT findings from the full run"
  fi
  measure "$dir" "$runs" "$cl" -q --color=never --root . --no-referrers "$p"
  ONE[$name]=$last_s
  report "$label" "courselint one page" "\`$p\`: ${SAME[$name]}"
  # The same page as the pre-commit hook checks it: with the other pages
  # whose references into it it would break (every page searched, the
  # few that may refer to it parsed). The warm-up runs fill the cache
  # (a hook's runs after the first); then once without it.
  measure "$dir" "$runs" "$cl" -q --color=never --root . "$p"
  HOOK[$name]=$last_s
  report "$label" "courselint one page and its referrers" "$( [ -n "$last_s" ] &&
    echo "$(ratio "$last_s" "${JD[$name]}")× the full run; cache filled by the warm-up")"
  measure "$dir" "$runs" "$cl" -q --color=never --root . --no-cache "$p"
  HOOKC[$name]=$last_s
  report "$label" "courselint one page and its referrers, --no-cache" "$( [ -n "$last_s" ] &&
    echo "$(ratio "$last_s" "${JD[$name]}")× the full run: every folder listed, every page read")"

  [ $peers = 1 ] || continue
  for peer in rumdl markdownlint remark; do
    case $peer in
      rumdl) title="rumdl MD001 MD024 MD025 MD051 MD057" ;;
      markdownlint) title="markdownlint-cli2 MD001 MD024 MD025 MD051" ;;
      remark) title="remark-cli + remark-validate-links" ;;
    esac
    if [ -z "${peer_cmd[$peer]:-}" ]; then
      last_err=${peer_why[$peer]:-not run} last_mb="-"
      report "$label" "$title" ""
      continue
    fi
    measure "$dir" "$peer_runs" ${peer_cmd[$peer]}
    [ $peer = rumdl ] && RUMDL[$name]=$last_s
    report "$label" "$title" "$( [ -n "$last_s" ] && [ -n "${JD[$name]}" ] &&
      echo "courselint (default jobs) $(ratio "$last_s" "${JD[$name]}")× faster")"
  done
done

# ---- scaling: the largest corpus 4 times ---------------------------------

if [ $scale = 1 ] && [ -n "$largest" ]; then
  name=$(basename "$largest")
  x4="$work/x4-$name"
  if [ ! -f "$x4/.complete" ]; then
    rm -rf "$x4"
    mkdir -p "$x4"
    for i in 1 2 3 4; do
      cp -al "$largest" "$x4/copy$i" 2>/dev/null || cp -a "$largest" "$x4/copy$i" ||
        die "cannot copy $largest to $x4"
    done
    chmod -R u+w "$x4"
    touch "$x4/.complete"
  fi
  list="$work/x4.list"
  list_pages "$x4" "$list"
  label="$name × 4 ($(wc -l <"$list") pages)"
  measure "$x4" "$runs" "${pin[@]}" "$work/floor" "$list"
  floor_s=$last_s
  report "$label" "floor" "$(ratio "$floor_s" "${F[$name]}")× the floor of one copy"
  measure "$x4" "$runs" "${pin[@]}" "$cl" -q --color=never --jobs=1 --root .
  x4j1=$last_s x4mem=$last_mb
  report "$label" "courselint --jobs=1" "$( [ -n "$last_s" ] && echo "$(ratio "$last_s" "${J1[$name]}")× one copy")"
  measure "$x4" "$runs" "$cl" -q --color=never --root .
  report "$label" "courselint" "$( [ -n "$last_s" ] && echo "$(ratio "$last_s" "${JD[$name]}")× one copy")"
fi

# ---- the issue's targets, on the largest corpus -------------------------

check() { # description, value, limit, "le" or "ge"
  local ok
  ok=$(awk -v v="$2" -v l="$3" -v op="$4" 'BEGIN {
    if (v == "" || v == "-") print "n/a"
    else if (op == "le") print (v + 0 <= l + 0 ? "met" : "MISSED")
    else print (v + 0 >= l + 0 ? "met" : "MISSED") }')
  printf -- '- %s: %s (target %s %s): %s\n' "$1" "${2:-n/a}" \
    "$([ "$4" = le ] && echo "≤" || echo "≥")" "$3" "$ok" | tee -a "$results"
}
if [ -n "$largest" ]; then
  n=$(basename "$largest")
  echo | tee -a "$results"
  echo "Targets on $n ($(nproc) cores):" | tee -a "$results"
  check "courselint --jobs=1 / floor" "$(ratio "${J1[$n]}" "${F[$n]}")" 1.30 le
  check "courselint default jobs / floor" "$(ratio "${JD[$n]}" "${F[$n]}")" 0.75 le
  [ -n "${RUMDL[$n]:-}" ] &&
    check "rumdl / courselint default jobs" "$(ratio "${RUMDL[$n]}" "${JD[$n]}")" 5 ge
  check "peak memory of courselint --jobs=1, MB" "${MEM[$n]}" 100 le
  [ -n "${x4j1:-}" ] &&
    check "4 copies / 1 copy, courselint --jobs=1" "$(ratio "$x4j1" "${J1[$n]}")" 4.2 le &&
    check "peak memory on 4 copies, MB (grows with the index)" "$x4mem" 400 le
  check "one-page run, ms" "$(awk -v s="${ONE[$n]}" 'BEGIN {printf "%.0f", s * 1000}')" 100 le
  check "one-page run / full run" "$(ratio "${ONE[$n]}" "${JD[$n]}")" 0.1 le
  check "one page and its referrers (the hook) / full run" \
    "$(ratio "${HOOK[$n]}" "${JD[$n]}")" 0.2 le
  echo "- the same without the cache (a first run, or --no-cache) / full run: $(ratio "${HOOKC[$n]}" "${JD[$n]}")" | tee -a "$results"
  echo "- one-page findings: ${SAME[$n]}" | tee -a "$results"
  [ -n "${PAR[$n]:-}" ] &&
    echo "- two floors at once took ${PAR[$n]}× one floor (1.0 with two free cores; 2.0 when only one core is free for this benchmark, and then default --jobs cannot gain)" | tee -a "$results"
  [ -n "${CPUS[$n]:-}" ] &&
    echo "- one floor pinned to each CPU: ${CPUS[$n]} (when these differ, a one-thread ratio depends on where its runs landed: tests/bench/paired.sh --cpu compares on one CPU)" | tee -a "$results"
fi
echo "bench: table saved in $results" >&2
