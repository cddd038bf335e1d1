//! PM1914: TLS certificate or host name checking turned off (§19.13): `verify=False` on an
//! HTTP client call, `ssl._create_unverified_context`, `ssl.CERT_NONE`,
//! `check_hostname = False`.

use super::conc_common::qualified;
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct TlsUnverified;

const CODE: &str = "PM1914";

/// Methods of an HTTP client or session that take `verify=`.
const CLIENT_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "request",
    "send",
    "stream",
    "Client",
    "AsyncClient",
    "Session",
];

impl Rule for TlsUnverified {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call, Kind::Attribute, Kind::Assign]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        match node {
            Node::Expr(Expr::Call(call)) => {
                let Some(k) = call
                    .keywords
                    .iter()
                    .find(|k| k.arg.as_deref() == Some("verify") && is_false(&k.value))
                else {
                    return;
                };
                let names = BlockNames::of_block(node, ctx);
                let q = qualified(&names, ctx.module, &call.func);
                let http_module = q
                    .as_deref()
                    .is_some_and(|q| q.starts_with("requests.") || q.starts_with("httpx."));
                let method = match &*call.func {
                    Expr::Attribute(a) => CLIENT_METHODS.contains(&a.attr.as_str()),
                    _ => false,
                };
                if http_module || method {
                    ctx.report(CODE, span(k), &[("what", "`verify=False`")], None);
                }
            }
            Node::Expr(e @ Expr::Attribute(a)) => {
                if !matches!(a.attr.as_str(), "_create_unverified_context" | "CERT_NONE") {
                    return;
                }
                // `mode != ssl.CERT_NONE` reads the constant to test for it.
                if matches!(ctx.parents.last(), Some(Node::Expr(Expr::Compare(_)))) {
                    return;
                }
                let names = BlockNames::of_block(node, ctx);
                let what = match qualified(&names, ctx.module, e).as_deref() {
                    Some("ssl._create_unverified_context") => "`ssl._create_unverified_context`",
                    Some("ssl.CERT_NONE") => "`ssl.CERT_NONE`",
                    _ => return,
                };
                ctx.report(CODE, span(e), &[("what", what)], None);
            }
            Node::Stmt(Stmt::Assign(s)) if is_false(&s.value) => {
                for t in &s.targets {
                    let Expr::Attribute(a) = t else { continue };
                    let what = match a.attr.as_str() {
                        "check_hostname" => "`check_hostname = False`",
                        // `session.verify = False` on a requests session
                        "verify" => "`.verify = False`",
                        _ => continue,
                    };
                    ctx.report(CODE, span(s), &[("what", what)], None);
                }
            }
            _ => {}
        }
    }
}

fn is_false(e: &Expr) -> bool {
    matches!(e, Expr::Constant(c) if matches!(c.value, Constant::Bool(false)))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_turned_off_certificate_checks() {
        let src = "import ssl, requests\nimport httpx\n\nr = requests.get(url, verify=False)\nwith httpx.Client(verify=False) as c:\n    c.post(url, json=body, verify=False)\nctx = ssl._create_unverified_context()\nctx2 = ssl.create_default_context()\nctx2.check_hostname = False\nctx2.verify_mode = ssl.CERT_NONE\nsession.verify = False\n";
        let found = findings(src, "PM1914", T);
        assert_eq!(
            flagged(src, &found),
            [
                "verify=False",
                "verify=False",
                "verify=False",
                "ssl._create_unverified_context",
                "ctx2.check_hostname = False",
                "ssl.CERT_NONE",
                "session.verify = False"
            ]
        );
        assert_eq!(
            found[0].message,
            "`verify=False` turns off certificate checking: anyone on the network path can read and change the traffic. Keep verification on; for a private CA, pass its bundle (`verify=\"ca.pem\"`, `cafile=`)"
        );
        assert_eq!(found[0].section, "19.13");
    }

    #[test]
    fn silent_on_verification_left_on_and_other_verify_flags() {
        for src in [
            "import requests\nrequests.get(url, verify='ca.pem')\n",
            "import requests\nrequests.get(url, verify=True)\n",
            "checker.run(verify=False)\n",
            "import ssl\nctx = ssl.create_default_context()\nctx.verify_mode = ssl.CERT_REQUIRED\n",
            "ctx.check_hostname = True\n",
            "CERT_NONE = 0\nmode = CERT_NONE\n",
            "import mylib\nmode = mylib.CERT_NONE\n",
            "def f(ssl):\n    return ssl.CERT_NONE\n",
            "import ssl\nwill_verify = context.verify_mode != ssl.CERT_NONE\n",
        ] {
            assert!(findings(src, "PM1914", T).is_empty(), "{src}");
        }
    }
}
