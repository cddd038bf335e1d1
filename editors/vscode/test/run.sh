#!/usr/bin/env bash
# Everything for the VS Code extension, from a fresh machine: installs what it needs (Debian's
# chromium, ripgrep and libkrb5-dev; the npm packages from the committed lock files), compiles,
# runs the unit tests, packages pymastery.vsix and runs the end-to-end test in code-server.
#
#   bash editors/vscode/test/run.sh          (from anywhere; PYMASTERY=path/to/pymastery optional)
#
# Exits non-zero on any failure; the last line is "N passed, M failed", counting each unit test,
# each end-to-end step, and the install, compile and package stages. Logs: test/artifacts/run-logs/.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EXT_DIR="$(dirname "$HERE")"
REPO="$(cd "$EXT_DIR/../.." && pwd)"
LOGS="$HERE/artifacts/run-logs"
rm -rf "$LOGS"
mkdir -p "$LOGS"

PASSED=0
FAILED=0
T0=$SECONDS
pass() { PASSED=$((PASSED + ${2:-1})); echo "run: ok: $1"; }
fail() { FAILED=$((FAILED + ${2:-1})); echo "run: FAILED: $1"; }
finish() {
    echo "run: total $((SECONDS - T0)) s; logs and screenshots in $HERE/artifacts/"
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
    exit $?
}
# Runs a stage with its output in $LOGS/NAME.log; on failure shows the log's tail.
stage() {
    local name="$1"
    shift
    local t=$SECONDS
    echo "run: $name ..."
    if "$@" > "$LOGS/$name.log" 2>&1; then
        echo "run: $name took $((SECONDS - t)) s"
        return 0
    fi
    echo "run: $name failed after $((SECONDS - t)) s; last lines of $LOGS/$name.log:"
    tail -n 40 "$LOGS/$name.log" | sed 's/^/    /'
    return 1
}

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo > /dev/null; then
    SUDO="sudo"
fi

# --- system packages --------------------------------------------------------------------------
install_system() {
    local missing=()
    command -v chromium > /dev/null || missing+=(chromium)
    command -v rg > /dev/null || missing+=(ripgrep)
    command -v krb5-config > /dev/null || [ -f /usr/include/krb5.h ] || [ -f /usr/include/gssapi/gssapi.h ] || missing+=(libkrb5-dev)
    command -v node > /dev/null || missing+=(nodejs npm)
    command -v make > /dev/null && command -v g++ > /dev/null && command -v python3 > /dev/null || missing+=(build-essential python3)
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "all present"
        return 0
    fi
    echo "installing ${missing[*]}"
    $SUDO apt-get update && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
}

# --- npm packages -----------------------------------------------------------------------------
# npm ci in DIR unless node_modules already holds exactly that lock file's install.
npm_ci() {
    local dir="$1" stamp sum
    stamp="$dir/node_modules/.pymastery-lock.sha256"
    sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
        echo "$dir: node_modules is up to date"
        return 0
    fi
    (cd "$dir" && npm ci --no-audit --no-fund) && echo "$sum" > "$stamp"
}

install_npm() {
    local major
    major="$(node -p 'process.versions.node.split(".")[0]')"
    [ "$major" = 20 ] || { echo "code-server 4.100.3 needs Node 20, this is $(node --version)"; return 1; }
    # node-pty's install runs `npx node-gyp`: let npx fetch it without asking.
    export npm_config_yes=true
    # code-server's postinstall refuses to run as root without it (newer npm calls the option
    # unknown but still passes it on to the script).
    export npm_config_unsafe_perm=true
    # Native modules build against the installed Node headers instead of downloading them.
    if [ -f /usr/include/node/common.gypi ]; then
        export npm_config_nodedir=/usr
    fi
    # @vscode/ripgrep (a code-server dependency) downloads rg in its postinstall; this machine
    # cannot, so seed its cache with Debian's rg.
    local cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
    local tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
    if [ ! -s "$tarball" ]; then
        local staging
        staging="$(mktemp -d)"
        mkdir -p "$cache"
        cp "$(command -v rg)" "$staging/rg"
        tar -C "$staging" -czf "$tarball" rg
        rm -rf "$staging"
    fi
    npm_ci "$EXT_DIR" && npm_ci "$HERE/e2e"
}

# --- the server binary --------------------------------------------------------------------------
find_server() {
    if [ -n "${PYMASTERY:-}" ]; then
        [ -x "$PYMASTERY" ] || { echo "PYMASTERY=$PYMASTERY is not an executable"; return 1; }
        return 0
    fi
    if [ ! -x "$REPO/target/debug/pymastery" ]; then
        (cd "$REPO" && cargo build) || return 1
    fi
    export PYMASTERY="$REPO/target/debug/pymastery"
}

if stage install-system install_system && stage install-npm install_npm; then
    pass "install"
else
    fail "install"
    finish
fi

if stage compile bash -c "cd '$EXT_DIR' && npm run compile"; then
    pass "compile"
else
    fail "compile"
    finish
fi

# Unit tests: count node's test runner's own totals.
stage unit bash -c "cd '$EXT_DIR' && npm run test:unit"
unit_rc=$?
unit_pass="$(grep -aoE '^(# |ℹ )pass [0-9]+' "$LOGS/unit.log" | grep -oE '[0-9]+$' | tail -1)"
unit_fail="$(grep -aoE '^(# |ℹ )fail [0-9]+' "$LOGS/unit.log" | grep -oE '[0-9]+$' | tail -1)"
unit_pass="${unit_pass:-0}"
unit_fail="${unit_fail:-0}"
if [ "$unit_rc" -ne 0 ] && [ "$unit_fail" -eq 0 ]; then
    unit_fail=1
fi
grep -aE '^(not ok|ok) ' "$LOGS/unit.log" | sed 's/^/    /' || true
[ "$unit_pass" -gt 0 ] && pass "unit tests" "$unit_pass"
[ "$unit_fail" -gt 0 ] && fail "unit tests" "$unit_fail"

rm -f "$EXT_DIR/pymastery.vsix"
if stage package bash -c "cd '$EXT_DIR' && npm run package" && [ -s "$EXT_DIR/pymastery.vsix" ]; then
    pass "package ($(du -k "$EXT_DIR/pymastery.vsix" | cut -f1) KB)"
else
    fail "package"
    finish
fi

if ! stage server find_server; then
    fail "server binary"
    finish
fi
echo "run: server binary $PYMASTERY"

echo "run: e2e ..."
t=$SECONDS
bash "$HERE/e2e.sh" "$EXT_DIR/pymastery.vsix" 2>&1 | tee "$LOGS/e2e.log"
e2e_rc=${PIPESTATUS[0]}
echo "run: e2e took $((SECONDS - t)) s"
summary="$(grep -aoE '^E2E passed=[0-9]+ failed=[0-9]+' "$LOGS/e2e.log" | tail -1)"
e2e_pass="$(echo "$summary" | sed -nE 's/.*passed=([0-9]+).*/\1/p')"
e2e_fail="$(echo "$summary" | sed -nE 's/.*failed=([0-9]+).*/\1/p')"
e2e_pass="${e2e_pass:-0}"
e2e_fail="${e2e_fail:-0}"
if [ "$e2e_rc" -ne 0 ] && [ "$e2e_fail" -eq 0 ]; then
    e2e_fail=1
fi
[ "$e2e_pass" -gt 0 ] && pass "e2e steps" "$e2e_pass"
[ "$e2e_fail" -gt 0 ] && fail "e2e steps" "$e2e_fail"

finish
