#!/usr/bin/env python3
"""`courselint lsp` driven by a scripted client, one feature after another,
on a copy of tests/lsp/course: diagnostics as you type, diagnostics of the
other pages after a heading rename, code actions, definition, hover,
references, prepareRename and rename, completion, document and workspace
symbols, files changed outside the editor, the course's rule file
reloaded, and positions in CJK text and emoji in UTF-16 and UTF-8.
Prose references ("explainer chapter 2.1") count as references.
Prints TAP ("ok N - name" / "not ok N - name"); tests/run.sh counts it.

usage: lsp_features.py path/to/courselint
"""
import os
import shutil
import sys
import tempfile
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lsp"))
from lspclient import Client, uri  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
COURSE = os.path.join(HERE, "..", "lsp", "course")
results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


def test(fn):
    """Run one feature's checks; an exception fails it with the trace."""
    try:
        fn()
    except Exception:  # noqa: BLE001 - a failure to report, not to hide
        check(fn.__name__, False, traceback.format_exc())


def rng(l1, c1, l2, c2):
    return {"start": {"line": l1, "character": c1},
            "end": {"line": l2, "character": c2}}


def pos(line, ch):
    return {"line": line, "character": ch}


def td(path):
    return {"textDocument": {"uri": uri(path)}}


def at(path, line, ch, **extra):
    p = {"textDocument": {"uri": uri(path)}, "position": pos(line, ch)}
    p.update(extra)
    return p


def codes(diags):
    return sorted(d["code"] for d in diags or [])


class Course:
    """A fresh copy of the fixture course with a server on it."""

    def __init__(self, utf8=False):
        self.tmp = tempfile.mkdtemp(prefix="clint-lsp-")
        self.root = os.path.join(self.tmp, "course")
        shutil.copytree(COURSE, self.root)
        os.mkdir(os.path.join(self.root, ".git"))
        self.c = Client(BIN)
        self.init = self.c.initialize(self.root, utf8=utf8)

    def p(self, rel):
        return os.path.join(self.root, rel)

    def text(self, rel):
        with open(self.p(rel), encoding="utf-8") as f:
            return f.read()

    def done(self):
        code = self.c.close()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return code


PLAN = "01_basics/01_weekly_plan.md"
EXPL = "01_basics/02_explainer.md"
UNI = "02_next/unicode.md"


def lifecycle():
    k = Course()
    caps = k.init["capabilities"]
    check("initialize: UTF-16 unless the client offers UTF-8",
          caps["positionEncoding"] == "utf-16", caps.get("positionEncoding"))
    check("initialize: incremental sync", caps["textDocumentSync"]["change"]
          == 2)
    check("initialize: every feature announced",
          all(caps.get(f) for f in (
              "definitionProvider", "hoverProvider", "referencesProvider",
              "renameProvider", "completionProvider", "codeActionProvider",
              "documentSymbolProvider", "workspaceSymbolProvider")))
    reg = k.c.wait_note(lambda m: m["method"] == "client/registerCapability",
                        timeout=10)
    check("initialized: asks to watch pages and the rule file",
          reg and "**/.courselint.yml" in str(reg["params"]), reg)
    code = k.done()
    check("shutdown then exit: status 0", code == 0, code)
    k = Course(utf8=True)
    check("initialize: UTF-8 when the client offers it",
          k.init["capabilities"]["positionEncoding"] == "utf-8")
    k.done()


def diagnostics_as_you_type():
    k = Course()
    c = k.c
    u = c.open(k.p(PLAN))
    d = c.diags(u)
    check("didOpen: a clean page gets an empty list", d == [], d)
    text = k.text(PLAN)
    n = len(c.notes)
    # Typed, not saved: a link to a page that does not exist.
    c.change(k.p(PLAN), 2, text + "\nSee [x](nowhere.md).\n")
    d = c.diags(u, start=n)
    check("didChange (full): unsaved text is checked",
          codes(d) == ["link/missing-file"], d)
    lines = (text + "\nSee [x](nowhere.md).\n").split("\n")
    line = len(lines) - 2
    check("didChange: the finding is where the typed link is",
          d and d[0]["range"] == rng(line, 4, line, 19), d)
    n = len(c.notes)
    # Incremental: "nowhere" -> "02_explainer" fixes it.
    c.notify("textDocument/didChange", {
        "textDocument": {"uri": u, "version": 3},
        "contentChanges": [{"range": rng(line, 8, line, 15),
                            "text": "02_explainer"}]})
    d = c.diags(u, start=n)
    check("didChange (incremental): fixed text clears the finding", d == [],
          d)
    with open(k.p(PLAN), encoding="utf-8") as f:
        check("nothing is written to disk", f.read() == text)
    k.done()


