//! Text helpers that rules and fixes share: where a name sits, a line's indentation, where the
//! next line starts. All offsets are byte offsets into the block's text.

use crate::syntax::{ast, span};

/// Byte range of the name after the `def` or `class` keyword of a definition, skipping its
/// decorators.
pub fn def_name(
    source: &str,
    stmt_start: usize,
    decorators: &[ast::Expr],
    name: &str,
) -> (usize, usize) {
    let from = decorators
        .iter()
        .map(|d| span(d).1)
        .max()
        .unwrap_or(stmt_start)
        .max(stmt_start);
    let hay = source.get(from..).unwrap_or("");
    let mut at = 0;
    while let Some(i) = hay[at..].find(name) {
        let s = at + i;
        let before = hay[..s].chars().next_back();
        let after = hay[s + name.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if !ident(before) && !ident(after) {
            return (from + s, from + s + name.len());
        }
        at = s + name.len();
    }
    (stmt_start, stmt_start)
}

/// Where a statement's text begins: its first decorator's `@` for a decorated definition (the
/// parser's range starts at `def`/`class`), else its own start.
pub fn stmt_start(source: &str, stmt: &ast::Stmt) -> usize {
    let decorators = match stmt {
        ast::Stmt::FunctionDef(f) => &f.decorator_list[..],
        ast::Stmt::AsyncFunctionDef(f) => &f.decorator_list[..],
        ast::Stmt::ClassDef(c) => &c.decorator_list[..],
        _ => &[],
    };
    let start = span(stmt).0;
    match decorators.iter().map(|d| span(d).0).min() {
        Some(d) if d < start => source[..d].rfind('@').unwrap_or(d),
        _ => start,
    }
}

pub fn line_start(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())]
        .rfind(['\n', '\r'])
        .map_or(0, |i| i + 1)
}

/// Offset just past the line break that ends the line containing `offset` (or the text's end).
pub fn next_line_start(source: &str, offset: usize) -> usize {
    let rest = &source[offset.min(source.len())..];
    match rest.find(['\n', '\r']) {
        Some(i) => {
            let at = offset + i;
            if source[at..].starts_with("\r\n") {
                at + 2
            } else {
                at + 1
            }
        }
        None => source.len(),
    }
}

/// Leading whitespace of the line containing `offset`.
pub fn indentation(source: &str, offset: usize) -> &str {
    let start = line_start(source, offset);
    let line = &source[start..];
    let n = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..n]
}

/// True when only whitespace or a comment follows `offset` on its line.
pub fn rest_of_line_blank(source: &str, offset: usize) -> bool {
    let rest = &source[offset.min(source.len())..];
    let line = rest.split(['\n', '\r']).next().unwrap_or("");
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// True when the text between the start of `offset`'s line and `offset` is blank.
pub fn starts_line(source: &str, offset: usize) -> bool {
    source[line_start(source, offset)..offset.min(source.len())]
        .trim()
        .is_empty()
}

/// One more level of indentation than `base`, in the style the body already uses.
pub fn indent_unit(outer: &str, inner: &str) -> String {
    match inner.strip_prefix(outer) {
        Some(unit) if !unit.is_empty() => unit.to_string(),
        _ if inner.contains('\t') => "\t".to_string(),
        _ => "    ".to_string(),
    }
}
