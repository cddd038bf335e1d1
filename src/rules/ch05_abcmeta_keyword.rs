//! PM0502: `metaclass=ABCMeta` spelled out in a class statement, where deriving from `abc.ABC`
//! says the same thing (§5.8). Also the helpers the other abstract-class rules share.

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{self, Expr, Stmt};
use crate::syntax::span;

pub struct AbcmetaKeyword;

const CODE: &str = "PM0502";

/// The qualified name of a dotted expression, through the module's imports; a bare name the
/// module neither imports nor defines stands for itself. None when the module defines the
/// head name itself (its own class or function).
pub(super) fn qualified(ctx: &Ctx<'_>, e: &Expr) -> Option<String> {
    let mut head = e;
    while let Expr::Attribute(a) = head {
        head = &a.value;
    }
    let Expr::Name(n) = head else { return None };
    let id = n.id.as_str();
    if ctx.module.imports.imported(id).is_none()
        && (ctx.module.class(id).is_some() || ctx.module.functions_named(id).next().is_some())
    {
        return None;
    }
    ctx.module.imports.resolve(e)
}

/// True for `abc.ABC` (or `ABC` imported from abc, or a bare `ABC` nothing redefines).
pub(super) fn is_abc(ctx: &Ctx<'_>, e: &Expr) -> bool {
    matches!(qualified(ctx, e).as_deref(), Some("abc.ABC" | "ABC"))
}

/// True for `abc.ABCMeta`, spelled in the same ways.
pub(super) fn is_abcmeta(ctx: &Ctx<'_>, e: &Expr) -> bool {
    matches!(
        qualified(ctx, e).as_deref(),
        Some("abc.ABCMeta" | "ABCMeta")
    )
}

/// The `metaclass=` keyword of a class statement.
pub(super) fn metaclass_kw(c: &ast::StmtClassDef) -> Option<&ast::Keyword> {
    c.keywords
        .iter()
        .find(|k| k.arg.as_ref().is_some_and(|a| a.as_str() == "metaclass"))
}

/// True when a class statement makes an abstract base class directly: `ABC` among its bases
/// or `metaclass=ABCMeta`.
pub(super) fn is_direct_abc(ctx: &Ctx<'_>, c: &ast::StmtClassDef) -> bool {
    c.bases.iter().any(|b| is_abc(ctx, b))
        || metaclass_kw(c).is_some_and(|k| is_abcmeta(ctx, &k.value))
}

/// How `abc.ABC` can be written in this module without a new import.
fn abc_spelling(ctx: &Ctx<'_>, written: &Expr) -> Option<String> {
    // `abc.ABCMeta` (or `x.ABCMeta` after `import abc as x`): the module's name is at hand.
    if let Expr::Attribute(a) = written {
        let module = ctx.source.get(span(&*a.value).0..span(&*a.value).1)?;
        return Some(format!("{module}.ABC"));
    }
    for (local, full) in ctx.module.imports.entries() {
        if full == "abc.ABC" && ctx.module.class(local).is_none() {
            return Some(local.to_string());
        }
    }
    for (local, full) in ctx.module.imports.entries() {
        if full == "abc" {
            return Some(format!("{local}.ABC"));
        }
    }
    None
}

impl Rule for AbcmetaKeyword {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(s @ Stmt::ClassDef(c)) = node else {
            return;
        };
        let Some(kw) = metaclass_kw(c) else { return };
        if !is_abcmeta(ctx, &kw.value) {
            return;
        }
        // A base that is already `ABC` makes the keyword redundant; the fix would duplicate it.
        if c.bases.iter().any(|b| is_abc(ctx, b)) {
            ctx.report(CODE, span(kw), &[], None);
            return;
        }
        let fix = abc_spelling(ctx, &kw.value).and_then(|abc| rewrite(ctx, s, c, kw, &abc));
        ctx.report(CODE, span(kw), &[], fix);
    }
}

