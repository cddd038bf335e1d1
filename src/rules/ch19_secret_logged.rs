//! PM1916: a variable named like a password, token or secret passed to `print` or a logging
//! call (§19.11.1). Logs are copied, shipped and kept far longer than the secret should be.

use super::conc_common::qualified;
use super::security_util::{secret_word, target_name, words, SECRET_NAME_WORDS};
use super::typing_names::BlockNames;
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::Expr;
use crate::syntax::span;

pub struct SecretLogged;

const CODE: &str = "PM1916";

const LOG_METHODS: &[&str] = &[
    "debug",
    "info",
    "warning",
    "warn",
    "error",
    "exception",
    "critical",
    "fatal",
    "log",
];

impl Rule for SecretLogged {
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
        // The cheap part first: which secrets the arguments show.
        let mut found: Vec<(&Expr, &str)> = Vec::new();
        for a in call.args.iter().chain(
            call.keywords
                .iter()
                .filter(|k| k.arg.is_none())
                .map(|k| &k.value),
        ) {
            let mut shown_here = Vec::new();
            shown(a, &mut shown_here);
            found.extend(shown_here.into_iter().filter_map(|e| {
                target_name(e)
                    .filter(|n| is_logged_secret(n))
                    .map(|n| (e, n))
            }));
        }
        if found.is_empty() {
            return;
        }
        let sink = match &*call.func {
            Expr::Name(n) if n.id.as_str() == "print" => {
                let names = BlockNames::of_block(node, ctx);
                if qualified(&names, ctx.module, &call.func).as_deref() != Some("print") {
                    return;
                }
                "print"
            }
            // `logging.info`, `log.debug`, `self._logger.error`
            Expr::Attribute(a)
                if LOG_METHODS.contains(&a.attr.as_str())
                    && target_name(&a.value).is_some_and(|n| {
                        n.to_ascii_lowercase()
                            .trim_start_matches('_')
                            .starts_with("log")
                    }) =>
            {
                "a log call"
            }
            _ => return,
        };
        for (e, n) in found {
            ctx.report(CODE, span(e), &[("name", n), ("sink", sink)], None);
        }
    }
}

/// True for a secret's name. A bare `token` is too often a lexer's or a parser's token to
/// count; `access_token`, `auth_token`, `refresh_token` and the like do.
fn is_logged_secret(name: &str) -> bool {
    match secret_word(name, SECRET_NAME_WORDS) {
        Some("token") => words(name)
            .iter()
            .any(|w| TOKEN_KINDS.contains(&w.as_str())),
        Some(_) => true,
        None => false,
    }
}

/// Words that make a `token` a credential.
const TOKEN_KINDS: &[&str] = &[
    "access", "auth", "refresh", "bearer", "api", "session", "csrf", "reset", "oauth", "jwt",
    "github", "slack",
];

/// The names and attributes whose whole value ends up in the text: directly, in an f-string
/// field, in `%` or `+` formatting, or through `str()`/`repr()`/`.format()`. Not through other
/// calls (`len(token)`, `mask(token)`), comparisons, or subscripts and attributes of them
/// (`token[:4]`, `token.expires`).
fn shown<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::Name(_) | Expr::Attribute(_) => out.push(e),
        Expr::JoinedStr(j) => j.values.iter().for_each(|v| shown(v, out)),
        Expr::FormattedValue(f) => shown(&f.value, out),
        Expr::BinOp(b) => {
            shown(&b.left, out);
            shown(&b.right, out);
        }
        Expr::Tuple(t) => t.elts.iter().for_each(|v| shown(v, out)),
        Expr::Dict(d) => d.values.iter().for_each(|v| shown(v, out)),
        Expr::Call(c) => {
            let through = match &*c.func {
                Expr::Name(n) => matches!(n.id.as_str(), "str" | "repr" | "format"),
                Expr::Attribute(a) => a.attr.as_str() == "format",
                _ => false,
            };
            if through {
                c.args.iter().for_each(|v| shown(v, out));
                c.keywords.iter().for_each(|k| shown(&k.value, out));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_secrets_printed_or_logged() {
        let src = "import logging\nlog = logging.getLogger(__name__)\n\ndef login(user, password):\n    log.debug('login %s with %s', user, password)\n    logging.info(f'token={self.access_token}')\n    print('key: ' + str(api_key))\n    self.logger.warning('secret {}'.format(client_secret))\n";
        let found = findings(src, "PM1916", T);
        assert_eq!(
            flagged(src, &found),
            ["password", "self.access_token", "api_key", "client_secret"]
        );
        assert_eq!(
            found[0].message,
            "`password` goes into a log call: logs are copied to other systems and kept long after the secret should be gone. Log that it was set, or a masked or hashed form, not the value"
        );
        assert_eq!(
            found[2].message.split(':').next(),
            Some("`api_key` goes into print")
        );
        assert_eq!(found[0].section, "19.11.1");
    }

    #[test]
    fn silent_on_derived_values_and_other_calls() {
        for src in [
            "log.info('token length %d', len(token))\n",
            "log.info('token %s', mask(token))\n",
            "log.info('token starts %s', token[:4])\n",
            "log.info('token type %s', token_type)\n",
            "log.info('secret name %s', secret_name)\n",
            "log.info('expires %s', token.expires_at)\n",
            "log.info('has password: %s', password is not None)\n",
            "cache.info(password)\n",
            "def print(*a):\n    pass\n\nprint(password)\n",
            "tokens.append(token)\n",
            "log.info('tokens: %s', tokens)\n",
            "log.debug('%s %s', token_range, repr(token))\n",
        ] {
            assert!(findings(src, "PM1916", T).is_empty(), "{src}");
        }
    }
}
