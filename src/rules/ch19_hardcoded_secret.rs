//! PM1910: a password, token or key written into the code as a string literal (§19.6.1):
//! `password = "..."`, `connect(api_key="...")`, `{"secret": "..."}`.

use super::security_util::{secret_word, str_value, target_name, words, SECRET_NAME_WORDS};
use super::{Ctx, Kind, Node, Rule};
use crate::syntax::ast::{Constant, Expr, Stmt};
use crate::syntax::span;

pub struct HardcodedSecret;

const CODE: &str = "PM1910";

/// Text a literal holds when it stands for a secret rather than being one.
const PLACEHOLDERS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "dummy",
    "example",
    "placeholder",
    "fake",
    "mock",
    "your",
    "xxx",
    "***",
    "...",
    "redacted",
    "todo",
    "none",
    "null",
    "test",
];

impl Rule for HardcodedSecret {
    fn code(&self) -> &'static str {
        CODE
    }

    fn kinds(&self) -> &'static [Kind] {
        &[Kind::Assign, Kind::AnnAssign, Kind::Call, Kind::Dict]
    }

    fn check(&self, node: Node<'_>, ctx: &mut Ctx<'_>) {
        let mut pairs: Vec<(&str, &Expr)> = Vec::new();
        match node {
            Node::Stmt(Stmt::Assign(a)) => {
                for t in &a.targets {
                    if let Some(n) = target_name(t) {
                        pairs.push((n, &a.value));
                    }
                }
            }
            Node::Stmt(Stmt::AnnAssign(a)) => {
                if let (Some(n), Some(v)) = (target_name(&a.target), &a.value) {
                    pairs.push((n, v));
                }
            }
            Node::Expr(Expr::Call(c)) => {
                for k in &c.keywords {
                    if let Some(n) = &k.arg {
                        pairs.push((n.as_str(), &k.value));
                    }
                }
            }
            Node::Expr(Expr::Dict(d)) => {
                for (k, v) in d.keys.iter().zip(&d.values) {
                    if let Some(n) = k.as_ref().and_then(str_value) {
                        pairs.push((n, v));
                    }
                }
            }
            _ => return,
        }
        for (name, value) in pairs {
            let Some(word) = secret_word(name, SECRET_NAME_WORDS) else {
                continue;
            };
            let Some(text) = literal(value) else { continue };
            if looks_real(&text, word) {
                ctx.report(CODE, span(value), &[("name", name)], None);
            }
        }
    }
}

/// The text of a str or bytes literal.
fn literal(e: &Expr) -> Option<String> {
    match e {
        Expr::Constant(c) => match &c.value {
            Constant::Str(s) => Some(s.clone()),
            Constant::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        },
        _ => None,
    }
}

/// True when the literal could be a real secret: not empty, not a placeholder or a template,
/// not an environment variable's or a field's name, not a sentence.
fn looks_real(text: &str, word: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let squashed: String = lower
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if text.chars().count() < 4
        || text.chars().any(char::is_whitespace)
        || text.starts_with(['<', '$', '%', '/', '.'])
        || text.contains('{')
        || text.contains("%(")
        || text.contains("://")
        || text.ends_with(':')
        || text.chars().all(|c| c.is_ascii_digit())
        || squashed.contains(word)
        || PLACEHOLDERS.iter().any(|p| lower.contains(p))
    {
        return false;
    }
    // `"MY_SERVICE_TOKEN"`: the name of an environment variable or a setting.
    if text
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && (text.contains('_') || !text.chars().any(|c| c.is_ascii_digit()))
    {
        return false;
    }
    // The same character over and over (`"xxxx"`, `"****"`).
    let mut chars = text.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return false;
    }
    // Tokens and keys are random: a word without a digit (`"bearer"`, `"access"`) is a kind of
    // token or a keyword, not a token.
    if word != "password" && word != "passwd" && word != "passphrase" {
        let digits = text.chars().any(|c| c.is_ascii_digit());
        let mixed = text.chars().any(|c| c.is_ascii_uppercase())
            && text.chars().any(|c| c.is_ascii_lowercase());
        if text.len() < 8 || !(digits || mixed) || (!digits && is_identifier_like(text)) {
            return false;
        }
    }
    true
}

/// `camelCaseWords` or `snake_words`: an identifier, which a random token seldom is.
fn is_identifier_like(text: &str) -> bool {
    let ws = words(text);
    ws.len() >= 2
        && ws
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_alphabetic()) && w.len() >= 2)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{findings, flagged};

    const T: (u8, u8) = (3, 12);

    #[test]
    fn flags_literal_secrets() {
        let src = "DB_PASSWORD = 'hunter22'\nclient = Client(api_key='sk_live_51HxQ2eKp9')\nsettings = {'secret': 'q8Zr!v7Lm0', 'user': 'bob'}\nself.token: str = 'ghp_7f3Kd92LmQx0aa'\nAWS_ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLF'\ncfg['password'] = b'pa55word!'\n";
        let found = findings(src, "PM1910", T);
        assert_eq!(
            flagged(src, &found),
            [
                "'hunter22'",
                "'sk_live_51HxQ2eKp9'",
                "'q8Zr!v7Lm0'",
                "'ghp_7f3Kd92LmQx0aa'",
                "'AKIAIOSFODNN7EXAMPLF'",
                "b'pa55word!'"
            ]
        );
        assert_eq!(
            found[0].message,
            "`DB_PASSWORD` is set to a literal that looks like a real secret: it is now in version control and in every copy of the code. Read it from the environment or a secrets manager at run time"
        );
        assert_eq!(found[0].section, "19.6.1");
    }

    #[test]
    fn silent_on_names_and_values_that_are_not_secrets() {
        for src in [
            "token_type = 'Bearer'\n",
            "TOKEN_RE = r'[A-Za-z0-9]+'\n",
            "password = ''\n",
            "password = 'changeme'\n",
            "PASSWORD_ENV = 'APP_DB_PASSWORD'\n",
            "api_key = os.environ['API_KEY']\n",
            "secret = '<your secret here>'\n",
            "token = '***'\n",
            "password_prompt = 'Password: '\n",
            "prompt(password='Enter it:')\n",
            "FORCE_CHANGE_PASSWORD = 'FORCE_CHANGE_PASSWORD'\n",
            "WaitForTaskToken = 'waitForTaskToken'\n",
            "next_token = '100'\n",
            "token = 'def'\n",
            "token = 'import'\n",
            "SECRET_KEY = 'development key'\n",
            "secret_arn = 'mock_secret_arn'\n",
            "auth_url = 'https://example.org/token'\n",
            "tokens = 'abc123def456'\n",
            "key = 'x8Kd92LmQx0aa77'\n",
            "password = None\n",
            "f(password=pw)\n",
            "d = {'token': token}\n",
            "secret = '{secret}'\n",
            "password = 'xxxxxxxx'\n",
        ] {
            assert!(findings(src, "PM1910", T).is_empty(), "{src}");
        }
    }
}
