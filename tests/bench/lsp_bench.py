#!/usr/bin/env python3
"""`make bench`, the editor server: replays edits against `courselint lsp`
on a real corpus and measures what an author feels.

  tests/bench/lsp_bench.py path/to/courselint [--corpus DIR] [--page REL]...
                           [--keys N] [--runs N]

For each corpus (default: the largest folder of ../shared/corpus): the
first index (initialized until the server answers a request) against a
full `courselint --jobs=1` and default-jobs run of the same course; then,
on each page, N keystrokes typed one at a time (incremental changes,
each waiting for the diagnostics of its version), a link typed broken and
fixed, and a heading renamed and restored while a page that links to it
watches for its diagnostics. Prints the latencies (median, 95th
percentile, worst) and the server's peak memory (VmHWM) against the
CLI's (/usr/bin/time). Targets (issue 16): p95 within 50 ms, first index
no slower than a full run, memory within twice a full run's peak.
Nothing here is a test: numbers only.
"""
import argparse
import os
import re
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lsp"))
from lspclient import Client, uri  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

DEFAULT_PAGES = {
    "microsoft__IoT-For-Beginners": [
        "1-getting-started/lessons/1-introduction-to-iot/README.md",
        "translations/zh/2-farm/lessons/3-automated-plant-watering/README.md",
    ],
}


def pct(v, p):
    v = sorted(v)
    if not v:
        return float("nan")
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k]


def ms(s):
    return "%.1f ms" % (s * 1000)


def cli_run(binary, root, jobs):
    """Wall seconds, peak MB and CPU seconds of a full CLI run."""
    t0 = time.time()
    p = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", binary, "-q",
                        "--color=never", "--root", root] +
                       (["--jobs=%d" % jobs] if jobs else []),
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.time() - t0
    kb, user, system = p.stderr.decode().strip().splitlines()[-1].split()
    return wall, int(kb) / 1024.0, float(user) + float(system)


def cpu_s(pid):
    """CPU seconds (user and system) a process has used so far."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_mb(pid):
    with open("/proc/%d/status" % pid) as f:
        m = re.search(r"VmHWM:\s+(\d+) kB", f.read())
    return int(m.group(1)) / 1024.0


def wait_version(c, u, version, start, timeout=30):
    return c.wait_note(
        lambda m: m["method"] == "textDocument/publishDiagnostics" and
        m["params"]["uri"] == u and m["params"].get("version") == version,
        timeout, start)


def type_keys(c, path, keys, lat):
    """Type `keys` characters at the end of the page's first paragraph
    line, one change each, and time each version's diagnostics."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    u = uri(path)
    n = len(c.notes)
    c.open(path, text)
    wait_version(c, u, 1, n, 120)
    lines = text.split("\n")
    line = next((i for i, l in enumerate(lines)
                 if l.strip() and not l.startswith(("#", "|", "<", "!"))),
                len(lines) - 1)
    # The position in UTF-16 units of the line's end.
    ch = len(lines[line].encode("utf-16-le")) // 2
    word = "lorem ipsum dolor sit amet "
    version = 1
    for i in range(keys):
        version += 1
        n = len(c.notes)
        t0 = time.time()
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": u, "version": version},
            "contentChanges": [{
                "range": {"start": {"line": line, "character": ch},
                          "end": {"line": line, "character": ch}},
                "text": word[i % len(word)]}]})
        if wait_version(c, u, version, n) is None:
            raise RuntimeError("no diagnostics for version %d" % version)
        lat.append(time.time() - t0)
        ch += 1
    return version


def broken_link(c, path, version, rounds, lat):
    """Type a broken link on a new line and take it away, rounds times."""
    u = uri(path)
    with open(path, encoding="utf-8") as f:
        nlines = f.read().count("\n")
    for _ in range(rounds):
        for text in ("\n[x](no-such-page.md)\n", None):
            version += 1
            n = len(c.notes)
            if text:
                change = {"range": {"start": {"line": nlines + 1,
                                              "character": 0},
                                    "end": {"line": nlines + 1,
                                            "character": 0}},
                          "text": text}
            else:
                change = {"range": {"start": {"line": nlines + 1,
                                              "character": 0},
                                    "end": {"line": nlines + 3,
                                            "character": 0}},
                          "text": ""}
            t0 = time.time()
            c.notify("textDocument/didChange", {
                "textDocument": {"uri": u, "version": version},
                "contentChanges": [change]})
            m = wait_version(c, u, version, n)
            if m is None:
                raise RuntimeError("no diagnostics after a link edit")
            lat.append(time.time() - t0)
    return version


LINK = re.compile(r"\[[^\]\n]*\]\(([^)#\s:]+\.md)#([^)\s]+)\)")


def linked_heading(c, root):
    """A heading that another page links to by its fragment: (page, line
    of the heading, its text, the linking page's URI, the line of the
    link there), found through the server's own definition of such a
    link."""
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith("."))
        for fn in sorted(files):
            if not fn.endswith(".md"):
                continue
            path = os.path.join(d, fn)
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().split("\n")
            for i, l in enumerate(lines):
                m = LINK.search(l)
                if not m:
                    continue
                u = c.open(path)
                ch = len(l[:m.start()].encode("utf-16-le")) // 2 + 1
                r = c.result("textDocument/definition", {
                    "textDocument": {"uri": u},
                    "position": {"line": i, "character": ch}}, timeout=120)
                c.notify("textDocument/didClose", {"textDocument": {"uri": u}})
                if not r or r["uri"] == u:
                    break
                target = urllib.parse.unquote(r["uri"][len("file://"):])
                line = r["range"]["start"]["line"]
                with open(target, encoding="utf-8") as f:
                    tl = f.read().split("\n")
                if line > 0 and tl[line].startswith("#"):
                    return target, line, tl[line], u, i
                break
    return None


