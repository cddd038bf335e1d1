//! Cutting a file into top-level blocks without parsing it.
//!
//! A block starts at a line whose first character is at column 0 and begins a statement: not
//! inside brackets, a string, or a backslash continuation; not a comment; not an `else`, `elif`,
//! `except` or `finally` clause of the statement before; not the `def`/`class` that a decorator
//! line above belongs to. The scan only needs to be right for code that parses; on broken code
//! it still yields blocks, which then fail to parse one by one.

/// Byte range `[start, end)` of one top-level block. Blocks cover the whole text, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub start: usize,
    pub end: usize,
}

const CLAUSES: [&str; 4] = ["else", "elif", "except", "finally"];

fn starts_clause(line: &[u8]) -> bool {
    CLAUSES.iter().any(|kw| {
        line.starts_with(kw.as_bytes())
            && !line
                .get(kw.len())
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c >= 0x80)
    })
}

pub fn segment(text: &str) -> Vec<Block> {
    let (starts, _) = scan(text, 0, |_| false);
    blocks(&starts, text.len())
}

fn blocks(starts: &[usize], len: usize) -> Vec<Block> {
    let mut out = Vec::with_capacity(starts.len());
    for (k, &s) in starts.iter().enumerate() {
        let e = starts.get(k + 1).copied().unwrap_or(len);
        out.push(Block { start: s, end: e });
    }
    out
}

