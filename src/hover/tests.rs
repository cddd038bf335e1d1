//! Which section the construct under the cursor leads to, through imports and aliases, in
//! blocks that parse and in blocks that do not.

use super::*;
use crate::analysis::analyze_once;

/// Section id of the hover at the first occurrence of `marker` (cursor on its first char,
/// plus `skip` characters), or None.
fn section_at(src: &str, marker: &str, skip: usize) -> Option<String> {
    let snap = analyze_once(src, (3, 12));
    let at = src.find(marker).expect("marker in source") + skip;
    let h = hover(&snap, &[], at, true, None)?;
    let last = h.text.lines().last().unwrap_or("").to_string();
    let cite = last.strip_prefix("Staff-Level Python Mastery, §")?;
    Some(cite.split(' ').next().unwrap_or("").to_string())
}

#[test]
fn constructs_lead_to_their_sections() {
    let src = "\
import asyncio as aio
import functools
from concurrent import futures
from typing import Protocol as P, Optional
from functools import wraps as w
from __future__ import annotations
import threading


class Shape(P):
    __slots__ = ('a',)

    @property
    def area(self) -> int | None:
        return None

    @area.setter
    def area(self, v):
        pass

    def __eq__(self, other):
        return self is other


def deco(fn):
    @w(fn)
    def inner(*a):
        nonlocal fn
        yield from fn(*a)
    return inner


async def main(jobs):
    async with aio.timeout(1):
        return await aio.gather(*jobs)


pool = futures.ThreadPoolExecutor()
lock = threading.Lock()
cached = functools.lru_cache(maxsize=None)
";
    let cases: &[(&str, usize, &str)] = &[
        ("aio.gather", 5, "10.3.1"),
        ("futures.ThreadPoolExecutor", 9, "9.3"),
        ("P):", 0, "2.5"),
        ("__slots__", 2, "1.4"),
        ("@property", 2, "1.7"),
        ("area.setter", 6, "1.7"),
        ("__eq__", 2, "1.3.3"),
        ("is other", 0, "1.11"),
        ("w(fn)", 0, "5.2.4"),
        ("nonlocal", 3, "1.5.2"),
        ("threading.Lock", 11, "8.3"),
    ];
    let mut wrong = Vec::new();
    for &(marker, skip, want) in cases {
        let got = section_at(src, marker, skip);
        if got.as_deref().is_none_or(|g| !g.starts_with(want)) {
            wrong.push(format!("{marker}: got {got:?}, want {want}"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn keywords_have_hovers_even_where_the_block_does_not_parse() {
    let src = "def f(:\n    nonlocal x\n    yield from g()\n    async with a:\n        pass\n";
    assert!(section_at(src, "nonlocal", 1).is_some());
    assert!(section_at(src, "from g", 1).is_some());
    assert_eq!(
        section_at(src, "with a", 1),
        section_at(
            "async def h():\n    async with a:\n        pass\n",
            "with a",
            1
        )
    );
}

#[test]
fn nothing_known_means_no_hover() {
    let src = "total = compute(1) + 2\n";
    assert_eq!(section_at(src, "total", 1), None);
    assert_eq!(section_at(src, "compute", 1), None);
    assert_eq!(section_at(src, "+", 0), None);
}