def cross_page():
    k = Course()
    c = k.c
    u = c.open(k.p(EXPL))
    c.diags(u)
    text = k.text(EXPL)
    n = len(c.notes)
    c.change(k.p(EXPL), 2, text.replace("## 2. Attention", "## 2. Focus"))
    plan = c.diags(uri(k.p(PLAN)), start=n)
    readme = c.diags(uri(k.p("README.md")), start=n)
    own = c.diags(u, start=n)
    check("heading renamed: a closed page linking to it gets a finding",
          codes(plan) == ["link/missing-anchor"], plan)
    check("heading renamed: the finding names the anchor",
          plan and "#2-attention" in plan[0]["message"], plan)
    check("heading renamed: every page linking to it is updated",
          codes(readme) == ["link/missing-anchor"], readme)
    check("heading renamed: the page's own link to it too",
          codes(own) == ["link/missing-anchor"], own)
    n = len(c.notes)
    c.change(k.p(EXPL), 3, text)
    plan = c.diags(uri(k.p(PLAN)), start=n)
    check("heading restored: the other page's finding is cleared",
          plan == [], plan)
    k.done()


def code_actions():
    k = Course()
    c = k.c
    path = k.p("01_basics/notes.md")
    text = ("# Notes\n\n- [] a task\n\n[lab](05_hands_on_labs.md) and "
            "[x](02_explainer.md#2-atention)\n")
    u = c.open(path, text)
    d = c.diags(u)
    check("code action fixture: three findings",
          codes(d) == ["link/missing-anchor", "link/missing-file",
                       "task/malformed-box"], d)
    acts = c.result("textDocument/codeAction", {
        "textDocument": {"uri": u}, "range": rng(2, 0, 2, 5),
        "context": {"diagnostics": []}})
    edits = [e for a in acts for e in a["edit"]["changes"].get(u, [])]
    check("code action: the --fix fix of a checkbox",
          {"range": rng(2, 2, 2, 4), "newText": "[ ]"} in edits, acts)
    acts = c.result("textDocument/codeAction", {
        "textDocument": {"uri": u}, "range": rng(4, 0, 4, 80),
        "context": {"diagnostics": []}})
    edits = [e for a in acts for e in a["edit"]["changes"].get(u, [])]
    check("code action: did-you-mean replaces the file name",
          {"range": rng(4, 6, 4, 25), "newText": "05_hands_on_lab.md"}
          in edits, acts)
    check("code action: did-you-mean replaces the fragment only",
          {"range": rng(4, 51, 4, 61), "newText": "2-attention"} in edits,
          acts)
    check("code action: quick fixes", acts and all(
        a["kind"] == "quickfix" for a in acts))
    k.done()


def definition_and_hover():
    k = Course()
    c = k.c
    u = c.open(k.p(PLAN))
    c.diags(u)
    r = c.result("textDocument/definition", at(k.p(PLAN), 2, 10))
    check("definition: a link with a fragment goes to the heading",
          r and r["uri"] == uri(k.p(EXPL)) and r["range"]["start"]["line"]
          == 10, r)
    r = c.result("textDocument/definition", at(k.p(PLAN), 3, 3))
    check("definition: a subsection", r and r["range"]["start"]["line"] == 15,
          r)
    r = c.result("textDocument/definition", at(k.p(PLAN), 11, 3))
    check("definition: a fragment of the page itself",
          r and r["uri"] == uri(k.p(PLAN)) and r["range"]["start"]["line"]
          == 0, r)
    r = c.result("textDocument/definition", at(k.p(PLAN), 7, 22))
    check("definition: a file named in prose",
          r and r["uri"] == uri(k.p("01_basics/05_hands_on_lab.md")), r)
    r = c.result("textDocument/definition", at(k.p(PLAN), 7, 55))
    check("definition: a folder named in prose goes to its README",
          r and r["uri"] == uri(k.p("02_next/README.md")), r)
    r = c.result("textDocument/definition", at(k.p(PLAN), 9, 8))
    check("definition: an image", r and r["uri"] ==
          uri(k.p("images/diagram.png")), r)
    r = c.result("textDocument/definition", at(k.p(PLAN), 1, 0))
    check("definition: nothing on a blank line", r is None, r)
    r = c.result("textDocument/definition", at(k.p(PLAN), 5, 20))
    check("definition: a prose reference goes to its heading",
          r and r["uri"] == uri(k.p(EXPL)) and
          r["range"]["start"]["line"] == 15, r)
    h = c.result("textDocument/hover", at(k.p(PLAN), 5, 20))
    check("hover: on a prose reference, the chapter it names",
          h and "**2.1 Heads**" in h["contents"]["value"], h)
    h = c.result("textDocument/hover", at(k.p(PLAN), 2, 10))
    value = h and h["contents"]["value"]
    check("hover: the heading's title", value and "**2. Attention**" in
          value, h)
    check("hover: its first lines", value and
          "Attention lets every token look at every other token." in value, h)
    check("hover: the range of the link", h and h["range"] ==
          rng(2, 5, 2, 45), h)
    h = c.result("textDocument/hover", at(k.p(PLAN), 5, 0))
    check("hover: nothing off a reference", h is None, h)
    k.done()