/// Re-segments after an edit. `old` are the blocks of the previous text; the two texts share
/// their first `prefix` and last `suffix` bytes. Blocks before the edit are kept; scanning
/// restarts at the block holding the line break before the edited line and stops as soon as it meets an old
/// block start inside the unchanged tail (the scanner is in its neutral state at every block
/// start, so everything after is the old segmentation shifted).
pub fn resegment(
    old: &[Block],
    old_len: usize,
    text: &str,
    prefix: usize,
    suffix: usize,
) -> Vec<Block> {
    let delta = text.len() as isize - old_len as isize;
    // Whether a line starts a block depends on its first word, so an edit anywhere in a line
    // can change the decision at that line's start: rescan from the block before it.
    let line_start = text[..prefix.min(text.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1);
    let target = line_start.saturating_sub(1);
    let first = old.partition_point(|b| b.end <= target);
    let first = first.min(old.len().saturating_sub(1));
    let from = old.get(first).map_or(0, |b| b.start);
    let tail_start = text.len() - suffix;
    let old_starts: Vec<usize> = old.iter().map(|b| b.start).collect();
    let mut resync_at = None;
    let (mut starts, stopped) = scan(text, from, |s| {
        if s < tail_start {
            return false;
        }
        let old_pos = s as isize - delta;
        let hit = old_pos >= 0 && old_starts.binary_search(&(old_pos as usize)).is_ok();
        if hit {
            resync_at = Some(old_pos as usize);
        }
        hit
    });
    let mut out: Vec<usize> = old_starts[..first].to_vec();
    if stopped {
        starts.pop();
        out.extend(starts);
        if let Some(old_pos) = resync_at {
            let k = old_starts.partition_point(|&x| x < old_pos);
            out.extend(
                old_starts[k..]
                    .iter()
                    .map(|&x| (x as isize + delta) as usize),
            );
        }
    } else {
        out.extend(starts);
    }
    blocks(&out, text.len())
}

/// Block starts from `from` (a block start) onwards; stops early, returning true, when
/// `stop` says so for a newly found start (which is included).
fn scan(text: &str, from: usize, mut stop: impl FnMut(usize) -> bool) -> (Vec<usize>, bool) {
    let b = text.as_bytes();
    let mut starts = vec![from];
    let mut depth = 0usize;
    // Some(quote, triple) while inside a string literal.
    let mut string: Option<(u8, bool)> = None;
    let mut continued = false;
    let mut prev_decorator = false;
    let mut seen_statement = false;
    let mut i = from;
    let mut at_line_start = true;
    while i < b.len() {
        if at_line_start {
            at_line_start = false;
            // `def` or `class` at column 0 can never sit inside brackets: an unclosed bracket
            // above must not swallow the rest of the file.
            if string.is_none()
                && depth > 0
                && (b[i..].starts_with(b"def ")
                    || b[i..].starts_with(b"class ")
                    || b[i..].starts_with(b"async def "))
            {
                depth = 0;
                continued = false;
            }
            if string.is_none() && depth == 0 && !continued {
                let mut j = i;
                while j < b.len() && b[j] == 0x0c {
                    j += 1;
                }
                let c = b.get(j).copied().unwrap_or(b'\n');
                let blank = matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'#');
                if !blank && !starts_clause(&b[j..]) {
                    if seen_statement && !prev_decorator && i != from {
                        starts.push(i);
                        if stop(i) {
                            return (starts, true);
                        }
                    }
                    seen_statement = true;
                    prev_decorator = c == b'@';
                }
            }
            continued = false;
        }
        let c = b[i];
        match string {
            Some((q, triple)) => {
                if c == b'\\' {
                    i += 2;
                    // An escaped line break still ends the physical line.
                    if i <= b.len() && matches!(b[i - 1], b'\n' | b'\r') {
                        if b[i - 1] == b'\r' && b.get(i) == Some(&b'\n') {
                            i += 1;
                        }
                        at_line_start = true;
                    }
                    continue;
                }
                if c == q {
                    if !triple {
                        string = None;
                    } else if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) {
                        string = None;
                        i += 3;
                        continue;
                    }
                } else if c == b'\n' || c == b'\r' {
                    if !triple {
                        // Unterminated single-quoted string: the line ends it.
                        string = None;
                    }
                    if c == b'\r' && b.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    at_line_start = true;
                }
                i += 1;
            }
            None => {
                match c {
                    b'#' => {
                        while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                            i += 1;
                        }
                        continue;
                    }
                    b'\'' | b'"' => {
                        if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&c) {
                            string = Some((c, true));
                            i += 3;
                            continue;
                        }
                        string = Some((c, false));
                    }
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                    b'\\' => {
                        if matches!(b.get(i + 1), Some(b'\n') | Some(b'\r')) {
                            continued = true;
                        }
                    }
                    b'\n' => at_line_start = true,
                    b'\r' => {
                        if b.get(i + 1) == Some(&b'\n') {
                            i += 1;
                        }
                        at_line_start = true;
                    }
                    _ => {}
                }
                i += 1;
            }
        }
    }
    (starts, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<&str> {
        segment(src).iter().map(|b| &src[b.start..b.end]).collect()
    }

    #[test]
    fn splits_top_level_statements() {
        let src = "import os\n\ndef f():\n    return 1\n\nx = 1\n";
        assert_eq!(
            texts(src),
            ["import os\n\n", "def f():\n    return 1\n\n", "x = 1\n"]
        );
    }

    #[test]
    fn keeps_clauses_decorators_brackets_and_strings_together() {
        let src = "@dec\n@dec2\nclass A:\n    pass\nif x:\n    pass\nelse:\n    pass\nt = (\n1)\ns = '''\nx = 1\n'''\ny = 1 + \\\n2\nz = 3\n";
        assert_eq!(
            texts(src),
            [
                "@dec\n@dec2\nclass A:\n    pass\n",
                "if x:\n    pass\nelse:\n    pass\n",
                "t = (\n1)\n",
                "s = '''\nx = 1\n'''\n",
                "y = 1 + \\\n2\n",
                "z = 3\n"
            ]
        );
    }

    #[test]
    fn comments_and_crlf() {
        let src = "# head\r\na = 1\r\n# note\r\nb = '#'\rc = 2";
        assert_eq!(
            texts(src),
            ["# head\r\na = 1\r\n# note\r\n", "b = '#'\r", "c = 2"]
        );
    }

    #[test]
    fn an_unclosed_bracket_stops_at_the_next_def() {
        assert_eq!(
            texts("def f(:\n    pass\ndef g():\n    pass\n"),
            ["def f(:\n    pass\n", "def g():\n    pass\n"]
        );
    }

    #[test]
    fn resegmenting_after_edits_equals_segmenting_afresh() {
        let base = "import os\n\n@dec\ndef f(a,\n      b):\n    \x27\x27\x27doc\nx = 1\n\x27\x27\x27\n    return a\n\nclass C:\n    pass\nelse_ = 1\ny = [\n1]\n";
        let edits: &[(usize, usize, &str)] = &[
            (0, 0, "x"),
            (10, 10, "  "),
            (25, 26, "("),
            (40, 40, "\x27\x27\x27"),
            (999, 999, "z = 1\n"),
            (3, 60, ""),
            (12, 13, "@"),
            (44, 44, "\n"),
            (11, 11, " "),
        ];
        for &(s, e, ins) in edits {
            let (s, e) = (s.min(base.len()), e.min(base.len()));
            let mut new = base.to_string();
            new.replace_range(s..e, ins);
            let prefix = base
                .bytes()
                .zip(new.bytes())
                .take_while(|(a, b)| a == b)
                .count();
            let max_suffix = base.len().min(new.len()) - prefix;
            let suffix = base
                .bytes()
                .rev()
                .zip(new.bytes().rev())
                .take_while(|(a, b)| a == b)
                .count()
                .min(max_suffix);
            let old = segment(base);
            assert_eq!(
                resegment(&old, base.len(), &new, prefix, suffix),
                segment(&new),
                "edit {s}..{e} {ins:?}"
            );
        }
    }

    #[test]
    fn elsewhere_named_identifiers_are_not_clauses() {
        assert_eq!(
            texts("x = 1\nelsewhere = 2\n"),
            ["x = 1\n", "elsewhere = 2\n"]
        );
    }
}
