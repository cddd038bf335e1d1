#!/usr/bin/env bash
# Tests of editors/helix: languages.toml is valid TOML with the keys Helix reads, and the
# command it names starts the server, which answers an LSP session over stdio the way Helix
# drives it (diagnostics pushed for Helix 25.07 and pulled for later versions, hover, code
# actions, the Explain command, shutdown/exit). test/check.py holds the checks.
# Environment: PYMASTERY, the server binary (default target/debug/pymastery, built if missing);
# it is put on PATH as `pymastery` for the test, which is what languages.toml names.
# Ends with the line "N passed, M failed"; exits non-zero on any failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
helix=$(dirname "$here")
repo=$(cd "$helix/../.." && pwd)
passed=0
failed=0
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

exe=${PYMASTERY:-$repo/target/debug/pymastery}
if [ ! -x "$exe" ] && [ -z "${PYMASTERY:-}" ]; then
  echo "building the server (cargo build)..."
  (cd "$repo" && cargo build --quiet) || true
fi
if [ ! -x "$exe" ]; then
  echo "FAIL server binary $exe not found"
  failed=$((failed + 1))
  finish
fi
if ! python3 -c 'import tomllib' 2>/dev/null; then
  echo "FAIL python3 with tomllib (3.11+) is needed: $(python3 --version 2>&1)"
  failed=$((failed + 1))
  finish
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/project"
ln -s "$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe")" "$work/bin/pymastery"
printf '[project]\nname = "demo"\nversion = "0"\n' >"$work/project/pyproject.toml"
cat >"$work/project/mod.py" <<'PY'
def f(x=[]):
    x.append(1)
    return x


class Point:
    def __eq__(self, other):
        return True
PY

start=$SECONDS
PATH="$work/bin:$PATH" timeout -k 5 120 python3 "$here/check.py" "$helix/languages.toml" "$work/project/mod.py" >"$work/out" 2>&1
rc=$?
cat "$work/out"
passed=$(grep -c '^PASS' "$work/out")
failed=$(grep -c '^FAIL' "$work/out")
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  echo "FAIL check.py exited with $rc"
  failed=1
fi
echo "(helix checks: $((SECONDS - start)) s)"
finish