def references():
    k = Course()
    c = k.c
    u = c.open(k.p(EXPL))
    c.diags(u)
    r = c.result("textDocument/references", at(
        k.p(EXPL), 10, 5, context={"includeDeclaration": False}))
    got = sorted((x["uri"], x["range"]["start"]["line"]) for x in r)
    want = sorted([(uri(k.p(PLAN)), 2), (uri(k.p("README.md")), 4),
                   (uri(k.p(EXPL)), 21),
                   (uri(k.p("01_basics/04_daily_recall.md")), 2)])
    check("references: every link and prose reference to a heading, "
          "across pages", got == want, got)
    r = c.result("textDocument/references", at(
        k.p(EXPL), 10, 5, context={"includeDeclaration": True}))
    check("references: with the declaration", any(
        x["uri"] == uri(k.p(EXPL)) and x["range"]["start"]["line"] == 10
        for x in r), r)
    r = c.result("textDocument/references", at(
        k.p(EXPL), 0, 3, context={"includeDeclaration": False}))
    froms = {x["uri"] for x in r}
    check("references: on the title, every link to the page",
          {uri(k.p(PLAN)), uri(k.p("README.md")),
           uri(k.p("01_basics/README.md")),
           uri(k.p("01_basics/03_study_material.md"))} <= froms, froms)
    k.done()


