//! What a module says at its top level, for rules that need more than the block they check:
//! its imports, whether annotations are postponed, and the shape of its classes and functions.
//!
//! Each block's facts are computed once, when the block is parsed; the module's facts merge them
//! in file order (a later definition of a name replaces an earlier one, as at run time). When an
//! edit changes the module's facts, the analysis checks every block again; an edit inside a
//! function body leaves them equal, so it costs nothing.

use super::ast::{self, Constant, Expr, Stmt};
use super::name_uses::NameUses;
use super::names::Imports;
use std::collections::HashMap;

/// A class defined at the top level (or under a top-level `if`/`try`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClassFacts {
    /// Each base as written (`Base`, `abc.ABC`, `Generic[T]` keeps only `Generic`).
    pub bases: Vec<String>,
    /// The `metaclass=` keyword as written.
    pub metaclass: Option<String>,
    /// Decorators as dotted names, without call arguments (`dataclass`, `typing.final`).
    pub decorators: Vec<String>,
    /// The names in a literal `__slots__` (a string, or a tuple/list/set of strings); None when
    /// the class has no `__slots__` or it is not a literal.
    pub slots: Option<Vec<String>>,
    /// Functions defined directly in the class body, in order.
    pub methods: Vec<(String, FunctionFacts)>,
}

/// A function (or method) definition.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FunctionFacts {
    pub is_async: bool,
    pub decorators: Vec<String>,
    /// Parameter names in order: positional-only, ordinary, `*args`, keyword-only, `**kwargs`.
    pub params: Vec<String>,
    /// Undecorated, and the body yields (outside nested scopes): calling it makes a new
    /// generator (an async generator when `is_async`). A decorator may return anything.
    /// Known for top-level functions only (methods: false): only they are called by name
    /// from other blocks, and it costs a walk of the body.
    pub plain_generator: bool,
}

/// The facts one block contributes.
#[derive(Debug, Clone, Default)]
pub struct BlockFacts {
    /// A lone string statement (the module docstring when it comes first).
    pub(crate) docstring: bool,
    /// A `from __future__ import ...` statement.
    pub(crate) future_import: bool,
    imports: Vec<(String, String)>,
    pub(crate) future_annotations: bool,
    classes: Vec<(String, ClassFacts)>,
    functions: Vec<(String, FunctionFacts)>,
    /// The names bound when the block is one plain top-level import statement (not
    /// `__future__`, not `import x as x` re-exports): candidates for `annotation_only`.
    pub(crate) plain_imports: Vec<String>,
    /// The names the block reads, by when they are evaluated. Left out of equality: the
    /// module facts take from them only `annotation_only`, which the analysis compares itself.
    pub(crate) uses: NameUses,
}

impl PartialEq for BlockFacts {
    fn eq(&self, o: &Self) -> bool {
        self.docstring == o.docstring
            && self.future_import == o.future_import
            && self.imports == o.imports
            && self.future_annotations == o.future_annotations
            && self.classes == o.classes
            && self.functions == o.functions
            && self.plain_imports == o.plain_imports
    }
}

/// The facts of a whole module.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ModuleFacts {
    pub imports: Imports,
    /// `from __future__ import annotations` is present.
    pub future_annotations: bool,
    classes: HashMap<String, ClassFacts>,
    /// Every top-level function definition in file order, overloads included.
    functions: Vec<(String, FunctionFacts)>,
    /// Where a new top-level import goes (a file offset): after the module docstring and the
    /// `__future__` imports. Set by the analysis, which knows where blocks are.
    pub import_at: usize,
    /// The file ends right at `import_at` without a line break.
    pub import_needs_newline: bool,
    /// What the file's path says (package `__init__`, test code). Set by the analysis.
    pub file: super::FileRole,
    /// Names bound by a plain top-level import that the module reads only in annotations that
    /// are never evaluated (sorted). Set by the analysis (`annotation_only_imports`), which
    /// knows the target version.
    pub annotation_only: Vec<String>,
}

