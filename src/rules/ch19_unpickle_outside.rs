//! PM1907: `pickle`, `marshal` or `shelve` loading bytes that came from outside in the same
//! function: a socket read, a request body, a network response (§19.3).

use super::conc_common::qualified;
use super::security_util::{callee_may_be, from_outside, scope_body};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct UnpickleOutside;

const CODE: &str = "PM1907";

const LOADERS: &[&str] = &[
    "pickle.load",
    "pickle.loads",
    "pickle.Unpickler",
    "_pickle.load",
    "_pickle.loads",
    "_pickle.Unpickler",
    "marshal.load",
    "marshal.loads",
    "shelve.open",
];

impl Rule for UnpickleOutside {
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
        if !callee_may_be(&call.func, ctx, &["load", "loads", "Unpickler", "open"]) {
            return;
        }
        let names = BlockNames::of_block(node, ctx);
        let resolve = |x: &Expr| qualified(&names, ctx.module, x);
        let Some(q) = resolve(&call.func) else { return };
        if !LOADERS.contains(&q.as_str()) {
            return;
        }
        let Some(arg) = call.args.first().or_else(|| {
            call.keywords
                .iter()
                .find(|k| matches!(k.arg.as_deref(), Some("file" | "data" | "filename")))
                .map(|k| &k.value)
        }) else {
            return;
        };
        let body = scope_body(node, ctx);
        if !from_outside(arg, body, &resolve, 2) {
            return;
        }
        ctx.report(CODE, span(e), &[("call", &q)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_loads_of_network_bytes() {
        let src = "import pickle, marshal\nimport requests\nfrom pickle import loads as unpickle\n\ndef serve(sock):\n    data = sock.recv(4096)\n    obj = pickle.loads(data)\n    code = marshal.loads(sock.recv(1 << 16))\n\ndef view(request):\n    return unpickle(request.body)\n\ndef fetch(url):\n    r = requests.get(url)\n    return pickle.loads(r.content)\n\nclass H:\n    def handle(self):\n        return pickle.load(self.rfile)\n";
        let found = findings(src, "PM1907", T);
        assert_eq!(
            flagged(src, &found),
            [
                "pickle.loads(data)",
                "marshal.loads(sock.recv(1 << 16))",
                "unpickle(request.body)",
                "pickle.loads(r.content)",
                "pickle.load(self.rfile)"
            ]
        );
        assert_eq!(
            found[0].message,
            "`pickle.loads` on bytes from outside: unpickling runs whatever code the sender put in them. Exchange a data format such as JSON, or check an HMAC of the bytes before loading"
        );
        assert_eq!(found[0].section, "19.3");
    }

    #[test]
    fn silent_when_the_source_is_unknown_or_local() {
        for src in [
            "import pickle\ndef f(path):\n    with open(path, 'rb') as fp:\n        return pickle.load(fp)\n",
            "import pickle\ndef f(blob):\n    return pickle.loads(blob)\n",
            "import pickle\npickle.loads(pickle.dumps(x))\n",
            "import json\ndef f(sock):\n    return json.loads(sock.recv(10))\n",
            "def f(sock):\n    return loads(sock.recv(10))\n",
            "import pickle\ndef f(sock, other):\n    data = sock.recv(10)\n    data = other\n    return pickle.loads(data)\n",
            "import pickle\ndef f(pickle, sock):\n    return pickle.loads(sock.recv(10))\n",
            "import shelve\ndef f(name):\n    return shelve.open(name)\n",
        ] {
            assert!(findings(src, "PM1907", T).is_empty(), "{src}");
        }
    }
}