def rename():
    k = Course()
    c = k.c
    u = c.open(k.p(EXPL))
    c.diags(u)
    r = c.result("textDocument/prepareRename", at(k.p(EXPL), 10, 5))
    check("prepareRename: the heading's text", r == {
        "range": rng(10, 3, 10, 15), "placeholder": "2. Attention"}, r)
    r = c.result("textDocument/rename", at(k.p(EXPL), 10, 5,
                                           newName="2. Focus"))
    ch = r["changes"]
    check("rename: the heading", {"range": rng(10, 3, 10, 15),
                                  "newText": "2. Focus"} in ch[u], ch)
    check("rename: the page's own link",
          {"range": rng(21, 17, 21, 28), "newText": "2-focus"} in ch[u], ch)
    check("rename: a link from another page",
          {"range": rng(2, 33, 2, 44), "newText": "2-focus"}
          in ch.get(uri(k.p(PLAN)), []), ch)
    check("rename: a link from a third page",
          {"range": rng(4, 50, 4, 61), "newText": "2-focus"}
          in ch.get(uri(k.p("README.md")), []), ch)
    check("rename: nothing else", sum(len(v) for v in ch.values()) == 4, ch)
    # From a link: the heading it names.
    p = c.open(k.p(PLAN))
    c.diags(p)
    r = c.result("textDocument/prepareRename", at(k.p(PLAN), 2, 33))
    check("prepareRename on a link: its fragment", r and r["range"] ==
          rng(2, 33, 2, 44) and r["placeholder"] == "2. Attention", r)
    # Refused: a reference link names the heading elsewhere.
    n = len(c.notes)
    c.change(k.p(PLAN), 2, k.text(PLAN) + "\n[ref][a]\n\n[a]: "
             "02_explainer.md#1-basics\n")
    c.diags(p, start=n)
    r = c.request("textDocument/prepareRename", at(k.p(EXPL), 2, 5))
    check("prepareRename: refused where a reference link names it",
          "error" in r and "reference link" in r["error"]["message"], r)
    # Refused: renumbering a chapter that prose refers to.
    r = c.request("textDocument/rename", at(k.p(EXPL), 15, 6,
                                            newName="2.2 Heads"))
    check("rename: refused when it renumbers a chapter prose names",
          "error" in r and "renumbers" in r["error"]["message"], r)
    r = c.request("textDocument/rename", at(k.p(EXPL), 10, 5,
                                            newName="a\nb"))
    check("rename: a new name on two lines is refused", "error" in r, r)
    r = c.request("textDocument/prepareRename", at(k.p(EXPL), 4, 3))
    check("prepareRename: refused off a heading", "error" in r, r)
    # The course is as it was: trying names published no finding, and
    # the link still leads to the heading.
    c.drain(0.3)
    shown = [m["params"] for m in c.notes[n:] if m["method"] ==
             "textDocument/publishDiagnostics" and m["params"]["diagnostics"]]
    check("rename: trying names leaves the course as it was", shown == [],
          shown)
    r = c.result("textDocument/definition", at(k.p(PLAN), 2, 10))
    check("rename: the links still lead to the heading",
          r and r["range"]["start"]["line"] == 10, r)
    # Headings in a block quote and in a list item: their text stands
    # after the marks, which a rename keeps.
    q = k.p("01_basics/quoted.md")
    with open(q, "w", encoding="utf-8") as f:
        f.write("# Quoted\n\n> ## Inside quote\n\n10. ## Inside item\n\n"
                "See [q](#inside-quote) and [i](#inside-item).\n")
    uq = c.open(q)
    c.diags(uq)
    r = c.result("textDocument/prepareRename", at(q, 2, 6))
    check("prepareRename: a heading in a block quote, after '> ##'", r == {
        "range": rng(2, 5, 2, 17), "placeholder": "Inside quote"}, r)
    r = c.result("textDocument/prepareRename", at(q, 4, 8))
    check("prepareRename: a heading in a list item, after '10. ##'", r == {
        "range": rng(4, 7, 4, 18), "placeholder": "Inside item"}, r)
    r = c.result("textDocument/rename", at(q, 4, 8, newName="Moved"))
    check("rename: a heading in a list item keeps its marks",
          r and r["changes"][uq] == [
              {"range": rng(4, 7, 4, 18), "newText": "Moved"},
              {"range": rng(6, 32, 6, 43), "newText": "moved"}], r)
    k.done()


def completion():
    k = Course()
    c = k.c
    path = k.p("01_basics/draft.md")
    text = ("# Draft\n\n[a](\n[b](02_explainer.md#\n[c](../\n"
            "Read explainer chapter \nand 03_study_material.md section 1\n")
    u = c.open(path, text)
    c.diags(u)

    def labels(line, ch):
        r = c.result("textDocument/completion", at(path, line, ch))
        return [i["label"] for i in r["items"]], r["items"]

    got, items = labels(2, 4)
    check("completion after '](': the files next to the page",
          {"02_explainer.md", "05_hands_on_lab.md", "README.md"} <=
          set(got), got)
    check("completion: files replace the typed part",
          items and items[0]["textEdit"]["range"] == rng(2, 4, 2, 4), items)
    got, _ = labels(4, 7)
    check("completion after '](../': folders, with a slash",
          {"01_basics/", "02_next/", "images/", "README.md"} <= set(got) and
          ".git/" not in got, got)
    got, items = labels(3, 20)
    check("completion after '#': the anchors of the page linked",
          got == ["explainer", "1-basics", "11-tokens", "2-attention",
                  "21-heads", "3-summary"], got)
    check("completion: anchors carry their heading",
          items and items[3].get("detail") == "2. Attention", items)
    got, items = labels(5, 23)
    check("completion after 'explainer chapter ': the numbers",
          got == ["1", "1.1", "2", "2.1", "3"], got)
    check("completion: numbers carry their title",
          items and items[2].get("detail") == "2. Attention", items)
    got, _ = labels(6, 34)
    check("completion after a file's 'section ': its numbers, typed part "
          "kept", got == ["1"], got)
    k.done()