def rename_heading(c, root, rounds, lat):
    found = linked_heading(c, root)
    if not found:
        return None
    path, line, text, other, at = found

    def broken(m):
        """Whether publication m says the link at line `at` is broken."""
        return any(d.get("code") == "link/missing-anchor" and
                   d["range"]["start"]["line"] == at
                   for d in m["params"]["diagnostics"])
    u = c.open(path)
    version = 100
    current = text
    for i in range(rounds):
        for new in (text + " renamed", text):
            version += 1
            n = len(c.notes)
            t0 = time.time()
            c.notify("textDocument/didChange", {
                "textDocument": {"uri": u, "version": version},
                "contentChanges": [{
                    "range": {"start": {"line": line, "character": 0},
                              "end": {"line": line,
                                      "character": len(current.encode(
                                          "utf-16-le")) // 2}},
                    "text": new}]})
            current = new
            # The publication that shows this edit: the link broken after
            # the rename, whole again after the restore (an earlier one,
            # from opening the page, must not count).
            want = new != text
            m = c.wait_note(
                lambda m: m["method"] == "textDocument/publishDiagnostics"
                and m["params"]["uri"] == other and broken(m) == want, 30, n)
            if m is None:
                raise RuntimeError("the linking page got no diagnostics")
            lat.append(time.time() - t0)
    return "%s:%d (%s), watched from %s" % (
        os.path.relpath(path, root), line + 1, text.strip()[:40],
        os.path.relpath(other[len("file://"):], root))


def bench(binary, root, pages, keys, rounds):
    name = os.path.basename(root.rstrip("/"))
    print("## %s" % name)
    # Medians of three: the machine may be shared.
    runs1 = [cli_run(binary, root, 1) for _ in range(3)]
    runsd = [cli_run(binary, root, 0) for _ in range(3)]
    j1, mem1 = pct([r[0] for r in runs1], 50), max(r[1] for r in runs1)
    jd, memd = pct([r[0] for r in runsd], 50), max(r[1] for r in runsd)
    cpud = pct([r[2] for r in runsd], 50)
    print("- full CLI run: %.2f s with --jobs=1 (%.0f MB), %.2f s with "
          "default jobs (%.0f MB, %.2f s of CPU)" % (j1, mem1, jd, memd, cpud))
    times, cpus = [], []
    for i in range(3):
        c = Client(binary, args=["--root", root])
        t0 = time.time()
        c.result("initialize", {"processId": os.getpid(),
                                "rootUri": uri(root), "capabilities": {}})
        c.notify("initialized", {})
        c.request("textDocument/hover", {
            "textDocument": {"uri": uri(os.path.join(root, "none.md"))},
            "position": {"line": 0, "character": 0}}, timeout=600)
        times.append(time.time() - t0)
        cpus.append(cpu_s(c.p.pid))
        if i < 2:
            c.close()
    index_s, index_cpu = pct(times, 50), pct(cpus, 50)
    print("- first index (initialized to the first answer): %.2f s, %.2f x "
          "the default-jobs full run; %.2f s of CPU, %.2f x its CPU" %
          (index_s, index_s / jd, index_cpu, index_cpu / cpud))
    typed, links, renames = [], [], []
    for rel in pages:
        path = os.path.join(root, rel)
        if not os.path.isfile(path):
            print("- %s: not in this corpus, skipped" % rel)
            continue
        version = type_keys(c, path, keys, typed)
        broken_link(c, path, version, rounds, links)
        c.notify("textDocument/didClose", {"textDocument": {"uri": uri(path)}})
    where = rename_heading(c, root, rounds, renames)
    mem = peak_mb(c.p.pid)
    c.close()
    for label, v in (("keystroke", typed), ("broken link typed / fixed",
                                             links),
                     ("heading renamed (other page)", renames)):
        if v:
            print("- %s: %d edits, median %s, p95 %s, worst %s" % (
                label, len(v), ms(pct(v, 50)), ms(pct(v, 95)), ms(max(v))))
    if where:
        print("  (heading: %s)" % where)
    allv = typed + links + renames
    print("- server peak memory: %.0f MB, %.2f x the --jobs=1 run's, %.2f x "
          "the default run's" % (mem, mem / mem1, mem / memd))
    print()
    print("Targets on %s:" % name)
    p95 = pct(allv, 95) * 1000
    print("- diagnostics after an edit, p95: %.1f ms (target <= 50): %s" %
          (p95, "met" if p95 <= 50 else "MISSED"))
    print("- first index / full run (default jobs): %.2f (target <= 1): %s"
          " (CPU time: %.2f)" % (index_s / jd, "met" if index_s <= jd * 1.0
                                 else "MISSED", index_cpu / cpud))
    worst_mem = max(mem1, memd)
    print("- peak memory / full run's peak: %.2f (target <= 2): %s" %
          (mem / worst_mem, "met" if mem <= 2 * worst_mem else "MISSED"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--corpus", action="append")
    ap.add_argument("--page", action="append")
    ap.add_argument("--keys", type=int, default=100)
    ap.add_argument("--runs", type=int, default=10,
                    help="rounds of the link and heading edits")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    corpus_dir = os.environ.get("CORPUS_DIR",
                                os.path.join(REPO, "..", "shared", "corpus"))
    corpora = a.corpus or ["microsoft__IoT-For-Beginners"]
    for co in corpora:
        root = co if os.path.isdir(co) else os.path.join(corpus_dir, co)
        if not os.path.isdir(root):
            print("lsp bench: no corpus %s" % co, file=sys.stderr)
            return 2
        root = os.path.realpath(root)
        pages = a.page or DEFAULT_PAGES.get(os.path.basename(root), [])
        bench(binary, root, pages, a.keys, a.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
