#!/usr/bin/env python3
"""`courselint lsp` against a hostile or broken client: bad headers, bad
JSON, wrong types, unknown methods, huge and cut-short messages, deep
nesting, requests before initialize and after shutdown, documents outside
the course root, $/cancelRequest, positions past the end, and a client
that vanishes. Every case must end in an error response or a clean exit:
never a crash (a signal, a sanitizer's status) or a hang (a time limit).
Prints TAP; tests/run.sh counts it.

usage: lsp_hostile.py path/to/courselint
"""
import json
import os
import shutil
import sys
import tempfile
import time
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lsp"))
from lspclient import Client, frame, uri  # noqa: E402

BIN = os.path.abspath(sys.argv[1])
results = []


def check(name, cond, detail=""):
    results.append((name, bool(cond), detail))


tmp = tempfile.mkdtemp(prefix="clint-lsp-hostile-")
root = os.path.join(tmp, "course")
outside = os.path.join(tmp, "outside")
os.makedirs(os.path.join(root, ".git"))
os.makedirs(outside)
with open(os.path.join(root, "a.md"), "w") as f:
    f.write("# A\n\n[b](b.md)\n")
with open(os.path.join(outside, "secret.md"), "w") as f:
    f.write("# Secret\n\n[x](nothing.md)\n")
os.symlink(os.path.join(outside, "secret.md"), os.path.join(root, "leak.md"))


def started(init=True):
    c = Client(BIN)
    if init:
        c.initialize(root)
    return c


def exit_status(c, timeout=20):
    try:
        return c.p.wait(timeout=timeout)
    except Exception:  # noqa: BLE001 - a hang is the failure reported
        c.kill()
        return "hung"


def alive(c):
    """The server still answers (a workspace/symbol request)."""
    try:
        r = c.request("workspace/symbol", {"query": "zzz"}, timeout=20)
        return "result" in r
    except TimeoutError:
        return False


def error_code(m):
    return m.get("error", {}).get("code") if m else None


def case(fn):
    try:
        fn()
    except Exception:  # noqa: BLE001
        check(fn.__name__, False, traceback.format_exc())


def null_error(c, timeout=20):
    """The next response with id null (to a message that had none)."""
    end = time.time() + timeout
    while time.time() < end:
        m = c.responses.pop("null", None)
        if m:
            return m
        c._pump(0.1)
    return None


def bad_headers():
    c = started()
    c.raw(b"Content-Type: application/json\r\n\r\n{}")
    m = null_error(c)
    check("no Content-Length: an error", error_code(m) == -32700, m)
    c.raw(b"Content-Length: ten\r\n\r\n")
    m = null_error(c)
    check("Content-Length not a number: an error", error_code(m) == -32700, m)
    c.raw(b"garbage without a colon\r\n\r\n")
    m = null_error(c)
    check("a header line without a colon: an error", error_code(m) == -32700,
          m)
    c.raw(b"X-" + b"a" * 20000 + b"\r\n")
    m = null_error(c)
    check("a header block over the limit: an error",
          error_code(m) == -32700, m)
    c.raw(b"\r\n\r\n")
    check("bad headers: the server goes on", alive(c))
    check("bad headers: clean exit", c.close() == 0)


def bad_json():
    c = started()
    body = b"{\"a\": 1,"
    c.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    m = null_error(c)
    check("bad JSON: a parse error", error_code(m) == -32700, m)
    body = b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"\xff\xfe\"}"
    c.raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    m = null_error(c)
    check("invalid UTF-8: a parse error", error_code(m) == -32700, m)
    deep = b"[" * 200000 + b"]" * 200000
    c.raw(b"Content-Length: %d\r\n\r\n" % len(deep) + deep)
    m = null_error(c)
    check("JSON nested 200,000 deep: an error, no crash",
          error_code(m) == -32700, m)
    c.send([1, 2, 3])
    m = null_error(c)
    check("a batch (an array): invalid request", error_code(m) == -32600, m)
    c.send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "shutdown"})
    m = null_error(c)
    check("an id that is an object: invalid request",
          error_code(m) == -32600, m)
    check("bad JSON: the server goes on", alive(c))
    check("bad JSON: clean exit", c.close() == 0)