/// The names bound by the blocks' plain imports that are read only in annotations Python does
/// not evaluate: all annotations when `postponed` (`from __future__ import annotations`, or
/// Python 3.14+), else only quoted ones, local variables' and those under `TYPE_CHECKING`.
/// `typing` and `typing_extensions` imports are left alone: they cost nothing to keep.
pub fn annotation_only_imports<'a>(
    blocks: impl Iterator<Item = &'a BlockFacts>,
    uses: &super::name_uses::UseCounts,
    postponed: bool,
) -> Vec<String> {
    let mut out: Vec<String> = blocks
        .flat_map(|b| b.plain_imports.iter())
        .filter(|name| uses.annotation_only(name, postponed) == Some(true))
        .cloned()
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl ModuleFacts {
    /// Merges the blocks' facts in file order.
    pub fn merge<'a>(blocks: impl IntoIterator<Item = &'a BlockFacts>) -> ModuleFacts {
        let mut m = ModuleFacts::default();
        for b in blocks {
            for (local, full) in &b.imports {
                m.imports.bind(local, full);
            }
            m.future_annotations |= b.future_annotations;
            for (name, c) in &b.classes {
                m.classes.insert(name.clone(), c.clone());
            }
            m.functions.extend(b.functions.iter().cloned());
        }
        m
    }

    /// Facts for one module, straight from its statements (tests and one-off uses).
    pub fn of(body: &[Stmt]) -> ModuleFacts {
        ModuleFacts::merge([&BlockFacts::of(body)])
    }

    /// The class of that name defined at the top level of this module, if any.
    pub fn class(&self, name: &str) -> Option<&ClassFacts> {
        self.classes.get(name)
    }

    /// Every top-level definition of function `name`, in file order (several with overloads).
    pub fn functions_named<'s>(
        &'s self,
        name: &'s str,
    ) -> impl Iterator<Item = &'s FunctionFacts> + 's {
        self.functions
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, f)| f)
    }

    /// The top-level function definitions, in file order.
    pub fn functions(&self) -> impl Iterator<Item = (&str, &FunctionFacts)> {
        self.functions.iter().map(|(n, f)| (n.as_str(), f))
    }

    /// The classes of this module that `name` derives from, nearest first, following bases
    /// defined in this module (each visited once, so a cycle in broken code ends).
    pub fn ancestors<'s>(&'s self, name: &str) -> Vec<(&'s str, &'s ClassFacts)> {
        let mut out: Vec<(&str, &ClassFacts)> = Vec::new();
        let mut todo: Vec<&str> = match self.classes.get_key_value(name) {
            Some((_, c)) => c.bases.iter().map(String::as_str).collect(),
            None => return out,
        };
        while let Some(b) = todo.pop() {
            if b == name || out.iter().any(|(n, _)| *n == b) {
                continue;
            }
            if let Some((k, c)) = self.classes.get_key_value(b) {
                out.push((k.as_str(), c));
                todo.extend(c.bases.iter().rev().map(String::as_str));
            }
        }
        out
    }
}

impl BlockFacts {
    /// The facts of one block's statements.
    pub fn of(body: &[Stmt]) -> BlockFacts {
        let mut f = BlockFacts::default();
        let mut imports = Imports::default();
        imports.add(body);
        f.imports = imports
            .entries()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        f.imports.sort();
        f.docstring = matches!(body, [Stmt::Expr(e)]
            if matches!(&*e.value, Expr::Constant(c) if matches!(c.value, Constant::Str(_))));
        f.future_import =
            matches!(body, [Stmt::ImportFrom(i)] if i.module.as_deref() == Some("__future__"));
        f.collect(body);
        f.plain_imports = plain_imports(body);
        f.uses = NameUses::of(body);
        f
    }

