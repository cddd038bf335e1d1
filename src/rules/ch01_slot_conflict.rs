//! PM0130: a name listed in `__slots__` that is also a class variable (or method) of the same
//! class body, which makes creating the class fail with ValueError (§1.4).

use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt, StmtClassDef};
use crate::syntax::span;

pub struct SlotConflict;

const CODE: &str = "PM0130";

/// The names of a class's `__slots__` when it is assigned once, directly in the class body, to
/// a string or a tuple or list of strings. None otherwise.
pub(super) fn literal_slots(class: &StmtClassDef) -> Option<Vec<String>> {
    let mut found = None;
    for s in &class.body {
        let (targets, value): (&[Expr], Option<&Expr>) = match s {
            Stmt::Assign(a) => (&a.targets, Some(&a.value)),
            Stmt::AnnAssign(a) => (std::slice::from_ref(&*a.target), a.value.as_deref()),
            Stmt::AugAssign(a) => (std::slice::from_ref(&*a.target), None),
            _ => continue,
        };
        if !targets
            .iter()
            .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__slots__"))
        {
            continue;
        }
        if found.is_some() {
            return None;
        }
        let names = match value? {
            Expr::Constant(c) => match &c.value {
                Constant::Str(s) => vec![s.clone()],
                _ => return None,
            },
            Expr::Tuple(t) => strings(&t.elts)?,
            Expr::List(l) => strings(&l.elts)?,
            _ => return None,
        };
        found = Some(names);
    }
    found
}

fn strings(elts: &[Expr]) -> Option<Vec<String>> {
    elts.iter()
        .map(|e| match e {
            Expr::Constant(c) => match &c.value {
                Constant::Str(s) => Some(s.clone()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// A private name as Python stores it in class `class` (`__x` -> `_C__x`).
pub(super) fn mangle(class: &str, name: &str) -> String {
    let stripped = class.trim_start_matches('_');
    if name.starts_with("__") && !name.ends_with("__") && !stripped.is_empty() {
        format!("_{stripped}{name}")
    } else {
        name.to_string()
    }
}

/// Names the class body binds directly, with the range of the binding.
pub(super) fn class_bindings(source: &str, class: &StmtClassDef) -> Vec<(String, (usize, usize))> {
    let mut out = Vec::new();
    for s in &class.body {
        match s {
            Stmt::Assign(a) => {
                for t in &a.targets {
                    names_in(t, &mut out);
                }
            }
            Stmt::AnnAssign(a) if a.value.is_some() => names_in(&a.target, &mut out),
            Stmt::AugAssign(a) => names_in(&a.target, &mut out),
            Stmt::FunctionDef(f) => out.push((
                f.name.to_string(),
                def_name(source, span(s).0, &f.decorator_list, &f.name),
            )),
            Stmt::AsyncFunctionDef(f) => out.push((
                f.name.to_string(),
                def_name(source, span(s).0, &f.decorator_list, &f.name),
            )),
            Stmt::ClassDef(c) => out.push((
                c.name.to_string(),
                def_name(source, span(s).0, &c.decorator_list, &c.name),
            )),
            Stmt::Import(i) => {
                for a in &i.names {
                    let local = a.asname.as_ref().map_or_else(
                        || a.name.split('.').next().unwrap_or("").to_string(),
                        |x| x.to_string(),
                    );
                    out.push((local, span(s)));
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    let local = a.asname.as_ref().unwrap_or(&a.name);
                    out.push((local.to_string(), span(s)));
                }
            }
            _ => {}
        }
    }
    out
}

fn names_in(t: &Expr, out: &mut Vec<(String, (usize, usize))>) {
    match t {
        Expr::Name(n) => out.push((n.id.to_string(), span(t))),
        Expr::Tuple(x) => x.elts.iter().for_each(|e| names_in(e, out)),
        Expr::List(x) => x.elts.iter().for_each(|e| names_in(e, out)),
        Expr::Starred(x) => names_in(&x.value, out),
        _ => {}
    }
}

impl Rule for SlotConflict {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::ClassDef(class)) = node else {
            return;
        };
        let Some(slots) = literal_slots(class) else {
            return;
        };
        let cname = class.name.as_str();
        let slots: Vec<String> = slots.iter().map(|s| mangle(cname, s)).collect();
        for (name, range) in class_bindings(ctx.source, class) {
            if name == "__slots__" || !slots.contains(&mangle(cname, &name)) {
                continue;
            }
            ctx.report(
                CODE,
                range,
                &[("name", name.as_str()), ("class", cname)],
                None,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_class_variables_named_like_slots() {
        let src = "class Point:\n    __slots__ = ('x', 'y', '__z')\n    x = 0\n    __z: int = 1\n    def y(self):\n        return 1\n";
        let found = findings(src, "PM0130", T);
        assert_eq!(flagged(src, &found), ["x", "__z", "y"]);
        assert_eq!(
            found[0].message,
            "`x` is listed in `Point.__slots__` and also bound in the class body: creating the class raises ValueError"
        );
        assert_eq!(found[0].section, "1.4");
    }

    #[test]
    fn silent_without_conflicts() {
        let src = "class A:\n    __slots__ = ['x']\n    y = 0\n    x: int\n\nclass B:\n    __slots__ = 'x'\n    def get(self):\n        x = 1\n\nclass C:\n    __slots__ = compute()\n    x = 1\n\nclass D:\n    __slots__ = ('x',)\n    def __init__(self):\n        self.x = 1\n";
        assert!(findings(src, "PM0130", T).is_empty());
    }
}
