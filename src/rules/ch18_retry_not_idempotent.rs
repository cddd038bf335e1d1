//! PM1806: a POST or PATCH retried without an idempotency key (§18.3.3). When the first
//! attempt reached the server but the answer was lost, the retry performs the action twice.

use super::conc_common::qualified;
use super::log_util::{has_double_star, keyword, retry_loop, str_constant};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Expr, Stmt};
use crate::syntax::span;

pub struct RetryNotIdempotent;

const CODE: &str = "PM1806";

impl Rule for RetryNotIdempotent {
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
        let Expr::Attribute(a) = &*call.func else {
            return;
        };
        let method = a.attr.as_str();
        if !matches!(method, "post" | "patch") || has_double_star(call) {
            return;
        }
        if !http_client(&call.func, &a.value, node, ctx) || !in_retried_try(node, ctx) {
            return;
        }
        match keyword(call, "headers").map(|k| &k.value) {
            None => {}
            Some(Expr::Dict(d)) => {
                let keyed = d.keys.iter().any(|k| match k {
                    Some(k) => str_constant(k)
                        .is_some_and(|s| s.to_ascii_lowercase().contains("idempotency")),
                    None => true,
                });
                if keyed {
                    return;
                }
            }
            // Headers built elsewhere may well carry the key.
            Some(_) => return,
        }
        let upper = method.to_ascii_uppercase();
        ctx.report(CODE, span(e), &[("method", &upper)], None);
    }
}

/// `requests` or `httpx` (the modules), or a receiver named like a client or session.
fn http_client(func: &Expr, e: &Expr, node: Node<'_>, ctx: &Ctx<'_>) -> bool {
    let names = BlockNames::of_block(node, ctx);
    if let Some(q) = qualified(&names, ctx.module, func) {
        if let Some(("requests" | "httpx", _)) = q.rsplit_once('.') {
            return true;
        }
    }
    let name = match e {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    let lower = name.to_ascii_lowercase();
    lower.contains("session") || lower.contains("client") || lower == "http"
}

/// True when the node sits in the `try` body of a retry loop (see `log_util::retry_loop`).
fn in_retried_try(node: Node<'_>, ctx: &Ctx<'_>) -> bool {
    let at = node.span().0;
    for p in ctx.parents.iter().rev() {
        match p {
            Node::Stmt(Stmt::FunctionDef(_) | Stmt::AsyncFunctionDef(_) | Stmt::ClassDef(_))
            | Node::Expr(Expr::Lambda(_)) => return false,
            Node::Stmt(s @ (Stmt::For(_) | Stmt::While(_))) => {
                let Some(r) = retry_loop(s) else { continue };
                return r.tries.iter().any(|t| {
                    let body = match t {
                        Stmt::Try(x) => &x.body,
                        Stmt::TryStar(x) => &x.body,
                        _ => return false,
                    };
                    match (body.first(), body.last()) {
                        (Some(f), Some(l)) => at >= span(f).0 && at < span(l).1,
                        _ => false,
                    }
                });
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_retried_posts_without_a_key() {
        let src = "import requests\n\ndef pay(body):\n    for attempt in range(3):\n        try:\n            return requests.post(URL, json=body, timeout=5)\n        except requests.ConnectionError:\n            time.sleep(2 ** attempt)\n    while True:\n        try:\n            r = self.session.patch(URL, headers={'Accept': 'json'})\n            break\n        except OSError:\n            time.sleep(1)\n";
        let found = findings(src, "PM1806", T);
        assert_eq!(
            flagged(src, &found),
            [
                "requests.post(URL, json=body, timeout=5)",
                "self.session.patch(URL, headers={'Accept': 'json'})"
            ]
        );
        assert_eq!(
            found[0].message,
            "A POST is retried without an idempotency key: if a lost reply hid a success, the retry performs the action twice; send an `Idempotency-Key` header the server deduplicates on"
        );
        assert_eq!(found[0].section, "18.3.3");
    }

    #[test]
    fn silent_with_a_key_outside_retries_and_on_idempotent_methods() {
        for src in [
            "import requests\nfor attempt in range(3):\n    try:\n        return requests.post(URL, headers={'Idempotency-Key': key})\n    except OSError:\n        time.sleep(1)\n",
            "import requests\nfor attempt in range(3):\n    try:\n        return requests.post(URL, headers=headers)\n    except OSError:\n        time.sleep(1)\n",
            "import requests\nfor attempt in range(3):\n    try:\n        return requests.put(URL, json=body)\n    except OSError:\n        time.sleep(1)\n",
            "import requests\nrequests.post(URL, json=body)\n",
            "import requests\nfor item in items:\n    try:\n        requests.post(URL, json=item)\n    except OSError:\n        pass\n",
            "for attempt in range(3):\n    try:\n        return queue.post(msg)\n    except OSError:\n        time.sleep(1)\n",
            "import requests\nfor attempt in range(3):\n    try:\n        return get()\n    except OSError:\n        requests.post(ALERT, json={})\n",
        ] {
            assert!(findings(src, "PM1806", T).is_empty(), "{src}");
        }
    }
}
