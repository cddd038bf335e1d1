#!/usr/bin/env bash
# End-to-end test of the pymastery extension in real VS Code: installs the .vsix into code-server,
# opens a workspace with a Python file, and drives it from Chromium with Playwright
# (test/e2e/e2e.js). Screenshots of each step go to test/artifacts/.
#
#   bash test/e2e.sh [--update-screenshot] [path/to/pymastery.vsix]
#
# Needs: `npm ci` done in test/e2e (run.sh does it), /usr/bin/chromium, and the server binary
# from $PYMASTERY or <repo>/target/debug/pymastery. --update-screenshot copies the quick fix,
# hover and explain screenshots to media/ for the README.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
EXT_DIR="$(dirname "$HERE")"
REPO="$(cd "$EXT_DIR/../.." && pwd)"

UPDATE_SHOT=0
VSIX="$EXT_DIR/pymastery.vsix"
for arg in "$@"; do
    case "$arg" in
        --update-screenshot) UPDATE_SHOT=1 ;;
        *) VSIX="$arg" ;;
    esac
done

SERVER="${PYMASTERY:-$REPO/target/debug/pymastery}"
CODE_SERVER="$HERE/e2e/node_modules/.bin/code-server"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
ARTIFACTS="$HERE/artifacts"

die() { echo "e2e: $*" >&2; exit 1; }
[ -f "$VSIX" ] || die "no extension package at $VSIX (run: npm run package)"
[ -x "$SERVER" ] || die "no server binary at $SERVER (set PYMASTERY or run cargo build)"
[ -x "$CODE_SERVER" ] || die "code-server is not installed (run: npm ci in $HERE/e2e)"
[ -x "$CHROMIUM" ] || die "no Chromium at $CHROMIUM (apt-get install chromium)"
SERVER="$(cd "$(dirname "$SERVER")" && pwd)/$(basename "$SERVER")"

mkdir -p "$ARTIFACTS"
# Start clean, but keep the logs run.sh writes there.
find "$ARTIFACTS" -mindepth 1 -maxdepth 1 ! -name run-logs -exec rm -rf {} +
TMP="$(mktemp -d "${TMPDIR:-/tmp}/pm-e2e.XXXXXX")"
CS_PID=""
cleanup() {
    if [ -n "$CS_PID" ] && kill -0 "$CS_PID" 2>/dev/null; then
        # code-server, its extension hosts and the language server share one process group.
        kill -TERM -- "-$CS_PID" 2>/dev/null || true
        for _ in $(seq 1 20); do
            kill -0 "$CS_PID" 2>/dev/null || break
            sleep 0.25
        done
        kill -KILL -- "-$CS_PID" 2>/dev/null || true
    fi
    # Keep the extension host's logs (they hold the pymastery output channel) as artifacts.
    if [ -d "$TMP/user-data/logs" ]; then
        cp -r "$TMP/user-data/logs" "$ARTIFACTS/vscode-logs" 2>/dev/null || true
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT

# code-server and Chromium write under ~/.config: keep them out of the real home.
export HOME="$TMP/home"
export XDG_CONFIG_HOME="$HOME/.config"
mkdir -p "$HOME" "$TMP/user-data/User" "$TMP/extensions" "$TMP/workspace"

cat > "$TMP/user-data/User/settings.json" <<EOF
{
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": false,
    "workbench.enableExperiments": false,
    "editor.hover.delay": 100,
    "editor.lightbulb.enabled": "on",
    "workbench.editor.enablePreview": false,
    "extensions.ignoreRecommendations": true,
    "extensions.autoCheckUpdates": false,
    "extensions.autoUpdate": false,
    "security.workspace.trust.enabled": false,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "window.commandCenter": false,
    "chat.commandCenter.enabled": false,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
    "pymastery.path": "$SERVER"
}
EOF

# The test changes settings at the workspace level, in .vscode/settings.json: code-server sees
# changes to files in the workspace at once (it was not seen to notice external edits of the
# user settings file).
mkdir -p "$TMP/workspace/.vscode"
echo '{}' > "$TMP/workspace/.vscode/settings.json"

cat > "$TMP/workspace/example.py" <<'EOF'
def append_to(item, bucket=[]):
    bucket.append(item)
    return bucket


class Point:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y
EOF

echo "e2e: installing $(basename "$VSIX") into code-server"
"$CODE_SERVER" --user-data-dir "$TMP/user-data" --extensions-dir "$TMP/extensions" \
    --install-extension "$VSIX" > "$ARTIFACTS/install-extension.log" 2>&1 \
    || { cat "$ARTIFACTS/install-extension.log"; die "installing the extension failed"; }

PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
URL="http://127.0.0.1:$PORT"
echo "e2e: starting code-server on $URL"
setsid "$CODE_SERVER" --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry \
    --disable-update-check --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$TMP/user-data" --extensions-dir "$TMP/extensions" \
    "$TMP/workspace" > "$ARTIFACTS/code-server.log" 2>&1 &
CS_PID=$!

for i in $(seq 1 120); do
    if node -e 'require("http").get(process.argv[1],r=>process.exit(r.statusCode===200?0:1)).on("error",()=>process.exit(1))' "$URL/healthz"; then
        break
    fi
    kill -0 "$CS_PID" 2>/dev/null || { cat "$ARTIFACTS/code-server.log"; die "code-server exited"; }
    [ "$i" -lt 120 ] || die "code-server did not answer on $URL/healthz within 60 s"
    sleep 0.5
done

README_DIR=""
[ "$UPDATE_SHOT" = 1 ] && README_DIR="$EXT_DIR/media"

E2E_URL="$URL" E2E_WORKSPACE="$TMP/workspace" E2E_ARTIFACTS="$ARTIFACTS" \
E2E_SETTINGS="$TMP/workspace/.vscode/settings.json" E2E_README_DIR="$README_DIR" CHROMIUM="$CHROMIUM" \
    node "$HERE/e2e/e2e.js"
