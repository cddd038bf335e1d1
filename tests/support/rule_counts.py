#!/usr/bin/env python3
"""Per-rule finding counts on the installed Python standard library, for rule defaults.

Usage: tests/support/rule_counts.py [--binary PATH] [--samples N] CODE [CODE ...]

Prints, for each code, the findings inside and outside test folders, then up to N sample
findings outside tests (path:line: message and the flagged line) to judge by eye.
"""
import argparse
import json
import random
import subprocess
import sys
import sysconfig


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("codes", nargs="+")
    p.add_argument("--binary", default="target/debug/pymastery")
    p.add_argument("--samples", type=int, default=8)
    a = p.parse_args()
    stdlib = sysconfig.get_paths()["stdlib"]
    out = subprocess.run(
        [a.binary, "check", "--select", ",".join(a.codes), "--output-format", "json", stdlib],
        capture_output=True, text=True,
    )
    try:
        found = [f for f in json.loads(out.stdout) if f.get("code")]
    except json.JSONDecodeError:
        print(out.stderr, file=sys.stderr)
        return 2
    rng = random.Random(0)
    for code in a.codes:
        mine = [f for f in found if f["code"] == code]
        tests = [f for f in mine if "/test" in f["path"] or "/idlelib/idle_test" in f["path"]]
        rest = [f for f in mine if f not in tests]
        print(f"{code}: {len(mine)} in all, {len(rest)} outside test folders")
        for f in rng.sample(rest, min(a.samples, len(rest))):
            rel = f["path"][len(stdlib) + 1:]
            try:
                with open(f["path"], encoding="utf-8") as fh:
                    line = fh.read().splitlines()[f["line"] - 1].strip()
            except (OSError, UnicodeDecodeError, IndexError):
                line = ""
            print(f"  {rel}:{f['line']}: {line[:100]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
