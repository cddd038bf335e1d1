//! Which names a block reads, sorted by when Python evaluates the read: at run time, in an
//! annotation that is evaluated unless annotations are postponed, or never (quoted
//! annotations, annotations of local variables, code under `if TYPE_CHECKING:`). The module
//! pass behind "an import used only in annotations" (§2.2.2) stands on it.
//!
//! These are kept apart from `BlockFacts`: they change on nearly every keystroke, and the
//! module facts built from them (`ModuleFacts::annotation_only`) change only when an import's
//! status does, so an edit inside a function body still costs one block.

use super::ast::{self, Constant, Expr, ExprContext, Stmt};
use super::walk::{walk, Node, Visitor};
use std::collections::HashMap;

/// The root names a block loads (`np` for `np.ndarray`), each list sorted and deduplicated.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameUses {
    /// Read when the code runs: everything outside annotations, plus the names `__all__`
    /// lists and annotations that runtime machinery reads (`@x.register` dispatch on a
    /// parameter's annotation, pydantic-style model fields).
    pub runtime: Vec<String>,
    /// Read in a parameter or return annotation, or a module- or class-level variable
    /// annotation: evaluated at definition time unless annotations are postponed
    /// (`from __future__ import annotations`, or Python 3.14's deferred annotations).
    pub signature: Vec<String>,
    /// Read only where Python never evaluates: inside a string annotation, a local variable's
    /// annotation, or the body of `if TYPE_CHECKING:`.
    pub deferred: Vec<String>,
}

impl NameUses {
    pub fn of(body: &[Stmt]) -> NameUses {
        let mut c = Collector::default();
        walk(body, &mut c);
        let done = |mut v: Vec<String>| {
            v.sort_unstable();
            v.dedup();
            v
        };
        NameUses {
            runtime: done(c.runtime),
            signature: done(c.signature),
            deferred: done(c.deferred),
        }
    }
}

/// How many blocks read each name, by when (run time, signature, deferred): the module's
/// view of its blocks' `NameUses`. The analysis keeps it by adding the blocks that come and
/// removing those that go, so an edit costs the names of the blocks it touched, not a pass
/// over every block for every import.
#[derive(Debug, Clone, Default)]
pub struct UseCounts(HashMap<String, [u32; 3]>);

impl UseCounts {
    pub fn add(&mut self, u: &NameUses) {
        for (i, names) in [&u.runtime, &u.signature, &u.deferred]
            .into_iter()
            .enumerate()
        {
            for n in names {
                match self.0.get_mut(n.as_str()) {
                    Some(c) => c[i] += 1,
                    None => {
                        let mut c = [0; 3];
                        c[i] = 1;
                        self.0.insert(n.clone(), c);
                    }
                }
            }
        }
    }

    pub fn remove(&mut self, u: &NameUses) {
        for (i, names) in [&u.runtime, &u.signature, &u.deferred]
            .into_iter()
            .enumerate()
        {
            for n in names {
                if let Some(c) = self.0.get_mut(n.as_str()) {
                    c[i] = c[i].saturating_sub(1);
                    if *c == [0; 3] {
                        self.0.remove(n.as_str());
                    }
                }
            }
        }
    }

