//! PM0121: `__del__` as the only way a class releases a resource (closing, killing,
//! deleting files), which runs late, or never (§1.3.1).

use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;
use crate::syntax::walk::{walk, Visitor};

pub struct DelCleanup;

const CODE: &str = "PM0121";

/// Method names that release something.
const RELEASES: &[&str] = &[
    "close",
    "release",
    "shutdown",
    "terminate",
    "kill",
    "unlink",
    "rmtree",
    "disconnect",
    "cleanup",
    "dispose",
    "stop",
];

/// Methods whose presence gives callers an explicit way to clean up.
const EXPLICIT: &[&str] = &[
    "unlink",
    "rmtree",
    "remove",
    "delete",
    "__exit__",
    "__aexit__",
    "close",
    "aclose",
    "release",
    "shutdown",
    "terminate",
    "kill",
    "cleanup",
    "dispose",
    "disconnect",
    "stop",
];

struct FindRelease<'a> {
    found: Option<&'a Expr>,
}

impl<'a> Visitor<'a> for FindRelease<'a> {
    fn enter(&mut self, node: Node<'a>) -> bool {
        if self.found.is_some() {
            return false;
        }
        match node {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => return false,
            Node::Expr(e @ Expr::Call(c)) => {
                if let Expr::Attribute(a) = &*c.func {
                    let attr = a.attr.as_str();
                    let os_remove = attr == "remove"
                        && matches!(&*a.value, Expr::Name(m) if m.id.as_str() == "os");
                    if RELEASES.contains(&attr) || os_remove {
                        self.found = Some(e);
                    }
                }
            }
            _ => {}
        }
        true
    }
    fn leave(&mut self, _node: Node<'a>) {}
}

impl Rule for DelCleanup {
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
        let mut del = None;
        let mut explicit = false;
        for s in &c.body {
            let name = match s {
                Stmt::FunctionDef(f) => f.name.as_str(),
                Stmt::AsyncFunctionDef(f) => f.name.as_str(),
                Stmt::Assign(a) => match &a.targets[..] {
                    [Expr::Name(n)] => n.id.as_str(),
                    _ => continue,
                },
                _ => continue,
            };
            explicit |= EXPLICIT.contains(&name);
            if let Stmt::FunctionDef(f) = s {
                if name == "__del__" {
                    del = Some((s, f));
                }
            }
        }
        let Some((def, f)) = del else {
            return;
        };
        if explicit {
            return;
        }
        let mut find = FindRelease { found: None };
        walk(&f.body, &mut find);
        let Some(call) = find.found else {
            return;
        };
        let call_text = match call {
            Expr::Call(c) => crate::rules::typing_names::text(ctx.source, &*c.func),
            _ => "",
        };
        let shown = if call_text.len() <= 40 && !call_text.contains(['\n', '\r']) {
            format!("{call_text}()")
        } else {
            "a release call".to_string()
        };
        let range = super::source::def_name(ctx.source, span(def).0, &f.decorator_list, "__del__");
        ctx.report(
            CODE,
            range,
            &[("call", shown.as_str()), ("class", c.name.as_str())],
            None,
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_del_as_the_only_cleanup() {
        let src = "class Spool:\n    def __init__(self, path):\n        self.path = path\n        self.fh = open(path, 'w')\n\n    def __del__(self):\n        self.fh.close()\n        os.unlink(self.path)\n";
        let found = findings(src, "PM0121", T);
        assert_eq!(flagged(src, &found), ["__del__"]);
        assert_eq!(
            found[0].message,
            "`__del__` is the only place `Spool` releases its resource (`self.fh.close()`): it runs when the last reference goes, late or never; offer `close()` with a context manager, or use `weakref.finalize`"
        );
        assert_eq!(found[0].section, "1.3.1");
    }

    #[test]
    fn silent_with_an_explicit_path_or_no_release() {
        for src in [
            "class A:\n    def close(self):\n        self.fh.close()\n    def __del__(self):\n        self.close()\n",
            "class A:\n    def __exit__(self, *exc):\n        self.fh.close()\n    def __del__(self):\n        self.fh.close()\n",
            "class A:\n    def __del__(self):\n        print('bye')\n        self.items.remove(self)\n",
            "class A:\n    def __del__(self):\n        def later():\n            self.fh.close()\n        atexit.register(later)\n",
            "def __del__(self):\n    self.fh.close()\n",
        ] {
            assert!(findings(src, "PM0121", T).is_empty(), "{src}");
        }
    }
}