    fn collect(&mut self, body: &[Stmt]) {
        for s in body {
            match s {
                Stmt::ImportFrom(i)
                    if i.module.as_deref() == Some("__future__")
                        && i.names.iter().any(|a| a.name.as_str() == "annotations") =>
                {
                    self.future_annotations = true;
                }
                Stmt::ClassDef(c) => self.classes.push((c.name.to_string(), class_facts(c))),
                Stmt::FunctionDef(d) => self.functions.push((
                    d.name.to_string(),
                    FunctionFacts {
                        plain_generator: d.decorator_list.is_empty() && yields(&d.body),
                        ..function_facts(false, &d.decorator_list, &d.args)
                    },
                )),
                Stmt::AsyncFunctionDef(d) => self.functions.push((
                    d.name.to_string(),
                    FunctionFacts {
                        plain_generator: d.decorator_list.is_empty() && yields(&d.body),
                        ..function_facts(true, &d.decorator_list, &d.args)
                    },
                )),
                Stmt::If(x) => {
                    self.collect(&x.body);
                    self.collect(&x.orelse);
                }
                Stmt::Try(x) => {
                    self.collect(&x.body);
                    for h in &x.handlers {
                        let ast::ExceptHandler::ExceptHandler(h) = h;
                        self.collect(&h.body);
                    }
                    self.collect(&x.orelse);
                    self.collect(&x.finalbody);
                }
                _ => {}
            }
        }
    }
}

fn plain_imports(body: &[Stmt]) -> Vec<String> {
    let typing = |m: &str| matches!(m.split('.').next(), Some("typing" | "typing_extensions"));
    match body {
        [Stmt::Import(i)] => i
            .names
            .iter()
            .filter(|a| !typing(a.name.as_str()))
            .filter(|a| {
                a.asname
                    .as_ref()
                    .is_none_or(|x| x.as_str() != a.name.as_str())
            })
            .map(|a| match &a.asname {
                Some(x) => x.to_string(),
                None => a.name.split('.').next().unwrap_or("").to_string(),
            })
            .collect(),
        [Stmt::ImportFrom(i)] => {
            let module = i.module.as_deref().unwrap_or("");
            if module == "__future__"
                || typing(module) && i.level.as_ref().is_none_or(|l| l.to_u32() == 0)
            {
                return Vec::new();
            }
            i.names
                .iter()
                .filter(|a| a.name.as_str() != "*")
                .filter(|a| {
                    a.asname
                        .as_ref()
                        .is_none_or(|x| x.as_str() != a.name.as_str())
                })
                .map(|a| a.asname.as_ref().unwrap_or(&a.name).to_string())
                .collect()
        }
        _ => Vec::new(),
    }
}

/// A dotted name as written (`a.b.c`); for a call or subscript, the callee's or value's name.
pub fn dotted(e: &Expr) -> Option<String> {
    match e {
        Expr::Name(n) => Some(n.id.to_string()),
        Expr::Attribute(a) => Some(format!("{}.{}", dotted(&a.value)?, a.attr.as_str())),
        Expr::Call(c) => dotted(&c.func),
        Expr::Subscript(s) => dotted(&s.value),
        _ => None,
    }
}

fn function_facts(is_async: bool, decorators: &[Expr], args: &ast::Arguments) -> FunctionFacts {
    let mut params: Vec<String> = args
        .posonlyargs
        .iter()
        .chain(&args.args)
        .map(|a| a.def.arg.to_string())
        .collect();
    if let Some(v) = &args.vararg {
        params.push(v.arg.to_string());
    }
    params.extend(args.kwonlyargs.iter().map(|a| a.def.arg.to_string()));
    if let Some(k) = &args.kwarg {
        params.push(k.arg.to_string());
    }
    FunctionFacts {
        is_async,
        decorators: decorators.iter().filter_map(dotted).collect(),
        params,
        plain_generator: false,
    }
}

/// True when `body` has a `yield` or `yield from` of its own, not one of a nested function,
/// class or lambda: a function with this body is a generator function.
pub fn yields(body: &[Stmt]) -> bool {
    use super::walk::{walk, Node, Visitor};
    struct V(bool);
    impl<'a> Visitor<'a> for V {
        fn enter(&mut self, node: Node<'a>) -> bool {
            match node {
                Node::Expr(Expr::Yield(_) | Expr::YieldFrom(_)) => {
                    self.0 = true;
                    false
                }
                Node::Stmt(
                    Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_),
                )
                | Node::Expr(Expr::Lambda(_)) => false,
                _ => !self.0,
            }
        }
        fn leave(&mut self, _node: Node<'a>) {}
    }
    let mut v = V(false);
    walk(body, &mut v);
    v.0
}