/// Rewrites the parenthesised list: the bases, then `ABC`, then the other keywords.
fn rewrite(
    ctx: &Ctx<'_>,
    stmt: &Stmt,
    c: &ast::StmtClassDef,
    kw: &ast::Keyword,
    abc: &str,
) -> Option<super::Fix> {
    let src = ctx.source;
    if c.bases.iter().any(|b| matches!(b, Expr::Starred(_)))
        || c.keywords.iter().any(|k| k.arg.is_none())
    {
        return None;
    }
    let starts = c
        .bases
        .iter()
        .map(|b| span(b).0)
        .chain(c.keywords.iter().map(|k| span(k).0));
    let ends = c
        .bases
        .iter()
        .map(|b| span(b).1)
        .chain(c.keywords.iter().map(|k| span(k).1));
    let (start, end) = (starts.min()?, ends.max()?);
    // Never drop a comment written inside the parentheses.
    if src.get(start..end)?.contains('#') || start < span(stmt).0 {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for b in &c.bases {
        parts.push(src.get(span(b).0..span(b).1)?);
    }
    parts.push(abc);
    for k in &c.keywords {
        if !std::ptr::eq(k, kw) {
            parts.push(src.get(span(k).0..span(k).1)?);
        }
    }
    let safety = if c.bases.is_empty() {
        Safety::Safe
    } else {
        Safety::Unsafe
    };
    Some(ctx.fix(
        CODE,
        &[("abc", abc)],
        safety,
        vec![Edit {
            start,
            end,
            text: parts.join(", "),
        }],
    ))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};
    use crate::rules::Safety;

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_the_keyword() {
        let src = "import abc\nclass Shape(metaclass=abc.ABCMeta):\n    pass\n";
        let found = findings(src, "PM0502", T);
        assert_eq!(flagged(src, &found), ["metaclass=abc.ABCMeta"]);
        assert_eq!(
            found[0].message,
            "`metaclass=ABCMeta` spelled out: deriving from `abc.ABC` sets the same metaclass and reads as what it is"
        );
        assert_eq!(found[0].section, "5.8");
        let src = "from abc import ABCMeta as M\nclass Shape(Base, metaclass=M):\n    pass\n";
        let found = findings(src, "PM0502", T);
        assert_eq!(found.len(), 1);
        assert!(found[0].fix.is_none(), "ABC is not imported");
    }

    #[test]
    fn silent_on_other_metaclasses() {
        let src = "class A(metaclass=Meta):\n    pass\nclass B(ABC):\n    pass\nclass ABCMeta(type):\n    pass\n";
        assert!(findings(src, "PM0502", T).is_empty());
        let src = "from mylib import ABCMeta\nclass A(metaclass=ABCMeta):\n    pass\n";
        assert!(findings(src, "PM0502", T).is_empty());
    }

    #[test]
    fn fix_derives_from_abc() {
        assert_eq!(
            fixed(
                "import abc\nclass Shape(metaclass=abc.ABCMeta):\n    pass\n",
                "PM0502",
                T
            ),
            "import abc\nclass Shape(abc.ABC):\n    pass\n"
        );
        let src = "from abc import ABC, ABCMeta\nclass Shape(Base, metaclass=ABCMeta, flag=True):\n    pass\n";
        let found = findings(src, "PM0502", T);
        assert_eq!(
            found[0].fix.as_ref().map(|f| f.safety),
            Some(Safety::Unsafe)
        );
        assert_eq!(
            fixed(src, "PM0502", T),
            "from abc import ABC, ABCMeta\nclass Shape(Base, ABC, flag=True):\n    pass\n"
        );
        let src = "from abc import ABC, ABCMeta\nclass Shape(metaclass=ABCMeta):\n    pass\n";
        let found = findings(src, "PM0502", T);
        assert_eq!(found[0].fix.as_ref().map(|f| f.safety), Some(Safety::Safe));
    }
}
