#!/usr/bin/env bash
# Every test of the project, in the order a failure is cheapest to read: format, lints, the Rust
# unit and integration tests (which drive the real binary over stdio), then each editor
# integration in its real editor where it can run here. Installs nothing for Rust; the editor
# scripts install what they need themselves (pip, npm, apt-get).
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
step() {
  local name=$1
  shift
  echo "=== $name"
  if "$@"; then
    passed=$((passed + 1))
    echo "=== $name: ok"
  else
    failed=$((failed + 1))
    echo "=== $name: FAILED"
  fi
}

step "cargo fmt" cargo fmt --check
step "cargo clippy" cargo clippy --all-targets --quiet -- -D warnings
# The `ci` profile (Cargo.toml) is `dev` at opt-level 1: the stdlib-wide tests re-analyse the
# standard library once per fix and would take an hour unoptimised. The editor suites use the
# binary that build made.
step "cargo test" cargo test --profile ci --quiet
export PYMASTERY="$PWD/target/ci/pymastery"
step "cargo build" cargo build --profile ci --quiet
for suite in editors/helix/test/run.sh editors/nvim/test/run.sh editors/vscode/test/run.sh; do
  if [ -f "$suite" ]; then
    step "$suite" bash "$suite"
  fi
done

echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
