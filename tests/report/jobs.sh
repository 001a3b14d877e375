#!/usr/bin/env bash
# The output never depends on --jobs: every golden fixture, linted with
# --jobs=1 and with --jobs=4, gives the same stdout, stderr and exit
# status. Under `make tsan` this is also what runs the library on several
# threads whatever the machine's core count. Prints TAP.
# usage: jobs.sh path/to/courselint
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for dir in "$top"/fixtures/*/; do
  [ -d "$dir/input" ] || continue
  args=(--root .)
  [ -f "$dir/args" ] && mapfile -t args <"$dir/args"
  # --fix without --diff would rewrite the fixture; --report writes a file.
  case " ${args[*]} " in
  *" --fix "*) case " ${args[*]} " in *" --diff "*) ;; *) continue ;; esac ;;
  esac
  case " ${args[*]} " in *" --report "*) continue ;; esac
  for j in 1 4; do
    (cd "$dir/input" && "$bin" --color=never -q --jobs=$j "${args[@]}" \
       >"$tmp/out$j" 2>"$tmp/err$j"; echo $? >"$tmp/rc$j")
  done
  n=$((n + 1))
  name=$(basename "$dir")
  if cmp -s "$tmp/out1" "$tmp/out4" && cmp -s "$tmp/err1" "$tmp/err4" &&
     cmp -s "$tmp/rc1" "$tmp/rc4"; then
    echo "ok $n - $name: same output with --jobs=1 and --jobs=4"
  else
    echo "not ok $n - $name: output differs between --jobs=1 and --jobs=4"
    diff "$tmp/out1" "$tmp/out4" | head -5
    diff "$tmp/err1" "$tmp/err4" | head -5
  fi
done
echo "1..$n"
