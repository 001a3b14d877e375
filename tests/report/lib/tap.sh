# tap.sh - TAP lines for the script tests of tests/report/ (sourced, not
# run: tests/run.sh runs only the scripts one folder up). Each test
# counts in n; the script prints "1..$n" at its end.
n=0

ok() { # ok NAME CONDITION...: one TAP line, ok when CONDITION succeeds
  local name=$1
  shift
  n=$((n + 1))
  if "$@"; then echo "ok $n - $name"; else echo "not ok $n - $name"; fi
}

same() { # same NAME WANT GOT: exact output, with a diff when it differs
  n=$((n + 1))
  if [ "$2" = "$3" ]; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"
    diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | sed 's/^/# /'
  fi
}
