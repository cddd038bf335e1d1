//! PM1913: `hashlib.md5`/`sha1` for a cache key, an ETag or a checksum, without
//! `usedforsecurity=False` (§19.8.1). The flag tells readers, and FIPS-mode builds of OpenSSL
//! that refuse md5, that the hash protects nothing.

use super::security_util::{append_argument, use_names, weak_hash_call, words};
use super::{Ctx, Kind, Node, Rule, Safety};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct HashUsedForSecurity;

const CODE: &str = "PM1913";

/// Words of a name that say the hash only identifies data.
const NON_SECURITY_WORDS: &[&str] = &[
    "cache",
    "cached",
    "etag",
    "checksum",
    "fingerprint",
    "dedup",
    "dedupe",
    "shard",
    "bucket",
    "partition",
];

impl Rule for HashUsedForSecurity {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Call]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        if ctx.target < (3, 9) {
            return;
        }
        let Node::Expr(e @ Expr::Call(call)) = node else {
            return;
        };
        let Some(algo) = weak_hash_call(node, ctx) else {
            return;
        };
        if call
            .keywords
            .iter()
            .any(|k| k.arg.is_none() || k.arg.as_deref() == Some("usedforsecurity"))
        {
            return;
        }
        let Some(why) = use_names(ctx).into_iter().find(|n| {
            words(n)
                .iter()
                .any(|w| NON_SECURITY_WORDS.contains(&w.as_str()))
        }) else {
            return;
        };
        let fix = append_argument(call, e, ctx.source, "usedforsecurity=False")
            .map(|edit| ctx.fix(CODE, &[], Safety::Unsafe, vec![edit]));
        ctx.report(CODE, span(e), &[("algo", algo), ("name", why)], fix);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, fixed, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_identifying_hashes_without_the_flag() {
        let src = "import hashlib\n\ncache_key = hashlib.md5(url.encode()).hexdigest()\n\ndef file_checksum(data):\n    h = hashlib.sha1()\n    h.update(data)\n    return h.hexdigest()\n";
        let found = findings(src, "PM1913", T);
        assert_eq!(
            flagged(src, &found),
            ["hashlib.md5(url.encode())", "hashlib.sha1()"]
        );
        assert_eq!(
            found[0].message,
            "md5 for `cache_key` protects nothing: say so with `usedforsecurity=False`, which also keeps it working where a FIPS-mode OpenSSL refuses md5 for security"
        );
        assert_eq!(found[0].section, "19.8.1");
    }

    #[test]
    fn silent_on_security_uses_old_targets_and_flagged_calls() {
        for src in [
            "import hashlib\ncache_key = hashlib.md5(x, usedforsecurity=False)\n",
            "import hashlib\ncache_key = hashlib.sha256(x)\n",
            "import hashlib\npassword_hash = hashlib.md5(x)\n",
            "import hashlib\ncache_key = hashlib.md5(x, **opts)\n",
            "def etag(md5, body):\n    return md5(body)\n",
        ] {
            assert!(findings(src, "PM1913", T).is_empty(), "{src}");
        }
        let src = "import hashlib\ncache_key = hashlib.md5(x)\n";
        assert!(findings(src, "PM1913", (3, 8)).is_empty());
    }

    #[test]
    fn fix_adds_the_flag() {
        assert_eq!(
            fixed("import hashlib\ndef etag(body):\n    return hashlib.md5(body).hexdigest()  # weak\n", "PM1913", T),
            "import hashlib\ndef etag(body):\n    return hashlib.md5(body, usedforsecurity=False).hexdigest()  # weak\n"
        );
        assert_eq!(
            fixed("from hashlib import sha1\r\nshard = sha1( )", "PM1913", T),
            "from hashlib import sha1\r\nshard = sha1( usedforsecurity=False)"
        );
        assert_eq!(
            fixed("import hashlib\ncached = hashlib.new(\n    'md5',\n    data,\n)\n", "PM1913", T),
            "import hashlib\ncached = hashlib.new(\n    'md5',\n    data, usedforsecurity=False,\n)\n"
        );
    }
}