def symbols():
    k = Course()
    c = k.c
    u = c.open(k.p(EXPL))
    c.diags(u)
    r = c.result("textDocument/documentSymbol", td(k.p(EXPL)))
    top = r[0]
    kids = [x["name"] for x in top["children"]]
    check("document symbols: the title at the top", len(r) == 1 and
          top["name"] == "Explainer", r)
    check("document symbols: chapters under it",
          kids == ["1. Basics", "2. Attention", "3. Summary"], kids)
    check("document symbols: sections under chapters",
          [x["name"] for x in top["children"][1]["children"]] ==
          ["2.1 Heads"], top)
    check("document symbols: a chapter's range runs to the next one",
          top["children"][1]["range"] == rng(10, 0, 18, 0) and
          top["children"][1]["selectionRange"] == rng(10, 0, 10, 15),
          top["children"][1])
    r = c.result("workspace/symbol", {"query": "atten"})
    names = [(x["name"], x["location"]["uri"]) for x in r]
    check("workspace symbols: the course's chapters by name",
          ("2. Attention", uri(k.p(EXPL))) in names, names)
    r = c.result("workspace/symbol", {"query": "2.1"})
    check("workspace symbols: by number", [x["name"] for x in r] ==
          ["2.1 Heads"], r)
    r = c.result("workspace/symbol", {"query": "weekly"})
    check("workspace symbols: pages by title", [x["name"] for x in r] ==
          ["Weekly plan"], r)
    k.done()


def watched_files():
    k = Course()
    c = k.c
    mod = k.p("01_basics/README.md")
    u = c.open(mod)
    c.diags(u)
    # Deleted, created, renamed outside the editor.
    study = k.p("01_basics/03_study_material.md")
    saved = k.text("01_basics/03_study_material.md")
    os.remove(study)
    n = len(c.notes)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": uri(study), "type": 3}]})
    d = c.diags(u, start=n, timeout=10)
    check("watched: a page deleted outside the editor breaks links to it",
          codes(d) == ["link/missing-file", "module/missing-file"], d)
    with open(study, "w", encoding="utf-8") as f:
        f.write(saved)
    n = len(c.notes)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": uri(study), "type": 1}]})
    d = c.diags(u, start=n, timeout=10)
    check("watched: created again, the link works", d == [], d)
    os.rename(k.p(EXPL), k.p("01_basics/02_explainer_v2.md"))
    n = len(c.notes)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": uri(k.p(EXPL)), "type": 3},
        {"uri": uri(k.p("01_basics/02_explainer_v2.md")), "type": 1}]})
    d = c.diags(u, start=n, timeout=10)
    check("watched: a page renamed outside the editor breaks links to it",
          codes(d) == ["link/missing-file", "module/missing-file"], d)
    os.rename(k.p("01_basics/02_explainer_v2.md"), k.p(EXPL))
    n = len(c.notes)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": uri(k.p("01_basics/02_explainer_v2.md")), "type": 3},
        {"uri": uri(k.p(EXPL)), "type": 1}]})
    d = c.diags(u, start=n, timeout=10)
    check("watched: renamed back, the links work again", d == [], d)
    # Changed on disk, not open: a heading renamed.
    r = c.open(k.p("README.md"))
    c.diags(r)
    with open(k.p(EXPL), "w", encoding="utf-8") as f:
        f.write(k.text(EXPL).replace("## 2. Attention", "## 2. Focus"))
    n = len(c.notes)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": uri(k.p(EXPL)), "type": 2}]})
    d = c.diags(r, start=n, timeout=10)
    check("watched: a page changed on disk", codes(d) ==
          ["link/missing-anchor"], d)
    # The rule file: a rule turned off, then a broken file.
    with open(k.p(".courselint.yml"), "w") as f:
        f.write("version: 1\nrules:\n  link/missing-anchor: off\n")
    n = len(c.notes)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": uri(k.p(".courselint.yml")), "type": 1}]})
    d = c.diags(r, start=n, timeout=10)
    check("watched: .courselint.yml reloaded", d == [], d)
    with open(k.p(".courselint.yml"), "w") as f:
        f.write("version: 1\nrules:\n  link/missing-anchor: sometimes\n")
    n = len(c.notes)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": uri(k.p(".courselint.yml")), "type": 2}]})
    d = c.diags(uri(k.p(".courselint.yml")), start=n, timeout=10)
    check("watched: a broken rule file gets a diagnostic where it breaks",
          d and d[0]["range"]["start"]["line"] == 2 and d[0]["severity"] ==
          1, d)
    msg = c.wait_note(lambda m: m["method"] == "window/showMessage", 5, n)
    check("watched: and a message", msg is not None, msg)
    n = len(c.notes)
    c.change(k.p("README.md"), 2, k.text("README.md") +
             "\n[x](01_basics/02_explainer.md#nope) [y](nope.md)\n")
    d = c.diags(r, start=n, timeout=10)
    check("watched: the rules in use are kept (the rule stays off)",
          codes(d) == ["link/missing-file"], d)
    k.done()


