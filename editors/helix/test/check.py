"""Checks editors/helix/languages.toml the way Helix reads it, then starts the server it names
and talks LSP to it over stdio as Helix would. Run by run.sh; prints PASS/FAIL lines.

Usage: python3 check.py LANGUAGES_TOML PYTHON_FILE
"""

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import tomllib

results = []


def check(name, ok, detail=""):
    results.append(bool(ok))
    line = ("PASS " if ok else "FAIL ") + name
    if not ok and detail:
        line += ": " + str(detail).replace("\n", "\\n")[:800]
    print(line, flush=True)
    return ok


# Keys Helix reads (helix-core/src/syntax/config.rs, Helix 25.07).
SERVER_KEYS = {"command", "args", "config", "environment", "timeout", "required-root-patterns"}
LANGUAGE_KEYS = {
    "name", "language-id", "scope", "file-types", "shebangs", "roots", "comment-token",
    "comment-tokens", "block-comment-tokens", "text-width", "soft-wrap", "auto-format",
    "formatter", "diagnostic-severity", "grammar", "injection-regex", "language-servers",
    "indent", "debugger", "auto-pairs", "rulers", "workspace-lsp-roots",
    "persistent-diagnostic-sources", "path-completion", "word-completion", "rainbow-brackets",
}
LANGUAGE_SERVER_ENTRY_KEYS = {"name", "only-features", "except-features"}
# Python servers Helix itself defines, and its default list for Python (25.07).
HELIX_DEFINED = {"ty", "ruff", "jedi", "pylsp", "pyright", "basedpyright", "pylyzer", "pyrefly", "zuban"}
HELIX_PYTHON_DEFAULT = ["ty", "ruff", "jedi", "pylsp"]


def check_toml(path):
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        check("languages.toml is valid TOML", False, e)
        return None
    check("languages.toml is valid TOML", True)

    server = doc.get("language-server", {}).get("pymastery")
    if not check("[language-server.pymastery] is a table", isinstance(server, dict), server):
        return None
    check("only keys Helix reads in [language-server.pymastery]", set(server) <= SERVER_KEYS, set(server) - SERVER_KEYS)
    check("command is a string", isinstance(server.get("command"), str) and server["command"], server.get("command"))
    args = server.get("args", [])
    check("args is a list of strings", isinstance(args, list) and all(isinstance(a, str) for a in args), args)
    check("args start the LSP server", args[:1] == ["serve"], args)
    check("nothing but language-server and language at the top level",
          set(doc) <= {"language-server", "language"}, set(doc))

    langs = doc.get("language", [])
    pythons = [l for l in langs if isinstance(l, dict) and l.get("name") == "python"]
    if not check("one [[language]] named python", isinstance(langs, list) and len(pythons) == 1, langs):
        return None
    py = pythons[0]
    check("only keys Helix reads in the python entry", set(py) <= LANGUAGE_KEYS, set(py) - LANGUAGE_KEYS)
    check("no old singular `language-server` key", "language-server" not in py)
    servers = py.get("language-servers")
    if not check("language-servers is a list", isinstance(servers, list), servers):
        return None
    names = []
    for s in servers:
        if isinstance(s, str):
            names.append(s)
        elif isinstance(s, dict) and isinstance(s.get("name"), str) and set(s) <= LANGUAGE_SERVER_ENTRY_KEYS:
            names.append(s["name"])
        else:
            check("language-servers entries are names or {name = ...} tables", False, s)
    check("language-servers lists pymastery", "pymastery" in names, names)
    check("language-servers keeps Helix's default Python servers",
          all(n in names for n in HELIX_PYTHON_DEFAULT), names)
    check("every listed server is defined here or by Helix",
          all(n in HELIX_DEFINED or n in doc["language-server"] for n in names), names)
    check("no server listed twice", len(names) == len(set(names)), names)
    return server


class Lsp:
    """A minimal LSP client over a child's stdio."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.next_id = 0
        self.inbox = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self.proc.stderr.read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self.cond:
                        self.inbox.append(None)
                        self.cond.notify_all()
                    return
                if line in (b"\r\n", b"\n"):
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            msg = json.loads(out.read(length))
            with self.cond:
                self.inbox.append(msg)
                self.cond.notify_all()

    def send(self, msg):
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.proc.stdin.flush()

    def notify(self, method, params=None):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:  # `void` params are left out, as Helix does for shutdown/exit
            msg["params"] = params
        self.send(msg)

    def wait_for(self, pred, timeout=15):
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for m in self.inbox:
                    if m is not None and pred(m):
                        self.inbox.remove(m)
                        return m
                if None in self.inbox:
                    raise EOFError("the server closed its output")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("no answer in %s s" % timeout)
                self.cond.wait(left)

    def request(self, method, params=None, timeout=15):
        self.next_id += 1
        i = self.next_id
        msg = {"jsonrpc": "2.0", "id": i, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        m = self.wait_for(lambda m: m.get("id") == i and "method" not in m, timeout)
        if "error" in m:
            raise RuntimeError(m["error"])
        return m.get("result")


def helix_capabilities(pull):
    """The parts of Helix's client capabilities that matter here (helix-lsp/src/client.rs)."""
    td = {
        "synchronization": {"didSave": True},
        "hover": {"contentFormat": ["markdown"]},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
            "", "quickfix", "refactor", "refactor.extract", "refactor.inline", "refactor.rewrite",
            "source", "source.organizeImports"]}}, "isPreferredSupport": True, "dataSupport": True},
        "publishDiagnostics": {"versionSupport": True},
    }
    if pull:  # Helix after 25.07 pulls diagnostics
        td["diagnostic"] = {"dynamicRegistration": False, "relatedDocumentSupport": True}
    return {
        "general": {"positionEncodings": ["utf-8", "utf-32", "utf-16"]},
        "textDocument": td,
        "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": False},
                      "executeCommand": {"dynamicRegistration": False}, "workspaceFolders": True},
        "window": {"workDoneProgress": True},
    }


