#!/usr/bin/env bash
# courselint --fix end to end, on a copy of fixtures/fix-diff/input: the
# pages end up exactly as `patch -p1` of the --diff output makes them
# (BOM, CRLF and every other byte kept), modes survive, and a second run
# has nothing left to do. Then the cases of issues 12 and 17: Ctrl-C, a
# page being written by another program, pages that cannot be fixed,
# a page under two names, fixes that touch, stale temporary files,
# read-only pages and pages of other users. Prints TAP.
# usage: fix_cli.sh path/to/courselint
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$(dirname "$0")/../../fixtures/fix-diff/input" && pwd)
. "$(dirname "$0")/../lib/tap.sh"

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

# fresh NAME: an empty course folder $tmp/NAME, readable by everyone (the
# cases run as another user need that).
fresh() {
  rm -rf "${tmp:?}/$1"
  mkdir -p "$tmp/$1"
  chmod 755 "$tmp" "$tmp/$1"
  c="$tmp/$1"
}
# lint DIR ARGS...: run the CLI in DIR; stdout to DIR/../out, stderr to
# DIR/../err, the exit status in $rc.
lint() {
  local d=$1
  shift
  (cd "$d" && "$bin" --color=never --root . "$@" >"$d/../out" 2>"$d/../err")
  rc=$?
}
tmp_files() { find "$1" -name '.*.courselint-*' -o -name '.courselint-??????'; }

# ---- issue 12: Ctrl-C during --fix leaves no temporary file -----------
# A 50 MB page takes long enough to write, sync and check again that the
# interrupt lands while its temporary file exists. (Background jobs of a
# script ignore SIGINT; env gives it back its default action.)
fresh sigint
{
  printf '# Big\n\n- [] a\n\n'
  head -c 50000000 /dev/zero | tr '\0' 'x' | fold -w 99
} >"$c/big.md"
cp "$c/big.md" "$tmp/big.orig"
(cd "$c" && exec env --default-signal=INT "$bin" -q --root . --fix big.md \
   >/dev/null 2>&1) &
pid=$!
seen=0
while kill -0 "$pid" 2>/dev/null; do
  if [ -n "$(tmp_files "$c")" ]; then
    kill -INT "$pid"
    seen=1
    break
  fi
done
wait "$pid"
t "Ctrl-C during --fix: the interrupt came while a temporary file existed" \
  test "$seen" = 1
t "Ctrl-C during --fix leaves no temporary file" test -z "$(tmp_files "$c")"
t "Ctrl-C during --fix leaves the page whole (old or fixed)" \
  test "$(stat -c %s "$c/big.md")" -ge "$(stat -c %s "$tmp/big.orig")"
rm -f "$c/big.md" "$tmp/big.orig"

# ---- issue 17.11: a page another program is writing is not fixed -------
# The writer has written half the page and holds it open; the rest waits
# for a line on a FIFO, so the run sees exactly half.
fresh writer
{
  printf '# Page\n\n- [] a\n\n'
  for i in $(seq 2000); do echo "line $i of the page, which is long enough"; done
} >"$tmp/whole.md"
size=$(stat -c %s "$tmp/whole.md")
head -c $((size / 2)) "$tmp/whole.md" >"$tmp/half1"
tail -c +$((size / 2 + 1)) "$tmp/whole.md" >"$tmp/half2"
mkfifo "$tmp/go"
(
  exec 3>"$c/page.md"
  cat "$tmp/half1" >&3
  read -r _ <"$tmp/go"
  cat "$tmp/half2" >&3
) &
wpid=$!
for _ in $(seq 1000); do
  [ "$(stat -c %s "$c/page.md" 2>/dev/null)" = $((size / 2)) ] && break
  sleep 0.01
done
lint "$c" --fix page.md
echo go >"$tmp/go"
wait "$wpid"
t "a page being written by another program: --fix exits 2" test "$rc" -eq 2
t "... and says so" grep -q "page.md: is open for writing by another program" "$tmp/err"
t "... and the writer's page is whole" cmp "$c/page.md" "$tmp/whole.md"

# ---- issue 17.12: a page that cannot be fixed does not hide the rest ----
fresh partial
printf '# A\n\n- [] a\n\n[gone](gone.md)\n' >"$c/a.md"
ln "$c/a.md" "$c/a-link.md"
printf '# B\n\n- [] b\n' >"$c/b.md"
lint "$c" --fix --report "$tmp/partial.html"
t "a page not fixed: --fix exits 2" test "$rc" -eq 2
t "... names it and says why" grep -Eq "^courselint: a(-link)?.md: has 2 hard links" "$tmp/err"
t "... says how many were not fixed" grep -q "1 file not fixed" "$tmp/err"
t "... still fixes the others" grep -qx -- '- \[ \] b' "$c/b.md"
t "... still prints the findings" grep -q "a.md:5:1: error: link target 'gone.md' does not exist" "$tmp/out"
t "... and the unfixed box" grep -q "a.md:3:3: error: checkbox '\[\]'" "$tmp/out"
t "... and writes the report" grep -q "gone.md" "$tmp/partial.html"