fn class_facts(c: &ast::StmtClassDef) -> ClassFacts {
    let mut f = ClassFacts {
        bases: c.bases.iter().filter_map(dotted).collect(),
        metaclass: c
            .keywords
            .iter()
            .find(|k| k.arg.as_deref() == Some("metaclass"))
            .and_then(|k| dotted(&k.value)),
        decorators: c.decorator_list.iter().filter_map(dotted).collect(),
        ..ClassFacts::default()
    };
    for s in &c.body {
        match s {
            Stmt::FunctionDef(d) => f.methods.push((
                d.name.to_string(),
                function_facts(false, &d.decorator_list, &d.args),
            )),
            Stmt::AsyncFunctionDef(d) => f.methods.push((
                d.name.to_string(),
                function_facts(true, &d.decorator_list, &d.args),
            )),
            Stmt::Assign(a) if a.targets.iter().any(is_slots) => {
                f.slots = slot_names(&a.value);
            }
            Stmt::AnnAssign(a) if is_slots(&a.target) => {
                f.slots = a.value.as_deref().and_then(slot_names);
            }
            _ => {}
        }
    }
    f
}

fn is_slots(target: &Expr) -> bool {
    matches!(target, Expr::Name(n) if n.id.as_str() == "__slots__")
}

/// The names of a literal `__slots__` value.
fn slot_names(value: &Expr) -> Option<Vec<String>> {
    let str_of = |e: &Expr| match e {
        Expr::Constant(c) => match &c.value {
            Constant::Str(s) => Some(s.clone()),
            _ => None,
        },
        _ => None,
    };
    match value {
        Expr::Constant(_) => Some(vec![str_of(value)?]),
        Expr::Tuple(t) => t.elts.iter().map(str_of).collect(),
        Expr::List(l) => l.elts.iter().map(str_of).collect(),
        Expr::Set(s) => s.elts.iter().map(str_of).collect(),
        // A dict's keys are the slots; its values are docstrings.
        Expr::Dict(d) => d.keys.iter().map(|k| k.as_ref().and_then(str_of)).collect(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse_file;

    fn facts(src: &str) -> ModuleFacts {
        ModuleFacts::of(&parse_file(src).expect("parses"))
    }

    #[test]
    fn classes_bases_slots_and_methods() {
        let m = facts(
            "from __future__ import annotations\nimport abc as a\n\nclass Base(a.ABC):\n    __slots__ = ('x', 'y')\n    async def run(self, n, *rest, k, **kw): ...\n\n@final\nclass Child(Base, metaclass=Meta):\n    __slots__ = 'z'\n",
        );
        assert!(m.future_annotations);
        let base = m.class("Base").expect("Base");
        assert_eq!(base.bases, ["a.ABC"]);
        assert_eq!(
            base.slots.as_deref(),
            Some(&["x".to_string(), "y".to_string()][..])
        );
        let (name, run) = &base.methods[0];
        assert_eq!(name, "run");
        assert!(run.is_async);
        assert_eq!(run.params, ["self", "n", "rest", "k", "kw"]);
        let child = m.class("Child").expect("Child");
        assert_eq!(child.decorators, ["final"]);
        assert_eq!(child.metaclass.as_deref(), Some("Meta"));
        assert_eq!(child.slots.as_deref(), Some(&["z".to_string()][..]));
        let anc: Vec<&str> = m.ancestors("Child").iter().map(|(n, _)| *n).collect();
        assert_eq!(anc, ["Base"]);
    }

    #[test]
    fn overloads_and_later_definitions() {
        let m = facts(
            "@overload\ndef f(x: int) -> int: ...\n@overload\ndef f(x: str) -> str: ...\ndef f(x): return x\nclass C: pass\nclass C(D): pass\n",
        );
        assert_eq!(m.functions_named("f").count(), 3);
        assert_eq!(
            m.class("C").map(|c| c.bases.clone()),
            Some(vec!["D".into()])
        );
        assert!(!m.future_annotations);
    }

    #[test]
    fn cyclic_bases_end() {
        let m = facts("class A(B): pass\nclass B(A): pass\n");
        assert_eq!(m.ancestors("A").len(), 1);
    }
}