def session(argv, py_path, pull, config):
    label = "pull" if pull else "push"
    lsp = Lsp(argv)
    try:
        root = os.path.dirname(py_path)
        init = lsp.request("initialize", {
            "processId": os.getpid(),
            "clientInfo": {"name": "helix", "version": "25.07.1"},
            "rootPath": root,
            "rootUri": "file://" + root,
            "workspaceFolders": [{"uri": "file://" + root, "name": os.path.basename(root)}],
            "initializationOptions": config,
            "capabilities": helix_capabilities(pull),
        })
        caps = (init or {}).get("capabilities", {})
        check(f"[{label}] initialize answers with capabilities", bool(caps), init)
        check(f"[{label}] serverInfo names pymastery", (init.get("serverInfo") or {}).get("name") == "pymastery", init.get("serverInfo"))
        check(f"[{label}] UTF-8 positions chosen from Helix's offer", caps.get("positionEncoding") == "utf-8", caps.get("positionEncoding"))
        check(f"[{label}] hover provider", caps.get("hoverProvider") is True, caps.get("hoverProvider"))
        check(f"[{label}] code action provider with quickfix", "quickfix" in (caps.get("codeActionProvider") or {}).get("codeActionKinds", []), caps.get("codeActionProvider"))
        cmds = (caps.get("executeCommandProvider") or {}).get("commands", [])
        check(f"[{label}] workspace commands pymastery.explain and pymastery.searchBook",
              {"pymastery.explain", "pymastery.searchBook"} <= set(cmds), cmds)
        check(f"[{label}] diagnostic provider only when Helix pulls", ("diagnosticProvider" in caps) == pull, caps.get("diagnosticProvider"))
        lsp.notify("initialized", {})
        if config is not None:
            lsp.notify("workspace/didChangeConfiguration", {"settings": config})

        uri = "file://" + py_path
        with open(py_path, encoding="utf-8") as f:
            text = f.read()
        lsp.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "python", "version": 0, "text": text}})
        if pull:
            report = lsp.request("textDocument/diagnostic", {"textDocument": {"uri": uri}, "identifier": "pymastery"})
            diags = (report or {}).get("items", [])
        else:
            note = lsp.wait_for(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
            diags = note["params"]["diagnostics"]
        pm0105 = [d for d in diags if d.get("code") == "PM0105"]
        check(f"[{label}] PM0105 diagnostic", len(pm0105) == 1, diags)
        check(f"[{label}] diagnostic message cites the book",
              pm0105 and pm0105[0]["message"].endswith("[§1.5.1 The Mutable Default Argument Trap]"), pm0105)

        hover = lsp.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 6, "character": 9}})
        value = ((hover or {}).get("contents") or {}).get("value", "")
        check(f"[{label}] hover on __eq__ (Markdown) cites the book",
              (hover or {}).get("contents", {}).get("kind") == "markdown" and "Staff-Level Python Mastery, §1.3.3" in value, hover)

        actions = lsp.request("textDocument/codeAction", {
            "textDocument": {"uri": uri},
            "range": {"start": {"line": 0, "character": 8}, "end": {"line": 0, "character": 8}},
            "context": {"diagnostics": pm0105, "triggerKind": 1},
        }) or []
        titles = [a.get("title") for a in actions]
        for t in ("Default `x` to None and create it in the body (PM0105, unsafe: may change behaviour)",
                  "Suppress PM0105 on this line",
                  "Explain PM0105 (§1.5.1 The Mutable Default Argument Trap)"):
            check(f"[{label}] code action {t!r}", t in titles, titles)

        explained = lsp.request("workspace/executeCommand", {"command": "pymastery.explain", "arguments": ["PM0105", "show"]})
        shown = lsp.wait_for(lambda m: m.get("method") == "window/showMessage"
                             and "PM0105 mutable-default-argument" in m["params"]["message"], 5)
        check(f"[{label}] Explain action's command shows the text as a message (Helix's status line)",
              isinstance(explained, str) and shown["params"]["message"] == explained, shown)

        check(f"[{label}] shutdown", lsp.request("shutdown") is None)
        lsp.notify("exit")
        check(f"[{label}] exits with 0 after shutdown/exit", lsp.proc.wait(10) == 0, lsp.proc.returncode)
    except Exception as e:  # noqa: BLE001 - any failure of the session is a test failure
        check(f"[{label}] LSP session over stdio", False, repr(e))
    finally:
        if lsp.proc.poll() is None:
            lsp.proc.kill()
            lsp.proc.wait()


def main():
    toml_path, py_path = sys.argv[1], os.path.abspath(sys.argv[2])
    server = check_toml(toml_path)
    if not server:
        return
    exe = shutil.which(server["command"])
    if not check(f"command {server['command']!r} found on PATH", exe, os.environ.get("PATH")):
        return
    argv = [exe] + server.get("args", [])
    session(argv, py_path, pull=False, config=server.get("config"))
    session(argv, py_path, pull=True, config={"hover": {"enable": True}})


if __name__ == "__main__":
    main()
    sys.exit(0 if results and all(results) else 1)
