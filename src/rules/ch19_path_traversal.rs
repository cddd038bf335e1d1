//! PM1909: a file opened at a path joined from a request handler's parameter, request data or
//! `input()`, in a function that never checks the result stays inside its base folder (§19.4).

use super::conc_common::qualified;
use super::security_util::{callee_may_be, from_outside, only_binding, target_name};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Arguments, Expr, Operator, Stmt};
use crate::syntax::span;

pub struct PathTraversal;

const CODE: &str = "PM1909";

/// Functions that open, read or send a file at a path given as their first argument.
const OPENERS: &[&str] = &[
    "open",
    "io.open",
    "os.open",
    "flask.send_file",
    "starlette.responses.FileResponse",
    "fastapi.responses.FileResponse",
    "django.http.FileResponse",
];

/// Path methods that open or read the file they are called on.
const PATH_METHODS: &[&str] = &[
    "open",
    "read_text",
    "read_bytes",
    "write_text",
    "write_bytes",
];

/// Decorator methods that make a function a web route (`@app.route`, `@router.get`).
const ROUTE_DECORATORS: &[&str] = &[
    "route",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "api_route",
    "websocket",
];

/// Calls that show the function keeps the path inside its folder (or strips it to a name).
const CHECKS: &[&str] = &[
    "is_relative_to",
    "relative_to",
    "commonpath",
    "secure_filename",
    "safe_join",
    "basename",
];

impl Rule for PathTraversal {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        if !callee_may_be(
            &call.func,
            ctx,
            &[
                "open",
                "send_file",
                "FileResponse",
                "read_text",
                "read_bytes",
                "write_text",
                "write_bytes",
            ],
        ) {
            return;
        }
        let Some((func, body)) = enclosing_def(ctx) else {
            return;
        };
        let names = BlockNames::of_block(node, ctx);
        let resolve = |x: &Expr| qualified(&names, ctx.module, x);
        let path = match &*call.func {
            Expr::Attribute(a)
                if PATH_METHODS.contains(&a.attr.as_str()) && call.args.len() <= 2 =>
            {
                // `Path(...).open()` and friends: the path is the receiver.
                if resolve(&call.func).is_some_and(|q| OPENERS.contains(&q.as_str())) {
                    call.args.first()
                } else {
                    Some(&*a.value)
                }
            }
            _ if resolve(&call.func).is_some_and(|q| OPENERS.contains(&q.as_str())) => {
                call.args.first()
            }
            _ => None,
        };
        let Some(path) = path else { return };
        let handler = is_handler(func);
        let Some(part) = joined_outside(path, body, func, handler, &resolve, 2) else {
            return;
        };
        if checks_containment(body) {
            return;
        }
        ctx.report(CODE, span(e), &[("part", &part)], None);
    }
}

/// The innermost `def` around the node and its body.
fn enclosing_def<'a>(ctx: &Ctx<'a>) -> Option<(FuncView<'a>, &'a [Stmt])> {
    match super::iter_util::innermost_scope(ctx)? {
        Node::Stmt(Stmt::FunctionDef(f)) => Some((
            FuncView {
                args: &f.args,
                decorators: &f.decorator_list,
            },
            &f.body[..],
        )),
        Node::Stmt(Stmt::AsyncFunctionDef(f)) => Some((
            FuncView {
                args: &f.args,
                decorators: &f.decorator_list,
            },
            &f.body[..],
        )),
        _ => None,
    }
}

#[derive(Clone, Copy)]
struct FuncView<'a> {
    args: &'a Arguments,
    decorators: &'a [Expr],
}

impl FuncView<'_> {
    fn params(&self) -> impl Iterator<Item = &str> {
        let a = self.args;
        a.posonlyargs
            .iter()
            .chain(&a.args)
            .chain(&a.kwonlyargs)
            .map(|p| p.def.arg.as_str())
    }
}

/// A web request handler: decorated as a route, or taking a `request` parameter.
fn is_handler(f: FuncView<'_>) -> bool {
    let routed = f.decorators.iter().any(|d| match d {
        Expr::Call(c) => {
            matches!(&*c.func, Expr::Attribute(a) if ROUTE_DECORATORS.contains(&a.attr.as_str()))
        }
        _ => false,
    });
    routed || f.params().any(|p| matches!(p, "request" | "req"))
}