# ---- issue 17.13: a page under two names is one file ------------------
fresh alias
printf '# P\n\n- [] a\n' >"$c/page.md"
ln -s page.md "$c/alias.md"
cp -a "$c" "$tmp/alias-patched"
lint "$c" --fix --diff
cp "$tmp/out" "$tmp/alias.diff"
t "a page and a symlink to it: the diff shows the file once" \
  test "$(grep -c '^+++ ' "$tmp/alias.diff")" -eq 1
t "... under its own name" grep -qx '+++ b/page.md' "$tmp/alias.diff"
(cd "$tmp/alias-patched" && patch -s -p1 <"$tmp/alias.diff" >/dev/null 2>&1)
t "... and it applies with patch -p1" test $? -eq 0
lint "$c" --fix
t "a page and a symlink to it: --fix succeeds" test "$rc" -eq 0
t "... fixes the page" cmp "$c/page.md" "$tmp/alias-patched/page.md"
t "... and keeps the symlink" test -L "$c/alias.md"

# ---- issue 17.14: fixes on one line compose in one run ----------------
fresh compose
printf '# T\n\n- []x\n- [ x]y\n- [ ]z\n' >"$c/t.md"
lint "$c" --fix
t "'- []x' and '- [ x]y': one --fix run fixes both problems" \
  test "$(cat "$c/t.md")" = "$(printf '# T\n\n- [ ] x\n- [x] y\n- [ ] z')"
lint "$c" --fix --diff
t "... and a second run changes nothing" test "$rc" -eq 0 -a ! -s "$tmp/out"

# ---- issue 17.15: stale temporary files of a killed run go -------------
fresh stale
printf '# S\n\n- [] a\n' >"$c/s.md"
printf 'left by kill -9' >"$c/.s.md.courselint-Ab12Cd"
printf 'too new' >"$c/.s.md.courselint-Zz99Yy"
printf 'not ours' >"$c/.s.md.courselint-short"
printf 'other page' >"$c/.t.md.courselint-Ab12Cd"
printf 'target' >"$tmp/stale-target"
ln -s "$tmp/stale-target" "$c/.s.md.courselint-Sym123"
touch -h -d '1 hour ago' "$c/.s.md.courselint-Ab12Cd" "$c/.s.md.courselint-short" \
  "$c/.t.md.courselint-Ab12Cd" "$c/.s.md.courselint-Sym123"
touch -d '1 hour' "$c/.s.md.courselint-Zz99Yy" # from a run still going
lint "$c" --fix --diff
t "--fix --diff removes no stale temporary file" test -f "$c/.s.md.courselint-Ab12Cd"
lint "$c" --fix
t "--fix removes the stale temporary file of a page it fixes" \
  test ! -e "$c/.s.md.courselint-Ab12Cd"
t "... but not one newer than the run" test -f "$c/.s.md.courselint-Zz99Yy"
t "... nor a name it would not make" test -f "$c/.s.md.courselint-short"
t "... nor one of a page it does not fix" test -f "$c/.t.md.courselint-Ab12Cd"
t "... nor a symlink, nor what it points to" \
  test -L "$c/.s.md.courselint-Sym123" -a -f "$tmp/stale-target"

# ---- issue 17.16: pages the user could not write in place --------------
# As root, the cases run as nobody (setpriv); otherwise as the user.
as_user=()
if [ "$(id -u)" = 0 ]; then
  command -v setpriv >/dev/null &&
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
if [ "$(id -u)" != 0 ] || [ ${#as_user[@]} -gt 0 ]; then
  fresh perms
  printf '# R\n\n- [] a\n' >"$c/ro.md"
  printf '# W\n\n- [] w\n' >"$c/w.md"
  chmod 444 "$c/ro.md"
  if [ ${#as_user[@]} -gt 0 ]; then
    chown 65534:65534 "$c" "$c/ro.md" "$c/w.md"
  fi
  cp -p "$c/ro.md" "$tmp/ro.orig"
  (cd "$c" && "${as_user[@]}" "$bin" -q --root . --fix >"$tmp/out" 2>"$tmp/err")
  rc=$?
  t "a read-only page (0444) is not fixed" cmp "$c/ro.md" "$tmp/ro.orig"
  t "... --fix says so and exits 2" grep -q "ro.md: cannot be written (mode 0444)" "$tmp/err"
  t "... with exit status 2" test "$rc" -eq 2
  t "... and still fixes a writable page" grep -qx -- '- \[ \] w' "$c/w.md"
fi
if [ ${#as_user[@]} -gt 0 ]; then
  fresh others
  chmod 777 "$c"
  printf '# O\n\n- [] a\n' >"$c/theirs.md"
  chmod 666 "$c/theirs.md" # writable by all, but root's
  (cd "$c" && "${as_user[@]}" "$bin" -q --root . --fix >"$tmp/out" 2>"$tmp/err")
  rc=$?
  t "a page of another user is not handed to us" test "$(stat -c %u "$c/theirs.md")" = 0
  t "... nor changed" grep -qx -- '- \[\] a' "$c/theirs.md"
  t "... and --fix says why" grep -q "theirs.md: belongs to user 0" "$tmp/err"
  t "... leaving no temporary file" test -z "$(tmp_files "$c")"
fi
echo "1..$n"
