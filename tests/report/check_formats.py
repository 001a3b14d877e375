#!/usr/bin/env python3
"""Checks every machine format of courselint with a real parser of that
format: --format json/sarif/github/junit and --report .json/.html/.md, on a
course whose file names and links hold quotes, markup characters, commas,
colons, percent signs, non-ASCII letters, invalid UTF-8 and a newline.
Prints TAP ("ok N - name" / "not ok N - name"); tests/run.sh counts it.

usage: check_formats.py path/to/courselint
"""
import difflib
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
import xml.etree.ElementTree as ET

BIN = os.path.abspath(sys.argv[1])
results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def write(root, rel, text):
    rel = os.fsencode(rel) if isinstance(rel, str) else rel
    path = os.path.join(os.fsencode(root), rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(text.encode() if isinstance(text, str) else text)


def make_course(root):
    os.makedirs(os.path.join(root, ".git"))
    write(root, "README.md",
          "# Course\n\n[a](week1/01_plan.md) [b](week1/02_explainer.md)\n"
          "[c](café/été.md) [q](we\"ird.md) [n](week1/03_tasks.md)\n")
    write(root, "week1/01_plan.md",
          "# Plan\n\nSee [ch](02_explainer.md#chapter-7), "
          "[odd](a\"<&>'.md), [gh](a,b:c%25.md) and [tab](x%09y.md).\n")
    write(root, "week1/02_explainer.md",
          "# Explainer\n\n## Chapter 6\n\n## Summary\n")
    write(root, "week1/03_tasks.md",
          "# Tasks\n\n[again](02_explainer.md#chapter-7)\n")
    write(root, "café/été.md", "# Été\n\n[x](nulle-part.md)\n")
    write(root, 'we"ird.md', "# Weird\n\n[y](#nowhere)\n")
    write(root, b"bad\xff.md", b"# Bad \xff name\n\n[z](missing.md)\n")
    write(root, "new\nline.md", "# Newline\n\n[w](gone.md)\n")
    write(root, "week1/04_orphan.md", "# Nobody links here\n")


def run(root, *args):
    p = subprocess.run([BIN, "-q", "--color=never", "--root", "."] + list(args),
                       cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr


def check_json(root):
    rc, out, err = run(root, "--format", "json")
    check("json: exit status 1 with errors", rc == 1, err)
    try:
        doc = json.loads(out.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        check("json: parses as UTF-8 JSON", False, str(e))
        return None
    check("json: parses as UTF-8 JSON", True)
    keys = {"path", "line", "column", "end_line", "end_column", "severity",
            "rule", "message", "suggestion"}
    diags = doc.get("diagnostics", [])
    check("json: version 1", doc.get("version") == 1)
    check("json: every diagnostic has exactly the documented fields",
          diags and all(set(d) == keys for d in diags))
    s = doc.get("summary", {})
    check("json: summary fields",
          set(s) == {"files", "errors", "warnings", "references_checked",
                     "external_skipped"})
    check("json: summary counts match the diagnostics",
          s.get("errors", 0) + s.get("warnings", 0) == len(diags))
    paths = {d["path"] for d in diags}
    check("json: non-ASCII path kept", "café/été.md" in paths, paths)
    check("json: newline in a path escaped and kept", "new\nline.md" in paths)
    check("json: quote in a path kept", 'we"ird.md' in paths)
    check("json: invalid UTF-8 in a path becomes U+FFFD",
          "bad\ufffd.md" in paths, paths)
    msgs = " ".join(d["message"] for d in diags)
    check("json: markup characters kept in messages", "a\"<&>'.md" in msgs)
    check("json: suggestion is a string or null",
          all(d["suggestion"] is None or isinstance(d["suggestion"], str)
              for d in diags))
    return doc


def check_sarif(root, ref):
    rc, out, err = run(root, "--format", "sarif")
    try:
        doc = json.loads(out.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        check("sarif: parses as JSON", False, str(e))
        return
    check("sarif: parses as JSON", True)
    check("sarif: version 2.1.0", doc.get("version") == "2.1.0")
    r = doc["runs"][0]
    rules = r["tool"]["driver"]["rules"]
    ids = [x["id"] for x in rules]
    check("sarif: rules have help text",
          rules and all(x["help"]["text"] and x["shortDescription"]["text"]
                        for x in rules))
    res = r["results"]
    check("sarif: one result per diagnostic",
          len(res) == len(ref["diagnostics"]))
    check("sarif: ruleIndex names the rule",
          all(ids[x["ruleIndex"]] == x["ruleId"] for x in res))
    uris = [x["locations"][0]["physicalLocation"]["artifactLocation"]
            for x in res]
    check("sarif: locations relative to the course root",
          all(u["uriBaseId"] == "COURSEROOT" and not u["uri"].startswith("/")
              for u in uris))
    check("sarif: URIs are ASCII and percent-encoded",
          all(re.fullmatch(r"[A-Za-z0-9._~/%-]+", u["uri"]) for u in uris))
    decoded = {urllib.parse.unquote(u["uri"], errors="replace") for u in uris}
    check("sarif: URIs decode to the paths",
          {"café/été.md", "new\nline.md", 'we"ird.md'} <= decoded, decoded)
    regions = [x["locations"][0]["physicalLocation"]["region"] for x in res]
    check("sarif: regions are 1-based, end after start",
          all(g["startLine"] >= 1 and g["startColumn"] >= 1 and
              (g["endLine"], g["endColumn"]) > (g["startLine"],
                                                g["startColumn"])
              for g in regions))


GH = re.compile(r"::(error|warning) file=([^,:]*),line=(\d+),col=(\d+)"
                r"(?:,endLine=\d+|,endColumn=\d+)?,title=([^,:]+)::(.*)")


def gh_unescape(s):
    return (s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
            .replace("%2C", ",").replace("%25", "%"))


def check_github(root, ref):
    rc, out, err = run(root, "--format", "github")
    lines = out.decode("utf-8").split("\n")
    check("github: ends with a newline", lines[-1] == "")
    lines = lines[:-1]
    check("github: one line per diagnostic",
          len(lines) == len(ref["diagnostics"]), len(lines))
    ms = [GH.fullmatch(x) for x in lines]
    check("github: every line is a workflow command", all(ms),
          [x for x, m in zip(lines, ms) if not m])
    if not all(ms):
        return
    files = {gh_unescape(m.group(2)) for m in ms}
    check("github: file properties unescape to the paths",
          files == {d["path"] for d in ref["diagnostics"]}, files)
    check("github: properties never hold raw , or :",
          all("," not in m.group(5) for m in ms))
    msgs = [gh_unescape(m.group(6)) for m in ms]
    want = [d["message"] + ("; did you mean '%s'?" % d["suggestion"]
                            if d["suggestion"] else "")
            for d in ref["diagnostics"]]
    check("github: messages unescape to the text", msgs == want)


def check_junit(root, ref):
    rc, out, err = run(root, "--format", "junit")
    try:
        tree = ET.fromstring(out)
    except ET.ParseError as e:
        check("junit: parses as XML", False, str(e))
        return
    check("junit: parses as XML", True)
    cases = tree.findall("./testsuite/testcase")
    fails = tree.findall("./testsuite/testcase/failure")
    check("junit: one test case per file checked",
          len(cases) == ref["summary"]["files"], len(cases))
    check("junit: one failure per finding",
          len(fails) == len(ref["diagnostics"]))
    names = {c.get("name") for c in cases}
    check("junit: names hold the paths",
          {"café/été.md", "new\nline.md", 'we"ird.md', "README.md"} <= names,
          names)
    suite = tree.find("./testsuite")
    check("junit: counts on the suite",
          suite.get("tests") == str(len(cases)) and
          suite.get("failures") == str(len(fails)))
    check("junit: clean files pass", any(len(c) == 0 for c in cases))


class Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.text = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def check_report(root, tmp):
    rj = os.path.join(tmp, "report.json")
    rc, out, err = run(root, "--report", rj)
    try:
        with open(rj, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        check("report json: parses", False, str(e))
        return
    check("report json: parses", True)
    s = doc["summary"]
    refs = [r for m in doc["modules"] for t in m["targets"]
            for r in t["references"]]
    check("report json: broken = sum by kind = references listed",
          s["broken"] == sum(s["by_kind"].values()) == len(refs))
    targets = {t["target"]: t for m in doc["modules"] for t in m["targets"]}
    t = targets.get("week1/02_explainer.md#chapter-7")
    check("report json: one target, two referencing pages",
          t and [r["path"] for r in t["references"]] ==
          ["week1/01_plan.md", "week1/03_tasks.md"], targets.keys())
    check("report json: orphans listed",
          doc["orphans"] == ["week1/04_orphan.md"],
          doc["orphans"])

    rh = os.path.join(tmp, "report.html")
    run(root, "--report", rh)
    with open(rh, "rb") as f:
        raw = f.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        check("report html: valid UTF-8", False, str(e))
        return
    check("report html: valid UTF-8", True)
    p = Tags()
    p.feed(text)
    check("report html: no scripts, frames, links or images",
          not {"script", "iframe", "link", "img", "object"} & set(p.tags))
    check("report html: no external resources",
          not re.search(r"(?i)@import|url\(|https?://", text) and
          not [a for a in p.attrs if a[0] in ("src", "href")])
    body = "".join(p.text)
    check("report html: markup in names is text, not tags",
          "a\"<&>'.md" in body and "café/été.md" in body)
    check("report html: has a print style", "@media print" in text)
    render_html(rh, tmp)

    rm = os.path.join(tmp, "report.md")
    run(root, "--report", rm)
    with open(rm, encoding="utf-8") as f:
        md = f.read()
    check("report md: groups referencing pages",
          "`week1/02_explainer.md#chapter-7` (anchor): referenced from "
          "`week1/01_plan.md:3` and `week1/03_tasks.md:3`; did you mean "
          "`#chapter-6`?" in md, md)
    check("report md: orphans listed", "- `week1/04_orphan.md`" in md)
    rc, out, err = run(root, "--report", os.path.join(tmp, "report.txt"))
    check("report: unknown extension is a usage error", rc == 2, err)


def render_html(path, tmp):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("# chromium not installed: HTML rendering not tested")
        return
    shot = os.path.join(tmp, "report.png")
    profile = tempfile.mkdtemp(dir=tmp)
    try:
        subprocess.run([chromium, "--headless", "--no-sandbox",
                        "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--user-data-dir=" + profile,
                        "--screenshot=" + shot, "--window-size=1200,1600",
                        "file://" + path],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)
    except subprocess.TimeoutExpired:
        check("report html: chromium renders it", False, "timeout")
        return
    ok = os.path.exists(shot)
    with open(shot, "rb") if ok else open(os.devnull, "rb") as f:
        head = f.read(8)
    check("report html: chromium renders it",
          ok and head == b"\x89PNG\r\n\x1a\n" and os.path.getsize(shot) > 5000)
    if os.environ.get("KEEP_SCREENSHOT"):
        shutil.copy(shot, os.environ["KEEP_SCREENSHOT"])


def check_report_text(tmp):
    """The Markdown report of tests/report/course/ (two modules, a prose
    reference, an anchor broken from two pages, an orphan), from its first
    module on, against tests/report/course.expected.md. The summary table
    is compared with the JSON report instead: its "other findings" count
    grows as families are added."""
    here = os.path.dirname(os.path.abspath(__file__))
    course = os.path.join(here, "course")
    rm, rj = os.path.join(tmp, "m.md"), os.path.join(tmp, "m.json")
    run(course, "--no-config", "--report", rm)
    run(course, "--no-config", "--report", rj)
    with open(rm, encoding="utf-8") as f:
        md = f.read()
    with open(os.path.join(here, "course.expected.md"), encoding="utf-8") as f:
        want = f.read()
    got = md[md.find("## Module"):] if "## Module" in md else md
    check("report md: modules, targets, suggestions and orphans as expected",
          got == want, "".join(difflib.unified_diff(
              want.splitlines(True), got.splitlines(True), "expected", "got")))
    with open(rj, encoding="utf-8") as f:
        s = json.load(f)["summary"]
    row = "| %d | %d | %d | %d | %d | %d | %d | %d |" % (
        s["files"], s["references_checked"], s["broken"],
        s["by_kind"]["link"], s["by_kind"]["anchor"],
        s["by_kind"]["reference"], s["other_findings"], s["orphans"])
    check("report md: summary table agrees with the JSON report",
          row in md, row)
    check("report md: broken by kind", s["broken"] == 5 and
          s["by_kind"] == {"link": 1, "anchor": 3, "reference": 1}, s)


def main():
    tmp = tempfile.mkdtemp(prefix="clint-formats-")
    try:
        root = os.path.join(tmp, "course")
        make_course(root)
        ref = check_json(root)
        if ref:
            check_sarif(root, ref)
            check_github(root, ref)
            check_junit(root, ref)
        check_report(root, tmp)
        check_report_text(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % len(results))
    for i, (name, ok, detail) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
        if not ok and detail != "":
            print("# " + str(detail).replace("\n", "\n# "))
    return 0 if all(ok for _, ok, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
