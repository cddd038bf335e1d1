//! PM0208: a `# type: ignore` comment without error codes, which silences every error the
//! type checker finds on its line (§2.12.2).

use super::typing_names::STATEMENTS;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Ranged, Stmt};
use crate::syntax::span;
use rustpython_parser::{lexer, Mode, Tok};

pub struct BareTypeIgnore;

const CODE: &str = "PM0208";

/// Where the first statement of a block starts: past blank lines and comment lines.
fn first_code(source: &str) -> usize {
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let t = line.trim_start();
        if !(t.is_empty() || t.starts_with('#')) {
            return at + (line.len() - t.len());
        }
        at += line.len();
    }
    source.len()
}

/// Where a statement starts, its decorators included.
fn extended_start(source: &str, s: &Stmt) -> usize {
    let decorators = match s {
        Stmt::FunctionDef(f) => &f.decorator_list,
        Stmt::AsyncFunctionDef(f) => &f.decorator_list,
        Stmt::ClassDef(c) => &c.decorator_list,
        _ => return span(s).0,
    };
    decorators
        .iter()
        .map(|d| source[..span(d).0].rfind('@').unwrap_or(span(d).0))
        .min()
        .unwrap_or(span(s).0)
        .min(span(s).0)
}

/// Every comment of a block that parses, with its offset: a `#` outside string tokens runs to
/// the end of its line. (The lexer drops comments, but it knows where the strings are.)
fn comments(source: &str) -> Vec<(usize, &str)> {
    let strings: Vec<(usize, usize)> = lexer::lex(source, Mode::Module)
        .filter_map(|t| match t {
            Ok((Tok::String { .. }, r)) => Some((r.start().to_usize(), r.end().to_usize())),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    let mut k = 0;
    let mut at = 0;
    while let Some(i) = source[at..].find('#') {
        let p = at + i;
        while k < strings.len() && strings[k].1 <= p {
            k += 1;
        }
        if k < strings.len() && strings[k].0 <= p {
            at = strings[k].1;
            continue;
        }
        let end = source[p..]
            .find(['\n', '\r'])
            .map_or(source.len(), |n| p + n);
        out.push((p, &source[p..end]));
        at = end;
    }
    out
}

/// Cheap test before lexing the block: some line has `ignore` after a `#` and a `type`.
/// (`errors="ignore"` is common; lexing every block that holds it was a hot spot.)
fn may_hold_type_ignore(source: &str) -> bool {
    source.match_indices("ignore").any(|(at, _)| {
        let line = &source[source[..at].rfind('\n').map_or(0, |n| n + 1)..at];
        line.find('#')
            .is_some_and(|hash| line[hash..].contains("type"))
    })
}

/// The range of `type: ignore` in a comment that starts with it and names no codes.
fn bare_ignore(comment: &str) -> Option<(usize, usize)> {
    let body = comment.strip_prefix('#')?;
    let lead = body.len() - body.trim_start().len();
    let rest = body[lead..].strip_prefix("type:")?;
    let gap = rest.len() - rest.trim_start().len();
    let after = rest[gap..].strip_prefix("ignore")?;
    if after.starts_with('[') || after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let start = 1 + lead;
    Some((start, start + "type:".len() + gap + "ignore".len()))
}

impl Rule for BareTypeIgnore {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        STATEMENTS
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        // Once per block: from its first top-level statement, which owns the block's comments.
        let Node::Stmt(stmt) = node else { return };
        if !ctx.parents.is_empty() {
            return;
        }
        let src = ctx.source;
        if !may_hold_type_ignore(src) {
            return;
        }
        let first = first_code(src);
        if first < extended_start(src, stmt) || first >= stmt.end().to_usize() {
            return;
        }
        let mut found = Vec::new();
        for (at, comment) in comments(src) {
            if let Some((s, e)) = bare_ignore(comment) {
                found.push((at + s, at + e));
            }
        }
        for range in found {
            ctx.report(CODE, range, &[], None);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_ignores_without_codes() {
        let src = "# type: ignore\nimport x  # type: ignore\ny = f(  # type:ignore\n    1)\nz = 1; w = 2  #type: ignore  # noqa\n";
        let found = findings(src, "PM0208", T);
        assert_eq!(
            flagged(src, &found),
            [
                "type: ignore",
                "type: ignore",
                "type:ignore",
                "type: ignore"
            ]
        );
        assert_eq!(
            found[0].message,
            "`# type: ignore` without an error code silences every type error on its line, including ones nobody has seen yet; name the codes, as in `# type: ignore[attr-defined]`"
        );
        assert_eq!(found[0].section, "2.12.2");
    }

    #[test]
    fn flags_comments_in_decorated_and_nested_code_once() {
        let src = "@dec  # type: ignore\nclass A:\n    def f(self):\n        return g()  # type: ignore\n\n# trailing comment # type: ignore\n";
        let found = findings(src, "PM0208", T);
        assert_eq!(found.len(), 2);
    }

    #[test]
    fn silent_on_near_misses() {
        let src = "x = 1  # type: ignore[attr-defined]\ny = '# type: ignore'\nz = \"\"\"\n# type: ignore\n\"\"\"\nw = 2  # type: ignored\nv = 3  # noqa # type: ignore\nu: int = 4  # type: int\nt = f'{x!r}#' # type: ignore[misc]\n";
        assert!(findings(src, "PM0208", T).is_empty());
    }
}