    /// Whether `name` is read at run time somewhere, and whether it is read in an annotation;
    /// `postponed` says signature annotations are not evaluated. `Some(true)` is "only in
    /// annotations", `Some(false)` "at run time", `None` unused.
    pub fn annotation_only(&self, name: &str, postponed: bool) -> Option<bool> {
        let [runtime, signature, deferred] = self.0.get(name).copied().unwrap_or_default();
        if runtime > 0 || (!postponed && signature > 0) {
            return Some(false);
        }
        (signature > 0 || deferred > 0).then_some(true)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum When {
    Runtime,
    Signature,
    Deferred,
}

#[derive(Default)]
struct Collector {
    runtime: Vec<String>,
    signature: Vec<String>,
    deferred: Vec<String>,
    /// Nodes (by address) that start a context of their own, set when their parent is entered.
    marked: HashMap<usize, When>,
    /// The context of each open marked node, innermost last.
    stack: Vec<When>,
    /// How many function bodies enclose the current node.
    defs: usize,
}

fn addr<T>(x: &T) -> usize {
    x as *const T as usize
}

impl Collector {
    fn now(&self) -> When {
        self.stack.last().copied().unwrap_or(When::Runtime)
    }

    fn mark(&mut self, e: &Expr, when: When) {
        // A context never becomes more eager than the one around it.
        let when = match (self.now(), when) {
            (When::Deferred, _) => When::Deferred,
            (_, w) => w,
        };
        self.marked.insert(addr(e), when);
    }

    fn record(&mut self, name: &str, when: When) {
        let list = match when {
            When::Runtime => &mut self.runtime,
            When::Signature => &mut self.signature,
            When::Deferred => &mut self.deferred,
        };
        list.push(name.to_string());
    }

    /// The identifiers of a string annotation (`"Optional[Node]"`): never evaluated.
    fn quoted(&mut self, text: &str) {
        let mut word = String::new();
        // The current word follows a dot: an attribute, not a variable (`ndarray` of
        // `np.ndarray`).
        let mut after_dot = false;
        let mut prev = ' ';
        for ch in text.chars().chain([' ']) {
            if ch.is_alphanumeric() || ch == '_' {
                if word.is_empty() {
                    after_dot = prev == '.';
                }
                word.push(ch);
            } else {
                if !word.is_empty() && !after_dot && !word.starts_with(|c: char| c.is_ascii_digit())
                {
                    let w = std::mem::take(&mut word);
                    self.record(&w, When::Deferred);
                }
                word.clear();
            }
            prev = ch;
        }
    }

    fn signature_of(&mut self, args: &ast::Arguments, returns: Option<&Expr>, when: When) {
        for a in args
            .posonlyargs
            .iter()
            .chain(&args.args)
            .chain(&args.kwonlyargs)
        {
            if let Some(t) = &a.def.annotation {
                self.mark(t, when);
            }
        }
        for a in args.vararg.iter().chain(&args.kwarg) {
            if let Some(t) = &a.annotation {
                self.mark(t, when);
            }
        }
        if let Some(r) = returns {
            self.mark(r, when);
        }
    }
}

/// `TYPE_CHECKING` or `typing.TYPE_CHECKING` (as written).
fn is_type_checking(test: &Expr) -> bool {
    match test {
        Expr::Name(n) => n.id.as_str() == "TYPE_CHECKING",
        Expr::Attribute(a) => a.attr.as_str() == "TYPE_CHECKING",
        _ => false,
    }
}

/// `@something.register`: `functools.singledispatch` reads the first parameter's annotation
/// when the function is registered.
fn dispatch_registered(decorators: &[Expr]) -> bool {
    decorators.iter().any(|d| {
        let d = match d {
            Expr::Call(c) => &*c.func,
            d => d,
        };
        matches!(d, Expr::Attribute(a) if a.attr.as_str() == "register")
    })
}

/// Model classes whose field annotations are evaluated when the class is built (pydantic,
/// SQLModel), recognised by the base's last name.
fn runtime_model(c: &ast::StmtClassDef) -> bool {
    c.bases.iter().any(|b| {
        let last = match b {
            Expr::Name(n) => n.id.as_str(),
            Expr::Attribute(a) => a.attr.as_str(),
            _ => "",
        };
        matches!(
            last,
            "BaseModel" | "BaseSettings" | "SQLModel" | "RootModel"
        )
    })
}

impl<'a> Visitor<'a> for Collector {
    fn enter(&mut self, node: Node<'a>) -> bool {
        let key = match node {
            Node::Stmt(s) => addr(s),
            Node::Expr(e) => addr(e),
        };
        let pushed = self.marked.remove(&key);
        // `leave` pops only for marked nodes; mark them again so it knows.
        if let Some(w) = pushed {
            self.stack.push(w);
            self.marked.insert(key, w);
        }
        match node {
            Node::Stmt(Stmt::FunctionDef(ast::StmtFunctionDef {
                args,
                returns,
                decorator_list,
                ..
            }))
            | Node::Stmt(Stmt::AsyncFunctionDef(ast::StmtAsyncFunctionDef {
                args,
                returns,
                decorator_list,
                ..
            })) => {
                let when = if dispatch_registered(decorator_list) {
                    When::Runtime
                } else {
                    When::Signature
                };
                self.signature_of(args, returns.as_deref(), when);
                self.defs += 1;
            }
            Node::Stmt(Stmt::ClassDef(c)) if runtime_model(c) => {
                for s in &c.body {
                    if let Stmt::AnnAssign(a) = s {
                        self.mark(&a.annotation, When::Runtime);
                    }
                }
            }
            Node::Stmt(Stmt::AnnAssign(a)) if !self.marked.contains_key(&addr(&*a.annotation)) => {
                let when = if self.defs > 0 {
                    When::Deferred
                } else {
                    When::Signature
                };
                self.mark(&a.annotation, when);
            }
            Node::Stmt(Stmt::If(i)) if is_type_checking(&i.test) => {
                for s in &i.body {
                    self.marked.insert(addr(s), When::Deferred);
                }
            }
            Node::Stmt(Stmt::Assign(a))
                if a.targets
                    .iter()
                    .any(|t| matches!(t, Expr::Name(n) if n.id.as_str() == "__all__")) =>
            {
                names_listed(&a.value, self);
            }
            Node::Stmt(Stmt::AugAssign(a)) if matches!(&*a.target, Expr::Name(n) if n.id.as_str() == "__all__") =>
            {
                names_listed(&a.value, self);
            }
            Node::Expr(Expr::Name(n)) if matches!(n.ctx, ExprContext::Load) => {
                let when = self.now();
                self.record(n.id.as_str(), when);
            }
            Node::Expr(Expr::Constant(c)) if self.now() != When::Runtime => {
                if let Constant::Str(s) = &c.value {
                    self.quoted(s);
                }
            }
            Node::Expr(Expr::Lambda(_)) => self.defs += 1,
            _ => {}
        }
        true
    }

    fn leave(&mut self, node: Node<'a>) {
        let key = match node {
            Node::Stmt(s) => addr(s),
            Node::Expr(e) => addr(e),
        };
        if self.marked.remove(&key).is_some() {
            self.stack.pop();
        }
        match node {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_))
            | Node::Expr(Expr::Lambda(_)) => self.defs -= 1,
            _ => {}
        }
    }
}

