//! PM1912: `hashlib.md5`/`sha1` used for a password, a signature or an authentication check
//! (§19.8.1). Both are broken for these uses; passwords need a slow, salted key derivation.

use super::security_util::{use_names, weak_hash_call, words};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct WeakHashSecret;

const CODE: &str = "PM1912";

/// Words of a name that make a hash a security matter.
const SECURITY_WORDS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "token",
    "sign",
    "signature",
    "signed",
    "auth",
    "authenticate",
    "hmac",
    "credential",
    "credentials",
    "apikey",
];

impl Rule for WeakHashSecret {
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
        let Some(algo) = weak_hash_call(node, ctx) else {
            return;
        };
        // What is hashed (`md5(password.encode())`) or what the result is for.
        let mut hashed: Vec<&str> = Vec::new();
        for a in &call.args {
            super::iter_util::scan_expr(a, &mut |x| match x {
                Expr::Name(n) => hashed.push(n.id.as_str()),
                Expr::Attribute(at) => hashed.push(at.attr.as_str()),
                _ => {}
            });
        }
        let Some(why) = hashed.into_iter().chain(use_names(ctx)).find(|n| {
            words(n)
                .iter()
                .any(|w| SECURITY_WORDS.contains(&w.as_str()))
        }) else {
            return;
        };
        ctx.report(CODE, span(e), &[("algo", algo), ("name", why)], None);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_md5_and_sha1_for_passwords_and_signatures() {
        let src = "import hashlib\nfrom hashlib import sha1\n\ndef store(user, password):\n    user.pw = hashlib.md5(password.encode()).hexdigest()\n\ndef sign_request(body):\n    return sha1(KEY + body).hexdigest()\n\nauth_digest = hashlib.new('MD5', data)\n";
        let found = findings(src, "PM1912", T);
        assert_eq!(
            flagged(src, &found),
            [
                "hashlib.md5(password.encode())",
                "sha1(KEY + body)",
                "hashlib.new('MD5', data)"
            ]
        );
        assert_eq!(
            found[0].message,
            "md5 for `password`: fast hashes are guessed by brute force and md5 and sha1 have known collisions. Hash passwords with `hashlib.scrypt` (or argon2/bcrypt) and sign with `hmac` over sha256"
        );
        assert_eq!(
            found[1].message.split(':').next(),
            Some("sha1 for `sign_request`")
        );
        assert_eq!(found[0].section, "19.8.1");
    }

    #[test]
    fn silent_on_other_uses_and_other_hashes() {
        for src in [
            "import hashlib\ncache_key = hashlib.md5(url.encode()).hexdigest()\n",
            "import hashlib\ndef sign(data):\n    return hashlib.sha256(data).digest()\n",
            "import hashlib\ndef check(password):\n    return hashlib.md5(password, usedforsecurity=False)\n",
            "import hashlib\nh = hashlib.new('sha256', password)\n",
            "def sign(data, md5):\n    return md5(data)\n",
            "import hashlib\ndef design(x):\n    return hashlib.md5(x)\n",
        ] {
            assert!(findings(src, "PM1912", T).is_empty(), "{src}");
        }
    }
}