def rule_file_words():
    # A rule file's own message is in its own language: the server adds no
    # English "did you mean" to it, as the text output adds none.
    k = Course()
    c = k.c
    with open(k.p(".courselint.yml"), "w", encoding="utf-8") as f:
        f.write("version: 1\nreferences:\n  - id: ref/missing-file\n"
                "    message: 'pas de « {path} » ici'\n")
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": uri(k.p(".courselint.yml")), "type": 1}]})
    u = c.open(k.p(PLAN))
    c.diags(u)
    n = len(c.notes)
    c.change(k.p(PLAN), 2, k.text(PLAN) + "\nVoir 06_reviw.md.\n")
    d = c.diags(u, start=n, timeout=10)
    check("rule file's message: shown as written, no English added",
          [x["message"] for x in d or []] == ["pas de « 06_reviw.md » ici"],
          d)
    k.done()


def positions():
    for utf8 in (False, True):
        k = Course(utf8=utf8)
        c = k.c
        u = c.open(k.p(UNI))
        d = c.diags(u)
        enc = "UTF-8" if utf8 else "UTF-16"
        # Line 3: 中文文本 😀 [坏链接](不存在.md): 4 CJK (3 bytes each), a
        # space, an emoji (2 units, 4 bytes), a space.
        want = rng(2, 18, 2, 43) if utf8 else rng(2, 8, 2, 21)
        check("positions (%s): after CJK and an emoji" % enc,
              d and d[0]["range"] == want, d)
        want = rng(4, 30, 4, 52) if utf8 else rng(4, 12, 4, 24)
        check("positions (%s): Japanese and an emoji" % enc,
              len(d or []) == 2 and d[1]["range"] == want, d)
        # The link after two emoji: 中文文本 😀 [坏链接](不存在.md) 和 😀😀 [
        ch = 57 if utf8 else 29
        r = c.result("textDocument/definition", at(k.p(UNI), 2, ch + 2))
        check("positions (%s): a request after emoji lands on its link" %
              enc, r and r["uri"] == uri(k.p(EXPL)) and
              r["range"]["start"]["line"] == 2, r)
        # An incremental edit: the first emoji (a surrogate pair, four
        # bytes) becomes "x"; what follows moves left by one unit less.
        n = len(c.notes)
        s, e = (13, 17) if utf8 else (5, 7)
        c.notify("textDocument/didChange", {
            "textDocument": {"uri": u, "version": 2},
            "contentChanges": [{"range": rng(2, s, 2, e), "text": "x"}]})
        d = c.diags(u, start=n, timeout=10)
        want = rng(2, 15, 2, 40) if utf8 else rng(2, 7, 2, 20)
        check("positions (%s): an incremental edit replacing an emoji" % enc,
              d and d[0]["range"] == want and len(d) == 2, d)
        r = c.result("textDocument/definition",
                     at(k.p(UNI), 2, ch - (3 if utf8 else 1) + 2))
        check("positions (%s): the edit applied where the client meant" %
              enc, r and r["uri"] == uri(k.p(EXPL)), r)
        # A position inside a surrogate pair is taken as the pair's start.
        if not utf8:
            h = c.result("textDocument/hover", at(k.p(UNI), 4, 11))
            check("positions (UTF-16): inside a surrogate pair, before the "
                  "link: nothing there", h is None, h)
        k.done()


for fn in (lifecycle, diagnostics_as_you_type, cross_page, code_actions,
           definition_and_hover, references, rename, completion, symbols,
           watched_files, rule_file_words, positions):
    test(fn)

for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok and detail:
        for line in str(detail).splitlines()[:40]:
            print("    # " + line[:300])
print("1..%d" % len(results))
