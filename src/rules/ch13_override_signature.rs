//! PM1303: a method that overrides a method of a base class of the same module with
//! parameters callers of the base cannot rely on: one renamed, dropped or added as required
//! (§13.2.3).

use super::source::def_name;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{self, Stmt};
use crate::syntax::facts::dotted;
use crate::syntax::span;

pub struct OverrideSignature;

const CODE: &str = "PM1303";

/// Names that usually hold `*args` / `**kwargs` in the base, whose kind the module facts do
/// not record: never required of an override.
const VARIADIC: &[&str] = &["args", "kwargs", "kwds", "kw", "kwarg", "extra"];

impl Rule for OverrideSignature {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::ClassDef]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Stmt(Stmt::ClassDef(c)) = node else {
            return;
        };
        // Only a top-level class: the module facts describe those.
        if !ctx.parents.is_empty() {
            return;
        }
        let bases: Vec<String> = c.bases.iter().filter_map(dotted).collect();
        if bases.iter().all(|b| ctx.module.class(b).is_none()) {
            return;
        }
        for s in &c.body {
            let Stmt::FunctionDef(f) = s else { continue };
            let name = f.name.as_str();
            if name.starts_with("__") && name.ends_with("__") {
                continue;
            }
            if f.args.vararg.is_some() || f.args.kwarg.is_some() {
                continue;
            }
            let Some((base, parent)) =
                ctx.module
                    .ancestors(c.name.as_str())
                    .into_iter()
                    .find_map(|(b, facts)| {
                        facts
                            .methods
                            .iter()
                            .find(|(m, _)| m == name)
                            .map(|(_, p)| (b, p))
                    })
            else {
                continue;
            };
            if parent.decorators != decorators(f) || parent.is_async {
                continue;
            }
            let Some(problem) = mismatch(&f.args, &parent.params) else {
                continue;
            };
            let (st, _) = span(s);
            let at = def_name(ctx.source, st, &f.decorator_list, name);
            ctx.report(
                CODE,
                at,
                &[
                    ("class", c.name.as_str()),
                    ("method", name),
                    ("base", base),
                    ("problem", &problem),
                ],
                None,
            );
        }
    }
}

fn decorators(f: &ast::StmtFunctionDef) -> Vec<String> {
    f.decorator_list.iter().filter_map(dotted).collect()
}

/// How the override's parameters break the base's: the first difference found, described
/// with the names involved; None when every call valid for the base is valid for it.
fn mismatch(child: &ast::Arguments, parent: &[String]) -> Option<String> {
    let positional: Vec<&ast::ArgWithDefault> =
        child.posonlyargs.iter().chain(&child.args).collect();
    let all: Vec<&str> = positional
        .iter()
        .chain(&child.kwonlyargs.iter().collect::<Vec<_>>())
        .map(|a| a.def.arg.as_str())
        .collect();
    // The first parameter (self or cls) may be spelled anyhow.
    let parent_rest = parent.get(1..).unwrap_or(&[]);
    for (i, p) in parent_rest.iter().enumerate() {
        if VARIADIC.contains(&p.as_str()) {
            continue;
        }
        if !all.contains(&p.as_str()) {
            return Some(match positional.get(i + 1) {
                Some(a) if !parent_rest.iter().any(|x| x == a.def.arg.as_str()) => {
                    format!("renames parameter `{p}` to `{}`", a.def.arg.as_str())
                }
                _ => format!("drops parameter `{p}`"),
            });
        }
    }
    for a in positional
        .iter()
        .skip(1)
        .chain(child.kwonlyargs.iter().collect::<Vec<_>>().iter())
    {
        let n = a.def.arg.as_str();
        if a.default.is_none() && !parent_rest.iter().any(|p| p == n) {
            return Some(format!("adds required parameter `{n}`"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_renamed_dropped_and_added_parameters() {
        let src = "class Store:\n    def get(self, key, default=None):\n        pass\n    def put(self, key, value):\n        pass\n    def scan(self, prefix):\n        pass\n\nclass Disk(Store):\n    def get(self, name, default=None):\n        pass\n    def put(self, key):\n        pass\n    def scan(self, prefix, limit):\n        pass\n";
        let found = findings(src, "PM1303", T);
        assert_eq!(flagged(src, &found), ["get", "put", "scan"]);
        assert_eq!(
            found[0].message,
            "`Disk.get` renames parameter `key` to `name` of the method it overrides in `Store`: code written against `Store` breaks on a `Disk`"
        );
        assert!(found[1].message.contains("drops parameter `value`"));
        assert!(found[2].message.contains("adds required parameter `limit`"));
        assert_eq!(found[0].section, "13.2.3");
    }

    #[test]
    fn follows_ancestors_of_the_module() {
        let src = "class A:\n    def run(self, job):\n        pass\nclass B(A):\n    pass\nclass C(B):\n    def run(self, task):\n        pass\n";
        assert_eq!(findings(src, "PM1303", T).len(), 1);
    }

    #[test]
    fn silent_on_compatible_overrides() {
        let src = "class A:\n    def run(self, job, *args, **kwargs):\n        pass\n    def stop(self, now):\n        pass\n    def __init__(self, a):\n        pass\n    def __eq__(self, other):\n        pass\n    @staticmethod\n    def make(x):\n        pass\n\nclass B(A):\n    def run(this, job, retries=3):\n        pass\n    def stop(self, *args, **kwargs):\n        pass\n    def __init__(self, a, b):\n        pass\n    def __eq__(self, o):\n        pass\n    def make(self, y):\n        pass\n    def extra(self, anything):\n        pass\n\nclass Outside(os.PathLike):\n    def run(self, x):\n        pass\n";
        assert!(
            findings(src, "PM1303", T).is_empty(),
            "{:?}",
            findings(src, "PM1303", T)
        );
    }
}