def wrong_types():
    c = started()
    r = c.request("textDocument/definition", {"textDocument": {"uri": 5},
                                              "position": {"line": 0,
                                                           "character": 0}})
    check("uri a number: invalid params", error_code(r) == -32602, r)
    r = c.request("textDocument/hover", {"textDocument": {"uri": uri(
        os.path.join(root, "a.md"))}, "position": {"line": -1,
                                                   "character": "x"}})
    check("a position of wrong types: invalid params",
          error_code(r) == -32602, r)
    r = c.request("textDocument/references", "not an object")
    check("params a string: invalid params", error_code(r) == -32602, r)
    r = c.request("workspace/symbol", {"query": 42})
    check("query a number: invalid params", error_code(r) == -32602, r)
    r = c.request("textDocument/rename", {"textDocument": {"uri": uri(
        os.path.join(root, "a.md"))}, "position": {"line": 0,
                                                   "character": 0}})
    check("rename without newName: invalid params",
          error_code(r) == -32602, r)
    c.send({"jsonrpc": "2.0", "method": 7})
    c.notify("textDocument/didOpen", {"textDocument": "nope"})
    c.notify("textDocument/didChange", {"textDocument": {"uri": 3},
                                        "contentChanges": "x"})
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri(os.path.join(root, "a.md")), "text": 12}})
    check("notifications of wrong types are dropped", alive(c))
    check("wrong types: clean exit", c.close() == 0)


def unknown_methods():
    c = started()
    r = c.request("textDocument/frobnicate", {})
    check("an unknown request: method not found", error_code(r) == -32601, r)
    c.notify("$/unknownNotification", {"x": 1})
    c.notify("$/setTrace", {"value": "off"})
    check("unknown notifications are ignored", alive(c))
    check("unknown methods: clean exit", c.close() == 0)


def lifecycle():
    c = started(init=False)
    r = c.request("textDocument/hover", {})
    check("a request before initialize: server not initialized",
          error_code(r) == -32002, r)
    c.initialize(root)
    r = c.request("initialize", {"capabilities": {}})
    check("initialize twice: invalid request", error_code(r) == -32600, r)
    r = c.request("shutdown")
    check("shutdown: a null result", r.get("result", 1) is None, r)
    r = c.request("workspace/symbol", {"query": ""})
    check("a request after shutdown: invalid request",
          error_code(r) == -32600, r)
    c.notify("exit")
    check("exit after shutdown: status 0", exit_status(c) == 0)
    c.kill()
    c = started()
    c.notify("exit")
    check("exit without shutdown: status 1", exit_status(c) == 1)
    c.kill()


def vanishing():
    c = started()
    c.p.stdin.close()
    check("EOF without shutdown: exits (status 1)", exit_status(c) == 1)
    c.kill()
    c = started()
    c.raw(b"Content-Length: 500\r\n\r\n{\"jsonrpc\": ")
    c.p.stdin.close()
    check("a message cut short by EOF: exits", exit_status(c) in (0, 1))
    c.kill()
    c = started()
    c.raw(b"Content-Length: 9999999999999\r\n\r\n")
    m = null_error(c)
    check("a message over the size limit: an error",
          error_code(m) == -32600 and "limit" in m["error"]["message"], m)
    c.p.stdin.close()
    check("... and EOF while it is skipped: exits", exit_status(c) in (0, 1))
    c.kill()
    c = started()
    c.raw(b"Content-Length: 99999999999999999999999\r\n\r\n")
    m = null_error(c)
    check("a Content-Length past 64 bits: an error", error_code(m) == -32700,
          m)
    c.kill()
    # The client reads nothing and goes: writes fail, the server ends.
    c = Client(BIN, read=False)
    c.p.stdout.close()
    c.raw(frame({"jsonrpc": "2.0", "id": 0, "method": "initialize",
                 "params": {"rootUri": uri(root), "capabilities": {}}}))
    for _ in range(50):
        c.raw(frame({"jsonrpc": "2.0", "id": 1, "method": "workspace/symbol",
                     "params": {"query": ""}}))
    c.p.stdin.close()
    check("a client that stops reading: exits, no hang",
          exit_status(c) in (0, 1))
    c.kill()