/// The strings of an `__all__` list: re-exports, read by `from module import *`.
fn names_listed(value: &Expr, c: &mut Collector) {
    let items = match value {
        Expr::List(l) => &l.elts,
        Expr::Tuple(t) => &t.elts,
        _ => return,
    };
    for e in items {
        if let Expr::Constant(k) = e {
            if let Constant::Str(s) = &k.value {
                c.record(s, When::Runtime);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{NameUses, UseCounts};

    fn uses(src: &str) -> NameUses {
        NameUses::of(&crate::syntax::parse_block(src).expect("parses"))
    }

    #[test]
    fn sorts_reads_by_when_they_are_evaluated() {
        let u = uses(
            "def f(a: A, *r: R, **k: K) -> Ret:\n    x: Local = g(a)\n    y: \"Quoted[Inner]\" = 1\n    return np.zeros(3)\n",
        );
        assert_eq!(u.runtime, ["a", "g", "np"]);
        assert_eq!(u.signature, ["A", "K", "R", "Ret"]);
        assert_eq!(u.deferred, ["Inner", "Local", "Quoted"]);
    }

    #[test]
    fn module_and_class_annotations_are_signature_reads() {
        let u = uses("class C(Base):\n    x: Field = default()\n    y: \"np.ndarray\"\n");
        assert_eq!(u.runtime, ["Base", "default"]);
        assert_eq!(u.signature, ["Field"]);
        assert_eq!(u.deferred, ["np"]);
    }

    #[test]
    fn runtime_readers_of_annotations() {
        let u = uses("@fmt.register\ndef _(x: Decimal) -> str:\n    return str(x)\n");
        assert!(u.runtime.contains(&"Decimal".to_string()));
        let u = uses("class M(BaseModel):\n    when: datetime\n");
        assert!(u.runtime.contains(&"datetime".to_string()));
        let u = uses("__all__ = [\"Exported\", \"other\"]\n");
        assert_eq!(u.runtime, ["Exported", "other"]);
    }

    #[test]
    fn type_checking_bodies_are_never_run() {
        let u = uses("if TYPE_CHECKING:\n    Alias = Thing\nelse:\n    Alias = object\n");
        assert_eq!(u.runtime, ["TYPE_CHECKING", "object"]);
        assert_eq!(u.deferred, ["Thing"]);
    }

    #[test]
    fn only_in_annotations_depends_on_postponement() {
        let a = uses("def f(x: Path) -> None:\n    pass\n");
        let b = uses("y: \"Path\" = None\n");
        let c = uses("print(Path)\n");
        let counts = |blocks: &[&NameUses]| {
            let mut n = UseCounts::default();
            blocks.iter().for_each(|u| n.add(u));
            n
        };
        assert_eq!(counts(&[&a]).annotation_only("Path", true), Some(true));
        assert_eq!(counts(&[&a]).annotation_only("Path", false), Some(false));
        assert_eq!(counts(&[&b]).annotation_only("Path", false), Some(true));
        assert_eq!(counts(&[&a, &c]).annotation_only("Path", true), Some(false));
        assert_eq!(counts(&[&a, &b]).annotation_only("Other", true), None);
        // A block that goes takes its reads with it.
        let mut n = counts(&[&a, &c, &c]);
        n.remove(&c);
        assert_eq!(n.annotation_only("Path", true), Some(false));
        n.remove(&c);
        assert_eq!(n.annotation_only("Path", true), Some(true));
        n.remove(&a);
        assert_eq!(n.annotation_only("Path", true), None);
    }
}