/// When `path` is `os.path.join(base, x)` or `base / x` (or a name bound once to one) with an
/// `x` from outside, the text that names `x`.
fn joined_outside(
    path: &Expr,
    body: &[Stmt],
    func: FuncView<'_>,
    handler: bool,
    resolve: &dyn Fn(&Expr) -> Option<String>,
    depth: u8,
) -> Option<String> {
    let parts: Vec<&Expr> = match path {
        Expr::Name(n) if depth > 0 => {
            let v = only_binding(body, n.id.as_str())?;
            return joined_outside(v, body, func, handler, resolve, depth - 1);
        }
        Expr::Call(c) if resolve(&c.func).as_deref() == Some("os.path.join") => {
            c.args.iter().skip(1).collect()
        }
        // `pathlib.Path(base, name)`
        Expr::Call(c)
            if resolve(&c.func).as_deref() == Some("pathlib.Path") && c.args.len() >= 2 =>
        {
            c.args.iter().skip(1).collect()
        }
        Expr::Call(c) => {
            // `Path(base / name)`, `str(base / name)`
            let q = resolve(&c.func);
            if matches!(q.as_deref(), Some("pathlib.Path" | "str" | "os.fspath"))
                && c.args.len() == 1
            {
                return joined_outside(&c.args[0], body, func, handler, resolve, depth);
            }
            return None;
        }
        Expr::BinOp(b) if b.op == Operator::Div => vec![&*b.right],
        _ => return None,
    };
    parts.into_iter().find_map(|p| {
        let outside = from_outside(p, body, resolve, 2)
            || (handler
                && matches!(p, Expr::Name(n) if func.params().any(|x| x == n.id.as_str() && !matches!(x, "self" | "cls" | "request" | "req"))));
        outside.then(|| target_name(p).unwrap_or("the input").to_string())
    })
}

/// True when the function calls something that keeps a path inside a folder:
/// `is_relative_to`, `commonpath`, `secure_filename`, `basename`, ..., or `startswith` next to
/// `realpath`/`abspath`/`resolve`/`normpath`.
fn checks_containment(body: &[Stmt]) -> bool {
    let mut called: Vec<String> = Vec::new();
    super::iter_util::scan(body, |n| {
        if let Node::Expr(Expr::Call(c)) = n {
            if let Some(name) = super::typing_names::last_name(&c.func) {
                called.push(name.to_string());
            }
        }
    });
    let has = |w: &str| called.iter().any(|c| c == w);
    CHECKS.iter().any(|w| has(w))
        || (has("startswith")
            && ["realpath", "abspath", "resolve", "normpath"]
                .iter()
                .any(|w| has(w)))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_paths_joined_from_request_input() {
        let src = "import os\nfrom pathlib import Path\n\n@app.route('/files/<name>')\ndef download(name):\n    with open(os.path.join(BASE, name), 'rb') as f:\n        return f.read()\n\ndef view(request):\n    p = UPLOADS / request.args['file']\n    return p.read_text()\n\ndef cli():\n    target = os.path.join('/srv', input('file? '))\n    return open(target)\n";
        let found = findings(src, "PM1909", T);
        assert_eq!(
            flagged(src, &found),
            [
                "open(os.path.join(BASE, name), 'rb')",
                "p.read_text()",
                "open(target)"
            ]
        );
        assert_eq!(
            found[0].message,
            "A path joined from `name`, which comes from outside, is opened with no check that it stays in its folder: `../` or an absolute name escapes it. Resolve the path and test `is_relative_to(base)` first"
        );
        assert_eq!(found[0].section, "19.4");
    }

    #[test]
    fn silent_with_a_containment_check_or_outside_handlers() {
        for src in [
            "import os\n@app.route('/f')\ndef f(name):\n    p = os.path.realpath(os.path.join(BASE, name))\n    if not p.startswith(BASE):\n        abort(404)\n    return open(p)\n",
            "@app.get('/f')\ndef f(name):\n    p = (BASE / name).resolve()\n    if not p.is_relative_to(BASE):\n        raise ValueError\n    return p.open()\n",
            "import os\n@app.route('/f')\ndef f(name):\n    return open(os.path.join(BASE, os.path.basename(name)))\n",
            "import os\ndef load(base, name):\n    return open(os.path.join(base, name))\n",
            "import os\n@app.route('/f')\ndef f(name):\n    return open(os.path.join(BASE, 'static.txt'))\n",
            "import os\ndef f(request):\n    return open(os.path.join(BASE, CONFIG))\n",
            "import os\nopen(os.path.join(BASE, input()))\n",
        ] {
            assert!(findings(src, "PM1909", T).is_empty(), "{src}");
        }
    }
}