def big_messages():
    c = started()
    path = os.path.join(root, "big.md")
    text = "# Big\n\n" + ("word " * 20 + "\n") * 100000 + "[x](gone.md)\n"
    c.open(path, text)
    d = c.diags(uri(path), timeout=60)
    check("a 10 MB unsaved page: checked", d and d[0]["code"] ==
          "link/missing-file", d)
    check("big messages: clean exit", c.close() == 0)


def outside_root():
    c = started()
    secret = os.path.join(outside, "secret.md")
    n = len(c.notes)
    c.open(secret)
    leak = os.path.join(root, "leak.md")
    c.open(leak, "# typed\n\n[y](gone.md)\n")
    r = c.result("textDocument/definition", {
        "textDocument": {"uri": uri(secret)},
        "position": {"line": 2, "character": 2}})
    check("a document outside the root: no answer", r is None, r)
    c.notify("workspace/didChangeWatchedFiles", {"changes": [
        {"uri": uri(secret), "type": 2},
        {"uri": "file:///etc/passwd", "type": 2},
        {"uri": "http://example.invalid/x.md", "type": 1},
        {"uri": "file:///tmp/%00.md", "type": 1}]})
    alive(c)
    c.drain(0.3)
    pubs = [m["params"]["uri"] for m in c.notes[n:]
            if m["method"] == "textDocument/publishDiagnostics"]
    check("outside the root: no diagnostics", uri(secret) not in pubs, pubs)
    r = c.result("workspace/symbol", {"query": "Secret"})
    check("outside the root: never read (not in symbols)", r == [], r)
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": "untitled:Untitled-1", "languageId": "markdown", "version": 1,
        "text": "# x\n"}})
    c.notify("textDocument/didOpen", {"textDocument": {
        "uri": "file://otherhost/x.md", "languageId": "markdown",
        "version": 1, "text": "# x\n"}})
    check("untitled and remote URIs: ignored", alive(c))
    check("outside the root: clean exit", c.close() == 0)


def cancel_and_positions():
    c = started()
    a = os.path.join(root, "a.md")
    u = c.open(a)
    c.diags(u)
    # A request and its cancellation in one write: never run.
    rid = c.next_id
    c.next_id += 1
    req = {"jsonrpc": "2.0", "id": rid, "method": "workspace/symbol",
           "params": {"query": ""}}
    c.raw(frame(req) + frame({"jsonrpc": "2.0", "method": "$/cancelRequest",
                              "params": {"id": rid}}))
    r = c.response(rid)
    check("$/cancelRequest before the request runs: RequestCancelled",
          error_code(r) == -32800, r)
    c.notify("$/cancelRequest", {"id": 12345})
    c.notify("$/cancelRequest", {"id": None})
    c.notify("$/cancelRequest", "x")
    check("cancelling what is not there: ignored", alive(c))
    r = c.request("textDocument/hover", {"textDocument": {"uri": u},
                                         "position": {"line": 999999,
                                                      "character": 999999}})
    check("a position past the end: an answer", "result" in r, r)
    c.notify("textDocument/didChange", {
        "textDocument": {"uri": u, "version": 2},
        "contentChanges": [{"range": {"start": {"line": 50, "character": 0},
                                      "end": {"line": 2, "character": 0}},
                            "text": "[c](c.md)\n"}]})
    r = c.request("textDocument/documentSymbol", {"textDocument": {"uri": u}})
    check("an edit with a range backwards and past the end: applied",
          "result" in r, r)
    r = c.request("textDocument/completion", {
        "textDocument": {"uri": u}, "position": {"line": 4294967295,
                                                 "character": 4294967295}})
    check("the largest position: an answer", "result" in r, r)
    r = c.request("textDocument/completion", {
        "textDocument": {"uri": u}, "position": {"line": 4294967296,
                                                 "character": 0}})
    check("a position past 32 bits: invalid params", error_code(r) == -32602,
          r)
    check("cancel and positions: clean exit", c.close() == 0)


for fn in (bad_headers, bad_json, wrong_types, unknown_methods, lifecycle,
           vanishing, big_messages, outside_root, cancel_and_positions):
    case(fn)
shutil.rmtree(tmp, ignore_errors=True)

for i, (name, ok, detail) in enumerate(results, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok and detail:
        for line in str(detail).splitlines()[:30]:
            print("    # " + line[:300])
print("1..%d" % len(results))
