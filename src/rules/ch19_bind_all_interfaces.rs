//! PM1918: a server bound to every network interface (§19.1): `sock.bind(("0.0.0.0", port))`,
//! `host="0.0.0.0"`. Whatever it serves is reachable from every network the machine is on.

use super::security_util::str_value;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct BindAllInterfaces;

const CODE: &str = "PM1918";

const ALL: &[&str] = &["0.0.0.0", "::"];

impl Rule for BindAllInterfaces {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(Expr::Call(call)) = node else {
            return;
        };
        // `sock.bind(("0.0.0.0", 8000))`
        if let (Expr::Attribute(a), Some(Expr::Tuple(t))) = (&*call.func, call.args.first()) {
            if a.attr.as_str() == "bind" {
                if let Some(host) = t
                    .elts
                    .first()
                    .filter(|h| str_value(h).is_some_and(|s| ALL.contains(&s)))
                {
                    ctx.report(CODE, span(host), &[], None);
                }
            }
        }
        // `app.run(host="0.0.0.0")`, `uvicorn.run(app, host="::")`
        for k in &call.keywords {
            if k.arg.as_deref() == Some("host")
                && str_value(&k.value).is_some_and(|s| ALL.contains(&s))
            {
                ctx.report(CODE, span(&k.value), &[], None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_binding_every_interface() {
        let src = "sock.bind(('0.0.0.0', 8000))\napp.run(host=\"0.0.0.0\", port=80)\nserver.bind(('::', port, 0, 0))\n";
        let found = findings(src, "PM1918", T);
        assert_eq!(flagged(src, &found), ["'0.0.0.0'", "\"0.0.0.0\"", "'::'"]);
        assert_eq!(
            found[0].message,
            "Bound to every network interface: the service is reachable from any network this machine is on. Bind to `127.0.0.1` unless it must be public, and make the address configurable"
        );
        assert_eq!(found[0].section, "19.1");
    }

    #[test]
    fn silent_on_local_and_configured_addresses() {
        for src in [
            "sock.bind(('127.0.0.1', 8000))\n",
            "sock.bind((HOST, PORT))\n",
            "app.run(host=settings.host)\n",
            "app.run(host='localhost')\n",
            "x = '0.0.0.0'\n",
            "connect(('0.0.0.0', 80))\n",
        ] {
            assert!(findings(src, "PM1918", T).is_empty(), "{src}");
        }
    }
}
