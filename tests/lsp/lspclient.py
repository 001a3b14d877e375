"""A small Language Server Protocol client for the tests and the benchmark
of `courselint lsp`: it starts the server, frames messages, answers the
server's own requests, and keeps the notifications it receives.
"""
import json
import os
import queue
import subprocess
import threading
import time


def uri(path):
    """A file: URI for an absolute path, percent-encoded as editors do."""
    from urllib.parse import quote
    return "file://" + quote(path)


def frame(obj):
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Client:
    def __init__(self, binary, cwd=None, args=(), stderr=None, read=True):
        self.p = subprocess.Popen(
            [binary, "lsp", *args], cwd=cwd, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL if stderr is None else (None if stderr == 'inherit' else stderr))
        self.messages = queue.Queue()
        self.notes = []  # notifications received, in order
        self.responses = {}
        self.opened = {}  # uri -> len(notes) when it was opened
        self.next_id = 1
        self.eof = False
        # read=False: nothing reads the server's output (a client that
        # stops reading closes self.p.stdout; closing it under a reading
        # thread would block on the reader's lock instead).
        self.t = threading.Thread(target=self._read, daemon=True)
        if read:
            self.t.start()

    # ---- the wire --------------------------------------------------------
    def _read(self):
        try:
            self._read_all()
        except (OSError, ValueError):  # the stream was closed under us
            self.messages.put(None)

    def _read_all(self):
        f = self.p.stdout
        while True:
            length = None
            while True:
                line = f.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v)
            body = f.read(length)
            self.messages.put(json.loads(body))

    def raw(self, data):
        """Send bytes as they are (for malformed input)."""
        try:
            self.p.stdin.write(data)
            self.p.stdin.flush()
        except BrokenPipeError:
            pass

    def send(self, obj):
        self.raw(frame(obj))

    def _pump(self, timeout):
        """Take one message off the wire; False on timeout or EOF."""
        try:
            m = self.messages.get(timeout=timeout)
        except queue.Empty:
            return False
        if m is None:
            self.eof = True
            return False
        if "method" in m and "id" in m:  # a request of the server's
            self.send({"jsonrpc": "2.0", "id": m["id"], "result": None})
            self.notes.append(m)
        elif "method" in m:
            self.notes.append(m)
        else:
            self.responses[json.dumps(m.get("id"))] = m
        return True

    # ---- requests and notifications ---------------------------------------
    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    def request_async(self, method, params=None):
        rid = self.next_id
        self.next_id += 1
        msg = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return rid

    def response(self, rid, timeout=30):
        key = json.dumps(rid)
        end = time.time() + timeout
        while key not in self.responses:
            left = end - time.time()
            if left <= 0 or (not self._pump(left) and self.eof):
                raise TimeoutError("no response to request %r" % rid)
        return self.responses.pop(key)

    def request(self, method, params=None, timeout=30):
        """The full response message ({"result": ...} or {"error": ...})."""
        return self.response(self.request_async(method, params), timeout)

    def result(self, method, params=None, timeout=30):
        r = self.request(method, params, timeout)
        if "error" in r:
            raise RuntimeError("%s: %s" % (method, r["error"]))
        return r["result"]

    def wait_note(self, pred, timeout=30, start=0):
        """The first notification from index start on that pred accepts."""
        end = time.time() + timeout
        i = start
        while True:
            while i < len(self.notes):
                if pred(self.notes[i]):
                    return self.notes[i]
                i += 1
            left = end - time.time()
            if left <= 0:
                return None
            if not self._pump(left) and self.eof:
                return None

    def diags(self, file_uri, timeout=30, start=None):
        """The next publishDiagnostics for file_uri from index start on
        (by default, since the document was last opened)."""
        if start is None:
            start = self.opened.get(file_uri, 0)
        n = self.wait_note(
            lambda m: m["method"] == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == file_uri, timeout, start)
        return n["params"]["diagnostics"] if n else None

    def drain(self, seconds=0.2):
        end = time.time() + seconds
        while time.time() < end:
            self._pump(max(0.0, end - time.time()))

    # ---- life -------------------------------------------------------------
    def initialize(self, root, utf8=False, extra_caps=None, options=None):
        caps = {
            "general": {"positionEncodings": ["utf-8", "utf-16"] if utf8
                        else ["utf-16"]},
            "textDocument": {"documentSymbol": {
                "hierarchicalDocumentSymbolSupport": True}},
            "workspace": {"didChangeWatchedFiles": {
                "dynamicRegistration": True}},
        }
        if extra_caps:
            caps.update(extra_caps)
        params = {"processId": os.getpid(), "rootUri": uri(root),
                  "capabilities": caps}
        if options:
            params["initializationOptions"] = options
        r = self.result("initialize", params)
        self.notify("initialized", {})
        return r

    def open(self, path, text=None, version=1):
        if text is None:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        self.opened[uri(path)] = len(self.notes)
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri(path), "languageId": "markdown", "version": version,
            "text": text}})
        return uri(path)

    def change(self, path, version, text=None, rng=None):
        ch = {"text": text}
        if rng is not None:
            ch["range"] = rng
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri(path), "version": version},
            "contentChanges": [ch]})

    def close(self):
        """shutdown, exit; the server's exit status."""
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit")
        except (TimeoutError, BrokenPipeError):
            pass
        try:
            return self.p.wait(timeout=10)
        finally:
            self.kill()

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()
        for f in (self.p.stdin, self.p.stdout):
            try:
                f.close()
            except OSError:
                pass
