//! PM1905: a secret, token, digest or signature compared with `==` or `!=` (§19.6.3). The
//! comparison stops at the first differing byte, and that timing leaks how much matched.

use super::{Ctx, Edit, Kind, Node, Rule, Safety};
use crate::syntax::ast::{CmpOp, Expr};
use crate::syntax::span;

pub struct SecretCompare;

const CODE: &str = "PM1905";

/// Words that name a value an attacker must not be able to guess piece by piece.
const SECRET_WORDS: &[&str] = &[
    "token",
    "secret",
    "signature",
    "digest",
    "hmac",
    "mac",
    "password",
    "passwd",
    "api_key",
    "apikey",
    "nonce",
    "csrf",
];

impl Rule for SecretCompare {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Compare]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let Node::Expr(e @ Expr::Compare(c)) = node else {
            return;
        };
        let ([op], [right]) = (&c.ops[..], &c.comparators[..]) else {
            return;
        };
        let negate = match op {
            CmpOp::Eq => false,
            CmpOp::NotEq => true,
            _ => return,
        };
        let left = &*c.left;
        // Both sides must be values computed at run time: `token == ""`, `sig is None` style
        // checks and comparisons with literals are about presence, not about the secret.
        if is_literal(left)
            || is_literal(right)
            || is_constant_name(left)
            || is_constant_name(right)
        {
            return;
        }
        // `self.signature == other.signature` in an `__eq__` compares public attributes.
        if let (Expr::Attribute(a), Expr::Attribute(b)) = (left, right) {
            if a.attr == b.attr {
                return;
            }
        }
        let Some(word) = secret_word(left).or_else(|| secret_word(right)) else {
            return;
        };
        let text = |x: &Expr| {
            let (s, t) = span(x);
            ctx.source.get(s..t).unwrap_or("").to_string()
        };
        let (l, r) = (text(left), text(right));
        let hmac_name = ctx.module.imports.imported("hmac").map(|_| "hmac");
        let mut fix = ctx.fix(
            CODE,
            &[],
            Safety::Unsafe,
            vec![Edit {
                start: span(e).0,
                end: span(e).1,
                text: format!(
                    "{}hmac.compare_digest({l}, {r})",
                    if negate { "not " } else { "" }
                ),
            }],
        );
        if hmac_name.is_none() {
            fix.file_edits.push(ctx.import_edit("import hmac"));
        }
        ctx.report(CODE, span(e), &[("word", word)], Some(fix));
    }
}

fn is_literal(e: &Expr) -> bool {
    match e {
        Expr::Constant(_) => true,
        Expr::Tuple(t) => t.elts.iter().all(is_literal),
        Expr::List(l) => l.elts.iter().all(is_literal),
        _ => false,
    }
}

/// `START_ELEMENT`, `token.NAME`: a named constant, so the comparison is about a kind of
/// token, not about a secret value.
fn is_constant_name(e: &Expr) -> bool {
    let name = match e {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        _ => return false,
    };
    name.chars().any(|c| c.is_ascii_uppercase()) && !name.chars().any(|c| c.is_ascii_lowercase())
}

/// The secret word a name or attribute carries (`expected_token`, `request.signature`).
fn secret_word(e: &Expr) -> Option<&'static str> {
    let name = match e {
        Expr::Name(n) => n.id.as_str(),
        Expr::Attribute(a) => a.attr.as_str(),
        // `hmac.new(...).hexdigest()`, `sign(payload)`
        Expr::Call(c) => match &*c.func {
            Expr::Attribute(a) if matches!(a.attr.as_str(), "digest" | "hexdigest") => {
                return Some("digest")
            }
            _ => return None,
        },
        _ => return None,
    };
    let lower = name.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('_').filter(|p| !p.is_empty()).collect();
    SECRET_WORDS.iter().copied().find(|w| {
        if w.contains('_') {
            lower.contains(w)
        } else {
            parts.contains(w)
        }
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_secrets_compared_with_eq() {
        let src = "import hmac\n\ndef check(req, expected_token):\n    if req.token == expected_token:\n        return True\n    return hmac.new(k, body, 'sha256').hexdigest() != req.headers['sig']\n";
        let found = findings(src, "PM1905", T);
        assert_eq!(
            flagged(src, &found),
            [
                "req.token == expected_token",
                "hmac.new(k, body, 'sha256').hexdigest() != req.headers['sig']"
            ]
        );
        assert_eq!(
            found[0].message,
            "A token compared with `==` leaks, through timing, how much of it matched: use `hmac.compare_digest`"
        );
        assert_eq!(found[0].section, "19.6.3");
    }

    #[test]
    fn silent_on_presence_checks_and_unrelated_names() {
        for src in [
            "if token == '':\n    pass\n",
            "if token is None:\n    pass\n",
            "if tokens_seen == limit:\n    pass\n",
            "if tok.type == token.NAME:\n    pass\n",
            "if machine == other:\n    pass\n",
            "if token != END_ELEMENT:\n    pass\n",
            "if token == ('', ''):\n    pass\n",
            "def __eq__(self, other):\n    return self.signature == other.signature\n",
            "ok = hmac.compare_digest(sig, expected)\n",
        ] {
            assert!(findings(src, "PM1905", T).is_empty(), "{src}");
        }
    }

    #[test]
    fn fix_uses_compare_digest_and_imports_hmac() {
        assert_eq!(
            fixed("\"\"\"Auth.\"\"\"\nimport os\n\n\ndef ok(sig, expected_sig_digest):\n    return sig != expected_sig_digest\n", "PM1905", T),
            "\"\"\"Auth.\"\"\"\nimport hmac\nimport os\n\n\ndef ok(sig, expected_sig_digest):\n    return not hmac.compare_digest(sig, expected_sig_digest)\n"
        );
        assert_eq!(
            fixed(
                "import hmac\nok = password == stored_password\n",
                "PM1905",
                T
            ),
            "import hmac\nok = hmac.compare_digest(password, stored_password)\n"
        );
    }
}
