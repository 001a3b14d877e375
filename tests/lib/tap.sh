# tap.sh - sourced by the script tests under tests/report/: a temporary
# folder $tmp (removed on exit) and t NAME COMMAND..., which runs COMMAND
# quietly and prints one TAP line for it. The script prints the plan.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
t() { # t NAME COMMAND...: one TAP line
  local name=$1
  shift
  n=$((n + 1))
  if "$@" >/dev/null 2>&1; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
}
